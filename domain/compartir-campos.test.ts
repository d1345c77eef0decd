import { describe, expect, it } from 'vitest';
import {
  CLIENT_ID_REASONS,
  METODO_REASONS,
  parseClientId,
  parseHttpMethod,
  parseScope,
  parseSecretText,
  parseServiceExample,
  parseServiceIdentifier,
  parseServiceUrl,
  parseTokenName,
  parseUsername,
  SCOPE_REASONS,
  SECRETO_REASONS,
  TOKEN_NOMBRE_REASONS,
  URL_REASONS,
  USUARIO_REASONS,
} from './compartir-campos.js';
import type { ParseContext } from './fields.js';

const NOW = new Date('2026-12-15T15:00:00Z');
const ctx: ParseContext = { values: {}, today: NOW };

/** Every reason code the tables below produced, by parser: each exported reason list must be covered. */
const seen = new Map<string, Set<string>>();
function codeOf(parser: string, r: { ok: boolean; error?: { code: string } }): string | undefined {
  if (r.ok || !r.error) return undefined;
  if (!seen.has(parser)) seen.set(parser, new Set());
  seen.get(parser)!.add(r.error.code);
  return r.error.code;
}

// ---------------------------------------------------------------- URLs

describe('parseServiceUrl: https to a public host, every spelling of an address checked', () => {
  const parse = parseServiceUrl();
  it.each([
    // accepted, normalized
    ['https://api.comfama.com.co/afiliados/consulta', 'https://api.comfama.com.co/afiliados/consulta'],
    ['  https://api.comfama.com.co/v1?tipo=CC  ', 'https://api.comfama.com.co/v1?tipo=CC'],
    ['HTTPS://API.Comfama.COM.co/Afiliados', 'https://api.comfama.com.co/Afiliados'],
    ['https://api.comfama.com.co:443/x', 'https://api.comfama.com.co/x'],
    ['https://api.comfama.com.co./x', 'https://api.comfama.com.co/x'],
    ['https://api.comfama.com.co/x#seccion', 'https://api.comfama.com.co/x'],
    ['https://cafétería.com.co/servicio', 'https://xn--caftera-dya3b.com.co/servicio'],
    ['https://8.8.8.8/servicio', 'https://8.8.8.8/servicio'],
    ['https://134744072/servicio', 'https://8.8.8.8/servicio'],
    ['https://[2001:4860:4860::8888]/servicio', 'https://[2001:4860:4860::8888]/servicio'],
    ['https://api.comfama.com.co', 'https://api.comfama.com.co/'],
    ['https://sub.dominio-largo.gov.co/a/b/c?x=1&y=2', 'https://sub.dominio-largo.gov.co/a/b/c?x=1&y=2'],
    // typed without the scheme, as in a browser's address bar: https, the only one accepted
    ['api.comfama.com.co/x', 'https://api.comfama.com.co/x'],
    ['API.Comfama.com.co', 'https://api.comfama.com.co/'],
    ['cafétería.com.co/servicio?x=1', 'https://xn--caftera-dya3b.com.co/servicio?x=1'],
  ])('%s → %s', (raw, normalized) => {
    expect(parse(raw, ctx)).toEqual({ ok: true, value: normalized });
  });

  it.each([
    // not https
    ['http://api.comfama.com.co/x', 'url.not_https'],
    ['ftp://api.comfama.com.co/x', 'url.not_https'],
    ['ws://api.comfama.com.co/x', 'url.not_https'],
    ['file:///etc/passwd', 'url.not_https'],
    // not a URL
    ['consulta', 'url.invalid'],
    ['api comfama.com.co/x', 'url.invalid'],
    // without the scheme, still checked as any other
    ['api.comfama.com.co:8443/x', 'url.port'],
    ['192.168.1.20/x', 'url.host_not_public'],
    ['usuario@api.comfama.com.co/x', 'url.invalid'],
    ['https://', 'url.invalid'],
    ['https://api comfama.com.co/x', 'url.invalid'],
    ['https://api.comfama.com.co/\\x', 'url.invalid'],
    ['', 'empty'],
    ['   ', 'empty'],
    // user-info
    ['https://usuario:clave@api.comfama.com.co/x', 'url.userinfo'],
    ['https://usuario@api.comfama.com.co/x', 'url.userinfo'],
    ['https://api.comfama.com.co@127.0.0.1/x', 'url.userinfo'],
    // non-standard port
    ['https://api.comfama.com.co:8443/x', 'url.port'],
    ['https://api.comfama.com.co:80/x', 'url.port'],
    // loopback in every spelling
    ['https://127.0.0.1/x', 'url.host_not_public'],
    ['https://2130706433/x', 'url.host_not_public'],
    ['https://0x7f000001/x', 'url.host_not_public'],
    ['https://0177.0.0.1/x', 'url.host_not_public'],
    ['https://127.1/x', 'url.host_not_public'],
    ['https://[::1]/x', 'url.host_not_public'],
    ['https://[::ffff:127.0.0.1]/x', 'url.host_not_public'],
    ['https://localhost/x', 'url.host_not_public'],
    ['https://servicio.localhost/x', 'url.host_not_public'],
    // private, link-local, CGNAT, multicast, reserved, unspecified
    ['https://10.1.2.3/x', 'url.host_not_public'],
    ['https://172.16.0.10/x', 'url.host_not_public'],
    ['https://172.31.255.255/x', 'url.host_not_public'],
    ['https://192.168.1.20/x', 'url.host_not_public'],
    ['https://169.254.169.254/latest/meta-data', 'url.host_not_public'],
    ['https://100.64.0.1/x', 'url.host_not_public'],
    ['https://224.0.0.1/x', 'url.host_not_public'],
    ['https://0.0.0.0/x', 'url.host_not_public'],
    ['https://240.0.0.1/x', 'url.host_not_public'],
    ['https://255.255.255.255/x', 'url.host_not_public'],
    ['https://[fc00::1]/x', 'url.host_not_public'],
    ['https://[fe80::1]/x', 'url.host_not_public'],
    ['https://[::]/x', 'url.host_not_public'],
    ['https://[::ffff:10.0.0.1]/x', 'url.host_not_public'],
    ['https://intranet.corp/x', 'url.host_not_public'],
    ['https://servidor/x', 'url.host_not_public'],
    // very long
    [`https://api.comfama.com.co/${'a'.repeat(2000)}`, 'url.muy_larga'],
  ])('%s → %s', (raw, code) => {
    expect(codeOf('url', parse(raw, ctx))).toBe(code);
  });

  it.each([
    ['https://2130706433/x', '127.0.0.1', 'loopback'],
    ['https://0x7f000001/x', '127.0.0.1', 'loopback'],
    ['https://0177.0.0.1/x', '127.0.0.1', 'loopback'],
    ['https://127.1/x', '127.0.0.1', 'loopback'],
    ['https://[::ffff:127.0.0.1]/x', '::ffff:7f00:1', 'loopback'],
    ['https://100.64.0.1/x', '100.64.0.1', 'cgnat'],
    ['https://[fe80::1]/x', 'fe80::1', 'link-local'],
  ])('a refused address says what it really is: %s is %s (%s)', (raw, ip, clase) => {
    expect(parse(raw, ctx)).toEqual({ ok: false, error: { code: 'url.host_not_public', ip, clase } });
  });

  it('a name (not an address) is refused without an address in the reason', () => {
    expect(parse('https://localhost/x', ctx)).toEqual({ ok: false, error: { code: 'url.host_not_public' } });
  });

  it('a port is accepted only when the configuration allows it', () => {
    expect(codeOf('url', parse('https://api.comfama.com.co:8443/x', ctx))).toBe('url.port');
    expect(parseServiceUrl({ allowPorts: [8443] })('https://api.comfama.com.co:8443/x', ctx)).toEqual({ ok: true, value: 'https://api.comfama.com.co:8443/x' });
    expect(parseServiceUrl({ allowPorts: [8443] })('https://api.comfama.com.co:9443/x', ctx).ok).toBe(false);
    // An allowed port does not open a private address.
    expect(codeOf('url', parseServiceUrl({ allowPorts: [8443] })('https://127.0.0.1:8443/x', ctx))).toBe('url.host_not_public');
  });

  it('a test origin is accepted exactly (scheme, host and port), nothing around it', () => {
    const test = parseServiceUrl({ allowTestOrigins: ['https://localhost:8443'] });
    expect(test('https://localhost:8443/token#x', ctx)).toEqual({ ok: true, value: 'https://localhost:8443/token' });
    expect(test('https://localhost:8444/token', ctx).ok).toBe(false);
    expect(test('http://localhost:8443/token', ctx).ok).toBe(false);
    expect(test('https://u:p@localhost:8443/token', ctx).ok).toBe(false);
    expect(test('https://127.0.0.1:8443/token', ctx).ok).toBe(false);
  });

  it('a normalized URL parses to itself (a draft resumed later keeps it)', () => {
    const once = parse('HTTPS://Cafétería.com.co.:443/a?b=1#c', ctx);
    expect(once.ok && parse(once.value, ctx)).toEqual(once);
  });
});

