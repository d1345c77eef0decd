/**
 * Forms of Compartir Servicios Entidad — "Datos del servicio web" and "Credenciales OAuth 2.0", each
 * saved on its own and kept as a draft — and of Asignar contraseña. The rules are domain parsers
 * (domain/compartir-campos.ts); the texts are templates/es/formularios/<id>.json.
 */
import {
  EJEMPLO_MAX_BYTES,
  LLAVE_MAX_BYTES,
  avisoLlave,
  diasParaVencer,
  inspectPublicKey,
  parseClientId,
  parseServiceExample,
  parseHttpMethod,
  parsePublicKeyPem,
  parseScope,
  pemOfFile,
  utf8,
  parseSecretText,
  parseServiceIdentifier,
  parseServiceUrl,
  parseTokenName,
  parseUsername,
  readPublicKey,
  type LlaveError,
  type UrlFieldOptions,
} from '../../domain/compartir-campos.js';
import { parseProse } from '../../domain/fields.js';
import { checkPasswordPolicy, MIN_PASSWORD_LENGTH, type PasswordReason } from '../../domain/password.js';
import { err, fail, ok, type Result } from '../../domain/result.js';
import { METHODS_WITH_BODY, type DatosServicioCompartido, type HttpMethod, type LlavePublica } from '../../domain/servicios-web.js';
import { fill, messages } from '../../templates/render.js';
import { formTexts, isSealed, type FieldFailure, type FormSpec, type SealedValue } from '../form/form-spec.js';

export const SERVICIO_DATOS_FORM_ID = 'servicio-compartido-datos';
export const SERVICIO_OAUTH_FORM_ID = 'servicio-compartido-oauth';
export const CLAVE_SERVICIOS_FORM_ID = 'clave-servicios';

// ---------------------------------------------------------------- Datos del servicio web

export interface ServicioDatosValues {
  /** The identifier (SERVICIO_ID rule). */
  nombre: string;
  descripcion: string;
  /** Normalized https URL. */
  url: string;
  metodo: HttpMethod;
  /** The public key or certificate chain as normalized PEM (a draft keeps plain text); see datosServicio. */
  llave: string;
  /** The example body, JSON formatted with 2 spaces. */
  ejemplo: string;
}

/**
 * The identifier (any case) of another service the CCF already shares under that name, if any;
 * `context` is FormOptions.context (e.g. { nit, editando }).
 */
export type SharedNameTaken = (nombre: string, context: Readonly<Record<string, string>> | undefined) => Promise<string | undefined>;

export interface ServicioDatosOptions extends UrlFieldOptions {
  /** The clock of the review's warning on a certificate about to expire (no warning without it). */
  readonly now?: () => Date;
}

interface Presentacion {
  readonly llave: string;
  readonly 'ejemplo-recortado': string;
  readonly 'ejemplo-sin-cuerpo': string;
}
const presentacion = (): Presentacion => messages<{ presentacion: Presentacion }>(`formularios/${SERVICIO_DATOS_FORM_ID}`).presentacion;

const BOGOTA_DAY = new Intl.DateTimeFormat('es-CO', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'America/Bogota' });
const day = (iso: string | undefined) => (iso ? BOGOTA_DAY.format(new Date(iso)) : undefined);

/** "RSA 2048 bits · huella SHA-256 AB:CD:… · válido del 01/12/2026 al 01/12/2027", with the expiry warning when `now` is given. */
export function describeLlave(llave: LlavePublica, now?: Date): string {
  const aviso = now ? avisoLlave(llave, now) : undefined;
  return fill(presentacion().llave, {
    tipo: llave.tipo,
    bits: llave.bits,
    huella: llave.huella,
    desde: day(llave.desde),
    hasta: day(llave.hasta),
    sujeto: llave.sujeto,
    certificados: llave.certificados,
    cadena: (llave.certificados ?? 1) > 1,
    aviso: aviso !== undefined,
    dias: now ? diasParaVencer(llave, now) : undefined,
  });
}

/** Lines of the example shown in the review before it is cut. */
export const EJEMPLO_REVISION_LINEAS = 20;

/**
 * The example as the review shows it: formatted, cut after EJEMPLO_REVISION_LINEAS lines; `{}` of a
 * request without a body (GET, DELETE) says so.
 */
export function describeEjemplo(json: string, values: Partial<Pick<ServicioDatosValues, 'metodo'>> = {}): string {
  if (json.trim() === '{}' && values.metodo && !METHODS_WITH_BODY.has(values.metodo)) return fill(presentacion()['ejemplo-sin-cuerpo'], { metodo: values.metodo });
  const lines = json.split('\n');
  if (lines.length <= EJEMPLO_REVISION_LINEAS) return json;
  const kb = Math.max(1, Math.round(new TextEncoder().encode(json).length / 1024));
  return `${lines.slice(0, EJEMPLO_REVISION_LINEAS).join('\n')}\n${fill(presentacion()['ejemplo-recortado'], { lineas: lines.length, kb })}`;
}

