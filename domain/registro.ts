/**
 * "Registro ciudadano": basic data checked against the reference sources, identity questions,
 * contact data, and an account pending activation with a one-time link sent by e-mail.
 */
import { accountLink, dropUnusedTokens, issueToken } from './account-links.js';
import { audit, documentSubject, type Actor } from './audit.js';
import { documentKey, type BasicData, type Citizen, type IdentityCheck } from './citizens.js';
import type { CoreDeps } from './deps.js';
import { parseEmail, parseMobile } from './fields.js';
import { drawQuestions, grade, type IdentityQuestion } from './identity-questions.js';
import { sendAndRecord } from './notify.js';
import { displayName, normalizeNumero } from './people.js';
import type { Tx } from './ports.js';
import { authorizationRecord, type AutorizacionAceptada, type AutorizacionDatos } from './privacy.js';
import type { DocumentType, ReferencePerson } from './reference.js';
import { err, ok, type Err, type Result } from './result.js';
import { maskEmail, sameName } from './text.js';

/** Registration needs only the core collaborators; the name stays for the dialog that takes them. */
export type RegistroDeps = CoreDeps;

/** Mismatching basic data and failed question rounds together, before the document is blocked. */
export const MAX_ATTEMPTS = 3;
export const BLOCK_HOURS = 24;
export const ACTIVATION_HOURS = 24;
/** How long an issued round can be answered, and how long a passed round lets the registration complete. */
export const ROUND_MINUTES = 60;

export type RegistroError =
  | { code: 'REGISTRO.BLOQUEADO'; hasta: string }
  | { code: 'REGISTRO.YA_REGISTRADO' }
  | { code: 'REGISTRO.NO_COINCIDE'; intentosRestantes: number }
  | { code: 'IDENTIDAD.NO_SUPERADA'; intentosRestantes: number; preguntas: IdentityQuestion[] }
  | { code: 'IDENTIDAD.NO_VERIFICADA' }
  | { code: 'CORREO.EN_USO' };

const HOUR = 3_600_000;
const MINUTE = 60_000;

// ---------------------------------------------------------------- checks

/** Basic data equals the reference person's: names ignoring accents and case, dates and sex exactly. */
export function matchesReference(person: ReferencePerson, data: BasicData): boolean {
  return (
    person.tipoDocumento === data.tipoDocumento &&
    normalizeNumero(person.numeroDocumento) === normalizeNumero(data.numeroDocumento) &&
    sameName(person.primerNombre, data.primerNombre) &&
    sameName(person.segundoNombre, data.segundoNombre) &&
    sameName(person.primerApellido, data.primerApellido) &&
    sameName(person.segundoApellido, data.segundoApellido) &&
    person.fechaNacimiento === data.fechaNacimiento &&
    person.fechaExpedicion === data.fechaExpedicion &&
    person.sexo === data.sexo
  );
}

/** What one use case call works with inside its transaction. */
interface Ctx {
  readonly deps: RegistroDeps;
  readonly tx: Tx;
  readonly actor: Actor;
  readonly key: string;
  readonly subject: string;
  readonly now: Date;
  readonly nowIso: string;
}

function context(deps: RegistroDeps, tx: Tx, actor: Actor, tipo: DocumentType, numero: string): Ctx {
  const now = deps.clock.now();
  const n = normalizeNumero(numero);
  return { deps, tx, actor, key: documentKey(tipo, n), subject: documentSubject(tipo, n), now, nowIso: now.toISOString() };
}

function note(c: Ctx, action: string, detail?: Record<string, string | number | boolean | null>): Promise<void> {
  return audit(c.tx, c.deps.clock, c.deps.random, c.actor, action, c.subject, detail, c.key);
}

const used = (check: IdentityCheck): number => check.intentosDatos + check.rondasFallidas;

/** The document's identity check; a block that has ended is lifted here (counters start again). */
async function currentCheck(c: Ctx): Promise<IdentityCheck> {
  const fresh: IdentityCheck = { id: c.key, intentosDatos: 0, rondasFallidas: 0, actualizadoEn: c.nowIso };
  const stored = await c.tx.collection('identityChecks').get(c.key);
  if (!stored) return fresh;
  if (stored.bloqueadoHasta !== undefined && stored.bloqueadoHasta <= c.nowIso) {
    await c.tx.collection('identityChecks').put(fresh);
    await note(c, 'registro.bloqueo_vencido');
    return fresh;
  }
  return stored;
}

