/**
 * The Ministry's back office ("Administrador MinSalud"): the review of RUTs attached to employer
 * registrations whose data did not match the RUT reference, and the download of those files.
 */
import type { Actor } from './audit.js';
import { chatLink, nitOf, nitSubject, note, type EmpleadorDeps, type EmpleadorError } from './empleador-common.js';
import type { EmployerRole } from './employers.js';
import { formatNit } from './nit.js';
import { sendAndRecord } from './notify.js';
import { displayName } from './people.js';
import { may, principalOf } from './permissions.js';
import { err, ok, type Err, type Result } from './result.js';

/** A rejection's reason, in characters (an approval may carry one too, up to the maximum). */
export const REVIEW_REASON_MIN = 5;
export const REVIEW_REASON_MAX = 500;

/** Roles waiting for the review of their RUT, oldest first (Administrador MinSalud only). */
export async function pendingRutReviews(deps: Pick<EmpleadorDeps, 'store' | 'staff'>, staffCitizenId: string): Promise<Result<EmployerRole[], EmpleadorError>> {
  const { principal, roles } = await deps.store.transaction(async (tx) => ({
    principal: await principalOf(tx, deps.staff, staffCitizenId),
    roles: await tx.collection('employers').list(),
  }));
  if (!may(principal, 'rut.revisar')) return err({ code: 'PERMISO.DENEGADO' });
  const pending = roles.filter((r) => r.estado === 'pendiente_revision' && may(principal, 'rut.revisar', { role: r }));
  return ok(pending.sort((a, b) => (a.rut?.subidoEn ?? a.creadoEn).localeCompare(b.rut?.subidoEn ?? b.creadoEn)));
}

/**
 * An Administrador MinSalud approves (role active) or rejects (with a reason) an attached RUT; not
 * for a role they represent. The RL is e-mailed at their personal address.
 */
export async function reviewRut(
  deps: EmpleadorDeps,
  staffCitizenId: string,
  nit: string,
  decision: 'aprobado' | 'rechazado',
  motivo: string | undefined,
  actor: Actor,
): Promise<Result<{ estado: EmployerRole['estado'] }, EmpleadorError>> {
  const reason = (motivo ?? '').replace(/\s+/g, ' ').trim();
  const done = await deps.store.transaction(async (tx) => {
    const key = nitOf(nit);
    const refuse = async (error: EmpleadorError): Promise<Err<EmpleadorError>> => {
      if (key) await note(tx, deps, actor, 'empleador.revision_rechazada', key, { motivo: error.code });
      return err(error);
    };
    const principal = await principalOf(tx, deps.staff, staffCitizenId);
    if (!may(principal, 'rut.revisar')) return refuse({ code: 'PERMISO.DENEGADO' });
    if ((decision === 'rechazado' && reason.length < REVIEW_REASON_MIN) || reason.length > REVIEW_REASON_MAX) {
      return refuse({ code: 'REVISION.MOTIVO_REQUERIDO', min: REVIEW_REASON_MIN, max: REVIEW_REASON_MAX });
    }
    const role = key ? await tx.collection('employers').get(key) : undefined;
    if (!role) return refuse({ code: 'EMPLEADOR.NO_EXISTE' });
    if (!may(principal, 'rut.revisar', { role })) return refuse({ code: 'PERMISO.DENEGADO' });
    if (role.estado !== 'pendiente_revision') return refuse({ code: 'REVISION.NO_PENDIENTE', estado: role.estado });
    const nowIso = deps.clock.now().toISOString();
    const reviewed: EmployerRole = {
      ...role,
      estado: decision === 'aprobado' ? 'activo' : 'rechazado',
      revision: { por: staffCitizenId, en: nowIso, decision, ...(reason ? { motivo: reason } : {}) },
      actualizadoEn: nowIso,
    };
    await tx.collection('employers').put(reviewed);
    await note(tx, deps, actor, decision === 'aprobado' ? 'empleador.rut_aprobado' : 'empleador.rut_rechazado', role.nit, { conMotivo: reason !== '' });
    const rl = await tx.collection('citizens').get(role.rl);
    return ok({ reviewed, rl });
  });
  if (!done.ok) return done;

  const { reviewed, rl } = done.value;
  if (rl) {
    const data = { nombre: displayName(rl), razonSocial: reviewed.razonSocial, nit: formatNit(reviewed.nit, reviewed.dv), enlace: chatLink(deps) };
    await sendAndRecord(
      deps,
      actor,
      decision === 'aprobado'
        ? { to: rl.email, template: 'rut-aprobado', data }
        : { to: rl.email, template: 'rut-rechazado', data: { ...data, motivo: reason } },
      nitSubject(reviewed.nit),
    );
  }
  return ok({ estado: reviewed.estado });
}

/** The attached RUT file, for an Administrador MinSalud or the role's RL. */
export async function rutFile(deps: Pick<EmpleadorDeps, 'store' | 'staff' | 'blobs'>, citizenId: string, nit: string): Promise<Result<Uint8Array, EmpleadorError>> {
  const key = nitOf(nit);
  const { role, principal } = await deps.store.transaction(async (tx) => ({
    role: key ? await tx.collection('employers').get(key) : undefined,
    principal: await principalOf(tx, deps.staff, citizenId),
  }));
  if (!may(principal, 'rut.descargar', role ? { role } : {})) return err({ code: 'PERMISO.DENEGADO' });
  if (!role?.rut) return err({ code: 'EMPLEADOR.NO_EXISTE' });
  const bytes = await deps.blobs.get(role.rut.sha256);
  if (!bytes) throw new Error(`RUT file of ${nitSubject(role.nit)} is missing from the blob store`);
  return ok(bytes);
}
