/**
 * Whole files written (and deleted) on a thread of its own, below the event loop's priority, a batch
 * at a time: the conversation state's fold rewrites a few hundred small files at once. Through
 * libuv's thread pool each file cost four hand-offs (open, write, close, rename): four wake-ups of a
 * pool thread, which mostly ran on the event loop's core and took it for its system call (creating a
 * file on ext4 searches the inode table), besides the event loop's own share of each hand-off. Here
 * one message carries a batch and its answer comes back once; the thread makes the system calls one
 * after the other, reniced (Linux: /proc/thread-self, as the password threads) so the event loop
 * keeps its core. Elsewhere it runs at the pool's priority. The thread starts with the first batch
 * and does not keep the process alive while idle.
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
 * The thread's code (CommonJS, evaluated). Each file is written to a new temp file beside it
 * (exclusive create, `mode`), closed and renamed over it: a reader sees the old file or the new one,
 * never part of one. A temp file whose write failed is removed. No fsync, as before: the page cache
 * keeps a finished file through a crash of the process.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
try { require('node:os').setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice); } catch {}
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
parentPort.on('message', ({ id, ops, mode }) => {
  let done = 0;
  try {
    for (const op of ops) {
      if (op.data === undefined) {
        try { fs.unlinkSync(op.path); } catch (e) { if (e.code !== 'ENOENT') throw e; }
      } else replace(op.path, op.data, mode);
      done++;
    }
    parentPort.postMessage({ id, done });
  } catch (e) {
    parentPort.postMessage({ id, done, error: String((e && e.message) || e), code: e && e.code });
  }
});
`;

/** Temp files of this process are told apart from another's (and from the event loop's own) by this tag. */
const TAG = `${randomBytes(4).toString('hex')}w`;

type Job = { readonly resolve: () => void; readonly reject: (e: Error) => void };

let thread: { readonly worker: Worker; readonly jobs: Map<number, Job> } | undefined;
let ids = 0;

function start(): NonNullable<typeof thread> {
  const worker = new Worker(THREAD, { eval: true, workerData: { nice: FILE_THREAD_NICE, tag: TAG } });
  const jobs = new Map<number, Job>();
  const started = { worker, jobs };
  worker.on('message', (m: { id: number; done: number; error?: string; code?: string }) => {
    const job = jobs.get(m.id);
    jobs.delete(m.id);
    if (jobs.size === 0) worker.unref();
    if (m.error === undefined) job?.resolve();
    else job?.reject(Object.assign(new Error(m.error), m.code ? { code: m.code } : {}, { done: m.done }));
  });
  // A thread that fails or ends fails its batches in flight; the next batch starts a new one.
  const lost = (e: Error) => {
    for (const job of jobs.values()) job.reject(e);
    jobs.clear();
    if (thread === started) thread = undefined;
  };
  worker.on('error', (e) => lost(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => lost(new Error(`the file writing thread ended (${code})`)));
  worker.unref();
  return started;
}

/**
 * Writes and deletes `ops` in order on the file thread, every file written with `mode`; resolves when
 * all are done. The first that fails rejects the batch (its error's `code`, e.g. ENOENT when the
 * folder is gone) and the later ones are not tried; the earlier ones stay done.
 */
export function writeFilesOnThread(ops: readonly FileOp[], mode: number): Promise<void> {
  if (ops.length === 0) return Promise.resolve();
  const t = (thread ??= start());
  const id = ++ids;
  return new Promise<void>((resolve, reject) => {
    t.jobs.set(id, { resolve, reject });
    t.worker.ref(); // a batch in flight keeps the process alive until it answers
    t.worker.postMessage({ id, ops, mode });
  });
}
