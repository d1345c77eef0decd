/** Every form of the assistant (factories built with test dependencies), and the reason texts a form can show. */
import type { Autorizacion } from '../../domain/autorizaciones.js';
import { ok } from '../../domain/result.js';
import { nuevoAutorizadoForm, revocarForm } from '../../dialogs/autorizados/autorizados.forms.js';
import { ingresoForm, recuperarForm } from '../../dialogs/cuenta/cuenta.forms.js';
import { delegadoForm, empresaForm, nitForm, rechazoForm, rutFechaForm, sedeForm } from '../../dialogs/empleador/empleador.forms.js';
import type { FormSpec, ValidateContext } from '../../dialogs/form/form-spec.js';
import { formTexts } from '../../dialogs/form/form-spec.js';
import { contactoForm } from '../../dialogs/registro/contacto.form.js';
import { datosBasicosForm } from '../../dialogs/registro/datos-basicos.form.js';
import { solicitudForm } from '../../dialogs/mis-datos/mis-datos.dialog.js';
import { motivoForm, servicioForm } from '../../dialogs/backoffice/backoffice.forms.js';
import { claveServiciosForm, servicioDatosForm, servicioOAuthForm } from '../../dialogs/servicios/compartir.forms.js';
import { documentoForm, mesaMotivoForm } from '../../dialogs/mesa/mesa.forms.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { messages } from '../../templates/render.js';

export const registry = defaultReferenceRegistry();

/** The delegate check of the real dialog is a use case; here it refuses one document and accepts the rest. */
const delegateCheck = async (_rl: string, d: { numeroDocumento: string }) =>
  d.numeroDocumento === '70123456' ? { ok: false as const, error: { code: 'DELEGADO.ES_EL_RL' } } : d.numeroDocumento.endsWith('9') ? { ok: false as const, error: { code: 'DELEGADO.NO_COINCIDE' } } : ok(true);

/** The authorization check of the real dialog is a use case; here a document ending in 9 does not match, one ending in 8 is already assigned. */
const authorizationCheck = async (_by: string, _company: unknown, p: { numeroDocumento: string }) =>
  p.numeroDocumento.endsWith('9')
    ? { ok: false as const, error: { code: 'AUTORIZADO.NO_COINCIDE' as const } }
    : p.numeroDocumento.endsWith('8')
      ? { ok: false as const, error: { code: 'AUTORIZADO.YA_ASIGNADO' as const, existente: {} as Autorizacion } } // the detail below does not read it
      : ok(true);
const duplicateDetail = () => ({ nombre: 'Andrés Zapata', razonSocial: 'COMFAMA', estado: 'activo', fecha: '26/11/2026', por: 'José Restrepo' });

/** The dialog passes the company as FormOptions.context; without it Nuevo's validate checks nothing, so the fuzz gives it one. */
const NUEVO_CONTEXT = { nit: '890900841', razonSocial: 'COMFAMA', como: 'rl' };
const nuevoAutorizado = nuevoAutorizadoForm(registry, authorizationCheck, duplicateDetail);
const nuevoAutorizadoWithCompany: typeof nuevoAutorizado = {
  ...nuevoAutorizado,
  validate: (values, ctx: ValidateContext) => nuevoAutorizado.validate!(values, { ...ctx, context: NUEVO_CONTEXT }),
};

/** The catalog check of the real dialog reads the store; here "SolicitudAfiliacion" (any case) is already in the catalog. */
const serviceTaken = async (id: string) => (id.toLowerCase() === 'solicitudafiliacion' ? 'SolicitudAfiliacion' : undefined);

/** Every FormSpec of dialogs/ (a test checks that each form text file of templates/es/formularios has one here). */
export const ALL_FORMS: readonly FormSpec[] = [
  datosBasicosForm,
  contactoForm,
  ingresoForm,
  recuperarForm,
  nitForm,
  empresaForm,
  rutFechaForm,
  delegadoForm(delegateCheck),
  sedeForm(registry),
  rechazoForm,
  solicitudForm,
  nuevoAutorizadoWithCompany,
  revocarForm,
  motivoForm,
  servicioForm(serviceTaken),
  servicioDatosForm(async (nombre) => (nombre.toLowerCase() === 'consultaafiliados' ? 'ConsultaAfiliados' : undefined)),
  servicioOAuthForm(),
  claveServiciosForm({ open: (sealed) => sealed, persona: async () => ({ numeroDocumento: '70123456', nombres: ['JOSÉ', 'RESTREPO'] }) }),
  documentoForm,
  mesaMotivoForm,
].map((f) => f as unknown as FormSpec);

export const sharedMotivos = messages<Record<string, string>>('formularios/motivos');

/** The Spanish text of a reason code for `spec`, without the generic fallback ('type' only when the code is 'type'). */
export function ownReasonText(spec: FormSpec, code: string): string | undefined {
  const own = formTexts(spec).motivos;
  if (own && Object.hasOwn(own, code)) return own[code];
  return Object.hasOwn(sharedMotivos, code) ? sharedMotivos[code] : undefined;
}
