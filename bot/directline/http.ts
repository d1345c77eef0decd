/**
 * HTTP helpers shared by the Direct Line routes: JSON errors, request parsing (JSON body, query,
 * watermark, bearer token, path parameters) and the wrapper that turns thrown errors into answers.
 */
import { createHash } from 'node:crypto';
import type restify from 'restify';
import type { Logger } from '../../domain/ports.js';
import { BodyError, MAX_JSON_DEPTH, parseJsonBody } from '../body.js';
import { MultipartError } from './multipart.js';

/** An expected failure, answered as `{ error: { code, message } }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A 400 BadArgument error. */
export const badRequest = (message: string) => new HttpError(400, 'BadArgument', message);

/** A route handler. */
export type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

/** A short, non-reversible reference to an id, for logs. */
export const ref = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);

/** A plain JSON object (not an array, not a buffer). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * The JSON body, as the body guard (index.ts) read it within the route's limits: parsed already
 * for a JSON content type, raw bytes (parsed here, depth checked) for any other; undefined when empty.
 */
export function jsonBody(req: restify.Request, maxDepth = MAX_JSON_DEPTH): unknown {
  const body: unknown = req.body;
  if (body === undefined || body === null) return undefined;
  if (Buffer.isBuffer(body) || typeof body === 'string') return parseJsonBody(body, maxDepth);
  return body;
}

/** The query string parameters. */
export function query(req: restify.Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

/** A watermark query parameter: undefined when absent or empty. */
export function watermarkOf(req: restify.Request): number | undefined {
  const raw = query(req).get('watermark');
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw badRequest('The watermark is not valid.');
  return Number(raw);
}

/** The token of an `Authorization: Bearer …` header. */
export function bearer(req: restify.Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** A path parameter ('' when absent). */
export function param(req: restify.Request, name: string): string {
  const params = req.params as Record<string, unknown> | undefined;
  const value = params?.[name];
  return typeof value === 'string' ? value : '';
}

/** Sends JSON that no cache keeps. */
export function sendJson(res: restify.Response, status: number, body: unknown): void {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, body);
}

/** Wraps a handler: expected errors become JSON answers, anything else is logged and answered 500. */
export type Handle = (name: string, fn: Handler) => Handler;

/** The `handle` wrapper for routes that log to `log`. */
export function createHandle(log: Logger): Handle {
  return (name, fn) => async (req, res) => {
    try {
      await fn(req, res);
    } catch (error) {
      if (error instanceof HttpError || error instanceof MultipartError || error instanceof BodyError) {
        const status = error.status;
        const code = error instanceof MultipartError ? 'BadArgument' : error.code;
        if (error instanceof MultipartError || status === 413) res.setHeader('Connection', 'close');
        sendJson(res, status, { error: { code, message: error.message } });
        return;
      }
      log.error('directline request failed', { route: name, err: error instanceof Error ? error : String(error) });
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'ServiceError', message: 'Internal error.' } });
    }
  };
}
