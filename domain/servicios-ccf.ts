/**
 * Administración de Servicios Web, the authorized person's side (DESIGN §2, step 5): who may use it
 * (an active authorized person of the CCF, acting in its rol "Caja de compensación familiar", whose
 * role the Ministry activated), the terms of use and privacy policy (accepted per person, CCF and
 * version; a new version asks again), the CCF's catalog (only its own assignments), a service's
 * documentation and information, and which services the CCF has seen (for the checklist).
 */
import { audit, type Actor } from './audit.js';
import { activeAuthorized } from './autorizados.js';
import { nitSubject, type EmpleadorDeps } from './empleador-common.js';
import { permit, principalOf } from './permissions.js';
import type { Tx } from './ports.js';
import { err, ok, type Result } from './result.js';
import type { ActingRole } from './session.js';
import type { AsignacionServicio, DecisionTerminos, EstadoAsignacion, ServicioVisto, ServicioWeb, Versiones } from './servicios-web.js';

export type { DecisionTerminos, ServicioVisto, Versiones };

export type ServiciosCcfDeps = EmpleadorDeps;

/** Why the module does not open: the chat explains it with the checklist (which step is missing, who acts). */
export type ServiciosCcfError =
  /** Not acting in the rol "Caja de compensación familiar" of a CCF. */
  | { code: 'SERVICIOS.SIN_ROL_CCF' }
  /** Not (or no longer) an active authorized person of the CCF with the perfil for web services. */
  | { code: 'SERVICIOS.NO_AUTORIZADO'; nit: string }
  /** The Ministry has not activated the CCF's role, or deactivated it. */
  | { code: 'SERVICIOS.ROL_CCF_INACTIVO'; nit: string; desactivado: boolean }
  /** The terms in force were not accepted (never, an older version, or declined). */
  | { code: 'SERVICIOS.TERMINOS_PENDIENTES'; nit: string }
  | { code: 'SERVICIOS.NO_ASIGNADO' }
  /** The assignment was revoked, or the Ministry retired the service. */
  | { code: 'SERVICIOS.NO_DISPONIBLE'; estado: EstadoAsignacion | 'retirado'; motivo?: string };

/** A service of the CCF's catalog, as the authorized person sees it. */
export interface ServicioAsignado {
  readonly servicio: ServicioWeb;
  readonly asignacion: AsignacionServicio;
  /** The reason of the last suspension or revocation (or of the service's retirement). */
  readonly motivo?: string;
  /** Its documentation can be opened (not revoked, not retired). */
  readonly documentable: boolean;
}

/** The terms state of a person for a CCF, against the versions in force. */
export type EstadoTerminos =
  | { readonly estado: 'aceptados'; readonly decision: DecisionTerminos }
  | { readonly estado: 'rechazados'; readonly decision: DecisionTerminos }
  /** Accepted before, but a text changed since: ask again. */
  | { readonly estado: 'nueva_version'; readonly decision: DecisionTerminos }
  | { readonly estado: 'pendientes' };

const sameVersions = (a: Versiones, b: Versiones): boolean => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};

/** The person's latest decision for the CCF, read against the versions in force (pure over the stored decisions). */
export function termsState(decisions: readonly DecisionTerminos[], nit: string, vigentes: Versiones): EstadoTerminos {
  const latest = decisions.filter((d) => d.nit === nit).reduce<DecisionTerminos | undefined>((a, d) => (!a || d.en >= a.en ? d : a), undefined);
  if (!latest) return { estado: 'pendientes' };
  if (!sameVersions(latest.versiones, vigentes)) {
    // An older version: the new texts are asked either way (the earlier acceptance is named).
    return latest.decision === 'acepto' ? { estado: 'nueva_version', decision: latest } : { estado: 'pendientes' };
  }
  return latest.decision === 'acepto' ? { estado: 'aceptados', decision: latest } : { estado: 'rechazados', decision: latest };
}

