/**
 * The account pages (/cuenta/activar, /cuenta/restablecer) on restify at 127.0.0.1, with the real
 * use cases of domain/cuenta.ts on an in-memory store, and a way to seed a citizen with a link.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { registerAccountPages } from '../../bot/account-pages.js';
import { createLogger } from '../../bot/log.js';
import type { AccountToken, Citizen } from '../../domain/citizens.js';
import type { CuentaDeps } from '../../domain/cuenta.js';
import type { MailRequest, Mailer, Store } from '../../domain/ports.js';
import { fakeClock, seededRandom } from '../../domain/random.js';
import { createMemoryStore } from '../../storage/memory-store.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { passwordHasher } from '../../storage/password-hasher.js';

const HOUR = 3_600_000;

export interface AccountPages {
  url: string;
  store: Store;
  clock: ReturnType<typeof fakeClock>;
  deps: CuentaDeps;
  mails: MailRequest[];
  /** Every log line the pages wrote (level debug). */
  logs: string[];
  /** From now on every transaction fails, as a broken disk would. */
  breakStore(): void;
  close(): Promise<void>;
}

/** Starts the pages on a free port; with `mailDown`, every mail fails as an SMTP server that is down. */
export async function startAccountPages(opts: { mailDown?: boolean } = {}): Promise<AccountPages> {
  const real = createMemoryStore();
  let broken = false;
  // A store that can be made to fail (an infrastructure fault) after the seed.
  const store: Store = {
    transaction: (work, options) => (broken ? Promise.reject(new Error('disk I/O error')) : real.transaction(work, options)),
    sync: () => real.sync(),
    health: () => real.health(),
    close: () => real.close(),
  };
  const clock = fakeClock('2026-02-10T15:00:00.000Z');
  const mails: MailRequest[] = [];
  const mailer: Mailer = {
    async send(mail) {
      if (opts.mailDown) throw new Error('SMTP 421 service not available');
      mails.push(mail);
      return { messageId: `<m${mails.length}@prueba>`, location: 'memoria' };
    },
  };
  const logs: string[] = [];
  const log = createLogger('debug', {}, (line) => logs.push(line));
  const deps: CuentaDeps = { store, reference: defaultReferenceRegistry(), clock, random: seededRandom(7), mailer, passwords: passwordHasher, publicBaseUrl: 'http://127.0.0.1:3978' };

  // As the composition root does: query and body parsers for the whole server.
  const server = restify.createServer({ name: 'cuenta-prueba', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 6 * 1024 * 1024, mapFiles: false }));
  registerAccountPages(server, { cuenta: deps, log });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    clock,
    deps,
    mails,
    logs,
    breakStore: () => {
      broken = true;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

let seq = 0;

/** A pending citizen (José Alejandro Restrepo Muñoz, a fresh document number) and a one-time link. */
export async function seedLink(
  h: Pick<AccountPages, 'store' | 'clock'>,
  opts: { tipo?: AccountToken['tipo']; validForMs?: number; primerNombre?: string } = {},
): Promise<{ token: string; citizenId: string; numero: string }> {
  seq += 1;
  const tipo = opts.tipo ?? 'activacion';
  const numero = String(70_123_456 + seq);
  const token = createHash('sha256').update(`enlace-${seq}`).digest('base64url');
  const now = h.clock.now();
  const citizen: Citizen = {
    id: `CC:${numero}`,
    tipoDocumento: 'CC',
    numeroDocumento: numero,
    primerNombre: opts.primerNombre ?? 'JOSÉ',
    segundoNombre: 'ALEJANDRO',
    primerApellido: 'RESTREPO',
    segundoApellido: 'MUÑOZ',
    fechaNacimiento: '1968-03-14',
    fechaExpedicion: '1986-05-20',
    sexo: 'M',
    email: `jose.restrepo.${seq}@correo.example`,
    celular: '3001234567',
    estado: tipo === 'activacion' ? 'pendiente' : 'activo',
    creadoEn: now.toISOString(),
    ...(tipo !== 'activacion' ? { activadoEn: now.toISOString(), passwordHash: 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } : {}),
    loginFallidos: 0,
  };
  const link: AccountToken = {
    id: createHash('sha256').update(token).digest('hex'),
    tipo,
    citizenId: citizen.id,
    creadoEn: now.toISOString(),
    expira: new Date(now.getTime() + (opts.validForMs ?? 24 * HOUR)).toISOString(),
  };
  await h.store.transaction(async (tx) => {
    await tx.collection('citizens').put(citizen);
    await tx.collection('accountTokens').put(link);
  });
  return { token, citizenId: citizen.id, numero };
}
