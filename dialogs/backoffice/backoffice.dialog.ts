/**
 * The Ministry's back office ("Administrador MinSalud"): the Bandeja del Ministerio (what waits, oldest
 * first), then — from it or straight from the menu and the search — the RUT review, the activation of
 * the rol "Caja de Compensación Familiar", the catalog of web services, the assignment of services
 * to a CCF, and "Mis acciones recientes". Each section returns to the tray when started from it.
 */
import { ComponentDialog, WaterfallDialog, type DialogInstance, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { matchAlias } from '../../domain/choice.js';
import { bandeja, recentActions, type Bandeja } from '../../domain/ministerio.js';
import { ccfsParaActivar, setCcfRole, type CcfParaActivar, type RolCcfError } from '../../domain/rol-ccf.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import { actorOf } from '../actor.js';
import { card, message, textBlock, type CardElement } from '../cards.js';
import { ChoicePrompt, choicePrompt, chosen, wentBack } from '../choice.js';
import { REVISION_RUT, RevisionRutDialog } from '../empleador/roles.dialog.js';
import { FormDialog, wentBackFromForm, type FormOptions } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { formatDate, formatDateTime } from '../format.js';
import { incomingText } from '../incoming.js';
import { requireSession } from '../session.js';
import type { DescribesStep, StepInfo } from '../step-info.js';
import { motivoForm } from './backoffice.forms.js';
import { ccfAnswer, ccfOfHint, CcfPrompt, ccfPrompt, chosenCcf, type CcfHint } from './ccf-prompt.js';
import { ASIGNAR, AsignarDialog, CATALOGO, CatalogoDialog, type CatalogoOptions } from './servicios.dialogs.js';
import { ACTIONS, boTexts, bt, ccfName, isOtherSection, namesOf, otherNames, otherSectionIn, otherSectionNames, type BackOfficeDialogDeps, type MenuAction, type OtherSection } from './texts.js';

export type { BackOfficeDialogDeps };


/** Where a back-office process starts. */
export type Seccion = 'bandeja' | 'activar' | 'catalogo' | 'asignar';

const MENU = 'backoffice-menu';
const ACTIVAR = 'backoffice-activar';
const ACCIONES = 'backoffice-acciones';
const CHOICE = 'backoffice-eleccion';
const CCF = 'backoffice-ccf';


type Values = Record<string, unknown>;

/** The tray, or (`then`) straight the section another one was left for. */
interface TrayOptions {
  readonly then?: OtherSection;
}

/** How a section may be started: with the words that also named the CCF ("activar comfama"). */
export interface SeccionOptions {
  readonly pista?: CcfHint;
}

/** The sections an administrator's words at the main menu may open with the CCF they name, by the process id that starts each. */
const NAMED_SECTIONS = { activar: 'activar-rol-ccf', asignar: 'asignar-servicios' } as const;

/**
 * An administrator's words at the main menu that name the activation or the assignments ("activar
 * comfama", "suspender servicios de comfenalco valle"), as the tray reads them: the process that
 * starts that section, and the words as the hint of the CCF they may name (asked when they name none).
 */
export function namedSection(text: string): { id: (typeof NAMED_SECTIONS)[keyof typeof NAMED_SECTIONS]; options: SeccionOptions } | undefined {
  const i = matchAlias(text, ACTIONS.map(namesOf));
  const action = i === undefined ? undefined : ACTIONS[i];
  if (action !== 'activar' && action !== 'asignar') return undefined;
  return { id: NAMED_SECTIONS[action], options: { pista: { texto: text, said: namesOf(action) } } };
}


const catalogoOptions = (texto: string | undefined): CatalogoOptions | undefined => (texto ? { texto } : undefined);

/** One section of the tray card: a title and its rows (or "Nada pendiente"). */
function group(title: string, rows: readonly { razonSocial: string; desde: string }[]): CardElement[] {
  const items = rows.length ? rows.map((r) => bt('fila-desde', { nombre: r.razonSocial, fecha: formatDate(r.desde) })) : [bt('grupo-vacio')];
  return [textBlock(title, { weight: 'Bolder', spacing: 'Medium' }), ...items.map((i) => textBlock(`- ${i}`, { spacing: 'None' }))];
}

function trayCard(b: Bandeja) {
  const sections: [string, Bandeja['rut']][] = [
    [bt('grupo-rut', { total: b.rut.length }), b.rut],
    [bt('grupo-activar', { total: b.porActivar.length }), b.porActivar],
    [bt('grupo-servicios', { total: b.sinServicios.length }), b.sinServicios],
  ];
  const body: CardElement[] = [textBlock(bt('bandeja-titulo'), { weight: 'Bolder', size: 'Medium' }), ...sections.flatMap(([t, rows]) => group(t, rows))];
  const fallback = sections
    .map(([t, rows]) => `**${t}**\n${rows.length ? rows.map((r) => `- ${bt('fila-desde', { nombre: r.razonSocial, fecha: formatDate(r.desde) })}`).join('\n') : `- ${bt('grupo-vacio')}`}`)
    .join('\n\n');
  return message(bt('bandeja-intro'), card(body, [], fallback));
}

export class BackOfficeDialog extends ComponentDialog implements DescribesStep {
  constructor(
    private readonly deps: BackOfficeDialogDeps,
    id: string,
    private readonly seccion: Seccion,
  ) {
    super(id);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new CcfPrompt(CCF));
    this.addDialog(new FormDialog(motivoForm, deps));
    this.addDialog(new RevisionRutDialog(deps));
    this.addDialog(new CatalogoDialog(deps));
    this.addDialog(new AsignarDialog(deps));
    this.addDialog(new WaterfallDialog(id + '-inicio', [this.begin.bind(this), this.afterSection.bind(this)]));
    this.addDialog(new WaterfallDialog(MENU, [this.tray.bind(this), this.route.bind(this), this.back.bind(this)]));
    this.addDialog(new WaterfallDialog(ACTIVAR, [this.pickCcf.bind(this), this.showCcf.bind(this), this.reason.bind(this), this.confirm.bind(this), this.apply.bind(this)]));
    this.addDialog(new WaterfallDialog(ACCIONES, [this.actions.bind(this)]));
    this.initialDialogId = id + '-inicio';
  }

  /** The section and its step: the tray's choice, the CCF question, the activation, the catalog, the assignments. */
  describeStep(_instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    const info = this.step(below);
    // A section left for another one goes on in the tray: the person is in the Bandeja del Ministerio now.
    return info && this.seccion !== 'bandeja' && below.includes(MENU) ? { ...info, proceso: 'bandeja-ministerio' } : info;
  }

  private step(below: readonly string[]): StepInfo | undefined {
    const last = below.at(-1);
    // Started as this section (not from the tray): the process's own title already names the section.
    const own = !below.includes(MENU);
    const section = (key: 'catalogo' | 'asignar' | 'activar', ccf: boolean): StepInfo => {
      if (ccf) return { paso: own ? bt('paso-ccf') : `${bt(`paso-${key}`)} — ${bt('paso-ccf')}`, ayuda: bt('ayuda-ccf') };
      return { ...(own ? {} : { paso: bt(`paso-${key}`) }), ayuda: bt(`ayuda-${key}`) };
    };
    if (below.includes(CATALOGO)) return section('catalogo', false);
    if (below.includes(ASIGNAR)) return section('asignar', last?.endsWith('-ccf') ?? false);
    if (below.includes(ACTIVAR)) return section('activar', last === CCF);
    return last === CHOICE ? { paso: bt('paso-bandeja'), ayuda: bt('ayuda-bandeja') } : undefined;
  }

  // ---------------------------------------------------------------- start and the tray

  private async begin(step: WaterfallStepContext<SeccionOptions>): Promise<DialogTurnResult> {
    const section = { bandeja: MENU, activar: ACTIVAR, catalogo: CATALOGO, asignar: ASIGNAR }[this.seccion];
    const pista = step.options?.pista;
    if (this.seccion === 'catalogo') return step.beginDialog(section, catalogoOptions(incomingText(step.context)));
    return step.beginDialog(section, pista && (this.seccion === 'activar' || this.seccion === 'asignar') ? { pista } : undefined);
  }

  /** A section left for another one it named ("asignar servicios" at the activation's CCF question): that one, then the tray. */
  private async afterSection(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isOtherSection(step.result)) return step.replaceDialog(MENU, { then: step.result } satisfies TrayOptions);
    return step.endDialog(step.result);
  }

  private async tray(step: WaterfallStepContext<TrayOptions>): Promise<DialogTurnResult> {
    if (step.options?.then) return step.next(step.options.then);
    const session = await requireSession(this.deps, step.context);
    const b = await bandeja(this.deps, session.citizenId, actorOf(step.context));
    if (!b.ok) {
      await step.context.sendActivity(bt('no-permitido'));
      return step.endDialog();
    }
    await step.context.sendActivity(trayCard(b.value));
    const labels = ACTIONS.map((a) => boTexts().acciones[a]!);
    return step.prompt(CHOICE, choicePrompt(bt('que-hacer'), labels, {}, { back: true, aliases: ACTIONS.map(otherNames) }));
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const other = isOtherSection(step.result) ? step.result : undefined;
    if (!other && wentBack(step.result)) return step.endDialog(); // atrás at the tray: the main menu
    const action: MenuAction = other?.otra ?? ACTIONS[chosen(step.result, ACTIONS.map((a) => boTexts().acciones[a]!))]!;
    const dialogs: Record<MenuAction, string | undefined> = { rut: REVISION_RUT, activar: ACTIVAR, catalogo: CATALOGO, asignar: ASIGNAR, acciones: ACCIONES, terminar: undefined };
    const next = dialogs[action];
    if (!next) return step.endDialog();
    // Left another section for this one: said, as both may ask the same question ("¿Cuál Caja…?").
    if (other) await step.context.sendActivity(bt('pasamos-a', { seccion: boTexts().acciones[action] }));
    // "activar comfama", "asignar servicios a comfama": the CCF named with the action is not asked again.
    const texto = other?.texto ?? incomingText(step.context);
    const pista: CcfHint | undefined = texto ? { texto, said: namesOf(action), ...(other?.nit ? { nit: other.nit } : {}) } : undefined;
    if (action === 'catalogo') return step.beginDialog(next, catalogoOptions(texto));
    return step.beginDialog(next, action === 'activar' || action === 'asignar' ? { pista } : undefined);
  }

  /** Every section goes back to the tray; one left for another section goes there first. */
  private async back(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(MENU, isOtherSection(step.result) ? ({ then: step.result } satisfies TrayOptions) : undefined);
  }

  // ---------------------------------------------------------------- activar / desactivar rol CCF

  private async pickCcf(step: WaterfallStepContext<{ pista?: CcfHint }>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const actor = actorOf(step.context);
    const list = await ccfsParaActivar(this.deps, session.citizenId, actor);
    if (!list.ok) {
      await step.context.sendActivity(bt('no-permitido'));
      return step.endDialog();
    }
    const named = step.options?.pista ? ccfOfHint(step.options.pista, list.value) : undefined;
    if (named !== undefined) {
      Object.assign(step.values, { citizenId: session.citizenId, ccfs: list.value });
      return step.next(ccfAnswer(list.value[named]!));
    }
    const tray = await bandeja(this.deps, session.citizenId, actor);
    const waiting = tray.ok ? tray.value.porActivar.map((w) => list.value.findIndex((c) => c.nit === w.nit)).filter((i) => i >= 0) : [];
    Object.assign(step.values, { citizenId: session.citizenId, ccfs: list.value });
    return step.prompt(CCF, ccfPrompt(bt('cual-ccf', { sugeridas: waiting.length > 0 }), list.value, waiting, otherSectionNames('activar')));
  }

  private async showCcf(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const ccf = chosenCcf(step.result, values['ccfs'] as CcfParaActivar[]);
    if (!ccf) return step.endDialog(otherSectionIn(step.result, 'activar'));
    values['ccf'] = ccf;
    const nombre = ccfName(ccf);
    const r = ccf.rolCcf;
    const estadoRol = !r ? bt('rol-nunca') : r.activo ? bt('rol-activo-desde', { fecha: formatDate(r.en) }) : bt('rol-inactivo-desde', { fecha: formatDate(r.en), motivo: r.motivo ?? '' });
    const estado = bt('ccf-estado', { nombre, nit: formatNit(ccf.nit, computeDv(ccf.nit)), rolEmpleador: ccf.rolEmpleador, autorizados: ccf.autorizados, estadoRol });
    if (!ccf.rolEmpleador) {
      await step.context.sendActivity(`${estado}\n\n${bt('sin-rol-empleador', { nombre })}`);
      return step.replaceDialog(ACTIVAR);
    }
    const options = [bt(r?.activo ? 'desactivar' : 'activar'), bt('volver')];
    values['activar'] = !r?.activo;
    return step.prompt(CHOICE, choicePrompt(estado, options, {}, { back: true, leave: otherSectionNames('activar') }));
  }

  private async reason(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const options = [bt(values['activar'] ? 'activar' : 'desactivar'), bt('volver')];
    // Not one of the options: another action named ("asignar servicios"), to go there.
    const other = options.includes(step.result as string) ? undefined : otherSectionIn(step.result, 'activar', (values['ccf'] as CcfParaActivar).nit);
    if (other) return step.endDialog(other);
    if (wentBack(step.result) || chosen(step.result, options) === 1) return step.replaceDialog(ACTIVAR);
    return step.beginDialog(motivoForm.id, { canGoBack: true } satisfies FormOptions);
  }

  private async confirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Values;
    if (wentBackFromForm(step.result)) return step.replaceDialog(ACTIVAR);
    const { motivo } = formResult(step.result, motivoForm).values;
    values['motivo'] = motivo;
    const ccf = values['ccf'] as CcfParaActivar;
    const text = bt(values['activar'] ? 'confirmar-activar' : 'confirmar-desactivar', { nombre: ccfName(ccf), motivo });
    return step.prompt(CHOICE, choicePrompt(text, [bt('si'), bt('no')], {}, { back: true }));
  }

  private async apply(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Values;
    if (wentBack(step.result) || chosen(step.result, [bt('si'), bt('no')]) === 1) return step.replaceDialog(ACTIVAR);
    const ccf = values['ccf'] as CcfParaActivar;
    const activar = values['activar'] === true;
    const motivo = String(values['motivo']);
    const nombre = ccfName(ccf);
    const done = await setCcfRole(this.deps, String(values['citizenId']), ccf.nit, activar, motivo, actorOf(step.context));
    if (!done.ok) {
      await step.context.sendActivity(refusal(done.error, nombre));
      return step.endDialog();
    }
    const avisos = bt('avisos', { total: done.value.avisados.length, correos: done.value.correosEnviados });
    await step.context.sendActivity(bt(activar ? 'rol-activado' : 'rol-desactivado', { nombre, avisos }));
    const aviso = bt(activar ? 'aviso-activado' : 'aviso-desactivado', { nombre, motivo });
    for (const citizenId of done.value.avisados) await this.deps.notifier.notify(citizenId, aviso);
    return step.endDialog();
  }

  // ---------------------------------------------------------------- Mis acciones recientes

  private async actions(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const r = await recentActions(this.deps, session.citizenId, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(bt('no-permitido'));
      return step.endDialog();
    }
    if (r.value.length === 0) {
      await step.context.sendActivity(bt('acciones-vacio'));
      return step.endDialog();
    }
    const names = boTexts()['nombres-accion'];
    const rows = r.value.map((a) => bt('accion-fila', { fecha: formatDateTime(a.en), accion: names[a.accion] ?? a.accion, sobre: a.sobre, motivo: a.motivo }));
    await step.context.sendActivity(`**${bt('acciones-titulo')}**\n\n${rows.map((x) => `- ${x}`).join('\n')}`);
    return step.endDialog();
  }
}

/** The message for a refused activation. */
function refusal(error: RolCcfError, nombre: string): string {
  switch (error.code) {
    case 'CCF.YA_ACTIVO':
      return bt('ya-activo', { nombre });
    case 'CCF.YA_INACTIVO':
      return bt('ya-inactivo', { nombre });
    case 'CCF.SIN_ROL_EMPLEADOR':
      return bt('sin-rol-empleador', { nombre });
    case 'CCF.PARTICIPA':
      return bt('participa', { nombre });
    default:
      return bt('no-permitido');
  }
}
