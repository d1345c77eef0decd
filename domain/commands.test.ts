import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';

describe('parseCommand: hablar con un asesor', () => {
  it.each([
    'hablar con un asesor',
    'Hablar con un asesor',
    'hablar con un asesor.',
    'quiero hablar con una persona',
    'asesor',
    'necesito un asesor',
    'hablar con asesor',
    'quisiera hablar con alguien de la mesa de ayuda',
    'hablar con la mesa de ayuda',
    'un asesor por favor',
    'hablar con un humano',
    'comunicarme con un agente',
    '¿puedo hablar con un asesor?',
  ])('"%s" asks for an agent', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'asesor' });
  });

  it.each(['asesoría contable', 'persona', 'hablar', 'quiero registrar el rol de empleador', 'mesa de ayuda', 'el asesor me dijo que cancelara'])('"%s" does not', (text) => {
    expect(parseCommand(text)?.kind).not.toBe('asesor');
  });
});
