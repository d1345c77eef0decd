/**
 * Mesa de ayuda (DESIGN §2 Helpdesk): an agent looks up a person by document or a CCF by NIT (progress,
 * blocks, links, pending invitations, e-mails sent), reads their history in the audit log, and sees
 * their own actions and cases ("Mis casos"). The actions with a reason live in domain/mesa-acciones.ts.
 * What an agent sees is what they need: the searched document in full, every other one masked, and
 * never a password hash, a token or a sealed value.
 */
import type { Actor } from './audit.js';
import { documentSubject } from './audit.js';
import type { Citizen } from './citizens.js';
import { nitOf, nitSubject } from './empleador-common.js';
import { rolesOfPerson } from './empleador-roles.js';
import { agentOnly, documento, type MesaDeps, type MesaError } from './mesa-comun.js';
import type { AccionMesa, CasoMesa, ProgresoPersona } from './mesa-tipos.js';
import { displayName } from './people.js';
import type { AuditEvent, Tx } from './ports.js';
import type { DocumentType } from './reference.js';
import { err, ok, type Result } from './result.js';
import { maskEmail } from './text.js';

export { recordKnownActor } from './actores-conocidos.js';
export { desbloquearIngreso, levantarBloqueoIdentidad, reenviarEnlace, reenviarInvitacion, type EnlaceMesa } from './mesa-acciones.js';
export { ACCIONES_MESA, MESA_MOTIVO_MAX, MESA_MOTIVO_MIN, motivoMesa, type AccionMesaNombre, type MesaDeps, type MesaError } from './mesa-comun.js';

/** The history shows this many lines a page. */
export const HISTORIAL_POR_PAGINA = 10;
/** "Mis casos" shows this many of the agent's own actions. */
export const MIS_ACCIONES = 20;
/** A person's e-mails shown, newest first. */
export const CORREOS_VISTOS = 10;

export interface VistaPersona {
  /** The document searched, in full (the only one shown in full). */
  tipo: DocumentType;
  numero: string;
  /** From the citizen, else the reference sources. */
  nombre?: string;
  cuenta: { estado: 'sin_registro' | 'pendiente' | 'activa'; creadaEn?: string; activadaEn?: string; correo?: string };
  /** Only while in force. */
  bloqueoIdentidad?: { hasta: string; rondasFallidas: number; intentosDatos: number };
  /** Only while in force. */
  bloqueoIngreso?: { hasta: string; fallidos: number };
  /** Unused and not expired. */
  enlaces: { tipo: 'activacion' | 'recuperacion' | 'desbloqueo'; creadoEn: string; expira: string }[];
  /** Pending invitations, with the date they were made. */
  invitaciones: { tipo: 'delegado' | 'autorizado'; nit: string; empresa: string; en: string }[];
  /** Newest first, at most CORREOS_VISTOS; the address masked. */
  correos: { plantilla: string; destino: string; enviado: boolean; en: string }[];
  /** Where they are stuck. */
  progreso?: Omit<ProgresoPersona, 'id'>;
  /** CCFs they take part in (RL, linked delegate, active authorized person). */
  ccfs: { nit: string; razonSocial: string }[];
}

export interface VistaCcf {
  nit: string;
  razonSocial: string;
  sigla?: string;
  rolEmpleador?: { estado: string; en: string };
  rl?: { nombre: string; documento: string };
  delegado?: { nombre: string; documento: string; estado: string };
  autorizados: { nombre: string; documento: string; estado: string; desde: string }[];
  rolCcf?: { activo: boolean; en: string };
  serviciosAsignados: number;
  casosAbiertos: number;
  /** A citizen id of the CCF's RL or an authorized person, for loadChecklistFacts(deps, id). */
  personaChecklist?: string;
}

export interface LineaHistorial {
  en: string;
  accion: string;
  canal: string;
  /** Display name of who acted, when known. */
  quien?: string;
  detalle: Readonly<Record<string, string | number | boolean | null>>;
  /** The event's masked subject ("CC *****456", "NIT 890.900.841-9"), when it has one. */
  sujeto?: string;
  /** The company the event is about, by its short name or razón social, when the subject is a NIT. */
  empresa?: string;
}

export type Sujeto = { tipo: DocumentType; numero: string } | { nit: string };

