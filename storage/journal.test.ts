import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deviceFlush, JournalWriter, journalPath } from './journal.js';

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
  /** Counts the journal's flushes to the device from here on. */
  const spyDatasync = async () => vi.spyOn(deviceFlush, 'datasync');

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

  it("flushes on the flush thread by the file's number, and closes the file only after a flush running on it", async () => {
    const writer = new JournalWriter(store, 1);
    await writer.write(entry(1), false);
    const original = deviceFlush.datasync;
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const fds: number[] = [];
    vi.spyOn(deviceFlush, 'datasync').mockImplementation(async (fd: number) => {
      fds.push(fd);
      await gate;
      await original(fd); // fails (EBADF) if the file was closed meanwhile
    });
    const flushing = writer.flushed()!;
    const steps: string[] = [];
    const closing = writer.close().then(() => steps.push('closed'));
    await new Promise((ok) => setTimeout(ok, 50));
    expect(steps).toEqual([]); // waits for the flush
    release();
    await flushing;
    await closing;
    expect(steps).toEqual(['closed']);
    expect(fds).toHaveLength(1);
    expect(writer.flushed()).toBeUndefined();
  });
});
