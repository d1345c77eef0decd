/**
 * What the journey's login costs in password hashing: the CPU time of one check with the
 * assistant's own scrypt parameters (domain/password.ts), measured here, outside the bot process.
 */
import { hashPassword, verifyPassword } from '../../domain/password.js';

const PASSWORD = 'Guayacan-Florido-2026';

export async function passwordCheckCpu(checks = 5): Promise<{ ms: number; params: string }> {
  const stored = await hashPassword(PASSWORD);
  const [, n, r, p] = stored.split('$');
  // The first checks of a process also fault in scrypt's 16 MB (the allocator then keeps it), as the assistant's did long before.
  for (let i = 0; i < 3; i++) await verifyPassword(PASSWORD, stored);
  const before = process.cpuUsage(); // every thread: scrypt runs in libuv's pool
  for (let i = 0; i < checks; i++) {
    if (!(await verifyPassword(PASSWORD, stored))) throw new Error('the password check failed');
  }
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000 / checks, params: `scrypt N=${n}, r=${r}, p=${p}` };
}
