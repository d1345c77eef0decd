import { describe, expect, it } from 'vitest';
import {
  actor,
  ANDRES,
  auditActions,
  CARLOS,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  DELEGADO_ANDRES,
  JOSE,
  MARIA,
  pdf,
  PNG,
  reference,
  refused,
  registration,
  roleOf,
  RUT_OK,
  SEDE,
  setup,
  START,
  withPeople,
} from '../test/helpers/employers.js';
import type { EmpleadorError } from './empleador-common.js';
import {
  checkCorporateEmail,
  checkRepresentative,
  matchesRut,
  naturalezaOf,
  registerEmployer,
  type RegistroEmpleador,
} from './empleador-registro.js';
import { employersOf } from './empleador-roles.js';
import type { EmployerRole, Naturaleza } from './employers.js';
import type { ReferenceCompany } from './reference.js';

// ------------------------------------------------------------------------------ pure rules

describe('checkCorporateEmail', () => {
  it.each([
    ['contacto@gmail.com', 'gmail.com'],
    ['Contacto@Hotmail.com', 'hotmail.com'],
    ['empresa@hotmail.es', 'hotmail.es'],
    ['empresa@outlook.com', 'outlook.com'],
    ['empresa@outlook.es', 'outlook.es'],
    ['empresa@yahoo.com', 'yahoo.com'],
    ['empresa@yahoo.es', 'yahoo.es'],
    ['empresa@yahoo.com.mx', 'yahoo.com.mx'],
    ['empresa@hotmail.com.co', 'hotmail.com.co'],
    ['empresa@gmail.co', 'gmail.co'],
    ['empresa@live.com', 'live.com'],
    ['empresa@icloud.com', 'icloud.com'],
    ['empresa@protonmail.com', 'protonmail.com'],
  ])('%s is refused naming %s', (email, dominio) => {
    expect(checkCorporateEmail(email)).toEqual(refused({ code: 'CORREO.NO_CORPORATIVO', dominio }) as never);
  });

  it.each(['servicios.web@comfama.com.co', 'Sistemas@MinSalud.gov.co', 'ti@outlook.comfama.com', 'info@gmailservicios.com', 'info@correo.une.net.co'])(
    '%s is corporate',
    (email) => {
      expect(checkCorporateEmail(email)).toEqual({ ok: true, value: email.toLowerCase() });
    },
  );
});

