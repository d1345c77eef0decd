/**
 * Catálogo de servicios web (DESIGN §2 "Back office"): each service is one operation of an OpenAPI
 * document that a well-kept parser validated when it was added (OpenApiReader port); the document is
 * kept in the BlobStore. A MinSalud administrator adds a service from an attached document or retires
 * one. The assistant ships synthetic example services, seeded at start-up.
 */
import type { Actor } from './audit.js';
import { audit } from './audit.js';
import { motivoOf, recordAction, staffOnly, type MinisterioDeps, type MotivoError } from './ministerio.js';
import type { BlobStore, Clock, OpenApiDocument, OpenApiError, OpenApiOperation, OpenApiReader, Random, Store } from './ports.js';
import { err, ok, type Result } from './result.js';
import { HTTP_METHODS, type HttpMethod, type ServicioWeb } from './servicios-web.js';

export interface CatalogoDeps extends MinisterioDeps {
  readonly openapi: OpenApiReader;
}

export type CatalogoError =
  | { code: 'PERMISO.DENEGADO' }
  | MotivoError
  | OpenApiError
  /** The identifier must start with a letter and have only letters and digits (3 to 60). */
  | { code: 'SERVICIO.ID_INVALIDO' }
  /** A service needs a name and a short description. */
  | { code: 'SERVICIO.DATOS_INCOMPLETOS' }
  | { code: 'SERVICIO.YA_EXISTE'; id: string }
  | { code: 'SERVICIO.NO_EXISTE' }
  | { code: 'SERVICIO.YA_RETIRADO' }
  /** The chosen operation is not in the document (or its method is not one the catalog keeps). */
  | { code: 'SERVICIO.OPERACION_NO_EXISTE' };

export const SERVICIO_ID = /^[A-Za-z][A-Za-z0-9]{2,59}$/;

/** The largest OpenAPI document accepted (a real API's document is far smaller). */
export const OPENAPI_MAX_BYTES = 1024 * 1024;

/** A message that is an OpenAPI or Swagger document pasted as text (JSON or YAML), not words about one. */
export function isPastedOpenApi(text: string): boolean {
  const json = /^\s*\{[\s\S]*"(?:openapi|swagger)"\s*:/.test(text);
  const yaml = text.includes('\n') && /^(?:openapi|swagger)\s*:/m.test(text.trimStart());
  return json || yaml;
}

/** The services of the catalog, published first, then by identifier. */
export function listServices(deps: CatalogoDeps, citizenId: string, actor: Actor): Promise<Result<ServicioWeb[], CatalogoError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'servicios.catalogo', actor);
    if (!allowed.ok) return allowed;
    return ok(sortServices(await tx.collection('servicios').list()));
  });
}

export function sortServices(list: ServicioWeb[]): ServicioWeb[] {
  return list.sort((a, b) => (a.estado === b.estado ? 0 : a.estado === 'publicado' ? -1 : 1) || a.id.localeCompare(b.id));
}

/** A suggested identifier for an operation: its operationId in PascalCase, letters and digits only. */
export function suggestedId(op: OpenApiOperation): string {
  const base = (op.operationId ?? op.ruta)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  // Starts with a letter and is long enough to be an identifier the catalog accepts.
  return /^[A-Za-z]/.test(base) && base.length >= 3 ? base.slice(0, 60) : `Servicio${base}`.slice(0, 60);
}

const isMethod = (m: string): m is HttpMethod => (HTTP_METHODS as readonly string[]).includes(m);

/** The identifier of the catalog's service with this identifier in any case, if there is one. */
export function existingServiceId(deps: { readonly store: Store }, id: string): Promise<string | undefined> {
  return deps.store.transaction(async (tx) => (await tx.collection('servicios').list()).find((s) => s.id.toLowerCase() === id.toLowerCase())?.id);
}

/** Reads an attached document (nothing stored): what the administrator chooses the operation from. */
export async function readServiceDocument(deps: CatalogoDeps, citizenId: string, bytes: Uint8Array, actor: Actor): Promise<Result<OpenApiDocument, CatalogoError>> {
  const allowed = await deps.store.transaction((tx) => staffOnly(tx, deps, citizenId, 'servicios.catalogo', actor));
  if (!allowed.ok) return allowed;
  const read = await deps.openapi.read(bytes);
  if (!read.ok) return read;
  const operaciones = read.value.operaciones.filter((o) => isMethod(o.metodo));
  return operaciones.length ? ok({ ...read.value, operaciones }) : err({ code: 'SERVICIO.OPERACION_NO_EXISTE' });
}

export interface NuevoServicio {
  readonly id: string;
  readonly nombre: string;
  readonly descripcion: string;
  readonly metodo: string;
  readonly ruta: string;
}

async function storeService(
  deps: { readonly store: Store; readonly blobs: BlobStore; readonly clock: Clock },
  doc: OpenApiDocument,
  input: NuevoServicio,
  ejemplo: boolean,
): Promise<Result<ServicioWeb, CatalogoError>> {
  if (!SERVICIO_ID.test(input.id)) return err({ code: 'SERVICIO.ID_INVALIDO' });
  if (!input.nombre.trim() || !input.descripcion.trim()) return err({ code: 'SERVICIO.DATOS_INCOMPLETOS' });
  const metodo = input.metodo.toUpperCase();
  if (!isMethod(metodo) || !doc.operaciones.some((o) => o.metodo === metodo && o.ruta === input.ruta)) return err({ code: 'SERVICIO.OPERACION_NO_EXISTE' });
  const stored = await deps.blobs.put(new TextEncoder().encode(doc.json));
  const now = deps.clock.now().toISOString();
  const servicio: ServicioWeb = {
    id: input.id,
    nombre: input.nombre.trim(),
    descripcion: input.descripcion.trim(),
    metodo,
    ruta: input.ruta,
    version: doc.version,
    estado: 'publicado',
    documento: { sha256: stored.sha256, size: stored.size, formato: doc.formato, especificacion: doc.especificacion },
    ejemplo,
    creadoEn: now,
    actualizadoEn: now,
  };
  return ok(servicio);
}

