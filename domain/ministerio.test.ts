/**
 * What the Ministry's back office shares (domain/ministerio.ts): the reason rule, who hears about a CCF,
 * the "Bandeja del Ministerio" (RUT reviews, CCFs to activate, CCFs without services), and what the
 * Ministry's actions make of step 4 of "¿en qué voy?" (domain/checklist-facts.ts + domain/checklist.ts).
 * Chains are built with the real use cases; services are stored directly in 'servicios'.
 */
import { describe, expect, it } from 'vitest';
import {
  actor,
  ADMIN,
  ANDRES,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  DELEGADO_ANDRES,
  HELPDESK,
  JAIME,
  JOSE,
  MARIA,
  pendingComfama,
  registration,
  RUT_OK,
  SEDE,
  seedCitizen,
  setup,
  START,
  NUEVO_ANDRES,
  NUEVO_MARIA,
  type Setup,
} from '../test/helpers/employers.js';
import { assignServices, changeAssignment } from './asignaciones.js';
import type { Actor } from './audit.js';
import { authorize, revokeAuthorization, type NuevoAutorizado } from './autorizados.js';
import { reviewRut } from './backoffice.js';
import { checklist } from './checklist.js';
import { loadChecklistFacts } from './checklist-facts.js';
import { naturalezaOf, registerEmployer } from './empleador-registro.js';
import type { DelegateData } from './employers.js';
import { bandeja, motivoOf, peopleOfCcf, recentActions } from './ministerio.js';
import { setCcfRole } from './rol-ccf.js';
import type { ServicioWeb } from './servicios-web.js';
import type { ActingRole } from './session.js';
import { staffDirectory } from './staff.js';

// ------------------------------------------------------------------------------ fixtures

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const COMFENALCO_NIT = '890900842'; // COMFENALCO ANTIOQUIA (CCF03); its RL is Nicolás
const COMFENALCO_RS = 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA';
const CAMACOL_NIT = '890900840'; // COMFAMILIAR CAMACOL (CCF02); its RL is Diana
const RIO_GRANDE_NIT = '900197450'; // Transportes Río Grande S.A.S.: not a CCF; Jaime is its RL
const NICOLAS = 'CC:72235734';
const DIANA = 'CC:33773336';
const MINUTE = 60_000;
const at = (minutes: number) => new Date(new Date(START).getTime() + minutes * MINUTE).toISOString();
const otherActor: Actor = { ref: 'u-0a0b0c0d', channel: 'msteams' };

const acting = (nit: string, razonSocial: string): ActingRole => ({ tipo: 'empleador', nit, razonSocial, como: 'rl' });
const asComfamaRl = acting(COMFAMA_NIT, COMFAMA_RS);

/** Jaime is never registered in these tests: authorizing him is an invitation. */
const NUEVO_JAIME: NuevoAutorizado = { ...NUEVO_ANDRES, numeroDocumento: '18054862', primerNombre: 'Jaime', segundoNombre: '', primerApellido: 'Giraldo', segundoApellido: 'Montoya', email: 'jaime.giraldo@camacol.com.co' };

function servicio(id: string, estado: ServicioWeb['estado'] = 'publicado'): ServicioWeb {
  return {
    id,
    nombre: `Servicio ${id}`,
    descripcion: `Ejemplo sintético: ${id}`,
    metodo: 'POST',
    ruta: `/sat/${id.toLowerCase()}`,
    version: '1.0.0',
    estado,
    documento: { sha256: 'cd'.repeat(32), size: 2048, formato: 'yaml', especificacion: 'openapi-3.1' },
    ejemplo: true,
    creadoEn: START,
    actualizadoEn: START,
  };
}
const SOLICITUD = 'SolicitudAfiliacion';
const CONSULTA = 'ConsultaAfiliacion';
const NOVEDAD = 'ReporteNovedad';
const ANTIGUO = 'ServicioAntiguo';

