/**
 * The form engine's decisions as a pure function, with no Bot Framework types: given the spec, the
 * state and what the person sent, the next state and what to do (ask, re-ask with a reason, review,
 * validate, finish…). form.dialog.ts only renders the decision and sends it.
 */
import { asksAboutTheQuestion, asksToChange, changeTarget, parseCommand, saysItDoesNotKnow, saysItIsMissing } from '../../domain/commands.js';
import { answerYesNo, isSkipAnswer, takesTheOnlyOption } from '../../domain/fields.js';
import { fail } from '../../domain/result.js';
import { looksLikeSecret } from '../../domain/secret-text.js';
import { fold, words } from '../../domain/text.js';
import { findFields, parseAnswer, staleAnswers } from './field-input.js';
import {
  activeFields,
  nextMissingField,
  untyped,
  type FieldFailure,
  type FieldSpec,
  type FormSpec,
  type FormValues,
  type SealedValue,
} from './form-spec.js';

export interface FormState {
  values: FormValues;
  /** Keys in the order they were answered ("atrás" walks back through it). */
  history: string[];
  /** The field being asked, if any; undefined while reviewing. */
  current?: string;
  /** True while showing the field list after "corregir". */
  choosingCorrection?: boolean;
  /** The fields that list shows, in its order ("el primero", "2" name one of them). */
  correctionShown?: string[];
  /** Why, when that list shows the answers a check refused (FieldFailure.correct): said again with the list after a help, "estado" or a reload. */
  correctionWhy?: { code: string; detail?: Readonly<Record<string, unknown>> };
  /** True once `validate` accepted the current values; any change clears it. */
  validated?: boolean;
  /** "confirmar" at the answers a check refused: they are checked again unchanged (a new refusal says so). */
  rechecking?: boolean;
  /** The values the form began with ("empezar de nuevo" goes back to them). */
  initial?: FormValues;
  /**
   * While "corregir" asks a field again: its value and the history before, and where the person was,
   * so that "atrás" puts the value back and returns there instead of walking back through the form.
   */
  correcting?: { key: string; value: unknown; history: string[]; returnTo?: string; validated?: boolean };
  /** The field re-asked by a `validate` failure with `backLeaves`: "atrás" there leaves the form. */
  backLeaves?: string;
  /**
   * What the field's parser suggested for the last answer, for the next one: "sí" (or "ok", "ese") takes
   * `sugerencia`. Either a doubted answer (its failure named `escrito` and `sugerencia`, e.g. an e-mail at
   * "gmial.com"): "no", or the same answer again, keeps `escrito`; or a proposal for a refused one (its
   * failure named `propuesta`: "consulta de afiliados" → "ConsultaDeAfiliados", no `escrito`): "no" asks
   * the question again. `code` and `detalle` (the failure's reason and its other details) ask the
   * question again after a help (absent in older states).
   */
  doubt?: { key: string; escrito?: string; sugerencia: string; code?: string; detalle?: Record<string, string> };
  /**
   * The answer "atrás" took back from `key`, shown with its question: the next answer "sí" (or "ok",
   * "ese") keeps it. Not at a yes-or-no field, where "sí" is the answer; for the next answer only.
   */
  kept?: { key: string; value: unknown };
  /**
   * Answers dropped because a change made their parser refuse them (the expedition date after a new
   * birth date), by field: the field changed, what it had and why it no longer fits; said when that
   * field is asked again, once.
   */
  stale?: Record<string, { por: string; antes: unknown; code: string; detail: Record<string, unknown> }>;
}

