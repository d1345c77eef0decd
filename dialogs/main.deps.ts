/** Everything the main dialog and the process dialogs need, given by the composition root (bot/). */
import type { StatePropertyAccessor } from 'botbuilder';
import type { CuentaDeps } from '../domain/cuenta.js';
import type { Clock, SecretBox } from '../domain/ports.js';
import type { Session } from '../domain/session.js';
import type { ServiciosDialogDeps } from './servicios/texts.js';

export interface MainDialogDeps extends CuentaDeps, ServiciosDialogDeps {
  readonly clock: Clock;
  readonly secrets: SecretBox;
  /** The person's session, kept per channel user (created once in bot/). */
  readonly session: StatePropertyAccessor<Session | undefined>;
}
