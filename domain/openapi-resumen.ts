/**
 * The summary of one operation of a stored OpenAPI document (Swagger 2.0, OpenAPI 3.0 and 3.1), for
 * the chat's documentation card (issue 10): parameters, request body fields, an example, responses and
 * security. The document is the stored JSON text, internal `#/...` $refs unresolved; they are resolved
 * here with a cycle guard. Odd input never throws: a malformed part is skipped.
 */
import { err, ok, type Result } from './result.js';
import type { HttpMethod } from './servicios-web.js';

export interface CampoResumen {
  /** Dotted path: "afiliado.direccion.municipio"; array items "beneficiarios[].nombre". */
  readonly nombre: string;
  /** Short: "string", "string (date)", "integer (int32)", "array de string", "object", "string | null", "uno de: A | B". */
  readonly tipo: string;
  /** Required within the object that holds it. */
  readonly requerido: boolean;
  readonly descripcion?: string;
  /** The enum (or the 3.1 `const`). */
  readonly valores?: readonly string[];
}
export interface ParametroResumen {
  readonly nombre: string;
  readonly en: 'path' | 'query' | 'header' | 'cookie';
  readonly tipo: string;
  readonly requerido: boolean;
  readonly descripcion?: string;
  readonly valores?: readonly string[];
}
export interface RespuestaResumen {
  readonly codigo: string;
  readonly descripcion: string;
}
export interface FlujoResumen {
  readonly tipo: 'clientCredentials' | 'password' | 'authorizationCode' | 'implicit';
  /** client_credentials, password, authorization_code, implicit */
  readonly grantType: string;
  readonly tokenUrl?: string;
  /** The scopes the operation asks for, else the flow's own. */
  readonly scopes: readonly string[];
}
export interface SeguridadResumen {
  readonly nombre: string;
  readonly tipo: 'oauth2' | 'apiKey' | 'http' | 'openIdConnect' | 'mutualTLS';
  /** http: bearer / basic. */
  readonly esquema?: string;
  /** apiKey: where and its name, "header X-Api-Key". */
  readonly en?: string;
  /** openIdConnect: the discovery URL. */
  readonly url?: string;
  readonly flujos: readonly FlujoResumen[];
}
export interface CuerpoResumen {
  readonly contentType: string;
  readonly requerido: boolean;
  /** The body's own type when it is not a plain object ("array de object", "uno de: A | B"). */
  readonly tipo?: string;
  readonly campos: readonly CampoResumen[];
  /** Optional fields left out by the field cap. */
  readonly omitidos?: number;
  /** Pretty JSON (2 spaces), capped. */
  readonly ejemplo?: string;
}
export interface OperacionResumen {
  readonly metodo: HttpMethod;
  readonly ruta: string;
  readonly operationId?: string;
  readonly resumen?: string;
  readonly descripcion?: string;
  readonly servidores: readonly string[];
  readonly parametros: readonly ParametroResumen[];
  readonly cuerpo?: CuerpoResumen;
  readonly respuestas: readonly RespuestaResumen[];
  readonly seguridad: readonly SeguridadResumen[];
}

export type ResumenError = { readonly code: 'OPENAPI.OPERACION_NO_EXISTE' } | { readonly code: 'OPENAPI.FORMATO' };

/** How deep body fields are listed and examples synthesized. */
export const MAX_PROFUNDIDAD = 5;
/** At most this many body fields; required ones (and their parents) are never dropped. */
export const MAX_CAMPOS = 80;
/** The example's pretty JSON is cut past this many characters. */
export const MAX_EJEMPLO = 3000;
/** Work bound for one summary (schemas flattened): a hostile document cannot make it run long. */
const MAX_PASOS = 20_000;
const MAX_SALTOS_REF = 20;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An own property only: "constructor" or "toString" in a document are just names. */
const get = (o: unknown, k: string): Json | undefined => (isObj(o) && Object.hasOwn(o, k) ? o[k] : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const entries = (v: unknown): [string, Json][] => (isObj(v) ? Object.entries(v) : []);
/** Sets an own property, even one named "__proto__" (JSON.parse keeps such keys as data). */
const put = (o: Obj, k: string, v: Json) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

interface Ctx {
  readonly doc: Obj;
  readonly v2: boolean;
  pasos: number;
}

/** The value a local JSON pointer ("#/components/schemas/X", ~0 ~1 and %-escapes) designates. */
function pointer(doc: Obj, ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    let key: string;
    try {
      key = decodeURIComponent(raw);
    } catch {
      key = raw;
    }
    key = key.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? (/^\d+$/.test(key) ? node[Number(key)] : undefined) : get(node, key);
    if (node === undefined) return undefined;
  }
  return node;
}

