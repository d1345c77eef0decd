/** What a person sent in this turn: typed text (or an imBack card button), or a card submit value. */
import type { TurnContext } from 'botbuilder';

const MAX_TEXT = 10_000;

/** The typed text, trimmed; undefined when the activity carries none. Oversized text is cut, never rejected with a crash. */
export function incomingText(context: TurnContext): string | undefined {
  const a = context.activity;
  let text = typeof a.text === 'string' ? a.text : undefined;
  const v = a.value as Record<string, unknown> | undefined;
  if (!text && v && typeof v === 'object' && typeof v['__text'] === 'string') text = v['__text'];
  if (text === undefined) return undefined;
  // Teams wraps mentions and may add markup; keep the words only.
  text = text.replace(/<at>[^<]*<\/at>/g, '').slice(0, MAX_TEXT).trim();
  return text;
}

/** A card submit payload (an object), if the activity carries one. */
export function incomingValue(context: TurnContext): Record<string, unknown> | undefined {
  const v = context.activity.value as unknown;
  if (v && typeof v === 'object' && !Array.isArray(v) && !('__text' in v)) return v as Record<string, unknown>;
  return undefined;
}
