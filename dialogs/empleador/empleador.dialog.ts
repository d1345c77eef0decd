/**
 * Registrar rol empleador persona jurídica (the legal representative): NIT → company data as in the
 * RUT (or the RUT attached) → delegate → main site → review → the role is created.
 */
import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogInstance,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { checkDelegate } from '../../domain/delegados.js';
import type { EmpleadorDeps, EmpleadorError } from '../../domain/empleador-common.js';
import { checkRepresentative, matchesRut, registerEmployer, rutDifferences } from '../../domain/empleador-registro.js';
import type { DelegateData, Naturaleza, Sede } from '../../domain/employers.js';
import { asksToChange, changeTarget, parseCommand } from '../../domain/commands.js';
import { answerYesNo } from '../../domain/fields.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import type { Clock, SecretBox } from '../../domain/ports.js';
import { checkRutFile, RUT_MAX_AGE_DAYS, RUT_MAX_BYTES, RUT_MIN_PAGES } from '../../domain/rut.js';
import type { Session } from '../../domain/session.js';
import { fill, messages, render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { card, imBack, message, textBlock } from '../cards.js';
import { FormDialog, wentBackFromForm, type FormOptions } from '../form/form.dialog.js';
import { findFields } from '../form/field-input.js';
import { formResult, maybeFormResult, untyped, type FormSpec } from '../form/form-spec.js';
import { sessionOwner } from '../form/form-drafts.js';
import { incomingText, type AttachmentDownloader } from '../incoming.js';
import { ChoicePrompt, choicePrompt, chosen } from '../choice.js';
import { fold } from '../../domain/text.js';
import { DELEGADO_FORM_ID, delegadoForm, empresaForm, naturalezaLabel, nitForm, representedContext, rutFechaForm, SEDE_FORM_ID, sedeForm } from './empleador.forms.js';
import { requireSession } from '../session.js';
import type { DescribesStep, StepInfo } from '../step-info.js';
import type { Notifier } from '../notifier.js';
import { documentKey, documentOf } from '../../domain/citizens.js';

export const REGISTRO_EMPLEADOR = 'registro-empleador';
const PASOS = REGISTRO_EMPLEADOR + '-pasos';
const ADJUNTO = 'empleador-adjunto';
const CONFIRMAR = 'empleador-confirmar';
const EMPRESA = 'empleador-empresa-paso';
/** The final summary: confirm, correct the delegate or the main site (and back to the summary), or cancel. */
const FINAL = 'empleador-final';
const QUE_CORREGIR = 'empleador-que-corregir';

/** What the final summary lets the person correct without starting again. */
const PARTES = ['delegado', 'sede'] as const;
type Parte = (typeof PARTES)[number];
interface FinalOptions {
  readonly draft: Draft;
  readonly citizenId: string;
}

interface EmpresaOptions {
  readonly nit: string;
  readonly initial?: Record<string, unknown>;
}
/** The company data as the registration keeps it, with the attached RUT when the data did not match. */
type EmpresaResult =
  | { readonly razonSocial: string; readonly naturaleza: Naturaleza; readonly rut?: { sha256: string; size: number } }
  /** "atrás" at the company data's first question: back to the NIT. */
  | { readonly atras: true };
type EmpresaData = Exclude<EmpresaResult, { atras: true }>;
/** The attachment step ends with the stored file, or with the wish to go back to the company data. */
type AttachmentResult = { sha256: string; size: number } | { volver: true; campo?: 'razonSocial' | 'naturaleza' };

/** The RUT rules as the messages state them (domain constants, never typed twice). */
const rutRules = () => ({ maxMb: RUT_MAX_BYTES / (1024 * 1024), paginas: RUT_MIN_PAGES, dias: RUT_MAX_AGE_DAYS });

/**
 * "The data does not match the RUT": what to do, with a button to correct the data; `rut`, the RUT
 * reference's values of what was typed differently (its razón social, its naturaleza's title).
 */
function rutRequest(rut: { razonSocial?: string; naturaleza?: string } = {}) {
  const t = messages<ResumenTexts>('empleador/resumen');
  const text = render('empleador/rut-requerido', { ...rutRules(), rut });
  return message(text, card([], [imBack(t['corregir-empresa']!, 'atrás')], text));
}

export interface EmpleadorDialogDeps extends EmpleadorDeps {
  readonly clock: Clock;
  readonly secrets: SecretBox;
  readonly session: StatePropertyAccessor<Session | undefined>;
  readonly download: AttachmentDownloader;
  readonly notifier: Notifier;
}

interface Draft {
  nit?: string;
  razonSocial?: string;
  naturaleza?: Naturaleza;
  rut?: { sha256: string; size: number; fechaExpedicion?: string };
  delegado?: DelegateData;
  sede?: Sede;
}

/**
 * PASOS begun again by "atrás" at the first question of the delegate or of the main site: the draft so
 * far (its NIT checked in this same registration) and the part before, shown on its review.
 */
interface PasosOptions {
  readonly volver?: { readonly draft: Draft; readonly a: 'empresa' | 'delegado' };
  /** Begun again by "atrás" at the company data's first question: the NIT is asked again, without the intro. */
  readonly otraVez?: boolean;
}
type Step = WaterfallStepContext<PasosOptions>;
const draftOf = (step: Step): Draft => ((step.values as Record<string, unknown>)['draft'] ??= {}) as Draft;

interface ResumenTexts {
  [k: string]: string;
}

export class EmpleadorDialog extends ComponentDialog implements DescribesStep {
  private readonly delegado: FormSpec<DelegateData>;
  private readonly sede: FormSpec<Sede>;

  constructor(private readonly deps: EmpleadorDialogDeps) {
    super(REGISTRO_EMPLEADOR);
    // The delegate and the main site are kept as drafts: a person who leaves finds them again, in any conversation.
    this.delegado = { ...delegadoForm((rl, d) => checkDelegate(deps, rl, d)), draft: true };
    this.sede = { ...sedeForm(deps.reference), draft: true };
    const formDeps = { ...deps, draftOwner: sessionOwner(deps.session, deps.clock) };
    this.addDialog(new FormDialog(nitForm, formDeps));
    this.addDialog(new FormDialog(empresaForm, formDeps));
    this.addDialog(new FormDialog(rutFechaForm, formDeps));
    this.addDialog(new FormDialog(this.delegado, formDeps));
    this.addDialog(new FormDialog(this.sede, formDeps));
    this.addDialog(new RutAttachmentDialog(deps));
    // The summary takes yes / no, "corregir [dato]" and "atrás"; anything else shows it again.
    this.addDialog(new TextPrompt(CONFIRMAR, async (p) => finalAnswer(p.recognized.value ?? '', this.parts()) !== undefined));
    this.addDialog(new ChoicePrompt(QUE_CORREGIR));
    this.addDialog(new WaterfallDialog<FinalOptions>(FINAL, [this.showSummary.bind(this), this.decide.bind(this), this.correctPart.bind(this), this.afterCorrection.bind(this)]));
    this.addDialog(
      new WaterfallDialog(PASOS, [
        this.askNit.bind(this),
        this.checkNit.bind(this),
        this.afterCompany.bind(this),
        this.afterRutDate.bind(this),
        this.afterDelegate.bind(this),
        this.afterSede.bind(this),
        this.afterFinal.bind(this),
      ]),
    );
    this.addDialog(
      new WaterfallDialog<EmpresaOptions>(EMPRESA, [this.askCompany.bind(this), this.checkCompany.bind(this), this.afterAttachment.bind(this)]),
    );
    this.initialDialogId = PASOS;
  }

  /** The final confirmation has its own help; the forms and the RUT upload describe themselves. */
  describeStep(_instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    if (!below.includes(CONFIRMAR)) return undefined;
    return { paso: messages<ResumenTexts>('empleador/resumen')['paso-confirmar']!, ayuda: render('empleador/ayuda-confirmar') };
  }

  private async askNit(step: Step): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, step.context);
    (step.values as Record<string, unknown>)['citizenId'] = session.citizenId;
    if (step.options?.volver) return step.next(); // the NIT was checked in this same registration
    const doc = documentOf(session.citizenId);
    const represented = doc ? await this.deps.reference.companiesRepresentedBy(doc.tipo, doc.numero) : [];
    const opening = { context: representedContext(represented), ...(step.options?.otraVez ? { skipIntro: true } : {}) };
    return step.beginDialog(nitForm.id, opening satisfies FormOptions);
  }

  private async checkNit(step: Step): Promise<DialogTurnResult> {
    const back = step.options?.volver;
    if (back) {
      const draft = Object.assign(draftOf(step), back.draft);
      if (back.a === 'delegado') return step.next(); // the company data stays as it was
      const initial = { razonSocial: draft.razonSocial, naturaleza: draft.naturaleza };
      return step.beginDialog(EMPRESA, { nit: draft.nit!, initial } satisfies EmpresaOptions);
    }
    const { nit } = formResult(step.result, nitForm).values;
    const result = await checkRepresentative(this.deps, this.citizen(step), nit);
    if (!result.ok) return this.stop(step, result.error);
    draftOf(step).nit = nit;
    await step.context.sendActivity(
      render('empleador/nit-entendido', { nit: formatNit(nit, computeDv(nit)), razonSocial: result.value.company.razonSocial }),
    );
    return step.beginDialog(EMPRESA, { nit } satisfies EmpresaOptions);
  }

  private async afterCompany(step: Step): Promise<DialogTurnResult> {
    if (step.options?.volver?.a === 'delegado') return step.next();
    // "atrás" at the company data's first question (or its review opened again): the NIT again.
    if ('atras' in (step.result as object)) return step.replaceDialog(PASOS, { otraVez: true } satisfies PasosOptions);
    const empresa = step.result as EmpresaData;
    const draft = draftOf(step);
    draft.razonSocial = empresa.razonSocial;
    draft.naturaleza = empresa.naturaleza;
    if (!empresa.rut) return step.next(); // matches the RUT reference: no attachment, no date
    draft.rut = empresa.rut;
    return step.beginDialog(rutFechaForm.id);
  }

  // ---------------------------------------------------------------- company data (its own loop)

  /** The company data as in the RUT; when it does not match, the person corrects it or attaches the RUT. */
  private async askCompany(step: WaterfallStepContext<EmpresaOptions>): Promise<DialogTurnResult> {
    return step.beginDialog(empresaForm.id, { initial: step.options.initial, canGoBack: true } satisfies FormOptions);
  }

  private async checkCompany(step: WaterfallStepContext<EmpresaOptions>): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result)) return step.endDialog({ atras: true } satisfies EmpresaResult);
    const data = formResult(step.result, empresaForm).values;
    (step.values as Record<string, unknown>)['empresa'] = data;
    const company = await this.deps.reference.findCompany(step.options.nit);
    // Matching data takes the reference's own spelling of the razón social.
    if (company && matchesRut(company, data)) return step.endDialog({ ...data, razonSocial: company.razonSocial } satisfies EmpresaResult);
    const differs = company ? rutDifferences(company, data) : {};
    await step.context.sendActivity(rutRequest({ ...differs, ...(differs.naturaleza ? { naturaleza: naturalezaLabel(differs.naturaleza) } : {}) }));
    return step.beginDialog(ADJUNTO);
  }

  private async afterAttachment(step: WaterfallStepContext<EmpresaOptions>): Promise<DialogTurnResult> {
    const data = (step.values as Record<string, unknown>)['empresa'] as Omit<EmpresaData, 'rut'>;
    const result = step.result as AttachmentResult;
    if ('volver' in result) {
      // Back to the company data: the field named (or the razón social) is asked again, the rest kept.
      const campo = result.campo ?? 'razonSocial';
      const initial: Record<string, unknown> = { ...data };
      delete initial[campo];
      return step.replaceDialog(EMPRESA, { nit: step.options.nit, initial } satisfies EmpresaOptions);
    }
    return step.endDialog({ ...data, rut: result } satisfies EmpresaResult);
  }

  private async afterRutDate(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    const result = maybeFormResult(step.result, rutFechaForm);
    if (draft.rut && result) draft.rut.fechaExpedicion = result.values.fechaExpedicion;
    const review = step.options?.volver?.a === 'delegado' ? { initial: { ...draft.delegado }, skipIntro: true } : {};
    return step.beginDialog(DELEGADO_FORM_ID, { canGoBack: true, ...review } satisfies FormOptions);
  }

  private async afterDelegate(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    if (wentBackFromForm(step.result)) {
      // "atrás" at the delegate's first question: the company data again, on its review (a RUT attached is asked again).
      const back = { nit: draft.nit!, razonSocial: draft.razonSocial!, naturaleza: draft.naturaleza! };
      return step.replaceDialog(PASOS, { volver: { draft: back, a: 'empresa' } } satisfies PasosOptions);
    }
    draft.delegado = formResult(step.result, this.delegado).values;
    return step.beginDialog(SEDE_FORM_ID, { canGoBack: true } satisfies FormOptions);
  }

  private async afterSede(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    // "atrás" at the main site's first question: the delegate again, on its review.
    if (wentBackFromForm(step.result)) return step.replaceDialog(PASOS, { volver: { draft: { ...draft }, a: 'delegado' } } satisfies PasosOptions);
    draft.sede = formResult(step.result, this.sede).values;
    return step.beginDialog(FINAL, { draft, citizenId: this.citizen(step) } satisfies FinalOptions);
  }

  /** The forms of the summary's parts, for reading which one a "corregir …" names. */
  private parts(): Record<Parte, FormSpec> {
    return { delegado: untyped(this.delegado), sede: untyped(this.sede) };
  }

  private async afterFinal(step: Step): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }

  // ---------------------------------------------------------------- the final summary (its own loop)

  private async showSummary(step: WaterfallStepContext<FinalOptions>): Promise<DialogTurnResult> {
    const summary = this.summary(step.options.draft);
    return step.prompt(CONFIRMAR, { prompt: summary, retryPrompt: summary });
  }

  /** Confirmed: the role is registered. "corregir …", "atrás" or "no": that part, or which one. */
  private async decide(step: WaterfallStepContext<FinalOptions>): Promise<DialogTurnResult> {
    const answer = finalAnswer(String(step.result ?? ''), this.parts());
    if (answer === 'si') return this.register(step);
    if (answer === 'delegado' || answer === 'sede') {
      // "corregir teléfono": that field is asked at once; "corregir sede" opens the part's review.
      const campo = fieldToCorrect(String(step.result ?? ''));
      if (campo) (step.values as Record<string, unknown>)['campo'] = campo;
      return step.next(answer);
    }
    const t = messages<ResumenTexts>('empleador/resumen');
    return step.prompt(QUE_CORREGIR, choicePrompt(t['que-corregir']!, [t['delegado']!, t['sede']!, t['cancelar-registro']!]));
  }

  private async correctPart(step: WaterfallStepContext<FinalOptions>): Promise<DialogTurnResult> {
    const t = messages<ResumenTexts>('empleador/resumen');
    const parte: Parte | 'cancelar' =
      step.result === 'delegado' || step.result === 'sede' ? step.result : (['delegado', 'sede', 'cancelar'] as const)[chosen(step.result, [t['delegado']!, t['sede']!, t['cancelar-registro']!])]!;
    if (parte === 'cancelar') {
      await step.context.sendActivity(render('general/cancelado'));
      return step.endDialog();
    }
    (step.values as Record<string, unknown>)['parte'] = parte;
    const { draft } = step.options;
    // The form opens on its review with the values given (or asking the field named): the person
    // changes what is wrong and confirms. Its intro ("Por último, los datos de…") was said the first time.
    const campo = (step.values as Record<string, unknown>)['campo'] as string | undefined;
    const opening = { canGoBack: true, skipIntro: true, ...(campo ? { correct: campo } : {}) } as const;
    return parte === 'delegado'
      ? step.beginDialog(DELEGADO_FORM_ID, { initial: { ...draft.delegado }, ...opening } satisfies FormOptions)
      : step.beginDialog(SEDE_FORM_ID, { initial: { ...draft.sede }, ...opening } satisfies FormOptions);
  }

  private async afterCorrection(step: WaterfallStepContext<FinalOptions>): Promise<DialogTurnResult> {
    const parte = (step.values as Record<string, unknown>)['parte'] as Parte;
    const draft: Draft = { ...step.options.draft };
    // "atrás" from the part's review: back to the summary as it was.
    if (wentBackFromForm(step.result)) return step.replaceDialog(FINAL, step.options);
    if (parte === 'delegado') draft.delegado = formResult(step.result, this.delegado).values;
    else draft.sede = formResult(step.result, this.sede).values;
    return step.replaceDialog(FINAL, { ...step.options, draft } satisfies FinalOptions);
  }

  private async register(step: WaterfallStepContext<FinalOptions>): Promise<DialogTurnResult> {
    const { draft, citizenId } = step.options;
    const bytes = draft.rut ? await this.deps.blobs.get(draft.rut.sha256) : undefined;
    const result = await registerEmployer(
      this.deps,
      citizenId,
      {
        nit: draft.nit!,
        razonSocial: draft.razonSocial!,
        naturaleza: draft.naturaleza!,
        ...(draft.rut && bytes ? { rut: { bytes, fechaExpedicion: draft.rut.fechaExpedicion! } } : {}),
        delegado: draft.delegado!,
        sede: draft.sede!,
      },
      actorOf(step.context),
    );
    if (!result.ok) return this.stop(step, result.error);
    if (result.value.delegado === 'vinculado') await notifyDelegate(this.deps, draft.delegado!, draft.razonSocial!);
    // The RL now acts for the company just registered: the menu offers what comes next for it.
    const session = await requireSession(this.deps, step.context);
    await this.deps.session.set(step.context, { ...session, rol: { tipo: 'empleador', nit: draft.nit!, razonSocial: draft.razonSocial!, como: 'rl' } });
    const done = MessageFactory.suggestedActions(
      [messages<ResumenTexts>('empleador/resumen')['terminar']!],
      render('empleador/registrado', {
        razonSocial: draft.razonSocial,
        pendiente: result.value.estado === 'pendiente_revision',
        correo: result.value.emailEnmascarado,
        correoEnviado: result.value.correoEnviado,
        invitado: result.value.delegado === 'invitado',
        delegada: result.value.delegada,
      }),
    );
    await step.context.sendActivity(done);
    return step.endDialog({ registrado: true, terminar: true });
  }

  // ---------------------------------------------------------------- helpers

  private citizen(step: Step): string {
    return String((step.values as Record<string, unknown>)['citizenId']);
  }

  private async stop(step: WaterfallStepContext, error: EmpleadorError): Promise<DialogTurnResult> {
    await step.context.sendActivity(render(errorTemplate(error)));
    return step.endDialog();
  }

  private summary(draft: Draft) {
    const t = messages<ResumenTexts>('empleador/resumen');
    const registry = this.deps.reference;
    const d = draft.delegado!;
    const s = draft.sede!;
    const municipio = registry.findMunicipality(s.municipio);
    const departamento = registry.departments().find((x) => x.code === s.departamento);
    const facts = (rows: [string, string][]) => ({ type: 'FactSet', facts: rows.map(([title, value]) => ({ title, value })) });
    const body = [
      textBlock(t['titulo']!, { weight: 'Bolder', size: 'Medium' }),
      textBlock(t['empresa']!, { weight: 'Bolder', spacing: 'Medium' }),
      facts([
        [t['nit']!, formatNit(draft.nit!, computeDv(draft.nit!))],
        [t['razonSocial']!, draft.razonSocial!],
        [t['naturaleza']!, naturalezaLabel(draft.naturaleza!)],
        [t['rut']!, draft.rut ? fill(t['rutSi']!, { fecha: draft.rut.fechaExpedicion!.split('-').reverse().join('/') }) : t['rutNo']!],
      ]),
      textBlock(t['delegado']!, { weight: 'Bolder', spacing: 'Medium' }),
      facts([
        ['', `${d.tipoDocumento} ${d.numeroDocumento}`],
        ['', [d.primerNombre, d.segundoNombre, d.primerApellido, d.segundoApellido].filter(Boolean).join(' ')],
        ['', d.email],
      ]),
      textBlock(t['sede']!, { weight: 'Bolder', spacing: 'Medium' }),
      facts([
        ['', s.nombre],
        ['', `${s.direccion}, ${municipio?.name ?? s.municipio} (${departamento?.name ?? s.departamento})`],
        ['', `${s.telefono} · ${s.email}`],
      ]),
    ];
    const text = render('empleador/resumen');
    return message(
      text,
      card(body, [imBack(t['confirmar']!, 'confirmar', 'positive'), imBack(t['corregir']!, 'corregir'), imBack(t['cancelar']!, 'cancelar')], text),
    );
  }
}

