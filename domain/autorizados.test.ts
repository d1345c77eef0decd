import { describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import {
  actor,
  ADMIN,
  ANDRES,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  JAIME,
  JOSE,
  MARIA,
  pendingComfama,
  reference,
  registration,
  seedCitizen,
  setup,
  START,
  type Setup,
} from '../test/helpers/employers.js';
import { basicData } from '../test/helpers/people.js';
import type { Actor } from './audit.js';
import { PERFIL_SERVICIOS, ROL_CAJA, type Autorizacion } from './autorizaciones.js';
import {
  authorize,
  canAuthorize,
  ccfRoleOf,
  ccfsOf,
  checkNewAuthorization,
  listAuthorizations,
  perfilesDe,
  revokeAuthorization,
  rolesAutorizables,
  siteName,
  type AutorizadoError,
  type Empresa,
  type NuevoAutorizado,
} from './autorizados.js';
import { reviewRut } from './backoffice.js';
import { setPasswordWithToken } from './cuenta.js';
import { updateEmployer } from './empleador-actualizar.js';
import { registerEmployer } from './empleador-registro.js';
import type { DelegateData, Sede } from './employers.js';
import type { Mailer } from './ports.js';
import { answerIdentityQuestions, completeRegistration, startRegistration } from './registro.js';
import { rolesOf } from './roles.js';
import type { ActingRole } from './session.js';

// ------------------------------------------------------------------------------ fixtures

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const RIO_GRANDE_NIT = '900197450'; // Transportes Río Grande S.A.S.: not a CCF (no PILA code); Jaime is its RL
const CARLOS = ADMIN; // CE 654321, a registered citizen (and an Administrador MinSalud)
const NICOLAS = 'CC:72235734'; // a reference person, never registered here
const MINUTE = 60_000;

const asRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'rl' };
const asDelegate: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'delegado' };
const asCcf: ActingRole = { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS };
const asRioGrande: ActingRole = { tipo: 'empleador', nit: RIO_GRANDE_NIT, razonSocial: 'TRANSPORTES RÍO GRANDE S.A.S.', como: 'rl' };

/** Andrés as the RL or the delegate types him: names without accents, mixed case; e-mail in capitals. */
const NUEVO_ANDRES: NuevoAutorizado = {
  tipoDocumento: 'CC',
  numeroDocumento: '1.017.234.567',
  primerNombre: 'andres',
  segundoNombre: 'FELIPE',
  primerApellido: 'Zapata',
  segundoApellido: 'Londono',
  email: 'Andres.Zapata@Comfama.com.co',
  sede: { tipo: 'principal' },
  rol: ROL_CAJA,
  perfil: PERFIL_SERVICIOS,
};
const NUEVO_CARLOS: NuevoAutorizado = {
  ...NUEVO_ANDRES,
  tipoDocumento: 'CE',
  numeroDocumento: '654321',
  primerNombre: 'Carlos',
  segundoNombre: '',
  primerApellido: 'Briceño',
  segundoApellido: 'Salas',
  email: 'carlos.briceno@comfama.com.co',
};
const NUEVO_NICOLAS: NuevoAutorizado = {
  ...NUEVO_ANDRES,
  numeroDocumento: '72235734',
  primerNombre: 'Nicolás',
  segundoNombre: 'Felipe',
  primerApellido: 'Montoya',
  segundoApellido: 'Montaño',
  email: 'nicolas.montoya@comfama.com.co',
};
const CARLOS_DELEGADO: DelegateData = { ...NUEVO_CARLOS, email: 'carlos.briceno@comfama.com.co' };

/**
 * COMFAMA's employer role, active, registered by José (RL) with María as its linked delegate. José,
 * María and Carlos are registered citizens; Andrés only when `andres` (the default).
 */
async function comfama(opts: { andres?: boolean } = {}): Promise<Setup> {
  const s = setup();
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  if (opts.andres ?? true) await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  const r = await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo' } });
  expect((await s.store.transaction((tx) => tx.collection('employers').get(COMFAMA_NIT)))?.delegado).toMatchObject({ estado: 'vinculado', citizenId: MARIA });
  s.mailer.sent.length = 0;
  return s;
}

