/**
 * Step 5 (Administración de Servicios Web) worlds built with the real use cases: COMFAMA and COMFENALCO
 * ANTIOQUIA registered, their people authorized, the shipped example services seeded with the real
 * OpenAPI reader, the CCF roles activated and services assigned by the Ministry. Shared by the web
 * services' domain tests (domain/servicios-ccf.test.ts, domain/compartir.test.ts).
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { assignServices } from '../../domain/asignaciones.js';
import type { Actor } from '../../domain/audit.js';
import type { Autorizacion } from '../../domain/autorizaciones.js';
import { authorize, type NuevoAutorizado } from '../../domain/autorizados.js';
import { ensureExampleServices, type CatalogoDeps } from '../../domain/catalogo.js';
import type { CompartirDeps, CredencialesNuevas } from '../../domain/compartir.js';
import { naturalezaOf, registerEmployer } from '../../domain/empleador-registro.js';
import type { DelegateData } from '../../domain/employers.js';
import type { ConnectionTester, OpenApiReader, PruebaConexion, ResultadoPrueba, SecretBox } from '../../domain/ports.js';
import { setCcfRole } from '../../domain/rol-ccf.js';
import { decideTerms, type DecisionTerminos, type Versiones } from '../../domain/servicios-ccf.js';
import type { DatosServicioCompartido, LlavePublica } from '../../domain/servicios-web.js';
import type { ActingRole } from '../../domain/session.js';
import { openApiReader } from '../../storage/openapi.js';
import { EXAMPLE_SERVICES } from '../../storage/reference/servicios.js';
import { createSecretBox } from '../../storage/secret-box.js';
import { actor, ADMIN, ANDRES, COMFAMA_NIT, DELEGADA_MARIA, JOSE, NUEVO_ANDRES, NUEVO_MARIA, registration, SEDE, seedCitizen, setup, type Setup } from './employers.js';

// ------------------------------------------------------------------------------ fixtures

export const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
export const COMFENALCO_NIT = '890900842'; // COMFENALCO ANTIOQUIA (CCF03); its RL is Nicolás
export const NICOLAS = 'CC:72235734';
export const DIANA = 'CC:33773336'; // never registered here: authorizing her is an invitation
export const MINUTE = 60_000;

/** The versions in force (what templates/es/servicios/terminos.json publishes today). */
export const VIGENTES: Versiones = { condiciones: '1.0', privacidad: '1.0' };

export const SOLICITUD = 'SolicitudAfiliacion'; // assigned to both CCFs, each with its own Client ID
export const CONSULTA = 'ConsultaAfiliacion';
export const NOVEDAD = 'ReporteNovedad';
export const RETIRO = 'RetiroAfiliado';
export const BENEFICIARIOS = 'ConsultaBeneficiarios';
export const CUOTA = 'ConsultaSubsidioCuotaMonetaria';
export const COMFAMA_SERVICES = [CONSULTA, NOVEDAD, RETIRO, SOLICITUD];
export const COMFENALCO_SERVICES = [BENEFICIARIOS, CUOTA, SOLICITUD];

export const NUEVO_JAIME: NuevoAutorizado = { ...NUEVO_ANDRES, numeroDocumento: '18054862', primerNombre: 'Jaime', segundoNombre: '', primerApellido: 'Giraldo', segundoApellido: 'Montoya', email: 'jaime.giraldo@comfenalco.com.co' };
export const NUEVO_DIANA: NuevoAutorizado = { ...NUEVO_ANDRES, numeroDocumento: '33773336', primerNombre: 'Diana', segundoNombre: 'Teresa', primerApellido: 'Martínez', segundoApellido: 'Ruiz', email: 'diana.martinez@comfama.com.co' };
export const DELEGADO_JAIME: DelegateData = { tipoDocumento: 'CC', numeroDocumento: '18054862', primerNombre: 'Jaime', segundoNombre: '', primerApellido: 'Giraldo', segundoApellido: 'Montoya', email: 'jaime.giraldo@comfenalco.com.co' };

