import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../domain/random.js';
import { DirectLineTokens, newConversationId, newUserId, REPLACED_TOKEN_GRACE_MS } from './tokens.js';

const code = (r: ReturnType<DirectLineTokens['verify']>) => (r.ok ? 'ok' : r.error.code);

describe('Direct Line tokens', () => {
  const setup = (maxTracked?: number) => {
    const clock = fakeClock('2026-03-02T15:00:00Z');
    const key = randomBytes(32);
    return { clock, key, tokens: new DirectLineTokens(key, clock, 1800, maxTracked) };
  };
  const claimsOf = (tokens: DirectLineTokens, token: string) => {
    const r = tokens.verify(token);
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  it('a refresh revokes the replaced token after a short grace; tokens of the current generation stay valid', () => {
    const { clock, tokens } = setup();
    const first = tokens.issue(newConversationId(), newUserId());
    const second = tokens.replace(claimsOf(tokens, first.token));
    expect(claimsOf(tokens, second.token).gen).toBe(1);
    expect(code(tokens.verify(first.token))).toBe('ok'); // in flight
    clock.advance(REPLACED_TOKEN_GRACE_MS);
    expect(code(tokens.verify(first.token))).toBe('revoked');
    // A token issued again for the conversation (start, reconnect) is of the current generation.
    const reissued = tokens.issue(first.conversationId, first.userId);
    expect(code(tokens.verify(reissued.token))).toBe('ok');
    const third = tokens.replace(claimsOf(tokens, reissued.token));
    clock.advance(REPLACED_TOKEN_GRACE_MS);
    for (const old of [first, second, reissued]) expect(code(tokens.verify(old.token))).toBe('revoked');
    expect(code(tokens.verify(third.token))).toBe('ok');
  });

  it('a revoked token reports no claims even once expired (it cannot be resumed)', () => {
    const { clock, tokens } = setup();
    const first = tokens.issue(newConversationId(), newUserId());
    tokens.replace(claimsOf(tokens, first.token));
    clock.advance(3600 * 1000);
    expect(tokens.verify(first.token)).toEqual({ ok: false, error: { code: 'revoked' } });
  });

  it('other conversations are untouched; after a restart (a new instance, same key) genuine tokens are accepted again', () => {
    const { clock, key, tokens } = setup();
    const a = tokens.issue(newConversationId(), newUserId());
    const b = tokens.issue(newConversationId(), newUserId());
    tokens.replace(claimsOf(tokens, a.token));
    clock.advance(REPLACED_TOKEN_GRACE_MS);
    expect(code(tokens.verify(b.token))).toBe('ok');
    expect(code(tokens.verify(a.token))).toBe('revoked');
    expect(code(new DirectLineTokens(key, clock, 1800).verify(a.token))).toBe('ok');
  });

  it('remembers a bounded number of conversations (the least recently refreshed is forgotten)', () => {
    const { clock, tokens } = setup(2);
    const issued = [0, 1, 2].map(() => tokens.issue(newConversationId(), newUserId()));
    for (const t of issued) tokens.replace(claimsOf(tokens, t.token));
    clock.advance(REPLACED_TOKEN_GRACE_MS);
    expect(issued.map((t) => code(tokens.verify(t.token)))).toEqual(['ok', 'revoked', 'revoked']);
  });

  it('tokens issued before generations existed (no gen claim) are generation 0', () => {
    const { tokens } = setup();
    const t = tokens.issue(newConversationId(), newUserId());
    expect(claimsOf(tokens, t.token).gen).toBe(0);
  });
});
