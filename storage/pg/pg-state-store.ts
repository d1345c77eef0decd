/**
 * Conversation state in PostgreSQL (table `conversation_state`, migration 002_state.sql), for
 * several instances on one database. Same contract as the file adapter (MemoryStorage eTag
 * semantics, copies, persistence) and the same privacy at rest: with a SecretBox the value is the
 * `{ key, item }` JSON deflated and sealed (AES-256-GCM, storage/state-codec.ts), and the row is
 * found by the sha256 of the key, so neither the key (which may name a document) nor the item is
 * readable in the database.
 *
 * Optimistic concurrency that does not inherit last-writer-wins. botbuilder's
 * `BotState.saveChanges` always writes with `eTag = '*'` (botbuilder-core/lib/botState.js sets
 * `cached.state.eTag = '*'` before `storage.write`), so the eTag the framework sends cannot tell a
 * stale write from a fresh one. Inside a turn run by bot/pg-turns.ts (an active {@link PgTurnScope}
 * in AsyncLocalStorage), this store therefore remembers the eTag of every key it read in the turn
 * (or that the key was absent), and a write with `'*'` or without an eTag of such a key is checked
 * against what the turn read:
 *   - read with eTag E:  `UPDATE … SET … WHERE key = $k AND etag = E` — no row updated → rejected;
 *   - read as absent:    `INSERT … ON CONFLICT (key) DO NOTHING`       — no row inserted → rejected.
 * A rejected write throws {@link StateConflictError} ("eTag conflict"), which botbuilder surfaces
 * from `saveChanges`; the turn fails and its transaction is rolled back. Reads and writes in a turn
 * go through the turn's client, in the turn's transaction.
 *
 * Outside a turn (the notifier, scripts, the contract suite) the contract's rules apply: an explicit
 * eTag must equal the stored one (a conditional UPDATE, or an INSERT when nothing is stored); `'*'`
 * or no eTag overwrites (an upsert). A key written in a turn without having been read in it is
 * written like that too (nothing to compare with).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import type { ClientBase, Pool, PoolClient } from 'pg';
import type { Clock, SecretBox, StateItems, StateStore } from '../../domain/ports.js';
import { decodeState, encodeState, isSealedState } from '../state-codec.js';
import { checkout } from './pool.js';

type Item = Record<string, unknown> & { eTag?: unknown };
type Queryable = Pick<ClientBase, 'query'>;

/** A stale write: its eTag (or the eTag its turn read) is not the stored one. */
export class StateConflictError extends Error {
  readonly code = 'ETAG_CONFLICT';
  constructor(keyRef: string) {
    // The key may name a person: only a short reference of its hash is in the message.
    super(`Storage: error writing state item ${keyRef} due to eTag conflict.`);
    this.name = 'StateConflictError';
  }
}

// ---------------------------------------------------------------- the turn's transaction

/**
 * A turn's transaction, shared by bot/pg-turns.ts (which opens and ends it) and the PostgreSQL
 * state stores on the same pool (which read and write through it while it is active).
 */
export interface PgTurnScope {
  /** The pool the client came from: only stores on that pool join the turn. */
  readonly pool: Pool;
  /** The dedicated client that holds the turn's transaction. */
  readonly client: PoolClient;
  /** What the turn read, by key hash: the stored eTag, or null when the key was absent. */
  readonly reads: Map<string, string | null>;
  /** Channel and conversation of the turn (a nested turn of the same conversation joins it). */
  readonly lockKey: string;
  /** False once the turn commits or rolls back: later calls go to the pool. */
  active: boolean;
  /** Serializes this turn's state writes on its client (each may use a savepoint). */
  queue: Promise<unknown>;
}

const turns = new AsyncLocalStorage<PgTurnScope>();

/** Runs `work` with `scope` as the active turn (what the state stores on `scope.pool` use). */
export function runInPgTurn<T>(scope: PgTurnScope, work: () => Promise<T>): Promise<T> {
  return turns.run(scope, work);
}

