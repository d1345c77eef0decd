/** Proactive chat notices (the adapter lives in bot/). */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversacionCaso } from '../domain/mesa-tipos.js';

export interface Notifier {
  /** Remembers this conversation as the place to reach `citizenId` later. */
  remember(context: TurnContext, citizenId: string): Promise<void>;
  /** Sends `text` to the conversation remembered for `citizenId`; false when there is none or it failed. */
  notify(citizenId: string, text: string): Promise<boolean>;
  /** Sends activities to a conversation by its reference (the other side of a handoff); false when it failed. */
  deliver(referencia: Readonly<Record<string, unknown>>, activities: readonly Partial<Activity>[]): Promise<boolean>;
}

/** This turn's conversation as a case keeps it: its reference (plain JSON) and its key. */
export function conversationOf(context: TurnContext): ConversacionCaso {
  const reference = TurnContext.getConversationReference(context.activity);
  return { clave: conversationKey(context), referencia: JSON.parse(JSON.stringify(reference)) as Record<string, unknown> };
}

/** `${channelId}|${conversationId}`: one conversation, whichever channel. */
export function conversationKey(context: TurnContext): string {
  return `${context.activity.channelId ?? ''}|${context.activity.conversation?.id ?? ''}`;
}

export type { ConversationReference };
