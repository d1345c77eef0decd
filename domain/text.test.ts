import { describe, expect, it } from 'vitest';
import { fold, foldLabel, isSentence, writtenOut } from './text.js';

describe('writtenOut: chat shorthand written out', () => {
  it.each([
    ['q pasa si no acepto', 'que pasa si no acepto'],
    ['xq me piden esto', 'por que me piden esto'],
    ['pa q sirve', 'para que sirve'],
    ['k significa swagger', 'que significa swagger'],
  ])('%j → %j', (text, out) => expect(writtenOut(fold(text))).toBe(out));

  it('leaves words that only start like shorthand', () => expect(writtenOut('queso para pan kilo')).toBe('queso para pan kilo'));
});

describe('isSentence: three words or more', () => {
  it.each(['mejor después, volver', 'cuanto se demora el ministerio'])('%j is', (text) => expect(isSentence(text)).toBe(true));
  it.each(['volver', 'Sede principal', '', undefined, '   '])('%j is not', (text) => expect(isSentence(text)).toBe(false));
});

describe('foldLabel: fold, remembered for the assistant\'s own short texts', () => {
  it('gives what fold gives, for texts seen again, past the memory\'s bound, and for long texts', () => {
    const samples = ['Sí, confirmar', 'MEDELLÍN', '  Bogotá, D.C. ', 'Ñuñoa-', 'a'.repeat(150) + ' Á'];
    const first = samples.map(foldLabel);
    expect(first).toEqual(['si confirmar', 'medellin', 'bogota d.c', 'nunoa', 'a'.repeat(150) + ' a']);
    expect(first).toEqual(samples.map(fold));
    for (let i = 0; i < 5_000; i++) foldLabel(`Texto número ${i}`);
    expect(samples.map(foldLabel)).toEqual(first);
    expect(foldLabel('Texto número 4999')).toBe('texto numero 4999');
  });
});
