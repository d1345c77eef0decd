/**
 * The local Web Chat page as a person uses it in headless Chromium: open the chat, type or paste in the
 * send box, click a card's button, log in with the masked card, and wait for the bot's answer, read as
 * folded text (accents and case ignored). Screenshots go to /tmp/<prefix>-<name>.png.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { ReferencePerson } from '../../domain/reference.js';
import { fold } from '../../domain/text.js';
import { guard } from './browser.js';

/** The assistant's welcome: the page is ready once it shows. */
export const WELCOME = /Soy el Asistente CCF/;

/** The transcript's activities (each an <article> of the ARIA feed). */
export const feed = (page: Page): Locator => page.locator('[role="feed"] article');

/** Web Chat's send box. */
export const sendBox = (page: Page): Locator => page.locator('[data-id="webchat-sendbox-input"]');

/** The last adaptive card that shows `text`. */
export const cardWith = (page: Page, text: string | RegExp): Locator => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

/** The last adaptive card with a masked (password) input. */
export const maskedCard = (page: Page): Locator => page.locator('.ac-adaptiveCard').filter({ has: page.locator('input[type="password"]') }).last();

/** Waits until an article after the first `from` ones matches (accents and case ignored); returns their folded text. */
export async function waitFor(page: Page, from: number, expected: string | RegExp): Promise<string> {
  const want = typeof expected === 'string' ? fold(expected) : expected;
  let seen = '';
  for (let i = 0; i < 150; i++) {
    seen = fold((await feed(page).allInnerTexts()).slice(Math.max(0, from - 1)).join('\n'));
    if (typeof want === 'string' ? seen.includes(want) : want.test(seen)) return seen;
    await page.waitForTimeout(200);
  }
  throw new Error(`"${String(expected)}" did not arrive; saw:\n${seen.slice(-1500)}`);
}

/** Runs `act` and waits for a new bot message, after it, that matches `expected`; returns the folded text. */
export async function answerTo(page: Page, act: () => Promise<void>, expected: string | RegExp): Promise<string> {
  const before = await feed(page).count();
  await act();
  return waitFor(page, before, expected);
}

/** How text reaches the send box: filled at once, or typed key by key ('keys'; with `keyDelay`, that many ms between keys). */
export type Typing = 'fill' | 'keys' | { readonly keyDelay: number };

/** Sends `text` from the send box and waits for a new bot message that matches `expected`. */
export type Say = (page: Page, text: string, expected: string | RegExp) => Promise<string>;

/** A `say` that puts the text in the send box the way `typing` says, then presses Enter. */
export function sayer(typing: Typing): Say {
  return (page, text, expected) =>
    answerTo(
      page,
      async () => {
        const input = sendBox(page);
        if (typing === 'fill') {
          await input.fill(text);
        } else {
          await input.click();
          await input.pressSequentially(text, typing === 'keys' ? {} : { delay: typing.keyDelay });
        }
        await input.press('Enter');
      },
      expected,
    );
}

/** Fills the send box at once and presses Enter. */
export const say: Say = sayer('fill');

/** Copies `text` to the clipboard, pastes it in the send box with Ctrl+V and sends it, as a person pastes a key (needs the clipboard permissions). */
export function paste(page: Page, text: string, expected: string | RegExp): Promise<string> {
  return answerTo(
    page,
    async () => {
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await sendBox(page).click();
      await sendBox(page).press('Control+V');
      await sendBox(page).press('Enter');
    },
    expected,
  );
}

/** Chooses a file with the send box's upload button and sends it (Web Chat sends a chosen file with the next send); waits for `expected`. */
export function attachFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, expected: string | RegExp): Promise<string> {
  return answerTo(
    page,
    async () => {
      await page.locator('input[type="file"]').setInputFiles(file);
      await sendBox(page).press('Enter');
    },
    expected,
  );
}

/** Clicks `button` (a card's or a suggested action's) and waits for a new bot message that matches `expected`. */
export function click(page: Page, button: Locator, expected: string | RegExp): Promise<string> {
  return answerTo(page, () => button.click(), expected);
}

