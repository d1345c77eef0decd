/**
 * Compartir Servicios Entidad and Asignar contraseña (DESIGN §2, step 5; manual section 6): the
 * authorized person shares the CCF's own services with the Ministry — two forms saved separately
 * ("Datos del servicio web", "Credenciales OAuth 2.0"), the service incompleto until both are —,
 * lists, edits and removes them, tests the connection, and assigns the CCF's web-services password.
 * Secrets arrive sealed (the form engine seals masked inputs with the same SecretBox) and stay sealed;
 * they are opened only to hash the password or to call the service in "Probar conexión". Every
 * change is audited with what changed, never a secret value.
 */
import { audit, type Actor } from './audit.js';
import { chatLink, nitSubject } from './empleador-common.js';
import { sendAllAndRecord } from './notify.js';
import { displayName } from './people.js';
import type { ConnectionTester, ResultadoPrueba, SecretBox, Tx } from './ports.js';
import { err, ok, type Result } from './result.js';
import { usable, type ServiciosCcfDeps, type ServiciosCcfError, type Versiones } from './servicios-ccf.js';
import type { ActingRole } from './session.js';
import type { CredencialesOAuth, DatosServicioCompartido, ServicioCompartido } from './servicios-web.js';

export interface CompartirDeps extends ServiciosCcfDeps {
  readonly secrets: SecretBox;
}

export type CompartirError =
  | ServiciosCcfError
  | { code: 'COMPARTIDO.NO_EXISTE' }
  /** "Probar conexión" needs both forms. */
  | { code: 'COMPARTIDO.INCOMPLETO'; faltan: readonly Parte[] }
  /** Too many connection tests for the CCF in the last minute. */
  | { code: 'COMPARTIDO.DEMASIADAS_PRUEBAS'; segundos: number };

/** The two forms of a shared service. */
export type Parte = 'datos' | 'credenciales';

/** A shared service as the chat shows it: its state and what is missing (never a secret). */
export interface CompartidoVista {
  readonly nombre: string;
  readonly estado: 'completo' | 'incompleto';
  readonly faltan: readonly Parte[];
  readonly datos?: DatosServicioCompartido;
  readonly credenciales?: Omit<CredencialesOAuth, 'passwordSellada' | 'clientSecretSellado'>;
  readonly actualizadoEn: string;
}

/** How many connection tests a CCF may run per minute. */
export const PRUEBAS_POR_MINUTO = 3;

const idOf = (nit: string, nombre: string) => `${nit}:${nombre}`;

export function view(s: ServicioCompartido): CompartidoVista {
  const faltan: Parte[] = [...(s.datos ? [] : ['datos' as const]), ...(s.credenciales ? [] : ['credenciales' as const])];
  const credenciales = s.credenciales
    ? (({ passwordSellada: _p, clientSecretSellado: _s, ...rest }: CredencialesOAuth) => rest)(s.credenciales)
    : undefined;
  return {
    nombre: s.nombre,
    estado: faltan.length ? 'incompleto' : 'completo',
    faltan,
    ...(s.datos ? { datos: s.datos } : {}),
    ...(credenciales ? { credenciales } : {}),
    actualizadoEn: s.actualizadoEn,
  };
}

const byName = (a: ServicioCompartido, b: ServicioCompartido) => a.nombre.localeCompare(b.nombre);

/** The services the CCF the person acts for shares, by identifier. */
export function sharedServices(
  deps: CompartirDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  actor: Actor,
): Promise<Result<{ nit: string; servicios: CompartidoVista[] }, CompartirError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const list = (await tx.collection('serviciosCompartidos').findBy('nit', a.value)).sort(byName);
    return ok({ nit: a.value, servicios: list.map(view) });
  });
}

/** The identifier (any case) of a service the CCF already shares, to refuse a second one with the same name. */
export async function sharedServiceName(deps: Pick<CompartirDeps, 'store'>, nit: string, nombre: string): Promise<string | undefined> {
  const list = await deps.store.transaction((tx) => tx.collection('serviciosCompartidos').findBy('nit', nit));
  return list.find((s) => s.nombre.toLowerCase() === nombre.toLowerCase())?.nombre;
}

