/**
 * Figure 2: turns per second of the scripted journey at a fixed concurrency, against the echo bot
 * measured the same way; and latency at human pace (each conversation one message every 2 s).
 * The bots run in a child process (serve.ts); this process is the load generator and the connector.
 */
import { rm } from 'node:fs/promises';
import { tempDir } from '../helpers/app.js';
import { serve, type CpuSplit } from './child.js';
import { Conversation, startConnector, type TurnResult } from './connector.js';
import { activate, casts, journey, OutboxIndex } from './journey.js';
import { writeBenchReferenceData } from './reference-data.js';
import { percentile } from './report.js';

export interface Throughput {
  readonly turns: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * The bot process's CPU time (all its threads) per turn: steadier than turns per second on a
 * shared machine, where the baseline itself swings between runs.
 */
export interface CpuPerTurn {
  readonly cpuPerTurn: number;
  /** Of it, the event loop's thread alone (undefined where the system does not tell). */
  readonly mainPerTurn: number | undefined;
}

/** `a` and `b` combined by `op`, field by field (the event loop's share only when both have it). */
function combine(a: CpuSplit, b: CpuSplit, op: (x: number, y: number) => number): CpuSplit {
  return { all: op(a.all, b.all), main: a.main === null || b.main === null ? null : op(a.main, b.main) };
}
/** CPU used between two readings. */
const between = (earlier: CpuSplit, later: CpuSplit): CpuSplit => combine(later, earlier, (x, y) => x - y);

function perTurn(used: CpuSplit, turns: number): CpuPerTurn {
  return { cpuPerTurn: used.all / turns, mainPerTurn: used.main === null ? undefined : used.main / turns };
}

function summary(times: number[], seconds: number): Throughput {
  const sorted = [...times].sort((a, b) => a - b);
  return { turns: times.length, perSecond: times.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** One half of the journey over its window: turns per second, and the CPU each turn took. */
export interface Half extends CpuPerTurn {
  readonly perSecond: number;
  readonly loadPerTurn: number;
  /** This half's turns in one person's journey. */
  readonly turnsPerJourney: number;
}

export interface JourneyBackend {
  /** A fresh backend for the run: the environment the assistant starts with, and how to remove it. */
  prepare(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

/**
 * Steady state, as the echo bot is measured: `concurrency` conversations at once on one warm
 * assistant process and data directory, each bringing one person after another through a half of
 * the journey and starting the next person as soon as the last one's final reply came. No
 * conversation waits for another. Registration is once per person: every journey its own person,
 * so the bench makes up `people` legal representatives and their companies in a reference data set
 * of its own (reference-data.ts: the committed one and more of the same shape), which the assistant
 * is started with.
 *
 * The journey runs in its two halves: everyone registers (welcome … "pendiente de activación");
 * then every account is activated through the e-mail's link (a web page, not a chat turn: not
 * timed, as the journey does not name it); then everyone goes on in the same conversation
 * (login … "¿en qué voy?"). In each half the window opens after the warm-up — `warmup` people
 * through it, and every conversation its first — as the echo bot is measured after its own
 * warm-up (a process that has just started runs its code unoptimized for thousands of turns and
 * compiles it on other threads meanwhile) and closes when the first conversation finds no one
 * left, so all `concurrency` conversations are busy for the whole window; the turns answered
 * inside the two windows are counted over their time.
 */
export async function journeyThroughput(
  concurrency: number,
  people: number,
  warmup: number,
  backend?: JourneyBackend,
  /** Run between the halves, the assistant idle (e.g. the echo bot measured again, closer in time to each half). */
  between?: () => Promise<void>,
): Promise<Throughput & CpuPerTurn & { loadPerTurn: number; halves: { registration: Half; employer: Half }; turnsPerJourney: number; people: number; warmup: number }> {
  const connector = await startConnector();
  const dataDir = await tempDir('asistente-bench-journey-');
  const referenceDir = await writeBenchReferenceData(await tempDir('asistente-bench-reference-'), people);
  const prepared = await backend?.prepare();
  const everyone = await casts(people, 'bench', referenceDir);
  const warm = Math.max(concurrency, Math.min(warmup, everyone.length - concurrency * 3));
  if (everyone.length < warm + concurrency * 3) throw new Error(`the journey needs at least ${warm + concurrency * 3} people, the reference data gives ${everyone.length}`);
  try {
    const app = await serve('app', dataDir, { ...prepared?.env, BENCH_REFERENCE_DIR: referenceDir });
    try {
      const convs = everyone.map((_, i) => new Conversation(app.url, connector, `journey-${i}`));
      // CPU per turn over each half's window, as the turns are counted: the warm-up journeys fall before it.
      const first = await steadyWindow(concurrency, everyone.length, warm, (i, record) => journey.register(convs[i]!, everyone[i]!, record), app.cpu);
      const outbox = new OutboxIndex(dataDir);
      await inParallel(everyone.length, 4, (i) => activate(app.url, outbox, everyone[i]!.email));
      await between?.();
      const second = await steadyWindow(concurrency, everyone.length, warm, (i, record) => journey.employer(convs[i]!, everyone[i]!, record), app.cpu);
      const half = (h: { times: number[]; seconds: number; cpu: CpuSplit; loadMs: number; all: number }): Half => ({
        perSecond: h.times.length / h.seconds,
        ...perTurn(h.cpu, h.times.length),
        loadPerTurn: h.loadMs / h.times.length,
        turnsPerJourney: h.all / everyone.length,
      });
      return {
        ...summary([...first.times, ...second.times], first.seconds + second.seconds),
        ...perTurn(combine(first.cpu, second.cpu, (x, y) => x + y), first.times.length + second.times.length),
        loadPerTurn: (first.loadMs + second.loadMs) / (first.times.length + second.times.length),
        halves: { registration: half(first), employer: half(second) },
        turnsPerJourney: (first.all + second.all) / everyone.length,
        people: everyone.length,
        warmup: warm,
      };
    } finally {
      await app.stop();
    }
  } finally {
    await prepared?.drop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(referenceDir, { recursive: true, force: true });
    await connector.close();
  }
}

/** Runs `work(0 … count-1)`, at most `width` at once. */
async function inParallel(count: number, width: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/**
 * Runs `work(0 … count-1)` on `concurrency` workers, each taking the next index when its last is
 * done; returns the latencies of the turns answered after the warm-up (the first `warmup` indices
 * done, and every worker's first) and before any worker found the queue empty, so all workers are
 * busy for the whole window; that window's length, and the bot's CPU time
 * (`cpu`, read when the window opens and when it closes: all threads, and the event loop's) and
 * this process's (`loadMs`: the load generator's and the connector's) over it; `all` counts every turn.
 */
async function steadyWindow(
  concurrency: number,
  count: number,
  warmup: number,
  work: (index: number, record: (t: TurnResult) => void) => Promise<void>,
  cpu: () => Promise<CpuSplit>,
): Promise<{ times: number[]; seconds: number; cpu: CpuSplit; loadMs: number; all: number }> {
  const ended: { at: number; ms: number }[] = [];
  const record = (t: TurnResult) => ended.push({ at: performance.now(), ms: t.ms });
  let opened = Number.POSITIVE_INFINITY;
  let closed = Number.POSITIVE_INFINITY;
  let cpuAtOpen: Promise<CpuSplit> | undefined;
  let cpuAtClose: Promise<CpuSplit> | undefined;
  let loadAtOpen: NodeJS.CpuUsage | undefined;
  let loadUsed: NodeJS.CpuUsage | undefined;
  let warming = concurrency;
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let own = 0; ; own++) {
        if (next >= count) {
          if (closed === Number.POSITIVE_INFINITY) {
            closed = performance.now();
            cpuAtClose = cpu();
            loadUsed = process.cpuUsage(loadAtOpen);
          }
          return;
        }
        await work(next++, record);
        if (own === 0) warming--;
        if (++done >= warmup && warming === 0 && opened === Number.POSITIVE_INFINITY) {
          opened = performance.now();
          cpuAtOpen = cpu();
          loadAtOpen = process.cpuUsage();
        }
      }
    }),
  );
  const times = ended.filter((t) => t.at > opened && t.at <= closed).map((t) => t.ms);
  if (times.length === 0 || !cpuAtOpen || !cpuAtClose || !loadUsed) throw new Error(`no turn was answered while all ${concurrency} conversations were busy (${count} people)`);
  return { times, seconds: (closed - opened) / 1000, cpu: between(await cpuAtOpen, await cpuAtClose), loadMs: (loadUsed.user + loadUsed.system) / 1000, all: ended.length };
}

/**
 * The echo bot under the same load: `concurrency` conversations, each sending its next message when
 * the last was answered. `loadPerTurn`: this process's CPU per turn (the load generator and the
 * connector), which shares the machine with the bot.
 */
export async function echoThroughput(concurrency: number, durationMs: number): Promise<Throughput & CpuPerTurn & { loadPerTurn: number }> {
  const connector = await startConnector();
  const bot = await serve('echo');
  try {
    const run = async (ms: number, tag: string) => {
      const times: number[] = [];
      const end = performance.now() + ms;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, i) => {
          const c = new Conversation(bot.url, connector, `echo-${tag}-${i}`);
          times.push((await c.join()).ms);
          for (let k = 0; performance.now() < end; k++) {
            const t = await c.say(`mensaje ${k}`);
            if (!t.folded.includes(`mensaje ${k}`)) throw new Error('the echo bot did not echo');
            times.push(t.ms);
          }
        }),
      );
      return summary(times, (performance.now() - t0) / 1000);
    };
    await run(Math.min(2000, durationMs), 'warm');
    const cpu = await bot.cpu();
    const load = process.cpuUsage();
    const measured = await run(durationMs, 'run');
    const loadUsed = process.cpuUsage(load);
    return { ...measured, ...perTurn(between(cpu, await bot.cpu()), measured.turns), loadPerTurn: (loadUsed.user + loadUsed.system) / 1000 / measured.turns };
  } finally {
    await bot.stop();
    await connector.close();
  }
}

