import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeDv, formatNit, isValidDv, normalizeNit } from './nit.js';

/** The 43 CCFs, from the repository's own copy of the list. */
const ccfRows = readFileSync(new URL('../storage/reference/data/ccf.csv', import.meta.url), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [codigoPila, sigla, nit, dv] = line.split(',');
    return { codigoPila: codigoPila as string, sigla: sigla as string, nit: nit as string, dv: dv as string };
  });

const PUBLIC_ENTITIES = [
  { name: 'DIAN', nit: '800197268', dv: '4' },
  { name: 'ICBF', nit: '899999239', dv: '2' },
  { name: 'SENA', nit: '899999034', dv: '1' },
];

describe('computeDv (DIAN modulo 11)', () => {
  it('the list has the 43 CCFs', () => {
    expect(ccfRows).toHaveLength(43);
  });

  it.each(ccfRows)('$codigoPila $sigla: $nit-$dv', ({ nit, dv }) => {
    expect(computeDv(nit)).toBe(dv);
    expect(isValidDv(nit, dv)).toBe(true);
  });

  it.each(PUBLIC_ENTITIES)('$name: $nit-$dv', ({ nit, dv }) => {
    expect(computeDv(nit)).toBe(dv);
  });

  it('uses r itself when r < 2 and 11 − r otherwise', () => {
    // 4·3 = 12 → r 1 → DV 1; 0 → r 0 → DV 0; 1·3 = 3 → r 3 → DV 8.
    expect(computeDv('4')).toBe('1');
    expect(computeDv('0')).toBe('0');
    expect(computeDv('1')).toBe('8');
    // 10: 0·3 + 1·7 = 7 → DV 4.
    expect(computeDv('10')).toBe('4');
  });

  it.each(['', '12a', '-1', '1234567890123456'])('throws on %j (a programming error)', (bad) => {
    expect(() => computeDv(bad)).toThrow(TypeError);
  });
});

describe('normalizeNit', () => {
  it.each(ccfRows.map((r) => [`${formatNit(r.nit, r.dv)}`, r.nit, r.dv]))('CCF %s is accepted', (raw, nit, dv) => {
    expect(normalizeNit(raw)).toEqual({ ok: true, value: { nit, dv } });
  });

  it.each([
    ['860.007.336-1', { nit: '860007336', dv: '1' }],
    ['860007336-1', { nit: '860007336', dv: '1' }],
    ['860007336 - 1', { nit: '860007336', dv: '1' }],
    ['860 007 336 1', { nit: '860007336', dv: '1' }],
    ['860,007,336-1', { nit: '860007336', dv: '1' }],
    ['  860.007.336-1  ', { nit: '860007336', dv: '1' }],
    ['860 007 336', { nit: '860007336' }],
    ['860.007.336', { nit: '860007336' }],
    ['860,007,336', { nit: '860007336' }],
    ['860007336', { nit: '860007336' }],
    ['860-007-336', { nit: '860007336' }],
    ['８６０００７３３６－１', { nit: '860007336', dv: '1' }], // full-width digits and dash
    ['800.197.268-4', { nit: '800197268', dv: '4' }],
    ['899999239-2', { nit: '899999239', dv: '2' }],
    ['899 999 034 - 1', { nit: '899999034', dv: '1' }],
  ])('%j → %j', (raw, value) => {
    expect(normalizeNit(raw)).toEqual({ ok: true, value });
  });

  it.each([
    // empty
    ['', 'empty'],
    ['   ', 'empty'],
    // letters and other characters
    ['NIT 860007336', 'nit.chars'],
    ['860007336-K', 'nit.chars'],
    ['86O007336', 'nit.chars'],
    ['860/007/336', 'nit.chars'],
    ['860_007_336', 'nit.chars'],
    ['+860007336', 'nit.chars'],
    ['---', 'nit.chars'],
    ['...', 'nit.chars'],
    // not 9 digits
    ['8600073361', 'nit.length'], // bare 10 digits: NIT+DV or a 10-digit number? ambiguous
    ['86000733', 'nit.length'],
    ['86000733-6', 'nit.length'], // a DV after an 8-digit NIT
    ['86.000.733.6', 'nit.length'],
    ['8600.0733.61', 'nit.length'],
    ['1', 'nit.length'],
    ['8600073361234', 'nit.length'],
    ['860.007.3361', 'nit.length'],
    // DV given but wrong
    ['860007336-2', 'nit.dv'],
    ['860.007.336-0', 'nit.dv'],
    ['860 007 336 9', 'nit.dv'],
    ['800197268-5', 'nit.dv'],
    ['899999239-3', 'nit.dv'],
    ['899999034-2', 'nit.dv'],
    ['860007336-12', 'nit.dv'],
  ])('%j → %s', (raw, code) => {
    const result = normalizeNit(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it.each(ccfRows)('$codigoPila with every wrong DV is refused', ({ nit, dv }) => {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === dv) continue;
      const result = normalizeNit(`${nit}-${d}`);
      expect(result.ok ? 'ok' : result.error.code).toBe('nit.dv');
    }
  });

  it('tells the length it found', () => {
    expect(normalizeNit('12345')).toEqual({ ok: false, error: { code: 'nit.length', length: 5 } });
  });
});

describe('formatNit', () => {
  it.each([
    ['860007336', '1', '860.007.336-1'],
    ['890900841', undefined, '890.900.841-9'],
    ['800197268', '4', '800.197.268-4'],
  ])('%s %s → %s', (nit, dv, expected) => {
    expect(formatNit(nit, dv)).toBe(expected);
  });
});
