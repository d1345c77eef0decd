/** How roles are named to people (templates/es/general/roles.json). */
import type { ActingRole, RoleKind } from '../domain/session.js';
import { fill, messages } from '../templates/render.js';

interface RoleTexts {
  etiquetas: Record<RoleKind, string>;
  otrosNombres: Record<RoleKind, string[]>;
  quien: Record<RoleKind, string>;
}

const texts = () => messages<RoleTexts>('general/roles');

/** "Empleador persona jurídica — COMFAMA", "Administrador MinSalud"… */
export function roleLabel(role: ActingRole): string {
  return fill(texts().etiquetas[role.tipo], { razonSocial: 'razonSocial' in role ? role.razonSocial : '', sigla: role.tipo === 'ccf' ? role.sigla : undefined });
}

/** Other names people give a role when choosing it ("como autorizado", "el de empleador"). */
export function roleAliases(role: ActingRole): readonly string[] {
  return texts().otrosNombres[role.tipo] ?? [];
}

/** Who may use a functionality meant for these roles, as a phrase: "el representante legal o el delegado de…". */
export function whoMay(kinds: readonly RoleKind[]): string {
  return kinds.map((k) => texts().quien[k]).join('; o ');
}
