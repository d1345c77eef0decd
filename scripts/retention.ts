/**
 * `npm run retencion`: runs the retention job once (domain/retention.ts schedule) over DATA_DIR, the
 * same job the assistant runs daily in process, and prints how many records and files it deleted
 * (counts only, no personal data). The JSON store belongs to one process at a time: run this with
 * the assistant stopped (while it runs, its daily job does the same).
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../bot/config.js';
import { cryptoRandom, systemClock } from '../domain/random.js';
import { RETENTION } from '../domain/retention.js';
import { createFileBlobStore } from '../storage/blob-store.js';
import { openJsonStore } from '../storage/json-store.js';
import { runRetention } from '../storage/retention.js';

const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\nSee .env.example for every setting.\n`);
  process.exit(1);
}
const dataDir = resolve(loaded.config.DATA_DIR);
const store = await openJsonStore({ file: join(dataDir, 'asistente.json') });
try {
  const blobDir = join(dataDir, 'archivos');
  const counts = await runRetention(
    { store, blobs: createFileBlobStore(blobDir), random: cryptoRandom, blobDir, stateDir: join(dataDir, 'conversaciones') },
    systemClock.now(),
  );
  process.stdout.write(`${JSON.stringify({ retencion: counts, plazos: RETENTION }, null, 2)}\n`);
} finally {
  await store.close();
}
