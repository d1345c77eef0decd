import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { setPasswordWithToken } from '../../domain/cuenta.js';
import type { ReferencePerson } from '../../domain/reference.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { dialogDeps, mainClient } from '../../test/helpers/dialog-deps.js';
import { optionsOf, rightAnswer, wrongAnswer } from '../../test/helpers/identity.js';
import { basicDataCard } from '../../test/helpers/people.js';
import { buttons } from '../../test/helpers/cards.js';
import { say, type Reply } from '../../test/helpers/transcript.js';

const registry = defaultReferenceRegistry();
const jose = EXAMPLE_PERSONS.rlComfama;
const EMAIL = 'jose.restrepo@correo.com';

/** Registrarme → the card with every basic field → review → confirmar. */
async function giveBasicData(client: DialogTestClient, p: ReferencePerson, overrides: Parameters<typeof basicDataCard>[1] = {}): Promise<Reply> {
  await say(client, 'Registrarme');
  await say(client, 'Acepto');
  const review = await say(client, { value: basicDataCard(p, overrides) });
  expect(review.folded).toContain('revise sus datos');
  return say(client, 'confirmar');
}

/** Answers the 4 questions, right or wrong; returns the reply to the last answer. */
async function answerRound(client: DialogTestClient, first: Reply, p: ReferencePerson, right: boolean): Promise<Reply> {
  let reply = first;
  for (let i = 1; i <= 4; i++) {
    expect(reply.folded).toContain(`pregunta ${i} de 4`);
    const options = optionsOf(reply);
    expect(options).toHaveLength(5);
    const n = right ? rightAnswer(p, registry, options) : wrongAnswer(p, registry, options);
    // Alternate the ways of answering: by number and by the option's text.
    reply = await say(client, i % 2 ? String(n) : (options[n - 1] as string));
  }
  return reply;
}

describe('Registro ciudadano: the data-treatment authorization comes first', () => {
  const auditOf = (setup: ReturnType<typeof dialogDeps>) => setup.deps.store.transaction((tx) => tx.collection('audit').list());

  it('asks for it with its version, a summary and a link to the full text, with Acepto / No acepto', async () => {
    const ask = await say(mainClient(), 'Registrarme');
    expect(ask.folded).toContain('autorizacion para el tratamiento de sus datos personales');
    expect(ask.folded).toContain('ley 1581 de 2012');
    expect(ask.text).toContain('versión 1.0');
    expect(ask.text).toContain('http://localhost:3978/privacidad');
    expect(ask.text).toMatch(/Acepto[\s\S]*No acepto/);
    expect(ask.folded).not.toContain('tipo de documento');
  });

  it.each(['Acepto', 'si', 'Sí', '1'])('"%s" accepts: the basic data follows', async (answer) => {
    const client = mainClient();
    await say(client, 'Registrarme');
    expect((await say(client, answer)).folded).toContain('tipo de documento');
  });

  it.each(['No acepto', 'no acepto', 'no', '2'])('"%s" declines politely, stores nothing but the audit, and says how to come back', async (answer) => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await say(client, 'Registrarme');
    const reply = await say(client, answer);
    expect(reply.folded).toContain('no guardamos ningun dato');
    expect(reply.folded).toContain('elija registrarme cuando quiera');
    expect(reply.folded).toContain('que desea hacer'); // back at the menu
    const events = await auditOf(setup);
    expect(events.map((e) => e.action)).toEqual(['registro.autorizacion_rechazada']);
    expect(events[0]).toMatchObject({ channel: 'test', detail: { version: '1.0' } });
    expect(events[0]!.subject).toBeUndefined();
    expect(await setup.deps.store.transaction((tx) => tx.collection('citizens').list())).toEqual([]);
  });

  it('anything else is asked again with both options; ayuda explains the step', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    const again = await say(client, 'tal vez');
    expect(again.folded).toContain('autoriza el tratamiento');
    expect(again.text).toMatch(/Acepto[\s\S]*No acepto/);
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('ley 1581');
    expect(help.folded).toContain('miseguridadsocial@minsalud.gov.co');
    expect((await say(client, 'Acepto')).folded).toContain('tipo de documento');
  });

  it('"atrás" at it says it is the first question, as a form\'s first question does, and asks again; "menú" then leaves', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    const back = await say(client, 'atras');
    expect(back.folded).toContain('esta es la primera pregunta no hay una anterior');
    expect(back.folded).toContain('autoriza el tratamiento');
    expect(back.text).toMatch(/Acepto[\s\S]*No acepto/);
    expect(back.folded).not.toContain('elija una de las opciones');
    expect((await say(client, 'menu')).folded).toContain('que desea hacer');
  });

  it('a mismatch of the basic data does not ask for the authorization again', async () => {
    const client = mainClient();
    const mismatch = await giveBasicData(client, jose, { fechaNacimiento: '1966-03-14' });
    expect(mismatch.folded).toContain('no coinciden con las fuentes de referencia');
    expect(mismatch.folded).not.toContain('autoriza el tratamiento');
    // The data comes back for review, without the form's intro as if it were starting.
    expect(mismatch.folded).toContain('revise sus datos');
    expect(mismatch.folded).not.toContain('vamos a empezar');
  });
});

