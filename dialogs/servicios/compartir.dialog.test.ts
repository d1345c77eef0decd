/**
 * "Compartir Servicios Entidad", "Probar conexión" and "Asignar contraseña" as COMFAMA's authorized
 * person meets them, through the main dialog with the real memory store, reference data, secret box
 * and use cases (the connection tester is scripted): the list, a new service from its Datos del
 * servicio web, the Credenciales OAuth 2.0 through masked inputs, incompleto → completo, drafts,
 * editing, bad input at every prompt, atrás / cancelar / ayuda / estado, Eliminar, Probar conexión
 * and its outcomes, the password with its policy and notices, step 5 of the checklist, and no secret
 * anywhere it should not be.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { DialogTestClient } from 'botbuilder-testing';
import { describe, expect, it } from 'vitest';
import { assignServices } from '../../domain/asignaciones.js';
import { authorize } from '../../domain/autorizados.js';
import { ensureExampleServices } from '../../domain/catalogo.js';
import { PRUEBAS_POR_MINUTO, saveServiceData } from '../../domain/compartir.js';
import { inspectPublicKey } from '../../domain/compartir-campos.js';
import { registerEmployer } from '../../domain/empleador-registro.js';
import { passwordHasher } from '../../storage/password-hasher.js';
import type { ResultadoPrueba } from '../../domain/ports.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { setCcfRole } from '../../domain/rol-ccf.js';
import { decideTerms } from '../../domain/servicios-ccf.js';
import type { ActingRole } from '../../domain/session.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { EXAMPLE_SERVICES } from '../../storage/reference/servicios.js';
import { messages, renderFile } from '../../templates/render.js';
import { pemFixture } from '../../test/fixtures/pem/fixtures.js';
import { BAD_INPUTS } from '../../test/helpers/bad-input.js';
import { dialogDeps, mainClient, scriptedTester, testFiles } from '../../test/helpers/dialog-deps.js';
import { COMFAMA_NIT, DELEGADA_MARIA, NUEVO_ANDRES, registration } from '../../test/helpers/employers.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say, type Input, type Reply } from '../../test/helpers/transcript.js';
import { adaptive, buttons, elements, facts } from '../../test/helpers/cards.js';
import { terminosVigentes } from './texts.js';

const START = '2026-11-26T15:00:00.000Z';
const PASSWORD = 'Guayacan-Florido-2026';
const { rlComfama: jose, authorizedComfama: andres, citizenCe: carlos } = EXAMPLE_PERSONS;
const id = (p: ReferencePerson) => `${p.tipoDocumento}:${p.numeroDocumento}`;
const JOSE = id(jose);
const ANDRES = id(andres);
const CARLOS = id(carlos);
const actor = { ref: 'prueba', channel: 'test' };
const asRl = (nit: string): ActingRole => ({ tipo: 'empleador', nit, razonSocial: 'X', como: 'rl' });
const asCcfRole: ActingRole = { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA' };
/** COMFAMA's corporate e-mail (its main site, test/helpers/employers registration()). */
const SEDE_EMAIL = registration().sede.email;

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const PRIVATE_PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
/** A line from the middle of the private key: it must never come back. */
const PRIVATE_LINE = PRIVATE_PEM.split('\n')[5]!;

const SERVICE = 'ConsultaAfiliadosComfama';
const URL_SERVICE = 'https://api.comfama.com.co/afiliados/consulta';
const EJEMPLO = '{"tipoDocumento":"CC","numeroDocumento":"70123456"}';
const TOKEN_URL = 'https://login.comfama.com.co/oauth2/token';
const CLIENT_ID = 'ministerio-salud-01';
const OAUTH_PASSWORD = 'Zorzal.Azul.Montana.77';
const CLIENT_SECRET = 'sk_9fQ2wLx7Rb4Tz1Vn8Kd3Hm6Jp0Sc5Ye';
const SERVICES_PASSWORD = 'Frailejon-Paramo-2031';
const SECRETS = [OAUTH_PASSWORD, CLIENT_SECRET, SERVICES_PASSWORD];

const MENU = fold('¿Qué desea hacer ahora, Andrés Zapata?');
const MODULE_AGAIN = fold('¿Qué más desea hacer en la Administración de Servicios Web?');
const CATALOG = fold('Estos son los servicios web que el Ministerio de Salud asignó a COMFAMA');
const ct = () => messages<Record<string, string>>('servicios/compartir');
const LIST_Q = fold('¿Qué desea hacer? Elija **Nuevo servicio** o el servicio que quiere ver o completar.');
const SERVICE_Q = (nombre: string) => fold(`¿Qué desea hacer con **${nombre}**?`);
const SERVICE_ACTIONS = ['Datos del servicio web', 'Credenciales OAuth 2.0', 'Probar conexión', 'Eliminar', 'Volver'];

// ------------------------------------------------------------------------------ the world

type World = ReturnType<typeof dialogDeps> & { client: DialogTestClient; tester: ReturnType<typeof scriptedTester> };

/**
 * COMFAMA's chain up to step 5 through the real use cases: José (RL) registered the employer role and
 * authorized Andrés; Carlos (administrator) activated the CCF role and assigned two services; Andrés
 * accepted the terms unless `aceptados: false`. The seeding's mails are forgotten.
 */
async function world(opts: { aceptados?: boolean } = {}): Promise<World> {
  const s = dialogDeps(START, 7, { admins: [CARLOS] });
  const now = new Date(START);
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, now);
  await seedActiveCitizen(s.deps.store, andres, 'andres.zapata@correo.com', PASSWORD, now);
  await seedActiveCitizen(s.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD, now);
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
  expect(await authorize(s.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true });
  await ensureExampleServices(s.deps, EXAMPLE_SERVICES);
  expect(await setCcfRole(s.deps, CARLOS, COMFAMA_NIT, true, 'Cadena de activación verificada', actor)).toMatchObject({ ok: true });
  expect(await assignServices(s.deps, CARLOS, COMFAMA_NIT, ['SolicitudAfiliacion', 'ConsultaAfiliacion'], actor)).toMatchObject({ ok: true });
  if (opts.aceptados ?? true) expect(await decideTerms(s.deps, ANDRES, asCcfRole, terminosVigentes(), 'acepto', actor)).toMatchObject({ ok: true });
  s.mailer.sent.length = 0;
  return { ...s, client: mainClient(s), tester: s.deps.tester };
}

/** Andrés logs in and acts as COMFAMA. */
async function asCcf(w: World): Promise<Reply> {
  await say(w.client, 'Ingresar');
  await say(w.client, { value: { __form: 'ingreso', tipoDocumento: andres.tipoDocumento, numeroDocumento: andres.numeroDocumento, clave: PASSWORD } });
  const r = await say(w.client, 'Caja de compensación familiar — COMFAMA');
  expect(r.folded).toContain(fold('Ahora actúa como Caja de compensación familiar — COMFAMA'));
  return r;
}

/** Andrés, acting as COMFAMA, in the module's menu and then in Compartir Servicios Entidad: the list. */
async function atList(w: World): Promise<Reply> {
  await asCcf(w);
  expect((await say(w.client, 'Administración de Servicios Web')).folded).toContain(CATALOG);
  const r = await say(w.client, 'Compartir Servicios Entidad');
  expect(r.folded).toContain(LIST_Q);
  return r;
}

const oauthSubmit = (values: Record<string, string>): Input => ({ value: { __form: 'servicio-compartido-oauth', ...values } });
const claveSubmit = (values: Record<string, string>): Input => ({ value: { __form: 'clave-servicios', ...values } });

// ------------------------------------------------------------------------------ views of what was said and stored

const list = <N extends 'serviciosCompartidos' | 'clavesServicios' | 'drafts' | 'audit'>(w: World, name: N) =>
  w.deps.store.transaction((tx) => tx.collection(name).list());
const auditOf = async (w: World, action: string) => (await list(w, 'audit')).filter((e) => e.action === action);
/** Everything the store holds, as text (to look for what must never be in it). */
const storeText = async (w: World) =>
  JSON.stringify(await w.deps.store.transaction(async (tx) => Object.fromEntries(await Promise.all((['serviciosCompartidos', 'clavesServicios', 'drafts', 'audit', 'citizens', 'employers'] as const).map(async (n) => [n, await tx.collection(n).list()])))));

/** The masked inputs of the reply's cards, by id. */
const maskedInputs = (r: Reply): string[] => elements(adaptive(r)).filter((e) => e['type'] === 'Input.Text' && e['style'] === 'Password').map((e) => String(e['id']));

/** Every reply of a world's conversation is kept, to look for what must never be shown. */
function recorder(w: World) {
  const replies: Reply[] = [];
  const talk = async (input: Input) => {
    const r = await say(w.client, input);
    replies.push(r);
    return r;
  };
  return { talk, all: () => JSON.stringify(replies.map((r) => r.activities)) };
}

