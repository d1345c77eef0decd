/**
 * "Administrar autorizados" (DESIGN §2, chain step 3): the RL or the delegate of a company, acting in
 * its employer role, lists its authorized persons, authorizes a person (rol CAJA DE SUBSIDIO FAMILIAR,
 * only for CCFs; perfil "Autorizado para administrar servicios web externos"; a site) and revokes an
 * authorization. The person is linked when registered, otherwise invited, and linked at activation.
 */
import { documentSubject, type Actor } from './audit.js';
import { PERFIL_SERVICIOS, ROL_CAJA, type Autorizacion, type AutorizadoPor, type PerfilAutorizado, type RolAutorizado, type RolCcf, type SedeAutorizado } from './autorizaciones.js';
import type { Citizen } from './citizens.js';
import type { CoreDeps } from './deps.js';
import { checkedPerson } from './delegados.js';
import { chatLink, nitOf, nitSubject, note, type EmpleadorDeps } from './empleador-common.js';
import type { DelegateData, EmployerRole, Sede } from './employers.js';
import { parseEmail } from './fields.js';
import { formatNit } from './nit.js';
import { sendAndRecord } from './notify.js';
import { displayName } from './people.js';
import { permit, principalOf } from './permissions.js';
import type { MailRequest, Store, Tx } from './ports.js';
import type { ReferenceRegistry } from './reference.js';
import { err, ok, type Result } from './result.js';
import type { ActingRole } from './session.js';
import { maskEmail } from './text.js';

export type AutorizadosDeps = EmpleadorDeps;

/** A revocation needs a reason of this many characters. */
export const REVOCACION_MOTIVO_MIN = 5;
export const REVOCACION_MOTIVO_MAX = 500;
/** The list shows this many entries at a time. */
export const AUTORIZADOS_POR_PAGINA = 10;

export type AutorizadoError =
  | { code: 'PERMISO.DENEGADO' }
  /** The employer role waits for the Ministry's RUT review (or was rejected): no one can be authorized yet. */
  | { code: 'EMPLEADOR.NO_ACTIVO'; estado: EmployerRole['estado'] }
  /** The company is not a CCF: it has no rol to authorize (the helpdesk can help). */
  | { code: 'AUTORIZADO.ROL_NO_DISPONIBLE' }
  /** The person's data does not match the reference sources (never says which field). */
  | { code: 'AUTORIZADO.NO_COINCIDE' }
  /** "Una persona sólo puede ser asignada una sola vez al rol": the entry that exists. */
  | { code: 'AUTORIZADO.YA_ASIGNADO'; existente: Autorizacion }
  | { code: 'AUTORIZADO.NO_EXISTE' }
  | { code: 'AUTORIZADO.YA_REVOCADO' }
  | { code: 'AUTORIZADO.MOTIVO_REQUERIDO'; min: number; max: number };

/** The company whose authorized persons are administered, as the chat shows it. */
export interface Empresa {
  readonly nit: string;
  readonly dv: string;
  readonly razonSocial: string;
  /** Its short name in the reference sources ("COMFAMA"), if any. */
  readonly sigla?: string;
  /** One of the 43 CCFs (it has a PILA code in the reference sources). */
  readonly esCcf: boolean;
  readonly estado: EmployerRole['estado'];
  readonly sede: Sede;
  /** The capacity the person administers it in. */
  readonly como: 'rl' | 'delegado';
}

/** The person to authorize, as the RL or delegate gives it. */
export interface NuevoAutorizado extends Omit<DelegateData, 'email'> {
  readonly email: string;
  readonly sede: SedeAutorizado;
  readonly rol: RolAutorizado;
  readonly perfil: PerfilAutorizado;
}

/** The roles a company may authorize persons in: CAJA DE SUBSIDIO FAMILIAR only for CCFs. */
export function rolesAutorizables(empresa: Pick<Empresa, 'esCcf'>): RolAutorizado[] {
  return empresa.esCcf ? [ROL_CAJA] : [];
}

/** The perfiles of a rol. */
export function perfilesDe(rol: RolAutorizado): PerfilAutorizado[] {
  return rol === ROL_CAJA ? [PERFIL_SERVICIOS] : [];
}

interface Admitted {
  readonly role: EmployerRole;
  readonly empresa: Empresa;
  readonly by: Citizen;
}

