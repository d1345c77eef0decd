/** The welcome and the main menu: the same four options, as buttons with a text fallback. */
import { ActionTypes, CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { messages, render } from '../templates/render.js';
import { message } from './cards.js';

interface MenuTexts {
  opciones: string[];
}

function menuCard(fallback: string) {
  const { opciones } = messages<MenuTexts>('general/menu-opciones');
  const hero = CardFactory.heroCard(
    '',
    undefined,
    opciones.map((o) => ({ type: ActionTypes.ImBack, title: o, value: o })),
  );
  (hero.content as Record<string, unknown>)['fallbackText'] = fallback;
  return hero;
}

export function welcomeActivity(): Partial<Activity> {
  const text = render('general/bienvenida');
  return message(text, menuCard(text));
}

/** The menu after a process: the options as suggested actions, which disappear once used. */
export function menuActivity(): Partial<Activity> {
  const { opciones } = messages<MenuTexts>('general/menu-opciones');
  return MessageFactory.suggestedActions(opciones, render('general/menu'));
}
