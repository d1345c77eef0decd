/**
 * Two "instances" (two pools, two middleware + adapter stacks) on one PostgreSQL database: turns of
 * one conversation never interleave, a re-delivered activity is processed once, a failed turn is
 * rolled back, a conversation held too long gives the Spanish "busy" message.
 */
import type pg from 'pg';
import { BotAdapter, ConversationState, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger, LogFields } from '../domain/ports.js';
import { migrate } from '../storage/pg/migrate.js';
import { createPool } from '../storage/pg/pool.js';
import { createPgStateStore } from '../storage/pg/pg-state-store.js';
import { render } from '../templates/render.js';
import { describePg, pgDatabase, type PgDatabase } from '../test/helpers/postgres.js';
import { conversationLockKey, createPgTurns, type PgTurns } from './pg-turns.js';

/** The smallest adapter that runs the middleware pipeline and keeps what the bot sends. */
class Harness extends BotAdapter {
  readonly sent: Partial<Activity>[] = [];
  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return activities.map((_, i) => ({ id: `sent-${this.sent.length}-${i}` }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}
  run(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

interface Logged {
  level: string;
  msg: string;
  fields?: LogFields | undefined;
}
function recordingLog(into: Logged[]): Logger {
  const at =
    (level: string) =>
    (msg: string, fields?: LogFields): void => {
      into.push({ level, msg, fields });
    };
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return log;
}

interface Instance {
  pool: pg.Pool;
  turns: PgTurns;
  adapter: Harness;
  conversationState: ConversationState;
  logged: Logged[];
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const CHANNEL = 'msteams';

function activity(conversation: string, id: string | undefined, text = 'hola'): Partial<Activity> {
  return {
    type: 'message',
    text,
    ...(id === undefined ? {} : { id }),
    channelId: CHANNEL,
    conversation: { id: conversation } as Activity['conversation'],
    from: { id: `user-${conversation}`, name: 'Persona' },
    recipient: { id: 'bot', name: 'Asistente' },
    serviceUrl: 'https://smba.example.test/',
  };
}

describePg('PostgreSQL turns across instances', () => {
  let db: PgDatabase;
  const pools: pg.Pool[] = [];

  function instance(opts: { lockTimeoutMs?: number } = {}): Instance {
    const pool = createPool(db.url, { max: 10 });
    pools.push(pool);
    const logged: Logged[] = [];
    const turns = createPgTurns({ pool, log: recordingLog(logged), ...opts });
    const adapter = new Harness();
    adapter.use(turns);
    return { pool, turns, adapter, conversationState: new ConversationState(turns.state), logged };
  }

  beforeAll(async () => {
    db = await pgDatabase();
    await migrate(db.pool);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    await db?.drop();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE conversation_state, seen_activities');
  });

  const seenCount = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM seen_activities')).rows[0]!.n);

  it('never interleaves turns of one conversation across two instances; no update is lost (200 turns, 20 conversations)', async () => {
    const a = instance();
    const b = instance();
    const spans = new Map<string, [number, number][]>();
    const served = { a: 0, b: 0 };
    const logicFor = (inst: Instance) => {
      const count = inst.conversationState.createProperty<number>('count');
      return async (context: TurnContext) => {
        const conversation = context.activity.conversation.id;
        served[inst === a ? 'a' : 'b']++;
        const enter = performance.now();
        const n = await count.get(context, 0);
        await sleep(Math.random() * 4);
        await count.set(context, n + 1);
        await inst.conversationState.saveChanges(context);
        await sleep(Math.random() * 2);
        const exit = performance.now();
        spans.set(conversation, [...(spans.get(conversation) ?? []), [enter, exit]]);
      };
    };
    const logics = [logicFor(a), logicFor(b)];
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => {
        // Round r (20 turns, one per conversation) goes to instance r % 2: each conversation alternates.
        const which = Math.floor(i / 20) % 2;
        return [a, b][which]!.adapter.run(activity(`conv-${i % 20}`, `act-${i}`), logics[which]!);
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(spans.size).toBe(20);
    expect(served.a).toBe(100);
    expect(served.b).toBe(100);
    for (const [, list] of spans) {
      expect(list).toHaveLength(10);
      const sorted = [...list].sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
    }
    // Every turn's effect is there: 10 increments per conversation, read by either instance.
    const states = await a.turns.state.read(Array.from({ length: 20 }, (_, i) => `${CHANNEL}/conversations/conv-${i}/`));
    expect(Object.values(states).map((s) => s.count)).toEqual(Array(20).fill(10));
    expect(await seenCount()).toBe(200);
    expect([...a.logged, ...b.logged].filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('processes the same activity once when both instances get it at once', async () => {
    const a = instance();
    const b = instance();
    const processed: string[] = [];
    const logic = (name: string) => async (context: TurnContext) => {
      await sleep(5);
      processed.push(`${name}:${context.activity.id}`);
      await context.sendActivity('recibido');
    };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        a.adapter.run(activity('conv-dup', `teams-${i}`), logic('a')),
        b.adapter.run(activity('conv-dup', `teams-${i}`), logic('b')),
        a.adapter.run(activity('conv-dup', `teams-${i}`), logic('a')), // and twice to the same instance
      ]).flat(),
    );
    expect(processed.map((p) => p.split(':')[1]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `teams-${i}`).sort());
    expect(a.adapter.sent.length + b.adapter.sent.length).toBe(10);
    expect(await seenCount()).toBe(10);
  });

  it('does not deduplicate activities without an id', async () => {
    const a = instance();
    let runs = 0;
    const logic = async () => {
      runs++;
    };
    await a.adapter.run(activity('conv-noid', undefined), logic);
    await a.adapter.run(activity('conv-noid', undefined), logic);
    expect(runs).toBe(2);
    expect(await seenCount()).toBe(0);
  });

  it('rolls a failing turn back: its state write is absent, and the activity is processed when delivered again', async () => {
    const a = instance();
    const b = instance();
    const failing = async (context: TurnContext) => {
      await a.conversationState.createProperty<string>('paso').set(context, 'a medias');
      await a.conversationState.saveChanges(context);
      throw new Error('the service failed');
    };
    await expect(a.adapter.run(activity('conv-fail', 'act-1'), failing)).rejects.toThrow('the service failed');
    expect(await a.turns.state.read([`${CHANNEL}/conversations/conv-fail/`])).toEqual({});
    expect(await seenCount()).toBe(0);

    let again = 0;
    await b.adapter.run(activity('conv-fail', 'act-1'), async (context) => {
      again++;
      await b.conversationState.createProperty<string>('paso').set(context, 'completo');
      await b.conversationState.saveChanges(context);
    });
    expect(again).toBe(1);
    expect((await a.turns.state.read([`${CHANNEL}/conversations/conv-fail/`]))[`${CHANNEL}/conversations/conv-fail/`].paso).toBe('completo');
    expect(await seenCount()).toBe(1);
  });

  it("rejects the framework's eTag '*' save when the state changed since the turn read it (no last writer wins)", async () => {
    const a = instance();
    const key = `${CHANNEL}/conversations/conv-stale/`;
    const outside = createPgStateStore({ pool: instance().pool });
    await outside.write({ [key]: { count: 1 } });
    const count = a.conversationState.createProperty<number>('count');
    const turn = a.adapter.run(activity('conv-stale', 'act-1'), async (context) => {
      const n = await count.get(context, 0);
      await outside.write({ [key]: { count: 100, eTag: '*' } }); // written meanwhile, outside any turn
      await count.set(context, n + 1);
      await a.conversationState.saveChanges(context); // botbuilder writes with eTag '*'
    });
    await expect(turn).rejects.toThrow(/eTag conflict/);
    expect((await outside.read([key]))[key].count).toBe(100);
    expect(await seenCount()).toBe(0);
  });

  it('when the conversation is held past the lock timeout, says so in Spanish and does not run the turn', async () => {
    const a = instance({ lockTimeoutMs: 300 });
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [conversationLockKey(CHANNEL, 'conv-busy')]);
      let runs = 0;
      const started = Date.now();
      await a.adapter.run(activity('conv-busy', 'act-1'), async () => {
        runs++;
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(runs).toBe(0);
      expect(a.adapter.sent.map((s) => s.text)).toEqual([render('general/conversacion-ocupada')]);
      expect(a.adapter.sent[0]!.text).toMatch(/espere unos segundos/);
      expect(await seenCount()).toBe(0);
      const warning = a.logged.find((l) => l.level === 'warn');
      expect(warning?.msg).toMatch(/busy/);
      expect(JSON.stringify(warning)).not.toContain('conv-busy');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // Once the lock is free, the same activity is processed.
    let runs = 0;
    await a.adapter.run(activity('conv-busy', 'act-1'), async () => {
      runs++;
    });
    expect(runs).toBe(1);
  });

  it('a turn waiting behind a long turn of the same instance also gets the message after the timeout', async () => {
    const a = instance({ lockTimeoutMs: 200 });
    const ran: string[] = [];
    const long = a.adapter.run(activity('conv-long', 'act-1'), async () => {
      await sleep(600);
      ran.push('act-1');
    });
    await sleep(20);
    await a.adapter.run(activity('conv-long', 'act-2'), async () => {
      ran.push('act-2');
    });
    await long;
    expect(ran).toEqual(['act-1']);
    expect(a.adapter.sent.map((s) => s.text)).toEqual([render('general/conversacion-ocupada')]);
    // The queue is not stuck: the next turn runs.
    await a.adapter.run(activity('conv-long', 'act-3'), async () => {
      ran.push('act-3');
    });
    expect(ran).toEqual(['act-1', 'act-3']);
  });

  it('a turn of the same conversation started inside a turn joins it (no wait on itself)', async () => {
    const a = instance({ lockTimeoutMs: 300 });
    const ran: string[] = [];
    await a.adapter.run(activity('conv-nested', 'outer'), async () => {
      await a.adapter.run(activity('conv-nested', 'inner'), async () => {
        ran.push('inner');
      });
      ran.push('outer');
    });
    expect(ran).toEqual(['inner', 'outer']);
    expect(a.adapter.sent).toEqual([]);
  });

  it('a connection lost in the middle of a turn fails the turn, not the process', async () => {
    const a = instance();
    const turn = a.adapter.run(activity('conv-lost', 'act-1'), async (context) => {
      await a.conversationState.load(context);
      // The turn's connection is the one idle in a transaction: the server ends it.
      await db.pool.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
      );
      await sleep(100);
      await a.conversationState.createProperty<number>('count').set(context, 1);
      await a.conversationState.saveChanges(context);
    });
    await expect(turn).rejects.toThrow();
    expect(a.logged.some((l) => l.level === 'warn' && /connection of a turn was lost/.test(l.msg))).toBe(true);
    // The pool goes on: the activity is processed when delivered again.
    let runs = 0;
    await a.adapter.run(activity('conv-lost', 'act-1'), async () => {
      runs++;
    });
    expect(runs).toBe(1);
  });

  it('a proactive ContinueConversation (no id) only sends: it takes no lock', async () => {
    const a = instance({ lockTimeoutMs: 200 });
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [conversationLockKey(CHANNEL, 'conv-notice')]);
      await a.adapter.run({ ...activity('conv-notice', undefined), type: 'event', name: 'ContinueConversation' }, async (context) => {
        await context.sendActivity('aviso');
      });
      expect(a.adapter.sent.map((s) => s.text)).toEqual(['aviso']);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('expires seen activities older than the TTL, in a bounded batch', async () => {
    const a = instance();
    await a.adapter.run(activity('conv-exp', 'recent'), async () => {});
    await db.pool.query(
      "INSERT INTO seen_activities (channel, conversation, activity_id, seen_at) VALUES ($1, 'conv-exp', 'old', now() - interval '25 hours')",
      [CHANNEL],
    );
    // The turn above may have started the periodic expiry in the background, which can take the old
    // record first: what counts is that after a call it is gone, the recent one stays, and nothing is due.
    await a.turns.expireSeen();
    const { rows } = await db.pool.query<{ activity_id: string }>('SELECT activity_id FROM seen_activities');
    expect(rows.map((r) => r.activity_id)).toEqual(['recent']);
    expect(await a.turns.expireSeen()).toBe(0);
    await db.pool.query(
      "INSERT INTO seen_activities (channel, conversation, activity_id, seen_at) VALUES ($1, 'conv-exp', 'old-2', now() - interval '25 hours')",
      [CHANNEL],
    );
    expect(await a.turns.expireSeen()).toBe(1);
  });

  describe('lock key', () => {
    it('is a signed 64-bit integer, different per channel and conversation', () => {
      const k = conversationLockKey('msteams', 'a');
      expect(BigInt(k)).toBeGreaterThanOrEqual(-(2n ** 63n));
      expect(BigInt(k)).toBeLessThan(2n ** 63n);
      expect(conversationLockKey('msteams', 'a')).toBe(k);
      expect(new Set([k, conversationLockKey('webchat', 'a'), conversationLockKey('msteams', 'b'), conversationLockKey('msteams|', 'a')]).size).toBe(4);
    });
  });
});
