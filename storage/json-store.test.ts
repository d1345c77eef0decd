import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../domain/ports.js';
import { CONTRACT_UNIQUE_FIELDS, storeContract } from '../test/contracts/store.contract.js';
import { openJsonStore } from './json-store.js';

const open = (file: string) => openJsonStore({ file, uniqueFields: CONTRACT_UNIQUE_FIELDS });

storeContract('json (lowdb)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ccf-json-store-'));
  const file = join(dir, 'db.json');
  let current = await open(file);
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await open(file);
      return current;
    },
    async cleanup() {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('json store file', () => {
  let dir: string;
  let file: string;
  const stores: Store[] = [];
  const track = async (s: Promise<Store>) => {
    const store = await s;
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-json-file-'));
    file = join(dir, 'nested', 'db.json');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const event = { id: 'e1', at: '2026-01-15T14:00:00.000Z', actor: 'a1', action: 'conversation.started', channel: 'webchat' };

  it('creates the folder and an empty JSON object file on first open', async () => {
    await track(open(file));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({});
  });

  it('creates the file 0600 in a 0700 folder, and narrows a file an earlier version left 0644', async () => {
    const store = await track(open(file));
    await store.transaction((tx) => tx.collection('audit').put(event));
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await store.close();
    await chmod(file, 0o644);
    await track(open(file));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('has the write on disk when the transaction resolves, leaving no temp file', async () => {
    const store = await track(open(file));
    await store.transaction((tx) => tx.collection('audit').put(event));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ audit: [event] });
    expect(await readdir(join(dir, 'nested'))).toEqual(['db.json']);
  });

  it('reports a corrupt file by name and never overwrites it', async () => {
    await track(open(file)); // creates the folder
    await Promise.all(stores.splice(0).map((s) => s.close()));
    const corrupt = '{"audit": [ {"id": "e1", ';
    await writeFile(file, corrupt);
    await expect(open(file)).rejects.toThrow(file);
    await expect(open(file)).rejects.toThrow(/not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe(corrupt);
  });

  it.each([
    ['null', /JSON object/],
    ['[]', /JSON object/],
    ['{"audit": {}}', /"audit" is not an array/],
    ['{"audit": [{"name": "x"}]}', /without a string id/],
  ])('rejects well-formed JSON of the wrong shape: %s', async (content, reason) => {
    await track(open(file));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await writeFile(file, content);
    await expect(open(file)).rejects.toThrow(reason);
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('keeps collections it does not know about', async () => {
    await track(open(file));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await writeFile(file, JSON.stringify({ legacy: [{ id: 'x', v: 1 }] }));
    const store = await track(open(file));
    await store.transaction((tx) => tx.collection('audit').put(event));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ legacy: [{ id: 'x', v: 1 }], audit: [event] });
  });

  it('shares one instance between two opens of the same file in this process', async () => {
    const a = await track(open(file));
    const b = await track(open(join(dir, 'nested', '..', 'nested', 'db.json')));
    await Promise.all([
      a.transaction((tx) => tx.collection('audit').put(event)),
      b.transaction((tx) => tx.collection('audit').put({ ...event, id: 'e2' })),
    ]);
    await a.close();
    expect((await b.transaction((tx) => tx.collection('audit').list())).map((e) => e.id)).toEqual(['e1', 'e2']);
    await expect(a.transaction(async () => 1)).rejects.toThrow(/closed/);
  });

  it('health fails when the file is no longer there', async () => {
    const store = await track(open(file));
    await expect(store.health()).resolves.toBeUndefined();
    await rm(file);
    await expect(store.health()).rejects.toThrow();
  });
});
