/**
 * Compartir Servicios Entidad, Probar conexión and Asignar contraseña (domain/compartir.ts, DESIGN §2
 * step 5, issue 11): who may use them, the two forms saved separately (incompleto until both), names
 * unique per CCF, secrets sealed at rest and never in a view, the audit or a mail, removal, the
 * connection test and its limit per CCF, and the CCF's password as a hash. The worlds are built with
 * the real use cases (test/helpers/step5.ts); secrets are sealed with a real secret box, as the form
 * engine seals masked inputs.
 */
import { describe, expect, it } from 'vitest';
import { actor, ADMIN, ANDRES, COMFAMA_NIT, DAY, JAIME, JOSE, roleOf, type Setup } from '../test/helpers/employers.js';
import {
  accept,
  asCcf,
  asRl,
  CLIENT_SECRET,
  COMFENALCO_NIT,
  credenciales,
  DATOS,
  MINUTE,
  otherActor,
  PASSWORD,
  recordingTester,
  sharingDeps,
  VIGENTES,
  world,
  type World,
  type WorldOptions,
} from '../test/helpers/step5.js';
import { records } from '../test/helpers/store.js';
import type { Actor } from './audit.js';
import { revokeAuthorization } from './autorizados.js';
import {
  assignServicesPassword,
  passwordAssignedAt,
  PRUEBAS_POR_MINUTO,
  removeSharedService,
  saveCredentials,
  saveServiceData,
  sharedServiceName,
  sharedServices,
  sharingFacts,
  testSharedService,
  view,
  type CompartirError,
} from './compartir.js';
import { passwordHasher } from '../storage/password-hasher.js';
import { displayName } from './people.js';
import { UNIQUE_FIELDS, type AuditEvent, type CollectionName, type ResultadoPrueba, type Store } from './ports.js';
import { setCcfRole } from './rol-ccf.js';
import { decideTerms, type Versiones } from './servicios-ccf.js';
import type { ActingRole } from './session.js';

// ------------------------------------------------------------------------------ fixtures

const SERVICIO = 'ConsultaAfiliadosCaja';
const OTRO = 'ReporteNovedadesCaja';
const SECOND = 1000;
const CLAVE = 'Clave-Servicios-2026-Comfama';
const OTRA_CLAVE = 'Nueva-Clave-Servicios-2027';
const COMFAMA_MAIL = 'servicios.web@comfama.com.co';
const COMFENALCO_MAIL = 'servicios.web@comfenalco.com.co';

type Sharing = ReturnType<typeof sharingDeps>;
interface Ready extends World {
  readonly c: Sharing;
}

/** A world where Andrés (COMFAMA) and Jaime (COMFENALCO) accepted the terms in force; sharing deps over it. */
async function ready(o: WorldOptions & { aceptar?: boolean } = {}): Promise<Ready> {
  const w = await world(o);
  if (o.aceptar ?? true) {
    if ((o.rolComfama ?? 'activo') === 'activo') await accept(w);
    await accept(w, JAIME, COMFENALCO_NIT);
  }
  return { ...w, c: sharingDeps(w) };
}

const nowIso = (s: Setup) => s.clock.now().toISOString();
const auditEvents = (s: Setup) => records(s.store, 'audit');
const shared = (s: Setup) => records(s.store, 'serviciosCompartidos');
const claves = (s: Setup) => records(s.store, 'clavesServicios');
const refused = (error: unknown) => ({ ok: false, error });
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: CompartirError }): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

/** Every collection of the store as JSON: what an adapter would write. */
async function dump(store: Store): Promise<string> {
  return store.transaction(async (tx) => {
    const all: Record<string, unknown[]> = {};
    for (const name of Object.keys(UNIQUE_FIELDS) as CollectionName[]) all[name] = await tx.collection(name).list();
    return JSON.stringify(all);
  });
}

const save = (w: Ready, over: Partial<typeof DATOS> = {}, nombre = SERVICIO, who = ANDRES, acting: ActingRole = asCcf(), by: Actor = actor) =>
  saveServiceData(w.c, who, acting, VIGENTES, nombre, { ...DATOS, ...over }, by);
const saveCreds = (w: Ready, over: Parameters<typeof credenciales>[1] = {}, nombre = SERVICIO, who = ANDRES, acting: ActingRole = asCcf(), by: Actor = actor) =>
  saveCredentials(w.c, who, acting, VIGENTES, nombre, credenciales(w.c.secrets, over), by);
const probe = (w: Ready, nombre = SERVICIO, who = ANDRES, acting: ActingRole = asCcf()) => testSharedService(w.c, who, acting, VIGENTES, nombre, actor);
const assign = (w: Ready, clave = CLAVE, who = ANDRES, acting: ActingRole = asCcf()) => assignServicesPassword(w.c, who, acting, VIGENTES, w.c.secrets.seal(clave), actor);

/** A complete shared service at COMFAMA (both forms), saved by Andrés. */
async function complete(w: Ready, nombre = SERVICIO, over: Parameters<typeof credenciales>[1] = {}): Promise<void> {
  unwrap(await save(w, {}, nombre));
  unwrap(await saveCreds(w, over, nombre));
}

/** The `compartir.*` events written since `before`. */
async function sharingEvents(w: Setup, before: number): Promise<AuditEvent[]> {
  return (await auditEvents(w)).slice(before).filter((e) => e.action.startsWith('compartir.'));
}

// ------------------------------------------------------------------------------ who may

