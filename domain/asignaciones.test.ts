/**
 * Asignar servicios a una CCF (domain/asignaciones.ts): only a MinSalud administrator, only for a CCF;
 * published services only; one assignment per CCF and service, each with its own unique, unguessable
 * Client ID; suspend / reactivate / revoke with a reason (the whole transition table); who is told;
 * "Mis acciones recientes". Services are stored directly in 'servicios' (the catalog has its own tests).
 */
import { describe, expect, it } from 'vitest';
import { actor, ADMIN, ANDRES, COMFAMA_NIT, DELEGADA_MARIA, HELPDESK, JAIME, JOSE, MARIA, registration, seedCitizen, setup, START, type Setup, NUEVO_ANDRES, NUEVO_MARIA } from '../test/helpers/employers.js';
import { assignmentsOf, assignServices, changeAssignment, TRANSICIONES, type CambioAsignacion } from './asignaciones.js';
import type { Actor } from './audit.js';
import type { Autorizacion } from './autorizaciones.js';
import { authorize, type NuevoAutorizado } from './autorizados.js';
import { registerEmployer } from './empleador-registro.js';
import type { DelegateData, Sede } from './employers.js';
import { recentActions } from './ministerio.js';
import { UniqueViolation, type Random } from './ports.js';
import { seededRandom } from './random.js';
import { setCcfRole } from './rol-ccf.js';
import type { AsignacionServicio, EstadoAsignacion, ServicioWeb } from './servicios-web.js';
import type { ActingRole } from './session.js';

// ------------------------------------------------------------------------------ fixtures

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const COMFENALCO_NIT = '890900842'; // COMFENALCO ANTIOQUIA (CCF03)
const CAMACOL_NIT = '890900840'; // COMFAMILIAR CAMACOL (CCF02)
const COMBARRANQUILLA_NIT = '890102002'; // COMBARRANQUILLA (CCF06)
const RIO_GRANDE_NIT = '900197450'; // Transportes Río Grande S.A.S.: not a CCF
const NICOLAS = 'CC:72235734';
const MINUTE = 60_000;

const asRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'rl' };
const otherActor: Actor = { ref: 'u-0a0b0c0d', channel: 'msteams' };

const NUEVO_NICOLAS: NuevoAutorizado = { ...NUEVO_ANDRES, numeroDocumento: '72235734', primerNombre: 'Nicolás', segundoNombre: 'Felipe', primerApellido: 'Montoya', segundoApellido: 'Montaño', email: 'nicolas.montoya@comfama.com.co' };
const NUEVOS = { andres: NUEVO_ANDRES, maria: NUEVO_MARIA, nicolas: NUEVO_NICOLAS } as const;

/** A catalog service as stored (its OpenAPI document is not read here: any SHA-256 will do). */
function servicio(id: string, over: Partial<ServicioWeb> = {}): ServicioWeb {
  return {
    id,
    nombre: `Servicio ${id}`,
    descripcion: `Ejemplo sintético: ${id}`,
    metodo: 'POST',
    ruta: `/sat/${id.toLowerCase()}`,
    version: '1.0.0',
    estado: 'publicado',
    documento: { sha256: 'ab'.repeat(32), size: 4096, formato: 'json', especificacion: 'openapi-3.0' },
    ejemplo: true,
    creadoEn: START,
    actualizadoEn: START,
    ...over,
  };
}
const SOLICITUD = 'SolicitudAfiliacion';
const NOVEDAD = 'ReporteNovedad';
const RETIRO = 'RetiroTrabajador';
const CONSULTA = 'ConsultaAfiliacion';
const BENEFICIARIOS = 'ConsultaBeneficiarios';
const ANTIGUO = 'ServicioAntiguo'; // retired
const CATALOG: ServicioWeb[] = [
  servicio(SOLICITUD),
  servicio(NOVEDAD),
  servicio(RETIRO),
  servicio(CONSULTA, { metodo: 'GET' }),
  servicio(BENEFICIARIOS, { metodo: 'GET' }),
  servicio(ANTIGUO, { estado: 'retirado', retiro: { en: START, motivo: 'Reemplazado por SolicitudAfiliacion' } }),
];

async function storeServices(s: Setup, list: readonly ServicioWeb[]): Promise<void> {
  await s.store.transaction(async (tx) => {
    for (const x of list) await tx.collection('servicios').put(x);
  });
}

