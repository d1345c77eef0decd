/**
 * POST /api/messages after its body checks: authenticates the Bot Framework JWT itself, then runs
 * the turn. Any request that cannot be authenticated is a 401 without detail, also when the
 * signing keys cannot be fetched (CloudAdapter.process would answer 500 with the SDK's message,
 * which names internal URLs, and print a stack per request). The log says why, once per reason
 * and interval, without a stack.
 */
import type restify from 'restify';
import type { Activity, CloudAdapter, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from '../domain/ports.js';

/** Why a request was refused, as logged. */
export type AuthFailureReason = 'missing-token' | 'invalid-token' | 'validation-unavailable';

/** How often each reason is logged at most (the others are counted and reported with the next one). */
export const AUTH_FAILURE_LOG_INTERVAL_MS = 10 * 60 * 1000;

const UNAUTHORIZED = { error: { code: 'Unauthorized', message: 'The request is not authorized.' } } as const;
const FAILED = { error: { code: 'ServiceError', message: 'Internal error.' } } as const;

export interface MessageEndpointDeps {
  readonly adapter: CloudAdapter;
  /** The adapter's authentication (the same object the adapter was built with). */
  readonly auth: BotFrameworkAuthentication;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly log: Logger;
  readonly now?: () => number;
}

/** An expected refusal (bad, expired, forged or missing token) rather than a fault of validation itself. */
function isAuthenticationError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // The SDK reports a failed key download as an AuthenticationError too, but with status 500.
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return status === 401 || status === 403;
  return error.name === 'AuthenticationError';
}

/** The first line of an error message, bounded (for the log; never sent to the caller). */
function why(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

/** Logs each reason at most once per interval, with how many were not logged since. */
export class OncePerInterval {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** The number of suppressed occurrences to report when this one is to be logged; undefined otherwise. */
  take(reason: string): number | undefined {
    const now = this.now();
    const seen = this.last.get(reason);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return undefined;
    }
    this.last.set(reason, { at: now, suppressed: 0 });
    return seen?.suppressed ?? 0;
  }
}

/** The request's activity as the SDK expects it (timestamps as dates, raw strings kept). */
function toActivity(body: Record<string, unknown>): Activity {
  const activity = body as unknown as Activity & Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity;
}

/** CloudAdapterBase.processActivity with an already authenticated request (protected in the typings). */
type ProcessAuthenticated = (result: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) => Promise<InvokeResponse | undefined>;

/** The handler of POST /api/messages once the body is known to be an activity object. */
export function createMessageEndpoint(deps: MessageEndpointDeps): (req: restify.Request, res: restify.Response) => Promise<void> {
  const { adapter, auth, logic, log } = deps;
  const limiter = new OncePerInterval(AUTH_FAILURE_LOG_INTERVAL_MS, deps.now ?? Date.now);
  const processActivity = (adapter as unknown as { processActivity: ProcessAuthenticated }).processActivity.bind(adapter);

  return async (req, res) => {
    const activity = toActivity(req.body as Record<string, unknown>);
    const header = req.headers.authorization;
    const authHeader = typeof header === 'string' ? header : '';

    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await auth.authenticateRequest(activity, authHeader);
    } catch (error) {
      const reason: AuthFailureReason = !isAuthenticationError(error)
        ? 'validation-unavailable'
        : authHeader.trim() === ''
          ? 'missing-token'
          : 'invalid-token';
      const suppressed = limiter.take(reason);
      if (suppressed !== undefined) {
        const fields = { reason, why: why(error), suppressed, logEveryMs: AUTH_FAILURE_LOG_INTERVAL_MS };
        if (reason === 'validation-unavailable') log.error('/api/messages: a request could not be authenticated (401)', fields);
        else log.warn('/api/messages: a request was refused (401)', fields);
      }
      res.send(401, UNAUTHORIZED);
      return;
    }

    try {
      const invokeResponse = await processActivity(authenticated, activity, logic);
      // The assistant handles no invoke (its cards submit as messages): the SDK's 501 for one it
      // did not answer is the caller's mistake here, a 400.
      const status = invokeResponse?.status === 501 ? 400 : (invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.send(status, invokeResponse.body);
      else res.send(status);
    } catch (error) {
      // The turn error handler already logged faults of the bot's logic: one line here, no stack.
      if (limiter.take('turn-failed') !== undefined) log.error('/api/messages: the activity could not be processed', { why: why(error) });
      if (!res.headersSent) res.send(500, FAILED);
    }
  };
}