/** From the list: a new service's Datos del servicio web, typed one answer at a time, confirmed; returns the reply to "confirmar". */
async function shareData(w: World, nombre = SERVICE, url = URL_SERVICE, talk = (i: Input) => say(w.client, i)): Promise<Reply> {
  expect((await talk('Nuevo servicio')).folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
  await talk(nombre);
  await talk('Consulta los afiliados activos de la Caja por documento');
  await talk(url);
  await talk('POST');
  await talk(PEM);
  expect((await talk(EJEMPLO)).folded).toContain(fold('Revise los datos del servicio web'));
  return talk('confirmar');
}

/** Andrés at the list, a new service's data shared, then that service's "Credenciales OAuth 2.0" opened; returns the first question. */
async function openCredentials(w: World): Promise<Reply> {
  await atList(w);
  await shareData(w);
  await say(w.client, SERVICE);
  return say(w.client, 'Credenciales OAuth 2.0');
}

/** Andrés at the menu of a new service COMFAMA shares with its data saved (incomplete); returns that menu. */
async function atServiceMenu(w: World): Promise<Reply> {
  await atList(w);
  await shareData(w);
  return say(w.client, SERVICE);
}

/** From a service's menu: its Credenciales OAuth 2.0 (the secrets through the masked inputs), confirmed; returns the reply to "confirmar". */
async function shareCredentials(w: World, opts: { username?: string } = {}, talk = (i: Input) => say(w.client, i)): Promise<Reply> {
  expect((await talk('Credenciales OAuth 2.0')).folded).toContain(fold('¿Cuál es el **nombre del token**?'));
  await talk('Token afiliaciones COMFAMA');
  await talk(TOKEN_URL);
  const afterUsername = await talk(opts.username ?? 'omitir');
  if (opts.username) {
    expect(maskedInputs(afterUsername)).toEqual(['password']);
    await talk(oauthSubmit({ password: OAUTH_PASSWORD }));
  } else {
    // No username: client credentials, so no password is asked.
    expect(maskedInputs(afterUsername)).toEqual([]);
    expect(afterUsername.folded).toContain(fold('Client ID'));
  }
  expect(maskedInputs(await talk(CLIENT_ID))).toEqual(['clientSecret']);
  await talk(oauthSubmit({ clientSecret: CLIENT_SECRET }));
  expect((await talk('omitir')).folded).toContain(fold('Revise las credenciales OAuth 2.0'));
  return talk('confirmar');
}

/** Andrés at the menu of a service COMFAMA shares with both forms saved (complete). */
async function completeService(w: World, opts: { username?: string } = {}, talk = (i: Input) => say(w.client, i)): Promise<Reply> {
  await asCcf(w);
  expect((await talk('Administración de Servicios Web')).folded).toContain(CATALOG);
  expect((await talk('Compartir Servicios Entidad')).folded).toContain(LIST_Q);
  await shareData(w, SERVICE, URL_SERVICE, talk);
  expect((await talk(SERVICE)).folded).toContain(SERVICE_Q(SERVICE));
  const r = await shareCredentials(w, opts, talk);
  expect(r.folded).toContain(fold('Estado: ✔ Completo'));
  return r;
}

/** Step 5 of "¿en qué voy?" (from the text fallback): its icon, its state, its detail; and the next step. */
function step5(r: Reply): { icono: string; estado: string; detalle: string; siguiente: string } {
  const m = [...r.text.matchAll(/([✔○✗◐]) Paso 5: Administración de Servicios Web — ([^\n]+)\n- ([^\n]+)/g)].at(-1);
  expect(m, 'step 5 in the checklist').toBeDefined();
  const next = [...r.text.matchAll(/\*\*Siguiente paso:\*\* ([^\n]+)/g)].at(-1);
  return { icono: m![1]!, estado: m![2]!, detalle: m![3]!, siguiente: next?.[1] ?? '' };
}

// ------------------------------------------------------------------------------ the happy path

describe('Compartir Servicios Entidad, Probar conexión and Asignar contraseña: the whole way', () => {
  it('a new service from its data (incompleto), its credentials through masked inputs (completo), a successful test, the password; stored sealed or hashed; step 5 done; no secret anywhere', async () => {
    const w = await world();
    const { talk, all } = recorder(w);
    await asCcf(w);
    expect((await talk('Administración de Servicios Web')).folded).toContain(CATALOG);

    // The list, empty.
    const empty = await talk('Compartir Servicios Entidad');
    expect(empty.text).toContain('**COMFAMA** todavía no comparte servicios con el Ministerio.');
    expect(empty.text).not.toContain('sin terminar');
    expect(buttons(empty)).toEqual(['Nuevo servicio', 'Volver']);

    // Datos del servicio web, one answer at a time.
    const nombre = await talk('Nuevo servicio');
    expect(nombre.text).toContain('Compartir Servicios Entidad — COMFAMA');
    expect(nombre.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    expect((await talk(SERVICE)).folded).toContain(fold('¿Cuál es la **descripción corta**'));
    expect((await talk('Consulta los afiliados activos de la Caja por documento')).folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
    const metodo = await talk(URL_SERVICE);
    expect(metodo.folded).toContain(fold('¿Qué **tipo de operación**'));
    expect(buttons(metodo)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    expect((await talk('POST')).folded).toContain(fold('Pegue la **llave pública**'));
    expect((await talk(PEM)).folded).toContain(fold('Pegue un **ejemplo del servicio**'));
    const review = await talk(EJEMPLO);
    expect(review.folded).toContain(fold('Revise los datos del servicio web'));
    expect(review.text).toMatch(/Llave pública\*\*: RSA 2048 bits · huella SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(review.text).toContain('"numeroDocumento": "70123456"');
    expect(buttons(review)).toEqual(['Confirmar', 'Corregir']);

    const saved = await talk('confirmar');
    expect(saved.text).toContain(`Quedaron guardados los datos de **${SERVICE}**. Estado: ○ Incompleto: falta Credenciales OAuth 2.0.`);
    expect(saved.text).toContain(`- **${SERVICE}** — ○ Incompleto: falta Credenciales OAuth 2.0`);
    expect(buttons(saved)).toEqual(['Nuevo servicio', SERVICE, 'Volver']);
    const [only] = await list(w, 'serviciosCompartidos');
    expect(only).toMatchObject({
      id: `${COMFAMA_NIT}:${SERVICE}`, nit: COMFAMA_NIT, nombre: SERVICE, por: ANDRES,
      datos: { descripcion: 'Consulta los afiliados activos de la Caja por documento', url: URL_SERVICE, metodo: 'POST', ejemplo: JSON.stringify(JSON.parse(EJEMPLO), null, 2), llave: { clase: 'llave', tipo: 'RSA', bits: 2048 } },
    });
    expect(only!.credenciales).toBeUndefined();
    expect(only!.datos!.llave.pem.trim()).toBe(PEM.trim());
    const huella = only!.datos!.llave.huella;

    // The service: its card and its actions.
    const card = await talk(SERVICE);
    expect(facts(card)).toMatchObject({
      Descripción: 'Consulta los afiliados activos de la Caja por documento',
      'Operación y URL': `POST ${URL_SERVICE}`,
      'Llave pública': `RSA 2048 bits · huella SHA-256 ${huella}`,
    });
    expect(card.text).toContain('Aún no se han registrado las credenciales.');
    expect(buttons(card)).toEqual(SERVICE_ACTIONS);

    // Credenciales OAuth 2.0: the password and the Client Secret only through masked inputs.
    expect((await talk('credenciales')).text).toContain(`Compartir Servicios Entidad — COMFAMA — ${SERVICE}`);
    expect((await talk('Token afiliaciones COMFAMA')).folded).toContain(fold('URL del servicio de autorización'));
    expect((await talk(TOKEN_URL)).folded).toContain(fold('¿Cuál es el **usuario** (username)'));
    // No username: the token is asked with client credentials, so no password is asked.
    const noPassword = await talk('omitir');
    expect(maskedInputs(noPassword)).toEqual([]);
    expect(noPassword.folded).toContain(fold('Client ID'));
    const secret = await talk(CLIENT_ID);
    expect(maskedInputs(secret)).toEqual(['clientSecret']);
    expect((await talk(oauthSubmit({ clientSecret: CLIENT_SECRET }))).folded).toContain(fold('¿Qué **alcance** (scope)'));
    const credReview = await talk('omitir');
    expect(credReview.text).not.toContain('**Contraseña (password)**');
    expect(credReview.text).toContain('- **Client Secret**: •••••••• (dato protegido: se guardará cifrado)');
    expect(credReview.text).toContain(`- **Client ID**: ${CLIENT_ID}`);

    const complete = await talk('confirmar');
    expect(complete.text).toContain(`Quedaron guardadas las credenciales de **${SERVICE}**`);
    expect(complete.text).toContain('Estado: ✔ Completo.');
    expect(facts(complete)).toMatchObject({
      'Nombre del token': 'Token afiliaciones COMFAMA',
      'URL del servicio de autorización': TOKEN_URL,
      'Client ID': CLIENT_ID,
      'Client Secret': expect.stringMatching(/^••••• \(dato registrado el 2\d de noviembre de 2026 a las /),
    });
    expect(buttons(complete)).toEqual(SERVICE_ACTIONS);
    const [stored] = await list(w, 'serviciosCompartidos');
    const c = stored!.credenciales!;
    expect(c).toMatchObject({ nombreToken: 'Token afiliaciones COMFAMA', tokenUrl: TOKEN_URL, username: '', clientId: CLIENT_ID, scope: '' });
    expect(c.passwordSellada).toBeUndefined();
    expect(w.deps.secrets.open(c.clientSecretSellado)).toBe(CLIENT_SECRET);
    expect(stored!.datos!.llave.huella).toBe(huella);

    // Probar conexión: the tester gets the opened Client Secret (client credentials: no username, no password).
    const probe = await talk('probar conexion');
    expect(probe.text).toContain(`✔ La conexión de **${SERVICE}** funciona:\n- Token: obtenido (respuesta 200, 12 ms).\n- Llamada al servicio: respuesta 200 en 34 ms (2 KB).`);
    expect(w.tester.calls).toEqual([
      { tokenUrl: TOKEN_URL, grantType: 'client_credentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, serviceUrl: URL_SERVICE, metodo: 'POST', cuerpo: stored!.datos!.ejemplo },
    ]);

    // Shared, but no password yet: step 5 still pending, and says only what is missing.
    const half = step5(await talk('¿en qué voy?'));
    expect(half).toMatchObject({ icono: '○', estado: 'pendiente' });
    expect(half.detalle).toContain('Falta asignar la contraseña de los servicios web (Asignar contraseña).');
    expect(half.detalle).not.toContain('compartir al menos un servicio');
    expect(half.detalle).toContain(`Servicios compartidos completos: ${SERVICE}.`);
    expect(half.detalle).toMatch(new RegExp(`Última prueba de conexión: ${SERVICE}, el \\d{2}/11 a las \\d{1,2}:\\d{2}.*: funcionó\\.`));
    expect(half.siguiente).toContain('debe asignar la contraseña de los servicios web: **Asignar contraseña**.');

    expect((await talk('volver')).text).toContain(`- **${SERVICE}** — ✔ Completo`);
    expect((await talk('volver')).folded).toContain(MODULE_AGAIN);

    // Asignar contraseña.
    const clave = await talk('Asignar contraseña');
    expect(clave.text).toContain('Asignar contraseña — COMFAMA');
    expect(maskedInputs(clave)).toEqual(['clave']);
    const done = await talk(claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: SERVICES_PASSWORD }));
    expect(done.text).toMatch(/Listo: el .+ quedó asignada la contraseña de los servicios web\. Enviamos el aviso por correo, sin la contraseña, a 2 direcciones\./);
    expect(done.folded).toContain(MODULE_AGAIN);
    const [assigned] = await list(w, 'clavesServicios');
    expect(assigned).toMatchObject({ id: COMFAMA_NIT, por: ANDRES, hash: expect.stringMatching(/^\$argon2id\$/) });
    expect(await passwordHasher.verify(SERVICES_PASSWORD, assigned!.hash)).toBe(true);

    // The whole chain done.
    const estado = await talk('¿en qué voy?');
    for (const n of [1, 2, 3, 4]) expect(estado.text).toMatch(new RegExp(`✔ Paso ${n}: .+ — hecho`));
    const full = step5(estado);
    expect(full).toMatchObject({ icono: '✔', estado: 'hecho' });
    expect(full.detalle).toContain('la Caja comparte 1 servicio completo y asignó la contraseña de los servicios web el');
    expect(full.detalle).not.toContain('Falta');

    // Audited: what changed, never a value of a secret.
    expect((await auditOf(w, 'compartir.creado')).map((e) => e.detail)).toEqual([{ servicio: SERVICE, parte: 'datos', campos: 'descripcion,url,metodo,llave,ejemplo' }]);
    expect((await auditOf(w, 'compartir.actualizado')).map((e) => e.detail)).toEqual([
      { servicio: SERVICE, parte: 'credenciales', campos: 'nombreToken,tokenUrl,username,clientId,scope,clientSecret' },
    ]);
    expect((await auditOf(w, 'compartir.conexion_probada')).map((e) => e.detail)).toEqual([{ servicio: SERVICE, token: 'ok 200', llamada: 'ok 200' }]);
    expect(await auditOf(w, 'compartir.clave_asignada')).toHaveLength(1);

    // The notices: to Andrés and to COMFAMA's corporate e-mail, without the password (as written, in every part).
    expect(w.mailer.sent.map((m) => [m.to, m.template])).toEqual([
      ['andres.zapata@correo.com', 'clave-servicios-asignada'],
      [SEDE_EMAIL, 'clave-servicios-asignada'],
    ]);
    const mails = w.mailer.sent.map((m) =>
      [JSON.stringify(m), ...['.asunto.hbs', '.txt.hbs', '.html.hbs'].map((ext) => renderFile(`correo/${m.template}`, ext, m.data as Record<string, unknown>))].join('\n'),
    );
    expect(mails.join('\n')).toContain('COMFAMA');

    // No secret in any reply, the store (drafts and audit included) or the mails.
    const everywhere = { replies: all(), store: await storeText(w), audit: JSON.stringify(await list(w, 'audit')), mails: mails.join('\n') };
    for (const [where, text] of Object.entries(everywhere)) for (const s of SECRETS) expect(text, `${where} holds a secret`).not.toContain(s);
  }, 60_000);
});

// ------------------------------------------------------------------------------ two forms, separately

describe('the help at an answer the person makes up', () => {
  it('at the token\'s name it does not say "si no tiene este dato a mano" (nothing to look up); at the token URL it does', async () => {
    const w = await world();
    await atList(w);
    await shareData(w);
    await say(w.client, 'credenciales');
    const help = await say(w.client, 'ayuda');
    expect(help.folded).toContain(fold('¿Cuál es el **nombre del token**?'));
    expect(help.folded).not.toContain('no tiene este dato a mano');
    await say(w.client, 'Token afiliaciones COMFAMA');
    expect((await say(w.client, 'ayuda')).folded).toContain('no tiene este dato a mano');
  });

  it('at the Client Secret (looked up, never kept) it does say it: the answers before it are kept', async () => {
    const w = await world();
    await atList(w);
    await shareData(w);
    await say(w.client, 'credenciales');
    for (const input of ['Token afiliaciones COMFAMA', TOKEN_URL, 'omitir']) await say(w.client, input);
    expect(maskedInputs(await say(w.client, CLIENT_ID))).toEqual(['clientSecret']);
    const help = await say(w.client, 'ayuda');
    expect(help.folded).toContain(fold('Si no tiene este dato a mano, escriba **cancelar** y vuelva cuando lo tenga: lo que ya respondió queda guardado.'));
    const menu = await say(w.client, 'cancelar');
    expect(menu.folded).toContain('borrador');
  });
});

describe('an action named at the list', () => {
  it('with one service, "credenciales" opens its Credenciales OAuth 2.0 and "probar conexion" tests it (no need to choose the service first)', async () => {
    const w = await world();
    await atList(w);
    await shareData(w);
    expect((await say(w.client, 'credenciales')).folded).toContain(fold('¿Cuál es el **nombre del token**?'));
    await say(w.client, 'atrás');
    const back = await say(w.client, 'volver');
    expect(back.folded).toContain(LIST_Q);
    const probe = await say(w.client, 'probar conexion');
    expect(probe.folded).toContain(fold('falta Credenciales OAuth 2.0'));
    expect(probe.folded).toContain(SERVICE_Q(SERVICE));
  });

  it('with two services, the word alone does not choose one: the list is asked again', async () => {
    const w = await world();
    await atList(w);
    await shareData(w);
    await shareData(w, 'OtroServicioCaja', 'https://api.comfama.com.co/otro');
    const r = await say(w.client, 'credenciales');
    expect(r.folded).toContain(LIST_Q);
    expect(r.folded).not.toContain(fold('nombre del token'));
  });
});

describe('the two forms, saved separately', () => {
  it.each([
    ['Compartir servicios', LIST_Q, []],
    ['Asignar contraseña', fold('Escriba la **nueva contraseña** en el campo protegido'), ['clave']],
  ])('"%s" asked for by name before the terms are accepted: the terms first, then the section', async (typed, section, masked) => {
    const w = await world({ aceptados: false });
    await asCcf(w);
    const terms = await say(w.client, typed);
    expect(terms.folded).toContain(fold('¿Acepta las condiciones de uso y la política de privacidad y retención?'));
    expect(terms.folded).not.toContain(section);
    const r = await say(w.client, 'Acepto');
    expect(r.folded).toContain(section);
    expect(maskedInputs(r)).toEqual(masked);
  });

  it('"Nuevo servicio" starts with the Datos del servicio web; the credentials are offered once the service exists, and can be saved another day, in another conversation', async () => {
    const w = await world();
    await atList(w);
    const first = await say(w.client, 'Nuevo servicio');
    expect(first.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    expect(first.folded).not.toMatch(/nombre del token|client id|client secret/);
    await say(w.client, 'cancelar');
    expect(await list(w, 'serviciosCompartidos')).toEqual([]);

    // Day 1: the data only; the service waits for its credentials.
    await say(w.client, 'Compartir Servicios Entidad');
    await shareData(w);
    expect((await say(w.client, 'salir')).folded).toContain(fold('Su sesión en el asistente quedó cerrada'));

    // Day 2, another conversation: the credentials.
    w.clock.advance(86_400_000);
    const other = { ...w, client: mainClient(w) };
    await asCcf(other);
    await say(other.client, 'Administración de Servicios Web');
    const listed = await say(other.client, 'Compartir Servicios Entidad');
    expect(listed.text).toContain(`- **${SERVICE}** — ○ Incompleto: falta Credenciales OAuth 2.0`);
    await say(other.client, SERVICE);
    const r = await shareCredentials(other);
    expect(r.text).toContain('Estado: ✔ Completo.');
    const [s] = await list(w, 'serviciosCompartidos');
    expect(s!.datos!.guardadoEn).toBe(START);
    expect(s!.credenciales!.guardadoEn).toBe(new Date(Date.parse(START) + 86_400_000).toISOString());
  }, 60_000);

  it('leaving the credentials half-way (after the masked password) saves nothing and keeps no secret anywhere; the service stays incompleto', async () => {
    const w = await world();
    await openCredentials(w);
    await say(w.client, 'Token afiliaciones COMFAMA');
    await say(w.client, TOKEN_URL);
    await say(w.client, 'omitir');
    expect((await say(w.client, oauthSubmit({ password: OAUTH_PASSWORD }))).folded).toContain(fold('¿Cuál es el **Client ID**?'));
    expect((await say(w.client, 'cancelar')).folded).toContain(MENU);
    const [s] = await list(w, 'serviciosCompartidos');
    expect(s!.credenciales).toBeUndefined();
    expect(await storeText(w)).not.toContain(OAUTH_PASSWORD);
    expect(JSON.stringify(await list(w, 'drafts'))).not.toContain(OAUTH_PASSWORD);
  });
});

// ------------------------------------------------------------------------------ editing

describe('editing a shared service', () => {
  it('a stored certificate that expired since: "Datos del servicio web" says so and asks a current key first, keeps the rest, and saves', async () => {
    const w = await world();
    const leaf = pemFixture('servicio-ec.pem');
    const cert = new X509Certificate(leaf);
    const inspected = inspectPublicKey(leaf, new Date(Date.parse(cert.validFrom) + 86_400_000));
    if (!inspected.ok) throw new Error(inspected.error.code);
    const ejemplo = JSON.stringify(JSON.parse(EJEMPLO), null, 2);
    const datos = { descripcion: 'Consulta los afiliados activos de la Caja por documento', url: URL_SERVICE, metodo: 'POST' as const, llave: inspected.value.llave, ejemplo };
    expect(await saveServiceData(w.deps, ANDRES, asCcfRole, terminosVigentes(), SERVICE, datos, actor)).toMatchObject({ ok: true });
    w.clock.set(new Date(Date.parse(cert.validTo) + 2 * 86_400_000));
    await atList(w);
    await say(w.client, SERVICE);
    const opened = await say(w.client, 'Datos del servicio web');
    expect(opened.text).toContain(`La llave pública o el certificado guardado de **${SERVICE}** ya no es válido (venció el `);
    expect(opened.folded).toContain(fold('Pegue la **llave pública**'));
    expect(opened.folded).not.toContain(fold('Revise los datos del servicio web'));
    const review = await say(w.client, PEM);
    expect(review.folded).toContain(fold('Revise los datos del servicio web'));
    expect(review.text).toContain(URL_SERVICE);
    expect((await say(w.client, 'confirmar')).text).toContain(`Quedaron guardados los datos de **${SERVICE}**`);
    const [stored] = await list(w, 'serviciosCompartidos');
    expect(stored!.datos).toMatchObject({ url: URL_SERVICE, ejemplo, llave: { pem: expect.stringContaining(PEM.split('\n')[1]!) } });
  }, 60_000);

  it('"Datos del servicio web" starts from the review with the saved values; "corregir URL" changes only the URL; audited; the credentials stay', async () => {
    const w = await world();
    await completeService(w);
    const review = await say(w.client, 'Datos del servicio web');
    expect(review.text).toContain(`Compartir Servicios Entidad — COMFAMA — ${SERVICE}`);
    expect(review.folded).toContain(fold('Revise los datos del servicio web'));
    for (const v of [`- **Nombre del servicio**: ${SERVICE}`, `- **URL del servicio**: ${URL_SERVICE}`, '- **Tipo de operación**: POST', '- **Llave pública**: RSA 2048 bits']) expect(review.text).toContain(v);
    expect((await say(w.client, 'corregir URL')).folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
    const again = await say(w.client, 'https://api.comfama.com.co/v2/afiliados');
    expect(again.text).toContain('- **URL del servicio**: https://api.comfama.com.co/v2/afiliados');
    expect(again.text).toContain(`- **Nombre del servicio**: ${SERVICE}`);
    const saved = await say(w.client, 'confirmar');
    expect(saved.text).toContain(`Quedaron guardados los datos de **${SERVICE}**. Estado: ✔ Completo.`);
    expect(facts(saved)['Operación y URL']).toBe('POST https://api.comfama.com.co/v2/afiliados');
    expect(saved.folded).toContain(SERVICE_Q(SERVICE));
    const all = await list(w, 'serviciosCompartidos');
    expect(all).toHaveLength(1);
    expect(all[0]!.datos!.url).toBe('https://api.comfama.com.co/v2/afiliados');
    expect(all[0]!.credenciales!.clientId).toBe(CLIENT_ID);
    expect((await auditOf(w, 'compartir.actualizado')).at(-1)!.detail).toEqual({ servicio: SERVICE, parte: 'datos', campos: 'url' });
  }, 60_000);

  it("the name cannot be another shared service's (any case): refused in Spanish and asked again; its own name is accepted", async () => {
    const w = await world();
    await atList(w);
    await shareData(w);
    await shareData(w, 'RetiroAfiliadosComfama', 'https://api.comfama.com.co/retiro');
    // A new service with a taken name is refused as soon as the name is given.
    await say(w.client, 'Nuevo servicio');
    const dup = await say(w.client, 'consultaafiliadoscomfama');
    expect(dup.text).toContain(`Su Caja ya comparte un servicio con el nombre **${SERVICE}**.`);
    expect(dup.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    expect(dup.folded).not.toContain(fold('descripción corta'));
    await say(w.client, 'atrás');
    // Editing: another's name refused; its own accepted.
    await say(w.client, SERVICE);
    await say(w.client, 'Datos del servicio web');
    await say(w.client, 'corregir nombre');
    const taken = await say(w.client, 'RetiroAfiliadosComfama');
    expect(taken.text).toContain('Su Caja ya comparte un servicio con el nombre **RetiroAfiliadosComfama**.');
    expect(taken.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    const own = await say(w.client, SERVICE);
    expect(own.folded).toContain(fold('Revise los datos del servicio web'));
    expect(own.text).toContain('- **URL del servicio**: ' + URL_SERVICE);
    expect((await say(w.client, 'confirmar')).text).toContain(`Quedaron guardados los datos de **${SERVICE}**.`);
    expect((await list(w, 'serviciosCompartidos')).map((s) => s.nombre).sort()).toEqual([SERVICE, 'RetiroAfiliadosComfama']);
  }, 60_000);

  it('"corregir nombre" to its own name in another case updates the same service: one service, its credentials kept', async () => {
    const w = await world();
    await completeService(w);
    await say(w.client, 'Datos del servicio web');
    await say(w.client, 'corregir nombre');
    expect((await say(w.client, 'consultaafiliadoscomfama')).folded).toContain(fold('Revise los datos del servicio web'));
    const saved = await say(w.client, 'confirmar');
    expect(saved.text).toContain('Estado: ✔ Completo.');
    const all = await list(w, 'serviciosCompartidos');
    expect(all.map((s) => s.nombre)).toEqual([SERVICE]);
    expect(all[0]!.credenciales!.clientId).toBe(CLIENT_ID);
  }, 60_000);

  it('"Credenciales OAuth 2.0" of a complete service keeps its values and asks only the two secrets again; a changed Client Secret is audited by name', async () => {
    const w = await world();
    await completeService(w, { username: 'svc-ministerio' });
    const first = await say(w.client, 'Credenciales OAuth 2.0');
    expect(maskedInputs(first)).toEqual(['password']);
    expect(maskedInputs(await say(w.client, oauthSubmit({ password: OAUTH_PASSWORD })))).toEqual(['clientSecret']);
    const review = await say(w.client, oauthSubmit({ clientSecret: 'sk_otro-secreto-2027-Qw9' }));
    for (const v of ['- **Nombre del token**: Token afiliaciones COMFAMA', `- **Client ID**: ${CLIENT_ID}`, '- **Usuario (username)**: svc-ministerio']) expect(review.text).toContain(v);
    expect((await say(w.client, 'confirmar')).text).toContain('Estado: ✔ Completo.');
    const [s] = await list(w, 'serviciosCompartidos');
    expect(w.deps.secrets.open(s!.credenciales!.clientSecretSellado)).toBe('sk_otro-secreto-2027-Qw9');
    expect(w.deps.secrets.open(s!.credenciales!.passwordSellada!)).toBe(OAUTH_PASSWORD);
    expect((await auditOf(w, 'compartir.actualizado')).at(-1)!.detail).toEqual({ servicio: SERVICE, parte: 'credenciales', campos: 'clientSecret' });
    expect(JSON.stringify(await list(w, 'audit'))).not.toContain('sk_otro-secreto-2027-Qw9');
  }, 60_000);
});

// ------------------------------------------------------------------------------ bad input at every prompt

const NOT_A_CRASH = /lo sentimos|ocurrio un error|\bundefined\b|\[object|\{\{/;

interface FormQuestion {
  readonly name: string;
  /** The answers before it (after "Nuevo servicio", or after "Credenciales OAuth 2.0" in the service's menu). */
  readonly before: readonly Input[];
  readonly question: string;
  readonly good: Input;
  /** BAD_INPUTS kinds that are fair answers here (an optional field takes some of them). */
  readonly fair?: readonly string[];
}

const DATOS_ANSWERS: Input[] = [SERVICE, 'Consulta los afiliados activos de la Caja por documento', URL_SERVICE, 'POST', PEM, EJEMPLO];
const DATOS_QUESTIONS: FormQuestion[] = [
  { name: 'nombre del servicio', before: [], question: '¿Cuál es el **nombre del servicio**', good: DATOS_ANSWERS[0]! },
  { name: 'descripción corta', before: DATOS_ANSWERS.slice(0, 1), question: '¿Cuál es la **descripción corta**', good: DATOS_ANSWERS[1]! },
  { name: 'URL del servicio', before: DATOS_ANSWERS.slice(0, 2), question: '¿Cuál es la **URL del servicio**?', good: DATOS_ANSWERS[2]! },
  { name: 'tipo de operación', before: DATOS_ANSWERS.slice(0, 3), question: '¿Qué **tipo de operación**', good: DATOS_ANSWERS[3]! },
  { name: 'llave pública', before: DATOS_ANSWERS.slice(0, 4), question: 'Pegue la **llave pública**', good: DATOS_ANSWERS[4]! },
  { name: 'ejemplo del servicio', before: DATOS_ANSWERS.slice(0, 5), question: 'Pegue un **ejemplo del servicio**', good: DATOS_ANSWERS[5]! },
];
const OAUTH_ANSWERS: Input[] = ['Token afiliaciones COMFAMA', TOKEN_URL, 'svc-ministerio', oauthSubmit({ password: OAUTH_PASSWORD }), CLIENT_ID, oauthSubmit({ clientSecret: CLIENT_SECRET }), 'omitir'];
const OAUTH_QUESTIONS: FormQuestion[] = [
  { name: 'nombre del token', before: [], question: '¿Cuál es el **nombre del token**?', good: OAUTH_ANSWERS[0]! },
  { name: 'URL del servicio de autorización', before: OAUTH_ANSWERS.slice(0, 1), question: '¿Cuál es la **URL del servicio de autorización**', good: OAUTH_ANSWERS[1]! },
  // Optional: an empty answer skips it, and so does an emoji (it folds to nothing: dialogs/form isSkipAnswer).
  { name: 'username', before: OAUTH_ANSWERS.slice(0, 2), question: '¿Cuál es el **usuario** (username)', good: OAUTH_ANSWERS[2]!, fair: ['empty', 'emoji'] },
  { name: 'password (masked)', before: OAUTH_ANSWERS.slice(0, 3), question: 'Escriba la **contraseña** (password) de ese usuario en el campo protegido', good: OAUTH_ANSWERS[3]! },
  { name: 'Client ID', before: OAUTH_ANSWERS.slice(0, 4), question: '¿Cuál es el **Client ID**?', good: OAUTH_ANSWERS[4]! },
  { name: 'Client Secret (masked)', before: OAUTH_ANSWERS.slice(0, 5), question: 'Escriba el **Client Secret** en el campo protegido', good: OAUTH_ANSWERS[5]! },
  // Optional (empty and emoji skip it), and RFC 6749 scope tokens allow ' < > = ( ) ;: the SQL and the HTML are scopes.
  { name: 'scope', before: OAUTH_ANSWERS.slice(0, 6), question: '¿Qué **alcance** (scope)', good: OAUTH_ANSWERS[6]!, fair: ['empty', 'emoji', 'SQL', 'HTML'] },
];

describe('a file attached where the key or the example goes', () => {
  const file = (name: string, bytes: Uint8Array | string): Input => {
    testFiles.set(name, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    return { type: 'message', attachments: [{ contentType: 'application/octet-stream', contentUrl: `test:${name}`, name }] };
  };
  async function atKey(w: World): Promise<void> {
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    await say(w.client, 'Consulta los afiliados activos de la Caja por documento');
    await say(w.client, URL_SERVICE);
    expect((await say(w.client, 'POST')).folded).toContain(fold('también puede adjuntar el archivo (.pem, .crt o .cer)'));
  }

  it('the .pem file and then the .json file are read as if pasted; the review shows the key as pasted would', async () => {
    const w = await world();
    await atKey(w);
    expect((await say(w.client, file('servicio.pem', PEM))).folded).toContain(fold('ejemplo del servicio'));
    const review = await say(w.client, file('ejemplo.json', EJEMPLO));
    expect(review.folded).toContain(fold('Revise los datos del servicio web'));
    expect(review.text).toMatch(/\*\*Llave pública\*\*: RSA 2048 bits · huella SHA-256/);
  });

  it('a binary .cer certificate (DER) is read too', async () => {
    const w = await world();
    const cert = new X509Certificate(pemFixture('servicio-ec.pem'));
    w.clock.set(new Date(Date.parse(cert.validFrom) + 86_400_000)); // the fixture is made today; the world starts before
    await atKey(w);
    expect((await say(w.client, file('servicio.cer', cert.raw))).folded).toContain(fold('ejemplo del servicio'));
    const review = await say(w.client, EJEMPLO);
    expect(review.text).toMatch(/\*\*Llave pública\*\*: [^\n]*huella SHA-256 [^\n]*api\.comfama\.test/);
  });

  it('a file that is no key, or too big, is refused saying so; the same question follows; a pasted key then goes on', async () => {
    const w = await world();
    await atKey(w);
    const pdf = await say(w.client, file('rut.pdf', Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02])));
    expect(pdf.text).toContain('No pude leer ese archivo.');
    expect(pdf.folded).toContain(fold('Pegue la **llave pública**'));
    const privada = await say(w.client, file('servicio.key', PRIVATE_PEM));
    expect(privada.text).toContain('Eso es una **llave privada**: nunca la comparta con nadie');
    expect(privada.text).not.toContain('PRIVATE KEY-----\n');
    const big = await say(w.client, file('enorme.pem', 'x'.repeat(200 * 1024)));
    expect(big.text).toMatch(/Ese archivo es demasiado grande para este dato \(máximo \d+ KB\)/);
    expect((await say(w.client, PEM)).folded).toContain(fold('ejemplo del servicio'));
  });

  it('a file where no file is read (the description): said so, the same question follows', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    const r = await say(w.client, file('descripcion.txt', 'Consulta de afiliados'));
    expect(r.text).toContain('Aquí no recibo archivos adjuntos: escriba o pegue la respuesta en el chat.');
    expect(r.folded).toContain(fold('descripción corta'));
  });
});

describe('the name and the URL as people type them', () => {
  it('the URL typed without https:// is taken with it and goes on; the review shows it whole', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    const question = await say(w.client, 'Consulta los afiliados activos de la Caja por documento');
    // The question does not ask for a scheme the assistant adds itself; it shows a whole URL.
    expect(question.folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
    expect(question.folded).not.toContain(fold('empezar por https'));
    const r = await say(w.client, 'api.comfama.com.co/afiliados/consulta');
    expect(r.folded).not.toContain(fold('no parece una URL'));
    await say(w.client, 'POST');
    await say(w.client, PEM);
    const review = await say(w.client, EJEMPLO);
    expect(review.text).toContain('- **URL del servicio**: https://api.comfama.com.co/afiliados/consulta');
  });

  it('"consulta de afiliación" is refused proposing ConsultaDeAfiliacion; "sí" takes it, or it is typed so', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    const r = await say(w.client, 'consulta de afiliación');
    expect(r.text).toContain('sin espacios ni tildes. Si le sirve **ConsultaDeAfiliacion**, responda **sí**; si no, escriba otro.');
    expect(r.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    // The proposed name only, no other example: the question is asked again in its short form.
    expect(r.text).not.toContain('ConsultaAfiliadosCaja');
    expect(r.text).not.toMatch(/por ejemplo/i);
    expect((await say(w.client, 'si')).folded).toContain(fold('descripción'));
    expect((await say(w.client, 'atras')).folded).toContain(fold('ConsultaDeAfiliacion'));

    const typed = await world();
    await atList(typed);
    await say(typed.client, 'Nuevo servicio');
    await say(typed.client, 'consulta de afiliación');
    expect((await say(typed.client, 'ConsultaDeAfiliacion')).folded).toContain(fold('descripción'));
  });

  it('the proposed name is said again after "ayuda" (so "sí" answers a question shown); "no" asks the name again, plainly', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, 'consulta de afiliación');
    const help = await say(w.client, 'ayuda');
    expect(help.text).toContain('Si le sirve **ConsultaDeAfiliacion**, responda **sí**');
    expect(help.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    expect(help.text, 'the proposal is the example: the question in its short form').not.toContain('ConsultaAfiliadosCaja');
    const no = await say(w.client, 'no');
    expect(no.folded).toContain(fold('¿Cuál es el **nombre del servicio**'));
    expect(no.text).not.toContain('ConsultaDeAfiliacion');
    expect(no.folded).not.toContain(fold('obligatorio'));
    expect((await say(w.client, 'si')).folded, '"sí" is no name once the proposal was declined').not.toContain(fold('descripción'));
  });

  it('"consultar" at the method: GET is proposed, as its help names it; "sí" takes it, "no" asks again', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    await say(w.client, 'Consulta los afiliados activos de la Caja por documento');
    await say(w.client, 'https://api.comfama.com.co/afiliados/consulta');
    const proposed = await say(w.client, 'consultar');
    expect(proposed.text).toContain('Por lo que escribió, parece **GET**: si es ese, responda **sí**.');
    const no = await say(w.client, 'no');
    expect(no.folded).toContain(fold('método HTTP'));
    expect(no.text).not.toContain('**GET**: si es ese');
    await say(w.client, 'es para enviar solicitudes');
    const taken = await say(w.client, 'si');
    expect(taken.folded).not.toContain(fold('método HTTP'));
    await say(w.client, PEM);
    const review = await say(w.client, EJEMPLO);
    expect(review.text).toMatch(/\*\*(?:Método|Tipo de operación)[^*]*\*\*: POST/);
  });

  it('"no sé" at the URL: its help says who has it (the systems team) and that leaving keeps the answers', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    await say(w.client, 'Consulta los afiliados activos de la Caja por documento');
    const r = await say(w.client, 'no se cual es, la tiene el area de sistemas');
    expect(r.folded).toContain(fold('Si no la conoce, pídala al equipo de sistemas que publicó el servicio.'));
    expect(r.folded).toContain(fold('lo que ya respondió queda guardado'));
    expect(r.folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
  });

  it('"no sé" at the description is no description: its help, then the question again', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    const r = await say(w.client, 'no se');
    expect(r.folded).toContain(fold('Qué hace el servicio, en una o dos frases'));
    expect(r.folded).toContain(fold('¿Cuál es la **descripción corta**'));
    expect((await say(w.client, 'Consulta los afiliados activos de la Caja por documento')).folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
  });
});

describe("a button of the module's menu tapped under a shared service's menu", () => {
  it.each([
    ['Asignar contraseña', 'Vamos a asignar la **contraseña de los servicios web**'],
    ['Ver documentación', '¿De cuál servicio desea ver la documentación?'],
    ['Información Servicio', '¿De cuál servicio desea ver la información?'],
  ])('"%s" starts it, as from the module\'s menu', async (boton, expected) => {
    const w = await world();
    expect((await atServiceMenu(w)).folded).toContain(SERVICE_Q(SERVICE));
    const r = await say(w.client, boton);
    expect(r.text).not.toContain('es el botón de una pregunta anterior');
    expect(r.text).toContain(expected);
  });

  it('after "Asignar contraseña" started from a service\'s menu, the module\'s menu is "Administración de Servicios Web" for estado, not the password', async () => {
    const w = await world();
    await atServiceMenu(w);
    await say(w.client, 'Asignar contraseña');
    expect((await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: SERVICES_PASSWORD }))).folded).toContain(MODULE_AGAIN);
    const estado = await say(w.client, 'estado');
    expect(estado.text).toContain('Está en **Administración de Servicios Web**, en **Menú de servicios asignados**.');
    expect(estado.text).not.toContain('Está en **Asignar contraseña**');
  });

  it('in a form (a new service\'s example), such a button says how to get there ("menú", the answers kept) and the question stays', async () => {
    const w = await world();
    await atList(w);
    expect((await say(w.client, 'Volver')).folded).toContain(MODULE_AGAIN); // the module's menu, its buttons on the screen
    await say(w.client, 'Compartir Servicios Entidad');
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 5)) await say(w.client, input);
    const r = await say(w.client, 'asignar contrasena');
    expect(r.text).toContain('«Asignar contraseña» es una opción de otro menú. Para ir allá, escriba **menú** (lo que lleva aquí queda guardado para seguir después)');
    expect(r.text).not.toContain('es el botón de una pregunta anterior');
    expect(r.folded).toContain(fold('Pegue un **ejemplo del servicio**'));
    // Other words are still read as an answer.
    const other = await say(w.client, 'consulta de afiliados');
    expect(other.text).toContain('no es un JSON válido');
    expect(other.text).not.toContain('otro menú');
    // Compartir's own button, typed in its form reached through the module's menu, is not "another menu's".
    const own = await say(w.client, 'Compartir Servicios Entidad');
    expect(own.text).not.toContain('otro menú');
    expect(own.folded).toContain(fold('Pegue un **ejemplo del servicio**'));
  });

  it("a button of the question asked is its answer, even when a functionality has that name (the module menu's 'Compartir Servicios Entidad')", async () => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    expect((await say(w.client, 'Compartir Servicios Entidad')).folded).toContain(LIST_Q);
  });

  it("a name that is no functionality's button ('Corregir', 'Eliminar', which the search reads as Mis datos) is not taken for one", async () => {
    const w = await world();
    await atServiceMenu(w);
    const corregir = await say(w.client, 'Corregir');
    expect(corregir.folded).not.toContain(fold('Mis datos'));
    expect(corregir.folded).toContain(SERVICE_Q(SERVICE));
    // The service's own action, not Mis datos' "eliminar mis datos".
    expect((await say(w.client, 'Eliminar')).text).toContain(`¿Eliminar **${SERVICE}** de los servicios que comparte su Caja?`);
  });
});

describe('the optional credentials said in words', () => {
  it('"no usamos usuario" skips the username (no password is asked) and "sin scope" the scope: the review shows both empty', async () => {
    const w = await world();
    await atServiceMenu(w);
    await say(w.client, 'Credenciales OAuth 2.0');
    await say(w.client, 'Token afiliaciones COMFAMA');
    await say(w.client, TOKEN_URL);
    const afterUsername = await say(w.client, 'no usamos usuario');
    expect(afterUsername.folded).not.toContain(fold('no puede tener espacios'));
    expect(maskedInputs(afterUsername)).toEqual([]);
    expect(afterUsername.folded).toContain(fold('¿Cuál es el **Client ID**?'));
    await say(w.client, CLIENT_ID);
    await say(w.client, oauthSubmit({ clientSecret: CLIENT_SECRET }));
    const review = await say(w.client, 'sin scope');
    expect(review.folded).toContain(fold('Revise las credenciales OAuth 2.0'));
    expect(review.text).not.toContain('sin scope');
    await say(w.client, 'confirmar');
    const [saved] = await list(w, 'serviciosCompartidos');
    expect(saved).toMatchObject({ credenciales: { username: '', scope: '' } });
  });
});

describe('the example of a service without a body (GET, DELETE)', () => {
  async function atExample(w: World, metodo: string): Promise<Reply> {
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    await say(w.client, 'Consulta los afiliados activos de la Caja por documento');
    await say(w.client, URL_SERVICE);
    await say(w.client, metodo);
    return say(w.client, PEM);
  }

  it('GET: the question says the request has no body and offers {}; "es un get, no tiene body" is taken as {} and the review follows', async () => {
    const w = await world();
    const question = await atExample(w, 'GET');
    expect(question.text).toContain('Como es GET, la petición no lleva cuerpo (body): si el servicio no recibe datos, escriba `{}`.');
    expect(question.folded).not.toContain(fold('el cuerpo (body) de una petición'));
    // The example in a code span: the chat shows its quotes as typed, so a copy of it is JSON.
    expect(question.text).toContain('`{"tipoDocumento": "CC", "numeroDocumento": "70123456"}`');
    const review = await say(w.client, 'es un get, no tiene body');
    expect(review.folded).toContain(fold('Revise los datos del servicio web'));
    expect(review.text).toContain('Ejemplo del servicio**: {} (sin datos: la petición GET no lleva cuerpo)');
    expect((await say(w.client, 'confirmar')).text).toContain(`Quedaron guardados los datos de **${SERVICE}**.`);
    const [saved] = await list(w, 'serviciosCompartidos');
    expect(saved).toMatchObject({ datos: { metodo: 'GET', ejemplo: '{}' } });
    // Probar conexión calls it without a body: it does not say it sends the example.
    await say(w.client, SERVICE);
    await shareCredentials(w);
    await say(w.client, SERVICE);
    const probe = await say(w.client, 'Probar conexión');
    expect(probe.text).toContain('pido un token y llamo al servicio…');
    expect(w.tester.calls.at(-1)).toMatchObject({ metodo: 'GET' });
  });

  it('DELETE: "no sé" gives the help for a request without a body; "ninguno" is {}', async () => {
    const w = await world();
    await atExample(w, 'DELETE');
    const help = await say(w.client, 'no se');
    expect(help.text).toContain('Una petición DELETE no lleva cuerpo (body)');
    expect(help.text).toContain('Si no recibe ninguno, escriba `{}`.');
    expect(help.text).not.toContain('Probar conexión');
    expect((await say(w.client, 'ninguno')).folded).toContain(fold('Revise los datos del servicio web'));
  });

  it('POST: the body is asked as before, and "no tiene body" is still no answer', async () => {
    const w = await world();
    const question = await atExample(w, 'POST');
    expect(question.folded).toContain(fold('Pegue un **ejemplo del servicio**: el cuerpo (body) de una petición'));
    expect(question.text).not.toContain('{}');
    const again = await say(w.client, 'no tiene body');
    expect(again.folded).toContain(fold('Este dato es obligatorio'));
    expect(again.folded).toContain(fold('Pegue un **ejemplo del servicio**'));
    // Typed on a phone (or copied from the chat's rendering): typographic quotes are read as straight ones.
    const review = await say(w.client, '{“tipoDocumento”: “CC”, “numeroDocumento”: “70123456”}');
    expect(review.folded).toContain(fold('Revise los datos del servicio web'));
    expect(review.text).toContain('"numeroDocumento": "70123456"');
  });
});

describe('bad input at every prompt', () => {
  it.each(DATOS_QUESTIONS)('Datos del servicio web, $name: every bad input is asked again in Spanish; nothing typed is lost; then it goes on', async (q) => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of q.before) await say(w.client, input);
    for (const [kind, bad] of BAD_INPUTS) {
      if (q.fair?.includes(kind)) continue;
      const r = await say(w.client, bad);
      expect(r.folded, kind).toContain(fold(q.question));
      expect(r.folded, kind).not.toMatch(NOT_A_CRASH);
    }
    let r = await say(w.client, q.good);
    for (const rest of DATOS_ANSWERS.slice(q.before.length + 1)) r = await say(w.client, rest);
    expect(r.folded).toContain(fold('Revise los datos del servicio web'));
    expect(r.text).toContain(`- **Nombre del servicio**: ${SERVICE}`);
    expect(r.text).toContain(`- **URL del servicio**: ${URL_SERVICE}`);
    expect(await list(w, 'serviciosCompartidos')).toEqual([]);
  }, 60_000);

  it.each(OAUTH_QUESTIONS)('Credenciales OAuth 2.0, $name: every bad input is asked again in Spanish; nothing typed is lost; then it goes on', async (q) => {
    const w = await world();
    await openCredentials(w);
    for (const input of q.before) await say(w.client, input);
    for (const [kind, bad] of BAD_INPUTS) {
      if (q.fair?.includes(kind)) continue;
      const r = await say(w.client, bad);
      expect(r.folded, kind).toContain(fold(q.question));
      expect(r.folded, kind).not.toMatch(NOT_A_CRASH);
    }
    let r = await say(w.client, q.good);
    for (const rest of OAUTH_ANSWERS.slice(q.before.length + 1)) r = await say(w.client, rest);
    expect(r.folded).toContain(fold('Revise las credenciales OAuth 2.0'));
    expect(r.text).toContain('- **Nombre del token**: Token afiliaciones COMFAMA');
    expect(r.text).toContain(`- **Client ID**: ${CLIENT_ID}`);
    expect((await say(w.client, 'confirmar')).text).toContain('Estado: ✔ Completo.');
    const [s] = await list(w, 'serviciosCompartidos');
    expect(w.deps.secrets.open(s!.credenciales!.passwordSellada!)).toBe(OAUTH_PASSWORD);
    expect(w.deps.secrets.open(s!.credenciales!.clientSecretSellado)).toBe(CLIENT_SECRET);
  }, 60_000);

  it.each([
    ['https://10.0.0.5/x', 'La URL apunta a la dirección 10.0.0.5, que no es una dirección pública de internet (es de una red privada).'],
    ['https://2130706433/', 'La URL apunta a la dirección 127.0.0.1, que no es una dirección pública de internet (es este mismo equipo).'],
    ['https://0x7f000001/', 'La URL apunta a la dirección 127.0.0.1'],
    ['https://[::ffff:127.0.0.1]/', '(es este mismo equipo)'],
    ['https://169.254.169.254/latest/meta-data', '(es de enlace local)'],
    ['https://localhost/x', 'El nombre del servidor no es un nombre público de internet'],
    ['http://api.comfama.com.co/afiliados', 'La URL debe empezar por **https://**'],
    ['https://usuario:clave@api.comfama.com.co/', 'La URL no puede llevar un usuario ni una contraseña'],
    ['https://api.comfama.com.co:8443/x', 'La URL usa un puerto no estándar.'],
  ])('the service URL %s is refused with its reason and asked again; the answers before are kept', async (url, reason) => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    await say(w.client, SERVICE);
    await say(w.client, 'Consulta los afiliados activos de la Caja por documento');
    const r = await say(w.client, url);
    expect(r.text).toContain(reason);
    expect(r.folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
    let last = await say(w.client, URL_SERVICE);
    for (const rest of DATOS_ANSWERS.slice(3)) last = await say(w.client, rest);
    expect(last.text).toContain(`- **Nombre del servicio**: ${SERVICE}`);
    expect(last.text).toContain('- **Descripción corta**: Consulta los afiliados activos de la Caja por documento');
    expect(last.text).toContain(`- **URL del servicio**: ${URL_SERVICE}`);
  }, 60_000);

  it.each([
    ['https://192.168.1.10/oauth2/token', '(es de una red privada)'],
    ['http://login.comfama.com.co/oauth2/token', 'La URL debe empezar por **https://**'],
    ['https://2130706433/token', '(es este mismo equipo)'],
  ])('the token URL %s is refused by the same rules', async (url, reason) => {
    const w = await world();
    await openCredentials(w);
    await say(w.client, 'Token afiliaciones COMFAMA');
    const r = await say(w.client, url);
    expect(r.text).toContain(reason);
    expect(r.folded).toContain(fold('¿Cuál es la **URL del servicio de autorización**'));
  });

  it('a PRIVATE key pasted as the public key: refused with the warning, never shown back, stored, or kept in a draft; the public key then goes on', async () => {
    const w = await world();
    const { talk, all } = recorder(w);
    await atList(w);
    await talk('Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 4)) await talk(input);
    const r = await talk(PRIVATE_PEM);
    expect(r.text).toContain('Eso es una **llave privada**: nunca la comparta con nadie, ni aquí ni por correo. No la guardé.');
    expect(r.folded).toContain(fold('Pegue la **llave pública**'));
    // The message leaves the conversation as a typed password does; a channel that cannot remove it asks the person to.
    expect(r.folded).toContain(fold('bórrelo usted del chat'));
    expect((await talk('ayuda')).folded).toContain(fold('Nunca pegue una llave privada'));
    expect(await storeText(w)).not.toContain(PRIVATE_LINE);
    expect((await talk(PEM)).folded).toContain(fold('Pegue un **ejemplo del servicio**'));
    await talk(EJEMPLO);
    await talk('confirmar');
    await talk(SERVICE);
    for (const text of [all(), await storeText(w)]) {
      expect(text).not.toContain(PRIVATE_LINE);
      expect(text).not.toContain('PRIVATE KEY-----\\n');
    }
    const [s] = await list(w, 'serviciosCompartidos');
    expect(s!.datos!.llave.pem).not.toContain('PRIVATE');
  }, 60_000);

  it.each([
    ['{tipoDocumento: "CC"}', 'El ejemplo no es un JSON válido (revise la línea 1, columna 2).'],
    ['[1, 2', 'El ejemplo no es un JSON válido'],
    ['"solo un texto"', 'El ejemplo debe ser un objeto JSON (entre llaves { }) o una lista (entre corchetes [ ]).'],
  ])('the example %s is refused with its reason and asked again', async (json, reason) => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 5)) await say(w.client, input);
    const r = await say(w.client, json);
    expect(r.text).toContain(reason);
    expect(r.folded).toContain(fold('Pegue un **ejemplo del servicio**'));
    expect((await say(w.client, EJEMPLO)).text).toContain(`- **Nombre del servicio**: ${SERVICE}`);
  });

  it.each(['la llave no la tengo', 'omitir'])('"%s" at the public key: it is required, "cancelar" keeps what was answered; then it goes on', async (text) => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 4)) await say(w.client, input);
    const r = await say(w.client, text);
    expect(r.text).toContain('Este dato es obligatorio: sin él no puedo continuar.');
    expect(r.folded).toContain('o cancelar si necesita conseguirlo lo que ya respondio queda guardado');
    expect(r.folded).not.toContain('no pude leer');
    expect(r.folded).toContain(fold('Pegue la **llave pública**'));
    expect((await say(w.client, PEM)).folded).toContain(fold('Pegue un **ejemplo del servicio**'));
  });

  it('a password typed in the chat at the masked prompt is refused and kept nowhere', async () => {
    const w = await world();
    await openCredentials(w);
    for (const input of OAUTH_ANSWERS.slice(0, 3)) await say(w.client, input);
    const r = await say(w.client, OAUTH_PASSWORD);
    expect(r.folded).toContain(fold('solo se recibe en el campo protegido de la tarjeta'));
    expect(maskedInputs(r)).toEqual(['password']);
    expect(JSON.stringify(r.activities)).not.toContain(OAUTH_PASSWORD);
    expect(await storeText(w)).not.toContain(OAUTH_PASSWORD);
  });
});

