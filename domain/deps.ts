/** The collaborators every use case works with; a process's deps extend these with its own. */
import type { Clock, Mailer, PasswordHasher, Random, Store } from './ports.js';
import type { ReferenceRegistry } from './reference.js';

export interface CoreDeps {
  store: Store;
  reference: ReferenceRegistry;
  clock: Clock;
  random: Random;
  mailer: Mailer;
  /** Password hashes (citizens' passwords, the CCFs' web-service passwords). */
  passwords: PasswordHasher;
  /** Where the assistant is reached; links in e-mails start with it. */
  publicBaseUrl: string;
}
