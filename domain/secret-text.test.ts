import { describe, expect, it } from 'vitest';
import { holdsSecret, looksLikeSecret } from './secret-text.js';

describe('looksLikeSecret', () => {
  it.each([
    // passwords
    ['Clave-Muy-Secreta-2026', true],
    ['NoEsLaClave123', true],
    ['clave12345', true],
    ['P@ssw0rd!', true],
    ['Secreto#Largo', true],
    ['  Mañana2026*  ', true],
    ['ab12cd34', true],
    // not passwords
    ['Clave12', false], // too short
    ['hola', false],
    ['Antioquia', false], // one word, letters only
    ['Jean-Pierre', false], // a name with a hyphen
    ["D'Alessandro", false],
    ['3001234567', false], // phone
    ['+573001234567', false],
    ['70.123.456', false], // document number
    ['AB1234567', false], // passport number
    ['860.007.336-1', false], // NIT with DV
    ['jose@correo.com', false],
    ['https://api.caja.com.co/v1', false],
    ['www.caja.com.co', false],
    ['15/03/1980', false],
    ['1980-03-15', false],
    ['15-mar-1980', false],
    ['mi clave es Secreta2026', false], // a sentence, not one token
    ['', false],
    ['a'.repeat(200) + '1', false], // too long to be a password
  ])('%j → %s', (text, expected) => {
    expect(looksLikeSecret(text)).toBe(expected);
  });
});

describe('holdsSecret: a password alone or among words', () => {
  it.each(['Antioquia2025abc', 'quiero poner la nueva contraseña Antioquia2025abc', 'mi clave es "Guayacan-Florido-2026".', '¿Zorzal.Azul.77?'])('"%s" holds one', (text) =>
    expect(holdsSecret(text)).toBe(true),
  );
  it.each(['servicios web', 'olvide mi contraseña', 'mi cedula es 70123456', 'escribir a ana.perez@correo.com', 'NIT 890900841-9', 'registrar rol empleador persona juridica', 'https://api.comfama.com.co/afiliados', '[premio](http://malo.example) **gratis**', 'ver http://x.co/a1b2c3d4e5', 'tomar M-7K2P9Q', 'radicado SAT-2026-000123'])(
    '"%s" does not',
    (text) => expect(holdsSecret(text)).toBe(false),
  );
});
