/** Ingresar (login with a masked password) and Olvidé mi contraseña (a reset link by e-mail). */
import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { leavesLogin } from '../../domain/commands.js';
import { matchAlias } from '../../domain/choice.js';
import { clearWinner, searchFunctionalities } from '../../domain/search.js';
import { holdsSecret } from '../../domain/secret-text.js';
import { login, requestPasswordReset, type CuentaDeps } from '../../domain/cuenta.js';
import type { DocumentType } from '../../domain/reference.js';
import type { Clock, SecretBox } from '../../domain/ports.js';
import { openSession, type Session } from '../../domain/session.js';
import { fill, messages, render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { choiceActivity, reaskActivity, readChoice } from '../choice.js';
import { FormDialog, isSealed, wentBackFromForm, type FormOptions } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { refuseTypedSecret } from '../form/secret-channel.js';
import { formatTime } from '../format.js';
import { activeSession } from '../session.js';
import { maskEmail } from '../../domain/text.js';
import type { Notifier } from '../notifier.js';
import { ingresoForm, recuperarForm } from './cuenta.forms.js';
import { buttonOf, functionalities } from '../catalog.js';
import { incomingText } from '../incoming.js';

export const INGRESAR = 'ingresar';

/** A wait as the templates state it: seconds, or whole minutes from two minutes on. */
function waitData(segundos: number): { segundos: number; minutos?: number } {
  return segundos >= 120 ? { segundos, minutos: Math.ceil(segundos / 60) } : { segundos };
}
export const RECUPERAR = 'recuperar-clave-dialogo';

export interface CuentaDialogDeps extends CuentaDeps {
  readonly clock: Clock;
  readonly secrets: SecretBox;
  readonly session: StatePropertyAccessor<Session | undefined>;
  readonly notifier: Notifier;
}

/** What to do after a wrong password: the question, its options and other names people use for them. */
interface ReintentoTexts {
  readonly pregunta: string;
  readonly opciones: readonly string[];
  readonly 'otros-nombres': readonly (readonly string[])[];
  readonly encabezado: string;
}
const PASOS = INGRESAR + '-pasos';
const REINTENTO = INGRESAR + '-reintento';
const REINTENTO_PREGUNTA = INGRESAR + '-reintento-pregunta';
/** The options after a wrong password, in the order of ReintentoTexts.opciones. */
const OPCIONES = ['de-nuevo', 'otro-documento', 'olvide'] as const;
type Opcion = (typeof OPCIONES)[number];

/** The document of the last attempt, kept when the person tries again after a wrong password. */
interface IngresarOptions {
  readonly documento?: { readonly tipoDocumento: DocumentType; readonly numeroDocumento: string };
}

/** How the question after a wrong password ended: an option, or words to read as at the menu. */
type ReintentoResult = { readonly opcion: Opcion } | { readonly reroute: string };

export class IngresarDialog extends ComponentDialog {
  constructor(private readonly deps: CuentaDialogDeps) {
    super(INGRESAR);
    this.addDialog(new FormDialog(ingresoForm, deps));
    this.addDialog(new TextPrompt(REINTENTO_PREGUNTA, async (p) => answersRetry(p.context, p.recognized.value ?? '')));
    this.addDialog(new WaterfallDialog<IngresarOptions>(PASOS, [this.ask.bind(this), this.check.bind(this), this.retry.bind(this)]));
    this.addDialog(new WaterfallDialog(REINTENTO, [this.offer.bind(this), this.read.bind(this)]));
    this.initialDialogId = PASOS;
  }

  /**
   * "no tengo usuario", "quiero registrarme" at the login's questions: Registrarme (with a word why);
   * "olvidé mi contraseña": the reset link. Before, a dead end ("Este dato es obligatorio").
   */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const instead = innerDc.activeDialog?.id === ingresoForm.id ? leavesLogin(incomingText(innerDc.context)) : undefined;
    if (!instead) return super.onContinueDialog(innerDc);
    await innerDc.cancelAllDialogs();
    if (instead === 'registro') await innerDc.context.sendActivity(render('cuenta/sin-cuenta'));
    return { status: DialogTurnStatus.complete, result: { ingreso: false, startId: instead } };
  }

  private async ask(step: WaterfallStepContext<IngresarOptions>): Promise<DialogTurnResult> {
    const documento = step.options?.documento;
    if (!documento) return step.beginDialog(ingresoForm.id);
    // Trying again: only the password is asked, under the document it is for.
    const heading = fill(messages<ReintentoTexts>('cuenta/reintento').encabezado, { tipo: documento.tipoDocumento, numero: documento.numeroDocumento });
    // "atrás" at the password goes back to the options (another document, a reset link).
    return step.beginDialog(ingresoForm.id, { initial: { ...documento }, heading, skipIntro: true, canGoBack: true } satisfies FormOptions);
  }

  private async check(step: WaterfallStepContext<IngresarOptions>): Promise<DialogTurnResult> {
    if (wentBackFromForm(step.result)) {
      (step.values as { documento?: IngresarOptions['documento'] }).documento = step.options?.documento;
      return step.beginDialog(REINTENTO);
    }
    const { values } = formResult(step.result, ingresoForm);
    const clave = isSealed(values.clave) ? this.deps.secrets.open(values.clave.$sealed) : '';
    const result = await login(this.deps, values.tipoDocumento, values.numeroDocumento, clave, actorOf(step.context));
    if (result.ok) {
      await this.deps.session.set(step.context, openSession(result.value.citizenId, result.value.nombre, this.deps.clock.now()));
      await this.deps.notifier.remember(step.context, result.value.citizenId);
      await step.context.sendActivity(render('cuenta/bienvenida', { nombre: result.value.nombre }));
      return step.endDialog({ ingreso: true });
    }
    const e = result.error;
    if (e.code === 'INGRESO.INVALIDO') {
      // Try again without typing the document again, another document, or a reset link.
      (step.values as { documento?: IngresarOptions['documento'] }).documento = { tipoDocumento: values.tipoDocumento, numeroDocumento: values.numeroDocumento };
      await step.context.sendActivity(render('cuenta/ingreso-invalido', { quedan: e.quedan }));
      return step.beginDialog(REINTENTO);
    }
    const text =
      e.code === 'INGRESO.BLOQUEADO'
        ? render('cuenta/ingreso-bloqueado', { hasta: formatTime(e.hasta) })
        : e.code === 'INGRESO.ESPERE'
          ? render('cuenta/ingreso-espere', waitData(e.segundos))
          : render('cuenta/ingreso-ocupado');
    // The buttons the message names: try again, or get a reset link.
    await step.context.sendActivity(MessageFactory.suggestedActions([buttonOf('ingresar'), buttonOf('recuperar-clave')], text));
    return step.endDialog({ ingreso: false, terminar: true });
  }

  /** After a wrong password: the same document again, another one, or a reset link; other words are read as at the menu. */
  private async retry(step: WaterfallStepContext<IngresarOptions>): Promise<DialogTurnResult> {
    const result = step.result as ReintentoResult;
    if ('reroute' in result) return step.endDialog({ ingreso: false, reroute: result.reroute });
    const documento = (step.values as IngresarOptions).documento;
    // Olvidé mi contraseña for the document just tried: not asked again.
    if (result.opcion === 'olvide') return step.endDialog({ ingreso: false, startId: 'recuperar-clave', ...(documento ? { startOptions: { documento } satisfies IngresarOptions } : {}) });
    return step.replaceDialog(PASOS, (result.opcion === 'de-nuevo' && documento ? { documento } : {}) satisfies IngresarOptions);
  }

  private async offer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = messages<ReintentoTexts>('cuenta/reintento');
    return step.prompt(REINTENTO_PREGUNTA, { prompt: choiceActivity(t.pregunta, t.opciones) });
  }

  /** An option, a password typed in the chat (refused, then the question again) or words that name a functionality (read as at the menu). */
  private async read(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const text = String(step.result ?? '');
    const opcion = retryOption(text);
    if (opcion) return step.endDialog({ opcion } satisfies ReintentoResult);
    if (holdsSecret(text)) {
      await refuseTypedSecret(step.context, { olvido: true });
      return step.replaceDialog(REINTENTO);
    }
    return step.endDialog({ reroute: text } satisfies ReintentoResult);
  }
}

