/**
 * What every Store adapter must do. Spec files call `storeContract(name, factory)` with a factory
 * that opens the adapter with CONTRACT_UNIQUE_FIELDS; `reopen()` returns a fresh instance on the
 * same data (after closing the old one where that applies) and becomes the store to clean up.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNIQUE_FIELDS, UniqueViolation, type CollectionName, type Repository, type Store, type Tx } from '../../domain/ports.js';

export interface StoreHandle {
  store: Store;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

interface Person {
  id: string;
  email?: string | null;
  name: string;
  tags?: string[];
  boss?: { id: string; since?: number } | null;
}
interface Counter {
  id: string;
  n: number;
}

/** The ad-hoc collections the contract uses, with their unique fields. */
export const CONTRACT_UNIQUE_FIELDS = { ...UNIQUE_FIELDS, contract_people: ['email'], contract_counters: [] } as const;

const people = (tx: Tx) => tx.collection('contract_people' as CollectionName) as unknown as Repository<Person>;
const counters = (tx: Tx) => tx.collection('contract_counters' as CollectionName) as unknown as Repository<Counter>;

const ana: Person = { id: 'p1', email: 'ana@example.test', name: 'Ana' };
const beto: Person = { id: 'p2', email: 'beto@example.test', name: 'Beto' };
const carla: Person = { id: 'p3', email: 'carla@example.test', name: 'Carla' };

const nextTick = () => new Promise<void>((r) => setImmediate(r));

