/**
 * The Mesa de ayuda as an agent meets it, through the main dialog with the real memory store, reference
 * data and use cases (fake clock, seeded random): a person by document as people type it (bad input
 * re-asked, atrás), what the person view shows (account, blocks, links, invitations, e-mails, where they
 * are stuck; other people masked; no secret), each action with its reason (too short re-asked, done,
 * audited; "nada que levantar"), a CCF by NIT, sigla or name with its checklist, the paged history,
 * "Mis casos", and who may not use any of it.
 */
import type { DialogTestClient } from 'botbuilder-testing';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../domain/autorizados.js';
import { documentKey, type Citizen } from '../../domain/citizens.js';
import { login } from '../../domain/cuenta.js';
import { registerEmployer } from '../../domain/empleador-registro.js';
import { levantarBloqueoIdentidad, reenviarEnlace } from '../../domain/mesa-ayuda.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { startRegistration } from '../../domain/registro.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps } from '../../test/helpers/dialog-deps.js';
import { COMFAMA_NIT, DELEGADA_MARIA, NUEVO_ANDRES, registration } from '../../test/helpers/employers.js';
import { asHelpdesk, chatClient, loginAs, type MesaSetup } from '../../test/helpers/mesa.js';
import { basicData, basicDataCard, seedActiveCitizen } from '../../test/helpers/people.js';
import { say, type Reply } from '../../test/helpers/transcript.js';

// Tuesday 1 December 2026, 10:00 in Bogotá: the helpdesk is open.
const START = '2026-12-01T15:00:00.000Z';
const MINUTE = 60_000;
const PASSWORD = 'Guayacan-Florido-2026';
const { citizenCe: carlos, rlComfama: jose, authorizedComfama: andres, delegateComfama: maria } = EXAMPLE_PERSONS;
const id = (p: ReferencePerson) => `${p.tipoDocumento}:${p.numeroDocumento}`;
const CARLOS = id(carlos);
const JOSE = id(jose);
const DIANA = { tipo: 'CC' as const, numero: '33773336' }; // registered, account pending activation
const actor = { ref: 'prueba', channel: 'test' };
const EMAIL: Record<string, string> = {
  [CARLOS]: 'carlos.briceno@correo.com',
  [JOSE]: 'jose.restrepo@correo.com',
  [id(andres)]: 'andres.zapata@correo.com',
  [documentKey(DIANA.tipo, DIANA.numero)]: 'diana.martinez@correo.com',
};

const MESA_MENU = 'mesa de ayuda';
const DOC_Q = 'que documento desea consultar';
const WHAT_NOW = 'que desea hacer';
const REASON_Q = 'motivo';

// ------------------------------------------------------------------------------ the world

type World = MesaSetup & { agent: DialogTestClient };

/**
 * Carlos (Mesa de ayuda) logged in and acting as such; José registered COMFAMA (María its invited
 * delegate, Andrés authorized); María blocked by three mismatches of her basic data and then tried
 * again in her own chat (so the helpdesk knows where she is); Andrés locked out after five wrong
 * passwords; Diana registered, her account pending activation.
 */
async function world(): Promise<World> {
  const s = dialogDeps(START, 7, { helpdesk: [CARLOS] });
  const now = s.clock.now();
  for (const p of [carlos, jose, andres]) await seedActiveCitizen(s.deps.store, p, EMAIL[id(p)]!, PASSWORD, now);
  const diana = (await s.deps.reference.findPerson(DIANA.tipo, DIANA.numero))!;
  const pendiente: Citizen = { id: documentKey(DIANA.tipo, DIANA.numero), ...basicData(diana), email: EMAIL[documentKey(DIANA.tipo, DIANA.numero)]!, celular: '3001234567', estado: 'pendiente', creadoEn: now.toISOString(), loginFallidos: 0 };
  await s.deps.store.transaction((tx) => tx.collection('citizens').put(pendiente));
  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { delegado: 'invitado' } });
  expect(await authorize(s.deps, JOSE, { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: 'X', como: 'rl' }, COMFAMA_NIT, NUEVO_ANDRES, actor)).toMatchObject({ ok: true });
  for (let i = 0; i < 5; i++) {
    s.clock.advance(MINUTE);
    await login(s.deps, andres.tipoDocumento, andres.numeroDocumento, `equivocada-${i}`, actor);
  }
  // María types data that do not match in her chat (the chat records where she is stuck), then fails
  // twice more elsewhere: her document is blocked.
  const mariaChat = chatClient(s, 'maria');
  await say(mariaChat, 'Registrarme');
  await say(mariaChat, 'Acepto');
  expect((await say(mariaChat, { value: basicDataCard(maria, { primerNombre: 'Otra' }) })).folded).toContain('revise sus datos');
  expect((await say(mariaChat, 'confirmar')).folded).toContain('no coinciden');
  for (let i = 0; i < 2; i++) await startRegistration(s.deps, { ...basicData(maria), primerNombre: 'Otra' }, actor);
  expect(await s.deps.store.transaction((tx) => tx.collection('identityChecks').get('CC:1036612345'))).toMatchObject({ bloqueadoHasta: expect.any(String) });

  const agent = chatClient(s, 'asesor');
  // The agent's menu: the queue first, then the look-up.
  expect((await asHelpdesk(agent, carlos, PASSWORD)).folded).toMatch(/casos en cola.*consultar persona o caja/s);
  return { ...s, agent };
}

