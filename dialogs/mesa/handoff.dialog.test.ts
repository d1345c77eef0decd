/**
 * "Hablar con un asesor" at dialog level, with two chats over the same deps (the person's and the
 * agent's, each with its own conversation): the case opened mid-form with its process and step and the
 * form asked again (nothing lost), the agents told, an agent takes it, messages relayed both ways (a
 * password-like text never), either side ends it and the person is back at the same field; cancelling
 * in the queue, asking twice, outside the helpdesk's hours, no agent reached, the agent's "menú" in a
 * case, no secret in the case's messages, and a person in a case never reaching the agent's tools.
 */
import type { Activity } from 'botbuilder';
import type { DialogTestClient } from 'botbuilder-testing';
import { describe, expect, it } from 'vitest';
import type { ReferencePerson } from '../../domain/reference.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps } from '../../test/helpers/dialog-deps.js';
import { asHelpdesk, casesOf, chatClient, conversationIdOf, deliveredTo, loginAs, type MesaSetup } from '../../test/helpers/mesa.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say, toReply, type Reply } from '../../test/helpers/transcript.js';

// Tuesday 1 December 2026, 10:00 in Bogotá: the helpdesk is open.
const START = '2026-12-01T15:00:00.000Z';
// Sunday 6 December 2026, 10:00 in Bogotá: closed.
const SUNDAY = '2026-12-06T15:00:00.000Z';
const PASSWORD = 'Guayacan-Florido-2026';
const { citizenCe: carlos, rlComfama: jose } = EXAMPLE_PERSONS;
const id = (p: ReferencePerson) => `${p.tipoDocumento}:${p.numeroDocumento}`;
const CARLOS = id(carlos);

const NUMBER_Q = 'cual es el numero de su documento';
const OPENED = 'abri el caso';

type World = MesaSetup & { agent: DialogTestClient; person: DialogTestClient };

/** Carlos (Mesa de ayuda) and José have accounts; Carlos is logged in as Mesa de ayuda unless `agentOnline: false`. */
async function world(opts: { start?: string; agentOnline?: boolean } = {}): Promise<World> {
  const s = dialogDeps(opts.start ?? START, 7, { helpdesk: [CARLOS] });
  await seedActiveCitizen(s.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD, s.clock.now());
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, s.clock.now());
  const agent = chatClient(s, 'asesor');
  if (opts.agentOnline !== false) expect((await asHelpdesk(agent, carlos, PASSWORD)).folded).toContain(fold('Consultar persona o Caja'));
  return { ...s, agent, person: chatClient(s, 'persona') };
}

/** The person starts the registration and stops at the number of their document. */
async function atNumberField(w: World): Promise<void> {
  await say(w.person, 'Registrarme');
  expect((await say(w.person, 'Acepto')).folded).toContain('tipo de documento');
  expect((await say(w.person, 'CC')).folded).toContain(NUMBER_Q);
}

const caseNumber = (r: Reply): string => {
  const m = /caso \*\*(M-[0-9A-Z]{6})\*\*/.exec(r.text);
  expect(m, r.text).not.toBeNull();
  return m![1]!;
};

/** The agent takes the only case in the queue; returns the reply with the case card. */
async function take(w: World, numero: string): Promise<Reply> {
  const queue = await say(w.agent, 'casos en cola');
  expect(queue.text).toContain(numero);
  const taken = await say(w.agent, `Tomar ${numero}`);
  expect(taken.folded).toContain(fold(`tomo el caso ${numero}`));
  return taken;
}

/** Opens a case at the number field and has the agent take it; returns the case number. */
async function openAndTake(w: World): Promise<string> {
  await atNumberField(w);
  const numero = caseNumber(await say(w.person, 'hablar con un asesor'));
  await take(w, numero);
  return numero;
}

/** Every activity (events too) of one turn. */
async function rawTurn(client: DialogTestClient, text: string): Promise<Partial<Activity>[]> {
  const first = await client.sendActivity(text);
  const out: Partial<Activity>[] = first ? [first] : [];
  for (let next = client.getNextReply(); next; next = client.getNextReply()) out.push(next);
  return out;
}

const auditOf = (w: World) => w.deps.store.transaction((tx) => tx.collection('audit').list());

// ------------------------------------------------------------------------------ opening a case

