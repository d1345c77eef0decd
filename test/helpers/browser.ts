/** Headless Debian Chromium for the browser tests: its launch, and a guard against page errors and requests that leave this machine. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** Starts headless Chromium with these flags (a minute for a cold start). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
}

/** Whether a request to `url` stays on this machine (data:, blob:, 127.0.0.1 or localhost). */
export function onLoopback(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1' || u.hostname === 'localhost';
}

export interface GuardOptions {
  /** Also report every console error and any CSP refusal, not only messages that mention an error (pages without scripts of their own). */
  everyConsoleError?: boolean;
  /** The page itself may answer 4xx (a form with errors, a used link): Chromium's own "Failed to load resource" for it is no problem. */
  pageMayAnswer4xx?: boolean;
}

/** Reports page errors, and refuses (and reports) any request that would leave this machine. */
export async function guard(page: Page, opts: GuardOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    const csp = /Content Security Policy|Refused to/i.test(text);
    const pageStatus = /^Failed to load resource: the server responded with a status of 4\d\d\b/.test(text) && m.location().url === page.url();
    if (opts.pageMayAnswer4xx && pageStatus && !csp) return;
    const reported = (/failed to render|error/i.test(text) && m.type() !== 'debug') || (opts.everyConsoleError === true && (m.type() === 'error' || csp));
    if (reported) problems.push(`console ${m.type()}: ${text.slice(0, 200)}`);
  });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (onLoopback(url)) {
      await route.continue();
    } else {
      problems.push(`external request refused: ${new URL(url).origin}`);
      await route.abort();
    }
  });
  return problems;
}