async function atMesaMenu(w: World): Promise<Reply> {
  const menu = await say(w.agent, 'Consultar persona o Caja');
  expect(menu.folded).toContain(MESA_MENU);
  return menu;
}

/** The person view of `doc`, from the helpdesk menu. */
async function viewPerson(w: World, doc: string): Promise<Reply> {
  await atMesaMenu(w);
  expect((await say(w.agent, 'Consultar persona')).folded).toContain(DOC_Q);
  const view = await say(w.agent, doc);
  expect(view.folded, view.text).toContain(WHAT_NOW);
  return view;
}

const auditOf = (w: World) => w.deps.store.transaction((tx) => tx.collection('audit').list());

/** What may never reach an agent: a password hash, a link's token, the full e-mail addresses. */
async function secretsOf(w: World): Promise<string[]> {
  const citizens = await w.deps.store.transaction((tx) => tx.collection('citizens').list());
  const tokens = await w.deps.store.transaction((tx) => tx.collection('accountTokens').list());
  const links = w.mailer.sent.map((m) => String((m.data as Record<string, unknown>)['enlace'] ?? '')).filter((l) => l.includes('?') || l.includes('/'));
  const linkTokens = links.map((l) => l.split(/[=/]/).at(-1)!).filter((t) => t.length >= 20);
  return [...citizens.flatMap((c) => [c.passwordHash ?? '', c.email]), ...tokens.map((t) => t.id), ...linkTokens, PASSWORD].filter((x) => x.length > 0);
}

function expectNoSecret(reply: Reply, secrets: readonly string[]): void {
  for (const s of secrets) expect(reply.text, `secret ${s.slice(0, 12)}…`).not.toContain(s);
}

// ------------------------------------------------------------------------------ a person by document

