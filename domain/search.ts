/**
 * "¿Qué está buscando?": find functionalities by what a person writes in their own words ("cómo
 * autorizo a una persona", "mi caja no aparece activa"), tolerating accents, case, verb forms,
 * plurals and typos.
 */
import { matchChoice } from './choice.js';
import { editDistance, stem, words } from './text.js';

export interface Searchable {
  readonly id: string;
  readonly title: string;
  /** Other words and phrases people use for it (synonyms, the manual's button names, whole questions). */
  readonly keywords: readonly string[];
}

export interface SearchHit<T extends Searchable> {
  readonly item: T;
  /** How much of the query the item covers, in [0, 1], plus up to PHRASE_BONUS_MAX when it holds a phrase of it. */
  readonly score: number;
  /** Every word of the query is a word of the item, as written (no stem, prefix or typo needed). */
  readonly exact: boolean;
}

/** Words that say nothing about what is wanted: "quiero", "cómo", "necesito", "por favor"… */
const STOPWORDS = new Set(
  (
    'a al ante algo alguien como con cual cuales cuando de del donde el ella ellos en es esa ese eso esta este esto estoy ' +
    'favor gracias hacer hay hola buenos buenas dias tardes noches la las le les lo los me mi mis mio necesito ' +
    'nos nuestra nuestro nuestras nuestros no o para pero por porque puedo pueda puede poder podria que quiero quisiera ' +
    'se si sin su sus tengo tiene un una uno unos unas y ya yo ver debo deseo hago'
  ).split(' '),
);

const EXACT = 1;
const SAME_STEM = 0.95;
const PREFIX = 0.85;
const LONGER = 0.8;
export const TYPO = 0.7;
/** A query word no functionality knows weighs this much in the average (a filler the stop words missed). */
const UNKNOWN_WEIGHT = 0.5;
/** Per word of the longest keyword phrase found whole (in order) in the query. */
const PHRASE_BONUS = 0.08;
const PHRASE_BONUS_MAX = 0.32;

