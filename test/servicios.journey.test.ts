/**
 * Issue 10 end to end through HTTP with the real assistant (STAFF_ADMINS=CE:654321, a fake clock), from
 * scratch and only over the chat's Direct Line and the pages: COMFAMA's chain up to step 3 (José, the
 * employer role, María, Andrés authorized and registered); Carlos activates COMFAMA's CCF role and assigns
 * it SolicitudAfiliacion and ConsultaAfiliacion, and RetiroAfiliado to COMFENALCO ANTIOQUIA. Andrés logs
 * in, acts as "Caja de compensación familiar — COMFAMA", opens "Administración de Servicios Web",
 * accepts the terms (stored with the versions, the CCF and the channel; audited), sees exactly COMFAMA's
 * two services, asks "Ver documentación" of SolicitudAfiliacion and follows the card's OpenUrl link: the
 * Swagger UI page with its assets from the same origin, its OpenAPI document with POST
 * /afiliaciones/solicitudes, one opening audited for the page (not one more for the document).
 * "Información Servicio" shows the Client ID of the stored assignment; "¿en qué voy?" shows step 5 pending
 * with the versions and the service seen, and what is still missing (a shared service, the password). The same link 31 minutes later is the Spanish "expired" page.
 * The logs hold no document number and no Client ID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { terminosVigentes } from '../dialogs/servicios/texts.js';
import { fakeClock } from '../domain/random.js';
import { DOC_LINK_MINUTES } from '../domain/rules.js';
import { fold } from '../domain/text.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { startApp, type TestApp } from './helpers/app.js';
import { loginChat, newChat } from './helpers/chat-people.js';
import type { DirectLineClient } from './helpers/directline-client.js';
import { ANDRES, COMFAMA_NIT } from './helpers/employers.js';
import { chainToAssignment, factsOf, fallbackOf, offered, openUrlOf, openUrlsOf, PASSWORD, STAFF_ENV, textOf } from './helpers/servicios-chat.js';

const SOLICITUD = 'SolicitudAfiliacion';
const CONSULTA = 'ConsultaAfiliacion';
const RETIRO = 'RetiroAfiliado';
const COMFENALCO_NIT = '890900842';
const SWAGGER_BUTTON = 'Ver documentación completa (Swagger)';
const andres = EXAMPLE_PERSONS.authorizedComfama;

/** Says `text` and waits for `expected`; returns the folded replies. */
async function say(dl: DirectLineClient, text: string, expected: string): Promise<string> {
  await dl.send(text);
  return dl.waitFor(expected);
}

/** Visible text of an HTML page, folded (no tags, accents or case). */
const pageText = (html: string) => fold(html.replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/g, ' ')).replace(/\s+/g, ' ');

