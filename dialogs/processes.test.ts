/**
 * The process registry as people meet it: one table of transcripts, one row per rule (log in first
 * then continue, the right role, not built yet, the menu of each kind of person, step help, a used
 * card), each through the main dialog with the real stores and reference data.
 */
import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { dialogDeps, mainClient } from '../test/helpers/dialog-deps.js';
import { seedActiveCitizen } from '../test/helpers/people.js';
import { say, check, type Expectation, type Input, type Reply } from '../test/helpers/transcript.js';
import { PROCESSES } from './processes.js';
import { functionalities } from './catalog.js';
import { registerEmployer, type RegistroEmpleador } from '../domain/empleador-registro.js';
import { pdfBytes } from '../test/helpers/people.js';
import { assignServices } from '../domain/asignaciones.js';
import { authorize } from '../domain/autorizados.js';
import { ensureExampleServices } from '../domain/catalogo.js';
import { setCcfRole } from '../domain/rol-ccf.js';
import { decideTerms } from '../domain/servicios-ccf.js';
import { EXAMPLE_SERVICES } from '../storage/reference/servicios.js';
import { NUEVO_ANDRES } from '../test/helpers/employers.js';
import { terminosVigentes } from './servicios/texts.js';

const RUT_OK = { bytes: pdfBytes(3), fechaExpedicion: '2026-06-01' };
/** COMFAMA's registration by José: data as in the RUT, or (for a review) a naturaleza that does not match. */
const registrationOf = (forReview: boolean): RegistroEmpleador => ({
  nit: '890900841',
  razonSocial: 'Caja de Compensación Familiar de Antioquia COMFAMA',
  naturaleza: forReview ? '1' : '2',
  delegado: {
    tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'MARÍA', segundoNombre: 'FERNANDA',
    primerApellido: 'PEÑA', segundoApellido: 'OCHOA', email: 'maria.pena@correo.com',
  },
  sede: { nombre: 'Sede principal', departamento: '05', municipio: '05001', direccion: 'Carrera 50 No. 52-10', telefono: '6044445566', email: 'notificaciones@comfama.com.co' },
});

const jose = EXAMPLE_PERSONS.rlComfama;
const carlos = EXAMPLE_PERSONS.citizenCe;
const andres = EXAMPLE_PERSONS.authorizedComfama;
const PASSWORD = 'Guayacan-Florido-2026';
const RAZON = 'Caja de Compensación Familiar de Antioquia COMFAMA';

const loginCard = (p = jose, clave = PASSWORD): Input => ({
  value: { __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave },
});
/** Every button a reply offers: suggested actions, hero-card buttons, Adaptive Card actions. */
const buttons = (r: Reply): string[] =>
  r.activities.flatMap((a) => [
    ...(a.suggestedActions?.actions ?? []).map((x) => String(x.title)),
    ...(a.attachments ?? []).flatMap((att) => {
      const c = att.content as { buttons?: { title: string }[]; actions?: { title: string }[] } | undefined;
      return [...(c?.buttons ?? []), ...(c?.actions ?? [])].map((b) => b.title);
    }),
  ]);
const offers = (...labels: string[]) => (r: Reply) => expect(buttons(r)).toEqual(expect.arrayContaining(labels));
const neverOffers = (...labels: string[]) => (r: Reply) => {
  for (const l of labels) expect(buttons(r)).not.toContain(l);
};
const all = (...checks: Expectation[]) => (r: Reply) => checks.forEach((c) => check(r, c, 'row'));

interface Row {
  readonly name: string;
  /** Staff documents for the run. */
  readonly admins?: string[];
  readonly turns: readonly (readonly [Input, Expectation])[];
}

/** Logs José in (he is COMFAMA's RL in the reference sources, with no employer role yet). */
const LOGIN: readonly (readonly [Input, Expectation])[] = [
  ['Ingresar', 'tipo de documento'],
  [loginCard(), 'ingreso correctamente'],
];

