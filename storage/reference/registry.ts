/**
 * The reference sources ("fuentes de referencia") loaded from the JSON files of `data/`: persons
 * (civil-registry-like data and affiliation history), companies (RUT-like) and DIVIPOLA.
 *
 * Files are read and validated once, synchronously, when the registry is created (at startup); every
 * lookup then goes through a Map. A malformed or inconsistent data set throws at load time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isValidDv, normalizeNit } from '../../domain/nit.js';
import { fold } from '../../domain/text.js';
import {
  DOCUMENT_TYPES,
  type Department,
  type DocumentType,
  type Municipality,
  type ReferenceCompany,
  type ReferencePerson,
  type ReferenceRegistry,
} from '../../domain/reference.js';

/** The committed data set: storage/reference/data. */
export const DEFAULT_REFERENCE_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export type DistractorKind = Parameters<ReferenceRegistry['distractorPool']>[0];

// ---------------------------------------------------------------------------------------------
// File schemas

const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');
const period = { desde: isoDate, hasta: isoDate.optional() };
const documentType = z.enum(DOCUMENT_TYPES);
const municipalityCode = z.string().regex(/^\d{5}$/);

const personSchema = z.object({
  tipoDocumento: documentType,
  numeroDocumento: z.string().regex(/^[0-9A-Z]{3,20}$/),
  primerNombre: z.string().min(1),
  segundoNombre: z.string().min(1).optional(),
  primerApellido: z.string().min(1),
  segundoApellido: z.string().min(1).optional(),
  fechaNacimiento: isoDate,
  fechaExpedicion: isoDate,
  sexo: z.enum(['F', 'M']),
  historia: z.object({
    eps: z.array(z.object({ nombre: z.string().min(1), ...period })),
    pensiones: z.array(z.object({ nombre: z.string().min(1), ...period })),
    empleadores: z.array(z.object({ nit: z.string().regex(/^\d{9}$/), razonSocial: z.string().min(1), ...period })),
    lugares: z.array(z.object({ municipio: municipalityCode, tipo: z.enum(['nacimiento', 'expedicion', 'residencia']) })),
  }),
});

const companySchema = z.object({
  nit: z.string().regex(/^\d{9}$/),
  dv: z.string().regex(/^\d$/),
  razonSocial: z.string().min(1),
  sigla: z.string().min(1).optional(),
  naturalezaJuridica: z.string().min(1),
  codigoPila: z.string().regex(/^CCF\d{2}$/).optional(),
  departamentoSede: z.string().regex(/^\d{2}$/),
  municipioSede: municipalityCode,
  direccion: z.string().min(1),
  representanteLegal: z.object({ tipoDocumento: documentType, numeroDocumento: z.string().min(1) }),
});

const divipolaSchema = z.object({
  departments: z.array(z.object({ code: z.string().regex(/^\d{2}$/), name: z.string().min(1) })),
  municipalities: z.array(z.object({ code: municipalityCode, name: z.string().min(1), departmentCode: z.string().regex(/^\d{2}$/) })),
});