interface ChoiceAt {
  readonly name: string;
  readonly reach: (w: World) => Promise<unknown>;
  readonly question: string;
  readonly options: readonly string[];
}
const CHOICES: ChoiceAt[] = [
  { name: 'the list (empty)', reach: atList, question: LIST_Q, options: ['Nuevo servicio', 'Volver'] },
  {
    name: 'the list (one service)',
    reach: async (w) => {
      await atList(w);
      await shareData(w);
    },
    question: LIST_Q,
    options: ['Nuevo servicio', SERVICE, 'Volver'],
  },
  {
    name: "a service's menu",
    reach: async (w) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
    },
    question: SERVICE_Q(SERVICE),
    options: SERVICE_ACTIONS,
  },
  {
    name: 'the confirmation of Eliminar',
    reach: async (w) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
      await say(w.client, 'Eliminar');
    },
    question: fold(`¿Eliminar **${SERVICE}** de los servicios que comparte su Caja?`),
    options: ['Sí, eliminar', 'No'],
  },
];

describe.each(CHOICES)('at $name', (c) => {
  it('every bad input gets the same question again with its options; nothing changes', async () => {
    const w = await world();
    await c.reach(w);
    const before = JSON.stringify(await list(w, 'serviciosCompartidos'));
    for (const [kind, bad] of BAD_INPUTS) {
      const r = await say(w.client, bad);
      expect(r.folded, kind).toContain(c.question);
      expect(buttons(r), kind).toEqual(c.options);
      expect(r.folded, kind).not.toMatch(NOT_A_CRASH);
    }
    const other = await say(w.client, 'quiero un café');
    expect(other.text).toContain(c.options.map((o, i) => `${i + 1}. ${o}`).join('\n'));
    expect(JSON.stringify(await list(w, 'serviciosCompartidos'))).toBe(before);
  }, 60_000);
});

