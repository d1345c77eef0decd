/**
 * Asignar servicios a una CCF (DESIGN §2 "Back office"): a MinSalud administrator assigns published
 * services to a CCF; each assignment gets its own unguessable, unique Client ID and a state (activo /
 * suspendido / revocado); suspending and revoking need a reason. The CCF's authorized persons are told.
 */
import type { Actor } from './audit.js';
import { activeAuthorized } from './autorizados.js';
import type { Citizen } from './citizens.js';
import { chatLink, nitOf, nitSubject, note } from './empleador-common.js';
import { motivoOf, recordAction, staffOnly, takesPartIn, type ConflictoError, type MinisterioDeps, type MotivoError } from './ministerio.js';
import { formatNit } from './nit.js';
import { sendAllAndRecord } from './notify.js';
import { displayName } from './people.js';
import type { MailRequest, Store, Tx } from './ports.js';
import type { ReferenceCompany } from './reference.js';
import { err, ok, type Result } from './result.js';
import type { AsignacionServicio, EstadoAsignacion, ServicioWeb } from './servicios-web.js';

export type AsignacionError =
  | { code: 'PERMISO.DENEGADO' }
  /** The administrator takes part in the CCF (its RL, linked delegate or an authorized person). */
  | ConflictoError
  | MotivoError
  | { code: 'CCF.NO_ES_CCF' }
  | { code: 'ASIGNACION.SIN_SERVICIOS' }
  | { code: 'ASIGNACION.NO_EXISTE' }
  /** The change is not allowed from the current state (e.g. reactivating a revoked assignment). */
  | { code: 'ASIGNACION.TRANSICION'; desde: EstadoAsignacion; accion: CambioAsignacion };

export type CambioAsignacion = 'suspender' | 'reactivar' | 'revocar';

/** Which change goes from which state to which: a revoked assignment is final (assign the service again for a new Client ID). */
export const TRANSICIONES: Readonly<Record<CambioAsignacion, { readonly desde: readonly EstadoAsignacion[]; readonly hacia: EstadoAsignacion }>> = {
  suspender: { desde: ['activo'], hacia: 'suspendido' },
  reactivar: { desde: ['suspendido'], hacia: 'activo' },
  revocar: { desde: ['activo', 'suspendido'], hacia: 'revocado' },
};

/** What one requested service became. */
export type ResultadoAsignacion =
  | { readonly servicioId: string; readonly resultado: 'asignado'; readonly asignacion: AsignacionServicio }
  | { readonly servicioId: string; readonly resultado: 'ya_asignado'; readonly asignacion: AsignacionServicio }
  | { readonly servicioId: string; readonly resultado: 'no_publicado' };

/** An assignment with its service, as lists show it. */
export interface AsignacionVista extends AsignacionServicio {
  readonly servicio?: Pick<ServicioWeb, 'id' | 'nombre' | 'metodo' | 'estado'>;
}

const assignmentId = (nit: string, servicioId: string) => `${nit}:${servicioId}`;
const nameOf = (c: Pick<ReferenceCompany, 'sigla' | 'razonSocial'>) => c.sigla ?? c.razonSocial;

/** A Client ID no other assignment has (the unique field is the safety net). */
async function newClientId(tx: Tx, deps: Pick<MinisterioDeps, 'random'>): Promise<string> {
  for (;;) {
    const candidate = deps.random.token(24);
    if ((await tx.collection('asignaciones').findBy('clientId', candidate)).length === 0) return candidate;
  }
}

/** The CCF's assignments with their services, active first. */
export async function assignmentsIn(tx: Tx, nit: string): Promise<AsignacionVista[]> {
  const rank: Record<EstadoAsignacion, number> = { activo: 0, suspendido: 1, revocado: 2 };
  const list: AsignacionVista[] = [];
  for (const a of await tx.collection('asignaciones').findBy('nit', nit)) {
    const s = await tx.collection('servicios').get(a.servicioId);
    list.push({ ...a, ...(s ? { servicio: { id: s.id, nombre: s.nombre, metodo: s.metodo, estado: s.estado } } : {}) });
  }
  return list.sort((a, b) => rank[a.estado] - rank[b.estado] || a.servicioId.localeCompare(b.servicioId));
}

