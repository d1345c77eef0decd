/**
 * Whole journeys against the real assistant through its Direct Line endpoint (the requests the
 * official client makes): welcome, a form stopped by a server restart, malformed requests to every
 * endpoint, and logs without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { fold } from '../domain/text.js';
import { startApp, type TestApp } from './helpers/app.js';
import { DirectLineClient, type DlActivity } from './helpers/directline-client.js';

describe('journey: the local chat over Direct Line', () => {
  const lines: string[] = [];
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({}, { log: createLogger('debug', {}, (l) => lines.push(l)) });
  });
  afterAll(() => app?.stop());

  it('welcomes, runs the form, and resumes at the same question after a server restart', async () => {
    const dl = new DirectLineClient(app.url);
    await dl.start();
    await dl.waitFor('Soy el Asistente CCF');
    await dl.converse([
      ['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento'],
      ['CC', 'numero de su documento'],
      ['70123456', 'primer nombre'],
    ]);

    const { dataDir } = app;
    await app.stop(true);
    app = await startApp({}, { log: createLogger('debug', {}, (l) => lines.push(l)) }, dataDir);
    dl.base = app.url; // a new port: the token (signed with the key in the data directory) still works

    await dl.send('José');
    await dl.waitFor('segundo nombre');
    await dl.send('estado');
    const status = await dl.waitFor('lo que ya escribio esta guardado');
    expect(status).toContain('segundo nombre');
  });

  it('never writes document numbers, names or what people type to the logs', async () => {
    const dl = new DirectLineClient(app.url);
    await dl.start();
    await dl.waitFor('Soy el Asistente CCF');
    await dl.converse([
      ['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento'],
      ['CC', 'numero'],
      ['1036612345', 'primer nombre'],
      ['Fernanda', 'segundo nombre'],
    ]);
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const personal of ['70123456', '1036612345', 'Fernanda', 'FERNANDA', 'José']) expect(all).not.toContain(personal);
  });

  it('a card submit reaches the bot, but its values are not kept in the transcript the endpoint serves', async () => {
    const dl = new DirectLineClient(app.url);
    await dl.start();
    await dl.converse([['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento']]);
    const value = {
      __form: 'registro-datos-basicos', tipoDocumento: 'CE', numeroDocumento: 'ZX9876', primerNombre: 'Carlos', segundoNombre: '',
      primerApellido: 'Briceño', segundoApellido: 'Salas', fechaNacimiento: '09/02/1985', fechaExpedicion: '12/06/2019', sexo: 'M',
    };
    const res = await fetch(`${app.url}/v3/directline/conversations/${dl.conversationId}/activities`, {
      method: 'POST',
      headers: dl.headers(),
      body: JSON.stringify({ type: 'message', from: { id: 'x', role: 'user' }, value, channelData: { clientActivityID: 'submit-1' } }),
    });
    expect(res.status).toBe(200);
    expect(await dl.waitFor('revise sus datos')).toContain('zx9876'); // the bot got every field
    const all = await fetch(`${app.url}/v3/directline/conversations/${dl.conversationId}/activities`, { headers: dl.headers() });
    const { activities } = (await all.json()) as { activities: (DlActivity & { value?: unknown })[] };
    const echoes = activities.filter((a) => a.from.role === 'user');
    expect(echoes.length).toBeGreaterThan(0);
    for (const echo of echoes) expect(echo.value).toBeUndefined();
  });

  it.each([
    ['POST', '/api/messages', '{"type":'],
    ['POST', '/v3/directline/tokens/generate', '{"resume": 42}'],
    ['POST', '/v3/directline/tokens/generate', 'not json at all'],
    ['POST', '/v3/directline/tokens/refresh', '{}'],
    ['POST', '/v3/directline/conversations', '[]'],
    ['GET', '/v3/directline/conversations/abc', undefined],
    ['POST', '/v3/directline/conversations/abc/activities', '{"type": 5}'],
    ['GET', '/v3/directline/conversations/abc/activities?watermark=-1', undefined],
    ['POST', '/v3/directline/conversations/abc/upload', '--x\r\n'],
    ['POST', '/v3/conversations/abc/activities', '{"type":"message"}'],
    ['PUT', '/v3/conversations/abc/activities/1', '{'],
    ['POST', '/healthz', '{}'],
    ['GET', '/webchat/..%2f..%2fpackage.json', undefined],
    ['DELETE', '/', undefined],
  ])('%s %s with a malformed or unauthorized request → 4xx, server stays up', async (method, path, body) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body,
    });
    expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${method} ${path}`).toBeLessThan(500);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
