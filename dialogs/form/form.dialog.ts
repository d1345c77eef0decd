/**
 * The generic form dialog: reads what the person sent, lets the engine (engine.ts) decide, runs the
 * form's async `validate` when asked, keeps drafts, and renders the decision. No form rule lives here.
 */
import type { Attachment, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { SecretBox } from '../../domain/ports.js';
import { fill, render } from '../../templates/render.js';
import { incomingFile, incomingText, incomingValue, type AttachmentDownloader } from '../incoming.js';
import { decide, startState, type EngineEnv, type EngineStep, type FormEvent, type FormState } from './engine.js';
import { FormDrafts, type FormDraftDeps } from './form-drafts.js';
import { answeredBefore, asksSecret, changedAnswerNote, common, correctionChoice, labelOf, otherAnswerNote, promptFor, reasonText } from './form-render.js';
import { assertFormTexts, fieldTexts, formTexts, untyped, type FieldFailure, type FormResult, type FormSpec, type FormValues } from './form-spec.js';
import { noteError, noteSecretTyped } from '../turn-notes.js';
import { staleButtonNote } from '../shown-buttons.js';
import { choiceCard } from '../choice.js';
import { replaceUsedCard, retractIncoming } from './secret-channel.js';
import { isSentence } from '../../domain/text.js';

export { isSealed, type FormResult, type SealedValue } from './form-spec.js';
export type { FormState } from './engine.js';

export interface FormDeps extends FormDraftDeps {
  readonly secrets: SecretBox;
  /** Reads an attached file (bot/attachments.ts); without it, a file is never read (FieldSpec.archivo). */
  readonly download?: AttachmentDownloader;
}

export interface FormOptions<T = FormValues> {
  /** Values known beforehand (e.g. from a previous attempt). */
  readonly initial?: Partial<T> | FormValues;
  /** Given to the form's `validate` (e.g. the company the form is about). */
  readonly context?: Readonly<Record<string, string>>;
  /** A line shown above every question and review of the form (e.g. the company the person acts for). */
  readonly heading?: string;
  /** "atrás" at the first question ends the form with `{ formId, atras: true }` (see wentBackFromForm) instead of saying there is nothing before. */
  readonly canGoBack?: boolean;
  /** No intro (the person knows what the form asks, e.g. trying again after a wrong password). */
  readonly skipIntro?: boolean;
  /** Keeps this form's draft apart per subject (e.g. one shared service's credentials from another's). */
  readonly draftScope?: string;
  /**
   * A field named by the person ("teléfono"), to correct first: with every value given, the form opens
   * asking it, as "corregir teléfono" at its review would (else, or when the name fits no field, as usual).
   */
  readonly correct?: string;
}

/** The form ended because the person went back from its first question (FormOptions.canGoBack). */
export function wentBackFromForm(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { atras?: unknown }).atras === true;
}

/** Reasons that say an answer could not be read at all (not a rule it breaks, nor a doubt about it). */
const UNREADABLE = new Set([
  'type', 'choice', 'document_type.unknown', 'document_number.digits', 'name.chars', 'text.chars', 'date.format', 'sex.unknown', 'yes_no.unknown',
  'email.format', 'mobile.digits', 'nit.chars', 'phone.digits', 'departamento.desconocido', 'municipio.desconocido', 'naturaleza.desconocida',
]);

/**
 * A sentence of three words or more that the question could not read as its answer, and for which the
 * parser suggests nothing (no open doubt): likely another request.
 */
function isOffTopic(reason: string, state: FormState, typed: string | undefined): boolean {
  return UNREADABLE.has(reason) && state.doubt === undefined && isSentence(typed);
}

const STATE_KEY = 'form';
/** The id and text of the last message with a masked input sent (rendering state, not the engine's). */
const CARD_KEY = 'secretCard';
/** The options kept for the form's life: validate's context and the heading. */
const CONTEXT_KEY = 'context';

/** What the form's parent passed in FormOptions.context, from the form's dialog state (undefined when nothing). */
export function formContext(dialogState: Record<string, unknown>): Readonly<Record<string, string>> | undefined {
  return dialogState[CONTEXT_KEY] as Record<string, string> | undefined;
}

/**
 * What the question and the help of the field being asked may name: what the form's parent passed
 * (FormOptions.context) and what the field reads from the answers so far (FieldSpec.textData).
 */
