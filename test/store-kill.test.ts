/**
 * The JSON store survives SIGKILL: a child commits pairs of records and acknowledges each on
 * stdout; it is killed at random moments 20 times; after each kill the store opens with every
 * acknowledged pair, no half pair, and no temp file of an interrupted compaction.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository, Tx } from '../domain/ports.js';
import { openJsonStore } from '../storage/json-store.js';
import { runUntilKilled } from './helpers/kill.js';

interface Row {
  id: string;
  n: number;
}
const rows = (tx: Tx) => tx.collection('kill_rows' as 'audit') as unknown as Repository<Row>;
const WRITER = join(import.meta.dirname, 'fixtures', 'store-writer.ts');
const KILLS = 20;

/** Runs the writer until it acknowledged something, then kills it after a random delay. */
function runAndKill(file: string, acked: Set<number>): Promise<void> {
  return runUntilKilled(WRITER, [file], (line) => line.startsWith('ack ') && (acked.add(Number(line.slice(4))), true), { min: 0, max: 120 });
}

/** Opens a copy of the folder as the kill left it (the original goes on to the next writer). */
async function check(dir: string, acked: ReadonlySet<number>): Promise<number> {
  const image = await mkdtemp(join(tmpdir(), 'ccf-kill-image-'));
  try {
    await cp(dir, image, { recursive: true });
    const temps = async () => (await readdir(image)).filter((n) => n.endsWith('.tmp'));
    const killedMidCompaction = await temps();
    const store = await openJsonStore({ file: join(image, 'db.json') });
    const all = await store.transaction((tx) => rows(tx).list());
    // The store may be compacting again already (its own temp file); the killed one's must be gone.
    expect((await temps()).filter((n) => killedMidCompaction.includes(n)), 'temp files of the killed writer').toEqual([]);
    await store.close();
    expect(await temps(), 'temp files after close').toEqual([]);
    const byId = new Map(all.map((r) => [r.id, r]));
    for (const n of acked) {
      expect(byId.has(`a${n}`) && byId.has(`b${n}`), `acknowledged pair ${n}`).toBe(true);
    }
    const pairs = all.filter((r) => r.id.startsWith('a') || r.id.startsWith('b'));
    for (const r of pairs) expect(byId.has(`${r.id.startsWith('a') ? 'b' : 'a'}${r.n}`), `the other half of pair ${r.n}`).toBe(true);
    const highest = Math.max(0, ...pairs.map((r) => r.n));
    expect(byId.get('counter')?.n ?? 0, 'the counter moved with its pairs').toBe(highest);
    return all.length;
  } finally {
    await rm(image, { recursive: true, force: true });
  }
}

describe('JSON store under SIGKILL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-kill-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write and no half-written one across ${KILLS} kills`, async () => {
    const acked = new Set<number>();
    for (let i = 0; i < KILLS; i++) {
      await runAndKill(join(dir, 'db.json'), acked);
      await check(dir, acked);
    }
    expect(acked.size).toBeGreaterThan(KILLS);
    // The original folder, as the last kill left it, opens too and leaves only the snapshot on close.
    const store = await openJsonStore({ file: join(dir, 'db.json') });
    const ids = new Set((await store.transaction((tx) => rows(tx).list())).map((r) => r.id));
    await store.close();
    for (const n of acked) expect(ids.has(`a${n}`) && ids.has(`b${n}`)).toBe(true);
    expect(await readdir(dir)).toEqual(['db.json']);
  }, 120_000);
});
