/**
 * The built-in Direct Line 3.0 endpoint, over real HTTP on 127.0.0.1, driven by the official
 * botframework-directlinejs client (polling) and by the exact requests it makes.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStatus, DirectLine, type Activity as DLActivity } from 'botframework-directlinejs';
import { fakeClock } from '../domain/random.js';
import { DEFAULT_LIMITS, RECENT_HISTORY_EVENT, RETRACT_EVENT } from '../bot/directline/index.js';
import { SECRET_RETRACTED, startDirectLineBot, TEST_BOT_WELCOME, type DirectLineBot } from './helpers/directline-bot.js';

// ------------------------------------------------------------------ a minimal XMLHttpRequest for Node

/**
 * Direct Line JS uses rxjs 5 ajax, i.e. XMLHttpRequest, which Node lacks: this is the small part of
 * it that rxjs uses, on top of fetch (which also sends the FormData of uploads).
 */
class NodeXMLHttpRequest {
  readyState = 0;
  status = 0;
  response: unknown = null;
  responseText = '';
  responseType = '';
  timeout = 0;
  withCredentials = false;
  readonly upload = {};
  onreadystatechange: ((this: NodeXMLHttpRequest, e: unknown) => void) | null = null;
  onerror: ((this: NodeXMLHttpRequest, e: unknown) => void) | null = null;
  ontimeout: ((this: NodeXMLHttpRequest, e: unknown) => void) | null = null;
  private method = 'GET';
  private url = '';
  private readonly headers: Record<string, string> = {};
  private responseHeaders = new Headers();
  private readonly controller = new AbortController();

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders.get(name);
  }

  getAllResponseHeaders(): string {
    return [...this.responseHeaders].map(([k, v]) => `${k}: ${v}`).join('\r\n');
  }

  abort(): void {
    this.controller.abort();
  }

  send(body?: string | FormData): void {
    let timedOut = false;
    const timer = this.timeout > 0 ? setTimeout(() => ((timedOut = true), this.controller.abort()), this.timeout) : undefined;
    const init: RequestInit = { method: this.method, headers: this.headers, signal: this.controller.signal };
    if (body !== undefined && body !== null) init.body = body;
    fetch(this.url, init).then(
      async (res) => {
        const bytes = Buffer.from(await res.arrayBuffer());
        clearTimeout(timer);
        this.status = res.status;
        this.responseHeaders = res.headers;
        this.responseText = bytes.toString('utf8');
        if (this.responseType === 'json') this.response = this.responseText ? (JSON.parse(this.responseText) as unknown) : null;
        else if (this.responseType === 'arraybuffer') this.response = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
        else this.response = this.responseText;
        this.readyState = 4;
        this.onreadystatechange?.call(this, {});
      },
      () => {
        clearTimeout(timer);
        this.status = 0;
        this.readyState = 4;
        if (timedOut) this.ontimeout?.call(this, {});
        else this.onreadystatechange?.call(this, {});
      },
    );
  }
}

beforeAll(() => {
  (globalThis as Record<string, unknown>).XMLHttpRequest ??= NodeXMLHttpRequest;
});

// ------------------------------------------------------------------ helpers

let running: DirectLineBot[] = [];
let clients: DirectLine[] = [];

afterEach(async () => {
  for (const c of clients) c.end();
  clients = [];
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

async function start(options: Parameters<typeof startDirectLineBot>[0] = {}): Promise<DirectLineBot> {
  const bot = await startDirectLineBot(options);
  running.push(bot);
  return bot;
}

async function stop(bot: DirectLineBot): Promise<void> {
  running = running.filter((r) => r !== bot);
  await bot.close();
}

interface Json {
  status: number;
  body: any;
  headers: Headers;
}

async function call(
  bot: DirectLineBot,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; raw?: string | FormData; contentType?: string } = {},
): Promise<Json> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | FormData | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
    if (options.contentType) headers['Content-Type'] = options.contentType;
  }
  const res = await fetch(`${bot.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function newToken(bot: DirectLineBot): Promise<{ token: string; conversationId: string; userId: string }> {
  const res = await call(bot, 'POST', '/v3/directline/tokens/generate');
  expect(res.status).toBe(200);
  const payload = JSON.parse(Buffer.from(String(res.body.token).split('.')[1] ?? '', 'base64url').toString('utf8'));
  return { token: res.body.token, conversationId: res.body.conversationId, userId: payload.user };
}

/** Generates a token and starts its conversation (as Direct Line JS does); returns the started token. */
async function startConversation(bot: DirectLineBot) {
  const t = await newToken(bot);
  const started = await call(bot, 'POST', '/v3/directline/conversations', { token: t.token, json: {} });
  expect(started.status).toBe(201);
  return { ...t, token: started.body.token as string };
}

const dlPath = (conversationId: string, rest = '') => `/v3/directline/conversations/${encodeURIComponent(conversationId)}${rest}`;

async function getActivities(bot: DirectLineBot, token: string, conversationId: string, watermark = ''): Promise<{ activities: any[]; watermark: string }> {
  const res = await call(bot, 'GET', `${dlPath(conversationId, '/activities')}?watermark=${watermark}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every stored activity, page by page (from watermark 0: without one, a long history comes trimmed). */
async function allActivities(bot: DirectLineBot, token: string, conversationId: string): Promise<any[]> {
  const all: any[] = [];
  let watermark = '0';
  for (;;) {
    const page = await getActivities(bot, token, conversationId, watermark);
    if (page.activities.length === 0) {
      expect(page.watermark).toBe(watermark);
      return all;
    }
    expect(Number(page.watermark)).toBeGreaterThan(Number(watermark));
    all.push(...page.activities);
    watermark = page.watermark;
  }
}

/** Polls GET activities until one matches. */
async function waitForActivity(bot: DirectLineBot, token: string, conversationId: string, match: (a: any) => boolean): Promise<any> {
  return waitFor('an activity', async () => (await allActivities(bot, token, conversationId)).find(match));
}

class NoWebSocket {}

function client(bot: DirectLineBot, options: { token: string; conversationId?: string; watermark?: string }) {
  const dl = new DirectLine({
    domain: `${bot.url}/v3/directline`,
    webSocket: false,
    pollingInterval: 200,
    ...options,
    WebSocket: NoWebSocket as unknown as typeof WebSocket,
  });
  clients.push(dl);
  const seen: any[] = [];
  dl.activity$.subscribe({ next: (a) => seen.push(a), error: () => undefined });
  return { dl, seen };
}

function post(dl: DirectLine, activity: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    dl.postActivity(activity as unknown as DLActivity).subscribe({ next: resolve, error: reject });
  });
}

