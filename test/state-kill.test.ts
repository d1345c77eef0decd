/**
 * The file state store (its journal) survives SIGKILL: a child writes sealed items on a few keys,
 * several at once, and acknowledges each resolved write on stdout; it is killed at random moments;
 * after each kill, a copy of the folder opened afresh (its journals replayed) holds, for every key,
 * the last acknowledged item or one written after it, never a half-written one.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../storage/secret-box.js';
import { createFileStateStore } from '../storage/state-store.js';
import { runUntilKilled } from './helpers/kill.js';

const WRITER = join(import.meta.dirname, 'fixtures', 'state-writer.ts');
const KILLS = 6;
const KEY = randomBytes(32);
const KEYS = Array.from({ length: 24 }, (_, i) => `webchat/conversations/k${i}`);
const padOf = (n: number): string => String(n).repeat(1 + (n % 40));

/** The latest acknowledged operation per key: the n written, or -n for a delete. */
type Acked = Map<string, number>;

/** Runs the writer from operation `start` until it acknowledged something, then kills it; resolves with the acknowledgements seen. */
async function runAndKill(dir: string, start: number, acked: Acked): Promise<number> {
  let count = 0;
  await runUntilKilled(
    WRITER,
    [dir, KEY.toString('hex'), String(start)],
    (line) => {
      const [what, key, n] = line.split(' ');
      if (what !== 'ack' && what !== 'del') return false;
      count++;
      const v = what === 'ack' ? Number(n) : -Number(n);
      if (Math.abs(v) > Math.abs(acked.get(key!) ?? 0)) acked.set(key!, v);
      return true;
    },
    { min: 30, max: 430 },
  );
  return count;
}

/** Opens a copy of the folder as the kill left it, in this process (a folder it never saw: its journals are replayed). */
async function check(dir: string, acked: Acked, upTo: number): Promise<void> {
  const image = await mkdtemp(join(tmpdir(), 'ccf-state-kill-image-'));
  try {
    await cp(dir, image, { recursive: true });
    const items = await createFileStateStore(image, { secrets: createSecretBox(KEY) }).read(KEYS);
    for (const key of KEYS) {
      const last = acked.get(key);
      const item = items[key] as { n: number; pad: string } | undefined;
      if (item) {
        expect(item.pad, `${key} whole`).toBe(padOf(item.n));
        expect(item.n, `${key} was written`).toBeLessThan(upTo);
      }
      if (last === undefined) continue;
      // The acknowledged operation, or a later one (written, not yet acknowledged when the kill came).
      if (last > 0) {
        if (item) expect(item.n, `${key}: acknowledged ${last}`).toBeGreaterThanOrEqual(last);
        else expect(upTo, `${key}: acknowledged ${last}, then deleted unacknowledged`).toBeGreaterThan(last);
      } else if (item) {
        expect(item.n, `${key}: deleted at ${-last}`).toBeGreaterThan(-last);
      }
    }
    expect((await readdir(image)).filter((n) => n.startsWith('journal-')), 'journals replayed').toEqual([]);
  } finally {
    await rm(image, { recursive: true, force: true });
  }
}

describe('file state store under SIGKILL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-state-kill-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write and no half-written one across ${KILLS} kills`, async () => {
    const acked: Acked = new Map();
    let total = 0;
    for (let i = 0; i < KILLS; i++) {
      const start = (i + 1) * 1_000_000;
      total += await runAndKill(dir, start, acked);
      await check(dir, acked, start + 1_000_000);
    }
    expect(total).toBeGreaterThan(KILLS * 10);
  }, 60_000);
});
