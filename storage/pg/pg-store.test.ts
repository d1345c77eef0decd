import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../domain/ports.js';
import { CONTRACT_UNIQUE_FIELDS, storeContract } from '../../test/contracts/store.contract.js';
import { describePg, pgDatabase, type PgDatabase } from '../../test/helpers/postgres.js';
import { openPgStore } from './pg-store.js';
import { createPool } from './pool.js';

describePg('PostgreSQL store', () => {
  storeContract('PostgreSQL', async () => {
    const db = await pgDatabase();
    let pool = db.pool;
    let current = await openPgStore({ pool, uniqueFields: CONTRACT_UNIQUE_FIELDS });
    return {
      store: current,
      async reopen() {
        // A new store object on a new pool: nothing carried over in memory.
        await current.close();
        if (pool !== db.pool) await pool.end();
        pool = createPool(db.url, { max: 10 });
        current = await openPgStore({ pool, uniqueFields: CONTRACT_UNIQUE_FIELDS });
        return current;
      },
      async cleanup() {
        await current.close();
        if (pool !== db.pool) await pool.end();
        await db.drop();
      },
    };
  });
});
