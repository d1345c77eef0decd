import { describe, expect, it } from 'vitest';
import { actor, ADMIN, COMFAMA_NIT, JOSE, pendingComfama, registration, setup, withPeople, ANDRES } from '../test/helpers/employers.js';
import { registerEmployer } from './empleador-registro.js';
import { reviewRut } from './backoffice.js';
import { rolesOf } from './roles.js';

const kinds = (roles: readonly { tipo: string; nit?: string; como?: string }[]) => roles.map((r) => [r.tipo, r.nit ?? '', r.como ?? '']);

describe('rolesOf: the roles a person may act in, and what the chain expects of them', () => {
  it('the RL of COMFAMA with no employer role: citizen only, COMFAMA still to register', async () => {
    const s = setup();
    await withPeople(s);
    const r = await rolesOf(s.deps, JOSE);
    expect(kinds(r.roles)).toEqual([['ciudadano', '', '']]);
    expect(r.sinRolEmpleador.map((c) => c.nit)).toEqual([COMFAMA_NIT]);
  });

  it('after the registration: the RL and the linked delegate act for it; nothing left to register', async () => {
    const s = setup();
    await withPeople(s);
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    const rl = await rolesOf(s.deps, JOSE);
    expect(kinds(rl.roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'rl']]);
    expect(rl.sinRolEmpleador).toEqual([]);
    expect(kinds((await rolesOf(s.deps, ANDRES)).roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'delegado']]);
  });

  it('a rejected registration is no role to act in, and is to be registered again', async () => {
    const s = setup();
    await pendingComfama(s);
    expect((await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'No corresponde', actor)).ok).toBe(true);
    const r = await rolesOf(s.deps, JOSE);
    expect(kinds(r.roles)).toEqual([['ciudadano', '', '']]);
    expect(r.sinRolEmpleador.map((c) => c.nit)).toEqual([COMFAMA_NIT]);
  });

  it('staff roles from configuration come last', async () => {
    const s = setup();
    await withPeople(s);
    expect(kinds((await rolesOf(s.deps, ADMIN)).roles)).toEqual([['ciudadano', '', ''], ['admin_minsalud', '', '']]);
  });
});
