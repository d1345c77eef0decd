/**
 * Field rules of Compartir Servicios Entidad (manual steps 2 and 3) and of Asignar contraseña: pure
 * parsers (raw text → Result<value, reason>) that dialogs/servicios/compartir.forms.ts uses. The public
 * key (domain/llave-publica.ts) and the example body (domain/ejemplo-json.ts) live in their own modules
 * and are re-exported here, so the forms read every rule from one place.
 */
import { SERVICIO_ID } from './catalogo.js';
import { saysItIsMissing } from './commands.js';
import { fold } from './text.js';
import { parseExampleJson } from './ejemplo-json.js';
import { isSkipAnswer, type FieldParser } from './fields.js';
import { checkPublicHttpsUrl, classifyIp, parseIp } from './net-rules.js';
import { fail, ok } from './result.js';
import { HTTP_METHODS, METHODS_WITH_BODY, type HttpMethod } from './servicios-web.js';

export {
  avisoLlave,
  containsPrivateKey,
  diasParaVencer,
  inspectPublicKey,
  LLAVE_AVISO_DIAS,
  LLAVE_MAX_BYTES,
  LLAVE_REASONS,
  parsePublicKey,
  parsePublicKeyPem,
  pemOfFile,
  readPublicKey,
  RSA_MIN_BITS,
  utf8,
  type LlaveError,
  type LlaveInspeccionada,
  type LlaveRefusal,
} from './llave-publica.js';
export { EJEMPLO_MAX_BYTES, EJEMPLO_MAX_PROFUNDIDAD, JSON_REASONS, parseExampleJson } from './ejemplo-json.js';

// ---------------------------------------------------------------- identifier

/**
 * The shared service's identifier ("ConsultaAfiliadosCaja"): the catalog's rule (SERVICIO_ID). A refusal
 * proposes what the words likely meant when that is a valid identifier (`propuesta`: "consulta de
 * afiliación" → "ConsultaDeAfiliacion"), so the person does not have to work out the rule.
 */
export const parseServiceIdentifier: FieldParser<string> = (raw) => {
  const id = raw.trim();
  if (!id) return fail('empty');
  if (SERVICIO_ID.test(id)) return ok(id);
  const propuesta = identifierFrom(id);
  return fail('servicio.id', propuesta ? { propuesta } : {});
};

/**
 * The words of `text` joined, each with a capital letter, without accents; undefined when the text is
 * more than a few words with spaces, hyphens, underscores or dots between them, or the result is no identifier.
 */
