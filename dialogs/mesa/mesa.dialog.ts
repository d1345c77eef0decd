/**
 * The helpdesk ("Mesa de ayuda"): the cases waiting in the queue (take one to talk with the person),
 * a person by document or a CCF by NIT, sigla or name (where they are stuck, their blocks, links,
 * invitations and e-mails; the CCF's activation checklist), the actions with a reason (lift an
 * identity block, unlock a login, resend a link), the history in plain Spanish, and "Mis casos".
 */
import { ComponentDialog, WaterfallDialog, type DialogContext, type DialogInstance, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { casesInQueue, caseToTake, mailPersonCaseTaken, SUJETO_SIN_IDENTIFICAR, takeCase } from '../../domain/casos-mesa.js';
import { checklist } from '../../domain/checklist.js';
import { loadChecklistFacts } from '../../domain/checklist-facts.js';
import {
  consultarCcf,
  consultarPersona,
  desbloquearIngreso,
  historial,
  levantarBloqueoIdentidad,
  misCasos,
  reenviarEnlace,
  reenviarInvitacion,
  type VistaCcf,
  type VistaPersona,
} from '../../domain/mesa-ayuda.js';
import type { ReferenceCompany } from '../../domain/reference.js';
import { documentKey } from '../../domain/citizens.js';
import { actorOf } from '../actor.js';
import { ccfAlsoNamed, CcfPrompt, ccfPrompt, chosenCcf } from '../backoffice/ccf-prompt.js';
import { card, message } from '../cards.js';
import { checklistActivity } from '../checklist.js';
import { ChoicePrompt, choicePrompt, chosen, wentBack } from '../choice.js';
import { matchChoice, optionNamedIn } from '../../domain/choice.js';
import { FormDialog, wentBackFromForm } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { formatDateTime } from '../format.js';
import { incomingText } from '../incoming.js';
import { conversationOf } from '../notifier.js';
import { requireSession } from '../session.js';
import type { DescribesStep, StepInfo } from '../step-info.js';
import { actionsFor, CASO, doneData, errorText, type CaseAction } from './caso.dialog.js';
import { caseSummary, takenActivities, type HandoffDeps } from './handoff.js';
import { historialLine } from './historial-texto.js';
import { documentIn, documentoForm, documentoOf, mesaMotivoForm, type Documento } from './mesa.forms.js';
import { ccfCard, escapeMarkdown, personCard } from './persona-card.js';
import { mesaTexts, mt } from './texts.js';

export type SeccionMesa = 'menu' | 'cola' | 'mis-casos';

/**
 * Whether `text` is one of the view's options rather than a CCF or a document to consult: not when it
 * fits an option only by the words in brackets ("y la caja comfama?" against "Reenviar invitación
 * (… COMFAMA)": the CCF's name, not the action's).
 */
function readsAsOption(text: string, labels: readonly string[]): boolean {
  const m = matchChoice(text, labels);
  if (m.kind !== 'match') return false;
  if (m.by !== 'words') return true;
  return optionNamedIn(text, labels.map((l) => l.replace(/\s*\([^)]*\)/g, ''))) === m.index;
}

/** An action's button: its name, or "Reenviar invitación (COMFAMA)" for a pending invitation. */
function actionLabel(a: string, v: Pick<VistaPersona, 'invitaciones'>): string {
  if (!a.startsWith('invitacion:')) return mesaTexts().acciones[a]!;
  const inv = v.invitaciones[Number(a.slice('invitacion:'.length))];
  return mt('reenviar-invitacion', { empresa: inv?.empresa ?? '' });
}

const MENU = 'mesa-menu';
const COLA = 'mesa-cola';
const PERSONA = 'mesa-persona';
const PERSONA_VISTA = 'mesa-persona-vista';
const CCF = 'mesa-ccf';
const HISTORIAL = 'mesa-historial';
const MIS_CASOS = 'mesa-mis-casos';
const CHOICE = 'mesa-eleccion';
const CCF_PROMPT = 'mesa-ccf-prompt';

