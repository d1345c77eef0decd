/**
 * "Hablar con un asesor" (domain/casos-mesa.ts): the helpdesk hours, what a case keeps of a message,
 * and the case's life (queue → taken by one agent → relayed messages → closed) with its permissions,
 * audit, agents' actions and the e-mail to the person.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN, HELPDESK, JOSE, seedCitizen, setup, type Setup } from '../test/helpers/employers.js';
import { records } from '../test/helpers/store.js';
import { renderFile, renderHtml } from '../templates/render.js';
import type { Actor } from './audit.js';
import {
  addMessage,
  caseByNumber,
  caseOfConversation,
  casesOnlyInThisProcess,
  casesInQueue,
  casesOfAgent,
  closeCase,
  DATO_PROTEGIDO,
  identifyCasePerson,
  markEmailOnAnswer,
  MENSAJE_MAX,
  unitsOfChars,
  MENSAJES_MAX,
  MENSAJES_PREVIOS,
  nextOpening,
  caseToTake,
  normalizeCaseNumber,
  openCase,
  safeMessage,
  SUJETO_SIN_IDENTIFICAR,
  takeCase,
  withinHelpdeskHours,
  type ConversacionCaso,
  type MensajeCaso,
  type NuevoCaso,
} from './casos-mesa.js';
import type { Mailer, Random, Store } from './ports.js';
import { seededRandom } from './random.js';
import { staffDirectory } from './staff.js';

// ------------------------------------------------------------------------------ fixtures

const DIANA = 'CC:33773336'; // a second Mesa de ayuda agent (Diana Martínez)
const EMAIL_JOSE = 'jose.restrepo@correo.com';
const SECRET = 'Guayacan-Florido-2026';
const personActor: Actor = { ref: 'u-5e6f7a8b', channel: 'webchat' };
const agentActor: Actor = { ref: 'u-9c8d7e6f', channel: 'msteams' };
const dianaActor: Actor = { ref: 'u-1a2b3c4d', channel: 'msteams' };
/** Thursday 26 Nov 2026, 10:00 in Bogotá (the helpers' START): the helpdesk is open. */
const OPEN = '2026-11-26T15:00:00.000Z';
/** Sunday 29 Nov 2026, 10:00 in Bogotá: closed. */
const SUNDAY = '2026-11-29T15:00:00.000Z';
/** Monday 30 Nov 2026, 7:00 in Bogotá. */
const MONDAY_OPENING = '2026-11-30T12:00:00.000Z';

const conv = (clave: string): ConversacionCaso => ({ clave, referencia: { conversation: { id: clave.split('|')[1] }, channelId: clave.split('|')[0] } });
const PERSONA_CONV = conv('webchat|conv-persona-1');
const AGENT_CONV = conv('msteams|conv-alejandro');
const DIANA_CONV = conv('msteams|conv-diana');
const msg = (de: MensajeCaso['de'], texto: string, en = OPEN): MensajeCaso => ({ de, texto, en });

const nuevoDeJose = (extra: Partial<NuevoCaso> = {}): NuevoCaso => ({
  persona: { id: JOSE, nombre: 'José Restrepo' },
  nits: ['890900841'],
  proceso: 'rol-empleador',
  paso: 'NIT de la empresa',
  mensajes: [msg('asistente', 'Escriba el NIT de la empresa.'), msg('persona', 'no me deja seguir'), msg('asistente', 'El NIT no es válido.')],
  conversacion: PERSONA_CONV,
  ...extra,
});

