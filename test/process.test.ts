/** `npm start` as a process: embedded defaults, JSON logs, the chat page, graceful SIGTERM. */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/app.js';

describe('the assistant process', () => {
  it('starts with embedded defaults, serves the chat page and stops cleanly on SIGTERM', async () => {
    const dataDir = await tempDir('asistente-proc-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', SECRETS_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no start:\n${out}`)), 30_000);
        child.stdout.on('data', () => {
          const m = /"msg":"assistant listening","url":"http:\/\/localhost:(\d+)"/.exec(out);
          if (m) {
            clearTimeout(timer);
            ok(`http://127.0.0.1:${m[1]}`);
          }
        });
      });
      const lines = out.trim().split('\n');
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(out).toContain('DEVELOPMENT key'); // no SECRETS_KEY: a loud warning

      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('lang="es-CO"');
      expect(html).toContain('/webchat/webchat.js');
      const bundle = await fetch(`${url}/webchat/webchat.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('shutting down');
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
