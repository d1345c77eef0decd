import { describe, expect, it } from 'vitest';
import { parseDocumentNumber, parseDocumentType, parseEmailAnswer, parseName, parseOptionalName, parseSex, parseYesNo } from '../../domain/fields.js';
import type { DocumentType, Sex } from '../../domain/reference.js';
import { parseServiceIdentifier } from '../../domain/compartir-campos.js';
import { fail, ok } from '../../domain/result.js';
import { decide, draftOf, resumeFrom, startState, type EngineEnv, type EngineStep, type FormEvent } from './engine.js';
import type { FieldFailure, FormSpec, FormValues, SealedValue } from './form-spec.js';
import { ingresoForm } from '../cuenta/cuenta.forms.js';
import { contactoForm } from '../registro/contacto.form.js';

interface Persona {
  tipoDocumento: DocumentType;
  numeroDocumento: string;
  primerNombre: string;
  segundoNombre?: string;
  sexo: Sex;
}
/** Texts from templates/es/formularios/registro-datos-basicos.json. */
const persona: FormSpec<Persona> = {
  id: 'registro-datos-basicos',
  fields: [
    { key: 'tipoDocumento', parse: parseDocumentType },
    { key: 'numeroDocumento', parse: parseDocumentNumber },
    { key: 'primerNombre', parse: parseName },
    { key: 'segundoNombre', parse: parseOptionalName, optional: true },
    { key: 'sexo', parse: parseSex },
  ],
};

interface Acceso {
  usuario: string;
  clave: SealedValue;
}
/** Texts from templates/es/formularios/ejemplo-clave.json. */
const acceso: FormSpec<Acceso> = {
  id: 'ejemplo-clave',
  fields: [
    { key: 'usuario', parse: parseName },
    { key: 'clave', parse: (raw) => (raw.length >= 10 ? ok(raw) : fail('too_short')), secret: true },
  ],
  review: false,
  draft: true,
};

const env: EngineEnv = { today: new Date('2026-11-26T15:00:00Z'), seal: (plain) => ({ $sealed: `sealed(${plain.length})` }) };
const SECRET = 'Clave-Muy-Secreta-2026';
const ANA: FormValues = { tipoDocumento: 'CC', numeroDocumento: '70123456', primerNombre: 'ANA', segundoNombre: '', sexo: 'F' };

type Input = string | Record<string, unknown> | FormEvent;
const toEvent = (spec: FormSpec<never> | { id: string }, i: Input): FormEvent => {
  if (typeof i === 'string') return { kind: 'text', text: i };
  if ('kind' in i) return i as FormEvent;
  return { kind: 'submit', value: { __form: spec.id, ...i } };
};

/** Starts the form (with `initial`) and plays the inputs; the last step. */
function play<T>(spec: FormSpec<T>, inputs: readonly Input[], initial: FormValues = {}): EngineStep {
  let step = decide(spec, startState(initial), { kind: 'start' }, env);
  for (const input of inputs) step = decide(spec, step.state, toEvent(spec, input), env);
  return step;
}

