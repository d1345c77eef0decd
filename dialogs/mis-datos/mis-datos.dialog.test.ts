import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps, mainClient } from '../../test/helpers/dialog-deps.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say } from '../../test/helpers/transcript.js';
import { DELEGADA_MARIA, registration } from '../../test/helpers/employers.js';
import { registerEmployer } from '../../domain/empleador-registro.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const PASSWORD = 'Guayacan-Florido-2026';
const EMAIL = 'jose.restrepo@correo.com';

async function loggedIn() {
  const setup = dialogDeps();
  await seedActiveCitizen(setup.deps.store, jose, EMAIL, PASSWORD, new Date('2026-11-20T10:00:00.000Z'));
  const client = mainClient(setup);
  await say(client, 'Ingresar');
  const menu = await say(client, { value: { __form: 'ingreso', tipoDocumento: jose.tipoDocumento, numeroDocumento: jose.numeroDocumento, clave: PASSWORD } });
  expect(menu.text).toContain('Mis datos'); // offered in the menu of a logged-in person
  return { setup, client };
}
const all = <N extends 'solicitudesDatos' | 'audit'>(setup: ReturnType<typeof dialogDeps>, name: N) =>
  setup.deps.store.transaction((tx) => tx.collection(name).list());

async function request(client: DialogTestClient, action: string, descripcion: string) {
  await say(client, 'Mis datos');
  const ask = await say(client, action);
  expect(ask.folded).toContain('describa brevemente su solicitud');
  expect((await say(client, descripcion)).folded).toContain('confirmar');
  return say(client, 'confirmar');
}

