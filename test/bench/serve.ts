/**
 * Child process of the bench: serves the real assistant (`app`, test/helpers/app.ts startApp on
 * DATA_DIR) or the echo bot (`echo`), so the load generator does not share its event loop or its
 * memory figures. Prints `{"url": ...}` once listening; answers "memory", "cpu" and "stop" over IPC.
 * BENCH_REFERENCE_DIR: the reference data set to start the assistant with (the committed one without it).
 */
import { readFileSync } from 'node:fs';
import { startApp } from '../helpers/app.js';
import { loadReferenceRegistry } from '../../storage/reference/registry.js';
import { startEchoBot } from './echo-bot.js';

export type ServeRequest = 'memory' | 'cpu' | 'stop' | { lookup: string };
export interface ServeMemory {
  readonly rss: number;
  readonly heapUsed: number;
}

const mode = process.argv[2];
const dataDir = process.env['BENCH_DATA_DIR'];
const referenceDir = process.env['BENCH_REFERENCE_DIR'];

if (mode !== 'app' && mode !== 'echo') throw new Error(`serve.ts: unknown mode ${mode}`);
const app = mode === 'app' ? await startApp({ LOCAL_CONNECTORS: 'true', ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}) }, referenceDir ? { reference: loadReferenceRegistry(referenceDir) } : {}, dataDir) : undefined;
const echo = mode === 'echo' ? await startEchoBot() : undefined;
const url = app?.url ?? echo?.url;

/**
 * CPU time of the event loop's thread alone (ms, in the kernel's 10 ms ticks), from Linux's
 * /proc/<pid>/task/<pid>/stat; null elsewhere. The share of a turn that no other core can take.
 */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

process.on('message', async (request: ServeRequest) => {
  if (request === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.send?.({ rss: m.rss, heapUsed: m.heapUsed } satisfies ServeMemory);
  } else if (request === 'cpu') {
    const { user, system } = process.cpuUsage(); // every thread of the process: the event loop, libuv's pool, GC
    process.send?.({ cpuMs: (user + system) / 1000, mainMs: mainThreadCpuMs() });
  } else if (request === 'stop') {
    await app?.stop(true);
    await echo?.close();
    process.send?.('stopped', () => process.exit(0));
  } else if (app) {
    // Whether a citizen seeded by the bench is visible to the app (the bench seeded the file the app reads).
    const found = await app.store.transaction((tx) => tx.collection('citizens').findBy('email', request.lookup));
    process.send?.({ found: found.length });
  }
});
process.send?.({ url });