describe('form engine decisions', () => {
  it.each<[string, readonly Input[], FormValues, object, FormValues?]>([
    ['start asks the first field', [], {}, { kind: 'ask', field: 'tipoDocumento' }],
    ['an answer moves to the next field', ['CC'], {}, { kind: 'ask', field: 'numeroDocumento' }, { tipoDocumento: 'CC' }],
    ['a choice by number', ['2'], {}, { kind: 'ask', field: 'numeroDocumento' }, { tipoDocumento: 'CE' }],
    ['a choice by label, any case and accents', ['PASAPORTE'], {}, { kind: 'ask' }, { tipoDocumento: 'PA' }],
    ['a choice by a unique word', ['extranjeria'], {}, { kind: 'ask' }, { tipoDocumento: 'CE' }],
    ['several labels fit but the parser knows the word', ['cédula'], {}, { kind: 'ask' }, { tipoDocumento: 'CC' }],
    ['several labels fit: re-ask naming them', ['permiso'], {}, { kind: 'reask', field: 'tipoDocumento', reason: 'choice.ambiguous' }, {}],
    ['a bad answer re-asks with the parser reason', ['xyz'], {}, { kind: 'reask', field: 'tipoDocumento', reason: 'document_type.unknown' }, {}],
    ['no text nor card: re-ask', [{ kind: 'none' }], {}, { kind: 'reask', field: 'tipoDocumento', reason: 'type' }],
    ['atrás at the first question', ['atrás'], {}, { kind: 'noPrevious' }],
    ['atrás asks the previous field again, its answer removed and given as before', ['CC', 'atrás'], {}, { kind: 'ask', field: 'tipoDocumento', antes: 'CC' }, {}],
    ['ayuda answers for the field being asked', ['CC', 'ayuda'], {}, { kind: 'help', field: 'numeroDocumento' }],
    ['omitir skips an optional field', ['CC', '70123456', 'Ana', 'omitir'], {}, { kind: 'ask', field: 'sexo' }, { segundoNombre: '' }],
    ['all given: the review', [], ANA, { kind: 'review' }],
    ['confirmar at the review finishes', ['confirmar'], ANA, { kind: 'finish', values: ANA }],
    ['anything else at the review shows it again', ['quizás'], ANA, { kind: 'review', retry: true }],
    ['corregir <campo> asks only that field', ['corregir sexo'], ANA, { kind: 'ask', field: 'sexo' }, { ...ANA, sexo: undefined }],
    ['corregir with a typo in the label', ['corregir numro de documento'], ANA, { kind: 'ask', field: 'numeroDocumento' }],
    ['corregir by the field key (a card button)', [{ __action: 'corregir', field: 'primerNombre' }], ANA, { kind: 'ask', field: 'primerNombre' }],
    ['corregir a name that fits two fields offers both', ['corregir nombre'], ANA, { kind: 'chooseCorrection', fields: ['primerNombre', 'segundoNombre'] }],
    ['corregir an unknown field', ['corregir estatura'], ANA, { kind: 'unknownField', name: 'estatura' }],
    ['corregir the field being asked asks it again', ['CC', 'corregir numero de documento'], {}, { kind: 'ask', field: 'numeroDocumento' }, { tipoDocumento: 'CC' }],
    ['corregir a field not yet asked is unknown', ['CC', 'corregir sexo'], {}, { kind: 'unknownField', name: 'sexo' }],
    ['corregir alone lists the answered fields', ['corregir'], ANA, { kind: 'chooseCorrection', fields: Object.keys(ANA) }],
    ['after corregir, the field name is typed', ['corregir', 'sexo'], ANA, { kind: 'ask', field: 'sexo' }],
    ['the corrected field is answered: back to the review', ['corregir sexo', 'M'], ANA, { kind: 'review' }, { ...ANA, sexo: 'M' }],
    ['a card fills several fields', [{ tipoDocumento: 'CC', numeroDocumento: '70.123.456', primerNombre: 'Ana' }], {}, { kind: 'ask', field: 'segundoNombre' }],
    [
      'a card with a bad field re-asks it and keeps the others',
      [{ tipoDocumento: 'CC', numeroDocumento: '12', primerNombre: 'Ana' }],
      {},
      { kind: 'reask', field: 'numeroDocumento', reason: 'document_number.CC' },
      { tipoDocumento: 'CC', primerNombre: 'ANA' },
    ],
    ['an empty card re-asks', [{}], {}, { kind: 'reask', field: 'tipoDocumento', reason: 'empty' }],
    ['a card value that is not text', [{ tipoDocumento: ['CC'] }], {}, { kind: 'reask', reason: 'type' }],
    [
      'a new document type drops the number that no longer fits',
      ['corregir tipo de documento', 'PPT'],
      ANA,
      { kind: 'ask', field: 'numeroDocumento' },
      { ...ANA, tipoDocumento: 'PT', numeroDocumento: undefined },
    ],
    ['"empezar de nuevo" is an answer like any other where drafts are off', ['empezar de nuevo'], {}, { kind: 'reask', reason: 'document_type.unknown' }],
  ])('%s', (_name, inputs, initial, decision, values) => {
    const step = play(persona, inputs, initial);
    expect(step.decision).toMatchObject(decision);
    if (values) for (const [k, v] of Object.entries(values)) expect(step.state.values[k], k).toEqual(v);
  });

  it('the number asked again after a new document type says why: the field changed, the old answer, the reason', () => {
    const step = play(persona, ['corregir tipo de documento', 'PPT'], ANA);
    expect(step.decision).toEqual({ kind: 'ask', field: 'numeroDocumento', cambio: { por: 'tipoDocumento', antes: ANA.numeroDocumento, reason: 'document_number.PT', detail: expect.any(Object) } });
    // Said once: the next answer clears it, and a later ask of that field says nothing more.
    const answered = play(persona, ['corregir tipo de documento', 'PPT', '1234567'], ANA);
    expect(answered.state.stale).toBeUndefined();
    expect(play(persona, ['corregir tipo de documento', 'PPT', 'corregir numero de documento'], ANA).decision).toEqual({ kind: 'ask', field: 'numeroDocumento' });
  });

  it('"atrás" at the list of answers to correct goes back to the review (not to the last question answered)', () => {
    const step = play(persona, ['corregir', 'atrás'], ANA);
    expect(step.decision).toEqual({ kind: 'review' });
    expect(step.state.values).toEqual(ANA);
    expect(play(persona, ['CC', '70123456', 'quiero cambiar algo', 'atrás']).decision).toEqual({ kind: 'ask', field: 'primerNombre' });
  });

  it('saying why an answer is asked again does not change the state it is given', () => {
    const { numeroDocumento: _dropped, ...rest } = ANA;
    const state = { ...startState(rest), stale: { numeroDocumento: { por: 'tipoDocumento', antes: '70123456', code: 'document_number.PT', detail: {} } } };
    const copy = structuredClone(state);
    const step = decide(persona, state, { kind: 'start' }, env);
    expect(step.decision).toMatchObject({ kind: 'ask', field: 'numeroDocumento', cambio: { por: 'tipoDocumento' } });
    expect(step.state.stale).toBeUndefined();
    expect(state).toEqual(copy);
  });

  it('never changes the state it is given', () => {
    const state = startState(ANA);
    const copy = structuredClone(state);
    decide(persona, state, { kind: 'text', text: 'corregir sexo' }, env);
    expect(state).toEqual(copy);
  });
});

