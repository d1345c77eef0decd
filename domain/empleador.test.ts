import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../storage/blob-store.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { recordingMailer } from '../test/helpers/mailer.js';
import { trackedStore } from '../test/helpers/store.js';
import type { Actor } from './audit.js';
import { documentKey, type BasicData, type Citizen } from './citizens.js';
import { setPasswordWithToken } from './cuenta.js';
import {
  checkCorporateEmail,
  checkDelegate,
  checkRepresentative,
  employersOf,
  getEmployer,
  matchesRut,
  naturalezaOf,
  pendingRutReviews,
  registerEmployer,
  reviewRut,
  rutFile,
  updateEmployer,
  type DelegateData,
  type EmpleadorDeps,
  type EmpleadorError,
  type EmployerRole,
  type Naturaleza,
  type RegistroEmpleador,
  type Sede,
} from './empleador.js';
import type { BlobStore } from './ports.js';
import { fakeClock, seededRandom } from './random.js';
import type { DocumentType, ReferenceCompany } from './reference.js';
import { answerIdentityQuestions, completeRegistration, startRegistration } from './registro.js';
import type { StaffDirectory } from './staff.js';
import { staffDirectory } from './staff.js';

// ------------------------------------------------------------------------------ test doubles

const reference = defaultReferenceRegistry();
const START = '2026-11-26T15:00:00.000Z';
const DAY = 86_400_000;
const actor: Actor = { ref: 'u-3c9e7d10', channel: 'webchat' };

function countingBlobs(): BlobStore & { puts: number } {
  const inner = createMemoryBlobStore();
  const blobs = {
    puts: 0,
    put: (bytes: Uint8Array) => {
      blobs.puts++;
      return inner.put(bytes);
    },
    get: (hash: string) => inner.get(hash),
  };
  return blobs;
}

// Staff: an Administrador MinSalud and a Mesa de ayuda agent, neither related to COMFAMA.
const ADMIN = 'CE:654321';
const HELPDESK = 'CC:14770440';
const defaultStaff = staffDirectory({ admins: [ADMIN], helpdesk: [HELPDESK] });

function setup(staff: StaffDirectory = defaultStaff) {
  const store = trackedStore();
  const clock = fakeClock(START);
  const mailer = recordingMailer(store);
  const blobs = countingBlobs();
  const deps: EmpleadorDeps = { store, reference, clock, random: seededRandom(11), mailer, publicBaseUrl: 'https://asistente.example/', blobs, staff };
  return { deps, store, clock, mailer, blobs };
}
type Setup = ReturnType<typeof setup>;

/** An active citizen account for a reference person, seeded directly (the registration has its own tests). */
async function seedCitizen(s: Setup, tipo: DocumentType, numero: string, email: string, estado: Citizen['estado'] = 'activo'): Promise<string> {
  const p = await reference.findPerson(tipo, numero);
  if (!p) throw new Error(`no reference person ${tipo}`);
  const up = (x: string | undefined) => (x ?? '').toLocaleUpperCase('es-CO');
  const citizen: Citizen = {
    id: documentKey(tipo, numero),
    tipoDocumento: tipo,
    numeroDocumento: numero,
    primerNombre: up(p.primerNombre),
    segundoNombre: up(p.segundoNombre),
    primerApellido: up(p.primerApellido),
    segundoApellido: up(p.segundoApellido),
    fechaNacimiento: p.fechaNacimiento,
    fechaExpedicion: p.fechaExpedicion,
    sexo: p.sexo,
    email,
    celular: '3001234567',
    estado,
    ...(estado === 'activo' ? { passwordHash: 'scrypt$seeded', activadoEn: START } : {}),
    creadoEn: START,
    loginFallidos: 0,
  };
  await s.store.transaction((tx) => tx.collection('citizens').put(citizen));
  return citizen.id;
}

/** A minimal well-formed PDF with `pages` pages. */
function pdf(pages: number): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i} 0 R`).join(' ');
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>');
  const body = objects.map((o, i) => `${i + 1} 0 obj\n${o}\nendobj\n`).join('');
  return Buffer.from(`%PDF-1.4\n${body}trailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

// ------------------------------------------------------------------------------ fixtures

const JOSE = 'CC:70123456'; // RL of COMFAMA
const CARLOS = ADMIN; // a citizen who is not COMFAMA's RL (and is an administrator)
const MARIA = 'CC:1036612345'; // COMFAMA's delegate, not registered at first
const ANDRES = 'CC:1017234567';
const JAIME = 'CC:18054862'; // RL of two companies
const COMFAMA_NIT = '890900841';

