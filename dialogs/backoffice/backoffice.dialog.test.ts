/**
 * The Ministry's back office as an administrator meets it, through the main dialog with the real
 * memory store, reference data and OpenAPI reader: the menu and the Bandeja del Ministerio (three
 * groups, oldest first), activar / desactivar el rol CCF (tolerant CCF search, reason, confirmation,
 * e-mails and chat notices), the catalog of web services (the shipped examples; adding a service from an
 * attached OpenAPI document, refused documents; retiring), the assignments (Client IDs, "ya estaba
 * asignado", suspend / reactivate / revoke, a new Client ID after a revocation), "Mis acciones
 * recientes", who may use it, every prompt (bad input, atrás, cancelar, ayuda, estado) and the
 * authorized person's side. The world is seeded through the real use cases.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { assignServices, changeAssignment } from '../../domain/asignaciones.js';
import { authorize } from '../../domain/autorizados.js';
import { ensureExampleServices, retireService } from '../../domain/catalogo.js';
import { registerEmployer } from '../../domain/empleador-registro.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { setCcfRole } from '../../domain/rol-ccf.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { EXAMPLE_SERVICES } from '../../storage/reference/servicios.js';
import { BAD_INPUTS } from '../../test/helpers/bad-input.js';
import { dialogDeps, mainClient, testFiles } from '../../test/helpers/dialog-deps.js';
import { COMFAMA_NIT, DELEGADA_MARIA, NUEVO_ANDRES, SEDE, registration } from '../../test/helpers/employers.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say, type Input, type Reply } from '../../test/helpers/transcript.js';
import { buttons } from '../../test/helpers/cards.js';
import { buttonOf, descriptionOf } from '../catalog.js';

const START = '2026-11-26T15:00:00.000Z';
const DAY = 86_400_000;
const MINUTE = 60_000;
const PASSWORD = 'Guayacan-Florido-2026';
const { rlComfama: jose, delegateComfama: maria, authorizedComfama: andres, citizenCe: carlos } = EXAMPLE_PERSONS;
const id = (p: ReferencePerson) => `${p.tipoDocumento}:${p.numeroDocumento}`;
const JOSE = id(jose);
const MARIA = id(maria);
const ANDRES = id(andres);
const CARLOS = id(carlos);
const COMFENALCO_NIT = '890900842';
const NICOLAS = 'CC:72235734'; // COMFENALCO ANTIOQUIA's RL in the reference sources
const EMAIL: Record<string, string> = {
  [JOSE]: 'jose.restrepo@correo.com',
  [MARIA]: 'maria.pena@correo.com',
  [ANDRES]: 'andres.zapata@correo.com',
  [CARLOS]: 'carlos.briceno@correo.com',
  [NICOLAS]: 'nicolas.montoya@correo.com',
};
const actor = { ref: 'prueba', channel: 'test' };
const reference = defaultReferenceRegistry();

/** The shipped examples, as the catalog lists them (published, by identifier) and as the assignment list numbers them. */
const EXAMPLES = ['ConsultaAfiliacion', 'ConsultaBeneficiarios', 'ConsultaSubsidioCuotaMonetaria', 'ReporteNovedad', 'RetiroAfiliado', 'SolicitudAfiliacion'];

// ------------------------------------------------------------------------------ attached documents

const yaml = (paths: string) => `openapi: 3.0.3
info:
  title: SAT — Consulta de aportes (prueba)
  version: 2.1.0
paths:
${paths}`;
const GET_APORTES = `  /aportes/{id}:
    get:
      operationId: consultaAportes
      summary: Consulta de aportes
      description: Devuelve los aportes de un empleador a la Caja.
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
      responses:
        '200':
          description: Los aportes.
`;
const POST_APORTE = `  /aportes:
    post:
      operationId: registrarAporte
      summary: Registrar aporte
      responses:
        '201':
          description: Registrado.
`;
const FILES: Record<string, string> = {
  'bo-valido.yaml': yaml(GET_APORTES),
  'bo-sin-respuestas.yaml': yaml(GET_APORTES.replace(/ {6}responses:[\s\S]*$/, '')),
  'bo-ref-externa.yaml': yaml(GET_APORTES.replace('schema: { type: string }', "schema: { $ref: 'https://esquemas.example/id.json' }")),
  'bo-dos-operaciones.yaml': yaml(GET_APORTES + POST_APORTE),
  'bo-id-existente.yaml': yaml(GET_APORTES.replace('consultaAportes', 'SolicitudAfiliacion')),
  'bo-texto.txt': 'Esto no es un documento OpenAPI.',
};
for (const [name, text] of Object.entries(FILES)) testFiles.set(name, new TextEncoder().encode(text));
const attach = (name: string): Input => ({ type: 'message', attachments: [{ contentType: name.endsWith('.txt') ? 'text/plain' : 'application/yaml', contentUrl: `test:${name}`, name }] });

// ------------------------------------------------------------------------------ the world

type World = ReturnType<typeof dialogDeps> & { client: DialogTestClient };

interface WorldOptions {
  /** María registered before COMFAMA's registration: its linked delegate. */
  readonly maria?: boolean;
  /** José (COMFAMA's RL) is an administrator too. */
  readonly joseAdmin?: boolean;
  /** COMFENALCO ANTIOQUIA also waits for activation, registered and authorized a day before (or after) COMFAMA. */
  readonly comfenalco?: 'antes' | 'despues';
}

const asRl = (nit: string) => ({ tipo: 'empleador' as const, nit, razonSocial: 'X', como: 'rl' as const });