describe('form engine: secrets', () => {
  it.each<[string, readonly Input[], object]>([
    ['text at the secret prompt is refused and to be retracted', ['Ana', SECRET], { kind: 'reask', field: 'clave', reason: 'secret_typed', retract: true }],
    ['a password typed at another prompt too', [SECRET], { kind: 'reask', field: 'usuario', reason: 'secret_typed.elsewhere', retract: true }],
    ['corregir followed by a password does not echo it', [`corregir ${SECRET}`], { kind: 'reask', reason: 'secret_typed.elsewhere', retract: true }],
    ['a bad answer that is no password is an ordinary re-ask', ['Ana 2'], { kind: 'reask', field: 'usuario', reason: 'name.chars' }],
    ['the masked card input is accepted, sealed', ['Ana', { clave: SECRET }], { kind: 'finish', values: { usuario: 'ANA', clave: { $sealed: `sealed(${SECRET.length})` } } }],
  ])('%s', (_name, inputs, decision) => {
    const step = play(acceso, inputs);
    expect(step.decision).toMatchObject(decision);
    expect(JSON.stringify(step.state)).not.toContain(SECRET);
  });

  it('a password-like text in a form without secrets is an ordinary bad answer', () => {
    expect(play(persona, ['CC', '70123456', SECRET]).decision).toMatchObject({ kind: 'reask', reason: 'name.chars' });
    expect(play(persona, ['CC', '70123456', SECRET]).decision).not.toHaveProperty('retract');
  });

  it('reports the accepted fields of the step', () => {
    expect(play(acceso, ['Ana', { clave: SECRET }]).accepted).toEqual(['clave']);
  });

  // A secret asked only with another answer (the OAuth form's password only with a username).
  const conUsuario: FormSpec<{ usuario: string; clave?: SealedValue; correo?: string }> = {
    id: 'ejemplo-clave',
    fields: [
      { key: 'usuario', parse: (raw) => ok(raw.trim() === '-' ? '' : raw.trim()) },
      { key: 'clave', parse: (raw) => ok(raw), secret: true, when: (v) => Boolean(v.usuario) },
      { key: 'correo', parse: (raw) => ok(raw) },
    ],
  };
  it('a conditional secret is not asked when its condition is false', () => {
    expect(play(conUsuario, ['-']).decision).toEqual({ kind: 'ask', field: 'correo' });
    expect(play(conUsuario, ['ana']).decision).toEqual({ kind: 'ask', field: 'clave' });
  });
  it('a sealed secret whose condition turns false is dropped; asked again when it turns true', () => {
    const review = play(conUsuario, ['ana', { clave: SECRET }, 'a@b.co']);
    expect(review.decision).toEqual({ kind: 'review' });
    const withoutUser = play(conUsuario, ['ana', { clave: SECRET }, 'a@b.co', 'corregir usuario', '-']);
    expect(withoutUser.decision).toEqual({ kind: 'review' });
    expect(withoutUser.state.values).toEqual({ usuario: '', correo: 'a@b.co' });
    const userAgain = play(conUsuario, ['ana', { clave: SECRET }, 'a@b.co', 'corregir usuario', '-', 'corregir usuario', 'eva']);
    expect(userAgain.decision).toEqual({ kind: 'ask', field: 'clave' });
  });
  it('one card with the answer and the secret it enables takes both', () => {
    const step = play(conUsuario, [{ usuario: 'ana', clave: SECRET }]);
    expect(step.decision).toEqual({ kind: 'ask', field: 'correo' });
    expect(step.state.values['clave']).toEqual({ $sealed: `sealed(${SECRET.length})` });
  });
});

describe('form engine: validate', () => {
  const emailTaken: FieldFailure<Persona> = { field: 'numeroDocumento', code: 'document_number.CC', detail: { tipo: 'CC' } };
  const checked: FormSpec<Persona> = { ...persona, validate: async () => undefined };

  it.each<[string, readonly Input[], object, FormValues?]>([
    ['the complete form asks for validation before the review', [], { kind: 'validate', values: ANA }],
    ['a failure re-asks its field with the reason, keeping the others', [{ kind: 'validated', failure: emailTaken }], { kind: 'reask', field: 'numeroDocumento', reason: 'document_number.CC', detail: { tipo: 'CC' } }, { ...ANA, numeroDocumento: undefined }],
    ['the field given again: validate again', [{ kind: 'validated', failure: emailTaken }, '70123457'], { kind: 'validate' }],
    ['success shows the review', [{ kind: 'validated' }], { kind: 'review' }],
    ['confirmar after success finishes without validating again', [{ kind: 'validated' }, 'confirmar'], { kind: 'finish' }],
    ['a correction needs a new validation', [{ kind: 'validated' }, 'corregir sexo', 'M'], { kind: 'validate' }],
  ])('%s', (_name, inputs, decision, values) => {
    const step = play(checked, inputs, ANA);
    expect(step.decision).toMatchObject(decision);
    if (values) for (const [k, v] of Object.entries(values)) expect(step.state.values[k], k).toEqual(v);
  });

  it('without a review, success finishes', () => {
    const login: FormSpec<Acceso> = { ...acceso, validate: async () => undefined };
    const asked = play(login, ['Ana', { clave: SECRET }]);
    expect(asked.decision.kind).toBe('validate');
    expect(decide(login, asked.state, { kind: 'validated' }, env).decision.kind).toBe('finish');
  });

  it('a failure naming a field that is not asked is a bug', () => {
    const step = play(checked, [], ANA);
    expect(() => decide(checked, step.state, { kind: 'validated', failure: { field: 'estatura', code: 'x' } }, env)).toThrow(/estatura/);
  });
});

