import { describe, expect, it } from 'vitest';
import { matchAlias, matchChoice, matchMany, MAX_CHOICE_ANSWER, mayNameNumber, optionNamedIn, type ChoiceMatch } from './choice.js';

const EPS = ['EPS Sura', 'Sanitas', 'Nueva EPS', 'Compensar', 'Ninguna de las anteriores'];
const PLACES = ['Envigado (Antioquia)', 'Medellín (Antioquia)', 'Bello (Antioquia)', 'Bogotá, D.C.', 'Ninguna de las anteriores'];
const EMPLOYERS = ['Almacenes Éxito S.A.', 'Bancolombia S.A.', 'Grupo Nutresa S.A.', 'Ecopetrol S.A.', 'Ninguna de las anteriores'];
const ROLES = ['Ciudadano', 'Empleador persona jurídica — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA'];
const TWO_CCF = [
  'Ciudadano',
  'Empleador persona jurídica — CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA',
  'Empleador persona jurídica — CAJA DE COMPENSACIÓN FAMILIAR COMPENSAR',
];
const MENU = ['Registrarme', 'Ingresar', '¿Qué está buscando?', 'Ayuda'];
const YES_NO = ['Sí', 'No'];
const REVIEW = ['Confirmar', 'Corregir'];
const WHAT = ['Sede principal', 'Delegado'];
const SEXO = ['Femenino', 'Masculino', 'No binario'];
const RUT = ['Aprobar', 'Rechazar'];

/** The expected reading: the label picked, `['?', ...labels]` for ambiguous, or `null` for none. */
type Expected = string | ['?', ...string[]] | null;

function reading(m: ChoiceMatch, labels: readonly string[]): Expected {
  if (m.kind === 'match') return labels[m.index] as string;
  if (m.kind === 'ambiguous') return ['?', ...m.indices.map((i) => labels[i] as string)];
  return null;
}

const CCF_ROLES = ['Ciudadano', 'Caja de compensación familiar — COMFAMILIAR CAMACOL'];