/** Jaime registers the employer role of Transportes Río Grande (active: it matches the RUT), which is not a CCF. */
async function withRioGrande(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
  const sede: Sede = { nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 32A # 93-16', telefono: '6044445555', email: 'admin@riogrande.com.co' };
  const r = await registerEmployer(s.deps, JAIME, { nit: RIO_GRANDE_NIT, razonSocial: 'Transportes Río Grande S.A.S.', naturaleza: '2', delegado: CARLOS_DELEGADO, sede }, actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo' } });
  s.mailer.sent.length = 0;
}

const refused = (error: AutorizadoError) => ({ ok: false, error });
const entries = (s: Setup): Promise<Autorizacion[]> => s.store.transaction((tx) => tx.collection('autorizaciones').list());
const auditEvents = (s: Setup) => s.store.transaction((tx) => tx.collection('audit').list());
const authorizationMails = (s: Setup) => s.mailer.sent.filter((m) => m.template.startsWith('autorizado-'));

async function authorized(s: Setup, who: string, acting: ActingRole, input: NuevoAutorizado): Promise<Autorizacion> {
  const r = await authorize(s.deps, who, acting, COMFAMA_NIT, input, actor);
  if (!r.ok) throw new Error(r.error.code);
  return r.value.autorizacion;
}

async function empresaOf(s: Setup, who: string, acting: ActingRole, nit: string): Promise<Empresa> {
  const r = await listAuthorizations(s.deps, who, acting, nit);
  if (!r.ok) throw new Error(r.error.code);
  return r.value.empresa;
}

// ------------------------------------------------------------------------------ pure rules

describe('the rol and perfil offered', () => {
  it('CAJA DE SUBSIDIO FAMILIAR only for CCFs, with its one perfil', () => {
    expect(rolesAutorizables({ esCcf: true })).toEqual([ROL_CAJA]);
    expect(rolesAutorizables({ esCcf: false })).toEqual([]);
    expect(perfilesDe(ROL_CAJA)).toEqual([PERFIL_SERVICIOS]);
  });

  const sede: Sede = { nombre: 'Sede principal', departamento: '05', municipio: '05001', direccion: 'Diagonal 8B # 11-3', telefono: '6045107000', email: 'x@comfama.com.co' };
  const empresa = (over: Partial<Empresa>): Empresa => ({ nit: COMFAMA_NIT, dv: '9', razonSocial: COMFAMA_RS, esCcf: true, estado: 'activo', sede, como: 'rl', ...over });
  it.each<[string, Partial<Empresa>, unknown]>([
    ['an active CCF', {}, { ok: true, value: [ROL_CAJA] }],
    ['an active company that is not a CCF', { esCcf: false }, refused({ code: 'AUTORIZADO.ROL_NO_DISPONIBLE' })],
    ['a CCF whose role waits for the RUT review', { estado: 'pendiente_revision' }, refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'pendiente_revision' })],
    ['a CCF whose role was rejected', { estado: 'rechazado' }, refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'rechazado' })],
    ['a company neither active nor a CCF: the role state first', { estado: 'pendiente_revision', esCcf: false }, refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'pendiente_revision' })],
  ])('canAuthorize: %s', (_name, over, expected) => {
    expect(canAuthorize(empresa(over))).toEqual(expected);
  });

  it('siteName: the main site by its name, another site by address, municipality and department', () => {
    expect(siteName(reference, { sede }, { tipo: 'principal' })).toBe('Sede principal');
    expect(siteName(reference, { sede }, { tipo: 'otra', departamento: '05', municipio: '05615', direccion: 'Calle 10 # 5-20' })).toBe('Calle 10 # 5-20, Rionegro (Antioquia)');
    expect(siteName(reference, { sede }, { tipo: 'otra', departamento: '11', municipio: '11001', direccion: 'Carrera 7 # 32-16' })).toBe('Carrera 7 # 32-16, Bogotá, D.C. (Bogotá, D.C.)');
  });
});

// ------------------------------------------------------------------------------ Nuevo

