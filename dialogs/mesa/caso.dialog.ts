/**
 * The agent's side of a case they took: a card with the person, the step they are on, their last
 * messages and what the agent may do for them; what the agent writes reaches the person (the
 * assistant relays it); the buttons act (each with a reason) without the person seeing the reason;
 * "Cerrar caso" ends it and the person continues where they were.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Activity } from 'botbuilder';
import { addMessage, closeCase, DATO_PROTEGIDO, identifyCasePerson, safeMessage, type CasoError } from '../../domain/casos-mesa.js';
import type { CasoMesa } from '../../domain/mesa-tipos.js';
import {
  consultarPersona,
  desbloquearIngreso,
  levantarBloqueoIdentidad,
  MESA_MOTIVO_MAX,
  MESA_MOTIVO_MIN,
  reenviarEnlace,
  type MesaError,
  type VistaPersona,
} from '../../domain/mesa-ayuda.js';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/reference.js';
import { looksLikeSecret } from '../../domain/secret-text.js';
import { fold } from '../../domain/text.js';
import { dropsReason, parseCaseCommand } from '../../domain/commands.js';
import { actorOf } from '../actor.js';
import { card, message, submit, textBlock, type CardElement } from '../cards.js';
import { formatDateTime } from '../format.js';
import { incomingText, incomingValue } from '../incoming.js';
import { requireSession } from '../session.js';
import type { DescribesStep, StepInfo } from '../step-info.js';
import { caseSummary, endedByAgentActivities, redacted, type HandoffDeps } from './handoff.js';
import { documentIn, type Documento } from './mesa.forms.js';
import { personCard } from './persona-card.js';
import { mesaTexts, mt } from './texts.js';

export const CASO = 'mesa-caso';

export interface CasoOptions {
  readonly casoId: string;
}

/** The actions of a case's card; those that change something ask a reason first. */
export const CASE_ACTIONS = ['levantar-bloqueo', 'desbloquear-ingreso', 'reenviar-activacion', 'reenviar-recuperacion', 'ver-persona', 'identificar', 'cerrar'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
const WITH_REASON = new Set<CaseAction>(['levantar-bloqueo', 'desbloquear-ingreso', 'reenviar-activacion', 'reenviar-recuperacion']);

interface CasoState {
  casoId: string;
  /** An action waiting for its reason (the agent's next message is the reason, not relayed). */
  motivoPara?: CaseAction;
  /** "Identificar a la persona" waits for the document the person gave (the agent's next message, not relayed). */
  documento?: true;
}

/** The actions that fit the person now. */
export function actionsFor(v: VistaPersona | undefined): CaseAction[] {
  const out: CaseAction[] = [];
  if (v?.bloqueoIdentidad) out.push('levantar-bloqueo');
  if (v?.bloqueoIngreso) out.push('desbloquear-ingreso');
  if (v?.cuenta.estado === 'pendiente') out.push('reenviar-activacion');
  if (v?.cuenta.estado === 'activa') out.push('reenviar-recuperacion');
  if (v) out.push('ver-persona');
  else out.push('identificar');
  out.push('cerrar');
  return out;
}

export class CasoDialog extends Dialog<CasoOptions> implements DescribesStep {
  constructor(private readonly deps: HandoffDeps) {
    super(CASO);
  }

  describeStep(instance: { state: Record<string, unknown> }): StepInfo | undefined {
    const s = instance.state as unknown as CasoState;
    if (s.motivoPara) return { paso: mt('paso-motivo'), ayuda: mt('ayuda-motivo', { min: MESA_MOTIVO_MIN, max: MESA_MOTIVO_MAX }) };
    return s.documento ? { paso: mt('paso-documento'), ayuda: mt('pide-documento') } : { paso: mt('paso-caso'), ayuda: mt('ayuda-caso') };
  }

  override async beginDialog(dc: DialogContext, options?: CasoOptions): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CasoState;
    state.casoId = options!.casoId;
    const caso = await this.caso(dc);
    if (!caso || caso.estado !== 'atendido') return dc.endDialog();
    await dc.context.sendActivity(await this.caseCard(dc, caso, true));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CasoState;
    const caso = await this.caso(dc);
    if (!caso || caso.estado !== 'atendido') {
      await dc.context.sendActivity(mt('agente-caso-terminado', { numero: caso?.numero ?? '' }));
      return dc.endDialog();
    }
    const value = incomingValue(dc.context);
    const text = incomingText(dc.context)?.trim();
    const action = typeof value?.['__caso'] === 'string' ? (value['__caso'] as CaseAction) : undefined;
    if (action && CASE_ACTIONS.includes(action)) {
      // A button of another case's card (an earlier one) never acts on this case's person.
      if (value?.['caso'] !== caso.id) {
        await dc.context.sendActivity(mt('agente-tarjeta-vieja'));
        return Dialog.EndOfTurn;
      }
      return this.act(dc, caso, action);
    }
    if (value && !text) {
      await dc.context.sendActivity(mt('agente-tarjeta-vieja'));
      return Dialog.EndOfTurn;
    }
    if (!text) return Dialog.EndOfTurn;
    if (state.motivoPara) {
      if (dropsReason(text)) {
        delete state.motivoPara;
        await dc.context.sendActivity(mt('motivo-cancelado'));
        return Dialog.EndOfTurn;
      }
      return this.withReason(dc, caso, state.motivoPara, text);
    }
    if (state.documento && dropsReason(text)) {
      delete state.documento;
      await dc.context.sendActivity(mt('documento-cancelado'));
      return Dialog.EndOfTurn;
    }
    // A command of the case ("cerrar caso", "ver caso", "ayuda") is not taken for a document.
    if (state.documento && parseCaseCommand(text) === undefined) {
      const documento = this.namedDocument(text);
      if (!documento) {
        await dc.context.sendActivity(mt('documento-invalido'));
        return Dialog.EndOfTurn;
      }
      return this.identify(dc, caso, documento);
    }
    // "identificar CC 70123456": the person of the case, without the button (never relayed).
    if (IDENTIFY.test(text)) {
      const documento = this.namedDocument(text);
      if (documento) return this.identify(dc, caso, documento);
      if (asWordsOnly(text)) return this.act(dc, caso, 'identificar');
    }
    switch (parseCaseCommand(text)) {
      case 'cerrar':
        return this.act(dc, caso, 'cerrar');
      case 'menu':
        await dc.context.sendActivity(mt('agente-en-caso', { numero: caso.numero }));
        return Dialog.EndOfTurn;
      case 'ayuda':
        await dc.context.sendActivity(mt(state.documento ? 'pide-documento' : 'ayuda-caso'));
        return Dialog.EndOfTurn;
      case 'ver':
        await dc.context.sendActivity(await this.caseCard(dc, caso, false));
        // "estado" while the person's document is asked: the card, then that question again.
        if (state.documento) await dc.context.sendActivity(mt('pide-documento'));
        return Dialog.EndOfTurn;
      case undefined:
        break;
    }
    // "consultar CC 1036612345": someone else the agent needs to see (the person's delegate, their RL), shown here and not relayed.
    if (CONSULT.test(text)) {
      const documento = documentIn(text, this.deps.clock.now());
      if (documento) return this.consult(dc, documento);
    }
    // A button of the case's card typed by its title ("reenviar enlace de recuperación") acts; it is no message for the person.
    const typed = await this.typedAction(dc, caso, text);
    if (typed) return this.act(dc, caso, typed);
    // Anything else is a message for the person.
    const safe = safeMessage({ de: 'asesor', texto: text, en: this.deps.clock.now().toISOString() });
    if (looksLikeSecret(text) || safe.texto === DATO_PROTEGIDO) {
      await dc.context.sendActivity(mt('agente-secreto'));
      return Dialog.EndOfTurn;
    }
    const session = await requireSession(this.deps, dc.context);
    const added = await addMessage(this.deps, caso.id, safe);
    if (!added.ok) {
      await dc.context.sendActivity(mt('agente-caso-terminado', { numero: caso.numero }));
      return dc.endDialog();
    }
    // The person reads what the case keeps: a password inside a sentence never reaches them.
    const delivered = await this.deps.notifier.deliver(caso.conversacionPersona.referencia, [{ type: 'message', text: mt('relevo-asesor', { asesor: caso.agente?.nombre ?? session.nombre, texto: safe.texto }) }]);
    if (!delivered) await dc.context.sendActivity(mt('agente-no-entregado'));
    else if (redacted(text, safe.texto)) await dc.context.sendActivity(mt('agente-secreto-omitido', { omitido: DATO_PROTEGIDO }));
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: import('botbuilder').TurnContext, instance: { state: object }): Promise<void> {
    const state = instance.state as CasoState;
    await context.sendActivity(
      state.motivoPara
        ? mt('pide-motivo', { accion: mesaTexts().acciones[state.motivoPara], min: MESA_MOTIVO_MIN, max: MESA_MOTIVO_MAX })
        : mt(state.documento ? 'pide-documento' : 'recordatorio-caso'),
    );
  }

  private async caso(dc: DialogContext): Promise<CasoMesa | undefined> {
    const { casoId } = dc.activeDialog!.state as CasoState;
    return this.deps.store.transaction((tx) => tx.collection('casosMesa').get(casoId));
  }

  /**
   * The action whose button title the agent typed: the whole title, or its first words when they fit
   * one action only ("reenviar enlace": the one the person's account allows).
   */
  private async typedAction(dc: DialogContext, caso: CasoMesa, text: string): Promise<CaseAction | undefined> {
    const words = fold(text);
    if (words.split(' ').length < 2) return undefined;
    const titles = mesaTexts().acciones;
    const exact = CASE_ACTIONS.find((a) => fold(titles[a] ?? '') === words);
    if (exact) return exact;
    const starting = CASE_ACTIONS.filter((a) => fold(titles[a] ?? '').startsWith(`${words} `));
    if (starting.length <= 1) return starting[0];
    // Nobody named yet: any of them answers that the person must be identified first.
    if (!caso.persona.id) return starting[0];
    const fit = new Set(actionsFor(await this.person(dc, caso)));
    const fitting = starting.filter((a) => fit.has(a));
    return fitting.length === 1 ? fitting[0] : undefined;
  }

  /** Another person's view for the agent, in the case's conversation (nothing reaches the person of the case). */
  private async consult(dc: DialogContext, documento: Documento): Promise<DialogTurnResult> {
    const session = await requireSession(this.deps, dc.context);
    const found = await consultarPersona(this.deps, session.citizenId, documento.tipo, documento.numero, actorOf(dc.context));
    if (!found.ok) {
      await dc.context.sendActivity(errorText(found.error));
      return Dialog.EndOfTurn;
    }
    const pc = personCard(found.value, this.deps.clock.now());
    await dc.context.sendActivity(message('', card(pc.body, [], pc.fallback)));
    await dc.context.sendActivity(mt('consulta-en-caso'));
    return Dialog.EndOfTurn;
  }

  /** The document the agent named ("identificar cc 70123456", "C.C. 70.123.456"), or only its number ("70123456"). */
  private namedDocument(text: string): Documento | string | undefined {
    const rest = text.replace(IDENTIFY, '');
    return documentIn(rest, this.deps.clock.now()) ?? numberOnly(rest);
  }

  /**
   * The person the agent named (a document, or only its number: the one person with it, whatever the
   * type): found by the helpdesk's consultation, then the case is theirs and its card shows them.
   */
  private async identify(dc: DialogContext, caso: CasoMesa, documento: Documento | string): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CasoState;
    const session = await requireSession(this.deps, dc.context);
    const actor = actorOf(dc.context);
    const consult = async (tipo: DocumentType, numero: string) => {
      const r = await consultarPersona(this.deps, session.citizenId, tipo, numero, actor);
      return r.ok ? [r.value] : [];
    };
    const found =
      typeof documento === 'string'
        ? (await Promise.all(DOCUMENT_TYPES.map((tipo) => consult(tipo, documento)))).flat()
        : await consult(documento.tipo, documento.numero);
    if (found.length !== 1) {
      // None: the agent checks the number with the person and types it again (or atrás); several: the type too.
      state.documento = true;
      const ask = found.length > 1 ? mt('documento-varios', { numero: documento }) : `${errorText({ code: 'MESA.PERSONA_NO_ENCONTRADA' })} ${mt('documento-invalido')}`;
      await dc.context.sendActivity(ask);
      return Dialog.EndOfTurn;
    }
    delete state.documento;
    const v = found[0]!;
    const named = await identifyCasePerson(this.deps, caso.id, session.citizenId, { id: `${v.tipo}:${v.numero}`, ...(v.nombre ? { nombre: v.nombre } : {}) }, actor);
    if (!named.ok) {
      await dc.context.sendActivity(errorText(named.error));
      return Dialog.EndOfTurn;
    }
    await dc.context.sendActivity(mt('identificada', { numero: caso.numero, persona: caseSummary(named.value).persona }));
    await dc.context.sendActivity(await this.caseCard(dc, named.value, false, v));
    return Dialog.EndOfTurn;
  }

  private async person(dc: DialogContext, caso: CasoMesa): Promise<VistaPersona | undefined> {
    if (!caso.persona.id) return undefined;
    const session = await requireSession(this.deps, dc.context);
    const [tipo, numero] = caso.persona.id.split(':') as [DocumentType, string];
    const r = await consultarPersona(this.deps, session.citizenId, tipo, numero, actorOf(dc.context));
    return r.ok ? r.value : undefined;
  }

  /** The case: who, where they are, their last messages, their state, and the buttons that fit. */
  private async caseCard(dc: DialogContext, caso: CasoMesa, withMessages: boolean, seen?: VistaPersona): Promise<Partial<Activity>> {
    const v = seen ?? (await this.person(dc, caso));
    const { persona, donde } = caseSummary(caso);
    const body: CardElement[] = [
      textBlock(mt('caso-titulo', { numero: caso.numero, persona }), { weight: 'Bolder', size: 'Medium' }),
      textBlock(mt('caso-donde', { donde, desde: formatDateTime(caso.creadoEn) }), { spacing: 'Small' }),
    ];
    if (withMessages && caso.mensajes.length) {
      body.push(textBlock(mt('caso-mensajes'), { weight: 'Bolder', spacing: 'Medium' }));
      for (const m of caso.mensajes.slice(-10)) {
        body.push({ type: 'RichTextBlock', spacing: 'None', inlines: [{ type: 'TextRun', text: `${mesaTexts()[`de-${m.de}`] ?? m.de}: `, weight: 'Bolder' }, { type: 'TextRun', text: m.texto.length > 300 ? `${m.texto.slice(0, 299).trimEnd()}…` : m.texto }] });
      }
    }
    const personaCard = v ? personCard(v, this.deps.clock.now()) : undefined;
    if (personaCard) body.push(...personaCard.body);
    else body.push(textBlock(mt('caso-sin-documento'), { isSubtle: true, spacing: 'Medium' }));
    body.push(textBlock(mt('caso-instrucciones'), { isSubtle: true, spacing: 'Medium' }));
    const actions = actionsFor(v).map((a) => submit(mesaTexts().acciones[a]!, { __caso: a, caso: caso.id }, a === 'cerrar' ? 'destructive' : undefined));
    const fallback = [mt('caso-titulo', { numero: caso.numero, persona }), mt('caso-donde', { donde, desde: formatDateTime(caso.creadoEn) }), personaCard?.fallback, mt('caso-instrucciones')].filter(Boolean).join('\n\n');
    return message('', card(body, actions, fallback));
  }

  private async act(dc: DialogContext, caso: CasoMesa, action: CaseAction): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CasoState;
    if (action === 'ver-persona') {
      await dc.context.sendActivity(await this.caseCard(dc, caso, false));
      return Dialog.EndOfTurn;
    }
    if (action === 'cerrar') {
      const session = await requireSession(this.deps, dc.context);
      const closed = await closeCase(this.deps, caso.id, { lado: 'agente', agenteId: session.citizenId }, actorOf(dc.context));
      if (closed.ok) await this.deps.notifier.deliver(caso.conversacionPersona.referencia, endedByAgentActivities(closed.value));
      await dc.context.sendActivity(mt('agente-cerro', { numero: caso.numero }));
      return dc.endDialog({ casoCerrado: true });
    }
    if (action === 'identificar') {
      if (caso.persona.id) {
        await dc.context.sendActivity(await this.caseCard(dc, caso, false));
        return Dialog.EndOfTurn;
      }
      state.documento = true;
      await dc.context.sendActivity(mt('pide-documento'));
      return Dialog.EndOfTurn;
    }
    if (WITH_REASON.has(action)) {
      if (!caso.persona.id) {
        await dc.context.sendActivity(mt('caso-sin-documento'));
        return Dialog.EndOfTurn;
      }
      state.motivoPara = action;
      await dc.context.sendActivity(mt('pide-motivo', { accion: mesaTexts().acciones[action], min: MESA_MOTIVO_MIN, max: MESA_MOTIVO_MAX }));
    }
    return Dialog.EndOfTurn;
  }

  private async withReason(dc: DialogContext, caso: CasoMesa, action: CaseAction, motivo: string): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CasoState;
    if (!caso.persona.id) {
      delete state.motivoPara;
      await dc.context.sendActivity(mt('caso-sin-documento'));
      return Dialog.EndOfTurn;
    }
    const session = await requireSession(this.deps, dc.context);
    const [tipo, numero] = caso.persona.id.split(':') as [DocumentType, string];
    const actor = actorOf(dc.context);
    const args = [this.deps, session.citizenId, tipo, numero, motivo, actor, caso.numero] as const;
    const r =
      action === 'levantar-bloqueo'
        ? await levantarBloqueoIdentidad(...args)
        : action === 'desbloquear-ingreso'
          ? await desbloquearIngreso(...args)
          : await reenviarEnlace(this.deps, session.citizenId, tipo, numero, action === 'reenviar-activacion' ? 'activacion' : 'recuperacion', motivo, actor, caso.numero);
    if (!r.ok && r.error.code === 'MESA.MOTIVO_REQUERIDO') {
      await dc.context.sendActivity(mt('motivo-invalido', { min: MESA_MOTIVO_MIN, max: MESA_MOTIVO_MAX }));
      return Dialog.EndOfTurn;
    }
    delete state.motivoPara;
    await dc.context.sendActivity(r.ok ? mt(`hecho-${action}`, doneData(r.value)) : errorText(r.error));
    await dc.context.sendActivity(await this.caseCard(dc, caso, false));
    return Dialog.EndOfTurn;
  }
}

/** What an action's result says, with its date in words ("1 de diciembre de 2026 a las 10:20 a. m."). */
export function doneData(value: object): Record<string, unknown> {
  const v = value as Record<string, unknown>;
  return typeof v['hasta'] === 'string' ? { ...v, hasta: formatDateTime(v['hasta']) } : v;
}

/** "identificar" (or "identificar a la persona") and what may follow it: the document. */
const IDENTIFY = /^\s*identific(?:ar|o|a)(?:\s+(?:a\s+)?(?:la\s+)?persona)?\b[\s:,-]*/i;
const asWordsOnly = (text: string): boolean => text.replace(IDENTIFY, '').trim() === '';
/** A document number alone ("70123456", "70.123.456"), its type left to find. */
function numberOnly(text: string): string | undefined {
  const digits = text.replace(/[\s.,]/g, '');
  return /^\d{4,12}$/.test(digits) ? digits : undefined;
}

/** "consultar" (or "buscar", "ver a") before a document. */
const CONSULT = /^\s*(?:consultar|buscar|ver|revisar)\b/i;

/** A helpdesk or case refusal in plain Spanish. */
export function errorText(e: MesaError | CasoError): string {
  return mt(`error-${e.code}`, e as unknown as Record<string, unknown>);
}
