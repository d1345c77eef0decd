/**
 * Administración de Servicios Web (DESIGN §2, step 5; manual section 6 steps 1–4): the authorized
 * person of a CCF, acting in its rol "Caja de compensación familiar", accepts the terms of use and
 * the privacy and retention policy (versioned; declining opens nothing), then sees the catalog of the
 * services the Ministry assigned to the CCF and, for each, its Swagger documentation (a summary card
 * and a signed link to the full Swagger UI page) and its information (Client ID, state, dates, token
 * endpoint). "Compartir Servicios Entidad" and "Asignar contraseña" come with the next issue.
 *
 * The same dialog serves the registry's entries: the module ('menu'), the terms ('terminos'), the
 * documentation ('swagger') and the service information ('info'); each checks access and terms first.
 */
import {
  ComponentDialog,
  WaterfallDialog,
  type DialogInstance,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { summarizeOperation, tokenEndpoint } from '../../domain/openapi-resumen.js';
import { DOC_LINK_MINUTES } from '../../domain/rules.js';
import {
  catalogOf,
  decideTerms,
  openModule,
  serviceDocument,
  serviceInfo,
  type EstadoTerminos,
  type ServicioAsignado,
  type ServiciosCcfError,
  type Versiones,
} from '../../domain/servicios-ccf.js';
import { actingRole, type ActingRole, type Session } from '../../domain/session.js';
import { actorOf } from '../actor.js';
import { card, message, textBlock, type CardElement } from '../cards.js';
import { loadChecklistFacts } from '../../domain/checklist-facts.js';
import { checklist } from '../../domain/checklist.js';
import { missingStepText } from '../checklist.js';
import { ChoicePrompt, choicePrompt, chosen, wentBack } from '../choice.js';
import { keywordsOf, titleOf } from '../catalog.js';
import { incomingText } from '../incoming.js';
import { optionNamedIn } from '../../domain/choice.js';
import { formatDate, formatDateTime } from '../format.js';
import { requireSession } from '../session.js';
import { fill } from '../../templates/render.js';
import type { DescribesStep, StepInfo } from '../step-info.js';
import { swaggerCard } from './swagger-card.js';
import { CLAVE, ClaveDialog, COMPARTIR, COMPARTIR_CHOICE, COMPARTIR_SERVICIO, CompartirDialog, ct } from './compartir.dialog.js';
import { st, swTexts, terminos, terminosVigentes, TERMINOS_PATH, type ServiciosDialogDeps } from './texts.js';

/** Where the module starts: its menu, the terms, a service's documentation or its information. */
export type SeccionServicios = 'menu' | 'terminos' | 'swagger' | 'info' | 'compartir' | 'clave';

const TERMINOS = 'servicios-terminos';
const RECHAZO = 'servicios-rechazo';
const MENU = 'servicios-menu';
const DOC = 'servicios-documentacion';
const INFO = 'servicios-info';
const CHOICE = 'servicios-eleccion';

const ACTIONS = ['documentacion', 'info', 'compartir', 'clave', 'terminar'] as const;
type MenuAction = (typeof ACTIONS)[number];
/** The dialog each action of the module's menu opens. */
const SECTIONS: Record<Exclude<MenuAction, 'terminar'>, string> = { documentacion: DOC, info: INFO, compartir: COMPARTIR, clave: CLAVE };
/**
 * The menu's other names for each action: those of the functionality it is (templates/es/funcionalidades.json),
 * so "swagger", "client id" or "credenciales" choose it as they find it in the search.
 */
const FUNCTIONALITY: Record<Exclude<MenuAction, 'terminar'>, string> = { documentacion: 'swagger', info: 'info-servicio', compartir: 'compartir', clave: 'asignar-clave' };
/** The functionality a section of the module is ('servicios-compartir' is Compartir), for the dialog id on the stack; else undefined. */
export function sectionFunctionality(dialogId: string): string | undefined {
  const action = (Object.keys(SECTIONS) as Exclude<MenuAction, 'terminar'>[]).find((a) => SECTIONS[a] === dialogId);
  return action ? FUNCTIONALITY[action] : undefined;
}
const menuAliases = (): string[][] => ACTIONS.map((a) => (a === 'terminar' ? [] : [...keywordsOf(FUNCTIONALITY[a])]));

type Values = Record<string, unknown>;

interface TermsOptions {
  readonly estado: EstadoTerminos;
  /** The person asked for the terms themselves (already accepted: shown, with the way on). */
  readonly consulta?: boolean;
}
/** How the terms ended: accepted (go on), declined or left. */
interface TermsResult {
  readonly aceptados: boolean;
}
/** A section ends with this when access ended in it (the refusal was said once; nothing loops back). */
interface Closing {
  readonly cerrar?: boolean;
}
interface MenuOptions {
  /** Back from an action: only the question, not the whole catalog again. */
  readonly otraVez?: boolean;
}
interface ServiceOptions {
  /** Started from the menu (atrás goes back there) rather than from the main menu or the search. */
  readonly desdeMenu?: boolean;
  /** The person's words that chose it ("swagger de consulta"): a service they name is taken without asking. */
  readonly pista?: string;
}

const cajaOf = (acting: ActingRole | undefined): string => (acting?.tipo === 'ccf' ? (acting.sigla ?? acting.razonSocial) : '');
const versionsText = (v: Versiones): string =>
  terminos()
    .documentos.filter((d) => v[d.id])
    .map((d) => `${d.titulo.split(' de la ')[0]} v${v[d.id]}`)
    .join(', ');
/** A terms date "2026-12-01" as the person reads it. */
const termsDate = (iso: string): string => formatDate(`${iso}T12:00:00-05:00`);

interface Frame {
  readonly id: string;
  readonly state?: { dialogs?: { dialogStack?: Frame[] }; options?: unknown };
}

function innerStack(instance: DialogInstance): Frame[] {
  return (instance.state as { dialogs?: { dialogStack?: Frame[] } }).dialogs?.dialogStack ?? [];
}

/** Every dialog id active inside, at every depth (a component's waterfalls sit under its prompts). */
function allInner(frames: readonly Frame[]): string[] {
  return frames.flatMap((f) => [f.id, ...allInner(f.state?.dialogs?.dialogStack ?? [])]);
}

/** The frame of `id` at any depth inside. */
function findInner(frames: readonly Frame[], id: string): Frame | undefined {
  for (const f of frames) {
    const found = f.id === id ? f : findInner(f.state?.dialogs?.dialogStack ?? [], id);
    if (found) return found;
  }
  return undefined;
}

export class ServiciosWebDialog extends ComponentDialog implements DescribesStep {
  constructor(
    private readonly deps: ServiciosDialogDeps,
    id: string,
    private readonly seccion: SeccionServicios,
  ) {
    super(id);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new WaterfallDialog(id + '-inicio', [this.open.bind(this), this.afterTerms.bind(this), this.done.bind(this)]));
    this.addDialog(new WaterfallDialog(TERMINOS, [this.showTerms.bind(this), this.decide.bind(this), this.afterDecline.bind(this)]));
    this.addDialog(new WaterfallDialog(RECHAZO, [this.declined.bind(this), this.afterDeclined.bind(this)]));
    this.addDialog(new WaterfallDialog(MENU, [this.catalog.bind(this), this.route.bind(this), this.back.bind(this)]));
    this.addDialog(new WaterfallDialog(DOC, [this.pickForDoc.bind(this), this.showDoc.bind(this)]));
    this.addDialog(new WaterfallDialog(INFO, [this.pickForInfo.bind(this), this.showInfo.bind(this)]));
    const refusal = (context: TurnContext, error: ServiciosCcfError) => this.refusal(context, error);
    this.addDialog(new CompartirDialog(deps, refusal));
    this.addDialog(new ClaveDialog(deps, refusal));
    this.initialDialogId = id + '-inicio';
  }

  describeStep(instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    if (below.at(-1) !== CHOICE && below.at(-1) !== COMPARTIR_CHOICE) return undefined; // the forms describe their own fields
    const ids = allInner(innerStack(instance));
    const at = (key: string) => ({ paso: st(`paso-${key}`), ayuda: st(`ayuda-${key}`) });
    const servicio = findInner(innerStack(instance), COMPARTIR_SERVICIO);
    if (servicio) {
      // The shared service open (its waterfall's options): "¿en qué voy?" and "estado" name it.
      const nombre = (servicio.state?.options as { nombre?: string } | undefined)?.nombre;
      return { paso: ct('paso-servicio', { nombre }), ayuda: ct('ayuda-servicio') };
    }
    if (ids.includes(COMPARTIR)) return { paso: ct('paso-lista'), ayuda: ct('ayuda-lista') };
    if (ids.includes(DOC) || ids.includes(INFO)) return at('servicio');
    if (ids.includes(RECHAZO)) return at('rechazo');
    if (ids.includes(TERMINOS)) return at('terminos');
    // The module's menu is the module's, whichever of its functionalities the person came in by ("Asignar contraseña").
    if (ids.includes(MENU)) return { ...at('menu'), proceso: 'servicios-web' };
    return undefined;
  }

  // ---------------------------------------------------------------- start: access, then the terms

  private async who(context: TurnContext): Promise<{ session: Session; acting: ActingRole }> {
    const session = await requireSession(this.deps, context);
    return { session, acting: actingRole(session) };
  }

  private async open(step: WaterfallStepContext<{ pista?: string }>): Promise<DialogTurnResult> {
    const { session, acting } = await this.who(step.context);
    const r = await openModule(this.deps, session.citizenId, acting, terminosVigentes(), actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(await this.refusal(step.context, r.error));
      return step.endDialog();
    }
    (step.values as Values)['pista'] = step.options?.pista;
    const t = r.value.terminos;
    if (this.seccion === 'menu' && t.estado !== 'aceptados') await step.context.sendActivity(st('bienvenida', { caja: cajaOf(acting) }));
    if (t.estado === 'aceptados' && this.seccion !== 'terminos') return step.next({ aceptados: true } satisfies TermsResult);
    return step.beginDialog(TERMINOS, { estado: t, consulta: this.seccion === 'terminos' } satisfies TermsOptions);
  }

  private async afterTerms(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(step.result as TermsResult | undefined)?.aceptados) return step.endDialog();
    const section = { menu: MENU, terminos: MENU, swagger: DOC, info: INFO, compartir: COMPARTIR, clave: CLAVE }[this.seccion];
    const pista = (step.values as Values)['pista'];
    delete (step.values as Values)['pista']; // the person's words are not kept longer than they are needed
    return step.beginDialog(section, (typeof pista === 'string' ? { pista } : {}) satisfies MenuOptions & ServiceOptions);
  }

  /** A section asked for by name (documentation, information) goes on in the module's menu, unless access ended. */
  private async done(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ended = (step.result as Closing | undefined)?.cerrar;
    if (ended || this.seccion === 'menu' || this.seccion === 'terminos') return step.endDialog(step.result);
    return step.replaceDialog(MENU, { otraVez: true } satisfies MenuOptions);
  }

  /** Why the module does not open, with the step that is missing and who must act (the checklist). */
  private async refusal(context: TurnContext, error: ServiciosCcfError): Promise<string> {
    const { session, acting } = await this.who(context);
    const text = st('falta', { funcionalidad: titleOf('servicios-web') });
    const motivo = swTexts().motivos[error.code];
    if (motivo) return `${text} ${motivo}`;
    const facts = await loadChecklistFacts(this.deps, session.citizenId);
    const caja = acting.tipo === 'ccf' ? { nit: acting.nit, razonSocial: acting.razonSocial } : undefined;
    return `${text}\n\n${missingStepText(checklist({ ...facts, actuaComo: acting }, this.deps.clock.now()), caja)}`;
  }

  // ---------------------------------------------------------------- Condiciones de uso y política de privacidad

  private async showTerms(step: WaterfallStepContext<TermsOptions>): Promise<DialogTurnResult> {
    const { estado, consulta } = step.options;
    const t = terminos();
    const enlace = `${this.deps.publicBaseUrl}${TERMINOS_PATH}`;
    if (consulta && estado.estado === 'aceptados') {
      const d = estado.decision;
      await step.context.sendActivity(st('terminos-ya-aceptados', { versiones: versionsText(d.versiones), fecha: formatDateTime(d.en) }));
      await step.context.sendActivity(st('terminos-enlace', { enlace }));
      return step.endDialog({ aceptados: true } satisfies TermsResult);
    }
    const intro = estado.estado === 'nueva_version' ? st('terminos-nueva-version', { fecha: formatDate(estado.decision.en) }) : st('terminos-intro', { titulo: t.titulo });
    // The message says what this is; the card holds the two texts (no title repeating the message).
    const body: CardElement[] = [];
    const lines: string[] = [intro];
    for (const d of t.documentos) {
      const head = st('terminos-documento', { titulo: d.titulo, version: d.version, fecha: termsDate(d.fecha) });
      body.push(textBlock(head, { spacing: body.length ? 'Medium' : 'None' }), ...d.resumen.map((r) => textBlock(`- ${r}`, { spacing: 'None' })));
      lines.push(`${head}\n${d.resumen.map((r) => `- ${r}`).join('\n')}`);
    }
    body.push(textBlock(st('terminos-enlace', { enlace }), { spacing: 'Medium' }));
    lines.push(st('terminos-enlace', { enlace }));
    await step.context.sendActivity(message(intro, card(body, [], lines.join('\n\n'))));
    return step.prompt(CHOICE, choicePrompt(st('terminos-pregunta'), [st('acepto'), st('no-acepto')], {}, { back: true }));
  }

  private async decide(step: WaterfallStepContext<TermsOptions>): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog({ aceptados: false } satisfies TermsResult);
    const acepta = chosen(step.result, [st('acepto'), st('no-acepto')]) === 0;
    const { session, acting } = await this.who(step.context);
    const vigentes = terminosVigentes();
    const r = await decideTerms(this.deps, session.citizenId, acting, vigentes, acepta ? 'acepto' : 'no_acepto', actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(await this.refusal(step.context, r.error));
      return step.endDialog({ aceptados: false } satisfies TermsResult);
    }
    if (acepta) {
      await step.context.sendActivity(st('aceptados', { versiones: versionsText(vigentes), fecha: formatDateTime(r.value.en) }));
      return step.endDialog({ aceptados: true } satisfies TermsResult);
    }
    return step.beginDialog(RECHAZO);
  }

  /** After "No acepto": read again (a fresh reading replaces this one) or leave. */
  private async afterDecline(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (!(step.result as { otraVez?: boolean } | undefined)?.otraVez) return step.endDialog({ aceptados: false } satisfies TermsResult);
    const { session, acting } = await this.who(step.context);
    const r = await openModule(this.deps, session.citizenId, acting, terminosVigentes(), actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(await this.refusal(step.context, r.error));
      return step.endDialog({ aceptados: false } satisfies TermsResult);
    }
    return step.replaceDialog(TERMINOS, { estado: r.value.terminos } satisfies TermsOptions);
  }

  private async declined(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(st('rechazados'));
    return step.prompt(CHOICE, choicePrompt(st('que-hacer-rechazo'), [st('leer-de-nuevo'), st('terminar')], {}, { back: true }));
  }

  private async afterDeclined(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const otraVez = wentBack(step.result) || chosen(step.result, [st('leer-de-nuevo'), st('terminar')]) === 0;
    return step.endDialog({ otraVez });
  }

  // ---------------------------------------------------------------- Menú principal de la funcionalidad

  private async catalogOrRefuse(context: TurnContext): Promise<{ caja: string; nit: string; servicios: ServicioAsignado[] } | undefined> {
    const { session, acting } = await this.who(context);
    const r = await catalogOf(this.deps, session.citizenId, acting, terminosVigentes(), actorOf(context));
    if (!r.ok) {
      await context.sendActivity(await this.refusal(context, r.error));
      return undefined;
    }
    return { caja: cajaOf(acting), ...r.value };
  }

  private async catalog(step: WaterfallStepContext<MenuOptions>): Promise<DialogTurnResult> {
    const c = await this.catalogOrRefuse(step.context);
    if (!c) return step.endDialog();
    if (c.servicios.length === 0) {
      await step.context.sendActivity(st('sin-servicios', { caja: c.caja }));
      return step.endDialog();
    }
    if (!step.options?.otraVez) await step.context.sendActivity(catalogCard(c.caja, c.servicios));
    const labels = ACTIONS.map((a) => swTexts().acciones[a]!);
    return step.prompt(CHOICE, choicePrompt(st(step.options?.otraVez ? 'que-mas' : 'que-hacer'), labels, {}, { back: true, aliases: menuAliases() }));
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const action: MenuAction = ACTIONS[chosen(step.result, ACTIONS.map((a) => swTexts().acciones[a]!))]!;
    if (action === 'terminar') return step.endDialog();
    const pista = incomingText(step.context);
    return step.beginDialog(SECTIONS[action], { desdeMenu: true, ...(pista ? { pista } : {}) } satisfies ServiceOptions);
  }

  private async back(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as Closing | undefined)?.cerrar) return step.endDialog(step.result);
    return step.replaceDialog(MENU, { otraVez: true } satisfies MenuOptions);
  }

  // ---------------------------------------------------------------- Ver documentación / Información Servicio

  /** Asks which service (skipped when there is only one); atrás goes back to where the person came from. */
  private async pick(step: WaterfallStepContext<ServiceOptions>, list: readonly ServicioAsignado[], question: string): Promise<DialogTurnResult> {
    (step.values as Values)['ids'] = list.map((s) => s.servicio.id);
    if (list.length === 1) return step.next(serviceLabel(list[0]!));
    // "swagger de consulta", "client id de la solicitud": the service named with the action, without asking.
    const named = step.options?.pista ? optionNamedIn(step.options.pista, list.map(serviceLabel)) : undefined;
    if (named !== undefined) return step.next(serviceLabel(list[named]!));
    return step.prompt(CHOICE, choicePrompt(question, list.map(serviceLabel), { numbered: true }, { back: true }));
  }

  /** The service the person chose, or undefined for atrás. */
  private picked(step: WaterfallStepContext, list: readonly ServicioAsignado[]): ServicioAsignado | undefined {
    if (wentBack(step.result)) return undefined;
    return list[chosen(step.result, list.map(serviceLabel))];
  }

  private async pickForDoc(step: WaterfallStepContext<ServiceOptions>): Promise<DialogTurnResult> {
    const c = await this.catalogOrRefuse(step.context);
    if (!c) return step.endDialog({ cerrar: true } satisfies Closing);
    const list = c.servicios.filter((s) => s.documentable);
    if (list.length === 0) {
      await step.context.sendActivity(c.servicios.length ? st('sin-documentables', { caja: c.caja }) : st('sin-servicios', { caja: c.caja }));
      return step.endDialog();
    }
    (step.values as Values)['lista'] = list;
    return this.pick(step, list, st('cual-servicio-doc'));
  }

  private async showDoc(step: WaterfallStepContext<ServiceOptions>): Promise<DialogTurnResult> {
    const chosenOne = this.picked(step, (step.values as Values)['lista'] as ServicioAsignado[]);
    if (!chosenOne) return step.endDialog();
    const { session, acting } = await this.who(step.context);
    const id = chosenOne.servicio.id;
    const r = await serviceDocument(this.deps, session.citizenId, acting, terminosVigentes(), id, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(
        r.error.code === 'SERVICIOS.NO_DISPONIBLE'
          ? st('doc-no-disponible', { id, estado: r.error.estado, motivo: r.error.motivo })
          : r.error.code === 'SERVICIOS.NO_ASIGNADO'
            ? st('no-asignado')
            : await this.refusal(step.context, r.error),
      );
      return step.endDialog(r.error.code === 'SERVICIOS.NO_DISPONIBLE' || r.error.code === 'SERVICIOS.NO_ASIGNADO' ? undefined : ({ cerrar: true } satisfies Closing));
    }
    const s = r.value.servicio.servicio;
    const resumen = summarizeOperation(r.value.json, s.metodo, s.ruta);
    if (!resumen.ok) {
      await step.context.sendActivity(st('doc-ilegible', { id }));
      return step.endDialog();
    }
    const nit = acting.tipo === 'ccf' ? acting.nit : '';
    // The card carries the summary (and its text fallback); the message says what it is and that the link is personal.
    const doc = swaggerCard(resumen.value, s, this.deps.docLink(session.citizenId, nit, id));
    const fallback = (doc.attachments?.[0]?.content as { fallbackText?: string } | undefined)?.fallbackText;
    await step.context.sendActivity(fallback ? { ...doc, text: st('doc-intro', { metodo: s.metodo, id, minutos: DOC_LINK_MINUTES }) } : doc);
    return step.endDialog();
  }

  private async pickForInfo(step: WaterfallStepContext<ServiceOptions>): Promise<DialogTurnResult> {
    const c = await this.catalogOrRefuse(step.context);
    if (!c) return step.endDialog({ cerrar: true } satisfies Closing);
    if (c.servicios.length === 0) {
      await step.context.sendActivity(st('sin-servicios', { caja: c.caja }));
      return step.endDialog();
    }
    (step.values as Values)['lista'] = c.servicios;
    return this.pick(step, c.servicios, st('cual-servicio-info'));
  }

  private async showInfo(step: WaterfallStepContext<ServiceOptions>): Promise<DialogTurnResult> {
    const chosenOne = this.picked(step, (step.values as Values)['lista'] as ServicioAsignado[]);
    if (!chosenOne) return step.endDialog();
    const { session, acting } = await this.who(step.context);
    const r = await serviceInfo(this.deps, session.citizenId, acting, terminosVigentes(), chosenOne.servicio.id, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(r.error.code === 'SERVICIOS.NO_ASIGNADO' ? st('no-asignado') : await this.refusal(step.context, r.error));
      return step.endDialog(r.error.code === 'SERVICIOS.NO_ASIGNADO' ? undefined : ({ cerrar: true } satisfies Closing));
    }
    // The token endpoint and grant type come from the service's own OpenAPI document.
    const doc = r.value.documentable ? await this.tokenOf(r.value) : undefined;
    await step.context.sendActivity(infoCard(cajaOf(acting), r.value, doc));
    return step.endDialog();
  }

  private async tokenOf(s: ServicioAsignado): Promise<{ tokenUrl: string; grantType: string } | undefined> {
    const bytes = await this.deps.blobs.get(s.servicio.documento.sha256);
    if (!bytes) return undefined;
    const resumen = summarizeOperation(Buffer.from(bytes).toString('utf8'), s.servicio.metodo, s.servicio.ruta);
    return resumen.ok ? tokenEndpoint(resumen.value) : undefined;
  }
}

