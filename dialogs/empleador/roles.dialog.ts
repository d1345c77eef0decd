/**
 * After login: the role to act in ("Ciudadano" or "Empleador persona jurídica — <razón social>");
 * "Actualizar datos" of an employer (main site or delegate); the MinSalud RUT review.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { activeServiceIds } from '../../domain/asignaciones.js';
import { ccfRoleOf } from '../../domain/autorizados.js';
import { pendingRutReviews, reviewRut } from '../../domain/backoffice.js';
import { checkDelegate } from '../../domain/delegados.js';
import { updateEmployer } from '../../domain/empleador-actualizar.js';
import { employersOf, getEmployer, type EmployerRef } from '../../domain/empleador-roles.js';
import type { DelegateData, Sede } from '../../domain/employers.js';
import { formatNit, computeDv } from '../../domain/nit.js';
import { optionNamedIn } from '../../domain/choice.js';
import { fold } from '../../domain/text.js';
import { actingRole, type ActingRole } from '../../domain/session.js';
import { rolesOf } from '../../domain/roles.js';
import { requireSession } from '../session.js';
import { roleAliases, roleLabel } from '../roles-text.js';
import { ChoicePrompt, choicePrompt, chosen } from '../choice.js';
import { fill, messages, render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { formatDate } from '../format.js';
import { FormDialog, type FormOptions } from '../form/form.dialog.js';
import { sessionOwner } from '../form/form-drafts.js';
import { fieldTexts, formResult, untyped, type FormSpec } from '../form/form-spec.js';
import { notifyDelegate, type EmpleadorDialogDeps } from './empleador.dialog.js';
import { delegadoForm, naturalezaLabel, rechazoForm, SEDE_FORM_ID, sedeForm } from './empleador.forms.js';

export const ELEGIR_ROL = 'elegir-rol';
export const ACTUALIZAR = 'actualizar-datos';
export const REVISION_RUT = 'revision-rut';
const CHOICE = 'roles-eleccion';

export interface RolesDialogDeps extends EmpleadorDialogDeps {
  /** A short-lived link to download a stored RUT (signed by bot/). */
  readonly rutLink: (sha256: string) => string;
}

type Texts = Record<string, string>;
type Values = Record<string, unknown>;

// ---------------------------------------------------------------- role choice

export interface ElegirRolOptions {
  /** Only these roles (e.g. the ones that fit the functionality the person asked for). */
  readonly solo?: readonly ActingRole[];
}
/** What the role choice returns: the role chosen, if any. */
export interface ElegirRolResult {
  readonly rol?: ActingRole;
}

export class ElegirRolDialog extends ComponentDialog {
  constructor(private readonly deps: RolesDialogDeps) {
    super(ELEGIR_ROL);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new WaterfallDialog<ElegirRolOptions>(ELEGIR_ROL + '-pasos', [this.ask.bind(this), this.choose.bind(this)]));
    this.initialDialogId = ELEGIR_ROL + '-pasos';
  }

  private async ask(step: WaterfallStepContext<ElegirRolOptions>): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    const roles = step.options?.solo ?? (await rolesOf(this.deps, session.citizenId)).roles;
    if (roles.length === 0 || (roles.length === 1 && !step.options?.solo)) {
      // "Cambiar de rol" typed by a person with one role (the login asks only people with several).
      await step.context.sendActivity(render('empleador/un-solo-rol', { rol: roleLabel(roles[0] ?? actingRole(session)) }));
      return step.endDialog({} satisfies ElegirRolResult);
    }
    if (roles.length === 1) return this.actAs(step, roles[0]!); // the one role that fits: no question
    (step.values as Values)['roles'] = roles;
    return step.prompt(CHOICE, choicePrompt(render('empleador/elegir-rol'), roles.map(roleLabel), {}, { aliases: roles.map(roleAliases) }));
  }

  private async choose(step: WaterfallStepContext<ElegirRolOptions>): Promise<DialogTurnResult> {
    const roles = (step.values as Values)['roles'] as ActingRole[];
    return this.actAs(step, roles[chosen(step.result, roles.map(roleLabel))]!);
  }

  private async actAs(step: WaterfallStepContext, rol: ActingRole): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    await this.deps.session.set(step.context, { ...session, rol });
    await step.context.sendActivity(render('empleador/rol-elegido', { rol: roleLabel(rol) }));
    if (rol.tipo === 'ccf') {
      // Until the Ministry activates the CCF role, the person learns it now, not at the first refusal.
      const state = await ccfRoleOf(this.deps, rol.nit);
      const razonSocial = rol.sigla ?? rol.razonSocial;
      if (!state?.activo) {
        const detail = state ? { desactivado: true, fecha: formatDate(state.en), motivo: state.motivo } : {};
        await step.context.sendActivity(render('autorizados/rol-ccf-sin-activar', { razonSocial, ...detail }));
      } else {
        const servicios = await activeServiceIds(this.deps, rol.nit);
        await step.context.sendActivity(render('autorizados/rol-ccf-activo', { razonSocial, fecha: formatDate(state.en), servicios }));
      }
    }
    return step.endDialog({ rol } satisfies ElegirRolResult);
  }
}

