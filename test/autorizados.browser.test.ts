/**
 * Issue 8's done-when in the local Web Chat (headless Chromium), typing the way a person types (lower
 * case, no accents): COMFAMA's delegate María logs in with the masked card, acts as its employer,
 * "administrar autorizados" → "nuevo" → fills the person card for Andrés (not registered) → "sede
 * principal", "caja", "autorizado", "confirmar"; the list card shows him "Invitado" and the invitation
 * reaches the outbox. Andrés registers (HTTP helpers), logs in in another page, picks "Caja de
 * compensación familiar — COMFAMA" and is told the Ministry has not activated it; "en que voy" shows
 * step 3 done, with his name. José's registration, COMFAMA's employer role and the accounts are seeded
 * over HTTP (they are not the point here). Screenshots: /tmp/autorizados-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import { MARIA_EMAIL, registerComfamaWithMaria } from './helpers/autorizados.js';
import { available, launchChromium } from './helpers/browser.js';
import { readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';
import { cardWith, click, feed, logIn, openChat, say, screenshots } from './helpers/webchat-page.js';

const PASSWORD = 'Guayacan-Florido-2026';
const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const andres = EXAMPLE_PERSONS.authorizedComfama;
const ANDRES_EMAIL = 'andres.zapata@comfama.com.co';
const { shot, snap } = screenshots('autorizados', 0);

/** The last "¿En qué voy?" card (the process's question may follow it). */
const checklist = (page: Page) => cardWith(page, 'Paso 3: Administrar autorizados');

describe.skipIf(!available)('Administrar autorizados in the local Web Chat', () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('María authorizes Andrés; he registers and sees the CCF role waiting for the Ministry; step 3 is done', async () => {
    if (!browser || !app) throw new Error('not started');
    await registerAndActivate(app.url, app.dataDir, jose, 'jose.restrepo@correo.com', PASSWORD);
    await registerComfamaWithMaria(app.url, PASSWORD);
    await registerAndActivate(app.url, app.dataDir, maria, MARIA_EMAIL, PASSWORD);

    // María, as a person types.
    const delegate = await openChat(browser, app.url);
    const page = delegate.page;
    const roles = await logIn(page, maria, PASSWORD, 'en que rol desea actuar');
    expect(roles).toContain('ingreso correctamente');
    // The employer role's button shows the company's whole name (wrapped), not "CAJA DE COMPENSACIÓN FAMIL…".
    const roleButton = feed(page).last().getByRole('button', { name: /Empleador persona jurídica — .*COMFAMA/ });
    expect(await roleButton.evaluate((b) => [b, ...b.querySelectorAll('*')].every((e) => e.scrollWidth <= e.clientWidth + 1))).toBe(true);
    await say(page, 'empleador', 'ahora actua como empleador persona juridica');
    const empty = await say(page, 'administrar autorizados', 'que desea hacer en');
    expect(empty).toContain('aun no tiene personas autorizadas');
    await say(page, 'nuevo', 'tipo de documento de la persona');

    // The person card: document and names as in the identity document, and the e-mail.
    const personCard = cardWith(page, 'Correo de la persona');
    await personCard.locator('select').first().selectOption('CC');
    await personCard.getByLabel('Número de documento').fill(andres.numeroDocumento);
    await personCard.getByLabel('Primer nombre').fill('andres');
    await personCard.getByLabel('Segundo nombre').fill('felipe');
    await personCard.getByLabel('Primer apellido').fill('zapata');
    await personCard.getByLabel('Segundo apellido').fill('londono');
    await personCard.getByLabel('Correo de la persona').fill(ANDRES_EMAIL);
    await click(page, personCard.getByRole('button', { name: 'Enviar' }), 'en que sede operara');

    const review = await say(page, 'sede principal', 'revise la autorizacion');
    expect(review).toContain('caja de subsidio familiar');
    expect(review).toContain('autorizado para administrar servicios web externos');
    const invited = await say(page, 'confirmar', 'que desea hacer en');
    expect(invited).toContain('le enviamos una invitacion');

    // The list card: Andrés, invited, document masked.
    const list = cardWith(page, 'Autorizados de');
    await list.waitFor({ timeout: 30_000 });
    const listText = await list.innerText();
    expect(listText).toContain('Andrés Felipe Zapata Londoño');
    expect(listText).toContain('Invitado');
    expect(listText).toMatch(/CC \*+567/);
    expect(listText).not.toContain(andres.numeroDocumento);
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('1-lista-invitado'), fullPage: false });

    const invitation = (await readOutbox(app.dataDir)).find((m) => recipients(m).includes(ANDRES_EMAIL));
    expect(invitation?.subject).toMatch(/COMFAMA/);
    expect(invitation?.text).toMatch(/COMFAMA/);

    // Andrés registers from the invitation and activates his account.
    await registerAndActivate(app.url, app.dataDir, andres, ANDRES_EMAIL, PASSWORD);
    expect((await readOutbox(app.dataDir)).some((m) => recipients(m).includes(ANDRES_EMAIL) && /^Usted es persona autorizada de /.test(m.subject ?? ''))).toBe(true);

    // Andrés logs in in a page of his own and picks the CCF role.
    const person = await openChat(browser, app.url);
    await logIn(person.page, andres, PASSWORD, 'en que rol desea actuar');
    const ccf = person.page.getByRole('button', { name: 'Caja de compensación familiar — COMFAMA' }).last();
    await ccf.waitFor({ timeout: 30_000 });
    const waiting = await click(person.page, ccf, 'aun no ha activado');
    expect(waiting).toContain('ahora actua como caja de compensacion familiar');
    expect(waiting).toContain('miseguridadsocial@minsalud.gov.co');
    await snap(person.page, /aún no ha activado/, '2-rol-ccf-sin-activar');

    // "en que voy": step 3 done, with his name (he is "usted" in the step; María sees his name there).
    const mine = await say(person.page, 'en que voy', 'paso 3 administrar autorizados');
    expect(mine).toContain('andres felipe zapata');
    expect(mine).toMatch(/paso 3 administrar autorizados\s+hecho/);
    await checklist(person.page).screenshot({ path: shot('3-en-que-voy-andres') });

    const hers = await say(page, 'en que voy', 'paso 3 administrar autorizados');
    const step3 = hers.slice(hers.indexOf('paso 3 administrar autorizados'), hers.indexOf('paso 4'));
    expect(step3).toMatch(/^paso 3 administrar autorizados\s+hecho/);
    expect(step3).toContain('andres felipe zapata');
    await checklist(page).screenshot({ path: shot('4-en-que-voy-maria') });

    expect(delegate.problems).toEqual([]);
    expect(person.problems).toEqual([]);
    await person.context.close();
    await delegate.context.close();
  }, 90_000);
});
