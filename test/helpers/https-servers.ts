/**
 * Local HTTPS test servers: a throwaway openssl certificate for the test host names, a loopback HTTPS
 * server that presents it and counts its connections, and, on top of them, stand-ins for a CCF's OAuth
 * 2.0 token service and its shared web service, for "Probar conexión" end to end: a token
 * endpoint that checks the client in HTTP Basic (RFC 6749 §2.3.1) and the grant, and a service
 * endpoint that checks the Bearer token and records the body it receives. The connection tester they
 * pair with resolves the test names to 127.0.0.1 and trusts only that certificate (the only test
 * allowance: loopback stands for a public address).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resolver } from '../../bot/outbound.js';
import { createConnectionTester } from '../../bot/probar-conexion.js';
import type { ConnectionTester, Logger } from '../../domain/ports.js';

/** A certificate and its private key (PEM). */
export interface Tls {
  readonly key: string;
  readonly cert: string;
}

/** A self-signed EC certificate (one day) whose names are `names`, host names or IP addresses (the first is the subject). */
export function selfSignedCertificate(names: readonly string[]): Tls {
  const dir = mkdtempSync(join(tmpdir(), 'https-servers-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', `/CN=${names[0]}`,
      '-addext', `subjectAltName=${names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}`,
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PEM public key (SPKI) a CCF would paste as its service's "llave pública": no validity dates. */
export function publicKeyPem(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** RFC 6749 §2.3.1: each part form-decoded after splitting the Basic credentials at the first colon. */
export function basicCredentials(header: string | undefined): [string, string] | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return [form(decoded.slice(0, colon)), form(decoded.slice(colon + 1))];
}

/** The only test allowance for a connection tester or safeFetch: the loopback test server stands for a public address. */
export const loopbackIsPublic = (ip: string): boolean => ip === '127.0.0.1' || ip === '::ffff:127.0.0.1';

/** A request as a test server read it: its path without the query, and its whole body. */
export interface RequestRead {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly body: string;
}

/** A request listener that reads the whole request before `handle` answers it. */
export function readingRequest(handle: (read: RequestRead, req: IncomingMessage, res: ServerResponse) => void): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(
        {
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0]!,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
        },
        req,
        res,
      );
    });
  };
}

/** Answers `value` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** An HTTPS server listening on a loopback port. */
export interface LoopbackHttpsServer {
  readonly server: Server;
  readonly port: number;
  /** The certificate it presents (PEM): the only CA a client under test should trust. */
  readonly cert: string;
  /** TCP connections accepted so far (before any TLS). */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts `handler` over HTTPS on 127.0.0.1 (a free port) with `tls`, or a new self-signed certificate for those names. */
export async function startHttpsServer(tls: Tls | readonly string[], handler: RequestListener): Promise<LoopbackHttpsServer> {
  const { key, cert } = 'cert' in tls ? tls : selfSignedCertificate(tls);
  const server = createServer({ key, cert }, handler);
  let connections = 0;
  server.on('connection', (s: Socket) => {
    connections++;
    s.on('error', () => {});
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    cert,
    get connections() {
      return connections;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** A request as one of the OAuth servers received it. */
export interface ReceivedRequest extends RequestRead {
  readonly server: 'token' | 'service';
  /** What the server answered. */
  readonly status: number;
}

export interface OAuthServersOptions {
  /** Host name of the token service (resolved to 127.0.0.1 by the tester). */
  readonly tokenHost: string;
  /** Host name of the shared service. */
  readonly serviceHost: string;
  readonly tokenPath: string;
  readonly servicePath: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** With a username, the password grant is expected; without, client_credentials. */
  readonly username?: string;
  readonly password?: string;
  /** The access token handed out. */
  readonly token: string;
}

export interface OAuthServers {
  readonly tokenPort: number;
  readonly servicePort: number;
  /** The certificate both present (PEM), the tester's only trusted CA. */
  readonly cert: string;
  readonly tokenUrl: string;
  readonly serviceUrl: string;
  readonly received: ReceivedRequest[];
  /** Resolves the two test names to 127.0.0.1; any other name resolves to nothing. */
  readonly resolver: Resolver;
  /** The Probar conexión tester for these servers (loopback allowed, their certificate trusted, their ports allowed). */
  tester(log?: Logger): ConnectionTester;
  close(): Promise<void>;
}

/** Starts the token service and the shared service on their own loopback ports. */
export async function startOAuthServers(o: OAuthServersOptions): Promise<OAuthServers> {
  const tls = selfSignedCertificate([o.tokenHost, o.serviceHost]);
  const received: ReceivedRequest[] = [];
  const handler = (kind: 'token' | 'service') =>
    readingRequest((read, req, res) => {
      const { path, body } = read;
      const json = (status: number, value: unknown) => {
        received.push({ server: kind, ...read, status });
        sendJson(res, status, value);
      };
      if (kind === 'token') {
        if (path !== o.tokenPath || req.method !== 'POST') return json(404, { error: 'not_found' });
        const form = new URLSearchParams(body);
        const client = basicCredentials(req.headers.authorization);
        const clientOk = client?.[0] === o.clientId && client[1] === o.clientSecret;
        const grant = form.get('grant_type');
        const userOk = o.username
          ? grant === 'password' && form.get('username') === o.username && form.get('password') === o.password
          : grant === 'client_credentials';
        if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || !clientOk || !userOk) return json(401, { error: 'invalid_client' });
        return json(200, { access_token: o.token, token_type: 'Bearer', expires_in: 300 });
      }
      if (path !== o.servicePath) return json(404, { error: 'not_found' });
      if (req.headers.authorization !== `Bearer ${o.token}`) return json(401, { error: 'invalid_token' });
      return json(200, { estado: 'ok', afiliados: [] });
    });
  const [token, service] = [await startHttpsServer(tls, handler('token')), await startHttpsServer(tls, handler('service'))];
  const names = new Set([o.tokenHost, o.serviceHost]);
  const resolver: Resolver = async (host) => (names.has(host) ? [{ address: '127.0.0.1', family: 4 }] : []);
  return {
    tokenPort: token.port,
    servicePort: service.port,
    cert: tls.cert,
    tokenUrl: `https://${o.tokenHost}:${token.port}${o.tokenPath}`,
    serviceUrl: `https://${o.serviceHost}:${service.port}${o.servicePath}`,
    received,
    resolver,
    tester: (log?: Logger) =>
      createConnectionTester({
        resolver,
        addressAllowed: loopbackIsPublic,
        ca: tls.cert,
        allowPorts: [token.port, service.port],
        ...(log ? { log } : {}),
      }),
    close: async () => {
      await Promise.all([token.close(), service.close()]);
    },
  };
}
