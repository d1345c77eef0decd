import { describe, expect, it } from 'vitest';
import {
  parseProse,
  answerYesNo,
  takesTheOnlyOption,
  retypedDocument,
  splitDocument,
  parseFirstName,
  parseFirstSurname,
  splitFirstName,
  splitFirstSurname,
  isSkipAnswer,
  parseBirthDate,
  parseDate,
  parseDocumentNumberFor,
  parseDocumentType,
  parseEmailConfirmation,
  parseIssueDate,
  parseName,
  parseOptionalName,
  parseNaturaleza,
  parseNitField,
  parsePhone,
  parseSex,
  parseText,
  yearsBetween,
  type ParseContext,
} from './fields.js';
import type { DocumentType } from './reference.js';

const today = new Date('2026-11-26T15:00:00Z');
const ctx = (values: Record<string, unknown> = {}): ParseContext => ({ values, today });
const reason = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('document type', () => {
  it.each([
    ['CC', 'CC'], ['cc', 'CC'], ['Cédula de ciudadanía', 'CC'], ['cedula', 'CC'], ['CE', 'CE'], ['cédula de extranjería', 'CE'],
    ['pasaporte', 'PA'], ['PEP', 'PE'], ['PE', 'PE'], ['PPT', 'PT'], ['Permiso por protección temporal', 'PT'], ['TI', 'TI'],
    ['tarjeta de identidad', 'TI'],
  ])('%s → %s', (raw, expected) => {
    expect(parseDocumentType(raw, ctx())).toEqual({ ok: true, value: expected });
  });
  it.each(['', 'NIT', 'registro civil', 'x'.repeat(500)])('refuses %j', (raw) => {
    expect(parseDocumentType(raw, ctx()).ok).toBe(false);
  });
});

describe('document number by type (formats as SAT clients validate them)', () => {
  it.each<[DocumentType, string, string]>([
    ['CC', '123', 'ok'], ['CC', '1234567890', 'ok'], ['CC', '52.123.456', 'ok'], ['CC', '12', 'document_number.CC'],
    ['CC', '12345678901', 'document_number.CC'], ['CC', '12A45', 'document_number.digits'], ['CC', '000', 'document_number.CC'],
    ['CE', 'AB123', 'ok'], ['CE', '1234567', 'ok'], ['CE', '12345678', 'document_number.CE'], ['CE', '12', 'document_number.CE'],
    ['PE', '123456789012345', 'ok'], ['PE', '12345678901234', 'document_number.PE'], ['PE', '1234567890123456', 'document_number.PE'],
    ['PT', '1234567', 'ok'], ['PT', '123456', 'document_number.PT'], ['PT', '12345678', 'document_number.PT'],
    ['PA', 'AB1234567', 'ok'], ['PA', 'A', 'ok'], ['PA', 'ABCDEFGHIJ1234567', 'document_number.PA'], ['PA', 'AB-12', 'ok'],
    ['TI', '1', 'ok'], ['TI', '12345678901', 'ok'], ['TI', '123456789012', 'document_number.TI'],
    ['CC', '', 'empty'], ['CC', '😀', 'document_number.digits'], ['PA', "1' OR '1'='1", 'document_number.PA'],
  ])('%s %j → %s', (tipo, raw, expected) => {
    expect(reason(parseDocumentNumberFor(tipo)(raw, ctx()))).toBe(expected);
  });
  it('normalizes to the compact form', () => {
    expect(parseDocumentNumberFor('CC')(' 52 123.456 ', ctx())).toEqual({ ok: true, value: '52123456' });
    expect(parseDocumentNumberFor('CE')('ab123', ctx())).toEqual({ ok: true, value: 'AB123' });
  });
});

