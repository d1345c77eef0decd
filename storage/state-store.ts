/**
 * Conversation state (botbuilder `Storage` shape) with MemoryStorage's eTag semantics. The file
 * adapter keeps one file per key, so a turn costs the same however many conversations exist. With
 * a SecretBox every file is sealed (AES-256-GCM): the answers of a form in progress, the key (which
 * may name a document) and the conversation reference are not readable on disk. Files are 0600.
 *
 * Writes go through an append-only journal per folder (`journal-<n>-<tag>.log`, 0600): a write
 * resolves when its line — the item encoded exactly as its file would hold it, sealed with a key —
 * was written to the journal (one `write` for every write that arrived meanwhile: group commit), so
 * a turn costs one append instead of creating, writing, closing and renaming a file. What the
 * journal holds and the files do not yet is also kept in memory (the overlay), and is folded into
 * the per-key files off the request path: when the journal passes FOLD_BYTES or after a quiet
 * moment, new lines go to the next journal, the old one's latest items are written to their files
 * (in place, on a thread of its own: file-thread.ts) and the old journal is deleted. A process that did not fold (a crash, a kill)
 * leaves journals that the next process replays into the files before it reads or writes the
 * folder: every resolved write survives a crash of the process, and a torn last line is ignored.
 * Writing a file in place is safe here because nobody reads it half written: until its fold is done
 * the key is served from the overlay, and a file a crash left half written is written again by the
 * replay of the journal it came from (deleted only once its files are written).
 *
 * What was last written or read is also kept in memory, briefly and bounded, so a turn reads its
 * state without touching the disk and checks eTags without reading the file back.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeSync, type Dir } from 'node:fs';
import { chmod as chmodAsync, open as openAsync, opendir, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SecretBox, StateItems, StateStore } from '../domain/ports.js';
import { writeFilesOnThread, type FileOp } from './file-thread.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-file.js';
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
function checkETag(key: string, tag: unknown, storedETag: unknown): void {
  if (storedETag === undefined || tag === undefined || tag === null || tag === '' || tag === '*') return;
  if (tag !== storedETag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
}

/** An item's JSON without its eTag: what the file store keeps in memory and `readJson` hands out. */
function bodyOf(item: Item): string {
  const { eTag: _eTag, ...rest } = item;
  return JSON.stringify(rest);
}

