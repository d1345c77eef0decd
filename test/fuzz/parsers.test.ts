/**
 * Fuzzing the parsers (issue 15, item 6): every exported field parser of domain/fields.ts, every
 * field of every form as the engine reads it (dialogs/form/field-input parseAnswer), and the other
 * text readers of domain/ get RUNS (10,000) generated inputs each. Property: nothing throws, and the
 * answer is a value or a failure whose reason code has a Spanish text (the form's own motivos, else
 * templates/es/formularios/motivos.json; the password policy's in templates/es/web/cuenta.json).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as fields from '../../domain/fields.js';
import { matchChoice, MAX_CHOICE_ANSWER } from '../../domain/choice.js';
import { parseCommand } from '../../domain/commands.js';
import { checkCorporateEmail } from '../../domain/empleador-registro.js';
import { computeDv, formatNit, normalizeNit } from '../../domain/nit.js';
import { checkPasswordPolicy } from '../../domain/password.js';
import { DOCUMENT_TYPES } from '../../domain/reference.js';
import type { Result } from '../../domain/result.js';
import { checkRutIssueDate } from '../../domain/rut.js';
import { clearWinner, pickAfterSearch, relevantHits, searchFunctionalities } from '../../domain/search.js';
import { looksLikeSecret } from '../../domain/secret-text.js';
import { editDistance, fold, maskDocument, maskEmail, sameName, stem, words } from '../../domain/text.js';
import { functionalities } from '../../dialogs/catalog.js';
import { parseAnswer } from '../../dialogs/form/field-input.js';
import { fill, messages } from '../../templates/render.js';
import { anyJson, anyText, RUNS, seedNote } from './arbitraries.js';
import { ALL_FORMS, ownReasonText, registry, sharedMotivos } from './forms.js';

const TODAY = new Date('2026-11-26T15:00:00Z');
const TIMEOUT = 120_000;

/** Values other fields may already hold when a parser runs: right ones, wrong ones, wrong types. */
const ctxValues = fc.record(
  {
    tipoDocumento: fc.oneof(fc.constantFrom(...DOCUMENT_TYPES), anyJson),
    numeroDocumento: fc.oneof(fc.constantFrom('70123456', '1098765432'), anyJson),
    fechaNacimiento: fc.oneof(fc.constantFrom('1968-03-14', '2012-04-18', '2026-11-26', '1900-01-01'), anyJson),
    email: fc.oneof(fc.constantFrom('nombre@correo.com'), anyJson),
    departamento: fc.oneof(fc.constantFrom('05', '11', '76', '99'), anyJson),
  },
  { requiredKeys: [] },
);

