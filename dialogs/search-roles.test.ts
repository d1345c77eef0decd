/**
 * What a logged-in person is offered for the roles they hold. The search offers what they can use: a vague request ("servisios web") does not
 * list another role's process beside the ones that fit; asked for by name, it is still found, and the
 * process says who can use it.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { dialogDeps } from '../test/helpers/dialog-deps.js';
import { chatClient, loginAs } from '../test/helpers/mesa.js';
import { seedActiveCitizen } from '../test/helpers/people.js';
import { say } from '../test/helpers/transcript.js';
import { titleOf } from './catalog.js';

const PASSWORD = 'Guayacan-Florido-2026';
const carlos = EXAMPLE_PERSONS.citizenCe;

async function citizen() {
  const setup = dialogDeps();
  await seedActiveCitizen(setup.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD);
  const client = chatClient(setup, 'carlos');
  expect((await loginAs(client, carlos, PASSWORD)).folded).toContain('ingreso correctamente');
  return client;
}

describe('search results for a logged-in person', () => {
  it('a citizen without an employer role is not offered Administrar autorizados for "servisios web"', async () => {
    const anonymous = chatClient(dialogDeps(), 'visitante');
    const before = await say(anonymous, 'servisios web');
    // Without a session every match is offered (the sign-in comes first).
    expect(before.text).toContain(titleOf('autorizados'));

    const client = await citizen();
    const reply = await say(client, 'servisios web');
    expect(reply.text).toContain(titleOf('servicios-web'));
    expect(reply.text).not.toContain(titleOf('autorizados'));
  });

  it('asked for by name, another role\'s process is still found and says who may use it', async () => {
    const client = await citizen();
    const reply = await say(client, 'administrar autorizados');
    expect(reply.folded).toMatch(/representante legal|delegado/);
  });
});

describe('"Cambiar de rol" with one role', () => {
  it('says there is no other role and what to do instead, then the menu', async () => {
    const client = await citizen();
    const reply = await say(client, 'cambiar de rol');
    expect(reply.folded).toContain('por ahora solo puede actuar como ciudadano no tiene otro rol');
    expect(reply.folded).toContain('registrar rol empleador');
    expect(reply.folded).toContain('que desea hacer ahora');
  });
});
