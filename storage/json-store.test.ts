import { appendFile, chmod, cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../domain/ports.js';
import { CONTRACT_UNIQUE_FIELDS, storeContract } from '../test/contracts/store.contract.js';
import { deviceFlush } from './journal.js';
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

  const journals = async () => (await readdir(join(dir, 'nested'))).filter((n) => n.startsWith('db.json.journal.')).sort();
  /** The folder as a crash would leave it now: a copy taken while the store is open. */
  const crashImage = async () => {
    const image = join(dir, `crash-${Math.random().toString(36).slice(2)}`);
    await cp(join(dir, 'nested'), image, { recursive: true });
    return join(image, 'db.json');
  };
  const big = (i: number) => ({ ...event, id: `big${i}`, detail: { pad: 'x'.repeat(300) } });

  it('has the write in the journal on disk when the transaction resolves', async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i)); // past the size compacted at once
    });
    await store.transaction((tx) => tx.collection('audit').put(event));
    const [journal] = await journals();
    expect(await readFile(join(dir, 'nested', journal!), 'utf8')).toContain(JSON.stringify(event));
    const reopened = await track(open(await crashImage()));
    expect(await reopened.transaction((tx) => tx.collection('audit').get(event.id))).toEqual(event);
  });

  it('flushes a durable transaction to the device before it resolves, a relaxed one only writes it (the next flush covers it)', async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i)); // past the size compacted at once
    });
    // Count the flushes the store asks for from here on.
    const datasync = vi.spyOn(deviceFlush, 'datasync');
    try {
      await store.transaction((tx) => tx.collection('audit').put(event), { durability: 'relaxed' });
      expect(datasync).not.toHaveBeenCalled();
      const [journal] = await journals();
      expect(await readFile(join(dir, 'nested', journal!), 'utf8')).toContain(JSON.stringify(event));
      const reopened = await track(open(await crashImage())); // a killed process: the page cache holds it
      expect(await reopened.transaction((tx) => tx.collection('audit').get(event.id))).toEqual(event);
      await store.transaction((tx) => tx.collection('audit').put({ ...event, id: 'e2' }));
      expect(datasync).toHaveBeenCalledTimes(1);
    } finally {
      datasync.mockRestore();
    }
  });

  it('writes a deferred transaction without a flush; sync() flushes it once, and nothing when all is on the device', async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i)); // past the size compacted at once
    });
    const { spy } = await spyDatasync();
    try {
      await store.sync(); // everything so far was durable
      expect(spy).not.toHaveBeenCalled();
      await store.transaction((tx) => tx.collection('audit').put(event), { durability: 'deferred' });
      await store.transaction((tx) => tx.collection('audit').put({ ...event, id: 'e2' }), { durability: 'deferred' });
      expect(spy).not.toHaveBeenCalled();
      const reopened = await track(open(await crashImage())); // a killed process: the page cache holds them
      expect(await reopened.transaction((tx) => tx.collection('audit').get('e2'))).toEqual({ ...event, id: 'e2' });
      await store.sync();
      expect(spy).toHaveBeenCalledTimes(1);
      await store.sync();
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  /** Replaces the journal's flush to the device until restored. */
  const spyDatasync = async () => {
    const original = deviceFlush.datasync;
    return { original, spy: vi.spyOn(deviceFlush, 'datasync') };
  };
  const bigStore = async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i)); // past the size compacted at once
    });
    return store;
  };

  it('group commit: transactions made while a flush runs share the next one, and each resolves only once its line is on the device', async () => {
    const store = await bigStore();
    const { original, spy: slow } = await spyDatasync();
    // What each finished flush covered: the journal as it was when the flush started.
    const covered: string[] = [];
    slow.mockImplementation(async (fd: number) => {
      const [journal] = await journals();
      const before = await readFile(join(dir, 'nested', journal!), 'utf8');
      await new Promise((ok) => setTimeout(ok, 20));
      await original(fd);
      covered.push(before);
    });
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `g${i}`);
      await Promise.all(
        ids.map(async (id) => {
          await store.transaction((tx) => tx.collection('audit').put({ ...event, id }));
          expect(covered.some((c) => c.includes(`"id":"${id}"`))).toBe(true);
        }),
      );
      expect(slow.mock.calls.length).toBeGreaterThan(0);
      expect(slow.mock.calls.length).toBeLessThan(ids.length); // shared: 12 commits, fewer flushes
      const reopened = await track(open(await crashImage()));
      for (const id of ids) expect(await reopened.transaction((tx) => tx.collection('audit').get(id))).toMatchObject({ id });
    } finally {
      slow.mockRestore();
    }
  });

  it('group commit: a read made while a write waits for the device resolves only after that flush', async () => {
    const store = await bigStore();
    const { spy } = await spyDatasync();
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    spy.mockImplementation(async function () {
      await gate;
    });
    try {
      const settled: string[] = [];
      const write = store.transaction((tx) => tx.collection('audit').put(event)).then(() => settled.push('write'));
      const read = store.transaction((tx) => tx.collection('audit').get(event.id)).then((found) => {
        settled.push('read');
        return found;
      });
      await new Promise((ok) => setTimeout(ok, 50));
      expect(settled).toEqual([]); // the read saw the record: it waits until the record is on the device
      release();
      expect(await read).toMatchObject({ id: event.id });
      await write;
      expect(settled.sort()).toEqual(['read', 'write']);
    } finally {
      spy.mockRestore();
    }
  });

  it('group commit: a failed flush fails the transactions waiting for it, every later one, and the health check', async () => {
    const store = await bigStore();
    const { spy } = await spyDatasync();
    spy.mockRejectedValue(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    try {
      await expect(store.transaction((tx) => tx.collection('audit').put(event))).rejects.toThrow(/EIO/);
      await expect(store.transaction((tx) => tx.collection('audit').get('big1'))).rejects.toThrow(/EIO/);
      await expect(store.transaction((tx) => tx.collection('audit').put({ ...event, id: 'e2' }))).rejects.toThrow(/EIO/);
      await expect(store.health()).rejects.toThrow(/EIO/);
    } finally {
      spy.mockRestore();
    }
  });

  it('close folds the journal into the snapshot and leaves no other file', async () => {
    const store = await track(open(file));
    await store.transaction((tx) => tx.collection('audit').put(event));
    await store.close();
    expect(await readdir(join(dir, 'nested'))).toEqual(['db.json']);
    const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(data.audit).toEqual([event]);
  });

  it('a crash image with a large journal and no compaction yet opens with every write, in order', async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i)); // past the eager size
    });
    await store.transaction(async (tx) => {
      await tx.collection('audit').delete('big3');
      await tx.collection('audit').put(big(1));
      await tx.collection('audit').put(big(3));
    });
    const image = await crashImage();
    const reopened = await track(open(image));
    const ids = (await reopened.transaction((tx) => tx.collection('audit').list())).map((e) => e.id);
    expect(ids).toEqual([...Array.from({ length: 200 }, (_, i) => `big${i}`).filter((id) => id !== 'big3'), 'big3']);
  });

  it('discards a torn last journal line (never acknowledged) and keeps appending after it', async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i));
    });
    const image = await crashImage();
    const last = (await readdir(dirname(image))).filter((n) => n.startsWith('db.json.journal.')).sort().at(-1)!;
    await appendFile(join(dirname(image), last), '{"s":99,"c":[["p","audit",{"id":"half"');
    let reopened = await track(open(image));
    await reopened.transaction((tx) => tx.collection('audit').put({ ...event, id: 'after' }));
    expect(await reopened.transaction((tx) => tx.collection('audit').get('half'))).toBeUndefined();
    await reopened.close();
    reopened = await track(open(image));
    const ids = (await reopened.transaction((tx) => tx.collection('audit').list())).map((e) => e.id);
    expect(ids).toHaveLength(201);
    expect(ids.at(-1)).toBe('after');
  });

  it('refuses a journal whose complete line is damaged, leaving the files as they are', async () => {
    const store = await track(open(file));
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put(big(i));
    });
    await store.transaction((tx) => tx.collection('audit').put(event));
    const image = await crashImage();
    const journal = join(dirname(image), (await readdir(dirname(image))).find((n) => n.startsWith('db.json.journal.'))!);
    const damaged = (await readFile(journal, 'utf8')).replace('"s":1,', '"s":1,,');
    await writeFile(journal, damaged);
    await expect(open(image)).rejects.toThrow(/line 1 is not usable/);
    expect(await readFile(journal, 'utf8')).toBe(damaged);
  });

  it('removes the temp file of an interrupted compaction and replays a journal the snapshot already holds once', async () => {
    const store = await track(open(file));
    await store.transaction((tx) => tx.collection('audit').put(event));
    await store.close();
    const journalText = `${JSON.stringify({ s: 1, c: [['p', 'audit', event]] })}\n`;
    // As if the compaction had renamed the snapshot in but died before deleting the journal.
    await writeFile(`${file}.journal.000001`, journalText);
    await writeFile(join(dir, 'nested', '.db.json.0123456789ab.tmp'), '{"audit": [');
    const reopened = await track(open(file));
    expect(await reopened.transaction((tx) => tx.collection('audit').list())).toEqual([event]);
    await reopened.close();
    expect(await readdir(join(dir, 'nested'))).toEqual(['db.json']);
  });

  it('opens a store in the single-file format of earlier versions and keeps its unique fields', async () => {
    await track(open(file));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    const person = { id: 'p1', email: 'ana@example.test', name: 'Ana' };
    await writeFile(file, JSON.stringify({ contract_people: [person], audit: [event] }, null, 2));
    const store = await track(open(file));
    expect(await store.transaction((tx) => tx.collection('audit').get('e1'))).toEqual(event);
    const clash = store.transaction((tx) => (tx.collection('contract_people' as 'audit') as unknown as { put(r: object): Promise<void> }).put({ ...person, id: 'p2' }));
    await expect(clash).rejects.toMatchObject({ field: 'email' });
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
    await store.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ legacy: [{ id: 'x', v: 1 }], audit: [event] });
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