describe('hablar con un asesor mid-form', () => {
  it('opens a case with the process and the step, tells the agents, emits handoff.initiate, and asks the same field again', async () => {
    const w = await world();
    await atNumberField(w);
    const activities = await rawTurn(w.person, 'quiero hablar con un asesor');
    const initiate = activities.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    expect(initiate).toBeDefined();
    const reply = toReply(activities.filter((a) => a.type === 'message'));
    expect(reply.folded).toContain(OPENED);
    expect(reply.folded).toContain('un asesor lo tomara en breve');
    // The helpdesk's hours from the manual, also when it is open.
    expect(reply.folded).toContain(fold('lunes a viernes de 7:00 a. m. a 6:00 p. m.'));
    expect(reply.folded).toContain(fold('sábados de 8:00 a. m. a 1:00 p. m.'));
    expect(reply.folded).toContain('nada de lo que lleva se pierde');
    expect(reply.folded).toContain(NUMBER_Q); // the form asked again
    const numero = caseNumber(reply);
    const [caso] = await casesOf(w);
    expect(caso).toMatchObject({ numero, estado: 'en_cola', proceso: 'registro', paso: expect.stringMatching(/n[uú]mero de documento/i) });
    expect(w.notifier.notices).toEqual([{ citizenId: CARLOS, text: expect.stringContaining(numero) }]);
    expect(fold(w.notifier.notices[0]!.text)).toContain('registro ciudadano');
    expect((await auditOf(w)).some((e) => e.action === 'mesa.caso_abierto')).toBe(true);
    // Nothing lost: the next answer fills the number.
    expect((await say(w.person, '1036612345')).folded).toContain('primer nombre');
  });

  it('asking twice gives the same case', async () => {
    const w = await world();
    await atNumberField(w);
    const numero = caseNumber(await say(w.person, 'hablar con un asesor'));
    const again = await say(w.person, 'necesito un asesor');
    expect(again.folded).toContain('ya esta en cola');
    expect(again.text).toContain(numero);
    expect(again.folded).toContain(NUMBER_Q);
    expect(await casesOf(w)).toHaveLength(1);
    expect(w.notifier.notices).toHaveLength(1);
  });

  it('"cancelar solicitud" while in the queue cancels the case; the person is still at the same field', async () => {
    const w = await world();
    await atNumberField(w);
    const numero = caseNumber(await say(w.person, 'hablar con un asesor'));
    const cancelled = await say(w.person, 'cancelar solicitud');
    expect(cancelled.folded).toContain(fold(`cancele su solicitud (caso ${numero})`));
    expect(cancelled.folded).toContain(NUMBER_Q);
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'cerrado', cerradoPor: 'persona' });
    expect((await say(w.agent, 'casos en cola')).folded).toContain('no hay casos en cola');
    expect((await say(w.person, '1036612345')).folded).toContain('primer nombre');
  });

  it('outside the helpdesk hours (a Sunday): the person is told the hours, the case waits and is marked for e-mail', async () => {
    const w = await world({ start: SUNDAY });
    expect((await loginAs(w.person, jose, PASSWORD)).folded).toContain(fold('ingresó correctamente'));
    const reply = await say(w.person, 'hablar con un asesor');
    expect(reply.folded).toContain(OPENED);
    expect(reply.folded).toContain(fold('lunes a viernes de 7:00 a. m. a 6:00 p. m.'));
    expect(reply.folded).toContain(fold('sábados de 8:00 a. m. a 1:00 p. m.'));
    expect(reply.folded).toContain('ahora esta cerrada');
    expect(reply.text).toContain('j***@correo.com'); // told they will be e-mailed
    expect(reply.folded).not.toContain('no tengo un correo');
    expect(reply.folded).not.toContain('lo tomara en breve');
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'en_cola', avisarPorCorreo: true });
    // When an agent takes it on Monday, the person is e-mailed.
    w.clock.set('2026-12-07T13:00:00.000Z');
    const numero = (await casesOf(w))[0]!.numero;
    const monday = chatClient(w, 'asesor-lunes');
    await asHelpdesk(monday, carlos, PASSWORD);
    await take({ ...w, agent: monday }, numero);
    expect(w.mailer.sent.at(-1)).toMatchObject({ to: 'jose.restrepo@correo.com', template: 'caso-atendido' });
  });

  it("taken while the person's chat cannot be reached: the person is e-mailed (as agents are), and the agent is told so", async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    const numero = caseNumber(await say(joseChat, 'hablar con un asesor'));
    expect((await casesOf(w))[0]).toMatchObject({ avisarPorCorreo: false });
    const deliver = w.notifier.deliver;
    w.notifier.deliver = async () => false;
    try {
      const taken = await take(w, numero);
      expect(taken.folded).toContain('no pude avisarle en su chat');
      expect(taken.text).toContain('j***@correo.com');
    } finally {
      w.notifier.deliver = deliver;
    }
    expect(w.mailer.sent.filter((m) => m.template === 'caso-atendido')).toMatchObject([{ to: 'jose.restrepo@correo.com', data: { numero } }]);
  });

  it('no agent reached (nobody of the helpdesk in the chat): the person is told, the case waits and is marked for e-mail', async () => {
    const w = await world({ agentOnline: false });
    await atNumberField(w);
    const reply = await say(w.person, 'hablar con un asesor');
    expect(reply.folded).toContain(OPENED);
    expect(reply.folded).toContain('no hay asesores conectados');
    expect(reply.folded).toContain(fold('lunes a viernes de 7:00 a. m. a 6:00 p. m.'));
    // Not logged in: no address to e-mail, and the person is told so instead of waiting for a mail that cannot come.
    expect(reply.folded).toContain('no tengo un correo para avisarle');
    expect(reply.folded).toContain('le aviso en este chat');
    expect(reply.folded).toContain(NUMBER_Q);
    expect(w.notifier.notices).toEqual([]);
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'en_cola', avisarPorCorreo: true });
    // An agent who comes later learns at the menu that someone waits; none once it is taken.
    const late = await asHelpdesk(w.agent, carlos, PASSWORD);
    expect(late.folded).toContain(fold('Hay 1 caso esperando en Casos en cola.'));
    await say(w.agent, 'Casos en cola');
    await say(w.agent, 'tomar');
    await say(w.agent, 'cerrar caso');
    expect((await say(w.agent, 'menú')).folded).not.toContain('esperando');
  });
});

