/**
 * `npm run rotar-clave`: a data directory sealed with key A (conversation-state files with form
 * secrets inside, a shared service's OAuth secrets in the JSON store) is re-sealed to key B, through
 * the exported function and through the real command line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServicioCompartido } from '../domain/servicios-web.js';
import { openJsonStore } from '../storage/json-store.js';
import { createSecretBox } from '../storage/secret-box.js';
import { createFileStateStore, forgetCachedState } from '../storage/state-store.js';
import { rotateSecrets } from '../scripts/rotate-secrets.js';
import { openSealedValues } from './helpers/sealed.js';
import { expectNoSecretIn as expectNoneOf, runRotation, type RotationRun as Run, sealedService } from './helpers/rotation.js';

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const boxA = createSecretBox(KEY_A);
const boxB = createSecretBox(KEY_B);

// Every plain secret of the fixture: none may appear in any output or on disk.
const SECRETS = {
  formClave: 'Clave-De-Formulario-7781',
  formOtra: 'Otra-Clave-Del-Usuario-5512',
  legacyClave: 'Clave-En-Archivo-Viejo-3390',
  password: 'Password-Del-Token-4471',
  clientSecret: 'Client-Secret-Del-Servicio-9023',
  password2: 'Password-Segundo-Servicio-1187',
  clientSecret2: 'Client-Secret-Segundo-6650',
};
const STATE_KEYS = ['webchat/conversations/c-1/', 'msteams/users/u-1/', 'webchat/conversations/c-legacy/'];
const SERVICE_ID = '860007336:ConsultaAfiliadosCaja';
const SERVICE_2 = '890900842:ValidarDerechos';
const INCOMPLETE = '890900842:SoloDatos';
const OLD_MTIME = new Date('2026-01-02T03:04:05.000Z');

let dir: string;
let dataDir: string;
const stateDir = () => join(dataDir, 'conversaciones');
const storeFile = () => join(dataDir, 'asistente.json');


/** A data directory as the assistant leaves it with key A. */
async function buildDataDir(): Promise<void> {
  const state = createFileStateStore(stateDir(), { secrets: boxA });
  await state.write({
    [STATE_KEYS[0]!]: {
      dialogState: { dialogStack: [{ id: 'form', state: { values: { usuario: 'x', clave: { $sealed: boxA.seal(SECRETS.formClave) } } } }] },
    },
    [STATE_KEYS[1]!]: { sesion: { citizenId: 'ciudadano-1' }, otros: [{ $sealed: boxA.seal(SECRETS.formOtra) }] },
  });
  // A file an earlier version wrote unsealed, holding a sealed form value.
  await createFileStateStore(stateDir()).write({ [STATE_KEYS[2]!]: { valores: { clave: { $sealed: boxA.seal(SECRETS.legacyClave) } } } });
  await state.close(); // as the assistant leaves them when it stops: the journal folded into the files
  for (const name of await readdir(stateDir())) await utimes(join(stateDir(), name), OLD_MTIME, OLD_MTIME);

  const store = await openJsonStore({ file: storeFile() });
  await store.transaction(async (tx) => {
    const repo = tx.collection('serviciosCompartidos');
    await repo.put(sealedService(SERVICE_ID, SECRETS.password, SECRETS.clientSecret, boxA));
    await repo.put(sealedService(SERVICE_2, SECRETS.password2, SECRETS.clientSecret2, boxA));
    await repo.put({ id: INCOMPLETE, nit: '890900842', nombre: 'SoloDatos', creadoEn: 'x', actualizadoEn: 'x', por: 'ciudadano-2' });
  });
  await store.close();
}

async function services(): Promise<ServicioCompartido[]> {
  const store = await openJsonStore({ file: storeFile() });
  try {
    return await store.transaction((tx) => tx.collection('serviciosCompartidos').list());
  } finally {
    await store.close();
  }
}

