import { describe, expect, it } from 'vitest';
import { parseDocumento } from './mesa.forms.js';

const ctx = { values: {}, today: new Date('2026-12-01T15:00:00Z') };

describe('parseDocumento: a document as an agent types what the person says', () => {
  it.each([
    ['CC 70123456', { tipo: 'CC', numero: '70123456' }],
    ['cc 70.123.456', { tipo: 'CC', numero: '70123456' }],
    ['cc70123456', { tipo: 'CC', numero: '70123456' }],
    ['cedula 70123456', { tipo: 'CC', numero: '70123456' }],
    ['cédula de ciudadanía 70 123 456', { tipo: 'CC', numero: '70123456' }],
    ['CC:70123456', { tipo: 'CC', numero: '70123456' }],
    ['ce 654321', { tipo: 'CE', numero: '654321' }],
    ['pasaporte AB123456', { tipo: 'PA', numero: 'AB123456' }],
  ])('"%s"', (raw, value) => {
    expect(parseDocumento(raw, ctx)).toEqual({ ok: true, value });
  });

  it.each([
    ['70123456', 'mesa.documento.tipo'],
    ['xx 70123456', 'mesa.documento.tipo'],
    ['jose restrepo', 'mesa.documento.formato'],
    ['cc 70a123', 'document_number.digits'],
  ])('"%s" is re-asked (%s)', (raw, code) => {
    const r = parseDocumento(raw, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});