export function formTextData<T>(spec: FormSpec<T>, dialogState: Record<string, unknown>): Readonly<Record<string, string>> {
  const state = dialogState[STATE_KEY] as FormState | undefined;
  const field = state?.current === undefined ? undefined : untyped(spec).fields.find((f) => f.key === state.current);
  return { ...formContext(dialogState), ...field?.textData?.(state!.values) };
}

const HEADING_KEY = 'heading';
const BACK_KEY = 'canGoBack';
const SCOPE_KEY = 'draftScope';

export class FormDialog<T = FormValues> extends Dialog<FormOptions<T>> {
  private readonly drafts: FormDrafts<T>;

  constructor(
    readonly spec: FormSpec<T>,
    private readonly deps: FormDeps,
  ) {
    super(spec.id);
    assertFormTexts(spec);
    this.drafts = new FormDrafts(spec, deps);
  }

  override async beginDialog(dc: DialogContext, options?: FormOptions<T>): Promise<DialogTurnResult> {
    const own = dc.activeDialog!.state;
    if (options?.context) own[CONTEXT_KEY] = { ...options.context };
    if (options?.heading) own[HEADING_KEY] = options.heading;
    if (options?.canGoBack) own[BACK_KEY] = true;
    if (options?.draftScope) own[SCOPE_KEY] = options.draftScope;
    const intro = options?.skipIntro ? undefined : formTexts(this.spec).intro;
    if (intro) await dc.context.sendActivity(intro);
    const state = await this.drafts.resume(dc.context, startState({ ...(options?.initial ?? {}) }), this.env(dc), options?.draftScope);
    if (options?.correct) {
      const opened = decide(this.spec, state, { kind: 'start' }, this.env(dc));
      // Complete: at its review, or (a form without one) about to finish.
      if (opened.decision.kind === 'review' || opened.decision.kind === 'finish') return this.run(dc, opened.state, { kind: 'correct', name: options.correct });
    }
    return this.run(dc, state, { kind: 'start' });
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state[STATE_KEY] as FormState;
    return this.run(dc, state, await this.eventOf(dc.context, state));
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.prompt(context, instance.state as Record<string, unknown>, instance.state[STATE_KEY] as FormState);
  }

  private async eventOf(context: TurnContext, state: FormState): Promise<FormEvent> {
    const value = incomingValue(context);
    if (value && value['__form'] === this.spec.id) return { kind: 'submit', value };
    const text = incomingText(context);
    if (text !== undefined) return { kind: 'text', text };
    const file = incomingFile(context);
    return file ? this.fileEvent(file, state) : { kind: 'none' };
  }

  /** A file attached alone: its text, where the question takes a file (FieldSpec.archivo); else why not. */
  private async fileEvent(file: Attachment, state: FormState): Promise<FormEvent> {
    const archivo = untyped(this.spec).fields.find((f) => f.key === state.current)?.archivo;
    if (!archivo || !this.deps.download) return { kind: 'none', archivo: 'no_aceptado' };
    const got = await this.deps.download(file, archivo.maxBytes);
    if (!got.ok) return { kind: 'none', archivo: got.error.code === 'rut.muy_grande' ? 'muy_grande' : 'ilegible' };
    const text = archivo.text(got.value.bytes);
    return text === undefined ? { kind: 'none', archivo: 'ilegible' } : { kind: 'text', text };
  }

  private env(dc: DialogContext): EngineEnv {
    const { clock, secrets } = this.deps;
    const context = formContext(dc.activeDialog!.state);
    return { today: clock.now(), seal: (plain) => ({ $sealed: secrets.seal(plain) }), ...(context ? { context } : {}) };
  }

  /** True when the form active in `dc` has a saved draft of the person's answers (what "cancelar" leaves behind). */
  hasDraft(dc: DialogContext): Promise<boolean> {
    return this.drafts.has(dc.context, dc.activeDialog?.state[SCOPE_KEY] as string | undefined);
  }

  /** The answers this person left in a draft of the form (FormOptions.draftScope `scope`), if any, before the form is begun. */
  savedAnswers(context: TurnContext, scope?: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    return this.drafts.saved(context, scope);
  }

