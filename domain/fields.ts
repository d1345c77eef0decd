/**
 * Field parsers: raw text → Result<value, reason>. The form engine calls them; the reason code
 * chooses the re-ask template. Values are JSON-serializable (dates as ISO `YYYY-MM-DD`).
 */
import { fail, ok, type Result } from './result.js';
import { NATURALEZAS, naturalezaNamed, type Naturaleza } from './employers.js';
import { normalizeNit } from './nit.js';
import { DOCUMENT_TYPES, type DocumentType, type ReferenceRegistry, type Sex } from './reference.js';
import { likelyMeantEmail } from './email-slips.js';
import { editDistance, fold, foldLabel, soundKey } from './text.js';

/** What a parser may look at besides the raw text: values already given and today's date. */
export interface ParseContext {
  readonly values: Readonly<Record<string, unknown>>;
  readonly today: Date;
  /** What the form's parent passed in FormOptions.context (e.g. the companies the person represents). */
  readonly context?: Readonly<Record<string, string>>;
}
export type FieldParser<T = unknown> = (raw: string, ctx: ParseContext) => Result<T>;

const MAX_INPUT = 200;

/** Common guard: trims, refuses empty and oversized input. */
function clean(raw: string): Result<string> {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return fail('empty');
  if (text.length > MAX_INPUT) return fail('too_long');
  return ok(text);
}

// ---------------------------------------------------------------- documents

const DOC_ALIASES: Record<string, DocumentType> = {
  cc: 'CC', 'cedula de ciudadania': 'CC', cedula: 'CC', ciudadania: 'CC',
  ce: 'CE', 'cedula de extranjeria': 'CE', extranjeria: 'CE',
  pa: 'PA', pasaporte: 'PA',
  pe: 'PE', pep: 'PE', 'permiso especial de permanencia': 'PE',
  pt: 'PT', ppt: 'PT', 'permiso por proteccion temporal': 'PT',
  ti: 'TI', 'tarjeta de identidad': 'TI',
};

export const parseDocumentType: FieldParser<DocumentType> = (raw) => {
  const c = clean(raw);
  if (!c.ok) return c;
  // "C.C." and "c c" are CC too.
  const t = DOC_ALIASES[fold(c.value).replace(/\./g, '').replace(/^([a-z]) ([a-z])$/, '$1$2')];
  return t ? ok(t) : fail('document_type.unknown');
};

/**
 * A document type and its number in one answer, as the account e-mail writes the user ("CC 70123456")
 * and people type it ("cédula 70.123.456", "C.C: 70123456"): the two raw texts; undefined otherwise.
 */
