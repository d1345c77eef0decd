/**
 * "Mis datos" (Ley 1581 de 2012, habeas data): what the assistant holds about the logged-in person,
 * then "Solicitar corrección" / "Solicitar eliminación" (a short description → a helpdesk case) or "Volver".
 */
import { ComponentDialog, WaterfallDialog, type DialogInstance, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { caseNumber, myData, parseDescripcion, requestDataChange, type MisDatos, type TipoSolicitud } from '../../domain/mis-datos.js';
import { actingRole } from '../../domain/session.js';
import { saysNone } from '../../domain/commands.js';
import { formatNit } from '../../domain/nit.js';
import { messages, render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { ChoicePrompt, choicePrompt, optionIn } from '../choice.js';
import { FormDialog } from '../form/form.dialog.js';
import { fieldTexts, formResult, formTexts, type FormSpec } from '../form/form-spec.js';
import { formatDateTime } from '../format.js';
import { draftLine } from '../form/form-drafts.js';
import type { MainDialogDeps } from '../main.deps.js';
import { privacyUrl } from '../registro/autorizacion.js';
import { datosBasicosForm } from '../registro/datos-basicos.form.js';
import { requireSession } from '../session.js';
import type { DescribesStep, StepInfo } from '../step-info.js';

export const MIS_DATOS = 'mis-datos';
const CHOICE = 'mis-datos-accion';

export const solicitudForm: FormSpec<{ descripcion: string }> = {
  id: 'mis-datos-solicitud',
  fields: [{ key: 'descripcion', parse: parseDescripcion, prose: true }],
};

interface Textos {
  readonly acciones: readonly [string, string, string];
  readonly estados: Record<string, string>;
  readonly comoRol: Record<string, string>;
  readonly estadosSolicitud: Record<string, string>;
  readonly tiposSolicitud: Record<string, string>;
}
const textos = () => messages<Textos>('mis-datos/textos');

const isoDate = (iso: string): string => iso.split('-').reverse().join('/');
const option = (form: typeof datosBasicosForm, key: string, valor: string): string =>
  fieldTexts(form, key).opciones?.find((o) => o.valor === valor)?.titulo ?? valor;

/** What the summary template shows: dates as people read them, codes as their names. */
function view(d: MisDatos, publicBaseUrl: string): Record<string, unknown> {
  const t = textos();
  return {
    ...d.datos,
    tipoDocumento: option(datosBasicosForm, 'tipoDocumento', d.datos.tipoDocumento),
    sexo: option(datosBasicosForm, 'sexo', d.datos.sexo),
    fechaNacimiento: isoDate(d.datos.fechaNacimiento),
    fechaExpedicion: isoDate(d.datos.fechaExpedicion),
    estado: t.estados[d.datos.estado] ?? d.datos.estado,
    creadoEn: formatDateTime(d.datos.creadoEn),
    activadoEn: d.datos.activadoEn ? formatDateTime(d.datos.activadoEn) : undefined,
    autorizacion: d.autorizacion ? { version: d.autorizacion.version, aceptadaEn: formatDateTime(d.autorizacion.aceptadaEn) } : undefined,
    // The NIT as everywhere else in the chat: 890.900.840-1.
    roles: d.roles.map((r) => ({ ...r, nit: formatNit(r.nit), como: t.comoRol[r.como] ?? r.como })),
    borradores: d.borradores.map((b) => draftLine({ formId: b.formId, savedAt: b.guardadoEn })),
    solicitudes: d.solicitudes.map((s) => ({
      caso: caseNumber(s.id),
      tipo: t.tiposSolicitud[s.tipo] ?? s.tipo,
      estado: t.estadosSolicitud[s.estado] ?? s.estado,
      creadaEn: formatDateTime(s.creadaEn),
    })),
    privacidad: privacyUrl(publicBaseUrl),
  };
}

export class MisDatosDialog extends ComponentDialog implements DescribesStep {
  constructor(private readonly deps: MainDialogDeps) {
    super(MIS_DATOS);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new FormDialog(solicitudForm, deps));
    this.addDialog(new WaterfallDialog(MIS_DATOS + '-pasos', [this.show.bind(this), this.choose.bind(this), this.request.bind(this)]));
    this.initialDialogId = MIS_DATOS + '-pasos';
  }

  describeStep(_instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    return below.includes(CHOICE) ? { paso: render('mis-datos/paso'), ayuda: render('mis-datos/ayuda') } : undefined;
  }

  private async show(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const r = await myData(this.deps, session.citizenId, actingRole(session));
    if (!r.ok) {
      await step.context.sendActivity(render('general/error'));
      return step.endDialog();
    }
    await step.context.sendActivity(render('mis-datos/resumen', view(r.value, this.deps.publicBaseUrl)));
    // Words that are none of the options ("quiero cambiar el teléfono de la sede") are read as at the menu.
    return step.prompt(CHOICE, choicePrompt(render('mis-datos/que-desea'), textos().acciones, {}, { open: true }));
  }

  private async choose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const index = optionIn(step.result, textos().acciones);
    if (index === undefined) return step.endDialog(saysNone(String(step.result)) ? undefined : { reroute: String(step.result) });
    if (index === 2) return step.endDialog();
    const tipo: TipoSolicitud = index === 0 ? 'correccion' : 'eliminacion';
    (step.values as { tipo?: TipoSolicitud }).tipo = tipo;
    await step.context.sendActivity(render(`mis-datos/pedir-${tipo}`));
    return step.beginDialog(solicitudForm.id);
  }

  private async request(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const tipo = (step.values as { tipo: TipoSolicitud }).tipo;
    const { descripcion } = formResult(step.result, solicitudForm).values;
    const session = await requireSession(this.deps, step.context);
    const r = await requestDataChange(this.deps, session.citizenId, tipo, descripcion, actorOf(step.context), actingRole(session));
    if (!r.ok) {
      await step.context.sendActivity(render('general/error'));
      return step.endDialog();
    }
    await step.context.sendActivity(render('mis-datos/solicitud-creada', { ...r.value, tipo: textos().tiposSolicitud[tipo] }));
    return step.endDialog();
  }
}
