/**
 * Argon2id on threads of its own, below the event loop's priority. A password check is ~10 ms of
 * CPU by design; on libuv's thread pool it competed for the cores with the event loop as an equal,
 * and under load every other conversation's turn waited for the cores meanwhile. These threads are
 * reniced (Linux: the nice value of one thread, /proc/thread-self), so the event loop takes a core
 * first; a login waits a little longer when the machine is busy. Elsewhere they run as the pool did.
 * The threads start with the first hash or check and do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { threadName } from './file-thread.js';

/** How much lower than the event loop the hashing threads run (nice, 0–19). */
export const HASH_THREAD_NICE = 10;

/** The thread's code (CommonJS, evaluated): renice itself, then hash and check as asked. */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
try { require('node:os').setPriority(Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice); } catch {}
try { require('node:fs').writeFileSync('/proc/thread-self/comm', workerData.threadName); } catch {}
const argon2 = require(workerData.binding);
parentPort.on('message', ({ id, op, a, b }) => {
  try {
    const value = op === 'hash' ? argon2.hashSync(a, { ...b, salt: Buffer.from(b.salt) }) : argon2.verifySync(a, b);
    parentPort.postMessage({ id, value });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

type Job = { readonly resolve: (v: unknown) => void; readonly reject: (e: Error) => void };

interface Thread {
  readonly worker: Worker;
  readonly jobs: Map<number, Job>;
}

let threads: Thread[] | undefined;
let ids = 0;

function start(): Thread[] {
  const binding = createRequire(import.meta.url).resolve('@node-rs/argon2');
  // Two at least (a login need not wait for another's check), at most the cores but one, and 4.
  const count = Math.max(2, Math.min(4, availableParallelism() - 1));
  return Array.from({ length: count }, () => {
    const worker = new Worker(THREAD, { eval: true, workerData: { binding, nice: HASH_THREAD_NICE, threadName: threadName('password') } });
    const jobs = new Map<number, Job>();
    worker.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const job = jobs.get(m.id);
      jobs.delete(m.id);
      if (jobs.size === 0) worker.unref();
      if (m.error !== undefined) job?.reject(new Error(m.error));
      else job?.resolve(m.value);
    });
    // A thread that fails or ends fails its own jobs in flight and leaves the pool (started again when empty).
    const lost = (e: Error) => {
      for (const job of jobs.values()) job.reject(e);
      jobs.clear();
      const left = threads?.filter((t) => t.worker !== worker);
      threads = left && left.length > 0 ? left : undefined;
    };
    worker.on('error', (e) => lost(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => lost(new Error(`the password hashing thread ended (${code})`)));
    worker.unref();
    return { worker, jobs };
  });
}

function call<T>(op: 'hash' | 'verify', a: string, b: unknown): Promise<T> {
  threads ??= start();
  // The thread with the fewest jobs waiting (a check does not queue behind another while a thread is free).
  const thread = threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  const id = ++ids;
  return new Promise<T>((resolve, reject) => {
    thread.jobs.set(id, { resolve: resolve as (v: unknown) => void, reject });
    thread.worker.ref(); // a job in flight keeps the process alive until it answers
    thread.worker.postMessage({ id, op, a, b });
  });
}

/** Argon2id hash of `password` with `options` (the salt given), on a hashing thread. */
export const hashOnThread = (password: string, options: Record<string, unknown> & { salt: Buffer }): Promise<string> => call<string>('hash', password, options);

/** Whether `password` matches the PHC string `stored`, on a hashing thread (throws on a hash it cannot decode). */
export const verifyOnThread = (stored: string, password: string): Promise<boolean> => call<boolean>('verify', stored, password);
