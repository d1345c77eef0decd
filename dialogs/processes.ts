/**
 * The process registry: every functionality declared once — its dialog (absent while not built),
 * whether it needs a session, which acting roles may start it, and when the menu offers it. The
 * main dialog enforces it in one place; the menu, the search and "¿qué puedo hacer?" read it.
 * A new process = its dialog file + its entry here + its templates.
 */
import type { Dialog } from 'botbuilder-dialogs';
import type { PersonRoles } from '../domain/roles.js';
import type { ActingRole, RoleKind, Session } from '../domain/session.js';
import { IngresarDialog, RecuperarDialog } from './cuenta/cuenta.dialog.js';
import { EmpleadorDialog } from './empleador/empleador.dialog.js';
import { ActualizarDialog, ElegirRolDialog, RevisionRutDialog } from './empleador/roles.dialog.js';
import { AutorizadosDialog } from './autorizados/autorizados.dialog.js';
import { BackOfficeDialog } from './backoffice/backoffice.dialog.js';
import { AyudaDialog, EstadoDialog } from './general.dialog.js';
import type { MainDialogDeps } from './main.deps.js';
import { MesaDialog } from './mesa/mesa.dialog.js';
import { MisDatosDialog } from './mis-datos/mis-datos.dialog.js';
import { RegistroDialog } from './registro/registro.dialog.js';
import { ServiciosWebDialog } from './servicios/servicios.dialog.js';

/** Who is talking, as the registry needs it. */
export interface Who {
  /** The active session, if the person logged in. */
  readonly session?: Session;
  /** The role the person acts in (citizen until they choose another). */
  readonly acting?: ActingRole;
  /** Every role the person may act in, and what the chain expects of them. */
  readonly person?: PersonRoles;
  /** Not logged in, and this conversation created an account: logging in is what comes next. */
  readonly cuentaCreada?: boolean;
}

export interface Process {
  /** The functionality id (templates/es/funcionalidades.json: title, button, description, search words). */
  readonly id: string;
  /** Builds the process dialog; absent while the process is not built yet. */
  readonly dialog?: (deps: MainDialogDeps) => Dialog;
  /** Needs a logged-in person; the main dialog asks to log in first and then continues. */
  readonly session: boolean;
  /** Only for people who are not logged in (registering, logging in, recovering a password). */
  readonly withoutSession?: boolean;
  /** The acting roles that may start it; absent: any. */
  readonly roles?: readonly RoleKind[];
  /** The menu offers it when this holds (never when absent). */
  readonly menu?: (who: Who) => boolean;
  /**
   * Part of the activation chain: a person with no role that fits is told, from their checklist,
   * which step is missing and who must do it (instead of only "this is for …").
   */
  readonly explica?: boolean;
  /**
   * Reads the words that chose it (at the menu or in the search), e.g. the service named in "swagger de
   * consulta": started with `{ pista: words }` (see `startHint`).
   */
  readonly pista?: boolean;
}

/** The start options of a process chosen by `words`: the words themselves, for a process that reads them. */
export function startHint(id: string, words: string | undefined): { pista: string } | undefined {
  return words && processById(id)?.pista ? { pista: words } : undefined;
}

const anonymous = (who: Who) => !who.session;
const actingAs = (...kinds: RoleKind[]) => (who: Who) => who.acting !== undefined && kinds.includes(who.acting.tipo);