/** The CCF's assignments (administrator). */
export function assignmentsOf(deps: MinisterioDeps, citizenId: string, nit: string, actor: Actor): Promise<Result<AsignacionVista[], AsignacionError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'servicios.asignar', actor);
    if (!allowed.ok) return allowed;
    const key = nitOf(nit);
    if (!key || !(await deps.reference.findCompany(key))?.codigoPila) return err({ code: 'CCF.NO_ES_CCF' } as const);
    return ok(await assignmentsIn(tx, key));
  });
}

/** The active authorized persons of a CCF, who hear about its services. */
async function authorizedPeople(tx: Tx, nit: string): Promise<Citizen[]> {
  const people: Citizen[] = [];
  for (const id of await activeAuthorized(tx, nit)) {
    const c = await tx.collection('citizens').get(id);
    if (c?.estado === 'activo') people.push(c);
  }
  return people;
}

/**
 * Assigns published services to a CCF: each gets a new Client ID (a revoked assignment is assigned
 * again with a new one; a current one is left as it is). Allowed while the CCF role is not active —
 * `usable` says whether the CCF can use them now.
 */
export async function assignServices(
  deps: MinisterioDeps,
  citizenId: string,
  nit: string,
  servicioIds: readonly string[],
  actor: Actor,
): Promise<Result<{ resultados: ResultadoAsignacion[]; usable: boolean; avisados: string[]; correosEnviados: boolean }, AsignacionError>> {
  const key = nitOf(nit);
  const done = await deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'servicios.asignar', actor);
    if (!allowed.ok) return allowed;
    const company = key ? await deps.reference.findCompany(key) : undefined;
    if (!key || !company?.codigoPila) return err({ code: 'CCF.NO_ES_CCF' } as const);
    if (await takesPartIn(tx, citizenId, key)) {
      await note(tx, deps, actor, 'ministerio.rechazado', key, { motivo: 'conflicto' });
      return err({ code: 'CCF.PARTICIPA' } as const);
    }
    if (servicioIds.length === 0) return err({ code: 'ASIGNACION.SIN_SERVICIOS' } as const);
    const now = deps.clock.now().toISOString();
    const resultados: ResultadoAsignacion[] = [];
    for (const servicioId of new Set(servicioIds)) {
      const servicio = await tx.collection('servicios').get(servicioId);
      if (!servicio || servicio.estado !== 'publicado') {
        resultados.push({ servicioId, resultado: 'no_publicado' });
        continue;
      }
      const existing = await tx.collection('asignaciones').get(assignmentId(key, servicioId));
      if (existing && existing.estado !== 'revocado') {
        resultados.push({ servicioId, resultado: 'ya_asignado', asignacion: existing });
        continue;
      }
      const asignacion: AsignacionServicio = {
        id: assignmentId(key, servicioId),
        nit: key,
        servicioId,
        clientId: await newClientId(tx, deps),
        estado: 'activo',
        creadoEn: now,
        actualizadoEn: now,
        historial: [...(existing?.historial ?? []), { estado: 'activo', en: now }],
      };
      await tx.collection('asignaciones').put(asignacion);
      await note(tx, deps, actor, 'servicios.asignado', key, { servicio: servicioId });
      await recordAction(tx, deps, citizenId, 'servicio_asignado', `${servicioId} → ${nameOf(company)}`);
      resultados.push({ servicioId, resultado: 'asignado', asignacion });
    }
    const usable = (await tx.collection('rolesCcf').get(key))?.activo === true;
    const nuevos = resultados.filter((r) => r.resultado === 'asignado').map((r) => r.servicioId);
    const people = nuevos.length ? await authorizedPeople(tx, key) : [];
    const role = await tx.collection('employers').get(key);
    const razonSocial = role?.razonSocial ?? company.razonSocial;
    const mails: MailRequest[] = people.map((p) => ({
      to: p.email,
      template: 'servicios-asignados',
      data: { nombre: displayName(p), razonSocial, nit: formatNit(key, company.dv), servicios: nuevos, usable, enlace: chatLink(deps) },
    }));
    return ok({ resultados, usable, mails, avisados: people.map((p) => p.id) });
  });
  if (!done.ok) return done;
  const subject = nitSubject(key!);
  const correosEnviados = (await sendAllAndRecord(deps, actor, done.value.mails.map((mail) => ({ mail, subject })))).every(Boolean);
  const { resultados, usable, avisados } = done.value;
  return ok({ resultados, usable, avisados, correosEnviados });
}

