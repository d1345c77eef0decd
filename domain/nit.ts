/**
 * NIT (Número de Identificación Tributaria) parsing and DIAN's check digit (dígito de verificación, DV).
 *
 * A NIT is 9 digits. Users type it in many ways: "860.007.336-1", "860007336-1", "860 007 336",
 * "860,007,336". The DV is taken only when a separator precedes the last digit ("-1", " 1", ".1");
 * a bare 10-digit string ("8600073361") is ambiguous and refused.
 */
import { fail, ok, type DomainError, type Result } from './result.js';

/** DIAN modulo-11 weights, applied from the rightmost digit of the NIT. */
const DV_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71] as const;

export const NIT_LENGTH = 9;

/** Reasons `normalizeNit` can fail with (the `code` of the error). */
export type NitErrorCode = 'empty' | 'nit.chars' | 'nit.length' | 'nit.dv';

export interface NormalizedNit {
  /** Exactly 9 digits. */
  readonly nit: string;
  /** The check digit the user typed (already verified), when they typed one. */
  readonly dv?: string;
}

/**
 * DIAN's check digit for a NIT: r = Σ digit·weight mod 11 (weights 3, 7, 13, … from the right);
 * DV = r when r < 2, else 11 − r. Throws on anything but 1–15 digits (a programming error).
 */
export function computeDv(nit: string): string {
  if (!/^\d{1,15}$/.test(nit)) throw new TypeError('computeDv expects 1 to 15 digits');
  let sum = 0;
  for (let i = 0; i < nit.length; i++) {
    sum += Number(nit[nit.length - 1 - i]) * (DV_WEIGHTS[i] as number);
  }
  const r = sum % 11;
  return String(r < 2 ? r : 11 - r);
}

/** True when `dv` is the check digit of `nit` (both already digits-only). */
export function isValidDv(nit: string, dv: string): boolean {
  return /^\d{1,15}$/.test(nit) && /^\d$/.test(dv) && computeDv(nit) === dv;
}

/** "860007336", "1" → "860.007.336-1" (for confirmations: "¿Su NIT es 860.007.336-1?"). */
export function formatNit(nit: string, dv: string = computeDv(nit)): string {
  return `${nit.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}-${dv}`;
}

/**
 * Normalizes what a user typed as a NIT. Accepts dots, commas and spaces as grouping and a dash (or
 * any of those separators) before a single final DV digit. Fails with `empty`, `nit.chars` (letters
 * or other characters), `nit.length` (the NIT is not 9 digits) or `nit.dv` (a DV was given and is
 * wrong, or is more than one digit).
 */
export function normalizeNit(raw: string): Result<NormalizedNit, DomainError> {
  const text = raw.normalize('NFKC').trim();
  if (text === '') return fail('empty');
  if (!/^[\d.,\s-]+$/.test(text)) return fail('nit.chars');

  // Digit groups and the separators between them; leading/trailing separators are ignored.
  const groups = text.match(/\d+/g);
  if (!groups) return fail('nit.chars'); // only separators, e.g. "---"
  const separators = text.replace(/^\D+|\D+$/g, '').split(/\d+/).filter((s) => s !== '');
  const lastGroup = groups[groups.length - 1] as string;
  const lastSeparator = separators[separators.length - 1] ?? '';
  const body = groups.slice(0, -1).join('');
  const hasSeparatedTail = groups.length > 1;

  let nit: string;
  let dv: string | undefined;
  if (hasSeparatedTail && lastGroup.length === 1) {
    // "860007336-1", "860.007.336 1", "860,007,336.1": a single digit after a separator is the DV.
    nit = body;
    dv = lastGroup;
  } else if (hasSeparatedTail && lastSeparator.includes('-') && body.length === NIT_LENGTH) {
    // "860007336-12": a DV position holding more than one digit.
    return fail('nit.dv');
  } else {
    // Grouping only: "860.007.336", "860 007 336", "860-007-336".
    nit = groups.join('');
  }

  if (nit.length !== NIT_LENGTH) return fail('nit.length', { length: nit.length });
  if (dv !== undefined && computeDv(nit) !== dv) return fail('nit.dv');
  return ok(dv === undefined ? { nit } : { nit, dv });
}
