/**
 * "¿En qué voy?" shown to people: the activation checklist (domain/checklist.ts) as an Adaptive Card.
 * The message text carries the essentials (each CCF's steps, who is pending, the next action) so a
 * plain-text channel works; the card's fallback is the complete text. Words: templates/es/estado.
 *
 * Use: `checklistActivity(checklist({ ...await loadChecklistFacts(deps, citizenId), actuaComo }, now))`.
 */
import type { Activity } from 'botbuilder';
import type { CcfChecklist, Checklist, ChecklistStep, NextAction, Registration, StepStatus, Who } from '../domain/checklist.js';
import { formatNit } from '../domain/nit.js';
import { fill, messages } from '../templates/render.js';
import { card, message, textBlock, type CardElement } from './cards.js';
import { formatTime, titleCase } from './format.js';

interface Texts {
  titulo: string;
  /** The title of the helpdesk's view of someone else's checklist ("¿En qué voy?" is the person's own question). */
  tituloTercero: string;
  persona: string;
  personaTercero: string;
  sinNombre: string;
  actuaComo: Record<string, string>;
  caja: string;
  como: string;
  rolesY: string;
  pasos: Record<string, string>;
  pasosCortos: Record<string, string>;
  estados: Record<StepStatus, string>;
  iconos: Record<StepStatus, string>;
  paso: string;
  pasoCorto: string;
  espera: string;
  fechaHora: string;
  roles: Record<string, string>;
  quien: { usted: string; soloUsted: string; nombrado: string; ministerio: string; generico: Record<string, string>; o: string; y: string };
  registro: Record<string, string>;
  detalle: Record<string, string>;
  siguienteTitulo: string;
  entrada: string;
  entradaTercero: string;
  siguiente: Record<string, string>;
  /** What the person looking may do meanwhile (NextAction.mientras). */
  mientras: Record<string, string>;
  otraEmpresa: string;
  estadosRol: Record<string, string>;
  resumenCaja: string;
  falta: string;
  prueba: { exito: string; fallo: string };
  faltaPaso5: Record<string, string>;
}

export interface ChecklistView {
  /** Third person, for the helpdesk and the back office: nobody is "usted". */
  readonly tercero?: boolean;
}

interface Ctx {
  readonly t: Texts;
  readonly tercero: boolean;
  readonly year: string;
}

const ZONE = 'America/Bogota';
const yearOf = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: ZONE });
// ICU writes "3/12" for es-CO even with '2-digit': the parts are put together here.
const parts = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: ZONE });

