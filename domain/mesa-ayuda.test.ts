/**
 * Mesa de ayuda (domain/mesa-ayuda.ts, domain/mesa-acciones.ts): who may look up and act, what each
 * action does (checked with the real registration, login and account-link use cases), the reason rule,
 * the audit and "Mis casos" records, the history (exact per person despite colliding masks, paged,
 * newest first, naming who acted) and what an agent sees (no secret, other documents masked).
 */
import { describe, expect, it } from 'vitest';
import {
  actor,
  COMFAMA_NIT,
  DELEGADA_MARIA,
  HELPDESK,
  JAIME,
  JOSE,
  MARIA,
  NUEVO_ANDRES,
  registration,
  seedCitizen,
  setup,
  START,
  type Setup,
} from '../test/helpers/employers.js';
import { basicData, seedActiveCitizen } from '../test/helpers/people.js';
import { records } from '../test/helpers/store.js';
import { issueToken } from './account-links.js';
import type { Actor } from './audit.js';
import { authorize, type NuevoAutorizado } from './autorizados.js';
import { inspectAccountToken, login, MAX_LOGIN_FAILURES, requestPasswordReset, setPasswordWithToken } from './cuenta.js';
import { registerEmployer } from './empleador-registro.js';
import {
  consultarCcf,
  consultarPersona,
  desbloquearIngreso,
  historial,
  HISTORIAL_POR_PAGINA,
  levantarBloqueoIdentidad,
  MESA_MOTIVO_MAX,
  MESA_MOTIVO_MIN,
  misCasos,
  reenviarEnlace,
  reenviarInvitacion,
  type MesaError,
} from './mesa-ayuda.js';
import type { CasoMesa } from './mesa-tipos.js';
import type { DocumentType } from './reference.js';
import { startRegistration } from './registro.js';
import type { ActingRole } from './session.js';

// ------------------------------------------------------------------------------ world

const AGENTE = HELPDESK; // Alejandro Ibáñez, Mesa de ayuda
const ADMIN = 'CE:654321'; // Carlos, Administrador MinSalud (no helpdesk role)
const agente: Actor = { ref: 'u-agente01', channel: 'msteams' };
const MOTIVO = 'Llamó a la línea gratuita y confirmó su identidad';
const CLAVE = 'Kx7mPq29Lz';
const MINUTE = 60_000;
const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const asComfamaRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, como: 'rl' };
const NUEVO_JAIME: NuevoAutorizado = { ...NUEVO_ANDRES, numeroDocumento: '18054862', primerNombre: 'Jaime', segundoNombre: '', primerApellido: 'Giraldo', segundoApellido: 'Montoya', email: 'jaime.giraldo@camacol.com.co' };

async function world(): Promise<Setup> {
  const s = setup();
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  return s;
}

/** José with a real password (he can log in). */
async function joseActive(s: Setup): Promise<void> {
  const p = (await s.deps.reference.findPerson('CC', '70123456'))!;
  await seedActiveCitizen(s.store, p, 'jose.restrepo@correo.com', CLAVE, new Date(START));
}

/** Andrés (not registered) fails the basic data until his document is blocked for the registration. */
async function blockAndres(s: Setup): Promise<void> {
  const p = (await s.deps.reference.findPerson('CC', '1017234567'))!;
  for (let i = 0; i < 3; i++) await startRegistration(s.deps, { ...basicData(p), fechaNacimiento: '1999-01-01' }, actor);
  expect(await startRegistration(s.deps, basicData(p), actor)).toMatchObject({ ok: false, error: { code: 'REGISTRO.BLOQUEADO' } });
}
const andresStarts = async (s: Setup) => startRegistration(s.deps, basicData((await s.deps.reference.findPerson('CC', '1017234567'))!), actor);

/** COMFAMA registered by José with María (not registered) invited as delegate; Jaime (not registered) invited as authorized person. */
async function comfama(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { delegado: 'invitado' } });
  expect(await authorize(s.deps, JOSE, asComfamaRl, COMFAMA_NIT, NUEVO_JAIME, actor)).toMatchObject({ ok: true, value: { autorizacion: { estado: 'invitado' } } });
}

const denied = { ok: false, error: { code: 'PERMISO.DENEGADO' } };
const failed = (error: MesaError) => ({ ok: false, error });
const tokenOf = (enlace: unknown) => String(new URL(String(enlace)).searchParams.get('token'));
const auditOf = async (s: Setup, action: string) => (await records(s.store, 'audit')).filter((e) => e.action === action);

// ------------------------------------------------------------------------------ permissions

