import { describe, expect, it } from 'vitest';
import { fold } from '../domain/text.js';
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { TestAdapter, TurnContext } from 'botbuilder';
import { say } from '../test/helpers/transcript.js';
import { choiceActivity, choiceCard, choicePrompt, ChoicePrompt, chosen, numberedList, readChoice, reaskActivity } from './choice.js';

const EPS = ['EPS Sura', 'Sanitas', 'Nueva EPS', 'Compensar', 'Ninguna de las anteriores'];
const TWO_CCF = ['Ciudadano', 'Empleador persona jurídica — COMFAMA', 'Empleador persona jurídica — COMPENSAR'];

type Hero = { buttons: { type: string; title: string; value: string }[]; fallbackText: string };
const hero = (a: ReturnType<typeof choiceActivity>) => a.attachments?.[0]?.content as Hero;

describe('choice rendering: imBack buttons whose value is the label, numbered text fallback', () => {
  it('one button per option, tapping sends the label', () => {
    const card = choiceCard(EPS).content as Hero;
    expect(card.buttons.map((b) => [b.type, b.title, b.value])).toEqual(EPS.map((l) => ['imBack', l, l]));
    expect(card.fallbackText).toBe('1. EPS Sura\n2. Sanitas\n3. Nueva EPS\n4. Compensar\n5. Ninguna de las anteriores');
  });
  it('no option to show: the question alone, without an empty card', () => {
    const a = choiceActivity('¿Cuál Caja?', EPS, { show: [] });
    expect(a.text).toBe('¿Cuál Caja?');
    expect(a.attachments).toBeUndefined();
  });
  it('numbered: the message text lists the options with their numbers', () => {
    const a = choiceActivity('¿Cuál?', EPS, { numbered: true });
    expect(a.text).toMatch(/^¿Cuál\?\n\n1\. EPS Sura\n2\. Sanitas/);
    expect(choiceActivity('¿Cuál?', EPS).text).toBe('¿Cuál?');
  });
  it('a subset is numbered from 1 in the order shown (Markdown would show "1., 3." as "1., 2.")', () => {
    expect(numberedList(EPS, [0, 2])).toBe('1. EPS Sura\n2. Nueva EPS');
    expect(numberedList(EPS, [2, 0])).toBe('1. Nueva EPS\n2. EPS Sura');
    expect(hero(choiceActivity('x', EPS, { show: [0, 2] })).buttons.map((b) => b.title)).toEqual(['EPS Sura', 'Nueva EPS']);
  });
});