/** What the person sent, as the engine sees it. */
export type FormEvent =
  | { readonly kind: 'start' }
  | { readonly kind: 'text'; readonly text: string }
  /** A submit of this form's card: field values, or `__action` confirmar / corregir (+ `field`). */
  | { readonly kind: 'submit'; readonly value: Readonly<Record<string, unknown>> }
  /**
   * Neither text nor this form's card: an attachment alone (`archivo`: where files are not read, or
   * one that could not be read or is too big), or nothing at all.
   */
  | { readonly kind: 'none'; readonly archivo?: 'no_aceptado' | 'ilegible' | 'muy_grande' }
  /** The outcome of the `validate` the engine asked for. */
  | { readonly kind: 'validated'; readonly failure?: FieldFailure | undefined }
  /** A field named to correct (by key, label or a word of it), as "corregir <name>" typed at the review. */
  | { readonly kind: 'correct'; readonly name: string };

export type Decision =
  /** Ask `field` (the state's current field). */
  | {
      readonly kind: 'ask';
      readonly field: string;
      /** "atrás" to this field: what the person had answered (never a secret's), to show with the question. */
      readonly antes?: unknown;
      /** "sí" keeps `antes` (FormState.kept): said with it. */
      readonly mantener?: true;
      /** Asked again because the answer to `por` changed and its parser now refuses `antes` (`reason`, `detail`). */
      readonly cambio?: { readonly por: string; readonly antes: unknown; readonly reason: string; readonly detail: Readonly<Record<string, unknown>> };
      /** Asked again because the answer changed an earlier field instead (a document type typed at the number: FieldSpec.alsoFills). */
      readonly otra?: { readonly field: string; readonly value: unknown };
    }
  /** Show the review; `retry` after a text that was neither "confirmar" nor a correction. */
  | { readonly kind: 'review'; readonly retry?: boolean }
  /** Ask `field` again (the review when undefined) with the reason; `retract` the message: a typed secret. */
  | {
      readonly kind: 'reask';
      readonly field: string | undefined;
      readonly reason: string;
      readonly detail: Readonly<Record<string, unknown>>;
      readonly retract?: boolean;
    }
  /** Run the spec's `validate` on the values and send back a `validated` event. */
  | { readonly kind: 'validate'; readonly values: FormValues }
  | { readonly kind: 'finish'; readonly values: FormValues }
  /**
   * The field's help (none while reviewing), then the prompt again; `asked` when the person asked about
   * the question in their words ("¿qué pongo aquí?", "no sé") rather than writing "ayuda".
   */
  | { readonly kind: 'help'; readonly field: string | undefined; readonly asked?: true }
  /** The answered fields to choose one to correct; with `reason` (a validation's), shown with their values after it. */
  | {
      readonly kind: 'chooseCorrection';
      readonly fields: readonly string[];
      readonly reason?: string;
      readonly detail?: Readonly<Record<string, unknown>>;
      /** The same answers were checked again ("confirmar") and refused again. */
      readonly again?: boolean;
    }
  /** No answered field by that name; then the prompt again unless the person is choosing one. */
  | { readonly kind: 'unknownField'; readonly name: string; readonly fields: readonly string[] }
  /** "atrás" at the first question (or where a failure's `backLeaves` says); then the prompt again. `discard`: the draft too. */
  | { readonly kind: 'noPrevious'; readonly discard?: boolean }
  /** "empezar de nuevo" (draft forms): the answers are cleared; the dialog discards the draft and starts. */
  | { readonly kind: 'restart' };

export interface EngineEnv {
  readonly today: Date;
  /** FormOptions.context, which the fields' parsers may read too. */
  readonly context?: Readonly<Record<string, string>>;
  seal(plain: string): SealedValue;
}

export interface EngineStep {
  readonly state: FormState;
  readonly decision: Decision;
  /** Fields whose answers were accepted in this step. */
  readonly accepted: readonly string[];
}

const RESTART = new Set(['empezar de nuevo', 'comenzar de nuevo', 'volver a empezar', 'empezar otra vez', 'iniciar de nuevo']);

export function startState(initial: FormValues = {}): FormState {
  return { values: { ...initial }, history: [], initial: { ...initial } };
}

