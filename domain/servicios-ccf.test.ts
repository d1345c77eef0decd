/**
 * Administración de Servicios Web, the authorized person's side (domain/servicios-ccf.ts, DESIGN §2
 * step 5): who may use it, the terms per person, CCF and version, the CCF's catalog (only its own
 * assignments), a service's information and documentation, and the documentation behind a signed link
 * (re-checked when served). The state is built with the real use cases: COMFAMA and COMFENALCO
 * ANTIOQUIA registered, their people authorized, the shipped example services seeded with the real
 * OpenAPI reader, the CCF roles activated and services assigned by the Ministry.
 */
import { describe, expect, it } from 'vitest';
import { actor, ADMIN, ANDRES, COMFAMA_NIT, JAIME, JOSE, MARIA, NUEVO_ANDRES, NUEVO_MARIA, START, type Setup } from '../test/helpers/employers.js';
import {
  accept,
  asCcf,
  asRl,
  BENEFICIARIOS,
  COMFAMA_SERVICES,
  COMFENALCO_NIT,
  COMFENALCO_SERVICES,
  CONSULTA,
  DIANA,
  MINUTE,
  NICOLAS,
  NOVEDAD,
  otherActor,
  RETIRO,
  SOLICITUD,
  VIGENTES,
  world,
  type World,
  type WorldOptions,
} from '../test/helpers/step5.js';
import { records } from '../test/helpers/store.js';
import { assignServices, changeAssignment, type CambioAsignacion } from './asignaciones.js';
import type { PerfilAutorizado } from './autorizaciones.js';
import { authorize, revokeAuthorization } from './autorizados.js';
import { retireService } from './catalogo.js';
import { nitSubject } from './empleador-common.js';
import type { AuditEvent } from './ports.js';
import { setCcfRole } from './rol-ccf.js';
import {
  catalogOf,
  decideTerms,
  documentForLink,
  openModule,
  serviceDocument,
  serviceInfo,
  termsState,
  type DecisionTerminos,
  type EstadoTerminos,
  type Versiones,
} from './servicios-ccf.js';
import type { ActingRole } from './session.js';

// ------------------------------------------------------------------------------ fixtures

/** Every document number of the people in these tests: none may reach the audit log of this module. */
const DOCUMENTS = ['70123456', '1036612345', '1017234567', '654321', '14770440', '72235734', '18054862', '33773336'];

const nowIso = (s: Setup) => s.clock.now().toISOString();
const auditEvents = (s: Setup) => records(s.store, 'audit');
const decisions = (s: Setup) => records(s.store, 'decisionesTerminos');
const vistos = (s: Setup) => records(s.store, 'serviciosVistos');
const assignment = async (s: Setup, nit: string, servicioId: string) => (await records(s.store, 'asignaciones')).find((a) => a.nit === nit && a.servicioId === servicioId)!;
const refused = (error: unknown) => ({ ok: false, error });

const change = (s: Setup, servicioId: string, accion: CambioAsignacion, motivo: string, nit = COMFAMA_NIT) => changeAssignment(s.deps, ADMIN, nit, servicioId, accion, motivo, actor);
const ids = (r: Awaited<ReturnType<typeof catalogOf>>) => (r.ok ? r.value.servicios.map((x) => x.servicio.id) : r.error);

/** The events this module wrote since `before`: nothing in them names a person. */
async function eventsSince(s: Setup, before: number): Promise<AuditEvent[]> {
  const added = (await auditEvents(s)).slice(before);
  const text = JSON.stringify(added);
  for (const d of DOCUMENTS) expect(text).not.toContain(d);
  for (const id of [ANDRES, JOSE, MARIA, JAIME, NICOLAS, DIANA]) expect(text).not.toContain(id);
  return added;
}

// ------------------------------------------------------------------------------ who may

