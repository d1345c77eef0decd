/**
 * Mesa de ayuda dialog tests: several chats over the same deps (a person and an agent), each with its
 * own conversation id and user id, so that their sessions, conversation records and dialog stacks are
 * apart, as two Web Chat windows are. State is saved every turn, as mainClient does.
 */
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, TestAdapter } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { expect } from 'vitest';
import { MainDialog } from '../../dialogs/main.dialog.js';
import type { CasoMesa } from '../../domain/mesa-tipos.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { fold } from '../../domain/text.js';
import { dialogDeps } from './dialog-deps.js';
import { say, toReply, type Reply } from './transcript.js';

export type MesaSetup = ReturnType<typeof dialogDeps>;

/** The conversation id of a chat made by chatClient(setup, name). */
export const conversationIdOf = (name: string): string => `conv-${name}`;

/** A chat of its own (conversation `conv-<name>`, user `<name>`) over the main dialog and the setup's deps. */
export function chatClient(setup: MesaSetup, name: string): DialogTestClient {
  const dialogState = new ConversationState(new MemoryStorage());
  const accessor = dialogState.createProperty('DialogState');
  const main = new MainDialog(setup.deps);
  const template = {
    channelId: 'test',
    conversation: { isGroup: false, id: conversationIdOf(name), name },
    from: { id: name, name },
  };
  const adapter = new TestAdapter((context) => main.run(context, accessor), template as never);
  adapter.use(new AutoSaveStateMiddleware(setup.userState, setup.conversationState, dialogState));
  return new DialogTestClient(adapter, main);
}

/** Logs `p` in through the chat's "Ingresar" card; returns the reply to the card. */
export async function loginAs(client: DialogTestClient, p: ReferencePerson, password: string): Promise<Reply> {
  await say(client, 'Ingresar');
  return say(client, { value: { __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: password } });
}

/** Logs `p` in and chooses to act as Mesa de ayuda (they hold that role and the citizen's); returns the menu. */
export async function asHelpdesk(client: DialogTestClient, p: ReferencePerson, password: string): Promise<Reply> {
  const login = await loginAs(client, p, password);
  expect(login.folded, login.text).toContain(fold('en que rol desea actuar'));
  return say(client, 'Mesa de ayuda');
}

/** Every activity delivered to the conversation of `name` (the other side of a handoff), flattened as a reply. */
export function deliveredTo(setup: MesaSetup, name: string, from = 0): Reply {
  const id = conversationIdOf(name);
  return toReply(setup.notifier.delivered.slice(from).filter((d) => d.conversation === id).flatMap((d) => d.activities));
}

/** The helpdesk's cases as stored. */
export const casesOf = (setup: MesaSetup): Promise<CasoMesa[]> => setup.deps.store.transaction((tx) => tx.collection('casosMesa').list());
