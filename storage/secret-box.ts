/** AES-256-GCM secret box for secrets at rest, and the key sources (env value or dev key file). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretBox } from '../domain/ports.js';
import { pooledRandomBytes } from '../domain/random.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-file.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A SecretBox that also knows which key opened a value, so a rotation can re-seal the old ones. */
export interface RotatingSecretBox extends SecretBox {
  /** True when `sealed` opens only with a previous key; throws like `open` when no key opens it. */
  needsReseal(sealed: string): boolean;
  /** `sealed` re-sealed with the current key, or `sealed` itself when it already is; throws like `open`. */
  reseal(sealed: string): string;
}

/**
 * Seals as `v1.<iv>.<tag>.<ciphertext>` (base64url) with `key`; opens with `key` or any of `previous`
 * (a key rotation in progress). The format names no key: GCM's tag tells which one fits. `open`
 * throws on tampering or when no key fits.
 */
export function createSecretBox(key: Buffer, previous: readonly Buffer[] = []): RotatingSecretBox {
  const keys = [key, ...previous].map((k, i) => {
    if (k.length !== KEY_BYTES) {
      throw new RangeError(`secret box ${i === 0 ? 'key' : `previous key ${i}`} must be ${KEY_BYTES} bytes, got ${k.length}`);
    }
    return Buffer.from(k);
  });
  const current = keys[0]!;

  const seal = (plain: string): string => {
    const iv = pooledRandomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current, iv);
    const head = cipher.update(plain, 'utf8');
    const rest = cipher.final(); // empty for GCM: no copy into a new buffer then
    const body = rest.length === 0 ? head : Buffer.concat([head, rest]);
    // One string built, no array of parts (the state is sealed at every turn).
    return `${VERSION}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  };

  /** The plain text and the index in `keys` of the key that opened it (0: the current one). */
  const openWithIndex = (sealed: string): { plain: string; index: number } => {
    const parts = sealed.split('.');
    const [version, iv64, tag64, body64] = parts;
    if (parts.length !== 4 || version !== VERSION || iv64 === undefined || tag64 === undefined || body64 === undefined) {
      throw new Error('secret box: not a sealed v1 value');
    }
    const iv = Buffer.from(iv64, 'base64url');
    const tag = Buffer.from(tag64, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('secret box: not a sealed v1 value');
    const body = Buffer.from(body64, 'base64url');
    for (const [index, k] of keys.entries()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return { plain: Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'), index };
      } catch {
        // Not this key (or tampered): try the next one.
      }
    }
    throw new Error('secret box: cannot open (tampered, or sealed with another key)');
  };

  return {
    seal,
    open: (sealed) => openWithIndex(sealed).plain,
    needsReseal: (sealed) => openWithIndex(sealed).index !== 0,
    reseal(sealed) {
      const { plain, index } = openWithIndex(sealed);
      return index === 0 ? sealed : seal(plain);
    },
  };
}

/** A 32-byte key from 64 hex characters or base64/base64url; undefined when `raw` is neither. */
export function parseSecretsKey(raw: string): Buffer | undefined {
  const s = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return undefined;
  const key = Buffer.from(s, 'base64');
  // Reject non-canonical encodings (stray bits) so a typo cannot silently yield another key.
  const canonical = key.toString('base64url');
  if (key.length !== KEY_BYTES || s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') !== canonical) return undefined;
  return key;
}

/** Where the development key lives in the data directory. */
export const devKeyPath = (dataDir: string): string => join(dataDir, 'secret.key');

/** DATA_DIR/secret.key: reused when present, created (mode 0600) when missing. Dev use only. */
export async function loadOrCreateDevKey(dataDir: string): Promise<{ key: Buffer; created: boolean; path: string }> {
  const path = devKeyPath(dataDir);
  const existing = await readKeyFile(path);
  if (existing) return { key: existing, created: false, path };

  await ensurePrivateDir(dataDir);
  const key = randomBytes(KEY_BYTES);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, key.toString('hex') + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  try {
    await chmod(temp, PRIVATE_FILE_MODE);
    // link() is atomic and fails if the file appeared meanwhile: never replace an existing key.
    await link(temp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const winner = await readKeyFile(path);
    if (!winner) throw new Error(`secret key file ${path} vanished while being created`);
    return { key: winner, created: false, path };
  } finally {
    await unlink(temp).catch(() => {});
  }
  return { key, created: true, path };
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const key = parseSecretsKey(raw);
  if (!key) throw new Error(`secret key file ${path} does not hold a 32-byte key (64 hex characters or base64); it was left untouched`);
  return key;
}
