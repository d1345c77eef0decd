/**
 * Registrar rol empleador persona jurídica (the legal representative): NIT → company data as in the
 * RUT (or the RUT attached) → delegate → main site → review → the role is created.
 */
import { MessageFactory, type Attachment, type StatePropertyAccessor } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  checkDelegate,
  checkRepresentative,
  matchesRut,
  registerEmployer,
  type DelegateData,
  type EmpleadorDeps,
  type EmpleadorError,
  type Naturaleza,
  type Sede,
} from '../../domain/empleador.js';
import { parseCommand } from '../../domain/commands.js';
import { answerYesNo } from '../../domain/fields.js';
import { computeDv, formatNit } from '../../domain/nit.js';
import type { Clock, SecretBox } from '../../domain/ports.js';
import type { Result } from '../../domain/result.js';
import { checkRutFile } from '../../domain/rut.js';
import { checkSession, type Session } from '../../domain/session.js';
import { fill, messages, render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { card, imBack, message, textBlock } from '../cards.js';
import { FormDialog, type FormResult } from '../form/form.dialog.js';
import { incomingText } from '../incoming.js';
import { delegadoForm, empresaForm, naturalezaLabel, nitForm, rutFechaForm, SEDE_FORM_ID, sedeForm } from './empleador.forms.js';
import { titleOf } from '../catalog.js';
import type { Notifier } from '../notifier.js';
import { documentKey } from '../../domain/citizens.js';

export const REGISTRO_EMPLEADOR = 'registro-empleador';
const PASOS = REGISTRO_EMPLEADOR + '-pasos';
const ADJUNTO = 'empleador-adjunto';
const DELEGADO = 'empleador-delegado-paso';

interface DelegadoOptions {
  readonly citizenId: string;
  readonly initial?: Record<string, unknown>;
}
const CONFIRMAR = 'empleador-confirmar';

/** Downloads what a person attached (Web Chat upload, Teams file), bounded in size. */
export type AttachmentDownloader = (
  attachment: Attachment,
  maxBytes: number,
) => Promise<Result<{ bytes: Uint8Array; name: string }, { code: 'attachment.download' | 'rut.muy_grande' }>>;

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

type Step = WaterfallStepContext<{ draft?: Draft }>;
const draftOf = (step: Step): Draft => ((step.values as Record<string, unknown>)['draft'] ??= {}) as Draft;

interface ResumenTexts {
  [k: string]: string;
}

export class EmpleadorDialog extends ComponentDialog {
  constructor(private readonly deps: EmpleadorDialogDeps) {
    super(REGISTRO_EMPLEADOR);
    this.addDialog(new FormDialog(nitForm, deps));
    this.addDialog(new FormDialog(empresaForm, deps));
    this.addDialog(new FormDialog(rutFechaForm, deps));
    this.addDialog(new FormDialog(delegadoForm, deps));
    this.addDialog(new FormDialog(sedeForm(deps.reference), deps));
    this.addDialog(new RutAttachmentDialog(deps));
    this.addDialog(new TextPrompt(CONFIRMAR, async (p) => answerYesNo(p.recognized.value ?? '') !== undefined));
    this.addDialog(
      new WaterfallDialog(PASOS, [
        this.askNit.bind(this),
        this.checkNit.bind(this),
        this.checkCompany.bind(this),
        this.afterAttachment.bind(this),
        this.afterRutDate.bind(this),
        this.afterDelegate.bind(this),
        this.afterSede.bind(this),
        this.register.bind(this),
      ]),
    );
    this.addDialog(new WaterfallDialog<DelegadoOptions>(DELEGADO, [this.askDelegate.bind(this), this.checkDelegateData.bind(this)]));
    this.initialDialogId = PASOS;
  }

  private async askNit(step: Step): Promise<DialogTurnResult> {
    const session = checkSession(await this.deps.session.get(step.context), this.deps.clock.now());
    if (session.state !== 'active') {
      await step.context.sendActivity(render('empleador/requiere-ingreso', { funcionalidad: titleOf('rol-empleador') }));
      return step.endDialog();
    }
    (step.values as Record<string, unknown>)['citizenId'] = session.session.citizenId;
    return step.beginDialog(nitForm.id);
  }

  private async checkNit(step: Step): Promise<DialogTurnResult> {
    const nit = String((step.result as FormResult).values['nit']);
    const result = await checkRepresentative(this.deps, this.citizen(step), nit);
    if (!result.ok) return this.stop(step, result.error);
    draftOf(step).nit = nit;
    await step.context.sendActivity(
      render('empleador/nit-entendido', { nit: formatNit(nit, computeDv(nit)), razonSocial: result.value.company.razonSocial }),
    );
    return step.beginDialog(empresaForm.id);
  }

  private async checkCompany(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    const values = (step.result as FormResult).values;
    draft.razonSocial = String(values['razonSocial']);
    draft.naturaleza = String(values['naturaleza']) as Naturaleza;
    const company = await this.deps.reference.findCompany(draft.nit!);
    if (company && matchesRut(company, { razonSocial: draft.razonSocial, naturaleza: draft.naturaleza })) {
      return step.next(); // no RUT needed: skip the attachment and its date
    }
    await step.context.sendActivity(render('empleador/rut-requerido'));
    return step.beginDialog(ADJUNTO);
  }

  private async afterAttachment(step: Step): Promise<DialogTurnResult> {
    const rut = step.result as Draft['rut'] | undefined;
    if (!rut) return step.next();
    draftOf(step).rut = rut;
    return step.beginDialog(rutFechaForm.id);
  }

  private async afterRutDate(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    const result = step.result as FormResult | undefined;
    if (draft.rut && result) draft.rut.fechaExpedicion = String(result.values['fechaExpedicion']);
    return step.beginDialog(DELEGADO, { citizenId: this.citizen(step) } satisfies DelegadoOptions);
  }

  private async afterDelegate(step: Step): Promise<DialogTurnResult> {
    draftOf(step).delegado = step.result as DelegateData;
    return step.beginDialog(SEDE_FORM_ID);
  }

  private async afterSede(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    draft.sede = (step.result as FormResult).values as unknown as Sede;
    const summary = this.summary(draft);
    return step.prompt(CONFIRMAR, { prompt: summary, retryPrompt: summary });
  }

  // ---------------------------------------------------------------- delegate (its own loop)

  private async askDelegate(step: WaterfallStepContext<DelegadoOptions>): Promise<DialogTurnResult> {
    return step.beginDialog(delegadoForm.id, { initial: step.options?.initial });
  }

  private async checkDelegateData(step: WaterfallStepContext<DelegadoOptions>): Promise<DialogTurnResult> {
    const values = (step.result as FormResult).values;
    const delegado = values as unknown as DelegateData;
    const result = await checkDelegate(this.deps, step.options.citizenId, delegado);
    if (result.ok) return step.endDialog(delegado);
    const own = result.error.code === 'DELEGADO.ES_EL_RL';
    await step.context.sendActivity(render(errorTemplate(result.error)));
    // The data comes back for review (corrected field by field), unless it was the RL's own.
    return step.replaceDialog(DELEGADO, { citizenId: step.options.citizenId, ...(own ? {} : { initial: { ...values } }) });
  }

  private async register(step: Step): Promise<DialogTurnResult> {
    const draft = draftOf(step);
    if (answerYesNo(String(step.result ?? '')) === false) {
      await step.context.sendActivity(render('general/cancelado'));
      return step.endDialog();
    }
    const bytes = draft.rut ? await this.deps.blobs.get(draft.rut.sha256) : undefined;
    const result = await registerEmployer(
      this.deps,
      this.citizen(step),
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
    const done = MessageFactory.suggestedActions(
      [messages<ResumenTexts>('empleador/resumen')['terminar']!],
      render('empleador/registrado', {
        razonSocial: draft.razonSocial,
        pendiente: result.value.estado === 'pendiente_revision',
        correo: result.value.emailEnmascarado,
        correoEnviado: result.value.correoEnviado,
        invitado: result.value.delegado === 'invitado',
      }),
    );
    await step.context.sendActivity(done);
    return step.endDialog({ registrado: true, terminar: true });
  }

  // ---------------------------------------------------------------- helpers

  private citizen(step: Step): string {
    return String((step.values as Record<string, unknown>)['citizenId']);
  }

  private async stop(step: Step, error: EmpleadorError): Promise<DialogTurnResult> {
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
      card(body, [imBack(t['confirmar']!, 'confirmar', 'positive'), imBack(t['cancelar']!, 'cancelar')], text),
    );
  }
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

/** Waits for the RUT file: checks it as a PDF of at most 1 MB with the RUT's pages, stores it by hash. */
export class RutAttachmentDialog extends Dialog {
  constructor(private readonly deps: EmpleadorDialogDeps) {
    super(ADJUNTO);
  }

  override async beginDialog(): Promise<DialogTurnResult> {
    return Dialog.EndOfTurn; // the request to attach was just sent
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const attachments = (dc.context.activity.attachments ?? []).filter((a) => a.contentUrl || a.content);
    const motivos = messages<Record<string, string>>('formularios/motivos');
    if (parseCommand(incomingText(dc.context))?.kind === 'ayuda') {
      await dc.context.sendActivity(`${render('empleador/rut-requerido')}\n\n${render('general/contactos')}`);
      return Dialog.EndOfTurn;
    }
    const file = attachments.find((a) => !a.contentType?.startsWith('application/vnd.microsoft.card'));
    if (!file) {
      await dc.context.sendActivity(motivos['attachment.missing']!);
      return Dialog.EndOfTurn;
    }
    const downloaded = await this.deps.download(file, 1024 * 1024);
    if (!downloaded.ok) {
      await dc.context.sendActivity(`${motivos[downloaded.error.code] ?? motivos['type']} ${motivos['attachment.missing']}`);
      return Dialog.EndOfTurn;
    }
    const checked = checkRutFile(downloaded.value.bytes);
    if (!checked.ok) {
      await dc.context.sendActivity(`${motivos[checked.error.code] ?? ''} ${render('empleador/rut-requerido')}`);
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
    return dc.endDialog({ sha256: stored.sha256, size: stored.size });
  }
}