/** The engine: one event in, the next state and the decision out. The input state is not changed. */
export function decide<T>(spec: FormSpec<T>, state: FormState, event: FormEvent, env: EngineEnv): EngineStep {
  const turn = new Turn(untyped(spec), { ...state, values: { ...state.values }, history: [...state.history] }, env);
  const decision = turn.on(event);
  return { state: turn.state, decision, accepted: turn.accepted };
}

/** The answers a draft may keep: every field but the secret ones. */
export function draftOf<T>(spec: FormSpec<T>, state: FormState): { values: FormValues; history: string[] } {
  const secret = new Set(untyped(spec).fields.filter((f) => f.secret).map((f) => f.key));
  const values = Object.fromEntries(Object.entries(state.values).filter(([k]) => !secret.has(k)));
  return { values, history: state.history.filter((k) => k in values) };
}

/** The state resumed from a saved draft: its answers over the initial ones, each checked again. */
export function resumeFrom<T>(spec: FormSpec<T>, state: FormState, saved: Readonly<{ values: FormValues; history: readonly string[] }>, env: EngineEnv): FormState {
  const s = untyped(spec);
  const known = new Set(s.fields.filter((f) => !f.secret).map((f) => f.key));
  const values = { ...state.values };
  for (const [k, v] of Object.entries(saved.values)) if (known.has(k)) values[k] = v;
  const turn = new Turn(s, { ...state, values, history: saved.history.filter((k) => k in values), current: undefined }, env);
  turn.revalidate('');
  return turn.state;
}

/** Whether two answers have a word in common (accents and case ignored). */
function sharesAWord(a: string, b: string): boolean {
  const seen = new Set(words(b));
  return words(a).some((w) => seen.has(w));
}

/**
 * What a parser's failure suggests: what was typed and what was likely meant, when it names both; or
 * the valid answer it proposes for a refused one (`propuesta`).
 */
function doubtIn(detail: Readonly<Record<string, unknown>>): { escrito?: string; sugerencia: string } | undefined {
  const { escrito, sugerencia, propuesta } = detail;
  if (typeof escrito === 'string' && typeof sugerencia === 'string') return { escrito, sugerencia };
  return typeof propuesta === 'string' ? { sugerencia: propuesta } : undefined;
}

class Turn {
  readonly accepted: string[] = [];
  private readonly hasSecret: boolean;

  constructor(
    private readonly spec: FormSpec,
    readonly state: FormState,
    private readonly env: EngineEnv,
  ) {
    this.hasSecret = spec.fields.some((f) => f.secret);
  }

  on(event: FormEvent): Decision {
    switch (event.kind) {
      case 'start':
        return this.advance();
      case 'validated':
        return this.onValidated(event.failure);
      case 'correct':
        return this.correct(event.name);
      case 'submit':
        return this.onSubmit(event.value);
      case 'none': {
        if (!event.archivo) return this.reask('type');
        const max = this.spec.fields.find((f) => f.key === this.state.current)?.archivo?.maxBytes;
        return this.reask(`archivo.${event.archivo}`, max ? { maxKb: Math.floor(max / 1024) } : {});
      }
      case 'text':
        return this.onText(event.text);
    }
  }

