import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkRutFile, checkRutIssueDate, RUT_MAX_BYTES, type RutReason } from './rut.js';

/** A minimal well-formed PDF with `pages` pages (catalog, page tree, pages, xref, trailer). */
function minimalPdf(pages: number, opts: { padTo?: number } = {}): Uint8Array {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>');
  let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const tail = (xref: number) =>
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}` +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  if (opts.padTo !== undefined) {
    // A comment line fills the file to exactly padTo bytes (the xref offset has as many digits as padTo).
    const fill = opts.padTo - body.length - tail(opts.padTo).length - 2;
    body += `%${'x'.repeat(Math.max(0, fill))}\n`;
  }
  body += tail(body.length);
  return Buffer.from(body, 'latin1');
}

/** A PDF 1.5 whose page objects sit in a compressed object stream (no plain `/Type /Page` in the file). */
function compressedPdf(pages: number): Uint8Array {
  const inner = Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R >>').join('\n');
  const data = deflateSync(Buffer.from(`3 0 4 40\n${inner}`, 'latin1'));
  const head = Buffer.from(
    `%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Count ${pages} >>\nendobj\n` +
      `5 0 obj\n<< /Type /ObjStm /N ${pages} /First 8 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
    'latin1',
  );
  return Buffer.concat([head, data, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]);
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('checkRutFile', () => {
  it.each<[string, Uint8Array, { pages: number } | RutReason]>([
    ['a 2-page PDF (pages 1 and 3 of the RUT)', minimalPdf(2), { pages: 2 }],
    ['a 3-page PDF', minimalPdf(3), { pages: 3 }],
    ['pages in a compressed object stream', compressedPdf(2), { pages: 2 }],
    ['a PDF of exactly 1 MB', minimalPdf(2, { padTo: RUT_MAX_BYTES }), { pages: 2 }],
    ['a 1-page PDF', minimalPdf(1), 'rut.paginas'],
    ['a PDF whose only page object is the page tree (/Pages)', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >> endobj\n%%EOF'), 'rut.paginas'],
    ['a PNG image', PNG, 'rut.no_pdf'],
    ['a file named .pdf starting with other bytes', Buffer.concat([Buffer.from('GIF89a'), minimalPdf(2)]), 'rut.no_pdf'],
    ['a PDF signature not at the start', Buffer.concat([Buffer.from(' '), minimalPdf(2)]), 'rut.no_pdf'],
    ['1 MB + 1 byte', Buffer.concat([minimalPdf(2, { padTo: RUT_MAX_BYTES }), Buffer.from('\n')]), 'rut.muy_grande'],
    ['an empty file', new Uint8Array(0), 'rut.vacio'],
  ])('%s', (_name, bytes, expected) => {
    const r = checkRutFile(bytes);
    expect(r).toEqual(typeof expected === 'string' ? { ok: false, error: { code: expected } } : { ok: true, value: expected });
  });

  it('the 1 MB fixture is really at the limit', () => {
    expect(minimalPdf(2, { padTo: RUT_MAX_BYTES }).length).toBe(RUT_MAX_BYTES);
  });

  it('a compressed stream that inflates far beyond the limit is not followed to the end', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const head = Buffer.from(`%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, 'latin1');
    const file = Buffer.concat([head, bomb, Buffer.from('\nendstream\nendobj\n%%EOF\n')]);
    expect(file.length).toBeLessThan(RUT_MAX_BYTES);
    expect(checkRutFile(file)).toEqual({ ok: false, error: { code: 'rut.paginas' } });
  });
});

describe('checkRutIssueDate', () => {
  // 2026-11-26 10:00 in Bogotá.
  const today = new Date('2026-11-26T15:00:00.000Z');
  it.each<[string, true | RutReason]>([
    ['2026-11-26', true],
    ['2026-01-01', true],
    ['2025-11-26', true], // exactly 365 days
    ['2025-11-25', 'rut.fecha_antigua'],
    ['2020-05-01', 'rut.fecha_antigua'],
    ['2026-11-27', 'rut.fecha_futura'],
    ['2027-01-01', 'rut.fecha_futura'],
  ])('%s', (iso, expected) => {
    expect(checkRutIssueDate(iso, today)).toEqual(expected === true ? { ok: true, value: iso } : { ok: false, error: { code: expected } });
  });

  it.each(['2026-02-30', '26/11/2026', ''])('a value that is not an ISO date (%j) is a programming error', (iso) => {
    expect(() => checkRutIssueDate(iso, today)).toThrow(TypeError);
  });
});
