import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../storage/blob-store.js';
import { createMemoryStore } from '../storage/memory-store.js';
import { records } from '../test/helpers/store.js';
import type { AccountToken, Citizen, IdentityCheck } from './citizens.js';
import type { EmployerRole } from './employers.js';
import type { Draft } from './ports.js';
import { seededRandom } from './random.js';
import { purge, referencedFiles, RETENTION } from './retention.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(NOW.getTime() - days * DAY - hours * 3_600_000).toISOString();

function citizen(id: string, estado: Citizen['estado'], creadoEn: string): Citizen {
  const [tipo, numero] = id.split(':') as [Citizen['tipoDocumento'], string];
  return {
    id, tipoDocumento: tipo, numeroDocumento: numero, primerNombre: 'ANA', segundoNombre: '', primerApellido: 'PÉREZ', segundoApellido: '',
    fechaNacimiento: '1990-01-01', fechaExpedicion: '2008-01-01', sexo: 'F', email: `${numero}@example.org`, celular: '3001234567',
    estado, creadoEn, loginFallidos: 0,
  };
}
const token = (id: string, citizenId: string, expira: string, usadoEn?: string): AccountToken => ({
  id, tipo: 'activacion', citizenId, creadoEn: expira, expira, ...(usadoEn ? { usadoEn } : {}),
});
const check = (id: string, extra: Partial<IdentityCheck>): IdentityCheck => ({ id, intentosDatos: 1, rondasFallidas: 0, actualizadoEn: ago(0), ...extra });
const draft = (id: string, savedAt: string): Draft => ({ id, owner: 'CC:1', formId: id, values: { a: '1' }, history: ['a'], savedAt });
function role(nit: string, sha: string | undefined, reviewedDaysAgo: number | undefined): EmployerRole {
  return {
    id: nit, nit, dv: '0', razonSocial: 'X', naturaleza: '2', rl: 'CC:1', estado: reviewedDaysAgo === undefined ? 'pendiente_revision' : 'activo',
    sede: { nombre: 's', departamento: '05', municipio: '05001', direccion: 'd', telefono: '1', email: 'a@b.co' },
    delegado: { tipoDocumento: 'CC', numeroDocumento: '2', primerNombre: 'B', segundoNombre: '', primerApellido: 'C', segundoApellido: '', email: 'c@d.co', estado: 'invitado', citizenId: 'CC:2' },
    ...(sha ? { rut: { sha256: sha, size: 10, fechaExpedicion: '2020-01-01', subidoEn: ago(2000) } } : {}),
    ...(reviewedDaysAgo !== undefined ? { revision: { por: 'CE:1', en: ago(reviewedDaysAgo), decision: 'aprobado' as const } } : {}),
    creadoEn: ago(2000), actualizadoEn: ago(2000),
  };
}

async function setup() {
  const store = createMemoryStore();
  const blobs = createMemoryBlobStore();
  const oldRut = await blobs.put(Buffer.from('%PDF old'));
  const shared = await blobs.put(Buffer.from('%PDF shared'));
  const recent = await blobs.put(Buffer.from('%PDF recent'));
  const limit = RETENTION.rutTrasRevisionDias;
  await store.transaction(async (tx) => {
    for (const c of [citizen('CC:10', 'pendiente', ago(8)), citizen('CC:11', 'pendiente', ago(6)), citizen('CC:12', 'activo', ago(400))]) await tx.collection('citizens').put(c);
    for (const t of [
      token('t-abandoned', 'CC:10', ago(7)), // goes with its account
      token('t-expired', 'CC:12', ago(8)),
      token('t-used-old', 'CC:12', ago(8), ago(9)),
      token('t-expired-recently', 'CC:12', ago(6)),
      token('t-valid', 'CC:11', ago(-1)),
    ]) await tx.collection('accountTokens').put(t);
    for (const c of [
      check('CC:20', { actualizadoEn: ago(31) }),
      check('CC:21', { actualizadoEn: ago(29) }),
      check('CC:22', { actualizadoEn: ago(40), bloqueadoHasta: ago(31) }),
      check('CC:24', { actualizadoEn: ago(40), bloqueadoHasta: ago(29) }),
      check('CC:23', { actualizadoEn: ago(40), verificadoEn: ago(10) }),
    ]) await tx.collection('identityChecks').put(c);
    for (const d of [draft('old', ago(31)), draft('recent', ago(29))]) await tx.collection('drafts').put(d);
    for (const r of [
      role('111111111', oldRut.sha256, limit + 1),
      role('222222222', shared.sha256, limit + 1),
      role('333333333', shared.sha256, limit - 1), // the same bytes, still under the term
      role('444444444', recent.sha256, 10),
      role('555555555', recent.sha256, undefined), // pending review
    ]) await tx.collection('employers').put(r);
    await tx.collection('audit').put({ id: 'a0', at: ago(4000), actor: 'x', action: 'registro.iniciado', channel: 'webchat' });
    for (const [id, days] of [['CC:30', RETENTION.progresoInactivoDias + 1], ['CC:31', RETENTION.progresoInactivoDias - 1]] as const) {
      await tx.collection('progreso').put({ id, proceso: 'registro', paso: 'Correo', ultimaActividad: ago(days), canal: 'webchat' });
    }
    const caso = (id: string, estado: 'cerrado' | 'en_cola', cerradoDias?: number) => ({
      id, numero: `M-${id}`, estado, persona: {}, nits: [], mensajes: [{ de: 'persona' as const, texto: 'hola', en: ago(800) }],
      conversacionPersona: { clave: `webchat|${id}`, referencia: {} }, clavePersona: `webchat|${id}`, creadoEn: ago(800),
      ...(cerradoDias !== undefined ? { cerradoEn: ago(cerradoDias), cerradoPor: 'asesor' as const } : {}), avisarPorCorreo: false,
    });
    for (const c of [caso('K1', 'cerrado', RETENTION.casosCerradosDias + 1), caso('K2', 'cerrado', RETENTION.casosCerradosDias - 1), caso('K3', 'en_cola')]) await tx.collection('casosMesa').put(c);
  });
  return { store, blobs, random: seededRandom(7), oldRut, shared, recent };
}

