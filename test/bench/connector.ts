/**
 * The bench's side of /api/messages: a stand-in Bot Framework connector that keeps each
 * conversation's replies, and a client that posts one activity and returns the replies of that turn.
 */
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fold } from '../../domain/text.js';

export interface BotReply {
  type?: string;
  text?: string;
  attachments?: { content?: unknown }[];
}

export interface FakeConnector {
  readonly url: string;
  /** Replies received for a conversation and not taken yet. */
  take(conversationId: string): BotReply[];
  close(): Promise<void>;
}

/** Answers the bot's POSTs of replies (keeps them by conversation id) and PUTs of updates. */
export async function startConnector(): Promise<FakeConnector> {
  const inbox = new Map<string, BotReply[]>();
  let next = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    if (req.method === 'POST' && match?.[1]) {
      const id = decodeURIComponent(match[1]);
      const list = inbox.get(id) ?? [];
      list.push(JSON.parse(body) as BotReply);
      inbox.set(id, list);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `r${++next}` }));
      return;
    }
    if (req.method === 'PUT' && match?.[1]) {
      // An update of an activity already sent (a used card replaced): accepted, not a new reply.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: req.url?.split('/').pop() ?? '' }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    take(conversationId) {
      const list = inbox.get(conversationId) ?? [];
      inbox.delete(conversationId);
      return list;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** What one turn produced: its latency and the replies (folded text, button titles). */
export interface TurnResult {
  readonly ms: number;
  readonly folded: string;
  readonly buttons: string[];
}

function textsOf(node: unknown, out: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => textsOf(n, out));
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === 'string' && ['text', 'title', 'value', 'label'].includes(k)) out.push(v);
    else if (typeof v === 'object') textsOf(v, out);
  }
}

function buttonsOf(replies: readonly BotReply[]): string[] {
  for (const r of [...replies].reverse()) {
    for (const a of r.attachments ?? []) {
      const buttons = (a.content as { buttons?: { title: string }[] } | undefined)?.buttons;
      if (buttons?.length) return buttons.map((b) => b.title);
    }
  }
  return [];
}

/**
 * The bench's connections to the bot: kept alive and at most 64 at once, as a Bot Framework
 * channel posts over a pool of connections, not one new connection per conversation (1,000
 * conversations each opening their own would measure the kernel's listen backlog, not the bot).
 * A socket left idle is closed by this side after 4 s, before the bot's server closes it (Node's
 * keep-alive timeout, 5 s): otherwise a busy load generator may send on a socket the server has
 * just closed and count the ECONNRESET as a failed turn of the bot.
 */
const botAgent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });

/** POSTs JSON; resolves with the status once the whole answer is read. */
function postJson(url: string, body: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: 'POST', agent: botAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => ok(res.statusCode ?? 0));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** One conversation of the bench with a bot's /api/messages (anonymous, replies to the fake connector). */
export class Conversation {
  private seq = 0;
  constructor(
    private readonly botUrl: string,
    private readonly connector: FakeConnector,
    readonly id: string,
    private readonly userId = `u-${id}`,
  ) {}

  private activity(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `${this.id}-${++this.seq}`,
      channelId: 'emulator',
      serviceUrl: this.connector.url,
      conversation: { id: this.id },
      from: { id: this.userId, role: 'user' },
      recipient: { id: 'bot', role: 'bot' },
      locale: 'es-CO',
      timestamp: new Date().toISOString(),
      ...extra,
    };
  }

  /** The user joins: the bot's welcome. */
  join(): Promise<TurnResult> {
    return this.post(this.activity({ type: 'conversationUpdate', membersAdded: [{ id: this.userId }] }));
  }

  say(text: string): Promise<TurnResult> {
    return this.post(this.activity({ type: 'message', text }));
  }

  /** A card submit (Action.Submit data). */
  submit(value: Record<string, unknown>): Promise<TurnResult> {
    return this.post(this.activity({ type: 'message', text: '', value }));
  }

  private async post(activity: Record<string, unknown>): Promise<TurnResult> {
    const start = performance.now();
    const status = await postJson(`${this.botUrl}/api/messages`, JSON.stringify(activity)).catch((error: unknown) => {
      const e = error as { code?: string; message?: string };
      throw new Error(`POST /api/messages failed in conversation ${this.id}: ${e.code ?? ''} ${e.message ?? String(error)}`);
    });
    const ms = performance.now() - start;
    if (status !== 200) throw new Error(`/api/messages answered ${status} in conversation ${this.id}`);
    const replies = this.connector.take(this.id);
    const texts: string[] = [];
    for (const r of replies) {
      if (r.text) texts.push(r.text);
      for (const a of r.attachments ?? []) textsOf(a.content, texts);
    }
    return { ms, folded: fold(texts.join('\n').replace(/\\(.)/g, '$1')), buttons: buttonsOf(replies) };
  }
}

/** Throws when a turn's replies do not mean what the journey expects (a bench of failing turns measures nothing). */
export function expectReply(turn: TurnResult, expected: string, context: string): TurnResult {
  if (!turn.folded.includes(fold(expected))) {
    throw new Error(`${context}: expected "${expected}" in the reply, got:\n${turn.folded.slice(0, 600)}`);
  }
  return turn;
}
