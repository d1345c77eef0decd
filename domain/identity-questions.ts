/**
 * Identity questions of "Registro ciudadano": multiple choice, drawn from the person's reference
 * history (affiliations, employers, places), with plausible distractors of the same kind.
 */
import type { Random } from './ports.js';
import type { ReferencePerson, ReferenceRegistry } from './reference.js';
import { fold } from './text.js';

/** The option "Ninguna de las anteriores"; always the last option of a question. */
export const NINGUNA = '__ninguna__';

export const QUESTION_KINDS = ['eps', 'pensiones', 'empleadores', 'lugar_nacimiento', 'lugar_residencia', 'lugar_expedicion'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** One question: 5 display options (one of them NINGUNA) and the index of the right one. */
export interface IdentityQuestion {
  readonly kind: QuestionKind;
  readonly options: readonly string[];
  readonly correct: number;
}

export const OPTIONS_PER_QUESTION = 5;
/** Right answers needed out of 4. */
export const PASS_MARK = 3;
/** About one question in five has "Ninguna de las anteriores" as its right answer. */
const NINGUNA_ODDS = 5;
const REDRAWS = 8;

/** "Rionegro (Antioquia)"; a municipality that is its own department (Bogotá, D.C.) is shown alone. */
function placeName(registry: ReferenceRegistry, code: string): string | undefined {
  const m = registry.findMunicipality(code);
  if (!m) return undefined;
  const department = registry.departments().find((d) => d.code === m.departmentCode);
  if (!department || (department.name === m.name && registry.municipalities(m.departmentCode).length === 1)) return m.name;
  return `${m.name} (${department.name})`;
}

const PLACE_TYPE = { lugar_nacimiento: 'nacimiento', lugar_residencia: 'residencia', lugar_expedicion: 'expedicion' } as const;

/** The true answers of a kind for this person, as display strings. */
function truths(person: ReferencePerson, registry: ReferenceRegistry, kind: QuestionKind): string[] {
  const h = person.historia;
  let values: (string | undefined)[];
  if (kind === 'eps') values = h.eps.map((e) => e.nombre);
  else if (kind === 'pensiones') values = h.pensiones.map((e) => e.nombre);
  else if (kind === 'empleadores') values = h.empleadores.map((e) => e.razonSocial);
  else values = h.lugares.filter((l) => l.tipo === PLACE_TYPE[kind]).map((l) => placeName(registry, l.municipio));
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/**
 * Values of the same kind that are nowhere in the person's history. For places every place of the
 * person is excluded, whatever its link, so that no distractor is a place they know.
 */
function distractors(person: ReferencePerson, registry: ReferenceRegistry, kind: QuestionKind): string[] {
  const isPlace = kind.startsWith('lugar_');
  const own = new Set(
    (isPlace ? person.historia.lugares.map((l) => placeName(registry, l.municipio) ?? l.municipio) : truths(person, registry, kind)).map(fold),
  );
  return candidatesOf(registry, isPlace ? 'lugares' : (kind as 'eps' | 'pensiones' | 'empleadores'))
    .filter((c) => !own.has(c.folded))
    .map((c) => c.name);
}

type PoolKind = Parameters<ReferenceRegistry['distractorPool']>[0];
interface Candidate {
  readonly name: string;
  readonly folded: string;
}

/** Each registry's distractor pools as display names (places named), without repeats, with their folded form: built once. */
const candidates = new WeakMap<ReferenceRegistry, Map<PoolKind, readonly Candidate[]>>();

function candidatesOf(registry: ReferenceRegistry, kind: PoolKind): readonly Candidate[] {
  let byKind = candidates.get(registry);
  if (!byKind) candidates.set(registry, (byKind = new Map()));
  let list = byKind.get(kind);
  if (!list) {
    const pool = registry.distractorPool(kind);
    const names = kind === 'lugares' ? pool.map((code) => placeName(registry, code)) : pool;
    list = [...new Set(names.filter((v): v is string => v !== undefined))].map((name) => ({ name, folded: fold(name) }));
    byKind.set(kind, list);
  }
  return list;
}

const signature = (q: IdentityQuestion): string => `${q.kind}|${[...q.options].sort().join('|')}|${q.options[q.correct]}`;

/** One question of `kind`, or undefined when the pool cannot give enough distractors. */
function drawOne(
  kind: QuestionKind,
  available: readonly string[],
  pool: readonly string[],
  random: Random,
): IdentityQuestion | undefined {
  const ninguna = available.length === 0 || random.int(NINGUNA_ODDS) === 0;
  const shown = OPTIONS_PER_QUESTION - 1;
  const needed = ninguna ? shown : shown - 1;
  if (pool.length < needed) return undefined;
  const picked = random.shuffle(pool).slice(0, needed);
  const truth = ninguna ? undefined : (available[random.int(available.length)] as string);
  const options = random.shuffle(truth === undefined ? picked : [...picked, truth]);
  return { kind, options: [...options, NINGUNA], correct: truth === undefined ? shown : options.indexOf(truth) };
}

/**
 * Draws `count` questions from the person's history. Kinds vary (kinds with history first, kinds not
 * asked in `avoid` before the others); a question equal to one in `avoid` is redrawn. Deterministic
 * for a seeded Random.
 */
export function drawQuestions(
  person: ReferencePerson,
  registry: ReferenceRegistry,
  random: Random,
  count = 4,
  avoid: readonly IdentityQuestion[] = [],
): IdentityQuestion[] {
  const avoidKinds = new Set(avoid.map((q) => q.kind));
  const avoidSignatures = new Set(avoid.map(signature));
  const info = new Map(QUESTION_KINDS.map((k) => [k, { truths: truths(person, registry, k), pool: distractors(person, registry, k) }]));
  const withHistory = QUESTION_KINDS.filter((k) => (info.get(k)?.truths.length ?? 0) > 0);
  const without = QUESTION_KINDS.filter((k) => !withHistory.includes(k));
  const order = [
    ...random.shuffle(withHistory.filter((k) => !avoidKinds.has(k))),
    ...random.shuffle(withHistory.filter((k) => avoidKinds.has(k))),
    ...random.shuffle(without),
  ];

  const questions: IdentityQuestion[] = [];
  const usedTruths = new Map<QuestionKind, Set<string>>();
  // Round-robin over the kinds, so a person with little history still gets `count` questions.
  for (let pass = 0; questions.length < count && pass < count; pass++) {
    for (const kind of order) {
      if (questions.length >= count) break;
      const { truths: all, pool } = info.get(kind) as { truths: string[]; pool: string[] };
      const used = usedTruths.get(kind) ?? new Set<string>();
      const available = all.filter((t) => !used.has(t));
      if (pass > 0 && available.length === 0 && all.length > 0) continue;
      let q: IdentityQuestion | undefined;
      for (let attempt = 0; attempt < REDRAWS; attempt++) {
        q = drawOne(kind, available, pool, random);
        if (!q || !avoidSignatures.has(signature(q))) break;
      }
      if (!q) continue;
      used.add(q.options[q.correct] as string);
      usedTruths.set(kind, used);
      questions.push(q);
    }
  }
  if (questions.length < count) throw new Error(`not enough reference history for ${count} identity questions`);
  return random.shuffle(questions);
}

/** Counts right answers; a missing answer is wrong. */
export function grade(questions: readonly IdentityQuestion[], answers: readonly number[]): { correct: number; passed: boolean } {
  const correct = questions.filter((q, i) => answers[i] === q.correct).length;
  return { correct, passed: correct >= PASS_MARK };
}