// ---------------------------------------------------------------- method and identifier

describe('parseHttpMethod', () => {
  it.each([
    ['GET', 'GET'],
    ['post', 'POST'],
    [' Put ', 'PUT'],
    ['p a t c h', 'PATCH'],
    ['Delete', 'DELETE'],
  ])('%j → %s', (raw, method) => expect(parseHttpMethod(raw, ctx)).toEqual({ ok: true, value: method }));
  it.each([
    ['HEAD', 'metodo.desconocido'],
    ['OPTIONS', 'metodo.desconocido'],
    ['consultar', 'metodo.desconocido'],
    ['', 'empty'],
  ])('%j → %s', (raw, code) => expect(codeOf('metodo', parseHttpMethod(raw, ctx))).toBe(code));
  it.each([
    ['consultar', 'GET'],
    ['es una consulta', 'GET'],
    ['Enviar', 'POST'],
    ['sirve para crear solicitudes', 'POST'],
    ['reemplazar', 'PUT'],
    ['modificar', 'PATCH'],
    ['eliminar', 'DELETE'],
  ])('%j is refused proposing %s', (raw, propuesta) =>
    expect(parseHttpMethod(raw, ctx)).toEqual({ ok: false, error: { code: 'metodo.desconocido', propuesta } }),
  );
  it.each(['consultar y borrar', 'no sé', 'el de siempre'])('%j proposes nothing', (raw) =>
    expect(parseHttpMethod(raw, ctx)).toEqual({ ok: false, error: { code: 'metodo.desconocido' } }),
  );
});

