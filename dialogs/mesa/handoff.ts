/**
 * "Hablar con un asesor" on the person's side (DESIGN §2 handoff): a case with the person, their CCFs,
 * the step they are on and their last messages (never a secret); the agents are told in their
 * conversations; the person hears they are in the queue and the helpdesk's hours. Once an agent takes
 * it, what the person writes reaches the agent (the assistant relays it) until one of them ends it;
 * then the person continues where they were. The Bot Framework handoff events are sent too, so a
 * contact-center hub can replace this queue later.
 */
import { EventFactory, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Session } from '../../domain/session.js';
import type { FormDeps } from '../form/form.dialog.js';
import { ccfsOf } from '../../domain/autorizados.js';
import { addMessage, closeCase, DATO_PROTEGIDO, HORARIO_MESA, mailAgentsAboutCase, markEmailOnAnswer, openCase, safeMessage, withinHelpdeskHours, type CasosDeps } from '../../domain/casos-mesa.js';
import type { Citizen } from '../../domain/citizens.js';
import type { CasoMesa } from '../../domain/mesa-tipos.js';
import { displayName } from '../../domain/people.js';
import { progressOf } from '../../domain/progreso.js';
import type { DocumentType } from '../../domain/reference.js';
import { endsHandoff, parseCommand } from '../../domain/commands.js';
import { looksLikeSecret } from '../../domain/secret-text.js';
import { fold } from '../../domain/text.js';
import { maskEmail } from '../../domain/text.js';
import { actorOf } from '../actor.js';
import { titleOf } from '../catalog.js';
import { imBack, card, message, textBlock } from '../cards.js';
import { incomingText, incomingValue } from '../incoming.js';
import type { Notifier } from '../notifier.js';
import { conversationOf } from '../notifier.js';
import { conversationRecord, type ConversationMemory, type SeguimientoDeps } from './seguimiento.js';
import { whereText } from './persona-card.js';
import { mt } from './texts.js';

export type HandoffDeps = CasosDeps &
  SeguimientoDeps &
  FormDeps & {
    readonly notifier: Notifier;
    readonly session: StatePropertyAccessor<Session | undefined>;
  };

/** Where the person is when they ask (the main dialog knows it). */
export interface Donde {
  readonly proceso?: string;
  readonly paso?: string;
}


/** An hour of the day as people in Colombia write it: 7 → "7:00 a. m.", 18 → "6:00 p. m.". */
const hora = (h: number): string => `${h % 12 === 0 ? 12 : h % 12}:00 ${h < 12 ? 'a. m.' : 'p. m.'}`;

/** The helpdesk's hours for a message, from the domain's table. */
export function horarioMesa(): { semana: string; sabado: string } {
  const { semana, sabado } = HORARIO_MESA;
  return { semana: `${hora(semana.abre)} a ${hora(semana.cierra)}`, sabado: `${hora(sabado.abre)} a ${hora(sabado.cierra)}` };
}

/** A case's person and step as the agent reads them. */
export function caseSummary(c: CasoMesa): { persona: string; donde: string } {
  const proceso = c.proceso ? safeTitle(c.proceso) : undefined;
  return {
    persona: c.persona.nombre ?? mt('persona-sin-nombre'),
    donde: proceso ? whereText(proceso, c.paso) : mt('sin-tramite'),
  };
}

function safeTitle(id: string): string {
  try {
    return titleOf(id);
  } catch {
    return id;
  }
}

/** Who the person is, as far as the chat knows: a citizen account, else the reference sources for a typed document. */
async function whoAsks(deps: HandoffDeps, personaId: string | undefined): Promise<{ nombre?: string; citizen?: Citizen; nits: string[] }> {
  if (!personaId) return { nits: [] };
  const citizen = await deps.store.transaction((tx) => tx.collection('citizens').get(personaId));
  if (citizen) {
    const nits = (await ccfsOf(deps, citizen.id)).map((c) => c.nit);
    return { nombre: displayName(citizen), citizen, nits };
  }
  const [tipo, numero] = personaId.split(':') as [DocumentType, string];
  const ref = tipo && numero ? await deps.reference.findPerson(tipo, numero) : undefined;
  return { ...(ref ? { nombre: displayName(ref) } : {}), nits: [] };
}