export interface LogInOptions {
  /** 'typed': the document type and number answered in the send box, the password in the masked card; 'card': all three in the login card. */
  readonly document?: 'typed' | 'card';
  /** How the person types in the send box. */
  readonly say?: Say;
}

/** "ingresar", then the document and the password (only ever in the card's masked input); returns the folded replies to the card. */
export async function logIn(page: Page, person: ReferencePerson, password: string, expected: string | RegExp, opts: LogInOptions = {}): Promise<string> {
  const send = opts.say ?? say;
  const card = maskedCard(page);
  await send(page, 'ingresar', 'tipo de documento');
  if (opts.document === 'card') {
    await card.locator('select').first().selectOption(person.tipoDocumento);
    await card.getByLabel('Número de documento').fill(person.numeroDocumento);
    await card.locator('input[type="password"]').fill(password);
    return click(page, card.getByRole('button', { name: 'Enviar' }), expected);
  }
  await send(page, person.tipoDocumento.toLowerCase(), 'numero');
  await send(page, person.numeroDocumento, 'contrasena');
  await card.locator('input[type="password"]').fill(password);
  return click(page, card.getByRole('button').first(), expected);
}

export interface OpenChatOptions {
  /** Every request of the context's pages is pushed here (the chat and any tab it opens). */
  readonly requests?: string[];
  /** Lets the page read and write the clipboard (for `paste`). */
  readonly clipboard?: boolean;
  /** The first message that says the page is ready (default: the assistant's welcome). */
  readonly welcome?: string | RegExp;
}

export interface ChatPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** What `guard` reports for the chat page. */
  readonly problems: string[];
}

/** A new conversation: a fresh browser context (es-CO, 1000×1400) on the chat page at `url`, once the welcome shows. */
export async function openChat(browser: Browser, url: string, opts: OpenChatOptions = {}): Promise<ChatPage> {
  const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 1400 } });
  if (opts.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const requests = opts.requests;
  if (requests) context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const problems = await guard(page);
  await page.goto(`${url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.getByText(opts.welcome ?? WELCOME).first().waitFor({ timeout: 60_000 });
  return { context, page, problems };
}

/** One test's screenshots: `shot(name)` is the file's path; `snap` scrolls the last element with `text` into view, lets it settle and shoots the page. */
export function screenshots(prefix: string, settleMs = 400): { shot: (name: string) => string; snap: (page: Page, text: RegExp, name: string) => Promise<void> } {
  const shot = (name: string) => `/tmp/${prefix}-${name}.png`;
  const snap = async (page: Page, text: RegExp, name: string) => {
    await page.getByText(text).last().scrollIntoViewIfNeeded();
    if (settleMs > 0) await page.waitForTimeout(settleMs);
    await page.screenshot({ path: shot(name) });
  };
  return { shot, snap };
}

/** The button titles of the last message (the options of a question). */
export async function lastButtons(page: Page): Promise<string[]> {
  const buttons = feed(page).last().getByRole('button');
  await buttons.first().waitFor({ timeout: 30_000 });
  return (await buttons.allTextContents()).map((t) => t.trim()).filter(Boolean);
}

/**
 * Sends `text` from the send box and returns the folded text of what the assistant answers to it (the
 * messages after the person's own, once `quietMs` pass without a new one): for answers not known beforehand.
 */
export async function reply(page: Page, text: string, quietMs = 1000): Promise<string> {
  const before = await feed(page).count();
  await sendBox(page).fill(text);
  await sendBox(page).press('Enter');
  let count = 0;
  for (let i = 0; i < 150 && count <= before + 1; i++) {
    await page.waitForTimeout(200);
    count = await feed(page).count();
  }
  if (count <= before + 1) throw new Error(`no answer to "${text}"`);
  for (let now = count, last = -1; now !== last; now = await feed(page).count()) {
    last = now;
    await page.waitForTimeout(quietMs);
  }
  return fold((await feed(page).allInnerTexts()).slice(before + 1).join('\n'));
}
