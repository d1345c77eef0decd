/**
 * "Hablar con un asesor" (DESIGN §2 Helpdesk, handoff): a person's case waits in the queue with the
 * step and the last messages (never a secret), a Mesa de ayuda agent takes it, the chat relays the
 * messages both ways, and either side ends it. The relay itself lives in bot/ and dialogs/.
 */
import { audit, documentSubject, type Actor } from './audit.js';
import type { Citizen } from './citizens.js';
import type { CoreDeps } from './deps.js';
import { chatLink, nitSubject } from './empleador-common.js';
import type { AccionMesa, CasoMesa, ConversacionCaso, MensajeCaso } from './mesa-tipos.js';
import { sendAndRecord } from './notify.js';
import { displayName } from './people.js';
import { permit, principalOf } from './permissions.js';
import type { Store, Tx } from './ports.js';
import { DOCUMENT_TYPES, type DocumentType } from './reference.js';
import { err, ok, type Result } from './result.js';
import { AROUND_WORD, looksLikeSecret } from './secret-text.js';
import type { StaffDirectory } from './staff.js';
import { maskEmail } from './text.js';

export type { CasoMesa, ConversacionCaso, MensajeCaso };

export type CasosDeps = CoreDeps & { staff: StaffDirectory };

export type CasoError =
  | { code: 'PERMISO.DENEGADO' }
  | { code: 'CASO.NO_EXISTE' }
  | { code: 'CASO.YA_TOMADO'; agente: string }
  | { code: 'CASO.CERRADO' }
  | { code: 'CASO.AGENTE_OCUPADO'; numero: string }
  | { code: 'CASO.YA_IDENTIFICADO' };

export const MENSAJES_PREVIOS = 10;
export const MENSAJE_MAX = 1000;
export const MENSAJES_MAX = 300;

/** What a message shows in place of a password-like text. */
export const DATO_PROTEGIDO = '[dato protegido omitido]';

// ---------------------------------------------------------------- helpdesk hours

/** Bogotá is UTC−5 all year (no daylight saving time). */
const BOGOTA_OFFSET_MS = 5 * 3_600_000;
/** The helpdesk's hours from the manual (Bogotá): Monday to Friday, and Saturday; closed on Sundays. The chat tells them from here. */
export const HORARIO_MESA = { semana: { abre: 7, cierra: 18 }, sabado: { abre: 8, cierra: 13 } } as const;
/** Opening and closing hour (Bogotá) by day of the week, Sunday = 0; null: closed all day. */
const HORARIO: readonly ({ readonly abre: number; readonly cierra: number } | null)[] = [
  null,
  HORARIO_MESA.semana,
  HORARIO_MESA.semana,
  HORARIO_MESA.semana,
  HORARIO_MESA.semana,
  HORARIO_MESA.semana,
  HORARIO_MESA.sabado,
];

// Colombian public holidays ("festivos") are ignored: the manual gives only the weekly hours, so a
// case opened on a holiday is queued as on any working day (an agent may not answer until the next one).
/** Helpdesk hours from the manual: Monday–Friday 7:00–18:00, Saturday 8:00–13:00, America/Bogota; Sundays closed. */
export function withinHelpdeskHours(now: Date): boolean {
  const local = new Date(now.getTime() - BOGOTA_OFFSET_MS);
  const dia = HORARIO[local.getUTCDay()];
  const hora = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600 + local.getUTCMilliseconds() / 3_600_000;
  return dia !== null && dia !== undefined && hora >= dia.abre && hora < dia.cierra;
}

/** The next moment the helpdesk opens after `now` (now itself when open). */
export function nextOpening(now: Date): Date {
  if (withinHelpdeskHours(now)) return now;
  const local = new Date(now.getTime() - BOGOTA_OFFSET_MS);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  for (let d = 0; d <= 7; d++) {
    const dayStart = midnight + d * 86_400_000;
    const dia = HORARIO[new Date(dayStart).getUTCDay()];
    if (!dia) continue;
    const opens = dayStart + dia.abre * 3_600_000 + BOGOTA_OFFSET_MS;
    if (opens > now.getTime()) return new Date(opens);
  }
  throw new Error('helpdesk hours: no opening within a week');
}

