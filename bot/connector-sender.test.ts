import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ClaimsIdentity, ConnectorClient, type ConnectorFactory, type UserTokenClient } from 'botframework-connector';
import { ClientCache, ConnectorSendError, leanConnectorFactory, leanSending, MAX_CONNECTOR_SOCKETS, proxyConfigured, sendActivity, sendLean } from './connector-sender.js';
import { InternalSecretCredentials } from './directline/deliver.js';
import { startHttpsServer } from '../test/helpers/https-servers.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A connector on loopback answering each request with the next of `answers` (the last one repeats). */
async function connector(answers: { status: number; body?: string; headers?: Record<string, string> }[]): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});
async function started(answers: Parameters<typeof connector>[0]) {
  const c = await connector(answers);
  opened.push(c);
  return c;
}

const credentials = new InternalSecretCredentials('s3cret-internal');
const activity = { type: 'message', text: 'Hola, ¿cómo está?', timestamp: new Date('2026-12-01T10:00:00Z') };
const noWait = { retries: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };

describe('sendActivity: one plain POST per activity', () => {
  it('posts the activity as JSON to the reply path, signed by the credentials, and returns the resource id', async () => {
    const c = await started([{ status: 200, body: '{"id":"r1"}' }]);
    const client = leanSending(new ConnectorClient(credentials, { baseUri: c.url }), c.url, noWait);
    const response = await client.conversations.replyToActivity('conv/1 a', 'act|2', activity as never);
    expect(response).toMatchObject({ id: 'r1' });
    expect(c.seen).toHaveLength(1);
    const [req] = c.seen;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/v3/conversations/conv%2F1%20a/activities/act%7C2');
    expect(req!.headers['authorization']).toBe('Bearer s3cret-internal');
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req!.headers['x-ms-conversation-id']).toBe('conv/1 a');
    expect(JSON.parse(req!.body)).toEqual({ type: 'message', text: 'Hola, ¿cómo está?', timestamp: '2026-12-01T10:00:00.000Z' });
  });

  it('sendToConversation posts to the conversation path; an empty 201 body is an empty resource', async () => {
    const c = await started([{ status: 201 }]);
    const client = leanSending(new ConnectorClient(credentials, { baseUri: c.url }), c.url, noWait);
    expect(await client.conversations.sendToConversation('c-9', activity as never)).toEqual({});
    expect(c.seen[0]!.url).toBe('/v3/conversations/c-9/activities');
    expect(c.seen[0]!.headers['x-ms-conversation-id']).toBeUndefined();
  });

  it('updateActivity puts the activity as JSON to its path, signed, retried like a send', async () => {
    const c = await started([{ status: 503 }, { status: 200, body: '{"id":"act|2"}' }]);
    const client = leanSending(new ConnectorClient(credentials, { baseUri: c.url }), c.url, noWait);
    const response = await client.conversations.updateActivity('conv/1 a', 'act|2', { ...activity, id: 'act|2' } as never);
    expect(response).toMatchObject({ id: 'act|2' });
    expect(c.seen).toHaveLength(2);
    for (const req of c.seen) {
      expect(req.method).toBe('PUT');
      expect(req.headers['user-agent']).toBe('asistente-ccf (botframework-connector)'); // this sender's, not the SDK pipeline's
      expect(req.url).toBe('/v3/conversations/conv%2F1%20a/activities/act%7C2');
      expect(req.headers['authorization']).toBe('Bearer s3cret-internal');
      expect(JSON.parse(req.body)).toEqual({ type: 'message', text: 'Hola, ¿cómo está?', timestamp: '2026-12-01T10:00:00.000Z', id: 'act|2' });
    }
  });

  it('retries throttling as the SDK pipeline does, waiting what Retry-After says, and signs each attempt', async () => {
    const c = await started([{ status: 429, headers: { 'retry-after': '2' } }, { status: 503 }, { status: 200, body: '{"id":"ok"}' }]);
    const waits: number[] = [];
    let signed = 0;
    const counting = { signRequest: async (w: never) => (signed++, credentials.signRequest(w)) };
    const response = await sendActivity(c.url, counting as never, 'v3/conversations/x/activities', activity, {}, noWait, async (ms) => void waits.push(ms));
    expect(response).toEqual({ id: 'ok' });
    expect(c.seen).toHaveLength(3);
    expect(waits).toEqual([5, 2]); // Retry-After (2 s) capped by maxDelayMs; then exponential from the base
    expect(signed).toBe(3);
  });

  it('gives up after the retries with the status, and does not retry what retrying cannot fix', async () => {
    const failing = await started([{ status: 500, body: '{"error":{"code":"x"}}' }]);
    const error = await sendActivity(failing.url, credentials, 'v3/conversations/x/activities', activity, {}, noWait, async () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorSendError);
    expect(error).toMatchObject({ statusCode: 500, name: 'RestError' });
    expect(failing.seen).toHaveLength(4);
    for (const status of [400, 401, 403, 404, 501]) {
      const c = await started([{ status }]);
      await expect(sendActivity(c.url, credentials, 'v3/conversations/x/activities', activity, {}, noWait, async () => {})).rejects.toMatchObject({ statusCode: status });
      expect(c.seen).toHaveLength(1);
    }
  });

  it('a connector that cannot be reached is retried, then reported without the URL or the secret', async () => {
    const c = await started([{ status: 200 }]);
    const url = c.url;
    await c.close();
    opened.pop();
    const waits: number[] = [];
    const error = (await sendActivity(url, credentials, 'v3/conversations/x/activities', activity, {}, noWait, async (ms) => void waits.push(ms)).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'ECONNREFUSED', statusCode: undefined });
    expect(waits).toHaveLength(3);
    expect(error.message).not.toContain('127.0.0.1');
    expect(error.message).not.toContain('s3cret');
  });

  it('a connection the connector drops before answering is retried, and the reply arrives', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      if (++requests === 1) return req.socket.destroy(); // dropped mid-request, as a restarting connector does
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"r2"}');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    opened.push({ close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const waits: number[] = [];
    await expect(sendActivity(url, credentials, 'v3/conversations/x/activities', activity, {}, noWait, async (ms) => void waits.push(ms))).resolves.toMatchObject({ id: 'r2' });
    expect(requests).toBe(2);
    expect(waits).toEqual([noWait.baseDelayMs]);
  });

  it('an HTTPS connector is checked: one whose certificate nobody vouches for gets nothing, and is not retried', async () => {
    let requests = 0;
    const tls = await startHttpsServer(['localhost'], (_req, res) => {
      requests++;
      res.end('{"id":"r"}');
    });
    opened.push(tls);
    const waits: number[] = [];
    const error = (await sendActivity(`https://localhost:${tls.port}/`, credentials, 'v3/conversations/x/activities', activity, {}, noWait, async (ms) => void waits.push(ms)).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConnectorSendError);
    expect(error).toMatchObject({ code: expect.stringMatching(/CERT|SIGNED/) });
    expect(tls.connections).toBe(1);
    expect(requests).toBe(0);
    expect(waits).toEqual([]);
  });

  it('a connector that does not answer in time is a timeout', async () => {
    const server = createServer(() => {}); // never answers
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    opened.push({ close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await expect(sendActivity(url, credentials, 'p', activity, {}, { ...noWait, retries: 0, timeoutMs: 100 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });
});

describe('connections to one connector', () => {
  it(`a burst of replies shares at most ${MAX_CONNECTOR_SOCKETS} kept-alive connections, and every reply arrives`, async () => {
    let connections = 0;
    let inFlight = 0;
    let peak = 0;
    const ids: string[] = [];
    const server: Server = createServer(async (req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      let body = '';
      for await (const chunk of req) body += chunk;
      ids.push((JSON.parse(body) as { text: string }).text);
      await new Promise((ok) => setTimeout(ok, 15)); // a connector that takes a moment
      inFlight--;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"r"}');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    opened.push({ close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const client = leanSending(new ConnectorClient(credentials, { baseUri: url }), url, noWait);
    const burst = MAX_CONNECTOR_SOCKETS * 2 + 44;
    await Promise.all(Array.from({ length: burst }, (_, i) => client.conversations.sendToConversation(`c-${i}`, { ...activity, text: `r${i}` } as never)));
    expect(new Set(ids).size).toBe(burst);
    expect(connections).toBeLessThanOrEqual(MAX_CONNECTOR_SOCKETS);
    expect(peak).toBeLessThanOrEqual(MAX_CONNECTOR_SOCKETS);
    expect(connections).toBeGreaterThan(1); // still in parallel, not one after another
  });
});

describe('leanConnectorFactory and the client cache', () => {
  const factory = (made: string[]): ConnectorFactory =>
    ({
      create: async (serviceUrl: string, audience?: string) => {
        made.push(`${serviceUrl} ${audience ?? ''}`);
        return new ConnectorClient(credentials, { baseUri: serviceUrl });
      },
    }) as ConnectorFactory;

  it('behind a proxy the SDK factory is used as it is (its pipeline honours the proxy)', () => {
    const inner = factory([]);
    expect(proxyConfigured({ HTTPS_PROXY: 'http://proxy:3128' })).toBe(true);
    expect(proxyConfigured({})).toBe(false);
    expect(leanConnectorFactory(inner, { https_proxy: 'http://proxy:3128' })).toBe(inner);
    expect(leanConnectorFactory(inner, {})).not.toBe(inner);
  });

  it('keeps one client per service URL and audience for its time to live, at most `max`, and never a failed one', async () => {
    let now = 0;
    const cache = new ClientCache(2, 1000, () => now);
    const made: string[] = [];
    const lean = leanConnectorFactory(factory(made), {}, cache);
    const a = await lean.create('http://a/', 'aud');
    expect(await lean.create('http://a/', 'aud')).toBe(a);
    await lean.create('http://a/', 'other');
    expect(made).toEqual(['http://a/ aud', 'http://a/ other']);
    now = 1000;
    expect(await lean.create('http://a/', 'aud')).not.toBe(a);
    await lean.create('http://b/', undefined);
    await lean.create('http://c/', undefined);
    expect(made).toHaveLength(5);
    await lean.create('http://a/', 'aud'); // evicted by b and c (max 2)
    expect(made).toHaveLength(6);
    let fail = true;
    const flaky = { create: async () => (fail ? Promise.reject(new Error('no token')) : new ConnectorClient(credentials, { baseUri: 'http://d/' })) } as unknown as ConnectorFactory;
    const leanFlaky = leanConnectorFactory(flaky, {}, cache);
    await expect(leanFlaky.create('http://d/')).rejects.toThrow('no token');
    fail = false;
    await expect(leanFlaky.create('http://d/')).resolves.toBeInstanceOf(ConnectorClient);
  });
});

describe('sendLean on the adapter authentication', () => {
  it('turns use lean-sending clients, proactive messages too, and the user-token client is built only when used', async () => {
    const auth = new ConfigurationBotFrameworkAuthentication({});
    let built = 0;
    // The SDK's would call the Bot Framework token service: a stand-in that says when it is built.
    auth.createUserTokenClient = async () => (built++, { getTokenStatus: async (user: string) => [{ channelId: user }] } as unknown as UserTokenClient);
    sendLean(auth, {});
    const c = await started([{ status: 200, body: '{"id":"r"}' }]);
    const result = await auth.authenticateRequest({ type: 'message', serviceUrl: c.url, channelId: 'emulator' } as never, '');
    const client = await result.connectorFactory!.create(c.url, result.audience);
    await client.conversations.sendToConversation('conv', activity as never);
    expect(c.seen[0]!.body).toContain('Hola');
    expect(await result.connectorFactory!.create(c.url, result.audience)).toBe(client);
    const proactive = await auth.createConnectorFactory(new ClaimsIdentity([], 'anonymous')).create(c.url, result.audience);
    expect(proactive).toBe(client);
    const tokens: UserTokenClient = await auth.createUserTokenClient(result.claimsIdentity);
    expect(built).toBe(0);
    expect(await (tokens as unknown as PromiseLike<unknown>).then).toBeUndefined(); // awaiting it is not awaiting a call
    expect(await tokens.getTokenStatus('u-1', 'emulator', '')).toEqual([{ channelId: 'u-1' }]);
    await tokens.getTokenStatus('u-2', 'emulator', '');
    expect(built).toBe(1);
  });
});
