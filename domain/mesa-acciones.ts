/**
 * What a helpdesk agent does for a person, each with a reason (DESIGN §2 Helpdesk): lift an identity
 * block, unlock a login, resend the activation link, a password-reset link or a pending invitation.
 * Each is audited (`mesa.<accion>`, masked subject, the reason) and kept in 'accionesMesa'; mails go after the commit.
 */
import { accountLink, dropUnusedTokens, issueToken } from './account-links.js';
import type { Actor } from './audit.js';
import { mailData } from './autorizados.js';
import type { Citizen } from './citizens.js';
import { clearLoginThrottle, RESET_HOURS } from './cuenta.js';
import { chatLink, nitOf, nitSubject } from './empleador-common.js';
import { agentOnly, documento, motivoMesa, recordMesaAction, type AccionMesaNombre, type Documento, type MesaDeps, type MesaError } from './mesa-comun.js';
import { formatNit } from './nit.js';
import { sendAndRecord } from './notify.js';
import { displayName } from './people.js';
import type { MailRequest, Tx } from './ports.js';
import type { DocumentType } from './reference.js';
import { ACTIVATION_HOURS } from './registro.js';
import { err, ok, type Result } from './result.js';
import { maskEmail } from './text.js';

const HOUR = 3_600_000;

/** The opening every action shares: the permission (never on oneself), the reason, then the action's own work. */
async function act<T>(
  deps: MesaDeps,
  agenteId: string,
  persona: Documento,
  motivo: string,
  actor: Actor,
  accion: AccionMesaNombre,
  casoNumero: string | undefined,
  work: (tx: Tx, motivo: string) => Promise<Result<{ value: T; detail?: Record<string, string | number | boolean | null> }, MesaError>>,
): Promise<Result<T, MesaError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, 'mesa.actuar', actor, { titular: persona.key });
    if (!allowed.ok) return allowed;
    const reason = motivoMesa(motivo);
    if (!reason.ok) return reason;
    const done = await work(tx, reason.value);
    if (!done.ok) return done;
    await recordMesaAction(tx, deps, agenteId, actor, accion, persona, reason.value, casoNumero?.trim() || undefined, done.value.detail);
    return ok(done.value.value);
  });
}

/** The person is unknown everywhere (no account, no identity check, no reference person, no invitation). */
async function unknownPerson(tx: Tx, deps: MesaDeps, p: Documento): Promise<boolean> {
  if (await tx.collection('citizens').get(p.key)) return false;
  if (await tx.collection('identityChecks').get(p.key)) return false;
  if (await deps.reference.findPerson(p.tipo, p.numero)) return false;
  if ((await tx.collection('autorizaciones').findBy('citizenId', p.key)).length > 0) return false;
  return (await tx.collection('employers').findBy('delegado.citizenId', p.key)).length === 0;
}

const estadoCuenta = (c: Citizen | undefined): string => (c === undefined ? 'sin_registro' : c.estado === 'activo' ? 'activa' : 'pendiente');

/** Lifts the identity block of a document and clears its counters: the person can register again right away. */
export function levantarBloqueoIdentidad(
  deps: MesaDeps,
  agenteId: string,
  tipo: DocumentType,
  numero: string,
  motivo: string,
  actor: Actor,
  casoNumero?: string,
): Promise<Result<{ hasta: string }, MesaError>> {
  const p = documento(tipo, numero);
  return act(deps, agenteId, p, motivo, actor, 'bloqueo_identidad_levantado', casoNumero, async (tx) => {
    const check = await tx.collection('identityChecks').get(p.key);
    const nowIso = deps.clock.now().toISOString();
    if (!check?.bloqueadoHasta || check.bloqueadoHasta <= nowIso) {
      return (await unknownPerson(tx, deps, p)) ? err({ code: 'MESA.PERSONA_NO_ENCONTRADA' }) : err({ code: 'MESA.SIN_BLOQUEO' });
    }
    await tx.collection('identityChecks').delete(p.key);
    return ok({ value: { hasta: check.bloqueadoHasta }, detail: { intentosDatos: check.intentosDatos, rondasFallidas: check.rondasFallidas } });
  });
}

/** Lifts the login lock of an account (and its failure counts); an unused "¿Fue usted?" link stops working. */
export async function desbloquearIngreso(
  deps: MesaDeps,
  agenteId: string,
  tipo: DocumentType,
  numero: string,
  motivo: string,
  actor: Actor,
  casoNumero?: string,
): Promise<Result<{ hasta: string }, MesaError>> {
  const p = documento(tipo, numero);
  const done = await act(deps, agenteId, p, motivo, actor, 'ingreso_desbloqueado', casoNumero, async (tx) => {
    const citizen = await tx.collection('citizens').get(p.key);
    const nowIso = deps.clock.now().toISOString();
    if (!citizen) return (await unknownPerson(tx, deps, p)) ? err({ code: 'MESA.PERSONA_NO_ENCONTRADA' }) : err({ code: 'MESA.SIN_BLOQUEO' });
    if (citizen.loginBloqueadoHasta === undefined || citizen.loginBloqueadoHasta <= nowIso) return err({ code: 'MESA.SIN_BLOQUEO' });
    const { loginBloqueadoHasta: hasta, ...rest } = citizen;
    await tx.collection('citizens').put({ ...rest, loginFallidos: 0 });
    await dropUnusedTokens(tx, citizen.id, 'desbloqueo');
    return ok({ value: { hasta } });
  });
  if (done.ok) clearLoginThrottle(deps, p.key);
  return done;
}

