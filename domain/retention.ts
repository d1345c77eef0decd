/**
 * Retention: how long the assistant keeps what it stores, and the use case that deletes what is no
 * longer needed. Run daily in process and by `npm run retencion`. The audit log is never purged.
 *
 * The store side lives here (pure, over the Store and BlobStore ports); the files that only the
 * adapters know (conversation-state files, RUT uploads no record refers to) are swept by
 * storage/retention.ts with the day counts below.
 */
import { audit, type Actor } from './audit.js';
import { DRAFT_KEEP_DAYS } from './drafts.js';
import type { BlobStore, Clock, Random, Store } from './ports.js';

/** The schedule, in days unless the name says otherwise. README "Seguridad y datos personales" states it. */
export const RETENTION = {
  /**
   * Conversation state (the answers of a form in progress, the session, the chat reference used for
   * notices) not written for this long is deleted: the conversation was abandoned. A form resumed
   * later starts again; the drafts of logged-in forms have their own term.
   */
  conversacionesInactivasDias: 30,
  /** Saved form answers (domain/drafts.ts): the same term after which a draft is no longer resumed. */
  borradoresDias: DRAFT_KEEP_DAYS,
  /**
   * A registration never activated: its activation link lasted 24 hours (its e-mail is already free for
   * another registration then); after this the account and its data are deleted.
   */
  cuentasSinActivarDias: 7,
  /** One-time links (activation, reset, unlock) this long after they expired (covers the 24 h unlock grace). */
  enlacesVencidosDias: 7,
  /** Identity-check records (failed attempts, blocks, pending rounds) this long after their last use or block end. */
  bloqueosVencidosDias: 30,
  /**
   * An attached RUT file, counted from the back-office review (approved or rejected). Five years: the
   * support of an administrative decision is kept while it may be questioned or audited (tax terms
   * reach 5 years, Estatuto Tributario art. 714; Ley 594 de 2000 makes the entity's Tabla de Retención
   * Documental the rule). To be confirmed with the Ministry's records office; changing it is one number.
   */
  rutTrasRevisionDias: 5 * 365,
  /** A RUT upload that no registration refers to (abandoned or corrected before confirming). */
  archivosSinRegistroDias: 30,
  /**
   * The Direct Line transcript of the local chat is kept in memory only, and forgotten after this many
   * hours without activity (bot/directline/limits.ts idleMs) or when the server stops.
   */
  transcriptosDirectLineHoras: 2,
  /** Where a person was stuck (domain/progreso.ts), this long after their last activity: the helpdesk needs the recent. */
  progresoInactivoDias: 90,
  /** A helpdesk case (its messages) this long after it was closed; the audit log keeps that it happened. */
  casosCerradosDias: 365,
} as const;

const DAY = 86_400_000;
const daysBefore = (now: Date, days: number): string => new Date(now.getTime() - days * DAY).toISOString();

export interface RetentionDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly random: Random;
}

/** How many records of each kind were deleted; no personal data. */
export interface RetentionCounts {
  enlaces: number;
  verificaciones: number;
  borradores: number;
  cuentasSinActivar: number;
  rut: number;
  [adapterSide: string]: number;
}

const SYSTEM: Actor = { ref: 'sistema', channel: 'system' };

/** The sha256 of every stored file a record still refers to: RUTs of employer roles and OpenAPI documents of the catalog (the adapter keeps these files). */
export async function referencedFiles(store: Store): Promise<Set<string>> {
  const { roles, servicios } = await store.transaction(async (tx) => ({ roles: await tx.collection('employers').list(), servicios: await tx.collection('servicios').list() }));
  return new Set([...roles.flatMap((r) => (r.rut ? [r.rut.sha256] : [])), ...servicios.map((s) => s.documento.sha256)]);
}

/**
 * Deletes what the schedule no longer needs: expired one-time links, stale identity checks, old
 * drafts, registrations never activated (with their links), and the RUT file of a role reviewed more
 * than `rutTrasRevisionDias` ago (the role keeps its review, not the file). Audits
 * 'retencion.ejecutada' with the counts (plus `adapterCounts`, from the file sweeps). The audit stays.
 */