type Call = (s: Setup, who: string) => Promise<unknown>;
const CALLS: Record<string, Call> = {
  consultarPersona: (s, who) => consultarPersona(s.deps, who, 'CC', '70123456', agente),
  consultarCcf: (s, who) => consultarCcf(s.deps, who, COMFAMA_NIT, agente),
  historial: (s, who) => historial(s.deps, who, { tipo: 'CC', numero: '70123456' }, 1, agente),
  misCasos: (s, who) => misCasos(s.deps, who, agente),
  levantarBloqueoIdentidad: (s, who) => levantarBloqueoIdentidad(s.deps, who, 'CC', '1017234567', MOTIVO, agente),
  desbloquearIngreso: (s, who) => desbloquearIngreso(s.deps, who, 'CC', '70123456', MOTIVO, agente),
  reenviarActivacion: (s, who) => reenviarEnlace(s.deps, who, 'CC', '70123456', 'activacion', MOTIVO, agente),
  reenviarRecuperacion: (s, who) => reenviarEnlace(s.deps, who, 'CC', '70123456', 'recuperacion', MOTIVO, agente),
  reenviarInvitacion: (s, who) => reenviarInvitacion(s.deps, who, 'CC', '1036612345', { tipo: 'delegado', nit: COMFAMA_NIT }, MOTIVO, agente),
};
const WHO: [string, string, boolean][] = [
  ['a citizen (COMFAMA RL)', JOSE, false],
  ['an Administrador MinSalud', ADMIN, false],
  ['nobody registered', 'CC:5555555', false],
  ['the Mesa de ayuda agent', AGENTE, true],
];

