/**
 * "Administración de Servicios Web" as COMFAMA's authorized person meets it, through the main dialog
 * with the real memory store, reference data, OpenAPI documents and use cases: finding it (menu,
 * typed, search), who may use it (each refusal names the missing step and who must act, audited),
 * the terms (both documents with version and date, Acepto / No acepto recorded and audited, declining
 * opens nothing, a new version asks again), the catalog (only COMFAMA's services, states and reasons),
 * Ver documentación (the summary card, its signed link, recorded as seen), Información Servicio
 * (Client ID, state, dates, token endpoint), every prompt (bad input, atrás, cancelar, ayuda, estado),
 * the checklist's step 5 and what never leaks. The world is seeded through the real use cases.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { assignServices, changeAssignment } from '../../domain/asignaciones.js';
import type { Autorizacion } from '../../domain/autorizaciones.js';
import { authorize, revokeAuthorization } from '../../domain/autorizados.js';
import { ensureExampleServices, retireService } from '../../domain/catalogo.js';
import { registerEmployer } from '../../domain/empleador-registro.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { setCcfRole } from '../../domain/rol-ccf.js';
import { DOC_LINK_MINUTES } from '../../domain/rules.js';
import { decideTerms } from '../../domain/servicios-ccf.js';
import type { ActingRole } from '../../domain/session.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { EXAMPLE_SERVICES } from '../../storage/reference/servicios.js';
import { messages } from '../../templates/render.js';
import { BAD_INPUTS } from '../../test/helpers/bad-input.js';
import { dialogDeps, mainClient } from '../../test/helpers/dialog-deps.js';
import { COMFAMA_NIT, DELEGADA_MARIA, NUEVO_ANDRES, SEDE, registration } from '../../test/helpers/employers.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say, type Input, type Reply } from '../../test/helpers/transcript.js';
import { adaptive, buttons, elements, facts, textBlocks, type CardNode } from '../../test/helpers/cards.js';
import { terminosVigentes, type Terminos } from './texts.js';
import { titleOf } from '../catalog.js';

// A new version of the terms is published by changing what the terms template says (every reader,
// the dialog included, goes through `messages('servicios/terminos')`).
const published = vi.hoisted(() => ({ terminos: undefined as unknown }));
vi.mock('../../templates/render.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../templates/render.js')>();
  const messagesOrNew = <T,>(key: string): T =>
    key === 'servicios/terminos' && published.terminos !== undefined ? (published.terminos as T) : real.messages<T>(key);
  return { ...real, messages: messagesOrNew };
});

const START = '2026-11-26T15:00:00.000Z';
const DAY = 86_400_000;
const PASSWORD = 'Guayacan-Florido-2026';
const { rlComfama: jose, authorizedComfama: andres, citizenCe: carlos } = EXAMPLE_PERSONS;
const id = (p: ReferencePerson) => `${p.tipoDocumento}:${p.numeroDocumento}`;
const JOSE = id(jose);
const ANDRES = id(andres);
const CARLOS = id(carlos);
const COMFENALCO_NIT = '890900842';
const NICOLAS = 'CC:72235734'; // COMFENALCO ANTIOQUIA's RL in the reference sources
const actor = { ref: 'prueba', channel: 'test' };
const reference = defaultReferenceRegistry();
const asRl = (nit: string): ActingRole => ({ tipo: 'empleador', nit, razonSocial: 'X', como: 'rl' });
const asCcfRole: ActingRole = { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA' };

/** The fake signed link of test/helpers/dialog-deps for COMFAMA and a service. */
const docLink = (servicio: string) => `http://localhost:3978/servicios/documentacion/${servicio}?c=${COMFAMA_NIT}&p=test&exp=0&sig=test`;
const TERMS_LINK = 'http://localhost:3978/servicios/terminos';
/** Document numbers of the people in the world: never in a reply to Andrés. */
const DOCUMENTS = [andres.numeroDocumento, jose.numeroDocumento, '1036612345', carlos.numeroDocumento, '72235734'];

const MENU = fold('¿Qué desea hacer ahora, Andrés Zapata?');
const TERMS_Q = fold('¿Acepta las condiciones de uso y la política de privacidad y retención?');
const MODULE_AGAIN = fold('¿Qué más desea hacer en la Administración de Servicios Web?');
const CATALOG = fold('Estos son los servicios web que el Ministerio de Salud asignó a COMFAMA');
const ACTIONS = ['Ver documentación', 'Información Servicio', 'Compartir Servicios Entidad', 'Asignar contraseña', 'Terminar'];
const texts = () => messages<Record<string, string>>('servicios/textos');
/** A text of templates/es/servicios/textos.json with {{caja}} filled. */
const withCaja = (key: string, caja = 'COMFAMA') => texts()[key]!.replaceAll('{{caja}}', caja);

afterEach(() => {
  published.terminos = undefined;
  vi.restoreAllMocks();
});

// ------------------------------------------------------------------------------ the world

type World = ReturnType<typeof dialogDeps> & { client: DialogTestClient; andres: Autorizacion };

interface WorldOptions {
  /** The Ministry activated COMFAMA's CCF role (default: yes). */
  readonly activo?: boolean;
  /** The services the Ministry assigned to COMFAMA (default: SolicitudAfiliacion and ConsultaAfiliacion). */
  readonly servicios?: readonly string[];
  /** Andrés accepted the terms in force beforehand (through the use case). */
  readonly aceptados?: boolean;
  /** COMFENALCO ANTIOQUIA, its role active, with its own assignment (SolicitudAfiliacion too, with its own Client ID). */
  readonly comfenalco?: boolean;
}

const COMFENALCO_SERVICES = ['SolicitudAfiliacion', 'ReporteNovedad', 'ConsultaSubsidioCuotaMonetaria'];

async function registerComfenalco(w: ReturnType<typeof dialogDeps>): Promise<void> {
  const nicolas = (await reference.findPerson('CC', '72235734'))!;
  await seedActiveCitizen(w.deps.store, nicolas, 'nicolas.montoya@correo.com', PASSWORD, w.clock.now());
  const r = await registerEmployer(
    w.deps,
    NICOLAS,
    { nit: COMFENALCO_NIT, razonSocial: 'Caja de Compensación Familiar Comfenalco Antioquia', naturaleza: '2', delegado: DELEGADA_MARIA, sede: { ...SEDE, email: 'servicios.web@comfenalcoantioquia.com.co' } },
    actor,
  );
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo' } });
  expect(await setCcfRole(w.deps, CARLOS, COMFENALCO_NIT, true, 'Cumple los requisitos', actor)).toMatchObject({ ok: true });
  expect(await assignServices(w.deps, CARLOS, COMFENALCO_NIT, COMFENALCO_SERVICES, actor)).toMatchObject({ ok: true });
}

/**
 * COMFAMA's employer role registered by José (María, not registered, its delegate), Andrés authorized
 * by José (CAJA DE SUBSIDIO FAMILIAR, web services), the shipped example services in the catalog;
 * Carlos is an administrator who activates COMFAMA's role and assigns its services. Nobody has
 * logged in yet; the seeding's mails are forgotten.
 */
async function world(opts: WorldOptions = {}): Promise<World> {
  const s = dialogDeps(START, 7, { admins: [CARLOS] });
  const now = new Date(START);
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, now);
  await seedActiveCitizen(s.deps.store, andres, 'andres.zapata@correo.com', PASSWORD, now);
  await seedActiveCitizen(s.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD, now);
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
  const a = await authorize(s.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, NUEVO_ANDRES, actor);
  if (!a.ok) throw new Error(a.error.code);
  expect(await ensureExampleServices(s.deps, EXAMPLE_SERVICES)).toBe(6);
  if (opts.comfenalco) await registerComfenalco(s);
  if (opts.activo ?? true) expect(await setCcfRole(s.deps, CARLOS, COMFAMA_NIT, true, 'Cadena de activación verificada', actor)).toMatchObject({ ok: true });
  const servicios = opts.servicios ?? ['SolicitudAfiliacion', 'ConsultaAfiliacion'];
  if (servicios.length) expect(await assignServices(s.deps, CARLOS, COMFAMA_NIT, servicios, actor)).toMatchObject({ ok: true });
  if (opts.aceptados) expect(await decideTerms(s.deps, ANDRES, asCcfRole, terminosVigentes(), 'acepto', actor)).toMatchObject({ ok: true });
  s.mailer.sent.length = 0;
  return { ...s, client: mainClient(s), andres: a.value.autorizacion };
}