/** Follows a chain of $refs (parameters, responses, bodies, examples); siblings of a $ref are kept. */
function deref(c: Ctx, node: Json | undefined): Obj | undefined {
  let current = node;
  let siblings: Obj = {};
  for (let i = 0; i < MAX_SALTOS_REF && isObj(current); i++) {
    const ref = get(current, '$ref');
    if (typeof ref !== 'string') return { ...current, ...siblings };
    const { $ref: _, ...rest } = current;
    siblings = { ...rest, ...siblings };
    current = pointer(c.doc, ref);
  }
  return undefined;
}

const refName = (ref: string) => (ref.split('/').pop() ?? ref).replace(/~1/g, '/').replace(/~0/g, '~');

interface Flat {
  readonly s: Obj;
  /** The refs followed to reach it (for the cycle guard of its children). */
  readonly refs: readonly string[];
  /** It is one of its own ancestors: shown, never expanded. */
  readonly ciclo: boolean;
  readonly nombre?: string;
}

/** A schema with its $refs followed and its `allOf` merged (properties and required united). */
function flatten(c: Ctx, node: Json | undefined, stack: readonly string[], level = 0): Flat | undefined {
  if (c.pasos-- <= 0 || level > 10) return undefined;
  const refs: string[] = [];
  let current = node;
  let siblings: Obj = {};
  let ciclo = false;
  let nombre: string | undefined;
  for (let i = 0; isObj(current); i++) {
    const ref = get(current, '$ref');
    if (typeof ref !== 'string') break;
    // A chain of $refs that loops designates nothing; an ancestor's $ref is shown but not expanded again.
    if (i >= MAX_SALTOS_REF || refs.includes(ref)) return undefined;
    if (stack.includes(ref)) ciclo = true;
    nombre ??= refName(ref);
    refs.push(ref);
    const { $ref: _, ...rest } = current;
    siblings = { ...rest, ...siblings };
    current = pointer(c.doc, ref);
  }
  if (!isObj(current)) return undefined;
  const s: Obj = { ...current, ...siblings };
  const parts = arr(get(s, 'allOf'));
  if (parts.length && !ciclo) {
    const properties: Obj = { ...(isObj(get(s, 'properties')) ? (get(s, 'properties') as Obj) : {}) };
    const required = new Set(arr(get(s, 'required')).filter((r): r is string => typeof r === 'string'));
    const inner = [...stack, ...refs];
    for (const part of parts) {
      const f = flatten(c, part, inner, level + 1);
      if (!f || f.ciclo) continue;
      refs.push(...f.refs);
      for (const [k, v] of entries(get(f.s, 'properties'))) if (!Object.hasOwn(properties, k)) put(properties, k, v);
      for (const r of arr(get(f.s, 'required'))) if (typeof r === 'string') required.add(r);
      for (const [k, v] of Object.entries(f.s)) if (!Object.hasOwn(s, k) && k !== 'properties' && k !== 'required') put(s, k, v);
    }
    delete s['allOf'];
    if (Object.keys(properties).length) s['properties'] = properties;
    if (required.size) s['required'] = [...required];
  }
  return { s, refs, ciclo, ...(nombre ? { nombre } : {}) };
}

const display = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));

function valoresOf(s: Obj): string[] | undefined {
  const e = get(s, 'enum');
  if (Array.isArray(e) && e.length) return e.map(display);
  const k = get(s, 'const');
  return k === undefined ? undefined : [display(k)];
}

