/**
 * Generates storage/reference/data/companies.json and persons.json: the reference sources the
 * assistant compares people and companies with. Deterministic (seeded): running it again writes the
 * same files.
 *
 *   npx tsx scripts/build-reference.ts
 *
 * Inputs: storage/reference/data/ccf.csv (the 43 CCFs: real PILA code, NIT, DV, sigla),
 * storage/reference/data/divipola.json (scripts/build-divipola.ts) and the fixed example people of
 * storage/reference/examples.ts. Everything about persons, addresses and private companies is
 * synthetic.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeDv } from '../domain/nit.js';
import { seededRandom } from '../domain/random.js';
import type { DocumentType, ReferenceCompany, ReferencePerson, Sex } from '../domain/reference.js';
import { COMFAMA, EXAMPLE_PERSONS } from '../storage/reference/examples.js';

const SEED = 20261126;
/** No generated date goes past this one (it precedes the default fake clock of the tests). */
const LAST_DATE = '2025-12-31';
/** Ages of minors are checked on this date. */
const MINOR_AGE_DATE = '2026-11-26';

const DATA_DIR = new URL('../storage/reference/data/', import.meta.url);

// ---------------------------------------------------------------------------------------------
// Randomness and dates

const rng = seededRandom(SEED);
const int = (min: number, max: number): number => min + rng.int(max - min + 1); // inclusive
const chance = (p: number): boolean => rng.next() < p;
function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[rng.int(items.length)] as T;
}

const DAY = 86_400_000;
const toTime = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const toIso = (t: number): string => new Date(t).toISOString().slice(0, 10);
const addDays = (iso: string, days: number): string => toIso(toTime(iso) + days * DAY);
const minDate = (a: string, b: string): string => (a < b ? a : b);
const maxDate = (a: string, b: string): string => (a > b ? a : b);
const yearOf = (iso: string): number => Number(iso.slice(0, 4));
/** Same month and day `years` later (29 Feb → 28 Feb). */
function addYears(iso: string, years: number): string {
  const y = yearOf(iso) + years;
  const md = iso.slice(5) === '02-29' ? '02-28' : iso.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}
function dateBetween(from: string, to: string): string {
  const a = toTime(from);
  const b = toTime(to);
  if (b < a) throw new Error(`empty date range ${from}..${to}`);
  return toIso(a + rng.int(Math.floor((b - a) / DAY) + 1) * DAY);
}
function ageOn(birth: string, on: string): number {
  let age = yearOf(on) - yearOf(birth);
  if (on.slice(5) < birth.slice(5)) age--;
  return age;
}

// ---------------------------------------------------------------------------------------------
// DIVIPOLA and CCFs

interface Divipola {
  readonly departments: readonly { code: string; name: string }[];
  readonly municipalities: readonly { code: string; name: string; departmentCode: string }[];
}
const divipola = JSON.parse(readFileSync(new URL('divipola.json', DATA_DIR), 'utf8')) as Divipola;
const municipalityCodes = new Set(divipola.municipalities.map((m) => m.code));
const municipalitiesOf = (dep: string): string[] =>
  divipola.municipalities.filter((m) => m.departmentCode === dep).map((m) => m.code);
const capitalOf = (dep: string): string => (dep === '25' ? '11001' : `${dep}001`);

/** Department names as written in ccf.csv → DIVIPOLA department code of the CCF's seat. */
const CSV_DEPARTMENTS: Readonly<Record<string, string>> = {
  Antioquia: '05',
  Atlántico: '08',
  Bolívar: '13',
  Boyacá: '15',
  Caldas: '17',
  Caquetá: '18',
  Cauca: '19',
  Cesar: '20',
  Córdoba: '23',
  'Bogotá D.C.': '11',
  // Bogotá is Cundinamarca's capital but DIVIPOLA department 11; Comfacundi's seat is in Bogotá.
  Cundinamarca: '11',
  Chocó: '27',
  'La Guajira': '44',
  Huila: '41',
  Magdalena: '47',
  Meta: '50',
  Nariño: '52',
  'Norte de Santander': '54',
  Santander: '68',
  Sucre: '70',
  Quindío: '63',
  Risaralda: '66',
  Tolima: '73',
  'Valle del Cauca': '76',
  Putumayo: '86',
  'San Andrés y Providencia': '88',
  Amazonas: '91',
  Arauca: '81',
  '(nacional; campesina)': '11', // Comcaja: national, seat in Bogotá
  Casanare: '85',
};

