/**
 * `npm run rotar-clave`: re-seals every secret at rest with the current key (SECRETS_KEY), opening
 * them with it or a previous key (SECRETS_KEY_PREVIOUS): the conversation-state files, the sealed
 * form values inside them, and the OAuth 2.0 password and Client Secret of the services shared by
 * the CCFs (`serviciosCompartidos`). `--dev` does the same for the development key file: a new
 * DATA_DIR/secret.key replaces the old one. Prints counts and where something failed, never a value.
 * Idempotent: a value already sealed with the current key is left as it is. Run it with the assistant
 * stopped (the JSON store and the state files belong to one process): it refuses when the assistant
 * answers at HOST:PORT. Exit codes: 0 done; 1 some value opens with no key given (left as it is);
 * 2 nothing done (usage, configuration, the assistant is running, no development key).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, utimes } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '../bot/config.js';
import { audit } from '../domain/audit.js';
import type { Clock, Random, Store } from '../domain/ports.js';
import { cryptoRandom, systemClock } from '../domain/random.js';
import type { CredencialesOAuth } from '../domain/servicios-web.js';
import { openJsonStore } from '../storage/json-store.js';
import { namesIn, writePrivateFile } from '../storage/private-file.js';
import { decodeState, encodeState, isSealedState } from '../storage/state-codec.js';
import { forgetCachedState } from '../storage/state-store.js';
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
  /** Conversation-state files (DATA_DIR/conversaciones). */
  readonly archivos: RotationCounts;
  /** Sealed values: form secrets inside the state files, and the secrets of `serviciosCompartidos`. */
  readonly secretos: RotationCounts;
  /** Where each failure is (a file name, a record id and field), never a value. */
  readonly fallas: string[];
}

export interface RotationDeps {
  /** Seals with the new key; opens with it and the previous ones. */
  readonly box: RotatingSecretBox;
  /** DATA_DIR/conversaciones */
  readonly stateDir: string;
  readonly store: Store;
  readonly clock?: Clock;
  readonly random?: Random;
}

// The state files of storage/state-store.ts: `<sha256(key)>.json`, a sealed `{ key, item }`.
const STATE_FILE = /^[0-9a-f]{64}\.json$/;
// Every store field sealed with the SecretBox; a new sealed field is one more entry here.
const SEALED_CREDENTIALS = ['passwordSellada', 'clientSecretSellado'] as const satisfies readonly (keyof CredencialesOAuth)[];
const SYSTEM = { ref: 'sistema', channel: 'system' } as const;

const counts = (): RotationCounts => ({ resellados: 0, alDia: 0, fallidos: 0 });

/** Re-seals every secret at rest with the box's current key; what no key opens is counted and left alone. */
export async function rotateSecrets(deps: RotationDeps): Promise<RotationReport> {
  const report: RotationReport = { archivos: counts(), secretos: counts(), fallas: [] };
  const resealValue = (sealed: string, where: string): string => {
    try {
      const next = deps.box.reseal(sealed);
      if (next === sealed) report.secretos.alDia++;
      else report.secretos.resellados++;
      return next;
    } catch {
      report.secretos.fallidos++;
      report.fallas.push(where);
      return sealed;
    }
  };

  for (const name of (await namesIn(deps.stateDir)).filter((n) => STATE_FILE.test(n)).sort()) {
    await resealStateFile(deps.box, join(deps.stateDir, name), `conversaciones/${name}`, report, resealValue);
  }
  forgetCachedState(); // the files changed under any state store open in this process

  await deps.store.transaction(async (tx) => {
    const repo = tx.collection('serviciosCompartidos');
    for (const servicio of await repo.list()) {
      const before = servicio.credenciales;
      if (!before) continue;
      let after = before;
      for (const field of SEALED_CREDENTIALS) {
        const sealed = before[field];
        if (typeof sealed !== 'string' || sealed === '') continue;
        const next = resealValue(sealed, `serviciosCompartidos/${servicio.id}.credenciales.${field}`);
        if (next !== sealed) after = { ...after, [field]: next };
      }
      // A key rotation is not a change by the CCF: actualizadoEn and por stay.
      if (after !== before) await repo.put({ ...servicio, credenciales: after });
    }
    await audit(tx, deps.clock ?? systemClock, deps.random ?? cryptoRandom, SYSTEM, 'secretos.resellados', undefined, {
      archivosResellados: report.archivos.resellados,
      archivosAlDia: report.archivos.alDia,
      archivosFallidos: report.archivos.fallidos,
      secretosResellados: report.secretos.resellados,
      secretosAlDia: report.secretos.alDia,
      secretosFallidos: report.secretos.fallidos,
    });
  });
  return report;
}

async function resealStateFile(
  box: RotatingSecretBox,
  file: string,
  where: string,
  report: RotationReport,
  resealValue: (sealed: string, where: string) => string,
): Promise<void> {
  const fail = () => {
    report.archivos.fallidos++;
    report.fallas.push(where);
  };
  const text = (await readFile(file, 'utf8')).trim();
  const times = await stat(file);
  let json: string;
  let stale: boolean;
  try {
    stale = !isSealedState(text) || box.needsReseal(text); // written unsealed by an earlier version: sealed now
    json = decodeState(text, (t) => box.open(t));
  } catch {
    return fail();
  }
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return fail();
  }
  // Form secrets are sealed again inside the sealed file (dialogs/form: `{ $sealed }`).
  let index = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.$sealed === 'string') {
      const sealed = record.$sealed;
      record.$sealed = resealValue(sealed, `${where} (valor sellado ${++index})`);
      if (record.$sealed !== sealed) stale = true;
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(stored);
  if (!stale) {
    report.archivos.alDia++;
    return;
  }
  await writePrivateFile(file, encodeState(JSON.stringify(stored), box));
  // Retention deletes conversations by their last write: a re-seal must not make them look recent.
  await utimes(file, times.atime, times.mtime);
  report.archivos.resellados++;
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
Stop the assistant first. Exit codes: 0 done, 1 some value opens with no key given, 2 nothing done.`;

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
  if (await assistantAnswers(config)) {
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

  const store = await openJsonStore({ file: join(dataDir, 'asistente.json') });
  let report: RotationReport;
  try {
    report = await rotateSecrets({ box, stateDir: join(dataDir, 'conversaciones'), store });
  } finally {
    await store.close();
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
