import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttachmentDownloader } from './attachments.js';

describe('attachment download (Web Chat upload, Teams file)', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/small.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end('%PDF-1.4 pequeño');
      } else if (req.url === '/big-declared') {
        res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) });
        res.end(Buffer.alloc(10));
      } else if (req.url === '/big-streamed') {
        res.writeHead(200);
        for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 1));
        res.end();
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://example.com/x' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const download = createAttachmentDownloader(5000);
  const MB = 1024 * 1024;

  it('downloads a Direct Line upload (contentUrl)', async () => {
    const r = await download({ contentType: 'application/pdf', contentUrl: `${base}/small.pdf`, name: 'rut.pdf' }, MB);
    expect(r.ok && Buffer.from(r.value.bytes).toString()).toBe('%PDF-1.4 pequeño');
    expect(r.ok && r.value.name).toBe('rut.pdf');
  });

  it('downloads a Teams file (download info with downloadUrl)', async () => {
    const r = await download(
      { contentType: 'application/vnd.microsoft.teams.file.download.info', content: { downloadUrl: `${base}/small.pdf`, fileType: 'pdf' }, name: 'rut.pdf' },
      MB,
    );
    expect(r.ok).toBe(true);
  });

  it.each([
    ['a declared size over the limit', '/big-declared', 'rut.muy_grande'],
    ['a streamed size over the limit', '/big-streamed', 'rut.muy_grande'],
    ['a missing file', '/missing', 'attachment.download'],
    ['a redirect elsewhere', '/redirect', 'attachment.download'],
  ])('refuses %s', async (_name, path, code) => {
    const r = await download({ contentType: 'application/pdf', contentUrl: `${base}${path}` }, MB);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it.each([['http://example.com/rut.pdf'], ['file:///etc/passwd'], ['ftp://x/y'], ['not a url']])('never fetches %s', async (url) => {
    const r = await download({ contentType: 'application/pdf', contentUrl: url }, MB);
    expect(r.ok ? 'ok' : r.error.code).toBe('attachment.download');
  });
});
