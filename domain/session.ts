/** A person's session in the assistant: it belongs to the channel user until "salir" or 30 minutes idle. */

export const SESSION_IDLE_MINUTES = 30;

/** The role a person acts in after login (DESIGN §1: citizen, or employer for a company). */
export type ActingRole =
  | { readonly tipo: 'ciudadano' }
  | { readonly tipo: 'empleador'; readonly nit: string; readonly razonSocial: string; readonly como: 'rl' | 'delegado' };

export interface Session {
  readonly citizenId: string;
  readonly nombre: string;
  readonly rol?: ActingRole;
  readonly desde: string; // ISO
  readonly ultimaActividad: string; // ISO
}

export type SessionCheck = { state: 'none' } | { state: 'active'; session: Session } | { state: 'expired' };

/** Whether a stored session is still alive at `now`. */
export function checkSession(session: Session | undefined, now: Date): SessionCheck {
  if (!session) return { state: 'none' };
  const idle = now.getTime() - new Date(session.ultimaActividad).getTime();
  return idle > SESSION_IDLE_MINUTES * 60_000 ? { state: 'expired' } : { state: 'active', session };
}

export function openSession(citizenId: string, nombre: string, now: Date): Session {
  const at = now.toISOString();
  return { citizenId, nombre, desde: at, ultimaActividad: at };
}

/** Activity is recorded at most once a minute, so a busy conversation does not rewrite its user state every turn. */
export const TOUCH_EVERY_MS = 60_000;

/** The session with this turn's activity; the same object when the last record is recent enough. */
export function touchSession(session: Session, now: Date): Session {
  if (now.getTime() - new Date(session.ultimaActividad).getTime() < TOUCH_EVERY_MS) return session;
  return { ...session, ultimaActividad: now.toISOString() };
}
