/**
 * "Llave pública" of a shared service (DESIGN §2, Compartir Servicios Entidad): a PEM public key or an
 * X.509 certificate chain, read with node:crypto and shown back as type, size, SHA-256 fingerprint and
 * validity. A private key of any kind is refused before anything else is read; its text never leaves
 * the parser (the refusal carries only its code).
 */
import { Buffer } from 'node:buffer';
import { X509Certificate, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { FieldParser } from './fields.js';
import { err, ok, type Result } from './result.js';
import type { LlavePublica } from './servicios-web.js';

/** Largest PEM accepted (a certificate chain of a few certificates is far smaller). */
export const LLAVE_MAX_BYTES = 20 * 1024;
/** A certificate that expires within these days is accepted with a warning. */
export const LLAVE_AVISO_DIAS = 30;
/** Smallest RSA key accepted. */
export const RSA_MIN_BITS = 2048;

export const LLAVE_REASONS = [
  'empty',
  'llave.privada',
  'llave.muy_grande',
  'llave.incompleta',
  'llave.invalida',
  'llave.solicitud',
  'llave.ssh',
  'llave.varias',
  'llave.cadena',
  'llave.no_soportada',
  'llave.debil',
  'llave.vencida',
  'llave.aun_no_valida',
] as const;
export type LlaveRefusal = (typeof LLAVE_REASONS)[number];
export interface LlaveError {
  readonly code: LlaveRefusal;
  readonly [detail: string]: unknown;
}
export interface LlaveInspeccionada {
  readonly llave: LlavePublica;
  /** A certificate of the PEM expires within LLAVE_AVISO_DIAS days. */
  readonly aviso?: 'vence_pronto';
}

const DAY_MS = 24 * 3600_000;

/**
 * Any kind of private key: PEM labels (PKCS#8, encrypted, RSA, EC, DSA, OpenSSH, PGP), PuTTY files.
 * Looked for in the whole text before any block is read.
 */
const PRIVATE_MARKERS = [/BEGIN[A-Z0-9 _-]*PRIVATE KEY/i, /PuTTY-User-Key-File-\d+:/i, /Private-Lines:/i];
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/gi;
const BEGIN = /-----BEGIN [A-Z0-9 ]+-----/gi;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SSH_PUBLIC = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+) AAAA/;

const CURVES: Record<string, { nombre: string; bits: number }> = {
  prime256v1: { nombre: 'P-256', bits: 256 },
  secp384r1: { nombre: 'P-384', bits: 384 },
  secp521r1: { nombre: 'P-521', bits: 521 },
  secp256k1: { nombre: 'secp256k1', bits: 256 },
};

/** True when the text is, or contains, a private key in any format people paste. */
export function containsPrivateKey(text: string): boolean {
  if (PRIVATE_MARKERS.some((re) => re.test(text))) return true;
  if (looksLikePrivateJwk(text)) return true;
  return false;
}

function looksLikePrivateJwk(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{') || t.length > 64 * 1024) return false;
  try {
    const v = JSON.parse(t) as unknown;
    const keys = (Array.isArray((v as { keys?: unknown }).keys) ? (v as { keys: unknown[] }).keys : [v]) as unknown[];
    return keys.some((k) => typeof k === 'object' && k !== null && 'kty' in k && 'd' in k);
  } catch {
    return false;
  }
}

/** DER bytes that node:crypto reads as a private key (a private key under a public label is still one). */
function isPrivateDer(der: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch {
      // not this format
    }
  }
  return false;
}

