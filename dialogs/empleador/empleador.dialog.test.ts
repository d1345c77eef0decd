import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps, mainClient, testFiles } from '../../test/helpers/dialog-deps.js';
import { pdfBytes, seedActiveCitizen } from '../../test/helpers/people.js';
import { say, type Input, type Reply } from '../../test/helpers/transcript.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { untyped } from '../form/form-spec.js';
import { finalAnswer } from './empleador.dialog.js';
import { delegadoForm, sedeForm } from './empleador.forms.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const andres = EXAMPLE_PERSONS.authorizedComfama;
const PASSWORD = 'Guayacan-Florido-2026';
const RAZON = 'Caja de Compensación Familiar de Antioquia COMFAMA';

const delegate = (p = maria, email = 'maria.pena@comfama.com.co') => ({
  value: {
    __form: 'empleador-delegado', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, primerNombre: p.primerNombre,
    segundoNombre: p.segundoNombre ?? '', primerApellido: p.primerApellido, segundoApellido: p.segundoApellido ?? '', email,
  },
});

async function setup(opts: { admins?: string[] } = {}) {
  const s = dialogDeps('2026-11-26T15:00:00.000Z', 7, { admins: opts.admins ?? [] });
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD);
  const client = mainClient(s);
  return { ...s, client };
}

async function login(client: DialogTestClient, p = jose): Promise<Reply> {
  await say(client, 'Ingresar');
  return say(client, { value: { __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: PASSWORD } });
}

const START: Input = { value: { __action: 'comenzar', id: 'rol-empleador' } };

/** From the NIT to the delegate's card, with company data that matches the RUT. */
async function upToDelegate(client: DialogTestClient): Promise<void> {
  expect((await say(client, START)).folded).toContain('nit de la empresa');
  const understood = await say(client, '890 900 841 9');
  expect(understood.text).toContain('890.900.841-9');
  expect(understood.folded).toContain('razon social');
  expect((await say(client, RAZON)).folded).toContain('naturaleza juridica');
  expect((await say(client, 'Privada')).folded).toContain('revise sus datos');
  expect((await say(client, 'confirmar')).folded).toContain('delegado');
}

async function delegateAndSite(client: DialogTestClient): Promise<Reply> {
  expect((await say(client, delegate())).folded).toContain('revise sus datos');
  expect((await say(client, 'confirmar')).folded).toContain('sede principal');
  return site(client);
}

/** The main site's answers, from its name to the final summary. */
async function site(client: DialogTestClient): Promise<Reply> {
  expect((await say(client, 'Sede principal Medellín')).folded).toContain('departamento');
  expect((await say(client, 'antioquia')).folded).toContain('municipio');
  expect((await say(client, 'san')).folded).toContain('hay varios municipios');
  expect((await say(client, 'medellin')).folded).toContain('direccion');
  expect((await say(client, 'Carrera 50 No. 52-10')).folded).toContain('telefono');
  expect((await say(client, '604 444 5566')).folded).toContain('correo corporativo');
  expect((await say(client, 'sede@gmail.com')).folded).toContain('gmail.com');
  const review = await say(client, 'notificaciones@comfama.com.co');
  expect(review.text).toContain('Medellín');
  expect(review.text).toContain('Antioquia');
  const summary = await say(client, 'confirmar');
  expect(summary.folded).toContain('revise el registro completo');
  expect(summary.text).toContain('890.900.841-9');
  return summary;
}

