/**
 * The Ministry's catalog of external web services and their assignment to CCFs (DESIGN §2 "Back
 * office"), as stored. The use cases live in domain/catalogo.ts, domain/asignaciones.ts and
 * domain/rol-ccf.ts; this module has no imports of ports, so domain/ports.ts can name the aggregates.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** The methods whose request carries a body: the shared service's example is sent as it on «Probar conexión»; GET and DELETE carry none. */
export const METHODS_WITH_BODY: ReadonlySet<string> = new Set<HttpMethod>(['POST', 'PUT', 'PATCH']);

/** Which OpenAPI family a document belongs to. */
export type Especificacion = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';

/** The service's OpenAPI document, kept in the BlobStore by its SHA-256 (as parsed: JSON, no external references). */
export interface DocumentoOpenApi {
  readonly sha256: string;
  readonly size: number;
  /** How the administrator sent it. */
  readonly formato: 'json' | 'yaml';
  readonly especificacion: Especificacion;
}

/** One service of the catalog: one operation of an API ("POST SolicitudAfiliacion"). */
export interface ServicioWeb {
  /** The identifier (the manual's "SolicitudAfiliacion"): letters and digits, unique. */
  readonly id: string;
  readonly nombre: string;
  readonly descripcion: string;
  readonly metodo: HttpMethod;
  /** The operation's path in the document, e.g. "/afiliaciones/solicitudes". */
  readonly ruta: string;
  readonly version: string;
  readonly estado: 'publicado' | 'retirado';
  readonly documento: DocumentoOpenApi;
  /** Shipped with the assistant as a synthetic example (not an official service). */
  readonly ejemplo: boolean;
  readonly creadoEn: string;
  readonly actualizadoEn: string;
  readonly retiro?: { readonly en: string; readonly motivo: string };
}

export type EstadoAsignacion = 'activo' | 'suspendido' | 'revocado';

/** A service assigned to a CCF, with its own Client ID ("Información Servicio"). */
export interface AsignacionServicio {
  /** `${nit}:${servicioId}`: one assignment per CCF and service (a revoked one may be assigned again, with a new Client ID). */
  readonly id: string;
  readonly nit: string;
  readonly servicioId: string;
  /** Unique and unguessable. */
  readonly clientId: string;
  readonly estado: EstadoAsignacion;
  readonly creadoEn: string;
  readonly actualizadoEn: string;
  /** Every change of state, oldest first (the reason of a suspension or revocation). */
  readonly historial: readonly { readonly estado: EstadoAsignacion; readonly en: string; readonly motivo?: string }[];
}

/** What a MinSalud administrator did, for "Mis acciones recientes" (the audit log keeps no citizen ids). */
export interface AccionMinisterio {
  readonly id: string;
  /** The administrator's citizen id. */
  readonly por: string;
  readonly en: string;
  readonly accion:
    | 'rol_ccf_activado'
    | 'rol_ccf_desactivado'
    | 'servicio_agregado'
    | 'servicio_retirado'
    | 'servicio_asignado'
    | 'asignacion_suspendida'
    | 'asignacion_reactivada'
    | 'asignacion_revocada'
    | 'rut_aprobado'
    | 'rut_rechazado';
  /** What it was about, as shown to the administrator: a CCF's name, a service's identifier. */
  readonly sobre: string;
  readonly motivo?: string;
}

// ---------------------------------------------------------------- the authorized person's side (domain/servicios-ccf.ts)

/** The versions of the texts in force, by text id ("condiciones" → "1.0"): the templates publish them. */
export type Versiones = Readonly<Record<string, string>>;

/** One decision on the terms: what a person accepted or declined, for which CCF, when and through which channel. */
export interface DecisionTerminos {
  readonly id: string;
  readonly citizenId: string;
  readonly nit: string;
  readonly versiones: Versiones;
  readonly decision: 'acepto' | 'no_acepto';
  readonly en: string;
  readonly canal: string;
}

/** A service of a CCF someone of the CCF looked at (its documentation or its information), for the checklist. */
export interface ServicioVisto {
  /** `${nit}:${servicioId}` */
  readonly id: string;
  readonly nit: string;
  readonly servicioId: string;
  readonly primeraVez: string;
  readonly ultimaVez: string;
}

// ---------------------------------------------------------------- Compartir Servicios Entidad, Asignar contraseña (domain/compartir.ts)

/** A public key or certificate as inspected (never a private key: those are refused and not kept). */
export interface LlavePublica {
  /** 'certificado' (X.509, possibly a chain: the first is the entity's) or 'llave' (a bare public key). */
  readonly clase: 'certificado' | 'llave';
  /** "RSA", "EC P-256", "Ed25519"… */
  readonly tipo: string;
  /** Key size in bits (RSA modulus, EC curve size). */
  readonly bits?: number;
  /** SHA-256 fingerprint, upper-case hex pairs separated by ':'. */
  readonly huella: string;
  /** Certificate validity (ISO); absent for a bare key. */
  readonly desde?: string;
  readonly hasta?: string;
  /** The certificate's subject (CN…), for people to recognize it. */
  readonly sujeto?: string;
  /** How many certificates the PEM had (a chain). */
  readonly certificados?: number;
  /** The PEM text as given (public material only). */
  readonly pem: string;
}

/** "Datos del servicio web" (manual step 2). */
export interface DatosServicioCompartido {
  readonly descripcion: string;
  readonly url: string;
  readonly metodo: HttpMethod;
  readonly llave: LlavePublica;
  /** The example body, valid JSON, as formatted text (informative only). */
  readonly ejemplo: string;
  readonly guardadoEn: string;
}

/** "Credenciales OAuth 2.0" (manual step 3); the password and the Client Secret are sealed (SecretBox). */
export interface CredencialesOAuth {
  readonly nombreToken: string;
  readonly tokenUrl: string;
  readonly username: string;
  /** Sealed with the SecretBox; never shown, logged or audited. Only with a username (password grant). */
  readonly passwordSellada?: string;
  readonly clientId: string;
  /** Sealed with the SecretBox. */
  readonly clientSecretSellado: string;
  readonly scope: string;
  readonly guardadoEn: string;
}

/** A service of the CCF shared with the Ministry: incompleto until both forms are saved. */
export interface ServicioCompartido {
  /** `${nit}:${nombre}` */
  readonly id: string;
  readonly nit: string;
  /** The identifier ("ConsultaAfiliadosCaja"): letters and digits, unique per CCF. */
  readonly nombre: string;
  readonly datos?: DatosServicioCompartido;
  readonly credenciales?: CredencialesOAuth;
  /** The last "Probar conexión": when, and whether both the token and the call worked. */
  readonly ultimaPrueba?: { readonly en: string; readonly exito: boolean };
  readonly creadoEn: string;
  readonly actualizadoEn: string;
  /** The citizen id of who changed it last. */
  readonly por: string;
}

/** "Asignar contraseña": the CCF's password for the web services, kept only as a slow salted hash. */
export interface ClaveServiciosCcf {
  /** The CCF's NIT. */
  readonly id: string;
  readonly hash: string;
  readonly asignadaEn: string;
  /** The citizen id of who assigned it. */
  readonly por: string;
}
