/**
 * Issue 11 end to end through HTTP with the real assistant (Direct Line, a fake clock, the app's own
 * JSON store, outbox and logger), from scratch: COMFAMA's chain up to the Ministry's assignment, then
 * Andrés, on the first day, accepts the terms and saves the "Datos del servicio web" of a new shared
 * service (state: incompleto, falta Credenciales OAuth 2.0). The next day, in another conversation,
 * he fills the "Credenciales OAuth 2.0": the password and the Client Secret only through the masked
 * card inputs; the service is "completo".
 * He assigns the services password (two masked inputs, two e-mail notices without it). "Probar
 * conexión" reaches the local HTTPS token service (client in HTTP Basic, password grant) and the
 * service (Bearer token, the example body) on ports allowed by SERVICIOS_PUERTOS, and says both went
 * well; after the Client Secret is changed to a wrong one it says the credentials were refused.
 * "¿en qué voy?" shows every step done. Then the app's log lines, the audit collection, every file
 * of the data directory (the JSON store, the conversation state, the drafts, the .eml files), the
 * parsed e-mails and the whole Direct Line history of both conversations are searched for the
 * password, the Client Secrets, the services password and the token: none is found.
 * Then a "Datos del servicio web" left half-way is resumed from its draft in another conversation.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { fakeClock } from '../domain/random.js';
import { fold } from '../domain/text.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import { loginChat, newChat, readOutbox, recipients } from './helpers/chat-people.js';
import type { DirectLineClient, DlActivity } from './helpers/directline-client.js';
import { ANDRES_EMAIL } from './helpers/autorizados.js';
import { COMFAMA_NIT } from './helpers/employers.js';
import { publicKeyPem, startOAuthServers, type OAuthServers } from './helpers/https-servers.js';
import { chainToAssignment, fallbackOf, offered, PASSWORD, STAFF_ENV, textOf } from './helpers/servicios-chat.js';

const SERVICIO = 'AfiliadosComfama';
const andres = EXAMPLE_PERSONS.authorizedComfama;
const DAY = 86_400_000;

// The secrets of the journey: none may appear anywhere but in the requests to the test servers.
const OAUTH_USER = 'ministerio.consulta';
const OAUTH_PASSWORD = 'Pw-OAuth#Ceiba7391';
const CLIENT_ID = 'minsalud-afiliados-app';
const CLIENT_SECRET = 'Cs-9f3KqZ/Guadua+Lirio';
const WRONG_SECRET = 'Cs-incorrecto-Yarumo-5521';
const SERVICES_PASSWORD = 'Quindio-Palma-Cera-4817';
const TOKEN = 'at-7c1e0b9a44d2-Frailejon';
const EJEMPLO = '{"tipoDocumento":"CC","numeroDocumento":"70123456"}';

/** Says `text` and waits for `expected`; returns the folded replies. */
async function say(dl: DirectLineClient, text: string, expected: string): Promise<string> {
  await dl.send(text);
  return dl.waitFor(expected);
}

/** Submits a masked card input, as Web Chat posts it, and waits for `expected`. */
async function submitSecret(dl: DirectLineClient, form: string, values: Record<string, string>, expected: string): Promise<string> {
  await dl.submit({ __form: form, ...values });
  return dl.waitFor(expected);
}

/** The inputs of the cards of the last turn: id → style. */
function inputsOf(activities: readonly DlActivity[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of activities) {
    for (const att of a.attachments ?? []) {
      for (const e of ((att.content as { body?: Record<string, unknown>[] } | undefined)?.body ?? [])) {
        if (e['type'] === 'Input.Text') out[e['id'] as string] = (e['style'] as string | undefined) ?? 'text';
      }
    }
  }
  return out;
}

/** Every activity a client of the conversation can still read (user echoes and bot messages). */
async function history(dl: DirectLineClient): Promise<unknown[]> {
  const res = await fetch(`${dl.base}/v3/directline/conversations/${dl.conversationId}/activities?watermark=`, { headers: dl.headers() });
  expect(res.status).toBe(200);
  return ((await res.json()) as { activities: unknown[] }).activities;
}

/** Every file under `dir`, path → content as UTF-8 text. */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path, await readFile(path, 'utf8'));
  }
  return out;
}