function typesOf(s: Obj): string[] {
  const t = get(s, 'type');
  let types = typeof t === 'string' ? [t] : arr(t).filter((x): x is string => typeof x === 'string');
  if (!types.length) {
    if (isObj(get(s, 'properties'))) types = ['object'];
    else if (get(s, 'items') !== undefined) types = ['array'];
    else {
      const sample = get(s, 'const') ?? arr(get(s, 'enum')).find((v) => v !== null);
      if (sample !== undefined && sample !== null) types = [Array.isArray(sample) ? 'array' : typeof sample === 'object' ? 'object' : typeof sample];
    }
  }
  if ((get(s, 'nullable') === true || get(s, 'x-nullable') === true) && !types.includes('null')) types.push('null');
  return types;
}

/** "string (date)", "array de string", "string | null", "uno de: Persona | Empresa". */
function typeLabel(c: Ctx, f: Flat, stack: readonly string[], level = 0): string {
  const s = f.s;
  const alternatives = (arr(get(s, 'oneOf')).length ? arr(get(s, 'oneOf')) : arr(get(s, 'anyOf'))).slice(0, 10);
  const types = typesOf(s);
  if (alternatives.length && level < 3) {
    const names = alternatives.map((a) => {
      const af = flatten(c, a, [...stack, ...f.refs]);
      if (!af) return 'any';
      return af.nombre ?? str(get(af.s, 'title')) ?? (af.ciclo ? 'object' : typeLabel(c, af, [...stack, ...f.refs], level + 1));
    });
    if (types.includes('null') && !names.includes('null')) names.push('null');
    return `uno de: ${[...new Set(names)].join(' | ')}`;
  }
  if (!types.length) return 'any';
  const format = str(get(s, 'format'));
  return types
    .map((t) => {
      if (t === 'array') {
        const items = level < 3 && !f.ciclo ? flatten(c, get(s, 'items'), [...stack, ...f.refs]) : undefined;
        return `array de ${items ? typeLabel(c, items, [...stack, ...f.refs], level + 1) : 'any'}`;
      }
      return t !== 'null' && t !== 'object' && format ? `${t} (${format})` : t;
    })
    .join(' | ');
}

// ---------------------------------------------------------------- body fields

interface Walk {
  readonly c: Ctx;
  readonly campos: CampoResumen[];
  /** Request bodies leave out readOnly properties. */
  readonly request: boolean;
}

const HARD_LIMIT = 1000;

function childPrefix(path: string): string {
  return path === '' ? '' : `${path}.`;
}

/** Lists the fields under a schema: its properties, array items as "[]", one level of oneOf/anyOf alternatives. */
function expand(w: Walk, f: Flat, path: string, depth: number, stack: readonly string[]): void {
  if (f.ciclo || depth > MAX_PROFUNDIDAD || w.campos.length >= HARD_LIMIT || path.split('[]').length > MAX_PROFUNDIDAD + 1) return;
  const inner = [...stack, ...f.refs];
  const s = f.s;
  if (typesOf(s).includes('array') && !isObj(get(s, 'properties'))) {
    const items = flatten(w.c, get(s, 'items'), inner);
    if (items) expand(w, items, `${path}[]`, depth, inner);
    return;
  }
  const required = new Set(arr(get(s, 'required')).filter((r): r is string => typeof r === 'string'));
  for (const [name, prop] of entries(get(s, 'properties'))) {
    if (w.campos.length >= HARD_LIMIT) return;
    const pf = flatten(w.c, prop, inner);
    if (!pf || (w.request && get(pf.s, 'readOnly') === true)) continue;
    const nombre = `${childPrefix(path)}${name}`;
    const descripcion = str(get(pf.s, 'description'));
    const valores = valoresOf(pf.s);
    w.campos.push({ nombre, tipo: typeLabel(w.c, pf, inner), requerido: required.has(name), ...(descripcion ? { descripcion } : {}), ...(valores ? { valores } : {}) });
    if (depth < MAX_PROFUNDIDAD) expand(w, pf, nombre, depth + 1, inner);
  }
  const alternatives = [...arr(get(s, 'oneOf')), ...arr(get(s, 'anyOf'))];
  const seen = new Set(w.campos.map((x) => x.nombre));
  for (const alt of alternatives) {
    const af = flatten(w.c, alt, inner);
    if (!af || af.ciclo) continue;
    // Which alternative's fields are required depends on the one chosen: listed once, optional, not deeper.
    for (const [name, prop] of entries(get(af.s, 'properties'))) {
      const nombre = `${childPrefix(path)}${name}`;
      const pf = flatten(w.c, prop, [...inner, ...af.refs]);
      if (!pf || seen.has(nombre) || w.campos.length >= HARD_LIMIT) continue;
      seen.add(nombre);
      const descripcion = str(get(pf.s, 'description'));
      const valores = valoresOf(pf.s);
      w.campos.push({ nombre, tipo: typeLabel(w.c, pf, inner), requerido: false, ...(descripcion ? { descripcion } : {}), ...(valores ? { valores } : {}) });
    }
  }
}

