/**
 * Activar / desactivar el rol "Caja de Compensación Familiar" (domain/rol-ccf.ts, DESIGN §1 step 4):
 * only a MinSalud administrator, with a reason, only for a CCF whose employer role is registered and
 * active; the record, the audit, who is told, and "Mis acciones recientes". The chain before it is set
 * up with the real use cases (registerEmployer, authorize, reviewRut).
 */
import { describe, expect, it } from 'vitest';
import {
  actor,
  ADMIN,
  ANDRES,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  HELPDESK,
  JAIME,
  JOSE,
  MARIA,
  pendingComfama,
  registration,
  seedCitizen,
  setup,
  NUEVO_ANDRES,
  NUEVO_MARIA,
  type Setup,
} from '../test/helpers/employers.js';
import type { Actor } from './audit.js';
import type { Autorizacion } from './autorizaciones.js';
import { authorize, ccfRoleOf, revokeAuthorization, type NuevoAutorizado } from './autorizados.js';
import { reviewRut } from './backoffice.js';
import { registerEmployer } from './empleador-registro.js';
import type { DelegateData, Sede } from './employers.js';
import { ACCIONES_RECIENTES, recentActions } from './ministerio.js';
import type { Mailer } from './ports.js';
import { ccfsParaActivar, setCcfRole } from './rol-ccf.js';
import type { ActingRole } from './session.js';
import { staffDirectory, type StaffDirectory } from './staff.js';

// ------------------------------------------------------------------------------ fixtures

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const COMFAMA_FORMATTED = '890.900.841-9';
const COMFENALCO_NIT = '890900842'; // COMFENALCO ANTIOQUIA (CCF03): a CCF, its RL is Nicolás
const RIO_GRANDE_NIT = '900197450'; // Transportes Río Grande S.A.S.: not a CCF (no PILA code); Jaime is its RL
const NICOLAS = 'CC:72235734'; // a reference person (RL of COMFENALCO ANTIOQUIA), not registered unless seeded
const DIANA = 'CC:33773336'; // a reference person, registered here as a second administrator
const MINUTE = 60_000;
const MOTIVO = 'Cadena de activación verificada';
/** Every document number of the people in these tests: none may reach the audit log. */
const DOCUMENTS = ['70123456', '1036612345', '1017234567', '654321', '14770440', '72235734', '33773336', '18054862'];

const asRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'rl' };
const otherActor: Actor = { ref: 'u-0a0b0c0d', channel: 'msteams' };

const NUEVO_NICOLAS: NuevoAutorizado = {
  ...NUEVO_ANDRES,
  numeroDocumento: '72235734',
  primerNombre: 'Nicolás',
  segundoNombre: 'Felipe',
  primerApellido: 'Montoya',
  segundoApellido: 'Montaño',
  email: 'nicolas.montoya@comfama.com.co',
};
const NUEVOS = { andres: NUEVO_ANDRES, maria: NUEVO_MARIA, nicolas: NUEVO_NICOLAS } as const;

const withDiana = (): StaffDirectory => staffDirectory({ admins: [ADMIN, DIANA], helpdesk: [HELPDESK] });

interface Chain {
  /** María registered and linked as the delegate (default), or invited (not registered). */
  readonly delegada?: 'vinculada' | 'invitada';
  /** Authorized by José (RL), a minute apart, in this order; Nicolás is never registered, so he stays invited. */
  readonly autorizados?: readonly (keyof typeof NUEVOS)[];
  readonly staff?: StaffDirectory;
}

/**
 * COMFAMA's chain up to step 3 with the real use cases: José (RL) registers the employer role (active:
 * the data matches the RUT reference) with María as delegate, then authorizes people. Carlos (the
 * administrator), the helpdesk agent and Andrés are registered citizens. Mails sent so far are cleared.
 */
async function comfama(c: Chain = {}): Promise<Setup & { autorizaciones: Record<string, Autorizacion> }> {
  const s = setup(c.staff);
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  if ((c.delegada ?? 'vinculada') === 'vinculada') await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
  await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  if (c.staff) await seedCitizen(s, 'CC', '33773336', 'diana.martinez@correo.com');
  const r = await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo', delegado: c.delegada === 'invitada' ? 'invitado' : 'vinculado' } });
  const autorizaciones: Record<string, Autorizacion> = {};
  for (const who of c.autorizados ?? ['andres']) {
    s.clock.advance(MINUTE);
    const a = await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVOS[who], actor);
    if (!a.ok) throw new Error(a.error.code);
    autorizaciones[who] = a.value.autorizacion;
  }
  s.clock.advance(MINUTE);
  s.mailer.sent.length = 0;
  return { ...s, autorizaciones };
}

