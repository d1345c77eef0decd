/** The functionalities a person can look for, with their texts (templates/es/funcionalidades.json). */
import { messages } from '../templates/render.js';
import type { Searchable } from '../domain/search.js';
import { editDistance, fold, foldLabel } from '../domain/text.js';

export interface Functionality extends Searchable {
  readonly descripcion: string;
  readonly boton: string;
  /** Other buttons that start it, in a module's own menu ("Ver documentación" in Administración de Servicios Web). */
  readonly otrosBotones: readonly string[];
}

interface RawFunctionality {
  id: string;
  titulo: string;
  boton: string;
  descripcion: string;
  palabras: string[];
  otrosBotones?: string[];
}

let cached: readonly Functionality[] | undefined;

export function functionalities(): readonly Functionality[] {
  cached ??= messages<RawFunctionality[]>('funcionalidades').map((f) => ({
    id: f.id,
    title: f.titulo,
    keywords: [f.boton, ...(f.otrosBotones ?? []), ...f.palabras],
    descripcion: f.descripcion,
    boton: f.boton,
    otrosBotones: f.otrosBotones ?? [],
  }));
  return cached;
}

/**
 * The functionality a text names exactly by its button, title or another button of it ("registrar
 * rol empleador", "asignar contraseña"), and that name as the chat writes it.
 */
export function namedButton(text: string): { id: string; label: string } | undefined {
  const t = fold(text);
  for (const f of functionalities()) {
    const label = [f.boton, f.title, ...f.otrosBotones].find((b) => fold(b) === t);
    if (label) return { id: f.id, label };
  }
  return undefined;
}

/**
 * The functionality whose button a text names with a slip of the keyboard ("registrame" for
 * Registrarme, "ingresr" for Ingresar): a letter off from 6 letters on, two from 10 on, and no other
 * functionality as near; undefined otherwise (the search reads it then).
 */
export function nearlyNamedButton(text: string): string | undefined {
  const t = fold(text);
  if (t.length < 6 || t.length > 60) return undefined;
  const allowed = t.length >= 10 ? 2 : 1;
  const near = new Set<string>();
  for (const f of functionalities()) {
    if ([f.boton, f.title, ...f.otrosBotones].some((b) => editDistance(t, foldLabel(b), allowed) <= allowed)) near.add(f.id);
  }
  return near.size === 1 ? [...near][0] : undefined;
}

/** The id of the functionality a text names exactly by a button (see namedButton). */
export const functionalityByButton = (text: string): string | undefined => namedButton(text)?.id;

/** The button of a functionality ("Olvidé mi contraseña"), for messages that offer it. */
export function buttonOf(id: string): string {
  return functionalities().find((f) => f.id === id)?.boton ?? id;
}

/** What a functionality does, in a sentence (the search's and the help's). */
export function descriptionOf(id: string): string | undefined {
  return functionalities().find((f) => f.id === id)?.descripcion;
}

/** Every name people use for a functionality: its button and its search words (a menu's other names for it). */
export function keywordsOf(id: string): readonly string[] {
  return functionalities().find((f) => f.id === id)?.keywords ?? [];
}

/** The manual's name of a functionality, for messages that mention it. */
export function titleOf(id: string): string {
  return functionalities().find((f) => f.id === id)?.title ?? id;
}