/** The fields, capped at MAX_CAMPOS without dropping a required field or the parents it needs. */
function capFields(campos: readonly CampoResumen[]): { campos: CampoResumen[]; omitidos: number } {
  if (campos.length <= MAX_CAMPOS) return { campos: [...campos], omitidos: 0 };
  const keep = new Set<string>();
  for (const f of campos) {
    if (!f.requerido) continue;
    keep.add(f.nombre);
    const parts = f.nombre.split('.');
    for (let i = 1; i < parts.length; i++) keep.add(parts.slice(0, i).join('.').replace(/(\[\])+$/, ''));
  }
  for (const f of campos) {
    if (keep.size >= MAX_CAMPOS) break;
    keep.add(f.nombre);
  }
  const kept = campos.filter((f) => keep.has(f.nombre));
  return { campos: kept, omitidos: campos.length - kept.length };
}

// ---------------------------------------------------------------- examples

const SAMPLE_FORMATS: Record<string, string> = {
  date: '2026-01-31',
  'date-time': '2026-01-31T10:00:00-05:00',
  email: 'persona@ejemplo.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  uri: 'https://ejemplo.com',
  url: 'https://ejemplo.com',
  time: '10:00:00',
};

/** An example value built from the schema: its own examples first, then enum, default and the type. */
function synthesize(c: Ctx, node: Json | undefined, stack: readonly string[], depth: number): Json | undefined {
  const f = flatten(c, node, stack);
  if (!f || f.ciclo || depth > MAX_PROFUNDIDAD) return undefined;
  const s = f.s;
  const own = get(s, 'example') ?? arr(get(s, 'examples'))[0] ?? get(s, 'const') ?? arr(get(s, 'enum'))[0] ?? get(s, 'default');
  if (own !== undefined) return own;
  const inner = [...stack, ...f.refs];
  const alternatives = arr(get(s, 'oneOf')).length ? arr(get(s, 'oneOf')) : arr(get(s, 'anyOf'));
  if (alternatives.length) return synthesize(c, alternatives[0], inner, depth);
  const type = typesOf(s).find((t) => t !== 'null') ?? (typesOf(s).includes('null') ? 'null' : 'object');
  switch (type) {
    case 'object': {
      const out: Obj = {};
      for (const [name, prop] of entries(get(s, 'properties')).slice(0, 40)) {
        if (get(deref(c, prop), 'readOnly') === true) continue;
        const v = synthesize(c, prop, inner, depth + 1);
        if (v !== undefined) put(out, name, v);
      }
      return out;
    }
    case 'array': {
      const item = synthesize(c, get(s, 'items'), inner, depth + 1);
      return item === undefined ? [] : [item];
    }
    case 'integer':
    case 'number': {
      const min = get(s, 'minimum');
      const exclusive = get(s, 'exclusiveMinimum');
      if (typeof min === 'number') return exclusive === true ? min + 1 : min;
      if (typeof exclusive === 'number') return type === 'integer' ? Math.floor(exclusive) + 1 : exclusive + 1;
      return 0;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'string':
      const format = str(get(s, 'format')) ?? '';
      return Object.hasOwn(SAMPLE_FORMATS, format) ? SAMPLE_FORMATS[format]! : 'string';
    default:
      return undefined;
  }
}

/** Pretty JSON, cut at a line boundary past MAX_EJEMPLO with "…". */
function pretty(v: Json): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  if (text.length <= MAX_EJEMPLO) return text;
  const cut = text.slice(0, MAX_EJEMPLO - 1);
  const line = cut.lastIndexOf('\n');
  return `${line > MAX_EJEMPLO / 2 ? cut.slice(0, line + 1) : cut}…`;
}