/** Adds a service from an attached OpenAPI document (validated again here), one of its operations and its identifier. Audited. */
export async function addService(deps: CatalogoDeps, citizenId: string, bytes: Uint8Array, input: NuevoServicio, actor: Actor): Promise<Result<ServicioWeb, CatalogoError>> {
  const read = await readServiceDocument(deps, citizenId, bytes, actor);
  if (!read.ok) return read;
  // Identifiers are compared without case: "solicitudafiliacion" is the same service.
  const clash = await existingServiceId(deps, input.id);
  if (clash) return err({ code: 'SERVICIO.YA_EXISTE', id: clash });
  const built = await storeService(deps, read.value, input, false);
  if (!built.ok) return built;
  const sha = built.value.documento.sha256;
  const done = await deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'servicios.catalogo', actor);
    if (!allowed.ok) return { result: allowed, orphan: false };
    const all = await tx.collection('servicios').list();
    const again = all.find((s) => s.id.toLowerCase() === input.id.toLowerCase());
    // Added meanwhile by someone else: the document stored above is dropped unless a service refers to it.
    if (again) return { result: err({ code: 'SERVICIO.YA_EXISTE', id: again.id } as const), orphan: !all.some((s) => s.documento.sha256 === sha) };
    await tx.collection('servicios').put(built.value);
    await audit(tx, deps.clock, deps.random, actor, 'servicios.agregado', `servicio ${built.value.id}`, { metodo: built.value.metodo });
    await recordAction(tx, deps, citizenId, 'servicio_agregado', `${built.value.metodo} ${built.value.id}`);
    return { result: ok(built.value), orphan: false };
  });
  if (done.orphan) await deps.blobs.delete(sha);
  return done.result;
}

/** Retires a published service, with a reason: it is no longer offered for assignment (existing assignments stay). Audited. */
export function retireService(deps: CatalogoDeps, citizenId: string, id: string, motivo: string, actor: Actor): Promise<Result<ServicioWeb, CatalogoError>> {
  return deps.store.transaction(async (tx) => {
    const allowed = await staffOnly(tx, deps, citizenId, 'servicios.catalogo', actor);
    if (!allowed.ok) return allowed;
    const reason = motivoOf(motivo);
    if (!reason.ok) return reason;
    const current = await tx.collection('servicios').get(id);
    if (!current) return err({ code: 'SERVICIO.NO_EXISTE' } as const);
    if (current.estado === 'retirado') return err({ code: 'SERVICIO.YA_RETIRADO' } as const);
    const now = deps.clock.now().toISOString();
    const retired: ServicioWeb = { ...current, estado: 'retirado', actualizadoEn: now, retiro: { en: now, motivo: reason.value } };
    await tx.collection('servicios').put(retired);
    await audit(tx, deps.clock, deps.random, actor, 'servicios.retirado', `servicio ${id}`);
    await recordAction(tx, deps, citizenId, 'servicio_retirado', `${current.metodo} ${id}`, reason.value);
    return ok(retired);
  });
}

/** A shipped example: its document and which operation it is. */
export interface ExampleService {
  readonly bytes: Uint8Array;
  /** The operationId of the operation that is the service (also its identifier). */
  readonly operationId: string;
}

/**
 * Seeds the shipped example services (start-up): each document is validated like any other; a service
 * whose identifier exists is left as it is (the administrator may have retired it). Returns how many were added.
 */
export async function ensureExampleServices(
  deps: { readonly store: Store; readonly blobs: BlobStore; readonly clock: Clock; readonly random: Random; readonly openapi: OpenApiReader },
  examples: readonly ExampleService[],
): Promise<number> {
  let added = 0;
  for (const ex of examples) {
    // Identifiers are compared without case, as addService does: an administrator's "solicitudafiliacion" stays the only one.
    if (await existingServiceId(deps, ex.operationId)) continue;
    const read = await deps.openapi.read(ex.bytes);
    if (!read.ok) throw new Error(`example service ${ex.operationId}: ${JSON.stringify(read.error)}`);
    const op = read.value.operaciones.find((o) => o.operationId === ex.operationId);
    if (!op) throw new Error(`example service ${ex.operationId}: no such operation`);
    const built = await storeService(
      deps,
      read.value,
      { id: ex.operationId, nombre: op.resumen ?? read.value.titulo, descripcion: op.descripcion ?? read.value.descripcion ?? '', metodo: op.metodo, ruta: op.ruta },
      true,
    );
    if (!built.ok) throw new Error(`example service ${ex.operationId}: ${built.error.code}`);
    const put = await deps.store.transaction(async (tx) => {
      if (await tx.collection('servicios').get(ex.operationId)) return false;
      await tx.collection('servicios').put(built.value);
      return true;
    });
    if (put) added++;
  }
  return added;
}
