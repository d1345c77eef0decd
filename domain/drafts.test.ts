import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { deviceFlush } from '../storage/journal.js';
import { openJsonStore } from '../storage/json-store.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { records } from '../test/helpers/store.js';
import { DRAFT_KEEP_DAYS, discardDraft, draftable, keptDrafts, loadDraft, recentDrafts, saveDraft } from './drafts.js';
import { fakeClock } from './random.js';

function setup() {
  return { store: createMemoryStore(), clock: fakeClock('2026-11-30T15:42:00.000Z') };
}
const SEALED = { $sealed: 'v1.abc' };

describe('drafts', () => {
  it('are saved at each answer without a flush to the device of their own, and flushed before the chat tells of them (loaded, listed, kept)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccf-drafts-'));
    const store = await openJsonStore({ file: join(dir, 'db.json') });
    const deps = { store, clock: fakeClock('2026-11-30T15:42:00.000Z') };
    // Past the size a store is compacted at every write (a compaction flushes whatever is written).
    const pad = 'x'.repeat(300);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 200; i++) await tx.collection('audit').put({ id: `a${i}`, at: '2026-11-30T15:00:00.000Z', actor: 'a', action: 'conversation.started', channel: 'webchat', detail: { pad } });
    });
    // Count the flushes the store asks for.
    const datasync = vi.spyOn(deviceFlush, 'datasync');
    try {
      await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { a: 'uno' }, history: ['a'] });
      await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { a: 'uno', b: 'dos' }, history: ['a', 'b'] });
      expect(datasync).not.toHaveBeenCalled();
      expect((await loadDraft(deps, 'CC:1', 'f'))?.values).toEqual({ a: 'uno', b: 'dos' });
      expect(datasync).toHaveBeenCalledTimes(1);
      await saveDraft(deps, { owner: 'CC:1', formId: 'g', values: { c: 'tres' }, history: ['c'] });
      expect(await recentDrafts(deps, 'CC:1')).toHaveLength(2);
      expect(datasync).toHaveBeenCalledTimes(2);
      await saveDraft(deps, { owner: 'CC:1', formId: 'g', values: { c: 'cuatro' }, history: ['c'] });
      await keptDrafts(deps);
      expect(datasync).toHaveBeenCalledTimes(3);
      await keptDrafts(deps); // nothing new
      expect(datasync).toHaveBeenCalledTimes(3);
    } finally {
      datasync.mockRestore();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves the answers with a timestamp and loads them back for the same owner and form', async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { a: 'uno', b: 'dos' }, history: ['a', 'b'] });
    const draft = await loadDraft(deps, 'CC:1', 'f');
    expect(draft).toMatchObject({ owner: 'CC:1', formId: 'f', values: { a: 'uno', b: 'dos' }, history: ['a', 'b'], savedAt: '2026-11-30T15:42:00.000Z' });
  });

  it('keeps one draft per owner and form: another form or another person is separate', async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'datos', values: { a: '1' }, history: ['a'] });
    await saveDraft(deps, { owner: 'CC:1', formId: 'credenciales', values: { b: '2' }, history: ['b'] });
    await saveDraft(deps, { owner: 'CC:1', formId: 'datos', values: { a: '3' }, history: ['a'] });
    expect((await loadDraft(deps, 'CC:1', 'datos'))?.values).toEqual({ a: '3' });
    expect((await loadDraft(deps, 'CC:1', 'credenciales'))?.values).toEqual({ b: '2' });
    expect(await loadDraft(deps, 'CC:2', 'datos')).toBeUndefined();
    expect(await records(deps.store, 'drafts')).toHaveLength(2);
  });

  it('lists the person\'s drafts that can still be resumed, the newest first (not another person\'s, not one too old)', async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'viejo', values: { a: '1' }, history: ['a'] });
    deps.clock.advance(2 * 86_400_000);
    await saveDraft(deps, { owner: 'CC:1', formId: 'datos', values: { a: '1' }, history: ['a'] });
    deps.clock.advance(3_600_000);
    await saveDraft(deps, { owner: 'CC:1', formId: 'credenciales', values: { b: '2' }, history: ['b'] });
    await saveDraft(deps, { owner: 'CC:2', formId: 'datos', values: { a: '3' }, history: ['a'] });
    expect((await recentDrafts(deps, 'CC:1')).map((d) => d.formId)).toEqual(['credenciales', 'datos', 'viejo']);
    deps.clock.advance((DRAFT_KEEP_DAYS - 1) * 86_400_000);
    expect((await recentDrafts(deps, 'CC:1')).map((d) => d.formId)).toEqual(['credenciales', 'datos']);
  });

  it('never keeps a sealed secret (or any non-plain value), nor its place in the history', async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { usuario: 'ana', clave: SEALED, n: 3, si: true }, history: ['usuario', 'clave'] });
    const [stored] = await records(deps.store, 'drafts');
    expect(stored?.values).toEqual({ usuario: 'ana', n: 3, si: true });
    expect(stored?.history).toEqual(['usuario']);
    expect(JSON.stringify(stored)).not.toContain('$sealed');
  });

  it.each([
    [{ a: 'x', b: undefined, c: { $sealed: 'y' }, d: [1], e: Number.NaN, f: null }, { a: 'x', f: null }],
    [{}, {}],
  ])('draftable(%j) → %j', (values, expected) => {
    expect(draftable(values)).toEqual(expected);
  });

  it('saving with no answers left removes the draft', async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { a: '1' }, history: ['a'] });
    expect(await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { clave: SEALED }, history: [] })).toBeUndefined();
    expect(await loadDraft(deps, 'CC:1', 'f')).toBeUndefined();
  });

  it('discard removes it; discarding nothing is fine', async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { a: '1' }, history: ['a'] });
    expect(await discardDraft(deps, 'CC:1', 'f')).toBe(true);
    expect(await discardDraft(deps, 'CC:1', 'f')).toBe(false);
    expect(await loadDraft(deps, 'CC:1', 'f')).toBeUndefined();
  });

  it(`a draft older than ${DRAFT_KEEP_DAYS} days is not resumed and is removed`, async () => {
    const deps = setup();
    await saveDraft(deps, { owner: 'CC:1', formId: 'f', values: { a: '1' }, history: ['a'] });
    deps.clock.advance(DRAFT_KEEP_DAYS * 24 * 3600_000);
    expect(await loadDraft(deps, 'CC:1', 'f')).toBeDefined();
    deps.clock.advance(1);
    expect(await loadDraft(deps, 'CC:1', 'f')).toBeUndefined();
    expect(await records(deps.store, 'drafts')).toHaveLength(0);
  });
});