const isJsonType = (t: string) => /^application\/json\b/i.test(t) || /\+json\b/i.test(t);

/** The media type's example, else the first of its examples, else the schema's, else one synthesized (JSON bodies only). */
function exampleOf(c: Ctx, media: Obj | undefined, schema: Json | undefined, contentType: string): string | undefined {
  const direct = get(media, 'example');
  if (direct !== undefined && direct !== null) return pretty(direct);
  const examples = get(media, 'examples');
  for (const e of Array.isArray(examples) ? examples.map((v) => ({ value: v })) : entries(examples).map(([, v]) => deref(c, v))) {
    const value = get(e, 'value');
    if (value !== undefined && value !== null) return pretty(value);
  }
  if (!isJsonType(contentType) && contentType !== '*/*') {
    const f = flatten(c, schema, []);
    const own = f ? (get(f.s, 'example') ?? arr(get(f.s, 'examples'))[0]) : undefined;
    return own === undefined || own === null ? undefined : pretty(own);
  }
  const v = synthesize(c, schema, [], 1);
  return v === undefined ? undefined : pretty(v);
}

// ---------------------------------------------------------------- the operation's parts

/** application/json first, then any "+json", then the first one. */
function preferredType(types: readonly string[]): string | undefined {
  const bare = (t: string) => t.split(';')[0]!.trim().toLowerCase();
  return types.find((t) => bare(t) === 'application/json') ?? types.find((t) => bare(t).endsWith('+json')) ?? types[0];
}

function bodyOf(c: Ctx, schema: Json | undefined, contentType: string, requerido: boolean, media?: Obj): CuerpoResumen {
  const w: Walk = { c, campos: [], request: true };
  const root = flatten(c, schema, []);
  if (root) expand(w, root, '', 1, []);
  const { campos, omitidos } = capFields(w.campos);
  const tipo = root ? typeLabel(c, root, []) : undefined;
  const ejemplo = exampleOf(c, media, schema, contentType);
  return {
    contentType,
    requerido,
    ...(tipo && tipo !== 'object' ? { tipo } : {}),
    campos,
    ...(omitidos ? { omitidos } : {}),
    ...(ejemplo !== undefined ? { ejemplo } : {}),
  };
}

const PARAM_IN = ['path', 'query', 'header', 'cookie'] as const;

/** Path-level then operation-level parameters, the operation's winning by name and location. */
function mergedParameters(c: Ctx, item: Obj, op: Obj): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const raw of [...arr(get(item, 'parameters')), ...arr(get(op, 'parameters'))]) {
    const p = deref(c, raw);
    const name = str(get(p, 'name'));
    const where = str(get(p, 'in'));
    if (!p || !name || !where) continue;
    byKey.set(`${where}:${name}`, p);
  }
  return [...byKey.values()];
}

function parameterOf(c: Ctx, p: Obj): ParametroResumen | undefined {
  const en = PARAM_IN.find((x) => x === get(p, 'in'));
  const nombre = str(get(p, 'name'));
  if (!en || !nombre) return undefined;
  // 3.x: `schema` (or `content`); Swagger 2.0: the type is on the parameter itself.
  const schema = get(p, 'schema') ?? entries(get(p, 'content')).map(([, m]) => get(m, 'schema')).find((s) => s !== undefined);
  const f = c.v2 && schema === undefined ? { s: p, refs: [], ciclo: false } : flatten(c, schema, []);
  const descripcion = str(get(p, 'description')) ?? (f ? str(get(f.s, 'description')) : undefined);
  const valores = f ? valoresOf(f.s) : undefined;
  return {
    nombre,
    en,
    tipo: f ? typeLabel(c, f, []) : 'any',
    requerido: en === 'path' || get(p, 'required') === true,
    ...(descripcion ? { descripcion } : {}),
    ...(valores ? { valores } : {}),
  };
}

