import { describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { ADMIN, ANDRES, COMFAMA_NIT, DELEGADA_MARIA, MARIA, NUEVO_ANDRES, NUEVO_MARIA, registration, SEDE, seedCitizen, setup, type Setup } from '../test/helpers/employers.js';
import { basicData } from '../test/helpers/people.js';
import { records } from '../test/helpers/store.js';
import type { Actor } from './audit.js';
import { documentKey } from './citizens.js';
import { setPasswordWithToken } from './cuenta.js';
import { saveDraft } from './drafts.js';
import type { EmployerRole } from './employers.js';
import { myData, parseDescripcion, PSEUDONYM, pseudonymizeCitizen, requestDataChange } from './mis-datos.js';
import { answerIdentityQuestions, completeRegistration, startRegistration } from './registro.js';
import { renderFile, renderHtml } from '../templates/render.js';
import { authorize, revokeAuthorization } from './autorizados.js';
import { registerEmployer } from './empleador-registro.js';
import { setCcfRole } from './rol-ccf.js';
import { decideTerms } from './servicios-ccf.js';
import type { ActingRole } from './session.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const JOSE = documentKey(jose.tipoDocumento, jose.numeroDocumento);
const EMAIL = 'jose.restrepo@correo.com';
const actor: Actor = { ref: 'u-7a1b2c3d', channel: 'webchat' };
const AUTORIZACION = { version: '1.0', aceptadaEn: '2026-11-26T14:59:00.000Z' };

/** Registers and activates José through the real use cases, so the audit holds what a real one holds. */
async function registered(): Promise<Setup> {
  const s = setup();
  const data = basicData(jose);
  const start = await startRegistration(s.deps, data, actor);
  if (!start.ok) throw new Error(start.error.code);
  const qs = start.value.preguntas;
  expect((await answerIdentityQuestions(s.deps, data, qs, qs.map((q) => q.correct), actor)).ok).toBe(true);
  expect((await completeRegistration(s.deps, data, { email: EMAIL, celular: '3001234567' }, AUTORIZACION, actor)).ok).toBe(true);
  const token = new URL(String(s.mailer.sent.at(-1)!.data['enlace'])).searchParams.get('token')!;
  expect((await setPasswordWithToken(s.deps, token, 'activacion', 'Guayacan-Florido-2026', 'Guayacan-Florido-2026', actor)).ok).toBe(true);
  return s;
}

const roleWith = (rl: string, delegadoId: string): EmployerRole => ({
  id: '890900841', nit: '890900841', dv: '3', razonSocial: 'COMFAMA', naturaleza: '2', rl, estado: 'activo', sede: SEDE,
  delegado: { ...DELEGADA_MARIA, estado: 'vinculado', citizenId: delegadoId }, creadoEn: '2026-11-26T15:00:00.000Z', actualizadoEn: '2026-11-26T15:00:00.000Z',
});

describe('myData: what the assistant holds about the person', () => {
  it('their own data in full, the authorization, their roles, drafts and requests; nothing secret', async () => {
    const s = await registered();
    await s.store.transaction((tx) => tx.collection('employers').put(roleWith(JOSE, 'CC:1036612345')));
    await saveDraft(s.deps, { owner: JOSE, formId: 'empleador-sede', values: { nombre: 'Sede' }, history: ['nombre'] });
    const r = await myData(s.deps, JOSE);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.datos).toMatchObject({ tipoDocumento: 'CC', numeroDocumento: '70123456', nombre: 'JOSÉ ALEJANDRO RESTREPO MUÑOZ', email: EMAIL, celular: '3001234567', estado: 'activo' });
    expect(r.value.autorizacion).toEqual({ ...AUTORIZACION, canal: 'webchat' });
    expect(r.value.roles).toEqual([{ nit: '890900841', razonSocial: 'COMFAMA', como: 'rl' }]);
    expect(r.value.borradores).toEqual([{ formId: 'empleador-sede', guardadoEn: expect.any(String) }]);
    expect(JSON.stringify(r.value)).not.toMatch(/argon2|scrypt|passwordHash|loginFallidos/);
  });

  it('only to the owner with an active account', async () => {
    const s = await registered();
    expect(await myData(s.deps, 'CC:1036612345')).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    await s.store.transaction(async (tx) => {
      const c = (await tx.collection('citizens').get(JOSE))!;
      await tx.collection('citizens').put({ ...c, estado: 'pendiente' });
    });
    expect(await myData(s.deps, JOSE)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
  });
});

describe('requestDataChange: a case for the helpdesk', () => {
  it.each(['correccion', 'eliminacion'] as const)('%s: stored open, audited with the masked document, acknowledged by e-mail', async (tipo) => {
    const s = await registered();
    const r = await requestDataChange(s.deps, JOSE, tipo, 'Mi segundo apellido está mal escrito: es Muñoz.', actor);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value).toEqual({ caso: expect.stringMatching(/^[A-Z0-9]{8}$/), correo: 'j***@correo.com', correoEnviado: true });
    const [solicitud] = await records(s.store, 'solicitudesDatos');
    expect(solicitud).toMatchObject({ citizenId: JOSE, tipo, descripcion: 'Mi segundo apellido está mal escrito: es Muñoz.', estado: 'abierta', creadaEn: '2026-11-26T15:00:00.000Z' });
    const event = (await records(s.store, 'audit')).find((e) => e.action === 'datos.solicitud_creada');
    expect(event).toMatchObject({ subject: 'CC *****456', detail: { tipo, caso: r.value.caso } });
    expect(JSON.stringify(event)).not.toContain('Muñoz');
    const mail = s.mailer.sent.at(-1)!;
    expect(mail).toMatchObject({ to: EMAIL, template: 'solicitud-datos', insideTransaction: false, data: { tipo, caso: r.value.caso, nombre: 'José Restrepo' } });
    expect((await myData(s.deps, JOSE)).ok && (await myData(s.deps, JOSE))).toMatchObject({ value: { solicitudes: [{ tipo, estado: 'abierta' }] } });
  });

  it('refuses an empty, too short or too long description, and another person', async () => {
    const s = await registered();
    expect(await requestDataChange(s.deps, JOSE, 'correccion', '  ', actor)).toEqual({ ok: false, error: { code: 'SOLICITUD.DESCRIPCION', reason: 'empty' } });
    expect(await requestDataChange(s.deps, JOSE, 'correccion', 'corto', actor)).toEqual({ ok: false, error: { code: 'SOLICITUD.DESCRIPCION', reason: 'too_short' } });
    expect(await requestDataChange(s.deps, JOSE, 'correccion', 'x'.repeat(1001), actor)).toEqual({ ok: false, error: { code: 'SOLICITUD.DESCRIPCION', reason: 'too_long' } });
    expect(await requestDataChange(s.deps, 'CC:1036612345', 'correccion', 'una descripción válida', actor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    expect(await records(s.store, 'solicitudesDatos')).toEqual([]);
  });

  it.each([
    ['Mi correo nuevo es jose@nuevo.com (cambió en 2026)?', true],
    ['línea\u0000oculta con control', false],
  ])('the description %j is accepted: %s', (text, accepted) => {
    expect(parseDescripcion(text, { values: {}, today: new Date() }).ok).toBe(accepted);
  });

  it.each(['correccion', 'eliminacion'])('the acknowledgment e-mail renders (%s)', (tipo) => {
    const data = { nombre: 'José Restrepo', tipo, caso: 'AB12CD34' };
    expect(renderFile('correo/solicitud-datos', '.asunto.hbs', data)).toContain('AB12CD34');
    const text = renderFile('correo/solicitud-datos', '.txt.hbs', data);
    expect(text).toContain(tipo === 'eliminacion' ? 'eliminación' : 'corrección');
    expect(text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(renderHtml('correo/solicitud-datos', data)).toContain('<strong>AB12CD34</strong>');
  });
});

describe('pseudonymizeCitizen: deletion keeps the audit, with the person pseudonymized', () => {
  it('removes the record, links, identity checks and drafts; keeps the requests without the person; the audit stays as it was', async () => {
    const s = await registered();
    await saveDraft(s.deps, { owner: JOSE, formId: 'empleador-sede', values: { nombre: 'Sede' }, history: ['nombre'] });
    await requestDataChange(s.deps, JOSE, 'eliminacion', 'Por favor eliminen todos mis datos personales.', actor);
    await s.store.transaction((tx) => tx.collection('identityChecks').put({ id: JOSE, intentosDatos: 1, rondasFallidas: 0, actualizadoEn: '2026-11-26T15:00:00.000Z' }));
    // The helpdesk's traces: where he was stuck, a case with his messages, his actor reference.
    await s.store.transaction(async (tx) => {
      await tx.collection('progreso').put({ id: JOSE, proceso: 'registro', paso: 'Correo', ultimaActividad: '2026-11-26T15:00:00.000Z', canal: 'webchat' });
      await tx.collection('casosMesa').put({
        id: 'k1', numero: 'M-ABCDEF', estado: 'cerrado', persona: { id: JOSE, nombre: 'José Restrepo' }, nits: [],
        mensajes: [{ de: 'persona', texto: 'soy José Restrepo, CC 70123456', en: '2026-11-26T15:00:00.000Z' }],
        conversacionPersona: { clave: 'webchat|c1', referencia: {} }, clavePersona: 'webchat|c1', creadoEn: '2026-11-26T15:00:00.000Z', avisarPorCorreo: false,
      });
      await tx.collection('actoresConocidos').put({ id: 'ref-jose', citizenId: JOSE, en: '2026-11-26T15:00:00.000Z' });
    });
    const auditBefore = await records(s.store, 'audit');
    expect(auditBefore.length).toBeGreaterThan(5);

    const r = await s.store.transaction((tx) => pseudonymizeCitizen(tx, JOSE));
    expect(r).toEqual({ ok: true, value: { enlaces: 1, verificaciones: 1, borradores: 1, solicitudes: 1, cuenta: true } });

    expect(await records(s.store, 'citizens')).toEqual([]);
    expect(await records(s.store, 'accountTokens')).toEqual([]);
    expect(await records(s.store, 'identityChecks')).toEqual([]);
    expect(await records(s.store, 'drafts')).toEqual([]);
    expect(await records(s.store, 'solicitudesDatos')).toEqual([expect.objectContaining({ citizenId: PSEUDONYM, descripcion: '', tipo: 'eliminacion' })]);
    expect(await records(s.store, 'audit')).toEqual(auditBefore);
    expect(await records(s.store, 'progreso')).toEqual([]);
    expect(await records(s.store, 'actoresConocidos')).toEqual([]);
    expect((await records(s.store, 'auditoriaPersonas')).filter((i) => i.persona === JOSE)).toEqual([]);
    expect(await records(s.store, 'casosMesa')).toEqual([expect.objectContaining({ numero: 'M-ABCDEF', persona: {}, mensajes: [] })]);

    // What stays (the audit, the requests) names nobody: no document number, e-mail, phone or name.
    const kept = JSON.stringify([await records(s.store, 'audit'), await records(s.store, 'solicitudesDatos'), await records(s.store, 'casosMesa')]);
    for (const personal of ['70123456', EMAIL, '3001234567', 'RESTREPO', 'Restrepo', 'JOSÉ', JOSE]) expect(kept).not.toContain(personal);
  });

  it('is refused while the person is the RL or the delegate of an employer role, and deletes nothing', async () => {
    for (const role of [roleWith(JOSE, 'CC:1036612345'), roleWith('CC:18054862', JOSE)]) {
      const s = await registered();
      await s.store.transaction((tx) => tx.collection('employers').put(role));
      expect(await s.store.transaction((tx) => pseudonymizeCitizen(tx, JOSE))).toEqual({ ok: false, error: { code: 'DATOS.ROLES_VIGENTES', nits: ['890900841'] } });
      expect(await records(s.store, 'citizens')).toHaveLength(1);
    }
  });

  it('is refused while the person is a current authorized person (active or invited); a revoked authorization does not hold it', async () => {
    const entry = (estado: 'activo' | 'invitado' | 'revocado') => ({
      id: `a-${estado}`, nit: '890900841', citizenId: JOSE, tipoDocumento: 'CC' as const, numeroDocumento: '70123456', primerNombre: 'JOSÉ', segundoNombre: '', primerApellido: 'RESTREPO', segundoApellido: '',
      email: EMAIL, sede: { tipo: 'principal' as const }, rol: 'CAJA_SUBSIDIO_FAMILIAR' as const, perfil: 'ADMIN_SERVICIOS_WEB_EXTERNOS' as const, estado,
      autorizadoPor: { citizenId: 'CC:1036612345', nombre: 'María Peña', como: 'delegado' as const, en: '2026-11-26T15:00:00.000Z' },
    });
    for (const estado of ['activo', 'invitado'] as const) {
      const s = await registered();
      await s.store.transaction((tx) => tx.collection('autorizaciones').put(entry(estado)));
      expect(await s.store.transaction((tx) => pseudonymizeCitizen(tx, JOSE)), estado).toEqual({ ok: false, error: { code: 'DATOS.ROLES_VIGENTES', nits: ['890900841'] } });
      expect((await myData(s.deps, JOSE)).ok && (await myData(s.deps, JOSE))).toMatchObject({ value: { roles: [{ nit: '890900841', como: 'autorizado' }] } });
    }
    const s = await registered();
    await s.store.transaction((tx) => tx.collection('autorizaciones').put(entry('revocado')));
    expect(await s.store.transaction((tx) => pseudonymizeCitizen(tx, JOSE))).toMatchObject({ ok: true });
    // The company an authorized person works for is named by its razón social, not its NIT, in Mis datos.
    const named = await registered();
    await named.store.transaction(async (tx) => {
      await tx.collection('employers').put(roleWith('CC:18054862', 'CC:1036612345'));
      await tx.collection('autorizaciones').put(entry('activo'));
    });
    expect(await myData(named.deps, JOSE)).toMatchObject({ ok: true, value: { roles: [{ nit: '890900841', razonSocial: 'COMFAMA', como: 'autorizado' }] } });
  });
});

describe('pseudonymizeCitizen: the decisions on the web services’ terms', () => {
  it('stay as the CCF’s proof with the pseudonym in place of the person (authorization revoked first); another person’s stay theirs', async () => {
    const s = setup();
    await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
    await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
    await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
    await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
    const asRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: 'COMFAMA', como: 'rl' };
    const asCcf: ActingRole = { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: 'COMFAMA' };
    const vigentes = { condiciones: '1.0', privacidad: '1.0' };
    expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
    const andres = await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVO_ANDRES, actor);
    if (!andres.ok) throw new Error(andres.error.code);
    expect(await authorize(s.deps, JOSE, asRl, COMFAMA_NIT, NUEVO_MARIA, actor)).toMatchObject({ ok: true });
    expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
    const mine = await decideTerms(s.deps, ANDRES, asCcf, vigentes, 'acepto', actor);
    const hers = await decideTerms(s.deps, MARIA, asCcf, vigentes, 'no_acepto', actor);
    if (!mine.ok || !hers.ok) throw new Error('terms not decided');

    // Still a current authorized person: refused, his decision untouched.
    expect(await s.store.transaction((tx) => pseudonymizeCitizen(tx, ANDRES))).toEqual({ ok: false, error: { code: 'DATOS.ROLES_VIGENTES', nits: [COMFAMA_NIT] } });
    expect(await records(s.store, 'decisionesTerminos')).toEqual([mine.value, hers.value]);

    expect(await revokeAuthorization(s.deps, JOSE, asRl, COMFAMA_NIT, andres.value.autorizacion.id, 'Solicitó la eliminación de sus datos', actor)).toMatchObject({ ok: true });
    expect(await s.store.transaction((tx) => pseudonymizeCitizen(tx, ANDRES))).toMatchObject({ ok: true, value: { cuenta: true } });

    expect(await records(s.store, 'decisionesTerminos')).toEqual([{ ...mine.value, citizenId: PSEUDONYM }, hers.value]);
    const kept = JSON.stringify(await records(s.store, 'decisionesTerminos'));
    for (const personal of [ANDRES, '1017234567']) expect(kept).not.toContain(personal);
  });
});
