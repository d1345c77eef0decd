import { describe, expect, it, vi } from 'vitest';
import { ComponentRegistration, ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { DialogSet, type DialogState, type MemoryScope, type PathResolver } from 'botbuilder-dialogs';
import { ServiceCollection } from 'botbuilder-dialogs-adaptive-runtime-core';
import { createRequire } from 'node:module';
import { leanDialogs } from './lean-dialogs.js';

leanDialogs();
leanDialogs(); // a second call changes nothing

interface Registration {
  getMemoryScopes(): MemoryScope[];
  getPathResolvers(): PathResolver[];
}
/** Not exported by the package: what its DialogStateManager builds, read where it reads it (after leanDialogs). */
const registrationClass = () =>
  (createRequire(import.meta.url)('botbuilder-dialogs/lib/dialogsComponentRegistration') as { DialogsComponentRegistration: new () => Registration }).DialogsComponentRegistration;

/** One bot whose turns read and write the dialog state manager's scopes, as prompts and the dialogs do. */
function bot() {
  const conversation = new ConversationState(new MemoryStorage());
  const dialog = conversation.createProperty<DialogState>('dialog');
  return new TestAdapter(async (context: TurnContext) => {
    context.turnState.set('ConversationState', conversation); // what the conversation memory scope reads
    const dc = await new DialogSet(dialog).createContext(context);
    const count = (dc.state.getValue<number>('conversation.count') ?? 0) + 1;
    dc.state.setValue('conversation.count', count);
    dc.state.setValue('turn.lista', ['cero', 'uno', 'dos']);
    dc.state.setValue('turn.i', count);
    // A path with brackets reads a nested value: parsed every time, never kept.
    const item = dc.state.getValue<string>('turn.lista[turn.i]');
    await context.sendActivity(`${count}: ${dc.state.getValue<string>('turn.activity.text')} ${item}`);
    await conversation.saveChanges(context);
  });
}

describe('leanDialogs: botbuilder-dialogs without its per-DialogContext costs', () => {
  it('builds no service collection for the DialogContexts of a turn, and their state still reads and writes every scope', async () => {
    const adapter = bot();
    await adapter.send('hola').assertReply('1: hola uno');
    const addFactory = vi.spyOn(ServiceCollection.prototype, 'addFactory');
    try {
      await adapter.send('otra').assertReply('2: otra dos').send('mas').assertReply('3: mas undefined');
      expect(addFactory).not.toHaveBeenCalled();
    } finally {
      addFactory.mockRestore();
    }
  });

  it('registers one dialogs component, whose memory scopes and path resolvers are built anew when asked', () => {
    const DialogsComponentRegistration = registrationClass();
    const a = new DialogsComponentRegistration();
    const b = new DialogsComponentRegistration();
    expect(b).toBe(a);
    expect(a).toBeInstanceOf(DialogsComponentRegistration);
    ComponentRegistration.add(a as unknown as ComponentRegistration);
    expect(ComponentRegistration.components.filter((c) => c.constructor.name === 'DialogsComponentRegistration')).toHaveLength(1);
    const scopes = a.getMemoryScopes();
    expect(scopes.map((s) => s.name)).toEqual(expect.arrayContaining(['turn', 'settings', 'dialog', 'conversation', 'user', 'class', 'this']));
    expect(a.getMemoryScopes()[0]).not.toBe(scopes[0]);
    expect(a.getPathResolvers().length).toBeGreaterThan(0);
  });

  it('hands out a copy of a kept path: a caller that changes it does not change the next parse', async () => {
    const conversation = new ConversationState(new MemoryStorage());
    const adapter = new TestAdapter(async (context: TurnContext) => {
      const dc = await new DialogSet(conversation.createProperty<DialogState>('dialog')).createContext(context);
      const first = dc.state.parsePath('turn.a.b');
      first.push('x');
      first[0] = 'otro';
      expect(dc.state.parsePath('turn.a.b')).toEqual(['turn', 'a', 'b']);
      expect(() => dc.state.parsePath('turn.a b')).toThrow(/Invalid path/);
      expect(() => dc.state.parsePath('turn.a b')).toThrow(/Invalid path/); // a refused path is refused again, not kept
      await context.sendActivity('ok');
    });
    await adapter.send('hola').assertReply('ok');
  });
});