describe('Registrar rol empleador persona jurídica', () => {
  it('needs a login first', async () => {
    const { client } = await setup();
    expect((await say(client, START)).folded).toContain('primero debe ingresar');
  });

  it('the RL registers COMFAMA with a delegate who is not registered: invitation sent, role active', async () => {
    const { client, mailer } = await setup();
    await login(client);
    await upToDelegate(client);
    await delegateAndSite(client);
    const done = await say(client, 'confirmar');
    expect(done.folded).toContain('quedo registrado');
    expect(done.text).toContain('n***@comfama.com.co');
    expect(done.folded).toContain('invitacion');
    expect(done.activities.at(-1)?.suggestedActions?.actions.map((a) => a.title)).toEqual(['Terminar']);
    expect((await say(client, 'Terminar')).folded).toContain('que desea hacer');
    const templates = mailer.sent.map((m) => `${m.template}→${m.to}`);
    expect(templates).toContain('empleador-registrado→notificaciones@comfama.com.co');
    expect(templates).toContain('delegado-invitacion→maria.pena@comfama.com.co');
    // A second time: the NIT already has the role.
    await say(client, START);
    expect((await say(client, '890900841')).folded).toContain('actualizar datos');
  });

  it('a delegate who is registered is linked, e-mailed and told in the chat they used last', async () => {
    const s = await setup();
    await seedActiveCitizen(s.deps.store, maria, 'maria.pena@correo.com', PASSWORD);
    await login(s.client, maria); // María has talked to the assistant before
    await say(s.client, 'salir');
    await login(s.client);
    await upToDelegate(s.client);
    await delegateAndSite(s.client);
    const done = await say(s.client, 'confirmar');
    expect(done.folded).toContain('la delegada ya estaba registrada quedo vinculada');
    expect(s.mailer.sent.map((m) => m.template)).toContain('delegado-designado');
    expect(s.notifier.notices).toHaveLength(1);
    expect(s.notifier.notices[0]!.citizenId).toBe(`CC:${maria.numeroDocumento}`);
    expect(s.notifier.notices[0]!.text).toMatch(/delegado.*COMFAMA/is);
  });

  it('somebody who is not the RL of that NIT is refused', async () => {
    const s = dialogDeps();
    await seedActiveCitizen(s.deps.store, andres, 'andres@correo.com', PASSWORD);
    const client = mainClient(s);
    await login(client, andres);
    await say(client, START);
    expect((await say(client, '890.900.841-9')).folded).toContain('no es el representante legal');
  });

  it('a wrong check digit is refused with the reason and asked again', async () => {
    const { client } = await setup();
    await login(client);
    await say(client, START);
    expect((await say(client, '890900841-8')).folded).toContain('digito de verificacion no corresponde');
    expect((await say(client, '890900841')).text).toContain('890.900.841-9');
  });

  it('data that does not match the RUT: the RUT PDF is required (too big, not a PDF, old date, valid) → pending review', async () => {
    const { client, mailer } = await setup();
    await login(client);
    await say(client, START);
    await say(client, '890900841');
    await say(client, 'Otra razón social');
    await say(client, '2');
    const required = await say(client, 'confirmar');
    expect(required.folded).toContain('adjunte el rut de la empresa en pdf');
    expect((await say(client, 'aquí va')).folded).toContain('no recibi ningun archivo');

    testFiles.set('grande.pdf', pdfBytes(3, 1024 * 1024 + 1));
    testFiles.set('foto.png', Buffer.from('\x89PNG\r\n\x1a\nxxxx', 'binary'));
    testFiles.set('una-pagina.pdf', pdfBytes(1));
    testFiles.set('rut.pdf', pdfBytes(3));
    const attach = (name: string): Input => ({ type: 'message', attachments: [{ contentType: 'application/pdf', contentUrl: `test:${name}`, name }] });
    expect((await say(client, attach('grande.pdf'))).folded).toContain('mas de 1 mb');
    expect((await say(client, attach('foto.png'))).folded).toContain('no es un pdf');
    expect((await say(client, attach('una-pagina.pdf'))).folded).toContain('paginas 1 y 3');
    const received = await say(client, attach('rut.pdf'));
    expect(received.folded).toContain('recibi el archivo');
    expect(received.folded).toContain('fecha se expidio');
    expect((await say(client, '01/01/2025')).folded).toContain('en los ultimos 365 dias');
    expect((await say(client, '10/11/2026')).folded).toContain('delegado');
    await delegateAndSite(client);
    const done = await say(client, 'confirmar');
    expect(done.folded).toContain('pendiente de revision');
    expect(mailer.sent.map((m) => m.template)).toContain('empleador-pendiente-revision');
  });

  it('the delegate must match the reference sources and cannot be the RL', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    // Checked as soon as the data is complete: the number is asked again, the rest is kept.
    const own = await say(client, delegate(jose, 'jose@comfama.com.co'));
    expect(own.folded).toContain('persona diferente al representante legal');
    expect(own.folded).toContain('numero de documento del delegado');
    const wrong = { value: { ...delegate().value, primerApellido: 'Zuluaga' } };
    const mismatch = await say(client, wrong);
    expect(mismatch.folded).toContain('no coinciden con las fuentes de referencia');
    expect(mismatch.folded).not.toContain('zuluaga'); // never says which field
    expect((await say(client, 'corregir primer apellido')).folded).toContain('primer apellido');
    expect((await say(client, maria.primerApellido)).folded).toContain('numero de documento');
    expect((await say(client, maria.numeroDocumento)).folded).toContain('revise sus datos');
    expect((await say(client, 'confirmar')).folded).toContain('sede principal');
  });

  it('the main site is kept as a draft: after leaving, the next registration picks it up in another conversation', async () => {
    const s = await setup();
    await login(s.client);
    await upToDelegate(s.client);
    expect((await say(s.client, delegate())).folded).toContain('revise sus datos');
    expect((await say(s.client, 'confirmar')).folded).toContain('sede principal');
    expect((await say(s.client, 'Sede principal Medellín')).folded).toContain('departamento');
    expect((await say(s.client, 'antioquia')).folded).toContain('municipio');
    await say(s.client, 'cancelar');
    // Another conversation of the same person (same store), after logging in there.
    const other = mainClient(s);
    await login(other);
    await upToDelegate(other);
    expect((await say(other, delegate())).folded).toContain('revise sus datos');
    const resumed = await say(other, 'confirmar');
    expect(resumed.folded).toContain('retomamos lo que dejo guardado');
    expect(resumed.folded).toContain('municipio');
  });

  it('cancelar at any step goes back to the menu', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    expect((await say(client, 'cancelar')).folded).toMatch(/cancele.*que desea hacer/s);
  });
});

