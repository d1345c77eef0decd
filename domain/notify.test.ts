import { describe, expect, it } from 'vitest';
import type { Actor } from './audit.js';
import { sendAllAndRecord, sendAndRecord } from './notify.js';
import type { Mailer, MailRequest, Store } from './ports.js';
import { fakeClock, seededRandom } from './random.js';
import { createMemoryStore } from '../storage/memory-store.js';

const actor: Actor = { ref: 'u-1', channel: 'webchat' };
const mail = (to: string, template = 'empleador-registrado'): MailRequest => ({ to, template, data: {} });

/** A mailer whose sends stay pending until released; `to` addresses in `failing` are refused. */
function heldMailer(failing: readonly string[] = []) {
  const started: string[] = [];
  const release: (() => void)[] = [];
  const mailer: Mailer = {
    send: (m) =>
      new Promise((ok, fail) => {
        started.push(m.to);
        release.push(() => (failing.includes(m.to) ? fail(new Error('SMTP 550')) : ok({ messageId: `<${m.to}>`, location: 'memory' })));
      }),
  };
  return { mailer, started, releaseAll: () => release.splice(0).forEach((r) => r()) };
}

/** The real memory store, counting the transactions run on it. */
function countingStore() {
  const inner = createMemoryStore();
  let transactions = 0;
  const store: Store = {
    transaction: (work, options) => {
      transactions++;
      return inner.transaction(work, options);
    },
    sync: () => inner.sync(),
    health: () => inner.health(),
    close: () => inner.close(),
  };
  return { store, count: () => transactions };
}

const deps = (store: Store, mailer: Mailer) => ({ store, mailer, clock: fakeClock(new Date('2026-12-05T10:00:00Z')), random: seededRandom(3) });
const auditOf = (store: Store) => store.transaction((tx) => tx.collection('audit').list());

describe('sendAllAndRecord', () => {
  it('sends every mail at once and records them all in one transaction, in order', async () => {
    const { store, count } = countingStore();
    const held = heldMailer();
    const done = sendAllAndRecord(deps(store, held.mailer), actor, [
      { mail: mail('sede@empresa.com.co'), subject: 'NIT 890900841' },
      { mail: mail('delegado@empresa.com.co', 'delegado-invitacion'), subject: 'NIT 890900841', persona: 'CC:123' },
    ]);
    await new Promise((ok) => setImmediate(ok));
    // The second is on its way before the first is answered.
    expect(held.started).toEqual(['sede@empresa.com.co', 'delegado@empresa.com.co']);
    held.releaseAll();
    expect(await done).toEqual([true, true]);
    expect(count()).toBe(1);
    const events = await auditOf(store);
    expect(events.map((e) => [e.action, e.detail?.['plantilla'], e.detail?.['destino']])).toEqual([
      ['correo.enviado', 'empleador-registrado', 's***@empresa.com.co'],
      ['correo.enviado', 'delegado-invitacion', 'd***@empresa.com.co'],
    ]);
  });

  it('reports and audits a refused mail in its place, the others still sent', async () => {
    const { store } = countingStore();
    const held = heldMailer(['b@correo.com']);
    const done = sendAllAndRecord(deps(store, held.mailer), actor, ['a@correo.com', 'b@correo.com', 'c@correo.com'].map((to) => ({ mail: mail(to), subject: 'NIT 1' })));
    await new Promise((ok) => setImmediate(ok));
    held.releaseAll();
    expect(await done).toEqual([true, false, true]);
    expect((await auditOf(store)).map((e) => e.action)).toEqual(['correo.enviado', 'correo.no_enviado', 'correo.enviado']);
  });

  it('does nothing for no mail', async () => {
    const { store, count } = countingStore();
    expect(await sendAllAndRecord(deps(store, heldMailer().mailer), actor, [])).toEqual([]);
    expect(count()).toBe(0);
  });

  it('sendAndRecord tells whether its one mail went', async () => {
    const { store } = countingStore();
    const held = heldMailer(['no@correo.com']);
    const d = deps(store, held.mailer);
    for (const [to, expected] of [['ok@correo.com', true], ['no@correo.com', false]] as const) {
      const done = sendAndRecord(d, actor, mail(to), 'NIT 1', 'CC:9');
      await new Promise((ok) => setImmediate(ok));
      held.releaseAll();
      expect(await done).toBe(expected);
    }
    const events = await auditOf(store);
    expect(events.map((e) => e.action)).toEqual(['correo.enviado', 'correo.no_enviado']);
    const personas = await store.transaction((tx) => tx.collection('auditoriaPersonas').list());
    expect(personas.map((p) => [p.eventoId, p.persona])).toEqual(events.map((e) => [e.id, 'CC:9']));
  });
});
