/**
 * The checklist's step 3, 4 and 5 facts as domain/checklist-facts.ts reads them from what the use cases
 * stored (Administrar autorizados, the Ministry's CCF role, the terms, the shared services and the
 * password), and what checklist() and its text make of them.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checklistText, missingStepText } from '../dialogs/checklist.js';
import { openApiReader } from '../storage/openapi.js';
import { EXAMPLE_SERVICES } from '../storage/reference/servicios.js';
import { createSecretBox } from '../storage/secret-box.js';
import { actor, ADMIN, ANDRES, COMFAMA_NIT, DAY, DELEGADA_MARIA, JOSE, MARIA, NUEVO_MARIA, registration, SEDE, seedCitizen, setup, START, type Setup } from '../test/helpers/employers.js';
import { credenciales, DATOS } from '../test/helpers/step5.js';
import { assignServices } from './asignaciones.js';
import { PERFIL_SERVICIOS, ROL_CAJA } from './autorizaciones.js';
import { authorize, revokeAuthorization, type NuevoAutorizado } from './autorizados.js';
import { ensureExampleServices } from './catalogo.js';
import { checklist, type Checklist } from './checklist.js';
import { loadChecklistFacts } from './checklist-facts.js';
import { assignServicesPassword, removeSharedService, saveCredentials, saveServiceData, type CompartirDeps } from './compartir.js';
import { naturalezaOf, registerEmployer } from './empleador-registro.js';
import type { DelegateData } from './employers.js';
import { setCcfRole } from './rol-ccf.js';
import { decideTerms, serviceDocument, serviceInfo } from './servicios-ccf.js';
import type { ActingRole } from './session.js';

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const MINUTE = 60_000;
const asDelegate: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'delegado' };
const NUEVO_ANDRES: NuevoAutorizado = {
  tipoDocumento: 'CC', numeroDocumento: '1017234567', primerNombre: 'Andrés', segundoNombre: 'Felipe', primerApellido: 'Zapata', segundoApellido: 'Londoño',
  email: 'andres.zapata@comfama.com.co', sede: { tipo: 'principal' }, rol: ROL_CAJA, perfil: PERFIL_SERVICIOS,
};
const COMFENALCO_NIT = '890900842'; // COMFENALCO ANTIOQUIA (CCF03); its RL is Nicolás
const NICOLAS = 'CC:72235734';
const ANDRES_NAME = { primerNombre: 'ANDRÉS', segundoNombre: 'FELIPE', primerApellido: 'ZAPATA' };

/** COMFAMA's active employer role (José RL, María linked delegate); Andrés registered when `andres`. */
async function comfama(andres: boolean): Promise<Setup> {
  const s = setup();
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
  if (andres) await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
  return s;
}

/** María authorizes Andrés a minute after START; the authorization's id. */
async function authorizeAndres(s: Setup): Promise<string> {
  s.clock.advance(MINUTE);
  const r = await authorize(s.deps, MARIA, asDelegate, COMFAMA_NIT, NUEVO_ANDRES, actor);
  if (!r.ok) throw new Error(r.error.code);
  return r.value.autorizacion.id;
}

const AUTHORIZED_AT = new Date(new Date(START).getTime() + MINUTE).toISOString();
const comfamaOf = (c: Checklist) => c.cajas.find((x) => x.nit === COMFAMA_NIT);