describe('who may see which service', () => {
  it.each<[string, WorldOptions, string, string, string[]]>([
    ['Andrés, COMFAMA’s authorized person, acting as ccf COMFAMA', {}, ANDRES, COMFAMA_NIT, COMFAMA_SERVICES],
    ['María, also authorized at COMFAMA', { tambien: ['maria'] }, MARIA, COMFAMA_NIT, COMFAMA_SERVICES],
    ['Jaime, COMFENALCO’s authorized person, acting as ccf COMFENALCO', {}, JAIME, COMFENALCO_NIT, COMFENALCO_SERVICES],
  ])('%s sees exactly the services assigned to that CCF', async (_name, o, who, nit, expected) => {
    const w = await world(o);
    await accept(w, who, nit);
    const r = await catalogOf(w.deps, who, asCcf(nit), VIGENTES, actor);
    expect(r).toMatchObject({ ok: true, value: { nit } });
    expect(ids(r)).toEqual(expected);
    expect(r.ok && r.value.servicios.every((x) => x.asignacion.nit === nit && x.asignacion.estado === 'activo' && x.documentable)).toBe(true);
    // A service assigned only to the other CCF is not theirs, for the information or the documentation.
    const foreign = nit === COMFAMA_NIT ? BENEFICIARIOS : CONSULTA;
    expect(await serviceInfo(w.deps, who, asCcf(nit), VIGENTES, foreign, actor)).toEqual(refused({ code: 'SERVICIOS.NO_ASIGNADO' }));
    expect(await serviceDocument(w.deps, who, asCcf(nit), VIGENTES, foreign, actor)).toEqual(refused({ code: 'SERVICIOS.NO_ASIGNADO' }));
    expect(await vistos(w)).toEqual([]);
  });

  it('a person authorized at two CCFs sees each CCF’s own services, in the role they act in', async () => {
    const w = await world();
    w.clock.advance(MINUTE);
    expect(await authorize(w.deps, NICOLAS, asRl(COMFENALCO_NIT), COMFENALCO_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true, value: { autorizacion: { estado: 'activo' } } });
    await accept(w, ANDRES, COMFAMA_NIT);
    await accept(w, ANDRES, COMFENALCO_NIT);
    expect(ids(await catalogOf(w.deps, ANDRES, asCcf(COMFAMA_NIT), VIGENTES, actor))).toEqual(COMFAMA_SERVICES);
    expect(ids(await catalogOf(w.deps, ANDRES, asCcf(COMFENALCO_NIT), VIGENTES, actor))).toEqual(COMFENALCO_SERVICES);
    // The same service, assigned to both: the Client ID is the one of the CCF he acts for.
    const inComfama = await serviceInfo(w.deps, ANDRES, asCcf(COMFAMA_NIT), VIGENTES, SOLICITUD, actor);
    const inComfenalco = await serviceInfo(w.deps, ANDRES, asCcf(COMFENALCO_NIT), VIGENTES, SOLICITUD, actor);
    expect(inComfama.ok && inComfama.value.asignacion.clientId).toBe((await assignment(w, COMFAMA_NIT, SOLICITUD)).clientId);
    expect(inComfenalco.ok && inComfenalco.value.asignacion.clientId).toBe((await assignment(w, COMFENALCO_NIT, SOLICITUD)).clientId);
    expect((await assignment(w, COMFAMA_NIT, SOLICITUD)).clientId).not.toBe((await assignment(w, COMFENALCO_NIT, SOLICITUD)).clientId);
  });

  /** Each case: the state (built with the use cases), then who asks and in which role. Andrés accepted the terms first where he could. */
  interface Refusal {
    readonly name: string;
    readonly options?: WorldOptions;
    readonly arrange?: (w: World) => Promise<void>;
    readonly who: string;
    readonly acting: ActingRole | undefined;
    readonly error: unknown;
  }
  const acceptFirst = async (w: World) => {
    await accept(w);
  };
  const REFUSALS: Refusal[] = [
    { name: 'no acting role', arrange: acceptFirst, who: ANDRES, acting: undefined, error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'acting as ciudadano', arrange: acceptFirst, who: ANDRES, acting: { tipo: 'ciudadano' }, error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'José acting as COMFAMA’s employer (RL)', who: JOSE, acting: asRl(COMFAMA_NIT), error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'the administrator acting as Administrador MinSalud', who: ADMIN, acting: { tipo: 'admin_minsalud' }, error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'Andrés acting as ccf of COMFENALCO, where he is not authorized', arrange: acceptFirst, who: ANDRES, acting: asCcf(COMFENALCO_NIT), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFENALCO_NIT } },
    { name: 'Jaime (COMFENALCO’s authorized person) acting as ccf of COMFAMA', who: JAIME, acting: asCcf(COMFAMA_NIT), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT } },
    { name: 'José, COMFAMA’s RL but not authorized, acting as ccf COMFAMA', who: JOSE, acting: asCcf(), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT } },
    {
      name: 'Andrés after his authorization was revoked',
      arrange: async (w) => {
        await accept(w);
        expect(await revokeAuthorization(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, w.autorizaciones['andres']!.id, 'Ya no trabaja en la Caja', actor)).toMatchObject({ ok: true });
      },
      who: ANDRES,
      acting: asCcf(),
      error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT },
    },
    { name: 'Diana, invited (not registered yet)', options: { tambien: ['diana'] }, who: DIANA, acting: asCcf(), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT } },
    {
      // Only one perfil exists today (PERFIL_SERVICIOS); a stored entry with another stands for a future one.
      name: 'María, with an active authorization in rol CAJA but another perfil',
      arrange: async (w) => {
        await w.store.transaction(async (tx) => {
          const a = { ...w.autorizaciones['andres']!, id: 'otro-perfil', citizenId: MARIA, numeroDocumento: '1036612345', perfil: 'CONSULTA_REPORTES' as unknown as PerfilAutorizado };
          await tx.collection('autorizaciones').put(a);
        });
      },
      who: MARIA,
      acting: asCcf(),
      error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT },
    },
    {
      // No use case puts an account back to pending; the stored record stands for it.
      name: 'Andrés, authorized, whose account is not active',
      arrange: async (w) => {
        await accept(w);
        await w.store.transaction(async (tx) => {
          const c = (await tx.collection('citizens').get(ANDRES))!;
          await tx.collection('citizens').put({ ...c, estado: 'pendiente' });
        });
      },
      who: ANDRES,
      acting: asCcf(),
      error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT },
    },
    { name: 'COMFAMA’s CCF role never activated', options: { rolComfama: 'nunca' }, who: ANDRES, acting: asCcf(), error: { code: 'SERVICIOS.ROL_CCF_INACTIVO', nit: COMFAMA_NIT, desactivado: false } },
    {
      name: 'COMFAMA’s CCF role deactivated by the Ministry',
      arrange: async (w) => {
        await accept(w);
        expect(await setCcfRole(w.deps, ADMIN, COMFAMA_NIT, false, 'Solicitud de la Superintendencia', actor)).toMatchObject({ ok: true });
      },
      who: ANDRES,
      acting: asCcf(),
      error: { code: 'SERVICIOS.ROL_CCF_INACTIVO', nit: COMFAMA_NIT, desactivado: true },
    },
  ];
  const CALLS: [string, (w: World, who: string, acting: ActingRole | undefined) => Promise<unknown>][] = [
    ['openModule', (w, who, acting) => openModule(w.deps, who, acting, VIGENTES, otherActor)],
    ['decideTerms', (w, who, acting) => decideTerms(w.deps, who, acting, VIGENTES, 'acepto', otherActor)],
    ['catalogOf', (w, who, acting) => catalogOf(w.deps, who, acting, VIGENTES, otherActor)],
    ['serviceInfo', (w, who, acting) => serviceInfo(w.deps, who, acting, VIGENTES, SOLICITUD, otherActor)],
    ['serviceDocument', (w, who, acting) => serviceDocument(w.deps, who, acting, VIGENTES, SOLICITUD, otherActor)],
  ];

  it.each(REFUSALS.flatMap((c) => CALLS.map(([call, run]) => ({ ...c, call, run }))))(
    '$call: $name → refused, the refusal audited with its code and nobody’s document',
    async ({ options, arrange, who, acting, error, run }) => {
      const w = await world(options);
      await arrange?.(w);
      const before = (await auditEvents(w)).length;
      const decided = await decisions(w);
      expect(await run(w, who, acting)).toEqual(refused(error));
      expect(await eventsSince(w, before)).toEqual([
        { id: expect.any(String), at: nowIso(w), actor: otherActor.ref, channel: otherActor.channel, action: 'servicios.rechazado', detail: { motivo: (error as { code: string }).code } },
      ]);
      expect(await decisions(w)).toEqual(decided);
      expect(await vistos(w)).toEqual([]);
    },
  );

  it('authorized again after a revocation: usable again, and the terms accepted before still count for the CCF', async () => {
    const w = await world();
    await accept(w);
    expect(await revokeAuthorization(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, w.autorizaciones['andres']!.id, 'Cambio temporal de cargo', actor)).toMatchObject({ ok: true });
    expect(await catalogOf(w.deps, ANDRES, asCcf(), VIGENTES, actor)).toEqual(refused({ code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT }));
    w.clock.advance(MINUTE);
    expect(await authorize(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true, value: { autorizacion: { estado: 'activo' } } });
    expect(ids(await catalogOf(w.deps, ANDRES, asCcf(), VIGENTES, actor))).toEqual(COMFAMA_SERVICES);
  });

  it('a reactivated CCF role opens the module again', async () => {
    const w = await world();
    await accept(w);
    expect(await setCcfRole(w.deps, ADMIN, COMFAMA_NIT, false, 'Incidente de seguridad', actor)).toMatchObject({ ok: true });
    expect(await openModule(w.deps, ANDRES, asCcf(), VIGENTES, actor)).toEqual(refused({ code: 'SERVICIOS.ROL_CCF_INACTIVO', nit: COMFAMA_NIT, desactivado: true }));
    expect(await setCcfRole(w.deps, ADMIN, COMFAMA_NIT, true, 'Incidente resuelto', actor)).toMatchObject({ ok: true });
    expect(await openModule(w.deps, ANDRES, asCcf(), VIGENTES, actor)).toMatchObject({ ok: true, value: { nit: COMFAMA_NIT, terminos: { estado: 'aceptados' } } });
  });
});

