/**
 * Security headers: every response of the assistant (pages, JSON, assets, errors) is nosniff, sends
 * no referrer and may not be framed; the chat page has a CSP that the Web Chat bundle works under
 * (checked in headless Chromium: no CSP violation while chatting, uploading and showing a card).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { ACCOUNT_PAGE_CSP, CHAT_PAGE_CSP } from '../bot/security-headers.js';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';
import { startApp, type TestApp } from './helpers/app.js';
import { startDirectLineBot, TEST_BOT_WELCOME } from './helpers/directline-bot.js';

function expectBaseline(headers: Headers, what: string): void {
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  expect(headers.get('content-security-policy') ?? '', what).toContain("frame-ancestors 'none'");
}

describe('security headers on every route of the assistant', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.stop());

  it('the chat page has its own CSP: this origin only, no inline script, no eval, no framing', async () => {
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(200);
    expectBaseline(res.headers, '/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(CHAT_PAGE_CSP);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|\*|https?:/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('the account pages use the shared account policy', async () => {
    const res = await fetch(`${app.url}/cuenta/activar?token=x`);
    expectBaseline(res.headers, '/cuenta/activar');
    expect(res.headers.get('content-security-policy')).toBe(ACCOUNT_PAGE_CSP);
  });

  it.each([
    ['GET', '/healthz'],
    ['GET', '/webchat/chat.js'],
    ['GET', '/webchat/chat.css'],
    ['GET', '/webchat/webchat.js'],
    ['GET', '/cuenta/cuenta.css'],
    ['GET', '/no-such-page'],
    ['POST', '/v3/directline/tokens/generate'],
    ['POST', '/v3/directline/tokens/refresh'],
    ['GET', '/v3/directline/conversations/abc/activities'],
    ['POST', '/api/messages'],
    ['GET', '/archivos/rut/abc'],
  ])('%s %s: nosniff, no referrer, no framing, a closed CSP', async (method, path) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
    await res.arrayBuffer();
    expectBaseline(res.headers, `${method} ${path}`);
    if (!/\.(js|css)$/.test(path)) expect(res.headers.get('content-security-policy'), path).toMatch(/^default-src 'none'/);
  });
});

describe.skipIf(!available)('the chat page under its CSP in headless Chromium', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('chats, uploads an image and shows a card with no CSP violation', async () => {
    if (!browser) throw new Error('not started');
    const bot = await startDirectLineBot();
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 800 } });
    try {
      const page = await context.newPage();
      const problems = await guard(page, { everyConsoleError: true });
      const violations: string[] = [];
      await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const response = await page.goto(`${bot.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      expect(response?.headers()['content-security-policy']).toBe(CHAT_PAGE_CSP);
      await page.getByText(TEST_BOT_WELCOME).first().waitFor({ timeout: 60_000 });
      const input = page.locator('[data-id="webchat-sendbox-input"]');
      await input.fill('hola');
      await input.press('Enter');
      await page.getByText('eco: hola').first().waitFor({ timeout: 30_000 });
      // 1×1 PNG: Web Chat previews an image it sends (blob: or data: URL).
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
      await page.locator('input[type="file"]').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png });
      // Web Chat makes the image's thumbnail (in a worker) before the file joins the next send: an
      // Enter pressed before that sends nothing, so the person presses it again.
      const sent = page.getByText(/archivo: foto\.png/).first();
      for (let i = 0; i < 10 && !(await sent.isVisible()); i++) {
        await input.press('Enter');
        await sent.waitFor({ timeout: 3_000 }).catch(() => undefined);
      }
      await sent.waitFor({ timeout: 30_000 });
      await input.fill('tarjeta');
      await input.press('Enter');
      await page.getByText('tarjeta original').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_000);
      expect(violations).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await bot.close();
    }
  }, 180_000);
});