/** Razón social of each CCF, RUT-style (indicative: the caja's public name plus its sigla). */
const CCF_RAZON_SOCIAL: Readonly<Record<string, string>> = {
  CCF02: 'CAJA DE COMPENSACIÓN FAMILIAR COMFAMILIAR CAMACOL',
  CCF03: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA',
  CCF04: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA',
  CCF05: 'CAJA DE COMPENSACIÓN FAMILIAR CAJACOPI ATLÁNTICO',
  CCF06: 'CAJA DE COMPENSACIÓN FAMILIAR DE BARRANQUILLA COMBARRANQUILLA',
  CCF07: 'CAJA DE COMPENSACIÓN FAMILIAR DEL ATLÁNTICO COMFAMILIAR ATLÁNTICO',
  CCF08: 'CAJA DE COMPENSACIÓN FAMILIAR DE FENALCO COMFENALCO CARTAGENA',
  CCF09: 'CAJA DE COMPENSACIÓN FAMILIAR DE CARTAGENA Y BOLÍVAR COMFAMILIAR',
  CCF10: 'CAJA DE COMPENSACIÓN FAMILIAR DE BOYACÁ COMFABOY',
  CCF11: 'CAJA DE COMPENSACIÓN FAMILIAR DE CALDAS CONFA',
  CCF13: 'CAJA DE COMPENSACIÓN FAMILIAR DEL CAQUETÁ COMFACA',
  CCF14: 'CAJA DE COMPENSACIÓN FAMILIAR DEL CAUCA COMFACAUCA',
  CCF15: 'CAJA DE COMPENSACIÓN FAMILIAR DEL CESAR COMFACESAR',
  CCF16: 'CAJA DE COMPENSACIÓN FAMILIAR DE CÓRDOBA COMFACOR',
  CCF21: 'CAJA DE COMPENSACIÓN FAMILIAR CAFAM',
  CCF22: 'CAJA COLOMBIANA DE SUBSIDIO FAMILIAR COLSUBSIDIO',
  CCF24: 'CAJA DE COMPENSACIÓN FAMILIAR COMPENSAR',
  CCF26: 'CAJA DE COMPENSACIÓN FAMILIAR DE CUNDINAMARCA COMFACUNDI',
  CCF29: 'CAJA DE COMPENSACIÓN FAMILIAR DEL CHOCÓ COMFACHOCÓ',
  CCF30: 'CAJA DE COMPENSACIÓN FAMILIAR DE LA GUAJIRA COMFAGUAJIRA',
  CCF32: 'CAJA DE COMPENSACIÓN FAMILIAR DEL HUILA COMFAMILIAR HUILA',
  CCF33: 'CAJA DE COMPENSACIÓN FAMILIAR DEL MAGDALENA CAJAMAG',
  CCF34: 'CAJA DE COMPENSACIÓN FAMILIAR REGIONAL DEL META COFREM',
  CCF35: 'CAJA DE COMPENSACIÓN FAMILIAR DE NARIÑO COMFAMILIAR NARIÑO',
  CCF36: 'CAJA DE COMPENSACIÓN FAMILIAR DEL ORIENTE COLOMBIANO COMFAORIENTE',
  CCF37: 'CAJA DE COMPENSACIÓN FAMILIAR DEL NORTE DE SANTANDER COMFANORTE',
  CCF38: 'CAJA DE COMPENSACIÓN FAMILIAR DE BARRANCABERMEJA CAFABA',
  CCF39: 'CAJA SANTANDEREANA DE SUBSIDIO FAMILIAR CAJASAN',
  CCF40: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO SANTANDER',
  CCF41: 'CAJA DE COMPENSACIÓN FAMILIAR DE SUCRE COMFASUCRE',
  CCF43: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO QUINDÍO',
  CCF44: 'CAJA DE COMPENSACIÓN FAMILIAR DE RISARALDA COMFAMILIAR RISARALDA',
  CCF46: 'CAJA DE COMPENSACIÓN FAMILIAR DEL SUR DEL TOLIMA CAFASUR',
  CCF48: 'CAJA DE COMPENSACIÓN FAMILIAR DEL TOLIMA COMFATOLIMA',
  CCF50: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO TOLIMA',
  CCF56: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO VALLE DEL CAUCA',
  CCF57: 'CAJA DE COMPENSACIÓN FAMILIAR DEL VALLE DEL CAUCA COMFANDI',
  CCF63: 'CAJA DE COMPENSACIÓN FAMILIAR DEL PUTUMAYO COMFAMILIAR PUTUMAYO',
  CCF64: 'CAJA DE COMPENSACIÓN FAMILIAR DE SAN ANDRÉS Y PROVIDENCIA ISLAS CAJASAI',
  CCF65: 'CAJA DE COMPENSACIÓN FAMILIAR DEL AMAZONAS CAFAMAZ',
  CCF67: 'CAJA DE COMPENSACIÓN FAMILIAR DE ARAUCA COMFIAR',
  CCF68: 'CAJA DE COMPENSACIÓN FAMILIAR CAMPESINA COMCAJA',
  CCF69: 'CAJA DE COMPENSACIÓN FAMILIAR DE CASANARE COMFACASANARE',
};

interface CcfRow {
  readonly codigoPila: string;
  readonly sigla: string;
  readonly nit: string;
  readonly dv: string;
  readonly departamento: string;
}
function readCcfCsv(text: string): CcfRow[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header !== 'codigo_pila,sigla,nit,dv,departamento_sede') throw new Error(`unexpected ccf.csv header: ${header}`);
  return lines.map((line) => {
    const [codigoPila, sigla, nit, dv, departamento, ...rest] = line.split(',');
    if (!codigoPila || !sigla || !nit || !dv || !departamento || rest.length > 0) throw new Error(`bad ccf.csv line: ${line}`);
    return { codigoPila, sigla, nit, dv, departamento };
  });
}

// ---------------------------------------------------------------------------------------------
// Companies

/** The year from which a company can appear as an employer, from its NIT series. */
function foundedYear(nit: string): number {
  const n = Number(nit);
  if (n >= 901_000_000) return 2017;
  if (n >= 900_500_000) return 2012;
  if (n >= 900_000_000) return 2007;
  if (n >= 844_000_000 && n < 860_000_000) return 1998;
  if (n >= 800_000_000 && n < 860_000_000) return 1993;
  return 1970;
}

const STREETS = ['Calle', 'Carrera', 'Avenida', 'Diagonal', 'Transversal'] as const;
function address(): string {
  const letter = chance(0.25) ? pick(['A', 'B', 'C']) : '';
  const suite = chance(0.3) ? ` ${pick(['Oficina', 'Piso', 'Local'])} ${int(1, 12)}${chance(0.5) ? String(int(1, 9)).padStart(2, '0') : ''}` : '';
  return `${pick(STREETS)} ${int(1, 140)}${letter} # ${int(1, 120)}-${int(1, 99)}${suite}`;
}

