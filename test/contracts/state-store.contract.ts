/**
 * What every StateStore adapter must do: botbuilder MemoryStorage semantics (eTags, missing keys)
 * plus persistence. `reopen()` returns another instance on the same data; the original stays usable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../domain/ports.js';

export interface StateStoreHandle {
  store: StateStore;
  reopen(): Promise<StateStore>;
  cleanup(): Promise<void>;
}

const KEY = 'webchat/conversations/c1';

export function stateStoreContract(name: string, factory: () => Promise<StateStoreHandle>): void {
  describe(`StateStore contract: ${name}`, () => {
    let h: StateStoreHandle;
    let store: StateStore;
    const readOne = async (key: string, s = store) => (await s.read([key]))[key];

    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('reads back what was written, with an eTag', async () => {
      await store.write({ [KEY]: { dialogStack: [{ id: 'main' }], count: 1 } });
      const item = await readOne(KEY);
      expect(item).toMatchObject({ dialogStack: [{ id: 'main' }], count: 1 });
      expect(typeof item.eTag).toBe('string');
    });

    it('omits missing keys from a read', async () => {
      await store.write({ a: { v: 1 } });
      expect(Object.keys(await store.read(['a', 'missing']))).toEqual(['a']);
      expect(await store.read(['missing'])).toEqual({});
      expect(await store.read([])).toEqual({});
    });

    it('writes several keys at once', async () => {
      await store.write({ a: { v: 1 }, b: { v: 2 } });
      const items = await store.read(['a', 'b']);
      expect([items.a?.v, items.b?.v]).toEqual([1, 2]);
    });

    it('gives every write a new eTag', async () => {
      await store.write({ [KEY]: { v: 1 } });
      const first = (await readOne(KEY)).eTag;
      await store.write({ [KEY]: { v: 2, eTag: first } });
      const second = (await readOne(KEY)).eTag;
      await store.write({ [KEY]: { v: 3, eTag: '*' } });
      const third = (await readOne(KEY)).eTag;
      expect(new Set([first, second, third]).size).toBe(3);
    });

    it('rejects a write with a stale eTag and keeps the stored item', async () => {
      await store.write({ [KEY]: { v: 1 } });
      const stale = (await readOne(KEY)).eTag;
      await store.write({ [KEY]: { v: 2, eTag: stale } });
      await expect(store.write({ [KEY]: { v: 3, eTag: stale } })).rejects.toThrow(/eTag conflict/);
      expect((await readOne(KEY)).v).toBe(2);
    });

    it("overwrites with eTag '*' or without an eTag", async () => {
      await store.write({ [KEY]: { v: 1 } });
      await store.write({ [KEY]: { v: 2, eTag: '*' } });
      expect((await readOne(KEY)).v).toBe(2);
      await store.write({ [KEY]: { v: 3 } });
      expect((await readOne(KEY)).v).toBe(3);
    });

    it('accepts a write with an eTag when nothing is stored', async () => {
      await store.write({ [KEY]: { v: 1, eTag: 'from-elsewhere' } });
      const item = await readOne(KEY);
      expect(item.v).toBe(1);
      expect(item.eTag).not.toBe('from-elsewhere');
    });

    it('lets exactly one of several concurrent writes with the same eTag win', async () => {
      await store.write({ [KEY]: { v: 0 } });
      const tag = (await readOne(KEY)).eTag;
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.write({ [KEY]: { v: i + 1, eTag: tag } })));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
      expect(won).toHaveLength(1);
      expect((await readOne(KEY)).v).toBe(won[0]);
      for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/eTag conflict/);
    });

    it('keeps one of many concurrent unconditional writes, intact', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.write({ [KEY]: { v: i, payload: 'x'.repeat(2000) } })));
      const item = await readOne(KEY);
      expect(item.payload).toHaveLength(2000);
      expect(item.v).toBeGreaterThanOrEqual(0);
      expect(item.v).toBeLessThan(20);
    });

    it('deletes keys; deleting a missing key is fine', async () => {
      await store.write({ a: { v: 1 }, b: { v: 2 } });
      await store.delete(['a', 'never-written']);
      expect(Object.keys(await store.read(['a', 'b']))).toEqual(['b']);
    });

    it('stores copies: later changes to written or read objects do not leak in', async () => {
      const change = { list: [1] };
      await store.write({ [KEY]: change });
      change.list.push(2);
      const read = await readOne(KEY);
      read.list.push(3);
      expect((await readOne(KEY)).list).toEqual([1]);
    });

    it('keeps keys with odd characters apart', async () => {
      const keys = [
        'webchat/conversations/a|b:c/users/x',
        'webchat/conversations/a|b:c/users/X',
        'msteams/conversations/19:abc@thread.v2;messageid=1/users/29:1-ñandú ✓',
        '../../etc/passwd',
        'k'.repeat(400),
      ];
      await store.write(Object.fromEntries(keys.map((k, i) => [k, { i }])));
      const items = await store.read(keys);
      expect(keys.map((k) => items[k]?.i)).toEqual([0, 1, 2, 3, 4]);
    });

    it('persists across reopen, and eTags are checked across instances', async () => {
      const odd = 'webchat/conversations/a|b:c/users/x';
      await store.write({ [odd]: { v: 1 } });
      const stale = (await readOne(odd)).eTag;
      const other = await h.reopen();
      expect((await readOne(odd, other)).v).toBe(1);
      await other.write({ [odd]: { v: 2, eTag: stale } });
      await expect(store.write({ [odd]: { v: 3, eTag: stale } })).rejects.toThrow(/eTag conflict/);
      expect((await readOne(odd)).v).toBe(2);
      await other.delete([odd]);
      expect(await store.read([odd])).toEqual({});
    });
  });
}

/**
 * The optional JSON access of a StateStore (readJson, writeJson), for the adapters that have it:
 * the same items, eTag rule and persistence as read and write, as an item's JSON without its eTag.
 */
