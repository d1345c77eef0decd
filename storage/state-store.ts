/**
 * Conversation state (botbuilder `Storage` shape) with MemoryStorage's eTag semantics. The file
 * adapter keeps one file per key, so a turn costs the same however many conversations exist. With
 * a SecretBox every file is sealed (AES-256-GCM): the answers of a form in progress, the key (which
 * may name a document) and the conversation reference are not readable on disk. Files are 0600.
 *
 * Every write reaches the file before it resolves (temp file + rename, as before); what was last
 * written or read is also kept in memory, briefly and bounded, so a turn reads its state without
 * touching the disk and checks eTags without reading the file back.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, close, fstat, open, rename, unlink as unlinkCb, write as writeCb } from 'node:fs';
import { readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { SecretBox, StateItems, StateStore } from '../domain/ports.js';
import { ensurePrivateDir, namesIn, PRIVATE_FILE_MODE } from './private-file.js';
import { decodeState, encodeState, isSealedState } from './state-codec.js';

type Item = Record<string, unknown> & { eTag?: unknown };
interface StoredItem {
  key: string;
  item: Item;
}

function newETag(): string {
  return randomUUID();
}

function asItem(key: string, value: unknown): Item {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`state write "${key}": the item must be an object`);
  }
  return value as Item;
}

/** MemoryStorage's rule: no eTag or '*' overwrites; otherwise it must equal the stored one. */
function checkETag(key: string, change: Item, storedETag: unknown): void {
  const tag = change.eTag;
  if (storedETag === undefined || tag === undefined || tag === null || tag === '' || tag === '*') return;
  if (tag !== storedETag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

/** The item as stored: a copy (one stringify) with a new eTag. */
function stamp(change: Item): { json: string; eTag: string } {
  const eTag = newETag();
  return { json: JSON.stringify({ ...change, eTag }), eTag };
}

async function settleAll(tasks: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

// Per-file serialization shared by every instance in this process (two stores on one dir stay
// consistent); entries are dropped when their queue drains, so the map does not grow with keys.
const fileQueues = new Map<string, Promise<void>>();

function serialize<T>(file: string, op: () => Promise<T>): Promise<T> {
  const previous = fileQueues.get(file);
  const run = previous ? previous.then(op) : op();
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  fileQueues.set(file, tail);
  void tail.then(() => {
    if (fileQueues.get(file) === tail) fileQueues.delete(file);
  });
  return run;
}

// ---------------------------------------------------------------- what is on disk, in memory

/** A file's content as last written or read in this process (the item's JSON, eTag included), or that there is no file. */
interface Cached {
  /** Undefined: no file (a user who never logged in has no user state, read every turn). */
  readonly json: string | undefined;
  readonly eTag: string | undefined;
  /** How the file is encoded: the box that sealed it, or undefined for plain JSON. */
  readonly box: SecretBox | undefined;
  readonly at: number;
}

/** Bounded: the least recently written or read entries go first. */
export const STATE_CACHE_MAX = 10_000;
/**
 * An entry older than this is read from the file again: memory stays small for idle conversations
 * (they are read from disk on their next turn), and a file deleted by another process (the
 * retention job run with `npm run retencion`) is seen within a minute.
 */
export const STATE_CACHE_TTL_MS = 60_000;

// Shared by every instance in this process, like the write queues: a write through one store is
// what another store on the same folder reads next.
const cache = new Map<string, Cached>();

/**
 * Forgets what this process remembers of the state files: for code that rewrites them behind the
 * stores' backs in this process (the key rotation; in production it runs as its own command).
 */
export function forgetCachedState(): void {
  cache.clear();
}

const ABSENT: Omit<Cached, 'at'> = { json: undefined, eTag: undefined, box: undefined };

function remember(file: string, entry: Omit<Cached, 'at'>): void {
  const now = Date.now();
  cache.delete(file); // re-inserted last: Map order is the recency order
  cache.set(file, { ...entry, at: now });
  for (const [oldest, e] of cache) {
    if (cache.size <= STATE_CACHE_MAX && now - e.at <= STATE_CACHE_TTL_MS) break;
    cache.delete(oldest);
  }
}

/** The entry when it is fresh and this instance could have read the file itself (same key, or plain). */
function recall(file: string, box: SecretBox | undefined): Cached | undefined {
  const entry = cache.get(file);
  if (!entry) return undefined;
  if (Date.now() - entry.at > STATE_CACHE_TTL_MS) {
    cache.delete(file);
    return undefined;
  }
  return entry.json === undefined || entry.box === undefined || entry.box === box ? entry : undefined;
}

// ---------------------------------------------------------------- atomic replace, few syscalls

// Unique temp names without a random draw per write: a per-process tag and a counter.
const TEMP_TAG = randomBytes(4).toString('hex');
let tempCounter = 0;
/** Whether the umask narrows 0600 (then every temp file is chmod-ed); learnt from the first temp file. */
let umaskNarrows: boolean | undefined;

const call = <T>(fn: (done: (e: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> =>
  new Promise((ok, fail) => fn((e, v) => (e ? fail(e) : ok(v as T))));

/**
 * Writes `data` to `file` atomically with mode 0600: open (exclusive, new temp file) + write +
 * close + rename; no read-back, no stat, and no chmod unless the umask narrows 0600. No fsync,
 * like the store's other files of conversation state: a crash of the process never loses a
 * finished write (the page cache holds it) and never shows a half-written file (rename is atomic).
 */
async function replaceFile(file: string, data: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${TEMP_TAG}${(tempCounter++).toString(36)}.tmp`);
  const fd = await call<number>((done) => open(temp, 'wx', PRIVATE_FILE_MODE, done));
  try {
    try {
      if (umaskNarrows === undefined) {
        const st = await call<{ mode: number }>((done) => fstat(fd, done));
        umaskNarrows = (st.mode & 0o777) !== PRIVATE_FILE_MODE;
      }
      await call<number>((done) => writeCb(fd, data, null, 'utf8', done));
    } finally {
      await call<void>((done) => close(fd, done));
    }
    if (umaskNarrows) await call<void>((done) => chmod(temp, PRIVATE_FILE_MODE, done));
    await call<void>((done) => rename(temp, file, done));
  } catch (e) {
    await call<void>((done) => unlinkCb(temp, done)).catch(() => undefined);
    throw e;
  }
}

export interface FileStateStoreOptions {
  /**
   * Seals every file. Files written without it (plain JSON, by an earlier version) are still read,
   * and sealed on their next write.
   */
  readonly secrets?: SecretBox;
}

const STATE_FILE = /^[0-9a-f]{64}\.json$/;

/** State kept as `<dir>/<sha256(key)>.json` (mode 0600), written atomically (temp file + rename). */
export function createFileStateStore(dir: string, opts: FileStateStoreOptions = {}): StateStore {
  const root = resolve(dir);
  const { secrets } = opts;
  let ready: Promise<unknown> | undefined;
  const ensureDir = () => (ready ??= ensurePrivateDir(root));
  const fileFor = (key: string) => join(root, `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`);

  /** The stored item's JSON and how its file is encoded; undefined when there is no file. */
  async function readFromDisk(key: string, file: string): Promise<Omit<Cached, 'at'>> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ABSENT;
      throw e;
    }
    const sealed = isSealedState(text);
    if (sealed && !secrets) throw new Error(`conversation state file ${file} is sealed and no key was given`);
    let json: string;
    try {
      json = decodeState(text, secrets ? (t) => secrets.open(t) : undefined);
    } catch (e) {
      throw new Error(`conversation state file ${file} cannot be opened: ${(e as Error).message}`);
    }
    let stored: StoredItem;
    try {
      stored = JSON.parse(json) as StoredItem;
    } catch (e) {
      throw new Error(`conversation state file ${file} is not valid JSON (${(e as Error).message})`);
    }
    if (stored?.key !== key) throw new Error(`conversation state file ${file} belongs to another key`);
    const item = stored.item;
    return { json: JSON.stringify(item), eTag: item?.eTag as string, box: sealed ? secrets : undefined };
  }

  /** The stored entry: from memory when fresh, else read (in the file's queue, so no write is missed) and remembered. */
  async function current(key: string, file: string, queued: boolean): Promise<Omit<Cached, 'at'>> {
    const hit = recall(file, secrets);
    if (hit) return hit;
    const load = async () => {
      const again = recall(file, secrets);
      if (again) return again;
      const found = await readFromDisk(key, file);
      remember(file, found);
      return found;
    };
    return queued ? load() : serialize(file, load);
  }

  const encode = (key: string, itemJson: string): string => {
    return encodeState(`{"key":${JSON.stringify(key)},"item":${itemJson}}`, secrets);
  };

  return {
    async read(keys) {
      const out: StateItems = {};
      await Promise.all(
        keys.map(async (key) => {
          const entry = await current(key, fileFor(key), false);
          if (entry.json !== undefined) out[key] = JSON.parse(entry.json) as Item; // a copy: later changes never leak in
        }),
      );
      return out;
    },
    async write(changes) {
      const entries = Object.entries(changes).map(([key, value]) => [key, asItem(key, value)] as const);
      await ensureDir();
      await settleAll(
        entries.map(([key, change]) => {
          const file = fileFor(key);
          return serialize(file, async () => {
            checkETag(key, change, (await current(key, file, true)).eTag);
            const { json, eTag } = stamp(change);
            try {
              await replaceFile(file, encode(key, json));
            } catch (e) {
              cache.delete(file); // what the file holds now is read again
              throw e;
            }
            remember(file, { json, eTag, box: secrets });
          });
        }),
      );
    },
    async delete(keys) {
      await Promise.all(
        keys.map((key) => {
          const file = fileFor(key);
          return serialize(file, async () => {
            cache.delete(file);
            try {
              await unlink(file);
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
            }
            remember(file, ABSENT);
          });
        }),
      );
    },
  };
}

/**
 * Retention, adapter side: deletes the state files of `dir` not written since `before` (abandoned
 * conversations, and the user state of people not seen since), and temp files left by a crash.
 * Returns how many state files were deleted. Safe while the store is in use: each file is checked
 * again, and deleted, in that file's write queue.
 */
export async function purgeIdleStateFiles(dir: string, before: Date): Promise<number> {
  const root = resolve(dir);
  const names = await namesIn(root);
  let deleted = 0;
  const idle = async (file: string): Promise<boolean> => {
    try {
      return (await stat(file)).mtime < before;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  };
  for (const name of names) {
    const temp = name.startsWith('.') && name.endsWith('.tmp');
    if (!temp && !STATE_FILE.test(name)) continue;
    const file = join(root, name);
    const gone = await serialize(file, async () => {
      if (!(await idle(file))) return false;
      cache.delete(file);
      try {
        await unlink(file);
        return !temp;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw e;
      }
    });
    if (gone) deleted++;
  }
  return deleted;
}

/** In-memory StateStore with the same semantics (tests). */
export function createMemoryStateStore(): StateStore {
  const memory = new Map<string, string>();
  const load = (key: string): Item | undefined => {
    const raw = memory.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as Item);
  };
  return {
    async read(keys) {
      const out: StateItems = {};
      for (const key of keys) {
        const item = load(key);
        if (item) out[key] = item;
      }
      return out;
    },
    async write(changes) {
      const entries = Object.entries(changes).map(([key, value]) => [key, asItem(key, value)] as const);
      const errors: unknown[] = [];
      for (const [key, change] of entries) {
        try {
          checkETag(key, change, load(key)?.eTag);
          memory.set(key, stamp(change).json);
        } catch (e) {
          errors.push(e);
        }
      }
      if (errors.length) throw errors[0];
    },
    async delete(keys) {
      for (const key of keys) memory.delete(key);
    },
  };
}