/** A cheap assertion (expect() in 10,000 runs costs more than the parsers). */
function check(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

/** A value, or a failure whose code has a non-empty Spanish text (filled with the failure's details). */
function expectResult(r: Result<unknown>, textOf: (code: string) => string | undefined, where: string): void {
  check(typeof r === 'object' && r !== null, () => `${where}: not a result`);
  if (r.ok) {
    check(r.value !== undefined, () => `${where}: ok without a value`);
    JSON.stringify(r.value);
    return;
  }
  check(typeof r.error.code === 'string', () => `${where}: failure without a code`);
  const text = textOf(r.error.code);
  check(typeof text === 'string', () => `${where}: no Spanish text for reason "${r.error.code}"`);
  const filled = fill(text, r.error as Record<string, unknown>);
  check(filled.length > 0 && !/\{\{|\}\}/.test(filled), () => `${where}: text for ${r.error.code} is ${JSON.stringify(filled)}`);
}

const shared = (code: string) => (Object.hasOwn(sharedMotivos, code) ? sharedMotivos[code] : undefined);

/** Every exported FieldParser of domain/fields.ts (factories built with each argument they take). */
const FIELD_PARSERS: Record<string, readonly fields.FieldParser[]> = {
  parseDocumentType: [fields.parseDocumentType],
  parseDocumentNumberFor: DOCUMENT_TYPES.map((t) => fields.parseDocumentNumberFor(t)),
  parseDocumentNumber: [fields.parseDocumentNumber],
  parseName: [fields.parseName],
  parseFirstName: [fields.parseFirstName],
  parseFirstSurname: [fields.parseFirstSurname],
  parseOptionalName: [fields.parseOptionalName],
  parseDate: [fields.parseDate],
  parseBirthDate: [fields.parseBirthDate],
  parseIssueDate: [fields.parseIssueDate],
  parseSex: [fields.parseSex],
  parseYesNo: [fields.parseYesNo],
  parseEmail: [fields.parseEmail],
  parseEmailAnswer: [fields.parseEmailAnswer],
  parseEmailConfirmation: [fields.parseEmailConfirmation],
  parseMobile: [fields.parseMobile],
  parseNitField: [fields.parseNitField],
  parseNaturaleza: [fields.parseNaturaleza],
  parseText: [fields.parseText(2, 200), fields.parseText(5, 500), fields.parseText(0, 20)],
  parseProse: [fields.parseProse(5, 500), fields.parseProse(0, 20)],
  parsePhone: [fields.parsePhone],
  parseDepartment: [fields.parseDepartment(registry)],
  parseMunicipality: [fields.parseMunicipality(registry)],
};
/** Exports of domain/fields.ts that are helpers, not parsers (fuzzed below all the same). */
const NOT_PARSERS = new Set(['answerYesNo', 'takesTheOnlyOption', 'isSkipAnswer', 'yearsBetween', 'splitDocument', 'retypedDocument', 'splitFirstName', 'splitFirstSurname']);

describe(`field parsers under generated input (${seedNote})`, () => {
  it('the table covers every exported parser of domain/fields.ts', () => {
    const exported = Object.entries(fields).filter(([name, v]) => typeof v === 'function' && !NOT_PARSERS.has(name)).map(([n]) => n);
    expect(exported.sort()).toEqual(Object.keys(FIELD_PARSERS).sort());
  });

  for (const [name, parsers] of Object.entries(FIELD_PARSERS)) {
    it(`${name}: ${RUNS} inputs, a value or a reason with a Spanish text`, () => {
      fc.assert(
        fc.property(anyText, ctxValues, fc.nat(parsers.length - 1), (raw, values, i) => {
          const r = (parsers[i] as fields.FieldParser)(raw, { values, today: TODAY });
          expectResult(r, shared, `${name}(${JSON.stringify(raw).slice(0, 80)})`);
        }),
      );
    }, TIMEOUT);
  }

  it(`answerYesNo, takesTheOnlyOption, isSkipAnswer, yearsBetween, splitDocument, retypedDocument, splitFirstName, splitFirstSurname: ${RUNS} inputs, no exception`, () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        expect([true, false, undefined]).toContain(fields.answerYesNo(a));
        expect(typeof fields.takesTheOnlyOption(a)).toBe('boolean');
        const split = fields.splitDocument(a);
        if (split) expect(fields.parseDocumentType(split.tipoDocumento, { values: {}, today: new Date() }).ok).toBe(true);
        const retyped = fields.retypedDocument(a);
        if (retyped) expect(fields.parseDocumentType(retyped.tipoDocumento, { values: {}, today: new Date() }).ok).toBe(true);
        const names = fields.splitFirstName(a);
        if (names) expect(fields.parseFirstName(names.primerNombre, { values: {}, today: new Date() }).ok).toBe(true);
        const surnames = fields.splitFirstSurname(a);
        if (surnames) expect(fields.parseFirstSurname(surnames.primerApellido, { values: {}, today: new Date() }).ok).toBe(true);
        expect(typeof fields.isSkipAnswer(a)).toBe('boolean');
        expect(() => fields.yearsBetween(a, b)).not.toThrow();
      }),
    );
  }, TIMEOUT);
});

describe(`every field of every form, as the engine reads an answer (${seedNote})`, () => {
  for (const spec of ALL_FORMS) {
    it(`${spec.id}: ${RUNS} inputs over its fields, a value or a reason with the form's Spanish text`, () => {
      fc.assert(
        fc.property(anyText, ctxValues, fc.nat(spec.fields.length - 1), (raw, values, i) => {
          const field = spec.fields[i]!;
          const r = parseAnswer(spec, field, raw, values, TODAY);
          expectResult(r, (code) => ownReasonText(spec, code), `${spec.id}.${field.key}(${JSON.stringify(raw).slice(0, 80)})`);
        }),
      );
    }, TIMEOUT);
  }
});