/** The option meant by an answer to "¿Qué desea hacer?" after a wrong password: a number, its words or another name of it. */
function retryOption(text: string): Opcion | undefined {
  const t = messages<ReintentoTexts>('cuenta/reintento');
  const reading = readChoice(text, t.opciones);
  const index = reading.ok ? reading.value : matchAlias(text, t['otros-nombres']);
  return index === undefined ? undefined : OPCIONES[index];
}

/** The retry question's validator: anything else than an option, a password or a functionality's name gets the options again. */
async function answersRetry(context: TurnContext, text: string): Promise<boolean> {
  if (retryOption(text) || holdsSecret(text) || clearWinner(searchFunctionalities(text, functionalities()))) return true;
  const t = messages<ReintentoTexts>('cuenta/reintento');
  const reading = readChoice(text, t.opciones);
  if (!reading.ok) await context.sendActivity(reaskActivity(context, t.pregunta, reading, t.opciones));
  return false;
}

export class RecuperarDialog extends ComponentDialog {
  constructor(private readonly deps: CuentaDialogDeps) {
    super(RECUPERAR);
    this.addDialog(new FormDialog(recuperarForm, deps));
    this.addDialog(new WaterfallDialog(RECUPERAR + '-pasos', [this.ask.bind(this), this.request.bind(this)]));
    this.initialDialogId = RECUPERAR + '-pasos';
  }

  private async ask(step: WaterfallStepContext<IngresarOptions>): Promise<DialogTurnResult> {
    const session = await activeSession(this.deps, step.context);
    if (session) return this.forSession(step, session);
    const documento = step.options?.documento;
    return step.beginDialog(recuperarForm.id, documento ? ({ initial: { ...documento } } satisfies FormOptions) : undefined);
  }

  /**
   * Logged in ("cambiar mi contraseña"): the link goes to the person's own e-mail without asking the
   * document, and the chat says where it went, or that one went a few minutes ago.
   */
  private async forSession(step: WaterfallStepContext, session: Session): Promise<DialogTurnResult> {
    const citizen = await this.deps.store.transaction((tx) => tx.collection('citizens').get(session.citizenId));
    if (!citizen) {
      await step.context.sendActivity(render('general/error'));
      return step.endDialog();
    }
    const result = await requestPasswordReset(this.deps, citizen.tipoDocumento, citizen.numeroDocumento, actorOf(step.context));
    await step.context.sendActivity(
      result.ok ? render('cuenta/cambio-clave', { envio: result.value.envio, correo: maskEmail(citizen.email) }) : render('cuenta/recuperacion-espere', waitData(result.error.segundos)),
    );
    return step.endDialog();
  }

  private async request(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { values } = formResult(step.result, recuperarForm);
    const result = await requestPasswordReset(this.deps, values.tipoDocumento, values.numeroDocumento, actorOf(step.context));
    // The same message whether or not a mail went; only a client asking too often is told to wait.
    await step.context.sendActivity(result.ok ? render('cuenta/recuperacion-enviada') : render('cuenta/recuperacion-espere', waitData(result.error.segundos)));
    return step.endDialog();
  }
}
