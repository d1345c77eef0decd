/**
 * Files only the assistant's own user may read: every file written under DATA_DIR is created with
 * mode 0600 and every folder with 0700 (personal data must not be world-readable), replaced
 * atomically (a unique temp file in the same folder, then rename).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) with mode 0700; an existing folder is left as it is. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Writes `data` to `file` atomically with mode 0600 (also when the file existed with a wider mode). */
export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    // The mode of writeFile is filtered by the umask; chmod makes 0600 exact whatever the umask.
    await chmod(temp, PRIVATE_FILE_MODE);
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** Narrows an existing file to 0600 (files written by earlier versions); missing files are ignored. */
export async function makePrivate(file: string): Promise<void> {
  try {
    await chmod(file, PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** The names in a folder; none when the folder does not exist (yet). */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
