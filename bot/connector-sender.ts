/**
 * Sends the bot's messages to the channel's connector with one plain HTTP request each.
 *
 * botframework-connector's ConnectorClient sends every activity through the Azure core pipeline
 * (request policies, a mapper-driven serializer walking the whole activity, tracing, the compat
 * layer between two HTTP stacks): under load that was the largest single share of a turn's CPU.
 * Sending is the only operation on a turn's hot path, so `leanConnectorFactory` hands out the
 * SDK's own client (its credentials, every other operation) with `replyToActivity` and
 * `sendToConversation` replaced by a direct POST of the activity's JSON (and `updateActivity`, a
 * used card replaced, by a PUT), signed by the same
 * credentials (so the Azure token, the Direct Line internal secret and anonymous local use work
 * as before). It keeps the pipeline's retry on throttling and transient failures, and leaves the
 * SDK client alone when a proxy is configured (the pipeline honours HTTP(S)_PROXY; this does not).
 */
import http from 'node:http';
import https from 'node:https';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { BotFrameworkAuthentication, ConnectorClient, ConnectorFactory, UserTokenClient } from 'botframework-connector';

type ServiceClientCredentials = ConstructorParameters<typeof ConnectorClient>[0];
type WebResourceLike = Parameters<ServiceClientCredentials['signRequest']>[0];

/**
 * Sockets kept open to the connector between turns (the pipeline's agent does the same), at most
 * MAX_CONNECTOR_SOCKETS to one connector: under a burst, replies wait a moment for a free socket
 * instead of each opening a new connection (a TLS handshake costs more CPU than the reply itself).
 */
export const MAX_CONNECTOR_SOCKETS = 128;
const pool = { keepAlive: true, maxSockets: MAX_CONNECTOR_SOCKETS };
const agents = { http: new http.Agent(pool), https: new https.Agent(pool) };