/** Two agents (Alejandro Ibáñez and Diana Martínez), an administrator who is not an agent, and José who asks. */
async function helpdesk(): Promise<Setup> {
  const s = setup(staffDirectory({ admins: [ADMIN], helpdesk: [HELPDESK, DIANA] }));
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@minsalud.gov.co');
  await seedCitizen(s, 'CC', '33773336', 'diana.martinez@minsalud.gov.co');
  await seedCitizen(s, 'CE', '654321', 'admin@minsalud.gov.co');
  await seedCitizen(s, 'CC', '70123456', EMAIL_JOSE);
  return s;
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

const actions = async (s: Setup, prefix = 'mesa.') => (await records(s.store, 'audit')).filter((e) => e.action.startsWith(prefix));

// ------------------------------------------------------------------------------ hours

describe('withinHelpdeskHours: L–V 7:00–18:00, sábados 8:00–13:00, Bogotá (UTC−5)', () => {
  it.each<[string, string, boolean]>([
    ['Monday 6:59', '2026-11-30T11:59:00.000Z', false],
    ['Monday 7:00', '2026-11-30T12:00:00.000Z', true],
    ['Thursday 10:00', OPEN, true],
    ['Monday 17:59', '2026-11-30T22:59:00.000Z', true],
    ['Friday 17:59:59.999', '2026-11-27T22:59:59.999Z', true],
    ['Monday 18:00', '2026-11-30T23:00:00.000Z', false],
    ['Saturday 7:59', '2026-11-28T12:59:00.000Z', false],
    ['Saturday 8:00', '2026-11-28T13:00:00.000Z', true],
    ['Saturday 12:59', '2026-11-28T17:59:00.000Z', true],
    ['Saturday 13:00', '2026-11-28T18:00:00.000Z', false],
    ['Sunday 10:00', SUNDAY, false],
    ['Sunday 7:00 (UTC 12:00)', '2026-11-29T12:00:00.000Z', false],
    // Where UTC and Bogotá disagree on the day or the hour.
    ['Monday 21:00 Bogotá = Tuesday 2:00 UTC', '2026-12-01T02:00:00.000Z', false],
    ['Friday 22:30 Bogotá = Saturday 3:30 UTC', '2026-11-28T03:30:00.000Z', false],
    ['Sunday 23:30 Bogotá = Monday 4:30 UTC', '2026-11-30T04:30:00.000Z', false],
    ['Monday 0:00 Bogotá = Monday 5:00 UTC', '2026-11-30T05:00:00.000Z', false],
    ['Saturday 7:30 Bogotá = Saturday 12:30 UTC', '2026-11-28T12:30:00.000Z', false],
    ['Friday 17:30 Bogotá = Friday 22:30 UTC', '2026-11-27T22:30:00.000Z', true],
    ['Monday 6:30 Bogotá = Monday 11:30 UTC', '2026-11-30T11:30:00.000Z', false],
  ])('%s → %s', (_label, iso, open) => {
    expect(withinHelpdeskHours(new Date(iso))).toBe(open);
  });
});

describe('nextOpening', () => {
  it.each<[string, string, string]>([
    ['open: now itself', OPEN, OPEN],
    ['Monday 6:59 → Monday 7:00', '2026-11-30T11:59:00.000Z', MONDAY_OPENING],
    ['Monday 18:00 → Tuesday 7:00', '2026-11-30T23:00:00.000Z', '2026-12-01T12:00:00.000Z'],
    ['Monday 23:30 Bogotá (Tuesday UTC) → Tuesday 7:00', '2026-12-01T04:30:00.000Z', '2026-12-01T12:00:00.000Z'],
    ['Friday 18:00 → Saturday 8:00', '2026-11-27T23:00:00.000Z', '2026-11-28T13:00:00.000Z'],
    ['Friday 22:30 Bogotá (Saturday UTC) → Saturday 8:00', '2026-11-28T03:30:00.000Z', '2026-11-28T13:00:00.000Z'],
    ['Saturday 7:00 → Saturday 8:00', '2026-11-28T12:00:00.000Z', '2026-11-28T13:00:00.000Z'],
    ['Saturday 13:00 → Monday 7:00', '2026-11-28T18:00:00.000Z', MONDAY_OPENING],
    ['Sunday 10:00 → Monday 7:00', SUNDAY, MONDAY_OPENING],
    ['Sunday 23:30 Bogotá (Monday UTC) → Monday 7:00', '2026-11-30T04:30:00.000Z', MONDAY_OPENING],
  ])('%s', (_label, iso, expected) => {
    expect(nextOpening(new Date(iso)).toISOString()).toBe(expected);
  });

  it('over a whole week, every 10 minutes: an open moment, with nothing open before it', () => {
    const start = new Date('2026-11-29T00:00:00.000Z').getTime();
    for (let t = start; t < start + 8 * 86_400_000; t += 10 * 60_000) {
      const now = new Date(t);
      const next = nextOpening(now).getTime();
      expect(withinHelpdeskHours(new Date(next))).toBe(true);
      expect(next).toBeGreaterThanOrEqual(t);
      if (next > t) expect(withinHelpdeskHours(new Date(next - 1))).toBe(false);
      if (next > t) expect(withinHelpdeskHours(new Date(t + Math.floor((next - t) / 2)))).toBe(false);
    }
  });
});

// ------------------------------------------------------------------------------ messages

describe('safeMessage: what a case may keep of a message', () => {
  it.each<[string, string, string]>([
    ['a password alone', SECRET, DATO_PROTEGIDO],
    ['a password alone, with spaces around', `   ${SECRET}\n`, DATO_PROTEGIDO],
    ['a password in a sentence', `mi clave de ingreso ${SECRET} no sirve`, `mi clave de ingreso ${DATO_PROTEGIDO} no sirve`],
    ['a password between quotes', `probé con "${SECRET}", ¿está bien?`, `probé con "${DATO_PROTEGIDO}", ¿está bien?`],
    ['a password announced, even of letters only', 'mi contraseña es guayacanflorido y no entra', `mi contraseña es ${DATO_PROTEGIDO} y no entra`],
    ['a password after "password:"', 'password: perrito', `password: ${DATO_PROTEGIDO}`],
    ['an ordinary sentence', 'No me deja seguir en el paso del NIT, ¿qué hago?', 'No me deja seguir en el paso del NIT, ¿qué hago?'],
    ['an e-mail, a date, a NIT and a document number', 'jose.restrepo@correo.com 15/03/1980 860.007.336-1 70123456', 'jose.restrepo@correo.com 15/03/1980 860.007.336-1 70123456'],
    ['a case number', 'mi caso es el M-4F7K2Q', 'mi caso es el M-4F7K2Q'],
    ['a long key pasted', `el client secret que me dieron: ${'a1B2c3D4'.repeat(20)}`, `el client secret que me dieron: ${DATO_PROTEGIDO}`],
    ['a long link', `https://asistente.example/docs/${'a1'.repeat(80)}`, `https://asistente.example/docs/${'a1'.repeat(80)}`],
    ['trimmed', '  hola  ', 'hola'],
    ['Markdown emphasis is not a secret', '**importante**: no pegue la llave _privada_ ni `clave`', '**importante**: no pegue la llave _privada_ ni `clave`'],
    ['a password in emphasis is still one', `use **${SECRET}** y _${SECRET}_`, `use ${DATO_PROTEGIDO} y ${DATO_PROTEGIDO}`],
  ])('%s', (_label, texto, kept) => {
    expect(safeMessage(msg('persona', texto)).texto).toBe(kept);
  });

  it('cuts a long message to MENSAJE_MAX characters ending in "…", and keeps who and when', () => {
    const long = safeMessage({ de: 'asesor', texto: 'a'.repeat(MENSAJE_MAX + 50), en: '2026-11-26T15:01:00.000Z' });
    expect([...long.texto]).toHaveLength(MENSAJE_MAX);
    expect(long.texto.endsWith('…')).toBe(true);
    expect(long).toMatchObject({ de: 'asesor', en: '2026-11-26T15:01:00.000Z' });
    expect(safeMessage(msg('persona', 'a'.repeat(MENSAJE_MAX))).texto).toBe('a'.repeat(MENSAJE_MAX));
  });

  it('counts characters as [...text] does, lone surrogates included, without building that array', () => {
    const pieces = ['a', 'ñ', '🙂', '\ud83d', '\ude42', ' ', '👩‍💻'];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let k = next() % 40; k > 0; k--) text += pieces[next() % pieces.length];
      const chars = [...text];
      for (const n of [0, 1, 5, chars.length - 1, chars.length, chars.length + 3].filter((x) => x >= 0)) {
        expect(unitsOfChars(text, n)).toBe(chars.slice(0, n).join('').length);
      }
    }
  });

  it('counts characters, not UTF-16 units: MENSAJE_MAX emoji are kept whole, one more is cut', () => {
    const emoji = '🙂'.repeat(MENSAJE_MAX);
    expect(safeMessage(msg('asistente', emoji)).texto).toBe(emoji);
    const cut = safeMessage(msg('asistente', `${emoji}🙂`)).texto;
    expect([...cut]).toHaveLength(MENSAJE_MAX);
    expect(cut.endsWith('🙂…')).toBe(true);
  });

  it('hides a password before cutting, so that no part of it survives the cut', () => {
    const texto = `${'palabra '.repeat(124)}${SECRET} fin`;
    const kept = safeMessage(msg('persona', texto)).texto;
    expect(kept).not.toContain('Guayacan');
    expect([...kept].length).toBeLessThanOrEqual(MENSAJE_MAX);
  });
});