const colonHex = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');
const wrap = (label: string, der: Buffer) => `-----BEGIN ${label}-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

/** dd/mm/aaaa in Colombia. */
function fecha(d: Date): string {
  return new Intl.DateTimeFormat('es-CO', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'America/Bogota' }).format(d);
}

interface Block {
  readonly label: string;
  readonly der: Buffer;
}

function decodeBody(body: string): Buffer | undefined {
  const b64 = body.replace(/\s+/g, '');
  if (!b64 || b64.length % 4 !== 0 || !BASE64.test(b64)) return undefined;
  return Buffer.from(b64, 'base64');
}

/** The key's type and size as people name them, or why it is not accepted. */
function describeKey(key: KeyObject): Result<{ tipo: string; bits?: number }, LlaveError> {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss': {
      const bits = details.modulusLength ?? 0;
      if (bits < RSA_MIN_BITS) return err({ code: 'llave.debil', bits, minimo: RSA_MIN_BITS });
      return ok({ tipo: key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS', bits });
    }
    case 'ec': {
      const curve = CURVES[details.namedCurve ?? ''];
      return curve ? ok({ tipo: `EC ${curve.nombre}`, bits: curve.bits }) : err({ code: 'llave.no_soportada', tipo: `EC ${details.namedCurve ?? ''}`.trim() });
    }
    case 'ed25519':
      return ok({ tipo: 'Ed25519' });
    case 'ed448':
      return ok({ tipo: 'Ed448' });
    default:
      return err({ code: 'llave.no_soportada', tipo: String(key.asymmetricKeyType ?? '').toUpperCase() });
  }
}

/** The subject's CN (what people recognize), else the whole subject on one line. */
function subjectOf(cert: X509Certificate): string {
  const lines = cert.subject.split('\n').filter(Boolean);
  const cn = lines.find((l) => l.startsWith('CN='));
  return (cn ? cn.slice(3) : lines.join(', ')).slice(0, 200);
}

interface Leida {
  readonly llave: LlavePublica;
  readonly certs: readonly X509Certificate[];
}

/** The PEM blocks, or a headerless base64 DER (a body pasted without its BEGIN/END lines). */
function blocksOf(text: string): Result<Block[], LlaveError> {
  const blocks: Block[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const der = decodeBody(m[2]!);
    if (!der) return err({ code: 'llave.invalida' });
    blocks.push({ label: m[1]!.toUpperCase(), der });
  }
  const begins = text.match(BEGIN)?.length ?? 0;
  if (begins > blocks.length) return err({ code: 'llave.incompleta' });
  if (blocks.length === 0) {
    if (/-----END [A-Z0-9 ]+-----/i.test(text)) return err({ code: 'llave.incompleta' });
    const der = decodeBody(text);
    if (!der || der.length < 32) return err({ code: 'llave.invalida' });
    blocks.push({ label: '', der });
  }
  return ok(blocks);
}

/** A headerless DER: a public key (SPKI or PKCS#1) or a certificate, as the PEM block it would be. */
function labelDer(der: Buffer): Block | undefined {
  for (const [label, type] of [['PUBLIC KEY', 'spki'], ['RSA PUBLIC KEY', 'pkcs1']] as const) {
    try {
      createPublicKey({ key: der, format: 'der', type });
      return { label, der };
    } catch {
      // not this format
    }
  }
  try {
    new X509Certificate(der);
    return { label: 'CERTIFICATE', der };
  } catch {
    return undefined;
  }
}

/** Reads a public key or a certificate chain without looking at dates (see inspectPublicKey). */
export function readPublicKey(raw: string): Result<Leida, LlaveError> {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (!text) return err({ code: 'empty' });
  if (containsPrivateKey(text)) return err({ code: 'llave.privada' });
  if (Buffer.byteLength(text, 'utf8') > LLAVE_MAX_BYTES) return err({ code: 'llave.muy_grande', maxKb: LLAVE_MAX_BYTES / 1024 });
  if (/BEGIN (NEW )?CERTIFICATE REQUEST/i.test(text)) return err({ code: 'llave.solicitud' });
  if (SSH_PUBLIC.test(text) || /BEGIN SSH2 PUBLIC KEY/i.test(text)) return err({ code: 'llave.ssh' });
  const found = blocksOf(text);
  if (!found.ok) return found;
  // A private key under another label, or pasted without its lines, is still a private key.
  if (found.value.some((b) => isPrivateDer(b.der))) return err({ code: 'llave.privada' });
  const blocks: Block[] = [];
  for (const b of found.value) {
    const labelled = b.label === '' ? labelDer(b.der) : b;
    if (!labelled) return err({ code: 'llave.invalida' });
    blocks.push(labelled);
  }
  const certBlocks = blocks.filter((b) => b.label === 'CERTIFICATE');
  const keyBlocks = blocks.filter((b) => b.label === 'PUBLIC KEY' || b.label === 'RSA PUBLIC KEY');
  if (certBlocks.length + keyBlocks.length < blocks.length) return err({ code: 'llave.invalida' });
  if (keyBlocks.length > 1 || (keyBlocks.length === 1 && certBlocks.length > 0)) return err({ code: 'llave.varias' });
  return keyBlocks.length === 1 ? readKey(keyBlocks[0]!) : readChain(certBlocks);
}

function readKey(block: Block): Result<Leida, LlaveError> {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block.der, format: 'der', type: block.label === 'PUBLIC KEY' ? 'spki' : 'pkcs1' });
  } catch {
    return err({ code: 'llave.invalida' });
  }
  const kind = describeKey(key);
  if (!kind.ok) return kind;
  const spki = key.export({ type: 'spki', format: 'der' });
  const huella = colonHex(createHash('sha256').update(spki).digest('hex'));
  return ok({ llave: { clase: 'llave', ...kind.value, huella, pem: wrap(block.label, block.der) }, certs: [] });
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function readChain(blocks: readonly Block[]): Result<Leida, LlaveError> {
  const certs: X509Certificate[] = [];
  for (const b of blocks) {
    try {
      certs.push(new X509Certificate(b.der));
    } catch {
      return err({ code: 'llave.invalida' });
    }
  }
  for (let i = 0; i + 1 < certs.length; i++) {
    const [cert, issuer] = [certs[i]!, certs[i + 1]!];
    if (!signedBy(cert, issuer)) return err({ code: 'llave.cadena', certificado: i + 1, emisor: i + 2 });
  }
  for (const [i, cert] of certs.entries()) {
    const kind = describeKey(cert.publicKey);
    if (!kind.ok) return err({ ...kind.error, certificado: i + 1 });
  }
  const first = certs[0]!;
  const kind = describeKey(first.publicKey);
  if (!kind.ok) return kind;
  // The period in which every certificate of the PEM is valid.
  const desde = new Date(Math.max(...certs.map((c) => Date.parse(c.validFrom))));
  const hasta = new Date(Math.min(...certs.map((c) => Date.parse(c.validTo))));
  const llave: LlavePublica = {
    clase: 'certificado',
    ...kind.value,
    huella: first.fingerprint256.toUpperCase(),
    desde: desde.toISOString(),
    hasta: hasta.toISOString(),
    sujeto: subjectOf(first),
    certificados: certs.length,
    pem: blocks.map((b) => wrap(b.label, b.der)).join(''),
  };
  return ok({ llave, certs });
}

/** 'vence_pronto' when the key's validity ends within LLAVE_AVISO_DIAS days of `now` (a bare key never does). */
export function avisoLlave(llave: Pick<LlavePublica, 'hasta'>, now: Date): 'vence_pronto' | undefined {
  if (!llave.hasta) return undefined;
  const left = Date.parse(llave.hasta) - now.getTime();
  return left >= 0 && left <= LLAVE_AVISO_DIAS * DAY_MS ? 'vence_pronto' : undefined;
}

/** Whole days from `now` to the end of the key's validity (for the warning). */
export function diasParaVencer(llave: Pick<LlavePublica, 'hasta'>, now: Date): number | undefined {
  return llave.hasta ? Math.max(0, Math.floor((Date.parse(llave.hasta) - now.getTime()) / DAY_MS)) : undefined;
}

/**
 * Inspects a public key (PEM "PUBLIC KEY" or "RSA PUBLIC KEY": RSA ≥ 2048, EC, Ed25519) or an X.509
 * certificate chain (each certificate in force at `now`, each signed by the next). A private key of
 * any kind is refused first ('llave.privada', nothing else in the error).
 */
export function inspectPublicKey(pem: string, now: Date): Result<LlaveInspeccionada, LlaveError> {
  const read = readPublicKey(pem);
  if (!read.ok) return read;
  const { llave, certs } = read.value;
  const t = now.getTime();
  for (const [i, cert] of certs.entries()) {
    const detail = { certificado: i + 1, total: certs.length, sujeto: subjectOf(cert) };
    const to = new Date(Date.parse(cert.validTo));
    const from = new Date(Date.parse(cert.validFrom));
    if (to.getTime() < t) return err({ code: 'llave.vencida', ...detail, hasta: fecha(to) });
    if (from.getTime() > t) return err({ code: 'llave.aun_no_valida', ...detail, desde: fecha(from) });
  }
  const aviso = avisoLlave(llave, now);
  return ok({ llave, ...(aviso ? { aviso } : {}) });
}

/** The key as the form keeps it: the inspected public key (dates checked at `ctx.today`). */
export const parsePublicKey: FieldParser<LlavePublica> = (raw, ctx) => {
  const r = inspectPublicKey(raw, ctx.today);
  return r.ok ? ok(r.value.llave) : r;
};

/**
 * The same checks, keeping only the public PEM text (normalized): what a form field stores, since a
 * draft keeps plain values. inspectPublicKey(value, now) gives the LlavePublica again.
 */
export const parsePublicKeyPem: FieldParser<string> = (raw, ctx) => {
  const r = inspectPublicKey(raw, ctx.today);
  return r.ok ? ok(r.value.llave.pem) : r;
};

/**
 * The text of a key or certificate file attached instead of pasted: a PEM file as it is; a binary
 * (DER) certificate or public key, as Windows exports a .cer, in PEM. Undefined when it is neither
 * text nor one of those (the field then says it could not read it). A private key file is text or
 * DER the parser refuses by its code, never read further.
 */
export function pemOfFile(bytes: Uint8Array): string | undefined {
  const text = utf8(bytes);
  if (text !== undefined) return text;
  if (bytes[0] !== 0x30) return undefined; // not an ASN.1 SEQUENCE
  const der = Buffer.from(bytes);
  try {
    return new X509Certificate(der).toString();
  } catch {
    try {
      return createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
    } catch {
      return undefined;
    }
  }
}

/** Strict UTF-8 text without control characters other than line breaks and tabs; undefined for binary data. */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    return /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}
