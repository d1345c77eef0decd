/**
 * The privacy notice (Ley 1581 de 2012): GET /privacidad, linked from the welcome and from the
 * data-treatment authorization in Registro ciudadano. The authorization text and its version come
 * from the same template the chat shows; the retention terms from domain/retention.ts RETENTION;
 * the rights from domain/privacy.ts DERECHOS; the contacts from the chat's contacts template.
 */
import type restify from 'restify';
import { DERECHOS } from '../domain/privacy.js';
import { RETENTION } from '../domain/retention.js';
import { fill, messages, render, renderHtml } from '../templates/render.js';
import { ACCOUNT_PAGE_CSP, pageHeaders } from './security-headers.js';

export const PRIVACY_PATH = '/privacidad';
// The account pages' stylesheet and icon (bot/account-pages.ts serves them).
const CSS_PATH = '/cuenta/cuenta.css';
const ICON_PATH = '/cuenta/icono.svg';

interface Autorizacion {
  readonly version: string;
  readonly fecha: string;
  readonly responsable: string;
  readonly parrafos: readonly string[];
}
interface Pagina {
  readonly autorizacion: { readonly version: string };
  readonly conservacion: { readonly plazos: Readonly<Record<string, string>> };
  readonly derechos: { readonly lista: Readonly<Record<string, string>> };
  readonly como: { readonly chat: string };
}

/** "**Mis datos**: …" as segments, so the HTML template can bold without trusting the text as HTML. */
export function boldSegments(text: string): { text: string; bold: boolean }[] {
  return text.split('**').map((t, i) => ({ text: t, bold: i % 2 === 1 })).filter((s) => s.text !== '');
}

const YEAR_DAYS = 365;

/** Each retention term as a sentence; a term without its sentence fails here, not silently. */
export function retentionSentences(plazos: Readonly<Record<string, string>>): string[] {
  return Object.entries(RETENTION).map(([key, valor]) => {
    const sentence = plazos[key];
    if (!sentence) throw new Error(`templates/es/privacidad/pagina.json: no sentence for RETENTION.${key}`);
    return fill(sentence, { valor, anos: Math.round(valor / YEAR_DAYS) });
  });
}

/** The helpdesk contacts of the chat (Markdown: a bold title and "- " lines) as a title and lines. */
function contacts(): { titulo: string; lineas: string[] } {
  const lines = render('general/contactos').split('\n').map((l) => l.trim()).filter(Boolean);
  const plain = (l: string) => l.replace(/\*\*/g, '').replace(/^- /, '');
  return { titulo: plain(lines[0] ?? ''), lineas: lines.slice(1).map(plain) };
}

/** The page, rendered once (its content changes only with the templates). */
export function privacyPageHtml(): string {
  const t = messages('web/cuenta');
  const p = messages<Pagina>('privacidad/pagina');
  const autorizacion = messages<Autorizacion>('privacidad/autorizacion');
  return renderHtml('web/privacidad', {
    t,
    p,
    css: CSS_PATH,
    icono: ICON_PATH,
    autorizacion,
    versionTexto: fill(p.autorizacion.version, { ...autorizacion }),
    plazos: retentionSentences(p.conservacion.plazos),
    derechos: DERECHOS.map((id) => ({ id, texto: boldSegments(p.derechos.lista[id] ?? id) })),
    comoChat: boldSegments(p.como.chat),
    contactos: contacts(),
  });
}

/** Registers GET /privacidad. */
export function registerPrivacyPage(server: restify.Server): void {
  const html = privacyPageHtml();
  server.get(PRIVACY_PATH, async (_req: restify.Request, res: restify.Response) => {
    res.sendRaw(200, html, pageHeaders(ACCOUNT_PAGE_CSP));
  });
}