describe('normalizeCaseNumber', () => {
  it.each<[string, string | undefined]>([
    ['M-4F7K2Q', 'M-4F7K2Q'],
    ['m-4f7k2q', 'M-4F7K2Q'],
    ['4F7K2Q', 'M-4F7K2Q'],
    [' m 4f7k2q ', 'M-4F7K2Q'],
    ['M4F7K2Q', 'M-4F7K2Q'],
    ['4F7K2', undefined],
    ['X-4F7K2Q', undefined],
    ['', undefined],
  ])('%j → %j', (raw, numero) => {
    expect(normalizeCaseNumber(raw)).toBe(numero);
  });
});

describe('caseToTake: an agent asking for a case by its number', () => {
  it.each<[string | undefined, string | undefined]>([
    ['Tomar M-4F7K2Q', 'M-4F7K2Q'],
    ['tomar m-4f7k2q', 'M-4F7K2Q'],
    ['tomar el caso M-4F7K2Q.', 'M-4F7K2Q'],
    ['Tomar caso 4F7K2Q', 'M-4F7K2Q'],
    ['atender caso m 4f7k2q', 'M-4F7K2Q'],
    ['tomar', undefined],
    ['tomar el caso', undefined],
    ['tomar agua', undefined],
    ['M-4F7K2Q', undefined],
    ['quiero tomar M-4F7K2Q y otro', undefined],
    [undefined, undefined],
  ])('%j → %j', (text, numero) => {
    expect(caseToTake(text)).toBe(numero);
  });
});

// ------------------------------------------------------------------------------ the case's life