function identifierFrom(text: string): string | undefined {
  if (text.length > 120 || !/^[\p{L}\p{N} ._-]+$/u.test(text)) return undefined;
  const parts = text.normalize('NFD').replace(/\p{M}/gu, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (parts.length > 6) return undefined;
  const joined = parts.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return SERVICIO_ID.test(joined) ? joined : undefined;
}

// ---------------------------------------------------------------- URLs

/** Longest URL accepted (a service URL is far shorter). */
export const URL_MAX = 2000;

export interface UrlFieldOptions {
  /** Ports allowed besides 443 (configuration). */
  readonly allowPorts?: readonly number[];
  /**
   * Test only: exact origins ("https://localhost:8443") accepted although not public, for the local test
   * services of "Probar conexión". The composition root must never fill it from production settings.
   */
  readonly allowTestOrigins?: readonly string[];
}

/** Every reason parseServiceUrl can give. */
export const URL_REASONS = ['empty', 'url.muy_larga', 'url.invalid', 'url.not_https', 'url.userinfo', 'url.port', 'url.host_not_public'] as const;
export type UrlFieldReason = (typeof URL_REASONS)[number];

/**
 * A service or token URL: https, no user-info, port 443 (or allowed), a public host in every spelling
 * of an address (domain/net-rules.ts). Returns the normalized URL (lower-case host, IDN as punycode,
 * no fragment). A refused IP literal carries its canonical form (`ip`: 2130706433 → 127.0.0.1).
 */
export function parseServiceUrl(options: UrlFieldOptions = {}): FieldParser<string> {
  return (raw) => {
    const text = raw.trim();
    if (!text) return fail('empty');
    if (text.length > URL_MAX) return fail('url.muy_larga', { max: URL_MAX });
    const testOrigin = testOriginOf(text, options.allowTestOrigins);
    if (testOrigin) return ok(testOrigin);
    // "api.micaja.com.co/afiliados", as a browser's address bar takes it: https is the only scheme there is.
    const full = WITHOUT_SCHEME.test(text) ? `https://${text}` : text;
    const checked = checkPublicHttpsUrl(full, options.allowPorts ? { allowPorts: options.allowPorts } : {});
    if (!checked.ok) {
      const code = checked.error.code;
      if (code === 'url.host_not_public') {
        const ip = parseIp(hostOf(full) ?? '');
        if (ip) return fail(code, { ip: ip.text, clase: classifyIp(ip) });
      }
      return fail(code);
    }
    return ok(normalized(checked.value.url));
  };
}

/** A host name with a dot (and maybe a port and a path) typed without "https://". */
const WITHOUT_SCHEME = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+\.?(?::\d{1,5})?(?:[/?#]\S*)?$/u;

/** Without a fragment (never sent) and without the trailing dot of a host name (TLS names have none). */
function normalized(url: URL): string {
  url.hash = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  return url.href;
}

function hostOf(text: string): string | undefined {
  try {
    return new URL(text).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

function testOriginOf(text: string, origins: readonly string[] | undefined): string | undefined {
  if (!origins?.length) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' || url.username || url.password) return undefined;
    if (!origins.some((o) => new URL(o).origin === url.origin)) return undefined;
    return normalized(url);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- HTTP method

export const METODO_REASONS = ['empty', 'metodo.desconocido'] as const;

/** Words that say what a service does, folded, and the method usually used for it (as the field's help names them). */
const METHOD_WORDS: Readonly<Record<string, HttpMethod>> = {
  consultar: 'GET', consulta: 'GET', obtener: 'GET', leer: 'GET',
  crear: 'POST', enviar: 'POST', envio: 'POST', registrar: 'POST',
  reemplazar: 'PUT',
  modificar: 'PATCH',
  borrar: 'DELETE', eliminar: 'DELETE',
};

/**
 * GET, POST, PUT, PATCH or DELETE, in any case and with spaces around ("post"). Words that say what
 * the service does ("consultar", "es para borrar") are refused proposing the usual method
 * (`propuesta`): the form asks the person to confirm it, it never guesses.
 */
export const parseHttpMethod: FieldParser<HttpMethod> = (raw) => {
  const m = raw.replace(/\s+/g, '').toUpperCase();
  if (!m) return fail('empty');
  if ((HTTP_METHODS as readonly string[]).includes(m)) return ok(m as HttpMethod);
  const named = new Set(fold(raw).split(' ').flatMap((w) => METHOD_WORDS[w] ?? []));
  const [only] = named;
  return named.size === 1 && only ? fail('metodo.desconocido', { propuesta: only }) : fail('metodo.desconocido');
};

// ---------------------------------------------------------------- example

/** "no tiene cuerpo", "sin body", "no lleva nada", "no aplica": the request carries no body. */
const NO_BODY = /\b(?:sin|no (?:tiene|tienen|lleva|llevan|usa|usan|hay|manda|envia|recibe))\b.*\b(?:cuerpo|body|datos|parametros|nada)\b|\bno aplica\b|^(?:nada|vacio|ningun dato)$/;

/**
 * The shared service's example (valid JSON). A GET or DELETE request carries no body: there, an answer
 * that says so ("no tiene body", "ninguno", "no tengo") is the empty object, which the form's question
 * offers; a POST, PUT or PATCH example stays required.
 */
export const parseServiceExample: FieldParser<string> = (raw, ctx) => {
  const metodo = ctx.values['metodo'];
  const withoutBody = typeof metodo === 'string' && !METHODS_WITH_BODY.has(metodo);
  if (withoutBody && raw.trim() !== '' && raw.length <= 200 && (isSkipAnswer(raw) || saysItIsMissing(raw) || NO_BODY.test(fold(raw)))) return ok('{}');
  return parseExampleJson(raw, ctx);
};

// ---------------------------------------------------------------- OAuth 2.0 credentials

export const TOKEN_NOMBRE_MIN = 3;
export const TOKEN_NOMBRE_MAX = 100;
export const TOKEN_NOMBRE_REASONS = ['empty', 'too_short', 'too_long', 'token.nombre'] as const;

/** The token's name ("Token COMFAMA afiliaciones"): letters, digits, spaces and . _ - ( ). */
export const parseTokenName: FieldParser<string> = (raw) => {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return fail('empty');
  if (text.length > TOKEN_NOMBRE_MAX) return fail('too_long');
  if (text.length < TOKEN_NOMBRE_MIN) return fail('too_short');
  return /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} ._()-]*$/u.test(text) ? ok(text) : fail('token.nombre');
};

export const USUARIO_MAX = 200;
export const USUARIO_REASONS = ['empty', 'too_long', 'usuario.formato'] as const;

/** The OAuth username: one word of visible characters (an e-mail will do), no spaces. */
export const parseUsername: FieldParser<string> = (raw) => {
  const text = raw.trim();
  if (!text) return fail('empty');
  if ([...text].length > USUARIO_MAX) return fail('too_long');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]+$/u.test(text) ? ok(text) : fail('usuario.formato');
};

export const CLIENT_ID_MAX = 255;
export const CLIENT_ID_REASONS = ['empty', 'too_long', 'client_id.formato'] as const;

/** A Client ID: visible ASCII characters without spaces (RFC 6749 VSCHAR). */
export const parseClientId: FieldParser<string> = (raw) => {
  const text = raw.trim();
  if (!text) return fail('empty');
  if (text.length > CLIENT_ID_MAX) return fail('too_long');
  return /^[\x21-\x7e]+$/.test(text) ? ok(text) : fail('client_id.formato');
};

export const SCOPE_MAX = 500;
export const SCOPE_REASONS = ['too_long', 'scope.formato'] as const;

/** The scope: words separated by spaces, each of the characters RFC 6749 allows; empty means none (''). */
export const parseScope: FieldParser<string> = (raw) => {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return ok('');
  if (text.length > SCOPE_MAX) return fail('too_long');
  return text.split(' ').every((t) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(t)) ? ok(text) : fail('scope.formato');
};

export const SECRETO_MAX = 500;
export const SECRETO_REASONS = ['empty', 'secreto.muy_largo', 'secreto.caracteres'] as const;

/**
 * A password or Client Secret as typed (not trimmed: spaces may be part of it), 1–SECRETO_MAX
 * characters, no control characters. The form engine seals what this returns.
 */
export const parseSecretText: FieldParser<string> = (raw) => {
  if (raw.trim() === '') return fail('empty');
  if ([...raw].length > SECRETO_MAX) return fail('secreto.muy_largo', { max: SECRETO_MAX });
  return /\p{Cc}/u.test(raw) ? fail('secreto.caracteres') : ok(raw);
};
