import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../dialogs/format.js';
import { fill, render } from './render.js';

describe('a time at the end of a sentence', () => {
  const at = formatDateTime('2026-12-03T15:44:00.000Z'); // "3 de diciembre de 2026, 10:44 a. m."

  it('keeps one period (two show as an ellipsis in the chat: "a. m…")', () => {
    expect(at).toMatch(/a\.\s?m\.$/);
    expect(fill('Aceptada el {{fecha}}.', { fecha: at })).toBe(`Aceptada el ${at}`);
    expect(fill('A las {{hora}}. Siga.', { hora: '4:05 p. m.' })).toBe('A las 4:05 p. m. Siga.');
    const resumen = render('mis-datos/resumen', { autorizacion: { version: '1.0', aceptadaEn: at } });
    expect(resumen).toContain(`aceptada el ${at}\n`);
    expect(resumen).not.toContain('m..');
  });

  it('an ellipsis typed on purpose stays', () => {
    expect(fill('Espere {{x}}', { x: 'un momento...' })).toBe('Espere un momento...');
  });
});

describe('fill: a catalog string without an expression', () => {
  it('comes back as written, trimmed, its Markdown and single braces untouched', () => {
    expect(fill('  Escriba **ayuda** o {x} si lo necesita.  ', { x: 'no' })).toBe('Escriba **ayuda** o {x} si lo necesita.');
    expect(fill('Cerrado a las 4:05 p. m..')).toBe('Cerrado a las 4:05 p. m.');
  });

  it('a string with an expression is still rendered', () => {
    expect(fill('Hola, {{nombre}}.', { nombre: 'Luz' })).toBe('Hola, Luz.');
    expect(fill('{{#if x}}sí{{else}}no{{/if}}', {})).toBe('no');
  });
});
