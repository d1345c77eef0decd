/**
 * Direct Line 3.0 for the browser (Bearer <Direct Line token>):
 *   POST /v3/directline/tokens/generate               → new conversation (or `{ resume }` an expired token)
 *   POST /v3/directline/tokens/refresh
 *   POST /v3/directline/conversations                 → start (first start: conversationUpdate to the bot)
 *   GET  /v3/directline/conversations/:id?watermark=  → reconnect
 *   POST /v3/directline/conversations/:id/activities
 *   GET  /v3/directline/conversations/:id/activities?watermark=   (without one: the recent part only)
 *   POST /v3/directline/conversations/:id/upload?userId=   (multipart, kept in memory)
 *   GET  /v3/directline/attachments/:attachmentId     (unguessable id)
 */
import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import { cleanFileName, parseClientActivity, type ClientActivity } from './client-activity.js';
import { BOT_ACCOUNT, CHANNEL_ID, RECENT_HISTORY_EVENT, type DirectLineContext } from './context.js';
import type { Conversation, StoredActivity } from './conversations.js';
import { badRequest, bearer, HttpError, isRecord, jsonBody, param, ref, sendJson, watermarkOf } from './http.js';
import type { Inbound } from './inbound.js';
import { parseJsonBody, readRawBody } from '../body.js';
import { AddressRateLimiter, clientAddress } from './limits.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { newConversationId, newUserId, type IssuedToken, type TokenClaims } from './tokens.js';

function tokenResponse(issued: IssuedToken) {
  return { conversationId: issued.conversationId, token: issued.token, expires_in: issued.expiresIn };
}

/** Registers the client side of the Direct Line endpoint. */
export function registerClientApi(server: restify.Server, ctx: DirectLineContext, inbound: Inbound): void {
  const { store, tokens, limits, log, handle } = ctx;

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

  // Token generation and new conversations, per client address (bodies are bounded in index.ts).
  const now = () => ctx.clock.now().getTime();
  const tokenRate = new AddressRateLimiter(limits.tokenRate, now);
  const conversationRate = new AddressRateLimiter(limits.conversationRate, now);
  function throttle(limiter: AddressRateLimiter, req: restify.Request, res: restify.Response, what: string): void {
    const wait = limiter.take(clientAddress(req.socket));
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      log.debug('directline request throttled', { what });
      throw new HttpError(429, 'TooManyRequests', 'Too many requests from this address; try again later.');
    }
  }

  /** The (unstored) event that tells a client that older activities were left out. */
  function recentHistoryNote(conv: Conversation, omitted: number, timestamp: unknown): StoredActivity {
    return {
      type: 'event',
      name: RECENT_HISTORY_EVENT,
      id: `${conv.id}|reciente`,
      channelId: CHANNEL_ID,
      timestamp: typeof timestamp === 'string' ? timestamp : ctx.nowIso(),
      conversation: { id: conv.id },
      from: { ...BOT_ACCOUNT },
      recipient: { id: conv.userId, role: 'user' },
      value: { omitted },
    };
  }

  // ---------------------------------------------------------------- tokens

  server.post(
    '/v3/directline/tokens/generate',
    handle('tokens/generate', async (req, res) => {
      throttle(tokenRate, req, res, 'tokens/generate');
      const body = jsonBody(req, limits.maxJsonDepth);
      if (body !== undefined && !isRecord(body)) throw badRequest('The body must be a JSON object.');
      const resume = body?.resume;
      if (resume !== undefined && typeof resume !== 'string') throw badRequest('"resume" must be a token.');
      if (resume) {
        // Our extension: an expired (genuine, not replaced) token is exchanged for a new one of the same
        // conversation, within limits.resumeWindowMs of its expiry.
        const checked = tokens.verify(resume);
        const claims = checked.ok ? checked.value : checked.error.code === 'expired' ? checked.error.claims : undefined;
        if (claims && ctx.clock.now().getTime() - claims.exp * 1000 <= limits.resumeWindowMs) {
          sendJson(res, 200, tokenResponse(tokens.replace(claims))); // the resumed token stops working
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
      sendJson(res, 200, tokenResponse(tokens.replace(claims))); // the old token stops working
    }),
  );

  // ---------------------------------------------------------------- conversations

  server.post(
    '/v3/directline/conversations',
    handle('conversations/start', async (req, res) => {
      const claims = authorize(req);
      const body = jsonBody(req, limits.maxJsonDepth);
      if (body !== undefined && !isRecord(body)) throw badRequest('The body must be a JSON object.');
      const locale = body?.locale;
      if (locale !== undefined && locale !== null && (typeof locale !== 'string' || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$/.test(locale))) {
        throw badRequest('"locale" is not valid.');
      }
      let conv = store.get(claims.conv);
      const isNew = !conv;
      if (!conv) {
        throttle(conversationRate, req, res, 'conversations/start');
        conv = store.create(claims.conv, claims.user, 1);
        const user = { id: conv.userId, role: 'user' };
        inbound.enqueue(conv, {
          type: 'conversationUpdate',
          id: randomBytes(12).toString('base64url'),
          channelId: CHANNEL_ID,
          timestamp: ctx.nowIso(),
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

  // ---------------------------------------------------------------- activities

  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    handle('activities/get', async (req, res) => {
      const claims = authorize(req, param(req, 'conversationId'));
      const watermark = watermarkOf(req);
      const conv = conversationFor(claims, watermark);
      if (watermark !== undefined) {
        sendJson(res, 200, store.page(conv, watermark));
        return;
      }
      // No watermark: a page (re)loading. Only the recent part, so the current question shows at once.
      const { activities, watermark: next, omitted } = store.recent(conv);
      if (omitted > 0) activities.unshift(recentHistoryNote(conv, omitted, activities[0]?.timestamp));
      sendJson(res, 200, { activities, watermark: next });
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    handle('activities/post', async (req, res) => {
      const claims = authorize(req, param(req, 'conversationId'));
      const a = parseClientActivity(jsonBody(req, limits.maxJsonDepth));
      const conv = conversationFor(claims);
      const activity = inbound.fromUser(conv, a);
      const attachments = inbound.safeAttachments(a.attachments);
      if (attachments) activity.attachments = attachments;
      const id = inbound.acceptFromUser(conv, activity, a.channelData?.clientActivityID);
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
      const parts = parseMultipart(await readRawBody(req, limits.maxUploadBytes), boundary, limits.maxFilesPerUpload + 1);
      let template: ClientActivity = { type: 'message' };
      const files = [];
      for (const part of parts) {
        if (part.name === 'activity') {
          if (part.data.length > limits.maxActivityBytes) throw new HttpError(413, 'BadArgument', 'The activity is too large.');
          const json = parseJsonBody(part.data, limits.maxJsonDepth);
          template = parseClientActivity(json);
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
      inbound.checkBackPressure(conv);
      const activity = inbound.fromUser(conv, template);
      activity.attachments = files.map((f) => {
        const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(f.contentType ?? '') ? (f.contentType as string).toLowerCase() : 'application/octet-stream';
        const name = cleanFileName(f.filename);
        const att = store.putAttachment(conv, contentType, name, Buffer.from(f.data));
        return { contentType, contentUrl: ctx.attachmentUrlPrefix() + att.id, name };
      });
      const id = inbound.acceptFromUser(conv, activity, clientActivityId);
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
}
