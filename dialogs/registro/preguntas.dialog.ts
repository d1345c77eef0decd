/** Identity questions: one multiple-choice question at a time; answers by button, number, or a word of an option. */
import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { parseCommand, saysItDoesNotKnow } from '../../domain/commands.js';
import { matchAlias } from '../../domain/choice.js';
import { NINGUNA, type IdentityQuestion } from '../../domain/identity-questions.js';
import { fill, messages, render } from '../../templates/render.js';
import { choiceActivity, readChoice, reaskActivity } from '../choice.js';
import { incomingText, incomingValue } from '../incoming.js';
import type { DescribesStep, StepInfo } from '../step-info.js';

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
  /** The options the last re-ask showed, when only some: its numbers are theirs. */
  mostradas?: readonly number[];
}
interface PreguntasTexts {
  enunciados: Record<string, string>;
  ninguna: string;
  'no-esta': string;
  'no-recuerda': string;
  ayuda: string;
}

const texts = () => messages<PreguntasTexts>('registro/preguntas');
const label = (option: string) => (option === NINGUNA ? texts().ninguna : option);

export class PreguntasDialog extends Dialog<PreguntasOptions> implements DescribesStep {
  /** `siglaOf`: the acronym an option (an employer's legal name) is known by: "el sena" names SERVICIO NACIONAL DE APRENDIZAJE. */
  constructor(private readonly siglaOf: (option: string) => string | undefined = () => undefined) {
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
    if (command?.kind === 'atras') {
      state.respuestas.pop();
      return this.ask(dc.context, state);
    }
    const options = question.options.map(label);
    const read = readChoice(value?.['respuesta'] ?? text, options, state.mostradas);
    const byAcronym = read.ok || value ? undefined : matchAlias(text, question.options.map((o) => [this.siglaOf(o) ?? ''].filter(Boolean)));
    const answer = byAcronym === undefined ? read : ({ ok: true, value: byAcronym } as const);
    if (!answer.ok) {
      state.mostradas = answer.show;
      // "porvenir" where Porvenir is not an option: the person's own answer is not listed, which is what
      // "Ninguna de las anteriores" is for (said, not chosen for them; the typed words are not repeated).
      const ninguna = question.options.indexOf(NINGUNA);
      const words = !value && /\p{L}{3}/u.test(text) && !/\d/.test(text) && answer.show.length === options.length;
      // "no sé", "no me acuerdo": how to answer anyway (the likeliest option, or Ninguna) and how many must be right.
      const why = !value && saysItDoesNotKnow(text) ? 'no-recuerda' : words ? 'no-esta' : undefined;
      const reading = why && ninguna >= 0 ? { ...answer, error: fill(texts()[why], { numero: ninguna + 1, total: state.preguntas.length }) } : answer;
      await dc.context.sendActivity(reaskActivity(dc.context, this.questionText(state), reading, options));
      return Dialog.EndOfTurn;
    }
    state.respuestas.push(answer.value);
    if (state.respuestas.length === state.preguntas.length) return dc.endDialog({ respuestas: state.respuestas } satisfies PreguntasResult);
    return this.ask(dc.context, state);
  }

  /** "Pregunta 2 de 4" and the help about where the questions come from (the main dialog adds the general help). */
  describeStep(instance: DialogInstance): StepInfo {
    const state = instance.state['preguntas'] as PreguntasState;
    const paso = render('registro/paso-pregunta', { numero: state.respuestas.length + 1, total: state.preguntas.length });
    // The help is rendered only when read ("ayuda"): where the person is is asked every turn.
    return {
      paso,
      get ayuda() {
        return render('registro/ayuda-preguntas', { ayuda: texts().ayuda });
      },
    };
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.ask(context, instance.state['preguntas'] as PreguntasState);
  }

  private questionText(state: PreguntasState): string {
    const index = state.respuestas.length;
    return render('registro/pregunta', {
      numero: index + 1,
      total: state.preguntas.length,
      enunciado: texts().enunciados[state.preguntas[index]?.kind ?? ''] ?? '',
    });
  }

  private async ask(context: TurnContext, state: PreguntasState): Promise<DialogTurnResult> {
    const question = state.preguntas[state.respuestas.length];
    if (!question) return Dialog.EndOfTurn;
    delete state.mostradas; // every option shown again, with its own number
    await context.sendActivity(choiceActivity(this.questionText(state), question.options.map(label)));
    return Dialog.EndOfTurn;
  }
}
