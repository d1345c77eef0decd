/**
 * `npm run rotar-clave`: re-seals every secret at rest with the current key (SECRETS_KEY), opening
 * them with it or a previous key (SECRETS_KEY_PREVIOUS): the conversation state, the sealed form
 * values inside it, and the OAuth 2.0 password and Client Secret of the services shared by the CCFs
 * (`serviciosCompartidos`). Without DATABASE_URL the state is the files of DATA_DIR/conversaciones
 * and the store DATA_DIR/asistente.json; with DATABASE_URL the rows of `conversation_state` and the
 * PostgreSQL store (storage/pg/). `--dev` does the same for the development key file: a new
 * DATA_DIR/secret.key replaces the old one (not with DATABASE_URL). Prints counts and where something
 * failed, never a value. Idempotent: a value already sealed with the current key is left as it is.
 *
 * Without DATABASE_URL, run it with the assistant stopped (the JSON store and the state files belong
 * to one process): it refuses when the assistant answers at HOST:PORT. With DATABASE_URL the
 * instances may keep running, provided every one already runs with the new SECRETS_KEY and the old
 * key in SECRETS_KEY_PREVIOUS (both keys open every value meanwhile): a row is rewritten only if its
 * eTag is unchanged since it was read (else it is read again), the store transaction is a
 * serializable one, so the HOST:PORT check does not apply.
 * Exit codes: 0 done; 1 some value opens with no key given (left as it is); 2 nothing done (usage,
 * configuration, the assistant is running, no development key, the database does not answer).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, utimes } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../bot/config.js';
import { audit } from '../domain/audit.js';
import type { Clock, Random, Store } from '../domain/ports.js';
import { cryptoRandom, systemClock } from '../domain/random.js';
import type { CredencialesOAuth } from '../domain/servicios-web.js';
import { openJsonStore } from '../storage/json-store.js';
import { namesIn, writePrivateFile } from '../storage/private-file.js';
import { decodeState, encodeState, isSealedState } from '../storage/state-codec.js';
import { foldStateJournal, forgetCachedState } from '../storage/state-store.js';
import { createSecretBox, devKeyPath, parseSecretsKey, type RotatingSecretBox } from '../storage/secret-box.js';

export interface RotationCounts {
  /** Sealed again with the current key (or, for a state file written unsealed, sealed now). */
  resellados: number;
  /** Already sealed with the current key: left as they were. */
  alDia: number;
  /** Opened by no key given (tampered, or sealed with a key not given): left as they were. */
  fallidos: number;
}

export interface RotationReport {
  /** Conversation-state items: the files of DATA_DIR/conversaciones, or with PostgreSQL the rows of `conversation_state`. */
  readonly archivos: RotationCounts;
  /** Sealed values: form secrets inside the state files, and the secrets of `serviciosCompartidos`. */
  readonly secretos: RotationCounts;
  /** Where each failure is (a file name, a row's short key hash, a record id and field), never a value. */
  readonly fallas: string[];
}

