/** Short-lived signed links to stored files (the RUT for the MinSalud review), and the route serving them. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import type { BlobStore, Clock, Logger } from '../domain/ports.js';
import { FILE_LINK_MINUTES } from '../domain/rules.js';
import { render } from '../templates/render.js';

const TTL_SECONDS = FILE_LINK_MINUTES * 60;

export function createFileLinks(key: Buffer, clock: Clock, baseUrl: () => string) {
  const sign = (sha256: string, exp: number) => createHmac('sha256', key).update(`rut:${sha256}:${exp}`).digest('base64url');
  return {
    rutLink(sha256: string): string {
      const exp = Math.floor(clock.now().getTime() / 1000) + TTL_SECONDS;
      return `${baseUrl()}/archivos/rut/${sha256}?exp=${exp}&sig=${sign(sha256, exp)}`;
    },
    verify(sha256: string, exp: string, sig: string): boolean {
      const e = Number(exp);
      if (!/^[a-f0-9]{64}$/.test(sha256) || !Number.isInteger(e) || e < clock.now().getTime() / 1000) return false;
      const expected = Buffer.from(sign(sha256, e));
      const given = Buffer.from(sig);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export function registerFileRoutes(
  server: restify.Server,
  deps: { links: ReturnType<typeof createFileLinks>; blobs: BlobStore; log: Logger },
): void {
  server.get('/archivos/rut/:sha', async (req: restify.Request, res: restify.Response) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const sha = String(req.params?.sha ?? '');
    if (typeof q['exp'] !== 'string' || typeof q['sig'] !== 'string' || !deps.links.verify(sha, q['exp'], q['sig'])) {
      res.send(403, { error: render('archivos/enlace-invalido') });
      return;
    }
    const bytes = await deps.blobs.get(sha);
    if (!bytes) {
      res.send(404, { error: render('archivos/no-encontrado') });
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': String(bytes.byteLength),
      'content-disposition': 'attachment; filename="rut.pdf"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(Buffer.from(bytes));
    deps.log.info('rut file served', { file: sha.slice(0, 12) });
  });
}
