/**
 * "Probar conexión" (issue 11 item 5): the ConnectionTester port on top of bot/outbound.ts safeFetch,
 * so both calls get its guards (https, public addresses checked at connection time, no redirects,
 * one deadline and a body cap per call).
 *
 * 1. Token: POST tokenUrl, `application/x-www-form-urlencoded`: grant_type=password with username
 *    and password, or grant_type=client_credentials; scope when given. The client authenticates
 *    with HTTP Basic only (RFC 6749 §2.3.1: client_id and client_secret form-encoded, then
 *    base64): the RFC says servers must support it, and sending the secret in the body as well
 *    would hand it to servers that never asked for it. 2xx JSON with a string access_token is ok;
 *    400/401 are 'token_rechazado'; another status is 'estado'.
 * 2. Service, only with a token: `metodo` to serviceUrl with the Bearer token; the example body as
 *    JSON for POST, PUT and PATCH. Any 2xx is ok; the outcome is status, ms and size, never the body.
 *
 * Nothing secret (password, Client Secret, token) leaves this module: results carry status, ms,
 * bytes and a reason; log lines carry the stage, the target host (no path, no query) and the same.
 * `resolver`, `addressAllowed`, `ca` and `allowPorts` exist for tests with a loopback server;
 * production (bot/app.ts) passes none of them and no environment variable sets them.
 */
import type { ConnectionTester, EtapaPrueba, Logger, PruebaConexion, ResultadoPrueba } from '../domain/ports.js';
import { HTTP_METHODS, METHODS_WITH_BODY } from '../domain/servicios-web.js';
import { safeFetch, type Resolver, type SafeFetchOptions, type SafeFetchReason, type SafeFetchResult } from './outbound.js';

export interface ConnectionTesterOptions {
  /** Deadline of the token request (resolution, connection, body); 5 s by default. */
  readonly tokenTimeoutMs?: number;
  /** Deadline of the service call; 8 s by default. */
  readonly serviceTimeoutMs?: number;
  /** Largest token response read; 64 KB by default. */
  readonly tokenMaxBytes?: number;
  /** Largest service response read; 256 KB by default. */
  readonly serviceMaxBytes?: number;
  /** Stage, host, status, ms, bytes and reason of each call (never a secret, a path or a body). */
  readonly log?: Logger;
  /** Tests only: name resolution (see SafeFetchOptions). */
  readonly resolver?: Resolver;
  /** Tests only: which addresses may be connected to (public ones when absent). */
  readonly addressAllowed?: (ip: string) => boolean;
  /** Tests only: a trusted self-signed certificate. */
  readonly ca?: string | Buffer;
  /** Tests only: ports allowed besides 443. */
  readonly allowPorts?: readonly number[];
}

export const TOKEN_TIMEOUT_MS = 5_000;
export const SERVICE_TIMEOUT_MS = 8_000;
export const TOKEN_MAX_BYTES = 64 * 1024;
export const SERVICE_MAX_BYTES = 256 * 1024;

const METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);
/** What may follow "Bearer " in a header: visible ASCII (RFC 6750 b64token is a subset). */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

type Motivo = Extract<EtapaPrueba, { ok: false }>['motivo'];

const MOTIVOS: Record<Exclude<SafeFetchReason, 'status'>, Motivo> = {
  url: 'url',
  'host-not-allowed': 'url',
  dns: 'dns',
  'address-not-public': 'direccion',
  connect: 'conexion',
  tls: 'tls',
  timeout: 'tiempo',
  redirect: 'redireccion',
  'too-large': 'muy_grande',
};

/** application/x-www-form-urlencoded, as RFC 6749 Appendix B asks for the Basic credentials too. */
const formEncode = (value: string) => new URLSearchParams([['v', value]]).toString().slice(2);