describe('permissions: only the Mesa de ayuda looks up and acts; refusals are audited', () => {
  const table = Object.keys(CALLS).flatMap((name) => WHO.map(([label, who, allowed]) => [name, label, who, allowed] as const));
  it.each(table)('%s by %s', async (name, _label, who, allowed) => {
    const s = await world();
    await comfama(s);
    const r = await CALLS[name]!(s, who);
    const refusals = await auditOf(s, 'mesa.rechazado');
    if (allowed) {
      expect(r).not.toEqual(denied);
      expect(refusals).toEqual([]);
    } else {
      expect(r).toEqual(denied);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ actor: agente.ref, channel: 'msteams', detail: { accion: expect.stringMatching(/^mesa\./) } });
      expect(refusals[0]!.subject).toBeUndefined();
      expect(await records(s.store, 'accionesMesa')).toEqual([]);
    }
  });

  it('an agent does not act on their own account', async () => {
    const s = await world();
    expect(await desbloquearIngreso(s.deps, AGENTE, 'CC', '14770440', MOTIVO, agente)).toEqual(denied);
    expect(await reenviarEnlace(s.deps, AGENTE, 'CC', '14.770.440', 'recuperacion', MOTIVO, agente)).toEqual(denied);
    expect(s.mailer.sent).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ the reason

describe('every action needs a reason of 5 to 500 characters (spaces collapsed); nothing changes without one', () => {
  const REASONS: [string, string, boolean][] = [
    ['empty', '', false],
    ['four characters', 'Nada', false],
    ['four once collapsed', '  ab    c  ', false],
    ['five', 'Listo', true],
    ['500', 'm'.repeat(500), true],
    ['501', 'm'.repeat(501), false],
  ];
  it.each(REASONS)('%s', async (_name, motivo, accepted) => {
    const s = await world();
    await blockAndres(s);
    const r = await levantarBloqueoIdentidad(s.deps, AGENTE, 'CC', '1017234567', motivo, agente);
    if (accepted) {
      expect(r.ok).toBe(true);
      expect((await andresStarts(s)).ok).toBe(true);
    } else {
      expect(r).toEqual(failed({ code: 'MESA.MOTIVO_REQUERIDO', min: MESA_MOTIVO_MIN, max: MESA_MOTIVO_MAX }));
      expect(await andresStarts(s)).toMatchObject({ ok: false, error: { code: 'REGISTRO.BLOQUEADO' } });
      expect(await auditOf(s, 'mesa.bloqueo_identidad_levantado')).toEqual([]);
      expect(await records(s.store, 'accionesMesa')).toEqual([]);
    }
  });
});

// ------------------------------------------------------------------------------ actions

describe('levantarBloqueoIdentidad', () => {
  it('lifts the block and its counters: the person registers again right away; audited and kept with the reason and the case', async () => {
    const s = await world();
    await blockAndres(s);
    const check = (await records(s.store, 'identityChecks'))[0]!;
    const r = await levantarBloqueoIdentidad(s.deps, AGENTE, 'CC', '1.017.234.567', `  ${MOTIVO}  `, agente, 'M-4F7K2Q');
    expect(r).toEqual({ ok: true, value: { hasta: check.bloqueadoHasta } });
    const again = await andresStarts(s);
    expect(again.ok).toBe(true);
    // The counters start again: two more mismatches do not block.
    const p = (await s.deps.reference.findPerson('CC', '1017234567'))!;
    expect(await startRegistration(s.deps, { ...basicData(p), fechaNacimiento: '1999-01-01' }, actor)).toMatchObject({ ok: false, error: { code: 'REGISTRO.NO_COINCIDE', intentosRestantes: 2 } });

    const [event] = await auditOf(s, 'mesa.bloqueo_identidad_levantado');
    expect(event).toMatchObject({ actor: agente.ref, channel: 'msteams', subject: 'CC *******567', detail: { motivo: MOTIVO, caso: 'M-4F7K2Q', rondasFallidas: 0, intentosDatos: 3 } });
    expect(await records(s.store, 'accionesMesa')).toEqual([
      expect.objectContaining({ agenteId: AGENTE, accion: 'bloqueo_identidad_levantado', sujeto: 'CC *******567', motivo: MOTIVO, casoNumero: 'M-4F7K2Q' }),
    ]);
  });

  it.each<[string, (s: Setup) => Promise<void>, string, MesaError]>([
    ['a registered person never blocked', async (s) => void (await joseActive(s)), '70123456', { code: 'MESA.SIN_BLOQUEO' }],
    ['a block that already ended', async (s) => { await blockAndres(s); s.clock.advance(25 * 60 * MINUTE); }, '1017234567', { code: 'MESA.SIN_BLOQUEO' }],
    ['a reference person with failed attempts but no block', async (s) => {
      const p = (await s.deps.reference.findPerson('CC', '1017234567'))!;
      await startRegistration(s.deps, { ...basicData(p), fechaNacimiento: '1999-01-01' }, actor);
    }, '1017234567', { code: 'MESA.SIN_BLOQUEO' }],
    ['a document nobody has', async () => undefined, '99999456', { code: 'MESA.PERSONA_NO_ENCONTRADA' }],
  ])('nothing to lift: %s', async (_name, arrange, numero, error) => {
    const s = await world();
    await arrange(s);
    expect(await levantarBloqueoIdentidad(s.deps, AGENTE, 'CC', numero, MOTIVO, agente)).toEqual(failed(error));
    expect(await records(s.store, 'accionesMesa')).toEqual([]);
  });
});

describe('desbloquearIngreso', () => {
  async function lockJose(s: Setup): Promise<void> {
    await joseActive(s);
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) await login(s.deps, 'CC', '70123456', 'Equivocada99', { ref: `u-intruso${i}`, channel: 'webchat' });
    expect(await login(s.deps, 'CC', '70123456', CLAVE, { ref: 'u-jose', channel: 'webchat' })).toMatchObject({ ok: false, error: { code: 'INGRESO.BLOQUEADO' } });
  }

  it('lifts the login lock: the owner logs in at once; the "¿Fue usted?" link stops working; audited', async () => {
    const s = await world();
    await lockJose(s);
    const unlockLink = s.mailer.sent.find((m) => m.template === 'ingreso-desbloqueo');
    expect(unlockLink).toBeDefined();
    const hasta = (await records(s.store, 'citizens')).find((c) => c.id === JOSE)!.loginBloqueadoHasta;
    expect(await desbloquearIngreso(s.deps, AGENTE, 'CC', '70123456', MOTIVO, agente)).toEqual({ ok: true, value: { hasta } });
    expect(await login(s.deps, 'CC', '70123456', CLAVE, { ref: 'u-jose', channel: 'webchat' })).toMatchObject({ ok: true, value: { citizenId: JOSE } });
    expect(await inspectAccountToken(s.deps, tokenOf(unlockLink!.data['enlace']), 'desbloqueo')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    expect(await auditOf(s, 'mesa.ingreso_desbloqueado')).toEqual([expect.objectContaining({ subject: 'CC *****456', detail: { motivo: MOTIVO } })]);
  });

  it.each<[string, (s: Setup) => Promise<void>, MesaError]>([
    ['an account never locked', joseActive, { code: 'MESA.SIN_BLOQUEO' }],
    ['a lock that already ended', async (s) => { await lockJose(s); s.clock.advance(16 * MINUTE); }, { code: 'MESA.SIN_BLOQUEO' }],
    ['a person without an account', async () => undefined, { code: 'MESA.SIN_BLOQUEO' }],
  ])('nothing to unlock: %s', async (_name, arrange, error) => {
    const s = await world();
    await arrange(s);
    expect(await desbloquearIngreso(s.deps, AGENTE, 'CC', '70123456', MOTIVO, agente)).toEqual(failed(error));
  });
});

describe("reenviarEnlace 'activacion'", () => {
  it('a pending account: the old link stops working, a new one is mailed (after the commit) with the registration template, and it activates', async () => {
    const s = await world();
    await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com', 'pendiente');
    const old = await s.store.transaction((tx) => issueToken(tx, s.deps, JOSE, 'activacion', 24 * 60 * MINUTE));
    const r = await reenviarEnlace(s.deps, AGENTE, 'CC', '70123456', 'activacion', MOTIVO, agente, 'M-ABC123');
    expect(r).toEqual({ ok: true, value: { correo: 'j***@correo.com', enviado: true } });
    const mail = s.mailer.sent.at(-1)!;
    expect(mail).toMatchObject({ to: 'jose.restrepo@correo.com', template: 'registro-activacion', insideTransaction: false, data: { nombre: 'José Restrepo', usuario: 'CC 70123456', horas: 24 } });
    expect(await inspectAccountToken(s.deps, old, 'activacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    expect(await setPasswordWithToken(s.deps, tokenOf(mail.data['enlace']), 'activacion', CLAVE, CLAVE, actor)).toMatchObject({ ok: true });
    expect((await records(s.store, 'citizens')).find((c) => c.id === JOSE)!.estado).toBe('activo');
    expect(await auditOf(s, 'mesa.activacion_reenviada')).toEqual([expect.objectContaining({ detail: { motivo: MOTIVO, caso: 'M-ABC123', enlacesAnulados: 1 } })]);
  });

  it.each<[string, (s: Setup) => Promise<unknown>, string, MesaError]>([
    ['an active account', joseActive, '70123456', { code: 'MESA.NO_APLICA', estado: 'activa' }],
    ['a reference person without an account', async () => undefined, '70123456', { code: 'MESA.NO_APLICA', estado: 'sin_registro' }],
    ['a document nobody has', async () => undefined, '99999456', { code: 'MESA.PERSONA_NO_ENCONTRADA' }],
  ])('does not apply: %s', async (_name, arrange, numero, error) => {
    const s = await world();
    await arrange(s);
    expect(await reenviarEnlace(s.deps, AGENTE, 'CC', numero, 'activacion', MOTIVO, agente)).toEqual(failed(error));
    expect(s.mailer.sent).toEqual([]);
  });
});

describe("reenviarEnlace 'recuperacion'", () => {
  it('an active account: a new reset link as "Olvidé mi contraseña" mails it; the earlier one stops working', async () => {
    const s = await world();
    await joseActive(s);
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    const first = s.mailer.sent.at(-1)!;
    expect(await reenviarEnlace(s.deps, AGENTE, 'CC', '70123456', 'recuperacion', MOTIVO, agente)).toEqual({ ok: true, value: { correo: 'j***@correo.com', enviado: true } });
    const second = s.mailer.sent.at(-1)!;
    expect(second).toMatchObject({ to: 'jose.restrepo@correo.com', template: first.template, data: { nombre: first.data['nombre'], minutos: first.data['minutos'] } });
    expect(await inspectAccountToken(s.deps, tokenOf(first.data['enlace']), 'recuperacion')).toEqual({ ok: false, error: { code: 'TOKEN.INVALIDO' } });
    expect(await inspectAccountToken(s.deps, tokenOf(second.data['enlace']), 'recuperacion')).toEqual({ ok: true, value: { nombre: 'José Restrepo' } });
  });

  it('a pending account does not apply', async () => {
    const s = await world();
    await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com', 'pendiente');
    expect(await reenviarEnlace(s.deps, AGENTE, 'CC', '70123456', 'recuperacion', MOTIVO, agente)).toEqual(failed({ code: 'MESA.NO_APLICA', estado: 'pendiente' }));
  });
});

describe('reenviarInvitacion', () => {
  it.each<[string, DocumentType, string, 'delegado' | 'autorizado', string]>([
    ['the invited delegate', 'CC', '1036612345', 'delegado', 'delegado-invitacion'],
    ['the invited authorized person', 'CC', '18054862', 'autorizado', 'autorizado-invitacion'],
  ])('%s gets the same invitation again, to the same address', async (_name, tipo, numero, kind, template) => {
    const s = await world();
    await comfama(s);
    const original = s.mailer.sent.find((m) => m.template === template)!;
    const r = await reenviarInvitacion(s.deps, AGENTE, tipo, numero, { tipo: kind, nit: '890.900.841-9' }, MOTIVO, agente);
    expect(r).toEqual({ ok: true, value: { correo: expect.stringMatching(/^[a-z]\*\*\*@/), enviado: true } });
    const again = s.mailer.sent.at(-1)!;
    expect({ to: again.to, template: again.template, data: again.data }).toEqual({ to: original.to, template, data: original.data });
    expect(await auditOf(s, 'mesa.invitacion_reenviada')).toEqual([expect.objectContaining({ detail: { motivo: MOTIVO, invitacion: kind, empresa: 'NIT 890.900.841-9' } })]);
  });

  it.each<[string, string, { tipo: 'delegado' | 'autorizado'; nit: string }]>([
    ['María is not invited as an authorized person', '1036612345', { tipo: 'autorizado', nit: COMFAMA_NIT }],
    ['Jaime is not the invited delegate', '18054862', { tipo: 'delegado', nit: COMFAMA_NIT }],
    ['no employer role for that NIT', '1036612345', { tipo: 'delegado', nit: '890900842' }],
    ['not a NIT', '1036612345', { tipo: 'delegado', nit: 'COMFAMA' }],
  ])('no such invitation: %s', async (_name, numero, invitacion) => {
    const s = await world();
    await comfama(s);
    const before = s.mailer.sent.length;
    expect(await reenviarInvitacion(s.deps, AGENTE, 'CC', numero, invitacion, MOTIVO, agente)).toEqual(failed({ code: 'MESA.NO_APLICA' }));
    expect(s.mailer.sent.length).toBe(before);
  });
});

// ------------------------------------------------------------------------------ lookups

describe('consultarPersona', () => {
  it('an invited delegate with a blocked registration: blocks, invitation with its date, e-mails, progress', async () => {
    const s = await world();
    await comfama(s);
    const p = (await s.deps.reference.findPerson('CC', '1036612345'))!;
    s.clock.advance(MINUTE);
    for (let i = 0; i < 3; i++) await startRegistration(s.deps, { ...basicData(p), fechaExpedicion: '2001-01-01' }, actor);
    await s.store.transaction((tx) => tx.collection('progreso').put({ id: MARIA, proceso: 'registro', paso: 'Datos básicos', error: { codigo: 'REGISTRO.BLOQUEADO', en: START }, ultimaActividad: START, canal: 'webchat' }));
    const r = await consultarPersona(s.deps, AGENTE, 'CC', '1.036.612.345', agente);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value).toEqual({
      tipo: 'CC',
      numero: '1036612345',
      nombre: 'María Peña',
      cuenta: { estado: 'sin_registro' },
      bloqueoIdentidad: { hasta: new Date(new Date(START).getTime() + MINUTE + 24 * 60 * MINUTE).toISOString(), rondasFallidas: 0, intentosDatos: 3 },
      enlaces: [],
      invitaciones: [{ tipo: 'delegado', nit: COMFAMA_NIT, empresa: expect.stringMatching(/COMFAMA/i), en: START }],
      correos: [{ plantilla: 'delegado-invitacion', destino: 'm***@comfama.com.co', enviado: true, en: START }],
      progreso: { proceso: 'registro', paso: 'Datos básicos', error: { codigo: 'REGISTRO.BLOQUEADO', en: START }, ultimaActividad: START, canal: 'webchat' },
      ccfs: [],
    });
  });

  it('an active account: login lock with its failures, unused links, and the CCFs the person takes part in', async () => {
    const s = await world();
    await joseActive(s);
    expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true });
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) await login(s.deps, 'CC', '70123456', 'Equivocada99', { ref: `u-x${i}`, channel: 'webchat' });
    const r = await consultarPersona(s.deps, AGENTE, 'CC', '70123456', agente);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value).toMatchObject({
      nombre: 'José Restrepo',
      cuenta: { estado: 'activa', creadaEn: START, activadaEn: START, correo: 'j***@correo.com' },
      bloqueoIngreso: { hasta: new Date(new Date(START).getTime() + 15 * MINUTE).toISOString(), fallidos: MAX_LOGIN_FAILURES },
      enlaces: [{ tipo: 'desbloqueo', creadoEn: START, expira: expect.any(String) }],
      ccfs: [{ nit: COMFAMA_NIT, razonSocial: expect.stringMatching(/COMFAMA/i) }],
    });
    expect(r.value.bloqueoIdentidad).toBeUndefined();
    expect(r.value.correos.map((c) => c.plantilla)).toEqual(['ingreso-desbloqueo']);
  });

  it('a document nobody has is not found', async () => {
    const s = await world();
    expect(await consultarPersona(s.deps, AGENTE, 'CC', '99999456', agente)).toEqual(failed({ code: 'MESA.PERSONA_NO_ENCONTRADA' }));
  });
});

