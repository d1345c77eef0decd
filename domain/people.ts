/** How the assistant keys and names a person, the same in every process. */

/** Document numbers as the reference sources key them: no spaces, dots or dashes; upper case. */
export function normalizeNumero(numero: string): string {
  return numero.normalize('NFKC').replace(/[\s.,-]/g, '').toUpperCase();
}

const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y']);
/** One name or surname as it is written: "DE LA HOZ" → "De la Hoz", "MARÍA JOSÉ" → "María José". */
export function nameCase(name: string): string {
  return name
    .toLocaleLowerCase('es-CO')
    .split(/\s+/)
    .filter(Boolean)
    .map((w, i) => (i > 0 && PARTICLES.has(w) ? w : w.charAt(0).toLocaleUpperCase('es-CO') + w.slice(1)))
    .join(' ');
}

/** How mails and the chat address a person: first given name and first surname, "José Restrepo". */
export function displayName(person: { primerNombre: string; primerApellido: string }): string {
  return `${nameCase(person.primerNombre)} ${nameCase(person.primerApellido)}`;
}
