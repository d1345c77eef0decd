import { describe, expect, it } from 'vitest';
import type { EmployerRole } from './employers.js';
import { ACTIONS, may, permit, type Action, type Principal, type Resource } from './permissions.js';

const X = '890900841'; // COMFAMA
const RL = 'CC:70123456';
const DELEGADO = 'CC:1036612345';
const AUTORIZADO = 'CC:1017234567';
const OTRO_RL = 'CC:18054862'; // RL of another company
const NUEVO_DELEGADO = 'CE:654321'; // the delegate who replaced María

const role = (delegado: 'vinculado' | 'invitado' = 'vinculado'): Pick<EmployerRole, 'nit' | 'rl' | 'delegado'> => ({
  nit: X,
  rl: RL,
  delegado: {
    tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'MARÍA', segundoNombre: 'FERNANDA',
    primerApellido: 'PEÑA', segundoApellido: 'OCHOA', email: 'maria@example.com', estado: delegado, citizenId: DELEGADO,
  },
});
/** X's role after the RL designated another delegate: María is a former delegate. */
const replaced = (): Pick<EmployerRole, 'nit' | 'rl' | 'delegado'> => {
  const r = role();
  return { ...r, delegado: { ...r.delegado, tipoDocumento: 'CE', numeroDocumento: '654321', primerNombre: 'CARLOS', segundoNombre: '', primerApellido: 'BRICEÑO', segundoApellido: 'SALAS', citizenId: NUEVO_DELEGADO } };
};
// The personal data in question ("Mis datos") is the RL's.
const company: Resource = { nit: X, role: role(), referenceRl: RL, autorizados: [AUTORIZADO], ccfActivo: true, titular: RL };

const citizen = (citizenId: string, extra: Partial<Principal> = {}): Principal => ({ citizenId, activo: true, staff: [], acting: { tipo: 'ciudadano' }, ...extra });
const employerOf = (como: 'rl' | 'delegado') => ({ tipo: 'empleador' as const, nit: X, razonSocial: 'COMFAMA', como });

/** Every role a person may hold (or lack), each with the company fact that goes with it. */
const ROLES: Record<string, { who: Principal; on?: Resource }> = {
  'nobody logged in': { who: { citizenId: undefined, activo: false, staff: [] } },
  'account pending activation (the RL)': { who: citizen(RL, { activo: false, acting: employerOf('rl') }) },
  'citizen with no relation': { who: citizen('CC:5555555') },
  'RL of X acting as citizen': { who: citizen(RL) },
  'RL of X acting as employer of X': { who: citizen(RL, { acting: employerOf('rl') }) },
  'RL of X acting as employer of another company': { who: citizen(RL, { acting: { tipo: 'empleador', nit: '860007336', razonSocial: 'OTRA', como: 'rl' } }) },
  'RL of X who is no longer RL in the reference sources': { who: citizen(RL, { acting: employerOf('rl') }), on: { ...company, referenceRl: OTRO_RL } },
  'linked delegate of X acting as employer of X': { who: citizen(DELEGADO, { acting: employerOf('delegado') }) },
  'former delegate of X (replaced), acting as employer of X': { who: citizen(DELEGADO, { acting: employerOf('delegado') }), on: { ...company, role: replaced() } },
  'invited delegate of X (not registered yet)': { who: citizen(DELEGADO, { acting: employerOf('delegado') }), on: { ...company, role: role('invitado') } },
  'RL of another company, acting as its employer': {
    who: citizen(OTRO_RL, { acting: { tipo: 'empleador', nit: '860007336', razonSocial: 'OTRA', como: 'rl' } }),
  },
  'authorized person of X acting in rol CCF of X': { who: citizen(AUTORIZADO, { acting: { tipo: 'ccf', nit: X, razonSocial: 'COMFAMA' } }) },
  'authorized person of X acting as citizen': { who: citizen(AUTORIZADO) },
  'authorized person of X claiming to act as employer of X': { who: citizen(AUTORIZADO, { acting: employerOf('delegado') }) },
  'authorized person of X whose CCF role is not active': {
    who: citizen(AUTORIZADO, { acting: { tipo: 'ccf', nit: X, razonSocial: 'COMFAMA' } }),
    on: { ...company, ccfActivo: false },
  },
  'authorized person of another CCF acting in rol CCF of X': {
    who: citizen('CC:4444444', { acting: { tipo: 'ccf', nit: X, razonSocial: 'COMFAMA' } }),
  },
  'Administrador MinSalud': { who: citizen('CE:654321', { staff: ['admin_minsalud'], acting: { tipo: 'admin_minsalud' } }) },
  'Administrador MinSalud who is the RL of X': { who: citizen(RL, { staff: ['admin_minsalud'], acting: { tipo: 'admin_minsalud' } }) },
  'Mesa de ayuda': { who: citizen('CC:14770440', { staff: ['mesa_ayuda'], acting: { tipo: 'mesa_ayuda' } }) },
  'Mesa de ayuda who is the RL of X': { who: citizen(RL, { staff: ['mesa_ayuda'], acting: { tipo: 'mesa_ayuda' } }) },
};

