/**
 * How a conversation-state file is encoded. Sealed files hold `box.seal(payload)`, where the payload is
 * the `{ key, item }` JSON deflated (`z1:` + base64) — a dialog stack repeats its prompt texts, so an
 * idle conversation costs about half — or, as earlier versions wrote it, the JSON itself. Without a
 * box the file is the plain JSON (readable, for tests and old files).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { SecretBox } from '../domain/ports.js';

const DEFLATED = 'z1:';
/** A stored state is small; far more than this inflated is a corrupt or hostile file, not a state. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/** True when the file's text is sealed (anything but plain JSON). */
export const isSealedState = (text: string): boolean => !text.trimStart().startsWith('{');

/**
 * The file's text for `json`: deflated and sealed with `box`, or the JSON itself without one.
 * `deflate: false` seals the JSON as it is (the journal's lines: the files are deflated when it is
 * folded into them, off the request path; a line is read back only after a crash).
 */
export function encodeState(json: string, box: SecretBox | undefined, opts: { deflate?: boolean } = {}): string {
  if (!box) return json;
  if (opts.deflate === false) return box.seal(json);
  return box.seal(DEFLATED + deflateRawSync(Buffer.from(json, 'utf8'), { level: 1 }).toString('base64'));
}

/** The JSON a file's text holds; `open` is the box's (or a rotating box's) open. Throws on a bad file. */
export function decodeState(text: string, open: ((sealed: string) => string) | undefined): string {
  const trimmed = text.trim();
  if (!isSealedState(trimmed)) return trimmed;
  if (!open) throw new Error('sealed and no key was given');
  const payload = open(trimmed);
  if (!payload.startsWith(DEFLATED)) return payload;
  return inflateRawSync(Buffer.from(payload.slice(DEFLATED.length), 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
}
