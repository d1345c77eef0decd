/** Dropping a test or bench database on a server where the role may not terminate others' backends. */
import type pg from 'pg';

/**
 * Drops a test database with whatever connections a test left open. WITH (FORCE) (PostgreSQL 13+)
 * refuses when an autovacuum worker is on it and the role may not signal it (42501); then this
 * closes the role's own connections and a plain DROP, which stops autovacuum by itself, waits for them.
 */
export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    return;
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e;
  }
  for (let attempt = 1; ; attempt++) {
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and usename = current_user and pid <> pg_backend_pid()', [name]);
    try {
      await client.query(`drop database if exists ${name}`);
      return;
    } catch (e) {
      // 55006: still being accessed (a terminated connection not gone yet): try again a few times.
      if ((e as { code?: string }).code !== '55006' || attempt >= 5) throw e;
      await new Promise((ok) => setTimeout(ok, 200 * attempt));
    }
  }
}

