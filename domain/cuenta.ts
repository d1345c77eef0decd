/**
 * The citizen account after "Registro ciudadano": activation and password recovery through one-time
 * links, and "Ingresar" with a temporary lock after repeated failures.
 */
import { accountLink, dropUnusedTokens, issueToken, tokenId } from './account-links.js';
import { audit, documentSubject, type Actor } from './audit.js';
import { documentKey, type AccountToken, type Citizen } from './citizens.js';
import { completePendingDesignations } from './delegados.js';
import type { CoreDeps } from './deps.js';
import { sendAndRecord } from './notify.js';
import { checkPasswordPolicy, hashPassword, verifyPassword, type PasswordReason } from './password.js';
import { displayName, normalizeNumero } from './people.js';
import type { MailRequest, Tx } from './ports.js';
import type { DocumentType } from './reference.js';
import { err, ok, type Err, type Result } from './result.js';

export interface CuentaDeps extends CoreDeps {}

export const RESET_HOURS = 1;
export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_LOCK_MINUTES = 15;

export type TokenError = { code: 'TOKEN.INVALIDO' } | { code: 'TOKEN.VENCIDO' } | { code: 'TOKEN.USADO' };
export type PasswordError = { code: 'CLAVE.NO_COINCIDE' } | { code: 'CLAVE.POLITICA'; motivos: PasswordReason[] };
export type LoginError = { code: 'INGRESO.INVALIDO' } | { code: 'INGRESO.BLOQUEADO'; hasta: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** base64url of 32 random bytes is 43 characters; anything far from that shape is not ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/** The person names the password must not contain. */
const nombresOf = (c: Citizen): string[] => [c.primerNombre, c.segundoNombre, c.primerApellido, c.segundoApellido];

/** The link's record and its citizen when the link can still be used. */
async function usableToken(
  tx: Tx,
  now: Date,
  token: string,
  tipo: AccountToken['tipo'],
): Promise<{ record: AccountToken; citizen: Citizen } | Err<TokenError>> {
  if (!TOKEN_SHAPE.test(token)) return err({ code: 'TOKEN.INVALIDO' });
  const record = await tx.collection('accountTokens').get(tokenId(token));
  const citizen = record && record.tipo === tipo ? await tx.collection('citizens').get(record.citizenId) : undefined;
  if (!record || !citizen) return err({ code: 'TOKEN.INVALIDO' });
  if (record.usadoEn !== undefined) return err({ code: 'TOKEN.USADO' });
  // An activation link of an account already active, or a reset link of one not active, is spent.
  if ((tipo === 'activacion') !== (citizen.estado === 'pendiente')) return err({ code: 'TOKEN.USADO' });
  if (record.expira <= now.toISOString()) return err({ code: 'TOKEN.VENCIDO' });
  return { record, citizen };
}

/** Whether a one-time link can be used, and whose it is (the page greets the person). */
export function inspectAccountToken(deps: CuentaDeps, token: string, tipo: 'activacion' | 'recuperacion'): Promise<Result<{ nombre: string }, TokenError>> {
  return deps.store.transaction(async (tx) => {
    const found = await usableToken(tx, deps.clock.now(), token, tipo);
    if ('ok' in found) return found;
    return ok({ nombre: displayName(found.citizen) });
  });
}

/**
 * Sets the password from a one-time link: activation makes the account active; recovery replaces the
 * password and lifts a login lock. The link is spent; a confirmation e-mail follows (without the password).
 */
export async function setPasswordWithToken(
  deps: CuentaDeps,
  token: string,
  tipo: 'activacion' | 'recuperacion',
  clave: string,
  confirmacion: string,
  actor: Actor,
): Promise<Result<{ nombre: string }, TokenError | PasswordError>> {
  const checked = await deps.store.transaction(async (tx) => {
    const found = await usableToken(tx, deps.clock.now(), token, tipo);
    if ('ok' in found) return found;
    if (clave !== confirmacion) return err({ code: 'CLAVE.NO_COINCIDE' } as const);
    const motivos = checkPasswordPolicy(clave, { numeroDocumento: found.citizen.numeroDocumento, nombres: nombresOf(found.citizen) });
    if (motivos.length > 0) return err({ code: 'CLAVE.POLITICA', motivos } as const);
    return ok(found.citizen.id);
  });
  if (!checked.ok) return checked;

  // Hashing is slow on purpose: outside the transaction, then the link is checked again (single use).
  const passwordHash = await hashPassword(clave);
  const done = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const found = await usableToken(tx, now, token, tipo);
    if ('ok' in found) return found;
    const { record, citizen } = found;
    const nowIso = now.toISOString();
    const { loginBloqueadoHasta: _lock, ...rest } = citizen;
    const updated: Citizen =
      tipo === 'activacion'
        ? { ...rest, estado: 'activo', passwordHash, activadoEn: nowIso, loginFallidos: 0 }
        : { ...rest, passwordHash, loginFallidos: 0 };
    await tx.collection('citizens').put(updated);
    await tx.collection('accountTokens').put({ ...record, usadoEn: nowIso });
    // Older links of the same kind (an earlier reset e-mail) stop working too.
    await dropUnusedTokens(tx, citizen.id, tipo);
    const subject = documentSubject(citizen.tipoDocumento, citizen.numeroDocumento);
    await audit(tx, deps.clock, deps.random, actor, tipo === 'activacion' ? 'cuenta.activada' : 'cuenta.clave_restablecida', subject);
    // A person designated as an employer's delegate before registering is linked now.
    const designations: MailRequest[] = tipo === 'activacion' ? await completePendingDesignations(tx, deps, updated, actor) : [];
    return ok({ citizen: updated, subject, designations });
  });
  if (!done.ok) return done;

  const { citizen, subject, designations } = done.value;
  const nombre = displayName(citizen);
  await sendAndRecord(
    deps,
    actor,
    tipo === 'activacion'
      ? { to: citizen.email, template: 'cuenta-activada', data: { nombre, usuario: `${citizen.tipoDocumento} ${citizen.numeroDocumento}` } }
      : { to: citizen.email, template: 'clave-cambiada', data: { nombre } },
    subject,
  );
  for (const mail of designations) await sendAndRecord(deps, actor, mail, subject);
  return ok({ nombre });
}