/** The host (and port) of a URL, for logs: no user-info, path or query. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || '-';
  } catch {
    return '-';
  }
}

function failed(result: Extract<SafeFetchResult, { ok: false }>, ms: number, statusMotivo: (status: number) => Motivo): EtapaPrueba {
  const motivo = result.reason === 'status' ? statusMotivo(result.status ?? 0) : MOTIVOS[result.reason];
  return { ok: false, motivo, ...(result.status !== undefined ? { status: result.status } : {}), ms };
}

/** The access_token of a token response, when it is JSON with a usable string token. */
function accessToken(bytes: Buffer): string | undefined {
  try {
    const body: unknown = JSON.parse(bytes.toString('utf8'));
    const token = (body as { access_token?: unknown } | null)?.access_token;
    return typeof token === 'string' && TOKEN_CHARS.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the tester; production passes at most timeouts, caps and a logger. */
export function createConnectionTester(options: ConnectionTesterOptions = {}): ConnectionTester {
  const guard: Partial<SafeFetchOptions> = {
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.addressAllowed ? { addressAllowed: options.addressAllowed } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.allowPorts ? { allowPorts: options.allowPorts } : {}),
  };

  const call = async (url: string, fetchOptions: SafeFetchOptions): Promise<{ result: SafeFetchResult; ms: number }> => {
    const started = performance.now();
    const result = await safeFetch(url, { ...fetchOptions, ...guard });
    return { result, ms: Math.max(0, Math.ceil(performance.now() - started)) };
  };

  const logged = (etapa: 'token' | 'servicio', url: string, outcome: EtapaPrueba): EtapaPrueba => {
    options.log?.info('probar conexión', {
      etapa,
      host: hostOf(url),
      ms: outcome.ms,
      ...(outcome.ok ? { status: outcome.status, bytes: outcome.bytes } : { motivo: outcome.motivo, ...(outcome.status !== undefined ? { status: outcome.status } : {}) }),
    });
    return outcome;
  };

  const requestToken = async (p: PruebaConexion): Promise<{ etapa: EtapaPrueba; token?: string }> => {
    const form = new URLSearchParams({ grant_type: p.grantType });
    if (p.grantType === 'password') {
      form.set('username', p.username ?? '');
      form.set('password', p.password ?? '');
    }
    if (p.scope) form.set('scope', p.scope);
    const basic = Buffer.from(`${formEncode(p.clientId)}:${formEncode(p.clientSecret)}`).toString('base64');
    const { result, ms } = await call(p.tokenUrl, {
      method: 'POST',
      body: form.toString(),
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      timeoutMs: options.tokenTimeoutMs ?? TOKEN_TIMEOUT_MS,
      maxBytes: options.tokenMaxBytes ?? TOKEN_MAX_BYTES,
    });
    if (!result.ok) return { etapa: failed(result, ms, (status) => (status === 400 || status === 401 ? 'token_rechazado' : 'estado')) };
    const token = accessToken(result.bytes);
    if (!token) return { etapa: { ok: false, motivo: 'token_invalido', status: result.status, ms } };
    return { etapa: { ok: true, status: result.status, ms, bytes: result.bytes.length }, token };
  };

  const callService = async (p: PruebaConexion, metodo: string, token: string): Promise<EtapaPrueba> => {
    const withBody = METHODS_WITH_BODY.has(metodo);
    const { result, ms } = await call(p.serviceUrl, {
      method: metodo,
      ...(withBody ? { body: p.cuerpo ?? '' } : {}),
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(withBody ? { 'content-type': 'application/json' } : {}),
      },
      timeoutMs: options.serviceTimeoutMs ?? SERVICE_TIMEOUT_MS,
      maxBytes: options.serviceMaxBytes ?? SERVICE_MAX_BYTES,
    });
    if (!result.ok) return failed(result, ms, () => 'estado');
    return { ok: true, status: result.status, ms, bytes: result.bytes.length };
  };

  return {
    async test(prueba: PruebaConexion): Promise<ResultadoPrueba> {
      const metodo = prueba.metodo.trim().toUpperCase();
      // The domain only stores these five; anything else is a programming error, not an outcome.
      if (!METHODS.has(metodo)) throw new Error('Probar conexión: método no soportado');
      const token = await requestToken(prueba);
      logged('token', prueba.tokenUrl, token.etapa);
      if (!token.token) return { token: token.etapa };
      const servicio = logged('servicio', prueba.serviceUrl, await callService(prueba, metodo, token.token));
      return { token: token.etapa, servicio };
    },
  };
}
