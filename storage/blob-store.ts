/**
 * BlobStore adapters: content-addressed files (uploaded RUTs). A file is named by the SHA-256 of its
 * bytes, so storing the same bytes twice keeps one copy, and a name cannot point outside the folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BlobStore } from '../domain/ports.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Files `<dir>/<sha256>.bin`, written atomically (temp file + rename); the folder is created on first write. */
export function createFileBlobStore(dir: string): BlobStore {
  const root = resolve(dir);
  const fileOf = (hash: string) => join(root, `${hash}.bin`);
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      await mkdir(root, { recursive: true });
      const temp = join(root, `.${hash}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, bytes, { flag: 'wx' });
        await rename(temp, fileOf(hash));
      } catch (e) {
        await unlink(temp).catch(() => undefined);
        throw e;
      }
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
  };
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
  };
}
