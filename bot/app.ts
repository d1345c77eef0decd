/**
 * Composition root: picks the adapters (JSON store and file conversation state, or PostgreSQL with
 * DATABASE_URL; outbox or SMTP mail), builds the bot and the restify server with its endpoints.
 */
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import restify from 'restify';
import type { TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Clock, ConnectionTester, Logger, Mailer, OpenApiReader, Random, StateStore, Store } from '../domain/ports.js';
import type { Session } from '../domain/session.js';
import type { ReferenceRegistry } from '../domain/reference.js';
import { casesOnlyInThisProcess } from '../domain/casos-mesa.js';
import { cryptoRandom, systemClock } from '../domain/random.js';
import type { MainDialog, MainDialogDeps } from '../dialogs/main.dialog.js';
import { createMailer } from '../mail/mailer.js';
import { openJsonStore } from '../storage/json-store.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { passwordHasher } from '../storage/password-hasher.js';
import { createSecretBox, loadOrCreateDevKey, parseSecretsKey } from '../storage/secret-box.js';
import { createFileStateStore } from '../storage/state-store.js';
import { runRetention } from '../storage/retention.js';
import { whenQuiet } from './when-quiet.js';
import { render } from '../templates/render.js';
import { registerAccountPages } from './account-pages.js';
import { registerPrivacyPage } from './privacy-page.js';
import { createDocLinks } from './doc-links.js';
import { registerServiciosPages } from './servicios-pages.js';
import { terminosVigentes } from '../dialogs/servicios/texts.js';
import { createMessageEndpoint } from './api-messages.js';
import { securityHeaders } from './security-headers.js';
import { API_MESSAGES_MAX_BYTES, bodyGuard, DEFAULT_MAX_BODY_BYTES } from './body.js';
import { createAttachmentDownloader } from './attachments.js';
import { createFileLinks, registerFileRoutes } from './files.js';
import { parseStaffList, staffDirectory } from '../domain/staff.js';
import { createFileBlobStore } from '../storage/blob-store.js';
import type { Assistant } from './assistant.js';
import type { Config } from './config.js';
import { checkInboundServiceUrl } from './outbound.js';
import { createLogger } from './log.js';
import { CardButtonText, DeduplicateActivities, InFlightTurns, SerializeConversations } from './middleware.js';
import { ensureExampleServices } from '../domain/catalogo.js';
import { createConnectionTester } from './probar-conexion.js';

export interface AppOverrides {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly log?: Logger;
  readonly mailer?: Mailer;
  readonly store?: Store;
  readonly stateStore?: StateStore;
  /** Probar conexión's tester: tests pass one allowed to reach their loopback HTTPS servers; production never does. */
  readonly tester?: ConnectionTester;
  /** The reference sources; the committed data set by default (the bench brings a larger one). */
  readonly reference?: ReferenceRegistry;
}

export interface App {
  readonly url: string;
  readonly port: number;
  readonly server: restify.Server;
  readonly store: Store;
  readonly mailer: Mailer;
  readonly log: Logger;
  /** Stops accepting requests, waits for turns in flight, flushes storage. */
  close(): Promise<void>;
}

/** Module loads block the process: the requests that arrived during one are answered before the next. */
const requestsFirst = () => new Promise<void>((ok) => setImmediate(ok));

/**
 * The retention job's schedule: a minute after start, then daily, once no turn began for 30 s
 * (looked at every 10 s), or after 6 hours of waiting for such a moment.
 */
const RETENTION_SCHEDULE = { firstAfterMs: 60_000, everyMs: 24 * 3600_000, quietMs: 30_000, checkMs: 10_000, maxWaitMs: 6 * 3600_000 } as const;

