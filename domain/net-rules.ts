/**
 * Address and URL rules for every outbound call the assistant makes with an address it did not
 * choose itself (a file a person attached, later a URL given for "Probar conexión"): pure, no I/O.
 *
 * - `parseIp` reads an IP in every spelling a resolver or URL parser accepts: dotted decimal, the
 *   inet_aton forms (one to four parts, each decimal, 0x hex or 0-prefixed octal: 2130706433,
 *   0x7f000001, 0177.0.0.1, 127.1), IPv6 (compressed, bracketed, with a dotted IPv4 tail).
 * - `classifyIp` says what an address is; only `public` may be connected to. IPv4-mapped,
 *   NAT64 and 6to4 IPv6 addresses are classified by the IPv4 address inside (and never public).
 * - `checkPublicHttpsUrl` accepts https URLs without user-info, on the default port (unless
 *   allowed), whose host is a DNS name or a public IP literal. DNS names are checked again, by
 *   address, when connecting (bot/outbound.ts): a name says nothing about where it points.
 */
import { isIP } from 'node:net';
import { err, ok, type Result } from './result.js';

export type IpClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  /** An IPv6 address that carries a public IPv4 one (::ffff:a.b.c.d, NAT64, 6to4): refused as well. */
  | 'ipv4-embedded';

export interface ParsedIp {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: readonly number[];
  /** The canonical spelling (dotted quad, or compressed lower-case IPv6 without brackets). */
  readonly text: string;
}

/** One inet_aton part: decimal, 0x hex, or 0-prefixed octal. */
function parsePart(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits === '') return 0; // "0x" alone is 0 for inet_aton and the WHATWG URL parser
    if (!/^[0-9a-f]+$/i.test(digits)) return undefined;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(digits)) return undefined;
  } else if (!/^[0-9]+$/.test(part)) return undefined;
  // Leading zeros must not overflow the check below: strip them before measuring.
  const trimmed = digits.replace(/^0+(?=.)/, '');
  if (trimmed.length > 12) return undefined;
  const value = parseInt(trimmed, radix);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** An IPv4 address in any inet_aton spelling, as 4 bytes; undefined when it is not one. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing dot, as in URLs
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    const value = parsePart(part);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return undefined;
  const lastBytes = 4 - values.length;
  if (last >= 256 ** lastBytes) return undefined;
  const bytes = [...values];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

/** An IPv6 address (brackets allowed, no zone id) as 16 bytes; undefined when it is not one. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.includes('%') || isIP(s) !== 6) return undefined; // zone ids ("fe80::1%eth0") refused
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = s.slice(lastColon + 1).split('.').map(Number);
    tail = v4;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = s.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - left.length - right.length;
  const groups = rest === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  const bytes: number[] = [];
  for (const g of groups) {
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 255);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function ipv6Text(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // The longest run (≥ 2) of zero groups becomes "::" (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** An IP address in any spelling (see the module comment); undefined when it is not an address. */
export function parseIp(text: string): ParsedIp | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  const v6 = parseIpv6(trimmed);
  if (v6) return { family: 6, bytes: v6, text: ipv6Text(v6) };
  const v4 = parseIpv4(trimmed);
  if (v4) return { family: 4, bytes: v4, text: v4.join('.') };
  return undefined;
}