/** Sends a mail after the commit; what the agent is told: the masked address and whether it went. */
async function mailed(deps: MesaDeps, actor: Actor, mail: MailRequest, subject: string, persona: string): Promise<{ correo: string; enviado: boolean }> {
  const enviado = await sendAndRecord(deps, actor, mail, subject, persona);
  return { correo: maskEmail(mail.to), enviado };
}

/** The one-time links the helpdesk may send again: the account state each needs, and the mail of the process that first sent it. */
const ENLACES = {
  activacion: {
    accion: 'activacion_reenviada',
    estado: 'pendiente',
    horas: () => ACTIVATION_HOURS, // read when used: no import-order dependence
    mail: (deps: MesaDeps, citizen: Citizen, token: string): Omit<MailRequest, 'to'> => ({
      template: 'registro-activacion',
      data: { nombre: displayName(citizen), usuario: `${citizen.tipoDocumento} ${citizen.numeroDocumento}`, enlace: accountLink(deps, 'activar', token), horas: ACTIVATION_HOURS },
    }),
  },
  recuperacion: {
    accion: 'recuperacion_reenviada',
    estado: 'activo',
    horas: () => RESET_HOURS,
    mail: (deps: MesaDeps, citizen: Citizen, token: string): Omit<MailRequest, 'to'> => ({
      template: 'cuenta-recuperacion',
      data: { nombre: displayName(citizen), enlace: accountLink(deps, 'restablecer', token), minutos: RESET_HOURS * 60 },
    }),
  },
} as const;
export type EnlaceMesa = keyof typeof ENLACES;

/**
 * A new one-time link for the account (older unused ones of the kind stop working), mailed as its
 * own process mails it: the activation link for a pending account, a password-reset link for an active one.
 */
export async function reenviarEnlace(
  deps: MesaDeps,
  agenteId: string,
  tipo: DocumentType,
  numero: string,
  enlace: EnlaceMesa,
  motivo: string,
  actor: Actor,
  casoNumero?: string,
): Promise<Result<{ correo: string; enviado: boolean }, MesaError>> {
  const p = documento(tipo, numero);
  const how = ENLACES[enlace];
  const done = await act(deps, agenteId, p, motivo, actor, how.accion, casoNumero, async (tx) => {
    const citizen = await tx.collection('citizens').get(p.key);
    if (!citizen && (await unknownPerson(tx, deps, p))) return err({ code: 'MESA.PERSONA_NO_ENCONTRADA' });
    if (citizen?.estado !== how.estado) return err({ code: 'MESA.NO_APLICA', estado: estadoCuenta(citizen) });
    const anulados = await dropUnusedTokens(tx, citizen.id, enlace);
    const token = await issueToken(tx, deps, citizen.id, enlace, how.horas() * HOUR);
    return ok({ value: { to: citizen.email, ...how.mail(deps, citizen, token) } as MailRequest, detail: { enlacesAnulados: anulados } });
  });
  return done.ok ? ok(await mailed(deps, actor, done.value, p.subject, p.key)) : done;
}

/**
 * A pending invitation (as delegate of a company, or as an authorized person) mailed again with the
 * template that first sent it. Invitations carry no token (they link to the chat), so none is replaced.
 */
export async function reenviarInvitacion(
  deps: MesaDeps,
  agenteId: string,
  tipo: DocumentType,
  numero: string,
  invitacion: { tipo: 'delegado' | 'autorizado'; nit: string },
  motivo: string,
  actor: Actor,
  casoNumero?: string,
): Promise<Result<{ correo: string; enviado: boolean }, MesaError>> {
  const p = documento(tipo, numero);
  const nit = nitOf(invitacion.nit);
  const done = await act(deps, agenteId, p, motivo, actor, 'invitacion_reenviada', casoNumero, async (tx) => {
    if (await unknownPerson(tx, deps, p)) return err({ code: 'MESA.PERSONA_NO_ENCONTRADA' });
    const role = nit ? await tx.collection('employers').get(nit) : undefined;
    if (!nit || !role || role.estado === 'rechazado') return err({ code: 'MESA.NO_APLICA' });
    const detail = { invitacion: invitacion.tipo, empresa: nitSubject(nit) };
    if (invitacion.tipo === 'delegado') {
      if (role.delegado.estado !== 'invitado' || role.delegado.citizenId !== p.key) return err({ code: 'MESA.NO_APLICA' });
      const rl = await tx.collection('citizens').get(role.rl);
      const data = {
        nombre: displayName(role.delegado),
        razonSocial: role.razonSocial,
        nit: formatNit(role.nit, role.dv),
        representante: rl ? displayName(rl) : role.razonSocial,
        enlace: chatLink(deps),
      };
      return ok({ value: { to: role.delegado.email, template: 'delegado-invitacion', data } as MailRequest, detail });
    }
    const entry = (await tx.collection('autorizaciones').findBy('citizenId', p.key)).find((a) => a.nit === nit && a.estado === 'invitado');
    if (!entry) return err({ code: 'MESA.NO_APLICA' });
    const sigla = (await deps.reference.findCompany(nit))?.sigla;
    const femenina = (await deps.reference.findPerson(entry.tipoDocumento, entry.numeroDocumento))?.sexo === 'F';
    const data = mailData(deps, entry, { razonSocial: role.razonSocial, nit, dv: role.dv, ...(sigla ? { sigla } : {}) }, { femenina });
    return ok({ value: { to: entry.email, template: 'autorizado-invitacion', data } as MailRequest, detail });
  });
  return done.ok ? ok(await mailed(deps, actor, done.value, nitSubject(nit!), p.key)) : done;
}
