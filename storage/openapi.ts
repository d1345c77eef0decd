/**
 * The OpenApiReader adapter: JSON or YAML (the `yaml` package, aliases bounded), validated by
 * @apidevtools/swagger-parser (Swagger 2.0, OpenAPI 3.0 and 3.1) with external resolution off; a
 * document with any external $ref is refused before the parser sees it, so nothing is ever fetched.
 * The parser's reasons are said in Spanish.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import type { OpenApiDocument, OpenApiError, OpenApiOperation, OpenApiReader } from '../domain/ports.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Especificacion } from '../domain/servicios-web.js';
import { OPENAPI_MAX_BYTES } from '../domain/catalogo.js';

export { OPENAPI_MAX_BYTES };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function decode(bytes: Uint8Array): Result<{ doc: Record<string, Json>; formato: 'json' | 'yaml' }, OpenApiError> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return err({ code: 'OPENAPI.FORMATO' });
  }
  const formato = /^\s*[{[]/.test(text) ? 'json' : 'yaml';
  let doc: unknown;
  try {
    doc = formato === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 50, prettyErrors: false });
  } catch {
    return err({ code: 'OPENAPI.FORMATO' });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return err({ code: 'OPENAPI.FORMATO' });
  return ok({ doc: doc as Record<string, Json>, formato });
}

/** Deeper than this, a document is refused: nothing real nests so far, and walking it must stay bounded. */
const MAX_DEPTH = 200;
/** The largest size a document may reach once its internal $refs are expanded (nodes): the parser's validation expands them. */
const MAX_EXPANDED_NODES = 200_000;

/** The first $ref that does not point inside the document ('…' when the document nests too deep to check). */
function externalRef(value: Json, depth = 0): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = externalRef(v, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) return v;
    const found = externalRef(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The value a local JSON pointer ("#/components/schemas/X") designates, if any. */
function resolvePointer(doc: Json, ref: string): Json | undefined {
  let node: Json | undefined = doc;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[key];
  }
  return node;
}

/**
 * How many nodes the document has once every internal $ref is expanded (what the parser's validation
 * walks), counted with memoization and stopped at `cap`: a few KB of refs to refs can expand to billions.
 */
function expandedSize(doc: Json, cap: number): number {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const size = (node: Json): number => {
    if (node === null || typeof node !== 'object') return 1;
    const ref = !Array.isArray(node) && typeof node['$ref'] === 'string' ? (node['$ref'] as string) : undefined;
    if (ref !== undefined) {
      const known = memo.get(ref);
      if (known !== undefined) return known;
      if (visiting.has(ref)) return 1; // a recursive schema: the parser keeps it as a cycle
      visiting.add(ref);
      const target = resolvePointer(doc, ref);
      const n = target === undefined ? 1 : Math.min(cap, size(target));
      visiting.delete(ref);
      memo.set(ref, n);
      return n;
    }
    let total = 1;
    for (const v of Array.isArray(node) ? node : Object.values(node)) {
      total += size(v);
      if (total >= cap) return cap;
    }
    return total;
  };
  return size(doc);
}

/** Checks the parser leaves to Swagger 2.0 documents, done for every version: unique operationIds, path parameters declared. */
function specChecks(doc: Record<string, Json>): string | undefined {
  const paths = doc['paths'];
  if (!paths || typeof paths !== 'object' || Array.isArray(paths)) return undefined;
  const ids = new Set<string>();
  for (const [ruta, item] of Object.entries(paths)) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const declared = (params: Json | undefined) =>
      (Array.isArray(params) ? params : [])
        .map((p) => (p && typeof p === 'object' && !Array.isArray(p) && typeof p['$ref'] === 'string' ? resolvePointer(doc, p['$ref'] as string) : p))
        .filter((p): p is { [k: string]: Json } => !!p && typeof p === 'object' && !Array.isArray(p) && p['in'] === 'path')
        .map((p) => String(p['name']));
    const placeholders = [...ruta.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const m of METHODS) {
      const op = item[m];
      if (!op || typeof op !== 'object' || Array.isArray(op)) continue;
      const id = op['operationId'];
      if (typeof id === 'string') {
        if (ids.has(id)) return `el operationId «${id}» está repetido`;
        ids.add(id);
      }
      const names = new Set([...declared(item['parameters']), ...declared(op['parameters'])]);
      const missing = placeholders.find((p) => !names.has(p));
      if (missing) return `la ruta ${ruta} usa el parámetro {${missing}} y la operación ${m.toUpperCase()} no lo declara (in: path)`;
      const extra = [...names].find((n) => !placeholders.includes(n));
      if (extra) return `la operación ${m.toUpperCase()} ${ruta} declara el parámetro de ruta «${extra}», que la ruta no tiene`;
    }
  }
  return undefined;
}