describe('form engine: early validate (validateAfter)', () => {
  const early: FormSpec<Persona> = { ...persona, validate: async () => undefined, validateAfter: 'numeroDocumento' };
  const taken: FieldFailure<Persona> = { field: 'numeroDocumento', code: 'document_number.CC' };

  it.each<[string, readonly Input[], object]>([
    ['the fields up to validateAfter given: validate before asking the next one', ['CC', '70123456'], { kind: 'validate', values: { tipoDocumento: 'CC', numeroDocumento: '70123456' } }],
    ['a failure re-asks that field at once', ['CC', '70123456', { kind: 'validated', failure: taken }], { kind: 'reask', field: 'numeroDocumento' }],
    ['success goes on with the next field', ['CC', '70123456', { kind: 'validated' }], { kind: 'ask', field: 'primerNombre' }],
    ['a later field does not validate again', ['CC', '70123456', { kind: 'validated' }, 'Ana', 'omitir', 'F'], { kind: 'review' }],
    ['correcting an early field validates again', ['CC', '70123456', { kind: 'validated' }, 'Ana', 'corregir número', '70123457'], { kind: 'validate' }],
    ['correcting a later field does not', ['CC', '70123456', { kind: 'validated' }, 'Ana', 'omitir', 'F', 'corregir sexo', 'M'], { kind: 'review' }],
  ])('%s', (_name, inputs, decision) => {
    expect(play(early, inputs).decision).toMatchObject(decision);
  });
});

describe('form engine: a check that names several suspects (FieldFailure.correct)', () => {
  const early: FormSpec<Persona> = { ...persona, validate: async () => undefined, validateAfter: 'primerNombre' };
  const mismatch: FieldFailure<Persona> = { field: 'numeroDocumento', code: 'no_coincide', correct: ['tipoDocumento', 'numeroDocumento', 'primerNombre'] };
  const failed = ['CC', '70123456', 'Ana', { kind: 'validated', failure: mismatch }] as const;

  it('keeps every answer and offers the answered suspects to correct, with the reason', () => {
    const step = play(early, failed);
    expect(step.decision).toEqual({ kind: 'chooseCorrection', fields: ['tipoDocumento', 'numeroDocumento', 'primerNombre'], reason: 'no_coincide' });
    expect(step.state.values).toMatchObject({ tipoDocumento: 'CC', numeroDocumento: '70123456', primerNombre: 'ANA' });
    expect(step.state.current).toBeUndefined();
  });

  it.each<[string, readonly Input[], object]>([
    ['a field picked is asked, and its new answer is checked again', ['primer nombre', 'Anabel'], { kind: 'validate', values: { primerNombre: 'ANABEL' } }],
    ['"confirmar" checks the answers again as they are', ['confirmar'], { kind: 'validate', values: { primerNombre: 'ANA' } }],
    ['"atrás" goes to the last question answered, with its answer', ['atrás'], { kind: 'ask', field: 'primerNombre', antes: 'ANA' }],
  ])('then %s', (_name, inputs, decision) => {
    expect(play(early, [...failed, ...inputs]).decision).toMatchObject(decision);
  });

  it('refused again after "confirmar" (the same answers): says so (`again`); after a correction it is a new refusal', () => {
    const again = play(early, [...failed, 'confirmar', { kind: 'validated', failure: mismatch }]);
    expect(again.decision).toEqual({ kind: 'chooseCorrection', fields: ['tipoDocumento', 'numeroDocumento', 'primerNombre'], reason: 'no_coincide', again: true });
    const corrected = play(early, [...failed, 'primer nombre', 'Anabel', { kind: 'validated', failure: mismatch }]);
    expect(corrected.decision).not.toHaveProperty('again');
    expect(play(early, [...failed, 'confirmar', { kind: 'validated' }]).state.rechecking).toBeUndefined();
  });

  it('"atrás" at the review\'s list still goes back to the review, and "sí" there confirms nothing', () => {
    const checked: FormSpec<Persona> = { ...persona, validate: async () => undefined };
    expect(play(checked, [{ kind: 'validated' }, 'corregir', 'atrás'], ANA).decision).toEqual({ kind: 'review' });
    expect(play(checked, [{ kind: 'validated' }, 'corregir', 'si'], ANA).decision.kind).not.toBe('finish');
  });
});

