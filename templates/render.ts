/**
 * One place that turns a template key into text. Keys are paths under templates/es without the
 * extension: `render('general/bienvenida', data)` reads templates/es/general/bienvenida.hbs.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../domain/rules.js';

/** What every template may read besides its own data: the domain's rule numbers ({{reglas.sesionMinutos}}). */
const GLOBALS = Object.freeze({ reglas: RULES });
const withGlobals = (data: Record<string, unknown>) => ({ ...GLOBALS, ...data });

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'es');
const hbs = Handlebars.create();
const compiledText = new Map<string, Map<string, Handlebars.TemplateDelegate>>();
const compiledHtml = new Map<string, Map<string, Handlebars.TemplateDelegate>>();

hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerPartial('contactos', readFileSync(join(ROOT, 'general', 'contactos.hbs'), 'utf8'));
hbs.registerPartial('borrador-guardado', readFileSync(join(ROOT, 'general', 'borrador-guardado.hbs'), 'utf8').trim());
// Every e-mail's frame: {{#> correo-html titulo="…"}}body{{/correo-html}} and {{> correo-pie}} (templates/es/correo/partes).
hbs.registerPartial('correo-html', readFileSync(join(ROOT, 'correo', 'partes', 'base.html.hbs'), 'utf8'));
hbs.registerPartial('correo-pie', readFileSync(join(ROOT, 'correo', 'partes', 'pie.txt.hbs'), 'utf8'));
hbs.registerHelper('inc', (n: number) => n + 1);
// (concat "a" b "c"): a string built from parts (the last argument is Handlebars' options).
hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map((p) => String(p ?? '')).join(''));
// Text a person typed (or a masked address) shown in a Markdown chat message: no formatting, no links.
hbs.registerHelper('md', (v: unknown) => String(v ?? '').replace(/[\\`*_{}[\]()|<>~]/g, (c) => `\\${c}`));
hbs.registerHelper('json', (v: unknown) => new hbs.SafeString(JSON.stringify(v)));

/** A compiled template as handlebars' runtime builds it: `_setup` prepares its container for a render. */
export interface RuntimeTemplate {
  (context?: unknown, options?: Record<string, unknown>): string;
  _setup(options: Record<string, unknown>): unknown;
}

/**
 * `tpl`, prepared at its first top-level render and kept so. Handlebars' runtime prepares a template
 * at every top-level render: each helper wrapped again (a closure per helper), a new policy for
 * prototype access, its hooks; about 2 % of what a turn allocated. Here every render uses the same
 * environment (the helpers and partials above, registered once as this module loads; no render
 * passes options of its own), so what the first render prepared holds for the next. A render with
 * options (a partial's, prepared by its caller, or anyone's own) is prepared as usual, and the next
 * plain render prepares the template again.
 */
export function preparedOnce<T extends RuntimeTemplate>(tpl: T): T {
  const setup = tpl._setup;
  let prepared = false;
  tpl._setup = function (options: Record<string, unknown>) {
    let plain = true;
    for (const _ in options) {
      plain = false;
      break;
    }
    if (plain && prepared) return undefined;
    prepared = plain;
    return setup.call(this, options);
  };
  return tpl;
}

// Every template compiled here (files, catalog strings, partials) is built by this environment's `template`.
const template = hbs.template.bind(hbs);
hbs.template = ((spec: Parameters<typeof hbs.template>[0]) => preparedOnce(template(spec) as unknown as RuntimeTemplate)) as unknown as typeof hbs.template;

/**
 * The compiled template of a key and extension, HTML-escaping or not: looked up by extension, then
 * by key (no string built per render); compiled from its file the first time.
 */
function compile(key: string, ext: string, escape: boolean): Handlebars.TemplateDelegate {
  const byExt = escape ? compiledHtml : compiledText;
  let byKey = byExt.get(ext);
  if (!byKey) byExt.set(ext, (byKey = new Map()));
  let tpl = byKey.get(key);
  if (!tpl) {
    tpl = hbs.compile(readFileSync(fileFor(key, ext), 'utf8'), { noEscape: !escape, strict: false });
    if (byKey.size >= FILES_MAX) byKey.clear(); // a bound, should a key ever be built from input
    byKey.set(key, tpl);
  }
  return tpl;
}

/** Template key + extension → its file; keys are few and fixed, so each is checked and joined once. */
const files = new Map<string, string>();
const FILES_MAX = 5_000;

function fileFor(key: string, ext: string): string {
  const name = `${key}${ext}`;
  let file = files.get(name);
  if (file === undefined) {
    if (!/^[a-z0-9][a-z0-9/_-]*$/.test(key) || key.includes('..')) throw new Error(`bad template key: ${key}`);
    file = join(ROOT, name);
    if (files.size >= FILES_MAX) files.clear(); // a bound, should a key ever be built from input
    files.set(name, file);
  }
  return file;
}

/**
 * A time at the end of a sentence ("… a las 10:44 a. m." + ".") keeps one period, as Spanish writes
 * it: two would show as an ellipsis in the chat's Markdown ("a. m…").
 */
const oneFinalPeriod = (text: string): string => (text.includes('m..') ? text.replace(/\b([ap])\. m\.\.(?!\.)/g, '$1. m.') : text);

/** Renders a chat / plain-text template (`<key>.hbs`), trimmed, without HTML escaping. */
export function render(key: string, data: Record<string, unknown> = {}): string {
  return oneFinalPeriod(compile(key, '.hbs', false)(withGlobals(data)).trim());
}

/** Renders an HTML template (`<key>.html.hbs`) with HTML escaping. */
export function renderHtml(key: string, data: Record<string, unknown> = {}): string {
  return compile(key, '.html.hbs', true)(withGlobals(data));
}

/** Renders a template with an explicit extension (e.g. `.txt.hbs`, `.asunto.hbs`, `.card.hbs`), no escaping. */
export function renderFile(key: string, ext: string, data: Record<string, unknown> = {}): string {
  return oneFinalPeriod(compile(key, ext, false)(withGlobals(data)).trim());
}

const jsonCache = new Map<string, unknown>();
const stringCache = new Map<string, Handlebars.TemplateDelegate>();

/** Reads a JSON message catalog (`<key>.json`), e.g. a form's labels, questions and help. */
export function messages<T = Record<string, unknown>>(key: string): T {
  let catalog = jsonCache.get(key);
  if (catalog === undefined) {
    catalog = JSON.parse(readFileSync(fileFor(key, '.json'), 'utf8')) as unknown;
    if (jsonCache.size >= FILES_MAX) jsonCache.clear();
    jsonCache.set(key, catalog);
  }
  return catalog as T;
}

/** Renders one catalog string as a handlebars template (no HTML escaping: chat text). */
export function fill(template: string, data: Record<string, unknown> = {}): string {
  // Most catalog strings have no expression: handed back as written, no template compiled and kept for each.
  if (!template.includes('{{')) return oneFinalPeriod(template.trim());
  let tpl = stringCache.get(template);
  if (!tpl) {
    tpl = hbs.compile(template, { noEscape: true });
    stringCache.set(template, tpl);
  }
  return oneFinalPeriod(tpl(withGlobals(data)).trim());
}
