/**
 * Reading what a dialog test's reply shows: its buttons, the elements of its Adaptive Cards, their
 * text blocks and their "**Label:** value" lines.
 */
import type { Reply } from './transcript.js';

/** An Adaptive Card element (or the card itself), as JSON. */
export type CardNode = Record<string, unknown>;

/** Every button a reply offers: suggested actions, hero-card buttons, Adaptive Card actions. */
export const buttons = (r: Reply): string[] =>
  r.activities.flatMap((a) => [
    ...(a.suggestedActions?.actions ?? []).map((x) => String(x.title)),
    ...(a.attachments ?? []).flatMap((att) => {
      const c = att.content as { buttons?: { title: string }[]; actions?: { title: string }[] } | undefined;
      return [...(c?.buttons ?? []), ...(c?.actions ?? [])].map((b) => b.title);
    }),
  ]);

/** Every element of an Adaptive Card (body, containers, actions), depth first. */
export function elements(node: unknown, out: CardNode[] = []): CardNode[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, out));
  else if (node && typeof node === 'object') {
    if (typeof (node as CardNode)['type'] === 'string') out.push(node as CardNode);
    for (const v of Object.values(node)) if (typeof v === 'object') elements(v, out);
  }
  return out;
}

/** The Adaptive Cards of a reply. */
export const adaptive = (r: Reply): CardNode[] =>
  r.activities.flatMap((a) => (a.attachments ?? []).filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x) => x.content as CardNode));

/** The texts of a card's body TextBlocks, in order. */
export const textBlocks = (c: CardNode): string[] => elements(c['body']).filter((e) => e['type'] === 'TextBlock').map((e) => String(e['text']));

/**
 * The "**Label:** value" lines as a record (values shown as code lose their backticks): of one card's
 * body, or of every Adaptive Card of a reply.
 */
export function facts(from: Reply | CardNode): Record<string, string> {
  const texts = 'activities' in from && Array.isArray(from.activities)
    ? elements(adaptive(from as Reply)).filter((e) => e['type'] === 'TextBlock').map((e) => String(e['text']))
    : textBlocks(from as CardNode);
  return Object.fromEntries(
    texts.flatMap((t) => {
      const m = /^\*\*(.+?):\*\* (.+)$/.exec(t);
      return m ? [[m[1]!, m[2]!.replace(/^`(.*)`$/, '$1')]] : [];
    }),
  );
}