/** Suspends, reactivates or revokes an assignment, with a reason. Audited; the CCF's authorized persons are told. */
export async function changeAssignment(
  deps: MinisterioDeps,
  citizenId: string,
  nit: string,
  servicioId: string,
  accion: CambioAsignacion,
  motivo: string,
  actor: Actor,
): Promise<Result<{ asignacion: AsignacionServicio; avisados: string[]; correosEnviados: boolean }, AsignacionError>> {
  const key = nitOf(nit);
  const done = await deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'servicios.asignar', actor);
    if (!allowed.ok) return allowed;
    const reason = motivoOf(motivo);
    if (!reason.ok) return reason;
    const current = key ? await tx.collection('asignaciones').get(assignmentId(key, servicioId)) : undefined;
    if (!key || !current) return err({ code: 'ASIGNACION.NO_EXISTE' } as const);
    if (await takesPartIn(tx, citizenId, key)) {
      await note(tx, deps, actor, 'ministerio.rechazado', key, { motivo: 'conflicto' });
      return err({ code: 'CCF.PARTICIPA' } as const);
    }
    const t = TRANSICIONES[accion];
    if (!t.desde.includes(current.estado)) return err({ code: 'ASIGNACION.TRANSICION', desde: current.estado, accion } as const);
    const now = deps.clock.now().toISOString();
    const asignacion: AsignacionServicio = {
      ...current,
      estado: t.hacia,
      actualizadoEn: now,
      historial: [...current.historial, { estado: t.hacia, en: now, motivo: reason.value }],
    };
    await tx.collection('asignaciones').put(asignacion);
    await note(tx, deps, actor, `servicios.asignacion_${t.hacia}`, key, { servicio: servicioId });
    const company = await deps.reference.findCompany(key);
    const accionRegistrada = accion === 'suspender' ? 'asignacion_suspendida' : accion === 'reactivar' ? 'asignacion_reactivada' : 'asignacion_revocada';
    await recordAction(tx, deps, citizenId, accionRegistrada, `${servicioId} → ${company ? nameOf(company) : key}`, reason.value);
    const people = await authorizedPeople(tx, key);
    const role = await tx.collection('employers').get(key);
    const mails: MailRequest[] = people.map((p) => ({
      to: p.email,
      template: 'asignacion-cambiada',
      data: { nombre: displayName(p), razonSocial: role?.razonSocial ?? company?.razonSocial ?? key, servicio: servicioId, estado: t.hacia, motivo: reason.value, enlace: chatLink(deps) },
    }));
    return ok({ asignacion, mails, avisados: people.map((p) => p.id) });
  });
  if (!done.ok) return done;
  const subject = nitSubject(key!);
  const correosEnviados = (await sendAllAndRecord(deps, actor, done.value.mails.map((mail) => ({ mail, subject })))).every(Boolean);
  return ok({ asignacion: done.value.asignacion, avisados: done.value.avisados, correosEnviados });
}

/** The identifiers of the services a CCF has assigned and active, sorted (what its people see as theirs). */
export function activeServiceIds(deps: { readonly store: Store }, nit: string): Promise<string[]> {
  return deps.store.transaction(async (tx) =>
    (await tx.collection('asignaciones').findBy('nit', nit)).filter((a) => a.estado === 'activo').map((a) => a.servicioId).sort(),
  );
}

/**
 * Whether `clientId` is one the Ministry gave to an assignment (what "Información del servicio" shows):
 * not the Client ID a CCF's own authorization server gives the Ministry for a shared service.
 */
export function isAssignmentClientId(deps: { readonly store: Store }, clientId: string): Promise<boolean> {
  return deps.store.transaction(async (tx) => (await tx.collection('asignaciones').findBy('clientId', clientId)).length > 0);
}
