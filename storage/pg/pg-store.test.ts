import type pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { UniqueViolation, type CollectionName, type Entity, type Repository, type Store, type Tx } from '../../domain/ports.js';
import { CONTRACT_UNIQUE_FIELDS, storeContract } from '../../test/contracts/store.contract.js';
import { describePg, pgDatabase, type PgDatabase } from '../../test/helpers/postgres.js';
import { openPgStore, uniqueIndexName } from './pg-store.js';
import { createPool } from './pool.js';

describePg('PostgreSQL store', () => {
  storeContract('PostgreSQL', async () => {
    const db = await pgDatabase();
    let pool = db.pool;
    let current = await openPgStore({ pool, uniqueFields: CONTRACT_UNIQUE_FIELDS });
    return {
      store: current,
      async reopen() {
        // A new store object on a new pool: nothing carried over in memory.
        await current.close();
        if (pool !== db.pool) await pool.end();
        pool = createPool(db.url, { max: 10 });
        current = await openPgStore({ pool, uniqueFields: CONTRACT_UNIQUE_FIELDS });
        return current;
      },
      async cleanup() {
        await current.close();
        if (pool !== db.pool) await pool.end();
        await db.drop();
      },
    };
  });
});

describePg('PostgreSQL store: what the contract does not say', () => {
  let db: PgDatabase;
  let store: Store;
  const extra: pg.Pool[] = [];
  const stores: Store[] = [];
  const open = async (pool: pg.Pool, opts: Partial<Parameters<typeof openPgStore>[0]> = {}) => {
    const s = await openPgStore({ pool, uniqueFields: CONTRACT_UNIQUE_FIELDS, ...opts });
    stores.push(s);
    return s;
  };
  const newPool = () => {
    const p = createPool(db.url, { max: 5 });
    extra.push(p);
    return p;
  };
  const people = (tx: Tx) => tx.collection('contract_people' as CollectionName) as unknown as Repository<Entity & Record<string, unknown>>;

  beforeEach(async () => {
    db = await pgDatabase();
    store = await open(db.pool);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(extra.splice(0).map((p) => p.end()));
    await db.drop();
  });

  it('findBy is strict equality on the JSON value: types differ, absent is undefined, null is null, objects never match', async () => {
    await store.transaction(async (tx) => {
      await people(tx).put({ id: 'n', v: 1 });
      await people(tx).put({ id: 's', v: '1' });
      await people(tx).put({ id: 'b', v: true });
      await people(tx).put({ id: 't', v: 'true' });
      await people(tx).put({ id: 'z', v: null });
      await people(tx).put({ id: 'a' });
      await people(tx).put({ id: 'o', v: { x: 1 } });
    });
    const ids = (value: unknown) => store.transaction(async (tx) => (await people(tx).findBy('v', value as never)).map((r) => r.id));
    expect(await ids(1)).toEqual(['n']);
    expect(await ids('1')).toEqual(['s']);
    expect(await ids(true)).toEqual(['b']);
    expect(await ids('true')).toEqual(['t']);
    expect(await ids(null)).toEqual(['z']);
    expect(await ids(undefined)).toEqual(['a']);
    expect(await ids({ x: 1 })).toEqual([]);
    expect(await ids(Number.NaN)).toEqual([]);
  });

  it('gives a record back exactly as written, key order included', async () => {
    const record = { id: 'k', zeta: 1, alfa: { b: 2, a: [3, 'x'] }, medio: 'ñandú "comillas" \\ \u2028' };
    await store.transaction((tx) => people(tx).put(record));
    const read = await store.transaction(async (tx) => (await people(tx).get('k'))!);
    expect(JSON.stringify(read)).toBe(JSON.stringify(record));
  });

  it('a transaction is isolated: another instance sees its writes only after the commit', async () => {
    const other = await open(newPool());
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const writer = store.transaction(async (tx) => {
      await people(tx).put({ id: 'p1', name: 'Ana' });
      written();
      await held;
    });
    await wrote;
    expect(await other.transaction((tx) => people(tx).get('p1'))).toBeUndefined();
    release();
    await writer;
    expect(await other.transaction((tx) => people(tx).get('p1'))).toEqual({ id: 'p1', name: 'Ana' });
  });

  it('no write skew: two instances each checking "none yet" and adding one end with exactly one', async () => {
    const other = await open(newPool());
    const addIfNone = (s: Store, id: string) =>
      s.transaction(async (tx) => {
        if ((await people(tx).findBy('role', 'lead')).length > 0) return false;
        await new Promise<void>((r) => setTimeout(r, 20)); // both have looked before either writes
        await people(tx).put({ id, role: 'lead' });
        return true;
      });
    const added = await Promise.all([addIfNone(store, 'x'), addIfNone(other, 'y')]);
    expect(added.filter(Boolean)).toHaveLength(1);
    expect(await store.transaction((tx) => people(tx).findBy('role', 'lead'))).toHaveLength(1);
  });

  it('runs a transaction PostgreSQL could not serialize again (onRetry is told); with no tries left it fails clearly', async () => {
    const retried: string[] = [];
    const conflict = async (s: Store) => {
      await s.transaction((tx) => people(tx).put({ id: 'c', n: 0 }));
      let bothRead!: () => void;
      let reads = 0;
      const barrier = new Promise<void>((r) => (bothRead = r));
      const increment = () =>
        s.transaction(async (tx) => {
          const c = (await people(tx).get('c'))!;
          if (++reads === 2) bothRead();
          await barrier;
          await people(tx).put({ id: 'c', n: (c.n as number) + 1 });
        });
      return Promise.allSettled([increment(), increment()]);
    };
    const patient = await open(newPool(), { onRetry: (n, code) => retried.push(`${n}:${code}`) });
    expect((await conflict(patient)).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await patient.transaction((tx) => people(tx).get('c'))).toEqual({ id: 'c', n: 2 });
    expect(retried[0]).toMatch(/^1:(40001|40P01)$/);

    const once = await open(newPool(), { maxAttempts: 1 });
    const results = await conflict(once);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.reason)).toMatch(/could not serialize the transaction after 1 attempts \(SQLSTATE 40001\)/);
  });

  it('200 parallel increments of one record from two instances end at exactly 200, within the bounded tries', async () => {
    const other = await open(newPool(), { onRetry: () => {} });
    const counters = (tx: Tx) => tx.collection('contract_counters' as CollectionName) as unknown as Repository<{ id: string; n: number }>;
    await store.transaction((tx) => counters(tx).put({ id: 'hot', n: 0 }));
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? store : other).transaction(async (tx) => {
          const c = (await counters(tx).get('hot'))!;
          await new Promise<void>((r) => setImmediate(r));
          await counters(tx).put({ id: 'hot', n: c.n + 1 });
        }),
      ),
    );
    expect(await store.transaction((tx) => counters(tx).get('hot'))).toEqual({ id: 'hot', n: 200 });
  });

  it('two instances opening at once with a new unique field both create nothing twice, and both enforce it', async () => {
    const fields = { ...CONTRACT_UNIQUE_FIELDS, contract_badges: ['code'] };
    const [x, y] = await Promise.all([open(newPool(), { uniqueFields: fields }), open(newPool(), { uniqueFields: fields })]);
    const badges = (tx: Tx) => tx.collection('contract_badges' as CollectionName) as unknown as Repository<Entity & { code: string }>;
    await x.transaction((tx) => badges(tx).put({ id: 'b1', code: 'A' }));
    const clash = y.transaction((tx) => badges(tx).put({ id: 'b2', code: 'A' }));
    await expect(clash).rejects.toBeInstanceOf(UniqueViolation);
    await expect(clash).rejects.toMatchObject({ collection: 'contract_badges', field: 'code' });
    const { rows } = await db.pool.query(`select count(*)::int as n from pg_indexes where indexname = $1`, [uniqueIndexName('contract_badges', 'code')]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses to make a field unique when stored records already repeat a value', async () => {
    await store.transaction(async (tx) => {
      await tx.collection('contract_tags' as CollectionName).put({ id: 't1', code: 'A' } as never);
      await tx.collection('contract_tags' as CollectionName).put({ id: 't2', code: 'A' } as never);
    });
    await expect(open(newPool(), { uniqueFields: { ...CONTRACT_UNIQUE_FIELDS, contract_tags: ['code'] } })).rejects.toThrow(
      /cannot make contract_tags\.code unique: stored records already repeat a value/,
    );
  });

  it('refuses a nested transaction (it would wait for a connection the outer one may hold)', async () => {
    await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/nested store\.transaction\(\) would deadlock/);
  });

  it('close waits for the transactions in flight, then refuses new ones, and leaves the pool to its owner', async () => {
    const pool = newPool();
    const s = await open(pool);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const running = s.transaction(async (tx) => {
      await held;
      await people(tx).put({ id: 'late', name: 'written before close resolved' });
    });
    let closed = false;
    const closing = s.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    release();
    await closing;
    await running;
    await expect(s.transaction(async () => 1)).rejects.toThrow(/store is closed/);
    await expect(s.health()).rejects.toThrow(/store is closed/);
    // The pool still works: the store did not end it.
    expect((await pool.query('select 1 as one')).rows[0].one).toBe(1);
    expect(await store.transaction((tx) => people(tx).get('late'))).toEqual({ id: 'late', name: 'written before close resolved' });
  });

  it('a connection lost in the middle of a transaction fails that transaction only; the next one works', async () => {
    const pool = newPool();
    const s = await open(pool);
    const lost = s.transaction(async (tx) => {
      await people(tx).put({ id: 'gone', name: 'never committed' });
      await db.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'asistente-ccf' and pid <> pg_backend_pid() and state like 'idle in transaction%'`);
      await people(tx).get('gone');
    });
    await expect(lost).rejects.toThrow(/terminat|ECONNRESET|Connection/i);
    expect(await s.transaction((tx) => people(tx).get('gone'))).toBeUndefined();
    await expect(s.health()).resolves.toBeUndefined();
  });
});
