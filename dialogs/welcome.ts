/** The welcome and the main menu: the same four options, as buttons with a text fallback. */
import { ActionTypes, CardFactory, type Activity } from 'botbuilder';
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

export function menuActivity(): Partial<Activity> {
  const text = render('general/menu');
  return message(text, menuCard(text));
}
