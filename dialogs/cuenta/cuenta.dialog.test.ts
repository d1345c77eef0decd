/** Ingresar and Olvidé mi contraseña in the chat: the throttling messages (issue 15). */
import { describe, expect, it } from 'vitest';
import { unlockWithToken } from '../../domain/cuenta.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps, mainClient } from '../../test/helpers/dialog-deps.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { say } from '../../test/helpers/transcript.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const PASSWORD = 'Montaña2026segura';
const login = (numero: string, clave: string) => ({ value: { __form: 'ingreso', tipoDocumento: 'CC', numeroDocumento: numero, clave } });

describe('Ingresar: throttling in the chat', () => {
  it('a client failing on many documents is asked to wait, in seconds; after the wait the owner gets in', async () => {
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    for (let i = 0; i < 5; i++) {
      await say(client, 'Ingresar');
      expect((await say(client, login(String(80_000_000 + i), 'Cualquiera123'))).folded).toContain('no son correctos');
    }
    await say(client, 'Ingresar');
    const wait = await say(client, login(jose.numeroDocumento, PASSWORD));
    expect(wait.folded).toContain('por seguridad espere 2 segundos antes de intentarlo de nuevo');
    setup.clock.advance(2000);
    await say(client, 'Ingresar');
    expect((await say(client, login(jose.numeroDocumento, PASSWORD))).folded).toContain('bienvenido');
  });

  it('the lock says a notice went to the registered e-mail when the account exists; its link lifts the lock', async () => {
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    let last = '';
    for (let i = 0; i < 5; i++) {
      await say(client, 'Ingresar');
      last = (await say(client, login(jose.numeroDocumento, 'equivocada123'))).folded;
    }
    expect(last).toContain('bloqueado hasta las');
    expect(last).toContain('si no fue usted el enlace del correo desbloquea su ingreso');
    const mail = setup.mailer.sent.at(-1)!;
    expect(mail.template).toBe('ingreso-desbloqueo');
    const token = new URL(String(mail.data['enlace'])).searchParams.get('token')!;
    expect((await unlockWithToken(setup.deps, token, { ref: 'web', channel: 'web' })).ok).toBe(true);
    setup.clock.advance(2000); // the client's own wait after five failures
    await say(client, 'Ingresar');
    expect((await say(client, login(jose.numeroDocumento, PASSWORD))).folded).toContain('bienvenido');
  });
});

describe('Olvidé mi contraseña: throttling in the chat', () => {
  it('the same message whatever the document; a client asking too often is told to wait', async () => {
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    const ask = async (numero: string) => {
      await say(client, 'Olvidé mi contraseña');
      await say(client, 'CC');
      return (await say(client, numero)).folded;
    };
    const known = await ask(jose.numeroDocumento);
    expect(known).toContain('si el documento corresponde a una cuenta registrada');
    expect(await ask('99999999')).toBe(known);
    expect(await ask(jose.numeroDocumento)).toBe(known); // no second e-mail, the same words
    expect(setup.mailer.sent.filter((m) => m.template === 'cuenta-recuperacion')).toHaveLength(1);
    expect(await ask('99999999')).toContain('por seguridad espere 60 segundos antes de pedir otro enlace');
  });
});

