/**
 * A form is data: ordered fields with domain parsers; the texts live in templates/es/formularios/<id>.json.
 * `FormSpec<T>` types the values a form returns; `FormSpec` (no argument) is the untyped form.
 */
import type { FieldParser } from '../../domain/fields.js';
import { messages } from '../../templates/render.js';

/** The values of a form declared without a type argument. */
export type FormValues = Record<string, unknown>;
export type FieldKey<T> = keyof T & string;

/** A sealed secret as kept in conversation state and returned to the caller (open it with the SecretBox). */
export interface SealedValue {
  readonly $sealed: string;
}
export const isSealed = (v: unknown): v is SealedValue =>
  typeof v === 'object' && v !== null && typeof (v as SealedValue).$sealed === 'string';

/** A secret field (typed `SealedValue` in T) parses text; the engine seals what its parser returns. */
type Parsed<V> = V extends SealedValue ? string : V;

export interface FieldSpec<T = FormValues, K extends FieldKey<T> = FieldKey<T>> {
  readonly key: K;
  readonly parse: FieldParser<Parsed<T[K]>>;
  /** May be skipped ("omitir"): its value is then '', so its type must admit ''. */
  readonly optional?: '' extends T[K] ? boolean : never;
  /** Asked only through a masked card input; never echoed, stored sealed, never in a draft. */
  readonly secret?: boolean;
  /**
   * Reasons of `parse` meaning the message itself holds a secret (a private key pasted where the public
   * one goes): it is then removed from the conversation, or the person asked to delete it, as a typed password.
   */
  readonly retractOn?: readonly string[];
  /** The longest answer read, in characters (default 2000; a pasted certificate chain or JSON example needs more). */
  readonly maxLength?: number;
  /**
   * An answer that gives this field and the next ones at once ("CC 70123456" for the document type):
   * their raw texts by key, each then read by its own parser; all must be good, or none is taken.
   */
  alsoFills?(raw: string): Readonly<Record<string, string>> | undefined;
  /**
   * A file may be attached instead of typing (a certificate, a JSON example): at most `maxBytes`, its
   * text (`text`, undefined when the file is not one it reads) taken as the typed answer.
   */
  readonly archivo?: { readonly maxBytes: number; readonly text: (bytes: Uint8Array) => string | undefined };
  /**
   * The parser reads the person's words before the options' titles do, for options whose titles share
   * words: "entidad pública" is Pública, not "Entidades de derecho público no sometidas…".
   */
  readonly wordsFirst?: boolean;
  /** Several lines (a PEM, a JSON example): a multi-line input in the card. */
  readonly multiline?: boolean;
  /**
   * Free prose (a reason, a description): a question typed here is the answer. Elsewhere a question
   * ("¿para qué es esto?", "no sé qué poner") is read as asking for the field's help.
   */
  readonly prose?: boolean;
  /**
   * The person makes the answer up (a name for a new credential or site): there is nothing to look
   * up, so the help does not offer to leave and come back with it.
   */
  readonly chosen?: boolean;
  /** Asked only when this returns true for the values so far (an unasked field is absent from the values). */
  when?(values: Partial<T>): boolean;
  /** What this field's question and help may name, read from the answers so far (e.g. the HTTP method chosen, at the example). */
  textData?(values: Partial<T>): Readonly<Record<string, string>>;
  /** False: not listed in the review (e.g. a confirmation that repeats another field). */
  readonly inReview?: boolean;
  /** Display of a stored value in the review (default: as is; option titles; dates as dd/mm/aaaa); `values`: the other answers, when known. */
  display?(value: T[K], values: Partial<T>): string;
}

/** Any field of T (a union over its keys, so that `key` picks the parser's type). */
export type AnyField<T> = { [K in FieldKey<T>]-?: FieldSpec<T, K> }[FieldKey<T>];

/** A check over the whole form that failed, bound to the field the person must give again. */
export interface FieldFailure<T = FormValues> {
  readonly field: FieldKey<T>;
  /** A reason code: its text comes from the form's `motivos` or templates/es/formularios/motivos.json. */
  readonly code: string;
  readonly detail?: Readonly<Record<string, unknown>>;
  /**
   * "atrás" at this re-ask leaves the form (as at its first question) and drops its draft: what was
   * typed is of no further use (e.g. a person already authorized), so no walking back field by field.
   */
  readonly backLeaves?: boolean;
  /**
   * The answers do not fit together and any of these may be the wrong one (a person's data that does
   * not match the reference sources): they are kept and shown, and the person chooses which to correct,
   * instead of `field` being dropped and asked again.
   */
  readonly correct?: readonly FieldKey<T>[];
}

/** What `validate` may know besides the values. */
export interface ValidateContext {
  /** The person with a session, if any (FormDeps.draftOwner). */
  readonly citizenId?: string;
  /** What the parent passed in FormOptions.context (e.g. the company the form is about). */
  readonly context?: Readonly<Record<string, string>>;
  readonly today: Date;
}

