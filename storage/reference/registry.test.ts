import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeDv, isValidDv } from '../../domain/nit.js';
import { DOCUMENT_TYPES, type ReferenceCompany, type ReferencePerson } from '../../domain/reference.js';
import { COMFAMA, EXAMPLE_PERSONS } from './examples.js';
import { DEFAULT_REFERENCE_DATA_DIR, defaultReferenceRegistry, loadReferenceRegistry } from './registry.js';

const dataFile = (name: string) => join(DEFAULT_REFERENCE_DATA_DIR, name);
const raw = {
  persons: (JSON.parse(readFileSync(dataFile('persons.json'), 'utf8')) as { persons: ReferencePerson[] }).persons,
  companies: (JSON.parse(readFileSync(dataFile('companies.json'), 'utf8')) as { companies: ReferenceCompany[] }).companies,
  divipola: JSON.parse(readFileSync(dataFile('divipola.json'), 'utf8')) as {
    departments: { code: string; name: string }[];
    municipalities: { code: string; name: string; departmentCode: string }[];
  },
};
const csv = readFileSync(dataFile('ccf.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [codigoPila, sigla, nit, dv, departamento] = line.split(',') as [string, string, string, string, string];
    return { codigoPila, sigla, nit, dv, departamento };
  });

const registry = loadReferenceRegistry();

function ageOn(birth: string, on: string): number {
  const age = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? age - 1 : age;
}
const addYears = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
const fullName = (p: ReferencePerson) => [p.primerNombre, p.segundoNombre, p.primerApellido, p.segundoApellido].filter(Boolean).join(' ');
const who = (p: ReferencePerson) => `${p.tipoDocumento} ${p.numeroDocumento}`;

describe('CCFs', () => {
  it('lists the 43 CCFs of ccf.csv, ordered by PILA code', async () => {
    const ccfs = await registry.listCcfs();
    expect(csv).toHaveLength(43);
    expect(ccfs.map((c) => c.codigoPila)).toEqual(csv.map((r) => r.codigoPila).sort());
  });

  it.each(csv)('$codigoPila $sigla: NIT $nit-$dv exactly as in ccf.csv and DV-valid', async (row) => {
    const company = await registry.findCompany(row.nit);
    expect(company).toMatchObject({ codigoPila: row.codigoPila, nit: row.nit, dv: row.dv, sigla: row.sigla });
    expect(isValidDv(row.nit, row.dv)).toBe(true);
    expect(company?.naturalezaJuridica).toBe('Persona jurídica sin ánimo de lucro');
    expect(company?.razonSocial).toMatch(/^CAJA /);
    expect(company?.representanteLegal.tipoDocumento).toBe('CC');
  });

  it('each CCF has its own legal representative', async () => {
    const ccfs = await registry.listCcfs();
    const rls = new Set(ccfs.map((c) => `${c.representanteLegal.tipoDocumento}:${c.representanteLegal.numeroDocumento}`));
    expect(rls.size).toBe(43);
  });

  it('seats are in the department of ccf.csv (Cundinamarca and the national Comcaja: Bogotá)', async () => {
    for (const row of csv) {
      const c = await registry.findCompany(row.nit);
      const dep = registry.departments().find((d) => d.code === c?.departamentoSede);
      const expected = row.departamento === 'Cundinamarca' || row.departamento.startsWith('(') ? 'Bogotá D.C.' : row.departamento;
      const simplify = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
      expect(simplify(dep?.name ?? ''), row.codigoPila).toContain(simplify(expected).slice(0, 8));
      expect(c?.municipioSede.startsWith(c.departamentoSede)).toBe(true);
    }
  });
});

