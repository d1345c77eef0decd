/**
 * The default Store: JSON files under the data directory. A commit appends one line with its
 * changes to a journal and resolves once it is fsync'ed, so a write costs what it changes; the
 * commits made while an fsync runs share the next one (group commit), so a busy store does not wait
 * for the device once per commit. Compactions fold the journal into the snapshot (`<file>`, the
 * single JSON file earlier versions wrote, still readable and still opened as is) in the
 * background, in slices. Opening replays snapshot + journal: exact after a crash. One process per
 * file: several instances need the PostgreSQL adapter.
 */
import { constants } from 'node:fs';
import { access, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UNIQUE_FIELDS, type Store } from '../domain/ports.js';
import { JournalWriter, cutTornTail, journalPath, listJournals, readJournal } from './journal.js';
import { createStoreEngine, toTables, type EngineStore, type Snapshot, type UniqueFields } from './memory-store.js';
import { ensurePrivateDir, makePrivate } from './private-file.js';
import { SnapshotFile } from './snapshot-file.js';
import { applyChanges } from './store-table.js';

export interface JsonStoreOptions {
  file: string;
  /** Defaults to UNIQUE_FIELDS. */
  uniqueFields?: UniqueFields;
}

/** A store this small is compacted after every commit: the snapshot stays a current, readable copy. */
const EAGER_BYTES = 32 * 1024;
/** Otherwise the journal may grow to half the snapshot (at least this) before a compaction. */
const MIN_JOURNAL_BYTES = 1024 * 1024;
/** A journal left over after writes stopped is folded in after this quiet time. */
const IDLE_COMPACTION_MS = 30_000;

interface OpenFile {
  refs: number;
  uniqueKey: string;
  engine: Promise<JsonEngine>;
}

interface JsonEngine {
  engine: EngineStore;
  close(): Promise<void>;
}

// Exactly one engine (and one write queue) per file in this process: a second open of the same
// file shares it instead of racing it.
const openFiles = new Map<string, OpenFile>();
const closingFiles = new Map<string, Promise<void>>();

function canonical(fields: UniqueFields): string {
  return JSON.stringify(Object.keys(fields).sort().map((k) => [k, [...(fields[k] ?? [])].sort()]));
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file)).size;
}

