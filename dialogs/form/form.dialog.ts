/**
 * The generic form dialog: asks for the next missing field, accepts a typed answer or an
 * Adaptive Card submit filling several fields, re-asks with the parser's reason, supports
 * "atrás" / "corregir <campo>" / "ayuda", and ends on a review (Confirmar / Corregir).
 */
import {
  ActionTypes,
  CardFactory,
  type Attachment,
  type TurnContext,
} from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { parseCommand } from '../../domain/commands.js';
import { answerYesNo, isSkipAnswer } from '../../domain/fields.js';
import type { Clock, SecretBox } from '../../domain/ports.js';
import { searchFunctionalities } from '../../domain/search.js';
import { fold } from '../../domain/text.js';
import { fill, messages, render } from '../../templates/render.js';
import { card, message, submit, textBlock, type CardElement } from '../cards.js';
import { incomingText, incomingValue } from '../incoming.js';
import {
  activeFields,
  assertFormTexts,
  fieldTexts,
  formTexts,
  nextMissingField,
  type FieldSpec,
  type FormSpec,
} from './form-spec.js';

/** A sealed secret as kept in conversation state. */
export interface SealedValue {
  readonly $sealed: string;
}
export const isSealed = (v: unknown): v is SealedValue =>
  typeof v === 'object' && v !== null && typeof (v as SealedValue).$sealed === 'string';

export interface FormState {
  values: Record<string, unknown>;
  /** Keys in the order they were answered ("atrás" walks back through it). */
  history: string[];
  /** The field being asked, if any; undefined while reviewing. */
  current?: string;
  /** True while showing the field list after "corregir". */
  choosingCorrection?: boolean;
}

export interface FormOptions {
  /** Values known beforehand (e.g. from a previous attempt). */
  readonly initial?: Record<string, unknown>;
}

/** What a completed form returns to its parent. */
export interface FormResult {
  readonly formId: string;
  readonly values: Record<string, unknown>;
}

interface CommonTexts {
  [k: string]: string;
}

const STATE_KEY = 'form';
const DATE_ISO = /^\d{4}-\d{2}-\d{2}$/;

export class FormDialog extends Dialog<FormOptions> {
  constructor(
    readonly spec: FormSpec,
    private readonly deps: { clock: Clock; secrets: SecretBox },
  ) {
    super(spec.id);
    assertFormTexts(spec);
  }