export interface FormSpec<T = FormValues> {
  readonly id: string;
  readonly fields: readonly AnyField<T>[];
  /** Fields offered together in one card while all of them are still missing. */
  readonly cardGroups?: readonly (readonly FieldKey<T>[])[];
  /** False: the form ends as soon as every field is given (e.g. a login), without the review. */
  readonly review?: boolean;
  /**
   * An async check over all the values (e.g. "this e-mail is already registered"). It runs each time
   * the form becomes complete, before the review (or before finishing when there is no review); a
   * failure re-asks its field with the reason, keeping the other values.
   */
  validate?(values: T, ctx: ValidateContext): Promise<FieldFailure<T> | undefined>;
  /**
   * Validate early: as soon as every field up to this one is given, before asking the next ones (e.g. "this
   * person is already authorized" before asking where they work). `validate` must then read only those
   * fields; changing a later field does not validate again.
   */
  readonly validateAfter?: FieldKey<T>;
  /** Answers are saved after each change for a person with a session, and resumed on the next start. */
  readonly draft?: boolean;
}

/** What a completed form returns to its parent. */
export interface FormResult<T = FormValues> {
  readonly formId: string;
  readonly values: T;
}

/** The typed result of `spec`, as a waterfall step receives it; throws when it is not that form's result. */
export function formResult<T>(result: unknown, spec: FormSpec<T>): FormResult<T> {
  const r = maybeFormResult(result, spec);
  if (!r) throw new Error(`expected the result of form ${spec.id}`);
  return r;
}

/** Like formResult, but undefined when the step did not get that form's result (e.g. the form was skipped). */
export function maybeFormResult<T>(result: unknown, spec: FormSpec<T>): FormResult<T> | undefined {
  const r = result as Partial<FormResult<T>> | undefined;
  return r && typeof r === 'object' && r.formId === spec.id && r.values !== undefined ? (r as FormResult<T>) : undefined;
}

/** The spec seen by the engine, which keeps values as a plain record while the form runs. */
export const untyped = <T>(spec: FormSpec<T>): FormSpec => spec as unknown as FormSpec;

export interface Choice {
  readonly valor: string;
  readonly titulo: string;
}
export interface FieldTexts {
  readonly etiqueta: string;
  readonly pregunta: string;
  /**
   * The question asked again after a reason that already says the rules and gives an example
   * (e.g. the proposed identifier): the short form, so that no two examples follow each other.
   */
  readonly repregunta?: string;
  readonly ayuda?: string;
  readonly opciones?: readonly Choice[];
  readonly placeholder?: string;
}
export interface FormTexts {
  readonly titulo: string;
  readonly intro?: string;
  readonly campos: Readonly<Record<string, FieldTexts>>;
  readonly motivos?: Readonly<Record<string, string>>;
  /**
   * The review's title and lead, when the form is about someone else ("Revise los datos de la persona"),
   * and how a secret answer is shown ("•••••••• (se guardará cifrada)"); default comun.json.
   */
  readonly revision?: { readonly titulo?: string; readonly intro?: string; readonly secreto?: string };
  /** Replaces a used card with a masked input (default: comun.json "tarjeta-enviada"), e.g. "Datos de ingreso enviados." */
  readonly enviada?: string;
}

/** What the text helpers need of a form: its id. */
export interface FormRef {
  readonly id: string;
}

export function formTexts(spec: FormRef): FormTexts {
  return messages<FormTexts>(`formularios/${spec.id}`);
}

/** A field's texts; `"opciones": "<name>"` refers to a shared list in templates/es/formularios/opciones/<name>.json. */
export function fieldTexts(spec: FormRef, key: string): FieldTexts {
  const t = formTexts(spec).campos[key] as (Omit<FieldTexts, 'opciones'> & { opciones?: readonly Choice[] | string }) | undefined;
  if (!t) throw new Error(`form ${spec.id}: no texts for field ${key}`);
  if (typeof t.opciones === 'string') return { ...t, opciones: messages<Choice[]>(`formularios/opciones/${t.opciones}`) };
  return t as FieldTexts;
}

/** Fields that apply given the values so far. */
export function activeFields(spec: FormSpec, values: Readonly<FormValues>): FieldSpec[] {
  return spec.fields.filter((f) => !f.when || f.when(values));
}

/** The first applicable field without a value: what the form asks next (undefined → review). */
export function nextMissingField(spec: FormSpec, values: Readonly<FormValues>): FieldSpec | undefined {
  return activeFields(spec, values).find((f) => !(f.key in values));
}

/** Checks every text key exists at start-up, so a missing template fails fast, not mid-conversation. */
export function assertFormTexts<T>(spec: FormSpec<T>): void {
  for (const f of untyped(spec).fields) fieldTexts(spec, f.key);
}
