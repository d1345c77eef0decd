/**
 * Figure 3: process start → first 200 from /healthz, running what `npm start` runs (read from
 * package.json now, so a compiled build is measured when the script changes), with the embedded
 * defaults: only PORT and a fresh DATA_DIR are set.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function scripts(): Promise<Record<string, string>> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return pkg.scripts ?? {};
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** The environment npm gives a script: the project's binaries first on PATH. */
function npmEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`, ...extra };
}

/** Waits until no process of group `pgid` is left; SIGKILLs the group after `graceMs`. */
async function groupGone(pgid: number, graceMs: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = performance.now() + graceMs;
  while (alive()) {
    if (performance.now() > deadline) process.kill(-pgid, 'SIGKILL');
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

/** Milliseconds from spawning the start command to the first 200 of /healthz. */
async function oneStart(command: string): Promise<number> {
  const dataDir = await tempDir('asistente-bench-start-');
  const port = await freePort();
  const t0 = performance.now();
  // Its own process group, so the whole tree the command starts is stopped by its id.
  const child = spawn('sh', ['-c', command], { cwd: ROOT, env: npmEnv({ PORT: String(port), DATA_DIR: dataDir }), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()).length > 4000 && (stderr = stderr.slice(-4000)));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`\`${command}\` exited (${exited}) before /healthz answered:\n${stderr}`);
      if (performance.now() - t0 > 30_000) throw new Error(`\`${command}\`: /healthz did not answer 200 within 30 s`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await new Promise((ok) => setTimeout(ok, 5));
    }
  } finally {
    if (exited === undefined) process.kill(-child.pid!, 'SIGTERM');
    // The whole group, not just the shell: `sh -c` forks the assistant, and the shell exits at once
    // while the assistant still shuts down; the next start must not run beside it.
    await groupGone(child.pid!, 5_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Median of `runs` cold starts, after `prepare` and `prestart` (when the project has them) ran once, untimed. */
export async function coldStart(runs: number): Promise<{ command: string; median: number; all: number[] }> {
  const s = await scripts();
  const command = s['start'];
  if (!command) throw new Error('package.json has no start script');
  // What `npm install` (prepare) and `npm start` (prestart) run before the start itself: once, untimed.
  for (const name of ['prepare', 'prestart']) {
    const script = s[name];
    if (!script) continue;
    const pre = spawnSync('sh', ['-c', script], { cwd: ROOT, env: npmEnv({}), stdio: 'inherit' });
    if (pre.status !== 0) throw new Error(`${name} (\`${script}\`) failed with ${pre.status}`);
  }
  const all: number[] = [];
  for (let i = 0; i < runs; i++) all.push(await oneStart(command));
  const sorted = [...all].sort((a, b) => a - b);
  return { command, median: sorted[Math.floor(sorted.length / 2)]!, all };
}