function inV4(b: readonly number[], net: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((b[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/** Special-purpose IPv4 blocks (IANA registry), first match wins; anything else is public. */
const V4_BLOCKS: readonly (readonly [readonly number[], number, IpClass])[] = [
  [[0, 0, 0, 0], 8, 'unspecified'], // "this network"
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'cgnat'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'], // cloud metadata services live here
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2, 0], 24, 'reserved'], // documentation
  [[192, 31, 196, 0], 24, 'reserved'], // AS112
  [[192, 52, 193, 0], 24, 'reserved'], // AMT
  [[192, 88, 99, 0], 24, 'reserved'], // 6to4 relay anycast
  [[192, 168, 0, 0], 16, 'private'],
  [[192, 175, 48, 0], 24, 'reserved'], // direct delegation AS112
  [[198, 18, 0, 0], 15, 'reserved'], // benchmarking
  [[198, 51, 100, 0], 24, 'reserved'], // documentation
  [[203, 0, 113, 0], 24, 'reserved'], // documentation
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'], // future use and the broadcast address
];

function classifyV4(b: readonly number[]): IpClass {
  for (const [net, prefix, cls] of V4_BLOCKS) if (inV4(b, net, prefix)) return cls;
  return 'public';
}

/** What the IPv4 address inside an IPv6 one is, when it carries one: never public. */
const embedded = (v4: readonly number[]): IpClass => {
  const cls = classifyV4(v4);
  return cls === 'public' ? 'ipv4-embedded' : cls;
};

function classifyV6(b: readonly number[]): IpClass {
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && b[15] === 1) return 'loopback';
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return embedded(b.slice(12)); // ::ffff:a.b.c.d
  if (zeroUpTo(8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return embedded(b.slice(12)); // ::ffff:0:a.b.c.d (SIIT)
  if (zeroUpTo(12)) return embedded(b.slice(12)); // ::a.b.c.d (deprecated IPv4-compatible)
  if (inV4(b, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return embedded(b.slice(12)); // NAT64 well-known
  if (inV4(b, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48)) return 'private'; // local-use NAT64
  if (inV4(b, [0x01, 0x00, 0, 0, 0, 0, 0, 0], 64)) return 'reserved'; // discard-only
  if (inV4(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return 'reserved'; // documentation
  if (inV4(b, [0x20, 0x01, 0x00, 0x00], 23)) return 'reserved'; // IETF protocol assignments (Teredo, ORCHID…)
  if (inV4(b, [0x20, 0x02], 16)) return embedded(b.slice(2, 6)); // 6to4
  if (inV4(b, [0x3f, 0xff], 20)) return 'reserved'; // documentation
  if (inV4(b, [0x5f, 0x00], 16)) return 'reserved'; // SRv6 SIDs
  if (inV4(b, [0xfc], 7)) return 'private'; // unique local
  if (inV4(b, [0xfe, 0x80], 10)) return 'link-local';
  if (inV4(b, [0xfe, 0xc0], 10)) return 'private'; // deprecated site-local
  if (b[0] === 0xff) return 'multicast';
  if (inV4(b, [0x20], 3)) return 'public'; // global unicast
  return 'reserved';
}

/** The class of an address; undefined when `text` is not an IP address. */
export function classifyIp(text: string | ParsedIp): IpClass | undefined {
  const ip = typeof text === 'string' ? parseIp(text) : text;
  if (!ip) return undefined;
  return ip.family === 4 ? classifyV4(ip.bytes) : classifyV6(ip.bytes);
}

/** True only for a public unicast address (see classifyIp); false for anything else, names included. */
export const isPublicIp = (text: string): boolean => classifyIp(text) === 'public';

/** Why a URL may not be called. */
export type UrlRefusal =
  | 'url.invalid'
  | 'url.not_https'
  | 'url.userinfo'
  | 'url.port'
  | 'url.host_not_public'
  | 'url.host_not_allowed';

export interface CheckedUrl {
  readonly url: URL;
  /** The host without brackets or a trailing dot, lower case. */
  readonly host: string;
  /** The address when the host is an IP literal (then already checked public). */
  readonly ip?: ParsedIp;
  /** 443 unless another allowed port was given. */
  readonly port: number;
}

export interface UrlRuleOptions {
  /** Ports allowed besides 443 (none by default). */
  readonly allowPorts?: readonly number[];
  /** Host patterns ("graph.microsoft.com", "*.sharepoint.com"); any public host when absent. */
  readonly allowHosts?: readonly string[];
}

/** Names that never point at a public service, whatever DNS says. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home', 'corp', 'home.arpa', 'localdomain'];

/**
 * "*.example.com" matches any name under example.com (not example.com itself); anything else
 * matches that exact name. Case and a trailing dot are ignored.
 */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((raw) => {
    const p = raw.toLowerCase().replace(/\.$/, '');
    if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return h === p;
  });
}

/** Checks a URL given to an outbound call: https, no user-info, allowed port, public or allowed host. */
export function checkPublicHttpsUrl(raw: string, options: UrlRuleOptions = {}): Result<CheckedUrl, { code: UrlRefusal }> {
  if (typeof raw !== 'string' || raw.length > 4096 || /[\s\u0000-\u001f\u007f\\]/.test(raw)) return err({ code: 'url.invalid' });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return err({ code: 'url.invalid' });
  }
  if (url.protocol !== 'https:') return err({ code: 'url.not_https' });
  if (url.username !== '' || url.password !== '') return err({ code: 'url.userinfo' });
  const port = url.port === '' ? 443 : Number(url.port);
  if (port !== 443 && !(options.allowPorts ?? []).includes(port)) return err({ code: 'url.port' });
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === '') return err({ code: 'url.invalid' });
  // The URL parser already turned every IPv4 spelling into a dotted quad; parse again anyway, so a
  // different parser upstream cannot slip one through as a "name".
  const ip = parseIp(host);
  if (ip) {
    if (classifyIp(ip) !== 'public') return err({ code: 'url.host_not_public' });
  } else {
    const labels = host.split('.');
    const last = labels[labels.length - 1]!;
    if (labels.length < 2 || /^(?:0x[0-9a-f]*|[0-9]+)$/i.test(last)) return err({ code: 'url.host_not_public' });
    if (LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return err({ code: 'url.host_not_public' });
  }
  if (options.allowHosts && !hostMatches(host, options.allowHosts)) return err({ code: 'url.host_not_allowed' });
  return ok({ url, host, port, ...(ip ? { ip } : {}) });
}
