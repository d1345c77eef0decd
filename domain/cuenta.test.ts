import { createHash } from 'node:crypto';
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
  requestPasswordReset,
  setPasswordWithToken,
  type CuentaDeps,
} from './cuenta.js';
import { hashPassword, verifyPassword } from './password.js';
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

function setup() {
  const store = createMemoryStore();
  const clock = fakeClock(START);
  const mailer = recordingMailer();
  const random = seededRandom(11);
  const deps: CuentaDeps = { store, reference: noReference, clock, random, mailer, publicBaseUrl: 'https://asistente.example' };
  const put = (record: Citizen | AccountToken) =>
    store.transaction((tx) => ('citizenId' in record ? tx.collection('accountTokens').put(record) : tx.collection('citizens').put(record)));
  return {
    deps, store, clock, mailer,
    citizen: async () => (await records(store, 'citizens'))[0] as Citizen,
    /** Stores José with the given state (an active account gets the password CLAVE). */
    async seed(estado: Citizen['estado'], extra: Partial<Citizen> = {}) {
      const active = estado === 'activo' ? { passwordHash: await hashPassword(CLAVE), activadoEn: START } : {};
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
  it.each<[AccountToken['tipo'], Citizen['estado'], number]>([
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
    expect(await verifyPassword(CLAVE, c.passwordHash as string)).toBe(true);
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
    expect(r).toEqual(success ? { ok: true, value: { citizenId: 'CC:70123456', nombre: 'José Restrepo' } } : { ok: false, error: { code: 'INGRESO.INVALIDO' } });
  });

  it(`${MAX_LOGIN_FAILURES} failures in a row lock the login for ${LOGIN_LOCK_MINUTES} minutes, even for the right password`, async () => {
    const s = setup();
    await s.seed('activo');
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) {
      expect(await login(s.deps, 'CC', '70123456', `wrong-${i}-Pass`, actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO' } });
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

  it('a success resets the count of failures', async () => {
    const s = setup();
    await s.seed('activo');
    const fail = () => login(s.deps, 'CC', '70123456', 'wrong-Pass-1', actor);
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) await fail();
    expect((await login(s.deps, 'CC', '70123456', CLAVE, actor)).ok).toBe(true);
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) expect(await fail()).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO' } });
    expect(await fail()).toMatchObject({ ok: false, error: { code: 'INGRESO.BLOQUEADO' } });
  });

  it.each<[string, Citizen['estado'] | undefined]>([
    ['unknown', undefined],
    ['pending', 'pendiente'],
  ])('an %s document always gets INGRESO.INVALIDO', async (_, estado) => {
    const s = setup();
    if (estado) await s.seed(estado);
    for (let i = 0; i < 2 * MAX_LOGIN_FAILURES; i++) {
      expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO' } });
    }
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

  it.each<[string, Citizen['estado'] | undefined]>([
    ['an unknown document', undefined],
    ['an account pending activation', 'pendiente'],
  ])('does nothing visible for %s', async (_, estado) => {
    const s = setup();
    if (estado) await s.seed(estado);
    await expect(requestPasswordReset(s.deps, 'CC', '70123456', actor)).resolves.toBeUndefined();
    expect(s.mailer.sent).toEqual([]);
    expect(await records(s.store, 'accountTokens')).toEqual([]);
  });

  it('a new request voids the previous link', async () => {
    const s = setup();
    await s.seed('activo');
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
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

    expect(await login(s.deps, 'CC', '70123456', CLAVE, actor)).toEqual({ ok: false, error: { code: 'INGRESO.INVALIDO' } });
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
