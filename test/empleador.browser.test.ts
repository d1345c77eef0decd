/**
 * Issue 4 as a new user would try it in the local Web Chat (headless Chromium): the RL of COMFAMA
 * logs in with the masked card, finds "Registrar rol empleador persona jurídica" with the search,
 * registers it naming a delegate who is not registered; both e-mails reach the outbox; the
 * delegate registers, logs in and acts as "Empleador persona jurídica" for COMFAMA.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import type { ReferencePerson } from '../domain/reference.js';
import { startApp, type TestApp } from './helpers/app.js';
import { ARGS, available, CHROMIUM, guard } from './helpers/browser.js';
import { readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const PASSWORD = 'Guayacan-Florido-2026';
const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;

describe.skipIf(!available)('the employer role in the local Web Chat', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function open(): Promise<{ page: Page; problems: string[]; say: (text: string, expected: RegExp) => Promise<void> }> {
    const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 1000, height: 1400 } });
    const page = await context.newPage();
    const problems = await guard(page);
    await page.goto(`${app.url}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.getByText(/Soy el Asistente CCF/).first().waitFor({ timeout: 60_000 });
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    const say = async (text: string, expected: RegExp) => {
      await input.fill(text);
      await input.press('Enter');
      await page.getByText(expected).last().waitFor({ timeout: 30_000 });
    };
    return { page, problems, say };
  }

  /** Ingresar: the card with the document and the masked password. */
  async function login(page: Page, p: ReferencePerson) {
    await page.getByRole('button', { name: 'Ingresar' }).first().click();
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Contraseña' }).last();
    await card.waitFor({ timeout: 30_000 });
    await card.locator('select').first().selectOption(p.tipoDocumento);
    await card.getByLabel('Número de documento').fill(p.numeroDocumento);
    const password = card.getByLabel('Contraseña');
    expect(await password.getAttribute('type')).toBe('password');
    await password.fill(PASSWORD);
    await card.getByRole('button', { name: 'Enviar' }).click();
    await page.getByText(/Ingresó correctamente/).last().waitFor({ timeout: 30_000 });
  }

  it('RL registers the role with a delegate; the delegate logs in and acts for the CCF', async () => {
    await registerAndActivate(app.url, app.dataDir, jose, 'jose.restrepo@correo.com', PASSWORD);
    const rl = await open();
    await login(rl.page, jose);

    await rl.say('¿Qué está buscando?', /Escríbalo con sus palabras/);
    await rl.say('empleador', /Esto es lo que encontré/);
    const result = rl.page.locator('.ac-adaptiveCard').filter({ hasText: 'Registrar rol empleador persona jurídica' }).last();
    await result.getByRole('button', { name: 'Comenzar' }).first().click();
    await rl.page.getByText(/NIT de la empresa/).last().waitFor({ timeout: 30_000 });
    await rl.say('890.900.841-9', /Entendí el NIT/);
    await rl.say('Caja de Compensación Familiar de Antioquia COMFAMA', /naturaleza jurídica/);
    await rl.page.getByRole('button', { name: 'Privada' }).last().click();
    await rl.page.getByText(/Revise sus datos antes de continuar/).last().waitFor({ timeout: 30_000 });
    await rl.say('confirmar', /tipo de documento del delegado/);

    const delegateCard = rl.page.locator('.ac-adaptiveCard').filter({ hasText: 'Correo del delegado' }).last();
    await delegateCard.locator('select').first().selectOption('CC');
    await delegateCard.getByLabel('Número de documento del delegado').fill(maria.numeroDocumento);
    await delegateCard.getByLabel('Primer nombre').fill(maria.primerNombre);
    await delegateCard.getByLabel('Segundo nombre').fill(maria.segundoNombre ?? '');
    await delegateCard.getByLabel('Primer apellido').fill(maria.primerApellido);
    await delegateCard.getByLabel('Segundo apellido').fill(maria.segundoApellido ?? '');
    await delegateCard.getByLabel('Correo del delegado').fill('maria.pena@comfama.com.co');
    await delegateCard.getByRole('button', { name: 'Enviar' }).click();
    await rl.page.locator('.ac-adaptiveCard').filter({ hasText: 'Correo del delegado' }).filter({ hasText: 'Revise sus datos' }).last().waitFor({ timeout: 30_000 });
    await rl.say('confirmar', /nombre de la sede principal/);
    await rl.say('Sede principal Medellín', /departamento/);
    await rl.say('Antioquia', /municipio\?/);
    await rl.say('Medellin', /dirección de la sede/);
    await rl.say('Carrera 50 No. 52-10', /teléfono de la sede/);
    await rl.say('6044445566', /correo corporativo de la sede/);
    await rl.say('sede@gmail.com', /no se aceptan correos gratuitos/);
    await rl.say('notificaciones@comfama.com.co', /Revise sus datos antes de continuar/);
    await rl.say('confirmar', /Revise el registro completo/);
    const summary = rl.page.locator('.ac-adaptiveCard').filter({ hasText: 'Sede principal' }).filter({ hasText: '890.900.841-9' }).last();
    await summary.getByRole('button', { name: 'Confirmar' }).click();
    await rl.page.getByText(/quedó registrado para/).last().waitFor({ timeout: 30_000 });
    await rl.page.screenshot({ path: join(SHOTS, 'empleador-registrado.png'), fullPage: false });
    expect(rl.problems).toEqual([]);

    const outbox = await readOutbox(app.dataDir);
    expect(outbox.some((m) => recipients(m).includes('notificaciones@comfama.com.co'))).toBe(true);
    expect(outbox.some((m) => recipients(m).includes('maria.pena@comfama.com.co') && /COMFAMA/.test(m.text ?? ''))).toBe(true);

    // The delegate registers from the invitation, logs in, and acts for COMFAMA.
    await registerAndActivate(app.url, app.dataDir, maria, 'maria.pena@comfama.com.co', PASSWORD);
    const delegate = await open();
    await login(delegate.page, maria);
    await delegate.page.getByText(/¿En qué rol desea actuar ahora\?/).last().waitFor({ timeout: 30_000 });
    await delegate.page.getByRole('button', { name: /Empleador persona jurídica — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA/ }).last().click();
    await delegate.page.getByText(/Ahora actúa como/).last().waitFor({ timeout: 30_000 });
    await mkdir(SHOTS, { recursive: true });
    await delegate.page.screenshot({ path: join(SHOTS, 'delegado-actua.png'), fullPage: false });
    expect(delegate.problems).toEqual([]);
  }, 180_000);
});
