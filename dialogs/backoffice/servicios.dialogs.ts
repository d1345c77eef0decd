/**
 * The back office's web services: the catalog (list; add a service from an attached OpenAPI document,
 * validated before anything is stored; retire one with a reason) and the assignment of services to a
 * CCF (each with its Client ID; suspend, reactivate or revoke with a reason).
 */
import type { TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { assignmentsOf, assignServices, changeAssignment, TRANSICIONES, type AsignacionVista, type CambioAsignacion } from '../../domain/asignaciones.js';
import { ccfRoleOf } from '../../domain/autorizados.js';
import { addService, existingServiceId, isPastedOpenApi, listServices, OPENAPI_MAX_BYTES, readServiceDocument, retireService, suggestedId, type CatalogoError } from '../../domain/catalogo.js';
import { matchAlias, matchMany, optionNamedIn } from '../../domain/choice.js';
import { bandeja } from '../../domain/ministerio.js';
import type { OpenApiDocument } from '../../domain/ports.js';
import type { ReferenceCompany } from '../../domain/reference.js';
import type { ServicioWeb } from '../../domain/servicios-web.js';
import { actorOf } from '../actor.js';
import { card, message, submit, textBlock, type CardElement } from '../cards.js';
import { ChoicePrompt, choicePrompt, chosen, optionIn, wentBack } from '../choice.js';
import { FormDialog, wentBackFromForm, type FormOptions } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { formatDate } from '../format.js';
import { incomingFile, incomingText, incomingValue } from '../incoming.js';
import { parseCommand, saysItDoesNotKnow } from '../../domain/commands.js';
import { requireSession } from '../session.js';
import { motivoForm, servicioForm, type ServicioNuevoValues } from './backoffice.forms.js';
import { boTexts, bt, ccfName, otherSectionIn, otherSectionNames, type BackOfficeDialogDeps } from './texts.js';
import { ccfAnswer, ccfOfHint, CcfPrompt, ccfPrompt, chosenCcf, type CcfHint } from './ccf-prompt.js';

export const CATALOGO = 'backoffice-catalogo';
export const ASIGNAR = 'backoffice-asignar';
const AGREGAR = 'backoffice-agregar';
const RETIRAR = 'backoffice-retirar';
const ADJUNTO = 'backoffice-adjunto';
const CHOICE = 'backoffice-servicios-eleccion';
const CCF = 'backoffice-servicios-ccf';
const SERVICIOS = 'backoffice-servicios-varios';
const ASIGNAR_NUEVOS = 'backoffice-asignar-nuevos';
const CAMBIAR = 'backoffice-cambiar';

type Values = Record<string, unknown>;
const sub = (key: string) => boTexts()[key] as unknown as Record<string, string>;

// ---------------------------------------------------------------- the attached document

/** The attached OpenAPI document, or the wish to go back. */
type Adjunto = { bytes: Uint8Array; name: string } | { atras: true };

/** Waits for a file; "atrás" goes back. The document is read (validated) by the caller. */
class AdjuntoDialog extends Dialog {
  constructor(private readonly deps: BackOfficeDialogDeps) {
    super(ADJUNTO);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity(bt('adjunte'));
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext): Promise<void> {
    await context.sendActivity(bt('adjunte'));
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (parseCommand(incomingText(dc.context))?.kind === 'atras') return dc.endDialog({ atras: true } satisfies Adjunto);
    const file = incomingFile(dc.context);
    if (!file) {
      // The document pasted as text is read as the file would be (the whole message, not the first 10,000 characters).
      const pasted = dc.context.activity.text ?? '';
      if (isPastedOpenApi(pasted)) {
        const bytes = new TextEncoder().encode(pasted.trim());
        if (bytes.length <= OPENAPI_MAX_BYTES) return dc.endDialog({ bytes, name: 'documento pegado' } satisfies Adjunto);
        await dc.context.sendActivity(bt('descarga-fallo', { grande: true, maxKb: OPENAPI_MAX_BYTES / 1024 }));
        return Dialog.EndOfTurn;
      }
      await dc.context.sendActivity(bt('sin-adjunto'));
      return Dialog.EndOfTurn;
    }
    const downloaded = await this.deps.download(file, OPENAPI_MAX_BYTES);
    if (!downloaded.ok) {
      await dc.context.sendActivity(bt('descarga-fallo', { grande: downloaded.error.code === 'rut.muy_grande', maxKb: OPENAPI_MAX_BYTES / 1024 }));
      return Dialog.EndOfTurn;
    }
    return dc.endDialog(downloaded.value satisfies Adjunto);
  }
}

/** The reason a document or a new service was refused. */
function catalogRefusal(error: CatalogoError): string {
  switch (error.code) {
    case 'OPENAPI.MUY_GRANDE':
      return bt('descarga-fallo', { grande: true, maxKb: error.maxKb });
    case 'OPENAPI.FORMATO':
      return bt('documento-invalido', { motivo: bt('motivo-formato') });
    case 'OPENAPI.REF_EXTERNA':
      return bt('documento-invalido', { motivo: bt('motivo-ref-externa', { ref: error.ref }) });
    case 'OPENAPI.INVALIDO':
      return bt('documento-invalido', { motivo: error.motivo });
    case 'SERVICIO.OPERACION_NO_EXISTE':
      return bt('documento-invalido', { motivo: bt('motivo-sin-operacion') });
    case 'SERVICIO.YA_EXISTE':
      return bt('servicio-existe', { id: error.id });
    case 'SERVICIO.ID_INVALIDO':
    case 'SERVICIO.DATOS_INCOMPLETOS':
      return bt('servicio-incompleto');
    case 'SERVICIO.NO_EXISTE':
    case 'SERVICIO.YA_RETIRADO':
      return bt('servicio-no-disponible');
    default:
      return bt('no-permitido');
  }
}

const serviceRow = (s: ServicioWeb) => bt('servicio-fila', { metodo: s.metodo, id: s.id, nombre: s.nombre });
const serviceDetail = (s: ServicioWeb) =>
  bt('servicio-detalle', { ruta: s.ruta, version: s.version, especificacion: sub('especificaciones')[s.documento.especificacion] ?? s.documento.especificacion, estado: sub('estados-servicio')[s.estado], ejemplo: s.ejemplo });

function catalogCard(list: readonly ServicioWeb[]) {
  const body: CardElement[] = [textBlock(bt('catalogo-titulo'), { weight: 'Bolder', size: 'Medium' })];
  for (const s of list) {
    body.push(textBlock(serviceRow(s), { weight: 'Bolder', spacing: 'Medium', ...(s.estado === 'retirado' ? { isSubtle: true } : {}) }));
    body.push(textBlock(serviceDetail(s), { isSubtle: true, spacing: 'None' }));
  }
  const fallback = list.map((s) => `- ${serviceRow(s)} (${serviceDetail(s)})`).join('\n');
  return message(bt('catalogo-titulo'), card(body, [], fallback));
}

// ---------------------------------------------------------------- Catálogo de servicios

const CATALOG_ACTIONS = ['agregar', 'retirar', 'volver'] as const;

/** How the catalog is opened: with the words that opened it, which may name its action ("agregar un servicio"). */
export interface CatalogoOptions {
  readonly texto?: string;
}

export class CatalogoDialog extends ComponentDialog {
  constructor(private readonly deps: BackOfficeDialogDeps) {
    super(CATALOGO);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new AdjuntoDialog(deps));
    this.addDialog(new FormDialog(motivoForm, deps));
    this.addDialog(
      new FormDialog(
        servicioForm((id) => existingServiceId(deps, id)),
        deps,
      ),
    );
    this.addDialog(new WaterfallDialog(CATALOGO + '-pasos', [this.list.bind(this), this.act.bind(this), this.again.bind(this)]));
    this.addDialog(new WaterfallDialog(AGREGAR, [this.askFile.bind(this), this.readFile.bind(this), this.askIdentity.bind(this), this.save.bind(this)]));
    this.addDialog(new WaterfallDialog(RETIRAR, [this.pickRetire.bind(this), this.retireReason.bind(this), this.retireConfirm.bind(this), this.retire.bind(this)]));
    this.initialDialogId = CATALOGO + '-pasos';
  }

  private actions = () => CATALOG_ACTIONS.map((a) => sub('acciones-catalogo')[a]!);
  private aliases = () => CATALOG_ACTIONS.map((a) => boTexts()['acciones-catalogo-otros-nombres'][a] ?? []);

  private async list(step: WaterfallStepContext<CatalogoOptions>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const r = await listServices(this.deps, session.citizenId, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(bt('no-permitido'));
      return step.endDialog();
    }
    await step.context.sendActivity(r.value.length ? catalogCard(r.value) : bt('catalogo-vacio'));
    // Opened by "agregar un servicio nuevo al catálogo": that action, after the list.
    const asked = step.options?.texto ? matchAlias(step.options.texto, this.aliases()) : undefined;
    if (asked !== undefined && asked < 2) return step.next(this.actions()[asked]);
    return step.prompt(CHOICE, choicePrompt(bt('que-hacer'), this.actions(), {}, { back: true, aliases: this.aliases() }));
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const i = chosen(step.result, this.actions());
    if (i === 0) return step.beginDialog(AGREGAR);
    if (i === 1) return step.beginDialog(RETIRAR);
    return step.endDialog();
  }

  private async again(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(CATALOGO + '-pasos');
  }

  // -- add

  private async askFile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(ADJUNTO);
  }

  private async readFile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const adjunto = step.result as Adjunto;
    if ('atras' in adjunto) return step.endDialog();
    const session = await requireSession(this.deps, step.context);
    const read = await readServiceDocument(this.deps, session.citizenId, adjunto.bytes, actorOf(step.context));
    if (!read.ok) {
      await step.context.sendActivity(catalogRefusal(read.error));
      return step.replaceDialog(AGREGAR);
    }
    const doc = read.value;
    Object.assign(step.values, { citizenId: session.citizenId, bytes: Buffer.from(adjunto.bytes).toString('base64'), doc: { ...doc, json: '' } });
    await step.context.sendActivity(bt('documento-ok', { titulo: doc.titulo, version: doc.version, especificacion: doc.especificacion, total: doc.operaciones.length }));
    if (doc.operaciones.length === 1) return step.next(0);
    const labels = doc.operaciones.map((o) => `${o.metodo} ${o.ruta}${o.operationId ? ` (${o.operationId})` : ''}`);
    (step.values as Values)['labels'] = labels;
    return step.prompt(CHOICE, choicePrompt(bt('cual-operacion'), labels, { numbered: true }, { back: true }));
  }

  private async askIdentity(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.replaceDialog(AGREGAR);
    const values = step.values as Values;
    const doc = values['doc'] as OpenApiDocument;
    const i = typeof step.result === 'number' ? step.result : chosen(step.result, values['labels'] as string[]);
    const op = doc.operaciones[i]!;
    values['op'] = op;
    const initial: Partial<ServicioNuevoValues> = {
      id: suggestedId(op),
      nombre: (op.resumen ?? doc.titulo).slice(0, 120),
      descripcion: (op.descripcion ?? doc.descripcion ?? op.resumen ?? doc.titulo).replace(/\s+/g, ' ').trim().slice(0, 300),
    };
    // A suggestion that does not fit a field is asked for instead.
    if (initial.nombre!.length < 3) delete initial.nombre;
    if (initial.descripcion!.length < 5) delete initial.descripcion;
    return step.beginDialog('servicio-nuevo', { initial, canGoBack: true } satisfies FormOptions<ServicioNuevoValues>);
  }

  private async save(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result)) return step.replaceDialog(AGREGAR);
    const values = step.values as Values;
    const form = (step.result as { values: ServicioNuevoValues }).values;
    const op = values['op'] as { metodo: string; ruta: string };
    const bytes = new Uint8Array(Buffer.from(String(values['bytes']), 'base64'));
    const added = await addService(this.deps, String(values['citizenId']), bytes, { ...form, metodo: op.metodo, ruta: op.ruta }, actorOf(step.context));
    await step.context.sendActivity(added.ok ? bt('servicio-agregado', { metodo: added.value.metodo, id: added.value.id }) : catalogRefusal(added.error));
    return step.endDialog();
  }

  // -- retire

  private async pickRetire(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const r = await listServices(this.deps, session.citizenId, actorOf(step.context));
    const published = r.ok ? r.value.filter((s) => s.estado === 'publicado') : [];
    if (published.length === 0) {
      await step.context.sendActivity(bt('nada-para-retirar'));
      return step.endDialog();
    }
    const labels = published.map(serviceRow);
    Object.assign(step.values, { citizenId: session.citizenId, published, labels });
    return step.prompt(CHOICE, choicePrompt(bt('cual-retirar'), labels, { numbered: true }, { back: true }));
  }

  private async retireReason(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const values = step.values as Values;
    values['servicio'] = (values['published'] as ServicioWeb[])[chosen(step.result, values['labels'] as string[])]!.id;
    return step.beginDialog(motivoForm.id, { canGoBack: true } satisfies FormOptions);
  }

  private async retireConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result)) return step.replaceDialog(RETIRAR);
    const values = step.values as Values;
    values['motivo'] = formResult(step.result, motivoForm).values.motivo;
    return step.prompt(CHOICE, choicePrompt(bt('confirmar-retirar', { id: values['servicio'], motivo: values['motivo'] }), [bt('si'), bt('no')], {}, { back: true }));
  }

  private async retire(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result) || chosen(step.result, [bt('si'), bt('no')]) === 1) return step.replaceDialog(RETIRAR);
    const values = step.values as Values;
    const r = await retireService(this.deps, String(values['citizenId']), String(values['servicio']), String(values['motivo']), actorOf(step.context));
    await step.context.sendActivity(r.ok ? bt('servicio-retirado', { id: r.value.id }) : catalogRefusal(r.error));
    return step.endDialog();
  }
}

