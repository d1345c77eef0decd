/**
 * The transactional engine behind every in-process Store adapter: serialized transactions, each
 * with an overlay of the records it changed, applied to the committed tables only after the
 * `persist` hook made them durable (or wrote them, with `durable` waited for outside the queue).
 * Unique fields and looked-up fields are indexed, so no path but list() reads the whole collection. `createMemoryStore` is the engine alone; the JSON store adds
 * persistence (a journal of these changes).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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
} from '../domain/ports.js';
import { copyJson, toJsonData } from './json-copy.js';
import { MultiIndex, Table, applyChanges, fieldValue, indexable, type Change, type Rec } from './store-table.js';

export type { Change } from './store-table.js';

/** Unique fields by collection name; collections not listed have none. */
export type UniqueFields = Readonly<Record<string, readonly string[]>>;

/** The whole store as plain JSON: collection name → records in insertion order. */
export type Snapshot = Record<string, Entity[]>;

/** The committed records, read-only: collection name and id → record (records are never mutated). */
export type CommittedView = Iterable<readonly [string, ReadonlyMap<string, Entity>]>;

export interface EngineOptions {
  uniqueFields?: UniqueFields;
  initial?: Snapshot;
  /** Committed tables built by the caller (e.g. a snapshot plus a replayed journal); wins over `initial`. */
  tables?: Map<string, Table>;
  /**
   * Makes a commit's changes durable; the engine applies them only after it resolves. `flush` is
   * false for a relaxed transaction (written, not flushed to the device).
   */
  persist?: (changes: readonly Change[], flush: boolean) => Promise<void>;
  /**
   * Group commit: with it, `persist` only writes (`flush` says the write must reach the device) and
   * a transaction resolves once the promise this returns does, after the transaction left the
   * queue: the transactions behind it run meanwhile, and one flush to the device covers every write
   * made by then. Undefined when no write waits for the device. Every transaction waits for it, a
   * read-only one too (it may have read what is not on the device yet); one whose flush failed
   * rejects, its changes applied in memory (the writer then refuses every later write).
   */
  durable?: () => Promise<void> | undefined;
  /** `Store.sync`: flushes every write made so far, relaxed ones too; undefined when all are on the device. */
  flushed?: () => Promise<void> | undefined;
  /** Extra health check (e.g. the file is still writable). */
  health?: () => Promise<void>;
  /**
   * Refuse at once a store.transaction() called inside another's work (it would wait for the outer
   * one forever). Found through AsyncLocalStorage, which puts promise hooks on every promise of the
   * process (about a tenth of a turn's CPU): by default only under the test runner (VITEST), where
   * such calls are found; elsewhere the wait limit turns one into an error.
   */
  checkNesting?: boolean;
  /** How long a transaction waits for the ones before it (TRANSACTION_WAIT_MS by default). */
  waitMs?: number;
}

/**
 * A transaction that waited this long for the ones before it fails instead of waiting on: a
 * store.transaction() nested in another's work never gets its turn (the outer one waits for it),
 * so it fails, the outer one sees the error, and the store goes on instead of hanging.
 */
export const TRANSACTION_WAIT_MS = 30_000;

export interface EngineStore extends Store {
  /** Resolves when every transaction queued so far has finished. */
  idle(): Promise<void>;
  /** Runs `job` in the transaction queue: no commit happens until it resolves. */
  exclusive<T>(job: (committed: CommittedView) => Promise<T> | T): Promise<T>;
}

const noop = () => {};

/** A record as this transaction sees it: `rec` undefined = deleted; `fresh` = (re)inserted at the end. */
interface Entry {
  rec: Rec | undefined;
  fresh: boolean;
}

class Transaction implements Tx {
  /** Collection → id → what this transaction did to that record, in the order it first did it. */
  readonly overlay = new Map<string, Map<string, Entry>>();
  /** Collection → unique field → values this transaction put (clash checks without scanning). */
  private readonly uniquePut = new Map<string, Map<string, MultiIndex>>();
  failure: unknown;
  finished = false;

  constructor(
    private readonly committed: ReadonlyMap<string, Table>,
    private readonly unique: UniqueFields,
  ) {}

  collection<N extends CollectionName>(name: N): Repository<Collections[N]> {
    return this.repository(name) as unknown as Repository<Collections[N]>;
  }

