/**
 * One shape for every list of options: buttons (imBack, so a tap arrives as the option's text) with a
 * numbered text fallback, and one reading of the answer (domain/choice) with a Spanish re-ask.
 */
import { ActionTypes, CardFactory, type Activity, type Attachment, type TurnContext } from 'botbuilder';
import { TextPrompt, type PromptOptions } from 'botbuilder-dialogs';
import { matchAlias, matchChoice } from '../domain/choice.js';
import { asksAboutTheQuestion, courtesyOf, parseCommand, saysNone } from '../domain/commands.js';
import { fold, isSentence } from '../domain/text.js';
import { render } from '../templates/render.js';
import { message } from './cards.js';
import { staleButtonNote } from './shown-buttons.js';

export interface ChoiceLook {
  /** Also list the options with their numbers in the message text (when the person is asked for a number). */
  readonly numbered?: boolean;
  /**
   * 0-based indices of the options to show (default: all). A part of the list is numbered from 1 in the
   * order shown (a list numbered "3., 6." is shown "3., 4." by Markdown): give the same `show` to
   * readChoice for the next answer, so that its numbers mean those.
   */
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

/** "1. Sanitas\n2. Nueva EPS": the options shown, numbered from 1 in that order. */
export function numberedList(labels: readonly string[], show: readonly number[] = all(labels)): string {
  return show.map((i, k) => `${k + 1}. ${labels[i]}`).join('\n');
}

/** True when `shown` is a part of the list, so that its numbers are its own (see ChoiceLook.show). */
const isPart = (labels: readonly string[], shown: readonly number[] | undefined): shown is readonly number[] =>
  shown !== undefined && shown.length > 0 && shown.length < labels.length;

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
  // No option to show (a question answered by typing, e.g. a CCF's name with none suggested): no empty card.
  return message(look.numbered && show.length > 0 ? `${text}\n\n${numberedList(labels, show)}` : text, show.length > 0 ? choiceCard(labels, show) : undefined);
}

/**
 * Reads a typed answer or a card value (the label); anything else is not an answer. `shown`: the
 * options the last message showed, when only some (the re-ask after an ambiguous answer): a number
 * then means one of those, as they were numbered; words and labels still read against every option.
 */
export function readChoice(answer: unknown, labels: readonly string[], shown?: readonly number[]): ChoiceReading {
  const text = typeof answer === 'string' ? answer : '';
  const opciones = (show: readonly number[]) => show.map((i, k) => ({ numero: k + 1, titulo: labels[i] }));
  if (isPart(labels, shown)) {
    const byNumber = matchChoice(text, shown.map((i) => labels[i] as string));
    if (byNumber.kind === 'match' && byNumber.by === 'number') return { ok: true, value: shown[byNumber.index] as number };
    if (byNumber.kind === 'none' && byNumber.reason === 'out-of-range') {
      const numero = text.replace(/\D/g, '').slice(0, 6);
      return { ok: false, error: render('general/opcion-invalida', { numero, total: shown.length, opciones: opciones(shown) }), show: shown };
    }
  }
  const m = matchChoice(text, labels);
  if (m.kind === 'match') return { ok: true, value: m.index };
  if (m.kind === 'ambiguous') {
    const error = render('general/opcion-ambigua', { respuesta: String(answer).slice(0, 80), opciones: opciones(m.indices) });
    return { ok: false, error, show: m.indices };
  }
  const numero = m.reason === 'out-of-range' ? String(answer).replace(/\D/g, '').slice(0, 6) : undefined;
  const error = render('general/opcion-invalida', { numero, total: labels.length, opciones: opciones(all(labels)) });
  // "¿cómo cambio mi correo?" at a list of options: likely another request — the way out, said.
  return { ok: false, error: numero === undefined && isSentence(text) ? `${error} ${render('general/otra-cosa')}` : error, show: all(labels) };
}

/**
 * The question again after a re-ask: the question, then why and the numbered options, with the
 * buttons of those options; a tap on a button of an earlier question is said so before the options.
 */
export function reaskActivity(
  context: TurnContext,
  question: string,
  reading: Extract<ChoiceReading, { ok: false }>,
  labels: readonly string[],
): Partial<Activity> {
  const stale = staleButtonNote(context);
  const why = stale ? `${stale}\n\n${reading.error}` : reading.error;
  return choiceActivity(`${question}\n\n${why}`, labels, { show: reading.show });
}

interface ChoiceValidations {
  readonly question: string;
  readonly labels: readonly string[];
  readonly back?: boolean;
  /** Other names people use for each option, by index (choicePrompt's opts.aliases). */
  readonly aliases?: readonly (readonly string[])[];
  /** Names of what the person may go to instead (choicePrompt's opts.leave). */
  readonly leave?: readonly (readonly string[])[];
  /** Any answer that is none of the options is the result (choicePrompt's opts.open). */
  readonly open?: boolean;
}

/**
 * The prompt options that ask `text` with `labels` as choices (for a ChoicePrompt). With `back`, "atrás"
 * is an answer too: `wentBack(step.result)` tells the step to return to where the person came from.
 */