/** A value shown exactly (a Client ID's underscores are not Markdown, a URL is not a link). */
const asCode = (v: string): string => `\`${v.replace(/`/g, "'")}\``;

/** "POST SolicitudAfiliacion — Solicitud de afiliación": the method and identifier, and the name people say. */
const serviceLabel = (s: ServicioAsignado): string => st('servicio-fila', { metodo: s.servicio.metodo, id: s.servicio.id, nombre: s.servicio.nombre });

function stateOf(s: ServicioAsignado): string {
  const estados = swTexts().estados;
  return s.servicio.estado === 'retirado' ? estados['retirado']! : estados[s.asignacion.estado]!;
}

/** The catalog: each service with its method, identifier, name and state (and why, when not active). */
function catalogCard(caja: string, list: readonly ServicioAsignado[]) {
  const body: CardElement[] = [textBlock(st('catalogo-titulo', { caja }), { weight: 'Bolder', size: 'Medium' })];
  const lines: string[] = [];
  for (const s of list) {
    const estado = st('servicio-estado', { estado: stateOf(s), motivo: s.motivo });
    const active = s.asignacion.estado === 'activo' && s.servicio.estado === 'publicado';
    body.push(textBlock(serviceLabel(s), { weight: 'Bolder', spacing: 'Medium', ...(active ? {} : { isSubtle: true }) }));
    body.push(textBlock(estado, { spacing: 'None', color: active ? 'Good' : 'Attention' }));
    lines.push(`- **${serviceLabel(s)}** — ${estado}`);
  }
  const intro = st('catalogo-intro', { caja, total: list.length });
  return message(intro, card(body, [], `${intro}\n\n${lines.join('\n')}`));
}

