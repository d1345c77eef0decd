/**
 * "Ejemplo del servicio" of a shared service: a JSON body (object or list), at most 64 KB, shown back
 * formatted. Informative only (the manual), and the body "Probar conexión" sends.
 */
import { Buffer } from 'node:buffer';
import type { FieldParser } from './fields.js';
import { fail, ok } from './result.js';

/** Largest example accepted, in UTF-8 bytes of the JSON without insignificant spaces. */
export const EJEMPLO_MAX_BYTES = 64 * 1024;
/** Deepest nesting accepted (a real body is shallow; deeper input only costs the parser). */
export const EJEMPLO_MAX_PROFUNDIDAD = 64;
/** Longer raw input is refused unread. */
const EJEMPLO_MAX_RAW = 4 * EJEMPLO_MAX_BYTES;

export const JSON_REASONS = ['empty', 'json.invalido', 'json.tipo', 'json.muy_grande', 'json.muy_profundo'] as const;

type Scan = { ok: true; formatted: string; compact: string } | { ok: false; at: number; code: 'json.invalido' | 'json.muy_profundo' };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * A strict JSON scanner that formats as it reads (2 spaces, like JSON.stringify(v, null, 2)) but keeps
 * every string and number as written: no precision lost in long numbers, escapes kept. Iterative.
 */
function scanJson(text: string): Scan {
  const n = text.length;
  const out: string[] = [];
  const compact: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skip = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const emit = (token: string, layout = token) => {
    out.push(layout);
    compact.push(token);
  };
  const newline = () => out.push('\n' + '  '.repeat(stack.length));
  const bad = (): Scan => ({ ok: false, at: Math.min(i, n), code: 'json.invalido' });
  const string = (): boolean => {
    const start = i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        emit(text.slice(start, ++i));
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) return false;
        i = ESCAPE.lastIndex;
      } else i++;
    }
    return false;
  };
  for (;;) {
    skip();
    if (state === 'value') {
      const c = text[i];
      if (c === '{' || c === '[') {
        if (stack.length >= EJEMPLO_MAX_PROFUNDIDAD) return { ok: false, at: i, code: 'json.muy_profundo' };
        const close = c === '{' ? '}' : ']';
        i++;
        skip();
        if (text[i] === close) {
          i++;
          emit(c + close);
          state = 'after';
          continue;
        }
        emit(c);
        stack.push(c);
        newline();
        state = c === '{' ? 'key' : 'value';
        continue;
      }
      if (c === '"') {
        if (!string()) return bad();
        state = 'after';
        continue;
      }
      const literal = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (literal) {
        i += literal.length;
        emit(literal);
        state = 'after';
        continue;
      }
      NUMBER.lastIndex = i;
      if (c !== undefined && NUMBER.test(text)) {
        emit(text.slice(i, NUMBER.lastIndex));
        i = NUMBER.lastIndex;
        state = 'after';
        continue;
      }
      return bad();
    }
    if (state === 'key') {
      if (text[i] !== '"' || !string()) return bad();
      skip();
      if (text[i] !== ':') return bad();
      i++;
      emit(':', ': ');
      state = 'value';
      continue;
    }
    // after a value
    const top = stack.at(-1);
    if (top === undefined) return i === n ? { ok: true, formatted: out.join(''), compact: compact.join('') } : bad();
    const c = text[i];
    if (c === ',') {
      i++;
      emit(',');
      newline();
      state = top === '{' ? 'key' : 'value';
      continue;
    }
    if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
      i++;
      stack.pop();
      newline();
      emit(c);
      continue;
    }
    return bad();
  }
}

/** 1-based line and column of an offset. */
function lineColumn(text: string, at: number): { linea: number; columna: number } {
  const before = text.slice(0, at);
  const linea = before.split('\n').length;
  return { linea, columna: at - before.lastIndexOf('\n') };
}

/** Typographic double quotes: what a phone's keyboard, a word processor or a chat's Markdown puts where JSON has ". */
const CURLY_QUOTE = /[\u201c\u201d\u201e\u201f\u2033]/;
const CURLY_QUOTES = new RegExp(CURLY_QUOTE.source, 'g');

/**
 * The service's example body: JSON, an object or an array, at most EJEMPLO_MAX_BYTES; returned
 * formatted with 2 spaces, strings and numbers as written. A syntax error says where (line, column).
 * Written with typographic quotes ({“tipoDocumento”: “CC”}) it is read with straight ones, when only
 * that makes it JSON (quotes inside a valid example's strings stay as written).
 */
export const parseExampleJson: FieldParser<string> = (raw, ctx) => {
  const read = parseStrictJson(raw, ctx);
  if (read.ok || read.error.code !== 'json.invalido' || !CURLY_QUOTE.test(raw)) return read;
  const straight = parseStrictJson(raw.replace(CURLY_QUOTES, '"'), ctx);
  return straight.ok ? straight : read;
};

const parseStrictJson: FieldParser<string> = (raw) => {
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  if (!text) return fail('empty');
  if (text.length > EJEMPLO_MAX_RAW) return fail('json.muy_grande', { maxKb: EJEMPLO_MAX_BYTES / 1024 });
  if (text[0] !== '{' && text[0] !== '[') {
    try {
      JSON.parse(text);
      return fail('json.tipo');
    } catch {
      return fail('json.invalido', lineColumn(raw, lead));
    }
  }
  const scan = scanJson(text);
  if (!scan.ok) return scan.code === 'json.muy_profundo' ? fail(scan.code, { max: EJEMPLO_MAX_PROFUNDIDAD }) : fail(scan.code, lineColumn(raw, lead + scan.at));
  if (Buffer.byteLength(scan.compact, 'utf8') > EJEMPLO_MAX_BYTES) return fail('json.muy_grande', { maxKb: EJEMPLO_MAX_BYTES / 1024 });
  try {
    JSON.parse(scan.compact); // the scanner's grammar is JSON's; the platform parser has the last word
  } catch {
    return fail('json.invalido');
  }
  return ok(scan.formatted);
};