export function splitDocument(raw: string): { tipoDocumento: string; numeroDocumento: string } | undefined {
  const words = raw.trim().replace(/^([\p{L}.]+)[:#-]+(?=\s*\d)/u, '$1 ').split(/\s+/);
  const ctx = { values: {}, today: new Date(0) };
  for (let i = 1; i < words.length && i <= 4; i++) {
    const tipo = parseDocumentType(words.slice(0, i).join(' ').replace(/[:#]+$/, ''), ctx);
    if (!tipo.ok) continue;
    const numero = words.slice(i).join(' ').replace(/^(n[o°º.]*|numero|número)\s*/iu, '');
    if (!/\d/.test(numero)) continue; // "pasaporte chino" is no passport number
    // "cédula de ciudadanía 70123456": "cédula" is a type too; a longer one may leave the number.
    if (parseDocumentNumberFor(tipo.value)(numero, ctx).ok) return { tipoDocumento: tipo.value, numeroDocumento: numero };
  }
  return undefined;
}

/**
 * At the document number, a document type typed instead — the type chosen was not the person's
 * ("cc" after "ce") — alone or with the number ("cc 1036612345"): the raw answers for both fields
 * (FieldSpec.alsoFills: the type is changed and the number read with it, or asked again).
 */
export function retypedDocument(raw: string): { tipoDocumento: string; numeroDocumento?: string } | undefined {
  const both = splitDocument(raw);
  if (both) return both;
  const text = raw.trim();
  return parseDocumentType(text, { values: {}, today: new Date(0) }).ok ? { tipoDocumento: text } : undefined;
}

const DOC_RULES: Record<DocumentType, { pattern: RegExp; strip: boolean }> = {
  CC: { pattern: /^\d{3,10}$/, strip: true },
  CE: { pattern: /^[A-Z0-9]{3,7}$/, strip: false },
  PE: { pattern: /^\d{15}$/, strip: true },
  PT: { pattern: /^\d{7}$/, strip: true },
  PA: { pattern: /^[A-Z0-9]{1,16}$/, strip: false },
  TI: { pattern: /^\d{1,11}$/, strip: true },
};

/** Document number by type (formats as SAT clients validate them); dots and spaces are removed. */
export function parseDocumentNumberFor(tipo: DocumentType): FieldParser<string> {
  return (raw) => {
    const c = clean(raw);
    if (!c.ok) return c;
    const compact = c.value.replace(/[\s.,-]/g, '').toUpperCase();
    const rule = DOC_RULES[tipo];
    if (rule.strip && /\D/.test(compact)) return fail('document_number.digits', { tipo });
    if (!rule.pattern.test(compact)) return fail(`document_number.${tipo}`, { tipo });
    if (rule.strip && /^0+$/.test(compact)) return fail(`document_number.${tipo}`, { tipo });
    return ok(compact);
  };
}

/** Document number using the `tipoDocumento` value already given in the same form. */
export const parseDocumentNumber: FieldParser<string> = (raw, ctx) => {
  const tipo = ctx.values['tipoDocumento'];
  if (typeof tipo !== 'string' || !(DOCUMENT_TYPES as readonly string[]).includes(tipo)) return fail('document_type.missing');
  return parseDocumentNumberFor(tipo as DocumentType)(raw, ctx);
};

// ---------------------------------------------------------------- names

const NAME = /^[\p{L}][\p{L}' -]*$/u;

/**
 * Replies that are no one's name ("Bueno", "Claro" are surnames and "Dale", "Aja" given names: not
 * here), the words of the chat's buttons and commands ("confirmar" typed to a name question left
 * open by a card), and document types ("cédula" typed at the first name).
 */
const REPLIES = new Set([
  'si', 'ok', 'okay', 'okey', 'oki', 'listo', 'de acuerdo', 'si senor', 'si senora',
  'confirmar', 'confirmo', 'corregir', 'enviar', 'aceptar', 'acepto', 'continuar', 'siguiente',
  'cedula', 'cedula de ciudadania', 'cedula de extranjeria', 'pasaporte', 'tarjeta de identidad', 'cc', 'ce', 'ti', 'pep', 'ppt',
]);

export const parseName: FieldParser<string> = (raw) => {
  const c = clean(raw);
  if (!c.ok) return c;
  if (c.value.length > 60) return fail('too_long');
  // "no tengo", "ninguno": no name at all (an optional name takes them as none before this).
  if (NONE.has(fold(c.value))) return fail('required');
  // "sí", "ok": a reply to something else, never a name (it was stored as the name "SÍ").
  if (REPLIES.has(fold(c.value))) return fail('name.reply', { respuesta: c.value });
  if (!NAME.test(c.value)) return fail('name.chars');
  return ok(c.value.toLocaleUpperCase('es-CO'));
};

/** Words that join a compound name ("María del Pilar", "De la Hoz"). */
const NAME_PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'san', 'santa']);

/**
 * Where a name typed at a question for one name is doubted: its first name and the rest, or undefined
 * when it is one name. A first name with a particle stays one ("María del Pilar", "José de Jesús"); a
 * surname's particles lead the surname they belong to, so "De la Hoz" is one and "De la Hoz Zúñiga",
 * "Martínez de la Rosa" are two.
 */
function splitName(words: readonly string[], particles: 'join' | 'lead'): [string, string] | undefined {
  const isParticle = (w: string) => NAME_PARTICLES.has(fold(w));
  if (words.length < 2) return undefined;
  if (particles === 'join') return words.some(isParticle) ? undefined : [words[0]!, words.slice(1).join(' ')];
  let first = 0;
  while (first < words.length && isParticle(words[first]!)) first++;
  const rest = words.slice(first + 1);
  // Nothing after the first surname, or only particles ("Hoz de"): one surname.
  if (rest.length === 0 || rest.every(isParticle)) return undefined;
  return [words.slice(0, first + 1).join(' '), rest.join(' ')];
}

/**
 * A name of which the form asks one at a time: "Luz Paola" at the first name, "Martínez Ruiz" at the
 * first surname. Two names are a doubt (`code`) with their parts named, not a refusal: "sí" takes both
 * (the split functions below), "no" or the same again keeps it whole.
 */
function oneNameOf(code: string, particles: 'join' | 'lead'): FieldParser<string> {
  return (raw, ctx) => {
    const r = parseName(raw, ctx);
    if (!r.ok) return r;
    const parts = splitName(r.value.split(/\s+/), particles);
    if (!parts) return r;
    return fail(code, { primero: parts[0], resto: parts[1], escrito: r.value, sugerencia: parts[0] });
  };
}

/** The first name: one name; "Luz Paola" asks whether Paola is the second name. */
export const parseFirstName: FieldParser<string> = oneNameOf('name.first_only', 'join');

/** The first surname: one surname; "Martínez Ruiz" asks whether Ruiz is the second surname. */
export const parseFirstSurname: FieldParser<string> = oneNameOf('name.first_surname_only', 'lead');

/** The two parts of an answer `parse` doubts with `code`, when each is a name. */
function twoNames(parse: FieldParser<string>, code: string, raw: string): [string, string] | undefined {
  const ctx = { values: {}, today: new Date(0) }; // names read no context
  const r = parse(raw, ctx);
  if (r.ok || r.error.code !== code) return undefined;
  const parts: [string, string] = [String(r.error['primero']), String(r.error['resto'])];
  return parseName(parts[0], ctx).ok && parseName(parts[1], ctx).ok ? parts : undefined;
}

/** "José Alejandro" at the first name: the first name and the second, when parseFirstName doubts it. */
export function splitFirstName(raw: string): { primerNombre: string; segundoNombre: string } | undefined {
  const parts = twoNames(parseFirstName, 'name.first_only', raw);
  return parts && { primerNombre: parts[0], segundoNombre: parts[1] };
}

/** "Martínez Ruiz" at the first surname: both surnames, when parseFirstSurname doubts it. */
export function splitFirstSurname(raw: string): { primerApellido: string; segundoApellido: string } | undefined {
  const parts = twoNames(parseFirstSurname, 'name.first_surname_only', raw);
  return parts && { primerApellido: parts[0], segundoApellido: parts[1] };
}

/** What people write for "none" at an optional field ("no tiene" when the name is another person's). */
const NONE = new Set(['no', 'no tengo', 'no tiene', 'no hay', 'ninguno', 'ninguna', 'ningun', 'no aplica', 'na', 'n a', 'omitir', 'sin', 'sin segundo nombre', 'sin segundo apellido']);

/** An optional name: "no tengo" / "omitir" / "-" mean none (stored as ""). */
export const parseOptionalName: FieldParser<string> = (raw, ctx) => {
  const t = fold(raw);
  if (t === '' || NONE.has(t) || raw.trim() === '-') return ok('');
  return parseName(raw, ctx);
};

// ---------------------------------------------------------------- dates

const MONTHS: Record<string, number> = {
  enero: 1, febrero: 2, marzo: 3, abril: 4, mayo: 5, junio: 6, julio: 7, agosto: 8,
  septiembre: 9, setiembre: 9, octubre: 10, noviembre: 11, diciembre: 12,
  ene: 1, feb: 2, mar: 3, abr: 4, may: 5, jun: 6, jul: 7, ago: 8, sep: 9, sept: 9, oct: 10, nov: 11, dic: 12,
};

function isoDate(y: number, m: number, d: number): string | undefined {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  return dt.toISOString().slice(0, 10);
}

/**
 * A year as written: four digits, or two as people write them ("18/03/85"): the latest such year
 * not after today's (85 → 1985, 05 → 2005), as the dates asked are all in the past.
 */
function fullYear(written: string, today: Date): number {
  if (written.length === 4) return Number(written);
  const thisYear = today.getUTCFullYear();
  const year = thisYear - (thisYear % 100) + Number(written);
  return year > thisYear ? year - 100 : year;
}

/** A calendar date as people write it: 15/03/1980, 15-03-1980, 15/03/80, 1980-03-15, "15 de marzo de 1980". */
export const parseDate: FieldParser<string> = (raw, ctx) => {
  const c = clean(raw);
  if (!c.ok) return c;
  const t = fold(c.value).replace(/\s+del?\s+/g, ' ');
  let y: number | undefined, m: number | undefined, d: number | undefined;
  let match = /^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4}|\d{2})$/.exec(t);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), fullYear(match[3]!, ctx.today)];
  match = match ? match : /^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})$/.exec(t);
  if (match && y === undefined) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y === undefined) {
    const words = /^(\d{1,2}) ([a-z]+) (\d{4}|\d{2})$/.exec(t);
    if (words) [d, m, y] = [Number(words[1]), MONTHS[words[2] as string], fullYear(words[3]!, ctx.today)];
  }
  if (y === undefined || m === undefined || d === undefined) return fail('date.format');
  const iso = isoDate(y, m, d);
  if (!iso) return fail('date.invalid');
  if (y < 1900) return fail('date.too_old');
  if (iso > ctx.today.toISOString().slice(0, 10)) return fail('date.future');
  return ok(iso);
};