describe('dates as people write them', () => {
  it.each([
    ['15/03/1980', '1980-03-15'], ['15-03-1980', '1980-03-15'], ['15.03.1980', '1980-03-15'], ['1980-03-15', '1980-03-15'],
    ['15 de marzo de 1980', '1980-03-15'], ['15 de Marzo del 1980', '1980-03-15'], ['1 de septiembre de 2001', '2001-09-01'],
    ['1 setiembre 2001', '2001-09-01'], ['3 ene 1999', '1999-01-03'], ['29/02/2024', '2024-02-29'], ['26/11/2026', '2026-11-26'],
    // Two-digit years, as people write them: the latest such year not after today's.
    ['18/03/85', '1985-03-18'], ['5-6-05', '2005-06-05'], ['1/1/26', '2026-01-01'], ['1/1/27', '1927-01-01'], ['18 de marzo de 85', '1985-03-18'],
  ])('%s → %s', (raw, iso) => {
    expect(parseDate(raw, ctx())).toEqual({ ok: true, value: iso });
  });
  it.each([
    ['ayer', 'date.format'], ['15/13/1980', 'date.invalid'], ['31/02/1990', 'date.invalid'], ['29/02/2023', 'date.invalid'],
    ['27/11/2026', 'date.future'], ['01/01/1850', 'date.too_old'], ['', 'empty'], ['15 de marzo', 'date.format'],
    ['27/11/26', 'date.future'], ['15/03/198', 'date.format'], ['85/03/18', 'date.invalid'],
  ])('%s → %s', (raw, code) => {
    expect(reason(parseDate(raw, ctx()))).toBe(code);
  });
  it('counts whole years', () => {
    expect(yearsBetween('2008-11-27', '2026-11-26')).toBe(17);
    expect(yearsBetween('2008-11-26', '2026-11-26')).toBe(18);
  });
});

describe('impossible combinations', () => {
  it.each([
    ['CC holder under 18', parseBirthDate, '01/01/2010', { tipoDocumento: 'CC' }, 'birth.cc_minor'],
    ['CC holder turning 18 today', parseBirthDate, '26/11/2008', { tipoDocumento: 'CC' }, 'ok'],
    ['TI holder adult', parseBirthDate, '01/01/1990', { tipoDocumento: 'TI' }, 'birth.ti_adult'],
    ['TI holder minor', parseBirthDate, '01/01/2012', { tipoDocumento: 'TI' }, 'ok'],
    ['issue before birth', parseIssueDate, '01/01/1979', { fechaNacimiento: '1980-03-15' }, 'issue.before_birth'],
    ['CC issued at 17', parseIssueDate, '01/01/1997', { fechaNacimiento: '1980-03-15', tipoDocumento: 'CC' }, 'issue.cc_minor'],
    ['CC issued at 18', parseIssueDate, '15/03/1998', { fechaNacimiento: '1980-03-15', tipoDocumento: 'CC' }, 'ok'],
    ['future issue', parseIssueDate, '01/01/2027', { fechaNacimiento: '1980-03-15' }, 'date.future'],
  ] as const)('%s', (_name, parser, raw, values, expected) => {
    expect(reason(parser(raw, ctx(values)))).toBe(expected);
  });
});

describe('names, sex, skip answers', () => {
  it.each([
    ['maría', 'ok'], ["O'Neil", 'ok'], ['Peña-Gómez', 'ok'], ['ñandú', 'ok'], ['Ana3', 'name.chars'], ['<b>', 'name.chars'],
    ['😀', 'name.chars'], ['', 'empty'], ['a'.repeat(61), 'too_long'],
  ])('name %j → %s', (raw, expected) => {
    expect(reason(parseName(raw, ctx()))).toBe(expected);
  });
  it('upper-cases names keeping accents', () => {
    expect(parseName('maría josé', ctx())).toEqual({ ok: true, value: 'MARÍA JOSÉ' });
  });
  it.each([['F', 'F'], ['femenino', 'F'], ['Mujer', 'F'], ['m', 'M'], ['MASCULINO', 'M']])('sex %s → %s', (raw, v) => {
    expect(parseSex(raw, ctx())).toEqual({ ok: true, value: v });
  });
  it.each([['omitir', true], ['No tengo', true], ['no tiene', true], ['No hay', true], ['ningún', true], ['sin segundo nombre', true], ['-', true], ['', true], ['Ana', false], ['Nohemí', false]])('skip %j → %s', (raw, v) => {
    expect(isSkipAnswer(raw)).toBe(v);
  });
});

