/** Reading one answer of a form, with no Bot Framework types: choices, "omitir", the field parser; field names for "corregir". */
import { matchChoice } from '../../domain/choice.js';
import { saysItDoesNotApply } from '../../domain/commands.js';
import { isSkipAnswer, takesTheOnlyOption } from '../../domain/fields.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { fold } from '../../domain/text.js';
import { fieldTexts, type FieldSpec, type FormSpec, type FormValues } from './form-spec.js';

const MAX_RAW = 2000;

/**
 * A typed answer: "omitir" for an optional field; for a field with options, the option's value
 * (by its value, number, label or a unique word of it: domain/choice); then the field's parser.
 */
export function parseAnswer(
  spec: FormSpec,
  field: FieldSpec,
  raw: string,
  values: Readonly<FormValues>,
  today: Date,
  context?: Readonly<Record<string, string>>,
): Result<unknown> {
  if (raw.length > (field.maxLength ?? MAX_RAW)) return fail('too_long');
  // "omitir", "no tenemos", "no usamos usuario": none (a free text's words are its answer).
  if (field.optional && (isSkipAnswer(raw) || (!field.prose && saysItDoesNotApply(raw)))) return ok('');
  const ctx = { values, today, ...(context ? { context } : {}) };
  const options = fieldTexts(spec, field.key).opciones;
  if (!options) return field.parse(raw, ctx);
  const byValue = options.find((o) => fold(o.valor) === fold(raw));
  if (byValue) return field.parse(byValue.valor, ctx);
  // One option only ("¿Qué perfil tendrá la persona?" with one profile): "sí", "ok", "esa" take it.
  if (options.length === 1 && takesTheOnlyOption(raw)) return field.parse((options[0] as { valor: string }).valor, ctx);
  if (field.wordsFirst) {
    const own = field.parse(raw, ctx);
    if (own.ok) return own;
  }
  const m = matchChoice(raw, options.map((o) => o.titulo));
  if (m.kind === 'match') return field.parse((options[m.index] as { valor: string }).valor, ctx);
  const direct = field.parse(raw, ctx); // the parser may know other names ("cédula" → CC)
  if (direct.ok || m.kind !== 'ambiguous') return direct;
  return fail('choice.ambiguous', { opciones: m.indices.map((i) => options[i]?.titulo).join(', ') });
}

/**
 * The fields among `fields` that `name` designates: by key, else by label (accents, case and small
 * typos ignored; a unique word or prefix will do) or by its number in `fields`. Several when the name
 * fits more than one equally. `only: 'number'`: by its number ("2", "el primero") and nothing else.
 */
export function findFields(spec: FormSpec, fields: readonly FieldSpec[], name: string, only?: 'number'): FieldSpec[] {
  const m = matchChoice(name, fields.map((f) => fieldTexts(spec, f.key).etiqueta));
  if (only === 'number') return m.kind === 'match' && m.by === 'number' ? [fields[m.index] as FieldSpec] : [];
  const byKey = fields.find((f) => f.key === name || fold(f.key) === fold(name));
  if (byKey) return [byKey];
  if (m.kind === 'match') return [fields[m.index] as FieldSpec];
  if (m.kind === 'ambiguous') return m.indices.map((i) => fields[i] as FieldSpec);
  return [];
}

/** An answer that no longer fits after another changed: the field, and the parser's reason when it now refuses it. */
export interface StaleAnswer {
  readonly key: string;
  readonly refused?: { readonly code: string; readonly detail: Readonly<Record<string, unknown>> };
}

/**
 * After `changed` was given, the other answers that no longer fit, in field order: a field whose
 * condition is now false, or a text its parser now refuses (the number after a new document type).
 */
export function staleAnswers(
  spec: FormSpec,
  values: Readonly<FormValues>,
  changed: string,
  today: Date,
  context?: Readonly<Record<string, string>>,
): StaleAnswer[] {
  const kept: FormValues = { ...values };
  const stale: StaleAnswer[] = [];
  for (const f of spec.fields) {
    if (f.key === changed || !(f.key in kept)) continue;
    const v = kept[f.key];
    // A sealed secret is not text its parser could read again; only its condition is checked. An answer
    // the parser only doubts (its failure names it as `escrito`) was kept by the person: it still fits.
    const r = !f.secret && typeof v === 'string' && v !== '' ? f.parse(v, { values: kept, today, ...(context ? { context } : {}) }) : undefined;
    const refused = r !== undefined && !r.ok && r.error['escrito'] !== v ? r.error : undefined;
    if ((f.when && !f.when(kept)) || refused) {
      delete kept[f.key];
      stale.push(refused && !(f.when && !f.when(kept)) ? { key: f.key, refused: { code: refused.code, detail: refused } } : { key: f.key });
    }
  }
  return stale;
}
