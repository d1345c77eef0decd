/**
 * Fuzzing card submits and answers (issue 15, item 6).
 *
 * 1. The form engine's pure function (dialogs/form/engine.ts `decide`): every form of the assistant
 *    gets RUNS (10,000) generated conversations of up to 6 events each: typed text, card submits with
 *    arbitrary JSON values (wrong types, deep nesting, huge strings, odd keys such as "__proto__"),
 *    submits without a value. Property: nothing throws; every decision is one the dialog knows; a
 *    re-ask has a Spanish reason text; the prompt that follows is non-empty; the state stays
 *    consistent (only the form's fields, each accepted by its parser, secrets sealed, history in step).
 * 2. A smaller sample (DIALOG_RUNS, 300) through the real main dialog (botbuilder-testing), starting
 *    in the registration, login and employer forms: every turn answers with non-empty Spanish text,
 *    never the apology of the turn error handler, and the conversation still answers "estado".
 */
import { readdir } from 'node:fs/promises';
import fc from 'fast-check';
import type { Activity } from 'botbuilder';
import type { DialogTestClient } from 'botbuilder-testing';
import { describe, expect, it } from 'vitest';
import { decide, startState, type Decision, type EngineEnv, type FormEvent, type FormState } from '../../dialogs/form/engine.js';
import { promptFor } from '../../dialogs/form/form-render.js';
import { activeFields, isSealed, type FormSpec } from '../../dialogs/form/form-spec.js';
import { fill, render } from '../../templates/render.js';
import { fold } from '../../domain/text.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps, mainClient } from '../helpers/dialog-deps.js';
import { seedActiveCitizen } from '../helpers/people.js';
import { anyJson, anyText, RUNS, sample, seedNote } from './arbitraries.js';
import { ALL_FORMS, ownReasonText } from './forms.js';

const TODAY = new Date('2026-11-26T15:00:00Z');
const env: EngineEnv = { today: TODAY, seal: (plain) => ({ $sealed: `sealed:${plain.length}` }) };
const DIALOG_RUNS = Math.max(1, Math.round((RUNS * 300) / 10_000));
const DECISIONS = new Set(['ask', 'review', 'reask', 'validate', 'finish', 'help', 'chooseCorrection', 'unknownField', 'noPrevious', 'restart']);

/** A cheap assertion (expect() inside 60,000 steps per form costs seconds). */
function check(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

const ODD_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'tipoDocumento ', 'EMAIL'];

/** What a card submit may carry for `spec`: its fields (right, wrong, wrong types), actions, odd keys. */
function submitValue(spec: FormSpec): fc.Arbitrary<Record<string, unknown>> {
  const keys = spec.fields.map((f) => f.key);
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.constantFrom('__action', 'field', '__form', ...ODD_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  const value = fc.oneof({ weight: 3, arbitrary: sample }, { weight: 3, arbitrary: anyText }, { weight: 3, arbitrary: anyJson });
  const loose = fc.dictionary(key, value, { maxKeys: 10 });
  const whole = fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof({ weight: 4, arbitrary: sample }, { weight: 1, arbitrary: anyText })])), { requiredKeys: [] });
  const action = fc.record({
    __action: fc.oneof(fc.constantFrom('confirmar', 'corregir', 'comenzar'), anyJson),
    field: fc.oneof(fc.constantFrom(...keys), anyJson),
  }, { requiredKeys: ['__action'] });
  return fc.tuple(fc.oneof(loose, whole, action), fc.oneof(fc.constant(spec.id), anyJson)).map(([v, form]) => {
    const out = { ...v };
    // A real submit carries the form id (the dialog routes on it); the engine is given it as is.
    if (!Object.hasOwn(out, '__form')) Object.defineProperty(out, '__form', { value: form, enumerable: true, configurable: true, writable: true });
    return out;
  });
}

function eventArb(spec: FormSpec): fc.Arbitrary<FormEvent> {
  return fc.oneof(
    { weight: 4, arbitrary: anyText.map((text): FormEvent => ({ kind: 'text', text })) },
    { weight: 2, arbitrary: sample.map((text): FormEvent => ({ kind: 'text', text })) },
    { weight: 5, arbitrary: submitValue(spec).map((value): FormEvent => ({ kind: 'submit', value })) },
    { weight: 1, arbitrary: fc.constant<FormEvent>({ kind: 'none' }) },
  );
}