interface CompanySpec {
  readonly company: Omit<ReferenceCompany, 'representanteLegal'>;
  /** Where its staff mostly come from. */
  readonly region: string;
}

const ccfRows = readCcfCsv(readFileSync(new URL('ccf.csv', DATA_DIR), 'utf8'));

const ccfSpecs: CompanySpec[] = ccfRows.map((row) => {
  const dep = CSV_DEPARTMENTS[row.departamento];
  const razonSocial = CCF_RAZON_SOCIAL[row.codigoPila];
  if (!dep || !razonSocial) throw new Error(`no department or name for ${row.codigoPila}`);
  if (computeDv(row.nit) !== row.dv) throw new Error(`ccf.csv: wrong DV for ${row.codigoPila}`);
  return {
    region: row.departamento === 'Cundinamarca' ? '25' : dep,
    company: {
      nit: row.nit,
      dv: row.dv,
      razonSocial,
      sigla: row.sigla,
      naturalezaJuridica: 'Persona jurídica sin ánimo de lucro',
      codigoPila: row.codigoPila,
      departamentoSede: dep,
      municipioSede: capitalOf(dep),
      direccion: address(),
    },
  };
});

const publicSpecs: CompanySpec[] = [
  { nit: '800197268', razonSocial: 'UNIDAD ADMINISTRATIVA ESPECIAL DIRECCIÓN DE IMPUESTOS Y ADUANAS NACIONALES', sigla: 'DIAN', naturalezaJuridica: 'Unidad administrativa especial del orden nacional' },
  { nit: '899999239', razonSocial: 'INSTITUTO COLOMBIANO DE BIENESTAR FAMILIAR', sigla: 'ICBF', naturalezaJuridica: 'Establecimiento público del orden nacional' },
  { nit: '899999034', razonSocial: 'SERVICIO NACIONAL DE APRENDIZAJE', sigla: 'SENA', naturalezaJuridica: 'Establecimiento público del orden nacional' },
].map((p) => ({
  region: '11',
  company: {
    nit: p.nit,
    dv: computeDv(p.nit),
    razonSocial: p.razonSocial,
    sigla: p.sigla,
    naturalezaJuridica: p.naturalezaJuridica,
    departamentoSede: '11',
    municipioSede: '11001',
    direccion: address(),
  },
}));

