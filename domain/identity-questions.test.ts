import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_DATA_DIR, defaultReferenceRegistry } from '../storage/reference/registry.js';
import { drawQuestions, grade, NINGUNA, PASS_MARK, type IdentityQuestion, type QuestionKind } from './identity-questions.js';
import { seededRandom } from './random.js';
import type { Department, Municipality, ReferencePerson } from './reference.js';
import { fold } from './text.js';

const registry = defaultReferenceRegistry();
// The registry looks people up but does not list them: the test cases enumerate the committed file.
const persons = (JSON.parse(readFileSync(join(DEFAULT_REFERENCE_DATA_DIR, 'persons.json'), 'utf8')) as { persons: ReferencePerson[] }).persons;

const person = (numero: string) => persons.find((p) => p.numeroDocumento === numero) as ReferencePerson;
const jose = person('70123456'); // every kind of history
const sofia = person('1098765432'); // a minor: no pension fund, no employer
const carlos = person('654321'); // CE: no birthplace in Colombia

const place = (code: string) => {
  const m = registry.findMunicipality(code) as Municipality;
  const d = registry.departments().find((x) => x.code === m.departmentCode) as Department;
  return m.code === '11001' ? m.name : `${m.name} (${d.name})`;
};
/** Everything of a kind in the person's history, as display strings. */
function history(p: ReferencePerson, kind: QuestionKind): string[] {
  const h = p.historia;
  if (kind === 'eps') return h.eps.map((e) => e.nombre);
  if (kind === 'pensiones') return h.pensiones.map((e) => e.nombre);
  if (kind === 'empleadores') return h.empleadores.map((e) => e.razonSocial);
  const tipo = kind.replace('lugar_', '');
  return h.lugares.filter((l) => l.tipo === tipo).map((l) => place(l.municipio));
}
const allPlaces = (p: ReferencePerson) => p.historia.lugares.map((l) => fold(place(l.municipio)));
const signature = (q: IdentityQuestion) => `${q.kind}|${[...q.options].sort().join('|')}`;

