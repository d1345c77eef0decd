/**
 * The connector endpoints the bot's ConnectorClient calls (Bearer <internal secret>, never a client):
 *   POST /v3/conversations/:id/activities[/:replyToId]       → send / reply
 *   PUT  /v3/conversations/:id/activities/:activityId        → update (context.updateActivity)
 *   DELETE /v3/conversations/:id/activities/:activityId      → delete (context.deleteActivity)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import { BOT_ACCOUNT, CHANNEL_ID, RETRACT_EVENT, type DirectLineContext } from './context.js';
import { badRequest, bearer, HttpError, isRecord, jsonBody, param, sendJson, type Handler } from './http.js';

/** Registers the bot side of the Direct Line endpoint. */
export function registerConnectorApi(server: restify.Server, ctx: DirectLineContext): void {
  const { store, limits, handle } = ctx;
  const secretDigest = createHash('sha256').update(ctx.opts.internalSecret).digest();

  function isInternal(req: restify.Request): boolean {
    const given = bearer(req);
    if (!given) return false;
    return timingSafeEqual(createHash('sha256').update(given).digest(), secretDigest);
  }

  const fromBot =
    (mode: 'send' | 'reply' | 'update'): Handler =>
    async (req, res) => {
      if (!isInternal(req)) throw new HttpError(401, 'Unauthorized', 'Only the assistant may post here.');
      const conv = store.get(param(req, 'conversationId'));
      if (!conv) throw new HttpError(404, 'NotFound', 'Unknown conversation.');
      const body = jsonBody(req, limits.maxJsonDepth);
      if (!isRecord(body) || typeof body.type !== 'string' || body.type.length === 0 || body.type.length > 64) {
        throw badRequest('The body must be an activity with a type.');
      }
      if (Buffer.byteLength(JSON.stringify(body)) > limits.maxActivityBytes) throw new HttpError(413, 'BadArgument', 'The activity is too large.');
      const pathId = param(req, 'activityId');
      const from = isRecord(body.from) ? body.from : {};
      const activity: Record<string, unknown> = {
        ...body,
        channelId: CHANNEL_ID,
        timestamp: ctx.nowIso(),
        conversation: { id: conv.id },
        from: { ...from, id: typeof from.id === 'string' && from.id ? from.id : BOT_ACCOUNT.id, name: typeof from.name === 'string' ? from.name : BOT_ACCOUNT.name, role: 'bot' },
        recipient: { id: conv.userId, role: 'user' },
      };
      delete activity.serviceUrl;
      delete activity.id;
      if (mode === 'reply' && pathId && typeof activity.replyToId !== 'string') activity.replyToId = pathId;
      if (mode === 'update') {
        const old = store.find(conv, pathId);
        if (!old) throw new HttpError(404, 'NotFound', 'Unknown activity.');
        // It keeps its time, so Web Chat shows it where the old one was (clients get it again by its new sequence number).
        if (typeof old.timestamp === 'string') activity.timestamp = old.timestamp;
        const stored = store.append(conv, activity, pathId);
        sendJson(res, 200, { id: stored.id });
        return;
      }
      const stored = store.append(conv, activity);
      sendJson(res, 200, { id: stored.id });
    };

  /**
   * context.deleteActivity: the activity leaves the history (no client is given it again) and a
   * retraction event tells the clients that already have it (or its local copy) to remove it.
   * An activity no longer kept is retracted all the same: pages may still show it.
   */
  const deleteFromBot: Handler = async (req, res) => {
    if (!isInternal(req)) throw new HttpError(401, 'Unauthorized', 'Only the assistant may delete here.');
    const conv = store.get(param(req, 'conversationId'));
    if (!conv) throw new HttpError(404, 'NotFound', 'Unknown conversation.');
    const id = param(req, 'activityId');
    if (!id || id.length > 512) throw badRequest('The activity id is not valid.');
    const removed = store.remove(conv, id);
    const channelData = removed?.channelData;
    const fromEcho = isRecord(channelData) && typeof channelData.clientActivityID === 'string' ? channelData.clientActivityID : undefined;
    const clientActivityID = fromEcho ?? store.clientIdOf(conv, id);
    store.append(conv, {
      type: 'event',
      name: RETRACT_EVENT,
      value: { id, ...(clientActivityID ? { clientActivityID } : {}) },
      channelId: CHANNEL_ID,
      timestamp: ctx.nowIso(),
      conversation: { id: conv.id },
      from: { ...BOT_ACCOUNT },
      recipient: { id: conv.userId, role: 'user' },
    });
    sendJson(res, 200, {});
  };

  server.post('/v3/conversations/:conversationId/activities', handle('connector/send', fromBot('send')));
  server.post('/v3/conversations/:conversationId/activities/:activityId', handle('connector/reply', fromBot('reply')));
  server.put('/v3/conversations/:conversationId/activities/:activityId', handle('connector/update', fromBot('update')));
  server.del('/v3/conversations/:conversationId/activities/:activityId', handle('connector/delete', deleteFromBot));
}