/** The part a name given to "corregir" is ("delegado", "la sede"), if it names a part rather than a field. */
const partNamed = (name: string): Parte | undefined => {
  const said = fold(name);
  return /\bdelegad/.test(said) ? 'delegado' : /\bsede\b/.test(said) ? 'sede' : undefined;
};

/** The field a "corregir …" at the final summary names ("corregir teléfono"), not a part nor nothing. */
function fieldToCorrect(text: string): string | undefined {
  const command = parseCommand(text);
  const name = command?.kind === 'corregir' ? command.field : undefined;
  return name && fold(name) && !partNamed(name) ? name : undefined;
}

/**
 * An answer to the final summary: 'si' to register; the part to correct ("corregir delegado", or a
 * field of one part only: "corregir dirección" → the main site, "corregir apellido" → the delegate;
 * "atrás": the main site, the step before); 'elegir' when the part is to be asked ("corregir", "no",
 * a field both parts have); undefined when it is none of these (the summary again).
 */
export function finalAnswer(text: string, parts: Readonly<Record<Parte, FormSpec>>): 'si' | Parte | 'elegir' | undefined {
  const yes = answerYesNo(text);
  if (yes === true) return 'si';
  if (yes === false) return 'elegir';
  const command = parseCommand(text);
  if (command?.kind === 'atras') return 'sede'; // the step before the summary
  // "quiero cambiar el teléfono" reads as "corregir teléfono"; "quiero cambiar algo" as "corregir".
  const asked = command === undefined && asksToChange(text);
  if (command?.kind !== 'corregir' && !asked) return undefined;
  const name = (command?.kind === 'corregir' ? command.field : changeTarget(text)) ?? '';
  const part = partNamed(name);
  if (part) return part;
  if (!fold(name)) return 'elegir';
  // The part whose form has a field of that name (labels, as "corregir" reads them in a review).
  const fits = PARTES.filter((p) => findFields(parts[p], parts[p].fields, name).length > 0);
  return fits.length === 1 ? (fits[0] as Parte) : 'elegir';
}