describe('openCase → takeCase → messages → closeCase', () => {
  it('the whole case: queued with the context, taken by one agent, relayed both ways, closed by the person', async () => {
    const s = await helpdesk();
    const { caso, nuevo } = await openCase(s.deps, nuevoDeJose(), personActor);
    expect(nuevo).toBe(true);
    expect(caso).toMatchObject({
      numero: expect.stringMatching(/^M-[2-9A-HJKMNP-Z]{6}$/),
      estado: 'en_cola',
      persona: { id: JOSE, nombre: 'José Restrepo' },
      nits: ['890900841'],
      proceso: 'rol-empleador',
      paso: 'NIT de la empresa',
      clavePersona: PERSONA_CONV.clave,
      creadoEn: OPEN,
      avisarPorCorreo: false,
    });
    expect(caso.mensajes.map((m) => m.texto)).toEqual(['Escriba el NIT de la empresa.', 'no me deja seguir', 'El NIT no es válido.']);
    expect(await caseOfConversation(s.deps, PERSONA_CONV.clave)).toEqual({ caso, lado: 'persona' });
    expect(value(await casesInQueue(s.deps, HELPDESK, agentActor)).map((c) => c.numero)).toEqual([caso.numero]);

    s.clock.advance(60_000);
    const tomado = value(await takeCase(s.deps, HELPDESK, caso.numero.toLowerCase(), AGENT_CONV, agentActor));
    expect(tomado).toEqual({ caso: expect.objectContaining({ estado: 'atendido', agente: { id: HELPDESK, nombre: 'Alejandro Ibáñez' }, claveAgente: AGENT_CONV.clave, conversacionAgente: AGENT_CONV, tomadoEn: '2026-11-26T15:01:00.000Z' }) });
    expect(value(await casesInQueue(s.deps, HELPDESK, agentActor))).toEqual([]);
    expect(await caseOfConversation(s.deps, AGENT_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'agente' });
    expect(await caseOfConversation(s.deps, PERSONA_CONV.clave)).toMatchObject({ caso: { id: caso.id, estado: 'atendido' }, lado: 'persona' });

    value(await addMessage(s.deps, caso.id, msg('asesor', 'Buen día, José. ¿Qué NIT está escribiendo?')));
    const conMensajes = value(await addMessage(s.deps, caso.id, msg('persona', '890900841')));
    expect(conMensajes.mensajes.slice(-2).map((m) => [m.de, m.texto])).toEqual([['asesor', 'Buen día, José. ¿Qué NIT está escribiendo?'], ['persona', '890900841']]);

    s.clock.advance(60_000);
    const cerrado = value(await closeCase(s.deps, caso.id, { lado: 'persona' }, personActor));
    expect(cerrado).toMatchObject({ estado: 'cerrado', cerradoPor: 'persona', cerradoEn: '2026-11-26T15:02:00.000Z' });
    expect(await caseOfConversation(s.deps, PERSONA_CONV.clave)).toBeUndefined();
    expect(await caseOfConversation(s.deps, AGENT_CONV.clave)).toBeUndefined();
    expect(value(await caseByNumber(s.deps, HELPDESK, caso.numero.slice(2), agentActor))).toMatchObject({ id: caso.id, estado: 'cerrado' });

    const audited = await actions(s);
    expect(audited.map((e) => [e.action, e.actor, e.subject, e.detail])).toEqual([
      ['mesa.caso_abierto', personActor.ref, 'CC *****456', { numero: caso.numero, proceso: 'rol-empleador', paso: 'NIT de la empresa' }],
      ['mesa.caso_tomado', agentActor.ref, 'CC *****456', { numero: caso.numero }],
      ['mesa.caso_cerrado', personActor.ref, 'CC *****456', { numero: caso.numero, por: 'persona' }],
    ]);
    expect(JSON.stringify(await records(s.store, 'audit'))).not.toMatch(/70123456|14770440|no me deja seguir/);
    expect(await records(s.store, 'accionesMesa')).toEqual([
      { id: expect.any(String), agenteId: HELPDESK, en: '2026-11-26T15:01:00.000Z', accion: 'caso_tomado', sujeto: 'CC *****456', casoNumero: caso.numero },
    ]);
    expect(s.mailer.sent).toEqual([]);
  });

  it('keeps only the last MENSAJES_PREVIOS messages when it opens, each through safeMessage; an anonymous person has no audit subject', async () => {
    const s = await helpdesk();
    const mensajes = Array.from({ length: MENSAJES_PREVIOS + 5 }, (_, i) => msg(i % 2 ? 'persona' : 'asistente', `mensaje ${i + 1}`));
    mensajes.push(msg('persona', `  ${SECRET}  `));
    const { caso } = await openCase(s.deps, { persona: {}, nits: [], mensajes, conversacion: PERSONA_CONV }, personActor);
    expect(caso.mensajes).toHaveLength(MENSAJES_PREVIOS);
    expect(caso.mensajes.at(0)?.texto).toBe(`mensaje ${mensajes.length - MENSAJES_PREVIOS + 1}`);
    expect(caso.mensajes.at(-1)?.texto).toBe(DATO_PROTEGIDO);
    expect(caso.persona).toEqual({});
    const [abierto] = await actions(s);
    expect(abierto).toMatchObject({ action: 'mesa.caso_abierto', detail: { numero: caso.numero, proceso: null, paso: null } });
    expect(abierto?.subject).toBeUndefined();
  });

  it('the same conversation asking twice gets the same case back unchanged; once closed, a new one', async () => {
    const s = await helpdesk();
    const first = await openCase(s.deps, nuevoDeJose(), personActor);
    s.clock.advance(60_000);
    const again = await openCase(s.deps, nuevoDeJose({ paso: 'Otro paso', mensajes: [msg('persona', 'otra vez')] }), personActor);
    expect(again).toEqual({ caso: first.caso, nuevo: false });
    expect(await records(s.store, 'casosMesa')).toHaveLength(1);
    expect((await actions(s)).map((e) => e.action)).toEqual(['mesa.caso_abierto']);

    // Still the same while an agent attends it.
    value(await takeCase(s.deps, HELPDESK, first.caso.numero, AGENT_CONV, agentActor));
    expect((await openCase(s.deps, nuevoDeJose(), personActor)).caso).toMatchObject({ id: first.caso.id, estado: 'atendido' });

    value(await closeCase(s.deps, first.caso.id, { lado: 'persona' }, personActor));
    const third = await openCase(s.deps, nuevoDeJose(), personActor);
    expect(third.nuevo).toBe(true);
    expect(third.caso.id).not.toBe(first.caso.id);
    expect(third.caso.numero).not.toBe(first.caso.numero);
    // Another conversation of the same person is another case.
    expect((await openCase(s.deps, nuevoDeJose({ conversacion: conv('msteams|conv-jose') }), personActor)).nuevo).toBe(true);
  });

  it('case numbers are unique: a drawn number already in use is drawn again', async () => {
    const s = await helpdesk();
    const seeded = seededRandom(3);
    let calls = 0;
    // The first two draws of six characters are the same ("M-222222"); the third is "M-333333".
    const random: Random = { ...seeded, int: (n) => (calls++ < 12 ? 0 : 1 % n) };
    const deps = { ...s.deps, random };
    const a = await openCase(deps, nuevoDeJose(), personActor);
    const b = await openCase(deps, nuevoDeJose({ conversacion: conv('webchat|otra') }), personActor);
    expect([a.caso.numero, b.caso.numero]).toEqual(['M-222222', 'M-333333']);
  });
});

