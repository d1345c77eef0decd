/**
 * The account web pages: set the password of a new account (/cuenta/activar) or a forgotten one
 * (/cuenta/restablecer) from the one-time link of the e-mail, and lift a login lock from the
 * "¿Fue usted?" e-mail (/cuenta/desbloquear). Plain HTML forms, no scripts; the token and the
 * passwords are never logged and the passwords never come back in a page. Failed requests are
 * counted per remote address: past PAGE_FREE_FAILURES the address waits (doubling) before it is
 * served again (429).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';
import { inspectAccountToken, setPasswordWithToken, unlockWithToken, type CuentaDeps } from '../domain/cuenta.js';
import { Backoff, waitSeconds } from '../domain/throttle.js';
import type { Logger } from '../domain/ports.js';
import { fill, messages, renderHtml } from '../templates/render.js';
import { ACCOUNT_PAGE_CSP, BASE_SECURITY_HEADERS, pageHeaders } from './security-headers.js';

export interface AccountPagesDeps {
  readonly cuenta: CuentaDeps;
  readonly log: Logger;
}

type Tipo = 'activacion' | 'recuperacion';

/** A form post is three short fields: anything bigger is refused before it is parsed. */
export const MAX_FORM_BYTES = 8 * 1024;
/** The longest password the form accepts (maxlength of the inputs). */
export const MAX_PASSWORD_CHARS = 128;
const MAX_TOKEN_CHARS = 256;
/** A bigger body is not even drained: the connection is closed after the page. */
const MAX_DRAIN_BYTES = 1024 * 1024;
/** Failed requests from one address before it must wait; the wait doubles up to PAGE_MAX_WAIT_MS. */
export const PAGE_FREE_FAILURES = 20;
const PAGE_FIRST_WAIT_MS = 1000;
const PAGE_MAX_WAIT_MS = 15 * 60_000;
const PAGE_FORGET_MS = 60 * 60_000;

const PAGES: ReadonlyArray<{ readonly path: string; readonly tipo: Tipo; readonly name: string }> = [
  { path: '/cuenta/activar', tipo: 'activacion', name: 'activar' },
  { path: '/cuenta/restablecer', tipo: 'recuperacion', name: 'restablecer' },
];
const FORM_PATH = /^\/cuenta\/(?:activar|restablecer)$/;
const UNLOCK_PATH = '/cuenta/desbloquear';
const CSS_PATH = '/cuenta/cuenta.css';
const ICON_PATH = '/cuenta/icono.svg';

const PAGE_HEADERS: Readonly<Record<string, string>> = pageHeaders(ACCOUNT_PAGE_CSP);

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="16" fill="#3366cc"/>' +
  '<text x="16" y="20.5" font-family="Arial,sans-serif" font-size="11" font-weight="700" fill="#fff" text-anchor="middle">CCF</text></svg>';

interface Mensaje {
  readonly titulo: string;
  readonly parrafos: readonly string[];
}
type TokenCode = 'TOKEN.INVALIDO' | 'TOKEN.VENCIDO' | 'TOKEN.USADO';
interface Proceso extends Record<TokenCode, Mensaje> {
  readonly titulo: string;
  readonly saludo: string;
  readonly intro: string;
  readonly boton: string;
  readonly exito: Mensaje;
}
interface Textos {
  readonly sitio: string;
  readonly marca: string;
  readonly saltar: string;
  readonly volver: string;
  readonly prefijoError: string;
  readonly resumenErrores: string;
  readonly campos: { readonly clave: string; readonly confirmacion: string; readonly confirmacionAyuda: string };
  readonly politica: { readonly titulo: string; readonly reglas: readonly string[] };
  readonly errores: {
    readonly 'CLAVE.NO_COINCIDE': string;
    readonly 'CLAVE.POLITICA': string;
    readonly motivos: Readonly<Record<string, string>>;
    readonly repetir: string;
  };
  readonly procesos: Readonly<Record<Tipo, Proceso>>;
  readonly solicitud: Readonly<Record<'invalida' | 'grande' | 'tipo' | 'fallo' | 'espere', Mensaje>>;
  readonly desbloqueo: Readonly<Record<TokenCode | 'exito', Mensaje>>;
  readonly ayuda: { readonly titulo: string; readonly texto: string };
}

