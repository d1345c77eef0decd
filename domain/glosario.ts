/**
 * "¿Qué es un delegado?", "qué significa oauth": a person who is not technical asks what a word of the
 * process means. The question is read here (what it asks about) and matched to a glossary entry; the
 * entries' words and explanations are text (templates/es/general/glosario.json).
 */
import { fold, writtenOut } from './text.js';
import { tokens, TYPO, wordScore } from './search.js';

export interface Term {
  readonly id: string;
  /** The term as the explanation names it ("Delegado"). */
  readonly termino: string;
  /** Other ways people write it ("delegada", "el delegado de la empresa"). */
  readonly palabras: readonly string[];
}

const WHAT_IS = new RegExp(
  '^(?:(?:y|pero|oiga|disculpe|perdon|una pregunta|pregunta|hola|no se|no entiendo|no tengo claro)\\s+)*' +
    '(?:que (?:es|son|significa|significan|quiere decir|quieren decir|sera|seria|hace|hacen)' +
    '|para que (?:es|son|sirve|sirven|se usa|se usan)' +
    '|(?:me )?(?:puede|podria|pueden|podrian) (?:explicar|explicarme|decir|decirme) (?:que es|que son|que significa|para que sirve|para que sirven|lo de)?' +
    '|(?:expliqueme|explicame|explique|explicar|definicion de|significado de)(?: que es| que son| lo de)?' +
    '|(?:como|cual) (?:es|funciona) (?:eso de|lo de)' +
    ')\\s+' +
    '(?:(?:eso|esto|aquello) (?:de|del)\\s+|lo de(?:l)?\\s+)?(.+)$',
);
/** "… y qué hace", "… y para qué sirve": what is asked about ends there. */
const TAIL = /\s+(?:y\s+)?(?:que hace|que hacen|para que sirve|para que sirven|que significa|exactamente|por favor|porfa|gracias)(?:\s.*)?$/;

/** "¿Cuál es mi usuario?", "olvidé mi usuario": what the user name is, asked in other words. */
const USER_NAME = /^(?:cual es|cual seria|como es|como se cual es|olvide|se me olvido|no recuerdo|no me acuerdo de|no se cual es) (?:mi|el|su) (?:nombre de )?usuario$/;

/**
 * What a "what is it" question asks about ("¿Qué es un delegado?" → "un delegado"), folded; undefined
 * when the message is no such question or names nothing ("¿qué es esto?").
 */
export function whatIsAsked(text: string): string | undefined {
  if (text.length > 120) return undefined;
  const t = writtenOut(fold(text).replace(/[?¿!¡.,;:"“”]/g, ' ').replace(/\s+/g, ' ').trim());
  if (USER_NAME.test(t)) return 'usuario';
  const asked = WHAT_IS.exec(t)?.[1]?.replace(TAIL, '').trim();
  if (!asked || /^(?:esto|eso|esta|este|aquello|aqui|todo esto|lo que hace|usted|ud|tu)$/.test(asked)) return undefined;
  return asked;
}

/** How little of the asked words the term may leave out: each such word weighs half a term word. */
const LEFT_OUT = 0.5;
const ENOUGH = 0.6;

/** How well the asked words name one way of writing the term, in [0, 1]. */
function closeness(asked: readonly string[], phrase: readonly string[]): number {
  let found = 0;
  for (const w of phrase) {
    let best = 0;
    for (const a of asked) best = Math.max(best, wordScore(a, w));
    if (best >= TYPO) found += best;
  }
  const leftOut = asked.filter((a) => !phrase.some((w) => wordScore(a, w) >= TYPO)).length;
  return found / (phrase.length + LEFT_OUT * leftOut);
}

/** The entry the asked words name best, if one names them well enough (the first of equals: `terms` is in order of preference). */
export function findTerm<T extends Term>(asked: string, terms: readonly T[]): T | undefined {
  const q = tokens(asked);
  if (q.length === 0 || q.length > 8) return undefined;
  let best: { term: T; score: number } | undefined;
  for (const term of terms) {
    for (const way of [term.termino, ...term.palabras]) {
      const phrase = tokens(way);
      if (phrase.length === 0) continue;
      const score = closeness(q, phrase);
      if (score >= ENOUGH && (!best || score > best.score)) best = { term, score };
    }
  }
  return best?.term;
}