/** The Ministry's and José's actions between turns. */
const suspend = (w: World, servicio: string, motivo = 'Mantenimiento del servicio') =>
  changeAssignment(w.deps, CARLOS, COMFAMA_NIT, servicio, 'suspender', motivo, actor).then((r) => expect(r).toMatchObject({ ok: true }));
const revoke = (w: World, servicio: string, motivo = 'Uso indebido del servicio') =>
  changeAssignment(w.deps, CARLOS, COMFAMA_NIT, servicio, 'revocar', motivo, actor).then((r) => expect(r).toMatchObject({ ok: true }));
const retire = (w: World, servicio: string, motivo = 'Ya no se usa en el SAT') =>
  retireService(w.deps, CARLOS, servicio, motivo, actor).then((r) => expect(r).toMatchObject({ ok: true }));
const deactivate = (w: World) =>
  setCcfRole(w.deps, CARLOS, COMFAMA_NIT, false, 'Incumple los requisitos', actor).then((r) => expect(r).toMatchObject({ ok: true }));
const revokeAndres = (w: World) =>
  revokeAuthorization(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, w.andres.id, 'Ya no trabaja en la Caja', actor).then((r) => expect(r).toMatchObject({ ok: true }));

async function login(w: World, p: ReferencePerson): Promise<Reply> {
  await say(w.client, 'Ingresar');
  return say(w.client, { value: { __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: PASSWORD } });
}

/** Logs `p` in and chooses the role `rol` (a button of the role question); returns the reply. */
async function actingAs(w: World, p: ReferencePerson, rol: string, expected: string): Promise<Reply> {
  expect((await login(w, p)).folded).toContain(fold('en que rol desea actuar'));
  const r = await say(w.client, rol);
  expect(r.folded).toContain(fold(expected));
  return r;
}
const asCcf = (w: World) => actingAs(w, andres, 'Caja de compensación familiar — COMFAMA', 'Ahora actúa como Caja de compensación familiar — COMFAMA');

/** Andrés, acting as COMFAMA, opens the module and accepts the terms; returns the reply with the catalog. */
async function accepted(w: World): Promise<Reply> {
  await asCcf(w);
  expect((await say(w.client, 'Administración de Servicios Web')).folded).toContain(TERMS_Q);
  const r = await say(w.client, 'Acepto');
  expect(r.folded).toContain(CATALOG);
  return r;
}

/** Publishes version 1.1 of the conditions of use, dated 15/01/2027 (the privacy policy stays 1.0). */
function publishNew(): void {
  const current = messages<Terminos>('servicios/terminos');
  published.terminos = { ...current, documentos: current.documentos.map((d) => (d.id === 'condiciones' ? { ...d, version: '1.1', fecha: '2027-01-15' } : d)) };
}

const list = <N extends 'decisionesTerminos' | 'serviciosVistos' | 'asignaciones' | 'audit'>(w: World, name: N) =>
  w.deps.store.transaction((tx) => tx.collection(name).list());
const decisions = (w: World) => list(w, 'decisionesTerminos');
const seen = (w: World) => list(w, 'serviciosVistos');
const auditOf = async (w: World, action: string) => (await list(w, 'audit')).filter((e) => e.action === action);
const clientIdOf = async (w: World, servicio: string, nit = COMFAMA_NIT) =>
  (await list(w, 'asignaciones')).find((a) => a.nit === nit && a.servicioId === servicio)!.clientId;
/** What the module can change: compared before and after a step that must change nothing. */
const snapshot = async (w: World) =>
  JSON.stringify({
    decisiones: await decisions(w),
    vistos: await seen(w),
    auditoria: (await list(w, 'audit')).map((e) => e.action).filter((a) => a.startsWith('servicios.')),
  });


/** The rows of the catalog ("GET ConsultaAfiliacion — Consulta de afiliación — Estado: Activo"), from its text. */
const catalogRows = (r: Reply): string[] => [...r.text.matchAll(/^- \*\*(.+?)\*\* — (Estado: .+)$/gm)].map((m) => `${m[1]} — ${m[2]}`);

// ------------------------------------------------------------------------------ finding it

describe('finding it', () => {
  it('acting as the CCF the menu offers "Administración de Servicios Web"; acting as ciudadano or employer it does not', async () => {
    const w = await world();
    expect(buttons(await asCcf(w))).toContain('Administración de Servicios Web');
    await say(w.client, 'salir');
    expect(buttons(await actingAs(w, andres, 'Ciudadano', 'Ahora actúa como Ciudadano'))).not.toContain('Administración de Servicios Web');
    await say(w.client, 'salir');
    expect(buttons(await actingAs(w, jose, 'empleador', 'Ahora actúa como Empleador persona jurídica'))).not.toContain('Administración de Servicios Web');
  });

  it.each(['Administración de Servicios Web', 'administracion de servicios web', 'servicios web'])('"%s" opens the module: COMFAMA named, then the terms', async (typed) => {
    const w = await world();
    await asCcf(w);
    const r = await say(w.client, typed);
    expect(r.text).toContain(withCaja('bienvenida'));
    expect(r.folded).toContain(TERMS_Q);
    expect(buttons(r)).toEqual(expect.arrayContaining(['Acepto', 'No acepto']));
  });

  it.each([
    ['the typo "servicos web"', 'servicos web'],
    ['"¿Qué está buscando?" then "administracion de servicios web"', 'administracion de servicios web'],
  ])('%s: the search offers it first, and its "Comenzar" opens the terms', async (_name, typed) => {
    const w = await world();
    await asCcf(w);
    if (!typed.includes('servicos')) expect((await say(w.client, '¿Qué está buscando?')).folded).toContain(fold('escribalo con sus palabras'));
    const results = await say(w.client, typed);
    const comenzar = elements(adaptive(results)).filter((e) => e['type'] === 'Action.Submit' && (e['data'] as CardNode)['__action'] === 'comenzar');
    expect(comenzar.map((e) => (e['data'] as CardNode)['id'])[0]).toBe('servicios-web');
    const r = await say(w.client, { value: comenzar[0]!['data'] as Record<string, unknown> });
    expect(r.folded).toContain(TERMS_Q);
  });

  it.each(['quiero ver los servicios', 'mis servicios'])(
    '"%s" (words of several functionalities): the search lists the module, Compartir, then ¿En qué voy?; nothing of another role',
    async (typed) => {
      const w = await world();
      await asCcf(w);
      const results = await say(w.client, typed);
      const ids = elements(adaptive(results))
        .filter((e) => e['type'] === 'Action.Submit' && (e['data'] as CardNode)['__action'] === 'comenzar')
        .map((e) => (e['data'] as CardNode)['id']);
      // ¿En qué voy? only mentions the services in its description; the module and Compartir name them in their
      // titles. The Ministry's catalog and assignments rank as high but are not his: they leave room, not a gap.
      expect(ids).toEqual(['servicios-web', 'compartir', 'estado']);
    },
  );

  it('"como veo el swagger de consulta" at the main menu: the search\'s Comenzar, the terms, then that service\'s documentation without asking which', async () => {
    const w = await world();
    await asCcf(w);
    const results = await say(w.client, 'como veo el swagger de consulta');
    expect(results.folded).toContain(fold(titleOf('swagger')));
    expect((await say(w.client, 'comenzar')).folded).toContain(TERMS_Q);
    const r = await say(w.client, 'Acepto');
    expect(r.text).toContain('Documentación de **GET ConsultaAfiliacion**');
    expect(r.folded).not.toContain(fold('de cual servicio'));
  });

  it('"client id de la solicitud" at the main menu, the terms accepted before: the search\'s one result, then that service\'s information', async () => {
    const w = await world({ aceptados: true });
    await asCcf(w);
    expect((await say(w.client, 'client id de la solicitud')).folded).toContain(fold(titleOf('info-servicio')));
    const r = await say(w.client, 'comenzar');
    expect(r.text).toContain('Información Servicio — SolicitudAfiliacion');
    expect(r.folded).not.toContain(fold('de cual servicio'));
  });

  it('Andrés acting as Ciudadano asking for it is moved to his one CCF role, and it opens', async () => {
    const w = await world();
    await actingAs(w, andres, 'Ciudadano', 'Ahora actúa como Ciudadano');
    const r = await say(w.client, 'servicios web');
    expect(r.folded).toContain(fold('Ahora actúa como Caja de compensación familiar — COMFAMA'));
    expect(r.folded).toContain(TERMS_Q);
  });
});