describe('form engine: drafts', () => {
  it('a draft keeps every answer but the secret ones', () => {
    const step = play(acceso, ['Ana', { clave: SECRET }]);
    expect(draftOf(acceso, step.state)).toEqual({ values: { usuario: 'ANA' }, history: ['usuario'] });
  });

  it('resuming takes the saved answers that still fit, and asks what is missing', () => {
    const saved = { values: { tipoDocumento: 'CC', numeroDocumento: '12', primerNombre: 'ANA', otro: 'x' }, history: ['tipoDocumento', 'numeroDocumento', 'primerNombre', 'otro'] };
    const state = resumeFrom(persona, startState(), saved, env);
    expect(state.values).toEqual({ tipoDocumento: 'CC', primerNombre: 'ANA' });
    expect(state.history).toEqual(['tipoDocumento', 'primerNombre']);
    expect(decide(persona, state, { kind: 'start' }, env).decision).toEqual({ kind: 'ask', field: 'numeroDocumento' });
  });

  it('a secret never comes back from a draft', () => {
    const state = resumeFrom(acceso, startState(), { values: { usuario: 'ANA', clave: 'x' }, history: [] }, env);
    expect(state.values).toEqual({ usuario: 'ANA' });
  });

  it('"empezar de nuevo" clears the answers back to the initial ones', () => {
    const step = play(acceso, ['Ana', 'empezar de nuevo'], {});
    expect(step.decision).toEqual({ kind: 'restart' });
    expect(step.state.values).toEqual({});
    expect(decide(acceso, step.state, { kind: 'start' }, env).decision).toEqual({ kind: 'ask', field: 'usuario' });
  });
});

describe('a question typed instead of an answer', () => {
  const motivo: FormSpec<{ motivo: string }> = {
    id: 'mesa-motivo',
    fields: [{ key: 'motivo', parse: (raw) => (raw.trim().length >= 5 ? ok(raw.trim()) : fail('too_short')), prose: true }],
  };

  it.each([
    ['¿qué es el número de documento?', ['CC'], 'numeroDocumento'],
    ['no se que poner', ['CC', '70123456'], 'primerNombre'],
    ['para que sirve esto', ['CC', '70123456'], 'primerNombre'],
    ['no entiendo', ['CC', '70123456', 'Ana'], 'segundoNombre'],
  ])('"%s" gives the field help, not an error or an answer', (question, before, field) => {
    const step = play(persona, [...before, question]);
    expect(step.decision).toEqual({ kind: 'help', field, asked: true });
    expect(step.state.current).toBe(field);
    expect(step.state.values).not.toHaveProperty(field);
    expect(step.accepted).toEqual([]);
  });

  it('at a password, the question is neither kept nor retracted as a typed password', () => {
    const step = play(acceso, ['Ana', '¿para qué es esta contraseña?']);
    expect(step.decision).toEqual({ kind: 'help', field: 'clave', asked: true });
    expect(step.state.values).not.toHaveProperty('clave');
    // A real password typed in the chat is still refused and retracted.
    expect(decide(acceso, step.state, { kind: 'text', text: SECRET }, env).decision).toMatchObject({ kind: 'reask', reason: 'secret_typed', retract: true });
  });

  it('a "none" answer of an optional field and one-word answers stay answers', () => {
    expect(play(persona, ['CC', '70123456', 'Ana', 'no tengo']).state.values['segundoNombre']).toBe('');
    expect(play(persona, ['CC', '70123456', 'Ana?']).decision).toMatchObject({ kind: 'reask', field: 'primerNombre' });
  });

  it.each([
    ['omitir', ['CC']],
    ['no tengo', ['CC']],
    ['ese no lo tengo a la mano', ['CC']],
    ['ninguno', []],
  ])('"%s" where an answer is required: said to be required, not the format rule', (text, before) => {
    const step = play(persona, [...before, text]);
    expect(step.decision).toMatchObject({ kind: 'reask', reason: 'required' });
    expect(step.accepted).toEqual([]);
  });

  it.each(['no sé', 'ni idea', 'no se que poner'])('in free prose "%s" alone is no answer: the help', (text) => {
    const step = play(motivo, [text]);
    expect(step.decision).toEqual({ kind: 'help', field: 'motivo', asked: true });
    expect(step.accepted).toEqual([]);
  });

  it('in free prose (a reason) a question is the answer', () => {
    const step = play(motivo, ['¿Por qué no puedo ingresar con mi cédula?']);
    expect(step.accepted).toEqual(['motivo']);
    expect(step.state.values['motivo']).toBe('¿Por qué no puedo ingresar con mi cédula?');
  });
});

