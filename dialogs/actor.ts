/** Who acts in a turn, as the audit log records it: a pseudonymous reference, never a raw id. */
import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';

export interface TurnActor {
  readonly ref: string;
  readonly channel: string;
}

export function actorOf(context: TurnContext): TurnActor {
  const a = context.activity;
  const raw = `${a.channelId}|${a.from?.aadObjectId ?? a.from?.id ?? ''}`;
  return { ref: createHash('sha256').update(raw).digest('hex').slice(0, 16), channel: a.channelId ?? 'desconocido' };
}