// ------------------------------------------------------------------------------ who may use it

const NOT_FOR_YOU = fold(
  '**Administración de Servicios Web** es para las personas autorizadas de una Caja de Compensación Familiar, actuando en el rol Caja de compensación familiar, una vez el Ministerio de Salud activó ese rol, y usted no tiene ese rol.',
);
const STEP_4 = 'Falta el **paso 4: Activación del rol Caja de Compensación Familiar y asignación de servicios (Ministerio de Salud)**.';

describe('who may use it', () => {
  it.each([
    {
      who: 'Carlos acting as Ciudadano (no CCF role; he works at COMPENSAR)',
      p: carlos, rol: 'Ciudadano', opts: {},
      step: 'Falta el **paso 2: Registrar rol empleador persona jurídica**. El representante legal de CAJA DE COMPENSACIÓN FAMILIAR COMPENSAR debe registrar el rol empleador persona jurídica y designar un delegado; después, el delegado (o el representante legal) lo autoriza a usted en **Administrar autorizados**.',
    },
    {
      who: 'Carlos acting as Administrador MinSalud',
      p: carlos, rol: 'Administrador MinSalud', opts: {},
      step: 'Falta el **paso 2: Registrar rol empleador persona jurídica**. El representante legal de CAJA DE COMPENSACIÓN FAMILIAR COMPENSAR',
    },
    {
      who: "José (COMFAMA's RL) acting as employer, COMFAMA's role not active",
      p: jose, rol: 'empleador', opts: { activo: false },
      step: `${STEP_4} El Ministerio de Salud debe activar el rol Caja de Compensación Familiar.`,
    },
    {
      who: "José (COMFAMA's RL) acting as employer, COMFAMA ready",
      p: jose, rol: 'empleador', opts: {},
      step: 'Falta el **paso 5: Administración de Servicios Web**. Andrés Felipe Zapata (persona autorizada) debe entrar a **Administración de Servicios Web** y aceptar las condiciones de uso y la política de privacidad.',
    },
  ])('$who is told it is not for him, which step is missing and who must do it; audited; nothing opens', async ({ p, rol, opts, step }) => {
    const w = await world(opts);
    await actingAs(w, p, rol, 'Ahora actúa como');
    const before = await snapshot(w);
    const r = await say(w.client, 'Administración de Servicios Web');
    expect(r.folded).toContain(NOT_FOR_YOU);
    expect(r.text).toContain(step);
    expect(r.folded).toContain(fold('¿Qué desea hacer ahora'));
    expect(r.folded).not.toContain(TERMS_Q);
    const refusals = await auditOf(w, 'proceso.no_permitido');
    expect(refusals).toEqual([expect.objectContaining({ detail: { proceso: 'servicios-web' }, channel: 'test' })]);
    expect(JSON.stringify(refusals)).not.toContain(p.numeroDocumento);
    expect(await snapshot(w)).toBe(before);
  });

  it.each([
    ['Términos y condiciones', 'terminos'],
    ['Documentación Swagger', 'swagger'],
    ['Información del servicio', 'info-servicio'],
  ])('José asking for "%s" is refused the same way, audited as that process', async (typed, proceso) => {
    const w = await world();
    await actingAs(w, jose, 'empleador', 'Ahora actúa como Empleador');
    const r = await say(w.client, typed);
    expect(r.text).toContain('y usted no tiene ese rol');
    expect(r.text).toContain('Falta el **paso 5: Administración de Servicios Web**.');
    expect(r.folded).not.toMatch(/acepta las condiciones|client id|de cual servicio/);
    expect(await auditOf(w, 'proceso.no_permitido')).toEqual([expect.objectContaining({ detail: { proceso } })]);
  });

  it.each(['Administración de Servicios Web', 'Términos y condiciones', 'Documentación Swagger', 'Información del servicio'])(
    'Andrés before the Ministry activates COMFAMA\'s role, asking for "%s": step 4, the Ministry must activate it; audited; no terms, nothing recorded',
    async (typed) => {
      const w = await world({ activo: false });
      await asCcf(w);
      const r = await say(w.client, typed);
      expect(r.text).toContain(`Todavía no puede usar **Administración de Servicios Web**.\n\n${STEP_4} El Ministerio de Salud debe activar el rol Caja de Compensación Familiar.`);
      expect(r.folded).toContain(MENU);
      expect(r.folded).not.toContain(TERMS_Q);
      expect(await decisions(w)).toEqual([]);
      const refusals = await auditOf(w, 'servicios.rechazado');
      expect(refusals).toEqual([expect.objectContaining({ detail: { motivo: 'SERVICIOS.ROL_CCF_INACTIVO' }, channel: 'test' })]);
      expect(refusals[0]!.subject).toBeUndefined();
    },
  );

  it('after the Ministry deactivates the role, while Andrés is in the module: step 4 with the reactivation text, no documentation; the same from the menu', async () => {
    const w = await world({ aceptados: true });
    await asCcf(w);
    expect((await say(w.client, 'Administración de Servicios Web')).folded).toContain(CATALOG);
    await deactivate(w);
    const r = await say(w.client, 'Ver documentación');
    const refusal = `Todavía no puede usar **Administración de Servicios Web**.\n\n${STEP_4} El Ministerio de Salud desactivó el rol Caja de Compensación Familiar; comuníquese con la mesa de ayuda.`;
    expect(r.text).toContain(refusal);
    expect(r.folded).not.toMatch(/post solicitudafiliacion|de cual servicio/);
    expect(await seen(w)).toEqual([]);
    const again = await say(w.client, 'Administración de Servicios Web');
    expect(again.text).toContain(refusal);
    expect(again.folded).not.toContain(CATALOG);
    // Each refusal audited with its reason (how many times: see the known bugs).
    expect(new Set((await auditOf(w, 'servicios.rechazado')).map((e) => JSON.stringify(e.detail)))).toEqual(new Set(['{"motivo":"SERVICIOS.ROL_CCF_INACTIVO"}']));
  });

  it('his authorization revoked while his session acts as COMFAMA: step 3, the RL or the delegate must authorize him; no Client ID; audited', async () => {
    const w = await world({ aceptados: true });
    await asCcf(w);
    expect((await say(w.client, 'Administración de Servicios Web')).folded).toContain(CATALOG);
    await revokeAndres(w);
    const r = await say(w.client, 'Información Servicio');
    const refusal =
      'Todavía no puede usar **Administración de Servicios Web**.\n\nFalta el **paso 3: Administrar autorizados**. El representante legal o el delegado de CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA debe autorizarle en **Administrar autorizados**';
    expect(r.text).toContain(refusal);
    expect(r.text).not.toContain(await clientIdOf(w, 'SolicitudAfiliacion'));
    for (const typed of ['Administración de Servicios Web', 'Documentación Swagger', 'Información del servicio', 'Términos y condiciones']) {
      const again = await say(w.client, typed);
      expect(again.text, typed).toContain(refusal);
      expect(again.folded, typed).not.toMatch(/acepta las condiciones|estos son los servicios|client id de comfama/);
    }
    const refusals = await auditOf(w, 'servicios.rechazado');
    expect(refusals.length).toBeGreaterThanOrEqual(5);
    expect(new Set(refusals.map((e) => JSON.stringify(e.detail)))).toEqual(new Set(['{"motivo":"SERVICIOS.NO_AUTORIZADO"}']));
    expect(await seen(w)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ the terms

describe('Condiciones de uso y política de privacidad y retención', () => {
  it('first use: both documents with their version and date, their summary and the link to the full text; nothing recorded yet', async () => {
    const w = await world();
    await asCcf(w);
    const r = await say(w.client, 'Administración de Servicios Web');
    const terms = messages<Terminos>('servicios/terminos');
    const [card] = adaptive(r);
    const blocks = textBlocks(card!);
    expect(blocks).toContain('**Condiciones de uso de la Administración de Servicios Web** (versión 1.0 del 01/12/2026)');
    expect(blocks).toContain('**Política de privacidad y retención de la Administración de Servicios Web** (versión 1.0 del 01/12/2026)');
    for (const d of terms.documentos) for (const line of d.resumen) expect(blocks).toContain(`- ${line}`);
    expect(blocks).toContain(`Texto completo: ${TERMS_LINK}`);
    // A channel without cards reads the same in the fallback.
    expect(String(card!['fallbackText'])).toContain(`versión 1.0 del 01/12/2026)\n- ${terms.documentos[1]!.resumen[0]}`);
    expect(String(card!['fallbackText'])).toContain(TERMS_LINK);
    expect(r.folded).toContain(TERMS_Q);
    expect(buttons(r)).toEqual(['Acepto', 'No acepto']);
    expect(await decisions(w)).toEqual([]);
  });

  it('"Acepto": recorded (versions, person, CCF, channel, time) and audited; then the catalog', async () => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    const r = await say(w.client, 'Acepto');
    expect(r.text).toContain(
      'Listo: el 26 de noviembre de 2026 a las 10:00 a. m. quedó registrado que aceptó las condiciones (Condiciones de uso v1.0, Política de privacidad y retención v1.0).',
    );
    expect(r.folded).toContain(CATALOG);
    expect(await decisions(w)).toEqual([
      { id: expect.any(String), citizenId: ANDRES, nit: COMFAMA_NIT, versiones: { condiciones: '1.0', privacidad: '1.0' }, decision: 'acepto', en: START, canal: 'test' },
    ]);
    expect(await auditOf(w, 'servicios.terminos_aceptados')).toEqual([
      expect.objectContaining({ subject: 'NIT 890.900.841-9', detail: { versiones: 'condiciones 1.0, privacidad 1.0' }, channel: 'test' }),
    ]);
  });

  it('"No acepto": recorded and audited; nothing of the module opens, not even by name; the terms are asked again', async () => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    const r = await say(w.client, 'No acepto');
    expect(r.text).toContain('Registramos que **no acepta** las condiciones. Sin aceptarlas no puede usar la Administración de Servicios Web: no se abre ninguna de sus opciones.');
    expect(buttons(r)).toEqual(['Leer de nuevo', 'Terminar']);
    expect(await decisions(w)).toEqual([expect.objectContaining({ decision: 'no_acepto', versiones: { condiciones: '1.0', privacidad: '1.0' }, canal: 'test', en: START })]);
    expect(await auditOf(w, 'servicios.terminos_rechazados')).toEqual([expect.objectContaining({ subject: 'NIT 890.900.841-9', detail: { versiones: 'condiciones 1.0, privacidad 1.0' } })]);
    // At the decline's question, a service is no answer; the module's options start them as from the menu: the terms again, never a service.
    const reask = await say(w.client, 'solicitud afiliacion');
    expect(reask.folded).toContain(fold('Elija una de las opciones'));
    expect(buttons(reask)).toEqual(['Leer de nuevo', 'Terminar']);
    const terms = await say(w.client, 'Información Servicio');
    expect(terms.folded).toContain(TERMS_Q);
    expect(terms.folded).not.toMatch(/client id de comfama|post solicitudafiliacion|estos son los servicios|de cual servicio/);
    expect((await say(w.client, 'atrás')).folded).toContain(MENU);
    // From the main menu and the search: the terms again, never a service.
    for (const typed of ['Información del servicio', 'Documentación Swagger', 'Administración de Servicios Web', 'Términos y condiciones']) {
      const again = await say(w.client, typed);
      expect(again.folded, typed).toContain(TERMS_Q);
      expect(again.folded, typed).not.toMatch(/client id de comfama|post solicitudafiliacion|estos son los servicios|de cual servicio/);
      expect((await say(w.client, 'atrás')).folded, typed).toContain(MENU);
    }
    // "swagger" names one functionality of this role (the other is the Ministry's catalog): straight to it, so the terms.
    const swagger = await say(w.client, 'swagger');
    expect(swagger.folded).toContain(TERMS_Q);
    expect(swagger.folded).not.toContain(fold('post solicitudafiliacion'));
    await say(w.client, 'atrás');
    expect((await say(w.client, 'servicios')).text).toContain('Compartir Servicios Entidad');
    const viaSearch = await say(w.client, '1');
    expect(viaSearch.folded).toContain(TERMS_Q);
    expect(viaSearch.folded).not.toContain(fold('post solicitudafiliacion'));
    expect(await seen(w)).toEqual([]);
    expect(await auditOf(w, 'servicios.documentacion_abierta')).toEqual([]);
    expect((await decisions(w)).map((d) => d.decision)).toEqual(['no_acepto']);
  });

  it('"Leer de nuevo" shows the terms again, and accepting then opens the catalog; ¿en qué voy? showed the decline meanwhile', async () => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    await say(w.client, 'No acepto');
    const estado = await say(w.client, '¿en qué voy?');
    expect(estado.text).toContain('no aceptó las condiciones de uso (condiciones 1.0, privacidad 1.0) el 26/11; la Administración de Servicios Web queda bloqueada hasta que las acepte.');
    const again = await say(w.client, 'Leer de nuevo');
    expect(textBlocks(adaptive(again)[0]!)).toContain('**Condiciones de uso de la Administración de Servicios Web** (versión 1.0 del 01/12/2026)');
    expect(again.folded).toContain(TERMS_Q);
    expect(await decisions(w)).toHaveLength(1);
    expect((await say(w.client, 'Acepto')).folded).toContain(CATALOG);
    expect((await decisions(w)).map((d) => d.decision)).toEqual(['no_acepto', 'acepto']);
  });

  it('"Terminar" after declining ends with the main menu', async () => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    await say(w.client, 'No acepto');
    const r = await say(w.client, 'Terminar');
    expect(r.folded).toContain(MENU);
    expect(buttons(r)).toContain('Administración de Servicios Web');
  });

  it('accepted once: the next use goes straight to the catalog, in another session too; "Términos y condiciones" shows when and what was accepted', async () => {
    const w = await world();
    await accepted(w);
    await say(w.client, 'Terminar');
    const next = await say(w.client, 'Administración de Servicios Web');
    expect(next.folded).toContain(CATALOG);
    expect(next.folded).not.toContain(TERMS_Q);
    await say(w.client, 'salir');
    w.clock.advance(DAY);
    await asCcf(w);
    expect((await say(w.client, 'servicios web')).folded).not.toContain(TERMS_Q);
    await say(w.client, 'Terminar');
    const terms = await say(w.client, 'Términos y condiciones');
    expect(terms.text).toContain(
      'El 26 de noviembre de 2026 a las 10:00 a. m. usted aceptó las condiciones de uso y la política de privacidad y retención (Condiciones de uso v1.0, Política de privacidad y retención v1.0).',
    );
    expect(terms.text).toContain(`Texto completo: ${TERMS_LINK}`);
    expect(terms.folded).not.toContain(TERMS_Q);
    expect(await decisions(w)).toHaveLength(1);
  });

  it('a new version: the next use asks again, naming the earlier acceptance and the new version; accepting records it next to the old one', async () => {
    const w = await world({ aceptados: true });
    w.clock.advance(DAY);
    publishNew();
    await asCcf(w);
    const r = await say(w.client, 'Administración de Servicios Web');
    expect(r.text).toContain('Se publicó una nueva versión de las condiciones (usted había aceptado la anterior el 26/11/2026).');
    expect(textBlocks(adaptive(r)[0]!)).toContain('**Condiciones de uso de la Administración de Servicios Web** (versión 1.1 del 15/01/2027)');
    expect(r.folded).toContain(TERMS_Q);
    expect((await say(w.client, 'Acepto')).text).toContain('(Condiciones de uso v1.1, Política de privacidad y retención v1.0)');
    expect((await decisions(w)).map((d) => [d.versiones, d.decision, d.en])).toEqual([
      [{ condiciones: '1.0', privacidad: '1.0' }, 'acepto', START],
      [{ condiciones: '1.1', privacidad: '1.0' }, 'acepto', new Date(Date.parse(START) + DAY).toISOString()],
    ]);
  });

  it('a new version published while Andrés is in the module: the next action says to accept the terms first; "Términos y condiciones" asks them', async () => {
    const w = await world({ aceptados: true });
    await asCcf(w);
    expect((await say(w.client, 'Administración de Servicios Web')).folded).toContain(CATALOG);
    publishNew();
    const r = await say(w.client, 'Ver documentación');
    expect(r.text).toContain('Todavía no puede usar **Administración de Servicios Web**. Primero debe aceptar las condiciones de uso y la política de privacidad y retención: escriba **Términos y condiciones**.');
    expect(r.folded).not.toContain(fold('de cual servicio'));
    expect(await auditOf(w, 'servicios.rechazado')).toContainEqual(expect.objectContaining({ detail: { motivo: 'SERVICIOS.TERMINOS_PENDIENTES' } }));
    const terms = await say(w.client, 'Términos y condiciones');
    expect(terms.text).toContain('usted había aceptado la anterior el 26/11/2026');
    expect(terms.folded).toContain(TERMS_Q);
  });

  it.each([
    ['Acepto', 'acepto'],
    ['acepto', 'acepto'],
    ['1', 'acepto'],
    ['la primera', 'acepto'],
    ['No acepto', 'no_acepto'],
    ['no acepto', 'no_acepto'],
    ['no', 'no_acepto'],
    ['2', 'no_acepto'],
  ] as const)('typed "%s" is read as %s', async (typed, decision) => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    const r = await say(w.client, typed);
    expect(r.folded).toContain(decision === 'acepto' ? CATALOG : fold('Registramos que no acepta'));
    expect((await decisions(w)).map((d) => d.decision)).toEqual([decision]);
  });
});

