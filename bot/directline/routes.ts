/**
 * A self-hosted Direct Line 3.0 endpoint (polling, no WebSocket) plus the connector endpoints the
 * bot replies to, and the local Web Chat page. No Azure, no internet: the page, the official Web
 * Chat bundle (served from the installed package) and the bot all live in this process.
 *
 * Direct Line (client side, Bearer <Direct Line token>):
 *   POST /v3/directline/tokens/generate               → new conversation (or `{ resume }` an expired token)
 *   POST /v3/directline/tokens/refresh
 *   POST /v3/directline/conversations                 → start (first start: conversationUpdate to the bot)
 *   GET  /v3/directline/conversations/:id?watermark=  → reconnect
 *   POST /v3/directline/conversations/:id/activities
 *   GET  /v3/directline/conversations/:id/activities?watermark=
 *   POST /v3/directline/conversations/:id/upload?userId=   (multipart, kept in memory)
 *   GET  /v3/directline/attachments/:attachmentId     (unguessable id)
 * Connector (bot side, Bearer <internal secret>):
 *   POST /v3/conversations/:id/activities[/:replyToId], PUT /v3/conversations/:id/activities/:activityId
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Activity } from 'botbuilder';
import type restify from 'restify';
import { z } from 'zod';
import type { Clock, Logger } from '../../domain/ports.js';
import { systemClock } from '../../domain/random.js';
import { renderHtml } from '../../templates/render.js';
import { Conversation, ConversationStore, DEFAULT_LIMITS, type DirectLineLimits, type StoredActivity } from './conversations.js';
import { boundaryOf, MultipartError, parseMultipart, readBody } from './multipart.js';
import { DirectLineTokens, newConversationId, newUserId, type IssuedToken, type TokenClaims } from './tokens.js';

export interface DirectLineOptions {
  /** Runs one bot turn for an activity (see createDirectLineDelivery). */
  readonly deliver: (activity: Partial<Activity>) => Promise<void>;
  /** Base URL at which the bot reaches this process (ends with "/"), e.g. http://127.0.0.1:3978/. */
  readonly serviceUrl: () => string;
  /** Key of the token signatures (≥ 32 bytes); keep it stable so tokens survive a restart. */
  readonly tokenKey: Buffer;
  /** Shared with the bot's connector client; only it may post to the connector endpoints. */
  readonly internalSecret: string;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly limits?: Partial<DirectLineLimits>;
}

export interface DirectLineEndpoint {
  /**
   * Stops the sweep timer. Conversations stay in memory, so that turns still in flight during a
   * graceful shutdown can deliver their replies.
   */
  close(): void;
  /** Forgets idle conversations now (the timer does it every `sweepIntervalMs`); returns how many. */
  sweep(): number;
  /** Conversations in memory. */
  readonly conversationCount: number;
}

export const BOT_ACCOUNT = Object.freeze({ id: 'asistente-ccf', name: 'Asistente CCF', role: 'bot' });
export const CHANNEL_ID = 'webchat';
/** Deliveries waiting for the bot, per conversation, before new activities are refused (429). */
const MAX_PENDING_DELIVERIES = 32;

// ------------------------------------------------------------------ errors and helpers

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new HttpError(400, 'BadArgument', message);

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

const ref = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** The JSON body, whatever the body parser made of it; undefined when there is none. */
function jsonBody(req: restify.Request): unknown {
  const body: unknown = req.body;
  if (body === undefined || body === null) return undefined;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    const text = body.toString();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badRequest('The body is not valid JSON.');
    }
  }
  return body;
}

function query(req: restify.Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

/** A watermark query parameter: undefined when absent or empty. */
function watermarkOf(req: restify.Request): number | undefined {
  const raw = query(req).get('watermark');
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw badRequest('The watermark is not valid.');
  return Number(raw);
}

function bearer(req: restify.Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

function param(req: restify.Request, name: string): string {
  const params = req.params as Record<string, unknown> | undefined;
  const value = params?.[name];
  return typeof value === 'string' ? value : '';
}

function sendJson(res: restify.Response, status: number, body: unknown): void {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, body);
}

function tokenResponse(issued: IssuedToken) {
  return { conversationId: issued.conversationId, token: issued.token, expires_in: issued.expiresIn };
}

// ------------------------------------------------------------------ activity validation

const Account = z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() }).loose();
const AttachmentIn = z
  .object({
    contentType: z.string().max(255),
    contentUrl: z.string().max(4096).optional(),
    content: z.unknown().optional(),
    name: z.string().max(512).optional(),
    thumbnailUrl: z.string().max(4096).optional(),
  })
  .loose();