describe('Ingresar: a wrong password', () => {
  const password = (clave: string) => ({ value: { __form: 'ingreso', clave } });

  it('says how many attempts remain, and "intentar de nuevo" asks only the password, for the same document', async () => {
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    await say(client, 'Ingresar');
    const wrong = await say(client, login(jose.numeroDocumento, 'Equivocada-2026'));
    expect(wrong.folded).toContain('no son correctos');
    expect(wrong.folded).toContain('le quedan 4 intentos con este documento');
    expect(wrong.folded).toContain('el ingreso se bloquea 15 minutos');
    expect(wrong.folded).toContain('que desea hacer');
    setup.clock.advance(60_000); // past any wait the failure set
    const again = await say(client, 'intentar de nuevo');
    expect(again.folded).toContain(`ingreso con cc ${jose.numeroDocumento}`);
    expect(again.folded).not.toContain('cual es su tipo de documento');
    expect(again.folded).not.toContain('cual es su numero de documento');
    const masked = JSON.stringify(again.cards);
    expect(masked).toContain('"style":"Password"');
    expect(again.folded).not.toContain('necesito su tipo y numero de documento');
    // "atrás" at the password: the options again, the document still kept.
    const back = await say(client, 'atras');
    expect(back.folded).toContain('que desea hacer');
    expect(back.folded).not.toContain('no hay una anterior');
    expect((await say(client, 'intentar de nuevo')).folded).toContain(`ingreso con cc ${jose.numeroDocumento}`);
    // One more wrong: one attempt fewer; then the right one gets in.
    expect((await say(client, password('Equivocada-2027'))).folded).toContain('le quedan 3 intentos');
    setup.clock.advance(60_000);
    await say(client, 'de nuevo');
    expect((await say(client, password(PASSWORD))).folded).toContain('bienvenido');
  });

  it('"otro documento" asks the document again; "olvide" starts Olvidé mi contraseña; other words are read as at the menu', async () => {
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    const fail = async () => {
      await say(client, 'Ingresar');
      expect((await say(client, login('80123456', 'Equivocada-2026'))).folded).toContain('que desea hacer');
      setup.clock.advance(60_000);
    };
    await fail();
    expect((await say(client, 'usar otro documento')).folded).toContain('cual es su tipo de documento');
    expect((await say(client, login(jose.numeroDocumento, PASSWORD))).folded).toContain('bienvenido');
    await say(client, 'salir');

    await fail();
    // Olvidé mi contraseña for the document just tried: not asked again.
    const olvide = await say(client, 'la olvide');
    expect(olvide.folded).toContain('le enviare al correo con el que se registro un enlace para asignar una contrasena nueva');
    expect(olvide.folded).not.toContain('cual es su tipo de documento');
    expect(olvide.folded).toContain('si el documento corresponde a una cuenta registrada');
    expect(setup.mailer.sent).toHaveLength(0); // 80123456 has no account
    await say(client, 'Ingresar');
    await say(client, login(jose.numeroDocumento, 'Equivocada-2026'));
    await say(client, 'Olvidé mi contraseña');
    expect(setup.mailer.sent.map((m) => [m.to, m.template])).toEqual([['jose.restrepo@correo.com', 'cuenta-recuperacion']]);

    await say(client, 'menu');
    await fail();
    // The password typed in the chat after a failure: not repeated, the person told to use the protected
    // field and offered a reset link; the question is asked again.
    const typed = await say(client, PASSWORD);
    expect(typed.text).not.toContain(PASSWORD);
    expect(typed.folded).toContain('campo protegido');
    expect(typed.folded).toContain('si no la recuerda elija olvide mi contrasena');
    expect(typed.folded).toContain('que desea hacer');
    // Words that are no option: the options again, numbered; a number picks one.
    const unclear = await say(client, 'mmm no se');
    expect(unclear.folded).toContain('que desea hacer');
    expect(unclear.folded).toMatch(/1\W+intentar de nuevo/);
    expect((await say(client, '2')).folded).toContain('cual es su tipo de documento');
    await say(client, 'menu');
    await fail();
    // Words that name a functionality go to it, as at the menu.
    expect((await say(client, 'registrarme')).folded).toContain('tratamiento de sus datos');
  });
});

describe('"no me llegó el correo" with the account pending activation', () => {
  it('goes to Olvidé mi contraseña, which sends a new activation link to the registered e-mail', async () => {
    const setup = dialogDeps();
    const citizen = await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const { passwordHash: _hash, activadoEn: _at, ...pending } = citizen;
    await setup.deps.store.transaction((tx) => tx.collection('citizens').put({ ...pending, estado: 'pendiente' }));
    const client = mainClient(setup);
    const asked = await say(client, 'no me llego el correo');
    expect(asked.folded).toContain('cual es su tipo de documento');
    await say(client, 'cc');
    const told = await say(client, jose.numeroDocumento);
    expect(told.folded).toContain('si la cuenta aun no estaba activa el mismo enlace la activa');
    const mail = setup.mailer.sent.at(-1)!;
    expect(mail).toMatchObject({ to: 'jose.restrepo@correo.com', template: 'registro-activacion' });
    expect(String(mail.data['enlace'])).toContain('/cuenta/activar?token=');
  });
});