// ------------------------------------------------------------------------------ terms

describe('termsState: the latest decision for the CCF, against the versions in force', () => {
  const T = (minute: number) => new Date(new Date(START).getTime() + minute * MINUTE).toISOString();
  const d = (decision: DecisionTerminos['decision'], minute: number, versiones: Versiones = VIGENTES, nit = COMFAMA_NIT): DecisionTerminos => ({
    id: `${T(minute)}-x${minute}`,
    citizenId: ANDRES,
    nit,
    versiones,
    decision,
    en: T(minute),
    canal: 'webchat',
  });
  const OLD = { condiciones: '0.9', privacidad: '1.0' };
  const OLDER_PRIVACY = { condiciones: '1.0', privacidad: '0.9' };
  const FEWER = { condiciones: '1.0' }; // a text was added since
  const MORE = { ...VIGENTES, retencion: '1.0' }; // a text was removed since

  it.each<[string, DecisionTerminos[], EstadoTerminos['estado'], number | undefined]>([
    ['no decision', [], 'pendientes', undefined],
    ['accepted the versions in force', [d('acepto', 1)], 'aceptados', 0],
    ['declined the versions in force', [d('no_acepto', 1)], 'rechazados', 0],
    ['accepted when the conditions were older', [d('acepto', 1, OLD)], 'nueva_version', 0],
    ['accepted when the privacy policy was older', [d('acepto', 1, OLDER_PRIVACY)], 'nueva_version', 0],
    ['accepted before a text was added', [d('acepto', 1, FEWER)], 'nueva_version', 0],
    ['accepted a text since removed', [d('acepto', 1, MORE)], 'nueva_version', 0],
    ['declined an older version', [d('no_acepto', 1, OLD)], 'pendientes', undefined],
    ['accepted, then declined', [d('acepto', 1), d('no_acepto', 2)], 'rechazados', 1],
    ['declined, then accepted', [d('no_acepto', 1), d('acepto', 2)], 'aceptados', 1],
    ['accepted later, stored first (the time decides, not the order)', [d('acepto', 2), d('no_acepto', 1)], 'aceptados', 0],
    ['accepted an older version, then the one in force', [d('acepto', 1, OLD), d('acepto', 2)], 'aceptados', 1],
    ['accepted the one in force, declined for another CCF later', [d('acepto', 1), d('no_acepto', 2, VIGENTES, COMFENALCO_NIT)], 'aceptados', 0],
    ['only decisions for another CCF', [d('acepto', 1, VIGENTES, COMFENALCO_NIT)], 'pendientes', undefined],
  ])('%s → %s', (_name, list, estado, which) => {
    const r = termsState(list, COMFAMA_NIT, VIGENTES);
    expect(r.estado).toBe(estado);
    expect('decision' in r ? r.decision : undefined).toEqual(which === undefined ? undefined : list[which]);
  });

  it('the same versions in another key order are the same versions', () => {
    expect(termsState([d('acepto', 1, { privacidad: '1.0', condiciones: '1.0' })], COMFAMA_NIT, VIGENTES).estado).toBe('aceptados');
  });
});