const isBotText = (text: string | RegExp) => (a: any) =>
  a.type === 'message' && a.from?.role === 'bot' && (typeof text === 'string' ? a.text === text : text.test(String(a.text)));

// A one-page PDF (valid structure; the bot only measures it).
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

// ------------------------------------------------------------------ tests

describe('Direct Line endpoint with the official client', () => {
  it('shows the welcome, echoes the user activity and delivers the bot reply', async () => {
    const bot = await start();
    const t = await newToken(bot);
    expect(t.userId).toMatch(/^dl_/);
    const { dl, seen } = client(bot, { token: t.token });

    const welcome = await waitFor('the welcome', () => seen.find(isBotText(TEST_BOT_WELCOME)));
    expect(welcome.conversation?.id).toBe(t.conversationId);
    expect(welcome.from.id).toBe('asistente-ccf');

    const id = await post(dl, { type: 'message', from: { id: t.userId }, text: 'hola', channelData: { clientActivityID: 'c-1' } });
    expect(id).toMatch(new RegExp(`^${t.conversationId}\\|\\d{7}$`));

    const echo = await waitFor('the echo', () => seen.find((a: any) => a.channelData?.clientActivityID === 'c-1'));
    expect(echo.id).toBe(id);
    expect(echo.from).toMatchObject({ id: t.userId, role: 'user' });
    const reply = await waitFor('the reply', () => seen.find(isBotText('eco: hola')));
    expect(reply.replyToId).toBe(id);
    for (const a of seen) expect(a).not.toHaveProperty('serviceUrl');
    expect(bot.turnErrors).toEqual([]);
    expect(dl.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);
  });
});

