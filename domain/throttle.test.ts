import { describe, expect, it } from 'vitest';
import { BUSY, createLimiter } from './password.js';
import { Backoff, Deadlines, waitSeconds } from './throttle.js';

const S = 1000;
const policy = { free: 3, baseMs: 2 * S, maxMs: 60 * S, forgetMs: 3600 * S };

describe('Backoff', () => {
  it.each<[number, number]>([
    [0, 0], [2, 0], [3, 2 * S], [4, 4 * S], [5, 8 * S], [7, 32 * S], [8, 60 * S], [50, 60 * S], [5000, 60 * S],
  ])('after %i failures the wait is %i ms', (failures, wait) => {
    expect(new Backoff(policy).delayAfter(failures)).toBe(wait);
  });

  it('counts failures per key; a key waits from its last failure; other keys are not affected', () => {
    const b = new Backoff(policy);
    let t = 0;
    for (let i = 0; i < 3; i++) expect(b.fail('a', t)).toBe(i + 1);
    expect(b.wait('a', t)).toBe(2 * S);
    expect(b.wait('a', t + 1500)).toBe(500);
    expect(b.wait('a', t + 2 * S)).toBe(0);
    expect(b.wait('b', t)).toBe(0);
    t += 2 * S;
    b.fail('a', t);
    expect(b.wait('a', t)).toBe(4 * S); // it grows
    b.clear('a');
    expect(b.wait('a', t)).toBe(0);
    expect(b.count('a', t)).toBe(0);
  });

  it('forgets a key quiet for forgetMs', () => {
    const b = new Backoff(policy);
    for (let i = 0; i < 10; i++) b.fail('a', 0);
    expect(b.count('a', 3600 * S - 1)).toBe(10);
    expect(b.count('a', 3600 * S)).toBe(0);
    expect(b.wait('a', 3600 * S)).toBe(0);
  });

  it('keeps at most maxKeys, dropping the least recently failed', () => {
    const b = new Backoff({ ...policy, maxKeys: 3 });
    for (const [i, k] of ['a', 'b', 'c', 'a', 'd'].entries()) b.fail(k, i);
    expect(b.size).toBe(3);
    expect(b.count('b', 10)).toBe(0);
    expect(b.count('a', 10)).toBe(2);
  });

  it('never asks for more than the delay when the clock goes back', () => {
    const b = new Backoff(policy);
    for (let i = 0; i < 3; i++) b.fail('a', 10_000 * S);
    expect(b.wait('a', 0)).toBe(2 * S);
  });
});

describe('Deadlines', () => {
  it('hold a deadline until it passes; bounded', () => {
    const d = new Deadlines(2);
    d.set('a', 100, 0);
    expect(d.get('a', 99)).toBe(100);
    expect(d.get('a', 100)).toBeUndefined();
    d.set('a', 100, 0);
    d.set('b', 100, 0);
    d.set('c', 100, 0);
    expect(d.get('a', 0)).toBeUndefined();
    expect(d.get('c', 0)).toBe(100);
    d.clear('c');
    expect(d.get('c', 0)).toBeUndefined();
  });

  it('waitSeconds rounds up, at least 1', () => {
    expect([0, 1, 999, 1000, 1001].map(waitSeconds)).toEqual([1, 1, 1, 1, 2]);
  });
});

describe('the password-check limiter', () => {
  it('runs at most `max` tasks at once, queues up to `maxQueued` in order, and refuses beyond', async () => {
    const limiter = createLimiter(2, 2);
    const gates: (() => void)[] = [];
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const task = (i: number) => () =>
      new Promise<number>((done) => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        gates.push(() => {
          running--;
          done(i);
        });
      });
    const results = [0, 1, 2, 3, 4, 5].map((i) => limiter.run(task(i)));
    expect(await results[4]).toBe(BUSY);
    expect(await results[5]).toBe(BUSY);
    expect(limiter.active).toBe(2);
    expect(limiter.queued).toBe(2);
    while (gates.length > 0 || started.length < 4) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    expect(await Promise.all(results.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
    expect(await limiter.run(async () => 'libre')).toBe('libre');
  });

  it('frees the slot when a task fails', async () => {
    const limiter = createLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await limiter.run(async () => 1)).toBe(1);
  });
});
