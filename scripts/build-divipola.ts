/**
 * Builds storage/reference/data/divipola.json from the MIT-licensed npm package `colombia-cities`
 * (extracted, not installed: it would drag express/axios in as dependencies).
 *
 *   cd /tmp && npm pack colombia-cities && mkdir -p cc && tar xzf colombia-cities-*.tgz -C cc
 *   npx tsx scripts/build-divipola.ts [/tmp/cc/package]
 *
 * What it does:
 * - takes the municipalities (5-digit DANE code, name) from colombia_con_codigos.json;
 * - derives each department's code from its municipalities' codes (and checks they agree);
 * - names departments with DANE's official names (accents, "Bogotá, D.C.", "Archipiélago de San
 *   Andrés, Providencia y Santa Catalina");
 * - writes connectors in lower case ("San José del Guaviare") and fixes the municipality names listed
 *   in NAME_FIXES (missing accents, typos);
 * - adds the four municipalities the package lacks (ADDED);
 * - refuses duplicates, malformed codes and codes outside their department.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SourceDepartment {
  readonly departamento: string;
  readonly municipios: readonly { readonly nombre: string; readonly codigo: string }[];
}

/** DANE's official department names by code. */
export const DEPARTMENT_NAMES: Readonly<Record<string, string>> = {
  '05': 'Antioquia',
  '08': 'Atlántico',
  '11': 'Bogotá, D.C.',
  '13': 'Bolívar',
  '15': 'Boyacá',
  '17': 'Caldas',
  '18': 'Caquetá',
  '19': 'Cauca',
  '20': 'Cesar',
  '23': 'Córdoba',
  '25': 'Cundinamarca',
  '27': 'Chocó',
  '41': 'Huila',
  '44': 'La Guajira',
  '47': 'Magdalena',
  '50': 'Meta',
  '52': 'Nariño',
  '54': 'Norte de Santander',
  '63': 'Quindío',
  '66': 'Risaralda',
  '68': 'Santander',
  '70': 'Sucre',
  '73': 'Tolima',
  '76': 'Valle del Cauca',
  '81': 'Arauca',
  '85': 'Casanare',
  '86': 'Putumayo',
  '88': 'Archipiélago de San Andrés, Providencia y Santa Catalina',
  '91': 'Amazonas',
  '94': 'Guainía',
  '95': 'Guaviare',
  '97': 'Vaupés',
  '99': 'Vichada',
};

/** Municipalities missing from the package. */
const ADDED: readonly { code: string; name: string }[] = [
  { code: '13490', name: 'Norosí' },
  { code: '19300', name: 'Guachené' },
  { code: '23682', name: 'San José de Uré' },
  { code: '23815', name: 'Tuchín' },
];

/** Names the package spells without accents or with typos (by code). */
const NAME_FIXES: Readonly<Record<string, string>> = {
  '05030': 'Amagá',
  '05036': 'Angelópolis',
  '05044': 'Anzá',
  '05148': 'El Carmen de Viboral',
  '05237': 'Donmatías',
  '05321': 'Guatapé',
  '05360': 'Itagüí',
  '05480': 'Mutatá',
  '05579': 'Puerto Berrío',
  '05659': 'San Juan de Urabá',
  '05665': 'San Pedro de Urabá',
  '05679': 'Santa Bárbara',
  '05756': 'Sonsón',
  '05761': 'Sopetrán',
  '05856': 'Valparaíso',
  '08436': 'Manatí',
  '08606': 'Repelón',
  '08675': 'Santa Lucía',
  '08685': 'Santo Tomás',
  '08832': 'Tubará',
  '08849': 'Usiacurí',
  '11001': 'Bogotá, D.C.',
  '13001': 'Cartagena de Indias',
  '13244': 'El Carmen de Bolívar',
  '13268': 'El Peñón',
  '13620': 'San Cristóbal',
  '13667': 'San Martín de Loba',
  '13838': 'Turbaná',
  '15296': 'Gámeza',
  '15842': 'Úmbita',
  '17174': 'Chinchiná',
  '17873': 'Villamaría',
  '18094': 'Belén de los Andaquíes',
  '18460': 'Milán',
  '18610': 'San José del Fragua',
  '18860': 'Valparaíso',
  '19364': 'Jambaló',
  '19418': 'López de Micay',
  '19517': 'Páez',
  '19532': 'Patía',
  '19548': 'Piendamó',
  '19585': 'Puracé',
  '19693': 'San Sebastián',
  '19760': 'Sotará',
  '19780': 'Suárez',
  '19807': 'Timbío',
  '19809': 'Timbiquí',
  '19821': 'Toribío',
  '20178': 'Chiriguaná',
  '25151': 'Cáqueza',
  '25279': 'Fómeque',
  '25293': 'Gachalá',
  '25297': 'Gachetá',
  '25328': 'Guayabal de Síquima',
  '25426': 'Machetá',
  '25486': 'Nemocón',
  '25580': 'Pulí',
  '25823': 'Topaipí',
  '25843': 'Villa de San Diego de Ubaté',
  '25871': 'Villagómez',
  '25898': 'Zipacón',
  '27099': 'Bojayá',
  '27135': 'El Cantón del San Pablo',
  '27150': 'Carmen del Darién',
  '27160': 'Cértegui',
  '27361': 'Istmina',
  '27600': 'Río Quito',
  '27810': 'Unión Panamericana',
  '41357': 'Íquira',
  '44098': 'Distracción',
  '47170': 'Chivolo',
  '47258': 'El Piñón',
  '47268': 'El Retén',
  '47288': 'Fundación',
  '47660': 'Sabanas de San Ángel',
  '47692': 'San Sebastián de Buenavista',
  '47703': 'San Zenón',
  '47720': 'Santa Bárbara de Pinto',
  '47960': 'Zapayán',
  '50006': 'Acacías',
  '50110': 'Barranca de Upía',
  '50325': 'Mapiripán',
  '50573': 'Puerto López',
  '52019': 'Albán',
  '52083': 'Belén',
  '52203': 'Colón',
  '52240': 'Chachagüí',
  '52258': 'El Tablón de Gómez',
  '52323': 'Gualmatán',
  '52354': 'Imués',
  '52399': 'La Unión',
  '52427': 'Magüí',
  '52621': 'Roberto Payán',
  '52696': 'Santa Bárbara',
  '52838': 'Túquerres',
  '54003': 'Ábrego',
  '63130': 'Calarcá',
  '63302': 'Génova',
  '63470': 'Montenegro',
  '66594': 'Quinchía',
  '68176': 'Chimá',
  '68298': 'Gámbita',
  '68327': 'Güepsa',
  '68406': 'Lebrija',
  '68780': 'Suratá',
  '73001': 'Ibagué',
  '73408': 'Lérida',
  '73411': 'Líbano',
  '76020': 'Alcalá',
  '76616': 'Riofrío',
  '85015': 'Chámeza',
  '86568': 'Puerto Asís',
  '86571': 'Puerto Guzmán',
  '86573': 'Puerto Leguízamo',
  '86865': 'Valle del Guamuez',
  '86885': 'Villagarzón',
  '91460': 'Mirití - Paraná',
  '91530': 'Puerto Alegría',
  '94663': 'Mapiripana',
  '97161': 'Carurú',
};

