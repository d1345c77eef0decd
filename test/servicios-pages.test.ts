/**
 * The web-services pages over HTTP with the real assistant (bot/servicios-pages.ts): the full terms
 * page; the Swagger UI documentation page and its OpenAPI document behind a signed link, checked again
 * on every request (altered, another person's, another service's, not assigned, revoked, terms not
 * accepted, person no longer authorized, role deactivated, expired: a clear Spanish page each); the
 * Swagger UI files from the installed package and nothing else of it. COMFAMA's chain is set up with
 * the real use cases on the app's store (test/helpers/servicios.ts); links are signed with the app's key.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocLinks } from '../bot/doc-links.js';
import { createLogger } from '../bot/log.js';
import { terminos } from '../dialogs/servicios/texts.js';
import { fakeClock } from '../domain/random.js';
import { DOC_LINK_MINUTES } from '../domain/rules.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import {
  ANDRES, appDocLinks, comfamaWithServices, COMFAMA_NIT, CONSULTA, deactivateComfama, MARIA, revokeAssignment, revokeMaria, SECRETS_KEY, SOLICITUD, type Comfama,
} from './helpers/servicios.js';

const clock = fakeClock('2026-12-02T15:00:00.000Z');
const lines: string[] = [];
let app: TestApp;
let links: DocLinks;
let comfama: Comfama;

beforeAll(async () => {
  app = await startApp({ SECRETS_KEY, STAFF_ADMINS: 'CE:654321' }, { clock, log: createLogger('debug', {}, (l) => lines.push(l)) });
  links = appDocLinks(app, clock);
  comfama = await comfamaWithServices(app, clock);
}, 60_000);
afterAll(() => app?.stop());

/** The path and query of a link (the app is reached at app.url). */
const pathOf = (link: string) => {
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
};
const get = (path: string, init?: RequestInit) => fetch(`${app.url}${path}`, init);
const linkFor = (citizenId: string, servicioId: string) => pathOf(links.swaggerLink(citizenId, COMFAMA_NIT, servicioId));
const specOf = (pagePath: string) => pagePath.replace('?', '/openapi.json?');
const withParam = (path: string, name: string, value: string) => {
  const u = new URL(`http://x${path}`);
  u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
};

/** A refusal: the status, an HTML page (never JSON, never a trace) with the security headers, its folded text. */
async function refusal(path: string, status: number): Promise<string> {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  const html = await res.text();
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).not.toMatch(/\bat \w+ \(|Error:|"code"|stack/);
  expect(html).toContain('href="/"'); // back to the assistant
  return fold(html);
}

/** Visible text, lower case, without accents or tags. */
const fold = (html: string) =>
  html.replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/g, ' ').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');

describe('GET /servicios/terminos', () => {
  it('is a public page with both texts: title, version and date in Spanish, every section, the privacy page linked', async () => {
    const res = await get('/servicios/terminos');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    const html = await res.text();
    const t = terminos();
    expect(t.documentos).toHaveLength(2);
    expect(html).toContain('Versión 1.0 del 1 de diciembre de 2026');
    for (const d of t.documentos) {
      expect(html).toContain(d.titulo);
      expect(html).toContain(`Versión ${d.version} del `);
      for (const s of d.secciones) {
        expect(html).toContain(s.titulo);
        for (const p of s.parrafos) expect(html).toContain(p.split('{{')[0]!.slice(0, 50));
      }
    }
    expect(html).toMatch(/<a href="\/privacidad">[^<]+<\/a>/);
    expect(html).not.toContain('{{');
    expect(html).not.toContain('**');
    expect(html).not.toMatch(/<script/i);
    expect((await get('/privacidad')).status).toBe(200);
  });
});

