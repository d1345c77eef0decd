/**
 * Mesa de ayuda across channels (DESIGN §2 handoff; issue: proactive notices "Web Chat through the
 * built-in endpoint, Teams through continueConversation"): the agent works in Teams (here /api/messages
 * with a stand-in connector, as a local Emulator), the person in the local Web Chat. The new-case notice,
 * the person's messages and the end reach the agent through continueConversation; the agent's replies and
 * the handoff events reach the person through the built-in Direct Line endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../domain/random.js';
import { fold } from '../domain/text.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, startFakeConnector, type TestApp } from './helpers/app.js';
import { newChat, registerAndActivate } from './helpers/chat-people.js';

const agent = EXAMPLE_PERSONS.citizenCe; // Carlos, of the helpdesk, in Teams
const PASSWORD = 'Clave-Mesa-2026';
// Tuesday 1 December 2026, 10:00 in Bogotá: the helpdesk is open.
const START = '2026-12-01T15:00:00.000Z';
const TEAMS_CONVERSATION = 'a:teams-carlos';

describe('Mesa de ayuda: the agent in Teams, the person in the local Web Chat', () => {
  const clock = fakeClock(START);
  let app: TestApp;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  beforeAll(async () => {
    connector = await startFakeConnector();
    app = await startApp({ STAFF_MESA_AYUDA: 'CE:654321', LOCAL_CONNECTORS: 'true' }, { clock });
    await registerAndActivate(app.url, app.dataDir, agent, 'carlos.mesa@example.com', PASSWORD);
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
  });

  /** Posts a Teams activity of Carlos to /api/messages. */
  async function teams(extra: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        channelId: 'msteams',
        serviceUrl: connector.url,
        conversation: { id: TEAMS_CONVERSATION },
        from: { id: '29:carlos', name: 'Carlos' },
        recipient: { id: '28:bot', name: 'Asistente CCF' },
        id: `act-${Math.random().toString(36).slice(2)}`,
        timestamp: new Date().toISOString(),
        locale: 'es-CO',
        ...extra,
      }),
    });
    expect(res.status).toBe(200);
  }

  /** Waits until the connector has received, for Carlos's conversation, a message with `expected`; returns the new ones, folded. */
  async function toTeams(from: number, expected: string): Promise<string> {
    let seen = '';
    for (let i = 0; i < 100; i++) {
      seen = fold(
        connector.received
          .slice(from)
          .filter((a) => (a['conversation'] as { id?: string } | undefined)?.id === TEAMS_CONVERSATION)
          .map((a) => `${String(a['text'] ?? '')} ${JSON.stringify(a['attachments'] ?? [])}`)
          .join('\n'),
      );
      if (seen.includes(fold(expected))) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`"${expected}" did not reach Teams; got:\n${seen}`);
  }

  async function say(text: string, expected: string): Promise<string> {
    const from = connector.received.length;
    await teams({ text });
    return toTeams(from, expected);
  }

  it('notice, relay both ways and the end cross the channels; the person is back at the same field', async () => {
    // Carlos logs in in Teams with the masked card and acts as Mesa de ayuda (the conversation is remembered for notices).
    await say('Ingresar', 'tipo de documento');
    let from = connector.received.length;
    await teams({ value: { __form: 'ingreso', tipoDocumento: agent.tipoDocumento, numeroDocumento: agent.numeroDocumento, clave: PASSWORD } });
    await toTeams(from, 'en que rol desea actuar');
    await say('Mesa de ayuda', 'ahora actua como mesa de ayuda');

    // The person, in the local Web Chat, asks mid-form.
    const person = await newChat(app.url);
    await person.converse([
      ['Registrarme', 'tratamiento de sus datos'],
      ['Acepto', 'tipo de documento'],
      ['CC', 'numero de su documento'],
    ]);
    from = connector.received.length;
    await person.send('quiero hablar con un asesor');
    const opened = await person.waitFor('abri el caso');
    const numero = /abri el caso (m-[a-z0-9]{6})/.exec(opened)?.[1]?.toUpperCase();
    expect(numero, opened).toMatch(/^M-[A-Z0-9]{6}$/);
    // In Teams through continueConversation: the new case.
    expect(await toTeams(from, `nuevo caso ${numero}`)).toContain('registro ciudadano');

    // Carlos takes it from Teams; the person hears it in Web Chat.
    const card = await say(`Tomar ${numero}`, 'ultimo paso en el chat');
    expect(card).toContain(fold(`caso ${numero}`));
    expect(await person.waitFor('tomo su caso')).toContain('asesor de la mesa de ayuda');

    // Both ways.
    from = connector.received.length;
    await person.send('No sé si poner los puntos de la cédula');
    expect(await toTeams(from, 'no se si poner los puntos de la cedula')).not.toContain('cual es el numero');
    await teams({ text: 'Escríbala sin puntos, solo los números' });
    expect(await person.waitFor('sin puntos, solo los numeros')).toContain('asesor de la mesa de ayuda');

    // The person ends it: Teams hears it; the person is at the same field and the answer fills it.
    from = connector.received.length;
    await person.send('terminar conversación');
    expect(await person.waitFor('termino la conversacion con la mesa de ayuda')).toContain('numero de su documento');
    await toTeams(from, `termino la conversacion del caso ${numero}`);
    await person.send('1036612345');
    await person.waitFor('primer nombre');

    // The handoff events reached the person's conversation (initiate with the case, then accepted, completed).
    const res = await fetch(`${app.url}/v3/directline/conversations/${person.conversationId}/activities?watermark=`, { headers: person.headers() });
    const events = ((await res.json()) as { activities: { type: string; name?: string; value?: { state?: string } }[] }).activities.filter((a) => a.type === 'event');
    expect(events.find((e) => e.name === 'handoff.initiate')?.value).toMatchObject({ caso: numero, proceso: 'registro' });
    expect(events.filter((e) => e.name === 'handoff.status').map((e) => e.value?.state)).toEqual(['accepted', 'completed']);
    const casos = await app.store.transaction((tx) => tx.collection('casosMesa').list());
    expect(casos).toMatchObject([{ numero, estado: 'cerrado', cerradoPor: 'persona' }]);
  });
});
