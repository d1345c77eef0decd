/**
 * "Probar conexión"'s limit per CCF with two instances on one PostgreSQL database (issue 11, point
 * "at most a few tests per minute per CCF"): each instance has its own pool and store, as two
 * processes would; tests fired at both at once get at most PRUEBAS_POR_MINUTO together, the others
 * the wait in seconds, and the database keeps one record per CCF with only the last minute's tests.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { COMFAMA_NIT, ANDRES, actor } from './helpers/employers.js';
import { accept, asCcf, credenciales, DATOS, recordingTester, sharingDeps, VIGENTES, world } from './helpers/step5.js';
import { describePg, pgDatabase, type PgDatabase } from './helpers/postgres.js';
import { PRUEBAS_POR_MINUTO, saveCredentials, saveServiceData, testSharedService } from '../domain/compartir.js';
import { UNIQUE_FIELDS, type CollectionName, type Store } from '../domain/ports.js';
import { createPool } from '../storage/pg/pool.js';
import { openPgStore } from '../storage/pg/pg-store.js';
import type pg from 'pg';

const SERVICIO = 'ConsultaAfiliadosCaja';

describePg('Probar conexión on PostgreSQL: the limit per CCF holds across instances', () => {
  let db: PgDatabase;
  let secondPool: pg.Pool;
  const stores: Store[] = [];

  beforeEach(async () => {
    db = await pgDatabase();
    secondPool = createPool(db.url, { max: 10, applicationName: 'asistente-ccf-test-2' });
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await secondPool.end().catch(() => {});
    await db.drop();
  });

  it(`two instances, tests fired at both at once: together at most ${PRUEBAS_POR_MINUTO}, the rest told to wait`, async () => {
    // The world is built with the real use cases in memory, then copied into the database.
    const w = await world();
    await accept(w);
    const base = sharingDeps(w);
    expect(await saveServiceData(base, ANDRES, asCcf(), VIGENTES, SERVICIO, DATOS, actor)).toMatchObject({ ok: true });
    expect(await saveCredentials(base, ANDRES, asCcf(), VIGENTES, SERVICIO, credenciales(base.secrets), actor)).toMatchObject({ ok: true });
    const first = await openPgStore({ pool: db.pool });
    const second = await openPgStore({ pool: secondPool, migrate: false });
    stores.push(first, second);
    await first.transaction(async (tx) => {
      for (const name of Object.keys(UNIQUE_FIELDS) as CollectionName[]) {
        for (const r of await w.store.transaction((m) => m.collection(name).list())) await tx.collection(name).put(r as never);
      }
    });

    const instances = [first, second].map((store) => ({ ...base, store, tester: recordingTester() }));
    const probes = Array.from({ length: 4 * PRUEBAS_POR_MINUTO }, (_, i) => testSharedService(instances[i % 2]!, ANDRES, asCcf(), VIGENTES, SERVICIO, actor));
    const results = await Promise.all(probes);

    expect(results.filter((r) => r.ok)).toHaveLength(PRUEBAS_POR_MINUTO);
    for (const r of results.filter((x) => !x.ok)) expect(r).toEqual({ ok: false, error: { code: 'COMPARTIDO.DEMASIADAS_PRUEBAS', segundos: 60 } });
    expect(instances[0]!.tester.calls.length + instances[1]!.tester.calls.length).toBe(PRUEBAS_POR_MINUTO);

    const now = w.clock.now().getTime();
    const { rows } = await db.pool.query<{ id: string; data: { en: number[] } }>(`select id, data from records where collection = 'pruebasConexion'`);
    expect(rows).toEqual([{ id: COMFAMA_NIT, data: { id: COMFAMA_NIT, en: Array(PRUEBAS_POR_MINUTO).fill(now) } }]);

    // A minute later either instance may test again, and the record holds only the new test.
    w.clock.advance(60_000);
    expect(await testSharedService(instances[1]!, ANDRES, asCcf(), VIGENTES, SERVICIO, actor)).toMatchObject({ ok: true });
    const after = await db.pool.query<{ data: { en: number[] } }>(`select data from records where collection = 'pruebasConexion'`);
    expect(after.rows.map((r) => r.data.en)).toEqual([[now + 60_000]]);
  });
});