describe('Direct Line endpoint: protocol details', () => {
  it('processes a re-sent activity (same clientActivityID) once and answers with the same id', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const activity = { type: 'message', from: { id: t.userId }, text: 'una vez', channelData: { clientActivityID: 'dup-1' } };
    const first = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: activity });
    const second = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: activity });
    expect(first.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: una vez'));
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.bot.turns.filter((a) => a.text === 'una vez')).toHaveLength(1);
    const all = (await getActivities(bot, t.token, t.conversationId)).activities;
    expect(all.filter((a) => a.channelData?.clientActivityID === 'dup-1')).toHaveLength(1);
    expect(all.filter(isBotText('eco: una vez'))).toHaveLength(1);
  });

  it('pages activities with the watermark', async () => {
    const bot = await start({ limits: { pageSize: 2 } });
    const t = await startConversation(bot);
    await waitForActivity(bot, t.token, t.conversationId, isBotText(TEST_BOT_WELCOME));
    for (const text of ['uno', 'dos', 'tres']) {
      const res = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text } });
      expect(res.status).toBe(200);
      await waitForActivity(bot, t.token, t.conversationId, isBotText(`eco: ${text}`));
    }
    let pages = 0;
    let watermark = '';
    const all: any[] = [];
    for (;;) {
      const page = await getActivities(bot, t.token, t.conversationId, watermark);
      expect(page.activities.length).toBeLessThanOrEqual(2);
      if (page.activities.length === 0) {
        expect(page.watermark).toBe(watermark);
        break;
      }
      pages++;
      all.push(...page.activities);
      watermark = page.watermark;
    }
    expect(pages).toBe(4);
    // welcome + 3 × (echo, reply), in order, each once
    expect(all.map((a) => a.text)).toEqual([TEST_BOT_WELCOME, 'uno', 'eco: uno', 'dos', 'eco: dos', 'tres', 'eco: tres']);
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
  });

  it('refreshes tokens (the old one stops working), refuses expired ones and exchanges a recently expired one for the same conversation', async () => {
    const clock = fakeClock('2026-03-02T15:00:00Z');
    const bot = await start({ clock, limits: { tokenTtlSeconds: 1800 } });
    const t = await startConversation(bot);

    clock.advance(20 * 60 * 1000);
    const refreshed = await call(bot, 'POST', '/v3/directline/tokens/refresh', { token: t.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ conversationId: t.conversationId, expires_in: 1800 });
    expect(refreshed.body.token).not.toBe(t.token);
    // Requests already on their way with the old token still pass for a few seconds, then it is refused.
    await getActivities(bot, t.token, t.conversationId);
    clock.advance(60 * 1000);
    expect((await call(bot, 'GET', `${dlPath(t.conversationId, '/activities')}?watermark=`, { token: t.token })).status).toBe(403);
    expect((await call(bot, 'POST', '/v3/directline/tokens/refresh', { token: t.token })).status).toBe(403);
    await getActivities(bot, refreshed.body.token, t.conversationId);

    clock.advance(35 * 60 * 1000); // the refreshed token has expired (at 50 min; now 56)
    expect((await call(bot, 'POST', '/v3/directline/tokens/refresh', { token: refreshed.body.token })).body.error.code).toBe('TokenExpired');
    // A replaced token cannot be resumed: a new conversation.
    expect((await call(bot, 'POST', '/v3/directline/tokens/generate', { json: { resume: t.token } })).body.conversationId).not.toBe(t.conversationId);
    // An expired token within the resume window (minutes) → a new token of the same conversation, once.
    const resumed = await call(bot, 'POST', '/v3/directline/tokens/generate', { json: { resume: refreshed.body.token } });
    expect(resumed.body.conversationId).toBe(t.conversationId);
    await getActivities(bot, resumed.body.token, t.conversationId);
    clock.advance(60 * 1000);
    const again = await call(bot, 'POST', '/v3/directline/tokens/generate', { json: { resume: refreshed.body.token } });
    expect(again.body.conversationId).not.toBe(t.conversationId);

    // Expired longer than the resume window (DEFAULT_LIMITS.resumeWindowMs, 10 minutes) → a new conversation.
    clock.advance(31 * 60 * 1000 + DEFAULT_LIMITS.resumeWindowMs);
    const fresh = await call(bot, 'POST', '/v3/directline/tokens/generate', { json: { resume: resumed.body.token } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.conversationId).not.toBe(t.conversationId);
    // A forged "resume" token is ignored too.
    const forged = await call(bot, 'POST', '/v3/directline/tokens/generate', { json: { resume: `${t.token.slice(0, -2)}xx` } });
    expect(forged.body.conversationId).not.toBe(t.conversationId);
  });

  it('authorizes a token only for its own conversation', async () => {
    const bot = await start();
    const a = await startConversation(bot);
    const b = await startConversation(bot);
    const attempts: [string, string, Record<string, unknown>][] = [
      ['GET', dlPath(a.conversationId, '/activities?watermark='), {}],
      ['GET', dlPath(a.conversationId, '?watermark='), {}],
      ['POST', dlPath(a.conversationId, '/activities'), { json: { type: 'message', text: 'intruso' } }],
      ['POST', dlPath(a.conversationId, '/upload?userId=x'), { raw: new FormData() }],
    ];
    for (const [method, path, extra] of attempts) {
      const res = await call(bot, method, path, { token: b.token, ...extra });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('Forbidden');
    }
    expect((await call(bot, 'GET', dlPath(a.conversationId, '/activities'), {})).status).toBe(401);
    expect((await call(bot, 'GET', dlPath(a.conversationId, '/activities'), { token: 'not.a.token' })).status).toBe(403);
    const tampered = a.token.replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ conv: b.conversationId })).toString('base64url')}.`);
    expect((await call(bot, 'GET', dlPath(b.conversationId, '/activities'), { token: tampered })).status).toBe(403);
    expect((await getActivities(bot, a.token, a.conversationId)).activities.some((x) => x.text === 'intruso')).toBe(false);
  });

  it('lets only the assistant (internal secret) post to the connector endpoints', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const path = `/v3/conversations/${t.conversationId}/activities`;
    const activity = { type: 'message', text: 'desde el bot', from: { id: 'asistente-ccf' } };
    expect((await call(bot, 'POST', path, { json: activity })).status).toBe(401);
    expect((await call(bot, 'POST', path, { json: activity, token: 'wrong' })).status).toBe(401);
    expect((await call(bot, 'POST', path, { json: activity, token: t.token })).status).toBe(401);
    expect((await call(bot, 'PUT', `${path}/x`, { json: activity, token: t.token })).status).toBe(401);
    expect((await call(bot, 'POST', '/v3/conversations/unknown-conversation-id/activities', { json: activity, token: bot.internalSecret })).status).toBe(404);

    const ok = await call(bot, 'POST', path, { json: { ...activity, serviceUrl: 'http://leak/' }, token: bot.internalSecret });
    expect(ok.status).toBe(200);
    const seen = await waitForActivity(bot, t.token, t.conversationId, (a) => a.id === ok.body.id);
    expect(seen).toMatchObject({ text: 'desde el bot', from: { role: 'bot' }, recipient: { id: t.userId } });
    expect(seen).not.toHaveProperty('serviceUrl');

    const updated = await call(bot, 'PUT', `${path}/${encodeURIComponent(ok.body.id)}`, {
      json: { ...activity, text: 'corregido' },
      token: bot.internalSecret,
    });
    expect(updated).toMatchObject({ status: 200, body: { id: ok.body.id } });
    const after = (await getActivities(bot, t.token, t.conversationId)).activities.filter((a) => a.id === ok.body.id);
    expect(after.map((a) => a.text)).toEqual(['corregido']);
  });

  it('answers 400 with a JSON error to malformed requests and keeps serving', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const activities = dlPath(t.conversationId, '/activities');
    const bad: [string, string, Parameters<typeof call>[3]][] = [
      ['POST', activities, { token: t.token, raw: '{"type": "message", "text": ', contentType: 'application/json' }],
      ['POST', activities, { token: t.token, raw: 'no es json', contentType: 'text/plain' }],
      ['POST', activities, { token: t.token, json: [] }],
      ['POST', activities, { token: t.token, json: { type: 5 } }],
      ['POST', activities, { token: t.token, json: { type: 'message', text: 42 } }],
      ['POST', activities, { token: t.token, json: { type: 'conversationUpdate' } }],
      ['POST', activities, { token: t.token, json: { type: 'message', channelData: { clientActivityID: 7 } } }],
      ['GET', `${activities}?watermark=abc`, { token: t.token }],
      ['POST', '/v3/directline/tokens/generate', { json: { resume: 1 } }],
      ['POST', '/v3/directline/tokens/generate', { raw: '{', contentType: 'application/json' }],
      ['POST', '/v3/directline/conversations', { token: t.token, json: { locale: { no: 1 } } }],
      ['POST', dlPath(t.conversationId, '/upload'), { token: t.token, json: { type: 'message' } }],
      ['POST', dlPath(t.conversationId, '/upload'), { token: t.token, raw: '--x\r\nbasura', contentType: 'multipart/form-data; boundary=x' }],
      ['POST', `/v3/conversations/${t.conversationId}/activities`, { token: bot.internalSecret, json: { text: 'sin tipo' } }],
      ['POST', `/v3/conversations/${t.conversationId}/activities`, { token: bot.internalSecret, raw: '{]', contentType: 'application/json' }],
    ];
    for (const [method, path, options] of bad) {
      const res = await call(bot, method, path, options);
      expect(res.status, `${method} ${path} ${JSON.stringify(options?.json ?? options?.raw)}`).toBe(400);
      expect(typeof res.body).toBe('object');
    }
    expect((await call(bot, 'GET', '/v3/directline/nada')).status).toBe(404);
    expect((await call(bot, 'GET', '/webchat/secreto.txt')).status).toBe(404);

    const res = await call(bot, 'POST', activities, { token: t.token, json: { type: 'message', text: 'sigo aquí' } });
    expect(res.status).toBe(200);
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: sigo aquí'));
  });

  it('drops attachment URLs that a client chose (the bot never fetches them)', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const res = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), {
      token: t.token,
      json: {
        type: 'message',
        text: 'mire',
        attachments: [
          { contentType: 'application/pdf', contentUrl: 'http://169.254.169.254/latest/meta-data', name: 'x.pdf' },
          { contentType: 'application/vnd.microsoft.card.hero', content: { title: 'tarjeta' } },
        ],
      },
    });
    const echo = await waitForActivity(bot, t.token, t.conversationId, (a) => a.id === res.body.id);
    // The bot gets the inline card; the transcript keeps no inline content.
    const turn = await waitFor('the turn', () => bot.bot.turns.find((x) => x.id === res.body.id));
    expect(turn.attachments).toEqual([{ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'tarjeta' } }]);
    expect(echo.attachments).toBeUndefined();
  });
});

describe('Direct Line endpoint: bounded bodies and transcripts', () => {
  /** A JSON value nested `depth` arrays deep. */
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('keeps only known fields: of channelData the clientActivityID, typing as a bare type, no value, entities or inline content in the echo', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const activities = dlPath(t.conversationId, '/activities');
    await waitForActivity(bot, t.token, t.conversationId, isBotText(TEST_BOT_WELCOME)); // nothing waits for the bot
    const padding = 'x'.repeat(250 * 1024);
    const typing = await call(bot, 'POST', activities, {
      token: t.token,
      json: { type: 'typing', text: 'no', value: { a: padding.slice(0, 10) }, channelData: { clientActivityID: 'ty-1', relleno: padding } },
    });
    expect(typing.status).toBe(200);
    const message = await call(bot, 'POST', activities, {
      token: t.token,
      json: {
        type: 'message',
        text: 'hola',
        value: { campo: 'valor' },
        entities: [{ type: 'ClientCapabilities', requiresBotState: true }],
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } }],
        channelData: { clientActivityID: 'msg-1', clientTimestamp: '2026-03-02T15:00:00Z', relleno: 'y'.repeat(1000) },
      },
    });
    expect(message.status).toBe(200);
    const turn = await waitFor('the message turn', () => bot.bot.turns.find((x) => x.id === message.body.id));
    const all = await allActivities(bot, t.token, t.conversationId);
    const typingEcho = all.find((a) => a.id === typing.body.id);
    expect(Object.keys(typingEcho).sort()).toEqual(['channelData', 'channelId', 'conversation', 'from', 'id', 'recipient', 'timestamp', 'type']);
    expect(typingEcho.channelData).toEqual({ clientActivityID: 'ty-1' });
    const echo = all.find((a) => a.id === message.body.id);
    expect(echo.channelData).toEqual({ clientActivityID: 'msg-1' });
    expect(echo.text).toBe('hola');
    for (const key of ['value', 'entities', 'attachments']) expect(echo[key], key).toBeUndefined();
    expect(JSON.stringify(all).length).toBeLessThan(10_000);
    // The bot gets what it needs, but no client-chosen channelData either.
    expect(turn?.value).toEqual({ campo: 'valor' });
    expect(turn?.entities).toHaveLength(1);
    expect(turn?.attachments).toHaveLength(1);
    expect(turn?.channelData).toEqual({ clientActivityID: 'msg-1' });
    const typingTurn = await waitFor('the typing turn', () => bot.bot.turns.find((x) => x.id === typing.body.id));
    expect(typingTurn.channelData).toEqual({ clientActivityID: 'ty-1' });
    expect(typingTurn.text).toBeUndefined();
  });

  it('refuses bodies over the route limit (413) and too deep (400, not 500) before parsing, and keeps serving', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const activities = dlPath(t.conversationId, '/activities');
    const json = 'application/json';
    const cases: [string, string, Parameters<typeof call>[3], number][] = [
      ['POST', '/v3/directline/tokens/generate', { raw: JSON.stringify({ resume: 'x'.repeat(5000) }), contentType: json }, 413],
      ['POST', '/v3/directline/tokens/generate', { raw: deep(100), contentType: json }, 400],
      ['POST', '/v3/directline/conversations', { token: t.token, raw: JSON.stringify({ locale: 'y'.repeat(5000) }), contentType: json }, 413],
      ['POST', activities, { token: t.token, raw: JSON.stringify({ type: 'message', text: 'z'.repeat(DEFAULT_LIMITS.maxActivityBytes) }), contentType: json }, 413],
      ['POST', activities, { token: t.token, raw: `{"type":"message","value":${deep(10_000)}}`, contentType: json }, 400],
      ['POST', activities, { token: t.token, raw: `{"type":"message","value":${deep(10_000)}}`, contentType: 'text/plain' }, 400],
      ['POST', activities, { token: t.token, raw: `{"type":"message","value":${deep(65)}}`, contentType: json }, 400],
      ['POST', `/v3/conversations/${t.conversationId}/activities`, { token: bot.internalSecret, raw: `{"type":"message","value":${deep(10_000)}}`, contentType: json }, 400],
      ['POST', '/v3/directline/tokens/refresh', { token: t.token, raw: 'w'.repeat(20_000), contentType: 'text/plain' }, 413],
    ];
    for (const [method, path, options, status] of cases) {
      const res = await call(bot, method, path, options);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.body.error.code, `${method} ${path}`).toBeTruthy();
    }
    // Brackets inside strings do not count; a depth within the limit is fine.
    const ok = await call(bot, 'POST', activities, { token: t.token, json: { type: 'message', text: '[[[[{{{{'.repeat(100), value: JSON.parse(deep(60)) } });
    expect(ok.status).toBe(200);

    // A declared Content-Length far over the limit is answered at once, without reading the body.
    const started = Date.now();
    const huge = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${bot.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'Content-Type': json, 'Content-Length': String(5 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"a":"');
    });
    expect(huge).toBe(413);
    expect(Date.now() - started).toBeLessThan(2000);

    const res = await call(bot, 'POST', activities, { token: t.token, json: { type: 'message', text: 'sigo aquí' } });
    expect(res.status).toBe(200);
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: sigo aquí'));
    expect(bot.turnErrors).toEqual([]);
  });

  it('keeps a byte budget per conversation and for all, dropping the oldest activities (least recently used conversations first)', async () => {
    const bot = await start({ limits: { maxTranscriptBytesPerConversation: 12_000, maxTranscriptBytesTotal: 30_000 } });
    const size = (list: any[]) => list.reduce((n, a) => n + Buffer.byteLength(JSON.stringify(a)), 0);
    const a = await startConversation(bot);
    for (let i = 0; i < 6; i++) {
      const text = `${i}-${'a'.repeat(2000)}`;
      await call(bot, 'POST', dlPath(a.conversationId, '/activities'), { token: a.token, json: { type: 'message', text } });
      await waitForActivity(bot, a.token, a.conversationId, isBotText(`eco: ${text}`));
    }
    const kept = await allActivities(bot, a.token, a.conversationId);
    expect(size(kept)).toBeLessThanOrEqual(12_000);
    expect(kept.at(-1).text).toBe(`eco: 5-${'a'.repeat(2000)}`);
    expect(kept.some((x) => String(x.text).startsWith('0-'))).toBe(false);

    // Two more conversations fill the global budget: the least recently used (a) loses first.
    for (const name of ['b', 'c']) {
      const c = await startConversation(bot);
      for (let i = 0; i < 4; i++) {
        const text = `${name}${i}-${'b'.repeat(2000)}`;
        await call(bot, 'POST', dlPath(c.conversationId, '/activities'), { token: c.token, json: { type: 'message', text } });
        await waitForActivity(bot, c.token, c.conversationId, isBotText(`eco: ${text}`));
      }
      expect(size(await allActivities(bot, c.token, c.conversationId))).toBeGreaterThan(8_000);
    }
    const left = await allActivities(bot, a.token, a.conversationId);
    expect(size(left)).toBeLessThan(size(kept));
  });

  it('limits token generation and new conversations per client address (429 with Retry-After)', async () => {
    const clock = fakeClock('2026-03-02T15:00:00Z');
    const bot = await start({ clock, limits: { tokenRate: { burst: 3, perMinute: 6 }, conversationRate: { burst: 2, perMinute: 6 } } });
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(await newToken(bot));
    const refused = await call(bot, 'POST', '/v3/directline/tokens/generate');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    const starts = [];
    for (const t of tokens) starts.push((await call(bot, 'POST', '/v3/directline/conversations', { token: t.token, json: {} })).status);
    expect(starts).toEqual([201, 201, 429]);
    // The same conversation again is no new conversation.
    expect((await call(bot, 'POST', '/v3/directline/conversations', { token: tokens[0]!.token, json: {} })).status).toBe(200);

    clock.advance(10_000); // one token back at 6 per minute
    expect((await call(bot, 'POST', '/v3/directline/tokens/generate')).status).toBe(200);
    expect((await call(bot, 'POST', '/v3/directline/tokens/generate')).status).toBe(429);
    expect((await call(bot, 'POST', '/v3/directline/conversations', { token: tokens[2]!.token, json: {} })).status).toBe(201);
  });
});

describe('Direct Line endpoint: the bot deletes and updates activities', () => {
  const SECRET = 'secreto Guayacan-Florido-2026';
  const isRetraction = (a: any) => a.type === 'event' && a.name === RETRACT_EVENT;

  it('context.deleteActivity: the message is gone from the next poll, from a reload and after a token refresh; clients are told', async () => {
    const bot = await start();
    const t = await newToken(bot);
    const { dl, seen } = client(bot, { token: t.token });
    await waitFor('the welcome', () => seen.find(isBotText(TEST_BOT_WELCOME)));
    const { watermark } = await getActivities(bot, t.token, t.conversationId);

    const id = await post(dl, { type: 'message', from: { id: t.userId }, text: SECRET, channelData: { clientActivityID: 'pw-1' } });
    await waitFor('the answer after the deletion', () => seen.find(isBotText(SECRET_RETRACTED)));
    expect(bot.bot.turns.some((a) => a.text === SECRET)).toBe(true); // the bot did get it
    expect(bot.turnErrors).toEqual([]);

    // The official client is told, with both ids (the page shows the message under its clientActivityID first).
    const retraction = await waitFor('the retraction event', () => seen.find(isRetraction));
    expect(retraction.value).toEqual({ id, clientActivityID: 'pw-1' });
    expect(retraction.from.role).toBe('bot');

    const leaks = (list: any[]) => list.filter((a) => a.id === id || JSON.stringify(a).includes('Guayacan'));
    const next = await getActivities(bot, t.token, t.conversationId, watermark);
    expect(leaks(next.activities)).toEqual([]);
    expect(next.activities.some(isRetraction)).toBe(true);
    // A reply to the deleted message does not point at it (Web Chat would hold the reply back, waiting for it).
    expect(next.activities.find(isBotText(SECRET_RETRACTED)).replyToId).toBeUndefined();
    expect(leaks((await getActivities(bot, t.token, t.conversationId)).activities)).toEqual([]); // a reload
    expect(leaks(await allActivities(bot, t.token, t.conversationId))).toEqual([]); // from watermark 0, page by page
    const refreshed = await call(bot, 'POST', '/v3/directline/tokens/refresh', { token: t.token });
    expect(leaks((await getActivities(bot, refreshed.body.token, t.conversationId)).activities)).toEqual([]);
    const reload = client(bot, { token: refreshed.body.token, conversationId: t.conversationId });
    await waitFor('the history after a reload', () => reload.seen.find(isBotText(SECRET_RETRACTED)));
    expect(leaks(reload.seen)).toEqual([]);

    // Re-sending the same activity (a client retry) is not taken as a new one.
    const again = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), {
      token: t.token,
      json: { type: 'message', text: SECRET, channelData: { clientActivityID: 'pw-1' } },
    });
    expect(again.body.id).toBe(id);
    expect(leaks((await getActivities(bot, t.token, t.conversationId)).activities)).toEqual([]);
    expect(bot.bot.turns.filter((a) => a.text === SECRET)).toHaveLength(1);
  });

  it('refuses a delete without the internal secret; an unknown activity is retracted all the same', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    const sent = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'me quedo' } });
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: me quedo'));
    const path = `/v3/conversations/${t.conversationId}/activities/${encodeURIComponent(sent.body.id)}`;
    for (const token of [undefined, 'wrong', t.token]) {
      const res = await call(bot, 'DELETE', path, token ? { token } : {});
      expect(res.status, String(token)).toBe(401);
      expect(res.body.error.code).toBe('Unauthorized');
    }
    expect((await call(bot, 'DELETE', `/v3/conversations/unknown-conversation-id/activities/x`, { token: bot.internalSecret })).status).toBe(404);
    const all = (await getActivities(bot, t.token, t.conversationId)).activities;
    expect(all.some((a) => a.id === sent.body.id)).toBe(true);
    expect(all.some(isRetraction)).toBe(false);

    const unknown = await call(bot, 'DELETE', `/v3/conversations/${t.conversationId}/activities/${encodeURIComponent(`${t.conversationId}|0009999`)}`, { token: bot.internalSecret });
    expect(unknown.status).toBe(200);
    const after = (await getActivities(bot, t.token, t.conversationId)).activities;
    expect(after.filter(isRetraction).map((a) => a.value)).toEqual([{ id: `${t.conversationId}|0009999` }]);
    expect(after.some((a) => a.id === sent.body.id)).toBe(true);
  });

  it('context.updateActivity replaces a card in place: same id and time, new content, given again to polling clients', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'tarjeta' } });
    const card = await waitForActivity(bot, t.token, t.conversationId, isBotText('tarjeta original'));
    expect(card.attachments).toHaveLength(1);
    const { watermark } = await getActivities(bot, t.token, t.conversationId);

    await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'usar tarjeta' } });
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: usar tarjeta'));
    const polled = (await getActivities(bot, t.token, t.conversationId, watermark)).activities;
    const updated = polled.find((a) => a.id === card.id);
    expect(updated).toMatchObject({ text: 'tarjeta usada', attachments: [], timestamp: card.timestamp, from: { role: 'bot' } });
    const history = await allActivities(bot, t.token, t.conversationId);
    expect(history.filter((a) => a.id === card.id).map((a) => a.text)).toEqual(['tarjeta usada']);
    expect(history.some((a) => a.text === 'tarjeta original')).toBe(false);
    expect(bot.turnErrors).toEqual([]);
  });
});

describe('Direct Line endpoint: reconnecting to a long conversation', () => {
  it('without a watermark gives only the recent part, in one answer, with a note of what was left out; polling is unchanged', async () => {
    const keep = DEFAULT_LIMITS.historyOnReconnect;
    const bot = await start();
    const t = await startConversation(bot);
    await waitForActivity(bot, t.token, t.conversationId, isBotText(TEST_BOT_WELCOME));
    const n = 60;
    for (let i = 1; i <= n; i++) {
      const res = await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: `m${i}` } });
      expect(res.status).toBe(200);
      if (i % 20 === 0) await waitForActivity(bot, t.token, t.conversationId, isBotText(`eco: m${i}`));
    }
    const total = 1 + 2 * n; // the welcome, then an echo and a reply per message

    const reload = await getActivities(bot, t.token, t.conversationId);
    const [note, ...rest] = reload.activities;
    expect(note).toMatchObject({ type: 'event', name: RECENT_HISTORY_EVENT, value: { omitted: total - keep }, from: { role: 'bot' } });
    expect(rest).toHaveLength(keep);
    expect(rest.filter((a) => a.type === 'message')).toHaveLength(keep);
    expect(rest.at(-1).text).toBe(`eco: m${n}`);
    expect(Number(reload.watermark)).toBe(Number(rest.at(-1).id.split('|')[1]));
    // Nothing more after that watermark: the client is up to date.
    expect((await getActivities(bot, t.token, t.conversationId, reload.watermark)).activities).toEqual([]);

    // A watermark, even 0, is a poll: everything after it, page by page, no note.
    const first = await getActivities(bot, t.token, t.conversationId, '0');
    expect(first.activities).toHaveLength(DEFAULT_LIMITS.pageSize);
    expect(first.activities[0].text).toBe(TEST_BOT_WELCOME);
    const fromZero = await allActivities(bot, t.token, t.conversationId);
    expect(fromZero).toHaveLength(total);
    expect(fromZero.some((a) => a.type === 'event')).toBe(false);
    expect(rest.map((a) => a.id)).toEqual(fromZero.slice(-keep).map((a) => a.id));

    // The official client reconnecting (a page reload) sees the recent part, then what comes next.
    const { dl, seen } = client(bot, { token: t.token, conversationId: t.conversationId });
    await waitFor('the recent history', () => seen.find(isBotText(`eco: m${n}`)));
    expect(seen.some((a) => a.text === 'm1' || a.text === TEST_BOT_WELCOME)).toBe(false);
    expect(seen.filter((a) => a.type === 'message').length).toBe(keep);
    await post(dl, { type: 'message', from: { id: t.userId }, text: 'sigo' });
    await waitFor('the reply', () => seen.find(isBotText('eco: sigo')));
  });

  it('a short conversation comes whole, without a note', async () => {
    const bot = await start();
    const t = await startConversation(bot);
    await waitForActivity(bot, t.token, t.conversationId, isBotText(TEST_BOT_WELCOME));
    await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'corta' } });
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: corta'));
    const all = (await getActivities(bot, t.token, t.conversationId)).activities;
    expect(all.map((a) => a.text)).toEqual([TEST_BOT_WELCOME, 'corta', 'eco: corta']);
  });
});

describe('Direct Line endpoint: uploads', () => {
  it('uploads a PDF through the official client; the bot fetches it and answers with its name and size', async () => {
    const bot = await start();
    const t = await newToken(bot);
    const { dl, seen } = client(bot, { token: t.token });
    await waitFor('the welcome', () => seen.find(isBotText(TEST_BOT_WELCOME)));

    const id = await post(dl, {
      type: 'message',
      from: { id: t.userId },
      channelData: { clientActivityID: 'pdf-1' },
      attachments: [{ contentType: 'application/pdf', contentUrl: `data:application/pdf;base64,${PDF.toString('base64')}`, name: 'rut.pdf' }],
    });
    const echo: any = await waitFor('the echo', () => seen.find((a: any) => a.id === id));
    expect(echo.channelData.clientActivityID).toBe('pdf-1');
    expect(echo.attachments).toHaveLength(1);
    expect(echo.attachments[0]).toMatchObject({ contentType: 'application/pdf', name: 'rut.pdf' });
    await waitFor('the reply', () => seen.find(isBotText(`archivo: rut.pdf (${PDF.length} bytes)`)));

    const file = await fetch(echo.attachments[0].contentUrl);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect(bot.turnErrors).toEqual([]);
  });

  it('takes several files in one upload and refuses files over the size limit', async () => {
    const bot = await start({ limits: { maxFileBytes: 1024 } });
    const t = await startConversation(bot);
    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify({ type: 'message', channelData: { clientActivityID: 'two' } })], { type: 'application/vnd.microsoft.activity' }));
    form.append('file', new Blob([Buffer.from('uno')], { type: 'text/plain' }), 'a.txt');
    form.append('file', new Blob([Buffer.from('dos!')], { type: 'text/plain' }), 'b.txt');
    const res = await call(bot, 'POST', dlPath(t.conversationId, `/upload?userId=${t.userId}`), { token: t.token, raw: form });
    expect(res.status).toBe(200);
    await waitForActivity(bot, t.token, t.conversationId, isBotText('archivo: a.txt (3 bytes)'));
    await waitForActivity(bot, t.token, t.conversationId, isBotText('archivo: b.txt (4 bytes)'));

    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(2048, 1)], { type: 'application/pdf' }), 'grande.pdf');
    const refused = await call(bot, 'POST', dlPath(t.conversationId, '/upload'), { token: t.token, raw: big });
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBeTruthy();
    expect((await call(bot, 'GET', '/v3/directline/attachments/no-existe')).status).toBe(404);
  });
});

describe('Direct Line endpoint: memory bounds', () => {
  it('keeps at most maxConversations and maxActivitiesPerConversation, and forgets idle conversations', async () => {
    const clock = fakeClock('2026-03-02T15:00:00Z');
    const bot = await start({ clock, limits: { maxConversations: 2, maxActivitiesPerConversation: 3, idleMs: 60_000 } });
    const a = await startConversation(bot);
    for (const text of ['1', '2', '3']) {
      await call(bot, 'POST', dlPath(a.conversationId, '/activities'), { token: a.token, json: { type: 'message', text } });
      await waitForActivity(bot, a.token, a.conversationId, isBotText(`eco: ${text}`));
    }
    const kept = (await getActivities(bot, a.token, a.conversationId)).activities;
    expect(kept.map((x) => x.text)).toEqual(['eco: 2', '3', 'eco: 3']);

    await startConversation(bot);
    await startConversation(bot);
    expect(bot.directLine.conversationCount).toBe(2);

    clock.advance(61_000);
    expect(bot.directLine.sweep()).toBe(2);
    expect(bot.directLine.conversationCount).toBe(0);

    // A valid token of a forgotten conversation recreates it, without a second welcome.
    const welcomes = bot.bot.turns.filter((x) => x.type === 'conversationUpdate').length;
    const res = await call(bot, 'POST', dlPath(a.conversationId, '/activities'), { token: a.token, json: { type: 'message', text: 'volví' } });
    expect(res.status).toBe(200);
    await waitForActivity(bot, a.token, a.conversationId, isBotText('eco: volví'));
    expect(bot.bot.turns.filter((x) => x.type === 'conversationUpdate').length).toBe(welcomes);
  });
});

describe('Direct Line endpoint: server restart', () => {
  it('continues a conversation with the same token after a restart, numbering after the client watermark', async () => {
    const first = await start();
    const t = await newToken(first);
    const { dl, seen } = client(first, { token: t.token });
    await waitFor('the welcome', () => seen.find(isBotText(TEST_BOT_WELCOME)));
    await post(dl, { type: 'message', from: { id: t.userId }, text: 'antes' });
    const before = await waitFor('the reply', () => seen.find(isBotText('eco: antes')));
    const lastSeqBefore = Number(String(before.id).split('|')[1]);

    // Restart: same port, same token key, nothing in memory.
    await stop(first);
    await new Promise((r) => setTimeout(r, 500)); // the client's polls fail meanwhile
    const second = await start({ port: first.port, tokenKey: first.tokenKey });

    // Direct Line JS stops polling after a network error; the page restarts it like this.
    dl.connectionStatus$.next(ConnectionStatus.Online);
    await post(dl, { type: 'message', from: { id: t.userId }, text: 'después', channelData: { clientActivityID: 'after' } });
    const echo = await waitFor('the echo after the restart', () => seen.find((a: any) => a.channelData?.clientActivityID === 'after'));
    const reply = await waitFor('the reply after the restart', () => seen.find(isBotText('eco: después')));
    expect(Number(String(echo.id).split('|')[1])).toBeGreaterThan(lastSeqBefore);
    expect(Number(String(reply.id).split('|')[1])).toBeGreaterThan(Number(String(echo.id).split('|')[1]));
    expect(second.bot.turns.some((a) => a.type === 'conversationUpdate')).toBe(false);
    expect(seen.filter(isBotText(TEST_BOT_WELCOME))).toHaveLength(1);

    // A reload of the page: a new client with the stored token and conversation id.
    const reload = client(second, { token: t.token, conversationId: t.conversationId });
    await waitFor('the history after a reload', () => reload.seen.find(isBotText('eco: después')));
    await post(reload.dl, { type: 'message', from: { id: t.userId }, text: 'recargué' });
    await waitFor('the reply after the reload', () => reload.seen.find(isBotText('eco: recargué')));
  });

  it('numbers after the client watermark when the first request after a restart is a poll', async () => {
    const first = await start();
    const t = await startConversation(first);
    await call(first, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'uno' } });
    await waitForActivity(first, t.token, t.conversationId, isBotText('eco: uno'));
    const { watermark } = await getActivities(first, t.token, t.conversationId);
    await stop(first);

    const second = await start({ tokenKey: first.tokenKey });
    const empty = await getActivities(second, t.token, t.conversationId, watermark);
    expect(empty).toEqual({ activities: [], watermark });
    await call(second, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'dos' } });
    const next = await waitFor('the new activities', async () => {
      const page = await getActivities(second, t.token, t.conversationId, watermark);
      return page.activities.length === 2 ? page : undefined;
    });
    expect(next.activities.map((a) => a.text)).toEqual(['dos', 'eco: dos']);
    expect(Number(next.watermark)).toBe(Number(watermark) + 2);

    // A different key (not a restart of the same deployment): the old token is refused.
    const other = await start();
    expect((await call(other, 'GET', dlPath(t.conversationId, '/activities'), { token: t.token })).status).toBe(403);
  });
});

describe('Direct Line delivery', () => {
  it('works when MicrosoftAppId is configured, without any network call', async () => {
    const bot = await start({ appId: '00000000-0000-0000-0000-000000000001' });
    const t = await startConversation(bot);
    await waitForActivity(bot, t.token, t.conversationId, isBotText(TEST_BOT_WELCOME));
    await call(bot, 'POST', dlPath(t.conversationId, '/activities'), { token: t.token, json: { type: 'message', text: 'con app id' } });
    await waitForActivity(bot, t.token, t.conversationId, isBotText('eco: con app id'));
    expect(bot.turnErrors).toEqual([]);
  });
});

describe('Local Web Chat page', () => {
  it('serves the Spanish page, its assets and the Web Chat bundle from the installed package', async () => {
    const bot = await start();
    const page = await fetch(`${bot.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<html lang="es-CO">');
    expect(html).toContain('<title>Asistente CCF — Mi Seguridad Social</title>');
    expect(html).toMatch(/src="\/webchat\/webchat\.js\?v=[\d.]+"/);

    for (const [asset, type] of [
      ['chat.js', /javascript/],
      ['chat.css', /css/],
    ] as const) {
      const res = await fetch(`${bot.url}/webchat/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
    }

    const bundle = await fetch(`${bot.url}/webchat/webchat.js`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('cache-control')).toMatch(/max-age/);
    const body = await bundle.text();
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body).toContain('renderWebChat');
    const etag = bundle.headers.get('etag') ?? '';
    const again = await fetch(`${bot.url}/webchat/webchat.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const gz = await fetch(`${bot.url}/webchat/webchat.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect((await gz.text()).length).toBe(body.length); // fetch decompresses
  });
});
