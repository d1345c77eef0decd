/**
 * One reading of an answer to a list of options (identity questions, roles, menus, form choices):
 * the option's number, its whole label, or any unique word or prefix of it; accents, case,
 * punctuation and small typos ignored.
 */
import { editDistance, labelWordsOf, stem, words } from './text.js';

export type ChoiceMatch =
  | { readonly kind: 'match'; readonly index: number; readonly by: 'number' | 'label' | 'words' }
  /** Several options fit equally well; `indices` (0-based, ascending) are the ones to offer. */
  | { readonly kind: 'ambiguous'; readonly indices: readonly number[] }
  | { readonly kind: 'none'; readonly reason: 'empty' | 'too-long' | 'out-of-range' | 'unknown' };

/** Longer answers are not a choice (a pasted paragraph, an attack): they are refused unread. */
export const MAX_CHOICE_ANSWER = 200;
const MAX_WORDS = 15;

/** Words that carry no choice: "la de Sura por favor", "creo que es la primera opción". */
const FILLER = new Set(
  ('a al con de del e el en es esa ese eso esta este esto esas esos estas estos ellas ellos la las lo los ' +
    'mi o opcion respuesta seria si soy su u un una y que creo elijo escojo escogo selecciono por favor gracias como quiero prefiero')
    .split(' '),
);
/** Words that may come before a number: "la 2", "opción 2", "n.º 2", "número 2". */
const NUMBER_LEAD = new Set(['la', 'el', 'lo', 'es', 'opcion', 'numero', 'no', 'nro', 'num', 'n', 'o', 'op', 'elijo', 'escojo']);
const NUMBER_WORDS: Record<string, number> = {
  uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  primera: 1, primero: 1, segunda: 2, segundo: 2, tercera: 3, tercero: 3, cuarta: 4, cuarto: 4, quinta: 5, quinto: 5,
  sexta: 6, sexto: 6, septima: 7, septimo: 7, octava: 8, octavo: 8, novena: 9, noveno: 9, decima: 10, decimo: 10,
};
const LAST = new Set(['ultima', 'ultimo']);

const EXACT = 4;
const SAME_STEM = 3;
const PREFIX = 2;
const TYPO = 1;
/** An answer that names every word of a label (in any order) beats one that names part of another. */
const WHOLE_LABEL = 1;

/** How one typed word fits one label word: exact, same stem, prefix (≥ 3 letters), small typo, or not at all. */
function wordFit(typed: string, word: string): number {
  if (typed === word) return EXACT;
  if (/^\d+$/.test(typed) || /^\d+$/.test(word)) return 0;
  if (typed.length >= 4 && stem(typed) === stem(word)) return SAME_STEM;
  if (typed.length >= 3 && word.startsWith(typed)) return PREFIX;
  const allowed = typed.length >= 8 ? 2 : typed.length >= 5 ? 1 : 0;
  if (allowed > 0 && editDistance(typed, word, allowed) <= allowed) return TYPO;
  return 0;
}

const meaningful = (ws: readonly string[]): string[] => {
  const kept = ws.filter((w) => !FILLER.has(w));
  return kept.length > 0 ? kept : [...ws];
};

/** How well the typed words fit a label: 0 when some typed word fits none of its words. */
function labelFit(typed: readonly string[], label: readonly string[]): number {
  let total = 0;
  const covered = new Set<number>();
  for (const t of typed) {
    let best = 0;
    let at = -1;
    label.forEach((w, i) => {
      const fit = wordFit(t, w);
      if (fit > best) [best, at] = [fit, i];
    });
    if (best === 0) return 0;
    total += best;
    covered.add(at);
  }
  return covered.size === label.length ? total + WHOLE_LABEL : total;
}

/** A number the answer stands for ("2", "la 2", "opción #2", "la segunda", "la última"), if it is only that. */
function numberOf(tokens: readonly string[], labelWords: ReadonlySet<string>, count: number): number | undefined {
  let i = 0;
  while (i < tokens.length - 1 && NUMBER_LEAD.has(tokens[i] as string)) i++;
  const rest = tokens.slice(i).filter((t, j) => j === 0 || t !== 'opcion');
  if (rest.length !== 1) return undefined;
  const t = rest[0] as string;
  if (/^\d{1,4}$/.test(t)) return Number(t) > count && labelWords.has(t) ? undefined : Number(t); // "Comuna 13"
  if (labelWords.has(t)) return undefined; // "Segunda" may be an option's own word
  if (Object.hasOwn(NUMBER_WORDS, t)) return NUMBER_WORDS[t];
  if (LAST.has(t)) return count;
  return undefined;
}

/**
 * A label's words, and the words an identifier joins ("ConsultaBeneficiarios" is also "consulta" and
 * "beneficiarios"): "la de beneficiarios" names "GET ConsultaBeneficiarios (activo)".
 */
