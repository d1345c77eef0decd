/** A form is data: ordered fields with domain parsers; the texts live in templates/es/formularios/<id>.json. */
import type { FieldParser } from '../../domain/fields.js';
import { messages } from '../../templates/render.js';

export interface FieldSpec {
  readonly key: string;
  readonly parse: FieldParser;
  readonly optional?: boolean;
  /** Asked only through a masked card input; never echoed, stored sealed. */
  readonly secret?: boolean;
  /** Asked only when this returns true for the values so far. */
  readonly when?: (values: Readonly<Record<string, unknown>>) => boolean;
  /** False: not listed in the review (e.g. a confirmation that repeats another field). */
  readonly inReview?: boolean;
  /** Display of a stored value in the review (default: as is; dates as dd/mm/aaaa). */
  readonly display?: (value: unknown) => string;
}

export interface FormSpec {
  readonly id: string;
  readonly fields: readonly FieldSpec[];
  /** Fields offered together in one card while all of them are still missing. */
  readonly cardGroups?: readonly (readonly string[])[];
  /** False: the form ends as soon as every field is given (e.g. a login), without the review. */
  readonly review?: boolean;
}

export interface Choice {
  readonly valor: string;
  readonly titulo: string;
}
export interface FieldTexts {
  readonly etiqueta: string;
  readonly pregunta: string;
  readonly ayuda?: string;
  readonly opciones?: readonly Choice[];
  readonly placeholder?: string;
}
export interface FormTexts {
  readonly titulo: string;
  readonly intro?: string;
  readonly campos: Readonly<Record<string, FieldTexts>>;
  readonly motivos?: Readonly<Record<string, string>>;
}

export function formTexts(spec: FormSpec): FormTexts {
  return messages<FormTexts>(`formularios/${spec.id}`);
}

/** A field's texts; `"opciones": "<name>"` refers to a shared list in templates/es/formularios/opciones/<name>.json. */
export function fieldTexts(spec: FormSpec, key: string): FieldTexts {
  const t = formTexts(spec).campos[key] as (Omit<FieldTexts, 'opciones'> & { opciones?: readonly Choice[] | string }) | undefined;
  if (!t) throw new Error(`form ${spec.id}: no texts for field ${key}`);
  if (typeof t.opciones === 'string') return { ...t, opciones: messages<Choice[]>(`formularios/opciones/${t.opciones}`) };
  return t as FieldTexts;
}

/** Fields that apply given the values so far. */
export function activeFields(spec: FormSpec, values: Readonly<Record<string, unknown>>): FieldSpec[] {
  return spec.fields.filter((f) => !f.when || f.when(values));
}

/** The first applicable field without a value: what the form asks next (undefined → review). */
export function nextMissingField(spec: FormSpec, values: Readonly<Record<string, unknown>>): FieldSpec | undefined {
  return activeFields(spec, values).find((f) => !(f.key in values));
}

/** Checks every text key exists at start-up, so a missing template fails fast, not mid-conversation. */
export function assertFormTexts(spec: FormSpec): void {
  for (const f of spec.fields) fieldTexts(spec, f.key);
}
