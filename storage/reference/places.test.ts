import { describe, expect, it } from 'vitest';
import { parseDepartment, parseMunicipality } from '../../domain/fields.js';
import { defaultReferenceRegistry } from './registry.js';

const registry = defaultReferenceRegistry();
const today = new Date('2026-11-26T15:00:00Z');

describe('DIVIPOLA names as people type them (accents and case ignored; ambiguity asked)', () => {
  it.each([
    ['antioquia', '05'], ['ANTIOQUIA', '05'], ['Bogotá', '11'], ['bogota d.c.', '11'], ['05', '05'], ['5', '05'], ['atlantico', '08'],
    ['Valle del Cauca', '76'], ['Norte de Santander', '54'], ['Córdoba', '23'],
  ])('department %j → %s', (raw, code) => {
    expect(parseDepartment(registry)(raw, { values: {}, today })).toEqual({ ok: true, value: code });
  });
  it.each([
    ['05', 'medellin', '05001'], ['05', 'Rionegro', '05615'], ['11', 'bogota', '11001'], ['13', 'Norosí', '13490'], ['19', 'guachene', '19300'],
    ['23', 'san jose de ure', '23682'], ['23', 'Tuchín', '23815'], ['05', '05266', '05266'],
  ])('municipality in %s: %j → %s', (dept, raw, code) => {
    expect(parseMunicipality(registry)(raw, { values: { departamento: dept }, today })).toEqual({ ok: true, value: code });
  });
  it('several matches are reported with the options to choose from', () => {
    const r = parseMunicipality(registry)('san', { values: { departamento: '05' }, today });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('municipio.ambiguo');
      expect(String(r.error['opciones'])).toContain('San Jerónimo');
    }
  });
  it.each([['zzz', 'departamento.desconocido'], ['98', 'departamento.desconocido'], ['Vichada', 'ok']])('department %j → %s', (raw, code) => {
    const r = parseDepartment(registry)(raw, { values: {}, today });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
  it('a municipality of another department is unknown', () => {
    const r = parseMunicipality(registry)('Medellín', { values: { departamento: '11' }, today });
    expect(r.ok ? 'ok' : r.error.code).toBe('municipio.desconocido');
  });
});

describe('names typed by ear or with a slip of a letter', () => {
  it.each([['antiokia', '05'], ['antoquia', '05'], ['Antioqia', '05'], ['boyaka', '15'], ['kundinamarca', '25'], ['balle del cauca', '76'], ['cordova', '23']])(
    'department %j → %s',
    (raw, code) => expect(parseDepartment(registry)(raw, { values: {}, today })).toEqual({ ok: true, value: code }),
  );
  it.each([['05', 'medeyin', '05001'], ['05', 'medelin', '05001'], ['05', 'medellinn', '05001'], ['70', 'sinselejo', '70001'], ['08', 'baranquilla', '08001']])(
    'municipality in %s: %j → %s',
    (dept, raw, code) => expect(parseMunicipality(registry)(raw, { values: { departamento: dept }, today })).toEqual({ ok: true, value: code }),
  );
  it.each([['zzz'], ['xyzzy'], ['medeyin']])('%j stays unknown or ambiguous, never a guess', (raw) => {
    const r = parseDepartment(registry)(raw, { values: {}, today });
    expect(r.ok).toBe(false);
  });
});
