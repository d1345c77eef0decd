import { createServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackIsPublic, startHttpsServer, type LoopbackHttpsServer } from '../test/helpers/https-servers.js';
import { checkInboundServiceUrl, safeFetch, type Resolver, type SafeFetchOptions } from './outbound.js';

describe('safeFetch', () => {
  let https: LoopbackHttpsServer;
  let port = 0;
  let cert = '';
  const requests: { url: string; host: string | undefined; method?: string; body?: string; length?: string | undefined }[] = [];

  beforeAll(async () => {
    // The names the tests resolve themselves to the loopback server.
    https = await startHttpsServer(['files.example.test', 'contoso.sharepoint.com', 'other.example.test'], (req, res) => {
      if (req.url === '/echo') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          requests.push({ url: req.url ?? '', host: req.headers.host, method: req.method ?? '', body: Buffer.concat(chunks).toString(), length: req.headers['content-length'] });
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end('{"creado":true}');
        });
        return;
      }
      requests.push({ url: req.url ?? '', host: req.headers.host });
      if (req.url === '/file.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end('%PDF-1.4 hola');
      } else if (req.url === '/big-declared') {
        res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) });
        res.end(Buffer.alloc(10));
      } else if (req.url === '/big-streamed') {
        res.writeHead(200);
        for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 1));
        res.end();
      } else if (req.url === '/to-other') {
        res.writeHead(302, { location: `https://other.example.test:${port}/file.pdf` });
        res.end();
      } else if (req.url === '/to-http') {
        res.writeHead(302, { location: `http://files.example.test:${port}/file.pdf` });
        res.end();
      } else if (req.url === '/to-self') {
        res.writeHead(301, { location: '/file.pdf' });
        res.end();
      } else if (req.url === '/slow') {
        // never answers
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    ({ port, cert } = https);
  });
  afterAll(() => https.close());

  const MB = 1024 * 1024;
  const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
  /** Only for the positive controls: lets the test reach its loopback server as if it were public. */
  const trusting = (extra: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({
    maxBytes: MB,
    timeoutMs: 3000,
    resolver: toLoopback,
    addressAllowed: loopbackIsPublic,
    ca: cert,
    allowPorts: [port],
    ...extra,
  });

  it('refuses a loopback https server, however it is named, without connecting', async () => {
    const before = https.connections;
    const urls = [
      `https://127.0.0.1:${port}/file.pdf`,
      `https://127.1:${port}/file.pdf`,
      `https://2130706433:${port}/file.pdf`,
      `https://0x7f000001:${port}/file.pdf`,
      `https://[::ffff:127.0.0.1]:${port}/file.pdf`,
      `https://localhost:${port}/file.pdf`,
    ];
    for (const url of urls) {
      const r = await safeFetch(url, { maxBytes: MB, timeoutMs: 2000, allowPorts: [port] });
      expect(r.ok ? 'ok' : r.reason, url).toBe('url');
    }
    // A DNS name that resolves to loopback: refused after resolution, before connecting.
    const r = await safeFetch(`https://files.example.test:${port}/file.pdf`, { maxBytes: MB, timeoutMs: 2000, allowPorts: [port], resolver: toLoopback });
    expect(r.ok ? 'ok' : r.reason).toBe('address-not-public');
    expect(https.connections).toBe(before);
  });

  it.each([
    [['10.0.0.5']],
    [['169.254.169.254']],
    [['::1']],
    [['::ffff:127.0.0.1']],
    [['8.8.8.8', '127.0.0.1']], // one bad answer among good ones is enough
    [['fd00::1', '2620:1ec:4::152']],
  ])('refuses a name resolving to %j', async (addresses) => {
    const resolver: Resolver = async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const r = await safeFetch('https://files.example.test/file.pdf', { maxBytes: MB, timeoutMs: 2000, resolver });
    expect(r.ok ? 'ok' : r.reason).toBe('address-not-public');
  });

  it('refuses a name that does not resolve', async () => {
    const r = await safeFetch('https://files.example.test/file.pdf', { maxBytes: MB, timeoutMs: 2000, resolver: async () => [] });
    expect(r.ok ? 'ok' : r.reason).toBe('dns');
  });

  it('connects to the address it checked (one resolution; TLS verified against the name)', async () => {
    let lookups = 0;
    const rebinding: Resolver = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }]);
    requests.length = 0;
    const r = await safeFetch(`https://files.example.test:${port}/file.pdf`, trusting({ resolver: rebinding }));
    expect(r.ok && r.bytes.toString()).toBe('%PDF-1.4 hola');
    expect(r.ok && r.contentType).toBe('application/pdf');
    expect(lookups).toBe(1);
    expect(requests).toEqual([{ url: '/file.pdf', host: `files.example.test:${port}` }]);
  });

  it('checks the connected address again', async () => {
    let calls = 0;
    const before = requests.length;
    // Accepts the DNS answer, then refuses the same address when the socket reports it.
    const r = await safeFetch(`https://files.example.test:${port}/file.pdf`, trusting({ addressAllowed: () => calls++ === 0 }));
    expect(r.ok ? 'ok' : r.reason).toBe('address-not-public');
    expect(calls).toBe(2);
    expect(requests.length).toBe(before);
  });

  it('tells a TLS failure apart: a certificate it does not trust, a name the certificate does not carry', async () => {
    const untrusted = await safeFetch(`https://files.example.test:${port}/file.pdf`, trusting({ ca: undefined } as Partial<SafeFetchOptions>));
    expect(untrusted.ok ? 'ok' : untrusted.reason).toBe('tls');
    const otherName = await safeFetch(`https://unnamed.example.test:${port}/file.pdf`, trusting());
    expect(otherName.ok ? 'ok' : otherName.reason).toBe('tls');
  });

  it.each([
    ['hangs up at once', (s: Socket) => s.destroy(), 'connect'],
    ['hangs up during the handshake', (s: Socket) => s.once('data', () => s.destroy()), 'connect'],
    ['answers in plain HTTP', (s: Socket) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')), 'tls'],
  ])('a server that $0 → $2', async (_what, onConnection, reason) => {
    const tcp = createTcpServer((s) => {
      s.on('error', () => {});
      onConnection(s);
    });
    await new Promise<void>((ok) => tcp.listen(0, '127.0.0.1', ok));
    const tcpPort = (tcp.address() as AddressInfo).port;
    try {
      const r = await safeFetch(`https://files.example.test:${tcpPort}/x`, trusting({ allowPorts: [tcpPort] }));
      expect(r.ok ? 'ok' : r.reason).toBe(reason);
    } finally {
      await new Promise<void>((ok) => tcp.close(() => ok()));
    }
  });

  it('sends another method with a body and its length', async () => {
    requests.length = 0;
    const r = await safeFetch(`https://files.example.test:${port}/echo`, trusting({ method: 'POST', body: '{"a":"ñ"}', headers: { 'content-type': 'application/json' } }));
    expect(r.ok && r.status).toBe(201);
    expect(requests).toEqual([{ url: '/echo', host: `files.example.test:${port}`, method: 'POST', body: '{"a":"ñ"}', length: '10' }]);
  });

  it('never follows a redirect with a method other than GET or a body, and says which status it was', async () => {
    requests.length = 0;
    const post = await safeFetch(`https://files.example.test:${port}/to-self`, trusting({ maxRedirects: 3, method: 'POST', body: 'x' }));
    expect(post).toEqual({ ok: false, reason: 'redirect', status: 301 });
    expect(requests.map((r) => r.url)).toEqual(['/to-self']);
  });

  it.each([
    ['/big-declared', 'too-large'],
    ['/big-streamed', 'too-large'],
    ['/missing', 'status'],
    ['/to-self', 'redirect'],
  ])('%s → %s', async (path, reason) => {
    const r = await safeFetch(`https://files.example.test:${port}${path}`, trusting());
    expect(r.ok ? 'ok' : r.reason).toBe(reason);
  });

  it('follows a redirect only when allowed, checking the new URL like the first', async () => {
    const ok = await safeFetch(`https://files.example.test:${port}/to-self`, trusting({ maxRedirects: 1 }));
    expect(ok.ok).toBe(true);
    const elsewhere = await safeFetch(`https://files.example.test:${port}/to-other`, trusting({ maxRedirects: 2, allowHosts: ['files.example.test'] }));
    expect(elsewhere.ok ? 'ok' : elsewhere.reason).toBe('host-not-allowed');
    const plain = await safeFetch(`https://files.example.test:${port}/to-http`, trusting({ maxRedirects: 2 }));
    expect(plain.ok ? 'ok' : plain.reason).toBe('url');
  });

  it('times out', async () => {
    const started = Date.now();
    const r = await safeFetch(`https://files.example.test:${port}/slow`, trusting({ timeoutMs: 300 }));
    expect(r.ok ? 'ok' : r.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a closed port as a connection failure', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await safeFetch(`https://files.example.test:${closedPort}/x`, trusting({ allowPorts: [closedPort] }));
    expect(r.ok ? 'ok' : r.reason).toBe('connect');
  });

  it.each([['http://example.com/'], ['file:///etc/passwd'], ['https://user:pw@example.com/'], ['https://example.com:8443/'], ['nada']])('refuses %s by its URL', async (url) => {
    const r = await safeFetch(url, { maxBytes: MB, timeoutMs: 1000, resolver: async () => [{ address: '8.8.8.8', family: 4 }] });
    expect(r.ok ? 'ok' : r.reason).toBe('url');
  });
});

