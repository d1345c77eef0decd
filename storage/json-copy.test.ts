import { describe, expect, it } from 'vitest';
import { copyJson, toJsonData } from './json-copy.js';

const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

describe('copies of the store’s records', () => {
  const record = {
    id: 'c-1',
    nombre: 'JOSÉ ALEJANDRO',
    edad: 58,
    activo: true,
    nada: null,
    roles: [{ rol: 'rl', nit: '890900841' }, ['a', 1, null]],
    anidado: { a: { b: { c: [1, 2, { d: 'e' }] } } },
  };

  it('copyJson: an equal record that shares nothing with the original', () => {
    const copy = copyJson(record);
    expect(copy).toStrictEqual(record);
    expect(copy).not.toBe(record);
    expect(copy.roles).not.toBe(record.roles);
    expect(copy.roles[0]).not.toBe(record.roles[0]);
    expect(copy.anidado.a.b.c[2]).not.toBe(record.anidado.a.b.c[2]);
    (copy.anidado.a.b.c[2] as { d: string }).d = 'cambiado';
    expect(record.anidado.a.b.c[2]).toEqual({ d: 'e' });
  });

  it('copyJson keeps a "__proto__" key as data (as JSON.parse does), not as the prototype', () => {
    const parsed = JSON.parse('{"id":"x","__proto__":{"admin":true}}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['id', '__proto__']);
    expect(JSON.stringify(copy)).toBe('{"id":"x","__proto__":{"admin":true}}');
  });

  it.each<[string, unknown]>([
    ['a plain record', record],
    ['undefined properties and functions left out', { a: 1, b: undefined, c: () => 1, d: Symbol('s'), e: 'x' }],
    ['undefined, functions and symbols in an array become null', [1, undefined, () => 1, Symbol('s'), 'x']],
    ['non-finite numbers become null', { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: -0, d: [Number.NEGATIVE_INFINITY] }],
    ['a Date becomes its ISO string', { en: new Date('2026-12-05T04:00:00.000Z'), lista: [new Date(0)] }],
    ['toJSON is honoured, with its key', { a: { toJSON: (k: string) => `clave ${k}` }, b: [{ toJSON: (k: string) => `índice ${k}` }] }],
    ['toJSON that returns undefined leaves the property out', { a: { toJSON: () => undefined }, b: 2 }],
    ['a class instance: own enumerable properties only', new (class Punto { x = 1; y = 2; get z() { return 3; } })()],
    ['boxed primitives', { a: new Number(3), b: new String('s'), c: new Boolean(false) }],
    ['a Map and a Set become empty objects', { m: new Map([[1, 2]]), s: new Set([1]) }],
    ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['a string, a number, null', 'texto'],
    ['"__proto__" as data', JSON.parse('{"__proto__":{"x":1},"y":2}')],
  ])('toJsonData gives what a JSON round trip gives: %s', (_, value) => {
    const data = toJsonData(value);
    expect(data).toStrictEqual(viaJson(value));
    expect(JSON.stringify(data)).toBe(JSON.stringify(value));
  });

  it('toJsonData throws where JSON.stringify throws: a cycle, a BigInt, nothing to serialize', () => {
    const cyclic: Record<string, unknown> = { id: 'a' };
    cyclic['self'] = { back: cyclic };
    expect(() => toJsonData(cyclic)).toThrow(TypeError);
    expect(() => toJsonData({ n: 10n })).toThrow(TypeError);
    expect(() => toJsonData(undefined)).toThrow(TypeError);
  });

  it('data nested deeper than the walk goes is still copied whole', () => {
    let deep: Record<string, unknown> = { fondo: true };
    for (let i = 0; i < 2000; i++) deep = { n: i, d: deep };
    expect(toJsonData(deep)).toStrictEqual(viaJson(deep));
    expect(copyJson(deep)).toStrictEqual(deep);
  });
});
