/** Global commands a person can type at any prompt (DESIGN §3, conversation conventions). */
import { fold, writtenOut } from './text.js';

export type Command =
  | { kind: 'ayuda' }
  | { kind: 'cancelar' }
  | { kind: 'menu' }
  | { kind: 'atras' }
  | { kind: 'estado' }
  | { kind: 'salir' }
  | { kind: 'buscar' }
  | { kind: 'asesor' }
  | { kind: 'saludo' }
  | { kind: 'quien' }
  | { kind: 'corregir'; field?: string };

const WORDS: Record<string, Exclude<Command['kind'], 'corregir'>> = {
  ayuda: 'ayuda', help: 'ayuda', 'mas informacion': 'ayuda', 'necesito ayuda': 'ayuda',
  'que hago': 'ayuda', 'que hago ahora': 'ayuda', 'que puedo hacer': 'ayuda', 'como funciona': 'ayuda', 'como funciona esto': 'ayuda',
  'como se usa': 'ayuda', 'estoy perdido': 'ayuda', 'estoy perdida': 'ayuda', 'no entiendo nada': 'ayuda',
  cancelar: 'cancelar', cancel: 'cancelar',
  menu: 'menu', 'menu principal': 'menu', inicio: 'menu', 'volver al menu': 'menu', terminar: 'menu',
  atras: 'atras', volver: 'atras', anterior: 'atras',
  estado: 'estado', 'en que voy': 'estado', 'mi estado': 'estado',
  salir: 'salir', 'cerrar sesion': 'salir',
  'que esta buscando': 'buscar', buscar: 'buscar', 'buscar funcionalidad': 'buscar',
  // A greeting, the first thing many people write: answered with the menu, not searched for.
  hola: 'saludo', holi: 'saludo', ola: 'saludo', buenas: 'saludo', 'buen dia': 'saludo', 'buenos dias': 'saludo', 'buenas tardes': 'saludo',
  'buenas noches': 'saludo', 'hola buenos dias': 'saludo', 'hola buenas tardes': 'saludo', 'hola buenas noches': 'saludo', 'hola buenas': 'saludo',
  'hola que tal': 'saludo', saludos: 'saludo', hi: 'saludo', hello: 'saludo', hey: 'saludo', 'buenos dias hola': 'saludo',
  // Who is answering: the assistant says what it is (not a person) and how to reach one.
  'quien eres': 'quien', 'quien es usted': 'quien', 'usted quien es': 'quien', 'y usted quien es': 'quien', 'que eres': 'quien', 'que es usted': 'quien',
  'con quien hablo': 'quien', 'con quien estoy hablando': 'quien', 'quien me habla': 'quien', 'quien me atiende': 'quien', 'quien me esta atendiendo': 'quien',
  'eres un robot': 'quien', 'es un robot': 'quien', 'eres un bot': 'quien', 'es un bot': 'quien', 'usted es un robot': 'quien', 'usted es un bot': 'quien',
  'eres humano': 'quien', 'es humano': 'quien', 'eres una persona': 'quien', 'es una persona': 'quien', 'usted es una persona': 'quien',
  'hablo con un robot': 'quien', 'estoy hablando con un robot': 'quien', 'estoy hablando con una maquina': 'quien', 'es una maquina': 'quien',
};

/** "Hablar con un asesor" and the ways people ask for a person (DESIGN §2 handoff), folded and without punctuation. */
const WHO = '(?:un |una |el |la |algun |alguna )?(?:asesor|asesora|acesor|acesora|agente|persona|humano|operador|operadora|funcionario|funcionaria|alguien|mesa de ayuda|soporte(?: tecnico)?|servicio al cliente)(?: de (?:la )?mesa de ayuda| real| humano| humana)?';
const LEAD = '(?:(?:yo |por favor )?(?:quiero|quisiera|necesito|deseo|puedo|podria|me gustaria|favor)(?: que)? )?(?:me )?(?:puede |podria |pueden |podrian )?';
const VERB = '(?:hablar|habla|ablar|hablarle|comunicar(?:me)?|comunica|comunicame|comuniqueme|comuniquenme|conversar|chatear|contactar(?:me)?|conectar(?:me)?|conecteme|pasar(?:me)?|pasa|pasame|paseme|transferir(?:me)?|transfiera(?:me)?|transfierame)';
const AGENT = '(?:un |una )?(?:asesor|asesora|acesor|agente|operador|operadora|humano|persona)';
const ASESOR = new RegExp(
  `^(?:${LEAD}${VERB} (?:con |a )?${WHO}` +
    `|(?:un |una )?(?:asesor|asesora|acesor|agente humano|operador|humano)` +
    `|(?:necesito|quiero) (?:un |una )?(?:asesor|asesora|agente|operador)` +
    `|(?:necesito|quiero) (?:la )?ayuda de ${AGENT}` +
    `|(?:quiero|necesito|quisiera) que me atienda ${AGENT}` +
    `|(?:que )?me (?:ayuda|atiende|puede ayudar|puede atender) ${AGENT}` +
    `|atencion (?:humana|personalizada)` +
    `|chat con ${AGENT})(?: por favor| ya| ahora)?$`,
);

