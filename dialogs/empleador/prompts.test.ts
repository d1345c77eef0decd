/**
 * Every prompt of "Registrar rol empleador persona jurídica": bad input gets a Spanish re-ask of the
 * same question and the flow goes on with nothing lost; cancelar leaves; atrás goes back.
 */
import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { dialogDeps, mainClient } from '../../test/helpers/dialog-deps.js';
import { seedActiveCitizen } from '../../test/helpers/people.js';
import { BAD_INPUTS } from '../../test/helpers/bad-input.js';
import { say, type Input } from '../../test/helpers/transcript.js';

const jose = EXAMPLE_PERSONS.rlComfama;
const maria = EXAMPLE_PERSONS.delegateComfama;
const PASSWORD = 'Guayacan-Florido-2026';

/** The whole flow: what is said, and what the answer asks next. */
const FLOW: readonly [Input, string, string][] = [
  // [input, question it leads to, what "atrás" asks at that question]
  [{ value: { __action: 'comenzar', id: 'rol-empleador' } }, 'nit de la empresa', 'primera pregunta'],
  ['890900841', 'razon social', 'nit de la empresa'],
  ['Caja de Compensación Familiar de Antioquia COMFAMA', 'naturaleza juridica', 'razon social'],
  ['2', 'revise sus datos', 'naturaleza juridica'],
  // "atrás" at the first question of the delegate or of the main site shows the part before on its review.
  ['confirmar', 'tipo de documento del delegado', 'revise sus datos'],
  [
    {
      value: {
        __form: 'empleador-delegado', tipoDocumento: 'CC', numeroDocumento: maria.numeroDocumento, primerNombre: maria.primerNombre,
        segundoNombre: maria.segundoNombre ?? '', primerApellido: maria.primerApellido, segundoApellido: maria.segundoApellido ?? '',
        email: 'maria@comfama.com.co',
      },
    },
    'revise sus datos',
    'correo electronico del delegado',
  ],
  ['confirmar', 'nombre de la sede', 'correo del delegado'],
  ['Sede principal', 'departamento', 'nombre de la sede'],
  ['antioquia', 'municipio', 'departamento'],
  ['medellin', 'direccion', 'municipio'],
  ['Carrera 50 No. 52-10', 'telefono', 'direccion'],
  ['6044445566', 'correo corporativo', 'telefono'],
  ['notificaciones@comfama.com.co', 'revise sus datos', 'correo corporativo'],
  // "atrás" at the final summary opens the main site's review (the step before), its data kept.
  ['confirmar', 'revise el registro completo', 'carrera 50 no 52-10'],
  ['confirmar', 'quedo registrado', ''],
];

async function reach(step: number): Promise<DialogTestClient> {
  const s = dialogDeps();
  await seedActiveCitizen(s.deps.store, jose, 'jose@correo.com', PASSWORD);
  const client = mainClient(s);
  await say(client, 'Ingresar');
  await say(client, { value: { __form: 'ingreso', tipoDocumento: 'CC', numeroDocumento: jose.numeroDocumento, clave: PASSWORD } });
  for (let i = 0; i <= step; i++) {
    const reply = await say(client, FLOW[i]![0]);
    expect(reply.folded, `step ${i}: ${reply.text}`).toContain(FLOW[i]![1]);
  }
  return client;
}

const PROMPTS = FLOW.slice(0, -1).map((f, i) => ({ step: i, question: f[1], previous: f[2], good: FLOW[i + 1]![0], next: FLOW[i + 1]![1] }));

describe.each(PROMPTS)('employer registration, prompt "$question" (step $step)', (p) => {
  it.each(BAD_INPUTS)('%s → a Spanish re-ask, then the flow goes on', async (_kind, bad) => {
    const client = await reach(p.step);
    const reply = await say(client, bad);
    expect(reply.folded, reply.text).toContain(p.question);
    expect((await say(client, p.good)).folded).toContain(p.next);
  });
  it('cancelar goes back to the menu', async () => {
    const client = await reach(p.step);
    expect((await say(client, 'cancelar')).folded).toMatch(/cancele.*que desea hacer/s);
  });
  it('atrás asks the previous question (or says there is none)', async () => {
    const client = await reach(p.step);
    expect((await say(client, 'atrás')).folded).toContain(p.previous);
  });
});
