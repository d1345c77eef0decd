/**
 * The web-services pages (DESIGN §2, step 5): the full terms of use and privacy policy the chat
 * summarizes (GET /servicios/terminos, public), and a service's documentation with the official
 * Swagger UI behind a short-lived signed link (bot/doc-links.ts), checked again on every request by
 * domain/servicios-ccf.ts `documentForLink`. Swagger UI's stylesheet and bundle come from the
 * installed swagger-ui-dist package, and nothing else of it. Every refusal is a Spanish page.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type restify from 'restify';
import { documentForLink, type ServiciosCcfDeps, type ServiciosCcfError, type Versiones } from '../domain/servicios-ccf.js';
import type { Logger } from '../domain/ports.js';
import { formatTime } from '../dialogs/format.js';
import { terminos, TERMINOS_PATH } from '../dialogs/servicios/texts.js';
import { fill, messages, renderHtml } from '../templates/render.js';
import { docPagePath, type DocLinks } from './doc-links.js';
import { boldSegments, PRIVACY_PATH } from './privacy-page.js';
import { ACCOUNT_PAGE_CSP, BASE_SECURITY_HEADERS, DEFAULT_CSP, pageHeaders } from './security-headers.js';

export interface ServiciosPagesDeps {
  readonly links: DocLinks;
  readonly servicios: ServiciosCcfDeps;
  /** The versions of the terms in force (dialogs/servicios/texts.ts `terminosVigentes`). */
  readonly vigentes: () => Versiones;
  readonly log: Logger;
}

/**
 * The documentation page: Swagger UI's bundle, our starter and the stylesheets from this origin, the
 * OpenAPI document fetched from this origin; images as data: URLs (Swagger UI's icons). No inline
 * script or style, no eval (Swagger UI sets styles through the DOM, which the policy allows; the
 * browser test fails on any refusal).
 */
export const SWAGGER_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The only files of swagger-ui-dist that are served, with their types. */
export const SWAGGER_UI_FILES: Readonly<Record<string, string>> = Object.freeze({
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
});

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'es', 'web');
// Our own files of the page (templates/es/web), served under /servicios/.
const OWN_FILES: Readonly<Record<string, string>> = Object.freeze({
  'swagger-init.js': 'text/javascript; charset=utf-8',
  'swagger-page.css': 'text/css; charset=utf-8',
});
// The account pages' stylesheet and icon (bot/account-pages.ts serves them).
const CSS_PATH = '/cuenta/cuenta.css';
const ICON_PATH = '/cuenta/icono.svg';
const ONE_YEAR = 365 * 86_400;

interface Mensaje {
  readonly titulo: string;
  readonly parrafos: readonly string[];
}
type Rechazo =
  | 'vencido'
  | 'invalido'
  | 'no-autorizado'
  | 'rol-desactivado'
  | 'rol-inactivo'
  | 'terminos'
  | 'no-asignado'
  | 'revocado'
  | 'retirado'
  | 'no-disponible'
  | 'fallo';
interface Pagina {
  readonly terminos: { readonly intro: string; readonly version: string; readonly indice: string; readonly privacidad: string; readonly comoAceptar: string };
  readonly documentacion: { readonly titulo: string; readonly aviso: string; readonly soloLectura: string; readonly region: string; readonly sinScript: string };
  readonly rechazos: Readonly<Record<Rechazo, Mensaje>>;
}

/** The installed swagger-ui-dist package: its folder and version. */
export function swaggerUiDist(): { dir: string; version: string } {
  const pkg = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json');
  const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
  if (json.name !== 'swagger-ui-dist') throw new Error('swagger-ui-dist is not installed');
  return { dir: dirname(pkg), version: json.version ?? '0' };
}

/** Why a signed link does not open the documentation, and the status of the page that says it. */
export function refusalOf(error: ServiciosCcfError): { rechazo: Rechazo; status: number } {
  switch (error.code) {
    case 'SERVICIOS.NO_AUTORIZADO':
    case 'SERVICIOS.SIN_ROL_CCF':
      return { rechazo: 'no-autorizado', status: 403 };
    case 'SERVICIOS.ROL_CCF_INACTIVO':
      return { rechazo: error.desactivado ? 'rol-desactivado' : 'rol-inactivo', status: 403 };
    case 'SERVICIOS.TERMINOS_PENDIENTES':
      return { rechazo: 'terminos', status: 403 };
    case 'SERVICIOS.NO_ASIGNADO':
      return { rechazo: 'no-asignado', status: 403 };
    case 'SERVICIOS.NO_DISPONIBLE':
      if (error.estado === 'revocado') return { rechazo: 'revocado', status: 403 };
      if (error.estado === 'retirado') return { rechazo: 'retirado', status: 410 };
      return { rechazo: 'no-disponible', status: 404 };
  }
}

