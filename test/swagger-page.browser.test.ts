/**
 * The documentation page of a service in headless Chromium, with the real assistant: a signed link for
 * Andrés and SolicitudAfiliacion (COMFAMA's chain set up with the real use cases, the link signed with
 * the app's key) opens the official Swagger UI from the installed package: the operation and its
 * schema shown, no "Try it out", no validator badge, no "Authorize", no "Explore" bar, no console
 * error or CSP refusal, and every request on the app's own origin. The same link once expired is a
 * clear Spanish page; the terms page reads well. Screenshots: /tmp/swagger-page.png,
 * /tmp/swagger-vencido.png, /tmp/terminos-page.png.
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH); skipped without it, except under CI.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../domain/random.js';
import { DOC_LINK_MINUTES } from '../domain/rules.js';
import { startApp, type TestApp } from './helpers/app.js';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';
import { ANDRES, appDocLinks, comfamaWithServices, COMFAMA_NIT, SECRETS_KEY, SOLICITUD } from './helpers/servicios.js';

const clock = fakeClock('2026-12-02T15:00:00.000Z');

/** Every request the page makes, by URL (to check that none leaves this machine). */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

const onThisMachine = (url: string) => {
  const u = new URL(url);
  return u.protocol === 'data:' || ((u.protocol === 'http:' || u.protocol === 'https:') && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'));
};

describe.skipIf(!available)('the documentation page in headless Chromium', () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let link = '';

  beforeAll(async () => {
    app = await startApp({ SECRETS_KEY, STAFF_ADMINS: 'CE:654321' }, { clock });
    await comfamaWithServices(app, clock, [SOLICITUD]);
    link = appDocLinks(app, clock).swaggerLink(ANDRES, COMFAMA_NIT, SOLICITUD);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const open = async (run: (page: Page, problems: string[], requests: string[]) => Promise<void>, pageMayAnswer4xx = false) => {
    if (!browser) throw new Error('not started');
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const requests = recordRequests(page);
      const problems = await guard(page, { everyConsoleError: true, pageMayAnswer4xx });
      await run(page, problems, requests);
    } finally {
      await context.close();
    }
  };

  it('renders the operation and its schema with Swagger UI, read only, everything from the app', async () => {
    await open(async (page, problems, requests) => {
      const res = await page.goto(link, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe('es-CO');
      await page.getByRole('heading', { level: 1, name: `Documentación de POST ${SOLICITUD}` }).waitFor();
      expect(await page.locator('.aviso').innerText()).toMatch(/vence a las .*pida de nuevo «Ver documentación»/s);

      // Swagger UI rendered the document: its title, the operation (expanded) and the request body's schema.
      const op = page.locator('.opblock.opblock-post');
      await op.waitFor({ timeout: 20_000 });
      expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Solicitud de afiliación');
      expect(await op.locator('.opblock-summary-method').innerText()).toBe('POST');
      expect(await op.locator('.opblock-summary-path').innerText()).toContain('/afiliaciones/solicitudes');
      const body = op.locator('.opblock-section-request-body');
      await body.waitFor();
      await body.getByRole('tab', { name: 'Esquema' }).click();
      const schema = body.getByRole('tabpanel');
      await schema.locator('.json-schema-2020-12__title', { hasText: 'SolicitudAfiliacion' }).waitFor();
      expect(await schema.locator('.json-schema-2020-12__title').allInnerTexts()).toEqual(expect.arrayContaining(['trabajador', 'empleador']));
      await page.locator('.swagger-ui .models').getByText('SolicitudAfiliacion', { exact: true }).waitFor();
      expect(await op.locator('.responses-wrapper').innerText()).toMatch(/\b20\d\b/);

      // Swagger UI's own labels in Spanish; the document's own words (names, examples) untouched.
      await op.getByText('Parámetros', { exact: true }).waitFor();
      for (const label of ['Cuerpo de la solicitud', 'Valor de ejemplo', 'Respuestas', 'Código', 'Descripción', 'Tipo de contenido']) {
        expect(await op.getByText(label, { exact: true }).count(), label).toBeGreaterThan(0);
      }
      expect(await page.locator('.swagger-ui .models-control').innerText()).toContain('Esquemas');
      expect(await op.locator('.parameter__name.required').first().evaluate((e) => getComputedStyle(e, '::after').content)).toBe('"obligatorio"');
      const english = await page.locator('#swagger-ui').evaluate((root) => {
        const found: string[] = [];
        const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          const t = (n.nodeValue ?? '').trim();
          if (['Parameters', 'Request body', 'Example Value', 'Schema', 'Responses', 'Code', 'Description', 'Name', 'Media type', 'No links', 'Schemas', 'Servers'].includes(t)) found.push(t);
        }
        return found;
      });
      expect(english).toEqual([]);
      expect(await schema.locator('.json-schema-2020-12__title').allInnerTexts()).toEqual(expect.arrayContaining(['trabajador', 'empleador']));

      // Read only: no "Try it out", no "Authorize", no "Explore" bar, no validator badge.
      expect(await page.getByRole('button', { name: /try it out/i }).count()).toBe(0);
      expect(await page.locator('.try-out, .try-out__btn, .execute').count()).toBe(0);
      expect(await page.locator('.btn.authorize, .authorization__btn').count()).toBe(0);
      expect(await page.locator('.topbar, .download-url-wrapper').count()).toBe(0);
      expect(await page.locator('img[alt*="validator" i], .validator-badge').count()).toBe(0);
      // The stylesheets applied under the CSP: our header and Swagger UI's own.
      expect(await page.locator('.encabezado').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(51, 102, 204)');
      expect(await op.evaluate((e) => getComputedStyle(e).borderTopStyle)).toBe('solid');

      await page.screenshot({ path: '/tmp/swagger-page.png', fullPage: true });
      expect(requests.some((u) => u.includes('/openapi.json?'))).toBe(true);
      expect(requests.filter((u) => !onThisMachine(u))).toEqual([]);
      expect(requests.some((u) => /validator|petstore|swagger\.io|unpkg|jsdelivr|scarf/i.test(u))).toBe(false);
      expect(problems).toEqual([]);
    });
  }, 60_000);

  it('the same link once expired is a clear Spanish page', async () => {
    clock.advance((DOC_LINK_MINUTES + 1) * 60_000);
    await open(async (page, problems, requests) => {
      const res = await page.goto(link, { waitUntil: 'load' });
      expect(res?.status()).toBe(410);
      await page.getByRole('heading', { level: 1, name: 'El enlace venció' }).waitFor();
      expect(await page.getByRole('alert').innerText()).toMatch(/pida de nuevo «Ver documentación»/);
      expect(await page.getByRole('link', { name: 'Volver al asistente' }).getAttribute('href')).toBe('/');
      expect(await page.locator('.encabezado').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(51, 102, 204)');
      await page.screenshot({ path: '/tmp/swagger-vencido.png', fullPage: true });
      expect(requests.filter((u) => !onThisMachine(u))).toEqual([]);
      expect(problems).toEqual([]);
    }, true);
  }, 30_000);

  it('the terms page shows both texts and leads to the privacy page', async () => {
    await open(async (page, problems) => {
      const res = await page.goto(`${app!.url}/servicios/terminos`, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      await page.getByRole('heading', { level: 1, name: 'Condiciones de uso y política de privacidad y retención' }).waitFor();
      expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(
        expect.arrayContaining(['Condiciones de uso de la Administración de Servicios Web', 'Política de privacidad y retención de la Administración de Servicios Web']),
      );
      expect(await page.getByText('Versión 1.0 del 1 de diciembre de 2026').count()).toBe(2);
      await page.screenshot({ path: '/tmp/terminos-page.png', fullPage: true });
      await Promise.all([page.waitForURL('**/privacidad'), page.locator('a[href="/privacidad"]').click()]);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(problems).toEqual([]);
    });
  }, 30_000);
});
