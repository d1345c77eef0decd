/**
 * The documentation card of a service (dialogs/servicios/swagger-card.ts): for every shipped example
 * document, the card and the text name what a CCF needs to call the service; text from the document
 * never brings HTML; big documents keep every required field and stay under Teams' size limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { summarizeOperation, type OperacionResumen } from '../../domain/openapi-resumen.js';
import type { HttpMethod } from '../../domain/servicios-web.js';
import { openApiReader } from '../../storage/openapi.js';
import { EXAMPLE_SERVICES_DIR } from '../../storage/reference/servicios.js';
import { fill, messages } from '../../templates/render.js';
import { plainText, swaggerCard } from './swagger-card.js';

type Texts = Record<string, string> & { texto: Record<string, string>; ubicaciones: Record<string, string> };
const T = messages<Texts>('servicios/swagger');

const LINK = 'https://asistente.example/servicios/documentacion/SolicitudAfiliacion?firma=abc.def-123';
const TOKEN_URL = 'https://auth.sat.example/oauth2/token';
const MAX_BYTES = 24 * 1024;

const FILES = ['consulta-afiliacion.json', 'consulta-beneficiarios.yaml', 'consulta-subsidio-cuota-monetaria.yaml', 'reporte-novedad.json', 'retiro-afiliado.yaml', 'solicitud-afiliacion.yaml'];

async function shipped(file: string): Promise<{ r: OperacionResumen; id: string }> {
  const read = await openApiReader().read(new Uint8Array(readFileSync(join(EXAMPLE_SERVICES_DIR, file))));
  if (!read.ok) throw new Error(file);
  const op = read.value.operaciones[0]!;
  const r = summarizeOperation(read.value.json, op.metodo as HttpMethod, op.ruta);
  if (!r.ok) throw new Error(file);
  return { r: r.value, id: op.operationId! };
}

function summary(doc: unknown, metodo: HttpMethod = 'POST', ruta = '/x'): OperacionResumen {
  const r = summarizeOperation(JSON.stringify(doc), metodo, ruta);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

type Card = { body: unknown[]; actions: Record<string, unknown>[]; fallbackText?: string };
const cardOf = (a: Partial<Activity>) => a.attachments![0]!.content as Card;
const sizeOf = (a: Partial<Activity>) => new TextEncoder().encode(JSON.stringify(cardOf(a))).length;

/** Every text a person can read on the card, in order. */
function cardTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => cardTexts(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && ['text', 'title', 'value', 'codeSnippet'].includes(k)) out.push(v);
      else if (k !== 'fallbackText') cardTexts(v, out);
    }
  }
  return out;
}

const servicio = (id: string) => ({ id, nombre: 'Servicio de prueba', version: '1.0.0' });

describe.each(FILES)('the card of %s', (file) => {
  it('names the call, every parameter, every required field, every response, the token URL and links to Swagger', async () => {
    const { r, id } = await shipped(file);
    const a = swaggerCard(r, servicio(id), LINK);
    const texts = cardTexts(cardOf(a).body);
    expect(texts[0]).toBe(`${r.metodo} ${id}`);
    expect(texts).toContain(`\`${r.metodo} https://api.sat.example/v1${r.ruta}\``); // as code: never a clickable link
    for (const p of r.parametros) expect(texts.some((t) => t.startsWith(`**${p.nombre}** · `) && t.includes(T.ubicaciones[p.en]!))).toBe(true);
    const required = r.cuerpo?.campos.filter((f) => f.requerido) ?? [];
    if (r.metodo === 'POST') expect(required.length).toBeGreaterThan(5);
    for (const f of required) expect(texts).toContain(`**${f.nombre}** · ${f.tipo} · ${T['obligatorio']}`);
    for (const x of r.respuestas) expect(texts.some((t) => t.startsWith(`**${x.codigo}** — `))).toBe(true);
    expect(r.respuestas.length).toBeGreaterThanOrEqual(7);
    expect(texts).toContain(`**${T['urlToken']}:** \`${TOKEN_URL}\``);
    expect(texts.join('\n')).toContain(r.seguridad[0]!.flujos[0]!.scopes[0]);
    // No FactSet: Web Chat squeezes its labels letter by letter.
    expect(JSON.stringify(cardOf(a))).not.toContain('FactSet');
    expect(cardOf(a).actions).toEqual([{ type: 'Action.OpenUrl', title: T['boton'], url: LINK }]);
    // The same button near the top, before the long body.
    const top = (cardOf(a).body as { type: string; actions?: unknown[] }[]).findIndex((e) => e.type === 'ActionSet');
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(6);
    expect((cardOf(a).body as { actions?: unknown[] }[])[top]!.actions).toEqual([{ type: 'Action.OpenUrl', title: T['boton'], url: LINK }]);
    expect(sizeOf(a)).toBeLessThan(MAX_BYTES);
  });

  it('the message text carries the same essentials in Markdown, with the link', async () => {
    const { r, id } = await shipped(file);
    const a = swaggerCard(r, servicio(id), LINK);
    const text = a.text!;
    expect(text).toContain(`**${r.metodo} ${id}**`);
    for (const p of r.parametros) expect(text).toContain(`\`${p.nombre}\``);
    for (const f of r.cuerpo?.campos.filter((x) => x.requerido) ?? []) expect(text).toContain(`\`${f.nombre}\``);
    expect(text).toContain(r.respuestas.map((x) => x.codigo).join(', '));
    expect(text).toContain(TOKEN_URL);
    expect(text).toContain(`(${LINK})`);
    expect(cardOf(a).fallbackText).toBe(text);
  });
});

