import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateStoreContract } from '../test/contracts/state-store.contract.js';
import { createFileStateStore, createMemoryStateStore } from './state-store.js';

stateStoreContract('memory', async () => {
  const store = createMemoryStateStore();
  return { store, reopen: async () => store, cleanup: async () => {} };
});

stateStoreContract('files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ccf-state-'));
  return {
    store: createFileStateStore(join(dir, 'state')),
    reopen: async () => createFileStateStore(join(dir, 'state')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('file state store layout', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-state-layout-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const fileOf = (key: string) => `${createHash('sha256').update(key).digest('hex')}.json`;

  it('keeps one file per key, named by the sha256 of the key, and no temp files', async () => {
    const store = createFileStateStore(dir);
    await store.write({ 'a|b:c': { v: 1 }, 'x/y': { v: 2 } });
    expect((await readdir(dir)).sort()).toEqual([fileOf('a|b:c'), fileOf('x/y')].sort());
    await store.delete(['a|b:c']);
    expect(await readdir(dir)).toEqual([fileOf('x/y')]);
  });

  it('reports a corrupt state file by name', async () => {
    const store = createFileStateStore(dir);
    await writeFile(join(dir, fileOf('k')), '{"key": "k", ');
    await expect(store.read(['k'])).rejects.toThrow(fileOf('k'));
  });

  it('rejects items that are not objects, writing nothing', async () => {
    const store = createFileStateStore(dir);
    await expect(store.write({ a: { v: 1 }, b: 'text' })).rejects.toThrow(TypeError);
    expect(await store.read(['a'])).toEqual({});
  });
});