/** A hash of a discarded random password (same parameters as hashPassword): verified for unknown documents so the answer takes as long. */
const DUMMY_HASH = 'scrypt$16384$8$1$G3Ur300ulgR/uf3ZVflABQ==$egr5Y12P8jwwrN82mUJnJdxmvaq4YfpUrJCAhltsmBQ=';

/**
 * "Ingresar": tipo + número + password. Unknown documents, pending accounts and wrong passwords get
 * the same answer; MAX_LOGIN_FAILURES consecutive failures lock the login for LOGIN_LOCK_MINUTES.
 */
export async function login(
  deps: CuentaDeps,
  tipo: DocumentType,
  numero: string,
  clave: string,
  actor: Actor,
): Promise<Result<{ citizenId: string; nombre: string }, LoginError>> {
  const n = normalizeNumero(numero);
  const key = documentKey(tipo, n);
  const subject = documentSubject(tipo, n);
  const note = (tx: Tx, action: string, detail?: Record<string, string | number>) => audit(tx, deps.clock, deps.random, actor, action, subject, detail);

  const before = await deps.store.transaction((tx) => tx.collection('citizens').get(key));
  const usable = before?.estado === 'activo' && before.passwordHash !== undefined;
  const locked = usable && before.loginBloqueadoHasta !== undefined && before.loginBloqueadoHasta > deps.clock.now().toISOString();
  const right = await verifyPassword(clave, usable && !locked ? (before.passwordHash as string) : DUMMY_HASH);

  return deps.store.transaction(async (tx): Promise<Result<{ citizenId: string; nombre: string }, LoginError>> => {
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    const citizen = await tx.collection('citizens').get(key);
    if (!citizen || citizen.estado !== 'activo' || citizen.passwordHash === undefined) {
      await note(tx, 'ingreso.fallido', { motivo: citizen ? 'pendiente' : 'desconocido' });
      return err({ code: 'INGRESO.INVALIDO' });
    }
    if (citizen.loginBloqueadoHasta !== undefined && citizen.loginBloqueadoHasta > nowIso) {
      await note(tx, 'ingreso.rechazado_bloqueo');
      return err({ code: 'INGRESO.BLOQUEADO', hasta: citizen.loginBloqueadoHasta });
    }
    const { loginBloqueadoHasta: _lock, ...rest } = citizen;
    // The password may have changed (reset) between the check and now: then this attempt is void.
    if (right && citizen.passwordHash === before?.passwordHash) {
      await tx.collection('citizens').put({ ...rest, loginFallidos: 0 });
      await note(tx, 'ingreso.exitoso');
      return ok({ citizenId: citizen.id, nombre: displayName(citizen) });
    }
    const fallidos = citizen.loginFallidos + 1;
    if (fallidos < MAX_LOGIN_FAILURES) {
      await tx.collection('citizens').put({ ...rest, loginFallidos: fallidos });
      await note(tx, 'ingreso.fallido', { motivo: 'clave', fallidos });
      return err({ code: 'INGRESO.INVALIDO' });
    }
    const hasta = new Date(now.getTime() + LOGIN_LOCK_MINUTES * MINUTE).toISOString();
    await tx.collection('citizens').put({ ...rest, loginFallidos: 0, loginBloqueadoHasta: hasta });
    await note(tx, 'ingreso.bloqueado', { fallidos, minutos: LOGIN_LOCK_MINUTES });
    return err({ code: 'INGRESO.BLOQUEADO', hasta });
  });
}

/**
 * "Olvidé mi contraseña": for an active account, e-mails a reset link valid RESET_HOURS; for any other
 * document nothing happens, and the caller cannot tell the difference.
 */
export async function requestPasswordReset(deps: CuentaDeps, tipo: DocumentType, numero: string, actor: Actor): Promise<void> {
  const n = normalizeNumero(numero);
  const subject = documentSubject(tipo, n);
  const issued = await deps.store.transaction(async (tx) => {
    const citizen = await tx.collection('citizens').get(documentKey(tipo, n));
    if (citizen?.estado !== 'activo') {
      await audit(tx, deps.clock, deps.random, actor, 'cuenta.recuperacion_ignorada', subject, { motivo: citizen ? 'pendiente' : 'desconocido' });
      return undefined;
    }
    await dropUnusedTokens(tx, citizen.id, 'recuperacion');
    const token = await issueToken(tx, deps, citizen.id, 'recuperacion', RESET_HOURS * HOUR);
    await audit(tx, deps.clock, deps.random, actor, 'cuenta.recuperacion_solicitada', subject);
    return { citizen, token };
  });
  if (!issued) return;
  await sendAndRecord(
    deps,
    actor,
    {
      to: issued.citizen.email,
      template: 'cuenta-recuperacion',
      data: { nombre: displayName(issued.citizen), enlace: accountLink(deps, 'restablecer', issued.token), minutos: RESET_HOURS * 60 },
    },
    subject,
  );
}
