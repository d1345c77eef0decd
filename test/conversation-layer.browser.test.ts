/**
 * The conversation layer tried as a new user in the local Web Chat (headless Chromium), typing the
 * way a person types (lower case, no accents, single words): José registers, answers the identity
 * questions with words ("ninguna", "envigado"), activates his account on the page, logs in, is offered
 * "Registrar rol empleador", registers COMFAMA with "Comfama" (told it does not match), writes
 * "atrás", corrects it, finishes without a RUT; "¿en qué voy?" shows the chain with the delegate
 * invited and the steps still pending. "ayuda", "estado" and a page reload mid-step along the way.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fold } from '../domain/text.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { startApp, type TestApp } from './helpers/app.js';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';
import { readOutbox, recipients } from './helpers/chat-people.js';
import { rightAnswer } from './helpers/identity.js';
import { lastButtons, say, waitFor } from './helpers/webchat-page.js';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const jose = EXAMPLE_PERSONS.rlComfama;
const PASSWORD = 'Guayacan-Florido-2026';

/** How a person would write an option: "ninguna", "envigado", "sura". */
function typedWord(option: string): string {
  const f = fold(option);
  if (f.startsWith('ninguna')) return 'ninguna';
  return f.replace(/\s*\(.*\)$/, '');
}