/** Logged in, the NIT read and the razón social typed: at the naturaleza's question. */
async function atNaturaleza(client: DialogTestClient, razon = RAZON): Promise<void> {
  await login(client);
  await say(client, START);
  await say(client, '890 900 841 9');
  expect((await say(client, razon)).folded).toContain('naturaleza juridica');
}

describe('Registrar rol empleador: the naturaleza jurídica in the words of a legal form', () => {
  it.each([
    ['sin animo de lucro', 'Privada'],
    ['es una caja de compensacion', 'Privada'],
    ['entidad publica', 'Pública'],
    ['sociedad de economia mixta', 'Mixta'],
  ])('"%s" is %s (the review shows it)', async (typed, shown) => {
    const { client } = await setup();
    await atNaturaleza(client);
    const review = await say(client, typed);
    expect(review.folded).toContain('revise sus datos');
    expect(review.text).toContain(shown);
  });

  it('words that name no legal form are asked again with the options', async () => {
    const { client } = await setup();
    await atNaturaleza(client);
    expect((await say(client, 'no estoy seguro de eso')).folded).toContain('naturaleza juridica');
  });
});

describe('Registrar rol empleador: company data that differs from the RUT says what the RUT has', () => {
  async function typed(razon: string, naturaleza: string): Promise<Reply> {
    const { client } = await setup();
    await atNaturaleza(client, razon);
    await say(client, naturaleza);
    return say(client, 'confirmar');
  }

  it('the sigla typed as the razón social: the RUT\'s razón social is named, the naturaleza is not', async () => {
    const reply = await typed('comfama', 'privada');
    expect(reply.folded).toContain('no coinciden con el rut');
    expect(reply.text).toContain(`Allí la razón social es **${RAZON.toUpperCase()}**.`);
    expect(reply.folded).not.toContain('alli la naturaleza');
  });

  it('another naturaleza: the RUT\'s is named, the razón social is not', async () => {
    const reply = await typed(RAZON, 'mixta');
    expect(reply.text).toContain('Allí la naturaleza jurídica es **Privada**.');
    expect(reply.folded).not.toContain('alli la razon social');
  });
});

