/** Everything the main dialog needs, in memory, with a fake clock and seeded randomness. */
import { randomBytes } from 'node:crypto';
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, UserState, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { fakeClock, seededRandom } from '../../domain/random.js';
import type { Session } from '../../domain/session.js';
import type { PruebaConexion, ResultadoPrueba } from '../../domain/ports.js';
import { openApiReader } from '../../storage/openapi.js';
import { MainDialog, type MainDialogDeps } from '../../dialogs/main.dialog.js';
import { createMemoryStore } from '../../storage/memory-store.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { createSecretBox } from '../../storage/secret-box.js';
import { passwordHasher } from '../../storage/password-hasher.js';
import { createMemoryBlobStore } from '../../storage/blob-store.js';
import { staffDirectory } from '../../domain/staff.js';
import { recordingMailer } from './mailer.js';

export { recordingMailer };

/** Files "attached" in transcripts: `contentUrl: 'test:<name>'` is served from this map. */
export const testFiles = new Map<string, Uint8Array>();

/** A Notifier that remembers who logged in and records the notices. */
export function recordingNotifier() {
  const known = new Set<string>();
  const notices: { citizenId: string; text: string }[] = [];
  return {
    known,
    notices,
    async remember(_context: unknown, citizenId: string) {
      known.add(citizenId);
    },
    async notify(citizenId: string, text: string) {
      if (!known.has(citizenId)) return false;
      notices.push({ citizenId, text });
      return true;
    },
    /** Activities sent to other conversations (a handoff's other side), by the conversation's id. */
    delivered: [] as { conversation: string; activities: Partial<Activity>[] }[],
    async deliver(referencia: Readonly<Record<string, unknown>>, activities: readonly Partial<Activity>[]) {
      const conversation = String((referencia['conversation'] as { id?: string } | undefined)?.id ?? '');
      this.delivered.push({ conversation, activities: [...activities] });
      return true;
    },
  };
}

/** A ConnectionTester that records what it was asked and answers what the test sets (default: both stages ok). */
export function scriptedTester() {
  const calls: PruebaConexion[] = [];
  let next: ResultadoPrueba = { token: { ok: true, status: 200, ms: 12, bytes: 320 }, servicio: { ok: true, status: 200, ms: 34, bytes: 2048 } };
  return {
    calls,
    answer(r: ResultadoPrueba) {
      next = r;
    },
    async test(p: PruebaConexion): Promise<ResultadoPrueba> {
      calls.push(p);
      return next;
    },
  };
}

export function dialogDeps(start = '2026-11-26T15:00:00.000Z', seed = 7, staff: { admins?: string[]; helpdesk?: string[] } = {}) {
  const storage = new MemoryStorage();
  const userState = new UserState(storage);
  const conversationState = new ConversationState(storage);
  const clock = fakeClock(start);
  const mailer = recordingMailer();
  const notifier = recordingNotifier();
  const deps = {
    store: createMemoryStore(),
    reference: defaultReferenceRegistry(),
    clock,
    random: seededRandom(seed),
    mailer,
    passwords: passwordHasher,
    publicBaseUrl: 'http://localhost:3978',
    secrets: createSecretBox(randomBytes(32)),
    session: userState.createProperty<Session | undefined>('sesion'),
    blobs: createMemoryBlobStore(),
    staff: staffDirectory({ admins: staff.admins ?? [], helpdesk: staff.helpdesk ?? [] }),
    download: async (attachment, maxBytes) => {
      const bytes = testFiles.get(String(attachment.contentUrl ?? '').replace(/^test:/, ''));
      if (!bytes) return { ok: false, error: { code: 'attachment.download' } };
      if (bytes.byteLength > maxBytes) return { ok: false, error: { code: 'rut.muy_grande' } };
      return { ok: true, value: { bytes, name: attachment.name ?? 'archivo' } };
    },
    rutLink: (sha256: string) => `http://localhost:3978/archivos/rut/${sha256}?exp=1&sig=prueba`,
    notifier,
    openapi: openApiReader(),
    tester: scriptedTester(),
    docLink: (_citizenId: string, nit: string, servicioId: string) => `http://localhost:3978/servicios/documentacion/${servicioId}?c=${nit}&p=test&exp=0&sig=test`,
  } satisfies MainDialogDeps;
  return { deps, clock, mailer, userState, conversationState, notifier };
}

/** A DialogTestClient over the main dialog, with user state saved every turn. */
export function mainClient(setup = dialogDeps()): DialogTestClient {
  return new DialogTestClient('test', new MainDialog(setup.deps), undefined, [new AutoSaveStateMiddleware(setup.userState, setup.conversationState)]);
}