const cases: [string, readonly string[], Expected][] = [
  // the role to act in: "como", "quiero" say nothing about which
  ['como caja', CCF_ROLES, 'Caja de compensación familiar — COMFAMILIAR CAMACOL'],
  ['quiero actuar como ciudadano', CCF_ROLES, null], // "actuar" is no word of either
  ['como ciudadano', CCF_ROLES, 'Ciudadano'],
  ['prefiero camacol', CCF_ROLES, 'Caja de compensación familiar — COMFAMILIAR CAMACOL'],
  // identity questions: EPS
  ['2', EPS, 'Sanitas'],
  ['2.', EPS, 'Sanitas'],
  ['la 2', EPS, 'Sanitas'],
  ['opción 2', EPS, 'Sanitas'],
  ['#2', EPS, 'Sanitas'],
  ['(5)', EPS, 'Ninguna de las anteriores'],
  ['la segunda', EPS, 'Sanitas'],
  ['la última opción', EPS, 'Ninguna de las anteriores'],
  ['ninguna', EPS, 'Ninguna de las anteriores'],
  ['NINGUNA DE LAS ANTERIORES', EPS, 'Ninguna de las anteriores'],
  ['ninguna de esas', EPS, 'Ninguna de las anteriores'],
  ['ningna', EPS, 'Ninguna de las anteriores'],
  ['ninguno', EPS, 'Ninguna de las anteriores'],
  ['sura', EPS, 'EPS Sura'],
  ['la de sura', EPS, 'EPS Sura'],
  ['eps sura', EPS, 'EPS Sura'],
  ['sanitaz', EPS, 'Sanitas'],
  ['san', EPS, 'Sanitas'],
  ['nueva', EPS, 'Nueva EPS'],
  ['Nueva EPS', EPS, 'Nueva EPS'],
  ['compensar', EPS, 'Compensar'],
  ['eps', EPS, ['?', 'EPS Sura', 'Nueva EPS']],
  ['2. Sanitas', EPS, 'Sanitas'],
  ['6', EPS, null],
  ['0', EPS, null],
  ['-1', EPS, 'EPS Sura'], // "-1" reads as 1: the dash is punctuation
  ['coomeva', EPS, null],
  ['sura sanitas', EPS, null],
  // identity questions: places and employers
  ['envigado', PLACES, 'Envigado (Antioquia)'],
  ['Envigado (Antioquia)', PLACES, 'Envigado (Antioquia)'],
  ['envigado antioquia', PLACES, 'Envigado (Antioquia)'],
  ['envigao', PLACES, 'Envigado (Antioquia)'],
  ['medellin', PLACES, 'Medellín (Antioquia)'],
  ['MEDELLÍN', PLACES, 'Medellín (Antioquia)'],
  ['medelin', PLACES, 'Medellín (Antioquia)'],
  ['bello', PLACES, 'Bello (Antioquia)'],
  ['bogota dc', PLACES, 'Bogotá, D.C.'],
  ['antioquia', PLACES, ['?', 'Envigado (Antioquia)', 'Medellín (Antioquia)', 'Bello (Antioquia)']],
  ['ant', PLACES, ['?', 'Envigado (Antioquia)', 'Medellín (Antioquia)', 'Bello (Antioquia)', 'Ninguna de las anteriores']], // and "anteriores"
  ['en', PLACES, null], // a two-letter prefix is too short
  ['exito', EMPLOYERS, 'Almacenes Éxito S.A.'],
  ['bancolombia', EMPLOYERS, 'Bancolombia S.A.'],
  ['nutresa', EMPLOYERS, 'Grupo Nutresa S.A.'],
  ['sa', EMPLOYERS, ['?', ...EMPLOYERS.slice(0, 4)]],
  ['exito sa', EMPLOYERS, 'Almacenes Éxito S.A.'],
  // the role to act in
  ['empleador', ROLES, ROLES[1]!],
  ['ciudadano', ROLES, 'Ciudadano'],
  ['ciudadana', ROLES, 'Ciudadano'],
  ['comfama', ROLES, ROLES[1]!],
  ['persona juridica', ROLES, ROLES[1]!],
  ['empleador comfama', ROLES, ROLES[1]!],
  ['caja', TWO_CCF, ['?', TWO_CCF[1]!, TWO_CCF[2]!]],
  ['empleador', TWO_CCF, ['?', TWO_CCF[1]!, TWO_CCF[2]!]],
  ['compensar', TWO_CCF, TWO_CCF[2]!],
  ['caja antioquia', TWO_CCF, TWO_CCF[1]!],
  // menus and short lists
  ['registrarme', MENU, 'Registrarme'],
  ['registro', MENU, 'Registrarme'],
  ['registrar', MENU, 'Registrarme'],
  ['ingresar', MENU, 'Ingresar'],
  ['ingreso', MENU, 'Ingresar'],
  ['que esta buscando', MENU, '¿Qué está buscando?'],
  ['buscar', MENU, '¿Qué está buscando?'],
  ['ayuda', MENU, 'Ayuda'],
  ['AYUDA!', MENU, 'Ayuda'],
  ['sí', YES_NO, 'Sí'],
  ['SI', YES_NO, 'Sí'],
  ['no', YES_NO, 'No'],
  ['confirmar', REVIEW, 'Confirmar'],
  ['corr', REVIEW, 'Corregir'],
  ['co', REVIEW, null],
  ['sede', WHAT, 'Sede principal'],
  ['el delegado', WHAT, 'Delegado'],
  ['no binario', SEXO, 'No binario'],
  ['femenino', SEXO, 'Femenino'],
  ['aprobar', RUT, 'Aprobar'],
  ['rechazo', RUT, 'Rechazar'],
  ['13', ['Comuna 13', 'Comuna 14'], 'Comuna 13'], // a number that is no option's number but a word of one
  ['2', ['Comuna 13', 'Comuna 14'], 'Comuna 14'],
  // bad input
  ['', EPS, null],
  ['   ', EPS, null],
  ['¿?', EPS, null],
  ['🙂🚀', EPS, null],
  ["1'; DROP TABLE citizens; --", EPS, null],
  ['<img src=x onerror=alert(1)>', EPS, null],
  ['<b>x</b>', EPS, null],
  ['la', EPS, null],
  ['sura '.repeat(50), EPS, null],
];

