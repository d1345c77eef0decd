/**
 * Issue 10's done-when in the local Web Chat (headless Chromium), tried as a new user typing the way a
 * person types (lower case, no accents, partial words): COMFAMA's chain up to the Ministry's activation
 * and assignment (SolicitudAfiliacion and ConsultaAfiliacion) is prepared through the chat over HTTP;
 * the browser part is Andrés's. "ingresar" and the login card (password masked), "caja", "servicios
 * web": the terms; "ayuda" and "estado" there answer for the step and ask again; "no acepto" opens
 * nothing; a page reload keeps the conversation; "leer de nuevo", "acepto": the catalog with exactly
 * COMFAMA's two services; "ver documentacion", "solicitud": the documentation card, whose "Ver
 * documentación completa (Swagger)" button (near the top, above the parameters, and at the bottom)
 * opens the Swagger UI page in a new tab with POST /afiliaciones/solicitudes; back in the chat
 * "informacion servicio", "solicitud": the Client ID on screen, whole, is the stored assignment's;
 * "estado": step 5 pending (no shared service, no password yet). The bold labels of both cards
 * ("**Client ID de COMFAMA:**", "**201**") are measured on screen: none is broken inside a word.
 * No request of any page leaves loopback and no page logs an error. Screenshots: /tmp/servicios-*.png.
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH); skipped without it, except under CI.
 */
import type { Browser, BrowserContext, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_LINK_MINUTES } from '../domain/rules.js';
import { fold } from '../domain/text.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import { available, guard, launchChromium, onLoopback } from './helpers/browser.js';
import { COMFAMA_NIT } from './helpers/employers.js';
import { chainToAssignment, PASSWORD, STAFF_ENV } from './helpers/servicios-chat.js';
import { cardWith, logIn, openChat, sayer, screenshots } from './helpers/webchat-page.js';

const SOLICITUD = 'SolicitudAfiliacion';
const CONSULTA = 'ConsultaAfiliacion';
const andres = EXAMPLE_PERSONS.authorizedComfama;
const { shot, snap } = screenshots('servicios');
/** Typed key by key, as a person types. */
const say = sayer({ keyDelay: 15 });

/** A bold label of a card ("**Client ID de COMFAMA:**", "**201**") as laid out on screen. */
interface BoldLabel {
  readonly text: string;
  /** Lines the label takes on screen. */
  readonly lines: number;
  /** Its words the layout breaks inside (a word on more than one line). */
  readonly broken: readonly string[];
}

/** Measures every bold label of a card's text blocks on screen: its lines, and the words broken inside. */
function boldLabels(card: Locator): Promise<BoldLabel[]> {
  return card.locator('.ac-textBlock strong').evaluateAll((els) => {
    // Distinct line tops of a range's boxes (a pixel or two apart is the same line).
    const lines = (range: Range) => {
      const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top).sort((x, y) => x - y);
      return tops.filter((t, i) => i === 0 || t - tops[i - 1]! > 2).length;
    };
    return els.map((el) => {
      const whole = document.createRange();
      whole.selectNodeContents(el);
      const broken: string[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of (n.textContent ?? '').matchAll(/\S+/g)) {
          const word = document.createRange();
          word.setStart(n, m.index!);
          word.setEnd(n, m.index! + m[0].length);
          if (lines(word) > 1) broken.push(m[0]);
        }
      }
      return { text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), lines: lines(whole), broken };
    });
  });
}

/** The labels broken inside a word, as "label: word, word". */
const brokenOf = (labels: readonly BoldLabel[]) => labels.filter((l) => l.broken.length).map((l) => `${l.text}: ${l.broken.join(', ')}`);

/** The label that starts with `text` (its colon after it). */
function labelOf(labels: readonly BoldLabel[] | undefined, text: string): BoldLabel {
  const l = labels?.find((x) => x.text === text || x.text === `${text}:`);
  if (!l) throw new Error(`no bold label "${text}" among: ${labels?.map((x) => x.text).join(' | ')}`);
  return l;
}

