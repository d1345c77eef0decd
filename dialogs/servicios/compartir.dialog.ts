/**
 * Compartir Servicios Entidad and Asignar contraseña, inside the Administración de Servicios Web
 * (the module checked access and the terms first). The CCF's shared services are listed with their
 * state; a new one starts with "Datos del servicio web"; each can be opened to fill or edit either
 * form (separately: each is saved on its own, and a form left half-way is kept as a draft), to test
 * its connection, or to remove it. Secrets are asked only through masked card inputs.
 */
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import {
  assignServicesPassword,
  removeSharedService,
  saveCredentials,
  saveServiceData,
  sharedServiceName,
  sharedServices,
  testSharedService,
  type CompartidoVista,
  type CompartirError,
  type Parte,
} from '../../domain/compartir.js';
import { isAssignmentClientId } from '../../domain/asignaciones.js';
import { inspectPublicKey } from '../../domain/compartir-campos.js';
import type { EtapaPrueba } from '../../domain/ports.js';
import type { ServiciosCcfError } from '../../domain/servicios-ccf.js';
import { METHODS_WITH_BODY } from '../../domain/servicios-web.js';
import { actingRole } from '../../domain/session.js';
import { fill, messages } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { card, message, textBlock, type CardElement } from '../cards.js';
import { ChoicePrompt, choicePrompt, chosen, wentBack } from '../choice.js';
import { incomingText } from '../incoming.js';
import { matchAlias } from '../../domain/choice.js';
import { sessionOwner } from '../form/form-drafts.js';
import { FormDialog, wentBackFromForm, type FormOptions } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { formatDate, formatDateTime } from '../format.js';
import { requireSession } from '../session.js';
import { claveServiciosForm, datosServicio, servicioDatosForm, servicioOAuthForm, type ClaveServiciosValues, type ServicioDatosValues, type ServicioOAuthValues } from './compartir.forms.js';
import type { FormSpec } from '../form/form-spec.js';
import { terminosVigentes, type ServiciosDialogDeps } from './texts.js';

export const COMPARTIR = 'servicios-compartir';
export const CLAVE = 'servicios-clave';
const LISTA = 'servicios-compartir-lista';
const SERVICIO = 'servicios-compartir-servicio';
export const COMPARTIR_SERVICIO = SERVICIO;
const CHOICE = 'servicios-compartir-eleccion';
export const COMPARTIR_CHOICE = CHOICE;

export type CompartirDialogDeps = ServiciosDialogDeps;

/** What the module says when access ended (the same sentence as everywhere in it). */
export type Refusal = (context: TurnContext, error: ServiciosCcfError) => Promise<string>;

type Texts = Record<string, string> & {
  acciones: Record<string, string>;
  'acciones-otros-nombres': Record<string, string[]>;
  partes: Record<Parte, string>;
  motivosPrueba: Record<string, string>;
};
const texts = () => messages<Texts>('servicios/compartir');
export const ct = (key: string, data: Record<string, unknown> = {}) => fill(texts()[key] as string, data);

/** A section ends with this when access ended in it (the module then ends too). */
const CERRAR = { cerrar: true } as const;

interface ServicioOptions {
  readonly nombre: string;
  /** Only the menu: the card was just shown and nothing in it changed (after "Probar conexión"), so the result stays in view. */
  readonly soloMenu?: boolean;
  /** The action the person already named at the list ("credenciales" with one service): done at once. */
  readonly accion?: ServiceAction;
}

const SERVICE_ACTIONS = ['datos', 'credenciales', 'probar', 'eliminar', 'volver'] as const;
/** The actions a service's menu offers that a word at the list may name (compartir.json "acciones-otros-nombres"). */
const NAMED_ACTIONS = ['datos', 'credenciales', 'probar', 'eliminar'] as const;
const actionNames = () => NAMED_ACTIONS.map((a) => texts()['acciones-otros-nombres'][a] ?? []);
/** The action `text` names ("credenciales", "probar la conexión"), if exactly one. */
const actionNamed = (text: string | undefined): ServiceAction | undefined => {
  const i = text ? matchAlias(text, actionNames()) : undefined;
  return i === undefined ? undefined : NAMED_ACTIONS[i];
};
type ServiceAction = (typeof SERVICE_ACTIONS)[number];

