/**
 * The helpdesk's view of a conversation, kept as the chat goes: the last messages (for a case's
 * context, never a secret), whose conversation it is (the person's document key once known), and
 * after each turn where that person is (domain/progreso.ts: process, step, last error; no typed value).
 */
import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { safeMessage, MENSAJES_PREVIOS } from '../../domain/casos-mesa.js';
import type { MensajeCaso } from '../../domain/mesa-tipos.js';
import type { Clock, Store } from '../../domain/ports.js';
import { recordProgress } from '../../domain/progreso.js';
import { mt } from './texts.js';
import { incomingText, incomingValue } from '../incoming.js';
import { errorOf, identifiedPerson, secretTyped } from '../turn-notes.js';

/** Kept per conversation (conversation state). */
export interface ConversacionMesa {
  /** The person's document key, once known (logged in, or typed in the registration). */
  personaId?: string;
  /** The last messages, oldest first (at most MENSAJES_PREVIOS). */
  mensajes?: MensajeCaso[];
}

export interface SeguimientoDeps {
  store: Store;
  clock: Clock;
  readonly conversacion: StatePropertyAccessor<ConversacionMesa | undefined>;
}

const STARTED = Symbol('seguimiento.started');
const OUT = Symbol('seguimiento.out');

/** Text of a bot activity as a case shows it: its text, else its card's fallback. */
function botText(a: Partial<Activity>): string | undefined {
  if (a.type !== undefined && a.type !== 'message') return undefined;
  const fallback = a.attachments?.map((x) => (x.content as { fallbackText?: string } | undefined)?.fallbackText).find(Boolean);
  return (a.text || fallback || undefined)?.replace(/\*\*/g, '');
}

/** Starts watching the turn once: what the assistant says is kept as it is sent. */
export function watchTurn(context: TurnContext): void {
  if (context.turnState.get(STARTED)) return;
  context.turnState.set(STARTED, true);
  const out: string[] = [];
  context.turnState.set(OUT, out);
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const a of activities) {
      const t = botText(a);
      if (t) out.push(t);
    }
    return next();
  });
}

/**
 * Ends the turn's watch: the person's message (a card's values never; a secret never) and the
 * assistant's replies join the last messages, and the person's progress is recorded when known.
 */
export async function recordTurn(deps: SeguimientoDeps, context: TurnContext, donde: { proceso?: string; paso?: string }, citizenId?: string): Promise<void> {
  const state = (await deps.conversacion.get(context, {})) ?? {};
  const en = deps.clock.now().toISOString();
  const typed = incomingText(context);
  const mensajes: MensajeCaso[] = [...(state.mensajes ?? [])];
  if (typed && context.activity.type === 'message') {
    mensajes.push(safeMessage({ de: 'persona', texto: secretTyped(context) ? mt('dato-protegido') : typed, en }));
  } else if (incomingValue(context)) {
    mensajes.push({ de: 'persona', texto: mt('tarjeta-enviada'), en });
  }
  for (const t of (context.turnState.get(OUT) as string[] | undefined) ?? []) mensajes.push(safeMessage({ de: 'asistente', texto: t, en }));
  const personaId = citizenId ?? identifiedPerson(context) ?? state.personaId;
  await deps.conversacion.set(context, { ...(personaId ? { personaId } : {}), mensajes: mensajes.slice(-MENSAJES_PREVIOS) });
  if (personaId) {
    const error = errorOf(context);
    await recordProgress(deps, personaId, { ...donde, ...(error ? { error } : {}) }, context.activity.channelId ?? 'desconocido');
  }
}

/** The conversation's record: the person and the last messages. */
export async function conversationRecord(deps: Pick<SeguimientoDeps, 'conversacion'>, context: TurnContext): Promise<ConversacionMesa> {
  return (await deps.conversacion.get(context, {})) ?? {};
}