describe('companies and places', () => {
  it.each([
    ['860.007.336-1', 'ok'], ['890900841', 'ok'], ['890 900 841 9', 'ok'], ['890900841-8', 'nit.dv'], ['8909008419', 'nit.length'],
    ['NIT 890900841', 'nit.chars'], ['', 'empty'], ['12345', 'nit.length'],
  ])('NIT %j → %s', (raw, expected) => {
    expect(reason(parseNitField(raw, ctx()))).toBe(expected);
  });
  it.each([
    ['6044445566', 'ok'], ['604 444 5566', 'ok'], ['+57 300 123 4567', 'ok'], ['4445566', 'phone.format'], ['2001234567', 'phone.format'],
    ['60444455ab', 'phone.digits'],
  ])('phone %j → %s', (raw, expected) => {
    expect(reason(parsePhone(raw, ctx()))).toBe(expected);
  });
  it.each([
    ['Sede principal', 'ok'], ['Carrera 50 No. 52-10', 'ok'], ['Cl. 10 # 43-12 Of. 301', 'ok'], ['Comfama & Cía. (S.A.S.)', 'ok'],
    ['ab', 'too_short'], ['<script>', 'text.chars'], ['😀 sede', 'text.chars'], ["1'; DROP TABLE x; --", 'text.chars'], ['x'.repeat(101), 'too_long'],
  ])('text %j → %s', (raw, expected) => {
    expect(reason(parseText(3, 100)(raw, ctx()))).toBe(expected);
  });
});

describe('yes / no answers', () => {
  it.each([
    ['sí', true], ['Si', true], ['confirmar', true], ['Confirmo', true], ['correcto', true], ['OK', true], ['de acuerdo', true],
    ['no', false], ['No acepto', false], ['tal vez', undefined], ['', undefined], ['confirmar ya', undefined],
    // As people write it at a review.
    ['listo', true], ['Dale', true], ['ok, confirmar', true], ['¡Sí, confirmo!', true], ['todo bien', true], ['Está bien.', true], ['nop', false],
  ])('%j → %s', (raw, expected) => {
    expect(answerYesNo(raw)).toBe(expected);
  });
});

describe('parseEmailConfirmation: the e-mail typed again', () => {
  const first = ctx({ email: 'nicolas.montoya@gmail.com' });
  it.each([
    ['nicolas.montoya@gmail.com', 'ok'],
    ['Nicolas.Montoya@Gmail.com ', 'ok'],
    ['nicolas.montoya@hotmail.com', 'email.mismatch'],
    // approved instead of typed again
    ['confirmar', 'email.confirmar_escribiendo'],
    ['sí', 'email.confirmar_escribiendo'],
    ['ese es', 'email.confirmar_escribiendo'],
    ['es el mismo', 'email.confirmar_escribiendo'],
    // the phone typed ahead
    ['310 555 1234', 'email.confirmar_no_telefono'],
    ['+57 3105551234', 'email.confirmar_no_telefono'],
    ['nicolas', 'email.format'],
  ])('%j → %s', (raw, expected) => {
    expect(reason(parseEmailConfirmation(raw, first))).toBe(expected);
  });
});