/** Longest message whose closing clause is read as asking for an agent. */
const ASESOR_AT_END_MAX = 200;

/**
 * "No entiendo lo de la llave, quiero hablar con un asesor": a message whose last clause (after a
 * comma, a period or "pero") is a request for an agent asks for one, whatever came before.
 */
function asksForAgentAtEnd(text: string): boolean {
  if (text.length > ASESOR_AT_END_MAX) return false;
  const clauses = text.replace(/[?¿!¡]/g, '').replace(/[.,;:\s]+$/, '').split(/[.,;:]|\bpero\b/i);
  const last = fold(clauses.at(-1) ?? '').replace(/\s+/g, ' ').trim();
  return clauses.length > 1 && last !== '' && ASESOR.test(last);
}

/** How chats abbreviate "que" ("q hago", "en k voy"). */
const QUE = /\b(?:q|k|ke)\b/g;
/** Words a command may end with that change nothing: "¿qué puedo hacer aquí?", "estado por favor". */
const TRAILING = /\s+(?:aqui|aca|por favor|porfa|porfavor|pues)$/;

/** The command `t` (folded, no ¿?¡!) names, also as chats abbreviate it and with a filler at the end. */
function commandWord(t: string): Exclude<Command['kind'], 'corregir'> | undefined {
  let words = t.replace(/[.,;:]/g, ' ').replace(/\s+/g, ' ').trim().replace(QUE, 'que');
  for (;;) {
    const kind = WORDS[words];
    if (kind) return kind;
    const shorter = words.replace(TRAILING, '');
    if (shorter === words) return undefined;
    words = shorter;
  }
}

/** Recognizes a global command; anything else (other longer sentences) is not one. */
export function parseCommand(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  if (text.length > 60) return asksForAgentAtEnd(text) ? { kind: 'asesor' } : undefined;
  const t = fold(text).replace(/[?¿!¡]/g, '').trim();
  const kind = WORDS[t] ?? commandWord(t);
  if (kind) return { kind } as Command;
  if (ASESOR.test(t.replace(/[.,]/g, '').replace(/\s+/g, ' '))) return { kind: 'asesor' };
  const m = /^corregir(?: (.+))?$/.exec(t);
  if (m) return m[1] ? { kind: 'corregir', field: m[1] } : { kind: 'corregir' };
  return asksForAgentAtEnd(text) ? { kind: 'asesor' } : undefined;
}

// ---------------------------------------------------------------- in a helpdesk case (DESIGN §2 handoff)

/** A short answer as the word lists below hold it: folded, without ¿?¡!. nor outer spaces. */
const asWords = (text: string): string => fold(text).replace(/[?¿!¡.]/g, '').trim();

/** A message as the readings below compare it: folded, punctuation as spaces, single spaces. */
const plain = (text: string): string => fold(text).replace(/[?¿!¡.,;:]/g, ' ').replace(/\s+/g, ' ').trim();

/** What ends a conversation with an agent, typed by the person (or the button's text). */
const END_HANDOFF = new Set([
  'terminar conversacion', 'terminar la conversacion', 'terminar conversacion con el asesor', 'terminar chat', 'finalizar', 'finalizar conversacion',
  'terminar', 'salir del chat', 'volver al asistente', 'cancelar', 'menu', 'salir', 'cerrar caso', 'terminar caso', 'cancelar caso',
]);

/** True when the person, talking with an agent, asks to end the conversation. */
export const endsHandoff = (text: string | undefined): boolean => text !== undefined && END_HANDOFF.has(asWords(text));

