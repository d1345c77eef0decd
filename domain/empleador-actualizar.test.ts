import { describe, expect, it } from 'vitest';
import {
  actor,
  ANDRES,
  CARLOS,
  COMFAMA_NIT,
  DAY,
  DELEGADA_MARIA,
  DELEGADO_ANDRES,
  JOSE,
  MARIA,
  refused,
  registration,
  roleOf,
  SEDE,
  setup,
  START,
  withPeople,
  type Setup,
} from '../test/helpers/employers.js';
import { updateEmployer } from './empleador-actualizar.js';
import type { EmpleadorError } from './empleador-common.js';
import { registerEmployer } from './empleador-registro.js';
import { employersOf } from './empleador-roles.js';
import type { Sede } from './employers.js';

// ------------------------------------------------------------------------------ "Actualizar datos"

describe('updateEmployer', () => {
  async function registered(): Promise<Setup> {
    const s = setup();
    await withPeople(s);
    await registerEmployer(s.deps, JOSE, registration(), actor);
    s.mailer.sent.length = 0;
    s.clock.advance(DAY);
    return s;
  }

  it('a new main site: stored, audited with the fields changed, both the new and the old address told', async () => {
    const s = await registered();
    const sede: Sede = { ...SEDE, direccion: 'Carrera 48 # 20-114', municipio: '05266', email: 'mesa.servicios@comfama.com.co' };
    expect(await updateEmployer(s.deps, JOSE, '890.900.841-9', { sede }, actor)).toEqual({ ok: true, value: { emailEnmascarado: 'm***@comfama.com.co', correoEnviado: true } });
    expect(await roleOf(s)).toMatchObject({ sede, actualizadoEn: new Date(Date.parse(START) + DAY).toISOString() });
    expect(s.mailer.sent.map((m) => [m.template, m.to, m.insideTransaction])).toEqual([
      ['empleador-actualizado', 'mesa.servicios@comfama.com.co', false],
      ['empleador-actualizado', SEDE.email, false],
    ]);
    expect(s.mailer.sent[0]?.data).toMatchObject({ sede: { direccion: 'Carrera 48 # 20-114', lugar: 'Envigado, Antioquia' } });
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.find((e) => e.action === 'empleador.sede_actualizada')?.detail).toEqual({ campos: 'municipio,direccion,email', correo: 'm***@comfama.com.co' });
  });

  it('a free webmail address is refused and nothing changes', async () => {
    const s = await registered();
    expect(await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { sede: { ...SEDE, email: 'comfama@yahoo.es' } }, actor)).toEqual(
      refused({ code: 'CORREO.NO_CORPORATIVO', dominio: 'yahoo.es' }),
    );
    expect((await roleOf(s))?.sede).toEqual(SEDE);
    expect(s.mailer.sent).toEqual([]);
  });

  it('a new delegate not registered: invited, the main site told, audited with masked documents', async () => {
    const s = await registered();
    expect(await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { delegado: DELEGADA_MARIA }, actor)).toMatchObject({ ok: true });
    expect((await roleOf(s))?.delegado).toMatchObject({ estado: 'invitado', citizenId: MARIA });
    expect(s.mailer.sent.map((m) => [m.template, m.to])).toEqual([
      ['empleador-actualizado', SEDE.email],
      ['delegado-invitacion', 'maria.pena@comfama.com.co'],
    ]);
    expect(await employersOf(s.deps, ANDRES)).toEqual([]);
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.find((e) => e.action === 'empleador.delegado_reemplazado')?.detail).toEqual({ anterior: 'CC *******567', delegado: 'CC *******345', estado: 'invitado' });
  });

  it.each<[string, string, string, Parameters<typeof updateEmployer>[3], EmpleadorError]>([
    ['the delegate', ANDRES, COMFAMA_NIT, { sede: SEDE }, { code: 'PERMISO.DENEGADO' }],
    ['a citizen who is not the RL', CARLOS, COMFAMA_NIT, { sede: SEDE }, { code: 'PERMISO.DENEGADO' }],
    ['the RL naming themself as delegate', JOSE, COMFAMA_NIT, { delegado: { ...DELEGADO_ANDRES, numeroDocumento: '70123456' } }, { code: 'DELEGADO.ES_EL_RL' }],
    ['a delegate not matching', JOSE, COMFAMA_NIT, { delegado: { ...DELEGADA_MARIA, primerNombre: 'Mariana' } }, { code: 'DELEGADO.NO_COINCIDE' }],
  ])('%s is refused', async (_name, citizenId, nit, change, error) => {
    const s = await registered();
    const before = await roleOf(s);
    expect(await updateEmployer(s.deps, citizenId, nit, change, actor)).toEqual(refused(error));
    expect(await roleOf(s)).toEqual(before);
    expect(s.mailer.sent).toEqual([]);
  });

  it('a NIT without the role does not exist for its RL', async () => {
    const s = setup();
    await withPeople(s);
    expect(await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { sede: SEDE }, actor)).toEqual(refused({ code: 'EMPLEADOR.NO_EXISTE' }));
  });
});