/**
 * "Datos del servicio web" (manual step 2). The identifier is checked as soon as it is given
 * (validateAfter): one the CCF already shares is asked again before the rest.
 */
export function servicioDatosForm(taken: SharedNameTaken, options: ServicioDatosOptions = {}): FormSpec<ServicioDatosValues> {
  const url = parseServiceUrl(options);
  return {
    id: SERVICIO_DATOS_FORM_ID,
    fields: [
      { key: 'nombre', parse: parseServiceIdentifier },
      { key: 'descripcion', parse: parseProse(5, 300), prose: true },
      { key: 'url', parse: url },
      { key: 'metodo', parse: parseHttpMethod },
      {
        key: 'llave',
        parse: parsePublicKeyPem,
        retractOn: ['llave.privada'], // a private key pasted in the chat leaves it, as a typed password does
        // A certificate chain is longer than an ordinary answer; the parser refuses more than LLAVE_MAX_BYTES.
        maxLength: 2 * LLAVE_MAX_BYTES,
        archivo: { maxBytes: 2 * LLAVE_MAX_BYTES, text: pemOfFile },
        multiline: true,
        display: (pem) => {
          const r = readPublicKey(pem);
          return r.ok ? describeLlave(r.value.llave, options.now?.()) : pem;
        },
      },
      // Up to EJEMPLO_MAX_BYTES once compacted; formatted text with spaces is longer.
      {
        key: 'ejemplo',
        parse: parseServiceExample,
        // A GET or DELETE request has no body: the question says so and offers {}.
        textData: (v): Record<string, string> => (v.metodo && !METHODS_WITH_BODY.has(v.metodo) ? { sinCuerpo: v.metodo } : {}),
        display: describeEjemplo,
        maxLength: 3 * EJEMPLO_MAX_BYTES,
        archivo: { maxBytes: 3 * EJEMPLO_MAX_BYTES, text: utf8 },
        multiline: true,
      },
    ],
    validateAfter: 'nombre',
    draft: true,
    async validate(values, ctx) {
      const existing = await taken(values.nombre, ctx.context);
      if (existing) return { field: 'nombre', code: 'compartido.existe', detail: { nombre: existing } };
      // Editing a service: its name stays (another spelling of it is the same service).
      const editando = ctx.context?.['editando'];
      return editando && values.nombre.toLowerCase() !== editando.toLowerCase() ? { field: 'nombre', code: 'compartido.renombrar', detail: { nombre: editando } } : undefined;
    },
  };
}

/** What saveServiceData takes, from the form's values: the key inspected again at `now` (it may have expired since the draft). */
export function datosServicio(
  values: ServicioDatosValues,
  now: Date,
): Result<{ nombre: string; datos: Omit<DatosServicioCompartido, 'guardadoEn'>; aviso?: 'vence_pronto' }, LlaveError> {
  const inspected = inspectPublicKey(values.llave, now);
  if (!inspected.ok) return err(inspected.error);
  const { nombre, descripcion, url, metodo, ejemplo } = values;
  const { llave, aviso } = inspected.value;
  return ok({ nombre, datos: { descripcion, url, metodo, llave, ejemplo }, ...(aviso ? { aviso } : {}) });
}

// ---------------------------------------------------------------- Credenciales OAuth 2.0

export interface ServicioOAuthValues {
  nombreToken: string;
  /** Normalized https URL of the authorization (token) service. */
  tokenUrl: string;
  /** '' when omitted: the token is then requested with client credentials (and the password is not used). */
  username: string;
  /** Sealed by the engine; asked (and present) only with a username. */
  password?: SealedValue;
  clientId: string;
  clientSecret: SealedValue;
  /** '' when omitted. */
  scope: string;
}

/**
 * "Credenciales OAuth 2.0" (manual step 3): the password and the Client Secret only through masked
 * inputs. `ministryClientId` tells a Client ID the Ministry gave (Información del servicio), which is
 * asked again as soon as it is typed: here goes the one the CCF's own authorization server gives.
 */