// ------------------------------------------------------------------------------ atrás, cancelar, ayuda, estado

describe('atrás, cancelar, ayuda and estado', () => {
  it('"menú" half-way through the data form says what was typed stays as a draft, then the menu; "no sé" at the URL says it may leave and come back', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 2)) await say(w.client, input);
    const help = await say(w.client, 'no sé');
    expect(help.folded).toContain(fold('Debe usar https, el puerto estándar'));
    expect(help.folded).toContain(fold('Si no tiene este dato a mano, escriba **cancelar** y vuelva cuando lo tenga: lo que ya respondió queda guardado.'));
    expect(help.folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
    const menu = await say(w.client, 'menú');
    expect(menu.folded).toContain(fold('Lo que alcanzó a escribir quedó guardado como borrador: si vuelve a ese trámite, podrá retomarlo o **empezar de nuevo**.'));
    expect(menu.folded).not.toContain(fold('cancelé'));
    expect(JSON.stringify(await list(w, 'drafts'))).toContain(SERVICE);
    await say(w.client, 'Administración de Servicios Web');
    // The list says what waits under "Nuevo servicio".
    const listed = await say(w.client, 'Compartir Servicios Entidad');
    expect(listed.text).toContain(`Tiene guardados los datos de un servicio nuevo sin terminar (**${SERVICE}**): elija **Nuevo servicio** para seguir donde iba.`);
    expect((await say(w.client, 'Nuevo servicio')).folded).toContain(fold('Retomamos lo que dejó guardado'));
  });

  it('"menú" at the list (no form) says nothing of a draft', async () => {
    const w = await world();
    await atList(w);
    expect((await say(w.client, 'menú')).folded).not.toContain(fold('borrador'));
  });

  it.each(['atrás', 'Volver'])('"%s" at the list goes back to the module menu', async (typed) => {
    const w = await world();
    await atList(w);
    const r = await say(w.client, typed);
    expect(r.folded).toContain(MODULE_AGAIN);
    expect(buttons(r)).toContain('Compartir Servicios Entidad');
  });

  it.each(['atrás', 'Volver'])('"%s" at a service\'s menu goes back to the list', async (typed) => {
    const w = await world();
    await atServiceMenu(w);
    const r = await say(w.client, typed);
    expect(r.folded).toContain(LIST_Q);
    expect(buttons(r)).toEqual(['Nuevo servicio', SERVICE, 'Volver']);
  });

  it('atrás at the first question of each form goes back to where it was opened from; nothing saved', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    expect((await say(w.client, 'atrás')).folded).toContain(LIST_Q);
    await shareData(w);
    await say(w.client, SERVICE);
    await say(w.client, 'Credenciales OAuth 2.0');
    expect((await say(w.client, 'atrás')).folded).toContain(SERVICE_Q(SERVICE));
    // The data form of a saved service opens on its review: atrás there goes back to the service too.
    await say(w.client, 'Datos del servicio web');
    expect((await say(w.client, 'atrás')).folded).toContain(SERVICE_Q(SERVICE));
    await say(w.client, 'Volver');
    await say(w.client, 'Volver');
    await say(w.client, 'Asignar contraseña');
    expect((await say(w.client, 'atrás')).folded).toContain(MODULE_AGAIN);
    const [s] = await list(w, 'serviciosCompartidos');
    expect(s!.credenciales).toBeUndefined();
    expect(await list(w, 'clavesServicios')).toEqual([]);
  }, 60_000);

  const ALL_QUESTIONS = [
    ...DATOS_QUESTIONS.map((q, i) => ({ form: 'Datos del servicio web', q, previous: DATOS_QUESTIONS[i - 1] })),
    ...OAUTH_QUESTIONS.map((q, i) => ({ form: 'Credenciales OAuth 2.0', q, previous: OAUTH_QUESTIONS[i - 1] })),
  ];
  it.each(ALL_QUESTIONS.filter((x) => x.previous))('$form, $q.name: atrás asks the previous question again; cancelar then ends with nothing saved and no secret kept', async ({ form, q, previous }) => {
    const w = await world();
    await atList(w);
    if (form === 'Datos del servicio web') await say(w.client, 'Nuevo servicio');
    else {
      await shareData(w);
      await say(w.client, SERVICE);
      await say(w.client, 'Credenciales OAuth 2.0');
    }
    let r: Reply | undefined;
    for (const input of q.before) r = await say(w.client, input);
    expect(r!.folded).toContain(fold(q.question));
    const back = await say(w.client, 'atrás');
    expect(back.folded).toContain(fold(previous!.question));
    expect((await say(w.client, previous!.good)).folded).toContain(fold(q.question));
    const before = JSON.stringify(await list(w, 'serviciosCompartidos'));
    const cancelled = await say(w.client, 'cancelar');
    expect(cancelled.folded).toMatch(/cancele lo que estaba haciendo.*que desea hacer ahora andres zapata/s);
    expect(JSON.stringify(await list(w, 'serviciosCompartidos'))).toBe(before);
    for (const secret of SECRETS) expect(await storeText(w)).not.toContain(secret);
  }, 60_000);

  it('atrás inside a form goes to the previous question, keeping the answers before it', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 3)) await say(w.client, input);
    expect((await say(w.client, 'atrás')).folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
    expect((await say(w.client, 'atrás')).folded).toContain(fold('¿Cuál es la **descripción corta**'));
    let r = await say(w.client, 'Otra descripción del servicio');
    for (const input of DATOS_ANSWERS.slice(2)) r = await say(w.client, input);
    expect(r.text).toContain(`- **Nombre del servicio**: ${SERVICE}`);
    expect(r.text).toContain('- **Descripción corta**: Otra descripción del servicio');
  }, 60_000);

  it.each([
    ['the list', async (w: World): Promise<void> => {
      await atList(w);
    }],
    ["a service's menu", async (w: World) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
    }],
    ['a question of the data form', async (w: World) => {
      await atList(w);
      await say(w.client, 'Nuevo servicio');
      await say(w.client, SERVICE);
    }],
    ['the masked input of the credentials', async (w: World) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
      await say(w.client, 'Credenciales OAuth 2.0');
      for (const input of OAUTH_ANSWERS.slice(0, 3)) await say(w.client, input);
    }],
    ['the new password', async (w: World) => {
      await asCcf(w);
      await say(w.client, 'Asignar contraseña');
    }],
  ] as const)('cancelar at %s goes back to the main menu; nothing more is saved', async (_at, reach) => {
    const w = await world();
    await reach(w);
    const before = JSON.stringify([await list(w, 'serviciosCompartidos'), await list(w, 'clavesServicios')]);
    const r = await say(w.client, 'cancelar');
    expect(r.folded).toMatch(/cancele lo que estaba haciendo.*que desea hacer ahora andres zapata/s);
    expect(JSON.stringify([await list(w, 'serviciosCompartidos'), await list(w, 'clavesServicios')])).toBe(before);
  }, 60_000);

  it.each([
    ['the list', atList, LIST_Q],
    ["a service's menu", async (w: World) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
    }, SERVICE_Q(SERVICE)],
  ] as const)('ayuda and estado at %s: the contacts and the checklist, then the same question; nothing changes', async (_at, reach, question) => {
    const w = await world();
    await reach(w);
    const before = JSON.stringify(await list(w, 'serviciosCompartidos'));
    const ayuda = await say(w.client, 'ayuda');
    expect(ayuda.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(ayuda.folded.lastIndexOf(question)).toBeGreaterThan(ayuda.folded.indexOf('miseguridadsocial@minsalud.gov.co'));
    const estado = await say(w.client, 'estado');
    expect(estado.text).toContain('Está en **Administración de Servicios Web**');
    expect(step5(estado)).toMatchObject({ icono: '○', estado: 'pendiente' });
    expect(estado.folded.lastIndexOf(question)).toBeGreaterThan(estado.folded.indexOf(fold('Paso 5')));
    expect(JSON.stringify(await list(w, 'serviciosCompartidos'))).toBe(before);
  }, 60_000);

  it("ayuda at a form's question gives that field's help and asks it again", async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 2)) await say(w.client, input);
    const r = await say(w.client, 'ayuda');
    expect(r.text).toContain(messages<{ campos: Record<string, { ayuda: string }> }>('formularios/servicio-compartido-datos').campos['url']!.ayuda);
    expect(r.folded).toContain(fold('¿Cuál es la **URL del servicio**?'));
  });

  it('ayuda at the review of a new service says what the review is for, that cancelar keeps the answers, then the review again', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    let last = await say(w.client, DATOS_ANSWERS[0]!);
    for (const input of DATOS_ANSWERS.slice(1)) last = await say(w.client, input);
    expect(last.folded).toContain(fold('Revise'));
    const r = await say(w.client, 'ayuda');
    expect(r.folded).toContain(fold('Estos son los datos que usted escribió, para que los revise antes de seguir: si están bien, escriba confirmar'));
    expect(r.folded).toContain(fold('para salir sin terminar, escriba cancelar (lo que ya respondió queda guardado para seguir después)'));
    expect(r.folded.lastIndexOf(fold('Revise'))).toBeGreaterThan(r.folded.indexOf(fold('Estos son los datos')));
  });
});

