/**
 * Drafts: a form's answers saved after each accepted answer, so the same person can resume the form
 * later, in this or another conversation. One draft per owner (citizen id) and form; never secrets.
 *
 * Saved at every answer without a flush to the device of its own ('deferred': written, so a crash of
 * the process loses nothing; the next flush covers it): the chat says a draft is kept only after
 * `Store.sync()` — when it is read to be resumed or listed (here), and before a help text says the
 * answers are kept (`keptDrafts`).
 */
import type { Clock, Draft, DraftValue, Store } from './ports.js';

export type { Draft, DraftValue };

export interface DraftDeps {
  readonly store: Store;
  readonly clock: Clock;
}

/** A draft older than this is not resumed; it is removed when found. */
export const DRAFT_KEEP_DAYS = 30;
const DAY = 24 * 3600_000;

export const draftId = (owner: string, formId: string): string => `${formId}|${owner}`;

const isPlain = (v: unknown): v is DraftValue =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The answers a draft may keep: plain values only, so a sealed secret (an object) never enters one. */
export function draftable(values: Readonly<Record<string, unknown>>): Record<string, DraftValue> {
  const out: Record<string, DraftValue> = {};
  for (const [k, v] of Object.entries(values)) if (isPlain(v)) out[k] = v;
  return out;
}

export interface DraftInput {
  readonly owner: string;
  readonly formId: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly history: readonly string[];
}

const DEFERRED = { durability: 'deferred' } as const;

/** Saves (replaces) the person's draft of a form; with no answers left, removes it instead. */
export async function saveDraft(deps: DraftDeps, input: DraftInput): Promise<Draft | undefined> {
  const values = draftable(input.values);
  const id = draftId(input.owner, input.formId);
  if (Object.keys(values).length === 0) {
    await deps.store.transaction((tx) => tx.collection('drafts').delete(id), DEFERRED);
    return undefined;
  }
  const draft: Draft = {
    id,
    owner: input.owner,
    formId: input.formId,
    values,
    history: input.history.filter((k) => k in values),
    savedAt: deps.clock.now().toISOString(),
  };
  await deps.store.transaction((tx) => tx.collection('drafts').put(draft), DEFERRED);
  return draft;
}

/** Makes every draft saved so far durable: before the chat says a person's answers are kept. */
export function keptDrafts(deps: { readonly store: Store }): Promise<void> {
  return deps.store.sync();
}

/** The person's draft of a form, if there is one recent enough to resume. */
export async function loadDraft(deps: DraftDeps, owner: string, formId: string): Promise<Draft | undefined> {
  const id = draftId(owner, formId);
  await keptDrafts(deps);
  return deps.store.transaction(async (tx) => {
    const draft = await tx.collection('drafts').get(id);
    if (!draft) return undefined;
    if (deps.clock.now().getTime() - new Date(draft.savedAt).getTime() > DRAFT_KEEP_DAYS * DAY) {
      await tx.collection('drafts').delete(id);
      return undefined;
    }
    return draft;
  });
}

/** The person's drafts recent enough to resume (as loadDraft keeps them), the newest first: which form and when. */
export async function recentDrafts(deps: DraftDeps, owner: string): Promise<readonly { readonly formId: string; readonly savedAt: string }[]> {
  const now = deps.clock.now().getTime();
  await keptDrafts(deps);
  const drafts = await deps.store.transaction((tx) => tx.collection('drafts').findBy('owner', owner));
  return drafts
    .filter((d) => now - new Date(d.savedAt).getTime() <= DRAFT_KEEP_DAYS * DAY)
    .sort((a, b) => b.savedAt.localeCompare(a.savedAt))
    .map((d) => ({ formId: d.formId, savedAt: d.savedAt }));
}

/** Removes the person's draft of a form (the form was finished, or they start over). */
export function discardDraft(deps: DraftDeps, owner: string, formId: string): Promise<boolean> {
  return deps.store.transaction((tx) => tx.collection('drafts').delete(draftId(owner, formId)));
}