// ------------------------------------------------------------------------------ the catalog

describe('Menú principal de la funcionalidad: the catalog', () => {
  it("exactly COMFAMA's services, active first, with method, identifier, name, state and reasons; never COMFENALCO's", async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion', 'ConsultaAfiliacion', 'RetiroAfiliado', 'ConsultaBeneficiarios'], comfenalco: true });
    await suspend(w, 'RetiroAfiliado');
    await revoke(w, 'ConsultaBeneficiarios');
    const r = await accepted(w);
    expect(r.text).toContain('Estos son los servicios web que el Ministerio de Salud asignó a **COMFAMA** (4):');
    expect(catalogRows(r)).toEqual([
      'GET ConsultaAfiliacion — Consulta de afiliación — Estado: Activo',
      'POST SolicitudAfiliacion — Solicitud de afiliación — Estado: Activo',
      'POST RetiroAfiliado — Retiro de afiliado — Estado: Suspendido (motivo: Mantenimiento del servicio)',
      'GET ConsultaBeneficiarios — Consulta de beneficiarios — Estado: Revocado (motivo: Uso indebido del servicio)',
    ]);
    expect(textBlocks(adaptive(r)[0]!)).toEqual(expect.arrayContaining(['Servicios asignados a COMFAMA', 'Estado: Suspendido (motivo: Mantenimiento del servicio)']));
    expect(buttons(r)).toEqual(ACTIONS);
    expect(r.text).not.toMatch(/ReporteNovedad|ConsultaSubsidioCuotaMonetaria|COMFENALCO/i);
    // Not in the lists of the actions either.
    const doc = await say(w.client, 'Ver documentación');
    expect(doc.text).not.toMatch(/ReporteNovedad|ConsultaSubsidioCuotaMonetaria/);
    await say(w.client, 'atrás');
    const info = await say(w.client, 'Información Servicio');
    expect(info.text).not.toMatch(/ReporteNovedad|ConsultaSubsidioCuotaMonetaria/);
    const sol = await say(w.client, 'solicitud afiliacion');
    expect(sol.text).toContain(await clientIdOf(w, 'SolicitudAfiliacion'));
    expect(sol.text).not.toContain(await clientIdOf(w, 'SolicitudAfiliacion', COMFENALCO_NIT));
  });

  it('a retired service is listed with its state and the reason', async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion', 'ReporteNovedad'] });
    await retire(w, 'ReporteNovedad');
    const r = await accepted(w);
    expect(catalogRows(r)).toContain('POST ReporteNovedad — Reporte de novedad — Estado: Retirado del catálogo (motivo: Ya no se usa en el SAT)');
  });

  it.each([
    ['Compartir Servicios Entidad', '**COMFAMA** todavía no comparte servicios con el Ministerio.', ['Nuevo servicio', 'Volver']],
    ['Asignar contraseña', 'Escriba la **nueva contraseña** en el campo protegido de la tarjeta.', ['Enviar']],
  ])('"%s" opens its section (no longer "llegará pronto"); atrás goes back to the module menu; nothing recorded', async (action, opens, offered) => {
    const w = await world();
    await accepted(w);
    const before = await snapshot(w);
    const r = await say(w.client, action);
    expect(r.text).toContain(opens);
    expect(r.text).not.toContain('llegará pronto');
    expect(buttons(r)).toEqual(offered);
    expect(r.folded).not.toContain(CATALOG);
    const back = await say(w.client, 'atrás');
    expect(back.folded).toContain(MODULE_AGAIN);
    expect(buttons(back)).toEqual(ACTIONS);
    expect(await snapshot(w)).toBe(before);
  });

  it.each(['Terminar', '5'])('"%s" ends with the main menu', async (typed) => {
    const w = await world();
    await accepted(w);
    const r = await say(w.client, typed);
    expect(r.folded).toContain(MENU);
    expect(buttons(r)).toEqual(expect.arrayContaining(['Administración de Servicios Web', '¿En qué voy?', 'Salir']));
  });

  it('no services assigned: says so after accepting, and at each entry; no menu of actions', async () => {
    const w = await world({ servicios: [] });
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    const r = await say(w.client, 'Acepto');
    const none = 'El Ministerio de Salud todavía no ha asignado servicios web a **COMFAMA**.';
    expect(r.text).toContain(none);
    expect(r.folded).toContain(MENU);
    expect(buttons(r)).not.toContain('Ver documentación');
    for (const typed of ['Documentación Swagger', 'Información del servicio']) expect((await say(w.client, typed)).text, typed).toContain(none);
  });
});