describe('consultarCcf', () => {
  it('COMFAMA: role, RL, delegate and authorized persons masked, CCF role, services, open cases, whose checklist to show', async () => {
    const s = await world();
    await comfama(s);
    await s.store.transaction(async (tx) => {
      await tx.collection('rolesCcf').put({ id: COMFAMA_NIT, nit: COMFAMA_NIT, activo: true, en: START, motivo: 'Cadena verificada', por: ADMIN });
      await tx.collection('asignaciones').put({ id: `${COMFAMA_NIT}:S1`, nit: COMFAMA_NIT, servicioId: 'S1', clientId: 'client-secret-id-1', estado: 'activo', creadoEn: START, actualizadoEn: START, historial: [] });
      await tx.collection('asignaciones').put({ id: `${COMFAMA_NIT}:S2`, nit: COMFAMA_NIT, servicioId: 'S2', clientId: 'client-secret-id-2', estado: 'revocado', creadoEn: START, actualizadoEn: START, historial: [] });
      await tx.collection('casosMesa').put(caso('c1', 'en_cola', [COMFAMA_NIT]));
      await tx.collection('casosMesa').put(caso('c2', 'cerrado', [COMFAMA_NIT]));
      await tx.collection('casosMesa').put(caso('c3', 'atendido', ['890900842']));
    });
    const r = await consultarCcf(s.deps, AGENTE, '890.900.841-9', agente);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value).toEqual({
      nit: COMFAMA_NIT,
      razonSocial: expect.stringMatching(/COMFAMA/i),
      sigla: 'COMFAMA',
      rolEmpleador: { estado: 'activo', en: START },
      rl: { nombre: 'José Restrepo', documento: 'CC *****456' },
      delegado: { nombre: 'María Peña', documento: 'CC *******345', estado: 'invitado' },
      autorizados: [{ nombre: 'Jaime Giraldo', documento: 'CC *****862', estado: 'invitado', desde: START }],
      rolCcf: { activo: true, en: START },
      serviciosAsignados: 1,
      casosAbiertos: 1,
      personaChecklist: JOSE,
    });
  });

  it.each([['a NIT no company has', '800000001'], ['not a NIT', 'COMFAMA']])('%s is not found', async (_name, nit) => {
    const s = await world();
    expect(await consultarCcf(s.deps, AGENTE, nit, agente)).toEqual(failed({ code: 'MESA.CCF_NO_ENCONTRADA' }));
  });
});

