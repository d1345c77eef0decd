/**
 * "¿Qué está buscando?": the person writes what they need, the search offers up to three
 * functionalities with "Comenzar"; "comenzar", a number or a word of a title picks one.
 */
import { ComponentDialog, Dialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { pickAfterSearch, relevantHits, searchFunctionalities, type SearchHit } from '../domain/search.js';
import { messages, render } from '../templates/render.js';
import { card, message, submit, textBlock } from './cards.js';
import { functionalities, type Functionality } from './catalog.js';
import { choiceActivity } from './choice.js';
import { incomingText, incomingValue } from './incoming.js';
import { refuseTypedSecret } from './form/secret-channel.js';
import { holdsSecret } from '../domain/secret-text.js';
import { asksAboutTheQuestion } from '../domain/commands.js';
import { glossaryAnswer } from './glosario.js';

export const SEARCH = 'search';
const STEPS = 'search-steps';
const ASK = 'search-ask';

export interface SearchOptions {
  /** What the person already wrote (free text that named no functionality clearly). */
  readonly query?: string;
  /** The ids found, when the person is choosing among them. */
  readonly ids?: readonly string[];
  /**
   * Functionalities this person cannot use now (another role's, or those for people not logged in):
   * left out of the results when others match too; alone, they are still offered (the process then
   * says who can use it).
   */
  readonly unusable?: readonly string[];
}
/** What the search ends with: a functionality to start, or other words to route as a new request. */
export type SearchResult = { readonly startId: string; readonly query?: string } | { readonly reroute: string } | undefined;

const MAX_QUERY = 200;

export class SearchDialog extends ComponentDialog {
  constructor() {
    super(SEARCH);
    this.addDialog(new TextPrompt(ASK));
    this.addDialog(new WaterfallDialog<SearchOptions>(STEPS, [this.ask.bind(this), this.results.bind(this), this.pick.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext<SearchOptions>): Promise<DialogTurnResult> {
    if (step.options?.query !== undefined || step.options?.ids) return step.next(step.options.query);
    return step.prompt(ASK, { prompt: render('general/pregunta-busqueda') });
  }

  private async results(step: WaterfallStepContext<SearchOptions>): Promise<DialogTurnResult> {
    const values = step.values as { ids?: string[]; query?: string };
    if (step.options?.ids) {
      values.ids = [...step.options.ids];
      if (step.options.query !== undefined) values.query = step.options.query;
      const titles = values.ids.map((id) => functionalities().find((f) => f.id === id)?.title ?? id);
      await step.context.sendActivity(choiceActivity(render('general/cual-comenzar'), titles, { numbered: true }));
      return Dialog.EndOfTurn;
    }
    const query = String(step.result ?? '').slice(0, MAX_QUERY);
    if (holdsSecret(query)) {
      // A password typed at "¿Qué está buscando?": not searched for, not repeated; asked again.
      await refuseTypedSecret(step.context);
      return step.options?.query === undefined ? step.replaceDialog(STEPS, { unusable: step.options?.unusable ?? [] } satisfies SearchOptions) : step.endDialog();
    }
    const unusable = step.options?.unusable ?? [];
    // "¿Qué es un delegado?" at "¿Qué está buscando?": the word explained (the menu follows), not searched for.
    const explained = glossaryAnswer(query);
    if (explained) {
      await step.context.sendActivity(explained);
      return step.endDialog();
    }
    const hits = offered(searchFunctionalities(query, functionalities(), Number.POSITIVE_INFINITY), unusable);
    if (hits.length === 0) {
      // "no sé", "no entiendo qué hago aquí": someone lost, not a functionality's name — the help, not "No encontré…".
      if (asksAboutTheQuestion(query)) return step.endDialog({ startId: 'ayuda' } satisfies SearchResult);
      await step.context.sendActivity(render('general/no-entendi', { consulta: query.slice(0, 80) }));
      // Asked with "¿Qué está buscando?": ask again; free text: back to the menu.
      return step.options?.query === undefined ? step.replaceDialog(STEPS, { unusable } satisfies SearchOptions) : step.endDialog();
    }
    values.ids = hits.map((h) => h.item.id);
    values.query = query;
    await step.context.sendActivity(resultsActivity(query, hits));
    return Dialog.EndOfTurn;
  }

  private async pick(step: WaterfallStepContext<SearchOptions>): Promise<DialogTurnResult> {
    const { ids = [], query } = step.values as { ids?: string[]; query?: string };
    // The words searched for go with the pick: a process may read more in them (the service of "swagger de consulta").
    const searched = query !== undefined ? { query } : {};
    const value = incomingValue(step.context);
    if (value?.['__action'] === 'comenzar' && typeof value['id'] === 'string') return step.endDialog({ startId: value['id'], ...searched } satisfies SearchResult);
    const text = incomingText(step.context) ?? '';
    const titles = ids.map((id) => functionalities().find((f) => f.id === id)?.title ?? id);
    const picked = pickAfterSearch(text, ids, titles);
    if (picked?.kind === 'start') return step.endDialog({ startId: picked.id, ...searched } satisfies SearchResult);
    if (picked?.kind === 'ask') return step.replaceDialog(STEPS, { ids: picked.ids, ...(query !== undefined ? { query } : {}) } satisfies SearchOptions);
    return step.endDialog(text ? ({ reroute: text } satisfies SearchResult) : undefined);
  }
}

const MAX_RESULTS = 3;

/**
 * The results shown: of those close to the best match, the ones the person can use when there are
 * any (else all of them), cut to three only then: another role's functionalities never push one of
 * the person's own out of the list.
 */
function offered(hits: SearchHit<Functionality>[], unusable: readonly string[]): SearchHit<Functionality>[] {
  const relevant = relevantHits(hits);
  const usable = relevant.filter((h) => !unusable.includes(h.item.id));
  return (usable.length > 0 ? usable : relevant).slice(0, MAX_RESULTS);
}

function resultsActivity(query: string, hits: SearchHit<Functionality>[]) {
  const resultados = hits.map((h) => ({ titulo: h.item.title, descripcion: h.item.descripcion }));
  const consulta = query.slice(0, 80);
  const fallback = render('general/resultados', { consulta, resultados, texto: true });
  const { comenzar } = messages<{ comenzar: string }>('general/busqueda');
  const body = hits.flatMap((h) => [
    textBlock(h.item.title, { weight: 'Bolder', spacing: 'Medium' }),
    textBlock(h.item.descripcion, { isSubtle: true, spacing: 'Small' }),
    { type: 'ActionSet', actions: [submit(comenzar, { __action: 'comenzar', id: h.item.id }, 'positive')] },
  ]);
  return message(render('general/resultados', { consulta, resultados, texto: false }), card(body, [], fallback));
}