const ROWS: Row[] = [
  {
    name: 'a person who did not log in is offered Registrarme, Ingresar, ¿Qué está buscando? and Ayuda',
    turns: [['menú', offers('Registrarme', 'Ingresar', '¿Qué está buscando?', 'Ayuda')]],
  },
  {
    name: 'after login the menu never offers Registrarme or Ingresar again, but what comes next in the chain',
    turns: [
      ['Ingresar', 'tipo de documento'],
      [loginCard(), all('ingreso correctamente', offers('Registrar rol empleador', '¿En qué voy?', 'Salir'), neverOffers('Registrarme', 'Ingresar'))],
      ['menú', all(offers('Registrar rol empleador', '¿En qué voy?', 'Salir'), neverOffers('Registrarme', 'Ingresar', 'Cambiar de rol'))],
    ],
  },
  {
    name: 'Registrarme or Ingresar while logged in says so',
    turns: [...LOGIN, ['Registrarme', 'ya ingreso como jose'], ['Ingresar', 'ya ingreso como jose']],
  },
  {
    name: 'a process that needs a session asks to log in first, then continues to it',
    turns: [
      ['registrar empresa', all('primero debe ingresar', 'tipo de documento')],
      [loginCard(), all('ingreso correctamente', 'nit de la empresa')],
    ],
  },
  {
    name: 'a failed login offers trying again, another document and Olvidé mi contraseña, and that works',
    turns: [
      ['Ingresar', 'tipo de documento'],
      [loginCard(jose, 'Equivocada-2026'), all('no son correctos', offers('Intentar de nuevo', 'Usar otro documento', 'Olvidé mi contraseña'))],
      ['Olvidé mi contraseña', all('si el documento corresponde a una cuenta registrada', neverOffers('Cédula de ciudadanía'))],
    ],
  },
  {
    name: 'a login card sent again after use is answered as such, never applied',
    turns: [...LOGIN, [loginCard(), all('ya se uso', neverOffers('Registrarme'))]],
  },
  {
    name: 'a helpdesk process asked by a citizen says plainly who can do it',
    turns: [...LOGIN, ['Consultar persona o Caja', all('es para', 'mesa de ayuda', neverOffers('Casos en cola'))]],
  },
  {
    name: 'a process for another role says plainly who can do it',
    turns: [...LOGIN, ['Revisar RUT pendientes', all('es para los administradores del ministerio', 'en que voy')]],
  },
  {
    name: 'staff: after login the person chooses the role; acting as administrator the menu offers the review',
    admins: ['CE:654321'],
    turns: [
      ['Ingresar', 'tipo de documento'],
      [loginCard(carlos), all('en que rol desea actuar', offers('Ciudadano', 'Administrador MinSalud'))],
      ['admin', all('ahora actua como administrador minsalud', offers('Bandeja del Ministerio', 'Cambiar de rol', 'Salir'))],
    ],
  },
  {
    name: 'staff acting as citizen: the review switches to the one role that fits and goes on',
    admins: ['CE:654321'],
    turns: [
      ['Ingresar', 'tipo de documento'],
      [loginCard(carlos), 'en que rol desea actuar'],
      ['1', 'ahora actua como ciudadano'],
      ['Revisar RUT pendientes', all('ahora actua como administrador minsalud', 'no hay registros de rol empleador pendientes')],
    ],
  },
  {
    name: '"comenzar" after a search starts the one functionality found',
    turns: [
      ['¿Qué está buscando?', 'escribalo con sus palabras'],
      ['olvide la clave', 'Olvidé mi contraseña'],
      ['comenzar', 'tipo de documento'],
    ],
  },
  {
    name: '"comenzar" after a search with several results asks which one, with numbers',
    turns: [
      ['¿Qué está buscando?', 'escribalo con sus palabras'],
      ['servicios web documentacion', 'Comenzar'],
      ['comenzar', all('cual desea comenzar', /1\. /)],
    ],
  },
  {
    name: 'ayuda and estado inside the RUT upload answer for that step',
    turns: [
      ...LOGIN,
      ['registrar empresa', 'nit de la empresa'],
      ['890.900.841-9', 'razon social'],
      ['Comfama', 'naturaleza'],
      ['privada', 'revise sus datos'],
      ['confirmar', all('no coinciden con el rut', offers('Corregir los datos'))],
      ['ayuda', all('adjuntar el rut', 'atras', 'miseguridadsocial@minsalud.gov.co')],
      ['estado', all('registrar rol empleador persona juridica', 'adjuntar el rut', 'lo que ya escribio esta guardado')],
    ],
  },
  {
    name: 'RUT mismatch is not a trap: atrás, correct the razón social, and go on without a RUT',
    turns: [
      ...LOGIN,
      ['registrar empresa', 'nit de la empresa'],
      ['890900841', 'razon social'],
      ['Comfama', 'naturaleza'],
      ['2', 'revise sus datos'],
      ['confirmar', 'no coinciden con el rut'],
      ['atrás', 'razon social'],
      [RAZON.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''), 'revise sus datos'],
      ['confirmar', all('delegado', (r: Reply) => expect(r.folded).not.toContain('rut'))],
      [
        {
          value: {
            __form: 'empleador-delegado', tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'maria', segundoNombre: 'fernanda',
            primerApellido: 'pena', segundoApellido: 'ochoa', email: 'maria.pena@comfama.com.co',
          },
        },
        'revise sus datos',
      ],
      ['confirmar', 'sede principal'],
      ['Sede principal Medellín', 'departamento'],
      ['antioquia', 'municipio'],
      ['medellin', 'direccion'],
      ['Carrera 50 No. 52-10', 'telefono'],
      ['6044445566', 'correo corporativo'],
      ['notificaciones@comfama.com.co', 'revise sus datos'],
      ['confirmar', 'revise el registro completo'],
      // The official razón social, not the text as typed.
      ['confirmar', all('quedo registrado', (r: Reply) => expect(r.text).toContain('CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA'))],
      ['Terminar', offers('Cambiar de rol', '¿En qué voy?')],
      [
        '¿en qué voy?',
        (r: Reply) => {
          expect(r.folded).toContain('jose');
          expect(r.folded).not.toContain('aun no ha iniciado');
          expect(r.folded).toContain('comfama');
          expect(r.folded).toMatch(/maria fernanda pena.*invitad.*aun no se ha registrado/s);
          expect(r.folded).toContain('ministerio');
        },
      ],
    ],
  },
  {
    name: 'RUT mismatch: "corregir naturaleza jurídica" asks only that again',
    turns: [
      ...LOGIN,
      ['registrar empresa', 'nit de la empresa'],
      ['890900841', 'razon social'],
      [RAZON, 'naturaleza'],
      ['publica', 'revise sus datos'],
      ['confirmar', 'no coinciden con el rut'],
      ['corregir naturaleza juridica', 'naturaleza'],
      ['privada', 'revise sus datos'],
      ['confirmar', 'delegado'],
    ],
  },
  {
    name: 'ayuda at an identity question gives that question\'s help, then the general help',
    turns: [
      ['Registrarme', 'tratamiento de sus datos'], ['Acepto', 'tipo de documento'],
      [
        {
          value: {
            __form: 'registro-datos-basicos', tipoDocumento: andres.tipoDocumento, numeroDocumento: andres.numeroDocumento, primerNombre: andres.primerNombre,
            segundoNombre: andres.segundoNombre ?? '', primerApellido: andres.primerApellido, segundoApellido: andres.segundoApellido ?? '',
            fechaNacimiento: andres.fechaNacimiento, fechaExpedicion: andres.fechaExpedicion, sexo: andres.sexo,
          },
        },
        'revise sus datos',
      ],
      ['confirmar', 'pregunta 1 de 4'],
      ['ayuda', all('preguntas de identidad', 'miseguridadsocial@minsalud.gov.co', 'pregunta 1 de 4')],
      ['estado', all('registro ciudadano', 'pregunta 1 de 4')],
    ],
  },
];

