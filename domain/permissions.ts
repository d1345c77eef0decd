/**
 * Who may do what (DESIGN §3 "Processes, roles and permissions"): one function answers "may this
 * person do this action on this resource". Every use case asks it; the chat's process registry
 * decides, before that, which acting role may start a process.
 */
import type { EmployerRole } from './employers.js';
import { err, ok, type Result } from './result.js';
import type { ActingRole } from './session.js';
import type { Tx } from './ports.js';
import type { StaffDirectory, StaffRole } from './staff.js';

export const ACTIONS = [
  'empleador.registrar',
  'empleador.ver',
  'empleador.actualizar',
  'autorizados.administrar',
  'rut.revisar',
  'rut.descargar',
  'ccf.activar',
  'servicios.catalogo',
  'servicios.asignar',
  'servicios.administrar',
  'mesa.consultar',
  'mesa.actuar',
  'datos.propios',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Who asks: a logged-in citizen (with their staff roles and, in the chat, the role they act in), or nobody. */
export interface Principal {
  /** The citizen's id (documentKey); undefined when nobody is logged in. */
  readonly citizenId: string | undefined;
  /** False while the account waits for activation. */
  readonly activo: boolean;
  readonly staff: readonly StaffRole[];
  /** The role chosen in the chat; needed only by actions done "in a role" (autorizados, servicios). */
  readonly acting?: ActingRole;
}

/** What the action is about; each action reads the facts it needs (absent facts never grant). */
export interface Resource {
  /** The company's NIT (9 digits). */
  readonly nit?: string;
  /** The company's employer role, when registered. */
  readonly role?: Pick<EmployerRole, 'nit' | 'rl' | 'delegado'>;
  /** The citizen id of the company's legal representative in the reference sources. */
  readonly referenceRl?: string;
  /** Citizen ids of the CCF's active authorized persons (perfil "Autorizado para administrar servicios web externos"). */
  readonly autorizados?: readonly string[];
  /** The Ministry activated the rol "Caja de Compensación Familiar" of this CCF. */
  readonly ccfActivo?: boolean;
  /** The citizen id of the person the personal data belongs to ("Mis datos"). */
  readonly titular?: string;
}

export type PermissionError = { code: 'PERMISO.DENEGADO' };

const isRl = (p: Principal, r: Resource): boolean => r.role !== undefined && r.role.rl === p.citizenId;
const isLinkedDelegate = (p: Principal, r: Resource): boolean =>
  r.role !== undefined && r.role.delegado.estado === 'vinculado' && r.role.delegado.citizenId === p.citizenId;
const actsAs = (p: Principal, tipo: ActingRole['tipo'], nit: string | undefined): boolean =>
  p.acting?.tipo === tipo && nit !== undefined && 'nit' in p.acting && p.acting.nit === nit;

const RULES: { readonly [A in Action]: (p: Principal, r: Resource) => boolean } = {
  // Only the legal representative in the reference sources registers the employer role of a NIT.
  'empleador.registrar': (p, r) => r.referenceRl === p.citizenId,
  'empleador.ver': (p, r) => isRl(p, r) || isLinkedDelegate(p, r) || p.staff.length > 0,
  // The RL who registered the role, while still RL in the reference sources.
  'empleador.actualizar': (p, r) => isRl(p, r) && r.referenceRl === p.citizenId,
  'autorizados.administrar': (p, r) => (isRl(p, r) || isLinkedDelegate(p, r)) && actsAs(p, 'empleador', r.role?.nit),
  // Nobody reviews the RUT of a company they represent.
  'rut.revisar': (p, r) => p.staff.includes('admin_minsalud') && !isRl(p, r),
  'rut.descargar': (p, r) => p.staff.includes('admin_minsalud') || isRl(p, r),
  'ccf.activar': (p) => p.staff.includes('admin_minsalud'),
  // The catalog of web services and their assignment to CCFs: the Ministry's back office.
  'servicios.catalogo': (p) => p.staff.includes('admin_minsalud'),
  'servicios.asignar': (p) => p.staff.includes('admin_minsalud'),
  'servicios.administrar': (p, r) =>
    r.ccfActivo === true && (r.autorizados ?? []).includes(p.citizenId ?? '') && actsAs(p, 'ccf', r.nit),
  'mesa.consultar': (p) => p.staff.includes('mesa_ayuda'),
  // Lifting a block or resending a link on someone's behalf (with a reason): the helpdesk, never on themself.
  'mesa.actuar': (p, r) => p.staff.includes('mesa_ayuda') && (r.titular === undefined || r.titular !== p.citizenId),
  // Habeas data: a person sees, and asks to correct or delete, only their own data, in any role.
  'datos.propios': (p, r) => r.titular !== undefined && r.titular === p.citizenId,
};

/** True when `principal` may do `action` on `resource`. Nobody who is not logged in with an active account may do anything here. */
export function may(principal: Principal, action: Action, resource: Resource = {}): boolean {
  if (principal.citizenId === undefined || !principal.activo) return false;
  return RULES[action](principal, resource);
}

/** `may` as a use-case result. */
export function permit(principal: Principal, action: Action, resource: Resource = {}): Result<void, PermissionError> {
  return may(principal, action, resource) ? ok(undefined) : err({ code: 'PERMISO.DENEGADO' });
}

/** The principal behind a citizen id, read inside the use case's transaction. */
export async function principalOf(
  tx: Tx,
  staff: StaffDirectory,
  citizenId: string | undefined,
  acting?: ActingRole,
): Promise<Principal> {
  const citizen = citizenId === undefined ? undefined : await tx.collection('citizens').get(citizenId);
  return {
    citizenId,
    activo: citizen?.estado === 'activo',
    staff: citizenId === undefined ? [] : staff.rolesOf(citizenId),
    ...(acting ? { acting } : {}),
  };
}
