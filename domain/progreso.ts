/**
 * Where each person is in their process, for the helpdesk ("¿dónde está atascada?"): the process and
 * step of their last conversation, the last error or re-ask and when, their last activity. Written by
 * the chat after each turn of a person it knows (logged in, or who gave their document while
 * registering). Only ids, reason codes and step labels: never a value the person typed.
 */
import type { ProgresoPersona } from './mesa-tipos.js';
import type { Clock, Store } from './ports.js';

/** A turn's news: the process and step it ended in (absent: outside any process), the error or re-ask it gave. */
export interface Avance {
  readonly proceso?: string;
  readonly paso?: string;
  readonly error?: string;
}

/** Another write only for activity alone after this long (a turn that changes nothing else). */
export const ACTIVIDAD_MINUTOS = 1;

/** A reason code as the chat notes it: a domain code ("REGISTRO.BLOQUEADO") or a form's "form.field:reason" ("registro-datos-basicos.numeroDocumento:document_number.digits"). */
const CODE = /^(?:[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+|[a-z][a-z0-9-]*(?:\.[A-Za-z][A-Za-z0-9_]*)?:[a-z][a-z0-9_.-]*)$/;
const CODE_MAX = 120;
const LABEL_MAX = 120;

/**
 * Merges a turn into the person's record: the process and step when the turn ended in one (kept from
 * before otherwise, so a person back at the menu after a block is still seen at that step), the error
 * when there was one. A code that is not a plain code is dropped (never text someone typed).
 */
export async function recordProgress(deps: { store: Store; clock: Clock }, id: string, avance: Avance, canal: string): Promise<void> {
  const now = deps.clock.now();
  const en = now.toISOString();
  const error = avance.error !== undefined && avance.error.length <= CODE_MAX && CODE.test(avance.error) ? avance.error : undefined;
  const paso = avance.paso?.slice(0, LABEL_MAX);
  await deps.store.transaction(async (tx) => {
    const repo = tx.collection('progreso');
    const before = await repo.get(id);
    const next: ProgresoPersona = {
      id,
      ...(avance.proceso ? { proceso: avance.proceso, ...(paso ? { paso } : {}) } : before?.proceso ? { proceso: before.proceso, ...(before.paso ? { paso: before.paso } : {}) } : {}),
      ...(error ? { error: { codigo: error, en } } : before?.error ? { error: before.error } : {}),
      ultimaActividad: en,
      canal,
    };
    const same =
      before !== undefined &&
      before.proceso === next.proceso &&
      before.paso === next.paso &&
      before.error?.codigo === next.error?.codigo &&
      before.error?.en === next.error?.en &&
      before.canal === canal &&
      now.getTime() - Date.parse(before.ultimaActividad) < ACTIVIDAD_MINUTOS * 60_000;
    if (!same) await repo.put(next);
    // An aid for the helpdesk, written every turn: not worth a flush to the device of its own.
  }, { durability: 'relaxed' });
}

/** The record of a person, if the chat knows where they are. */
export async function progressOf(deps: { store: Store }, id: string): Promise<ProgresoPersona | undefined> {
  return deps.store.transaction((tx) => tx.collection('progreso').get(id));
}
