/**
 * The JSON store's snapshot: the single JSON file earlier versions wrote (collection → records),
 * plus a `$store` entry naming the last journal sequence it holds. Written through lowdb with an
 * adapter that serializes in slices of a few milliseconds (the event loop keeps serving) into a
 * temp file, fsyncs it and renames it over the snapshot.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { Entity } from '../domain/ports.js';
import { syncDir } from './journal.js';
import type { Snapshot } from './memory-store.js';
import { PRIVATE_FILE_MODE, namesIn } from './private-file.js';

/** The reserved key holding `[{ id: 'journal', seq }]`; never a collection of the domain. */
export const META_KEY = '$store';

/** Milliseconds of serialization before the writer hands the loop back. */
const SLICE_MS = 4;
/** Characters buffered before a write to the temp file. */
const FLUSH_CHARS = 1 << 20;

export interface SnapshotContent {
  collections: Snapshot;
  /** The last journal sequence the snapshot holds (0 for a file written before the journal). */
  seq: number;
}

function tempPattern(file: string): RegExp {
  const base = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${base}\\.[0-9a-f]{12}\\.tmp$`);
}

function validate(file: string, data: unknown): SnapshotContent {
  const bad = (why: string) => new Error(`JSON store ${file} is not usable: ${why}. The file was left untouched.`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad('it does not hold a JSON object');
  const collections: Snapshot = {};
  let seq = 0;
  for (const [name, records] of Object.entries(data)) {
    if (!Array.isArray(records)) throw bad(`collection "${name}" is not an array`);
    for (const r of records) {
      if (r === null || typeof r !== 'object' || typeof (r as { id?: unknown }).id !== 'string') {
        throw bad(`collection "${name}" holds a record without a string id`);
      }
    }
    if (name === META_KEY) {
      const journal = (records as { id: string; seq?: unknown }[]).find((r) => r.id === 'journal');
      if (typeof journal?.seq !== 'number') throw bad(`"${META_KEY}" does not name the journal sequence`);
      seq = journal.seq;
    } else collections[name] = records as Entity[];
  }
  return { collections, seq };
}

/** Serializes in slices into a unique 0600 temp file, fsyncs, renames over `file`, fsyncs the folder. */
async function writeInSlices(file: string, data: Snapshot): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    await fh.chmod(PRIVATE_FILE_MODE); // the mode of open is filtered by the umask
    let buffer = '{';
    let sliceStart = performance.now();
    const flush = async () => {
      await fh.write(buffer);
      buffer = '';
      sliceStart = performance.now();
    };
    let first = true;
    for (const [name, records] of Object.entries(data)) {
      buffer += `${first ? '' : ','}\n${JSON.stringify(name)}: [`;
      first = false;
      for (let i = 0; i < records.length; i++) {
        buffer += `${i === 0 ? '' : ','}\n${JSON.stringify(records[i])}`;
        if (i % 32 === 31 && (buffer.length > FLUSH_CHARS || performance.now() - sliceStart > SLICE_MS)) await flush();
      }
      buffer += records.length ? '\n]' : ']';
    }
    buffer += '\n}\n';
    await flush();
    await fh.sync();
    await fh.close();
    await rename(temp, file);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncDir(dirname(file));
}

function snapshotAdapter(file: string): Adapter<Snapshot> {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (e) {
        throw new Error(`JSON store ${file} is not valid JSON (${(e as Error).message}). The file was left untouched.`);
      }
      if (data === null) validate(file, data); // lowdb reads null as "no file yet": refuse it here
      return data as Snapshot;
    },
    write: (data) => writeInSlices(file, data),
  };
}

/** The snapshot file through lowdb: read whole at start-up, written in slices by compactions. */
export class SnapshotFile {
  private readonly db: Low<Snapshot>;

  constructor(readonly file: string) {
    this.db = new Low<Snapshot>(snapshotAdapter(file), {});
  }

  /** The snapshot, or undefined when there is no file yet. */
  async read(): Promise<SnapshotContent | undefined> {
    const data = await this.db.adapter.read();
    if (data === null) return undefined;
    return validate(this.file, data);
  }

  /** Replaces the snapshot with `collections` holding the journal up to `seq`. */
  async write(collections: Snapshot, seq: number): Promise<void> {
    // A store that never journaled anything stays in the plain format of earlier versions.
    this.db.data = seq === 0 ? collections : { ...collections, [META_KEY]: [{ id: 'journal', seq } as Entity] };
    try {
      await this.db.write();
    } finally {
      this.db.data = {}; // the engine holds the records; do not keep a second reference to them
    }
  }

  /** Removes temp files an interrupted compaction (or an earlier version's write) left behind. */
  async removeTemps(): Promise<void> {
    const pattern = tempPattern(this.file);
    for (const name of await namesIn(dirname(this.file))) {
      if (pattern.test(name)) await unlink(join(dirname(this.file), name)).catch(() => undefined);
    }
  }
}