function readJson<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const path = join(dir, file);
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid reference data in ${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Keys

/** Document numbers are compared without spaces, dots or dashes, and in upper case (passports). */
export function normalizeDocumentNumber(numero: string): string {
  return numero.normalize('NFKC').replace(/[\s.,-]/g, '').toUpperCase();
}
const personKey = (tipo: DocumentType, numero: string): string => `${tipo}:${normalizeDocumentNumber(numero)}`;
const byName = new Intl.Collator('es', { sensitivity: 'base' });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Referential checks: DVs, legal representatives, employers, places, DIVIPOLA consistency. */
function checkConsistency(
  persons: Map<string, ReferencePerson>,
  companies: Map<string, ReferenceCompany>,
  departments: Map<string, Department>,
  municipalities: Map<string, Municipality>,
): string[] {
  const problems: string[] = [];
  for (const m of municipalities.values()) {
    if (!departments.has(m.departmentCode) || !m.code.startsWith(m.departmentCode)) problems.push(`municipality ${m.code}: department ${m.departmentCode}`);
  }
  for (const c of companies.values()) {
    if (!isValidDv(c.nit, c.dv)) problems.push(`company ${c.nit}: wrong DV ${c.dv}`);
    if (!municipalities.has(c.municipioSede) || !c.municipioSede.startsWith(c.departamentoSede)) problems.push(`company ${c.nit}: sede ${c.departamentoSede}/${c.municipioSede}`);
    if (!persons.has(personKey(c.representanteLegal.tipoDocumento, c.representanteLegal.numeroDocumento))) problems.push(`company ${c.nit}: legal representative not in persons`);
  }
  for (const [key, p] of persons) {
    for (const e of p.historia.empleadores) {
      if (!companies.has(e.nit)) problems.push(`person ${key}: employer ${e.nit} not in companies`);
    }
    for (const l of p.historia.lugares) {
      if (!municipalities.has(l.municipio)) problems.push(`person ${key}: place ${l.municipio} not in DIVIPOLA`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Registry

/**
 * Loads and indexes the reference data of `dir` (persons.json, companies.json, divipola.json).
 * Lists returned by the registry are frozen and sorted: CCFs by PILA code, departments and
 * municipalities by name (Spanish collation).
 */
export function loadReferenceRegistry(dir: string = DEFAULT_REFERENCE_DATA_DIR): ReferenceRegistry {
  const personList = readJson(dir, 'persons.json', z.object({ persons: z.array(personSchema) })).persons as ReferencePerson[];
  const companyList = readJson(dir, 'companies.json', z.object({ companies: z.array(companySchema) })).companies as ReferenceCompany[];
  const divipola = readJson(dir, 'divipola.json', divipolaSchema);
  deepFreeze(personList);
  deepFreeze(companyList);
  deepFreeze(divipola);

  const duplicates: string[] = [];
  const persons = new Map<string, ReferencePerson>();
  for (const p of personList) {
    const key = personKey(p.tipoDocumento, p.numeroDocumento);
    if (persons.has(key)) duplicates.push(`person ${key}`);
    persons.set(key, p);
  }
  const companies = new Map<string, ReferenceCompany>();
  for (const c of companyList) {
    if (companies.has(c.nit)) duplicates.push(`company ${c.nit}`);
    companies.set(c.nit, c);
  }
  const departmentsByCode = new Map<string, Department>();
  for (const d of divipola.departments) {
    if (departmentsByCode.has(d.code)) duplicates.push(`department ${d.code}`);
    departmentsByCode.set(d.code, d);
  }
  const municipalitiesByCode = new Map<string, Municipality>();
  for (const m of divipola.municipalities) {
    if (municipalitiesByCode.has(m.code)) duplicates.push(`municipality ${m.code}`);
    municipalitiesByCode.set(m.code, m);
  }
  const problems = [...duplicates.map((d) => `duplicate ${d}`), ...checkConsistency(persons, companies, departmentsByCode, municipalitiesByCode)];
  if (problems.length > 0) throw new Error(`Inconsistent reference data in ${dir}:\n${problems.join('\n')}`);

  const ccfs = Object.freeze(companyList.filter((c) => c.codigoPila !== undefined).sort((a, b) => (a.codigoPila as string).localeCompare(b.codigoPila as string)));

  const representedBy = new Map<string, ReferenceCompany[]>();
  for (const c of companyList) {
    const key = personKey(c.representanteLegal.tipoDocumento, c.representanteLegal.numeroDocumento);
    representedBy.set(key, [...(representedBy.get(key) ?? []), c]);
  }
  for (const list of representedBy.values()) Object.freeze(list);

  const departments = Object.freeze([...divipola.departments].sort((a, b) => byName.compare(a.name, b.name)));
  const allMunicipalities = Object.freeze([...divipola.municipalities].sort((a, b) => byName.compare(a.name, b.name) || a.code.localeCompare(b.code)));
  const municipalitiesByDepartment = new Map<string, readonly Municipality[]>();
  for (const d of departments) municipalitiesByDepartment.set(d.code, Object.freeze(allMunicipalities.filter((m) => m.departmentCode === d.code)));

  const pool = (values: Iterable<string>): readonly string[] => Object.freeze([...new Set(values)].sort(byName.compare));
  const pools: Record<DistractorKind, readonly string[]> = {
    eps: pool(personList.flatMap((p) => p.historia.eps.map((e) => e.nombre))),
    pensiones: pool(personList.flatMap((p) => p.historia.pensiones.map((e) => e.nombre))),
    empleadores: pool(personList.flatMap((p) => p.historia.empleadores.map((e) => e.razonSocial))),
    lugares: pool(personList.flatMap((p) => p.historia.lugares.map((l) => l.municipio))),
  };

  const siglas = new Map<string, string>();
  for (const c of companyList) if (c.sigla) siglas.set(fold(c.razonSocial), c.sigla);

  const none: readonly ReferenceCompany[] = Object.freeze([]);
  const noMunicipalities: readonly Municipality[] = Object.freeze([]);

  return {
    async findPerson(tipo, numero) {
      return persons.get(personKey(tipo, numero));
    },
    async findCompany(nit) {
      const normalized = normalizeNit(nit);
      return normalized.ok ? companies.get(normalized.value.nit) : undefined;
    },
    async listCcfs() {
      return ccfs;
    },
    async companiesRepresentedBy(tipo, numero) {
      return representedBy.get(personKey(tipo, numero)) ?? none;
    },
    departments() {
      return departments;
    },
    municipalities(departmentCode) {
      if (departmentCode === undefined) return allMunicipalities;
      return municipalitiesByDepartment.get(departmentCode) ?? noMunicipalities;
    },
    findMunicipality(code) {
      return municipalitiesByCode.get(code.trim());
    },
    siglaOf(razonSocial) {
      return siglas.get(fold(razonSocial));
    },
    distractorPool(kind) {
      return pools[kind];
    },
  };
}

let defaultInstance: ReferenceRegistry | undefined;

/** The registry over the committed data set, created on first use and shared afterwards. */
export function defaultReferenceRegistry(): ReferenceRegistry {
  defaultInstance ??= loadReferenceRegistry();
  return defaultInstance;
}
