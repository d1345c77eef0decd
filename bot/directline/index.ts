/**
 * A self-hosted Direct Line 3.0 endpoint (polling, no WebSocket) plus the connector endpoints the
 * bot replies to, and the local Web Chat page. No Azure, no internet: the page, the official Web
 * Chat bundle (served from the installed package) and the bot all live in this process.
 *
 *   page.ts           the chat page, its assets and the Web Chat bundle
 *   client-api.ts     Direct Line 3.0 for the browser (tokens, conversations, activities, uploads)
 *   connector-api.ts  the bot's connector calls (internal secret)
 *   inbound.ts        the user's activities on their way to the bot
 *   conversations.ts  the bounded in-memory histories (limits.ts); tokens.ts the signed tokens
 *   deliver.ts        one bot turn per activity, in process
 *
 * Every body is read here first (a `pre` handler, so whatever body parser the server has never
 * sees them) with the limit of its route: a few kB for tokens and conversation starts,
 * `maxActivityBytes` for activities, nesting depth checked before parsing; uploads read their own.
 */
import type restify from 'restify';
import { bodyGuard } from '../body.js';
import { registerClientApi } from './client-api.js';
import { registerConnectorApi } from './connector-api.js';
import { createContext, type DirectLineEndpoint, type DirectLineOptions } from './context.js';
import { createInbound } from './inbound.js';
import { registerChatPage } from './page.js';

/** The endpoint with in-process access to its uploads (bot/attachments.ts reads them by id, never over HTTP). */
export interface DirectLineEndpointWithUploads extends DirectLineEndpoint {
  /** The URL prefix of uploaded files (what their contentUrl starts with). */
  attachmentUrlPrefix(): string;
  /** An uploaded file by id, while its conversation is in memory. */
  getAttachment(id: string): { readonly bytes: Buffer; readonly name: string; readonly contentType: string } | undefined;
}

/** Registers the chat page, the Direct Line endpoint and the connector endpoints on `server`. */
export function registerDirectLine(server: restify.Server, opts: DirectLineOptions): DirectLineEndpointWithUploads {
  const ctx = createContext(opts);
  const { limits } = ctx;
  const activities = { maxBytes: limits.maxActivityBytes, maxDepth: limits.maxJsonDepth };
  server.pre(
    bodyGuard({
      rules: [
        { method: 'POST', path: /^\/v3\/directline\/conversations\/[^/]+\/upload$/, maxBytes: limits.maxUploadBytes, self: true },
        { method: 'POST', path: /^\/v3\/directline\/conversations\/[^/]+\/activities$/, ...activities },
        { method: 'POST', path: /^\/v3\/conversations\/[^/]+\/activities(?:\/[^/]+)?$/, ...activities },
        { method: 'PUT', path: /^\/v3\/conversations\/[^/]+\/activities\/[^/]+$/, ...activities },
        { path: /^\/v3\//, maxBytes: limits.maxSmallBodyBytes, maxDepth: limits.maxJsonDepth },
      ],
    }),
  );
  registerClientApi(server, ctx, createInbound(ctx));
  registerChatPage(server, ctx.handle);
  registerConnectorApi(server, ctx);

  const timer = setInterval(() => {
    const removed = ctx.store.sweep();
    if (removed > 0) ctx.log.debug('directline idle conversations forgotten', { removed });
  }, ctx.limits.sweepIntervalMs);
  timer.unref();

  return {
    close() {
      clearInterval(timer);
    },
    sweep: () => ctx.store.sweep(),
    attachmentUrlPrefix: () => ctx.attachmentUrlPrefix(),
    getAttachment: (id) => ctx.store.getAttachment(id),
    get conversationCount() {
      return ctx.store.size;
    },
  };
}

export { BOT_ACCOUNT, CHANNEL_ID, RECENT_HISTORY_EVENT, RETRACT_EVENT } from './context.js';
export type { DirectLineEndpoint, DirectLineOptions } from './context.js';
export { webchatBundle } from './page.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { DirectLineLimits } from './limits.js';
export {
  createDirectLineDelivery,
  directLineAuthResult,
  DirectLineConnectorFactory,
  InternalSecretCredentials,
} from './deliver.js';
export type { DirectLineDeliveryOptions } from './deliver.js';
export { DirectLineTokens } from './tokens.js';
export type { IssuedToken, TokenClaims } from './tokens.js';
