import { describe, expect, it } from 'vitest';
import { checkPublicHttpsUrl, classifyIp, hostMatches, isPublicIp, parseIp } from './net-rules.js';

describe('classifyIp: every spelling of an address', () => {
  it.each([
    // loopback, in every IPv4 spelling
    ['127.0.0.1', 'loopback', '127.0.0.1'],
    ['127.1', 'loopback', '127.0.0.1'],
    ['127.0.1', 'loopback', '127.0.0.1'],
    ['2130706433', 'loopback', '127.0.0.1'],
    ['0x7f000001', 'loopback', '127.0.0.1'],
    ['0X7F000001', 'loopback', '127.0.0.1'],
    ['017700000001', 'loopback', '127.0.0.1'],
    ['0177.0.0.1', 'loopback', '127.0.0.1'],
    ['0x7f.0.0.1', 'loopback', '127.0.0.1'],
    ['0x7f.1', 'loopback', '127.0.0.1'],
    ['127.000.000.001', 'loopback', '127.0.0.1'],
    ['0x00000000007f.1', 'loopback', '127.0.0.1'],
    ['0000000177.0.0.01', 'loopback', '127.0.0.1'],
    ['127.0.0.1.', 'loopback', '127.0.0.1'],
    ['127.255.255.254', 'loopback', '127.255.255.254'],
    // IPv6 loopback and IPv4 inside IPv6
    ['::1', 'loopback', '::1'],
    ['[::1]', 'loopback', '::1'],
    ['0:0:0:0:0:0:0:1', 'loopback', '::1'],
    ['::ffff:127.0.0.1', 'loopback', '::ffff:7f00:1'],
    ['::ffff:7f00:1', 'loopback', '::ffff:7f00:1'],
    ['[::ffff:7f00:0001]', 'loopback', '::ffff:7f00:1'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback', '::ffff:7f00:1'],
    ['::ffff:0:127.0.0.1', 'loopback', '::ffff:0:7f00:1'],
    ['::127.0.0.1', 'loopback', '::7f00:1'],
    ['64:ff9b::127.0.0.1', 'loopback', '64:ff9b::7f00:1'],
    ['2002:7f00:1::', 'loopback', '2002:7f00:1::'],
    ['::ffff:10.0.0.1', 'private', '::ffff:a00:1'],
    ['::ffff:169.254.169.254', 'link-local', '::ffff:a9fe:a9fe'],
    ['::ffff:8.8.8.8', 'ipv4-embedded', '::ffff:808:808'],
    ['64:ff9b::8.8.8.8', 'ipv4-embedded', '64:ff9b::808:808'],
    ['2002:0808:0808::1', 'ipv4-embedded', '2002:808:808::1'],
    // unspecified
    ['0.0.0.0', 'unspecified', '0.0.0.0'],
    ['0', 'unspecified', '0.0.0.0'],
    ['0x0', 'unspecified', '0.0.0.0'],
    ['0.1.2.3', 'unspecified', '0.1.2.3'],
    ['::', 'unspecified', '::'],
    ['[::]', 'unspecified', '::'],
    // private
    ['10.0.0.1', 'private', '10.0.0.1'],
    ['167772161', 'private', '10.0.0.1'],
    ['012.0.0.1', 'private', '10.0.0.1'],
    ['10.1', 'private', '10.0.0.1'],
    ['172.16.0.1', 'private', '172.16.0.1'],
    ['172.31.255.255', 'private', '172.31.255.255'],
    ['192.168.1.1', 'private', '192.168.1.1'],
    ['0xc0a80101', 'private', '192.168.1.1'],
    ['192.168.257', 'private', '192.168.1.1'],
    ['fc00::1', 'private', 'fc00::1'],
    ['fd12:3456:789a::1', 'private', 'fd12:3456:789a::1'],
    ['fec0::1', 'private', 'fec0::1'],
    ['64:ff9b:1::1', 'private', '64:ff9b:1::1'],
    // link-local (cloud metadata)
    ['169.254.169.254', 'link-local', '169.254.169.254'],
    ['2852039166', 'link-local', '169.254.169.254'],
    ['0xa9fea9fe', 'link-local', '169.254.169.254'],
    ['0251.0376.0251.0376', 'link-local', '169.254.169.254'],
    ['fe80::1', 'link-local', 'fe80::1'],
    ['FE80::ABCD', 'link-local', 'fe80::abcd'],
    ['febf::1', 'link-local', 'febf::1'],
    // CGNAT
    ['100.64.0.1', 'cgnat', '100.64.0.1'],
    ['100.127.255.255', 'cgnat', '100.127.255.255'],
    // multicast
    ['224.0.0.1', 'multicast', '224.0.0.1'],
    ['239.255.255.250', 'multicast', '239.255.255.250'],
    ['ff02::1', 'multicast', 'ff02::1'],
    // reserved
    ['255.255.255.255', 'reserved', '255.255.255.255'],
    ['4294967295', 'reserved', '255.255.255.255'],
    ['240.0.0.1', 'reserved', '240.0.0.1'],
    ['192.0.0.8', 'reserved', '192.0.0.8'],
    ['192.0.2.1', 'reserved', '192.0.2.1'],
    ['198.18.0.1', 'reserved', '198.18.0.1'],
    ['198.19.255.255', 'reserved', '198.19.255.255'],
    ['198.51.100.7', 'reserved', '198.51.100.7'],
    ['203.0.113.9', 'reserved', '203.0.113.9'],
    ['192.88.99.1', 'reserved', '192.88.99.1'],
    ['2001:db8::1', 'reserved', '2001:db8::1'],
    ['2001::1', 'reserved', '2001::1'],
    ['100::1', 'reserved', '100::1'],
    ['3fff::1', 'reserved', '3fff::1'],
    ['4000::1', 'reserved', '4000::1'],
    // public
    ['8.8.8.8', 'public', '8.8.8.8'],
    ['134744072', 'public', '8.8.8.8'],
    ['0x08080808', 'public', '8.8.8.8'],
    ['010.010.010.010', 'public', '8.8.8.8'],
    ['1.1.1.1', 'public', '1.1.1.1'],
    ['100.63.255.255', 'public', '100.63.255.255'],
    ['100.128.0.0', 'public', '100.128.0.0'],
    ['172.15.255.255', 'public', '172.15.255.255'],
    ['172.32.0.0', 'public', '172.32.0.0'],
    ['13.107.6.152', 'public', '13.107.6.152'],
    ['2603:1030::1', 'public', '2603:1030::1'],
    ['2620:1ec:4::152', 'public', '2620:1ec:4::152'],
    ['[2001:4860:4860::8888]', 'public', '2001:4860:4860::8888'],
  ])('%s → %s', (text, cls, canonical) => {
    expect(classifyIp(text)).toBe(cls);
    expect(parseIp(text)?.text).toBe(canonical);
    expect(isPublicIp(text)).toBe(cls === 'public');
  });

  it.each([
    ['localhost'],
    ['example.com'],
    [''],
    ['256.0.0.1'],
    ['1.2.3.4.5'],
    ['127.0.0.256'],
    ['127.16777216'],
    ['4294967296'],
    ['0x100000000'],
    ['08.0.0.1'],
    ['0xg.0.0.1'],
    ['1..1'],
    ['fe80::1%eth0'],
    ['[fe80::1%25eth0]'],
    ['1:2:3:4:5:6:7:8:9'],
    ['::ffff:127.0.0.256'],
    ['12345678901234567890'],
  ])('%j is not an address', (text) => {
    expect(parseIp(text)).toBeUndefined();
    expect(classifyIp(text)).toBeUndefined();
    expect(isPublicIp(text)).toBe(false);
  });
});

describe('checkPublicHttpsUrl', () => {
  it.each([
    ['https://graph.microsoft.com/v1.0/x', 'graph.microsoft.com', 443],
    ['https://contoso.sharepoint.com/sites/a/b.pdf?x=1', 'contoso.sharepoint.com', 443],
    ['https://CONTOSO.SharePoint.com./a', 'contoso.sharepoint.com', 443],
    ['https://8.8.8.8/', '8.8.8.8', 443],
    ['https://0x08080808/', '8.8.8.8', 443],
    ['https://[2001:4860:4860::8888]/', '2001:4860:4860::8888', 443],
    ['https://example.com:443/', 'example.com', 443],
  ])('accepts %s', (raw, host, port) => {
    const r = checkPublicHttpsUrl(raw);
    expect(r.ok && { host: r.value.host, port: r.value.port }).toEqual({ host, port });
  });

  it.each([
    ['not a url', 'url.invalid'],
    ['https://exa mple.com/', 'url.invalid'],
    ['https://example.com\\@127.0.0.1/', 'url.invalid'],
    ['http://example.com/', 'url.not_https'],
    ['file:///etc/passwd', 'url.not_https'],
    ['ftp://example.com/x', 'url.not_https'],
    ['javascript:alert(1)', 'url.not_https'],
    ['https://user:pass@example.com/', 'url.userinfo'],
    ['https://user@example.com/', 'url.userinfo'],
    ['https://example.com@127.0.0.1/', 'url.userinfo'],
    ['https://example.com:8443/', 'url.port'],
    ['https://example.com:80/', 'url.port'],
    ['https://127.0.0.1/', 'url.host_not_public'],
    ['https://127.1/', 'url.host_not_public'],
    ['https://2130706433/', 'url.host_not_public'],
    ['https://0x7f000001/', 'url.host_not_public'],
    ['https://0177.0.0.1/', 'url.host_not_public'],
    ['https://[::1]/', 'url.host_not_public'],
    ['https://[::ffff:127.0.0.1]/', 'url.host_not_public'],
    ['https://[::ffff:8.8.8.8]/', 'url.host_not_public'],
    ['https://169.254.169.254/latest/meta-data', 'url.host_not_public'],
    ['https://10.0.0.1/', 'url.host_not_public'],
    ['https://localhost/', 'url.host_not_public'],
    ['https://LOCALHOST./', 'url.host_not_public'],
    ['https://api.localhost/', 'url.host_not_public'],
    ['https://printer.local/', 'url.host_not_public'],
    ['https://metadata.google.internal/', 'url.host_not_public'],
    ['https://intranet/', 'url.host_not_public'],
  ])('refuses %s (%s)', (raw, code) => {
    const r = checkPublicHttpsUrl(raw);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('allows another port only when asked', () => {
    const r = checkPublicHttpsUrl('https://example.com:8443/', { allowPorts: [8443] });
    expect(r.ok && r.value.port).toBe(8443);
  });

  it('applies an allow-list of hosts', () => {
    const allow = ['graph.microsoft.com', '*.sharepoint.com'];
    expect(checkPublicHttpsUrl('https://contoso.sharepoint.com/a', { allowHosts: allow }).ok).toBe(true);
    const refused = (raw: string) => {
      const r = checkPublicHttpsUrl(raw, { allowHosts: allow });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(refused('https://sharepoint.com/a')).toBe('url.host_not_allowed');
    expect(refused('https://evilsharepoint.com/a')).toBe('url.host_not_allowed');
    expect(refused('https://contoso.sharepoint.com.evil.example/a')).toBe('url.host_not_allowed');
    expect(refused('https://8.8.8.8/')).toBe('url.host_not_allowed');
  });
});

describe('hostMatches', () => {
  it.each([
    ['a.sharepoint.com', '*.sharepoint.com', true],
    ['a.b.sharepoint.com', '*.sharepoint.com', true],
    ['sharepoint.com', '*.sharepoint.com', false],
    ['xsharepoint.com', '*.sharepoint.com', false],
    ['Graph.Microsoft.com.', 'graph.microsoft.com', true],
    ['x.graph.microsoft.com', 'graph.microsoft.com', false],
  ])('%s ~ %s = %s', (host, pattern, expected) => {
    expect(hostMatches(host, [pattern])).toBe(expected);
  });
});