describe('caseOfConversation: a store only this process writes is asked only for a conversation that may be in an open case', () => {
  /** The setup with its store counting transactions. */
  async function counted(): Promise<Setup & { reads: () => number }> {
    const s = await helpdesk();
    let n = 0;
    const inner = s.deps.store;
    const transaction: Store['transaction'] = (work) => {
      n++;
      return inner.transaction(work);
    };
    const store = { ...inner, transaction };
    casesOnlyInThisProcess(store);
    return { ...s, deps: { ...s.deps, store }, reads: () => n };
  }

  it('a conversation without a case is not looked up (after the one load); a person with an open case is relayed; closed, not looked up again', async () => {
    const s = await counted();
    expect(await caseOfConversation(s.deps, 'webchat|conv-sin-caso')).toBeUndefined(); // loads the open cases' keys once
    const afterLoad = s.reads();
    for (let i = 0; i < 5; i++) expect(await caseOfConversation(s.deps, `webchat|conv-sin-caso-${i}`)).toBeUndefined();
    expect(s.reads()).toBe(afterLoad);

    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    let before = s.reads();
    expect(await caseOfConversation(s.deps, PERSONA_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'persona' });
    expect(s.reads()).toBe(before + 1);
    expect(await caseOfConversation(s.deps, AGENT_CONV.clave)).toBeUndefined();

    value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    expect(await caseOfConversation(s.deps, AGENT_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'agente' });

    value(await closeCase(s.deps, caso.id, { lado: 'persona' }, personActor));
    before = s.reads();
    expect(await caseOfConversation(s.deps, PERSONA_CONV.clave)).toBeUndefined();
    expect(await caseOfConversation(s.deps, AGENT_CONV.clave)).toBeUndefined();
    expect(s.reads()).toBe(before);
  });

  it('an action on a case of nobody known records the subject as a code (the chat renders it), never Spanish text', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, { ...nuevoDeJose(), persona: {}, nits: [] }, personActor);
    value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    expect((await records(s.store, 'accionesMesa')).map((a) => a.sujeto)).toEqual([SUJETO_SIN_IDENTIFICAR]);
  });

  it('a store shared by instances (not declared) is asked on every turn: a case opened and taken on another instance is relayed', async () => {
    const s = await helpdesk();
    const a = { ...s.deps, store: { ...s.deps.store } };
    const b = { ...s.deps, store: { ...s.deps.store } };
    expect(await caseOfConversation(b, PERSONA_CONV.clave)).toBeUndefined(); // B answered before the case existed
    const { caso } = await openCase(a, nuevoDeJose(), personActor);
    expect(await caseOfConversation(b, PERSONA_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'persona' });
    value(await takeCase(a, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    expect(await caseOfConversation(b, AGENT_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'agente' });
    value(await closeCase(a, caso.id, { lado: 'persona' }, personActor));
    expect(await caseOfConversation(b, PERSONA_CONV.clave)).toBeUndefined();
  });

  it('open cases already in the store (e.g. before a restart) are found on first use', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    // The process restarted over the same records: a fresh filter, loaded from the store.
    const restarted = { ...s.deps, store: { ...s.deps.store } };
    casesOnlyInThisProcess(restarted.store);
    expect(await caseOfConversation(restarted, PERSONA_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'persona' });
    expect(await caseOfConversation(restarted, AGENT_CONV.clave)).toMatchObject({ caso: { id: caso.id }, lado: 'agente' });
  });
});

