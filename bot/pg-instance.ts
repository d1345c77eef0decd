/**
 * What one instance needs from PostgreSQL beyond the stores when several instances share a database
 * (DATABASE_URL), on one dedicated connection held for the instance's lifetime:
 *
 * - The built-in Direct Line endpoint keeps its conversations in this process's memory, so exactly
 *   one instance may serve it: that instance holds a session-level advisory lock on a fixed key; a
 *   second one configured to serve it refuses to start (DIRECTLINE_LOCAL=false on the others).
 * - Proactive notices to a Web Chat person raised on another instance: the sender writes the notice to
 *   an outbox (sealed conversation state, key `avisos-directline/<id>`) and NOTIFYs only the id; the
 *   endpoint's instance LISTENs, delivers it in process, deletes it and NOTIFYs back whether it was
 *   delivered; the sender waits for that answer (bounded). No personal data travels in a notification.
 *
 * Loaded (with pg) only when DATABASE_URL is set.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Middleware } from 'botbuilder';
import type { Clock, Logger, SecretBox, StateStore, Store } from '../domain/ports.js';
import { createPool } from '../storage/pg/pool.js';
import { migrate } from '../storage/pg/migrate.js';
import { openPgStore } from '../storage/pg/pg-store.js';
import { createPgStateStore, purgeIdlePgState } from '../storage/pg/pg-state-store.js';
import { RETENTION } from '../domain/retention.js';
import { createPgTurns } from './pg-turns.js';

export interface Postgres {
  readonly pool: pg.Pool;
  readonly store: Store;
  readonly stateStore: StateStore;
  /** One turn at a time per conversation across instances, a re-delivered activity once, state written in the turn's transaction. */
  readonly turns: Middleware;
  readonly link: InstanceLink;
  /** Retention: deletes conversation state not written for the retention period; how many. */
  purgeIdleState(now: Date): Promise<number>;
  /** Closes the link and ends the pool (after the caller closed the store). */
  close(): Promise<void>;
}

/**
 * The pool, the migrations (versioned, locked: instances starting together do not race), the store,
 * the conversation state, the turn middleware and the instance link; everything closed again when a
 * step fails (e.g. the Direct Line endpoint is already served by another instance).
 */
