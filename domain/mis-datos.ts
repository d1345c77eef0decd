/**
 * "Mis datos" (Ley 1581 de 2012, habeas data): a logged-in person sees what the assistant holds about
 * them and asks for its correction or deletion, which reaches the helpdesk as a case. The deletion
 * itself is done later by the helpdesk with `pseudonymizeCitizen`, which keeps the audit log.
 */
import { audit, documentSubject, type Actor } from './audit.js';
import type { AutorizacionDatos, Citizen } from './citizens.js';
import type { CoreDeps } from './deps.js';
import { keptDrafts } from './drafts.js';
import type { FieldParser } from './fields.js';
import { sendAndRecord } from './notify.js';
import { rolesOfPerson } from './empleador-roles.js';
import { displayName } from './people.js';
import { permit, principalOf, type PermissionError } from './permissions.js';
import type { SolicitudDatos, Tx } from './ports.js';
import { err, fail, ok, type Result } from './result.js';
import type { ActingRole } from './session.js';
import type { StaffDirectory } from './staff.js';
import { maskEmail } from './text.js';

export type { SolicitudDatos };
export type TipoSolicitud = SolicitudDatos['tipo'];

export interface MisDatosDeps extends CoreDeps {
  readonly staff: StaffDirectory;
}

/** The shortest and longest description of a request. */
export const DESCRIPCION_MIN = 10;
export const DESCRIPCION_MAX = 1000;

/** What a person may see of their own record: everything but the password hash and login counters. */
export interface DatosPersonales {
  readonly tipoDocumento: Citizen['tipoDocumento'];
  readonly numeroDocumento: string;
  readonly nombre: string;
  readonly fechaNacimiento: string;
  readonly fechaExpedicion: string;
  readonly sexo: Citizen['sexo'];
  readonly email: string;
  readonly celular: string;
  readonly estado: Citizen['estado'];
  readonly creadoEn: string;
  readonly activadoEn?: string;
}

export interface MisDatos {
  readonly datos: DatosPersonales;
  /** Absent for accounts created before the authorization was asked. */
  readonly autorizacion?: AutorizacionDatos;
  /** The roles the person holds in companies: RL or delegate of an employer role, authorized person (active or invited). */
  readonly roles: readonly { readonly nit: string; readonly razonSocial: string; readonly como: 'rl' | 'delegado' | 'autorizado' }[];
  /** Forms saved to be resumed later. */
  readonly borradores: readonly { readonly formId: string; readonly guardadoEn: string }[];
  /** Their requests to correct or delete their data. */
  readonly solicitudes: readonly Pick<SolicitudDatos, 'id' | 'tipo' | 'creadaEn' | 'estado'>[];
}

export type MisDatosError = PermissionError | { code: 'SOLICITUD.DESCRIPCION'; reason: string };

/** The description of a request: free text (any punctuation: an address, an e-mail), no control characters. */
export const parseDescripcion: FieldParser<string> = (raw) => {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return fail('empty');
  if (text.length > DESCRIPCION_MAX) return fail('too_long');
  if (text.length < DESCRIPCION_MIN) return fail('too_short');
  if (/[\p{Cc}\p{Cf}]/u.test(text)) return fail('text.chars');
  return ok(text);
};

async function allowed(deps: MisDatosDeps, tx: Tx, citizenId: string, acting?: ActingRole): Promise<Result<Citizen, PermissionError>> {
  const allowed = permit(await principalOf(tx, deps.staff, citizenId, acting), 'datos.propios', { titular: citizenId });
  if (!allowed.ok) return allowed;
  const citizen = await tx.collection('citizens').get(citizenId);
  return citizen ? ok(citizen) : err({ code: 'PERMISO.DENEGADO' });
}