function stateLine(v: CompartidoVista): string {
  const t = texts();
  return v.estado === 'completo' ? ct('completo') : ct('incompleto', { faltan: v.faltan.map((p) => t.partes[p]).join(ct('y')) });
}

/** The shared services of the CCF, each with its state; `borrador`: a new service's data left half-way (its name, '' before it). */
function listCard(caja: string, list: readonly CompartidoVista[], borrador?: string) {
  const intro = [list.length ? ct('lista-intro', { caja, total: list.length }) : ct('lista-vacia', { caja }), borrador === undefined ? undefined : ct('lista-borrador', { nombre: borrador })].filter(Boolean).join(' ');
  if (!list.length) return message(intro);
  const body: CardElement[] = [];
  const lines: string[] = [];
  for (const v of list) {
    body.push(textBlock(`**${v.nombre}**`, { spacing: body.length ? 'Medium' : 'None' }), textBlock(stateLine(v), { spacing: 'None', color: v.estado === 'completo' ? 'Good' : 'Attention' }));
    lines.push(`- **${v.nombre}** — ${stateLine(v)}`);
  }
  return message(intro, card(body, [], `${intro}\n\n${lines.join('\n')}`));
}

/** One shared service: both parts as saved (secrets only as "••••• (dato registrado el …)"). */
function serviceCard(v: CompartidoVista) {
  const d = v.datos;
  const c = v.credenciales;
  const line = (k: string, value: string) => `**${ct(k)}:** ${value}`;
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const datos = d
    ? [
        line('f-descripcion', d.descripcion),
        line('f-url', code(`${d.metodo} ${d.url}`)),
        line('f-llave', ct('llave', { tipo: d.llave.tipo, bits: d.llave.bits, huella: d.llave.huella, hasta: d.llave.hasta ? formatDateTime(d.llave.hasta) : undefined })),
        line('f-guardado', formatDateTime(d.guardadoEn)),
      ]
    : [ct('sin-datos')];
  const oculto = (en: string) => ct('secreto', { fecha: formatDateTime(en) });
  const cred = c
    ? [
        line('f-token', c.nombreToken),
        line('f-token-url', code(c.tokenUrl)),
        ...(c.username ? [line('f-usuario', c.username), line('f-password', oculto(c.guardadoEn))] : []),
        line('f-client-id', code(c.clientId)),
        line('f-client-secret', oculto(c.guardadoEn)),
        ...(c.scope ? [line('f-scope', c.scope)] : []),
      ]
    : [ct('sin-credenciales')];
  const title = `**${v.nombre}** — ${stateLine(v)}`;
  const t = texts();
  const body: CardElement[] = [
    textBlock(title, { weight: 'Bolder' }),
    textBlock(t.partes.datos, { weight: 'Bolder', spacing: 'Medium' }),
    ...datos.map((x) => textBlock(x, { spacing: 'None' })),
    textBlock(t.partes.credenciales, { weight: 'Bolder', spacing: 'Medium' }),
    ...cred.map((x) => textBlock(x, { spacing: 'None' })),
  ];
  const fallback = [title, `**${t.partes.datos}**\n${datos.map((x) => `- ${x}`).join('\n')}`, `**${t.partes.credenciales}**\n${cred.map((x) => `- ${x}`).join('\n')}`].join('\n\n');
  return message('', card(body, [], fallback));
}

