import { describe, expect, it } from 'vitest';
import {
  actor,
  ADMIN,
  ANDRES,
  COMFAMA_NIT,
  DELEGADO_ANDRES,
  HELPDESK,
  JAIME,
  JOSE,
  MARIA,
  refused,
  registration,
  RUT_OK,
  seedCitizen,
  setup,
  withPeople,
} from '../test/helpers/employers.js';
import type { EmpleadorError } from './empleador-common.js';
import { registerEmployer } from './empleador-registro.js';
import { employersOf, getEmployer } from './empleador-roles.js';
import type { Sede } from './employers.js';

// ------------------------------------------------------------------------------ roles of a person

describe('employersOf and getEmployer', () => {
  it('an RL of two companies and their delegate see both, by razón social; others see none', async () => {
    const s = setup();
    await withPeople(s);
    await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
    const sede = (email: string): Sede => ({ nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 10 # 20-30', telefono: '6044445555', email });
    await registerEmployer(s.deps, JAIME, { nit: '900197450', razonSocial: 'Transportes Río Grande S.A.S.', naturaleza: '2', delegado: DELEGADO_ANDRES, sede: sede('admin@riogrande.com.co') }, actor);
    await registerEmployer(s.deps, JAIME, { nit: '901134906', razonSocial: 'Otra razón', naturaleza: '2', rut: RUT_OK, delegado: DELEGADO_ANDRES, sede: sede('admin@agrollano.co') }, actor);

    expect(await employersOf(s.deps, JAIME)).toEqual([
      { nit: '901134906', razonSocial: 'Otra razón', como: 'rl', estado: 'pendiente_revision' },
      { nit: '900197450', razonSocial: 'TRANSPORTES RÍO GRANDE S.A.S.', como: 'rl', estado: 'activo' },
    ]);
    expect((await employersOf(s.deps, ANDRES)).map((r) => [r.nit, r.como])).toEqual([
      ['901134906', 'delegado'],
      ['900197450', 'delegado'],
    ]);
    expect(await employersOf(s.deps, JOSE)).toEqual([]);
  });

  it.each<[string, string, string, 'ok' | EmpleadorError]>([
    ['the RL', JOSE, COMFAMA_NIT, 'ok'],
    ['the linked delegate', ANDRES, '890.900.841-9', 'ok'],
    ['a Mesa de ayuda agent', HELPDESK, COMFAMA_NIT, 'ok'],
    ['an Administrador MinSalud', ADMIN, COMFAMA_NIT, 'ok'],
    ['anyone else', MARIA, COMFAMA_NIT, { code: 'PERMISO.DENEGADO' }],
    ['staff, a NIT without the role', HELPDESK, '899999034', { code: 'EMPLEADOR.NO_EXISTE' }],
    ['anyone else, a NIT without the role', MARIA, '899999034', { code: 'PERMISO.DENEGADO' }],
  ])('getEmployer by %s', async (_name, citizenId, nit, expected) => {
    const s = setup();
    await withPeople(s);
    await registerEmployer(s.deps, JOSE, registration(), actor);
    const r = await getEmployer(s.deps, citizenId, nit);
    if (expected === 'ok') expect(r).toMatchObject({ ok: true, value: { nit: COMFAMA_NIT, rl: JOSE } });
    else expect(r).toEqual(refused(expected));
  });
});
