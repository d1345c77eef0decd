/**
 * Two instances of the assistant (two processes, test/fixtures/pg-instance.ts) on one PostgreSQL
 * database, behind a round-robin proxy started here (issue 14): a full registration + employer
 * journey whose turns alternate between them ends as on one instance; 200 concurrent turns over 20
 * conversations are each answered once, never interleaved; the same activity posted to both at once
 * is processed once; the built-in Direct Line endpoint runs on one instance only, and a notice raised
 * on the other reaches its Web Chat conversations through PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openInstanceLink, DirectLineEndpointTaken } from '../bot/pg-instance.js';
import { silentLogger } from '../bot/log.js';
import { fold } from '../domain/text.js';
import { createPgStateStore } from '../storage/pg/pg-state-store.js';
import { activate, casts, journey, type Cast } from './bench/journey.js';
import { Conversation, startConnector, type FakeConnector, type TurnResult } from './bench/connector.js';
import { describePg, pgDatabase, type PgDatabase } from './helpers/postgres.js';
import { loginChat, newChat, registerAndActivate } from './helpers/chat-people.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';

const SECRETS_KEY = randomBytes(32).toString('hex');

interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts one instance; rejects with its start-up error when it prints one. */
function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/pg-instance.ts'], {
    // One public address for every instance (as behind a load balancer), so links in replies are the same.
    env: { ...process.env, LOG_LEVEL: 'silent', LOCAL_CONNECTORS: 'true', SECRETS_KEY, PUBLIC_BASE_URL: 'https://asistente.test', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('instance did not start in 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n') || !line) return;
      clearTimeout(timer);
      const printed = JSON.parse(line) as { url?: string; error?: string };
      if (!printed.url) return fail(new Error(printed.error ?? line));
      ok({
        url: printed.url,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`instance exited with ${code}: ${out.trim()}`));
    });
  });
}