/** The company's role and the person who administers it, when the permission holds. */
async function admit(tx: Tx, deps: AutorizadosDeps, citizenId: string, acting: ActingRole | undefined, nit: string): Promise<Result<Admitted, AutorizadoError>> {
  const role = await tx.collection('employers').get(nit);
  const principal = await principalOf(tx, deps.staff, citizenId, acting);
  if (!role) return err({ code: 'PERMISO.DENEGADO' });
  const allowed = permit(principal, 'autorizados.administrar', { role });
  const by = await tx.collection('citizens').get(citizenId);
  if (!allowed.ok || !by) return err({ code: 'PERMISO.DENEGADO' });
  const company = await deps.reference.findCompany(nit);
  const empresa: Empresa = {
    nit: role.nit,
    dv: role.dv,
    razonSocial: role.razonSocial,
    ...(company?.sigla ? { sigla: company.sigla } : {}),
    esCcf: company?.codigoPila !== undefined,
    estado: role.estado,
    sede: role.sede,
    como: role.rl === citizenId ? 'rl' : 'delegado',
  };
  return ok({ role, empresa, by });
}

/** The order of the list: current entries first (newest first), revoked ones after. */
function byState(a: Autorizacion, b: Autorizacion): number {
  const rank = (x: Autorizacion) => (x.estado === 'revocado' ? 1 : 0);
  return rank(a) - rank(b) || b.autorizadoPor.en.localeCompare(a.autorizadoPor.en) || a.id.localeCompare(b.id);
}

/** Every authorization of a company (manual step 6, "Pantalla resumen autorizados"). */
export function listAuthorizations(
  deps: AutorizadosDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  nit: string,
): Promise<Result<{ empresa: Empresa; autorizados: Autorizacion[] }, AutorizadoError>> {
  const key = nitOf(nit);
  if (!key) return Promise.resolve(err({ code: 'PERMISO.DENEGADO' }));
  return deps.store.transaction(async (tx) => {
    const admitted = await admit(tx, deps, citizenId, acting, key);
    if (!admitted.ok) return admitted;
    const autorizados = (await tx.collection('autorizaciones').findBy('nit', key)).sort(byState);
    return ok({ empresa: admitted.value.empresa, autorizados });
  });
}

/** The current (not revoked) authorization of a person in a rol of a company, if any. */
async function currentEntry(tx: Tx, nit: string, personId: string, rol: RolAutorizado): Promise<Autorizacion | undefined> {
  return (await tx.collection('autorizaciones').findBy('citizenId', personId)).find((a) => a.nit === nit && a.rol === rol && a.estado !== 'revocado');
}

/** Everything "Nuevo" checks: permission, an active role, the rol offered, the reference sources, once per rol. */
async function admitNew(tx: Tx, deps: AutorizadosDeps, citizenId: string, acting: ActingRole | undefined, nit: string, persona: Omit<DelegateData, 'email'>, rol: RolAutorizado) {
  const admitted = await admit(tx, deps, citizenId, acting, nit);
  if (!admitted.ok) return admitted;
  const { empresa } = admitted.value;
  if (empresa.estado !== 'activo') return err({ code: 'EMPLEADOR.NO_ACTIVO', estado: empresa.estado } as const);
  if (!rolesAutorizables(empresa).includes(rol)) return err({ code: 'AUTORIZADO.ROL_NO_DISPONIBLE' } as const);
  const checked = await checkedPerson(tx, deps.reference, persona);
  if (!checked.ok) return err({ code: 'AUTORIZADO.NO_COINCIDE' } as const);
  const existente = await currentEntry(tx, nit, checked.value.key, rol);
  if (existente) return err({ code: 'AUTORIZADO.YA_ASIGNADO', existente } as const);
  return ok({ ...admitted.value, person: checked.value });
}

/** Whether "Nuevo" may go on for this person (checked before the site and the review): their name as the sources spell it, and whether they are registered. */
export function checkNewAuthorization(
  deps: AutorizadosDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  nit: string,
  persona: Omit<DelegateData, 'email'>,
  rol: RolAutorizado = ROL_CAJA,
): Promise<Result<{ nombre: string; registrado: boolean }, AutorizadoError>> {
  const key = nitOf(nit);
  if (!key) return Promise.resolve(err({ code: 'PERMISO.DENEGADO' }));
  return deps.store.transaction(async (tx) => {
    const r = await admitNew(tx, deps, citizenId, acting, key, persona, rol);
    return r.ok ? ok({ nombre: r.value.person.nombre, registrado: r.value.person.registrado }) : r;
  });
}

