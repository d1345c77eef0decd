/** Headless Debian Chromium for the browser tests: launch flags and a guard against errors and outside requests. */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// playwright's launch() always uses a fresh temporary profile (user-data-dir) of its own.
export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const available = existsSync(CHROMIUM) || Boolean(process.env.CI);

/** Reports page errors, and refuses (and reports) any request that would leave this machine. */
export async function guard(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/failed to render|error/i.test(m.text()) && m.type() !== 'debug') problems.push(`console ${m.type()}: ${m.text().slice(0, 200)}`);
  });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
      await route.continue();
    } else {
      problems.push(`external request refused: ${url.origin}`);
      await route.abort();
    }
  });
  return problems;
}