async function registerComfama(w: ReturnType<typeof dialogDeps>, maria: boolean): Promise<void> {
  const r = await registerEmployer(w.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo', delegado: maria ? 'vinculado' : 'invitado' } });
  const a = await authorize(w.deps, JOSE, asRl(COMFAMA_NIT), COMFAMA_NIT, NUEVO_ANDRES, actor);
  expect(a).toMatchObject({ ok: true, value: { autorizacion: { estado: 'activo' } } });
}

async function registerComfenalco(w: ReturnType<typeof dialogDeps>): Promise<void> {
  const nicolas = (await reference.findPerson('CC', '72235734'))!;
  await seedActiveCitizen(w.deps.store, nicolas, EMAIL[NICOLAS]!, PASSWORD, w.clock.now());
  const r = await registerEmployer(
    w.deps,
    NICOLAS,
    { nit: COMFENALCO_NIT, razonSocial: 'Caja de Compensación Familiar Comfenalco Antioquia', naturaleza: '2', delegado: DELEGADA_MARIA, sede: { ...SEDE, email: 'servicios.web@comfenalcoantioquia.com.co' } },
    actor,
  );
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo' } });
  const a = await authorize(w.deps, NICOLAS, asRl(COMFENALCO_NIT), COMFENALCO_NIT, NUEVO_ANDRES, actor);
  expect(a).toMatchObject({ ok: true, value: { autorizacion: { estado: 'activo' } } });
}

/**
 * COMFAMA's employer role registered by José (María its delegate, linked when she is registered),
 * Andrés authorized and active, the shipped example services in the catalog; Carlos is an
 * administrator. Nobody has logged in yet; the mails of the seeding are forgotten.
 */
async function world(opts: WorldOptions = {}): Promise<World> {
  const s = dialogDeps(START, 7, { admins: [CARLOS, ...(opts.joseAdmin ? [JOSE] : [])] });
  const now = new Date(START);
  for (const p of [jose, carlos, andres, ...(opts.maria ? [maria] : [])]) await seedActiveCitizen(s.deps.store, p, EMAIL[id(p)]!, PASSWORD, now);
  if (opts.comfenalco === 'antes') {
    await registerComfenalco(s);
    s.clock.advance(DAY);
  }
  await registerComfama(s, opts.maria === true);
  if (opts.comfenalco === 'despues') {
    s.clock.advance(DAY);
    await registerComfenalco(s);
  }
  expect(await ensureExampleServices(s.deps, EXAMPLE_SERVICES)).toBe(6);
  s.mailer.sent.length = 0;
  return { ...s, client: mainClient(s) };
}

async function login(w: World, p: ReferencePerson): Promise<Reply> {
  await say(w.client, 'Ingresar');
  return say(w.client, { value: { __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: PASSWORD } });
}

/** Carlos logs in and acts as Administrador MinSalud; returns the menu. */
async function asAdmin(w: World, p: ReferencePerson = carlos): Promise<Reply> {
  expect((await login(w, p)).folded).toContain(fold('en que rol desea actuar'));
  const menu = await say(w.client, 'Administrador MinSalud');
  expect(menu.folded).toContain(fold('ahora actua como administrador minsalud'));
  return menu;
}

/** A person who talked to the assistant before (the notifier remembers their conversation). */
async function talkedBefore(w: World, p: ReferencePerson): Promise<void> {
  expect((await login(w, p)).folded).toContain(fold('ingreso correctamente'));
  expect((await say(w.client, 'salir')).folded).toContain(fold('sesion en el asistente quedo cerrada'));
}

const unique = (xs: string[]) => [...new Set(xs)];

/** The rows of one group of the tray card ("CAJA … — desde el 26/11/2026"), read from the Adaptive Card. */
function trayGroup(r: Reply, title: RegExp): { title: string; rows: string[] } {
  const blocks = r.cards.flatMap((c) => ((c as { body?: { type: string; text?: string }[] }).body ?? []).filter((b) => b.type === 'TextBlock').map((b) => b.text ?? ''));
  const at = blocks.findIndex((b) => title.test(b));
  expect(at, `group ${title} in ${blocks.join(' | ')}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const b of blocks.slice(at + 1)) {
    if (!b.startsWith('- ')) break;
    rows.push(b.slice(2));
  }
  return { title: blocks[at]!, rows };
}
const WAITING = /^Cajas listas para activar/;
const NO_SERVICES = /^Cajas con el rol activo y sin servicios/;
const RUT = /^RUT por revisar/;

const rolCcf = (w: World, nit = COMFAMA_NIT) => w.deps.store.transaction((tx) => tx.collection('rolesCcf').get(nit));
const assignments = (w: World) => w.deps.store.transaction((tx) => tx.collection('asignaciones').list());
const services = (w: World) => w.deps.store.transaction((tx) => tx.collection('servicios').list());
const auditActions = async (w: World) => (await w.deps.store.transaction((tx) => tx.collection('audit').list())).map((e) => e.action);
const auditEvents = (w: World) => w.deps.store.transaction((tx) => tx.collection('audit').list());
const mails = (w: World, prefix = '') => w.mailer.sent.filter((m) => m.template.startsWith(prefix)).map((m) => `${m.template}→${m.to}`);
/** What the back office can change: compared before and after a step that must change nothing. */
const snapshot = async (w: World) =>
  JSON.stringify({
    roles: await w.deps.store.transaction((tx) => tx.collection('rolesCcf').list()),
    servicios: (await services(w)).map((s) => `${s.id}:${s.estado}`).sort(),
    asignaciones: (await assignments(w)).map((a) => `${a.servicioId}:${a.estado}:${a.clientId}`).sort(),
    acciones: await w.deps.store.transaction((tx) => tx.collection('accionesMinisterio').list()),
    mails: w.mailer.sent.length,
    notices: w.notifier.notices.length,
  });

/** The numbered list of the services prompt ("1. GET ConsultaAfiliacion — …"): number → identifier. */
function numberedServices(r: Reply): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of r.text.matchAll(/^(\d+)\. (?:GET|POST|PUT|PATCH|DELETE) (\w+) — /gm)) out.set(Number(m[1]), m[2]!);
  return out;
}

const MENU = 'que desea hacer ahora';
const TRAY = 'esto es lo que espera al ministerio de salud';
const CCF_QUESTION = 'cual caja de compensacion familiar';

afterEach(() => vi.restoreAllMocks());

// ------------------------------------------------------------------------------ the menu and the tray

describe('the menu and the Bandeja del Ministerio', () => {
  it('acting as Administrador MinSalud the menu offers "Bandeja del Ministerio", not "Revisar RUT pendientes"', async () => {
    const w = await world();
    const menu = await asAdmin(w);
    expect(buttons(menu)).toEqual(expect.arrayContaining(['Bandeja del Ministerio', 'Cambiar de rol', 'Salir']));
    expect(buttons(menu)).not.toContain('Revisar RUT pendientes');
  });

  it('the tray: three groups with counts, COMFAMA waiting for activation with its date, and the sections as choices', async () => {
    const w = await world();
    await asAdmin(w);
    const tray = await say(w.client, 'Bandeja del Ministerio');
    expect(tray.folded).toContain(TRAY);
    expect(trayGroup(tray, RUT)).toEqual({ title: 'RUT por revisar (0)', rows: ['Nada pendiente.'] });
    expect(trayGroup(tray, WAITING)).toEqual({
      title: 'Cajas listas para activar el rol Caja de Compensación Familiar (1)',
      rows: ['CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA — desde el 26/11/2026'],
    });
    expect(trayGroup(tray, NO_SERVICES)).toEqual({ title: 'Cajas con el rol activo y sin servicios asignados (0)', rows: ['Nada pendiente.'] });
    expect(unique(buttons(tray))).toEqual(['Revisar RUT', 'Activar o desactivar rol CCF', 'Catálogo de servicios', 'Asignar servicios a una Caja', 'Mis acciones recientes', 'Terminar']);
    // The card's fallback (what a channel without cards shows) says the same.
    expect(tray.text).toContain('**Cajas listas para activar el rol Caja de Compensación Familiar (1)**\n- CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA — desde el 26/11/2026');
  });

  it.each([
    { comfenalco: 'antes' as const, order: ['CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA — desde el 26/11/2026', 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA — desde el 27/11/2026'] },
    { comfenalco: 'despues' as const, order: ['CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA — desde el 26/11/2026', 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA — desde el 27/11/2026'] },
  ])('two CCFs waiting (COMFENALCO registered $comfenalco COMFAMA): the oldest first, and the activation offers both', async ({ comfenalco, order }) => {
    const w = await world({ comfenalco });
    await asAdmin(w);
    const tray = await say(w.client, 'Bandeja del Ministerio');
    expect(trayGroup(tray, WAITING)).toEqual({ title: 'Cajas listas para activar el rol Caja de Compensación Familiar (2)', rows: order });
    const ask = await say(w.client, 'Activar o desactivar rol CCF');
    expect(ask.folded).toContain(fold('o elija una de las que esperan'));
    expect(unique(buttons(ask)).sort()).toEqual([
      'COMFAMA — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA (NIT 890.900.841-9)',
      'COMFENALCO ANTIOQUIA — CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA (NIT 890.900.842-6)',
    ]);
  });

  it('Terminar at the tray goes back to the menu', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    expect((await say(w.client, 'Terminar')).folded).toContain(MENU);
  });

  it('Mis acciones recientes before any action says so and goes back to the tray', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    const r = await say(w.client, 'Mis acciones recientes');
    expect(r.folded).toContain(fold('todavia no ha hecho acciones en el back office'));
    expect(r.folded).toContain(TRAY);
  });
});

// ------------------------------------------------------------------------------ activar / desactivar

describe('Activar / desactivar el rol CCF', () => {
  it.each(['comfam', 'COMFAMA', '890.900.841-9', '890900841', '890900841-9'])('the CCF typed as "%s" is COMFAMA: its chain and role state, and Activar / Volver', async (typed) => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    expect((await say(w.client, 'Activar o desactivar rol CCF')).folded).toContain(CCF_QUESTION);
    const state = await say(w.client, typed);
    expect(state.text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    expect(state.text).toContain('- Rol empleador persona jurídica: registrado');
    expect(state.text).toContain('- Personas autorizadas activas: 1');
    expect(state.text).toContain('- Rol Caja de Compensación Familiar: nunca activado');
    expect(unique(buttons(state))).toEqual(['Activar el rol', 'Volver']);
  });

  it('a name word several CCFs share offers them numbered; the number chooses COMFAMA', async () => {
    const w = await world({ comfenalco: 'antes' });
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    const several = await say(w.client, 'antioquia');
    expect(several.folded).toContain(fold('encontre varias cajas con «antioquia»'));
    expect(several.text).toContain('1. COMFENALCO ANTIOQUIA — CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA (NIT 890.900.842-6)');
    expect(several.text).toContain('2. COMFAMA — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA (NIT 890.900.841-9)');
    // A number beyond those shown is not the n-th CCF of the country.
    expect((await say(w.client, '7')).folded).toContain(fold('no encontre una caja con «7»'));
    expect((await say(w.client, '2')).text).toContain('**COMFAMA** (NIT 890.900.841-9)');
  });

  it('a number names one of the buttons shown with the question (the CCFs waiting), never the n-th CCF of the country', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    const asked = await say(w.client, 'Activar o desactivar rol CCF');
    const buttons = asked.cards.flatMap((c) => ((c['buttons'] as { title: string }[] | undefined) ?? []).map((b) => b.title));
    expect(buttons).toEqual(['COMFAMA — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA (NIT 890.900.841-9)']);
    const before = await snapshot(w);
    expect((await say(w.client, '5')).folded).toContain(fold('no encontre una caja con «5»'));
    expect(await snapshot(w)).toEqual(before);
    expect((await say(w.client, '1')).text).toContain('**COMFAMA** (NIT 890.900.841-9)');
  });

  it('a CCF without the employer role says so and asks again; one nobody knows is asked again; nothing changes', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    const before = await snapshot(w);
    const none = await say(w.client, 'COMPENSAR');
    expect(none.text).toContain('**COMPENSAR** (NIT 860.066.942-7)');
    expect(none.text).toContain('- Rol empleador persona jurídica: no registrado');
    expect(none.folded).toContain(fold('no tiene registrado el rol empleador persona juridica'));
    expect(none.folded).toContain(fold('primero su representante legal debe registrarlo'));
    expect(none.folded).toContain(CCF_QUESTION);
    expect(buttons(none)).not.toContain('Activar el rol');
    const unknown = await say(w.client, 'Caja Inventada del Sur');
    expect(unknown.folded).toContain(fold('no encontre una caja con «caja inventada del sur»'));
    expect(unknown.folded).toContain(fold('la sigla (por ejemplo comfama), parte del nombre o el nit'));
    const wrongNit = await say(w.client, '900.123.456-8');
    expect(wrongNit.folded).toContain(fold('no encontre una caja'));
    expect((await say(w.client, 'comfama')).text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    expect(await snapshot(w)).toBe(before);
  });

  it.each([
    { name: 'María not registered (invited)', maria: false, told: [JOSE, ANDRES] },
    { name: 'María linked as delegate', maria: true, told: [JOSE, MARIA, ANDRES] },
  ])('activar ($name): a reason (too short is asked again), confirm: active, e-mailed and told in the chat, audited; the tray moves COMFAMA', async ({ maria: linked, told }) => {
    const w = await world({ maria: linked });
    for (const p of [jose, andres, ...(linked ? [maria] : [])]) await talkedBefore(w, p);
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'comfam');
    expect((await say(w.client, 'Activar el rol')).folded).toContain(fold('cual es el motivo? quedara registrado'));
    const short = await say(w.client, 'ok');
    expect(short.folded).toContain(fold('el motivo debe tener al menos 5 caracteres'));
    expect(short.folded).toContain(fold('cual es el motivo'));
    const confirm = await say(w.client, 'Cumple los requisitos');
    expect(confirm.text).toContain('¿Activa el rol Caja de Compensación Familiar de **COMFAMA**?');
    expect(confirm.text).toContain('Motivo: Cumple los requisitos');
    expect(confirm.folded).toContain(fold('se avisara por correo y en el chat a su representante legal, su delegado y sus personas autorizadas'));
    expect(unique(buttons(confirm))).toEqual(['Sí, confirmar', 'No, volver']);
    expect(await rolCcf(w)).toBeUndefined();

    const done = await say(w.client, 'Sí, confirmar');
    expect(done.text).toContain(`Listo: el rol Caja de Compensación Familiar de **COMFAMA** quedó **activo**. Avisamos a ${told.length} personas por correo y en el chat.`);
    expect(await rolCcf(w)).toMatchObject({ activo: true, motivo: 'Cumple los requisitos', por: CARLOS, en: START });
    expect(mails(w).sort()).toEqual(told.map((t) => `rol-ccf-activado→${EMAIL[t]}`).sort());
    expect(w.mailer.sent.find((m) => m.to === EMAIL[ANDRES])?.data).toMatchObject({ sigla: 'COMFAMA', nit: '890.900.841-9', motivo: 'Cumple los requisitos' });
    // The notifier records a notice only for a conversation it remembers: everyone told talked before.
    expect(w.notifier.notices.map((n) => n.citizenId).sort()).toEqual([...told].sort());
    for (const n of w.notifier.notices) expect(n.text).toMatch(/El Ministerio de Salud \*\*activó\*\* el rol Caja de Compensación Familiar de \*\*COMFAMA\*\*.*Caja de compensación familiar — COMFAMA/s);
    expect(await auditActions(w)).toContain('ccf.rol_activado');
    // No staff member's document in the audit or the mails.
    expect(JSON.stringify(await auditEvents(w))).not.toContain('654321');
    expect(JSON.stringify(w.mailer.sent)).not.toContain('654321');
    // Back at the tray: COMFAMA no longer waits for activation, it waits for services.
    expect(done.folded).toContain(TRAY);
    expect(trayGroup(done, WAITING)).toEqual({ title: 'Cajas listas para activar el rol Caja de Compensación Familiar (0)', rows: ['Nada pendiente.'] });
    expect(trayGroup(done, NO_SERVICES).rows).toEqual(['CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA — desde el 26/11/2026']);
    // What Carlos did.
    const acciones = await say(w.client, 'Mis acciones recientes');
    expect(acciones.text).toContain('**Mis acciones recientes**\n\n- 26 de noviembre de 2026 a las 10:00 a. m. — activó el rol CCF: COMFAMA («Cumple los requisitos»)');
  });

  it('desactivar works the same way: since when it is active, a reason, confirm; deactivated, e-mailed, told; not waiting in the tray; Activar offered again', async () => {
    const w = await world();
    expect((await setCcfRole(w.deps, CARLOS, COMFAMA_NIT, true, 'Cumple los requisitos', actor)).ok).toBe(true);
    w.mailer.sent.length = 0;
    await talkedBefore(w, andres);
    w.clock.advance(2 * DAY);
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    const state = await say(w.client, 'COMFAMA');
    expect(state.text).toContain('- Rol Caja de Compensación Familiar: activo desde el 26/11/2026');
    expect(unique(buttons(state))).toEqual(['Desactivar el rol', 'Volver']);
    await say(w.client, 'Desactivar el rol');
    const confirm = await say(w.client, 'Incumple los requisitos');
    expect(confirm.text).toContain('¿Desactiva el rol Caja de Compensación Familiar de **COMFAMA**?');
    expect(confirm.folded).toContain(fold('sus personas autorizadas no podran usar la administracion de servicios web'));
    const done = await say(w.client, 'Sí, confirmar');
    expect(done.text).toContain('el rol Caja de Compensación Familiar de **COMFAMA** quedó **desactivado**. Avisamos a 2 personas');
    expect(await rolCcf(w)).toMatchObject({ activo: false, motivo: 'Incumple los requisitos', por: CARLOS });
    expect(mails(w).sort()).toEqual([`rol-ccf-desactivado→${EMAIL[ANDRES]}`, `rol-ccf-desactivado→${EMAIL[JOSE]}`]);
    expect(w.notifier.notices).toEqual([{ citizenId: ANDRES, text: expect.stringMatching(/\*\*desactivó\*\*.*Motivo: Incumple los requisitos.*mesa de ayuda/s) }]);
    expect(await auditActions(w)).toContain('ccf.rol_desactivado');
    // A deactivated role waits for nobody in the tray.
    expect(trayGroup(done, WAITING).rows).toEqual(['Nada pendiente.']);
    expect(trayGroup(done, NO_SERVICES).rows).toEqual(['Nada pendiente.']);
    await say(w.client, 'Activar o desactivar rol CCF');
    const again = await say(w.client, 'COMFAMA');
    expect(again.text).toContain('- Rol Caja de Compensación Familiar: desactivado el 28/11/2026 (Incumple los requisitos)');
    expect(unique(buttons(again))).toEqual(['Activar el rol', 'Volver']);
  });

  const WAYS_BACK = [
    { at: 'the role state', said: 'Volver', turns: ['Volver'] },
    { at: 'the role state', said: 'atrás', turns: ['atrás'] },
    { at: 'the reason', said: 'atrás', turns: ['Activar el rol', 'atrás'] },
    { at: 'the confirmation', said: 'No, volver', turns: ['Activar el rol', 'Cumple los requisitos', 'No, volver'] },
    { at: 'the confirmation', said: 'atrás', turns: ['Activar el rol', 'Cumple los requisitos', 'atrás'] },
  ];
  it.each(WAYS_BACK)('"$said" at $at: back to the choice of the CCF, nothing activated, nobody told', async ({ turns }) => {
    const w = await world();
    await talkedBefore(w, andres);
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'COMFAMA');
    const before = await snapshot(w);
    let last: Reply | undefined;
    for (const t of turns) last = await say(w.client, t);
    expect(last!.folded).toContain(CCF_QUESTION);
    expect(await snapshot(w)).toBe(before);
    expect(await rolCcf(w)).toBeUndefined();
    // And the flow goes on from there.
    expect((await say(w.client, 'COMFAMA')).folded).toContain(fold('nunca activado'));
  });
});

// ------------------------------------------------------------------------------ the catalog

async function toCatalog(w: World): Promise<Reply> {
  await asAdmin(w);
  await say(w.client, 'Bandeja del Ministerio');
  return say(w.client, 'Catálogo de servicios');
}

describe('Catálogo de servicios web', () => {
  it('the card lists the six shipped services: method, identifier, name, path, version, specification, state and "ejemplo sintético"', async () => {
    const w = await world();
    const r = await toCatalog(w);
    const stored = await services(w);
    expect(stored.map((s) => s.id).sort()).toEqual(EXAMPLES);
    const blocks = r.cards.flatMap((c) => ((c as { body?: { type: string; text?: string }[] }).body ?? []).map((b) => b.text ?? ''));
    expect(blocks[0]).toBe('Catálogo de servicios web');
    const rows = blocks.filter((b) => /^(GET|POST) /.test(b));
    expect(rows.map((b) => b.split(' ')[1])).toEqual(EXAMPLES);
    for (const s of stored) {
      const at = blocks.indexOf(`${s.metodo} ${s.id} — ${s.nombre}`);
      expect(at, s.id).toBeGreaterThan(0);
      expect(blocks[at + 1]).toBe(`${s.ruta} · versión ${s.version} · ${s.documento.especificacion.replace("openapi-", "OpenAPI ").replace("swagger-", "Swagger ")} · publicado · ejemplo sintético`);
    }
    expect(r.text).toContain('POST SolicitudAfiliacion — Solicitud de afiliación');
    expect(r.text).toContain('/afiliaciones/solicitudes · versión 1.0.0 · OpenAPI 3.1 · publicado · ejemplo sintético');
    expect(unique(buttons(r))).toEqual(['Agregar un servicio', 'Retirar un servicio', 'Volver']);
  });

  it('the action named with the catalog is taken after its list: at the main menu, at the tray and at the list\'s question; atrás is the list\'s question', async () => {
    const w = await world();
    await asAdmin(w);
    const added = await say(w.client, 'quiero agregar un servicio nuevo al catalogo');
    expect(added.text).toContain('POST SolicitudAfiliacion — Solicitud de afiliación'); // the list first
    expect(added.folded).toContain(fold('adjunte el documento openapi del servicio'));
    const back = await say(w.client, 'atrás');
    expect(back.folded).toContain(fold('¿Qué desea hacer?'));
    expect(unique(buttons(back))).toEqual(['Agregar un servicio', 'Retirar un servicio', 'Volver']);
    expect((await say(w.client, 'quiero quitar uno')).folded).toContain(fold('cual servicio desea retirar?'));
    await say(w.client, 'atrás');
    expect((await say(w.client, 'Volver')).folded).toContain(fold('¿Qué desea hacer ahora'));
    await say(w.client, 'Bandeja del Ministerio');
    expect((await say(w.client, 'retirar un servicio')).folded).toContain(fold('cual servicio desea retirar?'));
    await say(w.client, 'atrás');
    expect((await say(w.client, 'Volver')).folded).toContain(TRAY);
    // Tapped at the tray: the list and its question, no action taken.
    const tapped = await say(w.client, 'Catálogo de servicios');
    expect(unique(buttons(tapped))).toEqual(['Agregar un servicio', 'Retirar un servicio', 'Volver']);
    expect(tapped.folded).not.toContain(fold('adjunte'));
  });

  it('Agregar: a valid YAML document → "Documento válido" → the review with the suggested identifier → confirmar → published, stored, audited', async () => {
    const w = await world();
    await toCatalog(w);
    expect((await say(w.client, 'Agregar un servicio')).folded).toContain(fold('adjunte el documento openapi del servicio (json o yaml'));
    const review = await say(w.client, attach('bo-valido.yaml'));
    expect(review.text).toContain('Documento válido: **SAT — Consulta de aportes (prueba)** (versión 2.1.0, openapi-3.0) con 1 operación.');
    expect(review.folded).toContain(fold('revise el servicio'));
    expect(review.text).toContain('- **Identificador**: ConsultaAportes');
    expect(review.text).toContain('- **Nombre**: Consulta de aportes');
    expect(review.text).toContain('- **Descripción corta**: Devuelve los aportes de un empleador a la Caja.');
    expect((await services(w)).length).toBe(6);
    const done = await say(w.client, 'confirmar');
    expect(done.text).toContain('Listo: **GET ConsultaAportes** quedó publicado en el catálogo.');
    // Back at the catalog, with the new service (not an example).
    expect(done.text).toContain('- GET ConsultaAportes — Consulta de aportes (/aportes/{id} · versión 2.1.0 · OpenAPI 3.0 · publicado)');
    expect((await services(w)).find((s) => s.id === 'ConsultaAportes')).toMatchObject({
      metodo: 'GET', ruta: '/aportes/{id}', version: '2.1.0', estado: 'publicado', ejemplo: false, nombre: 'Consulta de aportes',
      documento: { formato: 'yaml', especificacion: 'openapi-3.0' },
    });
    expect(await auditActions(w)).toContain('servicios.agregado');
    await say(w.client, 'Volver');
    expect((await say(w.client, 'Mis acciones recientes')).text).toContain('agregó el servicio: GET ConsultaAportes');
  });

  it.each([
    { name: 'missing responses', file: 'bo-sin-respuestas.yaml', motivo: 'El documento no es válido: en #/paths/~1aportes~1{id}/get falta la propiedad obligatoria «responses».' },
    { name: 'an external $ref', file: 'bo-ref-externa.yaml', motivo: 'El documento no es válido: tiene una referencia externa («https://esquemas.example/id.json»); el documento debe estar completo en un solo archivo.' },
    { name: 'not JSON nor YAML of an object', file: 'bo-texto.txt', motivo: 'El documento no es válido: no es JSON ni YAML de un objeto.' },
  ])('a document with $name is refused in Spanish, nothing stored or fetched, and a file is asked again; a good one goes on', async ({ file, motivo }) => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const w = await world();
    await toCatalog(w);
    await say(w.client, 'Agregar un servicio');
    const before = await snapshot(w);
    const refused = await say(w.client, attach(file));
    expect(refused.text).toContain(motivo);
    expect(refused.folded).toContain(fold('corrijalo y adjuntelo de nuevo, o escriba atras'));
    expect(refused.folded).toContain(fold('adjunte el documento openapi'));
    expect(refused.folded).not.toMatch(/\b(missing|required|property|must)\b/);
    expect(await snapshot(w)).toBe(before);
    expect(fetch).not.toHaveBeenCalled();
    expect((await say(w.client, attach('bo-valido.yaml'))).folded).toContain(fold('documento valido'));
  });

  it('the document pasted as text (YAML, or JSON longer than a chat answer) is read as the file; words are not, and say a paste is accepted', async () => {
    const w = await world();
    await toCatalog(w);
    await say(w.client, 'Agregar un servicio');
    const asked = await say(w.client, 'puedo pegarlo aqui?');
    expect(asked.text).toContain('No recibí un documento OpenAPI. Adjúntelo con el clip 📎 o pegue aquí su texto completo');
    expect((await say(w.client, FILES['bo-valido.yaml']!)).text).toContain('Documento válido: **SAT — Consulta de aportes (prueba)** (versión 2.1.0, openapi-3.0) con 1 operación.');
    await say(w.client, 'cancelar');
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Catálogo de servicios');
    await say(w.client, 'Agregar un servicio');
    const json = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Consulta larga', version: '1.0.0', description: 'x'.repeat(12_000) },
      paths: { '/largo/{id}': { get: { operationId: 'consultaLarga', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } } },
    }, null, 2);
    expect(json.length).toBeGreaterThan(12_000);
    const review = await say(w.client, json);
    expect(review.text).toContain('Documento válido: **Consulta larga** (versión 1.0.0, openapi-3.0) con 1 operación.');
    expect((await say(w.client, 'confirmar')).text).toContain('quedó publicado en el catálogo');
    expect((await services(w)).find((x) => x.ruta === '/largo/{id}')).toMatchObject({ documento: { formato: 'json' } });
  });

  it('a document with two operations asks which one; the chosen one is the service', async () => {
    const w = await world();
    await toCatalog(w);
    await say(w.client, 'Agregar un servicio');
    const which = await say(w.client, attach('bo-dos-operaciones.yaml'));
    expect(which.text).toContain('con 2 operaciones');
    expect(which.folded).toContain(fold('cual operacion es el servicio'));
    expect(unique(buttons(which))).toEqual(['GET /aportes/{id} (consultaAportes)', 'POST /aportes (registrarAporte)']);
    const review = await say(w.client, 'registrar');
    expect(review.text).toContain('- **Identificador**: RegistrarAporte');
    expect((await say(w.client, 'confirmar')).text).toContain('**POST RegistrarAporte** quedó publicado');
    expect((await services(w)).find((s) => s.id === 'RegistrarAporte')).toMatchObject({ metodo: 'POST', ruta: '/aportes' });
  });

  it('an identifier already in the catalog (any case) or not valid is asked again by the form; another one is published', async () => {
    const w = await world();
    await toCatalog(w);
    await say(w.client, 'Agregar un servicio');
    await say(w.client, attach('bo-valido.yaml'));
    expect((await say(w.client, 'corregir identificador')).folded).toContain(fold('cual es el identificador del servicio'));
    const taken = await say(w.client, 'solicitudafiliacion');
    expect(taken.text).toContain('Ya existe un servicio con el identificador **SolicitudAfiliacion**. Escriba otro identificador.');
    expect(taken.folded).toContain(fold('cual es el identificador del servicio'));
    const spaces = await say(w.client, 'Consulta Aportes');
    expect(spaces.folded).toContain(fold('el identificador debe empezar por una letra y tener solo letras y numeros'));
    expect(spaces.text).toContain('sin espacios ni tildes. Si le sirve **ConsultaAportes**, responda **sí**; si no, escriba otro.');
    expect(spaces.text, 'the proposed identifier only').not.toMatch(/por ejemplo/i);
    expect(spaces.folded).toContain(fold('cual es el identificador del servicio?'));
    expect((await say(w.client, 'ConsultaAportesV2')).text).toContain('- **Identificador**: ConsultaAportesV2');
    expect((await say(w.client, 'confirmar')).text).toContain('**GET ConsultaAportesV2** quedó publicado');
    expect((await services(w)).map((s) => s.id)).toContain('ConsultaAportesV2');
  });

  it('a document whose suggested identifier is taken: the form asks for another one before anything is stored', async () => {
    const w = await world();
    await toCatalog(w);
    await say(w.client, 'Agregar un servicio');
    const asked = await say(w.client, attach('bo-id-existente.yaml'));
    expect(asked.folded).toContain('documento valido');
    // Asked at once, before the review.
    expect(asked.text).toContain('Ya existe un servicio con el identificador **SolicitudAfiliacion**. Escriba otro identificador.');
    expect(asked.folded).toContain('cual es el identificador del servicio');
    expect(asked.folded).not.toContain('revise el servicio');
    expect((await services(w)).length).toBe(6);
    expect((await say(w.client, 'ConsultaAportes')).folded).toContain(fold('revise el servicio'));
    expect((await say(w.client, 'confirmar')).folded).toContain(fold('quedo publicado'));
  });

  it('Retirar: choose, a reason, confirm: retired, listed last as retirado, audited; not offered for assignment; its assignment is kept', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['ConsultaAfiliacion'], actor)).ok).toBe(true);
    await toCatalog(w);
    const which = await say(w.client, 'Retirar un servicio');
    expect(which.folded).toContain(fold('cual servicio desea retirar? dejara de ofrecerse para asignar'));
    const retirableLabel = new Map((await services(w)).map((s) => [s.id, `${s.metodo} ${s.id} — ${s.nombre}`]));
    expect(unique(buttons(which))).toEqual(EXAMPLES.map((s) => retirableLabel.get(s)!));
    expect(which.text).toContain('1. GET ConsultaAfiliacion — Consulta de afiliación');
    expect((await say(w.client, '1')).folded).toContain(fold('cual es el motivo'));
    expect((await say(w.client, 'no')).folded).toContain(fold('al menos 5 caracteres'));
    const confirm = await say(w.client, 'Reemplazado por otra versión');
    expect(confirm.text).toContain('¿Retira el servicio **ConsultaAfiliacion** del catálogo?\n\nMotivo: Reemplazado por otra versión');
    const done = await say(w.client, 'Sí, confirmar');
    expect(done.text).toContain('Listo: **ConsultaAfiliacion** quedó retirado del catálogo.');
    expect(done.text).toMatch(/- GET ConsultaAfiliacion — Consulta de afiliación \(\/afiliaciones\/\{tipoDocumento\}\/\{numeroDocumento\} · versión 1\.0\.0 · OpenAPI 3\.0 · retirado · ejemplo sintético\)$/m);
    // Listed last.
    expect(done.text.lastIndexOf('- GET ConsultaAfiliacion')).toBeGreaterThan(done.text.lastIndexOf('- POST SolicitudAfiliacion'));
    expect((await services(w)).find((s) => s.id === 'ConsultaAfiliacion')).toMatchObject({ estado: 'retirado', retiro: { motivo: 'Reemplazado por otra versión' } });
    expect(await auditActions(w)).toContain('servicios.retirado');
    // Not offered for retirement again.
    const retirable = await say(w.client, 'Retirar un servicio');
    expect(unique(buttons(retirable))).toEqual(EXAMPLES.filter((s) => s !== 'ConsultaAfiliacion').map((s) => retirableLabel.get(s)!));
    await say(w.client, 'atrás');
    // Not offered for assignment, but COMFAMA keeps its assignment.
    await say(w.client, 'Volver');
    await say(w.client, 'Asignar servicios a una Caja');
    const view = await say(w.client, 'COMFAMA');
    expect(view.text).toContain('GET ConsultaAfiliacion — activo');
    const offer = await say(w.client, 'Asignar servicios');
    expect([...numberedServices(offer).values()]).toEqual(EXAMPLES.filter((x) => x !== 'ConsultaAfiliacion'));
    expect(offer.text).not.toContain('ConsultaAfiliacion');
  });

  it('Retirar: "No, volver" and atrás at the confirmation retire nothing', async () => {
    const w = await world();
    await toCatalog(w);
    await say(w.client, 'Retirar un servicio');
    await say(w.client, 'RetiroAfiliado');
    await say(w.client, 'Ya no se usa');
    const before = await snapshot(w);
    expect((await say(w.client, 'No, volver')).folded).toContain(fold('cual servicio desea retirar'));
    await say(w.client, 'RetiroAfiliado');
    await say(w.client, 'Ya no se usa');
    expect((await say(w.client, 'atrás')).folded).toContain(fold('cual servicio desea retirar'));
    expect(await snapshot(w)).toBe(before);
  });

  it('nothing published: Retirar says so; Asignar says there is nothing to assign', async () => {
    const w = await world();
    for (const s of EXAMPLES) expect((await retireService(w.deps, CARLOS, s, 'Prueba sin servicios', actor)).ok).toBe(true);
    await toCatalog(w);
    expect((await say(w.client, 'Retirar un servicio')).folded).toContain(fold('no hay servicios publicados para retirar'));
    await say(w.client, 'Volver');
    await say(w.client, 'Asignar servicios a una Caja');
    await say(w.client, 'COMFAMA');
    const r = await say(w.client, 'Asignar servicios');
    expect(r.folded).toContain(fold('no hay servicios publicados en el catalogo'));
    expect(r.folded).toContain(fold('que desea hacer'));
  });
});

// ------------------------------------------------------------------------------ assignments

async function toComfamaServices(w: World): Promise<Reply> {
  await asAdmin(w);
  await say(w.client, 'Bandeja del Ministerio');
  expect((await say(w.client, 'Asignar servicios a una Caja')).folded).toContain(CCF_QUESTION);
  return say(w.client, 'COMFAMA');
}

describe('Asignar servicios a una CCF', () => {
  it('COMFAMA without services and with its role not active: says so, with the note, and offers what can be done (nothing to change yet)', async () => {
    const w = await world();
    const r = await toComfamaServices(w);
    expect(r.text).toContain('**COMFAMA** no tiene servicios asignados.');
    expect(r.text).toContain('El rol Caja de Compensación Familiar de **COMFAMA** no está activo: puede asignarle servicios, pero la Caja no podrá usarlos hasta que se active.');
    expect(unique(buttons(r))).toEqual(['Asignar servicios', 'Volver']);
    expect((await say(w.client, '2')).folded).toContain(TRAY);
  });

  it('"Cambiar una asignación" is offered once COMFAMA has one, and again after revoking its last one is not', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['ConsultaAfiliacion'], actor)).ok).toBe(true);
    const r = await toComfamaServices(w);
    expect(unique(buttons(r))).toEqual(['Asignar servicios', 'Cambiar una asignación (suspender, reactivar o revocar)', 'Volver']);
    for (const text of ['Cambiar una asignación', 'ConsultaAfiliacion', 'Revocar', 'La Caja lo pidió por escrito']) await say(w.client, text);
    const after = await say(w.client, 'Sí, confirmar');
    expect(after.folded).toContain('revocado');
    expect(unique(buttons(after))).toEqual(['Asignar servicios', 'Volver']);
  });

  it.each([
    { how: 'typed numbers "1, 6"', input: '1, 6' as Input, listed: '- ConsultaAfiliacion\n- SolicitudAfiliacion' },
    { how: 'typed "6 y 1"', input: '6 y 1' as Input, listed: '- SolicitudAfiliacion\n- ConsultaAfiliacion' },
    { how: 'the card', input: { value: { servicios: '1,6', __servicios: true } } as Input, listed: '- ConsultaAfiliacion\n- SolicitudAfiliacion' },
    { how: 'typed "uno y seis"', input: 'uno y seis' as Input, listed: '- ConsultaAfiliacion\n- SolicitudAfiliacion' },
    { how: 'their names, as a person types them', input: 'consulta afiliacion y solicitud' as Input, listed: '- ConsultaAfiliacion\n- SolicitudAfiliacion' },
    { how: 'their identifiers', input: 'SolicitudAfiliacion, consultaafiliacion' as Input, listed: '- SolicitudAfiliacion\n- ConsultaAfiliacion' },
    { how: 'a number and a name', input: '1; solicitud de afiliación' as Input, listed: '- ConsultaAfiliacion\n- SolicitudAfiliacion' },
  ])('two services by $how: the numbers are those of the list, confirm, a Client ID each; the card; Andrés e-mailed and told', async ({ input, listed }) => {
    const w = await world();
    await talkedBefore(w, andres);
    await toComfamaServices(w);
    const offer = await say(w.client, 'Asignar servicios');
    expect(offer.folded).toContain(fold('que servicios asigna a comfama? marque uno o varios en la tarjeta, o escriba sus numeros o sus nombres separados por comas'));
    const numbers = numberedServices(offer);
    expect([...numbers.entries()]).toEqual(EXAMPLES.map((s, i) => [i + 1, s]));
    expect(offer.text).toContain('1. GET ConsultaAfiliacion — Consulta de afiliación');
    expect(offer.text).toContain('6. POST SolicitudAfiliacion — Solicitud de afiliación');
    // The card: a multi-select with the same numbers.
    const choiceSet = JSON.stringify(offer.cards);
    expect(choiceSet).toContain('"isMultiSelect":true');
    expect(choiceSet).toContain('{"title":"GET ConsultaAfiliacion","value":"1"}');
    expect(choiceSet).toContain('{"title":"POST SolicitudAfiliacion","value":"6"}');
    // The question is said once, by the message above the card (the card's body repeated it).
    expect(offer.activities.filter((a) => a.text?.includes('¿Qué servicios asigna a'))).toHaveLength(1);
    expect(JSON.stringify(offer.cards.map((c) => c['body']))).not.toContain('Qué servicios asigna a');

    const confirm = await say(w.client, input);
    expect(confirm.text).toContain(`¿Asigna a **COMFAMA** estos servicios?\n\n${listed}`);
    expect(await assignments(w)).toEqual([]);
    const done = await say(w.client, 'Sí, confirmar');
    const stored = await assignments(w);
    expect(stored.map((a) => a.servicioId).sort()).toEqual([numbers.get(1), numbers.get(6)]);
    for (const a of stored) {
      expect(a).toMatchObject({ nit: COMFAMA_NIT, estado: 'activo' });
      expect(a.clientId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(done.text).toContain(`- **${a.servicioId}**: asignado, Client ID \`${a.clientId}\``);
      expect(done.text).toContain(`Client ID: ${a.clientId} · asignado el 26/11/2026`);
    }
    expect(new Set(stored.map((a) => a.clientId)).size).toBe(2);
    // The role not active yet: said once, after the Caja's assignments (it was also glued to the list's last row).
    expect(done.text).toContain('El rol Caja de Compensación Familiar de **COMFAMA** no está activo: puede asignarle servicios, pero la Caja no podrá usarlos hasta que se active.');
    expect(done.text.match(/no está activo/g)).toHaveLength(1);
    // Back at COMFAMA's assignments, as a card.
    expect(done.text).toContain('Servicios asignados a COMFAMA');
    expect(done.text).toContain('GET ConsultaAfiliacion — activo');
    expect(done.text).toContain('POST SolicitudAfiliacion — activo');
    expect(mails(w)).toEqual([`servicios-asignados→${EMAIL[ANDRES]}`]);
    // In the order chosen.
    const order = listed.split('\n').map((l) => l.slice(2));
    expect(w.mailer.sent[0]?.data).toMatchObject({ servicios: order, usable: false, nit: '890.900.841-9' });
    expect(w.notifier.notices).toEqual([{ citizenId: ANDRES, text: expect.stringContaining(`El Ministerio de Salud asignó a **COMFAMA**: ${order.join(', ')}. Podrá usarlos cuando el Ministerio active el rol`) }]);
    expect((await auditActions(w)).filter((a) => a === 'servicios.asignado')).toHaveLength(2);
    // No one else's documents in the Client IDs' messages.
    expect(done.text).not.toMatch(/1017234567|70123456|654321/);
  });

  it.each(['1, 9', '0', '7', 'todos', '1,,x', '🙂', 'consulta', 'afiliacion y pagos'])('the services "%s" are asked again (numbers from 1 to 6, or names); nothing assigned', async (bad) => {
    const w = await world();
    await toComfamaServices(w);
    await say(w.client, 'Asignar servicios');
    const r = await say(w.client, bad);
    expect(r.folded).toContain(fold('no entendi cuales servicios. escriba sus numeros o sus nombres separados por comas (numeros del 1 al 6)'));
    expect(await assignments(w)).toEqual([]);
    expect((await say(w.client, '2')).folded).toContain(fold('asigna a comfama este servicio'));
  });

  it('with the role active: no note, the services are usable now', async () => {
    const w = await world();
    expect((await setCcfRole(w.deps, CARLOS, COMFAMA_NIT, true, 'Cumple los requisitos', actor)).ok).toBe(true);
    w.mailer.sent.length = 0;
    const view = await toComfamaServices(w);
    expect(view.folded).not.toContain(fold('no esta activo'));
    await say(w.client, 'Asignar servicios');
    await say(w.client, '6');
    const done = await say(w.client, 'Sí, confirmar');
    expect(done.text).toContain('- **SolicitudAfiliacion**: asignado, Client ID');
    expect(done.folded).not.toContain(fold('no esta activo'));
    expect(w.mailer.sent[0]?.data).toMatchObject({ servicios: ['SolicitudAfiliacion'], usable: true });
  });

  it('a service already assigned: "ya estaba asignado" with the same Client ID; only the new one is mailed', async () => {
    const w = await world();
    const first = await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['SolicitudAfiliacion'], actor);
    if (!first.ok) throw new Error(first.error.code);
    const clientId = (await assignments(w))[0]!.clientId;
    w.mailer.sent.length = 0;
    await toComfamaServices(w);
    const offer = await say(w.client, 'Asignar servicios');
    expect(offer.text).toContain('6. POST SolicitudAfiliacion — Solicitud de afiliación (ya asignado)');
    expect(JSON.stringify(offer.cards)).toContain('"title":"POST SolicitudAfiliacion ✓"');
    await say(w.client, { value: { servicios: '2,6', __servicios: true } });
    const done = await say(w.client, 'Sí, confirmar');
    expect(done.text).toContain(`- **SolicitudAfiliacion**: ya estaba asignado (activo), Client ID \`${clientId}\``);
    expect(done.text).toMatch(/- \*\*ConsultaBeneficiarios\*\*: asignado, Client ID `[\w-]{32}`/);
    expect((await assignments(w)).find((a) => a.servicioId === 'SolicitudAfiliacion')?.clientId).toBe(clientId);
    expect(w.mailer.sent.map((m) => m.data['servicios'])).toEqual([['ConsultaBeneficiarios']]);
  });

  it('"No, volver" and atrás at the confirmation assign nothing and ask the services again; atrás at the services goes back to COMFAMA', async () => {
    const w = await world();
    await toComfamaServices(w);
    await say(w.client, 'Asignar servicios');
    await say(w.client, '1, 6');
    const before = await snapshot(w);
    expect((await say(w.client, 'No, volver')).folded).toContain(fold('que servicios asigna a comfama'));
    await say(w.client, '1, 6');
    expect((await say(w.client, 'atrás')).folded).toContain(fold('que servicios asigna a comfama'));
    expect((await say(w.client, 'atrás')).folded).toContain(fold('comfama no tiene servicios asignados'));
    expect(await snapshot(w)).toBe(before);
  });

  it('"suspender consulta de comfama" at the main menu, "revocar la solicitud" at the CCF\'s question: the reason of that change, nothing else asked; atrás asks which assignment', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['ConsultaAfiliacion', 'SolicitudAfiliacion'], actor)).ok).toBe(true);
    await asAdmin(w);
    const reason = await say(w.client, 'suspender consulta de comfama');
    expect(reason.text).toContain('GET ConsultaAfiliacion — activo'); // COMFAMA's assignments first
    expect(reason.folded).toContain(fold('cual es el motivo'));
    expect(reason.text).toContain('Suspender la asignación de **ConsultaAfiliacion** a **COMFAMA**'); // which change the reason is for
    expect(reason.folded).not.toContain(fold('¿Qué desea hacer?'));
    const confirm = await say(w.client, 'Revisión de seguridad');
    expect(confirm.text).toContain('¿Suspender la asignación de **ConsultaAfiliacion** a **COMFAMA**?');
    expect((await say(w.client, 'No')).folded).toContain(fold('cual asignacion de comfama'));
    await say(w.client, 'atrás');
    const revoke = await say(w.client, 'revocar la solicitud');
    expect(revoke.folded).toContain(fold('cual es el motivo'));
    expect(revoke.folded).not.toContain(fold('cual asignacion de comfama'));
    const back = await say(w.client, 'atrás');
    expect(back.folded).toContain(fold('cual asignacion de comfama'));
    // "reactivar" an active one is no change it allows: the question with the ones it does.
    await say(w.client, 'atrás');
    const notAllowed = await say(w.client, 'reactivar consulta');
    expect(notAllowed.text).toContain('¿Qué hace con **ConsultaAfiliacion** de **COMFAMA** (hoy activo)?');
    expect((await assignments(w)).every((a) => a.estado === 'activo')).toBe(true);
  });

  it('"atrás" at the change\'s confirmation asks the reason again (the assignment and the change kept); "No" goes to the list', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['ConsultaAfiliacion', 'SolicitudAfiliacion'], actor)).ok).toBe(true);
    await asAdmin(w);
    await say(w.client, 'suspender consulta de comfama');
    expect((await say(w.client, 'pq si')).folded).toContain(fold('¿Suspender la asignación de **ConsultaAfiliacion** a **COMFAMA**?'));
    const again = await say(w.client, 'atrás');
    expect(again.folded).toContain(fold('cual es el motivo'));
    expect(again.folded).not.toContain(fold('cual asignacion de comfama'));
    const confirm = await say(w.client, 'La Caja pidió suspenderlo mientras actualiza su sistema');
    expect(confirm.text).toContain('¿Suspender la asignación de **ConsultaAfiliacion** a **COMFAMA**?\n\nMotivo: La Caja pidió suspenderlo mientras actualiza su sistema');
    await say(w.client, 'Sí, confirmar');
    const stored = (await assignments(w)).find((a) => a.servicioId === 'ConsultaAfiliacion');
    expect(stored).toMatchObject({ estado: 'suspendido' });
    expect(stored?.historial.at(-1)?.motivo).toBe('La Caja pidió suspenderlo mientras actualiza su sistema');
  });

  it('another reason typed at the change\'s confirmation is taken and confirmed again; other words ask the confirmation again', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['ConsultaAfiliacion', 'SolicitudAfiliacion'], actor)).ok).toBe(true);
    await asAdmin(w);
    await say(w.client, 'suspender consulta de comfama');
    await say(w.client, 'pq si');
    const taken = await say(w.client, 'La Caja pidió suspenderlo mientras actualiza su sistema');
    expect(taken.text).toContain('Tomé lo que escribió como el nuevo motivo. ¿Suspender la asignación de **ConsultaAfiliacion** a **COMFAMA**?\n\nMotivo: La Caja pidió suspenderlo mientras actualiza su sistema');
    expect(taken.folded).not.toContain(fold('elija una de las opciones'));
    const again = await say(w.client, 'mmm');
    expect(again.folded).toContain(fold('o escriba otro motivo'));
    expect(again.text).toContain('Motivo: La Caja pidió suspenderlo mientras actualiza su sistema');
    await say(w.client, 'Sí, confirmar');
    const stored = (await assignments(w)).find((a) => a.servicioId === 'ConsultaAfiliacion');
    expect(stored).toMatchObject({ estado: 'suspendido' });
    expect(stored?.historial.at(-1)?.motivo).toBe('La Caja pidió suspenderlo mientras actualiza su sistema');
  });

  it('Cambiar una asignación: suspend with a reason; the actions depend on the state; reactivate; revoke; assigning it again gives a new Client ID', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['ConsultaAfiliacion', 'SolicitudAfiliacion'], actor)).ok).toBe(true);
    const oldId = (await assignments(w)).find((a) => a.servicioId === 'SolicitudAfiliacion')!.clientId;
    w.mailer.sent.length = 0;
    await talkedBefore(w, andres);
    await toComfamaServices(w);

    const which = await say(w.client, 'Cambiar una asignación');
    expect(which.folded).toContain(fold('cual asignacion de comfama'));
    expect(unique(buttons(which))).toEqual(['GET ConsultaAfiliacion (activo)', 'POST SolicitudAfiliacion (activo)']);
    const what = await say(w.client, 'SolicitudAfiliacion');
    expect(what.text).toContain('¿Qué hace con **SolicitudAfiliacion** de **COMFAMA** (hoy activo)?');
    expect(unique(buttons(what))).toEqual(['Suspender', 'Revocar', 'Volver']);
    await say(w.client, 'Suspender');
    expect((await say(w.client, 'ya')).folded).toContain(fold('al menos 5 caracteres'));
    const confirm = await say(w.client, 'Revisión de seguridad');
    expect(confirm.text).toContain('¿Suspender la asignación de **SolicitudAfiliacion** a **COMFAMA**?\n\nMotivo: Revisión de seguridad');
    const suspended = await say(w.client, 'Sí, confirmar');
    expect(suspended.text).toContain('Listo: la asignación de **SolicitudAfiliacion** a **COMFAMA** quedó **suspendida**.');
    expect(suspended.text).toContain('POST SolicitudAfiliacion — suspendido');
    expect(suspended.text).toContain(`Client ID: ${oldId} · asignado el 26/11/2026 · suspendido el 26/11/2026: Revisión de seguridad`);
    expect(mails(w)).toEqual([`asignacion-cambiada→${EMAIL[ANDRES]}`]);
    expect(w.notifier.notices.at(-1)).toEqual({ citizenId: ANDRES, text: expect.stringContaining('dejó **suspendido** el servicio **SolicitudAfiliacion** de **COMFAMA**. Motivo: Revisión de seguridad') });
    expect(await auditActions(w)).toContain('servicios.asignacion_suspendido');

    // A suspended assignment offers Reactivar and Revocar, not Suspender.
    expect(unique(buttons(await say(w.client, 'Cambiar una asignación')))).toEqual(['GET ConsultaAfiliacion (activo)', 'POST SolicitudAfiliacion (suspendido)']);
    const suspendedActions = await say(w.client, 'SolicitudAfiliacion');
    expect(suspendedActions.text).toContain('(hoy suspendido)');
    expect(unique(buttons(suspendedActions))).toEqual(['Reactivar', 'Revocar', 'Volver']);
    await say(w.client, 'Reactivar');
    await say(w.client, 'Revisión terminada');
    expect((await say(w.client, 'Sí, confirmar')).text).toContain('quedó **activa**');

    await say(w.client, 'Cambiar una asignación');
    expect(unique(buttons(await say(w.client, 'SolicitudAfiliacion')))).toEqual(['Suspender', 'Revocar', 'Volver']);
    await say(w.client, 'Revocar');
    await say(w.client, 'Fin del convenio');
    const revoked = await say(w.client, 'Sí, confirmar');
    expect(revoked.text).toContain('quedó **revocada**');
    expect(revoked.text).toContain('POST SolicitudAfiliacion — revocado');
    // A revoked assignment cannot be changed any more.
    expect(unique(buttons(await say(w.client, 'Cambiar una asignación')))).toEqual(['GET ConsultaAfiliacion (activo)']);
    await say(w.client, 'atrás');

    // Assigned again: a new Client ID.
    const offer = await say(w.client, 'Asignar servicios');
    expect(offer.text).toContain('6. POST SolicitudAfiliacion — Solicitud de afiliación\n');
    await say(w.client, '6');
    const again = await say(w.client, 'Sí, confirmar');
    const renewed = (await assignments(w)).find((a) => a.servicioId === 'SolicitudAfiliacion')!;
    expect(renewed.estado).toBe('activo');
    expect(renewed.clientId).not.toBe(oldId);
    expect(again.text).toContain(`- **SolicitudAfiliacion**: asignado, Client ID \`${renewed.clientId}\``);
    expect(again.text).not.toContain(oldId);
    expect(renewed.historial.map((h) => h.estado)).toEqual(['activo', 'suspendido', 'activo', 'revocado', 'activo']);
    expect(mails(w)).toEqual([...Array(3).fill(`asignacion-cambiada→${EMAIL[ANDRES]}`), `servicios-asignados→${EMAIL[ANDRES]}`]);
  });

  it('Cambiar: "Volver" at the actions, atrás at the reason and "No, volver" at the confirmation change nothing', async () => {
    const w = await world();
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['SolicitudAfiliacion'], actor)).ok).toBe(true);
    w.mailer.sent.length = 0;
    await toComfamaServices(w);
    await say(w.client, 'Cambiar una asignación');
    const before = await snapshot(w);
    await say(w.client, 'SolicitudAfiliacion');
    expect((await say(w.client, 'Volver')).folded).toContain(fold('cual asignacion de comfama'));
    await say(w.client, 'SolicitudAfiliacion');
    await say(w.client, 'Revocar');
    expect((await say(w.client, 'atrás')).folded).toContain(fold('cual asignacion de comfama'));
    await say(w.client, 'SolicitudAfiliacion');
    await say(w.client, 'Revocar');
    await say(w.client, 'Fin del convenio');
    expect((await say(w.client, 'No, volver')).folded).toContain(fold('cual asignacion de comfama'));
    expect(await snapshot(w)).toBe(before);
  });
});

