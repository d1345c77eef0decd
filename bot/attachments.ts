/** Downloads a file a person attached: a Direct Line upload of this assistant, or a Teams file. */
import type { Attachment } from 'botbuilder';
import type { AttachmentDownloader } from '../dialogs/empleador/empleador.dialog.js';

const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';

/** Only URLs of this assistant (loopback) or HTTPS ones handed over by the channel are fetched. */
function allowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'));
  } catch {
    return false;
  }
}

export function createAttachmentDownloader(timeoutMs = 15_000): AttachmentDownloader {
  return async (attachment: Attachment, maxBytes: number) => {
    const url =
      attachment.contentType === TEAMS_FILE
        ? (attachment.content as { downloadUrl?: string } | undefined)?.downloadUrl
        : attachment.contentUrl;
    const name = (attachment.name ?? 'archivo').slice(0, 120);
    if (!url || !allowed(url)) return { ok: false, error: { code: 'attachment.download' } };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      if (!res.ok || !res.body) return { ok: false, error: { code: 'attachment.download' } };
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        await res.body.cancel();
        return { ok: false, error: { code: 'rut.muy_grande' } };
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > maxBytes) return { ok: false, error: { code: 'rut.muy_grande' } };
        chunks.push(chunk);
      }
      return { ok: true, value: { bytes: Buffer.concat(chunks), name } };
    } catch {
      return { ok: false, error: { code: 'attachment.download' } };
    }
  };
}