async function refuseIfBlocked(c: Ctx, check: IdentityCheck): Promise<Err<RegistroError> | undefined> {
  if (check.bloqueadoHasta === undefined) return undefined;
  await note(c, 'registro.intento_bloqueado');
  return err({ code: 'REGISTRO.BLOQUEADO', hasta: check.bloqueadoHasta });
}

/** Counts a failed attempt; the last allowed one blocks the document for BLOCK_HOURS. */
async function countFailure(
  c: Ctx,
  check: IdentityCheck,
  what: 'datos' | 'ronda',
  detail: Record<string, number> = {},
): Promise<{ blocked: Err<RegistroError> } | { blocked?: undefined; check: IdentityCheck; intentosRestantes: number }> {
  // A failure also ends an earlier verification; a data mismatch keeps the round already issued.
  const { rondaPendiente: round, verificadoEn: _verified, ...base } = check;
  const counted = {
    ...base,
    intentosDatos: check.intentosDatos + (what === 'datos' ? 1 : 0),
    rondasFallidas: check.rondasFallidas + (what === 'ronda' ? 1 : 0),
    actualizadoEn: c.nowIso,
  };
  const next: IdentityCheck = what === 'datos' && round ? { ...counted, rondaPendiente: round } : counted;
  const intentosRestantes = Math.max(0, MAX_ATTEMPTS - used(next));
  await note(c, what === 'datos' ? 'registro.datos_no_coinciden' : 'registro.identidad_no_superada', { ...detail, intentosRestantes });
  if (intentosRestantes > 0) {
    await c.tx.collection('identityChecks').put(next);
    return { check: next, intentosRestantes };
  }
  const hasta = new Date(c.now.getTime() + BLOCK_HOURS * HOUR).toISOString();
  await c.tx.collection('identityChecks').put({ ...counted, bloqueadoHasta: hasta });
  await note(c, 'registro.bloqueado', { horas: BLOCK_HOURS });
  return { blocked: err({ code: 'REGISTRO.BLOQUEADO', hasta }) };
}

/** The reference person when the basic data matches; otherwise the failure (counted) to return. */
async function checkData(c: Ctx, check: IdentityCheck, data: BasicData): Promise<{ person: ReferencePerson } | { failure: Err<RegistroError> }> {
  const person = await c.deps.reference.findPerson(data.tipoDocumento, normalizeNumero(data.numeroDocumento));
  if (person && matchesReference(person, data)) return { person };
  const r = await countFailure(c, check, 'datos');
  return { failure: r.blocked ?? err({ code: 'REGISTRO.NO_COINCIDE', intentosRestantes: r.intentosRestantes }) };
}

async function refuseIfActive(c: Ctx): Promise<Err<RegistroError> | undefined> {
  const citizen = await c.tx.collection('citizens').get(c.key);
  if (citizen?.estado !== 'activo') return undefined;
  await note(c, 'registro.ya_registrado');
  return err({ code: 'REGISTRO.YA_REGISTRADO' });
}

/** The shared opening of every step: not blocked, data matches, not already an active citizen. */
async function admit(c: Ctx, data: BasicData): Promise<{ check: IdentityCheck; person: ReferencePerson } | { failure: Err<RegistroError> }> {
  const check = await currentCheck(c);
  const blocked = await refuseIfBlocked(c, check);
  if (blocked) return { failure: blocked };
  const matched = await checkData(c, check, data);
  if ('failure' in matched) return matched;
  const active = await refuseIfActive(c);
  if (active) return { failure: active };
  return { check, person: matched.person };
}

const within = (c: Ctx, iso: string | undefined, minutes: number): boolean =>
  iso !== undefined && c.now.getTime() - new Date(iso).getTime() <= minutes * MINUTE;

function pendingRound(c: Ctx, check: IdentityCheck): IdentityQuestion[] | undefined {
  const round = check.rondaPendiente;
  return round && within(c, round.emitidaEn, ROUND_MINUTES) ? (round.preguntas as IdentityQuestion[]) : undefined;
}