describe('loadChecklistFacts: step 3 (authorized persons) and step 4 (the rol CCF)', () => {
  it('an active authorized person: listed in the company’s facts, step 3 done and naming them', async () => {
    const s = await comfama(true);
    await authorizeAndres(s);
    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas).toHaveLength(1);
    expect(f.empresas[0]).toMatchObject({ nit: COMFAMA_NIT, esCcf: true, rol: { estado: 'activo', delegado: { estado: 'vinculado' } } });
    expect(f.empresas[0]!.autorizados).toEqual([
      { citizenId: ANDRES, nombre: ANDRES_NAME, sexo: 'M', cuenta: { estado: 'activo', creadoEn: START, activadoEn: START }, estado: 'activo', desde: AUTHORIZED_AT },
    ]);
    expect(f.empresas[0]!.rolCcf).toBeUndefined();

    const c = comfamaOf(checklist(f, s.clock.now()))!;
    expect(c.como).toEqual(['rl']);
    expect(c.pasos.map((p) => p.estado)).toEqual(['hecho', 'hecho', 'hecho', 'pendiente', 'pendiente']);
    expect(c.pasos[2]).toEqual({
      paso: 3,
      estado: 'hecho',
      situacion: 'autorizado',
      quien: [{ tipo: 'persona', rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA', sexo: 'M', usted: false }],
      fecha: AUTHORIZED_AT,
    });
    expect(c.pasos[0].personas?.[2]).toMatchObject({ quien: { rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA' }, estado: 'hecho', situacion: 'registrado' });
    // Next: the Ministry activates COMFAMA's CCF role.
    expect(c.siguiente).toMatchObject({ accion: 'activar_rol_ccf', paso: 4, quien: [{ tipo: 'ministerio' }] });
  });

  it('only an invitation: the person shows as invited since the authorization, and their registration is what comes next', async () => {
    const s = await comfama(false);
    await authorizeAndres(s);
    const f = await loadChecklistFacts(s.deps, MARIA);
    expect(f.empresas[0]!.autorizados).toEqual([{ citizenId: ANDRES, nombre: ANDRES_NAME, sexo: 'M', estado: 'invitado', desde: AUTHORIZED_AT }]);

    const c = comfamaOf(checklist(f, s.clock.now()))!;
    expect(c.como).toEqual(['delegado']);
    expect(c.pasos[0].personas?.[2]).toEqual({
      quien: { tipo: 'persona', rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA', sexo: 'M', usted: false },
      estado: 'pendiente',
      situacion: 'invitado',
      fecha: AUTHORIZED_AT,
    });
    // Step 3 is done only with an active authorized person: the invitation is pending, with its date,
    // and the invited person's registration is the next action.
    expect(c.pasos.map((p) => p.estado)).toEqual(['hecho', 'hecho', 'pendiente', 'pendiente', 'pendiente']);
    expect(c.pasos[2]).toMatchObject({ situacion: 'autorizado_invitado', fecha: AUTHORIZED_AT, quien: [{ rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA' }] });
    expect(c.siguiente).toEqual({
      accion: 'registrarse',
      paso: 1,
      quien: [{ tipo: 'persona', rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA', sexo: 'M', usted: false }],
      fecha: AUTHORIZED_AT,
    });
  });

  it('no authorized person, or only revoked ones: step 3 pending on the delegate and the RL', async () => {
    const s = await comfama(true);
    const before = comfamaOf(checklist(await loadChecklistFacts(s.deps, JOSE), s.clock.now()))!;
    expect(before.pasos[2]).toMatchObject({ estado: 'pendiente', situacion: 'sin_autorizados' });
    expect((await loadChecklistFacts(s.deps, JOSE)).empresas[0]!.autorizados).toBeUndefined();

    const id = await authorizeAndres(s);
    s.clock.advance(MINUTE);
    expect((await revokeAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, id, 'Cambió de cargo', actor)).ok).toBe(true);
    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas[0]!.autorizados).toMatchObject([{ citizenId: ANDRES, estado: 'revocado', desde: AUTHORIZED_AT }]);
    const c = comfamaOf(checklist(f, s.clock.now()))!;
    expect(c.pasos[2]).toMatchObject({
      estado: 'pendiente',
      situacion: 'autorizados_revocados',
      quien: [{ rol: 'delegado', nombre: 'MARÍA FERNANDA PEÑA' }, { rol: 'rl', usted: true }],
    });
    expect(c.siguiente).toMatchObject({ accion: 'autorizar', paso: 3 });
  });

  it('the authorized person’s own checklist includes the CCF; once revoked, it does not', async () => {
    const s = await comfama(true);
    const id = await authorizeAndres(s);
    const f = await loadChecklistFacts(s.deps, ANDRES);
    expect(f.empresas.map((e) => e.nit)).toEqual([COMFAMA_NIT]);
    const r = checklist(f, s.clock.now());
    const c = comfamaOf(r)!;
    expect(c.como).toEqual(['autorizado']);
    expect(c.pasos[2]).toMatchObject({ estado: 'hecho', quien: [{ rol: 'autorizado', usted: true }] });
    expect(r.cajas.map((x) => x.razonSocial)).toEqual([COMFAMA_RS]);

    expect((await revokeAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, id, 'Cambió de cargo', actor)).ok).toBe(true);
    const after = await loadChecklistFacts(s.deps, ANDRES);
    expect(after.empresas).toEqual([]);
    // He still learns his CCF from the reference sources (he works there), whose role is registered: he must be authorized again.
    expect(after.cajaActual).toEqual({ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, rolRegistrado: true });
    expect(checklist(after, s.clock.now()).siguiente).toMatchObject({ accion: 'pedir_autorizacion', paso: 3 });
  });

  it('an invited person without an account sees the CCF they are invited to', async () => {
    const s = await comfama(false);
    await authorizeAndres(s);
    const r = checklist(await loadChecklistFacts(s.deps, ANDRES), s.clock.now());
    expect(r.registro.situacion).toBe('sin_registro');
    expect(r.cajas.map((c) => [c.nit, c.como])).toEqual([[COMFAMA_NIT, ['autorizado']]]);
  });

  it('the Ministry’s activation of the rol CCF is step 4’s fact', async () => {
    const s = await comfama(true);
    await authorizeAndres(s);
    const en = '2026-11-27T10:00:00.000Z';
    await s.store.transaction((tx) => tx.collection('rolesCcf').put({ id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: true, en }));
    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas[0]!.rolCcf).toEqual({ activo: true, en });
    // Active, no services assigned yet: still the Ministry's turn.
    expect(comfamaOf(checklist(f, s.clock.now()))!.pasos[3]).toMatchObject({ estado: 'pendiente', situacion: 'sin_servicios', fecha: en });

    await s.store.transaction((tx) => tx.collection('rolesCcf').put({ id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: false, en, motivo: 'Suspendido' }));
    const off = await loadChecklistFacts(s.deps, JOSE);
    expect(off.empresas[0]!.rolCcf).toEqual({ activo: false, en });
    expect(comfamaOf(checklist(off, s.clock.now()))!.pasos[3]).toMatchObject({ estado: 'bloqueado', situacion: 'rol_ccf_desactivado' });
  });
});

// ------------------------------------------------------------------------------ step 5 (Administración de Servicios Web)

describe('loadChecklistFacts: step 5 (the terms and the services seen), from the web services’ use cases', () => {
  const VIGENTES = { condiciones: '1.0', privacidad: '1.0' };
  const asCcf: ActingRole = { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' };
  const SOLICITUD = 'SolicitudAfiliacion';
  const CONSULTA = 'ConsultaAfiliacion';

  /** COMFAMA with Andrés authorized by María, the shipped example services, and (when `activar`) the CCF role active with two services. */
  async function comfamaStep4(activar = true): Promise<Setup> {
    const s = await comfama(true);
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
    await authorizeAndres(s);
    expect(await ensureExampleServices({ ...s.deps, openapi: openApiReader() }, EXAMPLE_SERVICES)).toBe(EXAMPLE_SERVICES.length);
    if (activar) {
      s.clock.advance(MINUTE);
      expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
      expect(await assignServices(s.deps, ADMIN, COMFAMA_NIT, [SOLICITUD, CONSULTA], actor)).toMatchObject({ ok: true });
    }
    s.clock.advance(MINUTE);
    return s;
  }

  it('accepted, then a service looked at: the terms (versions, when, who) and the services seen; step 5 pending on sharing and the password; the text says which versions and which services', async () => {
    const s = await comfamaStep4();
    const en = s.clock.now().toISOString();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    expect(await serviceInfo(s.deps, ANDRES, asCcf, VIGENTES, SOLICITUD, actor)).toMatchObject({ ok: true });

    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas[0]).toMatchObject({ terminos: { estado: 'aceptados', en, versiones: 'condiciones 1.0, privacidad 1.0', por: ANDRES }, serviciosVistos: [SOLICITUD] });
    const r = checklist(f, s.clock.now());
    const c = comfamaOf(r)!;
    expect(c.pasos.map((p) => p.estado)).toEqual(['hecho', 'hecho', 'hecho', 'hecho', 'pendiente']);
    expect(c.pasos[4]).toEqual({
      paso: 5,
      estado: 'pendiente',
      situacion: 'terminos_aceptados',
      quien: [{ tipo: 'persona', rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA', sexo: 'M', usted: false }],
      fecha: en,
      versiones: 'condiciones 1.0, privacidad 1.0',
      vistos: [SOLICITUD],
      faltan: ['compartir', 'clave'],
    });
    expect(c.siguiente).toMatchObject({ accion: 'compartir_servicios', paso: 5 });

    const step5Line = checklistText(r).split('\n').find((l) => l.includes('condiciones 1.0'));
    expect(step5Line).toBeDefined();
    expect(step5Line).toContain('privacidad 1.0');
    expect(step5Line).toContain(SOLICITUD);
    expect(step5Line).not.toContain(CONSULTA); // assigned, not looked at
    expect(step5Line).toMatch(/Andrés Felipe Zapata/i);
  });

  it('the authorized person’s own checklist: step 5 accepted by "usted", who must share next; documentation opened counts as seen too, listed by identifier', async () => {
    const s = await comfamaStep4();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });
    expect(await serviceInfo(s.deps, ANDRES, asCcf, VIGENTES, SOLICITUD, actor)).toMatchObject({ ok: true });
    expect(await serviceDocument(s.deps, ANDRES, asCcf, VIGENTES, CONSULTA, actor)).toMatchObject({ ok: true });
    const f = await loadChecklistFacts(s.deps, ANDRES);
    expect(f.empresas[0]!.serviciosVistos).toEqual([CONSULTA, SOLICITUD]);
    const c = comfamaOf(checklist(f, s.clock.now()))!;
    expect(c.pasos[4]).toMatchObject({ estado: 'pendiente', situacion: 'terminos_aceptados', quien: [{ rol: 'autorizado', usted: true }], vistos: [CONSULTA, SOLICITUD] });
    expect(c.siguiente).toMatchObject({ accion: 'compartir_servicios', quien: [{ rol: 'autorizado', usted: true }] });
  });

  /** The step 5 block of COMFAMA's checklist text (its header and detail) and its next step. */
  const step5Of = (r: Checklist) => {
    const text = checklistText(r);
    const at = text.indexOf('Paso 5');
    const next = text.indexOf('**Siguiente paso:**', at);
    expect(at).toBeGreaterThan(-1);
    return { paso: text.slice(at, next), siguiente: text.slice(next) };
  };

  it('end to end: accepted → share a service (data one day, credentials the next) → assign the password: the checklist follows, and the text names what is missing, then what the Caja shares and the password date', async () => {
    const s = await comfamaStep4();
    const c: CompartirDeps = { ...s.deps, secrets: createSecretBox(randomBytes(32)) };
    const seen = async () => {
      const f = await loadChecklistFacts(s.deps, JOSE);
      const r = checklist(f, s.clock.now());
      return { f: f.empresas[0]!, step: comfamaOf(r)!.pasos[4], siguiente: comfamaOf(r)!.siguiente, text: step5Of(r) };
    };
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });

    // Terms accepted alone: both missing; next, share a service.
    let now = await seen();
    expect(now.f.compartidos).toBeUndefined();
    expect(now.f.claveAsignadaEn).toBeUndefined();
    expect(now.step).toMatchObject({ estado: 'pendiente', situacion: 'terminos_aceptados', faltan: ['compartir', 'clave'] });
    expect(now.siguiente).toMatchObject({ accion: 'compartir_servicios', paso: 5 });
    expect(now.text.paso).toContain('pendiente');
    expect(now.text.paso).toMatch(/Falta compartir al menos un servicio completo \(Compartir Servicios Entidad\).* asignar la contraseña de los servicios web \(Asignar contraseña\)\./);
    expect(now.text.siguiente).toContain('**Compartir Servicios Entidad**');
    expect(now.text.siguiente).toMatch(/Andrés Felipe Zapata/);

    // Only the service data: an incomplete service does not count.
    expect(await saveServiceData(c, ANDRES, asCcf, VIGENTES, 'ConsultaAfiliadosCaja', DATOS, actor)).toMatchObject({ ok: true, value: { estado: 'incompleto' } });
    now = await seen();
    expect(now.f.compartidos).toEqual({ total: 1, completos: 0 });
    expect(now.step).toMatchObject({ estado: 'pendiente', faltan: ['compartir', 'clave'], compartidos: { total: 1, completos: 0 } });
    expect(now.siguiente).toMatchObject({ accion: 'compartir_servicios' });
    expect(now.text.paso).toContain('Falta compartir al menos un servicio completo');

    // The credentials the next day: shared completely; the password is what is missing.
    s.clock.advance(DAY);
    expect(await saveCredentials(c, ANDRES, asCcf, VIGENTES, 'ConsultaAfiliadosCaja', credenciales(c.secrets), actor)).toMatchObject({ ok: true, value: { estado: 'completo' } });
    now = await seen();
    expect(now.f.compartidos).toEqual({ total: 1, completos: 1, nombres: ['ConsultaAfiliadosCaja'] });
    expect(now.text.paso).toContain('Servicios compartidos completos: ConsultaAfiliadosCaja.');
    expect(now.text.paso).not.toContain('Última prueba de conexión');
    expect(now.step).toMatchObject({ estado: 'pendiente', situacion: 'terminos_aceptados', faltan: ['clave'] });
    expect(now.siguiente).toMatchObject({ accion: 'asignar_clave', paso: 5 });
    expect(now.text.paso).toContain('Falta asignar la contraseña de los servicios web (Asignar contraseña).');
    expect(now.text.paso).not.toContain('Falta compartir');
    expect(now.text.siguiente).toContain('**Asignar contraseña**');

    // The password on 28/11: step 5 done, the whole chain done.
    s.clock.advance(DAY);
    const en = s.clock.now().toISOString();
    expect(await assignServicesPassword(c, ANDRES, asCcf, VIGENTES, c.secrets.seal('Clave-Servicios-2026-Comfama'), actor)).toMatchObject({ ok: true });
    now = await seen();
    expect(now.f.claveAsignadaEn).toBe(en);
    expect(now.step).toMatchObject({ estado: 'hecho', situacion: 'servicios_administrados', compartidos: { total: 1, completos: 1 }, claveAsignadaEn: en });
    expect(now.step).not.toHaveProperty('faltan');
    expect(now.siguiente).toMatchObject({ accion: 'administrar_servicios', paso: 5 });
    expect(now.text.paso).toContain('hecho');
    expect(now.text.paso).toContain('la Caja comparte 1 servicio completo y asignó la contraseña de los servicios web el 28/11');
    expect(now.text.paso).not.toContain('Falta');
    expect(now.text.siguiente).toContain('La cadena está completa');

    // A second complete service: the text counts them.
    expect(await saveServiceData(c, ANDRES, asCcf, VIGENTES, 'ReporteNovedadesCaja', DATOS, actor)).toMatchObject({ ok: true });
    expect(await saveCredentials(c, ANDRES, asCcf, VIGENTES, 'ReporteNovedadesCaja', credenciales(c.secrets), actor)).toMatchObject({ ok: true });
    expect((await seen()).text.paso).toContain('la Caja comparte 2 servicios completos');

    // Removing the only complete ones takes step 5 back to "share a service".
    for (const nombre of ['ConsultaAfiliadosCaja', 'ReporteNovedadesCaja']) expect(await removeSharedService(c, ANDRES, asCcf, VIGENTES, nombre, actor)).toMatchObject({ ok: true });
    now = await seen();
    expect(now.f.compartidos).toBeUndefined();
    expect(now.step).toMatchObject({ estado: 'pendiente', faltan: ['compartir'], claveAsignadaEn: en });
    expect(now.siguiente).toMatchObject({ accion: 'compartir_servicios' });
  });

  it('declined: step 5 blocked, naming who declined and the versions', async () => {
    const s = await comfamaStep4();
    const en = s.clock.now().toISOString();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'no_acepto', actor)).toMatchObject({ ok: true });
    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas[0]!.terminos).toEqual({ estado: 'rechazados', en, versiones: 'condiciones 1.0, privacidad 1.0', por: ANDRES });
    expect(f.empresas[0]!.serviciosVistos).toBeUndefined();
    const r = checklist(f, s.clock.now());
    const c = comfamaOf(r)!;
    expect(c.pasos[4]).toMatchObject({ estado: 'bloqueado', situacion: 'terminos_rechazados', quien: [{ rol: 'autorizado', nombre: 'ANDRÉS FELIPE ZAPATA' }], versiones: 'condiciones 1.0, privacidad 1.0' });
    expect(c.siguiente).toMatchObject({ accion: 'aceptar_terminos', paso: 5 });
    expect(checklistText(r)).toContain('condiciones 1.0');
  });

  it('the latest decision counts: declined, then accepted', async () => {
    const s = await comfamaStep4();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'no_acepto', actor)).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    const en = s.clock.now().toISOString();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });
    expect((await loadChecklistFacts(s.deps, JOSE)).empresas[0]!.terminos).toMatchObject({ estado: 'aceptados', en });
  });

  it('the latest decision counts: accepted, then declined', async () => {
    const s = await comfamaStep4();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'no_acepto', actor)).toMatchObject({ ok: true });
    expect((await loadChecklistFacts(s.deps, JOSE)).empresas[0]!.terminos).toMatchObject({ estado: 'rechazados', por: ANDRES });
  });

  it('terms are per person: one authorized person accepted, another declined later — step 5 stands on the acceptance', async () => {
    const s = await comfamaStep4();
    const maria = await authorize(s.deps, MARIA, asDelegate, COMFAMA_NIT, NUEVO_MARIA, actor);
    if (!maria.ok) throw new Error(maria.error.code);
    const en = s.clock.now().toISOString();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    expect(await decideTerms(s.deps, MARIA, asCcf, VIGENTES, 'no_acepto', actor)).toMatchObject({ ok: true });
    expect((await loadChecklistFacts(s.deps, JOSE)).empresas[0]!.terminos).toMatchObject({ estado: 'aceptados', en, por: ANDRES });
  });

  it('nothing decided yet: no terms, no services seen, step 5 pending on the authorized person', async () => {
    const s = await comfamaStep4();
    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas[0]!.terminos).toBeUndefined();
    expect(f.empresas[0]!.serviciosVistos).toBeUndefined();
    expect(comfamaOf(checklist(f, s.clock.now()))!.pasos[4]).toMatchObject({ estado: 'pendiente', situacion: 'servicios_por_administrar' });
  });

  it('a decision on another CCF’s terms is not COMFAMA’s', async () => {
    const s = await comfamaStep4();
    // COMFENALCO ANTIOQUIA: Nicolás (its RL) registers it, authorizes Andrés; the Ministry activates it.
    await seedCitizen(s, 'CC', '72235734', 'nicolas.montoya@correo.com');
    const company = (await s.deps.reference.findCompany(COMFENALCO_NIT))!;
    const delegado: DelegateData = { tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'María', segundoNombre: 'Fernanda', primerApellido: 'Peña', segundoApellido: 'Ochoa', email: 'maria.pena@comfenalco.com.co' };
    const reg = await registerEmployer(s.deps, NICOLAS, { nit: COMFENALCO_NIT, razonSocial: company.razonSocial, naturaleza: naturalezaOf(company), delegado, sede: { ...SEDE, email: 'servicios.web@comfenalco.com.co' } }, actor);
    expect(reg).toMatchObject({ ok: true, value: { estado: 'activo' } });
    const asNicolas: ActingRole = { tipo: 'empleador', nit: COMFENALCO_NIT, razonSocial: company.razonSocial, como: 'rl' };
    expect(await authorize(s.deps, NICOLAS, asNicolas, COMFENALCO_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true });
    expect(await setCcfRole(s.deps, ADMIN, COMFENALCO_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
    expect(await decideTerms(s.deps, ANDRES, { tipo: 'ccf', nit: COMFENALCO_NIT, razonSocial: company.razonSocial }, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });

    const f = await loadChecklistFacts(s.deps, ANDRES);
    expect(f.empresas.find((e) => e.nit === COMFAMA_NIT)!.terminos).toBeUndefined();
    expect(f.empresas.find((e) => e.nit === COMFENALCO_NIT)!.terminos).toMatchObject({ estado: 'aceptados', por: ANDRES });
  });

  it('once the person who accepted is no longer authorized, their acceptance is not the CCF’s; the services seen stay', async () => {
    const s = await comfamaStep4();
    expect(await decideTerms(s.deps, ANDRES, asCcf, VIGENTES, 'acepto', actor)).toMatchObject({ ok: true });
    expect(await serviceInfo(s.deps, ANDRES, asCcf, VIGENTES, SOLICITUD, actor)).toMatchObject({ ok: true });
    const id = (await s.store.transaction((tx) => tx.collection('autorizaciones').findBy('citizenId', ANDRES)))[0]!.id;
    expect(await revokeAuthorization(s.deps, MARIA, asDelegate, COMFAMA_NIT, id, 'Cambió de cargo', actor)).toMatchObject({ ok: true });
    const f = await loadChecklistFacts(s.deps, JOSE);
    expect(f.empresas[0]!.terminos).toBeUndefined();
    expect(f.empresas[0]!.serviciosVistos).toEqual([SOLICITUD]);
  });

  it('missingStepText: for COMFAMA before the Ministry’s activation, Andrés is told step 4 is missing and the Ministry acts', async () => {
    const s = await comfamaStep4(false);
    const r = checklist({ ...(await loadChecklistFacts(s.deps, ANDRES)), actuaComo: asCcf }, s.clock.now());
    const text = missingStepText(r, { nit: COMFAMA_NIT, razonSocial: COMFAMA_RS });
    expect(text).toMatch(/paso 4/i);
    expect(text).toContain('Ministerio de Salud');
    expect(text).not.toMatch(/paso [1235]\b/i);
  });

  it('missingStepText: a person with no CCF is given their own next step', async () => {
    // Andrés is registered; COMFAMA (his CCF in the reference sources) has no employer role yet.
    const s = setup();
    await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
    const r = checklist(await loadChecklistFacts(s.deps, ANDRES), s.clock.now());
    expect(r.siguiente).toMatchObject({ accion: 'esperar_caja', paso: 2 });
    const text = missingStepText(r);
    expect(text).toMatch(/paso 2/i);
    expect(text).toMatch(/representante legal/i);
    expect(text).toContain(COMFAMA_RS);
    // Acting for a CCF whose chain does not include them (an authorization revoked): step 3, asked of that CCF.
    const revoked = missingStepText(r, { nit: COMFENALCO_NIT, razonSocial: 'COMFENALCO ANTIOQUIA' });
    expect(revoked).toMatch(/paso 3/i);
    expect(revoked).toContain('COMFENALCO ANTIOQUIA');
    expect(revoked).toContain('Administrar autorizados');
    // Not registered at all (Nicolás, COMFENALCO's RL in the reference sources, has no account): his own registration.
    const unregistered = missingStepText(checklist(await loadChecklistFacts(s.deps, NICOLAS), s.clock.now()), { nit: COMFENALCO_NIT, razonSocial: 'COMFENALCO ANTIOQUIA' });
    expect(unregistered).toMatch(/paso 1/i);
    expect(unregistered).toContain('Registro ciudadano');
  });

  // A registered person not authorized at their CCF, whose employer role IS registered (José, María
  // linked): what is missing is step 3 (the delegate or the RL authorizes them), not step 2.
  it('missingStepText: not authorized at a CCF whose role is registered → step 3 (be authorized), not "the RL must register the role"', async () => {
    const s = await comfama(true);
    const text = missingStepText(checklist(await loadChecklistFacts(s.deps, ANDRES), s.clock.now()));
    expect(text).not.toMatch(/debe registrar el rol/i);
    expect(text).toMatch(/paso 3/i);
    expect(text).toContain('Administrar autorizados');
  });
});
