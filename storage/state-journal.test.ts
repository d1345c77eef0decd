/**
 * The file state store's journal: writes are grouped into few appends, what the journal holds is
 * read before the files, folded into them off the request path, and replayed by the next process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.js';
import { decodeState, encodeState } from './state-codec.js';
import {
  configureStateJournal,
  createFileStateStore,
  foldStateJournal,
  forgetCachedState,
  purgeIdleStateFiles,
  stateJournalStats,
} from './state-store.js';

const box = createSecretBox(randomBytes(32));
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
const fileOf = (key: string) => `${hashOf(key)}.json`;
const journalsIn = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith('journal-'));
/** The item a per-key file holds (sealed with `box`). */
const onDisk = async (dir: string, key: string) =>
  (JSON.parse(decodeState(await readFile(join(dir, fileOf(key)), 'utf8'), (t) => box.open(t))) as { key: string; item: Record<string, unknown> }).item;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccf-state-journal-'));
  // Folds only when a test asks for one, unless it sets other limits.
  configureStateJournal({ foldBytes: 64 * 1024 * 1024, foldIdleMs: 60_000 });
});
afterEach(async () => {
  await foldStateJournal(dir).catch(() => undefined);
  configureStateJournal({ foldBytes: 4 * 1024 * 1024, foldIdleMs: 1_000 });
  await rm(dir, { recursive: true, force: true });
});