/** The active turn on `pool`, if any. */
export function activePgTurn(pool: Pool): PgTurnScope | undefined {
  const scope = turns.getStore();
  return scope && scope.active && scope.pool === pool ? scope : undefined;
}

// ---------------------------------------------------------------- encoding

const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
const keyRef = (hash: string): string => hash.slice(0, 12);

function asItem(key: string, value: unknown): Item {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`state write ${keyRef(hashKey(key))}: the item must be an object`);
  }
  return value as Item;
}

/** An eTag the caller means (not '*', empty or absent). */
const explicitETag = (tag: unknown): string | undefined =>
  tag === undefined || tag === null || tag === '' || tag === '*' ? undefined : String(tag);

export interface PgStateStoreOptions {
  readonly pool: Pool;
  /** Seals every value. Plain values (written without a box) are still read, and sealed on their next write. */
  readonly secrets?: SecretBox;
  /** For `updated_at` (retention). Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Whether reads and writes made during a turn of bot/pg-turns.ts go through the turn's
   * transaction (default true: conversation and user state). False for items another instance must
   * see before the turn ends (e.g. an outbox polled by another instance while the turn waits):
   * they are written at once, with the contract's rules (`'*'` overwrites).
   */
  readonly joinTurns?: boolean;
}

const systemClock: Clock = { now: () => new Date() };