describe('a form of one prose answer: a sentence typed at its review', () => {
  const motivo: FormSpec<{ motivo: string }> = {
    id: 'mesa-motivo',
    fields: [{ key: 'motivo', parse: (raw) => (raw.trim().length >= 5 ? ok(raw.trim()) : fail('too_short')), prose: true }],
  };

  it('is the answer rewritten, reviewed again', () => {
    const step = play(motivo, ['mi celular', 'mi celular ahora es 3157778899']);
    expect(step.decision).toEqual({ kind: 'review' });
    expect(step.state.values['motivo']).toBe('mi celular ahora es 3157778899');
    expect(step.accepted).toEqual(['motivo']);
  });

  it.each(['sí, confirmar', 'no', 'no gracias', 'ok'])('"%s" is not an answer', (text) => {
    const step = play(motivo, ['mi celular', text]);
    expect(step.state.values['motivo']).toBe('mi celular');
  });

  it('"quiero cambiar algo" asks its one field again; "atrás" there gives the answer back', () => {
    const step = play(motivo, ['mi celular', 'quiero cambiar algo']);
    expect(step.decision).toEqual({ kind: 'ask', field: 'motivo' });
    expect(play(motivo, ['mi celular', 'quiero cambiar algo', 'atrás']).state.values['motivo']).toBe('mi celular');
  });

  it.each([
    ['quiero cambiar el sexo', { kind: 'ask', field: 'sexo' }],
    ['necesito corregir el numero de documento por favor', { kind: 'ask', field: 'numeroDocumento' }],
    ['cambiar nombre', { kind: 'chooseCorrection', fields: ['primerNombre', 'segundoNombre'] }],
    ['quiero cambiar algo', { kind: 'chooseCorrection', fields: ['tipoDocumento', 'numeroDocumento', 'primerNombre', 'segundoNombre', 'sexo'] }],
    ['hay que corregir la estatura', { kind: 'chooseCorrection', fields: ['tipoDocumento', 'numeroDocumento', 'primerNombre', 'segundoNombre', 'sexo'] }],
  ])('in a form of several fields, "%s" at the review is read as corregir', (text, decision) => {
    const step = play(persona, ['CC', '70123456', 'Ana', 'omitir', 'F', text]);
    expect(step.decision).toEqual(decision);
  });

  it.each([
    ['quiero cambiar el tipo de documento', { kind: 'ask', field: 'tipoDocumento' }],
    ['quiero cambiar el numero de documento', { kind: 'ask', field: 'numeroDocumento' }], // the question being asked: asked again
    ['quiero cambiar algo', { kind: 'ask', field: 'tipoDocumento' }], // the only answer so far
  ])('"%s" at a question is read as corregir', (text, decision) => {
    expect(play(persona, ['CC', text]).decision).toEqual(decision);
  });

  it('"quiero cambiar algo" at a question with several answers lists them; "el sexo" and "quiero cambiar el sexo" then name one', () => {
    const inputs = ['CC', '70123456', 'Ana', 'omitir', 'F', 'corregir primer nombre', 'quiero cambiar algo'];
    expect(play(persona, inputs).decision).toEqual({ kind: 'chooseCorrection', fields: ['tipoDocumento', 'numeroDocumento', 'segundoNombre', 'sexo'] });
    expect(play(persona, [...inputs, 'el sexo']).decision).toEqual({ kind: 'ask', field: 'sexo' });
    expect(play(persona, [...inputs, 'quiero cambiar el sexo']).decision).toEqual({ kind: 'ask', field: 'sexo' });
  });

  it('in free prose a request to change is the answer', () => {
    expect(play(motivo, ['quiero cambiar algo']).state.values['motivo']).toBe('quiero cambiar algo');
  });

  it('in a form of several fields, the review still asks for confirmar or corregir', () => {
    const step = play(persona, ['CC', '70123456', 'Ana', 'omitir', 'F', 'mi nombre es otro']);
    expect(step.decision).toEqual({ kind: 'review', retry: true });
  });
});

describe('"atrás" gives the answer it removes, to show with the question', () => {
  it('not for an optional field left empty', () => {
    const step = play(persona, ['CC', '70123456', 'Ana', 'omitir', 'atrás']);
    expect(step.decision).toEqual({ kind: 'ask', field: 'segundoNombre' });
  });
});

describe('a validate failure that "atrás" leaves (backLeaves)', () => {
  const checked: FormSpec<Persona> = { ...persona, validate: async () => undefined };
  const refuse = (state: EngineStep['state']) =>
    decide(checked, state, { kind: 'validated', failure: { field: 'numeroDocumento', code: 'autorizado.ya_asignado', backLeaves: true } }, env);

  it('"atrás" at that re-ask leaves the form and drops the draft', () => {
    const refused = refuse(play(checked, ['CC', '70123456', 'Ana', 'omitir', 'F']).state);
    expect(refused.decision).toMatchObject({ kind: 'reask', field: 'numeroDocumento' });
    expect(decide(checked, refused.state, { kind: 'text', text: 'atrás' }, env).decision).toEqual({ kind: 'noPrevious', discard: true });
  });

  it('once another answer is given, "atrás" walks back as usual', () => {
    const refused = refuse(play(checked, ['CC', '70123456', 'Ana', 'omitir', 'F']).state);
    const answered = decide(checked, refused.state, { kind: 'text', text: '80123456' }, env);
    expect(answered.state.backLeaves).toBeUndefined();
    expect(decide(checked, answered.state, { kind: 'text', text: 'atrás' }, env).decision.kind).not.toBe('noPrevious');
  });
});

