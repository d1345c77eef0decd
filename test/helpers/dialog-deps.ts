/** Everything the main dialog needs, in memory, with a fake clock and seeded randomness. */
import { randomBytes } from 'node:crypto';
import { AutoSaveStateMiddleware, MemoryStorage, UserState } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Mailer, MailRequest } from '../../domain/ports.js';
import { fakeClock, seededRandom } from '../../domain/random.js';
import type { Session } from '../../domain/session.js';
import { MainDialog, type MainDialogDeps } from '../../dialogs/main.dialog.js';
import { createMemoryStore } from '../../storage/memory-store.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { createSecretBox } from '../../storage/secret-box.js';

/** A Mailer that keeps what it was asked to send. */
export function recordingMailer(): Mailer & { sent: MailRequest[] } {
  const sent: MailRequest[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
      return { messageId: `<m${sent.length}@test>`, location: 'memory' };
    },
  };
}

export function dialogDeps(start = '2026-11-26T15:00:00.000Z', seed = 7) {
  const storage = new MemoryStorage();
  const userState = new UserState(storage);
  const clock = fakeClock(start);
  const mailer = recordingMailer();
  const deps = {
    store: createMemoryStore(),
    reference: defaultReferenceRegistry(),
    clock,
    random: seededRandom(seed),
    mailer,
    publicBaseUrl: 'http://localhost:3978',
    secrets: createSecretBox(randomBytes(32)),
    session: userState.createProperty<Session | undefined>('sesion'),
  } satisfies MainDialogDeps;
  return { deps, clock, mailer, userState };
}

/** A DialogTestClient over the main dialog, with user state saved every turn. */
export function mainClient(setup = dialogDeps()): DialogTestClient {
  return new DialogTestClient('test', new MainDialog(setup.deps), undefined, [new AutoSaveStateMiddleware(setup.userState)]);
}