describe('Registro ciudadano: changing an answer at the review, as a person asks it', () => {
  it('"quiero cambiar la fecha de nacimiento" asks it; a date that makes the expedition date impossible says why that is asked again', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    await say(client, 'Acepto');
    expect((await say(client, { value: basicDataCard(jose) })).folded).toContain('revise sus datos');
    expect((await say(client, 'quiero cambiar la fecha de nacimiento')).folded).toContain('fecha de nacimiento');
    // Born in 1970, the expedition date of 1986 comes before the 18th birthday.
    const again = await say(client, '14/03/1970');
    expect(again.text).toContain('Como cambió **Fecha de nacimiento**, su respuesta a **Fecha de expedición** (20/05/1986) ya no es válida.');
    expect(again.folded).toContain('en que fecha se expidio su documento');
    // "quiero cambiar algo" at that question: which answer, from the list.
    const list = await say(client, 'quiero cambiar algo');
    expect(list.folded).toContain('que dato desea corregir');
    expect((await say(client, 'el sexo')).folded).toContain('sexo');
  });
});

describe('Registro ciudadano: the whole conversation', () => {
  it('basic data → identity questions → contact → account pending activation, e-mail with the link', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    // Typed without the accent the reference sources have ("José"): it still matches.
    const questions = await giveBasicData(client, jose, { primerNombre: 'jose' });
    expect(questions.folded).toContain('coinciden con las fuentes de referencia');
    const afterQuestions = await answerRound(client, questions, jose, true);
    expect(afterQuestions.folded).toContain('identidad quedo confirmada');
    expect(afterQuestions.folded).toContain('correo electronico personal');

    expect((await say(client, 'no-es-un-correo')).folded).toContain('no parece valido');
    expect((await say(client, EMAIL)).folded).toContain('escriba de nuevo su correo');
    const mismatch = await say(client, 'otro@correo.com');
    expect(mismatch.folded).toContain('no coinciden');
    // Which one was first, and how to change it when that one was the wrong one.
    expect(mismatch.text).toContain(`el primero fue **${EMAIL}**`);
    expect(mismatch.folded).toContain('si el primero estaba mal escriba atras para cambiarlo');
    expect((await say(client, 'atrás')).folded).toContain('correo electronico personal');
    expect((await say(client, EMAIL)).folded).toContain('escriba de nuevo su correo');
    expect((await say(client, EMAIL.toUpperCase())).folded).toContain('celular');
    expect((await say(client, '2001234567')).folded).toContain('empieza por 3');
    const review = await say(client, '300 123 4567');
    expect(review.text).toContain('3001234567');
    // "estado" at the review names the step once, not "Registro ciudadano, en Registro ciudadano — datos de contacto".
    expect((await say(client, 'estado')).text).toContain('Está en **Registro ciudadano**, en **datos de contacto**.');
    const done = await say(client, 'confirmar');
    expect(done.folded).toContain('pendiente de activacion');
    expect(done.text).toContain('¡Listo, José!'); // named as the reference sources write it
    expect(done.text).toContain('j***@correo.com');
    expect(done.folded).toContain('spam');
    expect(done.text).not.toContain(EMAIL);

    const [citizen] = await setup.deps.store.transaction((tx) => tx.collection('citizens').list());
    // Accepted at the first turn (the fake clock stands still), through this channel.
    expect(citizen?.autorizacionDatos).toEqual({ version: '1.0', aceptadaEn: '2026-11-26T15:00:00.000Z', canal: 'test' });
    const actions = (await setup.deps.store.transaction((tx) => tx.collection('audit').list())).map((e) => e.action);
    expect(actions).toContain('registro.autorizacion_aceptada');

    expect(setup.mailer.sent).toHaveLength(1);
    const mail = setup.mailer.sent[0]!;
    expect(mail.to).toBe(EMAIL);
    expect(mail.template).toBe('registro-activacion');
    expect(String(mail.data['enlace'])).toMatch(/^http:\/\/localhost:3978\/cuenta\/activar\?token=[\w-]{20,}$/);
  });

  it('data that does not match: says so without saying which, keeps the data for correction, then passes', async () => {
    const client = mainClient();
    const mismatch = await giveBasicData(client, jose, { fechaNacimiento: '1966-03-14' });
    expect(mismatch.folded).toContain('no coinciden con las fuentes de referencia');
    expect(mismatch.folded).not.toContain('fecha de nacimiento no');
    expect(mismatch.folded).toContain('quedan 2 intentos');
    expect(mismatch.text).toContain('70123456'); // the review shows what was typed: nothing is lost
    await say(client, 'corregir fecha de nacimiento');
    const review = await say(client, '14/03/1968');
    expect(review.text).toContain('14/03/1968');
    expect((await say(client, 'confirmar')).folded).toContain('pregunta 1 de 4');
  });

  it('three mismatches block the document for 24 hours, and the block ends', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await giveBasicData(client, jose, { primerApellido: 'Otro' });
    await say(client, 'confirmar');
    const blocked = await say(client, 'confirmar');
    expect(blocked.folded).toContain('bloqueado hasta');
    expect(blocked.text).toContain('2026'); // until when, as a date
    expect(blocked.text).toContain('miseguridadsocial@minsalud.gov.co');

    // Even with the right data, while blocked.
    const again = await giveBasicData(client, jose);
    expect(again.folded).toContain('bloqueado hasta');

    setup.clock.advance(24 * 3600_000 + 60_000);
    const later = await giveBasicData(client, jose);
    expect(later.folded).toContain('pregunta 1 de 4');
  });

  it('a failed round may be retried with other questions; the third failure blocks', async () => {
    const client = mainClient();
    const first = await giveBasicData(client, jose);
    const failed = await answerRound(client, first, jose, false);
    expect(failed.folded).toContain('no fue posible confirmar su identidad');
    expect(failed.folded).toContain('quedan 2 intentos');
    // Neither yes nor no: the question alone, not the failure told again.
    const unsure = await say(client, 'no se');
    expect(unsure.folded).toContain('desea recibir otras preguntas ahora responda si para intentarlo de nuevo o no para dejarlo para despues');
    expect(unsure.folded).toContain('le quedan 2 intentos');
    expect(unsure.folded).not.toContain('no fue posible confirmar');
    const second = await say(client, 'sí');
    expect(optionsOf(second).join('|')).not.toBe(optionsOf(first).join('|'));
    const failedAgain = await answerRound(client, second, jose, false);
    expect(failedAgain.folded).toContain('queda 1 intento');
    const third = await say(client, 'si');
    const blocked = await answerRound(client, third, jose, false);
    expect(blocked.folded).toContain('bloqueado hasta');
  });

  it('inside the questions: ayuda, atrás and a bad answer re-ask the same question', async () => {
    const client = mainClient();
    const first = await giveBasicData(client, jose);
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('ninguna de las anteriores');
    expect(help.text).toContain('01 8000 96 00 20');
    expect(help.folded).toContain('pregunta 1 de 4');
    expect((await say(client, '9')).folded).toContain('elija una de las opciones');
    expect((await say(client, '<b>x</b>')).folded).toContain('pregunta 1 de 4');
    await say(client, String(rightAnswer(jose, registry, optionsOf(first))));
    expect((await say(client, 'atrás')).folded).toContain('pregunta 1 de 4');
  });

  it('an already registered (active) document is sent to Ingresar', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await registerAndActivate(client, setup);
    const again = await giveBasicData(client, jose);
    expect(again.folded).toContain('ya existe una cuenta activa');
    expect(again.folded).toContain('olvide mi contrasena');
  });

  it('an e-mail used by another citizen is refused and asked again, keeping the phone', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await registerAndActivate(client, setup);
    const other = EXAMPLE_PERSONS.delegateComfama;
    const q = await giveBasicData(client, other);
    await answerRound(client, q, other, true);
    await say(client, EMAIL);
    await say(client, EMAIL);
    await say(client, '3109876543');
    const taken = await say(client, 'confirmar');
    expect(taken.folded).toContain('ya esta registrado por otra persona');
    expect(taken.folded).toContain('correo electronico personal');
    expect(taken.folded).not.toContain('ahora sus datos de contacto'); // the form's intro is not said again
    await say(client, 'maria.pena@correo.com');
    const review = await say(client, 'maria.pena@correo.com');
    expect(review.text).toContain('3109876543'); // the phone typed before was kept
  });

  it('when the e-mail cannot be sent, the account stays and the chat says the e-mail did not go', async () => {
    const setup = dialogDeps();
    setup.mailer.send = async () => Promise.reject(new Error('SMTP 421'));
    const client = mainClient(setup);
    const q = await giveBasicData(client, jose);
    await answerRound(client, q, jose, true);
    await say(client, EMAIL);
    await say(client, EMAIL);
    await say(client, '3001234567');
    const done = await say(client, 'confirmar');
    expect(done.folded).toContain('pendiente de activacion');
    expect(done.folded).toContain('no pudimos enviar');
    expect(done.folded).not.toContain('ocurrio un problema');
  });

  it('cancelar during the questions goes back to the menu', async () => {
    const client = mainClient();
    await giveBasicData(client, jose);
    expect((await say(client, 'cancelar')).folded).toContain('cancele');
  });
});

