/**
 * The checklist's step 3 and 4 facts as domain/checklist-facts.ts reads them from what the use cases
 * stored (Administrar autorizados, the Ministry's CCF role), and what checklist() makes of them.
 */
import { describe, expect, it } from 'vitest';
import { actor, ANDRES, COMFAMA_NIT, DELEGADA_MARIA, JOSE, MARIA, registration, seedCitizen, setup, START, type Setup } from '../test/helpers/employers.js';
import { PERFIL_SERVICIOS, ROL_CAJA } from './autorizaciones.js';
import { authorize, revokeAuthorization, type NuevoAutorizado } from './autorizados.js';
import { checklist, type Checklist } from './checklist.js';
import { loadChecklistFacts } from './checklist-facts.js';
import { registerEmployer } from './empleador-registro.js';
import type { ActingRole } from './session.js';

const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const MINUTE = 60_000;
const asDelegate: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'delegado' };
const NUEVO_ANDRES: NuevoAutorizado = {
  tipoDocumento: 'CC', numeroDocumento: '1017234567', primerNombre: 'Andrés', segundoNombre: 'Felipe', primerApellido: 'Zapata', segundoApellido: 'Londoño',
  email: 'andres.zapata@comfama.com.co', sede: { tipo: 'principal' }, rol: ROL_CAJA, perfil: PERFIL_SERVICIOS,
};
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
    // He still learns his CCF from the reference sources (he works there).
    expect(after.cajaActual).toEqual({ nit: COMFAMA_NIT, razonSocial: COMFAMA_RS });
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
