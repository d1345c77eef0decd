/**
 * The password hashes (PasswordHasher port): Argon2id at OWASP's minimum level of defense — 12 MiB of
 * memory, 3 passes, 1 lane — as a PHC string (`$argon2id$v=19$m=12288,t=3,p=1$<salt>$<hash>`), through
 * `@node-rs/argon2` (Rust's `argon2`, run on threads below the event loop's priority:
 * storage/password-threads.ts). Hashes of earlier versions — Argon2id with 19 MiB and 2 passes, and
 * `scrypt$N$r$p$salt$hash` (N=16384, r=8, p=1: an eighth of OWASP's scrypt minimum) — still verify,
 * and are `outdated`: the login hashes the password again with the current parameters.
 *
 * The binding and its threads start with the first hash or check, not at start-up (no chat turn before a login needs it).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../domain/ports.js';
import { hashOnThread, verifyOnThread } from './password-threads.js';

/**
 * Memory in KiB, passes, lanes: one of the five Argon2id configurations of OWASP's Password Storage
 * Cheat Sheet, which "provide an equal level of defense" (46 MiB × 1 pass, 19 × 2, 12 × 3, 9 × 4,
 * 7 × 5: the same work, memory traded for passes). Of those, 12 MiB × 3 costs the least CPU here:
 * measured with `@node-rs/argon2` on this kind of machine, a check took 6.0 ms against 8.6 ms for
 * 19 MiB × 2 alone, 6.7–7.2 ms against 10.5 ms beside a busy core: its memory is allocated once
 * and used again, where every 19 MiB check maps and zeroes fresh pages (265 page faults a check
 * against 6, and the kernel's time with them). Earlier versions stored 19 MiB × 2 (`outdated` now).
 */
export const ARGON2ID = { memoryCost: 12_288, timeCost: 3, parallelism: 1 } as const;
const ALGORITHM_ARGON2ID = 2; // @node-rs/argon2's Algorithm.Argon2id (a const enum in its typings)
const OUTPUT_BYTES = 32;
const SALT_BYTES = 16;

/** Bounds on the parameters a stored hash may ask for: a tampered record cannot ask for absurd memory or time. */
const MAX_MEMORY_KIB = 256 * 1024;
const MAX_PASSES = 16;
const MAX_LANES = 8;


/** What is hashed: the password in NFC, so "ñ" typed precomposed or combined is the same password. */
const normalized = (password: string): string => password.normalize('NFC');

const B64 = '[A-Za-z0-9+/]';
const PHC_ARGON2ID = new RegExp(`^\\$argon2id\\$v=19\\$((?:[mtp]=\\d{1,10},){2}[mtp]=\\d{1,10})\\$(${B64}{11,})\\$(${B64}{22,})$`);

interface Argon2Params {
  readonly m: number;
  readonly t: number;
  readonly p: number;
}

/** The parameters of a well-formed Argon2id PHC string within the bounds; undefined otherwise. */
function argon2Params(stored: string): Argon2Params | undefined {
  const match = PHC_ARGON2ID.exec(stored);
  if (!match) return undefined;
  const params = new Map(match[1]!.split(',').map((kv) => [kv[0]!, Number(kv.slice(2))] as const));
  const m = params.get('m');
  const t = params.get('t');
  const p = params.get('p');
  if (params.size !== 3 || m === undefined || t === undefined || p === undefined) return undefined;
  if (p < 1 || p > MAX_LANES || t < 1 || t > MAX_PASSES || m < 8 * p || m > MAX_MEMORY_KIB) return undefined;
  const hashBytes = Buffer.from(match[3]!, 'base64').length;
  if (hashBytes < 16 || hashBytes > 128) return undefined;
  return { m, t, p };
}

// ---------------------------------------------------------------- earlier versions' scrypt hashes

const scryptKey = (password: string, salt: Buffer, length: number, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((ok, fail) => {
    scrypt(normalized(password), salt, length, { N: n, r, p, maxmem: 256 * n * r * p + 1024 * 1024 }, (error, key) => (error ? fail(error) : ok(key)));
  });

/** `scrypt$N$r$p$saltB64$hashB64` against `password`, in constant time; false for a malformed or out-of-bounds hash. */
async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const sane = Number.isInteger(n) && n >= 2 && n <= 2 ** 20 && (n & (n - 1)) === 0 && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!sane) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || expected.length < 16 || expected.length > 128) return false;
  return timingSafeEqual(await scryptKey(password, salt, expected.length, n, r, p), expected);
}

// ---------------------------------------------------------------- the adapter

export const passwordHasher: PasswordHasher = {
  async hash(password) {
    return hashOnThread(normalized(password), { algorithm: ALGORITHM_ARGON2ID, ...ARGON2ID, outputLen: OUTPUT_BYTES, salt: randomBytes(SALT_BYTES) });
  },

  async verify(password, stored) {
    if (stored.startsWith('scrypt$')) return verifyScrypt(password, stored);
    if (!argon2Params(stored)) return false;
    // The binding compares in constant time; it throws on a hash it cannot decode.
    return verifyOnThread(stored, normalized(password)).catch(() => false);
  },

  outdated(stored) {
    const params = argon2Params(stored);
    return !params || params.m !== ARGON2ID.memoryCost || params.t !== ARGON2ID.timeCost || params.p !== ARGON2ID.parallelism;
  },

  decoy: '$argon2id$v=19$m=12288,t=3,p=1$OiWzuVBsx3FMAdOrZ5wllA$soeALXAo7NRxNNHtDgsbsAtQ9qJfV1yQZeI7xkOAbzk',
};
