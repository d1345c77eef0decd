import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { fakeClock } from '../domain/random.js';
import { createSecretBox } from '../storage/secret-box.js';
import { newClient, runTranscript, say, type TranscriptCase, type Turn } from '../test/helpers/transcript.js';
import { MainDialog } from './main.dialog.js';

const deps = () => ({ clock: fakeClock('2026-11-26T15:00:00.000Z'), secrets: createSecretBox(randomBytes(32)) });

/** Answers that fill the basic-data form, with what the next question is about. */
const FORM: readonly [string, string][] = [
  ['CC', 'numero de su documento'],
  ['52.123.456', 'primer nombre'],
  ['María', 'segundo nombre'],
  ['omitir', 'primer apellido'],
  ['Muñoz', 'segundo apellido'],
  ['Peña', 'fecha de nacimiento'],
  ['15 de marzo de 1980', 'fecha se expidio'],
  ['20/04/1998', 'sexo'],
  ['F', 'revise sus datos'],
];
const START: Turn = ['Registrarme', 'tipo de documento'];
const fillUpTo = (n: number): Turn[] => [START, ...FORM.slice(0, n).map(([a, q]) => [a, q] as Turn)];

const cases: TranscriptCase[] = [
  {
    name: 'typed answers fill the form, review, confirm',
    turns: [
      ...fillUpTo(FORM.length),
      [
        'confirmar',
        (r) => {
          expect(r.folded).toContain('datos basicos quedaron completos');
          expect(r.folded).toContain('todavia no esta disponible');
        },
      ],
    ],
    result: (client) => expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete),
  },
  {
    name: 'review shows the values as given, accents kept, dates as dd/mm/aaaa',
    turns: [
      ...fillUpTo(FORM.length - 1),
      [
        'F',
        (r) => {
          expect(r.text).toContain('MARÍA');
          expect(r.text).toContain('MUÑOZ');
          expect(r.text).toContain('15/03/1980');
          expect(r.text).toContain('52123456');
          expect(r.text).toContain('Femenino');
          expect(r.folded).toContain('sin dato'); // the skipped segundo nombre
        },
      ],
    ],
  },
  {
    name: 'a card submit fills several fields at once',
    turns: [
      START,
      [
        {
          value: {
            __form: 'registro-datos-basicos',
            tipoDocumento: 'CE',
            numeroDocumento: 'ab123',
            primerNombre: 'John',
            segundoNombre: '',
            primerApellido: 'Smith',
            segundoApellido: '',
            fechaNacimiento: '1985-07-01',
            fechaExpedicion: '2010-02-03',
            sexo: 'M',
          },
        },
        (r) => {
          expect(r.folded).toContain('revise sus datos');
          expect(r.text).toContain('AB123');
          expect(r.text).toContain('01/07/1985');
        },
      ],
      ['confirmar', 'datos basicos quedaron completos'],
    ],
  },
  {
    name: 'a card submit with wrong types keeps the good fields and re-asks the bad one',
    turns: [
      START,
      [
        { value: { __form: 'registro-datos-basicos', tipoDocumento: 'CC', numeroDocumento: 12345678, primerNombre: 'Ana' } },
        (r) => {
          expect(r.folded).toContain('no tiene el formato esperado');
          expect(r.folded).toContain('numero de su documento');
        },
      ],
      ['12345678', 'segundo nombre'], // primerNombre from the card was kept
    ],
  },
  {
    name: 'document rules re-ask with the reason',
    turns: [
      START,
      ['cedula de ciudadania', 'numero'],
      ['12AB', 'solo digitos'],
      ['12', 'entre 3 y 10 digitos'],
      ['12345678901', 'entre 3 y 10 digitos'],
      ['1234567', 'primer nombre'],
    ],
  },
  {
    name: 'dates: format, impossible, future, issue before birth, CC minor',
    turns: [
      ...fillUpTo(6),
      ['ayer', 'no entendi la fecha'],
      ['31/02/1990', 'no existe'],
      ['01/01/2030', 'posterior a hoy'],
      ['01/01/2015', 'mayor de edad'],
      ['1980-03-15', 'expidio'],
      ['01/01/1979', 'anterior a la fecha de nacimiento'],
      ['01/01/1990', 'a partir de los 18'],
      ['20 de abril de 1998', 'sexo'],
    ],
  },
  {
    name: 'bad input of any kind: Spanish re-ask, nothing lost',
    turns: [
      ...fillUpTo(2),
      ['', 'no recibi ningun dato'],
      ['x'.repeat(10_000), 'demasiado largo'],
      ['😀🎉', 'solo letras'],
      ["'; DROP TABLE ciudadanos; --", 'solo letras'],
      ['<script>alert(1)</script>', 'solo letras'],
      ['Ana', 'segundo nombre'],
      ['estado', (r) => expect(r.folded).toMatch(/registro ciudadano.*segundo nombre/)],
    ],
  },
  {
    name: 'atrás goes back one question and keeps the rest',
    turns: [
      ...fillUpTo(3),
      ['atrás', 'primer nombre'],
      ['Lucía', 'segundo nombre'],
      ['atras', 'primer nombre'],
      ['atras', 'numero de su documento'],
      ['atras', 'tipo de documento'],
      ['atras', 'primera pregunta'],
    ],
  },
  {
    name: 'corregir <campo> at the review changes only that field',
    turns: [
      ...fillUpTo(FORM.length),
      ['corregir fecha de nacimiento', 'fecha de nacimiento'],
      ['01/01/1975', (r) => expect(r.text).toContain('01/01/1975')],
      ['corregir', 'que dato desea corregir'],
      [{ value: { __form: 'registro-datos-basicos', __action: 'corregir', field: 'sexo' } }, 'sexo'],
      ['Masculino', (r) => expect(r.text).toContain('Masculino')],
      ['corregir estatura', 'no encontre el dato'],
    ],
  },
  {
    name: 'changing the document type drops a number that no longer fits',
    turns: [
      ...fillUpTo(FORM.length),
      ['corregir tipo de documento', 'tipo de documento'],
      ['PT', 'numero de su documento'],
    ],
  },
  {
    name: 'ayuda inside the form: field help, helpdesk contacts, same question again',
    turns: [
      ...fillUpTo(6),
      [
        'ayuda',
        (r) => {
          expect(r.folded).toContain('15 de marzo de 1980'); // the field's own help
          expect(r.text).toContain('miseguridadsocial@minsalud.gov.co');
          expect(r.text).toContain('01 8000 96 00 20');
          expect(r.folded).toContain('fecha de nacimiento');
        },
      ],
    ],
  },
  {
    name: 'salir closes the session',
    turns: [...fillUpTo(1), ['salir', 'sesion en el asistente quedo cerrada']],
    result: (client) => expect(client.dialogTurnResult.status).not.toBe(DialogTurnStatus.waiting),
  },
];