describe('Mis datos', () => {
  it('shows what the assistant holds: basic data, contact, account, authorization, roles, the audit; nothing secret', async () => {
    const { client } = await loggedIn();
    const reply = await say(client, 'Mis datos');
    expect(reply.text).toContain('70123456');
    expect(reply.folded).toContain('jose alejandro restrepo munoz');
    expect(reply.text).toContain('14/03/1968');
    expect(reply.text).toContain(EMAIL);
    expect(reply.text).toContain('3001234567');
    expect(reply.folded).toContain('estado activa');
    expect(reply.folded).toContain('antes de que el asistente pidiera la autorizacion'); // seeded without it
    expect(reply.folded).toContain('no tiene roles en empresas');
    expect(reply.folded).toContain('registro de auditoria');
    expect(reply.text).toContain('http://localhost:3978/privacidad');
    expect(reply.text).not.toMatch(/argon2|scrypt|Guayacan/);
    expect(reply.text).toMatch(/Solicitar corrección[\s\S]*Solicitar eliminación[\s\S]*Volver/);
  });

  it('names a role with its company and the NIT as the chat writes it everywhere (890.900.841-9)', async () => {
    const { setup, client } = await loggedIn();
    const registered = await registerEmployer(setup.deps, 'CC:70123456', registration({ delegado: DELEGADA_MARIA }), { ref: 'u-7a1b2c3d', channel: 'webchat' });
    expect(registered.ok).toBe(true);
    const reply = await say(client, 'Mis datos');
    expect(reply.text).toContain('(NIT 890.900.841-9)');
  });

  it('words that are none of its options are read as at the menu: another functionality starts; "ninguna" and "atrás" end at the menu', async () => {
    const { client } = await loggedIn();
    await say(client, 'Mis datos');
    const other = await say(client, 'quiero registrar mi empresa');
    expect(other.folded).not.toContain('elija una de las opciones');
    expect(other.folded).toContain('nit de la empresa');
    await say(client, 'cancelar');
    for (const text of ['ninguna', 'atras']) {
      await say(client, 'Mis datos');
      const menu = await say(client, text);
      expect(menu.folded, text).toContain('que desea hacer ahora');
      expect(menu.folded, text).not.toContain('no encontre');
    }
  });

  it('is found by what people call it, and asks to log in first', async () => {
    const client = mainClient();
    expect((await say(client, 'quiero borrar mis datos')).folded).toContain('para mis datos primero debe ingresar');
  });

  it('Solicitar corrección: a short description, then a case for the helpdesk, audited, acknowledged by e-mail', async () => {
    const { setup, client } = await loggedIn();
    const done = await request(client, 'Solicitar corrección', 'Mi celular cambió: ahora es 3109998877.');
    expect(done.folded).toContain('numero de caso');
    expect(done.text).toContain('j***@correo.com');
    const [solicitud] = await all(setup, 'solicitudesDatos');
    expect(solicitud).toMatchObject({ citizenId: 'CC:70123456', tipo: 'correccion', descripcion: 'Mi celular cambió: ahora es 3109998877.', estado: 'abierta' });
    expect((await all(setup, 'audit')).map((e) => e.action)).toContain('datos.solicitud_creada');
    expect(setup.mailer.sent.at(-1)).toMatchObject({ to: EMAIL, template: 'solicitud-datos', data: { tipo: 'correccion' } });
    // Mis datos then lists the request.
    expect((await say(client, 'Mis datos')).folded).toMatch(/sus solicitudes.*correccion abierta/s);
  });

  it('a sentence typed at the review rewrites the description, reviewed again before it is sent', async () => {
    const { setup, client } = await loggedIn();
    await say(client, 'Mis datos');
    await say(client, 'Solicitar corrección');
    expect((await say(client, 'mi celular')).text).toContain('mi celular');
    const again = await say(client, 'mi celular ahora es 3157778899');
    expect(again.text).toContain('mi celular ahora es 3157778899');
    expect(again.folded).not.toContain('escriba confirmar para continuar o corregir');
    await say(client, 'confirmar');
    const [solicitud] = await all(setup, 'solicitudesDatos');
    expect(solicitud).toMatchObject({ descripcion: 'mi celular ahora es 3157778899' });
  });

  it('each section after a list starts a paragraph of its own (a heading right under a list item reads as part of that item)', async () => {
    const { setup, client } = await loggedIn();
    await registerEmployer(setup.deps, 'CC:70123456', registration({ delegado: DELEGADA_MARIA }), { ref: 'u-7a1b2c3d', channel: 'webchat' });
    await request(client, 'Solicitar corrección', 'Mi celular cambió: ahora es 3109998877.');
    const text = (await say(client, 'Mis datos')).text;
    expect(text).toMatch(/\(NIT 890\.900\.841-9\)\n\n\*\*Sus solicitudes\*\*\n- Caso /);
  });

  it('Solicitar eliminación: explains what is kept, then the case is stored', async () => {
    const { setup, client } = await loggedIn();
    await say(client, 'Mis datos');
    expect((await say(client, 'Solicitar eliminación')).folded).toContain('se conserva el registro de auditoria');
    expect((await say(client, 'Ya no uso el servicio, borren mis datos.')).folded).toContain('confirmar');
    expect((await say(client, 'confirmar')).folded).toContain('eliminacion');
    expect(await all(setup, 'solicitudesDatos')).toEqual([expect.objectContaining({ tipo: 'eliminacion', estado: 'abierta' })]);
    expect(setup.mailer.sent.at(-1)).toMatchObject({ template: 'solicitud-datos', data: { tipo: 'eliminacion' } });
  });

  it('a description too short is asked again; Volver and cancelar store nothing', async () => {
    const { setup, client } = await loggedIn();
    await say(client, 'Mis datos');
    await say(client, 'Solicitar corrección');
    expect((await say(client, 'corto')).folded).toContain('al menos 10 caracteres');
    expect((await say(client, 'cancelar')).folded).toContain('que desea hacer');
    await say(client, 'Mis datos');
    expect((await say(client, 'Volver')).folded).toContain('que desea hacer');
    expect(await all(setup, 'solicitudesDatos')).toEqual([]);
  });

  it('ayuda at the choice explains it', async () => {
    const { client } = await loggedIn();
    await say(client, 'Mis datos');
    expect((await say(client, 'ayuda')).folded).toContain('ley 1581');
  });
});
