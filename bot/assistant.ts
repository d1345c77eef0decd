/** The ActivityHandler: welcome on join, every message through the main dialog, state saved once per turn. */
import { ActivityHandler, ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder';
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

/**
 * The description of the symbol under which botbuilder-dialogs notes in the turn state that the
 * turn's "activityReceived" dialog event was emitted (a private symbol of its DialogContext). The
 * first continueDialog of a turn emits that event from the innermost dialog outwards, building a
 * DialogContext (with its state manager) for every level of the stack to find it. No dialog of
 * the assistant handles the event (only botbuilder's prompts look at it, to recognize and stop it:
 * nothing they keep), so after the first turn shows the symbol, every turn starts with it noted.
 */
const ACTIVITY_RECEIVED_EMITTED = 'ActivityReceivedEmitted';

function emittedMark(context: TurnContext): symbol | undefined {
  for (const key of context.turnState.keys()) if (typeof key === 'symbol' && key.description === ACTIVITY_RECEIVED_EMITTED) return key;
  return undefined;
}

export class Assistant extends ActivityHandler {
  private dialogStateManagerConfiguration: unknown;
  private activityReceivedEmitted: symbol | undefined;

  constructor(
    private readonly state: AssistantState,
    private readonly main: MainDialog,
  ) {
    super();
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined) await context.sendActivity(await this.main.welcome(context));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    if (this.dialogStateManagerConfiguration) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.dialogStateManagerConfiguration);
    if (this.activityReceivedEmitted) context.turnState.set(this.activityReceivedEmitted, true);
    // A message goes straight to the main dialog. ActivityHandler's dispatch (turn, message and
    // dialog handler chains, about fifteen async layers) found only that one handler for it: ~3 %
    // of a turn's event-loop time and 5 % of what a turn allocates, measured. Every other activity
    // (the welcome on join, invokes, events) still goes through it.
    if (context.activity?.type === ActivityTypes.Message) await this.main.run(context, this.state.dialog);
    else await super.run(context);
    this.dialogStateManagerConfiguration ??= context.turnState.get(DIALOG_STATE_MANAGER_CONFIGURATION);
    this.activityReceivedEmitted ??= emittedMark(context);
    await this.state.conversation.saveChanges(context, false);
    await this.state.user.saveChanges(context, false);
  }
}
