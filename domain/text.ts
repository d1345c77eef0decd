/** Text helpers shared by parsers and search: accent/case folding and edit distance. */

/** Lower-case, strip accents (ñ kept as n), collapse whitespace and drop punctuation. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.\s-]/g, ' ')
    .replace(/[.\-]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const folded = new Map<string, string>();
const FOLDED_MAX = 4_096;
const FOLDED_TEXT_MAX = 100;

/**
 * The assistant's own short texts folded, remembered: the same labels are folded on every turn
 * (buttons, options, a department's 125 municipality names at each answer). Only for the
 * assistant's texts and the reference data — never what people type, which is not kept (a
 * password typed in the chat would stay in memory). Bounded; emptied when full.
 */
export function foldLabel(text: string): string {
  if (text.length > FOLDED_TEXT_MAX) return fold(text);
  let f = folded.get(text);
  if (f === undefined) {
    f = fold(text);
    if (folded.size >= FOLDED_MAX) folded.clear();
    folded.set(text, f);
  }
  return f;
}

/** Chat shorthand for the words people ask with ("q pasa si…", "xq me piden…", "pa q sirve"), folded. */
const SHORTHAND: Readonly<Record<string, string>> = { q: 'que', k: 'que', ke: 'que', xq: 'por que', pq: 'por que', porq: 'por que', xk: 'por que', pa: 'para' };

/** Folded text with its chat shorthand written out ("q pasa si" → "que pasa si"), for reading how a question starts. */
export function writtenOut(folded: string): string {
  return folded.replace(/\S+/g, (w) => SHORTHAND[w] ?? w);
}

/** Three words or more: a sentence, which at a question of options or a short answer is likely another request. */
export function isSentence(text: string | undefined): boolean {
  return (text ?? '').trim().split(/\s+/).length >= 3;
}

/** True when two names are the same person-name ignoring accents, case and extra spaces. */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  return fold(a ?? '') === fold(b ?? '');
}

/** Damerau-Levenshtein (optimal string alignment) distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * How a folded Spanish word sounds, for matching names typed by ear ("medeyin" Medellín, "antiokia"
 * Antioquia, "bogota", "sinselejo" Sincelejo): qu/k, c/s/z, ll/y, v/b, a silent h and double letters fold together.
 */
export function soundKey(folded: string): string {
  return folded
    .replace(/qu(?=[ei])/g, 'k')
    .replace(/q/g, 'k')
    .replace(/c(?=[ei])/g, 's')
    .replace(/c/g, 'k')
    .replace(/z/g, 's')
    .replace(/ll/g, 'y')
    .replace(/v/g, 'b')
    .replace(/h/g, '')
    .replace(/([a-z])\1+/g, '$1');
}

/** Mask an e-mail for display: "juana.perez@correo.com" → "j***@correo.com". */
export function maskEmail(email: string): string {
  const [user = '', domain = ''] = email.split('@');
  return `${user.slice(0, 1)}***@${domain}`;
}

/** Mask a document number for logs and audit: keep the last 3 digits. */
export function maskDocument(numero: string): string {
  return numero.length <= 3 ? '***' : `${'*'.repeat(Math.min(numero.length - 3, 7))}${numero.slice(-3)}`;
}

/** The words of a text for matching: folded, split on spaces and the dots/dashes/@ that fold() keeps. */
export function words(text: string): string[] {
  return wordsOfFolded(fold(text));
}

/** words() of the assistant's own labels (options, buttons), through foldLabel. */
export function labelWordsOf(text: string): string[] {
  return wordsOfFolded(foldLabel(text));
}

function wordsOfFolded(folded: string): string[] {
  return folded
    .replace(/\b([a-z])\.(?=[a-z]\b)/g, '$1') // "D.C." → "dc", "S.A." → "sa"
    .split(/[\s@.\-]+/)
    .filter((w) => w.length > 0);
}

// Longest first, written as they read after soundAlike() (ción → sion).
const SUFFIXES = [
  'asiones', 'isiones', 'amientos', 'imientos', 'amiento', 'imiento', 'asion', 'ision', 'siones', 'sion', 'mente',
  'aremos', 'ariamos', 'ando', 'iendo', 'ados', 'adas', 'idos', 'idas', 'arme', 'arse', 'arle', 'arlo', 'arla',
  'erme', 'erse', 'irme', 'irse', 'aron', 'ieron', 'amos', 'emos', 'imos', 'ado', 'ada', 'ido', 'ida', 'aba',
  'ar', 'er', 'ir', 'es', 'os', 'as', 'an', 'en', 'a', 'e', 'o', 's',
];

/** A folded word as it sounds in Colombian Spanish: z/ce/ci → s, v → b, ll → y, silent h. */
function soundAlike(word: string): string {
  return word
    .replace(/z/g, 's')
    .replace(/c(?=[ei])/g, 's')
    .replace(/v/g, 'b')
    .replace(/ll/g, 'y')
    .replace(/(^|[^c])h/g, '$1');
}

/**
 * A light stem of one folded word, so that forms of the same word meet: "autorizo", "autorice",
 * "autorizar", "autorizados" → "autoris"; "registro", "registrarme" → "registr"; "claves" → "clav".
 */
export function stem(word: string): string {
  const w = soundAlike(word);
  for (const s of SUFFIXES) if (w.endsWith(s) && w.length - s.length >= 4) return w.slice(0, -s.length);
  return w;
}
