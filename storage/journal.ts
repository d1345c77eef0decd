/**
 * The JSON store's append-only journal: one line per committed transaction (its sequence number
 * and its puts/deletes), written and fsync'ed before the transaction resolves (written only, for a
 * relaxed one); the lines written while a flush runs share the next one. Files are
 * generations (`<store>.journal.000001`, …); a compaction starts a new one and deletes the ones
 * its snapshot holds.
 */
import { writeSync } from 'node:fs';
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { datasyncOnThread } from './file-thread.js';
import { PRIVATE_FILE_MODE, namesIn } from './private-file.js';
import type { Change, Rec } from './store-table.js';

export interface JournalEntry {
  readonly seq: number;
  readonly changes: readonly Change[];
}

type Line = { s: number; c: (['p', string, Rec] | ['d', string, string])[] };

export interface JournalFile {
  readonly gen: number;
  readonly path: string;
}

const SUFFIX = /\.journal\.(\d{6,})$/;

export function journalPath(store: string, gen: number): string {
  return `${store}.journal.${String(gen).padStart(6, '0')}`;
}

/** The journal generations of `store`, oldest first. */
export async function listJournals(store: string): Promise<JournalFile[]> {
  const prefix = `${basename(store)}.journal.`;
  const found: JournalFile[] = [];
  for (const name of await namesIn(dirname(store))) {
    const match = SUFFIX.exec(name);
    if (name.startsWith(prefix) && match && name.length === prefix.length + match[1]!.length) {
      found.push({ gen: Number(match[1]), path: join(dirname(store), name) });
    }
  }
  return found.sort((a, b) => a.gen - b.gen);
}

export function encodeEntry(entry: JournalEntry): string {
  const line: Line = {
    s: entry.seq,
    c: entry.changes.map((c) => (c.op === 'put' ? ['p', c.collection, c.record] : ['d', c.collection, c.id])),
  };
  return `${JSON.stringify(line)}\n`;
}

function decodeLine(path: string, n: number, text: string): JournalEntry {
  const bad = (why: string) => new Error(`JSON store journal ${path} line ${n} is not usable: ${why}. The files were left untouched.`);
  let line: Line;
  try {
    line = JSON.parse(text) as Line;
  } catch {
    throw bad('not valid JSON');
  }
  if (typeof line?.s !== 'number' || !Array.isArray(line.c)) throw bad('not a journal entry');
  const changes = line.c.map((c): Change => {
    if (Array.isArray(c) && c[0] === 'p' && typeof c[1] === 'string' && typeof (c[2] as Rec | undefined)?.id === 'string') {
      return { op: 'put', collection: c[1], record: c[2] };
    }
    if (Array.isArray(c) && c[0] === 'd' && typeof c[1] === 'string' && typeof c[2] === 'string') return { op: 'delete', collection: c[1], id: c[2] };
    throw bad('a change is neither a put nor a delete');
  });
  return { seq: line.s, changes };
}

export interface ReadJournal {
  entries: JournalEntry[];
  /** Bytes up to the end of the last complete line. */
  goodBytes: number;
  /** A last line without its newline: a write that was never acknowledged. */
  torn: boolean;
}