/** The events a person is about (the side index audit() writes), in the order they were written. */
async function eventsOfPerson(tx: Tx, key: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (const i of await tx.collection('auditoriaPersonas').findBy('persona', key)) {
    const e = await tx.collection('audit').get(i.eventoId);
    if (e) events.push(e);
  }
  return events;
}

/** Newest first; events of the same instant: the last written first. */
const newestFirst = <T extends { at: string }>(list: readonly T[]): T[] =>
  list.map((e, i) => ({ e, i })).sort((x, y) => y.e.at.localeCompare(x.e.at) || y.i - x.i).map((x) => x.e);

/** A company's name as people say it: its short name, else its razón social. */
async function companyName(tx: Tx, deps: MesaDeps, nit: string): Promise<string | undefined> {
  const company = await deps.reference.findCompany(nit);
  return company?.sigla ?? (await tx.collection('employers').get(nit))?.razonSocial ?? company?.razonSocial;
}

/** Everything the helpdesk may see about a person. */
export function consultarPersona(deps: MesaDeps, agenteId: string, tipo: DocumentType, numero: string, actor: Actor): Promise<Result<VistaPersona, MesaError>> {
  const p = documento(tipo, numero);
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, 'mesa.consultar', actor);
    if (!allowed.ok) return allowed;
    const nowIso = deps.clock.now().toISOString();
    const citizen = await tx.collection('citizens').get(p.key);
    const check = await tx.collection('identityChecks').get(p.key);
    const ref = await deps.reference.findPerson(p.tipo, p.numero);
    const autorizaciones = await tx.collection('autorizaciones').findBy('citizenId', p.key);
    // The roles the person is RL or delegate of, and those of the CCFs they are an active authorized person of.
    const roles = await rolesOfPerson(
      tx,
      p.key,
      autorizaciones.filter((a) => a.estado === 'activo').map((a) => a.nit),
    );
    const delegadoInvitado = roles.filter((r) => r.estado !== 'rechazado' && r.delegado.estado === 'invitado' && r.delegado.citizenId === p.key);
    const autorizadoInvitado = autorizaciones.filter((a) => a.estado === 'invitado');
    if (!citizen && !check && !ref && delegadoInvitado.length === 0 && autorizadoInvitado.length === 0) return err({ code: 'MESA.PERSONA_NO_ENCONTRADA' });

    const events = newestFirst(await eventsOfPerson(tx, p.key));
    const named = citizen ?? ref;
    const lastLock = events.find((e) => e.action === 'ingreso.bloqueado');
    const designatedAt = (nit: string, fallback: string) =>
      events.find((e) => (e.action === 'empleador.delegado_designado' || e.action === 'empleador.delegado_reemplazado') && e.subject === nitSubject(nit))?.at ?? fallback;

    const ccfs: VistaPersona['ccfs'] = [];
    const activeAt = new Set(autorizaciones.filter((a) => a.estado === 'activo').map((a) => a.nit));
    for (const r of roles) {
      const takesPart = r.rl === p.key || (r.delegado.estado === 'vinculado' && r.delegado.citizenId === p.key) || activeAt.has(r.nit);
      if (takesPart && r.estado !== 'rechazado' && (await deps.reference.findCompany(r.nit))?.codigoPila !== undefined) ccfs.push({ nit: r.nit, razonSocial: r.razonSocial });
    }
    const progreso = await tx.collection('progreso').get(p.key);
    const { id: _id, ...avance } = progreso ?? { id: '' };

    const vista: VistaPersona = {
      tipo: p.tipo,
      numero: p.numero,
      ...(named ? { nombre: displayName(named) } : {}),
      cuenta: cuentaOf(citizen),
      ...(check?.bloqueadoHasta && check.bloqueadoHasta > nowIso
        ? { bloqueoIdentidad: { hasta: check.bloqueadoHasta, rondasFallidas: check.rondasFallidas, intentosDatos: check.intentosDatos } }
        : {}),
      ...(citizen?.loginBloqueadoHasta && citizen.loginBloqueadoHasta > nowIso
        ? { bloqueoIngreso: { hasta: citizen.loginBloqueadoHasta, fallidos: numberOf(lastLock?.detail?.['fallidos']) ?? citizen.loginFallidos } }
        : {}),
      enlaces: (await tx.collection('accountTokens').findBy('citizenId', p.key))
        .filter((t) => t.usadoEn === undefined && t.expira > nowIso)
        .sort((a, b) => b.creadoEn.localeCompare(a.creadoEn))
        .map((t) => ({ tipo: t.tipo, creadoEn: t.creadoEn, expira: t.expira })),
      invitaciones: [
        ...delegadoInvitado.map((r) => ({ tipo: 'delegado' as const, nit: r.nit, empresa: r.razonSocial, en: designatedAt(r.nit, r.creadoEn) })),
        ...(await Promise.all(
          autorizadoInvitado.map(async (a) => ({ tipo: 'autorizado' as const, nit: a.nit, empresa: (await tx.collection('employers').get(a.nit))?.razonSocial ?? a.nit, en: a.autorizadoPor.en })),
        )),
      ],
      correos: events
        .filter((e) => e.action === 'correo.enviado' || e.action === 'correo.no_enviado')
        .slice(0, CORREOS_VISTOS)
        .map((e) => ({ plantilla: String(e.detail?.['plantilla'] ?? ''), destino: String(e.detail?.['destino'] ?? ''), enviado: e.action === 'correo.enviado', en: e.at })),
      ...(progreso ? { progreso: avance as Omit<ProgresoPersona, 'id'> } : {}),
      ccfs,
    };
    return ok(vista);
  });
}

const numberOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function cuentaOf(c: Citizen | undefined): VistaPersona['cuenta'] {
  if (!c) return { estado: 'sin_registro' };
  return {
    estado: c.estado === 'activo' ? 'activa' : 'pendiente',
    creadaEn: c.creadoEn,
    ...(c.activadoEn ? { activadaEn: c.activadoEn } : {}),
    correo: maskEmail(c.email),
  };
}

/** Everything the helpdesk may see about a company (a CCF) by NIT; people's documents masked. */
export function consultarCcf(deps: MesaDeps, agenteId: string, nit: string, actor: Actor): Promise<Result<VistaCcf, MesaError>> {
  const key = nitOf(nit);
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, 'mesa.consultar', actor);
    if (!allowed.ok) return allowed;
    const company = key ? await deps.reference.findCompany(key) : undefined;
    const role = key ? await tx.collection('employers').get(key) : undefined;
    if (!key || (!company && !role)) return err({ code: 'MESA.CCF_NO_ENCONTRADA' });

    const rl = await (async () => {
      if (role) {
        const c = await tx.collection('citizens').get(role.rl);
        const [tipo, numero] = role.rl.split(':') as [DocumentType, string];
        const ref = c ? undefined : await deps.reference.findPerson(tipo, numero);
        const named = c ?? ref;
        return { nombre: named ? displayName(named) : '', documento: documentSubject(tipo, numero) };
      }
      const { tipoDocumento: tipo, numeroDocumento: numero } = company!.representanteLegal;
      const ref = await deps.reference.findPerson(tipo, numero);
      return { nombre: ref ? displayName(ref) : '', documento: documentSubject(tipo, numero) };
    })();
    const autorizaciones = await tx.collection('autorizaciones').findBy('nit', key);
    const rolCcf = await tx.collection('rolesCcf').get(key);
    const asignaciones = await tx.collection('asignaciones').findBy('nit', key);
    const casos = (await tx.collection('casosMesa').list()).filter((c) => c.estado !== 'cerrado' && c.nits.includes(key));
    const checklistOf = role?.rl ?? autorizaciones.find((a) => a.estado === 'activo')?.citizenId;

    const vista: VistaCcf = {
      nit: key,
      razonSocial: role?.razonSocial ?? company!.razonSocial,
      ...(company?.sigla ? { sigla: company.sigla } : {}),
      ...(role ? { rolEmpleador: { estado: role.estado, en: role.revision?.en ?? role.creadoEn } } : {}),
      rl,
      ...(role
        ? { delegado: { nombre: displayName(role.delegado), documento: documentSubject(role.delegado.tipoDocumento, role.delegado.numeroDocumento), estado: role.delegado.estado } }
        : {}),
      autorizados: autorizaciones.map((a) => ({
        nombre: displayName(a),
        documento: documentSubject(a.tipoDocumento, a.numeroDocumento),
        estado: a.estado,
        desde: a.estado === 'revocado' ? (a.revocacion?.en ?? a.autorizadoPor.en) : (a.activadoEn ?? a.autorizadoPor.en),
      })),
      ...(rolCcf ? { rolCcf: { activo: rolCcf.activo, en: rolCcf.en } } : {}),
      serviciosAsignados: asignaciones.filter((a) => a.estado === 'activo').length,
      casosAbiertos: casos.length,
      ...(checklistOf ? { personaChecklist: checklistOf } : {}),
    };
    return ok(vista);
  });
}