describe('decideTerms: "Acepto" / "No acepto", per person, CCF and version', () => {
  it.each<[DecisionTerminos['decision'], string]>([
    ['acepto', 'servicios.terminos_aceptados'],
    ['no_acepto', 'servicios.terminos_rechazados'],
  ])('%s: the versions, the time, the person, the CCF and the channel recorded; audited with the versions', async (decision, action) => {
    const w = await world();
    const before = (await auditEvents(w)).length;
    const en = nowIso(w);
    const r = await decideTerms(w.deps, ANDRES, asCcf(), VIGENTES, decision, otherActor);
    const expected = { id: expect.any(String), citizenId: ANDRES, nit: COMFAMA_NIT, versiones: VIGENTES, decision, en, canal: 'msteams' };
    expect(r).toEqual({ ok: true, value: expected });
    expect(await decisions(w)).toEqual([expected]);
    const events = await eventsSince(w, before);
    expect(events).toEqual([{ id: expect.any(String), at: en, actor: otherActor.ref, channel: 'msteams', action, subject: expect.stringContaining('NIT'), detail: { versiones: 'condiciones 1.0, privacidad 1.0' } }]);
    expect(await openModule(w.deps, ANDRES, asCcf(), VIGENTES, actor)).toEqual({ ok: true, value: { nit: COMFAMA_NIT, terminos: { estado: decision === 'acepto' ? 'aceptados' : 'rechazados', decision: expected } } });
  });

  it('every decision is kept (the latest counts): accept, decline, accept again', async () => {
    const w = await world();
    for (const decision of ['acepto', 'no_acepto', 'acepto'] as const) {
      w.clock.advance(MINUTE);
      expect(await decideTerms(w.deps, ANDRES, asCcf(), VIGENTES, decision, actor)).toMatchObject({ ok: true });
    }
    expect((await decisions(w)).map((x) => x.decision)).toEqual(['acepto', 'no_acepto', 'acepto']);
    expect(await openModule(w.deps, ANDRES, asCcf(), VIGENTES, actor)).toMatchObject({ ok: true, value: { terminos: { estado: 'aceptados' } } });
  });

  /** The terms state reached through the use cases, and the versions in force when asked. */
  const STATES: [string, (w: World) => Promise<Versiones>, EstadoTerminos['estado']][] = [
    ['never decided', async () => VIGENTES, 'pendientes'],
    ['declined', async (w) => (await decideTerms(w.deps, ANDRES, asCcf(), VIGENTES, 'no_acepto', actor), VIGENTES), 'rechazados'],
    ['accepted, then a new version of the conditions published', async (w) => (await accept(w), { ...VIGENTES, condiciones: '1.1' }), 'nueva_version'],
    ['accepted, then a new text published', async (w) => (await accept(w), { ...VIGENTES, retencion: '1.0' }), 'nueva_version'],
    ['accepted, then declined', async (w) => (await accept(w), w.clock.advance(MINUTE), await decideTerms(w.deps, ANDRES, asCcf(), VIGENTES, 'no_acepto', actor), VIGENTES), 'rechazados'],
    ['accepted for COMFENALCO only (authorized there too)', async (w) => {
      expect(await authorize(w.deps, NICOLAS, asRl(COMFENALCO_NIT), COMFENALCO_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true });
      await accept(w, ANDRES, COMFENALCO_NIT);
      return VIGENTES;
    }, 'pendientes'],
    ['María accepted, not Andrés (both authorized)', async (w) => {
      expect(await authorize(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, NUEVO_MARIA, actor)).toMatchObject({ ok: true });
      await accept(w, MARIA);
      return VIGENTES;
    }, 'pendientes'],
  ];
  const GATED: [string, (w: World, v: Versiones) => Promise<unknown>][] = [
    ['catalogOf', (w, v) => catalogOf(w.deps, ANDRES, asCcf(), v, otherActor)],
    ['serviceInfo', (w, v) => serviceInfo(w.deps, ANDRES, asCcf(), v, SOLICITUD, otherActor)],
    ['serviceDocument', (w, v) => serviceDocument(w.deps, ANDRES, asCcf(), v, SOLICITUD, otherActor)],
  ];

  it.each(STATES.flatMap(([name, arrange, estado]) => GATED.map(([call, run]) => ({ name, arrange, estado, call, run }))))(
    '$call when $name → TERMINOS_PENDIENTES, audited; openModule says $estado',
    async ({ arrange, estado, run }) => {
      const w = await world();
      const vigentes = await arrange(w);
      w.clock.advance(MINUTE);
      const before = (await auditEvents(w)).length;
      expect(await run(w, vigentes)).toEqual(refused({ code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT }));
      expect(await eventsSince(w, before)).toEqual([
        { id: expect.any(String), at: nowIso(w), actor: otherActor.ref, channel: otherActor.channel, action: 'servicios.rechazado', detail: { motivo: 'SERVICIOS.TERMINOS_PENDIENTES' } },
      ]);
      expect(await vistos(w)).toEqual([]);
      expect(await openModule(w.deps, ANDRES, asCcf(), vigentes, actor)).toMatchObject({ ok: true, value: { nit: COMFAMA_NIT, terminos: { estado } } });
      // Accepting the versions in force opens it.
      await accept(w, ANDRES, COMFAMA_NIT, vigentes);
      expect(await run(w, vigentes)).toMatchObject({ ok: true });
    },
  );

  it('after a new version, accepting it again records the new versions; the old acceptance does not open the new one', async () => {
    const w = await world();
    await accept(w);
    const nuevas = { ...VIGENTES, privacidad: '2.0' };
    expect(ids(await catalogOf(w.deps, ANDRES, asCcf(), VIGENTES, actor))).toEqual(COMFAMA_SERVICES);
    expect(ids(await catalogOf(w.deps, ANDRES, asCcf(), nuevas, actor))).toEqual({ code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT });
    w.clock.advance(MINUTE);
    await accept(w, ANDRES, COMFAMA_NIT, nuevas);
    expect((await decisions(w)).map((x) => x.versiones)).toEqual([VIGENTES, nuevas]);
    expect(ids(await catalogOf(w.deps, ANDRES, asCcf(), nuevas, actor))).toEqual(COMFAMA_SERVICES);
  });

  // The terms decision and the documentation opened use the CCF's audit subject (nitSubject), as its other events do.
  it('the decision and the documentation opened are in the CCF’s audit trail, under the subject of its other events', async () => {
    const w = await world();
    await accept(w);
    expect(await serviceDocument(w.deps, ANDRES, asCcf(), VIGENTES, SOLICITUD, actor)).toMatchObject({ ok: true });
    const trail = await w.store.transaction((tx) => tx.collection('audit').findBy('subject', nitSubject(COMFAMA_NIT)));
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['servicios.asignado', 'servicios.terminos_aceptados', 'servicios.documentacion_abierta']));
  });
});

