import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { recordingMailer } from '../test/helpers/mailer.js';
import { records, trackedStore } from '../test/helpers/store.js';
import type { Actor } from './audit.js';
import { documentKey, type BasicData } from './citizens.js';
import { inspectAccountToken, login, requestPasswordReset, setPasswordWithToken } from './cuenta.js';
import type { IdentityQuestion } from './identity-questions.js';
import type { MailRequest } from './ports.js';
import { fakeClock, seededRandom } from './random.js';
import {
  answerIdentityQuestions,
  completeRegistration,
  MAX_ATTEMPTS,
  startRegistration,
  type RegistroDeps,
} from './registro.js';
import { passwordHasher } from '../storage/password-hasher.js';

/** The data-treatment authorization the chat collects before the basic data. */
const AUTORIZACION = { version: '1.0', aceptadaEn: '2026-01-01T00:00:00.000Z' };

// ------------------------------------------------------------------------------ test doubles

const registry = defaultReferenceRegistry();

const START = '2026-11-26T15:00:00.000Z';
function setup(seed = 7) {
  const store = trackedStore();
  const clock = fakeClock(START);
  const mailer = recordingMailer(store);
  const deps: RegistroDeps = { store, reference: registry, clock, random: seededRandom(seed), mailer, passwords: passwordHasher, publicBaseUrl: 'https://asistente.example/' };
  return { deps, store, clock, mailer };
}

// ------------------------------------------------------------------------------ fixtures

const actor: Actor = { ref: 'u-5f1c0a9e', channel: 'webchat' };
const JOSE: BasicData = {
  tipoDocumento: 'CC', numeroDocumento: '70123456', primerNombre: 'JOSÉ', segundoNombre: 'ALEJANDRO', primerApellido: 'RESTREPO',
  segundoApellido: 'MUÑOZ', fechaNacimiento: '1968-03-14', fechaExpedicion: '1986-05-20', sexo: 'M',
};
const MARIA: BasicData = {
  tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'PEÑA',
  segundoApellido: 'OCHOA', fechaNacimiento: '1990-07-22', fechaExpedicion: '2008-08-05', sexo: 'F',
};
const CARLOS: BasicData = {
  tipoDocumento: 'CE', numeroDocumento: '654321', primerNombre: 'CARLOS', segundoNombre: '', primerApellido: 'BRICEÑO',
  segundoApellido: 'SALAS', fechaNacimiento: '1985-02-09', fechaExpedicion: '2019-06-12', sexo: 'M',
};
const CONTACTO = { email: 'jose.restrepo@correo.com', celular: '3001234567' };
const HOUR = 3_600_000;
const noCoincide = (intentosRestantes: number) => ({ ok: false, error: { code: 'REGISTRO.NO_COINCIDE', intentosRestantes } });

const right = (qs: readonly IdentityQuestion[]) => qs.map((q) => q.correct);
/** Answers with the first `wrong` of them wrong. */
const answers = (qs: readonly IdentityQuestion[], wrong: number) => qs.map((q, i) => (i < wrong ? (q.correct + 1) % 5 : q.correct));
const signature = (q: IdentityQuestion) => `${q.kind}|${[...q.options].sort().join('|')}`;

async function questionsFor(deps: RegistroDeps, d: BasicData): Promise<IdentityQuestion[]> {
  const r = await startRegistration(deps, d, actor);
  if (!r.ok) throw new Error(`start failed: ${r.error.code}`);
  return r.value.preguntas;
}
async function verify(deps: RegistroDeps, d: BasicData): Promise<void> {
  const qs = await questionsFor(deps, d);
  expect(await answerIdentityQuestions(deps, d, qs, right(qs), actor)).toEqual({ ok: true, value: { superada: true } });
}
/** Registers and returns the token of the activation link in the e-mail. */
async function register(s: ReturnType<typeof setup>, d: BasicData, contacto = CONTACTO): Promise<string> {
  await verify(s.deps, d);
  const r = await completeRegistration(s.deps, d, contacto, AUTORIZACION, actor);
  expect(r.ok).toBe(true);
  const enlace = String(s.mailer.sent.at(-1)?.data['enlace']);
  return new URL(enlace).searchParams.get('token') as string;
}

