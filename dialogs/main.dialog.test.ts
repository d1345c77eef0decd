import { describe, expect, it } from 'vitest';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { mainClient } from '../test/helpers/dialog-deps.js';
import { runTranscript, say, type TranscriptCase, type Turn } from '../test/helpers/transcript.js';

/** Answers that fill the basic-data form, with what the next question is about. */
const FORM: readonly [string, string][] = [
  ['CC', 'numero de su documento'],
  ['70.123.456', 'primer nombre'],
  ['José', 'segundo nombre'],
  ['Alejandro', 'primer apellido'],
  ['Restrepo', 'segundo apellido'],
  ['Muñoz', 'fecha de nacimiento'],
  ['14 de marzo de 1968', 'fecha se expidio'],
  ['20/05/1986', 'sexo'],
  ['M', 'revise sus datos'],
];
const START: Turn[] = [['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento']];
const fillUpTo = (n: number): Turn[] => [...START, ...FORM.slice(0, n).map(([a, q]) => [a, q] as Turn)];

const cases: TranscriptCase[] = [
  {
    name: 'typed answers fill the form, review, confirm: the identity questions follow',
    turns: [
      ...fillUpTo(FORM.length),
      [
        'confirmar',
        (r) => {
          expect(r.folded).toContain('coinciden con las fuentes de referencia');
          expect(r.folded).toContain('pregunta 1 de 4');
          expect(r.folded).toContain('ninguna de las anteriores');
        },
      ],
    ],
    result: (client) => expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting),
  },
  {
    name: 'review shows the values as given, accents kept, dates as dd/mm/aaaa',
    turns: [
      ...fillUpTo(FORM.length - 1),
      [
        'masculino',
        (r) => {
          expect(r.text).toContain('JOSÉ');
          expect(r.text).toContain('MUÑOZ');
          expect(r.text).toContain('14/03/1968');
          expect(r.text).toContain('70123456');
          expect(r.text).toContain('Masculino');
        },
      ],
    ],
  },
  {
    name: 'a card submit fills several fields at once',
    turns: [
      ...START,
      [
        {
          value: {
            __form: 'registro-datos-basicos',
            tipoDocumento: 'CE',
            numeroDocumento: '654321',
            primerNombre: 'carlos',
            segundoNombre: '',
            primerApellido: 'BRICEÑO',
            segundoApellido: 'Salas',
            fechaNacimiento: '1985-02-09',
            fechaExpedicion: '12/06/2019',
            sexo: 'M',
          },
        },
        (r) => {
          expect(r.folded).toContain('revise sus datos');
          expect(r.text).toContain('654321');
          expect(r.text).toContain('09/02/1985');
          expect(r.folded).toContain('sin dato'); // the empty segundo nombre
        },
      ],
      ['confirmar', 'pregunta 1 de 4'],
    ],
  },
  {
    name: 'a card submit with wrong types keeps the good fields and re-asks the bad one',
    turns: [
      ...START,
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
      ...START,
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
      ['1968-03-14', 'expidio'],
      ['01/01/1967', 'anterior a la fecha de nacimiento'],
      ['01/01/1980', 'a partir de los 18'],
      ['20 de mayo de 1986', 'sexo'],
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
      ['José', 'segundo nombre'],
      ['estado', (r) => expect(r.folded).toMatch(/registro ciudadano.*segundo nombre/)],
    ],
  },
  {
    name: 'atrás goes back one question and keeps the rest',
    turns: [
      ...fillUpTo(3),
      ['atrás', 'primer nombre'],
      ['Pepe', 'segundo nombre'],
      ['atras', 'primer nombre'],
      ['atras', 'numero de su documento'],
      ['atras', 'tipo de documento'],
      // At the first question, the way out is named: the menu, or leaving the process.
      ['atras', (r) => expect(r.folded).toMatch(/primera pregunta.*escriba menu para volver.*o cancelar/)],
      ['menu', 'registrarme'],
    ],
  },
  {
    name: 'cancelar in a form without drafts (no session yet): nothing recorded, no draft promised',
    turns: [
      ...fillUpTo(3),
      ['cancelar', (r) => {
        expect(r.folded).toContain('no se registro ningun cambio de ese tramite');
        expect(r.folded).not.toContain('borrador');
      }],
    ],
  },
  {
    name: 'corregir <campo> at the review changes only that field',
    turns: [
      ...fillUpTo(FORM.length),
      ['corregir fecha de nacimiento', 'fecha de nacimiento'],
      ['01/01/1965', (r) => expect(r.text).toContain('01/01/1965')],
      ['corregir', 'que dato desea corregir'],
      [{ value: { __form: 'registro-datos-basicos', __action: 'corregir', field: 'sexo' } }, 'sexo'],
      ['Femenino', (r) => expect(r.text).toContain('Femenino')],
      ['corregir estatura', 'no encontre el dato'],
    ],
  },
  {
    name: 'atrás while correcting a field: back to the review with the value as it was; atrás mid-form: back to that question',
    turns: [
      ...fillUpTo(FORM.length),
      ['corregir correo', 'no encontre el dato'],
      ['corregir segundo apellido', 'segundo apellido'],
      ['atras', (r) => {
        expect(r.folded).toContain('revise sus datos');
        expect(r.text).toContain('MUÑOZ');
      }],
      ['confirmar', 'pregunta 1 de 4'],
    ],
  },
  {
    name: 'corregir in the middle of the form, then atrás: back to the question the person was at, nothing lost',
    turns: [
      ...fillUpTo(5),
      ['corregir primer nombre', 'primer nombre'],
      ['atras', 'segundo apellido'],
      ['Muñoz', 'fecha de nacimiento'],
      ...FORM.slice(6).map(([a, q]) => [a, q] as Turn),
      ['confirmar', 'pregunta 1 de 4'],
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
          expect(r.folded).toContain('15 de marzo de 1980'); // the field's own help, with its example
          expect(r.text).toContain('miseguridadsocial@minsalud.gov.co');
          expect(r.text).toContain('01 8000 96 00 20');
          expect(r.folded).toContain('fecha de nacimiento');
        },
      ],
    ],
  },
  {
    name: 'atrás asks the previous question again with what the person had answered (as the review shows it)',
    turns: [
      ...fillUpTo(7),
      ['atrás', (r) => expect(r.text).toMatch(/Antes respondió: \*\*14\/03\/1968\*\*\. .*fecha de nacimiento/is)],
      ['atrás', (r) => expect(r.text).toMatch(/Antes respondió: \*\*MUÑOZ\*\*\. .*segundo apellido/is)],
      ['Muñoz', 'fecha de nacimiento'],
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
      ['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento'],
    ],
  });
  cases.push({
    name: `atrás at step ${step}`,
    turns: [...fillUpTo(step), ['atrás', step === 0 ? 'primera pregunta' : step === 1 ? 'tipo de documento' : (FORM[step - 2]?.[1] as string)]],
  });
}

