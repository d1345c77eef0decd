import { CardFactory, MessageFactory, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { coalesceMessages, holdable, mergeInto } from './coalesce.js';

const HOLD_MS = 40;
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A turn run on botbuilder's TestAdapter with the coalescing middleware; the messages it sent, as sent. */
async function turn(logic: (context: TurnContext) => Promise<void>, opts: { failSends?: Error; sent?: Partial<Activity>[] } = {}): Promise<{ sent: Partial<Activity>[]; error?: Error }> {
  const sent: Partial<Activity>[] = opts.sent ?? [];
  let error: Error | undefined;
  const adapter = new TestAdapter(logic);
  adapter.sendActivities = async (_context, activities) => {
    if (opts.failSends) throw opts.failSends;
    sent.push(...activities);
    return activities.map((_, i) => ({ id: `sent-${sent.length - activities.length + i}` }));
  };
  adapter.use(coalesceMessages(adapter, HOLD_MS));
  adapter.onTurnError = async (_context, e) => {
    error = e;
  };
  await adapter.send('hola');
  return { sent, ...(error ? { error } : {}) };
}

const maskedCard = () =>
  CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'clave', style: 'Password' }], actions: [{ type: 'Action.Submit', title: 'Enviar' }] });

describe('coalesced messages', () => {
  it('sends a text and the question after it as one message, the text first', async () => {
    const { sent } = await turn(async (c) => {
      await c.sendActivity('Vamos a **Registrar rol**.');
      await c.sendActivity('¿Cuál es el NIT?');
    });
    expect(sent.map((a) => a.text)).toEqual(['Vamos a **Registrar rol**.\n\n¿Cuál es el NIT?']);
  });

  it('puts the texts before a card or buttons in the card\'s message, in order', async () => {
    const { sent } = await turn(async (c) => {
      await c.sendActivity('Uno.');
      await c.sendActivity('Dos.');
      await c.sendActivity(MessageFactory.attachment(CardFactory.heroCard('', undefined, ['Sí', 'No']), 'Tres.'));
      await c.sendActivity('Cuatro.');
      await c.sendActivity(MessageFactory.suggestedActions(['Ingresar'], '¿Qué desea hacer?'));
    });
    expect(sent.map((a) => a.text)).toEqual(['Uno.\n\nDos.\n\nTres.', 'Cuatro.\n\n¿Qué desea hacer?']);
    expect(sent[0]!.attachments).toHaveLength(1);
    expect(sent[1]!.suggestedActions?.actions.map((a) => a.title)).toEqual(['Ingresar']);
  });

  it('keeps a text apart from a card with a masked input (the card is replaced later, the text stays)', async () => {
    const { sent } = await turn(async (c) => {
      await c.sendActivity('Para **Ingresar** necesito su documento y su contraseña.');
      await c.sendActivity(MessageFactory.attachment(maskedCard(), 'Escriba su contraseña en la tarjeta.'));
    });
    expect(sent.map((a) => a.text)).toEqual(['Para **Ingresar** necesito su documento y su contraseña.', 'Escriba su contraseña en la tarjeta.']);
  });

  it('sends a text the turn ends with when the turn ends, and one the turn keeps working after once it waited HOLD_MS', async () => {
    const last = await turn(async (c) => {
      await c.sendActivity('Listo.');
    });
    expect(last.sent.map((a) => a.text)).toEqual(['Listo.']);

    let seenDuringWork: string[] = [];
    const sentSoFar: Partial<Activity>[] = [];
    const slow = await turn(
      async (c) => {
        await c.sendActivity('Estoy probando la conexión…');
        await sleep(HOLD_MS * 4); // e.g. a call to the service
        seenDuringWork = sentSoFar.map((a) => a.text ?? '');
        await c.sendActivity('La conexión respondió.');
      },
      { sent: sentSoFar },
    );
    expect(seenDuringWork).toEqual(['Estoy probando la conexión…']);
    expect(slow.sent.map((a) => a.text)).toEqual(['Estoy probando la conexión…', 'La conexión respondió.']);
  });

  it('a turn that fails sends what it held before its error is handled', async () => {
    const order: string[] = [];
    const adapter = new TestAdapter(async (c) => {
      await c.sendActivity('Un momento.');
      throw new Error('boom');
    });
    adapter.sendActivities = async (_c, activities) => {
      order.push(...activities.map((a) => a.text ?? ''));
      return activities.map(() => ({ id: 'x' }));
    };
    adapter.use(coalesceMessages(adapter, HOLD_MS));
    adapter.onTurnError = async (_c, e) => {
      order.push(`error: ${e.message}`);
    };
    await adapter.send('hola');
    expect(order).toEqual(['Un momento.', 'error: boom']);
  });

  it('a send that failed while the turn went on fails the turn\'s next send, as if it had been awaited', async () => {
    const down = new Error('connector down');
    let second: unknown;
    const { sent, error } = await turn(
      async (c) => {
        await c.sendActivity('Estoy consultando…');
        await sleep(HOLD_MS * 3);
        second = await c.sendActivity('Resultado.').catch((e: unknown) => e);
        if (second instanceof Error) throw second;
      },
      { failSends: down },
    );
    expect(second).toBe(down);
    expect(error).toBe(down);
    expect(sent).toEqual([]);
  });

  it('answers each activity asked for: a held text without an id, a sent one with its id', async () => {
    const responses: (string | undefined)[] = [];
    await turn(async (c) => {
      responses.push((await c.sendActivity('Uno.'))?.id);
      responses.push((await c.sendActivity(MessageFactory.attachment(CardFactory.heroCard('Dos')))!)?.id);
    });
    expect(responses).toEqual(['', 'sent-0']);
  });

  it('holds only text alone: not a card, buttons, an event or a typing indicator', () => {
    expect(holdable({ type: 'message', text: 'Hola', inputHint: 'acceptingInput', conversation: { id: 'c' } as never })).toBe(true);
    expect(holdable({ type: 'message', text: '' })).toBe(false);
    expect(holdable(MessageFactory.attachment(CardFactory.heroCard('x'), 'Hola'))).toBe(false);
    expect(holdable(MessageFactory.suggestedActions(['a'], 'Hola'))).toBe(false);
    expect(holdable({ type: 'typing' })).toBe(false);
    expect(holdable({ type: 'event', name: 'x', text: 'Hola' })).toBe(false);
    expect(holdable({ type: 'message', text: 'Hola', channelData: { notification: { alert: true } } })).toBe(false);
    expect(mergeInto({ type: 'message', text: 'a' }, { type: 'typing' })).toBeUndefined();
    expect(mergeInto({ type: 'message', text: 'a', textFormat: 'plain' }, { type: 'message', text: 'b', textFormat: 'markdown' })).toBeUndefined();
  });
});