/** Registers José through the chat and activates the account with the link from the e-mail. */
async function registerAndActivate(client: DialogTestClient, setup: ReturnType<typeof dialogDeps>, password = 'Montaña2026segura'): Promise<void> {
  const q = await giveBasicData(client, jose);
  await answerRound(client, q, jose, true);
  await say(client, EMAIL);
  await say(client, EMAIL);
  await say(client, '3001234567');
  await say(client, 'confirmar');
  const link = String(setup.mailer.sent.at(-1)!.data['enlace']);
  const token = new URL(link).searchParams.get('token')!;
  const activated = await setPasswordWithToken(setup.deps, token, 'activacion', password, password, { ref: 't', channel: 'test' });
  expect(activated.ok).toBe(true);
}

describe('Ingresar, sesión y Olvidé mi contraseña', () => {
  const PASSWORD = 'Montaña2026segura';
  const login = (clave: string) => ({ value: { __form: 'ingreso', tipoDocumento: 'CC', numeroDocumento: '70.123.456', clave } });

  it('logs in with the masked password card; the session ends with salir', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await registerAndActivate(client, setup, PASSWORD);
    const card = await say(client, 'Ingresar');
    expect(JSON.stringify(card.cards)).toContain('"style":"Password"');
    const typed = await say(client, PASSWORD); // typed in the chat, not in the card
    expect(typed.text).not.toContain(PASSWORD);
    const welcome = await say(client, login(PASSWORD));
    expect(welcome.folded).toMatch(/bienvenido.*jose restrepo/);
    expect(welcome.text).not.toContain(PASSWORD);
    expect((await say(client, 'Ingresar')).folded).toContain('ya ingreso como');
    expect((await say(client, 'salir')).folded).toContain('sesion en el asistente quedo cerrada');
    expect((await say(client, 'Ingresar')).folded).toContain('tipo de documento');
  });

  it('a wrong password says only that the data is not right; 5 failures lock login for 15 minutes', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await registerAndActivate(client, setup, PASSWORD);
    for (let i = 0; i < 4; i++) {
      await say(client, 'Ingresar');
      const r = await say(client, login('equivocada123'));
      expect(r.folded).toContain('no son correctos');
    }
    await say(client, 'Ingresar');
    expect((await say(client, login('equivocada123'))).folded).toContain('bloqueado hasta las'); // the fifth
    await say(client, 'Ingresar');
    const locked = await say(client, login(PASSWORD));
    expect(locked.folded).toContain('bloqueado hasta las');
    setup.clock.advance(15 * 60_000 + 1000);
    await say(client, 'Ingresar');
    expect((await say(client, login(PASSWORD))).folded).toContain('bienvenido');
  });

  it('an unknown document gets the same answer as a wrong password', async () => {
    const client = mainClient();
    await say(client, 'Ingresar');
    const r = await say(client, { value: { __form: 'ingreso', tipoDocumento: 'CC', numeroDocumento: '99999999', clave: 'Cualquiera123' } });
    expect(r.folded).toContain('no son correctos');
  });

  it('the session closes after 30 minutes without activity', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await registerAndActivate(client, setup, PASSWORD);
    await say(client, 'Ingresar');
    await say(client, login(PASSWORD));
    setup.clock.advance(29 * 60_000);
    expect((await say(client, 'Ingresar')).folded).toContain('ya ingreso como'); // still active, and touched
    setup.clock.advance(31 * 60_000);
    expect((await say(client, 'ayuda')).folded).toContain('se cerro por inactividad');
    expect((await say(client, 'Ingresar')).folded).toContain('tipo de documento');
  });

  it('Olvidé mi contraseña never reveals whether a document is registered', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await registerAndActivate(client, setup, PASSWORD);
    const sentBefore = setup.mailer.sent.length;
    const answers: string[] = [];
    for (const numero of ['70123456', '99999999']) {
      await say(client, 'Olvidé mi contraseña');
      await say(client, 'CC');
      answers.push((await say(client, numero)).folded);
    }
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0]).toContain('si el documento corresponde a una cuenta registrada');
    expect(setup.mailer.sent.length).toBe(sentBefore + 1); // only the registered one got a link
    expect(setup.mailer.sent.at(-1)!.template).toBe('cuenta-recuperacion');
  });
});

