/**
 * Runs a maintenance job (the retention job) at a quiet moment: first `firstAfterMs` after start,
 * then every `everyMs`, each time once no turn has begun for `quietMs` — a job that scans every
 * stored record does not take the event loop from people in the middle of a conversation — but
 * after `maxWaitMs` of waiting for such a moment it runs anyway, so that an instance that is never
 * quiet still purges. One run at a time; the timer does not keep the process alive.
 */
export interface WhenQuietOptions {
  readonly firstAfterMs: number;
  readonly everyMs: number;
  /** No turn begun for this long: a quiet moment. */
  readonly quietMs: number;
  /** How often to look whether the job is due and the moment quiet. */
  readonly checkMs: number;
  readonly maxWaitMs: number;
  /** When the last turn began (ms since the epoch; 0: none yet). */
  readonly lastTurnAt: () => number;
  readonly now?: () => number;
}

/** Starts the schedule; returns its stop. */
export function whenQuiet(job: () => Promise<unknown>, o: WhenQuietOptions): () => void {
  const now = o.now ?? Date.now;
  let due = now() + o.firstAfterMs;
  let running = false;
  const timer = setInterval(() => {
    const t = now();
    if (running || t < due) return;
    if (t - o.lastTurnAt() < o.quietMs && t - due < o.maxWaitMs) return;
    running = true;
    due = t + o.everyMs;
    void job().finally(() => (running = false));
  }, o.checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
