/**
 * The RUT attachment: one PDF (recognized by its signature, not its name), at most 1 MB, with pages 1
 * and 3 of the RUT (so at least 2 pages), issued no more than a year ago.
 */
import { inflateSync } from 'node:zlib';
import { err, ok, type Result } from './result.js';

export const RUT_MAX_BYTES = 1024 * 1024;
export const RUT_MAX_AGE_DAYS = 365;
/** Pages 1 and 3 of the RUT. */
export const RUT_MIN_PAGES = 2;

export type RutReason = 'rut.no_pdf' | 'rut.muy_grande' | 'rut.vacio' | 'rut.paginas' | 'rut.fecha_futura' | 'rut.fecha_antigua';

const PDF_SIGNATURE = '%PDF-';
/** Decompressed object streams are bounded: a small file must not inflate into gigabytes. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;
const MAX_OBJECT_STREAMS = 256;
/** How far around `/ObjStm` the stream dictionary is looked for. */
const DICT_WINDOW = 4096;
const DAY = 86_400_000;

/** Page objects: `/Type /Page` not followed by a name character (so not `/Pages`). */
const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z0-9#_.-])/g;
const countPages = (text: string): number => text.match(PAGE_OBJECT)?.length ?? 0;

/**
 * Page objects inside compressed object streams (PDF 1.5+, `/Type /ObjStm` with `/FlateDecode`),
 * where `/Type /Page` does not appear in the raw file. Work is bounded for hostile files.
 */
function countPagesInObjectStreams(bytes: Uint8Array, text: string): number {
  let pages = 0;
  let budget = MAX_INFLATED_BYTES;
  let examined = 0;
  for (let i = text.indexOf('/ObjStm'); i >= 0 && examined < MAX_OBJECT_STREAMS && budget > 0; i = text.indexOf('/ObjStm', i + 1)) {
    examined++;
    const dictStart = Math.max(text.lastIndexOf('obj', i), i - DICT_WINDOW);
    const keyword = text.slice(i, i + DICT_WINDOW).indexOf('stream');
    if (keyword < 0) continue;
    const streamAt = i + keyword;
    if (!/\/Filter\s*\/FlateDecode\b/.test(text.slice(dictStart, streamAt))) continue;
    const eol = /^stream\r?\n/.exec(text.slice(streamAt, streamAt + 8));
    if (!eol) continue;
    const end = text.indexOf('endstream', streamAt);
    if (end < 0) break;
    try {
      const inflated = inflateSync(bytes.subarray(streamAt + eol[0].length, end), { maxOutputLength: budget });
      budget -= inflated.length;
      pages += countPages(inflated.toString('latin1'));
    } catch {
      // A damaged or oversized stream: its pages are not counted.
    }
    i = end;
  }
  return pages;
}

/** Checks an uploaded RUT: not empty, at most RUT_MAX_BYTES, a PDF by signature, at least RUT_MIN_PAGES pages. */
export function checkRutFile(bytes: Uint8Array): Result<{ pages: number }, { code: RutReason }> {
  if (bytes.length === 0) return err({ code: 'rut.vacio' });
  if (bytes.length > RUT_MAX_BYTES) return err({ code: 'rut.muy_grande' });
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith(PDF_SIGNATURE)) return err({ code: 'rut.no_pdf' });
  const pages = countPages(text) || countPagesInObjectStreams(bytes, text);
  if (pages < RUT_MIN_PAGES) return err({ code: 'rut.paginas' });
  return ok({ pages });
}

/**
 * The RUT's issue date (ISO `YYYY-MM-DD`, as parseDate gives it): not after today and not more than
 * RUT_MAX_AGE_DAYS before it (calendar days in UTC, as the date parsers count them).
 */
export function checkRutIssueDate(isoDate: string, today: Date): Result<string, { code: RutReason }> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const issued = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (Number.isNaN(issued) || new Date(issued).toISOString().slice(0, 10) !== isoDate) {
    throw new TypeError('checkRutIssueDate expects an ISO date (YYYY-MM-DD)');
  }
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (issued > todayUtc) return err({ code: 'rut.fecha_futura' });
  if ((todayUtc - issued) / DAY > RUT_MAX_AGE_DAYS) return err({ code: 'rut.fecha_antigua' });
  return ok(isoDate);
}