/** The CCF the person acts for, when they may administer its services now (terms aside). */
async function access(tx: Tx, deps: Pick<ServiciosCcfDeps, 'staff'>, citizenId: string, acting: ActingRole | undefined): Promise<Result<string, ServiciosCcfError>> {
  if (acting?.tipo !== 'ccf') return err({ code: 'SERVICIOS.SIN_ROL_CCF' });
  const nit = acting.nit;
  const autorizados = await activeAuthorized(tx, nit);
  if (!autorizados.includes(citizenId)) return err({ code: 'SERVICIOS.NO_AUTORIZADO', nit });
  const rol = await tx.collection('rolesCcf').get(nit);
  if (!rol?.activo) return err({ code: 'SERVICIOS.ROL_CCF_INACTIVO', nit, desactivado: rol !== undefined });
  const allowed = permit(await principalOf(tx, deps.staff, citizenId, acting), 'servicios.administrar', { nit, autorizados, ccfActivo: true });
  return allowed.ok ? ok(nit) : err({ code: 'SERVICIOS.NO_AUTORIZADO', nit });
}

/** `access`, audited when refused (the refusal says why, never who beyond the channel reference). */
async function accessAudited(tx: Tx, deps: ServiciosCcfDeps, citizenId: string, acting: ActingRole | undefined, actor: Actor): Promise<Result<string, ServiciosCcfError>> {
  const a = await access(tx, deps, citizenId, acting);
  if (!a.ok) await audit(tx, deps.clock, deps.random, actor, 'servicios.rechazado', undefined, { motivo: a.error.code });
  return a;
}

async function decisionsOf(tx: Tx, citizenId: string): Promise<DecisionTerminos[]> {
  return tx.collection('decisionesTerminos').findBy('citizenId', citizenId);
}

/** Where the person stands: may they use the module for the CCF they act for, and did they accept the terms in force. */
export function openModule(
  deps: ServiciosCcfDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  actor: Actor,
): Promise<Result<{ nit: string; terminos: EstadoTerminos }, ServiciosCcfError>> {
  return deps.store.transaction(async (tx) => {
    const a = await accessAudited(tx, deps, citizenId, acting, actor);
    if (!a.ok) return a;
    return ok({ nit: a.value, terminos: termsState(await decisionsOf(tx, citizenId), a.value, vigentes) });
  });
}

/** Records "Acepto" or "No acepto" for the texts in force, with the person, the CCF, the time and the channel; audited. */
export function decideTerms(
  deps: ServiciosCcfDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  decision: DecisionTerminos['decision'],
  actor: Actor,
): Promise<Result<DecisionTerminos, ServiciosCcfError>> {
  return deps.store.transaction(async (tx) => {
    const a = await accessAudited(tx, deps, citizenId, acting, actor);
    if (!a.ok) return a;
    const en = deps.clock.now().toISOString();
    const d: DecisionTerminos = { id: `${en}-${deps.random.token(6)}`, citizenId, nit: a.value, versiones: { ...vigentes }, decision, en, canal: actor.channel };
    await tx.collection('decisionesTerminos').put(d);
    const versiones = Object.entries(vigentes).map(([k, v]) => `${k} ${v}`).join(', ');
    await audit(tx, deps.clock, deps.random, actor, decision === 'acepto' ? 'servicios.terminos_aceptados' : 'servicios.terminos_rechazados', nitSubject(a.value), { versiones });
    return ok(d);
  });
}

/** Access and terms in one check, for every use case past the terms (the CCF's NIT). */
export async function usable(tx: Tx, deps: ServiciosCcfDeps, citizenId: string, acting: ActingRole | undefined, vigentes: Versiones, actor: Actor): Promise<Result<string, ServiciosCcfError>> {
  const a = await accessAudited(tx, deps, citizenId, acting, actor);
  if (!a.ok) return a;
  const t = termsState(await decisionsOf(tx, citizenId), a.value, vigentes);
  if (t.estado !== 'aceptados') {
    await audit(tx, deps.clock, deps.random, actor, 'servicios.rechazado', undefined, { motivo: 'SERVICIOS.TERMINOS_PENDIENTES' });
    return err({ code: 'SERVICIOS.TERMINOS_PENDIENTES', nit: a.value });
  }
  return a;
}

