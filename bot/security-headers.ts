/**
 * Security headers, in one place: a baseline set on every response (a `pre` handler: JSON, HTML,
 * assets, errors and 404s alike), and the Content-Security-Policy of each kind of page, which the
 * page's own response sets over the baseline.
 */
import type restify from 'restify';

/** On every response: no MIME sniffing, no referrer, never in a frame. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Anything that is not a page (JSON, assets, errors): nothing may load, nothing may frame it. */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The account pages (set / reset password, unlock): their own stylesheet and icon, a form to themselves. */
export const ACCOUNT_PAGE_CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The local chat page: its scripts (chat.js and the Web Chat bundle) and stylesheet from this
 * origin, Direct Line on this origin. Web Chat adds <style> elements at run time (emotion), so
 * styles need 'unsafe-inline'; it shows uploaded images and attachments as blob: and data: URLs
 * and Direct Line JS reads a file chosen for upload from its blob: URL before sending it; Web Chat
 * makes the thumbnail of an image in a worker it starts from a blob: URL.
 * No inline script, no eval, no other origin.
 */
export const CHAT_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of an HTML page with this policy (never cached). */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...BASE_SECURITY_HEADERS,
    'Content-Security-Policy': csp,
  };
}

/** A restify `pre` handler that puts the baseline headers (and DEFAULT_CSP) on every response. */
export function securityHeaders(): restify.RequestHandler {
  return (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    return next();
  };
}