/** The state invariants after any step. */
function checkState(spec: FormSpec, state: FormState, decision: Decision, where: () => string, only?: 'history'): void {
  if (only === 'history') {
    for (const k of state.history) check(k in state.values, () => `${where()}: history names ${k}, which has no value (history ${JSON.stringify(state.history)})`);
    return;
  }
  const complete = decision.kind === 'finish' || decision.kind === 'validate' || decision.kind === 'review';
  const fieldsByKey = new Map(spec.fields.map((f) => [f.key, f]));
  const active = new Set(activeFields(spec, state.values).map((f) => f.key));
  for (const [k, v] of Object.entries(state.values)) {
    const f = fieldsByKey.get(k);
    check(f, () => `${where()}: value for unknown key ${JSON.stringify(k)}`);
    check(active.has(k), () => `${where()}: value kept for inactive field ${k}`);
    if (f.secret) {
      check(isSealed(v), () => `${where()}: secret ${k} not sealed`);
      continue;
    }
    check(typeof v === 'string' || typeof v === 'boolean', () => `${where()}: ${k} holds ${typeof v} ${JSON.stringify(v)?.slice(0, 80)}`);
    // Once complete (what the review shows and the form returns), every answer fits the others. While a
    // field is being asked again, an answer that depends on it may wait for it (staleAnswers runs then).
    if (complete && typeof v === 'string' && v !== '') {
      const again = f.parse(v, { values: state.values, today: TODAY });
      check(again.ok, () => `${where()}: ${k}=${JSON.stringify(v).slice(0, 80)} kept although its parser now refuses it (${again.ok ? '' : again.error.code})`);
    }
  }
  check(new Set(state.history).size === state.history.length, () => `${where()}: history repeats a key ${JSON.stringify(state.history)}`);
  if (state.current !== undefined) {
    check(fieldsByKey.has(state.current), () => `${where()}: current is unknown ${state.current}`);
    check(!(state.current in state.values), () => `${where()}: asks ${state.current}, which already has a value`);
  }
  if (complete) {
    // An early validate (spec.validateAfter) reads only the fields up to that one; the rest come after it.
    const early = decision.kind === 'validate' && spec.validateAfter !== undefined ? activeFields(spec, state.values).map((f) => f.key) : undefined;
    const needed = early ? early.slice(0, early.indexOf(spec.validateAfter as string) + 1) : [...active];
    for (const k of needed) check(k in state.values, () => `${where()}: ${decision.kind} with ${k} missing`);
  }
  if (decision.kind === 'ask') check(state.current === decision.field, () => `${where()}: asks ${decision.field}, current ${state.current}`);
}

const textOf = (activities: Partial<Activity>[]) => activities.map((a) => `${a.text ?? ''}`).join(' ').trim();

/** Plays generated events through `decide` as form.dialog does (running `validate` when asked), checking every step. */
async function play(spec: FormSpec, events: readonly FormEvent[], valid: boolean, only?: 'history'): Promise<void> {
  let step = decide(spec, startState(), { kind: 'start' }, env);
  const pending: FormEvent[] = [...events];
  let n = 0;
  while (pending.length > 0 && n++ < 20) {
    let event: FormEvent;
    if (step.decision.kind === 'validate') {
      const failure = await spec.validate?.(step.decision.values, { citizenId: valid ? 'c-1' : undefined, today: TODAY } as never);
      event = { kind: 'validated', failure };
    } else if (step.decision.kind === 'finish' || step.decision.kind === 'restart') {
      break;
    } else event = pending.shift() as FormEvent;
    const where = () => `${spec.id} after ${JSON.stringify(event).slice(0, 200)}`;
    step = decide(spec, step.state, event, env);
    const d = step.decision;
    if (only) {
      checkState(spec, step.state, d, where, only);
      continue;
    }
    check(DECISIONS.has(d.kind), () => `${where()}: unknown decision ${d.kind}`);
    if (d.kind === 'reask') {
      const text = ownReasonText(spec, d.reason);
      check(text !== undefined, () => `${where()}: no Spanish text for reason ${d.reason}`);
      const filled = fill(text, d.detail as Record<string, unknown>);
      check(filled.length > 0 && !/\{\{|\}\}|undefined|\[object/.test(filled), () => `${where()}: reason text ${JSON.stringify(filled)}`);
    }
    checkState(spec, step.state, d, where);
    if (['ask', 'reask', 'review', 'help', 'noPrevious', 'unknownField'].includes(d.kind)) {
      const prompt = textOf(promptFor(spec, step.state));
      check(prompt.length > 0 && !/\{\{|undefined|\[object/.test(prompt), () => `${where()}: prompt ${JSON.stringify(prompt)}`);
    }
  }
}

describe(`card submits and answers through the form engine (${seedNote})`, () => {
  it('covers every form: each text file of templates/es/formularios is a form in the list', async () => {
    const dir = new URL('../../templates/es/formularios/', import.meta.url);
    const NOT_FORMS = new Set(['comun', 'motivos', 'ejemplo-clave']); // shared texts; the engine test's example form
    const ids = (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((id) => !NOT_FORMS.has(id));
    expect(ALL_FORMS.map((f) => f.id).sort()).toEqual(ids.sort());
  });

  for (const spec of ALL_FORMS) {
    it(`${spec.id}: ${RUNS} generated conversations, a Spanish re-ask and a consistent state`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(eventArb(spec), { minLength: 1, maxLength: 6 }), fc.boolean(), (events, valid) => play(spec, events, valid)));
    }, 180_000);
  }

  // Kept apart so that a failure here does not hide the properties above ("atrás" walks back through the history).
  it(`every form: ${RUNS} generated conversations, the history names only fields that have an answer`, async () => {
    const conversation = fc.nat(ALL_FORMS.length - 1).chain((i) =>
      fc.tuple(fc.constant(i), fc.array(eventArb(ALL_FORMS[i] as FormSpec), { minLength: 1, maxLength: 6 }), fc.boolean()),
    );
    await fc.assert(fc.asyncProperty(conversation, ([i, events, valid]) => play(ALL_FORMS[i] as FormSpec, events, valid, 'history')));
  }, 180_000);
});

// ------------------------------------------------------------------ through the main dialog

const jose = EXAMPLE_PERSONS.rlComfama;
const PASSWORD = 'Guayacan-Florido-2026';
const APOLOGY = fold(render('general/error')).slice(0, 40);

type Input = string | Partial<Activity>;

async function turn(client: DialogTestClient, input: Input): Promise<string> {
  const activity = typeof input === 'string' ? input : ({ type: 'message', ...input } as Partial<Activity>);
  const first = await client.sendActivity(activity as never);
  const replies: Partial<Activity>[] = first ? [first] : [];
  for (let next = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && ['text', 'title', 'fallbackText'].includes(k)) texts.push(v);
      else if (typeof v === 'object') walk(v);
    }
  };
  for (const a of replies.filter((r) => r.type === 'message')) {
    if (a.text) texts.push(a.text);
    walk(a.attachments?.map((x) => x.content));
  }
  return texts.join('\n').trim();
}

