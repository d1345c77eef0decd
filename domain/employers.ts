/**
 * The employer role ("Rol empleador persona jurídica") as stored: company data from the RUT, the main
 * site, the designated delegate and the back-office review. The use cases live in domain/empleador-*.ts,
 * domain/delegados.ts and domain/backoffice.ts; this module has no imports of ports, so
 * domain/ports.ts can name the aggregate without a cycle.
 */
import type { DocumentType } from './reference.js';

/** Naturaleza jurídica as the portal numbers it. */
export const NATURALEZAS = {
  '1': 'Pública',
  '2': 'Privada',
  '3': 'Mixta',
  '4': 'Organismos multilaterales',
  '5': 'Entidades de derecho público no sometidas a la legislación colombiana',
} as const;
export type Naturaleza = keyof typeof NATURALEZAS;

/** Words that make a legal form private: a non-profit (ESAL), a CCF, a company type. */
const PRIVATE_FORM = /\b(?:privad[oa]s?|particular|sin animo de lucro|esal|fundacion|asociacion|corporacion|cooperativa|caja de compensacion|ccf|sociedad|sas|s a s|s a|ltda|limitada)\b/;

/** Words that make a legal form public. */
const PUBLIC_FORM = /\bpublic[oa]s?\b|\bdel estado\b|\bestatal\b|\boficial\b|\borden (?:nacional|departamental|municipal|distrital|territorial)\b|\bunidad administrativa especial\b/;

/**
 * The naturaleza jurídica that a legal form's words name (folded text: the RUT reference's legal form,
 * or what a person writes): the specific ones first (multilateral, foreign public law, mixed), then
 * public, then private words; undefined when none is named. `typed`: a person's words, where public
 * and private words together ("no sé si es pública o privada") name none.
 */
export function naturalezaNamed(folded: string, typed = false): Naturaleza | undefined {
  const t = folded.replace(/\./g, ' '); // "s.a.s" as "s a s"
  if (t.includes('multilateral')) return '4';
  if (/no sometid|extranjer/.test(t)) return '5';
  if (t.includes('mixta')) return '3';
  const isPublic = PUBLIC_FORM.test(t);
  const isPrivate = PRIVATE_FORM.test(t);
  if (typed && isPublic && isPrivate) return undefined;
  return isPublic ? '1' : isPrivate ? '2' : undefined;
}

/** The main site (sede principal). */
export interface Sede {
  nombre: string;
  /** DIVIPOLA department code, 2 digits. */
  departamento: string;
  /** DIVIPOLA municipality code, 5 digits, starting with the department code. */
  municipio: string;
  direccion: string;
  telefono: string;
  /** Corporate e-mail (no free webmail), lower-cased. */
  email: string;
}

/** The delegate as the RL names them (names upper-cased, number normalized, e-mail lower-cased). */
export interface DelegateData {
  tipoDocumento: DocumentType;
  numeroDocumento: string;
  primerNombre: string;
  segundoNombre: string;
  primerApellido: string;
  segundoApellido: string;
  email: string;
}

export interface EmployerRole {
  /** The NIT (9 digits). */
  id: string;
  nit: string;
  dv: string;
  razonSocial: string;
  naturaleza: Naturaleza;
  /** citizenId (documentKey) of the legal representative who registered the role. */
  rl: string;
  estado: 'activo' | 'pendiente_revision' | 'rechazado';
  sede: Sede;
  /** `citizenId` is the delegate's documentKey: their account once 'vinculado', the account to come while 'invitado'. */
  delegado: DelegateData & { estado: 'vinculado' | 'invitado'; citizenId: string };
  /** The attached RUT (file in the BlobStore) when the data did not match the RUT reference. */
  rut?: { sha256: string; size: number; fechaExpedicion: string; subidoEn: string };
  revision?: { por: string; en: string; decision: 'aprobado' | 'rechazado'; motivo?: string };
  creadoEn: string;
  actualizadoEn: string;
}
