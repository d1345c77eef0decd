/**
 * What the journey's login costs in password hashing: the CPU time of one check with the
 * assistant's own hasher and parameters (storage/password-hasher.ts), measured here, outside the bot process.
 */
import { ARGON2ID, passwordHasher } from '../../storage/password-hasher.js';

const PASSWORD = 'Guayacan-Florido-2026';

export async function passwordCheckCpu(checks = 5): Promise<{ ms: number; params: string }> {
  const stored = await passwordHasher.hash(PASSWORD);
  // The first checks start the hashing threads and fault in the hash's memory (each thread's allocator then keeps it), as the assistant's did long before.
  for (let i = 0; i < 3; i++) await passwordHasher.verify(PASSWORD, stored);
  const before = process.cpuUsage(); // every thread: the hash runs on the password threads (storage/password-threads.ts)
  for (let i = 0; i < checks; i++) {
    if (!(await passwordHasher.verify(PASSWORD, stored))) throw new Error('the password check failed');
  }
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000 / checks, params: `Argon2id m=${ARGON2ID.memoryCost} KiB, t=${ARGON2ID.timeCost}, p=${ARGON2ID.parallelism}` };
}