  private onText(text: string): Decision {
    const s = this.state;
    const doubt = this.takeDoubt();
    const kept = s.kept;
    delete s.kept;
    if (this.spec.draft && RESTART.has(fold(text))) {
      Object.assign(s, startState(s.initial), { current: undefined, choosingCorrection: false, validated: false });
      return { kind: 'restart' };
    }
    const command = parseCommand(text);
    if (command?.kind === 'ayuda') {
      // At the answers a check refused the list stays (its help says how to go on); at the review's, the review is shown.
      if (!s.correctionWhy) s.choosingCorrection = false;
      if (doubt) s.doubt = doubt; // still to answer after the help
      return { kind: 'help', field: s.current };
    }
    if (command?.kind === 'atras') return this.back();
    if (command?.kind === 'corregir') return this.correct(command.field);

    const typedSecret = this.hasSecret && looksLikeSecret(text);
    if (s.choosingCorrection && this.afterFailedCheck() && !typedSecret && answerYesNo(text) === true) {
      // "confirmar" at the answers a check refused: the person holds them right; they are checked again.
      s.choosingCorrection = false;
      const d = this.confirm();
      if (d.kind === 'validate') s.rechecking = true;
      return d;
    }
    if (s.choosingCorrection) return typedSecret ? this.secretTyped() : this.correct(changeTarget(text) ?? text);
    if (s.current === undefined) {
      if (answerYesNo(text) === true) return this.confirm();
      if (typedSecret) return this.secretTyped();
      if (asksToChange(text)) return this.changeAsked(text);
      return this.newProse(text) ?? { kind: 'review', retry: true };
    }
    const field = this.field(s.current);
    // "¿Para qué es esta contraseña?" at a password, "no sé qué poner" at a name: the field's help, not an answer.
    // In free prose any sentence is an answer, but "no sé" alone is none: the help too.
    const asksAbout = field.prose ? saysItDoesNotKnow(text) : asksAboutTheQuestion(text);
    if (asksAbout && !(field.optional && isSkipAnswer(text))) {
      if (doubt) s.doubt = doubt;
      return { kind: 'help', field: s.current, asked: true };
    }
    if (field.secret) return this.reask('secret_typed', {}, text.trim() !== '');
    // "quiero cambiar el sexo" at another question: as "corregir sexo" (a free text's words are its answer).
    if (!field.prose && asksToChange(text) && this.answered().length > 0) return this.changeAsked(text);
    const settled = doubt?.key === field.key ? this.settleDoubt(field, doubt, text) : undefined;
    if (settled) return settled;
    if (doubt?.key === field.key && doubt.escrito !== undefined && doubt.code?.startsWith('name.') && !sharesAWord(text, doubt.escrito)) {
      // "montoya montaño" at "¿El primer nombre es NICOLAS y el segundo nombre FELIPE?": the next field's
      // answer typed ahead, not another first name; the yes-or-no question stays.
      s.doubt = doubt;
      return this.reask(doubt.code, { escrito: doubt.escrito, sugerencia: doubt.sugerencia, ...doubt.detalle, otraVez: true });
    }
    if (kept?.key === field.key && takesTheOnlyOption(text)) {
      // "sí" to "Antes respondió: …" (never a name nor a description): the answer stays as it was.
      this.set(field, kept.value);
      s.current = undefined;
      return this.advance();
    }
    const result = parseAnswer(this.spec, field, text, this.state.values, this.env.today, this.env.context);
    if (result.ok) {
      this.set(field, result.value);
      s.current = undefined;
      return this.advance();
    }
    if (doubt?.key === field.key && doubt.escrito !== undefined && result.error['escrito'] === doubt.escrito) {
      // The same doubted answer again: the person means it.
      this.set(field, doubt.escrito);
      s.current = undefined;
      return this.advance();
    }
    // A doubted answer is asked about first, even when it could fill several fields ("José Alejandro").
    const several = doubtIn(result.error) ? undefined : field.alsoFills?.(text);
    if (several && this.acceptAll(several)) {
      s.current = undefined;
      const next = this.advance();
      // Only another field taken ("cc" at the number): this question again, saying what changed.
      const other = Object.keys(several).find((k) => k !== field.key);
      return next.kind === 'ask' && next.field === field.key && other !== undefined && !next.cambio ? { ...next, otra: { field: other, value: this.state.values[other] } } : next;
    }
    if (typedSecret) return this.secretTyped();
    // "omitir", "no tengo", "la llave no la tengo" where no answer is no option: said so, not the format's rule.
    if (!field.optional && !field.prose && ((isSkipAnswer(text) && fold(text) !== '') || saysItIsMissing(text))) return this.reask('required');
    this.noteDoubt(field.key, result.error.code, result.error);
    return this.reask(result.error.code, result.error, field.retractOn?.includes(result.error.code) ?? false);
  }