/** "Probar conexión" in plain words: each stage with its status and time, or why it failed. */
export function testText(nombre: string, token: EtapaPrueba, servicio: EtapaPrueba | undefined): string {
  const stage = (k: 'token' | 'servicio', e: EtapaPrueba) =>
    e.ok ? ct(`${k}-ok`, { status: e.status, ms: e.ms, kb: Math.max(1, Math.round(e.bytes / 1024)) }) : ct(`${k}-fallo`, { motivo: fill(texts().motivosPrueba[e.motivo] ?? e.motivo, { status: e.status }), ms: e.ms });
  const lines = [stage('token', token), ...(servicio ? [stage('servicio', servicio)] : [])];
  const ok = token.ok && servicio?.ok === true;
  // What to look at: the stage that failed names its URL and its form; the server is the Caja's own to check.
  const failed = !token.ok ? { etapa: 'token', motivo: token.motivo } : servicio && !servicio.ok ? { etapa: 'servicio', motivo: servicio.motivo } : undefined;
  const revisar = failed ? ct('prueba-revisar', failed) : undefined;
  return [[ct(ok ? 'prueba-ok' : 'prueba-fallo', { nombre }), ...lines.map((l) => `- ${l}`)].join('\n'), revisar].filter(Boolean).join('\n\n');
}

export class CompartirDialog extends ComponentDialog {
  private readonly datosForm: FormSpec<ServicioDatosValues>;
  private readonly oauthForm: FormSpec<ServicioOAuthValues>;
  private readonly datosDialog: FormDialog<ServicioDatosValues>;

  constructor(
    private readonly deps: CompartirDialogDeps,
    private readonly refusal: Refusal,
  ) {
    super(COMPARTIR);
    // Another service of the CCF with that name (editing a service keeps its own name).
    const taken = async (nombre: string, context: Readonly<Record<string, string>> | undefined) => {
      const existing = await sharedServiceName(deps, context?.['nit'] ?? '', nombre);
      return existing && existing !== context?.['editando'] ? existing : undefined;
    };
    const ports = deps.puertosPermitidos?.length ? { allowPorts: deps.puertosPermitidos } : {};
    this.datosForm = servicioDatosForm(taken, { now: () => deps.clock.now(), ...ports });
    this.oauthForm = servicioOAuthForm(ports, (clientId) => isAssignmentClientId(deps, clientId));
    // Both forms keep a draft for the person (another day, another channel): the data of a new service
    // as one draft, each existing service's forms apart (draftScope).
    const formDeps = { ...deps, draftOwner: sessionOwner(deps.session, deps.clock) };
    this.addDialog(new ChoicePrompt(CHOICE));
    this.datosDialog = new FormDialog(this.datosForm, formDeps);
    this.addDialog(this.datosDialog);
    this.addDialog(new FormDialog(this.oauthForm, formDeps));
    this.addDialog(new WaterfallDialog(LISTA, [this.list.bind(this), this.pick.bind(this), this.afterNew.bind(this)]));
    this.addDialog(new WaterfallDialog(SERVICIO, [this.show.bind(this), this.act.bind(this), this.afterAct.bind(this)]));
    this.initialDialogId = LISTA;
  }

  private async who(context: TurnContext) {
    const session = await requireSession(this.deps, context);
    const acting = actingRole(session);
    return { session, acting, caja: acting.tipo === 'ccf' ? (acting.sigla ?? acting.razonSocial) : '' };
  }

