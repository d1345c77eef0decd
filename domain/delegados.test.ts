import { describe, expect, it } from 'vitest';
import {
  actor,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  DELEGADO_ANDRES,
  JOSE,
  MARIA,
  refused,
  registration,
  roleOf,
  seedCitizen,
  setup,
  withPeople,
} from '../test/helpers/employers.js';
import type { Actor } from './audit.js';
import type { BasicData } from './citizens.js';
import { setPasswordWithToken } from './cuenta.js';
import { checkDelegate } from './delegados.js';
import type { EmpleadorError } from './empleador-common.js';
import { registerEmployer } from './empleador-registro.js';
import { employersOf, getEmployer } from './empleador-roles.js';
import type { DelegateData } from './employers.js';
import { answerIdentityQuestions, completeRegistration, startRegistration } from './registro.js';

/** The data-treatment authorization the chat collects before the basic data. */
const AUTORIZACION = { version: '1.0', aceptadaEn: '2026-01-01T00:00:00.000Z' };

// ------------------------------------------------------------------------------ the delegate's check

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
    expect(await completeRegistration(s.deps, MARIA_DATA, { email: 'mafe.pena@correo.com', celular: '3109876543' }, AUTORIZACION, delegateActor)).toMatchObject({ ok: true });
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
