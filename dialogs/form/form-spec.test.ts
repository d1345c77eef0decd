import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseDocumentType, parseEmail, parseName, parseSex } from '../../domain/fields.js';
import type { DocumentType, Sex } from '../../domain/reference.js';
import { formResult, maybeFormResult, type FormSpec, type FormValues, type SealedValue } from './form-spec.js';

interface Contacto {
  tipoDocumento: DocumentType;
  sexo: Sex;
  email?: string;
  clave: SealedValue;
}

/** Compiles only if the field types line up: `key` picks the parser's value type. */
const contacto: FormSpec<Contacto> = {
  id: 'contacto',
  fields: [
    { key: 'tipoDocumento', parse: parseDocumentType, display: (v) => v.toLowerCase() },
    { key: 'sexo', parse: parseSex },
    { key: 'email', parse: parseEmail, optional: true, when: (v) => v.tipoDocumento !== 'TI' },
    { key: 'clave', parse: parseName, secret: true }, // a secret field parses text; the engine seals it
  ],
  cardGroups: [['tipoDocumento', 'sexo']],
  validate: async (values) => (values.email?.endsWith('.co') ? undefined : { field: 'email', code: 'email.format' }),
};

describe('FormSpec<T>', () => {
  it('refuses fields that do not fit T (checked by tsc)', () => {
    const wrong: FormSpec<Contacto> = {
      id: 'x',
      fields: [
        // @ts-expect-error a parser of any text is not a parser of Sex
        { key: 'sexo', parse: parseName },
        // @ts-expect-error a document type cannot be skipped: '' is not a DocumentType
        { key: 'tipoDocumento', parse: parseDocumentType, optional: true },
        // @ts-expect-error not a field of Contacto
        { key: 'estatura', parse: parseName },
      ],
      // @ts-expect-error not a field of Contacto
      cardGroups: [['estatura']],
    };
    expect(wrong.fields).toHaveLength(3);
  });

  it('formResult gives the typed values of that form', () => {
    const result: unknown = { formId: 'contacto', values: { tipoDocumento: 'CC', sexo: 'F', clave: { $sealed: 'x' } } };
    const { values } = formResult(result, contacto);
    expectTypeOf(values).toEqualTypeOf<Contacto>();
    expect(values.tipoDocumento).toBe('CC');
  });

  it('a form declared without a type argument returns plain values', () => {
    const plain: FormSpec = { id: 'plain', fields: [{ key: 'a', parse: parseName, optional: true, display: (v) => String(v) }] };
    expectTypeOf(formResult({ formId: 'plain', values: {} }, plain).values).toEqualTypeOf<FormValues>();
  });

  it.each([
    [undefined, false],
    [{ formId: 'otro', values: {} }, false],
    [{ formId: 'contacto' }, false],
    ['contacto', false],
    [{ formId: 'contacto', values: {} }, true],
  ])('the result of another form is refused: %j → %s', (result, fits) => {
    expect(maybeFormResult(result, contacto) !== undefined).toBe(fits);
    if (fits) expect(() => formResult(result, contacto)).not.toThrow();
    else expect(() => formResult(result, contacto)).toThrow(/contacto/);
  });
});