/** Whole years between two ISO dates. */
export function yearsBetween(fromIso: string, toIso: string): number {
  const [fy, fm, fd] = fromIso.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = toIso.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/** Birth date: a valid past date; a CC holder must be an adult, a TI holder a minor. */
export const parseBirthDate: FieldParser<string> = (raw, ctx) => {
  const r = parseDate(raw, ctx);
  if (!r.ok) return r;
  const age = yearsBetween(r.value, ctx.today.toISOString().slice(0, 10));
  if (age > 120) return fail('date.too_old');
  const tipo = ctx.values['tipoDocumento'];
  if (tipo === 'CC' && age < 18) return fail('birth.cc_minor');
  if (tipo === 'TI' && age >= 18) return fail('birth.ti_adult');
  return r;
};

/** Issue date: after birth; a CC is issued at 18 or later. */
export const parseIssueDate: FieldParser<string> = (raw, ctx) => {
  const r = parseDate(raw, ctx);
  if (!r.ok) return r;
  const birth = ctx.values['fechaNacimiento'];
  if (typeof birth === 'string') {
    if (r.value < birth) return fail('issue.before_birth');
    if (ctx.values['tipoDocumento'] === 'CC' && yearsBetween(birth, r.value) < 18) return fail('issue.cc_minor');
  }
  return r;
};

// ---------------------------------------------------------------- misc

export const parseSex: FieldParser<Sex> = (raw) => {
  const c = clean(raw);
  if (!c.ok) return c;
  const t = fold(c.value);
  if (['f', 'femenino', 'mujer'].includes(t)) return ok('F');
  if (['m', 'masculino', 'hombre'].includes(t)) return ok('M');
  return fail('sex.unknown');
};

/** Yes / no answers, as people write them (folded: no accents, no punctuation). */
const YES = new Set([
  'si', 's', 'claro', 'confirmar', 'confirmo', 'correcto', 'estan correctos', 'acepto', 'ok', 'de acuerdo',
  'listo', 'dale', 'vale', 'okey', 'okay', 'ok confirmar', 'ok confirmo', 'si confirmar', 'si confirmo', 'si claro', 'si senor', 'sip',
  'confirmado', 'perfecto', 'todo bien', 'todo correcto', 'esta bien', 'estan bien', 'si estan correctos', 'si esta bien', 'correctos', 'afirmativo', 'de una',
]);
const NO = new Set(['no', 'n', 'no acepto', 'nop', 'nope', 'negativo', 'no gracias']);

/** A yes/no answer (also a review's "confirmar"); undefined when it is neither. */
export function answerYesNo(raw: string): boolean | undefined {
  const t = fold(raw);
  return YES.has(t) ? true : NO.has(t) ? false : undefined;
}

/** What points at the one option shown. */
const THAT_ONE = new Set(['esa', 'ese', 'esa misma', 'ese mismo', 'esa opcion', 'la unica', 'el unico', 'la que hay', 'el que hay']);

/** At a question with one option: "sí", "ok", "esa" take it. */
export const takesTheOnlyOption = (raw: string): boolean => answerYesNo(raw) === true || THAT_ONE.has(fold(raw).trim());

export const parseYesNo: FieldParser<boolean> = (raw) => {
  const answer = answerYesNo(raw);
  if (answer !== undefined) return ok(answer);
  return fail(fold(raw) ? 'yes_no.unknown' : 'empty');
};

/** True for answers that mean "skip this optional field". */
export function isSkipAnswer(raw: string): boolean {
  const t = fold(raw);
  return t === '' || NONE.has(t) || raw.trim() === '-';
}

// ---------------------------------------------------------------- contact

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** An e-mail address, lower-cased; the domain must have a dot and a plausible top-level part. */
export const parseEmail: FieldParser<string> = (raw) => {
  const c = clean(raw);
  if (!c.ok) return c;
  const email = c.value.replace(/\s+/g, '').toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) return fail('email.format');
  const tld = email.slice(email.lastIndexOf('.') + 1);
  if (!/^[a-z]{2,24}$/.test(tld)) return fail('email.format');
  if (email.split('@')[0]!.length > 64) return fail('email.format');
  return ok(email);
};