describe('Registrar rol empleador: the company by its name at the NIT question', () => {
  it('the name of a company the person represents is taken for its NIT; other words say which ones they represent', async () => {
    const { client } = await setup();
    await login(client);
    await say(client, START);
    const help = await say(client, 'no se el nit');
    expect(help.text).toContain('Según el RUT, usted es representante legal de **CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA** (NIT 890.900.841-9)');
    expect(help.text).not.toContain('{{');
    const other = await say(client, 'la de mi empresa');
    expect(other.text).toContain('usted es representante legal de **CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA** (NIT 890.900.841-9)');
    expect(other.folded).not.toContain('solo numeros');
    expect(other.folded).not.toContain('por ejemplo 890.900.841-9'); // the short question again
    const taken = await say(client, 'comfama');
    expect(taken.text).toContain('Entendí el NIT **890.900.841-9**');
    expect(taken.folded).toContain('razon social');
  });

  it('a person who represents no company is told the NIT is digits', async () => {
    const s = dialogDeps();
    await seedActiveCitizen(s.deps.store, andres, 'andres@correo.com', PASSWORD);
    const client = mainClient(s);
    await login(client, andres);
    await say(client, START);
    const reply = await say(client, 'comfama');
    expect(reply.folded).toContain('el nit lleva solo numeros');
    expect(reply.folded).not.toContain('representante legal de');
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('el nit tiene 9 digitos');
    expect(help.folded).not.toContain('usted es representante legal');
  });
});

describe('Registrar rol empleador: "atrás" at the delegate\'s first question', () => {
  it('shows the company data again on its review; confirmed, the delegate is asked again and the registration goes on', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    const back = await say(client, 'atras');
    expect(back.folded).toContain('revise sus datos');
    expect(back.folded).toContain('razon social');
    expect(back.folded).not.toContain('primera pregunta');
    expect(back.folded).not.toContain('entendi el nit'); // the NIT is not checked again
    expect((await say(client, 'confirmar')).folded).toContain('tipo de documento del delegado');
    await delegateAndSite(client);
    expect((await say(client, 'confirmar')).folded).toContain('quedo registrado');
  });

  it('"atrás" at the razón social asks the NIT again (no intro), and the registration goes on from there', async () => {
    const { client } = await setup();
    await login(client);
    await say(client, START);
    expect((await say(client, '890900841')).folded).toContain('razon social');
    const back = await say(client, 'atrás');
    expect(back.folded).toContain('cual es el nit de la empresa');
    expect(back.folded).not.toContain('primera pregunta');
    expect(back.folded).not.toContain('vamos a registrar');
    expect((await say(client, '890 900 841 9')).folded).toContain('razon social');
    expect((await say(client, RAZON)).folded).toContain('naturaleza juridica');
    expect((await say(client, 'Privada')).folded).toContain('revise sus datos');
    expect((await say(client, 'confirmar')).folded).toContain('tipo de documento del delegado');
  });

  it('"atrás" at the main site\'s first question shows the delegate on its review; the company data is kept', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    expect((await say(client, delegate())).folded).toContain('revise sus datos');
    expect((await say(client, 'confirmar')).folded).toContain('nombre de la sede');
    const back = await say(client, 'atrás');
    expect(back.folded).toContain('revise sus datos');
    expect(back.text).toContain('maria.pena@comfama.com.co');
    expect(back.folded).not.toContain('ahora los datos del delegado'); // its intro was said the first time
    expect((await say(client, 'confirmar')).folded).toContain('nombre de la sede');
    const summary = await site(client);
    expect(summary.text).toContain('maria.pena@comfama.com.co');
    expect((await say(client, 'confirmar')).folded).toContain('quedo registrado');
  });
});

