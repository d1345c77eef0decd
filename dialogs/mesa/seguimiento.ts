/**
 * The helpdesk's view of a conversation, kept as the chat goes: the last messages (for a case's
 * context, never a secret), whose conversation it is (the person's document key once known), and
 * after each turn where that person is (domain/progreso.ts: process, step, last error; no typed value).
 */
import type { Activity, TurnContext } from 'botbuilder';
import { conversationKey } from '../notifier.js';
import { safeMessage, MENSAJES_PREVIOS } from '../../domain/casos-mesa.js';
import type { MensajeCaso } from '../../domain/mesa-tipos.js';
import type { Clock, Store } from '../../domain/ports.js';
import { recordProgress } from '../../domain/progreso.js';
import { mt } from './texts.js';
import { incomingText, incomingValue } from '../incoming.js';
import { accountCreated, errorOf, identifiedPerson, secretTyped, type CreatedAccount } from '../turn-notes.js';

/** Kept per conversation, in this process's memory only (never on disk: what people typed stays out of the stored state). */
export interface ConversacionMesa {
  /** The person's document key, once known (logged in, or typed in the registration). */
  personaId?: string;
  /** The last messages, oldest first (at most MENSAJES_PREVIOS). */
  mensajes?: MensajeCaso[];
  /** The account of `personaId` this conversation created (its "¿en qué voy?" tells how to activate it). */
  cuentaCreada?: CreatedAccount;
}

/** How many conversations and for how long their last messages are remembered (like the local chat's transcripts). */
export const MEMORIA_CONVERSACIONES = 5_000;
export const MEMORIA_HORAS = 2;

/**
 * The last messages of each conversation, in memory: bounded (the least recently active forgotten
 * first) and forgotten after MEMORIA_HORAS without activity or when the process stops. A case opened
 * after a restart simply carries fewer messages.
 */
export class ConversationMemory {
  private readonly items = new Map<string, { record: ConversacionMesa; at: number }>();
  constructor(private readonly max = MEMORIA_CONVERSACIONES, private readonly ttlMs = MEMORIA_HORAS * 3_600_000) {}

  get(key: string, now: number): ConversacionMesa {
    const hit = this.items.get(key);
    if (!hit) return {};
    if (now - hit.at > this.ttlMs) {
      this.items.delete(key);
      return {};
    }
    return hit.record;
  }

  set(key: string, record: ConversacionMesa, now: number): void {
    this.items.delete(key); // re-inserted last: Map order is the recency order
    this.items.set(key, { record, at: now });
    // Only when over: a Map's key iterator first walks past the entries deleted above (one a turn).
    if (this.items.size <= this.max) return;
    for (const oldest of this.items.keys()) {
      if (this.items.size <= this.max) break;
      this.items.delete(oldest);
    }
  }

  get size(): number {
    return this.items.size;
  }
}

export interface SeguimientoDeps {
  store: Store;
  clock: Clock;
}

const STARTED = Symbol('seguimiento.started');
const OUT = Symbol('seguimiento.out');
const RECORD = Symbol('seguimiento.record');

/** Text of a bot activity as a case shows it: its text, else its card's fallback. */
function botText(a: Partial<Activity>): string | undefined {
  if (a.type !== undefined && a.type !== 'message') return undefined;
  const fallback = a.attachments?.map((x) => (x.content as { fallbackText?: string } | undefined)?.fallbackText).find(Boolean);
  return (a.text || fallback || undefined)?.replace(/\*\*/g, '');
}

/**
 * Starts watching the turn once: what the assistant says is kept as it is sent; the conversation's
 * record as the turn began is kept for the turn (turnRecord).
 */
export function watchTurn(context: TurnContext, record?: ConversacionMesa): void {
  if (context.turnState.get(STARTED)) return;
  context.turnState.set(STARTED, true);
  if (record) context.turnState.set(RECORD, record);
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
export async function recordTurn(deps: SeguimientoDeps, memory: ConversationMemory, context: TurnContext, donde: { proceso?: string; paso?: string }, citizenId?: string): Promise<void> {
  const key = conversationKey(context);
  const state = memory.get(key, deps.clock.now().getTime());
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
  // The account created here, while the conversation is about its person.
  const cuentaCreada = accountCreated(context) ?? (personaId === state.personaId ? state.cuentaCreada : undefined);
  memory.set(
    key,
    { ...(personaId ? { personaId } : {}), mensajes: mensajes.slice(-MENSAJES_PREVIOS), ...(personaId && cuentaCreada ? { cuentaCreada } : {}) },
    deps.clock.now().getTime(),
  );
  if (personaId) {
    const error = errorOf(context);
    await recordProgress(deps, personaId, { ...donde, ...(error ? { error } : {}) }, context.activity.channelId ?? 'desconocido');
  }
}

/** The conversation's record: the person and the last messages. */
export function conversationRecord(deps: Pick<SeguimientoDeps, 'clock'>, memory: ConversationMemory, context: TurnContext): ConversacionMesa {
  return memory.get(conversationKey(context), deps.clock.now().getTime());
}

/** The conversation's record as the turn began (watchTurn), e.g. for "¿en qué voy?"; {} when none. */
export const turnRecord = (context: TurnContext): ConversacionMesa => (context.turnState.get(RECORD) as ConversacionMesa | undefined) ?? {};

/** The account this conversation created: in this turn, or in an earlier one (its record). */
export const accountCreatedHere = (context: TurnContext): CreatedAccount | undefined => accountCreated(context) ?? turnRecord(context).cuentaCreada;