// ------------------------------------------------------------------------------ Mis acciones recientes

describe('Mis acciones recientes', () => {
  it("lists what Carlos did, newest first, with the reasons; not another administrator's actions", async () => {
    const w = await world({ joseAdmin: true });
    const step = async (f: () => Promise<{ ok: boolean }>) => {
      expect((await f()).ok).toBe(true);
      w.clock.advance(MINUTE);
    };
    await step(() => setCcfRole(w.deps, CARLOS, COMFAMA_NIT, true, 'Cumple los requisitos', actor));
    await step(() => assignServices(w.deps, CARLOS, COMFAMA_NIT, ['SolicitudAfiliacion'], actor));
    await step(() => changeAssignment(w.deps, CARLOS, COMFAMA_NIT, 'SolicitudAfiliacion', 'suspender', 'Revisión de seguridad', actor));
    await step(() => retireService(w.deps, JOSE, 'RetiroAfiliado', 'Retirado por otro administrador', actor));
    await step(() => retireService(w.deps, CARLOS, 'ReporteNovedad', 'Ya no se usa', actor));
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    const r = await say(w.client, 'Mis acciones recientes');
    const rows = r.text.split('\n').filter((l) => l.startsWith('- 26 de noviembre'));
    expect(rows).toEqual([
      '- 26 de noviembre de 2026 a las 10:04 a. m. — retiró el servicio: POST ReporteNovedad («Ya no se usa»)',
      '- 26 de noviembre de 2026 a las 10:02 a. m. — suspendió: SolicitudAfiliacion → COMFAMA («Revisión de seguridad»)',
      '- 26 de noviembre de 2026 a las 10:01 a. m. — asignó: SolicitudAfiliacion → COMFAMA',
      '- 26 de noviembre de 2026 a las 10:00 a. m. — activó el rol CCF: COMFAMA («Cumple los requisitos»)',
    ]);
    expect(r.text).not.toContain('RetiroAfiliado');
    expect(r.folded).toContain(TRAY);
  });

  it('what Carlos does in the chat appears there at once, newest first', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Activar el rol');
    await say(w.client, 'Cumple los requisitos');
    await say(w.client, 'Sí, confirmar');
    w.clock.advance(5 * MINUTE);
    await say(w.client, 'Asignar servicios a una Caja');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Asignar servicios');
    await say(w.client, '6');
    await say(w.client, 'Sí, confirmar');
    await say(w.client, 'Volver');
    const r = await say(w.client, 'Mis acciones recientes');
    expect(r.text).toMatch(/10:05 a\. m\. — asignó: SolicitudAfiliacion → COMFAMA\n- 26 de noviembre de 2026 a las 10:00 a\. m\. — activó el rol CCF: COMFAMA/);
  });
});