/** The NIT inside a masked NIT subject ("NIT 890.900.841-9" → "890900841"). */
const nitOfSubject = (subject: string | undefined): string | undefined => {
  const m = subject === undefined ? null : /^NIT ([\d.]+)-\d$/.exec(subject);
  return m ? m[1]!.replace(/\./g, '') : undefined;
};

/** The audit trail of a person (exact, by the side index) or of a company (events whose subject is its NIT), newest first, by pages. */
export function historial(
  deps: MesaDeps,
  agenteId: string,
  sujeto: Sujeto,
  pagina: number,
  actor: Actor,
): Promise<Result<{ lineas: LineaHistorial[]; pagina: number; paginas: number; total: number }, MesaError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, 'mesa.consultar', actor);
    if (!allowed.ok) return allowed;
    let events: AuditEvent[];
    if ('nit' in sujeto) {
      const key = nitOf(sujeto.nit);
      if (!key) return err({ code: 'MESA.CCF_NO_ENCONTRADA' });
      events = await tx.collection('audit').findBy('subject', nitSubject(key));
    } else {
      events = await eventsOfPerson(tx, documento(sujeto.tipo, sujeto.numero).key);
    }
    const ordered = newestFirst(events);
    const total = ordered.length;
    const paginas = Math.max(1, Math.ceil(total / HISTORIAL_POR_PAGINA));
    const page = Math.min(Math.max(1, Math.floor(Number.isFinite(pagina) ? pagina : 1)), paginas);
    const names = new Map<string, string | undefined>();
    const companies = new Map<string, string | undefined>();
    const lineas: LineaHistorial[] = [];
    for (const e of ordered.slice((page - 1) * HISTORIAL_POR_PAGINA, page * HISTORIAL_POR_PAGINA)) {
      if (!names.has(e.actor)) names.set(e.actor, await whoActed(tx, e.actor));
      const nit = nitOfSubject(e.subject);
      if (nit && !companies.has(nit)) companies.set(nit, await companyName(tx, deps, nit));
      const quien = names.get(e.actor);
      const empresa = nit ? companies.get(nit) : undefined;
      lineas.push({
        en: e.at,
        accion: e.action,
        canal: e.channel,
        ...(quien ? { quien } : {}),
        detalle: e.detail ?? {},
        ...(e.subject ? { sujeto: e.subject } : {}),
        ...(empresa ? { empresa } : {}),
      });
    }
    return ok({ lineas, pagina: page, paginas, total });
  });
}

/** The display name of the person behind an actor reference, when they logged in through it. */
async function whoActed(tx: Tx, actorRef: string): Promise<string | undefined> {
  const known = await tx.collection('actoresConocidos').get(actorRef);
  const citizen = known ? await tx.collection('citizens').get(known.citizenId) : undefined;
  return citizen ? displayName(citizen) : undefined;
}

/** "Mis casos": the agent's own latest actions and the cases they took, newest first. */
export function misCasos(deps: MesaDeps, agenteId: string, actor: Actor): Promise<Result<{ acciones: AccionMesa[]; casos: CasoMesa[] }, MesaError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await agentOnly(tx, deps, agenteId, 'mesa.consultar', actor);
    if (!allowed.ok) return allowed;
    const acciones = newestFirst((await tx.collection('accionesMesa').findBy('agenteId', agenteId)).map((a) => ({ ...a, at: a.en })))
      .slice(0, MIS_ACCIONES)
      .map(({ at: _at, ...a }) => a as AccionMesa);
    const casos = newestFirst((await tx.collection('casosMesa').list()).filter((c) => c.agente?.id === agenteId).map((c) => ({ c, at: c.tomadoEn ?? c.creadoEn }))).map((x) => x.c);
    return ok({ acciones, casos });
  });
}
