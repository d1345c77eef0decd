/**
 * A typed secret and a used secret card, channel by channel: where the channel lets the bot remove or
 * replace a message (the built-in Direct Line endpoint and Web Chat, the Emulator) it does; elsewhere
 * (Teams…) the person is asked to delete their message.
 */
import type { TurnContext } from 'botbuilder';
import { render } from '../../templates/render.js';
import { noteSecretTyped } from '../turn-notes.js';

const EDITABLE = new Set(['webchat', 'directline', 'emulator']);

/** True when the bot can delete or update messages in this channel's conversation history. */
export const canEditMessages = (context: TurnContext): boolean => EDITABLE.has(context.activity.channelId);

/** Removes the incoming message (it carried a typed secret); true when it was removed. */
export async function retractIncoming(context: TurnContext): Promise<boolean> {
  const id = context.activity.id;
  if (!id || !canEditMessages(context)) return false;
  try {
    await context.deleteActivity(id);
    return true;
  } catch {
    return false; // the reply then asks the person to delete it
  }
}

/**
 * Replaces the card a secret was submitted from with a short note, so it cannot be sent again
 * silently: the card the submit replies to, else `card.id` (Web Chat does not say which card it was).
 * The message's own text (`card.text`: the question, and why it was asked again) stays above the
 * note, so the conversation still reads as it went, also after a page reload.
 */
export async function replaceUsedCard(context: TurnContext, note: string, card?: { id: string; text?: string }): Promise<void> {
  const id = context.activity.replyToId || card?.id;
  if (!id || !canEditMessages(context)) return;
  const text = id === card?.id && card.text ? `${card.text}\n\n${note}` : note;
  try {
    await context.updateActivity({ id, type: 'message', text, attachments: [] });
  } catch {
    // The card stays; a second submit reaches a form that is no longer active and is answered as such.
  }
}

/**
 * A password typed where no form asks for one (the menu, the search): not repeated, searched or
 * kept (the turn is noted as a secret), the message removed where the channel allows, and said so.
 * `olvido`: the person is logging in (a reset link is offered, not a change of password).
 */
export async function refuseTypedSecret(context: TurnContext, opts: { readonly olvido?: boolean } = {}): Promise<void> {
  noteSecretTyped(context);
  const retirado = await retractIncoming(context);
  await context.sendActivity(render('general/secreto-en-chat', { retirado, olvido: opts.olvido === true }));
}