it('a body shows its content type, its example as code (monospace where CodeBlock is unknown) and counts nothing hidden', async () => {
  const { r, id } = await shipped('solicitud-afiliacion.yaml');
  const a = swaggerCard(r, servicio(id), LINK);
  const json = JSON.stringify(cardOf(a));
  expect(cardTexts(cardOf(a).body)).toContain(fill(T['contenido']!, { contentType: 'application/json', requerido: T['obligatorio'] }));
  const code = (cardOf(a).body as Record<string, any>[]).flatMap((s) => s['items'] ?? []).find((e: Record<string, any>) => e['type'] === 'CodeBlock');
  expect(code.codeSnippet).toBe(r.cuerpo!.ejemplo);
  expect(JSON.parse(code.codeSnippet)).toMatchObject({ codigoCcf: 'CCF04', tipoAfiliado: 'DEPENDIENTE' });
  expect(code.fallback).toMatchObject({ type: 'TextBlock', fontType: 'Monospace' });
  expect(code.fallback.text).toBe(`\`\`\`\n${r.cuerpo!.ejemplo}\n\`\`\``);
  // Every optional field fits: none is announced as left out.
  for (const f of r.cuerpo!.campos.filter((x) => !x.requerido)) expect(json).toContain(`**${f.nombre}** · `);
  const [before, after] = fill(T['masOpcionales']!, { n: '§', uno: false }).split('§') as [string, string];
  expect(cardTexts(cardOf(a).body).filter((t) => t.startsWith(before) && t.endsWith(after))).toEqual([]);
});

it('a GET without a body says so in one short line, in the card and in the text', async () => {
  const { r, id } = await shipped('consulta-beneficiarios.yaml');
  const a = swaggerCard(r, servicio(id), LINK);
  expect(cardTexts(cardOf(a).body)).toContain(T['sinCuerpo']);
  expect(a.text).toContain(T.texto['sinCuerpo']);
  expect(JSON.stringify(cardOf(a))).not.toContain('CodeBlock');
});

it('a service without parameters, responses or security says so', () => {
  const r = summary({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: { '/x': { get: { responses: {} } } } }, 'GET');
  const a = swaggerCard(r, servicio('Vacio'), LINK);
  const texts = cardTexts(cardOf(a).body);
  expect(texts).toEqual(expect.arrayContaining([T['sinParametros'], T['sinCuerpo'], T['sinRespuestas'], T['sinSeguridad']]));
  expect(texts).toContain('`GET /x`');
  expect(a.text).toContain(T.texto['sinParametros']);
  expect(a.text).toContain(T.texto['sinSeguridad']);
});

