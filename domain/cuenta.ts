/**
 * The citizen account after "Registro ciudadano": activation and password recovery through one-time
 * links, and "Ingresar" with throttling that cannot be turned against the owner:
 * - per client (hashed channel user): after CLIENT_FREE_FAILURES failures on any documents, an
 *   exponential wait before the next attempt is even checked (no hash computed, nothing written);
 * - per document (any client): MAX_LOGIN_FAILURES failures lock it LOGIN_LOCK_MINUTES, and the owner
 *   gets one "¿Fue usted?" e-mail with a link that lifts the lock; for UNLOCK_GRACE_HOURS after that
 *   the document is not locked again, failures only make it wait (at most DOCUMENT_MAX_WAIT_SECONDS);
 * - all checks share a process-wide limit (domain/password.ts verificationLimiter).
 * A hash of an older scheme or with other parameters is replaced at the next successful login.
 * Failure counters live in memory (a CuentaGuard per store); only the lock itself is persisted.
 */
import { accountLink, dropUnusedTokens, issueToken, tokenId } from './account-links.js';
import { recordKnownActor } from './actores-conocidos.js';
import { audit, documentSubject, type Actor } from './audit.js';
import { documentKey, type AccountToken, type Citizen } from './citizens.js';
import { completePendingAuthorizations } from './autorizados.js';
import { completePendingDesignations } from './delegados.js';
import type { CoreDeps } from './deps.js';
import { sendAllAndRecord, sendAndRecord } from './notify.js';
import { BUSY, checkPasswordPolicy, verificationLimiter, type Limiter, type PasswordReason } from './password.js';
import { displayName, normalizeNumero } from './people.js';
import type { MailRequest, Tx } from './ports.js';
import type { DocumentType } from './reference.js';
import { err, ok, type Err, type Result } from './result.js';
import { ACTIVATION_HOURS } from './registro.js';
import { Backoff, Deadlines, waitSeconds } from './throttle.js';

export interface CuentaDeps extends CoreDeps {
  /** The in-memory throttling state; by default one per store (shared by the chat and the pages). */
  readonly guard?: CuentaGuard;
}

export const RESET_HOURS = 1;
/** Failures on one document (from any client) that lock its login. */
export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_LOCK_MINUTES = 15;
/** Failures from one client (any documents) before it must wait; the wait doubles, up to the maximum. */
export const CLIENT_FREE_FAILURES = 5;
export const CLIENT_FIRST_WAIT_SECONDS = 2;
export const CLIENT_MAX_WAIT_MINUTES = 15;
/** How long the "¿Fue usted?" unlock link is valid; no second one is sent while one is. */
export const UNLOCK_LINK_HOURS = 24;
/** After the owner lifted a lock, the document is not locked again for this long (failures only wait). */
export const UNLOCK_GRACE_HOURS = 24;
export const DOCUMENT_MAX_WAIT_SECONDS = 5 * 60;
/** "Olvidé mi contraseña": at most one reset e-mail per document in this many minutes. */
export const RESET_MAIL_MINUTES = 5;
/** "Olvidé mi contraseña": requests from one client before it must wait (then 1 minute, doubling). */
export const RESET_CLIENT_FREE = 3;

export type TokenError = { code: 'TOKEN.INVALIDO' } | { code: 'TOKEN.VENCIDO' } | { code: 'TOKEN.USADO' };
export type PasswordError = { code: 'CLAVE.NO_COINCIDE' } | { code: 'CLAVE.POLITICA'; motivos: PasswordReason[] };
export type LoginError =
  /** Wrong document or password; `quedan`: the failures still allowed on this document before it is locked (absent when none will lock it). */
  | { code: 'INGRESO.INVALIDO'; quedan?: number }
  | { code: 'INGRESO.BLOQUEADO'; hasta: string }
  /** Too many failures from this client, or on this document while it cannot be locked: wait first. */
  | { code: 'INGRESO.ESPERE'; segundos: number }
  /** Too many password checks at once in the whole assistant: try again in a moment. */
  | { code: 'INGRESO.OCUPADO' };
