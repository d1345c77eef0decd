/**
 * The operation summary (domain/openapi-resumen.ts): the shipped example documents, read through the
 * OpenApiReader as they are stored, compared with what a plain walk of their own YAML/JSON says; then
 * Swagger 2.0 and OpenAPI 3.0/3.1 fixtures for the edge cases.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { openApiReader } from '../storage/openapi.js';
import { EXAMPLE_SERVICES_DIR } from '../storage/reference/servicios.js';
import { MAX_CAMPOS, MAX_EJEMPLO, MAX_PROFUNDIDAD, summarizeOperation, tokenEndpoint, type OperacionResumen } from './openapi-resumen.js';
import type { HttpMethod } from './servicios-web.js';

type Raw = Record<string, any>;

const SHIPPED = [
  { file: 'consulta-afiliacion.json', id: 'ConsultaAfiliacion', metodo: 'GET', ruta: '/afiliaciones/{tipoDocumento}/{numeroDocumento}', scope: 'sat.afiliaciones.lectura' },
  { file: 'consulta-beneficiarios.yaml', id: 'ConsultaBeneficiarios', metodo: 'GET', ruta: '/afiliados/{tipoDocumento}/{numeroDocumento}/beneficiarios', scope: 'sat.afiliaciones.lectura' },
  { file: 'consulta-subsidio-cuota-monetaria.yaml', id: 'ConsultaSubsidioCuotaMonetaria', metodo: 'GET', ruta: '/subsidios/cuota-monetaria/{tipoDocumento}/{numeroDocumento}', scope: 'sat.afiliaciones.lectura' },
  { file: 'reporte-novedad.json', id: 'ReporteNovedad', metodo: 'POST', ruta: '/afiliaciones/novedades', scope: 'sat.afiliaciones.escritura' },
  { file: 'retiro-afiliado.yaml', id: 'RetiroAfiliado', metodo: 'POST', ruta: '/afiliaciones/retiros', scope: 'sat.afiliaciones.escritura' },
  { file: 'solicitud-afiliacion.yaml', id: 'SolicitudAfiliacion', metodo: 'POST', ruta: '/afiliaciones/solicitudes', scope: 'sat.afiliaciones.escritura' },
] as const;

const TOKEN_URL = 'https://auth.sat.example/oauth2/token';

/** The document as stored: through the reader, as the catalog keeps it. */
async function stored(file: string): Promise<string> {
  const r = await openApiReader().read(new Uint8Array(readFileSync(join(EXAMPLE_SERVICES_DIR, file))));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.error)}`);
  return r.value.json;
}
const rawOf = (file: string): Raw => parseYaml(readFileSync(join(EXAMPLE_SERVICES_DIR, file), 'utf8')) as Raw;

// ---------------------------------------------------------------- an independent, naive walk of a document (no cycles in the shipped ones)

function resolve(doc: Raw, node: Raw): Raw {
  while (node && typeof node.$ref === 'string') node = node.$ref.slice(2).split('/').reduce((n: Raw, k: string) => n[k], doc);
  return node;
}
function merged(doc: Raw, node: Raw): Raw {
  const s = resolve(doc, node);
  if (!s.allOf) return s;
  const parts = s.allOf.map((p: Raw) => merged(doc, p));
  return {
    ...s,
    properties: Object.assign({}, ...parts.map((p: Raw) => p.properties ?? {}), s.properties ?? {}),
    required: [...(s.required ?? []), ...parts.flatMap((p: Raw) => p.required ?? [])],
  };
}
/** Every field path of a schema and whether its object lists it as required. */
function fieldsOf(doc: Raw, node: Raw, prefix = ''): { nombre: string; requerido: boolean }[] {
  const s = merged(doc, node);
  if (s.type === 'array') return fieldsOf(doc, s.items, `${prefix.replace(/\.$/, '')}[].`);
  return Object.entries((s.properties ?? {}) as Raw).flatMap(([name, p]) => [
    { nombre: `${prefix}${name}`, requerido: (s.required ?? []).includes(name) },
    ...fieldsOf(doc, p, `${prefix}${name}.`),
  ]);
}

const summary = (doc: unknown, metodo: HttpMethod = 'POST', ruta = '/x'): OperacionResumen => {
  const r = summarizeOperation(typeof doc === 'string' ? doc : JSON.stringify(doc), metodo, ruta);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const field = (r: OperacionResumen, nombre: string) => r.cuerpo?.campos.find((f) => f.nombre === nombre);

// ---------------------------------------------------------------- the shipped documents

describe.each(SHIPPED)('the shipped document $file', ({ file, id, metodo, ruta, scope }) => {
  const raw = rawOf(file);
  const op = raw.paths[ruta][metodo.toLowerCase()];

  it('names its method, path, operationId and server', async () => {
    const r = summary(await stored(file), metodo, ruta);
    expect(r).toMatchObject({ metodo, ruta, operationId: id, resumen: op.summary });
    expect(r.servidores).toEqual(['https://api.sat.example/v1']);
  });

  it('lists every parameter with its location and whether it is required', async () => {
    const r = summary(await stored(file), metodo, ruta);
    const expected = [...(raw.paths[ruta].parameters ?? []), ...(op.parameters ?? [])]
      .map((p: Raw) => resolve(raw, p))
      .map((p: Raw) => ({ nombre: p.name, en: p.in, requerido: p.required === true }));
    expect(expected.length).toBeGreaterThan(0);
    expect(r.parametros.map(({ nombre, en, requerido }) => ({ nombre, en, requerido }))).toEqual(expected);
    expect(r.parametros.find((p) => p.nombre === 'X-Id-Correlacion')?.tipo).toBe('string (uuid)');
  });

  it('lists the body fields as the document requires them, and its own example', async () => {
    const r = summary(await stored(file), metodo, ruta);
    if (!op.requestBody) {
      expect(r.cuerpo).toBeUndefined();
      return;
    }
    const media = op.requestBody.content['application/json'];
    const expected = fieldsOf(raw, media.schema);
    expect(expected.filter((f) => f.requerido).length).toBeGreaterThan(3);
    expect(r.cuerpo).toMatchObject({ contentType: 'application/json', requerido: true });
    expect(r.cuerpo!.campos.map(({ nombre, requerido }) => ({ nombre, requerido }))).toEqual(expected);
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toEqual(media.example);
  });

  it('lists every response code with its description (refs followed)', async () => {
    const r = summary(await stored(file), metodo, ruta);
    expect(r.respuestas.map((x) => x.codigo)).toEqual(Object.keys(op.responses).sort());
    for (const x of r.respuestas) expect(x.descripcion).toBe(resolve(raw, op.responses[x.codigo]).description);
  });

  it('says OAuth 2.0 client credentials with the token URL and the scope of the operation', async () => {
    const r = summary(await stored(file), metodo, ruta);
    expect(r.seguridad).toEqual([
      { nombre: 'oauth2Sat', tipo: 'oauth2', flujos: [{ tipo: 'clientCredentials', grantType: 'client_credentials', tokenUrl: TOKEN_URL, scopes: [scope] }] },
    ]);
    expect(tokenEndpoint(r)).toEqual({ tokenUrl: TOKEN_URL, grantType: 'client_credentials' });
  });
});

it('types the shipped fields shortly: formats, enums, 3.0 nullable and 3.1 type arrays', async () => {
  const sa = summary(await stored('solicitud-afiliacion.yaml'), 'POST', '/afiliaciones/solicitudes');
  expect(field(sa, 'trabajador.fechaNacimiento')?.tipo).toBe('string (date)');
  expect(field(sa, 'trabajador.segundoNombre')?.tipo).toBe('string | null');
  expect(field(sa, 'trabajador.sexo')?.valores).toEqual(['F', 'M']);
  expect(field(sa, 'trabajador')).toMatchObject({ tipo: 'object', requerido: true, descripcion: 'Datos básicos del trabajador, como figuran en su documento.' });
  expect(field(sa, 'empleador.razonSocial')).toMatchObject({ tipo: 'string', requerido: false }); // from the allOf
  const rn = summary(await stored('reporte-novedad.json'), 'POST', '/afiliaciones/novedades');
  expect(field(rn, 'nuevoSalario')?.tipo).toBe('integer | null');
});

// ---------------------------------------------------------------- fixtures

const v30 = (paths: unknown, more: Raw = {}) => ({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths, ...more });
const v31 = (paths: unknown, more: Raw = {}) => ({ openapi: '3.1.0', info: { title: 'T', version: '1' }, paths, ...more });
const post = (schema: unknown, media: Raw = {}) => ({ '/x': { post: { requestBody: { required: true, content: { 'application/json': { schema, ...media } } }, responses: { '200': { description: 'ok' } } } } });

describe('Swagger 2.0', () => {
  const doc = {
    swagger: '2.0',
    info: { title: 'T', version: '1' },
    host: 'api.ccf.example',
    basePath: '/v2',
    schemes: ['https'],
    consumes: ['application/json'],
    securityDefinitions: {
      app: { type: 'oauth2', flow: 'application', tokenUrl: 'https://auth.ccf.example/token', scopes: { leer: 'Leer', escribir: 'Escribir' } },
      pwd: { type: 'oauth2', flow: 'password', tokenUrl: 'https://auth.ccf.example/pwd', scopes: {} },
      code: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://auth.ccf.example/auth', tokenUrl: 'https://auth.ccf.example/code', scopes: {} },
      imp: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://auth.ccf.example/auth', scopes: {} },
      clave: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      basica: { type: 'basic' },
    },
    security: [{ app: [] }],
    parameters: { Traza: { name: 'X-Traza', in: 'header', type: 'string', format: 'uuid' } },
    definitions: {
      Persona: { type: 'object', required: ['documento'], properties: { documento: { type: 'string' }, edad: { type: 'integer', format: 'int32', minimum: 15 }, hijos: { type: 'array', items: { $ref: '#/definitions/Hijo' } } } },
      Hijo: { type: 'object', required: ['nombre'], properties: { nombre: { type: 'string' } } },
    },
    paths: {
      '/personas/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, type: 'integer' }, { name: 'orden', in: 'query', type: 'string', enum: ['asc', 'desc'] }],
        put: {
          operationId: 'ActualizarPersona',
          parameters: [
            { name: 'orden', in: 'query', type: 'string', required: true, description: 'La de la operación' },
            { $ref: '#/parameters/Traza' },
            { name: 'cuerpo', in: 'body', required: true, schema: { $ref: '#/definitions/Persona' } },
          ],
          responses: { '200': { description: 'Actualizada' }, default: { description: 'Error' } },
        },
        post: {
          consumes: ['multipart/form-data'],
          security: [{ pwd: [] }, { code: [] }, { imp: [] }, { clave: [] }, { basica: [] }],
          parameters: [
            { name: 'archivo', in: 'formData', type: 'file', required: true },
            { name: 'nota', in: 'formData', type: 'string' },
          ],
          responses: { '201': { description: 'Creado' } },
        },
      },
    },
  };

  it('reads the body parameter, its definitions, the server and the application flow', () => {
    const r = summary(doc, 'PUT', '/personas/{id}');
    expect(r.servidores).toEqual(['https://api.ccf.example/v2']);
    expect(r.parametros.map((p) => [p.nombre, p.en, p.tipo, p.requerido])).toEqual([
      ['id', 'path', 'integer', true],
      ['orden', 'query', 'string', true],
      ['X-Traza', 'header', 'string (uuid)', false],
    ]);
    expect(r.parametros[1]!.descripcion).toBe('La de la operación');
    expect(r.cuerpo).toMatchObject({ contentType: 'application/json', requerido: true });
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.tipo, f.requerido])).toEqual([
      ['documento', 'string', true],
      ['edad', 'integer (int32)', false],
      ['hijos', 'array de object', false],
      ['hijos[].nombre', 'string', true],
    ]);
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toEqual({ documento: 'string', edad: 15, hijos: [{ nombre: 'string' }] });
    expect(r.respuestas).toEqual([{ codigo: '200', descripcion: 'Actualizada' }, { codigo: 'default', descripcion: 'Error' }]);
    expect(r.seguridad).toEqual([
      { nombre: 'app', tipo: 'oauth2', flujos: [{ tipo: 'clientCredentials', grantType: 'client_credentials', tokenUrl: 'https://auth.ccf.example/token', scopes: ['leer', 'escribir'] }] },
    ]);
  });

  it('reads form data and every kind of security definition', () => {
    const r = summary(doc, 'POST', '/personas/{id}');
    expect(r.cuerpo).toMatchObject({ contentType: 'multipart/form-data', requerido: true });
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.tipo, f.requerido])).toEqual([['archivo', 'file', true], ['nota', 'string', false]]);
    expect(r.parametros.map((p) => p.nombre)).toEqual(['id', 'orden']);
    expect(r.seguridad.map((s) => [s.nombre, s.tipo, s.esquema, s.en, s.flujos.map((f) => [f.grantType, f.tokenUrl])])).toEqual([
      ['pwd', 'oauth2', undefined, undefined, [['password', 'https://auth.ccf.example/pwd']]],
      ['code', 'oauth2', undefined, undefined, [['authorization_code', 'https://auth.ccf.example/code']]],
      ['imp', 'oauth2', undefined, undefined, [['implicit', undefined]]],
      ['clave', 'apiKey', undefined, 'header X-Api-Key', []],
      ['basica', 'http', 'basic', undefined, []],
    ]);
    // No client credentials here: the first flow with a token URL.
    expect(tokenEndpoint(r)).toEqual({ tokenUrl: 'https://auth.ccf.example/pwd', grantType: 'password' });
  });
});

describe('OpenAPI 3.1 types', () => {
  it('says nullable type arrays, formats, const and the first of `examples`', () => {
    const r = summary(
      v31(post({
        type: 'object',
        properties: {
          a: { type: ['string', 'null'] },
          b: { type: ['integer', 'null'], format: 'int32' },
          c: { const: 'FIJO' },
          d: { type: 'array', items: { type: 'string' } },
          e: { type: 'string', examples: ['primero', 'segundo'] },
          f: {},
        },
      })),
    );
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.tipo])).toEqual([
      ['a', 'string | null'],
      ['b', 'integer (int32) | null'],
      ['c', 'string'],
      ['d', 'array de string'],
      ['e', 'string'],
      ['f', 'any'],
    ]);
    expect(field(r, 'c')?.valores).toEqual(['FIJO']);
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toMatchObject({ a: 'string', b: 0, c: 'FIJO', d: ['string'], e: 'primero' });
  });

  it('says a 3.0 `nullable: true` as "| null"', () => {
    const r = summary(v30(post({ type: 'object', properties: { a: { type: 'string', format: 'date', nullable: true } } })));
    expect(field(r, 'a')?.tipo).toBe('string (date) | null');
  });
});

describe('composition', () => {
  const components = {
    schemas: {
      Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, creado: { type: 'string', format: 'date-time' } } },
      Natural: { type: 'object', required: ['cedula'], properties: { cedula: { type: 'string' }, direccion: { type: 'object', properties: { ciudad: { type: 'string' } } } } },
      Juridica: { type: 'object', required: ['nit'], properties: { nit: { type: 'string' } } },
      Nodo: { type: 'object', required: ['nombre'], properties: { nombre: { type: 'string' }, hijos: { type: 'array', items: { $ref: '#/components/schemas/Nodo' } }, padre: { $ref: '#/components/schemas/Nodo' } } },
      A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
      B: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
      'a/b~c': { type: 'object', required: ['raro'], properties: { raro: { type: 'boolean' } } },
    },
  };

  it('merges allOf: properties and required lists united', () => {
    const r = summary(v30(post({ allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['monto'], properties: { monto: { type: 'number' } } }] }), { components }));
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.requerido])).toEqual([['id', true], ['creado', false], ['monto', true]]);
    expect(r.cuerpo!.tipo).toBeUndefined();
  });

  it('says oneOf as "uno de" and lists the alternatives\' own fields once, optional, not deeper', () => {
    const r = summary(v30(post({ type: 'object', required: ['titular'], properties: { titular: { oneOf: [{ $ref: '#/components/schemas/Natural' }, { $ref: '#/components/schemas/Juridica' }] } } }), { components }));
    expect(field(r, 'titular')).toMatchObject({ tipo: 'uno de: Natural | Juridica', requerido: true });
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.requerido])).toEqual([
      ['titular', true],
      ['titular.cedula', false],
      ['titular.direccion', false],
      ['titular.nit', false],
    ]);
    const root = summary(v30(post({ anyOf: [{ $ref: '#/components/schemas/Natural' }, { $ref: '#/components/schemas/Juridica' }] }), { components }));
    expect(root.cuerpo!.tipo).toBe('uno de: Natural | Juridica');
    expect(JSON.parse(root.cuerpo!.ejemplo!)).toEqual({ cedula: 'string', direccion: { ciudad: 'string' } });
  });

  it('shows a recursive schema once and stops (self and mutual recursion)', () => {
    const r = summary(v30(post({ $ref: '#/components/schemas/Nodo' }), { components }));
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.tipo])).toEqual([['nombre', 'string'], ['hijos', 'array de object'], ['padre', 'object']]);
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toEqual({ nombre: 'string', hijos: [] });
    const m = summary(v30(post({ $ref: '#/components/schemas/A' }), { components }));
    expect(m.cuerpo!.campos.map((f) => f.nombre)).toEqual(['b', 'b.a']);
  });

  it('resolves JSON pointer escapes (~1 for "/", ~0 for "~")', () => {
    const r = summary(v30(post({ $ref: '#/components/schemas/a~1b~0c' }), { components }));
    expect(r.cuerpo!.campos).toEqual([{ nombre: 'raro', tipo: 'boolean', requerido: true }]);
  });

  it('a $ref chain that loops, or points nowhere, is skipped, not followed forever', () => {
    const r = summary(v30(post({ type: 'object', properties: { ok: { type: 'string' }, loop: { $ref: '#/components/schemas/L1' }, nada: { $ref: '#/components/schemas/Nada' } } }), {
      components: { schemas: { L1: { $ref: '#/components/schemas/L2' }, L2: { $ref: '#/components/schemas/L1' } } },
    }));
    expect(r.cuerpo!.campos.map((f) => f.nombre)).toEqual(['ok']);
  });
});

describe('limits', () => {
  it(`lists fields at most ${MAX_PROFUNDIDAD} levels deep`, () => {
    let schema: Raw = { type: 'string' };
    for (let i = 8; i >= 1; i--) schema = { type: 'object', required: [`n${i}`], properties: { [`n${i}`]: schema } };
    const r = summary(v30(post(schema)));
    expect(r.cuerpo!.campos.map((f) => f.nombre.split('.').length)).toEqual([1, 2, 3, 4, 5]);
  });

  it(`caps the fields at ${MAX_CAMPOS} without dropping a required one or its parent`, () => {
    const properties: Raw = {};
    for (let i = 0; i < 150; i++) properties[`opcional${i}`] = { type: 'string' };
    properties['datos'] = { type: 'object', properties: { profundo: { type: 'object', required: ['clave'], properties: { clave: { type: 'string' } } } } };
    properties['ultimo'] = { type: 'string' };
    const r = summary(v30(post({ type: 'object', required: ['ultimo'], properties })));
    const names = r.cuerpo!.campos.map((f) => f.nombre);
    expect(names).toHaveLength(MAX_CAMPOS);
    expect(names).toEqual(expect.arrayContaining(['ultimo', 'datos.profundo.clave', 'datos.profundo', 'datos']));
    expect(r.cuerpo!.omitidos).toBe(150 + 4 - MAX_CAMPOS);
  });

  it(`cuts a long example at about ${MAX_EJEMPLO} characters with "…"`, () => {
    const big = { lista: Array.from({ length: 500 }, (_, i) => ({ indice: i, texto: 'x'.repeat(20) })) };
    const r = summary(v30(post({ type: 'object' }, { example: big })));
    expect(r.cuerpo!.ejemplo!.length).toBeLessThanOrEqual(MAX_EJEMPLO);
    expect(r.cuerpo!.ejemplo!.endsWith('…')).toBe(true);
  });
});

describe('errors and odd input', () => {
  it('an operation the document does not have', () => {
    const doc = JSON.stringify(v30(post({ type: 'object' })));
    expect(summarizeOperation(doc, 'GET', '/x')).toEqual({ ok: false, error: { code: 'OPENAPI.OPERACION_NO_EXISTE' } });
    expect(summarizeOperation(doc, 'POST', '/y')).toEqual({ ok: false, error: { code: 'OPENAPI.OPERACION_NO_EXISTE' } });
    expect(summarizeOperation(doc, 'POST', 'constructor')).toEqual({ ok: false, error: { code: 'OPENAPI.OPERACION_NO_EXISTE' } });
  });

  it.each(['{"openapi": ', 'no es JSON', '[1, 2]', 'null', '"texto"'])('JSON that is not a document (%s)', (text) => {
    expect(summarizeOperation(text, 'GET', '/x')).toEqual({ ok: false, error: { code: 'OPENAPI.FORMATO' } });
  });

  it('never throws on random documents', () => {
    const json = fc.jsonValue({ maxDepth: 6 });
    const schema = fc.oneof(json, fc.record({ $ref: fc.constantFrom('#/components/schemas/S', '#/x', '#', 'nada', '#/components/schemas/S/properties') }));
    const doc = fc.record({
      openapi: fc.constantFrom('3.0.3', '3.1.0', 4),
      swagger: fc.constantFrom('2.0', undefined),
      paths: fc.record({ '/x': fc.record({ parameters: json, post: fc.record({ parameters: json, requestBody: fc.oneof(json, fc.record({ content: fc.record({ 'application/json': fc.record({ schema, example: json }) }) })), responses: json, security: json }) }) }),
      components: fc.record({ schemas: fc.record({ S: fc.oneof(schema, fc.record({ allOf: fc.array(schema), properties: fc.dictionary(fc.string(), schema), items: schema })) }), securitySchemes: json }),
      securityDefinitions: json,
      definitions: json,
    });
    fc.assert(
      fc.property(doc, (d) => {
        const r = summarizeOperation(JSON.stringify(d), 'POST', '/x');
        expect(r.ok).toBe(true);
        if (r.ok) JSON.stringify(r.value);
      }),
      { numRuns: 300 },
    );
  });

  it('names like "constructor" or "toString" are just names', () => {
    const r = summary(v30(post({ type: 'object', required: ['constructor'], properties: { constructor: { type: 'string', format: 'constructor' }, toString: { $ref: '#/components/schemas/toString' } } })));
    expect(r.cuerpo!.campos.map((f) => [f.nombre, f.tipo, f.requerido])).toEqual([['constructor', 'string (constructor)', true]]);
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toEqual({ constructor: 'string' });
    // JSON.parse keeps "__proto__" as a plain key; so does the summary (a field, an example property, an allOf part).
    const proto = summary(`{"openapi":"3.0.3","paths":{"/x":{"post":{"requestBody":{"content":{"application/json":{"schema":{"allOf":[{"type":"object","properties":{"__proto__":{"type":"integer"}}}]}}}}}}}}`);
    expect(proto.cuerpo!.campos).toEqual([{ nombre: '__proto__', tipo: 'integer', requerido: false }]);
    expect(proto.cuerpo!.ejemplo).toBe('{\n  "__proto__": 0\n}');
  });
});

describe('parameters', () => {
  it('merges path-level and operation parameters: the operation wins by name and location', () => {
    const r = summary(
      v30(
        {
          '/x/{id}': {
            parameters: [
              { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Del path' },
              { name: 'id', in: 'query', schema: { type: 'integer' } },
              { $ref: '#/components/parameters/Pagina' },
            ],
            get: {
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'De la operación' }, { name: 'sesion', in: 'cookie', content: { 'application/json': { schema: { type: 'object' } } } }],
              responses: { '204': { description: 'Sin contenido' } },
            },
          },
        },
        { components: { parameters: { Pagina: { name: 'pagina', in: 'query', schema: { type: 'integer', minimum: 1, enum: [1, 2, 3] } } } } },
      ),
      'GET',
      '/x/{id}',
    );
    expect(r.parametros).toEqual([
      { nombre: 'id', en: 'path', tipo: 'string (uuid)', requerido: true, descripcion: 'De la operación' },
      { nombre: 'id', en: 'query', tipo: 'integer', requerido: false },
      { nombre: 'pagina', en: 'query', tipo: 'integer', requerido: false, valores: ['1', '2', '3'] },
      { nombre: 'sesion', en: 'cookie', tipo: 'object', requerido: false },
    ]);
    expect(r.cuerpo).toBeUndefined();
  });
});

describe('security', () => {
  const schemes = {
    securitySchemes: {
      cc: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://a.example/auth', tokenUrl: 'https://a.example/code', scopes: { x: 'X' } }, clientCredentials: { tokenUrl: 'https://a.example/token', scopes: { x: 'X', y: 'Y' } } } },
      bearer: { type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' },
      oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://a.example/.well-known/openid-configuration' },
      mtls: { type: 'mutualTLS' },
    },
  };
  const doc = (security: unknown) =>
    v31({ '/x': { get: { ...(security === undefined ? {} : { security }), responses: { '200': { description: 'ok' } } } } }, { components: schemes, security: [{ cc: [] }] });

  it('an empty operation `security` means none, even when the document has one', () => {
    expect(summary(doc([]), 'GET').seguridad).toEqual([]);
    expect(tokenEndpoint(summary(doc([]), 'GET'))).toBeUndefined();
  });

  it('without its own, the operation takes the document\'s (every flow, its declared scopes); client credentials preferred', () => {
    const r = summary(doc(undefined), 'GET');
    expect(r.seguridad[0]!.flujos.map((f) => [f.tipo, f.scopes])).toEqual([['authorizationCode', ['x']], ['clientCredentials', ['x', 'y']]]);
    expect(tokenEndpoint(r)).toEqual({ tokenUrl: 'https://a.example/token', grantType: 'client_credentials' });
  });

  it('http, openIdConnect and mutualTLS schemes; an undeclared scheme is skipped', () => {
    const r = summary(doc([{ bearer: [], oidc: ['openid'] }, { mtls: [] }, { fantasma: [] }]), 'GET');
    expect(r.seguridad).toEqual([
      { nombre: 'bearer', tipo: 'http', esquema: 'bearer', flujos: [] },
      { nombre: 'oidc', tipo: 'openIdConnect', url: 'https://a.example/.well-known/openid-configuration', flujos: [] },
      { nombre: 'mtls', tipo: 'mutualTLS', flujos: [] },
    ]);
  });
});

describe('the example', () => {
  const schema = { type: 'object', example: { de: 'schema.example' }, examples: [{ de: 'schema.examples' }], properties: { de: { type: 'string' } } };
  const cases: [string, Raw, Raw, unknown][] = [
    ['the media type\'s example', { example: { de: 'media.example' }, examples: { uno: { value: { de: 'media.examples' } } } }, schema, { de: 'media.example' }],
    ['else the first of the media type\'s examples (refs followed)', { examples: { uno: { $ref: '#/components/examples/Uno' }, dos: { value: { de: 'dos' } } } }, schema, { de: 'components.examples' }],
    ['else the schema\'s example', {}, schema, { de: 'schema.example' }],
    ['else the first of the schema\'s examples', {}, { ...schema, example: undefined }, { de: 'schema.examples' }],
    ['else one built from the schema', {}, { type: 'object', properties: { de: { type: 'string', default: 'por omisión' } } }, { de: 'por omisión' }],
  ];
  it.each(cases)('%s', (_, media, s, expected) => {
    const r = summary(v30(post(JSON.parse(JSON.stringify(s)), media), { components: { examples: { Uno: { value: { de: 'components.examples' } } } } }));
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toEqual(expected);
    expect(r.cuerpo!.ejemplo).toBe(JSON.stringify(expected, null, 2));
  });

  it('a built example is valid JSON with plausible values for every kind of field', () => {
    const r = summary(
      v30(post({
        type: 'object',
        properties: {
          tipo: { type: 'string', enum: ['CC', 'CE'] },
          fecha: { type: 'string', format: 'date' },
          momento: { type: 'string', format: 'date-time' },
          correo: { type: 'string', format: 'email' },
          id: { type: 'string', format: 'uuid' },
          edad: { type: 'integer', minimum: 15 },
          monto: { type: 'number' },
          activo: { type: 'boolean' },
          lista: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
          solo: { type: 'string', readOnly: true },
        },
      })),
    );
    expect(JSON.parse(r.cuerpo!.ejemplo!)).toEqual({
      tipo: 'CC',
      fecha: '2026-01-31',
      momento: '2026-01-31T10:00:00-05:00',
      correo: 'persona@ejemplo.com',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      edad: 15,
      monto: 0,
      activo: false,
      lista: [{ n: 0 }],
    });
    expect(r.cuerpo!.campos.map((f) => f.nombre)).not.toContain('solo');
  });

  it('prefers application/json, then a "+json" type, then the first', () => {
    const body = (content: Raw) => summary(v30({ '/x': { post: { requestBody: { content }, responses: {} } } })).cuerpo;
    const s = { schema: { type: 'object', properties: { a: { type: 'string' } } } };
    expect(body({ 'application/xml': s, 'application/json; charset=utf-8': s })?.contentType).toBe('application/json; charset=utf-8');
    expect(body({ 'application/xml': s, 'application/problem+json': s })?.contentType).toBe('application/problem+json');
    const xml = body({ 'application/xml': s });
    expect(xml).toMatchObject({ contentType: 'application/xml', requerido: false, campos: [{ nombre: 'a' }] });
    expect(xml?.ejemplo).toBeUndefined(); // a JSON example would misdescribe an XML body
  });

  it('servers: the operation\'s first, their variables at their default', () => {
    const r = summary(
      v30({ '/x': { servers: [{ url: 'https://ruta.example' }], get: { servers: [{ url: 'https://{entorno}.sat.example/{v}', variables: { entorno: { default: 'api', enum: ['api', 'pruebas'] }, v: { default: 'v1' } } }], responses: {} } } }, { servers: [{ url: 'https://raiz.example' }] }),
      'GET',
    );
    expect(r.servidores).toEqual(['https://api.sat.example/v1']);
  });
});
