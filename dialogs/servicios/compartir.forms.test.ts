import { randomBytes, X509Certificate } from 'node:crypto';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { describe, expect, it } from 'vitest';
import { pemFixture } from '../../test/fixtures/pem/fixtures.js';
import {
  CLIENT_ID_REASONS,
  JSON_REASONS,
  LLAVE_REASONS,
  METODO_REASONS,
  SCOPE_REASONS,
  SECRETO_REASONS,
  TOKEN_NOMBRE_REASONS,
  URL_REASONS,
  USUARIO_REASONS,
} from '../../domain/compartir-campos.js';
import type { Store } from '../../domain/ports.js';
import { MIN_PASSWORD_LENGTH } from '../../domain/password.js';
import { fakeClock } from '../../domain/random.js';
import { createMemoryStore } from '../../storage/memory-store.js';
import { createSecretBox } from '../../storage/secret-box.js';
import { messages } from '../../templates/render.js';
import { records } from '../../test/helpers/store.js';
import { say } from '../../test/helpers/transcript.js';
import { decide, draftOf, resumeFrom, startState, type EngineEnv, type EngineStep, type FormEvent } from '../form/engine.js';
import { parseAnswer } from '../form/field-input.js';
import { common, promptFor, reasonText } from '../form/form-render.js';
import { FormDialog } from '../form/form.dialog.js';
import { assertFormTexts, fieldTexts, formResult, formTexts, untyped, type FormSpec, type FormValues } from '../form/form-spec.js';
import {
  claveReasons,
  claveServiciosForm,
  datosServicio,
  describeEjemplo,
  describeLlave,
  EJEMPLO_REVISION_LINEAS,
  servicioDatosForm,
  servicioOAuthForm,
} from './compartir.forms.js';

/** Certificates made by test/fixtures/pem/generate.sh (OpenSSL) for this run; `now` is moved around their own dates. */
const fixture = pemFixture;
const LEAF = fixture('servicio-ec.pem');
const CERT = new X509Certificate(LEAF);
const DAY = 24 * 3600_000;
/** A day inside the fixture certificate's validity (its dates come from when it was generated). */
const TODAY = new Date(Date.parse(CERT.validFrom) + 2 * DAY);

const taken = async (nombre: string) => (nombre.toLowerCase() === 'consultaafiliados' ? 'ConsultaAfiliados' : undefined);
const datos = servicioDatosForm(taken, { now: () => TODAY });
const oauth = servicioOAuthForm();
/** In these tests a sealed value is the plain text behind a marker; the real dialog uses the SecretBox. */
const open = (sealed: string) => sealed.replace(/^sealed:/, '');
const PERSONA = { numeroDocumento: '70123456', nombres: ['ANDRÉS', 'ZAPATA'] };
const clave = claveServiciosForm({ open, persona: async (id) => (id === 'c-1' ? PERSONA : undefined) });
const FORMS: FormSpec[] = [untyped(datos), untyped(oauth), untyped(clave)];

const env: EngineEnv = { today: TODAY, seal: (plain) => ({ $sealed: `sealed:${plain}` }) };

type Input = string | Record<string, unknown>;
const toEvent = (spec: FormSpec, i: Input): FormEvent => (typeof i === 'string' ? { kind: 'text', text: i } : { kind: 'submit', value: { __form: spec.id, ...i } });

/** Plays the inputs through the engine, running `validate` when it asks (as form.dialog does). */
async function play<T>(typed: FormSpec<T>, inputs: readonly Input[], context?: Record<string, string>, state = startState()): Promise<EngineStep> {
  const spec = untyped(typed);
  let step = decide(spec, state, { kind: 'start' }, env);
  const settle = async () => {
    while (step.decision.kind === 'validate') {
      const failure = await spec.validate!(step.decision.values, { citizenId: 'c-1', today: TODAY, ...(context ? { context } : {}) });
      step = decide(spec, step.state, { kind: 'validated', failure }, env);
    }
  };
  await settle();
  for (const input of inputs) {
    step = decide(spec, step.state, toEvent(spec, input), env);
    await settle();
  }
  return step;
}

const EJEMPLO = '{"tipoDocumento":"CC","numeroDocumento":"70123456"}';
const DATOS_OK = ['ConsultaAfiliadosCaja', 'Consulta los afiliados activos de la Caja', 'https://api.comfama.com.co/afiliados', 'post', LEAF, EJEMPLO];