describe('companies', () => {
  it.each([
    ['DIAN', '800197268', '4'],
    ['ICBF', '899999239', '2'],
    ['SENA', '899999034', '1'],
  ])('%s %s-%s is a public entity', async (sigla, nit, dv) => {
    const c = await registry.findCompany(nit);
    expect(c).toMatchObject({ sigla, nit, dv });
    expect(c?.codigoPila).toBeUndefined();
  });

  it('knows a company\'s acronym by its legal name, as a history names an employer (accents and case aside)', () => {
    expect(registry.siglaOf('SERVICIO NACIONAL DE APRENDIZAJE')).toBe('SENA');
    expect(registry.siglaOf('Instituto Colombiano de Bienestar Familiar')).toBe('ICBF');
    expect(registry.siglaOf('NO EXISTE S.A.S.')).toBeUndefined();
  });

  it('has about ten private companies besides the CCFs and the public entities', () => {
    expect(raw.companies.length).toBeGreaterThanOrEqual(43 + 3 + 8);
    expect(new Set(raw.companies.map((c) => c.nit)).size).toBe(raw.companies.length);
  });

  it.each(raw.companies.map((c) => [c.nit, c.dv, c.razonSocial] as const))('%s-%s %s: DV verifies', (nit, dv) => {
    expect(computeDv(nit)).toBe(dv);
  });

  it("every company's legal representative exists in persons", async () => {
    for (const c of raw.companies) {
      const rl = await registry.findPerson(c.representanteLegal.tipoDocumento, c.representanteLegal.numeroDocumento);
      expect(rl, c.razonSocial).toBeDefined();
      expect(ageOn(rl?.fechaNacimiento ?? '', '2026-11-26')).toBeGreaterThanOrEqual(18);
    }
  });

  it('every seat is a DIVIPOLA municipality of its department', () => {
    for (const c of raw.companies) {
      expect(registry.findMunicipality(c.municipioSede)?.departmentCode, c.nit).toBe(c.departamentoSede);
    }
  });

  it('findCompany accepts the NIT with or without format and DV; refuses a wrong DV', async () => {
    expect((await registry.findCompany('890.900.841-9'))?.sigla).toBe('COMFAMA');
    expect((await registry.findCompany('890900841'))?.sigla).toBe('COMFAMA');
    expect(await registry.findCompany('890900841-0')).toBeUndefined();
    expect(await registry.findCompany('123456789')).toBeUndefined();
    expect(await registry.findCompany('')).toBeUndefined();
  });

  it('companiesRepresentedBy', async () => {
    const rl = EXAMPLE_PERSONS.rlComfama;
    expect((await registry.companiesRepresentedBy(rl.tipoDocumento, rl.numeroDocumento)).map((c) => c.nit)).toEqual([COMFAMA.nit]);
    const d = EXAMPLE_PERSONS.delegateComfama;
    expect(await registry.companiesRepresentedBy(d.tipoDocumento, d.numeroDocumento)).toEqual([]);
    expect(await registry.companiesRepresentedBy('CE', rl.numeroDocumento)).toEqual([]);
    // Some person represents more than one company (choose-the-company flows).
    const counts = new Map<string, number>();
    for (const c of raw.companies) {
      const key = `${c.representanteLegal.tipoDocumento}:${c.representanteLegal.numeroDocumento}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const [key] = [...counts].find(([, n]) => n > 1) ?? [];
    expect(key).toBeDefined();
    const [tipo, numero] = (key as string).split(':') as [ReferencePerson['tipoDocumento'], string];
    expect((await registry.companiesRepresentedBy(tipo, numero)).length).toBe(2);
  });
});

describe('persons', () => {
  it('are about 43 legal representatives of CCFs plus some 40 others, without duplicates', () => {
    expect(raw.persons.length).toBeGreaterThanOrEqual(80);
    expect(new Set(raw.persons.map((p) => `${p.tipoDocumento}:${p.numeroDocumento}`)).size).toBe(raw.persons.length);
    expect(new Set(raw.persons.map(fullName)).size).toBe(raw.persons.length);
  });

  it.each(raw.persons.map((p) => [who(p), p] as const))('%s is found by (tipo, numero)', async (_, p) => {
    expect(await registry.findPerson(p.tipoDocumento, p.numeroDocumento)).toEqual(p);
  });

  it('lookups normalize spacing, dots and case, and keep the type apart', async () => {
    expect((await registry.findPerson('CC', '70.123.456'))?.primerApellido).toBe('Restrepo');
    expect((await registry.findPerson('CC', ' 70123456 '))?.primerApellido).toBe('Restrepo');
    expect(await registry.findPerson('CE', '70123456')).toBeUndefined();
    expect(await registry.findPerson('CC', '70123457')).toBeUndefined();
    const passport = raw.persons.find((p) => p.tipoDocumento === 'PA' && /[A-Z]/.test(p.numeroDocumento));
    expect(passport).toBeDefined();
    expect(await registry.findPerson('PA', (passport as ReferencePerson).numeroDocumento.toLowerCase())).toEqual(passport);
  });

  it('cover every document type, with the expected number formats', () => {
    const types = new Set(raw.persons.map((p) => p.tipoDocumento));
    expect([...types].sort()).toEqual([...DOCUMENT_TYPES].sort());
    const ccLengths = new Set(raw.persons.filter((p) => p.tipoDocumento === 'CC').map((p) => p.numeroDocumento.length));
    for (const n of [6, 7, 8, 10]) expect(ccLengths).toContain(n);
    for (const p of raw.persons) {
      const n = p.numeroDocumento;
      if (p.tipoDocumento === 'CC') expect(n, who(p)).toMatch(/^[1-9]\d{5,9}$/);
      if (p.tipoDocumento === 'PE') expect(n, who(p)).toMatch(/^\d{15}$/);
      if (p.tipoDocumento === 'PT') expect(n, who(p)).toMatch(/^\d{7}$/);
      if (p.tipoDocumento === 'TI') expect(n, who(p)).toMatch(/^\d{1,11}$/);
      if (p.tipoDocumento === 'CE') expect(n, who(p)).toMatch(/^\d{6,7}$/);
      if (p.tipoDocumento === 'PA') expect(n, who(p)).toMatch(/^[0-9A-Z]{6,12}$/);
    }
  });

  it('have consistent dates: CC issued on or after the 18th birthday, TI holders aged 7–17 on 2026-11-26', () => {
    for (const p of raw.persons) {
      expect(p.fechaExpedicion > p.fechaNacimiento, who(p)).toBe(true);
      expect(p.fechaExpedicion <= '2025-12-31', who(p)).toBe(true);
      if (p.tipoDocumento === 'TI') {
        const age = ageOn(p.fechaNacimiento, '2026-11-26');
        expect(age, who(p)).toBeGreaterThanOrEqual(7);
        expect(age, who(p)).toBeLessThanOrEqual(17);
        expect(p.fechaExpedicion >= addYears(p.fechaNacimiento, 7), who(p)).toBe(true);
      } else {
        expect(p.fechaExpedicion >= addYears(p.fechaNacimiento, 18), who(p)).toBe(true);
      }
    }
  });

  it('have realistic names: accents and ñ, some without second name or second surname, both sexes', () => {
    const names = raw.persons.map(fullName).join(' ');
    expect(names).toMatch(/ñ/);
    expect(names).toMatch(/[áéíóú]/);
    expect(raw.persons.some((p) => p.segundoNombre === undefined)).toBe(true);
    expect(raw.persons.some((p) => p.segundoApellido === undefined)).toBe(true);
    expect(new Set(raw.persons.map((p) => p.sexo))).toEqual(new Set(['F', 'M']));
  });

  it('have histories to draw identity questions from', () => {
    for (const p of raw.persons) {
      const h = p.historia;
      const minor = p.tipoDocumento === 'TI';
      expect(h.eps.length, who(p)).toBeGreaterThanOrEqual(2);
      expect(h.eps.length, who(p)).toBeLessThanOrEqual(4);
      if (minor) {
        expect(h.pensiones).toEqual([]);
        expect(h.empleadores).toEqual([]);
      } else {
        expect(h.pensiones.length, who(p)).toBeGreaterThanOrEqual(1);
        expect(h.pensiones.length, who(p)).toBeLessThanOrEqual(2);
        expect(h.empleadores.length, who(p)).toBeGreaterThanOrEqual(1);
        expect(h.empleadores.length, who(p)).toBeLessThanOrEqual(4);
      }
      expect(h.lugares.length, who(p)).toBeGreaterThanOrEqual(2);
      expect(h.lugares.length, who(p)).toBeLessThanOrEqual(4);
      for (const list of [h.eps, h.pensiones, h.empleadores]) {
        list.forEach((period, i) => {
          expect(period.desde >= p.fechaNacimiento, who(p)).toBe(true);
          if (period.hasta !== undefined) expect(period.hasta >= period.desde, who(p)).toBe(true);
          const next = list[i + 1];
          if (next) expect(period.hasta !== undefined && period.hasta < next.desde, `${who(p)} ${next.desde}`).toBe(true);
        });
      }
    }
  });

  it('every history employer exists in companies, with the same razón social', async () => {
    for (const p of raw.persons) {
      for (const e of p.historia.empleadores) {
        expect((await registry.findCompany(e.nit))?.razonSocial, `${who(p)} ${e.nit}`).toBe(e.razonSocial);
      }
    }
  });

  it('every place is a DIVIPOLA municipality', () => {
    for (const p of raw.persons) {
      for (const l of p.historia.lugares) expect(registry.findMunicipality(l.municipio), `${who(p)} ${l.municipio}`).toBeDefined();
    }
  });

  it('CCF legal representatives work at their CCF now', async () => {
    for (const c of await registry.listCcfs()) {
      const rl = await registry.findPerson(c.representanteLegal.tipoDocumento, c.representanteLegal.numeroDocumento);
      const current = rl?.historia.empleadores.find((e) => e.hasta === undefined);
      expect(current?.nit, c.codigoPila).toBe(c.nit);
    }
  });
});

describe('README example persons', () => {
  it.each(Object.entries(EXAMPLE_PERSONS))('%s is in the reference data as written in examples.ts', async (_, p) => {
    expect(await registry.findPerson(p.tipoDocumento, p.numeroDocumento)).toEqual(p);
  });

  it('the RL of COMFAMA (CCF04, NIT 890900841-9) is registered as such', async () => {
    const comfama = await registry.findCompany(COMFAMA.nit);
    expect(comfama).toMatchObject({ codigoPila: 'CCF04', dv: '9', sigla: 'COMFAMA' });
    expect(comfama?.representanteLegal).toEqual({
      tipoDocumento: EXAMPLE_PERSONS.rlComfama.tipoDocumento,
      numeroDocumento: EXAMPLE_PERSONS.rlComfama.numeroDocumento,
    });
  });

  it('the delegate and the authorized person work at COMFAMA and represent no company', async () => {
    for (const p of [EXAMPLE_PERSONS.delegateComfama, EXAMPLE_PERSONS.authorizedComfama]) {
      expect(p.historia.empleadores.find((e) => e.hasta === undefined)?.nit).toBe(COMFAMA.nit);
      expect(await registry.companiesRepresentedBy(p.tipoDocumento, p.numeroDocumento)).toEqual([]);
    }
  });

  it('the citizen holds a CE and the minor a TI (aged 7–17 on 2026-11-26)', () => {
    expect(EXAMPLE_PERSONS.citizenCe.tipoDocumento).toBe('CE');
    expect(EXAMPLE_PERSONS.minorTi.tipoDocumento).toBe('TI');
    const age = ageOn(EXAMPLE_PERSONS.minorTi.fechaNacimiento, '2026-11-26');
    expect(age).toBeGreaterThanOrEqual(7);
    expect(age).toBeLessThanOrEqual(17);
  });
});

describe('DIVIPOLA', () => {
  it('has 33 departments (32 + Bogotá) with official names', () => {
    const deps = registry.departments();
    expect(deps).toHaveLength(33);
    const names = deps.map((d) => d.name);
    for (const n of ['Bogotá, D.C.', 'Atlántico', 'Archipiélago de San Andrés, Providencia y Santa Catalina', 'Norte de Santander', 'Valle del Cauca', 'Chocó', 'Bolívar']) {
      expect(names).toContain(n);
    }
    expect(deps.every((d) => /^\d{2}$/.test(d.code))).toBe(true);
  });

  it('has no duplicate codes', () => {
    const codes = raw.divipola.municipalities.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    const depCodes = raw.divipola.departments.map((d) => d.code);
    expect(new Set(depCodes).size).toBe(depCodes.length);
    expect(codes.length).toBe(1123);
  });

  it.each([
    ['13490', 'Norosí', '13'],
    ['19300', 'Guachené', '19'],
    ['23682', 'San José de Uré', '23'],
    ['23815', 'Tuchín', '23'],
    ['11001', 'Bogotá, D.C.', '11'],
    ['05001', 'Medellín', '05'],
    ['73001', 'Ibagué', '73'],
  ])('%s %s (department %s)', (code, name, departmentCode) => {
    expect(registry.findMunicipality(code)).toEqual({ code, name, departmentCode });
  });

  it("lists a department's municipalities, sorted by name; every code starts with the department's", () => {
    let total = 0;
    for (const d of registry.departments()) {
      const list = registry.municipalities(d.code);
      expect(list.length, d.name).toBeGreaterThan(0);
      for (const m of list) expect(m.code.startsWith(d.code)).toBe(true);
      const names = list.map((m) => m.name);
      expect(names).toEqual([...names].sort(new Intl.Collator('es', { sensitivity: 'base' }).compare));
      total += list.length;
    }
    expect(total).toBe(registry.municipalities().length);
    expect(registry.municipalities('00')).toEqual([]);
    expect(registry.findMunicipality('00000')).toBeUndefined();
  });
});

describe('distractor pools', () => {
  it.each(['eps', 'pensiones', 'empleadores', 'lugares'] as const)('%s: non-empty, unique, holds every value of the histories', (kind) => {
    const pool = registry.distractorPool(kind);
    expect(pool.length).toBeGreaterThan(4);
    expect(new Set(pool).size).toBe(pool.length);
    for (const p of raw.persons) {
      const h = p.historia;
      const values =
        kind === 'eps' ? h.eps.map((e) => e.nombre)
        : kind === 'pensiones' ? h.pensiones.map((e) => e.nombre)
        : kind === 'empleadores' ? h.empleadores.map((e) => e.razonSocial)
        : h.lugares.map((l) => l.municipio);
      for (const v of values) expect(pool).toContain(v);
    }
  });

  it('leaves at least three distractors for anyone', () => {
    for (const p of raw.persons) {
      const h = p.historia;
      expect(registry.distractorPool('eps').filter((v) => !h.eps.some((e) => e.nombre === v)).length).toBeGreaterThanOrEqual(3);
      expect(registry.distractorPool('pensiones').filter((v) => !h.pensiones.some((e) => e.nombre === v)).length).toBeGreaterThanOrEqual(3);
      expect(registry.distractorPool('empleadores').filter((v) => !h.empleadores.some((e) => e.razonSocial === v)).length).toBeGreaterThanOrEqual(3);
      expect(registry.distractorPool('lugares').filter((v) => !h.lugares.some((l) => l.municipio === v)).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('lugares holds DIVIPOLA municipality codes', () => {
    for (const code of registry.distractorPool('lugares')) expect(registry.findMunicipality(code)).toBeDefined();
  });
});

describe('loader', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function dataSetWith(change: (data: typeof raw) => void): string {
    const data = structuredClone(raw);
    change(data);
    const dir = mkdtempSync(join(tmpdir(), 'reference-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'persons.json'), JSON.stringify({ persons: data.persons }));
    writeFileSync(join(dir, 'companies.json'), JSON.stringify({ companies: data.companies }));
    writeFileSync(join(dir, 'divipola.json'), JSON.stringify(data.divipola));
    return dir;
  }

  it('the default instance is created once and shared', () => {
    expect(defaultReferenceRegistry()).toBe(defaultReferenceRegistry());
  });

  it('returns frozen data', async () => {
    const ccfs = await registry.listCcfs();
    expect(Object.isFrozen(ccfs)).toBe(true);
    expect(Object.isFrozen(ccfs[0])).toBe(true);
    expect(Object.isFrozen(registry.departments())).toBe(true);
  });

  it('loads an equivalent data set from another directory', async () => {
    const other = loadReferenceRegistry(dataSetWith(() => {}));
    expect((await other.listCcfs()).length).toBe(43);
  });

  it.each([
    ['a wrong DV', (d: typeof raw) => { (d.companies[0] as { dv: string }).dv = '0'; }, /wrong DV/],
    ['a missing legal representative', (d: typeof raw) => { d.persons.shift(); }, /legal representative/],
    ['an unknown employer', (d: typeof raw) => { (d.companies as unknown[]).splice(d.companies.findIndex((c) => c.sigla === 'SENA'), 1); }, /employer 899999034/],
    ['an unknown place', (d: typeof raw) => { d.divipola.municipalities = d.divipola.municipalities.filter((m) => m.code !== '05001'); }, /05001/],
    ['a duplicate municipality', (d: typeof raw) => { d.divipola.municipalities.push({ code: '05001', name: 'Medellín', departmentCode: '05' }); }, /duplicate municipality 05001/],
    ['a malformed date', (d: typeof raw) => { (d.persons[0] as { fechaNacimiento: string }).fechaNacimiento = '14/03/1968'; }, /Invalid reference data/],
  ])('refuses a data set with %s', (_, change, message) => {
    expect(() => loadReferenceRegistry(dataSetWith(change))).toThrow(message);
  });
});
