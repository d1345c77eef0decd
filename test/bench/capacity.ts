/**
 * Figure 2: turns per second of the scripted journey at a fixed concurrency, against the echo bot
 * measured the same way; and latency at human pace (each conversation one message every 2 s).
 * The bots run in a child process (serve.ts); this process is the load generator and the connector.
 */
import { rm } from 'node:fs/promises';
import { tempDir } from '../helpers/app.js';
import { serve } from './child.js';
import { Conversation, startConnector, type TurnResult } from './connector.js';
import { activate, casts, journey } from './journey.js';
import { percentile } from './report.js';

export interface Throughput {
  readonly turns: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

function summary(times: number[], seconds: number): Throughput {
  const sorted = [...times].sort((a, b) => a - b);
  return { turns: times.length, perSecond: times.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/**
 * `rounds` measured rounds after one warm-up round, all on one assistant process and data directory
 * (as the echo bot is measured warm, after its own warm-up): in each round `concurrency` people, new
 * to the assistant, go through the journey at once. Only chat turns are timed; the account
 * activation between the two halves (a web page) is not.
 */
export interface JourneyBackend {
  /** A fresh backend for the run: the environment the assistant starts with, and how to remove it. */
  prepare(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

export async function journeyThroughput(concurrency: number, rounds: number, backend?: JourneyBackend): Promise<Throughput> {
  const connector = await startConnector();
  const times: number[] = [];
  let seconds = 0;
  const dataDir = await tempDir('asistente-bench-journey-');
  const prepared = await backend?.prepare();
  // Registration is once per person: every round has its own people.
  const everyone = await casts(concurrency * (rounds + 1), 'bench');
  try {
    const app = await serve('app', dataDir, prepared?.env);
    try {
      for (let round = 0; round <= rounds; round++) {
        const cast = everyone.slice(round * concurrency, (round + 1) * concurrency);
        const convs = cast.map((_, i) => new Conversation(app.url, connector, `journey-${round}-${i}`));
        const mine: number[] = [];
        const record = (t: TurnResult) => mine.push(t.ms);
        let t0 = performance.now();
        await Promise.all(convs.map((c, i) => journey.register(c, cast[i]!, record)));
        let elapsed = performance.now() - t0;
        await Promise.all(cast.map((c) => activate(app.url, dataDir, c.email)));
        t0 = performance.now();
        await Promise.all(convs.map((c, i) => journey.employer(c, cast[i]!, record)));
        elapsed += performance.now() - t0;
        if (round > 0) {
          times.push(...mine);
          seconds += elapsed / 1000;
        }
      }
    } finally {
      await app.stop();
    }
  } finally {
    await prepared?.drop();
    await rm(dataDir, { recursive: true, force: true });
    await connector.close();
  }
  return summary(times, seconds);
}

/** The echo bot under the same load: `concurrency` conversations, each sending its next message when the last was answered. */
export async function echoThroughput(concurrency: number, durationMs: number): Promise<Throughput> {
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
    return await run(durationMs, 'run');
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
 * period), `messages` messages each after the welcome. A reply slower than the pace delays that
 * person's next message, as a person waits for the answer. A failed turn ends that conversation
 * and is counted.
 */
export async function humanPaced(
  conversations: number,
  messages: number,
  paceMs: number,
): Promise<Throughput & { late: number; failed: number; failures: string[] }> {
  const dataDir = await tempDir('asistente-bench-human-');
  const connector = await startConnector();
  const app = await serve('app', dataDir);
  const times: number[] = [];
  let late = 0;
  let failed = 0;
  const failures: string[] = [];
  const sleepUntil = (t: number) => new Promise((ok) => setTimeout(ok, Math.max(0, t - performance.now())));
  try {
    // Warm-up, not measured (the echo bot is measured warm too): 20 other people go through the script at once.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const c = new Conversation(app.url, connector, `human-warm-${i}`);
        await c.join();
        for (const text of humanScript(i, 31_000_000)) await c.say(text);
      }),
    );
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