// ---------------------------------------------------------------- Asignar servicios a una CCF

/** How a service is named in a typed answer: its identifier and its name ("ConsultaAfiliacion — Consulta de afiliación"). */
export const serviceLabel = (s: Pick<ServicioWeb, 'id' | 'nombre'>): string => `${s.id} — ${s.nombre}`;

/**
 * The services chosen (1-based, as numbered): a card submit ("1,3"), or typed numbers ("1, 3", "1 y 3")
 * or names ("ConsultaAfiliacion", "consulta de afiliación y beneficiarios"); undefined when unreadable.
 */
export function readServices(context: TurnContext, labels: readonly string[]): number[] | undefined {
  const value = incomingValue(context)?.['servicios'];
  const ids = typeof value === 'string' ? value.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
  if (ids) {
    const n = ids.map(Number);
    return n.length && n.every((x) => Number.isInteger(x) && x >= 1 && x <= labels.length) ? [...new Set(n)] : undefined;
  }
  return matchMany(incomingText(context) ?? '', labels)?.map((i) => i + 1);
}

interface ServiciosValidations {
  /** The published services, as serviceLabel names them, in the order numbered. */
  readonly labels: readonly string[];
}

class ServiciosPrompt extends TextPrompt {
  constructor(id: string) {
    super(id, async (p) => {
      if (parseCommand(incomingText(p.context))?.kind === 'atras') return true;
      const { labels } = p.options.validations as ServiciosValidations;
      if (readServices(p.context, labels)) return true;
      await p.context.sendActivity(bt('servicios-invalidos', { total: labels.length }));
      return false;
    });
  }
}

