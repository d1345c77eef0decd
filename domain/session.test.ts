import { describe, expect, it } from 'vitest';
import { checkSession, openSession, touchSession } from './session.js';

describe('session idle timeout', () => {
  const start = new Date('2026-11-26T15:00:00Z');
  const s = openSession('CC:1', 'Ana', start);
  it.each([
    [0, 'active'],
    [29 * 60_000, 'active'],
    [30 * 60_000, 'active'],
    [30 * 60_000 + 1, 'expired'],
    [5 * 3600_000, 'expired'],
  ])('after %d ms idle → %s', (ms, state) => {
    expect(checkSession(s, new Date(start.getTime() + ms)).state).toBe(state);
  });
  it('activity moves the deadline', () => {
    const later = new Date(start.getTime() + 25 * 60_000);
    const touched = touchSession(s, later);
    expect(checkSession(touched, new Date(later.getTime() + 29 * 60_000)).state).toBe('active');
  });
  it('no session', () => expect(checkSession(undefined, start).state).toBe('none'));
  it('activity is recorded at most once a minute', () => {
    expect(touchSession(s, new Date(start.getTime() + 59_000))).toBe(s);
    expect(touchSession(s, new Date(start.getTime() + 61_000)).ultimaActividad).toBe('2026-11-26T15:01:01.000Z');
  });
});