describe('who may share, test and assign the password: exactly who may use the module', () => {
  interface Refusal {
    readonly name: string;
    readonly options?: WorldOptions;
    /** After COMFAMA's complete service and password were saved by Andrés (when the world allows it). */
    readonly arrange?: (w: Ready) => Promise<void>;
    readonly who: string;
    readonly acting: ActingRole | undefined;
    readonly vigentes?: Versiones;
    readonly error: unknown;
  }
  const REFUSALS: Refusal[] = [
    { name: 'no acting role', who: ANDRES, acting: undefined, error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'acting as ciudadano', who: ANDRES, acting: { tipo: 'ciudadano' }, error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'José acting as COMFAMA’s employer (RL)', who: JOSE, acting: asRl(COMFAMA_NIT), error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'the administrator acting as Administrador MinSalud', who: ADMIN, acting: { tipo: 'admin_minsalud' }, error: { code: 'SERVICIOS.SIN_ROL_CCF' } },
    { name: 'José, COMFAMA’s RL but not authorized, acting as ccf COMFAMA', who: JOSE, acting: asCcf(), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT } },
    { name: 'Jaime (COMFENALCO’s authorized person) acting as ccf COMFAMA', who: JAIME, acting: asCcf(), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT } },
    { name: 'Andrés acting as ccf COMFENALCO, where he is not authorized', who: ANDRES, acting: asCcf(COMFENALCO_NIT), error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFENALCO_NIT } },
    {
      name: 'Andrés after his authorization was revoked',
      arrange: async (w) => {
        expect(await revokeAuthorization(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, w.autorizaciones['andres']!.id, 'Ya no trabaja en la Caja', actor)).toMatchObject({ ok: true });
      },
      who: ANDRES,
      acting: asCcf(),
      error: { code: 'SERVICIOS.NO_AUTORIZADO', nit: COMFAMA_NIT },
    },
    { name: 'COMFAMA’s CCF role never activated', options: { rolComfama: 'nunca' }, who: ANDRES, acting: asCcf(), error: { code: 'SERVICIOS.ROL_CCF_INACTIVO', nit: COMFAMA_NIT, desactivado: false } },
    {
      name: 'COMFAMA’s CCF role deactivated by the Ministry',
      arrange: async (w) => {
        expect(await setCcfRole(w.deps, ADMIN, COMFAMA_NIT, false, 'Solicitud de la Superintendencia', actor)).toMatchObject({ ok: true });
      },
      who: ANDRES,
      acting: asCcf(),
      error: { code: 'SERVICIOS.ROL_CCF_INACTIVO', nit: COMFAMA_NIT, desactivado: true },
    },
    {
      name: 'Andrés declined the terms after accepting them',
      arrange: async (w) => {
        w.clock.advance(MINUTE);
        expect(await decideTerms(w.deps, ANDRES, asCcf(), VIGENTES, 'no_acepto', actor)).toMatchObject({ ok: true });
      },
      who: ANDRES,
      acting: asCcf(),
      error: { code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT },
    },
    { name: 'a new version of the conditions in force since Andrés accepted', who: ANDRES, acting: asCcf(), vigentes: { ...VIGENTES, condiciones: '1.1' }, error: { code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: COMFAMA_NIT } },
  ];

  const CALLS: [string, (w: Ready, who: string, acting: ActingRole | undefined, vigentes: Versiones) => Promise<unknown>][] = [
    ['sharedServices', (w, who, acting, v) => sharedServices(w.c, who, acting, v, otherActor)],
    ['saveServiceData (existing)', (w, who, acting, v) => saveServiceData(w.c, who, acting, v, SERVICIO, { ...DATOS, descripcion: 'Cambiada por quien no puede' }, otherActor)],
    ['saveServiceData (new)', (w, who, acting, v) => saveServiceData(w.c, who, acting, v, OTRO, DATOS, otherActor)],
    ['saveCredentials (existing)', (w, who, acting, v) => saveCredentials(w.c, who, acting, v, SERVICIO, credenciales(w.c.secrets, { password: 'otra-clave-x1' }), otherActor)],
    ['saveCredentials (new)', (w, who, acting, v) => saveCredentials(w.c, who, acting, v, OTRO, credenciales(w.c.secrets), otherActor)],
    ['removeSharedService', (w, who, acting, v) => removeSharedService(w.c, who, acting, v, SERVICIO, otherActor)],
    ['testSharedService', (w, who, acting, v) => testSharedService(w.c, who, acting, v, SERVICIO, otherActor)],
    ['assignServicesPassword', (w, who, acting, v) => assignServicesPassword(w.c, who, acting, v, w.c.secrets.seal(OTRA_CLAVE), otherActor)],
  ];

  it.each(REFUSALS.flatMap((c) => CALLS.map(([call, run]) => ({ ...c, call, run }))))(
    '$call: $name → refused as `usable` refuses, nothing written but the refusal, no mail, no test',
    async ({ options, arrange, who, acting, vigentes, error, run }) => {
      const w = await ready(options);
      if ((options?.rolComfama ?? 'activo') === 'activo') {
        await complete(w);
        unwrap(await assign(w));
      }
      await arrange?.(w);
      w.mailer.sent.length = 0;
      const before = { audit: (await auditEvents(w)).length, shared: await shared(w), claves: await claves(w) };

      expect(await run(w, who, acting, vigentes ?? VIGENTES)).toEqual(refused(error));
      expect((await auditEvents(w)).slice(before.audit)).toEqual([
        { id: expect.any(String), at: nowIso(w), actor: otherActor.ref, channel: otherActor.channel, action: 'servicios.rechazado', detail: { motivo: (error as { code: string }).code } },
      ]);
      expect(await shared(w)).toEqual(before.shared);
      expect(await claves(w)).toEqual(before.claves);
      expect(w.mailer.sent).toEqual([]);
      expect(w.c.tester.calls).toEqual([]);
    },
  );

  it('another CCF’s shared services are never visible, testable or removable, and the same name there is its own', async () => {
    const w = await ready();
    await complete(w);
    unwrap(await saveServiceData(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, 'ConsultaCuotaMonetaria', { ...DATOS, url: 'https://api.comfenalco.com.co/cuota' }, actor));

    expect(unwrap(await sharedServices(w.c, ANDRES, asCcf(), VIGENTES, actor))).toMatchObject({ nit: COMFAMA_NIT, servicios: [{ nombre: SERVICIO }] });
    expect(unwrap(await sharedServices(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, actor))).toMatchObject({ nit: COMFENALCO_NIT, servicios: [{ nombre: 'ConsultaCuotaMonetaria' }] });
    expect(unwrap(await sharedServices(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, actor)).servicios).toHaveLength(1);

    // COMFAMA's service by its name, from COMFENALCO: not there.
    expect(await probe(w, SERVICIO, JAIME, asCcf(COMFENALCO_NIT))).toEqual(refused({ code: 'COMPARTIDO.NO_EXISTE' }));
    expect(await removeSharedService(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, actor)).toEqual(refused({ code: 'COMPARTIDO.NO_EXISTE' }));
    expect(w.c.tester.calls).toEqual([]);
    expect(await sharedServiceName(w.c, COMFENALCO_NIT, SERVICIO)).toBeUndefined();

    // The same name at COMFENALCO is COMFENALCO's own service: COMFAMA's is untouched.
    const comfamaBefore = (await shared(w)).find((s) => s.nit === COMFAMA_NIT);
    expect(await saveServiceData(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, { ...DATOS, url: 'https://api.comfenalco.com.co/afiliados' }, actor)).toMatchObject({
      ok: true,
      value: { nombre: SERVICIO, estado: 'incompleto', faltan: ['credenciales'] },
    });
    const all = await shared(w);
    expect(all.map((s) => s.id).sort()).toEqual([`${COMFAMA_NIT}:${SERVICIO}`, `${COMFENALCO_NIT}:${SERVICIO}`, `${COMFENALCO_NIT}:ConsultaCuotaMonetaria`]);
    expect(all.find((s) => s.nit === COMFAMA_NIT)).toEqual(comfamaBefore);
  });
});