  /**
   * A form of one prose answer (a reason, a description): a sentence typed at its review ("mi celular
   * ahora es 3157778899") is the answer rewritten, reviewed again; undefined for anything else.
   */
  private newProse(text: string): Decision | undefined {
    const [only, ...others] = this.spec.fields;
    if (!only || others.length > 0 || !only.prose || only.secret) return undefined;
    if (words(text).length < 3 || answerYesNo(text) !== undefined || asksToChange(text)) return undefined;
    const result = parseAnswer(this.spec, only, text, this.state.values, this.env.today, this.env.context);
    if (!result.ok) return undefined;
    this.set(only, result.value);
    return this.advance();
  }

  /**
   * "quiero cambiar algo", "cambiar el celular" typed at the review: as "corregir" — the field it
   * names, else the only answer there is, else the list of answers to choose from.
   */
  private changeAsked(text: string): Decision {
    const answered = this.answered();
    const target = changeTarget(text);
    const asking = this.state.current !== undefined && !(this.state.current in this.state.values) ? [this.field(this.state.current)] : [];
    if (target !== undefined && findFields(this.spec, [...answered, ...asking], target).length > 0) return this.correct(target);
    const [only, ...others] = answered;
    return this.correct(only && others.length === 0 ? only.key : undefined);
  }

  /** The fields answered so far, in form order, that a correction may name (not a confirmation the review does not list). */
  private answered(): FieldSpec[] {
    return activeFields(this.spec, this.state.values).filter((f) => f.key in this.state.values && f.inReview !== false);
  }

  /** The doubt raised by the last answer, taken off the state (a new answer settles it or raises another). */
  private takeDoubt(): FormState['doubt'] {
    const doubt = this.state.doubt;
    delete this.state.doubt;
    return doubt;
  }

  /** A parser's failure that suggests an answer (doubtIn): remembered for the next answer. */
  private noteDoubt(key: string, code: string, detail: Readonly<Record<string, unknown>>): void {
    const doubt = doubtIn(detail);
    if (!doubt) return;
    const detalle = Object.fromEntries(Object.entries(detail).filter((e): e is [string, string] => typeof e[1] === 'string' && !(e[0] in doubt) && e[0] !== 'code'));
    this.state.doubt = { key, ...doubt, code, ...(Object.keys(detalle).length ? { detalle } : {}) };
  }

  /**
   * The answer to a doubt, when it settles it: "sí" takes the suggestion (the fields the typed answer
   * fills, FieldSpec.alsoFills, else the suggestion parsed as if typed) and goes on; "no" keeps what was
   * typed and goes on, or, to a proposal (nothing typed to keep), asks the question again. Undefined when
   * the answer is neither.
   */
  private settleDoubt(field: FieldSpec, doubt: NonNullable<FormState['doubt']>, text: string): Decision | undefined {
    const yes = takesTheOnlyOption(text) ? true : answerYesNo(text);
    if (yes === undefined) return undefined;
    if (!yes) {
      if (doubt.escrito === undefined) return { kind: 'ask', field: field.key };
      this.set(field, doubt.escrito);
    } else {
      const several = doubt.escrito === undefined ? undefined : field.alsoFills?.(doubt.escrito);
      if (!(several && this.acceptAll(several))) {
        const r = parseAnswer(this.spec, field, doubt.sugerencia, this.state.values, this.env.today, this.env.context);
        if (!r.ok) return undefined;
        this.set(field, r.value);
      }
    }
    this.state.current = undefined;
    return this.advance();
  }

