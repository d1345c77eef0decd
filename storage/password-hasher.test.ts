import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ARGON2ID, passwordHasher } from './password-hasher.js';

/** A hash as earlier versions stored it: `scrypt$N$r$p$salt$hash` (N=16384, r=8, p=1). */
function legacyScrypt(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

describe('password hashes (Argon2id)', () => {
  it('stores a salted Argon2id hash with one of OWASP’s configurations (12 MiB, 3 passes, 1 lane), in PHC format', async () => {
    const stored = await passwordHasher.hash('Kx7mPq29Lz');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(ARGON2ID).toEqual({ memoryCost: 12288, timeCost: 3, parallelism: 1 });
    expect(stored).not.toContain('Kx7mPq29Lz');
    expect(passwordHasher.outdated(stored)).toBe(false);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await passwordHasher.hash('Kx7mPq29Lz');
    expect(await passwordHasher.verify('Kx7mPq29Lz', stored)).toBe(true);
    expect(await passwordHasher.verify('Kx7mPq29Lx', stored)).toBe(false);
    expect(await passwordHasher.verify('kx7mpq29lz', stored)).toBe(false);
    expect(await passwordHasher.verify('', stored)).toBe(false);
  });

  it('uses a new salt every time', async () => {
    const [a, b] = await Promise.all([passwordHasher.hash('Kx7mPq29Lz'), passwordHasher.hash('Kx7mPq29Lz')]);
    expect(a).not.toBe(b);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await passwordHasher.hash('Montaña-roja-58'.normalize('NFC'));
    expect(await passwordHasher.verify('Montaña-roja-58'.normalize('NFD'), stored)).toBe(true);
  });

  it('the decoy has the current parameters and verifies no password', async () => {
    expect(passwordHasher.outdated(passwordHasher.decoy)).toBe(false);
    for (const password of ['', 'Kx7mPq29Lz', 'Guayacan-Florido-2026']) expect(await passwordHasher.verify(password, passwordHasher.decoy)).toBe(false);
  });

  it.each([
    '',
    'plain-text',
    'bcrypt$10$abc',
    '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA',
    '$argon2id$v=19$m=19456,t=2,p=1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=19456,t=2$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=19456,t=2,t=2$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', // 4 GiB
    '$argon2id$v=19$m=19456,t=1000,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=19456,t=2,p=64$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAA',
    'scrypt$16384$8$1$c2FsdA==',
    'scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAA==',
    'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAA==',
    'scrypt$16384$8$1$$AAAAAAAAAAAAAAAAAAAAAA==',
  ])('a malformed or out-of-bounds stored hash %j never verifies and is outdated', async (stored) => {
    expect(await passwordHasher.verify('Kx7mPq29Lz', stored)).toBe(false);
    expect(passwordHasher.outdated(stored)).toBe(true);
  });

  it('a tampered hash does not verify', async () => {
    const stored = await passwordHasher.hash('Kx7mPq29Lz');
    const parts = stored.split('$');
    const key = Buffer.from(parts[5]!, 'base64');
    key[0] = key[0]! ^ 1;
    parts[5] = key.toString('base64').replace(/=+$/, '');
    expect(await passwordHasher.verify('Kx7mPq29Lz', parts.join('$'))).toBe(false);
  });

  it('a hash with other Argon2id parameters (the earlier versions’ 19 MiB × 2 passes) still verifies, and is outdated', async () => {
    const { hash } = await import('@node-rs/argon2');
    const stored = await hash('Kx7mPq29Lz', { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwordHasher.verify('Kx7mPq29Lz', stored)).toBe(true);
    expect(await passwordHasher.verify('Kx7mPq29Lx', stored)).toBe(false);
    expect(passwordHasher.outdated(stored)).toBe(true);
  });

  it('an earlier version’s scrypt hash still verifies, accents alike, and is outdated', async () => {
    const stored = legacyScrypt('Montaña-roja-58');
    expect(await passwordHasher.verify('Montaña-roja-58'.normalize('NFD'), stored)).toBe(true);
    expect(await passwordHasher.verify('Montana-roja-58', stored)).toBe(false);
    expect(passwordHasher.outdated(stored)).toBe(true);
  });
});