/** The code value after the bold label `label` in a card: its text, and whether all of it lies inside the card and the page. */
function codeValueAfter(card: Locator, label: string): Promise<{ text: string; inside: boolean } | undefined> {
  return card.locator('.ac-textBlock').evaluateAll((blocks, want) => {
    const block = blocks.find((b) => b.querySelector('strong')?.textContent?.trim() === `${want}:`);
    const code = block?.querySelector('code');
    if (!block || !code) return undefined;
    const box = block.closest('.ac-adaptiveCard')!.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(code);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const inside =
      rects.length > 0 &&
      rects.every((r) => r.left >= box.left - 1 && r.right <= box.right + 1 && r.right <= document.documentElement.clientWidth) &&
      block.scrollWidth <= block.clientWidth + 1;
    return { text: code.textContent ?? '', inside };
  }, label);
}

describe.skipIf(!available)('Administración de Servicios Web in the local Web Chat', () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  /** The bold labels of the cards as the journey saw them on screen, for the layout checks after it. */
  const seen: { doc?: BoldLabel[]; info?: BoldLabel[] } = {};

  beforeAll(async () => {
    app = await startApp({ ...STAFF_ENV });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('Andrés accepts the terms, sees COMFAMA\'s two services, opens the Swagger page of SolicitudAfiliacion and reads its Client ID', async () => {
    if (!browser || !app) throw new Error('not started');
    // The chain up to the Ministry's assignment, through the chat over HTTP (not the point here).
    const ids = await chainToAssignment(app.url, app.dataDir, [SOLICITUD, CONSULTA]);
    const stored = await app.store.transaction((tx) => tx.collection('asignaciones').get(`${COMFAMA_NIT}:${SOLICITUD}`));
    expect(stored?.clientId).toBe(ids.comfama.get(SOLICITUD));

    // Every request of every page of this context (the chat, the Swagger tab), to check none leaves loopback.
    const requests: string[] = [];
    const chat = await openChat(browser, app.url, { requests });
    context = chat.context;
    const { page, problems } = chat;

    // "ingresar", then the login card: the document and the masked password.
    const roles = await logIn(page, andres, PASSWORD, 'en que rol desea actuar', { document: 'card', say });
    expect(roles).toContain('caja de compensacion familiar comfama');
    expect(await page.content()).not.toContain(PASSWORD);

    // "caja": the role is active, the services assigned, the next step.
    const acting = await say(page, 'caja', 'siguiente paso es la administracion de servicios web');
    expect(acting).toContain('ahora actua como caja de compensacion familiar comfama');

    // "servicios web": the welcome of the module and the terms.
    const terms = await say(page, 'servicios web', 'acepta las condiciones de uso');
    expect(terms).toContain('condiciones de uso de la administracion de servicios web version 1.0');
    expect(terms).toContain('politica de privacidad y retencion de la administracion de servicios web version 1.0');
    const termsCard = cardWith(page, 'Texto completo');
    // The full text is a link on this machine.
    expect(await termsCard.getByRole('link').last().getAttribute('href')).toBe(`http://localhost:${app.port}/servicios/terminos`);
    await snap(page, /Antes de comenzar, lea y acepte/, '1-terminos');

    // "ayuda" and "estado" in the middle of the step: about this step, then the same question again.
    const help = await say(page, 'ayuda', /miseguridadsocial@minsalud\.gov\.co[\s\S]*acepta las condiciones de uso/);
    expect(help).toContain('responda acepto para usar la administracion de servicios web');
    const state = await say(page, 'estado', /paso 5[\s\S]*acepta las condiciones de uso/);
    expect(state).toContain('esta en administracion de servicios web en condiciones de uso y politica de privacidad');
    expect(state).toMatch(/paso 5 administracion de servicios web\s+pendiente/);

    // "no acepto": nothing opens; the way back is to read again.
    const declined = await say(page, 'no acepto', /no acepta las condiciones[\s\S]*que desea hacer/);
    expect(declined).toContain('no se abre ninguna de sus opciones');
    expect(declined).not.toContain('servicios asignados a comfama');
    await snap(page, /no acepta/, '2-no-acepto');

    // A reload in the middle: the conversation is there, and goes on from the same question.
    await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.getByText(/Leer de nuevo/).last().waitFor({ timeout: 30_000 });
    await say(page, 'leer de nuevo', /antes de comenzar lea y acepte[\s\S]*acepta las condiciones de uso/);

    // "acepto": the catalog, exactly COMFAMA's two services.
    const catalog = await say(page, 'acepto', /servicios asignados a comfama[\s\S]*que desea hacer/);
    expect(catalog).toContain('quedo registrado que acepto las condiciones');
    const catalogCard = cardWith(page, 'Servicios asignados a COMFAMA');
    const services = (await catalogCard.innerText()).match(/^(GET|POST|PUT|PATCH|DELETE) \w+/gm) ?? [];
    expect(services.sort()).toEqual([`GET ${CONSULTA}`, `POST ${SOLICITUD}`]);
    await snap(page, /Servicios asignados a COMFAMA/, '3-catalogo');

    // "ver documentacion", "solicitud": the documentation card with its button to the Swagger page.
    await say(page, 'ver documentacion', 'de cual servicio desea ver la documentacion');
    const doc = await say(page, 'solicitud', /documentacion de post solicitudafiliacion[\s\S]*que mas desea hacer/);
    expect(doc).toContain(`vence en ${DOC_LINK_MINUTES} minutos`);
    const docCard = cardWith(page, 'Ver documentación completa (Swagger)');
    expect(await docCard.innerText()).toContain('POST SolicitudAfiliacion');
    await snap(page, /Documentación de/, '4-documentacion');
    // The whole card, in a viewport tall enough for it.
    await page.setViewportSize({ width: 1000, height: 4000 });
    await docCard.scrollIntoViewIfNeeded();
    await docCard.screenshot({ path: shot('4b-tarjeta-documentacion') });
    await page.setViewportSize({ width: 1000, height: 1400 });
    // The Swagger button also near the top: above the parameters and the body's fields, without scrolling far.
    const buttons = docCard.getByRole('button', { name: 'Ver documentación completa (Swagger)' });
    expect(await buttons.count(), 'at the top and at the bottom').toBe(2);
    // Measured in one go, relative to the card's top (the chat may still scroll between two calls).
    const at = await docCard.evaluate((el, label) => {
      const top = el.getBoundingClientRect().top;
      const y = (e: Element | undefined) => (e ? e.getBoundingClientRect().top - top : Number.NaN);
      const heading = (text: string) => y([...el.querySelectorAll('.ac-textBlock')].find((b) => b.textContent?.trim() === text));
      const button = [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
      return {
        button: y(button),
        buttonBottom: button ? button.getBoundingClientRect().bottom - top : Number.NaN,
        parametros: heading('Parámetros'),
        cuerpo: heading('Cuerpo de la solicitud'),
        card: el.getBoundingClientRect().height,
      };
    }, 'Ver documentación completa (Swagger)');
    expect(at.buttonBottom, JSON.stringify(at)).toBeLessThanOrEqual(at.parametros);
    expect(at.button, JSON.stringify(at)).toBeLessThan(at.cuerpo);
    expect(at.button, 'within the card\'s first lines').toBeLessThan(300);
    expect(at.card, 'a long card (the top button matters)').toBeGreaterThan(4 * at.button);
    // Its bold labels (the response codes, the token URL, the scopes), measured on screen.
    seen.doc = await boldLabels(docCard);
    expect(seen.doc.filter((l) => /^\d{3}$/.test(l.text)).length, 'the response codes').toBe(8);
    expect(labelOf(seen.doc, 'URL del token').lines).toBe(1);

    // The button opens the Swagger UI page in a new tab: the operation is there.
    const button = buttons.first();
    const [swagger] = await Promise.all([context.waitForEvent('page', { timeout: 30_000 }), button.click()]);
    const swaggerProblems = await guard(swagger, { everyConsoleError: true });
    await swagger.waitForLoadState('load');
    expect(new URL(swagger.url()).pathname).toBe(`/servicios/documentacion/${SOLICITUD}`);
    await swagger.getByRole('heading', { level: 1, name: `Documentación de POST ${SOLICITUD}` }).waitFor({ timeout: 20_000 });
    const op = swagger.locator('.opblock.opblock-post');
    await op.waitFor({ timeout: 20_000 });
    expect(await op.locator('.opblock-summary-method').innerText()).toBe('POST');
    expect(await op.locator('.opblock-summary-path').innerText()).toContain('/afiliaciones/solicitudes');
    await swagger.screenshot({ path: shot('5-swagger'), fullPage: false });
    expect(requests.some((u) => u.includes(`/servicios/documentacion/${SOLICITUD}/openapi.json?`))).toBe(true);
    expect(swaggerProblems).toEqual([]);

    // Back in the chat: "informacion servicio", "solicitud": the Client ID on screen is the stored one.
    await page.bringToFront();
    await say(page, 'informacion servicio', 'de cual servicio desea ver la informacion');
    await say(page, 'solicitud', /informacion servicio solicitudafiliacion[\s\S]*que mas desea hacer/);
    const infoCard = cardWith(page, `Información Servicio — ${SOLICITUD}`);
    const clientId = await codeValueAfter(infoCard, 'Client ID de COMFAMA');
    expect(clientId?.text).toBe(stored!.clientId);
    expect(clientId?.inside, 'the whole Client ID inside the card').toBe(true);
    expect(await infoCard.innerText()).not.toContain(ids.comfama.get(CONSULTA)!);
    await snap(page, /Información Servicio — /, '6-info');
    seen.info = await boldLabels(infoCard);
    expect(seen.info.length).toBeGreaterThanOrEqual(10);

    // "estado" at the menu: step 5 pending, with the service seen and what is still missing (a shared service, the password).
    const pending = await say(page, 'estado', /paso 5[\s\S]*que mas desea hacer/);
    expect(pending).toMatch(/paso 5 administracion de servicios web\s+pendiente/);
    expect(pending).toContain('servicios consultados solicitudafiliacion');
    expect(pending).toContain(fold('Falta compartir al menos un servicio completo (Compartir Servicios Entidad) y asignar la contraseña de los servicios web (Asignar contraseña)'));
    await cardWith(page, 'Paso 5:').screenshot({ path: shot('7-estado') });

    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((u) => !onLoopback(u))).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  // Web Chat squeezed the FactSet titles of these cards letter by letter ("2 / 0 / 1", "Nom / bre",
  // "Client ID de COMFAM / A"); the cards now show "**Label:** value" lines. Screenshots
  // /tmp/servicios-4b-tarjeta-documentacion.png and /tmp/servicios-6-info.png.
  it('the bold labels of the documentation card are not broken inside a word (each response code on one line)', () => {
    expect(seen.doc?.length, 'the journey measured the card').toBeGreaterThan(0);
    expect(brokenOf(seen.doc!)).toEqual([]);
    for (const code of seen.doc!.filter((l) => /^\d{3}$/.test(l.text))) expect(code.lines, code.text).toBe(1);
  });

  it('the labels of the Información Servicio card are not broken inside a word; "Client ID de COMFAMA" and "Tipo de concesión (grant type)" on one line each', () => {
    expect(seen.info?.length, 'the journey measured the card').toBeGreaterThan(0);
    expect(brokenOf(seen.info!)).toEqual([]);
    for (const label of ['Nombre', 'Client ID de COMFAMA', 'Tipo de concesión (grant type)', 'Endpoint del token']) expect(labelOf(seen.info, label).lines, label).toBe(1);
  });
});
