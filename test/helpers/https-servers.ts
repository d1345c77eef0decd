/**
 * Local HTTPS stand-ins for a CCF's OAuth 2.0 token service and its shared web service, for
 * "Probar conexión" end to end: a throwaway openssl certificate for the test host names, a token
 * endpoint that checks the client in HTTP Basic (RFC 6749 §2.3.1) and the grant, and a service
 * endpoint that checks the Bearer token and records the body it receives. The connection tester they
 * pair with resolves the test names to 127.0.0.1 and trusts only that certificate (the only test
 * allowance: loopback stands for a public address).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resolver } from '../../bot/outbound.js';
import { createConnectionTester } from '../../bot/probar-conexion.js';
import type { ConnectionTester, Logger } from '../../domain/ports.js';

/** A self-signed EC certificate (one day) whose names are `names` (the first is the subject). */
export function selfSignedCertificate(names: readonly string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'https-servers-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', `/CN=${names[0]}`,
      '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
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

/** A request as one of the servers received it. */
export interface ReceivedRequest {
  readonly server: 'token' | 'service';
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly body: string;
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

const listen = async (server: Server): Promise<number> => {
  server.on('connection', (s: Socket) => s.on('error', () => {}));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return (server.address() as AddressInfo).port;
};

/** Starts the token service and the shared service on their own loopback ports. */
export async function startOAuthServers(o: OAuthServersOptions): Promise<OAuthServers> {
  const tls = selfSignedCertificate([o.tokenHost, o.serviceHost]);
  const received: ReceivedRequest[] = [];
  const handler = (kind: 'token' | 'service') =>
    createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0]!;
        const body = Buffer.concat(chunks).toString('utf8');
        const json = (status: number, value: unknown) => {
          received.push({
            server: kind,
            method: req.method ?? '',
            path,
            body,
            status,
            ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
            ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
          });
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
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
    });
  const tokenServer = handler('token');
  const serviceServer = handler('service');
  const [tokenPort, servicePort] = [await listen(tokenServer), await listen(serviceServer)];
  const names = new Set([o.tokenHost, o.serviceHost]);
  const resolver: Resolver = async (host) => (names.has(host) ? [{ address: '127.0.0.1', family: 4 }] : []);
  const close = (s: Server) => {
    s.closeAllConnections();
    return new Promise<void>((ok) => s.close(() => ok()));
  };
  return {
    tokenPort,
    servicePort,
    cert: tls.cert,
    tokenUrl: `https://${o.tokenHost}:${tokenPort}${o.tokenPath}`,
    serviceUrl: `https://${o.serviceHost}:${servicePort}${o.servicePath}`,
    received,
    resolver,
    tester: (log?: Logger) =>
      createConnectionTester({
        resolver,
        addressAllowed: (ip) => ip === '127.0.0.1' || ip === '::ffff:127.0.0.1',
        ca: tls.cert,
        allowPorts: [tokenPort, servicePort],
        ...(log ? { log } : {}),
      }),
    close: async () => {
      await Promise.all([close(tokenServer), close(serviceServer)]);
    },
  };
}