interface CommonDeps {
  /** Seals with the new key; opens with it and the previous ones. */
  readonly box: RotatingSecretBox;
  readonly store: Store;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** Where the conversation state is: the files of DATA_DIR/conversaciones, or PostgreSQL's `conversation_state`. */
export type RotationDeps = CommonDeps &
  (
    | {
        /** DATA_DIR/conversaciones */
        readonly stateDir: string;
        readonly pool?: undefined;
      }
    | {
        /** The pool whose database holds `conversation_state` (storage/pg/pg-state-store.ts). Not ended here. */
        readonly pool: Pool;
        readonly stateDir?: undefined;
        /** Rows read per batch (default 200). */
        readonly batchSize?: number;
        /** Called after each batch is read, before its rows are rewritten (tests: a write meanwhile). */
        readonly onBatchRead?: () => Promise<void>;
      }
  );

// The state files of storage/state-store.ts: `<sha256(key)>.json`, a sealed `{ key, item }`.
const STATE_FILE = /^[0-9a-f]{64}\.json$/;
// Every store field sealed with the SecretBox; a new sealed field is one more entry here.
const SEALED_CREDENTIALS = ['passwordSellada', 'clientSecretSellado'] as const satisfies readonly (keyof CredencialesOAuth)[];
const SYSTEM = { ref: 'sistema', channel: 'system' } as const;

const counts = (): RotationCounts => ({ resellados: 0, alDia: 0, fallidos: 0 });

/** Re-seals every secret at rest with the box's current key; what no key opens is counted and left alone. */
export async function rotateSecrets(deps: RotationDeps): Promise<RotationReport> {
  const report: RotationReport = { archivos: counts(), secretos: counts(), fallas: [] };

  if (deps.pool) {
    await resealPgState(deps.pool, deps.box, report, deps.batchSize ?? 200, deps.onBatchRead);
  } else {
    // The latest writes may still be in the folder's journal: into the files first (this process's
    // journal, and one a stopped or killed assistant left).
    await foldStateJournal(deps.stateDir);
    for (const name of (await namesIn(deps.stateDir)).filter((n) => STATE_FILE.test(n)).sort()) {
      await resealStateFile(deps.box, join(deps.stateDir, name), `conversaciones/${name}`, report);
    }
    forgetCachedState(); // the files changed under any state store open in this process
  }

  // The PostgreSQL store may run `work` more than once (a serialization failure): what it counts is
  // kept apart and added to the report once the transaction committed.
  let services = sealer(deps.box);
  await deps.store.transaction(async (tx) => {
    services = sealer(deps.box);
    const repo = tx.collection('serviciosCompartidos');
    for (const servicio of await repo.list()) {
      const before = servicio.credenciales;
      if (!before) continue;
      let after = before;
      for (const field of SEALED_CREDENTIALS) {
        const sealed = before[field];
        if (typeof sealed !== 'string' || sealed === '') continue;
        const next = services.reseal(sealed, `serviciosCompartidos/${servicio.id}.credenciales.${field}`);
        if (next !== sealed) after = { ...after, [field]: next };
      }
      // A key rotation is not a change by the CCF: actualizadoEn and por stay.
      if (after !== before) await repo.put({ ...servicio, credenciales: after });
    }
    await audit(tx, deps.clock ?? systemClock, deps.random ?? cryptoRandom, SYSTEM, 'secretos.resellados', undefined, {
      archivosResellados: report.archivos.resellados,
      archivosAlDia: report.archivos.alDia,
      archivosFallidos: report.archivos.fallidos,
      secretosResellados: report.secretos.resellados + services.counts.resellados,
      secretosAlDia: report.secretos.alDia + services.counts.alDia,
      secretosFallidos: report.secretos.fallidos + services.counts.fallidos,
    });
  });
  addValues(report, services);
  return report;
}

/** Re-seals single sealed values, counting them apart (see addValues). */
interface Sealer {
  readonly counts: RotationCounts;
  readonly fallas: string[];
  reseal(sealed: string, where: string): string;
}

function sealer(box: RotatingSecretBox): Sealer {
  const out: Sealer = {
    counts: counts(),
    fallas: [],
    reseal(sealed, where) {
      try {
        const next = box.reseal(sealed);
        if (next === sealed) out.counts.alDia++;
        else out.counts.resellados++;
        return next;
      } catch {
        out.counts.fallidos++;
        out.fallas.push(where);
        return sealed;
      }
    },
  };
  return out;
}

function addValues(report: RotationReport, values: Sealer): void {
  report.secretos.resellados += values.counts.resellados;
  report.secretos.alDia += values.counts.alDia;
  report.secretos.fallidos += values.counts.fallidos;
  report.fallas.push(...values.fallas);
}

interface ResealedState {
  /** Whether `text` must be written: sealed with a previous key, written unsealed, or a value inside re-sealed. */
  readonly stale: boolean;
  /** The state sealed with the current key, every form secret inside too (meaningful when stale). */
  readonly text: string;
  /** The sealed values inside. */
  readonly values: Sealer;
}

/**
 * One stored conversation state (a file's or a row's text, storage/state-codec.ts) re-sealed with the
 * box's current key, and the form secrets inside it (dialogs/form: `{ $sealed }`). Undefined when no
 * key opens it or it does not hold JSON. Writes nothing.
 */
function resealState(box: RotatingSecretBox, text: string, where: string): ResealedState | undefined {
  let json: string;
  let stale: boolean;
  try {
    stale = !isSealedState(text) || box.needsReseal(text.trim()); // written unsealed by an earlier version: sealed now
    json = decodeState(text, (t) => box.open(t));
  } catch {
    return undefined;
  }
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return undefined;
  }
  const values = sealer(box);
  let index = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.$sealed === 'string') {
      const sealed = record.$sealed;
      record.$sealed = values.reseal(sealed, `${where} (valor sellado ${++index})`);
      if (record.$sealed !== sealed) stale = true;
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(stored);
  return { stale, text: stale ? encodeState(JSON.stringify(stored), box) : text, values };
}

async function resealStateFile(box: RotatingSecretBox, file: string, where: string, report: RotationReport): Promise<void> {
  const text = (await readFile(file, 'utf8')).trim();
  const times = await stat(file);
  const out = resealState(box, text, where);
  if (!out) {
    report.archivos.fallidos++;
    report.fallas.push(where);
    return;
  }
  addValues(report, out.values);
  if (!out.stale) {
    report.archivos.alDia++;
    return;
  }
  await writePrivateFile(file, out.text);
  // Retention deletes conversations by their last write: a re-seal must not make them look recent.
  await utimes(file, times.atime, times.mtime);
  report.archivos.resellados++;
}