// ---------------------------------------------------------------- Actualizar datos

/** Actualizar datos' start options: the words that chose it ("quiero cambiar el teléfono de la sede"). */
export interface ActualizarOptions {
  readonly pista?: string;
}

/**
 * What the words that chose Actualizar datos name: the delegate, or the main site and maybe one of its
 * fields ("el teléfono de la sede" → telefono); undefined when they name neither.
 */
export function updateNamed(words: string, sede: FormSpec): { parte: 'sede' | 'delegado'; campo?: string } | undefined {
  const folded = fold(words);
  if (/\bdelegad[oa]s?\b/.test(folded)) return { parte: 'delegado' };
  const fields = untyped(sede).fields;
  // "sede" is in a field's label ("Nombre de la sede"): read apart, it names the part, not that field.
  const i = optionNamedIn(folded.replace(/\b(sede|principal)\b/g, ' '), fields.map((f) => fieldTexts(sede, f.key).etiqueta));
  if (i !== undefined) return { parte: 'sede', campo: fields[i]!.key };
  return /\bsede\b/.test(folded) ? { parte: 'sede' } : undefined;
}

export class ActualizarDialog extends ComponentDialog {
  private readonly delegado: FormSpec<DelegateData>;
  private readonly sede: FormSpec<Sede>;

  constructor(private readonly deps: RolesDialogDeps) {
    super(ACTUALIZAR);
    this.addDialog(new ChoicePrompt(CHOICE));
    const formDeps = { ...deps, draftOwner: sessionOwner(deps.session, deps.clock) };
    this.delegado = delegadoForm((rl, d) => checkDelegate(deps, rl, d));
    this.sede = sedeForm(deps.reference);
    this.addDialog(new FormDialog(this.sede, formDeps));
    this.addDialog(new FormDialog(this.delegado, formDeps));
    this.addDialog(
      new WaterfallDialog(ACTUALIZAR + '-pasos', [
        this.company.bind(this),
        this.what.bind(this),
        this.form.bind(this),
        this.save.bind(this),
      ]),
    );
    this.initialDialogId = ACTUALIZAR + '-pasos';
  }

  private async company(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = messages<Texts>('empleador/actualizar');
    const session = await requireSession(this.deps, step.context);
    const own = (await employersOf(this.deps, session.citizenId)).filter((r) => r.como === 'rl');
    if (own.length === 0) {
      await step.context.sendActivity(t['no-es-rl']!);
      return step.endDialog();
    }
    Object.assign(step.values, { citizenId: session.citizenId, refs: own });
    const acting = session.rol?.tipo === 'empleador' ? own.find((r) => r.nit === (session.rol as { nit: string }).nit) : undefined;
    if (acting || own.length === 1) return step.next(acting?.nit ?? own[0]!.nit);
    return step.prompt(CHOICE, choicePrompt(messages<Texts>('empleador/roles')['elegir-empresa']!, own.map((r) => r.razonSocial)));
  }

  private async what(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const refs = (step.values as Values)['refs'] as EmployerRef[];
    const ref = refs.find((r) => r.nit === step.result) ?? refs[chosen(step.result, refs.map((r) => r.razonSocial))]!;
    Object.assign(step.values, { nit: ref.nit, razonSocial: ref.razonSocial });
    const t = messages<Texts>('empleador/actualizar');
    const pista = (step.options as ActualizarOptions | undefined)?.pista;
    const named = pista ? updateNamed(pista, untyped(this.sede)) : undefined;
    if (named) {
      if (named.campo) (step.values as Values)['campo'] = named.campo;
      return step.next(named.parte === 'sede' ? t['sede'] : t['delegado']);
    }
    return step.prompt(CHOICE, choicePrompt(fill(t['que']!, { razonSocial: ref.razonSocial }), [t['sede']!, t['delegado']!]));
  }

  private async form(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = messages<Texts>('empleador/actualizar');
    const i = chosen(step.result, [t['sede']!, t['delegado']!]);
    const values = step.values as Values;
    values['que'] = i === 0 ? 'sede' : 'delegado';
    if (i === 1) return step.beginDialog(this.delegado.id);
    const current = await getEmployer(this.deps, String(values['citizenId']), String(values['nit']));
    // A field named in the words that chose this ("el teléfono de la sede") is asked at once. No intro:
    // the registration's ("Por último, los datos de la sede principal…") does not fit here.
    const campo = values['campo'] as string | undefined;
    const opening = { skipIntro: true, ...(campo ? { correct: campo } : {}) };
    return step.beginDialog(SEDE_FORM_ID, { initial: current.ok ? { ...current.value.sede } : {}, ...opening } satisfies FormOptions);
  }

