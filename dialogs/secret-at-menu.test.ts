/**
 * A password typed where no form asks for it (the menu, "¿Qué está buscando?"): never repeated back
 * ("No encontré … 'Antioquia2025abc'"), never searched for, not kept in the conversation's record
 * the helpdesk reads, the person told to use the masked field; the menu or the question again.
 */
import { describe, expect, it } from 'vitest';
import { dialogDeps } from '../test/helpers/dialog-deps.js';
import { chatClient } from '../test/helpers/mesa.js';
import { say } from '../test/helpers/transcript.js';

const SECRET = 'Antioquia2025abc';

describe('a password typed at the menu or in the search', () => {
  it('at the menu: not repeated, not searched, not in the record; the menu follows', async () => {
    const setup = dialogDeps();
    const client = chatClient(setup, 'ana');
    await say(client, 'hola');
    const reply = await say(client, `quiero poner la nueva contraseña ${SECRET}`);
    expect(reply.text).not.toContain(SECRET);
    expect(reply.folded).toContain('eso parece una contrasena');
    expect(reply.folded).toContain('campo protegido');
    expect(reply.folded).not.toContain('no encontre una funcionalidad');
    expect(reply.folded).toContain('registrarme'); // the menu
    // The conversation's last messages go with a helpdesk case: the password is not among them.
    expect((await say(client, 'hablar con un asesor')).folded).toContain('asesor');
    const casos = await setup.deps.store.transaction((tx) => tx.collection('casosMesa').list());
    expect(casos).toHaveLength(1);
    expect(JSON.stringify(casos)).toContain('Eso parece una contraseña'); // the assistant's answer is there; the person's message is not
    expect(JSON.stringify(casos)).not.toContain(SECRET);
  });

  it('at "¿Qué está buscando?": not repeated nor searched; the question again', async () => {
    const client = chatClient(dialogDeps(), 'luis');
    expect((await say(client, '¿Qué está buscando?')).folded).toContain('que esta buscando');
    const reply = await say(client, SECRET);
    expect(reply.text).not.toContain(SECRET);
    expect(reply.folded).toContain('eso parece una contrasena');
    expect(reply.folded).toContain('que esta buscando');
    // Then a real search works as before.
    expect((await say(client, 'servicios web')).folded).toContain('administracion de servicios web');
  });
});
