/**
 * "¿Qué es un delegado?" at the menu or at a list of options: a short explanation of the word in plain
 * Spanish (templates/es/general/glosario.json), instead of search results for it.
 */
import { findTerm, whatIsAsked, type Term } from '../domain/glosario.js';
import { fill, messages } from '../templates/render.js';

interface Entry extends Term {
  readonly explicacion: string;
}

/** The explanation of the word a "what is it" question asks about; undefined when it asks about none the glossary holds. */
export function glossaryAnswer(text: string | undefined): string | undefined {
  const asked = text ? whatIsAsked(text) : undefined;
  if (!asked) return undefined;
  const entry = findTerm(asked, messages<{ terminos: Entry[] }>('general/glosario').terminos);
  return entry ? fill(entry.explicacion) : undefined;
}
