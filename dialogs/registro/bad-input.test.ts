/**
 * Bad input at every prompt of Registro ciudadano, Ingresar and Olvidé mi contraseña: a Spanish
 * re-ask of the same question, no crash, and nothing typed so far lost.
 */
import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { mainClient } from '../../test/helpers/dialog-deps.js';
import { optionsOf, rightAnswer } from '../../test/helpers/identity.js';
import { basicDataCard } from '../../test/helpers/people.js';
import { BAD_INPUTS } from '../../test/helpers/bad-input.js';
import { say, type Input } from '../../test/helpers/transcript.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const registry = defaultReferenceRegistry();

const basic = basicDataCard(jose);

interface Prompt {
  readonly name: string;
  /** Brings a fresh conversation to the prompt. */
  reach(client: DialogTestClient): Promise<void>;
  /** What the re-ask must ask again. */
  readonly question: string;
  /** A good answer, and what comes after it (proves nothing was lost). */
  readonly good: Input;
  readonly next: string;
  /** What "atrás" asks at this prompt (the previous question, or that there is none). */
  readonly previous: string;
}

/** Registrarme, and the data-treatment authorization accepted. */
async function start(client: DialogTestClient): Promise<void> {
  await say(client, 'Registrarme');
  await say(client, 'Acepto');
}
async function toQuestions(client: DialogTestClient) {
  await start(client);
  await say(client, { value: basic });
  return say(client, 'confirmar');
}
async function toContact(client: DialogTestClient) {
  let reply = await toQuestions(client);
  for (let i = 0; i < 4; i++) reply = await say(client, String(rightAnswer(jose, registry, optionsOf(reply))));
}

const PROMPTS: Prompt[] = [
  { name: 'autorización de datos', reach: async (c) => void (await say(c, 'Registrarme')), question: 'autoriza el tratamiento', good: 'Acepto', next: 'tipo de documento', previous: 'autoriza el tratamiento' },
  { name: 'tipo de documento', reach: start, question: 'tipo de documento', good: 'CC', next: 'numero de su documento', previous: 'primera pregunta' },
  {
    name: 'review of the basic data',
    reach: async (c) => {
      await start(c);
      await say(c, { value: basic });
    },
    question: 'revise sus datos',
    good: 'confirmar',
    next: 'pregunta 1 de 4',
    previous: 'sexo',
  },
  { name: 'identity question', reach: async (c) => void (await toQuestions(c)), question: 'pregunta 1 de 4', good: '1', next: 'pregunta 2 de 4', previous: 'pregunta 1 de 4' },
  { name: 'correo', reach: toContact, question: 'correo electronico personal', good: 'jose@correo.com', next: 'escriba de nuevo su correo', previous: 'primera pregunta' },
  {
    name: 'confirmación del correo',
    reach: async (c) => {
      await toContact(c);
      await say(c, 'jose@correo.com');
    },
    question: 'escriba de nuevo su correo',
    good: 'jose@correo.com',
    next: 'celular',
    previous: 'correo electronico personal',
  },
  {
    name: 'celular',
    reach: async (c) => {
      await toContact(c);
      await say(c, 'jose@correo.com');
      await say(c, 'jose@correo.com');
    },
    question: 'celular',
    good: '3001234567',
    previous: 'escriba de nuevo su correo',
    next: 'jose@correo.com', // the review shows the e-mail typed two prompts before
  },
  { name: 'ingresar: tipo', reach: async (c) => void (await say(c, 'Ingresar')), question: 'tipo de documento', good: 'CC', next: 'numero de documento', previous: 'primera pregunta' },
  {
    name: 'ingresar: contraseña',
    reach: async (c) => {
      await say(c, 'Ingresar');
      await say(c, 'CC');
      await say(c, '70123456');
    },
    question: 'contrasena',
    good: { value: { __form: 'ingreso', clave: 'NoEsLaClave123' } },
    next: 'no son correctos',
    previous: 'numero de documento',
  },
  {
    name: 'olvidé: número',
    reach: async (c) => {
      await say(c, 'Olvidé mi contraseña');
      await say(c, 'CC');
    },
    question: 'numero de documento',
    good: '70123456',
    next: 'si el documento corresponde a una cuenta registrada',
    previous: 'tipo de documento',
  },
];

describe.each(PROMPTS)('bad input at "$name"', (prompt) => {
  it.each(BAD_INPUTS)('%s → Spanish re-ask of the same question, then the flow goes on', async (_kind, bad) => {
    const client = mainClient();
    await prompt.reach(client);
    const reply = await say(client, bad);
    expect(reply.folded, reply.text).toContain(prompt.question);
    const after = await say(client, prompt.good);
    expect(after.folded, after.text).toContain(prompt.next);
  });
});

describe.each(PROMPTS)('"$name": cancelar and atrás', (prompt) => {
  it('cancelar goes back to the menu and keeps nothing of the process', async () => {
    const client = mainClient();
    await prompt.reach(client);
    const reply = await say(client, 'cancelar');
    expect(reply.folded).toMatch(/cancele.*que desea hacer/s);
    expect((await say(client, 'estado')).folded).not.toContain('lo que ya escribio esta guardado');
  });
  it('atrás goes to the previous question', async () => {
    const client = mainClient();
    await prompt.reach(client);
    expect((await say(client, 'atrás')).folded).toContain(prompt.previous);
  });
});

describe('a slip in the e-mail ("gmial.com")', () => {
  it.each(['estado', 'ayuda'])('"%s" at the question "¿Quiso decir …?" asks it again; "si" then takes the suggestion', async (word) => {
    const client = mainClient();
    await toContact(client);
    expect((await say(client, 'jose@gmial.com')).folded).toContain('quiso decir jose@gmail.com');
    const again = await say(client, word);
    expect(again.folded, again.text).toContain('quiso decir jose@gmail.com');
    expect((await say(client, 'si')).folded).toContain('escriba de nuevo su correo');
    expect((await say(client, 'jose@gmail.com')).folded).toContain('celular');
  });
});

describe('"no tengo" where an answer is required', () => {
  it('without a session nothing is kept on leaving: the message does not promise it', async () => {
    const client = mainClient();
    await start(client);
    await say(client, 'CC');
    const r = await say(client, 'no tengo');
    expect(r.folded).toContain('este dato es obligatorio sin el no puedo continuar escriba ayuda para saber mas de el');
    expect(r.folded).not.toContain('queda guardado');
    expect(r.folded).toContain('numero de su documento');
  });

  it('"no tengo" at the first surname is not taken as a surname', async () => {
    const client = mainClient();
    await start(client);
    for (const text of ['CC', '70123456', 'José', 'omitir']) await say(client, text);
    const r = await say(client, 'no tengo');
    expect(r.folded).toContain('este dato es obligatorio');
    expect(r.folded).toContain('cual es su primer apellido');
    expect((await say(client, 'Restrepo')).folded).toContain('segundo apellido');
  });
});