// ------------------------------------------------------------------------------ who may use it

describe('who may use the back office', () => {
  it.each([
    { typed: 'bandeja del ministerio', proceso: 'bandeja-ministerio', nombre: 'bandeja del ministerio' },
    { typed: 'activar rol ccf', proceso: 'activar-rol-ccf', nombre: 'activar o desactivar rol caja de compensacion familiar' },
    { typed: 'Catálogo de servicios (Ministerio)', proceso: 'catalogo-servicios', nombre: 'catalogo de servicios web (ministerio)' },
    { typed: 'Asignar servicios', proceso: 'asignar-servicios', nombre: 'asignar servicios a una caja' },
  ])('José (not an administrator) asking "$typed" is told it is for the Ministry\'s administrators; the refusal is audited', async ({ typed, proceso, nombre }) => {
    const w = await world();
    await login(w, jose);
    await say(w.client, 'Empleador');
    const before = await snapshot(w);
    const r = await say(w.client, typed);
    expect(r.folded).toContain(fold(`${nombre} es para los administradores del ministerio de salud y proteccion social, y usted no tiene ese rol`));
    expect(r.folded).toContain(MENU);
    expect(r.folded).not.toMatch(/esto es lo que espera|cual caja|agregar un servicio|lo sentimos/);
    const refusals = (await auditEvents(w)).filter((e) => e.action === 'proceso.no_permitido');
    expect(refusals).toEqual([expect.objectContaining({ detail: { proceso }, channel: 'test' })]);
    expect(JSON.stringify(refusals)).not.toContain('70123456');
    expect(await snapshot(w)).toBe(before);
  });

  it("an administrator who is COMFAMA's RL cannot activate its role nor assign it services: refused, nothing stored, nobody told, audited", async () => {
    const w = await world({ joseAdmin: true });
    await asAdmin(w, jose);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Activar el rol');
    await say(w.client, 'Cumple los requisitos');
    const refused = await say(w.client, 'Sí, confirmar');
    expect(refused.folded).not.toContain(fold('quedo activo'));
    expect(refused.folded).toContain(TRAY);
    expect(await rolCcf(w)).toBeUndefined();
    await say(w.client, 'Asignar servicios a una Caja');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Asignar servicios');
    await say(w.client, '6');
    const notAssigned = await say(w.client, 'Sí, confirmar');
    expect(notAssigned.folded).not.toContain(fold('client id'));
    expect(await assignments(w)).toEqual([]);
    expect(w.mailer.sent).toEqual([]);
    expect(w.notifier.notices).toEqual([]);
    const conflicts = (await auditEvents(w)).filter((e) => e.action === 'ministerio.rechazado' && e.detail?.['motivo'] === 'conflicto');
    expect(conflicts).toHaveLength(2);
    expect((await say(w.client, 'Volver')).folded).toContain(TRAY);
    expect((await say(w.client, 'Mis acciones recientes')).folded).toContain(fold('todavia no ha hecho acciones'));
  });
});

