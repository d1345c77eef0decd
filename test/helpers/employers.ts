/**
 * The employer role's domain tests share these: the real memory store and reference data, a staff
 * list, reference people (José is COMFAMA's RL), a well-formed RUT, and a registration to vary.
 */
import { expect } from 'vitest';
import type { Actor } from '../../domain/audit.js';
import { documentKey, type Citizen } from '../../domain/citizens.js';
import type { EmpleadorDeps, EmpleadorError } from '../../domain/empleador-common.js';
import { registerEmployer, type RegistroEmpleador } from '../../domain/empleador-registro.js';
import type { DelegateData, EmployerRole, Sede } from '../../domain/employers.js';
import type { BlobStore } from '../../domain/ports.js';
import { PERFIL_SERVICIOS, ROL_CAJA } from '../../domain/autorizaciones.js';
import type { NuevoAutorizado } from '../../domain/autorizados.js';
import { fakeClock, seededRandom } from '../../domain/random.js';
import type { DocumentType } from '../../domain/reference.js';
import { staffDirectory, type StaffDirectory } from '../../domain/staff.js';
import { createMemoryBlobStore } from '../../storage/blob-store.js';
import { defaultReferenceRegistry } from '../../storage/reference/registry.js';
import { recordingMailer } from './mailer.js';
import { trackedStore } from './store.js';
import { passwordHasher } from '../../storage/password-hasher.js';

// ------------------------------------------------------------------------------ test doubles

export const reference = defaultReferenceRegistry();
export const START = '2026-11-26T15:00:00.000Z';
export const DAY = 86_400_000;
export const actor: Actor = { ref: 'u-3c9e7d10', channel: 'webchat' };

function countingBlobs(): BlobStore & { puts: number } {
  const inner = createMemoryBlobStore();
  const blobs = {
    puts: 0,
    put: (bytes: Uint8Array) => {
      blobs.puts++;
      return inner.put(bytes);
    },
    get: (hash: string) => inner.get(hash),
    delete: (hash: string) => inner.delete(hash),
  };
  return blobs;
}

// Staff: an Administrador MinSalud and a Mesa de ayuda agent, neither related to COMFAMA.
export const ADMIN = 'CE:654321';
export const HELPDESK = 'CC:14770440';
const defaultStaff = staffDirectory({ admins: [ADMIN], helpdesk: [HELPDESK] });

export function setup(staff: StaffDirectory = defaultStaff) {
  const store = trackedStore();
  const clock = fakeClock(START);
  const mailer = recordingMailer(store);
  const blobs = countingBlobs();
  const deps: EmpleadorDeps = { store, reference, clock, random: seededRandom(11), mailer, passwords: passwordHasher, publicBaseUrl: 'https://asistente.example/', blobs, staff };
  return { deps, store, clock, mailer, blobs };
}
export type Setup = ReturnType<typeof setup>;

/** An active citizen account for a reference person, seeded directly (the registration has its own tests). */
export async function seedCitizen(s: Setup, tipo: DocumentType, numero: string, email: string, estado: Citizen['estado'] = 'activo'): Promise<string> {
  const p = await reference.findPerson(tipo, numero);
  if (!p) throw new Error(`no reference person ${tipo}`);
  const up = (x: string | undefined) => (x ?? '').toLocaleUpperCase('es-CO');
  const citizen: Citizen = {
    id: documentKey(tipo, numero),
    tipoDocumento: tipo,
    numeroDocumento: numero,
    primerNombre: up(p.primerNombre),
    segundoNombre: up(p.segundoNombre),
    primerApellido: up(p.primerApellido),
    segundoApellido: up(p.segundoApellido),
    fechaNacimiento: p.fechaNacimiento,
    fechaExpedicion: p.fechaExpedicion,
    sexo: p.sexo,
    email,
    celular: '3001234567',
    estado,
    ...(estado === 'activo' ? { passwordHash: 'scrypt$seeded', activadoEn: START } : {}),
    creadoEn: START,
    loginFallidos: 0,
  };
  await s.store.transaction((tx) => tx.collection('citizens').put(citizen));
  return citizen.id;
}

/** A minimal well-formed PDF with `pages` pages. */
export function pdf(pages: number): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i} 0 R`).join(' ');
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>');
  const body = objects.map((o, i) => `${i + 1} 0 obj\n${o}\nendobj\n`).join('');
  return Buffer.from(`%PDF-1.4\n${body}trailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

