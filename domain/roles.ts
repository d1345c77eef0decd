/**
 * The roles a person can act in (DESIGN §3): always "Ciudadano"; "Empleador persona jurídica" for each
 * company they are the RL or the linked delegate of; "Caja de compensación familiar" for each CCF they
 * are an active authorized person of; the staff roles given by configuration. Also
 * what the chain expects of them next (a company they represent without an employer role).
 */
import { ccfsIn, withSiglas } from './autorizados.js';
import { employersIn } from './empleador-roles.js';
import type { Store } from './ports.js';
import { documentOf } from './citizens.js';
import type { ReferenceCompany, ReferenceRegistry } from './reference.js';
import type { ActingRole } from './session.js';
import type { StaffDirectory } from './staff.js';

export interface PersonRoles {
  /** Every role the person may act in, "Ciudadano" first, then companies by razón social, then staff roles. */
  readonly roles: readonly ActingRole[];
  /** Companies the person is the legal representative of (reference sources) that have no employer role yet (or a rejected one). */
  readonly sinRolEmpleador: readonly Pick<ReferenceCompany, 'nit' | 'razonSocial'>[];
}

/** Every role a person may act in, and the employer roles the chain still expects them to register. */
export async function rolesOf(
  deps: { readonly store: Store; readonly staff: StaffDirectory; readonly reference: ReferenceRegistry },
  citizenId: string,
): Promise<PersonRoles> {
  const staff: ActingRole[] = deps.staff.rolesOf(citizenId).map((tipo) => ({ tipo }));
  const doc = documentOf(citizenId);
  const represented = doc ? await deps.reference.companiesRepresentedBy(doc.tipo, doc.numero) : [];
  // Only the companies the person represents are looked at (a role is stored under its NIT).
  // One transaction for the three look-ups (the menu asks for them on many turns).
  const found = await deps.store.transaction(async (tx) => {
    const nits: string[] = [];
    for (const c of represented) {
      const r = await tx.collection('employers').get(c.nit);
      if (r && r.nit === c.nit && r.estado !== 'rechazado') nits.push(c.nit);
    }
    return { registered: new Set(nits), employers: await employersIn(tx, citizenId), ccfs: await ccfsIn(tx, citizenId) };
  });
  const { registered } = found;
  // A rejected registration is no role to act in: the RL registers it again.
  const employers: ActingRole[] = found.employers
    .filter((r) => r.estado !== 'rechazado')
    .map((r) => ({ tipo: 'empleador', nit: r.nit, razonSocial: r.razonSocial, como: r.como }));
  // An active authorized person of a CCF acts in the rol "Caja de compensación familiar" of that CCF.
  const ccfs: ActingRole[] = (await withSiglas(deps, found.ccfs)).map((c) => ({ tipo: 'ccf', nit: c.nit, razonSocial: c.razonSocial, ...(c.sigla ? { sigla: c.sigla } : {}) }));
  return {
    roles: [{ tipo: 'ciudadano' }, ...employers, ...ccfs, ...staff],
    sinRolEmpleador: represented.filter((c) => !registered.has(c.nit)).map((c) => ({ nit: c.nit, razonSocial: c.razonSocial })),
  };
}