function caso(id: string, estado: CasoMesa['estado'], nits: string[], agenteId?: string, at = START): CasoMesa {
  return {
    id,
    numero: `M-${id.toUpperCase()}`,
    estado,
    persona: {},
    nits,
    mensajes: [],
    conversacionPersona: { clave: `webchat|${id}`, referencia: {} },
    clavePersona: `webchat|${id}`,
    creadoEn: at,
    ...(agenteId ? { agente: { id: agenteId, nombre: 'Alejandro Ibáñez' }, tomadoEn: at } : {}),
    avisarPorCorreo: false,
  };
}

// ------------------------------------------------------------------------------ what an agent sees

describe('masking: no secret, hash, token or other full document in anything an agent gets', () => {
  it('every lookup, the history and "Mis casos" of a busy world', async () => {
    const s = await world();
    await joseActive(s);
    expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true });
    expect(await authorize(s.deps, JOSE, asComfamaRl, COMFAMA_NIT, NUEVO_JAIME, actor)).toMatchObject({ ok: true });
    await requestPasswordReset(s.deps, 'CC', '70123456', actor);
    await blockAndres(s);
    const p = (await s.deps.reference.findPerson('CC', '1036612345'))!;
    await startRegistration(s.deps, basicData(p), actor); // María has a pending round of identity questions (with the right answers stored)
    await reenviarEnlace(s.deps, AGENTE, 'CC', '70123456', 'recuperacion', MOTIVO, agente);
    await reenviarInvitacion(s.deps, AGENTE, 'CC', '1036612345', { tipo: 'delegado', nit: COMFAMA_NIT }, MOTIVO, agente);

    const citizens = await records(s.store, 'citizens');
    const tokens = await records(s.store, 'accountTokens');
    const rawTokens = s.mailer.sent.map((m) => m.data['enlace']).filter(Boolean).map(tokenOf);
    const secrets = [
      ...citizens.flatMap((c) => [c.passwordHash ?? '', c.email, c.celular]).filter(Boolean),
      ...tokens.map((t) => t.id),
      ...rawTokens,
      ...s.mailer.sent.map((m) => m.to),
    ];
    expect(rawTokens.length).toBeGreaterThanOrEqual(3);
    const documents = ['70123456', '1036612345', '18054862', '1017234567', '14770440', '654321'];

    const views: [string, unknown, string | undefined][] = [];
    for (const [tipo, numero] of [['CC', '70123456'], ['CC', '1036612345'], ['CC', '18054862'], ['CC', '1017234567']] as const) {
      views.push([`persona ${numero}`, await consultarPersona(s.deps, AGENTE, tipo, numero, agente), numero]);
      for (let page = 1; page <= 3; page++) views.push([`historial ${numero} p${page}`, await historial(s.deps, AGENTE, { tipo, numero }, page, agente), undefined]);
    }
    views.push(['ccf', await consultarCcf(s.deps, AGENTE, COMFAMA_NIT, agente), undefined]);
    views.push(['historial ccf', await historial(s.deps, AGENTE, { nit: COMFAMA_NIT }, 1, agente), undefined]);
    views.push(['mis casos', await misCasos(s.deps, AGENTE, agente), '14770440']); // the agent's own id

    for (const [name, value, searched] of views) {
      // personaChecklist is the id the dialog passes to loadChecklistFacts (a document key by design), never shown.
      const json = JSON.stringify(value, (k, v) => (k === 'personaChecklist' ? undefined : v));
      expect(json, name).toContain('"ok":true');
      for (const secret of secrets) expect(json.includes(secret), `${name} shows ${secret.slice(0, 12)}…`).toBe(false);
      for (const doc of documents) if (doc !== searched) expect(json.includes(doc), `${name} shows ${doc}`).toBe(false);
      expect(json, name).not.toMatch(/argon2|scrypt|"correct"|"options"|rondaPendiente|clientId|client-secret/);
    }
    // And the audit log itself never holds a full document number (the person index does, apart).
    const auditJson = JSON.stringify(await records(s.store, 'audit'));
    for (const doc of documents) expect(auditJson.includes(doc), doc).toBe(false);
  });
});