/** "03/12" in Bogotá time; "30/11/2025" when not this year. */
function date(iso: string | undefined, c: Ctx): string | undefined {
  if (!iso) return undefined;
  const p = Object.fromEntries(parts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  const dm = `${p['day']!.padStart(2, '0')}/${p['month']!.padStart(2, '0')}`;
  return p['year'] === c.year ? dm : `${dm}/${p['year']}`;
}

const cap = (s: string): string => s.charAt(0).toLocaleUpperCase('es-CO') + s.slice(1);

/** "María Fernanda Peña (delegada)", "usted (representante legal)", "el Ministerio de Salud". */
function who(w: Who, c: Ctx): string {
  if (w.tipo === 'ministerio') return c.t.quien.ministerio;
  const rol = c.t.roles[`${w.rol}${w.sexo === 'F' ? '_f' : ''}`] ?? c.t.roles[w.rol] ?? w.rol;
  if (w.usted && !c.tercero) return w.rol === 'ciudadano' ? c.t.quien.soloUsted : fill(c.t.quien.usted, { rol });
  if (w.nombre) return w.rol === 'ciudadano' ? titleCase(w.nombre) : fill(c.t.quien.nombrado, { nombre: titleCase(w.nombre), rol });
  return c.t.quien.generico[w.rol] ?? rol;
}

const whoList = (ws: readonly Who[], c: Ctx, sep: 'o' | 'y'): string => ws.map((w) => who(w, c)).join(c.t.quien[sep]);

function registrationLine(r: Registration, c: Ctx): string {
  const hasta = r.hasta ? fill(c.t.fechaHora, { fecha: date(r.hasta, c), hora: formatTime(r.hasta) }) : undefined;
  const what = fill(c.t.registro[r.situacion] ?? '', { fecha: date(r.fecha, c), hasta, femenina: r.quien.tipo === 'persona' && r.quien.sexo === 'F' });
  return `${cap(who(r.quien, c))}: ${what}.`;
}

/** "○ 3. Administrar autorizados — pendiente (después del paso 2)"; the card shows the icon in its own column. */
function stepHeader(s: ChecklistStep, c: Ctx, icono = true): string {
  const header = fill(c.t.paso, { icono: icono ? c.t.iconos[s.estado] : '', numero: s.paso, titulo: c.t.pasos[s.paso], estado: c.t.estados[s.estado] });
  return s.espera && s.estado === 'pendiente' ? `${header} ${fill(c.t.espera, { paso: s.espera })}` : header;
}

/** The lines under a step's header: each person's registration (step 1), or one sentence. */
function stepDetail(s: ChecklistStep, c: Ctx): string[] {
  if (s.personas) return s.personas.map((r) => registrationLine(r, c));
  const quien = whoList(s.quien, c, s.estado === 'hecho' ? 'y' : 'o');
  return [cap(fill(c.t.detalle[s.situacion] ?? '', { quien, fecha: date(s.fecha, c), motivo: s.motivo, servicios: s.servicios, nombresServicios: s.nombresServicios?.join(', '), versiones: s.versiones, vistos: s.vistos?.join(', '), faltan: s.faltan?.map((f) => c.t.faltaPaso5[f]).join(c.t.rolesY), completos: s.compartidos?.completos, compartidos: s.compartidos?.nombres?.join(', '), prueba: testLine(s, c), clave: date(s.claveAsignadaEn, c) }))];
}

/** "AfiliadosComfama, el 30/11/2026 a las 10:42: funcionó" — the last Probar conexión of step 5. */
function testLine(s: ChecklistStep, c: Ctx): string | undefined {
  const p = s.compartidos?.ultimaPrueba;
  return p ? fill(c.t.prueba[p.exito ? 'exito' : 'fallo'], { servicio: p.servicio, fecha: date(p.en, c), hora: formatTime(p.en) }) : undefined;
}

function nextText(n: NextAction, c: Ctx): string {
  const first = n.quien[0];
  const fecha = n.accion === 'esperar_bloqueo' && n.fecha ? fill(c.t.fechaHora, { fecha: date(n.fecha, c), hora: formatTime(n.fecha) }) : date(n.fecha, c);
  const meanwhile = n.mientras && !c.tercero ? ` ${c.t.mientras[n.mientras]}` : '';
  return (
    cap(
      fill(c.t.siguiente[n.accion] ?? '', {
        quien: whoList(n.quien, c, 'o'),
        fecha,
        motivo: n.motivo,
        razonSocial: n.razonSocial,
        femenina: first?.tipo === 'persona' && first.sexo === 'F',
        usted: first?.tipo === 'persona' && first.usted && !c.tercero,
        pruebaFallida: n.pruebaFallida,
      }),
    ) + meanwhile
  );
}

const titleOf = (c: Ctx): string => (c.tercero ? c.t.tituloTercero : c.t.titulo);

function header(r: Checklist, c: Ctx): string {
  const nombre = r.persona.nombre ? titleCase(r.persona.nombre) : c.t.sinNombre;
  if (c.tercero) return fill(c.t.personaTercero, { nombre });
  const a = r.actuaComo;
  return fill(c.t.persona, { nombre, rol: a ? fill(c.t.actuaComo[a.tipo] ?? a.tipo, { razonSocial: 'razonSocial' in a ? a.razonSocial : '', sigla: a.tipo === 'ccf' ? a.sigla : undefined }) : undefined });
}

const cajaName = (k: CcfChecklist, c: Ctx): string => fill(c.t.caja, { razonSocial: k.razonSocial, nit: formatNit(k.nit, k.dv) });

function comoLine(k: CcfChecklist, persona: Checklist['persona'], c: Ctx): string | undefined {
  if (!k.como.length) return undefined;
  const roles = k.como.map((rol) => c.t.roles[`${rol}${persona.sexo === 'F' ? '_f' : ''}`] ?? c.t.roles[rol]).join(c.t.rolesY);
  return fill(c.t.como, { roles });
}

const otherLines = (r: Checklist, c: Ctx): string[] =>
  r.otrasEmpresas.map((e) => fill(c.t.otraEmpresa, { razonSocial: e.razonSocial, nit: formatNit(e.nit, e.dv), estado: c.t.estadosRol[e.estado] }));

function ctxOf(r: Checklist, view: ChecklistView): Ctx {
  return { t: messages<Texts>('estado/checklist'), tercero: view.tercero === true, year: yearOf.format(new Date(r.generadoEn)) };
}

/** The complete checklist as Markdown text (the card's fallback; also for transcripts and the helpdesk). */
export function checklistText(r: Checklist, view: ChecklistView = {}): string {
  const c = ctxOf(r, view);
  const parts = [`**${titleOf(c)}** — ${header(r, c)}`];
  if (r.cajas.length === 0) parts.push(`${stepHeader({ paso: 1, estado: r.registro.estado, situacion: r.registro.situacion, quien: [] }, c)}\n\n${registrationLine(r.registro, c)}`);
  for (const k of r.cajas) {
    const lines = [`**${cajaName(k, c)}**`, comoLine(k, r.persona, c)].filter(Boolean);
    for (const s of k.pasos) lines.push(`${stepHeader(s, c)}\n${stepDetail(s, c).map((l) => `- ${l}`).join('\n')}`);
    lines.push(`**${c.t.siguienteTitulo}:** ${nextText(k.siguiente, c)}`);
    parts.push(lines.join('\n\n'));
  }
  parts.push(...otherLines(r, c));
  if (r.cajas.length === 0) parts.push(`**${c.t.siguienteTitulo}:** ${nextText(r.siguiente, c)}`);
  return parts.join('\n\n');
}

/**
 * The one step that is missing and who must act, in a sentence: for a CCF (by NIT) when the person
 * takes part in its chain, otherwise the person's own next step ("Falta el paso 4: … El Ministerio…").
 */
export function missingStepText(r: Checklist, caja?: { nit: string; razonSocial: string }): string {
  const c = ctxOf(r, {});
  const k = caja ? r.cajas.find((x) => x.nit === caja.nit) : r.registro.estado === 'hecho' ? r.cajas[0] : undefined;
  // A CCF the person acts for but no longer takes part in (their authorization was revoked): step 3 for them.
  const next: NextAction =
    k?.siguiente ?? (caja && r.registro.estado === 'hecho' ? { accion: 'pedir_autorizacion', paso: 3, quien: [], razonSocial: caja.razonSocial } : r.siguiente);
  return fill(c.t.falta, { numero: next.paso, titulo: c.t.pasos[next.paso], siguiente: nextText(next, c) });
}

/** The essentials in a few lines: each CCF's steps in one line, who is pending in step 1, the next action. */
function essentials(r: Checklist, c: Ctx): string {
  const parts = [`**${titleOf(c)}** — ${header(r, c)}`];
  if (r.registro.estado !== 'hecho' || r.cajas.length === 0) parts.push(registrationLine(r.registro, c));
  for (const k of r.cajas) {
    const pasos = k.pasos.map((s) => fill(c.t.pasoCorto, { icono: c.t.iconos[s.estado], titulo: c.t.pasosCortos[s.paso], estado: c.t.estados[s.estado] })).join(' · ');
    const waiting = (k.pasos[0].personas ?? []).filter((p) => p.estado !== 'hecho' && p.situacion !== 'por_autorizar' && p.situacion !== 'por_designar');
    parts.push([fill(c.t.resumenCaja, { caja: k.sigla ?? k.razonSocial, pasos }), ...waiting.map((p) => `- ${registrationLine(p, c)}`)].join('\n\n'));
    parts.push(`**${c.t.siguienteTitulo}:** ${nextText(k.siguiente, c)}`);
  }
  parts.push(...otherLines(r, c));
  if (r.cajas.length === 0) parts.push(`**${c.t.siguienteTitulo}:** ${nextText(r.siguiente, c)}`);
  return parts.join('\n\n');
}

const COLORS: Record<StepStatus, string> = { hecho: 'Good', pendiente: 'Default', en_revision: 'Warning', bloqueado: 'Attention' };

function stepElement(s: ChecklistStep, c: Ctx): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: 'auto', items: [textBlock(c.t.iconos[s.estado], { color: COLORS[s.estado] })] },
      {
        type: 'Column',
        width: 'stretch',
        items: [
          textBlock(stepHeader(s, c, false), { weight: 'Bolder', color: COLORS[s.estado] }),
          ...stepDetail(s, c).map((l) => textBlock(l, { isSubtle: true, spacing: 'None' })),
        ],
      },
    ],
  };
}