describe('parseServiceIdentifier (the catalog rule)', () => {
  it.each([['ConsultaAfiliadosCaja'], ['  Api2  '], ['abc']])('%j is accepted', (raw) => expect(parseServiceIdentifier(raw, ctx)).toEqual({ ok: true, value: raw.trim() }));
  it.each([['2Consulta'], ['ab'], ['a b'], ['a'.repeat(61)], ['consulta ' + 'a'.repeat(60)], ['<script>alert(1)</script>'], ['uno dos tres cuatro cinco seis siete'], ['Consulta/Afiliados']])('%j is refused, with no proposal', (raw) =>
    expect(parseServiceIdentifier(raw, ctx)).toEqual({ ok: false, error: { code: 'servicio.id' } }),
  );
  it.each([
    ['Consulta afiliados', 'ConsultaAfiliados'],
    ['consulta de afiliación', 'ConsultaDeAfiliacion'],
    ['Afiliación', 'Afiliacion'],
    ['consulta-afiliados_caja 2', 'ConsultaAfiliadosCaja2'],
    ['Año Gravable', 'AnoGravable'],
  ])('%j is refused, proposing %j (its words joined, without accents or signs)', (raw, propuesta) =>
    expect(parseServiceIdentifier(raw, ctx)).toEqual({ ok: false, error: { code: 'servicio.id', propuesta } }),
  );
});

// ---------------------------------------------------------------- OAuth 2.0 fields