async function issueRound(c: Ctx, check: IdentityCheck, person: ReferencePerson, avoid?: readonly IdentityQuestion[]): Promise<IdentityQuestion[]> {
  const preguntas = drawQuestions(person, c.deps.reference, c.deps.random, 4, avoid);
  await c.tx.collection('identityChecks').put({ ...check, actualizadoEn: c.nowIso, rondaPendiente: { emitidaEn: c.nowIso, preguntas } });
  await note(c, 'registro.preguntas_emitidas', { preguntas: preguntas.length });
  return preguntas;
}

/** The same questions as shown (the right answer is taken from the stored round, not from the caller). */
function sameQuestions(a: readonly IdentityQuestion[], b: readonly IdentityQuestion[]): boolean {
  return a.length === b.length && a.every((q, i) => q.kind === b[i]?.kind && q.options.join('\u0000') === b[i]?.options.join('\u0000'));
}

// ---------------------------------------------------------------- use cases

/** Step 1: compares the basic data with the reference sources and issues the identity questions. */
export function startRegistration(deps: RegistroDeps, data: BasicData, actor: Actor): Promise<Result<{ preguntas: IdentityQuestion[] }, RegistroError>> {
  return deps.store.transaction(async (tx) => {
    const c = context(deps, tx, actor, data.tipoDocumento, data.numeroDocumento);
    const admitted = await admit(c, data);
    if ('failure' in admitted) return admitted.failure;
    // An unanswered round is served again: starting over does not give easier questions.
    const preguntas = pendingRound(c, admitted.check) ?? (await issueRound(c, admitted.check, admitted.person));
    return ok({ preguntas });
  });
}

/** Step 2: grades the answers to the round issued last; a failed round counts and a new one is issued. */
export function answerIdentityQuestions(
  deps: RegistroDeps,
  data: BasicData,
  preguntas: readonly IdentityQuestion[],
  respuestas: readonly number[],
  actor: Actor,
): Promise<Result<{ superada: true }, RegistroError>> {
  return deps.store.transaction(async (tx): Promise<Result<{ superada: true }, RegistroError>> => {
    const c = context(deps, tx, actor, data.tipoDocumento, data.numeroDocumento);
    const admitted = await admit(c, data);
    if ('failure' in admitted) return admitted.failure;
    const { check, person } = admitted;

    const pending = pendingRound(c, check);
    if (!pending || !sameQuestions(pending, preguntas)) {
      // Not the round we issued (expired, or superseded in another conversation): a new one, not counted.
      await note(c, 'registro.ronda_no_vigente');
      const nuevas = await issueRound(c, check, person, pending ?? preguntas);
      return err({ code: 'IDENTIDAD.NO_SUPERADA', intentosRestantes: MAX_ATTEMPTS - used(check), preguntas: nuevas });
    }

    const result = grade(pending, respuestas);
    if (result.passed) {
      await tx.collection('identityChecks').put({ id: c.key, intentosDatos: 0, rondasFallidas: 0, actualizadoEn: c.nowIso, verificadoEn: c.nowIso });
      await note(c, 'registro.identidad_superada', { correctas: result.correct });
      return ok({ superada: true });
    }
    const failed = await countFailure(c, check, 'ronda', { correctas: result.correct });
    if (failed.blocked) return failed.blocked;
    const nuevas = await issueRound(c, failed.check, person, pending);
    return err({ code: 'IDENTIDAD.NO_SUPERADA', intentosRestantes: failed.intentosRestantes, preguntas: nuevas });
  });
}

/** A pending registration of another document whose link has expired no longer holds its e-mail. */
async function releaseStaleEmail(c: Ctx, email: string): Promise<boolean> {
  const holders = (await c.tx.collection('citizens').findBy('email', email)).filter((h) => h.id !== c.key);
  for (const h of holders) {
    const stale = h.estado === 'pendiente' && c.now.getTime() - new Date(h.creadoEn).getTime() >= ACTIVATION_HOURS * HOUR;
    if (!stale) return false;
    await dropUnusedTokens(c.tx, h.id);
    await c.tx.collection('citizens').delete(h.id);
    await audit(c.tx, c.deps.clock, c.deps.random, c.actor, 'registro.pendiente_vencido_eliminado', documentSubject(h.tipoDocumento, h.numeroDocumento), undefined, h.id);
  }
  return true;
}