  /** The message for an error of a use case; access errors end the section. */
  private async said(step: WaterfallStepContext, error: CompartirError): Promise<DialogTurnResult | undefined> {
    if (error.code === 'COMPARTIDO.NO_EXISTE') await step.context.sendActivity(ct('no-existe'));
    else if (error.code === 'COMPARTIDO.INCOMPLETO') await step.context.sendActivity(ct('prueba-incompleto', { faltan: error.faltan.map((p) => texts().partes[p]).join(ct('y')) }));
    else if (error.code === 'COMPARTIDO.DEMASIADAS_PRUEBAS') await step.context.sendActivity(ct('prueba-espere', { segundos: error.segundos }));
    else {
      await step.context.sendActivity(await this.refusal(step.context, error));
      return step.endDialog(CERRAR);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- the list

  private async list(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { session, acting, caja } = await this.who(step.context);
    const r = await sharedServices(this.deps, session.citizenId, acting, terminosVigentes(), actorOf(step.context));
    if (!r.ok) return (await this.said(step, r.error)) ?? step.endDialog();
    Object.assign(step.values, { nombres: r.value.servicios.map((s) => s.nombre), nit: r.value.nit });
    // A new service's data left half-way waits under "Nuevo servicio": the list says so.
    const borrador = await this.datosDialog.savedAnswers(step.context);
    const nombre = borrador?.['nombre'];
    await step.context.sendActivity(listCard(caja, r.value.servicios, borrador ? (typeof nombre === 'string' ? nombre : '') : undefined));
    const labels = [ct('nuevo'), ...r.value.servicios.map((s) => s.nombre), ct('volver')];
    // With one service, "credenciales" or "probar conexión" can only mean that service's: it is chosen.
    const aliases = r.value.servicios.length === 1 ? [[], actionNames().flat(), []] : undefined;
    return step.prompt(CHOICE, choicePrompt(ct('que-hacer-lista'), labels, { numbered: r.value.servicios.length > 2 }, { back: true, ...(aliases ? { aliases } : {}) }));
  }

  private async pick(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const nombres = (step.values as { nombres: string[] }).nombres;
    if (wentBack(step.result)) return step.endDialog();
    const i = chosen(step.result, [ct('nuevo'), ...nombres, ct('volver')]);
    if (i === nombres.length + 1) return step.endDialog();
    if (i > 0) {
      const accion = nombres.length === 1 ? actionNamed(incomingText(step.context)) : undefined;
      return step.beginDialog(SERVICIO, { nombre: nombres[i - 1]!, ...(accion ? { accion } : {}) } satisfies ServicioOptions);
    }
    const { caja } = await this.who(step.context);
    const nit = (step.values as { nit: string }).nit;
    return step.beginDialog(this.datosForm.id, { canGoBack: true, heading: ct('encabezado', { caja }), context: { nit } } satisfies FormOptions);
  }

  /** After a new service's data (or a service's own menu): saved, then the list again. */
  private async afterNew(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.result as { cerrar?: boolean } | undefined)?.cerrar) return step.endDialog(CERRAR);
    if (step.result && typeof step.result === 'object' && 'formId' in step.result && !wentBackFromForm(step.result)) {
      const done = await this.saveData(step, step.result);
      if (done) return done;
    }
    return step.replaceDialog(LISTA);
  }

  private async saveData(step: WaterfallStepContext, result: unknown): Promise<DialogTurnResult | undefined> {
    const { values } = formResult(result, this.datosForm);
    const { session, acting } = await this.who(step.context);
    // The key is inspected again now: a certificate kept in a draft may have expired since.
    const checked = datosServicio(values, this.deps.clock.now());
    if (!checked.ok) {
      await step.context.sendActivity(ct('llave-vencida-ahora'));
      return undefined;
    }
    const { nombre, datos, aviso } = checked.value;
    const r = await saveServiceData(this.deps, session.citizenId, acting, terminosVigentes(), nombre, datos, actorOf(step.context));
    if (!r.ok) return this.said(step, r.error);
    await step.context.sendActivity(ct('datos-guardados', { nombre: r.value.nombre, estado: stateLine(r.value), aviso: aviso === 'vence_pronto' }));
    return undefined;
  }

  // ---------------------------------------------------------------- one service

  private async current(step: WaterfallStepContext<ServicioOptions>): Promise<CompartidoVista | DialogTurnResult> {
    const { session, acting } = await this.who(step.context);
    const r = await sharedServices(this.deps, session.citizenId, acting, terminosVigentes(), actorOf(step.context));
    if (!r.ok) return (await this.said(step, r.error)) ?? step.endDialog();
    const v = r.value.servicios.find((s) => s.nombre === step.options.nombre);
    if (!v) {
      await step.context.sendActivity(ct('no-existe'));
      return step.endDialog();
    }
    (step.values as Record<string, unknown>)['nit'] = r.value.nit;
    return v;
  }

