/**
 * Back-office staff ("Administrador MinSalud", "Mesa de ayuda"), assigned by configuration: lists of
 * documents such as "CC:70123456". Staff are ordinary citizens who log in; these lists add roles.
 */
import { documentKey } from './citizens.js';
import { normalizeNumero } from './people.js';
import { DOCUMENT_TYPES, type DocumentType } from './reference.js';

export type StaffRole = 'admin_minsalud' | 'mesa_ayuda';

export interface StaffDirectory {
  rolesOf(citizenId: string): readonly StaffRole[];
  /** The citizen ids holding `role`, in the configured order (each once). */
  members(role: StaffRole): readonly string[];
}

const ENTRY = new RegExp(`^(${DOCUMENT_TYPES.join('|')})\\s*[:\\s-]?\\s*([0-9A-Z][0-9A-Z.\\s-]*)$`);

/**
 * One configured document as a citizen id: "CC:70123456", "CC 70.123.456", "cc-70123456" →
 * "CC:70123456"; undefined when it is not a document.
 */
export function staffEntryKey(entry: string): string | undefined {
  const m = ENTRY.exec(entry.normalize('NFKC').trim().toUpperCase());
  if (!m) return undefined;
  const numero = normalizeNumero(m[2] as string);
  return /^[0-9A-Z]{3,20}$/.test(numero) ? documentKey(m[1] as DocumentType, numero) : undefined;
}

/**
 * A configured list ("CC:70123456, CE:654321" — commas, semicolons or new lines) as citizen ids.
 * Throws on an entry that is not a document: a mistyped administrator must stop the start-up, and
 * the message names the position, never the number.
 */
export function parseStaffList(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(/[,;\n\r]+/).map((e) => e.trim()).filter(Boolean);
  return [
    ...new Set(
      entries.map((e, i) => {
        const key = staffEntryKey(e);
        if (key === undefined) throw new Error(`staff list: entry ${i + 1} is not a document (expected e.g. "CC:70123456")`);
        return key;
      }),
    ),
  ];
}

/** Who is staff, from the configured lists (entries normalized as parseStaffList does). */
export function staffDirectory(config: { admins: readonly string[]; helpdesk: readonly string[] }): StaffDirectory {
  const lists: { readonly [R in StaffRole]: readonly string[] } = {
    admin_minsalud: Object.freeze(parseStaffList(config.admins.join('\n'))),
    mesa_ayuda: Object.freeze(parseStaffList(config.helpdesk.join('\n'))),
  };
  const admins = new Set(lists.admin_minsalud);
  const helpdesk = new Set(lists.mesa_ayuda);
  return {
    members: (role) => lists[role] ?? [],
    rolesOf(citizenId) {
      const key = staffEntryKey(citizenId);
      if (key === undefined) return [];
      const roles: StaffRole[] = [];
      if (admins.has(key)) roles.push('admin_minsalud');
      if (helpdesk.has(key)) roles.push('mesa_ayuda');
      return roles;
    },
  };
}

/** True when the citizen holds `role`. */
export const hasStaffRole = (staff: StaffDirectory, citizenId: string, role: StaffRole): boolean => staff.rolesOf(citizenId).includes(role);