describe('authorize ("Nuevo")', () => {
  it('takes the NIT as people write it (dots, DV) and refuses one that is not a NIT without throwing', async () => {
    const s = await comfama();
    expect(await authorize(s.deps, JOSE, asRl, '890.900.841-9', NUEVO_ANDRES, actor)).toMatchObject({ ok: true, value: { autorizacion: { nit: COMFAMA_NIT } } });
    expect(await authorize(s.deps, JOSE, asRl, 'COMFAMA', NUEVO_ANDRES, actor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    expect(await listAuthorizations(s.deps, JOSE, asRl, '890.900.841-9')).toMatchObject({ ok: true });
  });

  it.each<[string, string, ActingRole, 'rl' | 'delegado', string]>([
    ['the RL', JOSE, asRl, 'rl', 'José Restrepo'],
    ['the linked delegate', MARIA, asDelegate, 'delegado', 'María Peña'],
  ])('by %s: a registered person is active at once and told at their own e-mail', async (_name, who, acting, como, nombre) => {
    const s = await comfama();
    expect(await checkNewAuthorization(s.deps, who, acting, COMFAMA_NIT, NUEVO_ANDRES)).toEqual({ ok: true, value: { nombre: 'Andrés Zapata', registrado: true } });

    const r = await authorize(s.deps, who, acting, COMFAMA_NIT, NUEVO_ANDRES, actor);
    expect(r).toMatchObject({ ok: true, value: { nombre: 'Andrés Zapata', correoEnviado: true } });
    // The registered person's own e-mail is not shown to the RL or delegate, not even masked.
    expect(r.ok && 'correo' in r.value).toBe(false);
    const a = r.ok ? r.value.autorizacion : undefined;
    expect(a).toEqual({
      id: expect.any(String),
      nit: COMFAMA_NIT,
      citizenId: ANDRES,
      tipoDocumento: 'CC',
      numeroDocumento: '1017234567',
      primerNombre: 'ANDRÉS',
      segundoNombre: 'FELIPE',
      primerApellido: 'ZAPATA',
      segundoApellido: 'LONDOÑO',
      email: 'andres.zapata@comfama.com.co',
      sede: { tipo: 'principal' },
      rol: ROL_CAJA,
      perfil: PERFIL_SERVICIOS,
      estado: 'activo',
      autorizadoPor: { citizenId: who, nombre, sexo: who === MARIA ? 'F' : 'M', como, en: START },
      activadoEn: START,
    });
    expect(await entries(s)).toEqual([a]);

    expect(s.mailer.sent).toEqual([
      {
        to: 'andres.zapata@correo.com',
        template: 'autorizado-asignado',
        insideTransaction: false,
        data: { nombre: 'Andrés Zapata', razonSocial: COMFAMA_RS, sigla: 'COMFAMA', nit: '890.900.841-9', por: nombre, enlace: 'https://asistente.example/', femenina: false },
      },
    ]);

    const events = await auditEvents(s);
    expect(events.find((e) => e.action === 'autorizados.autorizado')).toMatchObject({
      actor: actor.ref,
      channel: 'webchat',
      subject: 'NIT 890.900.841-9',
      detail: { persona: 'CC *******567', estado: 'activo', rol: ROL_CAJA, perfil: PERFIL_SERVICIOS, como },
    });
    expect(events.find((e) => e.action === 'correo.enviado' && e.detail?.['plantilla'] === 'autorizado-asignado')).toMatchObject({ detail: { destino: 'a***@correo.com' } });
    const json = JSON.stringify(events);
    for (const secret of ['1017234567', '70123456', '1036612345', 'andres.zapata@', 'Andres.Zapata@']) expect(json).not.toContain(secret);

    // He may now act in the rol "Caja de compensación familiar" of COMFAMA.
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([{ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' }]);
  });

  it('a person matching the reference sources without an account is invited at the e-mail given', async () => {
    const s = await comfama({ andres: false });
    expect(await checkNewAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, NUEVO_ANDRES)).toEqual({ ok: true, value: { nombre: 'Andrés Zapata', registrado: false } });

    const r = await authorize(s.deps, MARIA, asDelegate, COMFAMA_NIT, NUEVO_ANDRES, actor);
    expect(r).toMatchObject({ ok: true, value: { nombre: 'Andrés Zapata', correo: 'a***@comfama.com.co', correoEnviado: true, autorizacion: { citizenId: ANDRES, estado: 'invitado' } } });
    const [a] = await entries(s);
    expect(a).toMatchObject({ estado: 'invitado', email: 'andres.zapata@comfama.com.co', autorizadoPor: { citizenId: MARIA, como: 'delegado', en: START } });
    expect(a?.activadoEn).toBeUndefined();
    expect(s.mailer.sent).toEqual([
      {
        to: 'andres.zapata@comfama.com.co',
        template: 'autorizado-invitacion',
        insideTransaction: false,
        data: { nombre: 'Andrés Zapata', razonSocial: COMFAMA_RS, sigla: 'COMFAMA', nit: '890.900.841-9', por: 'María Peña', enlace: 'https://asistente.example/', femenina: false },
      },
    ]);
    const events = await auditEvents(s);
    expect(events.find((e) => e.action === 'autorizados.autorizado')).toMatchObject({ detail: { persona: 'CC *******567', estado: 'invitado', como: 'delegado' } });
    expect(JSON.stringify(events)).not.toContain('1017234567');
    // Invited is not authorized yet: no CCF role to act in.
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([]);
  });

  it('a person whose account waits for activation is invited too (not registered yet)', async () => {
    const s = await comfama({ andres: false });
    await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com', 'pendiente');
    const r = await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVO_ANDRES, actor);
    expect(r).toMatchObject({ ok: true, value: { autorizacion: { estado: 'invitado' } } });
    expect(authorizationMails(s).map((m) => [m.template, m.to])).toEqual([['autorizado-invitacion', 'andres.zapata@comfama.com.co']]);
  });

  it('another site is stored with DIVIPOLA codes and a trimmed address', async () => {
    const s = await comfama();
    const a = await authorized(s, JOSE, asRl, { ...NUEVO_ANDRES, sede: { tipo: 'otra', departamento: ' 05 ', municipio: '05615 ', direccion: '  Calle 10 # 5-20 ' } });
    expect(a.sede).toEqual({ tipo: 'otra', departamento: '05', municipio: '05615', direccion: 'Calle 10 # 5-20' });
    const empresa = await empresaOf(s, JOSE, asRl, COMFAMA_NIT);
    expect(siteName(reference, empresa, a.sede)).toBe('Calle 10 # 5-20, Rionegro (Antioquia)');
    expect(siteName(reference, empresa, { tipo: 'principal' })).toBe('Sede principal');
  });

  it('the form’s job done wrong is a programming error: a malformed e-mail, a municipality of another department', async () => {
    const s = await comfama();
    await expect(authorize(s.deps, JOSE, asRl, COMFAMA_NIT, { ...NUEVO_ANDRES, email: 'no es correo' }, actor)).rejects.toThrow(TypeError);
    await expect(
      authorize(s.deps, JOSE, asRl, COMFAMA_NIT, { ...NUEVO_ANDRES, sede: { tipo: 'otra', departamento: '11', municipio: '05615', direccion: 'Calle 1' } }, actor),
    ).rejects.toThrow(TypeError);
    expect(await entries(s)).toEqual([]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('a mail that cannot be sent does not undo the authorization: it says so and is audited', async () => {
    const s = await comfama();
    const failing: Mailer = { send: () => Promise.reject(new Error('smtp down')) };
    const r = await authorize({ ...s.deps, mailer: failing }, JOSE, asRl, COMFAMA_NIT, NUEVO_ANDRES, actor);
    expect(r).toMatchObject({ ok: true, value: { correoEnviado: false, autorizacion: { estado: 'activo' } } });
    expect(await entries(s)).toHaveLength(1);
    expect((await auditEvents(s)).find((e) => e.action === 'correo.no_enviado')).toMatchObject({ detail: { plantilla: 'autorizado-asignado' } });
  });

  it.each<[string, Partial<NuevoAutorizado>]>([
    ['another second surname', { segundoApellido: 'Ortiz' }],
    ['a missing second given name', { segundoNombre: '' }],
    ['another first name', { primerNombre: 'Andrea' }],
    ['a document unknown to the reference sources', { numeroDocumento: '1017234599' }],
    ['another document type', { tipoDocumento: 'CE' }],
  ])('data that does not match the reference sources (%s): refused, nothing stored, no mail', async (_name, over) => {
    const s = await comfama();
    const input = { ...NUEVO_ANDRES, ...over };
    expect(await checkNewAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, input)).toEqual(refused({ code: 'AUTORIZADO.NO_COINCIDE' }));
    expect(await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, input, actor)).toEqual(refused({ code: 'AUTORIZADO.NO_COINCIDE' }));
    expect(await entries(s)).toEqual([]);
    expect(s.mailer.sent).toEqual([]);
    const events = await auditEvents(s);
    expect(events.find((e) => e.action === 'autorizados.rechazado')).toMatchObject({ subject: 'NIT 890.900.841-9', detail: { motivo: 'AUTORIZADO.NO_COINCIDE' } });
    expect(events.some((e) => e.action === 'autorizados.autorizado')).toBe(false);
  });

  it('once per rol: a second authorization of the same person is refused with the entry that exists', async () => {
    const s = await comfama();
    const first = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    s.clock.advance(MINUTE);
    // The delegate tries again, with the accents and another site: still the same person and rol.
    const again = { ...NUEVO_ANDRES, primerNombre: 'Andrés', numeroDocumento: '1017234567', sede: { tipo: 'otra' as const, departamento: '05', municipio: '05615', direccion: 'Calle 1' } };
    expect(await checkNewAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, again)).toEqual(refused({ code: 'AUTORIZADO.YA_ASIGNADO', existente: first }));
    expect(await authorize(s.deps, MARIA, asDelegate, COMFAMA_NIT, again, actor)).toEqual(refused({ code: 'AUTORIZADO.YA_ASIGNADO', existente: first }));
    expect(await entries(s)).toEqual([first]);
    expect(authorizationMails(s)).toHaveLength(1);
  });

  it('once per rol holds for an invitation too', async () => {
    const s = await comfama({ andres: false });
    const first = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    expect(first.estado).toBe('invitado');
    expect(await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, { ...NUEVO_ANDRES, email: 'otro@comfama.com.co' }, actor)).toEqual(
      refused({ code: 'AUTORIZADO.YA_ASIGNADO', existente: first }),
    );
  });

  it('after a revocation the person may be authorized again: a new record, the old one stays revoked', async () => {
    const s = await comfama();
    const first = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    s.clock.advance(MINUTE);
    expect(await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, first.id, 'Cambió de cargo', actor)).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    const second = await authorized(s, MARIA, asDelegate, NUEVO_ANDRES);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ estado: 'activo', autorizadoPor: { citizenId: MARIA, como: 'delegado' } });
    const all = await entries(s);
    expect(all).toHaveLength(2);
    expect(all.find((a) => a.id === first.id)).toMatchObject({ estado: 'revocado', revocacion: { motivo: 'Cambió de cargo' } });
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([{ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' }]);
  });

  it('a company that is not a CCF has no rol to authorize', async () => {
    const s = await comfama();
    await withRioGrande(s);
    const empresa = await empresaOf(s, JAIME, asRioGrande, RIO_GRANDE_NIT);
    expect(empresa).toMatchObject({ nit: RIO_GRANDE_NIT, esCcf: false, estado: 'activo', como: 'rl' });
    expect(rolesAutorizables(empresa)).toEqual([]);
    expect(canAuthorize(empresa)).toEqual(refused({ code: 'AUTORIZADO.ROL_NO_DISPONIBLE' }));
    expect(await checkNewAuthorization(s.deps, JAIME, asRioGrande, RIO_GRANDE_NIT, NUEVO_ANDRES)).toEqual(refused({ code: 'AUTORIZADO.ROL_NO_DISPONIBLE' }));
    expect(await authorize(s.deps, JAIME, asRioGrande, RIO_GRANDE_NIT, NUEVO_ANDRES, actor)).toEqual(refused({ code: 'AUTORIZADO.ROL_NO_DISPONIBLE' }));
    expect(await entries(s)).toEqual([]);
    expect(s.mailer.sent).toEqual([]);
    // COMFAMA is one: the same use case offers the rol there.
    expect(await empresaOf(s, JOSE, asRl, COMFAMA_NIT)).toMatchObject({ esCcf: true, como: 'rl', razonSocial: COMFAMA_RS });
    expect(await empresaOf(s, MARIA, asDelegate, COMFAMA_NIT)).toMatchObject({ como: 'delegado' });
  });

  it('an employer role waiting for the RUT review, or rejected, cannot authorize anyone yet', async () => {
    const s = setup();
    await pendingComfama(s);
    const empresa = await empresaOf(s, JOSE, asRl, COMFAMA_NIT);
    expect(canAuthorize(empresa)).toEqual(refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'pendiente_revision' }));
    expect(await checkNewAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVO_CARLOS)).toEqual(refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'pendiente_revision' }));
    expect(await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVO_CARLOS, actor)).toEqual(refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'pendiente_revision' }));

    expect((await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'No corresponde', actor)).ok).toBe(true);
    expect(await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVO_CARLOS, actor)).toEqual(refused({ code: 'EMPLEADOR.NO_ACTIVO', estado: 'rechazado' }));
    expect(await entries(s)).toEqual([]);
    expect(s.mailer.sent.filter((m) => m.template.startsWith('autorizado-'))).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ permissions through the use cases