// ---------------------------------------------------------------- the terms page

const longDate = new Intl.DateTimeFormat('es-CO', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'America/Bogota' });
/** "2026-12-01" → "1 de diciembre de 2026" (a calendar date of Colombia). */
export const spanishDate = (isoDate: string): string => longDate.format(new Date(`${isoDate}T12:00:00-05:00`));

type Segmento = { text: string; bold: boolean; href?: string };

/** A paragraph of the terms as segments: **bold** and the {{privacidad}} link; any other placeholder fails here. */
export function paragraphSegments(text: string, privacidad: { href: string; text: string }): Segmento[] {
  const parts = text.split(/\{\{\s*privacidad\s*\}\}/);
  if (parts.some((p) => p.includes('{{'))) throw new Error(`templates/es/servicios/terminos.json: unknown placeholder in "${text.slice(0, 60)}…"`);
  return parts.flatMap((p, i) => [...boldSegments(p), ...(i < parts.length - 1 ? [{ text: privacidad.text, bold: false, href: privacidad.href }] : [])]);
}

/** The terms page, rendered once (its content changes only with the templates). */
export function termsPageHtml(): string {
  const t = messages('web/cuenta');
  const p = messages<Pagina>('servicios/pagina').terminos;
  const texto = terminos();
  const privacidad = { href: PRIVACY_PATH, text: p.privacidad };
  return renderHtml('web/terminos', {
    t,
    p,
    css: CSS_PATH,
    icono: ICON_PATH,
    titulo: texto.titulo,
    documentos: texto.documentos.map((d) => ({
      id: d.id,
      titulo: d.titulo,
      version: fill(p.version, { version: d.version, fecha: spanishDate(d.fecha) }),
      secciones: d.secciones.map((s) => ({ titulo: s.titulo, parrafos: s.parrafos.map((x) => paragraphSegments(x, privacidad)) })),
    })),
  });
}

// ---------------------------------------------------------------- static files

interface Asset {
  readonly plain: Buffer;
  readonly gzipped: Buffer;
  readonly etag: string;
  readonly type: string;
}

/** Reads and gzips a file once, on first use. */
function lazyAsset(path: string, type: string): () => Promise<Asset> {
  let asset: Promise<Asset> | undefined;
  return () => {
    asset ??= (async () => {
      const plain = readFileSync(path);
      const gzipped = await promisify(gzip)(plain);
      return { plain, gzipped, type, etag: `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"` };
    })().catch((e: unknown) => {
      asset = undefined;
      throw e;
    });
    return asset;
  };
}

function sendAsset(req: restify.Request, res: restify.Response, a: Asset, cacheControl: string): void {
  const headers: Record<string, string> = { 'Content-Type': a.type, 'Cache-Control': cacheControl, ETag: a.etag, Vary: 'Accept-Encoding', ...BASE_SECURITY_HEADERS };
  if (req.headers['if-none-match'] === a.etag) {
    res.sendRaw(304, '', headers);
    return;
  }
  const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.sendRaw(200, gz ? a.gzipped : a.plain, gz ? { ...headers, 'Content-Encoding': 'gzip' } : headers);
}

const notFound = (res: restify.Response): void => {
  res.sendRaw(404, 'No encontrado.', { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...BASE_SECURITY_HEADERS });
};

/** A short hash of a file's bytes, to version its URL. */
const versionOf = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('base64url').slice(0, 12);

// ---------------------------------------------------------------- routes