  /** The changes to persist and apply, in a replayable order. */
  changes(): Change[] {
    const out: Change[] = [];
    for (const [collection, entries] of this.overlay) {
      const table = this.committed.get(collection);
      for (const [id, entry] of entries) {
        const stored = table?.records.has(id) ?? false;
        if (!entry.rec || (entry.fresh && stored)) {
          if (stored) out.push({ op: 'delete', collection, id });
        }
        if (entry.rec) out.push({ op: 'put', collection, record: entry.rec });
      }
    }
    return out;
  }

  private guard(): void {
    if (this.finished) throw new Error('transaction already finished: use the tx only inside its work');
    if (this.failure !== undefined) throw this.failure;
  }

  private entries(name: string): Map<string, Entry> {
    let entries = this.overlay.get(name);
    if (!entries) {
      entries = new Map();
      this.overlay.set(name, entries);
    }
    return entries;
  }

  private current(name: string, id: string): Rec | undefined {
    const entry = this.overlay.get(name)?.get(id);
    return entry ? entry.rec : this.committed.get(name)?.records.get(id);
  }

  private repository(name: string): Repository<Rec> {
    return {
      get: async (id) => {
        this.guard();
        const rec = this.current(name, id);
        return rec && copyJson(rec);
      },
      findBy: async (field: string, value: unknown) => {
        this.guard();
        const found = await this.find(name, field, value);
        this.guard();
        return found.map((rec) => copyJson(rec));
      },
      list: async () => {
        this.guard();
        return this.all(name).map((rec) => copyJson(rec));
      },
      put: async (record) => {
        this.guard();
        if (typeof record?.id !== 'string' || record.id === '') throw new TypeError(`put into ${name}: record needs a non-empty string id`);
        const stored = toJsonData(record);
        const clash = this.clash(name, stored);
        if (clash) {
          // Like a SQL unique violation: the whole transaction is aborted, even if work catches it.
          this.failure = clash;
          throw clash;
        }
        this.write(name, stored);
      },
      delete: async (id) => {
        this.guard();
        if (!this.current(name, id)) return false;
        const entries = this.entries(name);
        const entry = entries.get(id);
        this.forgetUnique(name, id, entry?.rec);
        if (entry?.fresh && !this.committed.get(name)?.records.has(id)) entries.delete(id);
        else entries.set(id, { rec: undefined, fresh: false });
        return true;
      },
    };
  }

  private write(name: string, rec: Rec): void {
    const entries = this.entries(name);
    const entry = entries.get(rec.id);
    this.forgetUnique(name, rec.id, entry?.rec);
    if (entry && entry.rec === undefined) {
      // Deleted earlier in this transaction: it comes back at the end, as a new record would.
      entries.delete(rec.id);
      entries.set(rec.id, { rec, fresh: true });
    } else if (entry) entry.rec = rec;
    else entries.set(rec.id, { rec, fresh: !this.committed.get(name)?.records.has(rec.id) });
    for (const field of this.unique[name] ?? []) this.uniqueIndex(name, field).add(rec[field], rec.id);
  }

  private forgetUnique(name: string, id: string, old: Rec | undefined): void {
    if (!old) return;
    for (const field of this.unique[name] ?? []) this.uniqueIndex(name, field).remove(old[field], id);
  }

  private uniqueIndex(name: string, field: string): MultiIndex {
    let byField = this.uniquePut.get(name);
    if (!byField) {
      byField = new Map();
      this.uniquePut.set(name, byField);
    }
    let index = byField.get(field);
    if (!index) {
      index = new MultiIndex();
      byField.set(field, index);
    }
    return index;
  }

  private clash(name: string, record: Rec): UniqueViolation | undefined {
    const entries = this.overlay.get(name);
    const table = this.committed.get(name);
    for (const field of this.unique[name] ?? []) {
      const value = record[field];
      if (value === undefined || value === null) continue;
      for (const id of this.uniqueIndex(name, field).get(value)) if (id !== record.id) return new UniqueViolation(name, field);
      for (const id of table?.index(field)?.get(value) ?? []) {
        // A record this transaction touched is judged by its overlay version (checked just above).
        if (id !== record.id && !entries?.has(id)) return new UniqueViolation(name, field);
      }
    }
    return undefined;
  }

