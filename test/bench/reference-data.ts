/**
 * A larger reference data set for the capacity figure: the committed one (storage/reference/data)
 * plus `extra` made-up companies, each with its own legal representative among the persons. The
 * committed data has a few dozen legal representatives, and every journey needs its own (a person
 * registers once, a company's employer role is registered once): too few people to bring the
 * assistant to the steady state the echo bot is measured in. The made-up entries copy the shape of
 * the committed ones (a person's history, a company's nature and seat), so every journey asks the
 * same questions; only names and numbers differ. Written to a temporary directory, never committed.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeDv } from '../../domain/nit.js';
import type { ReferenceCompany, ReferencePerson } from '../../domain/reference.js';
import { DEFAULT_REFERENCE_DATA_DIR } from '../../storage/reference/registry.js';

const GIVEN = ['Aurora', 'Bernardo', 'Consuelo', 'Darío', 'Esperanza', 'Fabio', 'Gloria', 'Hernán', 'Inés', 'Jairo', 'Lucía', 'Mauricio'];
const SURNAMES = ['Arango', 'Bermúdez', 'Cardona', 'Duque', 'Echeverri', 'Franco', 'Giraldo', 'Henao', 'Isaza', 'Jaramillo', 'Londoño', 'Montoya'];
const TRADES = ['COMERCIALIZADORA', 'INVERSIONES', 'LOGÍSTICA', 'AGROINDUSTRIAS', 'CONFECCIONES', 'SOLUCIONES'];
const PLACES = ['GUAYACÁN', 'EL NOGAL', 'LA CEIBA', 'SAN ROQUE', 'EL ROBLE', 'ALTAMIRA', 'LOS CEDROS'];

/** Writes the data set to `dir` (created) and returns it. */
export async function writeBenchReferenceData(dir: string, extra: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const read = async <T>(file: string): Promise<T> => JSON.parse(await readFile(join(DEFAULT_REFERENCE_DATA_DIR, file), 'utf8')) as T;
  const { persons } = await read<{ persons: ReferencePerson[] }>('persons.json');
  const { companies } = await read<{ companies: ReferenceCompany[] }>('companies.json');
  const usedDocuments = new Set(persons.map((p) => p.numeroDocumento));
  // Histories to copy: the committed legal representatives' own (adults with a cédula).
  const representatives = new Set(companies.map((c) => `${c.representanteLegal.tipoDocumento}:${c.representanteLegal.numeroDocumento}`));
  const models = persons.filter((p) => p.tipoDocumento === 'CC' && representatives.has(`CC:${p.numeroDocumento}`));
  const usedNits = new Set(companies.map((c) => c.nit));
  const newPersons: ReferencePerson[] = [];
  const newCompanies: ReferenceCompany[] = [];
  for (let i = 0, number = 81_000_000, nit = 901_700_000; newCompanies.length < extra; i++) {
    while (usedDocuments.has(String(number))) number++;
    while (usedNits.has(String(nit))) nit++;
    const like = models[i % models.length]!;
    const seat = companies[i % companies.length]!;
    const person: ReferencePerson = {
      ...like,
      tipoDocumento: 'CC',
      numeroDocumento: String(number++),
      primerNombre: GIVEN[i % GIVEN.length]!,
      primerApellido: SURNAMES[Math.floor(i / GIVEN.length) % SURNAMES.length]!,
      segundoApellido: SURNAMES[(i + 5) % SURNAMES.length]!,
    };
    const { codigoPila: _pila, sigla: _sigla, ...rest } = seat;
    const id = String(nit++);
    newPersons.push(person);
    newCompanies.push({
      ...rest,
      nit: id,
      dv: computeDv(id),
      razonSocial: `${TRADES[i % TRADES.length]} ${PLACES[Math.floor(i / TRADES.length) % PLACES.length]} ${i + 1}`,
      representanteLegal: { tipoDocumento: 'CC', numeroDocumento: person.numeroDocumento },
    });
  }
  await writeFile(join(dir, 'persons.json'), JSON.stringify({ persons: [...persons, ...newPersons] }));
  await writeFile(join(dir, 'companies.json'), JSON.stringify({ companies: [...companies, ...newCompanies] }));
  await copyFile(join(DEFAULT_REFERENCE_DATA_DIR, 'divipola.json'), join(dir, 'divipola.json'));
  return dir;
}