describe('Registrar rol empleador: the help at the main site\'s name', () => {
  it('does not say "si no tiene este dato a mano" (the person names the site); at the address it does', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    await say(client, delegate());
    expect((await say(client, 'confirmar')).folded).toContain('nombre de la sede');
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('nombre de la sede');
    expect(help.folded).not.toContain('no tiene este dato a mano');
    for (const text of ['Sede principal', 'Antioquia', 'Medellín']) await say(client, text);
    expect((await say(client, 'ayuda')).folded).toContain('no tiene este dato a mano');
  });
});

describe('Registrar rol empleador: the RL naming themself as the delegate', () => {
  it('"yo misma" at the delegate\'s first question says the delegate is another person, and asks again', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    const reply = await say(client, 'yo misma');
    expect(reply.folded).toContain('el delegado debe ser una persona diferente al representante legal');
    expect(reply.folded).toContain('tipo de documento del delegado');
    expect(reply.folded).not.toContain('no reconoci');
    expect((await say(client, 'cc')).folded).toContain('numero de documento del delegado');
  });
});

describe('after the role exists: role choice, Actualizar datos, RUT review', () => {
  async function registered(opts: { rut?: boolean; admins?: string[] } = {}) {
    const s = await setup({ admins: opts.admins });
    await login(s.client);
    await say(s.client, START);
    await say(s.client, '890900841');
    await say(s.client, opts.rut ? 'Otra razón social' : RAZON);
    await say(s.client, '2');
    await say(s.client, 'confirmar');
    if (opts.rut) {
      testFiles.set('rut.pdf', pdfBytes(3));
      await say(s.client, { type: 'message', attachments: [{ contentType: 'application/pdf', contentUrl: 'test:rut.pdf', name: 'rut.pdf' }] });
      await say(s.client, '10/11/2026');
    }
    await delegateAndSite(s.client);
    await say(s.client, 'confirmar');
    await say(s.client, 'salir');
    return s;
  }

  it('after login the RL chooses to act as Ciudadano or as the employer', async () => {
    const { client } = await registered();
    const choice = await login(client);
    expect(choice.folded).toContain('en que rol desea actuar');
    expect(choice.text).toContain('Empleador persona jurídica — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA');
    expect((await say(client, 'como representante legal')).folded).toContain('ahora actua como empleador persona juridica');
    expect((await say(client, 'estado')).folded).toMatch(/jose alejandro restrepo.*actua como empleador persona juridica.*comfama/s);
  });

  it('Actualizar datos: the RL changes the main site; audited and e-mailed', async () => {
    const { client, mailer, deps } = await registered();
    await login(client);
    await say(client, '2');
    const what = await say(client, { value: { __action: 'comenzar', id: 'actualizar-datos' } });
    expect(what.folded).toContain('que desea actualizar');
    const form = await say(client, 'Sede principal');
    expect(form.folded).toContain('revise sus datos'); // current data comes first, to correct
    expect(form.folded).not.toContain('por ultimo');
    await say(client, 'corregir dirección');
    await say(client, 'Calle 10 No. 43-12');
    const done = await say(client, 'confirmar');
    expect(done.folded).toContain('quedaron actualizados');
    expect(mailer.sent.at(-1)!.template).toBe('empleador-actualizado');
    const audit = await deps.store.transaction((tx) => tx.collection('audit').list());
    expect(audit.some((e) => e.action.includes('actualiz'))).toBe(true);
  });

  it('Actualizar datos chosen by words that name a field of the main site asks that field at once', async () => {
    const { client } = await registered();
    await login(client);
    await say(client, '2');
    const phone = await say(client, 'quiero cambiar el telefono de la sede');
    expect(phone.folded).not.toContain('que desea actualizar');
    expect(phone.folded).not.toContain('por ultimo'); // the registration's intro of the main site
    expect(phone.folded).toContain('telefono de la sede');
    const review = await say(client, '3104445566');
    expect(review.folded).toContain('revise sus datos');
    expect(review.text).toContain('3104445566');
    expect((await say(client, 'confirmar')).folded).toContain('quedaron actualizados');
  });

  it('Actualizar datos chosen by words that name the delegate opens the delegate\'s form; words that name neither ask', async () => {
    const { client } = await registered();
    await login(client);
    await say(client, '2');
    expect((await say(client, 'quiero cambiar el delegado')).folded).toContain('tipo de documento del delegado');
    await say(client, 'cancelar');
    expect((await say(client, 'actualizar datos')).folded).toContain('que desea actualizar');
  });

  it('the RUT review is for MinSalud administrators only; approval e-mails the RL', async () => {
    const admin = EXAMPLE_PERSONS.citizenCe;
    const s = await registered({ rut: true, admins: [`${admin.tipoDocumento}:${admin.numeroDocumento}`] });
    await seedActiveCitizen(s.deps.store, admin, 'carlos@minsalud.gov.co', PASSWORD);
    // The RL is not an administrator.
    await login(s.client);
    await say(s.client, '1');
    expect((await say(s.client, { value: { __action: 'comenzar', id: 'revision-rut' } })).folded).toContain('es para los administradores del ministerio');
    await say(s.client, 'salir');
    // The administrator acts as such, sees the pending registration, opens it, approves it.
    await login(s.client, admin);
    expect((await say(s.client, 'administrador')).folded).toContain('ahora actua como administrador minsalud');
    const list = await say(s.client, { value: { __action: 'comenzar', id: 'revision-rut' } });
    expect(list.folded).toContain('pendientes de revision del rut 1');
    const detail = await say(s.client, '1');
    expect(detail.text).toMatch(/\/archivos\/rut\/[a-f0-9]{64}\?/);
    expect((await say(s.client, 'Aprobar')).folded).toContain('registro aprobado');
    expect(s.mailer.sent.at(-1)!.template).toBe('rut-aprobado');
  });

  it('rejecting asks for the reason, which goes to the RL', async () => {
    const admin = EXAMPLE_PERSONS.citizenCe;
    const s = await registered({ rut: true, admins: [`${admin.tipoDocumento}:${admin.numeroDocumento}`] });
    await seedActiveCitizen(s.deps.store, admin, 'carlos@minsalud.gov.co', PASSWORD);
    await login(s.client, admin);
    // Still acting as citizen: the review offers the one role that fits, and goes on.
    await say(s.client, 'ciudadano');
    expect((await say(s.client, { value: { __action: 'comenzar', id: 'revision-rut' } })).folded).toMatch(/ahora actua como administrador minsalud.*pendientes de revision del rut/s);
    await say(s.client, '1');
    expect((await say(s.client, 'Rechazar')).folded).toContain('motivo del rechazo');
    expect((await say(s.client, 'ok')).folded).toContain('demasiado corto');
    expect((await say(s.client, 'El RUT no corresponde a la razón social')).folded).toContain('registro rechazado');
    const mail = s.mailer.sent.at(-1)!;
    expect(mail.template).toBe('rut-rechazado');
    expect(JSON.stringify(mail.data)).toContain('El RUT no corresponde a la razón social');
  });
});