async function run(row: Row): Promise<DialogTestClient> {
  const s = dialogDeps('2026-11-26T15:00:00.000Z', 7, { admins: row.admins ?? [] });
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD);
  await seedActiveCitizen(s.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD);
  const client = mainClient(s);
  for (const [i, [input, expectation]] of row.turns.entries()) {
    check(await say(client, input), expectation, `${row.name} — turn ${i + 1}`);
  }
  return client;
}

describe('process registry, as people meet it', () => {
  it.each(ROWS)('$name', async (row) => {
    await run(row);
  });

  it('every process has its texts (title, button, description) and every functionality a process', () => {
    const ids = functionalities().map((f) => f.id);
    expect(PROCESSES.map((p) => p.id).sort()).toEqual([...ids].sort());
  });
});

// ------------------------------------------------------------------ every built process, the same way

interface ProcessRow {
  readonly id: string;
  /**
   * Who starts it: nobody logged in, José (citizen, RL of COMFAMA), José acting for COMFAMA, an
   * administrator, or Andrés acting as "Caja de compensación familiar — COMFAMA" (authorized by José,
   * the role active, two services assigned), before or after accepting the terms.
   */
  readonly who: 'nadie' | 'jose' | 'jose-empleador' | 'admin' | 'andres-ccf' | 'andres-ccf-acepto';
  /** What its first question is about (folded). */
  readonly asks: string;
}