const RANK: Record<EstadoAsignacion, number> = { activo: 0, suspendido: 1, revocado: 2 };

function view(servicio: ServicioWeb, asignacion: AsignacionServicio): ServicioAsignado {
  const last = asignacion.historial.at(-1);
  const motivo = servicio.estado === 'retirado' ? servicio.retiro?.motivo : asignacion.estado !== 'activo' ? last?.motivo : undefined;
  return { servicio, asignacion, ...(motivo ? { motivo } : {}), documentable: asignacion.estado !== 'revocado' && servicio.estado === 'publicado' };
}

/** The services the Ministry assigned to one CCF (never another's), active first, then by identifier. */
export async function servicesOfCcf(tx: Tx, nit: string): Promise<ServicioAsignado[]> {
  const list: ServicioAsignado[] = [];
  for (const a of await tx.collection('asignaciones').findBy('nit', nit)) {
    const s = await tx.collection('servicios').get(a.servicioId);
    if (s) list.push(view(s, a));
  }
  // A retired service cannot be used whatever its assignment says: it goes with the revoked ones.
  const rank = (s: ServicioAsignado) => (s.servicio.estado === 'retirado' ? RANK.revocado : RANK[s.asignacion.estado]);
  return list.sort((x, y) => rank(x) - rank(y) || x.servicio.id.localeCompare(y.servicio.id));
}

/** "Menú principal de la funcionalidad": the catalog of the CCF the person acts for. */
export function catalogOf(
  deps: ServiciosCcfDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  actor: Actor,
): Promise<Result<{ nit: string; servicios: ServicioAsignado[] }, ServiciosCcfError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    return ok({ nit: a.value, servicios: await servicesOfCcf(tx, a.value) });
  });
}

async function markSeen(tx: Tx, deps: Pick<ServiciosCcfDeps, 'clock'>, nit: string, servicioId: string): Promise<void> {
  const id = `${nit}:${servicioId}`;
  const now = deps.clock.now().toISOString();
  const seen = await tx.collection('serviciosVistos').get(id);
  await tx.collection('serviciosVistos').put(seen ? { ...seen, ultimaVez: now } : { id, nit, servicioId, primeraVez: now, ultimaVez: now });
}

/** One service of the CCF's catalog ("Información Servicio"): recorded as seen. A revoked one is still shown, with why. */
export function serviceInfo(
  deps: ServiciosCcfDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  servicioId: string,
  actor: Actor,
): Promise<Result<ServicioAsignado, ServiciosCcfError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    const found = (await servicesOfCcf(tx, a.value)).find((s) => s.servicio.id === servicioId);
    if (!found) return err({ code: 'SERVICIOS.NO_ASIGNADO' } as const);
    await markSeen(tx, deps, a.value, servicioId);
    return ok(found);
  });
}

/** The service's OpenAPI document (as stored JSON), when the CCF may read it; recorded as seen and audited. */
async function documentIn(tx: Tx, deps: ServiciosCcfDeps, nit: string, servicioId: string, actor: Actor, via: 'chat' | 'pagina' | 'documento'): Promise<Result<{ servicio: ServicioAsignado; json: string }, ServiciosCcfError>> {
  const found = (await servicesOfCcf(tx, nit)).find((s) => s.servicio.id === servicioId);
  if (!found) return err({ code: 'SERVICIOS.NO_ASIGNADO' } as const);
  if (!found.documentable) {
    const estado = found.servicio.estado === 'retirado' ? 'retirado' : found.asignacion.estado;
    return err({ code: 'SERVICIOS.NO_DISPONIBLE', estado, ...(found.motivo ? { motivo: found.motivo } : {}) } as const);
  }
  const bytes = await deps.blobs.get(found.servicio.documento.sha256);
  if (!bytes) return err({ code: 'SERVICIOS.NO_DISPONIBLE', estado: found.asignacion.estado } as const);
  const json = new TextDecoder().decode(bytes);
  // The page and the document it loads are one opening: only the page (or the chat) records it.
  if (via === 'documento') return ok({ servicio: found, json });
  await markSeen(tx, deps, nit, servicioId);
  await audit(tx, deps.clock, deps.random, actor, 'servicios.documentacion_abierta', nitSubject(nit), { servicio: servicioId, via });
  return ok({ servicio: found, json });
}

