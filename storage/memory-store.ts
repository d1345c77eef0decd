/**
 * The transactional engine behind every in-process Store adapter: serialized transactions over
 * copy-on-write collections. `createMemoryStore` is the engine alone; the JSON store adds
 * persistence through the `persist` hook.
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
  type Tx,
} from '../domain/ports.js';

/** Unique fields by collection name; collections not listed have none. */
export type UniqueFields = Readonly<Record<string, readonly string[]>>;

type Rec = Entity & Record<string, unknown>;
/** The whole store as plain JSON: collection name → records in insertion order. */
export type Snapshot = Record<string, Entity[]>;

export interface EngineOptions {
  uniqueFields?: UniqueFields;
  initial?: Snapshot;
  /** Makes a commit durable; the engine swaps the new state in only after it resolves. */
  persist?: (next: Snapshot) => Promise<void>;
  /** Extra health check (e.g. the file is still writable). */
  health?: () => Promise<void>;
}

export interface EngineStore extends Store {
  /** Resolves when every transaction queued so far has finished. */
  idle(): Promise<void>;
}

const noop = () => {};
const EMPTY: ReadonlyMap<string, Rec> = new Map();

function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

class Transaction implements Tx {
  /** Collections written by this transaction (copies of the committed maps). */
  readonly working = new Map<string, Map<string, Rec>>();
  failure: unknown;
  finished = false;

  constructor(
    private readonly committed: ReadonlyMap<string, ReadonlyMap<string, Rec>>,
    private readonly unique: UniqueFields,
  ) {}

  collection<N extends CollectionName>(name: N): Repository<Collections[N]> {
    return this.repository(name) as unknown as Repository<Collections[N]>;
  }

  private guard(): void {
    if (this.finished) throw new Error('transaction already finished: use the tx only inside its work');
    if (this.failure !== undefined) throw this.failure;
  }

  private view(name: string): ReadonlyMap<string, Rec> {
    return this.working.get(name) ?? this.committed.get(name) ?? EMPTY;
  }

  private writable(name: string): Map<string, Rec> {
    let map = this.working.get(name);
    if (!map) {
      map = new Map(this.committed.get(name) ?? EMPTY);
      this.working.set(name, map);
    }
    return map;
  }

  private repository(name: string): Repository<Rec> {
    return {
      get: async (id) => {
        this.guard();
        const rec = this.view(name).get(id);
        return rec && structuredClone(rec);
      },
      findBy: async (field, value) => {
        this.guard();
        const out: Rec[] = [];
        for (const rec of this.view(name).values()) if (rec[field] === value) out.push(structuredClone(rec));
        return out;
      },
      list: async () => {
        this.guard();
        return [...this.view(name).values()].map((rec) => structuredClone(rec));
      },
      put: async (record) => {
        this.guard();
        if (typeof record?.id !== 'string' || record.id === '') throw new TypeError(`put into ${name}: record needs a non-empty string id`);
        const stored = jsonCopy(record);
        const clash = this.clash(name, stored);
        if (clash) {
          // Like a SQL unique violation: the whole transaction is aborted, even if work catches it.
          this.failure = clash;
          throw clash;
        }
        this.writable(name).set(stored.id, stored);
      },
      delete: async (id) => {
        this.guard();
        if (!this.view(name).has(id)) return false;
        return this.writable(name).delete(id);
      },
    };
  }

  private clash(name: string, record: Rec): UniqueViolation | undefined {
    const fields = this.unique[name];
    if (!fields?.length) return undefined;
    const others = this.view(name);
    for (const field of fields) {
      const value = record[field];
      if (value === undefined || value === null) continue;
      for (const other of others.values()) {
        if (other.id !== record.id && other[field] === value) return new UniqueViolation(name, field);
      }
    }
    return undefined;
  }
}

function toCollections(snapshot: Snapshot): Map<string, ReadonlyMap<string, Rec>> {
  const out = new Map<string, ReadonlyMap<string, Rec>>();
  for (const [name, records] of Object.entries(snapshot)) {
    out.set(name, new Map((records as Rec[]).map((r) => [r.id, r])));
  }
  return out;
}

/** A Store whose transactions run one at a time, each on copy-on-write clones of what it writes. */
export function createStoreEngine(opts: EngineOptions = {}): EngineStore {
  const unique = opts.uniqueFields ?? (UNIQUE_FIELDS as UniqueFields);
  let snapshot: Snapshot = { ...opts.initial };
  let committed = toCollections(snapshot);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const inside = new AsyncLocalStorage<Transaction>();

  async function execute<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const tx = new Transaction(committed, unique);
    try {
      const result = await inside.run(tx, () => work(tx));
      if (tx.failure !== undefined) throw tx.failure;
      tx.finished = true;
      if (tx.working.size > 0) {
        const nextSnapshot: Snapshot = { ...snapshot };
        const nextCommitted = new Map(committed);
        for (const [name, map] of tx.working) {
          nextSnapshot[name] = [...map.values()];
          nextCommitted.set(name, map);
        }
        await opts.persist?.(nextSnapshot);
        snapshot = nextSnapshot;
        committed = nextCommitted;
      }
      return result;
    } finally {
      tx.finished = true;
    }
  }

  return {
    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error('store is closed'));
      const outer = inside.getStore();
      if (outer && !outer.finished) {
        return Promise.reject(new Error('nested store.transaction() would deadlock: use the outer tx'));
      }
      const run = queue.then(() => execute(work));
      queue = run.then(noop, noop);
      return run;
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
  };
}

/** In-memory Store with the same contract as the JSON store (fast dialog tests). */
export function createMemoryStore(opts: { uniqueFields?: UniqueFields } = {}): Store {
  const engine = createStoreEngine(opts.uniqueFields ? { uniqueFields: opts.uniqueFields } : {});
  return { transaction: engine.transaction, health: engine.health, close: engine.close };
}