// ------------------------------------------------------------------------------ Eliminar

describe('Eliminar', () => {
  it('asks first: "No" and atrás keep it; "Sí, eliminar" removes it (audited), back to the list; step 5 needs a shared service again', async () => {
    const w = await world();
    await completeService(w);
    const ask = await say(w.client, 'Eliminar');
    expect(ask.text).toContain(`¿Eliminar **${SERVICE}** de los servicios que comparte su Caja? Se borran sus datos y sus credenciales.`);
    expect(buttons(ask)).toEqual(['Sí, eliminar', 'No']);
    expect((await say(w.client, 'No')).folded).toContain(SERVICE_Q(SERVICE));
    await say(w.client, 'Eliminar');
    expect((await say(w.client, 'atrás')).folded).toContain(SERVICE_Q(SERVICE));
    expect(await list(w, 'serviciosCompartidos')).toHaveLength(1);
    expect(await auditOf(w, 'compartir.eliminado')).toEqual([]);
    await say(w.client, 'Eliminar');
    const gone = await say(w.client, 'Sí, eliminar');
    expect(gone.text).toContain(`Se eliminó **${SERVICE}** de los servicios que comparte su Caja.`);
    expect(gone.text).toContain('**COMFAMA** todavía no comparte servicios con el Ministerio.');
    expect(buttons(gone)).toEqual(['Nuevo servicio', 'Volver']);
    expect(await list(w, 'serviciosCompartidos')).toEqual([]);
    expect((await auditOf(w, 'compartir.eliminado')).map((e) => [e.subject, e.detail])).toEqual([['NIT 890.900.841-9', { servicio: SERVICE }]]);
    expect(step5(await say(w.client, '¿en qué voy?')).detalle).toContain('compartir al menos un servicio completo');
  }, 60_000);
});

