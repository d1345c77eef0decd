import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../storage/memory-store.js';
import { records } from '../test/helpers/store.js';
import { DRAFT_KEEP_DAYS, discardDraft, draftable, loadDraft, recentDrafts, saveDraft } from './drafts.js';
import { fakeClock } from './random.js';

function setup() {
  return { store: createMemoryStore(), clock: fakeClock('2026-11-30T15:42:00.000Z') };
}
const SEALED = { $sealed: 'v1.abc' };

describe('drafts', () => {
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