export type ResetError = { code: 'RECUPERACION.ESPERE'; segundos: number };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The throttling state of the account use cases (in memory; see the module comment). */
export interface CuentaGuard {
  /** Login failures by client, on any document. */
  readonly clients: Backoff;
  /** Login failures by document, from any client: the lock count, and the waits while it cannot lock. */
  readonly documents: Backoff;
  /** Locks of documents without a usable account (the same answer as a real one; never persisted). */
  readonly locks: Deadlines;
  /** "Olvidé mi contraseña" requests by client. */
  readonly resets: Backoff;
  /** The limit on concurrent password checks. */
  readonly limiter: Limiter;
}

export function createCuentaGuard(limiter: Limiter = verificationLimiter): CuentaGuard {
  return {
    clients: new Backoff({ free: CLIENT_FREE_FAILURES, baseMs: CLIENT_FIRST_WAIT_SECONDS * SECOND, maxMs: CLIENT_MAX_WAIT_MINUTES * MINUTE, forgetMs: HOUR }),
    documents: new Backoff({ free: MAX_LOGIN_FAILURES, baseMs: 2 * SECOND, maxMs: DOCUMENT_MAX_WAIT_SECONDS * SECOND, forgetMs: LOGIN_LOCK_MINUTES * MINUTE }),
    locks: new Deadlines(),
    resets: new Backoff({ free: RESET_CLIENT_FREE, baseMs: MINUTE, maxMs: HOUR, forgetMs: HOUR }),
    limiter,
  };
}

const guards = new WeakMap<object, CuentaGuard>();

/** The deps' guard, or the one of their store (the chat and the account pages share it). */
function guardOf(deps: CuentaDeps): CuentaGuard {
  if (deps.guard) return deps.guard;
  let g = guards.get(deps.store);
  if (!g) guards.set(deps.store, (g = createCuentaGuard()));
  return g;
}

/** The throttling key of who acts: the channel and the pseudonymous channel user (or address). */
const clientKey = (actor: Actor): string => `${actor.channel}|${actor.ref}`;

/** The time of a lock as the e-mail states it (Bogotá). */
const bogotaTime = new Intl.DateTimeFormat('es-CO', { timeStyle: 'short', timeZone: 'America/Bogota' });
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
export function inspectAccountToken(deps: CuentaDeps, token: string, tipo: AccountToken['tipo']): Promise<Result<{ nombre: string }, TokenError>> {
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
    // The policy first: a weak password is chosen again and typed twice anew, so a mismatch of the
    // two would only be a second round of errors for a password that cannot be kept.
    const motivos = checkPasswordPolicy(clave, { numeroDocumento: found.citizen.numeroDocumento, nombres: nombresOf(found.citizen) });
    if (motivos.length > 0) return err({ code: 'CLAVE.POLITICA', motivos } as const);
    if (clave !== confirmacion) return err({ code: 'CLAVE.NO_COINCIDE' } as const);
    return ok(found.citizen.id);
  });
  if (!checked.ok) return checked;

  // Hashing is slow on purpose: outside the transaction, then the link is checked again (single use).
  const passwordHash = await deps.passwords.hash(clave);
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
    await audit(tx, deps.clock, deps.random, actor, tipo === 'activacion' ? 'cuenta.activada' : 'cuenta.clave_restablecida', subject, undefined, citizen.id);
    // A person designated as an employer's delegate, or authorized, before registering is linked now.
    const designations: MailRequest[] =
      tipo === 'activacion'
        ? [...(await completePendingDesignations(tx, deps, updated, actor)), ...(await completePendingAuthorizations(tx, deps, updated, actor))]
        : [];
    return ok({ citizen: updated, subject, designations });
  });
  if (!done.ok) return done;

  const { citizen, subject, designations } = done.value;
  // A new password ends any wait on this document.
  guardOf(deps).documents.clear(citizen.id);
  const nombre = displayName(citizen);
  const own: MailRequest =
    tipo === 'activacion'
      ? { to: citizen.email, template: 'cuenta-activada', data: { nombre, usuario: `${citizen.tipoDocumento} ${citizen.numeroDocumento}` } }
      : { to: citizen.email, template: 'clave-cambiada', data: { nombre } };
  await sendAllAndRecord(deps, actor, [own, ...designations].map((mail) => ({ mail, subject, persona: citizen.id })));
  return ok({ nombre });
}