/** What the agent attending a case may type instead of a message for the person. */
export type CaseCommand = 'cerrar' | 'menu' | 'ayuda' | 'ver';

const CASE_WORDS: Record<string, CaseCommand> = {
  'cerrar caso': 'cerrar', 'cerrar el caso': 'cerrar', 'terminar caso': 'cerrar', 'finalizar caso': 'cerrar', cerrar: 'cerrar',
  // Leaving the case for the menu is refused (the case is closed first): these are not relayed.
  menu: 'menu', 'menu principal': 'menu', cancelar: 'menu', salir: 'menu', terminar: 'menu', inicio: 'menu',
  ayuda: 'ayuda', 'que hago': 'ayuda', 'como funciona': 'ayuda',
  'ver caso': 'ver', caso: 'ver', estado: 'ver', 'ver persona': 'ver',
};

/** The agent's command in a case; anything else is a message for the person. */
export const parseCaseCommand = (text: string): CaseCommand | undefined => CASE_WORDS[asWords(text)];

/** While the case waits for an action's reason: the words that drop the action instead. */
const DROP_REASON = new Set(['atras', 'cancelar', 'volver']);
export const dropsReason = (text: string): boolean => DROP_REASON.has(asWords(text));

// ---------------------------------------------------------------- a question instead of an answer

/** How people start asking what a question means or what to write, folded and without punctuation. */
const ASKS_ABOUT = new RegExp(
  '^(?:no (?:se|entiendo|comprendo|tengo idea|lo se|la se|lo tengo claro|estoy segur[oa])' +
    '|(?:que|cual|cuales) (?:es|son|significa|quiere decir|pongo|escribo|debo|tengo que|hay que|me pide|me piden|piden|necesita|va)' +
    '|para que (?:es|sirve|son|se usa|lo|la)' +
    '|(?:como|donde) (?:lo|la|los|las|se|hago|encuentro|consigo|obtengo|saco|busco|veo)' +
    '|por que (?:me|se|lo|la|piden|pide|necesita)' +
    '|(?:a )?que se refiere|ni idea|explique(?:me)?|expliqueme' +
    // "¿qué pasa si no acepto?", "y si no acepto qué pasa": what an option leads to
    '|(?:y )?(?:que|como) (?:pasa|sucede|ocurre|pasaria|sucederia|queda) (?:si|con|cuando|despues|luego|entonces|ahora)' +
    '|(?:y )?si .* (?:que|como) (?:pasa|sucede|ocurre|queda)$' +
    '|(?:necesito|quiero|pido|requiero|quisiera) (?:ayuda|una ayuda|orientacion)|ayud(?:a|e)me|me (?:ayuda|ayudan|puede ayudar|pueden ayudar))(?: .*)?$',
);

/** How people say they do not have what is asked ("no la tengo", "todavía no lo tenemos"), folded. */
const LACKS = /(?:^|\s)no (?:la |lo |las |los |le )?(?:tengo|tenemos|tiene|tienen|se|sabemos|conozco|conocemos|encuentro|encontramos|hay)(?:\s|$)/;

/** A message that says the answer is not at hand ("la llave no la tengo", "eso no lo sé todavía"). */
export function saysItIsMissing(text: string): boolean {
  if (text.length > 200) return false;
  return LACKS.test(plain(text));
}

/** "No sé", "ni idea", "no me acuerdo", "no sé qué poner": the whole message says the person does not know what to write, folded. */
const DOES_NOT_KNOW = /^(?:no (?:lo |la )?se|nose|ni idea|no tengo (?:ni )?idea|no sabria|no estoy segur[oa]|no (?:me )?(?:lo |la )?(?:acuerdo|recuerdo)(?: bien)?)(?: (?:que|cual|como) (?:poner|escribir|decir|responder|es|seria|va))?$/;

/**
 * A message that only says the person does not know what to write ("no sé", "ni idea", "no sé qué
 * poner"): never an answer, not even where any sentence is one (a description, a reason).
 */
export function saysItDoesNotKnow(text: string): boolean {
  if (text.length > 60) return false;
  return DOES_NOT_KNOW.test(plain(text));
}

/** How people say an optional datum does not apply to them ("no usamos usuario", "sin scope", "no se usa"), folded. */
const NOT_USED = /^(?:no (?:lo |la |los |las |le |se )?(?:usamos|uso|usa|usan|utilizamos|utilizo|utiliza|utilizan|manejamos|manejo|maneja|necesitamos|necesito|necesita|requiere|requerimos|aplica)(?:\s|$)|sin \S+$)/;

