/** Helpers for tests of the threads the assistant starts. */
import { readdirSync, readFileSync } from 'node:fs';

/** The nice value of each thread of this process (Linux /proc), by thread id. */
export function niceOfThreads(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // Field 19 of stat is the nice value; the command name (field 2) is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