/** Every process, in menu order. */
export const PROCESSES: readonly Process[] = [
  { id: 'registro', dialog: (d) => new RegistroDialog(d), session: false, withoutSession: true, menu: anonymous },
  { id: 'ingresar', dialog: (d) => new IngresarDialog(d), session: false, withoutSession: true, menu: anonymous },
  // Logged in, it sends the link to change the password to the person's own e-mail, without asking the document.
  { id: 'recuperar-clave', dialog: (d) => new RecuperarDialog(d), session: false },
  {
    id: 'rol-empleador',
    dialog: (d) => new EmpleadorDialog(d),
    session: true,
    roles: ['ciudadano', 'empleador'],
    menu: (who) => actingAs('ciudadano', 'empleador')(who) && (who.person?.sinRolEmpleador.length ?? 0) > 0,
  },
  {
    id: 'actualizar-datos',
    dialog: (d) => new ActualizarDialog(d),
    session: true,
    roles: ['empleador'],
    menu: (who) => who.acting?.tipo === 'empleador' && who.acting.como === 'rl',
    pista: true,
  },
  { id: 'autorizados', dialog: (d) => new AutorizadosDialog(d), session: true, roles: ['empleador'], menu: actingAs('empleador') },
  // Administración de Servicios Web: the module (terms, then its menu); the terms, the documentation and the information can be asked for by name.
  { id: 'servicios-web', dialog: (d) => new ServiciosWebDialog(d, 'servicios-web', 'menu'), session: true, roles: ['ccf'], menu: actingAs('ccf'), explica: true },
  { id: 'terminos', dialog: (d) => new ServiciosWebDialog(d, 'terminos', 'terminos'), session: true, roles: ['ccf'], explica: true },
  { id: 'swagger', dialog: (d) => new ServiciosWebDialog(d, 'swagger', 'swagger'), session: true, roles: ['ccf'], explica: true, pista: true },
  { id: 'info-servicio', dialog: (d) => new ServiciosWebDialog(d, 'info-servicio', 'info'), session: true, roles: ['ccf'], explica: true, pista: true },
  { id: 'compartir', dialog: (d) => new ServiciosWebDialog(d, 'compartir', 'compartir'), session: true, roles: ['ccf'], explica: true },
  { id: 'asignar-clave', dialog: (d) => new ServiciosWebDialog(d, 'asignar-clave', 'clave'), session: true, roles: ['ccf'], explica: true },
  // The Ministry's back office: the tray leads to every section; each section can also be asked for by name.
  { id: 'bandeja-ministerio', dialog: (d) => new BackOfficeDialog(d, 'bandeja-ministerio', 'bandeja'), session: true, roles: ['admin_minsalud'], menu: actingAs('admin_minsalud') },
  { id: 'activar-rol-ccf', dialog: (d) => new BackOfficeDialog(d, 'activar-rol-ccf', 'activar'), session: true, roles: ['admin_minsalud'] },
  { id: 'catalogo-servicios', dialog: (d) => new BackOfficeDialog(d, 'catalogo-servicios', 'catalogo'), session: true, roles: ['admin_minsalud'] },
  { id: 'asignar-servicios', dialog: (d) => new BackOfficeDialog(d, 'asignar-servicios', 'asignar'), session: true, roles: ['admin_minsalud'] },
  { id: 'revision-rut', dialog: (d) => new RevisionRutDialog(d), session: true, roles: ['admin_minsalud'] },
  // Mesa de ayuda: the queue of cases, a person or a CCF, the history, "Mis casos".
  // The queue first on an agent's menu: people waiting are what an agent who arrives looks for.
  { id: 'casos-en-cola', dialog: (d) => new MesaDialog(d, 'casos-en-cola', 'cola'), session: true, roles: ['mesa_ayuda'], menu: actingAs('mesa_ayuda') },
  { id: 'mesa-consulta', dialog: (d) => new MesaDialog(d, 'mesa-consulta', 'menu'), session: true, roles: ['mesa_ayuda'], menu: actingAs('mesa_ayuda') },
  { id: 'mis-casos', dialog: (d) => new MesaDialog(d, 'mis-casos', 'mis-casos'), session: true, roles: ['mesa_ayuda'] },
  // Habeas data: any logged-in person, in any role, sees and asks to correct or delete their own data.
  { id: 'mis-datos', dialog: (d) => new MisDatosDialog(d), session: true, menu: (who) => who.session !== undefined },
  { id: 'estado', dialog: (d) => new EstadoDialog(d), session: false, menu: (who) => who.session !== undefined },
  {
    id: 'elegir-rol',
    dialog: (d) => new ElegirRolDialog(d),
    session: true,
    menu: (who) => (who.person?.roles.length ?? 0) > 1,
  },
  { id: 'ayuda', dialog: () => new AyudaDialog(), session: false, menu: anonymous },
];

export function processById(id: string): Process | undefined {
  return PROCESSES.find((p) => p.id === id);
}

/** Whether the person may start the process in the role they act in now. */
export function roleFits(process: Process, acting: ActingRole | undefined): boolean {
  return !process.roles || (acting !== undefined && process.roles.includes(acting.tipo));
}

/** The roles the person holds that could start the process (to offer "Cambiar de rol"). */
export function rolesThatFit(process: Process, person: PersonRoles | undefined): ActingRole[] {
  return (person?.roles ?? []).filter((r) => roleFits(process, r));
}

/**
 * The processes the menu offers this person now, in registry order; Ingresar first once this
 * conversation created an account (Registrarme stays, later: someone else may register here).
 */
export function menuProcesses(who: Who): Process[] {
  const offered = PROCESSES.filter((p) => p.menu?.(who) === true);
  if (who.session || !who.cuentaCreada) return offered;
  return [...offered.filter((p) => p.id === 'ingresar'), ...offered.filter((p) => p.id !== 'ingresar')];
}