/** The menu's answer when a document was typed at it instead of an option (or at the main menu: MesaDialog's options). */
export interface MenuDocumento {
  readonly documento: Documento;
}
/** The same for a CCF named there ("comfama", "en qué va la caja Comfenalco Antioquia"): its NIT. */
export interface MenuCaja {
  readonly nit: string;
}
export type MenuConsulta = MenuDocumento | MenuCaja;

/**
 * Who a helpdesk agent's words at a menu name: a document ("cc 1017234567"), else one CCF (its name,
 * sigla or NIT, said last: "consultar comfama"); undefined when neither, or several CCFs.
 */
export async function consultaIn(deps: Pick<HandoffDeps, 'reference'>, text: string | undefined, now: Date): Promise<MenuConsulta | undefined> {
  if (!text || text.length > 200) return undefined;
  const documento = documentIn(text, now);
  if (documento) return { documento };
  const ccfs = await deps.reference.listCcfs();
  const i = ccfAlsoNamed(text, [], ccfs);
  return i === undefined ? undefined : { nit: ccfs[i]!.nit };
}

const MENU_ACTIONS = ['cola', 'persona', 'ccf', 'mis-casos', 'terminar'] as const;
type MenuAction = (typeof MENU_ACTIONS)[number];

type Sujeto = { tipo: Documento['tipo']; numero: string } | { nit: string };
/** The queue, or straight to taking a case named by its number. */
interface ColaOptions {
  readonly numero?: string;
}
interface HistorialOptions {
  readonly sujeto: Sujeto;
  readonly pagina?: number;
}