/** What the assistant holds about the person (their own data, in full; nothing secret). */
export async function myData(deps: MisDatosDeps, citizenId: string, acting?: ActingRole): Promise<Result<MisDatos, PermissionError>> {
  await keptDrafts(deps); // the summary lists the forms saved to continue
  return deps.store.transaction(async (tx) => {
    const c = await allowed(deps, tx, citizenId, acting);
    if (!c.ok) return c;
    const citizen = c.value;
    const autorizaciones = (await tx.collection('autorizaciones').findBy('citizenId', citizenId)).filter((a) => a.estado !== 'revocado');
    // The roles the person holds, and those of the companies they are authorized at (for their names).
    const employers = await rolesOfPerson(tx, citizenId, autorizaciones.map((a) => a.nit));
    const roles: MisDatos['roles'][number][] = [];
    for (const e of employers) {
      if (e.rl === citizenId) roles.push({ nit: e.nit, razonSocial: e.razonSocial, como: 'rl' });
      else if (e.delegado.citizenId === citizenId && e.delegado.estado === 'vinculado') roles.push({ nit: e.nit, razonSocial: e.razonSocial, como: 'delegado' });
    }
    for (const a of autorizaciones) {
      const role = employers.find((e) => e.nit === a.nit);
      roles.push({ nit: a.nit, razonSocial: role?.razonSocial ?? a.nit, como: 'autorizado' });
    }
    const borradores = (await tx.collection('drafts').findBy('owner', citizenId)).map((d) => ({ formId: d.formId, guardadoEn: d.savedAt }));
    const solicitudes = (await tx.collection('solicitudesDatos').findBy('citizenId', citizenId)).map(({ id, tipo, creadaEn, estado }) => ({ id, tipo, creadaEn, estado }));
    return ok({
      datos: {
        tipoDocumento: citizen.tipoDocumento,
        numeroDocumento: citizen.numeroDocumento,
        nombre: [citizen.primerNombre, citizen.segundoNombre, citizen.primerApellido, citizen.segundoApellido].filter(Boolean).join(' '),
        fechaNacimiento: citizen.fechaNacimiento,
        fechaExpedicion: citizen.fechaExpedicion,
        sexo: citizen.sexo,
        email: citizen.email,
        celular: citizen.celular,
        estado: citizen.estado,
        creadoEn: citizen.creadoEn,
        ...(citizen.activadoEn ? { activadoEn: citizen.activadoEn } : {}),
      },
      ...(citizen.autorizacionDatos ? { autorizacion: citizen.autorizacionDatos } : {}),
      roles,
      borradores,
      solicitudes,
    });
  });
}

/** The case number a person is told: short, from the request id. */
export const caseNumber = (id: string): string => id.slice(0, 8).toUpperCase();

/**
 * Opens a case for the helpdesk to correct or delete the person's data, audits it, and e-mails the
 * person an acknowledgment with the case number (after the commit).
 */
export async function requestDataChange(
  deps: MisDatosDeps,
  citizenId: string,
  tipo: TipoSolicitud,
  descripcion: string,
  actor: Actor,
  acting?: ActingRole,
): Promise<Result<{ caso: string; correo: string; correoEnviado: boolean }, MisDatosError>> {
  const parsed = parseDescripcion(descripcion, { values: {}, today: deps.clock.now() });
  if (!parsed.ok) return err({ code: 'SOLICITUD.DESCRIPCION', reason: parsed.error.code });
  const outcome = await deps.store.transaction(async (tx) => {
    const c = await allowed(deps, tx, citizenId, acting);
    if (!c.ok) return c;
    const citizen = c.value;
    const solicitud: SolicitudDatos = {
      id: deps.random.token(12).replace(/[^A-Za-z0-9]/g, '').padEnd(8, '0'),
      citizenId,
      tipo,
      descripcion: parsed.value,
      creadaEn: deps.clock.now().toISOString(),
      estado: 'abierta',
    };
    await tx.collection('solicitudesDatos').put(solicitud);
    const subject = documentSubject(citizen.tipoDocumento, citizen.numeroDocumento);
    await audit(tx, deps.clock, deps.random, actor, 'datos.solicitud_creada', subject, { tipo, caso: caseNumber(solicitud.id) }, citizen.id);
    return ok({ citizen, solicitud, subject });
  });
  if (!outcome.ok) return outcome;
  const { citizen, solicitud, subject } = outcome.value;
  const caso = caseNumber(solicitud.id);
  const correoEnviado = await sendAndRecord(
    deps,
    actor,
    { to: citizen.email, template: 'solicitud-datos', data: { nombre: displayName(citizen), tipo, caso, fecha: solicitud.creadaEn } },
    subject,
    citizen.id,
  );
  return ok({ caso, correo: maskEmail(citizen.email), correoEnviado });
}

