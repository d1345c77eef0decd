/**
 * The kill tests' child runner: spawns a writer script (TypeScript, through tsx), hands every line
 * it prints to `onLine`, and SIGKILLs it a random moment after the first line `onLine` counts as
 * an acknowledgement. Resolves when the kill took effect; rejects when the writer exits by itself.
 */
import { spawn } from 'node:child_process';

export function runUntilKilled(script: string, args: readonly string[], onLine: (line: string) => boolean, killWithinMs: { min: number; max: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (onLine(line) && !armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), killWithinMs.min + Math.random() * (killWithinMs.max - killWithinMs.min));
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited with ${code}: ${err}`));
    });
  });
}