/** An answer to an optional question that says there is none: not at hand ("no tenemos") or not used ("no usamos usuario"). */
export function saysItDoesNotApply(text: string): boolean {
  if (text.length > 200) return false;
  return saysItIsMissing(text) || NOT_USED.test(plain(text));
}

/**
 * A message that asks about the question instead of answering it ("¿para qué es esta contraseña?",
 * "no sé qué poner"): an opening ¿, or a text of two words or more ending in "?" or opening as people
 * ask. One word ("Clave?") is never read so: it may be the answer itself.
 */
export function asksAboutTheQuestion(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length > 200) return false;
  const t = writtenOut(plain(trimmed));
  if (!t.includes(' ')) return false;
  return trimmed.startsWith('¿') || trimmed.endsWith('?') || ASKS_ABOUT.test(t);
}

/** Words of a request to change an answer ("quiero cambiar algo", "hay que corregirlo"), folded. */
const EDITS = /(?:^|\s)(?:cambiar|cambio|cambiarlo|cambiarla|corregir|corregirlo|corregirla|corrijo|modificar|modificarlo|editar|arreglar|arreglarlo)(?:\s|$)/;

/** A message that asks to change an answer rather than giving one ("quiero cambiar algo"). */
export function asksToChange(text: string): boolean {
  if (text.length > 200) return false;
  return EDITS.test(plain(text));
}

/** Words that name nothing to change ("quiero cambiar algo", "cambiar un dato"): the request alone. */
const NO_TARGET = /^(?:(?:el|la|los|las|un|una|mi|mis|algo|alguno|alguna|algun|dato|datos|eso|esto|uno|respuesta|de|del)\s*)*$/;

/**
 * What a request to change names, folded ("quiero cambiar el celular" → "el celular"): the words
 * after the last edit word; undefined when it is no such request or names nothing ("quiero cambiar algo").
 */
export function changeTarget(text: string): string | undefined {
  if (!asksToChange(text)) return undefined;
  const t = plain(text);
  let end = -1;
  for (const m of t.matchAll(new RegExp(EDITS.source, 'g'))) end = (m.index ?? 0) + m[0].length;
  const rest = t.slice(end).replace(/\b(?:por favor|porfa|porfavor|gracias)\b/g, ' ').replace(/\s+/g, ' ').trim();
  return rest === '' || NO_TARGET.test(rest) ? undefined : rest;
}

// ---------------------------------------------------------------- courtesy

/** What a short courtesy says: thanks, a goodbye, that the person is done ("listo", "eso es todo"), or an acknowledgement ("ok"). */
export type Courtesy = 'gracias' | 'despedida' | 'fin' | 'acuse';

const THANKS = /\b(?:gracias|agradezco|agradecid[oa]|muy amable|thanks|thank you)\b/;
const GOODBYE = /\b(?:chao|chau|adios|bye|hasta (?:luego|pronto|manana|la proxima)|nos vemos|feliz (?:dia|tarde|noche)|que este bien)\b/;
const DONE = new Set(['listo', 'ok listo', 'listo ya', 'ya listo', 'eso es todo', 'eso era todo', 'es todo', 'nada mas', 'ya termine', 'termine', 'ya esta']);
const ACK = new Set([
  ...DONE,
  'ok', 'okay', 'oki', 'okey', 'vale', 'bueno', 'bien', 'perfecto', 'entendido', 'entiendo', 'de acuerdo', 'dale', 'ya', 'ah ok', 'super', 'excelente', 'genial',
]);
/** Words that may stand beside a courtesy without changing it ("ok muchas gracias", "listo, eso es todo por hoy"). */
const COURTESY_FILLER = new Set(['muchas', 'mil', 'muy', 'bien', 'por', 'todo', 'la', 'su', 'tu', 'ayuda', 'hoy', 'entonces', 'pues', 'y', 'de', 'nuevo', 'senor', 'senora', 'asistente', 'bot', 'no']);

/**
 * A short message that is only courtesy, with nothing asked: "gracias", "ok muchas gracias", "chao",
 * "listo". Undefined for anything that says more ("gracias, ahora quiero ver los servicios").
 */