describe('matchChoice: the number, the label, or a unique word or prefix of it', () => {
  it.each(cases)('%j among %j → %j', (answer, labels, expected) => {
    expect(reading(matchChoice(answer, labels), labels)).toEqual(expected);
  });

  it('says why nothing was picked', () => {
    expect(matchChoice('', EPS)).toEqual({ kind: 'none', reason: 'empty' });
    expect(matchChoice('9', EPS)).toEqual({ kind: 'none', reason: 'out-of-range' });
    expect(matchChoice('x'.repeat(MAX_CHOICE_ANSWER + 1), EPS)).toEqual({ kind: 'none', reason: 'too-long' });
    expect(matchChoice('coomeva', EPS)).toEqual({ kind: 'none', reason: 'unknown' });
  });

  it('says how the option was picked', () => {
    expect(matchChoice('3', EPS)).toEqual({ kind: 'match', index: 2, by: 'number' });
    expect(matchChoice('nueva eps', EPS)).toEqual({ kind: 'match', index: 2, by: 'label' });
    expect(matchChoice('nueva', EPS)).toEqual({ kind: 'match', index: 2, by: 'words' });
  });

  it('an option whose own word is an ordinal is read as that word', () => {
    const labels = ['Primera vez', 'Segunda vez'];
    expect(reading(matchChoice('segunda', labels), labels)).toBe('Segunda vez');
  });

  it('a word an identifier joins names its option ("la de beneficiarios"); the identifier typed whole still does', () => {
    const labels = ['GET ConsultaAfiliacion (activo)', 'GET ConsultaBeneficiarios (activo)'];
    expect(matchChoice('la de beneficiarios', labels)).toEqual({ kind: 'match', index: 1, by: 'words' });
    expect(matchChoice('afiliacion', labels)).toEqual({ kind: 'match', index: 0, by: 'words' });
    expect(matchChoice('consultabeneficiarios', labels)).toEqual({ kind: 'match', index: 1, by: 'words' });
    expect(matchChoice('GET ConsultaBeneficiarios (activo)', labels)).toEqual({ kind: 'match', index: 1, by: 'label' });
    expect(matchChoice('consulta', labels)).toEqual({ kind: 'ambiguous', indices: [0, 1] });
  });
});

describe('filler words that are also a label\'s words', () => {
  it.each([
    ['si', ['Sí, confirmar', 'No, volver'], 0],
    ['sí', ['Sí, confirmar', 'No'], 0],
    ['si acepto', ['Acepto', 'No acepto'], 0],
    ['no acepto', ['Acepto', 'No acepto'], 1],
  ] as const)('%j among %j → option %i', (answer, labels, index) => {
    expect(matchChoice(answer, labels)).toMatchObject({ kind: 'match', index });
  });
});

describe('matchAlias: an option\'s other names, said anywhere in the answer', () => {
  const aliases = [['agregar', 'añadir'], ['quitar', 'dar de baja'], []];
  it.each([
    ['agregar', 0], ['Quiero AÑADIR a alguien', 0], ['quitar a Carlos', 1], ['hay que dar de baja a Luisa', 1],
    ['agregarle', undefined], ['quitar y agregar', undefined], ['terminar', undefined], ['', undefined],
  ] as const)('%j → %s', (answer, index) => {
    expect(matchAlias(answer, aliases)).toBe(index);
  });
  it('a pasted paragraph is not read', () => {
    expect(matchAlias(`agregar ${'x'.repeat(MAX_CHOICE_ANSWER)}`, aliases)).toBeUndefined();
  });
});

