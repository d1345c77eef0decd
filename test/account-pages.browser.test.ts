/**
 * The activation page in headless Chromium, served by the account pages with the real use cases on
 * an in-memory store: a weak password and a mismatch are shown as errors at their fields, a good
 * password activates the account. No scripts on the page, no CSP violation, nothing leaves 127.0.0.1.
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH); skipped without it, except under CI.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLink, startAccountPages, type AccountPages } from './helpers/account-pages.js';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

/** Page errors, console errors and CSP reports; a 4xx form page (422 errors, 410 used link) is the status it is meant to have. */
const guardPage = (page: Page) => guard(page, { everyConsoleError: true, pageMayAnswer4xx: true });

/** The texts an input's aria-describedby points at (what a screen reader reads after the label). */
async function description(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((input) =>
    (input.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '')
      .join(' | '),
  );
}

describe.skipIf(!available)('activation page in headless Chromium', () => {
  let pages: AccountPages | undefined;
  let link: Awaited<ReturnType<typeof seedLink>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    pages = await startAccountPages();
    link = await seedLink(pages);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('shows the errors of a weak and of a mismatching password at their fields, then activates the account', async () => {
    if (!browser || !pages || !link) throw new Error('not started');
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 900, height: 1100 } });
    try {
      const page = await context.newPage();
      const problems = await guardPage(page);
      const clave = page.getByLabel('Nueva contraseña', { exact: true });
      const confirmacion = page.getByLabel('Confirme la contraseña', { exact: true });
      const submit = page.getByRole('button', { name: 'Activar cuenta' });

      const opened = await page.goto(`${pages.url}/cuenta/activar?token=${link.token}`, { waitUntil: 'load' });
      expect(opened?.status()).toBe(200);
      expect(opened?.headers()['content-security-policy']).toContain("default-src 'self'");
      expect(await page.getAttribute('html', 'lang')).toBe('es-CO');
      expect(await page.title()).toContain('Activar su cuenta');
      await page.getByRole('heading', { level: 1, name: 'Activar su cuenta' }).waitFor();
      expect(await page.locator('.saludo').innerText()).toMatch(/jos[eé]/i);
      // The stylesheet loaded under the CSP: the blue header.
      expect(await page.locator('.encabezado').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(51, 102, 204)');
      expect(await clave.getAttribute('type')).toBe('password');
      expect(await description(page, 'Nueva contraseña')).toMatch(/al menos 10 caracteres/);

      // A weak password (common): the reason under the password field and in the summary.
      await clave.fill('Colombia2024');
      await confirmacion.fill('Colombia2024');
      await Promise.all([page.waitForLoadState('load'), page.waitForURL('**/cuenta/activar'), submit.click()]);
      const summary = page.getByRole('alert').filter({ hasText: 'Revise lo siguiente' });
      await summary.waitFor();
      expect(await summary.innerText()).toMatch(/demasiado común/);
      expect(await page.locator('#clave-error').isVisible()).toBe(true);
      expect(await clave.getAttribute('aria-invalid')).toBe('true');
      expect(await description(page, 'Nueva contraseña')).toMatch(/demasiado común/);
      expect(await clave.inputValue()).toBe('');
      expect(await page.content()).not.toContain('Colombia2024');
      await mkdir(RESULTS, { recursive: true });
      await page.screenshot({ path: join(RESULTS, 'cuenta-activar-errores.png'), fullPage: true });

      // The summary's link takes the focus to the field.
      await summary.getByRole('link').first().click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('clave');

      // Two different passwords: the error under the confirmation.
      await clave.fill('Montaña-Azul-2931');
      await confirmacion.fill('Montaña-Azul-2932');
      await Promise.all([page.waitForURL('**/cuenta/activar'), submit.click()]);
      await page.locator('#confirmacion-error').waitFor();
      expect(await page.locator('#confirmacion-error').innerText()).toMatch(/no coinciden/);
      expect(await confirmacion.getAttribute('aria-invalid')).toBe('true');
      expect(await clave.getAttribute('aria-invalid')).toBeNull();
      expect(await page.content()).not.toContain('Montaña-Azul-293');

      // A good password: the success page, with the way back to the chat.
      await clave.fill('Montaña-Azul-2931');
      await confirmacion.fill('Montaña-Azul-2931');
      await Promise.all([page.waitForURL('**/cuenta/activar'), submit.click()]);
      await page.getByRole('heading', { level: 1, name: 'Su cuenta quedó activa' }).waitFor();
      expect(await page.getByRole('status').innerText()).toMatch(/Ya puede ingresar en el asistente/);
      expect(await page.getByRole('link', { name: 'Volver al asistente' }).getAttribute('href')).toBe('/');
      expect(await page.locator('form').count()).toBe(0);
      await page.screenshot({ path: join(RESULTS, 'cuenta-activar.png'), fullPage: true });

      const { citizenId } = link;
      const citizen = await pages.store.transaction((tx) => tx.collection('citizens').get(citizenId));
      expect(citizen?.estado).toBe('activo');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('fits a phone screen and is usable from the keyboard', async () => {
    if (!browser || !pages || !link) throw new Error('not started');
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      const page = await context.newPage();
      const problems = await guardPage(page);
      // The link was used above: the page says so, in a layout that fits.
      const opened = await page.goto(`${pages.url}/cuenta/activar?token=${link.token}`, { waitUntil: 'load' });
      expect(opened?.status()).toBe(410);
      await page.getByRole('heading', { level: 1, name: 'Este enlace ya fue usado' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      // The first Tab reaches the "skip to content" link, which becomes visible.
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Saltar al contenido' });
      expect(await skip.evaluate((a) => a === document.activeElement)).toBe(true);
      expect(await skip.evaluate((a) => a.getBoundingClientRect().top >= 0)).toBe(true);
      expect(await skip.evaluate((a) => getComputedStyle(a).outlineStyle)).not.toBe('none');
      await page.screenshot({ path: join(RESULTS, 'cuenta-usado-movil.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
