/** Forms of "Administrar autorizados": the new authorized person (data, site, rol, perfil) and a revocation's reason. */
import type { AutorizadoError, NuevoAutorizado } from '../../domain/autorizados.js';
import { PERFIL_SERVICIOS, ROL_CAJA, type PerfilAutorizado, type RolAutorizado } from '../../domain/autorizaciones.js';
import type { DelegateData } from '../../domain/employers.js';
import { parseDepartment, parseEmailAnswer, parseMunicipality, parseProse, parseText, type FieldParser } from '../../domain/fields.js';
import type { ReferenceRegistry } from '../../domain/reference.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { REVOCACION_MOTIVO_MAX, REVOCACION_MOTIVO_MIN } from '../../domain/autorizados.js';
import type { FormSpec } from '../form/form-spec.js';
import { documentAndNames } from '../registro/datos-basicos.form.js';

/** The form's flat values: the person, then the site (another site's place and address only when chosen), rol and perfil. */
export interface NuevoAutorizadoValues extends Omit<DelegateData, 'email'> {
  email: string;
  sede: 'principal' | 'otra';
  departamento?: string;
  municipio?: string;
  direccion?: string;
  rol: RolAutorizado;
  perfil: PerfilAutorizado;
}

/** What the form passes to `validate` about the company (FormOptions.context). */
export interface NuevoAutorizadoContext {
  readonly nit: string;
  readonly razonSocial: string;
  readonly como: 'rl' | 'delegado';
}

/** Checks the person for the company (domain/autorizados.ts checkNewAuthorization). */
export type AuthorizationCheck = (
  citizenId: string,
  company: NuevoAutorizadoContext,
  persona: Omit<DelegateData, 'email'>,
) => Promise<Result<unknown, AutorizadoError>>;

/** How the duplicate's entry is told in the re-ask (the dialog formats dates and names). */
export type DuplicateDetail = (existente: Extract<AutorizadoError, { code: 'AUTORIZADO.YA_ASIGNADO' }>['existente'], company: NuevoAutorizadoContext) => Record<string, unknown>;

const only =
  <V extends string>(value: V): FieldParser<V> =>
  (raw) =>
    raw === value ? ok(value) : fail('choice');

export const NUEVO_AUTORIZADO_FORM_ID = 'autorizado-nuevo';

/** The answers compared with the reference sources: the document and the names. */
const PERSON_FIELDS = documentAndNames.map((f) => f.key) as readonly (keyof NuevoAutorizadoValues)[];

/**
 * "Nuevo" (manual steps 4–5). As soon as the person's document and names are given they are checked
 * (validateAfter), before the site is asked: not matching the reference sources, they are shown with the
 * reason and the person picks the one to correct; already assigned to the rol, the document number is
 * asked again with the reason.
 */
export function nuevoAutorizadoForm(registry: ReferenceRegistry, check: AuthorizationCheck, duplicate: DuplicateDetail): FormSpec<NuevoAutorizadoValues> {
  const otra = (v: Partial<NuevoAutorizadoValues>) => v.sede === 'otra';
  return {
    id: NUEVO_AUTORIZADO_FORM_ID,
    fields: [
      ...documentAndNames,
      { key: 'email', parse: parseEmailAnswer },
      { key: 'sede', parse: (raw) => (raw === 'principal' || raw === 'otra' ? ok(raw) : fail('choice')) },
      {
        key: 'departamento',
        parse: parseDepartment(registry),
        when: otra,
        display: (v) => registry.departments().find((d) => d.code === v)?.name ?? String(v),
      },
      { key: 'municipio', parse: parseMunicipality(registry), when: otra, display: (v) => registry.findMunicipality(String(v))?.name ?? String(v) },
      { key: 'direccion', parse: parseText(5, 120), when: otra },
      { key: 'rol', parse: only(ROL_CAJA) },
      { key: 'perfil', parse: only(PERFIL_SERVICIOS) },
    ],
    cardGroups: [['tipoDocumento', 'numeroDocumento', 'primerNombre', 'segundoNombre', 'primerApellido', 'segundoApellido', 'email']],
    validateAfter: 'segundoApellido',
    draft: true,
    async validate(values, ctx) {
      const company = ctx.context as NuevoAutorizadoContext | undefined;
      if (!ctx.citizenId || !company) return undefined;
      const r = await check(ctx.citizenId, company, values);
      if (r.ok) return undefined;
      if (r.error.code === 'AUTORIZADO.YA_ASIGNADO') {
        return { field: 'numeroDocumento', code: 'autorizado.ya_asignado', detail: duplicate(r.error.existente, company), backLeaves: true };
      }
      if (r.error.code === 'AUTORIZADO.NO_COINCIDE') {
        // Any of the document and the names may be the one typed wrong: all shown, the person picks one to correct.
        return { field: 'numeroDocumento', code: 'autorizado.no_coincide', correct: PERSON_FIELDS };
      }
      return { field: 'numeroDocumento', code: 'autorizado.no_disponible' };
    },
  };
}

/** The domain's input from the form's values. */
export function nuevoAutorizado(v: NuevoAutorizadoValues): NuevoAutorizado {
  const { sede, departamento, municipio, direccion, ...rest } = v;
  return {
    ...rest,
    sede: sede === 'otra' ? { tipo: 'otra', departamento: departamento ?? '', municipio: municipio ?? '', direccion: direccion ?? '' } : { tipo: 'principal' },
  };
}

export const revocarForm: FormSpec<{ motivo: string }> = {
  id: 'autorizado-revocar',
  fields: [{ key: 'motivo', parse: parseProse(REVOCACION_MOTIVO_MIN, REVOCACION_MOTIVO_MAX), prose: true }],
  review: false,
};
