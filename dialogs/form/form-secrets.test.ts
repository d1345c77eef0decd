import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, type Activity, type Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { parseName } from '../../domain/fields.js';
import { fakeClock } from '../../domain/random.js';
import { fail, ok } from '../../domain/result.js';
import { createSecretBox } from '../../storage/secret-box.js';
import { say } from '../../test/helpers/transcript.js';
import { FormDialog } from './form.dialog.js';
import type { FormSpec, SealedValue } from './form-spec.js';

const SECRET = 'Clave-Muy-Secreta-2026';
const withSecret: FormSpec<{ usuario: string; clave: SealedValue }> = {
  id: 'ejemplo-clave',
  fields: [
    { key: 'usuario', parse: parseName },
    { key: 'clave', parse: (raw) => (raw.length >= 10 ? ok(raw) : fail('too_short')), secret: true },
  ],
  review: false,
};
const withoutSecret: FormSpec<{ usuario: string }> = { id: 'ejemplo-clave', fields: [{ key: 'usuario', parse: parseName }] };

/** Records what the dialog asked the channel to delete or update. */
function channelEdits() {
  const deleted: string[] = [];
  const updated: Partial<Activity>[] = [];
  const middleware: Middleware = {
    async onTurn(context, next) {
      context.onDeleteActivity(async (_c, reference, nextHandler) => {
        deleted.push(String(reference.activityId));
        return nextHandler();
      });
      context.onUpdateActivity(async (_c, activity, nextHandler) => {
        updated.push(activity);
        return nextHandler();
      });
      await next();
    },
  };
  return { deleted, updated, middleware };
}

function setup<T>(channel: string, spec: FormSpec<T>) {
  const edits = channelEdits();
  const storage = new MemoryStorage();
  const dialog = new FormDialog(spec, { clock: fakeClock(), secrets: createSecretBox(randomBytes(32)) });
  const client = new DialogTestClient(channel, dialog, undefined, [edits.middleware], new ConversationState(storage));
  const stored = () => JSON.stringify((storage as unknown as { memory: Record<string, string> }).memory);
  return { client, stored, ...edits };
}

const typed = (text: string, id: string): Partial<Activity> => ({ type: 'message', text, id });
const cardSubmit = (value: Record<string, unknown>, replyToId: string): Partial<Activity> => ({
  type: 'message',
  text: '',
  value: { __form: 'ejemplo-clave', ...value },
  replyToId,
});

describe('a password typed in the chat (typed secret)', () => {
  it.each(['webchat', 'directline', 'emulator'])('%s: the message is deleted, not kept, not echoed, and the field asked again', async (channel) => {
    const s = setup(channel, withSecret);
    await say(s.client, 'hola');
    const reply = await say(s.client, typed(SECRET, 'm-1'));
    expect(s.deleted).toEqual(['m-1']);
    expect(reply.folded).toContain('parece una contrasena');
    expect(reply.folded).toContain('quite su mensaje');
    expect(reply.folded).toContain('cual es el usuario');
    expect(reply.text).not.toContain(SECRET);
    expect(s.stored()).not.toContain(SECRET);
  });

  it('at the masked field prompt too', async () => {
    const s = setup('webchat', withSecret);
    await say(s.client, 'hola');
    await say(s.client, 'Ana');
    const reply = await say(s.client, typed(SECRET, 'm-2'));
    expect(s.deleted).toEqual(['m-2']);
    expect(reply.folded).toContain('campo protegido');
    expect(JSON.stringify(reply.cards)).toContain('"style":"Password"');
    expect(s.stored()).not.toContain(SECRET);
  });

  it('Teams: nothing is deleted; the person is asked to delete it', async () => {
    const s = setup('msteams', withSecret);
    await say(s.client, 'hola');
    const reply = await say(s.client, typed(SECRET, 'm-3'));
    expect(s.deleted).toEqual([]);
    expect(reply.folded).toContain('borrelo usted');
    expect(reply.text).not.toContain(SECRET);
  });

  it('a failed delete is ignored and the person is asked to delete it', async () => {
    const failing: Middleware = {
      async onTurn(context, next) {
        context.onDeleteActivity(async () => {
          throw new Error('not supported');
        });
        await next();
      },
    };
    const client = new DialogTestClient('webchat', new FormDialog(withSecret, { clock: fakeClock(), secrets: createSecretBox(randomBytes(32)) }), undefined, [failing]);
    await say(client, 'hola');
    const reply = await say(client, typed(SECRET, 'm-4'));
    expect(reply.folded).toContain('borrelo usted');
  });

  it('in a form without secret fields, a password-like answer is an ordinary bad answer', async () => {
    const s = setup('webchat', withoutSecret);
    await say(s.client, 'hola');
    const reply = await say(s.client, typed(SECRET, 'm-5'));
    expect(s.deleted).toEqual([]);
    expect(reply.folded).not.toContain('contrasena');
  });
});

describe('a used secret card', () => {
  it('webchat: the card is replaced by a note once its secret was accepted', async () => {
    const s = setup('webchat', withSecret);
    await say(s.client, 'hola');
    await say(s.client, 'Ana');
    await say(s.client, cardSubmit({ clave: 'corta' }, 'card-1'));
    expect(s.updated).toEqual([]); // refused: the card stays to be used again
    await say(s.client, cardSubmit({ clave: SECRET }, 'card-2'));
    expect(s.updated).toHaveLength(1);
    expect(s.updated[0]).toMatchObject({ id: 'card-2', type: 'message', attachments: [] });
    expect(s.updated[0]?.text).toMatch(/enviados/);
  });

  it('webchat: without replyToId (Web Chat does not send it), the last card with a masked input is replaced', async () => {
    const s = setup('webchat', withSecret);
    await say(s.client, 'hola');
    const asked = await say(s.client, 'Ana');
    const cardId = asked.activities.find((a) => a.attachments?.length)?.id;
    expect(cardId).toBeTruthy();
    await say(s.client, { type: 'message', text: '', value: { __form: 'ejemplo-clave', clave: SECRET } });
    expect(s.updated.map((a) => a.id)).toEqual([cardId]);
  });

  it('webchat: the replaced message keeps its question and the reason it was asked again, above the note', async () => {
    const s = setup('webchat', withSecret);
    await say(s.client, 'hola');
    await say(s.client, 'Ana');
    const reasked = await say(s.client, { type: 'message', text: '', value: { __form: 'ejemplo-clave', clave: 'corta' } });
    const card = reasked.activities.find((a) => a.attachments?.length);
    expect(card?.text).toBeTruthy();
    await say(s.client, { type: 'message', text: '', value: { __form: 'ejemplo-clave', clave: SECRET } });
    expect(s.updated.map((a) => a.id)).toEqual([card!.id]);
    expect(s.updated[0]?.text).toContain(card!.text!);
    expect(s.updated[0]?.text).toMatch(/enviados/);
    expect(s.updated[0]?.text).not.toContain(SECRET);
  });

  it('Teams: the card is left as it is', async () => {
    const s = setup('msteams', withSecret);
    await say(s.client, 'hola');
    await say(s.client, 'Ana');
    await say(s.client, cardSubmit({ clave: SECRET }, 'card-3'));
    expect(s.updated).toEqual([]);
  });
});
