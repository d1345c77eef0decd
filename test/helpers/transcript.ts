/** Data-driven dialog transcripts over botbuilder-testing's DialogTestClient. */
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Dialog } from 'botbuilder-dialogs';
import { expect } from 'vitest';
import { fold } from '../../domain/text.js';

export type Input = string | { value: Record<string, unknown> } | Partial<Activity>;
/** A check on all the replies of one turn. */
export type Expectation = string | RegExp | ((replies: Reply) => void);
export type Turn = readonly [Input, Expectation];

export interface TranscriptCase {
  readonly name: string;
  readonly turns: readonly Turn[];
  /** Checked after the last turn against the dialog turn result. */
  readonly result?: (client: DialogTestClient) => void;
}

/** Everything the bot sent in one turn, flattened for assertions. */
export interface Reply {
  readonly activities: Partial<Activity>[];
  /** Message texts plus card texts (TextBlocks, facts, button titles), joined. */
  readonly text: string;
  /** Same, folded (no accents, lower case) for meaning-level matching. */
  readonly folded: string;
  readonly cards: Record<string, unknown>[];
}

function cardTexts(node: unknown, out: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => cardTexts(n, out));
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === 'string' && ['text', 'title', 'value', 'label', 'fallbackText'].includes(k)) out.push(v);
    else if (typeof v === 'object') cardTexts(v, out);
  }
}

export function toReply(activities: Partial<Activity>[]): Reply {
  const texts: string[] = [];
  const cards: Record<string, unknown>[] = [];
  for (const a of activities) {
    if (a.type && a.type !== 'message') continue;
    if (a.text) texts.push(a.text);
    for (const att of a.attachments ?? []) {
      cards.push(att.content as Record<string, unknown>);
      cardTexts(att.content, texts);
    }
  }
  // What the person sees: Markdown escapes of echoed text removed.
  const text = texts.join('\n').replace(/\\([\\`*_{}[\]()|<>~])/g, '$1');
  return { activities, text, folded: fold(text), cards };
}

function toActivity(input: Input): Partial<Activity> | string {
  if (typeof input === 'string') return input;
  if ('value' in input && input.value && !('type' in input)) return { type: 'message', value: input.value, text: '' } as Partial<Activity>;
  return input as Partial<Activity>;
}

/** Sends one input and collects every reply of the turn. */
export async function say(client: DialogTestClient, input: Input): Promise<Reply> {
  const first = await client.sendActivity(toActivity(input) as never);
  const activities: Partial<Activity>[] = first ? [first] : [];
  for (let next = client.getNextReply(); next; next = client.getNextReply()) activities.push(next);
  return toReply(activities.filter((a) => a.type === 'message'));
}

/** Checks one expectation: a string means "this meaning appears" (accents and case ignored). */
export function check(reply: Reply, expectation: Expectation, context: string): void {
  if (typeof expectation === 'function') return expectation(reply);
  if (typeof expectation === 'string') {
    expect(reply.folded, `${context}: expected "${expectation}" in:\n${reply.text}`).toContain(fold(expectation));
    return;
  }
  expect(reply.text, context).toMatch(expectation);
}

export async function runTranscript(client: DialogTestClient, c: TranscriptCase): Promise<void> {
  for (const [i, [input, expectation]] of c.turns.entries()) {
    const reply = await say(client, input);
    check(reply, expectation, `${c.name} — turn ${i + 1} (${JSON.stringify(input).slice(0, 60)})`);
  }
  c.result?.(client);
}

export function newClient(dialog: Dialog): DialogTestClient {
  return new DialogTestClient('test', dialog);
}
