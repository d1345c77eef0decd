/**
 * Copies of the store's records without a round trip through a string. A transaction hands out a
 * copy of every record it reads and stores a JSON copy of every record it puts; for records of a
 * few hundred bytes, `structuredClone` and `JSON.parse(JSON.stringify(…))` each cost several
 * microseconds, most of it serializing, where walking the record costs a tenth of that.
 */

/** Nesting this deep is taken for a cycle: JSON.stringify then says so (or copies what really is that deep). */
const MAX_DEPTH = 512;

/** A deep copy of JSON data (plain objects, arrays, strings, finite numbers, booleans, null): what the store holds. */
export function copyJson<T>(value: T): T {
  return copyData(value, 0) as T;
}

function copyData(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return JSON.parse(JSON.stringify(value)) as unknown;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyData(value[i], depth + 1);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) set(out, key, copyData((value as Record<string, unknown>)[key], depth + 1));
  return out;
}

/** `out[key] = v` as JSON.parse defines it: a "__proto__" key is a property, not the object's prototype. */
function set(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  else out[key] = v;
}

/**
 * What `JSON.parse(JSON.stringify(value))` returns, built directly: properties that are undefined,
 * functions or symbols left out (null in an array), non-finite numbers as null (-0 as 0), `toJSON` honoured
 * (a Date becomes its ISO string), only own enumerable string keys; a BigInt or a cycle throws as
 * JSON.stringify does. Anything else it does not know (a boxed primitive) goes through JSON itself.
 */
export function toJsonData<T>(value: T): T {
  const out = jsonValue(value, '', 0);
  if (out === undefined) throw new TypeError('toJsonData: the value has no JSON form');
  return out as T;
}

const OMIT = undefined;

function jsonValue(value: unknown, key: string, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null; // -0 is written 0
    case 'undefined':
    case 'function':
    case 'symbol':
      return OMIT;
    case 'bigint':
      return JSON.stringify(value); // throws: "Do not know how to serialize a BigInt"
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) return JSON.parse(JSON.stringify(value)) as unknown; // a cycle throws here
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonValue(toJSON.call(value, key), key, depth + 1);
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.parse(JSON.stringify(value)) as unknown;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = jsonValue(value[i], String(i), depth + 1) ?? null;
    return out;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record)) {
    const v = jsonValue(record[k], k, depth + 1);
    if (v !== OMIT) set(out, k, v);
  }
  return out;
}