/** How a send is retried: the Azure pipeline's defaults (3 retries, exponential from 0.8 s, at most 60 s). */
export interface RetryOptions {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

const DEFAULT_RETRY: RetryOptions = { retries: 3, baseDelayMs: 800, maxDelayMs: 60_000, timeoutMs: 100_000 };
const wait = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** A connector's refusal, shaped as the SDK's RestError is where callers look (statusCode, code). */
export class ConnectorSendError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

/** The few header operations credentials use (TokenCredentials and the internal secret call `set`). */
class Headers {
  readonly values = new Map<string, { name: string; value: string }>();
  set(name: string, value: string | number): void {
    this.values.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.value;
  }
  contains(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.values.delete(name.toLowerCase());
  }
}

interface Attempt {
  readonly status: number;
  readonly body: string;
  readonly retryAfterMs: number | undefined;
}

type Method = 'POST' | 'PUT';

function send(method: Method, url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Attempt> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      url,
      { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: secure ? agents.https : agents.http, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const after = res.headers['retry-after'];
          const seconds = typeof after === 'string' ? Number(after) : Number.NaN;
          const at = typeof after === 'string' && Number.isNaN(seconds) ? Date.parse(after) - Date.now() : Number.NaN;
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : Number.isFinite(at) ? Math.max(0, at) : undefined,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('the connector did not answer in time'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** Statuses the Azure pipeline retries: throttling, timeouts and server errors other than 501/505. */
const retriable = (status: number): boolean => status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ESOCKETTIMEDOUT']);

/**
 * POSTs `activity` to `path` under the client's service URL, signed by its credentials; retried as
 * the pipeline would. Resolves to the connector's ResourceResponse (or `{}` for an empty body).
 */
export function sendActivity(
  serviceUrl: string,
  credentials: ServiceClientCredentials,
  path: string,
  activity: Partial<Activity>,
  extraHeaders: Record<string, string> = {},
  retry: RetryOptions = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = wait,
): Promise<ResourceResponse> {
  return requestActivity('POST', serviceUrl, credentials, path, activity, extraHeaders, retry, sleep);
}

/** sendActivity with the method: PUT replaces an activity already sent (updateActivity; as idempotent as a POST is retried). */
async function requestActivity(
  method: Method,
  serviceUrl: string,
  credentials: ServiceClientCredentials,
  path: string,
  activity: Partial<Activity>,
  extraHeaders: Record<string, string>,
  retry: RetryOptions,
  sleep: (ms: number) => Promise<void>,
): Promise<ResourceResponse> {
  const url = new URL(path, serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
  const body = JSON.stringify(activity);
  for (let attempt = 0; ; attempt++) {
    // Signed on every attempt: a token may be renewed between them, as in the pipeline.
    const headers = new Headers();
    await credentials.signRequest({ headers, url: url.href, method } as unknown as WebResourceLike);
    const sent: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json; charset=utf-8', 'user-agent': 'asistente-ccf (botframework-connector)', ...extraHeaders };
    for (const { name, value } of headers.values.values()) sent[name] = value;
    let result: Attempt;
    try {
      result = await send(method, url, sent, body, retry.timeoutMs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (attempt < retry.retries && NETWORK_ERRORS.has(code)) {
        await sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt));
        continue;
      }
      throw new ConnectorSendError(`the connector could not be reached (${code || 'error'})`, undefined, code || 'REQUEST_SEND_ERROR');
    }
    if (result.status >= 200 && result.status < 300) {
      if (result.body.trim() === '') return {} as ResourceResponse;
      try {
        return JSON.parse(result.body) as ResourceResponse;
      } catch {
        return {} as ResourceResponse;
      }
    }
    if (attempt < retry.retries && retriable(result.status)) {
      await sleep(Math.min(retry.maxDelayMs, result.retryAfterMs ?? retry.baseDelayMs * 2 ** attempt));
      continue;
    }
    throw new ConnectorSendError(`the connector answered ${result.status}`, result.status, `HTTP_${result.status}`);
  }
}

const segment = (value: string): string => encodeURIComponent(value);

/** Makes `client` send and update activities through plain requests; every other operation stays the SDK's. */
export function leanSending(client: ConnectorClient, serviceUrl: string, retry: RetryOptions = DEFAULT_RETRY): ConnectorClient {
  const { credentials } = client;
  const conversations = client.conversations;
  conversations.replyToActivity = ((conversationId: string, activityId: string, activity: Partial<Activity>) =>
    sendActivity(serviceUrl, credentials, `v3/conversations/${segment(conversationId)}/activities/${segment(activityId)}`, activity, { 'x-ms-conversation-id': conversationId }, retry)) as typeof conversations.replyToActivity;
  conversations.sendToConversation = ((conversationId: string, activity: Partial<Activity>) =>
    sendActivity(serviceUrl, credentials, `v3/conversations/${segment(conversationId)}/activities`, activity, {}, retry)) as typeof conversations.sendToConversation;
  // A card with a masked answer is replaced once used (dialogs/form/secret-channel.ts): on the turn's path too.
  conversations.updateActivity = ((conversationId: string, activityId: string, activity: Partial<Activity>) =>
    requestActivity('PUT', serviceUrl, credentials, `v3/conversations/${segment(conversationId)}/activities/${segment(activityId)}`, activity, {}, retry, wait)) as typeof conversations.updateActivity;
  return client;
}

/** True when the environment names a proxy: the SDK's pipeline is then left to send (it honours it). */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some((k) => (env[k] ?? '') !== '');
}

/** Clients kept between turns, per service URL and audience (building one builds an Azure pipeline). */
export class ClientCache {
  private readonly clients = new Map<string, { client: Promise<ConnectorClient>; at: number }>();

  constructor(
    private readonly max = 256,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, make: () => Promise<ConnectorClient>): Promise<ConnectorClient> {
    const now = this.now();
    const kept = this.clients.get(key);
    if (kept && now - kept.at < this.ttlMs) return kept.client;
    if (kept) this.clients.delete(key);
    const client = make();
    // A failed creation is not kept: the next turn tries again.
    client.catch(() => this.clients.get(key)?.client === client && this.clients.delete(key));
    this.clients.set(key, { client, at: now });
    if (this.clients.size > this.max) this.clients.delete(this.clients.keys().next().value as string);
    return client;
  }
}

/** `inner`, with every client it creates sending through one plain request per activity (kept in `cache` when given). */
export function leanConnectorFactory(inner: ConnectorFactory, env: NodeJS.ProcessEnv = process.env, cache?: ClientCache): ConnectorFactory {
  if (proxyConfigured(env)) return inner;
  const make = async (serviceUrl: string, audience?: string) => leanSending(await inner.create(serviceUrl, audience), serviceUrl);
  return {
    create: (serviceUrl: string, audience?: string): Promise<ConnectorClient> =>
      cache ? cache.get(`${serviceUrl}\u0000${audience ?? ''}`, () => make(serviceUrl, audience)) : make(serviceUrl, audience),
  } as ConnectorFactory;
}

/**
 * A user-token client built only when a method is called: the adapter builds one for every turn
 * (another Azure pipeline) for sign-in prompts, which the assistant does not use.
 */
function lazyUserTokenClient(make: () => Promise<UserTokenClient>): UserTokenClient {
  let real: Promise<UserTokenClient> | undefined;
  return new Proxy({} as UserTokenClient, {
    get(_target, name) {
      if (name === 'then') return undefined; // not a promise
      return async (...args: unknown[]) => {
        const client = await (real ??= make());
        return (client[name as keyof UserTokenClient] as (...a: unknown[]) => unknown).apply(client, args);
      };
    },
  });
}

/**
 * Makes the adapter's authentication hand out lean-sending connector factories: for the turns it
 * authenticates (/api/messages) and for proactive messages (continueConversation); the clients are
 * kept between turns for the same service URL and audience (the credentials are the configured
 * app's, renewing their own token), and the per-turn user-token client is built only if used.
 * Sending is left to the SDK behind a proxy.
 */
export function sendLean(auth: BotFrameworkAuthentication, env: NodeJS.ProcessEnv = process.env): void {
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = async (claimsIdentity) => lazyUserTokenClient(() => createUserTokenClient(claimsIdentity));
  if (proxyConfigured(env)) return;
  const cache = new ClientCache();
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: leanConnectorFactory(result.connectorFactory, env, cache) } : result;
  };
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) => leanConnectorFactory(createFactory(claimsIdentity), env, cache);
}
