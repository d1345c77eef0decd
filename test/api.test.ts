/** /api/messages (the Azure Bot Service / Teams / Agents Playground path), /healthz and bad requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { startApp, startFakeConnector, type TestApp } from './helpers/app.js';

function activity(connectorUrl: string, extra: Record<string, unknown>) {
  return {
    channelId: 'msteams',
    serviceUrl: connectorUrl,
    conversation: { id: 'a:conv-1' },
    from: { id: '29:user-1', name: 'Usuario' },
    recipient: { id: '28:bot', name: 'Asistente CCF' },
    id: `act-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    ...extra,
  };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });


describe('anonymous /api/messages with LOCAL_CONNECTORS=true (a local Emulator)', () => {
  let app: TestApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    app = await startApp({ LOCAL_CONNECTORS: 'true' });
  });
  afterAll(async () => {
    await app.stop();
    await connector.close();
  });

  it('welcomes and answers through the local connector; a non-loopback serviceUrl is still refused', async () => {
    const join = await post(`${app.url}/api/messages`, JSON.stringify(activity(connector.url, { type: 'conversationUpdate', membersAdded: [{ id: '29:user-1' }] })));
    expect(join.status).toBe(200);
    const ayuda = await post(`${app.url}/api/messages`, JSON.stringify(activity(connector.url, { type: 'message', text: 'ayuda' })));
    expect(ayuda.status).toBe(200);
    const texts = connector.received.map((a) => String(a['text'] ?? '')).join('\n');
    expect(texts).toContain('Soy el **Asistente CCF**');
    expect(texts).toContain('miseguridadsocial@minsalud.gov.co');
    const far = await post(`${app.url}/api/messages`, JSON.stringify(activity('http://169.254.169.254/', { type: 'message', text: 'hola' })));
    expect(far.status).toBe(403);
  });
});

describe('anonymous /api/messages (no MicrosoftAppId)', () => {
  let app: TestApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    app = await startApp();
  });
  afterAll(async () => {
    await app.stop();
    await connector.close();
  });

  it('refuses a serviceUrl on another local port (403) and that port receives nothing', async () => {
    for (const type of ['conversationUpdate', 'message']) {
      const res = await post(`${app.url}/api/messages`, JSON.stringify(activity(connector.url, { type, text: 'ayuda', membersAdded: [{ id: '29:user-1' }] })));
      expect(res.status).toBe(403);
    }
    for (const serviceUrl of [`http://localhost:${new URL(connector.url).port}/`, `http://2130706433:${new URL(connector.url).port}/`, 'http://169.254.169.254/', 'https://smba.trafficmanager.net/teams/', `${app.url}/v3/elsewhere`]) {
      const res = await post(`${app.url}/api/messages`, JSON.stringify(activity(serviceUrl, { type: 'message', text: 'hola' })));
      expect(res.status, serviceUrl).toBe(403);
    }
    await new Promise((ok) => setTimeout(ok, 200));
    expect(connector.received).toEqual([]);
  });

  it("refuses an activity that claims the built-in Direct Line endpoint's channel", async () => {
    const res = await post(`${app.url}/api/messages`, JSON.stringify(activity(`${app.url}/`, { channelId: 'webchat', type: 'message', text: 'hola' })));
    expect(res.status).toBe(403);
  });

  it("accepts this server's own loopback serviceUrl", async () => {
    const res = await post(`${app.url}/api/messages`, JSON.stringify(activity(`${app.url}/`, { type: 'message', text: 'ayuda' })));
    expect(res.status).toBe(200);
    expect(connector.received).toEqual([]);
  });

  it.each([
    ['not JSON', '{"type": "message", ', 'application/json'],
    ['an array', '[1,2,3]', 'application/json'],
    ['no type', '{"text":"hola"}', 'application/json'],
    ['a number', '42', 'application/json'],
    ['wrong content type', 'type=message', 'text/plain'],
  ])('answers 4xx to %s and stays up', async (_name, body, contentType) => {
    const res = await post(`${app.url}/api/messages`, body, { 'content-type': contentType });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('answers 404 to unknown routes and 405/404 to wrong methods', async () => {
    expect((await fetch(`${app.url}/no-existe`)).status).toBe(404);
    const res = await fetch(`${app.url}/api/messages`);
    expect([404, 405]).toContain(res.status);
  });

  it('GET /healthz checks storage', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('authenticated /api/messages (MicrosoftAppId set)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-password' });
  });
  afterAll(() => app.stop());

  it('refuses a request without a Bot Framework JWT', async () => {
    const body = activity('https://smba.trafficmanager.net/teams/', { type: 'message', text: 'hola' });
    const res = await post(`${app.url}/api/messages`, JSON.stringify(body));
    expect(res.status).toBe(401);
  });

  it('refuses a forged token', async () => {
    const body = activity('https://smba.trafficmanager.net/teams/', { type: 'message', text: 'hola' });
    const res = await post(`${app.url}/api/messages`, JSON.stringify(body), { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' });
    expect(res.status).toBe(401);
  });
});

describe('with an app id, the serviceUrl is trusted only as the token says', () => {
  const APP_ID = '00000000-0000-0000-0000-000000000002';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  let keys: Server;
  let metadataUrl = '';
  let app: TestApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;

  /** A channel token signed with the test's own key, served as the Bot Framework's at a loopback URL. */
  function token(serviceurl: string): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })}.${b64({ iss: 'https://api.botframework.com', aud: APP_ID, nbf: now - 60, exp: now + 600, serviceurl })}`;
    return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
  }

  beforeAll(async () => {
    keys = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/openid') res.end(JSON.stringify({ jwks_uri: `${metadataUrl.replace('/openid', '')}/keys` }));
      else res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'test-key', endorsements: ['msteams'] }] }));
    });
    await new Promise<void>((ok) => keys.listen(0, '127.0.0.1', ok));
    metadataUrl = `http://127.0.0.1:${(keys.address() as AddressInfo).port}/openid`;
    connector = await startFakeConnector();
    app = await startApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password' });
  });
  afterAll(async () => {
    await app.stop();
    await connector.close();
    await new Promise<void>((ok) => keys.close(() => ok()));
  });

  it('the SDK compares the token\'s serviceurl claim with the activity (a forged serviceUrl is refused)', async () => {
    const auth = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', ToBotFromChannelOpenIdMetadataUrl: metadataUrl, ToBotFromChannelTokenIssuer: 'https://api.botframework.com', ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl, ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com', ToChannelFromBotOAuthScope: 'https://api.botframework.com', ValidateAuthority: true } as never);
    const claimed = 'https://smba.trafficmanager.net/teams/';
    const header = `Bearer ${token(claimed)}`;
    const genuine = activity(claimed, { type: 'message', text: 'hola' });
    await expect(auth.authenticateRequest(genuine as never, header)).resolves.toBeTruthy();
    for (const forged of [connector.url, 'https://attacker.example.org/', 'https://smba.trafficmanager.net/other/']) {
      await expect(auth.authenticateRequest(activity(forged, { type: 'message', text: 'hola' }) as never, header)).rejects.toThrow();
    }
  });

  it('refuses a local serviceUrl before anything runs, whatever the token', async () => {
    const res = await post(`${app.url}/api/messages`, JSON.stringify(activity(connector.url, { type: 'message', text: 'hola' })), {
      authorization: `Bearer ${token(connector.url)}`,
    });
    expect(res.status).toBe(403);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(connector.received).toEqual([]);
  });
});