export function choicePrompt(
  text: string,
  labels: readonly string[],
  look: ChoiceLook = {},
  opts: { back?: boolean; aliases?: readonly (readonly string[])[]; leave?: readonly (readonly string[])[]; open?: boolean } = {},
): PromptOptions {
  const validations: ChoiceValidations = {
    question: text,
    labels,
    ...(opts.back ? { back: true } : {}),
    ...(opts.aliases ? { aliases: opts.aliases } : {}),
    ...(opts.leave ? { leave: opts.leave } : {}),
    ...(opts.open ? { open: true } : {}),
  };
  return { prompt: choiceActivity(text, labels, look), validations };
}

/** The person answered "atrás" (or "volver", "anterior") to a choice asked with `back`. */
export function wentBack(result: unknown): boolean {
  return typeof result === 'string' && parseCommand(result)?.kind === 'atras';
}

/** The options that end a list of actions. */
const CLOSING = new Set(['terminar', 'volver']);

/**
 * "listo, gracias", "eso es todo", "chao" at a list of actions that has one option to end it
 * ("Terminar", "Volver"): that option.
 */
function closingBy(answer: string, labels: readonly string[]): number | undefined {
  const courtesy = courtesyOf(answer);
  if (courtesy === undefined || courtesy === 'acuse') return undefined;
  const closing = labels.flatMap((l, i) => (CLOSING.has(fold(l).trim()) ? [i] : []));
  return closing.length === 1 ? closing[0] : undefined;
}

/** What a prompt asked with `back` returns for "ninguna": read by wentBack as "atrás". */
const BACK_ANSWER = 'atrás';

/** Where a ChoicePrompt keeps the options its last re-ask showed. */
const SHOWN = 'shown';

/**
 * The one choice prompt: waits for an answer that reads as one of the options (number, label, a
 * unique word or prefix, or one of the option's other names); anything else gets the Spanish re-ask
 * with the options again. Its result is the chosen option's label: `chosen(step.result, labels)` gives the index;
 * asked with `leave`, it may also be the words that named something to go to instead (check those first);
 * asked with `open`, any other words (`optionIn` tells an option from them).
 */
export class ChoicePrompt extends TextPrompt {
  constructor(id: string) {
    super(id, async (p) => {
      const { question, labels, back, aliases, leave, open } = p.options.validations as ChoiceValidations;
      if (back && wentBack(p.recognized.value)) return true;
      const answer = p.recognized.value ?? '';
      const reading = readChoice(answer, labels, (p.state as Record<string, unknown>)[SHOWN] as number[] | undefined);
      const index = reading.ok ? reading.value : ((aliases ? matchAlias(answer, aliases) : undefined) ?? closingBy(answer, labels));
      // "ninguna", "no, gracias" where "atrás" is an answer: none of the options, so back.
      if (index === undefined && back && saysNone(answer)) {
        p.recognized.value = BACK_ANSWER;
        return true;
      }
      // None of the options, but the name of something to go to instead: the words themselves are the result.
      if (index === undefined && leave && matchAlias(answer, leave) !== undefined) return true;
      // A list that ends a view (Mis datos): other words are read by the step, e.g. as at the menu.
      if (index === undefined && open && answer.trim() !== '') return true;
      if (index === undefined) {
        if (!reading.ok) {
          (p.state as Record<string, unknown>)[SHOWN] = reading.show; // the re-ask's numbers are those of the options it shows
          await p.context.sendActivity(reaskActivity(p.context, question, reading, labels)); // the prompt then stays silent
        }
        return false;
      }
      p.recognized.value = labels[index]; // the result names the option itself, whatever numbers or words were used
      return true;
    });
  }
}

/**
 * "no sé", "¿qué es eso?" typed at a ChoicePrompt (`dialog`, with its instance `state`) where it is
 * none of the options: a question about the question, which the step's help answers.
 */
export function asksAtChoice(dialog: unknown, state: unknown, text: string | undefined): boolean {
  return text !== undefined && asksAboutTheQuestion(text) && noneOfTheOptions(dialog, state, text);
}

/** Words typed at a ChoicePrompt (`dialog`, with its instance `state`) that are none of its options nor their other names. */
export function noneOfTheOptions(dialog: unknown, state: unknown, text: string | undefined): boolean {
  if (!(dialog instanceof ChoicePrompt) || !text) return false;
  const validations = (state as { options?: { validations?: ChoiceValidations } } | undefined)?.options?.validations;
  if (!validations || readChoice(text, validations.labels).ok) return false;
  return validations.aliases ? matchAlias(text, validations.aliases) === undefined : true;
}

/** The option a ChoicePrompt's result names, or undefined for other words (a prompt asked with `open` or `leave`). */
export function optionIn(result: unknown, labels: readonly string[]): number | undefined {
  const reading = readChoice(result, labels);
  return reading.ok ? reading.value : undefined;
}

/** The index of the option a ChoicePrompt accepted. */
export function chosen(result: unknown, labels: readonly string[]): number {
  const reading = readChoice(result, labels);
  if (!reading.ok) throw new Error('a ChoicePrompt result must read as one of its options');
  return reading.value;
}