/** A short, non-reversible reference for logs (never the raw id). */
export const ref = (value: string | undefined): string =>
  value ? createHash('sha256').update(value).digest('hex').slice(0, 12) : '-';

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const clock = overrides.clock ?? systemClock;
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true, mode: 0o700 }); // personal data: only this user (when created here)

  // Secrets at rest: the configured key, or a generated development key (loudly).
  let key = config.SECRETS_KEY ? parseSecretsKey(config.SECRETS_KEY) : undefined;
  if (config.SECRETS_KEY && !key) throw new Error('SECRETS_KEY is not a valid 32-byte key');
  if (!key) {
    const dev = await loadOrCreateDevKey(dataDir);
    key = dev.key;
    log.warn('SECRETS_KEY is not set: using a DEVELOPMENT key stored in the data directory. Never use it in production.', {
      path: dev.path,
      created: dev.created,
    });
  }
  const secrets = createSecretBox(key, config.SECRETS_KEY_PREVIOUS); // opens what previous keys sealed until `npm run rotar-clave`

  // PostgreSQL (several instances on one database) when DATABASE_URL is set: pg and its adapters load
  // only then. Otherwise the embedded JSON store and the file conversation state in DATA_DIR.
  const postgres = config.DATABASE_URL
    ? await (await import('./pg-instance.js')).openPostgres({
        url: config.DATABASE_URL,
        secrets,
        clock,
        log,
        directLine: config.DIRECTLINE_LOCAL,
        store: overrides.store,
        stateStore: overrides.stateStore,
      })
    : undefined;
  if (postgres) {
    log.info('storage: PostgreSQL', { directLine: config.DIRECTLINE_LOCAL });
    if (!config.SECRETS_KEY) log.warn('DATABASE_URL without SECRETS_KEY: every instance on the database must use the same SECRETS_KEY, or one cannot open the state another sealed.');
  }
  const store = postgres?.store ?? overrides.store ?? (await openJsonStore({ file: join(dataDir, 'asistente.json') }));
  // One process per JSON file: its helpdesk cases change only here, so the relay keeps their conversations in memory.
  if (!postgres) casesOnlyInThisProcess(store);
  // Conversation state is sealed at rest: form answers, the session and chat references are personal data.
  const stateStore = postgres?.stateStore ?? overrides.stateStore ?? createFileStateStore(join(dataDir, 'conversaciones'), { secrets });
  const mailer =
    overrides.mailer ??
    createMailer({ smtpUrl: config.SMTP_URL, outboxDir: join(dataDir, 'outbox'), from: config.MAIL_FROM, log, clock });
  const reference = overrides.reference ?? defaultReferenceRegistry(); // loaded and indexed now, not on a user's first turn
  // swagger-parser and its schema compiler load with the first document read (seeding, an upload), not at start.
  let reader: Promise<OpenApiReader> | undefined;
  const openapi: OpenApiReader = {
    read: async (bytes) => (await (reader ??= import('../storage/openapi.js').then((m) => m.openApiReader()))).read(bytes),
  };
  const random = overrides.random ?? cryptoRandom;

  // HTTP server.
  const server = restify.createServer({ name: 'asistente-ccf', handleUncaughtExceptions: false });
  server.pre(securityHeaders()); // nosniff, no referrer, no framing, a closed CSP unless a page sets its own
  // Until every route is registered (the Bot Framework loads once the server listens), requests other
  // than /healthz wait for them.
  let routed = false;
  let routesDone!: () => void;
  const routes = new Promise<void>((ok) => (routesDone = ok));
  server.pre((req: restify.Request, _res: restify.Response, next: restify.Next) => {
    if (routed || req.getPath() === '/healthz') return next();
    void routes.then(() => next());
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Bodies are read per route, bounded (bot/body.ts): /api/messages here, Direct Line and the account
  // forms in their own modules; anything else gets a small default. Depth checked before parsing.
  server.use(
    bodyGuard({
      rules: [{ method: 'POST', path: /^\/api\/messages$/, maxBytes: API_MESSAGES_MAX_BYTES }],
      defaultMaxBytes: DEFAULT_MAX_BODY_BYTES,
    }),
  );
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) log.error('request failed', { method: req.method, path: req.getPath(), status, err: err.message });
    else log.debug('request refused', { method: req.method, path: req.getPath(), status });
    return cb();
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    try {
      await store.health();
      await stateStore.read([]);
      if (postgres && !postgres.link.healthy) throw new Error('the instance connection to PostgreSQL was lost');
      res.send(200, { status: 'ok' });
    } catch (error) {
      log.error('health check failed', { err: String(error) });
      res.send(503, { status: 'error' });
    }
  });

  let port = config.PORT;
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(config.PORT, config.HOST, () => {
        server.removeListener('error', fail);
        ok();
      });
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    await postgres?.close().catch(() => undefined);
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  log.info('assistant listening', { url: `http://localhost:${port}`, auth: config.MicrosoftAppId ? 'jwt' : 'anonymous' });

  // The Bot Framework, then the dialogs, load in steps that let waiting requests through between them.
  await requestsFirst();
  const { CloudAdapter, ConfigurationBotFrameworkAuthentication, ShowTypingMiddleware } = await import('botbuilder');
  await requestsFirst();
  const [{ Assistant }, { createNotifier }, { CHANNEL_ID, registerDirectLine }, { createDirectLineDelivery }, { sendLean }, { coalesceMessages }, { LeanConversationState, LeanUserState }] = await Promise.all([
    import('./assistant.js'),
    import('./notifier.js'),
    import('./directline/index.js'),
    import('./directline/deliver.js'),
    import('./connector-sender.js'),
    import('./coalesce.js'),
    import('./lean-state.js'),
  ]);

  // Bot Framework: JWT enforced when MicrosoftAppId is set; anonymous (local use) when it is not.
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  // Replies go to the connector as one plain request each (bot/connector-sender.ts), not through the Azure pipeline.
  sendLean(auth);
  const adapter = new CloudAdapter(auth);
  const inFlight = new InFlightTurns();
  adapter.use(inFlight);
  if (postgres) {
    // Across instances: a transaction-scoped advisory lock per conversation, seen activities recorded
    // in the turn's transaction, the conversation state written in it.
    adapter.use(postgres.turns);
  } else {
    adapter.use(new SerializeConversations());
    adapter.use(new DeduplicateActivities());
  }
  // A turn's plain text goes as the first paragraph of its next message (bot/coalesce.ts).
  adapter.use(coalesceMessages(adapter));
  adapter.use(new CardButtonText());
  adapter.use(new ShowTypingMiddleware(800, 2000));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('turn failed', {
      err: { name: error.name, message: error.message, stack: error.stack },
      channel: context.activity.channelId,
      conversation: ref(context.activity.conversation?.id),
    });
    try {
      await context.sendActivity(render('general/error'));
    } catch (sendError) {
      log.error('could not send the apology', { err: String(sendError) });
    }
  };

  // Changes told by the state's JSON, not botbuilder's three hashes a turn (bot/lean-state.ts).
  const conversationState = new LeanConversationState(stateStore);
  const userState = new LeanUserState(stateStore);
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const session = userState.createProperty<Session | undefined>('sesion');
  const blobs = createFileBlobStore(join(dataDir, 'archivos'));
  // Retention (domain/retention.ts): a minute after start, then daily, each time at a quiet moment
  // (bot/when-quiet.ts); `npm run retencion` runs the same job.
  let retentionRun: Promise<void> | undefined;
  const retain = () =>
    (retentionRun ??= runRetention(
      { store, blobs, random, blobDir: join(dataDir, 'archivos'), ...(overrides.stateStore || postgres ? {} : { stateDir: join(dataDir, 'conversaciones') }) },
      clock.now(),
    )
      .then(async (counts) => {
        // Conversation state in PostgreSQL: the same period as the state files.
        const conversaciones = postgres ? await postgres.purgeIdleState(clock.now()) : undefined;
        log.info('retention ran', conversaciones === undefined ? counts : { ...counts, conversacionesPostgres: conversaciones });
      })
      .catch((e: unknown) => log.error('retention failed', { err: e instanceof Error ? e.message : String(e) }))
      .finally(() => (retentionRun = undefined)));
  const stopRetention = whenQuiet(retain, { ...RETENTION_SCHEDULE, lastTurnAt: () => inFlight.lastTurnAt });
  const staff = staffDirectory({ admins: parseStaffList(config.STAFF_ADMINS), helpdesk: parseStaffList(config.STAFF_MESA_AYUDA) });
  const fileLinks = createFileLinks(
    Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'asistente-ccf/file-links', 32)),
    clock,
    () => cuenta.publicBaseUrl,
  );
  const docLinks = createDocLinks(
    Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'asistente-ccf/doc-links', 32)),
    clock,
    () => cuenta.publicBaseUrl,
  );
  // One object shared by the dialogs and the pages: publicBaseUrl is fixed up once the port is known.
  const cuenta: { -readonly [K in keyof MainDialogDeps]: MainDialogDeps[K] } = {
    store, reference, clock, random, mailer, passwords: passwordHasher, publicBaseUrl: config.publicBaseUrl, secrets, session,
    blobs, staff, download: createAttachmentDownloader({
      // Direct Line uploads are read in process, by id; Teams files through the outbound guard.
      local: { attachmentUrlPrefix: () => directLine?.attachmentUrlPrefix() ?? '', getAttachment: (id) => directLine?.getAttachment(id) },
      log,
    }), rutLink: (sha256) => fileLinks.rutLink(sha256),
    notifier: { remember: (c, id) => notifier.remember(c, id), notify: (id, text) => notifier.notify(id, text), deliver: (r, a) => notifier.deliver(r, a) },
    openapi,
    docLink: (citizenId, nit, servicioId) => docLinks.swaggerLink(citizenId, nit, servicioId),
    // Probar conexión: public https addresses only, checked at connection time (no option opens loopback here).
    tester: overrides.tester ?? createConnectionTester({ log, allowPorts: config.SERVICIOS_PUERTOS }),
    puertosPermitidos: config.SERVICIOS_PUERTOS,
  };
  // The dialogs (botbuilder-dialogs, the recognizers) and the example catalog are prepared once the server
  // listens, so /healthz and the pages answer meanwhile; a turn that comes first waits for them.
  let assistant: Promise<Assistant> | undefined;
  const conversations = () =>
    (assistant ??= (async () => {
      const [{ MainDialog }, { leanDialogs }] = await Promise.all([import('../dialogs/main.dialog.js'), import('./lean-dialogs.js')]);
      leanDialogs(); // botbuilder-dialogs' per-DialogContext costs, cut (bot/lean-dialogs.ts)
      await requestsFirst();
      const { EXAMPLE_SERVICES } = await import('../storage/reference/servicios.js');
      await requestsFirst();
      // The shipped example services of the catalog (synthetic), seeded once; an administrator's changes stay.
      const seeded = await ensureExampleServices({ store, blobs, clock, random, openapi }, EXAMPLE_SERVICES);
      if (seeded > 0) log.info('example services seeded', { count: seeded });
      return new Assistant({ conversation: conversationState, user: userState, dialog: dialogState }, new MainDialog(cuenta));
    })());
  const logic = async (context: TurnContext) => (await conversations()).run(context);

  const messages = createMessageEndpoint({ adapter, auth, logic, log });
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: { code: 'BadArgument', message: 'The body must be a Bot Framework activity.' } });
      return;
    }
    // Where the replies would be POSTed, checked before anything runs (bot/outbound.ts): anonymous,
    // only this server's own loopback URL and never the built-in Direct Line channel; with an app
    // id, a public https serviceUrl (the token's claim is compared with it by the SDK).
    const refusal = checkInboundServiceUrl(body, {
      anonymous: !config.MicrosoftAppId,
      ownPort: port,
      builtInChannelId: CHANNEL_ID,
      localConnectors: config.LOCAL_CONNECTORS,
    });
    if (refusal) {
      log.warn('/api/messages: activity refused', { reason: refusal });
      res.send(403, { error: { code: 'Forbidden', message: 'The activity is not accepted.' } });
      return;
    }
    await messages(req, res); // 401 without detail when the request cannot be authenticated
  });

  registerAccountPages(server, { cuenta, log });
  registerPrivacyPage(server);
  registerServiciosPages(server, { links: docLinks, servicios: cuenta, vigentes: terminosVigentes, log });
  registerFileRoutes(server, { links: fileLinks, blobs, log });

  const internalSecret = randomBytes(32).toString('base64url');
  const localServiceUrl = () => `http://127.0.0.1:${port}/`;
  const notifier = createNotifier({
    adapter, state: stateStore, internalSecret, appId: config.MicrosoftAppId, localServiceUrl, log,
    // Several instances: a Web Chat conversation of the built-in endpoint lives on the instance that
    // serves it; a notice raised elsewhere goes there through PostgreSQL (bot/pg-instance.ts).
    relay: (reference, activities) =>
      postgres && reference.channelId === CHANNEL_ID && reference.serviceUrl?.startsWith('http://127.0.0.1:') && !postgres.link.servesDirectLine
        ? postgres.link.relay(reference as Record<string, unknown>, activities as Record<string, unknown>[])
        : undefined,
  });
  postgres?.link.onNotice((reference, activities) => notifier.deliver(reference, activities));
  const tokenKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'asistente-ccf/directline-token', 32));
  // The built-in Direct Line endpoint and its Web Chat page, unless DIRECTLINE_LOCAL=false (another
  // instance serves it: its conversations live in one process's memory).
  const directLine = config.DIRECTLINE_LOCAL
    ? registerDirectLine(server, {
        deliver: createDirectLineDelivery(adapter, logic, internalSecret, { appId: config.MicrosoftAppId }),
        serviceUrl: localServiceUrl,
        tokenKey,
        internalSecret,
        log,
        clock,
      })
    : undefined;

  if (!config.PUBLIC_BASE_URL) cuenta.publicBaseUrl = `http://localhost:${port}`; // links in e-mails point at the real port

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((ok) => server.close(() => ok()));
      // Keep-alive connections would otherwise go on reaching this instance after it stopped listening.
      server.server.closeIdleConnections();
      directLine?.close();
      stopRetention();
      await inFlight.idle(10_000);
      server.server.closeAllConnections();
      await Promise.race([stopped, new Promise((ok) => setTimeout(ok, 2_000).unref())]);
      await retentionRun;
      await assistant?.catch(() => undefined); // the seeding writes to the store
      // The file store folds its journal into the state files (a journal left behind is replayed at the next start).
      await stateStore.close?.().catch((error: unknown) => log.error('conversation state: folding the journal failed', { err: String(error) }));
      await store.close();
      await postgres?.close(); // after the store: the pool is the caller's to end
      await mailer.close?.();
    })());

  routed = true;
  routesDone();
  try {
    await conversations(); // resolves ready for turns, as before; the process answers /healthz meanwhile
  } catch (error) {
    await close();
    throw error;
  }
  return { url, port, server, store, mailer, log, close };
}
