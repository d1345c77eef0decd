/**
 * "¿En qué voy?" for a person acting as Mesa de ayuda: the helpdesk's own view (how many cases wait
 * in the queue, the case they attend, where they are in the helpdesk's process, and its options)
 * instead of the citizen's activation checklist.
 */
import type { Activity } from 'botbuilder';
import type { Actor } from '../../domain/audit.js';
import { casesInQueue, casesOfAgent } from '../../domain/casos-mesa.js';
import type { Session } from '../../domain/session.js';
import { buttonOf } from '../catalog.js';
import { message } from '../cards.js';
import { menuActivity } from '../welcome.js';
import { caseSummary, type HandoffDeps } from './handoff.js';
import { mt } from './texts.js';

/** The helpdesk's processes offered with the status, by their menu buttons (the main dialog routes them). */
const OPTIONS = ['casos-en-cola', 'mis-casos', 'mesa-consulta'] as const;

/** The helpdesk's status; undefined when the person is not (or no longer) of the helpdesk. */
export async function helpdeskStatus(
  deps: HandoffDeps,
  session: Session,
  actor: Actor,
  where?: { tramite: string; paso?: string },
): Promise<Partial<Activity> | undefined> {
  const cola = await casesInQueue(deps, session.citizenId, actor);
  if (!cola.ok) return undefined;
  const mine = await casesOfAgent(deps, session.citizenId, actor);
  const attending = mine.ok ? mine.value.find((c) => c.estado === 'atendido') : undefined;
  const text = mt('estado-mesa', {
    nombre: session.nombre,
    n: cola.value.length,
    caso: attending?.numero,
    persona: attending ? caseSummary(attending).persona : undefined,
    tramite: where?.tramite,
    paso: where?.paso,
  });
  // In the middle of a step, the step's own question follows: no second question with options of its own.
  if (where) return message(text);
  return menuActivity(OPTIONS.map(buttonOf), text);
}
