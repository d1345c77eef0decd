/**
 * An authorization ("Administrar autorizados", DESIGN §2) as stored: a person authorized by a company's
 * RL or delegate with a rol and a perfil, at a site. The use cases live in domain/autorizados.ts; this
 * module has no imports of ports, so domain/ports.ts can name the aggregate without a cycle.
 */
import type { DocumentType, Sex } from './reference.js';

/** The rol autorizado the manual names; offered only to companies that are CCFs. */
export const ROL_CAJA = 'CAJA_SUBSIDIO_FAMILIAR';
export type RolAutorizado = typeof ROL_CAJA;
/** The perfil autorizado: administers the external web services of the CCF. */
export const PERFIL_SERVICIOS = 'ADMIN_SERVICIOS_WEB_EXTERNOS';
export type PerfilAutorizado = typeof PERFIL_SERVICIOS;

/** Where the person operates: the company's main site, or another site (DIVIPOLA codes). */
export type SedeAutorizado =
  | { readonly tipo: 'principal' }
  | { readonly tipo: 'otra'; readonly departamento: string; readonly municipio: string; readonly direccion: string };

/** Who authorized or revoked: their citizen id, name and the capacity they acted in. */
export interface AutorizadoPor {
  readonly citizenId: string;
  readonly nombre: string;
  /** To say "delegado" or "delegada". */
  readonly sexo?: Sex;
  readonly como: 'rl' | 'delegado';
  readonly en: string; // ISO-8601
}

export interface Autorizacion {
  /** Random id (a revoked person may be authorized again: a new record). */
  readonly id: string;
  readonly nit: string;
  /** documentKey of the authorized person: their account once 'activo', the account to come while 'invitado'. */
  readonly citizenId: string;
  readonly tipoDocumento: DocumentType;
  readonly numeroDocumento: string;
  /** Names as the reference sources spell them, upper-cased. */
  readonly primerNombre: string;
  readonly segundoNombre: string;
  readonly primerApellido: string;
  readonly segundoApellido: string;
  /** The e-mail the RL or delegate gave (where an invitation went), lower-cased. */
  readonly email: string;
  readonly sede: SedeAutorizado;
  readonly rol: RolAutorizado;
  readonly perfil: PerfilAutorizado;
  /** 'invitado': authorized before registering; becomes 'activo' when their account is activated. */
  readonly estado: 'activo' | 'invitado' | 'revocado';
  readonly autorizadoPor: AutorizadoPor;
  readonly activadoEn?: string;
  readonly revocacion?: AutorizadoPor & { readonly motivo: string };
}

/** The Ministry's activation of the rol "Caja de Compensación Familiar" of a CCF (by NIT). */
export interface RolCcf {
  /** The NIT. */
  readonly id: string;
  readonly nit: string;
  readonly activo: boolean;
  /** When it was last activated or deactivated (ISO-8601). */
  readonly en: string;
  readonly motivo?: string;
  /** The administrator's citizen id (never shown outside the back office: people see "Ministerio de Salud"). */
  readonly por?: string;
}
