/**
 * "Documentación del servicio (Swagger)" in the chat (issue 10): the summary of the service's operation
 * (domain/openapi-resumen.ts) as an Adaptive Card, with a button to the full Swagger UI page. The message
 * text carries the essentials in Markdown (with the link) for channels without cards. Every text read
 * from the document is shown as plain text: HTML tags and Markdown links removed, whitespace collapsed,
 * descriptions shortened. Words: templates/es/servicios/swagger.json.
 */
import type { Activity } from 'botbuilder';
import type { CampoResumen, OperacionResumen, ParametroResumen, SeguridadResumen } from '../../domain/openapi-resumen.js';
import type { ServicioWeb } from '../../domain/servicios-web.js';
import { fill, messages } from '../../templates/render.js';
import { card, message, textBlock, type CardElement } from '../cards.js';

interface Texts {
  titulo: string;
  subtitulo: string;
  parametros: string;
  sinParametros: string;
  ubicaciones: Record<ParametroResumen['en'], string>;
  obligatorio: string;
  opcional: string;
  valores: string;
  cuerpo: string;
  sinCuerpo: string;
  contenido: string;
  tipoCuerpo: string;
  sinCampos: string;
  masOpcionales: string;
  ejemplo: string;
  ejemploSigue: string;
  respuestas: string;
  sinRespuestas: string;
  seguridad: string;
  sinSeguridad: string;
  esquemas: Record<SeguridadResumen['tipo'], string>;
  flujos: Record<string, string>;
  urlToken: string;
  alcances: string;
  sinAlcances: string;
  boton: string;
  texto: Record<string, string>;
}

const texts = () => messages<Texts>('servicios/swagger');

/** Teams refuses messages past ~28 KB (card and text together): the card stays under this. */
export const MAX_CARD_BYTES = 22_000;
/** The text lists at most this many required fields by name. */
const MAX_TEXT_FIELDS = 150;
const MAX_VALUES = 12;

/** Text from the document as plain text: no HTML, no Markdown links or images, one line, at most `max` characters. */
export function plainText(text: string | undefined, max = 200): string {
  if (!text || max <= 0) return '';
  const s = text
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/<(?=[a-zA-Z/!?])/g, '')
    .replace(/!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&quot;/gi, '"')
    .replace(/&(#39|apos);/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

/** A name or code in the Markdown text: a code span, so nothing in it formats. */
const code = (s: string) => `\`${plainText(s, 120).replace(/`/g, "'")}\``;
/** A URL as code: shown whole, never a clickable link (the servers of a document need not exist). */
const urlCode = (s: string) => `\`${s.replace(/`/g, "'")}\``;

const valuesText = (valores: readonly string[] | undefined) =>
  valores?.length ? [...valores.slice(0, MAX_VALUES).map((v) => plainText(v, 40)), ...(valores.length > MAX_VALUES ? ['…'] : [])].join(', ') : undefined;

const callLine = (r: OperacionResumen) => `${r.metodo} ${plainText(r.servidores[0]?.replace(/\/+$/, '') ?? '', 200)}${plainText(r.ruta, 300)}`;

function securityLabel(s: SeguridadResumen, t: Texts): string[] {
  if (s.tipo === 'oauth2' && s.flujos.length) return s.flujos.map((f) => t.flujos[f.tipo] ?? t.esquemas.oauth2);
  return [fill(t.esquemas[s.tipo], { en: plainText(s.en, 100), esquema: plainText(s.esquema, 40), url: plainText(s.url, 300) })];
}

interface Limits {
  /** Optional body fields shown (required ones always are). */
  readonly opcionales: number;
  readonly descripcion: number;
  /** Lines of the example; 0 leaves it out. */
  readonly lineas: number;
}
const LEVELS: readonly Limits[] = [
  { opcionales: 40, descripcion: 200, lineas: 60 },
  { opcionales: 25, descripcion: 150, lineas: 40 },
  { opcionales: 15, descripcion: 120, lineas: 30 },
  { opcionales: 10, descripcion: 80, lineas: 20 },
  { opcionales: 5, descripcion: 60, lineas: 15 },
  { opcionales: 0, descripcion: 40, lineas: 10 },
  { opcionales: 0, descripcion: 0, lineas: 0 },
];

const section = (title: string, items: CardElement[]): CardElement => ({
  type: 'Container',
  separator: true,
  spacing: 'Medium',
  items: [textBlock(title, { weight: 'Bolder' }), ...items],
});

/** "**nombre** · tipo · obligatorio" and, below it, the description and the values. */
function itemLines(title: string, parts: readonly string[], descripcion: string | undefined, valores: readonly string[] | undefined, t: Texts, l: Limits): CardElement[] {
  // The last resort for a huge document names every field and nothing more.
  const detail = l.descripcion > 0 ? [plainText(descripcion, l.descripcion), valores?.length ? fill(t.valores, { valores: valuesText(valores) }) : ''].filter(Boolean).join(' ') : '';
  return [
    textBlock([`**${plainText(title, 120)}**`, ...parts].join(' · '), { spacing: 'Small' }),
    ...(detail ? [textBlock(detail, { isSubtle: true, spacing: 'None', size: 'Small' })] : []),
  ];
}

