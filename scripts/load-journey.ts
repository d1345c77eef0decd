/**
 * Capacity probe (not the benchmark): the first dozen turns of a registration from N concurrent
 * conversations posted to `/api/messages`, against the assistant and against an echo bot on the
 * same restify + CloudAdapter stack. Each server runs in its own child process (so a CPU profile
 * holds the server alone); the fake connector and the load run here.
 *
 *   npx tsx scripts/load-journey.ts                          # both, 10 conversations, 10 s each
 *   npx tsx scripts/load-journey.ts --seconds 20 --conversations 10 --only app --prof /tmp/prof
 *
 * `cpuPerTurn` is the server's own CPU time per turn, steadier than turns/s on a shared machine.
 * Diagnostics for the assistant's child: PROBE_LOG=1 prints turn errors; PROBE_MEMORY_STORE=1 and
 * PROBE_MEMORY_STATE=1 swap in the in-memory store / conversation state (what the disk costs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};

const person = EXAMPLE_PERSONS.citizenCe;
const JOURNEY: (string | undefined)[] = [
  undefined, // conversationUpdate: the welcome
  'Registrarme', 'Acepto', 'cédula de extranjería', person.numeroDocumento, person.primerNombre, 'omitir',
  person.primerApellido, person.segundoApellido ?? 'omitir', person.fechaNacimiento.split('-').reverse().join('/'),
  person.fechaExpedicion, 'Masculino', 'confirmar',
];
/** What the last turn of a journey must say (checked once per server, so a broken journey is not measured as fast). */
const LAST_REPLY = 'pregunta 1 de 4';

// ---------------------------------------------------------------- the servers (child processes)

/** The server's own CPU time (ms): under a busy machine, CPU per turn is steadier than turns per second. */
async function cpuRoute(_req: unknown, res: { send(code: number, body: unknown): void }): Promise<void> {
  const { user, system } = process.cpuUsage();
  res.send(200, { ms: (user + system) / 1000 });
}

async function serveApp(): Promise<string> {
  const { startApp } = await import('../test/helpers/app.js');
  const overrides: Record<string, unknown> = {};
  if (process.env['PROBE_LOG']) overrides['log'] = (await import('../bot/log.js')).createLogger('error', {}, (line) => process.stderr.write(`${line}\n`));
  if (process.env['PROBE_MEMORY_STORE']) overrides['store'] = (await import('../storage/memory-store.js')).createMemoryStore();
  if (process.env['PROBE_MEMORY_STATE']) overrides['stateStore'] = (await import('../storage/state-store.js')).createMemoryStateStore();
  const app = await startApp({ LOCAL_CONNECTORS: 'true' }, overrides);
  app.server.get('/__probe/cpu', cpuRoute);
  process.on('SIGTERM', () => void app.stop().finally(() => process.exit(0)));
  return app.url;
}

async function serveEcho(): Promise<string> {
  const restify = (await import('restify')).default;
  const { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } = await import('botbuilder');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });
  bot.onMembersAdded(async (context, next) => {
    await context.sendActivity('Hola');
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.get('/__probe/cpu', cpuRoute);
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as { port: number };
  process.on('SIGTERM', () => process.exit(0));
  return `http://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------- the load (this process)

function startServer(kind: 'app' | 'echo', prof: string | undefined): Promise<{ url: string; child: ChildProcess }> {
  const node = ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
  const child = spawn(process.execPath, [...node, fileURLToPath(import.meta.url), 'serve', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${kind} server exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (url) => ok({ url: url.trim(), child }));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    child.removeAllListeners('exit');
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

async function fakeConnector() {
  const { startFakeConnector } = await import('../test/helpers/app.js');
  return startFakeConnector();
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Result {
  kind: string;
  turns: number;
  turnsPerS: number;
  /** Server CPU time per turn (ms). */
  cpuPerTurn: number;
  p50: number;
  p99: number;
}

async function load(kind: 'app' | 'echo', seconds: number, conversations: number, prof: string | undefined): Promise<Result> {
  const connector = await fakeConnector();
  const { url, child } = await startServer(kind, prof);
  try {
    return await measure(kind, url, connector, seconds, conversations);
  } finally {
    await stopServer(child);
    await connector.close();
  }
}

async function measure(kind: 'app' | 'echo', url: string, connector: Awaited<ReturnType<typeof fakeConnector>>, seconds: number, conversations: number): Promise<Result> {
  let serial = 0;
  const post = async (conversation: string, user: string, text: string | undefined): Promise<number> => {
    const activity = {
      ...(text === undefined
        ? { type: 'conversationUpdate', membersAdded: [{ id: user }] }
        : { type: 'message', text }),
      id: `p-${++serial}`, channelId: 'msteams', serviceUrl: connector.url, timestamp: new Date().toISOString(),
      conversation: { id: conversation }, from: { id: user, name: 'Usuario' }, recipient: { id: 'bot', name: 'Asistente CCF' },
    };
    const start = performance.now();
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await res.arrayBuffer();
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`${kind}: turn "${text}" answered ${res.status}`);
    return ms;
  };
  const journey = async (c: number, round: number, times: number[] | undefined): Promise<void> => {
    for (const text of JOURNEY) {
      const ms = await post(`${kind}-${c}-${round}`, `u-${c}-${round}`, text);
      times?.push(ms);
    }
  };

  // Warm-up (and the check that the journey really runs), then the measured window.
  await Promise.all(Array.from({ length: conversations }, (_, c) => journey(c, 0, undefined)));
  const said = connector.received.map((a) => JSON.stringify(a)).join('\n');
  if (kind === 'app' && !said.toLowerCase().includes(LAST_REPLY)) throw new Error(`the journey did not reach "${LAST_REPLY}":\n${said.slice(-2000)}`);
  const cpu = async (): Promise<number> => ((await (await fetch(`${url}/__probe/cpu`)).json()) as { ms: number }).ms;
  const cpuBefore = await cpu();
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      for (let round = 1; performance.now() < until; round++) await journey(c, round, times);
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpuMs = (await cpu()) - cpuBefore;
  times.sort((a, b) => a - b);
  return { kind, turns: times.length, turnsPerS: Math.round(times.length / elapsed), cpuPerTurn: +(cpuMs / times.length).toFixed(2), p50: +percentile(times, 50).toFixed(1), p99: +percentile(times, 99).toFixed(1) };
}

if (args[0] === 'serve') {
  const url = await (args[1] === 'echo' ? serveEcho() : serveApp());
  process.stdout.write(`${url}\n`);
} else {
  const seconds = Number(opt('seconds', '10'));
  const conversations = Number(opt('conversations', '10'));
  const only = opt('only', '');
  const prof = args.includes('--prof') ? opt('prof', '/tmp/ccf-prof') : undefined;
  const rows: Result[] = [];
  for (const kind of ['echo', 'app'] as const) if (!only || only === kind) rows.push(await load(kind, seconds, conversations, prof));
  console.table(rows);
  const echo = rows.find((r) => r.kind === 'echo');
  const app = rows.find((r) => r.kind === 'app');
  if (echo && app) {
    console.log(`assistant / echo: ${((100 * app.turnsPerS) / echo.turnsPerS).toFixed(0)} % of the echo bot's turns per second; ` +
      `${((100 * echo.cpuPerTurn) / app.cpuPerTurn).toFixed(0)} % by server CPU per turn`);
  }
}
