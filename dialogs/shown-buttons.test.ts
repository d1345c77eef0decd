/**
 * A tap on a button of an earlier question, still on the screen: the re-ask says the button belongs
 * to a question already behind, instead of a reason that makes no sense for it ("that e-mail does not
 * look valid"). Through the main dialog's run(), as the assistant's turns go.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { dialogDeps } from '../test/helpers/dialog-deps.js';
import { optionsOf, rightAnswer } from '../test/helpers/identity.js';
import { chatClient } from '../test/helpers/mesa.js';
import { basicDataCard } from '../test/helpers/people.js';
import { say } from '../test/helpers/transcript.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const registry = defaultReferenceRegistry();
const STALE = 'es el boton de una pregunta anterior';

describe('a button of an earlier question', () => {
  it('at a form field: said so, and the field asked again', async () => {
    const client = chatClient(dialogDeps(), 'ana');
    await say(client, 'Registrarme');
    const consent = await say(client, 'Acepto');
    expect(consent.folded).toContain('tipo de documento');
    // "Acepto" was the consent's button; the document type is asked now.
    const reply = await say(client, 'Acepto');
    expect(reply.folded).toContain(STALE);
    expect(reply.text).toContain('«Acepto»');
    expect(reply.folded).toContain('tipo de documento');
    // A wrong answer that is no button is told why, as before.
    const typed = await say(client, 'pasaporte chino');
    expect(typed.folded).not.toContain(STALE);
    expect(typed.folded).toContain('tipo de documento');
  });

  it("a process's own button tapped again in its form is not 'another menu's' (Ingresar twice)", async () => {
    const client = chatClient(dialogDeps(), 'ana');
    expect((await say(client, 'Ingresar')).folded).toContain('tipo de documento');
    const again = await say(client, 'Ingresar');
    expect(again.folded).not.toContain('otro menu');
    expect(again.folded).toContain('tipo de documento');
    // Said that they are there already, not that "Ingresar" is no document type.
    expect(again.folded).toContain('ya esta en ingresar');
    expect(again.folded).not.toContain('no reconoci');
  });

  it('at an identity question: said so before the options of this question', async () => {
    const client = chatClient(dialogDeps(), 'jose');
    await say(client, 'Registrarme');
    await say(client, 'Acepto');
    await say(client, { value: basicDataCard(jose) });
    const first = await say(client, 'confirmar');
    const firstOptions = optionsOf(first);
    const second = await say(client, String(rightAnswer(jose, registry, firstOptions)));
    expect(second.folded).toContain('pregunta 2 de 4');
    const old = firstOptions.find((o) => !optionsOf(second).includes(o) && o !== 'Ninguna de las anteriores');
    if (!old) throw new Error('the first two questions share every option');
    const reply = await say(client, old);
    expect(reply.folded).toContain(STALE);
    expect(reply.folded).toContain('pregunta 2 de 4');
    expect(optionsOf(reply)).toEqual(optionsOf(second));
  });

  it('a button of the question being asked is an answer, not a stale tap', async () => {
    const client = chatClient(dialogDeps(), 'luis');
    await say(client, 'Registrarme');
    const reply = await say(client, 'No acepto');
    expect(reply.folded).not.toContain(STALE);
  });
});
