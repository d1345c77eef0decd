import { describe, expect, it } from 'vitest';
import { EJEMPLO_MAX_BYTES, EJEMPLO_MAX_PROFUNDIDAD, JSON_REASONS, parseExampleJson } from './ejemplo-json.js';
import type { ParseContext } from './fields.js';

const ctx: ParseContext = { values: {}, today: new Date('2026-12-15T15:00:00Z') };

/** Every reason code the tables below produced: the exported reason list must be covered. */
const seen = new Set<string>();
function codeOf(_parser: string, r: { ok: boolean; error?: { code: string } }): string | undefined {
  if (r.ok || !r.error) return undefined;
  seen.add(r.error.code);
  return r.error.code;
}

describe('parseExampleJson: an object or a list, formatted, at most 64 KB', () => {
  it.each([
    [{ tipoDocumento: 'CC', numeroDocumento: '70123456', beneficiarios: [{ nombre: 'Ana' }, {}], activo: true, tope: null }],
    [[1, 2.5, -3e-7, 'tres', [], {}]],
    [{}],
    [[]],
    [{ anidado: { a: { b: { c: [[[]]] } } }, 'clave con "comillas"': 'valor\ncon salto', ñandú: 'café ☕' }],
  ])('%j is returned formatted with 2 spaces', (value) => {
    expect(parseExampleJson(JSON.stringify(value), ctx)).toEqual({ ok: true, value: JSON.stringify(value, null, 2) });
  });

  it('keeps numbers and strings as written (no precision lost), whatever the spacing given', () => {
    const raw = '\n  {"documento":12345678901234567890 ,\t"nombre" :"Jos\\u00e9",\r\n"x":1.50E+3}  ';
    expect(parseExampleJson(raw, ctx)).toEqual({ ok: true, value: '{\n  "documento": 12345678901234567890,\n  "nombre": "Jos\\u00e9",\n  "x": 1.50E+3\n}' });
  });

  it('typographic quotes (a phone keyboard, a word processor, the example copied from the chat) are read as straight ones', () => {
    expect(parseExampleJson('{“tipoDocumento”: “CC”, “numeroDocumento”: “70123456”}', ctx)).toEqual({ ok: true, value: '{\n  "tipoDocumento": "CC",\n  "numeroDocumento": "70123456"\n}' });
    expect(parseExampleJson('{„a″: 1}', ctx)).toEqual({ ok: true, value: '{\n  "a": 1\n}' });
    // Inside a valid example's strings they are text, kept as written.
    expect(parseExampleJson('{"nota": "la “mejor” caja"}', ctx)).toEqual({ ok: true, value: '{\n  "nota": "la “mejor” caja"\n}' });
    // Still no JSON with straight quotes: the error is the one of what was typed.
    expect(parseExampleJson('{“a”: }', ctx)).toMatchObject({ ok: false, error: { code: 'json.invalido', linea: 1, columna: 2 } });
  });

  it('a formatted example parses to itself (a draft resumed later keeps it)', () => {
    const once = parseExampleJson('{"a":[1,{"b":[]}]}', ctx);
    expect(once.ok && parseExampleJson(once.value, ctx)).toEqual(once);
  });

  it.each([
    ['{"a":}', 1, 6],
    ['{\n  "a": 1,\n}', 3, 1],
    ['[1, 2', 1, 6],
    ["{'a': 1}", 1, 2],
    ['{"a": 01}', 1, 8],
    ['{"a": "sin cerrar}', 1, 19],
    ['{"a": 1} {"b": 2}', 1, 10],
    ['{"a": tru}', 1, 7],
    ['{"a": "\\x"}', 1, 8],
    ['hola', 1, 1],
    ['\n\n  {"a" 1}', 3, 8],
  ])('%j → json.invalido at line %i, column %i', (raw, linea, columna) => {
    const r = parseExampleJson(raw, ctx);
    expect(codeOf('json', r)).toBe('json.invalido');
    expect(r).toEqual({ ok: false, error: { code: 'json.invalido', linea, columna } });
  });

  it.each([['123'], ['"texto"'], ['true'], ['null']])('%s is JSON but not an object or a list → json.tipo', (raw) => {
    expect(codeOf('json', parseExampleJson(raw, ctx))).toBe('json.tipo');
  });

  it('empty → empty', () => expect(codeOf('json', parseExampleJson('  \n ', ctx))).toBe('empty'));

  it('64 KB boundary, in UTF-8 bytes of the JSON without spaces', () => {
    const withBytes = (n: number) => JSON.stringify({ d: 'x'.repeat(n - '{"d":""}'.length) });
    expect(Buffer.byteLength(withBytes(EJEMPLO_MAX_BYTES))).toBe(EJEMPLO_MAX_BYTES);
    expect(parseExampleJson(withBytes(EJEMPLO_MAX_BYTES), ctx).ok).toBe(true);
    const over = parseExampleJson(withBytes(EJEMPLO_MAX_BYTES + 1), ctx);
    expect(codeOf('json', over)).toBe('json.muy_grande');
    expect(over).toEqual({ ok: false, error: { code: 'json.muy_grande', maxKb: 64 } });
    // Multi-byte characters count as their bytes: 'ñ' is two.
    const enes = (n: number) => JSON.stringify({ d: 'ñ'.repeat(n) });
    const fits = (EJEMPLO_MAX_BYTES - '{"d":""}'.length) / 2;
    expect(parseExampleJson(enes(fits), ctx).ok).toBe(true);
    expect(codeOf('json', parseExampleJson(enes(fits + 1), ctx))).toBe('json.muy_grande');
    // Spaces between tokens and around the JSON do not count; a text far beyond the limit is refused unread.
    expect(parseExampleJson(withBytes(EJEMPLO_MAX_BYTES).replace('{', `{${' '.repeat(1000)}`), ctx).ok).toBe(true);
    expect(parseExampleJson(`${' '.repeat(5 * EJEMPLO_MAX_BYTES)}{}`, ctx)).toEqual({ ok: true, value: '{}' });
    expect(codeOf('json', parseExampleJson(`[${'1,'.repeat(3 * EJEMPLO_MAX_BYTES)}1]`, ctx))).toBe('json.muy_grande');
  });

  it(`nesting deeper than ${EJEMPLO_MAX_PROFUNDIDAD} levels is refused (before the platform parser sees it)`, () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parseExampleJson(nest(EJEMPLO_MAX_PROFUNDIDAD), ctx).ok).toBe(true);
    expect(parseExampleJson(nest(EJEMPLO_MAX_PROFUNDIDAD + 1), ctx)).toEqual({ ok: false, error: { code: 'json.muy_profundo', max: EJEMPLO_MAX_PROFUNDIDAD } });
    codeOf('json', parseExampleJson(nest(50_000), ctx));
    expect(codeOf('json', parseExampleJson(nest(50_000), ctx))).toBe('json.muy_profundo');
  });
});


it('every reason of JSON_REASONS was produced by a table above', () => {
  expect([...seen].sort()).toEqual([...JSON_REASONS].sort());
});
