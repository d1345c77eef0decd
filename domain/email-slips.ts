/**
 * Slips in the domain of an e-mail address typed by hand ("gmial.com", "hotmal.com", "gmail.con",
 * "hotmail.com.co"): the address most likely meant, to be offered, never applied silently — a person
 * may have a real address at an unusual domain, and says so by keeping it.
 */
import { editDistance } from './text.js';

/** The mail domains most people in Colombia use; a domain one slip away from exactly one of them is suspect. */
const WELL_KNOWN = ['gmail.com', 'hotmail.com', 'hotmail.es', 'outlook.com', 'outlook.es', 'yahoo.com', 'yahoo.es', 'icloud.com'];

/** Real mail domains one slip away from a well-known one: never "corrected". */
const REAL_NEIGHBOURS = new Set(['mail.com', 'email.com', 'ymail.com', 'gmx.com', 'gmx.es', 'outlook.fr', 'hotmail.fr', 'yahoo.fr', 'yahoo.it', 'hotmail.it']);

/** Endings that are no top-level domain but a slip of ".com". */
const COM_SLIPS = new Set(['con', 'cmo', 'ocm', 'vom', 'xom', 'cpm', 'comm', 'coom', 'cim', 'cok']);

/** The domain with a slipped ".com" ending mended, or the domain as it is. */
function withComEnding(domain: string): string {
  const dot = domain.lastIndexOf('.');
  return COM_SLIPS.has(domain.slice(dot + 1)) ? `${domain.slice(0, dot)}.com` : domain;
}

/**
 * The address the person most likely meant when `email` (valid in form, lower case) has a slip in its
 * domain; undefined when it looks as meant.
 */
export function likelyMeantEmail(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (WELL_KNOWN.includes(domain) || REAL_NEIGHBOURS.has(domain)) return undefined;
  // "hotmail.com.co": a well-known domain with the country's ending added.
  const withoutCo = domain.endsWith('.co') ? domain.slice(0, -3) : undefined;
  if (withoutCo && WELL_KNOWN.includes(withoutCo)) return `${local}@${withoutCo}`;
  const mended = withComEnding(domain);
  const near = WELL_KNOWN.filter((d) => editDistance(mended, d, 1) <= 1);
  if (near.length === 1) return `${local}@${near[0]}`;
  if (near.length === 0 && mended !== domain) return `${local}@${mended}`;
  return undefined;
}