/** Reads one generation; only the newest (`last`) may end in a torn line, which is left out. */
export async function readJournal(path: string, last: boolean): Promise<ReadJournal> {
  const bytes = await readFile(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const torn = end < bytes.length;
  if (torn && !last) throw new Error(`JSON store journal ${path} ends in a partial line but is not the newest. The files were left untouched.`);
  const lines = bytes.subarray(0, end).toString('utf8').split('\n');
  lines.pop();
  return { entries: lines.map((text, i) => decodeLine(path, i + 1, text)), goodBytes: end, torn };
}

/** Cuts a torn last line off, so that the next generation starts after a clean file. */
export async function cutTornTail(path: string, goodBytes: number): Promise<void> {
  await truncate(path, goodBytes);
  const fh = await open(path, 'r+');
  try {
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** Makes a new or renamed directory entry durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * How a journal file reaches the device: fdatasync on the flush thread (file-thread.ts), by the
 * file's number. An object so that tests can count, slow down or fail the flushes.
 */
export const deviceFlush = { datasync: (fd: number): Promise<void> => datasyncOnThread(fd) };

/**
 * Appends entries to the current generation; a failed append is cut off again or breaks the writer.
 * Flushes to the device are shared (group commit): `write` only writes a line; `durable` resolves
 * once every line written for a durable transaction is on the device, with one fdatasync for all
 * the lines written by the time it starts. A failed flush breaks the writer (what reached the device
 * is unknown): every later write and flush fails with it.
 */
export class JournalWriter {
  private handle: FileHandle | undefined;
  private size = 0;
  private broken: unknown;
  /** Bytes written, synced to the device, and needed on it by durable writes: counted over every generation. */
  private written = 0;
  private synced = 0;
  private wanted = 0;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly store: string,
    private generation: number,
  ) {}

  get gen(): number {
    return this.generation;
  }

  /** Why the writer accepts no more writes (a failed write that could not be cut off, a failed flush); undefined while it works. */
  get failure(): unknown {
    return this.broken;
  }

  /**
   * Writes one line; resolves with the bytes written. `durable`: the line must reach the device
   * before its transaction resolves (the caller waits for `durable()`); a relaxed line is flushed
   * by the next flush of the file, or folded into the snapshot by a compaction.
   */
  async write(entry: JournalEntry, durable: boolean): Promise<number> {
    if (this.broken !== undefined) throw this.broken;
    const line = Buffer.from(encodeEntry(entry));
    const fh = await this.current();
    try {
      // Synchronous: a transaction's line (a few hundred bytes) goes into the page cache in
      // microseconds, where a write through libuv's thread pool cost ~90 µs of CPU in hand-offs.
      for (let done = 0; done < line.length; ) done += writeSync(fh.fd, line, done, line.length - done, this.size + done);
    } catch (e) {
      try {
        await fh.truncate(this.size);
        await fh.datasync();
      } catch {
        this.broken = e; // the line may be on disk while its transaction failed: accept no more writes
      }
      throw e;
    }
    this.size += line.length;
    this.written += line.length;
    if (durable) this.wanted = this.written;
    return line.length;
  }

  /** Undefined when every durable line is on the device; otherwise resolves once they are (rejects when the flush fails). */
  durable(): Promise<void> | undefined {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return this.synced >= this.wanted ? undefined : this.flushTo(this.wanted);
  }

  /** Undefined when every line written is on the device, relaxed ones too; otherwise resolves once they are (rejects when the flush fails). */
  flushed(): Promise<void> | undefined {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return this.synced >= this.written ? undefined : this.flushTo(this.written);
  }

  /**
   * Closes the current generation once all its lines are on the device (relaxed ones too: `flushed`
   * covers only the open file); the next write starts a new file. Returns the closed generation.
   */
  async rotate(): Promise<number> {
    const closed = this.generation;
    await this.flushed();
    await this.close();
    this.generation++;
    this.size = 0;
    return closed;
  }

  async close(): Promise<void> {
    await this.durable()?.catch(() => undefined); // a failed flush was reported to the transactions waiting for it
    // A flush still running on the file (on the flush thread, by the file's number): none may be when it closes.
    while (this.syncing) await this.syncing.catch(() => undefined);
    const fh = this.handle;
    this.handle = undefined;
    await fh?.close();
  }

  /** One fdatasync at a time; each covers every line written when it starts. */
  private async flushTo(target: number): Promise<void> {
    while (this.synced < target) {
      if (this.broken !== undefined) throw this.broken;
      this.syncing ??= this.flushNow().finally(() => {
        this.syncing = undefined;
      });
      await this.syncing;
    }
  }

  private async flushNow(): Promise<void> {
    const upTo = this.written;
    const fh = this.handle;
    // No open file: the last generation was closed by rotate(), after its durable lines were flushed.
    if (fh) {
      try {
        await deviceFlush.datasync(fh.fd); // close() waits for it before it closes the file
      } catch (e) {
        this.broken = e;
        throw e;
      }
    }
    this.synced = Math.max(this.synced, upTo);
  }

  private async current(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    const path = journalPath(this.store, this.generation);
    const fh = await open(path, 'w', PRIVATE_FILE_MODE);
    try {
      await fh.chmod(PRIVATE_FILE_MODE);
      await syncDir(dirname(path));
    } catch (e) {
      await fh.close();
      throw e;
    }
    this.handle = fh;
    this.size = 0;
    return fh;
  }
}