export function courtesyOf(text: string | undefined): Courtesy | undefined {
  if (!text || text.length > 60) return undefined;
  // An emoji alone (folding drops it): a thumbs up or a smile acknowledges, folded hands thank.
  const emoji = text.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F\s]/gu, '');
  if (/^(?:👍|👌|🙂|😊|😀|😃|😁|☺|✅|✔|💪)+$/u.test(emoji)) return 'acuse';
  if (/^(?:🙏|🤝)+$/u.test(emoji)) return 'gracias';
  const t = plain(text);
  if (t === '') return undefined;
  if (DONE.has(t)) return 'fin';
  if (ACK.has(t)) return 'acuse';
  const goodbye = GOODBYE.test(t);
  const thanks = THANKS.test(t);
  if (!goodbye && !thanks) return undefined;
  // Nothing else may be said: every word is part of the courtesy, an acknowledgement or a filler.
  const rest = t.replace(GOODBYE, ' ').replace(THANKS, ' ').replace(/\b(?:gracias|chao|chau|adios|bye)\b/g, ' ');
  const extra = rest.split(' ').filter((w) => w !== '' && !COURTESY_FILLER.has(w) && !ACK.has(w));
  if (extra.length > 0) return undefined;
  return goodbye ? 'despedida' : 'gracias';
}

const NONE = new Set([
  'ninguna', 'ninguno', 'ninguna de esas', 'ninguno de esos', 'ninguna de las anteriores', 'ninguno de los anteriores', 'no ninguna', 'no ninguno',
  'ninguna gracias', 'ninguno gracias', 'nada', 'ya no', 'mejor no', 'no gracias', 'no nada',
]);

/** "ninguna", "no, gracias", "chao" at a list of options: the person wants none of them. */
export function saysNone(answer: string): boolean {
  if (NONE.has(plain(answer))) return true;
  const courtesy = courtesyOf(answer);
  return courtesy === 'gracias' || courtesy === 'despedida' || courtesy === 'fin';
}

// ---------------------------------------------------------------- at the login

const NO_ACCOUNT = new RegExp(
  '^(?:(?:es que |pero |aun |todavia |yo )?no (?:tengo|he creado|he hecho|tengo todavia|tengo aun) (?:un |una |mi |ningun |ninguna )?(?:usuario|cuenta|registro)(?: todavia| aun)?' +
    '|(?:aun |todavia )?no (?:estoy|me he|me e|e) registrad[oa](?: todavia| aun)?|no me he registrado|soy nuev[oa]' +
    '|(?:quiero |necesito |como (?:puedo|hago para) )?(?:registrarme|registrarse|crear (?:un |una |mi )?(?:usuario|cuenta)))$',
);
const FORGOT = new RegExp(
  '^(?:(?:se me )?olvid(?:e|o|aron) (?:mi |la )?(?:contrasena|clave)|no (?:me acuerdo|recuerdo) (?:de )?(?:mi |la )?(?:contrasena|clave)' +
    '|perdi (?:mi |la )?(?:contrasena|clave)|(?:quiero )?recuperar (?:mi |la )?(?:contrasena|clave)|olvide mi contrasena)$',
);

/**
 * Typed at the login's questions, where to go instead: "no tengo usuario", "quiero registrarme" →
 * Registrarme; "olvidé mi contraseña" → the reset link. Undefined for anything else (an answer).
 */
export function leavesLogin(text: string | undefined): 'registro' | 'recuperar-clave' | undefined {
  if (!text || text.length > 80) return undefined;
  const t = plain(text);
  return NO_ACCOUNT.test(t) ? 'registro' : FORGOT.test(t) ? 'recuperar-clave' : undefined;
}

// ---------------------------------------------------------------- naming oneself

const SELF = new RegExp(
  '^(?:(?:el |la )?(?:delegad[oa] )?(?:soy|sere|seria|voy a ser) yo(?: mism[oa])?|yo(?: mism[oa])?(?: (?:soy|sere|seria|voy a ser)(?: (?:el|la) delegad[oa])?)?' +
    '|(?:el|la) mism[oa](?: representante(?: legal)?)?|(?:el|la) representante legal|mi persona|a mi|los mismos datos)$',
);

/** "yo misma", "seré yo", "el mismo representante legal": the person names themself as the answer. */
export function namesSelf(text: string): boolean {
  if (text.length > 80) return false;
  return SELF.test(plain(text));
}
