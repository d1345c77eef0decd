/** Starts serve.ts in a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServeMemory, ServeRequest } from './serve.js';

export interface CpuSplit {
  readonly all: number;
  readonly main: number | null;
}

export interface Served {
  readonly url: string;
  readonly pid: number;
  memory(): Promise<ServeMemory>;
  /** CPU time the process has used so far (ms): all its threads, and the event loop's thread alone (null where the system does not tell). */
  cpu(): Promise<CpuSplit>;
  /** How many citizens with this e-mail the app sees. */
  lookup(email: string): Promise<number>;
  stop(): Promise<void>;
}

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

function ask<T>(child: ChildProcess, request: ServeRequest): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const onExit = (code: number | null) => fail(new Error(`serve.ts exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      ok(m as T);
    });
    child.send(request);
  });
}

/** `env` is added to this process's environment for the child (e.g. DATABASE_URL for the PostgreSQL runs). */
export async function serve(mode: 'app' | 'echo', dataDir?: string, env: Record<string, string> = {}): Promise<Served> {
  const child = fork(SERVE, [mode], {
    execArgv: [
      '--expose-gc',
      ...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean), // flags to try, on the assistant and the echo bot alike
      ...(mode === 'app' ? (process.env['BENCH_APP_FLAGS'] ?? '').split(' ').filter(Boolean) : []), // on the assistant alone
      '--import',
      'tsx',
      ...(process.env['BENCH_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROF']}`, '--cpu-prof-interval=250'] : []),
    ],
    env: { ...process.env, ...(dataDir ? { BENCH_DATA_DIR: dataDir } : {}), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`serve.ts ${mode} exited (${code}) while starting`)));
    child.once('message', (m) => ok(m as { url: string }));
  });
  child.removeAllListeners('exit');
  return {
    url,
    pid: child.pid!,
    memory: () => ask<ServeMemory>(child, 'memory'),
    cpu: async () => {
      const { cpuMs, mainMs } = await ask<{ cpuMs: number; mainMs: number | null }>(child, 'cpu');
      return { all: cpuMs, main: mainMs };
    },
    lookup: async (email) => (await ask<{ found: number }>(child, { lookup: email })).found,
    async stop() {
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