// ------------------------------------------------------------------------------ Ver documentación

const SOLICITUD_REQUIRED = [
  'trabajador', 'trabajador.tipoDocumento', 'trabajador.numeroDocumento', 'trabajador.primerNombre', 'trabajador.primerApellido',
  'trabajador.fechaNacimiento', 'trabajador.sexo', 'trabajador.municipioResidencia', 'empleador', 'empleador.nit',
  'empleador.digitoVerificacion', 'codigoCcf', 'tipoAfiliado', 'fechaInicio', 'salarioBasicoMensual',
];

describe('Ver documentación', () => {
  it('one service: no question; the card names POST SolicitudAfiliacion, its required fields, responses, token URL and opens the full page; the message is its intro', async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion'] });
    await accepted(w);
    const r = await say(w.client, 'Ver documentación');
    expect(r.folded).not.toContain(fold('de cual servicio'));
    const doc = r.activities.find((a) => a.attachments?.some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive'))!;
    expect(doc.text).toBe(
      `Documentación de **POST SolicitudAfiliacion**. Con el botón **Ver documentación completa (Swagger)** se abre la página con Swagger UI; el enlace es personal y vence en ${DOC_LINK_MINUTES} minutos.`,
    );
    const [card] = adaptive(r);
    const blocks = textBlocks(card!);
    expect(blocks[0]).toBe('POST SolicitudAfiliacion');
    expect(blocks).toContain('`POST https://api.sat.example/v1/afiliaciones/solicitudes`');
    for (const f of SOLICITUD_REQUIRED) expect(blocks.some((b) => b.startsWith(`**${f}** · `) && b.endsWith(' · obligatorio')), f).toBe(true);
    expect(blocks).toContain('**trabajador.segundoNombre** · string | null · opcional');
    expect(blocks.flatMap((b) => /^\*\*(\d{3})\*\* — /.exec(b)?.[1] ?? [])).toEqual(['201', '400', '401', '403', '404', '409', '422', '500']);
    expect(facts(card!)['URL del token']).toBe('https://auth.sat.example/oauth2/token');
    expect(elements(card!['body']).some((e) => e['type'] === 'CodeBlock')).toBe(true);
    expect(card!['actions']).toEqual([{ type: 'Action.OpenUrl', title: 'Ver documentación completa (Swagger)', url: docLink('SolicitudAfiliacion') }]);
    // The message is not a second copy of the card.
    expect(doc.text).not.toMatch(/trabajador|Respuestas|obligatorio|oauth2/);
    expect(r.folded).toContain(MODULE_AGAIN);
  });

  it('a service seen is recorded (first and last time) and each opening audited via the chat; no Client ID in the documentation', async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion'] });
    await accepted(w);
    const first = await say(w.client, 'Ver documentación');
    expect(await seen(w)).toEqual([{ id: `${COMFAMA_NIT}:SolicitudAfiliacion`, nit: COMFAMA_NIT, servicioId: 'SolicitudAfiliacion', primeraVez: START, ultimaVez: START }]);
    w.clock.advance(60_000);
    await say(w.client, 'Ver documentación');
    expect(await seen(w)).toEqual([expect.objectContaining({ primeraVez: START, ultimaVez: new Date(Date.parse(START) + 60_000).toISOString() })]);
    expect(await auditOf(w, 'servicios.documentacion_abierta')).toEqual(
      Array(2).fill(expect.objectContaining({ subject: 'NIT 890.900.841-9', detail: { servicio: 'SolicitudAfiliacion', via: 'chat' }, channel: 'test' })),
    );
    expect(JSON.stringify(first.activities)).not.toContain(await clientIdOf(w, 'SolicitudAfiliacion'));
  });

  it('several services: a numbered question with the documentable ones only (not the revoked one); atrás goes back to the module menu', async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion', 'ConsultaAfiliacion', 'RetiroAfiliado', 'ConsultaBeneficiarios'] });
    await suspend(w, 'RetiroAfiliado');
    await revoke(w, 'ConsultaBeneficiarios');
    await accepted(w);
    const r = await say(w.client, 'Ver documentación');
    expect(r.text).toContain(
      '¿De cuál servicio desea ver la documentación?\n\n1. GET ConsultaAfiliacion — Consulta de afiliación\n2. POST SolicitudAfiliacion — Solicitud de afiliación\n3. POST RetiroAfiliado — Retiro de afiliado',
    );
    expect(r.text).not.toContain('ConsultaBeneficiarios');
    // Only one "Consulta…" can be documented: "consulta" is that one.
    const consulta = await say(w.client, 'consulta');
    expect(consulta.text).toContain('Documentación de **GET ConsultaAfiliacion**');
    await say(w.client, 'Ver documentación');
    const back = await say(w.client, 'atrás');
    expect(back.folded).toContain(MODULE_AGAIN);
    expect(buttons(back)).toEqual(ACTIONS);
  });

  it.each([
    ['solicitud afiliacion', 'POST SolicitudAfiliacion'],
    ['2', 'POST SolicitudAfiliacion'],
    ['POST SolicitudAfiliacion — Solicitud de afiliación', 'POST SolicitudAfiliacion'],
    ['SolicitudAfiliacion', 'POST SolicitudAfiliacion'],
    ['consulta de afiliacion', 'GET ConsultaAfiliacion'],
  ])('"%s" opens the documentation of %s', async (typed, opened) => {
    const w = await world();
    await accepted(w);
    expect((await say(w.client, 'Ver documentación')).text).toContain('1. GET ConsultaAfiliacion — Consulta de afiliación\n2. POST SolicitudAfiliacion — Solicitud de afiliación');
    const r = await say(w.client, typed);
    expect(r.text).toContain(`Documentación de **${opened}**`);
    expect(textBlocks(adaptive(r)[0]!)[0]).toBe(opened);
  });

  it('"consulta" when two services are "Consulta…": asks which, with their numbers; the number opens it', async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion', 'ConsultaAfiliacion', 'ConsultaBeneficiarios'] });
    await accepted(w);
    await say(w.client, 'Ver documentación');
    const r = await say(w.client, 'consulta');
    expect(r.text).toContain('"consulta" coincide con 2 opciones');
    expect(r.text).toContain('1. GET ConsultaAfiliacion — Consulta de afiliación\n2. GET ConsultaBeneficiarios — Consulta de beneficiarios');
    expect(await seen(w)).toEqual([]);
    expect((await say(w.client, '2')).text).toContain('Documentación de **GET ConsultaBeneficiarios**');
  });

  it('every service revoked: says none can be documented now and points to Información Servicio', async () => {
    const w = await world({ servicios: ['ConsultaBeneficiarios'] });
    await revoke(w, 'ConsultaBeneficiarios');
    await accepted(w);
    const r = await say(w.client, 'Ver documentación');
    expect(r.text).toContain('Ninguno de los servicios de **COMFAMA** tiene la documentación disponible ahora');
    expect(r.folded).toContain(MODULE_AGAIN);
    expect(await auditOf(w, 'servicios.documentacion_abierta')).toEqual([]);
  });

  it('"Documentación Swagger" from the main menu, terms accepted: the question, then the card, then the module\'s menu; atrás goes to the module\'s menu', async () => {
    const w = await world({ aceptados: true });
    await asCcf(w);
    expect((await say(w.client, 'Documentación Swagger')).folded).toContain(fold('¿De cuál servicio desea ver la documentación?'));
    expect((await say(w.client, 'atrás')).folded).toContain(MODULE_AGAIN);
    expect((await say(w.client, 'Terminar')).folded).toContain(MENU);
    await say(w.client, 'Documentación Swagger');
    const r = await say(w.client, '2');
    expect(r.text).toContain('Documentación de **POST SolicitudAfiliacion**');
    expect(r.folded).toContain(MODULE_AGAIN);
  });
});