describe.skipIf(!available)('conversation layer, tried as a new user in the local Web Chat', () => {
  let app: TestApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    app = await startApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('José registers, logs in, registers COMFAMA correcting the razón social, and sees where the chain is', async () => {
    if (!browser || !app) throw new Error('not started');
    await mkdir(SHOTS, { recursive: true });
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 1400 } });
    const page = await context.newPage();
    const problems = await guard(page, { pageMayAnswer4xx: true });
    await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });

    // Registro ciudadano, one answer at a time, as people type.
    await say(page, 'registrarme', 'tratamiento de sus datos');
    await say(page, 'si', 'tipo de documento');
    await say(page, 'cc', 'numero de su documento');
    await say(page, '70123456', 'primer nombre');
    await say(page, 'ayuda', 'miseguridadsocial@minsalud.gov.co');
    await say(page, 'jose', 'segundo nombre');
    await say(page, 'alejandro', 'primer apellido');
    await say(page, 'restrepo', 'segundo apellido');
    await say(page, 'munoz', 'fecha de nacimiento');
    await say(page, '14/03/1968', 'expidio');
    // A reload mid-form: the same question is current, nothing typed is lost.
    await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.getByText(/expidió/).last().waitFor({ timeout: 30_000 });
    await say(page, '20/05/1986', 'sexo');
    await say(page, 'estado', /registro ciudadano.*sexo/s);
    await say(page, 'm', 'revise sus datos');
    await say(page, 'confirmar', 'pregunta 1 de 4');

    // Identity questions answered with a word of the option ("ninguna", "envigado").
    const typed: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const options = await lastButtons(page);
      const word = typedWord(options[rightAnswer(jose, defaultReferenceRegistry(), options) - 1]!);
      typed.push(word);
      await say(page, word, i < 4 ? `pregunta ${i + 1} de 4` : 'identidad quedo confirmada');
    }
    await say(page, 'jose.restrepo@correo.com', 'escriba de nuevo');
    await say(page, 'jose.restrepo@correo.com', 'celular');
    await say(page, '3001234567', 'revise sus datos');
    await say(page, 'confirmar', 'pendiente de activacion');
    await page.screenshot({ path: join(SHOTS, 'capa-1-registro.png'), fullPage: true });

    // The activation page, from the link in the e-mail.
    const mail = (await readOutbox(app.dataDir)).filter((m) => recipients(m).includes('jose.restrepo@correo.com')).at(-1);
    const link = /http:\/\/[^\s]+\/cuenta\/activar\?token=[\w%-]+/.exec(mail?.text ?? '')?.[0];
    expect(link).toBeDefined();
    const account = await context.newPage();
    await account.goto(link!.replace(/^http:\/\/localhost:\d+/, app.url), { waitUntil: 'domcontentloaded' });
    await account.locator('input[name="clave"]').fill(PASSWORD);
    await account.locator('input[name="confirmacion"]').fill(PASSWORD);
    await account.locator('button[type="submit"]').click();
    await account.getByText(/activ/i).first().waitFor({ timeout: 30_000 });
    await account.close();

    // Ingresar: document typed, password only in the masked field of the card.
    await say(page, 'ingresar', 'tipo de documento');
    await say(page, 'cc', 'numero');
    await say(page, '70123456', 'contrasena');
    const before = await page.locator('[role="feed"] article').count();
    const loginCard = page.locator('.ac-adaptiveCard').filter({ has: page.locator('input[type="password"]') }).last();
    await loginCard.locator('input[type="password"]').fill(PASSWORD);
    await page.screenshot({ path: join(SHOTS, 'capa-2a-ingreso.png'), fullPage: true });
    await loginCard.getByRole('button').first().click();
    // The welcome and the menu are two messages: wait for both, not only the first.
    const welcome = await waitFor(page, before, /ingreso correctamente.*registrar rol empleador/s);
    expect(welcome).toContain('registrar rol empleador');
    await page.screenshot({ path: join(SHOTS, 'capa-2-menu.png'), fullPage: true });
    const menu = page.locator('.webchat__suggested-actions').getByRole('button');
    await menu.first().waitFor({ timeout: 30_000 });
    const offered = (await menu.allTextContents()).map((t) => t.trim());
    expect(offered).toContain('Registrar rol empleador');
    expect(offered).not.toContain('Registrarme');
    expect(offered).not.toContain('Ingresar');

    // Registrar rol empleador: "Comfama" does not match; "atrás", correct it, go on without a RUT.
    await say(page, 'registrar rol empleador', 'nit de la empresa');
    await say(page, '890.900.841-9', 'razon social');
    await say(page, 'Comfama', 'naturaleza');
    await say(page, 'privada', 'revise sus datos');
    await say(page, 'confirmar', 'no coinciden con el rut');
    await say(page, 'ayuda', 'adjuntar el rut');
    await say(page, 'atras', 'razon social');
    await say(page, 'caja de compensacion familiar de antioquia comfama', 'revise sus datos');
    await say(page, 'confirmar', 'delegado');
    for (const [text, next] of [
      ['cc', 'numero de documento del delegado'],
      ['1036612345', 'primer nombre'],
      ['maria', 'segundo nombre'],
      ['fernanda', 'primer apellido'],
      ['pena', 'segundo apellido'],
      ['ochoa', 'correo'],
      ['maria.pena@correo.com', 'revise sus datos'],
      ['confirmar', 'sede principal'],
      ['sede principal', 'departamento'],
      ['antioquia', 'municipio'],
      ['medellin', 'direccion'],
      ['carrera 50 52-10', 'telefono'],
      ['6044445566', 'correo corporativo'],
      ['notificaciones@comfama.com.co', 'revise sus datos'],
      ['confirmar', 'revise el registro completo'],
    ] as const) {
      await say(page, text, next);
    }
    const done = await say(page, 'confirmar', 'quedo registrado');
    expect(done).toContain('caja de compensacion familiar de antioquia comfama');
    expect(done).toContain('no es necesario'); // the RUT: the corrected data matched
    expect(done).not.toContain('pendiente de revision');
    // He now acts for COMFAMA: after Terminar, the menu offers what comes next for it.
    await page.locator('.webchat__suggested-actions').getByRole('button', { name: 'Terminar' }).click();
    await waitFor(page, await page.locator('[role="feed"] article').count(), 'que desea hacer ahora');
    const next = page.locator('.webchat__suggested-actions').getByRole('button');
    await next.filter({ hasText: 'Actualizar datos' }).first().waitFor({ timeout: 30_000 });
    expect((await next.allTextContents()).map((t) => t.trim())).toEqual(expect.arrayContaining(['Administrar autorizados', '¿En qué voy?', 'Salir']));

    // ¿En qué voy?: steps 1–2 done, the delegate invited and not registered, 3–5 pending with who acts.
    const status = await say(page, 'en que voy', 'aun no se ha registrado');
    expect(status).toContain('jose');
    expect(status).not.toContain('aun no ha iniciado');
    expect(status).toMatch(/maria fernanda pena.*invitad/s);
    expect(status).toContain('ministerio');
    await page.screenshot({ path: join(SHOTS, 'capa-3-en-que-voy.png'), fullPage: true });
    await page.locator('[role="feed"] article').filter({ has: page.locator('.ac-adaptiveCard') }).last().screenshot({ path: join(SHOTS, 'capa-4-tarjeta.png') });
    expect(typed.every((w) => !/^\d+$/.test(w))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 300_000);
});
