/**
 * Mesa de ayuda through HTTP, two conversations at once (the local Direct Line endpoint): a person
 * blocked by the identity questions asks for an agent; the agent, logged in as Mesa de ayuda in another
 * conversation, takes the case, sees the block and the step, lifts the block with a reason, talks with
 * the person through the assistant and closes the case; the person finishes the registration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { fakeClock } from '../domain/random.js';
import { fold } from '../domain/text.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { startApp, type TestApp } from './helpers/app.js';
import { loginChat, newChat, readOutbox, recipients, registerAndActivate } from './helpers/chat-people.js';
import type { DirectLineClient } from './helpers/directline-client.js';
import { rightAnswer } from './helpers/identity.js';
import { basicDataCard } from './helpers/people.js';

const agent = EXAMPLE_PERSONS.citizenCe; // Carlos, of the helpdesk
const person = EXAMPLE_PERSONS.rlComfama; // José, who cannot get past the identity questions
const PASSWORD = 'Clave-Mesa-2026';
// Tuesday 1 December 2026, 10:00 in Bogotá: the helpdesk is open.
const START = '2026-12-01T15:00:00.000Z';

/** A wrong option of the question on screen (any but the right one). */
function wrongAnswer(dl: DirectLineClient): number {
  const options = dl.lastButtons();
  const right = rightAnswer(person, defaultReferenceRegistry(), options);
  return right === 1 ? 2 : 1;
}

