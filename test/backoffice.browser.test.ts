/**
 * Issue 9's done-when in the local Web Chat (headless Chromium) with STAFF_ADMINS set, typing the way a
 * person types (lower case, no accents): Carlos (CE 654321) logs in with the masked card, "admin",
 * "bandeja" (COMFAMA waits for activation) → "activar" → "comfama" → "activar" → a reason → "si" → the
 * role is active → "asignar" → "comfama" → "asignar" → SolicitudAfiliacion and ConsultaBeneficiarios: ticked
 * in the multi-select card when Web Chat renders it, else typed as their numbers in the message's list
 * (today the card is an empty bubble: a known bug, recorded below) → "si" → two Client IDs. Andrés, in a context of his
 * own, logs in, picks "Caja de compensación familiar — COMFAMA", is told both services and the next step,
 * and "en que voy" shows step 4 done with both identifiers. The chain up to step 3 (José, COMFAMA's
 * employer role, María, Andrés authorized and registered, Carlos registered) is seeded over HTTP.
 * Screenshots: /tmp/backoffice-*.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import { ANDRES_EMAIL, authorizeAndresByMaria, MARIA_EMAIL, registerComfamaWithMaria } from './helpers/autorizados.js';
import { available, launchChromium } from './helpers/browser.js';
import { readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';
import { cardWith, click, feed, logIn, openChat, paste, say, screenshots } from './helpers/webchat-page.js';

const PASSWORD = 'Guayacan-Florido-2026';
const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const andres = EXAMPLE_PERSONS.authorizedComfama;
const carlos = EXAMPLE_PERSONS.citizenCe;
const { shot, snap } = screenshots('backoffice');

/** What Web Chat logs when it cannot render the services card (an Input.ChoiceSet with isRequired and no label). */
const CARD_LABEL_FAILURE = /Failed to render Adaptive Cards\. \[Error: Required inputs should have a label/;

describe.skipIf(!available)('the Ministry back office in the local Web Chat', () => {
  /** What the journey saw, for the known-bug checks after it. */
  const known: { selectCardRendered?: boolean; problems?: string[] } = {};
  let app: TestApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    app = await startApp({ STAFF_ADMINS: 'CE:654321' });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('Carlos activates COMFAMA and assigns SolicitudAfiliacion and ConsultaBeneficiarios; Andrés sees both in en que voy', async () => {
    if (!browser || !app) throw new Error('not started');
    await registerAndActivate(app.url, app.dataDir, jose, 'jose.restrepo@correo.com', PASSWORD);
    await registerComfamaWithMaria(app.url, PASSWORD);
    await registerAndActivate(app.url, app.dataDir, maria, MARIA_EMAIL, PASSWORD);
    await authorizeAndresByMaria(app.url, PASSWORD);
    await registerAndActivate(app.url, app.dataDir, andres, ANDRES_EMAIL, PASSWORD);
    await registerAndActivate(app.url, app.dataDir, carlos, 'carlos.briceno@correo.com', PASSWORD);

    // Carlos, as a person types.
    const admin = await openChat(browser, app.url);
    const page = admin.page;
    const roles = await logIn(page, carlos, PASSWORD, 'en que rol desea actuar');
    expect(roles).toContain('administrador minsalud');
    await say(page, 'admin', 'ahora actua como administrador minsalud');
    const tray = await say(page, 'bandeja', /lo que espera al ministerio[\s\S]*que desea hacer/);
    expect(tray).toMatch(/cajas listas para activar el rol caja de compensacion familiar 1\s+caja de compensacion familiar de antioquia comfama desde el/);
    await cardWith(page, 'Bandeja del Ministerio').screenshot({ path: shot('1-bandeja') });

    // Activar: COMFAMA, its state, a reason, confirmation.
    await say(page, 'activar', 'cual caja de compensacion familiar');
    const state = await say(page, 'comfama', 'activar el rol');
    expect(state).toContain('personas autorizadas activas 1');
    await say(page, 'activar', 'cual es el motivo');
    const confirm = await say(page, 'cadena de activacion completa, verificada por la direccion de aseguramiento', 'activa el rol caja de compensacion familiar de comfama');
    expect(confirm).toContain('se avisara por correo y en el chat');
    const activated = await say(page, 'si', /quedo activo[\s\S]*que desea hacer/);
    expect(activated).toContain('el rol caja de compensacion familiar de comfama quedo activo');
    expect(activated).toContain('avisamos a 3 personas');
    expect(activated).toMatch(/cajas con el rol activo y sin servicios asignados 1\s+caja de compensacion familiar de antioquia comfama desde el/);
    await snap(page, /quedó activo/, '2-rol-activado');
    const activatedMails = (await readOutbox(app.dataDir)).filter((m) => m.subject === 'El Ministerio de Salud activó el rol Caja de Compensación Familiar de COMFAMA');
    expect(activatedMails.map(recipients).sort()).toEqual([ANDRES_EMAIL, 'jose.restrepo@correo.com', MARIA_EMAIL].sort());

    // Asignar: COMFAMA, then the multi-select card.
    await say(page, 'asignar', 'cual caja de compensacion familiar');
    const none = await say(page, 'comfama', /no tiene servicios asignados[\s\S]*que desea hacer/);
    expect(none).toContain('comfama no tiene servicios asignados');
    await say(page, 'asignar', 'que servicios asigna a comfama');
    // The numbered list of the message, as a person reads it.
    const items = await feed(page).filter({ hasText: 'Servicios publicados' }).last().locator('ol li').allInnerTexts();
    const solicitud = items.findIndex((t) => t.startsWith('POST SolicitudAfiliacion')) + 1;
    const beneficiarios = items.findIndex((t) => t.startsWith('GET ConsultaBeneficiarios')) + 1;
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(solicitud * beneficiarios).toBeGreaterThan(0);
    // The multi-select card under it: ticked and sent when Web Chat renders it; today it is an empty bubble.
    await page.waitForTimeout(1000);
    const select = cardWith(page, 'Servicios publicados');
    known.selectCardRendered = (await select.count()) > 0;
    await feed(page).last().scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('3-tarjeta-servicios') });
    let review: string;
    if (known.selectCardRendered) {
      await select.getByRole('checkbox', { name: 'POST SolicitudAfiliacion' }).check();
      await select.getByRole('checkbox', { name: 'GET ConsultaBeneficiarios' }).check();
      review = await click(page, select.getByRole('button', { name: 'Asignar servicios' }), 'asigna a comfama estos servicios');
    } else {
      review = await say(page, `${solicitud}, ${beneficiarios}`, 'asigna a comfama estos servicios');
    }
    expect(review).toContain('solicitudafiliacion');
    expect(review).toContain('consultabeneficiarios');
    const done = await say(page, 'si', /listo asignaciones de comfama[\s\S]*que desea hacer/);
    // An article's text holds its screen-reader label and its bubble: the same line twice.
    const ids = new Map([...done.matchAll(/(solicitudafiliacion|consultabeneficiarios) asignado client id (\S+)/g)].map((m) => [m[1], m[2]]));
    expect([...ids.keys()].sort()).toEqual(['consultabeneficiarios', 'solicitudafiliacion']);
    expect(new Set(ids.values()).size).toBe(2);
    const assignedCard = cardWith(page, 'Servicios asignados a COMFAMA');
    const assignedText = await assignedCard.innerText();
    expect(assignedText).toMatch(/POST SolicitudAfiliacion — activo\s+Client ID: \S{20,}/);
    expect(assignedText).toMatch(/GET ConsultaBeneficiarios — activo\s+Client ID: \S{20,}/);
    await snap(page, /Listo, asignaciones de/, '4-asignados-client-id');
    const assignedMail = (await readOutbox(app.dataDir)).find((m) => /^Servicios web asignados a /.test(m.subject ?? ''));
    expect(assignedMail && recipients(assignedMail)).toBe(ANDRES_EMAIL);
    expect(assignedMail?.text).toContain('SolicitudAfiliacion');
    expect(assignedMail?.text).toContain('ConsultaBeneficiarios');

    // Andrés, in a page of his own.
    const person = await openChat(browser, app.url);
    await logIn(person.page, andres, PASSWORD, 'en que rol desea actuar');
    const ccf = person.page.getByRole('button', { name: 'Caja de compensación familiar — COMFAMA' }).last();
    await ccf.waitFor({ timeout: 30_000 });
    const opened = await click(person.page, ccf, 'siguiente paso es la administracion de servicios web');
    expect(opened).toContain('el ministerio de salud activo el rol');
    expect(opened).toContain('solicitudafiliacion');
    expect(opened).toContain('consultabeneficiarios');
    await snap(person.page, /El siguiente paso es la/, '5-rol-ccf-activo');

    const mine = await say(person.page, 'en que voy', 'paso 5');
    const step4 = mine.slice(mine.indexOf('paso 4'), mine.indexOf('paso 5'));
    expect(step4).toMatch(/^paso 4 activacion del rol caja de compensacion familiar y asignacion de servicios ministerio de salud\s+hecho/);
    expect(step4).toContain('asigno 2 servicios');
    expect(step4).toContain('solicitudafiliacion');
    expect(step4).toContain('consultabeneficiarios');
    expect(mine).not.toMatch(/carlos|briceno|654321/);
    await cardWith(person.page, 'Paso 4:').screenshot({ path: shot('6-en-que-voy-andres') });

    // The multi-select card's render failure is recorded below as a known bug; nothing else went wrong.
    known.problems = [...admin.problems];
    expect(admin.problems.filter((p) => !CARD_LABEL_FAILURE.test(p))).toEqual([]);
    expect(person.problems).toEqual([]);
    await person.context.close();
    await admin.context.close();
  }, 120_000);

  it('Carlos adds a service by pasting its OpenAPI document (YAML keeps its lines in the send box); the upload button offers .yaml and .json files', async () => {
    if (!browser || !app) throw new Error('not started');
    const admin = await openChat(browser, app.url, { clipboard: true });
    const page = admin.page;
    await logIn(page, carlos, PASSWORD, 'en que rol desea actuar');
    await say(page, 'admin', 'ahora actua como administrador minsalud');
    await say(page, 'bandeja', 'que desea hacer');
    await say(page, 'catalogo', 'agregar un servicio');
    expect(await say(page, 'agregar', 'adjunte el documento openapi')).toContain('o pegue aqui su texto completo');
    const accept = (await page.locator('input[type="file"]').getAttribute('accept')) ?? '';
    for (const ext of ['.yaml', '.yml', '.json', '.pem', '.cer', 'application/pdf']) expect(accept).toContain(ext);
    const yaml = [
      'openapi: 3.0.3',
      'info:',
      '  title: Consulta de aportes',
      '  version: 1.0.0',
      'paths:',
      '  /aportes/{documento}:',
      '    get:',
      '      summary: Aportes del afiliado',
      '      parameters:',
      '        - name: documento',
      '          in: path',
      '          required: true',
      '          schema:',
      '            type: string',
      '      responses:',
      "        '200':",
      '          description: Los aportes.',
    ].join('\n');
    const review = await paste(page, yaml, 'revise el servicio');
    expect(review).toContain('documento valido consulta de aportes version 1.0.0 openapi-3.0 con 1 operacion');
    await snap(page, /Documento válido/, '7-documento-pegado');
    expect(await say(page, 'confirmar', 'quedo publicado en el catalogo')).toContain('get aportesdocumento');
    expect(admin.problems.filter((p) => !CARD_LABEL_FAILURE.test(p))).toEqual([]);
    await admin.context.close();
  }, 90_000);

  it('fixed: the multi-select card of services is an empty bubble in Web Chat ("Required inputs should have a label": its Input.ChoiceSet has isRequired and no label)', () => {
    expect(known.selectCardRendered, 'the journey reached the card').toBeDefined();
    expect(known.problems?.some((p) => CARD_LABEL_FAILURE.test(p))).toBe(false);
    expect(known.selectCardRendered).toBe(true);
  });
});