interface CcfChosen {
  readonly nit: string;
  readonly nombre: string;
}

/** Cambiar una asignación, with the words that asked for it ("suspender consulta de comfama"): the service and the change they name are not asked. */
interface CambiarOptions extends CcfChosen {
  readonly texto?: string;
  /**
   * Back from the confirmation ("atrás"): the same assignment and change, the reason asked again with the one given;
   * `confirmar`: another reason typed at the confirmation, which is asked again with it (not the reason).
   */
  readonly retomar?: { readonly servicioId: string; readonly cambio: CambioAsignacion; readonly motivo: string; readonly confirmar?: 'nuevo' | 'otra-vez' };
}

/** Words typed at a change's confirmation that read as another reason (three words or more the reason's field accepts), else undefined. */
function otherReason(text: string, today: Date): string | undefined {
  if (text.trim().split(/\s+/).length < 3 || saysItDoesNotKnow(text)) return undefined;
  const field = motivoForm.fields[0]!;
  const r = field.parse(text, { values: {}, today });
  return r.ok ? String(r.value) : undefined;
}

/** The same CCF's change asked from its first question (after "atrás" or "No"): no words to read again. */
const asking = ({ nit, nombre }: CambiarOptions): CambiarOptions => ({ nit, nombre });

/** The one change of an assignment the words name, if any. */
function changeNamed(texto: string | undefined): CambioAsignacion | undefined {
  if (!texto) return undefined;
  const cambios = Object.keys(TRANSICIONES) as CambioAsignacion[];
  const i = matchAlias(texto, cambios.map((c) => boTexts()['cambios-otros-nombres'][c] ?? []));
  return i === undefined ? undefined : cambios[i];
}

