/**
 * The OpenApiReader adapter (storage/openapi.ts): the shipped example services validate; good Swagger
 * 2.0, OpenAPI 3.0 and 3.1 documents are read with their operations; bad ones are refused with a reason
 * in Spanish; external $refs are refused and never fetched; size, encoding and alias bombs are refused
 * before the parser runs.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { OpenApiDocument, OpenApiError } from '../domain/ports.js';
import type { Result } from '../domain/result.js';
import { OPENAPI_MAX_BYTES, openApiReader, reasonInSpanish } from './openapi.js';
import { EXAMPLE_SERVICES, EXAMPLE_SERVICES_DIR } from './reference/servicios.js';

const reader = openApiReader();
const utf8 = (text: string) => new TextEncoder().encode(text);
const json = (doc: unknown) => utf8(JSON.stringify(doc));
const read = (doc: unknown) => reader.read(typeof doc === 'string' ? utf8(doc) : doc instanceof Uint8Array ? doc : json(doc));

const AVISO = 'Ejemplo sintético — no es un servicio oficial del Ministerio de Salud.';

/** English the parser speaks; none of it may reach the administrator. */
const ENGLISH =
  /\b(must|required|property|properties|missing|does not exist|validation|failed|not a valid|should|allowed|unsupported|parameters?|duplicate|named|found|string|number|version number|corresponding|placeholders?)\b/i;

