/** Ingresar (login with a masked password) and Olvidé mi contraseña (a reset link by e-mail). */
import { MessageFactory, type StatePropertyAccessor } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { login, requestPasswordReset, type CuentaDeps } from '../../domain/cuenta.js';
import type { Clock, SecretBox } from '../../domain/ports.js';
import { openSession, type Session } from '../../domain/session.js';
import { render } from '../../templates/render.js';
import { actorOf } from '../actor.js';
import { FormDialog, isSealed } from '../form/form.dialog.js';
import { formResult } from '../form/form-spec.js';
import { formatTime } from '../format.js';
import type { Notifier } from '../notifier.js';
import { ingresoForm, recuperarForm } from './cuenta.forms.js';
import { buttonOf } from '../catalog.js';

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

export class IngresarDialog extends ComponentDialog {
  constructor(private readonly deps: CuentaDialogDeps) {
    super(INGRESAR);
    this.addDialog(new FormDialog(ingresoForm, deps));
    this.addDialog(new WaterfallDialog(INGRESAR + '-pasos', [this.ask.bind(this), this.check.bind(this)]));
    this.initialDialogId = INGRESAR + '-pasos';
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(ingresoForm.id);
  }

  private async check(step: WaterfallStepContext): Promise<DialogTurnResult> {
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
    const text =
      e.code === 'INGRESO.BLOQUEADO'
        ? render('cuenta/ingreso-bloqueado', { hasta: formatTime(e.hasta) })
        : e.code === 'INGRESO.ESPERE'
          ? render('cuenta/ingreso-espere', waitData(e.segundos))
          : e.code === 'INGRESO.OCUPADO'
            ? render('cuenta/ingreso-ocupado')
            : render('cuenta/ingreso-invalido');
    // The buttons the message names: try again, or get a reset link.
    await step.context.sendActivity(MessageFactory.suggestedActions([buttonOf('ingresar'), buttonOf('recuperar-clave')], text));
    return step.endDialog({ ingreso: false, terminar: true });
  }
}

export class RecuperarDialog extends ComponentDialog {
  constructor(private readonly deps: CuentaDialogDeps) {
    super(RECUPERAR);
    this.addDialog(new FormDialog(recuperarForm, deps));
    this.addDialog(new WaterfallDialog(RECUPERAR + '-pasos', [this.ask.bind(this), this.request.bind(this)]));
    this.initialDialogId = RECUPERAR + '-pasos';
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(recuperarForm.id);
  }

  private async request(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { values } = formResult(step.result, recuperarForm);
    const result = await requestPasswordReset(this.deps, values.tipoDocumento, values.numeroDocumento, actorOf(step.context));
    // The same message whether or not a mail went; only a client asking too often is told to wait.
    await step.context.sendActivity(result.ok ? render('cuenta/recuperacion-enviada') : render('cuenta/recuperacion-espere', waitData(result.error.segundos)));
    return step.endDialog();
  }
}