// ------------------------------------------------------------------------------ basic data

describe('basic data against the reference sources', () => {
  it.each<[string, Partial<BasicData>]>([
    ['as written in the reference', { primerNombre: 'José', segundoNombre: 'Alejandro', primerApellido: 'Restrepo', segundoApellido: 'Muñoz' }],
    ['upper case without accents', { primerNombre: 'JOSE', segundoApellido: 'MUNOZ' }],
    ['lower case', { primerNombre: 'josé', segundoNombre: 'alejandro', primerApellido: 'restrepo', segundoApellido: 'muñoz' }],
    ['mixed case and extra spaces', { primerNombre: '  JoSé ', primerApellido: 'ReStRePo' }],
    ['document number with separators', { numeroDocumento: '70.123.456' }],
  ])('matches %s', async (_, change) => {
    const { deps } = setup();
    const r = await startRegistration(deps, { ...JOSE, ...change }, actor);
    expect(r.ok && r.value.preguntas).toHaveLength(4);
  });

  it.each<[string, BasicData, boolean]>([
    ['no second name in the reference, none given', CARLOS, true],
    ['no second name in the reference, one given', { ...CARLOS, segundoNombre: 'ANTONIO' }, false],
    ['a second name in the reference, none given', { ...JOSE, segundoNombre: '' }, false],
  ])('optional names: %s → match %s', async (_, d, matches) => {
    const { deps } = setup();
    expect((await startRegistration(deps, d, actor)).ok).toBe(matches);
  });

  it.each<[string, Partial<BasicData>]>([
    ['tipo de documento', { tipoDocumento: 'CE' }],
    ['a document not in the reference sources', { numeroDocumento: '70123457' }],
    ['primer nombre', { primerNombre: 'JUAN' }],
    ['segundo nombre', { segundoNombre: 'ALEJANDRA' }],
    ['primer apellido', { primerApellido: 'RESTREPOS' }],
    ['segundo apellido', { segundoApellido: 'MUÑOS' }],
    ['fecha de nacimiento', { fechaNacimiento: '1968-03-15' }],
    ['fecha de expedición', { fechaExpedicion: '1986-05-21' }],
    ['sexo', { sexo: 'F' }],
  ])('a mismatch in %s gets the same answer, which names no field', async (_, change) => {
    const { deps } = setup();
    expect(await startRegistration(deps, { ...JOSE, ...change }, actor)).toEqual(noCoincide(2));
  });
});

// ------------------------------------------------------------------------------ attempts and block