  private async show(step: WaterfallStepContext<ServicioOptions>): Promise<DialogTurnResult> {
    const v = await this.current(step);
    if (!('nombre' in v)) return v;
    (step.values as Record<string, unknown>)['vista'] = v;
    if (step.options.accion) return step.next(texts().acciones[step.options.accion]);
    if (!step.options.soloMenu) await step.context.sendActivity(serviceCard(v));
    const labels = SERVICE_ACTIONS.map((a) => texts().acciones[a]!);
    return step.prompt(CHOICE, choicePrompt(ct('que-hacer-servicio', { nombre: v.nombre }), labels, {}, { back: true }));
  }

  private async act(step: WaterfallStepContext<ServicioOptions>): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const action: ServiceAction = SERVICE_ACTIONS[chosen(step.result, SERVICE_ACTIONS.map((a) => texts().acciones[a]!))]!;
    const v = (step.values as { vista: CompartidoVista }).vista;
    const { caja } = await this.who(step.context);
    const heading = ct('encabezado-servicio', { caja, nombre: v.nombre });
    const nit = (step.values as { nit: string }).nit;
    switch (action) {
      case 'volver':
        return step.endDialog();
      case 'datos': {
        const d = v.datos;
        // A stored key that no longer passes (the certificate expired since) is asked again first,
        // instead of a review whose "Confirmar" could only be refused.
        const vigente = d ? inspectPublicKey(d.llave.pem, this.deps.clock.now()).ok : true;
        if (d && !vigente) {
          const vencio = d.llave.hasta && Date.parse(d.llave.hasta) < this.deps.clock.now().getTime() ? formatDate(d.llave.hasta) : undefined;
          await step.context.sendActivity(ct('llave-guardada-vencida', { nombre: v.nombre, hasta: vencio }));
        }
        const initial = d
          ? { nombre: v.nombre, descripcion: d.descripcion, url: d.url, metodo: d.metodo, ...(vigente ? { llave: d.llave.pem } : {}), ejemplo: d.ejemplo }
          : { nombre: v.nombre };
        return step.beginDialog(this.datosForm.id, { canGoBack: true, heading, initial, context: { nit, editando: v.nombre }, draftScope: v.nombre } satisfies FormOptions);
      }
      case 'credenciales': {
        const c = v.credenciales;
        const initial = c ? { nombreToken: c.nombreToken, tokenUrl: c.tokenUrl, username: c.username, clientId: c.clientId, scope: c.scope } : {};
        return step.beginDialog(this.oauthForm.id, { canGoBack: true, heading, initial, draftScope: v.nombre } satisfies FormOptions);
      }
      case 'probar':
        return this.probe(step, v.nombre, v.datos !== undefined && METHODS_WITH_BODY.has(v.datos.metodo));
      case 'eliminar':
        return step.prompt(CHOICE, choicePrompt(ct('confirmar-eliminar', { nombre: v.nombre }), [ct('si-eliminar'), ct('no')], {}, { back: true }));
    }
  }

  /** `conEjemplo`: the call carries the example as its body (POST, PUT, PATCH). */
  private async probe(step: WaterfallStepContext<ServicioOptions>, nombre: string, conEjemplo: boolean): Promise<DialogTurnResult> {
    const { session, acting } = await this.who(step.context);
    await step.context.sendActivity(ct('probando', { nombre, conEjemplo }));
    const r = await testSharedService(this.deps, session.citizenId, acting, terminosVigentes(), nombre, actorOf(step.context));
    const menu: ServicioOptions = { nombre: step.options.nombre, soloMenu: true };
    if (!r.ok) return (await this.said(step, r.error)) ?? step.replaceDialog(SERVICIO, menu);
    await step.context.sendActivity(testText(nombre, r.value.token, r.value.servicio));
    return step.replaceDialog(SERVICIO, menu);
  }

  private async afterAct(step: WaterfallStepContext<ServicioOptions>): Promise<DialogTurnResult> {
    const result = step.result;
    const { session, acting } = await this.who(step.context);
    const nombre = step.options.nombre;
    if (typeof result === 'string') {
      // The answer to "¿Eliminar…?"
      if (wentBack(result) || chosen(result, [ct('si-eliminar'), ct('no')]) === 1) return step.replaceDialog(SERVICIO, { nombre });
      const r = await removeSharedService(this.deps, session.citizenId, acting, terminosVigentes(), nombre, actorOf(step.context));
      if (!r.ok) return (await this.said(step, r.error)) ?? step.endDialog();
      await step.context.sendActivity(ct('eliminado', { nombre }));
      return step.endDialog();
    }
    if (result && typeof result === 'object' && 'formId' in result && !wentBackFromForm(result)) {
      if ((result as { formId: string }).formId === this.oauthForm.id) {
        const { values } = formResult(result, this.oauthForm);
        const r = await saveCredentials(
          this.deps,
          session.citizenId,
          acting,
          terminosVigentes(),
          nombre,
          {
            nombreToken: values.nombreToken,
            tokenUrl: values.tokenUrl,
            username: values.username,
            ...(values.username && values.password ? { passwordSellada: values.password.$sealed } : {}),
            clientId: values.clientId,
            clientSecretSellado: values.clientSecret.$sealed,
            scope: values.scope,
          },
          actorOf(step.context),
        );
        if (!r.ok) return (await this.said(step, r.error)) ?? step.endDialog();
        await step.context.sendActivity(ct('credenciales-guardadas', { nombre: r.value.nombre, estado: stateLine(r.value) }));
      } else {
        const done = await this.saveData(step, result);
        if (done) return done;
      }
    }
    return step.replaceDialog(SERVICIO, { nombre });
  }
}