/** The fields that differ between two versions of a part (names only: what changed, never the values of secrets). */
function changed<T extends object>(before: T | undefined, after: T, ignore: readonly string[] = []): string[] {
  const keys = Object.keys(after).filter((k) => !ignore.includes(k));
  if (!before) return keys;
  return keys.filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((after as Record<string, unknown>)[k]));
}

async function findByName(tx: Tx, nit: string, nombre: string): Promise<ServicioCompartido | undefined> {
  return (await tx.collection('serviciosCompartidos').findBy('nit', nit)).find((s) => s.nombre.toLowerCase() === nombre.toLowerCase());
}

async function saveShared(
  tx: Tx,
  deps: CompartirDeps,
  citizenId: string,
  nit: string,
  nombre: string,
  update: (current: ServicioCompartido | undefined, en: string) => { next: ServicioCompartido; campos: string[]; parte: Parte },
  actor: Actor,
): Promise<CompartidoVista> {
  const en = deps.clock.now().toISOString();
  // Names are unique per CCF in any case: another spelling is the same service (under its first name).
  const current = (await tx.collection('serviciosCompartidos').get(idOf(nit, nombre))) ?? (await findByName(tx, nit, nombre));
  const { next, campos, parte } = update(current, en);
  await tx.collection('serviciosCompartidos').put(next);
  await audit(tx, deps.clock, deps.random, actor, current ? 'compartir.actualizado' : 'compartir.creado', nitSubject(nit), {
    servicio: next.nombre,
    parte,
    campos: campos.join(','),
  });
  return view(next);
}

/** "Datos del servicio web": creates the shared service or updates its data; audited with the fields that changed. */
export function saveServiceData(
  deps: CompartirDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  nombre: string,
  datos: Omit<DatosServicioCompartido, 'guardadoEn'>,
  actor: Actor,
): Promise<Result<CompartidoVista, CompartirError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const nit = a.value;
    const saved = await saveShared(tx, deps, citizenId, nit, nombre, (current, en) => {
      const next: DatosServicioCompartido = { ...datos, guardadoEn: en };
      const base = current ?? { id: idOf(nit, nombre), nit, nombre, creadoEn: en };
      return { next: { ...base, datos: next, actualizadoEn: en, por: citizenId }, campos: changed(current?.datos, next, ['guardadoEn']), parte: 'datos' };
    }, actor);
    return ok(saved);
  });
}

/** What the OAuth 2.0 form gives: the password and the Client Secret already sealed. */
export type CredencialesNuevas = Omit<CredencialesOAuth, 'guardadoEn'>;

/** "Credenciales OAuth 2.0": creates the shared service or updates its credentials; audited without the secrets. */
export function saveCredentials(
  deps: CompartirDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  nombre: string,
  credenciales: CredencialesNuevas,
  actor: Actor,
): Promise<Result<CompartidoVista, CompartirError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const nit = a.value;
    const saved = await saveShared(tx, deps, citizenId, nit, nombre, (current, en) => {
      const next: CredencialesOAuth = { ...credenciales, guardadoEn: en };
      const before = current?.credenciales;
      // A secret changed when its plain value did (each sealing differs): compare what they open to.
      const plain = (sealed: string | undefined) => (sealed === undefined ? undefined : deps.secrets.open(sealed));
      const secretChanged = (k: 'passwordSellada' | 'clientSecretSellado') => (before ? plain(before[k]) : undefined) !== plain(next[k]);
      const campos = [
        ...changed(before, next, ['guardadoEn', 'passwordSellada', 'clientSecretSellado']),
        ...(secretChanged('passwordSellada') ? ['password'] : []),
        ...(secretChanged('clientSecretSellado') ? ['clientSecret'] : []),
      ];
      const base = current ?? { id: idOf(nit, nombre), nit, nombre, creadoEn: en };
      return { next: { ...base, credenciales: next, actualizadoEn: en, por: citizenId }, campos, parte: 'credenciales' };
    }, actor);
    return ok(saved);
  });
}