// ---------------------------------------------------------------- texts

describe('the texts of the three forms', () => {
  const motivos = messages<Record<string, string>>('formularios/motivos');
  /** The codes each field can be refused with: its parser's list, and the form's own checks. */
  const codes: Record<string, Record<string, readonly string[]>> = {
    'servicio-compartido-datos': {
      nombre: ['empty', 'servicio.id', 'compartido.existe', 'compartido.renombrar'],
      descripcion: ['empty', 'too_long', 'too_short', 'text.chars'],
      url: URL_REASONS,
      metodo: [...METODO_REASONS, 'choice', 'choice.ambiguous'],
      llave: LLAVE_REASONS,
      ejemplo: JSON_REASONS,
    },
    'servicio-compartido-oauth': {
      nombreToken: TOKEN_NOMBRE_REASONS,
      tokenUrl: URL_REASONS,
      username: USUARIO_REASONS,
      password: [...SECRETO_REASONS, 'secret_typed', 'secret_typed.elsewhere'],
      clientId: [...CLIENT_ID_REASONS, 'client_id.del_ministerio'],
      clientSecret: SECRETO_REASONS,
      scope: SCOPE_REASONS,
    },
    'clave-servicios': {
      clave: [...SECRETO_REASONS, 'clave.corta', 'clave.letras_digitos', 'clave.documento', 'clave.nombre', 'clave.comun', 'clave.nit', 'clave.entidad'],
      confirmacion: [...SECRETO_REASONS, 'clave.no_coincide'],
    },
  };

  it.each(FORMS.map((f) => [f.id, f] as const))('%s: every field has a label, a question and a help text', (_id, spec) => {
    expect(() => assertFormTexts(spec)).not.toThrow();
    for (const f of spec.fields) {
      const t = formTexts(spec).campos[f.key]!;
      expect(t.etiqueta.length * t.pregunta.length * (t.ayuda ?? '').length).toBeGreaterThan(0);
    }
    expect(Object.keys(codes[spec.id]!).sort()).toEqual(spec.fields.map((f) => f.key).sort());
  });

  it.each(FORMS.map((f) => [f.id, f] as const))('%s: every reason a field can give has a Spanish text (its own or the shared one)', (_id, spec) => {
    const own = formTexts(spec).motivos ?? {};
    for (const [field, list] of Object.entries(codes[spec.id]!)) {
      for (const code of list) {
        const text = own[code] ?? motivos[code];
        expect(text, `${spec.id}.${field}: ${code}`).toBeTruthy();
        expect(reasonText(spec, code, { ip: '127.0.0.1', clase: 'loopback', maxKb: 64, max: 10, tipo: 'DSA', bits: 1024, minimo: 2048, certificado: 1, total: 1, sujeto: 'x', hasta: '01/01/2026', desde: '01/01/2026', linea: 1, columna: 2, nombre: 'X', emisor: 2 })).not.toMatch(/\{\{|\}\}|undefined/);
      }
    }
  });

  it.each(FORMS.map((f) => [f.id, f] as const))('%s: every reason of its own is one a field can give (no dead text)', (_id, spec) => {
    const reachable = new Set(Object.values(codes[spec.id]!).flat());
    for (const code of Object.keys(formTexts(spec).motivos ?? {})) expect(reachable.has(code), code).toBe(true);
  });

  it('the private-key refusal warns never to share it and says what to paste instead', () => {
    const text = reasonText(datos, 'llave.privada');
    expect(text).toMatch(/llave privada/i);
    expect(text).toMatch(/nunca la comparta/i);
    expect(text).toContain('-----BEGIN PUBLIC KEY-----');
    expect(text).toContain('-----BEGIN CERTIFICATE-----');
    expect(text).toMatch(/genere una nueva/i);
  });

  it('an address refused in another spelling names the address it really is', () => {
    const r = parseAnswer(untyped(datos), untyped(datos).fields.find((f) => f.key === 'url')!, 'https://2130706433/x', {}, TODAY);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : reasonText(datos, r.error.code, r.error);
    expect(text).toContain('127.0.0.1');
    expect(text).toMatch(/este mismo equipo/);
  });
});

// ---------------------------------------------------------------- fields