/** The stored item's JSON: `body` (an object's JSON) with `eTag` as its last member. */
function withETag(body: string, eTag: string): string {
  const tag = `"eTag":${JSON.stringify(eTag)}}`;
  return body === '{}' ? `{${tag}` : `${body.slice(0, -1)},${tag}`;
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

/** A file's content as last written or read in this process (the item's JSON without its eTag, and the eTag), or that there is no file. */
interface Cached {
  /** The item's JSON without its eTag. Undefined: no file (a user who never logged in has no user state, read every turn). */
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
  // Listed again; what this process wrote stays known (a write not folded yet may reach its file
  // after the new listing).
  for (const j of journals.values()) j.presence = newPresence(j.presence.tags);
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

// Unique journal names without a random draw per write: a per-process tag.
const TEMP_TAG = randomBytes(4).toString('hex');

// ---------------------------------------------------------------- the journal of a folder

/** A journal passing this size is folded into the per-key files (and a new one started). */
const DEFAULT_FOLD_BYTES = 4 * 1024 * 1024;
/** After this long without a write, the journal is folded (and closed: an idle folder holds no journal). */
const DEFAULT_FOLD_IDLE_MS = 1_000;
/** Per-key files a fold hands to the file thread at once (encoded on the event loop a batch at a time: ~1 ms). */
const FOLD_BATCH = 64;

const limits = { foldBytes: DEFAULT_FOLD_BYTES, foldIdleMs: DEFAULT_FOLD_IDLE_MS };

/** Tests: when a journal is folded. Applies to folders from their next write on. */
export function configureStateJournal(opts: { foldBytes?: number; foldIdleMs?: number }): void {
  if (opts.foldBytes !== undefined) limits.foldBytes = opts.foldBytes;
  if (opts.foldIdleMs !== undefined) limits.foldIdleMs = opts.foldIdleMs;
}

const JOURNAL_FILE = /^journal-(\d+)-[0-9a-z]+\.log$/;
const HASH = /^[0-9a-f]{64}$/;

/**
 * The latest encoded text of a key the files do not hold yet (undefined: deleted), and the journal
 * holding it; for a line sealed without deflating, its plain payload and the box, so the fold writes
 * the file deflated (see `encodeState`).
 */
interface OverlayEntry {
  readonly text: string | undefined;
  readonly gen: number;
  readonly plain?: { readonly payload: string; readonly box: SecretBox };
}

interface PendingLine {
  readonly hash: string;
  readonly text: string | undefined;
  readonly plain: OverlayEntry['plain'];
  readonly line: string;
  readonly ok: () => void;
  readonly fail: (e: unknown) => void;
}

interface DirJournal {
  readonly root: string;
  /** Journals left by an earlier process replayed into the files: before any read or write here. */
  readonly ready: Promise<void>;
  readonly overlay: Map<string, OverlayEntry>;
  /** The journal new lines go to, and whether it was created. */
  gen: number;
  handle: FileHandle | undefined;
  size: number;
  /** Journals closed and not folded yet (their lines are in the overlay, unless overwritten since). */
  readonly closed: number[];
  pending: PendingLine[];
  rotateWaiters: (() => void)[];
  writing: Promise<void> | undefined;
  /** The last fold queued (folds run one after the other), and whether a background one waits. */
  foldTail: Promise<void>;
  foldQueued: boolean;
  timer: NodeJS.Timeout | undefined;
  lastWriteAt: number;
  /** Diagnostics and tests: `write` calls made and lines written. */
  writes: number;
  lines: number;
  /** Which keys may have a file here (see `mayExist`). */
  presence: Presence;
}

/**
 * The keys of a folder that may have a file: those met by the replay's pass over the folder (or
 * the files the replay wrote) and every key written since, by a short tag of its hash. A key not
 * in it has no file, so a new conversation's first read answers "none" without asking the disk (an
 * open that fails, each new conversation, twice). A tag shared by two keys, or a file deleted since, only costs that read; no file appears
 * here but through this process's writes (another process, such as the retention job, only deletes;
 * the key rotation rewrites files that exist, and `forgetCachedState` lists the folder again).
 */
interface Presence {
  readonly tags: Set<number>;
  listed: boolean;
  listing: Promise<void> | undefined;
}

/** 28 bits of the hash: a small integer (kept unboxed by V8), few collisions among 100,000 keys. */
const tagOf = (hash: string): number => Number.parseInt(hash.slice(0, 7), 16);

const newPresence = (tags = new Set<number>()): Presence => ({ tags, listed: false, listing: undefined });
/** Names read from the folder at a time while listing it. */
const LIST_BATCH = 512;

const journals = new Map<string, DirJournal>();

const journalName = (root: string, gen: number) => join(root, `journal-${String(gen).padStart(6, '0')}-${TEMP_TAG}.log`);
const stateFileOf = (root: string, hash: string) => join(root, `${hash}.json`);

const ignoreMissing = (e: unknown): void => {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
};

/**
 * The names in `root` (none when it does not exist), read a few hundred at a time: a folder of
 * 100,000 state files read in one go holds the event loop for about 100 ms.
 */
async function* namesOf(root: string): AsyncGenerator<string> {
  let dir: Dir;
  try {
    dir = await opendir(root, { bufferSize: LIST_BATCH });
  } catch (e) {
    ignoreMissing(e);
    return;
  }
  for await (const entry of dir) yield entry.name;
}

/** The journal files of `root`, oldest first; the tag of every state file met on the way goes to `presence`. */
async function listJournals(root: string, presence: Presence): Promise<{ gen: number; path: string }[]> {
  const found: { gen: number; path: string; name: string }[] = [];
  for await (const name of namesOf(root)) {
    const m = JOURNAL_FILE.exec(name);
    if (m) found.push({ gen: Number(m[1]), path: join(root, name), name });
    else if (STATE_FILE.test(name)) presence.tags.add(tagOf(name));
  }
  return found.sort((a, b) => a.gen - b.gen || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A journal's lines, later ones winning; a torn or unparsable line (a write cut by a crash) is skipped. */
function readJournalLines(text: string, into: Map<string, string | undefined>): void {
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    let line: { h?: unknown; t?: unknown; d?: unknown };
    try {
      line = JSON.parse(raw) as typeof line;
    } catch {
      continue;
    }
    if (typeof line?.h !== 'string' || !HASH.test(line.h)) continue;
    if (typeof line.t === 'string') into.set(line.h, line.t);
    else if (line.d === 1) into.set(line.h, undefined);
  }
}

/**
 * Writes the per-key file of each entry with `textOf` its value (undefined: deletes it) on the file
 * thread, a batch at a time: the event loop encodes one batch (~1 ms) while the thread writes the last.
 */
async function writeStateFiles<T>(root: string, entries: readonly (readonly [string, T])[], textOf: (value: T) => string | undefined): Promise<void> {
  for (let at = 0; at < entries.length; at += FOLD_BATCH) {
    const ops = entries.slice(at, at + FOLD_BATCH).map(([hash, value]): FileOp => ({ path: stateFileOf(root, hash), data: textOf(value) }));
    await writeFilesOnThread(ops, PRIVATE_FILE_MODE);
  }
}

/** What the fold writes for an overlay entry: a line sealed without deflating is deflated and sealed anew. */
const foldedText = (e: OverlayEntry): string | undefined => (e.plain ? encodeState(e.plain.payload, e.plain.box) : e.text);

/**
 * Replays the journals an earlier process left in `root` into the files, then deletes them; the
 * folder's state files are known to `presence` afterwards. Returns the highest journal number.
 */
async function replayJournals(root: string, presence: Presence): Promise<number> {
  const found = await listJournals(root, presence);
  if (found.length === 0) return 0;
  const latest = new Map<string, string | undefined>();
  for (const j of found) {
    let text: string;
    try {
      text = await readFile(j.path, 'utf8');
    } catch (e) {
      ignoreMissing(e);
      continue;
    }
    readJournalLines(text, latest);
  }
  for (const [hash, text] of latest) if (text !== undefined) presence.tags.add(tagOf(hash));
  await writeStateFiles(root, [...latest], (text) => text);
  for (const j of found) await unlink(j.path).catch(ignoreMissing);
  return found[found.length - 1]!.gen;
}

function journalOf(root: string): DirJournal {
  let j = journals.get(root);
  if (j) return j;
  const presence = newPresence();
  const created: DirJournal = {
    root,
    ready: replayJournals(root, presence).then((gen) => {
      created.gen = Math.max(created.gen, gen + 1);
      if (created.presence === presence) presence.listed = true;
    }),
    overlay: new Map(),
    gen: 1,
    handle: undefined,
    size: 0,
    closed: [],
    pending: [],
    rotateWaiters: [],
    writing: undefined,
    foldTail: Promise.resolve(),
    foldQueued: false,
    timer: undefined,
    lastWriteAt: 0,
    writes: 0,
    lines: 0,
    presence,
  };
  // A failed replay is tried again by the next store operation on the folder.
  created.ready.catch(() => {
    if (journals.get(root) === created) journals.delete(root);
  });
  journals.set(root, created);
  return created;
}

/**
 * False only when the key surely has no file in the folder (its journals replayed: the replay lists
 * the folder). After `forgetCachedState` the folder is listed again in the background; until that
 * is done every key may exist.
 */
function mayExist(j: DirJournal, hash: string): boolean {
  const p = j.presence;
  if (p.listed) return p.tags.has(tagOf(hash));
  p.listing ??= listJournals(j.root, p).then(
    () => {
      if (j.presence === p) p.listed = true;
    },
    () => {
      if (j.presence === p) p.listing = undefined; // tried again by a later read
    },
  );
  return true;
}

/**
 * Tests and diagnostics: how many `write` calls and lines the journal of `dir` took in this process,
 * its overlay's size, and whether the folder was listed (keys without a file answered from memory).
 */
export function stateJournalStats(dir: string): { writes: number; lines: number; overlay: number; listed: boolean } | undefined {
  const j = journals.get(resolve(dir));
  return j && { writes: j.writes, lines: j.lines, overlay: j.overlay.size, listed: j.presence.listed };
}

async function openJournal(j: DirJournal): Promise<FileHandle> {
  const path = journalName(j.root, j.gen);
  const handle = await openAsync(path, 'a', PRIVATE_FILE_MODE);
  try {
    if (((await handle.stat()).mode & 0o777) !== PRIVATE_FILE_MODE) await chmodAsync(path, PRIVATE_FILE_MODE);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  return handle;
}

/** Closes the current journal (it waits in `closed` for the fold); the next line opens a new one. */
async function rotateNow(j: DirJournal): Promise<void> {
  const handle = j.handle;
  if (!handle) return;
  j.handle = undefined;
  j.closed.push(j.gen);
  j.gen++;
  j.size = 0;
  await handle.close().catch(() => undefined);
}

/** The append loop: every line waiting is written by one `write` call; rotations happen between writes. */
async function drain(j: DirJournal): Promise<void> {
  while (j.pending.length > 0 || j.rotateWaiters.length > 0) {
    if (j.rotateWaiters.length > 0) {
      const waiters = j.rotateWaiters;
      j.rotateWaiters = [];
      await rotateNow(j);
      for (const w of waiters) w();
      continue;
    }
    const batch = j.pending;
    j.pending = [];
    const data = Buffer.from(batch.length === 1 ? batch[0]!.line : batch.map((b) => b.line).join(''), 'utf8');
    try {
      j.handle ??= await openJournal(j);
      const handle = j.handle;
      // A synchronous append: a few hundred bytes into the page cache take microseconds, where a
      // write through libuv's thread pool costs ~90 µs of CPU in thread hand-offs (measured).
      for (let done = 0; done < data.length; ) done += writeSync(handle.fd, data, done, data.length - done);
      j.writes++;
      j.lines += batch.length;
      j.size += data.length;
    } catch (e) {
      // The lines may be partly in the journal: cut them off, and start a new journal so that
      // nothing follows a torn line.
      if (j.handle) {
        await j.handle.truncate(j.size).catch(() => undefined);
        await rotateNow(j);
      }
      for (const b of batch) b.fail(e);
      continue;
    }
    for (const b of batch) {
      j.overlay.set(b.hash, b.plain ? { text: b.text, gen: j.gen, plain: b.plain } : { text: b.text, gen: j.gen });
      b.ok();
    }
    if (j.size >= limits.foldBytes) {
      // The next lines go to a new journal at once, whether or not an earlier fold is still writing
      // files: a journal stays about FOLD_BYTES however fast the writes come.
      await rotateNow(j);
      startFold(j);
    }
  }
}

function kick(j: DirJournal): void {
  if (j.writing) return;
  // Started once the promise callbacks queued now have run: lines appended by turns that go on
  // meanwhile go out in the same write, and none waits for the event loop's next round.
  j.writing = new Promise<void>((ok) => queueMicrotask(ok)).then(() => drain(j)).finally(() => {
    j.writing = undefined;
    if (j.pending.length > 0 || j.rotateWaiters.length > 0) kick(j);
  });
}

/**
 * Appends one line (a write: the encoded text; a delete: a tombstone); resolves once it is written.
 * `plain`: the payload `text` seals without deflating, and the box (see OverlayEntry).
 */
function append(j: DirJournal, hash: string, text: string | undefined, plain?: OverlayEntry['plain']): Promise<void> {
  if (text !== undefined) j.presence.tags.add(tagOf(hash));
  const line = text === undefined ? `{"h":"${hash}","d":1}\n` : `{"h":"${hash}","t":${JSON.stringify(text)}}\n`;
  const written = new Promise<void>((ok, fail) => j.pending.push({ hash, text, plain, line, ok, fail }));
  j.lastWriteAt = Date.now();
  armIdleFold(j);
  kick(j);
  return written;
}

function armIdleFold(j: DirJournal): void {
  if (j.timer) return;
  const wait = Math.max(0, j.lastWriteAt + limits.foldIdleMs - Date.now());
  j.timer = setTimeout(() => {
    j.timer = undefined;
    if (Date.now() - j.lastWriteAt < limits.foldIdleMs) return armIdleFold(j);
    startFold(j);
  }, wait);
  j.timer.unref();
}

/** Folds run one at a time (two could write an older text over a newer one). */
function runFold(j: DirJournal): Promise<void> {
  const run = j.foldTail.then(() => fold(j));
  j.foldTail = run.catch(() => undefined);
  return run;
}

/** Queues a fold off the request path unless one waits already; a failed one is tried again later. */
function startFold(j: DirJournal): void {
  if (j.foldQueued) return;
  j.foldQueued = true;
  runFold(j).catch(async () => {
    // The folder was removed (tests, a reset data directory): nothing is left to fold into.
    const gone = await stat(j.root).then(
      () => false,
      (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
    );
    if (gone) {
      if (journals.get(j.root) === j && j.pending.length === 0 && !j.handle) journals.delete(j.root);
      return;
    }
    j.lastWriteAt = Date.now();
    armIdleFold(j);
  });
}

/** Switches new lines to the next journal, writes every item of the closed ones into its file, deletes them. */
async function fold(j: DirJournal): Promise<void> {
  j.foldQueued = false;
  await new Promise<void>((ok) => {
    j.rotateWaiters.push(ok);
    kick(j);
  });
  if (j.closed.length === 0) return;
  const gens = [...j.closed];
  const entries = [...j.overlay].filter(([, e]) => e.gen < j.gen);
  await writeStateFiles(j.root, entries, foldedText);
  for (const gen of gens) await unlink(journalName(j.root, gen)).catch(ignoreMissing);
  j.closed.splice(0, gens.length);
  for (const [hash, e] of entries) if (j.overlay.get(hash) === e) j.overlay.delete(hash);
}

/**
 * Folds the journal of `dir` into the per-key files now, and replays journals an earlier process
 * left: afterwards the files hold every write (code that works on the files directly, such as the
 * key rotation, and the assistant when it stops). Writes made meanwhile may start a new journal.
 */
export async function foldStateJournal(dir: string): Promise<void> {
  const j = journalOf(resolve(dir));
  await j.ready;
  await runFold(j);
}

export interface FileStateStoreOptions {
  /**
   * Seals every file. Files written without it (plain JSON, by an earlier version) are still read,
   * and sealed on their next write.
   */
  readonly secrets?: SecretBox;
}

const STATE_FILE = /^[0-9a-f]{64}\.json$/;

/** The file store: a StateStore that can fold its journal into the files (the assistant does when it stops). */
export interface FileStateStore extends StateStore {
  /** Folds the folder's journal into the per-key files; the store stays usable. */
  close(): Promise<void>;
}

/**
 * State kept as `<dir>/<sha256(key)>.json` (mode 0600), written through the folder's journal
 * (see the top of this file) and folded into those files off the request path.
 */
export function createFileStateStore(dir: string, opts: FileStateStoreOptions = {}): FileStateStore {
  const root = resolve(dir);
  const { secrets } = opts;
  let made: Promise<unknown> | undefined;
  const ensureDir = () => (made ??= ensurePrivateDir(root));
  // A file's name is the key's SHA-256: remembered for the keys in use (each turn names its keys two or three times).
  const hashes = new Map<string, string>();
  const hashOf = (key: string): string => {
    let hash = hashes.get(key);
    if (hash === undefined) {
      hash = createHash('sha256').update(key, 'utf8').digest('hex');
      if (hashes.size >= STATE_CACHE_MAX) hashes.delete(hashes.keys().next().value as string);
      hashes.set(key, hash);
    }
    return hash;
  };
  /** The folder's journal, its earlier journals replayed (again, if the folder was removed and made anew). */
  const journal = async (): Promise<DirJournal> => {
    const j = journalOf(root);
    await j.ready;
    return j;
  };

  /** The stored item's JSON and how it is encoded, from the text of its file (or journal line). */
  function parse(key: string, file: string, text: string): Omit<Cached, 'at'> {
    const sealed = isSealedState(text);
    if (sealed && !secrets) throw new Error(`conversation state file ${file} is sealed and no key was given`);
    let json: string;
    try {
      json = decodeState(text, secrets ? (t) => secrets.open(t) : undefined);
    } catch (e) {
      throw new Error(`conversation state file ${file} cannot be opened: ${(e as Error).message}`);
    }
    return parsePayload(key, file, json, sealed ? secrets : undefined);
  }

  /** The same, from the opened payload (`{ key, item }` JSON). */
  function parsePayload(key: string, file: string, json: string, box: SecretBox | undefined): Omit<Cached, 'at'> {
    let stored: StoredItem;
    try {
      stored = JSON.parse(json) as StoredItem;
    } catch (e) {
      throw new Error(`conversation state file ${file} is not valid JSON (${(e as Error).message})`);
    }
    if (stored?.key !== key) throw new Error(`conversation state file ${file} belongs to another key`);
    const item = stored.item;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error(`conversation state file ${file} holds no item`);
    return { json: bodyOf(item), eTag: item.eTag as string | undefined, box };
  }

  /** The stored item: the journal's latest line for the key when the file does not hold it yet, else the file. */
  async function readStored(j: DirJournal, key: string, hash: string, file: string): Promise<Omit<Cached, 'at'>> {
    const pending = j.overlay.get(hash);
    if (pending) {
      // Its payload as this process wrote it, when this store holds the box that sealed it (else the text is opened, or refused).
      if (pending.plain && pending.plain.box === secrets) return parsePayload(key, file, pending.plain.payload, secrets);
      return pending.text === undefined ? ABSENT : parse(key, file, pending.text);
    }
    if (!mayExist(j, hash)) return ABSENT;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ABSENT;
      throw e;
    }
    return parse(key, file, text);
  }

  /** The stored entry: from memory when fresh, else read (in the file's queue, so no write is missed) and remembered. */
  async function current(j: DirJournal, key: string, hash: string, file: string, queued: boolean): Promise<Omit<Cached, 'at'>> {
    const hit = recall(file, secrets);
    if (hit) return hit;
    const load = async () => {
      const again = recall(file, secrets);
      if (again) return again;
      const found = await readStored(j, key, hash, file);
      remember(file, found);
      return found;
    };
    return queued ? load() : serialize(file, load);
  }

  /** The stored entry of `key`. */
  async function entryOf(key: string): Promise<Omit<Cached, 'at'>> {
    const j = await journal();
    const hash = hashOf(key);
    return current(j, key, hash, stateFileOf(root, hash), false);
  }

  /**
   * Writes `body` (the item's JSON without its eTag) under `key` if `tag` passes the eTag check, with a
   * new eTag, which it resolves to. The journal's line is sealed without deflating: the fold deflates.
   */
  async function put(j: DirJournal, key: string, body: string, tag: unknown): Promise<string> {
    const hash = hashOf(key);
    const file = stateFileOf(root, hash);
    return serialize(file, async () => {
      checkETag(key, tag, (await current(j, key, hash, file, true)).eTag);
      const eTag = newETag();
      const payload = `{"key":${JSON.stringify(key)},"item":${withETag(body, eTag)}}`;
      try {
        if (secrets) await append(j, hash, encodeState(payload, secrets, { deflate: false }), { payload, box: secrets });
        else await append(j, hash, payload);
      } catch (e) {
        cache.delete(file); // what is stored now is read again
        throw e;
      }
      remember(file, { json: body, eTag, box: secrets });
      return eTag;
    });
  }

  return {
    async read(keys) {
      const out: StateItems = {};
      await Promise.all(
        keys.map(async (key) => {
          const entry = await entryOf(key);
          if (entry.json === undefined) return;
          const item = JSON.parse(entry.json) as Item; // a copy: later changes never leak in
          if (entry.eTag !== undefined) item.eTag = entry.eTag;
          out[key] = item;
        }),
      );
      return out;
    },
    async readJson(key) {
      const entry = await entryOf(key);
      return entry.json === undefined ? undefined : { json: entry.json, eTag: entry.eTag };
    },
    async write(changes) {
      const entries = Object.entries(changes).map(([key, value]) => [key, asItem(key, value)] as const);
      await ensureDir();
      const j = await journal();
      await settleAll(entries.map(([key, change]) => put(j, key, bodyOf(change), change.eTag)));
    },
    async writeJson(key, json, eTag) {
      checkObjectJson(key, json);
      await ensureDir();
      return put(await journal(), key, json, eTag);
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await ensureDir();
      const j = await journal();
      await Promise.all(
        keys.map((key) => {
          const hash = hashOf(key);
          const file = stateFileOf(root, hash);
          return serialize(file, async () => {
            cache.delete(file);
            await append(j, hash, undefined);
            remember(file, ABSENT);
          });
        }),
      );
    },
    close: () => foldStateJournal(root),
  };
}

/**
 * Retention, adapter side: deletes the state files of `dir` not written since `before` (abandoned
 * conversations, and the user state of people not seen since), and temp files left by a crash.
 * Returns how many state files were deleted. Safe while the store is in use: each file is checked
 * again, and deleted, in that file's write queue; a key whose latest write waits in this process's
 * journal is recent, and left alone (journals themselves are not state files: they are folded).
 */
export async function purgeIdleStateFiles(dir: string, before: Date): Promise<number> {
  const root = resolve(dir);
  let deleted = 0;
  const idle = async (file: string): Promise<boolean> => {
    try {
      return (await stat(file)).mtime < before;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  };
  for await (const name of namesOf(root)) {
    const temp = name.startsWith('.') && name.endsWith('.tmp');
    if (!temp && !STATE_FILE.test(name)) continue;
    const file = join(root, name);
    const gone = await serialize(file, async () => {
      if (!temp && journals.get(root)?.overlay.has(name.slice(0, 64))) return false;
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

/** Refuses what is not an object's JSON (writeJson's argument). */
function checkObjectJson(key: string, json: string): void {
  if (!json.startsWith('{') || !json.endsWith('}')) throw new TypeError(`state write "${key}": the item must be an object's JSON`);
}

/** In-memory StateStore with the same semantics (tests). */
export function createMemoryStateStore(): StateStore {
  const memory = new Map<string, { json: string; eTag: string }>();
  const put = (key: string, json: string, tag: unknown): string => {
    checkETag(key, tag, memory.get(key)?.eTag);
    const eTag = newETag();
    memory.set(key, { json, eTag });
    return eTag;
  };
  return {
    async read(keys) {
      const out: StateItems = {};
      for (const key of keys) {
        const stored = memory.get(key);
        if (stored) out[key] = { ...(JSON.parse(stored.json) as Item), eTag: stored.eTag };
      }
      return out;
    },
    async write(changes) {
      const entries = Object.entries(changes).map(([key, value]) => [key, asItem(key, value)] as const);
      const errors: unknown[] = [];
      for (const [key, change] of entries) {
        try {
          put(key, bodyOf(change), change.eTag);
        } catch (e) {
          errors.push(e);
        }
      }
      if (errors.length) throw errors[0];
    },
    async readJson(key) {
      const stored = memory.get(key);
      return stored && { ...stored };
    },
    async writeJson(key, json, eTag) {
      checkObjectJson(key, json);
      return put(key, json, eTag);
    },
    async delete(keys) {
      for (const key of keys) memory.delete(key);
    },
  };
}