export function stateJsonContract(name: string, factory: () => Promise<StateStoreHandle>): void {
  describe(`StateStore JSON access: ${name}`, () => {
    let h: StateStoreHandle;
    let store: Required<Pick<StateStore, 'readJson' | 'writeJson'>> & StateStore;
    beforeEach(async () => {
      h = await factory();
      const { readJson, writeJson } = h.store;
      if (!readJson || !writeJson) throw new Error(`${name} has no readJson/writeJson`);
      store = h.store as typeof store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('reads what write wrote as its JSON without the eTag, members in order, and the eTag read gives', async () => {
      expect(await store.readJson(KEY)).toBeUndefined();
      await store.write({ [KEY]: { b: 1, eTag: '*', a: { z: [1, 'ñ'], y: null } } });
      const item = (await store.read([KEY]))[KEY];
      expect(await store.readJson(KEY)).toEqual({ json: '{"b":1,"a":{"z":[1,"ñ"],"y":null}}', eTag: item.eTag });
    });

    it('writes an object\'s JSON that read gives back as the object with a new eTag', async () => {
      const first = await store.writeJson(KEY, '{"dialogStack":[{"id":"main"}],"n":1}', undefined);
      expect(typeof first).toBe('string');
      expect((await store.read([KEY]))[KEY]).toEqual({ dialogStack: [{ id: 'main' }], n: 1, eTag: first });
      const second = await store.writeJson(KEY, '{}', '*');
      expect(second).not.toBe(first);
      expect(await store.readJson(KEY)).toEqual({ json: '{}', eTag: second });
      expect((await store.read([KEY]))[KEY]).toEqual({ eTag: second });
    });

    it('checks the eTag as write does, and refuses what is not an object\'s JSON', async () => {
      const tag = await store.writeJson(KEY, '{"v":1}', undefined);
      const next = await store.writeJson(KEY, '{"v":2}', tag);
      await expect(store.writeJson(KEY, '{"v":3}', tag)).rejects.toThrow(/eTag conflict/);
      await expect(store.write({ [KEY]: { v: 3, eTag: tag } })).rejects.toThrow(/eTag conflict/);
      expect(await store.readJson(KEY)).toEqual({ json: '{"v":2}', eTag: next });
      for (const bad of ['[1]', '"x"', '1', '']) await expect(store.writeJson(KEY, bad, '*')).rejects.toThrow(TypeError);
      expect((await store.readJson(KEY))?.json).toBe('{"v":2}');
    });

    it('persists across reopen', async () => {
      const tag = await store.writeJson(KEY, '{"paso":2,"valores":{"nombre":"Ana"}}', '*');
      const other = await h.reopen();
      expect(await other.readJson?.(KEY)).toEqual({ json: '{"paso":2,"valores":{"nombre":"Ana"}}', eTag: tag });
      await store.delete([KEY]);
      expect(await other.readJson?.(KEY)).toBeUndefined();
    });
  });
}