// ------------------------------------------------------------------------------ catalog and service

describe('the CCF’s catalog and a service', () => {
  /** COMFAMA with Andrés's terms accepted, and: ReporteNovedad suspended, RetiroAfiliado revoked, ConsultaAfiliacion's service retired. */
  async function mixed(): Promise<World> {
    const w = await world();
    await accept(w);
    w.clock.advance(MINUTE);
    expect(await change(w, NOVEDAD, 'suspender', 'Mantenimiento programado')).toMatchObject({ ok: true });
    expect(await change(w, RETIRO, 'revocar', 'Contrato terminado')).toMatchObject({ ok: true });
    expect(await retireService(w.catalogo, ADMIN, CONSULTA, 'Reemplazado por la versión 2', actor)).toMatchObject({ ok: true });
    w.clock.advance(MINUTE);
    return w;
  }

  it('active first, then suspended, then revoked or retired, each group by identifier; suspended, revoked and retired say why', async () => {
    const w = await mixed();
    const r = await catalogOf(w.deps, ANDRES, asCcf(), VIGENTES, actor);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.servicios.map((x) => [x.servicio.id, x.asignacion.estado, x.servicio.estado, x.motivo, x.documentable])).toEqual([
      [SOLICITUD, 'activo', 'publicado', undefined, true],
      [NOVEDAD, 'suspendido', 'publicado', 'Mantenimiento programado', true],
      [CONSULTA, 'activo', 'retirado', 'Reemplazado por la versión 2', false],
      [RETIRO, 'revocado', 'publicado', 'Contrato terminado', false],
    ]);
    expect(r.value.servicios.every((x) => !('motivo' in x) || x.motivo)).toBe(true);
    expect(await vistos(w)).toEqual([]);
  });

  it('a reactivated assignment has no reason shown', async () => {
    const w = await mixed();
    expect(await change(w, NOVEDAD, 'reactivar', 'Mantenimiento terminado')).toMatchObject({ ok: true });
    const r = await catalogOf(w.deps, ANDRES, asCcf(), VIGENTES, actor);
    const novedad = r.ok ? r.value.servicios.find((x) => x.servicio.id === NOVEDAD) : undefined;
    expect(novedad).toMatchObject({ asignacion: { estado: 'activo' }, documentable: true });
    expect(novedad && 'motivo' in novedad).toBe(false);
  });

  it('serviceDocument: the stored OpenAPI document as JSON, marked seen, audited with via chat', async () => {
    const w = await mixed();
    const t1 = nowIso(w);
    const before = (await auditEvents(w)).length;
    const r = await serviceDocument(w.deps, ANDRES, asCcf(), VIGENTES, SOLICITUD, otherActor);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.servicio).toMatchObject({ servicio: { id: SOLICITUD, metodo: 'POST' }, asignacion: { nit: COMFAMA_NIT, estado: 'activo' }, documentable: true });
    const doc = JSON.parse(r.value.json) as { paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.paths[r.value.servicio.servicio.ruta]?.['post']?.operationId).toBe(SOLICITUD);
    // The very bytes kept in the BlobStore.
    const blob = await w.blobs.get(r.value.servicio.servicio.documento.sha256);
    expect(r.value.json).toBe(Buffer.from(blob!).toString('utf8'));
    expect(await eventsSince(w, before)).toEqual([
      { id: expect.any(String), at: t1, actor: otherActor.ref, channel: 'msteams', action: 'servicios.documentacion_abierta', subject: expect.stringContaining('NIT'), detail: { servicio: SOLICITUD, via: 'chat' } },
    ]);
    expect(await vistos(w)).toEqual([{ id: `${COMFAMA_NIT}:${SOLICITUD}`, nit: COMFAMA_NIT, servicioId: SOLICITUD, primeraVez: t1, ultimaVez: t1 }]);

    w.clock.advance(5 * MINUTE);
    const t2 = nowIso(w);
    expect(await serviceDocument(w.deps, ANDRES, asCcf(), VIGENTES, SOLICITUD, actor)).toMatchObject({ ok: true });
    expect(await vistos(w)).toEqual([{ id: `${COMFAMA_NIT}:${SOLICITUD}`, nit: COMFAMA_NIT, servicioId: SOLICITUD, primeraVez: t1, ultimaVez: t2 }]);
  });

  it('a suspended service can still be documented, with its reason', async () => {
    const w = await mixed();
    const r = await serviceDocument(w.deps, ANDRES, asCcf(), VIGENTES, NOVEDAD, actor);
    expect(r).toMatchObject({ ok: true, value: { servicio: { servicio: { id: NOVEDAD }, asignacion: { estado: 'suspendido' }, motivo: 'Mantenimiento programado' } } });
    expect(r.ok && JSON.parse(r.value.json)).toMatchObject({ paths: expect.any(Object) });
    expect((await vistos(w)).map((v) => v.servicioId)).toEqual([NOVEDAD]);
  });

  it.each<[string, string, unknown]>([
    ['a revoked assignment', RETIRO, { code: 'SERVICIOS.NO_DISPONIBLE', estado: 'revocado', motivo: 'Contrato terminado' }],
    ['a retired service', CONSULTA, { code: 'SERVICIOS.NO_DISPONIBLE', estado: 'retirado', motivo: 'Reemplazado por la versión 2' }],
    ['a service assigned only to COMFENALCO', BENEFICIARIOS, { code: 'SERVICIOS.NO_ASIGNADO' }],
    ['a service assigned to nobody', 'ConsultaNoExiste', { code: 'SERVICIOS.NO_ASIGNADO' }],
  ])('serviceDocument of %s → refused, nothing marked seen or audited as opened', async (_name, id, error) => {
    const w = await mixed();
    expect(await serviceDocument(w.deps, ANDRES, asCcf(), VIGENTES, id, actor)).toEqual(refused(error));
    expect(await vistos(w)).toEqual([]);
    expect((await auditEvents(w)).map((e) => e.action)).not.toContain('servicios.documentacion_abierta');
  });

  it('serviceInfo: this CCF’s assignment (its Client ID, status, dates), marked seen; the second look keeps the first time', async () => {
    const w = await mixed();
    const t1 = nowIso(w);
    const r = await serviceInfo(w.deps, ANDRES, asCcf(), VIGENTES, SOLICITUD, actor);
    const own = await assignment(w, COMFAMA_NIT, SOLICITUD);
    expect(r).toEqual({ ok: true, value: { servicio: expect.objectContaining({ id: SOLICITUD, estado: 'publicado' }), asignacion: own, documentable: true } });
    expect(r.ok && r.value.asignacion.clientId).not.toBe((await assignment(w, COMFENALCO_NIT, SOLICITUD)).clientId);
    expect(await vistos(w)).toEqual([{ id: `${COMFAMA_NIT}:${SOLICITUD}`, nit: COMFAMA_NIT, servicioId: SOLICITUD, primeraVez: t1, ultimaVez: t1 }]);
    w.clock.advance(MINUTE);
    expect(await serviceInfo(w.deps, ANDRES, asCcf(), VIGENTES, SOLICITUD, actor)).toMatchObject({ ok: true });
    expect(await vistos(w)).toEqual([{ id: `${COMFAMA_NIT}:${SOLICITUD}`, nit: COMFAMA_NIT, servicioId: SOLICITUD, primeraVez: t1, ultimaVez: nowIso(w) }]);
  });

  it('serviceInfo shows a revoked or retired one with why (and records the look); another CCF’s is not assigned', async () => {
    const w = await mixed();
    expect(await serviceInfo(w.deps, ANDRES, asCcf(), VIGENTES, RETIRO, actor)).toMatchObject({ ok: true, value: { asignacion: { estado: 'revocado' }, motivo: 'Contrato terminado', documentable: false } });
    expect(await serviceInfo(w.deps, ANDRES, asCcf(), VIGENTES, CONSULTA, actor)).toMatchObject({ ok: true, value: { servicio: { estado: 'retirado' }, motivo: 'Reemplazado por la versión 2', documentable: false } });
    expect(await serviceInfo(w.deps, ANDRES, asCcf(), VIGENTES, BENEFICIARIOS, actor)).toEqual(refused({ code: 'SERVICIOS.NO_ASIGNADO' }));
    expect((await vistos(w)).map((v) => v.servicioId).sort()).toEqual([CONSULTA, RETIRO]);
  });

  it('a revoked assignment assigned again shows its new Client ID, documentable again', async () => {
    const w = await mixed();
    const old = (await assignment(w, COMFAMA_NIT, RETIRO)).clientId;
    expect(await assignServices(w.deps, ADMIN, COMFAMA_NIT, [RETIRO], actor)).toMatchObject({ ok: true });
    const r = await serviceInfo(w.deps, ANDRES, asCcf(), VIGENTES, RETIRO, actor);
    expect(r).toMatchObject({ ok: true, value: { asignacion: { estado: 'activo' }, documentable: true } });
    expect(r.ok && r.value.asignacion.clientId).not.toBe(old);
    expect(r.ok && 'motivo' in r.value).toBe(false);
    expect(await serviceDocument(w.deps, ANDRES, asCcf(), VIGENTES, RETIRO, actor)).toMatchObject({ ok: true });
  });
});