/** The CCF already chosen (back from one of its actions), or what the tray's answer may have named ("asignar servicios a comfama"). */
interface AsignarOptions {
  readonly ccf?: CcfChosen;
  readonly pista?: CcfHint;
}

export class AsignarDialog extends ComponentDialog {
  constructor(private readonly deps: BackOfficeDialogDeps) {
    super(ASIGNAR);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new CcfPrompt(CCF));
    this.addDialog(new ServiciosPrompt(SERVICIOS));
    this.addDialog(new FormDialog(motivoForm, deps));
    this.addDialog(new WaterfallDialog<AsignarOptions>(ASIGNAR + '-pasos', [this.pickCcf.bind(this), this.show.bind(this), this.act.bind(this), this.again.bind(this)]));
    this.addDialog(new WaterfallDialog<CcfChosen>(ASIGNAR_NUEVOS, [this.askServices.bind(this), this.confirmServices.bind(this), this.assign.bind(this)]));
    this.addDialog(
      new WaterfallDialog<CambiarOptions>(CAMBIAR, [this.pickAssignment.bind(this), this.pickChange.bind(this), this.changeReason.bind(this), this.changeConfirm.bind(this), this.change.bind(this)]),
    );
    this.initialDialogId = ASIGNAR + '-pasos';
  }

  private actions = () => [sub('acciones-asignar')['asignar']!, sub('acciones-asignar')['cambiar']!, sub('acciones-asignar')['volver']!];

  private async pickCcf(step: WaterfallStepContext<AsignarOptions>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    (step.values as Values)['citizenId'] = session.citizenId;
    // Back from an action: the same CCF again, without asking.
    if (step.options?.ccf) return step.next(step.options.ccf);
    const ccfs = await this.deps.reference.listCcfs();
    const pista = step.options?.pista;
    const named = pista ? ccfOfHint(pista, ccfs) : undefined;
    if (named !== undefined) {
      (step.values as Values)['ccfs'] = ccfs;
      return step.next(ccfAnswer(ccfs[named]!));
    }
    const tray = await bandeja(this.deps, session.citizenId, actorOf(step.context));
    if (!tray.ok) {
      await step.context.sendActivity(bt('no-permitido'));
      return step.endDialog();
    }
    const waiting = tray.value.sinServicios.map((w) => ccfs.findIndex((c) => c.nit === w.nit)).filter((i) => i >= 0);
    (step.values as Values)['ccfs'] = ccfs;
    return step.prompt(CCF, ccfPrompt(bt('cual-ccf', { sugeridas: waiting.length > 0 }), ccfs, waiting, otherSectionNames('asignar')));
  }

  private async show(step: WaterfallStepContext<AsignarOptions>): Promise<DialogTurnResult> {
    const values = step.values as Values;
    let ccf: CcfChosen | undefined = step.options?.ccf;
    if (!ccf) {
      const company = chosenCcf(step.result, values['ccfs'] as ReferenceCompany[]);
      if (!company) return step.endDialog(otherSectionIn(step.result, 'asignar'));
      ccf = { nit: company.nit, nombre: ccfName(company) };
    }
    values['ccf'] = ccf;
    const list = await assignmentsOf(this.deps, String(values['citizenId']), ccf.nit, actorOf(step.context));
    if (!list.ok) {
      await step.context.sendActivity(bt('no-permitido'));
      return step.endDialog();
    }
    await step.context.sendActivity(assignmentsCard(ccf, list.value));
    const rol = await ccfRoleOf(this.deps, ccf.nit);
    if (!rol?.activo) await step.context.sendActivity(bt('rol-no-activo-nota', { nombre: ccf.nombre }));
    // "Cambiar una asignación" only when there is one to change.
    const [asignar, cambiar, volver] = this.actions();
    const offered = list.value.some((a) => a.estado !== 'revocado') ? [asignar!, cambiar!, volver!] : [asignar!, volver!];
    values['acciones'] = offered;
    // Opened by "suspender consulta de comfama": that change, without asking what to do.
    if (offered.includes(cambiar!) && changeNamed(step.options?.pista?.texto)) return step.next(cambiar);
    // "suspender la consulta", "revocar la solicitud": Cambiar una asignación, by the change it names.
    const aliases = offered.map((label) => (label === cambiar ? Object.values(boTexts()['cambios-otros-nombres']).flat() : []));
    return step.prompt(CHOICE, choicePrompt(bt('que-hacer'), offered, {}, { back: true, aliases, leave: otherSectionNames('asignar') }));
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const offered = values['acciones'] as string[];
    // Not one of the options: another action named ("activar comfama"), to go there.
    const other = offered.includes(step.result as string) ? undefined : otherSectionIn(step.result, 'asignar', (values['ccf'] as CcfChosen).nit);
    if (other) return step.endDialog(other);
    if (wentBack(step.result)) return step.endDialog();
    const ccf = values['ccf'] as CcfChosen;
    const [asignar, cambiar] = this.actions();
    const label = offered[chosen(step.result, offered)];
    if (label === asignar) return step.beginDialog(ASIGNAR_NUEVOS, ccf);
    const texto = incomingText(step.context);
    if (label === cambiar) return step.beginDialog(CAMBIAR, { ...ccf, ...(texto ? { texto } : {}) } satisfies CambiarOptions);
    return step.endDialog();
  }

  /** Back to the same CCF's assignments after an action. */
  private async again(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(ASIGNAR + '-pasos', { ccf: (step.values as Values)['ccf'] as CcfChosen });
  }

  // -- assign

  private async askServices(step: WaterfallStepContext<CcfChosen>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const actor = actorOf(step.context);
    const catalog = await listServices(this.deps, session.citizenId, actor);
    const current = await assignmentsOf(this.deps, session.citizenId, step.options.nit, actor);
    const published = catalog.ok ? catalog.value.filter((s) => s.estado === 'publicado') : [];
    if (published.length === 0) {
      await step.context.sendActivity(bt('nada-para-asignar'));
      return step.endDialog();
    }
    const assigned = new Set((current.ok ? current.value : []).filter((a) => a.estado !== 'revocado').map((a) => a.servicioId));
    Object.assign(step.values, { citizenId: session.citizenId, published });
    const question = bt('elegir-servicios', { nombre: step.options.nombre });
    const listText = bt('elegir-servicios-texto', { servicios: published.map((s) => ({ ...s, asignado: assigned.has(s.id) })) });
    const choices = published.map((s, i) => ({ title: `${s.metodo} ${s.id}${assigned.has(s.id) ? ' ✓' : ''}`, value: String(i + 1) }));
    // The question is the message's text, above the card (the card repeated it under it).
    const selectCard = card(
      [
        {
          type: 'Input.ChoiceSet',
          id: 'servicios',
          label: bt('servicios-etiqueta'),
          isMultiSelect: true,
          style: 'expanded',
          choices,
          isRequired: true,
          errorMessage: bt('servicios-invalidos', { total: published.length }),
        },
      ],
      [submit(sub('acciones-asignar')['asignar']!, { __servicios: true }, 'positive')],
      `${question}\n\n${listText}`,
    );
    return step.prompt(SERVICIOS, { prompt: message(`${question}\n\n${listText}`, selectCard), validations: { labels: published.map(serviceLabel) } satisfies ServiciosValidations });
  }

  private async confirmServices(step: WaterfallStepContext<CcfChosen>): Promise<DialogTurnResult> {
    if (parseCommand(incomingText(step.context))?.kind === 'atras') return step.endDialog();
    const values = step.values as Values;
    const published = values['published'] as ServicioWeb[];
    const picked = readServices(step.context, published.map(serviceLabel))!.map((n) => published[n - 1]!.id);
    values['picked'] = picked;
    const text = bt('confirmar-asignar', { nombre: step.options.nombre, total: picked.length, servicios: picked });
    return step.prompt(CHOICE, choicePrompt(text, [bt('si'), bt('no')], {}, { back: true }));
  }

  private async assign(step: WaterfallStepContext<CcfChosen>): Promise<DialogTurnResult> {
    if (wentBack(step.result) || chosen(step.result, [bt('si'), bt('no')]) === 1) return step.replaceDialog(ASIGNAR_NUEVOS, step.options);
    const values = step.values as Values;
    const picked = values['picked'] as string[];
    const r = await assignServices(this.deps, String(values['citizenId']), step.options.nit, picked, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(r.error.code === 'CCF.PARTICIPA' ? bt('participa', { nombre: step.options.nombre }) : bt('no-permitido'));
      return step.endDialog();
    }
    const estados = sub('estados-asignacion');
    const filas = r.value.resultados.map((x) =>
      x.resultado === 'asignado'
        ? bt('fila-asignado', { servicio: x.servicioId, clientId: x.asignacion.clientId })
        : x.resultado === 'ya_asignado'
          ? bt('fila-ya-asignado', { servicio: x.servicioId, clientId: x.asignacion.clientId, estado: estados[x.asignacion.estado] })
          : bt('fila-no-publicado', { servicio: x.servicioId }),
    );
    // Whether the Caja can use them yet is said once, by the Caja's assignments shown next.
    await step.context.sendActivity(bt('asignados', { nombre: step.options.nombre, filas }));
    const nuevos = r.value.resultados.filter((x) => x.resultado === 'asignado').map((x) => x.servicioId);
    if (nuevos.length) {
      const aviso = bt('aviso-asignados', { nombre: step.options.nombre, servicios: nuevos.join(', '), usable: r.value.usable });
      for (const citizenId of r.value.avisados) await this.deps.notifier.notify(citizenId, aviso);
    }
    return step.endDialog();
  }

  // -- suspend, reactivate, revoke

  private async pickAssignment(step: WaterfallStepContext<CambiarOptions>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const list = await assignmentsOf(this.deps, session.citizenId, step.options.nit, actorOf(step.context));
    const changeable = list.ok ? list.value.filter((a) => a.estado !== 'revocado') : [];
    if (changeable.length === 0) {
      await step.context.sendActivity(bt('nada-para-cambiar', { nombre: step.options.nombre }));
      return step.endDialog();
    }
    const estados = sub('estados-asignacion');
    const labels = changeable.map((a) => `${a.servicio?.metodo ?? ''} ${a.servicioId} (${estados[a.estado]})`.trim());
    Object.assign(step.values, { citizenId: session.citizenId, changeable, labels });
    // "suspender consulta de comfama": the one assignment those words name.
    const retomar = step.options.retomar;
    const retomada = retomar ? changeable.findIndex((a) => a.servicioId === retomar.servicioId) : -1;
    const named =
      retomada >= 0 ? retomada : step.options.texto ? optionNamedIn(step.options.texto, changeable.map((a) => `${a.servicio?.metodo ?? ''} ${a.servicioId}`.trim())) : undefined;
    if (named !== undefined) return step.next(labels[named]);
    return step.prompt(CHOICE, choicePrompt(bt('cual-asignacion', { nombre: step.options.nombre }), labels, { numbered: true }, { back: true }));
  }

  private async pickChange(step: WaterfallStepContext<CambiarOptions>): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const values = step.values as Values;
    const a = (values['changeable'] as AsignacionVista[])[chosen(step.result, values['labels'] as string[])]!;
    values['asignacion'] = a;
    const cambios = (Object.keys(TRANSICIONES) as CambioAsignacion[]).filter((c) => TRANSICIONES[c].desde.includes(a.estado));
    values['cambios'] = cambios;
    const labels = [...cambios.map((c) => sub('cambios')[c]!), bt('volver')];
    const named = step.options.retomar?.cambio ?? changeNamed(step.options.texto);
    if (named && cambios.includes(named)) return step.next(sub('cambios')[named]);
    const estado = sub('estados-asignacion')[a.estado];
    return step.prompt(CHOICE, choicePrompt(bt('que-cambio', { servicio: a.servicioId, nombre: step.options.nombre, estado }), labels, {}, { back: true }));
  }

  private async changeReason(step: WaterfallStepContext<CambiarOptions>): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const cambios = values['cambios'] as CambioAsignacion[];
    const labels = [...cambios.map((c) => sub('cambios')[c]!), bt('volver')];
    const i = wentBack(step.result) ? cambios.length : chosen(step.result, labels);
    if (i === cambios.length) return step.replaceDialog(CAMBIAR, asking(step.options));
    values['cambio'] = cambios[i];
    // Which change the reason is for: said above the question (it may have been taken from the words, not asked).
    const a = values['asignacion'] as AsignacionVista;
    const heading = bt('cambio-encabezado', { accion: sub('cambios')[cambios[i]!], servicio: a.servicioId, nombre: step.options.nombre });
    const retomar = step.options.retomar?.cambio === cambios[i] ? step.options.retomar : undefined;
    // Another reason typed at the confirmation: the confirmation again, with it.
    if (retomar?.confirmar) return step.next({ formId: motivoForm.id, values: { motivo: retomar.motivo } });
    const again = retomar ? { initial: { motivo: retomar.motivo }, correct: 'motivo', skipIntro: true } : {};
    return step.beginDialog(motivoForm.id, { canGoBack: true, heading, ...again } satisfies FormOptions);
  }

  private async changeConfirm(step: WaterfallStepContext<CambiarOptions>): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result)) return step.replaceDialog(CAMBIAR, asking(step.options));
    const values = step.values as Values;
    values['motivo'] = formResult(step.result, motivoForm).values.motivo;
    const a = values['asignacion'] as AsignacionVista;
    const accion = sub('cambios')[values['cambio'] as CambioAsignacion]!;
    const confirmar = step.options.retomar?.confirmar;
    const lead = confirmar === 'nuevo' ? bt('motivo-nuevo') : confirmar === 'otra-vez' ? bt('confirmar-o-motivo') : undefined;
    const text = [lead, bt('confirmar-cambio', { accion, servicio: a.servicioId, nombre: step.options.nombre, motivo: values['motivo'] })].filter(Boolean).join(' ');
    // Open: other words than Sí or No are read as another reason (change() decides).
    return step.prompt(CHOICE, choicePrompt(text, [bt('si'), bt('no')], {}, { back: true, open: true }));
  }

  private async change(step: WaterfallStepContext<CambiarOptions>): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const a = values['asignacion'] as AsignacionVista;
    const motivo = String(values['motivo']);
    // "atrás": the question before, the reason (with the one given); "No, volver": the list of assignments.
    const cambio = values['cambio'] as CambioAsignacion;
    if (wentBack(step.result)) return step.replaceDialog(CAMBIAR, { ...asking(step.options), retomar: { servicioId: a.servicioId, cambio, motivo } });
    const answer = optionIn(step.result, [bt('si'), bt('no')]);
    if (answer === undefined) {
      // "mejor: fin del convenio firmado" at the confirmation: that reason, confirmed again; anything else, the same confirmation.
      const nuevo = otherReason(String(step.result ?? ''), this.deps.clock.now());
      return step.replaceDialog(CAMBIAR, { ...asking(step.options), retomar: { servicioId: a.servicioId, cambio, motivo: nuevo ?? motivo, confirmar: nuevo ? 'nuevo' : 'otra-vez' } });
    }
    if (answer === 1) return step.replaceDialog(CAMBIAR, asking(step.options));
    const r = await changeAssignment(this.deps, String(values['citizenId']), step.options.nit, a.servicioId, values['cambio'] as CambioAsignacion, motivo, actorOf(step.context));
    const estados = sub('estados-asignacion');
    if (!r.ok) {
      const text =
        r.error.code === 'ASIGNACION.TRANSICION'
          ? bt('transicion', { estado: estados[r.error.desde], accion: sub('cambios')[r.error.accion]!.toLowerCase() })
          : r.error.code === 'CCF.PARTICIPA'
            ? bt('participa', { nombre: step.options.nombre })
            : bt('no-permitido');
      await step.context.sendActivity(text);
      return step.endDialog();
    }
    const estado = estados[r.value.asignacion.estado];
    await step.context.sendActivity(bt('cambio-hecho', { servicio: a.servicioId, nombre: step.options.nombre, estado: sub('estados-asignacion-f')[r.value.asignacion.estado] }));
    const aviso = bt('aviso-cambio', { estado, servicio: a.servicioId, nombre: step.options.nombre, motivo });
    for (const citizenId of r.value.avisados) await this.deps.notifier.notify(citizenId, aviso);
    return step.endDialog();
  }
}