describe('Consultar persona: the document as people write it', () => {
  it.each(['cc 1036612345', 'CC 1.036.612.345', 'cedula 1036612345', 'cédula 1.036.612.345', 'CC:1036612345', 'cédula de ciudadanía 1036612345'])(
    '"%s" finds María',
    async (typed) => {
      const w = await world();
      const view = await viewPerson(w, typed);
      expect(view.text).toContain('CC 1036612345');
      expect(view.folded).toContain('maria pena');
    },
  );

  // FIXED BUG: "C.C. 1036612345" (the way the cédula is most often written in Colombia) is refused as "escriba
  // también el tipo de documento": mesa.forms.ts parseDocumento hands "C.C." to parseDocumentType, which
  // does not know the dotted abbreviation.
  it('"C.C. 1036612345" (dotted abbreviation) finds María', async () => {
    const w = await world();
    const view = await viewPerson(w, 'C.C. 1036612345');
    expect(view.text).toContain('CC 1036612345');
  });

  it.each([
    ['only a number', '1036612345', 'tipo de documento'],
    ['letters', 'abcdef', 'por ejemplo'],
    ['a type without number', 'cedula', 'por ejemplo'],
  ])('%s is asked again in Spanish, with an example', async (_kind, typed, meaning) => {
    const w = await world();
    await atMesaMenu(w);
    await say(w.agent, 'Consultar persona');
    const again = await say(w.agent, typed);
    expect(again.folded).toContain(meaning);
    expect(again.folded).toContain(DOC_Q);
    expect(again.text).toMatch(/CC 70123456/);
    expect(again.folded).not.toMatch(/invalid|error|undefined/);
  });

  it.each(['cc 1036612345', 'consultar C.C. 1.036.612.345', 'buscar a cedula 1036612345'])(
    '"%s" typed at the helpdesk menu finds María without the document question; Volver is the menu again',
    async (typed) => {
      const w = await world();
      await atMesaMenu(w);
      const view = await say(w.agent, typed);
      expect(view.folded).not.toContain(DOC_Q);
      expect(view.text).toContain('CC 1036612345');
      expect(view.folded, view.text).toContain(WHAT_NOW);
      expect((await say(w.agent, 'atrás')).folded).toContain(MESA_MENU);
    },
  );

  it('typed at the main menu by an agent, the document shows that person; then the helpdesk menu', async () => {
    const w = await world();
    const view = await say(w.agent, 'consultar cc 1036612345');
    expect(view.text).toContain('CC 1036612345');
    expect(view.folded, view.text).toContain(WHAT_NOW);
    expect((await say(w.agent, 'atrás')).folded).toContain(MESA_MENU);
  });

  it('typed at the main menu by a citizen, a document is no look-up of anyone', async () => {
    const w = await world();
    const citizen = chatClient(w, 'jose-doc');
    await loginAs(citizen, jose, PASSWORD);
    await say(citizen, 'Ciudadano');
    const r = await say(citizen, 'cc 1036612345');
    expect(r.text).not.toContain('CC 1036612345');
    expect(r.folded).not.toContain('maria');
  });

  it('at the menu, a document of no one is said plainly; a word that is no option nor document is asked again', async () => {
    const w = await world();
    await atMesaMenu(w);
    expect((await say(w.agent, 'CC 99999999')).folded).toContain('no encontre a ninguna persona con ese documento');
    await atMesaMenu(w);
    expect((await say(w.agent, 'consultar algo')).folded).toContain(MESA_MENU);
  });

  it('an unknown document is said plainly', async () => {
    const w = await world();
    await atMesaMenu(w);
    await say(w.agent, 'Consultar persona');
    const unknown = await say(w.agent, 'CC 99999999');
    expect(unknown.folded).toContain('no encontre a ninguna persona con ese documento');
    expect(unknown.folded).not.toMatch(/undefined|error/);
  });

  // FIXED BUG: "atrás" at the document does not go back: the answer is "Esta es la primera pregunta, no hay
  // una anterior" and the question again. mesa.dialog.ts begins the forms with { backAtFirst: true },
  // but FormDialog reads `canGoBack` (the option is silently ignored), although ayuda-documento
  // promises "**atrás** vuelve".
  it('atrás at the document goes back to the helpdesk menu', async () => {
    const w = await world();
    await atMesaMenu(w);
    await say(w.agent, 'Consultar persona');
    const back = await say(w.agent, 'atrás');
    expect(back.folded).not.toContain('primera pregunta');
    expect(back.folded).toContain(MESA_MENU);
  });

  it("María's view: no account, her identity block, the invitation as COMFAMA's delegate, the e-mail sent, where she is stuck", async () => {
    const w = await world();
    const view = await viewPerson(w, 'cc 1036612345');
    expect(view.folded).toContain('sin registro');
    expect(view.folded).toContain('bloqueo por preguntas de identidad');
    expect(view.folded).toContain('hasta el 2 de diciembre de 2026');
    expect(view.folded).toContain('invitacion pendiente');
    expect(view.folded).toContain('delegad');
    expect(view.folded).toContain('comfama');
    expect(view.text).toContain('m***@comfama.com.co');
    expect(view.folded).toMatch(/ultimo paso en el chat[^\n]*registro ciudadano/);
    expect(view.folded).toMatch(/ultimo error[^\n]*no coinciden/);
    // The actions that fit: lift the block; not the ones that do not (no account to unlock or resend to).
    expect(view.folded).toContain('levantar bloqueo de identidad');
    expect(view.folded).not.toContain('desbloquear ingreso');
    expect(view.folded).not.toContain('reenviar enlace de activacion');
    // Nobody else's document in full, no secret.
    expect(view.text).not.toContain('70123456');
    expect(view.text).not.toContain('1017234567');
    expectNoSecret(view, await secretsOf(w));
  });

  // FIXED BUG: a person whose registration ends blocked in the very turn the chat learns their document (the
  // third mismatch of the basic data typed in the chat) is seen by the helpdesk "sin un trámite en
  // curso": the registration dialog has already ended when main.dialog.ts track() records the turn, and
  // there was no earlier record to keep the process from (domain/progreso.ts promises "a person back at
  // the menu after a block is still seen at that step").
  it('a person blocked in the chat at her third try is seen at Registro ciudadano', async () => {
    const w = await world();
    const pedro = { ...maria, numeroDocumento: '33773336' }; // Diana's document, typed with other data: never matches
    await w.deps.store.transaction((tx) => tx.collection('citizens').delete('CC:33773336'));
    for (let i = 0; i < 2; i++) await startRegistration(w.deps, { ...basicData(pedro) }, actor);
    const chat = chatClient(w, 'pedro');
    await say(chat, 'Registrarme');
    await say(chat, 'Acepto');
    await say(chat, { value: basicDataCard(pedro) });
    expect((await say(chat, 'confirmar')).folded).toContain('bloqueado');
    const view = await viewPerson(w, 'CC 33773336');
    expect(view.folded).toMatch(/ultimo error[^\n]*bloque/);
    expect(view.folded).toMatch(/ultimo paso en el chat[^\n]*registro ciudadano/);
  });

  it("Andrés's view: an active account, the login lock and its unlock link pending, his CCF; no hash, token or full e-mail", async () => {
    const w = await world();
    const view = await viewPerson(w, 'CC 1017234567');
    expect(view.folded).toContain('activa');
    expect(view.folded).toContain('bloqueo de ingreso');
    expect(view.folded).toContain('5 intentos fallidos');
    expect(view.folded).toContain('enlace pendiente');
    expect(view.folded).toContain('desbloqueo del ingreso');
    expect(view.text).toContain('a***@correo.com');
    expect(view.folded).toContain('comfama');
    expect(view.folded).toContain('desbloquear ingreso');
    expect(view.folded).toContain('reenviar enlace de recuperacion');
    expect(view.text).not.toContain('70123456');
    expect(view.text).not.toContain('1036612345');
    expectNoSecret(view, await secretsOf(w));
  });
});

