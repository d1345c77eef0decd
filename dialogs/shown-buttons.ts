/**
 * The buttons a conversation showed, so that a tap on a button of an earlier question (still on the
 * screen, and sent as its text) is told apart from a wrong answer: "«Sede principal» is a button of
 * an earlier question" instead of "that e-mail does not look valid". Kept with the dialog state: the
 * texts the buttons of the last message with buttons send, and those of a few messages before.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { fold, foldLabel } from '../domain/text.js';
import { render } from '../templates/render.js';
import { namedButton } from './catalog.js';

export interface ShownButtons {
  /** What the buttons of the latest reply send, folded (empty when that reply had none). */
  latest?: string[];
  /** The same of the replies before it, newest first. */
  earlier?: string[];
}

/** Bounds of what is kept: the idle state stays small. */
const MAX_LATEST = 16;
const MAX_EARLIER = 16;
const MAX_TEXT = 60;

const STALE = Symbol('shown-buttons.stale');
const CURRENT = Symbol('shown-buttons.current-process');

/**
 * The process the turn began in and the functionalities it is in (the main dialog notes them: Compartir
 * inside the web-service module reached by its menu): their own buttons typed in them are not "another menu's".
 */
export function noteCurrentProcess(context: TurnContext, ids: readonly (string | undefined)[]): void {
  const current = ids.filter((id): id is string => id !== undefined);
  if (current.length > 0) context.turnState.set(CURRENT, current);
}

/** The text a tap on each button of these activities sends (imBack and messageBack buttons, suggested actions). */
function buttonTexts(activities: readonly Partial<Activity>[]): string[] {
  const out: string[] = [];
  const take = (action: { type?: string; value?: unknown; text?: unknown; title?: unknown }) => {
    const sent = action.type === 'imBack' ? action.value : action.type === 'messageBack' ? action.text : undefined;
    if (typeof sent === 'string' && sent.length <= MAX_TEXT) out.push(foldLabel(sent).trim()); // the assistant's own buttons
  };
  for (const a of activities) {
    if (a.type !== undefined && a.type !== 'message') continue;
    for (const action of a.suggestedActions?.actions ?? []) take(action);
    for (const att of a.attachments ?? []) {
      const buttons = (att.content as { buttons?: unknown } | undefined)?.buttons;
      if (Array.isArray(buttons)) for (const b of buttons) if (b && typeof b === 'object') take(b as Record<string, unknown>);
    }
  }
  return out;
}

/**
 * Called at the start of a turn with the conversation's record (changed in place as the turn's
 * replies are sent): notes whether the incoming text is a button of an earlier reply that the
 * latest one does not have, and keeps the buttons of the replies this turn sends.
 */
export function watchButtons(context: TurnContext, shown: ShownButtons): void {
  const text = context.activity.type === 'message' ? context.activity.text : undefined;
  if (text && text.length <= MAX_TEXT) {
    const t = fold(text).trim();
    if (shown.earlier?.includes(t) && !shown.latest?.includes(t)) context.turnState.set(STALE, text.trim());
  }
  let first = true;
  context.onSendActivities(async (_ctx, activities, next) => {
    if (!activities.some((a) => a.type === 'message')) return next();
    const texts = buttonTexts(activities);
    if (first) {
      // The first reply of the turn: what was latest becomes earlier.
      first = false;
      const before = shown.latest ?? [];
      if (before.length > 0) shown.earlier = [...new Set([...before, ...(shown.earlier ?? [])])].slice(0, MAX_EARLIER);
      shown.latest = [];
    }
    // A turn may send a question in several messages; the buttons of all of them answer it.
    if (texts.length > 0) shown.latest = [...new Set([...(shown.latest ?? []), ...texts])].slice(0, MAX_LATEST);
    if (shown.latest?.length === 0) delete shown.latest;
    if (shown.earlier?.length === 0) delete shown.earlier;
    return next();
  });
}

/** The incoming text when it is a tap on a button of an earlier question (see watchButtons); else undefined. */
export const staleButton = (context: TurnContext): string | undefined => context.turnState.get(STALE) as string | undefined;

/**
 * "«Acepto» es el botón de una pregunta anterior…" when the incoming text is such a tap (see
 * staleButton); else undefined. In a form (`form`: its answer was refused), a functionality's button
 * ("Asignar contraseña", tapped on an earlier menu or typed) says how to get there: leave by "menú"
 * (`borrador`: the answers stay); its own functionality's button ("Ingresar" again in Ingresar) says
 * the person is there already.
 */
export function staleButtonNote(context: TurnContext, form?: { borrador: boolean }): string | undefined {
  const typed = context.activity.type === 'message' ? context.activity.text?.trim() : undefined;
  const funcion = form && typed && typed.length <= MAX_TEXT ? namedButton(typed) : undefined;
  if (funcion) {
    const here = ((context.turnState.get(CURRENT) as string[] | undefined) ?? []).includes(funcion.id);
    return here ? render('general/boton-actual', { boton: funcion.label }) : render('general/boton-funcion', { boton: funcion.label, borrador: form!.borrador });
  }
  const boton = staleButton(context);
  return boton === undefined ? undefined : render('general/boton-anterior', { boton });
}
