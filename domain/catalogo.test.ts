/**
 * Catálogo de servicios web (domain/catalogo.ts) with the real OpenApiReader (storage/openapi.ts), the
 * real memory store and blob store: the shipped examples are seeded once; a MinSalud administrator adds
 * a service from an OpenAPI document or retires one; bad identifiers, documents and operations are
 * refused with nothing stored; anyone else is refused and the refusal audited; the suggested identifier.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openApiReader } from '../storage/openapi.js';
import { EXAMPLE_SERVICES } from '../storage/reference/servicios.js';
import { actor, ADMIN, HELPDESK, JOSE, seedCitizen, setup, START } from '../test/helpers/employers.js';
import { records } from '../test/helpers/store.js';
import {
  addService,
  ensureExampleServices,
  isPastedOpenApi,
  listServices,
  readServiceDocument,
  retireService,
  SERVICIO_ID,
  suggestedId,
  type CatalogoDeps,
  type ExampleService,
  type NuevoServicio,
} from './catalogo.js';
import type { OpenApiReader } from './ports.js';
import type { ServicioWeb } from './servicios-web.js';

// ------------------------------------------------------------------------------ fixtures

/** The employer tests' setup, with the administrator (CE 654321), a plain citizen (José) and a helpdesk agent as accounts, and a reader that counts its calls. */
async function catalog() {
  const s = setup();
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
  const real = openApiReader();
  const reads = { count: 0 };
  const openapi: OpenApiReader = {
    read: (bytes) => {
      reads.count++;
      return real.read(bytes);
    },
  };
  const deps: CatalogoDeps = { ...s.deps, openapi };
  return { ...s, deps, reads, reader: real };
}
type Catalog = Awaited<ReturnType<typeof catalog>>;

const servicios = (c: Catalog) => records(c.store, 'servicios');
const auditOf = (c: Catalog) => records(c.store, 'audit');
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** An administrator's own document: one POST operation, OpenAPI 3.0 in JSON. */
const TRASLADO_DOC = {
  openapi: '3.0.3',
  info: { title: 'SAT — Traslados', version: '2.1.0', description: 'Traslado de afiliados entre CCF.' },
  paths: {
    '/afiliaciones/traslados': {
      post: {
        operationId: 'solicitud-traslado',
        summary: 'Solicitud de traslado',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Traslado' } } } },
        responses: { '201': { description: 'Radicado' }, '422': { description: 'Regla de negocio' } },
      },
      head: { responses: { '200': { description: 'Existe' } } },
    },
  },
  components: { schemas: { Traslado: { type: 'object', required: ['codigoCcfDestino'], properties: { codigoCcfDestino: { type: 'string', pattern: '^CCF[0-9]{2}$' } } } } },
};
const TRASLADO = utf8(JSON.stringify(TRASLADO_DOC));
const NUEVO_TRASLADO: NuevoServicio = {
  id: 'SolicitudTraslado',
  nombre: '  Solicitud de traslado  ',
  descripcion: ' Traslada un afiliado a otra CCF. ',
  metodo: 'post',
  ruta: '/afiliaciones/traslados',
};

const TRASLADO_YAML = utf8(
  [
    'openapi: 3.1.0',
    'info: { title: SAT — Consultas, version: "1.2" }',
    'paths:',
    '  /afiliaciones/{radicado}:',
    '    get:',
    '      parameters:',
    '        - { name: radicado, in: path, required: true, schema: { type: string } }',
    '      responses: { "200": { description: Estado de la radicación } }',
  ].join('\n'),
);

/** What the catalog must look like when a refusal stored nothing. */
async function snapshot(c: Catalog) {
  return { servicios: await servicios(c), blobPuts: c.blobs.puts, added: (await auditOf(c)).filter((e) => e.action === 'servicios.agregado').length };
}

// ------------------------------------------------------------------------------ the shipped examples

