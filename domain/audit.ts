/** The audit log: every state change, who made it and through which channel; never secrets or full document numbers. */
import type { DocumentType } from './reference.js';
import type { AuditEvent, Clock, Random, Tx } from './ports.js';
import { maskDocument } from './text.js';

/** Who acts: `ref` is pseudonymous (a hash of the channel user), never a document number. */
export interface Actor {
  readonly ref: string;
  readonly channel: string;
}

/**
 * Appends one audit event inside the use case's transaction. `subject` must already be masked;
 * `personas` are the document keys of the persons the event is about (kept beside the event, in
 * 'auditoriaPersonas', never in it), so the helpdesk can tell apart persons whose masks collide.
 */
export async function audit(
  tx: Tx,
  clock: Clock,
  random: Random,
  actor: Actor,
  action: string,
  subject?: string,
  detail?: AuditEvent['detail'],
  personas?: string | readonly (string | undefined)[],
): Promise<void> {
  const at = clock.now().toISOString();
  const event: AuditEvent = {
    id: `${at}-${random.token(9)}`,
    at,
    actor: actor.ref,
    action,
    channel: actor.channel,
    ...(subject !== undefined ? { subject } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
  await tx.collection('audit').put(event);
  const keys = personas === undefined ? [] : typeof personas === 'string' ? [personas] : personas;
  for (const persona of new Set(keys)) {
    if (persona) await tx.collection('auditoriaPersonas').put({ id: `${event.id}|${persona}`, eventoId: event.id, persona, en: at });
  }
}

/** The masked audit subject for a document: "CC *****456". */
export function documentSubject(tipo: DocumentType, numero: string): string {
  return `${tipo} ${maskDocument(numero)}`;
}
