/**
 * Step 5 on a running app without the chat: COMFAMA's chain to the web services through the real use
 * cases on the app's own store (José RL with María as delegate, Andrés and María authorized, the CCF
 * role activated and services assigned by Carlos, the terms accepted), and documentation links signed
 * with the app's own key (SECRETS_KEY below, derived as bot/app.ts does).
 */
import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createDocLinks, type DocLinks } from '../../bot/doc-links.js';
import { terminosVigentes } from '../../dialogs/servicios/texts.js';
import { assignServices, changeAssignment } from '../../domain/asignaciones.js';
import type { Actor } from '../../domain/audit.js';
import type { Autorizacion } from '../../domain/autorizaciones.js';
import { authorize, revokeAuthorization } from '../../domain/autorizados.js';
import { registerEmployer } from '../../domain/empleador-registro.js';
import type { Clock } from '../../domain/ports.js';
import { seededRandom } from '../../domain/random.js';
import { setCcfRole } from '../../domain/rol-ccf.js';
import { decideTerms, type ServiciosCcfDeps } from '../../domain/servicios-ccf.js';
import type { ActingRole } from '../../domain/session.js';
import { staffDirectory } from '../../domain/staff.js';
import { createFileBlobStore } from '../../storage/blob-store.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { parseSecretsKey } from '../../storage/secret-box.js';
import type { TestApp } from './app.js';
import { ADMIN, ANDRES, COMFAMA_NIT, DELEGADA_MARIA, JOSE, MARIA, NUEVO_ANDRES, NUEVO_MARIA, registration } from './employers.js';
import { seedActiveCitizen } from './people.js';
import { passwordHasher } from '../../storage/password-hasher.js';

/** Start the app with `{ SECRETS_KEY }` so the tests can sign links as the app does. */
export const SECRETS_KEY = '4f1c8e2a9b7d3c6e5a0f1e2d3c4b5a69788766554433221100ffeeddccbbaa99';
export const SOLICITUD = 'SolicitudAfiliacion';
export const CONSULTA = 'ConsultaAfiliacion';

const actor: Actor = { ref: 'u-5e1f00aa', channel: 'test' };
const asRl: ActingRole = { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', como: 'rl' };
export const asCcf: ActingRole = { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA' };

/** The links the app makes (same key, same clock), pointing at `app.url`. */
export function appDocLinks(app: TestApp, clock: Clock): DocLinks {
  const key = parseSecretsKey(SECRETS_KEY)!;
  return createDocLinks(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'asistente-ccf/doc-links', 32)), clock, () => app.url);
}

/** The domain's collaborators over the app's own store and files (Carlos, CE 654321, is the Ministry's administrator). */
export function appDeps(app: TestApp, clock: Clock): ServiciosCcfDeps {
  return {
    store: app.store,
    reference: defaultReferenceRegistry(),
    clock,
    random: seededRandom(23),
    mailer: app.mailer,
    passwords: passwordHasher,
    publicBaseUrl: app.url,
    blobs: createFileBlobStore(join(app.dataDir, 'archivos')),
    staff: staffDirectory({ admins: [ADMIN], helpdesk: [] }),
  };
}

export interface Comfama {
  readonly deps: ServiciosCcfDeps;
  readonly autorizaciones: { readonly andres: Autorizacion; readonly maria: Autorizacion };
}

/**
 * COMFAMA ready for step 5: José (RL) registers the employer role naming María as delegate; José
 * authorizes Andrés and María (web services); Carlos activates the CCF role and assigns `servicios`;
 * Andrés accepts the terms in force (María does not).
 */
export async function comfamaWithServices(app: TestApp, clock: Clock, servicios: readonly string[] = [SOLICITUD, CONSULTA]): Promise<Comfama> {
  const deps = appDeps(app, clock);
  const p = EXAMPLE_PERSONS;
  await seedActiveCitizen(app.store, p.rlComfama, 'jose.restrepo@correo.com', 'Guayacan-Florido-2026', clock.now());
  await seedActiveCitizen(app.store, p.delegateComfama, 'maria.pena@correo.com', 'Guayacan-Florido-2026', clock.now());
  await seedActiveCitizen(app.store, p.authorizedComfama, 'andres.zapata@correo.com', 'Guayacan-Florido-2026', clock.now());
  await seedActiveCitizen(app.store, p.citizenCe, 'carlos.briceno@correo.com', 'Guayacan-Florido-2026', clock.now());
  expect(await registerEmployer(deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
  const andres = await authorize(deps, JOSE, asRl, COMFAMA_NIT, NUEVO_ANDRES, actor);
  const maria = await authorize(deps, JOSE, asRl, COMFAMA_NIT, NUEVO_MARIA, actor);
  if (!andres.ok || !maria.ok) throw new Error(`authorize: ${JSON.stringify([andres, maria])}`);
  expect(await setCcfRole(deps, ADMIN, COMFAMA_NIT, true, 'Cadena de activación verificada', actor)).toMatchObject({ ok: true });
  const assigned = await assignServices(deps, ADMIN, COMFAMA_NIT, servicios, actor);
  expect(assigned.ok && assigned.value.resultados.map((r) => r.resultado)).toEqual(servicios.map(() => 'asignado'));
  expect(await decideTerms(deps, ANDRES, asCcf, terminosVigentes(), 'acepto', actor)).toMatchObject({ ok: true });
  return { deps, autorizaciones: { andres: andres.value.autorizacion, maria: maria.value.autorizacion } };
}

/** The Ministry revokes COMFAMA's assignment of `servicioId`. */
export async function revokeAssignment(c: Comfama, servicioId: string): Promise<void> {
  expect(await changeAssignment(c.deps, ADMIN, COMFAMA_NIT, servicioId, 'revocar', 'Uso indebido del servicio', actor)).toMatchObject({ ok: true });
}

/** José revokes María's authorization. */
export async function revokeMaria(c: Comfama): Promise<void> {
  expect(await revokeAuthorization(c.deps, JOSE, asRl, COMFAMA_NIT, c.autorizaciones.maria.id, 'Ya no trabaja en la Caja', actor)).toMatchObject({ ok: true });
}

/** Carlos deactivates COMFAMA's CCF role. */
export async function deactivateComfama(c: Comfama): Promise<void> {
  expect(await setCcfRole(c.deps, ADMIN, COMFAMA_NIT, false, 'Revisión de la cadena de activación', actor)).toMatchObject({ ok: true });
}

export { ANDRES, MARIA, COMFAMA_NIT };