/** A round-robin HTTP proxy in front of `targets`; remembers which target got each request. */
async function roundRobin(targets: readonly string[]): Promise<{ url: string; sent: { target: number; path: string }[]; close(): Promise<void> }> {
  const sent: { target: number; path: string }[] = [];
  let next = 0;
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const target = next++ % targets.length;
    sent.push({ target, path: req.url ?? '' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'authorization', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
    try {
      const answer = await fetch(`${targets[target]}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
        redirect: 'manual',
      });
      const body = Buffer.from(await answer.arrayBuffer());
      const out: Record<string, string> = {};
      for (const h of ['content-type', 'location']) {
        const v = answer.headers.get(h);
        if (v) out[h] = v;
      }
      res.writeHead(answer.status, out);
      res.end(body);
    } catch {
      res.writeHead(502);
      res.end();
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Every turn of the registration + employer journey, in order (folded replies). */
async function runJourney(botUrl: string, dataDir: string, connector: FakeConnector, cast: Cast, id: string): Promise<string[]> {
  const turns: TurnResult[] = [];
  const record = (t: TurnResult) => turns.push(t);
  await journey.register(new Conversation(botUrl, connector, `${id}-registro`), cast, record);
  await activate(botUrl, dataDir, cast.email);
  await journey.employer(new Conversation(botUrl, connector, `${id}-empleador`), cast, record);
  // The identity questions are drawn at random: only their numbering is compared.
  return turns.map((t) => t.folded.replace(/(pregunta \d de 4) .*/, '$1'));
}

/** What the stores hold, per collection: how many records, and their fields besides ids and times. */
async function storedShape(db: PgDatabase): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ collection: string; n: string }>('SELECT collection, count(*) AS n FROM records GROUP BY collection ORDER BY collection');
  return Object.fromEntries(rows.map((r) => [r.collection, Number(r.n)]));
}

interface Reply {
  type?: string;
  text?: string;
  replyToId?: string;
}

const ERROR_TEXT = fold('ocurrió un problema al procesar su mensaje');
const BUSY_TEXT = fold('todavía estamos atendiendo su mensaje anterior');

/** Posts one activity to a bot's /api/messages (anonymous, replies to the connector). */
async function post(botUrl: string, connector: FakeConnector, conversation: string, id: string, text: string): Promise<number> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      type: 'message',
      text,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      from: { id: `u-${conversation}`, role: 'user' },
      recipient: { id: 'bot', role: 'bot' },
      locale: 'es-CO',
      timestamp: new Date().toISOString(),
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

describePg('two instances on one PostgreSQL database', () => {
  let db: PgDatabase;
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  let proxy: Awaited<ReturnType<typeof roundRobin>>;
  let connector: FakeConnector;

  beforeAll(async () => {
    db = await pgDatabase();
    // One data directory for both: the e-mails of the outbox (the activation link) are read from it.
    dataDir = await mkdtemp(join(tmpdir(), 'asistente-pg-'));
    a = await startInstance({ DATABASE_URL: db.url, DATA_DIR: dataDir, DIRECTLINE_LOCAL: 'true' });
    b = await startInstance({ DATABASE_URL: db.url, DATA_DIR: dataDir, DIRECTLINE_LOCAL: 'false' });
    proxy = await roundRobin([a.url, b.url]);
    connector = await startConnector();
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await connector?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('done-when: a registration + employer journey whose turns alternate between the instances ends as on one instance', async () => {
    const [cast] = await casts(1, `pg${randomBytes(3).toString('hex')}`);
    const from = proxy.sent.length;
    const two = await runJourney(proxy.url, dataDir, connector, cast!, 'rr');

    // The turns alternated: every /api/messages request went to the other instance than the one before.
    const turns = proxy.sent.slice(from).filter((s) => s.path === '/api/messages');
    expect(turns.length).toBe(two.length);
    const switches = turns.slice(1).filter((s, i) => s.target !== turns[i]!.target).length;
    expect(switches).toBeGreaterThanOrEqual(turns.length - 2); // the activation page, between the two chats, takes one turn of the rotation
    expect(turns.filter((s) => s.target === 0).length).toBeGreaterThanOrEqual(Math.floor(turns.length / 2) - 1);
    expect(turns.filter((s) => s.target === 1).length).toBeGreaterThanOrEqual(Math.floor(turns.length / 2) - 1);

    // The same journey of the same person on one instance with its own database.
    const single = await pgDatabase();
    const singleDir = await mkdtemp(join(tmpdir(), 'asistente-pg1-'));
    const one = await startInstance({ DATABASE_URL: single.url, DATA_DIR: singleDir });
    try {
      const alone = await runJourney(one.url, singleDir, connector, cast!, 'one');
      expect(two).toEqual(alone);
      expect(fold(two.at(-1)!)).toContain('paso');
      expect(await storedShape(db)).toEqual(await storedShape(single));
      const citizens = await db.pool.query<{ data: { email?: string; estado?: string } }>("SELECT data FROM records WHERE collection = 'citizens'");
      expect(citizens.rows.map((r) => r.data.email)).toEqual([cast!.email]);
    } finally {
      await one.stop();
      await single.drop();
      await rm(singleDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('200 concurrent turns over 20 conversations: each answered once, whole, turns of one conversation never interleaved', async () => {
    const conversations = Array.from({ length: 20 }, (_, i) => `burst-${i}-${randomBytes(3).toString('hex')}`);
    const ids = new Map(conversations.map((c) => [c, Array.from({ length: 10 }, (_, j) => `${c}-m${j}`)]));
    // Each conversation at the login's first question first: there "ayuda" answers with two messages (the
    // help, then the login card again, never one message: bot/coalesce.ts keeps a masked card apart).
    expect(await Promise.all(conversations.map((c) => post(proxy.url, connector, c, `${c}-start`, 'Ingresar')))).toEqual(conversations.map(() => 200));
    for (const c of conversations) connector.take(c);
    const from = proxy.sent.length;
    const statuses = await Promise.all(conversations.flatMap((c) => ids.get(c)!.map((id) => post(proxy.url, connector, c, id, 'ayuda'))));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const byInstance = [0, 1].map((t) => proxy.sent.slice(from).filter((s) => s.target === t).length);
    expect(byInstance).toEqual([100, 100]);

    for (const c of conversations) {
      const replies = (connector.take(c) as Reply[]).filter((r) => r.type === 'message');
      const texts = replies.map((r) => fold(r.text ?? ''));
      expect(texts.filter((t) => t.includes(ERROR_TEXT) || t.includes(BUSY_TEXT))).toEqual([]); // no stale write, no timeout
      // Each turn's replies are together: the replyToId sequence is one run per activity.
      const runs: string[] = [];
      for (const r of replies) if (runs.at(-1) !== r.replyToId) runs.push(r.replyToId ?? '');
      expect(runs.length).toBe(10);
      // Turns send several messages each (so interleaved turns would show as broken runs).
      expect(replies.length).toBeGreaterThanOrEqual(20);
      expect([...runs].sort()).toEqual([...ids.get(c)!].sort()); // every activity answered, none twice
    }
    // Every turn committed once: its activity is recorded in the transaction of its state write (the login's start aside).
    const seen = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM seen_activities WHERE conversation LIKE 'burst-%' AND activity_id NOT LIKE '%-start'");
    expect(Number(seen.rows[0]!.n)).toBe(200);

    // And the conversations go on normally afterwards.
    for (const c of conversations.slice(0, 3)) {
      expect(await post(proxy.url, connector, c, `${c}-after`, 'ayuda')).toBe(200);
      const after = (connector.take(c) as Reply[]).filter((r) => r.type === 'message');
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((r) => r.replyToId === `${c}-after` && !fold(r.text ?? '').includes(ERROR_TEXT))).toBe(true);
    }
  }, 180_000);

  it('the same activity posted to both instances at once is processed once', async () => {
    const tag = randomBytes(3).toString('hex');
    // A baseline: how many messages the first turn of a conversation sends.
    expect(await post(a.url, connector, `base-${tag}`, `base-${tag}-1`, 'hola')).toBe(200);
    const baseline = (connector.take(`base-${tag}`) as Reply[]).filter((r) => r.type === 'message').length;
    expect(baseline).toBeGreaterThan(0);

    for (let round = 0; round < 5; round++) {
      const conversation = `dup-${tag}-${round}`;
      const id = `${conversation}-1`;
      const statuses = await Promise.all([post(a.url, connector, conversation, id, 'hola'), post(b.url, connector, conversation, id, 'hola')]);
      expect(statuses).toEqual([200, 200]);
      const replies = (connector.take(conversation) as Reply[]).filter((r) => r.type === 'message');
      expect(replies.length).toBe(baseline);
      expect(replies.every((r) => r.replyToId === id)).toBe(true);
    }
    const seen = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM seen_activities WHERE conversation LIKE $1', [`dup-${tag}-%`]);
    expect(Number(seen.rows[0]!.n)).toBe(5);
  }, 60_000);

  it('the built-in Direct Line endpoint runs on one instance: a second one configured to serve it refuses to start, naming the switch', async () => {
    await expect(startInstance({ DATABASE_URL: db.url, DATA_DIR: dataDir, DIRECTLINE_LOCAL: 'true' })).rejects.toThrow(/DIRECTLINE_LOCAL=false/);
    // The chat page is served by the endpoint's instance only.
    expect((await fetch(`${a.url}/`)).status).toBe(200);
    expect((await fetch(`${b.url}/`)).status).toBe(404);
    const token = await fetch(`${b.url}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(token.status).toBe(404);
  }, 60_000);

  it('a notice raised on the other instance reaches a Web Chat conversation of the built-in endpoint (delegate designated)', async () => {
    // The delegate registers and logs in through the local Web Chat, served by instance A only.
    const maria = EXAMPLE_PERSONS.delegateComfama;
    await registerAndActivate(a.url, dataDir, maria, `maria.${randomBytes(3).toString('hex')}@correo.com`, 'Guayacan-Florido-2026');
    const mariaChat = await newChat(a.url);
    await loginChat(mariaChat, maria, 'Guayacan-Florido-2026');

    // A legal representative registers their company naming her, every turn on instance B.
    const cast = (await casts(2, `dl${randomBytes(3).toString('hex')}`))[1]!;
    expect(cast.delegate.numeroDocumento).toBe(maria.numeroDocumento);
    const record = () => undefined;
    await journey.register(new Conversation(b.url, connector, `dl-${cast.email}`), cast, record);
    await activate(b.url, dataDir, cast.email);
    // The journey expects an invitation (a delegate not registered yet); she is registered, so the
    // last turns differ: the registration turn ran, and with it the notice.
    await journey.employer(new Conversation(b.url, connector, `dl-${cast.email}-2`), cast, record).catch((e: Error) => {
      if (!/invitacion/.test(e.message)) throw e;
    });
    const notice = await mariaChat.waitFor('usted fue designado', 15_000);
    expect(notice).toContain(fold(cast.company.razonSocial).split(' ')[0]!);
  }, 120_000);
});

describePg('instance link (bot/pg-instance.ts)', () => {
  let db: PgDatabase;
  beforeAll(async () => {
    db = await pgDatabase();
    await db.pool.query("SELECT 1"); // the database exists
    const { migrate } = await import('../storage/pg/migrate.js');
    await migrate(db.pool);
  });
  afterAll(() => db?.drop());

  it('a notice raised where the Direct Line endpoint is not served reaches the instance that serves it (only an id in the notification)', async () => {
    const outbox = createPgStateStore({ pool: db.pool });
    const endpoint = await openInstanceLink({ url: db.url, directLine: true, outbox, log: silentLogger });
    const other = await openInstanceLink({ url: db.url, directLine: false, outbox, log: silentLogger, ackTimeoutMs: 2_000 });
    try {
      await expect(openInstanceLink({ url: db.url, directLine: true, outbox, log: silentLogger })).rejects.toBeInstanceOf(DirectLineEndpointTaken);

      const delivered: unknown[] = [];
      endpoint.onNotice(async (reference, activities) => {
        delivered.push({ reference, activities });
        return true;
      });
      const reference = { channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'c1' } };
      const activities = [{ type: 'message', text: 'Usted fue designado delegado.' }];
      expect(await other.relay(reference, activities)).toBe(true);
      expect(delivered).toEqual([{ reference, activities }]);
      // The outbox row is gone once delivered.
      const left = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM conversation_state');
      expect(Number(left.rows[0]!.n)).toBe(0);

      // A delivery that fails is reported as not delivered to the sender.
      endpoint.onNotice(async () => false);
      expect(await other.relay(reference, activities)).toBe(false);
    } finally {
      await other.close();
      await endpoint.close();
    }
  }, 30_000);

  it('without an instance serving the endpoint, a relayed notice is not delivered (false after the wait), and nothing stays in the outbox', async () => {
    const outbox = createPgStateStore({ pool: db.pool });
    const lone = await openInstanceLink({ url: db.url, directLine: false, outbox, log: silentLogger, ackTimeoutMs: 300 });
    try {
      expect(await lone.relay({ channelId: 'webchat', conversation: { id: 'c2' } }, [{ type: 'message', text: 'x' }])).toBe(false);
      const left = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM conversation_state');
      expect(Number(left.rows[0]!.n)).toBe(0);
    } finally {
      await lone.close();
    }
    // The endpoint's lock went with its connection: a new instance may serve it now.
    const again = await openInstanceLink({ url: db.url, directLine: true, outbox, log: silentLogger });
    await again.close();
  }, 30_000);

  it('a lost instance connection is reported unhealthy (for /healthz) and frees the endpoint for another instance', async () => {
    const outbox = createPgStateStore({ pool: db.pool });
    const endpoint = await openInstanceLink({ url: db.url, directLine: true, outbox, log: silentLogger });
    try {
      expect(endpoint.healthy).toBe(true);
      await db.pool.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'asistente-ccf-instance'",
      );
      for (let i = 0; i < 50 && endpoint.healthy; i++) await new Promise((ok) => setTimeout(ok, 50));
      expect(endpoint.healthy).toBe(false);
      const next = await openInstanceLink({ url: db.url, directLine: true, outbox, log: silentLogger });
      await next.close();
    } finally {
      await endpoint.close();
    }
  }, 30_000);
});