export const asRl = (nit: string): ActingRole => ({ tipo: 'empleador', nit, razonSocial: nit === COMFAMA_NIT ? COMFAMA_RS : 'COMFENALCO', como: 'rl' });
export const asCcf = (nit = COMFAMA_NIT): ActingRole => ({ tipo: 'ccf', nit, razonSocial: nit === COMFAMA_NIT ? COMFAMA_RS : 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA' });
export const otherActor: Actor = { ref: 'u-5e6f7a8b', channel: 'msteams' };

/**
 * The real OpenAPI reader, remembering what it read of each shipped document: every world seeds the
 * catalog with ensureExampleServices, and parsing the six documents again each time costs ~300 ms.
 */
export const reader: OpenApiReader = (() => {
  const real = openApiReader();
  const read = new WeakMap<Uint8Array, ReturnType<OpenApiReader['read']>>();
  return {
    read: (bytes) => {
      if (!read.has(bytes)) read.set(bytes, real.read(bytes));
      return read.get(bytes)!;
    },
  };
})();

// ------------------------------------------------------------------------------ the world

export interface World extends Setup {
  readonly catalogo: CatalogoDeps;
  readonly autorizaciones: Record<string, Autorizacion>;
}

export interface WorldOptions {
  /** COMFAMA's CCF role: activated by the Ministry (default) or never. */
  readonly rolComfama?: 'activo' | 'nunca';
  /** Also authorize these at COMFAMA (after Andrés). */
  readonly tambien?: readonly ('maria' | 'diana')[];
}

/**
 * COMFAMA (José RL, María linked delegate, Andrés authorized) and COMFENALCO ANTIOQUIA (Nicolás RL, Jaime
 * linked delegate and authorized), the six shipped example services in the catalog, COMFENALCO's CCF
 * role active with its three services; COMFAMA's active with its four unless `rolComfama: 'nunca'`
 * (its four are assigned anyway: the Ministry may assign before activating). Mails cleared.
 */
export async function world(o: WorldOptions = {}): Promise<World> {
  const s = setup();
  const catalogo: CatalogoDeps = { ...s.deps, openapi: reader };
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1036612345', 'maria.pena@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  await seedCitizen(s, 'CC', '72235734', 'nicolas.montoya@correo.com');
  await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
  expect(await ensureExampleServices(catalogo, EXAMPLE_SERVICES)).toBe(6);

  expect(await registerEmployer(s.deps, JOSE, registration({ delegado: DELEGADA_MARIA }), actor)).toMatchObject({ ok: true, value: { estado: 'activo' } });
  const comfenalco = (await s.deps.reference.findCompany(COMFENALCO_NIT))!;
  const r = await registerEmployer(
    s.deps,
    NICOLAS,
    { nit: COMFENALCO_NIT, razonSocial: comfenalco.razonSocial, naturaleza: naturalezaOf(comfenalco), delegado: DELEGADO_JAIME, sede: { ...SEDE, email: 'servicios.web@comfenalco.com.co' } },
    actor,
  );
  expect(r).toMatchObject({ ok: true, value: { estado: 'activo', delegado: 'vinculado' } });

  const autorizaciones: Record<string, Autorizacion> = {};
  const authorizeAt = async (key: string, by: string, nit: string, input: NuevoAutorizado) => {
    s.clock.advance(MINUTE);
    const a = await authorize(s.deps, by, asRl(nit), nit, input, actor);
    if (!a.ok) throw new Error(a.error.code);
    autorizaciones[key] = a.value.autorizacion;
  };
  await authorizeAt('andres', JOSE, COMFAMA_NIT, NUEVO_ANDRES);
  await authorizeAt('jaime', NICOLAS, COMFENALCO_NIT, NUEVO_JAIME);
  for (const who of o.tambien ?? []) await authorizeAt(who, JOSE, COMFAMA_NIT, who === 'maria' ? NUEVO_MARIA : NUEVO_DIANA);

  s.clock.advance(MINUTE);
  expect(await setCcfRole(s.deps, ADMIN, COMFENALCO_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
  expect(await assignServices(s.deps, ADMIN, COMFENALCO_NIT, COMFENALCO_SERVICES, actor)).toMatchObject({ ok: true });
  if ((o.rolComfama ?? 'activo') === 'activo') expect(await setCcfRole(s.deps, ADMIN, COMFAMA_NIT, true, 'Cadena verificada', actor)).toMatchObject({ ok: true });
  expect(await assignServices(s.deps, ADMIN, COMFAMA_NIT, COMFAMA_SERVICES, actor)).toMatchObject({ ok: true });
  s.clock.advance(MINUTE);
  s.mailer.sent.length = 0;
  return { ...s, catalogo, autorizaciones };
}

/** `who` accepts the terms in force for the CCF `nit` (Andrés for COMFAMA by default). */
export async function accept(s: Setup, who = ANDRES, nit = COMFAMA_NIT, vigentes = VIGENTES): Promise<DecisionTerminos> {
  const r = await decideTerms(s.deps, who, asCcf(nit), vigentes, 'acepto', actor);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}

// ------------------------------------------------------------------------------ Compartir Servicios Entidad

/** A ConnectionTester that records what it was asked and answers what the test sets (default: both stages ok). */
export function recordingTester(): ConnectionTester & { calls: PruebaConexion[]; answer(r: ResultadoPrueba): void } {
  const calls: PruebaConexion[] = [];
  let next: ResultadoPrueba = { token: { ok: true, status: 200, ms: 12, bytes: 320 }, servicio: { ok: true, status: 200, ms: 34, bytes: 2048 } };
  return {
    calls,
    answer(r) {
      next = r;
    },
    async test(p) {
      calls.push(p);
      return next;
    },
  };
}

/** The deps of domain/compartir.ts over a world: a fresh secret box (random key) and a recording tester. */
export function sharingDeps(s: Setup): CompartirDeps & { readonly secrets: SecretBox; readonly tester: ReturnType<typeof recordingTester> } {
  return { ...s.deps, secrets: createSecretBox(randomBytes(32)), tester: recordingTester() };
}

/** A real EC P-256 public key, as the form's inspection describes it (the use cases keep it as given). */
export const LLAVE: LlavePublica = (() => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const huella = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  return { clase: 'llave', tipo: 'EC P-256', bits: 256, huella, pem: String(publicKey.export({ type: 'spki', format: 'pem' })) };
})();

/** "Datos del servicio web" as the form gives them. */
export const DATOS: Omit<DatosServicioCompartido, 'guardadoEn'> = {
  descripcion: 'Consulta de afiliados de la Caja por documento',
  url: 'https://api.comfama.com.co/afiliados/consulta',
  metodo: 'POST',
  llave: LLAVE,
  ejemplo: JSON.stringify({ tipoDocumento: 'CC', numeroDocumento: '1017234567' }, null, 2),
};

/** The plain secrets of the OAuth 2.0 form used by these tests: none may be found where it should not be. */
export const PASSWORD = 'Pw-oauth-Comfama-7731';
export const CLIENT_SECRET = 'cs-8f3b2a91-Comfama-secreto';

/** "Credenciales OAuth 2.0" as the form gives them: password and Client Secret sealed with `secrets`. */
export function credenciales(secrets: SecretBox, over: Partial<Omit<CredencialesNuevas, 'passwordSellada' | 'clientSecretSellado'>> & { password?: string; clientSecret?: string } = {}): CredencialesNuevas {
  const { password = PASSWORD, clientSecret = CLIENT_SECRET, ...rest } = over;
  return {
    nombreToken: 'TokenAfiliados',
    tokenUrl: 'https://auth.comfama.com.co/oauth/token',
    username: 'minsalud.integracion',
    passwordSellada: secrets.seal(password),
    clientId: 'minsalud-afiliados',
    clientSecretSellado: secrets.seal(clientSecret),
    scope: 'afiliados.consulta',
    ...rest,
  };
}