describe('main dialog: registration basic-data form', () => {
  it.each(cases)('$name', async (c) => {
    const client = mainClient();
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
            // What each option of this person's menu does (not the help itself).
            expect(r.text).toContain('En el menú:\n- **Registrarme**: Cree su cuenta en Mi Seguridad Social');
            expect(r.text).toContain('- **Ingresar**: Inicie sesión con su tipo y número de documento');
            expect(r.text).not.toContain('**Ayuda**:');
            expect(r.text).toContain('por ejemplo "registrar empresa" o "compartir servicios"');
            // Not logged in: no session for "salir" to close.
            expect(r.text).toContain('- **estado** o **¿en qué voy?**: muestra su avance.');
            expect(r.text).not.toContain('**salir**');
          },
        ],
        // Typed as a question, the same.
        ['que puedo hacer', (r) => expect(r.text).toContain('- **Registrarme**: Cree su cuenta')],
        // Inside a process, the step's help, not the menu's.
        ['Registrarme', 'tratamiento de sus datos'],
        [
          'ayuda',
          (r) => {
            expect(r.text).not.toContain('En el menú');
            // The step's help, then the commands in one line (their full list is the menu's help) and the contacts.
            expect(r.text).toContain('También puede escribir **atrás** (vuelve a la pregunta anterior), **estado** (su avance), **cancelar** (deja lo que está haciendo) o **menú** (las opciones principales).');
            expect(r.text).not.toContain('Puede escribir en cualquier momento');
            expect(r.text).toContain('01 8000 96 00 20');
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
        [{ value: { __action: 'comenzar', id: 'mesa-consulta' } }, 'primero debe ingresar'],
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
    { name: 'the menu by number: 1 is Registrarme', turns: [['1', 'tratamiento de sus datos']] },
    { name: 'the menu by number: "la segunda" is Ingresar', turns: [['la segunda', 'tipo de documento']] },
    { name: 'the menu by number: 3 is ¿Qué está buscando?', turns: [['3', 'escribalo con sus palabras']] },
    { name: 'the menu by number: "opcion 4" is Ayuda', turns: [['opcion 4', 'miseguridadsocial@minsalud.gov.co']] },
    {
      name: 'free text is searched directly',
      turns: [['registrar empresa', 'Registrar rol empleador persona jurídica']],
    },
    {
      name: 'a staff functionality asked before logging in asks to log in first',
      turns: [['Consultar persona o Caja', (r) => expect(r.folded).toMatch(/consulta de personas y cajas.*primero debe ingresar/s)]],
    },
    {
      name: 'echoed text cannot inject Markdown (links, emphasis) into the chat',
      turns: [
        [
          '[premio](http://malo.example) **gratis**',
          (r) => {
            const raw = r.activities.map((a) => a.text ?? '').join('\n');
            expect(raw).toContain('\\[premio\\]\\(http://malo.example\\)');
            expect(raw).toContain('\\*\\*gratis\\*\\*');
          },
        ],
      ],
    },
    {
      name: 'nonsense gets a clear answer and the menu',
      turns: [['qwxz zzkq', 'no encontre una funcionalidad']],
    },
    {
      name: 'estado outside any process',
      turns: [['¿en qué voy?', (r) => expect(r.folded).toMatch(/aun no ha ingresado.*ingresar.*registrarme/s)]],
    },
  ];
  it.each(menuCases)('$name', async (c) => {
    const client = mainClient();
    await runTranscript(client, c);
  });

  it.each(['no se', 'No entiendo qué hago aquí', '¿qué tengo que hacer?'])('"%s" at the menu: the help, not "No encontré una funcionalidad"', async (text) => {
    const client = mainClient();
    const r = await say(client, text);
    expect(r.folded).toContain('puede escribir en cualquier momento');
    expect(r.folded).toContain('que desea hacer');
    expect(r.folded).not.toContain('no encontre');
  });

  it.each(['cc 72235734', 'C.C. 72.235.734', '72235734', 'cedula 72235734'])('"%s" before logging in: Ingresar or Registrarme, the number not repeated', async (text) => {
    const client = mainClient();
    const r = await say(client, text);
    expect(r.folded).toContain('parece un numero de documento');
    expect(r.folded).toContain('elija ingresar si ya tiene usuario');
    expect(r.text).not.toMatch(/72\.?235\.?734/);
    expect(r.folded).not.toContain('no encontre');
    expect(r.folded).toContain('que desea hacer');
  });

  it.each(['hola', 'Hola!', 'buenos dias', 'Hola, buenas tardes.'])('"%s" with nothing in progress: a greeting and the menu, not a failed search', async (text) => {
    const client = mainClient();
    const r = await say(client, text);
    expect(r.folded).toContain('hola');
    expect(r.folded).toContain('soy el asistente ccf');
    expect(r.folded).toContain('que desea hacer');
    expect(r.folded).not.toContain('no encontre');
  });

  it('"hola" in the middle of a form is an answer for the step as before (its own re-ask), not the menu', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    await say(client, 'Acepto');
    const r = await say(client, 'hola');
    expect(r.folded).not.toContain('soy el asistente ccf');
    expect(r.folded).not.toContain('que desea hacer');
  });

  it('"hola" at a question with options in a process (the consent): a short greeting, then the same question, nothing chosen', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    const r = await say(client, 'hola');
    expect(r.folded).toContain('hola sigamos donde ibamos');
    expect(r.folded).toContain('autoriza el tratamiento');
    expect(r.folded).not.toContain('elija una de las opciones');
    expect(r.folded).not.toContain('que desea hacer');
    expect((await say(client, 'Acepto')).folded).toContain('tipo de documento');
  });

  it.each(['quien eres?', '¿Con quién hablo?', 'eres un robot'])('"%s" with nothing in progress: what the assistant is (not a person, how to reach one), then the menu', async (text) => {
    const r = await say(mainClient(), text);
    expect(r.folded).toContain('soy el asistente ccf de mi seguridad social un asistente automatico no una persona');
    expect(r.folded).toContain('hablar con un asesor');
    expect(r.folded).toContain('que desea hacer');
    expect(r.folded).not.toContain('esto es lo que encontre');
  });

  it('"quién eres" at a question of a form: what the assistant is, then the same question; nothing taken as the answer', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    await say(client, 'Acepto');
    await say(client, 'CC');
    await say(client, '70123456');
    const r = await say(client, 'quién eres');
    expect(r.folded).toContain('un asistente automatico no una persona');
    expect(r.folded).toContain('cual es su primer nombre');
    expect(r.folded).not.toContain('quien');
    expect((await say(client, 'José')).folded).toContain('segundo nombre');
  });

  it.each(['si', 'No', 'confirmar'])('"%s" with nothing asked: said so, then the menu; not searched for', async (text) => {
    const r = await say(mainClient(), text);
    expect(r.folded).toContain('no hay ninguna pregunta de si o no pendiente');
    expect(r.folded).toContain('que desea hacer');
    expect(r.folded).not.toContain('no encontre');
  });

  it.each(['👍', '👌🏽'])('"%s" at the menu is an acknowledgement: the menu, not a failed search', async (text) => {
    const r = await say(mainClient(), text);
    expect(r.folded).toContain('que desea hacer');
    expect(r.folded).not.toContain('no encontre');
  });

  it('a submit from an old card while nothing is active does not crash', async () => {
    const client = mainClient();
    const r = await say(client, { value: { __form: 'registro-datos-basicos', __action: 'confirmar' } });
    expect(r.folded).toContain('que desea hacer');
  });
});