const COMFAMA: Pick<RegistroEmpleador, 'nit' | 'razonSocial' | 'naturaleza'> = {
  nit: COMFAMA_NIT,
  razonSocial: 'Caja de Compensacion Familiar de Antioquia Comfama',
  naturaleza: '2',
};
const SEDE: Sede = {
  nombre: 'Sede principal',
  departamento: '05',
  municipio: '05001',
  direccion: 'Diagonal 8B # 11-3',
  telefono: '6045107000',
  email: 'servicios.web@comfama.com.co',
};
const DELEGADA_MARIA: DelegateData = {
  tipoDocumento: 'CC',
  numeroDocumento: '1.036.612.345',
  primerNombre: 'maria',
  segundoNombre: 'FERNANDA',
  primerApellido: 'Pena',
  segundoApellido: 'Ochoa',
  email: 'maria.pena@comfama.com.co',
};
const DELEGADO_ANDRES: DelegateData = {
  tipoDocumento: 'CC',
  numeroDocumento: '1017234567',
  primerNombre: 'ANDRÉS',
  segundoNombre: 'FELIPE',
  primerApellido: 'ZAPATA',
  segundoApellido: 'LONDOÑO',
  email: 'andres.zapata@comfama.com.co',
};
const RUT_OK = { bytes: pdf(2), fechaExpedicion: '2026-06-01' };

const registration = (over: Partial<RegistroEmpleador> = {}): RegistroEmpleador => ({ ...COMFAMA, delegado: DELEGADO_ANDRES, sede: SEDE, ...over });
const roleOf = (s: Setup, nit = COMFAMA_NIT): Promise<EmployerRole | undefined> => s.store.transaction((tx) => tx.collection('employers').get(nit));
const auditActions = async (s: Setup): Promise<string[]> => (await s.store.transaction((tx) => tx.collection('audit').list())).map((e) => e.action);
const refused = (error: EmpleadorError) => ({ ok: false, error });

/** COMFAMA's RL and Andrés (a registered citizen) as accounts. */
async function withPeople(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
}

/** COMFAMA registered with data that does not match the RUT reference: pending review with a RUT. */
async function pendingComfama(s: Setup): Promise<void> {
  await withPeople(s);
  const r = await registerEmployer(s.deps, JOSE, registration({ naturaleza: '1', rut: RUT_OK }), actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'pendiente_revision' } });
}

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

describe('checkDelegate', () => {
  it.each<[string, DelegateData, { registrado: boolean; nombre: string } | EmpleadorError]>([
    ['a registered citizen', DELEGADO_ANDRES, { registrado: true, nombre: 'Andrés Zapata' }],
    ['a reference person without account (names without accents, number with dots)', DELEGADA_MARIA, { registrado: false, nombre: 'María Peña' }],
    ['another second surname', { ...DELEGADA_MARIA, segundoApellido: 'Ortiz' }, { code: 'DELEGADO.NO_COINCIDE' }],
    ['a missing second given name', { ...DELEGADA_MARIA, segundoNombre: '' }, { code: 'DELEGADO.NO_COINCIDE' }],
    ['a document unknown to the reference sources', { ...DELEGADA_MARIA, numeroDocumento: '1036612399' }, { code: 'DELEGADO.NO_COINCIDE' }],
    ['another document type', { ...DELEGADA_MARIA, tipoDocumento: 'CE' }, { code: 'DELEGADO.NO_COINCIDE' }],
    ['the RL as their own delegate', { ...DELEGADO_ANDRES, numeroDocumento: '70.123.456', primerNombre: 'José', segundoNombre: 'Alejandro', primerApellido: 'Restrepo', segundoApellido: 'Muñoz' }, { code: 'DELEGADO.ES_EL_RL' }],
  ])('%s', async (_name, d, expected) => {
    const s = setup();
    await withPeople(s);
    const r = await checkDelegate(s.deps, JOSE, d);
    expect(r).toEqual('code' in expected ? refused(expected) : { ok: true, value: expected });
  });

  it('a delegate whose account is pending activation is not registered yet', async () => {
    const s = setup();
    await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com', 'pendiente');
    expect(await checkDelegate(s.deps, JOSE, DELEGADA_MARIA)).toEqual({ ok: true, value: { registrado: false, nombre: 'María Peña' } });
  });
});

// ------------------------------------------------------------------------------ registration