export function servicioOAuthForm(options: UrlFieldOptions = {}, ministryClientId?: (clientId: string) => Promise<boolean>): FormSpec<ServicioOAuthValues> {
  return {
    id: SERVICIO_OAUTH_FORM_ID,
    fields: [
      { key: 'nombreToken', parse: parseTokenName, chosen: true },
      { key: 'tokenUrl', parse: parseServiceUrl(options) },
      { key: 'username', parse: parseUsername, optional: true },
      // Only with a username (the password grant); without one ('' = omitted) the token is asked with
      // client credentials. While the username is being corrected (absent) the password stays.
      { key: 'password', parse: parseSecretText, secret: true, when: (v) => v.username !== '' },
      { key: 'clientId', parse: parseClientId },
      { key: 'clientSecret', parse: parseSecretText, secret: true },
      { key: 'scope', parse: parseScope, optional: true },
    ],
    draft: true,
    validateAfter: 'clientId',
    async validate(values) {
      return (await ministryClientId?.(values.clientId)) ? { field: 'clientId', code: 'client_id.del_ministerio' } : undefined;
    },
  };
}

// ---------------------------------------------------------------- Asignar contraseña

export interface ClaveServiciosValues {
  clave: SealedValue;
  /** The same password again (not listed in a review). */
  confirmacion: SealedValue;
}

/** Whose data the password must not contain. */
export interface PersonaClave {
  readonly numeroDocumento: string;
  readonly nombres: readonly string[];
}

export interface ClaveServiciosDeps {
  /** Opens a sealed value (SecretBox.open): the two passwords are compared and checked in the clear, in memory only. */
  open(sealed: string): string;
  /** The person assigning the password (ValidateContext.citizenId, else FormOptions.context.citizenId). */
  persona(citizenId: string): Promise<PersonaClave | undefined>;
}

/** The policy's reasons, plus the CCF's own: its NIT ('clave.nit') and the words of its name ('clave.entidad'). */
export type ClaveReason = PasswordReason | 'clave.nit' | 'clave.entidad';

/** The reasons `clave` is refused for this person and CCF (FormOptions.context: { nit, razonSocial }), in the policy's order. */
export function claveReasons(clave: string, persona: PersonaClave | undefined, ccf: Readonly<Record<string, string>> | undefined): ClaveReason[] {
  const reasons: ClaveReason[] = checkPasswordPolicy(clave, persona ?? { numeroDocumento: '', nombres: [] });
  if (ccf?.['nit'] || ccf?.['razonSocial']) {
    const entity = checkPasswordPolicy(clave, { numeroDocumento: ccf['nit'] ?? '', nombres: ccf['razonSocial'] ? [ccf['razonSocial']] : [] });
    if (entity.includes('clave.documento')) reasons.push('clave.nit');
    if (entity.includes('clave.nombre')) reasons.push('clave.entidad');
  }
  return reasons;
}

/**
 * "Asignar contraseña": the new password, then the same again, through masked inputs. As soon as the
 * password is given (validateAfter) the policy of the account pages is checked — every reason said at
 * once — before the confirmation is asked; the confirmation must be the same password (its parser, and
 * `validate` again when both came in one card). No review, no draft: both fields are secret.
 */
export function claveServiciosForm(deps: ClaveServiciosDeps): FormSpec<ClaveServiciosValues> {
  const plain = (v: unknown) => (isSealed(v) ? deps.open(v.$sealed) : undefined);
  const spec: FormSpec<ClaveServiciosValues> = {
    id: CLAVE_SERVICIOS_FORM_ID,
    fields: [
      { key: 'clave', parse: parseSecretText, secret: true },
      {
        key: 'confirmacion',
        parse: (raw, ctx) => {
          const r = parseSecretText(raw, ctx);
          if (!r.ok) return r;
          return r.value === plain(ctx.values['clave']) ? r : fail('clave.no_coincide');
        },
        secret: true,
        inReview: false,
      },
    ],
    review: false,
    validateAfter: 'clave',
    async validate(values, ctx): Promise<FieldFailure<ClaveServiciosValues> | undefined> {
      const clave = plain(values.clave) ?? '';
      const citizenId = ctx.citizenId ?? ctx.context?.['citizenId'];
      const persona = citizenId ? await deps.persona(citizenId) : undefined;
      const [first, ...rest] = claveReasons(clave, persona, ctx.context);
      if (first) {
        const motivos = formTexts(spec).motivos ?? {};
        const detail = { minimo: MIN_PASSWORD_LENGTH };
        const tambien = rest.map((code) => fill(motivos[code] ?? '', detail)).join(' ');
        return { field: 'clave', code: first, detail: { ...detail, ...(tambien ? { tambien } : {}) } };
      }
      // A confirmation that came in the same card as a refused password was compared with that one.
      if (values.confirmacion !== undefined && plain(values.confirmacion) !== clave) return { field: 'confirmacion', code: 'clave.no_coincide' };
      return undefined;
    },
  };
  return spec;
}
