/** Helpers for tests of the threads the assistant starts. */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadInfo {
  /** Its name (`top -H`, `ps -L`): "node" unless the thread named itself. */
  readonly name: string;
  readonly nice: number;
}

/** The name and nice value of each thread of this process (Linux /proc), by thread id. */
export function threadsOfProcess(): Map<number, ThreadInfo> {
  const out = new Map<number, ThreadInfo>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // Field 19 of stat is the nice value; the command name (field 2) is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice: Number(fields[16]) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * The nice values the threads called `name` have, each once (empty when there is none): one value
 * however many such threads run (a test process may hold more than one module graph).
 */
export function niceOfThreadsNamed(name: string): number[] {
  return [...new Set([...threadsOfProcess().values()].filter((t) => t.name === name).map((t) => t.nice))];
}

/** This process's event loop thread's nice value. */
export function niceOfEventLoop(): number | undefined {
  return threadsOfProcess().get(process.pid)?.nice;
}
