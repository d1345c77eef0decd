/**
 * Goal 1 of the performance issue, measured: the cost of a small domain write (a citizen lookup by
 * e-mail + one audit event) on the JSON store with little and with much data, and the longest
 * event-loop block while it runs. Called by the benchmark (test/bench) and runnable alone:
 * `node --import tsx storage/bench-store.ts`.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AuditEvent, Entity, Store } from '../domain/ports.js';
import { openJsonStore } from './json-store.js';

export interface StoreSize {
  citizens: number;
  audit: number;
  employers: number;
}

export interface StoreWriteFigures {
  size: StoreSize;
  /** Opening the store (snapshot read + indexes), ms. */
  loadMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Longest event-loop block while the writes ran, ms. */
  maxBlockMs: number;
}

export interface StoreWritesReport {
  runs: StoreWriteFigures[];
  /** p50 of the largest size / p50 of the smallest (goal: ≤ 1.25). */
  ratio: number;
  /** The longest event-loop block over all sizes, ms (goal: ≤ 20). */
  maxBlockMs: number;
}

export const GOAL_SIZES: readonly StoreSize[] = [
  { citizens: 100, audit: 100, employers: 100 },
  { citizens: 100_000, audit: 100_000, employers: 10_000 },
];

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();

function citizen(i: number): Entity {
  return {
    id: `CC:${10_000_000 + i}`,
    tipoDocumento: 'CC',
    numeroDocumento: String(10_000_000 + i),
    primerNombre: 'Persona',
    segundoNombre: 'De Prueba',
    primerApellido: 'Apellido',
    segundoApellido: 'Segundo',
    fechaNacimiento: '1985-04-12',
    email: `persona${i}@example.test`,
    celular: `3${String(100_000_000 + i).slice(-9)}`,
    estado: 'activo',
    passwordHash: `$argon2id$v=19$m=12288,t=3,p=1$${'s'.repeat(22)}$${'h'.repeat(43)}`,
    creadoEn: at(i),
    activadoEn: at(i + 1),
    loginFallidos: 0,
    autorizacionDatos: { version: '2026-01', aceptadaEn: at(i), canal: 'webchat' },
  } as Entity;
}

function auditEvent(i: number): AuditEvent {
  return { id: `ev-${i}`, at: at(i), actor: `actor-${i % 5_000}`, action: 'conversation.started', channel: 'webchat', subject: `CC *****${i % 1000}` };
}

function employer(i: number): Entity {
  return { id: String(900_000_000 + i), nit: String(900_000_000 + i), razonSocial: `Empresa ${i} S.A.S.`, representante: `CC:${10_000_000 + i}`, estado: 'activo', creadoEn: at(i) } as Entity;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function seededStore(dir: string, size: StoreSize): Promise<{ store: Store; loadMs: number }> {
  const file = join(dir, 'asistente.json');
  const data = {
    citizens: Array.from({ length: size.citizens }, (_, i) => citizen(i)),
    audit: Array.from({ length: size.audit }, (_, i) => auditEvent(i)),
    employers: Array.from({ length: size.employers }, (_, i) => employer(i)),
  };
  // On disk before the clock starts, as a store is at start-up (no write-back of the seed meanwhile).
  const fh = await open(file, 'wx', 0o600);
  await fh.writeFile(JSON.stringify(data));
  await fh.sync();
  await fh.close();
  const started = performance.now();
  const store = await openJsonStore({ file });
  return { store, loadMs: performance.now() - started };
}

interface Opened {
  size: StoreSize;
  dir: string;
  store: Store;
  loadMs: number;
  next: number;
  times: number[];
}

async function openSeeded(size: StoreSize): Promise<Opened> {
  const dir = await mkdtemp(join(tmpdir(), 'ccf-bench-store-'));
  const { store, loadMs } = await seededStore(dir, size);
  return { size, dir, store, loadMs, next: size.audit, times: [] };
}

/** One small domain write: the citizen by e-mail (findBy), then one audit event. */
function write(o: Opened): Promise<void> {
  return o.store.transaction(async (tx) => {
    const i = o.next++;
    const [found] = await tx.collection('citizens').findBy('email', `persona${i % o.size.citizens}@example.test`);
    await tx.collection('audit').put({ ...auditEvent(i), subject: found ? 'CC *****000' : 'nadie' });
  });
}

/**
 * Goal 1: p50 of a small write on each size, the ratio largest/smallest and the longest event-loop
 * block. The sizes are open together and written in alternating rounds, so that noise of the
 * machine (other processes, disk write-back) falls on all of them alike.
 */
export async function measureStoreWrites(opts: { sizes?: readonly StoreSize[]; writes?: number; warmup?: number; rounds?: number } = {}): Promise<StoreWritesReport> {
  const sizes = opts.sizes ?? GOAL_SIZES;
  const writes = opts.writes ?? 1_000;
  const rounds = opts.rounds ?? 10;
  const opened: Opened[] = [];
  try {
    for (const size of sizes) opened.push(await openSeeded(size));
    for (const o of opened) for (let i = 0; i < (opts.warmup ?? 50); i++) await write(o);
    // A fresh histogram for each stretch of writes: one disabled and enabled again counts the time it
    // was off (while the other sizes were written) as one long delay, a block that never happened.
    const maxBlock = opened.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      for (const [k, o] of opened.entries()) {
        const block = monitorEventLoopDelay({ resolution: 1 });
        block.enable();
        for (let i = 0; i < Math.ceil(writes / rounds); i++) {
          const started = performance.now();
          await write(o);
          o.times.push(performance.now() - started);
        }
        block.disable();
        maxBlock[k] = Math.max(maxBlock[k]!, block.max / 1e6);
      }
    }
    const runs = opened.map((o, k): StoreWriteFigures => {
      const sorted = [...o.times].sort((a, b) => a - b);
      return { size: o.size, loadMs: o.loadMs, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxBlockMs: maxBlock[k]! };
    });
    return { runs, ratio: runs.at(-1)!.p50Ms / runs[0]!.p50Ms, maxBlockMs: Math.max(...runs.map((r) => r.maxBlockMs)) };
  } finally {
    for (const o of opened) {
      await o.store.close();
      await rm(o.dir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await measureStoreWrites();
  for (const r of report.runs) {
    console.log(`${r.size.citizens} citizens, ${r.size.audit} audit, ${r.size.employers} employers: load ${r.loadMs.toFixed(0)} ms, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, max block ${r.maxBlockMs.toFixed(1)} ms`);
  }
  console.log(`ratio ${report.ratio.toFixed(2)} (goal ≤ 1.25), max block ${report.maxBlockMs.toFixed(1)} ms (goal ≤ 20)`);
}
