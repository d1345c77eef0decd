import { describe, expect, it } from 'vitest';
import { findTerm, whatIsAsked, type Term } from './glosario.js';

describe('whatIsAsked', () => {
  it.each([
    ['¿Qué es un delegado?', 'un delegado'],
    ['que es una caja de compensacion', 'una caja de compensacion'],
    ['q es el nit', 'el nit'],
    ['que significa oauth', 'oauth'],
    ['qué quiere decir persona jurídica', 'persona juridica'],
    ['para que sirve el dv?', 'el dv'],
    ['que es eso del rut', 'rut'],
    ['me puede explicar que es un servicio web', 'un servicio web'],
    ['expliqueme que es la llave publica', 'la llave publica'],
    ['que es un autorizado y que hace', 'un autorizado'],
    ['no se que es un delegado', 'un delegado'],
    ['disculpe, ¿qué son las credenciales?', 'las credenciales'],
    ['¿Cuál es mi usuario?', 'usuario'],
    ['olvide mi usuario', 'usuario'],
    ['k significa swagger', 'swagger'],
    ['pa q sirve el rut', 'el rut'],
  ])('%s → %s', (text, asked) => {
    expect(whatIsAsked(text)).toBe(asked);
  });

  it.each(['que es esto', 'para que sirve esto', 'que hago', 'quiero registrar la empresa', 'delegado', 'no se', 'que es', 'cual es el estado de mi caja', 'olvide mi contrasena'])('"%s" asks about no word', (text) => {
    expect(whatIsAsked(text)).toBeUndefined();
  });

  it('a long text is no such question', () => {
    expect(whatIsAsked(`que es ${'muy '.repeat(40)}largo`)).toBeUndefined();
  });
});

describe('findTerm', () => {
  const terms: Term[] = [
    { id: 'rol-ccf', termino: 'Rol Caja de Compensación Familiar', palabras: ['rol ccf', 'rol caja'] },
    { id: 'ccf', termino: 'Caja de Compensación Familiar', palabras: ['caja de compensacion', 'ccf', 'caja'] },
    { id: 'nit', termino: 'NIT', palabras: ['nit'] },
  ];
  const id = (asked: string) => findTerm(asked, terms)?.id;

  it('the way of writing that names the asked words most closely wins', () => {
    expect(id('una caja de compensacion')).toBe('ccf');
    expect(id('el rol ccf')).toBe('rol-ccf');
    expect(id('ccf')).toBe('ccf');
    expect(id('la caja')).toBe('ccf');
  });

  it('tolerates a typo and a word more', () => {
    expect(id('caja de compensasion')).toBe('ccf');
    expect(id('el nit de la empresa')).toBe('nit');
  });

  it('names nothing when the asked words are mostly others', () => {
    expect(id('un perro')).toBeUndefined();
    expect(id('el nit del perro de la vecina')).toBeUndefined();
    expect(id('')).toBeUndefined();
  });
});