/** The roles allowed for each action; every other role of ROLES is refused. */
const ALLOWED: Record<Action, string[]> = {
  'empleador.registrar': [
    'RL of X acting as citizen',
    'RL of X acting as employer of X',
    'RL of X acting as employer of another company',
    'Administrador MinSalud who is the RL of X',
    'Mesa de ayuda who is the RL of X',
  ],
  'empleador.ver': [
    'RL of X acting as citizen',
    'RL of X acting as employer of X',
    'RL of X acting as employer of another company',
    'RL of X who is no longer RL in the reference sources',
    'linked delegate of X acting as employer of X',
    'Administrador MinSalud',
    'Administrador MinSalud who is the RL of X',
    'Mesa de ayuda',
    'Mesa de ayuda who is the RL of X',
  ],
  'empleador.actualizar': [
    'RL of X acting as citizen',
    'RL of X acting as employer of X',
    'RL of X acting as employer of another company',
    'Administrador MinSalud who is the RL of X',
    'Mesa de ayuda who is the RL of X',
  ],
  'autorizados.administrar': [
    'RL of X acting as employer of X',
    'RL of X who is no longer RL in the reference sources',
    'linked delegate of X acting as employer of X',
  ],
  'rut.revisar': ['Administrador MinSalud'],
  'rut.descargar': [
    'RL of X acting as citizen',
    'RL of X acting as employer of X',
    'RL of X acting as employer of another company',
    'RL of X who is no longer RL in the reference sources',
    'Administrador MinSalud',
    'Administrador MinSalud who is the RL of X',
    'Mesa de ayuda who is the RL of X',
  ],
  'ccf.activar': ['Administrador MinSalud', 'Administrador MinSalud who is the RL of X'],
  'servicios.catalogo': ['Administrador MinSalud', 'Administrador MinSalud who is the RL of X'],
  'servicios.asignar': ['Administrador MinSalud', 'Administrador MinSalud who is the RL of X'],
  'servicios.administrar': ['authorized person of X acting in rol CCF of X'],
  'mesa.consultar': ['Mesa de ayuda', 'Mesa de ayuda who is the RL of X'],
  // Nobody lifts their own block or resends their own link: the person in question (titular) is the RL.
  'mesa.actuar': ['Mesa de ayuda'],
  // Only the owner, with an active account, in whatever role they act; not even the helpdesk.
  'datos.propios': [
    'RL of X acting as citizen',
    'RL of X acting as employer of X',
    'RL of X acting as employer of another company',
    'RL of X who is no longer RL in the reference sources',
    'Administrador MinSalud who is the RL of X',
    'Mesa de ayuda who is the RL of X',
  ],
};

const table = ACTIONS.flatMap((action) =>
  Object.entries(ROLES).map(([name, { who, on }]) => [action, name, ALLOWED[action].includes(name), who, on ?? company] as const),
);

describe('permissions: every action × every role', () => {
  it('the table names only known roles', () => {
    for (const names of Object.values(ALLOWED)) for (const n of names) expect(Object.keys(ROLES)).toContain(n);
  });

  it.each(table)('%s by %s → allowed: %s', (action, _name, allowed, who, on) => {
    expect(may(who, action, on)).toBe(allowed);
    expect(permit(who, action, on)).toEqual(allowed ? { ok: true, value: undefined } : { ok: false, error: { code: 'PERMISO.DENEGADO' } });
  });

  it('absent facts never grant', () => {
    const admin = ROLES['Administrador MinSalud']!.who;
    const rl = ROLES['RL of X acting as employer of X']!.who;
    const autorizado = ROLES['authorized person of X acting in rol CCF of X']!.who;
    expect(may(rl, 'empleador.registrar', {})).toBe(false);
    expect(may(rl, 'autorizados.administrar', {})).toBe(false);
    expect(may(autorizado, 'servicios.administrar', { nit: X, autorizados: [AUTORIZADO] })).toBe(false);
    expect(may(admin, 'rut.revisar', {})).toBe(true); // the bandeja itself, before any RUT
    expect(may(rl, 'datos.propios', {})).toBe(false);
  });
});
