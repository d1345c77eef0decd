/**
 * What every part of the Direct Line endpoint shares: its options, limits, clock, log, tokens and
 * conversation store, the URLs it hands out, and the constants of the local channel.
 */
import type { Activity } from 'botbuilder';
import type { Clock, Logger } from '../../domain/ports.js';
import { systemClock } from '../../domain/random.js';
import { ConversationStore } from './conversations.js';
import { DEFAULT_LIMITS, type DirectLineLimits } from './limits.js';
import { createHandle, type Handle } from './http.js';
import { DirectLineTokens } from './tokens.js';

/** What registerDirectLine needs from the composition root. */
export interface DirectLineOptions {
  /** Runs one bot turn for an activity (see createDirectLineDelivery). */
  readonly deliver: (activity: Partial<Activity>) => Promise<void>;
  /** Base URL at which the bot reaches this process (ends with "/"), e.g. http://127.0.0.1:3978/. */
  readonly serviceUrl: () => string;
  /** Key of the token signatures (≥ 32 bytes); keep it stable so tokens survive a restart. */
  readonly tokenKey: Buffer;
  /** Shared with the bot's connector client; only it may post to the connector endpoints. */
  readonly internalSecret: string;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly limits?: Partial<DirectLineLimits>;
}

/** The running endpoint, as registerDirectLine returns it. */
export interface DirectLineEndpoint {
  /**
   * Stops the sweep timer. Conversations stay in memory, so that turns still in flight during a
   * graceful shutdown can deliver their replies.
   */
  close(): void;
  /** Forgets idle conversations now (the timer does it every `sweepIntervalMs`); returns how many. */
  sweep(): number;
  /** Conversations in memory. */
  readonly conversationCount: number;
}

/** The assistant's account in this channel. */
export const BOT_ACCOUNT = Object.freeze({ id: 'asistente-ccf', name: 'Asistente CCF', role: 'bot' });
/** The channel id of the local Web Chat (what Azure's Web Chat channel uses too). */
export const CHANNEL_ID = 'webchat';

/**
 * Event activity telling clients that an activity was deleted by the bot: `value: { id, clientActivityID? }`.
 * The chat page removes it from the transcript.
 */
export const RETRACT_EVENT = 'asistente/retirar';
/**
 * Event activity put first in the answer to a client that connects without a watermark when older
 * activities were left out: `value: { omitted }`. Not stored; the chat page shows a note.
 */
export const RECENT_HISTORY_EVENT = 'asistente/historial-reciente';

/** The shared state of one Direct Line endpoint. */
export interface DirectLineContext {
  readonly opts: DirectLineOptions;
  readonly limits: DirectLineLimits;
  readonly clock: Clock;
  readonly log: Logger;
  readonly tokens: DirectLineTokens;
  readonly store: ConversationStore;
  readonly handle: Handle;
  /** The service URL, ending with "/". */
  baseUrl(): string;
  /** Prefix of the URLs of uploaded files. */
  attachmentUrlPrefix(): string;
  nowIso(): string;
}

/** Builds the shared state from the options (limits completed with the defaults). */
export function createContext(opts: DirectLineOptions): DirectLineContext {
  if (!opts.internalSecret) throw new Error('registerDirectLine: internalSecret must not be empty');
  const limits: DirectLineLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const clock = opts.clock ?? systemClock;
  const log = opts.log.child({ component: 'directline' });
  const baseUrl = (): string => {
    const url = opts.serviceUrl();
    return url.endsWith('/') ? url : `${url}/`;
  };
  return {
    opts,
    limits,
    clock,
    log,
    tokens: new DirectLineTokens(opts.tokenKey, clock, limits.tokenTtlSeconds),
    store: new ConversationStore(limits, clock),
    handle: createHandle(log),
    baseUrl,
    attachmentUrlPrefix: () => `${baseUrl()}v3/directline/attachments/`,
    nowIso: () => clock.now().toISOString(),
  };
}