// ---------------------------------------------------------------- messages

/** Words that announce a secret: "contraseña: perro", "mi clave es gato", "password=…". */
const ANNOUNCED = /\b(contraseñas?|claves?|password|passwd|pwd|secret|client[\s_-]?secret)(\s*[:=]\s*|\s+es\s+)(\S+)/giu;
const CASE_NUMBER = /^M-[0-9A-Z]{6}$/i;

/** A pasted key or token longer than looksLikeSecret considers: one long word mixing letters and digits, not a link. */
const longKey = (w: string): boolean => w.length > 128 && /\p{L}/u.test(w) && /\d/.test(w) && !/^(https?:\/\/|www\.)/i.test(w);

/** Markdown emphasis around a whole word ("**importante**", "_privada_"): the same marks on both sides. */
const EMPHASIS = /^(\*{1,3}|_{1,3}|~{1,2}|`)(.+)\1$/su;

const redactWord = (word: string): string => {
  const core = word.replace(AROUND_WORD, '');
  const inner = EMPHASIS.exec(core)?.[2]?.replace(AROUND_WORD, '') ?? core; // an emphasized word is judged as the word
  return inner !== '' && !CASE_NUMBER.test(inner) && (looksLikeSecret(inner) || longKey(inner)) ? word.replace(core, DATO_PROTEGIDO) : word;
};

/** A message as a case may keep it: trimmed, cut to MENSAJE_MAX, and "[dato protegido omitido]" when it looks like a secret. */
export function safeMessage(m: MensajeCaso): MensajeCaso {
  let texto = m.texto.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFEFF]/g, '').trim();
  // The assistant's own words never hold a secret (it never echoes one): only what people typed is screened.
  if (m.de === 'asistente') {
    // kept as said
  } else if (looksLikeSecret(texto)) texto = DATO_PROTEGIDO;
  else {
    texto = texto.replace(ANNOUNCED, (_all, palabra: string, sep: string) => `${palabra}${sep}${DATO_PROTEGIDO}`);
    texto = texto.split(/(\s+)/).map((w) => (/^\s*$/.test(w) ? w : redactWord(w))).join('');
  }
  // Cut by characters (code points); a text of no more UTF-16 units than that surely fits.
  if (texto.length > MENSAJE_MAX && unitsOfChars(texto, MENSAJE_MAX) < texto.length) {
    texto = `${texto.slice(0, unitsOfChars(texto, MENSAJE_MAX - 1)).trimEnd()}…`;
  }
  return { de: m.de, texto, en: m.en };
}

/**
 * How many UTF-16 units the first `n` characters (code points, as `[...text]` splits them: a lone
 * surrogate is one) of `text` take; `text.length` when it has no more. Counted in place: the
 * assistant's long messages (a checklist, a help text) pass here at every turn.
 */
export function unitsOfChars(text: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

const keep = (mensajes: readonly MensajeCaso[], max: number): MensajeCaso[] =>
  mensajes.map(safeMessage).filter((m) => m.texto !== '').slice(-max);

// ---------------------------------------------------------------- helpers

const SYSTEM_ACTOR: Actor = { ref: 'sistema', channel: 'system' };
/** Case numbers: no 0/O, 1/I/L, so that they can be read aloud and typed back. */
const ALFABETO = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const isOpen = (c: CasoMesa): boolean => c.estado !== 'cerrado';

/** "m-4f7k2q", "M 4F7K2Q", "4F7K2Q" → "M-4F7K2Q"; undefined when it cannot be a case number. */
export function normalizeCaseNumber(raw: string): string | undefined {
  let s = raw.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (s.length === 7 && s.startsWith('M')) s = s.slice(1);
  return /^[0-9A-Z]{6}$/.test(s) ? `M-${s}` : undefined;
}

/** "Tomar M-4F7K2Q", "tomar el caso m-4f7k2q", "atender caso 4F7K2Q" → "M-4F7K2Q": an agent asking for a case by its number. */
export function caseToTake(text: string | undefined): string | undefined {
  const m = /^\s*(?:tomar|atender)(?:\s+el)?(?:\s+caso)?\s+((?:m\s*-?\s*)?[0-9a-z]{6})[\s.!]*$/iu.exec(text ?? '');
  return m ? normalizeCaseNumber(m[1]!) : undefined;
}

/** The masked audit subject of the person of a case ("CC *****456"), when their document is known. */
function personaSubject(caso: Pick<CasoMesa, 'persona'>): string | undefined {
  const [tipo, numero] = (caso.persona.id ?? '').split(':');
  return tipo && numero && (DOCUMENT_TYPES as readonly string[]).includes(tipo) ? documentSubject(tipo as DocumentType, numero) : undefined;
}
/** The subject of a case whose person and CCF are unknown: a code, the chat renders it (templates/es/mesa/textos.json). */
export const SUJETO_SIN_IDENTIFICAR = 'persona:sin-identificar';
/** Whom an agent's action was about, masked: the person, else their CCF, else nobody known. */
const sujetoOf = (caso: CasoMesa): string => personaSubject(caso) ?? (caso.nits[0] ? nitSubject(caso.nits[0]) : SUJETO_SIN_IDENTIFICAR);

async function newNumber(tx: Tx, deps: Pick<CoreDeps, 'random'>): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const numero = `M-${Array.from({ length: 6 }, () => ALFABETO[deps.random.int(ALFABETO.length)]).join('')}`;
    if ((await tx.collection('casosMesa').findBy('numero', numero)).length === 0) return numero;
  }
  throw new Error('casos mesa: no free case number');
}

/** Only a Mesa de ayuda agent with an active account; a refusal is audited. */
async function agentOnly(tx: Tx, deps: CasosDeps, agenteId: string, actor: Actor): Promise<Result<Citizen, CasoError>> {
  const allowed = permit(await principalOf(tx, deps.staff, agenteId), 'mesa.consultar');
  const citizen = allowed.ok ? await tx.collection('citizens').get(agenteId) : undefined;
  if (!citizen) {
    await audit(tx, deps.clock, deps.random, actor, 'mesa.rechazado', undefined, { accion: 'mesa.consultar' });
    return err({ code: 'PERMISO.DENEGADO' });
  }
  return ok(citizen);
}

async function recordAction(tx: Tx, deps: CasosDeps, agenteId: string, accion: string, caso: CasoMesa): Promise<void> {
  const en = deps.clock.now().toISOString();
  const record: AccionMesa = { id: `${en}-${deps.random.token(6)}`, agenteId, en, accion, sujeto: sujetoOf(caso), casoNumero: caso.numero };
  await tx.collection('accionesMesa').put(record);
}

const openOf = async (tx: Tx, field: 'clavePersona' | 'claveAgente' | 'agenteId', value: string): Promise<CasoMesa | undefined> =>
  (await tx.collection('casosMesa').findBy(field, value)).find(isOpen);

// ---------------------------------------------------------------- the person's side

export interface NuevoCaso {
  persona: { id?: string; nombre?: string };
  nits: readonly string[];
  proceso?: string;
  paso?: string;
  mensajes: readonly MensajeCaso[];
  conversacion: ConversacionCaso;
  /** A question of a process waits for the person in this conversation. */
  enTramite?: boolean;
}

/** Opens a case in the queue, or returns the open one of the same conversation unchanged (`nuevo: false`). */
export async function openCase(deps: CasosDeps, nuevo: NuevoCaso, actor: Actor): Promise<{ caso: CasoMesa; nuevo: boolean }> {
  const opened = await deps.store.transaction(async (tx) => {
    const abierto = await openOf(tx, 'clavePersona', nuevo.conversacion.clave);
    if (abierto) return { caso: abierto, nuevo: false };
    const now = deps.clock.now();
    const caso: CasoMesa = {
      id: deps.random.token(12),
      numero: await newNumber(tx, deps),
      estado: 'en_cola',
      persona: { ...(nuevo.persona.id ? { id: nuevo.persona.id } : {}), ...(nuevo.persona.nombre ? { nombre: nuevo.persona.nombre } : {}) },
      nits: [...nuevo.nits],
      ...(nuevo.proceso ? { proceso: nuevo.proceso } : {}),
      ...(nuevo.paso ? { paso: nuevo.paso } : {}),
      mensajes: keep(nuevo.mensajes, MENSAJES_PREVIOS),
      conversacionPersona: nuevo.conversacion,
      clavePersona: nuevo.conversacion.clave,
      creadoEn: now.toISOString(),
      avisarPorCorreo: !withinHelpdeskHours(now),
      ...(nuevo.enTramite !== undefined ? { personaEnTramite: nuevo.enTramite } : {}),
    };
    await tx.collection('casosMesa').put(caso);
    await audit(tx, deps.clock, deps.random, actor, 'mesa.caso_abierto', personaSubject(caso), {
      numero: caso.numero,
      proceso: caso.proceso ?? null,
      paso: caso.paso ?? null,
    }, caso.persona.id);
    return { caso, nuevo: true };
  });
  await noteCase(deps.store, opened.caso);
  return opened;
}

/** The chat tells no agent was reached: the person will be e-mailed when it is answered. */
export function markEmailOnAnswer(deps: CasosDeps, casoId: string): Promise<void> {
  return deps.store.transaction(async (tx) => {
    const caso = await tx.collection('casosMesa').get(casoId);
    if (!caso || caso.estado !== 'en_cola' || caso.avisarPorCorreo) return;
    await tx.collection('casosMesa').put({ ...caso, avisarPorCorreo: true });
    await audit(tx, deps.clock, deps.random, SYSTEM_ACTOR, 'mesa.caso_aviso_correo', personaSubject(caso), { numero: caso.numero }, caso.persona.id);
  });
}

/** The person of an open case started or left a process (their turns go on while it waits): kept for what they hear when it ends. */
export function notePersonInProcess(deps: Pick<CoreDeps, 'store'>, casoId: string, enTramite: boolean): Promise<void> {
  return deps.store.transaction(async (tx) => {
    const caso = await tx.collection('casosMesa').get(casoId);
    if (!caso || !isOpen(caso) || caso.personaEnTramite === enTramite) return;
    await tx.collection('casosMesa').put({ ...caso, personaEnTramite: enTramite });
  });
}

// ---------------------------------------------------------------- the agent's side

/** The queue (en_cola), oldest first — mesa_ayuda only. */
export function casesInQueue(deps: CasosDeps, agenteId: string, actor: Actor): Promise<Result<CasoMesa[], CasoError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, actor);
    if (!allowed.ok) return allowed;
    const cola = (await tx.collection('casosMesa').findBy('estado', 'en_cola')).map((c, i) => ({ c, i }));
    return ok(cola.sort((a, b) => a.c.creadoEn.localeCompare(b.c.creadoEn) || a.i - b.i).map((x) => x.c));
  });
}

/** A case by its numero (any state; "m-4f7k2q" or "4F7K2Q" too) — mesa_ayuda only. */
export function caseByNumber(deps: CasosDeps, agenteId: string, numero: string, actor: Actor): Promise<Result<CasoMesa, CasoError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, actor);
    if (!allowed.ok) return allowed;
    const caso = await byNumber(tx, numero);
    return caso ? ok(caso) : err({ code: 'CASO.NO_EXISTE' });
  });
}

async function byNumber(tx: Tx, raw: string): Promise<CasoMesa | undefined> {
  const numero = normalizeCaseNumber(raw);
  return numero === undefined ? undefined : (await tx.collection('casosMesa').findBy('numero', numero))[0];
}

/**
 * An agent takes a case in the queue; the person is e-mailed when the case asked for it. Taking again
 * a case one already attends returns it unchanged. Nobody attends their own case, and an agent
 * attends one case at a time (also not while their conversation waits in a case of its own).
 */
export async function takeCase(
  deps: CasosDeps,
  agenteId: string,
  numero: string,
  conversacion: ConversacionCaso,
  actor: Actor,
): Promise<Result<{ caso: CasoMesa; correo?: string; enviado?: boolean }, CasoError>> {
  const outcome = await deps.store.transaction(async (tx): Promise<Result<{ caso: CasoMesa; aviso?: Citizen }, CasoError>> => {
    const allowed = await agentOnly(tx, deps, agenteId, actor);
    if (!allowed.ok) return allowed;
    const caso = await byNumber(tx, numero);
    if (!caso) return err({ code: 'CASO.NO_EXISTE' });
    if (caso.estado === 'cerrado') return err({ code: 'CASO.CERRADO' });
    if (caso.estado === 'atendido') {
      return caso.agente?.id === agenteId ? ok({ caso }) : err({ code: 'CASO.YA_TOMADO', agente: caso.agente?.nombre ?? '' });
    }
    if (caso.persona.id === agenteId || caso.clavePersona === conversacion.clave) return err({ code: 'PERMISO.DENEGADO' });
    const ocupado = (await openOf(tx, 'agenteId', agenteId)) ?? (await openOf(tx, 'claveAgente', conversacion.clave)) ?? (await openOf(tx, 'clavePersona', conversacion.clave));
    if (ocupado) return err({ code: 'CASO.AGENTE_OCUPADO', numero: ocupado.numero });
    const tomado: CasoMesa = {
      ...caso,
      estado: 'atendido',
      agente: { id: agenteId, nombre: displayName(allowed.value) },
      agenteId,
      conversacionAgente: conversacion,
      claveAgente: conversacion.clave,
      tomadoEn: deps.clock.now().toISOString(),
    };
    await tx.collection('casosMesa').put(tomado);
    await audit(tx, deps.clock, deps.random, actor, 'mesa.caso_tomado', personaSubject(tomado), { numero: tomado.numero }, tomado.persona.id);
    await recordAction(tx, deps, agenteId, 'caso_tomado', tomado);
    const persona = tomado.avisarPorCorreo && tomado.persona.id ? await tx.collection('citizens').get(tomado.persona.id) : undefined;
    return ok({ caso: tomado, ...(persona?.email ? { aviso: persona } : {}) });
  });
  if (!outcome.ok) return outcome;
  const { caso, aviso } = outcome.value;
  await noteCase(deps.store, caso);
  return aviso ? ok({ caso, ...(await mailTaken(deps, caso, aviso, actor)) }) : ok({ caso });
}

async function mailTaken(deps: CasosDeps, caso: CasoMesa, persona: Citizen, actor: Actor): Promise<{ correo: string; enviado: boolean }> {
  const enviado = await sendAndRecord(
    deps,
    actor,
    { to: persona.email, template: 'caso-atendido', data: { nombre: displayName(persona), numero: caso.numero, enlace: chatLink(deps) } },
    personaSubject(caso) ?? sujetoOf(caso),
    caso.persona.id,
  );
  return { correo: maskEmail(persona.email), enviado };
}

/**
 * The person of a taken case by e-mail, when the chat could not tell them (their conversation not
 * reached): as the agents are mailed when no chat reaches them. Undefined without an account to mail.
 */
export async function mailPersonCaseTaken(deps: CasosDeps, caso: CasoMesa, actor: Actor): Promise<{ correo: string; enviado: boolean } | undefined> {
  const persona = caso.persona.id ? await deps.store.transaction((tx) => tx.collection('citizens').get(caso.persona.id!)) : undefined;
  return persona?.email ? mailTaken(deps, caso, persona, actor) : undefined;
}

/** Cases taken by this agent, newest first ("Mis casos"). */
export function casesOfAgent(deps: CasosDeps, agenteId: string, actor: Actor): Promise<Result<CasoMesa[], CasoError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, actor);
    if (!allowed.ok) return allowed;
    const mine = (await tx.collection('casosMesa').findBy('agenteId', agenteId)).map((c, i) => ({ c, i }));
    return ok(mine.sort((a, b) => (b.c.tomadoEn ?? '').localeCompare(a.c.tomadoEn ?? '') || b.i - a.i).map((x) => x.c));
  });
}

// ---------------------------------------------------------------- the relay

/**
 * The conversation keys that may take part in an open case, per store: a filter in front of the
 * lookup the relay makes on every turn (a key not in it has no open case, so the store is not asked).
 * Loaded from the store on first use, then kept by openCase, takeCase and closeCase in this process;
 * a key found without an open case leaves it. Only for a store this process alone writes
 * (casesOnlyInThisProcess): instances sharing a store (PostgreSQL) would miss the cases opened or
 * taken on the others, so for any other store every turn asks the store, as before.
 */
const openKeysByStore = new WeakMap<Store, Promise<Set<string>>>();
const processLocalStores = new WeakSet<Store>();

/** Declares that no other process opens, takes or closes this store's cases (the JSON file store), so the relay may skip the store for conversations without one. */
export function casesOnlyInThisProcess(store: Store): void {
  processLocalStores.add(store);
}

function openKeys(store: Store): Promise<Set<string>> {
  let keys = openKeysByStore.get(store);
  if (!keys) {
    keys = store.transaction(async (tx) => {
      const out = new Set<string>();
      for (const c of (await tx.collection('casosMesa').list()).filter(isOpen)) {
        out.add(c.clavePersona);
        if (c.claveAgente) out.add(c.claveAgente);
      }
      return out;
    });
    openKeysByStore.set(store, keys);
    keys.catch(() => openKeysByStore.delete(store)); // loaded again on the next turn
  }
  return keys;
}

/** A case as it now is, in the filter (its keys in while open, out once closed). */
async function noteCase(store: Store, caso: CasoMesa): Promise<void> {
  if (!processLocalStores.has(store)) return;
  const keys = await openKeys(store);
  for (const k of [caso.clavePersona, caso.claveAgente]) {
    if (k === undefined) continue;
    if (isOpen(caso)) keys.add(k);
    else keys.delete(k);
  }
}

/** The open case a conversation takes part in, and on which side. No permission check: the relay asks on every turn. */
export async function caseOfConversation(deps: Pick<CoreDeps, 'store'>, clave: string): Promise<{ caso: CasoMesa; lado: 'persona' | 'agente' } | undefined> {
  const keys = processLocalStores.has(deps.store) ? await openKeys(deps.store) : undefined;
  if (keys && !keys.has(clave)) return undefined;
  const found = await deps.store.transaction(async (tx) => {
    const persona = await openOf(tx, 'clavePersona', clave);
    if (persona) return { caso: persona, lado: 'persona' as const };
    const agente = await openOf(tx, 'claveAgente', clave);
    return agente ? { caso: agente, lado: 'agente' as const } : undefined;
  });
  if (!found) keys?.delete(clave);
  return found;
}

/** Appends a relayed message (through safeMessage; the oldest dropped beyond MENSAJES_MAX). */
export function addMessage(deps: Pick<CoreDeps, 'store'>, casoId: string, mensaje: MensajeCaso): Promise<Result<CasoMesa, CasoError>> {
  return deps.store.transaction(async (tx) => {
    const caso = await tx.collection('casosMesa').get(casoId);
    if (!caso) return err({ code: 'CASO.NO_EXISTE' });
    if (caso.estado === 'cerrado') return err({ code: 'CASO.CERRADO' });
    const mensajes = keep([mensaje], 1);
    if (mensajes.length === 0) return ok(caso);
    const actualizado: CasoMesa = { ...caso, mensajes: [...caso.mensajes, ...mensajes].slice(-MENSAJES_MAX) };
    await tx.collection('casosMesa').put(actualizado);
    return ok(actualizado);
  });
}

/**
 * The agent names the person of a case opened before the chat knew them (the document the person
 * gave in the conversation): from then on the case shows them and the actions that fit. Only the
 * agent attending the case; a case names one person, and never the agent themself.
 */
export function identifyCasePerson(
  deps: CasosDeps,
  casoId: string,
  agenteId: string,
  persona: { readonly id: string; readonly nombre?: string },
  actor: Actor,
): Promise<Result<CasoMesa, CasoError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, actor);
    if (!allowed.ok) return allowed;
    const caso = await tx.collection('casosMesa').get(casoId);
    if (!caso) return err({ code: 'CASO.NO_EXISTE' });
    if (caso.estado === 'cerrado') return err({ code: 'CASO.CERRADO' });
    if (caso.agente?.id !== agenteId || persona.id === agenteId) return err({ code: 'PERMISO.DENEGADO' });
    if (caso.persona.id) return caso.persona.id === persona.id ? ok(caso) : err({ code: 'CASO.YA_IDENTIFICADO' });
    const identificado: CasoMesa = { ...caso, persona: { id: persona.id, ...(persona.nombre ? { nombre: persona.nombre } : {}) } };
    await tx.collection('casosMesa').put(identificado);
    await audit(tx, deps.clock, deps.random, actor, 'mesa.caso_identificado', personaSubject(identificado), { numero: identificado.numero }, persona.id);
    await recordAction(tx, deps, agenteId, 'caso_identificado', identificado);
    return ok(identificado);
  });
}

/** Ends a case: by the person (any time while open) or by the agent who took it. */
export async function closeCase(
  deps: CasosDeps,
  casoId: string,
  por: { lado: 'persona' } | { lado: 'agente'; agenteId: string },
  actor: Actor,
): Promise<Result<CasoMesa, CasoError>> {
  const closed = await deps.store.transaction(async (tx): Promise<Result<CasoMesa, CasoError>> => {
    if (por.lado === 'agente') {
      const allowed = await agentOnly(tx, deps, por.agenteId, actor);
      if (!allowed.ok) return allowed;
    }
    const caso = await tx.collection('casosMesa').get(casoId);
    if (!caso) return err({ code: 'CASO.NO_EXISTE' });
    if (caso.estado === 'cerrado') return err({ code: 'CASO.CERRADO' });
    if (por.lado === 'agente' && caso.agente?.id !== por.agenteId) return err({ code: 'PERMISO.DENEGADO' });
    const cerradoPor = por.lado === 'persona' ? 'persona' : 'asesor';
    const cerrado: CasoMesa = { ...caso, estado: 'cerrado', cerradoEn: deps.clock.now().toISOString(), cerradoPor };
    await tx.collection('casosMesa').put(cerrado);
    await audit(tx, deps.clock, deps.random, actor, 'mesa.caso_cerrado', personaSubject(cerrado), { numero: cerrado.numero, por: cerradoPor }, cerrado.persona.id);
    if (por.lado === 'agente') await recordAction(tx, deps, por.agenteId, 'caso_cerrado', cerrado);
    return ok(cerrado);
  });
  if (closed.ok) await noteCase(deps.store, closed.value);
  return closed;
}

/**
 * A new case by e-mail to the agents the chat could not reach (no conversation of theirs to write
 * in): the case number and where the person is, never their messages. Returns how many went.
 */
export async function mailAgentsAboutCase(deps: CasosDeps, caso: CasoMesa, agentes: readonly string[], donde: string): Promise<number> {
  const emails = await deps.store.transaction(async (tx) => {
    const out: { email: string; nombre: string }[] = [];
    for (const id of agentes) {
      const c = await tx.collection('citizens').get(id);
      if (c?.estado === 'activo' && c.email) out.push({ email: c.email, nombre: displayName(c) });
    }
    return out;
  });
  let sent = 0;
  for (const a of emails) {
    const ok = await sendAndRecord(deps, SYSTEM_ACTOR, { to: a.email, template: 'caso-nuevo-agente', data: { nombre: a.nombre, numero: caso.numero, donde, enlace: chatLink(deps) } }, sujetoOf(caso));
    if (ok) sent++;
  }
  return sent;
}
