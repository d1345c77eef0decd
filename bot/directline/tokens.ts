/**
 * Direct Line tokens: stateless, HMAC-SHA256-signed JWTs (HS256) that bind one conversation id and
 * one user id ("dl_…"). Being JWTs, Web Chat reads the user id from the `user` claim itself. Being
 * stateless, they survive a restart of the server as long as the key stays the same.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../domain/ports.js';
import { err, ok, type Result } from '../../domain/result.js';

export const TOKEN_ISSUER = 'asistente-ccf/directline';

export interface TokenClaims {
  readonly conv: string;
  readonly user: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
}

export interface IssuedToken {
  readonly token: string;
  readonly conversationId: string;
  readonly userId: string;
  /** Seconds until expiry (Direct Line's `expires_in`). */
  readonly expiresIn: number;
}

export type TokenFailure = { code: 'malformed' } | { code: 'signature' } | { code: 'expired'; claims: TokenClaims };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Conversation ids and user ids that this endpoint issues (base64url plus the `dl_` prefix). */
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{16,64}$/;
export const USER_ID = /^dl_[A-Za-z0-9_-]{8,64}$/;

const Payload = z.object({
  iss: z.literal(TOKEN_ISSUER),
  conv: z.string().regex(CONVERSATION_ID),
  user: z.string().regex(USER_ID),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});

export const newConversationId = (): string => randomBytes(18).toString('base64url');
export const newUserId = (): string => `dl_${randomBytes(12).toString('base64url')}`;

export class DirectLineTokens {
  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
    /** Lifetime of a token, in seconds. */
    readonly ttlSeconds = 30 * 60,
  ) {
    if (key.length < 32) throw new Error('the Direct Line token key must have at least 32 bytes');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error('bad token lifetime');
  }

  /** A new token for this conversation and user, valid for `ttlSeconds` from now. */
  issue(conversationId: string, userId: string): IssuedToken {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const payload = { iss: TOKEN_ISSUER, conv: conversationId, user: userId, iat, exp: iat + this.ttlSeconds };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return { token: `${body}.${this.sign(body)}`, conversationId, userId, expiresIn: this.ttlSeconds };
  }

  /** Checks the signature and the expiry. An expired but genuine token reports its claims. */
  verify(token: string): Result<TokenClaims, TokenFailure> {
    const parts = token.split('.');
    if (parts.length !== 3 || token.length > 2048 || !parts.every((p) => B64URL.test(p))) return err({ code: 'malformed' });
    const [header, payload, signature] = parts as [string, string, string];
    if (header !== HEADER) return err({ code: 'malformed' });
    const expected = Buffer.from(this.sign(`${header}.${payload}`), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return err({ code: 'signature' });
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return err({ code: 'malformed' });
    }
    const parsed = Payload.safeParse(json);
    if (!parsed.success) return err({ code: 'malformed' });
    const { conv, user, iat, exp } = parsed.data;
    const claims: TokenClaims = { conv, user, iat, exp };
    if (exp * 1000 <= this.clock.now().getTime()) return err({ code: 'expired', claims });
    return ok(claims);
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
