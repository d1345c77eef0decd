import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../dialogs/format.js';
import { fill, preparedOnce, render, renderHtml, type RuntimeTemplate } from './render.js';

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

describe('preparedOnce: a template prepared at its first top-level render', () => {
  const fake = () => {
    const calls: Record<string, unknown>[] = [];
    const tpl = Object.assign(() => '', { _setup: (options: Record<string, unknown>) => void calls.push(options) }) as RuntimeTemplate;
    return { tpl: preparedOnce(tpl), calls };
  };

  it('prepares it once for every plain render; a render with options (a partial\'s) is prepared each time, and the next plain one again', () => {
    const { tpl, calls } = fake();
    tpl._setup({});
    tpl._setup({});
    tpl._setup({});
    expect(calls).toHaveLength(1);
    tpl._setup({ partial: true, helpers: {} });
    tpl._setup({ partial: true, helpers: {} });
    expect(calls).toHaveLength(3);
    tpl._setup({});
    tpl._setup({});
    expect(calls).toHaveLength(4);
  });

  it('the templates render the same, again and again, with their helpers and partials, escaped or not', () => {
    const outputs = ['Ana <b>', 'Luz & Sol', 'Ana <b>'].map((nombre, i) => ({
      fill: fill('{{#if (eq n 1)}}uno{{else}}otro{{/if}} {{inc n}} {{md nombre}} {{#each xs}}[{{this}}]{{/each}}', { n: i, nombre, xs: [i, nombre] }),
      html: renderHtml('correo/cuenta-activada', { nombre }),
    }));
    expect(outputs[0]!.fill).toBe('otro 1 Ana \\<b\\> [0][Ana <b>]');
    expect(outputs[1]!.fill).toBe('uno 2 Luz & Sol [1][Luz & Sol]');
    expect(outputs[2]!.fill).toBe('otro 3 Ana \\<b\\> [2][Ana <b>]');
    expect(outputs[0]!.html).toContain('Ana &lt;b&gt;');
    expect(outputs[0]!.html).toMatch(/^<!DOCTYPE html>|<html/i); // the frame, a partial
    expect(outputs[1]!.html).toContain('Luz &amp; Sol');
    expect(outputs[2]!.html).toBe(outputs[0]!.html);
  });
});