  private async save(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as Values;
    const citizenId = String(values['citizenId']);
    // The delegate form checked the person against the reference sources before its review.
    const delegado = values['que'] === 'delegado' ? formResult(step.result, this.delegado).values : undefined;
    const change = delegado ? { delegado } : { sede: formResult(step.result, this.sede).values };
    const result = await updateEmployer(this.deps, citizenId, String(values['nit']), change, actorOf(step.context));
    if (!result.ok) {
      await step.context.sendActivity(render('general/error'));
      return step.endDialog();
    }
    if (delegado) {
      const employer = await getEmployer(this.deps, citizenId, String(values['nit']));
      if (employer.ok && employer.value.delegado.estado === 'vinculado') {
        await notifyDelegate(this.deps, delegado, String(values['razonSocial']));
      }
    }
    await step.context.sendActivity(
      fill(messages<Texts>('empleador/actualizar')[result.value.correoEnviado ? 'hecho' : 'hecho-sin-correo']!, {
        razonSocial: values['razonSocial'],
        correo: result.value.emailEnmascarado,
      }),
    );
    return step.endDialog();
  }
}

// ---------------------------------------------------------------- RUT review (MinSalud)

export class RevisionRutDialog extends ComponentDialog {
  constructor(private readonly deps: RolesDialogDeps) {
    super(REVISION_RUT);
    this.addDialog(new ChoicePrompt(CHOICE));
    this.addDialog(new FormDialog(rechazoForm, deps));
    this.addDialog(
      new WaterfallDialog(REVISION_RUT + '-pasos', [this.list.bind(this), this.detail.bind(this), this.decide.bind(this), this.reject.bind(this)]),
    );
    this.initialDialogId = REVISION_RUT + '-pasos';
  }

  private async list(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = messages<Texts>('empleador/revision');
    const session = await requireSession(this.deps, step.context);
    const pending = await pendingRutReviews(this.deps, session.citizenId);
    if (!pending.ok) {
      await step.context.sendActivity(t['no-autorizado']!);
      return step.endDialog();
    }
    if (pending.value.length === 0) {
      await step.context.sendActivity(t['vacio']!);
      return step.endDialog();
    }
    const items = pending.value.map((e) => ({ nit: e.nit, razonSocial: e.razonSocial }));
    Object.assign(step.values, { citizenId: session.citizenId, items });
    return step.prompt(CHOICE, choicePrompt(fill(t['lista']!, { total: items.length }), items.map((i) => i.razonSocial), { numbered: true }));
  }

  private async detail(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = messages<Texts>('empleador/revision');
    const values = step.values as Values;
    const items = values['items'] as { nit: string; razonSocial: string }[];
    const i = chosen(step.result, items.map((x) => x.razonSocial));
    const employer = await getEmployer(this.deps, String(values['citizenId']), items[i]!.nit);
    if (!employer.ok || !employer.value.rut) return step.replaceDialog(REVISION_RUT + '-pasos');
    const e = employer.value;
    const rut = e.rut!;
    values['nit'] = e.nit;
    const text = fill(t['detalle']!, {
      razonSocial: e.razonSocial,
      nit: formatNit(e.nit, computeDv(e.nit)),
      naturaleza: naturalezaLabel(e.naturaleza),
      fecha: rut.fechaExpedicion.split('-').reverse().join('/'),
      kb: Math.max(1, Math.round(rut.size / 1024)),
      enlace: this.deps.rutLink(rut.sha256),
    });
    return step.prompt(CHOICE, choicePrompt(text, [t['aprobar']!, t['rechazar']!]));
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = messages<Texts>('empleador/revision');
    if (chosen(step.result, [t['aprobar']!, t['rechazar']!]) === 1) return step.beginDialog(rechazoForm.id);
    return this.finish(step, 'aprobado', undefined);
  }

  private async reject(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { motivo } = formResult(step.result, rechazoForm).values;
    return this.finish(step, 'rechazado', motivo);
  }

  private async finish(step: WaterfallStepContext, decision: 'aprobado' | 'rechazado', motivo: string | undefined): Promise<DialogTurnResult> {
    const t = messages<Texts>('empleador/revision');
    const values = step.values as Values;
    const result = await reviewRut(this.deps, String(values['citizenId']), String(values['nit']), decision, motivo, actorOf(step.context));
    const key = result.ok
      ? decision === 'aprobado' ? 'hecho-aprobado' : 'hecho-rechazado'
      : result.error.code === 'REVISION.NO_PENDIENTE' ? 'ya-revisado' : 'no-autorizado';
    await step.context.sendActivity(t[key]!);
    return step.endDialog();
  }
}