describe('main dialog: help at a form question', () => {
  it('a question in the person\'s words gives the field\'s help and where more help is; "ayuda" gives the contacts too', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    await say(client, 'Acepto');
    expect((await say(client, 'cc')).folded).toContain('numero de su documento');
    const asked = await say(client, 'que pongo aqui?');
    expect(asked.folded).toContain('escriba el numero tal como aparece en el documento');
    expect(asked.folded).toContain('si necesita mas ayuda escriba ayuda');
    expect(asked.folded).not.toContain('5893750');
    expect(asked.folded).toContain('numero de su documento');
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('escriba el numero tal como aparece en el documento');
    expect(help.folded).toContain('5893750');
    expect(help.folded).not.toContain('si necesita mas ayuda');
  });
});

describe('main dialog: another request typed at a form question', () => {
  it('a sentence that is no answer gets the reason and the way out; a word that is no answer only the reason', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    expect((await say(client, 'Acepto')).folded).toContain('tipo de documento');
    const sentence = await say(client, 'cuanto se demora el ministerio en activar la caja');
    expect(sentence.folded).toContain('no reconoci ese tipo de documento');
    expect(sentence.folded).toContain('si queria preguntar o hacer otra cosa escriba cancelar');
    expect(sentence.folded).toContain('cual es su tipo de documento');
    const word = await say(client, 'xyz');
    expect(word.folded).toContain('no reconoci ese tipo de documento');
    expect(word.folded).not.toContain('hacer otra cosa');
    // The way out works as said.
    expect((await say(client, 'cancelar')).folded).toContain('que desea hacer ahora');
  });

  it('at a question of options too (the data-treatment consent)', async () => {
    const client = mainClient();
    expect((await say(client, 'Registrarme')).folded).toContain('tratamiento de sus datos');
    const sentence = await say(client, 'como cambio mi correo');
    expect(sentence.folded).toContain('elija una de las opciones');
    expect(sentence.folded).toContain('si queria preguntar o hacer otra cosa escriba cancelar');
    const word = await say(client, 'quizas');
    expect(word.folded).toContain('elija una de las opciones');
    expect(word.folded).not.toContain('hacer otra cosa');
  });
});

describe('main dialog: a menu button typed with a slip of the keyboard', () => {
  it.each([
    ['registrame', 'tratamiento de sus datos'],
    ['registrarse', 'tratamiento de sus datos'],
    ['ingresr', 'tipo de documento'],
  ])('"%s" at the menu starts that functionality', async (typed, expected) => {
    const r = await say(mainClient(), typed);
    expect(r.folded).toContain(expected);
    expect(r.folded).not.toContain('esto es lo que encontre');
  });

  it('a word more than a slip away from a button is searched as before ("registrar": Registro ciudadano or the employer role)', async () => {
    const r = await say(mainClient(), 'registrar');
    expect(r.folded).toContain('encontre');
    expect(r.folded).not.toContain('tratamiento de sus datos');
  });
});
