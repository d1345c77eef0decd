/** Opening every sealed value a data set holds, for the key-rotation tests (JSON files and PostgreSQL alike). */
import type { StateItems } from '../../domain/ports.js';
import type { ServicioCompartido } from '../../domain/servicios-web.js';
import type { SecretBox } from '../../domain/ports.js';

/** The form secrets (`{ $sealed }`) inside conversation state and the shared services' sealed credentials, opened with `box` alone (throws when one does not open); sorted. */
export function openSealedValues(items: StateItems, services: readonly ServicioCompartido[], box: SecretBox): string[] {
  const opened: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const sealed = (node as { $sealed?: unknown }).$sealed;
    if (typeof sealed === 'string') opened.push(box.open(sealed));
    else Object.values(node).forEach(walk);
  };
  walk(items);
  for (const s of services) {
    if (s.credenciales) opened.push(box.open(s.credenciales.passwordSellada!), box.open(s.credenciales.clientSecretSellado));
  }
  return opened.sort();
}
