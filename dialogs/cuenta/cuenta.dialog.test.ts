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
    expect(known).toContain('si el documento corresponde a una cuenta activa');
    expect(await ask('99999999')).toBe(known);
    expect(await ask(jose.numeroDocumento)).toBe(known); // no second e-mail, the same words
    expect(setup.mailer.sent.filter((m) => m.template === 'cuenta-recuperacion')).toHaveLength(1);
    expect(await ask('99999999')).toContain('por seguridad espere 60 segundos antes de pedir otro enlace');
  });
});
