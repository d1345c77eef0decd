/**
 * The user's side of a conversation: activities from the client are completed by the server,
 * appended to the history (the echo) and handed to the bot one after another, with back-pressure
 * per conversation and a byte budget for everything waiting for the bot.
 *
 * Only known fields are kept: of `channelData` only `clientActivityID`; a typing activity is just
 * its type, and it is not queued for the bot while another activity of the conversation waits.
 * The echo kept in the history has no card `value`, no `entities` and no inline
 * attachment content (only files uploaded here, by URL); the bot gets those.
 */
import type { Activity } from 'botbuilder';
import { BOT_ACCOUNT, CHANNEL_ID, type DirectLineContext } from './context.js';
import { CLIENT_FIELDS, type ClientActivity } from './client-activity.js';
import type { Conversation } from './conversations.js';
import { HttpError, ref } from './http.js';

/** Deliveries waiting for the bot, per conversation, before new activities are refused (429). */
const MAX_PENDING_DELIVERIES = 32;

/** What the client API needs to pass the user's activities on to the bot. */
export interface Inbound {
  /** Queues an activity for the bot (after the conversation's earlier ones). */
  enqueue(conv: Conversation, activity: Record<string, unknown>): void;
  /** Refuses (429) when too many activities of this conversation wait for the bot. */
  checkBackPressure(conv: Conversation): void;
  /** The fields every activity from the user carries, set by the server (never trusted from the client). */
  fromUser(conv: Conversation, a: ClientActivity): Record<string, unknown>;
  /** Attachments of a plain POST for the bot: inline content, or files uploaded here; other URLs are dropped. */
  safeAttachments(list: ClientActivity['attachments']): Record<string, unknown>[] | undefined;
  /**
   * Appends the echo of a user's activity (its known fields, see above), then queues the whole
   * activity for the bot; a re-sent one is not processed twice.
   */
  acceptFromUser(conv: Conversation, activity: Record<string, unknown>, clientActivityId: string | undefined): string;
}

/** Creates the inbound side of one endpoint. */
export function createInbound(ctx: DirectLineContext): Inbound {
  const { store, log, limits } = ctx;
  const pending = new Map<Conversation, number>();
  let pendingBytes = 0;

  function enqueue(conv: Conversation, activity: Record<string, unknown>): void {
    const count = pending.get(conv) ?? 0;
    pending.set(conv, count + 1);
    const bytes = Buffer.byteLength(JSON.stringify(activity));
    pendingBytes += bytes;
    const forBot = { ...structuredClone(activity), serviceUrl: ctx.baseUrl() } as Partial<Activity>;
    conv.tail = conv.tail
      .then(() => ctx.opts.deliver(forBot))
      .catch((error: unknown) => {
        log.error('directline delivery failed', {
          conversation: ref(conv.id),
          type: activity.type,
          err: error instanceof Error ? error : String(error),
        });
      })
      .finally(() => {
        pendingBytes -= bytes;
        const left = (pending.get(conv) ?? 1) - 1;
        if (left <= 0) pending.delete(conv);
        else pending.set(conv, left);
      });
  }

  function checkBackPressure(conv: Conversation): void {
    if ((pending.get(conv) ?? 0) >= MAX_PENDING_DELIVERIES) {
      throw new HttpError(429, 'TooManyRequests', 'Too many activities are waiting for the bot.');
    }
    if (pendingBytes >= limits.maxPendingBytesTotal) {
      throw new HttpError(429, 'TooManyRequests', 'The assistant is busy; try again in a moment.');
    }
  }

  function userAccount(conv: Conversation, from?: { name?: string | undefined }) {
    return { id: conv.userId, ...(from?.name ? { name: from.name } : {}), role: 'user' };
  }

  function fromUser(conv: Conversation, a: ClientActivity): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (a.type === 'typing') out.type = a.type;
    else {
      for (const key of CLIENT_FIELDS) {
        if (a[key] !== undefined) out[key] = a[key];
      }
    }
    const clientActivityID = a.channelData?.clientActivityID;
    if (clientActivityID !== undefined) out.channelData = { clientActivityID };
    return {
      ...out,
      channelId: CHANNEL_ID,
      timestamp: ctx.nowIso(),
      from: userAccount(conv, a.from),
      recipient: { ...BOT_ACCOUNT },
      conversation: { id: conv.id },
    };
  }

  function safeAttachments(list: ClientActivity['attachments']): Record<string, unknown>[] | undefined {
    if (!list) return undefined;
    const prefix = ctx.attachmentUrlPrefix();
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

  function acceptFromUser(conv: Conversation, activity: Record<string, unknown>, clientActivityId: string | undefined): string {
    if (clientActivityId) {
      const seen = conv.clientIds.get(clientActivityId);
      if (seen) return seen;
    }
    checkBackPressure(conv);
    // A card submit's value (it may hold a masked secret) goes to the bot but is not kept in the echo,
    // nor are entities or inline attachment content.
    const { value, entities, attachments, ...echo } = activity;
    const files = Array.isArray(attachments)
      ? (attachments as Record<string, unknown>[]).filter((a) => typeof a.contentUrl === 'string').map(({ content: _content, ...file }) => file)
      : [];
    if (files.length > 0) echo.attachments = files;
    const stored = store.append(conv, echo);
    if (clientActivityId) store.rememberClientId(conv, clientActivityId, stored.id);
    // Typing is momentary: one waiting for the bot is enough, further ones are echoed only.
    if (activity.type === 'typing' && (pending.get(conv) ?? 0) > 0) return stored.id;
    enqueue(conv, {
      ...stored,
      ...(value !== undefined ? { value } : {}),
      ...(entities !== undefined ? { entities } : {}),
      ...(attachments !== undefined ? { attachments } : {}),
    });
    return stored.id;
  }

  return { enqueue, checkBackPressure, fromUser, safeAttachments, acceptFromUser };
}
