/**
 * Schema migrations for PostgreSQL: the files `NNN_name.sql` of storage/pg/migrations (copied into
 * dist/ by scripts/build.mjs), applied in version order at start-up, each in its own transaction and
 * recorded in `schema_migrations` with a SHA-256 of its text. The whole run holds a session advisory
 * lock on a fixed key, so instances starting together apply each file once: the others wait, then
 * find nothing pending. Applying again is a no-op; an applied file whose text changed is an error
 * (write a new file instead). A file must not contain BEGIN/COMMIT: the runner wraps it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { checkout } from './pool.js';

/** The folder of the migration files beside this module (in the sources and in dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * The lock's key, in the two-key space of advisory locks (which never overlaps the one-key space
 * that per-conversation locks hash into): "asistente-ccf", "migrate".
 */
export const LOCK_CLASS = 0x43_43_46_00; // "CCF\0"
const LOCK_MIGRATE = 1;

/** Longest wait for the lock plus the run (a slow migration of another instance, e.g. an index build). */
const RUN_TIMEOUT = '10min';

const FILE = /^(\d{3,})_([A-Za-z0-9_-]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** Versions that were applied already. */
  current: number[];
  /** Versions recorded in the database with no file here (a newer instance's migrations). */
  unknown: number[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The migration files of `dir`, by version; other files are ignored, a duplicate version is an error. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const sql = await readFile(join(dir, file), 'utf8');
    out.push({ version: Number(m[1]), name: m[2]!, file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) throw new MigrationError(`two migration files with version ${out[i]!.version}: ${out[i - 1]!.file}, ${out[i]!.file}`);
  }
  return out;
}

/** Applies every pending migration of `dir` (default: storage/pg/migrations). Safe to run from several instances at once. */
export async function migrate(pool: pg.Pool, opts: { dir?: string } = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(opts.dir);
  const held = await checkout(pool);
  const { client } = held;
  let reusable = false;
  try {
    await client.query(`set statement_timeout = '${RUN_TIMEOUT}'`);
    await client.query('select pg_advisory_lock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE]);
    let result: MigrateResult;
    try {
      result = await run(client, migrations);
    } finally {
      await client.query('select pg_advisory_unlock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE]);
      await client.query('reset statement_timeout');
    }
    reusable = true;
    return result;
  } finally {
    // After a failure the connection is not reused (it may still hold the lock or a transaction):
    // closing it releases both.
    held.release(reusable);
  }
}

async function run(client: pg.PoolClient, migrations: readonly Migration[]): Promise<MigrateResult> {
  await client.query(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now(),
    checksum text not null
  )`);
  const { rows } = await client.query<{ version: number; name: string; checksum: string }>('select version, name, checksum from schema_migrations order by version');
  const done = new Map(rows.map((r) => [r.version, r]));
  const result: MigrateResult = { applied: [], current: [], unknown: [] };
  const known = new Set(migrations.map((m) => m.version));
  result.unknown = rows.filter((r) => !known.has(r.version)).map((r) => r.version);

  for (const m of migrations) {
    const applied = done.get(m.version);
    if (applied) {
      if (applied.checksum !== m.checksum) {
        throw new MigrationError(
          `migration ${m.file} was changed after it was applied (as ${String(applied.version).padStart(3, '0')}_${applied.name}): ` +
            'an applied migration must never be edited; add a new file with the change',
        );
      }
      result.current.push(m.version);
      continue;
    }
    try {
      await client.query('begin');
      await client.query(m.sql);
      await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => {});
      const reason = e instanceof Error ? e.message : String(e);
      throw new MigrationError(`migration ${m.file} failed and was rolled back: ${reason}`);
    }
    result.applied.push(m.version);
  }
  return result;
}
