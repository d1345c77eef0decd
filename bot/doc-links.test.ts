/** Signed documentation links (bot/doc-links.ts): what they carry, what they never carry, and every way to alter one. */
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../domain/random.js';
import { DOC_LINK_MINUTES } from '../domain/rules.js';
import { createDocLinks } from './doc-links.js';

const KEY = Buffer.alloc(32, 7);
const ANDRES = 'CC:1017234567';
const MARIA = 'CC:1036612345';
const NIT = '890900841';
const SERVICIO = 'SolicitudAfiliacion';
const MINUTE = 60_000;

function setup(base = 'https://asistente.example/') {
  const clock = fakeClock('2026-12-02T15:00:00.000Z');
  const links = createDocLinks(KEY, clock, () => base);
  const url = new URL(links.swaggerLink(ANDRES, NIT, SERVICIO));
  const query = () => Object.fromEntries(url.searchParams) as Record<string, string>;
  return { clock, links, url, query };
}

describe('swaggerLink', () => {
  it('points at the service page of this base URL, with the CCF, a pseudonym, the expiry and the signature', () => {
    const { url, clock } = setup();
    expect(url.origin + url.pathname).toBe(`https://asistente.example/servicios/documentacion/${SERVICIO}`);
    expect([...url.searchParams.keys()]).toEqual(['c', 'p', 'exp', 'sig']);
    expect(url.searchParams.get('c')).toBe(NIT);
    expect(Number(url.searchParams.get('exp'))).toBe(clock.now().getTime() / 1000 + DOC_LINK_MINUTES * 60);
  });

  it('never carries the document number; the pseudonym is stable per person and differs between people', () => {
    const { links, url } = setup();
    expect(url.href).not.toContain('1017234567');
    expect(url.href).not.toContain('CC');
    const again = new URL(links.swaggerLink(ANDRES, NIT, 'ConsultaAfiliacion'));
    const maria = new URL(links.swaggerLink(MARIA, NIT, SERVICIO));
    expect(again.searchParams.get('p')).toBe(url.searchParams.get('p'));
    expect(maria.searchParams.get('p')).not.toBe(url.searchParams.get('p'));
  });

  it('depends on the key: another key makes another pseudonym and signature', () => {
    const { url } = setup();
    const other = new URL(createDocLinks(Buffer.alloc(32, 8), fakeClock('2026-12-02T15:00:00.000Z'), () => 'https://asistente.example').swaggerLink(ANDRES, NIT, SERVICIO));
    expect(other.searchParams.get('p')).not.toBe(url.searchParams.get('p'));
    expect(other.searchParams.get('sig')).not.toBe(url.searchParams.get('sig'));
  });
});

describe('verify', () => {
  it('accepts the link as made, until its last second, and names the CCF and the pseudonym', () => {
    const { links, query, clock } = setup();
    expect(links.verify(SERVICIO, query())).toEqual({ ok: true, nit: NIT, persona: query()['p'] });
    clock.advance(DOC_LINK_MINUTES * MINUTE);
    expect(links.verify(SERVICIO, query())).toMatchObject({ ok: true });
  });

  it('a genuine link past its minutes is "vencido"', () => {
    const { links, query, clock } = setup();
    clock.advance(DOC_LINK_MINUTES * MINUTE + 1000);
    expect(links.verify(SERVICIO, query())).toEqual({ ok: false, reason: 'vencido' });
  });

  const sig = (q: Record<string, string>) => q['sig']!;
  const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
  it.each<[string, (q: Record<string, string>) => Record<string, unknown>, string?]>([
    ['another signature', (q) => ({ ...q, sig: flip(sig(q)) })],
    ['a shorter signature', (q) => ({ ...q, sig: sig(q).slice(1) })],
    ['no signature', ({ sig: _s, ...q }) => q],
    ['another CCF', (q) => ({ ...q, c: '890900842' })],
    ['another person', (q) => ({ ...q, p: new URL(setup().links.swaggerLink(MARIA, NIT, SERVICIO)).searchParams.get('p')! })],
    ['a later expiry', (q) => ({ ...q, exp: String(Number(q['exp']) + 3600) })],
    ['an earlier expiry (still altered, not "vencido")', (q) => ({ ...q, exp: String(Number(q['exp']) - 7200) })],
    ['the expiry with a leading zero', (q) => ({ ...q, exp: `0${q['exp']}` })],
    ['another service', (q) => q, 'ConsultaAfiliacion'],
    ['a service name that is not an identifier', (q) => q, '../SolicitudAfiliacion'],
    ['a repeated parameter', (q) => ({ ...q, c: [q['c'], q['c']] })],
    ['a document number as the person', (q) => ({ ...q, p: 'CC:1017234567' })],
    ['nothing at all', () => ({})],
  ])('%s is "invalido"', (_name, alter, servicio = SERVICIO) => {
    const { links, query } = setup();
    expect(links.verify(servicio, alter(query()))).toEqual({ ok: false, reason: 'invalido' });
  });

  it('an altered link stays "invalido" after it would have expired', () => {
    const { links, query, clock } = setup();
    clock.advance(2 * DOC_LINK_MINUTES * MINUTE);
    expect(links.verify(SERVICIO, { ...query(), c: '890900842' })).toEqual({ ok: false, reason: 'invalido' });
  });
});

describe('isPerson', () => {
  it('tells the person the link was made for from anyone else', () => {
    const { links, query } = setup();
    const persona = query()['p']!;
    expect(links.isPerson(persona, ANDRES)).toBe(true);
    expect(links.isPerson(persona, MARIA)).toBe(false);
    expect(links.isPerson('x', ANDRES)).toBe(false);
  });
});