const SHIPPED: Record<string, Pick<ServicioWeb, 'metodo' | 'ruta' | 'nombre'> & { especificacion: string; formato: string }> = {
  ConsultaAfiliacion: { metodo: 'GET', ruta: '/afiliaciones/{tipoDocumento}/{numeroDocumento}', nombre: 'Consulta de afiliación', especificacion: 'openapi-3.0', formato: 'json' },
  ConsultaBeneficiarios: { metodo: 'GET', ruta: '/afiliados/{tipoDocumento}/{numeroDocumento}/beneficiarios', nombre: 'Consulta de beneficiarios', especificacion: 'openapi-3.1', formato: 'yaml' },
  ConsultaSubsidioCuotaMonetaria: {
    metodo: 'GET',
    ruta: '/subsidios/cuota-monetaria/{tipoDocumento}/{numeroDocumento}',
    nombre: 'Consulta de subsidio de cuota monetaria',
    especificacion: 'openapi-3.0',
    formato: 'yaml',
  },
  ReporteNovedad: { metodo: 'POST', ruta: '/afiliaciones/novedades', nombre: 'Reporte de novedad', especificacion: 'openapi-3.0', formato: 'json' },
  RetiroAfiliado: { metodo: 'POST', ruta: '/afiliaciones/retiros', nombre: 'Retiro de afiliado', especificacion: 'openapi-3.1', formato: 'yaml' },
  SolicitudAfiliacion: { metodo: 'POST', ruta: '/afiliaciones/solicitudes', nombre: 'Solicitud de afiliación', especificacion: 'openapi-3.1', formato: 'yaml' },
};

