import { describe, expect, it } from 'vitest';
import { cryptoRandom, pooledRandomBytes } from './random.js';

describe('pooledRandomBytes', () => {
  it('hands out each byte of the pool once, across refills, as copies', () => {
    const seen = new Set<string>();
    let zeros = 0;
    let bytes = 0;
    // 12-byte draws do not divide the 4 KB pool: the draws cross several refills.
    for (let i = 0; i < 2000; i++) {
      const b = pooledRandomBytes(12);
      expect(b.length).toBe(12);
      seen.add(b.toString('hex'));
      for (const x of b) if (x === 0) zeros++;
      bytes += b.length;
      b.fill(0); // the caller owns its copy: the next draws are not affected
    }
    expect(seen.size).toBe(2000);
    // Uniform bytes: about 1 in 256 is zero; handing out the cleared part of the pool would show far more.
    expect(zeros).toBeLessThan(bytes / 64);
  });

  it('gives any size asked, larger ones straight from the CSPRNG', () => {
    expect(pooledRandomBytes(0).length).toBe(0);
    expect(pooledRandomBytes(64).length).toBe(64);
    const big = pooledRandomBytes(100);
    expect(big.length).toBe(100);
    expect(big.equals(Buffer.alloc(100))).toBe(false);
  });

  it('backs the production tokens', () => {
    const a = cryptoRandom.token();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(cryptoRandom.token()).not.toBe(a);
  });
});
