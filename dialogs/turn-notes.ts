/**
 * What a turn tells the helpdesk's tracking (dialogs/mesa/seguimiento.ts) about itself, noted by the
 * dialog that knows it: the error or re-ask it gave (a code, never what was typed), that the incoming
 * text was a secret (not to be kept anywhere), and whose document the conversation is about.
 */
import type { TurnContext } from 'botbuilder';

const ERROR = Symbol('turn-notes.error');
const SECRET = Symbol('turn-notes.secret');
const PERSON = Symbol('turn-notes.person');
const ACCOUNT = Symbol('turn-notes.account');

/** The error or re-ask this turn gave: a reason code ("REGISTRO.BLOQUEADO", "form.field:reason"). */
export function noteError(context: TurnContext, code: string): void {
  context.turnState.set(ERROR, code);
}
export const errorOf = (context: TurnContext): string | undefined => context.turnState.get(ERROR) as string | undefined;

/** The incoming text was a secret: no record keeps it. */
export function noteSecretTyped(context: TurnContext): void {
  context.turnState.set(SECRET, true);
}
export const secretTyped = (context: TurnContext): boolean => context.turnState.get(SECRET) === true;

/** The conversation is about this person (their document key), e.g. once they typed it in the registration. */
export function identifyPerson(context: TurnContext, id: string): void {
  context.turnState.set(PERSON, id);
}
export const identifiedPerson = (context: TurnContext): string | undefined => context.turnState.get(PERSON) as string | undefined;

/** The account this turn created, pending activation: the masked e-mail the link went to, and whether it was sent. */
export interface CreatedAccount {
  readonly correo: string;
  readonly enviado: boolean;
}
export function noteAccountCreated(context: TurnContext, account: CreatedAccount): void {
  context.turnState.set(ACCOUNT, account);
}
export const accountCreated = (context: TurnContext): CreatedAccount | undefined => context.turnState.get(ACCOUNT) as CreatedAccount | undefined;