// ------------------------------------------------------------------------------ Información Servicio

describe("the module menu reads the functionality's own words, and a service named with them", () => {
  it.each([
    ['swagger de consulta', 'Documentación de **GET ConsultaAfiliacion**'],
    ['como veo el swagger de la solicitud?', 'Documentación de **POST SolicitudAfiliacion**'],
    ['cual es el client id de consulta', 'Información Servicio — ConsultaAfiliacion'],
    ['info de la solicitud', 'Información Servicio — SolicitudAfiliacion'],
  ])('"%s": that service\'s section at once, then the module again', async (typed, shown) => {
    const w = await world();
    await accepted(w);
    const r = await say(w.client, typed);
    expect(r.text).toContain(shown);
    expect(r.folded).not.toContain(fold('de cual servicio'));
    expect(r.folded).toContain(MODULE_AGAIN);
  });

  it.each([
    ['swagger', '¿De cuál servicio desea ver la documentación?'],
    ['el client id', '¿De cuál servicio desea ver la información?'],
  ])('"%s" names no service: that section asks which one', async (typed, question) => {
    const w = await world();
    await accepted(w);
    const r = await say(w.client, typed);
    expect(r.text).toContain(question);
    expect(buttons(r)).toEqual(SERVICES);
  });

  it('"credenciales oauth" opens Compartir Servicios Entidad', async () => {
    const w = await world();
    await accepted(w);
    const r = await say(w.client, 'credenciales oauth');
    expect(r.text).toContain('**COMFAMA** todavía no comparte servicios con el Ministerio.');
    expect(buttons(r)).toEqual(['Nuevo servicio', 'Volver']);
  });
});

