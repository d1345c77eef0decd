/**
 * The compiled build `npm start` runs (dist/): `tsc -p tsconfig.build.json` (emit only: `npm test`
 * type-checks), plus a copy of every other file of the source folders (templates, reference data,
 * web assets) at the same relative place, so paths computed from import.meta.url hold in dist/ too.
 *
 *   node scripts/build.mjs              # build (npm run build)
 *   node scripts/build.mjs --if-stale   # only when a source file, folder or tsconfig is newer than the last build
 *
 * Plain JavaScript so that the check before every `npm start` (scripts/start.mjs, in its own process)
 * costs a few milliseconds, not a compiler.
 * The new build is written beside dist/ and swapped in whole: a running assistant never sees half of it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['bot', 'dialogs', 'domain', 'storage', 'mail', 'templates'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');

const isTest = (name) => name.endsWith('.test.ts');

/** Every file and folder under the source folders (folders too: a deleted file changes its folder's time). */
function* walk(dir) {
  yield dir;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

function newestSource() {
  let newest = 0;
  for (const path of [...SOURCES.flatMap((s) => [...walk(join(ROOT, s))]), ...CONFIGS.map((c) => join(ROOT, c))]) {
    if (isTest(path)) continue;
    newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!existsSync(STAMP)) return true;
  return newestSource() > statSync(STAMP).mtimeMs;
}

export function build() {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    const message = 'scripts/build.mjs: TypeScript is not installed (a dev dependency): run `npm install`, or `npm run dev` to run the sources.';
    // `npm install --omit=dev` runs prepare too: without a compiler there is nothing to build there.
    if (process.env.npm_lifecycle_event === 'prepare') {
      console.warn(message);
      return;
    }
    console.error(message);
    process.exit(1);
  }
  const started = Date.now();
  const next = join(ROOT, `dist.tmp-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    console.error(`scripts/build.mjs: tsc failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
  // What tsc does not emit and the code reads beside itself: templates/es/**, storage/reference/data/**, …
  for (const source of SOURCES) {
    for (const path of walk(join(ROOT, source))) {
      if (path.endsWith('.ts') || statSync(path).isDirectory()) continue;
      const target = join(next, relative(ROOT, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target, { preserveTimestamps: true });
    }
  }
  // Stamped with the time the build began: a file saved while tsc ran is newer, and rebuilt next time.
  writeFileSync(join(next, '.built'), `${new Date(started).toISOString()}\n`);
  utimesSync(join(next, '.built'), new Date(started), new Date(started));
  const old = join(ROOT, `dist.old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(next, DIST);
  rmSync(old, { recursive: true, force: true });
  console.error(`scripts/build.mjs: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds when a source is newer than dist/ (or dist/ was never built). */
export function buildIfStale() {
  if (stale()) build();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale')) buildIfStale();
  else build();
}
