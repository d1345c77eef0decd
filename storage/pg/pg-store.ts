/**
 * The domain Store on PostgreSQL, for several instances on one database (issue 14). Every
 * collection lives in one table, `records (collection, id, seq, data json)` (migrations/001_store.sql):
 *
 * - A transaction is a real one, SERIALIZABLE: two instances reading and writing the same records
 *   behave as if one ran after the other. When PostgreSQL cannot serialize them (40001) or finds a
 *   deadlock (40P01), the whole transaction, `work` included, runs again after a short random
 *   pause, up to `maxAttempts` times; retries of one instance run one at a time (the retry lane),
 *   so a hot record does not turn into a storm of tries that all fail together. So `work` must do no I/O but through `tx` (the domain sends
 *   mail and writes files after its transactions: none of them does anything else) and may run
 *   more than once.
 * - Unique fields are real unique indexes, one partial index per (collection, field) on the type and
 *   text of the JSON value (absent and null values are not checked), named
 *   `records_unique_<collection>_<field>`: the migration creates those of UNIQUE_FIELDS, open
 *   creates any other the caller names. A unique_violation (23505) becomes the domain's
 *   UniqueViolation(collection, field), and like in the other adapters it aborts the transaction.
 *   Such a transaction is run once more before the violation is thrown (see execute()).
 * - list() is in insertion order (`seq`); an update keeps the row and so its place; a record
 *   deleted and put again goes to the end. findBy() is strict equality on the stored JSON value.
 *
 * The pool is the caller's: close() waits for the transactions in flight and stops taking new ones,
 * but never ends the pool (other stores, e.g. the conversation state, share it). Whoever created it
 * with createPool ends it, after closing every store on it.
 */