/**
 * An e-mail typed as an answer: as parseEmail, and a slip in a well-known domain ("gmial.com") is
 * asked about first: the failure names the address likely meant (`sugerencia`) and the one typed
 * (`escrito`), which the form accepts when the person keeps it (see FieldFailure in dialogs/form).
 */
export const parseEmailAnswer: FieldParser<string> = (raw, ctx) => {
  const r = parseEmail(raw, ctx);
  if (!r.ok) return r;
  const meant = likelyMeantEmail(r.value);
  return meant ? fail('email.sugerencia', { sugerencia: meant, escrito: r.value }) : r;
};

/** The same e-mail typed a second time (compares with `values.email`). */
export const parseEmailConfirmation: FieldParser<string> = (raw, ctx) => {
  const r = parseEmail(raw, ctx);
  if (!r.ok && !raw.includes('@')) {
    // "confirmar", "sí, es ese": the e-mail is to be typed again, not approved; a number is the phone typed ahead.
    if (answerYesNo(raw) === true || /^(ese es|es ese|es el mismo|el mismo)\b/.test(fold(raw).trim())) return fail('email.confirmar_escribiendo');
    if (/^[\s+\d().-]{7,}$/.test(raw) && /\d{3}/.test(raw)) return fail('email.confirmar_no_telefono');
  }
  if (!r.ok) return r;
  const first = ctx.values['email'];
  return r.value === first ? r : fail('email.mismatch', typeof first === 'string' ? { primero: first } : {});
};

