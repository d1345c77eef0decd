/**
 * "¿Qué es un delegado?": a word of the process explained in plain Spanish at the menu and at "¿Qué
 * está buscando?", instead of search results for it.
 */
import { describe, expect, it } from 'vitest';
import { fold } from '../domain/text.js';
import { messages } from '../templates/render.js';
import { chatClient } from '../test/helpers/mesa.js';
import { dialogDeps } from '../test/helpers/dialog-deps.js';
import { say } from '../test/helpers/transcript.js';
import { glossaryAnswer } from './glosario.js';

const { terminos } = messages<{ terminos: { id: string; termino: string; palabras: string[]; explicacion: string }[] }>('general/glosario');
const byId = new Map(terminos.map((t) => [t.id, t]));
const explanationOf = (id: string) => {
  const t = byId.get(id);
  if (!t) throw new Error(`no glossary entry ${id}`);
  return t;
};

describe('the glossary', () => {
  it('answers every entry asked by its own name, with its own explanation', () => {
    for (const t of terminos) {
      const answer = glossaryAnswer(`¿Qué es ${t.termino}?`);
      expect(answer, t.id).toBeDefined();
      expect(fold(answer!), t.id).toContain(fold(t.termino).split(' ')[0]!);
      expect(answer, t.id).toBe(glossaryAnswer(`que es ${t.termino.toLowerCase()}`));
    }
  });

  it.each([
    ['que es una caja de compensacion', 'ccf'],
    ['que significa ccf', 'ccf'],
    ['que es el rol ccf', 'rol-ccf'],
    ['¿Qué es un delegado?', 'delegado'],
    ['que es un autorizado y que hace', 'autorizado'],
    ['que significa oauth', 'oauth'],
    ['que es un token', 'oauth'],
    ['que es el client secret', 'client-id'],
    ['que es swagger', 'swagger'],
    ['para que sirve el dv', 'dv'],
    ['q es el nit', 'nit'],
    ['que es el nit de la empresa', 'nit'],
    ['que es eso del rut', 'rut'],
    ['me puede explicar que es un servicio web', 'servicio-web'],
    ['que quiere decir persona juridica', 'rol-empleador'],
    ['expliqueme que es la llave publica', 'llave-publica'],
    ['que son las preguntas de identidad', 'preguntas-identidad'],
    ['que es el registro ciudadano', 'registro'],
    ['que es mi seguridad social', 'mi-seguridad-social'],
    ['cual es mi usuario', 'usuario'],
    ['se me olvido mi usuario', 'usuario'],
  ])('"%s" is explained with %s', (text, id) => {
    const entry = explanationOf(id);
    expect(glossaryAnswer(text)).toBe(glossaryAnswer(`que es ${entry.termino}`));
  });

  it('fills the rules a sentence states ({{reglas…}}), never shows a placeholder', () => {
    for (const t of terminos) expect(glossaryAnswer(`que es ${t.termino}`), t.id).not.toMatch(/\{\{|\}\}/);
    expect(glossaryAnswer('que es el rut')).toMatch(/máximo \d+ MB/);
    expect(glossaryAnswer('que son las preguntas de identidad')).toMatch(/al menos \d+;.* bloqueado \d+ horas/);
  });

  it.each(['que es esto', 'que es un perro', 'quiero registrar la empresa', 'delegado'])('"%s" is no glossary question', (text) => {
    expect(glossaryAnswer(text)).toBeUndefined();
  });
});

describe('asked in the chat', () => {
  it('at the menu: the explanation, then the menu, no search results', async () => {
    const client = chatClient(dialogDeps(), 'visitante');
    const reply = await say(client, 'que es una caja de compensacion');
    expect(reply.folded).toContain('una caja de compensacion familiar ccf es una entidad sin animo de lucro');
    expect(reply.folded).not.toContain('esto es lo que encontre');
    expect(reply.folded).not.toContain('activar o desactivar rol');
    expect(reply.folded).toContain('que desea hacer ahora');
    // The menu still works after it.
    expect((await say(client, 'registrarme')).folded).toContain('tratamiento de sus datos');
  });

  it('"ayuda" says a word can be asked about, and its example is answered', async () => {
    const client = chatClient(dialogDeps(), 'visitante');
    const help = await say(client, 'ayuda');
    const example = /preguntar que significa una palabra por ejemplo (que es un delegado)/.exec(help.folded);
    expect(example).not.toBeNull();
    expect((await say(client, example![1]!)).folded).toContain('el delegado es la persona');
  });

  it('at "¿Qué está buscando?": the explanation, then the menu', async () => {
    const client = chatClient(dialogDeps(), 'visitante');
    expect((await say(client, 'buscar')).folded).toContain('que esta buscando');
    const reply = await say(client, 'que es un delegado?');
    expect(reply.folded).toContain('el delegado es la persona que el representante legal designa');
    expect(reply.folded).toContain('que desea hacer ahora');
  });

  it('a question about no word of the glossary is routed as before (a functionality it names, else the search or the help)', async () => {
    const client = chatClient(dialogDeps(), 'visitante');
    const reply = await say(client, 'que es el catalogo de servicios');
    expect(reply.folded).not.toContain('es una conexion entre dos sistemas');
    expect(reply.folded).toContain('para administracion de servicios web primero debe ingresar');
  });
});