describe('Registro ciudadano: both names typed as the first name', () => {
  it('"luz paola" is asked again as one name, before it can cost an attempt against the reference sources', async () => {
    const client = mainClient();
    await say(client, 'Registrarme');
    await say(client, 'Acepto');
    await say(client, 'cc');
    expect((await say(client, '43123456')).folded).toContain('primer nombre');
    const reply = await say(client, 'luz paola');
    expect(reply.text).toContain('¿El primer nombre es **LUZ** y el segundo nombre **PAOLA**?');
    // That is the question: the field's own is not asked beside it.
    expect(reply.folded).not.toContain('cual es su primer nombre');
    expect((await say(client, 'luz')).folded).toContain('segundo nombre');
  });

  async function atFirstName(): Promise<ReturnType<typeof mainClient>> {
    const client = mainClient();
    for (const text of ['Registrarme', 'Acepto', 'cc', '43123456']) await say(client, text);
    await say(client, 'luz paola');
    return client;
  }

  it('"sí" takes both names: the second name is not asked; the review shows them', async () => {
    const client = mainClient();
    for (const text of ['Registrarme', 'Acepto', 'cc', '43123456']) await say(client, text);
    const asked = await say(client, 'luz paola');
    expect(buttons(asked)).toEqual(['Sí', 'No']);
    expect((await say(client, 'Sí')).folded).toContain('cual es su primer apellido');
    for (const text of ['gomez', 'omitir', '14/03/1968', '20/05/1986']) await say(client, text);
    const review = await say(client, 'F');
    expect(review.text).toMatch(/Primer nombre\*\*: LUZ\b/);
    expect(review.text).toMatch(/Segundo nombre\*\*: PAOLA\b/);
  });

  it('"no" (or the same again) keeps it as one first name; "ayuda" in between asks the question again', async () => {
    const client = await atFirstName();
    expect((await say(client, 'ayuda')).text).toContain('¿El primer nombre es **LUZ** y el segundo nombre **PAOLA**?');
    expect((await say(client, 'no')).folded).toContain('segundo nombre');
    const again = await atFirstName();
    expect((await say(again, 'Luz Paola')).folded).toContain('segundo nombre');
  });
});

