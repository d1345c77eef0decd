/** Global commands a person can type at any prompt (DESIGN §3, conversation conventions). */
import { fold } from './text.js';

export type Command =
  | { kind: 'ayuda' }
  | { kind: 'cancelar' }
  | { kind: 'menu' }
  | { kind: 'atras' }
  | { kind: 'estado' }
  | { kind: 'salir' }
  | { kind: 'buscar' }
  | { kind: 'asesor' }
  | { kind: 'corregir'; field?: string };

const WORDS: Record<string, Exclude<Command['kind'], 'corregir'>> = {
  ayuda: 'ayuda', help: 'ayuda', 'mas informacion': 'ayuda', 'necesito ayuda': 'ayuda',
  cancelar: 'cancelar', cancel: 'cancelar',
  menu: 'menu', 'menu principal': 'menu', inicio: 'menu', 'volver al menu': 'menu', terminar: 'menu',
  atras: 'atras', volver: 'atras', anterior: 'atras',
  estado: 'estado', 'en que voy': 'estado', 'mi estado': 'estado',
  salir: 'salir', 'cerrar sesion': 'salir',
  'que esta buscando': 'buscar', buscar: 'buscar', 'buscar funcionalidad': 'buscar',
};

/** "Hablar con un asesor" and the ways people ask for a person (DESIGN §2 handoff). */
const ASESOR = /^(?:(?:yo )?(?:quiero|quisiera|necesito|deseo|puedo|me gustaria|por favor)? ?(?:hablar|comunicarme|conversar|chatear|contactar(?:me)?) (?:con )?(?:un |una |el |la |algun |alguna )?(?:asesor|asesora|agente|persona|humano|operador|operadora|funcionario|funcionaria|alguien|mesa de ayuda)(?: de (?:la )?mesa de ayuda| real| humano)?(?: por favor)?|(?:un |una )?(?:asesor|asesora|agente humano|operador|humano)(?: por favor)?|(?:necesito|quiero) (?:un |una )?(?:asesor|asesora|agente|operador)(?: por favor)?)$/;

/** Recognizes a global command; anything else (including longer sentences) is not one. */
export function parseCommand(text: string | undefined): Command | undefined {
  if (!text || text.length > 60) return undefined;
  const t = fold(text).replace(/[?¿!¡]/g, '').trim();
  const kind = WORDS[t];
  if (kind) return { kind } as Command;
  if (ASESOR.test(t.replace(/[.,]/g, '').replace(/\s+/g, ' '))) return { kind: 'asesor' };
  const m = /^corregir(?: (.+))?$/.exec(t);
  if (m) return m[1] ? { kind: 'corregir', field: m[1] } : { kind: 'corregir' };
  return undefined;
}
