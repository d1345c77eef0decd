/**
 * Whole files written (in place) and deleted on a thread of its own, below the event loop's priority,
 * a batch at a time: the conversation state's fold rewrites a few hundred small files at once. Through
 * libuv's thread pool each file cost four hand-offs (open, write, close, rename): four wake-ups of a
 * pool thread, which mostly ran on the event loop's core and took it for its system call (creating a
 * file on ext4 searches the inode table), besides the event loop's own share of each hand-off. Here
 * one message carries a batch and its answer comes back once; the thread makes the system calls one
 * after the other, reniced (Linux: /proc/thread-self, as the password threads) so the event loop
 * keeps its core. Elsewhere it runs at the pool's priority. The thread starts with the first batch
 * and does not keep the process alive while idle. The store journal's flushes have a thread of the
 * same kind, at the event loop's priority (`datasyncOnThread`).
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** How much lower than the event loop the thread runs (nice, 0–19). */
export const FILE_THREAD_NICE = 10;

/** A file to write whole (`data`: text as UTF-8, or bytes), or to delete (`data` undefined; a missing file is no error). */
export interface FileOp {
  readonly path: string;
  readonly data?: string | Uint8Array;
}

/**
 * A thread's function (CommonJS, evaluated) writing `data` whole to `file` with `mode`: a new temp
 * file beside it (exclusive create; `workerData.tag` tells this process's temp files), closed and
 * renamed over it, so a reader sees the old file or the new one, never part of one; a temp file whose
 * write failed is removed. 0600 whatever the umask (fchmod when the umask narrows the mode).
 */
export const REPLACE_FILE = `
const path = require('node:path');
let counter = 0;
let umaskNarrows;
function replace(file, data, mode) {
  const temp = path.join(path.dirname(file), '.' + path.basename(file) + '.' + workerData.tag + (counter++).toString(36) + '.tmp');
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    try {
      if (umaskNarrows === undefined) umaskNarrows = (fs.fstatSync(fd).mode & 0o777) !== mode;
      if (umaskNarrows) fs.fchmodSync(fd, mode);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    try { fs.unlinkSync(temp); } catch {}
    throw e;
  }
}
`;

/**
 * A thread's function (CommonJS, evaluated) writing `data` whole into `file` in place: the file
 * opened (made with `mode` when missing; a symbolic link refused), written from its start, cut to
 * the new length, its mode set to `mode` when it differs. No new inode, so no old one freed: on a
 * file system without a journal (ext4 here) every file created looks past the inodes freed in the
 * last half minute, and a temp file renamed over each of a few hundred files a second made every
 * creation — the fold's and the outbox's — slower and slower (the kernel's \`recently_deleted\`).
 * A reader may see the file half written: only for files nobody reads while they are written.
 */
const OVERWRITE_FILE = `
const { O_WRONLY, O_CREAT, O_NOFOLLOW } = fs.constants;
function overwrite(file, data, mode) {
  const fd = fs.openSync(file, O_WRONLY | O_CREAT | O_NOFOLLOW, mode);
  try {
    if ((fs.fstatSync(fd).mode & 0o777) !== mode) fs.fchmodSync(fd, mode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done, done);
    fs.ftruncateSync(fd, bytes.length);
  } finally {
    fs.closeSync(fd);
  }
}
`;

/**
 * The file thread's code: a batch written in place (OVERWRITE_FILE) and deleted in order. No fsync,
 * as before: the page cache keeps a finished file through a crash of the process.
 */
const FILES = `
${OVERWRITE_FILE}
parentPort.on('message', ({ id, ops, mode }) => {
  try {
    for (const op of ops) {
      if (op.data === undefined) {
        try { fs.unlinkSync(op.path); } catch (e) { if (e.code !== 'ENOENT') throw e; }
      } else overwrite(op.path, op.data, mode);
    }
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e), code: e && e.code });
  }
});
`;

/** Temp files of this process's threads are told apart from another's (and from the event loop's own) by this tag (`workerData.tag`). */
export const THREAD_TEMP_TAG = `${randomBytes(4).toString('hex')}w`;

/**
 * The first lines of every thread here: renice itself and take a name `top -H` and `ps -L` show
 * (Linux; without it every thread of the process is "node").
 */
