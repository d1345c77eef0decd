/**
 * Turns with PostgreSQL, for several instances on one database (issue 14, items 3–5). Used instead
 * of SerializeConversations + DeduplicateActivities (bot/middleware.ts, the JSON default).
 *
 * Each turn, on a dedicated pool client:
 *   BEGIN; set_config('lock_timeout', …, true);
 *   SELECT pg_advisory_xact_lock(<64-bit hash of channel + conversation>)
 *     — two instances never interleave turns of one conversation; when the lock cannot be had in
 *       time the person is told so (templates/es/general/conversacion-ocupada.hbs) and the turn
 *       is not run;
 *   INSERT INTO seen_activities (channel, conversation, activity id) ON CONFLICT DO NOTHING
 *     — nothing inserted: the activity was processed already (by any instance), the turn is skipped;
 *   the turn, whose conversation-state reads and writes go through this transaction (the state
 *   store of {@link createPgTurns} sees the turn in AsyncLocalStorage; see storage/pg/pg-state-store.ts);
 *   COMMIT — or ROLLBACK when the turn throws: no state written, no activity recorded, so a
 *   re-delivery is processed.
 *
 * Within one instance turns of a conversation also wait for each other in memory (so waiting turns
 * do not hold connections), and at most `maxConcurrentTurns` turns hold a connection at once, so the
 * pool always keeps connections for the domain store the turns use.
 */
import { createHash } from 'node:crypto';
import type { Middleware, TurnContext } from 'botbuilder';
import type { Pool, PoolClient } from 'pg';
import type { Clock, Logger, SecretBox, StateStore } from '../domain/ports.js';
import { activePgTurn, createPgStateStore, runInPgTurn, type PgTurnScope } from '../storage/pg/pg-state-store.js';
import { checkout } from '../storage/pg/pool.js';
import { render } from '../templates/render.js';

export interface PgTurnsOptions {
  readonly pool: Pool;
  readonly log: Logger;
  /** Seals conversation state at rest (pass the app's SecretBox, as for the file adapter). */
  readonly secrets?: SecretBox;
  readonly clock?: Clock;
  /** How long a turn waits for its conversation (in memory and in PostgreSQL together). Default 10 s. */
  readonly lockTimeoutMs?: number;
  /** Seen activities are forgotten after this. Default 24 h. */
  readonly seenTtlMs?: number;
  /** Turns holding a connection at once. Default: half the pool's `max` (at least 1). */
  readonly maxConcurrentTurns?: number;
}

/**
 * The turn middleware itself (`adapter.use(turns)` where SerializeConversations +
 * DeduplicateActivities were), with a conversation state on the same pool.
 */
export interface PgTurns extends Middleware {
  /** The same middleware (for `adapter.use(turns.middleware)`). */
  readonly middleware: Middleware;
  /**
   * Conversation state on the same pool, sealed with `secrets`: `new ConversationState(turns.state)`.
   * Any store of createPgStateStore on the same pool joins the turn's transaction just as well (the
   * turn is found in AsyncLocalStorage by its pool), unless it was created with `joinTurns: false`.
   */
  readonly state: StateStore;
  /** Deletes seen-activity records older than the TTL (at most one bounded batch); also run by turns, at most every 10 minutes. */
  expireSeen(): Promise<number>;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
export const DEFAULT_SEEN_TTL_MS = 24 * 3600_000;
/** At most this many seen records are deleted by one expiry run. */
export const SEEN_EXPIRY_BATCH = 5_000;
const EXPIRY_EVERY_MS = 10 * 60_000;

/** The advisory lock key of a conversation: the first 8 bytes of sha256(channel NUL conversation), as a signed bigint (decimal). */
export function conversationLockKey(channel: string, conversation: string): string {
  return createHash('sha256').update(`${channel}\u0000${conversation}`, 'utf8').digest().readBigInt64BE(0).toString();
}

const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';
const systemClock: Clock = { now: () => new Date() };
const ref = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);

