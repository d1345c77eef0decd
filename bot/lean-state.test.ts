import { describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext, UserState, type BotState, type StoreItems } from 'botbuilder';
import { HANDED_OVER_MAX, LeanConversationState, LeanUserState } from './lean-state.js';
import { createMemoryStateStore } from '../storage/state-store.js';

/** MemoryStorage that records what is written. */
class RecordingStorage extends MemoryStorage {
  readonly writes: StoreItems[] = [];
  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.parse(JSON.stringify(changes)) as StoreItems);
    await super.write(changes);
  }
}

/**
 * A storage with the state store's JSON access (domain/ports.ts StateStore readJson/writeJson),
 * recording what writeJson receives as the items `write` would have: read and write must not be used.
 */
class RecordingJsonStorage {
  readonly writes: StoreItems[] = [];
  private readonly inner = createMemoryStateStore();
  readJson(key: string) {
    return this.inner.readJson!(key);
  }
  writeJson(key: string, json: string, eTag: string | undefined) {
    this.writes.push({ [key]: { ...(JSON.parse(json) as object), eTag } });
    return this.inner.writeJson!(key, json, eTag);
  }
  delete(keys: string[]) {
    return this.inner.delete(keys);
  }
  read(): never {
    throw new Error('read used: the JSON access should have been');
  }
  write(): never {
    throw new Error('write used: the JSON access should have been');
  }
}

const context = (text = 'hola') =>
  new TurnContext(new TestAdapter(async () => undefined), {
    type: 'message',
    text,
    channelId: 'test',
    conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u1', name: 'Usuario' },
    recipient: { id: 'bot', name: 'Bot' },
  });

/** One scripted sequence of turns: what each does to the state, and what the storage received. */
async function script(make: (storage: RecordingStorage) => BotState, storage: { writes: StoreItems[] } = new RecordingStorage()): Promise<{ writes: StoreItems[]; seen: unknown[] }> {
  const state = make(storage as RecordingStorage);
  const count = state.createProperty<number>('count');
  const form = state.createProperty<{ campos: Record<string, string> }>('form');
  const seen: unknown[] = [];
  const turns: ((c: TurnContext) => Promise<void>)[] = [
    async (c) => void (await count.set(c, 1)), // new state: written
    async (c) => void seen.push(await count.get(c)), // read only: not written
    async (c) => {
      const f = (await form.get(c, { campos: {} }))!; // a default set: written
      f.campos['nombre'] = 'Ana';
    },
    async (c) => {
      const f = (await form.get(c))!;
      f.campos['nombre'] = 'Ana'; // the same value again: not written
    },
    async (c) => {
      (await form.get(c))!.campos['apellido'] = 'Gómez'; // a nested change: written
      await state.saveChanges(c); // saved twice in one turn: the second finds nothing new
    },
    async (c) => {
      seen.push(state.get(c)); // nothing loaded yet this turn
      await state.load(c);
      seen.push(JSON.parse(JSON.stringify(state.get(c))));
    },
    async (c) => void (await state.clear(c)), // cleared: written empty
    async (c) => {
      seen.push(await count.get(c));
      await state.saveChanges(c, true); // forced: written though unchanged
    },
    async (c) => void (await state.delete(c)),
    async (c) => void seen.push(await count.get(c)),
  ];
  for (const turn of turns) {
    const c = context();
    await turn(c);
    await state.saveChanges(c);
  }
  return { writes: storage.writes, seen };
}

describe('lean conversation and user state', () => {
  it('write exactly what botbuilder\'s BotState writes, turn by turn, and read the same', async () => {
    for (const [lean, original] of [
      [(s: RecordingStorage) => new LeanConversationState(s), (s: RecordingStorage) => new ConversationState(s)],
      [(s: RecordingStorage) => new LeanUserState(s), (s: RecordingStorage) => new UserState(s)],
    ] as const) {
      const ours = await script(lean);
      const theirs = await script(original);
      expect(ours.writes).toEqual(theirs.writes);
      expect(ours.seen).toEqual(theirs.seen);
      expect(ours.writes).toHaveLength(5); // new, default set, nested change, cleared, forced
      expect(ours.seen).toEqual([1, undefined, { count: 1, form: { campos: { nombre: 'Ana', apellido: 'Gómez' } }, eTag: expect.any(String) }, undefined, undefined]);
    }
  });

  it('through a storage with JSON access: the same writes and reads, none through read or write', async () => {
    for (const [lean, original] of [
      [(s: RecordingStorage) => new LeanConversationState(s), (s: RecordingStorage) => new ConversationState(s)],
      [(s: RecordingStorage) => new LeanUserState(s), (s: RecordingStorage) => new UserState(s)],
    ] as const) {
      const ours = await script(lean, new RecordingJsonStorage());
      const theirs = await script(original);
      expect(ours.writes).toEqual(theirs.writes);
      expect(ours.writes).toHaveLength(5);
      // The same, but for the eTags' form (MemoryStorage counts; the state stores draw UUIDs).
      expect(ours.seen).toEqual([1, undefined, { count: 1, form: { campos: { nombre: 'Ana', apellido: 'Gómez' } }, eTag: expect.stringMatching(/^[0-9a-f-]{36}$/) }, undefined, undefined]);
    }
  });

  it('keep the cache entry where BotState.get finds it', async () => {
    const state = new LeanConversationState(new MemoryStorage());
    const c = context();
    expect(state.get(c)).toBeUndefined();
    const loaded = await state.load(c);
    expect(state.get(c)).toBe(loaded);
  });
});