/** Synthetic private companies: the employers of the histories. NITs drawn from their series. */
const PRIVATE: readonly { razonSocial: string; naturalezaJuridica: string; municipio: string; series: [number, number] }[] = [
  { razonSocial: 'TRANSPORTES RÍO GRANDE S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '05001', series: [900_100_000, 900_499_999] },
  { razonSocial: 'CONSTRUCTORA LOS ANDES S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '11001', series: [900_500_000, 900_999_999] },
  { razonSocial: 'DISTRIBUIDORA LA ESPERANZA LTDA.', naturalezaJuridica: 'Sociedad limitada', municipio: '76001', series: [805_000_000, 805_099_999] },
  { razonSocial: 'ALIMENTOS DEL CARIBE S.A.', naturalezaJuridica: 'Sociedad anónima', municipio: '08001', series: [802_000_000, 802_099_999] },
  { razonSocial: 'SERVICIOS TEMPORALES AVANZAR S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '11001', series: [901_000_000, 901_499_999] },
  { razonSocial: 'CLÍNICA SAN RAFAEL DEL NORTE S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '54001', series: [900_100_000, 900_499_999] },
  { razonSocial: 'CAFÉ MONTAÑA VERDE S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '63001', series: [900_500_000, 900_999_999] },
  { razonSocial: 'FERRETERÍA SANTANDER S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '68001', series: [900_100_000, 900_499_999] },
  { razonSocial: 'COOPERATIVA MULTIACTIVA EL PROGRESO', naturalezaJuridica: 'Persona jurídica sin ánimo de lucro', municipio: '52001', series: [814_000_000, 814_099_999] },
  { razonSocial: 'AGROINDUSTRIAS DEL LLANO S.A.S.', naturalezaJuridica: 'Sociedad por acciones simplificada', municipio: '50001', series: [901_000_000, 901_499_999] },
];
const privateSpecs: CompanySpec[] = PRIVATE.map((p) => {
  const nit = String(int(p.series[0], p.series[1]));
  const dep = p.municipio.slice(0, 2);
  return {
    region: dep,
    company: {
      nit,
      dv: computeDv(nit),
      razonSocial: p.razonSocial,
      naturalezaJuridica: p.naturalezaJuridica,
      departamentoSede: dep,
      municipioSede: p.municipio,
      direccion: address(),
    },
  };
});

const allSpecs = [...ccfSpecs, ...publicSpecs, ...privateSpecs];
const specByNit = new Map(allSpecs.map((s) => [s.company.nit, s]));
if (specByNit.size !== allSpecs.length) throw new Error('duplicate NIT among companies');

// ---------------------------------------------------------------------------------------------
// Names and documents

const FEMALE_NAMES = ['María', 'Luz', 'Ana', 'Sofía', 'Valentina', 'Isabella', 'Mariana', 'Daniela', 'Camila', 'Paula', 'Laura', 'Natalia', 'Diana', 'Claudia', 'Sandra', 'Gloria', 'Martha', 'Liliana', 'Adriana', 'Mónica', 'Angélica', 'Verónica', 'Lucía', 'Inés', 'Beatriz', 'Yolanda', 'Yésica', 'Ximena', 'Juliana', 'Carolina', 'Alejandra', 'Catalina', 'Rocío', 'Ángela', 'Esperanza', 'Marcela', 'Leidy', 'Yuliana'];
const FEMALE_SECOND = ['Fernanda', 'José', 'Alejandra', 'Isabel', 'Cristina', 'Patricia', 'Elena', 'Andrea', 'Marina', 'Milena', 'Lucía', 'Victoria', 'Paola', 'Carolina', 'Inés', 'Del Pilar', 'Teresa', 'Mercedes'];
const MALE_NAMES = ['José', 'Juan', 'Carlos', 'Luis', 'Jorge', 'Andrés', 'Sebastián', 'Julián', 'Martín', 'Simón', 'Nicolás', 'Tomás', 'Santiago', 'Mateo', 'Samuel', 'Alejandro', 'Diego', 'Felipe', 'Jaime', 'Héctor', 'Rubén', 'Germán', 'Hernán', 'Óscar', 'Fabián', 'Iván', 'Jhon', 'Wilson', 'Édgar', 'Álvaro', 'Ramiro', 'Gustavo', 'Ricardo', 'Camilo', 'Esteban', 'Joaquín'];
const MALE_SECOND = ['David', 'Alberto', 'Eduardo', 'Andrés', 'Felipe', 'Fernando', 'Antonio', 'Camilo', 'Enrique', 'Mauricio', 'Esteban', 'Hernando', 'Darío', 'Iván', 'José', 'Manuel', 'Julián', 'Ignacio'];
const SURNAMES = ['Gómez', 'Rodríguez', 'Martínez', 'García', 'López', 'González', 'Hernández', 'Pérez', 'Sánchez', 'Ramírez', 'Díaz', 'Álvarez', 'Jiménez', 'Vásquez', 'Gutiérrez', 'Ruiz', 'Torres', 'Rojas', 'Moreno', 'Ortiz', 'Jaramillo', 'Restrepo', 'Londoño', 'Zapata', 'Arango', 'Ospina', 'Giraldo', 'Cárdenas', 'Mejía', 'Valencia', 'Quintero', 'Cabrera', 'Ríos', 'Salazar', 'Bermúdez', 'Montoya', 'Velásquez', 'Suárez', 'Córdoba', 'Mosquera', 'Palacios', 'Rentería', 'Caicedo', 'Barón', 'Niño', 'Acuña', 'Mendoza', 'Galvis', 'Parra', 'Duarte', 'Becerra', 'Cuéllar', 'Beltrán', 'Ayala', 'Muñoz', 'Peña', 'Ibáñez', 'Núñez', 'Ordóñez', 'Castaño', 'Montaño', 'Patiño', 'Avendaño', 'Zúñiga', 'Ochoa', 'Cifuentes', 'Guzmán', 'Benítez', 'Marín', 'Chávez', 'De la Hoz', 'Rincón', 'Tovar', 'Vargas', 'Castro', 'Aguilar', 'Lozano', 'Rueda'];
/** Surnames more frequent among Venezuelan and other foreign residents. */
const FOREIGN_SURNAMES = ['Briceño', 'Salas', 'Rondón', 'Villalobos', 'Urdaneta', 'Márquez', 'Contreras', 'Pacheco', 'Colmenares', 'Rangel', 'Requena', 'Sifontes', 'Quiroz', 'Fuenmayor'];

const usedNumbers = new Set<string>();
const usedNames = new Set<string>();
const digits = (n: number): string => Array.from({ length: n }, () => String(rng.int(10))).join('');
function unique(make: () => string): string {
  for (let i = 0; i < 1000; i++) {
    const value = make();
    if (!usedNumbers.has(value)) {
      usedNumbers.add(value);
      return value;
    }
  }
  throw new Error('could not draw a unique document number');
}

/** A cédula number that looks like those issued to people of that age and sex. */
function ccNumber(birth: string, sexo: Sex, forceLength?: number): string {
  const y = yearOf(birth);
  const length = forceLength ?? (y >= 1982 ? 10 : y >= 1955 ? 8 : 7);
  return unique(() => {
    switch (length) {
      case 6: return String(int(100_000, 999_999));
      case 7: return String(int(1_000_000, 9_999_999));
      case 8: return String(sexo === 'F' ? int(20_000_000, 66_999_999) : pick([int(10_000_000, 19_999_999), int(70_000_000, 98_999_999)]));
      default: return String(int(1_000_000_000, 1_130_000_000));
    }
  });
}

const documentNumber: Record<Exclude<DocumentType, 'CC'>, (alphanumeric?: boolean) => string> = {
  CE: () => unique(() => String(int(100_000, 1_999_999))),
  /** Numeric (e.g. Venezuelan) by default; alphanumeric when the spec says so. */
  PA: (alphanumeric) => unique(() => (alphanumeric ? `${pick(['AA', 'PA', 'XB', 'AR'])}${digits(7)}` : digits(9))),
  PE: () => unique(() => `${int(1, 9)}${digits(14)}`),
  PT: () => unique(() => String(int(1_000_000, 9_999_999))),
  TI: () => unique(() => String(int(1_000_000_000, 1_130_000_000))),
};

// ---------------------------------------------------------------------------------------------
// Histories

interface EpsInfo { readonly nombre: string; readonly desde?: string; readonly hasta?: string; readonly regions?: readonly string[] }
const EPS: readonly EpsInfo[] = [
  { nombre: 'Nueva EPS', desde: '2008-08-01' },
  { nombre: 'EPS Sura' },
  { nombre: 'EPS Sanitas' },
  { nombre: 'Compensar EPS', regions: ['11', '25', '73', '50'] },
  { nombre: 'Famisanar', regions: ['11', '25', '15', '50', '73'] },
  { nombre: 'Salud Total EPS' },
  { nombre: 'Coosalud EPS', regions: ['08', '13', '23', '70', '47', '20', '44', '68', '54', '05'] },
  { nombre: 'Mutual Ser EPS', regions: ['08', '13', '23', '70', '47', '20'] },
  { nombre: 'Aliansalud EPS', regions: ['11', '05', '76', '08'] },
  { nombre: 'SOS EPS', regions: ['76', '19', '66', '63'] },
  { nombre: 'Emssanar EPS', regions: ['52', '19', '86', '76'] },
  { nombre: 'Capresoca EPS', regions: ['85'] },
  { nombre: 'Savia Salud EPS', desde: '2013-05-01', regions: ['05'] },
  { nombre: 'Asmet Salud EPS', regions: ['19', '41', '17', '18', '20', '47', '52', '66', '86', '91'] },
  { nombre: 'Cajacopi EPS', regions: ['08', '13', '23', '70', '47', '44', '20', '50'] },
  { nombre: 'Comfachocó EPS', regions: ['27'] },
  { nombre: 'Coomeva EPS', hasta: '2022-01-31' },
  { nombre: 'Medimás EPS', desde: '2017-08-01', hasta: '2022-03-31' },
  { nombre: 'Cafesalud EPS', hasta: '2017-07-31' },
  { nombre: 'Saludcoop EPS', hasta: '2015-11-30' },
];
const PENSION_FUNDS: readonly { nombre: string; desde: string }[] = [
  { nombre: 'Colpensiones', desde: '2012-10-01' },
  { nombre: 'Porvenir', desde: '1994-04-01' },
  { nombre: 'Protección', desde: '1994-04-01' },
  { nombre: 'Colfondos', desde: '1994-04-01' },
  { nombre: 'Skandia', desde: '1994-04-01' },
];

type Named = { nombre: string; desde: string; hasta?: string };

/**
 * Splits [from, until] into up to `count` contiguous periods of at least ~6 months. The last one is
 * open when `openLast`, else it ends on a random day before `until`.
 */
function splitPeriods(from: string, count: number, openLast = true, until = LAST_DATE): { desde: string; hasta?: string }[] {
  if (from > until) throw new Error(`empty period ${from}..${until}`);
  const total = Math.floor((toTime(until) - toTime(from)) / DAY);
  const n = Math.max(1, Math.min(count, Math.floor(total / 180)));
  const cuts = new Set<number>();
  while (cuts.size < n - 1) cuts.add(180 * (1 + rng.int(Math.max(1, Math.floor(total / 180) - 1))));
  const sorted = [...cuts].sort((a, b) => a - b);
  const periods: { desde: string; hasta?: string }[] = [];
  let start = from;
  for (const cut of sorted) {
    const end = addDays(from, cut - 1);
    periods.push({ desde: start, hasta: end });
    start = addDays(end, 1);
  }
  periods.push(openLast ? { desde: start } : { desde: start, hasta: dateBetween(start, until) });
  return periods;
}

function epsHistory(from: string, region: string, count: number): Named[] {
  let previous = '';
  return splitPeriods(from, count).map((p) => {
    const end = p.hasta ?? '9999-12-31';
    const candidates = EPS.filter(
      (e) =>
        e.nombre !== previous &&
        (e.desde === undefined || e.desde <= p.desde) &&
        (e.hasta === undefined ? true : p.hasta !== undefined && e.hasta >= end) &&
        (e.regions === undefined || e.regions.includes(region)),
    );
    const chosen = pick(candidates).nombre;
    previous = chosen;
    return { nombre: chosen, ...p };
  });
}

function pensionHistory(from: string, count: number): Named[] {
  const start = maxDate(from, '1994-04-01');
  let previous = '';
  return splitPeriods(start, count).map((p) => {
    const chosen = pick(PENSION_FUNDS.filter((f) => f.nombre !== previous && f.desde <= p.desde)).nombre;
    previous = chosen;
    return { nombre: chosen, ...p };
  });
}

type Employment = { nit: string; razonSocial: string; desde: string; hasta?: string };

/**
 * Employment from `from` to today: `count` jobs, sometimes with a gap between them; `current`, when
 * given, is the last (open) one since `currentSince`.
 */
function employmentHistory(from: string, region: string, count: number, current?: { nit: string; since: string }): Employment[] {
  const jobs: Employment[] = [];
  const endOfPrevious = current ? addDays(current.since, -1) : LAST_DATE;
  const pastCount = current ? count - 1 : count;
  if (pastCount > 0 && endOfPrevious > addDays(from, 200)) {
    const periods = splitPeriods(from, pastCount, false, endOfPrevious);
    let previous = '';
    periods.forEach((p, i) => {
      const desde = i === 0 ? p.desde : addDays(p.desde, chance(0.4) ? int(15, 120) : 0);
      // Before the current job the last past job runs until the day before; otherwise it may end early.
      const hasta = i === periods.length - 1 && current ? endOfPrevious : (p.hasta ?? endOfPrevious);
      if (desde >= hasta) return;
      const candidates = allSpecs.filter(
        (s) =>
          s.company.nit !== previous &&
          s.company.nit !== current?.nit &&
          foundedYear(s.company.nit) <= yearOf(desde) &&
          !jobs.some((j) => j.nit === s.company.nit),
      );
      const local = candidates.filter((s) => s.region === region || s.region === '11');
      const spec = pick(local.length > 0 && chance(0.75) ? local : candidates);
      previous = spec.company.nit;
      jobs.push({ nit: spec.company.nit, razonSocial: spec.company.razonSocial, desde, hasta });
    });
    // A person who is not employed now may still be working: keep the last job open sometimes.
    const last = jobs[jobs.length - 1];
    if (!current && last && chance(0.7)) delete last.hasta;
  }
  if (current) {
    const spec = specByNit.get(current.nit);
    if (!spec) throw new Error(`unknown employer ${current.nit}`);
    jobs.push({ nit: current.nit, razonSocial: spec.company.razonSocial, desde: current.since });
  }
  return jobs;
}

type Place = ReferencePerson['historia']['lugares'][number];
function someMunicipality(dep: string): string {
  return chance(0.5) ? capitalOf(dep) : pick(municipalitiesOf(dep));
}
/** A municipality of the region other than `exclude` (Bogotá has one: then one of Cundinamarca). */
function otherMunicipality(dep: string, exclude: string): string {
  const candidates = municipalitiesOf(dep).filter((c) => c !== exclude);
  return pick(candidates.length > 0 ? candidates : municipalitiesOf('25'));
}
const ALL_DEPARTMENTS = divipola.departments.map((d) => d.code);

function colombianPlaces(region: string, residence?: string): Place[] {
  const birthDep = chance(0.75) ? region : pick(ALL_DEPARTMENTS);
  const nacimiento = someMunicipality(birthDep);
  const expedicion = chance(0.5) ? nacimiento : capitalOf(region);
  const places: Place[] = [
    { municipio: nacimiento, tipo: 'nacimiento' },
    { municipio: expedicion, tipo: 'expedicion' },
  ];
  const home = residence ?? someMunicipality(region);
  if (chance(0.35)) {
    const earlier = someMunicipality(pick(ALL_DEPARTMENTS));
    if (earlier !== home) places.push({ municipio: earlier, tipo: 'residencia' });
  }
  places.push({ municipio: home, tipo: 'residencia' });
  if (new Set(places.map((p) => p.municipio)).size < 2) {
    places[places.length - 1] = { municipio: otherMunicipality(region, nacimiento), tipo: 'residencia' };
  }
  return places.slice(0, 4);
}

function foreignPlaces(region: string): Place[] {
  const expedicion = capitalOf(region);
  const places: Place[] = [{ municipio: expedicion, tipo: 'expedicion' }];
  if (chance(0.5)) places.push({ municipio: someMunicipality(pick(ALL_DEPARTMENTS)), tipo: 'residencia' });
  const home = someMunicipality(region);
  places.push({ municipio: home === expedicion ? otherMunicipality(region, expedicion) : home, tipo: 'residencia' });
  return places;
}

// ---------------------------------------------------------------------------------------------
// Persons

interface PersonSpec {
  readonly tipo: DocumentType;
  readonly region: string;
  readonly sexo?: Sex;
  /** Birth year range (inclusive). */
  readonly born: readonly [number, number];
  readonly ccLength?: number;
  readonly foreign?: boolean;
  /** Current employer and the earliest age at which they joined it. */
  readonly currentEmployer?: { readonly nit: string; readonly minAge: number };
  readonly noSecondSurname?: boolean;
  /** Passport number with letters (PA only). */
  readonly alphanumeric?: boolean;
}

function names(sexo: Sex, foreign: boolean, noSecondSurname: boolean) {
  for (let i = 0; i < 1000; i++) {
    const first = pick(sexo === 'F' ? FEMALE_NAMES : MALE_NAMES);
    let second: string | undefined = chance(0.6) ? pick(sexo === 'F' ? FEMALE_SECOND : MALE_SECOND) : undefined;
    if (second === first) second = undefined;
    const surnames = foreign ? [...FOREIGN_SURNAMES, ...SURNAMES.slice(0, 20)] : SURNAMES;
    const s1 = pick(surnames);
    let s2: string | undefined = noSecondSurname || chance(0.06) ? undefined : pick(surnames);
    if (s2 === s1) s2 = undefined;
    const full = [first, second, s1, s2].filter(Boolean).join(' ');
    if (usedNames.has(full)) continue;
    usedNames.add(full);
    return { primerNombre: first, segundoNombre: second, primerApellido: s1, segundoApellido: s2 };
  }
  throw new Error('could not draw a unique name');
}

function makePerson(spec: PersonSpec): ReferencePerson {
  const sexo = spec.sexo ?? (chance(0.5) ? 'F' : 'M');
  const minor = spec.tipo === 'TI';
  const fechaNacimiento = dateBetween(`${spec.born[0]}-01-01`, `${spec.born[1]}-12-31`);
  const adulthood = addYears(fechaNacimiento, 18);

  let fechaExpedicion: string;
  let numeroDocumento: string;
  switch (spec.tipo) {
    case 'CC':
      fechaExpedicion = minDate(LAST_DATE, addDays(adulthood, yearOf(fechaNacimiento) < 1960 ? int(0, 1400) : int(0, 150)));
      numeroDocumento = ccNumber(fechaNacimiento, sexo, spec.ccLength);
      break;
    case 'TI':
      fechaExpedicion = minDate(LAST_DATE, addDays(addYears(fechaNacimiento, 7), int(0, 900)));
      numeroDocumento = documentNumber.TI();
      break;
    case 'CE':
      fechaExpedicion = dateBetween(maxDate(adulthood, '2012-01-01'), '2024-12-31');
      numeroDocumento = documentNumber.CE();
      break;
    case 'PA':
      fechaExpedicion = dateBetween(maxDate(adulthood, '2019-01-01'), '2025-06-30');
      numeroDocumento = documentNumber.PA(spec.alphanumeric);
      break;
    case 'PE':
      fechaExpedicion = dateBetween(maxDate(adulthood, '2017-08-03'), '2021-05-31');
      numeroDocumento = documentNumber.PE();
      break;
    case 'PT':
      fechaExpedicion = dateBetween(maxDate(adulthood, '2021-12-01'), '2025-06-30');
      numeroDocumento = documentNumber.PT();
      break;
  }

  // Health coverage: since birth (or since the system began) for Colombians, since arrival for others.
  const arrival = spec.foreign ? addDays(fechaExpedicion, -int(30, 400)) : undefined;
  const epsFrom = arrival ?? maxDate(fechaNacimiento, '1995-01-01');
  const eps = epsHistory(maxDate(epsFrom, '1995-01-01'), spec.region, int(2, 4));

  let pensiones: Named[] = [];
  let empleadores: Employment[] = [];
  if (!minor) {
    const firstJob = minDate(maxDate(arrival ?? addDays(adulthood, int(0, 8 * 365)), adulthood), addDays(LAST_DATE, -400));
    let current: { nit: string; since: string } | undefined;
    if (spec.currentEmployer) {
      const earliest = maxDate(addYears(fechaNacimiento, spec.currentEmployer.minAge), `${foundedYear(spec.currentEmployer.nit)}-01-01`);
      const since = dateBetween(maxDate(earliest, addDays(firstJob, 400)), maxDate(addDays(earliest, 3000), addDays(firstJob, 400)));
      current = { nit: spec.currentEmployer.nit, since: minDate(since, addDays(LAST_DATE, -200)) };
    }
    const first = current && current.since <= firstJob ? current.since : firstJob;
    empleadores = employmentHistory(first, spec.region, current ? int(1, 4) : int(1, 3), current);
    pensiones = pensionHistory(empleadores[0]?.desde ?? first, int(1, 2));
  }

  const lugares = spec.foreign ? foreignPlaces(spec.region) : colombianPlaces(spec.region);

  const n = names(sexo, spec.foreign ?? false, spec.noSecondSurname ?? false);
  return {
    tipoDocumento: spec.tipo,
    numeroDocumento,
    primerNombre: n.primerNombre,
    ...(n.segundoNombre ? { segundoNombre: n.segundoNombre } : {}),
    primerApellido: n.primerApellido,
    ...(n.segundoApellido ? { segundoApellido: n.segundoApellido } : {}),
    fechaNacimiento,
    fechaExpedicion,
    sexo,
    historia: { eps, pensiones, empleadores, lugares },
  };
}

// Reserve the example people first so no generated person takes their numbers or names.
const examples = Object.values(EXAMPLE_PERSONS);
for (const p of examples) {
  usedNumbers.add(p.numeroDocumento);
  usedNames.add([p.primerNombre, p.segundoNombre, p.primerApellido, p.segundoApellido].filter(Boolean).join(' '));
}

const persons: ReferencePerson[] = [];
const companies: ReferenceCompany[] = [];
const ref = (p: ReferencePerson) => ({ tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento });

// 1. One legal representative per CCF (the COMFAMA one is the README example).
for (const spec of ccfSpecs) {
  const rl =
    spec.company.nit === COMFAMA.nit
      ? EXAMPLE_PERSONS.rlComfama
      : makePerson({ tipo: 'CC', region: spec.region, born: [1956, 1984], currentEmployer: { nit: spec.company.nit, minAge: 35 } });
  persons.push(rl);
  companies.push({ ...spec.company, representanteLegal: ref(rl) });
}

// 2. Legal representatives of the public entities and the private companies. One businessman
//    represents two companies; one company is represented by a foreign resident (CE).
for (const spec of publicSpecs) {
  const rl = makePerson({ tipo: 'CC', region: pick(['11', '25', '15', '05', '76']), born: [1960, 1980], currentEmployer: { nit: spec.company.nit, minAge: 38 } });
  persons.push(rl);
  companies.push({ ...spec.company, representanteLegal: ref(rl) });
}
let twoCompanyRl: ReferencePerson | undefined;
privateSpecs.forEach((spec, i) => {
  if (i === PRIVATE.length - 1 && twoCompanyRl) {
    companies.push({ ...spec.company, representanteLegal: ref(twoCompanyRl) });
    return;
  }
  const rl = makePerson({
    tipo: i === 3 ? 'CE' : 'CC',
    foreign: i === 3,
    region: spec.region,
    born: [1962, 1988],
    currentEmployer: { nit: spec.company.nit, minAge: 28 },
  });
  if (i === 0) twoCompanyRl = rl;
  persons.push(rl);
  companies.push({ ...spec.company, representanteLegal: ref(rl) });
});

// 3. Delegates and authorized persons: COMFAMA's (examples) and those of a few other CCFs.
persons.push(EXAMPLE_PERSONS.delegateComfama, EXAMPLE_PERSONS.authorizedComfama);
for (const pila of ['CCF22', 'CCF24', 'CCF21', 'CCF57', 'CCF07']) {
  const spec = ccfSpecs.find((s) => s.company.codigoPila === pila);
  if (!spec) throw new Error(pila);
  persons.push(makePerson({ tipo: 'CC', region: spec.region, born: [1975, 1994], currentEmployer: { nit: spec.company.nit, minAge: 24 } }));
  if (pila !== 'CCF07') persons.push(makePerson({ tipo: 'CC', region: spec.region, born: [1985, 2000], currentEmployer: { nit: spec.company.nit, minAge: 21 } }));
}

// 4. Plain citizens: every document type, every CC length, with and without second names.
persons.push(EXAMPLE_PERSONS.citizenCe, EXAMPLE_PERSONS.minorTi);
const citizens: PersonSpec[] = [
  { tipo: 'CC', region: '05', born: [1944, 1950], ccLength: 6, sexo: 'M' },
  { tipo: 'CC', region: '15', born: [1950, 1956], ccLength: 7, sexo: 'M' },
  { tipo: 'CC', region: '11', born: [1952, 1958], ccLength: 8, sexo: 'F' },
  { tipo: 'CC', region: '76', born: [1965, 1975], sexo: 'F' },
  { tipo: 'CC', region: '08', born: [1970, 1980], sexo: 'M', noSecondSurname: true },
  { tipo: 'CC', region: '27', born: [1985, 1995], sexo: 'F' },
  { tipo: 'CC', region: '52', born: [1990, 2000], sexo: 'M' },
  { tipo: 'CC', region: '85', born: [1995, 2004], sexo: 'F' },
  { tipo: 'CC', region: '68', born: [1978, 1988], sexo: 'M' },
  { tipo: 'CE', region: '11', born: [1975, 1990], sexo: 'F', foreign: true },
  { tipo: 'PA', region: '54', born: [1980, 1995], sexo: 'M', foreign: true },
  { tipo: 'PA', region: '11', born: [1970, 1985], sexo: 'F', foreign: true, noSecondSurname: true, alphanumeric: true },
  { tipo: 'PE', region: '08', born: [1985, 1998], sexo: 'F', foreign: true },
  { tipo: 'PE', region: '54', born: [1975, 1990], sexo: 'M', foreign: true },
  { tipo: 'PT', region: '11', born: [1990, 2003], sexo: 'M', foreign: true },
  { tipo: 'PT', region: '76', born: [1988, 2000], sexo: 'F', foreign: true },
  { tipo: 'TI', region: '05', born: [2009, 2009], sexo: 'M' },
  { tipo: 'TI', region: '11', born: [2014, 2016], sexo: 'F' },
  { tipo: 'TI', region: '13', born: [2017, 2018], sexo: 'M' },
];
for (const spec of citizens) persons.push(makePerson(spec));

// ---------------------------------------------------------------------------------------------
// Checks and output

function check(): void {
  const problems: string[] = [];
  const keys = new Set<string>();
  const companyByNit = new Map(companies.map((c) => [c.nit, c]));
  for (const c of companies) {
    if (computeDv(c.nit) !== c.dv) problems.push(`DV of ${c.nit}`);
    if (!municipalityCodes.has(c.municipioSede) || !c.municipioSede.startsWith(c.departamentoSede)) problems.push(`sede of ${c.nit}`);
  }
  for (const p of persons) {
    const key = `${p.tipoDocumento}:${p.numeroDocumento}`;
    if (keys.has(key)) problems.push(`duplicate person ${key}`);
    keys.add(key);
    const minorAge = ageOn(p.fechaNacimiento, MINOR_AGE_DATE);
    if (p.tipoDocumento === 'TI' && (minorAge < 7 || minorAge > 17)) problems.push(`TI ${key} aged ${minorAge}`);
    if (p.tipoDocumento === 'CC' && p.fechaExpedicion < addYears(p.fechaNacimiento, 18)) problems.push(`CC ${key} issued before 18`);
    if (p.tipoDocumento === 'TI' && p.fechaExpedicion < addYears(p.fechaNacimiento, 7)) problems.push(`TI ${key} issued before 7`);
    if (p.tipoDocumento !== 'TI' && p.fechaExpedicion < addYears(p.fechaNacimiento, 18)) problems.push(`${key} issued before 18`);
    if (p.fechaExpedicion > LAST_DATE || p.fechaExpedicion < p.fechaNacimiento) problems.push(`expedición of ${key}`);
    const h = p.historia;
    const adult = p.tipoDocumento !== 'TI';
    if (h.eps.length < 2 || h.eps.length > 4) problems.push(`${key}: ${h.eps.length} EPS periods`);
    if (adult ? h.pensiones.length < 1 || h.pensiones.length > 2 : h.pensiones.length > 0) problems.push(`${key}: ${h.pensiones.length} pension periods`);
    if (adult ? h.empleadores.length < 1 || h.empleadores.length > 4 : h.empleadores.length > 0) problems.push(`${key}: ${h.empleadores.length} employers`);
    if (h.lugares.length < 2 || h.lugares.length > 4 || new Set(h.lugares.map((l) => l.municipio)).size < 2) problems.push(`${key}: places`);
    for (const list of [h.eps, h.pensiones, h.empleadores] as readonly (readonly { desde: string; hasta?: string }[])[]) {
      list.forEach((period, i) => {
        const next = list[i + 1];
        if (period.desde < p.fechaNacimiento || (period.hasta !== undefined && period.hasta < period.desde)) problems.push(`${key}: period ${period.desde}`);
        if (next && (period.hasta === undefined || next.desde <= period.hasta)) problems.push(`${key}: overlapping periods at ${next.desde}`);
        if (period.hasta !== undefined && period.hasta > LAST_DATE) problems.push(`${key}: period past ${LAST_DATE}`);
      });
    }
    for (const e of p.historia.empleadores) {
      const c = companyByNit.get(e.nit);
      if (!c || c.razonSocial !== e.razonSocial) problems.push(`employer ${e.nit} of ${key}`);
    }
    for (const l of p.historia.lugares) if (!municipalityCodes.has(l.municipio)) problems.push(`place ${l.municipio} of ${key}`);
  }
  for (const c of companies) {
    if (!keys.has(`${c.representanteLegal.tipoDocumento}:${c.representanteLegal.numeroDocumento}`)) problems.push(`RL of ${c.nit}`);
  }
  if (problems.length > 0) throw new Error(`generated reference data is inconsistent:\n${problems.join('\n')}`);
}
check();

const header = { generatedBy: 'scripts/build-reference.ts', seed: SEED, note: 'Synthetic data except the CCF, DIAN, ICBF and SENA identifiers: see NOTICE.md' };
writeFileSync(new URL('companies.json', DATA_DIR), `${JSON.stringify({ ...header, companies }, null, 2)}\n`);
writeFileSync(new URL('persons.json', DATA_DIR), `${JSON.stringify({ ...header, persons }, null, 2)}\n`);
console.log(`${fileURLToPath(DATA_DIR)}: ${companies.length} companies, ${persons.length} persons`);