/** A FIFO counting semaphore. */
function semaphore(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((ok) => waiting.push(ok));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

export function createPgTurns(opts: PgTurnsOptions): PgTurns {
  const { pool, log } = opts;
  const clock = opts.clock ?? systemClock;
  const lockTimeoutMs = Math.max(1, Math.round(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS));
  const seenTtlMs = opts.seenTtlMs ?? DEFAULT_SEEN_TTL_MS;
  const slots = semaphore(Math.max(1, opts.maxConcurrentTurns ?? Math.floor((pool.options?.max ?? 10) / 2)));
  const state = createPgStateStore({ pool, ...(opts.secrets ? { secrets: opts.secrets } : {}), clock });

  // ---------------------------------------------------------------- expiry of seen activities

  let lastExpiry = 0;
  let expiring: Promise<number> | undefined;
  const deleteExpired = async (): Promise<number> => {
    const cutoff = new Date(clock.now().getTime() - seenTtlMs);
    const { rowCount } = await pool.query(
      'DELETE FROM seen_activities WHERE ctid = ANY(ARRAY(SELECT ctid FROM seen_activities WHERE seen_at < $1 LIMIT $2))',
      [cutoff, SEEN_EXPIRY_BATCH],
    );
    return rowCount ?? 0;
  };
  /** One expiry batch, run now: after the one in flight, if any (so what is due at the call is looked at). */
  const expireSeen = async (): Promise<number> => {
    while (expiring) await expiring.catch(() => 0);
    const run = deleteExpired().finally(() => {
      if (expiring === run) expiring = undefined;
    });
    expiring = run;
    return run;
  };
  const maybeExpire = () => {
    const now = Date.now();
    if (now - lastExpiry < EXPIRY_EVERY_MS) return;
    lastExpiry = now;
    expireSeen().then(
      (deleted) => {
        if (deleted > 0) log.debug('seen activities expired', { deleted });
        // A full batch: more are due; the next turn may take them.
        if (deleted >= SEEN_EXPIRY_BATCH) lastExpiry = 0;
      },
      (e: unknown) => log.warn('seen activities not expired', { err: e instanceof Error ? e.message : String(e) }),
    );
  };

  // ---------------------------------------------------------------- in-process order per conversation

  const tails = new Map<string, Promise<void>>();
  /** Waits for this instance's earlier turns of the conversation, at most `ms`; false when out of time. */
  async function queue(key: string, ms: number): Promise<{ inTime: boolean; release: () => void }> {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    // The entry goes when the last turn queued is done (the map does not grow with conversations).
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      previous.then(() => true),
      new Promise<boolean>((ok) => (timer = setTimeout(() => ok(false), ms))),
    ]);
    clearTimeout(timer);
    // Out of time: `mine` is released at once, so later turns still wait for `previous` (and no longer).
    if (!inTime) release();
    return { inTime, release };
  }

  const busy = async (context: TurnContext, channel: string, conversation: string, waitedMs: number) => {
    log.warn('turn not run: the conversation is busy', { channel, conversation: ref(conversation), waitedMs });
    try {
      await context.sendActivity(render('general/conversacion-ocupada'));
    } catch (e) {
      log.error('could not tell the person the conversation is busy', { err: e instanceof Error ? e.message : String(e) });
    }
  };

  // ---------------------------------------------------------------- the turn

  const middleware: Middleware = {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const a = context.activity;
      const channel = a.channelId ?? '';
      const conversation = a.conversation?.id;
      // No conversation: nothing to order or remember. A proactive ContinueConversation (no id) only
      // sends (bot/notifier.ts), often from inside another conversation's turn: it takes no lock,
      // so two conversations relaying to each other never wait on each other.
      if (!conversation || (!a.id && a.type === 'event' && a.name === 'ContinueConversation')) return next();
      const lockKey = conversationLockKey(channel, conversation);
      // A turn of the same conversation started inside this one joins its transaction.
      if (activePgTurn(pool)?.lockKey === lockKey) return next();

      const started = Date.now();
      const waited = await queue(lockKey, lockTimeoutMs);
      const queuedMs = Date.now() - started;
      if (!waited.inTime) return busy(context, channel, conversation, queuedMs);
      try {
        // Waiting for a free connection is not waiting for the conversation: not counted.
        await slots.acquire();
        try {
          await runTurn(context, next, { channel, conversation, lockKey, queuedMs });
        } finally {
          slots.release();
        }
      } finally {
        waited.release();
      }
      maybeExpire();
    },
  };

  async function runTurn(
    context: TurnContext,
    next: () => Promise<void>,
    t: { channel: string; conversation: string; lockKey: string; queuedMs: number },
  ): Promise<void> {
    // Held with an error listener (storage/pg/pool.ts checkout): a connection lost while the turn does
    // other work (server restart, idle_in_transaction_session_timeout) fails the turn's next query
    // instead of crashing the process, and is discarded.
    const held = await checkout(pool, (e) => log.warn('PostgreSQL: the connection of a turn was lost', { err: e.message }));
    const client: PoolClient = held.client;
    let broken = false;
    let open = false;
    /** Ends the transaction without throwing; a connection that cannot roll back is discarded. */
    const rollback = async () => {
      open = false;
      await client.query('ROLLBACK').catch(() => (broken = true));
    };
    try {
      await client.query('BEGIN');
      open = true;
      // What is left of the wait after this instance's own queue; at least 1 ms (0 means no timeout).
      // It also bounds every other lock wait of the turn (a row another turn is writing).
      const remaining = Math.max(1, lockTimeoutMs - t.queuedMs);
      await client.query("SELECT set_config('lock_timeout', $1, true)", [`${remaining}ms`]);
      const locking = Date.now();
      try {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [t.lockKey]);
      } catch (e) {
        // lock_timeout, or the pool's statement_timeout when it is the shorter (storage/pg/pool.ts: 15 s).
        const code = (e as { code?: string }).code;
        if (code !== LOCK_NOT_AVAILABLE && code !== QUERY_CANCELED) throw e;
        await rollback();
        await busy(context, t.channel, t.conversation, t.queuedMs + (Date.now() - locking));
        return;
      }
      const id = context.activity.id;
      if (id) {
        const { rowCount } = await client.query(
          'INSERT INTO seen_activities (channel, conversation, activity_id, seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [t.channel, t.conversation, id, clock.now()],
        );
        if (rowCount !== 1) {
          await rollback();
          log.debug('activity already processed: turn skipped', { channel: t.channel, conversation: ref(t.conversation) });
          return;
        }
      }
      const scope: PgTurnScope = { pool, client, reads: new Map(), lockKey: t.lockKey, active: true, queue: Promise.resolve() };
      try {
        await runInPgTurn(scope, next);
      } finally {
        // Later state calls (work the turn left running) go to the pool; its queued writes end first.
        scope.active = false;
        await scope.queue;
      }
      await client.query('COMMIT');
      open = false;
    } catch (e) {
      if (open) await rollback(); // the turn failed: nothing of it stays, the activity may come again
      throw e;
    } finally {
      held.release(!broken);
    }
  }

  return { onTurn: (context, next) => middleware.onTurn(context, next), middleware, state, expireSeen };
}