describe('takeCase: one agent per case, one case per agent', () => {
  it('two agents racing for the same case: exactly one wins, the other is told who has it', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    const [a, d] = await Promise.all([
      takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor),
      takeCase(s.deps, DIANA, caso.numero, DIANA_CONV, dianaActor),
    ]);
    const results = [a, d];
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    const winner = value(winners[0]!).caso.agente!;
    expect(loser).toEqual({ ok: false, error: { code: 'CASO.YA_TOMADO', agente: winner.nombre } });
    const [stored] = await records(s.store, 'casosMesa');
    expect(stored?.agente).toEqual(winner);
    expect((await actions(s)).filter((e) => e.action === 'mesa.caso_tomado')).toHaveLength(1);
    expect(await records(s.store, 'accionesMesa')).toHaveLength(1);
  });

  it('an agent who attends a case cannot take another until it is closed; taking one\'s own case again changes nothing', async () => {
    const s = await helpdesk();
    const first = (await openCase(s.deps, nuevoDeJose(), personActor)).caso;
    const second = (await openCase(s.deps, nuevoDeJose({ conversacion: conv('webchat|conv-persona-2'), persona: {} }), personActor)).caso;
    const taken = value(await takeCase(s.deps, HELPDESK, first.numero, AGENT_CONV, agentActor)).caso;
    expect(await takeCase(s.deps, HELPDESK, second.numero, AGENT_CONV, agentActor)).toEqual({ ok: false, error: { code: 'CASO.AGENTE_OCUPADO', numero: first.numero } });
    expect(await takeCase(s.deps, HELPDESK, first.numero, AGENT_CONV, agentActor)).toEqual({ ok: true, value: { caso: taken } });
    expect((await actions(s)).filter((e) => e.action === 'mesa.caso_tomado')).toHaveLength(1);
    // Diana is free.
    expect(await takeCase(s.deps, DIANA, first.numero, DIANA_CONV, dianaActor)).toEqual({ ok: false, error: { code: 'CASO.YA_TOMADO', agente: 'Alejandro Ibáñez' } });

    value(await closeCase(s.deps, first.id, { lado: 'agente', agenteId: HELPDESK }, agentActor));
    expect(value(await takeCase(s.deps, HELPDESK, second.numero, AGENT_CONV, agentActor)).caso.estado).toBe('atendido');
    expect(await takeCase(s.deps, DIANA, first.numero, DIANA_CONV, dianaActor)).toEqual({ ok: false, error: { code: 'CASO.CERRADO' } });
    expect(await takeCase(s.deps, DIANA, 'M-ZZZZZZ', DIANA_CONV, dianaActor)).toEqual({ ok: false, error: { code: 'CASO.NO_EXISTE' } });
  });

  it('nobody attends their own case', async () => {
    const s = await helpdesk();
    const own = (await openCase(s.deps, nuevoDeJose({ persona: { id: HELPDESK } }), personActor)).caso;
    expect(await takeCase(s.deps, HELPDESK, own.numero, AGENT_CONV, agentActor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    const fromSameConversation = (await openCase(s.deps, nuevoDeJose({ conversacion: DIANA_CONV }), personActor)).caso;
    expect(await takeCase(s.deps, DIANA, fromSameConversation.numero, DIANA_CONV, dianaActor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    expect((await records(s.store, 'casosMesa')).map((c) => c.estado)).toEqual(['en_cola', 'en_cola']);
  });
});

describe('identifyCasePerson: the agent names who asked, by the document they gave in the conversation', () => {
  it('a case of nobody known gets the person: audited with the masked document, one action of the agent; naming them again changes nothing', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose({ persona: {}, nits: [] }), personActor);
    value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    const named = value(await identifyCasePerson(s.deps, caso.id, HELPDESK, { id: JOSE, nombre: 'José Restrepo' }, agentActor));
    expect(named.persona).toEqual({ id: JOSE, nombre: 'José Restrepo' });
    expect((await records(s.store, 'casosMesa'))[0]!.persona).toEqual({ id: JOSE, nombre: 'José Restrepo' });
    const [event] = (await actions(s)).filter((e) => e.action === 'mesa.caso_identificado');
    expect(event).toMatchObject({ subject: 'CC *****456', detail: { numero: caso.numero } });
    expect(JSON.stringify(event)).not.toContain('70123456');
    expect((await records(s.store, 'accionesMesa')).map((a) => [a.accion, a.sujeto])).toEqual([
      ['caso_tomado', SUJETO_SIN_IDENTIFICAR],
      ['caso_identificado', 'CC *****456'],
    ]);
    expect(value(await identifyCasePerson(s.deps, caso.id, HELPDESK, { id: JOSE }, agentActor))).toEqual(named);
    expect((await actions(s)).filter((e) => e.action === 'mesa.caso_identificado')).toHaveLength(1);
  });

  it('refused: another person once named, a case in the queue or of another agent, the agent themself, a closed case, a citizen who is not an agent', async () => {
    const s = await helpdesk();
    const { caso: known } = await openCase(s.deps, nuevoDeJose(), personActor);
    value(await takeCase(s.deps, HELPDESK, known.numero, AGENT_CONV, agentActor));
    expect(await identifyCasePerson(s.deps, known.id, HELPDESK, { id: 'CC:1036612345' }, agentActor)).toEqual({ ok: false, error: { code: 'CASO.YA_IDENTIFICADO' } });
    const { caso: queued } = await openCase(s.deps, nuevoDeJose({ persona: {}, conversacion: conv('webchat|conv-persona-2') }), personActor);
    const denied = { ok: false, error: { code: 'PERMISO.DENEGADO' } };
    expect(await identifyCasePerson(s.deps, queued.id, HELPDESK, { id: JOSE }, agentActor)).toEqual(denied);
    value(await takeCase(s.deps, DIANA, queued.numero, DIANA_CONV, dianaActor));
    expect(await identifyCasePerson(s.deps, queued.id, HELPDESK, { id: JOSE }, agentActor)).toEqual(denied);
    expect(await identifyCasePerson(s.deps, queued.id, DIANA, { id: DIANA }, dianaActor)).toEqual(denied);
    expect(await identifyCasePerson(s.deps, queued.id, JOSE, { id: JOSE }, personActor)).toEqual(denied);
    value(await closeCase(s.deps, queued.id, { lado: 'agente', agenteId: DIANA }, dianaActor));
    expect(await identifyCasePerson(s.deps, queued.id, DIANA, { id: JOSE }, dianaActor)).toEqual({ ok: false, error: { code: 'CASO.CERRADO' } });
    expect(await identifyCasePerson(s.deps, 'no-existe', DIANA, { id: JOSE }, dianaActor)).toEqual({ ok: false, error: { code: 'CASO.NO_EXISTE' } });
    expect((await records(s.store, 'casosMesa')).map((c) => c.persona)).toEqual([known.persona, {}]);
    expect((await actions(s)).filter((e) => e.action === 'mesa.caso_identificado')).toEqual([]);
  });
});