// ------------------------------------------------------------------------------ history

describe('historial', () => {
  it("one person's history is exact although another document has the same masked subject", async () => {
    const s = await world();
    await joseActive(s);
    expect(await login(s.deps, 'CC', '70123456', CLAVE, { ref: 'u-jose', channel: 'webchat' })).toMatchObject({ ok: true });
    // Another CC ending in 456 tries to register and to log in: "CC *****456" too.
    const other = { ...basicData((await s.deps.reference.findPerson('CC', '70123456'))!), numeroDocumento: '99999456' };
    await startRegistration(s.deps, other, { ref: 'u-otro', channel: 'webchat' });
    await login(s.deps, 'CC', '11111456', 'Cualquiera99', { ref: 'u-otro', channel: 'webchat' });
    const subjects = (await records(s.store, 'audit')).map((e) => e.subject);
    expect(subjects.filter((x) => x === 'CC *****456').length).toBe(3);

    const jose = await historial(s.deps, AGENTE, { tipo: 'CC', numero: '70.123.456' }, 1, agente);
    expect(jose).toMatchObject({ ok: true, value: { total: 1, paginas: 1, pagina: 1, lineas: [{ accion: 'ingreso.exitoso', canal: 'webchat', quien: 'José Restrepo' }] } });
    const otro = await historial(s.deps, AGENTE, { tipo: 'CC', numero: '99999456' }, 1, agente);
    expect(otro).toMatchObject({ ok: true, value: { total: 1, lineas: [{ accion: 'registro.datos_no_coinciden' }] } });
    expect(otro.ok && otro.value.lineas[0]!.quien).toBeUndefined();
    expect(await historial(s.deps, AGENTE, { tipo: 'CC', numero: '11111456' }, 1, agente)).toMatchObject({ ok: true, value: { total: 1, lineas: [{ accion: 'ingreso.fallido' }] } });
  });

  it(`pages of ${HISTORIAL_POR_PAGINA}, newest first; a page out of range gives the nearest one`, async () => {
    const s = await world();
    const p = (await s.deps.reference.findPerson('CC', '1017234567'))!;
    // A minute apart: three mismatches, the block, then a refused attempt each time (23 events).
    for (let i = 0; i < 22; i++) {
      s.clock.advance(MINUTE);
      await startRegistration(s.deps, { ...basicData(p), fechaNacimiento: '1999-01-01' }, actor);
    }
    const total = (await records(s.store, 'auditoriaPersonas')).length;
    expect(total).toBe(23);
    const pages = Math.ceil(total / HISTORIAL_POR_PAGINA);
    const all: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const r = await historial(s.deps, AGENTE, { tipo: 'CC', numero: '1017234567' }, page, agente);
      if (!r.ok) throw new Error(r.error.code);
      expect(r.value).toMatchObject({ pagina: page, paginas: pages, total });
      expect(r.value.lineas).toHaveLength(page < pages ? HISTORIAL_POR_PAGINA : total - (pages - 1) * HISTORIAL_POR_PAGINA);
      all.push(...r.value.lineas.map((l) => l.en));
    }
    expect(all).toEqual([...all].sort().reverse());
    const events = (await records(s.store, 'audit')).filter((e) => e.subject === 'CC *******567');
    expect(all).toEqual(events.map((e) => e.at).reverse());
    for (const [asked, given] of [[0, 1], [-3, 1], [99, pages], [Number.NaN, 1]] as const) {
      expect(await historial(s.deps, AGENTE, { tipo: 'CC', numero: '1017234567' }, asked, agente)).toMatchObject({ ok: true, value: { pagina: given } });
    }
  });

  it('events of the same instant: the last written first', async () => {
    const s = await world();
    await blockAndres(s); // all at START
    const r = await historial(s.deps, AGENTE, { tipo: 'CC', numero: '1017234567' }, 1, agente);
    if (!r.ok) throw new Error(r.error.code);
    const written = (await records(s.store, 'audit')).filter((e) => e.subject === 'CC *******567').map((e) => e.action);
    expect(r.value.lineas.map((l) => l.accion)).toEqual(written.reverse().slice(0, HISTORIAL_POR_PAGINA));
    expect(r.value.lineas[0]!.accion).toBe('registro.intento_bloqueado');
  });

  it("a CCF's history: the events about its NIT, naming who acted (the RL who logged in, the helpdesk agent)", async () => {
    const s = await world();
    await joseActive(s);
    const joseChat: Actor = { ref: 'u-jose', channel: 'webchat' };
    await login(s.deps, 'CC', '70123456', CLAVE, joseChat);
    s.clock.advance(MINUTE);
    expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), joseChat)).toMatchObject({ ok: true });
    s.clock.advance(MINUTE);
    await s.store.transaction(async (tx) => tx.collection('actoresConocidos').put({ id: agente.ref, citizenId: AGENTE, en: START }));
    await reenviarInvitacion(s.deps, AGENTE, 'CC', '1036612345', { tipo: 'delegado', nit: COMFAMA_NIT }, MOTIVO, agente);
    const r = await historial(s.deps, AGENTE, { nit: COMFAMA_NIT }, 1, agente);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.lineas.map((l) => [l.accion, l.quien, l.empresa])).toEqual([
      ['correo.enviado', 'Alejandro Ibáñez', 'COMFAMA'], // the invitation again
      ['correo.enviado', 'José Restrepo', 'COMFAMA'], // the invitation
      ['correo.enviado', 'José Restrepo', 'COMFAMA'], // the main site's notice
      ['empleador.delegado_designado', 'José Restrepo', 'COMFAMA'],
      ['empleador.registrado', 'José Restrepo', 'COMFAMA'],
    ]);
    expect(r.value.lineas.at(-1)).toMatchObject({ canal: 'webchat', sujeto: 'NIT 890.900.841-9', detalle: { estado: 'activo' } });
    // María's history has her invitation, its e-mails and the agent's action, not the RL's registration.
    const maria = await historial(s.deps, AGENTE, { tipo: 'CC', numero: '1036612345' }, 1, agente);
    expect(maria.ok && maria.value.lineas.map((l) => l.accion)).toEqual(['correo.enviado', 'mesa.invitacion_reenviada', 'correo.enviado', 'empleador.delegado_designado']);
  });
});