/** "Información Servicio": name, identifier, description, Client ID, state, dates, version, token endpoint and grant type. */
function infoCard(caja: string, s: ServicioAsignado, token: { tokenUrl: string; grantType: string } | undefined) {
  const t = swTexts();
  const a = s.asignacion;
  const asignado = a.historial.find((h) => h.estado === 'activo')?.en ?? a.creadoEn;
  const facts: [string, string][] = [
    [t.info['nombre']!, s.servicio.nombre],
    [t.info['identificador']!, s.servicio.id],
    [t.info['descripcion']!, s.servicio.descripcion],
    [t.info['metodo']!, asCode(`${s.servicio.metodo} ${s.servicio.ruta}`)],
    [fill(t.info['clientId']!, { caja }), asCode(a.clientId)],
    [t.info['estado']!, stateOf(s)],
    [t.info['asignado']!, formatDate(asignado)],
    ...(a.actualizadoEn !== a.creadoEn ? ([[t.info['cambio']!, formatDate(a.actualizadoEn)]] as [string, string][]) : []),
    [t.info['version']!, s.servicio.version],
    ...(token
      ? ([
          [t.info['tokenUrl']!, asCode(token.tokenUrl)],
          [t.info['grantType']!, t.grant[token.grantType] ?? token.grantType],
        ] as [string, string][])
      : []),
  ];
  const warning = s.servicio.estado === 'retirado'
    ? st('info-retirado', { fecha: formatDate(s.servicio.retiro?.en ?? s.servicio.actualizadoEn), motivo: s.motivo })
    : a.estado === 'suspendido'
      ? st('info-suspendido', { fecha: formatDate(a.actualizadoEn), motivo: s.motivo })
      : a.estado === 'revocado'
        ? st('info-revocado', { fecha: formatDate(a.actualizadoEn), motivo: s.motivo })
        : undefined;
  const notes = [warning, token ? undefined : t.info['sinToken'], st('info-clientid-nota')].filter((x): x is string => Boolean(x));
  const title = st('info-titulo', { id: s.servicio.id });
  // "**Label:** value" lines (a FactSet squeezes its labels letter by letter in Web Chat).
  const lines = facts.map(([k, v]) => `**${k}:** ${v}`);
  const body: CardElement[] = [
    textBlock(title, { weight: 'Bolder', size: 'Medium' }),
    ...(warning ? [textBlock(warning, { color: 'Attention' })] : []),
    ...lines.map((l, i) => textBlock(l, { spacing: i ? 'None' : 'Small' })),
    ...notes.filter((n) => n !== warning).map((n) => textBlock(n, { isSubtle: true, spacing: 'Medium' })),
  ];
  const fallback = [`**${title}**`, ...(warning ? [warning] : []), lines.map((l) => `- ${l}`).join('\n'), ...notes.filter((n) => n !== warning)].join('\n\n');
  // The card is the message (its title would repeat the text); text-only channels get its fallback.
  return message('', card(body, [], fallback));
}
