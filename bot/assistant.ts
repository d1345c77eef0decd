/** The ActivityHandler: welcome on join, every message through the main dialog, state saved once per turn. */
import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { MainDialog } from '../dialogs/main.dialog.js';

/** Typed state accessors, created once (STYLE #6). */
export interface AssistantState {
  readonly conversation: ConversationState;
  readonly user: UserState;
  readonly dialog: StatePropertyAccessor<DialogState>;
}

/**
 * botbuilder-dialogs builds the memory scopes and path resolvers of its DialogStateManager once per
 * turn (a service collection, a schema check that fails by design, new scope objects) and keeps
 * them in the turn state under this key for the turn's other dialog contexts. They hold no state of
 * their own (each reads the turn it is given), so the first turn's are kept for every later turn.
 */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

export class Assistant extends ActivityHandler {
  private dialogStateManagerConfiguration: unknown;

  constructor(
    private readonly state: AssistantState,
    private readonly main: MainDialog,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.main.run(context, this.state.dialog);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined) await context.sendActivity(await this.main.welcome(context));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (this.dialogStateManagerConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.dialogStateManagerConfiguration);
    await super.run(context);
    this.dialogStateManagerConfiguration ??= context.turnState.get(DIALOG_STATE_MANAGER_CONFIGURATION);
    await this.state.conversation.saveChanges(context, false);
    await this.state.user.saveChanges(context, false);
  }
}