/** Opens the case (or says the open one), tells the agents, emits handoff.initiate, and tells the person. */
export async function startHandoff(deps: HandoffDeps, memory: ConversationMemory, context: TurnContext, donde: Donde, citizenId: string | undefined): Promise<void> {
  const record = conversationRecord(deps, memory, context);
  const personaId = citizenId ?? record.personaId;
  const who = await whoAsks(deps, personaId);
  const progreso = personaId && !donde.proceso ? await progressOf(deps, personaId) : undefined;
  const proceso = donde.proceso ?? progreso?.proceso;
  const paso = donde.proceso ? donde.paso : progreso?.paso;
  const { caso, nuevo } = await openCase(
    deps,
    {
      persona: { ...(personaId ? { id: personaId } : {}), ...(who.nombre ? { nombre: who.nombre } : {}) },
      nits: who.nits,
      ...(proceso ? { proceso } : {}),
      ...(paso ? { paso } : {}),
      mensajes: record.mensajes ?? [],
      conversacion: conversationOf(context),
      enTramite: donde.proceso !== undefined,
    },
    actorOf(context),
  );
  if (!nuevo) {
    await context.sendActivity(mt(caso.estado === 'atendido' ? 'caso-ya-atendido' : 'caso-ya-en-cola', { numero: caso.numero, asesor: caso.agente?.nombre }));
    return;
  }
  // The Bot Framework's handoff request, for a contact-center hub that may take over the queue later.
  const transcript = { activities: caso.mensajes.map((m) => ({ type: 'message', text: m.texto, timestamp: new Date(m.en), from: { id: m.de, role: m.de === 'persona' ? 'user' : 'bot' } }) as Partial<Activity>) };
  await context.sendActivity(EventFactory.createHandoffInitiation(context, { caso: caso.numero, proceso: caso.proceso, paso: caso.paso }, transcript as never));

  const { persona, donde: where } = caseSummary(caso);
  let reached = 0;
  const unreached: string[] = [];
  for (const agente of deps.staff.members('mesa_ayuda')) {
    if (await deps.notifier.notify(agente, mt('aviso-agentes', { numero: caso.numero, persona, donde: where }))) reached++;
    else unreached.push(agente);
  }
  // The agents no chat reaches hear about it by e-mail (no message of the person in it).
  if (unreached.length) await mailAgentsAboutCase(deps, caso, unreached, where);
  const abierto = withinHelpdeskHours(deps.clock.now());
  const porCorreo = !abierto || reached === 0;
  if (porCorreo) await markEmailOnAnswer(deps, caso.id);
  const correo = who.citizen?.email ? maskEmail(who.citizen.email) : undefined;
  await context.sendActivity(
    message(
      mt('caso-abierto', { numero: caso.numero, abierto, asesores: reached > 0, correo, porCorreo, horario: horarioMesa(), enTramite: donde.proceso !== undefined }),
      card([textBlock(mt('caso-abierto-card', { numero: caso.numero }), { isSubtle: true })], [imBack(mt('boton-cancelar-caso'), mt('texto-cancelar-caso'))], mt('caso-abierto-card', { numero: caso.numero })),
    ),
  );
}

/** A short answer compared as words: folded, without ¿?¡!. nor outer spaces. */
const asWords = (text: string): string => fold(text).replace(/[?¿!¡.]/g, '').trim();

/**
 * A turn of the person while their case is open. In the queue: only "cancelar solicitud" is theirs to
 * handle (anything else continues their process). With an agent: every message is relayed, a secret
 * is not; the end words end it. Returns what the main dialog does next.
 */