// ------------------------------------------------------------------------------ the conversation

describe('the agent takes the case: messages relayed both ways', () => {
  it('"tomar M-…" typed at the helpdesk menu, as the notice reads, takes the case; an unknown number is said plainly; in a case it is a message for the person', async () => {
    const w = await world();
    await atNumberField(w);
    const numero = caseNumber(await say(w.person, 'hablar con un asesor'));
    expect(fold(w.notifier.notices[0]!.text)).toContain(fold(`tomar ${numero}`));
    const wrong = await say(w.agent, 'tomar M-2222ZZ');
    expect(wrong.folded).not.toContain('esto es lo que encontre');
    expect(wrong.folded).toMatch(/no (existe|encontre)/);
    const taken = await say(w.agent, `tomar ${numero.toLowerCase()}`);
    expect(taken.folded).toContain(fold(`tomo el caso ${numero}`));
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'atendido', agenteId: CARLOS });
    const mark = w.notifier.delivered.length;
    await say(w.agent, `tomar ${numero}`);
    expect(deliveredTo(w, 'persona', mark).text).toContain(`tomar ${numero}`);
  });

  it('the person hears it was taken; texts go both ways through the assistant; the case card shows the step and the last messages', async () => {
    const w = await world();
    await atNumberField(w);
    const numero = caseNumber(await say(w.person, 'hablar con un asesor'));
    const card = await take(w, numero);
    expect(card.folded).toContain('registro ciudadano');
    expect(card.folded).toContain('numero de documento');
    expect(card.folded).toContain('ultimos mensajes');
    const taken = deliveredTo(w, 'persona');
    expect(taken.folded).toContain(fold(`tomo su caso ${numero}`));
    expect(taken.folded).toContain('carlos');
    expect(taken.folded).toContain('terminar conversacion');
    expect(taken.folded).toContain(fold('Lo que escriba ahora le llega a Carlos Briceño.'));
    const accepted = w.notifier.delivered.flatMap((d) => d.activities).find((a) => a.type === 'event' && a.name === 'handoff.status');
    expect(accepted?.value).toMatchObject({ state: 'accepted' });

    const mark = w.notifier.delivered.length;
    const sent = await say(w.person, 'No sé si poner los puntos de la cédula');
    expect(sent.folded).not.toContain('no pude entregar');
    expect(sent.folded).not.toContain(NUMBER_Q); // the form waits: this was for the agent
    expect(deliveredTo(w, 'asesor', mark).text).toContain('No sé si poner los puntos de la cédula');
    expect(deliveredTo(w, 'persona', mark).text).toBe('');

    const mark2 = w.notifier.delivered.length;
    const answer = await say(w.agent, 'Escríbalo sin puntos, solo los números');
    expect(answer.text).toBe('');
    expect(deliveredTo(w, 'persona', mark2).text).toContain('Escríbalo sin puntos, solo los números');
    expect(deliveredTo(w, 'persona', mark2).folded).toContain('asesor');

    const caso = (await casesOf(w))[0]!;
    expect(caso.mensajes.map((m) => `${m.de}: ${m.texto}`)).toEqual(
      expect.arrayContaining(['persona: No sé si poner los puntos de la cédula', 'asesor: Escríbalo sin puntos, solo los números']),
    );
    expect(conversationIdOf('persona')).not.toBe(conversationIdOf('asesor'));
  });

  it('a password-like text of the person is not relayed nor kept in the case', async () => {
    const w = await world();
    await openAndTake(w);
    const mark = w.notifier.delivered.length;
    const reply = await say(w.person, 'Tulipan.Rojo-2026');
    expect(reply.folded).toContain('parece una contrasena');
    expect(w.notifier.delivered.slice(mark)).toEqual([]);
    const caso = (await casesOf(w))[0]!;
    expect(JSON.stringify(caso)).not.toContain('Tulipan.Rojo-2026');
  });

  // A password inside a sentence ("mi clave es …") was kept out of the case but relayed as typed.
  it('a password inside a sentence reaches the other side as "[dato protegido omitido]", both ways, and the writer is told', async () => {
    const w = await world();
    await openAndTake(w);
    let mark = w.notifier.delivered.length;
    const told = await say(w.person, 'mi clave es Ceiba.Roja-2026 y no me deja entrar');
    expect(told.folded).toContain('sin la parte que parece una contrasena');
    const toAgent = deliveredTo(w, 'asesor', mark).text;
    expect(toAgent).toContain('[dato protegido omitido] y no me deja entrar');
    expect(toAgent).not.toContain('Ceiba.Roja-2026');
    mark = w.notifier.delivered.length;
    const agentTold = await say(w.agent, 'pruebe con la contraseña: Samán.Verde-2026 por favor');
    expect(agentTold.folded).toContain('sin la parte que parece una contrasena');
    const toPerson = deliveredTo(w, 'persona', mark).text;
    expect(toPerson).toContain('[dato protegido omitido]');
    expect(toPerson).not.toContain('Samán.Verde-2026');
    expect(JSON.stringify(await casesOf(w))).not.toMatch(/Ceiba\.Roja|Samán\.Verde/);
  });

  it('the queue card\'s "Cancelar solicitud", tapped once an agent has the case, does not end the conversation: it says how', async () => {
    const w = await world();
    const numero = await openAndTake(w);
    const mark = w.notifier.delivered.length;
    const stale = await say(w.person, 'Cancelar solicitud');
    expect(stale.folded).toContain(fold(`Su solicitud ya la atiende`));
    expect(stale.folded).toContain(fold(`(caso ${numero}): escriba aquí su mensaje. Si ya no necesita ayuda, escriba terminar conversación`));
    expect((await casesOf(w))[0]).toMatchObject({ estado: expect.not.stringMatching(/cerrado/) });
    expect(w.notifier.delivered.slice(mark)).toEqual([]); // neither relayed to the agent nor announced as an end
  });

  it('"terminar conversación": the case closes, the agent is told, the person is back at the same field and the next answer fills it', async () => {
    const w = await world();
    const numero = await openAndTake(w);
    const mark = w.notifier.delivered.length;
    const ended = await say(w.person, 'terminar conversación');
    expect(ended.folded).toContain(fold(`termino la conversacion con la mesa de ayuda (caso ${numero})`));
    expect(ended.folded).toContain(NUMBER_Q);
    expect(deliveredTo(w, 'asesor', mark).folded).toContain('termino la conversacion');
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'cerrado', cerradoPor: 'persona' });
    expect((await say(w.person, '1036612345')).folded).toContain('primer nombre');
    // The agent's next message is not relayed: the case is over.
    const mark2 = w.notifier.delivered.length;
    expect((await say(w.agent, 'Hola, ¿sigue ahí?')).folded).toContain('ya termino');
    expect(w.notifier.delivered.slice(mark2)).toEqual([]);
  });

  it('the agent ends it with "cerrar caso": the person is told and continues at the same field; Mis casos lists the case', async () => {
    const w = await world();
    const numero = await openAndTake(w);
    const mark = w.notifier.delivered.length;
    const closed = await say(w.agent, 'cerrar caso');
    expect(closed.folded).toContain(fold(`cerro el caso ${numero}`));
    expect(closed.folded).toContain('mesa de ayuda'); // back at the helpdesk menu
    const told = deliveredTo(w, 'persona', mark);
    expect(told.folded).toContain('el asesor termino la conversacion');
    expect(told.folded).toContain('puede seguir con su tramite donde iba');
    expect(w.notifier.delivered.slice(mark).flatMap((d) => d.activities).some((a) => a.type === 'event' && (a.value as { state?: string }).state === 'completed')).toBe(true);
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'cerrado', cerradoPor: 'asesor' });
    const next = await say(w.person, '1036612345');
    expect(next.folded).toContain('primer nombre');
    expect(next.folded).not.toContain('asesor');
    const mine = await say(w.agent, 'Mis casos');
    expect(mine.text).toContain(numero);
    expect(mine.folded).toContain('cerrado');
    expect(mine.folded).toContain('tomo el caso');
    expect(mine.folded).toContain('cerro el caso');
    // The person never gave their document: the actions name them in the template's words, not by a code.
    expect(mine.text).toContain('Persona sin identificar');
    expect(mine.text).not.toContain('sin-identificar');
  });

  // A person who asked at the menu (no question of a process waiting) was told "escriba su respuesta cuando
  // quiera" when the agent closed: an answer to nothing. Screenshot /tmp/mesa-17-persona-cerrado.png.
  it('the agent ends a case asked for at the menu: the person is not told to answer a question, but what they can do', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    const opened = await say(joseChat, 'hablar con un asesor');
    // At the menu there is no process to go on with.
    expect(opened.folded).toContain('mientras tanto puede seguir usando el asistente el asesor le escribira en este chat');
    expect(opened.folded).not.toContain('su tramite');
    const numero = caseNumber(opened);
    const before = w.notifier.delivered.length;
    await take(w, numero);
    expect(deliveredTo(w, 'jose', before).folded).not.toContain('donde iba');
    const mark = w.notifier.delivered.length;
    await say(w.agent, 'cerrar caso');
    const told = deliveredTo(w, 'jose', mark);
    expect(told.folded).toContain('el asesor termino la conversacion');
    expect(told.folded).not.toContain('donde iba');
    expect(told.folded).not.toContain('escriba su respuesta');
    expect(told.folded).toContain('que desea hacer ahora');
  });

  it('a person who starts a process while the case waits is told to go on with it when the agent ends the case', async () => {
    const w = await world();
    const numero = caseNumber(await say(w.person, 'hablar con un asesor'));
    expect((await casesOf(w))[0]).toMatchObject({ personaEnTramite: false });
    await say(w.person, 'Registrarme');
    await say(w.person, 'Acepto');
    expect((await say(w.person, 'CC')).folded).toContain(NUMBER_Q);
    expect((await casesOf(w))[0]).toMatchObject({ personaEnTramite: true });
    const before = w.notifier.delivered.length;
    await take(w, numero);
    expect(deliveredTo(w, 'persona', before).folded).toContain('volvera a su tramite donde iba');
    const mark = w.notifier.delivered.length;
    await say(w.agent, 'cerrar caso');
    expect(deliveredTo(w, 'persona', mark).folded).toContain('puede seguir con su tramite donde iba');
    expect((await say(w.person, '1036612345')).folded).toContain('primer nombre');
  });

  it('the agent typing "menú" in a case is told to close it first; nothing reaches the person', async () => {
    const w = await world();
    const numero = await openAndTake(w);
    for (const word of ['menú', 'cancelar', 'salir']) {
      const mark = w.notifier.delivered.length;
      const reply = await say(w.agent, word);
      expect(reply.folded, word).toContain(fold(`esta atendiendo el caso ${numero}`));
      expect(reply.folded, word).toContain('cerrar caso');
      expect(w.notifier.delivered.slice(mark), word).toEqual([]);
    }
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'atendido' });
  });

  it('an action from the case card asks a reason and is audited with the case number; "nada que levantar" said plainly', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    const numero = caseNumber(await say(joseChat, 'hablar con un asesor'));
    const card = await take(w, numero);
    expect(card.text).toContain('CC 70123456');
    expect(card.folded).toContain('reenviar enlace de recuperacion');
    const caso = (await casesOf(w))[0]!.id;
    const ask = await say(w.agent, { value: { __caso: 'reenviar-recuperacion', caso } });
    expect(ask.folded).toContain('cual es el motivo');
    const mark = w.notifier.delivered.length;
    expect((await say(w.agent, 'ok')).folded).toContain('entre 5 y 500 caracteres');
    const done = await say(w.agent, 'No recuerda su contraseña');
    expect(done.folded).toContain('envie un nuevo enlace de recuperacion');
    expect(w.notifier.delivered.slice(mark)).toEqual([]); // the reason never reaches the person
    expect((await auditOf(w)).find((e) => e.action === 'mesa.recuperacion_reenviada')?.detail).toMatchObject({ motivo: 'No recuerda su contraseña', caso: numero });
    // A button of another case's card is not applied to this one.
    expect((await say(w.agent, { value: { __caso: 'levantar-bloqueo', caso: 'otro-caso' } })).folded).toContain('esa tarjeta es de antes');
    // A forged "levantar bloqueo" for José, who has no block.
    await say(w.agent, { value: { __caso: 'levantar-bloqueo', caso } });
    expect((await say(w.agent, 'Dice que está bloqueado')).folded).toContain('no hay nada que levantar');
    const mine = await say(w.agent, 'cerrar caso');
    expect(mine.folded).toContain('cerro el caso');
    const list = await say(w.agent, 'Mis casos');
    expect(list.text).toContain('No recuerda su contraseña');
    expect(list.text).toContain(`(caso ${numero})`);
  });

  it('a person the chat does not know: "Identificar a la persona" takes the document they gave the agent (never relayed), the card then shows them and their actions', async () => {
    const w = await world();
    const numero = await openAndTake(w);
    const caso = (await casesOf(w))[0]!.id;
    const mark = w.notifier.delivered.length;
    const card = await say(w.agent, 'ver caso');
    expect(card.folded).toContain('identificar a la persona');
    expect(card.folded).not.toContain('otra conversacion');
    const ask = await say(w.agent, { value: { __caso: 'identificar', caso } });
    expect(ask.folded).toContain(fold('¿Cuál es el documento que le dio la persona?'));
    expect((await say(w.agent, 'setenta millones')).folded).toContain(fold('Escriba el tipo y el número del documento'));
    // A number nobody has: said plainly, asked again.
    const unknown = await say(w.agent, 'CC 99999999');
    expect(unknown.folded).toContain('no encontre a ninguna persona con ese documento');
    expect(unknown.folded).toContain(fold('Escriba el tipo y el número del documento'));
    const named = await say(w.agent, 'c.c. 70.123.456');
    expect(named.folded).toContain(fold(`el caso ${numero} queda a nombre de`));
    expect(named.folded).toContain('jose');
    expect(named.text).toContain('CC 70123456');
    expect(named.folded).toContain('reenviar enlace de recuperacion');
    expect(named.folded).not.toContain('identificar a la persona');
    // Nothing of this reached the person.
    expect(deliveredTo(w, 'persona', mark).text).toBe('');
    expect((await casesOf(w))[0]!.persona).toMatchObject({ id: 'CC:70123456' });
    expect((await auditOf(w)).filter((e) => e.action === 'mesa.caso_identificado').map((e) => e.subject)).toEqual(['CC *****456']);
    // The person's next message reaches the agent under their name; the agent's, the person, as before.
    const mark2 = w.notifier.delivered.length;
    await say(w.person, 'gracias, ya le di mi cédula');
    expect(deliveredTo(w, 'asesor', mark2).folded).toContain(fold('José'));
    expect(deliveredTo(w, 'asesor', mark2).folded).not.toContain('persona sin identificar');
    expect((await say(w.agent, 'Ya la veo en el sistema')).text).toBe('');
    expect(deliveredTo(w, 'persona', mark2).text).toContain('Ya la veo en el sistema');
    // Another document once named is refused, and not relayed either.
    const other = await say(w.agent, 'identificar CC 1036612345');
    expect(other.folded).toContain('este caso ya esta a nombre de otra persona');
    expect(deliveredTo(w, 'persona', mark2).text).not.toContain('1036612345');
    // Someone else consulted from the case: shown to the agent only.
    const maria = await say(w.agent, 'consultar cc 1036612345');
    expect(maria.text).toContain('CC 1036612345');
    expect(maria.folded).toContain(fold('Esta consulta no le llega a la persona del caso'));
    expect(deliveredTo(w, 'persona', mark2).text).not.toContain('1036612345');
    expect((await casesOf(w))[0]!.persona).toMatchObject({ id: 'CC:70123456' }); // still José's case
    // A button typed by its title acts: "reenviar enlace" is the recovery link, the one José's active account allows.
    const mark3 = w.notifier.delivered.length;
    expect((await say(w.agent, 'reenviar enlace')).folded).toContain(fold('¿Cuál es el motivo para **Reenviar enlace de recuperación**?'));
    expect((await say(w.agent, 'No le llegó el correo de activación')).folded).toContain('envie un nuevo enlace de recuperacion');
    expect(deliveredTo(w, 'persona', mark3).text).toBe('');
  });

  it('a button of the case card typed by its whole title acts on the case instead of reaching the person', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    await say(joseChat, 'hablar con un asesor');
    const mark = w.notifier.delivered.length;
    expect((await say(w.agent, 'Casos en cola')).folded).toContain('tomar');
    await say(w.agent, 'tomar');
    expect((await say(w.agent, 'reenviar enlace de recuperacion')).folded).toContain('cual es el motivo');
    expect((await say(w.agent, 'Pidió el enlace otra vez')).folded).toContain('envie un nuevo enlace de recuperacion');
    expect((await say(w.agent, 'Levantar bloqueo de identidad')).folded).toContain('cual es el motivo');
    expect((await say(w.agent, 'Dice que está bloqueado')).folded).toContain('no hay nada que levantar');
    expect(deliveredTo(w, 'jose', mark).text).not.toContain('reenviar');
    expect(deliveredTo(w, 'jose', mark).text).not.toContain('bloque');
    // A sentence that only starts like a button is a message.
    expect((await say(w.agent, 'Reenviar enlace de recuperación es lo que hice, revise su correo')).text).toBe('');
    expect(deliveredTo(w, 'jose', mark).text).toContain('revise su correo');
  });

  it('only the number ("70.123.456") names the one person with it, whatever the type; a number nobody has is asked again', async () => {
    const w = await world();
    await openAndTake(w);
    await say(w.agent, 'identificar');
    const nobody = await say(w.agent, '99999999');
    expect(nobody.folded).toContain('no encontre a ninguna persona con ese documento');
    const named = await say(w.agent, '70.123.456');
    expect(named.folded).toContain('queda a nombre de');
    // Typed at once too, and never relayed.
    expect((await say(w.agent, 'identificar 70123456')).folded).toContain(fold('Esto es lo que veo de su avance'));
    expect(named.text).toContain('CC 70123456');
    expect((await casesOf(w))[0]!.persona).toMatchObject({ id: 'CC:70123456' });
  });

  it('a number two people have (a CC and a passport): the type is asked, nothing is named', async () => {
    const w = await world();
    await seedActiveCitizen(w.deps.store, { ...carlos, tipoDocumento: 'PA', numeroDocumento: '70123456' }, 'otra.persona@correo.com', PASSWORD, w.clock.now());
    await openAndTake(w);
    await say(w.agent, 'identificar');
    expect((await say(w.agent, '70123456')).folded).toContain(fold('Hay más de una persona con el número 70123456: escriba también el tipo de documento, por ejemplo CC 70123456'));
    expect((await casesOf(w))[0]!.persona).toEqual({});
    expect((await say(w.agent, 'pasaporte 70123456')).folded).toContain('queda a nombre de');
    expect((await casesOf(w))[0]!.persona).toMatchObject({ id: 'PA:70123456' });
  });

  it('"identificar CC 70123456" typed in a case names the person at once; "identificar" alone asks; atrás drops it and what follows is relayed again', async () => {
    const w = await world();
    await openAndTake(w);
    const mark = w.notifier.delivered.length;
    // An action before the person is named says so (it is no message for the person).
    expect((await say(w.agent, 'reenviar enlace')).folded).toContain('aun no ha dado su documento');
    expect((await say(w.agent, 'identificar')).folded).toContain(fold('¿Cuál es el documento que le dio la persona?'));
    expect((await say(w.agent, 'ayuda')).folded).toContain(fold('¿Cuál es el documento que le dio la persona?'));
    expect((await say(w.agent, 'ver caso')).folded).toContain('identificar a la persona'); // the card, the question still open
    const seen = await say(w.agent, 'estado');
    expect(seen.folded).toContain('identificar a la persona'); // the card, the question still open
    expect(seen.folded.lastIndexOf(fold('¿Cuál es el documento que le dio la persona?'))).toBeGreaterThan(seen.folded.indexOf('identificar a la persona'));
    expect((await say(w.agent, 'atrás')).folded).toContain(fold('no identifiqué a la persona'));
    expect((await say(w.agent, 'identifique su cédula, por favor')).text).toBe(''); // a message for the person
    expect(deliveredTo(w, 'persona', mark).text).toContain('identifique su cédula, por favor');
    const named = await say(w.agent, 'identificar a la persona cc 70123456');
    expect(named.folded).toContain('queda a nombre de');
    expect(named.text).toContain('CC 70123456');
    expect(deliveredTo(w, 'persona', mark).text).not.toContain('70123456');
    expect(deliveredTo(w, 'persona', mark).text).not.toContain('reenviar');
  });

  // FIXED BUG: a forged action for a person without a known document threw after the reason; the
  // buttons now carry the case id and an action needs the person's document.
  it('an action for a person the chat does not know (no document) is refused plainly, not a fault', async () => {
    const w = await world();
    await openAndTake(w);
    const caso = (await casesOf(w))[0]!.id;
    const reply = await say(w.agent, { value: { __caso: 'levantar-bloqueo', caso } });
    expect(reply.folded).toContain('aun no ha dado su documento');
    expect((await say(w.agent, 'Confirmó sus datos por teléfono')).folded).not.toContain('motivo');
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'atendido' });
  });
});