function swagger2Body(c: Ctx, params: readonly Obj[], op: Obj): CuerpoResumen | undefined {
  const consumes = arr(get(op, 'consumes') ?? get(c.doc, 'consumes')).filter((t): t is string => typeof t === 'string');
  const body = params.find((p) => get(p, 'in') === 'body');
  if (body) return bodyOf(c, get(body, 'schema'), preferredType(consumes) ?? 'application/json', get(body, 'required') === true);
  const form = params.filter((p) => get(p, 'in') === 'formData' && str(get(p, 'name')));
  if (!form.length) return undefined;
  const formTypes = consumes.filter((t) => /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(t));
  const contentType = formTypes[0] ?? (form.some((p) => get(p, 'type') === 'file') ? 'multipart/form-data' : 'application/x-www-form-urlencoded');
  const campos = form.map((p): CampoResumen => {
    const descripcion = str(get(p, 'description'));
    const valores = valoresOf(p);
    return { nombre: str(get(p, 'name'))!, tipo: typeLabel(c, { s: p, refs: [], ciclo: false }, []), requerido: get(p, 'required') === true, ...(descripcion ? { descripcion } : {}), ...(valores ? { valores } : {}) };
  });
  const capped = capFields(campos);
  return { contentType, requerido: campos.some((f) => f.requerido), campos: capped.campos, ...(capped.omitidos ? { omitidos: capped.omitidos } : {}) };
}

function openapi3Body(c: Ctx, op: Obj): CuerpoResumen | undefined {
  const rb = deref(c, get(op, 'requestBody'));
  if (!rb) return undefined;
  const content = get(rb, 'content');
  const contentType = preferredType(entries(content).map(([k]) => k));
  if (!contentType) return undefined;
  const media = deref(c, get(content, contentType));
  return bodyOf(c, get(media, 'schema'), contentType, get(rb, 'required') === true, media);
}

function responsesOf(c: Ctx, op: Obj): RespuestaResumen[] {
  return entries(get(op, 'responses'))
    .filter(([codigo]) => !codigo.startsWith('x-'))
    .map(([codigo, raw]) => ({ codigo, descripcion: str(get(deref(c, raw), 'description')) ?? '' }));
}

function serversOf(c: Ctx, item: Obj, op: Obj): string[] {
  if (c.v2) {
    const host = str(get(c.doc, 'host'));
    const basePath = str(get(c.doc, 'basePath')) ?? '';
    if (!host) return basePath && basePath !== '/' ? [basePath] : [];
    const schemes = arr(get(op, 'schemes') ?? get(c.doc, 'schemes')).filter((s): s is string => typeof s === 'string');
    const base = basePath === '/' ? '' : basePath;
    return (schemes.length ? schemes : ['https']).map((s) => `${s}://${host}${base}`);
  }
  const list = [get(op, 'servers'), get(item, 'servers'), get(c.doc, 'servers')].find((s) => arr(s).length) ?? [];
  return arr(list).flatMap((server) => {
    const url = str(get(server, 'url'));
    if (!url) return [];
    // Variables take their default value: "https://{entorno}.sat.example" → "https://api.sat.example".
    return [url.replace(/\{([^}]+)\}/g, (m, name: string) => str(get(get(get(server, 'variables'), name), 'default')) ?? m)];
  });
}

const FLOWS_3 = { clientCredentials: 'client_credentials', password: 'password', authorizationCode: 'authorization_code', implicit: 'implicit' } as const;
const FLOWS_2 = { application: 'clientCredentials', password: 'password', accessCode: 'authorizationCode', implicit: 'implicit' } as const;
type FlowType = keyof typeof FLOWS_3;

function flow(tipo: FlowType, def: Obj, asked: readonly string[]): FlujoResumen {
  const tokenUrl = tipo === 'implicit' ? undefined : str(get(def, 'tokenUrl'));
  return { tipo, grantType: FLOWS_3[tipo], ...(tokenUrl ? { tokenUrl } : {}), scopes: asked.length ? [...asked] : entries(get(def, 'scopes')).map(([k]) => k) };
}