// ------------------------------------------------------------------------------ the authorized person's side

describe("the authorized person's side", () => {
  it('Carlos activates COMFAMA and assigns two services; Andrés is told; picking the CCF role names both services and the next step; ¿en qué voy? shows step 4 done; after a deactivation the role says so, with the reason and the helpdesk', async () => {
    const w = await world();
    await talkedBefore(w, andres);
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Activar el rol');
    await say(w.client, 'Cumple los requisitos');
    expect((await say(w.client, 'Sí, confirmar')).folded).toContain(fold('quedo activo'));
    await say(w.client, 'Asignar servicios a una Caja');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Asignar servicios');
    await say(w.client, '1, 6');
    expect((await say(w.client, 'Sí, confirmar')).folded).not.toContain(fold('no esta activo'));
    expect(mails(w)).toEqual([`rol-ccf-activado→${EMAIL[JOSE]}`, `rol-ccf-activado→${EMAIL[ANDRES]}`, `servicios-asignados→${EMAIL[ANDRES]}`]);
    expect(w.notifier.notices.filter((n) => n.citizenId === ANDRES).map((n) => n.text)).toEqual([
      expect.stringContaining('**activó** el rol Caja de Compensación Familiar de **COMFAMA**'),
      expect.stringMatching(/asignó a \*\*COMFAMA\*\*: ConsultaAfiliacion, SolicitudAfiliacion\.$/),
    ]);
    await say(w.client, 'salir');

    const roles = await login(w, andres);
    expect(buttons(roles)).toContain('Caja de compensación familiar — COMFAMA');
    const chosen = await say(w.client, 'Caja de compensación familiar — COMFAMA');
    expect(chosen.folded).toContain(fold('ahora actua como caja de compensacion familiar — comfama'));
    expect(chosen.text).toContain('El Ministerio de Salud activó el rol «Caja de Compensación Familiar» de **COMFAMA** el 26/11/2026 y le asignó estos servicios: **ConsultaAfiliacion**, **SolicitudAfiliacion**.');
    expect(chosen.text).toContain('El siguiente paso es la **Administración de Servicios Web**');
    const checklist = await say(w.client, '¿en qué voy?');
    expect(checklist.text).toContain('✔ Paso 4: Activación del rol Caja de Compensación Familiar y asignación de servicios (Ministerio de Salud) — hecho');
    expect(checklist.text).toContain('El Ministerio de Salud activó el rol el 26/11 y asignó 2 servicios: ConsultaAfiliacion, SolicitudAfiliacion.');
    // The Ministry, never a staff member.
    expect(checklist.folded).not.toMatch(/carlos|briceno|654321/);
    expect(chosen.folded).not.toMatch(/carlos|briceno|654321/);
    await say(w.client, 'salir');

    w.clock.advance(DAY);
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Desactivar el rol');
    await say(w.client, 'Incumple los requisitos');
    expect((await say(w.client, 'Sí, confirmar')).folded).toContain(fold('quedo desactivado'));
    await say(w.client, 'salir');

    await login(w, andres);
    const blocked = await say(w.client, 'Caja de compensación familiar — COMFAMA');
    expect(blocked.text).toContain('El Ministerio de Salud **desactivó** el rol «Caja de Compensación Familiar» de **COMFAMA** el 27/11/2026 (motivo: Incumple los requisitos): por ahora no puede administrar los servicios web de la Caja.');
    expect(blocked.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(blocked.text).toContain('(57-1) 5893750');
    expect(blocked.text).toContain('01 8000 96 00 20');
    const later = await say(w.client, '¿en qué voy?');
    expect(later.text).toContain('✗ Paso 4: Activación del rol Caja de Compensación Familiar y asignación de servicios (Ministerio de Salud) — bloqueado');
    expect(later.folded).toContain(fold('el ministerio de salud desactivo el rol caja de compensacion familiar; comuniquese con la mesa de ayuda'));
  });
});

// ------------------------------------------------------------------------------ every prompt

interface FlowStep {
  /** What the administrator says to reach the next question. */
  readonly say: Input;
  /** What that question (and its re-ask) says, folded. */
  readonly q: string;
  /** What "atrás" at that question shows (folded); undefined: not tested here (see the known bugs). */
  readonly back?: string;
  /** The step "estado" names at that question ("Está en Bandeja del Ministerio, en …"); undefined: a form's field, which names itself. */
  readonly paso?: string;
}

/** Each flow from the administrator's menu; the last step is the result, not a prompt. */
const FLOWS = {
  Activar: [
    { say: 'Bandeja del Ministerio', q: 'activar o desactivar rol ccf', paso: 'Elegir qué hacer' },
    { say: 'Activar o desactivar rol CCF', q: 'sigla', back: TRAY, paso: 'Activar o desactivar rol CCF — Elegir la Caja' },
    { say: 'COMFAMA', q: 'activar el rol', back: CCF_QUESTION, paso: 'Activar o desactivar rol CCF' },
    { say: 'Activar el rol', q: 'cual es el motivo', back: CCF_QUESTION },
    { say: 'Cumple los requisitos', q: 'activa el rol caja de compensacion familiar de comfama', back: CCF_QUESTION, paso: 'Activar o desactivar rol CCF' },
    { say: 'Sí, confirmar', q: 'quedo activo' },
  ],
  Agregar: [
    { say: 'Bandeja del Ministerio', q: 'activar o desactivar rol ccf' },
    { say: 'Catálogo de servicios', q: 'agregar un servicio', back: TRAY, paso: 'Catálogo de servicios web' },
    { say: 'Agregar un servicio', q: 'adjunt', back: 'catalogo de servicios web', paso: 'Catálogo de servicios web' },
    { say: attach('bo-dos-operaciones.yaml'), q: 'cual operacion es el servicio', back: 'adjunte el documento openapi', paso: 'Catálogo de servicios web' },
    { say: '2', q: 'revise', back: 'adjunte el documento openapi', paso: 'Nuevo servicio del catálogo' },
    { say: 'confirmar', q: 'quedo publicado' },
  ],
  Retirar: [
    { say: 'Bandeja del Ministerio', q: 'activar o desactivar rol ccf' },
    { say: 'Catálogo de servicios', q: 'retirar un servicio', back: TRAY },
    { say: 'Retirar un servicio', q: 'cual servicio desea retirar', back: 'catalogo de servicios web' },
    { say: 'RetiroAfiliado', q: 'cual es el motivo', back: 'cual servicio desea retirar' },
    { say: 'Ya no se usa', q: 'retira el servicio retiroafiliado del catalogo', back: 'cual servicio desea retirar' },
    { say: 'Sí, confirmar', q: 'quedo retirado' },
  ],
  Asignar: [
    { say: 'Bandeja del Ministerio', q: 'activar o desactivar rol ccf' },
    { say: 'Asignar servicios a una Caja', q: 'sigla', back: TRAY, paso: 'Asignar servicios a una Caja — Elegir la Caja' },
    { say: 'COMFAMA', q: 'que desea hacer', back: TRAY, paso: 'Asignar servicios a una Caja' },
    { say: 'Asignar servicios', q: 'sus numeros o sus nombres separados por comas', back: 'comfama no tiene servicios asignados', paso: 'Asignar servicios a una Caja' },
    { say: '1, 6', q: 'asigna a comfama estos servicios', back: 'que servicios asigna a comfama', paso: 'Asignar servicios a una Caja' },
    { say: 'Sí, confirmar', q: 'asignado, client id' },
  ],
  Cambiar: [
    { say: 'Bandeja del Ministerio', q: 'activar o desactivar rol ccf' },
    { say: 'Asignar servicios a una Caja', q: 'sigla', back: TRAY },
    { say: 'COMFAMA', q: 'cambiar una asignacion', back: TRAY },
    { say: 'Cambiar una asignación', q: 'cual asignacion de comfama', back: 'servicios asignados a comfama' },
    { say: 'SolicitudAfiliacion', q: 'que hace con solicitudafiliacion de comfama', back: 'cual asignacion de comfama' },
    { say: 'Suspender', q: 'cual es el motivo', back: 'cual asignacion de comfama' },
    { say: 'Revisión de seguridad', q: 'suspender la asignacion de solicitudafiliacion a comfama', back: 'cual es el motivo' },
    { say: 'Sí, confirmar', q: 'quedo suspendida' },
  ],
} satisfies Record<string, readonly FlowStep[]>;
type FlowName = keyof typeof FLOWS;

/** Carlos, acting as administrator, up to the question of `FLOWS[flow][step]` (Cambiar: SolicitudAfiliacion assigned beforehand). */
async function reach(flow: FlowName, step: number): Promise<World> {
  const w = await world();
  if (flow === 'Cambiar') {
    expect((await assignServices(w.deps, CARLOS, COMFAMA_NIT, ['SolicitudAfiliacion'], actor)).ok).toBe(true);
    w.mailer.sent.length = 0;
  }
  await asAdmin(w);
  for (let i = 0; i <= step; i++) {
    const s = FLOWS[flow][i]!;
    const reply = await say(w.client, s.say);
    expect(reply.folded, `${flow} step ${i}: ${reply.text}`).toContain(fold(s.q));
  }
  return w;
}

/** Every question once (the tray, the catalog's and the assignment's first questions are shared by several flows). */
const SEEN = new Set<string>();
const PROMPTS = (Object.keys(FLOWS) as FlowName[]).flatMap((flow) =>
  (FLOWS[flow] as readonly FlowStep[]).slice(0, -1).flatMap((f, step) => {
    const key = `${JSON.stringify(f.say)}|${f.q}`;
    if (SEEN.has(key)) return [];
    SEEN.add(key);
    const next = (FLOWS[flow] as readonly FlowStep[])[step + 1]!;
    return [{ flow, step, question: fold(f.q), back: f.back === undefined ? undefined : fold(f.back), paso: f.paso, good: next.say, next: fold(next.q) }];
  }),
);

describe.each(PROMPTS)('$flow, the question "$question"', (p) => {
  it('bad input gets a Spanish re-ask of the same question, nothing changes; ayuda and estado answer; then the flow goes on', async () => {
    const w = await reach(p.flow, p.step);
    const before = await snapshot(w);
    for (const [kind, bad] of BAD_INPUTS) {
      const reply = await say(w.client, bad);
      expect(reply.folded, `${kind}: ${reply.text}`).toContain(p.question);
      expect(reply.folded, kind).not.toMatch(/lo sentimos|ocurrio un error|\bundefined\b|\{\{/);
    }
    const ayuda = await say(w.client, 'ayuda');
    expect(ayuda.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(ayuda.folded).toContain(p.question);
    const estado = await say(w.client, 'estado');
    expect(estado.folded).toContain(fold('esta en bandeja del ministerio'));
    if (p.paso) expect(estado.folded, estado.text).toContain(fold(`Está en Bandeja del Ministerio, en ${p.paso};`));
    // The status asks nothing of its own in the middle of a step: the step's question follows it.
    expect(estado.activities.flatMap((a) => a.suggestedActions?.actions ?? [])).toEqual([]);
    expect(estado.folded).toContain(p.question);
    expect(await snapshot(w)).toBe(before);
    expect((await say(w.client, p.good)).folded).toContain(p.next);
  });

  it('cancelar goes back to the menu and changes nothing', async () => {
    const w = await reach(p.flow, p.step);
    const before = await snapshot(w);
    expect((await say(w.client, 'cancelar')).folded).toMatch(/cancele lo que estaba haciendo.*que desea hacer ahora/s);
    expect(await snapshot(w)).toBe(before);
  });

  it.skipIf(p.back === undefined)('atrás goes back and changes nothing', async () => {
    const w = await reach(p.flow, p.step);
    const before = await snapshot(w);
    expect((await say(w.client, 'atrás')).folded).toContain(p.back);
    expect(await snapshot(w)).toBe(before);
  });
});

describe('¿En qué voy? of an administrator: the Ministry\'s work, not a CCF\'s chain', () => {
  it('from the menu: what waits for the Ministry, with the back office\'s options', async () => {
    const w = await world();
    await asAdmin(w);
    const status = await say(w.client, 'en que voy');
    expect(status.folded).toContain(fold('actúa como Administrador MinSalud'));
    expect(status.folded).toContain(fold('Esto espera al Ministerio: 1 Caja lista para activar su rol, ninguna Caja activa sin servicios y ningún RUT por revisar'));
    expect(status.activities.flatMap((a) => a.suggestedActions?.actions.map((x) => x.title) ?? [])).toEqual(['Bandeja del Ministerio', 'Revisar RUT pendientes']);
    expect(status.folded).not.toMatch(/representante legal .* debe registrar|paso 1/);
    expect((await say(w.client, 'Bandeja del Ministerio')).folded).toContain(fold('Esto es lo que espera al Ministerio de Salud'));
  });
});

describe('the tray read as a person writes: the action in other words, with the CCF named', () => {
  it('"activar comfama": COMFAMA\'s state and "Activar el rol", without asking which Caja', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    const r = await say(w.client, 'activar comfama');
    expect(r.folded).not.toContain(CCF_QUESTION);
    expect(r.text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    expect(unique(buttons(r))).toEqual(['Activar el rol', 'Volver']);
    expect((await say(w.client, 'Activar el rol')).folded).toContain('cual es el motivo');
  });

  it('"quiero desactivar el rol de Comfama" once active: its state and "Desactivar el rol"', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    for (const text of ['Activar o desactivar rol CCF', 'COMFAMA', 'Activar el rol', 'Cumple los requisitos', 'Sí, confirmar']) await say(w.client, text);
    const r = await say(w.client, 'quiero desactivar el rol de Comfama');
    expect(r.text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    expect(unique(buttons(r))).toEqual(['Desactivar el rol', 'Volver']);
  });

  it('"asignar servicios a comfama": COMFAMA\'s assignments, without asking which Caja; "atrás" there goes back to the tray', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    const r = await say(w.client, 'asignar servicios a comfama');
    expect(r.folded).not.toContain(CCF_QUESTION);
    expect(r.text).toContain('**COMFAMA** no tiene servicios asignados.');
    expect((await say(w.client, 'atrás')).folded).toContain(TRAY);
  });

  it.each([
    ['asignacion', CCF_QUESTION],
    ['activar la de antioquia', fold('¿Cuál Caja de Compensación Familiar?')],
    ['desactivar', CCF_QUESTION],
    ['historial', fold('Mis acciones recientes')],
    ['nuevo servicio', fold('adjunte el documento openapi del servicio')],
  ])('"%s" opens that action (several Cajas fit, or none is named: the question)', async (text, expected) => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    expect((await say(w.client, text)).folded).toContain(expected);
  });
});

describe('the administrator\'s words for a functionality of several roles', () => {
  it.each(['catalogo de servicios', 'catalogo', 'ver el catálogo'])('"%s" at the main menu opens the Ministry\'s catalog, not a CCF\'s module', async (text) => {
    const w = await world();
    await asAdmin(w);
    const r = await say(w.client, text);
    expect(r.text).toContain('POST SolicitudAfiliacion — Solicitud de afiliación');
    expect(unique(buttons(r))).toEqual(['Agregar un servicio', 'Retirar un servicio', 'Volver']);
    expect(r.folded).not.toContain(fold('Administración de Servicios Web es para'));
  });
});

describe('the administrator\'s menu read as the tray reads it: the action with the CCF named', () => {
  it('"activar comfama" at the main menu: COMFAMA\'s state and "Activar el rol", without asking which Caja', async () => {
    const w = await world();
    await asAdmin(w);
    const r = await say(w.client, 'activar comfama');
    expect(r.folded).not.toContain(CCF_QUESTION);
    expect(r.folded).not.toContain(fold('esto es lo que encontré'));
    expect(r.text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    expect(unique(buttons(r))).toEqual(['Activar el rol', 'Volver']);
    expect((await say(w.client, 'Activar el rol')).folded).toContain('cual es el motivo');
  });

  it('"estado" in a section started from the main menu names it once (the process), then the step', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'desactivar');
    const atCcf = await say(w.client, 'estado');
    expect(atCcf.text).toContain('Está en **Activar o desactivar rol Caja de Compensación Familiar**, en **Elegir la Caja**');
    await say(w.client, 'comfama');
    const atRole = await say(w.client, 'estado');
    expect(atRole.text).toContain('Está en **Activar o desactivar rol Caja de Compensación Familiar**');
    expect(atRole.folded).not.toContain(fold('Activar o desactivar rol CCF'));
  });

  it('"asignar servicios a comfama" at the main menu: COMFAMA\'s assignments, without asking which Caja', async () => {
    const w = await world();
    await asAdmin(w);
    const r = await say(w.client, 'asignar servicios a comfama');
    expect(r.folded).not.toContain(CCF_QUESTION);
    expect(r.text).toContain('**COMFAMA** no tiene servicios asignados.');
  });

  it.each([
    ['desactivar', CCF_QUESTION],
    ['activar la de antioquia', fold('¿Cuál Caja de Compensación Familiar?')],
  ])('"%s" at the main menu opens that action and asks which Caja (none, or several, named)', async (text, expected) => {
    const w = await world();
    await asAdmin(w);
    expect((await say(w.client, text)).folded).toContain(expected);
  });

  it('a password typed with the action ("activar Antioquia2025abc") is refused as at any menu, not read as the action', async () => {
    const w = await world();
    await asAdmin(w);
    const r = await say(w.client, 'activar Antioquia2025abc');
    expect(r.text).not.toContain('Antioquia2025abc');
    expect(r.folded).toContain('eso parece una contrasena');
    expect(r.folded).not.toContain(CCF_QUESTION);
  });

  it('the same words from a citizen who is not acting as administrator are searched for, as any words', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'cambiar de rol');
    const roles = await say(w.client, 'Ciudadano');
    expect(roles.folded).toContain(fold('ahora actúa como ciudadano'));
    const r = await say(w.client, 'activar comfama');
    expect(r.text).not.toContain('**COMFAMA** (NIT 890.900.841-9)');
  });
});