  /** One event through the engine (and `validate`, when the engine asks for it), then the reply. */
  private async run(dc: DialogContext, before: FormState, event: FormEvent): Promise<DialogTurnResult> {
    let step = decide(this.spec, before, event, this.env(dc));
    // Whether the submit carried a secret, before a validation step replaces what was accepted.
    const tookSecret = event.kind === 'submit' && this.tookSecret(step);
    while (step.decision.kind === 'validate') {
      const context = formContext(dc.activeDialog!.state);
      const ctx = { citizenId: await this.drafts.owner(dc.context), today: this.deps.clock.now(), ...(context ? { context } : {}) };
      const failure = (await this.spec.validate?.(step.decision.values as T, ctx)) as FieldFailure | undefined;
      step = decide(this.spec, step.state, { kind: 'validated', failure }, this.env(dc));
    }
    dc.activeDialog!.state[STATE_KEY] = step.state;
    await this.drafts.afterStep(dc.context, before, step, dc.activeDialog!.state[SCOPE_KEY] as string | undefined);
    if (tookSecret) {
      const texts = formTexts(this.spec);
      const note = texts.enviada ?? fill(common('tarjeta-enviada'), { titulo: texts.titulo });
      await replaceUsedCard(dc.context, note, dc.activeDialog!.state[CARD_KEY] as { id: string; text?: string } | undefined);
    }
    return this.reply(dc, step);
  }

  private tookSecret(step: EngineStep): boolean {
    return untyped(this.spec).fields.some((f) => f.secret && step.accepted.includes(f.key));
  }

  private async reply(dc: DialogContext, { state, decision: d }: EngineStep): Promise<DialogTurnResult> {
    const context = dc.context;
    switch (d.kind) {
      case 'finish': {
        const result: FormResult<T> = { formId: this.spec.id, values: d.values as T };
        return dc.endDialog(result);
      }
      case 'restart':
        await context.sendActivity(common('borrador-descartado'));
        return this.run(dc, state, { kind: 'start' });
      case 'reask': {
        noteError(context, `${this.spec.id}${d.field ? `.${d.field}` : ''}:${d.reason}`);
        if (d.retract) noteSecretTyped(context);
        // A tap on a button of an earlier question: said so, rather than why it is no answer here.
        // "Sin este dato no puedo continuar": whether leaving now keeps the answers is this person's case.
        const borrador = await this.drafts.saves(context);
        const detail = d.reason === 'required' ? { ...d.detail, borrador } : d.detail;
        let lead = (d.retract ? undefined : staleButtonNote(context, { borrador })) ?? reasonText(this.spec, d.reason, detail);
        if (d.retract) lead += ' ' + common((await retractIncoming(context)) ? 'secreto-retirado' : 'secreto-borrar');
        // "¿cuánto se demora el Ministerio?" at the document type, "mejor después, volver" at a password (taken off
        // the chat all the same: a passphrase has words too): words that are no answer of any kind — the way out, said.
        if (d.retract ? isSentence(incomingText(context)) : isOffTopic(d.reason, state, incomingText(context))) {
          lead += ' ' + render('general/otra-cosa', { borrador });
        }
        await this.prompt(context, dc.activeDialog!.state, state, lead, true);
        return Dialog.EndOfTurn;
      }
      case 'help': {
        const ayuda = d.field ? fieldTexts(this.spec, d.field).ayuda : undefined;
        // A required answer the person may not have at hand ("no sé" at a URL): leaving keeps the others, when this person's drafts are kept.
        const field = d.field === undefined ? undefined : untyped(this.spec).fields.find((f) => f.key === d.field);
        // Not at a choice between options (one of them is the answer), nor at an answer the person makes up: nothing to look up.
        // At a secret (the Client Secret) too: it is never kept, the answers before it are.
        const choice = d.field !== undefined && fieldTexts(this.spec, d.field).opciones !== undefined;
        const pausa = field && !field.optional && !field.chosen && !choice && (await this.drafts.saves(context)) ? common('ayuda-borrador') : undefined;
        // The help may name what the parent passed (e.g. the companies the person represents).
        // At the review there is no question: what the review is for and the ways on from it.
        const revision =
          d.field === undefined ? fill(common(state.choosingCorrection ? 'ayuda-no-coinciden' : 'ayuda-revision'), { borrador: await this.drafts.saves(context) }) : undefined;
        const help = [ayuda ? fill(ayuda, formTextData(this.spec, dc.activeDialog!.state)) : revision, pausa].filter(Boolean).join(' ');
        // "ayuda" gives the contacts too; a question in the person's words ("¿qué pongo aquí?") only says where more help is.
        const more = render(d.asked ? 'general/ayuda-mas' : 'general/contactos');
        await context.sendActivity([help, more].filter(Boolean).join('\n\n'));
        // At the review the help said what to write: the card again, without its intro saying it once more.
        if (d.field === undefined) {
          await this.prompt(context, dc.activeDialog!.state, state, undefined, false, true);
          return Dialog.EndOfTurn;
        }
        break;
      }
      case 'chooseCorrection':
        // After a check that failed, the prompt is that list with its reason (see promptFor); checked again unchanged
        // ("confirmar") and refused again, that is said first, so the person does not confirm a third time.
        if (d.reason) await this.prompt(context, dc.activeDialog!.state, state, d.again ? common('revisado-otra-vez') : undefined);
        else await context.sendActivity(correctionChoice(this.spec, d.fields));
        return Dialog.EndOfTurn;
      case 'unknownField': {
        const campos = d.fields.map((k) => labelOf(this.spec, k)).join(', ');
        await context.sendActivity(fill(common('campo-desconocido'), { campo: d.name, campos }));
        if (state.choosingCorrection) return Dialog.EndOfTurn;
        break;
      }
      case 'noPrevious':
        if (dc.activeDialog!.state[BACK_KEY]) return dc.endDialog({ formId: this.spec.id, atras: true });
        await context.sendActivity(common('sin-anterior'));
        break;
      case 'review':
        if (d.retry) await context.sendActivity([staleButtonNote(context), common('revision-reintentar')].filter(Boolean).join(' '));
        break;
      case 'ask':
        if (d.cambio) {
          await this.prompt(context, dc.activeDialog!.state, state, changedAnswerNote(this.spec, d.field, d.cambio));
          return Dialog.EndOfTurn;
        }
        if (d.antes !== undefined) {
          await this.prompt(context, dc.activeDialog!.state, state, answeredBefore(this.spec, d.field, d.antes, d.mantener));
          return Dialog.EndOfTurn;
        }
        if (d.otra) {
          await this.prompt(context, dc.activeDialog!.state, state, otherAnswerNote(this.spec, d.otra.field, d.otra.value));
          return Dialog.EndOfTurn;
        }
        break;
      case 'validate': // resolved in run()
        break;
    }
    await this.prompt(context, dc.activeDialog!.state, state);
    return Dialog.EndOfTurn;
  }