describe('journey: hablar con un asesor — the agent lifts an identity block through the chat', () => {
  const clock = fakeClock(START);
  const lines: string[] = [];
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ STAFF_MESA_AYUDA: 'CE:654321' }, { clock, log: createLogger('debug', {}, (l) => lines.push(l)) });
    await registerAndActivate(app.url, app.dataDir, agent, 'carlos.mesa@example.com', PASSWORD);
  });
  afterAll(() => app?.stop());

  it('person blocked → case → agent takes it, sees block and step, lifts it with a reason, messages both ways, closes → the person registers', async () => {
    // The agent logs in and acts as Mesa de ayuda (their conversation is remembered for notices).
    const desk = await newChat(app.url);
    await loginChat(desk, agent, PASSWORD, 'en que rol desea actuar');
    await desk.send('Mesa de ayuda');
    await desk.waitFor('Consultar persona o Caja');

    // José fails the identity questions three times: blocked.
    const jose = await newChat(app.url);
    await jose.converse([['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento']]);
    await jose.submit(basicDataCard(person));
    await jose.waitFor('revise sus datos');
    await jose.send('confirmar');
    let blocked = '';
    for (let round = 1; round <= 3 && !blocked; round++) {
      await jose.waitFor('pregunta 1 de 4');
      for (let q = 1; q <= 4; q++) {
        await jose.send(String(wrongAnswer(jose)));
        const next = await jose.waitFor(q < 4 ? `pregunta ${q + 1} de 4` : round < 3 ? 'intentarlo de nuevo' : 'bloque');
        if (q === 4 && round === 3) blocked = next;
      }
      if (round < 3) await jose.send('si');
    }
    expect(blocked).toContain('bloque');

    // He asks for an agent, as people write it.
    const opened = await (async () => {
      await jose.send('quiero hablar con un asesor');
      return jose.waitFor('abri el caso');
    })();
    const numero = /abri el caso (m-[a-z0-9]{6})/.exec(opened)?.[1]?.toUpperCase();
    expect(numero, opened).toMatch(/^M-[A-Z0-9]{6}$/);
    expect(opened).toContain('un asesor lo tomara en breve');
    // The agent hears about it in their conversation.
    const notice = await desk.waitFor(`nuevo caso ${numero}`);
    expect(notice).toContain('jose');
    expect(notice).toContain('registro ciudadano');

    // The agent takes it: the case card shows the block and where he is.
    await desk.send('casos en cola');
    await desk.waitFor(`tomar ${numero}`);
    await desk.send(`Tomar ${numero}`);
    const card = await desk.waitFor('bloqueo por preguntas de identidad');
    expect(card).toContain(`caso ${fold(numero!)}`);
    expect(card).toContain('ultimo paso en el chat registro ciudadano la pregunta de identidad 4 de 4');
    expect(card).toContain('ultimo error o repregunta bloqueado por las preguntas de identidad');
    expect(card).toContain('levantar bloqueo de identidad');
    expect(card).toContain('cc 70123456'); // the document of the case, in full for the agent
    const taken = await jose.waitFor('tomo su caso');
    expect(taken).toContain('carlos');

    // Messages both ways, through the assistant.
    await jose.send('no he podido registrarme, me bloquearon');
    await desk.waitFor('no he podido registrarme, me bloquearon');
    const casoId = (await app.store.transaction((tx) => tx.collection('casosMesa').list()))[0]!.id;
    await desk.submit({ __caso: 'levantar-bloqueo', caso: casoId });
    await desk.waitFor('cual es el motivo');
    await desk.send('ok'); // too short
    await desk.waitFor('entre 5 y 500 caracteres');
    await desk.send('La persona confirmó su identidad por teléfono');
    const lifted = await desk.waitFor('levante el bloqueo');
    expect(lifted).toContain('ya puede registrarse');
    await desk.send('Listo José, ya puede registrarse de nuevo.');
    await jose.waitFor('ya puede registrarse de nuevo');
    await desk.send('cerrar caso');
    await desk.waitFor(`cerro el caso ${fold(numero!)}`);
    await jose.waitFor('el asesor termino la conversacion');

    // Audited with the agent and the reason; the case is closed.
    const audit = await app.store.transaction((tx) => tx.collection('audit').list());
    const lift = audit.find((e) => e.action === 'mesa.bloqueo_identidad_levantado');
    expect(lift?.detail).toMatchObject({ motivo: 'La persona confirmó su identidad por teléfono', caso: numero });
    const casos = await app.store.transaction((tx) => tx.collection('casosMesa').list());
    expect(casos).toHaveLength(1);
    expect(casos[0]).toMatchObject({ numero, estado: 'cerrado', cerradoPor: 'asesor' });

    // José finishes the registration.
    await jose.converse([['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento']]);
    await jose.submit(basicDataCard(person));
    await jose.waitFor('revise sus datos');
    await jose.send('confirmar');
    await jose.waitFor('pregunta 1 de 4');
    for (let i = 2; i <= 5; i++) {
      await jose.send(String(rightAnswer(person, defaultReferenceRegistry(), jose.lastButtons())));
      await jose.waitFor(i <= 4 ? `pregunta ${i} de 4` : 'identidad quedo confirmada');
    }
    await jose.converse([
      ['jose.restrepo@example.com', 'escriba de nuevo'],
      ['jose.restrepo@example.com', 'celular'],
      ['3001234567', 'revise sus datos'],
      ['confirmar', 'pendiente de activacion'],
    ]);
    expect((await readOutbox(app.dataDir)).some((m) => recipients(m).includes('jose.restrepo@example.com'))).toBe(true);

    // No document number in the logs.
    expect(lines.join('\n')).not.toContain('70123456');
    expect(lines.join('\n')).not.toContain('654321');
  });
});

