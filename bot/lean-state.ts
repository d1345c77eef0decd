/**
 * Conversation and user state that tell a changed state by its JSON.
 *
 * botbuilder's BotState hashes the state three times a turn for each of the two (at load, before
 * saving, after saving): a JSON.stringify with a replacer function called for every value, then
 * SHA-256. Measured, about 5 % of a turn's CPU. These keep the state's JSON when it is loaded and
 * compare it with the JSON at save time: two plain JSON.stringify a turn, the same rule for what
 * counts as a change (the whole state but its eTag), the same cache entry in the turn state, so
 * BotState's get, clear and delete and botbuilder-dialogs' memory scopes work on it unchanged.
 * A storage that hands out and takes an item's JSON (the file store's `readJson` and `writeJson`)
 * saves two more: the JSON at load is the storage's, and the JSON at save is what it writes.
 *
 * Through such a storage the state object a turn saved is also kept (for the most recently saved
 * keys) and handed to the next turn of that key, instead of parsing the JSON again, when the storage
 * still holds the very JSON it was saved as: any other write in between (another instance, a delete,
 * a clear) makes them differ and the JSON is parsed. A kept object is handed out once (two turns
 * of one user at the same moment never share it). It relies on what the Assistant does: the state
 * is saved at the end of the turn and not changed after; a turn that fails before saving keeps
 * nothing.
 */
import { BotState, ConversationState, UserState, type Storage, type StorageKeyFactory, type TurnContext } from 'botbuilder';
import type { StateStore } from '../domain/ports.js';

type State = Record<string, unknown>;
/** BotState's cache entry in the turn state; `hash` holds the JSON here (BotState only compares it). */
interface Cached {
  state: State;
  hash: string;
}

/** The state as compared: everything but the eTag the storage stamps on it. */
function jsonOf(state: State): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/** The storage's JSON methods (the StateStore port's optional ones), when it has them. */
type JsonStorage = Required<Pick<StateStore, 'readJson' | 'writeJson'>>;
const jsonStorage = (storage: Storage): JsonStorage | undefined => {
  const s = storage as Storage & Partial<JsonStorage>;
  return typeof s.readJson === 'function' && typeof s.writeJson === 'function' ? (s as JsonStorage) : undefined;
};

/** How many saved state objects each BotState keeps for their key's next turn (the most recent). */
export const HANDED_OVER_MAX = 500;

/** A saved state object and the JSON it was saved as. */
interface Saved {
  readonly json: string;
  readonly state: State;
}

/** The state objects of the keys saved last, by BotState (see the module comment). */
const handedOver = new WeakMap<BotState, Map<string, Saved>>();

function keep(owner: BotState, id: string, saved: Saved): void {
  let kept = handedOver.get(owner);
  if (!kept) handedOver.set(owner, (kept = new Map()));
  kept.delete(id); // re-inserted last: Map order is the recency order
  kept.set(id, saved);
  if (kept.size > HANDED_OVER_MAX) kept.delete(kept.keys().next().value as string);
}

/** The object saved under `id`, once, when `json` is still what it was saved as. */
function takeKept(owner: BotState, id: string, json: string): State | undefined {
  const kept = handedOver.get(owner);
  const saved = kept?.get(id);
  if (!saved) return undefined;
  kept!.delete(id);
  return saved.json === json ? saved.state : undefined;
}

/** The symbol BotState keeps its cache entry under (a private field of botbuilder-core's BotState). */
function cacheKey(state: BotState): symbol {
  const key = (state as unknown as { stateKey?: unknown }).stateKey;
  if (typeof key !== 'symbol') throw new Error('botbuilder BotState no longer keeps its cache under stateKey: bot/lean-state.ts needs a look');
  return key;
}

async function load(owner: BotState, storage: Storage, storageKey: StorageKeyFactory, context: TurnContext, force: boolean): Promise<State> {
  const key = cacheKey(owner);
  const cached = context.turnState.get(key) as Cached | undefined;
  if (!force && cached?.state) return cached.state;
  const id = await storageKey(context);
  const direct = jsonStorage(storage);
  if (direct) {
    const stored = await direct.readJson(id);
    const state = stored ? (takeKept(owner, id, stored.json) ?? (JSON.parse(stored.json) as State)) : {};
    if (stored?.eTag !== undefined) state['eTag'] = stored.eTag;
    context.turnState.set(key, { state, hash: stored?.json ?? '{}' } satisfies Cached);
    return state;
  }
  const items = await storage.read([id]);
  const state = (items[id] as State | undefined) ?? {};
  context.turnState.set(key, { state, hash: jsonOf(state) } satisfies Cached);
  return state;
}

async function saveChanges(owner: BotState, storage: Storage, storageKey: StorageKeyFactory, context: TurnContext, force: boolean): Promise<void> {
  const key = cacheKey(owner);
  let cached = context.turnState.get(key) as Cached | undefined;
  const now = cached ? jsonOf(cached.state) : undefined;
  const direct = jsonStorage(storage);
  if (!force && (!cached || cached.hash === now)) {
    // Unchanged: the object is still what the storage holds.
    if (cached && direct) keep(owner, await storageKey(context), { json: cached.hash, state: cached.state });
    return;
  }
  const id = await storageKey(context);
  cached ??= { state: {}, hash: '' };
  cached.state['eTag'] = '*';
  const json = now ?? jsonOf(cached.state);
  if (direct) {
    await direct.writeJson(id, json, '*');
    keep(owner, id, { json, state: cached.state });
  } else await storage.write({ [id]: cached.state });
  cached.hash = json;
  context.turnState.set(key, cached);
}

export class LeanConversationState extends ConversationState {
  override load(context: TurnContext, force = false): Promise<State> {
    return load(this, this.storage, this.storageKey, context, force);
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveChanges(this, this.storage, this.storageKey, context, force);
  }
}

export class LeanUserState extends UserState {
  override load(context: TurnContext, force = false): Promise<State> {
    return load(this, this.storage, this.storageKey, context, force);
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveChanges(this, this.storage, this.storageKey, context, force);
  }
}