function especificacionOf(doc: Record<string, Json>): Especificacion | undefined {
  if (doc['swagger'] === '2.0') return 'swagger-2.0';
  const v = typeof doc['openapi'] === 'string' ? doc['openapi'] : '';
  if (/^3\.0\.\d+$/.test(v)) return 'openapi-3.0';
  if (/^3\.1\.\d+$/.test(v)) return 'openapi-3.1';
  return undefined;
}

/** The parser's (English) reason, said in Spanish; unknown wordings keep the technical detail. */
export function reasonInSpanish(message: string): string {
  const first = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const lines: string[] = [];
  for (const line of first.slice(0, 4)) {
    let m: RegExpExecArray | null;
    if ((m = /Missing \$ref pointer "([^"]+)"/.exec(line))) lines.push(`la referencia «${m[1]}» no existe en el documento`);
    else if ((m = /^(#\S*) must have required property '([^']+)'/.exec(line))) lines.push(`en ${m[1]} falta la propiedad obligatoria «${m[2]}»`);
    else if ((m = /^(#\S*) must NOT have additional properties/.exec(line))) lines.push(`en ${m[1]} hay propiedades que la especificación no permite`);
    else if ((m = /^(#\S*) must be equal to one of the allowed values/.exec(line))) lines.push(`en ${m[1]} hay un valor que la especificación no permite`);
    else if ((m = /^(#\S*) must be (\w+)/.exec(line))) lines.push(`en ${m[1]} el valor debe ser de tipo ${m[2]}`);
    else if ((m = /^(#\S*) must match pattern "([^"]+)"/.exec(line))) lines.push(`en ${m[1]} el valor no tiene la forma esperada (${m[2]})`);
    else if (/Validation failed\. Duplicate operation id '([^']+)'/.test(line)) lines.push(`el operationId «${/'([^']+)'/.exec(line)![1]}» está repetido`);
    else if (/Validation failed\.\s*(.+) has duplicate parameters/.test(line)) lines.push('una operación repite un parámetro');
    else if ((m = /Found multiple (\w+) parameters named "([^"]+)"/.exec(line))) lines.push(`el parámetro «${m[2]}» (in: ${m[1]}) está repetido`);
    else if ((m = /^(#\S*) must NOT have duplicate items/.exec(line))) lines.push(`en ${m[1]} hay elementos repetidos`);
    else if ((m = /Validation failed\. (\S+) has a path parameter named "([^"]+)", but there is no corresponding/.exec(line))) lines.push(`en ${m[1]} el parámetro de ruta «${m[2]}» no aparece en la ruta`);
    else if ((m = /Validation failed\. (\S+) is missing path parameter\(s\) for (\S+)/.exec(line))) lines.push(`en ${m[1]} falta declarar el parámetro de ruta ${m[2]}`);
    else if ((m = /Validation failed\. (\S+) has multiple path placeholders named (\S+)/.exec(line))) lines.push(`en ${m[1]} la ruta repite ${m[2]}`);
    else if (/path parameter/i.test(line)) lines.push('los parámetros de ruta no coinciden con la ruta');
    else if ((m = /^Unsupported OpenAPI version: (\S+?)\.\s.*only supports versions (.+)$/.exec(line))) lines.push(`la versión «openapi: ${m[1]}» no está soportada (se aceptan ${m[2]})`);
    else if (/^API version number must be a string/.test(line)) lines.push('la versión del API («info.version») debe ser texto, entre comillas (p. ej. "1.0.0"), no un número');
    else if (/is not a valid (Openapi|Swagger) API definition/i.test(line) || /schema validation failed\.?$/i.test(line)) continue;
    else if (/^Token "([^"]+)" does not exist/.test(line)) continue;
    else lines.push(`detalle técnico: ${line.slice(0, 200)}`);
  }
  return lines.length ? lines.join('; ') : 'no cumple el esquema de la especificación OpenAPI';
}

function operationsOf(doc: Record<string, Json>): OpenApiOperation[] {
  const paths = doc['paths'];
  if (!paths || typeof paths !== 'object' || Array.isArray(paths)) return [];
  const ops: OpenApiOperation[] = [];
  for (const [ruta, item] of Object.entries(paths)) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (!op || typeof op !== 'object' || Array.isArray(op)) continue;
      const text = (k: string) => (typeof op[k] === 'string' ? { [k]: op[k] as string } : {});
      ops.push({
        metodo: m.toUpperCase(),
        ruta,
        ...(typeof op['operationId'] === 'string' ? { operationId: op['operationId'] } : {}),
        ...(text('summary').summary ? { resumen: op['summary'] as string } : {}),
        ...(text('description').description ? { descripcion: op['description'] as string } : {}),
      });
    }
  }
  return ops;
}

export function openApiReader(): OpenApiReader {
  return {
    async read(bytes) {
      if (bytes.byteLength > OPENAPI_MAX_BYTES) return err({ code: 'OPENAPI.MUY_GRANDE', maxKb: OPENAPI_MAX_BYTES / 1024 });
      const decoded = decode(bytes);
      if (!decoded.ok) return decoded;
      const { doc, formato } = decoded.value;
      const ref = externalRef(doc);
      if (ref === '…') return err({ code: 'OPENAPI.INVALIDO', motivo: `está anidado a más de ${MAX_DEPTH} niveles` });
      if (ref !== undefined) return err({ code: 'OPENAPI.REF_EXTERNA', ref: ref.slice(0, 120) });
      // Refs to refs can expand exponentially: the parser would block the process for hours.
      if (expandedSize(doc, MAX_EXPANDED_NODES) >= MAX_EXPANDED_NODES) {
        return err({ code: 'OPENAPI.INVALIDO', motivo: 'es demasiado complejo: sus referencias internas ($ref) se expanden a un tamaño que no se puede validar' });
      }
      const especificacion = especificacionOf(doc);
      if (!especificacion) {
        const stated = doc['openapi'] ?? doc['swagger'];
        const motivo =
          stated === undefined
            ? 'no dice su versión: debe tener «openapi: 3.0.x» o «3.1.x» (o «swagger: "2.0"»)'
            : `la versión «${String(stated).slice(0, 20)}» no es compatible: se aceptan OpenAPI 3.0.x y 3.1.x (y Swagger 2.0)`;
        return err({ code: 'OPENAPI.INVALIDO', motivo });
      }
      if (!doc['paths'] || typeof doc['paths'] !== 'object') {
        return err({ code: 'OPENAPI.INVALIDO', motivo: 'no tiene «paths»: el documento debe describir al menos una operación' });
      }
      try {
        // The parser changes what it is given; it gets a copy. External resolution off: nothing is read or fetched.
        await SwaggerParser.validate(structuredClone(doc) as never, { resolve: { external: false } } as never);
      } catch (e) {
        return err({ code: 'OPENAPI.INVALIDO', motivo: reasonInSpanish(e instanceof Error ? e.message : String(e)) });
      }
      const checked = specChecks(doc);
      if (checked) return err({ code: 'OPENAPI.INVALIDO', motivo: checked });
      const operaciones = operationsOf(doc);
      if (operaciones.length === 0) return err({ code: 'OPENAPI.INVALIDO', motivo: 'no tiene ninguna operación GET, POST, PUT, PATCH o DELETE' });
      const info = (doc['info'] ?? {}) as Record<string, Json>;
      const result: OpenApiDocument = {
        especificacion,
        formato,
        titulo: typeof info['title'] === 'string' ? info['title'] : '',
        version: typeof info['version'] === 'string' ? info['version'] : String(info['version'] ?? ''),
        ...(typeof info['description'] === 'string' ? { descripcion: info['description'] } : {}),
        operaciones,
        json: JSON.stringify(doc),
      };
      return ok(result);
    },
  };
}