const parameterItems = (p: ParametroResumen, t: Texts, l: Limits) =>
  itemLines(p.nombre, [plainText(p.tipo, 80), t.ubicaciones[p.en], p.requerido ? t.obligatorio : t.opcional], p.descripcion, p.valores, t, l);

const fieldItems = (f: CampoResumen, t: Texts, l: Limits) => itemLines(f.nombre, [plainText(f.tipo, 80), f.requerido ? t.obligatorio : t.opcional], f.descripcion, f.valores, t, l);

/**
 * The example as code: Teams shows a CodeBlock; other hosts (Web Chat) use its fallback, a Markdown code
 * fence in monospace, which keeps the indentation and copies as real JSON.
 */
function exampleElements(ejemplo: string, json: boolean, t: Texts, l: Limits): CardElement[] {
  const lines = ejemplo.split('\n');
  const snippet = lines.length > l.lineas ? [...lines.slice(0, l.lineas), '…'].join('\n') : ejemplo;
  const longestTicks = Math.max(0, ...(snippet.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestTicks + 1));
  const cut = lines.length > l.lineas || ejemplo.endsWith('…');
  return [
    {
      type: 'CodeBlock',
      codeSnippet: snippet,
      language: json ? 'json' : 'plaintext',
      fallback: textBlock(`${fence}\n${snippet}\n${fence}`, { fontType: 'Monospace', size: 'Small' }),
    },
    ...(cut ? [textBlock(t.ejemploSigue, { isSubtle: true, size: 'Small' })] : []),
  ];
}

function bodyElements(r: OperacionResumen, t: Texts, l: Limits): CardElement[] {
  const c = r.cuerpo;
  if (!c) return [section(t.cuerpo, [textBlock(t.sinCuerpo)])];
  let optional = 0;
  const shown = c.campos.filter((f) => f.requerido || optional++ < l.opcionales);
  const hidden = c.campos.length - shown.length + (c.omitidos ?? 0);
  const items: CardElement[] = [textBlock(fill(t.contenido, { contentType: plainText(c.contentType, 100), requerido: c.requerido ? t.obligatorio : t.opcional }), { isSubtle: true, spacing: 'None' })];
  if (c.tipo) items.push(textBlock(fill(t.tipoCuerpo, { tipo: plainText(c.tipo, 120) }), { spacing: 'Small' }));
  if (!c.campos.length && !c.tipo) items.push(textBlock(t.sinCampos, { spacing: 'Small' }));
  items.push(...shown.flatMap((f) => fieldItems(f, t, l)));
  if (hidden > 0) items.push(textBlock(fill(t.masOpcionales, { n: hidden, uno: hidden === 1 }), { isSubtle: true, spacing: 'Small' }));
  const out = [section(t.cuerpo, items)];
  if (c.ejemplo && l.lineas > 0) out.push(section(t.ejemplo, exampleElements(c.ejemplo, /json/i.test(c.contentType), t, l)));
  return out;
}

function securityElements(r: OperacionResumen, t: Texts): CardElement[] {
  if (!r.seguridad.length) return [textBlock(t.sinSeguridad)];
  return r.seguridad.flatMap((s) => {
    const flows = s.tipo === 'oauth2' && s.flujos.length ? s.flujos : undefined;
    if (!flows) return [textBlock(securityLabel(s, t)[0]!, { weight: 'Bolder', spacing: 'Small' })];
    return flows.flatMap((f) => [
      textBlock(t.flujos[f.tipo] ?? t.esquemas.oauth2, { spacing: 'Small' }),
      // Label and value in one line each (a FactSet squeezes its labels letter by letter in Web Chat).
      ...(f.tokenUrl ? [textBlock(`**${t.urlToken}:** ${urlCode(plainText(f.tokenUrl, 300))}`, { spacing: 'None' })] : []),
      textBlock(`**${t.alcances}:** ${f.scopes.length ? f.scopes.map((x) => plainText(x, 80)).join(', ') : t.sinAlcances}`, { spacing: 'None' }),
    ]);
  });
}