/** Every built process that asks something: started from its button, it asks; estado names it; ayuda helps; cancelar goes back to the menu. */
const BUILT: ProcessRow[] = [
  { id: 'registro', who: 'nadie', asks: 'autoriza el tratamiento' },
  { id: 'ingresar', who: 'nadie', asks: 'tipo de documento' },
  { id: 'recuperar-clave', who: 'nadie', asks: 'tipo de documento' },
  { id: 'rol-empleador', who: 'jose', asks: 'nit de la empresa' },
  { id: 'actualizar-datos', who: 'jose-empleador', asks: 'que desea actualizar' },
  { id: 'autorizados', who: 'jose-empleador', asks: 'aun no tiene personas autorizadas' },
  { id: 'revision-rut', who: 'admin', asks: 'pendientes de revision del rut' },
  { id: 'elegir-rol', who: 'jose-empleador', asks: 'en que rol desea actuar' },
  { id: 'mis-datos', who: 'jose', asks: 'solicitar la correccion o la eliminacion' },
  { id: 'bandeja-ministerio', who: 'admin', asks: 'esto es lo que espera al ministerio de salud' },
  { id: 'activar-rol-ccf', who: 'admin', asks: 'cual caja de compensacion familiar' },
  { id: 'catalogo-servicios', who: 'admin', asks: 'el catalogo no tiene servicios todavia' }, // startAs seeds no example services
  { id: 'asignar-servicios', who: 'admin', asks: 'cual caja de compensacion familiar' },
  { id: 'servicios-web', who: 'andres-ccf', asks: 'acepta las condiciones de uso y la politica de privacidad y retencion' },
  { id: 'terminos', who: 'andres-ccf', asks: 'acepta las condiciones de uso y la politica de privacidad y retencion' },
  { id: 'swagger', who: 'andres-ccf-acepto', asks: 'de cual servicio desea ver la documentacion' },
  { id: 'info-servicio', who: 'andres-ccf-acepto', asks: 'de cual servicio desea ver la informacion' },
  { id: 'compartir', who: 'andres-ccf-acepto', asks: 'todavia no comparte servicios con el ministerio' },
  { id: 'asignar-clave', who: 'andres-ccf-acepto', asks: 'escriba la nueva contrasena en el campo protegido' },
];

