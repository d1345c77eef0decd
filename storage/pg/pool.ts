/**
 * The node-postgres pool the PostgreSQL adapters share. Whoever calls createPool owns the pool and
 * ends it (`pool.end()`) after closing every store opened on it; the stores never end it.
 */
import pg from 'pg';

export interface PoolOptions {
  /** Connections at most (default 10: several instances share the server's max_connections). */
  max?: number;
  /** Shown in pg_stat_activity (default "asistente-ccf"). */
  applicationName?: string;
  /** A statement running longer than this is cancelled by the server (default 15 s). */
  statementTimeoutMs?: number;
  /**
   * Errors of idle connections (server restart, network cut). The pool drops such a connection by
   * itself; without a listener node-postgres would crash the process. Default: ignored.
   */
  onError?: (error: Error) => void;
}

export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    // An idle connection is closed after 30 s; waiting for a free one gives up after 10 s.
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 15_000,
    // A transaction left open by a stuck request must not hold its locks (and a connection) forever.
    idle_in_transaction_session_timeout: 60_000,
    application_name: opts.applicationName ?? 'asistente-ccf',
  });
  pool.on('error', opts.onError ?? (() => {}));
  return pool;
}

/** A pool client held for one unit of work (a transaction, a migration run). */
export interface HeldClient {
  readonly client: pg.PoolClient;
  /** Gives it back: reused when `reusable` and no error was seen on it, else the pool discards it. */
  release(reusable: boolean): void;
}

/**
 * Checks a client out with an error listener for as long as it is held: a connection lost while
 * checked out (server restart, a terminated backend) then fails the statement running on it instead
 * of crashing the process with an unhandled 'error' event, and the connection is discarded. `onLost`
 * hears the first such error (e.g. to log it).
 */
export async function checkout(pool: pg.Pool, onLost?: (error: Error) => void): Promise<HeldClient> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (e: Error) => {
    if (!lost) onLost?.(e);
    lost ??= e;
  };
  client.on('error', onError);
  return {
    client,
    release(reusable) {
      const discard = lost ?? (reusable ? undefined : new Error('connection left in an unknown state'));
      // A discarded connection keeps the listener: its socket may still report the end.
      if (!discard) client.off('error', onError);
      client.release(discard);
    },
  };
}
