/** Starts the real assistant (composition root) on 127.0.0.1 with a temporary data directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOverrides } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { silentLogger } from '../../bot/log.js';

export async function tempDir(prefix = 'asistente-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface TestApp extends App {
  readonly dataDir: string;
  /** Closes the app; removes the data directory unless `keep`. */
  stop(keep?: boolean): Promise<void>;
}

export async function startApp(
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
  dataDir?: string,
): Promise<TestApp> {
  const dir = dataDir ?? (await tempDir());
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  if (!loaded.ok) throw new Error(loaded.message);
  const app = await createApp(loaded.config, { log: silentLogger, ...overrides });
  return {
    ...app,
    dataDir: dir,
    async stop(keep = false) {
      await app.close();
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A stand-in for the Bot Framework connector service: records what the bot sends back. */
export async function startFakeConnector(): Promise<{ url: string; received: Record<string, unknown>[]; close(): Promise<void> }> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
      received.push(JSON.parse(body) as Record<string, unknown>);
      // No chaining: restify patches http.ServerResponse for the whole process.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `r${received.length}` }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