/** A Colombian mobile number: 10 digits starting with 3 (spaces, dashes and +57 tolerated). */
export const parseMobile: FieldParser<string> = (raw) => {
  const c = clean(raw);
  if (!c.ok) return c;
  let digits = c.value.replace(/[\s().-]/g, '');
  if (digits.startsWith('+57')) digits = digits.slice(3);
  else if (digits.startsWith('57') && digits.length === 12) digits = digits.slice(2);
  if (!/^\d+$/.test(digits)) return fail('mobile.digits');
  if (!/^3\d{9}$/.test(digits)) return fail('mobile.format');
  return ok(digits);
};

// ---------------------------------------------------------------- companies and places

/** A NIT as people write it ("860.007.336-1", "860007336", "860 007 336 1"); the DV, when given, is checked. */
export const parseNitField: FieldParser<string> = (raw) => {
  const r = normalizeNit(raw);
  return r.ok ? ok(r.value.nit) : fail(r.error.code);
};

/** Naturaleza jurídica by its portal number (1–5), or by the words of a legal form ("sin ánimo de lucro" is private, 2). */
export const parseNaturaleza: FieldParser<Naturaleza> = (raw) => {
  const code = raw.trim();
  if (Object.hasOwn(NATURALEZAS, code)) return ok(code as Naturaleza);
  // "sin ánimo de lucro", "es una entidad pública", "S.A.S.": the words of a legal form, read as the RUT's are.
  const named = raw.length <= 200 ? naturalezaNamed(fold(raw), true) : undefined;
  return named ? ok(named) : fail('naturaleza.desconocida');
};