// ------------------------------------------------------------------------------ documentForLink

describe('documentForLink: the documentation page, checked again when served', () => {
  const isAndres = (id: string) => id === ANDRES;
  const link = (w: World, o: { nit?: string; servicio?: string; isPerson?: (id: string) => boolean; vigentes?: Versiones } = {}) =>
    documentForLink(w.deps, o.nit ?? COMFAMA_NIT, o.servicio ?? SOLICITUD, o.isPerson ?? isAndres, o.vigentes ?? VIGENTES, otherActor);

  it('the person the link was made for, still authorized: the document, seen, audited with via pagina', async () => {
    const w = await world();
    await accept(w);
    const before = (await auditEvents(w)).length;
    const r = await link(w);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.servicio).toMatchObject({ servicio: { id: SOLICITUD }, asignacion: { nit: COMFAMA_NIT, clientId: (await assignment(w, COMFAMA_NIT, SOLICITUD)).clientId } });
    expect(JSON.parse(r.value.json)).toMatchObject({ paths: { '/afiliaciones/solicitudes': { post: { operationId: SOLICITUD } } } });
    expect(await eventsSince(w, before)).toEqual([
      { id: expect.any(String), at: nowIso(w), actor: otherActor.ref, channel: 'msteams', action: 'servicios.documentacion_abierta', subject: expect.stringContaining('NIT'), detail: { servicio: SOLICITUD, via: 'pagina' } },
    ]);
    expect((await vistos(w)).map((v) => v.id)).toEqual([`${COMFAMA_NIT}:${SOLICITUD}`]);
  });

  it('isPerson is asked only about the CCF’s active authorized persons', async () => {
    const w = await world({ tambien: ['maria', 'diana'] });
    await accept(w);
    const asked: string[] = [];
    await link(w, { isPerson: (id) => (asked.push(id), false) });
    expect(asked.sort()).toEqual([ANDRES, MARIA].sort());
  });

  interface LinkCase {
    readonly name: string;
    readonly arrange: (w: World) => Promise<void>;
    readonly link?: { nit?: string; servicio?: string; isPerson?: (id: string) => boolean; vigentes?: Versiones };
    readonly error: unknown;
    /** Whether the refusal is audited as 'servicios.rechazado'. */
    readonly audited: boolean;
  }
  const CASES: LinkCase[] = [
    { name: 'a link that matches nobody', arrange: acceptAndres, link: { isPerson: () => false }, error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT }, audited: true },
    { name: 'a link of COMFENALCO’s person used for COMFAMA', arrange: acceptAndres, link: { isPerson: (id) => id === JAIME }, error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT }, audited: true },
    {
      name: 'the person’s authorization revoked after the link was made',
      arrange: async (w) => {
        await acceptAndres(w);
        expect(await revokeAuthorization(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, w.autorizaciones['andres']!.id, 'Ya no trabaja en la Caja', actor)).toMatchObject({ ok: true });
      },
      error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT },
      audited: true,
    },
    {
      name: 'the CCF role deactivated',
      arrange: async (w) => {
        await acceptAndres(w);
        expect(await setCcfRole(w.deps, ADMIN, COMFAMA_NIT, false, 'Incidente de seguridad', actor)).toMatchObject({ ok: true });
      },
      error: { code: 'SERVICIOS.ROL_CCF_INACTIVO', nit: COMFAMA_NIT, desactivado: true },
      audited: true,
    },
    { name: 'terms never accepted', arrange: async () => {}, error: { code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT }, audited: true },
    {
      name: 'terms declined after the link was made',
      arrange: async (w) => {
        await acceptAndres(w);
        w.clock.advance(MINUTE);
        expect(await decideTerms(w.deps, ANDRES, asCcf(), VIGENTES, 'no_acepto', actor)).toMatchObject({ ok: true });
      },
      error: { code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT },
      audited: true,
    },
    { name: 'a new version published since the acceptance', arrange: acceptAndres, link: { vigentes: { ...VIGENTES, condiciones: '1.1' } }, error: { code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT }, audited: true },
    {
      name: 'the assignment revoked',
      arrange: async (w) => {
        await acceptAndres(w);
        expect(await change(w, SOLICITUD, 'revocar', 'Contrato terminado')).toMatchObject({ ok: true });
      },
      error: { code: 'SERVICIOS.NO_DISPONIBLE', estado: 'revocado', motivo: 'Contrato terminado' },
      audited: false,
    },
    {
      name: 'the service retired',
      arrange: async (w) => {
        await acceptAndres(w);
        expect(await retireService(w.catalogo, ADMIN, SOLICITUD, 'Reemplazado por la versión 2', actor)).toMatchObject({ ok: true });
      },
      error: { code: 'SERVICIOS.NO_DISPONIBLE', estado: 'retirado', motivo: 'Reemplazado por la versión 2' },
      audited: false,
    },
    { name: 'a service of another CCF', arrange: acceptAndres, link: { servicio: BENEFICIARIOS }, error: { code: 'SERVICIOS.NO_ASIGNADO' }, audited: false },
    { name: 'the link’s CCF changed to one where the person is not authorized', arrange: acceptAndres, link: { nit: COMFENALCO_NIT }, error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFENALCO_NIT }, audited: true },
  ];
  async function acceptAndres(w: World): Promise<void> {
    await accept(w);
  }

  it.each(CASES)('$name → refused, nothing marked seen', async ({ arrange, link: o, error, audited }) => {
    const w = await world();
    await arrange(w);
    const before = (await auditEvents(w)).length;
    expect(await link(w, o)).toEqual(refused(error));
    const added = await eventsSince(w, before);
    expect(added).toEqual(audited ? [{ id: expect.any(String), at: nowIso(w), actor: otherActor.ref, channel: 'msteams', action: 'servicios.rechazado', detail: { motivo: (error as { code: string }).code } }] : []);
    expect(await vistos(w)).toEqual([]);
  });

  it('a suspended assignment is still served', async () => {
    const w = await world();
    await accept(w);
    expect(await change(w, SOLICITUD, 'suspender', 'Mantenimiento programado')).toMatchObject({ ok: true });
    expect(await link(w)).toMatchObject({ ok: true, value: { servicio: { asignacion: { estado: 'suspendido' }, motivo: 'Mantenimiento programado' } } });
  });
});