async function storeServices(s: Setup): Promise<void> {
  await s.store.transaction(async (tx) => {
    for (const x of [servicio(SOLICITUD), servicio(CONSULTA), servicio(NOVEDAD), servicio(ANTIGUO, 'retirado')]) await tx.collection('servicios').put(x);
  });
}

/** José (RL), María, Carlos (the administrator), the helpdesk agent and Andrés as accounts. */
async function people(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
  await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
}

/** COMFAMA's employer role (active, María the linked delegate), registered by José now. */
async function registerComfama(s: Setup): Promise<void> {
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
}

/** Another CCF's employer role, active (the reference data typed right), registered now by its reference RL with Andrés as delegate. */
async function registerCcf(s: Setup, nit: string, rl: { id: string; email: string }, delegado: DelegateData = DELEGADO_ANDRES): Promise<void> {
  const company = (await s.deps.reference.findCompany(nit))!;
  const [tipo, numero] = rl.id.split(':') as ['CC', string];
  await seedCitizen(s, tipo, numero, rl.email);
  const r = await registerEmployer(s.deps, rl.id, { nit, razonSocial: company.razonSocial, naturaleza: naturalezaOf(company), delegado, sede: { ...SEDE, email: `sede@${nit}.com.co` } }, actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo' } });
}

async function authorizeAt(s: Setup, by: string, nit: string, razonSocial: string, input: NuevoAutorizado) {
  const r = await authorize(s.deps, by, acting(nit, razonSocial), nit, input, actor);
  if (!r.ok) throw new Error(r.error.code);
  return r.value.autorizacion;
}

const refused = (error: unknown) => ({ ok: false, error });
const tray = async (s: Setup, who = ADMIN) => {
  const r = await bandeja(s.deps, who, actor);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};
const nits = (list: readonly { nit: string }[]) => list.map((x) => x.nit);
const activate = (s: Setup, nit: string, activo = true) => setCcfRole(s.deps, ADMIN, nit, activo, activo ? 'Cadena verificada' : 'Incidente de seguridad', actor);

// ------------------------------------------------------------------------------ motivoOf

describe('motivoOf: a reason of 5 to 500 characters, spaces collapsed', () => {
  it.each<[string, string, string | null]>([
    ['empty', '', null],
    ['only spaces and new lines', '  \n\t  ', null],
    ['four characters', 'Nada', null],
    ['four once collapsed', ' ab    c ', null],
    ['five', 'Listo', 'Listo'],
    ['five once collapsed', ' a  b   c ', 'a b c'],
    ['new lines and tabs collapsed', 'Cadena\n\ncompleta\tverificada', 'Cadena completa verificada'],
    ['500', 'm'.repeat(500), 'm'.repeat(500)],
    ['501', 'm'.repeat(501), null],
    ['500 after trimming', `   ${'m'.repeat(500)}   `, 'm'.repeat(500)],
  ])('%s', (_name, raw, expected) => {
    expect(motivoOf(raw)).toEqual(expected === null ? { ok: false, error: { code: 'MINISTERIO.MOTIVO_REQUERIDO', min: 5, max: 500 } } : { ok: true, value: expected });
  });
});

// ------------------------------------------------------------------------------ peopleOfCcf

describe('peopleOfCcf: the RL, the linked delegate and the active authorized persons, each once', () => {
  it('a delegate also authorized counts once; invited and revoked authorized persons and an invited delegate do not count', async () => {
    const s = setup();
    await people(s);
    await registerComfama(s);
    await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_MARIA);
    const andres = await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_ANDRES);
    await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, { ...NUEVO_JAIME, email: 'jaime.giraldo@comfama.com.co' });
    const ids = () => s.store.transaction(async (tx) => (await peopleOfCcf(tx, (await tx.collection('employers').get(COMFAMA_NIT))!)).map((c) => c.id));
    expect(await ids()).toEqual([JOSE, MARIA, ANDRES]);
    expect(await revokeAuthorization(s.deps, JOSE, asComfamaRl, COMFAMA_NIT, andres.id, 'Ya no trabaja aquí', actor)).toMatchObject({ ok: true });
    expect(await ids()).toEqual([JOSE, MARIA]);

    const invited = setup();
    await seedCitizen(invited, 'CC', '70123456', 'jose.restrepo@correo.com');
    await registerComfama(invited);
    expect(await invited.store.transaction(async (tx) => (await peopleOfCcf(tx, (await tx.collection('employers').get(COMFAMA_NIT))!)).map((c) => c.id))).toEqual([JOSE]);
  });
});