function labelWords(label: string): string[] {
  const own = labelWordsOf(label);
  const parts = labelWordsOf(label.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')).filter((w) => !own.includes(w));
  return [...own, ...parts];
}

/**
 * Whether `answer` may pick an option by its number ("2", "la segunda", "la última", "2. Sanitas"):
 * false when matchChoice surely finds no match by number, whatever the options.
 */
export function mayNameNumber(answer: string): boolean {
  if (answer.length > MAX_CHOICE_ANSWER) return false;
  return words(answer).some((t) => /^\d{1,4}$/.test(t) || Object.hasOwn(NUMBER_WORDS, t) || LAST.has(t));
}

/** Which of `labels` the person meant by `answer`. */
export function matchChoice(answer: string, labels: readonly string[]): ChoiceMatch {
  if (answer.length > MAX_CHOICE_ANSWER) return { kind: 'none', reason: 'too-long' };
  const tokens = words(answer);
  if (tokens.length === 0) return { kind: 'none', reason: 'empty' };
  if (tokens.length > MAX_WORDS) return { kind: 'none', reason: 'too-long' };

  const whole = tokens.join(' ');
  const same = labels.findIndex((l) => labelWordsOf(l).join(' ') === whole && whole.length > 0);
  if (same >= 0) return { kind: 'match', index: same, by: 'label' };
  const labelTokens = labels.map(labelWords);

  const n = numberOf(tokens, new Set(labelTokens.flat()), labels.length);
  if (n !== undefined) {
    return n >= 1 && n <= labels.length ? { kind: 'match', index: n - 1, by: 'number' } : { kind: 'none', reason: 'out-of-range' };
  }
  // A line copied from the numbered list: "2. Sanitas".
  const lead = /^\d{1,4}$/.test(tokens[0] as string) ? Number(tokens[0]) : undefined;
  if (lead !== undefined && lead >= 1 && lead <= labels.length && tokens.length > 1) {
    const copied = labelTokens[lead - 1] as string[];
    if (labelFit(meaningful(tokens.slice(1)), meaningful(copied)) > 0) return { kind: 'match', index: lead - 1, by: 'number' };
  }

  const typed = meaningful(tokens);
  // A label's filler words count too when typed ("sí" is filler in "sí acepto", but the answer to "Sí, confirmar").
  const fits = labelTokens.map((l) => Math.max(labelFit(typed, meaningful(l)), labelFit(typed, l)));
  const best = Math.max(0, ...fits);
  if (best === 0) return { kind: 'none', reason: 'unknown' };
  const indices = fits.flatMap((f, i) => (f === best ? [i] : []));
  return indices.length === 1 ? { kind: 'match', index: indices[0] as number, by: 'words' } : { kind: 'ambiguous', indices };
}

/**
 * The option one of whose other names (`aliases[i]`, e.g. "agregar" for "Nuevo") the answer says, as
 * whole words anywhere in it ("quiero quitar a Carlos"); undefined when none, or several options', do.
 */
export function matchAlias(answer: string, aliases: readonly (readonly string[])[]): number | undefined {
  if (answer.length > MAX_CHOICE_ANSWER) return undefined;
  const said = ` ${words(answer).join(' ')} `;
  const fits = aliases.flatMap((names, i) => (names.some((name) => said.includes(` ${words(name).join(' ')} `)) ? [i] : []));
  return fits.length === 1 ? fits[0] : undefined;
}

/**
 * The one option that words of a longer sentence name ("swagger de **consulta**", "el client id de la
 * **solicitud** de afiliación"): each word read alone against the options; words that fit none or
 * several are passed over; undefined unless every word that fits one fits the same one.
 */
export function optionNamedIn(text: string, labels: readonly string[]): number | undefined {
  if (text.length > MAX_CHOICE_ANSWER) return undefined;
  const named = new Set<number>();
  for (const w of words(text)) {
    if (w.length < 3 || FILLER.has(w) || /^\d+$/.test(w)) continue;
    const m = matchChoice(w, labels);
    if (m.kind === 'match' && m.by !== 'number') named.add(m.index);
  }
  return named.size === 1 ? [...named][0] : undefined;
}

/**
 * Several options in one answer ("1, 3", "1 y 3", "2 4", "consulta de afiliación y beneficiarios",
 * "ConsultaAfiliacion, 6"): the 0-based indices, each once, in the order said; undefined when a part
 * is none of the options or fits several. A whole answer that is one option's label is that option
 * alone, "y" in it included.
 */
export function matchMany(answer: string, labels: readonly string[]): number[] | undefined {
  if (answer.length > MAX_CHOICE_ANSWER) return undefined;
  const whole = matchChoice(answer, labels);
  if (whole.kind === 'match') return [whole.index];
  const parts = answer.split(/\s*(?:[,;]|\s(?:y|e)\s)\s*/i).map((p) => p.trim()).filter(Boolean);
  const out: number[] = [];
  for (const part of parts) {
    if (/^\d{1,4}(?:\s+\d{1,4})*$/.test(part)) {
      const numbers = part.split(/\s+/).map(Number);
      if (numbers.some((n) => n < 1 || n > labels.length)) return undefined;
      out.push(...numbers.map((n) => n - 1));
      continue;
    }
    const m = matchChoice(part, labels);
    if (m.kind !== 'match') return undefined;
    out.push(m.index);
  }
  return out.length > 0 ? [...new Set(out)] : undefined;
}