/** Every sealed value of the data dir, opened with `box` alone (throws when one does not open). */
async function openEverything(box: ReturnType<typeof createSecretBox>): Promise<string[]> {
  forgetCachedState(); // the command line rotated the files in another process
  const items = await createFileStateStore(stateDir(), { secrets: box }).read(STATE_KEYS);
  expect(Object.keys(items).sort()).toEqual([...STATE_KEYS].sort());
  return openSealedValues(items, await services(), box);
}

/** Every file of the data dir and its bytes. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dataDir, { recursive: true })) {
    const path = join(dataDir, name);
    if ((await stat(path)).isFile()) out[name] = await readFile(path, 'utf8');
  }
  return out;
}

const ALL_PLAIN = Object.values(SECRETS).sort();

const expectNoSecretIn = (text: string): void => expectNoneOf(text, Object.values(SECRETS), [KEY_A, KEY_B]);

async function tamperClientSecret(id: string): Promise<void> {
  const store = await openJsonStore({ file: storeFile() });
  await store.transaction(async (tx) => {
    const repo = tx.collection('serviciosCompartidos');
    const s = (await repo.get(id))!;
    const parts = s.credenciales!.clientSecretSellado.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    await repo.put({ ...s, credenciales: { ...s.credenciales!, clientSecretSellado: parts.join('.') } });
  });
  await store.close();
}

/** The real command line on this test's data directory. */
const cli = (args: string[], env: Record<string, string>): Promise<Run> => runRotation(args, { DATA_DIR: dataDir, ...env });

