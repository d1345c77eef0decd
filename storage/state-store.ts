/**
 * Conversation state (botbuilder `Storage` shape) with MemoryStorage's eTag semantics. The file
 * adapter keeps one JSON file per key, so a turn costs the same however many conversations exist.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { JSONFile } from 'lowdb/node';
import type { StateItems, StateStore } from '../domain/ports.js';

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

/** State kept as `<dir>/<sha256(key)>.json`, written atomically (temp file + rename). */
export function createFileStateStore(dir: string): StateStore {
  const root = resolve(dir);
  let ready: Promise<unknown> | undefined;
  const ensureDir = () => (ready ??= mkdir(root, { recursive: true }));
  const fileFor = (key: string) => join(root, `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`);

  async function readStored(key: string): Promise<Item | undefined> {
    const file = fileFor(key);
    let stored: StoredItem | null;
    try {
      stored = await new JSONFile<StoredItem>(file).read();
    } catch (e) {
      if (e instanceof SyntaxError) throw new Error(`conversation state file ${file} is not valid JSON (${e.message})`);
      throw e;
    }
    if (!stored) return undefined;
    if (stored.key !== key) throw new Error(`conversation state file ${file} belongs to another key`);
    return stored.item;
  }

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
            await new JSONFile<StoredItem>(file).write({ key, item: stamp(change) });
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