/** "San Juan De Río Seco" → "San Juan de Río Seco"; the first word keeps its capital. */
function lowerConnectors(name: string): string {
  const words = name.split(' ');
  return words
    .map((w, i) => {
      if (i === 0) return w;
      if (/^(De|Del|Y)$/.test(w)) return w.toLowerCase();
      const prev = words[i - 1]?.toLowerCase();
      if (/^(La|Las|Los|El)$/.test(w) && (prev === 'de' || prev === 'del')) return w.toLowerCase();
      return w;
    })
    .join(' ');
}

export interface DivipolaFile {
  readonly source: string;
  readonly license: string;
  readonly departments: readonly { code: string; name: string }[];
  readonly municipalities: readonly { code: string; name: string; departmentCode: string }[];
}

export function buildDivipola(source: readonly SourceDepartment[]): DivipolaFile {
  const problems: string[] = [];
  const municipalities = new Map<string, { code: string; name: string; departmentCode: string }>();
  const departmentCodes = new Set<string>();

  for (const dep of source) {
    const codes = new Set(dep.municipios.map((m) => m.codigo.slice(0, 2)));
    if (codes.size !== 1) problems.push(`department ${dep.departamento}: municipality codes span ${[...codes].join(', ')}`);
    const depCode = [...codes][0];
    if (depCode === undefined || !(depCode in DEPARTMENT_NAMES)) {
      problems.push(`department ${dep.departamento}: unknown code ${String(depCode)}`);
      continue;
    }
    if (departmentCodes.has(depCode)) problems.push(`department code ${depCode} appears twice`);
    departmentCodes.add(depCode);
    for (const m of dep.municipios) {
      const code = m.codigo.trim();
      if (!/^\d{5}$/.test(code)) problems.push(`municipality ${m.nombre}: bad code ${code}`);
      if (!code.startsWith(depCode)) problems.push(`municipality ${code} ${m.nombre} outside department ${depCode}`);
      if (municipalities.has(code)) problems.push(`municipality code ${code} appears twice`);
      const name = NAME_FIXES[code] ?? lowerConnectors(m.nombre.trim().replace(/\s+/g, ' '));
      municipalities.set(code, { code, name, departmentCode: depCode });
    }
  }
  for (const a of ADDED) {
    if (municipalities.has(a.code)) problems.push(`added municipality ${a.code} already present`);
    municipalities.set(a.code, { code: a.code, name: a.name, departmentCode: a.code.slice(0, 2) });
  }
  for (const code of Object.keys(NAME_FIXES)) {
    if (!municipalities.has(code)) problems.push(`name fix for unknown municipality ${code}`);
  }
  for (const code of Object.keys(DEPARTMENT_NAMES)) {
    if (!departmentCodes.has(code)) problems.push(`department ${code} has no municipalities`);
  }
  if (problems.length > 0) throw new Error(`DIVIPOLA source problems:\n${problems.join('\n')}`);

  return {
    source: 'npm package colombia-cities 1.0.0 (MIT), with corrections and additions: see NOTICE.md',
    license: 'MIT',
    departments: [...departmentCodes].sort().map((code) => ({ code, name: DEPARTMENT_NAMES[code] as string })),
    municipalities: [...municipalities.values()].sort((a, b) => a.code.localeCompare(b.code)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sourceDir = process.argv[2] ?? '/tmp/cc/package';
  const source = JSON.parse(readFileSync(join(sourceDir, 'colombia_con_codigos.json'), 'utf8')) as SourceDepartment[];
  const out = buildDivipola(source);
  const target = fileURLToPath(new URL('../storage/reference/data/divipola.json', import.meta.url));
  writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`${target}: ${out.departments.length} departments, ${out.municipalities.length} municipalities`);
}
