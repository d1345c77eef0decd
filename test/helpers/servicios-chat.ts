/**
 * Step 5's end-to-end tests: the activation chain up to the Ministry's assignment, all through the
 * chat over HTTP (Direct Line), as the back-office journey does it. José (RL of COMFAMA) registers the
 * employer role naming María; María authorizes Andrés; Andrés and Carlos (CE 654321, an Administrador
 * MinSalud when the app runs with STAFF_ADMINS=CE:654321) register; Carlos activates COMFAMA's CCF
 * role and assigns services, reading each Client ID from the chat.
 */
import { expect } from 'vitest';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { ANDRES_EMAIL, authorizeAndresByMaria, MARIA_EMAIL, registerComfamaWithMaria } from './autorizados.js';
import { loginChat, newChat, registerAndActivate } from './chat-people.js';
import type { DirectLineClient, DlActivity } from './directline-client.js';

export const PASSWORD = 'Guayacan-Florido-2026';
export const JOSE_EMAIL = 'jose.restrepo@correo.com';
export const CARLOS_EMAIL = 'carlos.briceno@correo.com';
/** STAFF_ADMINS for the app: Carlos is the Ministry's administrator. */
export const STAFF_ENV = { STAFF_ADMINS: 'CE:654321' } as const;

/** Client IDs by service identifier, as the chat showed them to the Ministry. */
export type ClientIds = ReadonlyMap<string, string>;

/** Everyone of COMFAMA's chain up to step 3 registered and active, and Carlos registered (the Ministry). */
export async function comfamaUpToStep3(baseUrl: string, dataDir: string): Promise<void> {
  const p = EXAMPLE_PERSONS;
  await registerAndActivate(baseUrl, dataDir, p.rlComfama, JOSE_EMAIL, PASSWORD);
  await registerComfamaWithMaria(baseUrl, PASSWORD);
  await registerAndActivate(baseUrl, dataDir, p.delegateComfama, MARIA_EMAIL, PASSWORD);
  await authorizeAndresByMaria(baseUrl, PASSWORD);
  await registerAndActivate(baseUrl, dataDir, p.authorizedComfama, ANDRES_EMAIL, PASSWORD);
  await registerAndActivate(baseUrl, dataDir, p.citizenCe, CARLOS_EMAIL, PASSWORD);
}

/** Carlos logs in and acts as "Administrador MinSalud"; the chat is at the Ministry's menu. */
export async function ministryChat(baseUrl: string): Promise<DirectLineClient> {
  const admin = await newChat(baseUrl);
  await loginChat(admin, EXAMPLE_PERSONS.citizenCe, PASSWORD, 'en que rol desea actuar');
  await admin.send('Administrador MinSalud');
  await admin.waitFor('ahora actua como administrador minsalud');
  return admin;
}

/** "Activar o desactivar rol CCF" → the CCF (`caja`, as typed) → "Activar el rol" with a reason → confirmed. */
export async function activateCcfRole(admin: DirectLineClient, caja: string): Promise<void> {
  await admin.converse([
    ['Activar o desactivar rol CCF', 'cual caja de compensacion familiar'],
    [caja, 'activar el rol'],
    ['Activar el rol', 'motivo'],
    ['Cadena de activación completa, verificada por la Dirección de Aseguramiento', 'activa el rol caja de compensacion familiar de'],
  ]);
  await admin.send('Sí, confirmar');
  const done = await admin.waitFor('que desea hacer');
  expect(done).toContain('quedo activo');
}

/**
 * "Asignar servicios a una Caja" → the CCF (`caja`, as typed) → "Asignar servicios" → the services by
 * their numbers in the list → confirmed; returns the Client IDs the chat showed.
 */
