/** The session of this turn's person, for the process dialogs. */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Clock } from '../domain/ports.js';
import { checkSession, type Session } from '../domain/session.js';

/** The active session of this turn's person, if any. */
export async function activeSession(
  deps: { readonly session: StatePropertyAccessor<Session | undefined>; readonly clock: Clock },
  context: TurnContext,
): Promise<Session | undefined> {
  const check = checkSession(await deps.session.get(context), deps.clock.now());
  return check.state === 'active' ? check.session : undefined;
}

/** The session of a process the registry only starts for a logged-in person (the main dialog ends such a process when the session ends). */
export async function requireSession(
  deps: { readonly session: StatePropertyAccessor<Session | undefined>; readonly clock: Clock },
  context: TurnContext,
): Promise<Session> {
  const session = await activeSession(deps, context);
  if (!session) throw new Error('a process that needs a session ran without one: the process registry must ask to log in first');
  return session;
}
