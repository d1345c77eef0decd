/** How a form's state is shown: the question for the current field (text, choice buttons or a card) or the review. */
import { ActionTypes, CardFactory, type Activity, type Attachment } from 'botbuilder';
import { fill, messages } from '../../templates/render.js';
import { card, message, submit, textBlock, type CardElement } from '../cards.js';
import type { FormState } from './engine.js';
import { activeFields, fieldTexts, formTexts, isSealed, untyped, type FieldSpec, type FormSpec, type FormValues } from './form-spec.js';

const DATE_ISO = /^\d{4}-\d{2}-\d{2}$/;

/** The shared texts of every form (templates/es/formularios/comun.json). */
export function common(key: string): string {
  const text = messages<Record<string, string>>('formularios/comun')[key];
  if (text === undefined) throw new Error(`formularios/comun: no text ${key}`);
  return text;
}

/** The text of a reason code: the form's own `motivos`, else the shared list, else the generic one. */
export function reasonText<T>(spec: FormSpec<T>, code: string, detail: Readonly<Record<string, unknown>> = {}): string {
  const own = formTexts(spec).motivos?.[code];
  const shared = messages<Record<string, string>>('formularios/motivos');
  return fill(own ?? shared[code] ?? shared['type'] ?? '', detail);
}

export const labelOf = <T>(spec: FormSpec<T>, key: string): string => fieldTexts(spec, key).etiqueta;

function fieldOf(spec: FormSpec, key: string): FieldSpec {
  const f = spec.fields.find((x) => x.key === key);
  if (!f) throw new Error(`form ${spec.id}: unknown field ${key}`);
  return f;
}

/** The lead of a question asked again after "atrás": what the person had answered (cut if long); `mantener`: that "sí" keeps it. */
export function answeredBefore<T>(typed: FormSpec<T>, key: string, value: unknown, mantener = false): string | undefined {
  const spec = untyped(typed);
  const field = fieldOf(spec, key);
  if (field.secret || isSealed(value)) return undefined;
  const shown = display(spec, field, value).replace(/\s+/g, ' ');
  return fill(common('antes'), { valor: shown.length > 80 ? `${shown.slice(0, 79)}…` : shown, mantener });
}

/**
 * The lead of a question asked again because another answer changed and this one no longer fits:
 * which answer changed, what this one was (not a secret's) and why it no longer fits.
 */
export function changedAnswerNote<T>(typed: FormSpec<T>, key: string, cambio: { por: string; antes: unknown; reason: string; detail: Readonly<Record<string, unknown>> }): string {
  const spec = untyped(typed);
  const field = fieldOf(spec, key);
  const antes = field.secret || isSealed(cambio.antes) ? '' : display(spec, field, cambio.antes).replace(/\s+/g, ' ');
  return fill(common('ya-no-corresponde'), {
    por: labelOf(spec, cambio.por),
    campo: labelOf(spec, key),
    antes: antes.length > 80 ? `${antes.slice(0, 79)}…` : antes,
    motivo: reasonText(spec, cambio.reason, cambio.detail),
  });
}

/** The lead of a question asked again because the answer changed another field instead ("cc" at the number: the document type). */
export function otherAnswerNote<T>(typed: FormSpec<T>, key: string, value: unknown): string {
  const spec = untyped(typed);
  return fill(common('otra-respuesta'), { campo: labelOf(spec, key), valor: display(spec, fieldOf(spec, key), value).replace(/\s+/g, ' ') });
}

function display(spec: FormSpec, field: FieldSpec, value: unknown, values: FormValues = {}): string {
  if (field.secret || isSealed(value)) return formTexts(spec).revision?.secreto ?? common('secreto-mascara');
  if (value === '' || value === undefined) return common('vacio-opcional');
  if (field.display) return field.display(value, values);
  const option = fieldTexts(spec, field.key).opciones?.find((o) => o.valor === value);
  if (option) return option.titulo;
  if (typeof value === 'string' && DATE_ISO.test(value)) return value.split('-').reverse().join('/');
  return String(value);
}

/**
 * The activities that ask for the current field, or show the review when none is being asked;
 * `again`: after a reason, with the field's short question when it has one.
 */
export function promptFor<T>(typed: FormSpec<T>, state: FormState, again = false, known: Readonly<Record<string, string>> = {}): Partial<Activity>[] {
  const spec = untyped(typed);
  // The answers a check refused, while the person picks the one to correct: the list with its reason, not the review.
  const why = state.choosingCorrection ? state.correctionWhy : undefined;
  if (state.current === undefined && why && state.correctionShown) {
    return [correctionChoice(typed, state.correctionShown, { lead: reasonText(typed, why.code, why.detail), values: state.values })];
  }
  if (state.current === undefined) return [reviewMessage(spec, state)];
  const field = fieldOf(spec, state.current);
  const texts = fieldTexts(spec, field.key);
  // `known`: what the form's parent passed (FormOptions.context), which a question may name ("La sede principal es …").
  const asked = fill((again && texts.repregunta) || texts.pregunta, known);
  const question = [asked, field.optional ? common('opcional') : undefined].filter(Boolean).join(' ');
  const send = submit(common('enviar'), { __form: spec.id }, 'positive');

  const group = groupShown(spec, state);
  if (group) {
    const body: CardElement[] = [textBlock(formTexts(spec).titulo, { weight: 'Bolder', size: 'Medium' })];
    for (const key of group) body.push(...inputFor(spec, fieldOf(spec, key)));
    return [message(`${common('tarjeta-o-texto')} ${question}`, card(body, [send], question))];
  }
  if (field.secret) return [message(question, card(inputFor(spec, field), [send], question))];
  if (texts.opciones) {
    const list = texts.opciones.map((o, i) => `${i + 1}. ${o.titulo}`).join('; ');
    return [message(question, choiceButtons(texts.opciones.map((o) => o.titulo), fill(common('opciones-texto'), { opciones: list })))];
  }
  return [message(question)];
}

