/**
 * The account pages over real HTTP (restify on 127.0.0.1) with the real use cases of domain/cuenta.ts
 * on an in-memory store: the one-time link opens the form, a url-encoded form post sets the
 * password, every failure is a Spanish page with the right status and never a crash.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FORM_BYTES, PAGE_FREE_FAILURES } from '../bot/account-pages.js';
import { inspectAccountToken } from '../domain/cuenta.js';
import { passwordHasher } from '../storage/password-hasher.js';
import { seedLink, startAccountPages, type AccountPages } from './helpers/account-pages.js';

const TEXTOS = JSON.parse(readFileSync(new URL('../templates/es/web/cuenta.json', import.meta.url), 'utf8')) as {
  errores: { 'CLAVE.NO_COINCIDE': string; motivos: Record<string, string> };
  procesos: Record<'activacion' | 'recuperacion', { boton: string; exito: { parrafos: string[] } }>;
};
const GOOD_PASSWORD = 'Montaña-Azul-2931';
const HOUR = 3_600_000;

// ------------------------------------------------------------------ harness

async function get(h: AccountPages, path: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(`${h.url}${path}`);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** A real form post: application/x-www-form-urlencoded, fields in the order the page sends them. */
async function post(
  h: AccountPages,
  path: string,
  fields: Record<string, string> | [string, string][] | string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{ status: number; html: string; headers: Headers }> {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');

function expectNoSecret(html: string, ...secrets: string[]): void {
  for (const s of secrets) {
    expect(html).not.toContain(s);
    expect(html).not.toContain(escapeHtml(s));
    expect(html).not.toContain(encodeURIComponent(s));
  }
}

function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(headers.get('cache-control')).toBe('no-store');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('content-security-policy')).toBe("default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
}

/** The error messages shown under one field (the list the input's aria-describedby points at). */
function fieldErrors(html: string, field: 'clave' | 'confirmacion'): string[] {
  const list = new RegExp(`<ul id="${field}-error"[^>]*>([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => (m[1] ?? '').replace(/<span class="oculto">[^<]*<\/span>/, '').trim());
}

function inputTag(html: string, id: string): string {
  return /<input[\s\S]*?\/>/g.exec(html.slice(html.indexOf(`id="${id}"`) - 200))?.[0] ?? '';
}

// ------------------------------------------------------------------ tests

describe('account pages (/cuenta/activar, /cuenta/restablecer) with the real use cases', () => {
  let h: AccountPages;

  beforeAll(async () => {
    h = await startAccountPages();
  });
  afterAll(async () => {
    await h?.close();
  });
  // Each test starts with its address forgotten by the pages' throttle (it forgets after an hour).
  beforeEach(() => {
    h.clock.advance(HOUR + 1000);
  });

  it('the activation link shows a Spanish form for that person', async () => {
    const { token } = await seedLink(h);
    const inspected = await inspectAccountToken(h.deps, token, 'activacion');
    if (!inspected.ok) throw new Error(inspected.error.code);

    const page = await get(h, `/cuenta/activar?token=${token}`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page.headers);
    expect(page.html).toContain('<html lang="es-CO">');
    expect(page.html).toContain(`<strong>${escapeHtml(inspected.value.nombre)}</strong>`);
    expect(page.html).toMatch(/<form class="formulario" method="post" action="\/cuenta\/activar">/);
    expect(page.html).toContain(`<input type="hidden" name="token" value="${token}" />`);
    for (const id of ['clave', 'confirmacion']) {
      expect(page.html).toContain(`<label for="${id}">`);
      const input = inputTag(page.html, id);
      expect(input).toContain(`name="${id}"`);
      expect(input).toContain('type="password"');
      expect(input).toContain('autocomplete="new-password"');
      expect(input).not.toContain('aria-invalid');
    }
    expect(page.html).toMatch(/<label for="clave">Nueva contraseña<\/label>/);
    expect(page.html).toMatch(/<label for="confirmacion">Confirme la contraseña<\/label>/);
    expect(page.html).toMatch(/<ul class="politica">(\s*<li>[^<]+<\/li>){4}\s*<\/ul>/);
    expect(page.html).toContain(`>${TEXTOS.procesos.activacion.boton}</button>`);
    expect(page.html).not.toMatch(/<script/i);
    expect(page.html).not.toMatch(/\sstyle=/i);
  });

  it('a mismatching confirmation shows the form again with the error at the confirmation field', async () => {
    const { token } = await seedLink(h);
    const other = 'Montaña-Roja-8812';
    const page = await post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: other });
    expect(page.status).toBe(422);
    expectSecurityHeaders(page.headers);
    expect(fieldErrors(page.html, 'confirmacion')).toEqual([TEXTOS.errores['CLAVE.NO_COINCIDE']]);
    expect(inputTag(page.html, 'confirmacion')).toContain('aria-invalid="true"');
    expect(inputTag(page.html, 'confirmacion')).toContain('aria-describedby="confirmacion-ayuda confirmacion-error"');
    expect(page.html).toContain('<div class="resumen-errores" role="alert"');
    expect(page.html).toContain(`<input type="hidden" name="token" value="${token}" />`);
    expectNoSecret(page.html, GOOD_PASSWORD, other);
    expect(inputTag(page.html, 'clave')).not.toContain('value=');
    expect(inputTag(page.html, 'confirmacion')).not.toContain('value=');
  });

  it('a weak password typed differently twice shows why it is weak, not only that the two differ (one round of errors, not two)', async () => {
    const { token } = await seedLink(h);
    const page = await post(h, '/cuenta/activar', { token, clave: 'Kx7#pq', confirmacion: 'Kx7#pqr' });
    expect(page.status).toBe(422);
    expect(fieldErrors(page.html, 'clave')).toContain(TEXTOS.errores.motivos['clave.corta']);
  });

  it.each([
    ['clave.corta', 'Kx7#pq'],
    ['clave.letras_digitos', 'Vientos-Del-Norte'],
    ['clave.documento', 'Nube{numero}x'],
    ['clave.nombre', 'Restrepo-Lluvia-48'],
    ['clave.comun', 'Colombia2024'],
  ])('a weak password (%s) shows that reason at the password field and never the password', async (reason, pattern) => {
    const { token, numero } = await seedLink(h);
    const clave = pattern.replace('{numero}', numero);
    const page = await post(h, '/cuenta/activar', { token, clave, confirmacion: clave });
    expect(page.status).toBe(422);
    expect(fieldErrors(page.html, 'clave')).toContain(TEXTOS.errores.motivos[reason]);
    expect(inputTag(page.html, 'clave')).toContain('aria-invalid="true"');
    expect(inputTag(page.html, 'clave')).toContain('aria-describedby="clave-politica clave-error"');
    expect(page.html).toContain('href="#clave"');
    expectNoSecret(page.html, clave);
  });

  it('a password with several faults lists every reason', async () => {
    const { token } = await seedLink(h);
    const page = await post(h, '/cuenta/activar', { token, clave: 'jose', confirmacion: 'jose' });
    expect(page.status).toBe(422);
    const shown = fieldErrors(page.html, 'clave');
    for (const reason of ['clave.corta', 'clave.letras_digitos', 'clave.nombre']) expect(shown).toContain(TEXTOS.errores.motivos[reason]);
    expect(shown.length).toBeGreaterThanOrEqual(3);
  });

  it('a good password activates the account once; the link then says it was used', async () => {
    const { token, citizenId } = await seedLink(h);
    const page = await post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page.headers);
    expect(page.html).toContain(TEXTOS.procesos.activacion.exito.parrafos[0]);
    // The heading says it once; the text goes on with what to do, not the heading again.
    const titulo = (TEXTOS.procesos.activacion.exito as { titulo?: string }).titulo ?? '';
    expect(titulo).not.toBe('');
    expect(page.html.split(titulo).length - 1).toBe(2); // <title> and <h1>
    expect(page.html).toContain('role="status"');
    expect(page.html).toMatch(/<a class="boton" href="\/">/);
    expect(page.html).not.toContain('<form');
    expectNoSecret(page.html, GOOD_PASSWORD, token);

    const citizen = await h.store.transaction((tx) => tx.collection('citizens').get(citizenId));
    expect(citizen?.estado).toBe('activo');
    expect(citizen?.passwordHash).toBeTruthy();
    expect(citizen?.passwordHash).not.toContain(GOOD_PASSWORD);
    expect(await passwordHasher.verify(GOOD_PASSWORD, citizen?.passwordHash ?? '')).toBe(true);
    expect(JSON.stringify(h.mails)).not.toContain(GOOD_PASSWORD);

    const again = await post(h, '/cuenta/activar', { token, clave: 'Otra-Clave-5567', confirmacion: 'Otra-Clave-5567' });
    expect(again.status).toBe(410);
    expect(again.html).toContain('ya fue usado');
    expect(again.html).not.toContain('<form');
    const reopened = await get(h, `/cuenta/activar?token=${token}`);
    expect(reopened.status).toBe(410);
    expect(reopened.html).toContain('ya fue usado');
    const after = await h.store.transaction((tx) => tx.collection('citizens').get(citizenId));
    expect(after?.passwordHash).toBe(citizen?.passwordHash);
  });

  it('an expired link says so and how to get a new one, on GET and on POST', async () => {
    const { token, citizenId } = await seedLink(h, { validForMs: HOUR });
    expect((await get(h, `/cuenta/activar?token=${token}`)).status).toBe(200);
    h.clock.advance(HOUR + 1000);
    try {
      const page = await get(h, `/cuenta/activar?token=${token}`);
      expect(page.status).toBe(410);
      expectSecurityHeaders(page.headers);
      expect(page.html).toContain('venció');
      expect(page.html).toContain('«Olvidé mi contraseña»');
      expect(page.html).not.toContain('<form');
      const posted = await post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
      expect(posted.status).toBe(410);
      expect(posted.html).toContain('venció');
      const citizen = await h.store.transaction((tx) => tx.collection('citizens').get(citizenId));
      expect(citizen?.estado).toBe('pendiente');
    } finally {
      h.clock.advance(-(HOUR + 1000));
    }
  });

  it('the reset link: its own form and texts, "Olvidé mi contraseña" when expired, and success', async () => {
    const { token, citizenId } = await seedLink(h, { tipo: 'recuperacion', validForMs: HOUR });
    const form = await get(h, `/cuenta/restablecer?token=${token}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('action="/cuenta/restablecer"');
    expect(form.html).toContain(`>${TEXTOS.procesos.recuperacion.boton}</button>`);
    // An activation link does not open the reset page, nor the other way round.
    expect((await get(h, `/cuenta/activar?token=${token}`)).status).toBe(400);

    const done = await post(h, '/cuenta/restablecer', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.html).toContain(TEXTOS.procesos.recuperacion.exito.parrafos[0]);
    const citizen = await h.store.transaction((tx) => tx.collection('citizens').get(citizenId));
    expect(await passwordHasher.verify(GOOD_PASSWORD, citizen?.passwordHash ?? '')).toBe(true);

    const late = await seedLink(h, { tipo: 'recuperacion', validForMs: HOUR });
    h.clock.advance(2 * HOUR);
    try {
      const page = await get(h, `/cuenta/restablecer?token=${late.token}`);
      expect(page.status).toBe(410);
      expect(page.html).toContain('«Olvidé mi contraseña»');
    } finally {
      h.clock.advance(-2 * HOUR);
    }
  });

  it('escapes what it shows: a name with markup is text', async () => {
    const { token } = await seedLink(h, { primerNombre: '<img src=x onerror=alert(1)>' });
    const page = await get(h, `/cuenta/activar?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<img');
    expect(page.html).toContain('&lt;img');
  });

  it.each([
    ['a made-up token', '/cuenta/activar?token=abcdefghijklmnopqrstuvwxyz012345678901234', 400],
    ['no token', '/cuenta/activar', 400],
    ['an empty token', '/cuenta/activar?token=', 400],
    ['two tokens', '/cuenta/activar?token=a&token=b', 400],
    ['a token as an object', '/cuenta/restablecer?token[a]=b', 400],
    ['a 10 kB token', `/cuenta/activar?token=${'A'.repeat(10_000)}`, 400],
    ['markup in the token', `/cuenta/activar?token=${encodeURIComponent('<script>alert(1)</script>')}`, 400],
  ])('GET with %s → a Spanish "link not valid" page', async (_name, path, status) => {
    const page = await get(h, path);
    expect(page.status).toBe(status);
    expectSecurityHeaders(page.headers);
    expect(page.html).toContain('El enlace no es válido');
    expect(page.html).not.toContain('<form');
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toMatch(/Error:|at \w+ \(|node_modules/);
  });

  it('refuses malformed posts with a 4xx page, and still answers afterwards', async () => {
    const { token } = await seedLink(h);
    const good = { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD };
    const big = 'A1'.repeat(5_000);
    const cases: [string, () => ReturnType<typeof post>, number][] = [
      ['missing confirmation', () => post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD }), 400],
      ['missing token', () => post(h, '/cuenta/activar', { clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD }), 400],
      ['empty body', () => post(h, '/cuenta/activar', ''), 400],
      ['repeated password field', () => post(h, '/cuenta/activar', [['token', token], ['clave', 'x'], ['clave', 'y'], ['confirmacion', 'x']]), 400],
      ['repeated token', () => post(h, '/cuenta/activar', [['token', token], ['token', token], ['clave', GOOD_PASSWORD], ['confirmacion', GOOD_PASSWORD]]), 400],
      ['nested fields', () => post(h, '/cuenta/activar', `token=${token}&clave[a]=x&confirmacion[a]=x`), 400],
      ['array fields', () => post(h, '/cuenta/activar', `token=${token}&clave[]=x&confirmacion[]=x`), 400],
      ['a 10 kB password', () => post(h, '/cuenta/activar', { token, clave: big, confirmacion: big }), 413],
      ['a 10 kB token', () => post(h, '/cuenta/activar', { token: 'A'.repeat(10_000), clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD }), 413],
      ['JSON instead of a form', () => post(h, '/cuenta/activar', JSON.stringify(good), 'application/json'), 415],
      ['plain text', () => post(h, '/cuenta/activar', new URLSearchParams(good).toString(), 'text/plain'), 415],
      ['broken percent-encoding', () => post(h, '/cuenta/activar', `token=${token}&clave=%E0%A4%A&confirmacion=%ZZ`), 422],
      ['a garbage token', () => post(h, '/cuenta/restablecer', { ...good, token: 'no-es-un-token' }), 400],
    ];
    for (const [name, send, status] of cases) {
      const page = await send();
      expect(page.status, name).toBe(status);
      expectSecurityHeaders(page.headers);
      expect(page.html, name).toMatch(/<h1>[^<]+<\/h1>/);
      expect(page.html, name).not.toMatch(/at \w+ \(|node_modules|InternalError/);
      expectNoSecret(page.html, GOOD_PASSWORD, big);
    }
    // A multipart upload (what a script might send) is refused the same way.
    const multipart = new FormData();
    for (const [k, v] of Object.entries(good)) multipart.append(k, v);
    const res = await fetch(`${h.url}/cuenta/activar`, { method: 'POST', body: multipart });
    expect(res.status).toBe(415);
    await res.text();
    // More than a megabyte: a 413 page without reading it all (or, racing the upload, a closed connection).
    const huge = await fetch(`${h.url}/cuenta/activar`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${token}&clave=${'x'.repeat(2 * 1024 * 1024)}`,
    }).catch((error: unknown) => error);
    if (huge instanceof Response) {
      expect(huge.status).toBe(413);
      expect(huge.headers.get('connection')).toBe('close');
      await huge.text();
    } else {
      expect(String(huge)).toMatch(/fetch failed|closed|reset|EPIPE/i);
    }

    // None of that used the link up or broke the server: the form still opens and works.
    expect(MAX_FORM_BYTES).toBeLessThan(10_000);
    expect((await get(h, `/cuenta/activar?token=${token}`)).status).toBe(200);
    expect((await post(h, '/cuenta/activar', good)).status).toBe(200);
  });

  it('serves its stylesheet to the page, and logs outcomes but never a token or a password', async () => {
    const { token } = await seedLink(h);
    const page = await get(h, `/cuenta/activar?token=${token}`);
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.html)?.[1];
    expect(href).toMatch(/^\/cuenta\/cuenta\.css\?[\w-]+$/);
    const css = await fetch(`${h.url}${href}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await css.text()).toContain('.formulario');
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page.html)?.[1];
    expect((await fetch(`${h.url}${icon}`)).headers.get('content-type')).toBe('image/svg+xml');

    const weak = 'Colombia2024';
    await post(h, '/cuenta/activar', { token, clave: weak, confirmacion: weak });
    await post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
    const lines = h.logs.join('\n');
    expect(lines).toContain('"outcome":"CLAVE.POLITICA:clave.comun"');
    expect(lines).toContain('"outcome":"OK"');
    expect(lines).toContain('"outcome":"TOKEN.USADO"');
    expect(lines).toContain('"outcome":"SOLICITUD.GRANDE"');
    for (const secret of [token, weak, GOOD_PASSWORD, 'Kx7#pq', 'Vientos-Del-Norte']) expect(lines).not.toContain(secret);
    expect(lines).not.toContain('"level":"error"');
  });

  it('the mail server being down does not undo the password: the success page, and the failure audited', async () => {
    const down = await startAccountPages({ mailDown: true });
    try {
      const { token, citizenId } = await seedLink(down);
      const page = await post(down, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
      expect(page.status).toBe(200);
      expectNoSecret(page.html, GOOD_PASSWORD);
      const citizen = await down.store.transaction((tx) => tx.collection('citizens').get(citizenId));
      expect(citizen?.estado).toBe('activo');
      const audit = await down.store.transaction((tx) => tx.collection('audit').list());
      expect(audit.map((e) => e.action)).toContain('correo.no_enviado');
    } finally {
      await down.close();
    }
  });

  it('a fault (storage broken) is a 500 page that says what to do, with nothing leaked', async () => {
    const pages = await startAccountPages();
    try {
      const { token } = await seedLink(pages);
      pages.breakStore();
      const page = await post(pages, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
      expect(page.status).toBe(500);
      expectSecurityHeaders(page.headers);
      expect(page.html).toContain('ya fue usado');
      expect(page.html).not.toMatch(/disk|at \w+ \(|node_modules/);
      expectNoSecret(page.html, GOOD_PASSWORD);
      const logged = pages.logs.join('\n');
      expect(logged).toContain('"level":"error"');
      expect(logged).not.toContain(token);
      expect(logged).not.toContain(GOOD_PASSWORD);
    } finally {
      await pages.close();
    }
  });
});

describe('account pages: the unlock link and the per-address throttle (issue 15)', () => {
  let h: AccountPages;
  beforeAll(async () => {
    h = await startAccountPages();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/cuenta/desbloquear lifts the lock of the link\'s account once; a bad link says so', async () => {
    const { token, citizenId } = await seedLink(h, { tipo: 'desbloqueo' });
    await h.store.transaction(async (tx) => {
      const c = await tx.collection('citizens').get(citizenId);
      await tx.collection('citizens').put({ ...c!, loginBloqueadoHasta: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    });
    const page = await get(h, `/cuenta/desbloquear?token=${token}`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page.headers);
    expect(page.html).toContain('Su ingreso quedó desbloqueado');
    const c = await h.store.transaction((tx) => tx.collection('citizens').get(citizenId));
    expect(c?.loginBloqueadoHasta).toBeUndefined();
    expect((await get(h, `/cuenta/desbloquear?token=${token}`)).status).toBe(410);
    expect((await get(h, '/cuenta/desbloquear?token=no-es-un-token')).status).toBe(400);
    expectNoSecret(page.html, token);
    h.clock.advance(HOUR + 1000); // forget these failures for the next test
  });

  it('an address with too many failed requests gets 429 with Retry-After, before the domain is asked; then it may go again', async () => {
    const { token } = await seedLink(h);
    for (let i = 0; i < PAGE_FREE_FAILURES; i++) {
      expect((await post(h, '/cuenta/activar', { token: `malo-${i}-${'x'.repeat(20)}`, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD })).status).toBe(400);
    }
    const refused = await post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.html).toContain('Demasiados intentos');
    expect(refused.html).toContain('Espere 1 segundo antes de intentarlo de nuevo');
    expect((await get(h, `/cuenta/activar?token=${token}`)).status).toBe(429);
    expect((await inspectAccountToken(h.deps, token, 'activacion')).ok).toBe(true); // the link was not touched
    h.clock.advance(1000);
    expect((await post(h, '/cuenta/activar', { token: 'otro-malo-xxxxxxxxxxxxxxxx', clave: 'a', confirmacion: 'a' })).status).toBe(400);
    const doubled = await get(h, `/cuenta/activar?token=${token}`);
    expect(doubled.status).toBe(429);
    expect(doubled.headers.get('retry-after')).toBe('2'); // the wait doubles
    h.clock.advance(2000);
    expect((await post(h, '/cuenta/activar', { token, clave: GOOD_PASSWORD, confirmacion: GOOD_PASSWORD })).status).toBe(200);
  });
});