describe('parseProse (reasons, descriptions)', () => {
  const prose = parseProse(5, 40);
  const ctx = { values: {}, today: new Date('2026-12-01T12:00:00Z') };
  it.each([
    ['¿Por qué? ¡Cumple! Ver: acta 12 (50%)', '¿Por qué? ¡Cumple! Ver: acta 12 (50%)'],
    ['  Solicitud   de la Caja  ', 'Solicitud de la Caja'],
  ])('accepts ordinary punctuation: %s', (raw, value) => {
    expect(prose(raw, ctx)).toEqual({ ok: true, value });
  });
  it.each([
    ['', 'empty'],
    ['abc', 'too_short'],
    ['x'.repeat(41), 'too_long'],
    ['Motivo\u0007 con campana', 'text.chars'],
    ['Motivo\u200b invisible', 'text.chars'],
    ["1'; DROP TABLE citizens; --", 'text.chars'],
    ['<img src=x onerror=alert(1)>', 'text.chars'],
    ['🙂🚀🇨🇴 🙂', 'text.chars'],
    ['12345 678', 'text.chars'],
  ])('refuses %j (%s)', (raw, code) => {
    expect(prose(raw, ctx)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('splitDocument: the type and the number in one answer', () => {
  it.each([
    ['CC 70123456', 'CC', '70123456'], ['cc 70.123.456', 'CC', '70.123.456'], ['cedula 70123456', 'CC', '70123456'], ['Cédula de ciudadanía 70123456', 'CC', '70123456'],
    ['C.C. 70123456', 'CC', '70123456'], ['CC: 70123456', 'CC', '70123456'], ['cc:70123456', 'CC', '70123456'], ['CE 654321', 'CE', '654321'], ['cc no. 70123456', 'CC', '70123456'],
  ])('%j → %s %s', (raw, tipo, numero) => expect(splitDocument(raw)).toEqual({ tipoDocumento: tipo, numeroDocumento: numero }));
  it.each(['CC', '70123456', 'cc abc', 'hola 70123456', 'pasaporte', '', 'pasaporte chino'])('%j → nothing', (raw) => expect(splitDocument(raw)).toBeUndefined());
});

describe('retypedDocument: a document type typed at the number', () => {
  it.each([
    ['cc', { tipoDocumento: 'cc' }], ['Cédula de extranjería', { tipoDocumento: 'Cédula de extranjería' }], [' pasaporte ', { tipoDocumento: 'pasaporte' }],
    ['cc 1036612345', { tipoDocumento: 'CC', numeroDocumento: '1036612345' }], ['CE 654321', { tipoDocumento: 'CE', numeroDocumento: '654321' }],
  ])('%j → %j', (raw, expected) => expect(retypedDocument(raw)).toEqual(expected));
  it.each(['1036612345', 'hola', 'no se', '', 'cc abc'])('%j → nothing', (raw) => expect(retypedDocument(raw)).toBeUndefined());
});

describe('parseName: "no tengo" is no name', () => {
  it.each(['no tengo', 'Ninguno', 'no aplica', 'omitir'])('%j → required', (raw) => expect(parseName(raw, ctx())).toEqual({ ok: false, error: { code: 'required' } }));
});

describe('parseName: "sí", "ok" are replies, not names', () => {
  it.each(['sí', 'Si', 'ok', 'OK', 'listo', 'de acuerdo'])('%j → name.reply', (raw) =>
    expect(parseName(raw, ctx())).toEqual({ ok: false, error: { code: 'name.reply', respuesta: raw } }),
  );
  it.each([['Bueno', 'BUENO'], ['Claro', 'CLARO'], ['Dale', 'DALE'], ['Aja', 'AJA'], ['Silvia', 'SILVIA']])('%j is a name → %s', (raw, name) => expect(parseName(raw, ctx())).toEqual({ ok: true, value: name }));
  it('"si" at an optional name too (it is not "none")', () => expect(parseOptionalName('si', ctx())).toMatchObject({ ok: false, error: { code: 'name.reply' } }));
  it.each(['confirmar', 'Corregir', 'enviar', 'Acepto', 'cédula', 'Cédula de ciudadanía', 'pasaporte', 'CC'])('%j (a button, a command, a document type) → name.reply', (raw) => {
    expect(parseName(raw, ctx())).toEqual({ ok: false, error: { code: 'name.reply', respuesta: raw } });
    expect(parseOptionalName(raw, ctx())).toMatchObject({ ok: false, error: { code: 'name.reply' } });
  });
  it.each(['Confirmado', 'Cecilia', 'Tiberio', 'Pepa', 'Enviada'])('%j is a name', (raw) => expect(parseName(raw, ctx()).ok).toBe(true));
});

describe('parseFirstName: one name', () => {
  it.each([['Luz', 'LUZ'], ['andrés', 'ANDRÉS'], ['María del Pilar', 'MARÍA DEL PILAR'], ['Jean-Pierre', 'JEAN-PIERRE']])('%j → %s', (raw, name) =>
    expect(parseFirstName(raw, ctx())).toEqual({ ok: true, value: name }),
  );
  it('"luz paola" is doubted, naming the first and the second name', () => {
    const r = parseFirstName('luz paola', ctx());
    expect(r).toEqual({ ok: false, error: { code: 'name.first_only', primero: 'LUZ', resto: 'PAOLA', escrito: 'LUZ PAOLA', sugerencia: 'LUZ' } });
  });
  it('splitFirstName gives both names only for such an answer', () => {
    expect(splitFirstName('luz paola')).toEqual({ primerNombre: 'LUZ', segundoNombre: 'PAOLA' });
    expect(splitFirstName('José Alejandro de Jesús')).toBeUndefined(); // a particle: one name
    expect(splitFirstName('Luz')).toBeUndefined();
  });
});

describe('parseFirstSurname: one surname', () => {
  it.each([['Gómez', 'GÓMEZ'], ['De la Hoz', 'DE LA HOZ'], ['del Castillo', 'DEL CASTILLO'], ['Hoz de', 'HOZ DE']])('%j → %s', (raw, name) =>
    expect(parseFirstSurname(raw, ctx())).toEqual({ ok: true, value: name }),
  );
  it('"martinez ruiz" is doubted, naming the first and the second surname', () => {
    const r = parseFirstSurname('martinez ruiz', ctx());
    expect(r).toEqual({ ok: false, error: { code: 'name.first_surname_only', primero: 'MARTINEZ', resto: 'RUIZ', escrito: 'MARTINEZ RUIZ', sugerencia: 'MARTINEZ' } });
  });
  it('splitFirstSurname gives both surnames only for such an answer', () => {
    expect(splitFirstSurname('martinez ruiz')).toEqual({ primerApellido: 'MARTINEZ', segundoApellido: 'RUIZ' });
    expect(splitFirstSurname('De la Hoz')).toBeUndefined();
    // A surname's particles lead it: "De la Hoz" and "de la Rosa" are each one surname.
    expect(splitFirstSurname('de la hoz zuñiga')).toEqual({ primerApellido: 'DE LA HOZ', segundoApellido: 'ZUÑIGA' });
    expect(splitFirstSurname('Martínez de la Rosa')).toEqual({ primerApellido: 'MARTÍNEZ', segundoApellido: 'DE LA ROSA' });
    expect(splitFirstSurname('Gómez')).toBeUndefined();
    expect(splitFirstSurname('luz paola')).toEqual({ primerApellido: 'LUZ', segundoApellido: 'PAOLA' });
  });
});

describe('parseNaturaleza: the portal number, or the words of a legal form', () => {
  it.each([
    ['2', '2'], ['sin ánimo de lucro', '2'], ['Fundación', '2'], ['S.A.S.', '2'], ['es una empresa privada', '2'],
    ['entidad pública', '1'], ['del Estado', '1'], ['economía mixta', '3'], ['organismo multilateral', '4'], ['entidad extranjera', '5'],
  ])('%j → %s', (raw, code) => expect(parseNaturaleza(raw, ctx())).toEqual({ ok: true, value: code }));
  it.each(['no sé', 'empresa', '6', '', 'no sé si es pública o privada'])('%j → asked again', (raw) => expect(parseNaturaleza(raw, ctx()).ok).toBe(false));
});

describe('takesTheOnlyOption: an answer that takes the one option shown', () => {
  it.each(['sí', 'ok', 'Esa', 'la única', 'dale'])('"%s" takes it', (text) => expect(takesTheOnlyOption(text)).toBe(true));
  it.each(['no', 'otra', 'ninguna', ''])('"%s" does not', (text) => expect(takesTheOnlyOption(text)).toBe(false));
});