async function load(file: string, uniqueFields: UniqueFields): Promise<JsonEngine> {
  await ensurePrivateDir(dirname(file));
  const snapshotFile = new SnapshotFile(file);
  await snapshotFile.removeTemps();
  let content = await snapshotFile.read();
  if (!content) {
    await snapshotFile.write({}, 0);
    content = { collections: {}, seq: 0 };
  } else {
    await makePrivate(file); // a store written by an earlier version may be 0644
  }

  const tables = toTables(content.collections, uniqueFields);
  let seq = content.seq;
  let snapshotSeq = content.seq;
  let snapshotBytes = await sizeOf(file);
  let journalBytes = 0;
  const journals = await listJournals(file);
  for (const [i, journal] of journals.entries()) {
    const read = await readJournal(journal.path, i === journals.length - 1);
    for (const entry of read.entries) {
      if (entry.seq <= seq) continue; // already in the snapshot (a compaction stopped before deleting it)
      applyChanges(tables, entry.changes, uniqueFields);
      seq = entry.seq;
    }
    if (read.torn) await cutTornTail(journal.path, read.goodBytes);
    journalBytes += read.goodBytes;
  }
  const writer = new JournalWriter(file, (journals.at(-1)?.gen ?? 0) + 1);
  let journalGens = journals.map((j) => j.gen);

  let compacting: Promise<void> | undefined;
  let again = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let compactionError: unknown;

  async function compact(): Promise<void> {
    const captured = await engine.exclusive(async (committed) => {
      if (seq === snapshotSeq) return undefined;
      const collections: Snapshot = {};
      for (const [name, records] of committed) {
        collections[name] = Array.from(records.values());
        await new Promise<void>((r) => setImmediate(r));
      }
      const through = { seq, bytes: journalBytes, gen: writer.gen };
      await writer.rotate();
      return { collections, ...through };
    });
    if (!captured) return;
    await snapshotFile.write(captured.collections, captured.seq);
    snapshotSeq = captured.seq;
    snapshotBytes = await sizeOf(file);
    journalBytes -= captured.bytes;
    const obsolete = [...journalGens.filter((g) => g < captured.gen), captured.gen];
    journalGens = journalGens.filter((g) => g > captured.gen);
    for (const gen of obsolete) await unlink(journalPath(file, gen)).catch(ignoreMissing);
  }

  function requestCompaction(): void {
    if (compacting) {
      again = true;
      return;
    }
    compacting = compact()
      .then(
        () => {
          compactionError = undefined;
        },
        (e: unknown) => {
          compactionError = e; // reported by health(); the journal still holds every write
        },
      )
      .finally(() => {
        compacting = undefined;
        if (again) {
          again = false;
          requestCompaction();
        }
      });
  }

  const engine = createStoreEngine({
    uniqueFields,
    tables,
    persist: async (changes, flush) => {
      const bytes = await writer.write({ seq: seq + 1, changes }, flush);
      seq++;
      if (!journalGens.includes(writer.gen)) journalGens.push(writer.gen);
      journalBytes += bytes;
      clearTimeout(idleTimer);
      if (snapshotBytes + journalBytes <= EAGER_BYTES || journalBytes >= Math.max(MIN_JOURNAL_BYTES, snapshotBytes / 2)) {
        requestCompaction();
      } else {
        idleTimer = setTimeout(requestCompaction, IDLE_COMPACTION_MS).unref();
      }
    },
    // The transactions written while a flush to the device runs share the next flush (group commit).
    durable: () => writer.durable(),
    flushed: () => writer.flushed(),
    health: async () => {
      if (writer.failure !== undefined) throw writer.failure;
      if (compactionError !== undefined) throw compactionError;
      await access(file, constants.R_OK | constants.W_OK);
      await access(dirname(file), constants.W_OK); // journals and the snapshot's rename need the folder
    },
  });
  if (seq !== snapshotSeq) requestCompaction();
  else {
    for (const gen of journalGens) await unlink(journalPath(file, gen)).catch(ignoreMissing); // all in the snapshot
    journalGens = [];
    journalBytes = 0;
  }

  return {
    engine,
    async close() {
      await engine.close();
      clearTimeout(idleTimer);
      while (compacting) await compacting;
      // Leave the snapshot whole: the journal is empty after close (unless the device failed: then the
      // files stay as they are, and the next open replays what the journal holds).
      if (seq !== snapshotSeq && writer.failure === undefined) await compact();
      await writer.close();
    },
  };
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}

/** Opens (creating when missing) the JSON store at `opts.file`; corrupt files throw, never overwritten. */
export async function openJsonStore(opts: JsonStoreOptions): Promise<Store> {
  const file = resolve(opts.file);
  const uniqueFields = opts.uniqueFields ?? (UNIQUE_FIELDS as UniqueFields);
  const uniqueKey = canonical(uniqueFields);

  for (let pending = closingFiles.get(file); pending; pending = closingFiles.get(file)) await pending;
  let entry = openFiles.get(file);
  if (!entry) {
    entry = { refs: 0, uniqueKey, engine: load(file, uniqueFields) };
    openFiles.set(file, entry);
  } else if (entry.uniqueKey !== uniqueKey) {
    throw new Error(`JSON store ${file} is already open in this process with other unique fields`);
  }
  const shared = entry;
  shared.refs++;
  let opened: JsonEngine;
  try {
    opened = await shared.engine;
  } catch (e) {
    shared.refs--;
    if (openFiles.get(file) === shared) openFiles.delete(file);
    throw e;
  }
  const engine = opened.engine;

  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error(`JSON store ${file} is closed`);
  };
  return {
    async transaction(work, options) {
      ensureOpen();
      return engine.transaction(work, options);
    },
    async sync() {
      ensureOpen();
      await engine.sync();
    },
    async health() {
      ensureOpen();
      await engine.health();
    },
    async close() {
      if (closed) return;
      closed = true;
      shared.refs--;
      if (shared.refs > 0) return engine.idle();
      openFiles.delete(file);
      const done = opened.close();
      closingFiles.set(file, done);
      try {
        await done;
      } finally {
        if (closingFiles.get(file) === done) closingFiles.delete(file);
      }
    },
  };
}