describe('the login records who is behind an actor reference', () => {
  it('a successful login, not a failed one', async () => {
    const s = await world();
    await joseActive(s);
    await login(s.deps, 'CC', '70123456', 'Equivocada99', { ref: 'u-fallo', channel: 'webchat' });
    expect(await records(s.store, 'actoresConocidos')).toEqual([]);
    await login(s.deps, 'CC', '70123456', CLAVE, { ref: 'u-jose', channel: 'webchat' });
    expect(await records(s.store, 'actoresConocidos')).toEqual([{ id: 'u-jose', citizenId: JOSE, en: START }]);
  });
});

// ------------------------------------------------------------------------------ Mis casos

describe('misCasos', () => {
  it("the agent's own actions (newest first, at most 20, with the reason) and the cases they took", async () => {
    const s = await world();
    await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com', 'pendiente');
    for (let i = 0; i < 22; i++) {
      s.clock.advance(MINUTE);
      expect((await reenviarEnlace(s.deps, AGENTE, 'CC', '70123456', 'activacion', `${MOTIVO} ${i}`, agente)).ok).toBe(true);
    }
    await s.store.transaction(async (tx) => {
      await tx.collection('casosMesa').put(caso('a1', 'cerrado', [], AGENTE, '2026-11-26T16:00:00.000Z'));
      await tx.collection('casosMesa').put(caso('a2', 'atendido', [], AGENTE, '2026-11-26T17:00:00.000Z'));
      await tx.collection('casosMesa').put(caso('a3', 'atendido', [], 'CC:4444444', '2026-11-26T18:00:00.000Z'));
      await tx.collection('casosMesa').put(caso('a4', 'en_cola', []));
    });
    const r = await misCasos(s.deps, AGENTE, agente);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.acciones).toHaveLength(20);
    expect(r.value.acciones[0]).toMatchObject({ agenteId: AGENTE, accion: 'activacion_reenviada', sujeto: 'CC *****456', motivo: `${MOTIVO} 21` });
    expect(r.value.acciones.at(-1)).toMatchObject({ motivo: `${MOTIVO} 2` });
    expect(r.value.casos.map((c) => c.id)).toEqual(['a2', 'a1']);
  });
});