// ------------------------------------------------------------------------------ fixtures

export const JOSE = 'CC:70123456'; // RL of COMFAMA
export const CARLOS = ADMIN; // a citizen who is not COMFAMA's RL (and is an administrator)
export const MARIA = 'CC:1036612345'; // COMFAMA's delegate, not registered at first
export const ANDRES = 'CC:1017234567';
export const JAIME = 'CC:18054862'; // RL of two companies
export const COMFAMA_NIT = '890900841';

const COMFAMA: Pick<RegistroEmpleador, 'nit' | 'razonSocial' | 'naturaleza'> = {
  nit: COMFAMA_NIT,
  razonSocial: 'Caja de Compensacion Familiar de Antioquia Comfama',
  naturaleza: '2',
};
export const SEDE: Sede = {
  nombre: 'Sede principal',
  departamento: '05',
  municipio: '05001',
  direccion: 'Diagonal 8B # 11-3',
  telefono: '6045107000',
  email: 'servicios.web@comfama.com.co',
};
export const DELEGADA_MARIA: DelegateData = {
  tipoDocumento: 'CC',
  numeroDocumento: '1.036.612.345',
  primerNombre: 'maria',
  segundoNombre: 'FERNANDA',
  primerApellido: 'Pena',
  segundoApellido: 'Ochoa',
  email: 'maria.pena@comfama.com.co',
};
export const DELEGADO_ANDRES: DelegateData = {
  tipoDocumento: 'CC',
  numeroDocumento: '1017234567',
  primerNombre: 'ANDRÉS',
  segundoNombre: 'FELIPE',
  primerApellido: 'ZAPATA',
  segundoApellido: 'LONDOÑO',
  email: 'andres.zapata@comfama.com.co',
};
export const RUT_OK = { bytes: pdf(2), fechaExpedicion: '2026-06-01' };

/** Andrés as "Nuevo" authorizes him (rol CAJA DE SUBSIDIO FAMILIAR, perfil web services, main site), and others like him. */
export const NUEVO_ANDRES: NuevoAutorizado = {
  tipoDocumento: 'CC',
  numeroDocumento: '1017234567',
  primerNombre: 'Andrés',
  segundoNombre: 'Felipe',
  primerApellido: 'Zapata',
  segundoApellido: 'Londoño',
  email: 'andres.zapata@comfama.com.co',
  sede: { tipo: 'principal' },
  rol: ROL_CAJA,
  perfil: PERFIL_SERVICIOS,
};
export const NUEVO_MARIA: NuevoAutorizado = { ...NUEVO_ANDRES, numeroDocumento: '1036612345', primerNombre: 'María', segundoNombre: 'Fernanda', primerApellido: 'Peña', segundoApellido: 'Ochoa', email: 'maria.pena@comfama.com.co' };

export const registration = (over: Partial<RegistroEmpleador> = {}): RegistroEmpleador => ({ ...COMFAMA, delegado: DELEGADO_ANDRES, sede: SEDE, ...over });
export const roleOf = (s: Setup, nit = COMFAMA_NIT): Promise<EmployerRole | undefined> => s.store.transaction((tx) => tx.collection('employers').get(nit));
export const auditActions = async (s: Setup): Promise<string[]> => (await s.store.transaction((tx) => tx.collection('audit').list())).map((e) => e.action);
export const refused = (error: EmpleadorError) => ({ ok: false, error });

/** COMFAMA's RL and Andrés (a registered citizen) as accounts. */
export async function withPeople(s: Setup): Promise<void> {
  await seedCitizen(s, 'CC', '70123456', 'jose.restrepo@correo.com');
  await seedCitizen(s, 'CC', '1017234567', 'andres.zapata@correo.com');
  await seedCitizen(s, 'CE', '654321', 'carlos.briceno@correo.com');
  await seedCitizen(s, 'CC', '14770440', 'alejandro.ibanez@correo.com');
}

/** COMFAMA registered with data that does not match the RUT reference: pending review with a RUT. */
export async function pendingComfama(s: Setup): Promise<void> {
  await withPeople(s);
  const r = await registerEmployer(s.deps, JOSE, registration({ naturaleza: '1', rut: RUT_OK }), actor);
  expect(r).toMatchObject({ ok: true, value: { estado: 'pendiente_revision' } });
}