describe('ensureExampleServices', () => {
  it('seeds every shipped example once, published, marked as an example, its document in the blob store as the reader gives it', async () => {
    const c = await catalog();
    expect(await ensureExampleServices(c.deps, EXAMPLE_SERVICES)).toBe(6);
    const stored = await servicios(c);
    expect(stored.map((s) => s.id).sort()).toEqual(Object.keys(SHIPPED).sort());
    for (const s of stored) {
      const expected = SHIPPED[s.id]!;
      expect(s).toMatchObject({ metodo: expected.metodo, ruta: expected.ruta, nombre: expected.nombre, version: '1.0.0', estado: 'publicado', ejemplo: true, creadoEn: START, actualizadoEn: START });
      expect(s.documento).toMatchObject({ especificacion: expected.especificacion, formato: expected.formato });
      expect(s.descripcion.length).toBeGreaterThan(40);
      expect(s.retiro).toBeUndefined();
      const read = await c.reader.read(EXAMPLE_SERVICES.find((e) => e.operationId === s.id)!.bytes);
      if (!read.ok) throw new Error(JSON.stringify(read.error));
      const blob = await c.blobs.get(s.documento.sha256);
      expect(text(blob)).toBe(read.value.json);
      expect(s.documento.size).toBe(blob!.byteLength);
    }
  });

  it('is idempotent: a second call adds nothing and changes nothing', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    const before = await servicios(c);
    c.clock.advance(86_400_000);
    expect(await ensureExampleServices(c.deps, EXAMPLE_SERVICES)).toBe(0);
    expect(await servicios(c)).toEqual(before);
  });

  it('two start-ups at once add each example once', async () => {
    const c = await catalog();
    const added = await Promise.all([ensureExampleServices(c.deps, EXAMPLE_SERVICES), ensureExampleServices(c.deps, EXAMPLE_SERVICES)]);
    expect(added[0] + added[1]).toBe(6);
    expect(await servicios(c)).toHaveLength(6);
  });

  it('an example the administrator retired stays retired', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    expect((await retireService(c.deps, ADMIN, 'ReporteNovedad', 'Reemplazado por el servicio oficial', actor)).ok).toBe(true);
    expect(await ensureExampleServices(c.deps, EXAMPLE_SERVICES)).toBe(0);
    const novedad = (await servicios(c)).find((s) => s.id === 'ReporteNovedad')!;
    expect(novedad).toMatchObject({ estado: 'retirado', retiro: { motivo: 'Reemplazado por el servicio oficial' } });
  });

  it('a broken example stops the start-up, saying which one', async () => {
    const c = await catalog();
    const broken: ExampleService[] = [{ bytes: utf8('{"openapi":"3.0.3","info":{"title":"x","version":"1"}}'), operationId: 'Roto' }];
    await expect(ensureExampleServices(c.deps, broken)).rejects.toThrow(/example service Roto: .*OPENAPI\.INVALIDO/);
    const missing: ExampleService[] = [{ bytes: TRASLADO, operationId: 'OtraCosa' }];
    await expect(ensureExampleServices(c.deps, missing)).rejects.toThrow('example service OtraCosa: no such operation');
    expect(await servicios(c)).toEqual([]);
  });

  // BUG (domain/catalogo.ts, ensureExampleServices): it looks the example up by its exact identifier,
  // while addService compares identifiers without case, so a service an administrator added as
  // "solicitudafiliacion" does not stop the seed from adding "SolicitudAfiliacion" beside it.
  it('an identifier taken in another case is left alone, as addService would', async () => {
    const c = await catalog();
    expect((await addService(c.deps, ADMIN, TRASLADO, { ...NUEVO_TRASLADO, id: 'solicitudafiliacion' }, actor)).ok).toBe(true);
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    const ids = (await servicios(c)).map((s) => s.id.toLowerCase());
    expect(ids.filter((id) => id === 'solicitudafiliacion')).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------ adding a service

describe('addService', () => {
  it('an administrator adds a service from a good document: stored, its document kept, audited, recorded for "Mis acciones recientes" and listed', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    c.clock.advance(3_600_000);
    const r = await addService(c.deps, ADMIN, TRASLADO, NUEVO_TRASLADO, actor);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const at = new Date(Date.parse(START) + 3_600_000).toISOString();
    expect(r.value).toMatchObject({
      id: 'SolicitudTraslado',
      nombre: 'Solicitud de traslado',
      descripcion: 'Traslada un afiliado a otra CCF.',
      metodo: 'POST',
      ruta: '/afiliaciones/traslados',
      version: '2.1.0',
      estado: 'publicado',
      ejemplo: false,
      creadoEn: at,
      actualizadoEn: at,
      documento: { formato: 'json', especificacion: 'openapi-3.0' },
    });
    expect((await servicios(c)).find((s) => s.id === 'SolicitudTraslado')).toEqual(r.value);
    expect(text(await c.blobs.get(r.value.documento.sha256))).toBe(JSON.stringify(TRASLADO_DOC));

    const events = (await auditOf(c)).filter((e) => e.action === 'servicios.agregado');
    expect(events).toEqual([expect.objectContaining({ actor: actor.ref, channel: actor.channel, subject: 'servicio SolicitudTraslado', detail: { metodo: 'POST' }, at })]);
    expect(JSON.stringify(await auditOf(c))).not.toContain('654321');

    // "Mis acciones recientes" (domain/ministerio.ts recentActions lists these records).
    expect(await records(c.store, 'accionesMinisterio')).toEqual([expect.objectContaining({ accion: 'servicio_agregado', sobre: 'POST SolicitudTraslado', por: ADMIN, en: at })]);

    const list = await listServices(c.deps, ADMIN, actor);
    expect(list.ok && list.value.map((s) => s.id)).toEqual([
      'ConsultaAfiliacion',
      'ConsultaBeneficiarios',
      'ConsultaSubsidioCuotaMonetaria',
      'ReporteNovedad',
      'RetiroAfiliado',
      'SolicitudAfiliacion',
      'SolicitudTraslado',
    ]);
  });

  it('a YAML document (OpenAPI 3.1) and a GET operation', async () => {
    const c = await catalog();
    const r = await addService(c.deps, ADMIN, TRASLADO_YAML, { id: 'ConsultaRadicado', nombre: 'Consulta de radicado', descripcion: 'Estado de una radicación.', metodo: 'GET', ruta: '/afiliaciones/{radicado}' }, actor);
    expect(r.ok && r.value).toMatchObject({ metodo: 'GET', version: '1.2', documento: { formato: 'yaml', especificacion: 'openapi-3.1' } });
    expect(JSON.parse(text(await c.blobs.get(r.ok ? r.value.documento.sha256 : '')))).toMatchObject({ openapi: '3.1.0' });
  });

  it('readServiceDocument lists the operations to choose from (not HEAD), and stores nothing', async () => {
    const c = await catalog();
    const r = await readServiceDocument(c.deps, ADMIN, TRASLADO, actor);
    expect(r.ok && r.value.operaciones).toEqual([{ metodo: 'POST', ruta: '/afiliaciones/traslados', operationId: 'solicitud-traslado', resumen: 'Solicitud de traslado' }]);
    expect(r.ok && suggestedId(r.value.operaciones[0]!)).toBe('SolicitudTraslado');
    expect(await snapshot(c)).toEqual({ servicios: [], blobPuts: 0, added: 0 });
  });

  it.each(['1Servicio', 'So', 'Solicitud-Traslado', 'Solicitud Traslado', 'SolicitudTraslado ', 'ÑandúPagos', 'S'.repeat(61), ''])('identifier %j: SERVICIO.ID_INVALIDO, nothing stored', async (id) => {
    const c = await catalog();
    const before = await snapshot(c);
    expect(await addService(c.deps, ADMIN, TRASLADO, { ...NUEVO_TRASLADO, id }, actor)).toEqual({ ok: false, error: { code: 'SERVICIO.ID_INVALIDO' } });
    expect(await snapshot(c)).toEqual(before);
  });

  it('identifiers of 3 and of 60 characters are fine', async () => {
    const c = await catalog();
    expect((await addService(c.deps, ADMIN, TRASLADO, { ...NUEVO_TRASLADO, id: 'Abc' }, actor)).ok).toBe(true);
    expect((await addService(c.deps, ADMIN, TRASLADO, { ...NUEVO_TRASLADO, id: `S${'1'.repeat(59)}` }, actor)).ok).toBe(true);
  });

  it('an identifier that exists, in any case, even retired: SERVICIO.YA_EXISTE naming the existing one, nothing stored', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    await retireService(c.deps, ADMIN, 'RetiroAfiliado', 'Ya no se ofrece', actor);
    const before = await snapshot(c);
    for (const [id, existing] of [
      ['SolicitudAfiliacion', 'SolicitudAfiliacion'],
      ['solicitudafiliacion', 'SolicitudAfiliacion'],
      ['SOLICITUDAFILIACION', 'SolicitudAfiliacion'],
      ['retiroAfiliado', 'RetiroAfiliado'],
    ] as const) {
      expect(await addService(c.deps, ADMIN, TRASLADO, { ...NUEVO_TRASLADO, id }, actor)).toEqual({ ok: false, error: { code: 'SERVICIO.YA_EXISTE', id: existing } });
    }
    expect(await snapshot(c)).toEqual(before);
  });

  it.each([
    ['a method the path does not have', { metodo: 'GET' }],
    ['a path the document does not have', { ruta: '/afiliaciones/traslado' }],
    ['HEAD, which the catalog does not keep', { metodo: 'HEAD' }],
    ['a method that is not HTTP', { metodo: 'ENVIAR' }],
  ])('an operation not in the document (%s): SERVICIO.OPERACION_NO_EXISTE, nothing stored', async (_what, over) => {
    const c = await catalog();
    expect(await addService(c.deps, ADMIN, TRASLADO, { ...NUEVO_TRASLADO, ...over }, actor)).toEqual({ ok: false, error: { code: 'SERVICIO.OPERACION_NO_EXISTE' } });
    expect(await snapshot(c)).toEqual({ servicios: [], blobPuts: 0, added: 0 });
  });

  it.each([
    ['without paths', utf8(JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' } }))],
    ['with a missing $ref', utf8(JSON.stringify({ ...TRASLADO_DOC, components: {} }))],
    ['with an external $ref', utf8(JSON.stringify({ ...TRASLADO_DOC, components: { schemas: { Traslado: { $ref: 'https://127.0.0.1:9/traslado.json' } } } }))],
    ['not UTF-8', Uint8Array.from([0x7b, 0xe9, 0x7d])],
    ['a YAML list', utf8('- openapi\n- 3.0.3\n')],
    ['too big', new Uint8Array(2 * 1024 * 1024).fill(0x20)],
    ['with only a HEAD operation', utf8(JSON.stringify({ ...TRASLADO_DOC, paths: { '/a': { head: { responses: { '200': { description: 'ok' } } } } } }))],
  ])('a document %s: the reader\'s error, nothing stored', async (_what, bytes) => {
    const c = await catalog();
    const expected = await c.reader.read(bytes);
    expect(expected.ok).toBe(false);
    expect(await addService(c.deps, ADMIN, bytes, NUEVO_TRASLADO, actor)).toEqual(expected);
    expect(await readServiceDocument(c.deps, ADMIN, bytes, actor)).toEqual(expected);
    expect(await snapshot(c)).toEqual({ servicios: [], blobPuts: 0, added: 0 });
  });

  // BUG (domain/catalogo.ts, addService): the document goes into the BlobStore (storeService) before
  // the transaction that re-checks the identifier, so when two additions of one identifier race, the
  // refused one's document stays in the BlobStore, referenced by nothing.
  it('two additions of one identifier at once: one is refused, and its document is not kept', async () => {
    const c = await catalog();
    const doc = (version: string) => utf8(JSON.stringify({ ...TRASLADO_DOC, info: { ...TRASLADO_DOC.info, version } }));
    const [a, b] = await Promise.all([addService(c.deps, ADMIN, doc('1.0.0'), NUEVO_TRASLADO, actor), addService(c.deps, ADMIN, doc('2.0.0'), NUEVO_TRASLADO, actor)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const loser = a.ok ? doc('2.0.0') : doc('1.0.0');
    expect(await c.blobs.get(createHash('sha256').update(loser).digest('hex'))).toBeUndefined();
  });

  it('a document whose operations are all outside the catalog\'s methods is refused as having none', async () => {
    // The reader lists only GET, POST, PUT, PATCH and DELETE, so this is its refusal.
    const c = await catalog();
    const r = await addService(c.deps, ADMIN, utf8(JSON.stringify({ ...TRASLADO_DOC, paths: { '/a': { options: { responses: { '200': { description: 'ok' } } } } } })), NUEVO_TRASLADO, actor);
    expect(r).toEqual({ ok: false, error: { code: 'OPENAPI.INVALIDO', motivo: 'no tiene ninguna operación GET, POST, PUT, PATCH o DELETE' } });
  });
});

// ------------------------------------------------------------------------------ only the Ministry's administrators

describe('anyone but an administrator is refused, and the refusal audited', () => {
  it.each([
    ['a plain citizen', JOSE],
    ['a helpdesk agent', HELPDESK],
    ['an unknown account', 'CC:99999999'],
  ])('%s', async (_who, citizenId) => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    const before = await snapshot(c);
    const readsBefore = c.reads.count;
    const denied = { ok: false, error: { code: 'PERMISO.DENEGADO' } };
    expect(await addService(c.deps, citizenId, TRASLADO, NUEVO_TRASLADO, actor)).toEqual(denied);
    expect(await readServiceDocument(c.deps, citizenId, TRASLADO, actor)).toEqual(denied);
    expect(await retireService(c.deps, citizenId, 'SolicitudAfiliacion', 'No me gusta este servicio', actor)).toEqual(denied);
    expect(await listServices(c.deps, citizenId, actor)).toEqual(denied);
    // The document was not even read; nothing changed.
    expect(c.reads.count).toBe(readsBefore);
    expect(await snapshot(c)).toEqual(before);
    const refusals = (await auditOf(c)).filter((e) => e.action === 'ministerio.rechazado');
    expect(refusals).toHaveLength(4);
    for (const e of refusals) expect(e).toMatchObject({ actor: actor.ref, channel: actor.channel, detail: { accion: 'servicios.catalogo' } });
    expect(JSON.stringify(refusals)).not.toContain(citizenId.split(':')[1]!);
    expect((await servicios(c)).every((s) => s.estado === 'publicado')).toBe(true);
  });
});

// ------------------------------------------------------------------------------ retiring a service

describe('retireService', () => {
  it('with a reason: retired, audited, recorded for "Mis acciones recientes", listed after the published ones', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    c.clock.advance(60_000);
    const r = await retireService(c.deps, ADMIN, 'ConsultaAfiliacion', '  Lo   reemplaza la versión 2  ', actor);
    const at = new Date(Date.parse(START) + 60_000).toISOString();
    expect(r.ok && r.value).toMatchObject({ id: 'ConsultaAfiliacion', estado: 'retirado', actualizadoEn: at, creadoEn: START, retiro: { en: at, motivo: 'Lo reemplaza la versión 2' } });
    expect((await servicios(c)).find((s) => s.id === 'ConsultaAfiliacion')).toEqual(r.ok && r.value);
    expect((await auditOf(c)).filter((e) => e.action === 'servicios.retirado')).toEqual([expect.objectContaining({ subject: 'servicio ConsultaAfiliacion', at })]);
    expect(await records(c.store, 'accionesMinisterio')).toEqual([
      expect.objectContaining({ accion: 'servicio_retirado', sobre: 'GET ConsultaAfiliacion', motivo: 'Lo reemplaza la versión 2', por: ADMIN, en: at }),
    ]);
    const list = await listServices(c.deps, ADMIN, actor);
    expect(list.ok && list.value.map((s) => `${s.estado} ${s.id}`)).toEqual([
      'publicado ConsultaBeneficiarios',
      'publicado ConsultaSubsidioCuotaMonetaria',
      'publicado ReporteNovedad',
      'publicado RetiroAfiliado',
      'publicado SolicitudAfiliacion',
      'retirado ConsultaAfiliacion',
    ]);
  });

  it.each(['', 'no', '   a  b  ', 'x'.repeat(501)])('a reason too short or too long (%j): MINISTERIO.MOTIVO_REQUERIDO, nothing changed', async (motivo) => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    const before = await servicios(c);
    expect(await retireService(c.deps, ADMIN, 'SolicitudAfiliacion', motivo, actor)).toEqual({ ok: false, error: { code: 'MINISTERIO.MOTIVO_REQUERIDO', min: 5, max: 500 } });
    expect(await servicios(c)).toEqual(before);
  });

  it('twice: SERVICIO.YA_RETIRADO, the first retirement kept', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    const first = await retireService(c.deps, ADMIN, 'SolicitudAfiliacion', 'Primera razón válida', actor);
    c.clock.advance(60_000);
    expect(await retireService(c.deps, ADMIN, 'SolicitudAfiliacion', 'Segunda razón válida', actor)).toEqual({ ok: false, error: { code: 'SERVICIO.YA_RETIRADO' } });
    expect((await servicios(c)).find((s) => s.id === 'SolicitudAfiliacion')).toEqual(first.ok && first.value);
    expect((await auditOf(c)).filter((e) => e.action === 'servicios.retirado')).toHaveLength(1);
  });

  it('an unknown service: SERVICIO.NO_EXISTE', async () => {
    const c = await catalog();
    await ensureExampleServices(c.deps, EXAMPLE_SERVICES);
    expect(await retireService(c.deps, ADMIN, 'ServicioInventado', 'No debería existir', actor)).toEqual({ ok: false, error: { code: 'SERVICIO.NO_EXISTE' } });
    expect((await auditOf(c)).filter((e) => e.action === 'servicios.retirado')).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ the suggested identifier

describe('suggestedId', () => {
  it.each([
    [{ operationId: 'solicitud-afiliacion' }, 'SolicitudAfiliacion'],
    [{ operationId: 'SolicitudAfiliacion' }, 'SolicitudAfiliacion'],
    [{ operationId: 'consultar_afiliación por documento' }, 'ConsultarAfiliacionPorDocumento'],
    [{ operationId: 'getUserById' }, 'GetUserById'],
    [{ operationId: 'Ñandú.Pagos' }, 'NanduPagos'],
    [{ operationId: 'reporte-de-novedad-v2' }, 'ReporteDeNovedadV2'],
    [{ ruta: '/afiliaciones/{tipoDocumento}/{numeroDocumento}' }, 'AfiliacionesTipoDocumentoNumeroDocumento'],
    [{ ruta: '/subsidios/cuota-monetaria' }, 'SubsidiosCuotaMonetaria'],
    [{ ruta: '/v1/afiliaciones/solicitudes' }, 'V1AfiliacionesSolicitudes'],
    [{ operationId: '2fa-verificación' }, 'Servicio2faVerificacion'],
    [{ ruta: '/123/pagos' }, 'Servicio123Pagos'],
    [{ operationId: '---' }, 'Servicio'],
    [{ ruta: '/' }, 'Servicio'],
  ])('%j → %s', (op, expected) => {
    const id = suggestedId({ metodo: 'GET', ruta: '/x', ...op });
    expect(id).toBe(expected);
    expect(id).toMatch(SERVICIO_ID);
  });

  it('a long one is cut to 60 characters and stays valid', () => {
    const id = suggestedId({ metodo: 'POST', ruta: '/x', operationId: 'consulta '.repeat(20) });
    expect(id).toHaveLength(60);
    expect(id).toMatch(SERVICIO_ID);
    expect(suggestedId({ metodo: 'POST', ruta: '/x', operationId: `9${'a'.repeat(80)}` })).toMatch(SERVICIO_ID);
  });

  it('each shipped example suggests its own identifier', async () => {
    const reader = openApiReader();
    for (const ex of EXAMPLE_SERVICES) {
      const r = await reader.read(ex.bytes);
      expect(r.ok && suggestedId(r.value.operaciones[0]!)).toBe(ex.operationId);
    }
  });

  // BUG (domain/catalogo.ts, suggestedId): a short operationId gives a suggestion SERVICIO_ID refuses
  // (it needs 3 to 60 characters): "id" → "Id", "x" → "X".
  it('every suggestion is an identifier addService accepts', () => {
    for (const operationId of ['id', 'x', 'a-b']) expect(suggestedId({ metodo: 'GET', ruta: '/x', operationId })).toMatch(SERVICIO_ID);
  });
});

describe('isPastedOpenApi: a document pasted in the chat, not words about one', () => {
  it.each([
    'openapi: 3.0.3\ninfo:\n  title: X\n',
    '  swagger: "2.0"\ninfo: {}\n',
    '# Consulta\nopenapi: 3.1.0\npaths: {}',
    '{\n  "openapi": "3.0.3",\n  "info": {}\n}',
    '{"info": {"title": "X"}, "swagger": "2.0"}',
  ])('%j is one', (text) => expect(isPastedOpenApi(text)).toBe(true));
  it.each(['puedo pegarlo aqui?', 'openapi: lo tengo en el correo', 'el documento openapi no lo tengo', '{"tipoDocumento": "CC"}', 'ok'])('%j is not', (text) => expect(isPastedOpenApi(text)).toBe(false));
});
