/**
 * Short-lived signed links to a service's documentation page (Swagger UI), one per person, CCF and
 * service. The person is named by a pseudonym (an HMAC of their citizen id), never by a document
 * number; the signature covers the purpose, the service, the CCF, the pseudonym and the expiry.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SERVICIO_ID } from '../domain/catalogo.js';
import type { Clock } from '../domain/ports.js';
import { DOC_LINK_MINUTES } from '../domain/rules.js';

const TTL_SECONDS = DOC_LINK_MINUTES * 60;
const PURPOSE = 'asistente-ccf/doc-link/v1';
const PERSON_PURPOSE = 'asistente-ccf/doc-link-persona/v1';

/** Where the documentation page of a service is (the signed query goes after it). */
export const docPagePath = (servicioId: string): string => `/servicios/documentacion/${servicioId}`;

/** What a link carries, once its signature and expiry are checked. */
export type DocLinkCheck = { readonly ok: true; readonly nit: string; readonly persona: string } | { readonly ok: false; readonly reason: 'vencido' | 'invalido' };

const FORMAT = {
  nit: /^\d{6,15}$/,
  persona: /^[A-Za-z0-9_-]{22}$/,
  exp: /^\d{1,12}$/,
  sig: /^[A-Za-z0-9_-]{43}$/,
} as const;

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Makes and checks documentation links with `key` (derived for this purpose only). */
export function createDocLinks(key: Buffer, clock: Clock, baseUrl: () => string) {
  const pseudonym = (citizenId: string): string => createHmac('sha256', key).update(`${PERSON_PURPOSE}\n${citizenId}`).digest().subarray(0, 16).toString('base64url');
  // JSON of a fixed tuple: no field can run into the next one.
  const sign = (servicioId: string, nit: string, persona: string, exp: number): string =>
    createHmac('sha256', key).update(JSON.stringify([PURPOSE, servicioId, nit, persona, exp])).digest('base64url');
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  return {
    /** The link for this person, CCF and service, valid DOC_LINK_MINUTES from now. */
    swaggerLink(citizenId: string, nit: string, servicioId: string): string {
      const persona = pseudonym(citizenId);
      const exp = nowSeconds() + TTL_SECONDS;
      const query = new URLSearchParams({ c: nit, p: persona, exp: String(exp), sig: sign(servicioId, nit, persona, exp) });
      return `${baseUrl().replace(/\/+$/, '')}${docPagePath(encodeURIComponent(servicioId))}?${query.toString()}`;
    },

    /** The signature first (constant time), then the expiry: an altered link is 'invalido', only a genuine old one 'vencido'. */
    verify(servicioId: string, query: Readonly<Record<string, unknown>>): DocLinkCheck {
      const { c: nit, p: persona, exp, sig } = query;
      if (
        !SERVICIO_ID.test(servicioId) ||
        typeof nit !== 'string' || !FORMAT.nit.test(nit) ||
        typeof persona !== 'string' || !FORMAT.persona.test(persona) ||
        typeof exp !== 'string' || !FORMAT.exp.test(exp) ||
        typeof sig !== 'string' || !FORMAT.sig.test(sig)
      ) {
        return { ok: false, reason: 'invalido' };
      }
      const e = Number(exp);
      if (String(e) !== exp) return { ok: false, reason: 'invalido' }; // one spelling per expiry
      if (!sameText(sign(servicioId, nit, persona, e), sig)) return { ok: false, reason: 'invalido' };
      if (e < nowSeconds()) return { ok: false, reason: 'vencido' };
      return { ok: true, nit, persona };
    },

    /** Whether `citizenId` is the person the pseudonym of a link was made for. */
    isPerson(persona: string, citizenId: string): boolean {
      return sameText(pseudonym(citizenId), persona);
    },
  };
}

export type DocLinks = ReturnType<typeof createDocLinks>;
