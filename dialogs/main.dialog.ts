/**
 * The main dialog: routes what a person asks for (menu options, global commands, free text
 * through the functionality search) and handles the global commands at any prompt.
 */
import {
  ComponentDialog,
  Dialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { INGRESAR, IngresarDialog, RECUPERAR, RecuperarDialog } from './cuenta/cuenta.dialog.js';
import { REGISTRO, RegistroDialog } from './registro/registro.dialog.js';
import { EmpleadorDialog, REGISTRO_EMPLEADOR } from './empleador/empleador.dialog.js';
import {
  ACTUALIZAR,
  ActualizarDialog,
  ELEGIR_ROL,
  ElegirRolDialog,
  REVISION_RUT,
  RevisionRutDialog,
  type RolesDialogDeps,
} from './empleador/roles.dialog.js';
import { employersOf } from '../domain/empleador.js';
import { parseCommand } from '../domain/commands.js';
import type { Clock, SecretBox } from '../domain/ports.js';
import type { CuentaDeps } from '../domain/cuenta.js';
import { checkSession, touchSession, type Session } from '../domain/session.js';
import { clearWinner, searchFunctionalities, type SearchHit } from '../domain/search.js';
import { messages, render } from '../templates/render.js';
import { card, message, submit, textBlock } from './cards.js';
import { functionalities, type Functionality } from './catalog.js';
import { FormDialog, type FormState } from './form/form.dialog.js';
import { fieldTexts, formTexts } from './form/form-spec.js';
import { incomingText, incomingValue } from './incoming.js';
import { menuActivity } from './welcome.js';

export interface MainDialogDeps extends CuentaDeps, RolesDialogDeps {
  readonly clock: Clock;
  readonly secrets: SecretBox;
  /** The person's session, kept per channel user (created once in bot/). */
  readonly session: StatePropertyAccessor<Session | undefined>;
}

const ROUTE = 'route';
const SEARCH = 'search';
const SEARCH_PROMPT = 'searchPrompt';
const PICK_PROMPT = 'pickPrompt';

interface RouteOptions {
  readonly text?: string;
  readonly value?: Record<string, unknown>;
}

export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: MainDialogDeps) {
    super('main');
    this.addDialog(new RegistroDialog(deps));
    this.addDialog(new IngresarDialog(deps));
    this.addDialog(new RecuperarDialog(deps));
    this.addDialog(new EmpleadorDialog(deps));
    this.addDialog(new ElegirRolDialog(deps));
    this.addDialog(new ActualizarDialog(deps));
    this.addDialog(new RevisionRutDialog(deps));
    this.addDialog(new TextPrompt(SEARCH_PROMPT));
    this.addDialog(new TextPrompt(PICK_PROMPT));
    this.addDialog(new WaterfallDialog(ROUTE, [this.routeStep.bind(this), this.afterStep.bind(this), this.menuStep.bind(this)]));
    this.addDialog(
      new WaterfallDialog(SEARCH, [this.askSearchStep.bind(this), this.resultsStep.bind(this), this.pickStep.bind(this)]),
    );
    this.initialDialogId = ROUTE;
  }

  /** Runs one turn: continues the active dialog or starts routing the new message. */
  async run(context: TurnContext, accessor: StatePropertyAccessor): Promise<void> {
    const set = new DialogSet(accessor);
    set.add(this);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    await this.refreshSession(innerDc.context);
    return super.onBeginDialog(innerDc, options);
  }

  /** Global commands, checked before the active dialog sees the message. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    await this.refreshSession(innerDc.context);
    const command = parseCommand(incomingText(innerDc.context));
    const deepest = this.deepest(innerDc);
    const inForm = deepest.activeDialog ? deepest.findDialog(deepest.activeDialog.id) instanceof FormDialog : false;
    switch (command?.kind) {
      case 'cancelar':
      case 'menu':
        if (command.kind === 'cancelar') await innerDc.context.sendActivity(render('general/cancelado'));
        await innerDc.context.sendActivity(menuActivity());
        return innerDc.cancelAllDialogs();
      case 'salir':
        await this.deps.session.delete(innerDc.context);
        await innerDc.context.sendActivity(render('general/salir'));
        return innerDc.cancelAllDialogs();
      case 'estado':
        await innerDc.context.sendActivity(await this.statusText(deepest));
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      case 'ayuda':
        if (inForm) break;
        await innerDc.context.sendActivity(`${render('general/ayuda')}\n\n${render('general/contactos')}`);
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      case 'buscar':
        if (inForm) break;
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(SEARCH);
      default:
        break;
    }
    return super.onContinueDialog(innerDc);
  }

  // ---------------------------------------------------------------- route

  private async routeStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const value = step.options?.value ?? incomingValue(step.context);
    if (value?.['__action'] === 'comenzar' && typeof value['id'] === 'string') return this.start(step, value['id']);
    const text = step.options?.text ?? incomingText(step.context) ?? '';
    const command = parseCommand(text);
    switch (command?.kind) {
      case 'ayuda':
        return this.start(step, 'ayuda');
      case 'buscar':
        return step.replaceDialog(SEARCH);
      case 'estado':
        await step.context.sendActivity(await this.statusText(step));
        await step.context.sendActivity(menuActivity());
        return step.endDialog();
      case 'salir':
        await this.deps.session.delete(step.context);
        await step.context.sendActivity(render('general/salir'));
        return step.endDialog();
      case undefined:
        break;
      default:
        await step.context.sendActivity(menuActivity());
        return step.endDialog();
    }
    if (!text) {
      await step.context.sendActivity(menuActivity());
      return step.endDialog();
    }
    const hits = searchFunctionalities(text, functionalities());
    const named = clearWinner(hits);
    if (named) return this.start(step, named.id);
    return this.offer(step, text, hits);
  }

  /** After a login, a person who is RL or delegate of an employer chooses the role to act in. */
  private async afterStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as { ingreso?: boolean } | undefined;
    if (result?.ingreso) {
      const session = checkSession(await this.deps.session.get(step.context), this.deps.clock.now());
      if (session.state === 'active' && (await employersOf(this.deps, session.session.citizenId)).length > 0) {
        return step.beginDialog(ELEGIR_ROL);
      }
    }
    return step.next(result);
  }

  /** The menu after a process, unless the process ended with its own "Terminar" button. */
  private async menuStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(step.result as { terminar?: boolean } | undefined)?.terminar) await step.context.sendActivity(menuActivity());
    return step.endDialog();
  }

  /** Starts a functionality by id: its dialog if built, a plain "not yet" otherwise. */
  private async start(step: WaterfallStepContext, id: string): Promise<DialogTurnResult> {
    const f = functionalities().find((x) => x.id === id);
    if (id === 'registro') return step.beginDialog(REGISTRO);
    if (id === 'recuperar-clave') return step.beginDialog(RECUPERAR);
    const dialogs: Record<string, string> = {
      'rol-empleador': REGISTRO_EMPLEADOR,
      'actualizar-datos': ACTUALIZAR,
      'revision-rut': REVISION_RUT,
      'elegir-rol': ELEGIR_ROL,
    };
    if (dialogs[id]) return step.beginDialog(dialogs[id]);
    if (id === 'ingresar') {
      const session = checkSession(await this.deps.session.get(step.context), this.deps.clock.now());
      if (session.state !== 'active') return step.beginDialog(INGRESAR);
      await step.context.sendActivity(render('cuenta/ya-ingreso', { nombre: session.session.nombre }));
      await step.context.sendActivity(menuActivity());
      return step.endDialog();
    }
    if (id === 'ayuda') {
      await step.context.sendActivity(`${render('general/ayuda')}\n\n${render('general/contactos')}`);
      await step.context.sendActivity(menuActivity());
      return step.endDialog();
    }
    await step.context.sendActivity(render('general/no-disponible', { titulo: f?.title ?? id }));
    await step.context.sendActivity(menuActivity());
    return step.endDialog();
  }

  // ---------------------------------------------------------------- search

  private async askSearchStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(SEARCH_PROMPT, { prompt: render('general/pregunta-busqueda') });
  }

  private async resultsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const query = String(step.result ?? '').slice(0, 200);
    const hits = searchFunctionalities(query, functionalities());
    if (hits.length === 0) {
      await step.context.sendActivity(render('general/no-entendi', { consulta: query }));
      return step.replaceDialog(SEARCH);
    }
    (step.values as Record<string, unknown>)['hits'] = hits.map((h) => h.item.id);
    await step.context.sendActivity(this.resultsActivity(query, hits));
    return Dialog.EndOfTurn;
  }

  private async pickStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ids = ((step.values as Record<string, unknown>)['hits'] ?? []) as string[];
    const value = incomingValue(step.context);
    if (value?.['__action'] === 'comenzar' && typeof value['id'] === 'string') {
      return step.replaceDialog(ROUTE, { value } satisfies RouteOptions);
    }
    const text = incomingText(step.context) ?? '';
    const n = Number(text.trim());
    const picked = Number.isInteger(n) ? ids[n - 1] : undefined;
    if (picked) return step.replaceDialog(ROUTE, { value: { __action: 'comenzar', id: picked } } satisfies RouteOptions);
    return step.replaceDialog(ROUTE, { text } satisfies RouteOptions);
  }

  private async offer(step: WaterfallStepContext, query: string, hits: SearchHit<Functionality>[]): Promise<DialogTurnResult> {
    if (hits.length === 0) {
      await step.context.sendActivity(render('general/no-entendi', { consulta: query.slice(0, 80) }));
      await step.context.sendActivity(menuActivity());
      return step.endDialog();
    }
    await step.context.sendActivity(this.resultsActivity(query, hits));
    return step.endDialog();
  }

  private resultsActivity(query: string, hits: SearchHit<Functionality>[]) {
    const resultados = hits.map((h) => ({ titulo: h.item.title, descripcion: h.item.descripcion }));
    const consulta = query.slice(0, 80);
    const fallback = render('general/resultados', { consulta, resultados, texto: true });
    const { comenzar } = messages<{ comenzar: string }>('general/busqueda');
    const body = hits.flatMap((h) => [
      textBlock(h.item.title, { weight: 'Bolder', spacing: 'Medium' }),
      textBlock(h.item.descripcion, { isSubtle: true, spacing: 'Small' }),
      {
        type: 'ActionSet',
        actions: [submit(comenzar, { __action: 'comenzar', id: h.item.id }, 'positive')],
      },
    ]);
    return message(render('general/resultados', { consulta, resultados, texto: false }), card(body, [], fallback));
  }

  // ---------------------------------------------------------------- status

  private deepest(dc: DialogContext): DialogContext {
    let d = dc;
    while (d.child) d = d.child;
    return d;
  }

  /** Ends an idle session (telling the person) or records this turn as activity. */
  private async refreshSession(context: TurnContext): Promise<void> {
    const check = checkSession(await this.deps.session.get(context), this.deps.clock.now());
    if (check.state === 'expired') {
      await this.deps.session.delete(context);
      await context.sendActivity(render('cuenta/sesion-vencida'));
    } else if (check.state === 'active') {
      const touched = touchSession(check.session, this.deps.clock.now());
      if (touched !== check.session) await this.deps.session.set(context, touched);
    }
  }

  private async statusText(dc: DialogContext): Promise<string> {
    const check = checkSession(await this.deps.session.get(dc.context), this.deps.clock.now());
    const session = check.state === 'active' ? check.session : undefined;
    const who = session
      ? { nombre: session.nombre, empresa: session.rol?.tipo === 'empleador' ? session.rol.razonSocial : undefined }
      : undefined;
    const active = dc.activeDialog;
    const found = active ? dc.findDialog(active.id) : undefined;
    const form = found instanceof FormDialog ? found : undefined;
    if (!form || !active) return render('general/estado', { sesion: who });
    const state = active.state['form'] as FormState | undefined;
    const campo = state?.current ? fieldTexts(form.spec, state.current).etiqueta : undefined;
    return render('general/estado', { tramite: formTexts(form.spec).titulo, campo, sesion: who });
  }

}


