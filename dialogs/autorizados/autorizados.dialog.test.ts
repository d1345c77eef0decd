/**
 * "Administrar autorizados" as people meet it, through the main dialog with the real memory store and
 * reference data: the list (masked documents, states, paging), Nuevo by the RL and by the linked
 * delegate (a registered person is linked and told, an unregistered one invited), data that does not
 * match, once per rol, a company that is not a CCF, revoking, every prompt (bad input, atrás, cancelar,
 * ayuda, estado, the company named), the authorized person's side and who may start it.
 */
import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import type { Autorizacion } from '../../domain/autorizaciones.js';
import { authorize } from '../../domain/autorizados.js';
import { registerEmployer } from '../../domain/empleador-registro.js';
import type { ReferencePerson } from '../../domain/reference.js';
import type { ActingRole } from '../../domain/session.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { renderFile } from '../../templates/render.js';
import { BAD_INPUTS } from '../../test/helpers/bad-input.js';
import { dialogDeps, mainClient } from '../../test/helpers/dialog-deps.js';
import { COMFAMA_NIT, DELEGADA_MARIA, DELEGADO_ANDRES, JAIME, registration, SEDE } from '../../test/helpers/employers.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say, type Input, type Reply } from '../../test/helpers/transcript.js';
import { buttons } from '../../test/helpers/cards.js';

const START = '2026-11-26T15:00:00.000Z';
const PASSWORD = 'Guayacan-Florido-2026';
const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const andres = EXAMPLE_PERSONS.authorizedComfama;
const carlos = EXAMPLE_PERSONS.citizenCe;
const ANDRES_ID = `CC:${andres.numeroDocumento}`;
/** COMFAMA as its employer role names it (the official razón social), and its NIT with DV. */
const RAZON = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
/** How the process names the company in its messages: its sigla. */
const NOMBRE = 'COMFAMA';
const NIT = '890.900.841-9';
const actor = { ref: 'prueba', channel: 'test' };
const reference = defaultReferenceRegistry();

// ------------------------------------------------------------------------------ the world

type World = ReturnType<typeof dialogDeps> & { client: DialogTestClient };

/**
 * COMFAMA's employer role, active, registered by José with María as its delegate (linked when she is a
 * registered citizen). Andrés is a registered citizen only when asked; nobody has logged in yet.
 */
async function comfama(opts: { maria?: boolean; andres?: boolean } = {}): Promise<World> {
  const s = dialogDeps(START);
  const now = new Date(START);
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, now);
  if (opts.maria) await seedActiveCitizen(s.deps.store, maria, 'maria.pena@correo.com', PASSWORD, now);
  if (opts.andres) await seedActiveCitizen(s.deps.store, andres, 'andres.zapata@correo.com', PASSWORD, now);
  const r = await registerEmployer(s.deps, `CC:${jose.numeroDocumento}`, registration({ delegado: DELEGADA_MARIA }), actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo', delegado: opts.maria ? 'vinculado' : 'invitado' } });
  s.mailer.sent.length = 0;
  return { ...s, client: mainClient(s) };
}

async function login(client: DialogTestClient, p: ReferencePerson): Promise<Reply> {
  await say(client, 'Ingresar');
  return say(client, { value: { __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: PASSWORD } });
}

/** Logs `p` in and chooses the employer role; returns the menu. */
async function asEmployer(client: DialogTestClient, p: ReferencePerson = jose): Promise<Reply> {
  expect((await login(client, p)).folded).toContain('en que rol desea actuar');
  const menu = await say(client, 'empleador');
  expect(menu.folded).toContain('ahora actua como empleador persona juridica');
  return menu;
}

/** What a registered person does before being authorized: talk to the assistant once (the notifier remembers them). */
async function hasTalkedBefore(client: DialogTestClient, p: ReferencePerson): Promise<void> {
  expect((await login(client, p)).folded).toContain('ingreso correctamente');
  await say(client, 'salir');
}

/** The card of Nuevo for `p`, as typed by the RL or delegate (accents and case as people type them). */
const personCard = (p: ReferencePerson, email: string, over: Record<string, string> = {}): Input => ({
  value: {
    __form: 'autorizado-nuevo', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, primerNombre: p.primerNombre.toLowerCase(),
    segundoNombre: p.segundoNombre ?? '', primerApellido: p.primerApellido, segundoApellido: p.segundoApellido ?? '', email, ...over,
  },
});

/** At the list: Nuevo, the person's card, the main site, review; returns the reply to "confirmar". */
async function authorizeInChat(client: DialogTestClient, card: Input, nuevo = 'Nuevo'): Promise<Reply> {
  expect((await say(client, nuevo)).folded).toContain('tipo de documento de la persona que va a autorizar');
  const site = await say(client, card);
  expect(site.folded).toContain('en que sede operara la persona');
  // The main site named with its address, so the person knows which one it is.
  expect(site.text).toContain(`La sede principal es **${SEDE.nombre} — ${SEDE.direccion}, Medellín (Antioquia)**.`);
  // The rol and the perfil have one option each: taken, not asked (the review shows them).
  const review = await say(client, 'Sede principal');
  expect(review.folded).toContain('revise los datos de la autorizacion');
  expect(review.text).toContain('CAJA DE SUBSIDIO FAMILIAR');
  return say(client, 'confirmar');
}

const entries = (w: World): Promise<Autorizacion[]> => w.deps.store.transaction((tx) => tx.collection('autorizaciones').list());
const mailsAbout = (w: World) => w.mailer.sent.filter((m) => m.template.startsWith('autorizado-')).map((m) => `${m.template}→${m.to}`);
const asRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: RAZON, como: 'rl' };

/** Andrés authorized by José through the use case (the chat's Nuevo has its own tests). */
async function andresAuthorized(w: World): Promise<Autorizacion> {
  const r = await authorize(w.deps, `CC:${jose.numeroDocumento}`, asRl, COMFAMA_NIT, { ...DELEGADO_ANDRES, sede: { tipo: 'principal' }, rol: 'CAJA_SUBSIDIO_FAMILIAR', perfil: 'ADMIN_SERVICIOS_WEB_EXTERNOS' }, actor);
  if (!r.ok) throw new Error(r.error.code);
  w.mailer.sent.length = 0;
  return r.value.autorizacion;
}


/**
 * The numbered entries of the list card ("1 · Andrés Felipe Zapata Londoño — CC *******567"), read from the
 * Adaptive Card. Not "1." : each entry is its own TextBlock, and Markdown shows any "N." alone as "1.".
 */
const rows = (r: Reply): string[] =>
  r.cards.flatMap((c) => ((c as { body?: { type: string; text?: string }[] }).body ?? []).filter((b) => b.type === 'TextBlock' && /^\d+ · /.test(b.text ?? '')).map((b) => b.text!));

