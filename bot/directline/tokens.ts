/**
 * Direct Line tokens: stateless, HMAC-SHA256-signed JWTs (HS256) that bind one conversation id and
 * one user id ("dl_…"). Being JWTs, Web Chat reads the user id from the `user` claim itself. Being
 * stateless, they survive a restart of the server as long as the key stays the same.
 *
 * A refresh (or the resume of an expired token) starts a new generation of the conversation's
 * tokens: older generations are refused from then on, after a short grace for requests already on
 * their way. The current generation of each recently refreshed conversation is kept in memory
 * (bounded; a restart or an eviction forgets it, which only lets older, still unexpired tokens of
 * that conversation work again until they expire).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../domain/ports.js';
import { err, ok, type Result } from '../../domain/result.js';

export const TOKEN_ISSUER = 'asistente-ccf/directline';

export interface TokenClaims {
  readonly conv: string;
  readonly user: string;
  /** Generation of the conversation's tokens (0 until the first refresh). */
  readonly gen: number;
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

export type TokenFailure =
  | { code: 'malformed' }
  | { code: 'signature' }
  | { code: 'revoked' }
  | { code: 'expired'; claims: TokenClaims };

/** How long a token stays valid after it was replaced by a refresh (requests already sent with it). */
export const REPLACED_TOKEN_GRACE_MS = 30 * 1000;
/** Conversations whose current token generation is remembered (least recently refreshed forgotten first). */
export const MAX_TRACKED_CONVERSATIONS = 50_000;

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Conversation ids and user ids that this endpoint issues (base64url plus the `dl_` prefix). */
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{16,64}$/;
export const USER_ID = /^dl_[A-Za-z0-9_-]{8,64}$/;

const Payload = z.object({
  iss: z.literal(TOKEN_ISSUER),
  conv: z.string().regex(CONVERSATION_ID),
  user: z.string().regex(USER_ID),
  gen: z.number().int().nonnegative().max(1e9).default(0),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});

export const newConversationId = (): string => randomBytes(18).toString('base64url');
export const newUserId = (): string => `dl_${randomBytes(12).toString('base64url')}`;

export class DirectLineTokens {
  /** Per conversation: its current generation, and until when the previous one is still accepted (ms). */
  private readonly generations = new Map<string, { gen: number; previousUntil: number }>();

  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
    /** Lifetime of a token, in seconds. */
    readonly ttlSeconds = 30 * 60,
    private readonly maxTracked = MAX_TRACKED_CONVERSATIONS,
  ) {
    if (key.length < 32) throw new Error('the Direct Line token key must have at least 32 bytes');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error('bad token lifetime');
  }

  /** A new token for this conversation and user, valid for `ttlSeconds` from now, of the current generation. */
  issue(conversationId: string, userId: string): IssuedToken {
    return this.mint(conversationId, userId, this.generations.get(conversationId)?.gen ?? 0);
  }

  /**
   * Replaces a token (refresh, or resume of an expired one): a token of a new generation, and the
   * older generations refused once REPLACED_TOKEN_GRACE_MS has passed.
   */
  replace(claims: TokenClaims): IssuedToken {
    const known = this.generations.get(claims.conv);
    const gen = Math.max(claims.gen, known?.gen ?? 0) + 1;
    this.generations.delete(claims.conv); // re-inserted last: Map order is the LRU order
    this.generations.set(claims.conv, { gen, previousUntil: this.clock.now().getTime() + REPLACED_TOKEN_GRACE_MS });
    while (this.generations.size > this.maxTracked) this.generations.delete(this.generations.keys().next().value as string);
    return this.mint(claims.conv, claims.user, gen);
  }

  private mint(conversationId: string, userId: string, gen: number): IssuedToken {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const payload = { iss: TOKEN_ISSUER, conv: conversationId, user: userId, gen, iat, exp: iat + this.ttlSeconds };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return { token: `${body}.${this.sign(body)}`, conversationId, userId, expiresIn: this.ttlSeconds };
  }

  /**
   * Checks the signature, the generation and the expiry. An expired but genuine token of the
   * current generation reports its claims; a replaced one is `revoked`, expired or not.
   */
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
    const { conv, user, gen, iat, exp } = parsed.data;
    const claims: TokenClaims = { conv, user, gen, iat, exp };
    const now = this.clock.now().getTime();
    const current = this.generations.get(conv);
    if (current && gen < current.gen && !(gen === current.gen - 1 && now < current.previousUntil)) return err({ code: 'revoked' });
    if (exp * 1000 <= now) return err({ code: 'expired', claims });
    return ok(claims);
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
