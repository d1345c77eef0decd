/** One line of the helpdesk's history in plain Spanish: "30/11 10:42 — José Restrepo registró el rol empleador de COMFAMA (Web Chat)". */
import type { LineaHistorial } from '../../domain/mesa-ayuda.js';
import { fill, messages } from '../../templates/render.js';

type Catalogo = Record<string, string> & { _canales: Record<string, string> };
const catalogo = () => messages<Catalogo>('mesa/historial');

/** "30/11 10:42" in Bogotá. */
const when = new Intl.DateTimeFormat('es-CO', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'America/Bogota' });
function fecha(iso: string): string {
  const parts = Object.fromEntries(when.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const two = (v: string | undefined) => (v ?? '').padStart(2, '0');
  return `${two(parts['day'])}/${two(parts['month'])} ${two(parts['hour'])}:${two(parts['minute'])}`;
}

/** The sentence of an audit action; `_desconocida` for an action without one. */
export function historialSentence(l: LineaHistorial): string {
  const t = catalogo();
  const quien = l.quien ?? (l.canal === 'system' ? t['_quien_sistema'] : t['_quien_desconocido']);
  const template = l.accion.startsWith('_') ? undefined : t[l.accion];
  const data = { ...l.detalle, accion: l.accion, quien, sujeto: l.sujeto ?? '', empresa: l.empresa ?? l.detalle['empresa'] ?? l.sujeto ?? t['_empresa_desconocida'] };
  return fill(typeof template === 'string' ? template : (t['_desconocida'] as string), data);
}

/** The channel's name as people know it ("Web Chat", "Teams", "sistema"), or its id. */
export function canalName(canal: string): string {
  return catalogo()._canales[canal] ?? canal;
}

export function historialLine(l: LineaHistorial): string {
  const texto = historialSentence(l);
  return fill(catalogo()['_linea'] as string, { fecha: fecha(l.en), texto: texto.charAt(0).toLocaleUpperCase('es-CO') + texto.slice(1), canal: canalName(l.canal) });
}