// ------------------------------------------------------------------------------ bandeja

describe('bandeja: what waits for the Ministry', () => {
  it('empty when nothing waits', async () => {
    const s = setup();
    await people(s);
    expect(await bandeja(s.deps, ADMIN, actor)).toEqual({ ok: true, value: { rut: [], porActivar: [], sinServicios: [] } });
  });

  it.each([
    ['a plain citizen', ANDRES],
    ['a helpdesk agent', HELPDESK],
    ['a CCF’s RL', JOSE],
    ['someone with no account', NICOLAS],
  ])('%s → PERMISO.DENEGADO, the refusal audited', async (_name, who) => {
    const s = setup();
    await people(s);
    expect(await bandeja(s.deps, who, otherActor)).toEqual(refused({ code: 'PERMISO.DENEGADO' }));
    const events = await s.store.transaction((tx) => tx.collection('audit').list());
    expect(events.at(-1)).toEqual({ id: expect.any(String), at: START, actor: otherActor.ref, channel: otherActor.channel, action: 'ministerio.rechazado', detail: { accion: 'ccf.activar' } });
  });

  it('RUT reviews: pending ones oldest first (by upload, not by insertion), never the administrator’s own company, gone once reviewed', async () => {
    // José is also an administrator here: he must not see COMFAMA's RUT waiting for him.
    const s = setup(staffDirectory({ admins: [ADMIN, JOSE], helpdesk: [HELPDESK] }));
    await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
    s.clock.set(at(60));
    const rio = await registerEmployer(
      s.deps,
      JAIME,
      { nit: RIO_GRANDE_NIT, razonSocial: 'Transportes Rio Grande Ltda', naturaleza: '2', rut: RUT_OK, delegado: DELEGADO_ANDRES, sede: { ...SEDE, email: 'admin@riogrande.com.co' } },
      actor,
    );
    expect(rio).toMatchObject({ ok: true, value: { estado: 'pendiente_revision' } });
    s.clock.set(START);
    await pendingComfama(s);
    s.clock.set(at(120));

    expect((await tray(s)).rut).toEqual([
      { nit: COMFAMA_NIT, razonSocial: expect.any(String), desde: START },
      { nit: RIO_GRANDE_NIT, razonSocial: expect.any(String), desde: at(60) },
    ]);
    expect(nits((await tray(s, JOSE)).rut)).toEqual([RIO_GRANDE_NIT]);

    expect(await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'aprobado', undefined, actor)).toMatchObject({ ok: true });
    expect(nits((await tray(s)).rut)).toEqual([RIO_GRANDE_NIT]);
    expect(await reviewRut(s.deps, ADMIN, RIO_GRANDE_NIT, 'rechazado', 'La razón social no coincide', actor)).toMatchObject({ ok: true });
    expect((await tray(s)).rut).toEqual([]);
  });

  /**
   * COMFAMA (registered at START) and COMFENALCO ANTIOQUIA (START+1) and COMFAMILIAR CAMACOL (START+2)
   * with active employer roles. COMFENALCO authorizes Andrés at START+3, COMFAMA at START+4 (and María
   * at START+5); CAMACOL only invites Jaime.
   */
  async function threeCcfs(): Promise<Setup> {
    const s = setup();
    await people(s);
    await registerComfama(s);
    s.clock.set(at(1));
    await registerCcf(s, COMFENALCO_NIT, { id: NICOLAS, email: 'nicolas.montoya@correo.com' });
    s.clock.set(at(2));
    await registerCcf(s, CAMACOL_NIT, { id: DIANA, email: 'diana.martinez@correo.com' });
    s.clock.set(at(3));
    await authorizeAt(s, NICOLAS, COMFENALCO_NIT, COMFENALCO_RS, NUEVO_ANDRES);
    s.clock.set(at(4));
    await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_ANDRES);
    s.clock.set(at(5));
    await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_MARIA);
    s.clock.set(at(6));
    const camacol = (await s.deps.reference.findCompany(CAMACOL_NIT))!;
    expect((await authorizeAt(s, DIANA, CAMACOL_NIT, camacol.razonSocial, NUEVO_JAIME)).estado).toBe('invitado');
    await storeServices(s);
    s.clock.set(at(10));
    return s;
  }

  it('CCFs at step 3 whose CCF role is not active: oldest first by their first active authorized person; an invitation alone does not count', async () => {
    const s = await threeCcfs();
    expect((await tray(s)).porActivar).toEqual([
      { nit: COMFENALCO_NIT, razonSocial: COMFENALCO_RS, desde: at(3) },
      { nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, desde: at(4) },
    ]);
    expect((await tray(s)).sinServicios).toEqual([]);
  });

  it('a CCF whose only authorized person was revoked waits for nobody', async () => {
    const s = setup();
    await people(s);
    await registerComfama(s);
    const a = await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_ANDRES);
    expect(nits((await tray(s)).porActivar)).toEqual([COMFAMA_NIT]);
    expect(await revokeAuthorization(s.deps, JOSE, asComfamaRl, COMFAMA_NIT, a.id, 'Ya no trabaja aquí', actor)).toMatchObject({ ok: true });
    expect((await tray(s)).porActivar).toEqual([]);
  });

  it('activated: leaves porActivar for sinServicios (oldest activation first); assigning an active service takes it out; a suspended one does not count', async () => {
    const s = await threeCcfs();
    expect(await activate(s, COMFAMA_NIT)).toMatchObject({ ok: true });
    s.clock.set(at(11));
    expect(await activate(s, COMFENALCO_NIT)).toMatchObject({ ok: true });
    s.clock.set(at(12));
    let t = await tray(s);
    expect(t.porActivar).toEqual([]);
    expect(t.sinServicios).toEqual([
      { nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, desde: at(10) },
      { nit: COMFENALCO_NIT, razonSocial: COMFENALCO_RS, desde: at(11) },
    ]);

    // A retired service assigns nothing: still waiting.
    expect(await assignServices(s.deps, ADMIN, COMFAMA_NIT, [ANTIGUO], actor)).toMatchObject({ ok: true, value: { resultados: [{ resultado: 'no_publicado' }] } });
    expect(nits((await tray(s)).sinServicios)).toEqual([COMFAMA_NIT, COMFENALCO_NIT]);

    expect(await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD], actor)).toMatchObject({ ok: true });
    t = await tray(s);
    expect(nits(t.sinServicios)).toEqual([COMFENALCO_NIT]);

    expect(await changeAssignment(s.deps, ADMIN, COMFAMA_NIT, SOLICITUD, 'suspender', 'Mantenimiento programado', actor)).toMatchObject({ ok: true });
    expect(nits((await tray(s)).sinServicios)).toEqual([COMFAMA_NIT, COMFENALCO_NIT]);
    expect(await changeAssignment(s.deps, ADMIN, COMFAMA_NIT, SOLICITUD, 'reactivar', 'Mantenimiento terminado', actor)).toMatchObject({ ok: true });
    expect(nits((await tray(s)).sinServicios)).toEqual([COMFENALCO_NIT]);
  });

  it('a deactivated CCF role is listed nowhere (it is reactivated on purpose), and returns when reactivated', async () => {
    const s = await threeCcfs();
    await activate(s, COMFAMA_NIT);
    s.clock.set(at(11));
    expect(await activate(s, COMFAMA_NIT, false)).toMatchObject({ ok: true });
    const t = await tray(s);
    expect(nits(t.porActivar)).toEqual([COMFENALCO_NIT]);
    expect(t.sinServicios).toEqual([]);
    s.clock.set(at(12));
    await activate(s, COMFAMA_NIT);
    expect((await tray(s)).sinServicios).toEqual([{ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, desde: at(12) }]);
  });

  it('a CCF whose employer role waits for the RUT review is in the RUT list only', async () => {
    const s = setup();
    await pendingComfama(s);
    const t = await tray(s);
    expect(nits(t.rut)).toEqual([COMFAMA_NIT]);
    expect(t.porActivar).toEqual([]);
    expect(t.sinServicios).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ Mis acciones recientes

describe('recentActions: the administrator’s own actions, across the back office', () => {
  it('activation, assignments and changes, newest first, with their reasons', async () => {
    const s = setup();
    await people(s);
    await registerComfama(s);
    await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_ANDRES);
    await storeServices(s);
    s.clock.set(at(10));
    await activate(s, COMFAMA_NIT);
    s.clock.set(at(11));
    await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD], actor);
    s.clock.set(at(12));
    await changeAssignment(s.deps, ADMIN, COMFAMA_NIT, SOLICITUD, 'revocar', 'Contrato terminado', actor);
    const r = await recentActions(s.deps, ADMIN, actor);
    expect(r.ok && r.value.map(({ accion, sobre, en, motivo }) => ({ accion, sobre, en, motivo }))).toEqual([
      { accion: 'asignacion_revocada', sobre: `${SOLICITUD} → COMFAMA`, en: at(12), motivo: 'Contrato terminado' },
      { accion: 'servicio_asignado', sobre: `${SOLICITUD} → COMFAMA`, en: at(11), motivo: undefined },
      { accion: 'rol_ccf_activado', sobre: 'COMFAMA', en: at(10), motivo: 'Cadena verificada' },
    ]);
    // Stored with the administrator's citizen id (only the back office reads it), never in the audit log.
    const audit = JSON.stringify(await s.store.transaction((tx) => tx.collection('audit').list()));
    expect(audit).not.toContain('654321');
  });

  // Found bug (domain/ministerio.ts recentActions): ties on `en` are broken by the record id, whose tail
  // is random (recordAction: `${en}-${random.token(6)}`), so actions done in the same millisecond — the
  // services of one assignServices call, always with a fake clock — come out shuffled, not newest first.
  it('actions done at the same instant are listed newest first (the last one done first)', async () => {
    const s = setup();
    await people(s);
    await registerComfama(s);
    const ids = ['ServicioUno', 'ServicioDos', 'ServicioTres', 'ServicioCuatro', 'ServicioCinco', 'ServicioSeis'];
    await s.store.transaction(async (tx) => {
      for (const id of ids) await tx.collection('servicios').put(servicio(id));
    });
    s.clock.set(at(10));
    await activate(s, COMFAMA_NIT);
    await assignServices(s.deps, ADMIN, COMFAMA_NIT, ids, actor);
    const r = await recentActions(s.deps, ADMIN, actor);
    expect(r.ok && r.value.map((a) => a.sobre)).toEqual([...ids.map((id) => `${id} → COMFAMA`).reverse(), 'COMFAMA']);
  });
});

