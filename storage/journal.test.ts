import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JournalWriter, journalPath } from './journal.js';

describe('journal writer', () => {
  let dir: string;
  let store: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-journal-'));
    store = join(dir, 'db.json');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  const entry = (seq: number) => ({ seq, changes: [{ op: 'put' as const, collection: 'audit', record: { id: `e${seq}` } }] });
  /** Counts FileHandle.datasync calls (one prototype for every handle) from here on. */
  const spyDatasync = async () => {
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    return vi.spyOn(proto, 'datasync');
  };

  it('flushes relaxed lines only when asked (flushed), not for durable(), and once for all of them', async () => {
    const writer = new JournalWriter(store, 1);
    await writer.write(entry(1), false);
    await writer.write(entry(2), false);
    const datasync = await spyDatasync();
    expect(writer.durable()).toBeUndefined();
    await writer.flushed();
    expect(datasync).toHaveBeenCalledTimes(1);
    expect(writer.flushed()).toBeUndefined();
    await writer.close();
  });

  it('closes a generation only after its relaxed lines are on the device too (a later flush covers only the open file)', async () => {
    const writer = new JournalWriter(store, 1);
    await writer.write(entry(1), false);
    const datasync = await spyDatasync();
    expect(await writer.rotate()).toBe(1);
    expect(datasync).toHaveBeenCalledTimes(1);
    expect(await readFile(journalPath(store, 1), 'utf8')).toContain('"e1"');
    await writer.write(entry(2), false);
    await writer.flushed();
    expect(datasync).toHaveBeenCalledTimes(2);
    await writer.close();
  });
});