describe('retention schedule', () => {
  it('states every term as a positive number; the RUT legal period is five years', () => {
    for (const v of Object.values(RETENTION)) expect(v).toBeGreaterThan(0);
    expect(RETENTION.rutTrasRevisionDias).toBe(1825);
    expect(RETENTION.borradoresDias).toBe(30);
  });
});

describe('purge', () => {
  it('deletes what the schedule no longer needs, keeps the rest and the audit, and audits the counts', async () => {
    const s = await setup();
    const counts = await purge(s, NOW, { conversaciones: 3 });
    expect(counts).toEqual({ enlaces: 3, verificaciones: 2, borradores: 1, cuentasSinActivar: 1, rut: 2, progreso: 1, casos: 1, conversaciones: 3 });
    expect((await records(s.store, 'progreso')).map((p) => p.id)).toEqual(['CC:31']);
    expect((await records(s.store, 'casosMesa')).map((c) => c.id)).toEqual(['K2', 'K3']); // an open case stays, however old

    expect((await records(s.store, 'citizens')).map((c) => c.id)).toEqual(['CC:11', 'CC:12']);
    expect((await records(s.store, 'accountTokens')).map((t) => t.id)).toEqual(['t-expired-recently', 't-valid']);
    expect((await records(s.store, 'identityChecks')).map((c) => c.id)).toEqual(['CC:21', 'CC:24', 'CC:23']);
    expect((await records(s.store, 'drafts')).map((d) => d.id)).toEqual(['recent']);

    const roles = await records(s.store, 'employers');
    expect(roles.filter((r) => r.rut).map((r) => r.id)).toEqual(['333333333', '444444444', '555555555']);
    expect(roles.find((r) => r.id === '111111111')?.revision).toBeDefined(); // the review stays, not the file
    expect(await s.blobs.get(s.oldRut.sha256)).toBeUndefined();
    expect(await s.blobs.get(s.shared.sha256)).toBeDefined();
    expect(await s.blobs.get(s.recent.sha256)).toBeDefined();
    expect(await referencedFiles(s.store)).toEqual(new Set([s.shared.sha256, s.recent.sha256]));

    const audit = await records(s.store, 'audit');
    expect(audit[0]?.id).toBe('a0');
    const ran = audit.find((e) => e.action === 'retencion.ejecutada');
    expect(ran).toMatchObject({ actor: 'sistema', channel: 'system', at: NOW.toISOString(), detail: counts });
    expect(JSON.stringify(ran)).not.toMatch(/CC:|example\.org/);
  });

  it("keeps the catalog's OpenAPI documents: a service's document is a referenced file", async () => {
    const s = await setup();
    const doc = await s.blobs.put(new TextEncoder().encode('{"openapi":"3.1.0"}'));
    await s.store.transaction((tx) =>
      tx.collection('servicios').put({
        id: 'SolicitudAfiliacion', nombre: 'Solicitud de afiliación', descripcion: 'x', metodo: 'POST', ruta: '/a', version: '1', estado: 'retirado',
        documento: { sha256: doc.sha256, size: doc.size, formato: 'json', especificacion: 'openapi-3.1' }, ejemplo: true, creadoEn: ago(4000), actualizadoEn: ago(4000),
      }),
    );
    await purge(s, NOW);
    expect(await referencedFiles(s.store)).toContain(doc.sha256);
    expect(await s.blobs.get(doc.sha256)).toBeDefined();
  });

  it('a second run right after deletes nothing', async () => {
    const s = await setup();
    await purge(s, NOW);
    expect(await purge(s, NOW)).toEqual({ enlaces: 0, verificaciones: 0, borradores: 0, cuentasSinActivar: 0, rut: 0, progreso: 0, casos: 0 });
  });
});
