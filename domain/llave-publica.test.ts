import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { pemFixture } from '../test/fixtures/pem/fixtures.js';
import { avisoLlave, inspectPublicKey, LLAVE_MAX_BYTES, LLAVE_REASONS, parsePublicKey, parsePublicKeyPem, pemOfFile, readPublicKey, utf8 } from './llave-publica.js';
import type { ParseContext } from './fields.js';

const NOW = new Date('2026-12-15T15:00:00Z');
const ctx: ParseContext = { values: {}, today: NOW };
const DAY = 24 * 3600_000;
/** Certificates made by test/fixtures/pem/generate.sh (OpenSSL) for this run; `now` is moved around their own dates. */
const fixture = pemFixture;

/** Every reason code the tables below produced: the exported reason list must be covered. */
const seen = new Set<string>();
function codeOf(_parser: string, r: { ok: boolean; error?: { code: string } }): string | undefined {
  if (r.ok || !r.error) return undefined;
  seen.add(r.error.code);
  return r.error.code;
}

describe('inspectPublicKey: public keys and certificates, never a private key', () => {
  let rsa: ReturnType<typeof rsaPair>;
  let ec: ReturnType<typeof generateKeyPairSync>;
  let ed: ReturnType<typeof generateKeyPairSync>;
  const rsaPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(() => {
    rsa = rsaPair();
    ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ed = generateKeyPairSync('ed25519');
  });
  const spkiPem = (k: { publicKey: { export(o: object): string | Buffer } }) => String(k.publicKey.export({ type: 'spki', format: 'pem' }));
  const spkiHuella = (k: { publicKey: { export(o: object): string | Buffer } }) =>
    createHash('sha256').update(k.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).digest('hex').toUpperCase().match(/../g)!.join(':');

  it('an RSA 2048 public key (SPKI): type, size, SHA-256 of the SPKI DER', () => {
    const r = inspectPublicKey(spkiPem(rsa), NOW);
    expect(r).toEqual({ ok: true, value: { llave: { clase: 'llave', tipo: 'RSA', bits: 2048, huella: spkiHuella(rsa), pem: spkiPem(rsa) } } });
  });

  it('an EC P-256 public key (SPKI)', () => {
    const r = inspectPublicKey(spkiPem(ec), NOW);
    expect(r.ok && r.value.llave).toMatchObject({ clase: 'llave', tipo: 'EC P-256', bits: 256, huella: spkiHuella(ec) });
  });

  it('an Ed25519 public key', () => {
    const r = inspectPublicKey(spkiPem(ed), NOW);
    expect(r.ok && r.value.llave).toMatchObject({ clase: 'llave', tipo: 'Ed25519', huella: spkiHuella(ed) });
  });

  it('an RSA PUBLIC KEY (PKCS#1) has the same fingerprint as the same key in SPKI, and keeps its label', () => {
    const pkcs1 = String(rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }));
    const r = inspectPublicKey(pkcs1, NOW);
    expect(r.ok && r.value.llave).toMatchObject({ clase: 'llave', tipo: 'RSA', bits: 2048, huella: spkiHuella(rsa) });
    expect(r.ok && r.value.llave.pem).toMatch(/^-----BEGIN RSA PUBLIC KEY-----\n/);
  });

  it('a key pasted on one line, with CRLF, or without its BEGIN/END lines is read the same', () => {
    const pem = spkiPem(rsa);
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    for (const variant of [pem.replace(/\n/g, ' '), pem.replace(/\n/g, '\r\n'), `  ${pem}\n\n`, body, `Llave:\n${pem}Gracias`]) {
      const r = inspectPublicKey(variant, NOW);
      expect(r.ok && r.value.llave).toEqual({ clase: 'llave', tipo: 'RSA', bits: 2048, huella: spkiHuella(rsa), pem });
    }
  });

  it('a self-signed certificate: type, size, fingerprint, validity, subject', () => {
    const pem = fixture('ca-rsa.pem');
    const cert = new X509Certificate(pem);
    const at = new Date(Date.parse(cert.validFrom) + DAY);
    const r = inspectPublicKey(pem, at);
    expect(r).toEqual({
      ok: true,
      value: {
        llave: {
          clase: 'certificado',
          tipo: 'RSA',
          bits: 2048,
          huella: cert.fingerprint256,
          desde: new Date(cert.validFrom).toISOString(),
          hasta: new Date(cert.validTo).toISOString(),
          sujeto: 'CA de pruebas',
          certificados: 1,
          pem,
        },
      },
    });
  });

  it('an Ed25519 self-signed certificate', () => {
    const pem = fixture('autofirmado-ed25519.pem');
    const at = new Date(Date.parse(new X509Certificate(pem).validFrom) + DAY);
    const r = inspectPublicKey(pem, at);
    expect(r.ok && r.value.llave).toMatchObject({ clase: 'certificado', tipo: 'Ed25519', sujeto: 'ed25519.comfama.test', certificados: 1 });
  });

  it('a chain of two: the first (the entity’s) is described, both are counted and checked', () => {
    const pem = fixture('cadena.pem');
    const leaf = new X509Certificate(fixture('servicio-ec.pem'));
    const at = new Date(Date.parse(leaf.validFrom) + DAY);
    const r = inspectPublicKey(pem, at);
    expect(r.ok && r.value.llave).toMatchObject({ clase: 'certificado', tipo: 'EC P-256', bits: 256, huella: leaf.fingerprint256, sujeto: 'api.comfama.test', certificados: 2 });
    expect(r.ok && r.value.llave.pem).toBe(pem);
  });

  describe('validity, with `now` moved around the certificate’s own dates', () => {
    const pem = () => fixture('servicio-ec.pem');
    const dates = () => {
      const c = new X509Certificate(pem());
      return { from: Date.parse(c.validFrom), to: Date.parse(c.validTo) };
    };

    it('an expired certificate is refused, saying which one and when it expired', () => {
      const r = inspectPublicKey(pem(), new Date(dates().to + DAY));
      expect(codeOf('llave', r)).toBe('llave.vencida');
      expect(r.ok ? undefined : r.error).toMatchObject({ certificado: 1, total: 1, sujeto: 'api.comfama.test', hasta: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/) });
    });

    it('a certificate not yet valid is refused', () => {
      const r = inspectPublicKey(pem(), new Date(dates().from - DAY));
      expect(codeOf('llave', r)).toBe('llave.aun_no_valida');
      expect(r.ok ? undefined : r.error).toMatchObject({ certificado: 1, desde: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/) });
    });

    it.each([
      [10, 'vence_pronto'],
      [30, 'vence_pronto'],
      [0.5, 'vence_pronto'],
      [31, undefined],
      [200, undefined],
    ])('%s days before it expires → aviso %s', (days, aviso) => {
      const r = inspectPublicKey(pem(), new Date(dates().to - days * DAY));
      expect(r.ok).toBe(true);
      expect(r.ok && r.value.aviso).toBe(aviso ?? undefined);
      if (r.ok) expect(avisoLlave(r.value.llave, new Date(dates().to - days * DAY))).toBe(aviso);
    });

    it('in a chain, the certificate that expired is named (here the second, the short-lived CA)', () => {
      const chain = fixture('cadena-ca-corta.pem');
      const from = Date.parse(new X509Certificate(chain).validFrom);
      expect(inspectPublicKey(chain, new Date(from + DAY)).ok).toBe(true);
      const r = inspectPublicKey(chain, new Date(from + 20 * DAY));
      expect(r).toMatchObject({ ok: false, error: { code: 'llave.vencida', certificado: 2, total: 2, sujeto: 'CA corta' } });
    });

    it('a chain’s validity is the period in which every certificate is valid (the warning follows the first to expire)', () => {
      const chain = fixture('cadena-ca-corta.pem');
      const from = Date.parse(new X509Certificate(chain).validFrom);
      const r = inspectPublicKey(chain, new Date(from + DAY));
      expect(r.ok && r.value.aviso).toBe('vence_pronto');
      expect(r.ok && Date.parse(r.value.llave.hasta!) - from).toBeLessThanOrEqual(10 * DAY);
    });

    it('parsePublicKey and parsePublicKeyPem read the date from the context (ctx.today)', () => {
      const expired = { values: {}, today: new Date(dates().to + DAY) };
      const valid = { values: {}, today: new Date(dates().from + DAY) };
      expect(codeOf('llave', parsePublicKey(pem(), expired))).toBe('llave.vencida');
      expect(parsePublicKey(pem(), valid)).toMatchObject({ ok: true, value: { clase: 'certificado', sujeto: 'api.comfama.test' } });
      expect(codeOf('llave', parsePublicKeyPem(pem(), expired))).toBe('llave.vencida');
      expect(parsePublicKeyPem(pem(), valid)).toEqual({ ok: true, value: pem() });
    });
  });

  describe('a private key of any kind is refused before anything else, and its text goes nowhere', () => {
    const privates: [string, () => string][] = [
      ['PRIVATE KEY (PKCS#8)', () => String(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }))],
      ['RSA PRIVATE KEY (PKCS#1)', () => String(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }))],
      ['EC PRIVATE KEY (SEC1)', () => String(ec.privateKey.export({ type: 'sec1', format: 'pem' }))],
      ['ENCRYPTED PRIVATE KEY', () => String(rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'prueba' }))],
      ['Ed25519 PRIVATE KEY', () => String(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }))],
      [
        'OPENSSH PRIVATE KEY',
        () => '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBzZWNyZXRvLWRlLXBydWViYXMtbm8tdXNhci1udW5jYQAAAJg=\n-----END OPENSSH PRIVATE KEY-----\n',
      ],
      ['a private key after a public key', () => spkiPem(ec) + String(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }))],
      ['a private key after a certificate', () => fixture('ca-rsa.pem') + String(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }))],
      ['a PKCS#8 private key under a PUBLIC KEY label', () => String(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })).replace(/PRIVATE KEY/g, 'PUBLIC KEY')],
      ['a private key body without its BEGIN/END lines', () => String(ec.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'))],
      ['a private JWK', () => JSON.stringify(ec.privateKey.export({ format: 'jwk' }))],
      ['a PuTTY key file', () => 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\nAAAA\nPrivate-Lines: 1\nAAAA\n'],
      ['a huge text with a private key in it', () => 'x'.repeat(LLAVE_MAX_BYTES) + String(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }))],
    ];

    it.each(privates)('%s → llave.privada, and the refusal is the code alone', (_name, make) => {
      const text = make();
      const r = inspectPublicKey(text, NOW);
      expect(r).toEqual({ ok: false, error: { code: 'llave.privada' } });
      codeOf('llave', r);
      const body = text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '').slice(0, 40);
      expect(JSON.stringify(r)).not.toContain(body);
      expect(parsePublicKey(text, ctx)).toEqual({ ok: false, error: { code: 'llave.privada' } });
      expect(parsePublicKeyPem(text, ctx)).toEqual({ ok: false, error: { code: 'llave.privada' } });
    });
  });

  describe('what is not one public key or one chain', () => {
    it.each([
      ['empty', () => '   ', 'empty'],
      ['garbage', () => 'esta es mi llave, se la envío por correo', 'llave.invalida'],
      ['random base64', () => Buffer.from('no es una llave de ningún tipo, solo texto').toString('base64'), 'llave.invalida'],
      ['a PEM block that is not a key', () => '-----BEGIN PUBLIC KEY-----\nbm8gZXMgdW5hIGxsYXZl\n-----END PUBLIC KEY-----\n', 'llave.invalida'],
      ['non-base64 inside the block', () => '-----BEGIN CERTIFICATE-----\nesto no es base64!!\n-----END CERTIFICATE-----\n', 'llave.invalida'],
      ['another kind of block', () => '-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n', 'llave.invalida'],
      ['a truncated PEM (no END line)', () => fixture('ca-rsa.pem').slice(0, 600), 'llave.incompleta'],
      ['only the END line', () => '-----END PUBLIC KEY-----', 'llave.incompleta'],
      ['a certificate with lines missing in the middle', () => {
        const lines = fixture('ca-rsa.pem').split('\n');
        return [...lines.slice(0, 5), ...lines.slice(9)].join('\n');
      }, 'llave.invalida'],
      ['a certificate signing request', () => fixture('solicitud.csr.pem'), 'llave.solicitud'],
      ['an OpenSSH public key', () => 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJf3lYk0+prueba comfama@servidor', 'llave.ssh'],
      ['two public keys', () => spkiPem(rsa) + spkiPem(ec), 'llave.varias'],
      ['a public key and a certificate', () => spkiPem(rsa) + fixture('ca-rsa.pem'), 'llave.varias'],
      ['two certificates that are not a chain', () => fixture('cadena-rota.pem'), 'llave.cadena'],
      ['a chain in the wrong order', () => fixture('ca-rsa.pem') + fixture('servicio-ec.pem'), 'llave.cadena'],
      ['an RSA 1024 certificate', () => fixture('rsa1024.pem'), 'llave.debil'],
      ['an RSA 1024 public key', () => String(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' })), 'llave.debil'],
      ['an X25519 key (not for signatures)', () => String(generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' })), 'llave.no_soportada'],
      ['a DSA key', () => String(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey.export({ type: 'spki', format: 'pem' })), 'llave.no_soportada'],
      ['more than the size limit', () => `${spkiPem(rsa)}\n${'-'.repeat(LLAVE_MAX_BYTES)}`, 'llave.muy_grande'],
    ])('%s → %s', (_name, make, code) => {
      const at = new Date(Date.parse(new X509Certificate(fixture('servicio-ec.pem')).validFrom) + DAY);
      const r = inspectPublicKey(make(), at);
      expect(codeOf('llave', r)).toBe(code);
    });

    it('the size limit counts bytes: just under it is read, over it is refused', () => {
      const pem = spkiPem(rsa);
      // Text around the block is ignored but counted: exactly n bytes once trimmed.
      const pad = (n: number) => `${pem.trim()}${' '.repeat(n - Buffer.byteLength(pem.trim()) - 1)}.`;
      expect(Buffer.byteLength(pad(LLAVE_MAX_BYTES))).toBe(LLAVE_MAX_BYTES);
      expect(codeOf('llave', inspectPublicKey(pad(LLAVE_MAX_BYTES), NOW))).toBeUndefined();
      expect(codeOf('llave', inspectPublicKey(pad(LLAVE_MAX_BYTES + 1), NOW))).toBe('llave.muy_grande');
    });
  });

  it('readPublicKey reads without looking at dates (what a review shows of a stored key)', () => {
    const pem = fixture('servicio-ec.pem');
    expect(readPublicKey(pem)).toMatchObject({ ok: true, value: { llave: { sujeto: 'api.comfama.test' } } });
  });
});


it('every reason of LLAVE_REASONS was produced by a table above', () => {
  expect([...seen].sort()).toEqual([...LLAVE_REASONS].sort());
});

describe('pemOfFile: a key or certificate file attached instead of pasted', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spkiPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('a PEM file is its text (a BOM dropped, Windows line ends kept for the parser)', () => {
    expect(pemOfFile(bytes(spkiPem))).toBe(spkiPem);
    expect(pemOfFile(bytes(`\uFEFF${spkiPem.replace(/\n/g, '\r\n')}`))).toBe(spkiPem.replace(/\n/g, '\r\n'));
  });

  it('a binary (DER) certificate, as Windows exports a .cer, becomes the same certificate in PEM', () => {
    const pem = pemFixture('servicio-ec.pem');
    const der = new X509Certificate(pem).raw;
    const read = pemOfFile(der)!;
    expect(read).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(new X509Certificate(read).fingerprint256).toBe(new X509Certificate(pem).fingerprint256);
  });

  it('a binary (DER) public key becomes PUBLIC KEY PEM that the parser accepts', () => {
    const der = rsa.publicKey.export({ type: 'spki', format: 'der' });
    const read = pemOfFile(der)!;
    expect(read).toBe(spkiPem);
    expect(parsePublicKeyPem(read, { values: {}, today: new Date('2026-12-02T12:00:00Z') }).ok).toBe(true);
  });

  it('other binary data is not read (a PDF, an image, random bytes)', () => {
    expect(pemOfFile(bytes('%PDF-1.7\n\u0000\u0001'))).toBeUndefined();
    expect(pemOfFile(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeUndefined();
    expect(pemOfFile(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0xff]))).toBeUndefined();
  });

  it('utf8: strict text only', () => {
    expect(utf8(bytes('{"a": 1}\n'))).toBe('{"a": 1}\n');
    expect(utf8(Uint8Array.from([0xc3, 0x28]))).toBeUndefined();
  });
});