/**
 * "Ingresar": tipo + número + password. Unknown documents, pending accounts and wrong passwords get
 * the same answers (invalid, locked, wait). Checked in this order, each refusal before any hash is computed:
 * the document's lock, the client's wait, the document's wait (only while it cannot be locked), the
 * global limit of password checks. A failure writes nothing but its audit line, except the one that
 * locks the document (persisted, with the "¿Fue usted?" e-mail).
 */
export async function login(
  deps: CuentaDeps,
  tipo: DocumentType,
  numero: string,
  clave: string,
  actor: Actor,
): Promise<Result<{ citizenId: string; nombre: string }, LoginError>> {
  const g = guardOf(deps);
  const n = normalizeNumero(numero);
  const key = documentKey(tipo, n);
  const subject = documentSubject(tipo, n);
  const client = clientKey(actor);
  const note = (tx: Tx, action: string, detail?: Record<string, string | number>) => audit(tx, deps.clock, deps.random, actor, action, subject, detail, key);
  const usableNow = (c: Citizen | undefined): c is Citizen & { passwordHash: string } => c?.estado === 'activo' && c.passwordHash !== undefined;
  const lockOf = (c: Citizen | undefined, now: Date): string | undefined => {
    const persisted = usableNow(c) && c.loginBloqueadoHasta !== undefined && c.loginBloqueadoHasta > now.toISOString() ? c.loginBloqueadoHasta : undefined;
    const memory = g.locks.get(key, now.getTime());
    return persisted ?? (memory === undefined ? undefined : new Date(memory).toISOString());
  };

  const before = await deps.store.transaction((tx) => tx.collection('citizens').get(key));
  const start = deps.clock.now();
  const lockedUntil = lockOf(before, start);
  if (lockedUntil) return err({ code: 'INGRESO.BLOQUEADO', hasta: lockedUntil });
  const wait = Math.max(g.clients.wait(client, start.getTime()), g.documents.wait(key, start.getTime()));
  if (wait > 0) return err({ code: 'INGRESO.ESPERE', segundos: waitSeconds(wait) });

  // Unknown documents are checked against a decoy hash, so the answer takes as long.
  const right = await g.limiter.run(() => deps.passwords.verify(clave, usableNow(before) ? before.passwordHash : deps.passwords.decoy));
  if (right === BUSY) return err({ code: 'INGRESO.OCUPADO' });

  const usable = usableNow(before);
  // A hash of an older scheme (or other parameters) is replaced now that the password is known to
  // be right; when the checks are all busy, at a later login.
  const rehashed = right && usable && deps.passwords.outdated(before.passwordHash) ? await g.limiter.run(() => deps.passwords.hash(clave)) : undefined;
  const now = deps.clock.now();
  // The password may have changed (reset) between the read and now: the transaction checks it again.
  if (right && usable) {
    const done = await deps.store.transaction(async (tx): Promise<Result<{ citizenId: string; nombre: string }, LoginError> | undefined> => {
      const citizen = await tx.collection('citizens').get(key);
      if (!usableNow(citizen) || citizen.passwordHash !== before.passwordHash) return undefined;
      const locked = lockOf(citizen, now);
      if (locked) return err({ code: 'INGRESO.BLOQUEADO', hasta: locked });
      const newHash = typeof rehashed === 'string' ? { passwordHash: rehashed } : {};
      if (citizen.loginFallidos !== 0 || citizen.loginBloqueadoHasta !== undefined || 'passwordHash' in newHash) {
        const { loginBloqueadoHasta: _lock, ...rest } = citizen;
        await tx.collection('citizens').put({ ...rest, loginFallidos: 0, ...newHash });
      }
      await note(tx, 'ingreso.exitoso');
      // The helpdesk's history names who acted through this channel user from now on.
      await recordKnownActor(tx, deps.clock, actor.ref, citizen.id);
      return ok({ citizenId: citizen.id, nombre: displayName(citizen) });
    });
    if (done) {
      if (done.ok) g.documents.clear(key);
      return done;
    }
  }

  // A failure: counted in memory, for this client and for this document.
  g.clients.fail(client, now.getTime());
  const fallidos = g.documents.fail(key, now.getTime());
  if (fallidos < MAX_LOGIN_FAILURES) {
    await deps.store.transaction((tx) => note(tx, 'ingreso.fallido', { motivo: usable ? 'clave' : before ? 'pendiente' : 'desconocido', fallidos }));
    // Told for any document alike, so it says nothing of whether an account exists.
    return err({ code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - fallidos });
  }

  const hasta = new Date(now.getTime() + LOGIN_LOCK_MINUTES * MINUTE).toISOString();
  const locked = await deps.store.transaction(async (tx) => {
    const citizen = await tx.collection('citizens').get(key);
    if (!usableNow(citizen)) return { grace: false as const, mail: undefined };
    // The owner lifted a lock lately: no new lock, only the waits of the document.
    const tokens = await tx.collection('accountTokens').findBy('citizenId', citizen.id);
    const graceFrom = new Date(now.getTime() - UNLOCK_GRACE_HOURS * HOUR).toISOString();
    if (tokens.some((t) => t.tipo === 'desbloqueo' && t.usadoEn !== undefined && t.usadoEn > graceFrom)) {
      await note(tx, 'ingreso.fallido', { motivo: 'clave', fallidos });
      return { grace: true as const, mail: undefined };
    }
    const { loginBloqueadoHasta: _lock, ...rest } = citizen;
    await tx.collection('citizens').put({ ...rest, loginFallidos: 0, loginBloqueadoHasta: hasta });
    await note(tx, 'ingreso.bloqueado', { fallidos, minutos: LOGIN_LOCK_MINUTES });
    // One "¿Fue usted?" link at a time: none while an earlier one can still be used.
    const nowIso = now.toISOString();
    if (tokens.some((t) => t.tipo === 'desbloqueo' && t.usadoEn === undefined && t.expira > nowIso)) return { grace: false as const, mail: undefined };
    await dropUnusedTokens(tx, citizen.id, 'desbloqueo');
    const token = await issueToken(tx, deps, citizen.id, 'desbloqueo', UNLOCK_LINK_HOURS * HOUR);
    return { grace: false as const, mail: { citizen, token } };
  });
  // This attempt was checked: it is told it failed; the next one waits.
  if (locked.grace) return err({ code: 'INGRESO.INVALIDO' });
  // The lock replaces the count (persisted for an account; in memory for any other document).
  g.documents.clear(key);
  if (!usable) {
    g.locks.set(key, now.getTime() + LOGIN_LOCK_MINUTES * MINUTE, now.getTime());
    await deps.store.transaction((tx) => note(tx, 'ingreso.fallido', { motivo: before ? 'pendiente' : 'desconocido', fallidos }));
  }
  if (locked.mail) {
    const { citizen, token } = locked.mail;
    await sendAndRecord(
      deps,
      actor,
      {
        to: citizen.email,
        template: 'ingreso-desbloqueo',
        data: { nombre: displayName(citizen), enlace: accountLink(deps, 'desbloquear', token), hasta: bogotaTime.format(new Date(hasta)), horas: UNLOCK_LINK_HOURS },
      },
      subject,
      citizen.id,
    );
  }
  return err({ code: 'INGRESO.BLOQUEADO', hasta });
}

