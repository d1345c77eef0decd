/** Reference people in tests: seeded as registered citizens, or typed into the basic-data card. */
import type { BasicData, Citizen } from '../../domain/citizens.js';
import { documentKey } from '../../domain/citizens.js';
import { passwordHasher } from '../../storage/password-hasher.js';
import type { Store } from '../../domain/ports.js';
import type { ReferencePerson } from '../../domain/reference.js';

/** A reference person's basic data, as a citizen record holds it (a missing second name or surname is ''). */
export function basicData(p: ReferencePerson): BasicData {
  return {
    tipoDocumento: p.tipoDocumento,
    numeroDocumento: p.numeroDocumento,
    primerNombre: p.primerNombre,
    segundoNombre: p.segundoNombre ?? '',
    primerApellido: p.primerApellido,
    segundoApellido: p.segundoApellido ?? '',
    fechaNacimiento: p.fechaNacimiento,
    fechaExpedicion: p.fechaExpedicion,
    sexo: p.sexo,
  };
}

/** Puts a person in the store as if they had registered and activated their account. */
export async function seedActiveCitizen(store: Store, p: ReferencePerson, email: string, password: string, now = new Date()): Promise<Citizen> {
  const citizen: Citizen = {
    id: documentKey(p.tipoDocumento, p.numeroDocumento),
    ...basicData(p),
    email,
    celular: '3001234567',
    estado: 'activo',
    passwordHash: await passwordHasher.hash(password),
    creadoEn: now.toISOString(),
    activadoEn: now.toISOString(),
    loginFallidos: 0,
  };
  await store.transaction((tx) => tx.collection('citizens').put(citizen));
  return citizen;
}

/** What the basic-data card of Registro ciudadano submits for `p` (every field a string), with `overrides` typed instead. */
export function basicDataCard(p: ReferencePerson, overrides: Partial<Record<keyof BasicData, string>> = {}): Record<string, string> {
  return { __form: 'registro-datos-basicos', ...basicData(p), ...overrides };
}

/** A minimal PDF with `pages` pages (what the RUT check reads: the signature and the page objects). */
export function pdfBytes(pages = 3, padTo = 0): Uint8Array {
  const objs = Array.from({ length: pages }, (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj`).join('\n');
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count ${pages} >> endobj\n${objs}\n%%EOF\n`;
  const bytes = Buffer.from(body);
  return padTo > bytes.length ? Buffer.concat([bytes, Buffer.alloc(padTo - bytes.length, 0x20)]) : bytes;
}
