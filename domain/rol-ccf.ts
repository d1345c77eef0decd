/**
 * Activar / desactivar el rol "Caja de Compensación Familiar" (DESIGN §1 step 4): a MinSalud
 * administrator, with a reason, for a CCF whose employer role is registered. The RL, the linked
 * delegate and the active authorized persons are told by e-mail (the chat tells them too).
 */
import type { Actor } from './audit.js';
import type { RolCcf } from './autorizaciones.js';
import { chatLink, nitOf, nitSubject, note } from './empleador-common.js';
import { motivoOf, peopleOfCcf, recordAction, staffOnly, takesPartIn, type ConflictoError, type MinisterioDeps, type MotivoError } from './ministerio.js';
import { formatNit } from './nit.js';
import { sendAllAndRecord } from './notify.js';
import { displayName } from './people.js';
import type { MailRequest } from './ports.js';
import type { ReferenceCompany } from './reference.js';
import { err, ok, type Result } from './result.js';

export type RolCcfError =
  | { code: 'PERMISO.DENEGADO' }
  /** The administrator takes part in the CCF (its RL, linked delegate or an authorized person). */
  | ConflictoError
  | MotivoError
  /** Not one of the 43 CCFs. */
  | { code: 'CCF.NO_ES_CCF' }
  /** The CCF's employer role is not registered (or waits for its RUT review, or was rejected). */
  | { code: 'CCF.SIN_ROL_EMPLEADOR' }
  | { code: 'CCF.YA_ACTIVO' }
  | { code: 'CCF.YA_INACTIVO' };

/** A CCF as the administrator chooses it: its role state and how far its chain is. */
export interface CcfParaActivar {
  readonly nit: string;
  readonly dv: string;
  readonly razonSocial: string;
  readonly sigla?: string;
  /** The employer role is registered and active. */
  readonly rolEmpleador: boolean;
  readonly autorizados: number;
  readonly rolCcf?: Pick<RolCcf, 'activo' | 'en' | 'motivo'>;
}

/** Every CCF (the 43 of the reference sources), with its employer role and CCF role state. */
export function ccfsParaActivar(deps: MinisterioDeps, citizenId: string, actor: Actor): Promise<Result<CcfParaActivar[], { code: 'PERMISO.DENEGADO' }>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'ccf.activar', actor);
    if (!allowed.ok) return allowed;
    const list: CcfParaActivar[] = [];
    for (const c of await deps.reference.listCcfs()) {
      const role = await tx.collection('employers').get(c.nit);
      const rolCcf = await tx.collection('rolesCcf').get(c.nit);
      const autorizados = (await tx.collection('autorizaciones').findBy('nit', c.nit)).filter((a) => a.estado === 'activo').length;
      list.push({
        nit: c.nit,
        dv: c.dv,
        razonSocial: role?.estado === 'activo' ? role.razonSocial : c.razonSocial,
        ...(c.sigla ? { sigla: c.sigla } : {}),
        rolEmpleador: role?.estado === 'activo',
        autorizados,
        ...(rolCcf ? { rolCcf: { activo: rolCcf.activo, en: rolCcf.en, ...(rolCcf.motivo ? { motivo: rolCcf.motivo } : {}) } } : {}),
      });
    }
    return ok(list);
  });
}

/** The name people know a CCF by. */
const nameOf = (c: Pick<ReferenceCompany, 'sigla' | 'razonSocial'> | undefined, fallback: string) => c?.sigla ?? c?.razonSocial ?? fallback;

/**
 * Activates (`activo` true) or deactivates the CCF role, with a reason. Returns who was told (their
 * citizen ids, for the chat notices) and whether every e-mail went.
 */
export async function setCcfRole(
  deps: MinisterioDeps,
  citizenId: string,
  nit: string,
  activo: boolean,
  motivo: string,
  actor: Actor,
): Promise<Result<{ rolCcf: RolCcf; razonSocial: string; avisados: string[]; correosEnviados: boolean }, RolCcfError>> {
  const reason = motivoOf(motivo);
  const key = nitOf(nit);
  const done = await deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'ccf.activar', actor);
    if (!allowed.ok) return allowed;
    if (!reason.ok) return reason;
    const company = key ? await deps.reference.findCompany(key) : undefined;
    if (!key || !company?.codigoPila) return err({ code: 'CCF.NO_ES_CCF' } as const);
    if (await takesPartIn(tx, citizenId, key)) {
      await note(tx, deps, actor, 'ministerio.rechazado', key, { motivo: 'conflicto' });
      return err({ code: 'CCF.PARTICIPA' } as const);
    }
    const role = await tx.collection('employers').get(key);
    if (!role || role.estado !== 'activo') return err({ code: 'CCF.SIN_ROL_EMPLEADOR' } as const);
    const current = await tx.collection('rolesCcf').get(key);
    if (activo && current?.activo) return err({ code: 'CCF.YA_ACTIVO' } as const);
    if (!activo && !current?.activo) return err({ code: 'CCF.YA_INACTIVO' } as const);
    const en = deps.clock.now().toISOString();
    const rolCcf: RolCcf = { id: key, nit: key, activo, en, motivo: reason.value, por: citizenId };
    await tx.collection('rolesCcf').put(rolCcf);
    await note(tx, deps, actor, activo ? 'ccf.rol_activado' : 'ccf.rol_desactivado', key);
    const sigla = nameOf(company, role.razonSocial);
    await recordAction(tx, deps, citizenId, activo ? 'rol_ccf_activado' : 'rol_ccf_desactivado', sigla, reason.value);
    const people = await peopleOfCcf(tx, role);
    const mails: MailRequest[] = people.map((p) => ({
      to: p.email,
      template: activo ? 'rol-ccf-activado' : 'rol-ccf-desactivado',
      data: { nombre: displayName(p), razonSocial: role.razonSocial, sigla, nit: formatNit(key, role.dv), motivo: reason.value, enlace: chatLink(deps) },
    }));
    return ok({ rolCcf, razonSocial: role.razonSocial, mails, avisados: people.map((p) => p.id) });
  });
  if (!done.ok) return done;
  const subject = nitSubject(key!);
  const correosEnviados = (await sendAllAndRecord(deps, actor, done.value.mails.map((mail) => ({ mail, subject })))).every(Boolean);
  const { rolCcf, razonSocial, avisados } = done.value;
  return ok({ rolCcf, razonSocial, avisados, correosEnviados });
}
