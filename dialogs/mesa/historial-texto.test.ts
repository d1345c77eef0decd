/** The helpdesk's history in plain Spanish: one sentence per audit action, Bogotá time, channel names. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRANSICIONES } from '../../domain/asignaciones.js';
import { ACCIONES_MESA, type LineaHistorial } from '../../domain/mesa-ayuda.js';
import { messages } from '../../templates/render.js';
import { canalName, historialLine, historialSentence } from './historial-texto.js';

const DOMAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'domain');
const catalogo = messages<Record<string, unknown>>('mesa/historial');

/** Audit action literals written by domain/ (audit(...) and note(...) calls; actions built with `prefix.${x}` expanded). */
function domainAuditActions(): { actions: Set<string>; dynamic: Set<string> } {
  const actions = new Set<string>();
  const dynamic = new Set<string>();
  for (const f of readdirSync(DOMAIN).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const src = readFileSync(join(DOMAIN, f), 'utf8');
    for (const m of src.matchAll(/\b(?:audit|note)\(/g)) {
      let depth = 1;
      let i = m.index + m[0].length;
      const start = i;
      while (i < src.length && depth > 0) depth += src[i] === '(' ? 1 : src[i] === ')' ? -1 : 0, i++;
      // Object literals (the detail) hold other dotted strings ({ accion: 'mesa.consultar' }): left out.
      let args = src.slice(start, i - 1);
      for (let prev = ''; prev !== args; ) [prev, args] = [args, args.replace(/(?<!\$)\{[^{}]*\}/g, '')];
      for (const a of args.matchAll(/'([a-z]+\.[a-z_]+)'/g)) actions.add(a[1]!);
      for (const a of args.matchAll(/`([a-z]+\.[a-z_]*)\$\{/g)) dynamic.add(a[1]!);
    }
  }
  return { actions, dynamic };
}

/** What each dynamic prefix can become. */
const EXPANSIONS: Record<string, readonly string[]> = {
  'mesa.': ACCIONES_MESA,
  'servicios.asignacion_': [...new Set(Object.values(TRANSICIONES).map((t) => t.hacia))],
};

const line = (over: Partial<LineaHistorial> = {}): LineaHistorial => ({
  en: '2026-11-30T15:42:00.000Z',
  accion: 'empleador.registrado',
  canal: 'webchat',
  quien: 'José Restrepo',
  detalle: { estado: 'activo', rut: false, reemplazaRechazado: false, correo: 's***@comfama.com.co' },
  sujeto: 'NIT 890.900.841-9',
  empresa: 'COMFAMA',
  ...over,
});

describe('historialLine', () => {
  it('date and time in Bogotá, who, what, where', () => {
    expect(historialLine(line())).toBe('30/11 10:42 — José Restrepo registró el rol empleador de COMFAMA (Web Chat)');
  });

  it.each([
    ['2026-12-01T04:59:00.000Z', '30/11 23:59'],
    ['2026-12-01T05:00:00.000Z', '01/12 00:00'],
    ['2027-01-05T13:07:00.000Z', '05/01 08:07'],
  ])('%s reads %s', (en, shown) => {
    expect(historialLine(line({ en }))).toMatch(new RegExp(`^${shown} — `));
  });

  it.each([
    ['webchat', 'Web Chat'],
    ['directline', 'Web Chat'],
    ['msteams', 'Teams'],
    ['system', 'sistema'],
    ['web', 'página web'],
    ['otro-canal', 'otro-canal'],
  ])('channel %s is "%s"', (canal, name) => {
    expect(canalName(canal)).toBe(name);
    expect(historialLine(line({ canal }))).toMatch(new RegExp(`\\(${name}\\)$`));
  });

  it('who is unknown: "Alguien"; the system acting: "El asistente"', () => {
    const { quien: _q, ...anon } = line();
    expect(historialSentence(anon)).toBe('Alguien registró el rol empleador de COMFAMA');
    expect(historialLine({ ...anon, accion: 'registro.bloqueo_vencido', canal: 'system', detalle: {} })).toMatch(/— Terminó el bloqueo/);
    expect(historialSentence({ ...anon, accion: 'retencion.ejecutada', canal: 'system', detalle: {} })).toBe('El asistente aplicó la política de retención de datos');
  });

  it('details fill the sentence: a pending RUT, a delegate invited, a helpdesk reason and case', () => {
    expect(historialSentence(line({ detalle: { estado: 'pendiente_revision' } }))).toBe('José Restrepo registró el rol empleador de COMFAMA (pendiente de la revisión del RUT)');
    expect(historialSentence(line({ accion: 'empleador.delegado_designado', detalle: { delegado: 'CC *******345', estado: 'invitado' } }))).toBe(
      'José Restrepo designó a CC *******345 como delegado de COMFAMA (invitado a registrarse)',
    );
    expect(
      historialSentence(line({ accion: 'mesa.bloqueo_identidad_levantado', quien: 'Alejandro Ibáñez', sujeto: 'CC *******567', empresa: undefined, detalle: { motivo: 'Llamó a la línea', caso: 'M-4F7K2Q' } })),
    ).toBe('Alejandro Ibáñez, de la mesa de ayuda, levantó el bloqueo de identidad (caso M-4F7K2Q). Motivo: Llamó a la línea');
  });

  it('an action without a sentence still reads', () => {
    expect(historialSentence(line({ accion: 'algo.nuevo', detalle: {} }))).toBe('José Restrepo: algo.nuevo');
    expect(historialSentence(line({ accion: '_canales', detalle: {} }))).toBe('José Restrepo: _canales');
  });
});

describe('templates/es/mesa/historial.json', () => {
  const { actions, dynamic } = domainAuditActions();

  it('finds the actions of domain/ (the scan itself works)', () => {
    expect(actions.size).toBeGreaterThan(50);
    for (const a of ['registro.creado', 'ingreso.exitoso', 'correo.enviado', 'empleador.registrado', 'autorizados.autorizado', 'mesa.rechazado']) expect(actions).toContain(a);
    expect([...dynamic].sort()).toEqual(Object.keys(EXPANSIONS).sort());
  });

  it('has a sentence for every audit action written by domain/', () => {
    const all = [...actions, ...[...dynamic].flatMap((p) => (EXPANSIONS[p] ?? []).map((x) => `${p}${x}`))];
    const missing = all.filter((a) => typeof catalogo[a] !== 'string');
    expect(missing).toEqual([]);
  });

  it('every sentence renders with empty details, leaving no braces', () => {
    for (const [accion, t] of Object.entries(catalogo)) {
      if (accion.startsWith('_') || typeof t !== 'string') continue;
      const text = historialSentence(line({ accion, detalle: {} }));
      expect(text, accion).not.toMatch(/[{}]/);
      expect(text.length, accion).toBeGreaterThan(10);
    }
  });
});
