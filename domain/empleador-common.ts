/**
 * What the employer-role use cases share (registration, "Actualizar datos", delegates, the back
 * office): their collaborators, their error codes, and how a company is keyed, audited and placed.
 */
import { audit, type Actor } from './audit.js';
import { documentKey } from './citizens.js';
import type { CoreDeps } from './deps.js';
import type { EmployerRole, Sede } from './employers.js';
import { parseEmail } from './fields.js';
import { formatNit, normalizeNit } from './nit.js';
import { normalizeNumero } from './people.js';
import type { BlobStore, Tx } from './ports.js';
import type { ReferenceCompany, ReferenceRegistry } from './reference.js';
import type { RutReason } from './rut.js';
import type { StaffDirectory } from './staff.js';

/** The core collaborators, the RUT files and the back-office staff lists. */
export interface EmpleadorDeps extends CoreDeps {
  blobs: BlobStore;
  staff: StaffDirectory;
}

/** The expected failures of the employer-role use cases, by stable code. */
export type EmpleadorError =
  | { code: 'EMPLEADOR.NO_ES_RL' }
  | { code: 'EMPLEADOR.YA_REGISTRADO' }
  | { code: 'EMPLEADOR.DV_INVALIDO' }
  | { code: 'EMPLEADOR.RUT_REQUERIDO' }
  | { code: 'EMPLEADOR.RUT_INVALIDO'; motivo: RutReason }
  | { code: 'DELEGADO.NO_COINCIDE' }
  | { code: 'DELEGADO.ES_EL_RL' }
  | { code: 'CORREO.NO_CORPORATIVO'; dominio: string }
  | { code: 'PERMISO.DENEGADO' }
  | { code: 'EMPLEADOR.NO_EXISTE' }
  /** A rejection needs a reason of REVIEW_REASON_MIN to REVIEW_REASON_MAX characters (domain/backoffice.ts). */
  | { code: 'REVISION.MOTIVO_REQUERIDO'; min: number; max: number }
  /** The role has no RUT waiting for review (already reviewed, or never needed one). */
  | { code: 'REVISION.NO_PENDIENTE'; estado: EmployerRole['estado'] };

/** The citizen id of a company's legal representative in the reference sources. */
export const referenceRlOf = (company: ReferenceCompany): string =>
  documentKey(company.representanteLegal.tipoDocumento, normalizeNumero(company.representanteLegal.numeroDocumento));

/** The 9-digit NIT of what a caller passes ("890900841", "890.900.841-9"); undefined when it is not one. */
export function nitOf(raw: string): string | undefined {
  const parsed = normalizeNit(raw);
  return parsed.ok ? parsed.value.nit : undefined;
}

/** Audit subject of a company: its NIT (public data of a legal person). */
export const nitSubject = (nit: string): string => `NIT ${formatNit(nit)}`;

/** The link that takes a person to the assistant's chat. */
export const chatLink = (deps: Pick<CoreDeps, 'publicBaseUrl'>): string => `${deps.publicBaseUrl.replace(/\/+$/, '')}/`;

/** Audits an action about a company, its NIT as the subject; `personas`: document keys of the persons it is also about. */
export function note(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  actor: Actor,
  action: string,
  nit: string,
  detail?: Record<string, string | number | boolean | null>,
  personas?: readonly (string | undefined)[],
): Promise<void> {
  return audit(tx, deps.clock, deps.random, actor, action, nitSubject(nit), detail, personas);
}

/** A sede as stored: trimmed, e-mail lower-cased. DIVIPOLA codes and the e-mail's form are the form's job: wrong ones are a programming error. */
export function normalizeSede(reference: ReferenceRegistry, sede: Sede): Sede {
  const municipio = reference.findMunicipality(sede.municipio.trim());
  if (!municipio || municipio.departmentCode !== sede.departamento.trim()) throw new TypeError('sede: departamento and municipio must be DIVIPOLA codes of one place');
  const email = parseEmail(sede.email, { values: {}, today: new Date(0) });
  if (!email.ok) throw new TypeError('sede: the e-mail must be parsed first');
  return {
    nombre: sede.nombre.trim(),
    departamento: municipio.departmentCode,
    municipio: municipio.code,
    direccion: sede.direccion.trim(),
    telefono: sede.telefono.trim(),
    email: email.value,
  };
}

/** "Medellín, Antioquia" for mails. */
export function placeName(reference: ReferenceRegistry, sede: Sede): string {
  const municipio = reference.findMunicipality(sede.municipio);
  const department = reference.departments().find((d) => d.code === sede.departamento);
  return [municipio?.name, department?.name].filter(Boolean).join(', ');
}