function cardBody(r: OperacionResumen, servicio: Pick<ServicioWeb, 'id' | 'nombre' | 'version'>, t: Texts, l: Limits, link: string): CardElement[] {
  const about = plainText(r.descripcion ?? r.resumen, Math.max(l.descripcion + 100, 120));
  return [
    textBlock(fill(t.titulo, { metodo: r.metodo, id: servicio.id }), { weight: 'Bolder', size: 'Large' }),
    textBlock(fill(t.subtitulo, { nombre: plainText(servicio.nombre, 200), version: plainText(servicio.version, 40) }), { isSubtle: true, spacing: 'None' }),
    ...(about ? [textBlock(about, { spacing: 'Small' })] : []),
    textBlock(urlCode(callLine(r)), { spacing: 'Small' }),
    // The full page first: the card is long, and most people want the Swagger page.
    { type: 'ActionSet', spacing: 'Small', actions: [{ type: 'Action.OpenUrl', title: t.boton, url: link }] },
    section(t.parametros, r.parametros.length ? r.parametros.flatMap((p) => parameterItems(p, t, l)) : [textBlock(t.sinParametros)]),
    ...bodyElements(r, t, l),
    section(
      t.respuestas,
      r.respuestas.length
        ? r.respuestas.map((x, i) => textBlock(`**${plainText(x.codigo, 20)}** — ${plainText(x.descripcion, Math.max(l.descripcion, 80)) || '—'}`, { spacing: i ? 'None' : 'Small' }))
        : [textBlock(t.sinRespuestas)],
    ),
    section(t.seguridad, securityElements(r, t)),
  ];
}

/** The essentials in Markdown: the call, the parameters, the required fields, the responses, the security and the link. */
export function swaggerText(r: OperacionResumen, servicio: Pick<ServicioWeb, 'id' | 'nombre' | 'version'>, link: string): string {
  const t = texts();
  const x = t.texto;
  const parts = [fill(x['titulo']!, { metodo: r.metodo, id: servicio.id, nombre: plainText(servicio.nombre, 200), version: plainText(servicio.version, 40) }), code(callLine(r))];
  parts.push(
    r.parametros.length
      ? [x['parametros'], ...r.parametros.map((p) => fill(x['parametro']!, { nombre: code(p.nombre), ubicacion: t.ubicaciones[p.en], requerido: p.requerido ? t.obligatorio : t.opcional }))].join('\n')
      : x['sinParametros']!,
  );
  const c = r.cuerpo;
  if (c) {
    const required = c.campos.filter((f) => f.requerido);
    const optional = c.campos.length - required.length + (c.omitidos ?? 0);
    const names = required.slice(0, MAX_TEXT_FIELDS).map((f) => code(f.nombre));
    if (required.length > MAX_TEXT_FIELDS) names.push(fill(x['masObligatorios']!, { n: required.length - MAX_TEXT_FIELDS }));
    parts.push(
      [
        fill(x['cuerpo']!, { contentType: plainText(c.contentType, 100), requerido: c.requerido ? t.obligatorio : t.opcional }),
        required.length ? fill(x['obligatorios']!, { campos: names.join(', ') }) : x['sinObligatorios'],
        optional > 0 ? fill(x['opcionales']!, { n: optional, uno: optional === 1 }) : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  } else parts.push(x['sinCuerpo']!);
  if (r.respuestas.length) parts.push(fill(x['respuestas']!, { codigos: r.respuestas.map((y) => plainText(y.codigo, 20)).join(', ') }));
  parts.push(
    r.seguridad.length
      ? fill(x['seguridad']!, {
          detalle: r.seguridad
            .flatMap((s) =>
              s.tipo === 'oauth2' && s.flujos.length
                ? s.flujos.map((f) =>
                    [
                      t.flujos[f.tipo] ?? t.esquemas.oauth2,
                      f.tokenUrl ? fill(x['urlToken']!, { url: plainText(f.tokenUrl, 300) }) : '',
                      f.scopes.length ? fill(x['alcances']!, { alcances: f.scopes.map((y) => code(y)).join(', ') }) : '',
                    ]
                      .filter(Boolean)
                      .join(' — '),
                  )
                : securityLabel(s, t),
            )
            .join('; '),
        })
      : x['sinSeguridad']!,
  );
  parts.push(fill(x['enlace']!, { boton: t.boton, url: link.replace(/[()<>\s]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) }));
  return parts.join('\n\n');
}

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

/** The service's documentation summary as a chat message: the essentials as text, the card, a button to the full Swagger UI page. */
export function swaggerCard(r: OperacionResumen, servicio: Pick<ServicioWeb, 'id' | 'nombre' | 'version'>, link: string): Partial<Activity> {
  const t = texts();
  const text = swaggerText(r, servicio, link);
  const actions = [{ type: 'Action.OpenUrl', title: t.boton, url: link }];
  // The richest card that fits: fewer optional fields, shorter descriptions, a shorter example, until it does.
  let attachment = card(cardBody(r, servicio, t, LEVELS[0]!, link), actions, text);
  for (const level of LEVELS.slice(1)) {
    if (bytes(attachment.content) <= MAX_CARD_BYTES) break;
    attachment = card(cardBody(r, servicio, t, level, link), actions, text);
  }
  // Hundreds of required fields: the message's own text already carries the fallback.
  if (bytes(attachment.content) > MAX_CARD_BYTES) attachment = card(cardBody(r, servicio, t, LEVELS[LEVELS.length - 1]!, link), actions);
  return message(text, attachment);
}
