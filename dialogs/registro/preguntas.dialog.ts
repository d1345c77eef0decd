/** Identity questions: one multiple-choice question at a time; answers by button, number or option text. */
import { ActionTypes, CardFactory, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { parseCommand } from '../../domain/commands.js';
import { NINGUNA, type IdentityQuestion } from '../../domain/identity-questions.js';
import { fold } from '../../domain/text.js';
import { fill, messages, render } from '../../templates/render.js';
import { message } from '../cards.js';
import { incomingText, incomingValue } from '../incoming.js';

export const PREGUNTAS = 'registro-preguntas';

export interface PreguntasOptions {
  readonly preguntas: readonly IdentityQuestion[];
}
export interface PreguntasResult {
  readonly respuestas: number[];
}
interface PreguntasState {
  preguntas: IdentityQuestion[];
  respuestas: number[];
}
interface PreguntasTexts {
  enunciados: Record<string, string>;
  ninguna: string;
  'opcion-invalida': string;
  ayuda: string;
}

const texts = () => messages<PreguntasTexts>('registro/preguntas');
const label = (option: string) => (option === NINGUNA ? texts().ninguna : option);

export class PreguntasDialog extends Dialog<PreguntasOptions> {
  constructor() {
    super(PREGUNTAS);
  }

  override async beginDialog(dc: DialogContext, options?: PreguntasOptions): Promise<DialogTurnResult> {
    const state: PreguntasState = { preguntas: [...(options?.preguntas ?? [])], respuestas: [] };
    dc.activeDialog!.state['preguntas'] = state;
    return this.ask(dc.context, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state['preguntas'] as PreguntasState;
    const question = state.preguntas[state.respuestas.length];
    if (!question) return dc.endDialog({ respuestas: state.respuestas } satisfies PreguntasResult);

    const value = incomingValue(dc.context);
    const text = incomingText(dc.context) ?? '';
    const command = parseCommand(text);
    if (command?.kind === 'ayuda') {
      await dc.context.sendActivity(`${texts().ayuda}\n\n${render('general/contactos')}`);
      return this.ask(dc.context, state);
    }
    if (command?.kind === 'atras') {
      state.respuestas.pop();
      return this.ask(dc.context, state);
    }
    const answer = this.match(question, value?.['respuesta'] ?? text);
    if (answer === undefined) {
      await dc.context.sendActivity(fill(texts()['opcion-invalida'], { total: question.options.length }));
      return this.ask(dc.context, state);
    }
    state.respuestas.push(answer);
    if (state.respuestas.length === state.preguntas.length) return dc.endDialog({ respuestas: state.respuestas } satisfies PreguntasResult);
    return this.ask(dc.context, state);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.ask(context, instance.state['preguntas'] as PreguntasState);
  }

  /** The option index for a typed number, an option's text or a button value. */
  private match(question: IdentityQuestion, raw: unknown): number | undefined {
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw >= 0 && raw < question.options.length ? raw : undefined;
    if (typeof raw !== 'string' || raw.length > 300) return undefined;
    const t = fold(raw);
    const n = Number(t);
    if (Number.isInteger(n) && n >= 1 && n <= question.options.length) return n - 1;
    const i = question.options.findIndex((o) => fold(label(o)) === t);
    return i >= 0 ? i : undefined;
  }

  private async ask(context: TurnContext, state: PreguntasState): Promise<DialogTurnResult> {
    const index = state.respuestas.length;
    const question = state.preguntas[index];
    if (!question) return Dialog.EndOfTurn;
    const text = render('registro/pregunta', {
      numero: index + 1,
      total: state.preguntas.length,
      enunciado: texts().enunciados[question.kind] ?? '',
    });
    const options = question.options.map(label);
    const hero = CardFactory.heroCard(
      '',
      undefined,
      options.map((o) => ({ type: ActionTypes.ImBack, title: o, value: o })),
    );
    (hero.content as Record<string, unknown>)['fallbackText'] = options.map((o, i) => `${i + 1}. ${o}`).join('\n');
    await context.sendActivity(message(text, hero));
    return Dialog.EndOfTurn;
  }
}
