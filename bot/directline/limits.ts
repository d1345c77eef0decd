/** The bounds of the built-in Direct Line endpoint (memory, paging, tokens, sizes) and their defaults. */

/** Every bound of the endpoint; registerDirectLine takes any of them to override the defaults. */
export interface DirectLineLimits {
  /** Conversations kept in memory; the least recently used one is evicted beyond this. */
  readonly maxConversations: number;
  /** Activities kept per conversation (the oldest are dropped). */
  readonly maxActivitiesPerConversation: number;
  /** A conversation not used for this long is forgotten (ms). */
  readonly idleMs: number;
  /** How often idle conversations are swept (ms). */
  readonly sweepIntervalMs: number;
  /** Activities returned by one GET …/activities at most (the client pages with the watermark). */
  readonly pageSize: number;
  /**
   * Messages given to a client that asks for activities without a watermark (a page reload): the
   * most recent ones, with the activities between them; older ones are left out. Keep it ≤ pageSize
   * so that they come in one answer.
   */
  readonly historyOnReconnect: number;
  /** Token lifetime (s). */
  readonly tokenTtlSeconds: number;
  /**
   * An expired token may still be exchanged for a new one of the same conversation for this long
   * after its expiry (ms); then the page starts a new conversation. Minutes: a stolen old token is
   * not a way into the conversation for long.
   */
  readonly resumeWindowMs: number;
  /** Largest activity accepted, as JSON (bytes): the body limit of the activity routes (client and connector). */
  readonly maxActivityBytes: number;
  /** Body limit of the other routes (tokens, conversation start; bytes). */
  readonly maxSmallBodyBytes: number;
  /** Deepest JSON nesting of a body (objects and arrays); deeper is refused (400) before parsing. */
  readonly maxJsonDepth: number;
  /** Bytes of stored activities (as JSON) kept per conversation; the oldest are dropped beyond this. */
  readonly maxTranscriptBytesPerConversation: number;
  /** Bytes of stored activities kept for all conversations; the least recently used lose their oldest first. */
  readonly maxTranscriptBytesTotal: number;
  /** Bytes of user activities waiting for the bot, all conversations together; beyond it new ones get 429. */
  readonly maxPendingBytesTotal: number;
  /** POST …/tokens/generate per client address (token bucket). */
  readonly tokenRate: RateLimit;
  /** New conversations started per client address (token bucket). */
  readonly conversationRate: RateLimit;
  /** Largest uploaded file (bytes). */
  readonly maxFileBytes: number;
  /** Files in one upload. */
  readonly maxFilesPerUpload: number;
  /** Largest upload request (bytes, whole multipart body). */
  readonly maxUploadBytes: number;
  /** Uploaded bytes kept in memory for all conversations; the oldest files are dropped beyond this. */
  readonly maxAttachmentBytesTotal: number;
}

/** The bounds used unless overridden. */
export const DEFAULT_LIMITS: DirectLineLimits = {
  maxConversations: 2000,
  maxActivitiesPerConversation: 500,
  idleMs: 2 * 60 * 60 * 1000,
  sweepIntervalMs: 60 * 1000,
  pageSize: 100,
  historyOnReconnect: 25,
  tokenTtlSeconds: 30 * 60,
  resumeWindowMs: 10 * 60 * 1000,
  maxActivityBytes: 300 * 1024,
  maxSmallBodyBytes: 4 * 1024,
  maxJsonDepth: 64,
  maxTranscriptBytesPerConversation: 1024 * 1024,
  maxTranscriptBytesTotal: 64 * 1024 * 1024,
  maxPendingBytesTotal: 32 * 1024 * 1024,
  tokenRate: { burst: 60, perMinute: 60 },
  conversationRate: { burst: 30, perMinute: 20 },
  maxFileBytes: 4 * 1024 * 1024,
  maxFilesPerUpload: 10,
  maxUploadBytes: 16 * 1024 * 1024,
  maxAttachmentBytesTotal: 256 * 1024 * 1024,
};

/** A token bucket: `burst` at once, then `perMinute` (refilled continuously). */
export interface RateLimit {
  readonly burst: number;
  readonly perMinute: number;
}

/**
 * Token buckets keyed by client address, bounded in number (the least recently used address is
 * forgotten beyond `maxKeys`, which only gives it a fresh bucket).
 */
export class AddressRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token for `key`: 0 when allowed, otherwise the seconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const perMs = this.limit.perMinute / 60_000;
    const old = this.buckets.get(key);
    const tokens = old ? Math.min(this.limit.burst, old.tokens + Math.max(0, now - old.at) * perMs) : this.limit.burst;
    this.buckets.delete(key); // re-insert: Map order is the LRU order
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return perMs > 0 ? Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) : 60;
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return 0;
  }
}

/** The client address of a request, IPv4-mapped IPv6 written as IPv4 (proxy headers are not trusted). */
export function clientAddress(socket: { remoteAddress?: string | undefined } | undefined): string {
  const address = socket?.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