/** Whether the company can authorize at all (an active employer role, a rol to offer), before asking for anyone's data. */
export function canAuthorize(empresa: Empresa): Result<RolAutorizado[], AutorizadoError> {
  if (empresa.estado !== 'activo') return err({ code: 'EMPLEADOR.NO_ACTIVO', estado: empresa.estado });
  const roles = rolesAutorizables(empresa);
  return roles.length > 0 ? ok(roles) : err({ code: 'AUTORIZADO.ROL_NO_DISPONIBLE' });
}

/** A site as stored: DIVIPOLA codes checked (the form's job: wrong ones are a programming error), address trimmed. */
function normalizeSite(reference: ReferenceRegistry, sede: SedeAutorizado): SedeAutorizado {
  if (sede.tipo === 'principal') return { tipo: 'principal' };
  const municipio = reference.findMunicipality(sede.municipio.trim());
  if (!municipio || municipio.departmentCode !== sede.departamento.trim()) throw new TypeError('sede: departamento and municipio must be DIVIPOLA codes of one place');
  return { tipo: 'otra', departamento: municipio.departmentCode, municipio: municipio.code, direccion: sede.direccion.trim() };
}

/** The main site's name (e.g. "Sede principal") or another site as "Calle 10 # 5-20, Rionegro (Antioquia)". */
export function siteName(reference: ReferenceRegistry, empresa: Pick<Empresa, 'sede'>, sede: SedeAutorizado): string {
  if (sede.tipo === 'principal') return empresa.sede.nombre;
  const municipio = reference.findMunicipality(sede.municipio);
  const department = reference.departments().find((d) => d.code === sede.departamento);
  return `${sede.direccion}, ${municipio?.name ?? sede.municipio} (${department?.name ?? sede.departamento})`;
}

const actorOf = (by: Citizen, como: 'rl' | 'delegado', en: string): AutorizadoPor => ({ citizenId: by.id, nombre: displayName(by), sexo: by.sexo, como, en });

/** The data every mail about an authorization carries (Mesa de ayuda resends invitations with it); `sigla` names the CCF role as the chat does ("Caja de compensación familiar — COMFAMA"). */
export function mailData(deps: Pick<CoreDeps, 'publicBaseUrl'>, a: Autorizacion, empresa: Pick<Empresa, 'razonSocial' | 'nit' | 'dv'> & { sigla?: string }, extra: Record<string, unknown> = {}) {
  return {
    nombre: displayName(a),
    razonSocial: empresa.razonSocial,
    sigla: empresa.sigla ?? empresa.razonSocial,
    nit: formatNit(empresa.nit, empresa.dv),
    por: a.autorizadoPor.nombre,
    enlace: chatLink(deps),
    ...extra,
  };
}

/**
 * "Nuevo": authorizes a person. Registered: active now and told by e-mail; not registered (and matching
 * the reference sources): invited by e-mail, active once their account is activated. Audited.
 */
