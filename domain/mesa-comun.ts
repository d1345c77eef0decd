/**
 * What the helpdesk's use cases share (domain/mesa-ayuda.ts, domain/mesa-acciones.ts): their
 * collaborators and error codes, the staff permission (refusals audited), the reason rule, and how an
 * agent's action is audited and kept for "Mis casos".
 */
import { audit, documentSubject, type Actor } from './audit.js';
import { documentKey } from './citizens.js';
import type { CoreDeps } from './deps.js';
import type { AccionMesa } from './mesa-tipos.js';
import { normalizeNumero } from './people.js';
import { permit, principalOf, type Action, type Resource } from './permissions.js';
import type { AuditEvent, Tx } from './ports.js';
import type { DocumentType } from './reference.js';
import { err, ok, type Result } from './result.js';
import type { StaffDirectory } from './staff.js';

export type MesaDeps = CoreDeps & { staff: StaffDirectory };

export type MesaError =
  | { code: 'PERMISO.DENEGADO' }
  | { code: 'MESA.MOTIVO_REQUERIDO'; min: number; max: number }
  /** No citizen, no identity check, no reference person and no invitation with that document. */
  | { code: 'MESA.PERSONA_NO_ENCONTRADA' }
  | { code: 'MESA.CCF_NO_ENCONTRADA' }
  /** Nothing to lift or unlock. */
  | { code: 'MESA.NO_APLICA'; estado?: string }
  | { code: 'MESA.SIN_BLOQUEO' };

/** A reason for an action: this many characters, spaces collapsed. */
export const MESA_MOTIVO_MIN = 5;
export const MESA_MOTIVO_MAX = 500;

/** The agent's actions, as 'accionesMesa' keeps them; audited as `mesa.<accion>`. */
export const ACCIONES_MESA = [
  'bloqueo_identidad_levantado',
  'ingreso_desbloqueado',
  'activacion_reenviada',
  'recuperacion_reenviada',
  'invitacion_reenviada',
] as const;
export type AccionMesaNombre = (typeof ACCIONES_MESA)[number];

/** The reason as stored (spaces collapsed), or the error. */
export function motivoMesa(raw: string): Result<string, MesaError> {
  const m = raw.replace(/\s+/g, ' ').trim();
  return m.length < MESA_MOTIVO_MIN || m.length > MESA_MOTIVO_MAX ? err({ code: 'MESA.MOTIVO_REQUERIDO', min: MESA_MOTIVO_MIN, max: MESA_MOTIVO_MAX }) : ok(m);
}

/** A document as the helpdesk looks it up: its key and its masked audit subject. */
export interface Documento {
  readonly tipo: DocumentType;
  readonly numero: string;
  readonly key: string;
  readonly subject: string;
}
export function documento(tipo: DocumentType, numero: string): Documento {
  const n = normalizeNumero(numero);
  return { tipo, numero: n, key: documentKey(tipo, n), subject: documentSubject(tipo, n) };
}

/** The helpdesk permission; a refusal is audited (who was refused: only the channel reference). */
export async function agentOnly(tx: Tx, deps: Pick<MesaDeps, 'staff' | 'clock' | 'random'>, agenteId: string, action: Action, actor: Actor, resource: Resource = {}): Promise<Result<void, MesaError>> {
  const allowed = permit(await principalOf(tx, deps.staff, agenteId), action, resource);
  if (!allowed.ok) await audit(tx, deps.clock, deps.random, actor, 'mesa.rechazado', undefined, { accion: action });
  return allowed;
}

/** Audits an agent's action on a person (`mesa.<accion>`, masked subject, the reason) and keeps it for "Mis casos". */
export async function recordMesaAction(
  tx: Tx,
  deps: Pick<MesaDeps, 'clock' | 'random'>,
  agenteId: string,
  actor: Actor,
  accion: AccionMesaNombre,
  persona: Documento,
  motivo: string,
  casoNumero?: string,
  extra: Record<string, string | number | boolean | null> = {},
): Promise<void> {
  const detail: AuditEvent['detail'] = { ...extra, motivo, ...(casoNumero ? { caso: casoNumero } : {}) };
  await audit(tx, deps.clock, deps.random, actor, `mesa.${accion}`, persona.subject, detail, persona.key);
  const en = deps.clock.now().toISOString();
  const record: AccionMesa = { id: `${en}-${deps.random.token(6)}`, agenteId, en, accion, sujeto: persona.subject, motivo, ...(casoNumero ? { casoNumero } : {}) };
  await tx.collection('accionesMesa').put(record);
}
