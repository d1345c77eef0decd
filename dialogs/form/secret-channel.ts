/**
 * A typed secret and a used secret card, channel by channel: where the channel lets the bot remove or
 * replace a message (the built-in Direct Line endpoint and Web Chat, the Emulator) it does; elsewhere
 * (Teams…) the person is asked to delete their message.
 */
import type { TurnContext } from 'botbuilder';

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
 * silently: the card the submit replies to, else `cardId` (Web Chat does not say which card it was).
 */
export async function replaceUsedCard(context: TurnContext, text: string, cardId?: string): Promise<void> {
  const id = context.activity.replyToId || cardId;
  if (!id || !canEditMessages(context)) return;
  try {
    await context.updateActivity({ id, type: 'message', text, attachments: [] });
  } catch {
    // The card stays; a second submit reaches a form that is no longer active and is answered as such.
  }
}