export function createPgStateStore(opts: PgStateStoreOptions): StateStore {
  const { pool, secrets } = opts;
  const clock = opts.clock ?? systemClock;
  const joinTurns = opts.joinTurns ?? true;
  const turnOf = () => (joinTurns ? activePgTurn(pool) : undefined);

  // The file adapter's encoding (storage/state-codec.ts): with a box, the JSON deflated and sealed.
  const encode = (key: string, item: Item): string => {
    const { eTag: _drop, ...rest } = item; // the eTag is the column's
    return encodeState(JSON.stringify({ key, item: rest }), secrets);
  };

  const decode = (key: string, hash: string, value: string, eTag: string): Item => {
    if (isSealedState(value) && !secrets) throw new Error(`conversation state ${keyRef(hash)} is sealed and no key was given`);
    let json: string;
    try {
      json = decodeState(value, secrets ? (sealed) => secrets.open(sealed) : undefined);
    } catch (e) {
      throw new Error(`conversation state ${keyRef(hash)} cannot be opened: ${(e as Error).message}`);
    }
    let stored: { key?: unknown; item?: Item };
    try {
      stored = JSON.parse(json) as typeof stored;
    } catch (e) {
      throw new Error(`conversation state ${keyRef(hash)} is not valid JSON (${(e as Error).message})`);
    }
    if (stored?.key !== key || !stored.item || typeof stored.item !== 'object') {
      throw new Error(`conversation state ${keyRef(hash)} belongs to another key`);
    }
    return { ...stored.item, eTag };
  };

  /** Writes one item; returns its new eTag or throws StateConflictError. */
  async function writeOne(db: Queryable, key: string, hash: string, change: Item, expected: string | null | undefined): Promise<string> {
    const eTag = randomUUID();
    const value = encode(key, change);
    const at = clock.now();
    const explicit = explicitETag(change.eTag);
    const update = (tag: string) =>
      db.query('UPDATE conversation_state SET value = $2, etag = $3, updated_at = $4 WHERE key = $1 AND etag = $5', [hash, value, eTag, at, tag]);
    const insert = () =>
      db.query('INSERT INTO conversation_state (key, value, etag, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING', [
        hash,
        value,
        eTag,
        at,
      ]);
    let written: boolean;
    if (explicit !== undefined) {
      // The contract: equal to the stored eTag, or nothing stored.
      written = (await update(explicit)).rowCount === 1 || (await insert()).rowCount === 1;
    } else if (expected === null) {
      written = (await insert()).rowCount === 1; // the turn read it absent: still absent
    } else if (expected !== undefined) {
      written = (await update(expected)).rowCount === 1; // unchanged since the turn read it
    } else {
      await db.query(
        `INSERT INTO conversation_state (key, value, etag, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at`,
        [hash, value, eTag, at],
      );
      written = true;
    }
    if (!written) throw new StateConflictError(keyRef(hash));
    return eTag;
  }

  /** Runs `work` on a pool client inside BEGIN/COMMIT (rolled back when it throws). */
  async function inTransaction<T>(work: (db: Queryable) => Promise<T>): Promise<T> {
    const held = await checkout(pool); // with an error listener while held: a lost connection fails the query
    const client = held.client;
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const out = await work(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw e;
      }
    } finally {
      held.release(!broken);
    }
  }

  /** Runs `work` inside the turn's transaction, after the turn's earlier writes, under a savepoint. */
  function inTurn<T>(scope: PgTurnScope, savepoint: boolean, work: (db: Queryable) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const db = scope.client;
      if (!savepoint) return work(db);
      await db.query('SAVEPOINT state_write');
      try {
        const out = await work(db);
        await db.query('RELEASE SAVEPOINT state_write');
        return out;
      } catch (e) {
        await db.query('ROLLBACK TO SAVEPOINT state_write');
        throw e;
      }
    };
    const next = scope.queue.then(run, run);
    scope.queue = next.catch(() => undefined);
    return next;
  }

  return {
    async read(keys) {
      const out: StateItems = {};
      const unique = [...new Set(keys)];
      if (unique.length === 0) return out;
      const hashes = unique.map(hashKey);
      const scope = turnOf();
      const db: Queryable = scope ? scope.client : pool;
      const { rows } = await db.query<{ key: string; value: string; etag: string }>(
        'SELECT key, value, etag FROM conversation_state WHERE key = ANY($1::text[])',
        [hashes],
      );
      const byHash = new Map(rows.map((r) => [r.key, r]));
      unique.forEach((key, i) => {
        const hash = hashes[i]!;
        const row = byHash.get(hash);
        if (scope) scope.reads.set(hash, row ? row.etag : null);
        if (row) out[key] = decode(key, hash, row.value, row.etag);
      });
      return out;
    },

    async write(changes) {
      const entries = Object.entries(changes).map(([key, value]) => ({ key, hash: hashKey(key), change: asItem(key, value) }));
      if (entries.length === 0) return;
      const scope = turnOf();
      if (scope) {
        await inTurn(scope, entries.length > 1, async (db) => {
          const tags: string[] = [];
          for (const e of entries) tags.push(await writeOne(db, e.key, e.hash, e.change, scope.reads.get(e.hash)));
          // The turn's next write of these keys is checked against what it wrote.
          entries.forEach((e, i) => scope.reads.set(e.hash, tags[i]!));
        });
        return;
      }
      if (entries.length === 1) {
        const e = entries[0]!;
        await writeOne(pool, e.key, e.hash, e.change, undefined);
        return;
      }
      await inTransaction(async (db) => {
        for (const e of entries) await writeOne(db, e.key, e.hash, e.change, undefined);
      });
    },

    async delete(keys) {
      const hashes = [...new Set(keys)].map(hashKey);
      if (hashes.length === 0) return;
      const scope = turnOf();
      const remove = (db: Queryable) => db.query('DELETE FROM conversation_state WHERE key = ANY($1::text[])', [hashes]);
      if (!scope) {
        await remove(pool);
        return;
      }
      await inTurn(scope, false, async (db) => {
        await remove(db);
        for (const hash of hashes) scope.reads.set(hash, null);
      });
    },
  };
}

/**
 * Retention, adapter side: deletes the state items not written since `before` (abandoned
 * conversations, the user state of people not seen since). Returns how many were deleted.
 */
export async function purgeIdlePgState(pool: Pool, before: Date): Promise<number> {
  const { rowCount } = await pool.query('DELETE FROM conversation_state WHERE updated_at < $1', [before]);
  return rowCount ?? 0;
}