import { createHash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import {
  UNIQUE_FIELDS,
  UniqueViolation,
  type CollectionName,
  type Collections,
  type Entity,
  type Repository,
  type Store,
  type TransactionOptions,
  type Tx,
} from '../../domain/ports.js';
import type { UniqueFields } from '../memory-store.js';
import { LOCK_CLASS, migrate as runMigrations } from './migrate.js';
import { checkout } from './pool.js';

export interface PgStoreOptions {
  /** The caller's pool: never ended by the store. */
  pool: pg.Pool;
  /** Defaults to UNIQUE_FIELDS. */
  uniqueFields?: UniqueFields;
  /** Apply pending migrations when opening (default true; idempotent, safe with several instances). */
  migrate?: boolean;
  /** Tries of a transaction that PostgreSQL could not serialize, the first included (default 12). */
  maxAttempts?: number;
  /** Told of each try that is run again (metrics, logs): its number and the SQLSTATE. */
  onRetry?: (attempt: number, sqlstate: string) => void;
}

/** SQLSTATEs after which the whole transaction is run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const UNIQUE_VIOLATION = '23505';
/** Backoff before try n+1: a random pause up to min(BASE · 2ⁿ, CAP) ms ("full jitter"). */
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;
/** Advisory lock (two-key space, LOCK_CLASS) held while creating unique indexes at open. */
const LOCK_UNIQUE_INDEXES = 2;
/**
 * SERIALIZABLE, preferring index scans: a sequential scan takes a predicate lock on the whole table
 * (every collection), so any concurrent write would look like a conflict and force a retry; an index
 * scan locks only the index pages it read. Every query of the store has an index to use.
 */
const BEGIN = `begin isolation level serializable; set local enable_seqscan = off`;
/** A relaxed transaction (TransactionOptions): committed without waiting for the WAL flush. */
const BEGIN_RELAXED = `${BEGIN}; set local synchronous_commit = off`;

type Rec = Entity & Record<string, unknown>;

/** The name of the unique index of (collection, field); a long or unusual name is hashed. */
export function uniqueIndexName(collection: string, field: string): string {
  const plain = `records_unique_${collection}_${field}`;
  if (/^[A-Za-z0-9_]+$/.test(collection) && /^[A-Za-z0-9_]+$/.test(field) && Buffer.byteLength(plain) <= 63) return plain;
  return `records_unique_${createHash('sha256').update(`${collection}\u0000${field}`).digest('hex').slice(0, 32)}`;
}

function literal(s: string): string {
  if (s.includes('\u0000')) throw new TypeError('a collection or field name cannot hold U+0000');
  return `'${s.replace(/'/g, "''")}'`;
}

function identifier(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** The SQLSTATE of an error the server sent; undefined for any other error (a socket's ECONNRESET included). */
function pgCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Thrown inside a try to say "run the transaction again"; never leaves the store. */
class Retry extends Error {
  constructor(override readonly cause: unknown) {
    super('transaction to retry');
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class PgTransaction implements Tx {
  /** The first error of the database: the transaction is aborted, every later call throws it again. */
  failure: unknown;
  finished = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly constraints: ReadonlyMap<string, { collection: string; field: string }>,
  ) {}

  collection<N extends CollectionName>(name: N): Repository<Collections[N]> {
    return this.repository(name) as unknown as Repository<Collections[N]>;
  }

  private guard(): void {
    if (this.finished) throw new Error('transaction already finished: use the tx only inside its work');
    if (this.failure !== undefined) throw this.failure;
  }

  private async query<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    this.guard();
    try {
      return await this.client.query<R>(text, values);
    } catch (e) {
      // The first error aborts the transaction (as in the other adapters); it is the one reported.
      this.failure ??= this.translate(e, name);
      throw this.failure;
    }
  }

  private translate(e: unknown, collection: string): unknown {
    const code = pgCode(e);
    if (code === UNIQUE_VIOLATION) {
      const index = (e as { constraint?: string }).constraint ?? '';
      const known = this.constraints.get(index);
      return known ? new UniqueViolation(known.collection, known.field) : new UniqueViolation(collection, index);
    }
    if (code !== undefined && RETRYABLE.has(code)) return new Retry(e);
    return e;
  }

  private repository(name: string): Repository<Rec> {
    const col = literal(name);
    return {
      get: async (id) => {
        const { rows } = await this.query<{ data: Rec }>(name, `select data from records where collection = ${col} and id = $1`, [id]);
        return rows[0]?.data;
      },
      findBy: async (field: string, value: unknown) => {
        this.guard();
        const where = match(field, value);
        if (!where) return [];
        const { rows } = await this.query<{ data: Rec }>(name, `select data from records where collection = ${col} and ${where.sql} order by seq`, where.values);
        return rows.map((r) => r.data);
      },
      list: async () => {
        const { rows } = await this.query<{ data: Rec }>(name, `select data from records where collection = ${col} order by seq`, []);
        return rows.map((r) => r.data);
      },
      put: async (record) => {
        this.guard();
        if (typeof record?.id !== 'string' || record.id === '') throw new TypeError(`put into ${name}: record needs a non-empty string id`);
        const json = JSON.stringify(record);
        await this.query(
          name,
          `insert into records (collection, id, data) values (${col}, $1, $2::json) on conflict (collection, id) do update set data = excluded.data`,
          [record.id, json],
        );
      },
      delete: async (id) => {
        const { rowCount } = await this.query(name, `delete from records where collection = ${col} and id = $1`, [id]);
        return (rowCount ?? 0) > 0;
      },
    };
  }
}

/**
 * The condition of findBy(field, value): strict equality on the stored JSON value, written so that
 * the expression indexes on `data ->> field` serve it. undefined = the field is absent; an object,
 * NaN or ±Infinity never equals a stored value.
 */
function match(field: string, value: unknown): { sql: string; values: unknown[] } | undefined {
  // "delegado.citizenId": a field of an object field, read with the path operators (its index: migration 003).
  const dot = field.indexOf('.');
  const path = dot < 0 ? undefined : literal(`{${[field.slice(0, dot), field.slice(dot + 1)].map((p) => `"${p.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
  const json = path ? `data #> ${path}` : `data -> ${literal(field)}`;
  const text = path ? `data #>> ${path}` : `data ->> ${literal(field)}`;
  if (value === undefined) return { sql: `${json} is null`, values: [] };
  if (value === null) return { sql: `json_typeof(${json}) = 'null'`, values: [] };
  let type: string;
  if (typeof value === 'string') type = 'string';
  else if (typeof value === 'boolean') type = 'boolean';
  else if (typeof value === 'number' && Number.isFinite(value)) type = 'number';
  else return undefined;
  // Text of the value as stored: a string's own text, a number or boolean as JSON writes it.
  const stored = typeof value === 'string' ? value : JSON.stringify(value);
  return { sql: `${text} = $1 and json_typeof(${json}) = '${type}'`, values: [stored] };
}

/** Creates the unique indexes of `unique` that do not exist yet, one instance at a time; returns index name → (collection, field). */
async function ensureUniqueIndexes(pool: pg.Pool, unique: UniqueFields): Promise<Map<string, { collection: string; field: string }>> {
  const wanted = new Map<string, { collection: string; field: string }>();
  for (const [collection, fields] of Object.entries(unique)) {
    for (const field of fields ?? []) wanted.set(uniqueIndexName(collection, field), { collection, field });
  }
  const existing = async (q: pg.Pool | pg.PoolClient) =>
    new Set(
      (await q.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = current_schema() and tablename = 'records'`)).rows.map((r) => r.indexname),
    );
  const before = await existing(pool);
  const missing = [...wanted].filter(([name]) => !before.has(name));
  if (missing.length === 0) return wanted; // the usual case: no lock, no DDL

  const held = await checkout(pool);
  const { client } = held;
  let reusable = false;
  try {
    await client.query('begin');
    // Two instances opening together must not both create an index (that races in the catalog).
    await client.query('select pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_UNIQUE_INDEXES]);
    const now = await existing(client);
    for (const [name, { collection, field }] of missing) {
      if (now.has(name)) continue;
      const f = literal(field);
      try {
        await client.query(`create unique index ${identifier(name)} on records (json_typeof(data -> ${f}), (data ->> ${f})) where collection = ${literal(collection)}`);
      } catch (e) {
        if (pgCode(e) === UNIQUE_VIOLATION) throw new Error(`cannot make ${collection}.${field} unique: stored records already repeat a value`, { cause: e });
        throw e;
      }
    }
    await client.query('commit');
    reusable = true;
    return wanted;
  } finally {
    if (!reusable) reusable = await client.query('rollback').then(() => true, () => false);
    held.release(reusable);
  }
}

/** Opens the store on the caller's pool (see the module comment for who ends the pool). */
export async function openPgStore(opts: PgStoreOptions): Promise<Store> {
  const { pool } = opts;
  const unique = opts.uniqueFields ?? (UNIQUE_FIELDS as UniqueFields);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 12);
  if (opts.migrate !== false) await runMigrations(pool);
  const constraints = await ensureUniqueIndexes(pool, unique);

  const inside = new AsyncLocalStorage<PgTransaction>();
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function attempt<T>(work: (tx: Tx) => Promise<T>, relaxed: boolean): Promise<T> {
    const held = await checkout(pool);
    const { client } = held;
    const tx = new PgTransaction(client, constraints);
    // Whether the session is known to be outside any transaction again (else the pool drops it).
    let reusable = false;
    try {
      await client.query(relaxed ? BEGIN_RELAXED : BEGIN);
      let outcome: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await inside.run(tx, () => work(tx)) };
      } catch (e) {
        outcome = { ok: false, error: e };
      }
      tx.finished = true;
      if (tx.failure !== undefined || !outcome.ok) {
        // A rollback that fails (the connection is gone) leaves the connection to be discarded; the
        // error to report is still the first one.
        reusable = await client.query('rollback').then(
          () => true,
          () => false,
        );
        // The database's error wins: work may have caught it and thrown or returned something else.
        throw tx.failure !== undefined ? tx.failure : (outcome as { error: unknown }).error;
      }
      try {
        await client.query('commit');
      } catch (e) {
        const code = pgCode(e);
        reusable = code !== undefined; // the server answered: the transaction is over either way
        if (code !== undefined && RETRYABLE.has(code)) throw new Retry(e);
        throw e;
      }
      reusable = true;
      return outcome.value;
    } finally {
      tx.finished = true;
      held.release(reusable);
    }
  }

  // The retry lane: in this instance, transactions run again one at a time. Under contention on a
  // hot record every first try but one fails; without the lane all of them would try again together
  // and fail again together. In the lane a retried transaction only competes with new first tries
  // and with the other instances' lanes, so it soon succeeds.
  let lane: Promise<void> = Promise.resolve();
  const enterLane = async (): Promise<() => void> => {
    let leave!: () => void;
    const previous = lane;
    lane = new Promise<void>((r) => (leave = r));
    await previous;
    return leave;
  };

  async function execute<T>(work: (tx: Tx) => Promise<T>, relaxed: boolean): Promise<T> {
    let uniqueRetried = false;
    let leave: (() => void) | undefined;
    try {
      for (let n = 1; ; n++) {
        try {
          return await attempt(work, relaxed);
        } catch (e) {
          let code: string;
          if (e instanceof Retry) code = pgCode(e.cause) ?? '?';
          else if (e instanceof UniqueViolation && !uniqueRetried && n < maxAttempts) {
            // Once: when a concurrent transaction took the value after this one checked for it,
            // PostgreSQL may report 23505 rather than 40001; run again, work's own check then sees the
            // winner and answers as the use case does ("the e-mail is in use"). A real clash fails again.
            uniqueRetried = true;
            code = UNIQUE_VIOLATION;
          } else throw e;
          if (n >= maxAttempts) {
            const cause = e instanceof Retry ? e.cause : e;
            throw new Error(`PostgreSQL could not serialize the transaction after ${n} attempts (SQLSTATE ${code})`, { cause });
          }
          opts.onRetry?.(n, code);
          leave ??= await enterLane();
          await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** n));
        }
      }
    } finally {
      leave?.();
    }
  }



  return {
    transaction<T>(work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (closed) return Promise.reject(new Error('store is closed'));
      const outer = inside.getStore();
      if (outer && !outer.finished) {
        return Promise.reject(new Error('nested store.transaction() would deadlock: use the outer tx'));
      }
      const run = execute(work, options?.durability === 'relaxed');
      inFlight.add(run);
      const forget = () => inFlight.delete(run);
      run.then(forget, forget);
      return run;
    },
    // A 'deferred' transaction commits durably at once here (only 'relaxed' ones skip the WAL flush).
    async sync() {},
    async health() {
      if (closed) throw new Error('store is closed');
      await pool.query('select 1');
    },
    async close() {
      closed = true;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
