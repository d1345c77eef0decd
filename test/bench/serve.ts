/**
 * Child process of the bench: serves the real assistant (`app`, on BENCH_DATA_DIR) or the echo bot
 * (`echo`), so the load generator does not share its event loop or its memory figures. Prints
 * `{"url": ...}` once listening; answers "memory", "cpu" and "stop" over IPC.
 * The assistant is the compiled build `npm start` runs (dist/, which the bench brings up to date
 * before it serves anything: see `builtApp`), not the sources through tsx's loader: what is measured
 * is what runs.
 * BENCH_REFERENCE_DIR: the reference data set to start the assistant with (the committed one without it).
 */
import { readFileSync } from 'node:fs';
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
/** The assistant from dist/ (what `npm start` runs), as test/helpers/app.ts starts it from the sources. */
async function builtApp(dir: string) {
  const dist = new URL('../../dist/', import.meta.url);
  const { createApp } = (await import(new URL('bot/app.js', dist).href)) as typeof import('../../bot/app.js');
  const { loadConfig } = (await import(new URL('bot/config.js', dist).href)) as typeof import('../../bot/config.js');
  const { silentLogger } = (await import(new URL('bot/log.js', dist).href)) as typeof import('../../bot/log.js');
  const { loadReferenceRegistry } = (await import(new URL('storage/reference/registry.js', dist).href)) as typeof import('../../storage/reference/registry.js');
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', LOCAL_CONNECTORS: 'true', ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}) };
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.message);
  return createApp(loaded.config, { log: silentLogger, ...(referenceDir ? { reference: loadReferenceRegistry(referenceDir) } : {}) });
}

if (mode === 'app' && !dataDir) throw new Error('serve.ts app: BENCH_DATA_DIR is not set');
const app = mode === 'app' ? await builtApp(dataDir!) : undefined;
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
    await app?.close(); // the data directory is the bench's to remove
    await echo?.close();
    process.send?.('stopped', () => process.exit(0));
  } else if (app) {
    // Whether a citizen seeded by the bench is visible to the app (the bench seeded the file the app reads).
    const found = await app.store.transaction((tx) => tx.collection('citizens').findBy('email', request.lookup));
    process.send?.({ found: found.length });
  }
});
process.send?.({ url });
