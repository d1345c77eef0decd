import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../domain/ports.js';
import { createFileBlobStore, createMemoryBlobStore, purgeUnreferencedBlobs } from './blob-store.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'blobs-'));
  dirs.push(d);
  return d;
}

const bytes = Buffer.from('%PDF-1.4\nhola\n%%EOF\n');
const hash = createHash('sha256').update(bytes).digest('hex');

describe.each<[string, () => Promise<BlobStore>]>([
  ['file', async () => createFileBlobStore(join(await tempDir(), 'nested', 'blobs'))],
  ['memory', async () => createMemoryBlobStore()],
])('%s blob store', (_name, open) => {
  it('stores bytes under their SHA-256 and gives them back', async () => {
    const blobs = await open();
    expect(await blobs.put(bytes)).toEqual({ sha256: hash, size: bytes.length });
    expect(Buffer.from((await blobs.get(hash)) ?? [])).toEqual(bytes);
  });

  it('storing the same bytes twice is harmless', async () => {
    const blobs = await open();
    await blobs.put(bytes);
    expect(await blobs.put(new Uint8Array(bytes))).toEqual({ sha256: hash, size: bytes.length });
  });

  it.each(['0'.repeat(64), hash.toUpperCase(), '../../etc/passwd', `${hash}.bin`, ''])('get(%j) is undefined', async (name) => {
    const blobs = await open();
    await blobs.put(bytes);
    expect(await blobs.get(name)).toBeUndefined();
  });

  it('what get returns is a copy: changing it does not change the stored file', async () => {
    const blobs = await open();
    await blobs.put(bytes);
    const first = (await blobs.get(hash)) as Uint8Array;
    first[0] = 0;
    expect(Buffer.from((await blobs.get(hash)) ?? [])).toEqual(bytes);
  });
});

describe('file blob store', () => {
  it('writes <dir>/<sha256>.bin and leaves no temporary files', async () => {
    const dir = join(await tempDir(), 'blobs');
    await createFileBlobStore(dir).put(bytes);
    expect(await readdir(dir)).toEqual([`${hash}.bin`]);
    expect(await readFile(join(dir, `${hash}.bin`))).toEqual(bytes);
  });

  it('a file damaged on disk is a fault, not a missing file', async () => {
    const dir = await tempDir();
    const blobs = createFileBlobStore(dir);
    await blobs.put(bytes);
    await writeFile(join(dir, `${hash}.bin`), 'altered');
    await expect(blobs.get(hash)).rejects.toThrow(/does not match/);
  });
});

describe('blob deletion and retention', () => {
  it.each<[string, () => Promise<BlobStore>]>([
    ['file', async () => createFileBlobStore(await tempDir())],
    ['memory', async () => createMemoryBlobStore()],
  ])('%s: delete removes the file once; a malformed hash deletes nothing', async (_name, open) => {
    const blobs = await open();
    await blobs.put(bytes);
    expect(await blobs.delete('../x')).toBe(false);
    expect(await blobs.delete(hash)).toBe(true);
    expect(await blobs.get(hash)).toBeUndefined();
    expect(await blobs.delete(hash)).toBe(false);
  });

  it('files are 0600 in a 0700 folder', async () => {
    const dir = join(await tempDir(), 'archivos');
    await createFileBlobStore(dir).put(bytes);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, `${hash}.bin`))).mode & 0o777).toBe(0o600);
  });

  it('purgeUnreferencedBlobs deletes old files no record refers to, and stale temp files', async () => {
    const dir = await tempDir();
    const blobs = createFileBlobStore(dir);
    const other = Buffer.from('%PDF-1.4\notro\n%%EOF\n');
    const otherHash = createHash('sha256').update(other).digest('hex');
    const fresh = Buffer.from('%PDF-1.4\nnuevo\n%%EOF\n');
    await blobs.put(bytes);
    await blobs.put(other);
    await writeFile(join(dir, '.x.tmp'), 'half');
    await writeFile(join(dir, 'notes.txt'), 'not a blob');
    const old = new Date(Date.now() - 40 * 86_400_000);
    for (const f of [`${hash}.bin`, `${otherHash}.bin`, '.x.tmp', 'notes.txt']) await utimes(join(dir, f), old, old);
    await blobs.put(fresh); // recent: an upload in progress
    const before = new Date(Date.now() - 30 * 86_400_000);
    expect(await purgeUnreferencedBlobs(dir, new Set([hash]), before)).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([`${hash}.bin`, `${createHash('sha256').update(fresh).digest('hex')}.bin`, 'notes.txt'].sort());
    expect(await purgeUnreferencedBlobs(join(dir, 'missing'), new Set(), before)).toBe(0);
  });
});
