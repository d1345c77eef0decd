/**
 * One message where a turn says something and then asks: a turn's plain text message is held until
 * the turn's next message and goes as its first paragraph. The person reads one message instead of
 * two, and the channel gets one request instead of two (each a round trip to the connector: a turn
 * sent about 1.4 of them).
 *
 * Held only inside a turn this middleware runs (never a proactive message sent outside one), at most
 * HOLD_MS (a turn that goes on working — a mail, a check of a service — shows it meanwhile) and never
 * past the turn's end: the middleware sends what is still held when the turn's work is done, or when
 * it fails (before the apology). Sent in the order the turn sent them. Not merged into a card with a
 * masked input: that card is later replaced by a note (dialogs/form/secret-channel.ts) and the text
 * would go with it.
 */
import type { Activity, BotAdapter, Middleware, ResourceResponse, TurnContext } from 'botbuilder';

/** How long a text waits for the turn's next message. */
export const HOLD_MS = 150;

const HOLD = Symbol('coalesce.hold');

interface Hold {
  held: Partial<Activity> | undefined;
  timer: NodeJS.Timeout | undefined;
  /** The sends of the turn, one after the other. */
  chain: Promise<unknown>;
  /** Why a send of the turn failed: every later one fails with it (as the turn would have stopped at the first). */
  failure?: unknown;
}

/** What a plain text message carries besides its text: the conversation's address and how to show it. */
const PLAIN_KEYS = new Set(['type', 'text', 'textFormat', 'inputHint', 'locale', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient', 'replyToId']);

/** A message of text alone (no card, no buttons, nothing else), which may go as another's first paragraph. */
export function holdable(a: Partial<Activity>): boolean {
  if ((a.type ?? 'message') !== 'message' || typeof a.text !== 'string' || a.text.trim() === '') return false;
  for (const [key, value] of Object.entries(a)) {
    if (value !== undefined && !PLAIN_KEYS.has(key) && !(Array.isArray(value) && value.length === 0)) return false;
  }
  return true;
}

function hasMaskedInput(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasMaskedInput);
  if (!node || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  return (o['type'] === 'Input.Text' && o['style'] === 'Password') || Object.values(o).some((v) => typeof v === 'object' && hasMaskedInput(v));
}

/** `next` with `held` as its first paragraph; undefined when `next` cannot take it. */
export function mergeInto(held: Partial<Activity>, next: Partial<Activity>): Partial<Activity> | undefined {
  if ((next.type ?? 'message') !== 'message' || next.textFormat !== held.textFormat) return undefined;
  if (next.attachments?.length && hasMaskedInput(next.attachments)) return undefined;
  return { ...next, text: next.text ? `${held.text}\n\n${next.text}` : held.text };
}

/**
 * Makes `adapter` hold a turn's plain texts (see above); returns the middleware that marks the turns
 * and sends what is held when each ends: to be used inside the middlewares that keep a
 * conversation's turns one at a time (what is held goes before the conversation's next turn starts).
 */
export function coalesceMessages(adapter: BotAdapter, holdMs = HOLD_MS): Middleware {
  const send = adapter.sendActivities.bind(adapter);

  /** Sends `activities` after the turn's earlier sends, unless one of them failed. */
  const inOrder = (context: TurnContext, hold: Hold, activities: Partial<Activity>[]): Promise<ResourceResponse[]> => {
    const sent = hold.chain.then(() => {
      if (hold.failure !== undefined) throw hold.failure;
      return send(context, activities);
    });
    hold.chain = sent.catch((e: unknown) => {
      hold.failure ??= e;
    });
    return sent;
  };

  /** Sends the held text on its own, if any. */
  const release = (context: TurnContext, hold: Hold): Promise<unknown> => {
    clearTimeout(hold.timer);
    hold.timer = undefined;
    const held = hold.held;
    hold.held = undefined;
    return held ? inOrder(context, hold, [held]) : hold.chain;
  };

  /** A held text sent after waiting: its failure is the turn's (see `failure`), as if the send had been awaited. */
  const releaseLater = (context: TurnContext, hold: Hold): void => {
    release(context, hold).catch(() => undefined);
  };

  adapter.sendActivities = async (context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> => {
    const hold = context.turnState.get(HOLD) as Hold | undefined;
    if (!hold) return send(context, activities);
    if (hold.failure !== undefined) throw hold.failure;
    // What goes now, and for each activity asked for, where its answer comes from.
    const out: Partial<Activity>[] = [];
    const from: (number | undefined)[] = [];
    for (const activity of activities) {
      let next = activity;
      if (hold.held) {
        const merged = mergeInto(hold.held, activity);
        if (merged) next = merged;
        else out.push(hold.held); // on its own, first
        clearTimeout(hold.timer);
        hold.timer = undefined;
        hold.held = undefined;
      }
      if (holdable(next)) {
        hold.held = next;
        from.push(undefined);
        continue;
      }
      from.push(out.length);
      out.push(next);
    }
    if (hold.held && !hold.timer) {
      hold.timer = setTimeout(() => releaseLater(context, hold), holdMs);
      hold.timer.unref();
    }
    const responses = out.length > 0 ? await inOrder(context, hold, out) : [];
    // A held text has no id of its own yet (as botbuilder answers for replies it buffers).
    return from.map((i) => (i === undefined ? { id: '' } : (responses[i] ?? { id: '' })));
  };

  return {
    async onTurn(context, next) {
      const hold: Hold = { held: undefined, timer: undefined, chain: Promise.resolve() };
      context.turnState.set(HOLD, hold);
      let failed = false;
      try {
        await next();
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        context.turnState.delete(HOLD);
        const released = release(context, hold).then(() => {
          if (hold.failure !== undefined) throw hold.failure;
        });
        // After a failed turn its own error is the one reported (the apology follows what was held).
        await (failed ? released.catch(() => undefined) : released);
      }
    },
  };
}
