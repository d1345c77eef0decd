/**
 * /api/messages with MicrosoftAppId set: every token that cannot be validated is a 401 without
 * detail, also when the Bot Framework signing keys cannot be fetched; the log says why once.
 * No traffic leaves loopback: every HTTP(S) request and fetch to another host fails at once.
 */
import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../bot/log.js';
import { startApp, type TestApp } from './helpers/app.js';

const APP_ID = '00000000-0000-0000-0000-000000000001';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Hosts that something in this process tried to reach outside loopback. */
const outside: string[] = [];
const originals = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get, fetch: globalThis.fetch };

function hostOf(target: unknown): string {
  if (typeof target === 'string') return new URL(target).hostname;
  if (target instanceof URL) return target.hostname;
  if (target && typeof target === 'object') {
    const o = target as { hostname?: string; host?: string; url?: string };
    if (typeof o.url === 'string') return new URL(o.url).hostname; // a Request
    return o.hostname ?? (o.host ?? 'localhost').replace(/:\d+$/, '');
  }
  return 'localhost';
}

function refuse(host: string): Error {
  outside.push(host);
  return Object.assign(new Error(`connect ECONNREFUSED (test: ${host} is outside loopback)`), { code: 'ECONNREFUSED' });
}

function intercept<F extends (...args: never[]) => unknown>(original: F): F {
  return function (this: unknown, ...args: Parameters<F>) {
    const host = hostOf(args[0]);
    if (!LOOPBACK.has(host)) throw refuse(host);
    return original.apply(this, args);
  } as F;
}

const lines: Record<string, unknown>[] = [];
const log = createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));

function activity(extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    text: 'hola',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    conversation: { id: 'a:conv-auth' },
    from: { id: '29:user-1', name: 'Usuario' },
    recipient: { id: '28:bot', name: 'Asistente CCF' },
    id: `act-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    ...extra,
  };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** A JWT that looks like the Bot Framework's (issuer, audience, key id) with a made-up signature. */
function forged(iss: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: 'RS256', typ: 'JWT', kid: 'forged-key-id' });
  const payload = b64({ iss, aud: APP_ID, nbf: now - 60, iat: now - 60, exp: now + 3600, serviceurl: 'https://smba.trafficmanager.net/teams/' });
  return `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
}

describe('authenticated /api/messages: refusals without detail', () => {
  let app: TestApp;

  beforeAll(async () => {
    http.request = intercept(originals.httpRequest);
    http.get = intercept(originals.httpGet);
    https.request = intercept(originals.httpsRequest);
    https.get = intercept(originals.httpsGet);
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const host = hostOf(input);
      if (!LOOPBACK.has(host)) throw new TypeError('fetch failed', { cause: refuse(host) });
      return originals.fetch(input, init);
    }) as typeof fetch;
    app = await startApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password' }, { log });
  });

  afterAll(async () => {
    await app?.stop();
    Object.assign(http, { request: originals.httpRequest, get: originals.httpGet });
    Object.assign(https, { request: originals.httpsRequest, get: originals.httpsGet });
    globalThis.fetch = originals.fetch;
  });

  async function send(authorization?: string): Promise<{ status: number; text: string; ms: number }> {
    const started = Date.now();
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity()),
    });
    return { status: res.status, text: await res.text(), ms: Date.now() - started };
  }

  function expectBare401(r: { status: number; text: string }): void {
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'Unauthorized', message: 'The request is not authorized.' } });
    expect(r.text).not.toMatch(/botframework\.com|microsoftonline|https?:|ECONNREFUSED|stack|at /i);
  }

  const refusals = (reason: string) => lines.filter((l) => /\/api\/messages: a request/.test(String(l['msg'])) && l['reason'] === reason);

  it('no token, a token of no known issuer, a malformed header: 401 at once, nothing fetched', async () => {
    for (const authorization of [undefined, `Bearer ${forged('https://attacker.example.org')}`, 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic abc']) {
      const r = await send(authorization);
      expectBare401(r);
      expect(r.ms).toBeLessThan(2_000);
    }
    expect(outside).toEqual([]);
    expect(refusals('missing-token')).toHaveLength(1);
    expect(refusals('invalid-token')).toHaveLength(1); // logged once, the others counted
  });

  it('a Bot Framework-looking token while the signing keys cannot be fetched: 401 (not 500), no internal URL, logged once without a stack', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await send(`Bearer ${forged('https://api.botframework.com')}`);
      expectBare401(r);
      expect(r.ms).toBeLessThan(5_000);
    }
    // The SDK did try to fetch the OpenID metadata: the interception refused it (nothing left loopback).
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.every((h) => !LOOPBACK.has(h))).toBe(true);
    const logged = refusals('validation-unavailable');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.['level']).toBe('error');
    expect(String(logged[0]?.['why'])).toMatch(/ECONNREFUSED|fetch|openID/i);
    expect(JSON.stringify(logged[0])).not.toMatch(/\n\s+at /);
    expect(lines.some((l) => 'stack' in l || JSON.stringify(l).includes('"stack"'))).toBe(false);
  });
});
