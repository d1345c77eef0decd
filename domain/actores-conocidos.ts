/**
 * Which person is behind an audit actor reference (Mesa de ayuda's history names who acted): the
 * reference is a hash of the channel user, recorded with the citizen at each successful login.
 */
import type { Clock, Tx } from './ports.js';

/** Records (or moves) an actor reference to the citizen who just logged in through it, inside the login's transaction. */
export async function recordKnownActor(tx: Tx, clock: Clock, actorRef: string, citizenId: string): Promise<void> {
  const repo = tx.collection('actoresConocidos');
  const known = await repo.get(actorRef);
  if (known?.citizenId === citizenId) return;
  await repo.put({ id: actorRef, citizenId, en: clock.now().toISOString() });
}