// ------------------------------------------------------------------------------ the session in a case

describe('an idle session ends in a case as anywhere else', () => {
  const EXPIRED = 'su sesion se cerro por inactividad';

  it('the person (logged in) idle past the limit hears their session ended; their message still reaches the agent', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    const misDatos = await say(joseChat, 'Mis datos'); // a process that needs the session, waiting at its prompt
    const numero = caseNumber(await say(joseChat, 'hablar con un asesor'));
    await take(w, numero);
    w.clock.advance(31 * 60_000);
    const mark = w.notifier.delivered.length;
    const reply = await say(joseChat, '¿Sigue ahí?');
    expect(reply.folded).toContain(EXPIRED);
    expect(deliveredTo(w, 'asesor', mark).text).toContain('¿Sigue ahí?');
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'atendido' });
    // The process that needed the session is over: ending the conversation leads to the menu, not back to it.
    const ended = await say(joseChat, 'terminar conversación');
    expect(ended.folded).toContain(fold(`termino la conversacion con la mesa de ayuda (caso ${numero})`));
    expect(ended.folded).toContain('ingresar');
    expect(ended.text).not.toContain(misDatos.text);
  });

  it('a person active in the relay keeps their session (each message counts as activity)', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    const numero = caseNumber(await say(joseChat, 'hablar con un asesor'));
    await take(w, numero);
    for (let i = 0; i < 3; i++) {
      w.clock.advance(20 * 60_000);
      await say(w.agent, `Mensaje ${i} del asesor`);
      expect((await say(joseChat, `Respuesta ${i}`)).folded).not.toContain(EXPIRED);
    }
  });

  it('the agent idle past the limit in a case hears their session ended (no fault); after logging in again as Mesa de ayuda they are back in the case', async () => {
    const w = await world();
    const numero = await openAndTake(w);
    w.clock.advance(31 * 60_000);
    const mark = w.notifier.delivered.length;
    const reply = await say(w.agent, 'Hola, ¿me escucha?');
    expect(reply.folded).toContain(EXPIRED);
    expect(w.notifier.delivered.slice(mark)).toEqual([]); // not sent on behalf of a closed session
    expect((await casesOf(w))[0]).toMatchObject({ estado: 'atendido' });
    await asHelpdesk(w.agent, carlos, PASSWORD);
    const back = await say(w.agent, 'ver caso');
    expect(back.folded).toContain(fold(`caso ${numero}`));
  });
});

