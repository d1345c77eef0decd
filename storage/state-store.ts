/**
 * Conversation state (botbuilder `Storage` shape) with MemoryStorage's eTag semantics. The file
 * adapter keeps one file per key, so a turn costs the same however many conversations exist. With
 * a SecretBox every file is sealed (AES-256-GCM): the answers of a form in progress, the key (which
 * may name a document) and the conversation reference are not readable on disk. Files are 0600.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SecretBox, StateItems, StateStore } from '../domain/ports.js';
import { ensurePrivateDir, namesIn, writePrivateFile } from './private-file.js';

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
function checkETag(key: string, change: Item, stored: Item | undefined): void {
  const tag = change.eTag;
  if (!stored || tag === undefined || tag === null || tag === '' || tag === '*') return;
  if (tag !== stored.eTag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

function stamp(change: Item): Item {
  return { ...(JSON.parse(JSON.stringify(change)) as Item), eTag: newETag() };
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
  const previous = fileQueues.get(file) ?? Promise.resolve();
  const run = previous.then(op);
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

  async function readStored(key: string): Promise<Item | undefined> {
    const file = fileFor(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let json = text;
    if (!text.trimStart().startsWith('{')) {
      if (!secrets) throw new Error(`conversation state file ${file} is sealed and no key was given`);
      try {
        json = secrets.open(text.trim());
      } catch (e) {
        throw new Error(`conversation state file ${file} cannot be opened: ${(e as Error).message}`);
      }
    }
    let stored: StoredItem;
    try {
      stored = JSON.parse(json) as StoredItem;
    } catch (e) {
      throw new Error(`conversation state file ${file} is not valid JSON (${(e as Error).message})`);
    }
    if (stored?.key !== key) throw new Error(`conversation state file ${file} belongs to another key`);
    return stored.item;
  }

  const encode = (stored: StoredItem): string => {
    const json = JSON.stringify(stored);
    return secrets ? secrets.seal(json) : json;
  };

  return {
    async read(keys) {
      const out: StateItems = {};
      await Promise.all(
        keys.map(async (key) => {
          const item = await readStored(key);
          if (item) out[key] = item;
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
            checkETag(key, change, await readStored(key));
            await writePrivateFile(file, encode({ key, item: stamp(change) }));
          });
        }),
      );
    },
    async delete(keys) {
      await Promise.all(
        keys.map((key) => {
          const file = fileFor(key);
          return serialize(file, async () => {
            try {
              await unlink(file);
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
            }
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
          checkETag(key, change, load(key));
          memory.set(key, JSON.stringify(stamp(change)));
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
