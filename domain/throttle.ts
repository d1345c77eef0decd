/**
 * Failure counters with exponential backoff, kept in memory (a failed attempt costs no store write).
 * Keys are opaque strings (a hashed channel user, an address, a document key); the caller passes the
 * time, so a fake clock drives the tests. Bounded: quiet keys are forgotten, and past `maxKeys` the
 * least recently failed key is dropped.
 */

export interface BackoffPolicy {
  /** Failures allowed before any wait. */
  readonly free: number;
  /** The wait after the first failure beyond `free` (ms); it doubles with each further failure. */
  readonly baseMs: number;
  /** The longest wait (ms). */
  readonly maxMs: number;
  /** A key without failures for this long starts again from zero (ms). */
  readonly forgetMs: number;
  /** How many keys are kept at most (default 10 000). */
  readonly maxKeys?: number;
}

interface Entry {
  failures: number;
  last: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly policy: BackoffPolicy) {}

  /** The wait (ms) after `failures` failures: 0 within the free ones, then base × 2^k up to the maximum. */
  delayAfter(failures: number): number {
    const { free, baseMs, maxMs } = this.policy;
    if (failures < free) return 0;
    const k = failures - free;
    return k >= 40 ? maxMs : Math.min(maxMs, baseMs * 2 ** k);
  }

  /** Failures counted for `key` now (0 when forgotten). */
  count(key: string, now: number): number {
    return this.live(key, now)?.failures ?? 0;
  }

  /** How long (ms) `key` must wait before its next attempt is even checked; 0 when it may go now. */
  wait(key: string, now: number): number {
    const e = this.live(key, now);
    if (!e) return 0;
    const delay = this.delayAfter(e.failures);
    // Never more than the delay itself, even if the clock went back.
    return Math.min(delay, Math.max(0, e.last + delay - now));
  }

  /** Records a failure; returns the new count. */
  fail(key: string, now: number): number {
    const failures = (this.live(key, now)?.failures ?? 0) + 1;
    // Re-inserted, so the Map's order is the order of the last failure (oldest first).
    this.entries.delete(key);
    this.entries.set(key, { failures, last: now });
    this.trim();
    return failures;
  }

  /** Forgets `key` (a success, an unlock). */
  clear(key: string): void {
    this.entries.delete(key);
  }

  /** Keys held (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now - e.last >= this.policy.forgetMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private trim(): void {
    const max = this.policy.maxKeys ?? 10_000;
    if (this.entries.size <= max) return;
    // Oldest first: the least recently failed keys go (forgotten ones are among them).
    for (const key of this.entries.keys()) {
      if (this.entries.size <= max) return;
      this.entries.delete(key);
    }
  }
}

/** Deadlines by key (an in-memory lock), bounded like Backoff. */
export class Deadlines {
  private readonly until = new Map<string, number>();

  constructor(private readonly maxKeys = 10_000) {}

  /** The deadline of `key` when still ahead of `now`. */
  get(key: string, now: number): number | undefined {
    const t = this.until.get(key);
    if (t === undefined) return undefined;
    if (t <= now) {
      this.until.delete(key);
      return undefined;
    }
    return t;
  }

  set(key: string, at: number, now: number): void {
    this.until.delete(key);
    this.until.set(key, at);
    if (this.until.size <= this.maxKeys) return;
    // Past deadlines go first; then the oldest ones.
    for (const [k, t] of this.until) if (t <= now) this.until.delete(k);
    for (const k of this.until.keys()) {
      if (this.until.size <= this.maxKeys) return;
      this.until.delete(k);
    }
  }

  clear(key: string): void {
    this.until.delete(key);
  }
}

/** Whole seconds to tell a person to wait (at least 1). */
export const waitSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
