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

export class Assistant extends ActivityHandler {
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
    await super.run(context);
    await this.state.conversation.saveChanges(context, false);
    await this.state.user.saveChanges(context, false);
  }
}