export async function purge(deps: RetentionDeps, now: Date, adapterCounts: Readonly<Record<string, number>> = {}): Promise<RetentionCounts> {
  const nowIso = now.toISOString();
  const clock: Clock = { now: () => now };
  const { counts, rutFiles } = await deps.store.transaction(async (tx) => {
    const counts: RetentionCounts = { enlaces: 0, verificaciones: 0, borradores: 0, cuentasSinActivar: 0, rut: 0, progreso: 0, casos: 0 };

    const citizens = tx.collection('citizens');
    const tokens = tx.collection('accountTokens');
    const abandonedBefore = daysBefore(now, RETENTION.cuentasSinActivarDias);
    for (const c of await citizens.list()) {
      if (c.estado !== 'pendiente' || c.creadoEn >= abandonedBefore) continue;
      for (const t of await tokens.findBy('citizenId', c.id)) if (await tokens.delete(t.id)) counts.enlaces++;
      if (await citizens.delete(c.id)) counts.cuentasSinActivar++;
    }

    const linksBefore = daysBefore(now, RETENTION.enlacesVencidosDias);
    for (const t of await tokens.list()) {
      if (t.expira < linksBefore && (t.usadoEn === undefined || t.usadoEn < linksBefore) && (await tokens.delete(t.id))) counts.enlaces++;
    }

    const checksBefore = daysBefore(now, RETENTION.bloqueosVencidosDias);
    const checks = tx.collection('identityChecks');
    for (const c of await checks.list()) {
      const last = [c.actualizadoEn, c.bloqueadoHasta, c.verificadoEn, c.rondaPendiente?.emitidaEn].filter((d): d is string => d !== undefined).sort().at(-1)!;
      if (last < checksBefore && (await checks.delete(c.id))) counts.verificaciones++;
    }

    const draftsBefore = daysBefore(now, RETENTION.borradoresDias);
    const drafts = tx.collection('drafts');
    for (const d of await drafts.list()) if (d.savedAt < draftsBefore && (await drafts.delete(d.id))) counts.borradores++;

    const progresoBefore = daysBefore(now, RETENTION.progresoInactivoDias);
    const progreso = tx.collection('progreso');
    for (const p of await progreso.list()) if (p.ultimaActividad < progresoBefore && (await progreso.delete(p.id))) counts['progreso']!++;

    const casosBefore = daysBefore(now, RETENTION.casosCerradosDias);
    const casos = tx.collection('casosMesa');
    for (const c of await casos.list()) if (c.estado === 'cerrado' && (c.cerradoEn ?? c.creadoEn) < casosBefore && (await casos.delete(c.id))) counts['casos']!++;

    const rutBefore = daysBefore(now, RETENTION.rutTrasRevisionDias);
    const employers = tx.collection('employers');
    const dropped = new Set<string>();
    for (const role of await employers.list()) {
      if (!role.rut || !role.revision || role.revision.en >= rutBefore) continue;
      const { rut, ...rest } = role;
      await employers.put({ ...rest, actualizadoEn: nowIso });
      dropped.add(rut.sha256);
      counts.rut++;
    }
    // Content-addressed: the same bytes attached to a role still under its term keep the file.
    const stillReferenced = new Set([
      ...(await employers.list()).flatMap((r) => (r.rut ? [r.rut.sha256] : [])),
      ...(await tx.collection('servicios').list()).map((x) => x.documento.sha256),
    ]);
    const rutFiles = [...dropped].filter((sha) => !stillReferenced.has(sha));

    await audit(tx, clock, deps.random, SYSTEM, 'retencion.ejecutada', undefined, { ...counts, ...adapterCounts });
    return { counts, rutFiles };
  });
  // After the commit: a failed delete leaves a file no record refers to, which the adapter sweep removes.
  for (const sha of rutFiles) await deps.blobs.delete(sha);
  return { ...counts, ...adapterCounts };
}
