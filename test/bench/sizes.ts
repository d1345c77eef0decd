/** The bench's sizes: the by default, smaller with BENCH_QUICK=1; each one can be set on its own. */
export interface BenchSizes {
  readonly large: { citizens: number; audit: number; employers: number };
  readonly small: { citizens: number; audit: number; employers: number };
  /** Write turns per store size (fewer when the time budget runs out, never under 5). */
  readonly writeTurns: number;
  readonly writeBudgetMs: number;
  readonly concurrency: number;
  /** People brought through the journey (each once; the bench makes up the reference data for them). */
  readonly journeys: number;
  /** Of them, the journeys before each half's measured window (the assistant's warm-up). */
  readonly journeyWarmup: number;
  readonly echoMs: number;
  readonly humanConversations: number;
  readonly humanMessages: number;
  /** People through the human-pace script before it is measured (the warm-up), for both bots. */
  readonly humanWarmup: number;
  readonly paceMs: number;
  readonly starts: number;
  readonly idleConversations: number;
  /** Sections to run: store, capacity, start, memory, and pg (with DATABASE_URL). */
  readonly only: ReadonlySet<string>;
}

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
};

/** `postgres`: DATABASE_URL was given, so the 'pg' section runs by default too. */
export function benchSizes(postgres = false): BenchSizes {
  const quick = process.env['BENCH_QUICK'] === '1';
  const large = quick ? 5_000 : 100_000;
  return {
    large: { citizens: num('BENCH_CITIZENS', large), audit: num('BENCH_AUDIT', large), employers: num('BENCH_EMPLOYERS', large / 10) },
    small: { citizens: 100, audit: 100, employers: 100 },
    writeTurns: num('BENCH_WRITE_TURNS', quick ? 30 : 200),
    writeBudgetMs: num('BENCH_WRITE_BUDGET_MS', quick ? 5_000 : 20_000),
    concurrency: num('BENCH_CONCURRENCY', 10),
    journeys: num('BENCH_JOURNEYS', quick ? 60 : 1_200),
    journeyWarmup: num('BENCH_JOURNEY_WARMUP', quick ? 20 : 400),
    echoMs: num('BENCH_ECHO_MS', quick ? 2_000 : 6_000),
    humanConversations: num('BENCH_HUMAN', quick ? 100 : 1_000),
    humanMessages: num('BENCH_HUMAN_MESSAGES', quick ? 3 : 10),
    humanWarmup: num('BENCH_HUMAN_WARMUP', quick ? 20 : 300),
    paceMs: num('BENCH_PACE_MS', 2_000),
    starts: Math.max(1, num('BENCH_STARTS', quick ? 1 : 3)),
    idleConversations: num('BENCH_IDLE', quick ? 100 : 1_000),
    only: new Set((process.env['BENCH_ONLY'] ?? `store,capacity,start,memory${postgres ? ',pg' : ''}`).split(',').map((s) => s.trim())),
  };
}
