import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { whenQuiet } from './when-quiet.js';

const S = 1_000;
const schedule = { firstAfterMs: 60 * S, everyMs: 3_600 * S, quietMs: 30 * S, checkMs: 10 * S, maxWaitMs: 600 * S };

describe('whenQuiet: the retention job at a quiet moment', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs when due and no turn began for the quiet time, not before; then again after the period', async () => {
    let lastTurnAt = 0;
    const runs: number[] = [];
    const start = Date.now();
    const stop = whenQuiet(async () => void runs.push(Date.now() - start), { ...schedule, lastTurnAt: () => lastTurnAt });
    await vi.advanceTimersByTimeAsync(50 * S);
    expect(runs).toEqual([]); // not due yet
    lastTurnAt = Date.now() + 5 * S; // a person writing at 55 s
    await vi.advanceTimersByTimeAsync(30 * S);
    expect(runs).toEqual([]); // due at 60 s, but the last turn began 25 s ago
    await vi.advanceTimersByTimeAsync(10 * S);
    expect(runs).toEqual([90 * S]); // quiet since 55 s: the first look after 85 s
    await vi.advanceTimersByTimeAsync(3_600 * S);
    expect(runs).toEqual([90 * S, 3_690 * S]);
    stop();
    await vi.advanceTimersByTimeAsync(7_200 * S);
    expect(runs).toHaveLength(2);
  });

  it('runs anyway after the longest wait when the assistant is never quiet, and one run at a time', async () => {
    const start = Date.now();
    const runs: number[] = [];
    let finish!: () => void;
    const stop = whenQuiet(
      () => {
        runs.push(Date.now() - start);
        return new Promise<void>((ok) => (finish = ok));
      },
      { ...schedule, everyMs: 20 * S, lastTurnAt: () => Date.now() }, // a turn every moment
    );
    await vi.advanceTimersByTimeAsync(60 * S + 590 * S);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(20 * S);
    expect(runs).toEqual([660 * S]); // due at 60 s, waited 600 s
    await vi.advanceTimersByTimeAsync(1_000 * S);
    expect(runs).toHaveLength(1); // still running: not started again
    finish();
    await vi.advanceTimersByTimeAsync(10 * S);
    expect(runs).toHaveLength(2); // overdue by then: runs at the next look
    stop();
  });
});