interface StateRow {
  /** sha256 hex of the state key (storage/pg/pg-state-store.ts): names no one. */
  key: string;
  value: string;
  etag: string;
}

/** Tries of a row written by an instance each time between reading it and rewriting it. */
const ROW_ATTEMPTS = 5;

/**
 * Every row of `conversation_state`, in batches by key. A stale row is rewritten only if its eTag is
 * still the one read (else it is read again and re-sealed anew): a running instance's write is never
 * overwritten. The eTag and `updated_at` stay: the item did not change (a turn that read it may still
 * write it) and retention deletes by `updated_at`.
 */
async function resealPgState(
  pool: Pool,
  box: RotatingSecretBox,
  report: RotationReport,
  batchSize: number,
  onBatchRead: (() => Promise<void>) | undefined,
): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await pool.query<StateRow>('SELECT key, value, etag FROM conversation_state WHERE key > $1 ORDER BY key LIMIT $2', [
      after,
      batchSize,
    ]);
    if (rows.length === 0) return;
    await onBatchRead?.();
    for (const row of rows) await resealPgRow(pool, box, row, report);
    after = rows[rows.length - 1]!.key;
    if (rows.length < batchSize) return;
  }
}

async function resealPgRow(pool: Pool, box: RotatingSecretBox, first: StateRow, report: RotationReport): Promise<void> {
  const where = `conversation_state/${first.key.slice(0, 12)}`;
  let row = first;
  for (let attempt = 1; ; attempt++) {
    const out = resealState(box, row.value, where);
    if (!out) {
      report.archivos.fallidos++;
      report.fallas.push(where);
      return;
    }
    if (!out.stale) {
      addValues(report, out.values);
      report.archivos.alDia++;
      return;
    }
    const { rowCount } = await pool.query('UPDATE conversation_state SET value = $2 WHERE key = $1 AND etag = $3', [row.key, out.text, row.etag]);
    if (rowCount === 1) {
      addValues(report, out.values);
      report.archivos.resellados++;
      return;
    }
    // Written or deleted by an instance since it was read: read it again.
    const again = await pool.query<StateRow>('SELECT key, value, etag FROM conversation_state WHERE key = $1', [row.key]);
    if (!again.rows[0]) return; // deleted: nothing left to re-seal
    if (attempt >= ROW_ATTEMPTS) {
      report.archivos.fallidos++;
      report.fallas.push(`${where} (cambió en cada intento: ejecútelo de nuevo)`);
      return;
    }
    row = again.rows[0];
  }
}

