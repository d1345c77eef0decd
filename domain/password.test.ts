import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, type PasswordReason } from './password.js';

const jose = { numeroDocumento: '70123456', nombres: ['JOSÉ', 'ALEJANDRO', 'RESTREPO', 'MUÑOZ'] };
const maria = { numeroDocumento: 'AB12345', nombres: ['MARÍA', 'DE LOS ÁNGELES', 'PEÑA', ''] };

describe('password policy', () => {
  it.each<[string, typeof jose, PasswordReason[]]>([
    // acceptable
    ['Kx7mPq29Lz', jose, []],
    ['Bosque7Azul3Rio', jose, []],
    ['montaña-roja-58', jose, []],
    ['Tz4#kLm9pQ', jose, []],
    ['dexq482917a', maria, []], // "de" is a name part shorter than 3 letters
    ['aNa-Loquz-417', maria, []],
    // length and character classes
    ['Kx7mPq29L', jose, ['clave.corta']],
    ['', jose, ['clave.corta', 'clave.letras_digitos', 'clave.comun']],
    ['KxzmPqwLzrT', jose, ['clave.letras_digitos']],
    ['4829173650', jose, ['clave.letras_digitos']],
    ['xq-#-mpzlrt!', jose, ['clave.letras_digitos']],
    // the document number, also with separators and letters of a passport
    ['xq70123456z', jose, ['clave.documento']],
    ['Tz70.123.456', jose, ['clave.documento']],
    ['zz-ab12345-kq', maria, ['clave.documento']],
    // a name part of 3 or more letters, accents and case ignored
    ['munoz4829xq', jose, ['clave.nombre']],
    ['MUÑOZ4829xq', jose, ['clave.nombre']],
    ['JoSé8472kqz', jose, ['clave.nombre']],
    ['xqrestrepo94', jose, ['clave.nombre']],
    ['9alejandroq', jose, ['clave.nombre']],
    ['angeles482x', maria, ['clave.nombre']],
    ['pena-4829-xq', maria, ['clave.nombre']],
    ['jose123', jose, ['clave.corta', 'clave.nombre']],
    // common passwords and their simple variants
    ['Password123', jose, ['clave.comun']],
    ['P@ssw0rd2024', jose, ['clave.comun']],
    ['colombia2024', jose, ['clave.comun']],
    ['2024Colombia!', jose, ['clave.comun']],
    ['1234567890a', jose, ['clave.comun']],
    ['a0987654321', jose, ['clave.comun']],
    ['qwerty12345', jose, ['clave.comun']],
    ['1q2w3e4r5t', jose, ['clave.comun']],
    ['abc1234567', jose, ['clave.comun']],
    ['aaaaaa1111', jose, ['clave.comun']],
    ['teamo123456', jose, ['clave.comun']],
    ['Millonarios1', jose, ['clave.comun']],
    ['teamoteamo1', jose, ['clave.comun']],
    ['Contraseña2025', jose, ['clave.comun']],
    ['1212121212', jose, ['clave.letras_digitos', 'clave.comun']],
  ])('%j', (password, person, expected) => {
    expect(checkPasswordPolicy(password, person)).toEqual(expected);
  });
});
