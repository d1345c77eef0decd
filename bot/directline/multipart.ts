/**
 * A small multipart/form-data reader for Direct Line uploads: the whole body is read into memory
 * (with a byte cap, checked while reading), then split into parts. No temporary files.
 */

export interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

export class MultipartError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'MultipartError';
  }
}

/** The boundary of a multipart/form-data content type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}


function headerParam(value: string, param: string): string | undefined {
  const ext = new RegExp(`;\\s*${param}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(value);
  if (ext?.[1]) {
    try {
      return decodeURIComponent(ext[1].trim());
    } catch {
      /* fall through to the plain parameter */
    }
  }
  const m = new RegExp(`;\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** Splits a multipart body into at most `maxParts` parts. */
export function parseMultipart(body: Buffer, boundary: string, maxParts: number): Part[] {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF makes the first delimiter look like every other one.
  const buf = Buffer.concat([Buffer.from('\r\n'), body]);
  let pos = buf.indexOf(delimiter);
  if (pos < 0) throw new MultipartError(400, 'The multipart body has no parts.');
  const parts: Part[] = [];
  for (;;) {
    pos += delimiter.length;
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) return parts; // "--": closing delimiter
    const lineEnd = buf.indexOf('\r\n', pos);
    if (lineEnd < 0) break;
    const headerEnd = buf.indexOf('\r\n\r\n', lineEnd);
    if (headerEnd < 0) break;
    const next = buf.indexOf(delimiter, headerEnd + 4);
    if (next < 0) break;
    if (parts.length >= maxParts) throw new MultipartError(413, 'Too many files in one upload.');
    const headers = new Map<string, string>();
    for (const line of buf.toString('utf8', lineEnd + 2, headerEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    if (!/^form-data\s*;/i.test(disposition)) throw new MultipartError(400, 'A part has no form-data disposition.');
    const name = headerParam(disposition, 'name') ?? '';
    const filename = headerParam(disposition, 'filename');
    const contentType = headers.get('content-type');
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
      data: buf.subarray(headerEnd + 4, next),
    });
    pos = next;
  }
  throw new MultipartError(400, 'The multipart body is malformed.');
}