/** What came in a form post, read by this module (never by the general body parser). */
type FormBody =
  | { readonly kind: 'form'; readonly fields: URLSearchParams }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'aborted' };

interface FieldErrors {
  clave: string[];
  confirmacion: string[];
}

/** What a request ended in: the page to show and the outcome to log (a code, never a value). */
interface Outcome {
  readonly status: number;
  readonly html: string;
  readonly outcome: string;
  readonly close?: boolean;
  /** Seconds for a Retry-After header (429). */
  readonly retryAfter?: number;
}

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'es', 'web');

/** Registers GET and POST /cuenta/activar and /cuenta/restablecer, and their stylesheet. */
export function registerAccountPages(server: restify.Server, deps: AccountPagesDeps): void {
  const log = deps.log.child({ component: 'cuenta-web' });
  const textos = messages<Textos>('web/cuenta');
  const css = readFileSync(join(WEB_DIR, 'cuenta.css'));
  const cssVersion = createHash('sha256').update(css).digest('base64url').slice(0, 12);
  const cssHref = `${CSS_PATH}?${cssVersion}`;
  const bodies = new WeakMap<restify.Request, FormBody>();
  const failures = new Backoff({ free: PAGE_FREE_FAILURES, baseMs: PAGE_FIRST_WAIT_MS, maxMs: PAGE_MAX_WAIT_MS, forgetMs: PAGE_FORGET_MS });
  const now = () => deps.cuenta.clock.now().getTime();

  // ---------------------------------------------------------------- rendering

  const page = (titulo: string, data: Record<string, unknown>): string =>
    renderHtml('web/cuenta', { t: textos, titulo, css: cssHref, icono: ICON_PATH, ...data });

  const messagePage = (m: Mensaje, tipo: 'exito' | 'error'): string =>
    page(m.titulo, { mensaje: { tipo, parrafos: m.parrafos.map((p) => fill(p)) } }); // rule numbers come from the domain

  const formPage = (tipo: Tipo, accion: string, token: string, nombre: string, errores: FieldErrors): string => {
    const p = textos.procesos[tipo];
    const resumen = [
      ...errores.clave.map((texto) => ({ campo: 'clave', texto })),
      ...errores.confirmacion.map((texto) => ({ campo: 'confirmacion', texto })),
    ];
    return page(p.titulo, {
      formulario: {
        accion,
        token,
        nombre,
        saludo: p.saludo,
        intro: p.intro,
        boton: p.boton,
        maximo: MAX_PASSWORD_CHARS,
        etiquetas: textos.campos,
        politica: textos.politica,
        errores,
        resumen,
      },
    });
  };

  const tokenErrorPage = (tipo: Tipo | 'desbloqueo', code: string): Outcome => {
    const known: TokenCode = code === 'TOKEN.VENCIDO' || code === 'TOKEN.USADO' ? code : 'TOKEN.INVALIDO';
    const texts = tipo === 'desbloqueo' ? textos.desbloqueo : textos.procesos[tipo];
    return { status: known === 'TOKEN.INVALIDO' ? 400 : 410, html: messagePage(texts[known], 'error'), outcome: known };
  };

  /** Too many failed requests from this address: a 429 page saying how long to wait. */
  const waitPage = (ms: number): Outcome & { retryAfter: number } => {
    const segundos = waitSeconds(ms);
    const data = segundos >= 120 ? { segundos, minutos: Math.ceil(segundos / 60) } : { segundos };
    const m = textos.solicitud.espere;
    return {
      status: 429,
      html: page(m.titulo, { mensaje: { tipo: 'error', parrafos: m.parrafos.map((p) => fill(p, data)) } }),
      outcome: 'ESPERE',
      retryAfter: segundos,
    };
  };

  const requestErrorPage = (kind: 'invalida' | 'grande' | 'tipo', status: number, close = false): Outcome => ({
    status,
    html: messagePage(textos.solicitud[kind], 'error'),
    outcome: `SOLICITUD.${kind.toUpperCase()}`,
    close,
  });

  /** The password errors of the domain as messages by field (every policy reason listed). */
  const passwordErrors = (error: { code: string; motivos?: unknown }): FieldErrors => {
    const out: FieldErrors = { clave: [], confirmacion: [] };
    if (error.code === 'CLAVE.NO_COINCIDE') {
      out.confirmacion.push(textos.errores['CLAVE.NO_COINCIDE']);
    } else {
      const motivos = Array.isArray(error.motivos) ? error.motivos : [];
      for (const motivo of motivos) {
        const texto = typeof motivo === 'string' ? textos.errores.motivos[motivo] : undefined;
        out.clave.push(texto ?? textos.errores['CLAVE.POLITICA']);
      }
      if (out.clave.length === 0) out.clave.push(textos.errores['CLAVE.POLITICA']);
    }
    return out;
  };

  // ---------------------------------------------------------------- responses

  const send = (res: restify.Response, o: Outcome): void => {
    // No chaining: restify patches http.ServerResponse for the whole process.
    for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    if (o.close) res.setHeader('Connection', 'close');
    if (o.retryAfter !== undefined) res.setHeader('Retry-After', String(o.retryAfter));
    res.sendRaw(o.status, o.html);
  };

  const respond = async (
    req: restify.Request,
    res: restify.Response,
    name: string,
    work: () => Promise<Outcome>,
  ): Promise<void> => {
    let o: Outcome;
    const client = addressOf(req);
    try {
      const wait = failures.wait(client, now());
      o = wait > 0 ? waitPage(wait) : await work();
      // Every refused request counts against its address (a fault of ours does not).
      if (wait === 0 && o.status >= 400 && o.status < 500) failures.fail(client, now());
    } catch (error) {
      log.error('account page failed', {
        page: name,
        method: req.method,
        err: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      o = { status: 500, html: messagePage(textos.solicitud.fallo, 'error'), outcome: 'ERROR' };
    }
    const fields = { page: name, method: req.method, status: o.status, outcome: o.outcome };
    if (o.status >= 500) log.warn('account page answered', fields);
    else log.info('account page answered', fields);
    if (!res.headersSent && req.connectionState() !== 'close') send(res, o);
  };

  // ---------------------------------------------------------------- the form body

  // The general body parser would accept megabytes and nested `qs` objects: read these posts here,
  // bounded, as flat url-encoded fields.
  server.pre(async (req: restify.Request) => {
    if (req.method !== 'POST' || !FORM_PATH.test(pathOf(req))) return;
    const flags = req as unknown as { _parsedBody?: boolean; _readBody?: boolean };
    flags._parsedBody = true;
    flags._readBody = true;
    bodies.set(req, await readForm(req));
  });

  // ---------------------------------------------------------------- routes

  for (const { path, tipo, name } of PAGES) {
    server.get(path, async (req: restify.Request, res: restify.Response) => {
      await respond(req, res, name, async () => {
        const token = single(new URL(req.url ?? '/', 'http://localhost').searchParams, 'token');
        if (token === undefined || !plausibleToken(token)) return tokenErrorPage(tipo, 'TOKEN.INVALIDO');
        const inspected = await inspectAccountToken(deps.cuenta, token, tipo);
        if (!inspected.ok) return tokenErrorPage(tipo, inspected.error.code);
        return { status: 200, html: formPage(tipo, path, token, inspected.value.nombre, { clave: [], confirmacion: [] }), outcome: 'FORMULARIO' };
      });
    });

    server.post(path, async (req: restify.Request, res: restify.Response) => {
      await respond(req, res, name, async () => {
        const body = bodies.get(req);
        if (!body || body.kind === 'aborted') return requestErrorPage('invalida', 400, true);
        if (body.kind === 'too-large') return requestErrorPage('grande', 413, true);
        if (body.kind === 'unsupported') return requestErrorPage('tipo', 415, true);
        const token = single(body.fields, 'token');
        const clave = single(body.fields, 'clave');
        const confirmacion = single(body.fields, 'confirmacion');
        if (token === undefined || clave === undefined || confirmacion === undefined) return requestErrorPage('invalida', 400);
        if (!plausibleToken(token)) return tokenErrorPage(tipo, 'TOKEN.INVALIDO');

        const result = await setPasswordWithToken(deps.cuenta, token, tipo, clave, confirmacion, webActor(req));
        if (result.ok) return { status: 200, html: messagePage(textos.procesos[tipo].exito, 'exito'), outcome: 'OK' };
        const error = result.error as { code: string; motivos?: unknown };
        if (!error.code.startsWith('CLAVE.')) return tokenErrorPage(tipo, error.code);

        // The form again, for the same person: the name comes from the (still valid) link.
        const inspected = await inspectAccountToken(deps.cuenta, token, tipo);
        if (!inspected.ok) return tokenErrorPage(tipo, inspected.error.code);
        const motivos = Array.isArray(error.motivos) ? error.motivos.filter((m): m is string => typeof m === 'string') : [];
        return {
          status: 422,
          html: formPage(tipo, path, token, inspected.value.nombre, passwordErrors(error)),
          outcome: motivos.length ? `${error.code}:${motivos.join(',')}` : error.code,
        };
      });
    });
  }

  // The "¿Fue usted?" link: opening it lifts the lock (it only ever helps the account's owner).
  server.get(UNLOCK_PATH, async (req: restify.Request, res: restify.Response) => {
    await respond(req, res, 'desbloquear', async () => {
      const token = single(new URL(req.url ?? '/', 'http://localhost').searchParams, 'token');
      if (token === undefined || !plausibleToken(token)) return tokenErrorPage('desbloqueo', 'TOKEN.INVALIDO');
      const result = await unlockWithToken(deps.cuenta, token, webActor(req));
      if (!result.ok) return tokenErrorPage('desbloqueo', result.error.code);
      return { status: 200, html: messagePage(textos.desbloqueo.exito, 'exito'), outcome: 'OK' };
    });
  });

  server.get(CSS_PATH, async (_req: restify.Request, res: restify.Response) => {
    res.sendRaw(200, css, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
      ...BASE_SECURITY_HEADERS,
    });
  });

  server.get(ICON_PATH, async (_req: restify.Request, res: restify.Response) => {
    res.sendRaw(200, ICON, {
      'Content-Type': 'image/svg+xml',
      'Cache-Control': 'public, max-age=86400',
      ...BASE_SECURITY_HEADERS,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });
  });
}

// ------------------------------------------------------------------ helpers

/** The remote address of a request (the socket's: a proxy in front needs its own limits). */
function addressOf(req: restify.Request): string {
  return req.socket?.remoteAddress ?? 'desconocida';
}

/** Who acts on a page, as the audit log and the throttles know it: a hash of the address, never the address. */
function webActor(req: restify.Request): { ref: string; channel: string } {
  return { ref: createHash('sha256').update(`web|${addressOf(req)}`).digest('hex').slice(0, 16), channel: 'web' };
}

function pathOf(req: restify.Request): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The one value of a field: undefined when it is missing or repeated. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

/** A token worth looking up: short, printable ASCII (the domain decides whether it is real). */
function plausibleToken(token: string): boolean {
  return token.length > 0 && token.length <= MAX_TOKEN_CHARS && /^[\x21-\x7e]+$/.test(token);
}

/** Reads a url-encoded form body of at most MAX_FORM_BYTES (a bigger one is drained, not kept). */
async function readForm(req: restify.Request): Promise<FormBody> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) return { kind: 'too-large' };
  const body = await readBounded(req, MAX_FORM_BYTES);
  if (body === 'too-large' || body === 'aborted') return { kind: body };
  if (type !== 'application/x-www-form-urlencoded' || encoding !== 'identity') return { kind: 'unsupported' };
  return { kind: 'form', fields: new URLSearchParams(body.toString('utf8')) };
}

/**
 * The request body, or how reading it ended. A body over `max` is read to its end and dropped, so
 * the page reaches the client (closing on unread data would reset the connection); one over
 * MAX_DRAIN_BYTES is abandoned.
 */
function readBounded(req: restify.Request, max: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too-large' | 'aborted') => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onAbort);
      req.removeListener('aborted', onAbort);
      req.removeListener('close', onClose);
      if (result === 'too-large') req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) finish('too-large');
    };
    const onEnd = () => finish(size > max ? 'too-large' : Buffer.concat(chunks));
    const onAbort = () => finish('aborted');
    const onClose = () => {
      if (!req.complete) finish('aborted');
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onAbort);
    req.once('aborted', onAbort);
    req.once('close', onClose);
    req.resume();
  });
}