/** No reply shows a whole document number: the list, the choice and every message mask it. */
function neverShowsDocument(r: Reply, ...numeros: string[]): void {
  for (const n of numeros) expect(r.text, `the full document ${n} is shown`).not.toContain(n);
}

// ------------------------------------------------------------------------------ the list

/** An authorization as stored, for the list tests (the list does not re-check the reference sources). */
function stored(i: number, over: Partial<Autorizacion> = {}): Autorizacion {
  const numero = String(52_000_100 + i);
  return {
    id: `aut-${String(i).padStart(2, '0')}`,
    nit: COMFAMA_NIT,
    citizenId: `CC:${numero}`,
    tipoDocumento: 'CC',
    numeroDocumento: numero,
    primerNombre: 'PERSONA',
    segundoNombre: '',
    primerApellido: `NUMERO${i}`,
    segundoApellido: 'PRUEBA',
    email: `persona${i}@comfama.com.co`,
    sede: { tipo: 'principal' },
    rol: 'CAJA_SUBSIDIO_FAMILIAR',
    perfil: 'ADMIN_SERVICIOS_WEB_EXTERNOS',
    estado: 'activo',
    // One day apart, so the newest (highest i) comes first.
    autorizadoPor: { citizenId: `CC:${jose.numeroDocumento}`, nombre: 'José Restrepo', como: 'rl', en: new Date(Date.parse('2026-10-01T15:00:00Z') + i * 86_400_000).toISOString() },
    activadoEn: '2026-10-01T15:00:00.000Z',
    ...over,
  };
}

async function seed(w: World, list: readonly Autorizacion[]): Promise<void> {
  await w.deps.store.transaction(async (tx) => {
    for (const a of list) await tx.collection('autorizaciones').put(a);
  });
}

describe('the list of authorized persons', () => {
  it('empty: says so, offers Nuevo and no Revocar, and names the company', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    const list = await say(w.client, 'Administrar autorizados');
    expect(list.folded).toContain('aun no tiene personas autorizadas');
    expect(list.text).toContain(NOMBRE);
    expect(buttons(list)).toEqual(['Nuevo', 'Terminar']);
  });

  it('"autorizados" typed at the role choice after logging in: Administrar autorizados, in the employer role', async () => {
    const w = await comfama();
    expect((await login(w.client, jose)).folded).toContain('en que rol desea actuar');
    const list = await say(w.client, 'autorizados');
    expect(list.folded).toContain('ahora actua como empleador persona juridica');
    expect(list.folded).toContain('aun no tiene personas autorizadas');
    expect(buttons(list)).toEqual(['Nuevo', 'Terminar']);
  });

  it('names with particles are written as the messages write them ("De la Hoz", not "De La Hoz")', async () => {
    const w = await comfama();
    await seed(w, [stored(1, { primerNombre: 'PAULA', segundoNombre: 'CAROLINA', primerApellido: 'DE LA HOZ', segundoApellido: 'ZÚÑIGA', numeroDocumento: '60476805' })]);
    await asEmployer(w.client);
    const list = await say(w.client, 'Administrar autorizados');
    expect(list.text).toContain('Paula Carolina De la Hoz Zúñiga');
  });

  it('each entry: masked document, names, rol, perfil, site, state, who authorized and when; revoked ones last, with who and why', async () => {
    const w = await comfama();
    await seed(w, [
      stored(1, { primerNombre: 'ANDRÉS', primerApellido: 'ZAPATA', numeroDocumento: '1017234567', citizenId: ANDRES_ID, estado: 'revocado', revocacion: { citizenId: `CC:${maria.numeroDocumento}`, nombre: 'María Peña', como: 'delegado', en: '2026-11-20T15:00:00.000Z', motivo: 'Cambió de cargo' } }),
      stored(2, { primerNombre: 'CARLOS', primerApellido: 'BRICEÑO', tipoDocumento: 'CE', numeroDocumento: '654321', estado: 'invitado', sede: { tipo: 'otra', departamento: '05', municipio: '05615', direccion: 'Calle 50 # 40-20' } }),
      stored(3, { primerNombre: 'LUISA', primerApellido: 'GÓMEZ', numeroDocumento: '43123456', autorizadoPor: { citizenId: `CC:${maria.numeroDocumento}`, nombre: 'María Peña', como: 'delegado', en: '2026-11-25T15:00:00.000Z' } }),
    ]);
    await asEmployer(w.client);
    const list = await say(w.client, 'Administrar autorizados');
    const card = list.text;
    // Current entries first (newest first), the revoked one last.
    expect(card).toMatch(/1 · Luisa Gómez Prueba — CC \*+456[\s\S]*2 · Carlos Briceño Prueba — CE \*+321[\s\S]*3 · Andrés Zapata Prueba — CC \*+567/);
    for (const fact of ['Rol autorizado: CAJA DE SUBSIDIO FAMILIAR', 'Perfil autorizado: Autorizado para administrar servicios web externos']) {
      expect(card.split(fact).length - 1, fact).toBe(3);
    }
    expect(card).toContain('Estado: Activo');
    expect(card).toContain('Estado: Invitado (aún no se ha registrado)');
    expect(card).toContain('Estado: Revocado');
    expect(card).toContain('Sede: Sede principal');
    expect(card).toContain('Sede: Calle 50 # 40-20, Rionegro (Antioquia)');
    expect(card).toContain('Autorizado por: María Peña (delegado), el 25/11/2026');
    expect(card).toContain('Autorizado por: José Restrepo (representante legal), el 03/10/2026');
    expect(card).toContain('Revocado por: María Peña, el 20/11/2026: Cambió de cargo');
    neverShowsDocument(list, '1017234567', '654321', '43123456');
    // The Adaptive Card itself holds the same facts (the text above also reads the card's fallback).
    expect(JSON.stringify(list.cards)).toContain('"title":"Estado","value":"Invitado (aún no se ha registrado)"');
    expect(buttons(list)).toEqual(['Nuevo', 'Revocar una autorización', 'Terminar']);
    // Only current entries can be revoked, masked too; "quitar" (one of the words people use) is the same.
    const choice = await say(w.client, 'quiero quitar una persona');
    expect(buttons(choice)).toEqual(['Luisa Gómez Prueba — CC *****456 (activo)', 'Carlos Briceño Prueba — CE ***321 (invitado)']);
    neverShowsDocument(choice, '1017234567', '654321', '43123456');
  });

  it('pages 10 at a time: "Ver siguientes" shows the last 2, "Ver primeros" goes back', async () => {
    const w = await comfama();
    await seed(w, Array.from({ length: 12 }, (_, i) => stored(i + 1)));
    await asEmployer(w.client);
    const first = await say(w.client, 'Administrar autorizados');
    expect(first.folded).toContain('1 a 10 de 12');
    expect(rows(first)).toHaveLength(10);
    expect(rows(first)[0]).toBe('1 · Persona Numero12 Prueba — CC *****112');
    expect(rows(first).at(-1)).toMatch(/^10 · Persona Numero3 Prueba — /);
    expect(buttons(first)).toEqual(['Nuevo', 'Revocar una autorización', 'Ver siguientes', 'Terminar']);

    const second = await say(w.client, 'Ver siguientes');
    expect(second.folded).toContain('11 a 12 de 12');
    expect(rows(second)).toEqual(['11 · Persona Numero2 Prueba — CC *****102', '12 · Persona Numero1 Prueba — CC *****101']);
    expect(buttons(second)).toEqual(['Nuevo', 'Revocar una autorización', 'Ver primeros', 'Terminar']);

    const again = await say(w.client, 'Ver primeros');
    expect(again.folded).toContain('1 a 10 de 12');
    expect(buttons(again)).toContain('Ver siguientes');
    for (const r of [first, second, again]) neverShowsDocument(r, ...Array.from({ length: 12 }, (_, i) => stored(i + 1).numeroDocumento));
    expect((await say(w.client, 'Terminar')).folded).toContain('que desea hacer ahora');
  });
});