describe('the final summary: correcting a part without starting again', () => {
  it('"corregir delegado" opens the delegate on its review; a changed e-mail comes back to the summary and is registered', async () => {
    const { client, deps } = await setup();
    await login(client);
    await upToDelegate(client);
    const summary = await delegateAndSite(client);
    expect(summary.cards.flatMap((c) => ((c['actions'] ?? c['buttons'] ?? []) as { title: string }[]).map((b) => b.title))).toContain('Corregir');
    const review = await say(client, 'corregir delegado');
    expect(review.folded).toContain('revise sus datos');
    expect(review.text).toContain('maria.pena@comfama.com.co');
    expect((await say(client, 'corregir correo')).folded).toContain('correo');
    expect((await say(client, 'maria.p@comfama.com.co')).folded).toContain('revise sus datos');
    const again = await say(client, 'confirmar');
    expect(again.folded).toContain('revise el registro completo');
    expect(again.text).toContain('maria.p@comfama.com.co');
    expect(again.text).toContain('Carrera 50 No. 52-10'); // the rest as it was
    expect((await say(client, 'confirmar')).folded).toContain('quedo registrado');
    const [employer] = await deps.store.transaction((tx) => tx.collection('employers').list());
    expect(JSON.stringify(employer)).toContain('maria.p@comfama.com.co');
  });

  it('"no" asks what to correct instead of throwing everything away; "atrás" from that part comes back to the summary', async () => {
    const { client, deps } = await setup();
    await login(client);
    await upToDelegate(client);
    await delegateAndSite(client);
    const which = await say(client, 'no');
    expect(which.folded).toContain('que desea corregir');
    expect(which.folded).toContain('cancelar el registro');
    expect((await say(client, 'la sede')).folded).toContain('revise sus datos');
    expect((await say(client, 'atrás')).folded).toContain('revise el registro completo');
    expect(await deps.store.transaction((tx) => tx.collection('employers').list())).toEqual([]);
    // "Cancelar el registro" from the question leaves without registering.
    await say(client, 'no');
    expect((await say(client, 'cancelar el registro')).folded).toContain('cancel');
    expect(await deps.store.transaction((tx) => tx.collection('employers').list())).toEqual([]);
  });
});

