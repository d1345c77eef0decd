/** A raw HTTP client for the fuzz suite: keep-alive agents, any method, header and byte body, a timeout per request. */
import http from 'node:http';

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Source address (127.x.y.z) for the routes limited per client address. */
  readonly from?: string;
}

export interface FuzzResponse {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: http.IncomingHttpHeaders;
}

/** What came back: a response, or how the exchange failed. */
export type Outcome = { readonly kind: 'response'; readonly res: FuzzResponse } | { readonly kind: 'reset'; readonly error: string } | { readonly kind: 'timeout' };

const agents = new Map<string, http.Agent>();
function agentFor(from: string | undefined): http.Agent {
  const key = from ?? '';
  let agent = agents.get(key);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 8, ...(from ? { localAddress: from } : {}) });
    agents.set(key, agent);
  }
  return agent;
}

export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

/** A short description for failure messages (bodies cut). */
export function describeRequest(r: FuzzRequest): string {
  const body = r.body ? ` body(${r.body.length} B)=${JSON.stringify(r.body.subarray(0, 160).toString('latin1'))}` : '';
  return `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 300)}${body}`;
}

/** Sends one request; never rejects. */
export function send(base: URL, r: FuzzRequest, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(o);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    let req: http.ClientRequest;
    try {
      req = http.request({
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) },
        agent: agentFor(r.from),
      });
    } catch (error) {
      // The client itself refused the request (a header Node will not send): nothing reached the server.
      clearTimeout(timer);
      resolve({ kind: 'reset', error: `client refused: ${String(error)}` });
      return;
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ kind: 'response', res: { status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers } }));
      res.on('error', () => finish({ kind: 'response', res: { status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers } }));
    });
    req.on('error', (error) => finish({ kind: 'reset', error: String(error) }));
    req.end(r.body);
  });
}