const FORM_IDS = ALL_FORMS.map((f) => f.id);

/** What a person (or a broken client) may send at a form's prompt. */
const dialogInput: fc.Arbitrary<Input> = fc.oneof(
  { weight: 3, arbitrary: anyText },
  { weight: 1, arbitrary: sample },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...FORM_IDS), anyJson), fc.dictionary(fc.oneof(fc.constantFrom('tipoDocumento', 'numeroDocumento', 'clave', 'nit', 'email', '__action', 'field', 'id'), fc.string({ maxLength: 6 })), fc.oneof(sample, anyText, anyJson), { maxKeys: 8 }))
      .map(([form, v]) => ({ text: '', value: { ...v, __form: form } })),
  },
  { weight: 1, arbitrary: anyJson.map((value) => ({ value, text: '' }) as Partial<Activity>) },
  {
    weight: 1,
    arbitrary: fc.record({ text: fc.option(anyText, { nil: undefined }), attachments: fc.array(fc.record({ contentType: fc.oneof(fc.constantFrom('application/pdf', 'image/png'), anyText), contentUrl: fc.constant('test:no-existe'), name: anyText }), { maxLength: 2 }) }),
  },
);

describe(`card submits and answers through the real main dialog (${seedNote})`, () => {
  it(`${DIALOG_RUNS} generated conversations in the registration, login and employer forms: every turn answers in Spanish`, async () => {
    // One logged-in person for the employer form; each run gets a new conversation (user state is shared).
    const setup = dialogDeps();
    await seedActiveCitizen(setup.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD);
    const login = async (client: DialogTestClient) => {
      await turn(client, 'Ingresar');
      await turn(client, { text: '', value: { __form: 'ingreso', tipoDocumento: jose.tipoDocumento, numeroDocumento: jose.numeroDocumento, clave: PASSWORD } });
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('registro', 'ingreso', 'empleador'), fc.array(dialogInput, { minLength: 1, maxLength: 5 }), async (start, inputs) => {
        const client = mainClient(setup);
        if (start === 'registro') {
          await turn(client, 'Registrarme');
          await turn(client, 'Acepto');
        } else if (start === 'ingreso') {
          await turn(client, 'salir');
          await turn(client, 'Ingresar');
        } else {
          let first = fold(await turn(client, { text: '', value: { __action: 'comenzar', id: 'rol-empleador' } }));
          if (!first.includes('nit')) {
            await login(client);
            first = fold(await turn(client, { text: '', value: { __action: 'comenzar', id: 'rol-empleador' } }));
          }
          expect(first).toContain('nit');
        }
        for (const input of [...inputs, 'estado']) {
          const where = `${start}, input ${JSON.stringify(input).slice(0, 200)}`;
          const reply = await turn(client, input);
          check(reply.length > 0, () => `${where}: no reply`);
          check(!fold(reply).includes(APOLOGY), () => `${where}: the turn failed (apology sent)`);
          check(!/\{\{|\}\}|\bundefined\b|\[object Object\]|\bNaN\b/.test(reply), () => `${where}: reply ${JSON.stringify(reply.slice(0, 300))}`);
        }
      }),
      { numRuns: DIALOG_RUNS },
    );
  }, 180_000);
});
