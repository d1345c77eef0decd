import type { AccountToken, Citizen, IdentityCheck } from './citizens.js';
import type { Autorizacion, RolCcf } from './autorizaciones.js';
import type { EmployerRole } from './employers.js';
import type { AccionMinisterio, AsignacionServicio, ClaveServiciosCcf, DecisionTerminos, Especificacion, ServicioCompartido, ServicioVisto, ServicioWeb } from './servicios-web.js';
import type { AccionMesa, ActorConocido, CasoMesa, ProgresoPersona } from './mesa-tipos.js';
import type { Result } from './result.js';

/**
 * Ports: what the domain needs from the outside world. Adapters live in storage/ and mail/;
 * only bot/ (the composition root) chooses them.
 */

/** Time source; injected so that tests run on a fake clock. */
export interface Clock {
  now(): Date;
}

/** Randomness; seeded in tests, crypto-backed in production. */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A new array with the items in random order. */
  shuffle<T>(items: readonly T[]): T[];
  /** An unguessable URL-safe token (base64url) of `bytes` random bytes. */
  token(bytes?: number): string;
}

// ---------------------------------------------------------------- storage

/** A stored record: every aggregate has a string id. */
export interface Entity {
  readonly id: string;
}

/** One audit event: who did what, when, through which channel. Never holds secrets. */
export interface AuditEvent extends Entity {
  readonly at: string; // ISO-8601
  readonly actor: string; // a pseudonymous actor reference, never a full document number
  readonly action: string; // e.g. "conversation.started"
  readonly channel: string; // "webchat", "msteams", "system", ...
  readonly subject?: string; // what the action was about (masked reference)
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Which person an audit event is about (Mesa de ayuda's history of one person): audit subjects are
 * masked and collide ("CC *****456"), so audit() writes one of these per person it is told of.
 * Holds the document key ("CC:70123456"), like every other record keyed by person; never in the event.
 */
export interface AuditoriaPersona extends Entity {
  /** `${eventoId}|${persona}`. */
  readonly id: string;
  readonly eventoId: string;
  /** The person's document key. */
  readonly persona: string;
  readonly en: string; // ISO-8601, the event's `at`
}

/**
 * A form's answers saved to be resumed later (domain/drafts.ts), one per owner and form. Declared
 * here, like AuditEvent, because the use-case module imports this file. Never holds secrets.
 */
export interface Draft extends Entity {
  readonly owner: string; // the citizen id of the person
  readonly formId: string;
  readonly values: Readonly<Record<string, DraftValue>>;
  /** Keys in the order they were answered. */
  readonly history: readonly string[];
  readonly savedAt: string; // ISO-8601
}
export type DraftValue = string | number | boolean | null;

/**
 * A person's request to correct or delete their personal data ("Mis datos", Ley 1581 de 2012): a case
 * for the helpdesk (domain/mis-datos.ts). Declared here, like Draft, because that module imports this file.
 */
export interface SolicitudDatos extends Entity {
  /** The citizen id of the person; a pseudonym once their data was deleted. */
  readonly citizenId: string;
  readonly tipo: 'correccion' | 'eliminacion';
  readonly descripcion: string;
  readonly creadaEn: string; // ISO-8601
  readonly estado: 'abierta' | 'atendida';
}

/**
 * The recent "Probar conexión" runs of one CCF (domain/compartir.ts), by NIT: when each of those
 * within the last minute started (ms since the epoch), pruned at every write. In the store, not in
 * memory, so that every instance on a shared database counts the same runs.
 */
export interface PruebasRecientes extends Entity {
  readonly en: readonly number[];
}

/**
 * The collections the domain stores, by name. Each later process adds its aggregates here;
 * `unique` lists the fields whose values may appear at most once in the collection.
 */
export interface Collections {
  audit: AuditEvent;
  /** Which persons each audit event is about (by document key), for the exact history of one person. */
  auditoriaPersonas: AuditoriaPersona;
  citizens: Citizen;
  accountTokens: AccountToken;
  identityChecks: IdentityCheck;
  /** Employer roles ("Rol empleador persona jurídica"), by NIT. */
  employers: EmployerRole;
  /** Form answers saved to be resumed later, by owner and form. */
  drafts: Draft;
  /** Requests to correct or delete one's personal data ("Mis datos"), cases for the helpdesk. */
  solicitudesDatos: SolicitudDatos;
  /** Persons authorized by a company's RL or delegate ("Administrar autorizados"). */
  autorizaciones: Autorizacion;
  /** The Ministry's activation of the rol "Caja de Compensación Familiar", by NIT. */
  rolesCcf: RolCcf;
  /** The Ministry's catalog of external web services, by identifier. */
  servicios: ServicioWeb;
  /** Services assigned to CCFs, each with its Client ID. */
  asignaciones: AsignacionServicio;
  /** What each MinSalud administrator did ("Mis acciones recientes"). */
  accionesMinisterio: AccionMinisterio;
  /** "Acepto" / "No acepto" of the web services' terms, per person, CCF and version. */
  decisionesTerminos: DecisionTerminos;
  /** The services of a CCF its people looked at, by `${nit}:${servicioId}`. */
  serviciosVistos: ServicioVisto;
  /** The services a CCF shares with the Ministry (Compartir Servicios Entidad), by `${nit}:${nombre}`. */
  serviciosCompartidos: ServicioCompartido;
  /** Each CCF's password for the web services (hash only), by NIT. */
  clavesServicios: ClaveServiciosCcf;
  /** Each CCF's connection tests of the last minute ("Probar conexión"'s limit), by NIT. */
  pruebasConexion: PruebasRecientes;
  /** Where each person is in their process (Mesa de ayuda), by document key; never typed values. */
  progreso: ProgresoPersona;
  /** Handoff cases ("hablar con un asesor"). */
  casosMesa: CasoMesa;
  /** What each helpdesk agent did ("Mis casos"). */
  accionesMesa: AccionMesa;
  /** Which person an audit actor reference belongs to (recorded at login). */
  actoresConocidos: ActorConocido;
}
export type CollectionName = keyof Collections;

export const UNIQUE_FIELDS: { readonly [N in CollectionName]: readonly (keyof Collections[N] & string)[] } = {
  audit: [],
  auditoriaPersonas: [],
  citizens: ['email'],
  accountTokens: [],
  identityChecks: [],
  employers: [],
  drafts: [],
  solicitudesDatos: [],
  autorizaciones: [],
  rolesCcf: [],
  servicios: [],
  asignaciones: ['clientId'],
  accionesMinisterio: [],
  decisionesTerminos: [],
  serviciosVistos: [],
  serviciosCompartidos: [],
  clavesServicios: [],
  pruebasConexion: [],
  progreso: [],
  casosMesa: ['numero'],
  accionesMesa: [],
  actoresConocidos: [],
};

/** Thrown when a write would break a unique field; use cases check first, this is the safety net. */
export class UniqueViolation extends Error {
  constructor(
    readonly collection: string,
    readonly field: string,
  ) {
    super(`unique violation on ${collection}.${field}`);
    this.name = 'UniqueViolation';
  }
}

/** A field of one of a record's object fields, as findBy names it: "delegado.citizenId". */
export type NestedField<T> = {
  [K in keyof T & string]: NonNullable<T[K]> extends readonly unknown[] ? never : NonNullable<T[K]> extends object ? `${K}.${keyof NonNullable<T[K]> & string}` : never;
}[keyof T & string];

/** Repository of one collection, inside a transaction. */
export interface Repository<T extends Entity> {
  get(id: string): Promise<T | undefined>;
  /**
   * Records whose `field` equals `value` (strict equality on the stored JSON value), in insertion
   * order. `field` may name a field of an object field ("delegado.citizenId"); an absent object
   * reads as an absent field.
   */
  findBy<K extends keyof T & string>(field: K, value: T[K]): Promise<T[]>;
  findBy(field: NestedField<T>, value: string | number | boolean | null | undefined): Promise<T[]>;
  /** All records, in insertion order. */
  list(): Promise<T[]>;
  /** Insert or replace by id. Throws UniqueViolation when a unique field clashes. */
  put(record: T): Promise<void>;
  /** True when something was deleted. */
  delete(id: string): Promise<boolean>;
}

/** The unit of work: every read and write of one use case goes through one transaction. */
export interface Tx {
  collection<N extends CollectionName>(name: N): Repository<Collections[N]>;
}

/** How a transaction's writes reach the disk before it resolves. */
export interface TransactionOptions {
  /**
   * 'relaxed': written before the transaction resolves (a crash of the process loses nothing) but
   * not flushed to the device (a power loss may lose it; PostgreSQL: synchronous_commit off). Only
   * for records that are an aid, never something the chat says was saved: the helpdesk's record of
   * where a person is. A later durable transaction flushes it too.
   *
   * 'deferred': as 'relaxed' until `Store.sync()`, which flushes it: for what the chat says is saved
   * only after a sync (a form's drafts, written at every answer, said to be kept when the person
   * asks for help, cancels or lists them). PostgreSQL commits it durably at once.
   */
  readonly durability?: 'relaxed' | 'deferred';
}

/**
 * The transactional store. `transaction` runs `work` atomically: all of its writes are durable
 * (on disk / committed) when the returned promise resolves (unless `options` relax that), and none
 * are when `work` throws.
 */
export interface Store {
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Resolves once the writes of every transaction resolved before the call are durable, 'deferred' (and 'relaxed') ones too. */
  sync(): Promise<void>;
  /** Throws when the store cannot serve requests. */
  health(): Promise<void>;
  /** Waits for pending writes and releases resources. */
  close(): Promise<void>;
}

/**
 * Key-value storage for conversation state (the shape of botbuilder's `Storage`, without
 * importing it). Items may carry an `eTag`: a write whose eTag is neither `*` nor the stored
 * one is rejected (optimistic concurrency); every write gets a new eTag.
 */
export interface StateItems {
  [key: string]: any;
}
export interface StateStore {
  read(keys: string[]): Promise<StateItems>;
  write(changes: StateItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /**
   * Optional, for callers that tell a changed item by its JSON (bot/lean-state.ts): one item as
   * `read` would give it, as its JSON without the eTag, and the eTag; undefined when there is none.
   */
  readJson?(key: string): Promise<{ json: string; eTag: string | undefined } | undefined>;
  /**
   * Optional, the other half: writes one item given as its JSON without an eTag (`JSON.stringify` of
   * an object), under `write`'s eTag rule for `eTag`; resolves to the item's new eTag.
   */
  writeJson?(key: string, json: string, eTag: string | undefined): Promise<string>;
  /** Optional: puts away what is kept for later (the file store folds its journal into its files) when the assistant stops. */
  close?(): Promise<void>;
}

// ---------------------------------------------------------------- mail

/** An e-mail to send; the adapter renders `template` (subject, HTML and text) with `data`. */
export interface MailRequest {
  readonly to: string;
  /** Template key under templates/es/correo, e.g. "prueba" → prueba.asunto.hbs, prueba.html.hbs, prueba.txt.hbs. */
  readonly template: string;
  readonly data: Readonly<Record<string, unknown>>;
}
export interface SentMail {
  readonly messageId: string;
  /** Where the message went: an outbox file path, or "smtp". */
  readonly location: string;
}
export interface Mailer {
  send(mail: MailRequest): Promise<SentMail>;
  close?(): Promise<void>;
}

// ---------------------------------------------------------------- secrets

/** Symmetric encryption for secrets at rest (AES-256-GCM in the adapter). */
export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the sealed text was tampered with or sealed with another key. */
  open(sealed: string): string;
}

// ---------------------------------------------------------------- passwords

/**
 * Salted, slow password hashes (Argon2id in the adapter). The password itself is never stored.
 * `verify` is false for a wrong password and for a malformed or tampered hash (never throws for one).
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** True when `stored` was made by an older scheme or with other parameters: hash again at the next successful login. */
  outdated(stored: string): boolean;
  /** A hash of a discarded random password, with the current parameters: verified for unknown accounts so the answer takes as long. */
  readonly decoy: string;
}

// ---------------------------------------------------------------- logging

/**
 * Structured logging. Fields must never carry personal data or secrets: pass masked references
 * (the adapter also redacts known sensitive keys as a safety net).
 */
export type LogFields = Readonly<Record<string, unknown>>;
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

// ---------------------------------------------------------------- OpenAPI documents

/** One operation of an OpenAPI document. */
export interface OpenApiOperation {
  /** Upper case: GET, POST, PUT, PATCH, DELETE. */
  readonly metodo: string;
  readonly ruta: string;
  readonly operationId?: string;
  readonly resumen?: string;
  readonly descripcion?: string;
}

/** A document that a well-kept OpenAPI parser validated, with no external references. */
export interface OpenApiDocument {
  readonly especificacion: Especificacion;
  readonly formato: 'json' | 'yaml';
  readonly titulo: string;
  readonly version: string;
  readonly descripcion?: string;
  readonly operaciones: readonly OpenApiOperation[];
  /** The document as JSON text (what is stored and served). */
  readonly json: string;
}

export type OpenApiError =
  | { readonly code: 'OPENAPI.MUY_GRANDE'; readonly maxKb: number }
  /** Neither JSON nor YAML of an object. */
  | { readonly code: 'OPENAPI.FORMATO' }
  /** A $ref to another file or URL: never fetched, so the document is refused. */
  | { readonly code: 'OPENAPI.REF_EXTERNA'; readonly ref: string }
  /** The parser's reason, in Spanish. */
  | { readonly code: 'OPENAPI.INVALIDO'; readonly motivo: string };

/** Reads and validates an OpenAPI document (3.0, 3.1; Swagger 2.0 accepted) without fetching anything. */
export interface OpenApiReader {
  read(bytes: Uint8Array): Promise<Result<OpenApiDocument, OpenApiError>>;
}

// ---------------------------------------------------------------- files

/** Content-addressed file storage (uploaded RUTs): a file is named by the SHA-256 of its bytes. */
export interface BlobStore {
  /** Stores the bytes (idempotent: the same bytes give the same hash). */
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  /** The stored bytes, or undefined when there is no such file (or the hash is malformed). */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** Removes the file (retention); true when there was one. A malformed hash deletes nothing. */
  delete(sha256: string): Promise<boolean>;
}

// ---------------------------------------------------------------- Probar conexión (outbound)

/** What "Probar conexión" needs to call a CCF's shared service (secrets already opened, never logged). */
export interface PruebaConexion {
  readonly tokenUrl: string;
  /** 'password' when a username is given, else 'client_credentials'. */
  readonly grantType: 'password' | 'client_credentials';
  readonly username?: string;
  readonly password?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  readonly serviceUrl: string;
  readonly metodo: string;
  /** The example body (JSON text), sent to methods that take a body. */
  readonly cuerpo?: string;
}

/** The outcome of each stage, in plain terms (no secret, no response body beyond its size). */
export type EtapaPrueba =
  | { readonly ok: true; readonly status: number; readonly ms: number; readonly bytes: number }
  | {
      readonly ok: false;
      readonly motivo: 'url' | 'direccion' | 'dns' | 'conexion' | 'tls' | 'tiempo' | 'redireccion' | 'estado' | 'muy_grande' | 'token_rechazado' | 'token_invalido';
      readonly status?: number;
      readonly ms: number;
    };

export interface ResultadoPrueba {
  readonly token: EtapaPrueba;
  /** Absent when the token stage failed. */
  readonly servicio?: EtapaPrueba;
}

/** Requests a token and calls the service, guarded at connection time (bot/probar-conexion.ts). */
export interface ConnectionTester {
  test(prueba: PruebaConexion): Promise<ResultadoPrueba>;
}
