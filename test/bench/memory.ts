/**
 * Figure 4: the stored state of an idle conversation (welcome + one message, left mid-form), and the
 * assistant's RSS holding the large data set and `conversations` idle conversations.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { serve } from './child.js';
import { Conversation, startConnector } from './connector.js';
import { citizenEmail } from './store-bench.js';

/** Bytes of the files under `dir`, except the domain store (asistente*, its temp files), the outbox and the uploaded files (archivos: the example documents seeded at start): the conversation state. */
async function stateBytes(dir: string, top = true): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (top && (/^\.?asistente/.test(entry.name) || entry.name === 'outbox' || entry.name === 'archivos')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await stateBytes(path, false);
    else if (entry.isFile()) total += await stat(path).then((s) => s.size, () => 0); // a temp file renamed meanwhile
  }
  return total;
}

export interface MemoryFigures {
  readonly stateBytesPerConversation: number;
  readonly rss: number;
  readonly heapUsed: number;
}

/** Starts the assistant on `dataDir` (already holding the bench's data), opens `conversations` conversations, and measures. */
export async function idleMemory(dataDir: string, conversations: number, concurrency = 20): Promise<MemoryFigures> {
  const connector = await startConnector();
  const app = await serve('app', dataDir);
  try {
    if ((await app.lookup(citizenEmail(1))) !== 1) {
      throw new Error(`the assistant on ${dataDir} does not see the citizens the bench stored (does bot/app.ts still open ${join(dataDir, 'asistente.json')}?)`);
    }
    const before = await stateBytes(dataDir);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < conversations; i = next++) {
          const c = new Conversation(app.url, connector, `idle-${i}`);
          await c.join();
          const t = await c.say('Registrarme');
          if (t.folded === '') throw new Error(`no reply in conversation idle-${i}`);
        }
      }),
    );
    await new Promise((ok) => setTimeout(ok, 500)); // state written after the reply, if the store defers it
    // The file store folds its journal into the per-key files after a quiet moment: what stays is those files.
    const stateDir = join(dataDir, 'conversaciones');
    for (let waited = 0; waited < 15_000 && (await readdir(stateDir).catch(() => [])).some((n) => n.startsWith('journal-')); waited += 100) {
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const after = await stateBytes(dataDir);
    const mem = await app.memory();
    return { stateBytesPerConversation: (after - before) / conversations, rss: mem.rss, heapUsed: mem.heapUsed };
  } finally {
    await app.stop();
    await connector.close();
  }
}
