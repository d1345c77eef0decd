/**
 * "Actualizar datos" of an employer role: the RL who registered it, still RL in the reference
 * sources, gives a new main site or designates a new delegate.
 */
import { documentSubject, type Actor } from './audit.js';
import { checkedDelegate, delegateEmail, designation } from './delegados.js';
import { nitOf, nitSubject, normalizeSede, note, placeName, referenceRlOf, type EmpleadorDeps, type EmpleadorError } from './empleador-common.js';
import { checkCorporateEmail } from './empleador-registro.js';
import type { DelegateData, Sede } from './employers.js';
import { formatNit } from './nit.js';
import { sendAllAndRecord, type Notice } from './notify.js';
import { displayName } from './people.js';
import { may, principalOf } from './permissions.js';
import { err, ok, type Err, type Result } from './result.js';
import { maskEmail } from './text.js';

/**
 * "Actualizar datos" (the RL who registered the role, still RL in the reference sources): a new main
 * site or a new delegate. Audited; the main site's address is told (the old one too when it changes).
 */
export async function updateEmployer(
  deps: EmpleadorDeps,
  rlCitizenId: string,
  nit: string,
  change: { sede: Sede } | { delegado: DelegateData },
  actor: Actor,
): Promise<Result<{ emailEnmascarado: string; correoEnviado: boolean }, EmpleadorError>> {
  const newSede = 'sede' in change ? normalizeSede(deps.reference, change.sede) : undefined;
  const email = 'delegado' in change ? delegateEmail(change.delegado) : undefined;

  const done = await deps.store.transaction(async (tx) => {
    const key = nitOf(nit);
    const refuse = async (error: EmpleadorError): Promise<Err<EmpleadorError>> => {
      if (key) await note(tx, deps, actor, 'empleador.actualizacion_rechazada', key, { motivo: error.code });
      return err(error);
    };
    const company = key ? await deps.reference.findCompany(key) : undefined;
    const role = key ? await tx.collection('employers').get(key) : undefined;
    const rl = await tx.collection('citizens').get(rlCitizenId);
    const principal = await principalOf(tx, deps.staff, rlCitizenId);
    const referenceRl = company ? referenceRlOf(company) : undefined;
    if (!rl || !role || role.estado === 'rechazado') {
      // Only the company's legal representative learns that the role does not exist.
      return refuse(rl && principal.activo && referenceRl === rlCitizenId ? { code: 'EMPLEADOR.NO_EXISTE' } : { code: 'PERMISO.DENEGADO' });
    }
    if (!may(principal, 'empleador.actualizar', { role, ...(referenceRl ? { referenceRl } : {}) })) return refuse({ code: 'PERMISO.DENEGADO' });
    const nowIso = deps.clock.now().toISOString();

    if (newSede) {
      const corporate = checkCorporateEmail(newSede.email);
      if (!corporate.ok) return refuse(corporate.error);
      const campos = (Object.keys(newSede) as (keyof Sede)[]).filter((k) => newSede[k] !== role.sede[k]);
      await tx.collection('employers').put({ ...role, sede: newSede, actualizadoEn: nowIso });
      await note(tx, deps, actor, 'empleador.sede_actualizada', role.nit, { campos: campos.join(','), correo: maskEmail(newSede.email) });
      const notice = { sede: { nombre: newSede.nombre, direccion: newSede.direccion, lugar: placeName(deps.reference, newSede), telefono: newSede.telefono, correo: newSede.email } };
      const to = [...new Set([newSede.email, role.sede.email])];
      return ok({ role: { ...role, sede: newSede }, rl, notice, to, delegateMail: undefined });
    }

    const d = (change as { delegado: DelegateData }).delegado;
    const checked = await checkedDelegate(tx, deps.reference, rlCitizenId, d);
    if (!checked.ok) return refuse(checked.error);
    const { delegado, mail } = designation(deps, checked.value, email as string, role, rl);
    await tx.collection('employers').put({ ...role, delegado, actualizadoEn: nowIso });
    await note(tx, deps, actor, 'empleador.delegado_reemplazado', role.nit, {
      anterior: documentSubject(role.delegado.tipoDocumento, role.delegado.numeroDocumento),
      delegado: documentSubject(delegado.tipoDocumento, delegado.numeroDocumento),
      estado: delegado.estado,
    }, [role.delegado.citizenId, delegado.citizenId]);
    const notice = { delegado: { nombre: displayName(delegado), vinculado: delegado.estado === 'vinculado' } };
    return ok({ role: { ...role, delegado }, rl, notice, to: [role.sede.email], delegateMail: mail });
  });
  if (!done.ok) return done;

  const { role, rl, notice, to, delegateMail } = done.value;
  const subject = nitSubject(role.nit);
  const data = { razonSocial: role.razonSocial, nit: formatNit(role.nit, role.dv), representante: displayName(rl), ...notice };
  const notices: Notice[] = to.map((address) => ({ mail: { to: address, template: 'empleador-actualizado', data }, subject }));
  if (delegateMail) notices.push({ mail: delegateMail, subject, persona: role.delegado.citizenId });
  // The delegate's mail is not the one the reply tells about.
  const correoEnviado = (await sendAllAndRecord(deps, actor, notices)).slice(0, to.length).every(Boolean);
  return ok({ emailEnmascarado: maskEmail(role.sede.email), correoEnviado });
}