describe('journey: hablar con un asesor mid-form — two conversations at once, relayed both ways, back at the same field, no secret anywhere', () => {
  const clock = fakeClock(START);
  const lines: string[] = [];
  const PERSON_PASSWORD = 'Orquidea-Morada-2026';
  const TYPED_SECRET = 'Guacamaya.Azul-77';
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ STAFF_MESA_AYUDA: 'CE:654321' }, { clock, log: createLogger('debug', {}, (l) => lines.push(l)) });
    await registerAndActivate(app.url, app.dataDir, agent, 'carlos.mesa@example.com', PASSWORD);
    await registerAndActivate(app.url, app.dataDir, person, 'jose.restrepo@example.com', PERSON_PASSWORD);
  });
  afterAll(() => app?.stop());

  /** Every activity the Direct Line endpoint keeps for a conversation (the page's whole transcript). */
  async function transcript(dl: DirectLineClient): Promise<{ from: { role?: string }; type: string }[]> {
    const res = await fetch(`${app.url}/v3/directline/conversations/${dl.conversationId}/activities?watermark=`, { headers: dl.headers() });
    expect(res.status).toBe(200);
    return ((await res.json()) as { activities: { from: { role?: string }; type: string }[] }).activities;
  }

  it('José, at the razón social of his employer role, asks for an agent; Carlos answers him; José ends it and answers the same field', async () => {
    const desk = await newChat(app.url);
    await loginChat(desk, agent, PASSWORD, 'en que rol desea actuar');
    await desk.send('Mesa de ayuda');
    await desk.waitFor('Consultar persona o Caja');
    const deskSaw: string[] = [];

    const jose = await newChat(app.url);
    await loginChat(jose, person, PERSON_PASSWORD);
    await jose.converse([
      ['Registrar rol empleador persona jurídica', 'nit de la empresa'],
      ['890.900.841-9', 'razon social'],
    ]);
    await jose.send('¿Me comunica con un asesor?');
    const opened = await jose.waitFor('abri el caso');
    expect(opened).toContain('razon social'); // the same field asked again
    const numero = /abri el caso (m-[a-z0-9]{6})/.exec(opened)?.[1]?.toUpperCase();
    expect(numero, opened).toMatch(/^M-[A-Z0-9]{6}$/);
    deskSaw.push(await desk.waitFor(`nuevo caso ${numero}`));

    await desk.send(`Tomar ${numero}`);
    const card = await desk.waitFor('ultimo paso en el chat');
    deskSaw.push(card);
    expect(card).toMatch(/ultimo paso en el chat[^\n]*registrar rol empleador/);
    await jose.waitFor('tomo su caso');

    // Both ways, while each conversation goes on at once.
    await jose.send('No sé qué razón social poner');
    deskSaw.push(await desk.waitFor('no se que razon social poner'));
    await desk.send('Escríbala como aparece en el RUT, en mayúsculas');
    expect(await jose.waitFor('como aparece en el rut')).toContain('asesor de la mesa de ayuda');
    // A password inside a sentence never reaches the agent: the rest does, and José is told.
    await jose.send(`mi contraseña es ${TYPED_SECRET}`);
    expect(await jose.waitFor('sin la parte que parece una contrasena')).not.toContain(fold(TYPED_SECRET));
    deskSaw.push(await desk.waitFor('mi contrasena es [dato protegido omitido]'));
    // And a password alone is not sent at all.
    await jose.send(PERSON_PASSWORD);
    await jose.waitFor('no envie ese mensaje');
    await jose.send('Gracias, ya entendí');
    deskSaw.push(await desk.waitFor('gracias, ya entendi'));

    // José ends it: the agent is told; José is at the razón social again and his answer fills it.
    await jose.send('terminar conversación');
    const back = await jose.waitFor('termino la conversacion con la mesa de ayuda');
    expect(back).toContain('razon social');
    deskSaw.push(await desk.waitFor('termino la conversacion del caso'));
    await jose.send('CAJA DE COMPENSACION FAMILIAR DE ANTIOQUIA COMFAMA');
    expect(await jose.waitFor('naturaleza')).not.toContain('asesor');

    const casos = await app.store.transaction((tx) => tx.collection('casosMesa').list());
    expect(casos).toMatchObject([{ numero, estado: 'cerrado', cerradoPor: 'persona', proceso: 'rol-empleador' }]);
    expect(casos[0]!.mensajes.map((m) => `${m.de}: ${m.texto}`)).toEqual(
      expect.arrayContaining(['persona: No sé qué razón social poner', 'asesor: Escríbala como aparece en el RUT, en mayúsculas']),
    );

    // No secret in the case, the audit, what the agent's page received, the assistant's messages to José, nor the logs.
    const audit = await app.store.transaction((tx) => tx.collection('audit').list());
    const deskPage = JSON.stringify(await transcript(desk));
    const toJose = JSON.stringify((await transcript(jose)).filter((a) => a.from.role !== 'user'));
    for (const secret of [TYPED_SECRET, PERSON_PASSWORD, PASSWORD]) {
      for (const [where, text] of [['case', JSON.stringify(casos)], ['audit', JSON.stringify(audit)], ['agent page', deskPage + deskSaw.join('\n')], ['assistant to José', toJose], ['logs', lines.join('\n')]] as const) {
        expect(text.includes(secret) || fold(text).includes(fold(secret)), `${where} holds a secret`).toBe(false);
      }
    }
  });
});
