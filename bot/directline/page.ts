/**
 * The local Web Chat page: GET / (the Spanish page), /webchat/chat.js and chat.css (templates/es/web)
 * and /webchat/webchat.js, the official Web Chat bundle served from the installed package.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type restify from 'restify';
import { renderHtml } from '../../templates/render.js';
import { BASE_SECURITY_HEADERS, CHAT_PAGE_CSP, pageHeaders } from '../security-headers.js';
import { HttpError, param, type Handle } from './http.js';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'es', 'web');
const PAGE_ASSETS: Readonly<Record<string, string>> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

/** The installed botframework-webchat package: the path of its full bundle and its version. */
export function webchatBundle(): { path: string; version: string } {
  const require = createRequire(import.meta.url);
  let path: string | undefined;
  try {
    path = require.resolve('botframework-webchat/dist/webchat.js');
  } catch {
    // The package's "exports" map hides dist/: find the package root from its main entry.
  }
  let dir = dirname(path ?? require.resolve('botframework-webchat'));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'botframework-webchat') return { path: path ?? join(dir, 'dist', 'webchat.js'), version: json.version ?? '0' };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('botframework-webchat is not installed');
    dir = up;
  }
}

interface CachedBundle {
  readonly plain: Buffer;
  readonly gzipped: Buffer;
  readonly etag: string;
}

/** Registers the chat page, its assets and the Web Chat bundle (read and gzipped once, on first use). */
export function registerChatPage(server: restify.Server, handle: Handle): void {
  const webchat = webchatBundle();
  let bundle: Promise<CachedBundle> | undefined;

  server.get(
    '/',
    handle('page', async (_req, res) => {
      const html = renderHtml('web/chat', {
        titulo: 'Asistente CCF — Mi Seguridad Social',
        webchatVersion: webchat.version,
      });
      res.sendRaw(200, html, pageHeaders(CHAT_PAGE_CSP));
    }),
  );

  server.get(
    '/webchat/webchat.js',
    handle('bundle', async (req, res) => {
      bundle ??= (async () => {
        const plain = await readFile(webchat.path);
        const gzipped = await promisify(gzip)(plain);
        const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`;
        return { plain, gzipped, etag };
      })();
      let b: CachedBundle;
      try {
        b = await bundle;
      } catch (error) {
        bundle = undefined;
        throw error;
      }
      const headers: Record<string, string> = {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=86400',
        ETag: b.etag,
        Vary: 'Accept-Encoding',
        ...BASE_SECURITY_HEADERS,
      };
      if (req.headers['if-none-match'] === b.etag) {
        res.sendRaw(304, '', headers);
        return;
      }
      const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      res.sendRaw(200, gz ? b.gzipped : b.plain, gz ? { ...headers, 'Content-Encoding': 'gzip' } : headers);
    }),
  );

  server.get(
    '/webchat/:asset',
    handle('asset', async (req, res) => {
      const name = param(req, 'asset');
      const type = Object.hasOwn(PAGE_ASSETS, name) ? PAGE_ASSETS[name] : undefined;
      if (!type) throw new HttpError(404, 'NotFound', 'Not found.');
      const body = await readFile(join(WEB_DIR, name));
      res.sendRaw(200, body, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...BASE_SECURITY_HEADERS });
    }),
  );
}