// "cancelar" and "menú" at every step of the form: the menu comes back and nothing is kept.
for (let step = 0; step <= FORM.length; step++) {
  cases.push({
    name: `cancelar at step ${step}`,
    turns: [
      ...fillUpTo(step),
      ['cancelar', (r) => expect(r.folded).toMatch(/cancele.*que desea hacer/s)],
      ['Registrarme', 'tipo de documento'],
    ],
  });
  cases.push({
    name: `atrás at step ${step}`,
    turns: [...fillUpTo(step), ['atrás', step === 0 ? 'primera pregunta' : step === 1 ? 'tipo de documento' : (FORM[step - 2]?.[1] as string)]],
  });
}

describe('main dialog: registration basic-data form', () => {
  it.each(cases)('$name', async (c) => {
    const client = newClient(new MainDialog(deps()));
    await runTranscript(client, c);
  });
});

describe('main dialog: menu, search and help', () => {
  const menuCases: TranscriptCase[] = [
    {
      name: 'Ayuda shows how to use the assistant and the helpdesk contacts',
      turns: [
        [
          'Ayuda',
          (r) => {
            expect(r.folded).toContain('cancelar');
            expect(r.text).toContain('miseguridadsocial@minsalud.gov.co');
            expect(r.text).toContain('(57-1) 5893750');
            expect(r.text).toContain('Carrera 13 No. 32-76');
          },
        ],
      ],
    },
    {
      name: '¿Qué está buscando? tolerates accents, case and typos and offers Comenzar',
      turns: [
        ['¿Qué está buscando?', 'escribalo con sus palabras'],
        [
          'COMPARTIR SERVISIOS',
          (r) => {
            expect(r.text).toContain('Compartir Servicios Entidad');
            expect(r.text).toContain('Comenzar');
          },
        ],
        [{ value: { __action: 'comenzar', id: 'compartir' } }, 'todavia no esta disponible'],
      ],
    },
    {
      name: 'a result can be picked by its number',
      turns: [
        ['que esta buscando', 'escribalo'],
        ['autorisados', 'Administrar autorizados'],
        ['1', 'administrar autorizados'],
      ],
    },
    {
      name: 'free text is searched directly',
      turns: [['registrar empresa', 'Registrar rol empleador persona jurídica']],
    },
    {
      name: 'a functionality not built yet says so plainly',
      turns: [['Ingresar', (r) => expect(r.folded).toMatch(/ingresar.*todavia no esta disponible/s)]],
    },
    {
      name: 'nonsense gets a clear answer and the menu',
      turns: [['qwxz zzkq', 'no encontre una funcionalidad']],
    },
    {
      name: 'estado outside any process',
      turns: [['¿en qué voy?', 'aun no ha iniciado ningun tramite']],
    },
  ];
  it.each(menuCases)('$name', async (c) => {
    const client = newClient(new MainDialog(deps()));
    await runTranscript(client, c);
  });

  it('a submit from an old card while nothing is active does not crash', async () => {
    const client = newClient(new MainDialog(deps()));
    const r = await say(client, { value: { __form: 'registro-datos-basicos', __action: 'confirmar' } });
    expect(r.folded).toContain('que desea hacer');
  });
});
