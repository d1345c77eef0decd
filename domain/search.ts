/** "¿Qué está buscando?": find functionalities by what a person types, tolerating accents, case and typos. */
import { editDistance, fold } from './text.js';

export interface Searchable {
  readonly id: string;
  readonly title: string;
  /** Other words people use for it (synonyms, the manual's button names). */
  readonly keywords: readonly string[];
}

export interface SearchHit<T extends Searchable> {
  readonly item: T;
  readonly score: number;
}

const STOPWORDS = new Set(
  'a al como con cual de del el en es esta estoy la las lo los me mi mis necesito para por que quiero se su sus un una uno y yo hacer puedo ver'.split(' '),
);

function tokens(text: string): string[] {
  return fold(text)
    .split(/[\s@.]+/)
    .filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

/** How well one query word matches one vocabulary word, in [0, 1]. */
function wordScore(q: string, w: string): number {
  if (q === w) return 1;
  if (q.length >= 4 && w.startsWith(q)) return 0.85;
  if (w.length >= 5 && q.startsWith(w)) return 0.8;
  const allowed = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
  if (allowed > 0 && editDistance(q, w, allowed) <= allowed) return 0.7;
  return 0;
}

/** Ranks `items` for `query`; returns at most `limit` hits scoring at least `threshold`. */
export function searchFunctionalities<T extends Searchable>(
  query: string,
  items: readonly T[],
  limit = 3,
  threshold = 0.5,
): SearchHit<T>[] {
  const q = tokens(query);
  if (q.length === 0) return [];
  const hits: SearchHit<T>[] = [];
  for (const item of items) {
    const vocabulary = new Set(tokens([item.title, ...item.keywords].join(' ')));
    let total = 0;
    for (const qt of q) {
      let best = 0;
      for (const w of vocabulary) best = Math.max(best, wordScore(qt, w));
      total += best;
    }
    const score = total / q.length;
    if (score >= threshold) hits.push({ item, score });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The one functionality the person clearly named (every word matched exactly, and no tie), if any. */
export function clearWinner<T extends Searchable>(hits: readonly SearchHit<T>[]): T | undefined {
  const [top, second] = hits;
  return top && top.score >= 0.99 && (!second || second.score < top.score) ? top.item : undefined;
}