describe(`other text readers of domain/ (${seedNote})`, () => {
  it(`normalizeNit: ${RUNS} inputs, a NIT with a valid DV or a reason with a Spanish text`, () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const r = normalizeNit(raw);
        expectResult(r, shared, `normalizeNit(${JSON.stringify(raw).slice(0, 80)})`);
        if (r.ok) {
          expect(r.value.nit).toMatch(/^\d{9}$/);
          if (r.value.dv !== undefined) expect(r.value.dv).toBe(computeDv(r.value.nit));
          expect(normalizeNit(formatNit(r.value.nit)).ok).toBe(true);
        }
      }),
    );
  }, TIMEOUT);

  it(`matchChoice: ${RUNS} answers against generated option lists, an index in range or none`, () => {
    fc.assert(
      fc.property(anyText, fc.array(anyText, { maxLength: 12 }), (answer, labels) => {
        const m = matchChoice(answer, labels);
        if (m.kind === 'match') expect(m.index >= 0 && m.index < labels.length).toBe(true);
        else if (m.kind === 'ambiguous') {
          expect(m.indices.length).toBeGreaterThan(1);
          expect(m.indices.every((i, k) => i >= 0 && i < labels.length && (k === 0 || i > (m.indices[k - 1] as number)))).toBe(true);
        } else expect(['empty', 'too-long', 'out-of-range', 'unknown']).toContain(m.reason);
        if (answer.length > MAX_CHOICE_ANSWER) expect(m.kind).toBe('none');
      }),
    );
  }, TIMEOUT);

  it(`searchFunctionalities and pickAfterSearch: ${RUNS} queries, hits of the catalog only`, () => {
    const items = functionalities();
    const ids = items.map((f) => f.id);
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 4 }), (query, n) => {
        const hits = searchFunctionalities(query, items);
        expect(hits.length).toBeLessThanOrEqual(3);
        for (const h of hits) {
          expect(ids).toContain(h.item.id);
          expect(Number.isFinite(h.score)).toBe(true);
        }
        const winner = clearWinner(hits);
        if (winner) expect(ids).toContain(winner.id);
        const offered = relevantHits(hits).map((h) => h.item.id);
        const shown = offered.length ? offered : ids.slice(0, n);
        const picked = pickAfterSearch(query, shown, shown.map((id) => items.find((f) => f.id === id)!.title));
        if (picked?.kind === 'start') expect(shown).toContain(picked.id);
        if (picked?.kind === 'ask') expect(picked.ids.every((id) => shown.includes(id))).toBe(true);
      }),
    );
  }, TIMEOUT);

  it(`parseCommand: ${RUNS} inputs, a known command or none`, () => {
    const kinds = ['ayuda', 'cancelar', 'menu', 'atras', 'estado', 'salir', 'buscar', 'corregir'];
    fc.assert(
      fc.property(fc.option(anyText, { nil: undefined }), (text) => {
        const c = parseCommand(text);
        if (c) expect(kinds).toContain(c.kind);
        if (c?.kind === 'corregir' && c.field !== undefined) expect(typeof c.field).toBe('string');
      }),
    );
  }, TIMEOUT);

  it(`looksLikeSecret: ${RUNS} inputs, a boolean`, () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(typeof looksLikeSecret(text)).toBe('boolean');
      }),
    );
  }, TIMEOUT);

  it(`checkPasswordPolicy: ${RUNS} passwords and persons, reasons that the password page can show in Spanish`, () => {
    const pageMotivos = messages<{ errores: { motivos: Record<string, string> } }>('web/cuenta').errores.motivos;
    fc.assert(
      fc.property(anyText, anyText, fc.array(anyText, { maxLength: 4 }), (password, numeroDocumento, nombres) => {
        const reasons = checkPasswordPolicy(password, { numeroDocumento, nombres });
        expect(Array.isArray(reasons)).toBe(true);
        for (const r of reasons) expect(Object.hasOwn(pageMotivos, r), `no text for ${r}`).toBe(true);
      }),
    );
  }, TIMEOUT);

  it(`checkRutIssueDate (ISO dates, as parseDate gives them) and checkCorporateEmail: ${RUNS} inputs, a value or a reason with a Spanish text`, () => {
    const isoDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(isoDate, anyText, (iso, raw) => {
        expectResult(checkRutIssueDate(iso, TODAY), shared, `checkRutIssueDate(${iso})`);
        const c = checkCorporateEmail(raw);
        if (!c.ok) expect(c.error.code).toBe('CORREO.NO_CORPORATIVO');
      }),
    );
  }, TIMEOUT);

  it(`text helpers (fold, words, stem, sameName, editDistance, masks): ${RUNS} inputs, no exception`, () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        expect(typeof fold(a)).toBe('string');
        for (const w of words(a)) expect(typeof stem(w)).toBe('string');
        expect(typeof sameName(a, b)).toBe('boolean');
        expect(editDistance(a.slice(0, 40), b.slice(0, 40), 3)).toBeGreaterThanOrEqual(0);
        expect(typeof maskEmail(a)).toBe('string');
        expect(typeof maskDocument(a)).toBe('string');
      }),
    );
  }, TIMEOUT);
});
