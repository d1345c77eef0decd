/**
 * A tiny bot behind the built-in Direct Line endpoint, on a real restify server on 127.0.0.1, for
 * the Direct Line and Web Chat tests. The bot: a welcome when the user joins, "eco: <text>" for a
 * message, and "archivo: <name> (<size> bytes)" for each attachment (after fetching its contentUrl);
 * "secreto …" is deleted (context.deleteActivity) and answered SECRET_RETRACTED; "tarjeta" sends a
 * hero card that "usar tarjeta" replaces (context.updateActivity) with the text "tarjeta usada".
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type TurnContext,
} from 'botbuilder';
import { silentLogger } from '../../bot/log.js';
import {
  createDirectLineDelivery,
  registerDirectLine,
  type DirectLineEndpoint,
  type DirectLineLimits,
} from '../../bot/directline/index.js';
import type { Clock } from '../../domain/ports.js';

/** What the browser test needs from whatever serves the chat page. */
export interface ChatTarget {
  /** Base URL of the page, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  close(): Promise<void>;
}

export const TEST_BOT_WELCOME = '¡Hola! Soy el bot de prueba del Asistente CCF. Escriba algo y se lo repito.';
/** The test bot's answer to "secreto …", after it deleted that message (context.deleteActivity). */
export const SECRET_RETRACTED = 'retiré su mensaje';

export class TestBot extends ActivityHandler {
  /** Every activity the bot processed, in order. */
  readonly turns: Partial<Activity>[] = [];
  /** The last "tarjeta" sent in each conversation (its activity id), for "usar tarjeta". */
  private readonly cards = new Map<string, string>();

  constructor() {
    super();
    this.onTurn(async (context, next) => {
      this.turns.push({ ...context.activity });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) {
        await context.sendActivity(TEST_BOT_WELCOME);
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      const text = context.activity.text ?? '';
      const attachments = context.activity.attachments ?? [];
      if (attachments.length > 0) {
        for (const a of attachments) {
          if (!a.contentUrl) continue;
          const res = await fetch(a.contentUrl);
          const size = res.ok ? (await res.arrayBuffer()).byteLength : -1;
          await context.sendActivity(`archivo: ${a.name ?? '?'} (${size} bytes)`);
        }
      } else if (text.startsWith('secreto ')) {
        // Like the assistant with a password typed in the chat: the message is taken back.
        await context.deleteActivity(context.activity.id ?? '');
        await context.sendActivity(SECRET_RETRACTED);
      } else if (text === 'tarjeta') {
        const sent = await context.sendActivity({ type: 'message', text: 'tarjeta original', attachments: [CardFactory.heroCard('Ingresar', undefined, ['Enviar'])] });
        if (sent?.id) this.cards.set(context.activity.conversation.id, sent.id);
      } else if (text === 'usar tarjeta') {
        const id = this.cards.get(context.activity.conversation.id) ?? '';
        await context.updateActivity({ id, type: 'message', text: 'tarjeta usada', attachments: [] });
        await context.sendActivity('eco: usar tarjeta');
      } else {
        await context.sendActivity(`eco: ${text}`);
      }
      await next();
    });
  }
}

export interface DirectLineBotOptions {
  /** Listen on this port (a restart test reuses the previous one); 0 = any free port. */
  readonly port?: number;
  /** Token key; pass the previous one to simulate a restart. */
  readonly tokenKey?: Buffer;
  readonly limits?: Partial<DirectLineLimits>;
  readonly clock?: Clock;
  /** Configure the adapter as if MicrosoftAppId were set (no network is used either way). */
  readonly appId?: string;
}

export interface DirectLineBot extends ChatTarget {
  readonly port: number;
  readonly tokenKey: Buffer;
  readonly internalSecret: string;
  readonly bot: TestBot;
  readonly directLine: DirectLineEndpoint;
  /** Errors the adapter's turn error handler saw. */
  readonly turnErrors: Error[];
}

export async function startDirectLineBot(options: DirectLineBotOptions = {}): Promise<DirectLineBot> {
  const tokenKey = options.tokenKey ?? randomBytes(32);
  const internalSecret = randomBytes(32).toString('base64url');
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(
      options.appId ? { MicrosoftAppId: options.appId, MicrosoftAppPassword: 'not-used-offline', MicrosoftAppType: 'MultiTenant' } : {},
    ),
  );
  const turnErrors: Error[] = [];
  adapter.onTurnError = async (_context: TurnContext, error: Error) => {
    turnErrors.push(error);
  };
  const bot = new TestBot();
  const logic = (context: TurnContext) => bot.run(context);

  const server = restify.createServer({ name: 'directline-test', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 6 * 1024 * 1024, mapFiles: false }));

  let port = options.port ?? 0;
  const directLine = registerDirectLine(server, {
    deliver: createDirectLineDelivery(adapter, logic, internalSecret, { appId: options.appId }),
    serviceUrl: () => `http://127.0.0.1:${port}/`,
    tokenKey,
    internalSecret,
    log: silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tokenKey,
    internalSecret,
    bot,
    directLine,
    turnErrors,
    close: async () => {
      directLine.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.server.closeAllConnections();
      await closed;
    },
  };
}