describe('every field accepts its good values and refuses bad ones with a reason', () => {
  const answer = (spec: FormSpec, key: string, raw: string, values: FormValues = {}) => parseAnswer(spec, spec.fields.find((f) => f.key === key)!, raw, values, TODAY);

  it.each([
    ['nombre', 'ConsultaAfiliadosCaja', 'ConsultaAfiliadosCaja'],
    ['descripcion', 'Consulta los afiliados activos de la Caja.', 'Consulta los afiliados activos de la Caja.'],
    ['url', 'HTTPS://API.comfama.com.co/afiliados', 'https://api.comfama.com.co/afiliados'],
    ['metodo', 'post', 'POST'],
    ['metodo', ' Delete ', 'DELETE'],
    ['metodo', '2', 'POST'],
    ['metodo', 'la de PATCH', 'PATCH'],
    ['llave', LEAF, LEAF],
    ['ejemplo', EJEMPLO, '{\n  "tipoDocumento": "CC",\n  "numeroDocumento": "70123456"\n}'],
  ])('datos · %s: %j → %j', (key, raw, value) => {
    expect(answer(untyped(datos), key, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['nombre', 'Consulta afiliados', 'servicio.id'],
    ['descripcion', 'Hola', 'too_short'],
    ['descripcion', '<b>Consulta</b> de afiliados', 'text.chars'],
    ['url', 'http://api.comfama.com.co/x', 'url.not_https'],
    ['url', 'https://10.0.0.5/x', 'url.host_not_public'],
    ['metodo', 'HEAD', 'metodo.desconocido'],
    ['llave', fixture('solicitud.csr.pem'), 'llave.solicitud'],
    ['llave', 'mi llave', 'llave.invalida'],
    ['ejemplo', '{"a":', 'json.invalido'],
    ['ejemplo', '42', 'json.tipo'],
  ])('datos · %s: %j → %s', (key, raw, code) => {
    const r = answer(untyped(datos), key, raw);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it.each([
    ['nombreToken', 'Token afiliaciones', 'Token afiliaciones'],
    ['tokenUrl', 'https://login.comfama.com.co/oauth2/token', 'https://login.comfama.com.co/oauth2/token'],
    ['username', 'svc-comfama', 'svc-comfama'],
    ['username', 'omitir', ''],
    ['clientId', 'ccf-890900841', 'ccf-890900841'],
    ['scope', 'afiliados.consulta', 'afiliados.consulta'],
    ['scope', 'omitir', ''],
  ])('oauth · %s: %j → %j', (key, raw, value) => {
    expect(answer(untyped(oauth), key, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['nombreToken', 'x', 'too_short'],
    ['tokenUrl', 'https://usuario:clave@login.comfama.com.co/token', 'url.userinfo'],
    ['tokenUrl', 'https://login.comfama.com.co:8080/token', 'url.port'],
    ['username', 'svc comfama', 'usuario.formato'],
    ['clientId', 'client id', 'client_id.formato'],
    ['scope', '"todo"', 'scope.formato'],
  ])('oauth · %s: %j → %s', (key, raw, code) => {
    const r = answer(untyped(oauth), key, raw);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('the URL fields follow the configured ports', () => {
    const withPort = untyped(servicioOAuthForm({ allowPorts: [8443] }));
    expect(answer(withPort, 'tokenUrl', 'https://login.comfama.com.co:8443/token')).toEqual({ ok: true, value: 'https://login.comfama.com.co:8443/token' });
    const datosWithPort = untyped(servicioDatosForm(taken, { allowPorts: [8443] }));
    expect(answer(datosWithPort, 'url', 'https://api.comfama.com.co:8443/x').ok).toBe(true);
    expect(answer(untyped(datos), 'url', 'https://api.comfama.com.co:8443/x').ok).toBe(false);
  });

  it('secrets are exactly the password, the Client Secret and the two passwords of Asignar contraseña', () => {
    const secrets = FORMS.flatMap((spec) => spec.fields.filter((f) => f.secret).map((f) => `${spec.id}.${f.key}`));
    expect(secrets).toEqual(['servicio-compartido-oauth.password', 'servicio-compartido-oauth.clientSecret', 'clave-servicios.clave', 'clave-servicios.confirmacion']);
  });

  it('the two Compartir forms keep drafts; Asignar contraseña (all secret) does not', () => {
    expect([datos.draft, oauth.draft, clave.draft ?? false]).toEqual([true, true, false]);
  });
});

// ---------------------------------------------------------------- Datos del servicio web

describe('Datos del servicio web', () => {
  it('a whole form through the engine: the review shows the inspected key and the formatted example', async () => {
    const step = await play(datos, DATOS_OK);
    expect(step.decision.kind).toBe('review');
    const review = JSON.stringify(promptFor(datos, step.state));
    expect(review).toContain('EC P-256 256 bits · huella SHA-256 ' + CERT.fingerprint256);
    const day = (d: string) => new Intl.DateTimeFormat('es-CO', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'America/Bogota' }).format(new Date(d));
    expect(review).toContain(`válido del ${day(CERT.validFrom)} al ${day(CERT.validTo)}`);
    expect(review).toContain(JSON.stringify('{\n  "tipoDocumento": "CC",\n  "numeroDocumento": "70123456"\n}').slice(1, -1));
    expect(review).not.toContain('BEGIN CERTIFICATE');
    const done = decide(datos, step.state, { kind: 'text', text: 'confirmar' }, env);
    expect(done.decision).toMatchObject({ kind: 'finish', values: { nombre: 'ConsultaAfiliadosCaja', metodo: 'POST', llave: LEAF } });
  });

  it('an identifier the CCF already shares is asked again right away, before the rest, with the existing name', async () => {
    const step = await play(datos, ['consultaafiliados']);
    expect(step.decision).toEqual({ kind: 'reask', field: 'nombre', reason: 'compartido.existe', detail: { nombre: 'ConsultaAfiliados' } });
    expect(reasonText(datos, 'compartido.existe', { nombre: 'ConsultaAfiliados' })).toContain('ConsultaAfiliados');
    const next = await play(datos, ['consultaafiliados', 'ConsultaAfiliadosCaja']);
    expect(next.decision).toEqual({ kind: 'ask', field: 'descripcion' });
  });

  it('the identifier check receives the form context (the CCF, the service being edited)', async () => {
    const seen: unknown[] = [];
    const spec = servicioDatosForm(async (nombre, context) => {
      seen.push([nombre, context]);
      return undefined;
    });
    await play(spec, ['ConsultaAfiliados'], { nit: '890900841', editando: 'ConsultaAfiliados' });
    expect(seen).toEqual([['ConsultaAfiliados', { nit: '890900841', editando: 'ConsultaAfiliados' }]]);
  });

  it('a certificate expiring within 30 days is accepted and the review warns how many days are left', async () => {
    const soon = new Date(Date.parse(CERT.validTo) - 10 * DAY - 3600_000);
    const spec = servicioDatosForm(taken, { now: () => soon });
    const step = await play(spec, DATOS_OK, undefined);
    const atSoon = decide(spec, step.state, { kind: 'start' }, { ...env, today: soon });
    const review = JSON.stringify(promptFor(spec, atSoon.state));
    expect(review).toMatch(/vence en 10 días/);
    expect(JSON.stringify(promptFor(datos, step.state))).not.toMatch(/vence en/);
  });

  it('a private key pasted at the key is refused with the warning, and kept nowhere', async () => {
    const priv = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKq0dHJlcy10cmVzLXRyZXMtcHJ1ZWJhLXNvbG8tdGVzdA==\n-----END PRIVATE KEY-----\n';
    const step = await play(datos, [...DATOS_OK.slice(0, 4), priv]);
    expect(step.decision).toMatchObject({ kind: 'reask', field: 'llave', reason: 'llave.privada' });
    expect(JSON.stringify(step)).not.toContain('MC4CAQAw');
  });

  it('datosServicio gives saveServiceData its input, the key inspected again (an expired one is refused)', () => {
    const values = { nombre: 'ConsultaAfiliadosCaja', descripcion: 'Consulta de afiliados', url: 'https://api.comfama.com.co/x', metodo: 'POST' as const, llave: LEAF, ejemplo: '{}' };
    expect(datosServicio(values, TODAY)).toMatchObject({
      ok: true,
      value: { nombre: 'ConsultaAfiliadosCaja', datos: { metodo: 'POST', ejemplo: '{}', llave: { clase: 'certificado', huella: CERT.fingerprint256, pem: LEAF } } },
    });
    expect(datosServicio(values, new Date(Date.parse(CERT.validTo) - 5 * DAY))).toMatchObject({ ok: true, value: { aviso: 'vence_pronto' } });
    expect(datosServicio(values, new Date(Date.parse(CERT.validTo) + DAY))).toMatchObject({ ok: false, error: { code: 'llave.vencida' } });
  });

  it('describeLlave and describeEjemplo (what the review and the service card show)', () => {
    expect(describeLlave({ clase: 'llave', tipo: 'RSA', bits: 2048, huella: 'AB:CD', pem: '' })).toBe('RSA 2048 bits · huella SHA-256 AB:CD');
    const chain = describeLlave({ clase: 'certificado', tipo: 'EC P-256', bits: 256, huella: 'AB', desde: '2026-01-01T12:00:00Z', hasta: '2027-01-01T12:00:00Z', sujeto: 'api_x', certificados: 2, pem: '' });
    expect(chain).toBe('EC P-256 256 bits · huella SHA-256 AB · válido del 01/01/2026 al 01/01/2027 · api\\_x · cadena de 2 certificados');
    const long = JSON.stringify(Array.from({ length: 40 }, (_, i) => i), null, 2);
    const shown = describeEjemplo(long);
    expect(shown.split('\n').slice(0, EJEMPLO_REVISION_LINEAS).join('\n')).toBe(long.split('\n').slice(0, EJEMPLO_REVISION_LINEAS).join('\n'));
    expect(shown).toMatch(/primeras líneas de 42/);
    expect(describeEjemplo('{}')).toBe('{}');
    // A request without a body: its {} says so; a POST's {} is an empty body, shown as is.
    expect(describeEjemplo('{}', { metodo: 'GET' })).toBe('{} (sin datos: la petición GET no lleva cuerpo)');
    expect(describeEjemplo('{}', { metodo: 'DELETE' })).toBe('{} (sin datos: la petición DELETE no lleva cuerpo)');
    expect(describeEjemplo('{}', { metodo: 'POST' })).toBe('{}');
    expect(describeEjemplo('{\n  "a": 1\n}', { metodo: 'GET' })).toBe('{\n  "a": 1\n}');
  });

  it('a draft keeps every answer as plain text (the key as its PEM, the example formatted) and resumes them', async () => {
    const step = await play(datos, DATOS_OK.slice(0, 5));
    const draft = draftOf(datos, step.state);
    expect(draft.values).toEqual({
      nombre: 'ConsultaAfiliadosCaja',
      descripcion: 'Consulta los afiliados activos de la Caja',
      url: 'https://api.comfama.com.co/afiliados',
      metodo: 'POST',
      llave: LEAF,
    });
    const resumed = resumeFrom(datos, startState(), JSON.parse(JSON.stringify(draft)), env);
    expect(resumed.values).toEqual(draft.values);
    const next = await play(datos, [], undefined, resumed);
    expect(next.decision).toEqual({ kind: 'ask', field: 'ejemplo' });
  });

  it('a key that expired while the draft waited is dropped on resume and asked again', () => {
    const draft = { values: { nombre: 'ConsultaAfiliadosCaja', llave: LEAF }, history: ['nombre', 'llave'] };
    const later = { ...env, today: new Date(Date.parse(CERT.validTo) + DAY) };
    expect(resumeFrom(datos, startState(), draft, later).values).toEqual({ nombre: 'ConsultaAfiliadosCaja' });
  });
});

// ---------------------------------------------------------------- Credenciales OAuth 2.0

describe('Credenciales OAuth 2.0', () => {
  const OAUTH_OK: Input[] = [
    'Token afiliaciones',
    'https://login.comfama.com.co/oauth2/token',
    'svc-comfama',
    { password: 'Pw-del-servicio-2026' },
    'ccf-890900841',
    { clientSecret: 'Secreto-del-cliente-2026' },
    'afiliados.consulta',
  ];

  it('secrets arrive only through the card; the review masks them; the values carry them sealed', async () => {
    const step = await play(oauth, OAUTH_OK);
    expect(step.decision.kind).toBe('review');
    const review = JSON.stringify(promptFor(oauth, step.state));
    expect(review).not.toContain('Pw-del-servicio-2026');
    expect(review).not.toContain('Secreto-del-cliente-2026');
    expect(review).toContain(common('secreto-mascara'));
    const done = decide(oauth, step.state, { kind: 'text', text: 'confirmar' }, env);
    expect(done.decision.kind === 'finish' && done.decision.values).toEqual({
      nombreToken: 'Token afiliaciones',
      tokenUrl: 'https://login.comfama.com.co/oauth2/token',
      username: 'svc-comfama',
      password: { $sealed: 'sealed:Pw-del-servicio-2026' },
      clientId: 'ccf-890900841',
      clientSecret: { $sealed: 'sealed:Secreto-del-cliente-2026' },
      scope: 'afiliados.consulta',
    });
  });

  it('a secret typed in the chat is refused and not kept', async () => {
    const step = await play(oauth, [...OAUTH_OK.slice(0, 3), 'Pw-del-servicio-2026']);
    expect(step.decision).toMatchObject({ kind: 'reask', field: 'password', reason: 'secret_typed', retract: true });
    expect(JSON.stringify(step.state)).not.toContain('Pw-del-servicio-2026');
  });

  it('username and scope may be omitted', async () => {
    const step = await play(oauth, ['Token afiliaciones', 'https://login.comfama.com.co/oauth2/token', 'omitir', { password: 'x' }, 'ccf-1', { clientSecret: 'y' }, 'omitir']);
    expect(step.decision.kind).toBe('review');
    expect(step.state.values).toMatchObject({ username: '', scope: '' });
  });

  it('a draft never holds the password or the Client Secret', async () => {
    const step = await play(oauth, OAUTH_OK.slice(0, 6));
    const draft = draftOf(oauth, step.state);
    expect(Object.keys(draft.values).sort()).toEqual(['clientId', 'nombreToken', 'tokenUrl', 'username']);
    expect(JSON.stringify(draft)).not.toMatch(/sealed|Pw-del|Secreto-del/);
  });
});

// ---------------------------------------------------------------- Asignar contraseña

describe('Asignar contraseña', () => {
  const GOOD = 'Guayacan-Florido-2026';
  const both = (a: string, b: string) => ({ clave: a, confirmacion: b });

  const sealed = (plain: string) => ({ $sealed: `sealed:${plain}` });

  it('each password through a masked card; the same good password twice ends the form (no review)', async () => {
    const start = await play(clave, []);
    expect(JSON.stringify(promptFor(clave, start.state))).toContain('"style":"Password"');
    const step = await play(clave, [{ clave: GOOD }, { confirmacion: GOOD }]);
    expect(step.decision).toEqual({ kind: 'finish', values: { clave: sealed(GOOD), confirmacion: sealed(GOOD) } });
    expect((await play(clave, [both(GOOD, GOOD)])).decision.kind).toBe('finish');
  });

  it('the policy is checked as soon as the password is given, before the confirmation is asked', async () => {
    const step = await play(clave, [{ clave: 'Kx7#pq' }]);
    expect(step.decision).toMatchObject({ kind: 'reask', field: 'clave', reason: 'clave.corta' });
    expect((await play(clave, [{ clave: GOOD }])).decision).toEqual({ kind: 'ask', field: 'confirmacion' });
  });

  it('two different passwords: the confirmation is asked again, then accepted', async () => {
    const step = await play(clave, [{ clave: GOOD }, { confirmacion: 'Guayacan-Florido-2025' }]);
    expect(step.decision).toEqual({ kind: 'reask', field: 'confirmacion', reason: 'clave.no_coincide', detail: { code: 'clave.no_coincide' } });
    expect(decide(clave, step.state, toEvent(untyped(clave), { confirmacion: GOOD }), env).decision.kind).toBe('finish');
    // Both in one card, the same.
    expect((await play(clave, [both(GOOD, 'Guayacan-Florido-2025')])).decision).toMatchObject({ kind: 'reask', field: 'confirmacion', reason: 'clave.no_coincide' });
  });

  it('a refused password sent with its confirmation: the new password is compared with that confirmation again', async () => {
    const first = await play(clave, [both('Kx7#pq', 'Kx7#pq')]);
    expect(first.decision).toMatchObject({ kind: 'reask', field: 'clave', reason: 'clave.corta' });
    const next = await play(clave, [{ clave: GOOD }], undefined, first.state);
    expect(next.decision).toEqual({ kind: 'reask', field: 'confirmacion', reason: 'clave.no_coincide', detail: {} });
    const done = await play(clave, [{ confirmacion: GOOD }], undefined, next.state);
    expect(done.decision).toEqual({ kind: 'finish', values: { clave: sealed(GOOD), confirmacion: sealed(GOOD) } });
  });

  it.each([
    ['Kx7#pq', ['clave.corta']],
    ['Vientos-Del-Norte', ['clave.letras_digitos']],
    ['Colombia2024', ['clave.comun']],
    ['Clave70123456x', ['clave.documento']],
    ['Andres-Lopez-77', ['clave.nombre']],
    ['andres1', ['clave.corta', 'clave.nombre']],
    ['abc', ['clave.corta', 'clave.letras_digitos', 'clave.comun']],
  ])('a weak password %j is refused with the policy of the account pages: %j', async (weak, reasons) => {
    const step = await play(clave, [both(weak, weak)]);
    expect(step.decision).toMatchObject({ kind: 'reask', field: 'clave', reason: reasons[0] });
    expect(claveReasons(weak, PERSONA, undefined)).toEqual(reasons);
  });

  it('several reasons are said together, each with the account pages’ text and the minimum as a value', async () => {
    const step = await play(clave, [both('abc', 'abc')]);
    if (step.decision.kind !== 'reask') throw new Error('expected a re-ask');
    const text = reasonText(clave, step.decision.reason, step.decision.detail);
    const cuenta = messages<{ errores: { motivos: Record<string, string> } }>('web/cuenta').errores.motivos;
    expect(text).toContain(cuenta['clave.corta']);
    expect(text).toContain(cuenta['clave.letras_digitos']);
    expect(text).toContain(cuenta['clave.comun']);
  });

  it('the CCF’s NIT and the words of its name are refused when the dialog gives them as context', async () => {
    const ccf = { nit: '890900841', razonSocial: 'Caja de Compensación Familiar de Antioquia COMFAMA' };
    expect((await play(clave, [both('Pago890900841x', 'Pago890900841x')], ccf)).decision).toMatchObject({ reason: 'clave.nit' });
    expect((await play(clave, [both('Comfama-Rio-2026', 'Comfama-Rio-2026')], ccf)).decision).toMatchObject({ reason: 'clave.entidad' });
    expect((await play(clave, [both(GOOD, GOOD)], ccf)).decision.kind).toBe('finish');
  });

  it('without a session the person comes from FormOptions.context.citizenId', async () => {
    const spec = untyped(clave);
    const values = { clave: { $sealed: 'sealed:Andres-Lopez-77' }, confirmacion: { $sealed: 'sealed:Andres-Lopez-77' } };
    expect(await spec.validate!(values, { today: TODAY, context: { citizenId: 'c-1' } })).toMatchObject({ code: 'clave.nombre' });
    expect(await spec.validate!(values, { today: TODAY })).toBeUndefined();
  });
});

// ---------------------------------------------------------------- drafts through the real form dialog

describe('drafts of Datos del servicio web across conversations (FormDialog over a store)', () => {
  const OWNER = 'c-1';
  function conversation(store: Store) {
    const clock = fakeClock(TODAY);
    const dialog = new FormDialog(datos, { clock, secrets: createSecretBox(randomBytes(32)), store, draftOwner: async () => OWNER });
    return new DialogTestClient('webchat', dialog);
  }

  it('the service data typed one day is resumed in another conversation and finished there', async () => {
    const store = createMemoryStore();
    const first = conversation(store);
    await say(first, 'hola');
    for (const answer of DATOS_OK.slice(0, 5)) await say(first, answer);
    const saved = await records(store, 'drafts');
    expect(saved[0]).toMatchObject({ formId: 'servicio-compartido-datos', values: { nombre: 'ConsultaAfiliadosCaja', metodo: 'POST', llave: LEAF } });

    const second = conversation(store);
    const resumed = await say(second, 'hola');
    expect(resumed.folded).toContain('retomamos');
    expect(resumed.folded).toContain('ejemplo del servicio');
    const review = await say(second, EJEMPLO);
    expect(review.text).toContain('huella SHA-256');
    await say(second, 'confirmar');
    expect(second.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(formResult(second.dialogTurnResult.result, datos).values).toMatchObject({ nombre: 'ConsultaAfiliadosCaja', llave: LEAF });
    expect(await records(store, 'drafts')).toEqual([]);
  });
});

describe('Asignar contraseña: the help names the policy the form enforces', () => {
  it('the minimum length in the help is the one checked', () => {
    const spec = claveServiciosForm({} as never);
    expect(fieldTexts(spec, 'clave').ayuda).toContain(`al menos ${MIN_PASSWORD_LENGTH} caracteres`);
  });
});
