/** /api/messages (the Azure Bot Service / Teams / Agents Playground path), /healthz and bad requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../domain/text.js';
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

const texts = (received: Record<string, unknown>[]) =>
  fold(received.map((a) => `${a['text'] ?? ''} ${JSON.stringify(a['attachments'] ?? [])}`).join('\n'));

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

  it('welcomes a member added and answers "ayuda" with the helpdesk contacts', async () => {
    const join = activity(connector.url, {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot' }, { id: '29:user-1' }],
    });
    expect((await post(`${app.url}/api/messages`, JSON.stringify(join))).status).toBe(200);
    expect(texts(connector.received)).toContain('asistente ccf');
    expect(texts(connector.received)).toContain('registrarme');

    connector.received.length = 0;
    const res = await post(`${app.url}/api/messages`, JSON.stringify(activity(connector.url, { type: 'message', text: 'ayuda' })));
    expect(res.status).toBe(200);
    expect(texts(connector.received)).toContain('miseguridadsocial@minsalud.gov.co');
  });

  it('processes a re-delivered activity (same id) once', async () => {
    connector.received.length = 0;
    const a = activity(connector.url, { type: 'message', text: 'Ingresar' });
    await post(`${app.url}/api/messages`, JSON.stringify(a));
    const after = connector.received.filter((x) => x['type'] === 'message').length;
    await post(`${app.url}/api/messages`, JSON.stringify(a));
    expect(connector.received.filter((x) => x['type'] === 'message').length).toBe(after);
    expect(after).toBeGreaterThan(0);
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
    const body = activity('http://127.0.0.1:9/', { type: 'message', text: 'hola' });
    const res = await post(`${app.url}/api/messages`, JSON.stringify(body));
    expect(res.status).toBe(401);
  });

  it('refuses a forged token', async () => {
    const body = activity('http://127.0.0.1:9/', { type: 'message', text: 'hola' });
    const res = await post(`${app.url}/api/messages`, JSON.stringify(body), { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' });
    expect(res.status).toBe(401);
  });
});
