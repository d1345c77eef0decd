/**
 * Registro ciudadano: data-treatment authorization → basic data → comparison with the reference sources → identity questions →
 * contact data → account pending activation (e-mail with a one-time link).
 */
import { identifyPerson, noteAccountCreated, noteError } from '../turn-notes.js';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogInstance, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DescribesStep, StepInfo } from '../step-info.js';
import { documentKey, type BasicData } from '../../domain/citizens.js';
import { answerYesNo } from '../../domain/fields.js';
import type { IdentityQuestion } from '../../domain/identity-questions.js';
import type { Clock, SecretBox } from '../../domain/ports.js';
import { declineAuthorization, type AutorizacionAceptada } from '../../domain/privacy.js';
import {
  answerIdentityQuestions,
  completeRegistration,
  startRegistration,
  type RegistroDeps,
  type RegistroError,
} from '../../domain/registro.js';
import { render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { FormDialog } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { formatDateTime, titleCase } from '../format.js';
import { incomingText } from '../incoming.js';
import { autorizacionTexts, ConsentPrompt, consentPrompt, readConsent } from './autorizacion.js';
import { contactoForm } from './contacto.form.js';
import { datosBasicosForm } from './datos-basicos.form.js';
import { PREGUNTAS, PreguntasDialog, type PreguntasResult } from './preguntas.dialog.js';

export const REGISTRO = 'registro';
const IDENTIDAD = 'registro-identidad';
const CONTACTO = 'registro-contacto-paso';
const RETRY_PROMPT = 'registro-reintentar';
const CONSENT_PROMPT = 'registro-autorizacion';

interface RegistroOptions {
  readonly initial?: Record<string, unknown>;
  /** Given once at the start; carried through every step to the account it is stored with. */
  readonly autorizacion?: AutorizacionAceptada;
}
interface IdentidadOptions {
  readonly data: BasicData;
  readonly preguntas: readonly IdentityQuestion[];
  readonly autorizacion: AutorizacionAceptada;
}
interface ContactoOptions {
  readonly data: BasicData;
  readonly initial?: Record<string, unknown>;
  readonly autorizacion: AutorizacionAceptada;
}
export interface IdentidadResult {
  readonly superada: boolean;
}

export class RegistroDialog extends ComponentDialog implements DescribesStep {
  constructor(private readonly deps: RegistroDeps & { clock: Clock; secrets: SecretBox }) {
    super(REGISTRO);
    this.addDialog(new FormDialog(datosBasicosForm, deps));
    this.addDialog(new FormDialog(contactoForm, deps));
    this.addDialog(new PreguntasDialog((option) => deps.reference.siglaOf(option)));
    this.addDialog(new ConsentPrompt(CONSENT_PROMPT));
    this.addDialog(
      new TextPrompt(RETRY_PROMPT, async (prompt) => answerYesNo(prompt.recognized.value ?? '') !== undefined),
    );
    this.addDialog(
      new WaterfallDialog<RegistroOptions>(REGISTRO + '-pasos', [
        this.askConsent.bind(this),
        this.askBasicData.bind(this),
        this.checkBasicData.bind(this),
        this.afterIdentity.bind(this),
      ]),
    );
    this.addDialog(
      new WaterfallDialog<IdentidadOptions>(IDENTIDAD, [this.askQuestions.bind(this), this.gradeAnswers.bind(this), this.retryDecision.bind(this)]),
    );
    this.addDialog(new WaterfallDialog<ContactoOptions>(CONTACTO, [this.askContact.bind(this), this.createAccount.bind(this)]));
    this.initialDialogId = REGISTRO + '-pasos';
  }

  /** The question "¿desea intentarlo de nuevo?" after a failed round has its own help. */
  describeStep(_instance: DialogInstance, below: readonly string[]): StepInfo | undefined {
    if (below.includes(CONSENT_PROMPT)) return { paso: render('registro/paso-autorizacion'), ayuda: render('registro/ayuda-autorizacion') };
    return below.includes(RETRY_PROMPT) ? { paso: render('registro/paso-reintentar'), ayuda: render('registro/ayuda-reintentar') } : undefined;
  }

  // ---------------------------------------------------------------- authorization and basic data

  private async askConsent(step: WaterfallStepContext<RegistroOptions>): Promise<DialogTurnResult> {
    if (step.options?.autorizacion) return step.next();
    return step.prompt(CONSENT_PROMPT, consentPrompt(this.deps.publicBaseUrl));
  }

  private async askBasicData(step: WaterfallStepContext<RegistroOptions>): Promise<DialogTurnResult> {
    let autorizacion = step.options?.autorizacion;
    if (!autorizacion) {
      const { version } = autorizacionTexts();
      if (readConsent(step.result) !== true) {
        await declineAuthorization(this.deps, version, actorOf(step.context));
        await step.context.sendActivity(render('registro/autorizacion-rechazada'));
        return step.endDialog();
      }
      autorizacion = { version, aceptadaEn: this.deps.clock.now().toISOString() };
    }
    (step.values as { autorizacion?: AutorizacionAceptada }).autorizacion = autorizacion;
    // With `initial`, the data came back after a mismatch: the review again, not the form's intro ("Vamos a empezar …").
    const initial = step.options?.initial;
    return step.beginDialog(datosBasicosForm.id, initial ? { initial, skipIntro: true } : {});
  }

  private async checkBasicData(step: WaterfallStepContext<RegistroOptions>): Promise<DialogTurnResult> {
    const data = formResult(step.result, datosBasicosForm).values;
    const autorizacion = (step.values as { autorizacion: AutorizacionAceptada }).autorizacion;
    identifyPerson(step.context, documentKey(data.tipoDocumento, data.numeroDocumento));
    const result = await startRegistration(this.deps, data, actorOf(step.context));
    if (!result.ok) noteError(step.context, result.error.code);
    if (result.ok) {
      await step.context.sendActivity(render('registro/preguntas-intro', { total: result.value.preguntas.length }));
      return step.beginDialog(IDENTIDAD, { data, preguntas: result.value.preguntas, autorizacion } satisfies IdentidadOptions);
    }
    if (result.error.code === 'REGISTRO.NO_COINCIDE') {
      await step.context.sendActivity(render('registro/no-coincide', { intentosRestantes: result.error.intentosRestantes }));
      // The same data comes back for review, so the person corrects only what is wrong.
      return step.replaceDialog(REGISTRO + '-pasos', { initial: { ...data }, autorizacion } satisfies RegistroOptions);
    }
    await this.tellFailure(step, result.error);
    return step.endDialog();
  }

  private async afterIdentity(step: WaterfallStepContext<RegistroOptions>): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }

  // ---------------------------------------------------------------- identity questions

  private async askQuestions(step: WaterfallStepContext<IdentidadOptions>): Promise<DialogTurnResult> {
    return step.beginDialog(PREGUNTAS, { preguntas: step.options.preguntas });
  }

  private async gradeAnswers(step: WaterfallStepContext<IdentidadOptions>): Promise<DialogTurnResult> {
    const { data, preguntas, autorizacion } = step.options;
    const { respuestas } = step.result as PreguntasResult;
    const result = await answerIdentityQuestions(this.deps, data, preguntas, respuestas, actorOf(step.context));
    if (result.ok) {
      await step.context.sendActivity(render('registro/preguntas-superadas'));
      return step.replaceDialog(CONTACTO, { data, autorizacion } satisfies ContactoOptions);
    }
    identifyPerson(step.context, documentKey(data.tipoDocumento, data.numeroDocumento));
    noteError(step.context, result.error.code);
    if (result.error.code === 'IDENTIDAD.NO_SUPERADA') {
      (step.values as Record<string, unknown>)['preguntas'] = result.error.preguntas;
      return step.prompt(RETRY_PROMPT, {
        prompt: render('registro/preguntas-no-superadas', { intentosRestantes: result.error.intentosRestantes }),
        // Anything but yes or no ("no sé"): the question alone, not the failure again.
        retryPrompt: render('registro/reintentar-otra-vez', { intentosRestantes: result.error.intentosRestantes }),
      });
    }
    await this.tellFailure(step, result.error);
    return step.endDialog({ superada: false } satisfies IdentidadResult);
  }

  private async retryDecision(step: WaterfallStepContext<IdentidadOptions>): Promise<DialogTurnResult> {
    const yes = answerYesNo(String(step.result ?? incomingText(step.context) ?? ''));
    const preguntas = (step.values as Record<string, unknown>)['preguntas'] as IdentityQuestion[];
    if (yes === true) return step.replaceDialog(IDENTIDAD, { ...step.options, preguntas } satisfies IdentidadOptions);
    await step.context.sendActivity(render('registro/reintentar-despues'));
    return step.endDialog({ superada: false } satisfies IdentidadResult);
  }

  // ---------------------------------------------------------------- contact data and account

  private async askContact(step: WaterfallStepContext<ContactoOptions>): Promise<DialogTurnResult> {
    // With `initial`, the e-mail was in use: asked again without the form's intro.
    const initial = step.options.initial;
    return step.beginDialog(contactoForm.id, initial ? { initial, skipIntro: true } : {});
  }

  private async createAccount(step: WaterfallStepContext<ContactoOptions>): Promise<DialogTurnResult> {
    const { data, autorizacion } = step.options;
    const { email, celular } = formResult(step.result, contactoForm).values;
    const contacto = { email, celular };
    const result = await completeRegistration(this.deps, data, contacto, autorizacion, actorOf(step.context));
    if (result.ok) {
      noteAccountCreated(step.context, { correo: result.value.emailEnmascarado, enviado: result.value.correoEnviado });
      await step.context.sendActivity(
        render('registro/cuenta-creada', {
          nombre: titleCase(result.value.primerNombre),
          correo: result.value.emailEnmascarado,
          correoEnviado: result.value.correoEnviado,
        }),
      );
      return step.endDialog({ superada: true } satisfies IdentidadResult);
    }
    noteError(step.context, result.error.code);
    if (result.error.code === 'CORREO.EN_USO') {
      await step.context.sendActivity(render('registro/correo-en-uso'));
      return step.replaceDialog(CONTACTO, { data, autorizacion, initial: { celular: contacto.celular } } satisfies ContactoOptions);
    }
    await this.tellFailure(step, result.error);
    return step.endDialog({ superada: false } satisfies IdentidadResult);
  }

  private async tellFailure(step: WaterfallStepContext, error: RegistroError): Promise<void> {
    switch (error.code) {
      case 'REGISTRO.BLOQUEADO':
        await step.context.sendActivity(render('registro/bloqueado', { hasta: formatDateTime(error.hasta) }));
        return;
      case 'REGISTRO.YA_REGISTRADO':
        await step.context.sendActivity(render('registro/ya-registrado'));
        return;
      case 'IDENTIDAD.NO_VERIFICADA':
        await step.context.sendActivity(render('registro/no-verificada'));
        return;
      default:
        await step.context.sendActivity(render('general/error'));
    }
  }
}
