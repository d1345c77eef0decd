import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { parseName } from '../../domain/fields.js';
import { fakeClock } from '../../domain/random.js';
import { fail, ok } from '../../domain/result.js';
import { createSecretBox } from '../../storage/secret-box.js';
import { fold } from '../../domain/text.js';
import { newClient, runTranscript, say, type TranscriptCase } from '../../test/helpers/transcript.js';
import { contactoForm } from '../registro/contacto.form.js';
import { FormDialog, isSealed, type FormResult } from './form.dialog.js';
import { formResult, type FormSpec, type SealedValue, type ValidateContext } from './form-spec.js';

const SECRET = 'Clave-Muy-Secreta-2026';
const spec: FormSpec = {
  id: 'ejemplo-clave',
  fields: [
    { key: 'usuario', parse: parseName },
    { key: 'clave', parse: (raw) => (raw.length >= 10 ? ok(raw) : fail('too_short')), secret: true },
    { key: 'correo', parse: (raw) => (raw.includes('@') ? ok(raw) : fail('type')), optional: true, when: (v) => v['usuario'] !== 'SIN CORREO' },
  ],
};

function setup() {
  const secrets = createSecretBox(randomBytes(32));
  const client = newClient(new FormDialog(spec, { clock: fakeClock(), secrets }));
  return { client, secrets };
}

