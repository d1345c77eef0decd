/**
 * Hands an activity from the built-in Direct Line endpoint to the bot, in process, without any
 * Bot Framework authentication: the request was already authorized by a Direct Line token, and
 * the bot's replies go back to this process's connector endpoints with the internal secret.
 * Works whether or not MicrosoftAppId is configured: nothing here ever talks to Azure.
 */
import {
  ActivityTypes,
  type Activity,
  type CloudAdapter,
  type TurnContext,
} from 'botbuilder';
// botbuilder's own dependency; its connector types are not re-exported by botbuilder.
import { AuthenticationConstants, ClaimsIdentity, ConnectorClient, ConnectorFactory } from 'botframework-connector';
import type { AuthenticateRequestResult } from 'botframework-connector';
import { ClientCache, leanSending } from '../connector-sender.js';

type ServiceClientCredentials = ConstructorParameters<typeof ConnectorClient>[0];
type WebResourceLike = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Credentials that sign every outgoing connector request with the internal secret. */
export class InternalSecretCredentials implements ServiceClientCredentials {
  constructor(private readonly internalSecret: string) {
    if (!internalSecret) throw new Error('the Direct Line internal secret must not be empty');
  }

  async signRequest(webResource: WebResourceLike): Promise<WebResourceLike> {
    webResource.headers.set('Authorization', `Bearer ${this.internalSecret}`);
    return webResource;
  }
}

/** Creates ConnectorClients that talk to this process's Direct Line connector endpoints. */
export class DirectLineConnectorFactory extends ConnectorFactory {
  private readonly credentials: InternalSecretCredentials;

  constructor(internalSecret: string) {
    super();
    this.credentials = new InternalSecretCredentials(internalSecret);
  }

  private readonly clients = new ClientCache();

  override async create(serviceUrl: string): Promise<ConnectorClient> {
    // Loopback to this process: always one plain request per activity (no proxy applies); one client per URL.
    return this.clients.get(serviceUrl, async () => leanSending(new ConnectorClient(this.credentials, { baseUri: serviceUrl }), serviceUrl));
  }
}

export interface DirectLineDeliveryOptions {
  /**
   * The configured MicrosoftAppId, when there is one. The adapter builds a user-token client
   * for every turn from the turn's identity, and its credential factory rejects any app id other
   * than the configured one, so the local identity must carry it (no network call is made).
   */
  readonly appId?: string | undefined;
}

/** The authentication result for a turn that came through the local Direct Line endpoint. */
export function directLineAuthResult(internalSecret: string, appId?: string): AuthenticateRequestResult {
  const claimsIdentity = appId
    ? new ClaimsIdentity(
        [
          { type: AuthenticationConstants.AudienceClaim, value: appId },
          { type: AuthenticationConstants.AppIdClaim, value: appId },
        ],
        true,
      )
    : new ClaimsIdentity([], AuthenticationConstants.AnonymousAuthType);
  return {
    audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
    claimsIdentity,
    callerId: undefined,
    connectorFactory: new DirectLineConnectorFactory(internalSecret),
  };
}

/**
 * Returns the function the Direct Line endpoint calls for every activity meant for the bot:
 * it runs one turn of `logic` on `adapter` (middleware and turn error handler included).
 */
export function createDirectLineDelivery(
  adapter: CloudAdapter,
  logic: (context: TurnContext) => Promise<void>,
  internalSecret: string,
  options: DirectLineDeliveryOptions = {},
): (activity: Partial<Activity>) => Promise<void> {
  const auth = directLineAuthResult(internalSecret, options.appId);
  return async (activity) => {
    if (!activity.type || !activity.serviceUrl || !activity.conversation?.id) {
      throw new Error('a Direct Line activity needs a type, a serviceUrl and a conversation');
    }
    // processActivity sets callerId on the activity; hand it a copy of its own.
    const copy = { ...structuredClone(activity), type: activity.type ?? ActivityTypes.Message } as Activity;
    await adapter.processActivityDirect(auth, copy, logic);
  };
}
