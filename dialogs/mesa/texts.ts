/** The helpdesk's chat texts (templates/es/mesa/textos.json). */
import { fill, messages } from '../../templates/render.js';

type Texts = Record<string, string> & { acciones: Record<string, string>; estadosCuenta: Record<string, string>; enlaces: Record<string, string>; errores: Record<string, string>; plantillas: Record<string, string> };
export const mesaTexts = () => messages<Texts>('mesa/textos');
export const mt = (key: string, data: Record<string, unknown> = {}): string => {
  const t = mesaTexts()[key];
  if (typeof t !== 'string') throw new Error(`mesa/textos: no text ${key}`);
  return fill(t, data);
};
