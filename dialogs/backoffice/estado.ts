/**
 * "¿En qué voy?" for a person acting as Administrador MinSalud: what waits for the Ministry (the
 * tray's counts) and where the administrator is, with the back office's options, instead of the
 * citizen's activation checklist (which is about a CCF's chain, not the Ministry's work).
 */
import type { Activity } from 'botbuilder';
import type { Actor } from '../../domain/audit.js';
import { bandeja, type MinisterioDeps } from '../../domain/ministerio.js';
import type { Session } from '../../domain/session.js';
import { buttonOf } from '../catalog.js';
import { message } from '../cards.js';
import { menuActivity } from '../welcome.js';
import { bt } from './texts.js';

/** The back office's processes offered with the status, by their menu buttons (the main dialog routes them). */
const OPTIONS = ['bandeja-ministerio', 'revision-rut'] as const;

/** The Ministry's status; undefined when the person is not (or no longer) an administrator. */
export async function ministryStatus(
  deps: MinisterioDeps,
  session: Session,
  actor: Actor,
  where?: { tramite: string; paso?: string },
): Promise<Partial<Activity> | undefined> {
  const tray = await bandeja(deps, session.citizenId, actor);
  if (!tray.ok) return undefined;
  const text = bt('estado-ministerio', {
    nombre: session.nombre,
    porActivar: tray.value.porActivar.length,
    sinServicios: tray.value.sinServicios.length,
    rut: tray.value.rut.length,
    tramite: where?.tramite,
    paso: where?.paso !== where?.tramite ? where?.paso : undefined, // a section named like the tray is said once
  });
  // In the middle of a step, the step's own question follows: no second question with options of its own.
  if (where) return message(text);
  return menuActivity(OPTIONS.map(buttonOf), text);
}
