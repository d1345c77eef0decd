/**
 * The retention job: the file sweeps only the adapters can do (conversation-state files, RUT uploads
 * no record refers to), then the store purge of domain/retention.ts, which audits all the counts.
 * Used by the daily timer of bot/app.ts and by `npm run retencion` (scripts/retention.ts).
 */
import type { BlobStore, Random, Store } from '../domain/ports.js';
import { purge, referencedFiles, RETENTION, type RetentionCounts } from '../domain/retention.js';
import { purgeUnreferencedBlobs } from './blob-store.js';
import { purgeIdleStateFiles } from './state-store.js';

export interface RetentionJobDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly random: Random;
  /** The folder of createFileStateStore; omitted when conversation state is kept elsewhere. */
  readonly stateDir?: string;
  /** The folder of createFileBlobStore. */
  readonly blobDir?: string;
}

const DAY = 86_400_000;

export async function runRetention(deps: RetentionJobDeps, now: Date): Promise<RetentionCounts> {
  const files: Record<string, number> = {};
  if (deps.stateDir) {
    files.conversaciones = await purgeIdleStateFiles(deps.stateDir, new Date(now.getTime() - RETENTION.conversacionesInactivasDias * DAY));
  }
  if (deps.blobDir) {
    const referenced = await referencedFiles(deps.store);
    files.archivosSinRegistro = await purgeUnreferencedBlobs(deps.blobDir, referenced, new Date(now.getTime() - RETENTION.archivosSinRegistroDias * DAY));
  }
  return purge(deps, now, files);
}