const ERROR_TEMPLATES: Partial<Record<EmpleadorError['code'], string>> = {
  'EMPLEADOR.NO_ES_RL': 'empleador/no-es-rl',
  'PERMISO.DENEGADO': 'empleador/no-es-rl',
  'EMPLEADOR.YA_REGISTRADO': 'empleador/ya-registrado',
  'EMPLEADOR.DV_INVALIDO': 'empleador/dv-invalido',
  'EMPLEADOR.RUT_REQUERIDO': 'empleador/rut-requerido',
  'DELEGADO.NO_COINCIDE': 'empleador/delegado-no-coincide',
  'DELEGADO.ES_EL_RL': 'empleador/delegado-es-rl',
};

/** The message for an expected failure of the employer use cases. */
export function errorTemplate(error: EmpleadorError): string {
  return ERROR_TEMPLATES[error.code] ?? 'general/error';
}

/** Tells a registered delegate in the chat they talked in last (the e-mail goes anyway). */
export async function notifyDelegate(deps: EmpleadorDialogDeps, delegado: DelegateData, razonSocial: string): Promise<void> {
  await deps.notifier.notify(documentKey(delegado.tipoDocumento, delegado.numeroDocumento), render('empleador/aviso-delegado', { razonSocial }));
}

/** Waits for the RUT file: checks it as a PDF with the RUT's pages within the size limit, stores it by hash; "atrás" goes back to the company data. */
export class RutAttachmentDialog extends Dialog implements DescribesStep {
  constructor(private readonly deps: EmpleadorDialogDeps) {
    super(ADJUNTO);
  }

