import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../storage/memory-store.js';
import { recordingMailer } from '../test/helpers/mailer.js';
import { records } from '../test/helpers/store.js';
import type { Actor } from './audit.js';
import type { AccountToken, Citizen } from './citizens.js';
import {
  inspectAccountToken,
  login,
  LOGIN_LOCK_MINUTES,
  MAX_LOGIN_FAILURES,
  CLIENT_FREE_FAILURES,
  createCuentaGuard,
  DOCUMENT_MAX_WAIT_SECONDS,
  requestPasswordReset,
  RESET_CLIENT_FREE,
  RESET_MAIL_MINUTES,
  setPasswordWithToken,
  UNLOCK_GRACE_HOURS,
  UNLOCK_LINK_HOURS,
  unlockWithToken,
  type CuentaDeps,
} from './cuenta.js';
import { createLimiter, verificationLimiter, type Limiter } from './password.js';
import { passwordHasher } from '../storage/password-hasher.js';
import type { MailRequest } from './ports.js';
import { fakeClock, seededRandom } from './random.js';
import type { ReferenceRegistry } from './reference.js';

// ------------------------------------------------------------------------------ test doubles

/** On purpose not the real registry: the account use cases never consult the reference sources, and this fails if they do. */
const noReference = new Proxy({}, { get: () => () => { throw new Error('not used'); } }) as ReferenceRegistry;

const START = '2026-11-26T15:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const actor: Actor = { ref: 'u-77aa01', channel: 'msteams' };
const CLAVE = 'Kx7mPq29Lz';

const JOSE: Citizen = {
  id: 'CC:70123456', tipoDocumento: 'CC', numeroDocumento: '70123456', primerNombre: 'JOSÉ', segundoNombre: 'ALEJANDRO',
  primerApellido: 'RESTREPO', segundoApellido: 'MUÑOZ', fechaNacimiento: '1968-03-14', fechaExpedicion: '1986-05-20', sexo: 'M',
  email: 'jose.restrepo@correo.com', celular: '3001234567', estado: 'pendiente', creadoEn: START, loginFallidos: 0,
};

function setup(limiter: Limiter = verificationLimiter) {
  const store = createMemoryStore();
  const clock = fakeClock(START);
  const mailer = recordingMailer();
  const random = seededRandom(11);
  const deps: CuentaDeps = { store, reference: noReference, clock, random, mailer, passwords: passwordHasher, publicBaseUrl: 'https://asistente.example', guard: createCuentaGuard(limiter) };
  const put = (record: Citizen | AccountToken) =>
    store.transaction((tx) => ('citizenId' in record ? tx.collection('accountTokens').put(record) : tx.collection('citizens').put(record)));
  return {
    deps, store, clock, mailer,
    citizen: async () => (await records(store, 'citizens'))[0] as Citizen,
    /** Stores José with the given state (an active account gets the password CLAVE). */
    async seed(estado: Citizen['estado'], extra: Partial<Citizen> = {}) {
      const active = estado === 'activo' ? { passwordHash: await passwordHasher.hash(CLAVE), activadoEn: START } : {};
      await put({ ...JOSE, estado, ...active, ...extra });
    },
    /** Stores a link for José issued now, valid `validMs`; returns the token. */
    async link(tipo: AccountToken['tipo'], validMs: number, extra: Partial<AccountToken> = {}) {
      const token = random.token(32);
      const now = clock.now();
      await put({
        id: createHash('sha256').update(token).digest('hex'), tipo, citizenId: JOSE.id, creadoEn: now.toISOString(),
        expira: new Date(now.getTime() + validMs).toISOString(), ...extra,
      });
      return token;
    },
  };
}
const tokenOf = (mail: MailRequest | undefined) => String(new URL(String(mail?.data['enlace'])).searchParams.get('token'));

// ------------------------------------------------------------------------------ links