const ClientActivity = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(20_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(64).optional(),
  from: Account.optional(),
  attachments: z.array(AttachmentIn).max(20).optional(),
  attachmentLayout: z.enum(['list', 'carousel']).optional(),
  channelData: z.object({ clientActivityID: z.string().min(1).max(256).optional() }).loose().optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(32).optional(),
  name: z.string().max(256).optional(),
  value: z.unknown().optional(),
  valueType: z.string().max(256).optional(),
  replyToId: z.string().max(512).optional(),
});
type ClientActivity = z.infer<typeof ClientActivity>;

function parseClientActivity(value: unknown, maxBytes: number): ClientActivity {
  if (!isRecord(value)) throw badRequest('The body must be an activity (a JSON object).');
  if (Buffer.byteLength(JSON.stringify(value)) > maxBytes) throw new HttpError(413, 'BadArgument', 'The activity is too large.');
  const parsed = ClientActivity.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw badRequest(`The activity is not valid${first ? ` (${first.path.join('.') || 'body'}: ${first.message})` : ''}.`);
  }
  return parsed.data;
}

// ------------------------------------------------------------------ static files

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

// ------------------------------------------------------------------ the endpoint

export function registerDirectLine(server: restify.Server, opts: DirectLineOptions): DirectLineEndpoint {
  const limits: DirectLineLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const clock = opts.clock ?? systemClock;
  const log = opts.log.child({ component: 'directline' });
  const tokens = new DirectLineTokens(opts.tokenKey, clock, limits.tokenTtlSeconds);
  const store = new ConversationStore(limits, clock);
  if (!opts.internalSecret) throw new Error('registerDirectLine: internalSecret must not be empty');
  const secretDigest = createHash('sha256').update(opts.internalSecret).digest();
  const pending = new Map<Conversation, number>();
  const webchat = webchatBundle();
  let bundle: Promise<CachedBundle> | undefined;

  const baseUrl = (): string => {
    const url = opts.serviceUrl();
    return url.endsWith('/') ? url : `${url}/`;
  };
  const attachmentUrlPrefix = () => `${baseUrl()}v3/directline/attachments/`;
  const nowIso = () => clock.now().toISOString();

  const handle =
    (name: string, fn: Handler): Handler =>
    async (req, res) => {
      try {
        await fn(req, res);
      } catch (error) {
        if (error instanceof HttpError || error instanceof MultipartError) {
          const status = error.status;
          const code = error instanceof HttpError ? error.code : 'BadArgument';
          if (error instanceof MultipartError || status === 413) res.setHeader('Connection', 'close');
          sendJson(res, status, { error: { code, message: error.message } });
          return;
        }
        log.error('directline request failed', { route: name, err: error instanceof Error ? error : String(error) });
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'ServiceError', message: 'Internal error.' } });
      }
    };

  // ---------------------------------------------------------------- authorization

  /** The claims of a valid Direct Line token; for `conversationId`, only a token bound to it. */
  function authorize(req: restify.Request, conversationId?: string): TokenClaims {
    const token = bearer(req);
    if (!token) throw new HttpError(401, 'Unauthorized', 'A Direct Line token is required.');
    const checked = tokens.verify(token);
    if (!checked.ok) {
      if (checked.error.code === 'expired') throw new HttpError(403, 'TokenExpired', 'The token has expired.');
      throw new HttpError(403, 'Forbidden', 'The token is not valid.');
    }
    if (conversationId !== undefined && checked.value.conv !== conversationId) {
      throw new HttpError(403, 'Forbidden', 'The token is not valid for this conversation.');
    }
    return checked.value;
  }

  function isInternal(req: restify.Request): boolean {
    const given = bearer(req);
    if (!given) return false;
    return timingSafeEqual(createHash('sha256').update(given).digest(), secretDigest);
  }

  // ---------------------------------------------------------------- conversations

  /**
   * The token's conversation; recreated when this process does not know it (restart, eviction),
   * without a conversationUpdate, numbering after the client's watermark when known.
   */
  function conversationFor(claims: TokenClaims, watermark?: number): Conversation {
    const known = store.get(claims.conv);
    if (known) {
      if (known.userId !== claims.user) throw new HttpError(403, 'Forbidden', 'The token is not valid for this conversation.');
      return known;
    }
    const conv = store.create(claims.conv, claims.user, watermark !== undefined ? watermark + 1 : store.resumeSeq());
    log.info('directline conversation resumed', { conversation: ref(conv.id) });
    return conv;
  }

  function enqueue(conv: Conversation, activity: Record<string, unknown>): void {
    const count = pending.get(conv) ?? 0;
    pending.set(conv, count + 1);
    const forBot = { ...structuredClone(activity), serviceUrl: baseUrl() } as Partial<Activity>;
    conv.tail = conv.tail
      .then(() => opts.deliver(forBot))
      .catch((error: unknown) => {
        log.error('directline delivery failed', {
          conversation: ref(conv.id),
          type: activity.type,
          err: error instanceof Error ? error : String(error),
        });
      })
      .finally(() => {
        const left = (pending.get(conv) ?? 1) - 1;
        if (left <= 0) pending.delete(conv);
        else pending.set(conv, left);
      });
  }

  function checkBackPressure(conv: Conversation): void {
    if ((pending.get(conv) ?? 0) >= MAX_PENDING_DELIVERIES) {
      throw new HttpError(429, 'TooManyRequests', 'Too many activities are waiting for the bot.');
    }
  }

  function userAccount(conv: Conversation, from?: { name?: string | undefined }) {
    return { id: conv.userId, ...(from?.name ? { name: from.name } : {}), role: 'user' };
  }

  /** The fields every activity from the user carries, set by the server (never trusted from the client). */
  function fromUser(conv: Conversation, a: ClientActivity): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of ['type', 'text', 'textFormat', 'locale', 'localTimestamp', 'localTimezone', 'attachmentLayout', 'channelData', 'entities', 'name', 'value', 'valueType', 'replyToId'] as const) {
      if (a[key] !== undefined) out[key] = a[key];
    }
    return {
      ...out,
      channelId: CHANNEL_ID,
      timestamp: nowIso(),
      from: userAccount(conv, a.from),
      recipient: { ...BOT_ACCOUNT },
      conversation: { id: conv.id },
    };
  }

  /** Attachments of a plain POST: inline content, or files uploaded here; other URLs are dropped. */
  function safeAttachments(list: ClientActivity['attachments']): Record<string, unknown>[] | undefined {
    if (!list) return undefined;
    const prefix = attachmentUrlPrefix();
    const out: Record<string, unknown>[] = [];
    for (const a of list) {
      // thumbnailUrl is dropped too: the bot must never be made to fetch a URL chosen by a client.
      const { contentUrl, thumbnailUrl: _thumbnail, ...rest } = a;
      const own = typeof contentUrl === 'string' && contentUrl.startsWith(prefix) && store.getAttachment(contentUrl.slice(prefix.length)) !== undefined;
      if (own) out.push({ ...rest, contentUrl });
      else if (a.content !== undefined) out.push(rest);
    }
    return out;
  }

  /** Appends a user's activity (the echo), then queues it for the bot; a re-sent one is not processed twice. */
  function acceptFromUser(conv: Conversation, activity: Record<string, unknown>, clientActivityId: string | undefined): string {
    if (clientActivityId) {
      const seen = conv.clientIds.get(clientActivityId);
      if (seen) return seen;
    }
    checkBackPressure(conv);
    // A card submit's value (it may hold a masked secret) goes to the bot but is not kept in the echo.
    const { value, ...echo } = activity;
    const stored = store.append(conv, echo);
    if (clientActivityId) store.rememberClientId(conv, clientActivityId, stored.id);
    enqueue(conv, value === undefined ? stored : { ...stored, value });
    return stored.id;
  }

  // ---------------------------------------------------------------- uploads bypass the body parser

  const UPLOAD_PATH = /^\/v3\/directline\/conversations\/[^/?#]+\/upload(?:[?#]|$)/;
  server.pre(async (req: restify.Request) => {
    if (req.method === 'POST' && UPLOAD_PATH.test(req.url ?? '')) {
      // restify's bodyParser would write the files to a temporary folder: read them here instead.
      const flags = req as unknown as { _parsedBody?: boolean; _readBody?: boolean };
      flags._parsedBody = true;
      flags._readBody = true;
    }
  });

  // ---------------------------------------------------------------- page and bundle

  server.get(
    '/',
    handle('page', async (_req, res) => {
      const html = renderHtml('web/chat', {
        titulo: 'Asistente CCF — Mi Seguridad Social',
        webchatVersion: webchat.version,
      });
      res.sendRaw(200, html, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      });
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
        'X-Content-Type-Options': 'nosniff',
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
      res.sendRaw(200, body, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    }),
  );

  // ---------------------------------------------------------------- tokens

  server.post(
    '/v3/directline/tokens/generate',
    handle('tokens/generate', async (req, res) => {
      const body = jsonBody(req);
      if (body !== undefined && !isRecord(body)) throw badRequest('The body must be a JSON object.');
      const resume = body?.resume;
      if (resume !== undefined && typeof resume !== 'string') throw badRequest('"resume" must be a token.');
      if (resume) {
        // Our extension: an expired (genuine) token is exchanged for a new one of the same conversation.
        const checked = tokens.verify(resume);
        const claims = checked.ok ? checked.value : checked.error.code === 'expired' ? checked.error.claims : undefined;
        if (claims && clock.now().getTime() - claims.exp * 1000 <= limits.resumeWindowMs) {
          sendJson(res, 200, tokenResponse(tokens.issue(claims.conv, claims.user)));
          return;
        }
      }
      sendJson(res, 200, tokenResponse(tokens.issue(newConversationId(), newUserId())));
    }),
  );

  server.post(
    '/v3/directline/tokens/refresh',
    handle('tokens/refresh', async (req, res) => {
      const claims = authorize(req);
      sendJson(res, 200, tokenResponse(tokens.issue(claims.conv, claims.user)));
    }),
  );

  // ---------------------------------------------------------------- conversations

  server.post(
    '/v3/directline/conversations',
    handle('conversations/start', async (req, res) => {
      const claims = authorize(req);
      const body = jsonBody(req);
      if (body !== undefined && !isRecord(body)) throw badRequest('The body must be a JSON object.');
      const locale = body?.locale;
      if (locale !== undefined && locale !== null && (typeof locale !== 'string' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$/.test(locale))) {
        throw badRequest('"locale" is not valid.');
      }
      let conv = store.get(claims.conv);
      const isNew = !conv;
      if (!conv) {
        conv = store.create(claims.conv, claims.user, 1);
        const user = { id: conv.userId, role: 'user' };
        enqueue(conv, {
          type: 'conversationUpdate',
          id: randomBytes(12).toString('base64url'),
          channelId: CHANNEL_ID,
          timestamp: nowIso(),
          from: user,
          recipient: { ...BOT_ACCOUNT },
          conversation: { id: conv.id },
          membersAdded: [{ ...BOT_ACCOUNT }, user],
          ...(typeof locale === 'string' ? { locale } : {}),
        });
        log.debug('directline conversation started', { conversation: ref(conv.id) });
      } else if (conv.userId !== claims.user) {
        throw new HttpError(403, 'Forbidden', 'The token is not valid for this conversation.');
      }
      sendJson(res, isNew ? 201 : 200, tokenResponse(tokens.issue(conv.id, conv.userId)));
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId',
    handle('conversations/reconnect', async (req, res) => {
      const claims = authorize(req, param(req, 'conversationId'));
      const watermark = watermarkOf(req);
      const conv = conversationFor(claims, watermark);
      if (watermark !== undefined) store.page(conv, watermark); // moves numbering past a newer watermark
      sendJson(res, 200, tokenResponse(tokens.issue(conv.id, conv.userId)));
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    handle('activities/get', async (req, res) => {
      const claims = authorize(req, param(req, 'conversationId'));
      const watermark = watermarkOf(req);
      const conv = conversationFor(claims, watermark);
      sendJson(res, 200, store.page(conv, watermark));
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    handle('activities/post', async (req, res) => {
      const claims = authorize(req, param(req, 'conversationId'));
      const a = parseClientActivity(jsonBody(req), limits.maxActivityBytes);
      const conv = conversationFor(claims);
      const activity = fromUser(conv, a);
      const attachments = safeAttachments(a.attachments);
      if (attachments) activity.attachments = attachments;
      const id = acceptFromUser(conv, activity, a.channelData?.clientActivityID);
      sendJson(res, 200, { id });
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/upload',
    handle('upload', async (req, res) => {
      let claims: TokenClaims;
      let boundary: string | undefined;
      try {
        claims = authorize(req, param(req, 'conversationId'));
        boundary = boundaryOf(req.headers['content-type']);
        if (!boundary) throw badRequest('The upload must be multipart/form-data.');
      } catch (error) {
        res.setHeader('Connection', 'close'); // the body is not read
        throw error;
      }
      const parts = parseMultipart(await readBody(req, limits.maxUploadBytes), boundary, limits.maxFilesPerUpload + 1);
      let template: ClientActivity = { type: 'message' };
      const files = [];
      for (const part of parts) {
        if (part.name === 'activity') {
          let json: unknown;
          try {
            json = JSON.parse(part.data.toString('utf8'));
          } catch {
            throw badRequest('The "activity" part is not valid JSON.');
          }
          template = parseClientActivity(json, limits.maxActivityBytes);
        } else if (part.filename !== undefined || part.name === 'file') {
          files.push(part);
        }
      }
      if (template.type !== 'message') throw badRequest('Only messages can carry files.');
      if (files.length === 0) throw badRequest('The upload has no files.');
      if (files.length > limits.maxFilesPerUpload) throw new HttpError(413, 'BadArgument', 'Too many files in one upload.');
      if (files.some((f) => f.data.length > limits.maxFileBytes)) {
        throw new HttpError(413, 'BadArgument', `A file is larger than ${Math.floor(limits.maxFileBytes / 1024 / 1024)} MB.`);
      }
      const conv = conversationFor(claims);
      const clientActivityId = template.channelData?.clientActivityID;
      const seen = clientActivityId ? conv.clientIds.get(clientActivityId) : undefined;
      if (seen) {
        sendJson(res, 200, { id: seen });
        return;
      }
      checkBackPressure(conv);
      const activity = fromUser(conv, template);
      activity.attachments = files.map((f) => {
        const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(f.contentType ?? '') ? (f.contentType as string).toLowerCase() : 'application/octet-stream';
        const name = cleanFileName(f.filename);
        const att = store.putAttachment(conv, contentType, name, Buffer.from(f.data));
        return { contentType, contentUrl: attachmentUrlPrefix() + att.id, name };
      });
      const id = acceptFromUser(conv, activity, clientActivityId);
      sendJson(res, 200, { id });
    }),
  );

  server.get(
    '/v3/directline/attachments/:attachmentId',
    handle('attachments/get', async (req, res) => {
      const att = store.getAttachment(param(req, 'attachmentId'));
      if (!att) throw new HttpError(404, 'NotFound', 'Not found.');
      res.sendRaw(200, att.bytes, {
        'Content-Type': att.contentType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(att.name)}`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "sandbox; default-src 'none'",
      });
    }),
  );

  // ---------------------------------------------------------------- connector (the bot's replies)

  const fromBot =
    (mode: 'send' | 'reply' | 'update'): Handler =>
    async (req, res) => {
      if (!isInternal(req)) throw new HttpError(401, 'Unauthorized', 'Only the assistant may post here.');
      const conv = store.get(param(req, 'conversationId'));
      if (!conv) throw new HttpError(404, 'NotFound', 'Unknown conversation.');
      const body = jsonBody(req);
      if (!isRecord(body) || typeof body.type !== 'string' || body.type.length === 0 || body.type.length > 64) {
        throw badRequest('The body must be an activity with a type.');
      }
      if (Buffer.byteLength(JSON.stringify(body)) > limits.maxActivityBytes) throw new HttpError(413, 'BadArgument', 'The activity is too large.');
      const pathId = param(req, 'activityId');
      const from = isRecord(body.from) ? body.from : {};
      const activity: Record<string, unknown> = {
        ...body,
        channelId: CHANNEL_ID,
        timestamp: nowIso(),
        conversation: { id: conv.id },
        from: { ...from, id: typeof from.id === 'string' && from.id ? from.id : BOT_ACCOUNT.id, name: typeof from.name === 'string' ? from.name : BOT_ACCOUNT.name, role: 'bot' },
        recipient: { id: conv.userId, role: 'user' },
      };
      delete activity.serviceUrl;
      delete activity.id;
      if (mode === 'reply' && pathId && typeof activity.replyToId !== 'string') activity.replyToId = pathId;
      if (mode === 'update') {
        if (!store.find(conv, pathId)) throw new HttpError(404, 'NotFound', 'Unknown activity.');
        const stored = store.append(conv, activity, pathId);
        sendJson(res, 200, { id: stored.id });
        return;
      }
      const stored = store.append(conv, activity);
      sendJson(res, 200, { id: stored.id });
    };

  server.post('/v3/conversations/:conversationId/activities', handle('connector/send', fromBot('send')));
  server.post('/v3/conversations/:conversationId/activities/:activityId', handle('connector/reply', fromBot('reply')));
  server.put('/v3/conversations/:conversationId/activities/:activityId', handle('connector/update', fromBot('update')));

  // ---------------------------------------------------------------- housekeeping

  const timer = setInterval(() => {
    const removed = store.sweep();
    if (removed > 0) log.debug('directline idle conversations forgotten', { removed });
  }, limits.sweepIntervalMs);
  timer.unref();

  return {
    close() {
      clearInterval(timer);
    },
    sweep: () => store.sweep(),
    get conversationCount() {
      return store.size;
    },
  };
}

function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'archivo';
}
