/**
 * The one guard for outbound calls to addresses the assistant did not choose: files attached in
 * Teams (bot/attachments.ts) and the URLs given for "Probar conexión" (bot/probar-conexion.ts).
 *
 * `safeFetch(url, options)`:
 * - the URL must pass domain/net-rules.ts (https, no user-info, port 443 unless allowed, a DNS
 *   name or a public IP literal, the host on `allowHosts` when given);
 * - the name is resolved here (every address of the answer must be public, else refused), and the
 *   connection is made to the checked address itself (no second resolution that DNS rebinding
 *   could answer differently); TLS still verifies the certificate against the name (SNI);
 *   the socket's remote address is checked again once connected;
 * - GET by default; another `method` and a `body` may be given (the body is sent with its length);
 * - no redirect is followed unless `maxRedirects` says so, and then every hop is checked again
 *   from scratch (URL rules, allow-list, resolution, address); a request other than a GET without
 *   body never follows one (its body and headers stay with the URL that was checked);
 * - a failed TLS handshake (untrusted or expired certificate, wrong name, protocol) is 'tls', told
 *   apart from a TCP failure ('connect') by when it happened and by its error code;
 * - one deadline for resolution, connection and body; the body is capped at `maxBytes`;
 * - the answer is a value: `{ ok: true, bytes, ... }` or `{ ok: false, reason }`; the reason is
 *   for logs only (callers show one generic message for every refusal, so that nobody can probe
 *   the network through the differences).
 *
 * Also here: which serviceUrls /api/messages accepts (where the bot's replies would be POSTed).
 */
import { promises as dns } from 'node:dns';
import { request, type RequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { checkPublicHttpsUrl, isPublicIp, type CheckedUrl } from '../domain/net-rules.js';

/** Resolves a name to all its addresses (dns.lookup with all: true by default). */
export type Resolver = (host: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

export interface SafeFetchOptions {
  /** Largest body accepted, in bytes: a larger one (declared or streamed) is 'too-large'. */
  readonly maxBytes: number;
  /** One deadline for resolution, connection, redirects and body. */
  readonly timeoutMs: number;
  /** Host patterns ("graph.microsoft.com", "*.sharepoint.com"); any public host when absent. */
  readonly allowHosts?: readonly string[];
  /** Ports allowed besides 443. */
  readonly allowPorts?: readonly number[];
  /** Redirects followed (each hop checked again like the first URL); 0 by default. */
  readonly maxRedirects?: number;
  /** Request headers (e.g. an Authorization for the channel's file service). */
  readonly headers?: Readonly<Record<string, string>>;
  /** HTTP method, upper case; GET by default. */
  readonly method?: string;
  /** Request body, sent with a Content-Length (the caller sets its Content-Type). */
  readonly body?: string | Uint8Array;
  /** Name resolution; tests inject one. */
  readonly resolver?: Resolver;
  /**
   * Which addresses may be connected to: public ones only (isPublicIp). Tests that need a
   * loopback TLS server pass their own; production code never does.
   */
  readonly addressAllowed?: (ip: string) => boolean;
  /** Extra trusted certificate authorities (tests: a self-signed certificate). */
  readonly ca?: string | Buffer;
}

/** Why a call did not succeed (logs only). */
export type SafeFetchReason =
  | 'url'
  | 'host-not-allowed'
  | 'dns'
  | 'address-not-public'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'redirect'
  | 'status'
  | 'too-large';

export type SafeFetchResult =
  | { readonly ok: true; readonly status: number; readonly bytes: Buffer; readonly contentType?: string; readonly url: string }
  | { readonly ok: false; readonly reason: SafeFetchReason; readonly status?: number };

type Hop =
  | SafeFetchResult
  | { readonly ok: 'redirect'; readonly location: string; readonly status: number };

class Refused extends Error {
  constructor(readonly reason: SafeFetchReason) {
    super(reason);
  }
}

/** Resolves the checked URL's host to one address, refusing the whole answer if any address is not allowed. */
async function resolveChecked(checked: CheckedUrl, opts: SafeFetchOptions, allowed: (ip: string) => boolean): Promise<{ address: string; family: 4 | 6 }> {
  if (checked.ip) {
    if (!allowed(checked.ip.text)) throw new Refused('address-not-public');
    return { address: checked.ip.text, family: checked.ip.family };
  }
  let answers: readonly { address: string; family: number }[];
  try {
    answers = await (opts.resolver ?? systemResolver)(checked.host);
  } catch {
    throw new Refused('dns');
  }
  if (answers.length === 0) throw new Refused('dns');
  // Every answer must be acceptable: a name with one private address among public ones is refused.
  if (answers.some((a) => !allowed(a.address))) throw new Refused('address-not-public');
  const first = answers[0]!;
  return { address: first.address, family: isIP(first.address) === 6 ? 6 : 4 };
}

/** Certificate verification failures as Node reports them (OpenSSL X509_V_ERR names). */
const CERT_ERRORS = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE', 'CRL_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED', 'INVALID_CA',
  'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
]);