describe('journey: COMFAMA shares a service in two conversations, assigns the password and tests the connection', () => {
  const clock = fakeClock('2026-12-01T14:00:00.000Z');
  const lines: string[] = [];
  const log = createLogger('debug', {}, (l) => lines.push(l));
  let servers: OAuthServers;
  let app: TestApp;
  let keyPem: string;
  const conversations: DirectLineClient[] = [];

  beforeAll(async () => {
    servers = await startOAuthServers({
      tokenHost: 'auth.comfama.test',
      serviceHost: 'api.comfama.test',
      tokenPath: '/oauth2/token',
      servicePath: '/v1/afiliados',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      username: OAUTH_USER,
      password: OAUTH_PASSWORD,
      token: TOKEN,
    });
    keyPem = publicKeyPem();
    app = await startApp(
      { ...STAFF_ENV, SERVICIOS_PUERTOS: `${servers.tokenPort},${servers.servicePort}` },
      { clock, log, tester: servers.tester(log) },
    );
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
    await servers?.close();
  });

  const audits = () => app.store.transaction((tx) => tx.collection('audit').list());
  const shared = () => app.store.transaction((tx) => tx.collection('serviciosCompartidos').list());

  /** Andrés logs in, acts as COMFAMA and opens Administración de Servicios Web (the terms, the first time). */
  async function andresInModule(firstTime: boolean): Promise<DirectLineClient> {
    const dl = await newChat(app.url);
    conversations.push(dl);
    await loginChat(dl, andres, PASSWORD, 'en que rol desea actuar');
    await say(dl, 'Caja de compensación familiar — COMFAMA', 'que desea hacer ahora');
    if (firstTime) {
      await say(dl, 'Administración de Servicios Web', 'acepta las condiciones de uso');
      await say(dl, 'Acepto', 'que desea hacer');
    } else {
      const menu = await say(dl, 'Administración de Servicios Web', 'que desea hacer');
      expect(menu, 'the terms are not asked again').not.toContain('acepta las condiciones de uso');
    }
    expect(offered(dl)).toEqual(expect.arrayContaining(['Compartir Servicios Entidad', 'Asignar contraseña']));
    return dl;
  }

  it('data one day, credentials the next in another conversation; completo; password; Probar conexión; every step done; no secret anywhere', async () => {
    await chainToAssignment(app.url, app.dataDir, ['ConsultaAfiliacion']);

    // ------------------------------------------------ day 1: the service data
    const day1 = await andresInModule(true);
    const empty = await say(day1, 'Compartir Servicios Entidad', 'que desea hacer');
    expect(empty).toContain('comfama todavia no comparte servicios');
    expect(offered(day1)).toEqual(expect.arrayContaining(['Nuevo servicio', 'Volver']));

    await say(day1, 'Nuevo servicio', 'nombre del servicio');
    await say(day1, SERVICIO, 'descripcion corta');
    await say(day1, 'Consulta los afiliados activos de COMFAMA por tipo y número de documento', 'url del servicio');
    // A port besides 443 is refused unless configured: this one is (SERVICIOS_PUERTOS).
    const portRefused = await say(day1, 'https://api.comfama.test:8443/v1/afiliados', 'puerto no estandar');
    expect(portRefused).toContain('url del servicio');
    await say(day1, servers.serviceUrl, 'tipo de operacion');
    await say(day1, 'post', 'llave publica');
    await say(day1, keyPem, 'ejemplo del servicio');
    const review = await say(day1, EJEMPLO, 'revise los datos del servicio web');
    expect(fallbackOf(day1.lastBotActivities)).toContain(servers.serviceUrl);
    expect(review).toContain('huella sha-256');
    const saved = await say(day1, 'confirmar', 'que desea hacer');
    expect(textOf(day1.lastBotActivities)).toContain(`Quedaron guardados los datos de **${SERVICIO}**. Estado: ○ Incompleto: falta Credenciales OAuth 2.0.`);
    expect(saved).toContain(fold(`${SERVICIO} — ○ Incompleto: falta Credenciales OAuth 2.0`));
    let stored = await shared();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ nit: COMFAMA_NIT, nombre: SERVICIO, datos: { url: servers.serviceUrl, metodo: 'POST' } });
    expect(stored[0]!.credenciales).toBeUndefined();

    const card1 = await say(day1, SERVICIO, `que desea hacer con ${fold(SERVICIO)}`);
    expect(card1).toContain('aun no se han registrado las credenciales');

    // What a client of the first conversation can still read, before its token expires with the day.
    const transcripts = [JSON.stringify(await history(day1))];

    // ------------------------------------------------ day 2: another conversation
    clock.advance(DAY);
    const dl = await andresInModule(false);
    const list = await say(dl, 'Compartir Servicios Entidad', 'que desea hacer');
    expect(list).toContain(fold(`${SERVICIO} — ○ Incompleto: falta Credenciales OAuth 2.0`));
    await say(dl, SERVICIO, `que desea hacer con ${fold(SERVICIO)}`);
    await say(dl, 'Credenciales OAuth 2.0', 'nombre del token');
    await say(dl, 'Token afiliaciones COMFAMA', 'url del servicio de autorizacion');
    await say(dl, servers.tokenUrl, 'username');
    const askPassword = await say(dl, OAUTH_USER, 'password');
    expect(askPassword).toContain('campo protegido');
    expect(inputsOf(dl.lastBotActivities)).toEqual({ password: 'Password' });
    await submitSecret(dl, 'servicio-compartido-oauth', { password: OAUTH_PASSWORD }, 'client id');
    const askSecret = await say(dl, CLIENT_ID, 'client secret');
    expect(askSecret).toContain('campo protegido');
    expect(inputsOf(dl.lastBotActivities)).toEqual({ clientSecret: 'Password' });
    await submitSecret(dl, 'servicio-compartido-oauth', { clientSecret: CLIENT_SECRET }, 'scope');
    await say(dl, 'afiliados.consulta', 'revise las credenciales');
    const credReview = fallbackOf(dl.lastBotActivities);
    expect(credReview).toContain('Token afiliaciones COMFAMA');
    expect(credReview).toContain(servers.tokenUrl);
    expect(credReview).toContain('••••');
    const complete = await say(dl, 'confirmar', `que desea hacer con ${fold(SERVICIO)}`);
    expect(textOf(dl.lastBotActivities)).toContain(`Quedaron guardadas las credenciales de **${SERVICIO}**`);
    expect(complete).toContain(fold(`${SERVICIO} — ✔ Completo`));
    expect(textOf(dl.lastBotActivities)).toContain('Estado: ✔ Completo.');
    expect(fallbackOf(dl.lastBotActivities)).toMatch(/\*\*Client Secret:\*\* ••••• \(dato registrado el 2 de diciembre de 2026/);
    stored = await shared();
    expect(stored[0]!.credenciales).toMatchObject({ nombreToken: 'Token afiliaciones COMFAMA', tokenUrl: servers.tokenUrl, username: OAUTH_USER, clientId: CLIENT_ID, scope: 'afiliados.consulta' });
    expect(servers.received, 'nothing called before Probar conexión').toEqual([]);

    // ------------------------------------------------ Asignar contraseña
    await say(dl, 'Volver', 'elija nuevo servicio o el servicio');
    await say(dl, 'Volver', 'que mas desea hacer en la administracion de servicios web');
    const outboxBefore = (await readOutbox(app.dataDir)).length;
    // The new password, then the same again: each through its own masked input.
    await say(dl, 'Asignar contraseña', 'nueva contrasena');
    expect(inputsOf(dl.lastBotActivities)).toEqual({ clave: 'Password' });
    await submitSecret(dl, 'clave-servicios', { clave: SERVICES_PASSWORD }, 'de nuevo la misma contrasena');
    expect(inputsOf(dl.lastBotActivities)).toEqual({ confirmacion: 'Password' });
    await dl.submit({ __form: 'clave-servicios', confirmacion: SERVICES_PASSWORD });
    await dl.waitFor('quedo asignada la contrasena');
    expect(textOf(dl.lastBotActivities)).toContain('Enviamos el aviso por correo, sin la contraseña, a 2 direcciones.');
    const notices = (await readOutbox(app.dataDir)).slice(outboxBefore);
    expect(notices.map(recipients).join(' ')).toContain(ANDRES_EMAIL);
    expect(notices.map(recipients).join(' ')).toContain('notificaciones@comfama.com.co');

    // ------------------------------------------------ Probar conexión: token and call
    await say(dl, 'Compartir Servicios Entidad', 'que desea hacer');
    await say(dl, SERVICIO, `que desea hacer con ${fold(SERVICIO)}`);
    await say(dl, 'Probar conexión', `que desea hacer con ${fold(SERVICIO)}`);
    const okText = textOf(dl.lastBotActivities);
    expect(okText).toContain(`Probando la conexión de **${SERVICIO}**`);
    expect(okText).toContain(`✔ La conexión de **${SERVICIO}** funciona:`);
    expect(okText).toMatch(/Token: obtenido \(respuesta 200, \d+ ms\)\./);
    expect(okText).toMatch(/Llamada al servicio: respuesta 200 en \d+ ms \(\d+ KB\)\./);
    const [tokenReq, call] = servers.received;
    expect(servers.received.map((r) => `${r.server} ${r.method} ${r.path} ${r.status}`)).toEqual(['token POST /oauth2/token 200', 'service POST /v1/afiliados 200']);
    expect(Object.fromEntries(new URLSearchParams(tokenReq!.body))).toEqual({ grant_type: 'password', username: OAUTH_USER, password: OAUTH_PASSWORD, scope: 'afiliados.consulta' });
    expect(call).toMatchObject({ authorization: `Bearer ${TOKEN}`, contentType: 'application/json' });
    expect(JSON.parse(call!.body)).toEqual(JSON.parse(EJEMPLO));

    // ------------------------------------------------ a wrong Client Secret: the credentials are refused
    clock.advance(60_000);
    await say(dl, 'Credenciales OAuth 2.0', 'password');
    await submitSecret(dl, 'servicio-compartido-oauth', { password: OAUTH_PASSWORD }, 'client secret');
    await submitSecret(dl, 'servicio-compartido-oauth', { clientSecret: WRONG_SECRET }, 'revise las credenciales');
    await say(dl, 'confirmar', `que desea hacer con ${fold(SERVICIO)}`);
    await say(dl, 'Probar conexión', `que desea hacer con ${fold(SERVICIO)}`);
    const refused = textOf(dl.lastBotActivities);
    expect(refused).toContain(`✖ La conexión de **${SERVICIO}** no funcionó:`);
    expect(refused).toContain('rechazó las credenciales (código 401)');
    expect(refused).not.toContain('Llamada al servicio');
    expect(servers.received.slice(2).map((r) => `${r.server} ${r.status}`)).toEqual(['token 401']);

    // ------------------------------------------------ ¿en qué voy?: the whole chain done
    const progress = await say(dl, '¿en qué voy?', 'paso 5');
    for (let n = 1; n <= 5; n++) expect(progress, `paso ${n}`).toMatch(new RegExp(`paso ${n} [a-z ().]+ hecho`));
    expect(progress).not.toMatch(/pendiente|bloqueado|en revision/);
    expect(progress).toContain('la caja comparte 1 servicio completo y asigno la contrasena de los servicios web');

    // ------------------------------------------------ the audit names what changed, never a secret
    const trail = await audits();
    const actions = trail.map((e) => e.action);
    for (const a of ['compartir.creado', 'compartir.actualizado', 'compartir.clave_asignada', 'compartir.conexion_probada']) expect(actions, a).toContain(a);
    expect(actions.filter((a) => a === 'compartir.conexion_probada')).toHaveLength(2);
    // The second save of the credentials changed only the Client Secret: named, not shown.
    expect(trail.filter((e) => e.action === 'compartir.actualizado').at(-1)?.detail).toMatchObject({ servicio: SERVICIO, parte: 'credenciales', campos: 'clientSecret' });

    // ------------------------------------------------ no secret anywhere
    const secrets = {
      'OAuth password': OAUTH_PASSWORD,
      'Client Secret': CLIENT_SECRET,
      'Client Secret (form-encoded)': encodeURIComponent(CLIENT_SECRET),
      'wrong Client Secret': WRONG_SECRET,
      'services password': SERVICES_PASSWORD,
      token: TOKEN,
      'Basic credentials': Buffer.from(`${CLIENT_ID}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64'),
    };
    const mails = await readOutbox(app.dataDir);
    const places: Record<string, string> = {
      'log lines': lines.join('\n'),
      'audit collection': JSON.stringify(trail),
      'e-mails (parsed)': JSON.stringify(mails.map((m) => ({ subject: m.subject, text: m.text, html: m.html }))),
    };
    for (const [path, content] of await filesUnder(app.dataDir)) places[path] = content;
    transcripts.push(JSON.stringify(await history(dl)));
    for (const [i, t] of transcripts.entries()) places[`Direct Line history of conversation ${i + 1}`] = t;
    expect(Object.keys(places).some((p) => p.endsWith('asistente.json')), 'the store file was searched').toBe(true);
    expect(lines.some((l) => l.includes('probar conexi')), 'the tester logged through the app').toBe(true);
    const found: string[] = [];
    for (const [where, content] of Object.entries(places)) {
      for (const [what, secret] of Object.entries(secrets)) if (content.includes(secret)) found.push(`${what} in ${where}`);
    }
    expect(found).toEqual([]);
  }, 90_000);

  // Once a bug (CompartirDialog's FormDialogs had no draftOwner, so nothing was saved): now a regression test.
  it('a "Datos del servicio web" left half-way is resumed from its draft in another conversation, as the form promises', async () => {
    expect(conversations.length, 'after the journey').toBeGreaterThan(0);
    clock.advance(DAY);
    const first = await andresInModule(false);
    await say(first, 'Compartir Servicios Entidad', 'que desea hacer');
    const intro = await say(first, 'Nuevo servicio', 'nombre del servicio');
    expect(intro).toContain('guardo lo que vaya respondiendo');
    await say(first, 'RetiroAfiliadosComfama', 'descripcion corta');
    await say(first, 'Registra el retiro de un afiliado de COMFAMA', 'url del servicio');
    const drafts = await app.store.transaction((tx) => tx.collection('drafts').list());
    expect(drafts.map((d) => d.formId), 'a draft after two answers').toContain('servicio-compartido-datos');

    clock.advance(DAY);
    const second = await andresInModule(false);
    await say(second, 'Compartir Servicios Entidad', 'que desea hacer');
    const resumed = await say(second, 'Nuevo servicio', 'cual es');
    expect(resumed).toContain('retomamos lo que dejo guardado');
    expect(resumed).toContain('url del servicio');
  }, 30_000);
});