// ------------------------------------------------------------------------------ Nuevo

interface NuevoRow {
  readonly name: string;
  /** Who authorizes: José (RL) or María (the linked delegate). */
  readonly by: 'jose' | 'maria';
  /** Andrés is a registered citizen who talked to the assistant before. */
  readonly registered: boolean;
}

const NUEVO: NuevoRow[] = [
  { name: 'the RL authorizes a registered person: linked, e-mailed and told in their last conversation', by: 'jose', registered: true },
  { name: 'the RL authorizes a person who is not registered: invited by e-mail (masked)', by: 'jose', registered: false },
  { name: 'the linked delegate authorizes a registered person: linked, e-mailed and told', by: 'maria', registered: true },
  { name: 'the linked delegate authorizes a person who is not registered: invited by e-mail (masked)', by: 'maria', registered: false },
];

describe('Nuevo: a woman is named as one', () => {
  it('"aún no está registrada" for Paula (invited); "quedó autorizada" and "la autorizó" once she has an account', async () => {
    const paula = (await defaultReferenceRegistry().findPerson('CC', '60476805'))!;
    expect(paula.sexo).toBe('F');
    const w = await comfama({ maria: true });
    await asEmployer(w.client, maria);
    await say(w.client, 'Administrar autorizados');
    const invited = await authorizeInChat(w.client, personCard(paula, 'paula.delahoz@gmail.com'));
    expect(invited.folded).toContain('aun no esta registrada en mi seguridad social');
    const mailText = (x: World) => x.mailer.sent.filter((m) => m.template.startsWith('autorizado-')).map((m) => ['.txt.hbs', '.html.hbs'].map((ext) => renderFile(`correo/${m.template}`, ext, m.data as Record<string, unknown>)).join('\n')).join('\n');
    expect(mailText(w)).toContain('la autorizó en Mi Seguridad Social');
    expect(mailText(w)).not.toContain('lo autorizó');

    const v = await comfama({ maria: true });
    await seedActiveCitizen(v.deps.store, paula, 'paula.delahoz@correo.com', PASSWORD, new Date(START));
    await hasTalkedBefore(v.client, paula);
    await asEmployer(v.client, maria);
    await say(v.client, 'Administrar autorizados');
    const active = await authorizeInChat(v.client, personCard(paula, 'paula.delahoz@gmail.com'));
    expect(active.folded).toContain('quedo autorizada en comfama');
    expect(v.notifier.notices).toEqual([{ citizenId: 'CC:60476805', text: expect.stringContaining('la autorizó en **COMFAMA**') }]);
    expect(mailText(v)).toContain('la autorizó en Mi Seguridad Social');
  });
});