/** Registers the terms page, the signed documentation page and its OpenAPI document, and their assets. */
export function registerServiciosPages(server: restify.Server, deps: ServiciosPagesDeps): void {
  const log = deps.log.child({ component: 'servicios-web-paginas' });
  const t = messages('web/cuenta');
  const pagina = messages<Pagina>('servicios/pagina');
  const terms = termsPageHtml();
  const dist = swaggerUiDist();
  const swaggerAssets = new Map(Object.entries(SWAGGER_UI_FILES).map(([name, type]) => [name, lazyAsset(join(dist.dir, name), type)]));
  const ownAssets = new Map(Object.entries(OWN_FILES).map(([name, type]) => [name, lazyAsset(join(WEB_DIR, name), type)]));
  const own = (name: string) => `/servicios/${name}?${versionOf(join(WEB_DIR, name))}`;
  const urls = {
    swaggerCss: `/swagger-ui/swagger-ui.css?v=${dist.version}`,
    bundle: `/swagger-ui/swagger-ui-bundle.js?v=${dist.version}`,
    init: own('swagger-init.js'),
    paginaCss: own('swagger-page.css'),
  };

  const refusalPage = (rechazo: Rechazo, data: Record<string, unknown> = {}): string => {
    const m = pagina.rechazos[rechazo];
    return renderHtml('web/servicios-aviso', { t, css: CSS_PATH, icono: ICON_PATH, titulo: m.titulo, parrafos: m.parrafos.map((p) => fill(p, data)) });
  };
  const refuse = (res: restify.Response, status: number, rechazo: Rechazo, data: Record<string, unknown> = {}): void => {
    res.sendRaw(status, refusalPage(rechazo, data), pageHeaders(ACCOUNT_PAGE_CSP));
  };

  /** Checks the link and, now, the person, the CCF, the terms and the assignment; the refusal page when any fails. */
  const open = async (req: restify.Request, res: restify.Response, via: 'pagina' | 'documento') => {
    const servicioId = String((req.params as Record<string, unknown> | undefined)?.['servicio'] ?? '');
    const query = (req.query ?? {}) as Record<string, unknown>;
    const link = deps.links.verify(servicioId, query);
    if (!link.ok) {
      log.info('documentation link refused', { via, outcome: link.reason });
      refuse(res, link.reason === 'vencido' ? 410 : 403, link.reason);
      return undefined;
    }
    const actor = { ref: link.persona, channel: 'pagina' };
    const r = await documentForLink(deps.servicios, link.nit, servicioId, (id) => deps.links.isPerson(link.persona, id), deps.vigentes(), actor, via);
    if (!r.ok) {
      const { rechazo, status } = refusalOf(r.error);
      log.info('documentation refused', { via, servicio: servicioId, nit: link.nit, outcome: r.error.code });
      refuse(res, status, rechazo, { id: servicioId });
      return undefined;
    }
    log.info('documentation served', { via, servicio: servicioId, nit: link.nit, persona: link.persona });
    return { ...r.value, query: { c: link.nit, p: link.persona, exp: String(query['exp']), sig: String(query['sig']) } };
  };

  /** A fault (storage, files) is logged and answered with a page, never with its trace. */
  const guarded = (name: string, handler: (req: restify.Request, res: restify.Response) => Promise<void>) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      try {
        await handler(req, res);
      } catch (e) {
        log.error('page failed', { page: name, err: e instanceof Error ? e.message : String(e) });
        if (!res.headersSent) refuse(res, 500, 'fallo');
      }
    };

  server.get(TERMINOS_PATH, async (_req: restify.Request, res: restify.Response) => {
    res.sendRaw(200, terms, pageHeaders(ACCOUNT_PAGE_CSP));
  });

  server.get(
    '/servicios/documentacion/:servicio',
    guarded('documentacion', async (req, res) => {
      const doc = await open(req, res, 'pagina');
      if (!doc) return;
      const { servicio } = doc.servicio;
      const d = pagina.documentacion;
      const titulo = fill(d.titulo, { metodo: servicio.metodo, id: servicio.id });
      const html = renderHtml('web/swagger', {
        t,
        css: CSS_PATH,
        icono: ICON_PATH,
        ...urls,
        titulo,
        nombre: servicio.nombre,
        aviso: fill(d.aviso, { hora: formatTime(new Date(Number(doc.query.exp) * 1000).toISOString()) }),
        soloLectura: d.soloLectura,
        region: d.region,
        sinScript: d.sinScript,
        specUrl: `${docPagePath(servicio.id)}/openapi.json?${new URLSearchParams(doc.query).toString()}`,
      });
      res.sendRaw(200, html, pageHeaders(SWAGGER_PAGE_CSP));
    }),
  );

  server.get(
    '/servicios/documentacion/:servicio/openapi.json',
    guarded('openapi', async (req, res) => {
      const doc = await open(req, res, 'documento');
      if (!doc) return;
      res.sendRaw(200, doc.json, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        ...BASE_SECURITY_HEADERS,
        'Content-Security-Policy': DEFAULT_CSP,
      });
    }),
  );

  server.get(
    '/servicios/:asset',
    guarded('asset', async (req, res) => {
      const name = String((req.params as Record<string, unknown> | undefined)?.['asset'] ?? '');
      const asset = Object.hasOwn(OWN_FILES, name) ? ownAssets.get(name) : undefined;
      if (!asset) return notFound(res);
      sendAsset(req, res, await asset(), 'public, max-age=86400');
    }),
  );

  server.get(
    '/swagger-ui/:file',
    guarded('swagger-ui', async (req, res) => {
      const name = String((req.params as Record<string, unknown> | undefined)?.['file'] ?? '');
      const asset = Object.hasOwn(SWAGGER_UI_FILES, name) ? swaggerAssets.get(name) : undefined;
      if (!asset) return notFound(res);
      // The page asks for ?v=<package version>: an upgrade changes the URL, so the copy may be kept long.
      sendAsset(req, res, await asset(), `public, max-age=${ONE_YEAR}, immutable`);
    }),
  );
}
