/**
 * One shape for every list of options: buttons (imBack, so a tap arrives as the option's text) with a
 * numbered text fallback, and one reading of the answer (domain/choice) with a Spanish re-ask.
 */
import { ActionTypes, CardFactory, type Activity, type Attachment } from 'botbuilder';
import { TextPrompt, type PromptOptions } from 'botbuilder-dialogs';
import { matchChoice } from '../domain/choice.js';
import { parseCommand } from '../domain/commands.js';
import { render } from '../templates/render.js';
import { message } from './cards.js';

export interface ChoiceLook {
  /** Also list the options with their numbers in the message text (when the person is asked for a number). */
  readonly numbered?: boolean;
  /** 0-based indices of the options to show (default: all); numbers stay those of the whole list. */
  readonly show?: readonly number[];
}

/**
 * What the person meant (the 0-based index), or the re-ask to send: `error` is complete on its own
 * (why, and the options worth showing with their numbers); `show` are those options.
 */
export type ChoiceReading =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly error: string; readonly show: readonly number[] };

const all = (labels: readonly string[]) => labels.map((_, i) => i);

/** "1. Sanitas\n2. Nueva EPS", numbered as in the whole list. */
export function numberedList(labels: readonly string[], show: readonly number[] = all(labels)): string {
  return show.map((i) => `${i + 1}. ${labels[i]}`).join('\n');
}

/** A hero card of imBack buttons (one per option, its value the label) with the numbered list as fallback. */
export function choiceCard(labels: readonly string[], show: readonly number[] = all(labels)): Attachment {
  const shown = show.map((i) => labels[i] as string);
  const hero = CardFactory.heroCard('', undefined, shown.map((t) => ({ type: ActionTypes.ImBack, title: t, value: t })));
  (hero.content as Record<string, unknown>)['fallbackText'] = numberedList(labels, show);
  return hero;
}

/** A question with its options as buttons. */
export function choiceActivity(text: string, labels: readonly string[], look: ChoiceLook = {}): Partial<Activity> {
  const show = look.show ?? all(labels);
  return message(look.numbered ? `${text}\n\n${numberedList(labels, show)}` : text, choiceCard(labels, show));
}

/** Reads a typed answer or a card value (the label); anything else is not an answer. */
export function readChoice(answer: unknown, labels: readonly string[]): ChoiceReading {
  const m = matchChoice(typeof answer === 'string' ? answer : '', labels);
  if (m.kind === 'match') return { ok: true, value: m.index };
  const opciones = (show: readonly number[]) => show.map((i) => ({ numero: i + 1, titulo: labels[i] }));
  if (m.kind === 'ambiguous') {
    const error = render('general/opcion-ambigua', { respuesta: String(answer).slice(0, 80), opciones: opciones(m.indices) });
    return { ok: false, error, show: m.indices };
  }
  const numero = m.reason === 'out-of-range' ? String(answer).replace(/\D/g, '').slice(0, 6) : undefined;
  return { ok: false, error: render('general/opcion-invalida', { numero, total: labels.length, opciones: opciones(all(labels)) }), show: all(labels) };
}

/** The question again after a re-ask: the question, then why and the numbered options, with the buttons of those options. */
export function reaskActivity(question: string, reading: Extract<ChoiceReading, { ok: false }>, labels: readonly string[]): Partial<Activity> {
  return choiceActivity(`${question}\n\n${reading.error}`, labels, { show: reading.show });
}

interface ChoiceValidations {
  readonly question: string;
  readonly labels: readonly string[];
  readonly back?: boolean;
}

/**
 * The prompt options that ask `text` with `labels` as choices (for a ChoicePrompt). With `back`, "atrás"
 * is an answer too: `wentBack(step.result)` tells the step to return to where the person came from.
 */
export function choicePrompt(text: string, labels: readonly string[], look: ChoiceLook = {}, opts: { back?: boolean } = {}): PromptOptions {
  return { prompt: choiceActivity(text, labels, look), validations: { question: text, labels, ...(opts.back ? { back: true } : {}) } satisfies ChoiceValidations };
}

/** The person answered "atrás" (or "volver", "anterior") to a choice asked with `back`. */
export function wentBack(result: unknown): boolean {
  return typeof result === 'string' && parseCommand(result)?.kind === 'atras';
}

/**
 * The one choice prompt: waits for an answer that reads as one of the options (number, label, a
 * unique word or prefix); anything else gets the Spanish re-ask with the options again. Its result is
 * the answer's text: `chosen(step.result, labels)` gives the index.
 */
export class ChoicePrompt extends TextPrompt {
  constructor(id: string) {
    super(id, async (p) => {
      const { question, labels, back } = p.options.validations as ChoiceValidations;
      if (back && wentBack(p.recognized.value)) return true;
      const reading = readChoice(p.recognized.value ?? '', labels);
      if (reading.ok) return true;
      await p.context.sendActivity(reaskActivity(question, reading, labels)); // the prompt then stays silent
      return false;
    });
  }
}

/** The index of the option a ChoicePrompt accepted. */
export function chosen(result: unknown, labels: readonly string[]): number {
  const reading = readChoice(result, labels);
  if (!reading.ok) throw new Error('a ChoicePrompt result must read as one of its options');
  return reading.value;
}