describe('Nuevo', () => {
  it.each(NUEVO)('$name', async (row) => {
    const w = await comfama({ maria: true, andres: row.registered });
    if (row.registered) await hasTalkedBefore(w.client, andres);
    await asEmployer(w.client, row.by === 'jose' ? jose : maria);
    await say(w.client, 'Administrar autorizados');
    const done = await authorizeInChat(w.client, personCard(andres, 'andres.zapata@comfama.com.co'));
    const por = row.by === 'jose' ? 'José Restrepo (representante legal)' : 'María Peña (delegada)';
    if (row.registered) {
      expect(done.folded).toContain('andres zapata quedo autorizado en comfama');
      // The person's own account address is not shown to the one who authorized them; that it is used, not the one typed, is said.
      expect(done.text).not.toMatch(/a\*+@correo\.com|andres\.zapata@/);
      expect(done.folded).toContain(fold('le avisamos al correo registrado en ella (para quien ya está registrado se usa ese, no el escrito en el formulario)'));
      expect(mailsAbout(w)).toEqual(['autorizado-asignado→andres.zapata@correo.com']);
      expect(w.notifier.notices).toEqual([{ citizenId: ANDRES_ID, text: expect.stringMatching(/lo autorizó en \*\*COMFAMA\*\*.*cambiar de rol/s) }]);
      expect(done.text).toContain('Estado: Activo');
    } else {
      expect(done.folded).toContain('andres zapata aun no esta registrado');
      expect(done.text).toContain('invitación al correo a***@comfama.com.co');
      expect(done.folded).toContain('quedara activa cuando haga su registro ciudadano');
      expect(mailsAbout(w)).toEqual(['autorizado-invitacion→andres.zapata@comfama.com.co']);
      expect(w.notifier.notices).toEqual([]);
      expect(done.text).toContain('Estado: Invitado (aún no se ha registrado)');
    }
    // Back at the list, with the new entry.
    expect(done.text).toMatch(/1 · Andrés Felipe Zapata Londoño — CC \*+567/);
    expect(done.text).toContain(`Autorizado por: ${por}, el 26/11/2026`);
    expect(done.text).toContain('Sede: Sede principal');
    neverShowsDocument(done, andres.numeroDocumento);
    expect(await entries(w)).toEqual([
      expect.objectContaining({ citizenId: ANDRES_ID, estado: row.registered ? 'activo' : 'invitado', rol: 'CAJA_SUBSIDIO_FAMILIAR', perfil: 'ADMIN_SERVICIOS_WEB_EXTERNOS', sede: { tipo: 'principal' } }),
    ]);
  });

  it('"corregir sede" at the review: another site (department, municipality, address), back to the review, shown in the list', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    await say(w.client, 'Nuevo');
    expect((await say(w.client, personCard(andres, 'andres.zapata@comfama.com.co'))).folded).toContain('en que sede operara');
    expect((await say(w.client, 'Sede principal')).folded).toContain('revise los datos de la autorizacion');
    expect((await say(w.client, 'corregir sede')).folded).toContain('en que sede operara');
    expect((await say(w.client, 'Otra sede')).folded).toContain('departamento');
    expect((await say(w.client, 'antioquia')).folded).toContain('municipio');
    expect((await say(w.client, 'rionegro')).folded).toContain('direccion de la sede');
    const review = await say(w.client, 'Calle 50 # 40-20');
    expect(review.folded).toContain('revise los datos de la autorizacion');
    expect(review.text).toContain('Rionegro');
    const done = await say(w.client, 'confirmar');
    expect(done.text).toContain('Sede: Calle 50 # 40-20, Rionegro (Antioquia)');
    expect((await entries(w))[0]?.sede).toEqual({ tipo: 'otra', departamento: '05', municipio: '05615', direccion: 'Calle 50 # 40-20' });
  });

  it('data that does not match the reference sources: the answers shown to pick the wrong one ("no coinciden"), nothing stored, no mail; correcting goes on', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    await say(w.client, 'Nuevo');
    const wrong = await say(w.client, personCard(andres, 'andres.zapata@comfama.com.co', { segundoApellido: 'Lozano' }));
    expect(wrong.folded).toContain('no coinciden con las fuentes de referencia');
    // Every compared answer as typed, none singled out (it does not say which one is wrong), and the choice of one to correct.
    for (const line of ['tipo de documento cedula de ciudadania', `numero de documento ${andres.numeroDocumento}`, 'primer nombre andres', 'segundo apellido lozano']) {
      expect(wrong.folded).toContain(line);
    }
    expect(wrong.folded).toContain('que dato desea corregir');
    expect(wrong.folded).not.toContain('en que sede');
    expect(await entries(w)).toEqual([]);
    expect(mailsAbout(w)).toEqual([]);
    expect(wrong.folded).not.toContain('volvi a revisar');
    // "confirmar" as it is: checked again, the same answer, and said to be the same (confirming again will not help).
    const again = await say(w.client, 'confirmar');
    expect(again.folded).toContain(fold('Los volví a revisar tal como están y el resultado es el mismo: para seguir, uno de ellos tiene que cambiar.'));
    expect(again.folded).toContain('no coinciden con las fuentes de referencia');
    expect(again.folded).toContain('que dato desea corregir');
    expect((await say(w.client, 'el segundo apellido')).folded).toContain('segundo apellido');
    expect((await say(w.client, 'Londoño')).folded).toContain('en que sede operara');
  });

  it('at those answers, "ayuda" and "estado" keep the list and its reason (they showed the review, "Sede: sin dato"); "confirmar" still checks again', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    await say(w.client, 'Nuevo');
    await say(w.client, personCard(andres, 'andres.zapata@comfama.com.co', { segundoApellido: 'Lozano' }));
    const help = await say(w.client, 'ayuda');
    expect(help.folded).toContain(fold('elija el que no esté igual para corregirlo; si todos están bien, escriba **confirmar**'));
    expect(help.folded).toContain('segundo apellido lozano');
    expect(help.folded).not.toContain('revise los datos de la autorizacion');
    const estado = await say(w.client, 'estado');
    expect(estado.folded).toContain('no coinciden con las fuentes de referencia');
    expect(estado.folded).toContain('que dato desea corregir');
    expect(estado.folded).not.toContain('sin dato');
    expect((await say(w.client, 'confirmar')).folded).toContain('volvi a revisar');
    // "atrás" there: the last of the answers refused (the e-mail, given after them, is not what was checked), with its answer.
    const back = await say(w.client, 'atrás');
    expect(back.folded).toContain('segundo apellido');
    expect(back.text).toContain('LOZANO');
    expect(back.folded).not.toContain('que dato desea corregir');
    expect((await say(w.client, 'Londoño')).folded).toContain('en que sede operara');
  });

  it('once per rol: authorizing Andrés again says he is already assigned, with the entry, before asking the site', async () => {
    const w = await comfama({ maria: true });
    await asEmployer(w.client, maria);
    await say(w.client, 'Administrar autorizados');
    // "agregar", as people say it, is Nuevo.
    expect((await authorizeInChat(w.client, personCard(andres, 'andres.zapata@comfama.com.co'), 'agregar')).folded).toContain('aun no esta registrado');
    w.mailer.sent.length = 0;
    await say(w.client, 'Nuevo');
    const dup = await say(w.client, personCard(andres, 'otro.correo@comfama.com.co'));
    expect(dup.folded).toContain('andres zapata ya esta asignado al rol caja de subsidio familiar en comfama');
    expect(dup.folded).toContain('invitado desde el 26 11 2026 por maria pena');
    expect(dup.folded).toContain('una sola vez al rol');
    expect(dup.folded).toContain('numero de documento de la persona');
    expect(dup.folded).not.toContain('en que sede');
    neverShowsDocument(dup, andres.numeroDocumento);
    expect(await entries(w)).toHaveLength(1);
    expect(mailsAbout(w)).toEqual([]);
    // "empezar de nuevo" and then atrás lead back to the list, unchanged.
    expect((await say(w.client, 'empezar de nuevo')).folded).toContain('tipo de documento de la persona');
    expect(rows(await say(w.client, 'atrás'))).toEqual(['1 · Andrés Felipe Zapata Londoño — CC *******567']);
  });

  /** María authorized Andrés, then (Nuevo) gives his data again: the re-ask that he is already assigned. */
  async function duplicateOfAndres() {
    const w = await comfama({ maria: true });
    await asEmployer(w.client, maria);
    await say(w.client, 'Administrar autorizados');
    await authorizeInChat(w.client, personCard(andres, 'andres.zapata@comfama.com.co'), 'agregar');
    await say(w.client, 'Nuevo');
    return { w, dup: await say(w.client, personCard(andres, 'otro.correo@comfama.com.co')) };
  }

  it('after the duplicate, one "atrás" goes back to the list and leaves no draft of that person behind', async () => {
    const { w, dup } = await duplicateOfAndres();
    expect(dup.folded).toContain('para volver a la lista de autorizados escriba atras');
    expect(rows(await say(w.client, 'atrás'))).toEqual(['1 · Andrés Felipe Zapata Londoño — CC *******567']);
    const drafts = await w.deps.store.transaction((tx) => tx.collection('drafts').list());
    expect(JSON.stringify(drafts)).not.toContain('otro.correo@comfama.com.co');
    // Nuevo again starts from the beginning, with nothing to resume.
    const again = await say(w.client, 'Nuevo');
    expect(again.folded).toContain('tipo de documento de la persona');
    expect(again.folded).not.toContain('retomamos');
  });

  it('after the duplicate, a different number is an answer, and "atrás" then walks back as usual', async () => {
    const { w } = await duplicateOfAndres();
    // Another number (the names then do not match: the answers to correct, not the list of authorized people).
    const other = await say(w.client, '1036612345');
    expect(other.folded).toContain('no coinciden con las fuentes de referencia');
    expect(other.folded).toContain('que dato desea corregir');
    // "atrás" there: the last question answered, with its answer (not the list of authorized people).
    const back = await say(w.client, 'atrás');
    expect(back.folded).not.toContain('1 · andres');
    expect(back.folded).toContain('antes respondio 1036612345');
    expect(back.folded).toContain('numero de documento de la persona');
  });

  // Found by this test (reported): `authorize` checks once per rol again at "confirmar", but the dialog's
  // refusal() maps AUTORIZADO.YA_ASIGNADO to "no-permitido". Flip to `it` once fixed.
  it('the person authorized by someone else while the review was open: says so, not "usted no puede administrar"', async () => {
    const w = await comfama({ maria: true });
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    await say(w.client, 'Nuevo');
    await say(w.client, personCard(andres, 'andres.zapata@comfama.com.co'));
    expect((await say(w.client, 'Sede principal')).folded).toContain('revise los datos');
    // Meanwhile María, in her own conversation, authorizes Andrés.
    const r = await authorize(w.deps, `CC:${maria.numeroDocumento}`, { ...asRl, como: 'delegado' }, COMFAMA_NIT, { ...DELEGADO_ANDRES, sede: { tipo: 'principal' }, rol: 'CAJA_SUBSIDIO_FAMILIAR', perfil: 'ADMIN_SERVICIOS_WEB_EXTERNOS' }, actor);
    expect(r.ok).toBe(true);
    const done = await say(w.client, 'confirmar');
    expect(done.folded).not.toContain('usted no puede administrar');
    expect(done.folded).toContain('ya esta asignado');
  });

  it('a company that is not a CCF: Nuevo says it has no rol CAJA DE SUBSIDIO FAMILIAR, gives the helpdesk, and goes back to the list', async () => {
    // From the reference sources: Transportes Río Grande has no PILA code (not a CCF) and Jaime is its RL.
    const company = await reference.findCompany('900197450');
    expect(company?.codigoPila).toBeUndefined();
    expect(company?.representanteLegal).toEqual({ tipoDocumento: 'CC', numeroDocumento: '18054862' });
    const jaime = (await reference.findPerson('CC', '18054862'))!;
    const w = { ...dialogDeps(START) } as World;
    await seedActiveCitizen(w.deps.store, jaime, 'jaime.giraldo@correo.com', PASSWORD, new Date(START));
    const sede = { nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 32A # 93-16', telefono: '6044445555', email: 'admin@riogrande.com.co' };
    const registered = await registerEmployer(w.deps, JAIME, { nit: company!.nit, razonSocial: 'Transportes Río Grande S.A.S.', naturaleza: '2', delegado: DELEGADO_ANDRES, sede }, actor);
    expect(registered).toMatchObject({ ok: true, value: { estado: 'activo' } });
    w.mailer.sent.length = 0;
    w.client = mainClient(w);

    await asEmployer(w.client, jaime);
    const list = await say(w.client, 'Administrar autorizados');
    expect(list.folded).toContain('transportes rio grande s.a.s no tiene personas autorizadas'); // fold() drops a dot before a space
    const refused = await say(w.client, 'Nuevo');
    expect(refused.folded).toContain('no es una caja de compensacion familiar');
    expect(refused.text).toContain('CAJA DE SUBSIDIO FAMILIAR');
    expect(refused.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(refused.text).toContain('01 8000 96 00 20');
    // No dead end: the list again, and Terminar goes to the menu.
    expect(refused.folded).toContain('que desea hacer en transportes rio grande s.a.s');
    expect(buttons(refused)).toEqual(['Nuevo', 'Terminar']);
    expect(refused.folded).not.toContain('tipo de documento de la persona');
    expect((await say(w.client, 'Terminar')).folded).toContain('que desea hacer ahora');
    expect(await entries(w)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ Revocar

describe('Revocar', () => {
  it('choose, a reason (too short is asked again), confirm: revoked, e-mailed and told; then the person can be authorized again', async () => {
    const w = await comfama({ andres: true });
    await hasTalkedBefore(w.client, andres);
    await andresAuthorized(w);
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    const choice = await say(w.client, 'Revocar una autorización');
    expect(choice.folded).toContain('cual autorizacion de comfama desea revocar');
    neverShowsDocument(choice, andres.numeroDocumento);
    expect((await say(w.client, '1')).folded).toContain('por que revoca esta autorizacion');
    const short = await say(w.client, 'no');
    expect(short.folded).toContain('al menos 5 caracteres');
    expect(short.folded).toContain('por que revoca esta autorizacion');
    const confirm = await say(w.client, 'Ya no trabaja en la Caja');
    expect(confirm.folded).toContain('revoca la autorizacion de andres zapata en comfama');
    expect(confirm.text).toContain('Motivo: Ya no trabaja en la Caja');
    expect(buttons(confirm)).toEqual(['Sí, revocar', 'No, volver a la lista']);
    expect(await entries(w)).toEqual([expect.objectContaining({ estado: 'activo' })]);

    const done = await say(w.client, 'Sí, revocar');
    expect(done.folded).toContain('se revoco la autorizacion de andres zapata');
    expect(done.folded).toContain('al correo registrado en su cuenta');
    expect(done.text).toContain('Estado: Revocado');
    expect(done.text).toContain('Revocado por: José Restrepo, el 26/11/2026: Ya no trabaja en la Caja');
    expect(buttons(done)).toEqual(['Nuevo', 'Terminar']);
    neverShowsDocument(done, andres.numeroDocumento);
    expect(mailsAbout(w)).toEqual(['autorizado-revocado→andres.zapata@correo.com']);
    expect(w.notifier.notices).toEqual([{ citizenId: ANDRES_ID, text: expect.stringMatching(/revocó su autorización.*Motivo: Ya no trabaja en la Caja/s) }]);
    const [revoked] = await entries(w);
    expect(revoked).toMatchObject({ estado: 'revocado', revocacion: { motivo: 'Ya no trabaja en la Caja', como: 'rl' } });

    // A revoked person can be authorized again: a new entry.
    const again = await authorizeInChat(w.client, personCard(andres, 'andres.zapata@comfama.com.co'));
    expect(again.folded).toContain('andres zapata quedo autorizado');
    expect(again.text).toMatch(/1 · Andrés Felipe Zapata Londoño — CC \*+567[\s\S]*Estado: Activo[\s\S]*2 · Andrés Felipe Zapata Londoño — CC \*+567[\s\S]*Estado: Revocado/);
    expect((await entries(w)).map((a) => a.estado).sort()).toEqual(['activo', 'revocado']);
  });

  it('an invitation revoked: the invitation address is told (masked), no chat notice', async () => {
    const w = await comfama();
    await andresAuthorized(w);
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    expect(buttons(await say(w.client, 'Revocar una autorización'))).toEqual(['Andrés Felipe Zapata Londoño — CC *******567 (invitado)']);
    await say(w.client, 'Andrés');
    await say(w.client, 'Cambió de cargo');
    const done = await say(w.client, 'Sí, revocar');
    expect(done.text).toContain('al correo a***@comfama.com.co');
    expect(mailsAbout(w)).toEqual(['autorizado-revocado→andres.zapata@comfama.com.co']);
    expect(w.notifier.notices).toEqual([]);
  });

  it('"No, volver a la lista" revokes nothing and sends nothing', async () => {
    const w = await comfama({ andres: true });
    await andresAuthorized(w);
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    await say(w.client, 'Revocar una autorización');
    await say(w.client, '1');
    await say(w.client, 'Ya no trabaja en la Caja');
    const list = await say(w.client, 'No, volver a la lista');
    expect(list.folded).toContain('que desea hacer en comfama');
    expect(list.text).toContain('Estado: Activo');
    expect(await entries(w)).toEqual([expect.objectContaining({ estado: 'activo' })]);
    expect(mailsAbout(w)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ every prompt

interface FlowStep {
  /** What the person says. */
  readonly say: Input;
  /** What the reply asks (folded). */
  readonly asks: string;
  /** What "atrás" asks at that question. */
  readonly back: string;
  /** A question of a form: the heading names the company and its NIT. */
  readonly form?: boolean;
  /** An optional name: an answer with no letters or digits (empty, emoji only) means "none" (parseOptionalName), not bad input. */
  readonly optional?: boolean;
}

describe('the action asked for at the main menu, in a person\'s words', () => {
  it('"quiero agregar otra persona autorizada": the list, then Nuevo\'s first question (no search results, no extra choice); atrás there is the list', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    const r = await say(w.client, 'quiero agregar otra persona autorizada');
    expect(r.folded).not.toContain(fold('Esto es lo que encontré'));
    expect(r.folded).toContain(fold('Administrar autorizados'));
    expect(r.folded).toContain('tipo de documento de la persona que va a autorizar');
    expect((await say(w.client, 'atrás')).folded).toContain(LIST);
  });

  it('"quitar una persona autorizada" with one to revoke: which one', async () => {
    const w = await comfama();
    await andresAuthorized(w);
    await asEmployer(w.client);
    const r = await say(w.client, 'quitar una persona autorizada');
    expect(r.folded).not.toContain(fold('Esto es lo que encontré'));
    expect(r.folded).toContain(CHOICE_Q);
  });

  it('"¿qué es una sede?" at the site question: its help, without "si no tiene este dato a mano" (one of the options is the answer)', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    await say(w.client, 'Nuevo');
    await say(w.client, personCard(andres, 'andres.zapata@correo.com'));
    const help = await say(w.client, '¿qué es una sede?');
    expect(help.folded).toContain('elija sede principal');
    expect(help.folded).not.toContain('no tiene este dato a mano');
    expect(help.folded).toContain('en que sede operara la persona');
  });

  it('the rol and the perfil, each with one option, are not asked: the intro names them, the review shows them, "corregir rol" offers the one there is', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    const intro = await say(w.client, 'Nuevo');
    expect(intro.folded).toContain('con el rol caja de subsidio familiar y el perfil autorizado para administrar servicios web externos');
    await say(w.client, personCard(andres, 'andres.zapata@correo.com'));
    const review = await say(w.client, 'Sede principal');
    expect(review.folded).toContain('revise los datos de la autorizacion');
    expect(review.text).toContain('Rol autorizado**: CAJA DE SUBSIDIO FAMILIAR');
    expect(review.text).toContain('Perfil autorizado**: Autorizado para administrar servicios web externos');
    expect((await say(w.client, 'corregir rol')).folded).toContain('que rol autorizado tendra la persona');
    expect((await say(w.client, 'si')).folded).toContain('revise los datos de la autorizacion');
    const done = await say(w.client, 'confirmar');
    expect(done.folded).toContain('andres zapata aun no esta registrado');
    expect(await entries(w)).toEqual([expect.objectContaining({ rol: 'CAJA_SUBSIDIO_FAMILIAR', perfil: 'ADMIN_SERVICIOS_WEB_EXTERNOS' })]);
  });

  it('"quitar a luisa" at the list, and "quiero quitarle la autorización a briceño" at the main menu: that person\'s revocation, without asking which; atrás asks which', async () => {
    const w = await comfama();
    await seed(w, [
      stored(2, { primerNombre: 'CARLOS', primerApellido: 'BRICEÑO', tipoDocumento: 'CE', numeroDocumento: '654321', estado: 'invitado' }),
      stored(3, { primerNombre: 'LUISA', primerApellido: 'GÓMEZ', numeroDocumento: '43123456' }),
    ]);
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    const luisa = await say(w.client, 'quitar a luisa');
    expect(luisa.folded).toContain('por que revoca esta autorizacion');
    expect(luisa.folded).toContain(fold('Revocar la autorización de Luisa Gómez')); // whose, above the question
    expect(luisa.folded).not.toContain(CHOICE_Q);
    expect((await say(w.client, 'atrás')).folded).toContain(CHOICE_Q);
    // None of them: as atrás, the list's question.
    expect((await say(w.client, 'ninguna, gracias')).folded).toContain('que desea hacer en comfama');
    expect((await say(w.client, 'Revocar una autorización')).folded).toContain(CHOICE_Q);
    expect((await say(w.client, 'atrás')).folded).toContain('que desea hacer en comfama');
    expect((await say(w.client, 'Terminar')).folded).toContain('que desea hacer ahora');
    const carlos = await say(w.client, 'quiero quitarle la autorización a briceño');
    expect(carlos.folded).toContain('por que revoca esta autorizacion');
    await say(w.client, 'Ya no trabaja en la Caja');
    expect((await say(w.client, 'si')).folded).toContain(fold('Carlos Briceño'));
    const [revoked] = (await w.deps.store.transaction((tx) => tx.collection('autorizaciones').list())).filter((a) => a.estado === 'revocado');
    expect(revoked?.primerApellido).toBe('BRICEÑO');
  });

  it('"listo gracias" or "eso es todo" at the list\'s question ends it (Terminar); "gracias" at the main menu is answered, not searched', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    expect((await say(w.client, 'listo gracias')).folded).toContain('que desea hacer ahora');
    await say(w.client, 'Administrar autorizados');
    expect((await say(w.client, 'eso es todo')).folded).toContain('que desea hacer ahora');
    const thanks = await say(w.client, 'muchas gracias!');
    expect(thanks.folded).toContain('con gusto');
    expect(thanks.folded).not.toContain('no encontre');
    expect(thanks.folded).toContain('que desea hacer ahora');
    const bye = await say(w.client, 'chao');
    expect(bye.folded).toContain('hasta pronto');
    expect(bye.folded).toContain('escriba salir para cerrarla');
    expect((await say(w.client, 'ok')).folded).not.toContain('no encontre');
  });

  it('"quitar una persona autorizada" with none to revoke: the list and its choice (nothing to revoke is offered)', async () => {
    const w = await comfama();
    await asEmployer(w.client);
    const r = await say(w.client, 'quitar una persona autorizada');
    expect(r.folded).toContain('que desea hacer en comfama');
    expect(buttons(r)).not.toContain('Revocar una autorización');
  });
});

const CHOICE_Q = 'cual autorizacion de comfama desea revocar';

const LIST = 'que desea hacer en comfama';
const MENU = 'que desea hacer ahora';
const CHOICE = 'cual autorizacion de comfama desea revocar';

/** Nuevo one answer at a time, with another site (every field is asked). The last step is not a prompt. */
const NUEVO_FLOW: readonly FlowStep[] = [
  { say: 'Administrar autorizados', asks: LIST, back: MENU },
  { say: 'Nuevo', asks: 'tipo de documento de la persona que va a autorizar', back: LIST, form: true },
  { say: 'CC', asks: 'numero de documento de la persona', back: 'tipo de documento de la persona', form: true },
  { say: andres.numeroDocumento, asks: 'cual es el primer nombre de la persona', back: 'numero de documento de la persona', form: true },
  { say: 'Andrés', asks: 'cual es el segundo nombre de la persona', back: 'cual es el primer nombre de la persona', form: true, optional: true },
  { say: 'Felipe', asks: 'cual es el primer apellido de la persona', back: 'cual es el segundo nombre de la persona', form: true },
  { say: 'Zapata', asks: 'cual es el segundo apellido de la persona', back: 'cual es el primer apellido de la persona', form: true, optional: true },
  { say: 'Londoño', asks: 'correo electronico de la persona', back: 'cual es el segundo apellido de la persona', form: true },
  { say: 'andres.zapata@comfama.com.co', asks: 'en que sede operara la persona', back: 'correo electronico de la persona', form: true },
  { say: 'Otra sede', asks: 'en que departamento esta la sede', back: 'en que sede operara la persona', form: true },
  { say: 'Antioquia', asks: 'en que municipio', back: 'en que departamento esta la sede', form: true },
  { say: 'Rionegro', asks: 'direccion de la sede', back: 'en que municipio', form: true },
  { say: 'Calle 50 # 40-20', asks: 'revise los datos de la autorizacion', back: 'direccion de la sede', form: true },
  { say: 'confirmar', asks: 'andres zapata aun no esta registrado', back: '' },
];

/** Revocar (Andrés authorized beforehand). */
const REVOCAR_FLOW: readonly FlowStep[] = [
  { say: 'Administrar autorizados', asks: LIST, back: MENU },
  { say: 'Revocar una autorización', asks: CHOICE, back: LIST },
  { say: '1', asks: 'por que revoca esta autorizacion', back: CHOICE, form: true },
  { say: 'Ya no trabaja en la Caja', asks: 'revoca la autorizacion de andres zapata en comfama', back: CHOICE },
  { say: 'Sí, revocar', asks: 'se revoco la autorizacion de andres zapata', back: '' },
];

const FLOWS = { Nuevo: NUEVO_FLOW, Revocar: REVOCAR_FLOW } as const;
type FlowName = keyof typeof FLOWS;

/** José, acting for COMFAMA, up to the question of `flow[step]`; every reply on the way names the company. */
async function reach(name: FlowName, step: number): Promise<World> {
  const w = await comfama();
  if (name === 'Revocar') await andresAuthorized(w);
  await asEmployer(w.client);
  const flow = FLOWS[name];
  for (let i = 0; i <= step; i++) {
    const reply = await say(w.client, flow[i]!.say);
    expect(reply.folded, `${name} step ${i}: ${reply.text}`).toContain(flow[i]!.asks);
    expect(reply.text, `${name} step ${i} names the company`).toContain(NOMBRE);
    if (flow[i]!.form) expect(reply.text, `${name} step ${i}: the heading`).toContain(`**${NOMBRE}** (NIT ${NIT}) · Administrar autorizados`);
  }
  return w;
}

const PROMPTS = (Object.keys(FLOWS) as FlowName[]).flatMap((flow) =>
  FLOWS[flow].slice(0, -1).map((f, step) => ({ flow, step, question: f.asks, back: f.back, optional: f.optional === true, good: FLOWS[flow][step + 1]!.say, next: FLOWS[flow][step + 1]!.asks })),
);

describe.each(PROMPTS)('$flow, prompt "$question"', (p) => {
  it('bad input gets a Spanish re-ask of the same question, naming the company; then the flow goes on', async () => {
    const w = await reach(p.flow, p.step);
    for (const [kind, bad] of BAD_INPUTS.filter(([, input]) => !(p.optional && typeof input === 'string' && fold(input) === ''))) {
      const reply = await say(w.client, bad);
      expect(reply.folded, `${kind}: ${reply.text}`).toContain(p.question);
      expect(reply.text, kind).toContain(NOMBRE);
    }
    expect((await say(w.client, p.good)).folded).toContain(p.next);
  });

  it('cancelar goes back to the menu', async () => {
    const w = await reach(p.flow, p.step);
    expect((await say(w.client, 'cancelar')).folded).toMatch(/cancele.*que desea hacer ahora/s);
  });

  it('atrás goes back one step', async () => {
    const w = await reach(p.flow, p.step);
    expect((await say(w.client, 'atrás')).folded).toContain(p.back);
  });

  it('ayuda and estado name the step and the company, then ask again', async () => {
    const w = await reach(p.flow, p.step);
    const ayuda = await say(w.client, 'ayuda');
    expect(ayuda.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(ayuda.text).toContain(NOMBRE);
    // At the review the help says what to write, then the review's card alone (its title), not its intro again.
    expect(ayuda.folded).toContain(p.question === 'revise los datos de la autorizacion' ? 'revise la autorizacion tipo de documento' : p.question);
    const estado = await say(w.client, 'estado');
    expect(estado.folded).toContain('esta en administrar autorizados');
    expect(estado.text).toContain(NOMBRE);
    expect(estado.folded).toContain(p.question);
    // Nothing was lost.
    expect((await say(w.client, p.good)).folded).toContain(p.next);
  });
});

// Found by these tests (reported): AutorizadosDialog.describeStep looks for the list / revoke waterfall
// ids in `below`, but the main dialog passes only the top dialog of each container (the choice prompt),
// so "ayuda" at the list, the revoke choice and its confirmation gives only the general help and "estado"
// says just "Administrar autorizados". Flip these to `it` once fixed.
describe('the step help of the list and of revoking', () => {
  const CASES = [
    { flow: 'Nuevo' as const, step: 0, ayuda: 'elija nuevo para autorizar a una persona', estado: 'lista de personas autorizadas de' },
    { flow: 'Revocar' as const, step: 1, ayuda: 'elija la persona cuya autorizacion desea revocar', estado: 'revocar una autorizacion' },
    { flow: 'Revocar' as const, step: 3, ayuda: 'elija la persona cuya autorizacion desea revocar', estado: 'revocar una autorizacion' },
  ];
  for (const c of CASES) {
    it(`${c.flow} step ${c.step}: ayuda gives this step's help, estado names it`, async () => {
      const w = await reach(c.flow, c.step);
      expect((await say(w.client, 'ayuda')).folded).toContain(c.ayuda);
      const estado = (await say(w.client, 'estado')).folded;
      expect(estado).toContain(c.estado);
      expect(estado).not.toMatch(/administrar autorizados\W+en administrar autorizados/); // the process named once
    });
  }
});

// ------------------------------------------------------------------------------ several companies

describe('a person who administers several companies', () => {
  it('"Cambiar de empresa" at the list: atrás keeps the company; choosing another one opens its list and acts for it', async () => {
    // Jaime is the RL of two companies in the reference sources (neither a CCF); both roles registered.
    const jaime = (await reference.findPerson('CC', '18054862'))!;
    expect((await reference.companiesRepresentedBy('CC', '18054862')).map((c) => c.nit).sort()).toEqual(['900197450', '901134906']);
    const w = { ...dialogDeps(START) } as World;
    await seedActiveCitizen(w.deps.store, jaime, 'jaime.giraldo@correo.com', PASSWORD, new Date(START));
    const sede = { nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 32A # 93-16', telefono: '6044445555' };
    for (const [nit, razonSocial, email] of [['900197450', 'Transportes Río Grande S.A.S.', 'admin@riogrande.com.co'], ['901134906', 'Agroindustrias del Llano S.A.S.', 'admin@agrollano.com.co']] as const) {
      expect(await registerEmployer(w.deps, JAIME, { nit, razonSocial, naturaleza: '2', delegado: DELEGADO_ANDRES, sede: { ...sede, email } }, actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
    }
    w.client = mainClient(w);
    await login(w.client, jaime);
    expect((await say(w.client, 'Transportes Río Grande')).folded).toContain('ahora actua como empleador persona juridica transportes rio grande');
    const list = await say(w.client, 'Administrar autorizados');
    expect(buttons(list)).toEqual(['Nuevo', 'Cambiar de empresa', 'Terminar']);
    expect((await say(w.client, 'Cambiar de empresa')).folded).toContain('para cual empresa desea administrar los autorizados');
    expect((await say(w.client, 'atrás')).folded).toContain('que desea hacer en transportes rio grande');
    await say(w.client, 'Cambiar de empresa');
    const other = await say(w.client, 'Agroindustrias');
    expect(other.folded).toContain('agroindustrias del llano s.a.s no tiene personas autorizadas');
    expect(other.folded).toContain('que desea hacer en agroindustrias del llano');
    // The session now acts for the chosen company.
    expect((await say(w.client, 'Terminar')).folded).toContain('actua como empleador persona juridica agroindustrias del llano');
  });
});

// ------------------------------------------------------------------------------ the authorized person

describe("the authorized person's side", () => {
  it('after login Andrés sees the rol "Caja de compensación familiar — COMFAMA"; choosing it says the Ministry must activate it; ¿en qué voy? shows step 3 done', async () => {
    const w = await comfama({ andres: true });
    await asEmployer(w.client);
    await say(w.client, 'Administrar autorizados');
    expect((await authorizeInChat(w.client, personCard(andres, 'andres.zapata@comfama.com.co'))).folded).toContain('quedo autorizado');
    // José's checklist names the authorized person in step 3.
    expect((await say(w.client, 'Terminar')).folded).toContain(MENU);
    expect((await say(w.client, '¿en qué voy?')).folded).toMatch(/paso 3 administrar autorizados hecho andres felipe zapata persona autorizada desde el 26 11/);
    await say(w.client, 'salir');

    const roles = await login(w.client, andres);
    expect(buttons(roles)).toEqual(expect.arrayContaining(['Ciudadano', expect.stringMatching(/^Caja de compensación familiar — .*COMFAMA/)]));
    const chosen = await say(w.client, 'Caja de compensación familiar');
    expect(chosen.folded).toContain('ahora actua como caja de compensacion familiar');
    expect(chosen.folded).toContain('aun no ha activado el rol caja de compensacion familiar');
    expect(chosen.text).toContain('miseguridadsocial@minsalud.gov.co');
    expect(chosen.text).toContain('(57-1) 5893750');
    const checklist = await say(w.client, '¿en qué voy?');
    expect(checklist.folded).toContain('andres felipe zapata');
    expect(checklist.folded).toContain('participa como persona autorizada');
    expect(checklist.folded).toMatch(/paso 3 administrar autorizados hecho usted persona autorizada desde el 26 11/);
    expect(checklist.folded).toContain('el ministerio de salud debe activar el rol caja de compensacion familiar');
  });

  it('an invited person is not offered the CCF role until the invitation completes', async () => {
    const w = await comfama();
    await andresAuthorized(w);
    // Andrés registers later (seeded here: the activation that completes the invitation has its own tests).
    await seedActiveCitizen(w.deps.store, andres, 'andres.zapata@correo.com', PASSWORD, new Date(START));
    const r = await login(w.client, andres);
    expect(r.text).not.toContain('Caja de compensación familiar —');
  });
});

// ------------------------------------------------------------------------------ who may start it

describe('who may administer the authorized persons', () => {
  it('a citizen with no employer role is told who can do it (no failure)', async () => {
    const w = await comfama();
    await seedActiveCitizen(w.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD, new Date(START));
    expect((await login(w.client, carlos)).folded).toContain('ingreso correctamente');
    const r = await say(w.client, 'Administrar autorizados');
    expect(r.folded).toContain('administrar autorizados es para el representante legal o el delegado');
    expect(r.folded).toContain('usted no tiene ese rol');
    expect(r.folded).not.toMatch(/lo sentimos|ocurrio un error|aun no tiene personas autorizadas/);
  });

  it('the RL acting as Ciudadano is moved to the one employer role that fits, and the list opens', async () => {
    const w = await comfama();
    await login(w.client, jose);
    expect((await say(w.client, 'Ciudadano')).folded).toContain('ahora actua como ciudadano');
    const r = await say(w.client, 'Administrar autorizados');
    expect(r.folded).toContain('ahora actua como empleador persona juridica');
    expect(r.folded).toContain('aun no tiene personas autorizadas');
  });

  it('the authorized person, acting in the CCF role, is told it is for the RL or the delegate', async () => {
    const w = await comfama({ andres: true });
    await andresAuthorized(w);
    await login(w.client, andres);
    await say(w.client, 'Caja de compensación familiar');
    const r = await say(w.client, 'Administrar autorizados');
    expect(r.folded).toContain('es para el representante legal o el delegado');
    expect(r.folded).not.toContain('aun no tiene personas autorizadas');
  });
});