describe('attempts and the 24-hour block', () => {
  it('the third mismatch blocks the document for 24 hours, persisted in the store', async () => {
    const { deps, store, clock } = setup();
    const wrong = { ...JOSE, fechaNacimiento: '1970-01-01' };
    expect(await startRegistration(deps, wrong, actor)).toEqual(noCoincide(2));
    expect(await startRegistration(deps, wrong, actor)).toEqual(noCoincide(1));
    const hasta = '2026-11-27T15:00:00.000Z';
    expect(await startRegistration(deps, wrong, actor)).toEqual({ ok: false, error: { code: 'REGISTRO.BLOQUEADO', hasta } });
    // Even the right data is refused during the block, also by a new deps object on the same store.
    expect(await startRegistration(deps, JOSE, actor)).toEqual({ ok: false, error: { code: 'REGISTRO.BLOQUEADO', hasta } });
    const restarted: RegistroDeps = { ...deps, random: seededRandom(99) };
    expect(await startRegistration(restarted, JOSE, actor)).toEqual({ ok: false, error: { code: 'REGISTRO.BLOQUEADO', hasta } });
    expect(await records(store, 'identityChecks')).toEqual([expect.objectContaining({ id: documentKey('CC', '70123456'), bloqueadoHasta: hasta })]);

    clock.advance(24 * HOUR - 1);
    expect((await startRegistration(restarted, JOSE, actor)).ok).toBe(false);
    clock.advance(1);
    expect((await startRegistration(restarted, JOSE, actor)).ok).toBe(true);
    // The counters start again after the block.
    expect(await startRegistration(restarted, wrong, actor)).toEqual(noCoincide(2));
  });

  it('a document not in the reference sources is blocked the same way (the block reveals nothing)', async () => {
    const { deps } = setup();
    const unknown = { ...JOSE, numeroDocumento: '99999999' };
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++) await startRegistration(deps, unknown, actor);
    expect(await startRegistration(deps, unknown, actor)).toMatchObject({ ok: false, error: { code: 'REGISTRO.BLOQUEADO' } });
  });

  it('mismatches and failed question rounds count together', async () => {
    const { deps } = setup();
    expect(await startRegistration(deps, { ...JOSE, sexo: 'F' }, actor)).toEqual(noCoincide(2));
    const first = await questionsFor(deps, JOSE);
    const failed = await answerIdentityQuestions(deps, JOSE, first, answers(first, 2), actor);
    expect(failed).toMatchObject({ ok: false, error: { code: 'IDENTIDAD.NO_SUPERADA', intentosRestantes: 1 } });
    const second = !failed.ok && failed.error.code === 'IDENTIDAD.NO_SUPERADA' ? failed.error.preguntas : [];
    expect(await answerIdentityQuestions(deps, JOSE, second, answers(second, 4), actor)).toEqual({
      ok: false,
      error: { code: 'REGISTRO.BLOQUEADO', hasta: '2026-11-27T15:00:00.000Z' },
    });
  });

  it('three failed rounds block; each failed round brings new questions', async () => {
    const { deps } = setup();
    let round = await questionsFor(deps, JOSE);
    for (const remaining of [2, 1]) {
      const r = await answerIdentityQuestions(deps, JOSE, round, answers(round, 2), actor);
      if (r.ok || r.error.code !== 'IDENTIDAD.NO_SUPERADA') throw new Error('expected a new round');
      expect(r.error.intentosRestantes).toBe(remaining);
      const before = new Set(round.map(signature));
      expect(r.error.preguntas.filter((q) => before.has(signature(q)))).toEqual([]);
      round = r.error.preguntas;
    }
    expect(await answerIdentityQuestions(deps, JOSE, round, answers(round, 2), actor)).toMatchObject({ ok: false, error: { code: 'REGISTRO.BLOQUEADO' } });
    expect(await startRegistration(deps, JOSE, actor)).toMatchObject({ ok: false, error: { code: 'REGISTRO.BLOQUEADO' } });
  });
});

// ------------------------------------------------------------------------------ identity questions

