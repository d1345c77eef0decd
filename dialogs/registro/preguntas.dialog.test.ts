import { describe, expect, it } from 'vitest';
import { NINGUNA, type IdentityQuestion } from '../../domain/identity-questions.js';
import { DialogTestClient } from 'botbuilder-testing';
import { runTranscript, say, type TranscriptCase } from '../../test/helpers/transcript.js';
import { PreguntasDialog, type PreguntasResult } from './preguntas.dialog.js';

const QUESTIONS: IdentityQuestion[] = [
  { kind: 'eps', options: ['EPS Sura', 'Sanitas', 'Nueva EPS', 'Compensar', NINGUNA], correct: 4 },
  { kind: 'lugar_residencia', options: ['Bello (Antioquia)', 'Envigado (Antioquia)', 'Medellín (Antioquia)', 'Bogotá, D.C.', NINGUNA], correct: 1 },
];

const result = (c: DialogTestClient) => (c.dialogTurnResult.result as PreguntasResult | undefined)?.respuestas;

const cases: (TranscriptCase & { respuestas?: number[] })[] = [
  { name: 'a word of the option: "ninguna", "envigado"', turns: [['ninguna', 'pregunta 2 de 2'], ['envigado', () => {}]], respuestas: [4, 1] },
  { name: 'the number, however it is written', turns: [['la 5', 'pregunta 2 de 2'], ['#2', () => {}]], respuestas: [4, 1] },
  { name: 'the whole label, accents and case ignored', turns: [['NINGUNA DE LAS ANTERIORES', 'pregunta 2 de 2'], ['envigado (ANTIOQUIA)', () => {}]], respuestas: [4, 1] },
  {
    name: 'a number out of range: says so, repeats the question with the numbered options',
    turns: [
      ['9', (r) => {
        expect(r.folded).toContain('no hay una opcion 9');
        expect(r.folded).toContain('pregunta 1 de 2');
        expect(r.text).toContain('5. Ninguna de las anteriores');
      }],
      ['sura', 'pregunta 2 de 2'],
    ],
  },
  {
    name: 'a word that fits several options: names them numbered from 1, then their number (or a word more) picks one',
    turns: [
      ['eps', (r) => {
        expect(r.text).toContain('1. EPS Sura');
        expect(r.text).toContain('2. Nueva EPS');
        expect(r.text).not.toContain('Sanitas');
      }],
      ['2', 'pregunta 2 de 2'],
      ['antioquia', (r) => expect(r.text).toContain('3. Medellín (Antioquia)')],
      ['medelin', () => {}],
    ],
    respuestas: [2, 2],
  },
  {
    name: 'an answer that is none of the options ("coomeva"): "Ninguna de las anteriores" is named with its number, not chosen; the words are not repeated',
    turns: [
      ['coomeva', (r) => {
        expect(r.folded).toContain('esa respuesta no esta entre las opciones');
        expect(r.text).toContain('elija **Ninguna de las anteriores** (opción 5)');
        expect(r.folded).toContain('pregunta 1 de 2');
        expect(r.folded).not.toContain('coomeva');
      }],
      ['5', 'pregunta 2 de 2'],
      ['2', () => {}],
    ],
    respuestas: [4, 1],
  },
  {
    name: '"no sé", "no me acuerdo": how to answer anyway — the likeliest option or Ninguna, and how many must be right; nothing chosen',
    turns: [
      ['no se', (r) => {
        expect(r.text).toContain('Si no lo recuerda, elija la opción que le parezca correcta, o **Ninguna de las anteriores** (opción 5)');
        expect(r.folded).toMatch(/necesita al menos \d respuestas correctas de 2/); // the rule's number, of this round's questions
        expect(r.folded).toContain('pregunta 1 de 2');
      }],
      ['no me acuerdo', 'si no lo recuerda'],
      ['sura', 'pregunta 2 de 2'],
      ['2', () => {}],
    ],
    respuestas: [0, 1],
  },
  {
    name: 'after that re-ask, a word still reads against every option; the next question numbers all its options again',
    turns: [
      ['eps', '2. Nueva EPS'],
      ['compensar', 'pregunta 2 de 2'],
      ['2', () => {}],
    ],
    respuestas: [3, 1],
  },
];

describe('identity questions: an employer named by its acronym', () => {
  const EMPLEADORES: IdentityQuestion[] = [
    { kind: 'empleadores', options: ['CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO TOLIMA', 'SERVICIO NACIONAL DE APRENDIZAJE', 'INSTITUTO COLOMBIANO DE BIENESTAR FAMILIAR', 'ECOPETROL S.A.', NINGUNA], correct: 1 },
  ];
  const siglas: Record<string, string> = { 'SERVICIO NACIONAL DE APRENDIZAJE': 'SENA', 'INSTITUTO COLOMBIANO DE BIENESTAR FAMILIAR': 'ICBF' };

  it.each([['el sena', 1], ['En el ICBF', 2]])('"%s" chooses that employer', async (text, index) => {
    const dc = new DialogTestClient('test', new PreguntasDialog((o) => siglas[o]), { preguntas: EMPLEADORES });
    await say(dc, 'hola');
    await say(dc, text);
    expect(result(dc)).toEqual([index]);
  });
});

describe('identity questions: answered by button, number or a word of the option', () => {
  it.each(cases)('$name', async (c) => {
    const dc = new DialogTestClient('test', new PreguntasDialog(), { preguntas: QUESTIONS });
    expect((await say(dc, 'hola')).folded).toContain('pregunta 1 de 2'); // the first turn begins the dialog
    await runTranscript(dc, c);
    if (c.respuestas) expect(result(dc)).toEqual(c.respuestas);
  });
});
