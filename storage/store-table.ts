/**
 * One committed collection of the in-process engine: its records in insertion order, each
 * record's position, and value indexes (unique fields eagerly, looked-up fields on first use), all
 * maintained record by record so that a commit costs what it changes.
 */
import type { Entity } from '../domain/ports.js';

export type Rec = Entity & Record<string, unknown>;

/** A change of one commit, in the order it is applied (also the journal's unit). */
export type Change = { readonly op: 'put'; readonly collection: string; readonly record: Rec } | { readonly op: 'delete'; readonly collection: string; readonly id: string };

/** Records per slice when an index is built for a lookup (keeps each event-loop turn short). */
const BUILD_SLICE = 5_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A record's value of `field`, which may name a field of an object field ("delegado.citizenId"). */
export function fieldValue(rec: Rec, field: string): unknown {
  const dot = field.indexOf('.');
  if (dot < 0) return rec[field];
  const inner = rec[field.slice(0, dot)];
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>)[field.slice(dot + 1)] : undefined;
}

/** Values an index holds: strict equality on these is what Map keys compare (JSON has no NaN). */
export function indexable(value: unknown): boolean {
  return value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function' && !Number.isNaN(value));
}

/** value → ids holding it; a single id is kept as a string, several as a Set. */
export class MultiIndex {
  private readonly map = new Map<unknown, string | Set<string>>();

  add(value: unknown, id: string): void {
    if (!indexable(value)) return;
    const held = this.map.get(value);
    if (held === undefined) this.map.set(value, id);
    else if (typeof held === 'string') {
      if (held !== id) this.map.set(value, new Set([held, id]));
    } else held.add(id);
  }

  remove(value: unknown, id: string): void {
    if (!indexable(value)) return;
    const held = this.map.get(value);
    if (held === id) this.map.delete(value);
    else if (held instanceof Set) {
      held.delete(id);
      if (held.size === 1) this.map.set(value, held.values().next().value as string);
    }
  }

  get(value: unknown): Iterable<string> {
    const held = indexable(value) ? this.map.get(value) : undefined;
    if (held === undefined) return [];
    return typeof held === 'string' ? [held] : held;
  }
}

export class Table {
  readonly records = new Map<string, Rec>();
  private readonly positions = new Map<string, number>();
  private nextPosition = 0;
  private readonly indexes = new Map<string, MultiIndex>();
  private readonly building = new Map<string, Promise<MultiIndex>>();
  private changes = 0;

  constructor(uniqueFields: readonly string[] = [], initial: readonly Rec[] = []) {
    for (const rec of initial) this.put(rec);
    for (const field of uniqueFields) this.indexes.set(field, this.indexNow(field));
  }

  get size(): number {
    return this.records.size;
  }

  /** Where a record stands in insertion order (a replaced record keeps its place). */
  position(id: string): number {
    return this.positions.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Positions after every committed record, for records a transaction adds. */
  get end(): number {
    return this.nextPosition;
  }

  /** The index of `field` when it exists already (unique fields always have one). */
  index(field: string): MultiIndex | undefined {
    return this.indexes.get(field);
  }

  /** The index of `field`, built in slices on first use; callers hold the transaction queue. */
  async lookup(field: string): Promise<MultiIndex> {
    const ready = this.indexes.get(field);
    if (ready) return ready;
    let pending = this.building.get(field);
    if (!pending) {
      pending = this.indexInSlices(field);
      this.building.set(field, pending);
    }
    return pending;
  }

  put(rec: Rec): void {
    this.changes++;
    const old = this.records.get(rec.id);
    if (old) {
      for (const [field, index] of this.indexes) {
        const before = fieldValue(old, field);
        const after = fieldValue(rec, field);
        if (before !== after) {
          index.remove(before, rec.id);
          index.add(after, rec.id);
        }
      }
    } else {
      this.positions.set(rec.id, this.nextPosition++);
      for (const [field, index] of this.indexes) index.add(fieldValue(rec, field), rec.id);
    }
    this.records.set(rec.id, rec);
  }

  delete(id: string): void {
    const old = this.records.get(id);
    if (!old) return;
    this.changes++;
    for (const [field, index] of this.indexes) index.remove(fieldValue(old, field), id);
    this.records.delete(id);
    this.positions.delete(id);
  }

  private indexNow(field: string): MultiIndex {
    const index = new MultiIndex();
    for (const rec of this.records.values()) index.add(fieldValue(rec, field), rec.id);
    return index;
  }

  private async indexInSlices(field: string): Promise<MultiIndex> {
    // Only the transaction holding the queue runs meanwhile; a commit during the build (work that did
    // not await its findBy) makes the last slice build it again at once.
    const before = this.changes;
    let index = new MultiIndex();
    let done = 0;
    for (const rec of this.records.values()) {
      index.add(fieldValue(rec, field), rec.id);
      if (++done % BUILD_SLICE === 0) {
        await yieldToLoop();
        if (this.changes !== before) break;
      }
    }
    if (this.changes !== before) index = this.indexNow(field);
    this.indexes.set(field, index);
    this.building.delete(field);
    return index;
  }
}

/** Applies one commit's changes to the committed tables (also used to replay a journal). */
export function applyChanges(tables: Map<string, Table>, changes: readonly Change[], uniqueFields: Readonly<Record<string, readonly string[]>>): void {
  for (const change of changes) {
    let table = tables.get(change.collection);
    if (change.op === 'delete') {
      table?.delete(change.id);
      continue;
    }
    if (!table) {
      table = new Table(uniqueFields[change.collection]);
      tables.set(change.collection, table);
    }
    table.put(change.record);
  }
}