describe('the documentation page behind a signed link', () => {
  it('a genuine link opens the Swagger UI page, with only this origin\'s assets and its own CSP', async () => {
    const path = linkFor(ANDRES, SOLICITUD);
    expect(path).not.toContain(EXAMPLE_PERSONS.authorizedComfama.numeroDocumento);
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*|unsafe-eval/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain(`POST ${SOLICITUD}`);
    expect(fold(html)).toContain('pida de nuevo «ver documentacion»');
    expect(fold(html)).toContain(`${DOC_LINK_MINUTES} minutos`);
    // Every script has a src; every src and href is on this origin (a path or an anchor).
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const refs = [...html.matchAll(/\b(?:src|href|data-spec)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const r of refs) expect(r, r).toMatch(/^(\/(?!\/)|#)/);
    expect(refs).toEqual(expect.arrayContaining([expect.stringMatching(/^\/swagger-ui\/swagger-ui\.css\?/), expect.stringMatching(/^\/swagger-ui\/swagger-ui-bundle\.js\?/), expect.stringMatching(/^\/servicios\/swagger-init\.js/)]));
    const spec = /data-spec="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(spec).toBe(specOf(path));
    // The assets it names load, with their types.
    for (const r of refs.filter((x) => x.startsWith('/') && !x.startsWith('/servicios/documentacion'))) {
      const a = await get(r.replace(/&amp;/g, '&'));
      expect(a.status, r).toBe(200);
    }
  });

  it('the OpenAPI document is served as JSON, never cached', async () => {
    const res = await get(specOf(linkFor(ANDRES, SOLICITUD)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/afiliaciones/solicitudes']?.['post']?.operationId).toBe(SOLICITUD);
  });

  it('opening it is audited with the pseudonym and the channel "pagina", and recorded as seen; no document number in the logs', async () => {
    const path = linkFor(ANDRES, SOLICITUD);
    expect((await get(path)).status).toBe(200);
    const persona = new URL(`http://x${path}`).searchParams.get('p');
    const events = await app.store.transaction((tx) => tx.collection('audit').list());
    const opened = events.filter((e) => e.action === 'servicios.documentacion_abierta');
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.at(-1)).toMatchObject({ actor: persona, channel: 'pagina', subject: expect.stringMatching(/^NIT 890/), detail: { servicio: SOLICITUD, via: 'pagina' } });
    expect(JSON.stringify(events)).not.toContain(EXAMPLE_PERSONS.authorizedComfama.numeroDocumento);
    const seen = await app.store.transaction((tx) => tx.collection('serviciosVistos').get(`${COMFAMA_NIT}:${SOLICITUD}`));
    expect(seen).toBeDefined();
    for (const p of Object.values(EXAMPLE_PERSONS)) expect(lines.filter((l) => l.includes(p.numeroDocumento)), p.primerNombre).toEqual([]);
    expect(lines.some((l) => l.includes('documentation served'))).toBe(true);
  });

  describe('an altered link is "not valid", for the page and for its document', () => {
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const q = (path: string, name: string) => new URL(`http://x${path}`).searchParams.get(name)!;
    it.each<[string, (path: string) => string]>([
      ['another signature', (p) => withParam(p, 'sig', flip(q(p, 'sig')))],
      ['another CCF (COMFENALCO)', (p) => withParam(p, 'c', '890900842')],
      ['a later expiry', (p) => withParam(p, 'exp', String(Number(q(p, 'exp')) + 86_400))],
      ['another person (María\'s pseudonym on Andrés\'s link)', (p) => withParam(p, 'p', q(linkFor(MARIA, SOLICITUD), 'p'))],
      ['another service (a SolicitudAfiliacion link used for ConsultaAfiliacion)', (p) => p.replace(SOLICITUD, CONSULTA)],
      ['no signature', (p) => p.replace(/&sig=[^&]*/, '')],
      ['no query at all', (p) => p.split('?')[0]!],
      ['a document number as the person', (p) => withParam(p, 'p', EXAMPLE_PERSONS.authorizedComfama.numeroDocumento)],
      ['an unknown service name', (p) => p.replace(SOLICITUD, 'NoExiste%3Cscript%3E')],
    ])('%s', async (_name, alter) => {
      const path = alter(linkFor(ANDRES, SOLICITUD));
      const page = await refusal(path, 403);
      expect(page).toContain('este enlace no es valido');
      expect(page).toContain('ver documentacion');
      expect(page).not.toContain('script');
      const spec = await get(specOf(path));
      expect(spec.status).toBe(403);
      expect(spec.headers.get('content-type')).toBe('text/html; charset=utf-8');
    });
  });

  it('a genuine link for a service not assigned to COMFAMA: "not assigned"', async () => {
    const page = await refusal(linkFor(ANDRES, 'ReporteNovedad'), 403);
    expect(page).toContain('este servicio no esta asignado a su caja');
    expect(page).toContain('reportenovedad');
  });

  it('María (authorized, terms not accepted): "accept the terms first"', async () => {
    const page = await refusal(linkFor(MARIA, SOLICITUD), 403);
    expect(page).toContain('debe aceptar las condiciones de uso');
    expect(page).toContain('acepto');
  });

  it('María\'s authorization revoked: "you no longer have access", for a link she got before', async () => {
    const path = linkFor(MARIA, SOLICITUD);
    await revokeMaria(comfama);
    const page = await refusal(path, 403);
    expect(page).toContain('ya no tiene acceso');
    expect(page).toContain('ya no es persona autorizada');
    expect((await get(specOf(path))).status).toBe(403);
  });

  it('the assignment revoked: "revoked", for a link made before; the other service still opens', async () => {
    const path = linkFor(ANDRES, CONSULTA);
    expect((await get(path)).status).toBe(200);
    await revokeAssignment(comfama, CONSULTA);
    const page = await refusal(path, 403);
    expect(page).toContain('revoco la asignacion del servicio consultaafiliacion');
    expect(page).toContain('informacion servicio');
    expect((await get(specOf(path))).status).toBe(403);
    expect((await get(linkFor(ANDRES, SOLICITUD))).status).toBe(200);
  });

  it(`a genuine link past ${DOC_LINK_MINUTES} minutes: "the link expired, ask again in the chat"`, async () => {
    const path = linkFor(ANDRES, SOLICITUD);
    clock.advance(DOC_LINK_MINUTES * 60_000);
    expect((await get(path)).status).toBe(200); // its last second
    clock.advance(61_000);
    const page = await refusal(path, 410);
    expect(page).toContain('el enlace vencio');
    expect(page).toContain('pida de nuevo «ver documentacion»');
    expect(page).toContain(`${DOC_LINK_MINUTES} minutos`);
    expect((await get(specOf(path))).status).toBe(410);
    // Altered and old is still "not valid", not "expired".
    expect(await refusal(withParam(path, 'c', '890900842'), 403)).toContain('no es valido');
  });

  it('COMFAMA\'s CCF role deactivated: "the role of your CCF is not active"', async () => {
    await deactivateComfama(comfama);
    const page = await refusal(linkFor(ANDRES, SOLICITUD), 403);
    expect(page).toContain('el rol de su caja no esta activo');
    expect(page).toContain('desactivo');
  });
});

describe('Swagger UI files', () => {
  it.each([
    ['swagger-ui.css', 'text/css; charset=utf-8'],
    ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ])('/swagger-ui/%s comes from the installed package, long cached, gzipped when asked', async (file, type) => {
    const res = await get(`/swagger-ui/${file}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d{7,}/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect((await res.text()).length).toBeGreaterThan(100_000);
    const etag = res.headers.get('etag')!;
    expect((await get(`/swagger-ui/${file}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  /** A GET with the path exactly as written (fetch would resolve the dots first). */
  const raw = (path: string) =>
    new Promise<number>((ok, fail) => {
      const req = request(`${app.url}/`, { path, method: 'GET' }, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end();
    });

  it.each([
    '/swagger-ui/../package.json',
    '/swagger-ui/..%2fpackage.json',
    '/swagger-ui/%2e%2e%2fpackage.json',
    '/swagger-ui/%2e%2e/%2e%2e/package.json',
    '/swagger-ui/package.json',
    '/swagger-ui/index.html',
    '/swagger-ui/swagger-initializer.js',
    '/swagger-ui/swagger-ui.js',
    '/swagger-ui/swagger-ui-bundle.js.map',
    '/swagger-ui/oauth2-redirect.html',
    '/swagger-ui/',
    '/servicios/..%2f..%2fbot%2fapp.ts',
    '/servicios/cuenta.css',
    '/servicios/terminos.html.hbs',
  ])('%s is not found', async (path) => {
    expect(await raw(path)).toBe(404);
  });
});