/** Removes a shared service of the CCF; audited. */
export function removeSharedService(
  deps: CompartirDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  nombre: string,
  actor: Actor,
): Promise<Result<void, CompartirError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const found = await findByName(tx, a.value, nombre);
    if (!found || !(await tx.collection('serviciosCompartidos').delete(found.id))) return err({ code: 'COMPARTIDO.NO_EXISTE' } as const);
    await audit(tx, deps.clock, deps.random, actor, 'compartir.eliminado', nitSubject(a.value), { servicio: nombre });
    return ok(undefined);
  });
}

// ---------------------------------------------------------------- Probar conexión

const WINDOW_MS = 60_000;

/**
 * Takes one of the CCF's connection tests of the last minute, or says how many seconds until the
 * oldest leaves the window. The record keeps only the tests still inside it (at most the limit).
 */
async function claimTest(tx: Tx, nit: string, now: number): Promise<Result<void, CompartirError>> {
  const repo = tx.collection('pruebasConexion');
  const times = ((await repo.get(nit))?.en ?? []).filter((t) => now - t < WINDOW_MS).sort((x, y) => x - y);
  if (times.length >= PRUEBAS_POR_MINUTO) {
    return err({ code: 'COMPARTIDO.DEMASIADAS_PRUEBAS', segundos: Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000)) });
  }
  await repo.put({ id: nit, en: [...times, now] });
  return ok(undefined);
}

/**
 * "Probar conexión": for a complete shared service, a token from its token URL with the stored
 * credentials, then a call to the service with the example body. At most PRUEBAS_POR_MINUTO per CCF:
 * a test is claimed in the same transaction that finds the service, in the CCF's `pruebasConexion`
 * record (its tests of the last minute, older ones pruned), so instances sharing a store count the
 * same tests and two of them cannot both take the last one.
 */
export async function testSharedService(
  deps: CompartirDeps & { readonly tester: ConnectionTester },
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  nombre: string,
  actor: Actor,
): Promise<Result<ResultadoPrueba, CompartirError>> {
  const found = await deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const s = await findByName(tx, a.value, nombre);
    if (!s) return err({ code: 'COMPARTIDO.NO_EXISTE' } as const);
    const v = view(s);
    if (!s.datos || !s.credenciales) return err({ code: 'COMPARTIDO.INCOMPLETO', faltan: v.faltan } as const);
    const claimed = await claimTest(tx, a.value, deps.clock.now().getTime());
    if (!claimed.ok) return claimed;
    return ok({ nit: a.value, datos: s.datos, credenciales: s.credenciales });
  });
  if (!found.ok) return found;
  const { nit, datos, credenciales: c } = found.value;
  const result = await deps.tester.test({
    tokenUrl: c.tokenUrl,
    grantType: c.username && c.passwordSellada ? 'password' : 'client_credentials',
    ...(c.username && c.passwordSellada ? { username: c.username, password: deps.secrets.open(c.passwordSellada) } : {}),
    clientId: c.clientId,
    clientSecret: deps.secrets.open(c.clientSecretSellado),
    ...(c.scope ? { scope: c.scope } : {}),
    serviceUrl: datos.url,
    metodo: datos.metodo,
    cuerpo: datos.ejemplo,
  });
  const outcome = (e: ResultadoPrueba['token'] | undefined) => (e ? (e.ok ? `ok ${e.status}` : e.motivo) : '-');
  await deps.store.transaction(async (tx) => {
    const repo = tx.collection('serviciosCompartidos');
    const s = await findByName(tx, nit, nombre);
    // Kept on the service for "¿en qué voy?" (it may have been removed meanwhile: then only the audit).
    if (s) await repo.put({ ...s, ultimaPrueba: { en: deps.clock.now().toISOString(), exito: Boolean(result.token?.ok && result.servicio?.ok) } });
    await audit(tx, deps.clock, deps.random, actor, 'compartir.conexion_probada', nitSubject(nit), { servicio: nombre, token: outcome(result.token), llamada: outcome(result.servicio) });
  });
  return ok(result);
}