  override async beginDialog(dc: DialogContext, options?: FormOptions): Promise<DialogTurnResult> {
    const state: FormState = { values: { ...(options?.initial ?? {}) }, history: [] };
    dc.activeDialog!.state[STATE_KEY] = state;
    const intro = formTexts(this.spec).intro;
    if (intro) await dc.context.sendActivity(intro);
    return this.askNext(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const value = incomingValue(dc.context);
    if (value && value['__form'] === this.spec.id) return this.onSubmit(dc, state, value);
    const text = incomingText(dc.context);
    if (text === undefined) return this.reask(dc, state, 'type');

    const command = parseCommand(text);
    if (command?.kind === 'ayuda') return this.help(dc, state);
    if (command?.kind === 'atras') return this.back(dc, state);
    if (command?.kind === 'corregir') return this.correct(dc, state, command.field);

    if (state.choosingCorrection) return this.correct(dc, state, text);
    if (state.current === undefined) return this.onReviewText(dc, state, text);

    const field = this.field(state.current);
    if (field.secret) return this.reask(dc, state, 'secret_typed');
    const result = this.parseField(field, text, state.values);
    if (!result.ok) return this.reask(dc, state, result.error.code, result.error);
    this.setValue(state, field, result.value);
    state.current = undefined;
    return this.askNext(dc, state);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state[STATE_KEY] as FormState;
    for (const activity of this.promptFor(state)) await context.sendActivity(activity);
  }

  // ---------------------------------------------------------------- steps

  private async askNext(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    state.choosingCorrection = false;
    const next = state.current ? this.field(state.current) : nextMissingField(this.spec, state.values);
    state.current = next?.key;
    if (!next && this.spec.review === false) return this.finish(dc, state);
    for (const activity of this.promptFor(state)) await dc.context.sendActivity(activity);
    return Dialog.EndOfTurn;
  }

  private async reask(dc: DialogContext, state: FormState, reason: string, detail: Record<string, unknown> = {}): Promise<DialogTurnResult> {
    const lead = fill(this.reasonText(reason), detail);
    const [first, ...rest] = this.promptFor(state);
    if (first) await dc.context.sendActivity({ ...first, text: `${lead} ${first.text ?? ''}`.trim() });
    for (const activity of rest) await dc.context.sendActivity(activity);
    return Dialog.EndOfTurn;
  }

  private async onSubmit(dc: DialogContext, state: FormState, value: Record<string, unknown>): Promise<DialogTurnResult> {
    const action = value['__action'];
    if (action === 'confirmar' && state.current === undefined && !state.choosingCorrection) return this.finish(dc, state);
    if (action === 'corregir') return this.correct(dc, state, typeof value['field'] === 'string' ? value['field'] : undefined);

    let saved = 0;
    let firstError: { key: string; code: string; detail: Record<string, unknown> } | undefined;
    for (const field of activeFields(this.spec, state.values)) {
      if (!(field.key in value)) continue;
      const raw = value[field.key];
      const result =
        typeof raw !== 'string' ? { ok: false as const, error: { code: 'type' } } : this.parseField(field, raw, state.values);
      if (result.ok) {
        this.setValue(state, field, result.value);
        saved++;
      } else if (!firstError) {
        firstError = { key: field.key, code: result.error.code, detail: result.error };
      }
    }
    if (firstError) {
      delete state.values[firstError.key];
      state.current = firstError.key;
      return this.reask(dc, state, firstError.code, firstError.detail);
    }
    if (saved === 0) return this.reask(dc, state, 'empty');
    state.current = undefined;
    return this.askNext(dc, state);
  }

  private async onReviewText(dc: DialogContext, state: FormState, text: string): Promise<DialogTurnResult> {
    if (answerYesNo(text) === true) return this.finish(dc, state);
    const common = this.common();
    await dc.context.sendActivity(common['revision-reintentar'] as string);
    return this.askNext(dc, state);
  }

  private async finish(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    const missing = nextMissingField(this.spec, state.values);
    if (missing) return this.askNext(dc, state);
    const result: FormResult = { formId: this.spec.id, values: { ...state.values } };
    return dc.endDialog(result);
  }

  private async back(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    const previous = state.history.pop();
    if (!previous) {
      await dc.context.sendActivity(this.common()['sin-anterior'] as string);
      return this.askNext(dc, state);
    }
    delete state.values[previous];
    state.current = previous;
    return this.askNext(dc, state);
  }

  private async correct(dc: DialogContext, state: FormState, fieldName?: string): Promise<DialogTurnResult> {
    const answered = activeFields(this.spec, state.values).filter((f) => f.key in state.values);
    const labels = answered.map((f) => fieldTexts(this.spec, f.key).etiqueta);
    if (!fieldName) {
      state.choosingCorrection = true;
      const common = this.common();
      const buttons = answered.map((f) =>
        submit(fieldTexts(this.spec, f.key).etiqueta, { __form: this.spec.id, __action: 'corregir', field: f.key }),
      );
      const text = fill(common['cual-corregir'] as string, { campos: labels.join(', ') });
      await dc.context.sendActivity(message(text, card([], buttons, text)));
      return Dialog.EndOfTurn;
    }
    const target = this.findField(answered, fieldName);
    if (!target) {
      const text = fill(this.common()['campo-desconocido'] as string, { campo: fieldName.slice(0, 40), campos: labels.join(', ') });
      await dc.context.sendActivity(text);
      if (state.choosingCorrection) return Dialog.EndOfTurn;
      return this.askNext(dc, state);
    }
    delete state.values[target.key];
    state.history = state.history.filter((k) => k !== target.key);
    state.current = target.key;
    return this.askNext(dc, state);
  }

  private async help(dc: DialogContext, state: FormState): Promise<DialogTurnResult> {
    const ayuda = state.current ? fieldTexts(this.spec, state.current).ayuda : undefined;
    const parts = [ayuda, render('general/contactos')].filter(Boolean);
    await dc.context.sendActivity(parts.join('\n\n'));
    return this.askNext(dc, state);
  }

  // ---------------------------------------------------------------- helpers

  private state(dc: DialogContext): FormState {
    return dc.activeDialog!.state[STATE_KEY] as FormState;
  }

  private field(key: string): FieldSpec {
    const f = this.spec.fields.find((x) => x.key === key);
    if (!f) throw new Error(`form ${this.spec.id}: unknown field ${key}`);
    return f;
  }

  private common(): CommonTexts {
    return messages<CommonTexts>('formularios/comun');
  }

  private reasonText(code: string): string {
    const own = formTexts(this.spec).motivos?.[code];
    const shared = messages<Record<string, string>>('formularios/motivos');
    return own ?? shared[code] ?? shared['type'] ?? '';
  }

  /** Matches a field by its label or key, tolerating accents and small typos. */
  private findField(fields: readonly FieldSpec[], name: string): FieldSpec | undefined {
    const exact = fields.find((f) => f.key === name);
    if (exact) return exact;
    const items = fields.map((f) => ({ id: f.key, title: fieldTexts(this.spec, f.key).etiqueta, keywords: [] as string[] }));
    const [hit] = searchFunctionalities(name, items, 1, 0.75);
    return hit ? this.field(hit.item.id) : undefined;
  }

  /** Maps a typed choice (its value, its title or its number) to the option value, then runs the parser. */
  private parseField(field: FieldSpec, raw: string, values: Record<string, unknown>) {
    if (raw.length > 2000) return { ok: false as const, error: { code: 'too_long' } };
    let input = raw;
    const options = fieldTexts(this.spec, field.key).opciones;
    if (options) {
      const t = fold(raw);
      const n = Number(t);
      const byIndex = Number.isInteger(n) && n >= 1 && n <= options.length ? options[n - 1] : undefined;
      const match = byIndex ?? options.find((o) => fold(o.valor) === t || fold(o.titulo) === t);
      if (match) input = match.valor;
    }
    if (field.optional && isSkipAnswer(input)) return { ok: true as const, value: '' };
    return field.parse(input, { values, today: this.deps.clock.now() });
  }

  private setValue(state: FormState, field: FieldSpec, value: unknown): void {
    state.values[field.key] = field.secret ? { $sealed: this.deps.secrets.seal(String(value)) } : value;
    state.history = [...state.history.filter((k) => k !== field.key), field.key];
    this.revalidate(state, field.key);
  }

  /** After a change, drops later answers that no longer fit (e.g. number after a new document type). */
  private revalidate(state: FormState, changed: string): void {
    for (const f of this.spec.fields) {
      if (f.key === changed || f.secret || !(f.key in state.values)) continue;
      if (f.when && !f.when(state.values)) {
        delete state.values[f.key];
        continue;
      }
      const v = state.values[f.key];
      if (typeof v !== 'string' || v === '') continue;
      const r = f.parse(v, { values: state.values, today: this.deps.clock.now() });
      if (!r.ok) {
        delete state.values[f.key];
        state.history = state.history.filter((k) => k !== f.key);
      }
    }
  }

  private display(field: FieldSpec, value: unknown): string {
    const common = this.common();
    if (field.secret) return common['secreto-mascara'] as string;
    if (value === '' || value === undefined) return common['vacio-opcional'] as string;
    if (field.display) return field.display(value);
    const option = fieldTexts(this.spec, field.key).opciones?.find((o) => o.valor === value);
    if (option) return option.titulo;
    if (typeof value === 'string' && DATE_ISO.test(value)) return value.split('-').reverse().join('/');
    return String(value);
  }

  /** The activities that ask for the current field, or show the review when none is missing. */
  private promptFor(state: FormState): Partial<import('botbuilder').Activity>[] {
    const common = this.common();
    if (!state.current) {
      const rows = activeFields(this.spec, state.values).filter((f) => f.inReview !== false).map((f) => ({
        etiqueta: fieldTexts(this.spec, f.key).etiqueta,
        valor: this.display(f, state.values[f.key]),
      }));
      const fallback = fill(common['revision-texto'] as string, { filas: rows });
      const reviewCard = card(
        [
          textBlock(common['revision-titulo'] as string, { weight: 'Bolder', size: 'Medium' }),
          { type: 'FactSet', facts: rows.map((r) => ({ title: r.etiqueta, value: r.valor })) },
        ],
        [
          submit(common['confirmar'] as string, { __form: this.spec.id, __action: 'confirmar' }, 'positive'),
          submit(common['corregir'] as string, { __form: this.spec.id, __action: 'corregir' }),
        ],
        fallback,
      );
      return [message(common['revision-intro'] as string, reviewCard)];
    }
    const field = this.field(state.current);
    const texts = fieldTexts(this.spec, field.key);
    const question = [texts.pregunta, field.optional ? common['opcional'] : undefined].filter(Boolean).join(' ');

    const group = this.spec.cardGroups?.find((g) => g[0] === field.key && g.every((k) => !(k in state.values)));
    if (group && !field.secret) {
      const body: CardElement[] = [textBlock(formTexts(this.spec).titulo, { weight: 'Bolder', size: 'Medium' })];
      for (const key of group) body.push(...this.inputFor(this.field(key)));
      const groupCard = card(body, [submit(common['enviar'] as string, { __form: this.spec.id }, 'positive')], question);
      return [message(`${common['tarjeta-o-texto']} ${question}`, groupCard)];
    }
    if (field.secret) {
      const secretCard = card(this.inputFor(field), [submit(common['enviar'] as string, { __form: this.spec.id }, 'positive')], question);
      return [message(question, secretCard)];
    }
    if (texts.opciones) {
      const list = texts.opciones.map((o, i) => `${i + 1}. ${o.titulo}`).join('; ');
      const hero = this.choiceButtons(texts.opciones.map((o) => o.titulo), fill(common['opciones-texto'] as string, { opciones: list }));
      return [message(question, hero)];
    }
    return [message(question)];
  }

  private choiceButtons(titles: string[], fallback: string): Attachment {
    const heroCard = CardFactory.heroCard(
      '',
      undefined,
      titles.map((t) => ({ type: ActionTypes.ImBack, title: t, value: t })),
      { text: '' },
    );
    (heroCard.content as Record<string, unknown>)['fallbackText'] = fallback;
    return heroCard;
  }

  private inputFor(field: FieldSpec): CardElement[] {
    const texts = fieldTexts(this.spec, field.key);
    const label = texts.etiqueta;
    const required = field.optional ? { isRequired: false } : { isRequired: true, errorMessage: this.common()['obligatorio'] };
    if (texts.opciones) {
      return [
        {
          type: 'Input.ChoiceSet',
          id: field.key,
          label,
          style: 'compact',
          ...required,
          choices: texts.opciones.map((o) => ({ title: o.titulo, value: o.valor })),
        },
      ];
    }
    return [
      {
        type: 'Input.Text',
        id: field.key,
        label,
        placeholder: texts.placeholder ?? '',
        ...required,
        maxLength: 200,
        ...(field.secret ? { style: 'Password' } : {}),
      },
    ];
  }
}
