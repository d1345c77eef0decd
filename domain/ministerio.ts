/**
 * What the Ministry's back-office use cases share (DESIGN §2 "Back office"): the staff permission
 * (refusals audited), "Mis acciones recientes", who hears about a CCF (its RL, linked delegate and
 * active authorized persons), and the "Bandeja del Ministerio".
 */
import { audit, type Actor } from './audit.js';
import { activeAuthorized } from './autorizados.js';
import type { Citizen } from './citizens.js';
import type { EmpleadorDeps } from './empleador-common.js';
import type { EmployerRole } from './employers.js';
import { permit, principalOf, type Action } from './permissions.js';
import type { Tx } from './ports.js';
import { err, ok, type Result } from './result.js';
import type { AccionMinisterio } from './servicios-web.js';

export type MinisterioDeps = EmpleadorDeps;

/** How many of their own actions an administrator sees. */
export const ACCIONES_RECIENTES = 15;

/** A reason for activating, deactivating, retiring, suspending or revoking: this many characters. */
export const MOTIVO_MIN = 5;
export const MOTIVO_MAX = 500;

export type MotivoError = { code: 'MINISTERIO.MOTIVO_REQUERIDO'; min: number; max: number };

/** The reason as stored (spaces collapsed), or the error. */
export function motivoOf(raw: string): Result<string, MotivoError> {
  const m = raw.replace(/\s+/g, ' ').trim();
  return m.length < MOTIVO_MIN || m.length > MOTIVO_MAX ? err({ code: 'MINISTERIO.MOTIVO_REQUERIDO', min: MOTIVO_MIN, max: MOTIVO_MAX }) : ok(m);
}

/** The staff permission for a back-office action; a refusal is audited (without who was refused beyond the channel reference). */
export async function staffOnly(tx: Tx, deps: Pick<MinisterioDeps, 'staff' | 'clock' | 'random'>, citizenId: string, action: Action, actor: Actor): Promise<Result<void, { code: 'PERMISO.DENEGADO' }>> {
  const allowed = permit(await principalOf(tx, deps.staff, citizenId), action, {});
  if (!allowed.ok) await audit(tx, deps.clock, deps.random, actor, 'ministerio.rechazado', undefined, { accion: action });
  return allowed;
}

/** Records an administrator's action for "Mis acciones recientes". */
export async function recordAction(
  tx: Tx,
  deps: Pick<MinisterioDeps, 'clock' | 'random'>,
  por: string,
  accion: AccionMinisterio['accion'],
  sobre: string,
  motivo?: string,
): Promise<void> {
  const en = deps.clock.now().toISOString();
  await tx.collection('accionesMinisterio').put({ id: `${en}-${deps.random.token(6)}`, por, en, accion, sobre, ...(motivo ? { motivo } : {}) });
}

/** The administrator's own latest actions, newest first (actions of the same instant: the last recorded first). */
export async function recentActions(
  deps: Pick<MinisterioDeps, 'store' | 'staff' | 'clock' | 'random'>,
  citizenId: string,
  actor: Actor,
): Promise<Result<AccionMinisterio[], { code: 'PERMISO.DENEGADO' }>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'ccf.activar', actor);
    if (!allowed.ok) return allowed;
    const mine = (await tx.collection('accionesMinisterio').findBy('por', citizenId)).map((a, i) => ({ a, i }));
    return ok(mine.sort((x, y) => y.a.en.localeCompare(x.a.en) || y.i - x.i).slice(0, ACCIONES_RECIENTES).map((x) => x.a));
  });
}

/**
 * Nobody acts in the back office on a CCF they take part in (its RL, its linked delegate, one of its
 * authorized persons), as nobody reviews the RUT of a company they represent.
 */
export type ConflictoError = { code: 'CCF.PARTICIPA' };

export async function takesPartIn(tx: Tx, citizenId: string, nit: string): Promise<boolean> {
  const role = await tx.collection('employers').get(nit);
  if (role && (role.rl === citizenId || (role.delegado.estado === 'vinculado' && role.delegado.citizenId === citizenId))) return true;
  return (await activeAuthorized(tx, nit)).includes(citizenId);
}

/** The people who hear about a CCF's role and services: its RL, its linked delegate and its active authorized persons (each once). */
export async function peopleOfCcf(tx: Tx, role: EmployerRole): Promise<Citizen[]> {
  const ids = [role.rl, ...(role.delegado.estado === 'vinculado' ? [role.delegado.citizenId] : []), ...(await activeAuthorized(tx, role.nit))];
  const people: Citizen[] = [];
  for (const id of new Set(ids)) {
    const c = await tx.collection('citizens').get(id);
    if (c?.estado === 'activo') people.push(c);
  }
  return people;
}

// ---------------------------------------------------------------- Bandeja del Ministerio

export interface Bandeja {
  /** Employer roles whose attached RUT waits for review, oldest first. */
  readonly rut: readonly { readonly nit: string; readonly razonSocial: string; readonly desde: string }[];
  /** CCFs that reached step 3 (employer role + an active authorized person) whose CCF role is not active, oldest first. */
  readonly porActivar: readonly { readonly nit: string; readonly razonSocial: string; readonly desde: string }[];
  /** CCFs whose role is active and that have no service assigned, oldest first. */
  readonly sinServicios: readonly { readonly nit: string; readonly razonSocial: string; readonly desde: string }[];
}

/** What waits for the Ministry, oldest first in each group. */
export function bandeja(deps: MinisterioDeps, citizenId: string, actor: Actor): Promise<Result<Bandeja, { code: 'PERMISO.DENEGADO' }>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'ccf.activar', actor);
    if (!allowed.ok) return allowed;
    const byDate = <T extends { desde: string }>(list: T[]) => list.sort((a, b) => a.desde.localeCompare(b.desde));
    const roles = await tx.collection('employers').list();
    const rut = byDate(
      roles.filter((r) => r.estado === 'pendiente_revision' && r.rl !== citizenId).map((r) => ({ nit: r.nit, razonSocial: r.razonSocial, desde: r.rut?.subidoEn ?? r.creadoEn })),
    );
    const porActivar: Bandeja['porActivar'][number][] = [];
    const sinServicios: Bandeja['sinServicios'][number][] = [];
    for (const role of roles) {
      if (role.estado !== 'activo' || !(await deps.reference.findCompany(role.nit))?.codigoPila) continue;
      const rolCcf = await tx.collection('rolesCcf').get(role.nit);
      // A role the Ministry deactivated waits for nobody: it is reactivated on purpose, from "Activar / desactivar".
      if (rolCcf && !rolCcf.activo) continue;
      if (rolCcf?.activo) {
        const assigned = (await tx.collection('asignaciones').findBy('nit', role.nit)).some((a) => a.estado === 'activo');
        if (!assigned) sinServicios.push({ nit: role.nit, razonSocial: role.razonSocial, desde: rolCcf.en });
        continue;
      }
      const authorized = (await tx.collection('autorizaciones').findBy('nit', role.nit)).filter((a) => a.estado === 'activo');
      if (authorized.length === 0) continue;
      const desde = authorized.map((a) => a.activadoEn ?? a.autorizadoPor.en).sort()[0]!;
      porActivar.push({ nit: role.nit, razonSocial: role.razonSocial, desde });
    }
    return ok({ rut, porActivar: byDate(porActivar), sinServicios: byDate(sinServicios) });
  });
}