describe('Ingresar: a person without an account, or without the password', () => {
  it.each(['no tengo usuario', 'No tengo cuenta todavía', 'aún no estoy registrada', 'quiero registrarme', 'soy nuevo'])(
    '"%s" at the login goes to Registrarme, saying why',
    async (text) => {
      const setup = dialogDeps();
      const client = mainClient(setup);
      await say(client, 'Ingresar');
      const r = await say(client, text);
      expect(r.folded).toContain('primero debe registrarse');
      expect(r.folded).toContain('tratamiento de sus datos'); // Registrarme's first question
      expect(r.folded).not.toContain('este dato es obligatorio');
    },
  );

  it('"olvidé mi contraseña" at the login goes to the reset link\'s questions; a document is still an answer', async () => {
    const setup = dialogDeps();
    const client = mainClient(setup);
    await say(client, 'Ingresar');
    const r = await say(client, 'se me olvidó la contraseña');
    expect(r.folded).toContain('un enlace para asignar una contrasena nueva');
    expect(r.folded).not.toContain('este dato es obligatorio');
    await say(client, 'cancelar');
    await say(client, 'Ingresar');
    expect((await say(client, 'cc')).folded).toContain('numero de documento');
  });
});

describe('Cambiar mi contraseña, logged in', () => {
  it('"cambiar mi contraseña" sends the link to the person\'s own e-mail without asking the document, and says where it went; again soon: that link', async () => {
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    await say(client, 'Ingresar');
    expect((await say(client, login(jose.numeroDocumento, PASSWORD))).folded).toContain('bienvenido');
    // "cambiar contraseña" offers this and the Caja's web-service password; either name of this one starts it.
    const offered = await say(client, 'cambiar contraseña');
    expect(offered.folded).toContain('olvide mi contrasena');
    const sent = await say(client, 'olvidé mi contraseña');
    expect(sent.folded).toContain('le enviamos a j @correo.com un enlace para cambiar su contrasena');
    expect(sent.folded).not.toContain('tipo de documento');
    expect(sent.folded).not.toContain('servicios web');
    const mail = setup.mailer.sent.at(-1)!;
    expect(mail.to).toBe('jose.restrepo@correo.com');
    expect(mail.template).toBe('cuenta-recuperacion');
    expect((await say(client, 'olvide mi clave')).folded).toContain('hace unos minutos le enviamos');
    expect(setup.mailer.sent.filter((m) => m.template === 'cuenta-recuperacion')).toHaveLength(1);
  });
});

describe('the document type corrected at the number', () => {
  it('"cc" typed at the number after "ce": the type changes, is said, and the number is asked again; "cc 1036612345" gives both', async () => {
    const setup = dialogDeps();
    const maria = EXAMPLE_PERSONS.delegateComfama;
    await seedActiveCitizen(setup.deps.store, maria, 'maria.pena@correo.com', PASSWORD, setup.clock.now());
    const client = mainClient(setup);
    await say(client, 'ingresar');
    expect((await say(client, 'ce')).folded).toContain('cual es su numero de documento');
    expect((await say(client, 'ayuda')).folded).toContain('si el tipo de documento no es el suyo escriba el correcto por ejemplo cc');
    const changed = (await say(client, 'cc')).folded;
    expect(changed).toContain('cambie tipo de documento a cedula de ciudadania');
    expect(changed).toContain('cual es su numero de documento');
    expect(changed).not.toContain('cedula de extranjeria tiene');
    expect((await say(client, maria.numeroDocumento)).folded).toContain('contrasena');
    expect((await say(client, { value: { __form: 'ingreso', clave: PASSWORD } })).folded).toContain('bienvenid');

    const other = mainClient(dialogDeps()); // another person, not logged in
    await say(other, 'olvide mi contraseña');
    await say(other, 'ce');
    expect((await say(other, 'cc 1036612345')).folded).toContain('si el documento corresponde a una cuenta registrada');
  });
});