/** The words of a text that say what is wanted (folded, stop words and single letters out). */
export function tokens(text: string): string[] {
  return words(text).filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** How well one query word matches one vocabulary word, in [0, 1]. */
export function wordScore(q: string, w: string): number {
  if (q === w) return EXACT;
  if (/\d/.test(q) || /\d/.test(w)) return 0;
  if (q.length >= 4 && w.length >= 4 && stem(q) === stem(w)) return SAME_STEM;
  if (q.length >= 4 && w.startsWith(q)) return PREFIX;
  if (w.length >= 5 && q.startsWith(w)) return LONGER;
  const allowed = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
  if (allowed > 0 && (editDistance(q, w, allowed) <= allowed || editDistance(stem(q), stem(w), allowed) <= allowed)) return TYPO;
  return 0;
}

const best = (q: string, vocabulary: Iterable<string>): number => {
  let b = 0;
  for (const w of vocabulary) if (b < EXACT) b = Math.max(b, wordScore(q, w));
  return b;
};

interface Indexed<T> {
  readonly item: T;
  readonly vocabulary: ReadonlySet<string>;
  /** The words of the title alone: between equal scores, a functionality named by its title comes first. */
  readonly titleWords: ReadonlySet<string>;
  /** Keyword phrases of two words or more, as word lists. */
  readonly phrases: readonly (readonly string[])[];
}

const indexCache = new WeakMap<readonly Searchable[], Indexed<Searchable>[]>();

function index<T extends Searchable>(items: readonly T[]): Indexed<T>[] {
  let cached = indexCache.get(items) as Indexed<T>[] | undefined;
  if (!cached) {
    cached = items.map((item) => {
      const phrases = [item.title, ...item.keywords].map(tokens);
      return { item, vocabulary: new Set(phrases.flat()), titleWords: new Set(phrases[0]), phrases: phrases.filter((p) => p.length >= 2) };
    });
    indexCache.set(items, cached as Indexed<Searchable>[]);
  }
  return cached;
}

/** The longest keyword phrase whose every word appears in the query, in the same order. */
function longestPhrase(query: readonly string[], phrases: readonly (readonly string[])[]): number {
  let longest = 0;
  for (const phrase of phrases) {
    if (phrase.length <= longest) continue;
    let at = 0;
    for (const q of query) if (at < phrase.length && wordScore(q, phrase[at] as string) >= TYPO) at++;
    if (at === phrase.length) longest = phrase.length;
  }
  return longest;
}

/** Ranks `items` for `query`; returns at most `limit` hits scoring at least `threshold`. */
export function searchFunctionalities<T extends Searchable>(
  query: string,
  items: readonly T[],
  limit = 3,
  threshold = 0.5,
): SearchHit<T>[] {
  if (query.length > 500) return [];
  const q = tokens(query);
  if (q.length === 0) return [];
  const indexed = index(items);
  const known = q.map((t) => indexed.some((i) => best(t, i.vocabulary) > 0));
  if (!known.some(Boolean)) return [];
  const weight = (k: boolean) => (k ? 1 : UNKNOWN_WEIGHT);
  const total = known.reduce((s, k) => s + weight(k), 0);

  const hits: (SearchHit<T> & { inTitle: number })[] = [];
  for (const { item, vocabulary, titleWords, phrases } of indexed) {
    const scores = q.map((t) => best(t, vocabulary));
    const coverage = scores.reduce((s, v, i) => s + v * weight(known[i] as boolean), 0) / total;
    if (coverage === 0) continue;
    const bonus = Math.min(PHRASE_BONUS_MAX, PHRASE_BONUS * longestPhrase(q, phrases));
    const score = Math.round((coverage + bonus) * 1000) / 1000;
    if (score < threshold) continue;
    const inTitle = q.filter((t) => best(t, titleWords) >= SAME_STEM).length;
    hits.push({ item, score, exact: scores.every((s) => s === EXACT), inTitle });
  }
  // "quiero ver los servicios": Administración de Servicios Web before ¿En qué voy?, whose description only mentions them.
  hits.sort((a, b) => b.score - a.score || b.inTitle - a.inTitle);
  return hits.slice(0, limit).map(({ item, score, exact }) => ({ item, score, exact }));
}

/** The one functionality the person clearly named (every word matched exactly, and no tie), if any. */
export function clearWinner<T extends Searchable>(hits: readonly SearchHit<T>[]): T | undefined {
  const [top, second] = hits;
  return top && top.exact && (!second || second.score < top.score) ? top.item : undefined;
}

/** What a person's answer to the search results asks for. */
export type AfterSearch = { readonly kind: 'start'; readonly id: string } | { readonly kind: 'ask'; readonly ids: readonly string[] };

/** Words that mean "start the one you found": the manual's "Comenzar" and what people say instead. */
const GO = new Set(['comenzar', 'comience', 'comenzemos', 'empezar', 'empiece', 'iniciar', 'inicie', 'continuar', 'siga', 'seguir', 'si', 'dale', 'ok', 'listo', 'vamos', 'adelante']);

/**
 * After the results of a search (`ids`, shown with `titles`, in order): "comenzar" starts the one
 * found, or asks which when several were; a number or a word of a title ("2", "comenzar 2", "la de
 * autorizados") picks one. Undefined: not an answer to the results (search or route it anew).
 */
export function pickAfterSearch(text: string, ids: readonly string[], titles: readonly string[]): AfterSearch | undefined {
  if (ids.length === 0 || text.length > 200) return undefined;
  const ws = words(text);
  const first = ws[0] ?? '';
  const go = GO.has(first) || (first.length >= 6 && editDistance(first, 'comenzar', 2) <= 2);
  const rest = go ? ws.slice(1).join(' ') : text;
  if (go && ws.length === 1) return ids.length === 1 ? { kind: 'start', id: ids[0] as string } : { kind: 'ask', ids };
  const m = matchChoice(rest, titles.slice(0, ids.length));
  if (m.kind === 'match') return { kind: 'start', id: ids[m.index] as string };
  if (m.kind === 'ambiguous') return { kind: 'ask', ids: m.indices.map((i) => ids[i] as string) };
  if (m.kind === 'none' && m.reason === 'out-of-range') return { kind: 'ask', ids };
  return undefined;
}

/** The hits worth offering: those close to the best one (a clear best is offered alone). */
export function relevantHits<T extends Searchable>(hits: readonly SearchHit<T>[], ratio = 0.75): SearchHit<T>[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((h) => h.score >= best * ratio);
}