  private async find(name: string, field: string, value: unknown): Promise<Rec[]> {
    if (!indexable(value)) return []; // strict equality never matches an object handed in
    const table = this.committed.get(name);
    const entries = this.overlay.get(name);
    const hits: { at: number; rec: Rec }[] = [];
    if (table) {
      const index = await table.lookup(field);
      for (const id of index.get(value)) {
        if (!entries?.has(id)) hits.push({ at: table.position(id), rec: table.records.get(id)! });
      }
    }
    let added = 0;
    for (const [id, entry] of entries ?? []) {
      if (!entry.fresh && entry.rec === undefined) continue;
      const at = entry.fresh ? (table?.end ?? 0) + added++ : table!.position(id);
      if (entry.rec && fieldValue(entry.rec, field) === value) hits.push({ at, rec: entry.rec });
    }
    return hits.sort((a, b) => a.at - b.at).map((h) => h.rec);
  }

  private all(name: string): Rec[] {
    const table = this.committed.get(name);
    const entries = this.overlay.get(name);
    if (!entries?.size) return table ? [...table.records.values()] : [];
    const out: Rec[] = [];
    for (const [id, rec] of table?.records ?? []) {
      const entry = entries.get(id);
      if (!entry) out.push(rec);
      else if (entry.rec && !entry.fresh) out.push(entry.rec);
    }
    for (const entry of entries.values()) if (entry.rec && entry.fresh) out.push(entry.rec);
    return out;
  }
}

/** Tables from a snapshot, with the unique indexes built. */
export function toTables(snapshot: Snapshot, unique: UniqueFields): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const [name, records] of Object.entries(snapshot)) tables.set(name, new Table(unique[name], records as Rec[]));
  return tables;
}

/** A Store whose transactions run one at a time, each writing an overlay applied on commit. */
export function createStoreEngine(opts: EngineOptions = {}): EngineStore {
  const unique = opts.uniqueFields ?? (UNIQUE_FIELDS as UniqueFields);
  const tables = opts.tables ?? toTables(opts.initial ?? {}, unique);
  function* view(): Generator<readonly [string, ReadonlyMap<string, Entity>]> {
    for (const [name, table] of tables) yield [name, table.records];
  }
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const inside = (opts.checkNesting ?? process.env['VITEST'] !== undefined) ? new AsyncLocalStorage<Transaction>() : undefined;
  const waitMs = opts.waitMs ?? TRANSACTION_WAIT_MS;

  async function execute<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions | undefined): Promise<T> {
    const tx = new Transaction(tables, unique);
    try {
      const result = inside ? await inside.run(tx, () => work(tx)) : await work(tx);
      if (tx.failure !== undefined) throw tx.failure;
      tx.finished = true;
      const changes = tx.changes();
      if (changes.length > 0) {
        await opts.persist?.(changes, options?.durability === undefined);
        applyChanges(tables, changes, unique);
      }
      return result;
    } finally {
      tx.finished = true;
    }
  }

  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job);
    queue = run.then(noop, noop);
    return run;
  };

  /** `enqueue`, but giving up (rejecting, and never running `job`) after `waitMs` without its turn. */
  const enqueueWaiting = <T>(job: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let decided = false;
      const timer = setTimeout(() => {
        if (decided) return;
        decided = true;
        reject(new Error(`store.transaction() waited ${waitMs / 1000} s for the ones before it: one called inside another's work never gets its turn (use the outer tx)`));
      }, waitMs);
      timer.unref();
      void enqueue(async () => {
        clearTimeout(timer);
        if (decided) return;
        decided = true;
        await job().then(resolve, reject);
      });
    });

  return {
    transaction<T>(work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (closed) return Promise.reject(new Error('store is closed'));
      const outer = inside?.getStore();
      if (outer && !outer.finished) {
        return Promise.reject(new Error('nested store.transaction() would deadlock: use the outer tx'));
      }
      const run = enqueueWaiting(() => execute(work, options));
      const durable = opts.durable;
      if (!durable) return run;
      return run.then((result) => {
        const flushed = durable();
        return flushed ? flushed.then(() => result) : result;
      });
    },
    async sync() {
      await opts.flushed?.();
    },
    async health() {
      if (closed) throw new Error('store is closed');
      await opts.health?.();
    },
    async close() {
      closed = true;
      await queue;
    },
    idle: () => queue.then(noop),
    exclusive: (job) => enqueue(async () => job(view())),
  };
}

/** In-memory Store with the same contract as the JSON store (fast dialog tests). */
export function createMemoryStore(opts: { uniqueFields?: UniqueFields } = {}): Store {
  const engine = createStoreEngine(opts.uniqueFields ? { uniqueFields: opts.uniqueFields } : {});
  return { transaction: engine.transaction, sync: engine.sync, health: engine.health, close: engine.close };
}