describe('one-time links', () => {
  it.each<['activacion' | 'recuperacion', Citizen['estado'], number]>([
    ['activacion', 'pendiente', 24 * HOUR],
    ['recuperacion', 'activo', 1 * HOUR],
  ])('a %s link works until it expires, then TOKEN.VENCIDO', async (tipo, estado, validMs) => {
    const s = setup();
    await s.seed(estado);
    const token = await s.link(tipo, validMs);
    s.clock.advance(validMs - 1);
    expect(await inspectAccountToken(s.deps, token, tipo)).toEqual({ ok: true, value: { nombre: 'José Restrepo' } });
    s.clock.advance(1);
    expect(await inspectAccountToken(s.deps, token, tipo)).toEqual({ ok: false, error: { code: 'TOKEN.VENCIDO' } });
    expect(await setPasswordWithToken(s.deps, token, tipo, CLAVE, CLAVE, actor)).toEqual({ ok: false, error: { code: 'TOKEN.VENCIDO' } });
  });

  it.each([
    ['unknown', 'A'.repeat(43)],
    ['empty', ''],
    ['too short', 'abc'],
    ['a path', '../../etc/passwd'],
    ['10 kB', 'x'.repeat(10_240)],
    ['emoji', '😀'.repeat(30)],
    ['SQL', "' OR '1'='1' --------------"],
  ])('an %s token is TOKEN.INVALIDO', async (_, token) => {
    const s = setup();
    await s.seed('pendiente');
    await s.link('activacion', 24 * HOUR);
    expect(await inspectAccountToken(s.deps, token, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
  });

  it('a link of the other kind is TOKEN.INVALIDO', async () => {
    const s = setup();
    await s.seed('activo');
    const token = await s.link('recuperacion', HOUR);
    expect(await inspectAccountToken(s.deps, token, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
  });

  it('a used link is TOKEN.USADO', async () => {
    const s = setup();
    await s.seed('pendiente');
    const token = await s.link('activacion', 24 * HOUR, { usadoEn: START });
    expect(await inspectAccountToken(s.deps, token, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.USADO' } });
  });
});

// ------------------------------------------------------------------------------ activation

describe('activation', () => {
  it('sets the hash, activates the account, spends the link and confirms by e-mail', async () => {
    const s = setup();
    await s.seed('pendiente');
    const token = await s.link('activacion', 24 * HOUR);
    s.clock.advance(5 * MINUTE);
    expect(await setPasswordWithToken(s.deps, token, 'activacion', CLAVE, CLAVE, actor)).toEqual({ ok: true, value: { nombre: 'José Restrepo' } });

    const c = await s.citizen();
    expect(c).toMatchObject({ estado: 'activo', activadoEn: '2026-11-26T15:05:00.000Z', loginFallidos: 0 });
    expect(await passwordHasher.verify(CLAVE, c.passwordHash as string)).toBe(true);
    expect(await records(s.store, 'accountTokens')).toEqual([expect.objectContaining({ usadoEn: '2026-11-26T15:05:00.000Z' })]);
    expect(s.mailer.sent).toEqual([{ to: JOSE.email, template: 'cuenta-activada', data: { nombre: 'José Restrepo', usuario: 'CC 70123456' } }]);

    expect(await setPasswordWithToken(s.deps, token, 'activacion', 'Otra-Clave-8841', 'Otra-Clave-8841', actor)).toEqual({
      ok: false,
      error: { code: 'TOKEN.USADO' },
    });
    expect(await inspectAccountToken(s.deps, token, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.USADO' } });
  });

  it.each<[string, string, string, object]>([
    ['confirmation differs', CLAVE, `${CLAVE}x`, { code: 'CLAVE.NO_COINCIDE' }],
    ['too short', 'Kx7mPq2', 'Kx7mPq2', { code: 'CLAVE.POLITICA', motivos: ['clave.corta'] }],
    ['contains the document', 'zz70123456q', 'zz70123456q', { code: 'CLAVE.POLITICA', motivos: ['clave.documento'] }],
    ['contains a surname', 'Muñoz-4829-x', 'Muñoz-4829-x', { code: 'CLAVE.POLITICA', motivos: ['clave.nombre'] }],
    ['common', 'Colombia2024', 'Colombia2024', { code: 'CLAVE.POLITICA', motivos: ['clave.comun'] }],
  ])('refuses a password when %s, and the link stays usable', async (_, clave, confirmacion, error) => {
    const s = setup();
    await s.seed('pendiente');
    const token = await s.link('activacion', 24 * HOUR);
    expect(await setPasswordWithToken(s.deps, token, 'activacion', clave, confirmacion, actor)).toEqual({ ok: false, error });
    expect(await s.citizen()).toMatchObject({ estado: 'pendiente' });
    expect((await s.citizen()).passwordHash).toBeUndefined();
    expect(s.mailer.sent).toEqual([]);
    expect((await inspectAccountToken(s.deps, token, 'activacion')).ok).toBe(true);
  });

  it('two submissions of the same link at once: one wins, the other finds it used', async () => {
    const s = setup();
    await s.seed('pendiente');
    const token = await s.link('activacion', 24 * HOUR);
    const results = await Promise.all([
      setPasswordWithToken(s.deps, token, 'activacion', CLAVE, CLAVE, actor),
      setPasswordWithToken(s.deps, token, 'activacion', 'Otra-Clave-8841', 'Otra-Clave-8841', actor),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['TOKEN.USADO', 'ok']);
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('an activation link of an account already active cannot be used', async () => {
    const s = setup();
    await s.seed('activo');
    const token = await s.link('activacion', 24 * HOUR);
    expect(await setPasswordWithToken(s.deps, token, 'activacion', 'Otra-Clave-8841', 'Otra-Clave-8841', actor)).toEqual({
      ok: false,
      error: { code: 'TOKEN.USADO' },
    });
  });
});

// ------------------------------------------------------------------------------ login

describe('Ingresar', () => {
  it.each<[string, Citizen['estado'] | undefined, string, string, boolean]>([
    ['the right password', 'activo', '70123456', CLAVE, true],
    ['a number written with dots', 'activo', '70.123.456', CLAVE, true],
    ['a wrong password', 'activo', '70123456', 'Kx7mPq29Lx', false],
    ['an unknown document', undefined, '70123456', CLAVE, false],
    ['another document', 'activo', '70123457', CLAVE, false],
    ['an account pending activation', 'pendiente', '70123456', CLAVE, false],
  ])('%s', async (_, estado, numero, clave, success) => {
    const s = setup();
    if (estado) await s.seed(estado);
    const r = await login(s.deps, 'CC', numero, clave, actor);
    expect(r).toEqual(success ? { ok: true, value: { citizenId: 'CC:70123456', nombre: 'José Restrepo' } } : { ok: false, error: { code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - 1 } });
  });

  it(`${MAX_LOGIN_FAILURES} failures in a row lock the login for ${LOGIN_LOCK_MINUTES} minutes, even for the right password`, async () => {
    const s = setup();
    await s.seed('activo');
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) {
      expect(await login(s.deps, 'CC', '70123456', `wrong-${i}-Pass`, actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - i } });
    }
    const locked = { ok: false, error: { code: 'INGRESO.BLOQUEADO', hasta: '2026-11-26T15:15:00.000Z' } };
    expect(await login(s.deps, 'CC', '70123456', 'wrong-5-Pass', actor)).toEqual(locked);
    expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual(locked);
    s.clock.advance(15 * MINUTE - 1);
    expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual(locked);
    s.clock.advance(1);
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    expect(await s.citizen()).toMatchObject({ loginFallidos: 0 });
    expect((await s.citizen()).loginBloqueadoHasta).toBeUndefined();
  });

  it("a success resets the document's count of failures", async () => {
    const s = setup();
    await s.seed('activo');
    const other: Actor = { ref: 'u-other', channel: 'webchat' }; // this actor's own count goes on
    const fail = (who: Actor) => login(s.deps, 'CC', '70123456', 'wrong-Pass-1', who);
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) await fail(actor);
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) expect(await fail(other)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - i } });
    expect(await fail(other)).toMatchObject({ ok: false, error: { code: 'INGRESO.BLOQUEADO' } });
  });

  it.each<[string, Citizen['estado'] | undefined]>([
    ['unknown', undefined],
    ['pending', 'pendiente'],
  ])('an %s document answers as an account does (invalid, then locked), with nothing stored and no mail', async (_, estado) => {
    const s = setup();
    if (estado) await s.seed(estado);
    const before = await records(s.store, 'citizens');
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) {
      expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - i } });
    }
    const locked = { ok: false, error: { code: 'INGRESO.BLOQUEADO', hasta: '2026-11-26T15:15:00.000Z' } };
    expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual(locked);
    expect(await login(s.deps, 'CC', '70123456', CLAVE, { ref: 'u-other', channel: 'webchat' })).toEqual(locked);
    expect(await records(s.store, 'citizens')).toEqual(before);
    expect(await records(s.store, 'accountTokens')).toEqual([]);
    expect(s.mailer.sent).toEqual([]);
  });

  /** A password as earlier versions stored it: scrypt (N=16384, r=8, p=1), or Argon2id with 19 MiB and 2 passes. */
  const earlierHashes: [string, () => Promise<string>][] = [
    ['scrypt', async () => {
      const salt = randomBytes(16);
      return ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync(CLAVE, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
    }],
    ['Argon2id with 19 MiB and 2 passes', async () => (await import('@node-rs/argon2')).hash(CLAVE, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 })],
  ];

  it.each(earlierHashes)('a password stored by an earlier version (%s) is hashed again with the current Argon2id parameters at the first successful login, not at a failed one', async (_, earlierHash) => {
    const s = setup();
    const earlier = await earlierHash();
    await s.seed('activo', { passwordHash: earlier });
    expect((await login(s.deps, 'CC', '70123456', 'Kx7mPq29Lx', actor)).ok).toBe(false);
    expect((await s.citizen()).passwordHash).toBe(earlier);
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    const rehashed = (await s.citizen()).passwordHash!;
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    expect(passwordHasher.outdated(rehashed)).toBe(false);
    expect(await passwordHasher.verify(CLAVE, rehashed)).toBe(true);
    expect(await s.citizen()).toMatchObject({ loginFallidos: 0 });
    // The same password goes on working, and a current hash is not written again.
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    expect((await s.citizen()).passwordHash).toBe(rehashed);
    expect((await login(s.deps, 'CC', '70123456', 'Kx7mPq29Lx', actor)).ok).toBe(false);
  });
});

// ------------------------------------------------------------------------------ password recovery

describe('Olvidé mi contraseña', () => {
  it('e-mails a reset link valid 1 hour to an active account', async () => {
    const s = setup();
    await s.seed('activo');
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    expect(s.mailer.sent).toEqual([
      { to: JOSE.email, template: 'cuenta-recuperacion', data: { nombre: 'José Restrepo', enlace: expect.any(String), minutos: 60 } },
    ]);
    const link = new URL(String(s.mailer.sent[0]?.data['enlace']));
    expect(`${link.origin}${link.pathname}`).toBe('https://asistente.example/cuenta/restablecer');
    const token = tokenOf(s.mailer.sent[0]);
    expect(await records(s.store, 'accountTokens')).toEqual([
      {
        id: createHash('sha256').update(token).digest('hex'), tipo: 'recuperacion', citizenId: JOSE.id, creadoEn: START,
        expira: '2026-11-26T16:00:00.000Z',
      },
    ]);
  });

  it('does nothing visible for an unknown document', async () => {
    const s = setup();
    await expect(requestPasswordReset(s.deps, 'CC', '70123456', actor)).resolves.toEqual({ ok: true, value: { envio: 'ninguno' } });
    expect(s.mailer.sent).toEqual([]);
    expect(await records(s.store, 'accountTokens')).toEqual([]);
  });

  it('an account pending activation (its first e-mail lost or expired) gets a new activation link, once in a while', async () => {
    const s = setup();
    await s.seed('pendiente');
    await expect(requestPasswordReset(s.deps, 'CC', '70123456', actor)).resolves.toEqual({ ok: true, value: { envio: 'enviado' } });
    expect(s.mailer.sent).toEqual([
      {
        to: JOSE.email,
        template: 'registro-activacion',
        data: { nombre: 'José Restrepo', usuario: 'CC 70123456', enlace: expect.stringContaining('https://asistente.example/cuenta/activar?token='), horas: 24 },
      },
    ]);
    const first = tokenOf(s.mailer.sent[0]);
    expect(await records(s.store, 'accountTokens')).toEqual([
      { id: createHash('sha256').update(first).digest('hex'), tipo: 'activacion', citizenId: JOSE.id, creadoEn: START, expira: '2026-11-27T15:00:00.000Z' },
    ]);
    // Sooner than RESET_MAIL_MINUTES: no second e-mail; later, a new link that voids the first.
    await requestPasswordReset(s.deps, 'CC', '70123456', { ref: 'u-other', channel: 'webchat' });
    expect(s.mailer.sent).toHaveLength(1);
    s.clock.advance(RESET_MAIL_MINUTES * MINUTE);
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    const second = tokenOf(s.mailer.sent[1]);
    expect(await inspectAccountToken(s.deps, first, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    expect(await setPasswordWithToken(s.deps, second, 'activacion', 'Nuevo-Rio-7345', 'Nuevo-Rio-7345', actor)).toMatchObject({ ok: true });
    expect(await s.citizen()).toMatchObject({ estado: 'activo' });
  });

  it(`a new request after ${RESET_MAIL_MINUTES} minutes voids the previous link; sooner, no second e-mail`, async () => {
    const s = setup();
    await s.seed('activo');
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    s.clock.advance(RESET_MAIL_MINUTES * MINUTE - 1);
    expect(await requestPasswordReset(s.deps, 'CC', '70123456', { ref: 'u-other', channel: 'webchat' })).toEqual({ ok: true, value: { envio: 'reciente' } });
    expect(s.mailer.sent).toHaveLength(1);
    s.clock.advance(1);
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    expect(s.mailer.sent).toHaveLength(2);
    const [first, second] = s.mailer.sent.map(tokenOf);
    expect(await inspectAccountToken(s.deps, first as string, 'recuperacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    expect((await inspectAccountToken(s.deps, second as string, 'recuperacion')).ok).toBe(true);
  });

  it('the new password replaces the old one, lifts a login lock and is confirmed by e-mail', async () => {
    const s = setup();
    await s.seed('activo', { loginFallidos: 3, loginBloqueadoHasta: '2026-11-26T15:10:00.000Z' });
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    const token = tokenOf(s.mailer.sent[0]);
    const nueva = 'Nuevo-Rio-7345';
    expect(await setPasswordWithToken(s.deps, token, 'recuperacion', nueva, nueva, actor)).toEqual({ ok: true, value: { nombre: 'José Restrepo' } });
    expect(await s.citizen()).toMatchObject({ estado: 'activo', loginFallidos: 0 });
    expect((await s.citizen()).loginBloqueadoHasta).toBeUndefined();
    expect(s.mailer.sent[1]).toEqual({ to: JOSE.email, template: 'clave-cambiada', data: { nombre: 'José Restrepo' } });

    expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - 1 } });
    expect((await login(s.deps, 'CC', '70123456', nueva, actor)).ok).toBe(true);
    expect(await setPasswordWithToken(s.deps, token, 'recuperacion', 'Otra-Clave-8841', 'Otra-Clave-8841', actor)).toEqual({
      ok: false,
      error: { code: 'TOKEN.USADO' },
    });
  });

  it('the password never reaches an e-mail, an error or the audit log', async () => {
    const s = setup();
    await s.seed('activo');
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    const token = tokenOf(s.mailer.sent[0]);
    const results = [
      await setPasswordWithToken(s.deps, token, 'recuperacion', 'Colombia2024', 'Colombia2024', actor),
      await setPasswordWithToken(s.deps, token, 'recuperacion', 'Nuevo-Rio-7345', 'Nuevo-Rio-7346', actor),
      await setPasswordWithToken(s.deps, token, 'recuperacion', 'Nuevo-Rio-7345', 'Nuevo-Rio-7345', actor),
      await login(s.deps, 'CC', '70123456', 'Nuevo-Rio-7345', actor),
      await login(s.deps, 'CC', '70123456', 'Wrong-Rio-7345', actor),
    ];
    const json = JSON.stringify([results, s.mailer.sent.slice(1), await records(s.store, 'audit')]);
    for (const secret of ['Colombia2024', 'Nuevo-Rio-7345', 'Nuevo-Rio-7346', 'Wrong-Rio-7345', CLAVE, token]) expect(json).not.toContain(secret);
    expect(JSON.stringify(await records(s.store, 'audit'))).not.toContain('70123456');
  });
});

// ------------------------------------------------------------------------------ throttling (issue 15)

describe('login throttling that cannot be turned against the owner', () => {
  const attacker = (i: number): Actor => ({ ref: `atacante-${i}`, channel: 'directline' });
  const lockDocument = async (s: ReturnType<typeof setup>, from = 0) => {
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) await login(s.deps, 'CC', '70123456', `Wrong-${i}-Pass`, attacker(from + i));
  };
  /** A limiter that counts the password checks it runs. */
  const counting = () => {
    const inner = createLimiter(4, 32);
    const c = { runs: 0, limiter: { ...inner, run: <T>(task: () => Promise<T>) => { c.runs++; return inner.run(task); } } as Limiter };
    return c;
  };

  it('the lock e-mails the owner one "¿Fue usted?" link; it lifts the lock at once and resets the counts', async () => {
    const s = setup();
    await s.seed('activo');
    await lockDocument(s);
    expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toMatchObject({ ok: false, error: { code: 'INGRESO.BLOQUEADO' } });
    expect(s.mailer.sent).toEqual([
      {
        to: JOSE.email,
        template: 'ingreso-desbloqueo',
        data: { nombre: 'José Restrepo', enlace: expect.stringMatching(/^https:\/\/asistente\.example\/cuenta\/desbloquear\?token=/), hasta: expect.any(String), horas: UNLOCK_LINK_HOURS },
      },
    ]);
    const token = tokenOf(s.mailer.sent[0]);
    expect(await unlockWithToken(s.deps, token, actor)).toEqual({ ok: true, value: { nombre: 'José Restrepo' } });
    expect((await s.citizen()).loginBloqueadoHasta).toBeUndefined();
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    expect(await unlockWithToken(s.deps, token, actor)).toEqual({ ok: false, error: { code: 'TOKEN.USADO' } });
    expect(await unlockWithToken(s.deps, 'x'.repeat(43), actor)).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    const actions = (await records(s.store, 'audit')).map((e) => (e as { action: string }).action);
    expect(actions).toContain('ingreso.bloqueado');
    expect(actions).toContain('ingreso.desbloqueado');
  });

  it('after the unlock, attackers from many clients cannot lock the owner out again: at most the document wait', async () => {
    const s = setup();
    await s.seed('activo');
    await lockDocument(s);
    await unlockWithToken(s.deps, tokenOf(s.mailer.sent[0]), actor);
    // 40 failures from 40 clients, each as soon as the document lets it.
    let refusedForWait = 0;
    for (let i = 0; i < 40; i++) {
      const r = await login(s.deps, 'CC', '70123456', `Wrong-${i}-Pass`, attacker(100 + i));
      expect(r).toMatchObject({ ok: false });
      if (!r.ok && r.error.code === 'INGRESO.BLOQUEADO') throw new Error('locked again within the grace');
      if (!r.ok && r.error.code === 'INGRESO.ESPERE') {
        refusedForWait++;
        expect(r.error.segundos).toBeLessThanOrEqual(DOCUMENT_MAX_WAIT_SECONDS);
        s.clock.advance(r.error.segundos * 1000);
      }
    }
    expect(refusedForWait).toBeGreaterThan(0);
    expect(s.mailer.sent).toHaveLength(1); // no new lock, no new mail
    // One more checked failure (after any wait), then the owner, right after it
    let last = await login(s.deps, 'CC', '70123456', 'Wrong-x-Pass', attacker(999));
    while (!last.ok && last.error.code === 'INGRESO.ESPERE') {
      s.clock.advance(last.error.segundos * 1000);
      last = await login(s.deps, 'CC', '70123456', 'Wrong-x-Pass', attacker(999));
    }
    expect(last).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO' } });
    // The owner, right after the last failure: waits at most the document's maximum, then is in.
    const r = await login(s.deps, 'CC', '70123456', CLAVE, actor);
    expect(r).toMatchObject({ ok: false, error: { code: 'INGRESO.ESPERE' } });
    if (!r.ok && r.error.code === 'INGRESO.ESPERE') s.clock.advance(r.error.segundos * 1000);
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    // After the grace, a lock is possible again, with a new link.
    s.clock.advance(UNLOCK_GRACE_HOURS * HOUR);
    await lockDocument(s, 500);
    expect(s.mailer.sent.map((m) => m.template)).toEqual(['ingreso-desbloqueo', 'ingreso-desbloqueo']);
  });

  it('re-locking while the unlock link is unused sends no second e-mail (no flood)', async () => {
    const s = setup();
    await s.seed('activo');
    for (let round = 0; round < 5; round++) {
      await lockDocument(s, round * 10);
      s.clock.advance(LOGIN_LOCK_MINUTES * MINUTE);
    }
    expect(s.mailer.sent).toHaveLength(1);
    s.clock.advance(UNLOCK_LINK_HOURS * HOUR); // the link expired: the next lock sends a new one
    await lockDocument(s, 90);
    expect(s.mailer.sent).toHaveLength(2);
  });

  it('one client failing on many documents waits longer and longer, and the wait spends no password check', async () => {
    const c = counting();
    const s = setup(c.limiter);
    await s.seed('activo');
    const waits: number[] = [];
    for (let i = 0; i < CLIENT_FREE_FAILURES; i++) {
      expect(await login(s.deps, 'CC', String(80_000_000 + i), 'Wrong-Pass-1', actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO', quedan: MAX_LOGIN_FAILURES - 1 } });
    }
    for (let round = 0; round < 5; round++) {
      const checks = c.runs;
      const r = await login(s.deps, 'CC', '70123456', CLAVE, actor); // even the right password waits
      expect(r).toMatchObject({ ok: false, error: { code: 'INGRESO.ESPERE' } });
      expect(c.runs).toBe(checks);
      if (r.ok || r.error.code !== 'INGRESO.ESPERE') throw new Error('expected a wait');
      waits.push(r.error.segundos);
      s.clock.advance(r.error.segundos * 1000);
      await login(s.deps, 'CC', String(81_000_000 + round), 'Wrong-Pass-1', actor);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32]);
    // Another client is not slowed by this one: the owner logs in from their own conversation.
    expect((await login(s.deps, 'CC', '70123456', CLAVE, { ref: 'u-owner', channel: 'msteams' })).ok).toBe(true);
  });

  it('too many password checks at once: INGRESO.OCUPADO, nothing counted', async () => {
    const s = setup(createLimiter(0, 0)); // no slot, no queue
    await s.seed('activo');
    for (let i = 0; i < 2 * MAX_LOGIN_FAILURES; i++) {
      expect(await login(s.deps, 'CC', '70123456', 'Wrong-Pass-1', actor)).toEqual({ ok: false, error: { code: 'INGRESO.OCUPADO' } });
    }
    expect((await s.citizen()).loginBloqueadoHasta).toBeUndefined();
  });

  it('"Olvidé mi contraseña": a client asking too often is told to wait; the answer never depends on the document', async () => {
    const s = setup();
    await s.seed('activo');
    for (let i = 0; i < RESET_CLIENT_FREE; i++) {
      expect((await requestPasswordReset(s.deps, 'CC', i === 0 ? '70123456' : String(80_000_000 + i), actor)).ok).toBe(true);
    }
    const r = await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    expect(r).toEqual({ ok: false, error: { code: 'RECUPERACION.ESPERE', segundos: 60 } });
    expect(await requestPasswordReset(s.deps, 'CC', '99999999', actor)).toEqual(r);
    expect(s.mailer.sent).toHaveLength(1);
    // Many clients on one document: one e-mail per interval.
    for (let i = 0; i < 20; i++) await requestPasswordReset(s.deps, 'CC', '70123456', attacker(i));
    expect(s.mailer.sent).toHaveLength(1);
  });
});
