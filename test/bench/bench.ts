/**
 * `npm run bench`: turn latency and memory of the real assistant over HTTP while the conversation
 * state directory holds more and more stored conversations. A turn's cost must not grow with the
 * amount of stored data (conversation state is one file per conversation).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileStateStore } from '../../storage/state-store.js';
import { startApp, startFakeConnector, tempDir } from '../helpers/app.js';

const SIZES = (process.env['BENCH_SIZES'] ?? '0,10000,50000').split(',').map(Number);
const CONVERSATIONS = 20;
const ANSWERS = ['Registrarme', 'Acepto', 'CC', '70123456', 'José', 'Alejandro', 'Restrepo', 'Muñoz', '14/03/1968', '20/05/1986', 'M', 'confirmar'];

async function prefill(dir: string, n: number): Promise<void> {
  const store = createFileStateStore(join(dir, 'conversaciones'));
  const batch = 500;
  const filler = { dialogState: { dialogStack: [{ id: 'main', state: { values: { x: randomBytes(200).toString('hex') } } }] } };
  for (let i = 0; i < n; i += batch) {
    const changes: Record<string, unknown> = {};
    for (let j = i; j < Math.min(n, i + batch); j++) changes[`webchat/conversations/old-${j}/`] = { ...filler, eTag: '*' };
    await store.write(changes);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function run(n: number) {
  const dir = await tempDir('asistente-bench-');
  const t0 = performance.now();
  await prefill(dir, n);
  const prefillMs = performance.now() - t0;
  const connector = await startFakeConnector();
  const app = await startApp({}, {}, dir);
  const times: number[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    for (const [i, text] of ANSWERS.entries()) {
      const activity = {
        type: 'message', text, id: `b-${n}-${c}-${i}`, channelId: 'webchat', serviceUrl: connector.url,
        conversation: { id: `bench-${c}` }, from: { id: `user-${c}` }, recipient: { id: 'bot' },
      };
      const start = performance.now();
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity),
      });
      await res.arrayBuffer();
      times.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`turn failed with ${res.status}`);
    }
  }
  (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: live memory, not garbage from the prefill
  const mem = process.memoryUsage();
  await app.stop();
  await connector.close();
  await rm(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return {
    storedConversations: n,
    turns: times.length,
    p50ms: +percentile(times, 50).toFixed(2),
    p95ms: +percentile(times, 95).toFixed(2),
    maxms: +(times.at(-1) ?? NaN).toFixed(2),
    rssMB: +(mem.rss / 2 ** 20).toFixed(1),
    heapUsedMB: +(mem.heapUsed / 2 ** 20).toFixed(1),
    prefillS: +(prefillMs / 1000).toFixed(1),
  };
}

const rows = [];
for (const n of SIZES) rows.push(await run(n));
console.table(rows);
const first = rows[0];
const last = rows.at(-1);
if (first && last && rows.length > 1) {
  console.log(`p50 turn latency: ${first.p50ms} ms with ${first.storedConversations} stored conversations, ${last.p50ms} ms with ${last.storedConversations}.`);
}
