/**
 * BlobStore adapters: content-addressed files (uploaded RUTs). A file is named by the SHA-256 of its
 * bytes, so storing the same bytes twice keeps one copy, and a name cannot point outside the folder.
 */
import { createHash } from 'node:crypto';
import { readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BlobStore } from '../domain/ports.js';
import { ensurePrivateDir, namesIn, writePrivateFile } from './private-file.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BLOB_FILE = /^([0-9a-f]{64})\.bin$/;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Files `<dir>/<sha256>.bin` (mode 0600), written atomically (temp file + rename); the folder (0700) is created on first write. */
export function createFileBlobStore(dir: string): BlobStore {
  const root = resolve(dir);
  const fileOf = (hash: string) => join(root, `${hash}.bin`);
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      await ensurePrivateDir(root);
      await writePrivateFile(fileOf(hash), bytes);
      return { sha256: hash, size: bytes.length };
    },
    async get(hash) {
      if (!SHA256_HEX.test(hash)) return undefined;
      let bytes: Buffer;
      try {
        bytes = await readFile(fileOf(hash));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      // A file whose content no longer matches its name was damaged on disk: a fault, not a missing file.
      if (sha256(bytes) !== hash) throw new Error(`blob store: ${hash.slice(0, 12)}… does not match its content`);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async delete(hash) {
      if (!SHA256_HEX.test(hash)) return false;
      return unlinkIfPresent(fileOf(hash));
    },
  };
}

/**
 * Retention, adapter side: deletes the files of `dir` that no record refers to (`referenced`) and
 * were last written before `before` (an upload whose registration was abandoned or corrected), and
 * temp files left by a crash. Returns how many files were deleted.
 */
export async function purgeUnreferencedBlobs(dir: string, referenced: ReadonlySet<string>, before: Date): Promise<number> {
  const root = resolve(dir);
  const names = await namesIn(root);
  let deleted = 0;
  for (const name of names) {
    const blob = BLOB_FILE.exec(name);
    const temp = name.startsWith('.') && name.endsWith('.tmp');
    if (!temp && (!blob || referenced.has(blob[1]!))) continue;
    const file = join(root, name);
    let mtime: Date;
    try {
      mtime = (await stat(file)).mtime;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    if (mtime < before && (await unlinkIfPresent(file))) deleted++;
  }
  return deleted;
}

/** The same contract in memory (tests, dialogs). */
export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, Uint8Array>();
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      blobs.set(hash, new Uint8Array(bytes));
      return { sha256: hash, size: bytes.length };
    },
    async get(hash) {
      const stored = SHA256_HEX.test(hash) ? blobs.get(hash) : undefined;
      return stored && new Uint8Array(stored);
    },
    async delete(hash) {
      return SHA256_HEX.test(hash) && blobs.delete(hash);
    },
  };
}
