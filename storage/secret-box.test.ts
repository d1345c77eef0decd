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

describe('secret box with previous keys (rotation)', () => {
  const oldKey = Buffer.alloc(32, 1);
  const olderKey = Buffer.alloc(32, 2);
  const newKey = Buffer.alloc(32, 3);
  const sealedOld = createSecretBox(oldKey).seal('clave vieja');
  const sealedOlder = createSecretBox(olderKey).seal('clave más vieja');
  const rotating = createSecretBox(newKey, [oldKey, olderKey]);

  it('opens values sealed with the current key or any previous key', () => {
    expect(rotating.open(sealedOld)).toBe('clave vieja');
    expect(rotating.open(sealedOlder)).toBe('clave más vieja');
    expect(rotating.open(rotating.seal('nueva'))).toBe('nueva');
  });

  it('seals with the current key only: the previous keys cannot open new values', () => {
    const sealed = rotating.seal('nueva');
    expect(createSecretBox(newKey).open(sealed)).toBe('nueva');
    expect(() => createSecretBox(oldKey).open(sealed)).toThrow(/cannot open/);
    expect(() => createSecretBox(olderKey).open(sealed)).toThrow(/cannot open/);
  });

  it('needsReseal: true for an old key, false for the current key, throws when no key opens it', () => {
    expect(rotating.needsReseal(sealedOld)).toBe(true);
    expect(rotating.needsReseal(sealedOlder)).toBe(true);
    expect(rotating.needsReseal(rotating.seal('x'))).toBe(false);
    expect(() => rotating.needsReseal(createSecretBox(Buffer.alloc(32, 9)).seal('x'))).toThrow(/cannot open/);
    expect(() => rotating.needsReseal('plain')).toThrow(/not a sealed v1 value/);
  });

  it('reseal: an old value comes back sealed with the current key alone; a current value is returned as it is', () => {
    const resealed = rotating.reseal(sealedOld);
    expect(resealed).not.toBe(sealedOld);
    expect(resealed).toMatch(/^v1\./);
    expect(createSecretBox(newKey).open(resealed)).toBe('clave vieja');
    expect(rotating.needsReseal(resealed)).toBe(false);
    expect(rotating.reseal(resealed)).toBe(resealed);
  });

  it('still detects tampering of a value sealed with a previous key', () => {
    const parts = sealedOld.split('.');
    const bytes = Buffer.from(parts[3]!, 'base64url');
    bytes[0]! ^= 1;
    parts[3] = bytes.toString('base64url');
    expect(() => rotating.open(parts.join('.'))).toThrow(/cannot open/);
    expect(() => rotating.reseal(parts.join('.'))).toThrow(/cannot open/);
  });

  it('without previous keys an old value is refused (the rotation is what keeps it readable)', () => {
    expect(() => createSecretBox(newKey).open(sealedOld)).toThrow(/cannot open/);
  });

  it('refuses a previous key that is not 32 bytes, naming which one', () => {
    expect(() => createSecretBox(newKey, [oldKey, Buffer.alloc(31)])).toThrow(/previous key 2/);
  });

  it('copies the keys: changing the caller\'s buffers afterwards changes nothing', () => {
    const k = Buffer.alloc(32, 4);
    const prev = Buffer.alloc(32, 5);
    const sealedPrev = createSecretBox(prev).seal('p');
    const box = createSecretBox(k, [prev]);
    const sealed = box.seal('c');
    k.fill(0);
    prev.fill(0);
    expect(box.open(sealed)).toBe('c');
    expect(box.open(sealedPrev)).toBe('p');
  });
});