describe('text from the document', () => {
  const hostile = {
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: {
      '/x': {
        post: {
          description: 'Radica <script>alert("x")</script>la <b>solicitud</b> <img src=x onerror="alert(1)"> y [más](javascript:alert(1)) &amp; listo',
          parameters: [{ name: 'q', in: 'query', description: '<a href="https://malo.example">aquí</a> <iframe src="https://malo.example"></iframe>', schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['campo'], properties: { campo: { type: 'string', description: `<p>Uno</p>\n\n<p>dos</p>   ${'largo '.repeat(100)}`, enum: ['<b>A</b>', 'B'] } } } } },
          },
          responses: { '200': { description: '<h1>Bien</h1>' } },
        },
      },
    },
  };

  it('never brings HTML, Markdown links or long descriptions to the card or the text', () => {
    const a = swaggerCard(summary(hostile), servicio('Hostil'), LINK);
    // The example is code (a CodeBlock, a Markdown fence): shown literally, it stays as the document wrote it.
    const all = `${cardTexts(cardOf(a).body).filter((t) => !t.startsWith('{') && !t.startsWith('```')).join('\n')}\n${a.text}\n${JSON.stringify(cardOf(a).actions)}`;
    for (const bad of ['<script', '</script', '<b>', '<img', 'onerror', 'javascript:', '<a ', '<iframe', '<p>', '<h1>', 'malo.example']) expect(all).not.toContain(bad);
    const texts = cardTexts(cardOf(a).body);
    expect(texts).toContain('Radica la solicitud y más & listo');
    expect(texts.some((t) => t.startsWith('aquí'))).toBe(true);
    const campo = texts.find((t) => t.startsWith('Uno dos largo'))!;
    expect(campo.length).toBeLessThanOrEqual(200 + ' Valores: A, B'.length);
    expect(campo).toContain('… ');
    expect(texts).toContain('**200** — Bien');
  });

  it.each([
    ['<b>negrita</b> normal', 'negrita normal'],
    ['línea\n\n  otra\tmás', 'línea otra más'],
    ['a < b y c > d', 'a < b y c > d'],
    ['<scr<script>ipt>alert(1)</script>', 'scr'],
    ['sin cierre <script', 'sin cierre'],
    ['<SCRIPT >x</SCRIPT > fin', 'fin'],
    ['[texto](https://x.example/a_(b)) y [otro](javascript:alert(1) "t")', 'texto y otro'],
    ['![logo](https://x.example/l.png) y [enlace](https://x.example)', 'logo y enlace'],
    ['&lt;b&gt; queda como texto', '&lt;b&gt; queda como texto'],
  ])('plainText(%j) is %j', (input, expected) => {
    expect(plainText(input)).toBe(expected);
  });

  it('cuts at the limit with "…"', () => {
    expect(plainText('x'.repeat(300))).toHaveLength(200);
    expect(plainText('x'.repeat(300)).endsWith('…')).toBe(true);
  });
});

describe('a big document', () => {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (let i = 0; i < 50; i++) {
    properties[`obligatorio${i}`] = { type: 'string', description: `Campo obligatorio número ${i}: ${'una descripción larga '.repeat(12)}`, enum: ['UNO', 'DOS', 'TRES'] };
    required.push(`obligatorio${i}`);
  }
  for (let i = 0; i < 60; i++) properties[`opcional${i}`] = { type: 'string', description: 'x'.repeat(150) };
  const doc = {
    openapi: '3.1.0',
    info: { title: 'T', version: '1' },
    paths: { '/x': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', required, properties } } } }, responses: { '201': { description: 'Creado' } } } } },
  };

  it('keeps every required field named, says how many optional ones are left out and stays under the size limit', () => {
    const r = summary(doc);
    const a = swaggerCard(r, servicio('Grande'), LINK);
    const texts = cardTexts(cardOf(a).body);
    for (const name of required) expect(texts.some((t) => t.startsWith(`**${name}** · `))).toBe(true);
    for (const name of required) expect(a.text).toContain(`\`${name}\``);
    const shownOptional = texts.filter((t) => /^\*\*opcional\d+\*\* · /.test(t)).length;
    const hidden = 60 - shownOptional;
    expect(hidden).toBeGreaterThan(0);
    // What fits is kept: shortened descriptions, the fallback text.
    expect(texts.some((t) => t.startsWith('Campo obligatorio número 0:') && t.includes('…'))).toBe(true);
    expect(cardOf(a).fallbackText).toBe(a.text);
    expect(texts).toContain(fill(T['masOpcionales']!, { n: hidden, uno: false }));
    expect(sizeOf(a)).toBeLessThan(MAX_BYTES);
    expect(new TextEncoder().encode(JSON.stringify(a)).length).toBeLessThan(28 * 1024);
  });
});
