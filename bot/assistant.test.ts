import { describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogContext, type DialogEvent, type DialogState } from 'botbuilder-dialogs';
import { Assistant } from './assistant.js';
import type { MainDialog } from '../dialogs/main.dialog.js';

/** The assistant's state: conversation and user state in memory, the dialog stack's accessor. */
const states = () => {
  const conversation = new ConversationState(new MemoryStorage());
  return { conversation, user: new UserState(new MemoryStorage()), dialog: conversation.createProperty<DialogState>('dialog') };
};

describe('Assistant: the dialog state manager configuration', () => {
  it('is built on the first turn and reused by later turns, whose memory scopes still read their own turn', async () => {
    const { conversation, user, dialog } = states();
    const configurations: unknown[] = [];
    const main = {
      async run(context: TurnContext) {
        context.turnState.set('ConversationState', conversation); // what the conversation memory scope reads
        const dc = await new DialogSet(dialog).createContext(context);
        configurations.push(dc.state.configuration);
        const count = (dc.state.getValue<number>('conversation.count') ?? 0) + 1;
        dc.state.setValue('conversation.count', count);
        dc.state.setValue('turn.heard', context.activity.text);
        await context.sendActivity(`${count}: ${dc.state.getValue<string>('turn.heard')}`);
      },
    };
    const bot = new Assistant({ conversation, user, dialog }, main as unknown as MainDialog);
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send('uno').assertReply('1: uno').send('dos').assertReply('2: dos').send('tres').assertReply('3: tres');
    expect(configurations).toHaveLength(3);
    expect(configurations[0]).toBeTruthy();
    expect(configurations[1]).toBe(configurations[0]);
    expect(configurations[2]).toBe(configurations[0]);
  });
});

describe('Assistant: the "activityReceived" dialog event', () => {
  it('is emitted on the first turn only: later turns continue the dialogs without walking the stack for it', async () => {
    const events: string[] = [];
    class Recording extends ComponentDialog {
      constructor() {
        super('proceso');
        this.addDialog(
          new WaterfallDialog('pasos', [
            async (step) => {
              await step.context.sendActivity('¿Nombre?');
              return Dialog.EndOfTurn;
            },
            async (step) => {
              await step.context.sendActivity(`Hola, ${step.context.activity.text}. ¿Apellido?`);
              return Dialog.EndOfTurn;
            },
            async (step) => {
              await step.context.sendActivity(`Listo, ${step.context.activity.text}.`);
              return step.endDialog();
            },
          ]),
        );
        this.initialDialogId = 'pasos';
      }
      override async onDialogEvent(dc: DialogContext, event: DialogEvent): Promise<boolean> {
        events.push(event.name);
        return super.onDialogEvent(dc, event);
      }
    }
    const { conversation, user, dialog } = states();
    const set = new DialogSet(dialog).add(new Recording());
    const main = {
      async run(context: TurnContext) {
        const dc = await set.createContext(context);
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog('proceso');
      },
    };
    const bot = new Assistant({ conversation, user, dialog }, main as unknown as MainDialog);
    const adapter = new TestAdapter((context) => bot.run(context));
    // Without the assistant's note, botbuilder-dialogs emits it to the process on every turn it continues.
    await adapter.send('hola').assertReply('¿Nombre?').send('Ana').assertReply('Hola, Ana. ¿Apellido?').send('Gómez').assertReply('Listo, Gómez.');
    await adapter.send('otra vez').assertReply('¿Nombre?').send('Luz').assertReply('Hola, Luz. ¿Apellido?');
    expect(events.filter((e) => e === 'activityReceived')).toEqual([]);
  });
});

describe('Assistant: how an activity reaches the dialogs', () => {
  const setup = () => {
    const { conversation, user, dialog } = states();
    const runs: string[] = [];
    const main = {
      async run(context: TurnContext) {
        runs.push(context.activity.text ?? '');
        const count = conversation.createProperty<number>('count');
        const n = ((await count.get(context)) ?? 0) + 1;
        await count.set(context, n);
        await context.sendActivity(`${n}: ${context.activity.text}`);
      },
      async welcome() {
        return { type: 'message', text: 'Bienvenido' };
      },
    };
    const bot = new Assistant({ conversation, user, dialog }, main as unknown as MainDialog);
    return { bot, runs };
  };

  it("a message goes straight to the main dialog (not through ActivityHandler's handler chains), its state saved", async () => {
    const { bot, runs } = setup();
    let dispatched = 0;
    const onTurnActivity = bot['onTurnActivity'].bind(bot);
    bot['onTurnActivity'] = (context: TurnContext) => {
      dispatched++;
      return onTurnActivity(context);
    };
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send('uno').assertReply('1: uno').send('dos').assertReply('2: dos');
    expect(runs).toEqual(['uno', 'dos']);
    expect(dispatched).toBe(0);
  });

  it('a person joining still gets the welcome, and an activity of another type does not reach the main dialog', async () => {
    const { bot, runs } = setup();
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter
      .send({ type: 'conversationUpdate', membersAdded: [{ id: 'persona', name: 'Ana' }], recipient: { id: 'bot', name: 'bot' } })
      .assertReply('Bienvenido');
    await adapter.send({ type: 'event', name: 'algo' }).send('hola').assertReply('1: hola');
    expect(runs).toEqual(['hola']);
  });

  it('an activity without a type is refused, as ActivityHandler refuses it', async () => {
    const { bot } = setup();
    await expect(bot.run({ activity: {}, turnState: new Map() } as unknown as TurnContext)).rejects.toThrow(/missing its type/);
  });
});