  private onSubmit(value: Readonly<Record<string, unknown>>): Decision {
    const s = this.state;
    const doubt = this.takeDoubt();
    delete s.kept;
    const action = value['__action'];
    if (action === 'confirmar' && s.current === undefined && !s.choosingCorrection) return this.confirm();
    if (action === 'corregir') return this.correct(typeof value['field'] === 'string' ? value['field'] : undefined);

    let firstError: { key: string; code: string; detail: Record<string, unknown> } | undefined;
    // In field order, each condition read with the answers of this card accepted so far (a card may
    // hold a field and the one its answer enables: a username and its password).
    for (const field of this.spec.fields) {
      if (!(field.key in value) || (field.when && !field.when(s.values))) continue;
      const raw = value[field.key];
      const result = typeof raw === 'string' ? parseAnswer(this.spec, field, raw, s.values, this.env.today, this.env.context) : fail('type');
      if (result.ok) this.set(field, result.value);
      else if (doubt?.key === field.key && doubt.escrito !== undefined && result.error['escrito'] === doubt.escrito) this.set(field, doubt.escrito); // sent again as it was: meant
      else firstError ??= { key: field.key, code: result.error.code, detail: result.error };
    }
    if (firstError) {
      this.forget(firstError.key); // the bad answer replaces the old one: neither value nor history keeps it
      s.current = firstError.key;
      this.noteDoubt(firstError.key, firstError.code, firstError.detail);
      return this.reask(firstError.code, firstError.detail);
    }
    if (this.accepted.length === 0) return this.reask('empty');
    s.current = undefined;
    return this.advance();
  }

  private onValidated(failure: FieldFailure | undefined): Decision {
    const s = this.state;
    const again = s.rechecking === true;
    delete s.rechecking;
    if (!failure) {
      s.validated = true;
      return this.advance();
    }
    if (!activeFields(this.spec, s.values).some((f) => f.key === failure.field)) {
      throw new Error(`form ${this.spec.id}: validate named ${failure.field}, not a field being asked`);
    }
    const suspects = failure.correct ? this.answered().filter((f) => failure.correct!.includes(f.key)).map((f) => f.key) : [];
    if (suspects.length > 0) {
      // Which answer is wrong is not known: all are kept and shown, and the person picks the one to correct.
      delete s.correcting;
      s.current = undefined;
      s.choosingCorrection = true;
      s.correctionShown = suspects;
      s.correctionWhy = { code: failure.code, ...(failure.detail ? { detail: failure.detail } : {}) };
      return { kind: 'chooseCorrection', fields: suspects, reason: failure.code, ...(failure.detail ? { detail: failure.detail } : {}), ...(again ? { again } : {}) };
    }
    this.forget(failure.field);
    s.current = failure.field;
    if (failure.backLeaves) s.backLeaves = failure.field;
    return this.reask(failure.code, failure.detail ?? {});
  }

  /** The next missing field, else validate (once per set of values), else the review or the end. */
  private advance(): Decision {
    const s = this.state;
    s.choosingCorrection = false;
    delete s.correctionShown;
    delete s.correctionWhy;
    const next = s.current !== undefined ? this.field(s.current) : nextMissingField(this.spec, s.values);
    if (next && this.spec.validate && !s.validated && this.earlyFieldsGiven()) {
      s.current = undefined;
      return { kind: 'validate', values: { ...s.values } };
    }
    if (next) {
      s.current = next.key;
      const stale = s.stale?.[next.key];
      if (!stale) return { kind: 'ask', field: next.key };
      this.unstale(next.key);
      return { kind: 'ask', field: next.key, cambio: { por: stale.por, antes: stale.antes, reason: stale.code, detail: stale.detail } };
    }
    s.current = undefined;
    if (this.spec.validate && !s.validated) return { kind: 'validate', values: { ...s.values } };
    if (this.spec.review === false) return { kind: 'finish', values: { ...s.values } };
    return { kind: 'review' };
  }

  /** The fields an early `validate` reads (spec.validateAfter and those before it) are all given. */
  private earlyFieldsGiven(): boolean {
    const fields = activeFields(this.spec, this.state.values);
    const last = fields.findIndex((f) => f.key === this.spec.validateAfter);
    return last >= 0 && fields.slice(0, last + 1).every((f) => f.key in this.state.values);
  }

  /** At the list of answers a check refused (FieldFailure.correct), rather than at a question or the review's list. */
  private afterFailedCheck(): boolean {
    const s = this.state;
    return this.spec.validate !== undefined && !s.validated && s.current === undefined;
  }