/** True when the assistant answers its health check at the configured HOST:PORT. */
export async function assistantAnswers(config: Pick<Config, 'HOST' | 'PORT'>, timeoutMs = 1500): Promise<boolean> {
  if (config.PORT === 0) return false;
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST === '::' ? '::1' : config.HOST;
  return new Promise((done) => {
    const req = request({ host, port: config.PORT, path: '/healthz', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 1000)));
      res.on('end', () => {
        try {
          done(typeof (JSON.parse(body) as { status?: unknown }).status === 'string');
        } catch {
          done(false);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}

const USAGE = `Usage:
  SECRETS_KEY=<new key> SECRETS_KEY_PREVIOUS=<old key>[,<older key>…] npm run rotar-clave
  npm run rotar-clave -- --dev     (the development key file DATA_DIR/secret.key: a new one replaces it)
Stop the assistant first; with DATABASE_URL, configure both keys on every instance first instead.
Exit codes: 0 done, 1 some value opens with no key given, 2 nothing done.`;

/** The command line; returns the exit code. Output: the report as JSON on stdout, notes on stderr. */
export async function main(args: readonly string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const say = (text: string) => process.stderr.write(`${text}\n`);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--dev');
  if (unknown.length > 0) {
    say(`Unknown argument ${JSON.stringify(unknown[0])}.\n${USAGE}`);
    return 2;
  }
  const dev = args.includes('--dev');
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    say(`${loaded.message}\nSee .env.example for every setting.`);
    return 2;
  }
  const config = loaded.config;
  const dataDir = resolve(config.DATA_DIR);
  const databaseUrl = config.DATABASE_URL; // never printed: it may carry a password
  if (dev && databaseUrl) {
    say(
      '--dev rotates the development key file of one data directory, but DATABASE_URL is set (instances share the database): ' +
        'set SECRETS_KEY to a new key and SECRETS_KEY_PREVIOUS to the development key (DATA_DIR/secret.key) on every instance instead. Nothing was changed.',
    );
    return 2;
  }
  // With PostgreSQL the instances may keep running (see the module comment): no HOST:PORT check.
  if (!databaseUrl && (await assistantAnswers(config))) {
    say(`The assistant is running (it answers at ${config.HOST}:${config.PORT}): stop it, then run this again. Nothing was changed.`);
    return 2;
  }

  let box: RotatingSecretBox;
  let pendingDevKey: string | undefined;
  if (dev) {
    if (config.SECRETS_KEY) {
      say('--dev rotates the development key file, but SECRETS_KEY is set: set SECRETS_KEY to the new key and SECRETS_KEY_PREVIOUS to the old one instead.');
      return 2;
    }
    const current = await readKey(devKeyPath(dataDir));
    if (!current.ok) {
      say(current.message);
      return 2;
    }
    // The new key is on disk before anything is sealed with it: an interrupted run is finished by the next one.
    pendingDevKey = `${devKeyPath(dataDir)}.nueva`;
    const pending = await readKey(pendingDevKey);
    let next: Buffer;
    if (pending.ok) {
      next = pending.key;
      say('Finishing an interrupted rotation of the development key.');
    } else if (pending.missing) {
      next = randomBytes(32);
      await writePrivateFile(pendingDevKey, `${next.toString('hex')}\n`);
    } else {
      say(pending.message);
      return 2;
    }
    box = createSecretBox(next, [current.key, ...config.SECRETS_KEY_PREVIOUS]);
  } else {
    const key = config.SECRETS_KEY ? parseSecretsKey(config.SECRETS_KEY) : undefined;
    if (!key) {
      say(`SECRETS_KEY ${config.SECRETS_KEY ? 'is not a valid 32-byte key' : 'is not set'}: set it to the new key and SECRETS_KEY_PREVIOUS to the old one(s); or use --dev for the development key file.\n${USAGE}`);
      return 2;
    }
    if (config.SECRETS_KEY_PREVIOUS.length === 0) say('SECRETS_KEY_PREVIOUS is not set: this only checks that every value opens with SECRETS_KEY.');
    box = createSecretBox(key, config.SECRETS_KEY_PREVIOUS);
  }

  let report: RotationReport;
  if (databaseUrl) {
    const rotated = await rotatePostgres(databaseUrl, box, say);
    if (!rotated) return 2;
    report = rotated;
  } else {
    const store = await openJsonStore({ file: join(dataDir, 'asistente.json') });
    try {
      report = await rotateSecrets({ box, stateDir: join(dataDir, 'conversaciones'), store });
    } finally {
      await store.close();
    }
  }
  // What was re-sealed needs the new key from now on, also when something failed.
  if (pendingDevKey) await rename(pendingDevKey, devKeyPath(dataDir));
  process.stdout.write(`${JSON.stringify({ rotacion: report }, null, 2)}\n`);
  const failed = report.archivos.fallidos + report.secretos.fallidos;
  if (failed > 0) {
    say(
      `${failed} value(s) open with no key given (tampered, or sealed with a key missing from SECRETS_KEY_PREVIOUS): left as they were, listed in "fallas". ` +
        'Add the missing key to SECRETS_KEY_PREVIOUS and run this again; what no key opens is lost.',
    );
    return 1;
  }
  return 0;
}

/** The rotation on PostgreSQL (pg loaded only here); undefined when the database cannot be opened (nothing done). */
async function rotatePostgres(url: string, box: RotatingSecretBox, say: (text: string) => void): Promise<RotationReport | undefined> {
  const [{ createPool }, { openPgStore }] = await Promise.all([import('../storage/pg/pool.js'), import('../storage/pg/pg-store.js')]);
  const pool = createPool(url, { max: 2, applicationName: 'asistente-ccf-rotar-clave', statementTimeoutMs: 60_000 });
  try {
    let store: Store;
    try {
      store = await openPgStore({ pool }); // applies pending migrations, as an instance does at start
    } catch (e) {
      const err = e as Error & { code?: string };
      say(`PostgreSQL (DATABASE_URL) could not be opened (${err.code ?? err.message}). Nothing was changed.`);
      return undefined;
    }
    say('PostgreSQL: every instance must already run with the new SECRETS_KEY and the old key in SECRETS_KEY_PREVIOUS.');
    try {
      return await rotateSecrets({ box, pool, store });
    } finally {
      await store.close();
    }
  } finally {
    await pool.end();
  }
}

type KeyFile = { ok: true; key: Buffer } | { ok: false; missing: boolean; message: string };

async function readKey(path: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { ok: false, missing: true, message: `There is no development key at ${path}: there is nothing to rotate.` };
  }
  const key = parseSecretsKey(text);
  return key ? { ok: true, key } : { ok: false, missing: false, message: `${path} does not hold a 32-byte key; it was left untouched.` };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
