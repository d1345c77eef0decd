/**
 * Chat notices to a person the assistant has talked to before (e.g. "you were designated delegate"):
 * the conversation of their last login is remembered, and a proactive message goes there.
 */
import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Logger, StateStore } from '../domain/ports.js';
import type { Notifier } from '../dialogs/notifier.js';
import { directLineAuthResult } from './directline/deliver.js';

const key = (citizenId: string) => `avisos/${citizenId}`;

export function createNotifier(deps: {
  adapter: CloudAdapter;
  state: StateStore;
  internalSecret: string;
  appId?: string | undefined;
  /** The serviceUrl of the built-in Direct Line endpoint (its conversations are reached in process). */
  localServiceUrl: () => string;
  /**
   * Several instances (PostgreSQL): a notice this instance cannot deliver itself (a Web Chat conversation
   * of the instance that serves the built-in endpoint) is handed over; undefined when it is not such a one.
   */
  relay?: (reference: Partial<ConversationReference>, activities: readonly Partial<Activity>[]) => Promise<boolean> | undefined;
  log: Logger;
}): Notifier {
  const notifier: Notifier = {
    async remember(context, citizenId) {
      const reference = TurnContext.getConversationReference(context.activity);
      await deps.state.write({ [key(citizenId)]: { reference, eTag: '*' } });
    },
    async notify(citizenId, text) {
      const stored = (await deps.state.read([key(citizenId)]))[key(citizenId)] as { reference?: ConversationReference } | undefined;
      const reference = stored?.reference;
      if (!reference) {
        deps.log.debug('chat notice: no conversation remembered');
        return false;
      }
      return deliver(reference, [{ type: 'message', text }]);
    },
    deliver: (referencia, activities) => deliver(referencia as Partial<ConversationReference>, activities),
  };
  return notifier;

  async function deliver(reference: Partial<ConversationReference>, activities: readonly Partial<Activity>[]): Promise<boolean> {
    const send = async (context: TurnContext) => {
      await context.sendActivities(activities.map((a) => ({ ...a })));
    };
    const relayed = deps.relay?.(reference, activities);
    if (relayed) return relayed;
    try {
      if (reference.serviceUrl === deps.localServiceUrl()) {
        const activity = TurnContext.applyConversationReference({ type: 'event', name: 'ContinueConversation' }, reference, true);
        delete activity.id; // the reference carries the id of a message that was processed already
        await deps.adapter.processActivityDirect(directLineAuthResult(deps.internalSecret, deps.appId), activity as never, send);
      } else {
        await deps.adapter.continueConversationAsync(deps.appId ?? '', reference, send);
      }
      deps.log.debug('chat notice delivered', { channel: reference.channelId });
      return true;
    } catch (error) {
      deps.log.warn('chat notice not delivered', { channel: reference.channelId, err: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }
}
