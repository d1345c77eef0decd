/**
 * Administrar autorizados (the RL or the delegate, acting in the company's employer role): the list of
 * authorized persons, paged; "Nuevo"; revoking with a reason; changing company. The company is named
 * in every message of the process.
 */
import { ComponentDialog, WaterfallDialog, type DialogInstance, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { PERFIL_SERVICIOS, ROL_CAJA, type Autorizacion } from '../../domain/autorizaciones.js';
import {
  AUTORIZADOS_POR_PAGINA,
  authorize,
  canAuthorize,
  checkNewAuthorization,
  listAuthorizations,
  revokeAuthorization,
  siteName,
  type AutorizadoError,
  type Empresa,
} from '../../domain/autorizados.js';
import { matchAlias, optionNamedIn } from '../../domain/choice.js';
import { employersOf } from '../../domain/empleador-roles.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import { displayName, nameCase } from '../../domain/people.js';
import type { ActingRole } from '../../domain/session.js';
import { maskDocument } from '../../domain/text.js';
import { fill, messages } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { card, message, textBlock, type CardElement } from '../cards.js';
import { ChoicePrompt, choicePrompt, chosen, wentBack } from '../choice.js';
import { incomingText } from '../incoming.js';
import type { RolesDialogDeps } from '../empleador/roles.dialog.js';
import { FormDialog, wentBackFromForm, type FormOptions } from '../form/form.dialog.js';
import { sessionOwner } from '../form/form-drafts.js';
import { formResult, type FormSpec } from '../form/form-spec.js';
import { formatDate } from '../format.js';
import { requireSession } from '../session.js';
import type { DescribesStep, StepInfo } from '../step-info.js';
import { nuevoAutorizado, nuevoAutorizadoForm, revocarForm, type NuevoAutorizadoContext, type NuevoAutorizadoValues } from './autorizados.forms.js';

export const AUTORIZADOS = 'autorizados';
const LISTA = 'autorizados-lista';
const REVOCAR = 'autorizados-revocar';
const CHOICE = 'autorizados-eleccion';

type Texts = Record<string, string> & {
  como: Record<string, string>;
  estados: Record<string, string>;
  'estados-cortos': Record<string, string>;
  roles: Record<string, string>;
  perfiles: Record<string, string>;
  /** Other names people use for an action of the list ("agregar" for Nuevo), by action: `accion-<id>-otros`. */
  'accion-nuevo-otros': string[];
  'accion-revocar-otros': string[];
};
const texts = () => messages<Texts>('autorizados/textos');
const t = (key: string, data: Record<string, unknown> = {}) => fill(texts()[key] as string, data);

/** The company the process is about, as every step receives it. */
interface Company {
  readonly citizenId: string;
  readonly nit: string;
  readonly razonSocial: string;
  /** How people call it ("COMFAMA"), when the reference sources give a sigla. */
  readonly sigla?: string;
  readonly como: 'rl' | 'delegado';
}
interface ListaOptions {
  readonly company: Company;
  readonly pagina: number;
  /** What the person asked for when starting ("agregar una persona autorizada"): done once the list is shown, if offered. */
  readonly accion?: AutorizadosAccion;
  /** The words that asked to revoke ("quitar a Diana"): the person they name is taken without asking which. */
  readonly nombrado?: string;
}

/** The same list's options, the question asked again (after "atrás"): no words name a person any more. */
const asking = ({ nombrado: _, ...options }: ListaOptions): ListaOptions => options;

/** What may be asked for together with the process: authorizing a new person or revoking one. */
export type AutorizadosAccion = 'nuevo' | 'revocar';

/** How the process may be started: straight to one of its actions. */
export interface AutorizadosOptions {
  readonly accion?: AutorizadosAccion;
}

/**
 * The action words at the main menu ask for ("quiero agregar otra persona autorizada", "quitar una
 * autorización"), read with the list's own other names for them; undefined when none, or both.
 */
export function autorizadosActionIn(text: string): AutorizadosAccion | undefined {
  const x = texts();
  const i = matchAlias(text, [[t('accion-nuevo'), ...x['accion-nuevo-otros']], [t('accion-revocar'), ...x['accion-revocar-otros']]]);
  return i === 0 ? 'nuevo' : i === 1 ? 'revocar' : undefined;
}
type Values = Record<string, unknown>;

const acting = (c: Company): ActingRole => ({ tipo: 'empleador', nit: c.nit, razonSocial: c.razonSocial, como: c.como });
/** The company's short name (sigla, else razón social): every message of the process names it. */
const nameOf = (c: Pick<Company, 'razonSocial' | 'sigla'>) => c.sigla ?? c.razonSocial;
const companyData = (c: Pick<Company, 'nit' | 'razonSocial' | 'sigla'>) => ({ razonSocial: nameOf(c), nit: formatNit(c.nit, computeDv(c.nit)) });
const heading = (c: Company) => t('encabezado', companyData(c));

/** "Andrés Felipe Zapata Londoño": every name, as in the identity document. */
// Each name as written ("Paula Carolina De la Hoz Zúñiga"), as the messages name the person.
const fullName = (a: Autorizacion) => [a.primerNombre, a.segundoNombre, a.primerApellido, a.segundoApellido].filter(Boolean).map((n) => nameCase(n!)).join(' ');
/** "rl", "delegado" or "delegada". */
const capacity = (p: Autorizacion['autorizadoPor']) => (p.como === 'delegado' && p.sexo === 'F' ? 'delegada' : p.como);

/** "Andrés Zapata — CC ******567". */
const personLabel = (a: Autorizacion) => `${fullName(a)} — ${a.tipoDocumento} ${maskDocument(a.numeroDocumento)}`;

export class AutorizadosDialog extends ComponentDialog implements DescribesStep {
  private readonly nuevo: FormSpec<NuevoAutorizadoValues>;

  constructor(private readonly deps: RolesDialogDeps) {
    super(AUTORIZADOS);
    const formDeps = { ...deps, draftOwner: sessionOwner(deps.session, deps.clock) };
    this.nuevo = nuevoAutorizadoForm(
      deps.reference,
      (citizenId, c, persona) => checkNewAuthorization(deps, citizenId, acting({ ...c, citizenId }), c.nit, persona),
      (e, c) => ({
        nombre: displayName(e),
        razonSocial: c.razonSocial,
        estado: texts()['estados-cortos'][e.estado],
        fecha: formatDate(e.autorizadoPor.en),
        por: e.autorizadoPor.nombre,
      }),
    );
    this.addDialog(new FormDialog(this.nuevo, formDeps));
    this.addDialog(new FormDialog(revocarForm, formDeps));
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new WaterfallDialog(AUTORIZADOS + '-pasos', [this.start.bind(this)]));
    this.addDialog(new WaterfallDialog<ListaOptions>(LISTA, [this.show.bind(this), this.act.bind(this), this.after.bind(this)]));
    this.addDialog(
      new WaterfallDialog<ListaOptions>(REVOCAR, [this.pick.bind(this), this.reason.bind(this), this.confirm.bind(this), this.revoke.bind(this)]),
    );
    this.initialDialogId = AUTORIZADOS + '-pasos';
  }

  /** "ayuda" / "estado" at the list or while revoking (the forms describe their own fields). */
  describeStep(instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    if (below.at(-1) !== CHOICE) return undefined; // the forms describe their own fields
    const stack = innerStack(instance).map((d) => d.id);
    const razonSocial = companyIn(instance) ?? '';
    if (stack.includes(REVOCAR)) return { paso: t('paso-revocar', { razonSocial }), ayuda: t('ayuda-revocar') };
    if (stack.includes(LISTA)) return { paso: t('paso-lista', { razonSocial }), ayuda: t('ayuda-lista') };
    return undefined;
  }

  // ---------------------------------------------------------------- the company

  private async start(step: WaterfallStepContext<AutorizadosOptions>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const rol = session.rol;
    // The process registry starts this only for a person acting as an employer (it offers the choice first).
    if (rol?.tipo !== 'empleador') throw new Error('autorizados: the process registry must start it in an employer role');
    const company = await this.companyOf(session.citizenId, rol.nit, rol.razonSocial, rol.como);
    const accion = step.options?.accion;
    return step.replaceDialog(LISTA, { company, pagina: 0, ...(accion ? { accion } : {}) } satisfies ListaOptions);
  }

  private async companyOf(citizenId: string, nit: string, razonSocial: string, como: 'rl' | 'delegado'): Promise<Company> {
    const sigla = (await this.deps.reference.findCompany(nit))?.sigla;
    return { citizenId, nit, razonSocial, como, ...(sigla ? { sigla } : {}) };
  }

  // ---------------------------------------------------------------- the list (manual step 6)

  private async show(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    const { company } = step.options;
    const listed = await listAuthorizations(this.deps, company.citizenId, acting(company), company.nit);
    if (!listed.ok) {
      await step.context.sendActivity(t('no-permitido'));
      return step.endDialog();
    }
    const { empresa, autorizados } = listed.value;
    const pages = Math.max(1, Math.ceil(autorizados.length / AUTORIZADOS_POR_PAGINA));
    const pagina = Math.min(step.options.pagina, pages - 1);
    const desde = pagina * AUTORIZADOS_POR_PAGINA;
    const shown = autorizados.slice(desde, desde + AUTORIZADOS_POR_PAGINA);
    if (shown.length === 0) {
      await step.context.sendActivity(t(empresa.esCcf ? 'vacio' : 'vacio-no-ccf', companyData(company)));
    } else {
      const intro = t('lista-intro', { ...companyData(company), paginas: pages > 1, desde: desde + 1, hasta: desde + shown.length, total: autorizados.length });
      await step.context.sendActivity(this.listCard(empresa, shown, desde, intro));
    }
    const others = (await employersOf(this.deps, company.citizenId)).filter((r) => r.nit !== company.nit && r.estado !== 'rechazado');
    const actions: [string, string][] = [['nuevo', t('accion-nuevo')]];
    if (autorizados.some((a) => a.estado !== 'revocado')) actions.push(['revocar', t('accion-revocar')]);
    if (pagina + 1 < pages) actions.push(['siguientes', t('accion-siguientes')]);
    if (pagina > 0) actions.push(['primeros', t('accion-anteriores')]);
    if (others.length > 0) actions.push(['empresa', t('accion-empresa')]);
    actions.push(['terminar', t('accion-terminar')]);
    Object.assign(step.values, { actions, empresa, pagina });
    // Asked for when starting ("agregar una persona autorizada"): that action, when the list offers it.
    const asked = actions.find(([id]) => id === step.options.accion);
    if (asked) return step.next(asked[1]);
    const x = texts();
    const aliases = actions.map(([id]) => (id === 'nuevo' ? x['accion-nuevo-otros'] : id === 'revocar' ? x['accion-revocar-otros'] : []));
    return step.prompt(CHOICE, choicePrompt(t('que-hacer', companyData(company)), actions.map(([, label]) => label), {}, { back: true, aliases }));
  }

  private listCard(empresa: Empresa, shown: readonly Autorizacion[], desde: number, intro: string) {
    const x = texts();
    const body: CardElement[] = [textBlock(t('lista-titulo', { razonSocial: empresa.razonSocial }), { weight: 'Bolder', size: 'Medium' })];
    const lines: string[] = [intro];
    shown.forEach((a, i) => {
      const name = t('fila-nombre', { numero: desde + i + 1, nombre: fullName(a), documento: `${a.tipoDocumento} ${maskDocument(a.numeroDocumento)}` });
      const facts: [string, string][] = [
        [x['fila-estado']!, x.estados[a.estado]!],
        [x['fila-rol']!, x.roles[a.rol]!],
        [x['fila-perfil']!, x.perfiles[a.perfil]!],
        [x['fila-sede']!, siteName(this.deps.reference, empresa, a.sede)],
        [x['fila-por']!, t('fila-por-valor', { por: a.autorizadoPor.nombre, como: x.como[capacity(a.autorizadoPor)], fecha: formatDate(a.autorizadoPor.en) })],
      ];
      if (a.revocacion) {
        facts.push([x['fila-revocado']!, t('fila-revocado-valor', { por: a.revocacion.nombre, fecha: formatDate(a.revocacion.en), motivo: a.revocacion.motivo })]);
      }
      body.push(textBlock(name, { weight: 'Bolder', spacing: 'Medium', separator: i > 0 }));
      body.push({ type: 'FactSet', facts: facts.map(([title, value]) => ({ title, value })) });
      lines.push(`${name}\n${facts.map(([k, v]) => `- ${k}: ${v}`).join('\n')}`);
    });
    return message(intro, card(body, [], lines.join('\n\n')));
  }

  private async act(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    const values = step.values as Values;
    if (wentBack(step.result)) return step.endDialog();
    const actions = values['actions'] as [string, string][];
    const accion = actions[chosen(step.result, actions.map(([, label]) => label))]![0];
    values['accion'] = accion;
    const { company } = step.options;
    const pagina = values['pagina'] as number;
    switch (accion) {
      case 'nuevo': {
        const allowed = canAuthorize(values['empresa'] as Empresa);
        if (!allowed.ok) {
          await step.context.sendActivity(refusal(allowed.error, company));
          return step.replaceDialog(LISTA, { company, pagina } satisfies ListaOptions);
        }
        const context: NuevoAutorizadoContext = { nit: company.nit, razonSocial: nameOf(company), como: company.como };
        // The site question names the main site ("Sede principal Medellín — Calle 10 # 43-20, Medellín (Antioquia)").
        const { sede } = values['empresa'] as Empresa;
        const sedePrincipal = `${sede.nombre} — ${siteName(this.deps.reference, values['empresa'] as Empresa, { tipo: 'otra', departamento: sede.departamento, municipio: sede.municipio, direccion: sede.direccion })}`;
        // The rol and the perfil have one option each (the intro names them; the review shows them): not asked.
        const initial = { rol: ROL_CAJA, perfil: PERFIL_SERVICIOS };
        return step.beginDialog(this.nuevo.id, { heading: heading(company), context: { ...context, sedePrincipal }, canGoBack: true, initial } satisfies FormOptions<NuevoAutorizadoValues>);
      }
      case 'revocar': {
        const nombrado = incomingText(step.context);
        return step.beginDialog(REVOCAR, { company, pagina, ...(nombrado ? { nombrado } : {}) } satisfies ListaOptions);
      }
      case 'siguientes':
        return step.replaceDialog(LISTA, { company, pagina: pagina + 1 } satisfies ListaOptions);
      case 'primeros':
        return step.replaceDialog(LISTA, { company, pagina: 0 } satisfies ListaOptions);
      case 'empresa': {
        const others = (await employersOf(this.deps, company.citizenId)).filter((r) => r.estado !== 'rechazado' && r.nit !== company.nit);
        values['empresas'] = others;
        return step.prompt(CHOICE, choicePrompt(t('elegir-empresa'), others.map((r) => r.razonSocial), {}, { back: true }));
      }
      default:
        return step.endDialog();
    }
  }

  private async after(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const { company } = step.options;
    const again = (c: Company = company, pagina = 0) => step.replaceDialog(LISTA, { company: c, pagina } satisfies ListaOptions);
    if (values['accion'] === 'empresa') {
      if (wentBack(step.result)) return again(company, values['pagina'] as number);
      const empresas = values['empresas'] as Awaited<ReturnType<typeof employersOf>>;
      const ref = empresas[chosen(step.result, empresas.map((r) => r.razonSocial))]!;
      const session = await requireSession(this.deps, step.context);
      const rol: ActingRole = { tipo: 'empleador', nit: ref.nit, razonSocial: ref.razonSocial, como: ref.como };
      await this.deps.session.set(step.context, { ...session, rol });
      return again(await this.companyOf(company.citizenId, ref.nit, ref.razonSocial, ref.como));
    }
    if (values['accion'] !== 'nuevo' || wentBackFromForm(step.result)) return again(company, values['pagina'] as number);
    const form = formResult(step.result, this.nuevo).values;
    const done = await authorize(this.deps, company.citizenId, acting(company), company.nit, nuevoAutorizado(form), actorOf(step.context));
    if (!done.ok) {
      await step.context.sendActivity(refusal(done.error, company));
      return again();
    }
    const { autorizacion, nombre, femenina, correo, correoEnviado } = done.value;
    const activo = autorizacion.estado === 'activo';
    await step.context.sendActivity(t(activo ? 'autorizado-activo' : 'autorizado-invitado', { ...companyData(company), nombre, femenina, correo, correoEnviado }));
    if (activo) {
      const sigla = (await this.deps.reference.findCompany(company.nit))?.sigla ?? company.razonSocial;
      const aviso = t('aviso-autorizado', { por: autorizacion.autorizadoPor.nombre, razonSocial: nameOf(company), sigla, femenina });
      await this.deps.notifier.notify(autorizacion.citizenId, aviso);
    }
    return again();
  }

  // ---------------------------------------------------------------- revoking

  private async pick(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    const { company } = step.options;
    const listed = await listAuthorizations(this.deps, company.citizenId, acting(company), company.nit);
    const current = listed.ok ? listed.value.autorizados.filter((a) => a.estado !== 'revocado') : [];
    if (current.length === 0) {
      await step.context.sendActivity(t('nada-para-revocar', companyData(company)));
      return step.endDialog();
    }
    const x = texts();
    const labels = current.map((a) => `${personLabel(a)} (${x['estados-cortos'][a.estado]})`);
    Object.assign(step.values, { current, labels });
    // "quitar a Diana": the one authorization whose person those words name, without the question.
    const named = step.options.nombrado ? optionNamedIn(step.options.nombrado, current.map(personLabel)) : undefined;
    if (named !== undefined) return step.next(labels[named]);
    return step.prompt(CHOICE, choicePrompt(t('cual-revocar', companyData(company)), labels, { numbered: true }, { back: true }));
  }

  private async reason(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    if (wentBack(step.result)) return step.endDialog();
    const values = step.values as Values;
    const current = values['current'] as Autorizacion[];
    const entry = current[chosen(step.result, values['labels'] as string[])]!;
    values['entry'] = entry;
    // Whose authorization: above the question, as the person may have been taken from the words, not chosen.
    const titulo = t('encabezado-revocar', { ...companyData(step.options.company), nombre: displayName(entry) });
    return step.beginDialog(revocarForm.id, { heading: titulo, canGoBack: true } satisfies FormOptions);
  }

  private async confirm(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    const { company } = step.options;
    if (wentBackFromForm(step.result)) return step.replaceDialog(REVOCAR, asking(step.options));
    const { motivo } = formResult(step.result, revocarForm).values;
    const values = step.values as Values;
    values['motivo'] = motivo;
    const entry = values['entry'] as Autorizacion;
    const options = [t('si-revocar'), t('no-revocar')];
    return step.prompt(CHOICE, choicePrompt(t('confirmar-revocar', { nombre: displayName(entry), razonSocial: nameOf(company), motivo }), options, {}, { back: true }));
  }

  private async revoke(step: WaterfallStepContext<ListaOptions>): Promise<DialogTurnResult> {
    const { company } = step.options;
    if (wentBack(step.result)) return step.replaceDialog(REVOCAR, asking(step.options));
    if (chosen(step.result, [t('si-revocar'), t('no-revocar')]) === 1) return step.endDialog();
    const values = step.values as Values;
    const entry = values['entry'] as Autorizacion;
    const motivo = String(values['motivo']);
    const done = await revokeAuthorization(this.deps, company.citizenId, acting(company), company.nit, entry.id, motivo, actorOf(step.context));
    if (!done.ok) {
      await step.context.sendActivity(done.error.code === 'AUTORIZADO.YA_REVOCADO' ? t('ya-revocado') : refusal(done.error, company));
      return step.endDialog();
    }
    const { autorizacion, correo, correoEnviado } = done.value;
    await step.context.sendActivity(t('revocado', { nombre: displayName(entry), razonSocial: nameOf(company), correo, correoEnviado }));
    if (entry.estado === 'activo') {
      await this.deps.notifier.notify(entry.citizenId, t('aviso-revocado', { por: autorizacion.revocacion!.nombre, razonSocial: nameOf(company), motivo }));
    }
    return step.endDialog();
  }
}

