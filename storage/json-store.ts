/**
 * The default Store: one JSON file (lowdb), replaced atomically on every commit (steno writes a
 * temp file and renames it). Transactions are serialized in process; a resolved transaction is on
 * disk. One process per file: several instances need the PostgreSQL adapter.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { UNIQUE_FIELDS, type Store } from '../domain/ports.js';
import { createStoreEngine, type EngineStore, type Snapshot, type UniqueFields } from './memory-store.js';
import { ensurePrivateDir, makePrivate, writePrivateFile } from './private-file.js';

export interface JsonStoreOptions {
  file: string;
  /** Defaults to UNIQUE_FIELDS. */
  uniqueFields?: UniqueFields;
}

interface OpenFile {
  refs: number;
  uniqueKey: string;
  engine: Promise<EngineStore>;
}

// Exactly one Low instance (and one write queue) per file in this process: a second open of the
// same file shares it instead of racing it.
const openFiles = new Map<string, OpenFile>();
const closingFiles = new Map<string, Promise<void>>();

function canonical(fields: UniqueFields): string {
  return JSON.stringify(Object.keys(fields).sort().map((k) => [k, [...(fields[k] ?? [])].sort()]));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

function validate(file: string, data: unknown): Snapshot {
  const bad = (why: string) => new Error(`JSON store ${file} is not usable: ${why}. The file was left untouched.`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad('it does not hold a JSON object');
  for (const [name, records] of Object.entries(data)) {
    if (!Array.isArray(records)) throw bad(`collection "${name}" is not an array`);
    for (const r of records) {
      if (r === null || typeof r !== 'object' || typeof (r as { id?: unknown }).id !== 'string') {
        throw bad(`collection "${name}" holds a record without a string id`);
      }
    }
  }
  return data as Snapshot;
}

/** lowdb's JSONFile, but the file is created 0600 (personal data) with a unique temp name per write. */
function privateJsonFile(file: string): Adapter<Snapshot> {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      return JSON.parse(text) as Snapshot;
    },
    write: (data) => writePrivateFile(file, JSON.stringify(data, null, 2)),
  };
}

async function load(file: string, uniqueFields: UniqueFields): Promise<EngineStore> {
  await ensurePrivateDir(dirname(file));
  const db = new Low<Snapshot>(privateJsonFile(file), {});
  if (await exists(file)) {
    await makePrivate(file); // a store written by an earlier version may be 0644
    let data: unknown;
    try {
      data = await db.adapter.read();
    } catch (e) {
      if (e instanceof SyntaxError) {
        throw new Error(`JSON store ${file} is not valid JSON (${e.message}). The file was left untouched.`);
      }
      throw e;
    }
    db.data = validate(file, data);
  } else {
    await db.write();
  }
  return createStoreEngine({
    uniqueFields,
    initial: db.data,
    persist: async (next) => {
      const previous = db.data;
      db.data = next;
      try {
        await db.write();
      } catch (e) {
        db.data = previous;
        throw e;
      }
    },
    health: async () => {
      await access(file, constants.R_OK | constants.W_OK);
      await access(dirname(file), constants.W_OK); // the atomic rename needs the folder
    },
  });
}

/** Opens (creating when missing) the JSON store at `opts.file`; corrupt JSON throws, never overwritten. */
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
  let engine: EngineStore;
  try {
    engine = await shared.engine;
  } catch (e) {
    shared.refs--;
    if (openFiles.get(file) === shared) openFiles.delete(file);
    throw e;
  }

  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error(`JSON store ${file} is closed`);
  };
  return {
    async transaction(work) {
      ensureOpen();
      return engine.transaction(work);
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
      const done = engine.close();
      closingFiles.set(file, done);
      try {
        await done;
      } finally {
        if (closingFiles.get(file) === done) closingFiles.delete(file);
      }
    },
  };
}