/**
 * COMFAMA's chain to step 3 with the real use cases (José RL, María linked delegate, the given people
 * authorized by José a minute apart; Nicolás is never registered, so he stays invited), the catalog
 * stored, the CCF role active when `activo`. Mails sent so far are cleared.
 */
async function comfama(o: { autorizados?: readonly (keyof typeof NUEVOS)[]; activo?: boolean } = {}): Promise<Setup & { autorizaciones: Record<string, Autorizacion> }> {
  const s = setup();
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
  await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
  const autorizaciones: Record<string, Autorizacion> = {};
  for (const who of o.autorizados ?? ['andres']) {
    s.clock.advance(MINUTE);
    const a = await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVOS[who], actor);
    if (!a.ok) throw new Error(a.error.code);
    autorizaciones[who] = a.value.autorizacion;
  }
  await storeServices(s, CATALOG);
  s.clock.advance(MINUTE);
  if (o.activo) expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
  s.clock.advance(MINUTE);
  s.mailer.sent.length = 0;
  return { ...s, autorizaciones };
}

async function withRioGrande(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
  const sede: Sede = { nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 32A # 93-16', telefono: '6044445555', email: 'admin@riogrande.com.co' };
  const delegado: DelegateData = { tipoDocumento: 'CE', numeroDocumento: '654321', primerNombre: 'Carlos', segundoNombre: '', primerApellido: 'Briceño', segundoApellido: 'Salas', email: 'carlos.briceno@riogrande.com.co' };
  expect(await registerEmployer(s.deps, JAIME, { nit: RIO_GRANDE_NIT, razonSocial: 'Transportes Río Grande S.A.S.', naturaleza: '2', delegado, sede }, actor)).toMatchObject({ ok: true });
}

const assign = (s: Setup, ids: readonly string[], nit = COMFAMA_NIT, by = ADMIN) => assignServices(s.deps, by, nit, ids, actor);
const change = (s: Setup, servicioId: string, accion: CambioAsignacion, motivo = 'Uso indebido del servicio', nit = COMFAMA_NIT, by = ADMIN) =>
  changeAssignment(s.deps, by, nit, servicioId, accion, motivo, actor);
const stored = (s: Setup) => s.store.transaction((tx) => tx.collection('asignaciones').list());
const storedOne = (s: Setup, servicioId: string, nit = COMFAMA_NIT) => s.store.transaction((tx) => tx.collection('asignaciones').get(`${nit}:${servicioId}`));
const auditEvents = (s: Setup) => s.store.transaction((tx) => tx.collection('audit').list());
const acciones = (s: Setup) => s.store.transaction((tx) => tx.collection('accionesMinisterio').list());
const refused = (error: unknown) => ({ ok: false, error });
const nowIso = (s: Setup) => s.clock.now().toISOString();

async function assigned(s: Setup, servicioId: string, nit = COMFAMA_NIT): Promise<AsignacionServicio> {
  const r = await assign(s, [servicioId], nit);
  if (!r.ok || r.value.resultados[0]?.resultado !== 'asignado') throw new Error(`not assigned: ${JSON.stringify(r)}`);
  return r.value.resultados[0].asignacion;
}

/** Base64url, as random.token produces it. */
const URL_SAFE = /^[A-Za-z0-9_-]+$/;

// ------------------------------------------------------------------------------ who may

describe('only an Administrador MinSalud assigns and changes assignments', () => {
  const calls: [string, (s: Setup, who: string) => Promise<unknown>][] = [
    ['assignServices', (s, who) => assignServices(s.deps, who, COMFAMA_NIT, [SOLICITUD], otherActor)],
    ['changeAssignment', (s, who) => changeAssignment(s.deps, who, COMFAMA_NIT, SOLICITUD, 'suspender', 'Uso indebido del servicio', otherActor)],
    ['assignmentsOf', (s, who) => assignmentsOf(s.deps, who, COMFAMA_NIT, otherActor)],
  ];
  const people: [string, string][] = [
    ['a plain citizen (Andrés, the authorized person)', ANDRES],
    ['a helpdesk agent', HELPDESK],
    ['COMFAMA’s RL', JOSE],
    ['COMFAMA’s linked delegate', MARIA],
    ['someone with no account', NICOLAS],
  ];
  it.each(calls.flatMap(([name, call]) => people.map(([who, id]) => [name, who, id, call] as const)))(
    '%s by %s → PERMISO.DENEGADO, audited, nothing changed',
    async (_name, _who, id, call) => {
      const s = await comfama({ activo: true });
      const existing = await assigned(s, SOLICITUD);
      s.mailer.sent.length = 0;
      const before = (await auditEvents(s)).length;
      const accionesBefore = (await acciones(s)).length;
      expect(await call(s, id)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
      expect((await auditEvents(s)).slice(before)).toEqual([
        { id: expect.any(String), at: nowIso(s), actor: otherActor.ref, channel: otherActor.channel, action: 'ministerio.rechazado', detail: { accion: 'servicios.asignar' } },
      ]);
      expect(await stored(s)).toEqual([existing]);
      expect(await acciones(s)).toHaveLength(accionesBefore);
      expect(s.mailer.sent).toEqual([]);
    },
  );
});

// ------------------------------------------------------------------------------ assignServices

describe('assignServices: which CCF and which services', () => {
  it.each<[string, string]>([
    ['a company that is not a CCF, with an active employer role (Transportes Río Grande)', RIO_GRANDE_NIT],
    ['text that is not a NIT', 'COMFAMA'],
    ['a NIT with a wrong DV', '890.900.841-1'],
  ])('%s → CCF.NO_ES_CCF', async (_name, nit) => {
    const s = await comfama();
    await withRioGrande(s);
    expect(await assign(s, [SOLICITUD], nit)).toEqual(refused({ code: 'CCF.NO_ES_CCF' }));
    expect(await assignmentsOf(s.deps, ADMIN, nit, actor)).toEqual(refused({ code: 'CCF.NO_ES_CCF' }));
    expect(await stored(s)).toEqual([]);
  });

  it('no service → ASIGNACION.SIN_SERVICIOS', async () => {
    const s = await comfama();
    expect(await assign(s, [])).toEqual(refused({ code: 'ASIGNACION.SIN_SERVICIOS' }));
    expect(await stored(s)).toEqual([]);
  });

  it('a retired or unknown service → no_publicado, the published ones are assigned; repeated ids count once', async () => {
    const s = await comfama();
    const r = await assign(s, [ANTIGUO, SOLICITUD, 'NoExiste', SOLICITUD]);
    expect(r.ok && r.value.resultados.map((x) => [x.servicioId, x.resultado])).toEqual([
      [ANTIGUO, 'no_publicado'],
      [SOLICITUD, 'asignado'],
      ['NoExiste', 'no_publicado'],
    ]);
    expect((await stored(s)).map((a) => a.servicioId)).toEqual([SOLICITUD]);
  });

  it('only unpublished services: nothing stored, nobody told', async () => {
    const s = await comfama();
    const r = await assign(s, [ANTIGUO, 'NoExiste']);
    expect(r).toMatchObject({ ok: true, value: { avisados: [], correosEnviados: true } });
    expect(await stored(s)).toEqual([]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('takes the NIT as people write it', async () => {
    const s = await comfama();
    expect(await assign(s, [SOLICITUD], '890.900.841-9')).toMatchObject({ ok: true, value: { resultados: [{ resultado: 'asignado', asignacion: { nit: COMFAMA_NIT } }] } });
    expect(await assignmentsOf(s.deps, ADMIN, '890.900.841-9', actor)).toMatchObject({ ok: true, value: [{ nit: COMFAMA_NIT, servicioId: SOLICITUD }] });
  });
});

describe('assignServices: the assignment', () => {
  it('a new assignment: id CCF:service, its own Client ID, activo, dates, history', async () => {
    const s = await comfama();
    const en = nowIso(s);
    const r = await assign(s, [SOLICITUD, CONSULTA]);
    expect(r.ok).toBe(true);
    const list = await stored(s);
    expect(list).toEqual([
      { id: `${COMFAMA_NIT}:${SOLICITUD}`, nit: COMFAMA_NIT, servicioId: SOLICITUD, clientId: expect.stringMatching(URL_SAFE), estado: 'activo', creadoEn: en, actualizadoEn: en, historial: [{ estado: 'activo', en }] },
      { id: `${COMFAMA_NIT}:${CONSULTA}`, nit: COMFAMA_NIT, servicioId: CONSULTA, clientId: expect.stringMatching(URL_SAFE), estado: 'activo', creadoEn: en, actualizadoEn: en, historial: [{ estado: 'activo', en }] },
    ]);
    expect(list[0]!.clientId).not.toBe(list[1]!.clientId);
    expect(r.ok && r.value.resultados.map((x) => x.resultado === 'asignado' && x.asignacion)).toEqual(list);
  });

  it.each<[EstadoAsignacion, CambioAsignacion[]]>([
    ['activo', []],
    ['suspendido', ['suspender']],
  ])('already assigned and %s → ya_asignado with the existing one, Client ID unchanged, nothing audited or mailed', async (estado, steps) => {
    const s = await comfama();
    const first = await assigned(s, SOLICITUD);
    for (const step of steps) expect(await change(s, SOLICITUD, step)).toMatchObject({ ok: true });
    const current = await storedOne(s, SOLICITUD);
    expect(current?.estado).toBe(estado);
    s.clock.advance(MINUTE);
    s.mailer.sent.length = 0;
    const before = (await auditEvents(s)).length;
    const accionesBefore = (await acciones(s)).length;
    const r = await assign(s, [SOLICITUD, NOVEDAD]);
    expect(r.ok && r.value.resultados[0]).toEqual({ servicioId: SOLICITUD, resultado: 'ya_asignado', asignacion: current });
    expect(r.ok && r.value.resultados[1]).toMatchObject({ servicioId: NOVEDAD, resultado: 'asignado' });
    expect(await storedOne(s, SOLICITUD)).toEqual(current);
    expect(current?.clientId).toBe(first.clientId);
    // Only the new one is audited, recorded and mailed.
    const added = (await auditEvents(s)).slice(before).filter((e) => e.action === 'servicios.asignado');
    expect(added.map((e) => e.detail?.servicio)).toEqual([NOVEDAD]);
    expect((await acciones(s)).length - accionesBefore).toBe(1);
    expect(s.mailer.sent.map((m) => m.data.servicios)).toEqual([[NOVEDAD]]);
  });

  it('a revoked assignment assigned again: a NEW Client ID, activo, its history kept', async () => {
    const s = await comfama();
    const t0 = nowIso(s);
    const first = await assigned(s, SOLICITUD);
    s.clock.advance(MINUTE);
    const t1 = nowIso(s);
    expect(await change(s, SOLICITUD, 'revocar', 'Contrato terminado')).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    const t2 = nowIso(s);
    const again = await assign(s, [SOLICITUD]);
    expect(again).toMatchObject({ ok: true, value: { resultados: [{ servicioId: SOLICITUD, resultado: 'asignado' }] } });
    const now = await storedOne(s, SOLICITUD);
    expect(now).toMatchObject({ id: `${COMFAMA_NIT}:${SOLICITUD}`, estado: 'activo', actualizadoEn: t2 });
    expect(now!.clientId).toMatch(URL_SAFE);
    expect(now!.clientId).not.toBe(first.clientId);
    expect(now!.historial).toEqual([
      { estado: 'activo', en: t0 },
      { estado: 'revocado', en: t1, motivo: 'Contrato terminado' },
      { estado: 'activo', en: t2 },
    ]);
    expect(await stored(s)).toHaveLength(1);
    // The old Client ID is held by no assignment any more.
    expect((await stored(s)).some((a) => a.clientId === first.clientId)).toBe(false);
  });

  it('one assignment per CCF and service: the same service for two CCFs gets two Client IDs', async () => {
    const s = await comfama();
    const a = await assigned(s, SOLICITUD);
    const b = await assigned(s, SOLICITUD, COMFENALCO_NIT);
    expect(a.id).toBe(`${COMFAMA_NIT}:${SOLICITUD}`);
    expect(b.id).toBe(`${COMFENALCO_NIT}:${SOLICITUD}`);
    expect(a.clientId).not.toBe(b.clientId);
  });

  it('`usable` is false while the CCF role is not active, true once it is, false again after a deactivation', async () => {
    const s = await comfama();
    expect(await assign(s, [SOLICITUD])).toMatchObject({ ok: true, value: { usable: false } });
    expect(s.mailer.sent.map((m) => m.data.usable)).toEqual([false]);
    expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
    s.mailer.sent.length = 0;
    expect(await assign(s, [NOVEDAD])).toMatchObject({ ok: true, value: { usable: true } });
    expect(s.mailer.sent.map((m) => m.data.usable)).toEqual([true]);
    expect(await assign(s, [NOVEDAD])).toMatchObject({ ok: true, value: { usable: true, resultados: [{ resultado: 'ya_asignado' }] } });
    expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, false, 'Incidente de seguridad', actor)).toMatchObject({ ok: true });
    expect(await assign(s, [RETIRO])).toMatchObject({ ok: true, value: { usable: false } });
  });

  it('each new assignment is audited (servicios.asignado, the NIT as subject, the service) and listed in "Mis acciones recientes"', async () => {
    const s = await comfama();
    const before = (await auditEvents(s)).length;
    await assign(s, [SOLICITUD, ANTIGUO, CONSULTA]);
    const added = (await auditEvents(s)).slice(before).filter((e) => e.action === 'servicios.asignado');
    expect(added).toEqual([
      { id: expect.any(String), at: nowIso(s), actor: actor.ref, channel: actor.channel, action: 'servicios.asignado', subject: 'NIT 890.900.841-9', detail: { servicio: SOLICITUD } },
      { id: expect.any(String), at: nowIso(s), actor: actor.ref, channel: actor.channel, action: 'servicios.asignado', subject: 'NIT 890.900.841-9', detail: { servicio: CONSULTA } },
    ]);
    const mine = await recentActions(s.deps, ADMIN, actor);
    expect(mine.ok && mine.value.map((a) => [a.accion, a.sobre]).sort()).toEqual([
      ['servicio_asignado', `${CONSULTA} → COMFAMA`],
      ['servicio_asignado', `${SOLICITUD} → COMFAMA`],
    ]);
    // No Client ID in the audit log.
    const json = JSON.stringify(await auditEvents(s));
    for (const a of await stored(s)) expect(json).not.toContain(a.clientId);
  });

  it('the active authorized persons get one servicios-asignados mail listing the new services; RL, delegate and an invited person none', async () => {
    const s = await comfama({ autorizados: ['andres', 'maria', 'nicolas'], activo: true });
    const r = await assign(s, [SOLICITUD, CONSULTA, ANTIGUO]);
    expect(r.ok && [...r.value.avisados].sort()).toEqual([ANDRES, MARIA].sort());
    expect(r).toMatchObject({ ok: true, value: { correosEnviados: true } });
    const data = (nombre: string) => ({
      nombre,
      razonSocial: COMFAMA_RS,
      nit: '890.900.841-9',
      servicios: [SOLICITUD, CONSULTA],
      usable: true,
      enlace: 'https://asistente.example/',
    });
    expect([...s.mailer.sent].sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { to: 'andres.zapata@correo.com', template: 'servicios-asignados', data: data('Andrés Zapata'), insideTransaction: false },
      { to: 'maria.pena@correo.com', template: 'servicios-asignados', data: data('María Peña'), insideTransaction: false },
    ]);
  });

  it('nothing new (all already assigned): no mail', async () => {
    const s = await comfama();
    await assigned(s, SOLICITUD);
    s.mailer.sent.length = 0;
    expect(await assign(s, [SOLICITUD])).toMatchObject({ ok: true, value: { avisados: [] } });
    expect(s.mailer.sent).toEqual([]);
  });

  it('assignmentsOf: each with its service, active first, then suspended, then revoked', async () => {
    const s = await comfama();
    await assign(s, [SOLICITUD, CONSULTA, NOVEDAD, RETIRO]);
    await change(s, CONSULTA, 'revocar');
    await change(s, NOVEDAD, 'suspender');
    const r = await assignmentsOf(s.deps, ADMIN, COMFAMA_NIT, actor);
    expect(r.ok && r.value.map((a) => [a.servicioId, a.estado])).toEqual([
      [RETIRO, 'activo'],
      [SOLICITUD, 'activo'],
      [NOVEDAD, 'suspendido'],
      [CONSULTA, 'revocado'],
    ]);
    expect(r.ok && r.value[1]!.servicio).toEqual({ id: SOLICITUD, nombre: `Servicio ${SOLICITUD}`, metodo: 'POST', estado: 'publicado' });
    expect(await assignmentsOf(s.deps, ADMIN, COMFENALCO_NIT, actor)).toEqual({ ok: true, value: [] });
  });
});

// ------------------------------------------------------------------------------ Client IDs

describe('Client IDs', () => {
  /** The seeded random, recording every token it hands out and how many bytes it had. */
  function recordingRandom(seed: number): Random & { tokens: Map<string, number> } {
    const inner = seededRandom(seed);
    const tokens = new Map<string, number>();
    return {
      next: () => inner.next(),
      int: (n) => inner.int(n),
      shuffle: (items) => inner.shuffle(items),
      token: (bytes = 32) => {
        const t = inner.token(bytes);
        tokens.set(t, bytes);
        return t;
      },
      tokens,
    };
  }

  it('10,000 assignments (2,500 services × 4 CCFs, in batches of 500): all distinct, URL-safe, ≥ 128 random bits, not derived from the NIT or the service', async () => {
    const s = setup();
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
    const random = recordingRandom(2026);
    const deps = { ...s.deps, random };
    const ids = Array.from({ length: 2_500 }, (_, i) => `Servicio${String(i).padStart(4, '0')}`);
    await storeServices(s, ids.map((id) => servicio(id)));
    const ccfs = [COMFAMA_NIT, COMFENALCO_NIT, CAMACOL_NIT, COMBARRANQUILLA_NIT];
    for (const nit of ccfs) {
      for (let i = 0; i < ids.length; i += 500) {
        const r = await assignServices(deps, ADMIN, nit, ids.slice(i, i + 500), actor);
        expect(r.ok && r.value.resultados.every((x) => x.resultado === 'asignado')).toBe(true);
      }
    }
    const all = await stored(s);
    expect(all).toHaveLength(10_000);
    const clientIds = all.map((a) => a.clientId);
    expect(new Set(clientIds).size).toBe(10_000);
    for (const a of all) {
      expect(a.clientId).toMatch(URL_SAFE);
      // 6 bits per base64url character: at least 22 characters carry 128 bits.
      expect(a.clientId.length).toBeGreaterThanOrEqual(22);
      // Straight from the random source, with at least 16 bytes, never built from what identifies the assignment.
      expect(random.tokens.get(a.clientId)).toBeGreaterThanOrEqual(16);
      expect(a.clientId).not.toContain(a.nit);
      expect(a.clientId.toLowerCase()).not.toContain(a.servicioId.toLowerCase());
    }
  });

  it('the same random stream gives the same Client ID whatever the NIT and the service: it comes from the random source alone', async () => {
    const one = async (nit: string, servicioId: string) => {
      const s = setup();
      await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
      await storeServices(s, CATALOG);
      const r = await assignServices({ ...s.deps, random: seededRandom(7) }, ADMIN, nit, [servicioId], actor);
      return r.ok && r.value.resultados[0]?.resultado === 'asignado' ? r.value.resultados[0].asignacion.clientId : undefined;
    };
    const a = await one(COMFAMA_NIT, SOLICITUD);
    expect(a).toMatch(URL_SAFE);
    expect(await one(COMBARRANQUILLA_NIT, CONSULTA)).toBe(a);
    // And another seed gives another one for the same CCF and service.
    const s = setup();
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
    await storeServices(s, CATALOG);
    const other = await assignServices({ ...s.deps, random: seededRandom(8) }, ADMIN, COMFAMA_NIT, [SOLICITUD], actor);
    expect(other.ok && other.value.resultados[0]?.resultado === 'asignado' && other.value.resultados[0].asignacion.clientId).not.toBe(a);
  });

  it('a random source that repeats a Client ID is asked again: the stored ones stay distinct', async () => {
    const s = await comfama();
    const inner = seededRandom(3);
    let first: string | undefined;
    let repeats = 0;
    const repeating: Random = {
      ...inner,
      token: (bytes = 32) => {
        if (bytes < 16) return inner.token(bytes);
        if (first === undefined) return (first = inner.token(bytes));
        if (repeats < 3) {
          repeats++;
          return first;
        }
        return inner.token(bytes);
      },
    };
    const r = await assignServices({ ...s.deps, random: repeating }, ADMIN, COMFAMA_NIT, [SOLICITUD, CONSULTA], actor);
    expect(r.ok).toBe(true);
    expect(repeats).toBe(3);
    const [a, b] = await stored(s);
    expect(a!.clientId).toBe(first);
    expect(b!.clientId).not.toBe(first);
  });

  it('the asignaciones collection refuses a duplicate clientId put directly (UniqueViolation), and the whole transaction is undone', async () => {
    const s = await comfama();
    const a = await assigned(s, SOLICITUD);
    const dup: AsignacionServicio = { ...a, id: `${COMFAMA_NIT}:${CONSULTA}`, servicioId: CONSULTA };
    const other: AsignacionServicio = { ...a, id: `${COMFAMA_NIT}:${NOVEDAD}`, servicioId: NOVEDAD, clientId: 'otro-client-id-de-prueba-1234567' };
    const attempt = s.store.transaction(async (tx) => {
      await tx.collection('asignaciones').put(other);
      try {
        await tx.collection('asignaciones').put(dup);
      } catch {
        // Caught or not, the transaction is aborted, like a SQL unique violation.
      }
    });
    await expect(attempt).rejects.toBeInstanceOf(UniqueViolation);
    await expect(attempt).rejects.toMatchObject({ collection: 'asignaciones', field: 'clientId' });
    expect(await stored(s)).toEqual([a]);
  });

  it('replacing an assignment by its own id keeps its clientId without a clash', async () => {
    const s = await comfama();
    const a = await assigned(s, SOLICITUD);
    await s.store.transaction((tx) => tx.collection('asignaciones').put({ ...a, estado: 'suspendido' }));
    expect(await storedOne(s, SOLICITUD)).toMatchObject({ clientId: a.clientId, estado: 'suspendido' });
  });
});

// ------------------------------------------------------------------------------ changeAssignment

describe('changeAssignment: the transition table', () => {
  const STATES: EstadoAsignacion[] = ['activo', 'suspendido', 'revocado'];
  const ACTIONS: CambioAsignacion[] = ['suspender', 'reactivar', 'revocar'];
  /** How to bring a fresh assignment to each state. */
  const TO: Record<EstadoAsignacion, CambioAsignacion[]> = { activo: [], suspendido: ['suspender'], revocado: ['revocar'] };
  const EXPECTED: Record<EstadoAsignacion, Partial<Record<CambioAsignacion, EstadoAsignacion>>> = {
    activo: { suspender: 'suspendido', revocar: 'revocado' },
    suspendido: { reactivar: 'activo', revocar: 'revocado' },
    revocado: {},
  };
  const AUDIT: Record<EstadoAsignacion, string> = { activo: 'servicios.asignacion_activo', suspendido: 'servicios.asignacion_suspendido', revocado: 'servicios.asignacion_revocado' };
  const ACCION: Record<CambioAsignacion, string> = { suspender: 'asignacion_suspendida', reactivar: 'asignacion_reactivada', revocar: 'asignacion_revocada' };

  it('TRANSICIONES is the table this test expects', () => {
    for (const desde of STATES) {
      for (const accion of ACTIONS) {
        const hacia = EXPECTED[desde][accion];
        expect(TRANSICIONES[accion].desde.includes(desde), `${desde} × ${accion}`).toBe(hacia !== undefined);
        if (hacia) expect(TRANSICIONES[accion].hacia).toBe(hacia);
      }
    }
  });

  const REFUSED = 'ASIGNACION.TRANSICION';
  const rows = STATES.flatMap((desde) => ACTIONS.map((accion) => [desde, accion, EXPECTED[desde][accion] ?? REFUSED] as const));
  it.each(rows)('%s × %s → %s', async (desde, accion, hacia) => {
    const s = await comfama({ autorizados: ['andres', 'nicolas'], activo: true });
    const t0 = nowIso(s);
    const original = await assigned(s, SOLICITUD);
    for (const step of TO[desde]) expect(await change(s, SOLICITUD, step, 'Preparación del caso')).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    const at = nowIso(s);
    const current = (await storedOne(s, SOLICITUD))!;
    expect(current.estado).toBe(desde);
    s.mailer.sent.length = 0;
    const auditBefore = (await auditEvents(s)).length;
    const accionesBefore = (await acciones(s)).length;

    const r = await change(s, SOLICITUD, accion, '  Motivo   del cambio  ');
    const added = (await auditEvents(s)).slice(auditBefore);
    if (hacia === REFUSED) {
      expect(r).toEqual(refused({ code: 'ASIGNACION.TRANSICION', desde, accion }));
      expect(await storedOne(s, SOLICITUD)).toEqual(current);
      expect(added).toEqual([]);
      expect(await acciones(s)).toHaveLength(accionesBefore);
      expect(s.mailer.sent).toEqual([]);
      return;
    }
    const expected: AsignacionServicio = {
      ...current,
      estado: hacia,
      actualizadoEn: at,
      historial: [...current.historial, { estado: hacia, en: at, motivo: 'Motivo del cambio' }],
    };
    expect(r).toEqual({ ok: true, value: { asignacion: expected, avisados: [ANDRES], correosEnviados: true } });
    expect(await storedOne(s, SOLICITUD)).toEqual(expected);
    expect(expected.clientId).toBe(original.clientId);
    expect(expected.creadoEn).toBe(t0);
    expect(added[0]).toEqual({ id: expect.any(String), at, actor: actor.ref, channel: actor.channel, action: AUDIT[hacia], subject: 'NIT 890.900.841-9', detail: { servicio: SOLICITUD } });
    expect(JSON.stringify(added)).not.toContain('Motivo del cambio');
    // Told: the active authorized person (not the invited one).
    expect(s.mailer.sent).toEqual([
      {
        to: 'andres.zapata@correo.com',
        template: 'asignacion-cambiada',
        data: { nombre: 'Andrés Zapata', razonSocial: COMFAMA_RS, servicio: SOLICITUD, estado: hacia, motivo: 'Motivo del cambio', enlace: 'https://asistente.example/' },
        insideTransaction: false,
      },
    ]);
    const mine = await recentActions(s.deps, ADMIN, actor);
    expect(mine.ok && mine.value[0]).toEqual({ id: expect.any(String), por: ADMIN, en: at, accion: ACCION[accion], sobre: `${SOLICITUD} → COMFAMA`, motivo: 'Motivo del cambio' });
  });

  it('suspend → reactivate → suspend → revoke: the whole history, with each reason', async () => {
    const s = await comfama();
    const t0 = nowIso(s);
    await assigned(s, SOLICITUD);
    const steps: [CambioAsignacion, string, EstadoAsignacion][] = [
      ['suspender', 'Mantenimiento programado', 'suspendido'],
      ['reactivar', 'Mantenimiento terminado', 'activo'],
      ['suspender', 'Uso indebido del servicio', 'suspendido'],
      ['revocar', 'Contrato terminado', 'revocado'],
    ];
    const times: string[] = [];
    for (const [accion, motivo] of steps) {
      s.clock.advance(MINUTE);
      times.push(nowIso(s));
      expect(await change(s, SOLICITUD, accion, motivo)).toMatchObject({ ok: true });
    }
    expect((await storedOne(s, SOLICITUD))!.historial).toEqual([{ estado: 'activo', en: t0 }, ...steps.map(([, motivo, estado], i) => ({ estado, en: times[i], motivo }))]);
    const mine = await recentActions(s.deps, ADMIN, actor);
    expect(mine.ok && mine.value.map((a) => a.accion)).toEqual(['asignacion_revocada', 'asignacion_suspendida', 'asignacion_reactivada', 'asignacion_suspendida', 'servicio_asignado']);
  });

  it.each<[string, string, string]>([
    ['a service never assigned', NOVEDAD, COMFAMA_NIT],
    ['an unknown service', 'NoExiste', COMFAMA_NIT],
    ['another CCF’s assignment', SOLICITUD, COMFENALCO_NIT],
    ['a company that is not a CCF', SOLICITUD, RIO_GRANDE_NIT],
    ['text that is not a NIT', SOLICITUD, 'COMFAMA'],
  ])('%s → ASIGNACION.NO_EXISTE', async (_name, servicioId, nit) => {
    const s = await comfama();
    const a = await assigned(s, SOLICITUD);
    s.mailer.sent.length = 0;
    expect(await change(s, servicioId, 'suspender', 'Uso indebido del servicio', nit)).toEqual(refused({ code: 'ASIGNACION.NO_EXISTE' }));
    expect(await stored(s)).toEqual([a]);
    expect(s.mailer.sent).toEqual([]);
  });

  it.each<[string, string]>([
    ['empty', ''],
    ['spaces', '      '],
    ['four characters', 'Nada'],
    ['more than 500 characters', 'z'.repeat(501)],
  ])('a reason %s → MINISTERIO.MOTIVO_REQUERIDO, nothing changed', async (_name, motivo) => {
    const s = await comfama();
    const a = await assigned(s, SOLICITUD);
    s.mailer.sent.length = 0;
    for (const accion of ['suspender', 'revocar'] as const) {
      expect(await change(s, SOLICITUD, accion, motivo)).toEqual(refused({ code: 'MINISTERIO.MOTIVO_REQUERIDO', min: 5, max: 500 }));
    }
    expect(await stored(s)).toEqual([a]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('takes the NIT as people write it', async () => {
    const s = await comfama();
    await assigned(s, SOLICITUD);
    expect(await change(s, SOLICITUD, 'suspender', 'Mantenimiento programado', '890.900.841-9')).toMatchObject({ ok: true, value: { asignacion: { estado: 'suspendido' } } });
  });
});