/**
 * A TLS failure: a certificate verification code, Node's ERR_TLS_* / OpenSSL's ERR_SSL_*, or EPROTO
 * (OpenSSL's "wrong version number" and other record errors: a server that does not speak TLS).
 */
function isTlsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (CERT_ERRORS.has(code) || code === 'EPROTO' || /^ERR_(TLS|SSL)_/.test(code));
}

function hop(checked: CheckedUrl, opts: SafeFetchOptions, allowed: (ip: string) => boolean, signal: AbortSignal): Promise<Hop> {
  return (async () => {
    const target = await resolveChecked(checked, opts, allowed);
    if (signal.aborted) throw new Refused('timeout');
    return new Promise<Hop>((resolve) => {
      let settled = false;
      const finish = (result: Hop) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const options: RequestOptions = {
        // Connect to the checked address itself: no second lookup that could answer differently.
        host: target.address,
        family: target.family,
        port: checked.port,
        path: `${checked.url.pathname}${checked.url.search}`,
        method: opts.method ?? 'GET',
        agent: false,
        rejectUnauthorized: true,
        // The certificate is verified against the name (an IP literal is verified as such).
        ...(checked.ip ? {} : { servername: checked.host }),
        ...(opts.ca ? { ca: opts.ca } : {}),
        headers: {
          ...opts.headers,
          host: checked.url.host,
          'accept-encoding': 'identity',
          ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
        },
      };
      const req = request(options);
      const onAbort = () => {
        finish({ ok: false, reason: 'timeout' });
        req.destroy();
      };
      signal.addEventListener('abort', onAbort);
      // Where the request failed: a TLS error is only one raised between TCP connect and a finished handshake.
      let tcpConnected = false;
      let secured = false;
      req.on('socket', (socket: Socket) => {
        socket.once('secureConnect', () => (secured = true));
        // The address actually connected to, checked again (before TLS, before any request byte).
        const check = () => {
          tcpConnected = true;
          const remote = socket.remoteAddress;
          // No address means the peer already hung up: refused all the same, as a connection failure.
          if (!remote || !allowed(remote)) {
            finish({ ok: false, reason: remote ? 'address-not-public' : 'connect' });
            req.destroy();
          }
        };
        if (socket.connecting) socket.once('connect', check);
        else check();
      });
      req.on('error', (error) =>
        finish({ ok: false, reason: signal.aborted ? 'timeout' : tcpConnected && !secured && isTlsError(error) ? 'tls' : 'connect' }),
      );
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.destroy();
          const location = res.headers.location;
          finish(typeof location === 'string' && location !== '' ? { ok: 'redirect', location, status } : { ok: false, reason: 'redirect', status });
          return;
        }
        if (status < 200 || status >= 300) {
          res.destroy();
          finish({ ok: false, reason: 'status', status });
          return;
        }
        const declared = Number(res.headers['content-length'] ?? '0');
        if (Number.isFinite(declared) && declared > opts.maxBytes) {
          res.destroy();
          finish({ ok: false, reason: 'too-large' });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            finish({ ok: false, reason: 'too-large' });
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', () => finish({ ok: false, reason: signal.aborted ? 'timeout' : 'connect' }));
        res.on('aborted', () => finish({ ok: false, reason: 'connect' }));
        res.on('end', () => {
          const contentType = res.headers['content-type'];
          finish({
            ok: true,
            status,
            bytes: Buffer.concat(chunks),
            url: checked.url.href,
            ...(typeof contentType === 'string' ? { contentType } : {}),
          });
        });
      });
      if (opts.body !== undefined) req.end(opts.body);
      else req.end();
    });
  })();
}

