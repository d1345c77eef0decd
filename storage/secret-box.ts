/** AES-256-GCM secret box for secrets at rest, and the key sources (env value or dev key file). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretBox } from '../domain/ports.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-file.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Seals as `v1.<iv>.<tag>.<ciphertext>` (base64url); `open` throws on tampering or a wrong key. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new RangeError(`secret box key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const k = Buffer.from(key);
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed) {
      const parts = sealed.split('.');
      const [version, iv64, tag64, body64] = parts;
      if (parts.length !== 4 || version !== VERSION || iv64 === undefined || tag64 === undefined || body64 === undefined) {
        throw new Error('secret box: not a sealed v1 value');
      }
      const iv = Buffer.from(iv64, 'base64url');
      const tag = Buffer.from(tag64, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('secret box: not a sealed v1 value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(body64, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('secret box: cannot open (tampered, or sealed with another key)');
      }
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

/** DATA_DIR/secret.key: reused when present, created (mode 0600) when missing. Dev use only. */
export async function loadOrCreateDevKey(dataDir: string): Promise<{ key: Buffer; created: boolean; path: string }> {
  const path = join(dataDir, 'secret.key');
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
