import { describe, expect, it } from 'vitest';
import { CONTRACT_UNIQUE_FIELDS, storeContract } from '../test/contracts/store.contract.js';
import { createMemoryStore, createStoreEngine } from './memory-store.js';

storeContract('memory', async () => {
  const store = createMemoryStore({ uniqueFields: CONTRACT_UNIQUE_FIELDS });
  return { store, reopen: async () => store, cleanup: () => store.close() };
});

describe('memory store', () => {
  const event = (id: string) => ({ id, at: '2026-01-15T14:00:00.000Z', actor: 'a1', action: 'conversation.started', channel: 'webchat' });

  it('rejects a nested transaction instead of deadlocking', async () => {
    const store = createMemoryStore();
    await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/nested/);
  });

  it('without the nesting check (outside the tests), a nested transaction fails once it waited too long, and the store goes on', async () => {
    const store = createStoreEngine({ checkNesting: false, waitMs: 100 });
    const started = performance.now();
    const outer = store.transaction(async (tx) => {
      await tx.collection('audit').put(event('a1'));
      return store.transaction(async () => 'never').catch((e: Error) => e.message);
    });
    expect(await outer).toMatch(/waited 0\.1 s .*use the outer tx/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    // The outer transaction committed; the inner one never ran; the next ones run at once.
    expect(await store.transaction((tx) => tx.collection('audit').get('a1'))).toEqual(event('a1'));
  });

  it('a transaction that waits less than the limit behind a slow one runs as usual', async () => {
    const store = createStoreEngine({ checkNesting: false, waitMs: 200 });
    const slow = store.transaction(async (tx) => {
      await new Promise((ok) => setTimeout(ok, 60));
      await tx.collection('audit').put(event('s1'));
    });
    const behind = store.transaction((tx) => tx.collection('audit').get('s1'));
    await slow;
    expect(await behind).toEqual(event('s1'));
  });

  it('rejects use of a tx after its transaction finished', async () => {
    const store = createMemoryStore();
    const leaked = await store.transaction(async (tx) => tx);
    await expect(leaked.collection('audit').list()).rejects.toThrow(/already finished/);
  });

  it('rejects transactions after close', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.transaction(async () => 1)).rejects.toThrow(/closed/);
    await expect(store.health()).rejects.toThrow(/closed/);
  });
});
