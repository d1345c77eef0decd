/** How dates and times are shown to people: Colombian Spanish, Bogotá time. */
const dateTime = new Intl.DateTimeFormat('es-CO', { dateStyle: 'long', timeStyle: 'short', timeZone: 'America/Bogota' });
const time = new Intl.DateTimeFormat('es-CO', { timeStyle: 'short', timeZone: 'America/Bogota' });

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
export const formatTime = (iso: string): string => time.format(new Date(iso));

/** "JOSÉ" → "José". */
export function titleCase(s: string): string {
  return s.toLocaleLowerCase('es-CO').replace(/(^|[\s-])\p{L}/gu, (m) => m.toLocaleUpperCase('es-CO'));
}

const date = new Intl.DateTimeFormat('es-CO', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'America/Bogota' });
/** "30/11/2026" (Bogotá). */
export const formatDate = (iso: string): string => date.format(new Date(iso));
