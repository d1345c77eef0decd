/** A person's session in the assistant: it belongs to the channel user until "salir" or 30 minutes idle. */

export const SESSION_IDLE_MINUTES = 30;

/**
 * The role a person acts in after login (DESIGN §3 "Processes, roles and permissions"): citizen;
 * employer of a company (as its RL or delegate); "Caja de compensación familiar" of a CCF (an
 * authorized person); Administrador MinSalud; Mesa de ayuda.
 */
export type ActingRole =
  | { readonly tipo: 'ciudadano' }
  | { readonly tipo: 'empleador'; readonly nit: string; readonly razonSocial: string; readonly como: 'rl' | 'delegado' }
  | { readonly tipo: 'ccf'; readonly nit: string; readonly razonSocial: string; readonly sigla?: string }
  | { readonly tipo: 'admin_minsalud' }
  | { readonly tipo: 'mesa_ayuda' };

export type RoleKind = ActingRole['tipo'];

/** True when both name the same role (same kind and, for a company role, the same NIT). */
export function sameRole(a: ActingRole, b: ActingRole): boolean {
  if (a.tipo !== b.tipo) return false;
  return !('nit' in a) || a.nit === (b as { nit: string }).nit;
}

/** The role a session acts in: citizen until the person chooses another. */
export const actingRole = (session: Pick<Session, 'rol'>): ActingRole => session.rol ?? { tipo: 'ciudadano' };

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
