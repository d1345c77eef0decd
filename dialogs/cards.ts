/** Adaptive Card helpers: structure only; every text comes from templates. */
import { CardFactory, MessageFactory, type Activity, type Attachment } from 'botbuilder';

export type CardElement = Record<string, unknown>;

export const AC_VERSION = '1.5';

/** An Adaptive Card attachment; `fallbackText` is what a channel without cards shows. */
export function card(body: CardElement[], actions: CardElement[] = [], fallbackText?: string): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: AC_VERSION,
    body,
    actions,
    ...(fallbackText ? { fallbackText } : {}),
  });
}

export const textBlock = (text: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

/** A submit button whose data reaches the bot as `activity.value`; `msteams.messageBack` shows `display` in Teams. */
export function submit(title: string, data: Record<string, unknown>, style?: 'positive' | 'destructive'): CardElement {
  return { type: 'Action.Submit', title, data, ...(style ? { style } : {}) };
}

/** A card button that stands for typed words: Teams sends them as text (imBack); elsewhere bot/ turns `__text` into text. */
export function imBack(title: string, text: string = title, style?: 'positive' | 'destructive'): CardElement {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'imBack', value: text }, __text: text }, ...(style ? { style } : {}) };
}

/** A text message with an optional card. */
export function message(text: string, attachment?: Attachment): Partial<Activity> {
  const activity = MessageFactory.text(text);
  if (attachment) activity.attachments = [attachment];
  return activity;
}
