import { randomBytes, randomFillSync, randomInt } from 'node:crypto';
import type { Clock, Random } from './ports.js';

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, journeys). */
export function fakeClock(start: Date | string = '2026-01-15T14:00:00.000Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) { t += ms; },
    set(at: Date | string) { t = new Date(at).getTime(); },
  } satisfies Clock & Record<string, unknown>;
}

function shuffleWith<T>(items: readonly T[], int: (n: number) => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * `n` bytes from the system's CSPRNG, served from a 4 KB pool refilled in one call (as Node's own
 * randomUUID does): a call into OpenSSL for 12 bytes costs about 20 times the copy, and the state
 * store seals every conversation turn with a fresh IV. Each byte is handed out once; the caller gets a
 * copy. For keys and salts, call randomBytes itself.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;
export function pooledRandomBytes(n: number): Buffer {
  if (n > 64) return randomBytes(n);
  if (poolOffset + n > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  pool.fill(0, poolOffset, poolOffset + n); // handed out: not kept in memory
  poolOffset += n;
  return out;
}

/** Crypto-backed randomness for production. */
export const cryptoRandom: Random = {
  next: () => randomInt(0, 2 ** 48) / 2 ** 48,
  int: (n) => randomInt(0, n),
  shuffle: (items) => shuffleWith(items, (n) => randomInt(0, n)),
  token: (bytes = 32) => pooledRandomBytes(bytes).toString('base64url'),
};

/** Deterministic randomness (mulberry32) for tests; never for tokens in production. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    shuffle: (items) => shuffleWith(items, int),
    token: (bytes = 32) => Buffer.from(Array.from({ length: bytes }, () => int(256))).toString('base64url'),
  };
}
