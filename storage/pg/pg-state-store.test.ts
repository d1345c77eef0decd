import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stateStoreContract } from '../../test/contracts/state-store.contract.js';
import { describePg, pgDatabase, type PgDatabase } from '../../test/helpers/postgres.js';
import { createSecretBox } from '../secret-box.js';
import { migrate } from './migrate.js';
import { createPgStateStore, runInPgTurn, StateConflictError, type PgTurnScope } from './pg-state-store.js';
import { createPool } from './pool.js';

const box = createSecretBox(randomBytes(32));

describePg('PostgreSQL conversation state', () => {
  let db: PgDatabase;
  /** A second pool on the same database: another instance. */
  let other: pg.Pool;

  beforeAll(async () => {
    db = await pgDatabase();
    await migrate(db.pool);
    other = createPool(db.url, { max: 4 });
  });
  afterAll(async () => {
    await other?.end().catch(() => undefined);
    await db?.drop();
  });
  const empty = async () => {
    await db.pool.query('TRUNCATE conversation_state');
  };

  stateStoreContract('PostgreSQL', async () => {
    await empty();
    return { store: createPgStateStore({ pool: db.pool }), reopen: async () => createPgStateStore({ pool: other }), cleanup: empty };
  });

  stateStoreContract('PostgreSQL, sealed', async () => {
    await empty();
    return {
      store: createPgStateStore({ pool: db.pool, secrets: box }),
      reopen: async () => createPgStateStore({ pool: other, secrets: box }),
      cleanup: empty,
    };
  });

  describe('in a turn', () => {
    beforeEach(empty);
    const KEY = 'msteams/conversations/19:abc@thread.v2/users/29:1';

    /** Runs `work` as a turn of bot/pg-turns.ts would: a transaction on a dedicated client, committed at the end. */
    async function turn<T>(work: () => Promise<T>): Promise<T> {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        const scope: PgTurnScope = { pool: db.pool, client, reads: new Map(), lockKey: 'k', active: true, queue: Promise.resolve() };
        try {
          const out = await runInPgTurn(scope, work);
          scope.active = false;
          await scope.queue;
          await client.query('COMMIT');
          return out;
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        }
      } finally {
        client.release();
      }
    }

    it("rejects a write with eTag '*' (what BotState.saveChanges sends) when the item changed since the turn read it", async () => {
      const store = createPgStateStore({ pool: db.pool });
      const elsewhere = createPgStateStore({ pool: other });
      await store.write({ [KEY]: { v: 1 } });
      const attempt = turn(async () => {
        const item = (await store.read([KEY]))[KEY];
        await elsewhere.write({ [KEY]: { v: 2, eTag: '*' } }); // another instance, meanwhile
        await store.write({ [KEY]: { ...item, v: item.v + 10, eTag: '*' } });
      });
      await expect(attempt).rejects.toThrow(/eTag conflict/);
      await expect(attempt).rejects.toBeInstanceOf(StateConflictError);
      expect((await store.read([KEY]))[KEY].v).toBe(2);
    });

    it('rejects the write of a key the turn read as absent when another instance created it meanwhile', async () => {
      const store = createPgStateStore({ pool: db.pool });
      const elsewhere = createPgStateStore({ pool: other });
      const attempt = turn(async () => {
        expect(await store.read([KEY])).toEqual({});
        await elsewhere.write({ [KEY]: { v: 'theirs' } });
        await store.write({ [KEY]: { v: 'mine', eTag: '*' } });
      });
      await expect(attempt).rejects.toThrow(/eTag conflict/);
      expect((await store.read([KEY]))[KEY].v).toBe('theirs');
    });

    it('accepts the write of what the turn read, then a second write checked against the first', async () => {
      const store = createPgStateStore({ pool: db.pool, secrets: box });
      await store.write({ [KEY]: { v: 1 } });
      await turn(async () => {
        const item = (await store.read([KEY]))[KEY];
        await store.write({ [KEY]: { ...item, v: 2, eTag: '*' } });
        await store.write({ [KEY]: { ...item, v: 3, eTag: '*' } });
      });
      expect((await store.read([KEY]))[KEY].v).toBe(3);
    });

    it("a write in a turn is not seen outside it before the commit, and is gone when the turn fails", async () => {
      const store = createPgStateStore({ pool: db.pool });
      const elsewhere = createPgStateStore({ pool: other });
      await expect(
        turn(async () => {
          await store.read([KEY]);
          await store.write({ [KEY]: { v: 1, eTag: '*' } });
          expect((await store.read([KEY]))[KEY].v).toBe(1); // the turn sees its own write
          expect(await elsewhere.read([KEY])).toEqual({});
          throw new Error('the turn failed');
        }),
      ).rejects.toThrow('the turn failed');
      expect(await store.read([KEY])).toEqual({});
    });

    it('a store created with joinTurns: false writes at once, outside the turn', async () => {
      const store = createPgStateStore({ pool: db.pool });
      const outbox = createPgStateStore({ pool: db.pool, joinTurns: false });
      await expect(
        turn(async () => {
          await outbox.write({ outbox: { v: 1, eTag: '*' } });
          expect((await createPgStateStore({ pool: other }).read(['outbox'])).outbox.v).toBe(1);
          throw new Error('the turn failed');
        }),
      ).rejects.toThrow('the turn failed');
      expect((await store.read(['outbox'])).outbox.v).toBe(1);
    });
  });

  describe('outside a turn', () => {
    beforeEach(empty);

    it('writes several keys all or nothing', async () => {
      const store = createPgStateStore({ pool: db.pool });
      await store.write({ a: { v: 1 }, b: { v: 1 } });
      const stale = (await store.read(['b'])).b.eTag;
      await store.write({ b: { v: 2 } });
      await expect(store.write({ a: { v: 9 }, b: { v: 9, eTag: stale } })).rejects.toThrow(/eTag conflict/);
      const items = await store.read(['a', 'b']);
      expect([items.a.v, items.b.v]).toEqual([1, 2]);
    });

    it('rejects items that are not objects, writing nothing', async () => {
      const store = createPgStateStore({ pool: db.pool });
      await expect(store.write({ a: { v: 1 }, b: 'text' })).rejects.toThrow(TypeError);
      expect(await store.read(['a'])).toEqual({});
    });
  });

  describe('personal data at rest', () => {
    beforeEach(empty);
    const KEY = 'avisos/CC:70123456';
    const ITEM = { values: { numeroDocumento: '70123456', primerNombre: 'JOSÉ', email: 'jose@example.org' } };
    const stored = async () => (await db.pool.query<{ key: string; value: string; etag: string }>('SELECT key, value, etag FROM conversation_state')).rows;

    it('with a secret box, nothing of the key or the item is readable in the table', async () => {
      const store = createPgStateStore({ pool: db.pool, secrets: box });
      await store.write({ [KEY]: ITEM });
      const rows = await stored();
      expect(rows).toHaveLength(1);
      const raw = JSON.stringify(rows);
      for (const clear of ['70123456', 'JOS', 'jose@example.org', 'avisos', 'numeroDocumento', JSON.stringify(ITEM.values)]) {
        expect(raw).not.toContain(clear);
      }
      expect(rows[0]!.key).toMatch(/^[0-9a-f]{64}$/);
      expect((await store.read([KEY]))[KEY]).toMatchObject({ ...ITEM, eTag: rows[0]!.etag });
    });

    it('without the key, or with another, a sealed item is a fault; a plain item is sealed on its next write', async () => {
      await createPgStateStore({ pool: db.pool, secrets: box }).write({ [KEY]: ITEM });
      await expect(createPgStateStore({ pool: db.pool }).read([KEY])).rejects.toThrow(/sealed and no key/);
      await expect(createPgStateStore({ pool: db.pool, secrets: createSecretBox(randomBytes(32)) }).read([KEY])).rejects.toThrow(/cannot be opened/);

      await empty();
      await createPgStateStore({ pool: db.pool }).write({ [KEY]: ITEM });
      expect(JSON.stringify(await stored())).toContain('70123456');
      const store = createPgStateStore({ pool: db.pool, secrets: box });
      const item = (await store.read([KEY]))[KEY];
      expect(item).toMatchObject(ITEM);
      await store.write({ [KEY]: { ...item, more: 1 } });
      expect(JSON.stringify(await stored())).not.toContain('70123456');
    });

    it('a conflict names no key', async () => {
      const store = createPgStateStore({ pool: db.pool });
      await store.write({ [KEY]: ITEM });
      const stale = (await store.read([KEY]))[KEY].eTag;
      await store.write({ [KEY]: ITEM });
      const error = await store.write({ [KEY]: { ...ITEM, eTag: stale } }).catch((e: unknown) => e as Error);
      expect(String(error)).toMatch(/eTag conflict/);
      expect(String(error)).not.toContain('70123456');
    });
  });
});