// ------------------------------------------------------------------------------ ¿en qué voy? step 4

describe('checklist step 4 after the Ministry’s actions', () => {
  /** COMFAMA's chain to step 3 (Andrés authorized by José at START+1), the services stored. */
  async function chain(): Promise<Setup> {
    const s = setup();
    await people(s);
    await registerComfama(s);
    s.clock.set(at(1));
    await authorizeAt(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NUEVO_ANDRES);
    await storeServices(s);
    s.clock.set(at(10));
    return s;
  }
  const stepFour = async (s: Setup, who: string) => {
    const c = checklist(await loadChecklistFacts(s.deps, who), s.clock.now());
    return { caja: c.cajas.find((x) => x.nit === COMFAMA_NIT)!, json: JSON.stringify(c) };
  };

  it.each([
    ['the RL', JOSE],
    ['the delegate', MARIA],
    ['the authorized person', ANDRES],
  ])('for %s: after activation and two assignments, step 4 is done by "the Ministry" with 2 services named in order; no staff document anywhere', async (_name, who) => {
    const s = await chain();
    expect(await activate(s, COMFAMA_NIT)).toMatchObject({ ok: true });
    s.clock.set(at(11));
    expect(await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD, ANTIGUO, CONSULTA], actor)).toMatchObject({ ok: true });
    s.clock.set(at(12));
    const { caja, json } = await stepFour(s, who);
    expect(caja.pasos[3]).toEqual({
      paso: 4,
      estado: 'hecho',
      situacion: 'rol_ccf_activo',
      quien: [{ tipo: 'ministerio' }],
      fecha: at(10),
      servicios: 2,
      nombresServicios: [CONSULTA, SOLICITUD],
    });
    expect(caja.pasos.slice(0, 4).map((p) => p.estado)).toEqual(['hecho', 'hecho', 'hecho', 'hecho']);
    // Next: the authorized person accepts the terms and administers the services (step 5).
    expect(caja.siguiente).toMatchObject({ accion: 'aceptar_terminos', paso: 5 });
    expect(json).not.toContain('654321');
    expect(json).not.toContain('CE:');
    expect(json).not.toMatch(/Carlos|Briceño/i);
  });

  it('a suspended or revoked assignment is not counted; none active leaves step 4 pending "sin servicios"', async () => {
    const s = await chain();
    await activate(s, COMFAMA_NIT);
    await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD, CONSULTA, NOVEDAD], actor);
    expect((await stepFour(s, ANDRES)).caja.pasos[3]).toMatchObject({ estado: 'hecho', servicios: 3, nombresServicios: [CONSULTA, NOVEDAD, SOLICITUD] });

    await changeAssignment(s.deps, ADMIN, COMFAMA_NIT, CONSULTA, 'suspender', 'Mantenimiento programado', actor);
    expect((await stepFour(s, ANDRES)).caja.pasos[3]).toMatchObject({ estado: 'hecho', servicios: 2, nombresServicios: [NOVEDAD, SOLICITUD] });

    await changeAssignment(s.deps, ADMIN, COMFAMA_NIT, NOVEDAD, 'revocar', 'Contrato terminado', actor);
    expect((await stepFour(s, ANDRES)).caja.pasos[3]).toMatchObject({ estado: 'hecho', servicios: 1, nombresServicios: [SOLICITUD] });

    await changeAssignment(s.deps, ADMIN, COMFAMA_NIT, SOLICITUD, 'suspender', 'Mantenimiento programado', actor);
    const { caja } = await stepFour(s, ANDRES);
    expect(caja.pasos[3]).toEqual({ paso: 4, estado: 'pendiente', situacion: 'sin_servicios', quien: [{ tipo: 'ministerio' }], fecha: at(10) });
    expect(caja.siguiente).toMatchObject({ accion: 'asignar_servicios', paso: 4, quien: [{ tipo: 'ministerio' }] });
  });

  it('services assigned before the activation: step 4 waits for the activation', async () => {
    const s = await chain();
    await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD], actor);
    const { caja } = await stepFour(s, ANDRES);
    expect(caja.pasos[3]).toMatchObject({ estado: 'pendiente', situacion: 'rol_ccf_sin_activar', quien: [{ tipo: 'ministerio' }] });
    expect(caja.siguiente).toMatchObject({ accion: 'activar_rol_ccf', paso: 4 });
  });

  it('deactivated: step 4 blocked since the deactivation, the next action is the Ministry’s reactivation', async () => {
    const s = await chain();
    await activate(s, COMFAMA_NIT);
    await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD], actor);
    s.clock.set(at(20));
    await activate(s, COMFAMA_NIT, false);
    const { caja, json } = await stepFour(s, JOSE);
    expect(caja.pasos[3]).toMatchObject({ estado: 'bloqueado', situacion: 'rol_ccf_desactivado', quien: [{ tipo: 'ministerio' }], fecha: at(20) });
    expect(caja.siguiente).toMatchObject({ accion: 'reactivar_rol_ccf', paso: 4 });
    expect(json).not.toContain('654321');
  });
});