const rotationEnv = { SECRETS_KEY: KEY_B.toString('hex'), SECRETS_KEY_PREVIOUS: KEY_A.toString('base64') };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccf-rotate-'));
  dataDir = join(dir, 'data');
  await buildDataDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rotateSecrets (the exported function)', () => {
  it('re-seals every state file, every form secret inside them and every shared-service secret with the new key', async () => {
    // Before: key A opens everything and key B nothing.
    expect(await openEverything(boxA)).toEqual(ALL_PLAIN);
    await expect(openEverything(boxB)).rejects.toThrow(/cannot open|sealed and no key|cannot be opened/);

    const store = await openJsonStore({ file: storeFile() });
    const report = await rotateSecrets({ box: createSecretBox(KEY_B, [KEY_A]), stateDir: stateDir(), store });
    await store.close();

    expect(report).toEqual({
      archivos: { resellados: 3, alDia: 0, fallidos: 0 },
      secretos: { resellados: 7, alDia: 0, fallidos: 0 },
      fallas: [],
    });
    // After: key B alone opens everything, key A alone nothing.
    expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
    await expect(openEverything(boxA)).rejects.toThrow(/cannot open|cannot be opened/);
    expectNoSecretIn(JSON.stringify(report));
    for (const [name, text] of Object.entries(await snapshot())) {
      if (name.endsWith('secret.key')) continue;
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    }
  });

  it('keeps what is not a secret, and the files\' last-write time that retention reads', async () => {
    const before = await services();
    const store = await openJsonStore({ file: storeFile() });
    await rotateSecrets({ box: createSecretBox(KEY_B, [KEY_A]), stateDir: stateDir(), store });
    const audit = await store.transaction((tx) => tx.collection('audit').list());
    await store.close();

    const after = await services();
    expect(after.map(({ credenciales, ...rest }) => rest)).toEqual(before.map(({ credenciales, ...rest }) => rest));
    expect(after.map((s) => s.credenciales && { ...s.credenciales, passwordSellada: '', clientSecretSellado: '' })).toEqual(
      before.map((s) => s.credenciales && { ...s.credenciales, passwordSellada: '', clientSecretSellado: '' }),
    );
    const items = await createFileStateStore(stateDir(), { secrets: boxB }).read([STATE_KEYS[1]!]);
    expect(items[STATE_KEYS[1]!]).toMatchObject({ sesion: { citizenId: 'ciudadano-1' } });
    for (const name of await readdir(stateDir())) expect((await stat(join(stateDir(), name))).mtime).toEqual(OLD_MTIME);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'secretos.resellados', channel: 'system', detail: expect.objectContaining({ archivosResellados: 3, secretosResellados: 7 }) }),
    ]);
  });

  it('is idempotent: a second run finds everything current and rewrites nothing', async () => {
    const box = createSecretBox(KEY_B, [KEY_A]);
    const first = await openJsonStore({ file: storeFile() });
    await rotateSecrets({ box, stateDir: stateDir(), store: first });
    await first.close();
    const files = Object.fromEntries(Object.entries(await snapshot()).filter(([n]) => n.startsWith('conversaciones')));
    const creds = (await services()).map((s) => s.credenciales);

    const second = await openJsonStore({ file: storeFile() });
    const report = await rotateSecrets({ box, stateDir: stateDir(), store: second });
    await second.close();
    expect(report).toEqual({ archivos: { resellados: 0, alDia: 3, fallidos: 0 }, secretos: { resellados: 0, alDia: 7, fallidos: 0 }, fallas: [] });
    expect(Object.fromEntries(Object.entries(await snapshot()).filter(([n]) => n.startsWith('conversaciones')))).toEqual(files);
    expect((await services()).map((s) => s.credenciales)).toEqual(creds);
  });

  it('reports a tampered value and a file no key opens by where they are, leaves them, and re-seals the rest', async () => {
    await tamperClientSecret(SERVICE_ID);
    const foreign = join(stateDir(), `${'f'.repeat(64)}.json`);
    await writeFile(foreign, createSecretBox(randomBytes(32)).seal(JSON.stringify({ key: 'x', item: {} })));
    const tampered = (await services()).find((s) => s.id === SERVICE_ID)!.credenciales!.clientSecretSellado;

    const store = await openJsonStore({ file: storeFile() });
    const report = await rotateSecrets({ box: createSecretBox(KEY_B, [KEY_A]), stateDir: stateDir(), store });
    await store.close();

    expect(report.archivos).toEqual({ resellados: 3, alDia: 0, fallidos: 1 });
    expect(report.secretos).toEqual({ resellados: 6, alDia: 0, fallidos: 1 });
    expect(report.fallas.sort()).toEqual([`conversaciones/${'f'.repeat(64)}.json`, `serviciosCompartidos/${SERVICE_ID}.credenciales.clientSecretSellado`]);
    const after = (await services()).find((s) => s.id === SERVICE_ID)!.credenciales!;
    expect(after.clientSecretSellado).toBe(tampered);
    expect(boxB.open(after.passwordSellada!)).toBe(SECRETS.password);
    expectNoSecretIn(JSON.stringify(report));
  });
});

