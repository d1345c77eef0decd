/**
 * Recognizing a password typed in the chat (DESIGN §2: secrets only through masked inputs): the form
 * engine refuses such a text, keeps it nowhere and asks the channel to retract the message.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URL_LIKE = /^(https?:\/\/|www\.)/i;
/** 15/03/1980, 1980-03-15, 15-mar-1980, 15.03.80 … */
const DATE_LIKE = /^(\d{1,4}[/.-](\d{1,2}|\p{L}{3,10})[/.-]\d{1,4})$/u;
/** Codes and document numbers (passport, CE, NIT with DV): upper-case letters and digits only. */
const CODE_LIKE = /^[A-Z0-9]{1,16}$/;
/** Punctuation that names and addresses carry; it does not make a word a password. */
const WORD_PUNCTUATION = /['.\-]/gu;

export const SECRET_MIN_LENGTH = 8;
const SECRET_MAX_LENGTH = 128;

/**
 * True when the text looks like a password: one token of 8+ characters mixing letters with digits
 * or symbols, and not an e-mail, URL, date, phone or document number.
 */
export function looksLikeSecret(text: string): boolean {
  const t = text.trim();
  if (t.length < SECRET_MIN_LENGTH || t.length > SECRET_MAX_LENGTH || /\s/.test(t)) return false;
  if (EMAIL.test(t) || URL_LIKE.test(t) || DATE_LIKE.test(t) || CODE_LIKE.test(t)) return false;
  const letters = /\p{L}/u.test(t);
  const digits = /\d/.test(t);
  const symbols = /[^\p{L}\d]/u.test(t.replace(WORD_PUNCTUATION, ''));
  return letters && (digits || symbols);
}

/** Punctuation around a word that belongs to the sentence ("¿", quotes, a final period), not to the word. */
export const AROUND_WORD = /^[\p{Ps}\p{Pi}"'¿¡,;:!?]+|[\p{Pe}\p{Pf}"',;:!?.]+$/gu;

/**
 * True when the text is a password or holds one among its words ("quiero poner la clave
 * Antioquia2025abc"): such a text is never repeated back, searched for or kept.
 */
export function holdsSecret(text: string): boolean {
  if (looksLikeSecret(text)) return true;
  // Among words, only what a password of the portal is (letters and digits), not a link nor Markdown.
  return text.split(/\s+/).some((w) => {
    const word = w.replace(AROUND_WORD, '');
    // Codes in capitals with dashes ("M-7K2P9Q", "SAT-2026-000123") are references, not passwords.
    if (/^[A-Z0-9]+(-[A-Z0-9]+)+$/.test(word)) return false;
    return /\p{L}/u.test(word) && /\d/.test(word) && !/:\/\/|^www\.|\]\(/i.test(word) && looksLikeSecret(word);
  });
}
