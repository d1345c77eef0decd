/** Forms of "Registrar rol empleador persona jurídica", "Actualizar datos" and the RUT review. */
import { checkCorporateEmail } from '../../domain/empleador-registro.js';
import {
  parseDate,
  parseDepartment,
  parseEmail,
  parseMunicipality,
  parseNaturaleza,
  parseNitField,
  parsePhone,
  parseText,
  type FieldParser,
} from '../../domain/fields.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import type { ReferenceRegistry } from '../../domain/reference.js';
import { fail, ok } from '../../domain/result.js';
import { checkRutIssueDate, RUT_MAX_AGE_DAYS } from '../../domain/rut.js';
import { fieldTexts, type FormSpec } from '../form/form-spec.js';
import { documentAndNames } from '../registro/datos-basicos.form.js';

export const nitForm: FormSpec = {
  id: 'empleador-nit',
  fields: [{ key: 'nit', parse: parseNitField, display: (v) => formatNit(String(v), computeDv(String(v))) }],
  review: false,
};

export const empresaForm: FormSpec = {
  id: 'empleador-empresa',
  fields: [
    { key: 'razonSocial', parse: parseText(2, 200) },
    { key: 'naturaleza', parse: parseNaturaleza },
  ],
};

const rutIssueDate: FieldParser<string> = (raw, ctx) => {
  const d = parseDate(raw, ctx);
  if (!d.ok) return d;
  const r = checkRutIssueDate(d.value, ctx.today);
  return r.ok ? ok(r.value) : fail(r.error.code, { dias: RUT_MAX_AGE_DAYS });
};

export const rutFechaForm: FormSpec = {
  id: 'empleador-rut-fecha',
  fields: [{ key: 'fechaExpedicion', parse: rutIssueDate }],
  review: false,
};

export const delegadoForm: FormSpec = {
  id: 'empleador-delegado',
  fields: [...documentAndNames, { key: 'email', parse: parseEmail }],
  cardGroups: [['tipoDocumento', 'numeroDocumento', 'primerNombre', 'segundoNombre', 'primerApellido', 'segundoApellido', 'email']],
};

const corporateEmail: FieldParser<string> = (raw, ctx) => {
  const e = parseEmail(raw, ctx);
  if (!e.ok) return e;
  const c = checkCorporateEmail(e.value);
  return c.ok ? ok(c.value) : fail('email.webmail', { dominio: c.error.dominio });
};

export const SEDE_FORM_ID = 'empleador-sede';

/** The main-site form; places are checked against DIVIPOLA and shown by name. */
export function sedeForm(registry: ReferenceRegistry): FormSpec {
  return {
    id: SEDE_FORM_ID,
    fields: [
      { key: 'nombre', parse: parseText(3, 100) },
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

export const rechazoForm: FormSpec = {
  id: 'rechazo-rut',
  fields: [{ key: 'motivo', parse: parseText(5, 500) }],
  review: false,
};

/** The label of a naturaleza jurídica code, as the form offers it. */
export function naturalezaLabel(code: string): string {
  return fieldTexts(empresaForm, 'naturaleza').opciones?.find((o) => o.valor === code)?.titulo ?? code;
}