describe('Registro ciudadano: the next answer typed at the question about both names', () => {
  it('"gomez" at "¿El primer nombre es LUZ y el segundo PAOLA?" is not taken as the first name: the question stays', async () => {
    const client = mainClient();
    for (const text of ['Registrarme', 'Acepto', 'cc', '43123456']) await say(client, text);
    await say(client, 'luz paola');
    const again = await say(client, 'gomez ruiz');
    expect(again.text).toContain('Antes de seguir, responda esta pregunta: ¿El primer nombre es **LUZ** y el segundo nombre **PAOLA**?');
    expect(again.text).not.toContain('GOMEZ');
    expect((await say(client, 'si')).folded).toContain('cual es su primer apellido');
    const surname = await say(client, 'gomez ruiz');
    expect(surname.text).toContain('¿El primer apellido es **GOMEZ** y el segundo apellido **RUIZ**?');
    expect((await say(client, 'mujer')).text).toContain('Antes de seguir, responda esta pregunta: ¿El primer apellido es **GOMEZ**');
  });
});

describe('Registro ciudadano: "sí" or "ok" typed at a name', () => {
  it('is no one\'s name: says so and asks again, nothing stored (it was the first name "SÍ")', async () => {
    const client = mainClient();
    for (const text of ['Registrarme', 'Acepto', 'cc', '43123456']) await say(client, text);
    const reply = await say(client, 'si');
    expect(reply.text).toContain('**si** no es un nombre: escríbalo tal como aparece en el documento.');
    expect(reply.folded).toContain('primer nombre');
    expect((await say(client, 'ok')).text).toContain('**ok** no es un nombre');
    expect((await say(client, 'luz')).folded).toContain('segundo nombre');
    // At the optional second name "sí" is not "none" either: asked again, "omitir" still skips it.
    expect((await say(client, 'sí')).text).toContain('**sí** no es un nombre');
    expect((await say(client, 'omitir')).folded).toContain('primer apellido');
  });
});