// ------------------------------------------------------------------------------ Probar conexión

const ok = (status: number, ms: number, bytes: number) => ({ ok: true as const, status, ms, bytes });

describe('Probar conexión', () => {
  it('an incomplete service: says what is missing; nothing is called', async () => {
    const w = await world();
    await atServiceMenu(w);
    const r = await say(w.client, 'Probar conexión');
    expect(r.text).toContain('Para probar la conexión el servicio debe estar completo: falta Credenciales OAuth 2.0.');
    expect(r.text).not.toContain('La conexión de');
    expect(r.folded).toContain(SERVICE_Q(SERVICE));
    expect(w.tester.calls).toEqual([]);
  });

  it.each<[string, ResultadoPrueba, readonly string[]]>([
    [
      'token refused (401)',
      { token: { ok: false, motivo: 'token_rechazado', status: 401, ms: 15 } },
      [`✖ La conexión de **${SERVICE}** no funcionó:`, '- Token: el servicio de autorización rechazó las credenciales (código 401): revise el usuario, la contraseña, el Client ID y el Client Secret (15 ms).', 'Si los datos están bien escritos, pídale al equipo de sistemas de su Caja que revise su servidor de autorización; después elija **Probar conexión** otra vez.'],
    ],
    [
      'token timeout',
      { token: { ok: false, motivo: 'tiempo', ms: 5000 } },
      ['✖ La conexión', '- Token: el servidor no respondió a tiempo (5000 ms).', 'Revise la **URL del servicio de autorización** en **Credenciales OAuth 2.0**. Si los datos están bien escritos, pídale al equipo de sistemas de su Caja que revise su servidor de autorización'],
    ],
    [
      'service answers 500',
      { token: ok(200, 12, 300), servicio: { ok: false, motivo: 'estado', status: 500, ms: 40 } },
      ['✖ La conexión', '- Token: obtenido (respuesta 200, 12 ms).', '- Llamada al servicio: el servidor respondió con el código 500 (40 ms).'],
    ],
    [
      'service timeout',
      { token: ok(200, 12, 300), servicio: { ok: false, motivo: 'tiempo', ms: 8000 } },
      ['✖ La conexión', '- Llamada al servicio: el servidor no respondió a tiempo (8000 ms).', 'Revise la **URL del servicio** en **Datos del servicio web**. Si los datos están bien escritos, pídale al equipo de sistemas de su Caja que revise el servicio; después elija **Probar conexión** otra vez.'],
    ],
    [
      'service redirect',
      { token: ok(200, 12, 300), servicio: { ok: false, motivo: 'redireccion', status: 302, ms: 20 } },
      ['- Llamada al servicio: el servidor respondió con una redirección, que no se sigue por seguridad (20 ms).'],
    ],
  ])('%s: explained in plain Spanish with the times; audited without secrets', async (_name, answer, lines) => {
    const w = await world();
    await completeService(w);
    w.tester.answer(answer);
    const r = await say(w.client, 'Probar conexión');
    for (const l of lines) expect(r.text).toContain(l);
    expect(r.text).not.toContain('funciona:');
    // What to check follows the failed stage: the token's URL is not named when the credentials were refused.
    if (answer.token.ok || answer.token.motivo === 'token_rechazado') expect(r.text).not.toContain('URL del servicio de autorización**');
    expect(r.text).toContain('pídale al equipo de sistemas de su Caja');
    expect(r.folded).toContain(SERVICE_Q(SERVICE));
    const [audited] = await auditOf(w, 'compartir.conexion_probada');
    expect(audited!.detail).toMatchObject({ servicio: SERVICE, token: answer.token.ok ? 'ok 200' : answer.token.motivo });
    for (const s of SECRETS) expect(JSON.stringify(audited)).not.toContain(s);
  }, 60_000);

  it('the result stays in view: after the test only the service\'s menu follows (not its card again); estado names the service', async () => {
    const w = await world();
    await completeService(w);
    const r = await say(w.client, 'Probar conexión');
    expect(r.text).toContain('funciona:');
    expect(r.text).toContain('pido un token y llamo al servicio con el ejemplo…'); // a POST: the example is its body
    expect(r.text).not.toContain('equipo de sistemas');
    expect(r.folded).toContain(SERVICE_Q(SERVICE));
    expect(r.text).not.toContain(`**${ct()['f-llave']}:**`);
    expect(r.text).not.toContain(`**${ct()['f-client-secret']}:**`);
    const estado = await say(w.client, 'estado');
    expect(estado.text).toContain(`en **Compartir Servicios Entidad, servicio ${SERVICE}**`);
    // Leaving the menu after a test and coming back shows the card again.
    await say(w.client, 'Volver');
    expect((await say(w.client, SERVICE)).text).toContain(`**${ct()['f-llave']}:**`);
  }, 60_000);

  it(`at most ${PRUEBAS_POR_MINUTO} tests a minute per CCF: the next says how many seconds to wait, calls nothing, and works again after them`, async () => {
    const w = await world();
    await completeService(w);
    for (let i = 0; i < PRUEBAS_POR_MINUTO; i++) {
      expect((await say(w.client, 'Probar conexión')).text, `test ${i + 1}`).toContain('funciona:');
      w.clock.advance(10_000);
    }
    const wait = await say(w.client, 'Probar conexión');
    const segundos = 60 - 10 * PRUEBAS_POR_MINUTO;
    expect(wait.text).toContain(`Ya hizo varias pruebas en el último minuto. Espere ${segundos} segundos y vuelva a intentarlo.`);
    expect(wait.text).not.toContain('funciona:');
    expect(w.tester.calls).toHaveLength(PRUEBAS_POR_MINUTO);
    w.clock.advance(segundos * 1000);
    expect((await say(w.client, 'Probar conexión')).text).toContain('funciona:');
    expect(w.tester.calls).toHaveLength(PRUEBAS_POR_MINUTO + 1);
  }, 60_000);

  it('with a username: the tester gets the opened password and Client Secret (password grant); no reply, audit or store holds them', async () => {
    const w = await world();
    const { talk, all } = recorder(w);
    await completeService(w, { username: 'svc-ministerio' }, talk);
    await talk('Probar conexión');
    w.tester.answer({ token: { ok: false, motivo: 'token_rechazado', status: 400, ms: 9 } });
    await talk('Probar conexión');
    expect(w.tester.calls).toHaveLength(2);
    expect(w.tester.calls[0]).toMatchObject({ grantType: 'password', username: 'svc-ministerio', password: OAUTH_PASSWORD, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: TOKEN_URL, serviceUrl: URL_SERVICE, metodo: 'POST' });
    for (const text of [all(), JSON.stringify(await list(w, 'audit')), await storeText(w)]) {
      expect(text).not.toContain(OAUTH_PASSWORD);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  }, 60_000);
});

// ------------------------------------------------------------------------------ Asignar contraseña

describe('Asignar contraseña', () => {
  async function atPassword(w: World): Promise<Reply> {
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    const r = await say(w.client, 'Asignar contraseña');
    expect(maskedInputs(r)).toEqual(['clave']);
    return r;
  }

  it('the password and its confirmation one after the other; a confirmation that differs is asked again (only it); the same then assigns it', async () => {
    const w = await world();
    await atPassword(w);
    const confirm = await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD }));
    expect(confirm.folded).toContain(fold('Escriba de nuevo la misma contraseña'));
    expect(maskedInputs(confirm)).toEqual(['confirmacion']);
    const differs = await say(w.client, claveSubmit({ confirmacion: 'Frailejon-Paramo-2032' }));
    expect(differs.text).toContain('Las dos contraseñas no coinciden. Si quiere cambiar la primera, escriba **corregir nueva contraseña**.');
    // The reason does not ask again before the question does ("Escriba de nuevo la confirmación… Escriba de nuevo la misma contraseña…").
    expect(differs.text).not.toContain('Escriba de nuevo la confirmación');
    expect(maskedInputs(differs)).toEqual(['confirmacion']);
    expect(await list(w, 'clavesServicios')).toEqual([]);
    expect(w.mailer.sent).toEqual([]);
    expect((await say(w.client, claveSubmit({ confirmacion: SERVICES_PASSWORD }))).text).toContain('quedó asignada la contraseña de los servicios web');
    const [c] = await list(w, 'clavesServicios');
    expect(await passwordHasher.verify(SERVICES_PASSWORD, c!.hash)).toBe(true);
  }, 60_000);

  it('both in one card but different: the confirmation is asked again', async () => {
    const w = await world();
    await atPassword(w);
    const r = await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: 'Frailejon-Paramo-2099' }));
    expect(r.text).toContain('Las dos contraseñas no coinciden.');
    expect(maskedInputs(r)).toEqual(['confirmacion']);
    expect(await list(w, 'clavesServicios')).toEqual([]);
  });

  it.each([
    ['too short', 'corta', ['La contraseña debe tener al menos 10 caracteres.', 'La contraseña debe combinar letras y números.']],
    ['with his document number', `Clave${andres.numeroDocumento}x`, ['La contraseña no puede contener su número de documento.']],
    ["with COMFAMA's NIT", `Caja-${COMFAMA_NIT}-x`, ['La contraseña no puede contener el NIT de la Caja.']],
    ['with his name', 'Zapata-Paramo-2031', ['La contraseña no puede contener su nombre ni sus apellidos.']],
  ])('a password %s is refused with the policy\'s reason and asked again; nothing stored, no mail', async (_what, clave, reasons) => {
    const w = await world();
    await atPassword(w);
    const r = await say(w.client, claveSubmit({ clave }));
    for (const reason of reasons) expect(r.text).toContain(reason);
    expect(maskedInputs(r)).toEqual(['clave']);
    expect(JSON.stringify(r.activities)).not.toContain(clave);
    expect(JSON.stringify(r.activities)).not.toContain(andres.numeroDocumento);
    expect(await list(w, 'clavesServicios')).toEqual([]);
    expect(w.mailer.sent).toEqual([]);
    expect((await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: SERVICES_PASSWORD }))).text).toContain('quedó asignada');
  });

  it('assigned: the notices go to Andrés and to the corporate e-mail, without the password; a second assignment replaces the hash and is audited as a change', async () => {
    const w = await world();
    await atPassword(w);
    await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: SERVICES_PASSWORD }));
    expect(w.mailer.sent.map((m) => m.to)).toEqual(['andres.zapata@correo.com', SEDE_EMAIL]);
    for (const m of w.mailer.sent) {
      const text = [JSON.stringify(m), renderFile(`correo/${m.template}`, '.txt.hbs', m.data as Record<string, unknown>), renderFile(`correo/${m.template}`, '.html.hbs', m.data as Record<string, unknown>)].join('\n');
      expect(text).not.toContain(SERVICES_PASSWORD);
    }
    const first = (await list(w, 'clavesServicios'))[0]!.hash;
    await say(w.client, 'Asignar contraseña');
    await say(w.client, claveSubmit({ clave: 'Otra-Clave-Segura-2040', confirmacion: 'Otra-Clave-Segura-2040' }));
    const [c] = await list(w, 'clavesServicios');
    expect(c!.hash).not.toBe(first);
    expect(await passwordHasher.verify('Otra-Clave-Segura-2040', c!.hash)).toBe(true);
    expect(await passwordHasher.verify(SERVICES_PASSWORD, c!.hash)).toBe(false);
    expect((await auditOf(w, 'compartir.clave_asignada')).length).toBe(1);
    expect((await auditOf(w, 'compartir.clave_cambiada')).length).toBe(1);
    expect(JSON.stringify(await list(w, 'audit'))).not.toContain('Otra-Clave-Segura-2040');
  }, 60_000);
});