function citizenFrom(person: ReferencePerson, email: string, celular: string, autorizacionDatos: AutorizacionDatos, nowIso: string): Citizen {
  const up = (s: string | undefined) => (s ?? '').toLocaleUpperCase('es-CO');
  return {
    id: documentKey(person.tipoDocumento, normalizeNumero(person.numeroDocumento)),
    tipoDocumento: person.tipoDocumento,
    numeroDocumento: normalizeNumero(person.numeroDocumento),
    primerNombre: up(person.primerNombre),
    segundoNombre: up(person.segundoNombre),
    primerApellido: up(person.primerApellido),
    segundoApellido: up(person.segundoApellido),
    fechaNacimiento: person.fechaNacimiento,
    fechaExpedicion: person.fechaExpedicion,
    sexo: person.sexo,
    email,
    celular,
    estado: 'pendiente',
    creadoEn: nowIso,
    loginFallidos: 0,
    autorizacionDatos,
  };
}

/**
 * Step 3: after a passed round, creates the account pending activation (replacing an unfinished one)
 * and e-mails the one-time activation link. `contacto` must come from parseEmail / parseMobile;
 * `autorizacion` is the data-treatment authorization the person accepted (domain/privacy.ts).
 */
export async function completeRegistration(
  deps: RegistroDeps,
  data: BasicData,
  contacto: { email: string; celular: string },
  autorizacion: AutorizacionAceptada,
  actor: Actor,
): Promise<Result<{ emailEnmascarado: string; correoEnviado: boolean; primerNombre: string }, RegistroError>> {
  const autorizacionDatos = authorizationRecord(autorizacion, actor);
  const parseCtx = { values: {}, today: deps.clock.now() };
  const email = parseEmail(contacto.email, parseCtx);
  const celular = parseMobile(contacto.celular, parseCtx);
  if (!email.ok || !celular.ok) throw new TypeError('completeRegistration: contact data must be parsed first');

  const outcome = await deps.store.transaction(async (tx) => {
    const c = context(deps, tx, actor, data.tipoDocumento, data.numeroDocumento);
    const admitted = await admit(c, data);
    if ('failure' in admitted) return admitted.failure;
    if (!within(c, admitted.check.verificadoEn, ROUND_MINUTES)) {
      await note(c, 'registro.identidad_no_verificada');
      return err({ code: 'IDENTIDAD.NO_VERIFICADA' } as const);
    }
    if (!(await releaseStaleEmail(c, email.value))) {
      await note(c, 'registro.correo_en_uso');
      return err({ code: 'CORREO.EN_USO' } as const);
    }
    const previous = await tx.collection('citizens').get(c.key);
    if (previous) {
      const dropped = await dropUnusedTokens(tx, c.key);
      await note(c, 'registro.pendiente_reemplazado', { enlacesAnulados: dropped });
    }
    const citizen = citizenFrom(admitted.person, email.value, celular.value, autorizacionDatos, c.nowIso);
    await tx.collection('citizens').put(citizen);
    const token = await issueToken(tx, deps, citizen.id, 'activacion', ACTIVATION_HOURS * HOUR);
    await tx.collection('identityChecks').delete(c.key);
    await note(c, 'registro.creado', { correo: maskEmail(citizen.email) });
    await note(c, 'registro.autorizacion_aceptada', { version: autorizacionDatos.version, aceptadaEn: autorizacionDatos.aceptadaEn });
    return ok({ citizen, token, subject: c.subject });
  });
  if (!outcome.ok) return outcome;

  const { citizen, token, subject } = outcome.value;
  const correoEnviado = await sendAndRecord(
    deps,
    actor,
    {
      to: citizen.email,
      template: 'registro-activacion',
      data: {
        nombre: displayName(citizen),
        usuario: `${citizen.tipoDocumento} ${citizen.numeroDocumento}`,
        enlace: accountLink(deps, 'activar', token),
        horas: ACTIVATION_HOURS,
      },
    },
    subject,
    citizen.id,
  );
  // The first name as the reference sources write it ("NICOLÁS" for a typed "nicolas").
  return ok({ emailEnmascarado: maskEmail(citizen.email), correoEnviado, primerNombre: citizen.primerNombre });
}