  override async beginDialog(): Promise<DialogTurnResult> {
    return Dialog.EndOfTurn; // the request to attach was just sent
  }

  override async repromptDialog(context: TurnContext): Promise<void> {
    await context.sendActivity(rutRequest());
  }

  describeStep(): StepInfo {
    const t = messages<ResumenTexts>('empleador/resumen');
    return { paso: t['paso-rut']!, ayuda: render('empleador/ayuda-rut', rutRules()) };
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const attachments = (dc.context.activity.attachments ?? []).filter((a) => a.contentUrl || a.content);
    const motivos = messages<Record<string, string>>('formularios/motivos');
    const command = parseCommand(incomingText(dc.context));
    if (command?.kind === 'atras') return dc.endDialog({ volver: true } satisfies AttachmentResult);
    if (command?.kind === 'corregir') {
      const campo = command.field && /natur/.test(command.field) ? 'naturaleza' : 'razonSocial';
      return dc.endDialog({ volver: true, campo } satisfies AttachmentResult);
    }
    const file = attachments.find((a) => !a.contentType?.startsWith('application/vnd.microsoft.card'));
    if (!file) {
      await dc.context.sendActivity(motivos['attachment.missing']!);
      return Dialog.EndOfTurn;
    }
    const downloaded = await this.deps.download(file, RUT_MAX_BYTES);
    if (!downloaded.ok) {
      await dc.context.sendActivity(`${fill(motivos[downloaded.error.code] ?? motivos['type']!, rutRules())} ${motivos['attachment.missing']}`);
      return Dialog.EndOfTurn;
    }
    const checked = checkRutFile(downloaded.value.bytes);
    if (!checked.ok) {
      await dc.context.sendActivity(`${fill(motivos[checked.error.code] ?? '', rutRules())} ${motivos['attachment.missing']}`);
      return Dialog.EndOfTurn;
    }
    const stored = await this.deps.blobs.put(downloaded.value.bytes);
    await dc.context.sendActivity(
      render('empleador/rut-recibido', {
        nombre: downloaded.value.name,
        paginas: checked.value.pages,
        kb: Math.max(1, Math.round(stored.size / 1024)),
      }),
    );
    return dc.endDialog({ sha256: stored.sha256, size: stored.size } satisfies AttachmentResult);
  }
}