describe('state journal', () => {
  it('groups concurrent writes into fewer write calls; each one resolves and is read back', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ warm: { v: 0 } }); // the journal is open
    const before = stateJournalStats(dir)!;
    const N = 64;
    await Promise.all(Array.from({ length: N }, (_, i) => store.write({ [`k${i}`]: { v: i } })));
    const after = stateJournalStats(dir)!;
    expect(after.lines - before.lines).toBe(N);
    expect(after.writes - before.writes).toBeLessThan(N / 2);
    const items = await createFileStateStore(dir, { secrets: box }).read(Array.from({ length: N }, (_, i) => `k${i}`));
    for (let i = 0; i < N; i++) expect(items[`k${i}`]).toMatchObject({ v: i });
  });

  it('another store on the folder, or the same one with its memory forgotten, reads what the journal holds', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ a: { v: 1 }, b: { v: 2 } });
    await store.delete(['b']);
    expect(await journalsIn(dir)).toHaveLength(1);
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toEqual([]); // not folded yet
    forgetCachedState();
    const again = createFileStateStore(dir, { secrets: box });
    expect(await again.read(['a', 'b'])).toEqual({ a: expect.objectContaining({ v: 1 }) });
  });

  it('a new process replays the journals it finds, in order, later lines winning, a torn last line ignored', async () => {
    const line = (key: string, item: Record<string, unknown>) =>
      `${JSON.stringify({ h: hashOf(key), t: encodeState(JSON.stringify({ key, item: { ...item, eTag: 'e' } }), box) })}\n`;
    const tomb = (key: string) => `${JSON.stringify({ h: hashOf(key), d: 1 })}\n`;
    // An old file for "gone", then two journals an earlier (killed) process left.
    await writeFile(join(dir, fileOf('gone')), encodeState(JSON.stringify({ key: 'gone', item: { v: 0 } }), box), { mode: 0o600 });
    await writeFile(join(dir, 'journal-000003-aaaa.log'), line('a', { v: 1 }) + line('gone', { v: 1 }) + line('c', { v: 1 }), { mode: 0o600 });
    const torn = line('c', { v: 2 });
    await writeFile(join(dir, 'journal-000007-bbbb.log'), line('a', { v: 2 }) + tomb('gone') + torn.slice(0, torn.length - 20), { mode: 0o600 });

    const store = createFileStateStore(dir, { secrets: box });
    expect(await store.read(['a', 'gone', 'c'])).toEqual({ a: expect.objectContaining({ v: 2 }), c: expect.objectContaining({ v: 1 }) });
    expect((await readdir(dir)).sort()).toEqual([fileOf('a'), fileOf('c')].sort()); // replayed into the files, journals gone
    expect(await onDisk(dir, 'a')).toMatchObject({ v: 2 });
    // New lines go to a journal numbered after the replayed ones.
    await store.write({ a: { v: 3 } });
    expect((await journalsIn(dir))[0]).toMatch(/^journal-000008-/);
  });

  it('a delete is a tombstone: read as absent at once, the file removed by the fold', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ a: { v: 1 } });
    await store.close();
    expect(await readdir(dir)).toEqual([fileOf('a')]);
    await store.delete(['a']);
    expect(await readdir(dir)).toContain(fileOf('a')); // still there, shadowed by the tombstone
    forgetCachedState();
    expect(await store.read(['a'])).toEqual({});
    await store.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('folding while writing loses nothing (many keys, random writes and deletes, folds in between)', async () => {
    configureStateJournal({ foldBytes: 4096, foldIdleMs: 5 });
    const store = createFileStateStore(dir, { secrets: box });
    const model = new Map<string, number>();
    const keys = Array.from({ length: 40 }, (_, i) => `conv/${i}`);
    let n = 0;
    const worker = async () => {
      for (let i = 0; i < 150; i++) {
        const key = keys[Math.floor(Math.random() * keys.length)]!;
        if (Math.random() < 0.1) {
          model.delete(key);
          await store.delete([key]);
        } else {
          const v = ++n;
          model.set(key, v);
          await store.write({ [key]: { v, pad: 'x'.repeat(Math.floor(Math.random() * 300)) } });
        }
        if (Math.random() < 0.03) void foldStateJournal(dir);
        if (Math.random() < 0.2) await new Promise((ok) => setTimeout(ok, Math.random() * 3));
      }
    };
    // Several workers write the same keys: the model follows the order the calls were made, which
    // is the order the store queues them per key.
    await Promise.all(Array.from({ length: 6 }, worker));
    const expected = Object.fromEntries([...model].map(([k, v]) => [k, v]));
    const seen = async () => Object.fromEntries(Object.entries(await store.read(keys)).map(([k, item]) => [k, (item as { v: number }).v]));
    expect(await seen()).toEqual(expected);
    forgetCachedState();
    expect(await seen()).toEqual(expected);
    await store.close();
    expect(await journalsIn(dir)).toEqual([]);
    expect(stateJournalStats(dir)?.overlay).toBe(0);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual([...model.keys()].map(fileOf).sort());
    for (const [key, v] of model) expect(await onDisk(dir, key)).toMatchObject({ v });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('eTag conflicts are detected whether the stored item is in memory, in the journal or in its file', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ k: { v: 1 } });
    const first = (await store.read(['k']))['k'];
    await store.write({ k: { ...first, v: 2 } });
    await expect(store.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
    forgetCachedState(); // from the journal
    await expect(store.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
    await store.close();
    forgetCachedState(); // from the file
    await expect(store.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
    const second = (await store.read(['k']))['k'];
    await store.write({ k: { ...second, v: 4 } });
    expect((await store.read(['k']))['k']).toMatchObject({ v: 4 });
  });

  it('purgeIdleStateFiles leaves a key whose latest write waits in the journal; the fold writes it', async () => {
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ old: { v: 1 }, back: { v: 1 } });
    await store.close();
    const long = new Date(Date.now() - 10 * 86_400_000);
    for (const key of ['old', 'back']) await utimes(join(dir, fileOf(key)), long, long);
    await store.write({ back: { v: 2 } }); // in the journal, its file still old
    expect(await purgeIdleStateFiles(dir, new Date(Date.now() - 7 * 86_400_000))).toBe(1);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toEqual([fileOf('back')]);
    await store.close();
    expect(await onDisk(dir, 'back')).toMatchObject({ v: 2 });
    expect((await stat(join(dir, fileOf('back')))).mtime.getTime()).toBeGreaterThan(long.getTime());
    forgetCachedState();
    expect(await store.read(['old', 'back'])).toEqual({ back: expect.objectContaining({ v: 2 }) });
  });

  it('with a key, nothing of a sealed item is readable in the journal; journal and files are 0600', async () => {
    const SECRET = 'Documento-70123456-jose@example.org';
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ 'avisos/CC:70123456': { values: { secret: SECRET } } });
    const [journal] = await journalsIn(dir);
    const raw = await readFile(join(dir, journal!), 'utf8');
    for (const clear of [SECRET, '70123456', 'avisos', 'secret']) expect(raw).not.toContain(clear);
    expect((await stat(join(dir, journal!))).mode & 0o777).toBe(0o600);
    await store.close();
    for (const name of await readdir(dir)) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
  });

  it('folds by itself after a quiet moment, and when the journal grows past its size', async () => {
    configureStateJournal({ foldBytes: 64 * 1024 * 1024, foldIdleMs: 30 });
    const store = createFileStateStore(dir, { secrets: box });
    await store.write({ a: { v: 1 } });
    await expect.poll(() => journalsIn(dir), { timeout: 2_000 }).toEqual([]);
    expect(await onDisk(dir, 'a')).toMatchObject({ v: 1 });

    configureStateJournal({ foldBytes: 2_000, foldIdleMs: 60_000 });
    for (let i = 0; i < 30; i++) await store.write({ [`b${i}`]: { v: i, pad: 'y'.repeat(200) } });
    await expect.poll(async () => (await readdir(dir)).filter((f) => f.endsWith('.json')).length, { timeout: 2_000 }).toBeGreaterThan(5);
    // A journal listed here may be folded and deleted before its size is read: it counts as empty.
    const sizeOf = (j: string) => stat(join(dir, j)).then((s) => s.size, (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 0 : Promise.reject(e)));
    const bytes = await Promise.all((await journalsIn(dir)).map(sizeOf));
    for (const b of bytes) expect(b).toBeLessThan(4_000);
  });

  it('a store on a folder that does not exist reads nothing and creates nothing', async () => {
    const missing = join(dir, 'missing');
    expect(await createFileStateStore(missing).read(['a'])).toEqual({});
    await expect(stat(missing)).rejects.toThrow(/ENOENT/);
  });

  describe('keys without a file', () => {
    const listed = async () => {
      for (let i = 0; i < 200 && !stateJournalStats(dir)?.listed; i++) await new Promise((ok) => setTimeout(ok, 5));
      expect(stateJournalStats(dir)?.listed).toBe(true);
    };
    /** Forgets what the process remembers and waits until the folder is listed again (a read starts the listing). */
    const relisted = async (store: ReturnType<typeof createFileStateStore>) => {
      forgetCachedState();
      await store.read(['otra']);
      await listed();
    };
    /** What an earlier process left: a plain per-key file (an earlier version's format). */
    const leftBehind = (key: string, item: Record<string, unknown>) => writeFile(join(dir, fileOf(key)), JSON.stringify({ key, item: { ...item, eTag: 'e0' } }));

    it('once the folder is listed, a key never written is answered without opening its file; files listed and keys written since are read', async () => {
      await leftBehind('antes', { v: 1 });
      const store = createFileStateStore(dir, { secrets: box });
      expect(await store.read(['nueva'])).toEqual({}); // the first read lists the folder
      await listed();
      // Where a file would be, something that cannot be opened as one: a read that looked would fail.
      await mkdir(join(dir, fileOf('sin-archivo')));
      expect(await store.read(['sin-archivo'])).toEqual({});
      expect(await store.read(['antes'])).toEqual({ antes: expect.objectContaining({ v: 1 }) });
      await store.write({ despues: { v: 2 } });
      await foldStateJournal(dir);
      forgetCachedState(); // from its file now, not from memory
      expect(await store.read(['despues'])).toEqual({ despues: expect.objectContaining({ v: 2 }) });
      await listed();
      forgetCachedState();
      expect(await store.read(['despues'])).toEqual({ despues: expect.objectContaining({ v: 2 }) });
    });

    it('a key deleted, or removed by the retention job, is read as absent; written again, it is read', async () => {
      const store = createFileStateStore(dir, { secrets: box });
      await store.write({ a: { v: 1 }, b: { v: 2 } });
      await foldStateJournal(dir);
      await store.delete(['a']);
      await foldStateJournal(dir);
      const old = new Date(Date.now() - 3_600_000);
      await utimes(join(dir, fileOf('b')), old, old);
      expect(await purgeIdleStateFiles(dir, new Date())).toBe(1);
      forgetCachedState();
      expect(await store.read(['a', 'b'])).toEqual({});
      await listed();
      expect(await store.read(['a', 'b'])).toEqual({});
      await store.write({ a: { v: 3 } });
      await foldStateJournal(dir);
      await relisted(store);
      expect(await store.read(['a'])).toEqual({ a: expect.objectContaining({ v: 3 }) });
    });

    it('forgetting what the process remembers lists the folder again: a file put there meanwhile is read', async () => {
      const store = createFileStateStore(dir, { secrets: box });
      expect(await store.read(['puesta'])).toEqual({});
      await listed();
      await leftBehind('puesta', { v: 7 });
      forgetCachedState(); // as the key rotation does after rewriting the files
      expect(await store.read(['puesta'])).toEqual({ puesta: expect.objectContaining({ v: 7 }) });
      await relisted(store);
      expect(await store.read(['puesta'])).toEqual({ puesta: expect.objectContaining({ v: 7 }) });
    });

    it('a write still in the journal when the folder is listed again is read from its file after the fold', async () => {
      const store = createFileStateStore(dir, { secrets: box });
      await store.read(['x']);
      await listed();
      await store.write({ pendiente: { v: 9 } }); // in the journal, no file yet
      await relisted(store); // no file of "pendiente" in the new listing
      await foldStateJournal(dir); // now it has one, and the journal is gone
      expect(await journalsIn(dir)).toEqual([]);
      expect(await store.read(['pendiente'])).toEqual({ pendiente: expect.objectContaining({ v: 9 }) });
    });
  });
});