export class MesaDialog extends ComponentDialog implements DescribesStep {
  constructor(
    private readonly deps: HandoffDeps,
    id: string,
    private readonly seccion: SeccionMesa,
  ) {
    super(id);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new CcfPrompt(CCF_PROMPT));
    this.addDialog(new FormDialog(documentoForm, deps));
    this.addDialog(new FormDialog(mesaMotivoForm, deps));
    this.addDialog(new WaterfallDialog(id + '-inicio', [this.begin.bind(this), this.afterSection.bind(this)]));
    this.addDialog(new WaterfallDialog(MENU, [this.menu.bind(this), this.route.bind(this), this.backToMenu.bind(this)]));
    this.addDialog(new WaterfallDialog(COLA, [this.queue.bind(this), this.take.bind(this)]));
    this.addDialog(new WaterfallDialog(PERSONA, [this.askDocument.bind(this), this.afterDocument.bind(this)]));
    this.addDialog(new WaterfallDialog(PERSONA_VISTA, [this.showPerson.bind(this), this.personAction.bind(this), this.applyAction.bind(this)]));
    this.addDialog(new WaterfallDialog(CCF, [this.askCcf.bind(this), this.showCcf.bind(this), this.ccfAction.bind(this)]));
    this.addDialog(new WaterfallDialog(HISTORIAL, [this.showHistory.bind(this), this.historyAction.bind(this)]));
    this.addDialog(new WaterfallDialog(MIS_CASOS, [this.myCases.bind(this), this.afterMyCases.bind(this)]));
    this.initialDialogId = id + '-inicio';
  }

  describeStep(_instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    const at = (key: string) => ({ paso: mt(`paso-${key}`), ayuda: mt(`ayuda-${key}`) });
    if (below.includes(CASO)) return undefined; // the case describes itself
    if (below.includes(HISTORIAL)) return at('historial');
    if (below.includes(PERSONA_VISTA)) return below.includes(mesaMotivoForm.id) ? at('motivo') : at('persona');
    if (below.includes(PERSONA)) return at('documento');
    if (below.includes(CCF)) return below.includes(CCF_PROMPT) ? at('ccf') : at('ccf-vista');
    if (below.includes(COLA)) return at('cola');
    if (below.includes(MIS_CASOS)) return at('mis-casos');
    return at('menu');
  }

  /** "Tomar M-…" typed anywhere in the helpdesk (as the new-case notice reads), except in a case, where it is a message for the person. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const numero = innerDc.activeDialog?.id === CASO ? undefined : caseToTake(incomingText(innerDc.context));
    if (!numero) {
      // A document or a CCF typed at the helpdesk's menu ("cc 1017234567", "consultar comfama"): that
      // person or that CCF, without the question (the menu's own options first).
      const text = incomingText(innerDc.context);
      const at = this.consultChoice(innerDc);
      const asOption = text !== undefined && at !== undefined && readsAsOption(text, at.labels);
      const consulta = at && !asOption ? await consultaIn(this.deps, text, this.deps.clock.now()) : undefined;
      if (!consulta) return super.onContinueDialog(innerDc);
      if (at!.menu) return innerDc.endDialog(consulta);
      // At a person, a CCF or a history: the one named now instead, then the helpdesk menu as usual.
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(MENU, consulta);
    }
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(COLA, { numero } satisfies ColaOptions);
  }

  // ---------------------------------------------------------------- start and the menu

  private async begin(step: WaterfallStepContext<Partial<MenuDocumento & MenuCaja>>): Promise<DialogTurnResult> {
    // Started by "tomar M-…" (the main dialog routes it to the queue): that case, not the whole queue.
    const numero = this.seccion === 'cola' ? caseToTake(incomingText(step.context)) : undefined;
    if (numero) return step.beginDialog(COLA, { numero } satisfies ColaOptions);
    // Started by a document typed at the main menu: the menu, answered with that person.
    if (this.seccion === 'menu' && step.options?.documento) return step.beginDialog(MENU, { documento: step.options.documento } satisfies MenuDocumento);
    if (this.seccion === 'menu' && step.options?.nit) return step.beginDialog(MENU, { nit: step.options.nit } satisfies MenuCaja);
    return step.beginDialog({ menu: MENU, cola: COLA, 'mis-casos': MIS_CASOS }[this.seccion]);
  }

  private async afterSection(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }

  private labels(): string[] {
    return MENU_ACTIONS.map((a) => mesaTexts()[`menu-${a}`]!);
  }

  private async menu(step: WaterfallStepContext<Partial<MenuDocumento & MenuCaja>>): Promise<DialogTurnResult> {
    if (step.options?.documento) return step.next({ documento: step.options.documento } satisfies MenuDocumento);
    if (step.options?.nit) return step.next({ nit: step.options.nit } satisfies MenuCaja);
    const session = await requireSession(this.deps, step.context);
    const queue = await casesInQueue(this.deps, session.citizenId, actorOf(step.context));
    if (!queue.ok) {
      await step.context.sendActivity(mt('no-permitido'));
      return step.endDialog();
    }
    const labels = this.labels();
    labels[0] = mt('menu-cola-n', { n: queue.value.length });
    (step.values as { labels?: string[] }).labels = labels;
    return step.prompt(CHOICE, choicePrompt(mt('menu-pregunta', { nombre: session.nombre, n: queue.value.length }), labels, {}, { back: true }));
  }

  /**
   * The question waiting, when a person or a CCF may be named at it: the menu's, or the one after a
   * person, a CCF or a history is shown; with its options (read first).
   */
  private consultChoice(innerDc: DialogContext): { menu: boolean; labels: readonly string[] } | undefined {
    const stack = innerDc.stack;
    const under = stack.at(-2)?.id;
    if (stack.at(-1)?.id !== CHOICE || !under || ![MENU, CCF, PERSONA_VISTA, HISTORIAL].includes(under)) return undefined;
    const labels = (stack.at(-1)?.state as { options?: { validations?: { labels?: readonly string[] } } } | undefined)?.options?.validations?.labels ?? [];
    return { menu: under === MENU, labels };
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const typed = step.result as Partial<MenuDocumento & MenuCaja> | undefined;
    if (typed?.documento) return step.beginDialog(PERSONA_VISTA, typed.documento);
    if (typed?.nit) return step.beginDialog(CCF, { nit: typed.nit });
    const labels = (step.values as { labels: string[] }).labels;
    const action: MenuAction = MENU_ACTIONS[chosen(step.result, labels)]!;
    const next: Record<MenuAction, string | undefined> = { cola: COLA, persona: PERSONA, ccf: CCF, 'mis-casos': MIS_CASOS, terminar: undefined };
    const id = next[action];
    return id ? step.beginDialog(id) : step.endDialog({ terminar: false });
  }

  private async backToMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as { casoTomado?: boolean } | undefined)?.casoTomado) return step.endDialog(step.result);
    return step.replaceDialog(MENU);
  }

  // ---------------------------------------------------------------- the queue

  private async queue(step: WaterfallStepContext<ColaOptions>): Promise<DialogTurnResult> {
    if (step.options?.numero) return this.takeNumber(step, step.options.numero);
    const session = await requireSession(this.deps, step.context);
    const queue = await casesInQueue(this.deps, session.citizenId, actorOf(step.context));
    if (!queue.ok) {
      await step.context.sendActivity(mt('no-permitido'));
      return step.endDialog();
    }
    if (queue.value.length === 0) {
      await step.context.sendActivity(mt('cola-vacia'));
      return step.endDialog();
    }
    const lines = queue.value.map((c) => {
      const s = caseSummary(c);
      return mt('cola-fila', { numero: c.numero, persona: s.persona, donde: s.donde, desde: formatDateTime(c.creadoEn) });
    });
    const labels = [...queue.value.map((c) => mt('tomar', { numero: c.numero })), mt('volver')];
    Object.assign(step.values, { labels, numeros: queue.value.map((c) => c.numero) });
    return step.prompt(CHOICE, choicePrompt(`${mt('cola-titulo', { n: queue.value.length })}\n\n${lines.map((l) => `- ${l}`).join('\n')}`, labels, {}, { back: true }));
  }

  private async take(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const { labels, numeros } = step.values as { labels: string[]; numeros: string[] };
    const i = chosen(step.result, labels);
    if (i >= numeros.length) return step.endDialog();
    return this.takeNumber(step, numeros[i]!);
  }

  private async takeNumber(step: WaterfallStepContext, numero: string): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const r = await takeCase(this.deps, session.citizenId, numero, conversationOf(step.context), actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(mt(`error-${r.error.code}`, r.error as unknown as Record<string, unknown>));
      return step.replaceDialog(COLA);
    }
    const caso = r.value.caso;
    const delivered = await this.deps.notifier.deliver(caso.conversacionPersona.referencia, takenActivities(caso));
    // Their chat not reached and not mailed yet: the person hears it by e-mail.
    const mailed = !delivered && !r.value.correo ? await mailPersonCaseTaken(this.deps, caso, actorOf(step.context)) : undefined;
    const { correo, enviado } = mailed ?? r.value;
    await step.context.sendActivity(mt('tomado', { numero: caso.numero, entregado: delivered, correo, enviado }));
    // The conversation with the person in place of the queue (the case dialog is the main dialog's,
    // which resumes it on the agent's every turn); once closed, the helpdesk menu again.
    return step.replaceDialog(CASO, { casoId: caso.id });
  }

  // ---------------------------------------------------------------- a person

  private async askDocument(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(documentoForm.id, { canGoBack: true });
  }

  private async afterDocument(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result)) return step.endDialog();
    const { documento } = formResult(step.result, documentoForm).values;
    return step.replaceDialog(PERSONA_VISTA, documentoOf(documento));
  }

  private async showPerson(step: WaterfallStepContext<Documento>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const doc = step.options;
    const r = await consultarPersona(this.deps, session.citizenId, doc.tipo, doc.numero, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(errorText(r.error));
      return step.endDialog();
    }
    const v = r.value;
    const pc = personCard(v, this.deps.clock.now());
    await step.context.sendActivity(message('', card(pc.body, [], pc.fallback)));
    // Their CCFs' activation checklist, as they would see it (third person).
    if (v.cuenta.estado !== 'sin_registro' && v.ccfs.length) {
      const facts = await loadChecklistFacts(this.deps, documentKey(v.tipo, v.numero));
      const r2 = checklist(facts, this.deps.clock.now());
      if (r2.cajas.length) await step.context.sendActivity(checklistActivity(r2, { tercero: true }));
    }
    const acciones = this.personActions(v);
    Object.assign(step.values, { acciones, invitaciones: v.invitaciones });
    return step.prompt(CHOICE, choicePrompt(mt('persona-que-hacer'), acciones.map((a) => actionLabel(a, v)), {}, { back: true }));
  }

  /** What the agent may do for this person now: the actions that fit, each pending invitation, the history. */
  private personActions(v: VistaPersona): string[] {
    const fit = actionsFor(v).filter((a) => a !== 'ver-persona' && a !== 'cerrar');
    return [...fit, ...v.invitaciones.map((_, i) => `invitacion:${i}`), 'historial', 'otra-persona', 'volver'];
  }

  private async personAction(step: WaterfallStepContext<Documento>): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const { acciones, invitaciones } = step.values as { acciones: string[]; invitaciones: VistaPersona['invitaciones'] };
    const action = acciones[chosen(step.result, acciones.map((a) => actionLabel(a, { invitaciones })))]!;
    if (action === 'volver') return step.endDialog();
    if (action === 'otra-persona') return step.replaceDialog(PERSONA);
    if (action === 'historial') return step.beginDialog(HISTORIAL, { sujeto: { tipo: step.options.tipo, numero: step.options.numero } } satisfies HistorialOptions);
    (step.values as { accion?: string }).accion = action;
    await step.context.sendActivity(mt('motivo-para', { accion: actionLabel(action, { invitaciones }) }));
    return step.beginDialog(mesaMotivoForm.id, { canGoBack: true });
  }

  private async applyAction(step: WaterfallStepContext<Documento>): Promise<DialogTurnResult> {
    const { accion, invitaciones } = step.values as { accion?: CaseAction | `invitacion:${number}`; invitaciones: VistaPersona['invitaciones'] };
    if (!accion || wentBackFromForm(step.result) || !step.result || !('formId' in (step.result as object))) return step.replaceDialog(PERSONA_VISTA, step.options);
    const { motivo } = formResult(step.result, mesaMotivoForm).values;
    const session = await requireSession(this.deps, step.context);
    const { tipo, numero } = step.options;
    const args = [this.deps, session.citizenId, tipo, numero, motivo, actorOf(step.context)] as const;
    if (accion.startsWith('invitacion:')) {
      const inv = invitaciones[Number(accion.slice('invitacion:'.length))]!;
      const sent = await reenviarInvitacion(this.deps, session.citizenId, tipo, numero, { tipo: inv.tipo, nit: inv.nit }, motivo, actorOf(step.context));
      await step.context.sendActivity(sent.ok ? mt('hecho-reenviar-invitacion', { ...sent.value, empresa: inv.empresa }) : errorText(sent.error));
      return step.replaceDialog(PERSONA_VISTA, step.options);
    }
    const r =
      accion === 'levantar-bloqueo'
        ? await levantarBloqueoIdentidad(...args)
        : accion === 'desbloquear-ingreso'
          ? await desbloquearIngreso(...args)
          : await reenviarEnlace(this.deps, session.citizenId, tipo, numero, accion === 'reenviar-activacion' ? 'activacion' : 'recuperacion', motivo, actorOf(step.context));
    await step.context.sendActivity(r.ok ? mt(`hecho-${accion}`, doneData(r.value)) : errorText(r.error));
    return step.replaceDialog(PERSONA_VISTA, step.options);
  }

  // ---------------------------------------------------------------- a CCF

  private async askCcf(step: WaterfallStepContext<{ nit?: string }>): Promise<DialogTurnResult> {
    if (step.options?.nit) return step.next(); // named at the menu
    const ccfs = await this.deps.reference.listCcfs();
    (step.values as { ccfs?: typeof ccfs }).ccfs = ccfs;
    return step.prompt(CCF_PROMPT, ccfPrompt(mt('ccf-pregunta'), ccfs, []));
  }

  private async showCcf(step: WaterfallStepContext<{ nit?: string }>): Promise<DialogTurnResult> {
    let nit = step.options?.nit;
    if (!nit) {
      if (wentBack(step.result)) return step.endDialog();
      const ccfs = (step.values as { ccfs: readonly ReferenceCompany[] }).ccfs;
      nit = chosenCcf(step.result, ccfs)?.nit;
      if (!nit) return step.replaceDialog(CCF);
    }
    const session = await requireSession(this.deps, step.context);
    const r = await consultarCcf(this.deps, session.citizenId, nit, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(errorText(r.error));
      return step.endDialog();
    }
    await this.sendCcf(step, r.value);
    (step.values as { nit?: string }).nit = nit;
    const labels = ['historial', 'otra-caja', 'volver'].map((a) => mesaTexts().acciones[a]!);
    return step.prompt(CHOICE, choicePrompt(mt('ccf-que-hacer'), labels, {}, { back: true }));
  }

  private async sendCcf(step: WaterfallStepContext, v: VistaCcf): Promise<void> {
    const cc = ccfCard(v);
    await step.context.sendActivity(message('', card(cc.body, [], cc.fallback)));
    if (v.personaChecklist) {
      const facts = await loadChecklistFacts(this.deps, v.personaChecklist);
      const r = checklist(facts, this.deps.clock.now());
      const only = { ...r, cajas: r.cajas.filter((c) => c.nit === v.nit) };
      if (only.cajas.length) await step.context.sendActivity(checklistActivity(only, { tercero: true }));
    }
  }

  private async ccfAction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const acciones = ['historial', 'otra-caja', 'volver'];
    const action = acciones[chosen(step.result, acciones.map((a) => mesaTexts().acciones[a]!))]!;
    const nit = (step.values as { nit: string }).nit;
    if (action === 'historial') return step.replaceDialog(HISTORIAL, { sujeto: { nit } } satisfies HistorialOptions);
    if (action === 'otra-caja') return step.replaceDialog(CCF);
    return step.endDialog();
  }

  // ---------------------------------------------------------------- history

  private async showHistory(step: WaterfallStepContext<HistorialOptions>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const pagina = step.options.pagina ?? 1;
    const r = await historial(this.deps, session.citizenId, step.options.sujeto, pagina, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(errorText(r.error));
      return step.endDialog();
    }
    const { lineas, paginas, total } = r.value;
    const text = total === 0 ? mt('historial-vacio') : [mt('historial-titulo', { pagina, paginas, total }), ...lineas.map((l) => `- ${escapeMarkdown(historialLine(l))}`)].join('\n');
    const labels = [...(pagina < paginas ? [mt('historial-mas')] : []), ...(pagina > 1 ? [mt('historial-recientes')] : []), mt('volver')];
    (step.values as { labels?: string[] }).labels = labels;
    // The page is its own message: an answer that is no option asks the question again, not the whole page.
    await step.context.sendActivity(text);
    return step.prompt(CHOICE, choicePrompt(mt('historial-pregunta'), labels, {}, { back: true }));
  }

  private async historyAction(step: WaterfallStepContext<HistorialOptions>): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const labels = (step.values as { labels: string[] }).labels;
    const picked = labels[chosen(step.result, labels)];
    const pagina = step.options.pagina ?? 1;
    if (picked === mt('historial-mas')) return step.replaceDialog(HISTORIAL, { ...step.options, pagina: pagina + 1 });
    if (picked === mt('historial-recientes')) return step.replaceDialog(HISTORIAL, { ...step.options, pagina: 1 });
    return step.endDialog();
  }

  // ---------------------------------------------------------------- Mis casos

  private async myCases(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const r = await misCasos(this.deps, session.citizenId, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(errorText(r.error));
      return step.endDialog();
    }
    const casos = r.value.casos.map((c) => `- ${mt('mis-casos-fila', { numero: c.numero, persona: caseSummary(c).persona, estado: mesaTexts()[`caso-${c.estado}`] ?? c.estado, fecha: formatDateTime(c.tomadoEn ?? c.creadoEn) })}`);
    const acciones = r.value.acciones.map((a) => `- ${mt('mis-acciones-fila', { fecha: formatDateTime(a.en), accion: mesaTexts().acciones[a.accion] ?? a.accion, sujeto: a.sujeto === SUJETO_SIN_IDENTIFICAR ? mt('sujeto-sin-identificar') : a.sujeto, motivo: a.motivo, caso: a.casoNumero })}`);
    const text = [mt('mis-casos-titulo'), casos.length ? casos.join('\n') : mt('mis-casos-vacio'), mt('mis-acciones-titulo'), acciones.length ? acciones.join('\n') : mt('mis-acciones-vacio')].join('\n\n');
    await step.context.sendActivity(text);
    return step.prompt(CHOICE, choicePrompt(mt('historial-pregunta'), [mt('volver')], {}, { back: true }));
  }

  private async afterMyCases(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