describe('optionNamedIn: the one option words of a longer sentence name', () => {
  const services = ['GET ConsultaAfiliacion — Consulta de afiliación', 'POST SolicitudAfiliacion — Solicitud de afiliación'];
  it.each([
    ['swagger de consulta', 0], ['cual es el client id de la solicitud de afiliacion', 1], ['documentacion de SolicitudAfiliacion', 1],
    ['ver el del GET', 0],
    // Words of both, of neither, or of each: no one option.
    ['swagger', undefined], ['documentacion de afiliacion', undefined], ['consulta y solicitud', undefined], ['la 2', undefined], ['', undefined],
  ] as const)('%j → %s', (text, index) => {
    expect(optionNamedIn(text, services)).toBe(index);
  });
  it('a pasted paragraph is not read', () => {
    expect(optionNamedIn(`consulta ${'x'.repeat(MAX_CHOICE_ANSWER)}`, services)).toBeUndefined();
  });
});

describe('matchMany: several options in one answer, by numbers or words', () => {
  const labels = ['ConsultaAfiliacion — Consulta de afiliación', 'ConsultaBeneficiarios — Consulta de beneficiarios', 'Aportes y pagos', 'SolicitudAfiliacion — Solicitud de afiliación'];
  it.each([
    ['1, 3', [0, 2]], ['3 y 1', [2, 0]], ['1 4', [0, 3]], ['1;2;2', [0, 1]], ['dos e cuatro', [1, 3]],
    ['consulta afiliacion y beneficiarios', [0, 1]], ['ConsultaAfiliacion, solicitudafiliacion', [0, 3]],
    ['aportes y pagos', [2]], ['2, aportes y pagos', [1, 2]], ['solicitud', [3]],
  ] as const)('%j → %j', (answer, indices) => {
    expect(matchMany(answer, labels)).toEqual(indices);
  });
  it.each(['', '5', '0, 1', 'consulta', '1, x', 'todos', ',,', `1, ${'x'.repeat(MAX_CHOICE_ANSWER)}`])('%j is not read', (answer) => {
    expect(matchMany(answer, labels)).toBeUndefined();
  });
});

describe('mayNameNumber: whether an answer may pick an option by its number', () => {
  const menus = [
    ['Registrarme', 'Ingresar', 'Olvidé mi contraseña', 'Buscar', 'Ayuda'],
    ['Comuna 13', 'Segunda etapa', 'Sede principal'],
    ['Sí, confirmar', 'Corregir'],
  ];
  const answers = [
    '2', 'la 2', 'opción #2', 'la segunda', 'la última', 'escojo la tercera', '2. Ingresar', 'numero 13', 'n.º 3',
    'Registrarme', 'quiero ingresar', 'olvide mi contrasena', 'Segunda etapa', 'comuna', 'sí', 'constructor', 'toString', '', 'hola',
  ];
  it('is false only where matchChoice finds no match by number, for any options', () => {
    for (const labels of menus) {
      for (const answer of answers) {
        const m = matchChoice(answer, labels);
        if (!mayNameNumber(answer)) expect(m.kind === 'match' && m.by === 'number', `"${answer}" at ${labels.join(' / ')}`).toBe(false);
      }
    }
    expect(answers.filter(mayNameNumber)).toEqual(['2', 'la 2', 'opción #2', 'la segunda', 'la última', 'escojo la tercera', '2. Ingresar', 'numero 13', 'n.º 3', 'Segunda etapa']);
  });

  it('takes no name of an object\'s built-in property for a number', () => {
    expect(mayNameNumber('constructor')).toBe(false);
    expect(matchChoice('constructor', menus[0]!)).toEqual({ kind: 'none', reason: 'unknown' });
  });
});