describe('journey: COMFAMA\'s authorized person, from login to the Swagger page and the Client ID', () => {
  const clock = fakeClock('2026-12-02T14:00:00.000Z');
  const lines: string[] = [];
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ ...STAFF_ENV }, { clock, log: createLogger('debug', {}, (l) => lines.push(l)) });
  });
  afterAll(() => app?.stop());

  const audits = (action: string) =>
    app.store.transaction(async (tx) => (await tx.collection('audit').list()).filter((e) => e.action === action));

  it('Andrés accepts the terms, sees exactly COMFAMA\'s services, opens the Swagger page of SolicitudAfiliacion and reads its Client ID', async () => {
    // From scratch to step 4, all in the chat: COMFENALCO ANTIOQUIA gets a service COMFAMA must not see.
    const ids = await chainToAssignment(app.url, app.dataDir, [SOLICITUD, CONSULTA], { caja: 'comfenalco antioquia', servicios: [RETIRO] });
    const stored = await app.store.transaction((tx) => tx.collection('asignaciones').list());
    const clientIdOf = (nit: string, servicio: string) => stored.find((a) => a.nit === nit && a.servicioId === servicio)?.clientId;
    expect(clientIdOf(COMFAMA_NIT, SOLICITUD)).toBe(ids.comfama.get(SOLICITUD));
    expect(clientIdOf(COMFAMA_NIT, CONSULTA)).toBe(ids.comfama.get(CONSULTA));
    expect(clientIdOf(COMFENALCO_NIT, RETIRO)).toBe(ids.otra!.get(RETIRO));
    const allClientIds = [...ids.comfama.values(), ...ids.otra!.values()];
    expect(new Set(allClientIds).size).toBe(3);
    clock.advance(60_000);

    // Andrés logs in and acts as COMFAMA's CCF.
    const dl = await newChat(app.url);
    await loginChat(dl, andres, PASSWORD, 'en que rol desea actuar');
    expect(offered(dl)).toContain('Caja de compensación familiar — COMFAMA');
    // The menu's question comes last (the buttons are on it).
    const acting = await say(dl, 'Caja de compensación familiar — COMFAMA', 'que desea hacer ahora');
    expect(acting).toContain('siguiente paso es la administracion de servicios web');
    expect(offered(dl)).toContain('Administración de Servicios Web');

    // Administración de Servicios Web: the terms first; nothing stored until he answers.
    const terms = await say(dl, 'Administración de Servicios Web', 'acepta las condiciones de uso');
    expect(terms).toContain('condiciones de uso de la administracion de servicios web version 1.0 del 01 12 2026');
    expect(terms).toContain('politica de privacidad y retencion de la administracion de servicios web version 1.0 del 01 12 2026');
    // The full text is linked on this machine (the app's public base URL: localhost and its port).
    expect(terms).toContain(fold(`http://localhost:${app.port}/servicios/terminos`));
    expect(offered(dl)).toEqual(expect.arrayContaining(['Acepto', 'No acepto']));
    expect(await app.store.transaction((tx) => tx.collection('decisionesTerminos').list())).toEqual([]);
    const termsPage = await fetch(`${app.url}/servicios/terminos`);
    expect(termsPage.status).toBe(200);
    expect(pageText(await termsPage.text())).toContain('version 1.0 del 1 de diciembre de 2026');

    clock.advance(30_000);
    const accepted = await say(dl, 'Acepto', 'que desea hacer');
    expect(accepted).toContain('quedo registrado que acepto las condiciones condiciones de uso v1.0 politica de privacidad y retencion v1.0');
    const decisions = await app.store.transaction((tx) => tx.collection('decisionesTerminos').list());
    expect(decisions).toEqual([
      expect.objectContaining({ citizenId: ANDRES, nit: COMFAMA_NIT, decision: 'acepto', versiones: terminosVigentes(), en: clock.now().toISOString(), canal: 'webchat' }),
    ]);
    const acceptedAudit = await audits('servicios.terminos_aceptados');
    expect(acceptedAudit).toHaveLength(1);
    expect(acceptedAudit[0]).toMatchObject({ channel: 'webchat', subject: 'NIT 890.900.841-9' });
    expect(JSON.stringify(acceptedAudit)).not.toContain(andres.numeroDocumento);

    // The catalog: exactly COMFAMA's two services, active; never COMFENALCO's.
    expect(textOf(dl.lastBotActivities)).toContain('asignó a **COMFAMA** (2)');
    const listed = [...fallbackOf(dl.lastBotActivities).matchAll(/^- \*\*(GET|POST|PUT|PATCH|DELETE) (\w+) — [^*]+\*\* — Estado: (.+)$/gm)].map((m) => `${m[1]} ${m[2]}: ${m[3]}`);
    expect(listed.sort()).toEqual([`GET ${CONSULTA}: Activo`, `POST ${SOLICITUD}: Activo`]);
    expect(JSON.stringify(dl.lastBotActivities)).not.toContain(RETIRO);
    expect(offered(dl)).toEqual(['Ver documentación', 'Información Servicio', 'Compartir Servicios Entidad', 'Asignar contraseña', 'Terminar']);

    // Ver documentación → SolicitudAfiliacion: the summary card with the signed link to the Swagger page.
    const which = await say(dl, 'Ver documentación', 'de cual servicio desea ver la documentacion');
    expect(which).toContain(fold(SOLICITUD));
    expect(which).not.toContain(fold(RETIRO));
    clock.advance(30_000);
    const doc = await say(dl, 'SolicitudAfiliacion', 'que mas desea hacer');
    expect(doc).toContain('documentacion de post solicitudafiliacion');
    expect(doc).toContain(`vence en ${DOC_LINK_MINUTES} minutos`);
    const link = openUrlOf(dl.lastBotActivities, SWAGGER_BUTTON);
    expect(link, 'the card\'s OpenUrl').toBeDefined();
    // The same button near the top of the long card and as its action at the bottom.
    expect(openUrlsOf(dl.lastBotActivities, SWAGGER_BUTTON)).toEqual([link, link]);
    const url = new URL(link!);
    expect(url.origin).toBe(`http://localhost:${app.port}`);
    expect(url.pathname).toBe(`/servicios/documentacion/${SOLICITUD}`);
    expect([...url.searchParams.keys()].sort()).toEqual(['c', 'exp', 'p', 'sig']);
    expect(url.searchParams.get('c')).toBe(COMFAMA_NIT);
    expect(link).not.toContain(andres.numeroDocumento);
    expect(Number(url.searchParams.get('exp')) * 1000 - clock.now().getTime()).toBe(DOC_LINK_MINUTES * 60_000);
    const fromChat = (await audits('servicios.documentacion_abierta')).filter((e) => e.detail?.['via'] === 'chat');
    expect(fromChat).toHaveLength(1);

    // The page: 200 HTML, Swagger UI's assets and the starter from this origin, all of them served.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain(`Documentación de POST ${SOLICITUD}`);
    const refs = [...html.matchAll(/\b(?:src|href|data-spec)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
    for (const r of refs) expect(r, r).toMatch(/^(\/(?!\/)|#)/);
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.some((s) => s.startsWith('/swagger-ui/swagger-ui-bundle.js'))).toBe(true);
    expect(refs.some((s) => s.startsWith('/swagger-ui/swagger-ui.css'))).toBe(true);
    for (const r of refs.filter((x) => x.startsWith('/') && !x.startsWith('/servicios/documentacion/'))) {
      expect((await fetch(`${app.url}${r}`)).status, r).toBe(200);
    }
    // Its OpenAPI document (what Swagger UI fetches), loaded twice as a browser may: the operation is there.
    const spec = /data-spec="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(spec).toBe(`/servicios/documentacion/${SOLICITUD}/openapi.json${url.search}`);
    for (let i = 0; i < 2; i++) {
      const json = await fetch(`${app.url}${spec}`);
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const openapi = (await json.json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
      expect(openapi.paths['/afiliaciones/solicitudes']?.['post']?.operationId).toBe(SOLICITUD);
    }
    // One opening recorded for the page, none for its document.
    const fromPage = (await audits('servicios.documentacion_abierta')).filter((e) => e.detail?.['via'] !== 'chat');
    expect(fromPage).toHaveLength(1);
    expect(fromPage[0]).toMatchObject({ channel: 'pagina', actor: url.searchParams.get('p'), subject: 'NIT 890.900.841-9', detail: { servicio: SOLICITUD, via: 'pagina' } });

    // Información Servicio → SolicitudAfiliacion: the Client ID of the stored assignment.
    await say(dl, 'Información Servicio', 'de cual servicio desea ver la informacion');
    const info = await say(dl, 'SolicitudAfiliacion', 'que mas desea hacer');
    expect(info).toContain('informacion servicio solicitudafiliacion');
    const facts = factsOf(dl.lastBotActivities);
    expect(facts.get('Client ID de COMFAMA')).toBe(clientIdOf(COMFAMA_NIT, SOLICITUD));
    expect(facts.get('Identificador')).toBe(SOLICITUD);
    expect(facts.get('Estado')).toBe('Activo');
    expect(facts.get('Método y ruta')).toBe('POST /afiliaciones/solicitudes');
    expect(facts.get('Endpoint del token')).toMatch(/^https:\/\/\S+$/);
    // The card is the message: no text repeating its title.
    const infoMessage = dl.lastBotActivities.find((a) => a.attachments?.length);
    expect(infoMessage?.text ?? '').toBe('');
    expect(JSON.stringify(dl.lastBotActivities)).not.toContain(clientIdOf(COMFAMA_NIT, CONSULTA));

    // ¿En qué voy?: step 5 pending (the terms accepted, no shared service, no password yet), with the versions accepted and the service seen.
    const mine = await say(dl, '¿en qué voy?', 'paso 5');
    const step5 = mine.slice(mine.indexOf('paso 5 administracion de servicios web'));
    expect(step5).toMatch(/^paso 5 administracion de servicios web pendiente/);
    expect(step5).toContain(fold('Falta compartir al menos un servicio completo (Compartir Servicios Entidad) y asignar la contraseña de los servicios web (Asignar contraseña).'));
    expect(step5).toContain('acepto las condiciones de uso y la politica de privacidad condiciones 1.0 privacidad 1.0');
    expect(step5).toContain(`servicios consultados ${fold(SOLICITUD)}`);
    expect(step5).not.toContain(fold(RETIRO));

    // The same link once expired: a Spanish page (and its document too), not the documentation.
    clock.advance((DOC_LINK_MINUTES + 1) * 60_000);
    const expired = await fetch(link!);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const expiredText = pageText(await expired.text());
    expect(expiredText).toContain('el enlace vencio');
    expect(expiredText).toContain('pida de nuevo ver documentacion');
    expect((await fetch(`${app.url}${spec}`)).status).toBe(410);
    expect(await audits('servicios.documentacion_abierta')).toHaveLength(2);

    // No document number of anyone and no Client ID in the logs.
    expect(lines.some((l) => l.includes('documentation served'))).toBe(true);
    for (const p of Object.values(EXAMPLE_PERSONS)) expect(lines.filter((l) => l.includes(p.numeroDocumento)), p.primerNombre).toEqual([]);
    for (const id of allClientIds) expect(lines.filter((l) => l.includes(id)), 'a Client ID').toEqual([]);
  }, 120_000);
});
