/**
 * Registro ciudadano end to end through HTTP, as a person would do it in the local Web Chat:
 * register in the chat → read the .eml from the outbox → open the link → set the password with a
 * real form POST → log in through the chat with the masked password card.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { startApp, type TestApp } from './helpers/app.js';
import { DirectLineClient } from './helpers/directline-client.js';
import { rightAnswer } from './helpers/identity.js';

const person = EXAMPLE_PERSONS.citizenCe;
const EMAIL = 'carlos.briceno@correo.com';
const PASSWORD = 'Guayacan-Florido-2026';

async function readOutbox(dir: string) {
  const files = (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map(async (f) => simpleParser(await readFile(join(dir, 'outbox', f)))));
}

/** The options of the last menu (suggested actions) the assistant sent. */
const menuOf = (dl: DirectLineClient): string[] =>
  [...dl.lastBotActivities].reverse().find((a) => a.suggestedActions)?.suggestedActions?.actions.map((a) => a.title ?? '') ?? [];

describe('journey: register, activate from the e-mail, log in', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('works end to end for a reference person', async () => {
    const dl = new DirectLineClient(app.url);
    await dl.start();
    await dl.waitFor('Soy el Asistente CCF');
    await dl.converse([
      ['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento'],
      ['cédula de extranjería', 'numero de su documento'],
      [person.numeroDocumento, 'primer nombre'],
      [person.primerNombre, 'segundo nombre'],
      ['omitir', 'primer apellido'],
      [person.primerApellido, 'segundo apellido'],
      [person.segundoApellido ?? 'omitir', 'fecha de nacimiento'],
      [person.fechaNacimiento.split('-').reverse().join('/'), 'expidio'],
      [person.fechaExpedicion, 'sexo'],
      ['Masculino', 'revise sus datos'],
      ['confirmar', 'pregunta 1 de 4'],
    ]);
    for (let i = 2; i <= 5; i++) {
      const answer = rightAnswer(person, defaultReferenceRegistry(), dl.lastButtons());
      await dl.send(String(answer));
      await dl.waitFor(i <= 4 ? `pregunta ${i} de 4` : 'identidad quedo confirmada');
    }
    await dl.converse([
      [EMAIL, 'escriba de nuevo su correo'],
      [EMAIL, 'celular'],
      ['3157654321', 'revise sus datos'],
    ]);
    await dl.send('confirmar');
    await dl.waitFor('pendiente de activacion');
    const said = dl.lastBotActivities.map((a) => (a.text ?? '').replace(/\\(.)/g, '$1')).join('\n');
    expect(said).toContain('c***@correo.com');
    expect(said).not.toContain(EMAIL);
    // The menu after it leads with Ingresar (what comes next), Registrarme still there, later.
    const buttons = menuOf(dl);
    expect(buttons[0]).toBe('Ingresar');
    expect(buttons.indexOf('Registrarme')).toBeGreaterThan(0);

    // "¿En qué voy?" right after: the account waits for the link sent to that address (not "Registrarme").
    await dl.send('en q voy');
    const pending = await dl.waitFor('pendiente de activacion');
    expect(dl.lastBotActivities.map((a) => (a.text ?? '').replace(/\\(.)/g, '$1')).join('\n')).toContain('c***@correo.com');
    expect(pending).toContain('olvide mi contrasena');
    // (the menu may follow in the same message: Ingresar first, Registrarme among the options)
    const answer = pending.split('que desea hacer')[0]!;
    expect(answer).not.toContain('registrarme');
    expect(answer).not.toContain('aun no ha ingresado');
    // Asked in the middle of a step (trying to log in before activating): where they are, then the same.
    await dl.converse([['Ingresar', 'tipo de documento']]);
    await dl.send('estado');
    const inStep = await dl.waitFor('pendiente de activacion');
    expect(inStep).toContain('esta en ingresar');
    expect(inStep).toContain('olvide mi contrasena');
    await dl.converse([['menú', 'que desea hacer']]);
    expect(menuOf(dl)[0]).toBe('Ingresar');

    // The e-mail, as a file in the outbox: HTML and text, the user name and the one-time link.
    const [mail] = await readOutbox(app.dataDir);
    expect(mail).toBeDefined();
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toContain(EMAIL);
    expect(mail!.html).toBeTruthy();
    expect(mail!.text).toContain(`CE ${person.numeroDocumento}`);
    const link = /https?:\/\/\S+\/cuenta\/activar\?token=[\w%-]+/.exec(mail!.text ?? '')?.[0];
    expect(link).toBeDefined();
    const pageUrl = new URL(link!);
    expect(pageUrl.origin).toBe(app.url.replace('127.0.0.1', 'localhost'));

    // The page behind the link, then a real form POST (application/x-www-form-urlencoded).
    const local = `${app.url}${pageUrl.pathname}${pageUrl.search}`;
    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Carlos');
    const token = pageUrl.searchParams.get('token')!;
    const weak = await fetch(`${app.url}/cuenta/activar`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, clave: 'carlos12345', confirmacion: 'carlos12345' }).toString(),
    });
    expect(weak.status).toBe(422);
    const good = await fetch(`${app.url}/cuenta/activar`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, clave: PASSWORD, confirmacion: PASSWORD }).toString(),
    });
    expect(good.status).toBe(200);
    const html = await good.text();
    expect(html).toContain('activa');
    expect(html).not.toContain(PASSWORD);
    const mails = await readOutbox(app.dataDir);
    expect(mails.length).toBe(2); // the activation confirmation
    for (const m of mails) expect(`${m.text}${m.html}`).not.toContain(PASSWORD);

    // Activated from the e-mail: the same question now says the account is active.
    await dl.send('¿en qué voy?');
    const active = await dl.waitFor('ya esta activa');
    expect(active).toContain('ingresar');
    expect(active).not.toContain('pendiente de activacion');

    // Log in through the chat: the password goes only in the masked card input.
    await dl.converse([['Ingresar', 'tipo de documento']]);
    // "estado" while logging in says where the person is, not again that the account is active and to choose Ingresar.
    await dl.send('estado');
    const here = await dl.waitFor('cual es su tipo de documento');
    expect(here).toContain('esta en ingresar');
    expect(here).not.toContain('ya esta activa');
    await dl.submit({ __form: 'ingreso', tipoDocumento: 'CE', numeroDocumento: person.numeroDocumento, clave: PASSWORD });
    const welcome = await dl.waitFor('ingreso correctamente');
    expect(welcome).toContain('carlos');
  });
});