describe('identity question rounds', () => {
  it.each<[number, boolean]>([
    [0, true],
    [1, true],
    [2, false],
    [4, false],
  ])('%d wrong of 4 → passed %s', async (wrong, passed) => {
    const { deps } = setup();
    const qs = await questionsFor(deps, JOSE);
    expect((await answerIdentityQuestions(deps, JOSE, qs, answers(qs, wrong), actor)).ok).toBe(passed);
  });

  it('passing resets the counters', async () => {
    const { deps } = setup();
    await startRegistration(deps, { ...JOSE, sexo: 'F' }, actor);
    await verify(deps, JOSE);
    expect(await startRegistration(deps, { ...JOSE, sexo: 'F' }, actor)).toEqual(noCoincide(2));
  });

  it('starting again serves the same unanswered round (no shopping for easier questions) until it expires', async () => {
    const { deps, clock } = setup();
    const first = await questionsFor(deps, JOSE);
    expect(await questionsFor(deps, JOSE)).toEqual(first);
    clock.advance(HOUR + 1);
    expect(await questionsFor(deps, JOSE)).not.toEqual(first);
  });

  it('the right answers come from the issued round, not from the caller', async () => {
    const { deps } = setup();
    const qs = await questionsFor(deps, JOSE);
    const chosen = answers(qs, 4);
    const forged = qs.map((q, i) => ({ ...q, correct: chosen[i] as number }));
    expect(await answerIdentityQuestions(deps, JOSE, forged, chosen, actor)).toMatchObject({
      ok: false,
      error: { code: 'IDENTIDAD.NO_SUPERADA', intentosRestantes: 2 },
    });
  });

  it('answers to questions that were not issued are not graded nor counted: a new round comes', async () => {
    const { deps } = setup();
    const qs = await questionsFor(deps, JOSE);
    const invented = qs.map((q) => ({ ...q, options: ['A', 'B', 'C', 'D', q.options[4] as string] }));
    const r = await answerIdentityQuestions(deps, JOSE, invented, [0, 0, 0, 0], actor);
    expect(r).toMatchObject({ ok: false, error: { code: 'IDENTIDAD.NO_SUPERADA', intentosRestantes: 3 } });
    const fresh = !r.ok && r.error.code === 'IDENTIDAD.NO_SUPERADA' ? r.error.preguntas : [];
    expect((await answerIdentityQuestions(deps, JOSE, fresh, right(fresh), actor)).ok).toBe(true);
  });

  it('the data is checked again when answering', async () => {
    const { deps } = setup();
    const qs = await questionsFor(deps, JOSE);
    expect(await answerIdentityQuestions(deps, { ...JOSE, primerApellido: 'GÓMEZ' }, qs, right(qs), actor)).toEqual(noCoincide(2));
  });
});

// ------------------------------------------------------------------------------ completing

