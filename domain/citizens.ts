/** Citizens of Mi Seguridad Social as this assistant keeps them: accounts, one-time links, identity checks. */
import { DOCUMENT_TYPES, type DocumentType, type Sex } from './reference.js';

/** The basic data a person gives in "Registro ciudadano" (names upper-cased, dates ISO, '' when none). */
export interface BasicData {
  readonly tipoDocumento: DocumentType;
  readonly numeroDocumento: string;
  readonly primerNombre: string;
  readonly segundoNombre: string;
  readonly primerApellido: string;
  readonly segundoApellido: string;
  readonly fechaNacimiento: string;
  readonly fechaExpedicion: string;
  readonly sexo: Sex;
}

/** The key of a document everywhere in storage: "CC:70123456". Never logged (use maskDocument). */
export const documentKey = (tipo: DocumentType, numero: string): string => `${tipo}:${numero}`;

/** "CC:70123456" → its parts; undefined for an id that is not a documentKey. */
export function documentOf(citizenId: string): { tipo: DocumentType; numero: string } | undefined {
  const [tipo = '', numero = ''] = citizenId.split(':');
  return (DOCUMENT_TYPES as readonly string[]).includes(tipo) && numero ? { tipo: tipo as DocumentType, numero } : undefined;
}

/** The data-treatment authorization as accepted (domain/privacy.ts): text version, when, through which channel. */
export interface AutorizacionDatos {
  readonly version: string;
  /** ISO-8601. */
  readonly aceptadaEn: string;
  readonly canal: string;
}

export interface Citizen extends BasicData {
  /** documentKey(tipo, numero). */
  readonly id: string;
  /** Personal e-mail, lower-cased; unique among citizens. */
  readonly email: string;
  /** Colombian mobile: 10 digits starting with 3. */
  readonly celular: string;
  readonly estado: 'pendiente' | 'activo';
  /** The password's hash (PasswordHasher: Argon2id; scrypt in earlier versions); absent until the account is activated. */
  readonly passwordHash?: string;
  readonly creadoEn: string;
  readonly activadoEn?: string;
  readonly loginFallidos: number;
  readonly loginBloqueadoHasta?: string;
  /** The data-treatment authorization accepted at registration (absent on accounts created before it was asked). */
  readonly autorizacionDatos?: AutorizacionDatos;
}

/** A one-time link: stored by the SHA-256 of the token, never the token itself. */
export interface AccountToken {
  /** sha256(token) in hex. */
  readonly id: string;
  /** desbloqueo: lifts a login lock ("¿Fue usted?" e-mail). */
  readonly tipo: 'activacion' | 'recuperacion' | 'desbloqueo';
  readonly citizenId: string;
  readonly creadoEn: string;
  readonly expira: string;
  readonly usadoEn?: string;
}

/** Failed identity checks of a document (persisted, so a block survives restarts). */
export interface IdentityCheck {
  /** documentKey(tipo, numero). */
  readonly id: string;
  /** Basic data that did not match the reference sources, in the current series. */
  readonly intentosDatos: number;
  /** Identity-question rounds failed in the current series. */
  readonly rondasFallidas: number;
  readonly bloqueadoHasta?: string;
  readonly actualizadoEn: string;
  /** When the person last passed an identity-question round (completing the registration needs it). */
  readonly verificadoEn?: string;
  /**
   * The round issued and not answered yet (domain/identity-questions.ts IdentityQuestion): answers are
   * graded against it, and starting again serves the same round instead of fresh questions.
   */
  readonly rondaPendiente?: {
    readonly emitidaEn: string;
    readonly preguntas: readonly { readonly kind: string; readonly options: readonly string[]; readonly correct: number }[];
  };
}
