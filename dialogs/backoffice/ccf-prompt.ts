/**
 * Choosing a CCF by what a person types: its sigla, part of its name or its NIT (as people write it);
 * several that fit are offered as buttons; "atrás" is an answer too. Suggested CCFs (the tray's) are shown as buttons.
 */
import { TextPrompt, type PromptOptions } from 'botbuilder-dialogs';
import { matchAlias, matchChoice } from '../../domain/choice.js';
import { nitOf } from '../../domain/empleador-common.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import type { ReferenceCompany } from '../../domain/reference.js';
import { words } from '../../domain/text.js';
import { fill, messages } from '../../templates/render.js';
import { choiceActivity, wentBack } from '../choice.js';

export type CcfOption = Pick<ReferenceCompany, 'nit' | 'razonSocial' | 'sigla'>;

interface CcfValidations {
  readonly question: string;
  readonly ccfs: readonly CcfOption[];
  /** The CCFs the question shows as buttons. */
  readonly suggested: readonly number[];
  /** Other names of what the person may go to instead ("asignar servicios" while activating): accepted as the answer when no CCF fits. */
  readonly leave?: readonly (readonly string[])[];
}

/** "COMFAMA — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA (NIT 890.900.841-9)". */
export const ccfLabel = (c: CcfOption): string => `${c.sigla ? `${c.sigla} — ` : ''}${c.razonSocial} (NIT ${formatNit(c.nit, computeDv(c.nit))})`;

/**
 * Which CCF the answer names: its index, 'atras', or the indices that fit (none or several). A number
 * ("2", "la segunda") names one of the CCFs last `shown`, in the order shown; never the n-th of all.
 */
export function readCcf(answer: string, ccfs: readonly CcfOption[], shown: readonly number[] = []): { index: number } | { atras: true } | { candidates: number[] } {
  if (wentBack(answer)) return { atras: true };
  if (shown.length > 0) {
    const m = matchChoice(answer, shown.map((i) => ccfLabel(ccfs[i] as CcfOption)));
    if (m.kind === 'match' && m.by === 'number') return { index: shown[m.index] as number };
  }
  const nit = nitOf(answer);
  if (nit) {
    const i = ccfs.findIndex((c) => c.nit === nit);
    return i >= 0 ? { index: i } : { candidates: [] };
  }
  const bySigla = ccfs.findIndex((c) => c.sigla !== undefined && c.sigla.toLowerCase() === answer.trim().toLowerCase());
  if (bySigla >= 0) return { index: bySigla };
  const m = matchChoice(answer, ccfs.map(ccfLabel));
  if (m.kind === 'match') return m.by === 'number' ? { candidates: [] } : { index: m.index };
  return { candidates: m.kind === 'ambiguous' ? m.indices.slice(0, 8) : [] };
}

/** An answer to an earlier question that may also name the CCF ("activar comfama"): what was typed, and the words that answered that question. */
export interface CcfHint {
  readonly texto: string;
  readonly said: readonly string[];
  /** The CCF the person was looking at when they said it, taken along when the words name none. */
  readonly nit?: string;
}

/** The CCF a hint names, or else the one it was said at; undefined when neither. */
export function ccfOfHint(hint: CcfHint, ccfs: readonly CcfOption[]): number | undefined {
  const named = ccfAlsoNamed(hint.texto, hint.said, ccfs);
  if (named !== undefined) return named;
  const at = hint.nit === undefined ? -1 : ccfs.findIndex((c) => c.nit === hint.nit);
  return at >= 0 ? at : undefined;
}

/**
 * The one CCF an answer to another question also names ("activar comfama", "asignar servicios a
 * Comfenalco Valle"): its index once the words of that question's answer (`said`) are set aside;
 * undefined when it names none, or several.
 */
export function ccfAlsoNamed(answer: string, said: readonly string[], ccfs: readonly CcfOption[]): number | undefined {
  const skip = new Set(said.flatMap(words));
  const rest = words(answer).filter((w) => !skip.has(w));
  // The CCF comes last ("quiero desactivar el rol de Comfama"): the longest ending that names one.
  for (let from = 0; from < rest.length; from++) {
    const read = readCcf(rest.slice(from).join(' '), ccfs);
    if ('index' in read) return read.index;
  }
  return undefined;
}

const texts = () => messages<Record<string, string>>('backoffice/textos');

/** The question, with the suggested CCFs as buttons. */
export function ccfPrompt(question: string, ccfs: readonly CcfOption[], suggested: readonly number[], leave?: readonly (readonly string[])[]): PromptOptions {
  const labels = ccfs.map(ccfLabel);
  return { prompt: choiceActivity(question, labels, { show: suggested }), validations: { question, ccfs, suggested, ...(leave ? { leave } : {}) } satisfies CcfValidations };
}

/** Where the prompt keeps the CCFs its last re-ask listed. */
const SHOWN = 'shown';

export class CcfPrompt extends TextPrompt {
  constructor(id: string) {
    super(id, async (p) => {
      const { ccfs, suggested, leave } = p.options.validations as CcfValidations;
      const text = p.recognized.value ?? '';
      const read = readCcf(text, ccfs, ((p.state as Record<string, unknown>)[SHOWN] as number[] | undefined) ?? suggested ?? []);
      if ('index' in read) {
        p.recognized.value = ccfAnswer(ccfs[read.index] as CcfOption); // the result names the CCF itself, whatever numbers were shown
        return true;
      }
      if ('atras' in read) return true;
      // Another action named where no CCF fits: the answer, for the dialog to go there.
      if (read.candidates.length === 0 && leave && matchAlias(text, leave) !== undefined) return true;
      const labels = ccfs.map(ccfLabel);
      const t = texts();
      if (read.candidates.length === 0) {
        await p.context.sendActivity(fill(t['ccf-no-encontrada']!, { texto: text.slice(0, 60) }));
      } else {
        (p.state as Record<string, unknown>)[SHOWN] = read.candidates; // numbered 1… in this order
        await p.context.sendActivity(choiceActivity(fill(t['ccf-varias']!, { texto: text.slice(0, 60) }), labels, { show: read.candidates, numbered: true }));
      }
      return false;
    });
  }
}

/** A CcfPrompt's result for `c` (its NIT, which chosenCcf reads back). */
export const ccfAnswer = (c: CcfOption): string => formatNit(c.nit, computeDv(c.nit));

/** The CCF a CcfPrompt accepted, or undefined for "atrás" (or another action named, see `leave`). */
export function chosenCcf<T extends CcfOption>(result: unknown, ccfs: readonly T[]): T | undefined {
  const read = readCcf(String(result ?? ''), ccfs);
  return 'index' in read ? ccfs[read.index] : undefined;
}