describe('checkInboundServiceUrl (/api/messages)', () => {
  const anonymous = { anonymous: true, ownPort: 3978, builtInChannelId: 'webchat' };
  const jwt = { ...anonymous, anonymous: false };
  const emulator = { ...anonymous, localConnectors: true };
  it.each([
    ['http://127.0.0.1:3978/', 'msteams', anonymous, undefined],
    ['http://localhost:3978', 'emulator', anonymous, undefined],
    ['http://127.0.0.1:3978/', 'webchat', anonymous, 'built-in-channel'],
    ['http://127.0.0.1:3978/', ' WebChat ', anonymous, 'built-in-channel'],
    ['http://127.0.0.1:3979/', 'msteams', anonymous, 'service-url'],
    ['http://127.1:3978/', 'msteams', anonymous, undefined], // the URL parser reads 127.0.0.1
    ['http://0x7f000001:3979/', 'msteams', anonymous, 'service-url'],
    ['http://[::1]:9/', 'msteams', anonymous, 'service-url'],
    ['http://127.0.0.1:3978/v3/other', 'msteams', anonymous, 'service-url'],
    ['http://user@127.0.0.1:3978/', 'msteams', anonymous, 'service-url'],
    ['https://127.0.0.1:3978/', 'msteams', anonymous, 'service-url'],
    ['http://169.254.169.254/', 'msteams', anonymous, 'service-url'],
    ['https://smba.trafficmanager.net/teams/', 'msteams', anonymous, 'service-url'],
    [undefined, 'msteams', anonymous, 'service-url'],
    ['https://smba.trafficmanager.net/teams/', 'msteams', jwt, undefined],
    ['https://webchat.botframework.com/', 'webchat', jwt, undefined],
    ['http://127.0.0.1:3978/', 'msteams', jwt, 'service-url'],
    ['https://127.0.0.1/', 'msteams', jwt, 'service-url'],
    ['https://10.1.2.3/', 'msteams', jwt, 'service-url'],
    ['http://smba.trafficmanager.net/teams/', 'msteams', jwt, 'service-url'],
    [undefined, 'msteams', jwt, 'service-url'],
    // LOCAL_CONNECTORS=true: a local Emulator / Agents Playground on another loopback port, and nothing else.
    ['http://127.0.0.1:3979/', 'emulator', emulator, undefined],
    ['http://localhost:56000/', 'emulator', emulator, undefined],
    ['http://127.0.0.1:3979/', 'webchat', emulator, 'built-in-channel'],
    ['http://169.254.169.254/', 'emulator', emulator, 'service-url'],
    ['http://10.0.0.5:3979/', 'emulator', emulator, 'service-url'],
    ['http://user@127.0.0.1:3979/', 'emulator', emulator, 'service-url'],
    ['http://127.0.0.1:3979/', 'emulator', { ...jwt, localConnectors: true }, 'service-url'],
  ])('%s (%s)', (serviceUrl, channelId, rules, expected) => {
    expect(checkInboundServiceUrl({ serviceUrl, channelId }, rules)).toBe(expected);
  });
});