describe('another action named where the back office asks which Caja', () => {
  it('"asignar servicios a comfama" at the activation\'s question: COMFAMA\'s assignments; then the tray', async () => {
    const w = await world();
    await asAdmin(w);
    expect((await say(w.client, 'Activar o desactivar rol CCF')).folded).toContain(CCF_QUESTION);
    const r = await say(w.client, 'asignar servicios a comfama');
    expect(r.folded).not.toContain(fold('No encontré una Caja'));
    expect(r.text).toContain('Pasamos a **Asignar servicios a una Caja**.');
    expect(r.text).toContain('**COMFAMA** no tiene servicios asignados.');
    // Where the person is now: the tray's assignments, not the activation it was started as.
    const estado = await say(w.client, 'estado');
    expect(estado.text).toContain('Está en **Bandeja del Ministerio**');
    expect(estado.folded).not.toContain(fold('Activar o desactivar'));
    expect((await say(w.client, 'atrás')).folded).toContain(TRAY);
  });

  it('"activar" at the assignments\' question (from the tray): the activation asks which Caja; "atrás" there is the tray', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Bandeja del Ministerio');
    expect((await say(w.client, 'Asignar servicios a una Caja')).folded).toContain(CCF_QUESTION);
    const r = await say(w.client, 'mejor quiero activar');
    expect(r.folded).not.toContain(fold('No encontré una Caja'));
    expect(r.text).toContain('Pasamos a **Activar o desactivar rol CCF**.');
    expect(r.folded).toContain(fold('¿Cuál Caja de Compensación Familiar?'));
    expect((await say(w.client, 'comfama')).text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    expect((await say(w.client, 'atrás')).folded).toContain(CCF_QUESTION);
    expect((await say(w.client, 'atrás')).folded).toContain(TRAY);
  });

  it('"asignar servicios a comfama" at COMFAMA\'s "Activar el rol / Volver": COMFAMA\'s assignments; "activar comfama" there: its role again', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Activar o desactivar rol CCF');
    expect((await say(w.client, 'comfama')).text).toContain('**COMFAMA** (NIT 890.900.841-9)');
    const r = await say(w.client, 'asignar servicios a comfama');
    expect(r.text).toContain('Pasamos a **Asignar servicios a una Caja**.');
    expect(r.text).toContain('**COMFAMA** no tiene servicios asignados.');
    const back = await say(w.client, 'activar comfama');
    expect(back.text).toContain('Pasamos a **Activar o desactivar rol CCF**.');
    expect(unique(buttons(back))).toEqual(['Activar el rol', 'Volver']);
    // The options themselves still mean what they say.
    expect((await say(w.client, 'Activar el rol')).folded).toContain('cual es el motivo');
  });

  it('the action alone at a Caja\'s own choice takes that Caja along: "asignar servicios" at COMFAMA\'s role, "desactivar" at its assignments', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'comfama');
    const r = await say(w.client, 'mejor asignar servicios');
    expect(r.folded).not.toContain(CCF_QUESTION);
    expect(r.text).toContain('**COMFAMA** no tiene servicios asignados.');
    const back = await say(w.client, 'desactivar');
    expect(back.folded).not.toContain(CCF_QUESTION);
    expect(back.text).toContain('**COMFAMA** (NIT 890.900.841-9)');
  });

  it('another Caja named with the action at a Caja\'s own choice is that other Caja', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'comfama');
    const r = await say(w.client, 'asignar servicios a comfenalco antioquia');
    expect(r.text).toContain('**COMFENALCO ANTIOQUIA** no tiene servicios asignados.');
  });

  it('"historial" at the activation\'s question: Mis acciones recientes', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Activar o desactivar rol CCF');
    expect((await say(w.client, 'historial')).folded).toContain(fold('Mis acciones recientes'));
  });

  it('words that name neither a Caja nor an action are still "No encontré una Caja", and the question stays', async () => {
    const w = await world();
    await asAdmin(w);
    await say(w.client, 'Activar o desactivar rol CCF');
    expect((await say(w.client, 'la caja del tio')).folded).toContain(fold('No encontré una Caja'));
    expect((await say(w.client, 'comfama')).text).toContain('**COMFAMA** (NIT 890.900.841-9)');
  });
});

