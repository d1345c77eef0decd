/**
 * The reference sources ("fuentes de referencia") the portal compares people and companies with:
 * civil registry-like person data with an affiliation history, RUT-like company data, DIVIPOLA.
 */

export const DOCUMENT_TYPES = ['CC', 'CE', 'PA', 'PE', 'PT', 'TI'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type Sex = 'F' | 'M';

/** A period of something in a person's history; dates are ISO `YYYY-MM-DD`. */
export interface Period {
  readonly desde: string;
  readonly hasta?: string;
}

export interface ReferencePerson {
  readonly tipoDocumento: DocumentType;
  readonly numeroDocumento: string;
  readonly primerNombre: string;
  readonly segundoNombre?: string;
  readonly primerApellido: string;
  readonly segundoApellido?: string;
  readonly fechaNacimiento: string; // YYYY-MM-DD
  readonly fechaExpedicion: string; // YYYY-MM-DD
  readonly sexo: Sex;
  /** What identity questions are drawn from. */
  readonly historia: {
    readonly eps: readonly (Period & { readonly nombre: string })[];
    readonly pensiones: readonly (Period & { readonly nombre: string })[];
    readonly empleadores: readonly (Period & { readonly nit: string; readonly razonSocial: string })[];
    /** DIVIPOLA municipality codes (5 digits) with the kind of link to the person. */
    readonly lugares: readonly { readonly municipio: string; readonly tipo: 'nacimiento' | 'expedicion' | 'residencia' }[];
  };
}

export interface ReferenceCompany {
  readonly nit: string; // 9 digits
  readonly dv: string; // 1 digit
  readonly razonSocial: string;
  readonly sigla?: string;
  readonly naturalezaJuridica: string; // e.g. "Persona jurídica sin ánimo de lucro"
  /** Present for Cajas de Compensación Familiar: the PILA code, e.g. "CCF04". */
  readonly codigoPila?: string;
  readonly departamentoSede: string; // DIVIPOLA department code (2 digits)
  readonly municipioSede: string; // DIVIPOLA municipality code (5 digits)
  readonly direccion: string;
  readonly representanteLegal: { readonly tipoDocumento: DocumentType; readonly numeroDocumento: string };
}

export interface Department {
  readonly code: string; // 2 digits
  readonly name: string;
}
export interface Municipality {
  readonly code: string; // 5 digits, starts with the department code
  readonly name: string;
  readonly departmentCode: string;
}

/** Read-only access to the reference sources. Lookups are exact on normalized keys. */
export interface ReferenceRegistry {
  findPerson(tipo: DocumentType, numero: string): Promise<ReferencePerson | undefined>;
  findCompany(nit: string): Promise<ReferenceCompany | undefined>;
  /** All 43 CCFs, ordered by PILA code. */
  listCcfs(): Promise<readonly ReferenceCompany[]>;
  /** Companies whose legal representative is this person. */
  companiesRepresentedBy(tipo: DocumentType, numero: string): Promise<readonly ReferenceCompany[]>;
  departments(): readonly Department[];
  municipalities(departmentCode?: string): readonly Municipality[];
  findMunicipality(code: string): Municipality | undefined;
  /** The acronym a company is known by ("SENA"), from its legal name as a person's history names it; undefined when it has none. */
  siglaOf(razonSocial: string): string | undefined;
  /** Every value seen in the data for a kind of history item: the pool for plausible distractors. */
  distractorPool(kind: 'eps' | 'pensiones' | 'empleadores' | 'lugares'): readonly string[];
}