// ------------------------------------------------------------------------------ step 5 in the checklist

describe('step 5 in ¿en qué voy?', () => {
  it('terms accepted only: pending, both missing, sharing first; the password alone: still pending, sharing missing', async () => {
    const w = await world();
    await asCcf(w);
    const only = step5(await say(w.client, '¿en qué voy?'));
    expect(only).toMatchObject({ icono: '○', estado: 'pendiente' });
    expect(only.detalle).toContain(
      'Falta compartir al menos un servicio completo (Compartir Servicios Entidad) y asignar la contraseña de los servicios web (Asignar contraseña).',
    );
    expect(only.siguiente).toContain('debe compartir al menos un servicio de la Caja con sus dos formularios');
    await say(w.client, 'Asignar contraseña');
    await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: SERVICES_PASSWORD }));
    const clave = step5(await say(w.client, '¿en qué voy?'));
    expect(clave).toMatchObject({ icono: '○', estado: 'pendiente' });
    expect(clave.detalle).toContain('Falta compartir al menos un servicio completo');
    expect(clave.detalle).not.toContain('asignar la contraseña');
  }, 60_000);

  it('a service with its data only does not count: still pending', async () => {
    const w = await world();
    await atList(w);
    await shareData(w);
    await say(w.client, 'cancelar');
    await say(w.client, 'Asignar contraseña');
    await say(w.client, claveSubmit({ clave: SERVICES_PASSWORD, confirmacion: SERVICES_PASSWORD }));
    const s = step5(await say(w.client, '¿en qué voy?'));
    expect(s).toMatchObject({ icono: '○', estado: 'pendiente' });
    expect(s.detalle).toContain('compartir al menos un servicio completo');
  }, 60_000);
});

