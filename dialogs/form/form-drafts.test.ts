import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { parseEmail, parseName } from '../../domain/fields.js';
import type { Store } from '../../domain/ports.js';
import { fakeClock } from '../../domain/random.js';
import { fail, ok } from '../../domain/result.js';
import { createMemoryStore } from '../../storage/memory-store.js';
import { createSecretBox } from '../../storage/secret-box.js';
import { records } from '../../test/helpers/store.js';
import { say } from '../../test/helpers/transcript.js';
import { FormDialog } from './form.dialog.js';
import { formResult, type FormSpec, type SealedValue } from './form-spec.js';

const SECRET = 'Clave-Muy-Secreta-2026';
const OWNER = 'CC:70123456';

interface Acceso {
  usuario: string;
  clave: SealedValue;
  correo?: string;
}
/** Texts from templates/es/formularios/ejemplo-clave.json. */
const acceso: FormSpec<Acceso> = {
  id: 'ejemplo-clave',
  fields: [
    { key: 'usuario', parse: parseName },
    { key: 'clave', parse: (raw) => (raw.length >= 10 ? ok(raw) : fail('too_short')), secret: true },
    { key: 'correo', parse: parseEmail, optional: true },
  ],
  draft: true,
};
const submitClave = { value: { __form: 'ejemplo-clave', clave: SECRET } };

/** One conversation (its own conversation state) of a person, over a shared store. */
function conversation<T>(spec: FormSpec<T>, store: Store, owner: string | undefined, channel = 'webchat') {
  const clock = fakeClock('2026-11-30T15:42:00.000Z');
  const dialog = new FormDialog(spec, { clock, secrets: createSecretBox(randomBytes(32)), store, draftOwner: async () => owner });
  return new DialogTestClient(channel, dialog);
}

describe('form drafts', () => {
  it('answers saved in one conversation are resumed in another of the same person; never the secret; gone on finish', async () => {
    const store = createMemoryStore();
    const first = conversation(acceso, store, OWNER, 'webchat');
    await say(first, 'hola');
    await say(first, 'Ana');
    await say(first, submitClave);
    const saved = await records(store, 'drafts');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ owner: OWNER, formId: 'ejemplo-clave', values: { usuario: 'ANA' }, savedAt: '2026-11-30T15:42:00.000Z' });
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    expect(JSON.stringify(saved)).not.toContain('$sealed');

    const second = conversation(acceso, store, OWNER, 'msteams');
    const resumed = await say(second, 'hola');
    expect(resumed.folded).toContain('retomamos lo que dejo guardado');
    expect(resumed.text).toContain('el 30/11 a las 10:42'); // Bogotá time
    expect(resumed.folded).toContain('empezar de nuevo');
    expect(resumed.folded).toContain('contrasena'); // the secret was not kept: asked again
    await say(second, submitClave);
    await say(second, 'ana@correo.com');
    expect((await records(store, 'drafts'))[0]?.values).toEqual({ usuario: 'ANA', correo: 'ana@correo.com' });
    await say(second, 'confirmar');
    expect(second.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(formResult(second.dialogTurnResult.result, acceso).values.usuario).toBe('ANA');
    expect(await records(store, 'drafts')).toEqual([]);
  });

  it('saves each answer deferred (no flush of its own) and makes it durable before a help text says it is kept', async () => {
    const inner = createMemoryStore();
    const events: string[] = [];
    const store: Store = {
      ...inner,
      transaction: (work, options) => (events.push(options?.durability ?? 'durable'), inner.transaction(work, options)),
      sync: () => (events.push('sync'), inner.sync()),
    };
    const c = conversation(acceso, store, OWNER);
    await say(c, 'hola');
    events.length = 0;
    await say(c, 'Ana');
    expect(events).toEqual(['deferred']);
    events.length = 0;
    const help = await say(c, 'ayuda');
    expect(help.folded).toContain('queda guardado');
    expect(events).toContain('sync');
  });

  it('"empezar de nuevo" discards the draft and asks from the first field', async () => {
    const store = createMemoryStore();
    const first = conversation(acceso, store, OWNER);
    await say(first, 'hola');
    await say(first, 'Ana');
    const second = conversation(acceso, store, OWNER);
    await say(second, 'hola');
    const reply = await say(second, 'Empezar de nuevo');
    expect(reply.folded).toContain('empezamos de nuevo');
    expect(reply.folded).toContain('cual es el usuario');
    expect(await records(store, 'drafts')).toEqual([]);
  });

  it('another person, or no session, has no draft', async () => {
    const store = createMemoryStore();
    const first = conversation(acceso, store, OWNER);
    await say(first, 'hola');
    await say(first, 'Ana');
    const other = await say(conversation(acceso, store, 'CC:1'), 'hola');
    expect(other.folded).not.toContain('retomamos');
    const anonymous = conversation(acceso, store, undefined);
    await say(anonymous, 'hola');
    await say(anonymous, 'Beatriz');
    expect((await records(store, 'drafts')).map((d) => d.owner)).toEqual([OWNER]);
  });

  it('a form without the draft flag saves nothing', async () => {
    const store = createMemoryStore();
    const client = conversation({ ...acceso, draft: false }, store, OWNER);
    await say(client, 'hola');
    await say(client, 'Ana');
    expect(await records(store, 'drafts')).toEqual([]);
  });
});