describe('the final summary: which part a "corregir …" names', () => {
  const parts = { delegado: untyped(delegadoForm(async () => ({ ok: true, value: undefined }) as never)), sede: untyped(sedeForm(defaultReferenceRegistry())) };
  it.each<[string, ReturnType<typeof finalAnswer>]>([
    ['corregir delegado', 'delegado'],
    ['corregir el delegado', 'delegado'],
    ['corregir la sede', 'sede'],
    ['corregir apellido', 'delegado'], // only the delegate has names and surnames
    ['corregir primer apellido', 'delegado'],
    ['corregir numero de documento', 'delegado'],
    ['corregir direccion', 'sede'],
    ['corregir telefono', 'sede'],
    ['corregir municipio', 'sede'],
    ['corregir correo', 'elegir'], // both parts have one: asked
    ['corregir', 'elegir'],
    ['corregir xyz', 'elegir'],
    ['no', 'elegir'],
    ['si', 'si'],
    ['atras', 'sede'],
    ['quiero cambiar el telefono', 'sede'],
    ['hay que corregir el apellido del delegado', 'delegado'],
    ['quiero cambiar algo', 'elegir'],
    ['hola', undefined],
  ])('%s → %s', (text, part) => {
    expect(finalAnswer(text, parts)).toBe(part);
  });
});

describe('the final summary in the chat: a field named with "corregir"', () => {
  it('"corregir apellido" opens the delegate\'s review; "corregir correo" (both parts have one) asks which part', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    await delegateAndSite(client);
    const apellido = await say(client, 'corregir apellido');
    expect(apellido.folded).toContain('primer apellido');
    expect(apellido.folded).not.toContain('que desea corregir');
    await say(client, 'atras'); // back to the summary as it was
    const correo = await say(client, 'corregir correo');
    expect(correo.folded).toContain('que desea corregir');
  });

  it('"corregir el teléfono" asks the main site\'s phone at once (no intro, no review first); the new one shows in the summary', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    await delegateAndSite(client);
    const telefono = await say(client, 'corregir el telefono');
    expect(telefono.folded).toContain('cual es el telefono de la sede');
    expect(telefono.folded).not.toContain('por ultimo');
    expect(telefono.folded).not.toContain('revise sus datos');
    expect((await say(client, '604 555 1212')).folded).toContain('revise sus datos');
    const summary = await say(client, 'confirmar');
    expect(summary.folded).toContain('revise el registro completo');
    expect(summary.folded).toContain('6045551212');
  });

  it('"corregir sede" opens the main site\'s review without its intro', async () => {
    const { client } = await setup();
    await login(client);
    await upToDelegate(client);
    await delegateAndSite(client);
    const sede = await say(client, 'corregir sede');
    expect(sede.folded).toContain('revise sus datos');
    expect(sede.folded).not.toContain('por ultimo');
  });
});
