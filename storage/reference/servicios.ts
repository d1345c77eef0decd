/**
 * The example web services the assistant ships (issue 9, DESIGN §2 "Back office"): SYNTHETIC OpenAPI
 * documents of the SAT (Sistema de Afiliación Transaccional) interoperability between the Ministerio de
 * Salud and the Cajas de Compensación Familiar. They are examples, not official services: every
 * document says so (`x-ejemplo: true`, and `info.description` begins "Ejemplo sintético — …"), and its
 * servers and authorization server are on the reserved `.example` domain. See data/servicios/README.md.
 *
 * The files of `data/servicios/` (JSON or YAML, one operation each) are read synchronously once, when
 * this module is imported; `ensureExampleServices` (domain/catalogo.ts) validates them with the
 * OpenApiReader when it seeds the catalog at start-up. A file without exactly one operation with an
 * operationId throws here, at load time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ExampleService } from '../../domain/catalogo.js';

/** The committed documents: storage/reference/data/servicios. */
export const EXAMPLE_SERVICES_DIR = fileURLToPath(new URL('./data/servicios/', import.meta.url));

const DOCUMENT_FILE = /\.(json|ya?ml)$/i;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The operationId of the one operation of a document (throws when there is not exactly one). */
function operationIdOf(file: string, text: string): string {
  const doc = parseYaml(text) as { paths?: Record<string, Record<string, { operationId?: unknown } | undefined>> } | null;
  const ids: unknown[] = [];
  for (const item of Object.values(doc?.paths ?? {})) {
    for (const m of METHODS) if (item?.[m]) ids.push(item[m]?.operationId);
  }
  const [id] = ids;
  if (ids.length !== 1 || typeof id !== 'string' || id === '') throw new Error(`example service ${file}: expected exactly one operation with an operationId`);
  return id;
}

function loadExampleServices(dir: string): ExampleService[] {
  const services = readdirSync(dir)
    .filter((name) => DOCUMENT_FILE.test(name))
    .map((name) => {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      return { bytes, operationId: operationIdOf(name, new TextDecoder().decode(bytes)), file: name };
    })
    .sort((a, b) => a.operationId.localeCompare(b.operationId));
  const seen = new Map<string, string>();
  for (const s of services) {
    const other = seen.get(s.operationId.toLowerCase());
    if (other) throw new Error(`example services ${other} and ${s.file}: the same operationId ${s.operationId}`);
    seen.set(s.operationId.toLowerCase(), s.file);
  }
  return services.map(({ bytes, operationId }) => Object.freeze({ bytes, operationId }));
}

/** The shipped example services, sorted by operationId. */
export const EXAMPLE_SERVICES: readonly ExampleService[] = Object.freeze(loadExampleServices(EXAMPLE_SERVICES_DIR));
