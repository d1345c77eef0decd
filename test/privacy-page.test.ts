/** The privacy notice over HTTP: linked from the welcome, served with the pages' security headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION } from '../domain/retention.js';
import { messages } from '../templates/render.js';
import { startApp, type TestApp } from './helpers/app.js';
import { DirectLineClient } from './helpers/directline-client.js';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app?.stop());

const autorizacion = messages<{ version: string; fecha: string; parrafos: string[] }>('privacidad/autorizacion');

describe('GET /privacidad', () => {
  it('is an HTML page with the security headers of the account pages, never cached', async () => {
    const res = await fetch(`${app.url}/privacidad`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    const html = await res.text();
    expect(html).toContain('href="/cuenta/cuenta.css"');
    expect((await fetch(`${app.url}/cuenta/cuenta.css`)).status).toBe(200);
    expect(html).not.toMatch(/<script/i);
  });

  it('holds the authorization text with its version and date, the retention terms, the rights and how to use them', async () => {
    const html = await (await fetch(`${app.url}/privacidad`)).text();
    expect(html).toContain(`Versión ${autorizacion.version} del ${autorizacion.fecha}`);
    expect(html).toContain('Ley 1581 de 2012');
    for (const p of autorizacion.parrafos) expect(html).toContain(p.slice(0, 40));
    // Every term of the schedule, from the domain constant.
    expect(html).toContain(`${RETENTION.borradoresDias} días`);
    expect(html).toContain(`${RETENTION.cuentasSinActivarDias} días`);
    expect(html).toContain(`${Math.round(RETENTION.rutTrasRevisionDias / 365)} años`);
    expect(html.match(/<li>/g)?.length).toBeGreaterThanOrEqual(Object.keys(RETENTION).length);
    for (const derecho of ['Conocer', 'Actualizar', 'Rectificar', 'Suprimir', 'Revocar']) expect(html).toContain(`<strong>${derecho}</strong>`);
    expect(html).toContain('<strong>Mis datos</strong>');
    expect(html).toContain('miseguridadsocial@minsalud.gov.co');
    expect(html).toContain('01 8000 96 00 20');
    expect(html).not.toContain('**'); // the Markdown of the chat texts became HTML
  });

  it('is linked from the welcome of the chat', async () => {
    const dl = new DirectLineClient(app.url);
    await dl.start();
    const welcome = await dl.waitFor('Soy el Asistente CCF');
    expect(welcome).toContain('conozca como tratamos sus datos');
    const text = dl.lastBotActivities.map((a) => a.text ?? '').join('\n');
    const link = /https?:\/\/\S+\/privacidad/.exec(text)?.[0];
    expect(link).toBeDefined();
    expect(new URL(link!).pathname).toBe('/privacidad');
    expect((await fetch(`${app.url}${new URL(link!).pathname}`)).status).toBe(200);
  });
});