describe('ayuda at the administrator\'s menu', () => {
  it('says what each of its options does', async () => {
    const w = await world();
    await asAdmin(w);
    const r = await say(w.client, 'que puedo hacer');
    expect(r.text).toContain('En el menú:\n- **Bandeja del Ministerio**: Para administradores del Ministerio: lo que espera al Ministerio');
    expect(r.text).toContain('- **Mis datos**: Vea los datos personales');
    expect(r.text).toContain('- **Cambiar de rol**: Elija en cuál de sus roles actúa ahora');
    expect(r.text).toContain('por ejemplo "asignar servicios" o "revisar rut"');
    expect(r.text).toContain('miseguridadsocial@minsalud.gov.co');
    // Every option of this menu, with what it does; the help itself is not among them.
    for (const id of ['bandeja-ministerio', 'mis-datos', 'estado', 'elegir-rol']) expect(r.text).toContain(`- **${buttonOf(id)}**: ${descriptionOf(id)}`);
    expect(r.text).not.toContain(`- **${buttonOf('ayuda')}**:`);
    expect(r.text).toContain('- **salir**: cierra su sesión.'); // logged in
  });
});

describe('ayuda and estado at the tray', () => {
  it('estado names the Bandeja del Ministerio; ayuda explains its choices', async () => {
    const w = await reach('Activar', 0);
    const estado = await say(w.client, 'estado');
    expect(estado.text).toContain('Está en **Bandeja del Ministerio**');
    expect(estado.text).toContain('actúa como **Administrador MinSalud**');
    const ayuda = await say(w.client, 'ayuda');
    expect(ayuda.folded).toContain(fold('elija que hacer: revisar rut adjuntos, activar o desactivar el rol caja de compensacion familiar'));
    expect(ayuda.folded).toContain(fold('cada asignacion recibe su client id'));
    // Inside the back office: the step's help and the commands in one line, not the menu's options.
    expect(ayuda.text).toContain('También puede escribir **atrás** (vuelve a la pregunta anterior)');
    expect(ayuda.text).toContain('**menú** (las opciones principales) o **salir** (cierra su sesión).'); // logged in
    expect(ayuda.text).not.toContain('En el menú');
  });
});

