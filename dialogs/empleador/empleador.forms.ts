/** Forms of "Registrar rol empleador persona jurídica", "Actualizar datos" and the RUT review. */
import { checkCorporateEmail } from '../../domain/empleador-registro.js';
import { namesSelf } from '../../domain/commands.js';
import type { DelegateData, Naturaleza, Sede } from '../../domain/employers.js';
import {
  parseDate,
  parseDepartment,
  parseDocumentType,
  parseEmailAnswer,
  parseMunicipality,
  parseNaturaleza,
  parseNitField,
  parsePhone,
  parseText,
  type FieldParser,
} from '../../domain/fields.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import type { DocumentType, ReferenceCompany, ReferenceRegistry } from '../../domain/reference.js';
import { matchChoice } from '../../domain/choice.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { checkRutIssueDate, RUT_MAX_AGE_DAYS } from '../../domain/rut.js';
import { fieldTexts, type FormSpec } from '../form/form-spec.js';
import { documentAndNames } from '../registro/datos-basicos.form.js';

type Represented = Pick<ReferenceCompany, 'nit' | 'razonSocial' | 'sigla'>;

/** FormOptions.context of the NIT form: the companies the person represents in the reference sources. */
export function representedContext(companies: readonly Represented[]): Record<string, string> {
  if (companies.length === 0) return {};
  const representadas = JSON.stringify(companies.map(({ nit, razonSocial, sigla }) => ({ nit, razonSocial, ...(sigla ? { sigla } : {}) })));
  return { representadas, empresas: namedWithNit(companies) };
}

/** "**CAJA … CAMACOL** (NIT 890.900.840-1), **…** (NIT …)". */
const namedWithNit = (companies: readonly Represented[]): string =>
  companies.map((c) => `**${c.razonSocial}** (NIT ${formatNit(c.nit, computeDv(c.nit))})`).join(', ');

/**
 * The NIT, or the name of a company the person represents ("camacol", "comfamiliar camacol"), as people who
 * do not know the NIT by heart write it; words that name none of them say which ones the person represents.
 */
const nitOrCompanyName: FieldParser<string> = (raw, ctx) => {
  const nit = parseNitField(raw, ctx);
  const represented = JSON.parse(ctx.context?.['representadas'] ?? '[]') as Represented[];
  if (nit.ok || /\d/.test(raw) || represented.length === 0) return nit;
  const m = matchChoice(raw, represented.map((c) => [c.razonSocial, c.sigla ?? ''].join(' ')));
  if (m.kind === 'match') return ok(represented[m.index]!.nit);
  return fail('nit.por_nombre', { empresas: namedWithNit(represented) });
};

export const nitForm: FormSpec<{ nit: string }> = {
  id: 'empleador-nit',
  fields: [{ key: 'nit', parse: nitOrCompanyName, display: (v) => formatNit(String(v), computeDv(String(v))) }],
  review: false,
};

export const empresaForm: FormSpec<{ razonSocial: string; naturaleza: Naturaleza }> = {
  id: 'empleador-empresa',
  fields: [
    { key: 'razonSocial', parse: parseText(2, 200) },
    { key: 'naturaleza', parse: parseNaturaleza, wordsFirst: true },
  ],
};

const rutIssueDate: FieldParser<string> = (raw, ctx) => {
  const d = parseDate(raw, ctx);
  if (!d.ok) return d;
  const r = checkRutIssueDate(d.value, ctx.today);
  return r.ok ? ok(r.value) : fail(r.error.code, { dias: RUT_MAX_AGE_DAYS });
};

export const rutFechaForm: FormSpec<{ fechaExpedicion: string }> = {
  id: 'empleador-rut-fecha',
  fields: [{ key: 'fechaExpedicion', parse: rutIssueDate }],
  review: false,
};

export const DELEGADO_FORM_ID = 'empleador-delegado';

/** Checks a delegate for the RL with this citizen id (domain/delegados.ts checkDelegate). */
export type DelegateCheck = (rlCitizenId: string, delegado: DelegateData) => Promise<Result<unknown, { code: string }>>;

/** The delegate's document type; "yo misma", "seré yo" (the RL as the delegate) is refused there, before the rest is typed. */
const delegateDocumentType: FieldParser<DocumentType> = (raw, ctx) => (namesSelf(raw) ? fail('delegado.es_el_rl') : parseDocumentType(raw, ctx));

/**
 * The delegate form; once complete, the data is checked against the reference sources and the RL:
 * a refusal re-asks the document number (a mismatch never says which field), the rest is kept.
 */
export function delegadoForm(check: DelegateCheck): FormSpec<DelegateData> {
  return {
    id: DELEGADO_FORM_ID,
    fields: [...documentAndNames.map((f) => (f.key === 'tipoDocumento' ? { ...f, parse: delegateDocumentType } : f)), { key: 'email', parse: parseEmailAnswer }],
    cardGroups: [['tipoDocumento', 'numeroDocumento', 'primerNombre', 'segundoNombre', 'primerApellido', 'segundoApellido', 'email']],
    async validate(values, ctx) {
      if (!ctx.citizenId) return undefined;
      const r = await check(ctx.citizenId, values);
      if (r.ok) return undefined;
      return { field: 'numeroDocumento', code: r.error.code === 'DELEGADO.ES_EL_RL' ? 'delegado.es_el_rl' : 'delegado.no_coincide' };
    },
  };
}

const corporateEmail: FieldParser<string> = (raw, ctx) => {
  const e = parseEmailAnswer(raw, ctx);
  if (!e.ok) return e;
  const c = checkCorporateEmail(e.value);
  return c.ok ? ok(c.value) : fail('email.webmail', { dominio: c.error.dominio });
};

export const SEDE_FORM_ID = 'empleador-sede';

/** The main-site form; places are checked against DIVIPOLA and shown by name. */
export function sedeForm(registry: ReferenceRegistry): FormSpec<Sede> {
  return {
    id: SEDE_FORM_ID,
    fields: [
      { key: 'nombre', parse: parseText(3, 100), chosen: true },
      {
        key: 'departamento',
        parse: parseDepartment(registry),
        display: (v) => registry.departments().find((d) => d.code === v)?.name ?? String(v),
      },
      { key: 'municipio', parse: parseMunicipality(registry), display: (v) => registry.findMunicipality(String(v))?.name ?? String(v) },
      { key: 'direccion', parse: parseText(5, 120) },
      { key: 'telefono', parse: parsePhone },
      { key: 'email', parse: corporateEmail },
    ],
  };
}

export const rechazoForm: FormSpec<{ motivo: string }> = {
  id: 'rechazo-rut',
  fields: [{ key: 'motivo', parse: parseText(5, 500) }],
  review: false,
};

/** The label of a naturaleza jurídica code, as the form offers it. */
export function naturalezaLabel(code: string): string {
  return fieldTexts(empresaForm, 'naturaleza').opciones?.find((o) => o.valor === code)?.titulo ?? code;
}