// ------------------------------------------------------------------------------ the actions

describe('Consultar persona: each action asks a reason, is done and audited', () => {
  it('levantar bloqueo de identidad: a reason too short is asked again, then the block is lifted and audited with the reason', async () => {
    const w = await world();
    await viewPerson(w, 'cc 1036612345');
    const ask = await say(w.agent, 'Levantar bloqueo de identidad');
    expect(ask.folded).toContain(REASON_Q);
    const short = await say(w.agent, 'ok');
    expect(short.folded).toContain('5 caracteres');
    expect(short.folded).toContain(REASON_Q);
    expect(await w.deps.store.transaction((tx) => tx.collection('identityChecks').get('CC:1036612345'))).toMatchObject({ bloqueadoHasta: expect.any(String) });
    const done = await say(w.agent, 'Confirmó su identidad por teléfono');
    expect(done.folded).toContain('levante el bloqueo');
    expect(done.folded).toContain('ya puede registrarse');
    expect(done.folded).not.toContain('hasta el 2 de diciembre de 2026 a las 10:00 a. m. (0 rondas'); // the view again, without the block
    expect(done.folded).toContain(WHAT_NOW);
    expect(await w.deps.store.transaction((tx) => tx.collection('identityChecks').get('CC:1036612345'))).toBeUndefined();
    const lifted = (await auditOf(w)).find((e) => e.action === 'mesa.bloqueo_identidad_levantado');
    expect(lifted).toMatchObject({ subject: 'CC *******345', detail: expect.objectContaining({ motivo: 'Confirmó su identidad por teléfono' }) });
  });

  it('desbloquear ingreso: reason re-asked, then unlocked (Andrés can log in) and audited', async () => {
    const w = await world();
    await viewPerson(w, 'CC 1017234567');
    expect((await say(w.agent, 'Desbloquear ingreso')).folded).toContain(REASON_Q);
    expect((await say(w.agent, '   ab ')).folded).toContain('5 caracteres');
    const done = await say(w.agent, 'Llamó a la línea y confirmó sus datos');
    expect(done.folded).toContain('desbloquee el ingreso');
    expect(done.folded).not.toContain('bloqueo de ingreso:');
    expect(await login(w.deps, 'CC', andres.numeroDocumento, PASSWORD, { ref: 'andres-navegador', channel: 'webchat' })).toMatchObject({ ok: true });
    const unlocked = (await auditOf(w)).find((e) => e.action === 'mesa.ingreso_desbloqueado');
    expect(unlocked).toMatchObject({ subject: 'CC *******567', detail: expect.objectContaining({ motivo: 'Llamó a la línea y confirmó sus datos' }) });
  });

  // FIXED BUG: the "done" sentences of levantar bloqueo / desbloquear ingreso put the domain's raw ISO
  // timestamp in the chat ("iba hasta el 2026-12-01T15:20:00.000Z") instead of a Bogotá date in Spanish
  // (mesa.dialog.ts applyAction and caso.dialog.ts withReason pass r.value.hasta unformatted).
  it('the unlock is told with a date in plain Spanish, not an ISO timestamp', async () => {
    const w = await world();
    await viewPerson(w, 'CC 1017234567');
    await say(w.agent, 'Desbloquear ingreso');
    const done = await say(w.agent, 'Llamó a la línea y confirmó sus datos');
    expect(done.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(done.folded).toContain('iba hasta el 1 de diciembre de 2026');
  });

  it('reenviar enlace de activación (pending account): mailed to her, told masked, the link pending in the view, audited; the link itself never shown', async () => {
    const w = await world();
    const view = await viewPerson(w, 'cc 33773336');
    expect(view.folded).toContain('pendiente de activar');
    await say(w.agent, 'Reenviar enlace de activación');
    const done = await say(w.agent, 'No le llegó el primer correo');
    expect(done.folded).toContain('envie un nuevo enlace de activacion');
    expect(done.text).toContain('d***@correo.com');
    expect(done.folded).toContain('enlace pendiente');
    const mail = w.mailer.sent.at(-1)!;
    expect(mail).toMatchObject({ to: 'diana.martinez@correo.com', template: 'registro-activacion' });
    expect(done.text).not.toContain(String((mail.data as Record<string, unknown>)['enlace']));
    expectNoSecret(done, await secretsOf(w));
    expect((await auditOf(w)).find((e) => e.action === 'mesa.activacion_reenviada')?.detail).toMatchObject({ motivo: 'No le llegó el primer correo' });
  });

  it('reenviar enlace de recuperación (active account): mailed, audited with the reason', async () => {
    const w = await world();
    const view = await viewPerson(w, 'cédula 70.123.456');
    expect(view.folded).not.toContain('reenviar enlace de activacion');
    await say(w.agent, 'Reenviar enlace de recuperación');
    const done = await say(w.agent, 'Olvidó su contraseña y no recibe el correo');
    expect(done.folded).toContain('envie un nuevo enlace de recuperacion');
    expect(done.text).toContain('j***@correo.com');
    expect(w.mailer.sent.at(-1)).toMatchObject({ to: 'jose.restrepo@correo.com', template: 'cuenta-recuperacion' });
    expectNoSecret(done, await secretsOf(w));
    expect((await auditOf(w)).find((e) => e.action === 'mesa.recuperacion_reenviada')?.detail).toMatchObject({ motivo: 'Olvidó su contraseña y no recibe el correo' });
  });

  // FIXED BUG: same cause as "atrás at the document": the reason form is begun with { backAtFirst: true }
  // (ignored), so "atrás" at the reason answers "no hay una pregunta anterior" although the prompt says
  // "(**atrás** para no hacerlo)"; the agent must type "cancelar" and lose the person's view.
  it('atrás at the reason does nothing and shows the person again', async () => {
    const w = await world();
    await viewPerson(w, 'cc 1036612345');
    await say(w.agent, 'Levantar bloqueo de identidad');
    const back = await say(w.agent, 'atrás');
    expect(back.folded).toContain('levantar bloqueo de identidad');
    expect(back.folded).toContain(WHAT_NOW);
    expect((await auditOf(w)).some((e) => e.action.startsWith('mesa.bloqueo'))).toBe(false);
  });

  it('nothing to lift (another agent lifted it meanwhile): said plainly, nothing audited twice', async () => {
    const w = await world();
    await viewPerson(w, 'cc 1036612345');
    await say(w.agent, 'Levantar bloqueo de identidad');
    expect(await levantarBloqueoIdentidad(w.deps, CARLOS, 'CC', '1036612345', 'Lo levantó otra persona', { ref: 'otro', channel: 'msteams' })).toMatchObject({ ok: true });
    const reply = await say(w.agent, 'Confirmó su identidad por teléfono');
    expect(reply.folded).toContain('no hay nada que levantar');
    expect((await auditOf(w)).filter((e) => e.action === 'mesa.bloqueo_identidad_levantado')).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------ a CCF

describe('Consultar Caja', () => {
  async function viewCcf(w: World, typed: string): Promise<Reply> {
    await atMesaMenu(w);
    expect((await say(w.agent, 'Consultar Caja')).folded).toContain('que caja desea consultar');
    return say(w.agent, typed);
  }

  it.each(['890900841', '890.900.841-9', 'comfama', 'COMFAMA', 'Familiar de Antioquia Comfama'])('"%s" shows COMFAMA, its people masked, and its checklist', async (typed) => {
    const w = await world();
    const view = await viewCcf(w, typed);
    expect(view.text).toContain('COMFAMA');
    expect(view.text).toContain('890.900.841-9');
    expect(view.folded).toContain('rol empleador');
    expect(view.text).toContain('CC *****456'); // José, the RL
    expect(view.text).toContain('CC *******345'); // María, the delegate
    expect(view.folded).toContain('invitad');
    expect(view.folded).toContain('sin activar');
    // The activation checklist of the CCF.
    expect(view.folded).toContain('paso 4');
    expect(view.folded).toContain('el ministerio de salud debe activar');
    for (const doc of ['70123456', '1036612345', '1017234567']) expect(view.text).not.toContain(doc);
    expectNoSecret(view, await secretsOf(w));
    expect(view.folded).toContain('historial');
  });

  it.each(['comfama', 'consultar comfama', 'en que va la caja comfama', '890.900.841-9'])(
    '"%s" typed at the helpdesk menu shows COMFAMA without the question; Volver is the menu again',
    async (typed) => {
      const w = await world();
      await atMesaMenu(w);
      const view = await say(w.agent, typed);
      expect(view.folded).not.toContain('que caja desea consultar');
      expect(view.text).toContain('890.900.841-9');
      expect(view.folded).toContain('paso 4');
      expect((await say(w.agent, 'Volver')).folded).toContain(MESA_MENU);
    },
  );

  it('typed at the main menu by an agent, a CCF shows it; then the helpdesk menu', async () => {
    const w = await world();
    const view = await say(w.agent, 'en que va comfama');
    expect(view.text).toContain('890.900.841-9');
    expect(view.folded).toContain('historial');
    expect((await say(w.agent, 'atrás')).folded).toContain(MESA_MENU);
  });

  it('at a CCF, a person or a history, another one named goes there; Volver then is the helpdesk menu', async () => {
    const w = await world();
    await atMesaMenu(w);
    expect((await say(w.agent, 'comfama')).text).toContain('890.900.841-9');
    const maria = await say(w.agent, 'cc 1036612345');
    expect(maria.text).toContain('CC 1036612345');
    expect(maria.folded).toContain(WHAT_NOW);
    const ccf = await say(w.agent, 'nit 890900841');
    expect(ccf.text).toContain('890.900.841-9');
    expect((await say(w.agent, 'Historial')).folded).toContain('el mas reciente primero');
    const jose = await say(w.agent, 'consultar cc 70123456');
    expect(jose.text).toContain('CC 70123456');
    expect((await say(w.agent, 'Volver')).folded).toContain(MESA_MENU);
  });

  it('ayuda at the question asks for a NIT, sigla or name; at the CCF\'s view it explains the view and its options', async () => {
    const w = await world();
    await atMesaMenu(w);
    await say(w.agent, 'Consultar Caja');
    expect((await say(w.agent, 'ayuda')).folded).toContain(fold('Escriba el NIT, la sigla (por ejemplo COMFAMA) o parte del nombre de la Caja'));
    await say(w.agent, 'comfama');
    const help = await say(w.agent, 'ayuda');
    expect(help.folded).toContain(fold('Arriba está la ficha de la Caja'));
    expect(help.folded).toContain(fold('**Consultar otra Caja** pide otra'));
    expect(help.folded).not.toContain(fold('parte del nombre de la Caja. **atrás** vuelve.'));
    expect(help.folded).toContain(WHAT_NOW); // the view's question again
    expect((await say(w.agent, 'estado')).folded).toContain(fold('Ficha de la Caja'));
  });

  it('at a person, a CCF named is that CCF, though an option names it in brackets; the option\'s own words are the option', async () => {
    const w = await world();
    await atMesaMenu(w);
    expect((await say(w.agent, 'cc 1036612345')).folded).toContain(fold('Reenviar invitación (CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA)'));
    const ccf = await say(w.agent, 'y la caja comfama?');
    expect(ccf.text).toContain('890.900.841-9');
    expect(ccf.folded).not.toContain(REASON_Q);
    await say(w.agent, 'cc 1036612345');
    expect((await say(w.agent, 'reenviar invitacion')).folded).toContain(REASON_Q);
    await say(w.agent, 'atrás');
    expect((await say(w.agent, 'reenviar la invitacion de comfama')).folded).toContain(REASON_Q);
  });

  it('asked as a question at a person\'s view ("¿y la caja comfama?"), a CCF is that CCF, not the step\'s help; "¿qué hago aquí?" is the help', async () => {
    const w = await world();
    await atMesaMenu(w);
    await say(w.agent, 'CC 1017234567');
    const ccf = await say(w.agent, '¿y la caja comfama?');
    expect(ccf.text).toContain('890.900.841-9');
    expect(ccf.folded).not.toContain(fold('Puede escribir en cualquier momento'));
    const help = await say(w.agent, '¿qué hago aquí?');
    expect(help.folded).toContain(fold('Arriba está la ficha de la Caja'));
  });

  it('the menu\'s own options and words naming several CCFs are not read as one CCF', async () => {
    const w = await world();
    await atMesaMenu(w);
    expect((await say(w.agent, 'consultar caja')).folded).toContain('que caja desea consultar');
    await say(w.agent, 'atrás');
    expect((await say(w.agent, 'caja de compensacion')).folded).toContain(MESA_MENU);
  });

  it('an unknown CCF is asked again in Spanish; atrás goes back to the menu', async () => {
    const w = await world();
    const again = await viewCcf(w, 'Caja Inexistente del Sur');
    expect(again.folded).toMatch(/no encontre|ninguna caja/);
    expect(again.folded).not.toMatch(/undefined|error/);
    const back = await say(w.agent, 'atrás');
    expect(back.folded).toContain(MESA_MENU);
  });

  it("the CCF's history: newest first, plain Spanish lines (the subject masked)", async () => {
    const w = await world();
    await viewCcf(w, 'comfama');
    const h = await say(w.agent, 'Historial');
    expect(h.folded).toContain('historial');
    expect(h.folded).toContain('el mas reciente primero');
    const lines = h.text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(fold(lines.at(-1)!)).toContain('registro el rol empleador');
    expect(fold(lines[0]!)).toContain('autorizado-asignado');
    for (const l of lines) {
      expect(l).not.toMatch(/\b(?:empleador|autorizados?|mesa|correo|ingreso|registro|proceso)\.(?!com\b)[a-z_]+/); // no raw action code
      expect(l).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    }
    expect(h.text).not.toContain('1036612345');
  });
});

// ------------------------------------------------------------------------------ history, paged

describe("A person's history, paged", () => {
  it('"Más antiguos" shows the next page, newest first across pages; "Más recientes" the first again; Volver the person', async () => {
    const w = await world();
    for (let i = 1; i <= 6; i++) {
      w.clock.advance(MINUTE);
      expect(await reenviarEnlace(w.deps, CARLOS, 'CC', '70123456', 'recuperacion', `Motivo de prueba ${i}`, actor)).toMatchObject({ ok: true });
    }
    w.clock.advance(MINUTE);
    await viewPerson(w, 'cc 70123456');
    const p1 = await say(w.agent, 'Historial');
    expect(p1.folded).toMatch(/pagina 1 de 2/);
    const lines1 = p1.text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines1).toHaveLength(10);
    expect(lines1.findIndex((l) => l.includes('Motivo de prueba 6'))).toBeLessThan(lines1.findIndex((l) => l.includes('Motivo de prueba 5')));
    expect(p1.text).not.toContain('Motivo de prueba 1');
    expect(p1.folded).toContain('mas antiguos');
    const p2 = await say(w.agent, 'Más antiguos');
    expect(p2.folded).toMatch(/pagina 2 de 2/);
    expect(p2.text).toContain('Motivo de prueba 1');
    expect(p2.text).not.toContain('Motivo de prueba 6');
    expect(fold(p2.text.split('\n').filter((l) => l.startsWith('- ')).at(-1)!)).toContain('registro el rol empleador');
    expect(p2.folded).toContain('mas recientes');
    const again = await say(w.agent, 'Más recientes');
    expect(again.folded).toMatch(/pagina 1 de 2/);
    const back = await say(w.agent, 'Volver');
    expect(back.folded).toContain('la persona');
    expect(back.text).toContain('CC 70123456');
  });

  it('an answer that is no option asks the question again with its options, not the whole page again', async () => {
    const w = await world();
    await viewPerson(w, 'cc 70123456');
    const page = await say(w.agent, 'Historial');
    expect(page.text).toContain('registró el rol empleador');
    const again = await say(w.agent, 'quiero un café');
    expect(again.folded).toContain(fold('¿Qué desea hacer?'));
    expect(again.folded).toContain(fold('Elija una de las opciones'));
    expect(again.text).not.toContain('registró el rol empleador');
    expect((await say(w.agent, 'Volver')).text).toContain('CC 70123456');
  });

  // FIXED BUG: templates/es/mesa/historial.json "ingreso.fallido" says "1 seguidos" for the first failure
  // (no singular): not plain Spanish.
  it('a first failed login reads "1 seguido", in the singular', async () => {
    const w = await world();
    await viewPerson(w, 'CC 1017234567');
    const h = await say(w.agent, 'Historial');
    expect(h.text).toContain('contraseña incorrecta');
    expect(h.text).not.toMatch(/\b1 seguidos/);
  });
});

// ------------------------------------------------------------------------------ Mis casos

describe('Mis casos', () => {
  it('with no case yet: says so, and lists the actions with their reasons, newest first', async () => {
    const w = await world();
    await viewPerson(w, 'cc 1036612345');
    await say(w.agent, 'Levantar bloqueo de identidad');
    await say(w.agent, 'Confirmó su identidad por teléfono');
    await say(w.agent, 'Volver');
    w.clock.advance(MINUTE);
    await say(w.agent, 'Consultar persona');
    await say(w.agent, 'cc 1017234567');
    await say(w.agent, 'Desbloquear ingreso');
    await say(w.agent, 'Llamó a la línea y confirmó sus datos');
    await say(w.agent, 'Volver');
    const mine = await say(w.agent, 'Mis casos');
    expect(mine.folded).toContain('aun no ha atendido casos');
    expect(mine.folded).toContain('sus acciones recientes');
    const unlock = mine.text.indexOf('Llamó a la línea y confirmó sus datos');
    const lift = mine.text.indexOf('Confirmó su identidad por teléfono');
    expect(unlock).toBeGreaterThan(0);
    expect(lift).toBeGreaterThan(unlock);
    expect(mine.folded).toContain('desbloqueo el ingreso');
    expect(mine.folded).toContain('levanto un bloqueo de identidad');
    expect(mine.text).toContain('CC *******345');
    expect(mine.text).not.toContain('1036612345');
    const back = await say(w.agent, 'Volver');
    expect(back.folded).toContain(MESA_MENU);
  });
});

// ------------------------------------------------------------------------------ who may

describe('Only the Mesa de ayuda', () => {
  it.each(['consultar persona', 'casos en cola', 'mis casos'])('José (a citizen, not of the helpdesk) asking "%s" is refused, and the refusal is audited', async (asked) => {
    const w = await world();
    const joseChat = chatClient(w, 'jose');
    expect((await loginAs(joseChat, jose, PASSWORD)).folded).toContain(fold('en que rol desea actuar'));
    expect((await say(joseChat, 'Ciudadano')).folded).not.toContain('consultar persona o caja');
    const before = (await auditOf(w)).length;
    const reply = await say(joseChat, asked);
    expect(reply.folded).toContain('mesa de ayuda');
    expect(reply.folded).toContain('usted no tiene ese rol');
    expect(reply.folded).not.toContain(DOC_Q);
    expect(reply.folded).not.toContain('casos en cola (');
    const refusals = (await auditOf(w)).slice(before).filter((e) => e.action === 'proceso.no_permitido');
    expect(refusals).toHaveLength(1);
  });

  it('the agent acting as Ciudadano who asks for "casos en cola" is told it is for the helpdesk and switched to that role first', async () => {
    const w = await world();
    const other = chatClient(w, 'carlos-2');
    await loginAs(other, carlos, PASSWORD);
    expect((await say(other, 'Ciudadano')).folded).not.toContain('consultar persona o caja');
    const asked = await say(other, 'casos en cola');
    expect(asked.folded).toContain('es para los agentes de la mesa de ayuda');
    expect(asked.folded).toContain('ahora actua como mesa de ayuda');
    expect(asked.folded).toContain('no hay casos en cola');
  });
});

// ------------------------------------------------------------------------------ ¿En qué voy?

describe('"¿En qué voy?" acting as Mesa de ayuda: the helpdesk view, not the citizen checklist', () => {
  it('says the queue, the case attended (none) and the options; with a case waiting, the count; mid-process, where and the same question again', async () => {
    const w = await world();
    const citizenView = await say(chatClient(w, 'jose-estado'), 'estado'); // not logged in: only the general line
    const empty = await say(w.agent, '¿En qué voy?');
    expect(empty.folded).toContain(fold('actúa como mesa de ayuda'));
    expect(empty.folded).toContain('no hay casos en cola');
    expect(empty.folded).toContain(fold('no está atendiendo ningún caso'));
    for (const option of ['Casos en cola', 'Mis casos', 'Consultar persona o Caja']) expect(empty.text).toContain(option);
    expect(empty.folded).not.toContain(fold('¿en qué voy?')); // the checklist card's title
    expect(empty.folded).not.toContain(fold(citizenView.text));

    const person = chatClient(w, 'persona');
    await say(person, 'hablar con un asesor');
    expect((await say(w.agent, 'en qué voy')).folded).toContain('hay 1 caso en cola');
    // An option of the status leads to it.
    expect((await say(w.agent, 'Casos en cola')).folded).toContain('casos en cola');
    await say(w.agent, 'menú');

    await atMesaMenu(w);
    expect((await say(w.agent, 'Consultar persona')).folded).toContain(DOC_Q);
    const mid = await say(w.agent, 'estado');
    expect(mid.folded).toContain(fold('consulta de personas y cajas'));
    expect(mid.folded).toContain('hay 1 caso en cola');
    expect(mid.folded).toContain(DOC_Q); // asked again: nothing lost
    // No question of its own before the step's: no "¿Qué desea hacer?", no options of the status.
    expect(mid.folded).not.toContain(fold('¿Qué desea hacer?'));
    expect(mid.activities.flatMap((a) => a.suggestedActions?.actions ?? [])).toEqual([]);
  });

  it('the same person acting as Ciudadano gets the citizen checklist', async () => {
    const w = await world();
    const citizen = chatClient(w, 'carlos-ciudadano');
    await loginAs(citizen, carlos, PASSWORD);
    await say(citizen, 'Ciudadano');
    const status = await say(citizen, '¿En qué voy?');
    expect(status.folded).not.toContain(fold('actúa como mesa de ayuda'));
    expect(status.folded).not.toContain('casos en cola');
  });
});