/** GET (or `method`) `url` under the rules above. Never throws for anything the remote side or the URL does. */
export async function safeFetch(url: string, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  const allowed = opts.addressAllowed ?? isPublicIp;
  const maxRedirects = (opts.method ?? 'GET') === 'GET' && opts.body === undefined ? (opts.maxRedirects ?? 0) : 0;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  timer.unref();
  const deadline = new Promise<SafeFetchResult>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve({ ok: false, reason: 'timeout' }), { once: true }),
  );
  const run = async (): Promise<SafeFetchResult> => {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const checked = checkPublicHttpsUrl(current, {
        ...(opts.allowPorts ? { allowPorts: opts.allowPorts } : {}),
        ...(opts.allowHosts ? { allowHosts: opts.allowHosts } : {}),
      });
      if (!checked.ok) return { ok: false, reason: checked.error.code === 'url.host_not_allowed' ? 'host-not-allowed' : 'url' };
      const result = await hop(checked.value, opts, allowed, controller.signal);
      if (result.ok !== 'redirect') return result;
      if (redirects >= maxRedirects) return { ok: false, reason: 'redirect', status: result.status };
      try {
        current = new URL(result.location, checked.value.url).href;
      } catch {
        return { ok: false, reason: 'redirect' };
      }
    }
  };
  try {
    return await Promise.race([
      run().catch((error: unknown) => ({ ok: false, reason: error instanceof Refused ? error.reason : 'connect' }) as const),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    controller.abort(); // ends a request still running after the race was decided
  }
}

/** What decides which serviceUrls /api/messages accepts. */
export interface ServiceUrlRules {
  /** No MicrosoftAppId: nobody vouches for the caller. */
  readonly anonymous: boolean;
  /** The port this server listens on (its built-in Direct Line endpoint is http://127.0.0.1:<port>/). */
  readonly ownPort: number;
  /** The channel id of the built-in Direct Line endpoint (bot/directline CHANNEL_ID). */
  readonly builtInChannelId: string;
  /** Anonymous only: also accept loopback serviceUrls on other ports (the Bot Framework Emulator or Agents Playground on this machine). */
  readonly localConnectors?: boolean;
}

/** Why /api/messages refuses an activity, before any outbound call is made. */
export type InboundRefusal = 'service-url' | 'built-in-channel';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks an activity that arrived at /api/messages, before the turn runs (the turn POSTs its
 * replies to `serviceUrl`):
 * - anonymous: the serviceUrl must be this server's own loopback URL (http, loopback, this port,
 *   path "/"), and the activity must not claim the built-in Direct Line channel (those activities
 *   are delivered in process by bot/directline, never through /api/messages);
 * - with an app id: the Bot Framework token says which serviceUrl it was issued for (the SDK
 *   compares its claim with the activity); on top of that the serviceUrl must be an https URL of
 *   a public host on port 443 (every Azure Bot Service channel is), so that no token path that
 *   skips the claim (Emulator tokens) can point the bot at a local address.
 */
export function checkInboundServiceUrl(
  activity: { readonly serviceUrl?: unknown; readonly channelId?: unknown },
  rules: ServiceUrlRules,
): InboundRefusal | undefined {
  const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : '';
  if (!rules.anonymous) return checkPublicHttpsUrl(serviceUrl).ok ? undefined : 'service-url';
  const channel = typeof activity.channelId === 'string' ? activity.channelId.trim().toLowerCase() : '';
  if (channel === rules.builtInChannelId.toLowerCase()) return 'built-in-channel';
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return 'service-url';
  }
  const own =
    url.protocol === 'http:' &&
    LOOPBACK_NAMES.has(url.hostname) &&
    (url.port === String(rules.ownPort) || (rules.localConnectors === true && url.port !== '')) &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '';
  return own ? undefined : 'service-url';
}
