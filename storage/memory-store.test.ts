import { describe, expect, it } from 'vitest';
import { CONTRACT_UNIQUE_FIELDS, storeContract } from '../test/contracts/store.contract.js';
import { createMemoryStore } from './memory-store.js';

storeContract('memory', async () => {
  const store = createMemoryStore({ uniqueFields: CONTRACT_UNIQUE_FIELDS });
  return { store, reopen: async () => store, cleanup: () => store.close() };
});

describe('memory store', () => {
  it('rejects a nested transaction instead of deadlocking', async () => {
    const store = createMemoryStore();
    await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/nested/);
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