describe('only the RL or the linked delegate, acting as employer of that company, administers its authorized persons', () => {
  type Row = [string, string, ActingRole | undefined, ((s: Setup) => Promise<void>)?];
  const replaceDelegate = async (s: Setup) => {
    expect(await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { delegado: CARLOS_DELEGADO }, actor)).toMatchObject({ ok: true });
  };
  it.each<Row>([
    ['the RL of another company, acting as its employer', JAIME, asRioGrande],
    ['the RL of another company, claiming to act for COMFAMA', JAIME, { ...asRl }],
    ['a replaced (former) delegate', MARIA, asDelegate, replaceDelegate],
    ['the authorized person, acting in rol CCF of COMFAMA', ANDRES, asCcf],
    ['the authorized person, claiming to act as employer of COMFAMA', ANDRES, asDelegate],
    ['the RL acting as citizen', JOSE, { tipo: 'ciudadano' }],
    ['the RL with no acting role', JOSE, undefined],
    ['the RL acting as employer of another company', JOSE, asRioGrande],
    ['the RL acting as Administrador MinSalud', JOSE, { tipo: 'admin_minsalud' }],
    ['an Administrador MinSalud', CARLOS, { tipo: 'admin_minsalud' }],
    ['nobody with an account', 'CC:5555555', asRl],
  ])('%s: PERMISO.DENEGADO everywhere, nothing changes', async (_name, who, acting, before) => {
    const s = await comfama();
    await withRioGrande(s);
    const existing = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    await before?.(s);
    s.mailer.sent.length = 0;
    const denied = refused({ code: 'PERMISO.DENEGADO' });
    expect(await listAuthorizations(s.deps, who, acting, COMFAMA_NIT)).toEqual(denied);
    expect(await checkNewAuthorization(s.deps, who, acting, COMFAMA_NIT, NUEVO_NICOLAS)).toEqual(denied);
    expect(await authorize(s.deps, who, acting, COMFAMA_NIT, NUEVO_NICOLAS, actor)).toEqual(denied);
    expect(await revokeAuthorization(s.deps, who, acting, COMFAMA_NIT, existing.id, 'Ya no trabaja aquí', actor)).toEqual(denied);
    expect(await entries(s)).toEqual([existing]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('the new delegate who replaced the former one administers them', async () => {
    const s = await comfama();
    expect(await updateEmployer(s.deps, JOSE, COMFAMA_NIT, { delegado: CARLOS_DELEGADO }, actor)).toMatchObject({ ok: true });
    expect(await authorize(s.deps, CARLOS, asDelegate, COMFAMA_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true, value: { autorizacion: { autorizadoPor: { citizenId: CARLOS, como: 'delegado' } } } });
  });

  it('a NIT without an employer role: denied, even to its RL in the reference sources', async () => {
    const s = await comfama();
    await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
    expect(await listAuthorizations(s.deps, JAIME, asRioGrande, RIO_GRANDE_NIT)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
  });
});

// ------------------------------------------------------------------------------ revoke

describe('revokeAuthorization', () => {
  it.each([['abc'], ['    '], ['a b'], ['x'.repeat(501)]])('a reason of fewer than 5 or more than 500 characters is refused: %j', async (motivo) => {
    const s = await comfama();
    const a = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    s.mailer.sent.length = 0;
    expect(await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, a.id, motivo, actor)).toEqual(refused({ code: 'AUTORIZADO.MOTIVO_REQUERIDO', min: 5, max: 500 }));
    expect((await entries(s))[0]?.estado).toBe('activo');
    expect(s.mailer.sent).toEqual([]);
  });

  it('an active authorization: revoked with the reason (spaces collapsed), the person told, audited; the CCF role is gone', async () => {
    const s = await comfama();
    const a = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    s.mailer.sent.length = 0;
    s.clock.advance(MINUTE);
    const en = s.clock.now().toISOString();
    const r = await revokeAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, a.id, '  Ya no   trabaja\n en la Caja ', actor);
    const revoked: Autorizacion = { ...a, estado: 'revocado', revocacion: { citizenId: MARIA, nombre: 'María Peña', sexo: 'F', como: 'delegado', en, motivo: 'Ya no trabaja en la Caja' } };
    expect(r).toMatchObject({ ok: true, value: { autorizacion: revoked, correoEnviado: true } });
    expect(await entries(s)).toEqual([revoked]);
    expect(s.mailer.sent).toEqual([
      {
        to: 'andres.zapata@correo.com',
        template: 'autorizado-revocado',
        insideTransaction: false,
        data: {
          nombre: 'Andrés Zapata', razonSocial: COMFAMA_RS, sigla: 'COMFAMA', nit: '890.900.841-9', por: 'José Restrepo', enlace: 'https://asistente.example/',
          motivo: 'Ya no trabaja en la Caja', revocadoPor: 'María Peña', invitacion: false,
        },
      },
    ]);
    const events = await auditEvents(s);
    expect(events.find((e) => e.action === 'autorizados.revocado')).toMatchObject({
      actor: actor.ref,
      subject: 'NIT 890.900.841-9',
      detail: { persona: 'CC *******567', estadoAnterior: 'activo', como: 'delegado' },
    });
    expect(JSON.stringify(events)).not.toContain('1017234567');
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([]);
    expect((await rolesOf(s.deps, ANDRES)).roles).toEqual([{ tipo: 'ciudadano' }]);
  });

  it('an invitation: revoked, the mail goes to the e-mail given and says it was an invitation', async () => {
    const s = await comfama({ andres: false });
    const a = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    s.mailer.sent.length = 0;
    expect(await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, a.id, 'Error en la invitación', actor)).toMatchObject({ ok: true, value: { autorizacion: { estado: 'revocado' } } });
    expect(s.mailer.sent).toMatchObject([{ to: 'andres.zapata@comfama.com.co', template: 'autorizado-revocado', data: { invitacion: true, revocadoPor: 'José Restrepo' } }]);
    expect((await auditEvents(s)).find((e) => e.action === 'autorizados.revocado')).toMatchObject({ detail: { estadoAnterior: 'invitado', como: 'rl' } });
  });

  it('twice: AUTORIZADO.YA_REVOCADO, with no second mail', async () => {
    const s = await comfama();
    const a = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    expect((await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, a.id, 'Cambió de cargo', actor)).ok).toBe(true);
    s.mailer.sent.length = 0;
    expect(await revokeAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, a.id, 'Cambió de cargo', actor)).toEqual(refused({ code: 'AUTORIZADO.YA_REVOCADO' }));
    expect(s.mailer.sent).toEqual([]);
    expect((await entries(s))[0]?.revocacion).toMatchObject({ citizenId: JOSE });
  });

  it('an unknown id, or the id of another company’s authorization: AUTORIZADO.NO_EXISTE', async () => {
    const s = await comfama();
    await withRioGrande(s);
    const a = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    s.mailer.sent.length = 0;
    expect(await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, 'no-such-id', 'Cambió de cargo', actor)).toEqual(refused({ code: 'AUTORIZADO.NO_EXISTE' }));
    // Jaime administers his own company, and names COMFAMA's authorization there.
    expect(await revokeAuthorization(s.deps, JAIME, asRioGrande, RIO_GRANDE_NIT, a.id, 'Cambió de cargo', actor)).toEqual(refused({ code: 'AUTORIZADO.NO_EXISTE' }));
    expect(await entries(s)).toEqual([a]);
    expect(s.mailer.sent).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ the list

describe('listAuthorizations', () => {
  it('current entries first (newest first), revoked ones after', async () => {
    const s = await comfama();
    const step = () => s.clock.advance(MINUTE);
    const andres1 = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    step();
    const carlos = await authorized(s, MARIA, asDelegate, NUEVO_CARLOS);
    step();
    const nicolas = await authorized(s, JOSE, asRl, NUEVO_NICOLAS);
    expect(nicolas.estado).toBe('invitado');
    step();
    expect((await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, andres1.id, 'Cambió de cargo', actor)).ok).toBe(true);
    step();
    const andres2 = await authorized(s, JOSE, asRl, NUEVO_ANDRES);

    const ids = async () => {
      const r = await listAuthorizations(s.deps, MARIA, asDelegate, COMFAMA_NIT);
      if (!r.ok) throw new Error(r.error.code);
      return r.value.autorizados.map((a) => [a.id, a.estado]);
    };
    expect(await ids()).toEqual([
      [andres2.id, 'activo'],
      [nicolas.id, 'invitado'],
      [carlos.id, 'activo'],
      [andres1.id, 'revocado'],
    ]);
    step();
    expect((await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, carlos.id, 'Cambió de cargo', actor)).ok).toBe(true);
    expect(await ids()).toEqual([
      [andres2.id, 'activo'],
      [nicolas.id, 'invitado'],
      [carlos.id, 'revocado'],
      [andres1.id, 'revocado'],
    ]);
  });

  it('an empty list for a company with no authorized persons, and the company as the chat shows it', async () => {
    const s = await comfama();
    const r = await listAuthorizations(s.deps, JOSE, asRl, COMFAMA_NIT);
    expect(r).toMatchObject({ ok: true, value: { autorizados: [], empresa: { nit: COMFAMA_NIT, dv: '9', razonSocial: COMFAMA_RS, esCcf: true, estado: 'activo', como: 'rl', sede: { nombre: 'Sede principal' } } } });
  });
});

