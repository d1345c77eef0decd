/**
 * PostgreSQL for tests: a server from DATABASE_URL, else the local cluster as the `asistente` test
 * role, and a fresh database per call. Without a server the PostgreSQL suites are reported as
 * skipped with the reason, except in CI (`CI=true`), where they fail.
 *
 *   describePg('PostgreSQL store', () => {
 *     let db: PgDatabase;
 *     beforeEach(async () => (db = await pgDatabase()));
 *     afterEach(() => db.drop());
 *     ...
 *   });
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase } from './pg-drop.js';
import { describe } from 'vitest';
import { createPool } from '../../storage/pg/pool.js';

export interface PgDatabase {
  /** Connection string of the fresh database (holds the password: never print it). */
  url: string;
  /** A pool on it, ended by drop(). */
  pool: pg.Pool;
  /** Ends the pool, closes any other connection to the database and drops it (idempotent). */
  drop(): Promise<void>;
}

/** The local cluster as the test role (see README: `create role asistente login createdb password 'asistente'`). */
const LOCAL_URL = 'postgresql://asistente:asistente@127.0.0.1:5432/postgres';

const serverUrl = (): string => process.env.DATABASE_URL || LOCAL_URL;

/** Where a URL points, without user or password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'an unparsable DATABASE_URL';
  }
}

async function probe(): Promise<string | undefined> {
  const url = serverUrl();
  const source = process.env.DATABASE_URL ? `DATABASE_URL (${where(url)})` : `no DATABASE_URL, and the local server ${where(url)} as role asistente`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>('select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user');
    if (!rows[0]?.ok) return `${source}: the role may not create databases`;
    return undefined;
  } catch (e) {
    const err = e as Error & { code?: string };
    return `${source} did not answer (${err.code ?? err.message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** undefined when a server answers; otherwise why not. */
export const pgAvailable: Promise<string | undefined> = probe();
const reason = await pgAvailable;

const inCi = () => process.env.CI === 'true';
// Also in the default reporter's output, which shows skipped suites only as a count.
if (reason !== undefined && !inCi()) console.warn(`PostgreSQL suites skipped: ${reason}`);

/** A fresh, empty database `asistente_test_<random>` on the server. */
export async function pgDatabase(): Promise<PgDatabase> {
  if (reason !== undefined) throw new Error(`PostgreSQL not available: ${reason}`);
  const name = `asistente_test_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => {
    await client.query(`create database ${name}`);
  });
  const u = new URL(serverUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, { max: 10, applicationName: 'asistente-ccf-test' });
  let dropped: Promise<void> | undefined;
  return {
    url,
    pool,
    drop() {
      dropped ??= (async () => {
        await pool.end().catch(() => {});
        await admin((client) => dropDatabase(client, name));
      })();
      return dropped;
    },
  };
}

async function admin<T>(job: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await job(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * `describe` for suites that need PostgreSQL: skipped with the reason in its title when no server
 * answers ("PostgreSQL not available: …"), but failing in CI, where a server is required.
 */
export function describePg(name: string, body: () => void): void {
  if (reason === undefined) {
    describe(name, body);
  } else if (inCi()) {
    describe(name, () => {
      throw new Error(`PostgreSQL not available in CI (CI=true): ${reason}`);
    });
  } else {
    describe.skip(`${name} — PostgreSQL not available: ${reason}`, body);
  }
}
