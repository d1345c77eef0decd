/**
 * Bounded request bodies, in place of restify's bodyParser (which read and parsed up to 6 MB of
 * JSON for every route before the route's own checks). Each route reads at most its own byte
 * limit: 413 at once when the Content-Length says more, or as soon as the bytes read exceed it.
 * A JSON body is scanned for its nesting depth (a counter over the bytes, no recursion) before
 * JSON.parse, and refused with 400 when it nests deeper than a limit or is not valid JSON.
 */
import type { IncomingMessage } from 'node:http';
import type restify from 'restify';

/** /api/messages: Bot Framework activities (cards included), never megabytes. */
export const API_MESSAGES_MAX_BYTES = 300 * 1024;
/** Any other route that takes a body and has no limit of its own. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/** Deepest JSON nesting accepted (objects and arrays); Adaptive Cards stay far below it. */
export const MAX_JSON_DEPTH = 64;
/** A refused body is read on (and discarded) up to this many bytes, so that the client gets the answer. */
const MAX_DRAIN_BYTES = 1024 * 1024;

/** A body refused before it reached the route: 400 (malformed, too deep) or 413 (too large). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const tooLarge = () => new BodyError(413, 'MessageSizeTooBig', 'The body is too large.');

/**
 * Whether the JSON text nests at most `maxDepth` objects/arrays: a counter over the bytes (no
 * recursion); the inside of strings is skipped with native searches for the closing quote.
 */
export function withinJsonDepth(bytes: Buffer, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      // Skip to the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const end = bytes.indexOf(0x22, i + 1);
        if (end < 0) return true; // unterminated: JSON.parse refuses it
        let backslashes = 0;
        while (bytes[end - 1 - backslashes] === 0x5c) backslashes++;
        i = end;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}

/** Parses a JSON body: undefined when empty; 400 when too deep or not JSON. */
export function parseJsonBody(body: Buffer | string, maxDepth = MAX_JSON_DEPTH): unknown {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  if (!withinJsonDepth(bytes, maxDepth)) throw new BodyError(400, 'BadArgument', 'The JSON body is nested too deeply.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'BadArgument', 'The body is not valid JSON.');
  }
}

/**
 * Reads the whole body into memory, refusing (413) as soon as it exceeds `maxBytes`: at once when
 * the Content-Length says so. A refused body is discarded (up to 1 MB, then the connection is left
 * to be closed) before the promise rejects, so that the client is still reading when answered.
 */
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes && declared > maxBytes + MAX_DRAIN_BYTES) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused: BodyError | undefined = Number.isFinite(declared) && declared > maxBytes ? tooLarge() : undefined;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (error) {
        req.resume(); // whatever still comes is discarded; the answer closes the connection
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > maxBytes + MAX_DRAIN_BYTES) finish(refused);
        return;
      }
      if (size > maxBytes) {
        refused = tooLarge();
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(refused);
    const onError = (e: Error) => finish(e);
    const onAborted = () => finish(new BodyError(400, 'BadArgument', 'The body was interrupted.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Whether the request carries a body at all. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length.trim() !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

const isJsonType = (contentType: string | undefined): boolean =>
  contentType === undefined || contentType.trim() === '' || /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);

/** One route's body limit. */
export interface BodyRule {
  /** Only this method (any when absent). */
  readonly method?: string;
  /** Matched against the path (without the query). */
  readonly path: RegExp;
  readonly maxBytes: number;
  readonly maxDepth?: number;
  /** The route reads the body itself, within `maxBytes` (e.g. multipart uploads): left unread here. */
  readonly self?: boolean;
}

export interface BodyGuardOptions {
  readonly rules: readonly BodyRule[];
  /** Limit of requests no rule matches; when absent they are left alone (another guard reads them). */
  readonly defaultMaxBytes?: number;
  readonly maxDepth?: number;
}

type BodyFlags = { _readBody?: boolean; _parsedBody?: boolean; body?: unknown };

/** Whether the body was read already (by a guard, or by a route that reads its own, e.g. uploads). */
export function bodyTaken(req: restify.Request): boolean {
  const flags = req as unknown as BodyFlags;
  return flags._readBody === true || flags._parsedBody === true;
}

/** Marks the body as read, so that no later guard or parser touches it. */
export function markBodyTaken(req: restify.Request): void {
  const flags = req as unknown as BodyFlags;
  flags._readBody = true;
  flags._parsedBody = true;
}

/** Answers a refused body as `{ error: { code, message } }` and closes the connection. */
export function refuseBody(res: restify.Response, error: BodyError): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  res.setHeader('Cache-Control', 'no-store');
  res.send(error.status, { error: { code: error.code, message: error.message } });
}

/**
 * A restify handler (for `server.pre` or `server.use`) that reads the body of the request with the
 * limits of its route: `req.body` becomes the parsed JSON (undefined when empty) for JSON content
 * types, the raw bytes otherwise. Bodies already read by someone else are left alone.
 */
export function bodyGuard(opts: BodyGuardOptions): restify.RequestHandler {
  return (req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (bodyTaken(req)) return next();
    const path = req.getPath();
    const rule = opts.rules.find((r) => (r.method === undefined || r.method === req.method) && r.path.test(path));
    const maxBytes = rule?.maxBytes ?? opts.defaultMaxBytes;
    if (maxBytes === undefined) return next();
    markBodyTaken(req);
    if (rule?.self) return next();
    if (!hasBody(req)) {
      (req as unknown as BodyFlags).body = undefined;
      return next();
    }
    const maxDepth = rule?.maxDepth ?? opts.maxDepth ?? MAX_JSON_DEPTH;
    readRawBody(req, maxBytes).then(
      (bytes) => {
        try {
          (req as unknown as BodyFlags).body = isJsonType(req.headers['content-type']) ? parseJsonBody(bytes, maxDepth) : bytes;
        } catch (error) {
          if (error instanceof BodyError) {
            refuseBody(res, error);
            return next(false);
          }
          return next(error as Error);
        }
        return next();
      },
      (error: unknown) => {
        if (error instanceof BodyError) {
          refuseBody(res, error);
          return next(false);
        }
        res.setHeader('Connection', 'close');
        return next(false);
      },
    );
  };
}