describe('readChoice: the index, or a Spanish re-ask', () => {
  it.each([
    ['2', 1], ['Sanitas', 1], ['ninguna', 4], ['la de sura', 0], ['NUEVA EPS', 2],
  ])('%j → %i', (answer, index) => {
    expect(readChoice(answer, EPS)).toEqual({ ok: true, value: index });
  });

  it('a number out of range says there is no such option and how many there are; the options are its buttons, not listed again in the text', () => {
    const r = readChoice('9', EPS);
    if (r.ok) throw new Error('expected a re-ask');
    expect(fold(r.error)).toContain('no hay una opcion 9');
    expect(fold(r.error)).toContain('del 1 al 5');
    expect(r.error).not.toContain('Ninguna de las anteriores');
    expect(r.show).toEqual([0, 1, 2, 3, 4]);
  });

  it('an ambiguous word names the options it fits, with their numbers', () => {
    const r = readChoice('empleador', TWO_CCF);
    if (r.ok) throw new Error('expected a re-ask');
    expect(r.show).toEqual([1, 2]);
    expect(r.error).toContain('1. Empleador persona jurídica — COMFAMA');
    expect(r.error).toContain('2. Empleador persona jurídica — COMPENSAR');
    expect(r.error).not.toContain('Ciudadano');
  });

  it('after a re-ask that showed some options, a number means one of those, as numbered; words still read against all', () => {
    const shown = [1, 2];
    expect(readChoice('2', TWO_CCF, shown)).toEqual({ ok: true, value: 2 });
    expect(readChoice('la primera', TWO_CCF, shown)).toEqual({ ok: true, value: 1 });
    expect(readChoice('ciudadano', TWO_CCF, shown)).toEqual({ ok: true, value: 0 });
    const out = readChoice('3', TWO_CCF, shown);
    if (out.ok) throw new Error('expected a re-ask');
    expect(fold(out.error)).toContain('no hay una opcion 3');
    expect(fold(out.error)).toContain('del 1 al 2');
    expect(out.show).toEqual(shown);
    // Every option shown: the numbers are those of the whole list.
    expect(readChoice('1', TWO_CCF, [0, 1, 2])).toEqual({ ok: true, value: 0 });
    expect(readChoice('1', TWO_CCF)).toEqual({ ok: true, value: 0 });
  });

  it('the echoed answer cannot inject Markdown', () => {
    const r = readChoice('**eps**', EPS);
    if (r.ok) throw new Error('expected a re-ask');
    expect(r.error).toContain('\\*\\*eps\\*\\*');
  });

  it.each([undefined, 3, { a: 1 }, '', '🙂'])('%j is not an answer', (answer) => {
    const r = readChoice(answer, EPS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(fold(r.error)).toContain('elija una de las opciones');
  });

  it('the re-ask repeats the question with the buttons of the options shown', () => {
    const r = readChoice('eps', EPS);
    if (r.ok) throw new Error('expected a re-ask');
    const a = reaskActivity(new TurnContext(new TestAdapter(), { type: 'message', text: 'eps' }), 'Pregunta 1 de 4: ¿En cuál EPS?', r, EPS);
    expect(a.text).toMatch(/^Pregunta 1 de 4/);
    expect(a.text).toContain('1. EPS Sura');
    expect(hero(a).buttons.map((b) => b.value)).toEqual(['EPS Sura', 'Nueva EPS']);
  });

  it('a re-ask of every option shows them once: as buttons (the numbered list is the card\'s text fallback)', () => {
    const r = readChoice('otra cosa', EPS);
    if (r.ok) throw new Error('expected a re-ask');
    const a = reaskActivity(new TurnContext(new TestAdapter(), { type: 'message', text: 'otra cosa' }), '¿En cuál EPS?', r, EPS);
    expect(a.text).not.toContain('EPS Sura');
    expect(hero(a).buttons.map((b) => b.value)).toEqual(EPS);
    expect((a.attachments?.[0]?.content as { fallbackText?: string }).fallbackText).toContain('1. EPS Sura');
  });
});

describe('ChoicePrompt: the numbers of a re-ask are those it showed', () => {
  class Pick extends ComponentDialog {
    constructor() {
      super('pick');
      this.addDialog(
        new WaterfallDialog('steps', [
          (step: WaterfallStepContext) => step.prompt('choice', choicePrompt('¿En qué rol?', TWO_CCF)),
          (step: WaterfallStepContext) => step.endDialog(chosen(step.result, TWO_CCF)),
        ]),
      );
      this.addDialog(new ChoicePrompt('choice'));
    }
  }

  it('"2" after a re-ask listing two of three options is the second of those', async () => {
    const client = new DialogTestClient('test', new Pick());
    await say(client, 'hola');
    const reask = await say(client, 'empleador');
    expect(reask.text).toContain('1. Empleador persona jurídica — COMFAMA');
    expect(reask.text).toContain('2. Empleador persona jurídica — COMPENSAR');
    await say(client, '2');
    expect(client.dialogTurnResult.result).toBe(2);
  });

  it('an option\'s other names choose it; a name two options share does not', async () => {
    class Aliased extends ComponentDialog {
      constructor() {
        super('aliased');
        this.addDialog(
          new WaterfallDialog('steps', [
            (step: WaterfallStepContext) => step.prompt('choice', choicePrompt('¿Qué desea hacer?', ['Nuevo', 'Revocar', 'Terminar'], {}, { aliases: [['agregar'], ['quitar', 'eliminar'], []] })),
            (step: WaterfallStepContext) => step.endDialog(chosen(step.result, ['Nuevo', 'Revocar', 'Terminar'])),
          ]),
        );
        this.addDialog(new ChoicePrompt('choice'));
      }
    }
    const client = new DialogTestClient('test', new Aliased());
    await say(client, 'hola');
    await say(client, 'quiero eliminar a carlos');
    expect(client.dialogTurnResult.result).toBe(1);
    const other = new DialogTestClient('test', new Aliased());
    await say(other, 'hola');
    expect((await say(other, 'modificar')).folded).toContain('elija una de las opciones');
    await say(other, 'agregar');
    expect(other.dialogTurnResult.result).toBe(0);
  });

  it('without a re-ask, "2" is the second of the whole list', async () => {
    const client = new DialogTestClient('test', new Pick());
    await say(client, 'hola');
    await say(client, '2');
    expect(client.dialogTurnResult.result).toBe(1);
  });
});