function refusedInSpanish(r: Result<OpenApiDocument, OpenApiError>): string {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.code).toBe('OPENAPI.INVALIDO');
  const motivo = (r.error as { motivo: string }).motivo;
  // The document's own words (quoted names, JSON pointers and paths) may be English; the sentence may not.
  const prose = motivo.replace(/«[^»]*»/g, '').replace(/[#/{]\S*/g, '');
  expect(prose).not.toMatch(ENGLISH);
  expect(motivo).not.toContain('detalle técnico');
  return motivo;
}

const codeOf = (r: Result<OpenApiDocument, OpenApiError>) => (r.ok ? 'ok' : r.error.code);
const R200 = { '200': { description: 'Correcto' } };
const v30 = (paths: unknown, more: Record<string, unknown> = {}) => ({ openapi: '3.0.3', info: { title: 'Prueba', version: '1.0.0' }, paths, ...more });
const v31 = (paths: unknown, more: Record<string, unknown> = {}) => ({ openapi: '3.1.0', info: { title: 'Prueba', version: '1.0.0' }, paths, ...more });
const sw2 = (paths: unknown, more: Record<string, unknown> = {}) => ({ swagger: '2.0', info: { title: 'Prueba', version: '1.0.0' }, paths, ...more });

// ------------------------------------------------------------------------------ shipped examples

const SHIPPED = [
  { file: 'consulta-afiliacion.json', operationId: 'ConsultaAfiliacion', metodo: 'GET', ruta: '/afiliaciones/{tipoDocumento}/{numeroDocumento}', especificacion: 'openapi-3.0', formato: 'json' },
  { file: 'consulta-beneficiarios.yaml', operationId: 'ConsultaBeneficiarios', metodo: 'GET', ruta: '/afiliados/{tipoDocumento}/{numeroDocumento}/beneficiarios', especificacion: 'openapi-3.1', formato: 'yaml' },
  { file: 'consulta-subsidio-cuota-monetaria.yaml', operationId: 'ConsultaSubsidioCuotaMonetaria', metodo: 'GET', ruta: '/subsidios/cuota-monetaria/{tipoDocumento}/{numeroDocumento}', especificacion: 'openapi-3.0', formato: 'yaml' },
  { file: 'reporte-novedad.json', operationId: 'ReporteNovedad', metodo: 'POST', ruta: '/afiliaciones/novedades', especificacion: 'openapi-3.0', formato: 'json' },
  { file: 'retiro-afiliado.yaml', operationId: 'RetiroAfiliado', metodo: 'POST', ruta: '/afiliaciones/retiros', especificacion: 'openapi-3.1', formato: 'yaml' },
  { file: 'solicitud-afiliacion.yaml', operationId: 'SolicitudAfiliacion', metodo: 'POST', ruta: '/afiliaciones/solicitudes', especificacion: 'openapi-3.1', formato: 'yaml' },
] as const;

type Raw = Record<string, any>;

describe('the shipped example services', () => {
  it('are the six SAT examples, sorted by operationId, with both OpenAPI 3.0 JSON and 3.1 YAML among them', () => {
    expect(EXAMPLE_SERVICES.map((s) => s.operationId)).toEqual(SHIPPED.map((s) => s.operationId));
    expect(SHIPPED.some((s) => s.especificacion === 'openapi-3.0' && s.formato === 'json')).toBe(true);
    expect(SHIPPED.some((s) => s.especificacion === 'openapi-3.1' && s.formato === 'yaml')).toBe(true);
  });

  it.each(SHIPPED)('$operationId ($file) validates and is what its file says', async (expected) => {
    const bytes = readFileSync(join(EXAMPLE_SERVICES_DIR, expected.file));
    expect(EXAMPLE_SERVICES.find((s) => s.operationId === expected.operationId)?.bytes).toEqual(new Uint8Array(bytes));
    const r = await reader.read(bytes);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const raw = parseYaml(bytes.toString('utf8')) as Raw;
    expect(r.value.especificacion).toBe(expected.especificacion);
    expect(r.value.especificacion).toBe(raw['openapi'].startsWith('3.1') ? 'openapi-3.1' : 'openapi-3.0');
    expect(r.value.formato).toBe(expected.formato);
    expect(r.value.version).toBe(raw['info'].version);
    expect(r.value.titulo).toBe(raw['info'].title);
    expect(JSON.parse(r.value.json)).toEqual(raw);
    // One operation: the service.
    expect(r.value.operaciones).toHaveLength(1);
    const [op] = r.value.operaciones;
    expect(op).toMatchObject({ metodo: expected.metodo, ruta: expected.ruta, operationId: expected.operationId });
    const rawOp = raw['paths'][expected.ruta][expected.metodo.toLowerCase()] as Raw;
    expect(op!.resumen).toBe(rawOp['summary']);
    expect(op!.resumen).toMatch(/^[A-ZÁÉÍÓÚÑ][a-záéíóúñ ]+/);
    expect(op!.descripcion).toBe(rawOp['description']);
    // Clearly marked as an example.
    expect(raw['x-ejemplo']).toBe(true);
    expect(r.value.descripcion?.startsWith(AVISO)).toBe(true);
    // Fictitious hosts on the reserved .example domain; OAuth 2.0 client credentials applied to the operation.
    expect(raw['servers']).toEqual([expect.objectContaining({ url: 'https://api.sat.example/v1' })]);
    const schemes = raw['components'].securitySchemes as Raw;
    const [[schemeName, scopes]] = rawOp['security'].map((s: Raw) => Object.entries(s)[0]);
    expect(schemes[schemeName].type).toBe('oauth2');
    expect(schemes[schemeName].flows.clientCredentials.tokenUrl).toBe('https://auth.sat.example/oauth2/token');
    for (const scope of scopes) expect(Object.keys(schemes[schemeName].flows.clientCredentials.scopes)).toContain(scope);
    // Responses: success and the errors, with the shared Error schema.
    const codes = Object.keys(rawOp['responses']);
    expect(codes).toEqual(expect.arrayContaining([expected.metodo === 'POST' ? '201' : '200', '400', '401', '403', '404', '422', '500']));
    expect(raw['components'].schemas.Error.required).toEqual(['codigo', 'mensaje']);
    expect(Object.keys(raw['components'].schemas.Error.properties)).toEqual(expect.arrayContaining(['codigo', 'mensaje', 'detalles']));
    expect(raw['components'].schemas.TipoDocumento.enum).toContain('CC');
    // A POST has a required JSON body with an example; a GET has its path parameters with examples.
    if (expected.metodo === 'POST') {
      expect(rawOp['requestBody'].required).toBe(true);
      expect(rawOp['requestBody'].content['application/json'].example).toBeTypeOf('object');
      const bodyRef = rawOp['requestBody'].content['application/json'].schema.$ref as string;
      expect(raw['components'].schemas[bodyRef.split('/').pop()!].required.length).toBeGreaterThan(3);
    } else {
      const names = (rawOp['parameters'] as Raw[]).map((p) => (p['$ref'] ? raw['components'].parameters[p['$ref'].split('/').pop()] : p)).filter((p) => p.in === 'path');
      expect(names.map((p: Raw) => p['name'])).toEqual(['tipoDocumento', 'numeroDocumento']);
      for (const p of names) expect(p['example']).toBeDefined();
    }
    // Internal references only.
    const refs = [...bytes.toString('utf8').matchAll(/\$ref"?:\s*"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(ref).toMatch(/^#\/components\//);
  });
});

// ------------------------------------------------------------------------------ good documents

describe('good documents are read with their operations', () => {
  it('a minimal OpenAPI 3.0 document in JSON', async () => {
    const r = await read(
      v30({
        '/afiliados/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'consultaAfiliado', summary: 'Consulta de afiliado', description: 'Devuelve el afiliado.', responses: R200 },
          delete: { operationId: 'borrarAfiliado', responses: { '204': { description: 'Borrado' } } },
          head: { responses: R200 },
        },
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value).toMatchObject({ especificacion: 'openapi-3.0', formato: 'json', titulo: 'Prueba', version: '1.0.0' });
    // HEAD (and OPTIONS, TRACE) are not services of the catalog.
    expect(r.value.operaciones).toEqual([
      { metodo: 'GET', ruta: '/afiliados/{id}', operationId: 'consultaAfiliado', resumen: 'Consulta de afiliado', descripcion: 'Devuelve el afiliado.' },
      { metodo: 'DELETE', ruta: '/afiliados/{id}', operationId: 'borrarAfiliado' },
    ]);
  });

  it('a minimal OpenAPI 3.1 document in YAML (with a byte-order mark and a quoted numeric version)', async () => {
    const yaml = [
      '\uFEFFopenapi: 3.1.0',
      'info:',
      '  title: Novedades',
      '  version: "2.0"',
      '  description: Servicio de novedades.',
      'paths:',
      '  /novedades:',
      '    post:',
      '      operationId: reporte-novedad',
      '      summary: Reporte de novedad',
      '      requestBody:',
      '        content:',
      '          application/json:',
      '            schema: { $ref: "#/components/schemas/Novedad" }',
      '      responses:',
      '        "201": { description: Creada }',
      '    put:',
      '      responses: { "200": { description: Actualizada } }',
      'components:',
      '  schemas:',
      '    Novedad:',
      '      type: object',
      '      properties: { tipo: { type: [string, "null"] } }',
    ].join('\n');
    const r = await read(yaml);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value).toMatchObject({ especificacion: 'openapi-3.1', formato: 'yaml', titulo: 'Novedades', version: '2.0', descripcion: 'Servicio de novedades.' });
    expect(r.value.operaciones).toEqual([
      { metodo: 'POST', ruta: '/novedades', operationId: 'reporte-novedad', resumen: 'Reporte de novedad' },
      { metodo: 'PUT', ruta: '/novedades' },
    ]);
    // What is kept is the document as JSON, references untouched.
    expect(JSON.parse(r.value.json).paths['/novedades'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Novedad' });
  });

  it('a Swagger 2.0 document', async () => {
    const r = await read(
      sw2(
        {
          '/retiros': { post: { operationId: 'RetiroAfiliado', parameters: [{ name: 'cuerpo', in: 'body', required: true, schema: { $ref: '#/definitions/Retiro' } }], responses: { '201': { description: 'Radicado' } } } },
          '/retiros/{radicado}': { patch: { parameters: [{ name: 'radicado', in: 'path', required: true, type: 'string' }], responses: R200 } },
        },
        { definitions: { Retiro: { type: 'object', required: ['fecha'], properties: { fecha: { type: 'string', format: 'date' } } } } },
      ),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value).toMatchObject({ especificacion: 'swagger-2.0', formato: 'json' });
    expect(r.value.operaciones).toEqual([
      { metodo: 'POST', ruta: '/retiros', operationId: 'RetiroAfiliado' },
      { metodo: 'PATCH', ruta: '/retiros/{radicado}' },
    ]);
  });

  it('OpenAPI 3.1 made `responses` optional: an operation without them is read', async () => {
    const r = await read(v31({ '/a': { get: { operationId: 'a' } } }));
    expect(r.ok && r.value.operaciones).toEqual([{ metodo: 'GET', ruta: '/a', operationId: 'a' }]);
  });

  it('a document of exactly the largest size is read', async () => {
    const text = JSON.stringify(v30({ '/a': { get: { responses: R200 } } }));
    const padded = text + ' '.repeat(OPENAPI_MAX_BYTES - text.length);
    expect(utf8(padded).byteLength).toBe(OPENAPI_MAX_BYTES);
    expect(codeOf(await read(padded))).toBe('ok');
  });
});

// ------------------------------------------------------------------------------ refused with a Spanish reason

describe('bad documents are refused with the reason in Spanish', () => {
  it('without `paths`', async () => {
    for (const doc of [{ openapi: '3.0.3', info: { title: 'x', version: '1' } }, { openapi: '3.1.0', info: { title: 'x', version: '1' }, webhooks: {} }, { swagger: '2.0', info: { title: 'x', version: '1' } }]) {
      expect(refusedInSpanish(await read(doc))).toContain('no tiene «paths»');
    }
  });

  it('without `info.version`', async () => {
    for (const make of [v30, v31, sw2]) {
      const doc = make({ '/a': { get: { responses: R200 } } }) as { info: Record<string, unknown> };
      delete doc.info['version'];
      expect(refusedInSpanish(await read(doc))).toBe('en #/info falta la propiedad obligatoria «version»');
    }
  });

  it('with `info.version` a number (YAML `version: 1.0`)', async () => {
    const motivo = refusedInSpanish(await read('openapi: 3.0.3\ninfo:\n  title: x\n  version: 1.0\npaths:\n  /a:\n    get:\n      responses: { "200": { description: ok } }\n'));
    expect(motivo).toContain('«info.version»');
  });

  it('without `info` or without a version of the specification it understands', async () => {
    expect(refusedInSpanish(await read({ openapi: '3.0.3', paths: {} }))).toContain('«info»');
    expect(refusedInSpanish(await read({ info: { title: 'x', version: '1' }, paths: {} }))).toContain('no dice su versión');
    // A version that is stated but not supported is named as such.
    for (const doc of [{ openapi: '4.0.0', info: { title: 'x', version: '1' }, paths: {} }, { swagger: '1.2', info: { title: 'x', version: '1' }, paths: {} }]) {
      expect(refusedInSpanish(await read(doc))).toMatch(/^la versión «(4\.0\.0|1\.2)» no es compatible/);
    }
    expect(refusedInSpanish(await read({ ...v31({ '/a': { get: { responses: R200 } } }), openapi: '3.1.9' }))).toMatch(/^la versión «openapi: 3\.1\.9» no está soportada \(se aceptan 3\.1\.0.*3\.0\.\d\)$/);
  });

  it('an operation without `responses` (OpenAPI 3.0 and Swagger 2.0)', async () => {
    expect(refusedInSpanish(await read(v30({ '/a': { get: { operationId: 'a' } } })))).toBe('en #/paths/~1a/get falta la propiedad obligatoria «responses»');
    expect(refusedInSpanish(await read(sw2({ '/a': { post: { operationId: 'a' } } })))).toContain('«responses»');
  });

  it('a $ref to something the document does not have names the reference', async () => {
    const schemaRef = (ref: string) => ({ '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } } } } });
    // No `components` at all, and `components` without that schema.
    expect(refusedInSpanish(await read(v30(schemaRef('#/components/schemas/Afiliado'))))).toBe('la referencia «#/components/schemas/Afiliado» no existe en el documento');
    expect(refusedInSpanish(await read(v31(schemaRef('#/components/schemas/Afiliado'), { components: { schemas: { Otro: { type: 'string' } } } })))).toBe(
      'la referencia «#/components/schemas/Afiliado» no existe en el documento',
    );
    const paramRef = { '/a': { get: { parameters: [{ $ref: '#/components/parameters/Documento' }], responses: R200 } } };
    expect(refusedInSpanish(await read(v30(paramRef, { components: {} })))).toContain('«#/components/parameters/Documento»');
    const swaggerRef = { '/a': { get: { responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Afiliado' } } } } } };
    expect(refusedInSpanish(await read(sw2(swaggerRef)))).toContain('«#/definitions/Afiliado»');
  });

  it('duplicate operationIds: reported by the parser for Swagger 2.0', async () => {
    const motivo = refusedInSpanish(await read(sw2({ '/a': { get: { operationId: 'Consulta', responses: R200 } }, '/b': { get: { operationId: 'Consulta', responses: R200 } } })));
    expect(motivo).toBe('el operationId «Consulta» está repetido');
  });

  it('duplicate operationIds in OpenAPI 3: checked by the reader itself (the parser checks them only for Swagger 2.0)', async () => {
    for (const doc of [v30, v31]) {
      const r = await read(doc({ '/a': { get: { operationId: 'Consulta', responses: R200 } }, '/b': { get: { operationId: 'Consulta', responses: R200 } } }));
      expect(refusedInSpanish(r)).toBe('el operationId «Consulta» está repetido');
    }
  });

  it('path parameters that do not match the path (Swagger 2.0; the parser does not check OpenAPI 3)', async () => {
    const other = sw2({ '/afiliados/{id}': { get: { parameters: [{ name: 'documento', in: 'path', required: true, type: 'string' }], responses: R200 } } });
    expect(refusedInSpanish(await read(other))).toBe('en /paths/afiliados/{id}/get el parámetro de ruta «documento» no aparece en la ruta');
    const undeclared = sw2({ '/afiliados/{id}': { get: { responses: R200 } } });
    expect(refusedInSpanish(await read(undeclared))).toBe('en /paths/afiliados/{id}/get falta declarar el parámetro de ruta {id}');
    const repeated = sw2({ '/a/{id}/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: R200 } } });
    expect(refusedInSpanish(await read(repeated))).toBe('en /paths/a/{id}/{id}/get la ruta repite {id}');
    // OpenAPI 3: checked by the reader itself.
    const r = await read(v30({ '/afiliados/{id}': { get: { parameters: [{ name: 'documento', in: 'path', required: true, schema: { type: 'string' } }], responses: R200 } } }));
    expect(refusedInSpanish(r)).toBe('la ruta /afiliados/{id} usa el parámetro {id} y la operación GET no lo declara (in: path)');
    const extra = await read(v31({ '/afiliados/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'otro', in: 'path', required: true, schema: { type: 'string' } }], responses: R200 } } }));
    expect(refusedInSpanish(extra)).toBe('la operación GET /afiliados/{id} declara el parámetro de ruta «otro», que la ruta no tiene');
    const atPathLevel = await read(v30({ '/afiliados/{id}': { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], get: { responses: R200 } } }));
    expect(codeOf(atPathLevel)).toBe('ok');
  });

  it('a parameter declared twice (Swagger 2.0)', async () => {
    const identical = { name: 'q', in: 'query', type: 'string' };
    expect(refusedInSpanish(await read(sw2({ '/a': { get: { parameters: [identical, identical], responses: R200 } } })))).toBe('en #/paths/~1a/get/parameters hay elementos repetidos');
    const differing = sw2({ '/a': { get: { parameters: [identical, { ...identical, type: 'integer' }], responses: R200 } } });
    expect(refusedInSpanish(await read(differing))).toBe('el parámetro «q» (in: query) está repetido');
  });

  it('schema errors: bad response codes, a wrong value, extra fields', async () => {
    expect(refusedInSpanish(await read(v30({ '/a': { get: { responses: { bien: { description: 'x' } } } } })))).toBe('en #/paths/~1a/get/responses hay propiedades que la especificación no permite');
    const motivo = refusedInSpanish(await read(v30({ '/a': { get: { parameters: [{ name: 'q', in: 'cuerpo', schema: { type: 'string' } }], responses: R200 } } })));
    expect(motivo).toContain('#/paths/~1a/get/parameters/0');
  });

  it('a document whose only operations are HEAD or OPTIONS', async () => {
    for (const doc of [v30({ '/a': { head: { responses: R200 } } }), v31({ '/a': { options: { responses: R200 }, trace: { responses: R200 } } }), v30({})]) {
      expect(refusedInSpanish(await read(doc))).toBe('no tiene ninguna operación GET, POST, PUT, PATCH o DELETE');
    }
  });
});

describe('reasonInSpanish', () => {
  it.each([
    ['Missing $ref pointer "#/components/schemas/X". Token "components" does not exist.', 'la referencia «#/components/schemas/X» no existe en el documento'],
    ["Swagger schema validation failed.\n  #/info must have required property 'title'\n", 'en #/info falta la propiedad obligatoria «title»'],
    ['Swagger schema validation failed.\n  #/openapi must match pattern "^3\\.0\\.\\d(-.+)?$"\n', 'en #/openapi el valor no tiene la forma esperada (^3\\.0\\.\\d(-.+)?$)'],
    ['Swagger schema validation failed.\n  #/paths/~1a/get/deprecated must be boolean\n', 'en #/paths/~1a/get/deprecated el valor debe ser de tipo boolean'],
    ['Validation failed. Duplicate operation id \'x\'', 'el operationId «x» está repetido'],
    ['SyntaxError: Validation failed. Found multiple header parameters named "X-Id"', 'el parámetro «X-Id» (in: header) está repetido'],
    ['API version number must be a string (e.g. "1.0.0") not a number.', 'la versión del API («info.version») debe ser texto, entre comillas (p. ej. "1.0.0"), no un número'],
    ['x is not a valid Openapi API definition', 'no cumple el esquema de la especificación OpenAPI'],
  ])('%j → %j', (message, spanish) => {
    expect(reasonInSpanish(message)).toBe(spanish);
  });

  it('an unknown wording keeps the technical detail, says so, and is cut short', () => {
    const said = reasonInSpanish(`Something new happened ${'x'.repeat(500)}`);
    expect(said.startsWith('detalle técnico: Something new happened')).toBe(true);
    expect(said.length).toBeLessThan(230);
  });

  it('reads only the first four lines of the message', () => {
    const message = ['Swagger schema validation failed.', ...Array.from({ length: 10 }, (_, i) => `  #/a${i} must have required property 'b'`)].join('\n');
    expect(reasonInSpanish(message).split('; ')).toHaveLength(3);
  });
});

// ------------------------------------------------------------------------------ external references are never fetched

describe('external $refs are refused and never fetched', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ type: 'string', components: { schemas: { X: { type: 'string' } } } }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const schemaAt = (schema: unknown) => ({ '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } } });

  it('a URL or a file, anywhere in the document, JSON or YAML', async () => {
    const urls = [`https://127.0.0.1:${port}/x.json`, `http://127.0.0.1:${port}/x.json#/components/schemas/X`, `//127.0.0.1:${port}/x.json`];
    const files = ['./otro.yaml', 'otro.yaml#/components/schemas/X', '../../etc/passwd', 'file:///etc/passwd'];
    for (const ref of [...urls, ...files]) {
      const docs = [
        v30(schemaAt({ $ref: ref })),
        v31({ '/a': { $ref: ref } }),
        v30({ '/a': { get: { parameters: [{ $ref: ref }], responses: R200 } } }),
        v31(schemaAt({ type: 'object', properties: { lista: { type: 'array', items: [{ type: 'string' }, { allOf: [{ $ref: ref }] }] } } })),
        sw2({ '/a': { get: { responses: { '200': { description: 'ok', schema: { $ref: ref } } } } } }),
        `openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "${ref}"\n`,
      ];
      for (const doc of docs) {
        const r = await read(doc);
        expect(r).toEqual({ ok: false, error: { code: 'OPENAPI.REF_EXTERNA', ref } });
      }
    }
    expect({ connections, requests }).toEqual({ connections: 0, requests: 0 });
  });

  it('a very long external ref is named cut short', async () => {
    const ref = `https://127.0.0.1:${port}/${'a'.repeat(300)}.json`;
    const r = await read(v30(schemaAt({ $ref: ref })));
    expect(r).toEqual({ ok: false, error: { code: 'OPENAPI.REF_EXTERNA', ref: ref.slice(0, 120) } });
    expect(connections).toBe(0);
  });

  it('an external $ref nested deeper than the scan goes is still not fetched', async () => {
    let schema: unknown = { $ref: `http://127.0.0.1:${port}/profunda.json` };
    for (let i = 0; i < 210; i++) schema = { type: 'object', properties: { p: schema } };
    await read(v30(schemaAt(schema)));
    expect({ connections, requests }).toEqual({ connections: 0, requests: 0 });
  });

  // BUG (storage/openapi.ts, externalRef): the scan stops at depth 200 and then answers "no external
  // ref", so a document whose external $ref is nested deeper is accepted and stored with it (the
  // parser, with external resolution off, neither fetches nor complains). A browser showing the
  // document (Swagger UI) would then fetch it.
  it('an external $ref nested deeper than 200 levels is refused too', async () => {
    let schema: unknown = { $ref: `http://127.0.0.1:${port}/profunda.json` };
    for (let i = 0; i < 210; i++) schema = { type: 'object', properties: { p: schema } };
    expect(refusedInSpanish(await read(v30(schemaAt(schema))))).toBe('está anidado a más de 200 niveles');
  });

  it('refs to refs that expand exponentially are refused at once (the parser would block the process for hours)', async () => {
    const schemas: Record<string, unknown> = { S30: { type: 'string' } };
    for (let i = 0; i < 30; i++) schemas[`S${i}`] = { type: 'object', properties: { a: { $ref: `#/components/schemas/S${i + 1}` }, b: { $ref: `#/components/schemas/S${i + 1}` } } };
    const doc = v30({ '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } } } } } } }, { components: { schemas } });
    const started = Date.now();
    expect(refusedInSpanish(await read(doc))).toContain('demasiado complejo');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

// ------------------------------------------------------------------------------ size, encoding, shape, bombs

describe('refused before the parser runs', () => {
  it('a 5 MB document is OPENAPI.MUY_GRANDE without being decoded or parsed', async () => {
    // Not even JSON: were it parsed, the answer would be OPENAPI.FORMATO.
    const bytes = new Uint8Array(5 * 1024 * 1024).fill(0x7b); // "{{{{…"
    const started = performance.now();
    expect(await reader.read(bytes)).toEqual({ ok: false, error: { code: 'OPENAPI.MUY_GRANDE', maxKb: 1024 } });
    expect(performance.now() - started).toBeLessThan(250);
    const oneTooMany = new Uint8Array(OPENAPI_MAX_BYTES + 1).fill(0x20);
    expect(codeOf(await reader.read(oneTooMany))).toBe('OPENAPI.MUY_GRANDE');
  });

  it('bytes that are not UTF-8 are OPENAPI.FORMATO', async () => {
    const latin1 = Buffer.from('openapi: 3.0.3\ninfo:\n  title: Afiliación\n  version: "1"\npaths: {}\n', 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"openapi":"3.0.3"}', 'utf16le')]);
    for (const bytes of [latin1, utf16, Uint8Array.from([0xc3, 0x28]), Uint8Array.from([0xed, 0xa0, 0x80])]) {
      expect(await reader.read(bytes)).toEqual({ ok: false, error: { code: 'OPENAPI.FORMATO' } });
    }
  });

  it('anything but a JSON or YAML object is OPENAPI.FORMATO', async () => {
    for (const text of ['hola', '42', '- a\n- b\n', '[{"openapi": "3.0.3"}]', 'null', '', '   \n', '{"openapi": "3.0.3", ', 'openapi: [3.0.3\n', 'a: b\n  c: : d\n\t- x']) {
      expect({ text, code: codeOf(await read(text)) }).toEqual({ text, code: 'OPENAPI.FORMATO' });
    }
  });

  it('a YAML "billion laughs" alias bomb is refused at once', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths: {}\n${lines.join('\n')}\n`;
    expect(bomb.length).toBeLessThan(1000);
    const started = performance.now();
    expect(codeOf(await read(bomb))).toBe('OPENAPI.FORMATO');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a few YAML aliases, as real documents use them, are fine', async () => {
    const yaml = 'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths:\n  /a:\n    get:\n      responses: &ok { "200": { description: ok } }\n    post:\n      responses: *ok\n';
    const r = await read(yaml);
    expect(r.ok && r.value.operaciones.map((o) => o.metodo)).toEqual(['GET', 'POST']);
  });
});