const PRELUDE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
try { require('node:os').setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice); } catch {}
try { fs.writeFileSync('/proc/thread-self/comm', workerData.threadName); } catch {}
`;

/** The name a thread of this process shows in `top -H` (Linux keeps 15 bytes). */
export function threadName(name: string): string {
  return `ccf-${name.replace(/\s+/g, '-')}`.slice(0, 15);
}

type Job = { readonly resolve: (value: unknown) => void; readonly reject: (e: Error) => void };

/**
 * One thread running `code` (after PRELUDE: `parentPort`, `workerData`, `fs`), started with its first
 * job and started again after it fails or ends (failing the jobs in flight); it keeps the process
 * alive only while a job is in flight. Each message `{ id, ... }` is answered `{ id, value? }` or
 * `{ id, error, code? }`.
 */
export class NicedThread {
  private current: { readonly worker: Worker; readonly jobs: Map<number, Job> } | undefined;
  private ids = 0;

  constructor(
    private readonly code: string,
    private readonly name: string,
    private readonly data: Record<string, unknown> = {},
  ) {}

  /** Posts `message` (with its id); resolves with the answer's `value`. */
  run<T = void>(message: Record<string, unknown>): Promise<T> {
    const t = (this.current ??= this.start());
    const id = ++this.ids;
    return new Promise<T>((resolve, reject) => {
      t.jobs.set(id, { resolve: resolve as (v: unknown) => void, reject });
      t.worker.ref(); // a job in flight keeps the process alive until it answers
      t.worker.postMessage({ ...message, id });
    });
  }

  private start(): NonNullable<NicedThread['current']> {
    const worker = new Worker(PRELUDE + this.code, { eval: true, workerData: { nice: FILE_THREAD_NICE, threadName: threadName(this.name), ...this.data } });
    const jobs = new Map<number, Job>();
    const started = { worker, jobs };
    worker.on('message', (m: { id: number; value?: unknown; error?: string; code?: string }) => {
      const job = jobs.get(m.id);
      jobs.delete(m.id);
      if (jobs.size === 0) worker.unref();
      if (m.error === undefined) job?.resolve(m.value);
      else job?.reject(Object.assign(new Error(m.error), m.code ? { code: m.code } : {}));
    });
    const lost = (e: Error) => {
      for (const job of jobs.values()) job.reject(e);
      jobs.clear();
      if (this.current === started) this.current = undefined;
    };
    worker.on('error', (e) => lost(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => lost(new Error(`the ${this.name} thread ended (${code})`)));
    worker.unref();
    return started;
  }
}

const files = new NicedThread(FILES, 'file');

/**
 * Writes and deletes `ops` in order on the file thread, every file written in place with `mode`
 * (OVERWRITE_FILE: a reader may see a file half written, so only for files nobody reads meanwhile,
 * such as the conversation state's, which the store serves from memory until their fold is done);
 * resolves when all are done. The first that fails rejects the batch (its error's `code`, e.g. ENOENT
 * when the folder is gone) and the later ones are not tried; the earlier ones stay done.
 */
export function writeFilesOnThread(ops: readonly FileOp[], mode: number): Promise<void> {
  return ops.length === 0 ? Promise.resolve() : files.run({ ops, mode });
}

/**
 * The flushes of the store's journal (fdatasync), on a thread of their own: through libuv's thread
 * pool each one cost the event loop a hand-off to a pool thread and back. At the event loop's own
 * priority (a durable turn waits for its flush: reniced, the p99 at human pace doubled or tripled in
 * the bench), and not the file thread: a flush never waits behind a fold's batch.
 */
const syncs = new NicedThread(
  `parentPort.on('message', ({ id, fd }) => {
  try { fs.fdatasyncSync(fd); parentPort.postMessage({ id }); }
  catch (e) { parentPort.postMessage({ id, error: String((e && e.message) || e), code: e && e.code }); }
});`,
  'flush',
  { nice: 0 },
);

/** fdatasync of the open file `fd` on the flush thread (the caller keeps `fd` open until it resolves). */
export function datasyncOnThread(fd: number): Promise<void> {
  return syncs.run({ fd });
}