function schemeOf(c: Ctx, nombre: string, asked: readonly string[]): SeguridadResumen | undefined {
  const defs = c.v2 ? get(c.doc, 'securityDefinitions') : get(get(c.doc, 'components'), 'securitySchemes');
  const def = deref(c, get(defs, nombre));
  const type = get(def, 'type');
  if (!def) return undefined;
  if (type === 'oauth2') {
    const flujos = c.v2
      ? (() => {
          const name = str(get(def, 'flow')) ?? '';
          return Object.hasOwn(FLOWS_2, name) ? [flow(FLOWS_2[name as keyof typeof FLOWS_2], def, asked)] : [];
        })()
      : entries(get(def, 'flows')).flatMap(([k, v]) => (Object.hasOwn(FLOWS_3, k) && isObj(v) ? [flow(k as FlowType, v, asked)] : []));
    return { nombre, tipo: 'oauth2', flujos };
  }
  if (type === 'apiKey') {
    const en = [str(get(def, 'in')), str(get(def, 'name'))].filter(Boolean).join(' ');
    return { nombre, tipo: 'apiKey', ...(en ? { en } : {}), flujos: [] };
  }
  if (type === 'http' || type === 'basic') {
    const esquema = type === 'basic' ? 'basic' : str(get(def, 'scheme'))?.toLowerCase();
    return { nombre, tipo: 'http', ...(esquema ? { esquema } : {}), flujos: [] };
  }
  if (type === 'openIdConnect') {
    const url = str(get(def, 'openIdConnectUrl'));
    return { nombre, tipo: 'openIdConnect', ...(url ? { url } : {}), flujos: [] };
  }
  if (type === 'mutualTLS') return { nombre, tipo: 'mutualTLS', flujos: [] };
  return undefined;
}

/** The operation's `security` if present (an empty list means none), else the document's. */
function securityOf(c: Ctx, op: Obj): SeguridadResumen[] {
  const requirements = Array.isArray(get(op, 'security')) ? arr(get(op, 'security')) : arr(get(c.doc, 'security'));
  const asked = new Map<string, Set<string>>();
  for (const req of requirements) {
    for (const [name, scopes] of entries(req)) {
      const set = asked.get(name) ?? new Set<string>();
      for (const s of arr(scopes)) if (typeof s === 'string') set.add(s);
      asked.set(name, set);
    }
  }
  return [...asked].flatMap(([name, scopes]) => schemeOf(c, name, [...scopes]) ?? []);
}

/** The summary of the operation `metodo ruta` of a stored document (JSON text). */
export function summarizeOperation(documentJson: string, metodo: HttpMethod, ruta: string): Result<OperacionResumen, ResumenError> {
  let doc: unknown;
  try {
    doc = JSON.parse(documentJson);
  } catch {
    return err({ code: 'OPENAPI.FORMATO' });
  }
  if (!isObj(doc)) return err({ code: 'OPENAPI.FORMATO' });
  const c: Ctx = { doc, v2: get(doc, 'swagger') === '2.0', pasos: MAX_PASOS };
  const item = deref(c, get(get(doc, 'paths'), ruta));
  const op = get(item, metodo.toLowerCase());
  if (!item || !isObj(op)) return err({ code: 'OPENAPI.OPERACION_NO_EXISTE' });
  const params = mergedParameters(c, item, op);
  const cuerpo = c.v2 ? swagger2Body(c, params, op) : openapi3Body(c, op);
  const operationId = str(get(op, 'operationId'));
  const resumen = str(get(op, 'summary'));
  const descripcion = str(get(op, 'description'));
  return ok({
    metodo,
    ruta,
    ...(operationId ? { operationId } : {}),
    ...(resumen ? { resumen } : {}),
    ...(descripcion ? { descripcion } : {}),
    servidores: serversOf(c, item, op),
    parametros: params.flatMap((p) => parameterOf(c, p) ?? []),
    ...(cuerpo ? { cuerpo } : {}),
    respuestas: responsesOf(c, op),
    seguridad: securityOf(c, op),
  });
}

/** The token endpoint and grant type a CCF uses for this service (first OAuth 2.0 flow with a tokenUrl, client credentials preferred). */
export function tokenEndpoint(r: OperacionResumen): { tokenUrl: string; grantType: string } | undefined {
  const flows = r.seguridad.flatMap((s) => s.flujos).filter((f): f is FlujoResumen & { tokenUrl: string } => !!f.tokenUrl);
  const best = flows.find((f) => f.tipo === 'clientCredentials') ?? flows[0];
  return best ? { tokenUrl: best.tokenUrl, grantType: best.grantType } : undefined;
}
