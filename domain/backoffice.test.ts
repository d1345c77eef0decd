import { describe, expect, it } from 'vitest';
import {
  actor,
  ADMIN,
  ANDRES,
  COMFAMA_NIT,
  HELPDESK,
  JOSE,
  pendingComfama,
  refused,
  registration,
  roleOf,
  RUT_OK,
  SEDE,
  seedCitizen,
  setup,
  START,
  withPeople,
} from '../test/helpers/employers.js';
import { pendingRutReviews, reviewRut, rutFile } from './backoffice.js';
import { updateEmployer } from './empleador-actualizar.js';
import type { EmpleadorError } from './empleador-common.js';
import { checkRepresentative, registerEmployer } from './empleador-registro.js';
import { employersOf } from './empleador-roles.js';
import { staffDirectory, type StaffDirectory } from './staff.js';

// ------------------------------------------------------------------------------ back office

describe('RUT review by the back office', () => {
  it('only an Administrador MinSalud sees the pending reviews', async () => {
    const s = setup();
    await pendingComfama(s);
    const pending = await pendingRutReviews(s.deps, ADMIN);
    expect(pending.ok && pending.value.map((r) => r.nit)).toEqual([COMFAMA_NIT]);
    for (const who of [HELPDESK, JOSE, ANDRES]) expect(await pendingRutReviews(s.deps, who)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
  });

  it('approval activates the role and e-mails the RL at their own address', async () => {
    const s = setup();
    await pendingComfama(s);
    s.mailer.sent.length = 0;
    expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'aprobado', undefined, actor)).toEqual({ ok: true, value: { estado: 'activo' } });
    expect(await roleOf(s)).toMatchObject({ estado: 'activo', revision: { por: ADMIN, en: START, decision: 'aprobado' } });
    expect(s.mailer.sent.map((m) => [m.template, m.to, m.insideTransaction])).toEqual([['rut-aprobado', 'jose.restrepo@correo.com', false]]);
    expect(await pendingRutReviews(s.deps, ADMIN)).toEqual({ ok: true, value: [] });
    expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'Tarde, ya aprobado', actor)).toEqual(refused({ code: 'REVISION.NO_PENDIENTE', estado: 'activo' }));
  });

  it('rejection needs a reason, is e-mailed with it, and the RL may register again', async () => {
    const s = setup();
    await pendingComfama(s);
    s.mailer.sent.length = 0;
    for (const motivo of [undefined, '', '  no  ', 'x'.repeat(501)]) {
      expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', motivo, actor)).toEqual(refused({ code: 'REVISION.MOTIVO_REQUERIDO', min: 5, max: 500 }));
    }
    const motivo = 'El RUT adjunto no corresponde al NIT registrado.';
    expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', `  ${motivo} `, actor)).toEqual({ ok: true, value: { estado: 'rechazado' } });
    expect(await roleOf(s)).toMatchObject({ estado: 'rechazado', revision: { decision: 'rechazado', motivo } });
    expect(s.mailer.sent).toMatchObject([{ template: 'rut-rechazado', to: 'jose.restrepo@correo.com', data: { motivo } }]);
    expect(await employersOf(s.deps, JOSE)).toMatchObject([{ nit: COMFAMA_NIT, como: 'rl', estado: 'rechazado' }]);
    expect(await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { sede: SEDE }, actor)).toEqual(refused({ code: 'EMPLEADOR.NO_EXISTE' }));

    expect(await checkRepresentative(s.deps, JOSE, COMFAMA_NIT)).toMatchObject({ ok: true });
    expect(await registerEmployer(s.deps, JOSE, registration(), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
    expect((await roleOf(s))?.revision).toBeUndefined();
  });

  it.each<[string, string, StaffDirectory | undefined]>([
    ['a Mesa de ayuda agent', HELPDESK, undefined],
    ['the RL', JOSE, undefined],
    ['the delegate', ANDRES, undefined],
    ['an administrator who is the RL of the company', JOSE, staffDirectory({ admins: [JOSE], helpdesk: [] })],
  ])('%s cannot review', async (_name, who, staff) => {
    const s = setup(staff);
    await pendingComfama(s);
    s.mailer.sent.length = 0;
    expect(await reviewRut(s.deps, who, COMFAMA_NIT, 'aprobado', undefined, actor)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
    expect((await roleOf(s))?.estado).toBe('pendiente_revision');
    expect(s.mailer.sent).toEqual([]);
  });

  it('reviewing a NIT without the role', async () => {
    const s = setup();
    await seedCitizen(s, 'CE', '654321', 'carlos@example.com');
    expect(await reviewRut(s.deps, ADMIN, '899999034', 'aprobado', undefined, actor)).toEqual(refused({ code: 'EMPLEADOR.NO_EXISTE' }));
  });

  it.each<[string, string, 'ok' | EmpleadorError]>([
    ['an Administrador MinSalud', ADMIN, 'ok'],
    ['the RL', JOSE, 'ok'],
    ['a Mesa de ayuda agent', HELPDESK, { code: 'PERMISO.DENEGADO' }],
    ['the delegate', ANDRES, { code: 'PERMISO.DENEGADO' }],
  ])('the RUT file for %s', async (_name, who, expected) => {
    const s = setup();
    await pendingComfama(s);
    const r = await rutFile(s.deps, who, COMFAMA_NIT);
    if (expected === 'ok') expect(r.ok && Buffer.from(r.value)).toEqual(Buffer.from(RUT_OK.bytes));
    else expect(r).toEqual(refused(expected));
  });

  it('a role registered without a RUT has no file', async () => {
    const s = setup();
    await withPeople(s);
    await registerEmployer(s.deps, JOSE, registration(), actor);
    expect(await rutFile(s.deps, ADMIN, COMFAMA_NIT)).toEqual(refused({ code: 'EMPLEADOR.NO_EXISTE' }));
  });
});