/** The message for a refusal of the use cases. */
function refusal(error: AutorizadoError, company: Company): string {
  switch (error.code) {
    case 'AUTORIZADO.YA_ASIGNADO': {
      // Someone else authorized the person meanwhile (another conversation): the entry that exists.
      const e = error.existente;
      const estado = texts()['estados-cortos'][e.estado];
      return t('ya-asignado', { nombre: displayName(e), razonSocial: nameOf(company), estado, fecha: formatDate(e.autorizadoPor.en), por: e.autorizadoPor.nombre });
    }
    case 'AUTORIZADO.NO_COINCIDE':
      return t('no-coincide');
    case 'AUTORIZADO.ROL_NO_DISPONIBLE':
      return t('no-ccf', companyData(company));
    case 'EMPLEADOR.NO_ACTIVO':
      return t('no-activo', { ...companyData(company), estado: error.estado });
    default:
      return t('no-permitido');
  }
}

type InnerDialog = { id: string; state?: { options?: { company?: Company } } };
/** The dialogs active inside this process (its own dialog set's stack), outermost first. */
function innerStack(instance: DialogInstance): InnerDialog[] {
  return (instance.state as { dialogs?: { dialogStack?: InnerDialog[] } }).dialogs?.dialogStack ?? [];
}

/** The razón social kept in the process's options (for "estado" and "ayuda"), if found. */
function companyIn(instance: DialogInstance): string | undefined {
  const company = innerStack(instance).map((d) => d.state?.options?.company).find(Boolean);
  return company ? nameOf(company) : undefined;
}
