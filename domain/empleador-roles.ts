/** The employer roles a person can act in or see: the chat's role choice and the role's detail. */
import { nitOf, referenceRlOf, type EmpleadorDeps, type EmpleadorError } from './empleador-common.js';
import type { EmployerRole } from './employers.js';
import { may, principalOf } from './permissions.js';
import { err, ok, type Result } from './result.js';

const byRazonSocial = new Intl.Collator('es', { sensitivity: 'base' });

/** A role as the chat lists it for the person: which company, and whether they are its RL or delegate. */
export interface EmployerRef {
  nit: string;
  razonSocial: string;
  como: 'rl' | 'delegado';
  estado: EmployerRole['estado'];
}

/** The employer roles a person can act in: as RL (any estado) or as linked delegate; by razón social. */
export async function employersOf(deps: Pick<EmpleadorDeps, 'store'>, citizenId: string): Promise<EmployerRef[]> {
  const roles = await deps.store.transaction((tx) => tx.collection('employers').list());
  const refs: EmployerRef[] = [];
  for (const r of roles) {
    if (r.rl === citizenId) refs.push({ nit: r.nit, razonSocial: r.razonSocial, como: 'rl', estado: r.estado });
    else if (r.delegado.estado === 'vinculado' && r.delegado.citizenId === citizenId) {
      refs.push({ nit: r.nit, razonSocial: r.razonSocial, como: 'delegado', estado: r.estado });
    }
  }
  return refs.sort((a, b) => byRazonSocial.compare(a.razonSocial, b.razonSocial) || a.nit.localeCompare(b.nit));
}

/** One employer role, for its RL, its linked delegate or back-office staff. */
export async function getEmployer(
  deps: Pick<EmpleadorDeps, 'store' | 'reference' | 'staff'>,
  citizenId: string,
  nit: string,
): Promise<Result<EmployerRole, EmpleadorError>> {
  const key = nitOf(nit);
  const { role, principal } = await deps.store.transaction(async (tx) => ({
    role: key ? await tx.collection('employers').get(key) : undefined,
    principal: await principalOf(tx, deps.staff, citizenId),
  }));
  if (!role) {
    // Only who could see the role learns that it does not exist.
    const company = key ? await deps.reference.findCompany(key) : undefined;
    const couldSee = principal.activo && (principal.staff.length > 0 || (company !== undefined && referenceRlOf(company) === citizenId));
    return err(couldSee ? { code: 'EMPLEADOR.NO_EXISTE' } : { code: 'PERMISO.DENEGADO' });
  }
  return may(principal, 'empleador.ver', { role }) ? ok(role) : err({ code: 'PERMISO.DENEGADO' });
}
