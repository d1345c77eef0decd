/**
 * Cold start: spawns the start command with a free port and a new empty DATA_DIR, polls /healthz,
 * and prints the time from spawn to the first 200, then to the first bot reply (the welcome of a
 * conversation started on the built-in Direct Line right after that 200): each run, then the medians.
 *
 *   npx tsx scripts/measure-start.ts                      # `npm start`, 5 runs
 *   npx tsx scripts/measure-start.ts --runs 9 -- node dist/bot/index.js
 *   npx tsx scripts/measure-start.ts --warm               # one DATA_DIR reused (seeded by a first, unreported run)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const command = dash >= 0 ? args.slice(dash + 1) : ['npm', 'start', '--silent'];
const options = dash >= 0 ? args.slice(0, dash) : args;
const runsAt = options.indexOf('--runs');
const runs = runsAt >= 0 ? Number(options[runsAt + 1]) : 5;
const warm = options.includes('--warm');
const TIMEOUT_MS = 60_000;

const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => ok(port));
    });
  });

const healthy = async (port: number): Promise<boolean> => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
};

const post = async (url: string, token?: string): Promise<{ token: string; conversationId: string }> => {
  const res = await fetch(url, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status}`);
  return (await res.json()) as { token: string; conversationId: string };
};

/** Starts a Direct Line conversation and waits for the bot's first activity (the welcome). */
async function firstReply(port: number): Promise<void> {
  const base = `http://127.0.0.1:${port}/v3/directline`;
  const { token } = await post(`${base}/tokens/generate`);
  const conv = await post(`${base}/conversations`, token);
  for (;;) {
    const res = await fetch(`${base}/conversations/${conv.conversationId}/activities?watermark=0`, {
      headers: { authorization: `Bearer ${conv.token}` },
    });
    const { activities } = (await res.json()) as { activities: { from?: { role?: string } }[] };
    if (activities.some((a) => a.from?.role === 'bot')) return;
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

/** Milliseconds from spawn to the first /healthz 200 and to the first reply; the process group is stopped afterwards. */
async function once(dataDir: string): Promise<{ health: number; reply: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true, // its own process group: npm, the shell and node are stopped together
  });
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  try {
    for (;;) {
      if (exited !== null) throw new Error(`${command.join(' ')} exited with ${exited} before /healthz answered`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`no /healthz 200 within ${TIMEOUT_MS} ms`);
      if (await healthy(port)) {
        const health = performance.now() - started;
        await firstReply(port);
        return { health, reply: performance.now() - started };
      }
      await new Promise((ok) => setTimeout(ok, 10));
    }
  } finally {
    if (exited === null) {
      const gone = new Promise((ok) => child.once('exit', ok));
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([gone, new Promise((ok) => setTimeout(ok, 5_000))]);
      if (exited === null) process.kill(-child.pid!, 'SIGKILL');
    }
  }
}

const root = mkdtempSync(join(tmpdir(), 'measure-start-'));
try {
  const shared = join(root, 'warm');
  if (warm) await once(shared);
  const health: number[] = [];
  const reply: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await once(warm ? shared : join(root, `run-${i}`));
    health.push(t.health);
    reply.push(t.reply);
    console.log(`run ${i + 1}: /healthz ${t.health.toFixed(0)} ms, first reply ${t.reply.toFixed(0)} ms`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
  console.log(
    `${command.join(' ')} (${warm ? 'warm' : 'empty'} DATA_DIR), median of ${runs}: /healthz 200 at ${median(health)} ms, first reply at ${median(reply)} ms`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