/** "Ver documentación" in the chat: the document to summarize in the card. */
export function serviceDocument(
  deps: ServiciosCcfDeps,
  citizenId: string,
  acting: ActingRole | undefined,
  vigentes: Versiones,
  servicioId: string,
  actor: Actor,
): Promise<Result<{ servicio: ServicioAsignado; json: string }, ServiciosCcfError>> {
  return deps.store.transaction(async (tx) => {
    const a = await usable(tx, deps, citizenId, acting, vigentes, actor);
    if (!a.ok) return a;
    return documentIn(tx, deps, a.value, servicioId, actor, 'chat');
  });
}

/**
 * The documentation page behind a signed link: the link names the CCF, the service and a pseudonym of
 * the person it was made for (`isPerson` tells whether a citizen id is that person). Checked again
 * now: the person is still an active authorized person of the CCF, its role is active, the terms in
 * force accepted, and the service assigned and not revoked.
 */
export function documentForLink(
  deps: ServiciosCcfDeps,
  nit: string,
  servicioId: string,
  isPerson: (citizenId: string) => boolean,
  vigentes: Versiones,
  actor: Actor,
  /** 'pagina': the page is opened (recorded); 'documento': the page loads its document (not recorded again). */
  via: 'pagina' | 'documento' = 'pagina',
): Promise<Result<{ servicio: ServicioAsignado; json: string }, ServiciosCcfError>> {
  return deps.store.transaction(async (tx) => {
    const citizenId = (await activeAuthorized(tx, nit)).find(isPerson);
    if (!citizenId) {
      await audit(tx, deps.clock, deps.random, actor, 'servicios.rechazado', undefined, { motivo: 'SERVICIOS.NO_AUTORIZADO' });
      return err({ code: 'SERVICIOS.NO_AUTORIZADO', nit } as const);
    }
    const a = await usable(tx, deps, citizenId, { tipo: 'ccf', nit, razonSocial: '' }, vigentes, actor);
    if (!a.ok) return a;
    return documentIn(tx, deps, nit, servicioId, actor, via);
  });
}

/**
 * Step 5 facts of a CCF for the checklist: the terms are per person, so the step stands on the
 * latest acceptance among its active authorized persons' own latest decisions (else the latest decline),
 * and the services seen.
 */
export async function step5Facts(tx: Tx, nit: string): Promise<{ decision?: DecisionTerminos; vistos: ServicioVisto[] }> {
  const later = (a: DecisionTerminos | undefined, d: DecisionTerminos) => (!a || d.en >= a.en ? d : a);
  const latest: Partial<Record<DecisionTerminos['decision'], DecisionTerminos>> = {};
  for (const id of await activeAuthorized(tx, nit)) {
    const own = (await decisionsOf(tx, id)).filter((d) => d.nit === nit).reduce<DecisionTerminos | undefined>(later, undefined);
    if (own) latest[own.decision] = later(latest[own.decision], own);
  }
  const decision = latest.acepto ?? latest.no_acepto;
  const vistos = (await tx.collection('serviciosVistos').findBy('nit', nit)).sort((a, b) => a.servicioId.localeCompare(b.servicioId));
  return { ...(decision ? { decision } : {}), vistos };
}
