import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_HOSTS, createAttachmentDownloader, type LocalAttachments } from './attachments.js';

/** A throwaway self-signed certificate for the loopback TLS server. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'attachments-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=contoso.sharepoint.com',
      '-addext', 'subjectAltName=DNS:contoso.sharepoint.com,DNS:files.example.test',
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MB = 1024 * 1024;
const PREFIX = 'http://127.0.0.1:3978/v3/directline/attachments/';
const uploads = new Map<string, Buffer>([
  ['upload-1', Buffer.from('%PDF-1.4 subido')],
  ['upload-big', Buffer.alloc(MB + 1)],
]);
const local: LocalAttachments = {
  attachmentUrlPrefix: () => PREFIX,
  getAttachment: (id) => {
    const bytes = uploads.get(id);
    return bytes ? { bytes, name: 'x' } : undefined;
  },
};

describe('attachments of the built-in Direct Line endpoint: read in process, by id', () => {
  const download = createAttachmentDownloader({ local, timeoutMs: 2000 });

  it('reads an upload without any HTTP request', async () => {
    const r = await download({ contentType: 'application/pdf', contentUrl: `${PREFIX}upload-1`, name: 'rut.pdf' }, MB);
    expect(r.ok && Buffer.from(r.value.bytes).toString()).toBe('%PDF-1.4 subido');
    expect(r.ok && r.value.name).toBe('rut.pdf');
  });

  it('says when an upload is too big', async () => {
    const r = await download({ contentType: 'application/pdf', contentUrl: `${PREFIX}upload-big` }, MB);
    expect(r.ok ? 'ok' : r.error.code).toBe('rut.muy_grande');
  });

  it.each([[`${PREFIX}no-such-id`], [`${PREFIX}../../healthz`], [`${PREFIX}upload-1?x=1`], [`${PREFIX}`]])('refuses %s', async (contentUrl) => {
    const r = await download({ contentType: 'application/pdf', contentUrl }, MB);
    expect(r.ok ? 'ok' : r.error.code).toBe('attachment.download');
  });
});

describe('files handed over by a channel: https, allow-listed hosts, public addresses only', () => {
  let tls: Server;
  let plain: HttpServer;
  let tlsPort = 0;
  let plainPort = 0;
  let cert = '';
  let hits = 0;

  beforeAll(async () => {
    const pair = selfSigned();
    cert = pair.cert;
    const handler = (req: { url?: string }, res: { writeHead(s: number, h?: Record<string, string>): void; end(b?: string): void }) => {
      if (req.url === '/rut.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end('%PDF-1.4 teams');
      } else if (req.url === '/not-a-pdf') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>router admin</html>');
      } else {
        res.writeHead(404);
        res.end();
      }
    };
    tls = createServer({ key: pair.key, cert: pair.cert }, handler);
    plain = createHttpServer(handler);
    for (const s of [tls, plain]) s.on('connection', (c: Socket) => {
      hits++;
      c.on('error', () => {});
    });
    await new Promise<void>((ok) => tls.listen(0, '127.0.0.1', ok));
    await new Promise<void>((ok) => plain.listen(0, '127.0.0.1', ok));
    tlsPort = (tls.address() as AddressInfo).port;
    plainPort = (plain.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of [tls, plain]) {
      s.closeAllConnections();
      await new Promise<void>((ok) => s.close(() => ok()));
    }
  });

  const teamsFile = (downloadUrl: string) => ({
    contentType: 'application/vnd.microsoft.teams.file.download.info',
    content: { downloadUrl, fileType: 'pdf' },
    name: 'rut.pdf',
  });

  it('downloads a Teams file from an allowed host (the test lets its loopback server stand for SharePoint)', async () => {
    const download = createAttachmentDownloader({
      local,
      timeoutMs: 3000,
      fetch: { resolver: async () => [{ address: '127.0.0.1', family: 4 }], addressAllowed: (ip) => ip === '127.0.0.1', ca: cert, allowPorts: [tlsPort] },
    });
    const r = await download(teamsFile(`https://contoso.sharepoint.com:${tlsPort}/rut.pdf`), MB);
    expect(r.ok && Buffer.from(r.value.bytes).toString()).toBe('%PDF-1.4 teams');
  });

  it('gives the same answer for every refusal and every failure, and reaches no local port', async () => {
    // The real rules (no test allowances) except that names resolve to loopback and the test ports are allowed.
    const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];
    hits = 0;
    const download = createAttachmentDownloader({ local, timeoutMs: 1500, fetch: { resolver: toLoopback, allowPorts: [tlsPort, plainPort] } });
    const urls = [
      `http://127.0.0.1:${plainPort}/rut.pdf`, // another local port, plain HTTP (the finding)
      `http://127.0.0.1:${plainPort}/not-a-pdf`,
      `http://localhost:${plainPort}/rut.pdf`,
      `https://127.0.0.1:${tlsPort}/rut.pdf`, // a loopback https server
      `https://2130706433:${tlsPort}/rut.pdf`,
      `https://[::ffff:127.0.0.1]:${tlsPort}/rut.pdf`,
      `https://contoso.sharepoint.com:${tlsPort}/rut.pdf`, // an allowed name resolving to 127.0.0.1
      `https://contoso.sharepoint.com:${tlsPort}/not-a-pdf`,
      `https://files.example.test:${tlsPort}/rut.pdf`, // a host not on the list
      'https://169.254.169.254/latest/meta-data/',
      'file:///etc/passwd',
      'ftp://x/y',
      'not a url',
      '',
    ];
    const answers = new Set<string>();
    for (const url of urls) {
      const viaUrl = await download({ contentType: 'application/pdf', contentUrl: url }, MB);
      const viaTeams = await download(teamsFile(url), MB);
      answers.add(JSON.stringify(viaUrl));
      answers.add(JSON.stringify(viaTeams));
    }
    expect([...answers]).toEqual([JSON.stringify({ ok: false, error: { code: 'attachment.download' } })]);
    expect(hits).toBe(0);
  });

  it('gives that same answer when an allowed host fails (closed port, 404, timeout)', async () => {
    const download = createAttachmentDownloader({
      local,
      timeoutMs: 1000,
      fetch: { resolver: async () => [{ address: '127.0.0.1', family: 4 }], addressAllowed: (ip) => ip === '127.0.0.1', ca: cert, allowPorts: [tlsPort, 9] },
    });
    for (const url of [`https://contoso.sharepoint.com:${tlsPort}/missing`, 'https://contoso.sharepoint.com:9/rut.pdf']) {
      const r = await download(teamsFile(url), MB);
      expect(r.ok ? 'ok' : r.error.code).toBe('attachment.download');
    }
  });

  it('lists the Teams / SharePoint / Bot Framework hosts', () => {
    expect(ATTACHMENT_HOSTS).toEqual(['*.sharepoint.com', 'graph.microsoft.com', '*.botframework.com', 'smba.trafficmanager.net', '*.teams.microsoft.com']);
  });
});