describe('registerEmployer', () => {
  it('data matching the RUT reference and a registered delegate: active, delegate linked, both e-mailed after the commit', async () => {
    const s = setup();
    await withPeople(s);
    const r = await registerEmployer(s.deps, JOSE, registration(), actor);
    expect(r).toEqual({ ok: true, value: { estado: 'activo', emailEnmascarado: 's***@comfama.com.co', delegado: 'vinculado', correoEnviado: true } });

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

// ------------------------------------------------------------------------------ designation completed at activation

describe('an invited delegate who registers and activates the account is linked', () => {
  const MARIA_DATA: BasicData = {
    tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'PEÑA',
    segundoApellido: 'OCHOA', fechaNacimiento: '1990-07-22', fechaExpedicion: '2008-08-05', sexo: 'F',
  };

  it('end to end with the registration and account use cases', async () => {
    const s = setup();
    await withPeople(s);
    await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor);
    expect(await getEmployer(s.deps, MARIA, COMFAMA_NIT)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));

    const delegateActor: Actor = { ref: 'u-maria', channel: 'webchat' };
    const start = await startRegistration(s.deps, MARIA_DATA, delegateActor);
    if (!start.ok) throw new Error(start.error.code);
    const qs = start.value.preguntas;
    expect(await answerIdentityQuestions(s.deps, MARIA_DATA, qs, qs.map((q) => q.correct), delegateActor)).toMatchObject({ ok: true });
    expect(await completeRegistration(s.deps, MARIA_DATA, { email: 'mafe.pena@correo.com', celular: '3109876543' }, delegateActor)).toMatchObject({ ok: true });
    // Registered but not active yet: still invited.
    expect((await roleOf(s))?.delegado.estado).toBe('invitado');

    const link = String(s.mailer.sent.find((m) => m.template === 'registro-activacion')?.data['enlace']);
    const token = String(new URL(link).searchParams.get('token'));
    expect(await setPasswordWithToken(s.deps, token, 'activacion', 'Kx7mPq29Lz', 'Kx7mPq29Lz', delegateActor)).toMatchObject({ ok: true });

    expect((await roleOf(s))?.delegado).toMatchObject({ estado: 'vinculado', citizenId: MARIA });
    const designated = s.mailer.sent.filter((m) => m.template === 'delegado-designado');
    expect(designated).toMatchObject([{ to: 'mafe.pena@correo.com', insideTransaction: false, data: { nombre: 'María Peña', representante: 'José Restrepo', nit: '890.900.841-9' } }]);
    expect(await employersOf(s.deps, MARIA)).toEqual([{ nit: COMFAMA_NIT, razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', como: 'delegado', estado: 'activo' }]);
    expect(await getEmployer(s.deps, MARIA, COMFAMA_NIT)).toMatchObject({ ok: true, value: { nit: COMFAMA_NIT } });
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.find((e) => e.action === 'empleador.delegado_vinculado')).toMatchObject({ actor: 'u-maria', subject: 'NIT 890.900.841-9', detail: { delegado: 'CC *******345' } });
  });
});

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

// ------------------------------------------------------------------------------ audit and e-mails

describe('audit and e-mails of the whole process', () => {
  async function everything(): Promise<Setup> {
    const s = setup();
    await pendingComfama(s);
    await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'El RUT no corresponde.', actor);
    await registerEmployer(s.deps, JOSE, registration({ naturaleza: '1', rut: RUT_OK, delegado: DELEGADA_MARIA }), actor);
    await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'aprobado', undefined, actor);
    await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { sede: { ...SEDE, email: 'nueva.sede@comfama.com.co' } }, actor);
    await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { delegado: DELEGADO_ANDRES }, actor);
    return s;
  }

  it('no full document number, e-mail address or file hash in the audit log', async () => {
    const s = await everything();
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.length).toBeGreaterThan(10);
    const json = JSON.stringify(events);
    const hash = (await roleOf(s))?.rut?.sha256 as string;
    for (const secret of ['70123456', '1036612345', '1017234567', '654321', SEDE.email, 'nueva.sede@comfama.com.co', DELEGADA_MARIA.email, 'jose.restrepo@correo.com', hash]) {
      expect(json).not.toContain(secret);
    }
  });

  it('every template renders with the data the use cases send', async () => {
    const s = await everything();
    const templates = new Set(s.mailer.sent.map((m) => m.template));
    expect([...templates].sort()).toEqual(
      ['delegado-designado', 'delegado-invitacion', 'empleador-actualizado', 'empleador-pendiente-revision', 'empleador-registrado', 'rut-aprobado', 'rut-rechazado'].filter(
        (t) => t !== 'empleador-registrado',
      ),
    );
    // The active registration's notice too.
    const t = setup();
    await withPeople(t);
    await registerEmployer(t.deps, JOSE, registration(), actor);

    // Compiled as mail/mailer.ts renders them (templates/render.ts): subject and text unescaped, HTML escaped; strict to catch missing fields.
    const file = (template: string, ext: string) => readFileSync(new URL(`../templates/es/correo/${template}${ext}`, import.meta.url), 'utf8');
    const hbs = Handlebars.create();
    const leaves = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : []);
    for (const mail of [...s.mailer.sent, ...t.mailer.sent]) {
      const asunto = hbs.compile(file(mail.template, '.asunto.hbs'), { noEscape: true, strict: true })(mail.data).trim();
      const html = hbs.compile(file(mail.template, '.html.hbs'), { strict: true })(mail.data);
      const texto = hbs.compile(file(mail.template, '.txt.hbs'), { noEscape: true, strict: true })(mail.data);
      expect(asunto).toContain(String(mail.data['razonSocial']));
      expect(html).toContain('<html lang="es">');
      expect(html).not.toMatch(/<(img|link|script)\b|\bsrc=|url\(|\{\{/i);
      expect(texto).not.toMatch(/\{\{|\n{3,}/);
      const htmlText = html.replace(/&#x3D;/g, '=');
      for (const value of leaves(mail.data)) {
        expect(texto).toContain(value);
        expect(htmlText).toContain(value);
      }
      if (mail.data['enlace']) expect(htmlText).toContain(`href="${String(mail.data['enlace'])}"`);
    }
  });
});