  /** Whether a change of this field makes the values need `validate` again (not a field after an early validation's). */
  private checked(key: string): boolean {
    const after = this.spec.validateAfter;
    if (after === undefined) return true;
    const keys = this.spec.fields.map((f) => f.key);
    return keys.indexOf(key) <= keys.indexOf(after);
  }

  private confirm(): Decision {
    const d = this.advance();
    return d.kind === 'review' ? { kind: 'finish', values: { ...this.state.values } } : d;
  }

  private back(): Decision {
    const s = this.state;
    // After a check that failed, the list is where the person was: back to the last of the answers it refused
    // (an answer given after them, not checked, would only have them checked again).
    const refused = s.choosingCorrection && this.afterFailedCheck() ? s.correctionShown : undefined;
    if (s.choosingCorrection) {
      s.choosingCorrection = false;
      // "atrás" at the review's "¿Qué dato desea corregir?": where the person was (the review, or the question asked).
      if (!refused) return this.advance();
    }
    if (s.backLeaves !== undefined && s.backLeaves === s.current) {
      delete s.backLeaves;
      s.choosingCorrection = false;
      return { kind: 'noPrevious', discard: true };
    }
    const c = s.correcting;
    if (c) {
      // "atrás" while correcting: the correction is dropped, the value as it was.
      delete s.correcting;
      s.values[c.key] = c.value;
      s.history = [...c.history];
      if (c.validated) s.validated = true;
      s.current = c.returnTo;
      return this.advance();
    }
    const previous = refused ? [...s.history].reverse().find((k) => refused.includes(k)) : s.history.at(-1);
    if (!previous) {
      s.choosingCorrection = false;
      return { kind: 'noPrevious' };
    }
    const before = s.values[previous];
    this.forget(previous);
    s.current = previous;
    const next = this.advance();
    const field = this.field(previous);
    const shown = next.kind === 'ask' && next.field === previous && !field.secret && before !== undefined && before !== '';
    if (!shown) return next;
    // "sí" keeps it, unless "sí" answers the question itself (a yes-or-no field).
    const yes = parseAnswer(this.spec, field, 'sí', s.values, this.env.today, this.env.context);
    if (yes.ok && typeof yes.value === 'boolean') return { ...next, antes: before };
    s.kept = { key: previous, value: before };
    return { ...next, antes: before, mantener: true };
  }

  private correct(name: string | undefined): Decision {
    const s = this.state;
    const answered = this.answered();
    const choose = (fields: readonly FieldSpec[]): Decision => {
      s.choosingCorrection = true;
      s.correctionShown = fields.map((f) => f.key);
      delete s.correctionWhy;
      return { kind: 'chooseCorrection', fields: s.correctionShown };
    };
    if (!name) return choose(answered);
    if (this.hasSecret && looksLikeSecret(name)) return this.secretTyped();
    // While a list of fields is shown, a number or an ordinal names one of those, in the order shown.
    const shown = s.choosingCorrection ? answered.filter((f) => s.correctionShown?.includes(f.key)) : [];
    const byNumber = shown.length > 0 ? findFields(this.spec, shown, name, 'number') : [];
    const found = byNumber.length > 0 ? byNumber : findFields(this.spec, answered, name);
    if (found.length > 1) return choose(found);
    const [target] = found;
    if (!target) {
      // "corregir razón social" at the razón social's own question: it is asked again.
      const asking = s.current !== undefined && !(s.current in s.values) ? this.field(s.current) : undefined;
      if (asking && findFields(this.spec, [asking], name).length === 1) {
        s.choosingCorrection = false;
        return this.advance();
      }
      // The new answer itself typed at the list ("ana.gomez@gmail.com" at "¿Qué dato desea corregir?"): the one listed field it fits.
      const fits = shown.flatMap((f) => {
        if (f.secret || f.prose) return [];
        const r = parseAnswer(this.spec, f, name, s.values, this.env.today, this.env.context);
        return r.ok ? [{ field: f, value: r.value }] : [];
      });
      const [only, ...others] = fits;
      if (only && others.length === 0) {
        this.set(only.field, only.value);
        return this.advance();
      }
      return { kind: 'unknownField', name: name.slice(0, 40), fields: answered.map((f) => f.key) };
    }
    s.correcting = {
      key: target.key,
      value: s.values[target.key],
      history: [...s.history],
      ...(s.current !== undefined ? { returnTo: s.current } : {}),
      ...(s.validated ? { validated: true } : {}),
    };
    this.forget(target.key);
    s.current = target.key;
    return this.advance();
  }