// ---------------------------------------------------------------- Asignar contraseña

/** Whether the CCF has its web-services password, and since when. */
export async function passwordAssignedAt(tx: Tx, nit: string): Promise<string | undefined> {
  return (await tx.collection('clavesServicios').get(nit))?.asignadaEn;
}

/**
 * "Asignar contraseña": the CCF's password for the web services (the form checked the policy and the
 * confirmation), kept only as a slow salted hash; the person and the CCF's corporate e-mail are told
 * (without the password).
 */
export async function assignServicesPassword(
  deps: CompartirDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  claveSellada: string,
  actor: Actor,
): Promise<Result<{ asignadaEn: string; correosEnviados: boolean; correos: number }, CompartirError>> {
  // A refused person does not pay for the slow hash: access first, then the hash (outside any transaction).
  const allowed = await deps.store.transaction((tx) => usable(tx, deps, citizenId, acting, vigentes, actor));
  if (!allowed.ok) return allowed;
  const hash = await deps.passwords.hash(deps.secrets.open(claveSellada));
  const done = await deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const nit = a.value;
    const en = deps.clock.now().toISOString();
    const before = await tx.collection('clavesServicios').get(nit);
    await tx.collection('clavesServicios').put({ id: nit, hash, asignadaEn: en, por: citizenId });
    await audit(tx, deps.clock, deps.random, actor, before ? 'compartir.clave_cambiada' : 'compartir.clave_asignada', nitSubject(nit));
    const person = await tx.collection('citizens').get(citizenId);
    const role = await tx.collection('employers').get(nit);
    const data = { razonSocial: role?.razonSocial ?? '', fecha: en, enlace: chatLink(deps), cambio: before !== undefined };
    const to = [...new Set([person?.email, role?.sede.email].filter((x): x is string => Boolean(x)))];
    const mails = to.map((email) => ({ to: email, template: 'clave-servicios-asignada', data: { ...data, nombre: email === person?.email && person ? displayName(person) : (role?.razonSocial ?? '') } }));
    return ok({ nit, en, mails });
  });
  if (!done.ok) return done;
  const subject = nitSubject(done.value.nit);
  const correosEnviados = (await sendAllAndRecord(deps, actor, done.value.mails.map((mail) => ({ mail, subject })))).every(Boolean);
  return ok({ asignadaEn: done.value.en, correosEnviados, correos: done.value.mails.length });
}

/** Step 5 facts of a CCF beyond the terms: shared services (complete ones by name), the last connection test, the password. */
export interface SharingFacts {
  readonly compartidos: number;
  readonly completos: number;
  /** The names of the complete ones, in name order. */
  readonly nombresCompletos: readonly string[];
  /** The most recent "Probar conexión" of any of them. */
  readonly ultimaPrueba?: { readonly servicio: string; readonly en: string; readonly exito: boolean };
  readonly claveAsignadaEn?: string;
}

export async function sharingFacts(tx: Tx, nit: string): Promise<SharingFacts> {
  const list = await tx.collection('serviciosCompartidos').findBy('nit', nit);
  const clave = await passwordAssignedAt(tx, nit);
  const complete = list.filter((s) => s.datos && s.credenciales);
  const last = list
    .flatMap((s) => (s.ultimaPrueba ? [{ servicio: s.nombre, ...s.ultimaPrueba }] : []))
    .sort((a, b) => b.en.localeCompare(a.en))[0];
  return {
    compartidos: list.length,
    completos: complete.length,
    nombresCompletos: complete.map((s) => s.nombre).sort((a, b) => a.localeCompare(b, 'es')),
    ...(last ? { ultimaPrueba: last } : {}),
    ...(clave ? { claveAsignadaEn: clave } : {}),
  };
}
