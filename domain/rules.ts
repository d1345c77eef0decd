/**
 * The numbers that are rules, as messages state them: every template can write {{reglas.<name>}}
 * (templates/render.ts passes this object), so a sentence never repeats a number the domain decides.
 */
import { AUTORIZADOS_POR_PAGINA, REVOCACION_MOTIVO_MAX, REVOCACION_MOTIVO_MIN } from './autorizados.js';
import { MOTIVO_MAX, MOTIVO_MIN } from './ministerio.js';
import { LOGIN_LOCK_MINUTES, MAX_LOGIN_FAILURES, RESET_HOURS, RESET_MAIL_MINUTES, UNLOCK_GRACE_HOURS, UNLOCK_LINK_HOURS } from './cuenta.js';
import { OPTIONS_PER_QUESTION, PASS_MARK } from './identity-questions.js';
import { ACTIVATION_HOURS, BLOCK_HOURS, MAX_ATTEMPTS } from './registro.js';
import { RUT_MAX_AGE_DAYS, RUT_MAX_BYTES, RUT_MIN_PAGES } from './rut.js';
import { SESSION_IDLE_MINUTES } from './session.js';

/** How long a signed link to a stored file (the RUT for the Ministry's review) is valid. */
export const FILE_LINK_MINUTES = 10;
/** How long a signed link to a service's documentation page (Swagger UI) is valid. */
export const DOC_LINK_MINUTES = 30;

export const RULES = Object.freeze({
  /** Identity: hours a document stays blocked after the last failed attempt. */
  bloqueoHoras: BLOCK_HOURS,
  /** Identity: attempts (basic data or question rounds) before the block. */
  intentosIdentidad: MAX_ATTEMPTS,
  /** Identity questions: right answers needed, options per question. */
  respuestasMinimas: PASS_MARK,
  opcionesPorPregunta: OPTIONS_PER_QUESTION,
  /** One-time links: activation (hours) and password reset (hours). */
  activacionHoras: ACTIVATION_HOURS,
  recuperacionHoras: RESET_HOURS,
  /** Login: failures before the lock, and its minutes. */
  intentosIngreso: MAX_LOGIN_FAILURES,
  bloqueoIngresoMinutos: LOGIN_LOCK_MINUTES,
  /** Login: hours the "¿Fue usted?" unlock link is valid, and hours after an unlock without a new lock. */
  desbloqueoHoras: UNLOCK_LINK_HOURS,
  desbloqueoGraciaHoras: UNLOCK_GRACE_HOURS,
  /** "Olvidé mi contraseña": minutes between two reset e-mails for one document. */
  recuperacionIntervaloMinutos: RESET_MAIL_MINUTES,
  /** Minutes without activity that end a session. */
  sesionMinutos: SESSION_IDLE_MINUTES,
  /** The RUT attachment: size (MB), pages, age (days). */
  rutMaxMb: RUT_MAX_BYTES / (1024 * 1024),
  rutPaginas: RUT_MIN_PAGES,
  rutDias: RUT_MAX_AGE_DAYS,
  /** Minutes a signed file link lasts. */
  enlaceArchivoMinutos: FILE_LINK_MINUTES,
  /** Minutes a signed link to a service's documentation page lasts. */
  enlaceDocumentacionMinutos: DOC_LINK_MINUTES,
  /** Administrar autorizados: characters of a revocation's reason; entries per page of the list. */
  revocacionMotivoMin: REVOCACION_MOTIVO_MIN,
  revocacionMotivoMax: REVOCACION_MOTIVO_MAX,
  autorizadosPorPagina: AUTORIZADOS_POR_PAGINA,
  /** The Ministry's back office: characters of a reason (activation, retirement, suspension, revocation). */
  motivoMinisterioMin: MOTIVO_MIN,
  motivoMinisterioMax: MOTIVO_MAX,
});
export type Rules = typeof RULES;
