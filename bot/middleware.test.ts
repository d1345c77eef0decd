import { describe, expect, it } from 'vitest';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { CardButtonText, DeduplicateActivities, InFlightTurns, SerializeConversations } from './middleware.js';

const msg = (extra: Partial<Activity>): Partial<Activity> => ({ type: 'message', channelId: 'test', conversation: { id: 'c1' } as never, ...extra });

describe('turn middleware', () => {
  it('CardButtonText: a button standing for words reaches the bot as text; a form submit stays a value', async () => {
    const seen: (string | undefined)[] = [];
    const adapter = new TestAdapter(async (ctx: TurnContext) => {
      seen.push(ctx.activity.text);
    }).use(new CardButtonText());
    await adapter.send(msg({ value: { __text: 'confirmar', msteams: { type: 'imBack', value: 'confirmar' } } }) as Activity);
    await adapter.send(msg({ value: { __form: 'ingreso', clave: 'x' } }) as Activity);
    await adapter.send(msg({ text: 'hola', value: { __text: 'otra cosa' } }) as Activity);
    expect(seen).toEqual(['confirmar', undefined, 'hola']);
  });

  it('DeduplicateActivities: a re-delivered activity (same id) runs once; a failed one may be retried', async () => {
    let runs = 0;
    let fail = false;
    const adapter = new TestAdapter(async () => {
      runs++;
      if (fail) throw new Error('boom');
    }).use(new DeduplicateActivities(10));
    await adapter.send(msg({ id: 'a1', text: 'x' }) as Activity);
    await adapter.send(msg({ id: 'a1', text: 'x' }) as Activity);
    expect(runs).toBe(1);
    fail = true;
    await adapter.send(msg({ id: 'a2', text: 'x' }) as Activity).catch(() => undefined);
    fail = false;
    await adapter.send(msg({ id: 'a2', text: 'x' }) as Activity);
    expect(runs).toBe(3);
  });

  it('SerializeConversations: turns of one conversation never overlap; InFlightTurns waits for them', async () => {
    let active = 0;
    let maxActive = 0;
    const inFlight = new InFlightTurns();
    const serialize = new SerializeConversations();
    const logic = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 20));
      active--;
    };
    const turn = (id: string) => {
      const ctx = { activity: msg({ id, text: id }) } as unknown as TurnContext;
      return inFlight.onTurn(ctx, () => serialize.onTurn(ctx, logic));
    };
    const all = Promise.all([turn('1'), turn('2'), turn('3')]);
    await inFlight.idle(5_000);
    await all;
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
  });

  it('SerializeConversations: two conversations relaying to each other in the same moment both finish (a proactive send does not wait)', async () => {
    const serialize = new SerializeConversations();
    const turn = (conversation: string, extra: Partial<Activity>, body: () => Promise<void>) =>
      serialize.onTurn({ activity: { type: 'message', channelId: 'test', conversation: { id: conversation }, ...extra } } as unknown as TurnContext, body);
    const relay = (to: string) => turn(to, { type: 'event', name: 'ContinueConversation' }, async () => undefined);
    let bothIn!: () => void;
    let entered = 0;
    const together = new Promise<void>((ok) => (bothIn = ok));
    const meet = async () => {
      if (++entered === 2) bothIn();
      await together;
    };
    const person = turn('persona', { id: 'p1', text: 'hola' }, async () => {
      await meet();
      await relay('agente');
    });
    const agent = turn('agente', { id: 'a1', text: 'buenos días' }, async () => {
      await meet();
      await relay('persona');
    });
    const outcome = await Promise.race([Promise.all([person, agent]).then(() => 'done'), new Promise((ok) => setTimeout(() => ok('deadlock'), 2_000))]);
    expect(outcome).toBe('done');
  });
});