describe('Información Servicio', () => {
  it("name, identifier, description, COMFAMA's Client ID (as stored), state, assignment date, version, token endpoint and grant type; recorded as seen", async () => {
    const w = await world({ comfenalco: true });
    await accepted(w);
    await say(w.client, 'Información Servicio');
    const r = await say(w.client, 'solicitud afiliacion');
    const servicio = (await w.deps.store.transaction((tx) => tx.collection('servicios').get('SolicitudAfiliacion')))!;
    const stored = (await list(w, 'asignaciones')).find((a) => a.nit === COMFAMA_NIT && a.servicioId === 'SolicitudAfiliacion')!;
    expect(r.text).toContain('Información Servicio — SolicitudAfiliacion');
    expect(facts(adaptive(r)[0]!)).toEqual({
      Nombre: 'Solicitud de afiliación',
      Identificador: 'SolicitudAfiliacion',
      Descripción: servicio.descripcion,
      'Método y ruta': 'POST /afiliaciones/solicitudes',
      'Client ID de COMFAMA': stored.clientId,
      Estado: 'Activo',
      'Asignado el': '26/11/2026',
      Versión: '1.0.0',
      'Endpoint del token': 'https://auth.sat.example/oauth2/token',
      'Tipo de concesión (grant type)': 'client_credentials (credenciales del cliente)',
    });
    expect(stored.clientId).not.toBe(await clientIdOf(w, 'SolicitudAfiliacion', COMFENALCO_NIT));
    expect(r.text).not.toContain(await clientIdOf(w, 'SolicitudAfiliacion', COMFENALCO_NIT));
    expect(r.text).not.toContain(await clientIdOf(w, 'ConsultaAfiliacion'));
    expect(r.text).not.toMatch(/suspendió|revocó|retiró/);
    expect(r.folded).toContain(MODULE_AGAIN);
    expect((await seen(w)).map((v) => v.servicioId)).toEqual(['SolicitudAfiliacion']);
  });

  it.each([
    {
      state: 'suspended', change: suspend, estado: 'Suspendido',
      warning: '⚠️ El Ministerio de Salud **suspendió** este servicio el 27/11/2026 (motivo: Mantenimiento del servicio): mientras esté suspendido no se puede consumir.',
    },
    {
      state: 'revoked', change: revoke, estado: 'Revocado',
      warning: '⛔ El Ministerio de Salud **revocó** la asignación de este servicio el 27/11/2026 (motivo: Uso indebido del servicio): su Client ID ya no sirve.',
    },
    {
      state: 'retired', change: retire, estado: 'Retirado del catálogo',
      warning: '⛔ El Ministerio de Salud **retiró** este servicio del catálogo el 27/11/2026 (motivo: Ya no se usa en el SAT).',
    },
  ])('a $state service says so, when and why', async ({ change, estado, warning }) => {
    const w = await world({ servicios: ['SolicitudAfiliacion', 'RetiroAfiliado'] });
    w.clock.advance(DAY);
    await change(w, 'RetiroAfiliado');
    await accepted(w);
    await say(w.client, 'Información Servicio');
    const r = await say(w.client, 'retiro');
    expect(r.text).toContain(warning);
    expect(facts(adaptive(r)[0]!)).toMatchObject({ Identificador: 'RetiroAfiliado', Estado: estado, 'Asignado el': '26/11/2026' });
    expect(r.text).not.toContain(await clientIdOf(w, 'SolicitudAfiliacion'));
  });

  it('"Información del servicio" from the main menu with one service: no question, the information at once', async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion'], aceptados: true });
    await asCcf(w);
    const r = await say(w.client, 'Información del servicio');
    expect(r.folded).not.toContain(fold('de cual servicio'));
    expect(facts(adaptive(r)[0]!)['Client ID de COMFAMA']).toBe(await clientIdOf(w, 'SolicitudAfiliacion'));
    expect(r.folded).toContain(MODULE_AGAIN);
  });
});

// ------------------------------------------------------------------------------ every prompt

interface Prompt {
  readonly name: string;
  /** Andrés, acting as COMFAMA, reaches the question from the main menu with these inputs. */
  readonly reach: readonly Input[];
  readonly aceptados?: boolean;
  /** The question (as written) and its options (the buttons). */
  readonly question: string;
  readonly options: readonly string[];
  /** The step's own help and name (templates/es/servicios/textos.json keys). */
  readonly key: 'terminos' | 'rechazo' | 'menu' | 'servicio';
  /** What "atrás" shows (folded). */
  readonly back: string;
  /** A good answer and what it leads to. */
  readonly good: Input;
  readonly next: string;
}

const SERVICES = ['GET ConsultaAfiliacion — Consulta de afiliación', 'POST SolicitudAfiliacion — Solicitud de afiliación'];
const PROMPTS: Prompt[] = [
  {
    name: 'the terms', reach: ['Administración de Servicios Web'], question: '¿Acepta las condiciones de uso y la política de privacidad y retención?',
    options: ['Acepto', 'No acepto'], key: 'terminos', back: MENU, good: 'Acepto', next: CATALOG,
  },
  {
    name: 'after declining', reach: ['Administración de Servicios Web', 'No acepto'], question: '¿Qué desea hacer?',
    options: ['Leer de nuevo', 'Terminar'], key: 'rechazo', back: TERMS_Q, good: 'Leer de nuevo', next: TERMS_Q,
  },
  {
    name: 'the module menu', reach: ['Administración de Servicios Web'], aceptados: true, question: '¿Qué desea hacer?',
    options: ACTIONS, key: 'menu', back: MENU, good: 'Ver documentación', next: fold('¿De cuál servicio desea ver la documentación?'),
  },
  {
    name: 'the service for its documentation', reach: ['Administración de Servicios Web', 'Ver documentación'], aceptados: true,
    question: '¿De cuál servicio desea ver la documentación?', options: SERVICES, key: 'servicio', back: MODULE_AGAIN,
    good: 'solicitud afiliacion', next: fold('Documentación de POST SolicitudAfiliacion'),
  },
  {
    name: 'the service for its information', reach: ['Administración de Servicios Web', 'Información Servicio'], aceptados: true,
    question: '¿De cuál servicio desea ver la información?', options: SERVICES, key: 'servicio', back: MODULE_AGAIN,
    good: 'solicitud afiliacion', next: fold('Información Servicio — SolicitudAfiliacion'),
  },
];

async function reach(p: Prompt): Promise<World> {
  const w = await world({ aceptados: p.aceptados ?? false });
  await asCcf(w);
  let last: Reply | undefined;
  for (const input of p.reach) last = await say(w.client, input);
  expect(last!.text).toContain(p.question);
  expect(buttons(last!)).toEqual(p.options);
  return w;
}