const nextElement = (n: NextAction, c: Ctx): CardElement => ({
  type: 'Container',
  style: 'emphasis',
  spacing: 'Medium',
  items: [textBlock(c.t.siguienteTitulo, { weight: 'Bolder' }), textBlock(nextText(n, c), { spacing: 'None' })],
});

/** The checklist as a chat message: the essentials as text, the full checklist as a card (its fallback is the complete text). */
export function checklistActivity(r: Checklist, view: ChecklistView = {}): Partial<Activity> {
  const c = ctxOf(r, view);
  const body: CardElement[] = [textBlock(titleOf(c), { weight: 'Bolder', size: 'Medium' }), textBlock(header(r, c), { isSubtle: true, spacing: 'None' })];
  if (r.cajas.length === 0) body.push(stepElement({ paso: 1, estado: r.registro.estado, situacion: r.registro.situacion, quien: [], personas: [r.registro] }, c));
  for (const k of r.cajas) {
    const como = comoLine(k, r.persona, c);
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        textBlock(cajaName(k, c), { weight: 'Bolder' }),
        ...(como ? [textBlock(como, { isSubtle: true, spacing: 'None' })] : []),
        ...k.pasos.map((s) => stepElement(s, c)),
        nextElement(k.siguiente, c),
      ],
    });
  }
  body.push(...otherLines(r, c).map((l) => textBlock(l, { separator: true })));
  if (r.cajas.length === 0) body.push(nextElement(r.siguiente, c));
  // The card carries the checklist; the message only leads into it (a channel without cards shows the card's full fallback).
  return message(c.tercero ? c.t.entradaTercero : c.t.entrada, card(body, [], checklistText(r, view)));
}
