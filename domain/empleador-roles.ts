/** The employer roles a person can act in or see: the chat's role choice and the role's detail. */
import { nitOf, referenceRlOf, type EmpleadorDeps, type EmpleadorError } from './empleador-common.js';
import type { EmployerRole } from './employers.js';
import type { Tx } from './ports.js';
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

/**
 * The employer roles `citizenId` is the legal representative or the delegate (linked or invited) of,
 * and those of the NITs in `alsoAt` (e.g. where they are an authorized person), in the order they
 * were registered: found through the `rl` and `delegado.citizenId` lookups and by NIT, never by
 * reading every role (with 10,000 roles stored, reading them all took ~90 ms a call).
 */
export async function rolesOfPerson(tx: Tx, citizenId: string, alsoAt: Iterable<string> = []): Promise<EmployerRole[]> {
  const repo = tx.collection('employers');
  const found = new Map<string, EmployerRole>();
  for (const r of [...(await repo.findBy('rl', citizenId)), ...(await repo.findBy('delegado.citizenId', citizenId))]) found.set(r.id, r);
  for (const nit of alsoAt) {
    const r = found.has(nit) ? undefined : await repo.get(nit);
    if (r) found.set(r.id, r);
  }
  return [...found.values()].sort((a, b) => a.creadoEn.localeCompare(b.creadoEn) || a.id.localeCompare(b.id));
}

/** The employer roles a person can act in: as RL (any estado) or as linked delegate; by razón social. */
export async function employersOf(deps: Pick<EmpleadorDeps, 'store'>, citizenId: string): Promise<EmployerRef[]> {
  return deps.store.transaction((tx) => employersIn(tx, citizenId));
}

/** employersOf inside a transaction. */
export async function employersIn(tx: Tx, citizenId: string): Promise<EmployerRef[]> {
  const roles = await rolesOfPerson(tx, citizenId);
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
