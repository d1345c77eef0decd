/**
 * Figure 1: the cost of a domain write turn (a citizen looked up by e-mail + one audit event) in the
 * real JSON Store (public API only: openJsonStore), with little and with a lot of stored data; the
 * longest event-loop block during the large runs; and opening the large store (start-up load).
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { audit, type Actor } from '../../domain/audit.js';
import type { Citizen } from '../../domain/citizens.js';
import type { EmployerRole } from '../../domain/employers.js';
import type { AuditEvent, Store } from '../../domain/ports.js';
import { cryptoRandom, systemClock } from '../../domain/random.js';
import { openJsonStore } from '../../storage/json-store.js';
import { percentile } from './report.js';

export interface StoreSizes {
  readonly citizens: number;
  readonly audit: number;
  readonly employers: number;
}

export interface WriteTurns {
  readonly turns: number;
  readonly p50: number;
  readonly p99: number;
  /** Longest event-loop block while the turns ran, ms. */
  readonly maxBlockMs: number;
}

const AT = '2026-03-02T15:04:05.000Z';
const actor: Actor = { ref: 'u-bench0001', channel: 'webchat' };

/** The file the app opens in its DATA_DIR (bot/app.ts). */
export const storeFile = (dataDir: string): string => join(dataDir, 'asistente.json');
export const citizenEmail = (i: number): string => `persona.${i}@correo.com`;

export function citizen(i: number): Citizen {
  const numero = String(10_000_000 + i);
  return {
    id: `CC:${numero}`, tipoDocumento: 'CC', numeroDocumento: numero,
    primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'GÓMEZ', segundoApellido: 'OCHOA',
    fechaNacimiento: '1984-07-22', fechaExpedicion: '2002-08-05', sexo: 'F',
    email: citizenEmail(i), celular: '3001234567', estado: 'activo',
    passwordHash: `$argon2id$v=19$m=12288,t=3,p=1$${'a1b2c3d4'.repeat(3)}$${'f0e1d2c3'.repeat(5)}`,
    creadoEn: AT, activadoEn: AT, loginFallidos: 0,
    autorizacionDatos: { version: '2026-01', aceptadaEn: AT, canal: 'webchat' },
  };
}

export function auditEvent(i: number): AuditEvent {
  return { id: `${AT}-ev${i}`, at: AT, actor: `u-${(i % 5000).toString(16).padStart(8, '0')}`, action: 'cuenta.ingreso', channel: 'webchat', subject: 'CC *****456' };
}

export function employer(i: number): EmployerRole {
  const nit = String(800_000_000 + i);
  return {
    id: nit, nit, dv: String(i % 10), razonSocial: `EMPRESA DE PRUEBA ${i} S.A.S.`, naturaleza: '2', rl: `CC:${10_000_000 + i}`, estado: 'activo',
    sede: { nombre: 'Sede principal', departamento: '05', municipio: '05001', direccion: 'Carrera 50 No. 52-10', telefono: '6044445566', email: `notificaciones@empresa${i}.com.co` },
    delegado: {
      tipoDocumento: 'CC', numeroDocumento: String(20_000_000 + i), primerNombre: 'ANDRÉS', segundoNombre: 'FELIPE', primerApellido: 'ZAPATA',
      segundoApellido: 'LONDOÑO', email: `delegado@empresa${i}.com.co`, estado: 'vinculado', citizenId: `CC:${20_000_000 + i}`,
    },
    creadoEn: AT, actualizadoEn: AT,
  };
}

/** Fills an empty store through transactions of `batch` records. */
export async function seed(store: Store, sizes: StoreSizes, batch = 25_000): Promise<void> {
  const fill = async <T>(n: number, make: (i: number) => T, put: (tx: Parameters<Parameters<Store['transaction']>[0]>[0], r: T) => Promise<void>) => {
    for (let i = 0; i < n; i += batch) {
      await store.transaction(async (tx) => {
        for (let j = i; j < Math.min(n, i + batch); j++) await put(tx, make(j));
      });
    }
  };
  await fill(sizes.citizens, citizen, (tx, r) => tx.collection('citizens').put(r));
  await fill(sizes.audit, auditEvent, (tx, r) => tx.collection('audit').put(r));
  await fill(sizes.employers, employer, (tx, r) => tx.collection('employers').put(r));
}

export const openStore = (dataDir: string): Promise<Store> => openJsonStore({ file: storeFile(dataDir) });

/** One domain write turn: who is this e-mail, and the audit event of having asked. */
async function writeTurn(store: Store, email: string): Promise<void> {
  await store.transaction(async (tx) => {
    const [found] = await tx.collection('citizens').findBy('email', email);
    if (!found) throw new Error(`the seeded citizen ${email} is not in the store`);
    await audit(tx, systemClock, cryptoRandom, actor, 'bench.consulta', 'CC *****456');
  });
}

/** Runs write turns one after another: at least `minTurns`, then until `turns` or `budgetMs` is reached. */
export async function measureWrites(store: Store, citizens: number, opts: { turns: number; minTurns: number; budgetMs: number }): Promise<WriteTurns> {
  for (let i = 0; i < 3; i++) await writeTurn(store, citizenEmail(i % citizens)); // warm-up
  (globalThis as { gc?: () => void }).gc?.();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < opts.turns; i++) {
    if (i >= opts.minTurns && performance.now() - start > opts.budgetMs) break;
    const t0 = performance.now();
    await writeTurn(store, citizenEmail((i * 7919) % citizens));
    times.push(performance.now() - t0);
    await new Promise((ok) => setImmediate(ok)); // lets the loop monitor see each turn's blocks apart
  }
  loop.disable();
  times.sort((a, b) => a - b);
  return { turns: times.length, p50: percentile(times, 50), p99: percentile(times, 99), maxBlockMs: loop.max / 1e6 };
}

/** Start-up load: opening the store holding the large data set, and a first lookup in it. */
export async function measureOpen(dataDir: string): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const store = await openStore(dataDir);
  await store.transaction((tx) => tx.collection('citizens').findBy('email', citizenEmail(1)));
  const ms = performance.now() - t0;
  await store.close();
  return ms;
}
