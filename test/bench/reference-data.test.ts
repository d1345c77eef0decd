/**
 * The bench's made-up reference data: it loads through the same checks as the committed data, every
 * made-up company has its own legal representative, and a made-up person goes through the whole
 * scripted journey of the capacity figure on an assistant started with it (every reply checked).
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidDv } from '../../domain/nit.js';
import { DEFAULT_REFERENCE_DATA_DIR, loadReferenceRegistry } from '../../storage/reference/registry.js';
import { startApp, tempDir, type TestApp } from '../helpers/app.js';
import { Conversation, startConnector } from './connector.js';
import { activate, casts, journey, OutboxIndex } from './journey.js';
import { writeBenchReferenceData } from './reference-data.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('bench reference data', () => {
  it('adds the made-up legal representatives and companies to the committed ones, consistent', async () => {
    const dir = await writeBenchReferenceData(await tempDir('bench-ref-'), 40);
    dirs.push(dir);
    const registry = loadReferenceRegistry(dir); // throws on a duplicate, a wrong DV or a missing person
    const committed = await casts('all', 't', DEFAULT_REFERENCE_DATA_DIR);
    const all = await casts('all', 't', dir);
    expect(all.length).toBe(committed.length + 40);
    const made = all.slice(committed.length);
    expect(new Set(made.map((c) => c.person.numeroDocumento)).size).toBe(40);
    expect(new Set(made.map((c) => c.company.razonSocial)).size).toBe(40);
    for (const c of made) {
      expect(isValidDv(c.company.nit, c.company.dv)).toBe(true);
      expect(await registry.companiesRepresentedBy('CC', c.person.numeroDocumento)).toEqual([c.company]);
      expect(c.company.codigoPila).toBeUndefined();
    }
    // The committed data set is left as it was.
    await expect(loadReferenceRegistry(DEFAULT_REFERENCE_DATA_DIR).findPerson('CC', made[0]!.person.numeroDocumento)).resolves.toBeUndefined();
  });

  it("a made-up legal representative goes through the capacity figure's whole journey", async () => {
    const dir = await writeBenchReferenceData(await tempDir('bench-ref-'), 3);
    const dataDir = await tempDir('bench-ref-app-');
    dirs.push(dir, dataDir);
    const connector = await startConnector();
    let app: TestApp | undefined;
    try {
      app = await startApp({ LOCAL_CONNECTORS: 'true' }, { reference: loadReferenceRegistry(dir) }, dataDir);
      const cast = (await casts('all', 'ref', dir)).at(-1)!;
      expect(cast.person.numeroDocumento).toMatch(/^81\d{6}$/);
      const turns: number[] = [];
      const c = new Conversation(app.url, connector, 'bench-ref');
      await journey.register(c, cast, (t) => turns.push(t.ms));
      await activate(app.url, new OutboxIndex(dataDir), cast.email);
      await journey.employer(c, cast, (t) => turns.push(t.ms));
      expect(turns.length).toBe(31);
    } finally {
      await app?.close();
      await connector.close();
    }
  });
});