export async function authorize(
  deps: AutorizadosDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  nit: string,
  input: NuevoAutorizado,
  actor: Actor,
): Promise<Result<{ autorizacion: Autorizacion; nombre: string; femenina: boolean; correo?: string; correoEnviado: boolean }, AutorizadoError>> {
  const key = nitOf(nit);
  if (!key) return err({ code: 'PERMISO.DENEGADO' });
  const email = parseEmail(input.email, { values: {}, today: new Date(0) });
  if (!email.ok) throw new TypeError('autorizado: the e-mail must be parsed first');
  const sede = normalizeSite(deps.reference, input.sede);
  const done = await deps.store.transaction(async (tx) => {
    const admitted = await admitNew(tx, deps, citizenId, acting, key, input, input.rol);
    if (!admitted.ok) {
      await note(tx, deps, actor, 'autorizados.rechazado', key, { motivo: admitted.error.code });
      return admitted;
    }
    const { empresa, by, person } = admitted.value;
    if (!perfilesDe(input.rol).includes(input.perfil)) throw new TypeError('autorizado: the perfil must be one of the rol');
    const nowIso = deps.clock.now().toISOString();
    const autorizacion: Autorizacion = {
      id: deps.random.token(12),
      nit: key,
      citizenId: person.key,
      ...person.data,
      email: email.value,
      sede,
      rol: input.rol,
      perfil: input.perfil,
      estado: person.registrado ? 'activo' : 'invitado',
      autorizadoPor: actorOf(by, empresa.como, nowIso),
      ...(person.registrado ? { activadoEn: nowIso } : {}),
    };
    await tx.collection('autorizaciones').put(autorizacion);
    await note(tx, deps, actor, 'autorizados.autorizado', key, {
      persona: documentSubject(autorizacion.tipoDocumento, autorizacion.numeroDocumento),
      estado: autorizacion.estado,
      rol: autorizacion.rol,
      perfil: autorizacion.perfil,
      como: empresa.como,
    }, [autorizacion.citizenId]);
    const mail: MailRequest = person.citizen
      ? { to: person.citizen.email, template: 'autorizado-asignado', data: mailData(deps, autorizacion, empresa, { femenina: person.femenina }) }
      : { to: autorizacion.email, template: 'autorizado-invitacion', data: mailData(deps, autorizacion, empresa, { femenina: person.femenina }) };
    return ok({ autorizacion, mail, nombre: person.nombre, femenina: person.femenina });
  });
  if (!done.ok) return done;
  const { autorizacion, mail, nombre, femenina } = done.value;
  const correoEnviado = await sendAndRecord(deps, actor, mail, nitSubject(key), autorizacion.citizenId);
  // Only the address the RL or delegate typed is shown back (masked); a registered person's own e-mail is not theirs to see.
  return ok({ autorizacion, nombre, femenina, ...(autorizacion.estado === 'invitado' ? { correo: maskEmail(mail.to) } : {}), correoEnviado });
}

/** Revokes an authorization with a reason; the person is told by e-mail. A revoked person may be authorized again. Audited. */
export async function revokeAuthorization(
  deps: AutorizadosDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  nit: string,
  id: string,
  motivo: string,
  actor: Actor,
): Promise<Result<{ autorizacion: Autorizacion; correo?: string; correoEnviado: boolean }, AutorizadoError>> {
  const key = nitOf(nit);
  if (!key) return err({ code: 'PERMISO.DENEGADO' });
  const reason = motivo.replace(/\s+/g, ' ').trim();
  if (reason.length < REVOCACION_MOTIVO_MIN || reason.length > REVOCACION_MOTIVO_MAX) {
    return err({ code: 'AUTORIZADO.MOTIVO_REQUERIDO', min: REVOCACION_MOTIVO_MIN, max: REVOCACION_MOTIVO_MAX });
  }
  const done = await deps.store.transaction(async (tx) => {
    const admitted = await admit(tx, deps, citizenId, acting, key);
    if (!admitted.ok) return admitted;
    const entry = await tx.collection('autorizaciones').get(id);
    if (!entry || entry.nit !== key) return err({ code: 'AUTORIZADO.NO_EXISTE' } as const);
    if (entry.estado === 'revocado') return err({ code: 'AUTORIZADO.YA_REVOCADO' } as const);
    const { empresa, by } = admitted.value;
    const nowIso = deps.clock.now().toISOString();
    const autorizacion: Autorizacion = { ...entry, estado: 'revocado', revocacion: { ...actorOf(by, empresa.como, nowIso), motivo: reason } };
    await tx.collection('autorizaciones').put(autorizacion);
    await note(tx, deps, actor, 'autorizados.revocado', key, {
      persona: documentSubject(entry.tipoDocumento, entry.numeroDocumento),
      estadoAnterior: entry.estado,
      como: empresa.como,
    }, [entry.citizenId]);
    const person = await tx.collection('citizens').get(entry.citizenId);
    const mail: MailRequest = {
      to: person?.estado === 'activo' ? person.email : entry.email,
      template: 'autorizado-revocado',
      data: mailData(deps, autorizacion, empresa, { motivo: reason, revocadoPor: autorizacion.revocacion!.nombre, invitacion: entry.estado === 'invitado' }),
    };
    return ok({ autorizacion, mail, toAccount: person?.estado === 'activo' });
  });
  if (!done.ok) return done;
  const { autorizacion, mail, toAccount } = done.value;
  const correoEnviado = await sendAndRecord(deps, actor, mail, nitSubject(key), autorizacion.citizenId);
  return ok({ autorizacion, ...(toAccount ? {} : { correo: maskEmail(mail.to) }), correoEnviado });
}

/** Who acts when nobody in a conversation does (an authorization completed by an activation). */
const SYSTEM_ACTOR: Actor = { ref: 'system', channel: 'system' };

