/**
 * The data-treatment authorization asked at the start of Registro ciudadano (Ley 1581 de 2012): its
 * versioned text from templates/es/privacidad/autorizacion.json, the buttons "Acepto" / "No acepto",
 * and one reading of the answer (the buttons, their number, or a typed "sí" / "no").
 */
import { TextPrompt, type PromptOptions } from 'botbuilder-dialogs';
import { parseCommand } from '../../domain/commands.js';
import { answerYesNo } from '../../domain/fields.js';
import { fill, messages, render } from '../../templates/render.js';
import { choiceActivity, readChoice, reaskActivity } from '../choice.js';
import { common } from '../form/form-render.js';

export interface AutorizacionTexts {
  readonly version: string;
  readonly fecha: string;
  readonly titulo: string;
  readonly responsable: string;
  readonly resumen: readonly string[];
  readonly parrafos: readonly string[];
  readonly pregunta: string;
  readonly cierre: string;
  readonly repregunta: string;
  readonly acepto: string;
  readonly noAcepto: string;
}

export const autorizacionTexts = (): AutorizacionTexts => messages<AutorizacionTexts>('privacidad/autorizacion');

/** Where the full text is published (bot/privacy-page.ts). */
export const privacyUrl = (publicBaseUrl: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/privacidad`;

const labels = (t: AutorizacionTexts): string[] => [t.acepto, t.noAcepto];

/** True: accepted; false: declined; undefined: not an answer to this question. */
export function readConsent(answer: unknown): boolean | undefined {
  const text = typeof answer === 'string' ? answer : '';
  const yesNo = answerYesNo(text);
  if (yesNo !== undefined) return yesNo;
  const reading = readChoice(text, labels(autorizacionTexts()));
  return reading.ok ? reading.value === 0 : undefined;
}

/** The question as rendered for each texts catalog and public address: the same for everyone, rendered once. */
const questions = new WeakMap<AutorizacionTexts, Map<string, string>>();

function question(publicBaseUrl: string): string {
  const t = autorizacionTexts();
  let byUrl = questions.get(t);
  if (!byUrl) questions.set(t, (byUrl = new Map()));
  let text = byUrl.get(publicBaseUrl);
  if (text === undefined) {
    text = render('privacidad/autorizacion', {
      pregunta: fill(t.pregunta, { version: t.version, fecha: t.fecha }),
      resumen: t.resumen,
      cierre: fill(t.cierre, { enlace: privacyUrl(publicBaseUrl) }),
    });
    byUrl.set(publicBaseUrl, text);
  }
  return text;
}

/**
 * The prompt options that ask for the authorization, with its two buttons. Only the prompt: the
 * ConsentPrompt reads the answer from the texts, so the long question is not kept twice in the
 * conversation's state while the person reads it.
 */
export function consentPrompt(publicBaseUrl: string): PromptOptions {
  return { prompt: choiceActivity(question(publicBaseUrl), labels(autorizacionTexts())) };
}

/** Waits for "Acepto" / "No acepto" (or sí / no); anything else gets the re-ask with both options. */
export class ConsentPrompt extends TextPrompt {
  constructor(id: string) {
    super(id, async (p) => {
      if (readConsent(p.recognized.value) !== undefined) return true;
      const t = autorizacionTexts();
      // "atrás" at the process's first question: said so, as at a form's first question, then the question.
      if (parseCommand(p.recognized.value)?.kind === 'atras') {
        await p.context.sendActivity(choiceActivity(`${common('sin-anterior')}\n\n${t.repregunta}`, labels(t)));
        return false;
      }
      const reading = readChoice(p.recognized.value ?? '', labels(t));
      if (!reading.ok) await p.context.sendActivity(reaskActivity(p.context, t.repregunta, reading, labels(t)));
      return false;
    });
  }
}