describe('naturalezaOf and matchesRut', () => {
  it.each<[string, Naturaleza]>([
    ['Persona jurídica sin ánimo de lucro', '2'],
    ['Sociedad por acciones simplificada', '2'],
    ['Sociedad anónima', '2'],
    ['Establecimiento público del orden nacional', '1'],
    ['Unidad administrativa especial del orden nacional', '1'],
    ['Empresa industrial y comercial del Estado', '1'],
    ['Sociedad de economía mixta', '3'],
    ['Organismo multilateral de crédito', '4'],
    ['Entidad de derecho público extranjera no sometida a la legislación colombiana', '5'],
  ])('%s → %s', (naturalezaJuridica, expected) => {
    expect(naturalezaOf({ naturalezaJuridica })).toBe(expected);
  });

  it.each<[string, string, Naturaleza, boolean]>([
    [COMFAMA_NIT, 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', '2', true],
    [COMFAMA_NIT, '  caja de compensacion familiar de antioquia   comfama ', '2', true],
    [COMFAMA_NIT, 'Caja de Compensación Familiar de Antioquia COMFAMA', '1', false],
    [COMFAMA_NIT, 'COMFAMA', '2', false],
    ['900197450', 'Transportes Rio Grande SAS', '2', true],
    ['900197450', 'TRANSPORTES RÍO GRANDE S. A. S.', '2', true],
    ['900197450', 'Transportes Río Grande Ltda.', '2', false],
    ['899999034', 'Servicio Nacional de Aprendizaje', '1', true],
    ['899999034', 'Servicio Nacional de Aprendizaje', '2', false],
  ])('%s %j naturaleza %s → %s', async (nit, razonSocial, naturaleza, expected) => {
    const company = (await reference.findCompany(nit)) as ReferenceCompany;
    expect(matchesRut(company, { razonSocial, naturaleza })).toBe(expected);
  });
});

// ------------------------------------------------------------------------------ who may register

describe('checkRepresentative', () => {
  it.each<[string, string, string, EmpleadorError | 'ok']>([
    ['the RL, bare NIT', JOSE, '890900841', 'ok'],
    ['the RL, NIT with dots and DV', JOSE, '890.900.841-9', 'ok'],
    ['the RL, wrong DV', JOSE, '890900841-3', { code: 'EMPLEADOR.DV_INVALIDO' }],
    ['a citizen who is not the RL', CARLOS, '890900841', { code: 'EMPLEADOR.NO_ES_RL' }],
    ['the delegate, who is not the RL', ANDRES, '890900841', { code: 'EMPLEADOR.NO_ES_RL' }],
    ['the RL with a NIT unknown to the reference sources', JOSE, '900000001', { code: 'EMPLEADOR.NO_ES_RL' }],
    ['the RL with text that is not a NIT', JOSE, 'comfama', { code: 'EMPLEADOR.NO_ES_RL' }],
    ['a person without an active account', MARIA, '890900841', { code: 'PERMISO.DENEGADO' }],
  ])('%s', async (_name, citizenId, nit, expected) => {
    const s = setup();
    await withPeople(s);
    const r = await checkRepresentative(s.deps, citizenId, nit);
    if (expected === 'ok') expect(r).toMatchObject({ ok: true, value: { company: { nit: COMFAMA_NIT, dv: '9' } } });
    else expect(r).toEqual(refused(expected));
  });

  it('one role per NIT: after the registration the NIT goes to "Actualizar datos"', async () => {
    const s = setup();
    await withPeople(s);
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    expect(await checkRepresentative(s.deps, JOSE, COMFAMA_NIT)).toEqual(refused({ code: 'EMPLEADOR.YA_REGISTRADO' }));
    expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toEqual(refused({ code: 'EMPLEADOR.YA_REGISTRADO' }));
    expect((await roleOf(s))?.delegado.citizenId).toBe(ANDRES);
  });
});

// ------------------------------------------------------------------------------ registration

describe('registerEmployer', () => {
  it('data matching the RUT reference and a registered delegate: active, delegate linked, both e-mailed after the commit', async () => {
    const s = setup();
    await withPeople(s);
    const r = await registerEmployer(s.deps, JOSE, registration(), actor);
    expect(r).toEqual({ ok: true, value: { estado: 'activo', emailEnmascarado: 's***@comfama.com.co', delegado: 'vinculado', delegada: false, correoEnviado: true } });

    const role = (await roleOf(s)) as EmployerRole;
    expect(role).toMatchObject({
      id: COMFAMA_NIT, nit: COMFAMA_NIT, dv: '9', naturaleza: '2', rl: JOSE, estado: 'activo',
      razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA',
      sede: SEDE,
      delegado: { estado: 'vinculado', citizenId: ANDRES, numeroDocumento: '1017234567', email: 'andres.zapata@comfama.com.co' },
      creadoEn: START,
    });
    expect(role.rut).toBeUndefined();
    expect(s.blobs.puts).toBe(0);

    expect(s.mailer.sent.map((m) => [m.template, m.to, m.insideTransaction])).toEqual([
      ['empleador-registrado', SEDE.email, false],
      // To the address of the delegate's account, not the one the RL typed.
      ['delegado-designado', 'andres.zapata@correo.com', false],
    ]);
    expect(s.mailer.sent[1]?.data).toMatchObject({ razonSocial: role.razonSocial, nit: '890.900.841-9', representante: 'José Restrepo' });
    expect(await auditActions(s)).toEqual(['empleador.registrado', 'empleador.delegado_designado', 'correo.enviado', 'correo.enviado']);
  });

  it('a delegate not registered but matching the reference sources is invited to register, by the e-mail the RL gave', async () => {
    const s = setup();
    await withPeople(s);
    const r = await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor);
    expect(r).toMatchObject({ ok: true, value: { estado: 'activo', delegado: 'invitado' } });
    expect((await roleOf(s))?.delegado).toEqual({
      tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'PEÑA', segundoApellido: 'OCHOA',
      email: 'maria.pena@comfama.com.co', estado: 'invitado', citizenId: MARIA,
    });
    const invitation = s.mailer.sent.find((m) => m.template === 'delegado-invitacion');
    expect(invitation).toMatchObject({
      to: 'maria.pena@comfama.com.co',
      insideTransaction: false,
      data: { nombre: 'María Peña', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', enlace: 'https://asistente.example/' },
    });
    expect(await employersOf(s.deps, MARIA)).toEqual([]);
  });

  it('data not matching the RUT reference and no RUT: the RUT is required, nothing is stored', async () => {
    const s = setup();
    await withPeople(s);
    for (const data of [{ razonSocial: 'Comfama' }, { naturaleza: '3' as const }]) {
      expect(await registerEmployer(s.deps, JOSE, registration(data), actor)).toEqual(refused({ code: 'EMPLEADOR.RUT_REQUERIDO' }));
    }
    expect(await roleOf(s)).toBeUndefined();
    expect(s.mailer.sent).toEqual([]);
    expect(await auditActions(s)).toEqual(['empleador.registro_rechazado', 'empleador.registro_rechazado']);
  });

  it('data not matching, with a valid RUT: pending review, the file stored by its hash', async () => {
    const s = setup();
    await withPeople(s);
    const r = await registerEmployer(s.deps, JOSE, registration({ razonSocial: 'Comfama Antioquia', rut: RUT_OK }), actor);
    expect(r).toMatchObject({ ok: true, value: { estado: 'pendiente_revision', delegado: 'vinculado' } });
    const role = (await roleOf(s)) as EmployerRole;
    expect(role).toMatchObject({ estado: 'pendiente_revision', razonSocial: 'Comfama Antioquia', rut: { size: RUT_OK.bytes.length, fechaExpedicion: '2026-06-01', subidoEn: START } });
    expect(Buffer.from((await s.blobs.get(role.rut!.sha256)) ?? [])).toEqual(Buffer.from(RUT_OK.bytes));
    expect(s.mailer.sent.map((m) => m.template)).toEqual(['empleador-pendiente-revision', 'delegado-designado']);
  });

  it('data matching the reference with a RUT attached anyway: active, the file is not kept', async () => {
    const s = setup();
    await withPeople(s);
    expect(await registerEmployer(s.deps, JOSE, registration({ rut: RUT_OK }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
    expect(s.blobs.puts).toBe(0);
    expect((await roleOf(s))?.rut).toBeUndefined();
  });

  it.each<[string, { bytes: Uint8Array; fechaExpedicion: string }, string]>([
    ['a PNG', { bytes: PNG, fechaExpedicion: '2026-06-01' }, 'rut.no_pdf'],
    ['one page', { bytes: pdf(1), fechaExpedicion: '2026-06-01' }, 'rut.paginas'],
    ['too big', { bytes: new Uint8Array(1024 * 1024 + 1), fechaExpedicion: '2026-06-01' }, 'rut.muy_grande'],
    ['issued more than a year ago', { bytes: pdf(2), fechaExpedicion: '2025-11-01' }, 'rut.fecha_antigua'],
    ['issued in the future', { bytes: pdf(2), fechaExpedicion: '2026-12-01' }, 'rut.fecha_futura'],
  ])('an invalid RUT (%s) is refused with its reason and not stored', async (_name, rut, motivo) => {
    const s = setup();
    await withPeople(s);
    expect(await registerEmployer(s.deps, JOSE, registration({ naturaleza: '1', rut }), actor)).toEqual(refused({ code: 'EMPLEADOR.RUT_INVALIDO', motivo } as EmpleadorError));
    expect(s.blobs.puts).toBe(0);
    expect(await roleOf(s)).toBeUndefined();
  });

  it.each<[string, string, Partial<RegistroEmpleador>, EmpleadorError]>([
    ['a citizen who is not the RL', CARLOS, {}, { code: 'EMPLEADOR.NO_ES_RL' }],
    ['the delegate registering the role', ANDRES, { delegado: DELEGADA_MARIA }, { code: 'EMPLEADOR.NO_ES_RL' }],
    ['a wrong DV', JOSE, { nit: '890.900.841-1' }, { code: 'EMPLEADOR.DV_INVALIDO' }],
    ['a free webmail address for the main site', JOSE, { sede: { ...SEDE, email: 'comfama.sede@gmail.com' } }, { code: 'CORREO.NO_CORPORATIVO', dominio: 'gmail.com' }],
    ['the RL as delegate', JOSE, { delegado: { ...DELEGADO_ANDRES, numeroDocumento: '70123456', primerNombre: 'José', segundoNombre: 'Alejandro', primerApellido: 'Restrepo', segundoApellido: 'Muñoz' } }, { code: 'DELEGADO.ES_EL_RL' }],
    ['a delegate not matching the reference sources', JOSE, { delegado: { ...DELEGADA_MARIA, primerApellido: 'Pérez' } }, { code: 'DELEGADO.NO_COINCIDE' }],
  ])('%s is refused, audited, and nothing else happens', async (_name, citizenId, over, error) => {
    const s = setup();
    await withPeople(s);
    expect(await registerEmployer(s.deps, citizenId, registration(over), actor)).toEqual(refused(error));
    expect(await roleOf(s)).toBeUndefined();
    expect(s.mailer.sent).toEqual([]);
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events).toMatchObject([{ action: 'empleador.registro_rechazado', subject: 'NIT 890.900.841-9', detail: { motivo: error.code } }]);
  });

  it('a main site outside DIVIPOLA is a programming error (the form resolves the codes)', async () => {
    const s = setup();
    await withPeople(s);
    await expect(registerEmployer(s.deps, JOSE, registration({ sede: { ...SEDE, departamento: '11' } }), actor)).rejects.toThrow(TypeError);
    await expect(registerEmployer(s.deps, JOSE, registration({ sede: { ...SEDE, municipio: '05999' } }), actor)).rejects.toThrow(TypeError);
  });
});