export async function personTurn(deps: HandoffDeps, context: TurnContext, caso: CasoMesa): Promise<'continue' | 'handled' | 'ended'> {
  const text = incomingText(context);
  const actor = actorOf(context);
  if (caso.estado === 'en_cola') {
    const command = parseCommand(text);
    if (command?.kind === 'ayuda' || command?.kind === 'estado') await context.sendActivity(mt('caso-en-cola-recordatorio', { numero: caso.numero }));
    if (!text || asWords(text) !== asWords(mt('texto-cancelar-caso'))) return 'continue';
    await closeCase(deps, caso.id, { lado: 'persona' }, actor);
    await context.sendActivity(mt('caso-cancelado', { numero: caso.numero }));
    return 'ended';
  }
  if (text && asWords(text) === asWords(mt('texto-cancelar-caso'))) {
    // The queue's button, still in the chat above: an agent is talking with the person now; ending that takes its own words.
    await context.sendActivity(mt('persona-solicitud-ya-tomada', { numero: caso.numero, asesor: caso.agente?.nombre }));
    return 'handled';
  }
  if (endsHandoff(text)) {
    const closed = await closeCase(deps, caso.id, { lado: 'persona' }, actor);
    if (closed.ok && caso.conversacionAgente) {
      await deps.notifier.deliver(caso.conversacionAgente.referencia, [{ type: 'message', text: mt('agente-persona-termino', { numero: caso.numero, persona: caseSummary(caso).persona }) }]);
    }
    await context.sendActivity(EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
    await context.sendActivity(mt('persona-termino', { numero: caso.numero }));
    return 'ended';
  }
  if (!text) {
    // A card from before (their process waits under the conversation with the agent).
    await context.sendActivity(mt('persona-en-conversacion'));
    return 'handled';
  }
  const safe = safeMessage({ de: 'persona', texto: text, en: deps.clock.now().toISOString() });
  if (looksLikeSecret(text) || safe.texto === DATO_PROTEGIDO) {
    await context.sendActivity(mt('persona-secreto'));
    return 'handled';
  }
  const added = await addMessage(deps, caso.id, safe);
  if (!added.ok) return 'continue'; // closed meanwhile: back to the process
  // The agent reads what the case keeps: a password inside a sentence ("mi clave es …") never reaches them.
  const delivered = caso.conversacionAgente
    ? await deps.notifier.deliver(caso.conversacionAgente.referencia, [{ type: 'message', text: mt('relevo-persona', { persona: caseSummary(caso).persona, texto: safe.texto }) }])
    : false;
  if (!delivered) await context.sendActivity(mt('persona-no-entregado'));
  else if (redacted(text, safe.texto)) await context.sendActivity(mt('persona-secreto-omitido', { omitido: DATO_PROTEGIDO }));
  return 'handled';
}

/** Whether safeMessage took something out of a text (a password inside a sentence). */
export const redacted = (typed: string, kept: string): boolean => kept.includes(DATO_PROTEGIDO) && !typed.includes(DATO_PROTEGIDO);

/** Whether a question of a process waits for the person (cases from before personaEnTramite: when it has a process). */
const enTramite = (caso: CasoMesa): boolean => caso.personaEnTramite ?? Boolean(caso.proceso);

/** Said in the person's conversation when the agent takes the case (by the agent's turn). */
export function takenActivities(caso: CasoMesa): Partial<Activity>[] {
  const conversation = caso.conversacionPersona.referencia['conversation'] as never;
  const text = mt('persona-caso-tomado', { numero: caso.numero, asesor: caso.agente?.nombre, conTramite: enTramite(caso) });
  return [EventFactory.createHandoffStatus(conversation, 'accepted') as Partial<Activity>, message(text, card([], [imBack(mt('boton-terminar'), mt('texto-terminar'))], text))];
}

/** Said in the person's conversation when the agent ends the case. */
export function endedByAgentActivities(caso: CasoMesa): Partial<Activity>[] {
  const conversation = caso.conversacionPersona.referencia['conversation'] as never;
  const { donde } = caseSummary(caso);
  return [EventFactory.createHandoffStatus(conversation, 'completed') as Partial<Activity>, { type: 'message', text: mt('persona-agente-termino', { numero: caso.numero, donde, conTramite: enTramite(caso) }) }];
}