/** The fields offered together in one card now: a card group that starts at the current field, all of it missing. */
function groupShown(spec: FormSpec, state: FormState): readonly string[] | undefined {
  const current = state.current;
  if (current === undefined || fieldOf(spec, current).secret) return undefined;
  return spec.cardGroups?.find((g) => g[0] === current && g.every((k) => !(k in state.values)));
}

/** True when the prompt for this state is a card with a masked input. */
export function asksSecret<T>(typed: FormSpec<T>, state: FormState): boolean {
  const spec = untyped(typed);
  if (state.current === undefined) return false;
  const keys = groupShown(spec, state) ?? [state.current];
  return keys.some((k) => fieldOf(spec, k).secret === true);
}

function reviewMessage(spec: FormSpec, state: FormState): Partial<Activity> {
  const own = formTexts(spec).revision;
  const rows = activeFields(spec, state.values)
    .filter((f) => f.inReview !== false)
    .map((f) => ({ etiqueta: fieldTexts(spec, f.key).etiqueta, valor: display(spec, f, state.values[f.key], state.values) }));
  // "corregir <one of this form's fields>", the last one listed, as the example of a correction.
  const ejemplo = rows.at(-1)?.etiqueta.toLocaleLowerCase('es-CO') ?? '';
  const reviewCard = card(
    [textBlock(own?.titulo ?? common('revision-titulo'), { weight: 'Bolder', size: 'Medium' }), ...rows.flatMap(reviewRow)],
    [
      submit(common('confirmar'), { __form: spec.id, __action: 'confirmar' }, 'positive'),
      submit(common('corregir'), { __form: spec.id, __action: 'corregir' }),
    ],
    fill(common('revision-texto'), { filas: rows, ejemplo }),
  );
  return message(own?.intro ?? fill(common('revision-intro'), { ejemplo }), reviewCard);
}

/**
 * One answer of the review: "**Label:** value" on one line, or the label and then the value's lines in
 * monospace when it has several (a JSON example). TextRuns, not TextBlocks: the person's text is shown
 * as typed, never read as Markdown (no "*" turned bold, no straight quotes turned typographic), and no
 * FactSet (Web Chat squeezes its label column letter by letter).
 */
const REVIEW_LINES = 30;

function reviewRow(row: { etiqueta: string; valor: string }, i: number): CardElement[] {
  const spacing = i === 0 ? 'Medium' : 'Small';
  const label = { type: 'TextRun', text: `${row.etiqueta}:`, weight: 'Bolder' };
  if (!row.valor.includes('\n')) return [{ type: 'RichTextBlock', spacing, inlines: [label, { type: 'TextRun', text: ` ${row.valor}` }] }];
  const lines = row.valor.split('\n');
  const shown = lines.length > REVIEW_LINES ? [...lines.slice(0, REVIEW_LINES - 1), fill(common('revision-mas-lineas'), { n: lines.length - REVIEW_LINES + 1 })] : lines;
  return [
    { type: 'RichTextBlock', spacing, inlines: [label] },
    { type: 'RichTextBlock', spacing: 'None', inlines: [{ type: 'TextRun', text: shown.join('\n'), fontType: 'Monospace' }] },
  ];
}

/** The list of answered fields to choose one to correct. */
export function correctionChoice<T>(typed: FormSpec<T>, keys: readonly string[], why?: { readonly lead: string; readonly values: FormValues }): Partial<Activity> {
  const spec = untyped(typed);
  const labels = keys.map((k) => labelOf(spec, k));
  const buttons = keys.map((k, i) => submit(labels[i] as string, { __form: spec.id, __action: 'corregir', field: k }));
  const text = fill(common('cual-corregir'), { campos: labels.join(', ') });
  if (!why) return message(text, card([], buttons, text));
  // After a check that failed: why, and the answers as they are, so the person sees which one is wrong.
  const rows = keys.map((k) => ({ etiqueta: labelOf(spec, k), valor: display(spec, fieldOf(spec, k), why.values[k], why.values) }));
  const fallback = [why.lead, ...rows.map((r) => `${r.etiqueta}: ${r.valor}`), text].join('\n');
  return message(`${why.lead}\n\n${text}`, card(rows.flatMap(reviewRow), buttons, fallback));
}

function choiceButtons(titles: string[], fallback: string): Attachment {
  const heroCard = CardFactory.heroCard('', undefined, titles.map((t) => ({ type: ActionTypes.ImBack, title: t, value: t })), { text: '' });
  (heroCard.content as Record<string, unknown>)['fallbackText'] = fallback;
  return heroCard;
}

function inputFor(spec: FormSpec, field: FieldSpec): CardElement[] {
  const texts = fieldTexts(spec, field.key);
  const label = texts.etiqueta;
  const required = field.optional ? { isRequired: false } : { isRequired: true, errorMessage: common('obligatorio') };
  if (texts.opciones) {
    const choices = texts.opciones.map((o) => ({ title: o.titulo, value: o.valor }));
    return [{ type: 'Input.ChoiceSet', id: field.key, label, style: 'compact', ...required, choices }];
  }
  return [
    {
      type: 'Input.Text',
      id: field.key,
      label,
      placeholder: texts.placeholder ?? '',
      ...required,
      maxLength: field.maxLength ?? 200,
      ...(field.multiline ? { isMultiline: true } : {}),
      ...(field.secret ? { style: 'Password' } : {}),
    },
  ];
}