describe.each(PROMPTS)('at $name', (p) => {
  it('bad input gets a Spanish re-ask of the same question with its options; nothing recorded; then the flow goes on', async () => {
    const w = await reach(p);
    const before = await snapshot(w);
    for (const [kind, bad] of BAD_INPUTS) {
      const r = await say(w.client, bad);
      expect(r.text, kind).toContain(p.question);
      expect(buttons(r), kind).toEqual(p.options);
      expect(r.folded, kind).not.toMatch(/lo sentimos|ocurrio un error|\bundefined\b|\{\{/);
      if (kind !== 'a card submit with wrong types') expect(r.text, kind).toContain(`Elija una de las opciones con su botón, o escriba su número (del 1 al ${p.options.length})`);
    }
    const other = await say(w.client, 'quiero un café');
    expect(other.text).toContain(p.options.map((o, i) => `${i + 1}. ${o}`).join('\n'));
    expect(await snapshot(w)).toBe(before);
    expect((await say(w.client, p.good)).folded).toContain(p.next);
  });

  it("ayuda gives this step's own help and the contacts, then the same question", async () => {
    const w = await reach(p);
    const r = await say(w.client, 'ayuda');
    expect(r.text).toContain(texts()[`ayuda-${p.key}`]!);
    expect(r.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(r.text).toContain('01 8000 96 00 20');
    expect(r.text.lastIndexOf(p.question)).toBeGreaterThan(r.text.indexOf('miseguridadsocial@minsalud.gov.co'));
    expect(buttons(r)).toEqual(p.options);
    // The help explains every option the question offers (a menu that grew must not leave its help behind).
    const help = fold(texts()[`ayuda-${p.key}`]!);
    if (p.key !== 'servicio') for (const option of p.options) expect(help, option).toContain(fold(option));
  });

  it.each(['no se que elegir', 'necesito ayuda con esto', 'y que pasa si elijo mal'])('"%s" is answered as "ayuda": this step\'s help, then the same question', async (text) => {
    const w = await reach(p);
    const r = await say(w.client, text);
    expect(r.text).toContain(texts()[`ayuda-${p.key}`]!);
    // Asked in the person's words: where more help is, not the whole contact list ("ayuda" gives it).
    expect(r.folded).toContain('si necesita mas ayuda escriba ayuda');
    expect(r.text).not.toContain('01 8000 96 00 20');
    expect(r.text.lastIndexOf(p.question)).toBeGreaterThan(r.text.indexOf(texts()[`ayuda-${p.key}`]!));
    expect(buttons(r)).toEqual(p.options);
  });

  it('estado names Administración de Servicios Web and the step, shows the checklist, then the same question', async () => {
    const w = await reach(p);
    const before = await snapshot(w);
    const r = await say(w.client, 'estado');
    expect(r.text).toContain(`Está en **Administración de Servicios Web**, en **${texts()[`paso-${p.key}`]}**.`);
    expect(r.text).toContain('Paso 5: Administración de Servicios Web');
    expect(r.text).toContain('CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA — NIT 890.900.841-9');
    expect(r.text.lastIndexOf(p.question)).toBeGreaterThan(r.text.indexOf('Paso 5'));
    expect(buttons(r)).toEqual(p.options);
    expect(await snapshot(w)).toBe(before);
  });

  it('atrás goes back and records nothing', async () => {
    const w = await reach(p);
    const before = await snapshot(w);
    expect((await say(w.client, 'atrás')).folded).toContain(p.back);
    expect(await snapshot(w)).toBe(before);
  });

  it('cancelar goes back to the main menu; only what was decided stays', async () => {
    const w = await reach(p);
    const before = await snapshot(w);
    const r = await say(w.client, 'cancelar');
    expect(r.folded).toMatch(/cancele lo que estaba haciendo.*que desea hacer ahora andres zapata/s);
    expect(await snapshot(w)).toBe(before);
    expect((await decisions(w)).map((d) => d.decision)).toEqual(p.key === 'rechazo' ? ['no_acepto'] : p.aceptados ? ['acepto'] : []);
  });
});

// ------------------------------------------------------------------------------ the checklist and what never leaks

describe('a question about the terms instead of an answer', () => {
  it.each(['que pasa si no acepto', 'y si no acepto que pasa', '¿Qué sucede si no las acepto?', 'q pasa si no acepto'])(
    '"%s": the step\'s help says what each answer leads to; nothing is decided, the same question follows',
    async (text) => {
      const w = await reach(PROMPTS[0]!);
      const before = await snapshot(w);
      const r = await say(w.client, text);
      expect(r.text).toContain(texts()['ayuda-terminos']!);
      // What declining leads to, and that it can be undone.
      expect(r.folded).toContain(fold('Si no las acepta, no se abre ninguna opción del módulo'));
      expect(r.folded).toContain(fold('puede aceptarlas más adelante'));
      expect(r.text.lastIndexOf(PROMPTS[0]!.question)).toBeGreaterThan(r.text.indexOf(texts()['ayuda-terminos']!));
      expect(buttons(r)).toEqual(['Acepto', 'No acepto']);
      expect(await snapshot(w)).toBe(before);
    },
  );
});

describe('the checklist and what never leaks', () => {
  it('after accepting and seeing services, ¿en qué voy? shows step 5 pending with the versions and the services consulted, and what is still missing (a shared service and the password)', async () => {
    const w = await world();
    await accepted(w);
    await say(w.client, 'Ver documentación');
    await say(w.client, 'solicitud');
    await say(w.client, 'Información Servicio');
    await say(w.client, 'consulta');
    const inModule = await say(w.client, '¿en qué voy?');
    expect(inModule.text).toContain('○ Paso 5: Administración de Servicios Web — pendiente');
    expect(inModule.text).not.toContain('✔ Paso 5');
    expect(inModule.text).toContain(
      'aceptó las condiciones de uso y la política de privacidad (condiciones 1.0, privacidad 1.0) el 26/11. Servicios consultados: ConsultaAfiliacion, SolicitudAfiliacion. Falta compartir al menos un servicio completo (Compartir Servicios Entidad) y asignar la contraseña de los servicios web (Asignar contraseña).',
    );
    expect(inModule.text).toContain('debe compartir al menos un servicio de la Caja con sus dos formularios: **Compartir Servicios Entidad**');
    expect(inModule.folded).toContain(MODULE_AGAIN);
    await say(w.client, 'Terminar');
    expect((await say(w.client, '¿En qué voy?')).text).toContain('○ Paso 5: Administración de Servicios Web — pendiente');
  });

  it("no document number in any reply to Andrés, in the audit of his turns, or anywhere but his own typing; Client IDs only in Información Servicio", async () => {
    const w = await world({ servicios: ['SolicitudAfiliacion', 'ConsultaAfiliacion', 'RetiroAfiliado'], comfenalco: true });
    await suspend(w, 'RetiroAfiliado');
    const auditBefore = (await list(w, 'audit')).length;
    const ids = new Map<string, string>();
    for (const a of await list(w, 'asignaciones')) ids.set(`${a.nit}:${a.servicioId}`, a.clientId);
    const replies: [string, Reply][] = [];
    const talk = async (input: Input) => {
      const r = await say(w.client, input);
      replies.push([typeof input === 'string' ? input : JSON.stringify(input).slice(0, 40), r]);
      return r;
    };
    await talk('Ingresar');
    await talk({ value: { __form: 'ingreso', tipoDocumento: andres.tipoDocumento, numeroDocumento: andres.numeroDocumento, clave: PASSWORD } });
    for (const input of ['Caja de compensación familiar — COMFAMA', 'Administración de Servicios Web', 'ayuda', 'estado', 'Acepto', 'Ver documentación', '2', 'Ver documentación', 'retiro']) await talk(input);
    const infos: Reply[] = [];
    for (const servicio of ['solicitud afiliacion', 'consulta', 'retiro']) {
      await talk('Información Servicio');
      infos.push(await talk(servicio));
    }
    for (const input of ['Compartir Servicios Entidad', '¿en qué voy?', 'Terminar', 'Términos y condiciones', 'Terminar', 'menú']) await talk(input);

    for (const [input, r] of replies) {
      const all = JSON.stringify(r.activities);
      for (const n of DOCUMENTS) expect(all, `"${input}" shows the document ${n}`).not.toContain(n);
      if (infos.includes(r)) continue;
      for (const [key, clientId] of ids) expect(all, `"${input}" shows the Client ID of ${key}`).not.toContain(clientId);
    }
    const expected = ['SolicitudAfiliacion', 'ConsultaAfiliacion', 'RetiroAfiliado'];
    infos.forEach((r, i) => {
      const all = JSON.stringify(r.activities);
      for (const [key, clientId] of ids) {
        if (key === `${COMFAMA_NIT}:${expected[i]}`) expect(all).toContain(clientId);
        else expect(all, `Información Servicio of ${expected[i]} shows the Client ID of ${key}`).not.toContain(clientId);
      }
    });
    const audit = JSON.stringify((await list(w, 'audit')).slice(auditBefore));
    for (const n of DOCUMENTS) expect(audit).not.toContain(n);
    for (const clientId of ids.values()) expect(audit).not.toContain(clientId);
  });
});

// ------------------------------------------------------------------------------ known bugs

describe('bugs found earlier (now regressions)', () => {
  it.each([
    ['the Ministry deactivates the role', deactivate, 'Ver documentación', 'El Ministerio de Salud desactivó el rol'],
    ["José revokes Andrés's authorization", revokeAndres, 'Información Servicio', 'Falta el **paso 3: Administrar autorizados**'],
    ['a new version of the terms is published', async () => publishNew(), 'Ver documentación', 'Primero debe aceptar las condiciones de uso'],
  ] as const)(
    'FIXED BUG: when %s while Andrés is in the module, the next action sends the refusal twice in one reply and audits it twice (the action refuses, then the module menu loops and refuses again)',
    async (_what, change, action, refusal) => {
      const w = await world({ aceptados: true });
      await asCcf(w);
      expect((await say(w.client, 'Administración de Servicios Web')).folded).toContain(CATALOG);
      await change(w);
      const r = await say(w.client, action);
      expect(r.text.split(refusal).length - 1).toBe(1);
      expect(await auditOf(w, 'servicios.rechazado')).toHaveLength(1);
    },
  );

  it('FIXED BUG: "si acepto" at the terms is re-asked ("Elija una de las opciones") instead of accepting', async () => {
    const w = await world();
    await asCcf(w);
    await say(w.client, 'Administración de Servicios Web');
    const r = await say(w.client, 'si acepto');
    expect(r.folded).toContain(CATALOG);
    expect((await decisions(w)).map((d) => d.decision)).toEqual(['acepto']);
  });

  it.each(['Documentación Swagger', 'Información del servicio'])(
    'FIXED BUG: at the service question of "%s" (started from the main menu) ayuda says atrás goes back to the services menu, but atrás goes to the main menu',
    async (entry) => {
      const w = await world({ aceptados: true });
      await asCcf(w);
      expect((await say(w.client, entry)).folded).toContain(fold('¿De cuál servicio desea ver'));
      const ayuda = await say(w.client, 'ayuda');
      const promisesModuleMenu = ayuda.folded.includes(fold('atrás para volver al menú de servicios'));
      const back = await say(w.client, 'atrás');
      const toModuleMenu = back.folded.includes(MODULE_AGAIN) || back.folded.includes(CATALOG);
      // The help and atrás must agree: either the help says atrás goes to the main menu, or atrás goes to the module's menu.
      expect(!promisesModuleMenu || toModuleMenu).toBe(true);
    },
  );
});
