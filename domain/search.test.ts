import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';
import { clearWinner, searchFunctionalities } from './search.js';
import { editDistance, fold, maskDocument, maskEmail } from './text.js';

const catalog = [
  { id: 'registro', title: 'Registro ciudadano', keywords: ['registrarme', 'crear cuenta'] },
  { id: 'autorizados', title: 'Administrar autorizados', keywords: ['autorizar persona', 'revocar'] },
  { id: 'compartir', title: 'Compartir Servicios Entidad', keywords: ['oauth', 'credenciales'] },
  { id: 'clave', title: 'Asignar contraseña', keywords: ['cambiar contraseña'] },
];

describe('functionality search tolerates accents, case and small typos', () => {
  it.each([
    ['registro', 'registro'], ['REGISTRARME', 'registro'], ['quiero crear una cuenta', 'registro'],
    ['autorisados', 'autorizados'], ['Administrar Autorizados', 'autorizados'], ['compartir servisios', 'compartir'],
    ['credenciales OAuth', 'compartir'], ['contrasena', 'clave'], ['CONTRASEÑA', 'clave'], ['contraseña nueva', 'clave'],
  ])('%j → %s', (query, id) => {
    expect(searchFunctionalities(query, catalog)[0]?.item.id).toBe(id);
  });
  it.each(['', 'zzzz qqqq', 'de la el', '😀'])('%j finds nothing', (query) => {
    expect(searchFunctionalities(query, catalog)).toEqual([]);
  });
  it('limits and orders the hits', () => {
    const hits = searchFunctionalities('registro autorizados', catalog, 2, 0.3);
    expect(hits.length).toBeLessThanOrEqual(2);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]?.score ?? 0);
  });
});

describe('a functionality named clearly starts at once; otherwise the hits are offered', () => {
  it.each([
    ['registrarme', 'registro'],
    ['Administrar autorizados', 'autorizados'],
    ['autorisados', undefined], // a typo: offered, not started
    ['contraseña', undefined], // two functionalities mention it
    ['zzzz', undefined],
  ])('%j → %s', (query, id) => {
    const withTie = [...catalog, { id: 'otra-clave', title: 'Recuperar contraseña', keywords: [] }];
    expect(clearWinner(searchFunctionalities(query, withTie))?.id).toBe(id);
  });
});

describe('global commands', () => {
  it.each([
    ['ayuda', 'ayuda'], ['AYUDA', 'ayuda'], ['Más información', 'ayuda'], ['cancelar', 'cancelar'], ['menú', 'menu'],
    ['Menu', 'menu'], ['atrás', 'atras'], ['volver', 'atras'], ['estado', 'estado'], ['¿En qué voy?', 'estado'],
    ['salir', 'salir'], ['¿Qué está buscando?', 'buscar'], ['corregir', 'corregir'],
  ])('%j → %s', (text, kind) => {
    expect(parseCommand(text)?.kind).toBe(kind);
  });
  it('corregir carries the field name', () => {
    expect(parseCommand('Corregir fecha de nacimiento')).toEqual({ kind: 'corregir', field: 'fecha de nacimiento' });
  });
  it.each(['necesito ayuda con mi empresa por favor', 'ayudame a cancelar la cuenta', 'menu del dia', '', 'x'.repeat(100)])(
    '%j is not a command (a sentence that mentions one is not one)',
    (t) => {
      expect(parseCommand(t)).toBeUndefined();
    },
  );
});

describe('text helpers', () => {
  it.each([['Árbol  Ñandú', 'arbol nandu'], ['  ¿Qué   tal?  ', 'que tal'], ['860.007.336-1', '860.007.336-1']])('fold %j', (a, b) => {
    expect(fold(a)).toBe(b);
  });
  it.each([['servicios', 'servisios', 1], ['ab', 'ba', 1], ['kitten', 'sitting', 3], ['', 'abc', 3]])('distance %s %s', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
  it('masks', () => {
    expect(maskEmail('juana.perez@correo.com')).toBe('j***@correo.com');
    expect(maskDocument('52123456')).toBe('*****456');
    expect(maskDocument('12')).toBe('***');
  });
});