/** Free text between `min` and `max` characters: letters, digits, spaces and the punctuation of names and addresses. */
export function parseText(min: number, max: number): FieldParser<string> {
  return (raw) => {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) return fail('empty');
    if (text.length > max) return fail('too_long');
    if (text.length < min) return fail('too_short');
    if (!/^[\p{L}\p{M}\p{N} .,&'"()/#°ºª+-]+$/u.test(text)) return fail('text.chars');
    return ok(text);
  };
}

/**
 * Free text a person writes as sentences (a reason, a description): letters and digits with the
 * punctuation of a sentence (¿?¡!:%…), spaces collapsed; it needs some letters, and markup or code
 * characters (< > { } ; `), control and invisible format characters are refused.
 */
export function parseProse(min: number, max: number): FieldParser<string> {
  return (raw) => {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) return fail('empty');
    if (text.length > max) return fail('too_long');
    if (text.length < min) return fail('too_short');
    if (/[\p{Cc}\p{Cf}<>{};`\\]/u.test(text) || !/^[\p{L}\p{M}\p{N}\p{P}\p{Zs}°ºª+=%$]+$/u.test(text)) return fail('text.chars');
    if ((text.match(/\p{L}/gu) ?? []).length < 3) return fail('text.chars');
    return ok(text);
  };
}

/** A Colombian phone: a fixed line (10 digits starting with 60) or a mobile (10 digits starting with 3). */
export const parsePhone: FieldParser<string> = (raw) => {
  const c = clean(raw);
  if (!c.ok) return c;
  let digits = c.value.replace(/[\s().-]/g, '');
  if (digits.startsWith('+57')) digits = digits.slice(3);
  if (!/^\d+$/.test(digits)) return fail('phone.digits');
  if (!/^(60\d{8}|3\d{9})$/.test(digits)) return fail('phone.format');
  return ok(digits);
};

/**
 * Finds one item by folded name: exact, then starting with, then containing; then as it sounds
 * ("medeyin", "antiokia") and with a slip of a letter or two for longer names; several → ambiguous.
 */
function pickByName<T>(items: readonly T[], name: (t: T) => string, raw: string, kind: string): Result<T> {
  const t = fold(raw).replace(/\bd ?c\b/g, '').trim();
  if (!t) return fail('empty');
  const keyOf = (x: T) => foldLabel(name(x)).replace(/\bd ?c\b/g, '').trim(); // reference names
  const sound = soundKey(t);
  // A slip of a letter from 5 letters on, of two from 9 on (as the sound key reads the name).
  const slips = sound.length >= 9 ? 2 : sound.length >= 5 ? 1 : 0;
  const tests = [
    (k: string) => k === t,
    (k: string) => k.startsWith(t),
    (k: string) => k.includes(t),
    (k: string) => soundKey(k) === sound,
    (k: string) => slips > 0 && editDistance(soundKey(k), sound, slips) <= slips,
  ];
  for (const test of tests) {
    const found = items.filter((x) => test(keyOf(x)));
    if (found.length === 1) return ok(found[0] as T);
    if (found.length > 1) return fail(`${kind}.ambiguo`, { opciones: found.slice(0, 8).map(name).join(', ') });
  }
  return fail(`${kind}.desconocido`);
}

/** A department by name or DIVIPOLA code ("Antioquia", "05", "bogota"). */
export function parseDepartment(registry: ReferenceRegistry): FieldParser<string> {
  return (raw) => {
    const c = clean(raw);
    if (!c.ok) return c;
    const byCode = registry.departments().find((d) => d.code === c.value.padStart(2, '0'));
    if (/^\d{1,2}$/.test(c.value)) return byCode ? ok(byCode.code) : fail('departamento.desconocido');
    const r = pickByName(registry.departments(), (d) => d.name, c.value, 'departamento');
    return r.ok ? ok(r.value.code) : r;
  };
}

/** A municipality of the department already given (`values.departamento`), by name or DIVIPOLA code. */
export function parseMunicipality(registry: ReferenceRegistry): FieldParser<string> {
  return (raw, ctx) => {
    const c = clean(raw);
    if (!c.ok) return c;
    const dept = ctx.values['departamento'];
    if (typeof dept !== 'string') return fail('departamento.missing');
    const options = registry.municipalities(dept);
    if (/^\d{5}$/.test(c.value)) return options.some((m) => m.code === c.value) ? ok(c.value) : fail('municipio.desconocido');
    const r = pickByName(options, (m) => m.name, c.value, 'municipio');
    return r.ok ? ok(r.value.code) : r;
  };
}