/**
 * The "¿Fue usted?" link: lifts the login lock of the link's account and resets its failure counts;
 * for UNLOCK_GRACE_HOURS the document is not locked again (failures only make it wait).
 */
export async function unlockWithToken(deps: CuentaDeps, token: string, actor: Actor): Promise<Result<{ nombre: string }, TokenError>> {
  const done = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const found = await usableToken(tx, now, token, 'desbloqueo');
    if ('ok' in found) return found;
    const { record, citizen } = found;
    const { loginBloqueadoHasta: _lock, ...rest } = citizen;
    await tx.collection('citizens').put({ ...rest, loginFallidos: 0 });
    await tx.collection('accountTokens').put({ ...record, usadoEn: now.toISOString() });
    await audit(tx, deps.clock, deps.random, actor, 'ingreso.desbloqueado', documentSubject(citizen.tipoDocumento, citizen.numeroDocumento), undefined, citizen.id);
    return ok(citizen);
  });
  if (!done.ok) return done;
  const g = guardOf(deps);
  g.documents.clear(done.value.id);
  g.locks.clear(done.value.id);
  return ok({ nombre: displayName(done.value) });
}

/** Forgets the in-memory failure counts and lock of a document (the helpdesk lifted its login lock). */
export function clearLoginThrottle(deps: CuentaDeps, citizenId: string): void {
  const g = guardOf(deps);
  g.documents.clear(citizenId);
  g.locks.clear(citizenId);
}