describe('Registro ciudadano: both surnames typed as the first surname', () => {
  async function atFirstSurname(): Promise<ReturnType<typeof mainClient>> {
    const client = mainClient();
    for (const text of ['Registrarme', 'Acepto', 'cc', '43123456', 'luz', 'omitir']) await say(client, text);
    return client;
  }

  it('"martinez ruiz" is asked about, not taken whole with the second surname asked after it', async () => {
    const client = await atFirstSurname();
    const reply = await say(client, 'martinez ruiz');
    expect(reply.text).toContain('¿El primer apellido es **MARTINEZ** y el segundo apellido **RUIZ**?');
    expect(buttons(reply)).toEqual(['Sí', 'No']);
    expect(reply.folded).not.toContain('cual es su segundo apellido');
  });

  it('"de la hoz zuñiga": the particles lead the first surname, Zúñiga is asked about as the second', async () => {
    const client = await atFirstSurname();
    expect((await say(client, 'de la hoz zuñiga')).text).toContain('¿El primer apellido es **DE LA HOZ** y el segundo apellido **ZUÑIGA**?');
    expect((await say(client, 'si')).folded).toContain('fecha de nacimiento');
  });

  it('"sí" takes both surnames: the second is not asked; the review shows them', async () => {
    const client = await atFirstSurname();
    await say(client, 'martinez ruiz');
    expect((await say(client, 'si')).folded).toContain('fecha de nacimiento');
    for (const text of ['14/03/1968', '20/05/1986']) await say(client, text);
    const review = await say(client, 'F');
    expect(review.text).toMatch(/Primer apellido\*\*: MARTINEZ\b/);
    expect(review.text).toMatch(/Segundo apellido\*\*: RUIZ\b/);
  });

  it('"no", or the same again, keeps it as one surname; a surname joined by "de la" is not asked about', async () => {
    const client = await atFirstSurname();
    await say(client, 'martinez ruiz');
    expect((await say(client, 'no')).folded).toContain('segundo apellido');
    const again = await atFirstSurname();
    await say(again, 'martinez ruiz');
    expect((await say(again, 'Martinez Ruiz')).folded).toContain('segundo apellido');
    const particle = await atFirstSurname();
    expect((await say(particle, 'de la hoz')).folded).toContain('segundo apellido');
  });
});
