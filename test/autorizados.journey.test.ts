/**
 * Issue 8 end to end through HTTP with the real assistant: José (RL of COMFAMA) registers the employer
 * role naming María as delegate; María registers, logs in as "Empleador persona jurídica" of COMFAMA and,
 * in "Administrar autorizados", authorizes Andrés Felipe Zapata Londoño, who is not registered → the
 * invitation reaches the outbox → Andrés registers and activates → he is linked ('autorizado-asignado')
 * → after login he is offered "Caja de compensación familiar — COMFAMA" and told the Ministry has not
 * activated it yet, with the helpdesk contacts; "¿en qué voy?" shows step 3 done with his name. No full
 * document number of Andrés reaches the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import { loginChat, newChat, readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';
import { MARIA_EMAIL, registerComfamaWithMaria } from './helpers/autorizados.js';
import type { DirectLineClient } from './helpers/directline-client.js';

const PASSWORD = 'Guayacan-Florido-2026';
const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const andres = EXAMPLE_PERSONS.authorizedComfama;
const ANDRES_EMAIL = 'andres.zapata@comfama.com.co';

describe('journey: Administrar autorizados', () => {
  let app: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    app = await startApp({}, { log: createLogger('debug', {}, (l) => lines.push(l)) });
  });
  afterAll(() => app?.stop());

  it('the delegate of COMFAMA authorizes Andrés, who registers and sees the CCF role waiting for the Ministry', async () => {
    expect(`${andres.primerNombre} ${andres.segundoNombre} ${andres.primerApellido} ${andres.segundoApellido}`).toBe('Andrés Felipe Zapata Londoño');

    // José registers COMFAMA's employer role naming María (not registered yet) as delegate.
    await registerAndActivate(app.url, app.dataDir, jose, 'jose.restrepo@correo.com', PASSWORD);
    await registerComfamaWithMaria(app.url, PASSWORD);

    // María registers from her invitation: the designation completes.
    await registerAndActivate(app.url, app.dataDir, maria, MARIA_EMAIL, PASSWORD);
    const delegate = await newChat(app.url);
    const roles = await loginChat(delegate, maria, PASSWORD, 'en que rol desea actuar');
    expect(roles).toContain('empleador persona juridica caja de compensacion familiar de antioquia comfama');
    await delegate.send('2');
    await delegate.waitFor('ahora actua como empleador persona juridica');

    // Administrar autorizados: the list is empty; Nuevo.
    const empty = await say(delegate, 'Administrar autorizados', 'que desea hacer en');
    expect(empty).toContain('aun no tiene personas autorizadas');
    expect(delegate.lastButtons()).toContain('Nuevo');
    const intro = await say(delegate, 'Nuevo', 'tipo de documento de la persona');
    expect(intro).toContain('administrar autorizados'); // the company heads the question
    expect(intro).toContain('comfama');
    await delegate.submit({
      __form: 'autorizado-nuevo', tipoDocumento: andres.tipoDocumento, numeroDocumento: andres.numeroDocumento, primerNombre: andres.primerNombre,
      segundoNombre: andres.segundoNombre ?? '', primerApellido: andres.primerApellido, segundoApellido: andres.segundoApellido ?? '', email: ANDRES_EMAIL,
    });
    await delegate.waitFor('en que sede operara');
    await delegate.converse([
      ['Sede principal', 'revise la autorizacion'],
    ]);
    const review = delegate.lastBotActivities.map((a) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`).join('\n');
    expect(review).toMatch(/ANDRÉS/i);
    expect(review).toContain('CAJA DE SUBSIDIO FAMILIAR');
    const invited = await say(delegate, 'confirmar', 'que desea hacer en');
    expect(invited).toContain('aun no esta registrado');
    expect(invited).toContain('le enviamos una invitacion');
    expect(invited).toContain('listo andres zapata');
    // The list shows him, invited, with the document masked (the folded text drops the asterisks).
    const card = JSON.stringify(delegate.lastBotActivities.map((a) => a.attachments ?? []));
    expect(card).toContain('1 · Andrés Felipe Zapata Londoño — CC *******567');
    expect(card).toContain('{"title":"Estado","value":"Invitado (aún no se ha registrado)"}');
    expect(invited).not.toContain(andres.numeroDocumento);

    let outbox = await readOutbox(app.dataDir);
    const invitation = outbox.find((m) => recipients(m).includes(ANDRES_EMAIL) && /^Invitación: persona autorizada de /.test(m.subject ?? ''));
    expect(invitation, 'invitation to Andrés').toBeDefined();
    expect(invitation!.subject).toMatch(/COMFAMA/);
    expect(invitation!.text).toMatch(/COMFAMA/);
    expect(invitation!.text).toContain('Registrarme');
    expect(invitation!.html || '').toMatch(/COMFAMA/);

    // Andrés registers and activates: the authorization completes; he is told by e-mail.
    await registerAndActivate(app.url, app.dataDir, andres, ANDRES_EMAIL, PASSWORD);
    outbox = await readOutbox(app.dataDir);
    const assigned = outbox.filter((m) => recipients(m).includes(ANDRES_EMAIL) && /^Usted es persona autorizada de /.test(m.subject ?? ''));
    expect(assigned, 'autorizado-asignado to Andrés').toHaveLength(1);
    expect(assigned[0]!.subject).toMatch(/COMFAMA/);
    expect(assigned[0]!.text).toContain('Caja de compensación familiar');

    // Andrés logs in: the CCF role is offered; choosing it says the Ministry has not activated it.
    const person = await newChat(app.url);
    const offered = await loginChat(person, andres, PASSWORD, 'en que rol desea actuar');
    expect(offered).toContain('caja de compensacion familiar comfama');
    const ccfLabel = person.lastButtons().find((b) => /^Caja de compensación familiar/.test(b));
    expect(ccfLabel).toBe('Caja de compensación familiar — COMFAMA');
    const waiting = await say(person, ccfLabel!, 'aun no ha activado');
    expect(waiting).toContain('ahora actua como caja de compensacion familiar');
    expect(waiting).toContain('miseguridadsocial@minsalud.gov.co');

    // ¿En qué voy?: step 3 done with his name for María; for him, done by "usted (persona autorizada)".
    const mine = await say(person, '¿en qué voy?', 'administrar autorizados');
    expect(mine).toContain('andres felipe zapata');
    expect(step3(mine)).toMatch(/^paso 3 administrar autorizados hecho/);
    expect(step3(mine)).toContain('usted persona autorizada desde el');
    const hers = await say(delegate, 'en que voy', 'administrar autorizados');
    expect(step3(hers)).toMatch(/^paso 3 administrar autorizados hecho/);
    expect(step3(hers)).toContain('andres felipe zapata');

    // No full document number of Andrés in the logs.
    const templates = lines.map((l) => (JSON.parse(l) as { template?: string }).template).filter(Boolean);
    expect(templates).toEqual(expect.arrayContaining(['autorizado-invitacion', 'autorizado-asignado']));
    expect(lines.filter((l) => l.includes(andres.numeroDocumento))).toEqual([]);
  }, 120_000);
});

/** Says `text` and waits for `expected`; returns the folded replies. */
async function say(dl: DirectLineClient, text: string, expected: string): Promise<string> {
  await dl.send(text);
  return dl.waitFor(expected);
}

/** The folded checklist text from "Paso 3: Administrar autorizados" up to step 4 (fold drops the punctuation). */
function step3(folded: string): string {
  const from = folded.indexOf('paso 3 administrar autorizados');
  expect(from, `step 3 in:\n${folded}`).toBeGreaterThanOrEqual(0);
  const to = folded.indexOf('paso 4', from);
  return folded.slice(from, to < 0 ? undefined : to);
}
