import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox, loadOrCreateDevKey, parseSecretsKey } from './secret-box.js';

const key = Buffer.alloc(32, 7);

describe('secret box', () => {
  const box = createSecretBox(key);

  it.each(['', 'clave123*', 'contraseña con ñ y emoji ✓', 'x'.repeat(10_000)])('round-trips %#', (plain) => {
    expect(box.open(box.seal(plain))).toBe(plain);
  });

  it('seals as v1.<iv>.<tag>.<ciphertext> in base64url, with a fresh IV each time', () => {
    const a = box.seal('same');
    const b = box.seal('same');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it.each([
    ['ciphertext', 3],
    ['tag', 2],
    ['iv', 1],
  ])('throws when the %s was tampered with', (_part, index) => {
    const parts = box.seal('secreto').split('.');
    const bytes = Buffer.from(parts[index]!, 'base64url');
    bytes[0]! ^= 1;
    parts[index] = bytes.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(/cannot open/);
  });

  it('throws when opened with another key', () => {
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(box.seal('secreto'))).toThrow(/cannot open/);
  });

  it.each(['', 'plain', 'v2.a.b.c', 'v1.a.b', 'v1.AAAA.AAAA.AAAA'])('rejects malformed input %j', (sealed) => {
    expect(() => box.open(sealed)).toThrow(/secret box/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createSecretBox(Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('parseSecretsKey', () => {
  const raw = randomBytes(32);

  it.each([
    ['hex', raw.toString('hex')],
    ['HEX', raw.toString('hex').toUpperCase()],
    ['base64', raw.toString('base64')],
    ['base64url', raw.toString('base64url')],
    ['with surrounding whitespace', `  ${raw.toString('hex')}\n`],
  ])('accepts %s', (_kind, text) => {
    expect(parseSecretsKey(text)?.equals(raw)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['short hex', raw.toString('hex').slice(2)],
    ['16-byte base64', randomBytes(16).toString('base64')],
    ['48-byte base64', randomBytes(48).toString('base64')],
    ['not base64', 'this is not a key at all, not even close!!'],
  ])('rejects %s', (_kind, text) => {
    expect(parseSecretsKey(text)).toBeUndefined();
  });
});

describe('loadOrCreateDevKey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates DATA_DIR/secret.key once, mode 0600, and reuses it', async () => {
    const dataDir = join(dir, 'data');
    const first = await loadOrCreateDevKey(dataDir);
    expect(first).toMatchObject({ created: true, path: join(dataDir, 'secret.key') });
    expect(first.key).toHaveLength(32);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);

    const second = await loadOrCreateDevKey(dataDir);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('creates a single key when called concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateDevKey(dir)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.key.toString('hex'))).size).toBe(1);
  });

  it('reports an unreadable key file and leaves it alone', async () => {
    const path = join(dir, 'secret.key');
    await writeFile(path, 'not a key');
    await expect(loadOrCreateDevKey(dir)).rejects.toThrow(path);
    expect(await readFile(path, 'utf8')).toBe('not a key');
  });
});