// ------------------------------------------------------------------------------ the two forms

describe('the two forms are separable: incompleto until both, each kept when the other is edited', () => {
  it('data first: incompleto, missing the credentials; created and audited with the fields given', async () => {
    const w = await ready();
    const en = nowIso(w);
    const before = (await auditEvents(w)).length;
    const r = await save(w);
    const datos = { ...DATOS, guardadoEn: en };
    expect(r).toEqual({ ok: true, value: { nombre: SERVICIO, estado: 'incompleto', faltan: ['credenciales'], datos, actualizadoEn: en } });
    expect(await shared(w)).toEqual([{ id: `${COMFAMA_NIT}:${SERVICIO}`, nit: COMFAMA_NIT, nombre: SERVICIO, datos, creadoEn: en, actualizadoEn: en, por: ANDRES }]);
    expect(await sharingEvents(w, before)).toEqual([
      { id: expect.any(String), at: en, actor: actor.ref, channel: actor.channel, action: 'compartir.creado', subject: expect.stringContaining('NIT'), detail: { servicio: SERVICIO, parte: 'datos', campos: 'descripcion,url,metodo,llave,ejemplo' } },
    ]);
  });

  it('credentials first, under a new name: incompleto, missing the data; the view without the sealed secrets', async () => {
    const w = await ready();
    const en = nowIso(w);
    const before = (await auditEvents(w)).length;
    const r = unwrap(await saveCreds(w, {}, OTRO));
    expect(r).toEqual({
      nombre: OTRO,
      estado: 'incompleto',
      faltan: ['datos'],
      credenciales: { nombreToken: 'TokenAfiliados', tokenUrl: 'https://auth.comfama.com.co/oauth/token', username: 'minsalud.integracion', clientId: 'minsalud-afiliados', scope: 'afiliados.consulta', guardadoEn: en },
      actualizadoEn: en,
    });
    expect(r).not.toHaveProperty('datos');
    const [stored] = await shared(w);
    expect(stored).toMatchObject({ id: `${COMFAMA_NIT}:${OTRO}`, nombre: OTRO, creadoEn: en, por: ANDRES, credenciales: { passwordSellada: expect.any(String), clientSecretSellado: expect.any(String) } });
    expect(stored).not.toHaveProperty('datos');
    expect((await sharingEvents(w, before)).map((e) => [e.action, e.detail])).toEqual([
      ['compartir.creado', { servicio: OTRO, parte: 'credenciales', campos: 'nombreToken,tokenUrl,username,clientId,scope,password,clientSecret' }],
    ]);
  });

  it('both, on different days: completo; each part keeps its own time, the service its creation', async () => {
    const w = await ready();
    const day1 = nowIso(w);
    unwrap(await save(w));
    w.clock.advance(DAY);
    const day2 = nowIso(w);
    const before = (await auditEvents(w)).length;
    const r = unwrap(await saveCreds(w));
    expect(r).toMatchObject({ nombre: SERVICIO, estado: 'completo', faltan: [], datos: { guardadoEn: day1 }, credenciales: { guardadoEn: day2 }, actualizadoEn: day2 });
    expect(await shared(w)).toEqual([expect.objectContaining({ creadoEn: day1, actualizadoEn: day2, datos: { ...DATOS, guardadoEn: day1 } })]);
    expect((await sharingEvents(w, before)).map((e) => [e.action, e.detail?.['parte']])).toEqual([['compartir.actualizado', 'credenciales']]);
    expect(unwrap(await sharedServices(w.c, ANDRES, asCcf(), VIGENTES, actor)).servicios).toEqual([r]);
  });

  it('editing the data keeps the credentials (the same sealed values); audited with only what changed', async () => {
    const w = await ready();
    await complete(w);
    const [before] = await shared(w);
    w.clock.advance(DAY);
    const n = (await auditEvents(w)).length;
    const r = unwrap(await save(w, { url: 'https://api2.comfama.com.co/afiliados/consulta', metodo: 'PUT' }));
    expect(r).toMatchObject({ estado: 'completo', datos: { url: 'https://api2.comfama.com.co/afiliados/consulta', metodo: 'PUT', guardadoEn: nowIso(w) } });
    const [after] = await shared(w);
    expect(after!.credenciales).toEqual(before!.credenciales);
    expect(after).toMatchObject({ creadoEn: before!.creadoEn, actualizadoEn: nowIso(w) });
    expect((await sharingEvents(w, n)).map((e) => [e.action, e.detail])).toEqual([['compartir.actualizado', { servicio: SERVICIO, parte: 'datos', campos: 'url,metodo' }]]);
  });

  it('editing the credentials keeps the data; audited with only what changed', async () => {
    const w = await ready();
    await complete(w);
    const [before] = await shared(w);
    w.clock.advance(DAY);
    const n = (await auditEvents(w)).length;
    const r = unwrap(await saveCreds(w, { scope: 'afiliados.consulta afiliados.novedades' }));
    expect(r).toMatchObject({ estado: 'completo', credenciales: { scope: 'afiliados.consulta afiliados.novedades', guardadoEn: nowIso(w) } });
    const [after] = await shared(w);
    expect(after!.datos).toEqual(before!.datos);
    expect((await sharingEvents(w, n)).map((e) => [e.action, e.detail])).toEqual([['compartir.actualizado', { servicio: SERVICIO, parte: 'credenciales', campos: 'scope' }]]);
  });

  it('the list: every service of the CCF by name, each with its state and what is missing', async () => {
    const w = await ready();
    unwrap(await saveCreds(w, {}, 'ZetaServicio'));
    await complete(w, OTRO);
    unwrap(await save(w, {}, SERVICIO));
    const r = unwrap(await sharedServices(w.c, ANDRES, asCcf(), VIGENTES, actor));
    expect(r.nit).toBe(COMFAMA_NIT);
    expect(r.servicios.map((s) => [s.nombre, s.estado, s.faltan])).toEqual([
      [SERVICIO, 'incompleto', ['credenciales']],
      [OTRO, 'completo', []],
      ['ZetaServicio', 'incompleto', ['datos']],
    ]);
  });

  it('sharedServiceName: the name the CCF already uses, in any case; none at another CCF', async () => {
    const w = await ready();
    unwrap(await save(w));
    for (const asked of [SERVICIO, SERVICIO.toLowerCase(), SERVICIO.toUpperCase(), 'consultaAFILIADOScaja']) expect(await sharedServiceName(w.c, COMFAMA_NIT, asked)).toBe(SERVICIO);
    expect(await sharedServiceName(w.c, COMFAMA_NIT, OTRO)).toBeUndefined();
    expect(await sharedServiceName(w.c, COMFAMA_NIT, `${SERVICIO}2`)).toBeUndefined();
    expect(await sharedServiceName(w.c, COMFENALCO_NIT, SERVICIO)).toBeUndefined();
    // The same name is allowed at another CCF.
    unwrap(await saveServiceData(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, DATOS, actor));
    expect(await sharedServiceName(w.c, COMFENALCO_NIT, SERVICIO.toLowerCase())).toBe(SERVICIO);
  });

  // Was a bug: uniqueness "in any case" lived only in the chat's form (dialogs/servicios/compartir.dialog.ts
  // asks sharedServiceName); saveServiceData / saveCredentials key the service by the exact name
  // (`${nit}:${nombre}`), so a caller other than that form (or a race between two conversations) gives
  // the CCF two services whose names differ only in case. ServicioCompartido says "unique per CCF".
  it('the use cases themselves keep names unique per CCF in any case (a second spelling does not make a second service)', async () => {
    const w = await ready();
    unwrap(await save(w));
    await saveServiceData(w.c, ANDRES, asCcf(), VIGENTES, SERVICIO.toLowerCase(), DATOS, actor);
    await saveCredentials(w.c, ANDRES, asCcf(), VIGENTES, SERVICIO.toUpperCase(), credenciales(w.c.secrets), actor);
    expect((await shared(w)).filter((s) => s.nit === COMFAMA_NIT)).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------ secrets

describe('secrets: sealed at rest, never in a view, an audit or a mail', () => {
  it('the password and the Client Secret are stored sealed (they open with the box), and the store holds neither in the clear', async () => {
    const w = await ready();
    await complete(w);
    const [s] = await shared(w);
    const c = s!.credenciales!;
    expect(c.passwordSellada).not.toContain(PASSWORD);
    expect(c.clientSecretSellado).not.toContain(CLIENT_SECRET);
    expect(w.c.secrets.open(c.passwordSellada!)).toBe(PASSWORD);
    expect(w.c.secrets.open(c.clientSecretSellado)).toBe(CLIENT_SECRET);
    const stored = await dump(w.store);
    expect(stored).toContain(c.passwordSellada); // the dump is the real store
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(CLIENT_SECRET);
  });

  it('no view carries the sealed secrets (saveCredentials, saveServiceData, sharedServices, view)', async () => {
    const w = await ready();
    const views = [unwrap(await saveCreds(w)), unwrap(await save(w)), ...unwrap(await sharedServices(w.c, ANDRES, asCcf(), VIGENTES, actor)).servicios, view((await shared(w))[0]!)];
    const [s] = await shared(w);
    for (const v of views) {
      const text = JSON.stringify(v);
      expect(text).not.toContain('passwordSellada');
      expect(text).not.toContain('clientSecretSellado');
      expect(text).not.toContain(s!.credenciales!.passwordSellada);
      expect(text).not.toContain(s!.credenciales!.clientSecretSellado);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(CLIENT_SECRET);
      expect(v.credenciales).toMatchObject({ username: 'minsalud.integracion', clientId: 'minsalud-afiliados' });
    }
  });

  it.each<[string, Parameters<typeof credenciales>[1], string[]]>([
    ['the same values entered again (each sealing differs)', {}, []],
    ['only the password changed', { password: 'Otra-Clave-OAuth-99' }, ['password']],
    ['only the Client Secret changed', { clientSecret: 'cs-otro-secreto-42' }, ['clientSecret']],
    ['both secrets changed', { password: 'Otra-Clave-OAuth-99', clientSecret: 'cs-otro-secreto-42' }, ['password', 'clientSecret']],
    ['the Client ID and the password changed', { clientId: 'minsalud-afiliados-2', password: 'Otra-Clave-OAuth-99' }, ['clientId', 'password']],
    ['the username removed (client credentials from now on)', { username: '' }, ['username']],
  ])('credentials saved again, %s: the audit names %j', async (_name, over, campos) => {
    const w = await ready();
    await complete(w);
    const [before] = await shared(w);
    const n = (await auditEvents(w)).length;
    unwrap(await saveCreds(w, over));
    const [after] = await shared(w);
    // Sealed again even when the value is the same: the comparison must be on what they open to.
    expect(after!.credenciales!.passwordSellada).not.toBe(before!.credenciales!.passwordSellada);
    expect(after!.credenciales!.clientSecretSellado).not.toBe(before!.credenciales!.clientSecretSellado);
    const events = await sharingEvents(w, n);
    expect(events.map((e) => e.action)).toEqual(['compartir.actualizado']);
    expect(String(events[0]!.detail?.['campos'] ?? '').split(',').filter(Boolean)).toEqual(campos);
  });

  it('the whole audit of a journey (share, edit, test, remove, password) holds no secret, sealed or plain', async () => {
    const w = await ready();
    const sealed: string[] = [];
    await complete(w);
    sealed.push(...(await shared(w)).flatMap((s) => [s.credenciales!.passwordSellada!, s.credenciales!.clientSecretSellado]));
    unwrap(await saveCreds(w, { password: 'Otra-Clave-OAuth-99', clientSecret: 'cs-otro-secreto-42' }));
    sealed.push(...(await shared(w)).flatMap((s) => [s.credenciales!.passwordSellada!, s.credenciales!.clientSecretSellado]));
    unwrap(await probe(w));
    const claveSellada = w.c.secrets.seal(CLAVE);
    unwrap(await assignServicesPassword(w.c, ANDRES, asCcf(), VIGENTES, claveSellada, actor));
    unwrap(await removeSharedService(w.c, ANDRES, asCcf(), VIGENTES, SERVICIO, actor));
    const text = JSON.stringify(await auditEvents(w));
    expect(text).toContain('compartir.conexion_probada'); // the journey was audited
    for (const secret of [PASSWORD, CLIENT_SECRET, 'Otra-Clave-OAuth-99', 'cs-otro-secreto-42', CLAVE, claveSellada, ...sealed]) expect(text).not.toContain(secret);
    const stored = await dump(w.store);
    for (const secret of [PASSWORD, CLIENT_SECRET, 'Otra-Clave-OAuth-99', 'cs-otro-secreto-42', CLAVE, claveSellada]) expect(stored).not.toContain(secret);
  });
});

// ------------------------------------------------------------------------------ remove

describe('removeSharedService', () => {
  it('gone from the list and the store, audited; the other services stay', async () => {
    const w = await ready();
    await complete(w);
    unwrap(await save(w, {}, OTRO));
    const n = (await auditEvents(w)).length;
    expect(await removeSharedService(w.c, ANDRES, asCcf(), VIGENTES, SERVICIO, actor)).toEqual({ ok: true, value: undefined });
    expect((await shared(w)).map((s) => s.nombre)).toEqual([OTRO]);
    expect(unwrap(await sharedServices(w.c, ANDRES, asCcf(), VIGENTES, actor)).servicios.map((s) => s.nombre)).toEqual([OTRO]);
    expect(await sharingEvents(w, n)).toEqual([
      { id: expect.any(String), at: nowIso(w), actor: actor.ref, channel: actor.channel, action: 'compartir.eliminado', subject: expect.stringContaining('NIT'), detail: { servicio: SERVICIO } },
    ]);
    expect(await sharedServiceName(w.c, COMFAMA_NIT, SERVICIO)).toBeUndefined();
  });

  it('an unknown one (or one already removed): NO_EXISTE, nothing audited', async () => {
    const w = await ready();
    await complete(w);
    unwrap(await removeSharedService(w.c, ANDRES, asCcf(), VIGENTES, SERVICIO, actor));
    const n = (await auditEvents(w)).length;
    expect(await removeSharedService(w.c, ANDRES, asCcf(), VIGENTES, SERVICIO, actor)).toEqual(refused({ code: 'COMPARTIDO.NO_EXISTE' }));
    expect(await removeSharedService(w.c, ANDRES, asCcf(), VIGENTES, 'NoExiste', actor)).toEqual(refused({ code: 'COMPARTIDO.NO_EXISTE' }));
    expect((await auditEvents(w)).slice(n)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ Probar conexión

describe('testSharedService ("Probar conexión")', () => {
  const OK: ResultadoPrueba = { token: { ok: true, status: 200, ms: 12, bytes: 320 }, servicio: { ok: true, status: 200, ms: 34, bytes: 2048 } };

  it.each<[string, (w: Ready) => Promise<unknown>, readonly string[]]>([
    ['only the data', (w) => save(w), ['credenciales']],
    ['only the credentials', (w) => saveCreds(w), ['datos']],
  ])('incompleto (%s) → INCOMPLETO with what is missing; the tester is not called, nothing audited', async (_name, arrange, faltan) => {
    const w = await ready();
    await arrange(w);
    const n = (await auditEvents(w)).length;
    expect(await probe(w)).toEqual(refused({ code: 'COMPARTIDO.INCOMPLETO', faltan }));
    expect(w.c.tester.calls).toEqual([]);
    expect((await auditEvents(w)).slice(n)).toEqual([]);
  });

  it('an unknown service → NO_EXISTE', async () => {
    const w = await ready();
    expect(await probe(w, 'NoExiste')).toEqual(refused({ code: 'COMPARTIDO.NO_EXISTE' }));
    expect(w.c.tester.calls).toEqual([]);
  });

  it('complete, with a username: the tester gets the opened secrets, the password grant, the URL, method and example; the result passed through; audited with outcomes only', async () => {
    const w = await ready();
    await complete(w);
    const n = (await auditEvents(w)).length;
    const r = await probe(w);
    expect(r).toEqual({ ok: true, value: OK });
    expect(w.c.tester.calls).toEqual([
      {
        tokenUrl: 'https://auth.comfama.com.co/oauth/token',
        grantType: 'password',
        username: 'minsalud.integracion',
        password: PASSWORD,
        clientId: 'minsalud-afiliados',
        clientSecret: CLIENT_SECRET,
        scope: 'afiliados.consulta',
        serviceUrl: DATOS.url,
        metodo: 'POST',
        cuerpo: DATOS.ejemplo,
      },
    ]);
    const events = (await auditEvents(w)).slice(n);
    expect(events).toEqual([
      { id: expect.any(String), at: nowIso(w), actor: actor.ref, channel: actor.channel, action: 'compartir.conexion_probada', subject: expect.stringContaining('NIT'), detail: { servicio: SERVICIO, token: 'ok 200', llamada: 'ok 200' } },
    ]);
    const text = JSON.stringify(events);
    for (const secret of [PASSWORD, CLIENT_SECRET, 'minsalud-afiliados', DATOS.url]) expect(text).not.toContain(secret);
  });

  it('complete, without a username nor a scope: client credentials, no password or scope sent', async () => {
    const w = await ready();
    await complete(w, SERVICIO, { username: '', scope: '' });
    unwrap(await probe(w));
    expect(w.c.tester.calls).toEqual([
      { tokenUrl: 'https://auth.comfama.com.co/oauth/token', grantType: 'client_credentials', clientId: 'minsalud-afiliados', clientSecret: CLIENT_SECRET, serviceUrl: DATOS.url, metodo: 'POST', cuerpo: DATOS.ejemplo },
    ]);
  });

  it.each<[string, ResultadoPrueba, { token: string; llamada: string }]>([
    ['token refused', { token: { ok: false, motivo: 'token_rechazado', status: 401, ms: 40 } }, { token: 'token_rechazado', llamada: '-' }],
    ['service timed out', { token: { ok: true, status: 200, ms: 12, bytes: 320 }, servicio: { ok: false, motivo: 'tiempo', ms: 8000 } }, { token: 'ok 200', llamada: 'tiempo' }],
    ['service answered 500', { token: { ok: true, status: 201, ms: 12, bytes: 320 }, servicio: { ok: false, motivo: 'estado', status: 500, ms: 90 } }, { token: 'ok 201', llamada: 'estado' }],
  ])('%s: the outcome passed through as the tester gave it, audited by its stage outcomes', async (_name, answer, detail) => {
    const w = await ready();
    await complete(w);
    w.c.tester.answer(answer);
    expect(await probe(w)).toEqual({ ok: true, value: answer });
    expect((await auditEvents(w)).at(-1)).toMatchObject({ action: 'compartir.conexion_probada', detail: { servicio: SERVICIO, ...detail } });
  });

  it(`at most ${PRUEBAS_POR_MINUTO} per minute per CCF: the next says how many seconds to wait; after the minute, allowed again`, async () => {
    const w = await ready();
    await complete(w);
    await complete(w, OTRO);
    const t0 = w.clock.now().getTime();
    for (let i = 0; i < PRUEBAS_POR_MINUTO; i++) {
      expect(await probe(w, i % 2 ? OTRO : SERVICIO)).toMatchObject({ ok: true });
      w.clock.advance(10 * SECOND);
    }
    // t0 + 30 s: the first test leaves the window at t0 + 60 s. Any service of the CCF counts.
    const n = (await auditEvents(w)).length;
    expect(await probe(w, OTRO)).toEqual(refused({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS', segundos: 30 }));
    expect(w.c.tester.calls).toHaveLength(PRUEBAS_POR_MINUTO);
    expect((await auditEvents(w)).slice(n)).toEqual([]);

    w.clock.advance(29 * SECOND + 500); // t0 + 59.5 s
    expect(await probe(w)).toEqual(refused({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS', segundos: 1 }));
    w.clock.set(new Date(t0 + MINUTE));
    expect(await probe(w)).toMatchObject({ ok: true });
    expect(w.c.tester.calls).toHaveLength(PRUEBAS_POR_MINUTO + 1);
    // Now t0+10 s, t0+20 s and t0+60 s are in the window: the oldest leaves at t0 + 70 s.
    expect(await probe(w)).toEqual(refused({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS', segundos: 10 }));
  });

  it('another CCF is not limited by the first one’s tests', async () => {
    const w = await ready();
    await complete(w);
    unwrap(await saveServiceData(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, DATOS, actor));
    unwrap(await saveCredentials(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, credenciales(w.c.secrets), actor));
    for (let i = 0; i < PRUEBAS_POR_MINUTO; i++) unwrap(await probe(w));
    expect(await probe(w)).toMatchObject(refused({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS' }));
    for (let i = 0; i < PRUEBAS_POR_MINUTO; i++) expect(await probe(w, SERVICIO, JAIME, asCcf(COMFENALCO_NIT))).toMatchObject({ ok: true });
    expect(w.c.tester.calls).toHaveLength(2 * PRUEBAS_POR_MINUTO);
  });

  it('refusals (incompleto, unknown) do not use up the tests', async () => {
    const w = await ready();
    unwrap(await save(w, {}, OTRO));
    for (let i = 0; i < PRUEBAS_POR_MINUTO + 1; i++) {
      expect(await probe(w, OTRO)).toMatchObject(refused({ code: 'COMPARTIDO.INCOMPLETO' }));
      expect(await probe(w, 'NoExiste')).toMatchObject(refused({ code: 'COMPARTIDO.NO_EXISTE' }));
    }
    await complete(w);
    expect(await probe(w)).toMatchObject({ ok: true });
  });

  it('a separate store (a new test world) starts with no connection tests counted', async () => {
    const first = await ready();
    await complete(first);
    for (let i = 0; i < PRUEBAS_POR_MINUTO; i++) unwrap(await probe(first));
    const second = await ready();
    second.clock.set(first.clock.now());
    await complete(second);
    expect(await probe(second)).toMatchObject({ ok: true });
  });

  /** Another app instance over the same store: its own Store object (as a second pool would be), its own tester. */
  const instanceOf = (w: Ready): Sharing => ({
    ...w.c,
    store: { transaction: (work) => w.store.transaction(work), sync: () => w.store.sync(), health: () => w.store.health(), close: async () => {} },
    tester: recordingTester(),
  });

  it('two instances sharing one store count the same tests: together at most the limit, then both refuse', async () => {
    const w = await ready();
    await complete(w);
    const other = instanceOf(w);
    const probeOn = (c: Sharing) => testSharedService(c, ANDRES, asCcf(), VIGENTES, SERVICIO, actor);
    // Alternating, then all at once from both: never more than the limit in the minute.
    expect(await probeOn(w.c)).toMatchObject({ ok: true });
    w.clock.advance(SECOND);
    expect(await probeOn(other)).toMatchObject({ ok: true });
    w.clock.advance(SECOND);
    const burst = await Promise.all([probeOn(w.c), probeOn(other), probeOn(w.c), probeOn(other)]);
    expect(burst.filter((r) => r.ok)).toHaveLength(PRUEBAS_POR_MINUTO - 2);
    expect(burst.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(4 - (PRUEBAS_POR_MINUTO - 2)).fill('COMPARTIDO.DEMASIADAS_PRUEBAS'));
    expect(w.c.tester.calls.length + other.tester.calls.length).toBe(PRUEBAS_POR_MINUTO);
    // The first test (t0) leaves the window at t0 + 60 s: 58 s from now, for either instance.
    expect(await probeOn(other)).toEqual(refused({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS', segundos: 58 }));
    w.clock.advance(58 * SECOND);
    expect(await probeOn(other)).toMatchObject({ ok: true });
    expect(await probeOn(w.c)).toMatchObject(refused({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS' }));
  });

  it('the store keeps one record per CCF with only the tests of the last minute (older ones pruned at each test), no secret', async () => {
    const w = await ready();
    await complete(w);
    unwrap(await saveServiceData(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, DATOS, actor));
    unwrap(await saveCredentials(w.c, JAIME, asCcf(COMFENALCO_NIT), VIGENTES, SERVICIO, credenciales(w.c.secrets), actor));
    for (let day = 0; day < 5; day++) {
      for (let i = 0; i < PRUEBAS_POR_MINUTO + 1; i++) {
        await probe(w);
        w.clock.advance(10 * SECOND);
      }
      w.clock.advance(DAY);
    }
    const t = w.clock.now().getTime();
    unwrap(await probe(w, SERVICIO, JAIME, asCcf(COMFENALCO_NIT)));
    w.clock.advance(30 * SECOND);
    unwrap(await probe(w));
    expect(await records(w.store, 'pruebasConexion')).toEqual([
      { id: COMFAMA_NIT, en: [t + 30 * SECOND] },
      { id: COMFENALCO_NIT, en: [t] },
    ]);
    const text = JSON.stringify(await records(w.store, 'pruebasConexion'));
    for (const secret of [PASSWORD, CLIENT_SECRET, SERVICIO, 'minsalud-afiliados']) expect(text).not.toContain(secret);
  });
});

// ------------------------------------------------------------------------------ Asignar contraseña

describe('assignServicesPassword ("Asignar contraseña")', () => {
  it('stored only as a hash verifyPassword accepts for the password and rejects otherwise; the password nowhere in the store, the audit or the mails', async () => {
    const w = await ready();
    const en = nowIso(w);
    const sealed = w.c.secrets.seal(CLAVE);
    const n = (await auditEvents(w)).length;
    const r = await assignServicesPassword(w.c, ANDRES, asCcf(), VIGENTES, sealed, actor);
    expect(r).toEqual({ ok: true, value: { asignadaEn: en, correosEnviados: true, correos: 2 } });
    const [stored] = await claves(w);
    expect(stored).toEqual({ id: COMFAMA_NIT, hash: expect.stringMatching(/^\$argon2id\$/), asignadaEn: en, por: ANDRES });
    expect(await passwordHasher.verify(CLAVE, stored!.hash)).toBe(true);
    expect(await passwordHasher.verify(`${CLAVE}x`, stored!.hash)).toBe(false);
    expect(await passwordHasher.verify(CLAVE.toLowerCase(), stored!.hash)).toBe(false);
    expect(await passwordHasher.verify(OTRA_CLAVE, stored!.hash)).toBe(false);

    const events = (await auditEvents(w)).slice(n);
    expect(events.map((e) => [e.action, e.detail?.['plantilla']])).toEqual([
      ['compartir.clave_asignada', undefined],
      ['correo.enviado', 'clave-servicios-asignada'],
      ['correo.enviado', 'clave-servicios-asignada'],
    ]);
    expect(events[0]).toMatchObject({ at: en, subject: expect.stringContaining('NIT') });
    const places = { store: await dump(w.store), audit: JSON.stringify(await auditEvents(w)), mails: JSON.stringify(w.mailer.sent) };
    for (const [where, text] of Object.entries(places)) {
      expect(text, where).not.toContain(CLAVE);
      expect(text, where).not.toContain(sealed);
    }
  });

  it('mails "clave-servicios-asignada" to the person and to the CCF’s corporate e-mail, after the commit, without the password', async () => {
    const w = await ready();
    const en = nowIso(w);
    unwrap(await assign(w));
    const role = (await roleOf(w))!;
    expect(role.sede.email).toBe(COMFAMA_MAIL);
    const andres = (await w.store.transaction((tx) => tx.collection('citizens').get(ANDRES)))!;
    const data = { razonSocial: role.razonSocial, fecha: en, enlace: 'https://asistente.example/', cambio: false };
    expect(w.mailer.sent).toEqual([
      { to: 'andres.zapata@correo.com', template: 'clave-servicios-asignada', data: { ...data, nombre: displayName(andres) }, insideTransaction: false },
      { to: COMFAMA_MAIL, template: 'clave-servicios-asignada', data: { ...data, nombre: role.razonSocial }, insideTransaction: false },
    ]);
  });

  it('a second assignment changes it: the new one verifies, the old one no longer; audited as changed; the mails say so', async () => {
    const w = await ready();
    unwrap(await assign(w));
    w.clock.advance(DAY);
    const en = nowIso(w);
    w.mailer.sent.length = 0;
    const n = (await auditEvents(w)).length;
    expect(await assign(w, OTRA_CLAVE)).toEqual({ ok: true, value: { asignadaEn: en, correosEnviados: true, correos: 2 } });
    const all = await claves(w);
    expect(all).toEqual([{ id: COMFAMA_NIT, hash: expect.any(String), asignadaEn: en, por: ANDRES }]);
    expect(await passwordHasher.verify(OTRA_CLAVE, all[0]!.hash)).toBe(true);
    expect(await passwordHasher.verify(CLAVE, all[0]!.hash)).toBe(false);
    expect((await auditEvents(w)).slice(n).map((e) => e.action)).toEqual(['compartir.clave_cambiada', 'correo.enviado', 'correo.enviado']);
    expect(w.mailer.sent.map((m) => m.data)).toEqual([expect.objectContaining({ cambio: true, fecha: en }), expect.objectContaining({ cambio: true, fecha: en })]);
    expect(await w.store.transaction((tx) => passwordAssignedAt(tx, COMFAMA_NIT))).toBe(en);
  });

  it('each CCF has its own password, told to its own people and corporate e-mail', async () => {
    const w = await ready();
    unwrap(await assign(w));
    w.mailer.sent.length = 0;
    unwrap(await assign(w, OTRA_CLAVE, JAIME, asCcf(COMFENALCO_NIT)));
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['jaime.giraldo@correo.com', COMFENALCO_MAIL]);
    const byNit = Object.fromEntries((await claves(w)).map((c) => [c.id, c]));
    expect(await passwordHasher.verify(CLAVE, byNit[COMFAMA_NIT]!.hash)).toBe(true);
    expect(await passwordHasher.verify(OTRA_CLAVE, byNit[COMFENALCO_NIT]!.hash)).toBe(true);
    expect(byNit[COMFENALCO_NIT]!.por).toBe(JAIME);
  });
});

// ------------------------------------------------------------------------------ sharingFacts (the checklist's step 5)

describe('sharingFacts', () => {
  it('counts the shared services, names the complete ones, keeps the last connection test, says when the password was assigned; per CCF', async () => {
    const w = await ready();
    const facts = (nit = COMFAMA_NIT) => w.store.transaction((tx) => sharingFacts(tx, nit));
    expect(await facts()).toEqual({ compartidos: 0, completos: 0, nombresCompletos: [] });
    unwrap(await save(w));
    unwrap(await saveCreds(w, {}, OTRO));
    expect(await facts()).toEqual({ compartidos: 2, completos: 0, nombresCompletos: [] });
    unwrap(await saveCreds(w));
    expect(await facts()).toEqual({ compartidos: 2, completos: 1, nombresCompletos: [SERVICIO] });
    const en = nowIso(w);
    unwrap(await assign(w));
    expect(await facts()).toEqual({ compartidos: 2, completos: 1, nombresCompletos: [SERVICIO], claveAsignadaEn: en });
    // Probar conexión: the last one, whether it worked.
    unwrap(await probe(w));
    expect((await facts()).ultimaPrueba).toEqual({ servicio: SERVICIO, en: nowIso(w), exito: true });
    w.clock.advance(60_000);
    w.c.tester.answer({ token: { ok: false, motivo: 'token_rechazado', status: 401, ms: 40 } });
    unwrap(await probe(w));
    expect((await facts()).ultimaPrueba).toEqual({ servicio: SERVICIO, en: nowIso(w), exito: false });
    expect(await facts(COMFENALCO_NIT)).toEqual({ compartidos: 0, completos: 0, nombresCompletos: [] });
  });
});