/** "Asignar contraseña": the new password twice through masked inputs; the notices say where they went. */
export class ClaveDialog extends ComponentDialog {
  private readonly form: FormSpec<ClaveServiciosValues>;

  constructor(
    private readonly deps: CompartirDialogDeps,
    private readonly refusal: Refusal,
  ) {
    super(CLAVE);
    this.form = claveServiciosForm({
      open: (sealed) => deps.secrets.open(sealed),
      persona: async (citizenId) => {
        const c = await deps.store.transaction((tx) => tx.collection('citizens').get(citizenId));
        return c ? { numeroDocumento: c.numeroDocumento, nombres: [c.primerNombre, c.segundoNombre ?? '', c.primerApellido, c.segundoApellido ?? ''].filter(Boolean) } : undefined;
      },
    });
    this.addDialog(new FormDialog(this.form, deps));
    this.addDialog(new WaterfallDialog(CLAVE + '-pasos', [this.ask.bind(this), this.assign.bind(this)]));
    this.initialDialogId = CLAVE + '-pasos';
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const acting = actingRole(session);
    const caja = acting.tipo === 'ccf' ? (acting.sigla ?? acting.razonSocial) : '';
    const ccf: Record<string, string> = acting.tipo === 'ccf' ? { nit: acting.nit, razonSocial: acting.razonSocial } : {};
    return step.beginDialog(this.form.id, { canGoBack: true, heading: ct('encabezado-clave', { caja }), context: { citizenId: session.citizenId, ...ccf } } satisfies FormOptions);
  }

  private async assign(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result) || !step.result) return step.endDialog();
    const { values } = formResult(step.result, this.form);
    const session = await requireSession(this.deps, step.context);
    const acting = actingRole(session);
    const r = await assignServicesPassword(this.deps, session.citizenId, acting, terminosVigentes(), values.clave.$sealed, actorOf(step.context));
    if (!r.ok) {
      await step.context.sendActivity(await this.refusal(step.context, r.error as ServiciosCcfError));
      return step.endDialog(CERRAR);
    }
    await step.context.sendActivity(ct('clave-asignada', { fecha: formatDateTime(r.value.asignadaEn), correos: r.value.correos, enviados: r.value.correosEnviados }));
    return step.endDialog();
  }
}
