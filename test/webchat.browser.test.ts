/**
 * The local chat page in headless Chromium: the official Web Chat bundle, served by the assistant,
 * talking to the built-in Direct Line endpoint. Nothing leaves 127.0.0.1.
 *
 * Needs Chromium at /usr/bin/chromium (Debian: apt-get install -y chromium fonts-liberation), or
 * CHROMIUM_PATH. Without it the test is skipped, except under CI (CI=1), where it fails.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';
import { startDirectLineBot, TEST_BOT_WELCOME, type ChatTarget, type DirectLineBot } from './helpers/directline-bot.js';
import { startApp } from './helpers/app.js';
import { openChat, sendBox } from './helpers/webchat-page.js';
import { rightAnswer } from './helpers/identity.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';

const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'webchat.png');

/** What the page talks to: the real assistant (composition root) with a temporary data directory. */
const scenario: {
  start: () => Promise<ChatTarget>;
  welcome: string | RegExp;
  say: string;
  reply: string | RegExp;
} = {
  start: async () => {
    const app = await startApp();
    return { url: app.url, close: () => app.stop() };
  },
  welcome: /Soy el Asistente CCF/,
  say: 'ayuda',
  reply: 'miseguridadsocial@minsalud.gov.co',
};

describe.skipIf(!available)('Web Chat page in headless Chromium', () => {
  let target: ChatTarget | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    target = await scenario.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await target?.close();
  });

  it('shows the welcome, sends what the user types and shows the reply; a reload keeps the conversation', async () => {
    if (!browser || !target) throw new Error('not started');
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const problems = await guard(page);

    await page.goto(`${target.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    expect(await page.title()).toBe('Asistente CCF — Mi Seguridad Social');
    expect(await page.getAttribute('html', 'lang')).toBe('es-CO');

    await page.getByText(scenario.welcome).first().waitFor({ timeout: 60_000 });

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(scenario.say);
    await input.press('Enter');
    await page.getByText(scenario.say, { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByText(scenario.reply).first().waitFor({ timeout: 30_000 });

    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    // Each activity is an <article> of the transcript feed (the ARIA feed pattern).
    const welcomes = page.locator('[role="feed"] article').filter({ hasText: scenario.welcome });
    expect(await welcomes.count()).toBe(1);

    // A reload continues the same conversation (sessionStorage): the history is back, no new welcome.
    await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.getByText(scenario.reply).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500); // time for a second welcome to show up, if one were sent
    expect(await welcomes.count()).toBe(1);

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('after a reload, what the person sends before the page has reconnected is sent once it has', async () => {
    if (!browser) throw new Error('not started');
    const bot = await startDirectLineBot();
    const { context, page, problems } = await openChat(browser, bot.url, { welcome: TEST_BOT_WELCOME });
    try {
      const input = sendBox(page);
      await input.fill('tarjeta');
      await input.press('Enter');
      await page.getByText('tarjeta original').first().waitFor({ timeout: 30_000 });

      // The reload shows the history at once; the connection to the conversation is slow to come.
      let open = (): void => undefined;
      const connected = new Promise<void>((resolve) => (open = resolve));
      await page.route(/\/v3\/directline\/conversations\/[^/?]+\?watermark=/, async (route) => {
        await connected;
        await route.continue();
      });
      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText('tarjeta original').first().waitFor({ timeout: 30_000 });
      // The person clicks the card's button and types at once, as people do.
      await page.locator('.ac-adaptiveCard').getByRole('button', { name: 'Enviar' }).click();
      await input.fill('tras recargar');
      await input.press('Enter');
      await page.waitForTimeout(500);
      open();

      await page.getByText('eco: tras recargar').first().waitFor({ timeout: 30_000 });
      await page.getByText('eco: Enviar').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000); // time for a second send to show up, if one were made
      const articles = page.locator('[role="feed"] article');
      for (const text of ['eco: tras recargar', 'eco: Enviar']) {
        expect(await articles.filter({ hasText: text }).count(), text).toBe(1);
      }
      const said = bot.bot.turns.filter((a) => a.type === 'message').map((a) => a.text);
      expect(said).toEqual(['tarjeta', 'Enviar', 'tras recargar']);
      expect(await input.inputValue()).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await bot.close();
    }
  }, 180_000);

  it('uploads a file, renews an expired token and keeps polling across a server restart', async () => {
    if (!browser) throw new Error('not started');
    // The server's clock runs ahead on demand, to expire tokens without waiting 30 minutes.
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    let bot: DirectLineBot = await startDirectLineBot({ clock });
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 800 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page);
      await page.goto(`${bot.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(TEST_BOT_WELCOME).first().waitFor({ timeout: 60_000 });
      const input = page.locator('[data-id="webchat-sendbox-input"]');
      const say = async (text: string) => {
        await input.fill(text);
        await input.press('Enter');
        await page.getByText(`eco: ${text}`).first().waitFor({ timeout: 30_000 });
      };

      // A file chosen with the upload button goes with the next send.
      await page.locator('input[type="file"]').setInputFiles({ name: 'rut.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 prueba') });
      await input.press('Enter');
      await page.getByText('archivo: rut.pdf (15 bytes)').first().waitFor({ timeout: 30_000 });

      // The token expires: the page exchanges it for a new one of the same conversation.
      offset = 31 * 60 * 1000;
      await page.waitForTimeout(2500); // a poll is refused (403), the page renews the token
      await say('con token nuevo');

      // The server restarts (same port, same key): the page restarts polling and goes on.
      await bot.close();
      await page.waitForTimeout(1500);
      bot = await startDirectLineBot({ clock, port: bot.port, tokenKey: bot.tokenKey });
      await say('tras reiniciar');
      expect(bot.bot.turns.some((a) => a.type === 'conversationUpdate')).toBe(false);
      // One transcript throughout: nothing lost, nothing shown twice.
      const articles = page.locator('[role="feed"] article');
      for (const text of [TEST_BOT_WELCOME, 'archivo: rut.pdf (15 bytes)', 'eco: con token nuevo', 'eco: tras reiniciar']) {
        expect(await articles.filter({ hasText: text }).count(), text).toBe(1);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await bot.close();
    }
  }, 180_000);
  it('the real assistant: a form stopped by a server restart resumes at the same question', async () => {
    if (!browser) throw new Error('not started');
    let app = await startApp();
    const { dataDir, port } = app;
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 900 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page);
      await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });
      const input = page.locator('[data-id="webchat-sendbox-input"]');
      const send = async (text: string, expected: RegExp) => {
        await input.fill(text);
        await input.press('Enter');
        await page.getByText(expected).last().waitFor({ timeout: 30_000 });
      };
      await send('Registrarme', /tratamiento de sus datos/);
      await send('Acepto', /tipo de documento\?/);
      await send('CC', /número de su documento/);
      await send('70123456', /primer nombre\?/);

      await app.stop(true); // the server goes away mid-form; the data directory stays
      await page.waitForTimeout(1000);
      app = await startApp({ PORT: String(port) }, {}, dataDir);

      await send('José', /segundo nombre\?/); // the same form, the next question: nothing was lost
      await send('estado', /Registro ciudadano\*?\*?, en \*?\*?Segundo nombre/);
      await page.screenshot({ path: join(dirname(SCREENSHOT), 'webchat-restart.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await app.stop();
    }
  }, 180_000);
  it('the real assistant: Registro ciudadano in the browser, card submit, identity questions by click, account pending activation', async () => {
    if (!browser) throw new Error('not started');
    const app = await startApp();
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 1400 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page);
      await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Registrarme' }).first().click();
      await page.getByRole('button', { name: 'Acepto', exact: true }).last().click();
      const form = page.locator('.ac-adaptiveCard').filter({ hasText: 'Número de documento' }).last();
      await form.waitFor({ timeout: 30_000 });
      await form.locator('select').first().selectOption('CC');
      await form.getByLabel('Número de documento').fill('70123456');
      await form.getByLabel('Primer nombre').fill('José');
      await form.getByLabel('Segundo nombre').fill('Alejandro');
      await form.getByLabel('Primer apellido').fill('Restrepo');
      await form.getByLabel('Segundo apellido').fill('Muñoz');
      await form.getByLabel('Fecha de nacimiento').fill('14/03/1968');
      await form.getByLabel('Fecha de expedición').fill('20 de mayo de 1986');
      await form.locator('select').last().selectOption('M');
      await form.getByRole('button', { name: 'Enviar' }).click();
      const review = page.locator('.ac-adaptiveCard').filter({ hasText: 'Revise sus datos' }).last();
      await review.waitFor({ timeout: 30_000 });
      for (const text of ['JOSÉ', 'MUÑOZ', '14/03/1968', '20/05/1986', 'Masculino', 'Cédula de ciudadanía']) {
        expect(await review.getByText(text).count(), text).toBeGreaterThan(0);
      }
      await review.getByRole('button', { name: 'Confirmar' }).click();

      // The identity questions, answered by clicking the option José knows from his own history.
      const jose = EXAMPLE_PERSONS.rlComfama;
      for (let i = 1; i <= 4; i++) {
        const question = page.locator('[role="feed"] article').filter({ hasText: `Pregunta ${i} de 4` }).last();
        await question.waitFor({ timeout: 30_000 });
        const buttons = page.locator('[role="feed"] article').last().getByRole('button');
        await buttons.first().waitFor({ timeout: 30_000 });
        const titles = (await buttons.allTextContents()).map((t) => t.trim());
        const n = rightAnswer(jose, defaultReferenceRegistry(), titles);
        await buttons.nth(n - 1).click();
      }
      await page.getByText(/identidad quedó confirmada/).first().waitFor({ timeout: 30_000 });
      const input = page.locator('[data-id="webchat-sendbox-input"]');
      for (const [text, next] of [
        ['jose.restrepo@correo.com', /escriba de nuevo su correo/],
        ['jose.restrepo@correo.com', /número de celular/],
        ['3001234567', /Revise sus datos/],
        ['confirmar', /pendiente de activación/],
      ] as const) {
        await input.fill(text);
        await input.press('Enter');
        await page.getByText(next).last().waitFor({ timeout: 30_000 });
      }
      await page.getByText('j***@correo.com', { exact: false }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(dirname(SCREENSHOT), 'webchat-form.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await app.stop();
    }
  }, 180_000);
});
