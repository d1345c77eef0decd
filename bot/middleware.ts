/** Turn middleware: process a re-delivered activity once, serialize turns per conversation, track in-flight turns. */
import type { Middleware, TurnContext } from 'botbuilder';

/** Skips an activity whose id was already seen in the same conversation (bounded memory). */
export class DeduplicateActivities implements Middleware {
  private readonly seen = new Map<string, true>();
  constructor(private readonly capacity = 10_000) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (!a.id) return next();
    const key = `${a.channelId}|${a.conversation?.id}|${a.id}`;
    if (this.seen.has(key)) return;
    this.seen.set(key, true);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    try {
      await next();
    } catch (error) {
      this.seen.delete(key); // a failed turn may be retried by the channel
      throw error;
    }
  }
}

/**
 * Runs turns of one conversation one after another (state is read, changed and saved per turn). A
 * proactive ContinueConversation (no activity id: a notice or a helpdesk relay) only sends, and is
 * often raised from inside another conversation's turn: it does not wait, or two conversations
 * relaying to each other at the same moment would each wait for the other forever.
 */
export class SerializeConversations implements Middleware {
  private readonly tails = new Map<string, Promise<void>>();

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (!a.id && a.type === 'event' && a.name === 'ContinueConversation') return next();
    const key = `${context.activity.channelId}|${context.activity.conversation?.id}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      await next();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Counts turns in progress so a shutdown can wait for them; notes when the last one began. */
export class InFlightTurns implements Middleware {
  private count = 0;
  private waiters: (() => void)[] = [];
  /** When the last turn began (ms since the epoch; 0: none yet). */
  lastTurnAt = 0;

  async onTurn(_context: TurnContext, next: () => Promise<void>): Promise<void> {
    this.count++;
    this.lastTurnAt = Date.now();
    try {
      await next();
    } finally {
      this.count--;
      if (this.count === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Resolves when no turn is running, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** A card button that stands for typed words (`data: { __text }`) reaches prompts as that text. */
export class CardButtonText implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    const value = a.value as { __text?: unknown } | undefined;
    if (a.type === 'message' && !a.text && value && typeof value === 'object' && typeof value.__text === 'string') {
      a.text = value.__text.slice(0, 200);
    }
    return next();
  }
}
