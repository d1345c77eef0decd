import { describe, expect, it } from 'vitest';
import { ok } from '../../domain/result.js';
import { startState } from './engine.js';
import { promptFor } from './form-render.js';
import type { FormSpec, SealedValue } from './form-spec.js';

/** Texts from templates/es/formularios/ejemplo-clave.json. */
const spec: FormSpec<{ usuario: string; clave: SealedValue; correo: string }> = {
  id: 'ejemplo-clave',
  fields: [
    { key: 'usuario', parse: (raw) => ok(raw) },
    { key: 'clave', parse: (raw) => ok(raw), secret: true },
    { key: 'correo', parse: (raw) => ok(raw) },
  ],
};

type Node = Record<string, unknown>;
const body = (values: Record<string, unknown>): Node[] => {
  const [activity] = promptFor(spec, { ...startState(values), current: undefined });
  return ((activity?.attachments?.[0]?.content as Node)['body'] as Node[]).slice(1);
};
const runs = (block: Node | undefined): Node[] => (block?.['inlines'] as Node[] | undefined) ?? [];

describe('the review card', () => {
  it('one RichTextBlock per answer: the bold label and the value as typed (TextRuns: never read as Markdown); no FactSet', () => {
    const rows = body({ usuario: '**Ana** _x_ [y](http://z)', clave: { $sealed: 's' }, correo: 'a@b.co' });
    expect(JSON.stringify(rows)).not.toContain('FactSet');
    expect(rows.map((r) => r['type'])).toEqual(['RichTextBlock', 'RichTextBlock', 'RichTextBlock']);
    expect(runs(rows[0])).toEqual([
      { type: 'TextRun', text: 'Usuario:', weight: 'Bolder' },
      { type: 'TextRun', text: ' **Ana** _x_ [y](http://z)' },
    ]);
    expect(runs(rows[1])[1]).toEqual({ type: 'TextRun', text: ' ••••••••' });
  });

  it('a value of several lines goes under its label in monospace, as stored; a very long one is cut with the count', () => {
    const json = JSON.stringify({ tipoDocumento: 'CC', numeroDocumento: '70123456' }, null, 2);
    const rows = body({ usuario: json, clave: { $sealed: 's' }, correo: 'a@b.co' });
    expect(runs(rows[0])).toEqual([{ type: 'TextRun', text: 'Usuario:', weight: 'Bolder' }]);
    expect(runs(rows[1])).toEqual([{ type: 'TextRun', text: json, fontType: 'Monospace' }]);
    const long = Array.from({ length: 100 }, (_, i) => `linea ${i}`).join('\n');
    const cut = String(runs(body({ usuario: long })[1])[0]?.['text']).split('\n');
    expect(cut).toHaveLength(30);
    expect(cut.at(-2)).toBe('linea 28');
    expect(cut.at(-1)).toBe('… (71 líneas más)');
  });
});
