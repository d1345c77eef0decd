/** The welcome and the menu: the options this person has now, as buttons with a text fallback. */
import { ActionTypes, CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { render } from '../templates/render.js';
import { message } from './cards.js';

function menuCard(options: readonly string[], fallback: string) {
  const hero = CardFactory.heroCard('', undefined, options.map((o) => ({ type: ActionTypes.ImBack, title: o, value: o })));
  (hero.content as Record<string, unknown>)['fallbackText'] = fallback;
  return hero;
}

/** The first message of a conversation: what the assistant does and the options, as a card. */
export function welcomeActivity(options: readonly string[], privacidad?: string): Partial<Activity> {
  const text = render('general/bienvenida', { opciones: options, privacidad });
  return message(text, menuCard(options, text));
}

/** The menu after a process: the options as suggested actions (they disappear once used), also listed in the text. */
export function menuActivity(options: readonly string[], text: string): Partial<Activity> {
  return MessageFactory.suggestedActions([...options], `${text}\n\n${options.map((o) => `**${o}**`).join(' · ')}`);
}