/**
 * Called inside the activation's transaction (domain/cuenta.ts): every invitation to this citizen's
 * document becomes an active authorization. Returns the mails to send after the commit.
 */
export async function completePendingAuthorizations(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock' | 'random' | 'publicBaseUrl' | 'reference'>,
  citizen: Citizen,
  actor: Actor = SYSTEM_ACTOR,
): Promise<MailRequest[]> {
  if (citizen.estado !== 'activo') return [];
  const invited = (await tx.collection('autorizaciones').findBy('citizenId', citizen.id)).filter((a) => a.estado === 'invitado');
  const mails: MailRequest[] = [];
  for (const entry of invited) {
    const nowIso = deps.clock.now().toISOString();
    const autorizacion: Autorizacion = { ...entry, estado: 'activo', activadoEn: nowIso };
    await tx.collection('autorizaciones').put(autorizacion);
    await note(tx, deps, actor, 'autorizados.vinculado', entry.nit, { persona: documentSubject(entry.tipoDocumento, entry.numeroDocumento) }, [entry.citizenId]);
    const role = await tx.collection('employers').get(entry.nit);
    const sigla = (await deps.reference.findCompany(entry.nit))?.sigla;
    const empresa = { razonSocial: role?.razonSocial ?? formatNit(entry.nit), nit: entry.nit, dv: role?.dv ?? '', ...(sigla ? { sigla } : {}) };
    mails.push({ to: citizen.email, template: 'autorizado-asignado', data: mailData(deps, autorizacion, empresa, { femenina: citizen.sexo === 'F' }) });
  }
  return mails;
}

// ---------------------------------------------------------------- the authorized person's side

/** A CCF a person is an active authorized person of (rol CAJA DE SUBSIDIO FAMILIAR): the role "Caja de compensación familiar — <CCF>". */
export interface CcfRef {
  readonly nit: string;
  readonly razonSocial: string;
  /** The CCF's short name in the reference sources ("COMFAMA"), how people call it. */
  readonly sigla?: string;
}

const byRazonSocial = new Intl.Collator('es', { sensitivity: 'base' });

/** The CCFs a person may act for in the rol "Caja de compensación familiar". */
export async function ccfsOf(deps: { readonly store: Store; readonly reference: ReferenceRegistry }, citizenId: string): Promise<CcfRef[]> {
  return withSiglas(deps, await deps.store.transaction((tx) => ccfsIn(tx, citizenId)));
}

/** ccfsOf's look-up inside a transaction: the CCFs without their siglas (see withSiglas). */
export async function ccfsIn(tx: Tx, citizenId: string): Promise<CcfRef[]> {
  const refs: CcfRef[] = [];
  for (const a of await tx.collection('autorizaciones').findBy('citizenId', citizenId)) {
    if (a.estado !== 'activo' || a.rol !== ROL_CAJA || refs.some((r) => r.nit === a.nit)) continue;
    const role = await tx.collection('employers').get(a.nit);
    if (role && role.estado === 'activo') refs.push({ nit: a.nit, razonSocial: role.razonSocial });
  }
  return refs;
}

/** The CCFs found by ccfsIn with their siglas (reference sources), by razón social. */
export async function withSiglas(deps: { readonly reference: ReferenceRegistry }, found: readonly CcfRef[]): Promise<CcfRef[]> {
  const refs: CcfRef[] = [];
  for (const r of found) {
    const sigla = (await deps.reference.findCompany(r.nit))?.sigla;
    refs.push(sigla ? { ...r, sigla } : r);
  }
  return refs.sort((a, b) => byRazonSocial.compare(a.razonSocial, b.razonSocial));
}

/** Citizen ids of a CCF's active authorized persons with the perfil that administers web services. */
export async function activeAuthorized(tx: Tx, nit: string): Promise<string[]> {
  return (await tx.collection('autorizaciones').findBy('nit', nit))
    .filter((a) => a.estado === 'activo' && a.rol === ROL_CAJA && a.perfil === PERFIL_SERVICIOS)
    .map((a) => a.citizenId);
}

/** The Ministry's activation of the CCF role, as stored (absent: never activated). */
export function ccfRoleOf(deps: { readonly store: Store }, nit: string): Promise<RolCcf | undefined> {
  return deps.store.transaction((tx) => tx.collection('rolesCcf').get(nit));
}
