/**
 * The main dialog: routes what a person asks for (menu options, global commands, free text through
 * the functionality search) through the process registry, which it enforces in one place (log in
 * first, the right acting role, built or not), and handles the global commands at any prompt.
 */
import { audit } from '../domain/audit.js';
import { actorOf } from './actor.js';
import {
  ComponentDialog,
  Dialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogInstance,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { matchChoice, mayNameNumber } from '../domain/choice.js';
import { courtesyOf, parseCommand } from '../domain/commands.js';
import { answerYesNo } from '../domain/fields.js';
import { rolesOf } from '../domain/roles.js';
import { actingRole, checkSession, touchSession, type ActingRole, type Session } from '../domain/session.js';
import { clearWinner, searchFunctionalities } from '../domain/search.js';
import { fill, messages, render } from '../templates/render.js';
import { buttonOf, functionalities, functionalityByButton, nearlyNamedButton, titleOf } from './catalog.js';
import { glossaryAnswer } from './glosario.js';
import { asksAtChoice, noneOfTheOptions } from './choice.js';
import { checklist } from '../domain/checklist.js';
import { loadChecklistFacts } from '../domain/checklist-facts.js';
import { missingStepText } from './checklist.js';
import { INGRESAR } from './cuenta/cuenta.dialog.js';
import { ELEGIR_ROL, type ElegirRolOptions, type ElegirRolResult } from './empleador/roles.dialog.js';
import { FormDialog, formTextData, type FormState } from './form/form.dialog.js';
import { fieldTexts, formTexts } from './form/form-spec.js';
import { helpText, statusActivities, type AyudaOptions } from './general.dialog.js';
import { incomingText, incomingValue } from './incoming.js';
import type { MainDialogDeps } from './main.deps.js';
import { menuProcesses, processById, PROCESSES, roleFits, rolesThatFit, startHint, type Process, type Who } from './processes.js';
import { privacyUrl } from './registro/autorizacion.js';
import { roleLabel, whoMay } from './roles-text.js';
import { SEARCH, SearchDialog, type SearchOptions } from './search.dialog.js';
import { activeSession } from './session.js';
import { describesStep, type StepInfo } from './step-info.js';
import { menuActivity, welcomeActivity } from './welcome.js';
import { caseOfConversation, casesInQueue, caseToTake, notePersonInProcess } from '../domain/casos-mesa.js';
import type { CasoMesa } from '../domain/mesa-tipos.js';
import { CASO, CasoDialog, type CasoOptions } from './mesa/caso.dialog.js';
import { personTurn, startHandoff, type Donde } from './mesa/handoff.js';
import { accountCreatedHere, ConversationMemory, conversationRecord, recordTurn, watchTurn } from './mesa/seguimiento.js';
import { autorizadosActionIn, type AutorizadosOptions } from './autorizados/autorizados.dialog.js';
import { namedSection } from './backoffice/backoffice.dialog.js';
import { ministryStatus } from './backoffice/estado.js';
import { helpdeskStatus } from './mesa/estado.js';
import { consultaIn } from './mesa/mesa.dialog.js';
import { documentIn } from './mesa/mesa.forms.js';
import { mt } from './mesa/texts.js';
import { conversationKey } from './notifier.js';
import { sectionFunctionality } from './servicios/servicios.dialog.js';
import { noteCurrentProcess, watchButtons, type ShownButtons } from './shown-buttons.js';
import { refuseTypedSecret } from './form/secret-channel.js';
import { holdsSecret } from '../domain/secret-text.js';

export type { MainDialogDeps } from './main.deps.js';

const ROUTE = 'route';
/** The turn's session, once refreshSession has checked it (turnState key). */
const TURN_SESSION = Symbol('main.turnSession');
/** The open case this turn's conversation is the person's side of (set by handoffTurn). */
const PERSON_CASE = Symbol('main.personCase');

interface RouteOptions {
  readonly text?: string;
  readonly value?: Record<string, unknown>;
  /** Start this process (after a search pick, a login or a role choice). */
  readonly startId?: string;
  /** Given to that process's dialog (e.g. the document of a failed login for Olvidé mi contraseña). */
  readonly startOptions?: object;
}
interface RouteValues {
  /** The process to continue with once the person logged in or chose a role. */
  pending?: string;
}

/** A dialog context's child context as last built for its active dialog instance (see MainDialog.stack). */
const readingChildren = new WeakMap<DialogContext, { readonly instance: DialogInstance; readonly child: DialogContext | undefined }>();

function readingChild(dc: DialogContext): DialogContext | undefined {
  const instance = dc.activeDialog;
  if (!instance) return undefined;
  const known = readingChildren.get(dc);
  if (known?.instance === instance) return known.child;
  const child = dc.child;
  readingChildren.set(dc, { instance, child });
  return child;
}

/**
 * The one functionality the search's words name: the clear winner, unless it is for another role and
 * one exact hit is for the role the person acts in (an administrator's "catálogo de servicios" is the
 * Ministry's catalog, not a CCF's Administración de Servicios Web).
 */
function winnerFor(hits: ReturnType<typeof searchFunctionalities>, acting: ActingRole | undefined): string | undefined {
  const top = clearWinner(hits)?.id;
  if (!acting) return top;
  const own = (id: string) => {
    const p = processById(id);
    return p?.roles !== undefined && roleFits(p, acting);
  };
  const forAnother = (id: string) => processById(id)?.roles !== undefined && !own(id);
  if (top !== undefined && !forAnother(top)) return top;
  const mine = hits.filter((h) => h.exact && own(h.item.id));
  return mine.length === 1 ? mine[0]!.item.id : top;
}

export class MainDialog extends ComponentDialog {
  /** Process id → its dialog id. */
  private readonly dialogIds = new Map<string, string>();
  /** Each conversation's last messages and person, for a helpdesk case (memory only). */
  private readonly memory = new ConversationMemory();

  constructor(private readonly deps: MainDialogDeps) {
    super('main');
    for (const p of PROCESSES) {
      if (!p.dialog) continue;
      const dialog = p.dialog(deps);
      this.addDialog(dialog);
      this.dialogIds.set(p.id, dialog.id);
    }
    this.addDialog(new SearchDialog());
    this.addDialog(new CasoDialog(deps));
    this.addDialog(new TextPrompt('route-choice'));
    this.addDialog(
      new WaterfallDialog(ROUTE, [this.routeStep.bind(this), this.afterStep.bind(this), this.continueStep.bind(this), this.menuStep.bind(this)]),
    );
    this.initialDialogId = ROUTE;
  }

  /** Runs one turn: continues the active dialog or starts routing the new message. */
  async run(context: TurnContext, accessor: StatePropertyAccessor): Promise<void> {
    // The buttons shown are kept beside the dialog stack (a tap on an old one is told apart from a wrong answer).
    const root = (await accessor.get(context, { dialogStack: [] })) as { botones?: ShownButtons };
    watchButtons(context, (root.botones ??= {}));
    const set = new DialogSet(accessor);
    set.add(this);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /** The welcome when a conversation starts: by name, with their own menu, for a person already logged in. */
  async welcome(context: TurnContext): Promise<Partial<Activity>> {
    const who = await this.who(context);
    if (!who.session) return welcomeActivity(this.menuLabels(who), privacyUrl(this.deps.publicBaseUrl));
    return menuActivity(this.menuLabels(who), render('general/bienvenida-de-nuevo', { nombre: who.session.nombre, rol: roleLabel(actingRole(who.session)) }));
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    await this.refreshSession(innerDc.context);
    watchTurn(innerDc.context, conversationRecord(this.deps, this.memory, innerDc.context));
    const result = (await this.handoffTurn(innerDc, 'begin')) ?? (await super.onBeginDialog(innerDc, options));
    await this.track(innerDc);
    return result;
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    watchTurn(innerDc.context, conversationRecord(this.deps, this.memory, innerDc.context));
    // Where the turn started: a process that ends in it (a registration blocked now) is still where the person is.
    const stack = this.stack(innerDc);
    const startedIn = this.whereNow(innerDc, stack);
    noteCurrentProcess(innerDc.context, [startedIn?.proceso, ...stack.map(([, d]) => sectionFunctionality(d.id))]);
    const result = await this.continueTurn(innerDc);
    await this.track(innerDc, startedIn);
    return result;
  }

  // ---------------------------------------------------------------- Mesa de ayuda: handoff and tracking

  /**
   * A conversation in a helpdesk case: the person's messages go to the agent while an agent attends
   * it (their process waits, untouched); the agent's conversation is in the case dialog. Undefined
   * when the turn goes on as usual.
   */
  private async handoffTurn(innerDc: DialogContext, phase: 'begin' | 'continue'): Promise<DialogTurnResult | undefined> {
    const context = innerDc.context;
    const found = await caseOfConversation(this.deps, conversationKey(context));
    if (!found) return undefined;
    const { caso, lado } = found;
    if (lado === 'persona') context.turnState.set(PERSON_CASE, caso);
    if (lado === 'agente') {
      if (caso.estado !== 'atendido' || this.inCase(innerDc)) return undefined;
      // The case needs its agent logged in as Mesa de ayuda (after an idle session ended, once they log in again).
      const session = await this.turnSession(context);
      if (!session || session.citizenId !== caso.agenteId || actingRole(session).tipo !== 'mesa_ayuda') return undefined;
      // Back to the case (e.g. after "menú"): the agent's conversation is the case until it is closed.
      if (phase === 'continue') await innerDc.cancelAllDialogs();
      if (incomingText(context)) await context.sendActivity(mt('agente-vuelve-al-caso', { numero: caso.numero }));
      return innerDc.beginDialog(CASO, { casoId: caso.id } satisfies CasoOptions);
    }
    const outcome = await personTurn(this.deps, context, caso);
    if (outcome === 'continue') return undefined;
    if (outcome === 'ended') {
      if (phase === 'continue' && innerDc.activeDialog) {
        await this.deepest(innerDc).repromptDialog();
        return Dialog.EndOfTurn;
      }
      await context.sendActivity(await this.menu(context));
    }
    return phase === 'continue' && innerDc.activeDialog ? Dialog.EndOfTurn : { status: DialogTurnStatus.complete };
  }

  /** The helpdesk's record of the turn: the last messages, and where the person is. */
  private async track(innerDc: DialogContext, startedIn?: Donde): Promise<void> {
    const session = await this.turnSession(innerDc.context);
    const now = this.whereNow(innerDc);
    // The person of an open case: whether a question of a process waits for them, for what they hear when the agent ends it.
    const caso = innerDc.context.turnState.get(PERSON_CASE) as CasoMesa | undefined;
    if (caso && caso.personaEnTramite !== (now !== undefined)) await notePersonInProcess(this.deps, caso.id, now !== undefined);
    const where = now ?? startedIn;
    await recordTurn(this.deps, this.memory, innerDc.context, where ?? {}, session?.citizenId);
  }

  /**
   * "¿En qué voy?" for staff, their own work instead of a CCF's chain: as Mesa de ayuda the queue,
   * their case and the options; as Administrador MinSalud what waits for the Ministry (undefined for anyone else).
   */
  private async staffStatus(context: TurnContext, where?: { tramite: string; paso?: string }): Promise<Partial<Activity> | undefined> {
    const session = await this.turnSession(context);
    const tipo = session ? actingRole(session).tipo : undefined;
    if (session && tipo === 'mesa_ayuda') return helpdeskStatus(this.deps, session, actorOf(context), where);
    if (session && tipo === 'admin_minsalud') return ministryStatus(this.deps, session, actorOf(context), where);
    return undefined;
  }

  /** "Hablar con un asesor" at any prompt: the case, then the person continues where they were. */
  private async askForAgent(innerDc: DialogContext): Promise<void> {
    const session = await this.turnSession(innerDc.context);
    await startHandoff(this.deps, this.memory, innerDc.context, this.whereNow(innerDc) ?? {}, session?.citizenId);
  }

  /** Global commands, checked before the active dialog sees the message. */
  private async continueTurn(innerDc: DialogContext): Promise<DialogTurnResult> {
    // An idle session ends here for everyone, in a helpdesk case too: what needed it (a process, the agent's case) ends with it.
    const expired = await this.refreshSession(innerDc.context);
    const ended = expired && (this.activeProcess(innerDc)?.session === true || this.inCase(innerDc));
    if (ended) await innerDc.cancelAllDialogs();
    // The person's side of a case is the conversation's, not the session's: their message still reaches the agent.
    const handoff = await this.handoffTurn(innerDc, 'continue');
    if (handoff) return handoff;
    if (ended) {
      await innerDc.context.sendActivity(await this.menu(innerDc.context));
      return { status: DialogTurnStatus.cancelled };
    }
    // The agent's conversation with a person: every word is theirs to send (the case dialog reads its own commands).
    if (this.inCase(innerDc)) return super.onContinueDialog(innerDc);
    const value = incomingValue(innerDc.context);
    if (typeof value?.['__form'] === 'string' && !this.formIsActive(innerDc, value['__form'])) {
      // A card from an earlier step (e.g. a login card already used) is answered as such, never re-applied.
      await innerDc.context.sendActivity(render('general/tarjeta-usada'));
      await this.deepest(innerDc).repromptDialog();
      return Dialog.EndOfTurn;
    }
    const text = incomingText(innerDc.context);
    const deepest = this.deepest(innerDc);
    const active = deepest.activeDialog ? deepest.findDialog(deepest.activeDialog.id) : undefined;
    const inForm = active instanceof FormDialog;
    // "no sé qué elegir" at a list of options: the step's help, as "ayuda" gives it.
    const parsed = parseCommand(text);
    const askedAbout = !parsed && (await this.asksAboutChoice(innerDc, active, deepest.activeDialog?.state, text));
    const command = parsed ?? (askedAbout ? ({ kind: 'ayuda' } as const) : undefined);
    switch (command?.kind) {
      case 'asesor':
        await this.askForAgent(innerDc);
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      case 'cancelar':
      case 'menu': {
        // Nothing of the process was recorded; the answers of a form with drafts stay, and the person is told so
        // ("menú" leaves the process as "cancelar" does).
        const borrador = inForm && (await (deepest.findDialog(deepest.activeDialog!.id) as FormDialog<unknown>).hasDraft(deepest));
        if (command.kind === 'cancelar') await innerDc.context.sendActivity(render('general/cancelado', { borrador }));
        else if (borrador) await innerDc.context.sendActivity(render('general/borrador-guardado'));
        await innerDc.context.sendActivity(await this.menu(innerDc.context));
        return innerDc.cancelAllDialogs();
      }
      case 'salir':
        await this.logout(innerDc.context);
        return innerDc.cancelAllDialogs();
      case 'estado': {
        const where = this.whereNow(innerDc);
        const shown = where ? { tramite: titleOf(where.proceso), ...(where.paso ? { paso: where.paso } : {}) } : undefined;
        const staff = await this.staffStatus(innerDc.context, shown);
        for (const a of staff ? [staff] : await statusActivities(this.deps, innerDc.context, shown && { ...shown, proceso: where!.proceso })) await innerDc.context.sendActivity(a);
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      }
      case 'ayuda': {
        if (inForm) break; // the form gives its field's help and the contacts itself
        const who = await this.who(innerDc.context);
        await innerDc.context.sendActivity(helpText(this.stepInfo(innerDc), menuIds(who), !this.activeProcess(innerDc), Boolean(who.session), askedAbout));
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      }
      case 'saludo': {
        // "hola" at a question of a process (a form reads its own answers): greeted back, then the question again.
        if (inForm) break;
        const session = await this.turnSession(innerDc.context);
        await innerDc.context.sendActivity(render('general/saludo-en-tramite', { nombre: session?.nombre }));
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      }
      case 'quien':
        // "¿Quién eres?" at any question (no name or answer reads so): what the assistant is, then the question again.
        await innerDc.context.sendActivity(render('general/quien-soy'));
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      case 'buscar':
        if (inForm) break;
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(ROUTE, { text: incomingText(innerDc.context) } satisfies RouteOptions);
      default:
        break;
    }
    // At a question with options, a functionality named by its button that is none of them (an earlier menu's): that functionality, as from the menu.
    const started = !command && noneOfTheOptions(active, deepest.activeDialog?.state, text) ? await this.namedFunctionality(innerDc, text!) : undefined;
    if (started) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(ROUTE, { startId: started } satisfies RouteOptions);
    }
    return super.onContinueDialog(innerDc);
  }

  // ---------------------------------------------------------------- route

  private async routeStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    if (step.options?.startId) return this.start(step, step.options.startId, step.options.startOptions);
    const value = step.options?.value ?? incomingValue(step.context);
    if (value?.['__action'] === 'comenzar' && typeof value['id'] === 'string') return this.start(step, value['id']);
    if (typeof value?.['__form'] === 'string') {
      await step.context.sendActivity(render('general/tarjeta-usada'));
      return step.next();
    }
    const typed = step.options?.text ?? incomingText(step.context) ?? '';
    // "2" (or "la segunda") at the menu: its second button, as the menu shows them to this person.
    const text = (await this.menuByNumber(step.context, typed)) ?? typed;
    const command = parseCommand(text);
    switch (command?.kind) {
      case 'ayuda':
        return this.start(step, 'ayuda');
      case 'estado':
        return this.start(step, 'estado');
      case 'buscar':
        return step.beginDialog(SEARCH, { unusable: await this.unusable(step.context) } satisfies SearchOptions);
      case 'asesor':
        await this.askForAgent(step);
        return step.endDialog({ terminar: true });
      case 'salir':
        await this.logout(step.context);
        return step.endDialog();
      case 'quien':
        await step.context.sendActivity(render('general/quien-soy'));
        return step.next();
      case 'saludo': {
        // "hola" with nothing in progress: a greeting back, then the menu (after the route).
        const session = await this.turnSession(step.context);
        await step.context.sendActivity(render('general/saludo', { nombre: session?.nombre }));
        return step.next();
      }
      case undefined:
        break;
      default:
        return step.next(); // cancelar, menú, atrás… with nothing in progress: the menu
    }
    if (!text) return step.next();
    const button = functionalityByButton(text);
    if (button) return this.start(step, button);
    const session = await this.turnSession(step.context);
    // "gracias", "chao", "ok": courtesy, not a search; answered in kind, then the menu.
    const courtesy = courtesyOf(text);
    if (courtesy) {
      if (courtesy === 'gracias' || courtesy === 'despedida') await step.context.sendActivity(render(`general/${courtesy}`, { nombre: session?.nombre, sesion: Boolean(session) }));
      return step.next();
    }
    // "sí", "no", "confirmar" with nothing asked (a question answered after it was gone): said so, not searched for.
    if (answerYesNo(text) !== undefined) {
      await step.context.sendActivity(render('general/sin-pregunta'));
      return step.next();
    }
    // A password typed at the menu is never searched for, read as an action nor repeated in "No encontré…".
    if (holdsSecret(text)) {
      // Without a session the way out is a reset link; with one, changing the password.
      await refuseTypedSecret(step.context, { olvido: !session });
      return step.next();
    }
    // "cc 72235734" before logging in: the person means to log in or to register (the number is not repeated).
    if (!session && looksLikeDocument(text, this.deps.clock.now())) {
      await step.context.sendActivity(render('general/documento-sin-sesion'));
      return step.next();
    }
    // "registrame": the button meant, with its slip of the keyboard (the search would offer it among others).
    const nearly = nearlyNamedButton(text);
    if (nearly) return this.start(step, nearly);
    // "¿Qué es un delegado?", "qué significa oauth": the word explained, not searched for.
    const explained = glossaryAnswer(text);
    if (explained) {
      await step.context.sendActivity(explained);
      return step.next();
    }
    const acting = session ? actingRole(session).tipo : undefined;
    // An administrator's "activar comfama": that section, with that CCF (as the tray reads it).
    const section = acting === 'admin_minsalud' ? namedSection(text) : undefined;
    if (section) return this.start(step, section.id, section.options);
    const hits = searchFunctionalities(text, functionalities());
    // "quiero agregar otra persona autorizada": Administrar autorizados, straight to that action.
    const accion = hits[0]?.item.id === 'autorizados' ? autorizadosActionIn(text) : undefined;
    if (accion) return this.start(step, 'autorizados', { accion } satisfies AutorizadosOptions);
    // "Tomar M-…" as the helpdesk's new-case notice reads: the queue takes that case (the registry checks the role).
    const named = (caseToTake(text) ? 'casos-en-cola' : undefined) ?? winnerFor(hits, session ? actingRole(session) : undefined);
    if (named) return this.start(step, named, startHint(named, text));
    // A document or a CCF typed by a helpdesk agent ("cc 1036612345", "en qué va comfama"): that person or
    // that CCF, as "Consultar persona" and "Consultar Caja" show them.
    if (acting === 'mesa_ayuda') {
      const consulta = await consultaIn(this.deps, text, this.deps.clock.now());
      if (consulta) return this.start(step, 'mesa-consulta', consulta);
    }
    return step.beginDialog(SEARCH, { query: text, unusable: await this.unusable(step.context) } satisfies SearchOptions);
  }

  /**
   * For a logged-in person, the processes they cannot start now: those for people without a session,
   * and those of roles they do not hold (except the activation chain's, which explain the missing step).
   */
  private async unusable(context: TurnContext): Promise<string[]> {
    const who = await this.who(context);
    if (!who.session) return [];
    return PROCESSES.filter((p) => p.withoutSession || (p.roles && !p.explica && !roleFits(p, who.acting) && rolesThatFit(p, who.person).length === 0)).map((p) => p.id);
  }

  /** After a process: a login continues with the role choice (when the person has several roles). */
  private async afterStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as { ingreso?: boolean; startId?: string; startOptions?: object; query?: string; reroute?: string } | undefined;
    if (result?.startId) {
      const startOptions = result.startOptions ?? startHint(result.startId, result.query);
      return step.replaceDialog(ROUTE, { startId: result.startId, ...(startOptions ? { startOptions } : {}) } satisfies RouteOptions);
    }
    if (result?.reroute) return step.replaceDialog(ROUTE, { text: result.reroute } satisfies RouteOptions);
    const session = result?.ingreso ? await activeSession(this.deps, step.context) : undefined;
    if (session && (await rolesOf(this.deps, session.citizenId)).roles.length > 1) {
      return step.beginDialog(ELEGIR_ROL, {} satisfies ElegirRolOptions);
    }
    return step.next(result);
  }

  /** Then the process the person asked for before logging in or choosing a role. */
  private async continueStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const pending = (step.values as RouteValues).pending;
    const session = pending ? await activeSession(this.deps, step.context) : undefined;
    const result = step.result as (ElegirRolResult & { ingreso?: boolean }) | undefined;
    if (pending && session && result?.ingreso !== false) return step.replaceDialog(ROUTE, { startId: pending } satisfies RouteOptions);
    return step.next(step.result);
  }

  /** The menu after a process, unless the process ended with its own "Terminar" button. */
  private async menuStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(step.result as { terminar?: boolean } | undefined)?.terminar) await step.context.sendActivity(await this.menu(step.context));
    return step.endDialog();
  }

  /** Starts a process by id, as the registry says: log in first, the right role, built or not. */
  private async start(step: WaterfallStepContext, id: string, options?: object): Promise<DialogTurnResult> {
    const process = processById(id);
    const dialogId = this.dialogIds.get(id);
    const funcionalidad = titleOf(id);
    if (!process) return step.next();
    if (id === 'estado') {
      // Staff's "¿En qué voy?" carries its own options: no menu after it.
      const staff = await this.staffStatus(step.context);
      if (staff) {
        await step.context.sendActivity(staff);
        return step.endDialog({ terminar: true });
      }
    }
    const who = await this.who(step.context);
    if (process.withoutSession && who.session) {
      await step.context.sendActivity(render('general/ya-ingreso', { nombre: who.session.nombre, funcionalidad }));
      return step.next();
    }
    if (!dialogId) {
      await step.context.sendActivity(render('general/no-disponible', { funcionalidad, quien: process.roles ? whoMay(process.roles) : undefined }));
      return step.next();
    }
    if (process.session && !who.session) {
      (step.values as RouteValues).pending = id;
      await step.context.sendActivity(render('general/requiere-ingreso', { funcionalidad }));
      return step.beginDialog(INGRESAR);
    }
    if (!roleFits(process, who.acting)) return this.changeRoleFor(step, process, who);
    if (id === 'ayuda') return step.beginDialog(dialogId, { menu: menuIds(who), sesion: Boolean(who.session) } satisfies AyudaOptions);
    return step.beginDialog(dialogId, options);
  }

  /** Wrong role: offers the roles of the person that fit (then continues), or says plainly who can do it. */
  private async changeRoleFor(step: WaterfallStepContext, process: Process, who: Who): Promise<DialogTurnResult> {
    const funcionalidad = titleOf(process.id);
    const fit = rolesThatFit(process, who.person);
    const quien = whoMay(process.roles ?? []);
    if (fit.length === 0) {
      // A refusal is audited (e.g. someone who is not an administrator asking for the Ministry's back office).
      const { store, clock, random } = this.deps;
      await store.transaction((tx) => audit(tx, clock, random, actorOf(step.context), 'proceso.no_permitido', undefined, { proceso: process.id }));
      const siguiente = process.explica && who.session ? await this.missingStep(who) : undefined;
      await step.context.sendActivity(render('general/no-permitido', { funcionalidad, quien, siguiente }));
      return step.next();
    }
    (step.values as RouteValues).pending = process.id;
    await step.context.sendActivity(render('general/requiere-rol', { funcionalidad, quien, rol: who.acting ? roleLabel(who.acting) : undefined }));
    return step.beginDialog(ELEGIR_ROL, { solo: fit } satisfies ElegirRolOptions);
  }

  /** The step of the activation chain that is missing for this person, and who must do it (their checklist). */
  private async missingStep(who: Who): Promise<string> {
    const session = who.session!;
    const facts = await loadChecklistFacts(this.deps, session.citizenId);
    return missingStepText(checklist({ ...facts, ...(who.acting ? { actuaComo: who.acting } : {}) }, this.deps.clock.now()));
  }

  /** At a question with options: a functionality named by its button, or at the role choice by the search (a clear match). */
  private async namedFunctionality(innerDc: DialogContext, text: string): Promise<string | undefined> {
    const byButton = await this.namedFunctionButton(innerDc.context, text);
    if (byButton !== undefined || !this.stack(innerDc).some(([, dialog]) => dialog.id === ELEGIR_ROL)) return byButton;
    // At "¿En qué rol desea actuar ahora?" after logging in, "autorizados" or "servicios web" says what the person
    // came to do: that functionality, which then acts in the role that fits it (as from the menu).
    const session = await activeSession(this.deps, innerDc.context);
    const id = session ? winnerFor(searchFunctionalities(text, functionalities()), actingRole(session)) : undefined;
    return id !== undefined && !(await this.unusable(innerDc.context)).includes(id) ? id : undefined;
  }

  /**
   * The functionality a logged-in person names by its button ("Asignar contraseña", the module menu's,
   * typed or tapped under a shared service's menu): its id when they can use it; else undefined.
   */
  private async namedFunctionButton(context: TurnContext, text: string): Promise<string | undefined> {
    const id = functionalityByButton(text);
    if (id === undefined || !(await activeSession(this.deps, context))) return undefined;
    return (await this.unusable(context)).includes(id) ? undefined : id;
  }

  // ---------------------------------------------------------------- who is talking, and their menu

  private async who(context: TurnContext): Promise<Who> {
    const session = await activeSession(this.deps, context);
    if (!session) return accountCreatedHere(context) ? { cuentaCreada: true } : {};
    return { session, acting: actingRole(session), person: await rolesOf(this.deps, session.citizenId) };
  }

  /** The menu button a number names ("2", "opción 2", "la segunda"), for this person's menu; undefined otherwise. */
  private async menuByNumber(context: TurnContext, text: string): Promise<string | undefined> {
    if (!mayNameNumber(text)) return undefined; // the person's menu is not looked up for words
    const labels = this.menuLabels(await this.who(context));
    const m = matchChoice(text, labels);
    return m.kind === 'match' && m.by === 'number' ? labels[m.index] : undefined;
  }

  private menuLabels(who: Who): string[] {
    const { buscar, salir } = messages<{ buscar: string; salir: string }>('general/menu-extra');
    const offered = menuProcesses(who).map((p) => buttonOf(p.id));
    return who.session ? [...offered, salir] : [...offered.slice(0, -1), buscar, ...offered.slice(-1)];
  }

  private async menu(context: TurnContext): Promise<Partial<Activity>> {
    const who = await this.who(context);
    // An agent who comes to the menu learns whether people wait (the notice of a case reaches only the agents in the chat when it opens).
    const queue = who.session && who.acting?.tipo === 'mesa_ayuda' ? await casesInQueue(this.deps, who.session.citizenId, actorOf(context)) : undefined;
    const enCola = queue?.ok ? queue.value.length : undefined;
    return menuActivity(this.menuLabels(who), render('general/menu', { nombre: who.session?.nombre, rol: who.acting ? roleLabel(who.acting) : undefined, enCola }));
  }

  private async logout(context: TurnContext): Promise<void> {
    await this.deps.session.delete(context);
    await context.sendActivity(render('general/salir'));
    await context.sendActivity(await this.menu(context));
  }

  /**
   * Ends an idle session (telling the person) or records this turn as activity; true when it just
   * expired. The session it leaves is kept for the rest of the turn (turnSession), so that the
   * turn reads it once.
   */
  private async refreshSession(context: TurnContext): Promise<boolean> {
    const check = checkSession(await this.deps.session.get(context), this.deps.clock.now());
    if (check.state === 'expired') {
      await this.deps.session.delete(context);
      context.turnState.set(TURN_SESSION, undefined);
      await context.sendActivity(render('cuenta/sesion-vencida'));
      return true;
    }
    if (check.state === 'active') {
      const touched = touchSession(check.session, this.deps.clock.now());
      if (touched !== check.session) await this.deps.session.set(context, touched);
      context.turnState.set(TURN_SESSION, touched);
    } else context.turnState.set(TURN_SESSION, undefined);
    return false;
  }

  /**
   * This turn's session as refreshSession left it. A turn that began without one may have logged
   * the person in, so only then is the session read again.
   */
  private async turnSession(context: TurnContext): Promise<Session | undefined> {
    const known = context.turnState.get(TURN_SESSION) as Session | undefined;
    return known ?? (await activeSession(this.deps, context));
  }

  // ---------------------------------------------------------------- the step in progress

  /** The innermost active dialog's context (each level's child context built once: see `stack`). */
  private deepest(dc: DialogContext): DialogContext {
    let d = dc;
    for (let child = readingChild(d); child; child = readingChild(d)) d = child;
    return d;
  }

  /**
   * The active dialogs from the route down: [dialog context, dialog] pairs, outermost first. For
   * reading only: a level's child context is reused while that level's active dialog is the same
   * (botbuilder-dialogs builds a new one, with its memory scopes, at every `child`; a turn walks the
   * stack several times).
   */
  private stack(innerDc: DialogContext): [DialogContext, Dialog][] {
    const out: [DialogContext, Dialog][] = [];
    for (let d: DialogContext | undefined = innerDc; d?.activeDialog; d = readingChild(d)) {
      const dialog = d.findDialog(d.activeDialog.id);
      if (dialog) out.push([d, dialog]);
    }
    return out;
  }

  /** The agent is in a helpdesk case (the case dialog is on the stack). */
  private inCase(innerDc: DialogContext): boolean {
    return this.stack(innerDc).some(([, d]) => d.id === CASO);
  }

  private activeProcess(innerDc: DialogContext, stack = this.stack(innerDc)): Process | undefined {
    const ids = stack.map(([, d]) => d.id);
    return PROCESSES.find((p) => ids.includes(this.dialogIds.get(p.id) ?? ''));
  }

  private formIsActive(innerDc: DialogContext, formId: string): boolean {
    return this.stack(innerDc).some(([, d]) => d instanceof FormDialog && d.spec.id === formId);
  }

  /**
   * A question about the list of options asked ("no sé qué elegir"); not a helpdesk agent's "¿y la caja
   * comfama?", which names a CCF or a person to consult (the helpdesk's views read it so).
   */
  private async asksAboutChoice(innerDc: DialogContext, active: unknown, state: unknown, text: string | undefined): Promise<boolean> {
    if (!asksAtChoice(active, state, text)) return false;
    const session = await activeSession(this.deps, innerDc.context);
    if (!session || actingRole(session).tipo !== 'mesa_ayuda') return true;
    return (await consultaIn(this.deps, text, this.deps.clock.now())) === undefined;
  }

  /**
   * The deepest step that describes itself: a form's field, an identity question, the RUT upload, a
   * confirmation. `help: false`: a form's field without its help (where the person is, every turn).
   */
  private stepInfo(innerDc: DialogContext, stack = this.stack(innerDc), help = true): StepInfo | undefined {
    for (let i = stack.length - 1; i >= 0; i--) {
      const [dc, dialog] = stack[i]!;
      if (dialog instanceof FormDialog) {
        const state = dc.activeDialog!.state['form'] as FormState | undefined;
        const campo = state?.current ? fieldTexts(dialog.spec, state.current) : undefined;
        return { paso: campo?.etiqueta ?? formTexts(dialog.spec).titulo, ...(help && campo?.ayuda ? { ayuda: fill(campo.ayuda, formTextData(dialog.spec, dc.activeDialog!.state)) } : {}) };
      }
      if (describesStep(dialog)) {
        // Every dialog active inside it, at each level the whole stack (a component's waterfall stays under the prompt it asks).
        const below = stack.slice(i + 1).flatMap(([inner]) => inner.stack.map((d) => d.id));
        const info = dialog.describeStep(dc.activeDialog!, below);
        if (info) return info;
      }
    }
    return undefined;
  }

  /** Where the person is now: the process in progress and its step, if any. */
  private whereNow(innerDc: DialogContext, stack = this.stack(innerDc)): (Donde & { proceso: string }) | undefined {
    // One walk of the stack (each level's child context is built anew by botbuilder-dialogs).
    const process = this.activeProcess(innerDc, stack);
    if (!process) return undefined;
    const info = this.stepInfo(innerDc, stack, false);
    return { proceso: info?.proceso ?? process.id, ...(info?.paso ? { paso: info.paso } : {}) };
  }
}

/** The processes this person's menu offers now (ids). */
const menuIds = (who: Who): string[] => menuProcesses(who).map((p) => p.id);

/** A document typed alone: "cc 72235734", "C.C. 72.235.734" or a bare number of 6 to 12 digits. */
function looksLikeDocument(text: string, now: Date): boolean {
  return documentIn(text, now) !== undefined || /^\d{6,12}$/.test(text.replace(/[\s.,-]/g, ''));
}