describe('form engine: secret fields', () => {
  it('refuses a typed secret, never echoes it, accepts the masked card input and returns it sealed', async () => {
    const { client, secrets } = setup();
    await say(client, 'hola'); // begins the form
    const asked = await say(client, 'Ana');
    const input = JSON.stringify(asked.cards);
    expect(input).toContain('"style":"Password"'); // masked input in the card
    const typed = await say(client, SECRET);
    expect(typed.folded).toContain('campo protegido');
    expect(typed.text).not.toContain(SECRET);
    const short = await say(client, { value: { __form: 'ejemplo-clave', clave: 'corta' } });
    expect(short.text).not.toContain('corta');
    const next = await say(client, { value: { __form: 'ejemplo-clave', clave: SECRET } });
    expect(next.folded).toContain('a que correo');
    const review = await say(client, 'omitir');
    expect(review.text).not.toContain(SECRET);
    expect(review.text).toContain('••••');
    await say(client, 'confirmar');
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    const result = client.dialogTurnResult.result as FormResult;
    const sealed = result.values['clave'];
    expect(isSealed(sealed)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    if (isSealed(sealed)) expect(secrets.open(sealed.$sealed)).toBe(SECRET);
  });

  it('a sentence typed at the secret ("mejor después, volver") is refused as a secret would be, and the way out is said', async () => {
    const { client } = setup();
    await say(client, 'hola');
    await say(client, 'Ana');
    const sentence = await say(client, 'mejor después, volver');
    expect(sentence.folded).toContain('campo protegido');
    expect(sentence.folded).toContain(fold('Si quería preguntar o hacer otra cosa, escriba **cancelar**'));
    // One word may be the secret itself: the reason only.
    const word = await say(client, SECRET);
    expect(word.folded).toContain('campo protegido');
    expect(word.folded).not.toContain(fold('hacer otra cosa'));
  });

  it('"atrás" to the secret asks it again without showing it, masked or not; to a plain field, shows its answer', async () => {
    const { client } = setup();
    await say(client, 'hola');
    await say(client, 'Ana');
    await say(client, { value: { __form: 'ejemplo-clave', clave: SECRET } });
    const back = await say(client, 'atrás');
    expect(back.text).not.toContain(SECRET);
    expect(back.text).not.toContain('Antes respondió');
    expect((await say(client, 'atrás')).text).toContain('Antes respondió: **ANA**.');
  });

  it('"atrás" shows the answer with "Si sigue igual, responda sí"; "sí" keeps it and the form goes on', async () => {
    const { client } = setup();
    await say(client, 'hola');
    await say(client, 'Ana');
    const back = await say(client, 'atrás');
    expect(back.text).toContain('Antes respondió: **ANA**. Si sigue igual, responda **sí**.');
    const kept = await say(client, 'si');
    expect(kept.folded).toContain('campo protegido');
    await say(client, { value: { __form: 'ejemplo-clave', clave: SECRET } });
    const review = await say(client, 'omitir');
    expect(review.text).toContain('ANA');
    expect(review.text, '"si" was not taken as the name').not.toMatch(/\bS[IÍ]\b/);
  });

  it('keeps secrets out of the stored conversation state', async () => {
    const storage = new MemoryStorage();
    const dialog = new FormDialog(spec, { clock: fakeClock(), secrets: createSecretBox(randomBytes(32)) });
    const client = new DialogTestClient('test', dialog, undefined, [], new ConversationState(storage));
    await say(client, 'hola');
    await say(client, 'Ana');
    await say(client, { value: { __form: 'ejemplo-clave', clave: SECRET } });
    const stored = JSON.stringify((storage as unknown as { memory: Record<string, string> }).memory);
    expect(stored).toContain('ANA'); // the state was stored…
    expect(stored).not.toContain(SECRET); // …without the secret in clear
  });
});

describe('form engine: conditional and optional fields', () => {
  const cases: TranscriptCase[] = [
    {
      name: 'a field whose condition is false is not asked',
      turns: [
        ['hola', 'usuario'],
        ['sin correo', 'contrasena'],
        [{ value: { __form: 'ejemplo-clave', clave: SECRET } }, 'revise sus datos'],
      ],
    },
    {
      name: 'an optional field can be skipped and the review shows it empty',
      turns: [
        ['hola', 'usuario'],
        ['Ana', 'contrasena'],
        [{ value: { __form: 'ejemplo-clave', clave: SECRET } }, 'correo'],
        ['no aplica', 'sin dato'],
      ],
    },
    {
      name: 'a submit for another form is not taken as this one',
      turns: [
        ['hola', 'usuario'],
        [{ value: { __form: 'otro', usuario: 'x' } }, 'cual es el usuario'],
        ['Ana', 'contrasena'],
      ],
    },
    {
      name: 'an empty submit re-asks',
      turns: [
        ['hola', 'usuario'],
        [{ value: { __form: 'ejemplo-clave' } }, 'no recibi ningun dato'],
      ],
    },
  ];
  it.each(cases)('$name', async (c) => {
    const { client } = setup();
    await runTranscript(client, c);
  });
});

describe('form validate', () => {
  it('re-asks the field the async check names, with its reason, keeping the other answers', async () => {
    const seen: ValidateContext[] = [];
    const checked: FormSpec<{ usuario: string; clave: SealedValue; correo?: string }> = {
      id: 'ejemplo-clave',
      fields: [
        { key: 'usuario', parse: parseName },
        { key: 'clave', parse: (raw) => (raw.length >= 10 ? ok(raw) : fail('too_short')), secret: true },
        { key: 'correo', parse: (raw) => (raw.includes('@') ? ok(raw) : fail('type')), optional: true },
      ],
      async validate(values, ctx) {
        seen.push(ctx);
        return values.usuario === 'ANA' ? { field: 'usuario', code: 'email.taken' } : undefined;
      },
    };
    const client = new DialogTestClient('test', new FormDialog(checked, { clock: fakeClock(), secrets: createSecretBox(randomBytes(32)), draftOwner: async () => 'CC:70123456' }));
    await say(client, 'hola');
    await say(client, 'Ana');
    await say(client, { value: { __form: 'ejemplo-clave', clave: SECRET } });
    const reask = await say(client, 'omitir');
    expect(reask.folded).toContain('ya esta registrado');
    expect(reask.folded).toContain('cual es el usuario');
    const review = await say(client, 'Beatriz');
    expect(review.folded).toContain('revise sus datos');
    expect(review.text).toContain('••••'); // the password was kept
    await say(client, 'confirmar');
    const { values } = formResult(client.dialogTurnResult.result, checked);
    expect(values.usuario).toBe('BEATRIZ');
    expect(values.correo).toBe('');
    expect(seen.map((c) => c.citizenId)).toEqual(['CC:70123456', 'CC:70123456']);
  });
});

describe('form engine: "ayuda" at the review', () => {
  it('says what the review is for and the ways on (confirmar, corregir, cancelar), then shows the review again', async () => {
    const client = newClient(new FormDialog(contactoForm, { clock: fakeClock(), secrets: createSecretBox(randomBytes(32)) }));
    await say(client, 'hola');
    await say(client, 'ana@gmail.com');
    await say(client, 'ana@gmail.com'); // typed again, as the form asks
    await say(client, '3001234567');
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('estos son los datos que usted escribio para que los revise antes de seguir si estan bien escriba confirmar');
    expect(help.folded).toContain('para salir sin terminar escriba cancelar');
    expect(help.folded).not.toContain('queda guardado'); // this form keeps no draft
    expect(help.folded).toContain('ana@gmail.com'); // the review again
    // The card again, without the intro above it saying what the help just said.
    expect(help.activities.map((a) => a.text ?? '').join('\n')).not.toContain('Revise sus datos antes de continuar');
    await say(client, 'confirmar');
    expect(formResult(client.dialogTurnResult.result, contactoForm).values.email).toBe('ana@gmail.com');
  });
});

describe('form engine: an e-mail the parser doubts', () => {
  it('asks about the likely address again after "ayuda", and "sí" then takes it', async () => {
    const client = newClient(new FormDialog(contactoForm, { clock: fakeClock(), secrets: createSecretBox(randomBytes(32)) }));
    await say(client, 'hola');
    const doubt = await say(client, 'ana@gmial.com');
    expect(doubt.folded).toContain('quiso decir ana@gmail.com');
    const help = await say(client, 'ayuda');
    expect(help.folded).toContain('quiso decir ana@gmail.com');
    expect(help.folded).toContain('ana@gmial.com');
    const next = await say(client, 'si');
    expect(next.folded).toContain('escriba de nuevo su correo');
    await say(client, 'ana@gmail.com');
    await say(client, '3001234567');
    await say(client, 'confirmar');
    expect(formResult(client.dialogTurnResult.result, contactoForm).values.email).toBe('ana@gmail.com');
  });
});
