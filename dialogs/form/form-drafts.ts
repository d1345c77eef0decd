/** Drafts seen from the form dialog: whose they are, resuming with a notice, saving after each change. */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { discardDraft, keptDrafts, loadDraft, saveDraft } from '../../domain/drafts.js';
import type { Clock, Store } from '../../domain/ports.js';
import { checkSession, type Session } from '../../domain/session.js';
import { fill } from '../../templates/render.js';
import { card, imBack, message } from '../cards.js';
import { draftOf, resumeFrom, type EngineEnv, type EngineStep, type FormState } from './engine.js';
import { common } from './form-render.js';
import { formTexts, type FormSpec } from './form-spec.js';
import { formatDateTime } from '../format.js';

export interface FormDraftDeps {
  readonly clock: Clock;
  /** Where drafts are kept; drafts are off without it. */
  readonly store?: Store;
  /** The person the form's answers belong to (their citizen id) when they have a session; also given to `validate`. */
  readonly draftOwner?: (context: TurnContext) => Promise<string | undefined>;
}

/** A draftOwner reading the session: the citizen id while the session is active. */
export function sessionOwner(session: StatePropertyAccessor<Session | undefined>, clock: Clock) {
  return async (context: TurnContext): Promise<string | undefined> => {
    const check = checkSession(await session.get(context), clock.now());
    return check.state === 'active' ? check.session.citizenId : undefined;
  };
}

const BOGOTA = 'America/Bogota';
const day = new Intl.DateTimeFormat('es-CO', { day: '2-digit', month: '2-digit', timeZone: BOGOTA });
const time = new Intl.DateTimeFormat('es-CO', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BOGOTA });

export class FormDrafts<T> {
  constructor(
    private readonly spec: FormSpec<T>,
    private readonly deps: FormDraftDeps,
  ) {}

  owner(context: TurnContext): Promise<string | undefined> {
    return this.deps.draftOwner?.(context) ?? Promise.resolve(undefined);
  }

  /**
   * True when this person's answers to the form are kept as they go (a form with drafts, a person
   * with a session): for a text that says so, so what was saved is made durable first.
   */
  async saves(context: TurnContext): Promise<boolean> {
    const t = await this.target(context);
    if (t) await keptDrafts(t);
    return t !== undefined;
  }

  private async target(context: TurnContext): Promise<{ store: Store; owner: string } | undefined> {
    const store = this.deps.store;
    if (!this.spec.draft || !store) return undefined;
    const owner = await this.owner(context);
    return owner ? { store, owner } : undefined;
  }

  /** The state with the person's saved answers, if they have a draft of this form; says so. */
  async resume(context: TurnContext, state: FormState, env: EngineEnv, scope?: string): Promise<FormState> {
    const t = await this.target(context);
    const draft = t && (await loadDraft({ store: t.store, clock: this.deps.clock }, t.owner, this.formKey(scope)));
    if (!draft) return state;
    const at = new Date(draft.savedAt);
    const text = fill(common('borrador-retomado'), { fecha: day.format(at), hora: time.format(at) });
    await context.sendActivity(message(text, card([], [imBack(common('empezar-de-nuevo'))], text)));
    return resumeFrom(this.spec, state, draft, env);
  }

  /** True when the person has a saved draft of this form (e.g. to say so when they cancel). */
  async has(context: TurnContext, scope?: string): Promise<boolean> {
    return (await this.saved(context, scope)) !== undefined;
  }

  /** The answers of the person's saved draft of this form, if any (e.g. to name what waits in a list). */
  async saved(context: TurnContext, scope?: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    const t = await this.target(context);
    return t && (await loadDraft({ store: t.store, clock: this.deps.clock }, t.owner, this.formKey(scope)))?.values;
  }

  /** The form's id, or its id for one subject (FormOptions.draftScope). */
  private formKey(scope: string | undefined): string {
    return scope ? `${this.spec.id}@${scope}` : this.spec.id;
  }

  /** Saves the answers when they changed; removes the draft when the form finished or starts over. */
  async afterStep(context: TurnContext, before: FormState, step: EngineStep, scope?: string): Promise<void> {
    const t = await this.target(context);
    if (!t) return;
    const deps = { store: t.store, clock: this.deps.clock };
    if (step.decision.kind === 'finish' || step.decision.kind === 'restart' || (step.decision.kind === 'noPrevious' && step.decision.discard)) {
      await discardDraft(deps, t.owner, this.formKey(scope));
      return;
    }
    const after = draftOf(this.spec, step.state);
    if (JSON.stringify(draftOf(this.spec, before)) === JSON.stringify(after)) return;
    await saveDraft(deps, { owner: t.owner, formId: this.formKey(scope), ...after });
  }
}

/** A saved draft as the person sees it listed (Mis datos, "¿en qué voy?"): its form's title and when it was saved. */
export function draftLine(d: { readonly formId: string; readonly savedAt: string }): { titulo: string; guardadoEn: string } {
  return { titulo: formTexts({ id: d.formId.split('@')[0]! }).titulo, guardadoEn: formatDateTime(d.savedAt) };
}