describe('lean state through a JSON storage: the saved object handed to the next turn', () => {
  /** A turn's context in conversation `id`. */
  const turn = (id: string) =>
    new TurnContext(new TestAdapter(async () => undefined), {
      type: 'message',
      text: 'hola',
      channelId: 'test',
      conversation: { id, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: `u-${id}`, name: 'Usuario' },
      recipient: { id: 'bot', name: 'Bot' },
    });
  const setup = () => {
    const storage = createMemoryStateStore();
    const keys: string[] = [];
    const writeJson = storage.writeJson!.bind(storage);
    storage.writeJson = (key, json, eTag) => {
      keys.push(key);
      return writeJson(key, json, eTag);
    };
    const state = new LeanConversationState(storage);
    return { storage, keys, state, count: state.createProperty<number>('count') };
  };

  it('is the object the last turn saved, not a parse of its JSON, while the storage holds what was saved', async () => {
    const { state, count } = setup();
    const first = turn('c1');
    await count.set(first, 1);
    await state.saveChanges(first);
    const saved = state.get(first);

    const second = turn('c1');
    expect(await count.get(second)).toBe(1);
    expect(state.get(second)).toBe(saved);
    await state.saveChanges(second); // unchanged: still handed over

    const third = turn('c1');
    await state.load(third);
    expect(state.get(third)).toBe(saved);
    await count.set(third, 2);
    await state.saveChanges(third);

    const fourth = turn('c1');
    expect(await count.get(fourth)).toBe(2);
    expect(state.get(fourth)).toBe(saved);
  });

  it('is parsed again when the storage holds other JSON, when the last turn did not save, and is handed to one turn only', async () => {
    const { storage, keys, state, count } = setup();
    const first = turn('c1');
    await count.set(first, 1);
    await state.saveChanges(first);
    const saved = state.get(first);

    // Another writer (another instance of the assistant) changes the stored state.
    await storage.writeJson!(keys[0]!, JSON.stringify({ count: 5 }), '*');
    const second = turn('c1');
    expect(await count.get(second)).toBe(5);
    expect(state.get(second)).not.toBe(saved);
    await state.saveChanges(second);

    // A turn that changes the state and fails before saving: the next turn reads what is stored.
    const failed = turn('c1');
    await count.set(failed, 99);
    const third = turn('c1');
    expect(await count.get(third)).toBe(5);
    await state.saveChanges(third);

    // Two turns of the same key at the same moment (one user in two conversations, for the user state).
    const a = turn('c1');
    const b = turn('c1');
    const [stateA, stateB] = await Promise.all([state.load(a), state.load(b)]);
    expect(stateA).not.toBe(stateB);
    expect(stateA).toEqual(stateB);

    // Deleted: nothing stored, a new empty state.
    await state.delete(a);
    const fourth = turn('c1');
    expect(await count.get(fourth)).toBeUndefined();
  });

  it(`keeps the objects of the last ${HANDED_OVER_MAX} keys saved`, async () => {
    const { state, count } = setup();
    const saved: unknown[] = [];
    for (let i = 0; i <= HANDED_OVER_MAX; i++) {
      const c = turn(`c${i}`);
      await count.set(c, i);
      await state.saveChanges(c);
      saved.push(state.get(c));
    }
    const oldest = turn('c0');
    expect(await count.get(oldest)).toBe(0);
    expect(state.get(oldest)).not.toBe(saved[0]);
    const newest = turn(`c${HANDED_OVER_MAX}`);
    expect(await count.get(newest)).toBe(HANDED_OVER_MAX);
    expect(state.get(newest)).toBe(saved[HANDED_OVER_MAX]);
  });
});