const COMFAMA_NIT = '890900841';
const asCcf = { tipo: 'ccf' as const, nit: COMFAMA_NIT, razonSocial: RAZON.toUpperCase() };

/** Andrés authorized by José at COMFAMA, its CCF role activated by Carlos, two services assigned; the terms accepted if asked. */
async function andresAtComfama(s: ReturnType<typeof dialogDeps>, acepto: boolean, actor: { ref: string; channel: string }): Promise<void> {
  await seedActiveCitizen(s.deps.store, andres, 'andres.zapata@correo.com', PASSWORD);
  await ensureExampleServices(s.deps, EXAMPLE_SERVICES);
  const steps = [
    await authorize(s.deps, 'CC:70123456', { tipo: 'empleador', nit: COMFAMA_NIT, razonSocial: RAZON, como: 'rl' }, COMFAMA_NIT, NUEVO_ANDRES, actor),
    await setCcfRole(s.deps, 'CE:654321', COMFAMA_NIT, true, 'Cadena de activación verificada', actor),
    await assignServices(s.deps, 'CE:654321', COMFAMA_NIT, ['SolicitudAfiliacion', 'ConsultaAfiliacion'], actor),
    ...(acepto ? [await decideTerms(s.deps, 'CC:1017234567', asCcf, terminosVigentes(), 'acepto', actor)] : []),
  ];
  for (const r of steps) if (!r.ok) throw new Error(r.error.code);
}

async function startAs(row: ProcessRow): Promise<DialogTestClient> {
  const s = dialogDeps('2026-11-26T15:00:00.000Z', 7, { admins: ['CE:654321'] });
  await seedActiveCitizen(s.deps.store, jose, 'jose.restrepo@correo.com', PASSWORD);
  await seedActiveCitizen(s.deps.store, carlos, 'carlos.briceno@correo.com', PASSWORD);
  const actor = { ref: 'prueba', channel: 'test' };
  const registered = await registerEmployer(s.deps, 'CC:70123456', { ...registrationOf(row.who === 'admin'), rut: row.who === 'admin' ? RUT_OK : undefined }, actor);
  if (row.who !== 'jose' && row.who !== 'nadie' && !registered.ok) throw new Error(registered.error.code);
  const asAndres = row.who === 'andres-ccf' || row.who === 'andres-ccf-acepto';
  if (asAndres) await andresAtComfama(s, row.who === 'andres-ccf-acepto', actor);
  const client = mainClient(s);
  if (row.who !== 'nadie') {
    await say(client, 'Ingresar');
    await say(client, loginCard(row.who === 'admin' ? carlos : asAndres ? andres : jose));
    check(await say(client, row.who === 'admin' ? 'administrador' : asAndres ? 'caja' : 'empleador'), 'ahora actua como', `${row.id}: role`);
  }
  return client;
}

describe('every built process of the registry, the same way', () => {
  it.each(BUILT)('$id: starts from its button, estado names it, ayuda helps, cancelar goes back to the menu', async (row) => {
    const client = row.who === 'jose' ? await run({ name: row.id, turns: LOGIN }) : await startAs(row);
    const boton = functionalities().find((f) => f.id === row.id)!.boton;
    check(await say(client, boton), row.asks, `${row.id}: start`);
    check(await say(client, 'estado'), functionalities().find((f) => f.id === row.id)!.title, `${row.id}: estado`);
    check(await say(client, 'ayuda'), 'miseguridadsocial@minsalud.gov.co', `${row.id}: ayuda`);
    const cancel = await say(client, 'cancelar');
    check(cancel, /cancel/i, `${row.id}: cancelar`);
    check(cancel, 'que desea hacer ahora', `${row.id}: menu`);
  });
});