// ------------------------------------------------------------------------------ secrets and tools

describe('no secret in a case, no agent tool for the person', () => {
  it('the stuck-step record of a person typing in a form holds the step and the reason code, none of what they typed', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    expect((await say(joseChat, 'Registrar rol empleador persona jurídica')).folded).toContain('nit de la empresa');
    const typed = ['86OO7336X', 'Gualanday-Rosado-2026'];
    for (const t of typed) await say(joseChat, t);
    const record = await w.deps.store.transaction((tx) => tx.collection('progreso').get(id(jose)));
    expect(record).toMatchObject({ proceso: 'rol-empleador', paso: expect.stringMatching(/nit/i), error: { codigo: expect.stringMatching(/^[a-z-]+\.[A-Za-z]+:[a-z_.-]+$/) } });
    for (const t of [...typed, PASSWORD]) expect(JSON.stringify(record)).not.toContain(t);
  });

  it('a password typed at the masked login prompt (refused there) is in no message of the case, nor on the agent card', async () => {
    const w = await world();
    const SECRET = 'girasolesamarillosdelvalle'; // letters only: it does not look like a password, the prompt is what makes it one
    await say(w.person, 'Ingresar');
    await say(w.person, 'CC');
    await say(w.person, '70123456');
    const refused = await say(w.person, SECRET);
    expect(refused.folded).not.toContain(fold('ingreso correctamente'));
    const opened = await say(w.person, 'hablar con un asesor');
    expect(opened.folded).toContain(OPENED);
    const caso = (await casesOf(w))[0]!;
    expect(caso.mensajes.length).toBeGreaterThan(0);
    expect(JSON.stringify(caso)).not.toContain(SECRET);
    const card = await take(w, caso.numero);
    expect(card.text).not.toContain(SECRET);
    expect(JSON.stringify(await auditOf(w))).not.toContain(SECRET);
  });

  it('a password-looking text typed in the chat before asking is kept as "[dato protegido omitido]"', async () => {
    const w = await world();
    await atNumberField(w);
    await say(w.person, 'Clave-Secreta-2026');
    await say(w.person, 'hablar con un asesor');
    const caso = (await casesOf(w))[0]!;
    expect(JSON.stringify(caso)).not.toContain('Clave-Secreta-2026');
    expect(caso.mensajes.some((m) => m.texto.includes('[dato protegido omitido]'))).toBe(true);
  });

  it('the person in a case cannot act with the agent buttons nor open the queue', async () => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    await loginAs(joseChat, jose, PASSWORD);
    await say(joseChat, 'hablar con un asesor');
    // In the queue: "casos en cola" is a process of the helpdesk, refused.
    const queue = await say(joseChat, 'casos en cola');
    expect(queue.folded).toContain('usted no tiene ese rol');
    expect(queue.folded).not.toMatch(/tomar m-/);
    // Attended: a forged case button is not an action.
    const numero = (await casesOf(w))[0]!.numero;
    await take(w, numero);
    const before = (await auditOf(w)).length;
    const forged = await say(joseChat, { value: { __caso: 'reenviar-recuperacion' } });
    expect(forged.folded).not.toContain('motivo');
    expect(forged.folded).toContain('esta conversando con un asesor');
    await say(joseChat, 'Mi motivo es que quiero un enlace');
    const after = (await auditOf(w)).slice(before).map((e) => e.action);
    expect(after.filter((a) => a.startsWith('mesa.') && a !== 'mesa.caso_abierto')).toEqual([]);
    expect(w.mailer.sent.filter((m) => m.template === 'cuenta-recuperacion')).toEqual([]);
  });
});