describe('the OAuth 2.0 fields', () => {
  it.each([
    ['Token afiliaciones COMFAMA', 'Token afiliaciones COMFAMA'],
    ['  token_comfama-v2 (pruebas)  ', 'token_comfama-v2 (pruebas)'],
    ['Autorización   Caja', 'Autorización Caja'],
  ])('token name %j → %j', (raw, value) => expect(parseTokenName(raw, ctx)).toEqual({ ok: true, value }));
  it.each([
    ['', 'empty'],
    ['ab', 'too_short'],
    ['t'.repeat(101), 'too_long'],
    ['token<script>', 'token.nombre'],
    ['-token', 'token.nombre'],
    ['token; DROP', 'token.nombre'],
  ])('token name %j → %s', (raw, code) => expect(codeOf('token', parseTokenName(raw, ctx))).toBe(code));

  it.each([['svc-comfama'], ['integracion@comfama.com.co'], ['ÁreaTI_01']])('username %j is accepted', (raw) => expect(parseUsername(raw, ctx)).toEqual({ ok: true, value: raw }));
  it.each([
    ['', 'empty'],
    ['svc comfama', 'usuario.formato'],
    ['svc\u0000x', 'usuario.formato'],
    ['u'.repeat(201), 'too_long'],
  ])('username %j → %s', (raw, code) => expect(codeOf('usuario', parseUsername(raw, ctx))).toBe(code));

  it.each([['ccf-890900841-minsalud'], ['0oa1b2c3d4E5F6g7H8i9'], ['a.b_c~d+e/f=']])('Client ID %j is accepted', (raw) => expect(parseClientId(raw, ctx)).toEqual({ ok: true, value: raw }));
  it.each([
    ['', 'empty'],
    ['client id', 'client_id.formato'],
    ['clienteñ', 'client_id.formato'],
    ['c'.repeat(256), 'too_long'],
  ])('Client ID %j → %s', (raw, code) => expect(codeOf('clientId', parseClientId(raw, ctx))).toBe(code));

  it.each([
    ['afiliados.consulta  afiliados.escritura', 'afiliados.consulta afiliados.escritura'],
    ['openid', 'openid'],
    ['https://api.comfama.com.co/afiliados:read', 'https://api.comfama.com.co/afiliados:read'],
    ['', ''],
    ['   ', ''],
  ])('scope %j → %j', (raw, value) => expect(parseScope(raw, ctx)).toEqual({ ok: true, value }));
  it.each([
    ['"afiliados"', 'scope.formato'],
    ['a\\b', 'scope.formato'],
    ['consulta ñandú', 'scope.formato'],
    ['s'.repeat(501), 'too_long'],
  ])('scope %j → %s', (raw, code) => expect(codeOf('scope', parseScope(raw, ctx))).toBe(code));

  it.each([['Clave-Muy-Secreta-2026'], [' con espacios al borde '], ['ñ€漢字🙂'], ['x'], ['s'.repeat(500)]])('secret %j is returned as typed', (raw) =>
    expect(parseSecretText(raw, ctx)).toEqual({ ok: true, value: raw }),
  );
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['s'.repeat(501), 'secreto.muy_largo'],
    ['linea1\nlinea2', 'secreto.caracteres'],
    ['tab\there', 'secreto.caracteres'],
    ['nul\u0000', 'secreto.caracteres'],
  ])('secret %j → %s, and the refusal never carries the text', (raw, code) => {
    const r = parseSecretText(raw, ctx);
    expect(codeOf('secreto', r)).toBe(code);
    if (raw.trim()) expect(JSON.stringify(r)).not.toContain(raw.slice(0, 6));
  });
});

describe('the reason lists are exactly what the parsers return (the forms test walks them for texts; keys and examples: their own tests)', () => {
  it.each([
    ['url', URL_REASONS],
    ['metodo', METODO_REASONS],
    ['token', TOKEN_NOMBRE_REASONS],
    ['usuario', USUARIO_REASONS],
    ['clientId', CLIENT_ID_REASONS],
    ['scope', SCOPE_REASONS],
    ['secreto', SECRETO_REASONS],
  ] as const)('%s', (parser, list) => {
    expect([...(seen.get(parser) ?? [])].sort()).toEqual([...list].sort());
  });
});

describe('parseServiceExample: a GET or DELETE request has no body', () => {
  const at = (metodo: string): ParseContext => ({ values: { metodo }, today: NOW });
  it.each(['GET', 'DELETE'])('%s: saying there is none is {}', (metodo) => {
    for (const raw of ['no tiene body', 'es un get, no tiene cuerpo', 'sin cuerpo', 'ninguno', 'no tengo', 'no aplica', 'No lleva datos', 'no lleva nada', 'nada', 'vacío']) {
      expect(parseServiceExample(raw, at(metodo))).toEqual({ ok: true, value: '{}' });
    }
    expect(parseServiceExample('{"tipoDocumento":"CC"}', at(metodo))).toEqual({ ok: true, value: '{\n  "tipoDocumento": "CC"\n}' });
    expect(parseServiceExample('hola', at(metodo)).ok).toBe(false);
  });
  it.each(['POST', 'PUT', 'PATCH'])('%s: the body is required (a JSON example, not words)', (metodo) => {
    for (const raw of ['no tiene body', 'ninguno', 'no tengo', 'sin cuerpo']) expect(parseServiceExample(raw, at(metodo)).ok).toBe(false);
  });
});
