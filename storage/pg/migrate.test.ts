import { cp, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePg, pgDatabase, type PgDatabase } from '../../test/helpers/postgres.js';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from './migrate.js';
import { createPool } from './pool.js';

describePg('PostgreSQL migrations', () => {
  let db: PgDatabase;
  let dir: string;

  beforeEach(async () => {
    db = await pgDatabase();
    // A copy of the real migrations that a test may change.
    dir = await mkdtemp(join(tmpdir(), 'ccf-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterEach(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const recorded = async () =>
    (await db.pool.query<{ version: number; name: string; checksum: string }>('select version, name, checksum from schema_migrations order by version')).rows;

  it('finds the files NNN_name.sql in version order, 001_store first', async () => {
    const files = await readMigrations();
    expect(files[0]).toMatchObject({ version: 1, name: 'store', file: '001_store.sql' });
    expect(files.map((f) => f.version)).toEqual([...files.map((f) => f.version)].sort((a, b) => a - b));
  });

  it('applies every file once, records it, and applying again is a no-op', async () => {
    const files = await readMigrations();
    const first = await migrate(db.pool);
    expect(first.applied).toEqual(files.map((f) => f.version));
    expect(await recorded()).toEqual(files.map((f) => ({ version: f.version, name: f.name, checksum: f.checksum })));
    const tables = async () => (await db.pool.query<{ n: number }>(`select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace`)).rows[0]!.n;
    const objects = await tables();

    const second = await migrate(db.pool);
    expect(second).toEqual({ applied: [], current: files.map((f) => f.version), unknown: [] });
    expect(await recorded()).toHaveLength(files.length);
    expect(await tables()).toBe(objects);
  });

  it('two instances starting together on a fresh database: both succeed, each version applied once', async () => {
    const other = createPool(db.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(db.pool), migrate(other)]);
      const versions = (await readMigrations()).map((f) => f.version);
      // One of them applied everything; the other waited for the lock and found nothing pending.
      expect([a.applied, b.applied].sort((x, y) => y.length - x.length)).toEqual([versions, []]);
      expect((await recorded()).map((r) => r.version)).toEqual(versions);
    } finally {
      await other.end();
    }
  });

  it('refuses an applied file whose text changed, and applies nothing after it', async () => {
    await migrate(db.pool, { dir });
    await appendFile(join(dir, '001_store.sql'), '\n-- edited after it was applied\n');
    await writeFile(join(dir, '998_later.sql'), 'create table later (x int);\n');
    await expect(migrate(db.pool, { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/001_store\.sql was changed after it was applied/);
    expect((await recorded()).map((r) => r.version)).not.toContain(998);
  });

  it('applies a file added later, and rolls back a failing one without recording it', async () => {
    await migrate(db.pool, { dir });
    await writeFile(join(dir, '998_later.sql'), 'create table later (x int);\n');
    await writeFile(join(dir, '999_broken.sql'), 'create table half (x int);\nselect * from no_such_table;\n');
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/999_broken\.sql failed and was rolled back/);
    const versions = (await recorded()).map((r) => r.version);
    expect(versions).toContain(998);
    expect(versions).not.toContain(999);
    const half = await db.pool.query(`select to_regclass('public.half') as t`);
    expect(half.rows[0].t).toBeNull();
    // The lock was released: a later run works (and still stops at the broken file).
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/999_broken/);
  });

  it('refuses two files with the same version', async () => {
    await writeFile(join(dir, '001_other.sql'), 'select 1;\n');
    await expect(migrate(db.pool, { dir })).rejects.toThrow(/two migration files with version 1/);
  });
});
