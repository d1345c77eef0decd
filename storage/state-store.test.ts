import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateJsonContract, stateStoreContract, type StateStoreHandle } from '../test/contracts/state-store.contract.js';
import { createSecretBox } from './secret-box.js';
import { createFileStateStore, createMemoryStateStore, foldStateJournal, purgeIdleStateFiles } from './state-store.js';
import { decodeState } from './state-codec.js';

const memory = async (): Promise<StateStoreHandle> => {
  const store = createMemoryStateStore();
  return { store, reopen: async () => store, cleanup: async () => {} };
};

const files = async (): Promise<StateStoreHandle> => {
  const dir = await mkdtemp(join(tmpdir(), 'ccf-state-'));
  return {
    store: createFileStateStore(join(dir, 'state')),
    reopen: async () => createFileStateStore(join(dir, 'state')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
};

const box = createSecretBox(randomBytes(32));
const sealedFiles = async (): Promise<StateStoreHandle> => {
  const dir = await mkdtemp(join(tmpdir(), 'ccf-state-sealed-'));
  return {
    store: createFileStateStore(join(dir, 'state'), { secrets: box }),
    reopen: async () => createFileStateStore(join(dir, 'state'), { secrets: box }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
};

for (const [name, factory] of [['memory', memory], ['files', files], ['sealed files', sealedFiles]] as const) {
  stateStoreContract(name, factory);
  stateJsonContract(name, factory);
}

describe('file state store layout', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-state-layout-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const fileOf = (key: string) => `${createHash('sha256').update(key).digest('hex')}.json`;

  it('keeps one file per key, named by the sha256 of the key, and no temp files (once the journal is folded)', async () => {
    const store = createFileStateStore(dir);
    await store.write({ 'a|b:c': { v: 1 }, 'x/y': { v: 2 } });
    await store.close();
    expect((await readdir(dir)).sort()).toEqual([fileOf('a|b:c'), fileOf('x/y')].sort());
    await store.delete(['a|b:c']);
    await store.close();
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

describe('file state store: personal data at rest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-state-private-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const fileOf = (key: string) => `${createHash('sha256').update(key).digest('hex')}.json`;
  const KEY = 'avisos/CC:70123456';
  const ITEM = { values: { numeroDocumento: '70123456', primerNombre: 'JOSÉ', email: 'jose@example.org' } };

  it('with a key, nothing of the key or the item is readable in the file; files 0600 in a 0700 folder', async () => {
    const root = join(dir, 'conversaciones');
    const store = createFileStateStore(root, { secrets: box });
    await store.write({ [KEY]: ITEM });
    await store.close();
    const raw = await readFile(join(root, fileOf(KEY)), 'utf8');
    for (const clear of ['70123456', 'JOS', 'jose@example.org', 'avisos', 'numeroDocumento']) expect(raw).not.toContain(clear);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, fileOf(KEY)))).mode & 0o777).toBe(0o600);
    expect((await store.read([KEY]))[KEY]).toMatchObject(ITEM);
  });

  it('without the key, or with another, a sealed file is a fault that names the file', async () => {
    await createFileStateStore(dir, { secrets: box }).write({ [KEY]: ITEM });
    await expect(createFileStateStore(dir).read([KEY])).rejects.toThrow(fileOf(KEY));
    await expect(createFileStateStore(dir, { secrets: createSecretBox(randomBytes(32)) }).read([KEY])).rejects.toThrow(/cannot be opened/);
  });

  it('reads a plain file of an earlier version and seals it on the next write', async () => {
    await createFileStateStore(dir).write({ [KEY]: ITEM });
    await foldStateJournal(dir);
    expect(await readFile(join(dir, fileOf(KEY)), 'utf8')).toContain('70123456');
    const store = createFileStateStore(dir, { secrets: box });
    const item = (await store.read([KEY]))[KEY];
    expect(item).toMatchObject(ITEM);
    await store.write({ [KEY]: { ...item, more: 1 } });
    await store.close();
    expect(await readFile(join(dir, fileOf(KEY)), 'utf8')).not.toContain('70123456');
  });

  it('a write is in the journal when it resolves, sealed (not deflated: the fold deflates), and in its file once folded', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ [KEY]: ITEM });
    const item = (await store.read([KEY]))[KEY];
    await store.write({ [KEY]: { ...item, paso: 2 } });
    const journal = (await readdir(dir)).filter((f) => f.startsWith('journal-'));
    expect(journal).toHaveLength(1);
    const lines = (await readFile(join(dir, journal[0]!), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { h: string; t: string });
    expect(lines.map((l) => l.h)).toEqual([fileOf(KEY).slice(0, 64), fileOf(KEY).slice(0, 64)]);
    expect(JSON.parse(decodeState(lines[1]!.t, (t) => box.open(t)))).toMatchObject({ key: KEY, item: { ...ITEM, paso: 2 } });
    expect(box.open(lines[1]!.t)).toMatch(/^\{"key":/);
    await store.close();
    expect(await readdir(dir)).toEqual([fileOf(KEY)]);
    const fileText = await readFile(join(dir, fileOf(KEY)), 'utf8');
    expect(box.open(fileText)).toMatch(/^z1:/);
    const onDisk = JSON.parse(decodeState(fileText, (t) => box.open(t))) as { key: string; item: Record<string, unknown> };
    expect(onDisk).toMatchObject({ key: KEY, item: { ...ITEM, paso: 2 } });
    expect(onDisk.item['eTag']).toBe((await store.read([KEY]))[KEY].eTag);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('purgeIdleStateFiles deletes files not written since the cutoff, and stale temp files', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ old: { v: 1 }, recent: { v: 2 } });
    await store.close();
    await writeFile(join(dir, '.x.tmp'), 'half');
    await writeFile(join(dir, 'README'), 'not state');
    const old = new Date(Date.now() - 10 * 86_400_000);
    for (const f of [fileOf('old'), '.x.tmp', 'README']) await utimes(join(dir, f), old, old);
    expect(await purgeIdleStateFiles(dir, new Date(Date.now() - 7 * 86_400_000))).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([fileOf('recent'), 'README'].sort());
    expect(await store.read(['old', 'recent'])).toEqual({ recent: expect.objectContaining({ v: 2 }) });
    expect(await purgeIdleStateFiles(join(dir, 'missing'), new Date())).toBe(0);
  });
});