describe('choosing the field to correct from a shown list', () => {
  const full = ['CC', '70123456', 'Ana', 'Lucía', 'F'];
  it.each([
    ['el primero', 'primerNombre'],
    ['1', 'primerNombre'],
    ['la segunda', 'segundoNombre'],
    ['2', 'segundoNombre'],
  ])('after "corregir nombre" lists both names, "%s" names %s (not the form\'s field of that number)', (answer, field) => {
    const listed = play(persona, [...full, 'corregir nombre']);
    expect(listed.decision).toEqual({ kind: 'chooseCorrection', fields: ['primerNombre', 'segundoNombre'] });
    const chosen = decide(persona, listed.state, { kind: 'text', text: answer }, env);
    expect(chosen.decision).toEqual({ kind: 'ask', field });
  });

  it('a field named by its label is still found among all the answered ones', () => {
    const listed = play(persona, [...full, 'corregir nombre']);
    expect(decide(persona, listed.state, { kind: 'text', text: 'sexo' }, env).decision).toEqual({ kind: 'ask', field: 'sexo' });
  });
});

describe('a document type and its number in one answer (alsoFills)', () => {
  it('"CC 70123456" at the document type of the login answers both; the password is asked next', () => {
    const step = play(ingresoForm, ['CC 70123456']);
    expect(step.decision).toEqual({ kind: 'ask', field: 'clave' });
    expect(step.state.values).toMatchObject({ tipoDocumento: 'CC', numeroDocumento: '70123456' });
    expect(step.accepted).toEqual(['tipoDocumento', 'numeroDocumento']);
  });

  it('a type with a number that does not fit it takes neither', () => {
    const step = play(ingresoForm, ['CC 12AB']);
    expect(step.decision).toMatchObject({ kind: 'reask', field: 'tipoDocumento' });
    expect(step.state.values).toEqual({});
  });
});

describe('correcting the e-mail of the contact data (its confirmation is not in the review)', () => {
  const given = ['ana@gmail.com', 'ana@gmail.com', '3001234567'];

  it.each(['corregir correo', 'quiero cambiar el correo', 'corregir'])('"%s" asks the e-mail, not which of the two', (text) => {
    const step = play(contactoForm, [...given, text]);
    expect(step.decision).toEqual(text === 'corregir' ? { kind: 'chooseCorrection', fields: ['email', 'celular'] } : { kind: 'ask', field: 'email' });
  });

  it('the new answer typed at the list of answers to correct is taken for the one field it fits', () => {
    const step = play(contactoForm, [...given, 'corregir', 'ana.gomez@gmail.com']);
    expect(step.decision).toEqual({ kind: 'ask', field: 'emailConfirmacion' });
    expect(step.state.values['email']).toBe('ana.gomez@gmail.com');
    const phone = play(contactoForm, [...given, 'quiero cambiar algo', '3157778899']);
    expect(phone.decision).toEqual({ kind: 'review' });
    expect(phone.state.values['celular']).toBe('3157778899');
    // A text that fits no field (or several) is still "no encontré ese dato".
    expect(play(contactoForm, [...given, 'corregir', 'hola']).decision).toMatchObject({ kind: 'unknownField' });
  });

  it('the new e-mail asks its confirmation plainly (not "ya no es válida"), then the review', () => {
    const step = play(contactoForm, [...given, 'corregir correo', 'ana.gomez@gmail.com']);
    expect(step.decision).toEqual({ kind: 'ask', field: 'emailConfirmacion' });
    expect(play(contactoForm, [...given, 'corregir correo', 'ana.gomez@gmail.com', 'ana.gomez@gmail.com']).decision).toEqual({ kind: 'review' });
  });
});

describe('an answer the parser doubts (a slip in an e-mail domain)', () => {
  const contacto = contactoForm;

  it('asks first, naming the address likely meant and the one typed', () => {
    const step = play(contacto, ['ana@gmial.com']);
    expect(step.decision).toMatchObject({ kind: 'reask', field: 'email', reason: 'email.sugerencia', detail: { sugerencia: 'ana@gmail.com', escrito: 'ana@gmial.com' } });
    expect(step.state.values).toEqual({});
  });

  it.each<[string, string, string]>([
    ['"sí" takes the suggestion', 'si', 'ana@gmail.com'],
    ['"no" keeps what was typed', 'no', 'ana@gmial.com'],
    ['the same address again keeps it', 'ANA@gmial.com', 'ana@gmial.com'],
    ['another address is read as a new answer', 'ana@gmail.com', 'ana@gmail.com'],
  ])('%s', (_, answer, kept) => {
    const step = play(contacto, ['ana@gmial.com', answer]);
    expect(step.decision).toEqual({ kind: 'ask', field: 'emailConfirmacion' });
    expect(step.state.values['email']).toBe(kept);
    expect(step.state.doubt).toBeUndefined();
    // The kept address stays through the next answers (they check the others again).
    const done = play(contacto, ['ana@gmial.com', answer, kept, '3001234567']);
    expect(done.state.values).toMatchObject({ email: kept, emailConfirmacion: kept, celular: '3001234567' });
  });

  it('"ayuda" leaves the question open; another slip asks again about that one; "sí" elsewhere is no answer to it', () => {
    expect(play(contacto, ['ana@gmial.com', 'ayuda', 'si']).state.values['email']).toBe('ana@gmail.com');
    const other = play(contacto, ['ana@gmial.com', 'ana@hotmial.com']);
    expect(other.decision).toMatchObject({ kind: 'reask', detail: { sugerencia: 'ana@hotmail.com' } });
    expect(play(contacto, ['ana@gmial.com', 'ana@hotmial.com', 'si']).state.values['email']).toBe('ana@hotmail.com');
    // A wrong answer in between ends the doubt: "sí" is then read as an address.
    expect(play(contacto, ['ana@gmial.com', 'xyz', 'si']).decision).toMatchObject({ kind: 'reask', reason: 'email.format' });
  });

  it('from a card: the same doubted address sent again is kept', () => {
    const card = { email: 'ana@gmial.com', emailConfirmacion: 'ana@gmial.com', celular: '3001234567' };
    expect(play(contacto, [card]).decision).toMatchObject({ kind: 'reask', field: 'email', reason: 'email.sugerencia' });
    const kept = play(contacto, [card, card]);
    expect(kept.state.values).toMatchObject({ email: 'ana@gmial.com', emailConfirmacion: 'ana@gmial.com', celular: '3001234567' });
  });
});

