import { execFile } from 'node:child_process';
import { mkdtemp, open, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasyncOnThread, FILE_THREAD_NICE, writeFilesOnThread } from './file-thread.js';
import { niceOfEventLoop, niceOfThreadsNamed } from '../test/helpers/threads.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccf-file-thread-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('files written on a thread of their own', () => {
  it('writes a batch whole (text and bytes), replaces what was there, deletes, in order; no other file is left', async () => {
    await writeFile(join(dir, 'b.json'), 'old and longer than the new text');
    await writeFile(join(dir, 'c.json'), 'to delete');
    await writeFilesOnThread(
      [
        { path: join(dir, 'a.json'), data: '{"ñ":"día"}' },
        { path: join(dir, 'b.json'), data: 'new' },
        { path: join(dir, 'c.json') },
        { path: join(dir, 'never-there.json') }, // a missing file is no error
        { path: join(dir, 'd.bin'), data: new Uint8Array([0, 255, 10, 13]) },
        { path: join(dir, 'e.json'), data: 'first' },
        { path: join(dir, 'e.json') }, // written, then deleted: the order is kept
      ],
      0o600,
    );
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.json', 'd.bin']);
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('{"ñ":"día"}');
    expect(await readFile(join(dir, 'b.json'), 'utf8')).toBe('new');
    expect([...(await readFile(join(dir, 'd.bin')))]).toEqual([0, 255, 10, 13]);
  });

  it.runIf(process.platform !== 'win32')('writes a file that exists in place: the same inode, none freed (a new one each time made file creation slower on ext4)', async () => {
    await writeFile(join(dir, 'state.json'), 'x'.repeat(5000));
    const before = await stat(join(dir, 'state.json'));
    await writeFilesOnThread([{ path: join(dir, 'state.json'), data: 'shorter' }], 0o600);
    const after = await stat(join(dir, 'state.json'));
    expect(after.ino).toBe(before.ino);
    expect(after.size).toBe(7);
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('shorter');
    await writeFilesOnThread([{ path: join(dir, 'state.json'), data: 'longer than before' }], 0o600);
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('longer than before');
  });

  it.runIf(process.platform !== 'win32')('refuses to write through a symbolic link (ELOOP): the target stays as it was', async () => {
    await writeFile(join(dir, 'elsewhere.txt'), 'kept');
    await symlink(join(dir, 'elsewhere.txt'), join(dir, 'link.json'));
    await expect(writeFilesOnThread([{ path: join(dir, 'link.json'), data: 'x' }], 0o600)).rejects.toMatchObject({ code: 'ELOOP' });
    expect(await readFile(join(dir, 'elsewhere.txt'), 'utf8')).toBe('kept');
  });

  it.runIf(process.platform !== 'win32')('every file it writes is 0600', async () => {
    await writeFile(join(dir, 'old.json'), 'x', { mode: 0o644 });
    await writeFilesOnThread([{ path: join(dir, 'new.json'), data: 'x' }, { path: join(dir, 'old.json'), data: 'y' }], 0o600);
    for (const name of ['new.json', 'old.json']) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
  });

  it('the first file that fails rejects the batch with its code: the earlier ones stay written, the later ones are not tried, no temp file stays', async () => {
    const failed = writeFilesOnThread(
      [
        { path: join(dir, 'first.json'), data: '1' },
        { path: join(dir, 'gone', 'second.json'), data: '2' },
        { path: join(dir, 'third.json'), data: '3' },
      ],
      0o600,
    );
    await expect(failed).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual(['first.json']);
    // The thread goes on with the next batch.
    await writeFilesOnThread([{ path: join(dir, 'third.json'), data: '3' }], 0o600);
    expect((await readdir(dir)).sort()).toEqual(['first.json', 'third.json']);
  });

  it('batches sent at once are all done', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFilesOnThread([{ path: join(dir, `${i}.json`), data: String(i) }], 0o600)));
    expect((await readdir(dir)).length).toBe(20);
    expect(await readFile(join(dir, '7.json'), 'utf8')).toBe('7');
  });

  it.runIf(process.platform === 'linux')(`runs below the event loop's priority (nice ${FILE_THREAD_NICE}), the event loop unchanged; named ccf-file`, async () => {
    await writeFilesOnThread([{ path: join(dir, 'x.json'), data: 'x' }], 0o600);
    expect(niceOfThreadsNamed('ccf-file')).toEqual([FILE_THREAD_NICE]);
    expect(niceOfEventLoop()).toBe(0);
  });

  it.runIf(process.platform === 'linux')("the flush thread runs at the event loop's priority (a turn waits for it); named ccf-flush", async () => {
    const file = await open(join(dir, 'journal.log'), 'w');
    await datasyncOnThread(file.fd);
    await file.close();
    expect(niceOfThreadsNamed('ccf-flush')).toEqual([0]);
  });

  it('flushes an open file to the device on the flush thread; a file not open is refused (EBADF)', async () => {
    const file = await open(join(dir, 'journal.log'), 'w');
    await file.write('line\n');
    await datasyncOnThread(file.fd);
    const fd = file.fd;
    await file.close();
    await expect(datasyncOnThread(fd)).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('does not keep the process alive once its batches are done', async () => {
    const module = fileURLToPath(new URL('./file-thread.ts', import.meta.url));
    const script = join(dir, 'child.mjs');
    await writeFile(script, `const { writeFilesOnThread } = await import(${JSON.stringify(module)});\nawait writeFilesOnThread([{ path: ${JSON.stringify(join(dir, 'child.json'))}, data: 'from a child' }], 0o600);\n`);
    await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 20_000 });
    expect(await readFile(join(dir, 'child.json'), 'utf8')).toBe('from a child');
  });
});
