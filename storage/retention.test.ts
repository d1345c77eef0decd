import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../domain/random.js';
import { records } from '../test/helpers/store.js';
import { createFileBlobStore } from './blob-store.js';
import { createMemoryStore } from './memory-store.js';
import { runRetention } from './retention.js';
import { createSecretBox } from './secret-box.js';
import { createFileStateStore } from './state-store.js';

describe('retention job', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccf-retention-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sweeps idle conversation files and unreferenced uploads, then purges the store and audits every count', async () => {
    const stateDir = join(dir, 'conversaciones');
    const blobDir = join(dir, 'archivos');
    const state = createFileStateStore(stateDir, { secrets: createSecretBox(randomBytes(32)) });
    await state.write({ abandoned: { v: 1 }, active: { v: 2 } });
    await state.close(); // the journal folded into the per-key files, which retention ages
    const blobs = createFileBlobStore(blobDir);
    const orphan = await blobs.put(Buffer.from('%PDF orphan'));
    const now = new Date();
    const old = new Date(now.getTime() - 31 * 86_400_000);
    // Age the abandoned conversation and the orphan upload.
    await utimes(join(stateDir, `${createHash('sha256').update('abandoned').digest('hex')}.json`), old, old);
    await utimes(join(blobDir, `${orphan.sha256}.bin`), old, old);

    const store = createMemoryStore();
    const counts = await runRetention({ store, blobs, random: seededRandom(1), stateDir, blobDir }, now);
    expect(counts).toMatchObject({ conversaciones: 1, archivosSinRegistro: 1 });
    expect(Object.keys(await state.read(['abandoned', 'active']))).toEqual(['active']);
    expect(await readdir(blobDir)).toEqual([]);
    const [ran] = await records(store, 'audit');
    expect(ran).toMatchObject({ action: 'retencion.ejecutada', detail: { conversaciones: 1, archivosSinRegistro: 1, enlaces: 0 } });
  });
});
