/**
 * Shared fast-check set-up for the fuzz suites (issue 15, item 6): a deterministic seed, the run
 * count, and generators of hostile input (unicode, control characters, lone surrogates, huge and
 * deeply nested values, wrong types, near-valid answers with junk inserted).
 *
 * FUZZ_SEED replays a failure (fast-check prints the seed and the path with every counterexample);
 * FUZZ_RUNS changes the number of generated inputs per property (default 10,000).
 */
import fc from 'fast-check';

export const SEED = Number.parseInt(process.env.FUZZ_SEED ?? '', 10) || 20_261_130;
export const RUNS = Number.parseInt(process.env.FUZZ_RUNS ?? '', 10) || 10_000;

fc.configureGlobal({ seed: SEED, numRuns: RUNS, endOnFailure: false });

/** Title suffix, so the seed shows in every report, passing or failing. */
export const seedNote = `fast-check seed ${SEED}, FUZZ_SEED to replay`;

/** C0/C1 controls, invisible and direction marks, line separators, BOM, combining marks, lone surrogates. */
const WEIRD = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u00a0', '\u00ad', '\u034f', '\u061c', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f',
  '\u2028', '\u2029', '\u202a', '\u202e', '\u2060', '\u2066', '\u2069', '\u3000', '\ufeff', '\ufffd', '\uffff',
  '\u0301', '\u0303', '\u0308', '\ud800', '\udbff', '\udc00', '\udfff', '\u{1f642}', '\u{1f1e8}\u{1f1f4}', '\u{10ffff}',
  'İ', 'ß', 'ﬁ', 'Ⅻ', '١', '𝟗', '９', '＠', '．', '－', '／',
];
export const weirdChar = fc.constantFrom(...WEIRD);

/** Answers people really give (valid or almost), so that generated input reaches deep branches. */
export const SAMPLES = [
  'CC', 'cc', 'cédula', 'Cedula de Ciudadania', 'CE', 'TI', 'PA', 'PE', 'PT', 'pasaporte',
  '70123456', '1036612345', '654321', 'AB12345', '123456789012345', '1234567', '000',
  'José', 'JOSÉ ALEJANDRO', "D'Angelo", 'Peña-Ochoa', 'María Fernanda', 'no tengo', 'omitir', '-', 'ninguno',
  '14/03/1968', '20-05-1986', '1968-03-14', '15 de marzo de 1980', '31/02/2020', '01/01/1899', '26/11/2026', '27/11/2026',
  '1/6/2026', '2025-11-27', '29 de febrero de 2024',
  'F', 'm', 'Femenino', 'hombre', 'sí', 'si', 'no', 'ok', 'confirmar', 'corregir', 'corregir nombre',
  'corregir fecha de nacimiento', 'ayuda', 'atrás', 'cancelar', 'menú', 'estado', 'salir', 'empezar de nuevo',
  'nombre@correo.com', 'jose.restrepo@correo.com', 'notificaciones@comfama.com.co', 'sede@gmail.com', 'a@b.co',
  '3001234567', '+57 300 123 4567', '573001234567', '604 444 5566', '6041234567',
  '890.900.841-9', '890900841', '890 900 841 9', '890.900.841-0', '860007336-1',
  'Caja de Compensación Familiar de Antioquia COMFAMA', 'Privada', 'Pública', '1', '2', '5', '9', '0',
  'Antioquia', 'antioquia', '05', '5', 'bogota', 'Bogotá D.C.', 'valle', 'san', 'Medellín', 'medellin', '05001', '11001',
  'Carrera 50 No. 52-10', 'Calle 10 # 43A-30 (Of. 201)', 'Sede principal Medellín',
  'Guayacan-Florido-2026', 'contraseña123', 'P4ssw0rd!Largo', 'registrarme', 'ingresar', 'compartir servisios',
  'cómo autorizo a una persona', 'comenzar', 'comenzar 2', 'la de autorizados', 'registrar empresa',
];
export const sample = fc.constantFrom(...SAMPLES);

/** Any text as a person, a bot or an attacker could send it. */
const junk = fc.string({ unit: fc.oneof(weirdChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 6 });

/** A sample with junk inserted at some place, or repeated. */
const mutated = fc
  .tuple(sample, junk, fc.nat(), fc.constantFrom('insert', 'prefix', 'suffix', 'case', 'double'))
  .map(([s, j, at, how]) => {
    const i = at % (s.length + 1);
    if (how === 'insert') return s.slice(0, i) + j + s.slice(i);
    if (how === 'prefix') return j + s;
    if (how === 'suffix') return s + j;
    if (how === 'case') return i % 2 ? s.toUpperCase() : s.toLowerCase();
    return `${s} ${s}`;
  });

/**
 * Long input: a short unit repeated (regular-expression backtracking, folding cost), just over the
 * limits of the readers (200 characters for a field, 500 for a search, 2,000 for any answer) and up to 20,000.
 */
export const hugeText = fc
  .tuple(fc.oneof(sample, fc.string({ unit: fc.oneof(weirdChar, fc.constantFrom('a', '1', ' ', '.', '@', '-', 'ñ', '/')), minLength: 1, maxLength: 4 })), fc.constantFrom(199, 201, 499, 501, 1_999, 2_001, 5_000, 20_000))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** The text generator of every text property. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: weirdChar, maxLength: 20 }) },
  { weight: 1, arbitrary: sample },
  { weight: 4, arbitrary: mutated },
  { weight: 1, arbitrary: hugeText },
);

/** A JSON value nested `depth` levels (arrays or objects), built iteratively. */
export function nested(depth: number, kind: 'array' | 'object' = 'array', leaf: unknown = 'x'): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** The same as JSON text, without recursion (for depths JSON.stringify would not reach). */
export function nestedJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Any JSON value: wrong types, unicode keys and strings, some deep nesting, some huge strings. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 3, arbitrary: anyText },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 42.5, [], {}, '', ' ') },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 10, max: 3_000 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>).map(([d, k]) => nested(d, k)) },
);