describe('npm run rotar-clave (the command line)', () => {
  it('rotates A → B, prints the counts and no value, exits 0; a second run finds everything current', async () => {
    expect(await openEverything(boxA)).toEqual(ALL_PLAIN);
    const run = await cli([], rotationEnv);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      rotacion: { archivos: { resellados: 3, alDia: 0, fallidos: 0 }, secretos: { resellados: 7, alDia: 0, fallidos: 0 }, fallas: [] },
    });
    expectNoSecretIn(run.stdout + run.stderr);
    expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
    await expect(openEverything(boxA)).rejects.toThrow();

    const again = await cli([], rotationEnv);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).rotacion.secretos).toEqual({ resellados: 0, alDia: 7, fallidos: 0 });
  });

  it('exits 1 on a value no key opens, naming where it is and never a value', async () => {
    await tamperClientSecret(SERVICE_2);
    const run = await cli([], rotationEnv);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout).rotacion;
    expect(report.secretos.fallidos).toBe(1);
    expect(report.fallas).toEqual([`serviciosCompartidos/${SERVICE_2}.credenciales.clientSecretSellado`]);
    expect(run.stderr).toMatch(/1 value\(s\) open with no key given/);
    expectNoSecretIn(run.stdout + run.stderr);
  });

  it('exits 1 when the old key is missing from SECRETS_KEY_PREVIOUS, and leaves what it cannot open as it was', async () => {
    const before = await snapshot();
    const run = await cli([], { SECRETS_KEY: KEY_B.toString('hex') });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).rotacion).toMatchObject({
      // The file an earlier version wrote unsealed is sealed now; the two sealed with A are left alone.
      archivos: { resellados: 1, alDia: 0, fallidos: 2 },
      secretos: { resellados: 0, alDia: 0, fallidos: 5 },
    });
    const after = await snapshot();
    const sealedWithA = Object.keys(before).filter((n) => n.startsWith('conversaciones') && !before[n]!.startsWith('{'));
    expect(sealedWithA).toHaveLength(2);
    for (const name of sealedWithA) expect(after[name]).toBe(before[name]);
    expect(after['asistente.json']).toContain((await services())[0]!.credenciales!.passwordSellada);
    // Run again with the old key given: everything is recovered.
    expect((await cli([], rotationEnv)).code).toBe(0);
    expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
  });

  it('refuses to run while the assistant answers at HOST:PORT, and changes nothing', async () => {
    const server: Server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const before = await snapshot();
      const run = await cli([], { ...rotationEnv, HOST: '127.0.0.1', PORT: String((server.address() as AddressInfo).port) });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/assistant is running/);
      expect(run.stdout).toBe('');
      expect(await snapshot()).toEqual(before);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it.each([
    ['no SECRETS_KEY', {}, /SECRETS_KEY is not set/],
    ['a bad previous key', { SECRETS_KEY: KEY_B.toString('hex'), SECRETS_KEY_PREVIOUS: 'not-a-key' }, /SECRETS_KEY_PREVIOUS: key 1 of 1/],
  ])('with %s it exits 2 and changes nothing', async (_case, env, message) => {
    const before = await snapshot();
    const run = await cli([], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expectNoSecretIn(run.stderr);
    expect(await snapshot()).toEqual(before);
  });

  describe('--dev (the development key file)', () => {
    beforeEach(async () => {
      await writeFile(join(dataDir, 'secret.key'), `${KEY_A.toString('hex')}\n`, { mode: 0o600 });
    });

    it('writes a new development key and re-seals everything with it', async () => {
      const run = await cli(['--dev'], {});
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).rotacion.secretos).toEqual({ resellados: 7, alDia: 0, fallidos: 0 });
      expectNoSecretIn(run.stdout + run.stderr);
      const newKey = Buffer.from((await readFile(join(dataDir, 'secret.key'), 'utf8')).trim(), 'hex');
      expect(newKey).toHaveLength(32);
      expect(newKey.equals(KEY_A)).toBe(false);
      expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect(await openEverything(createSecretBox(newKey))).toEqual(ALL_PLAIN);
      await expect(openEverything(boxA)).rejects.toThrow();
      expect(await readdir(dataDir)).not.toContain('secret.key.nueva');
    });

    it('finishes an interrupted rotation with the key it had already written', async () => {
      await writeFile(join(dataDir, 'secret.key.nueva'), `${KEY_B.toString('hex')}\n`, { mode: 0o600 });
      const run = await cli(['--dev'], {});
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/interrupted/);
      expect((await readFile(join(dataDir, 'secret.key'), 'utf8')).trim()).toBe(KEY_B.toString('hex'));
      expect(await openEverything(boxB)).toEqual(ALL_PLAIN);
    });

    it('is refused when SECRETS_KEY is set', async () => {
      const run = await cli(['--dev'], { SECRETS_KEY: KEY_B.toString('hex') });
      expect(run.code).toBe(2);
      expect((await readFile(join(dataDir, 'secret.key'), 'utf8')).trim()).toBe(KEY_A.toString('hex'));
    });
  });
});