// ------------------------------------------------------------------------------ completed at activation

describe('an invited person who registers and activates the account is authorized', () => {
  const ANDRES_DATA = basicData(EXAMPLE_PERSONS.authorizedComfama);
  const andresActor: Actor = { ref: 'u-andres', channel: 'webchat' };
  const AUTORIZACION_DATOS = { version: '1.0', aceptadaEn: '2026-01-01T00:00:00.000Z' };

  async function registerAndActivate(s: Setup): Promise<void> {
    const start = await startRegistration(s.deps, ANDRES_DATA, andresActor);
    if (!start.ok) throw new Error(start.error.code);
    const qs = start.value.preguntas;
    expect(await answerIdentityQuestions(s.deps, ANDRES_DATA, qs, qs.map((q) => q.correct), andresActor)).toMatchObject({ ok: true });
    expect(await completeRegistration(s.deps, ANDRES_DATA, { email: 'andres.personal@correo.com', celular: '3109876543' }, AUTORIZACION_DATOS, andresActor)).toMatchObject({ ok: true });
    // Registered but not active yet: still invited, no CCF role.
    expect((await entries(s)).map((a) => a.estado)).not.toContain('activo');
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([]);
    s.clock.advance(MINUTE);
    const link = String(s.mailer.sent.find((m) => m.template === 'registro-activacion')?.data['enlace']);
    const token = String(new URL(link).searchParams.get('token'));
    expect(await setPasswordWithToken(s.deps, token, 'activacion', 'Kx7mPq29Lz', 'Kx7mPq29Lz', andresActor)).toMatchObject({ ok: true });
  }

  it('end to end with the registration and account use cases', async () => {
    const s = await comfama({ andres: false });
    const invited = await authorized(s, MARIA, asDelegate, NUEVO_ANDRES);
    expect(invited.estado).toBe('invitado');
    s.clock.advance(MINUTE);
    await registerAndActivate(s);
    const activadoEn = s.clock.now().toISOString();

    expect(await entries(s)).toEqual([{ ...invited, estado: 'activo', activadoEn }]);
    const asignado = s.mailer.sent.filter((m) => m.template === 'autorizado-asignado');
    expect(asignado).toEqual([
      {
        to: 'andres.personal@correo.com',
        template: 'autorizado-asignado',
        insideTransaction: false,
        data: { nombre: 'Andrés Zapata', razonSocial: COMFAMA_RS, sigla: 'COMFAMA', nit: '890.900.841-9', por: 'María Peña', enlace: 'https://asistente.example/', femenina: false },
      },
    ]);
    const events = await auditEvents(s);
    expect(events.find((e) => e.action === 'autorizados.vinculado')).toMatchObject({ actor: 'u-andres', subject: 'NIT 890.900.841-9', detail: { persona: 'CC *******567' } });
    expect(JSON.stringify(events)).not.toContain('1017234567');

    expect(await ccfsOf(s.deps, ANDRES)).toEqual([{ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' }]);
    expect((await rolesOf(s.deps, ANDRES)).roles).toEqual([{ tipo: 'ciudadano' }, { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' }]);
    // The Ministry has not activated COMFAMA's CCF role yet.
    expect(await ccfRoleOf(s.deps, COMFAMA_NIT)).toBeUndefined();
  });

  it('a revoked invitation is not completed by the activation', async () => {
    const s = await comfama({ andres: false });
    const invited = await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    expect((await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, invited.id, 'Error en la invitación', actor)).ok).toBe(true);
    await registerAndActivate(s);
    expect((await entries(s)).map((a) => a.estado)).toEqual(['revocado']);
    expect(s.mailer.sent.filter((m) => m.template === 'autorizado-asignado')).toEqual([]);
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([]);
    expect((await auditEvents(s)).some((e) => e.action === 'autorizados.vinculado')).toBe(false);
  });
});

// ------------------------------------------------------------------------------ the authorized person's side

describe('ccfsOf and ccfRoleOf', () => {
  it('only active authorizations at active employer roles count', async () => {
    const s = await comfama();
    await authorized(s, JOSE, asRl, NUEVO_ANDRES);
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([{ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' }]);
    expect(await ccfsOf(s.deps, JOSE)).toEqual([]);
    expect(await ccfsOf(s.deps, NICOLAS)).toEqual([]);
    // The role no longer active (e.g. rejected on a later review): no CCF role to act in.
    await s.store.transaction(async (tx) => {
      const role = await tx.collection('employers').get(COMFAMA_NIT);
      await tx.collection('employers').put({ ...role!, estado: 'rechazado' });
    });
    expect(await ccfsOf(s.deps, ANDRES)).toEqual([]);
  });

  it('ccfRoleOf reads the Ministry’s activation as stored', async () => {
    const s = await comfama();
    const rol = { id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: true, en: START };
    await s.store.transaction((tx) => tx.collection('rolesCcf').put(rol));
    expect(await ccfRoleOf(s.deps, COMFAMA_NIT)).toEqual(rol);
    expect(await ccfRoleOf(s.deps, RIO_GRANDE_NIT)).toBeUndefined();
  });
});
