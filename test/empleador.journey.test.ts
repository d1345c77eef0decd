/**
 * Issue 4 end to end through HTTP with the real assistant: the RL of COMFAMA registers the employer
 * role naming a delegate who is not registered → invitation in the outbox → the delegate registers
 * → linked, and acts as "Empleador persona jurídica"; the RL updates the main site; the RUT path with
 * a real upload through the Direct Line endpoint and a review by a MinSalud administrator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferencePerson } from '../domain/reference.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { createLogger } from '../bot/log.js';
import { startApp, type TestApp } from './helpers/app.js';
import { loginChat, newChat, readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';
import type { DirectLineClient } from './helpers/directline-client.js';
import { pdfBytes } from './helpers/people.js';

const PASSWORD = 'Guayacan-Florido-2026';
const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const admin = EXAMPLE_PERSONS.citizenCe;

async function delegateAndSite(dl: DirectLineClient, d: ReferencePerson, delegateEmail: string, siteEmail: string) {
  await dl.submit({
    __form: 'empleador-delegado', tipoDocumento: d.tipoDocumento, numeroDocumento: d.numeroDocumento, primerNombre: d.primerNombre,
    segundoNombre: d.segundoNombre ?? '', primerApellido: d.primerApellido, segundoApellido: d.segundoApellido ?? '', email: delegateEmail,
  });
  await dl.waitFor('revise sus datos');
  await dl.converse([
    ['confirmar', 'nombre de la sede'],
    ['Sede principal', 'departamento'],
    ['Antioquia', 'municipio'],
    ['Medellín', 'direccion'],
    ['Carrera 50 No. 52-10', 'telefono'],
    ['6044445566', 'correo corporativo'],
    [siteEmail, 'revise sus datos'],
    ['confirmar', 'revise el registro completo'],
  ]);
}

describe('journey: employer role, delegate, update, RUT review', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ STAFF_ADMINS: `${admin.tipoDocumento}:${admin.numeroDocumento}` }, process.env['DEBUG_JOURNEY'] ? { log: createLogger('debug') } : {});
  });
  afterAll(() => app?.stop());

  it('works end to end', async () => {
    await registerAndActivate(app.url, app.dataDir, jose, 'jose.restrepo@correo.com', PASSWORD);

    // The RL registers COMFAMA; the delegate is not registered yet.
    const rl = await newChat(app.url);
    await loginChat(rl, jose, PASSWORD);
    await rl.converse([
      ['Registrar rol empleador persona jurídica', 'nit de la empresa'],
      ['890.900.841-9', 'razon social'],
      ['CAJA DE COMPENSACION FAMILIAR DE ANTIOQUIA COMFAMA', 'naturaleza'],
      ['2', 'revise sus datos'],
      ['confirmar', 'delegado'],
    ]);
    await delegateAndSite(rl, maria, 'maria.pena@comfama.com.co', 'notificaciones@comfama.com.co');
    await rl.send('confirmar');
    await rl.waitFor('invitacion');
    let outbox = await readOutbox(app.dataDir);
    const invitation = outbox.find((m) => recipients(m).includes('maria.pena@comfama.com.co'));
    expect(invitation?.text).toMatch(/COMFAMA/);
    expect(outbox.some((m) => recipients(m).includes('notificaciones@comfama.com.co'))).toBe(true);

    // The delegate registers; the designation completes; she can act for COMFAMA.
    await registerAndActivate(app.url, app.dataDir, maria, 'maria.pena@comfama.com.co', PASSWORD);
    const delegateChat = await newChat(app.url);
    const choice = await loginChat(delegateChat, maria, PASSWORD, 'en que rol desea actuar');
    expect(choice).toContain('empleador persona juridica caja de compensacion familiar de antioquia comfama');
    await delegateChat.send('2');
    await delegateChat.waitFor('ahora actua como empleador persona juridica');

    // The RL updates the main site.
    await rl.send('salir');
    await rl.waitFor('sesion');
    await loginChat(rl, jose, PASSWORD, 'en que rol desea actuar');
    await rl.converse([
      ['2', 'ahora actua como'],
      ['Actualizar datos', 'que desea actualizar'],
      ['Sede principal', 'revise sus datos'],
      ['corregir teléfono', 'telefono'],
      ['6045556677', 'revise sus datos'],
      ['confirmar', 'quedaron actualizados'],
    ]);
    outbox = await readOutbox(app.dataDir);
    expect(outbox.at(-1)?.subject ?? '').not.toBe('');
    expect(recipients(outbox.at(-1)!)).toContain('notificaciones@comfama.com.co');

    // The RUT path: another CCF's legal representative, with data that does not match the RUT.
    const other = await defaultReferenceRegistry().findCompany('890900842'); // COMFENALCO ANTIOQUIA
    const otherRl = await defaultReferenceRegistry().findPerson(other!.representanteLegal.tipoDocumento, other!.representanteLegal.numeroDocumento);
    await registerAndActivate(app.url, app.dataDir, otherRl!, 'rl.comfenalco@correo.com', PASSWORD);
    const rl2 = await newChat(app.url);
    await loginChat(rl2, otherRl!, PASSWORD);
    await rl2.converse([
      ['Registrar rol empleador persona jurídica', 'nit de la empresa'],
      ['890900842-6', 'razon social'],
      ['Comfenalco', 'naturaleza'],
      ['2', 'revise sus datos'],
      ['confirmar', 'adjunte el rut'],
    ]);
    const pdf = pdfBytes(3);
    await rl2.upload(pdf, 'rut-comfenalco.pdf', 'application/pdf');
    await rl2.waitFor('recibi el archivo');
    await rl2.converse([['15/10/2026', 'delegado']]);
    await delegateAndSite(rl2, EXAMPLE_PERSONS.authorizedComfama, 'andres@comfenalcoantioquia.com', 'sede@comfenalcoantioquia.com');
    await rl2.send('confirmar');
    await rl2.waitFor('pendiente de revision');

    // A MinSalud administrator reviews it: sees the data, downloads the file, approves.
    await registerAndActivate(app.url, app.dataDir, admin, 'carlos.briceno@correo.com', PASSWORD);
    const backOffice = await newChat(app.url);
    await loginChat(backOffice, admin, PASSWORD);
    await backOffice.converse([
      ['administrador minsalud', 'ahora actua como administrador minsalud'],
      ['Revisar RUT pendientes', 'pendientes de revision del rut'],
    ]);
    await backOffice.send('1');
    await backOffice.waitFor('aprueba el registro');
    const detail = backOffice.lastBotActivities.map((a) => a.text ?? '').join('\n');
    const link = /\((https?:\/\/[^)\s]+\/archivos\/rut\/[^)\s]+)\)/.exec(detail)?.[1];
    expect(link).toBeDefined();
    const file = await fetch(link!.replace(/^https?:\/\/[^/]+/, app.url));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
    expect((await fetch(link!.replace(/^https?:\/\/[^/]+/, app.url).replace(/sig=[^&]+/, 'sig=falsa'))).status).toBe(403);
    await backOffice.converse([['Aprobar', 'registro aprobado']]);
    outbox = await readOutbox(app.dataDir);
    expect(recipients(outbox.at(-1)!)).toContain('rl.comfenalco@correo.com');
  }, 120_000);

  it('a registered delegate gets a chat notice in the conversation they used last', async () => {
    // Continues from the first journey: COMFAMA has the role and José is its RL.
    const andres = EXAMPLE_PERSONS.authorizedComfama;
    await registerAndActivate(app.url, app.dataDir, andres, 'andres.zapata@correo.com', PASSWORD);
    const andresChat = await newChat(app.url);
    await loginChat(andresChat, andres, PASSWORD, 'ingreso correctamente');

    const rl = await newChat(app.url);
    await loginChat(rl, jose, PASSWORD, 'en que rol desea actuar');
    await rl.converse([
      ['2', 'ahora actua como'],
      ['Actualizar datos', 'que desea actualizar'],
      ['Delegado', 'tipo de documento del delegado'],
    ]);
    await rl.submit({
      __form: 'empleador-delegado', tipoDocumento: 'CC', numeroDocumento: andres.numeroDocumento, primerNombre: andres.primerNombre,
      segundoNombre: andres.segundoNombre ?? '', primerApellido: andres.primerApellido, segundoApellido: andres.segundoApellido ?? '',
      email: 'andres.zapata@comfama.com.co',
    });
    await rl.waitFor('revise sus datos');
    await rl.converse([['confirmar', 'quedaron actualizados']]);
    const notice = await andresChat.waitFor('usted fue designado');
    expect(notice).toContain('comfama');
  }, 60_000);
});