describe('permissions: only Mesa de ayuda', () => {
  it('someone who is not an agent is refused everywhere, each refusal audited, and nothing changes', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    const denied = { ok: false, error: { code: 'PERMISO.DENEGADO' } };
    for (const who of [JOSE, ADMIN, 'CC:1036612345']) {
      expect(await casesInQueue(s.deps, who, personActor)).toEqual(denied);
      expect(await caseByNumber(s.deps, who, caso.numero, personActor)).toEqual(denied);
      expect(await takeCase(s.deps, who, caso.numero, conv('webchat|intruso'), personActor)).toEqual(denied);
      expect(await casesOfAgent(s.deps, who, personActor)).toEqual(denied);
      expect(await closeCase(s.deps, caso.id, { lado: 'agente', agenteId: who }, personActor)).toEqual(denied);
    }
    const refusals = (await actions(s)).filter((e) => e.action === 'mesa.rechazado');
    expect(refusals).toHaveLength(15);
    expect(refusals[0]).toMatchObject({ actor: personActor.ref, channel: 'webchat', detail: { accion: 'mesa.consultar' } });
    expect(await records(s.store, 'casosMesa')).toEqual([caso]);
    expect(await records(s.store, 'accionesMesa')).toEqual([]);
  });

  it('an agent whose account is not active is refused', async () => {
    const s = await helpdesk();
    await s.store.transaction(async (tx) => {
      const c = (await tx.collection('citizens').get(HELPDESK))!;
      await tx.collection('citizens').put({ ...c, estado: 'pendiente' });
    });
    expect(await casesInQueue(s.deps, HELPDESK, agentActor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
  });

  it('only the agent who took a case closes it as agent; closing twice says it is closed', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    expect(await closeCase(s.deps, caso.id, { lado: 'agente', agenteId: HELPDESK }, agentActor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    expect(await closeCase(s.deps, caso.id, { lado: 'agente', agenteId: DIANA }, dianaActor)).toEqual({ ok: false, error: { code: 'PERMISO.DENEGADO' } });
    s.clock.advance(5 * 60_000);
    const cerrado = value(await closeCase(s.deps, caso.id, { lado: 'agente', agenteId: HELPDESK }, agentActor));
    expect(cerrado).toMatchObject({ estado: 'cerrado', cerradoPor: 'asesor', cerradoEn: '2026-11-26T15:05:00.000Z' });
    expect(await closeCase(s.deps, caso.id, { lado: 'agente', agenteId: HELPDESK }, agentActor)).toEqual({ ok: false, error: { code: 'CASO.CERRADO' } });
    expect(await closeCase(s.deps, caso.id, { lado: 'persona' }, personActor)).toEqual({ ok: false, error: { code: 'CASO.CERRADO' } });
    expect(await closeCase(s.deps, 'no-such-case', { lado: 'persona' }, personActor)).toEqual({ ok: false, error: { code: 'CASO.NO_EXISTE' } });
    expect((await actions(s)).filter((e) => e.action === 'mesa.caso_cerrado').map((e) => e.detail)).toEqual([{ numero: caso.numero, por: 'asesor' }]);
    expect((await records(s.store, 'accionesMesa')).map((a) => [a.accion, a.agenteId, a.sujeto, a.casoNumero])).toEqual([
      ['caso_tomado', HELPDESK, 'CC *****456', caso.numero],
      ['caso_cerrado', HELPDESK, 'CC *****456', caso.numero],
    ]);
  });
});

describe('lists for the agent', () => {
  it('the queue oldest first (taken and closed cases left out); "Mis casos" newest first; a case by number in any spelling', async () => {
    const s = await helpdesk();
    const a = (await openCase(s.deps, nuevoDeJose({ conversacion: conv('webchat|a') }), personActor)).caso;
    s.clock.advance(60_000);
    const b = (await openCase(s.deps, nuevoDeJose({ conversacion: conv('webchat|b'), persona: {}, nits: ['890900842'] }), personActor)).caso;
    s.clock.advance(60_000);
    const c = (await openCase(s.deps, nuevoDeJose({ conversacion: conv('webchat|c') }), personActor)).caso;
    expect(value(await casesInQueue(s.deps, DIANA, dianaActor)).map((x) => x.id)).toEqual([a.id, b.id, c.id]);

    value(await takeCase(s.deps, HELPDESK, b.numero, AGENT_CONV, agentActor));
    value(await closeCase(s.deps, c.id, { lado: 'persona' }, personActor));
    expect(value(await casesInQueue(s.deps, DIANA, dianaActor)).map((x) => x.id)).toEqual([a.id]);

    value(await closeCase(s.deps, b.id, { lado: 'agente', agenteId: HELPDESK }, agentActor));
    s.clock.advance(60_000);
    value(await takeCase(s.deps, HELPDESK, a.numero, AGENT_CONV, agentActor));
    expect(value(await casesOfAgent(s.deps, HELPDESK, agentActor)).map((x) => x.id)).toEqual([a.id, b.id]);
    expect(value(await casesOfAgent(s.deps, DIANA, dianaActor))).toEqual([]);
    // Whom the action was about when the person is unknown: their CCF.
    expect((await records(s.store, 'accionesMesa'))[0]).toMatchObject({ casoNumero: b.numero, sujeto: 'NIT 890.900.842-6' });

    for (const spelling of [a.numero, a.numero.toLowerCase(), a.numero.slice(2), ` ${a.numero.slice(2).toLowerCase()} `]) {
      expect(value(await caseByNumber(s.deps, DIANA, spelling, dianaActor)).id).toBe(a.id);
    }
    expect(await caseByNumber(s.deps, DIANA, 'M-ZZZZZZ', dianaActor)).toEqual({ ok: false, error: { code: 'CASO.NO_EXISTE' } });
    expect(await caseByNumber(s.deps, DIANA, 'no es un número', dianaActor)).toEqual({ ok: false, error: { code: 'CASO.NO_EXISTE' } });
  });
});

describe('addMessage: the relayed messages', () => {
  it('a closed case refuses messages and stays as it was', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    const cerrado = value(await closeCase(s.deps, caso.id, { lado: 'persona' }, personActor));
    expect(await addMessage(s.deps, caso.id, msg('persona', '¿sigue ahí?'))).toEqual({ ok: false, error: { code: 'CASO.CERRADO' } });
    expect(await records(s.store, 'casosMesa')).toEqual([cerrado]);
    expect(await addMessage(s.deps, 'no-such-case', msg('persona', 'hola'))).toEqual({ ok: false, error: { code: 'CASO.NO_EXISTE' } });
  });

  it(`keeps at most MENSAJES_MAX (${MENSAJES_MAX}) messages, the oldest dropped; an empty message is not kept`, async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose({ mensajes: [] }), personActor);
    for (let i = 1; i <= MENSAJES_MAX + 5; i++) value(await addMessage(s.deps, caso.id, msg(i % 2 ? 'persona' : 'asesor', `mensaje ${i}`)));
    const full = value(await addMessage(s.deps, caso.id, msg('persona', '   ')));
    expect(full.mensajes).toHaveLength(MENSAJES_MAX);
    expect(full.mensajes[0]?.texto).toBe('mensaje 6');
    expect(full.mensajes.at(-1)?.texto).toBe(`mensaje ${MENSAJES_MAX + 5}`);
  });

  it('a password typed by the person is never stored: not in the case, not in the audit, not in the mail', async () => {
    const s = await helpdesk();
    s.clock.set(SUNDAY);
    const { caso } = await openCase(s.deps, nuevoDeJose({ mensajes: [msg('persona', SECRET), msg('persona', `mi clave es ${SECRET}`)] }), personActor);
    s.clock.set(MONDAY_OPENING);
    value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    value(await addMessage(s.deps, caso.id, msg('persona', `ya probé con ${SECRET}, y con "${SECRET}".`)));
    value(await addMessage(s.deps, caso.id, msg('persona', 'mi contraseña: solotexto')));
    value(await addMessage(s.deps, caso.id, msg('asesor', 'Nunca escriba su contraseña en el chat.')));
    const stored = JSON.stringify(await s.store.transaction(async (tx) => ({ casos: await tx.collection('casosMesa').list(), audit: await tx.collection('audit').list(), acciones: await tx.collection('accionesMesa').list() })));
    expect(stored).not.toContain('Guayacan');
    expect(stored).not.toContain('solotexto');
    expect(stored).toContain(DATO_PROTEGIDO);
    expect(stored).toContain('Nunca escriba su contraseña en el chat.');
    expect(JSON.stringify(s.mailer.sent)).not.toMatch(/Guayacan|solotexto|dato protegido/);
  });
});