export async function assignInChat(admin: DirectLineClient, caja: string, servicios: readonly string[]): Promise<ClientIds> {
  await admin.converse([
    ['Asignar servicios a una Caja', 'cual caja de compensacion familiar'],
    [caja, 'que desea hacer'],
    ['Asignar servicios', 'que servicios asigna a'],
  ]);
  const list = textOf(admin.lastBotActivities);
  const numbers = servicios.map((s) => {
    const m = new RegExp(`^(\\d+)\\. \\w+ ${s} — `, 'm').exec(list);
    expect(m, `${s} in the list:\n${list}`).not.toBeNull();
    return m![1];
  });
  await admin.send(numbers.join(', '));
  await admin.waitFor('asigna a');
  await admin.send('Sí, confirmar');
  await admin.waitFor('que desea hacer');
  const done = textOf(admin.lastBotActivities);
  const ids = new Map([...done.matchAll(/\*\*(\w+)\*\*: asignado, Client ID `([^`]+)`/g)].map((m) => [m[1]!, m[2]!] as const));
  expect([...ids.keys()].sort()).toEqual([...servicios].sort());
  // Out of this CCF's assignments, back to the Ministry's options.
  await admin.send('Volver');
  await admin.waitFor('que desea hacer');
  return ids;
}

/**
 * From scratch to step 5: the chain up to step 3, then Carlos activates COMFAMA's CCF role and assigns
 * it `comfama`; with `otra`, he also assigns those services to another CCF (whose role stays inactive).
 */
export async function chainToAssignment(
  baseUrl: string,
  dataDir: string,
  comfama: readonly string[],
  otra?: { readonly caja: string; readonly servicios: readonly string[] },
): Promise<{ comfama: ClientIds; otra?: ClientIds }> {
  await comfamaUpToStep3(baseUrl, dataDir);
  const admin = await ministryChat(baseUrl);
  await activateCcfRole(admin, 'comfama');
  const ids = await assignInChat(admin, 'comfama', comfama);
  if (!otra) return { comfama: ids };
  return { comfama: ids, otra: await assignInChat(admin, otra.caja, otra.servicios) };
}

/** The raw text of bot messages (Markdown kept, accents kept). */
export function textOf(activities: readonly DlActivity[]): string {
  return activities.map((a) => a.text ?? '').join('\n');
}

/** The cards' text fallbacks (what a plain-text channel shows), joined. */
export function fallbackOf(activities: readonly DlActivity[]): string {
  return activities.flatMap((a) => (a.attachments ?? []).map((att) => (att.content as { fallbackText?: string } | undefined)?.fallbackText ?? '')).join('\n');
}

/** The titles of the buttons of the last turn: suggested actions and card buttons. */
export function offered(dl: DirectLineClient): string[] {
  const titles: string[] = [];
  for (const a of dl.lastBotActivities as (DlActivity & { suggestedActions?: { actions?: { title: string }[] } })[]) {
    for (const x of a.suggestedActions?.actions ?? []) titles.push(x.title);
    for (const att of a.attachments ?? []) for (const b of (att.content as { buttons?: { title: string }[] } | undefined)?.buttons ?? []) titles.push(b.title);
  }
  return titles;
}

/** Every Adaptive Card element of the last turn's attachments, depth first. */
export function cardElements(activities: readonly DlActivity[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (typeof o['type'] === 'string') out.push(o);
    for (const v of Object.values(o)) walk(v);
  };
  for (const a of activities) for (const att of a.attachments ?? []) walk(att.content);
  return out;
}

/** The URL of the card's first Action.OpenUrl titled `title`. */
export function openUrlOf(activities: readonly DlActivity[], title: string): string | undefined {
  return openUrlsOf(activities, title)[0];
}

/** The URLs of every Action.OpenUrl titled `title` (in an ActionSet of the body or among the card's actions), in card order. */
export function openUrlsOf(activities: readonly DlActivity[], title: string): string[] {
  return cardElements(activities)
    .filter((e) => e['type'] === 'Action.OpenUrl' && e['title'] === title)
    .map((e) => e['url'] as string);
}

/** A value as the person reads it: the backticks of a code span (a URL, a route, a Client ID) removed. */
const unCode = (v: string): string => v.trim().replace(/`([^`]*)`/g, '$1');

/**
 * The facts of the cards, label → value: each TextBlock "**Label:** value" (the value without the
 * backticks of its code spans), and each response line "**201** — description" (code → description).
 */
export function factsOf(activities: readonly DlActivity[]): Map<string, string> {
  const facts = new Map<string, string>();
  for (const e of cardElements(activities)) {
    if (e['type'] !== 'TextBlock' || typeof e['text'] !== 'string') continue;
    const m = /^\*\*([^*]+?):\*\*\s+([\s\S]*)$/.exec(e['text']) ?? /^\*\*([^*]+?)\*\*\s+—\s+([\s\S]*)$/.exec(e['text']);
    if (m) facts.set(m[1]!.trim(), unCode(m[2]!));
  }
  return facts;
}