// ------------------------------------------------------------------------------ known bugs

// Found by these tests; each `it.fails` passes while the bug is there. Flip to `it` once fixed.
describe('bugs found earlier (now regressions)', () => {
  // CompartirDialog gives its FormDialogs `deps` without a `draftOwner` (autorizados, empleador and roles
  // pass `sessionOwner(deps.session, deps.clock)`), so FormDrafts never saves: nothing is kept when the
  // person leaves, although the form says "guardo lo que vaya respondiendo" and the issue asks for it.
  it('"¿en qué voy?" at the menu names the form left half-way as a draft, with when it was saved; not once it is finished', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 3)) await say(w.client, input);
    await say(w.client, 'cancelar');
    const estado = await say(w.client, 'en que voy');
    expect(estado.text).toContain('Tiene un formulario guardado para terminar cuando quiera:');
    expect(estado.text).toMatch(/- \*\*Datos del servicio web\*\* \(guardado el .+\)/);
    expect(estado.folded).toContain(fold('podrá retomarlo donde iba o **empezar de nuevo**'));
    // In the form itself, "estado" says where the person is, not that a draft waits.
    await say(w.client, 'Administración de Servicios Web');
    await say(w.client, 'Compartir Servicios Entidad');
    expect((await say(w.client, 'Nuevo servicio')).folded).toContain(fold('Retomamos lo que dejó guardado'));
    const inForm = await say(w.client, 'estado');
    expect(inForm.folded).toContain(fold('Está en'));
    expect(inForm.folded).not.toContain(fold('formulario guardado para terminar'));
  });

  it('FIXED BUG: the data form left half-way (cancelar) is not offered again as a draft in another conversation; the answers are lost', async () => {
    const w = await world();
    await atList(w);
    await say(w.client, 'Nuevo servicio');
    for (const input of DATOS_ANSWERS.slice(0, 3)) await say(w.client, input);
    // The person is told that nothing was recorded and that what they typed stays as a draft.
    const cancelled = await say(w.client, 'cancelar');
    expect(cancelled.folded).toContain(fold('No se registró ningún cambio de ese trámite. Lo que alcanzó a escribir quedó guardado como borrador'));
    expect(JSON.stringify(await list(w, 'drafts'))).toContain(URL_SERVICE);
    w.clock.advance(86_400_000);
    const other = { ...w, client: mainClient(w) };
    await atList(other);
    const resumed = await say(other.client, 'Nuevo servicio');
    expect(resumed.folded).toContain(fold('Retomamos lo que dejó guardado'));
    expect(resumed.folded).toContain(fold('¿Qué **tipo de operación**'));
    let r = resumed;
    for (const input of DATOS_ANSWERS.slice(3)) r = await say(other.client, input);
    expect(r.text).toContain(`- **Nombre del servicio**: ${SERVICE}`);
    expect(r.text).toContain(`- **URL del servicio**: ${URL_SERVICE}`);
  }, 60_000);

  it('FIXED BUG: the credentials form left half-way keeps no draft of its plain answers (it must keep them, never the secrets)', async () => {
    const w = await world();
    await openCredentials(w);
    for (const input of OAUTH_ANSWERS.slice(0, 5)) await say(w.client, input);
    await say(w.client, 'cancelar');
    const drafts = JSON.stringify(await list(w, 'drafts'));
    expect(drafts).not.toContain(OAUTH_PASSWORD);
    expect(drafts).toContain(CLIENT_ID);
    await say(w.client, 'Compartir Servicios Entidad');
    await say(w.client, SERVICE);
    const resumed = await say(w.client, 'Credenciales OAuth 2.0');
    expect(resumed.folded).toContain(fold('Retomamos lo que dejó guardado'));
    expect(maskedInputs(resumed)).toEqual(['password']);
  }, 60_000);

  // ServiciosWebDialog.describeStep returns at once unless the innermost dialog is the module's own
  // choice prompt ('servicios-eleccion'); inside CompartirDialog it is 'servicios-compartir-eleccion',
  // so the compartir.json texts paso-lista / ayuda-lista / paso-servicio / ayuda-servicio are never used.
  it.each([
    ['the list', atList, 'lista'],
    ["a service's menu", async (w: World) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
    }, 'servicio'],
  ] as const)('FIXED BUG: ayuda at %s does not give the step\'s own help', async (_at, reach, key) => {
    const w = await world();
    await reach(w);
    expect((await say(w.client, 'ayuda')).text).toContain(ct()[`ayuda-${key}`]!);
  }, 60_000);

  it.each([
    ['the list', atList, 'lista'],
    ["a service's menu", async (w: World) => {
      await atList(w);
      await shareData(w);
      await say(w.client, SERVICE);
    }, 'servicio'],
  ] as const)('FIXED BUG: estado at %s does not name the step', async (_at, reach, key) => {
    const w = await world();
    await reach(w);
    const paso = key === 'servicio' ? `Compartir Servicios Entidad, servicio ${SERVICE}` : ct()['paso-lista'];
    expect((await say(w.client, 'estado')).text).toContain(`Está en **Administración de Servicios Web**, en **${paso}**.`);
  }, 60_000);

  // The edit form accepts another name (validate only refuses another service's name) and saveData
  // saves under values.nombre: a new record `${nit}:${nuevo}` with the data only, while the old one
  // stays with its credentials. Expected: one service (renamed, or the new name refused).
  it('FIXED BUG: "corregir nombre" to a new name in Datos del servicio web leaves two shared services', async () => {
    const w = await world();
    await completeService(w);
    await say(w.client, 'Datos del servicio web');
    await say(w.client, 'corregir nombre');
    await say(w.client, 'ConsultaAfiliadosV2');
    await say(w.client, 'confirmar');
    const all = await list(w, 'serviciosCompartidos');
    expect(all.map((s) => s.nombre)).toHaveLength(1);
    expect(all[0]!.credenciales).toBeDefined();
  }, 60_000);

  // The use case keeps a service under its first spelling (domain/compartir.ts saveShared), but the
  // dialog confirms with the spelling typed: "Quedaron guardados los datos de **consultaafiliadoscomfama**"
  // above a card titled ConsultaAfiliadosComfama.
  it('FIXED BUG: "corregir nombre" to its own name in lower case confirms a name that was not stored', async () => {
    const w = await world();
    await completeService(w);
    await say(w.client, 'Datos del servicio web');
    await say(w.client, 'corregir nombre');
    await say(w.client, 'consultaafiliadoscomfama');
    const saved = await say(w.client, 'confirmar');
    const [stored] = await list(w, 'serviciosCompartidos');
    expect(saved.text).toContain(`Quedaron guardados los datos de **${stored!.nombre}**.`);
  }, 60_000);

  // The chat starts a new service only from its data (lista-vacia says so), but the data form's intro
  // says the credentials are "otro formulario, que puede llenar antes o después".
  it('FIXED BUG: the data form says the credentials can be filled before it, but a new service can only begin with its data', async () => {
    const w = await world();
    const listed = await atList(w);
    const intro = await say(w.client, 'Nuevo servicio');
    const startsWithCredentials = buttons(listed).some((b) => fold(b).includes('credenciales'));
    expect(startsWithCredentials || !intro.folded.includes(fold('puede llenar antes o después'))).toBe(true);
  });
});

describe('the Client ID of the credentials', () => {
  it("the Client ID the Ministry assigned (Información del servicio) is refused with what goes there; the help says whose Client ID it is", async () => {
    const w = await world();
    await openCredentials(w);
    await say(w.client, 'Token afiliaciones COMFAMA');
    await say(w.client, TOKEN_URL);
    expect((await say(w.client, 'omitir')).folded).toContain(fold('¿Cuál es el **Client ID**?'));
    const help = await say(w.client, '¿qué es el client id?');
    expect(help.folded).toContain(fold('servidor de autorización **de su Caja**'));
    expect(help.folded).toContain(fold('¿Cuál es el **Client ID**?'));
    const [assigned] = await w.deps.store.transaction((tx) => tx.collection('asignaciones').findBy('nit', COMFAMA_NIT));
    const refused = await say(w.client, assigned!.clientId);
    expect(refused.folded).toContain(fold('Ese es un Client ID que el Ministerio asignó'));
    expect(refused.folded).toContain(fold('¿Cuál es el **Client ID**?'));
    expect(maskedInputs(refused)).toEqual([]);
    // The right one goes on to the Client Secret, the answers before it kept.
    expect(maskedInputs(await say(w.client, CLIENT_ID))).toEqual(['clientSecret']);
    await say(w.client, oauthSubmit({ clientSecret: CLIENT_SECRET }));
    const review = await say(w.client, 'omitir');
    expect(review.text).toContain(`- **Client ID**: ${CLIENT_ID}`);
    expect(review.text).toContain('- **Nombre del token**: Token afiliaciones COMFAMA');
  });
});
