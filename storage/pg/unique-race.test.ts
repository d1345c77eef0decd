/**
 * Issue 14: a race between two instances on the same e-mail gives one winner and a clear message to
 * the others. Two "instances" = two pools and two stores on one database.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../domain/audit.js';
import type { Citizen } from '../../domain/citizens.js';
import { UniqueViolation, type Mailer, type MailRequest, type Store } from '../../domain/ports.js';
import { cryptoRandom, fakeClock } from '../../domain/random.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { answerIdentityQuestions, completeRegistration, startRegistration, type RegistroDeps } from '../../domain/registro.js';
import { render } from '../../templates/render.js';
import { recordingMailer } from '../../test/helpers/mailer.js';
import { basicData } from '../../test/helpers/people.js';
import { describePg, pgDatabase, type PgDatabase } from '../../test/helpers/postgres.js';
import { DEFAULT_REFERENCE_DATA_DIR, defaultReferenceRegistry } from '../reference/registry.js';
import { openPgStore } from './pg-store.js';
import { createPool } from './pool.js';
import { passwordHasher } from '../password-hasher.js';

const N = 50;
const EMAIL = 'misma.persona@correo.test';

describePg('PostgreSQL unique constraints across instances', () => {
  let db: PgDatabase;
  let otherPool: pg.Pool;
  let a: Store;
  let b: Store;

  beforeEach(async () => {
    db = await pgDatabase();
    otherPool = createPool(db.url, { max: 10 });
    a = await openPgStore({ pool: db.pool });
    b = await openPgStore({ pool: otherPool });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await otherPool.end();
    await db.drop();
  });

  const withEmail = (store: Store) => store.transaction((tx) => tx.collection('citizens').findBy('email', EMAIL));

  it(`${N} parallel puts of citizens with one e-mail from two instances: exactly one succeeds, the others get UniqueViolation(citizens, email)`, async () => {
    const citizen = (i: number) => ({ id: `CC:${1000 + i}`, email: EMAIL, estado: 'pendiente' }) as unknown as Citizen;
    const results = await Promise.allSettled(
      Array.from({ length: N }, (_, i) => (i % 2 === 0 ? a : b).transaction((tx) => tx.collection('citizens').put(citizen(i)))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(N - 1);
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(UniqueViolation);
      expect(r.reason).toMatchObject({ collection: 'citizens', field: 'email' });
    }
    expect(await withEmail(a)).toHaveLength(1);
    expect(await withEmail(b)).toHaveLength(1);
  });

  it(`${N} people completing their registration with one e-mail at once on two instances: one account, the others are told the e-mail is in use`, async () => {
    const reference = defaultReferenceRegistry();
    const persons = (JSON.parse(readFileSync(join(DEFAULT_REFERENCE_DATA_DIR, 'persons.json'), 'utf8')) as { persons: ReferencePerson[] }).persons.slice(0, N);
    expect(persons).toHaveLength(N);
    const clock = fakeClock('2026-11-26T15:00:00.000Z');
    const depsOf = (store: Store): RegistroDeps & { mailer: Mailer & { sent: MailRequest[] } } => ({
      store,
      reference,
      clock,
      random: cryptoRandom,
      mailer: recordingMailer(),
      passwords: passwordHasher,
      publicBaseUrl: 'https://asistente.example/',
    });
    const deps = [depsOf(a), depsOf(b)] as const;
    const actor = (i: number): Actor => ({ ref: `u-race-${i}`, channel: 'webchat' });
    const data = persons.map(basicData);

    // Everyone passes the identity questions first (each on the instance that will complete it).
    for (const [i, d] of data.entries()) {
      const on = deps[i % 2]!;
      const started = await startRegistration(on, d, actor(i));
      if (!started.ok) throw new Error(`person ${i}: ${started.error.code}`);
      const qs = started.value.preguntas;
      const answered = await answerIdentityQuestions(on, d, qs, qs.map((q) => q.correct), actor(i));
      expect(answered.ok).toBe(true);
    }

    const autorizacion = { version: '1.0', aceptadaEn: '2026-11-26T14:59:00.000Z' };
    const results = await Promise.all(
      data.map((d, i) => completeRegistration(deps[i % 2]!, d, { email: EMAIL, celular: '3001234567' }, autorizacion, actor(i))),
    );

    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    const losers = results.filter((r) => !r.ok);
    expect(losers).toHaveLength(N - 1);
    // What the chat tells each of the others (dialogs/registro/registro.dialog.ts on CORREO.EN_USO).
    const said = losers.map((r) => (r.error.code === 'CORREO.EN_USO' ? render('registro/correo-en-uso') : r.error.code));
    for (const message of said) expect(message).toMatch(/^Ese correo ya está registrado por otra persona\./);
    expect(await withEmail(a)).toHaveLength(1);
    // One activation e-mail in all, from the instance that won.
    expect(deps[0].mailer.sent.length + deps[1].mailer.sent.length).toBe(1);
  });
});
