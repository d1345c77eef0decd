/**
 * The chat page's history in headless Chromium: a reload of a long conversation shows the current
 * question at once (only the recent part is loaded again), and a message the assistant deletes (a
 * password typed as plain text) leaves the page and does not come back after a reload.
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH); skipped without it, except under CI.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_LIMITS } from '../bot/directline/index.js';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';
import { startApp } from './helpers/app.js';
import { seedActiveCitizen } from './helpers/people.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { DirectLineClient } from './helpers/directline-client.js';
import { SECRET_RETRACTED, startDirectLineBot, TEST_BOT_WELCOME } from './helpers/directline-bot.js';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const PASSWORD = 'Guayacan-Florido-2026';

const articles = (page: Page) => page.locator('[role="feed"] article');
const input = (page: Page) => page.locator('[data-id="webchat-sendbox-input"]');

/** The conversation the page keeps in sessionStorage (chat.js). */
async function pageSession(page: Page): Promise<{ token: string; conversationId: string }> {
  const raw = await page.evaluate(() => sessionStorage.getItem('asistente-ccf/directline'));
  const session = JSON.parse(raw ?? 'null') as { token: string; conversationId: string } | null;
  if (!session) throw new Error('the page keeps no conversation');
  return session;
}

async function say(page: Page, text: string): Promise<void> {
  await input(page).fill(text);
  await input(page).press('Enter');
}

/** True when the last activity of the transcript matches `text` and is in view (scrolled to the end). */
async function lastInView(page: Page, text: RegExp): Promise<boolean> {
  return page
    .evaluate((source) => {
      const scrollable = document.querySelector('.webchat__basic-transcript__scrollable');
      const last = [...document.querySelectorAll('[role="feed"] article')].at(-1);
      if (!scrollable || !last || !new RegExp(source, 'i').test(last.textContent ?? '')) return false;
      const view = scrollable.getBoundingClientRect();
      const box = last.getBoundingClientRect();
      return box.bottom <= view.bottom + 2 && box.bottom > view.top;
    }, text.source)
    .catch(() => false); // the page is still loading
}

/** Reloads the page; the milliseconds until the last activity, matching `text`, is in view. */
async function timedReload(page: Page, text: RegExp): Promise<number> {
  const started = Date.now();
  await page.reload({ waitUntil: 'commit', timeout: 60_000 });
  await expect.poll(() => lastInView(page, text), { timeout: 30_000, interval: 25 }).toBe(true);
  return Date.now() - started;
}

/** Web Chat's marks of a message that could not be sent. */
const SEND_FAILED = /No se pudo enviar|Send failed|Error al enviar/i;

