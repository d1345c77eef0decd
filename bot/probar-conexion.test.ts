import type { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, LogFields, PruebaConexion } from '../domain/ports.js';
import {
  basicCredentials,
  loopbackIsPublic,
  readingRequest,
  sendJson,
  startHttpsServer,
  type LoopbackHttpsServer,
  type RequestRead,
} from '../test/helpers/https-servers.js';
import type { Resolver } from './outbound.js';
import { createConnectionTester, type ConnectionTesterOptions } from './probar-conexion.js';

const CLIENT_ID = 'comfama-app';
const CLIENT_SECRET = 'S3cr3t+/:ñ-cliente';
const USERNAME = 'comfama.api';
const PASSWORD = 'Cl4ve#Privada!2024';
const TOKEN = 'eyJhbGciOi.tok-9f8e7d6c5b4a';
const KB = 1024;

describe('Probar conexión (createConnectionTester) against local HTTPS servers', () => {
  let https: LoopbackHttpsServer;
  let port = 0;
  let cert = '';
  const received: RequestRead[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    // The loopback test server, its certificate for the names the tests resolve to it.
    https = await startHttpsServer(
      ['auth.ccf.test', 'api.ccf.test', 'rebind.ccf.test', 'localhost', '127.0.0.1'],
      readingRequest((read, req, res) => {
        const { path, body } = read;
        received.push(read);
        const json = (status: number, value: unknown) => sendJson(res, status, value);
        if (path === '/oauth/token') {
          const form = new URLSearchParams(body);
          const client = basicCredentials(req.headers.authorization);
          const clientOk = client?.[0] === CLIENT_ID && client[1] === CLIENT_SECRET;
          const grant = form.get('grant_type');
          const userOk = grant === 'client_credentials' || (grant === 'password' && form.get('username') === USERNAME && form.get('password') === PASSWORD);
          if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-www-form-urlencoded' || !clientOk || !userOk) {
            json(401, { error: 'invalid_client' });
            return;
          }
          json(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 300 });
        } else if (path === '/oauth/sin-token') json(200, { token_type: 'Bearer' });
        else if (path === '/oauth/mal-formado') json(400, { error: 'invalid_request' });
        else if (path === '/oauth/caido') json(503, { error: 'mantenimiento' });
        else if (path === '/oauth/lento') {
          // never answers
        } else if (path === '/oauth/enorme') json(200, { access_token: TOKEN, relleno: 'x'.repeat(70 * KB) });
        else if (path.startsWith('/api/')) {
          if (req.headers.authorization !== `Bearer ${TOKEN}`) json(401, { error: 'invalid_token' });
          else if (path === '/api/afiliados') json(200, { estado: 'ok', metodo: req.method });
          else if (path === '/api/grande') json(200, { relleno: 'x'.repeat(200 * KB) });
          else if (path === '/api/lento') {
            // never answers
          } else if (path === '/api/redirige') {
            res.writeHead(302, { location: '/api/afiliados' });
            res.end();
          } else if (path === '/api/enorme') {
            res.writeHead(200, { 'content-type': 'application/json' });
            for (let i = 0; i < 5; i++) res.write(Buffer.alloc(64 * KB, 0x20));
            res.end();
          } else if (path === '/api/falla') json(500, { error: 'interno' });
          else json(404, {});
        } else json(404, {});
      }),
    );
    ({ port, cert } = https);
  });
  afterAll(() => https.close());
  beforeEach(() => {
    received.length = 0;
    lines.length = 0;
  });

  /** Keeps every log line with its fields as given (no redaction), to search them for secrets. */
  const capture: Logger = {
    debug: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
    info: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
    warn: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
    error: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
    child: (_fields: LogFields) => capture,
  };

  const NAMES: Record<string, string> = {
    'auth.ccf.test': '127.0.0.1',
    'api.ccf.test': '127.0.0.1',
    'otro.ccf.test': '127.0.0.1', // not on the certificate
    'privada.ccf.test': '10.0.0.5',
    'mixta.ccf.test': '127.0.0.1,192.168.1.20',
  };
  const byName: Resolver = async (host) => (NAMES[host] ?? '').split(',').filter(Boolean).map((address) => ({ address, family: 4 }));
  const tester = (extra: ConnectionTesterOptions = {}) =>
    createConnectionTester({ resolver: byName, addressAllowed: loopbackIsPublic, ca: cert, allowPorts: [port], log: capture, ...extra });

  const prueba = (extra: Partial<PruebaConexion> = {}): PruebaConexion => ({
    tokenUrl: `https://auth.ccf.test:${port}/oauth/token`,
    grantType: 'password',
    username: USERNAME,
    password: PASSWORD,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    serviceUrl: `https://api.ccf.test:${port}/api/afiliados?apikey=consulta-privada`,
    metodo: 'POST',
    cuerpo: '{"tipoDocumento":"CC","numero":"123"}',
    ...extra,
  });

  const outcome = (e: { ok: boolean; motivo?: string; status?: number } | undefined) => (e ? (e.ok ? `ok ${e.status}` : `${e.motivo} ${e.status ?? '-'}`) : 'ninguna');

  it('success: a token, then the call with the Bearer token and the example body; statuses, ms and sizes', async () => {
    const r = await tester().test(prueba({ scope: 'afiliados.read' }));
    expect(r.token).toMatchObject({ ok: true, status: 200 });
    expect(r.servicio).toMatchObject({ ok: true, status: 200 });
    expect(r.token.ms).toBeGreaterThan(0);
    expect(r.servicio!.ms).toBeGreaterThan(0);
    expect(r.token.ok && r.token.bytes).toBe(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 300 }).length);
    expect(r.servicio!.ok && r.servicio!.bytes).toBe(JSON.stringify({ estado: 'ok', metodo: 'POST' }).length);
    expect(Object.keys(r).sort()).toEqual(['servicio', 'token']);
    const [token, call] = received;
    expect(received).toHaveLength(2);
    expect(token).toMatchObject({ method: 'POST', path: '/oauth/token', contentType: 'application/x-www-form-urlencoded' });
    expect(call).toEqual({
      method: 'POST',
      path: '/api/afiliados',
      authorization: `Bearer ${TOKEN}`,
      contentType: 'application/json',
      body: '{"tipoDocumento":"CC","numero":"123"}',
    });
  });

  it('password grant vs client_credentials, as the token endpoint receives them (client in HTTP Basic, RFC 6749 §2.3.1)', async () => {
    await tester().test(prueba({ scope: 'afiliados.read' }));
    await tester().test(prueba({ grantType: 'client_credentials', username: undefined, password: undefined }));
    const tokenRequests = received.filter((q) => q.path === '/oauth/token');
    expect(tokenRequests.map((q) => Object.fromEntries(new URLSearchParams(q.body)))).toEqual([
      { grant_type: 'password', username: USERNAME, password: PASSWORD, scope: 'afiliados.read' },
      { grant_type: 'client_credentials' },
    ]);
    // The client's credentials travel only in the Authorization header (never in the body, above), form-encoded then base64.
    for (const q of tokenRequests) expect(basicCredentials(q.authorization)).toEqual([CLIENT_ID, CLIENT_SECRET]);
    expect(received.filter((q) => q.path === '/api/afiliados')).toHaveLength(2);
  });

  it.each([
    ['POST', true],
    ['PUT', true],
    ['patch', true],
    ['GET', false],
    ['DELETE', false],
  ])('%s sends the example body: %s', async (metodo, withBody) => {
    const r = await tester().test(prueba({ metodo }));
    expect(outcome(r.servicio)).toBe('ok 200');
    const call = received.find((q) => q.path === '/api/afiliados')!;
    expect(call.method).toBe(metodo.toUpperCase());
    expect(call.body).toBe(withBody ? '{"tipoDocumento":"CC","numero":"123"}' : '');
    expect(call.contentType).toBe(withBody ? 'application/json' : undefined);
  });

  it('bad credentials: token_rechazado 401, and no call to the service', async () => {
    const wrongPassword = await tester().test(prueba({ password: 'otra-clave' }));
    const wrongSecret = await tester().test(prueba({ grantType: 'client_credentials', clientSecret: 'otro-secreto' }));
    for (const r of [wrongPassword, wrongSecret]) {
      expect(r.token).toMatchObject({ ok: false, motivo: 'token_rechazado', status: 401 });
      expect(r.servicio).toBeUndefined();
    }
    expect(received.map((q) => q.path)).toEqual(['/oauth/token', '/oauth/token']);
  });

  it.each([
    ['/oauth/mal-formado', 'token_rechazado 400'],
    ['/oauth/caido', 'estado 503'],
    ['/oauth/sin-token', 'token_invalido 200'],
    ['/oauth/enorme', 'muy_grande -'], // over the 64 KB default
  ])('token endpoint %s → %s, no service call', async (path, expected) => {
    const r = await tester().test(prueba({ tokenUrl: `https://auth.ccf.test:${port}${path}` }));
    expect(outcome(r.token)).toBe(expected);
    expect(r.servicio).toBeUndefined();
    expect(received.some((q) => q.path.startsWith('/api/'))).toBe(false);
  });

  it.each([
    ['/api/falla', 'estado 500'],
    ['/api/redirige', 'redireccion 302'],
    ['/api/enorme', 'muy_grande -'], // 320 KB, over the 256 KB default
    ['/api/grande', 'ok 200'], // 200 KB, under it
  ])('service %s → %s', async (path, expected) => {
    const r = await tester().test(prueba({ serviceUrl: `https://api.ccf.test:${port}${path}` }));
    expect(outcome(r.token)).toBe('ok 200');
    expect(outcome(r.servicio)).toBe(expected);
    // A redirect is never followed.
    expect(received.map((q) => q.path)).toEqual(['/oauth/token', path]);
  });

  it('times out each stage on its own deadline', async () => {
    const slowService = await tester({ serviceTimeoutMs: 300 }).test(prueba({ serviceUrl: `https://api.ccf.test:${port}/api/lento` }));
    expect(outcome(slowService.servicio)).toBe('tiempo -');
    expect(slowService.servicio!.ms).toBeGreaterThanOrEqual(290);
    expect(slowService.servicio!.ms).toBeLessThan(2000);
    const slowToken = await tester({ tokenTimeoutMs: 300 }).test(prueba({ tokenUrl: `https://auth.ccf.test:${port}/oauth/lento` }));
    expect(outcome(slowToken.token)).toBe('tiempo -');
    expect(slowToken.servicio).toBeUndefined();
  });

  it('a certificate that does not carry the name is a TLS error', async () => {
    const r = await tester().test(prueba({ serviceUrl: `https://otro.ccf.test:${port}/api/afiliados` }));
    expect(outcome(r.servicio)).toBe('tls -');
    const untrusted = await createConnectionTester({ resolver: byName, addressAllowed: loopbackIsPublic, allowPorts: [port] }).test(prueba());
    expect(outcome(untrusted.token)).toBe('tls -');
  });

  it('a name resolving to a private address is refused when connecting, before any byte reaches it', async () => {
    const before = https.connections;
    const service = await tester().test(prueba({ serviceUrl: `https://privada.ccf.test:${port}/api/afiliados` }));
    expect(outcome(service.servicio)).toBe('direccion -');
    const mixed = await tester().test(prueba({ serviceUrl: `https://mixta.ccf.test:${port}/api/afiliados` }));
    expect(outcome(mixed.servicio)).toBe('direccion -');
    const token = await tester().test(prueba({ tokenUrl: `https://privada.ccf.test:${port}/oauth/token` }));
    expect(outcome(token.token)).toBe('direccion -');
    expect(token.servicio).toBeUndefined();
    // Only the two token requests connected; nothing was sent to the refused names.
    expect(https.connections - before).toBe(2);
    expect(received.map((q) => q.path)).toEqual(['/oauth/token', '/oauth/token']);
  });

  it('DNS rebinding: one resolution per call, the connection goes to the address checked, a later private answer is refused', async () => {
    const answers: string[] = [];
    // Public (the test server) the first time, private afterwards.
    const rebinding: Resolver = async () => {
      const address = answers.length === 0 ? '127.0.0.1' : '10.0.0.5';
      answers.push(address);
      return [{ address, family: 4 }];
    };
    const localAddresses: string[] = [];
    const onConnection = (s: Socket) => localAddresses.push(s.localAddress ?? '');
    https.server.on('connection', onConnection);
    try {
      const r = await tester({ resolver: rebinding }).test(
        prueba({ tokenUrl: `https://rebind.ccf.test:${port}/oauth/token`, serviceUrl: `https://rebind.ccf.test:${port}/api/afiliados` }),
      );
      expect(outcome(r.token)).toBe('ok 200');
      expect(outcome(r.servicio)).toBe('direccion -');
      expect(answers).toEqual(['127.0.0.1', '10.0.0.5']); // nothing resolved the name again at connect time
      expect(localAddresses).toEqual(['127.0.0.1']);
      expect(received.map((q) => q.path)).toEqual(['/oauth/token']);
    } finally {
      https.server.off('connection', onConnection);
    }
  });

  it('checks the address actually connected to, not only the DNS answer', async () => {
    // Accepts every DNS answer and the token call's socket, then refuses the service call's socket.
    let checks = 0;
    const r = await tester({ addressAllowed: (ip) => loopbackIsPublic(ip) && ++checks !== 4 }).test(prueba());
    expect(outcome(r.token)).toBe('ok 200');
    expect(outcome(r.servicio)).toBe('direccion -');
    expect(checks).toBe(4);
    expect(received.map((q) => q.path)).toEqual(['/oauth/token']);
  });

  it.each([
    ['http://auth.ccf.test/oauth/token', 'url'],
    ['https://usuario:clave@auth.ccf.test/oauth/token', 'url'],
    ['https://auth.ccf.test:8443/oauth/token', 'url'],
    ['no es una url', 'url'],
  ])('the token URL %s → %s', async (tokenUrl, motivo) => {
    const r = await tester().test(prueba({ tokenUrl }));
    expect(r.token).toMatchObject({ ok: false, motivo });
  });

  it('with the defaults (production), refuses the loopback server even when it listens, and reaches nothing', async () => {
    const before = https.connections;
    const urls = [`https://127.0.0.1:${port}/oauth/token`, `https://localhost:${port}/oauth/token`];
    for (const tokenUrl of urls) {
      const r = await createConnectionTester().test(prueba({ tokenUrl }));
      expect(outcome(r.token), tokenUrl).toBe('url -');
      expect(r.servicio).toBeUndefined();
    }
    // Not even with the port allowed and a name that resolves to it: loopback is never a public address.
    const ported = createConnectionTester({ allowPorts: [port], resolver: byName, ca: cert });
    for (const tokenUrl of [...urls, `https://auth.ccf.test:${port}/oauth/token`]) {
      const r = await ported.test(prueba({ tokenUrl }));
      expect(r.token.ok, tokenUrl).toBe(false);
      expect(['url', 'direccion']).toContain(!r.token.ok && r.token.motivo);
    }
    expect(https.connections).toBe(before);
    expect(received).toEqual([]);
  });

  it('no secret in results or log lines; logs name the stage and the host, never a path or a query', async () => {
    const results = [
      await tester().test(prueba({ scope: 'afiliados.read' })),
      await tester().test(prueba({ grantType: 'client_credentials' })),
      await tester().test(prueba({ password: 'otra-clave' })),
      await tester().test(prueba({ serviceUrl: `https://api.ccf.test:${port}/api/falla?apikey=consulta-privada` })),
      await tester().test(prueba({ serviceUrl: `https://api.ccf.test:${port}/api/redirige` })),
    ];
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const text = JSON.stringify(results) + '\n' + lines.join('\n');
    for (const secret of [PASSWORD, CLIENT_SECRET, encodeURIComponent(CLIENT_SECRET), TOKEN, basic, 'Bearer', 'otra-clave', 'consulta-privada', '/api/', '/oauth/']) {
      expect(text).not.toContain(secret);
    }
    expect(lines.length).toBe(9); // two per test that got a token, one per refused token
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry).every((k) => ['msg', 'etapa', 'host', 'status', 'ms', 'bytes', 'motivo'].includes(k))).toBe(true);
      expect(entry.host).toMatch(/^(auth|api)\.ccf\.test:\d+$/);
    }
  });

  it('refuses a method the domain never stores, without a secret in the error', async () => {
    const error = await tester().test(prueba({ metodo: 'TRACE' })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/método no soportado/);
    for (const secret of [PASSWORD, CLIENT_SECRET]) expect(String((error as Error).stack)).not.toContain(secret);
    expect(received).toEqual([]);
  });
});