/** What the person keeps in the chain stops a deletion: the role's company needs its RL or delegate. */
export type PseudonymizeError = { code: 'DATOS.ROLES_VIGENTES'; nits: string[] };

/** The citizen id written in place of the person's in what is kept (their requests). */
export const PSEUDONYM = 'titular-suprimido';

/**
 * Deletes the person's personal data for the helpdesk (a request "Solicitar eliminación"): the citizen
 * record, their one-time links, identity checks and drafts; their data requests are kept with the
 * person replaced by a pseudonym and the description removed. The audit log is kept as it is: its
 * subjects are masked documents and its actors pseudonymous channel references. Refused while the
 * person is the RL or the designated delegate of an employer role, or a current authorized person. The caller audits.
 */
export async function pseudonymizeCitizen(
  tx: Tx,
  citizenId: string,
): Promise<Result<{ enlaces: number; verificaciones: number; borradores: number; solicitudes: number; cuenta: boolean }, PseudonymizeError>> {
  const nits = (await rolesOfPerson(tx, citizenId)).map((e) => e.nit);
  // A current authorization (active or invited) is a role too: the RL or delegate revokes it first.
  for (const a of await tx.collection('autorizaciones').findBy('citizenId', citizenId)) if (a.estado !== 'revocado' && !nits.includes(a.nit)) nits.push(a.nit);
  if (nits.length > 0) return err({ code: 'DATOS.ROLES_VIGENTES', nits });
  let enlaces = 0;
  for (const t of await tx.collection('accountTokens').findBy('citizenId', citizenId)) if (await tx.collection('accountTokens').delete(t.id)) enlaces++;
  const verificaciones = (await tx.collection('identityChecks').delete(citizenId)) ? 1 : 0;
  let borradores = 0;
  for (const d of await tx.collection('drafts').findBy('owner', citizenId)) if (await tx.collection('drafts').delete(d.id)) borradores++;
  let solicitudes = 0;
  for (const s of await tx.collection('solicitudesDatos').findBy('citizenId', citizenId)) {
    await tx.collection('solicitudesDatos').put({ ...s, citizenId: PSEUDONYM, descripcion: '' });
    solicitudes++;
  }
  // The decisions on the web services' terms stay as the CCF's proof, without the person.
  for (const d of await tx.collection('decisionesTerminos').findBy('citizenId', citizenId)) await tx.collection('decisionesTerminos').put({ ...d, citizenId: PSEUDONYM });
  // The helpdesk's traces of the person: where they were stuck, and their cases (kept as having happened, without them or their messages).
  await tx.collection('progreso').delete(citizenId);
  for (const c of (await tx.collection('casosMesa').list()).filter((x) => x.persona.id === citizenId)) {
    await tx.collection('casosMesa').put({ ...c, persona: {}, mensajes: [] });
  }
  for (const a of await tx.collection('actoresConocidos').findBy('citizenId', citizenId)) await tx.collection('actoresConocidos').delete(a.id);
  // The audit stays as it was; only the index that tied its events to the person goes.
  for (const i of await tx.collection('auditoriaPersonas').findBy('persona', citizenId)) await tx.collection('auditoriaPersonas').delete(i.id);
  const cuenta = await tx.collection('citizens').delete(citizenId);
  return ok({ enlaces, verificaciones, borradores, solicitudes, cuenta });
}