/** What a person types at human pace: the start of Registro ciudadano, one field a message. */
function humanScript(i: number, first = 30_000_000): string[] {
  const numero = String(first + i);
  return ['Registrarme', 'Acepto', 'CC', numero, 'Ana', 'omitir', 'Gómez', 'omitir', '14/03/1968', '20/05/1986', 'F', 'estado', 'ayuda', 'estado'];
}

/**
 * `conversations` people, each sending one message every `paceMs` (their starts spread over one
 * period), `messages` messages each after the welcome, to the assistant or (`bot` 'echo') to the echo
 * bot under the same load, the figure's baseline. A reply slower than the pace delays that
 * person's next message, as a person waits for the answer. A failed turn ends that conversation
 * and is counted.
 */
export async function humanPaced(
  conversations: number,
  messages: number,
  paceMs: number,
  warmup: number,
  bot: 'app' | 'echo' = 'app',
): Promise<Throughput & { late: number; failed: number; failures: string[] }> {
  const dataDir = await tempDir('asistente-bench-human-');
  const connector = await startConnector();
  const app = await serve(bot, bot === 'app' ? dataDir : undefined);
  const times: number[] = [];
  let late = 0;
  let failed = 0;
  const failures: string[] = [];
  const sleepUntil = (t: number) => new Promise((ok) => setTimeout(ok, Math.max(0, t - performance.now())));
  try {
    // Warm-up, not measured, the same for both bots: `warmup` other people go through the script, 20 at
    // a time (a process that has just started runs its code unoptimized for thousands of turns).
    await inParallel(warmup, 20, async (i) => {
      const c = new Conversation(app.url, connector, `human-warm-${i}`);
      await c.join();
      for (const text of humanScript(i, 31_000_000)) await c.say(text);
    });
    const t0 = performance.now() + 200;
    await Promise.all(
      Array.from({ length: conversations }, async (_, i) => {
        const c = new Conversation(app.url, connector, `human-${i}`);
        const start = t0 + (i * paceMs) / conversations;
        const script = humanScript(i);
        for (let k = 0; k <= messages; k++) {
          const due = start + k * paceMs;
          if (performance.now() > due + 50) late++;
          await sleepUntil(due);
          try {
            const t = k === 0 ? await c.join() : await c.say(script[(k - 1) % script.length]!);
            if (t.folded === '') throw new Error(`no reply in conversation human-${i} at message ${k}`);
            times.push(t.ms);
          } catch (error) {
            // Under overload a turn may fail: counted and reported, the other conversations go on.
            if (failures.length < 3) failures.push(error instanceof Error ? error.message : String(error));
            failed++;
            return;
          }
        }
      }),
    );
    return { ...summary(times, (performance.now() - t0) / 1000), late, failed, failures };
  } finally {
    await app.stop();
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
