/** Proactive chat notices (the adapter lives in bot/). */
import type { TurnContext } from 'botbuilder';

export interface Notifier {
  /** Remembers this conversation as the place to reach `citizenId` later. */
  remember(context: TurnContext, citizenId: string): Promise<void>;
  /** Sends `text` to the conversation remembered for `citizenId`; false when there is none or it failed. */
  notify(citizenId: string, text: string): Promise<boolean>;
}
