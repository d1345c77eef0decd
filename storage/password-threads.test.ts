import { describe, expect, it } from 'vitest';
import { passwordHasher } from './password-hasher.js';
import { HASH_THREAD_NICE } from './password-threads.js';
import { niceOfEventLoop, niceOfThreadsNamed, threadsOfProcess } from '../test/helpers/threads.js';

describe('password hashing on threads of its own', () => {
  it('hashes and checks as before, several at once', async () => {
    const stored = await passwordHasher.hash('Guayacan-Florido-2026');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    const checks = await Promise.all(['Guayacan-Florido-2026', 'otra-clave-2026', 'Guayacan-Florido-2026'].map((p) => passwordHasher.verify(p, stored)));
    expect(checks).toEqual([true, false, true]);
    expect(await passwordHasher.verify('Guayacan-Florido-2026', `${stored.slice(0, -4)}AAAA`)).toBe(false);
  });

  it.runIf(process.platform === 'linux')(`runs below the event loop's priority (nice ${HASH_THREAD_NICE}), the event loop unchanged; named ccf-password`, async () => {
    await passwordHasher.hash('Guayacan-Florido-2026');
    expect([...threadsOfProcess().values()].filter((t) => t.name === 'ccf-password').length).toBeGreaterThanOrEqual(2);
    expect(niceOfThreadsNamed('ccf-password')).toEqual([HASH_THREAD_NICE]);
    expect(niceOfEventLoop()).toBe(0);
  });
});