describe('"sí" to the answer "atrás" shows again', () => {
  it('keeps it and goes on; any other answer replaces it; only the next answer may', () => {
    const back = play(persona, ['CC', '70123456', 'Ana', 'atrás']);
    expect(back.decision).toEqual({ kind: 'ask', field: 'primerNombre', antes: 'ANA', mantener: true });
    const kept = play(persona, ['CC', '70123456', 'Ana', 'atrás', 'sí']);
    expect(kept.state.values['primerNombre']).toBe('ANA');
    expect(kept.decision).toMatchObject({ kind: 'ask', field: 'segundoNombre' });
    expect(play(persona, ['CC', '70123456', 'Ana', 'atrás', 'Luisa']).state.values['primerNombre']).toBe('LUISA');
    const later = play(persona, ['CC', '70123456', 'Ana', 'atrás', '1234', 'sí']);
    // A refused answer in between ends it: "sí" is read as usual, and no one is named "Sí".
    expect(later.state.values['primerNombre']).toBeUndefined();
    expect(later.decision).toMatchObject({ kind: 'reask', field: 'primerNombre', reason: 'name.reply' });
  });

  it('where "sí" answers the question itself (a yes-or-no field), it is that answer', () => {
    /** Texts from templates/es/formularios/registro-datos-basicos.json. */
    const siNo: FormSpec<{ primerNombre: string; sexo: boolean }> = {
      id: 'registro-datos-basicos',
      fields: [
        { key: 'primerNombre', parse: parseName },
        { key: 'sexo', parse: parseYesNo },
      ],
      review: false,
    };
    const back = play(siNo, ['Ana', 'no', 'atrás']);
    expect(back.decision).toEqual({ kind: 'ask', field: 'sexo', antes: false });
    expect(play(siNo, ['Ana', 'no', 'atrás', 'sí']).state.values['sexo']).toBe(true);
  });
});

describe('a valid answer the parser proposes for a refused one (a service identifier with spaces)', () => {
  /** Texts from templates/es/formularios/servicio-nuevo.json. */
  const servicio: FormSpec<{ id: string; descripcion: string }> = {
    id: 'servicio-nuevo',
    fields: [
      { key: 'id', parse: parseServiceIdentifier },
      { key: 'descripcion', parse: (raw) => (raw.trim().length >= 3 ? ok(raw.trim()) : fail('too_short')) },
    ],
    review: false,
  };

  it('is named in the reason; "sí", "ok" or "ese" then take it', () => {
    const refused = play(servicio, ['consulta de afiliados']);
    expect(refused.decision).toMatchObject({ kind: 'reask', field: 'id', reason: 'servicio.id', detail: { propuesta: 'ConsultaDeAfiliados' } });
    for (const yes of ['sí', 'ok', 'ese']) {
      const taken = play(servicio, ['consulta de afiliados', yes]);
      expect(taken.state.values['id'], yes).toBe('ConsultaDeAfiliados');
      expect(taken.decision).toMatchObject({ kind: 'ask', field: 'descripcion' });
    }
  });

  it('stays offered across a help; "no" asks the question again; any other answer is read as usual and ends the offer', () => {
    expect(play(servicio, ['consulta de afiliados', 'ayuda', 'si']).state.values['id']).toBe('ConsultaDeAfiliados');
    expect(play(servicio, ['consulta de afiliados', 'AfiliadosV2']).state.values['id']).toBe('AfiliadosV2');
    const no = play(servicio, ['consulta de afiliados', 'no']);
    expect(no.state.values['id']).toBeUndefined();
    // Nothing typed to keep: the question again, as asked (not "este dato es obligatorio").
    expect(no.decision).toEqual({ kind: 'ask', field: 'id' });
    expect(no.state.doubt).toBeUndefined();
    expect(play(servicio, ['consulta de afiliados', 'x y', 'si']).state.values['id'], 'offered for the last refusal only').toBeUndefined();
  });
});