/** The CCF's assignments as a card: service, state, Client ID, dates. */
function assignmentsCard(ccf: CcfChosen, list: readonly AsignacionVista[]) {
  if (list.length === 0) return bt('asignaciones-vacio', { nombre: ccf.nombre });
  const estados = sub('estados-asignacion');
  const title = bt('asignaciones-titulo', { nombre: ccf.nombre });
  const body: CardElement[] = [textBlock(title, { weight: 'Bolder', size: 'Medium' })];
  const lines: string[] = [];
  for (const a of list) {
    const last = a.historial.at(-1);
    const cambio = a.estado !== 'activo' && last ? `${estados[a.estado]} el ${formatDate(last.en)}${last.motivo ? `: ${last.motivo}` : ''}` : undefined;
    const row = bt('asignacion-fila', { metodo: a.servicio?.metodo ?? '', servicio: a.servicioId, estado: estados[a.estado] });
    const detail = bt('asignacion-detalle', { clientId: a.clientId, creado: formatDate(a.creadoEn), cambio });
    body.push(textBlock(row, { weight: 'Bolder', spacing: 'Medium' }), textBlock(detail, { isSubtle: true, spacing: 'None' }));
    lines.push(`- ${row}\n  ${detail}`);
  }
  return message(title, card(body, [], lines.join('\n')));
}
