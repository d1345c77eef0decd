/**
 * `npm run rotar-clave` with DATABASE_URL: the rows of `conversation_state` (form secrets inside) and
 * a shared service's OAuth secrets in the PostgreSQL store, sealed with key A, are re-sealed to key B,
 * through the exported function and through the real command line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../domain/ports.js';
import { migrate } from '../storage/pg/migrate.js';
import { openPgStore } from '../storage/pg/pg-store.js';
import { createPgStateStore } from '../storage/pg/pg-state-store.js';
import { createSecretBox } from '../storage/secret-box.js';
import { rotateSecrets } from '../scripts/rotate-secrets.js';
import { describePg, pgDatabase, type PgDatabase } from './helpers/postgres.js';
import { openSealedValues } from './helpers/sealed.js';
import { expectNoSecretIn as expectNoneOf, runRotation, type RotationRun as Run, sealedService } from './helpers/rotation.js';

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const boxA = createSecretBox(KEY_A);
const boxB = createSecretBox(KEY_B);
const rotating = () => createSecretBox(KEY_B, [KEY_A]);

// Every plain secret of the fixture: none may appear in any output or in the database.
const SECRETS = {
  formClave: 'Clave-De-Formulario-7781',
  formOtra: 'Otra-Clave-Del-Usuario-5512',
  legacyClave: 'Clave-En-Fila-Sin-Sellar-3390',
  password: 'Password-Del-Token-4471',
  clientSecret: 'Client-Secret-Del-Servicio-9023',
  password2: 'Password-Segundo-Servicio-1187',
  clientSecret2: 'Client-Secret-Segundo-6650',
};
const ALL_PLAIN = Object.values(SECRETS).sort();
const STATE_KEYS = ['webchat/conversations/c-1/', 'msteams/users/u-1/', 'webchat/conversations/c-legacy/'];
const SERVICE_ID = '860007336:ConsultaAfiliadosCaja';
const SERVICE_2 = '890900842:ValidarDerechos';
const INCOMPLETE = '890900842:SoloDatos';
const OLD_UPDATE = new Date('2026-01-02T03:04:05.000Z');
const hashOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');


interface Row {
  key: string;
  value: string;
  etag: string;
  updated_at: Date;
}

describePg('npm run rotar-clave with PostgreSQL', () => {
  let db: PgDatabase;
  let dir: string;

  /** The database as instances with key A leave it. */
  async function seed(): Promise<void> {
    await migrate(db.pool);
    await createPgStateStore({ pool: db.pool, secrets: boxA }).write({
      [STATE_KEYS[0]!]: {
        dialogState: { dialogStack: [{ id: 'form', state: { values: { usuario: 'x', clave: { $sealed: boxA.seal(SECRETS.formClave) } } } }] },
      },
      [STATE_KEYS[1]!]: { sesion: { citizenId: 'ciudadano-1' }, otros: [{ $sealed: boxA.seal(SECRETS.formOtra) }] },
    });
    // A row written without a box (plain JSON), holding a sealed form value.
    await createPgStateStore({ pool: db.pool }).write({ [STATE_KEYS[2]!]: { valores: { clave: { $sealed: boxA.seal(SECRETS.legacyClave) } } } });
    await db.pool.query('UPDATE conversation_state SET updated_at = $1', [OLD_UPDATE]);

    const store = await openPgStore({ pool: db.pool });
    await store.transaction(async (tx) => {
      const repo = tx.collection('serviciosCompartidos');
      await repo.put(sealedService(SERVICE_ID, SECRETS.password, SECRETS.clientSecret, boxA));
      await repo.put(sealedService(SERVICE_2, SECRETS.password2, SECRETS.clientSecret2, boxA));
      await repo.put({ id: INCOMPLETE, nit: '890900842', nombre: 'SoloDatos', creadoEn: 'x', actualizadoEn: 'x', por: 'ciudadano-2' });
    });
    await store.close();
  }

  async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
    const store = await openPgStore({ pool: db.pool });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  const services = () => withStore((s) => s.transaction((tx) => tx.collection('serviciosCompartidos').list()));
  const rows = async () => (await db.pool.query<Row>('SELECT key, value, etag, updated_at FROM conversation_state ORDER BY key')).rows;

  /** Every sealed value in the database, opened with `box` alone (throws when one does not open). */
  async function openEverything(box: ReturnType<typeof createSecretBox>): Promise<string[]> {
    const items = await createPgStateStore({ pool: db.pool, secrets: box }).read(STATE_KEYS);
    expect(Object.keys(items).sort()).toEqual([...STATE_KEYS].sort());
    return openSealedValues(items, await services(), box);
  }

  const expectNoSecretIn = (text: string): void => expectNoneOf(text, Object.values(SECRETS), [KEY_A, KEY_B]);

  async function tamperClientSecret(id: string): Promise<string> {
    return withStore((store) =>
      store.transaction(async (tx) => {
        const repo = tx.collection('serviciosCompartidos');
        const s = (await repo.get(id))!;
        const parts = s.credenciales!.clientSecretSellado.split('.');
        const body = Buffer.from(parts[3]!, 'base64url');
        body[0]! ^= 1;
        parts[3] = body.toString('base64url');
        const tampered = parts.join('.');
        await repo.put({ ...s, credenciales: { ...s.credenciales!, clientSecretSellado: tampered } });
        return tampered;
      }),
    );
  }

  beforeEach(async () => {
    db = await pgDatabase();
    dir = await mkdtemp(join(tmpdir(), 'ccf-rotate-pg-'));
    await seed();
  });
  afterEach(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  describe('rotateSecrets (the exported function)', () => {
    it('re-seals every row, every form secret inside them and every shared-service secret; keeps each row\'s eTag and updated_at', async () => {
      expect(await openEverything(boxA)).toEqual(ALL_PLAIN);
      await expect(openEverything(boxB)).rejects.toThrow(/cannot be opened/);
      const before = await rows();

      // Batches of 2 over 3 rows: the second batch starts after the first one's last key.
      const report = await withStore((store) => rotateSecrets({ box: rotating(), pool: db.pool, store, batchSize: 2 }));

      expect(report).toEqual({
        archivos: { resellados: 3, alDia: 0, fallidos: 0 },
        secretos: { resellados: 7, alDia: 0, fallidos: 0 },
        fallas: [],
      });
      expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
      await expect(openEverything(boxA)).rejects.toThrow(/cannot be opened/);
      const after = await rows();
      expect(after.map(({ key, etag, updated_at }) => ({ key, etag, updated_at }))).toEqual(
        before.map(({ key, etag, updated_at }) => ({ key, etag, updated_at })),
      );
      for (const row of after) {
        expect(row.updated_at).toEqual(OLD_UPDATE);
        expect(row.value.startsWith('{')).toBe(false); // the plain row is sealed now
        expectNoSecretIn(row.value);
      }
      expectNoSecretIn(JSON.stringify(report));
      const [records] = [(await db.pool.query<{ data: unknown }>('SELECT data FROM records')).rows];
      expectNoSecretIn(JSON.stringify(records));
      const audit = await withStore((s) => s.transaction((tx) => tx.collection('audit').list()));
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'secretos.resellados',
          channel: 'system',
          detail: expect.objectContaining({ archivosResellados: 3, secretosResellados: 7, secretosFallidos: 0 }),
        }),
      ]);
    });

    it('is idempotent: a second run finds everything current and rewrites nothing', async () => {
      await withStore((store) => rotateSecrets({ box: rotating(), pool: db.pool, store }));
      const stateRows = await rows();
      const creds = (await services()).map((s) => s.credenciales);

      const report = await withStore((store) => rotateSecrets({ box: rotating(), pool: db.pool, store }));
      expect(report).toEqual({ archivos: { resellados: 0, alDia: 3, fallidos: 0 }, secretos: { resellados: 0, alDia: 7, fallidos: 0 }, fallas: [] });
      expect(await rows()).toEqual(stateRows);
      expect((await services()).map((s) => s.credenciales)).toEqual(creds);
    });

    it('counts a row no key opens and a tampered value as failed, by a reference that names no one, and leaves them as they were', async () => {
      const foreignKey = 'f'.repeat(64);
      const foreign = createSecretBox(randomBytes(32)).seal(JSON.stringify({ key: 'x', item: {} }));
      await db.pool.query('INSERT INTO conversation_state (key, value, etag, updated_at) VALUES ($1, $2, $3, $4)', [foreignKey, foreign, 'e-1', OLD_UPDATE]);
      const tampered = await tamperClientSecret(SERVICE_ID);

      const report = await withStore((store) => rotateSecrets({ box: rotating(), pool: db.pool, store }));

      expect(report.archivos).toEqual({ resellados: 3, alDia: 0, fallidos: 1 });
      expect(report.secretos).toEqual({ resellados: 6, alDia: 0, fallidos: 1 });
      expect(report.fallas.sort()).toEqual([`conversation_state/${'f'.repeat(12)}`, `serviciosCompartidos/${SERVICE_ID}.credenciales.clientSecretSellado`]);
      const row = (await rows()).find((r) => r.key === foreignKey)!;
      expect(row).toEqual({ key: foreignKey, value: foreign, etag: 'e-1', updated_at: OLD_UPDATE });
      const after = (await services()).find((s) => s.id === SERVICE_ID)!.credenciales!;
      expect(after.clientSecretSellado).toBe(tampered);
      expect(boxB.open(after.passwordSellada!)).toBe(SECRETS.password);
      // Where a row fails is a prefix of its key's hash: never the key (which may name a person).
      for (const where of report.fallas) for (const key of STATE_KEYS) expect(where).not.toContain(key);
    });

    it('never overwrites a row an instance wrote meanwhile: reads it again and re-seals what that instance wrote', async () => {
      const instance = createPgStateStore({ pool: db.pool, secrets: rotating() }); // an instance configured with both keys
      const key = STATE_KEYS[0]!;
      let wrote = false;
      const report = await withStore((store) =>
        rotateSecrets({
          box: rotating(),
          pool: db.pool,
          store,
          onBatchRead: async () => {
            if (wrote) return;
            wrote = true;
            // A turn on another instance: the value sealed with B, a form secret inside still sealed with A.
            await instance.write({ [key]: { paso: 2, clave: { $sealed: boxA.seal(SECRETS.formClave) } } });
          },
        }),
      );
      expect(report.archivos).toEqual({ resellados: 3, alDia: 0, fallidos: 0 });
      expect(report.fallas).toEqual([]);
      const item = (await createPgStateStore({ pool: db.pool, secrets: boxB }).read([key]))[key];
      expect(item).toMatchObject({ paso: 2 });
      expect(boxB.open((item as { clave: { $sealed: string } }).clave.$sealed)).toBe(SECRETS.formClave);
      expect(item).not.toHaveProperty('dialogState'); // what the instance wrote, not the older value
      // The instance's write set the row's eTag and updated_at; the rotation kept them.
      const row = (await rows()).find((r) => r.key === hashOf(key))!;
      expect(row.etag).toBe((item as { eTag: string }).eTag);
      expect(row.updated_at.getTime()).toBeGreaterThan(OLD_UPDATE.getTime());
    });

    it('counts the shared services once when the store runs the transaction again (a serialization failure)', async () => {
      const ROLLBACK = new Error('rolled back');
      const report = await withStore((inner) => {
        let tries = 0;
        const store: Store = {
          sync: () => inner.sync(),
          health: () => inner.health(),
          close: () => inner.close(),
          // The first try is rolled back after `work` ran, as PostgreSQL does on a 40001 at commit.
          async transaction(work) {
            if (tries++ === 0) {
              await inner
                .transaction(async (tx) => {
                  await work(tx);
                  throw ROLLBACK;
                })
                .catch((e: unknown) => {
                  if (e !== ROLLBACK) throw e;
                });
            }
            return inner.transaction(work);
          },
        };
        return rotateSecrets({ box: rotating(), pool: db.pool, store });
      });
      expect(report.secretos).toEqual({ resellados: 7, alDia: 0, fallidos: 0 });
      expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
      const audit = await withStore((s) => s.transaction((tx) => tx.collection('audit').list()));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ detail: { secretosResellados: 7 } });
    });
  });

  describe('the command line', () => {
    const cli = (args: string[], env: Record<string, string>): Promise<Run> => runRotation(args, { DATA_DIR: join(dir, 'data'), DATABASE_URL: db.url, ...env });

    const rotationEnv = () => ({ SECRETS_KEY: KEY_B.toString('hex'), SECRETS_KEY_PREVIOUS: KEY_A.toString('base64') });
    const expectNothingPrivate = (run: Run) => {
      expectNoSecretIn(run.stdout + run.stderr);
      expect(run.stdout + run.stderr).not.toContain(db.url);
      expect(run.stdout + run.stderr).not.toContain(new URL(db.url).password || '\0');
      for (const key of STATE_KEYS) expect(run.stdout + run.stderr).not.toContain(key);
    };

    it('rotates A → B even while an instance answers at HOST:PORT, prints the counts and no value, exits 0; a second run finds everything current', async () => {
      // With PostgreSQL the instances keep running (configured with both keys): no HOST:PORT check.
      const server: Server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok' }));
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      try {
        const env = { ...rotationEnv(), HOST: '127.0.0.1', PORT: String((server.address() as AddressInfo).port) };
        const run = await cli([], env);
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual({
          rotacion: { archivos: { resellados: 3, alDia: 0, fallidos: 0 }, secretos: { resellados: 7, alDia: 0, fallidos: 0 }, fallas: [] },
        });
        expect(run.stderr).toMatch(/every instance must already run with the new SECRETS_KEY/);
        expectNothingPrivate(run);
        expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
        await expect(openEverything(boxA)).rejects.toThrow();

        const again = await cli([], env);
        expect(again.code).toBe(0);
        expect(JSON.parse(again.stdout).rotacion).toEqual({
          archivos: { resellados: 0, alDia: 3, fallidos: 0 },
          secretos: { resellados: 0, alDia: 7, fallidos: 0 },
          fallas: [],
        });
      } finally {
        await new Promise((ok) => server.close(ok));
      }
      // The JSON default's data directory was not created or used.
      await expect(readdir(join(dir, 'data'))).rejects.toThrow();
    });

    it('exits 1 on a row no key opens, naming only its reference', async () => {
      await db.pool.query('INSERT INTO conversation_state (key, value, etag) VALUES ($1, $2, $3)', [
        'a'.repeat(64),
        createSecretBox(randomBytes(32)).seal('{}'),
        'e-1',
      ]);
      const run = await cli([], rotationEnv());
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout).rotacion;
      expect(report.archivos).toEqual({ resellados: 3, alDia: 0, fallidos: 1 });
      expect(report.fallas).toEqual([`conversation_state/${'a'.repeat(12)}`]);
      expect(run.stderr).toMatch(/1 value\(s\) open with no key given/);
      expectNothingPrivate(run);
    });

    it('refuses --dev with DATABASE_URL and changes nothing', async () => {
      const before = await rows();
      const run = await cli(['--dev'], {});
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/DATABASE_URL is set/);
      expect(run.stdout).toBe('');
      expectNothingPrivate(run);
      expect(await rows()).toEqual(before);
    });

    it('exits 2 and changes nothing when the database does not answer, without printing DATABASE_URL', async () => {
      const url = new URL(db.url);
      url.port = '1'; // nothing listens there
      const run = await cli([], { ...rotationEnv(), DATABASE_URL: url.toString() });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/could not be opened.*Nothing was changed/);
      expect(run.stdout).toBe('');
      expectNothingPrivate(run);
      expect(run.stderr).not.toContain(url.toString());
    });
  });
});