export function storeContract(name: string, factory: () => Promise<StoreHandle>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHandle;
    let store: Store;
    const reopen = async () => (store = await h.reopen());
    const seed = (...records: Person[]) =>
      store.transaction(async (tx) => {
        for (const r of records) await people(tx).put(r);
      });
    const all = () => store.transaction((tx) => people(tx).list());

    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe('repository', () => {
      it('puts and gets a record by id; a missing id is undefined', async () => {
        await seed(ana);
        await store.transaction(async (tx) => {
          expect(await people(tx).get('p1')).toEqual(ana);
          expect(await people(tx).get('nope')).toBeUndefined();
        });
      });

      it('lists in insertion order; a replaced record keeps its place', async () => {
        await seed(ana, beto, carla);
        await store.transaction((tx) => people(tx).put({ ...ana, name: 'Ana María' }));
        expect((await all()).map((p) => [p.id, p.name])).toEqual([
          ['p1', 'Ana María'],
          ['p2', 'Beto'],
          ['p3', 'Carla'],
        ]);
      });

      it('finds by field value with strict equality', async () => {
        await seed(ana, beto, { ...carla, name: 'Ana' });
        await store.transaction(async (tx) => {
          expect((await people(tx).findBy('name', 'Ana')).map((p) => p.id)).toEqual(['p1', 'p3']);
          expect(await people(tx).findBy('name', 'ana')).toEqual([]);
        });
      });

      it('finds by a field of an object field ("boss.id"), in insertion order, also what the transaction wrote', async () => {
        await seed({ ...ana, boss: { id: 'b1', since: 2020 } }, { ...beto, boss: null }, { ...carla, boss: { id: 'b1' } }, { id: 'p4', name: 'Dora', boss: { id: 'b2' } });
        await store.transaction(async (tx) => {
          expect((await people(tx).findBy('boss.id', 'b1')).map((p) => p.id)).toEqual(['p1', 'p3']);
          expect((await people(tx).findBy('boss.since', 2020)).map((p) => p.id)).toEqual(['p1']);
          expect(await people(tx).findBy('boss.id', 'B1')).toEqual([]);
          await people(tx).put({ id: 'p1', name: 'Ana', boss: { id: 'b2' } }); // moves to b2, keeps its place
          await people(tx).put({ id: 'p5', name: 'Eva', boss: { id: 'b1' } });
          expect((await people(tx).findBy('boss.id', 'b1')).map((p) => p.id)).toEqual(['p3', 'p5']);
          expect((await people(tx).findBy('boss.id', 'b2')).map((p) => p.id)).toEqual(['p1', 'p4']);
        });
        // Committed, and from the index once it is built (a second lookup), as from a scan.
        for (let i = 0; i < 2; i++) {
          expect((await store.transaction((tx) => people(tx).findBy('boss.id', 'b2'))).map((p) => p.id)).toEqual(['p1', 'p4']);
        }
        await store.transaction((tx) => people(tx).delete('p4'));
        expect((await store.transaction((tx) => people(tx).findBy('boss.id', 'b2'))).map((p) => p.id)).toEqual(['p1']);
        // No object, or no such field in it: the field is absent.
        expect((await store.transaction((tx) => people(tx).findBy('boss.id', undefined))).map((p) => p.id)).toEqual(['p2']);
      });

      it('deletes by id and reports whether something was deleted', async () => {
        await seed(ana, beto);
        const results = await store.transaction(async (tx) => [await people(tx).delete('p1'), await people(tx).delete('p1')]);
        expect(results).toEqual([true, false]);
        expect((await all()).map((p) => p.id)).toEqual(['p2']);
      });

      it('an unknown collection is empty', async () => {
        const rows = await store.transaction((tx) => tx.collection('contract_never_written' as CollectionName).list());
        expect(rows).toEqual([]);
      });

      it('hands out copies: mutating what was put or read does not change the store', async () => {
        const record: Person = { ...ana, tags: ['a'] };
        await seed(record);
        record.tags!.push('changed-after-put');
        const read = await store.transaction(async (tx) => (await people(tx).get('p1'))!);
        read.name = 'changed-after-get';
        read.tags!.push('changed-after-get');
        expect(await store.transaction((tx) => people(tx).get('p1'))).toEqual({ ...ana, tags: ['a'] });
      });

      it('stores a record as its JSON: a date as its ISO string, undefined fields left out, in the same transaction and after it', async () => {
        const record = { ...ana, since: new Date('2026-12-05T04:00:00.000Z'), gone: undefined, tags: ['a', undefined] } as unknown as Person;
        const json = { ...ana, since: '2026-12-05T04:00:00.000Z', tags: ['a', null] };
        const inside = await store.transaction(async (tx) => {
          await people(tx).put(record);
          return people(tx).get('p1');
        });
        expect(inside).toStrictEqual(json);
        expect(await store.transaction((tx) => people(tx).get('p1'))).toStrictEqual(json);
        expect(await store.transaction((tx) => people(tx).findBy('name', ana.name))).toStrictEqual([json]);
      });

      it('returns the value of work', async () => {
        await expect(store.transaction(async () => 42)).resolves.toBe(42);
      });

      it('reports healthy when open', async () => {
        await expect(store.health()).resolves.toBeUndefined();
      });
    });

    describe('unique fields', () => {
      it('rejects a second record with the same value, as UniqueViolation', async () => {
        await seed(ana);
        const attempt = store.transaction((tx) => people(tx).put({ ...beto, email: ana.email }));
        await expect(attempt).rejects.toBeInstanceOf(UniqueViolation);
        await expect(attempt).rejects.toMatchObject({ collection: 'contract_people', field: 'email' });
        expect((await all()).map((p) => p.id)).toEqual(['p1']);
      });

      it('rolls back the whole transaction, including writes before the violation', async () => {
        await seed(ana);
        const attempt = store.transaction(async (tx) => {
          await people(tx).put(carla);
          await people(tx).delete('p1');
          await people(tx).put({ ...beto, email: carla.email });
        });
        await expect(attempt).rejects.toBeInstanceOf(UniqueViolation);
        expect(await all()).toEqual([ana]);
      });

      it('aborts the transaction even when work catches the violation', async () => {
        await seed(ana);
        const attempt = store.transaction(async (tx) => {
          await people(tx).put(carla);
          await people(tx).put({ ...beto, email: ana.email }).catch(() => undefined);
          return 'swallowed';
        });
        await expect(attempt).rejects.toBeInstanceOf(UniqueViolation);
        expect(await all()).toEqual([ana]);
      });

      it('sees clashes with writes of the same transaction', async () => {
        const attempt = store.transaction(async (tx) => {
          await people(tx).put(ana);
          await people(tx).put({ ...beto, email: ana.email });
        });
        await expect(attempt).rejects.toBeInstanceOf(UniqueViolation);
        expect(await all()).toEqual([]);
      });

      it('allows replacing a record with its own value, and reusing a value freed in the same transaction', async () => {
        await seed(ana);
        await store.transaction(async (tx) => {
          await people(tx).put({ ...ana, name: 'Ana María' });
          await people(tx).delete('p1');
          await people(tx).put({ ...beto, email: ana.email });
        });
        expect(await all()).toEqual([{ ...beto, email: ana.email }]);
      });

      it('does not treat missing or null values as clashing', async () => {
        await seed({ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C', email: null }, { id: 'd', name: 'D', email: null });
        expect(await all()).toHaveLength(4);
      });

      it('is still enforced after reopening', async () => {
        await seed(ana);
        await reopen();
        await expect(store.transaction((tx) => people(tx).put({ ...beto, email: ana.email }))).rejects.toBeInstanceOf(UniqueViolation);
      });
    });

    describe('transactions', () => {
      it('a throw in work rolls back every write and rejects with that error', async () => {
        await seed(ana);
        const boom = new Error('boom');
        const attempt = store.transaction(async (tx) => {
          await people(tx).put(beto);
          await people(tx).delete('p1');
          throw boom;
        });
        await expect(attempt).rejects.toBe(boom);
        expect(await all()).toEqual([ana]);
        await reopen();
        expect(await all()).toEqual([ana]);
      });

      it('a relaxed transaction commits and rolls back like any other, and its writes are there after reopening', async () => {
        await seed(ana);
        const relaxed = { durability: 'relaxed' } as const;
        expect(await store.transaction(async (tx) => (await people(tx).put(beto), 'ok'), relaxed)).toBe('ok');
        await expect(
          store.transaction(async (tx) => {
            await people(tx).delete('p1');
            throw new Error('boom');
          }, relaxed),
        ).rejects.toThrow('boom');
        await store.transaction(async (tx) => people(tx).put({ ...ana, name: 'Ana María' }), relaxed);
        expect(await all()).toEqual([{ ...ana, name: 'Ana María' }, beto]);
        await reopen();
        expect(await all()).toEqual([{ ...ana, name: 'Ana María' }, beto]);
      });

      it('a deferred transaction commits and rolls back like any other; after sync() its writes are there after reopening', async () => {
        await seed(ana);
        const deferred = { durability: 'deferred' } as const;
        await store.transaction(async (tx) => people(tx).put(beto), deferred);
        await expect(
          store.transaction(async (tx) => {
            await people(tx).delete('p1');
            throw new Error('boom');
          }, deferred),
        ).rejects.toThrow('boom');
        await store.sync();
        await store.sync(); // nothing left to flush
        expect(await all()).toEqual([ana, beto]);
        await reopen();
        expect(await all()).toEqual([ana, beto]);
      });

      it('reads inside a transaction see its own writes', async () => {
        await seed(ana);
        await store.transaction(async (tx) => {
          await people(tx).put(beto);
          await people(tx).put({ ...ana, name: 'Ana María' });
          expect(await people(tx).get('p2')).toEqual(beto);
          expect((await people(tx).findBy('name', 'Ana María')).map((p) => p.id)).toEqual(['p1']);
          await people(tx).delete('p1');
          expect(await people(tx).get('p1')).toBeUndefined();
          expect((await people(tx).list()).map((p) => p.id)).toEqual(['p2']);
        });
      });

      it('serializes read-modify-write: 50 parallel increments end at exactly 50', async () => {
        await store.transaction((tx) => counters(tx).put({ id: 'c', n: 0 }));
        await Promise.all(
          Array.from({ length: 50 }, () =>
            store.transaction(async (tx) => {
              const current = (await counters(tx).get('c'))!;
              await nextTick();
              await counters(tx).put({ id: 'c', n: current.n + 1 });
            }),
          ),
        );
        expect(await store.transaction((tx) => counters(tx).get('c'))).toEqual({ id: 'c', n: 50 });
      });

      it('a failed transaction does not block the ones queued after it', async () => {
        const results = await Promise.allSettled([
          store.transaction(async (tx) => {
            await people(tx).put(ana);
            throw new Error('first fails');
          }),
          store.transaction((tx) => people(tx).put(beto)),
        ]);
        expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
        expect(await all()).toEqual([beto]);
      });
    });

    describe('durability', () => {
      it('a resolved transaction is seen by a reopened store', async () => {
        await seed(ana, beto);
        await store.transaction(async (tx) => {
          await people(tx).delete('p1');
          await counters(tx).put({ id: 'c', n: 7 });
        });
        await reopen();
        expect(await all()).toEqual([beto]);
        expect(await store.transaction((tx) => counters(tx).get('c'))).toEqual({ id: 'c', n: 7 });
      });
    });
  });
}
