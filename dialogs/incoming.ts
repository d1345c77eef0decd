/**
 * What a person sent in this turn: typed text (card buttons that stand for words arrive as text:
 * bot/middleware.ts CardButtonText), or a card submit value.
 */
import type { Attachment, TurnContext } from 'botbuilder';
import type { Result } from '../domain/result.js';

const MAX_TEXT = 10_000;

/** The typed text, trimmed; undefined when the activity carries none. Oversized text is cut, never rejected with a crash. */
export function incomingText(context: TurnContext): string | undefined {
  const a = context.activity;
  if (typeof a.text !== 'string') return undefined;
  // Teams wraps mentions and may add markup; keep the words only.
  return a.text.replace(/<at>[^<]*<\/at>/g, '').slice(0, MAX_TEXT).trim();
}

/** A card submit payload (an object), if the activity carries one. */
export function incomingValue(context: TurnContext): Record<string, unknown> | undefined {
  const v = context.activity.value as unknown;
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  return undefined;
}

/** The file the person attached (a Web Chat upload, a Teams file), not a card; undefined when none. */
export function incomingFile(context: TurnContext): Attachment | undefined {
  return (context.activity.attachments ?? []).find((a) => (a.contentUrl || a.content) && !a.contentType?.startsWith('application/vnd.microsoft.card'));
}

/** Downloads what a person attached (Web Chat upload, Teams file), bounded in size (bot/attachments.ts). */
export type AttachmentDownloader = (
  attachment: Attachment,
  maxBytes: number,
) => Promise<Result<{ bytes: Uint8Array; name: string }, { code: 'attachment.download' | 'rut.muy_grande' }>>;
