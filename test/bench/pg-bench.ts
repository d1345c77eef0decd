/**
 * The bench's figures on PostgreSQL (issue 14), when DATABASE_URL names a server: the domain write
 * turn with little and with a lot of data, and the journey's turns per second with the assistant on
 * PostgreSQL. Each run gets its own database on that server (`asistente_bench_<random>`), dropped
 * afterwards; the data set is loaded with bulk inserts (what the store would take minutes to write
 * one transaction at a time is not what is measured).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../domain/ports.js';
import { migrate } from '../../storage/pg/migrate.js';
import { openPgStore } from '../../storage/pg/pg-store.js';
import { createPool } from '../../storage/pg/pool.js';
import { dropDatabase } from '../helpers/pg-drop.js';
import { auditEvent, citizen, employer, measureWrites, type StoreSizes, type WriteTurns } from './store-bench.js';

export interface BenchDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  /** Records of `collection` in the database (a fresh connection: the pool may be ended). */
  count(collection: string): Promise<number>;
  drop(): Promise<void>;
}

/** A fresh database on the server of `serverUrl`, migrated. */
export async function benchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `asistente_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string, on = serverUrl, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: on });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, { applicationName: 'asistente-ccf-bench' });
  await migrate(pool);
  return {
    url,
    pool,
    count: async (collection) => Number((await admin('select count(*) as n from records where collection = $1', url, [collection]))[0]?.['n'] ?? 0),
    async drop() {
      await pool.end().catch(() => undefined);
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await dropDatabase(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

/** Bulk load: the same records the JSON bench stores, 5,000 rows a statement. */
async function load(pool: pg.Pool, sizes: StoreSizes): Promise<void> {
  const put = async (collection: string, n: number, make: (i: number) => { id: string }) => {
    for (let i = 0; i < n; i += 5_000) {
      const rows = Array.from({ length: Math.min(5_000, n - i) }, (_, k) => make(i + k));
      await pool.query(
        `insert into records (collection, id, data) select $1, r ->> 'id', r from json_array_elements($2::json) as r`,
        [collection, JSON.stringify(rows)],
      );
    }
  };
  await put('citizens', sizes.citizens, citizen);
  await put('audit', sizes.audit, auditEvent);
  await put('employers', sizes.employers, employer);
  await pool.query('analyze records');
}

export interface PgStoreFigures {
  readonly small: WriteTurns;
  readonly large: WriteTurns;
}

/** Goal 1's write turn on PostgreSQL: a database with `small` and one with `large`. */
export async function pgStoreFigures(
  serverUrl: string,
  small: StoreSizes,
  large: StoreSizes,
  opts: { turns: number; minTurns: number; budgetMs: number },
): Promise<PgStoreFigures> {
  const measure = async (sizes: StoreSizes): Promise<WriteTurns> => {
    const db = await benchDatabase(serverUrl);
    let store: Store | undefined;
    try {
      await load(db.pool, sizes);
      store = await openPgStore({ pool: db.pool, migrate: false });
      return await measureWrites(store, sizes.citizens, opts);
    } finally {
      await store?.close();
      await db.drop();
    }
  };
  return { small: await measure(small), large: await measure(large) };
}