/** Jaime registers the employer role of Transportes Río Grande (active: it matches the RUT reference), which is not a CCF. */
async function withRioGrande(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
  const sede: Sede = { nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 32A # 93-16', telefono: '6044445555', email: 'admin@riogrande.com.co' };
  const delegado: DelegateData = {
    tipoDocumento: 'CE', numeroDocumento: '654321', primerNombre: 'Carlos', segundoNombre: '', primerApellido: 'Briceño', segundoApellido: 'Salas', email: 'carlos.briceno@riogrande.com.co',
  };
  const r = await registerEmployer(s.deps, JAIME, { nit: RIO_GRANDE_NIT, razonSocial: 'Transportes Río Grande S.A.S.', naturaleza: '2', delegado, sede }, actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo' } });
}

const auditEvents = (s: Setup) => s.store.transaction((tx) => tx.collection('audit').list());
const rolesCcf = (s: Setup) => s.store.transaction((tx) => tx.collection('rolesCcf').list());
const acciones = (s: Setup) => s.store.transaction((tx) => tx.collection('accionesMinisterio').list());
const refused = (error: unknown) => ({ ok: false, error });
const activate = (s: Setup, motivo = MOTIVO, nit = COMFAMA_NIT, by = ADMIN) => setCcfRole(s.deps, by, nit, true, motivo, actor);
const deactivate = (s: Setup, motivo = 'Solicitud de la Superintendencia', nit = COMFAMA_NIT, by = ADMIN) => setCcfRole(s.deps, by, nit, false, motivo, actor);
const nowIso = (s: Setup) => s.clock.now().toISOString();

/** Nothing of an activation happened: no record, no audit of it, no action listed, no mail. */
async function expectNothingDone(s: Setup): Promise<void> {
  expect(await rolesCcf(s)).toEqual([]);
  expect((await auditEvents(s)).map((e) => e.action).filter((a) => a.startsWith('ccf.'))).toEqual([]);
  expect(await acciones(s)).toEqual([]);
  expect(s.mailer.sent).toEqual([]);
}

// ------------------------------------------------------------------------------ who may

describe('setCcfRole: only an Administrador MinSalud', () => {
  it.each<[string, string, boolean]>([
    ['a plain citizen (Andrés, COMFAMA’s authorized person)', ANDRES, true],
    ['a plain citizen deactivating', ANDRES, false],
    ['a helpdesk agent', HELPDESK, true],
    ['a helpdesk agent deactivating', HELPDESK, false],
    ['COMFAMA’s RL', JOSE, true],
    ['COMFAMA’s RL deactivating', JOSE, false],
    ['COMFAMA’s linked delegate', MARIA, true],
    ['someone with no account (Nicolás)', NICOLAS, true],
  ])('%s → PERMISO.DENEGADO, the refusal audited, nothing changed', async (_name, who, activo) => {
    const s = await comfama();
    const before = (await auditEvents(s)).length;
    expect(await setCcfRole(s.deps, who, COMFAMA_NIT, activo, MOTIVO, otherActor)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
    const added = (await auditEvents(s)).slice(before);
    expect(added).toEqual([
      { id: expect.any(String), at: nowIso(s), actor: otherActor.ref, channel: otherActor.channel, action: 'ministerio.rechazado', detail: { accion: 'ccf.activar' } },
    ]);
    await expectNothingDone(s);
  });

  it('an administrator whose account is not active is refused too', async () => {
    const s = setup();
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com', 'pendiente');
    expect(await activate(s)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
    expect((await auditEvents(s)).map((e) => e.action)).toEqual(['ministerio.rechazado']);
  });

  it('the permission comes before the reason: a non-administrator with no reason is told "denegado", not about the reason', async () => {
    const s = await comfama();
    expect(await setCcfRole(s.deps, JOSE, COMFAMA_NIT, true, '', actor)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
  });
});

// ------------------------------------------------------------------------------ which company

describe('setCcfRole: only for a CCF whose employer role is registered and active', () => {
  it.each<[string, string]>([
    ['a company that is not a CCF, with its employer role active (Transportes Río Grande)', RIO_GRANDE_NIT],
    ['a company that is not a CCF, written with its DV', '900.197.450-1'],
    ['text that is not a NIT', 'COMFAMA'],
    ['a NIT with a wrong DV', '890.900.841-1'],
    ['an empty NIT', ''],
  ])('%s → CCF.NO_ES_CCF', async (_name, nit) => {
    const s = await comfama();
    await withRioGrande(s);
    s.mailer.sent.length = 0;
    expect(await activate(s, MOTIVO, nit)).toEqual(refused({ code: 'CCF.NO_ES_CCF' }));
    expect(await deactivate(s, MOTIVO, nit)).toEqual(refused({ code: 'CCF.NO_ES_CCF' }));
    await expectNothingDone(s);
  });

  it.each<[string, (s: Setup) => Promise<void>]>([
    ['no employer role at all', async () => {}],
    ['an employer role waiting for the RUT review', async (s) => pendingComfama(s)],
    [
      'an employer role whose RUT was rejected',
      async (s) => {
        await pendingComfama(s);
        expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'El RUT no es legible', actor)).toMatchObject({ ok: true, value: { estado: 'rechazado' } });
      },
    ],
  ])('a CCF with %s → CCF.SIN_ROL_EMPLEADOR (activating and deactivating)', async (_name, arrange) => {
    const s = setup();
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
    await arrange(s);
    s.mailer.sent.length = 0;
    expect(await activate(s)).toEqual(refused({ code: 'CCF.SIN_ROL_EMPLEADOR' }));
    expect(await deactivate(s)).toEqual(refused({ code: 'CCF.SIN_ROL_EMPLEADOR' }));
    await expectNothingDone(s);
  });

  it('another CCF (COMFENALCO ANTIOQUIA) without an employer role is refused while COMFAMA’s is activated', async () => {
    const s = await comfama();
    expect(await activate(s, MOTIVO, COMFENALCO_NIT)).toEqual(refused({ code: 'CCF.SIN_ROL_EMPLEADOR' }));
    expect(await activate(s)).toMatchObject({ ok: true });
  });

  it('a RUT approved by the back office makes the role registered: then it can be activated', async () => {
    const s = setup();
    await pendingComfama(s);
    expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'aprobado', undefined, actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
    expect(await activate(s)).toMatchObject({ ok: true, value: { rolCcf: { nit: COMFAMA_NIT, activo: true } } });
  });

  it('takes the NIT as people write it ("890.900.841-9", " 890 900 841 ")', async () => {
    const s = await comfama();
    expect(await activate(s, MOTIVO, '890.900.841-9')).toMatchObject({ ok: true, value: { rolCcf: { id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: true } } });
    expect(await deactivate(s, 'Revisión de la cadena', ' 890 900 841 ')).toMatchObject({ ok: true, value: { rolCcf: { nit: COMFAMA_NIT, activo: false } } });
    expect((await rolesCcf(s)).map((r) => r.id)).toEqual([COMFAMA_NIT]);
  });
});

// ------------------------------------------------------------------------------ reason

describe('setCcfRole: a reason is required', () => {
  it.each<[string, string]>([
    ['empty', ''],
    ['only spaces', '     '],
    ['four characters', 'Okey'],
    ['four characters once spaces are collapsed', '  ab   c  '],
    ['longer than 500 characters', 'x'.repeat(501)],
  ])('%s → MINISTERIO.MOTIVO_REQUERIDO (5 to 500), nothing stored', async (_name, motivo) => {
    const s = await comfama();
    expect(await activate(s, motivo)).toEqual(refused({ code: 'MINISTERIO.MOTIVO_REQUERIDO', min: 5, max: 500 }));
    expect(await deactivate(s, motivo)).toEqual(refused({ code: 'MINISTERIO.MOTIVO_REQUERIDO', min: 5, max: 500 }));
    await expectNothingDone(s);
  });

  it.each<[string, string, string]>([
    ['exactly five characters', 'Listo', 'Listo'],
    ['spaces collapsed and trimmed', '  Cadena \n  completa\tverificada ', 'Cadena completa verificada'],
    ['exactly 500 characters', 'y'.repeat(500), 'y'.repeat(500)],
  ])('%s: accepted and stored as collapsed', async (_name, motivo, stored) => {
    const s = await comfama();
    const r = await activate(s, motivo);
    expect(r).toMatchObject({ ok: true, value: { rolCcf: { motivo: stored } } });
    expect((await rolesCcf(s))[0]?.motivo).toBe(stored);
    expect(s.mailer.sent[0]?.data.motivo).toBe(stored);
  });
});

// ------------------------------------------------------------------------------ state

describe('setCcfRole: activate and deactivate', () => {
  it('activates: the record (activo, en, motivo, por), what the caller gets, and ccfRoleOf', async () => {
    const s = await comfama();
    const en = nowIso(s);
    const r = await activate(s);
    const rolCcf = { id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: true, en, motivo: MOTIVO, por: ADMIN };
    expect(r).toEqual({ ok: true, value: { rolCcf, razonSocial: COMFAMA_RS, avisados: [JOSE, MARIA, ANDRES], correosEnviados: true } });
    expect(await rolesCcf(s)).toEqual([rolCcf]);
    expect(await ccfRoleOf(s.deps, COMFAMA_NIT)).toEqual(rolCcf);
  });

  it('activating twice → CCF.YA_ACTIVO; the first activation is kept and nobody is told again', async () => {
    const s = await comfama();
    const first = await activate(s);
    s.clock.advance(MINUTE);
    const mails = s.mailer.sent.length;
    expect(await activate(s, 'Otra vez, por si acaso')).toEqual(refused({ code: 'CCF.YA_ACTIVO' }));
    expect(await rolesCcf(s)).toEqual([first.ok && first.value.rolCcf]);
    expect(s.mailer.sent).toHaveLength(mails);
    expect((await acciones(s)).map((a) => a.accion)).toEqual(['rol_ccf_activado']);
  });

  it('deactivating a role never activated → CCF.YA_INACTIVO', async () => {
    const s = await comfama();
    expect(await deactivate(s)).toEqual(refused({ code: 'CCF.YA_INACTIVO' }));
    await expectNothingDone(s);
  });

  it('activate → deactivate → activate: each one recorded, deactivating twice refused', async () => {
    const s = await comfama();
    const t0 = nowIso(s);
    expect(await activate(s, 'Primera activación')).toMatchObject({ ok: true, value: { rolCcf: { activo: true, en: t0 } } });
    s.clock.advance(60 * MINUTE);
    const t1 = nowIso(s);
    expect(await deactivate(s, 'Incidente de seguridad')).toMatchObject({ ok: true, value: { rolCcf: { activo: false, en: t1, motivo: 'Incidente de seguridad', por: ADMIN } } });
    expect(await ccfRoleOf(s.deps, COMFAMA_NIT)).toMatchObject({ activo: false, en: t1 });
    expect(await deactivate(s, 'Incidente de seguridad')).toEqual(refused({ code: 'CCF.YA_INACTIVO' }));
    s.clock.advance(60 * MINUTE);
    const t2 = nowIso(s);
    expect(await activate(s, 'Incidente resuelto')).toMatchObject({ ok: true, value: { rolCcf: { activo: true, en: t2, motivo: 'Incidente resuelto' } } });
    expect(await rolesCcf(s)).toEqual([{ id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: true, en: t2, motivo: 'Incidente resuelto', por: ADMIN }]);
    expect((await auditEvents(s)).map((e) => e.action).filter((a) => a.startsWith('ccf.'))).toEqual(['ccf.rol_activado', 'ccf.rol_desactivado', 'ccf.rol_activado']);
    expect(s.mailer.sent.map((m) => m.template)).toEqual([
      ...Array(3).fill('rol-ccf-activado'),
      ...Array(3).fill('rol-ccf-desactivado'),
      ...Array(3).fill('rol-ccf-activado'),
    ]);
  });

  it('a second administrator may deactivate what the first activated; `por` says who did it last', async () => {
    const s = await comfama({ staff: withDiana() });
    await activate(s);
    s.clock.advance(MINUTE);
    expect(await deactivate(s, 'Decisión del comité', COMFAMA_NIT, DIANA)).toMatchObject({ ok: true, value: { rolCcf: { activo: false, por: DIANA } } });
  });
});

// ------------------------------------------------------------------------------ audit

describe('setCcfRole: the audit', () => {
  it('one ccf.rol_activado event about "NIT 890.900.841-9", and every mail recorded with a masked address', async () => {
    const s = await comfama();
    const before = (await auditEvents(s)).length;
    await activate(s);
    const added = (await auditEvents(s)).slice(before);
    expect(added[0]).toEqual({ id: expect.any(String), at: nowIso(s), actor: actor.ref, channel: actor.channel, action: 'ccf.rol_activado', subject: `NIT ${COMFAMA_FORMATTED}` });
    expect(added.slice(1).map((e) => [e.action, e.subject, e.detail?.plantilla])).toEqual(
      Array(3).fill(['correo.enviado', `NIT ${COMFAMA_FORMATTED}`, 'rol-ccf-activado']),
    );
    for (const e of added.slice(1)) expect(String(e.detail?.destino)).toMatch(/^\S*\*+\S*@/);
    expect(added).toHaveLength(4);
  });

  it('deactivation: ccf.rol_desactivado, same subject', async () => {
    const s = await comfama();
    await activate(s);
    const before = (await auditEvents(s)).length;
    await deactivate(s);
    expect((await auditEvents(s)).slice(before)[0]).toMatchObject({ action: 'ccf.rol_desactivado', subject: `NIT ${COMFAMA_FORMATTED}` });
  });

  it('no document number, citizen id, e-mail address or reason anywhere in the audit log (refusals included)', async () => {
    const s = await comfama({ autorizados: ['andres', 'maria', 'nicolas'] });
    await setCcfRole(s.deps, JOSE, COMFAMA_NIT, true, MOTIVO, actor);
    await activate(s, 'abc');
    await activate(s);
    await deactivate(s, 'Motivo muy reservado 12345');
    const json = JSON.stringify(await auditEvents(s));
    for (const d of DOCUMENTS) expect(json).not.toContain(d);
    expect(json).not.toMatch(/\b(CC|CE):/);
    for (const local of ['jose.restrepo@', 'maria.pena@', 'andres.zapata@', 'nicolas.montoya@']) expect(json).not.toContain(local);
    expect(json).not.toContain('Motivo muy reservado');
  });
});

// ------------------------------------------------------------------------------ who is told

describe('setCcfRole: the RL, the linked delegate and the active authorized persons are told', () => {
  const expectedData = (nombre: string, over: Record<string, unknown> = {}) => ({
    nombre,
    razonSocial: COMFAMA_RS,
    sigla: 'COMFAMA',
    nit: COMFAMA_FORMATTED,
    motivo: MOTIVO,
    enlace: 'https://asistente.example/',
    ...over,
  });

  it('each at their own account’s e-mail, once, after the commit; an invited authorized person gets none', async () => {
    const s = await comfama({ autorizados: ['andres', 'nicolas'] });
    expect(s.autorizaciones.nicolas?.estado).toBe('invitado');
    const r = await activate(s);
    expect(r.ok && [...r.value.avisados].sort()).toEqual([ANDRES, JOSE, MARIA].sort());
    expect(r).toMatchObject({ ok: true, value: { correosEnviados: true } });
    const mails = [...s.mailer.sent].sort((a, b) => a.to.localeCompare(b.to));
    expect(mails).toEqual([
      { to: 'andres.zapata@correo.com', template: 'rol-ccf-activado', data: expectedData('Andrés Zapata'), insideTransaction: false },
      { to: 'jose.restrepo@correo.com', template: 'rol-ccf-activado', data: expectedData('José Restrepo'), insideTransaction: false },
      { to: 'maria.pena@correo.com', template: 'rol-ccf-activado', data: expectedData('María Peña'), insideTransaction: false },
    ]);
    expect(s.mailer.sent.some((m) => m.to.includes('nicolas'))).toBe(false);
  });

  it('the delegate who is also an authorized person is told once', async () => {
    const s = await comfama({ autorizados: ['maria', 'andres'] });
    const r = await activate(s);
    expect(r.ok && r.value.avisados).toHaveLength(3);
    expect(s.mailer.sent.filter((m) => m.to === 'maria.pena@correo.com')).toHaveLength(1);
    expect(s.mailer.sent).toHaveLength(3);
  });

  it('an invited delegate (not registered) gets none; the RL and the authorized person do', async () => {
    const s = await comfama({ delegada: 'invitada' });
    const r = await activate(s);
    expect(r.ok && [...r.value.avisados].sort()).toEqual([ANDRES, JOSE].sort());
    expect(s.mailer.sent.map((m) => m.to).sort()).toEqual(['andres.zapata@correo.com', 'jose.restrepo@correo.com']);
    expect(s.mailer.sent.some((m) => m.to.includes('maria'))).toBe(false);
  });

  it('a revoked authorized person gets none', async () => {
    const s = await comfama({ autorizados: ['andres'] });
    const revoked = await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, s.autorizaciones.andres!.id, 'Ya no trabaja aquí', actor);
    expect(revoked).toMatchObject({ ok: true });
    s.mailer.sent.length = 0;
    const r = await activate(s);
    expect(r.ok && [...r.value.avisados].sort()).toEqual([JOSE, MARIA].sort());
    expect(s.mailer.sent.some((m) => m.to.startsWith('andres'))).toBe(false);
  });

  it('deactivation tells the same people with rol-ccf-desactivado and the reason', async () => {
    const s = await comfama({ autorizados: ['andres', 'nicolas'] });
    await activate(s);
    s.mailer.sent.length = 0;
    const r = await deactivate(s, 'Incidente de seguridad');
    expect(r.ok && [...r.value.avisados].sort()).toEqual([ANDRES, JOSE, MARIA].sort());
    expect(s.mailer.sent.map((m) => [m.to, m.template, m.data.motivo]).sort()).toEqual([
      ['andres.zapata@correo.com', 'rol-ccf-desactivado', 'Incidente de seguridad'],
      ['jose.restrepo@correo.com', 'rol-ccf-desactivado', 'Incidente de seguridad'],
      ['maria.pena@correo.com', 'rol-ccf-desactivado', 'Incidente de seguridad'],
    ]);
  });

  it('a mail that cannot be sent does not undo the activation: correosEnviados false, audited as correo.no_enviado', async () => {
    const s = await comfama();
    let calls = 0;
    const flaky: Mailer = {
      send: async (mail) => {
        if (++calls === 2) throw new Error('SMTP down');
        return s.deps.mailer.send(mail);
      },
    };
    const before = (await auditEvents(s)).length;
    const r = await setCcfRole({ ...s.deps, mailer: flaky }, ADMIN, COMFAMA_NIT, true, MOTIVO, actor);
    expect(r).toMatchObject({ ok: true, value: { correosEnviados: false, rolCcf: { activo: true } } });
    expect(await ccfRoleOf(s.deps, COMFAMA_NIT)).toMatchObject({ activo: true });
    const actions = (await auditEvents(s)).slice(before).map((e) => e.action);
    expect(actions.filter((a) => a === 'correo.enviado')).toHaveLength(2);
    expect(actions.filter((a) => a === 'correo.no_enviado')).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------ Mis acciones recientes

describe('recentActions ("Mis acciones recientes")', () => {
  it('lists the activation for the administrator who did it, not for another administrator', async () => {
    const s = await comfama({ staff: withDiana() });
    const en = nowIso(s);
    await activate(s);
    expect(await recentActions(s.deps, ADMIN, actor)).toEqual({
      ok: true,
      value: [{ id: expect.any(String), por: ADMIN, en, accion: 'rol_ccf_activado', sobre: 'COMFAMA', motivo: MOTIVO }],
    });
    expect(await recentActions(s.deps, DIANA, actor)).toEqual({ ok: true, value: [] });
  });

  it('newest first, each administrator their own', async () => {
    const s = await comfama({ staff: withDiana() });
    await activate(s, 'Primera activación');
    s.clock.advance(MINUTE);
    await deactivate(s, 'Decisión del comité', COMFAMA_NIT, DIANA);
    s.clock.advance(MINUTE);
    await activate(s, 'Segunda activación');
    const mine = await recentActions(s.deps, ADMIN, actor);
    expect(mine.ok && mine.value.map((a) => [a.accion, a.motivo])).toEqual([
      ['rol_ccf_activado', 'Segunda activación'],
      ['rol_ccf_activado', 'Primera activación'],
    ]);
    const hers = await recentActions(s.deps, DIANA, actor);
    expect(hers.ok && hers.value.map((a) => [a.accion, a.sobre, a.motivo])).toEqual([['rol_ccf_desactivado', 'COMFAMA', 'Decisión del comité']]);
  });

  it(`keeps the latest ${ACCIONES_RECIENTES}`, async () => {
    const s = await comfama({ autorizados: [] });
    for (let i = 0; i < ACCIONES_RECIENTES + 3; i++) {
      s.clock.advance(MINUTE);
      expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, i % 2 === 0, `Cambio número ${i}`, actor)).toMatchObject({ ok: true });
    }
    const r = await recentActions(s.deps, ADMIN, actor);
    expect(r.ok && r.value.map((a) => a.motivo)).toEqual(Array.from({ length: ACCIONES_RECIENTES }, (_, k) => `Cambio número ${ACCIONES_RECIENTES + 2 - k}`));
  });

  it.each([
    ['a plain citizen', ANDRES],
    ['a helpdesk agent', HELPDESK],
    ['COMFAMA’s RL', JOSE],
  ])('%s → PERMISO.DENEGADO', async (_name, who) => {
    const s = await comfama();
    await activate(s);
    expect(await recentActions(s.deps, who, actor)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
  });
});

// ------------------------------------------------------------------------------ the list to choose from

describe('ccfsParaActivar', () => {
  it('every CCF of the reference sources, with its employer role, active authorized persons and CCF role', async () => {
    const s = await comfama({ autorizados: ['andres', 'nicolas'] });
    const before = await ccfsParaActivar(s.deps, ADMIN, actor);
    expect(before.ok && before.value).toHaveLength(43);
    const comfamaOf = (r: typeof before) => (r.ok ? r.value.find((c) => c.nit === COMFAMA_NIT) : undefined);
    // Nicolás is only invited: one active authorized person.
    expect(comfamaOf(before)).toEqual({ nit: COMFAMA_NIT, dv: '9', razonSocial: COMFAMA_RS, sigla: 'COMFAMA', rolEmpleador: true, autorizados: 1 });
    expect(before.ok && before.value.find((c) => c.nit === COMFENALCO_NIT)).toMatchObject({ rolEmpleador: false, autorizados: 0 });
    expect(before.ok && before.value.find((c) => c.nit === COMFENALCO_NIT)?.rolCcf).toBeUndefined();

    const en = nowIso(s);
    await activate(s);
    expect(comfamaOf(await ccfsParaActivar(s.deps, ADMIN, actor))?.rolCcf).toEqual({ activo: true, en, motivo: MOTIVO });
  });

  it('a CCF whose role waits for the RUT review is not "rolEmpleador"', async () => {
    const s = setup();
    await pendingComfama(s);
    const r = await ccfsParaActivar(s.deps, ADMIN, actor);
    expect(r.ok && r.value.find((c) => c.nit === COMFAMA_NIT)).toMatchObject({ rolEmpleador: false });
  });

  it.each([
    ['a plain citizen', ANDRES],
    ['a helpdesk agent', HELPDESK],
  ])('%s → PERMISO.DENEGADO, audited', async (_name, who) => {
    const s = await comfama();
    expect(await ccfsParaActivar(s.deps, who, actor)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
    expect((await auditEvents(s)).at(-1)).toMatchObject({ action: 'ministerio.rechazado', detail: { accion: 'ccf.activar' } });
  });
});

describe('conflict of interest: nobody acts in the back office on a CCF they take part in', () => {
  it.each([
    ['its RL', JOSE],
    ['its linked delegate', MARIA],
    ['one of its authorized persons', ANDRES],
  ])('an administrator who is %s is refused (audited), and nothing changes', async (_name, who) => {
    const s = await comfama({ staff: staffDirectory({ admins: [ADMIN, who], helpdesk: [HELPDESK] }) });
    expect(await setCcfRole(s.deps, who, COMFAMA_NIT, true, MOTIVO, actor)).toEqual({ ok: false, error: { code: 'CCF.PARTICIPA' } });
    expect(await ccfRoleOf(s.deps, COMFAMA_NIT)).toBeUndefined();
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.some((e) => e.action === 'ministerio.rechazado' && e.subject === 'NIT 890.900.841-9')).toBe(true);
    // Another administrator may.
    expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, true, MOTIVO, actor)).toMatchObject({ ok: true });
  });
});