// ------------------------------------------------------------------------------ e-mail to the person

describe('the e-mail when an agent takes the case', () => {
  it('opened outside the hours: avisarPorCorreo, and the person is e-mailed after the commit when it is taken (no secret, no messages)', async () => {
    const s = await helpdesk();
    s.clock.set(SUNDAY);
    const { caso } = await openCase(s.deps, nuevoDeJose({ mensajes: [msg('persona', SECRET), msg('persona', 'no me deja seguir')] }), personActor);
    expect(caso.avisarPorCorreo).toBe(true);
    s.clock.set(MONDAY_OPENING);
    const r = value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor));
    expect(r).toMatchObject({ correo: 'j***@correo.com', enviado: true });
    expect(s.mailer.sent).toEqual([
      { to: EMAIL_JOSE, template: 'caso-atendido', data: { nombre: 'José Restrepo', numero: caso.numero, enlace: 'https://asistente.example/' }, insideTransaction: false },
    ]);
    const data = s.mailer.sent[0]!.data as Record<string, unknown>;
    const rendered = [renderFile('correo/caso-atendido', '.asunto.hbs', data), renderFile('correo/caso-atendido', '.txt.hbs', data), renderHtml('correo/caso-atendido', data)];
    for (const text of rendered) {
      expect(text).toContain(caso.numero);
      expect(text).not.toMatch(/Guayacan|no me deja seguir|70123456/);
    }
    expect(rendered[1]).toContain('https://asistente.example/');
    expect((await actions(s, 'correo.')).map((e) => [e.action, e.subject, e.detail])).toEqual([
      ['correo.enviado', 'CC *****456', { plantilla: 'caso-atendido', destino: 'j***@correo.com' }],
    ]);
  });

  it('opened within the hours: no e-mail, unless the chat said no agent was reached', async () => {
    const s = await helpdesk();
    const first = (await openCase(s.deps, nuevoDeJose(), personActor)).caso;
    const taken = value(await takeCase(s.deps, HELPDESK, first.numero, AGENT_CONV, agentActor));
    expect(taken).toEqual({ caso: expect.objectContaining({ estado: 'atendido' }) });
    expect(s.mailer.sent).toEqual([]);

    const second = (await openCase(s.deps, nuevoDeJose({ conversacion: conv('webchat|conv-persona-2') }), personActor)).caso;
    expect(second.avisarPorCorreo).toBe(false);
    await markEmailOnAnswer(s.deps, second.id);
    expect((await caseOfConversation(s.deps, 'webchat|conv-persona-2'))?.caso.avisarPorCorreo).toBe(true);
    expect((await actions(s)).filter((e) => e.action === 'mesa.caso_aviso_correo').map((e) => [e.channel, e.detail])).toEqual([['system', { numero: second.numero }]]);
    const r = value(await takeCase(s.deps, DIANA, second.numero, DIANA_CONV, dianaActor));
    expect(r).toMatchObject({ correo: 'j***@correo.com', enviado: true });
    expect(s.mailer.sent.map((m) => m.template)).toEqual(['caso-atendido']);
  });

  it('no e-mail when the person has no account; a mail that cannot go does not undo the taking', async () => {
    const s = await helpdesk();
    s.clock.set(SUNDAY);
    const anon = (await openCase(s.deps, nuevoDeJose({ persona: { nombre: 'Alguien' } }), personActor)).caso;
    const unregistered = (await openCase(s.deps, nuevoDeJose({ persona: { id: 'CC:1036612345' }, conversacion: conv('webchat|maria') }), personActor)).caso;
    const jose = (await openCase(s.deps, nuevoDeJose({ conversacion: conv('webchat|jose-2') }), personActor)).caso;
    s.clock.set(MONDAY_OPENING);
    expect(value(await takeCase(s.deps, HELPDESK, anon.numero, AGENT_CONV, agentActor))).toEqual({ caso: expect.objectContaining({ estado: 'atendido' }) });
    expect(value(await takeCase(s.deps, DIANA, unregistered.numero, DIANA_CONV, dianaActor))).toEqual({ caso: expect.objectContaining({ estado: 'atendido' }) });
    expect(s.mailer.sent).toEqual([]);

    value(await closeCase(s.deps, anon.id, { lado: 'persona' }, personActor));
    const failing: Mailer = { send: () => Promise.reject(new Error('smtp down')) };
    const r = value(await takeCase({ ...s.deps, mailer: failing }, HELPDESK, jose.numero, AGENT_CONV, agentActor));
    expect(r).toMatchObject({ caso: { estado: 'atendido' }, correo: 'j***@correo.com', enviado: false });
    expect((await actions(s, 'correo.')).map((e) => e.action)).toEqual(['correo.no_enviado']);
  });

  it('markEmailOnAnswer does nothing to a case already taken or closed', async () => {
    const s = await helpdesk();
    const { caso } = await openCase(s.deps, nuevoDeJose(), personActor);
    const taken = value(await takeCase(s.deps, HELPDESK, caso.numero, AGENT_CONV, agentActor)).caso;
    await markEmailOnAnswer(s.deps, caso.id);
    await markEmailOnAnswer(s.deps, 'no-such-case');
    expect(await records(s.store, 'casosMesa')).toEqual([taken]);
  });
});