describe('drawing identity questions', () => {
  it.each(persons.map((p) => [p.numeroDocumento]))('person %s: 4 well-formed questions from the history (5 seeds)', (numero) => {
    const p = person(numero);
    const questions = [1, 2, 3, 4, 5].flatMap((seed) => drawQuestions(p, registry, seededRandom(seed)));
    expect(questions).toHaveLength(20);
    for (const q of questions) {
      expect(q.options).toHaveLength(5);
      expect(new Set(q.options).size).toBe(5);
      expect(q.options.filter((o) => o === NINGUNA)).toHaveLength(1);
      expect(q.options[4]).toBe(NINGUNA);
      const truths = history(p, q.kind).map(fold);
      const shown = q.options.filter((o) => o !== NINGUNA);
      // The right option is truly in the history, or NINGUNA exactly when no shown option is.
      if (q.options[q.correct] === NINGUNA) expect(shown.filter((o) => truths.includes(fold(o)))).toEqual([]);
      else expect(truths).toContain(fold(q.options[q.correct] as string));
      // Distractors: never in the person's history (for places, none of their places at all).
      const own = q.kind.startsWith('lugar_') ? allPlaces(p) : truths;
      const distractors = shown.filter((_, i) => i !== q.correct);
      for (const d of distractors) expect(own).not.toContain(fold(d));
    }
  });

  it('distractors are plausible: values of the same kind', () => {
    const pools: Record<QuestionKind, string[]> = {
      eps: [...registry.distractorPool('eps')],
      pensiones: [...registry.distractorPool('pensiones')],
      empleadores: [...registry.distractorPool('empleadores')],
      lugar_nacimiento: registry.distractorPool('lugares').map(place),
      lugar_residencia: registry.distractorPool('lugares').map(place),
      lugar_expedicion: registry.distractorPool('lugares').map(place),
    };
    for (let seed = 1; seed <= 20; seed++) {
      for (const q of drawQuestions(jose, registry, seededRandom(seed))) {
        for (const o of q.options.filter((x) => x !== NINGUNA)) expect(pools[q.kind]).toContain(o);
      }
    }
  });

  it('shows municipalities with their department', () => {
    const options = Array.from({ length: 30 }, (_, seed) => drawQuestions(jose, registry, seededRandom(seed)))
      .flat()
      .filter((q) => q.kind.startsWith('lugar_'))
      .flatMap((q) => q.options);
    expect(options).toContain('Rionegro (Antioquia)');
    for (const o of options.filter((x) => x !== NINGUNA)) expect(o).toMatch(/^Bogotá, D\.C\.$|^.+ \(.+\)$/);
  });

  it('about one question in five has NINGUNA as the right answer', () => {
    const questions = Array.from({ length: 250 }, (_, seed) => drawQuestions(jose, registry, seededRandom(seed))).flat();
    const share = questions.filter((q) => q.options[q.correct] === NINGUNA).length / questions.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
  });

  it('kinds vary within a round and across seeds', () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(new Set(drawQuestions(jose, registry, seededRandom(seed)).map((q) => q.kind)).size).toBe(4);
    }
    const firstKinds = new Set(Array.from({ length: 20 }, (_, seed) => drawQuestions(jose, registry, seededRandom(seed))[0]?.kind));
    expect(firstKinds.size).toBeGreaterThan(3);
  });

  it.each([
    ['a minor without pension fund or employer', sofia],
    ['a foreigner without a Colombian birthplace', carlos],
  ])('%s still gets 4 questions, a kind without history only with NINGUNA as answer', (_, p) => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const q of drawQuestions(p, registry, seededRandom(seed))) {
        if (history(p, q.kind).length === 0) expect(q.options[q.correct]).toBe(NINGUNA);
      }
    }
  });

  it('is deterministic for a seed', () => {
    expect(drawQuestions(jose, registry, seededRandom(42))).toEqual(drawQuestions(jose, registry, seededRandom(42)));
    expect(drawQuestions(jose, registry, seededRandom(42))).not.toEqual(drawQuestions(jose, registry, seededRandom(43)));
  });

  it.each(persons.slice(0, 30).map((p) => [p.numeroDocumento]))('person %s: a later round changes the questions and the option order', (numero) => {
    const p = person(numero);
    const random = seededRandom(7);
    const first = drawQuestions(p, registry, random);
    const second = drawQuestions(p, registry, random, 4, first);
    const before = new Set(first.map(signature));
    expect(second.filter((q) => before.has(signature(q)))).toEqual([]);
    expect(second.map((q) => q.options.join())).not.toEqual(first.map((q) => q.options.join()));
  });

  it('a later round asks first about kinds the previous round did not', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const first = drawQuestions(jose, registry, random);
      const unused = new Set<QuestionKind>(['eps', 'pensiones', 'empleadores', 'lugar_nacimiento', 'lugar_residencia', 'lugar_expedicion']);
      for (const q of first) unused.delete(q.kind);
      const second = drawQuestions(jose, registry, random, 4, first);
      for (const kind of unused) expect(second.map((q) => q.kind)).toContain(kind);
    }
  });
});

describe('grading a round', () => {
  const questions = drawQuestions(jose, registry, seededRandom(1));
  const right = questions.map((q) => q.correct);
  const wrong = (i: number) => ((right[i] as number) + 1) % 5;

  it.each<[string, number[], number, boolean]>([
    ['all 4 right', right, 4, true],
    ['3 right', [wrong(0), ...right.slice(1)], 3, true],
    ['2 right', [wrong(0), wrong(1), ...right.slice(2)], 2, false],
    ['1 right', [wrong(0), wrong(1), wrong(2), right[3] as number], 1, false],
    ['none right', right.map((_, i) => wrong(i)), 0, false],
    ['answers missing', right.slice(0, 2), 2, false],
    ['out-of-range answers', [-1, 99, Number.NaN, 2.5], 0, false],
  ])('%s → %d correct, passed %s', (_, answers, correct, passed) => {
    expect(grade(questions, answers)).toEqual({ correct, passed });
  });

  it('the pass mark is 3 of 4', () => expect(PASS_MARK).toBe(3));
});