/** What became of a reset request: a link sent, one sent a few minutes ago (none now), the mail failed, or no account. */
export type EnvioEnlace = 'enviado' | 'reciente' | 'fallido' | 'ninguno';

/**
 * "Olvidé mi contraseña": for an active account, e-mails a reset link valid RESET_HOURS; for any other
 * document nothing happens, and the anonymous chat says the same either way (`envio` is only for a
 * caller that already knows the person, a session). At most one e-mail per document in
 * RESET_MAIL_MINUTES (silently); a client asking too often is told to wait, whatever the document.
 */
export async function requestPasswordReset(deps: CuentaDeps, tipo: DocumentType, numero: string, actor: Actor): Promise<Result<{ envio: EnvioEnlace }, ResetError>> {
  const g = guardOf(deps);
  const client = clientKey(actor);
  const start = deps.clock.now().getTime();
  const wait = g.resets.wait(client, start);
  if (wait > 0) return err({ code: 'RECUPERACION.ESPERE', segundos: waitSeconds(wait) });
  g.resets.fail(client, start); // every request counts

  const n = normalizeNumero(numero);
  const subject = documentSubject(tipo, n);
  const key = documentKey(tipo, n);
  const issued = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const citizen = await tx.collection('citizens').get(key);
    if (citizen?.estado !== 'activo' && citizen?.estado !== 'pendiente') {
      await audit(tx, deps.clock, deps.random, actor, 'cuenta.recuperacion_ignorada', subject, { motivo: 'desconocido' }, key);
      return 'ninguno' as const;
    }
    // An account still pending activation (its first e-mail lost or expired) gets a new activation link.
    const tipoEnlace = citizen.estado === 'activo' ? 'recuperacion' : 'activacion';
    const recent = new Date(now.getTime() - RESET_MAIL_MINUTES * MINUTE).toISOString();
    const tokens = await tx.collection('accountTokens').findBy('citizenId', citizen.id);
    if (tokens.some((t) => t.tipo === tipoEnlace && t.usadoEn === undefined && t.creadoEn > recent)) {
      await audit(tx, deps.clock, deps.random, actor, 'cuenta.recuperacion_ignorada', subject, { motivo: 'reciente' }, key);
      return 'reciente' as const;
    }
    await dropUnusedTokens(tx, citizen.id, tipoEnlace);
    const horas = tipoEnlace === 'recuperacion' ? RESET_HOURS : ACTIVATION_HOURS;
    const token = await issueToken(tx, deps, citizen.id, tipoEnlace, horas * HOUR);
    await audit(tx, deps.clock, deps.random, actor, tipoEnlace === 'recuperacion' ? 'cuenta.recuperacion_solicitada' : 'cuenta.activacion_reenviada', subject, undefined, key);
    return { citizen, token, tipoEnlace };
  });
  // `envio` is for a caller that already knows the person (a session); the anonymous reply never tells.
  if (typeof issued === 'string') return ok({ envio: issued });
  const { citizen, token } = issued;
  const enviado = await sendAndRecord(
    deps,
    actor,
    issued.tipoEnlace === 'recuperacion'
      ? {
          to: citizen.email,
          template: 'cuenta-recuperacion',
          data: { nombre: displayName(citizen), enlace: accountLink(deps, 'restablecer', token), minutos: RESET_HOURS * 60 },
        }
      : {
          to: citizen.email,
          template: 'registro-activacion',
          data: { nombre: displayName(citizen), usuario: `${citizen.tipoDocumento} ${citizen.numeroDocumento}`, enlace: accountLink(deps, 'activar', token), horas: ACTIVATION_HOURS },
        },
    subject,
    key,
  );
  return ok({ envio: enviado ? 'enviado' : 'fallido' });
}