describe.skipIf(!available)('Chat history in headless Chromium', () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    await mkdir(RESULTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the real assistant: a reload of a 170-message conversation shows the current question at once, without replaying the early messages', async () => {
    if (!browser) throw new Error('not started');
    const app = await startApp();
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 800 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page);
      await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });
      // Another tab with a short conversation: what any reload costs on this machine at that moment.
      const short = await context.newPage();
      problems.push(...(await guard(short)));
      await short.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await short.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });

      // The same conversation, driven fast over HTTP: 85 × "ayuda" (170+ messages), then a question.
      const { token, conversationId } = await pageSession(page);
      const dl = new DirectLineClient(app.url);
      await dl.join(conversationId, token);
      for (let i = 0; i < 85; i++) {
        await dl.send('ayuda');
        await dl.waitFor('miseguridadsocial@minsalud.gov.co');
      }
      await dl.converse([['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento']]);
      const question = page.getByText(/tipo de documento\?/).last();
      await question.waitFor({ timeout: 60_000 });
      await expect.poll(() => articles(page).count(), { timeout: 60_000 }).toBeGreaterThan(170);

      // About 0.8 s on an idle machine, against 0.5 s for the short conversation; replaying 170
      // messages took seconds. Other work on the machine slows every reload alike: the budget is 1.5 s,
      // or 2.5 times the short conversation's reload just before, and the best of three attempts counts.
      let elapsed = Number.POSITIVE_INFINITY;
      let baseline = 0;
      let budget = 0;
      for (let i = 0; i < 3 && elapsed >= budget; i++) {
        baseline = await timedReload(short, /./);
        budget = Math.max(1_500, 2.5 * baseline);
        elapsed = Math.min(elapsed, await timedReload(page, /tipo de documento/));
        expect(await articles(page).count()).toBeLessThanOrEqual(DEFAULT_LIMITS.historyOnReconnect + 1);
      }
      const shown = await articles(page).count();
      await page.screenshot({ path: join(RESULTS, 'chat-history-reload.png') });

      expect(elapsed, `the question was in view ${elapsed} ms after the reload (the short one: ${baseline} ms)`).toBeLessThan(budget);
      expect(shown).toBeLessThanOrEqual(DEFAULT_LIMITS.historyOnReconnect + 1);
      expect(await page.getByText(/Soy el Asistente CCF/).count()).toBe(0); // the early messages are not replayed
      await expect.poll(() => page.locator('#historial').isVisible()).toBe(true);
      expect(await page.locator('#historial').textContent()).toMatch(/mensajes más recientes/);
      await page.waitForTimeout(1_500); // nothing more arrives afterwards
      expect(await articles(page).count()).toBe(shown);

      // The conversation goes on from there.
      await say(page, 'CC');
      await page.getByText(/número de su documento/).last().waitFor({ timeout: 30_000 });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await app.stop();
    }
  }, 300_000);

  it('a message the bot deletes leaves the page at once and after a reload; an updated card is replaced where it was', async () => {
    if (!browser) throw new Error('not started');
    const bot = await startDirectLineBot();
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 800 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page);
      await page.goto(`${bot.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(TEST_BOT_WELCOME).first().waitFor({ timeout: 60_000 });

      await say(page, `secreto ${PASSWORD}`);
      const sentAt = Date.now();
      await page.getByText(SECRET_RETRACTED).first().waitFor({ timeout: 30_000 });
      // The reply is not held back waiting for the deleted message it answers (Web Chat waits 5 s for that).
      expect(Date.now() - sentAt).toBeLessThan(4_000);
      await expect.poll(() => page.getByText(PASSWORD).count(), { timeout: 10_000 }).toBe(0);
      await page.waitForTimeout(1_500); // no late echo brings it back
      expect(await page.getByText(PASSWORD).count()).toBe(0);
      expect(await page.locator('body').innerText()).not.toMatch(SEND_FAILED);

      await say(page, 'tarjeta');
      await page.getByText('tarjeta original').first().waitFor({ timeout: 30_000 });
      await say(page, 'después');
      await page.getByText('eco: después').first().waitFor({ timeout: 30_000 });
      await say(page, 'usar tarjeta');
      await page.getByText('eco: usar tarjeta').first().waitFor({ timeout: 30_000 });
      await page.getByText('tarjeta usada').first().waitFor({ timeout: 30_000 });
      const order = async () => (await articles(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      const live = await order();
      expect(live.filter((t) => t.includes('tarjeta original'))).toEqual([]);
      const used = live.findIndex((t) => t.includes('tarjeta usada'));
      const later = live.findIndex((t) => t.includes('eco: después'));
      expect(used).toBeGreaterThanOrEqual(0);
      expect(used).toBeLessThan(later); // in place, not moved to the end
      await page.screenshot({ path: join(RESULTS, 'chat-history-retract.png') });

      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText('eco: usar tarjeta').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_000);
      expect(await page.getByText(PASSWORD).count()).toBe(0);
      expect(await articles(page).filter({ hasText: SECRET_RETRACTED }).count()).toBe(1);
      const reloaded = await order();
      expect(reloaded.filter((t) => t.includes('tarjeta original'))).toEqual([]);
      expect(reloaded.findIndex((t) => t.includes('tarjeta usada'))).toBeLessThan(reloaded.findIndex((t) => t.includes('eco: después')));
      expect(await page.locator('#historial').isVisible()).toBe(false); // a short conversation comes whole
      expect(bot.turnErrors).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await bot.close();
    }
  }, 180_000);

  it('the real assistant: a password typed as text at the login form is removed from the page and stays gone after a reload; the used login card is replaced', async () => {
    if (!browser) throw new Error('not started');
    const app = await startApp();
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 900 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page);
      await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Ingresar' }).first().click();
      await page.getByText(/tipo de documento/i).last().waitFor({ timeout: 30_000 });
      const before = await articles(page).count();

      await say(page, PASSWORD);
      await page.getByText(PASSWORD).first().waitFor({ timeout: 10_000 }); // shown while it is sent
      await expect.poll(() => page.getByText(PASSWORD).count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => articles(page).count(), { timeout: 15_000 }).toBeGreaterThan(before); // the assistant answered
      await page.waitForTimeout(1_500);
      expect(await page.getByText(PASSWORD).count()).toBe(0);
      expect(await page.content()).not.toContain(PASSWORD);
      expect(await page.locator('body').innerText()).not.toMatch(SEND_FAILED);
      await page.screenshot({ path: join(RESULTS, 'chat-history-password.png') });

      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
      await page.getByText(/tipo de documento/i).last().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_500);
      expect(await page.content()).not.toContain(PASSWORD);
      await page.screenshot({ path: join(RESULTS, 'chat-history-password-reload.png') });

      // Now through the masked field: the used login card is replaced (context.updateActivity) where it was.
      await seedActiveCitizen(app.store, EXAMPLE_PERSONS.rlComfama, 'jose.restrepo@correo.com', PASSWORD);
      const cards = page.locator('[role="feed"] article').filter({ has: page.locator('input[type="password"]') });
      const openCards = await cards.count();
      const card = cards.last();
      await card.locator('select').first().selectOption('CC');
      await card.getByLabel('Número de documento').fill(EXAMPLE_PERSONS.rlComfama.numeroDocumento);
      await card.locator('input[type="password"]').fill(PASSWORD);
      await card.getByRole('button', { name: 'Enviar' }).click();
      const welcome = page.getByText(/ingres[oó] correctamente/i).last();
      await welcome.waitFor({ timeout: 30_000 });
      const used = page.getByText(/datos enviados/i).last();
      await used.waitFor({ timeout: 30_000 });
      await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(openCards - 1);
      const inOrder = async () => {
        const texts = await articles(page).allInnerTexts();
        return texts.findIndex((t) => /datos enviados/i.test(t)) < texts.findIndex((t) => /ingres[oó] correctamente/i.test(t));
      };
      expect(await inOrder()).toBe(true);
      await page.screenshot({ path: join(RESULTS, 'chat-history-login-card.png') });
      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
      await welcome.waitFor({ timeout: 30_000 });
      expect(await cards.count()).toBe(openCards - 1);
      expect(await inOrder()).toBe(true);
      // The last message's suggested actions are offered again after the reload.
      await page.locator('.webchat__suggested-actions').getByRole('button', { name: 'Salir' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(RESULTS, 'chat-history-login-card-reload.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await app.stop();
    }
  }, 180_000);
});