export async function openPostgres(opts: {
  readonly url: string;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly log: Logger;
  readonly directLine: boolean;
  readonly store?: Store | undefined;
  readonly stateStore?: StateStore | undefined;
}): Promise<Postgres> {
  const { log } = opts;
  const onError = (e: Error) => log.warn('PostgreSQL: an idle connection failed', { err: e.message });
  const pool = createPool(opts.url, { onError });
  let store: Store | undefined;
  let link: InstanceLink | undefined;
  try {
    const migrated = await migrate(pool);
    if (migrated.applied.length > 0) log.info('PostgreSQL migrations applied', { versions: migrated.applied });
    // A newer instance migrated the database further: this older code may not know its schema.
    if (migrated.unknown.length > 0) log.warn('PostgreSQL has migrations this version does not know', { versions: migrated.unknown });
    const turns = createPgTurns({ pool, log, secrets: opts.secrets, clock: opts.clock });
    const stateStore = opts.stateStore ?? turns.state;
    // The notice outbox is written at once, not in the sending turn's transaction: the other instance
    // reads it while that turn still waits for the answer.
    const outbox = createPgStateStore({ pool, secrets: opts.secrets, clock: opts.clock, joinTurns: false });
    link = await openInstanceLink({ url: opts.url, directLine: opts.directLine, outbox, log });
    const opened = opts.store ?? (await openPgStore({ pool }));
    store = opened;
    const held = link;
    return {
      pool,
      store: opened,
      stateStore,
      turns: turns.middleware,
      link: held,
      purgeIdleState: (now) => purgeIdlePgState(pool, new Date(now.getTime() - RETENTION.conversacionesInactivasDias * 86_400_000)),
      async close() {
        await held.close();
        await pool.end();
      },
    };
  } catch (error) {
    await link?.close().catch(() => undefined);
    if (!opts.store) await store?.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** The advisory lock of the built-in Direct Line endpoint: the two-key form ('CCF', 1), apart from any one-key lock. */
const DIRECTLINE_LOCK: readonly [number, number] = [0x434346, 1];
const NOTICES = 'asistente_avisos_directline';
const ACKS = 'asistente_avisos_directline_ack';
const outboxKey = (id: string) => `avisos-directline/${id}`;
const ID = /^[0-9a-f-]{36}$/;

export class DirectLineEndpointTaken extends Error {
  constructor() {
    super(
      'Another instance on this database already serves the built-in Direct Line endpoint (Web Chat at /). ' +
        'Its conversations live in one process, so it must run on one instance only: set DIRECTLINE_LOCAL=false ' +
        'on every other instance (they still serve /api/messages, the pages and proactive notices), and route the ' +
        'chat page, /webchat/ and /v3/directline/ paths to the one instance that serves it.',
    );
    this.name = 'DirectLineEndpointTaken';
  }
}

export interface NoticeDelivery {
  /** Delivers activities to a conversation reference on this instance; false when it failed. */
  (reference: Readonly<Record<string, unknown>>, activities: readonly Record<string, unknown>[]): Promise<boolean>;
}

export interface InstanceLink {
  /** Whether this instance holds the built-in Direct Line endpoint. */
  readonly servesDirectLine: boolean;
  /** False once the dedicated connection was lost (with it the Direct Line lock and the LISTENs): /healthz fails, restart the instance. */
  readonly healthy: boolean;
  /**
   * Hands a notice for a Web Chat conversation of the endpoint's instance to that instance; resolves
   * with its answer (delivered or not), false when no answer came in `ackTimeoutMs`.
   */
  relay(reference: Readonly<Record<string, unknown>>, activities: readonly Record<string, unknown>[]): Promise<boolean>;
  /** On the endpoint's instance: what delivers a relayed notice (set once the bot is ready). */
  onNotice(deliver: NoticeDelivery): void;
  close(): Promise<void>;
}

export interface InstanceLinkOptions {
  readonly url: string;
  /** Serve the built-in Direct Line endpoint: take its lock (throws DirectLineEndpointTaken when held). */
  readonly directLine: boolean;
  /** Where relayed notices wait (sealed at rest). */
  readonly outbox: StateStore;
  readonly log: Logger;
  readonly ackTimeoutMs?: number;
}

/** Opens the instance's dedicated connection; takes the Direct Line lock when asked. */
export async function openInstanceLink(opts: InstanceLinkOptions): Promise<InstanceLink> {
  const { log } = opts;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 5_000;
  const client = new pg.Client({ connectionString: opts.url, application_name: 'asistente-ccf-instance' });
  let closing = false;
  let lost = false;
  const onLost = (error?: Error) => {
    if (closing || lost) return;
    lost = true;
    // The lock and the LISTENs went with the connection: another instance may now take the endpoint.
    log.error('the instance connection to PostgreSQL was lost: Direct Line lock and notice relay gone, restart this instance', {
      err: error?.message ?? 'connection ended',
    });
  };
  client.on('error', (error: Error) => onLost(error));
  client.on('end', () => onLost());
  await client.connect();
  try {
    if (opts.directLine) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [...DIRECTLINE_LOCK]);
      if (!rows[0]?.ok) throw new DirectLineEndpointTaken();
      await client.query(`LISTEN ${NOTICES}`);
    }
    await client.query(`LISTEN ${ACKS}`);
  } catch (error) {
    closing = true;
    await client.end().catch(() => undefined);
    throw error;
  }

  const waiting = new Map<string, (delivered: boolean) => void>();
  let deliver: NoticeDelivery | undefined;
  const pending: string[] = [];
  let working: Promise<void> = Promise.resolve();

  const notify = (channel: string, payload: string) =>
    client.query('SELECT pg_notify($1, $2)', [channel, payload]).then(
      () => undefined,
      (e: unknown) => log.warn('notice relay: notify failed', { err: e instanceof Error ? e.message : String(e) }),
    );

  /** The outbox row may be committed a moment after its notification when it was written inside a turn. */
  async function readNotice(id: string): Promise<{ reference: Record<string, unknown>; activities: Record<string, unknown>[] } | undefined> {
    for (const wait of [0, 50, 200, 500, 1_000]) {
      if (wait) await new Promise((ok) => setTimeout(ok, wait));
      const item = (await opts.outbox.read([outboxKey(id)]))[outboxKey(id)] as
        | { reference?: Record<string, unknown>; activities?: Record<string, unknown>[] }
        | undefined;
      if (item?.reference && Array.isArray(item.activities)) return { reference: item.reference, activities: item.activities };
    }
    return undefined;
  }

  async function handle(id: string): Promise<void> {
    let delivered = false;
    try {
      const notice = await readNotice(id);
      if (!notice) {
        log.warn('notice relay: notice not found in the outbox');
      } else if (deliver) {
        delivered = await deliver(notice.reference, notice.activities);
        await opts.outbox.delete([outboxKey(id)]);
      }
    } catch (error) {
      log.warn('notice relay: delivery failed', { err: error instanceof Error ? error.message : String(error) });
    }
    await notify(ACKS, `${id}:${delivered ? 1 : 0}`);
  }

  client.on('notification', (msg: pg.Notification) => {
    const payload = msg.payload ?? '';
    if (msg.channel === ACKS) {
      const [id, ok] = payload.split(':');
      const waiter = id ? waiting.get(id) : undefined;
      if (waiter) waiter(ok === '1');
      return;
    }
    if (msg.channel !== NOTICES || !ID.test(payload)) return;
    if (!deliver) {
      pending.push(payload);
      return;
    }
    working = working.then(() => handle(payload));
  });

  return {
    servesDirectLine: opts.directLine,
    get healthy() {
      return !lost;
    },
    onNotice(fn) {
      deliver = fn;
      for (const id of pending.splice(0)) working = working.then(() => handle(id));
    },
    async relay(reference, activities) {
      const id = randomUUID();
      const answered = new Promise<boolean>((ok) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          ok(false);
        }, ackTimeoutMs);
        waiting.set(id, (delivered) => {
          clearTimeout(timer);
          waiting.delete(id);
          ok(delivered);
        });
      });
      try {
        await opts.outbox.write({ [outboxKey(id)]: { reference, activities, eTag: '*' } });
        await notify(NOTICES, id);
      } catch (error) {
        waiting.get(id)?.(false);
        log.warn('notice relay: could not queue the notice', { err: error instanceof Error ? error.message : String(error) });
        return false;
      }
      const delivered = await answered;
      if (!delivered) {
        log.warn('notice relay: the Direct Line instance did not deliver the notice (not running, or the conversation is gone)');
        await opts.outbox.delete([outboxKey(id)]).catch(() => undefined);
      }
      return delivered;
    },
    async close() {
      closing = true;
      for (const waiter of [...waiting.values()]) waiter(false);
      await working;
      await client.end().catch(() => undefined);
    },
  };
}
