/**
 * Privacy (Ley 1581 de 2012, habeas data): the data-treatment authorization a person accepts before
 * registering, and the rights the privacy notice lists. The authorization text and its version live
 * in templates/es/privacidad/autorizacion.json; the domain records which version was accepted.
 */
import { audit, type Actor } from './audit.js';
import type { AutorizacionDatos } from './citizens.js';
import type { CoreDeps } from './deps.js';

export type { AutorizacionDatos };
/** The acceptance as the chat gives it: the version shown and when the person accepted it. */
export type AutorizacionAceptada = Omit<AutorizacionDatos, 'canal'>;

/** The rights of the data subject (Ley 1581 de 2012, art. 8), in the order the notice lists them. */
export const DERECHOS = ['conocer', 'actualizar', 'rectificar', 'suprimir', 'revocar'] as const;
export type Derecho = (typeof DERECHOS)[number];

/** The stored acceptance; throws on a malformed one (the dialog reads the version from the template). */
export function authorizationRecord(a: AutorizacionAceptada, actor: Actor): AutorizacionDatos {
  if (!a.version.trim() || Number.isNaN(Date.parse(a.aceptadaEn))) throw new TypeError('authorizationRecord: version and date required');
  return { version: a.version, aceptadaEn: a.aceptadaEn, canal: actor.channel };
}

/** A person declined the authorization before giving any data: audited without a subject. */
export function declineAuthorization(deps: Pick<CoreDeps, 'store' | 'clock' | 'random'>, version: string, actor: Actor): Promise<void> {
  return deps.store.transaction((tx) => audit(tx, deps.clock, deps.random, actor, 'registro.autorizacion_rechazada', undefined, { version }));
}
