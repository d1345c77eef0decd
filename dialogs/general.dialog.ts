/** "Ayuda" and "¿En qué voy?" as processes of the registry: each answers and ends. */
import type { Activity, TurnContext } from 'botbuilder';
import { checklist } from '../domain/checklist.js';
import { loadChecklistFacts } from '../domain/checklist-facts.js';
import { buttonOf, descriptionOf } from './catalog.js';
import { checklistActivity } from './checklist.js';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { messages, render } from '../templates/render.js';
import { fold } from '../domain/text.js';
import type { MainDialogDeps } from './main.deps.js';
import { roleLabel } from './roles-text.js';
import { activeSession } from './session.js';
import type { StepInfo } from './step-info.js';
import { actingRole } from '../domain/session.js';
import { recentDrafts } from '../domain/drafts.js';
import { draftLine } from './form/form-drafts.js';
import { turnRecord } from './mesa/seguimiento.js';

export const AYUDA = 'ayuda-general';
export const ESTADO = 'estado-general';

/** The help's own process id: the menu's "Ayuda" is not explained by the help. */
const AYUDA_ID = 'ayuda';

/**
 * The general help: the commands and the helpdesk contacts, after the help of the step in progress if
 * any. `atMenu` (no process in progress): first what each option of that menu does, then every command
 * with search examples for the person's `menu` (process ids); in a process the commands fit in one line.
 * "salir" (it closes a session) only for a person logged in (`sesion`).
 */
/** `asked`: the person asked about the step in their words ("no sé cuál elegir"), not "ayuda": where more help is, not the contacts. */
export function helpText(step?: StepInfo, menu: readonly string[] = [], atMenu = false, sesion = false, asked = false): string {
  const opciones = atMenu ? menu.filter((id) => id !== AYUDA_ID).map((id) => ({ boton: buttonOf(id), descripcion: descriptionOf(id) })) : [];
  const enMenu = opciones.length > 0 ? render('general/ayuda-menu', { opciones }) : undefined;
  // In a process the step's help comes first and the commands in one line (the full list is the menu's help).
  const general = atMenu ? render('general/ayuda', { ejemplos: searchExamples(menu), sesion }) : render('general/ayuda-en-paso', { sesion });
  return [step?.ayuda, enMenu, general, render(asked ? 'general/ayuda-mas' : 'general/contactos')].filter(Boolean).join('\n\n');
}

interface Ejemplos {
  readonly 'por-menu': readonly { readonly opcion: string; readonly ejemplos: readonly string[] }[];
  readonly otros: readonly string[];
}

/** Two things to type for the search that this person's menu leads to (an administrator's are not a citizen's). */
function searchExamples(menu: readonly string[]): readonly string[] {
  const t = messages<Ejemplos>('general/ayuda-ejemplos');
  return t['por-menu'].find((e) => menu.includes(e.opcion))?.ejemplos ?? t.otros;
}

/** AyudaDialog's options: the person's menu (process ids), which the help explains. */
export interface AyudaOptions {
  readonly menu?: readonly string[];
  /** The person is logged in ("salir" is one of their commands). */
  readonly sesion?: boolean;
}

/** The step's name without its process's name before it ("Registro ciudadano — datos de contacto" in Registro ciudadano: "datos de contacto"). */
function stepWithin(where: { tramite: string; paso?: string }): string | undefined {
  const { tramite, paso } = where;
  if (!paso || fold(paso) === fold(tramite)) return undefined;
  const m = /^(.*?)\s+[—–-]\s+(.+)$/.exec(paso);
  return m && fold(m[1]!) === fold(tramite) ? m[2] : paso;
}

/** Where the person is ("Está en el trámite…") and the activation checklist for them. */
export async function statusActivities(
  deps: MainDialogDeps,
  context: TurnContext,
  where?: { tramite: string; paso?: string; proceso?: string },
): Promise<(Partial<Activity> | string)[]> {
  const session = await activeSession(deps, context);
  const sesion = session ? { nombre: session.nombre, rol: roleLabel(actingRole(session)) } : undefined;
  const here = render('general/estado', { sesion, tramite: where?.tramite, paso: where ? stepWithin(where) : undefined });
  if (!session) {
    // After creating an account in this conversation: how to activate it (or that it is active), instead of "Aún no ha ingresado… Registrarme".
    const cuenta = await createdAccountState(deps, context);
    // Already logging in: "it is active, choose Ingresar" would only repeat what the person is doing.
    if (!cuenta || (cuenta.activa && where?.proceso === 'ingresar')) return [here];
    const activar = render('general/estado-cuenta-creada', cuenta);
    return where ? [here, activar] : [activar];
  }
  const facts = await loadChecklistFacts(deps, session.citizenId);
  const card = checklistActivity(checklist({ ...facts, actuaComo: actingRole(session) }, deps.clock.now()));
  // The card names the person and their role; the line before it only says where they are, if anywhere.
  if (where) return [here, card];
  // At the menu: the forms left to finish another time (in a process, the one being filled would be among them).
  const borradores = (await recentDrafts(deps, session.citizenId)).map(draftLine);
  return borradores.length > 0 ? [card, render('general/estado-borradores', { borradores })] : [card];
}

/** The account this conversation created (dialogs/mesa/seguimiento.ts), as it stands now: pending activation or active. */
async function createdAccountState(deps: MainDialogDeps, context: TurnContext): Promise<{ correo: string; enviado: boolean; activa: boolean } | undefined> {
  const { personaId, cuentaCreada } = turnRecord(context);
  if (!personaId || !cuentaCreada) return undefined;
  const citizen = await deps.store.transaction((tx) => tx.collection('citizens').get(personaId));
  return citizen ? { ...cuentaCreada, activa: citizen.estado === 'activo' } : undefined;
}

export class AyudaDialog extends Dialog {
  constructor() {
    super(AYUDA);
  }

  override async beginDialog(dc: DialogContext, options?: AyudaOptions): Promise<DialogTurnResult> {
    await dc.context.sendActivity(helpText(undefined, options?.menu, true, options?.sesion));
    return dc.endDialog();
  }
}

export class EstadoDialog extends Dialog {
  constructor(private readonly deps: MainDialogDeps) {
    super(ESTADO);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    for (const activity of await statusActivities(this.deps, dc.context)) await dc.context.sendActivity(activity);
    return dc.endDialog();
  }
}
