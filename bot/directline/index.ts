/** The built-in Direct Line 3.0 endpoint and the local Web Chat page (see routes.ts). */
export { registerDirectLine, webchatBundle, BOT_ACCOUNT, CHANNEL_ID } from './routes.js';
export type { DirectLineEndpoint, DirectLineOptions } from './routes.js';
export { DEFAULT_LIMITS } from './conversations.js';
export type { DirectLineLimits } from './conversations.js';
export {
  createDirectLineDelivery,
  directLineAuthResult,
  DirectLineConnectorFactory,
  InternalSecretCredentials,
} from './deliver.js';
export type { DirectLineDeliveryOptions } from './deliver.js';
export { DirectLineTokens } from './tokens.js';
export type { IssuedToken, TokenClaims } from './tokens.js';