  /** A password typed in the chat: kept nowhere, not echoed, and the message is to be retracted. */
  private secretTyped(): Decision {
    const s = this.state;
    s.choosingCorrection = false;
    const atSecret = s.current !== undefined && this.field(s.current).secret;
    return this.reask(atSecret ? 'secret_typed' : 'secret_typed.elsewhere', {}, true);
  }

  private reask(reason: string, detail: Readonly<Record<string, unknown>> = {}, retract = false): Decision {
    return { kind: 'reask', field: this.state.current, reason, detail, ...(retract ? { retract } : {}) };
  }

  // ---------------------------------------------------------------- values

  /** Several fields' raw answers at once (FieldSpec.alsoFills), in field order: all are taken, or none. */
  private acceptAll(raw: Readonly<Record<string, string>>): boolean {
    const values = { ...this.state.values };
    const parsed: [FieldSpec, unknown][] = [];
    for (const f of this.spec.fields) {
      const text = raw[f.key];
      if (text === undefined || f.secret) continue;
      const r = parseAnswer(this.spec, f, text, values, this.env.today, this.env.context);
      if (!r.ok) return false;
      values[f.key] = r.value;
      parsed.push([f, r.value]);
    }
    for (const [f, v] of parsed) this.set(f, v);
    return parsed.length > 0;
  }

  private field(key: string): FieldSpec {
    const f = this.spec.fields.find((x) => x.key === key);
    if (!f) throw new Error(`form ${this.spec.id}: unknown field ${key}`);
    return f;
  }

  private set(field: FieldSpec, value: unknown): void {
    const s = this.state;
    delete s.correcting; // an answer ends a correction
    delete s.backLeaves; // and the re-ask that "atrás" would leave
    s.values[field.key] = field.secret ? this.env.seal(String(value)) : value;
    s.history = [...s.history.filter((k) => k !== field.key), field.key];
    this.unstale(field.key);
    if (this.checked(field.key)) s.validated = false;
    this.accepted.push(field.key);
    this.revalidate(field.key);
  }

  /** The reason `key` was dropped, said or no longer needed (a new object: the given state is never changed). */
  private unstale(key: string): void {
    const s = this.state;
    if (!s.stale || !(key in s.stale)) return;
    const { [key]: _said, ...rest } = s.stale;
    if (Object.keys(rest).length > 0) s.stale = rest;
    else delete s.stale;
  }

  private forget(key: string): void {
    const s = this.state;
    delete s.values[key];
    s.history = s.history.filter((k) => k !== key);
    if (this.checked(key)) s.validated = false;
  }

  /** After a change, drops other answers that no longer fit (e.g. the number after a new document type). */
  revalidate(changed: string): void {
    const s = this.state;
    for (const { key, refused } of staleAnswers(this.spec, s.values, changed, this.env.today, this.env.context)) {
      // Why it is asked again, when an answer (not a resumed draft: `changed` '') made its parser refuse it;
      // not for a confirmation that repeats the changed answer (its own question says what to do).
      if (refused && changed !== '' && this.field(key).inReview !== false) s.stale = { ...s.stale, [key]: { por: changed, antes: s.values[key], code: refused.code, detail: { ...refused.detail } } };
      this.forget(key);
    }
  }
}
