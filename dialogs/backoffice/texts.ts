/** What the back-office dialogs share: their collaborators and their texts (templates/es/backoffice/textos.json). */
import type { OpenApiReader } from '../../domain/ports.js';
import { matchAlias } from '../../domain/choice.js';
import { fill, messages } from '../../templates/render.js';
import type { RolesDialogDeps } from '../empleador/roles.dialog.js';

export interface BackOfficeDialogDeps extends RolesDialogDeps {
  readonly openapi: OpenApiReader;
}

type Texts = Record<string, string> & {
  acciones: Record<string, string>;
  /** Other words for each of the tray's actions ("desactivar", "asignación"), said anywhere in an answer. */
  'acciones-otros-nombres': Record<string, string[]>;
  /** The same for the catalog's actions ("publicar" for Agregar un servicio). */
  'acciones-catalogo-otros-nombres': Record<string, string[]>;
  /** The words that name each change of an assignment ("suspenda", "revocación"). */
  'cambios-otros-nombres': Record<string, string[]>;
  'nombres-accion': Record<string, string>;
};
export const boTexts = () => messages<Texts>('backoffice/textos');
export const bt = (key: string, data: Record<string, unknown> = {}) => fill(boTexts()[key] as string, data);

/** The name an administrator knows a CCF by. */
export const ccfName = (c: { sigla?: string; razonSocial: string }) => c.sigla ?? c.razonSocial;

/** The tray's actions, in the order it offers them. */
export const ACTIONS = ['rut', 'activar', 'catalogo', 'asignar', 'acciones', 'terminar'] as const;
export type MenuAction = (typeof ACTIONS)[number];
/** Other words for an action (textos.json "acciones-otros-nombres"). */
export const otherNames = (a: MenuAction): string[] => boTexts()['acciones-otros-nombres'][a] ?? [];
/** An action's button and its other words: every way the tray reads it. */
export const namesOf = (a: MenuAction): string[] => [boTexts().acciones[a]!, ...otherNames(a)];

/**
 * Another section named where a section asks which CCF ("asignar servicios" while activating): the
 * section to go to, and the words, which may name its CCF too. The section that asked ends with it.
 */
export interface OtherSection {
  readonly otra: MenuAction;
  readonly texto: string;
  /** The CCF it was said at (its own choice), to take along when the words name none. */
  readonly nit?: string;
}

/** The sections a person may go to from `current` by naming them: every one but it and "Terminar". */
const others = (current: MenuAction): MenuAction[] => ACTIONS.filter((a) => a !== current && a !== 'terminar');

/** What a CCF question in `current` accepts as naming another section: each other section's names. */
export const otherSectionNames = (current: MenuAction): string[][] => others(current).map(namesOf);

/** The other section an answer in `current` names, if it names one; `nit`: the CCF it was said at, if any. */
export function otherSectionIn(answer: unknown, current: MenuAction, nit?: string): OtherSection | undefined {
  if (typeof answer !== 'string') return undefined;
  const i = matchAlias(answer, otherSectionNames(current));
  return i === undefined ? undefined : { otra: others(current)[i]!, texto: answer, ...(nit ? { nit } : {}) };
}

/** True for a section's result that names another section. */
export const isOtherSection = (result: unknown): result is OtherSection =>
  typeof result === 'object' && result !== null && typeof (result as OtherSection).otra === 'string' && typeof (result as OtherSection).texto === 'string';