describe('completing the registration', () => {
  it('creates the account pending activation with the authorization accepted, and e-mails a one-time link, after the commit', async () => {
    const s = setup();
    await verify(s.deps, JOSE);
    const r = await completeRegistration(s.deps, JOSE, { email: ' Jose.Restrepo@Correo.com ', celular: '300 123 4567' }, AUTORIZACION, actor);
    expect(r).toEqual({ ok: true, value: { emailEnmascarado: 'j***@correo.com', correoEnviado: true, primerNombre: 'JOSÉ' } });

    const [citizen] = await records(s.store, 'citizens');
    expect(citizen).toEqual({
      id: 'CC:70123456', tipoDocumento: 'CC', numeroDocumento: '70123456', primerNombre: 'JOSÉ', segundoNombre: 'ALEJANDRO',
      primerApellido: 'RESTREPO', segundoApellido: 'MUÑOZ', fechaNacimiento: '1968-03-14', fechaExpedicion: '1986-05-20', sexo: 'M',
      email: 'jose.restrepo@correo.com', celular: '3001234567', estado: 'pendiente', creadoEn: START, loginFallidos: 0,
      autorizacionDatos: { version: '1.0', aceptadaEn: '2026-01-01T00:00:00.000Z', canal: 'webchat' },
    });
    const accepted = (await records(s.store, 'audit')).find((e) => e.action === 'registro.autorizacion_aceptada');
    expect(accepted).toMatchObject({ subject: 'CC *****456', channel: 'webchat', detail: { version: '1.0', aceptadaEn: AUTORIZACION.aceptadaEn } });

    expect(s.mailer.sent).toHaveLength(1);
    const mail = s.mailer.sent[0]!;
    expect(mail).toMatchObject({ to: 'jose.restrepo@correo.com', template: 'registro-activacion', insideTransaction: false });
    expect(mail.data).toEqual({ nombre: 'José Restrepo', usuario: 'CC 70123456', enlace: expect.any(String), horas: 24 });
    const link = new URL(String(mail.data['enlace']));
    expect(`${link.origin}${link.pathname}`).toBe('https://asistente.example/cuenta/activar');
    const token = link.searchParams.get('token') as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Only the SHA-256 of the token is stored.
    expect(await records(s.store, 'accountTokens')).toEqual([
      {
        id: createHash('sha256').update(token).digest('hex'), tipo: 'activacion', citizenId: 'CC:70123456',
        creadoEn: START, expira: '2026-11-27T15:00:00.000Z',
      },
    ]);
    const everything = JSON.stringify(await Promise.all((['citizens', 'accountTokens', 'identityChecks', 'audit'] as const).map((n) => records(s.store, n))));
    expect(everything).not.toContain(token);
  });

  it.each<[string, (s: ReturnType<typeof setup>) => Promise<void>]>([
    ['no round answered', async () => {}],
    ['the round failed', async (s) => {
      const qs = await questionsFor(s.deps, JOSE);
      await answerIdentityQuestions(s.deps, JOSE, qs, answers(qs, 3), actor);
    }],
    ['the round passed more than 1 hour ago', async (s) => {
      await verify(s.deps, JOSE);
      s.clock.advance(HOUR + 1);
    }],
    ['the verification was already used', async (s) => {
      await verify(s.deps, JOSE);
      expect((await completeRegistration(s.deps, JOSE, CONTACTO, AUTORIZACION, actor)).ok).toBe(true);
    }],
    ['another person passed', async (s) => verify(s.deps, MARIA)],
  ])('is refused when %s', async (_, before) => {
    const s = setup();
    await before(s);
    const sent = s.mailer.sent.length;
    expect(await completeRegistration(s.deps, JOSE, CONTACTO, AUTORIZACION, actor)).toEqual({ ok: false, error: { code: 'IDENTIDAD.NO_VERIFICADA' } });
    expect(s.mailer.sent).toHaveLength(sent);
  });

  it('an active citizen is told to use Ingresar (only once the data matches)', async () => {
    const s = setup();
    const token = await register(s, JOSE);
    expect((await setPasswordWithToken(s.deps, token, 'activacion', 'Kx7mPq29Lz', 'Kx7mPq29Lz', actor)).ok).toBe(true);
    expect(await startRegistration(s.deps, JOSE, actor)).toEqual({ ok: false, error: { code: 'REGISTRO.YA_REGISTRADO' } });
    expect(await startRegistration(s.deps, { ...JOSE, primerNombre: 'PEDRO' }, actor)).toEqual(noCoincide(2));
  });

  it('a new registration replaces a pending one and voids its activation link', async () => {
    const s = setup();
    const first = await register(s, JOSE);
    const second = await register(s, JOSE, { email: 'jose.otro@correo.com', celular: '3109876543' });
    expect(await records(s.store, 'citizens')).toEqual([expect.objectContaining({ id: 'CC:70123456', email: 'jose.otro@correo.com', estado: 'pendiente' })]);
    expect(await inspectAccountToken(s.deps, first, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    expect(await inspectAccountToken(s.deps, second, 'activacion')).toEqual({ ok: true, value: { nombre: 'José Restrepo' } });
  });

  it('the e-mail must not belong to another citizen (case ignored)', async () => {
    const s = setup();
    await register(s, JOSE);
    await verify(s.deps, MARIA);
    expect(await completeRegistration(s.deps, MARIA, { ...CONTACTO, email: 'JOSE.RESTREPO@correo.com' }, AUTORIZACION, actor)).toEqual({
      ok: false,
      error: { code: 'CORREO.EN_USO' },
    });
    // The same person registering again keeps their address.
    await verify(s.deps, JOSE);
    expect((await completeRegistration(s.deps, JOSE, CONTACTO, AUTORIZACION, actor)).ok).toBe(true);
  });

  it('a pending registration whose link expired releases its e-mail; an active account keeps it', async () => {
    const s = setup();
    await register(s, JOSE);
    s.clock.advance(24 * HOUR);
    await verify(s.deps, MARIA);
    expect(await completeRegistration(s.deps, MARIA, CONTACTO, AUTORIZACION, actor)).toEqual({ ok: true, value: { emailEnmascarado: 'j***@correo.com', correoEnviado: true, primerNombre: 'MARÍA' } });
    expect((await records(s.store, 'citizens')).map((c) => c.id)).toEqual(['CC:1036612345']);

    const token = String(new URL(String(s.mailer.sent.at(-1)?.data['enlace'])).searchParams.get('token'));
    await setPasswordWithToken(s.deps, token, 'activacion', 'Kx7mPq29Lz', 'Kx7mPq29Lz', actor);
    s.clock.advance(48 * HOUR);
    await verify(s.deps, JOSE);
    expect(await completeRegistration(s.deps, JOSE, CONTACTO, AUTORIZACION, actor)).toEqual({ ok: false, error: { code: 'CORREO.EN_USO' } });
  });

  it('contact data that was not parsed is a bug', async () => {
    const s = setup();
    await verify(s.deps, JOSE);
    await expect(completeRegistration(s.deps, JOSE, { email: 'no es correo', celular: '3001234567' }, AUTORIZACION, actor)).rejects.toThrow(TypeError);
    await expect(completeRegistration(s.deps, JOSE, { email: 'a@b.co', celular: '12345' }, AUTORIZACION, actor)).rejects.toThrow(TypeError);
  });
});

// ------------------------------------------------------------------------------ audit

describe('audit trail of a whole registration', () => {
  it('records every state change, with masked subjects and no secrets', async () => {
    const s = setup();
    const clave = 'Kx7mPq29Lz';
    const tokens: string[] = [];
    await startRegistration(s.deps, { ...JOSE, sexo: 'F' }, actor);
    const qs = await questionsFor(s.deps, JOSE);
    const failed = await answerIdentityQuestions(s.deps, JOSE, qs, answers(qs, 4), actor);
    const next = !failed.ok && failed.error.code === 'IDENTIDAD.NO_SUPERADA' ? failed.error.preguntas : [];
    await answerIdentityQuestions(s.deps, JOSE, next, right(next), actor);
    await completeRegistration(s.deps, JOSE, CONTACTO, AUTORIZACION, actor);
    tokens.push(String(new URL(String(s.mailer.sent.at(-1)?.data['enlace'])).searchParams.get('token')));
    await setPasswordWithToken(s.deps, tokens[0]!, 'activacion', clave, clave, actor);
    await login(s.deps, 'CC', '70123456', 'wrong-Password-1', actor);
    await login(s.deps, 'CC', '70123456', clave, actor);
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    tokens.push(String(new URL(String(s.mailer.sent.at(-1)?.data['enlace'])).searchParams.get('token')));
    await setPasswordWithToken(s.deps, tokens[1]!, 'recuperacion', 'Nuevo-Rio-7345', 'Nuevo-Rio-7345', actor);
    for (let i = 0; i < 3; i++) await startRegistration(s.deps, { ...MARIA, sexo: 'M' }, actor);

    const events = await records(s.store, 'audit');
    expect(events.map((e) => e['action'])).toEqual(
      expect.arrayContaining([
        'registro.datos_no_coinciden', 'registro.preguntas_emitidas', 'registro.identidad_no_superada', 'registro.identidad_superada',
        'registro.creado', 'correo.enviado', 'cuenta.activada', 'ingreso.fallido', 'ingreso.exitoso', 'cuenta.recuperacion_solicitada',
        'cuenta.clave_restablecida', 'registro.bloqueado',
      ]),
    );
    for (const e of events) expect(e).toMatchObject({ actor: actor.ref, channel: 'webchat', at: expect.stringMatching(/^2026-/) });
    expect(events.find((e) => e['action'] === 'registro.creado')).toMatchObject({ subject: 'CC *****456' });

    const json = JSON.stringify(events);
    for (const secret of [clave, 'Nuevo-Rio-7345', 'wrong-Password-1', ...tokens, '70123456', '1036612345', CONTACTO.email]) {
      expect(json).not.toContain(secret);
    }
    for (const t of tokens) expect(json).not.toContain(createHash('sha256').update(t).digest('hex'));
  });
});

// ------------------------------------------------------------------------------ e-mail templates

describe('e-mail templates with the data the use cases send', () => {
  // Compiled as mail/mailer.ts renders them (templates/render.ts): subject and text unescaped, HTML escaped.
  const file = (template: string, ext: string) => readFileSync(new URL(`../templates/es/correo/${template}${ext}`, import.meta.url), 'utf8');
  const hbs = Handlebars.create();
  const renderMail = (mail: MailRequest) => ({
    asunto: hbs.compile(file(mail.template, '.asunto.hbs'), { noEscape: true, strict: true })(mail.data).trim(),
    html: hbs.compile(file(mail.template, '.html.hbs'), { strict: true })(mail.data),
    texto: hbs.compile(file(mail.template, '.txt.hbs'), { noEscape: true, strict: true })(mail.data).trim(),
  });

  it('registro-activacion, cuenta-activada, cuenta-recuperacion and clave-cambiada render with every field', async () => {
    const s = setup();
    const activation = await register(s, JOSE);
    await setPasswordWithToken(s.deps, activation, 'activacion', 'Kx7mPq29Lz', 'Kx7mPq29Lz', actor);
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    const reset = String(new URL(String(s.mailer.sent.at(-1)?.data['enlace'])).searchParams.get('token'));
    await setPasswordWithToken(s.deps, reset, 'recuperacion', 'Nuevo-Rio-7345', 'Nuevo-Rio-7345', actor);

    expect(s.mailer.sent.map((m) => m.template)).toEqual(['registro-activacion', 'cuenta-activada', 'cuenta-recuperacion', 'clave-cambiada']);
    for (const mail of s.mailer.sent) {
      const { asunto, html, texto } = renderMail(mail); // strict: a field the template uses but the data lacks throws
      expect(asunto.length).toBeGreaterThan(10);
      expect(html).toContain('<html lang="es">');
      // No external resources: no images, stylesheets or scripts to fetch.
      expect(html).not.toMatch(/<(img|link|script)\b|\bsrc=|url\(/i);
      const htmlText = html.replace(/&#x3D;/g, '=');
      for (const value of Object.values(mail.data)) {
        expect(texto).toContain(String(value));
        expect(htmlText).toContain(String(value));
      }
      if (mail.data['enlace']) expect(htmlText).toContain(`href="${String(mail.data['enlace'])}"`);
      expect(texto).not.toMatch(/Kx7mPq29Lz|Nuevo-Rio-7345/);
    }
  });
});

describe('a mail that cannot be sent after the commit', () => {
  it('keeps the account, says the e-mail did not go, and audits it', async () => {
    const store = createMemoryStore();
    const deps = {
      store,
      reference: defaultReferenceRegistry(),
      clock: fakeClock('2026-11-26T15:00:00.000Z'),
      random: seededRandom(3),
      mailer: { send: async () => Promise.reject(new Error('SMTP 421')) },
      passwords: passwordHasher,
      publicBaseUrl: 'http://localhost:3978',
    };
    const person = EXAMPLE_PERSONS.rlComfama;
    const data = {
      tipoDocumento: person.tipoDocumento, numeroDocumento: person.numeroDocumento, primerNombre: person.primerNombre,
      segundoNombre: person.segundoNombre ?? '', primerApellido: person.primerApellido, segundoApellido: person.segundoApellido ?? '',
      fechaNacimiento: person.fechaNacimiento, fechaExpedicion: person.fechaExpedicion, sexo: person.sexo,
    } as const;
    const who = { ref: 'prueba', channel: 'test' };
    const started = await startRegistration(deps, data, who);
    if (!started.ok) throw new Error('the reference person must match');
    const answers = started.value.preguntas.map((q) => q.correct);
    expect((await answerIdentityQuestions(deps, data, started.value.preguntas, answers, who)).ok).toBe(true);
    const done = await completeRegistration(deps, data, { email: 'jose@correo.com', celular: '3001234567' }, AUTORIZACION, who);
    expect(done).toEqual({ ok: true, value: { emailEnmascarado: 'j***@correo.com', correoEnviado: false, primerNombre: 'JOSÉ' } });
    const citizens = await store.transaction((tx) => tx.collection('citizens').list());
    expect(citizens.map((c) => c.estado)).toEqual(['pendiente']);
    const audit = await store.transaction((tx) => tx.collection('audit').list());
    expect(audit.map((e) => e.action)).toContain('correo.no_enviado');
  });
});