// ------------------------------------------------------------------------------ known bugs

describe('bugs found earlier (now regressions)', () => {
  it("an administrator who is COMFAMA's RL is told that he takes part in COMFAMA (not that the action is only for administrators)", async () => {
    const w = await world({ joseAdmin: true });
    await asAdmin(w, jose);
    await say(w.client, 'Bandeja del Ministerio');
    await say(w.client, 'Activar o desactivar rol CCF');
    await say(w.client, 'COMFAMA');
    await say(w.client, 'Activar el rol');
    await say(w.client, 'Cumple los requisitos');
    const refused = await say(w.client, 'Sí, confirmar');
    expect(refused.folded).not.toContain(fold('esta accion es solo para los administradores del ministerio de salud'));
    expect(refused.folded).toMatch(/representante legal|participa/);
  });

  it('estado at the tray does not say "Está en Bandeja del Ministerio, en Bandeja del Ministerio"', async () => {
    const w = await reach('Activar', 0);
    expect((await say(w.client, 'estado')).text).not.toContain('Está en **Bandeja del Ministerio**, en **Bandeja del Ministerio**');
  });

  it('atrás at the tray goes back to the menu', async () => {
    const w = await reach('Activar', 0);
    expect((await say(w.client, 'atrás')).folded).toContain(MENU);
  });

  it('ayuda at "¿Cuál Caja de Compensación Familiar?" gives the help of that question, not of the tray', async () => {
    const w = await reach('Activar', 1);
    expect((await say(w.client, 'ayuda')).folded).not.toContain(fold('elija que hacer: revisar rut'));
  });

  it('inside the catalog and the assignments estado names the section, not only "Bandeja del Ministerio"', async () => {
    const w = await reach('Agregar', 2);
    expect((await say(w.client, 'estado')).folded).toMatch(/esta en bandeja del ministerio,? en catalogo de servicios web/);
  });
});