  /**
   * The question about the last answer ("¿Quiso decir …?") while it is still open — after "ayuda",
   * or "estado" answered by the main dialog — so that "sí" is never an answer to a question not shown.
   */
  private openDoubt(state: FormState): string | undefined {
    const doubt = state.doubt;
    return doubt?.code && doubt.key === state.current ? reasonText(this.spec, doubt.code, { ...doubt.detalle, ...doubt }) : undefined;
  }

  /**
   * Sends the prompt (after `lead`, if any, and `again` after a reason: see promptFor; an open doubt's
   * question instead of both; `bare`: its card alone, without the message's text); the id of a card
   * with a masked input is kept to replace it once used.
   */
  private async prompt(context: TurnContext, dialogState: Record<string, unknown>, state: FormState, lead?: string, again = false, bare = false): Promise<void> {
    // An open doubt about an answer is the question itself (its answer is sí, no or another answer): the field's question is
    // not asked beside it. A lead that ends with it ("Antes de seguir, responda esta pregunta: ¿El primer nombre es…?") is said
    // whole. A proposal for a refused answer ("Si le sirve ConsultaDeAfiliados, responda sí") leads the field's question, in
    // its short form (the proposal is the example).
    const doubt = this.openDoubt(state);
    const proposal = doubt !== undefined && state.doubt?.escrito === undefined;
    const activities = promptFor(this.spec, state, again || proposal, formTextData(this.spec, dialogState));
    const [first] = activities;
    const heading = dialogState[HEADING_KEY] as string | undefined;
    const said = doubt && lead?.endsWith(doubt) ? lead : doubt;
    const asked = said && !proposal ? said : `${said ?? lead ?? ''} ${first?.text ?? ''}`.trim();
    const text = [heading, bare ? undefined : asked].filter(Boolean).join('\n\n');
    if (first) {
      const { text: _intro, ...withoutText } = first;
      activities[0] = text ? { ...first, text } : withoutText;
    }
    // Its two answers as buttons, when the question shows no card of its own.
    if (doubt && !proposal && first && !first.attachments?.length) activities[0] = { ...activities[0], attachments: [choiceCard([common('duda-si'), common('duda-no')])] };
    const secret = asksSecret(this.spec, state);
    for (const activity of activities) {
      const sent = await context.sendActivity(activity);
      if (secret && activity.attachments?.length && sent?.id) dialogState[CARD_KEY] = { id: sent.id, ...(activity.text ? { text: activity.text } : {}) };
    }
  }
}
