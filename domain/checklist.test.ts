import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../storage/memory-store.js';
import { EXAMPLE_PERSONS } from '../storage/reference/examples.js';
import { defaultReferenceRegistry } from '../storage/reference/registry.js';
import { seedActiveCitizen } from '../test/helpers/people.js';
import { checklist, type AutorizadoFacts, type ChecklistFacts, type ChecklistStep, type CompanyFacts, type NextAction, type PersonFacts, type RoleFacts, type Who } from './checklist.js';
import { loadChecklistFacts } from './checklist-facts.js';
import type { EmployerRole } from './employers.js';
import { formatNit } from './nit.js';

const NOW = new Date('2026-12-02T15:00:00.000Z');
const NOV = (day: number) => `2026-11-${String(day).padStart(2, '0')}T14:00:00.000Z`;

// ------------------------------------------------------------------------------ facts

const active = (creadoEn: string) => ({ estado: 'activo' as const, creadoEn, activadoEn: creadoEn });
const JOSE: PersonFacts = { citizenId: 'CC:70123456', nombre: { primerNombre: 'JOSÉ', segundoNombre: 'ALEJANDRO', primerApellido: 'RESTREPO' }, sexo: 'M', cuenta: active(NOV(20)) };
const MARIA_SIN_CUENTA: PersonFacts = { citizenId: 'CC:1036612345', nombre: { primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'PEÑA' }, sexo: 'F' };
const MARIA: PersonFacts = { ...MARIA_SIN_CUENTA, cuenta: active(NOV(30)) };
const ANDRES: PersonFacts = { citizenId: 'CC:1017234567', nombre: { primerNombre: 'ANDRÉS', segundoNombre: 'FELIPE', primerApellido: 'ZAPATA' }, sexo: 'M', cuenta: active(NOV(28)) };
const CARLOS: PersonFacts = { citizenId: 'CE:654321', nombre: { primerNombre: 'CARLOS', primerApellido: 'BRICEÑO' }, sexo: 'M' };

const rol = (over: Partial<RoleFacts> = {}): RoleFacts => ({
  estado: 'activo',
  registradoEn: NOV(30),
  rl: JOSE,
  delegado: { ...MARIA_SIN_CUENTA, estado: 'invitado', designadoEn: NOV(30) },
  ...over,
});
const linked = { ...MARIA, estado: 'vinculado' as const, designadoEn: NOV(30) };
const comfama = (over: Partial<CompanyFacts> = {}): CompanyFacts => ({ nit: '890900841', dv: '9', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', sigla: 'COMFAMA', esCcf: true, ...over });
const autorizado = (estado: AutorizadoFacts['estado'], person: PersonFacts = ANDRES): AutorizadoFacts => ({ ...person, estado, desde: NOV(29) });
const full = (over: Partial<CompanyFacts> = {}) => comfama({ rol: rol({ delegado: linked }), autorizados: [autorizado('activo')], ...over });
const facts = (persona: PersonFacts, empresas: CompanyFacts[] = [], extra: Partial<ChecklistFacts> = {}): ChecklistFacts => ({ persona, empresas, ...extra });
const DEC = (day: number) => `2026-12-${String(day).padStart(2, '0')}T14:00:00.000Z`;
/** Step 4 done: the CCF role active with three services. */
const step4Done: Partial<CompanyFacts> = { rolCcf: { activo: true, en: NOV(30) }, serviciosAsignados: 3 };
/** One service shared with both forms (of one shared). */
const COMPARTIDO = { total: 1, completos: 1 };
/** Step 5 done: the terms accepted, a service shared completely and the password assigned. */
const step5Done: Partial<CompanyFacts> = { terminos: { estado: 'aceptados', en: NOV(30) }, compartidos: COMPARTIDO, claveAsignadaEn: DEC(1) };

// ------------------------------------------------------------------------------ reading the result

/** "delegado", "rl*" (* = the person the checklist is for), "ministerio". */
const whoKey = (w: Who): string => (w.tipo === 'ministerio' ? 'ministerio' : `${w.rol}${w.usted ? '*' : ''}`);
const next = (n: NextAction) => `${n.accion} ${n.quien.map(whoKey).join(',')}`.trim();
const H = 'hecho', P = 'pendiente', R = 'en_revision', B = 'bloqueado';

interface Row {
  name: string;
  facts: ChecklistFacts;
  registro: string;
  /** The five steps of the (first) CCF, or none. */
  pasos?: string[];
  siguiente: string;
}

const ROWS: Row[] = [
  { name: 'no account', facts: facts(CARLOS), registro: 'sin_registro', siguiente: 'registrarse ciudadano*' },
  { name: 'identity block in force', facts: facts({ ...CARLOS, bloqueadoHasta: '2026-12-03T10:00:00.000Z' }), registro: 'bloqueado', siguiente: 'esperar_bloqueo ciudadano*' },
  { name: 'identity block over', facts: facts({ ...CARLOS, bloqueadoHasta: '2026-12-01T10:00:00.000Z' }), registro: 'sin_registro', siguiente: 'registrarse ciudadano*' },
  { name: 'pending activation', facts: facts({ ...CARLOS, cuenta: { estado: 'pendiente', creadoEn: NOV(29) } }), registro: 'pendiente_activacion', siguiente: 'activar_cuenta ciudadano*' },
  { name: 'active with nothing', facts: facts(ANDRES, [], { cajaActual: { nit: '890900841', razonSocial: 'COMFAMA' } }), registro: 'registrado', siguiente: 'esperar_caja rl' },
  { name: 'RL of a company that is not a CCF', facts: facts(JOSE, [{ ...comfama({ esCcf: false, rol: rol() }) }]), registro: 'registrado', siguiente: 'solo_ccf' },
  { name: 'RL of a CCF without role', facts: facts(JOSE, [comfama({ rlReferencia: JOSE })]), registro: 'registrado', pasos: [H, P, P, P, P], siguiente: 'registrar_rol rl*' },
  { name: 'RL of a CCF, not registered (helpdesk view)', facts: facts(CARLOS, [comfama({ rlReferencia: CARLOS })]), registro: 'sin_registro', pasos: [P, P, P, P, P], siguiente: 'registrarse ciudadano*' },
  { name: 'role activo, delegate invited', facts: facts(JOSE, [comfama({ rol: rol() })]), registro: 'registrado', pasos: [H, H, P, P, P], siguiente: 'registrarse delegado' },
  { name: 'role activo, delegate with a pending account', facts: facts(JOSE, [comfama({ rol: rol({ delegado: { ...MARIA_SIN_CUENTA, cuenta: { estado: 'pendiente', creadoEn: NOV(30) }, estado: 'invitado', designadoEn: NOV(30) } }) })]), registro: 'registrado', pasos: [H, H, P, P, P], siguiente: 'activar_cuenta delegado' },
  { name: 'role activo, delegate linked', facts: facts(JOSE, [comfama({ rol: rol({ delegado: linked }) })]), registro: 'registrado', pasos: [H, H, P, P, P], siguiente: 'autorizar delegado,rl*' },
  { name: 'the delegate looks at the RL’s CCF', facts: facts(MARIA, [comfama({ rol: rol({ delegado: linked }) })]), registro: 'registrado', pasos: [H, H, P, P, P], siguiente: 'autorizar delegado*,rl' },
  { name: 'RUT waiting for review', facts: facts(JOSE, [comfama({ rol: rol({ estado: 'pendiente_revision', rutSubidoEn: NOV(30) }) })]), registro: 'registrado', pasos: [H, R, P, P, P], siguiente: 'revisar_rut ministerio' },
  { name: 'RUT rejected with a reason', facts: facts(JOSE, [comfama({ rol: rol({ estado: 'rechazado', revision: { decision: 'rechazado', en: NOV(30), motivo: 'RUT ilegible' } }) })]), registro: 'registrado', pasos: [H, B, P, P, P], siguiente: 'registrar_rol_de_nuevo rl*' },
  { name: 'authorized person registered', facts: facts(JOSE, [full()]), registro: 'registrado', pasos: [H, H, H, P, P], siguiente: 'activar_rol_ccf ministerio' },
  { name: 'authorized person invited: step 3 waits for their registration', facts: facts(JOSE, [full({ autorizados: [autorizado('invitado', { ...ANDRES, cuenta: undefined })] })]), registro: 'registrado', pasos: [H, H, P, P, P], siguiente: 'registrarse autorizado' },
  { name: 'every authorized person revoked', facts: facts(JOSE, [full({ autorizados: [autorizado('revocado')] })]), registro: 'registrado', pasos: [H, H, P, P, P], siguiente: 'autorizar delegado,rl*' },
  { name: 'RL authorized someone; delegate still invited', facts: facts(JOSE, [full({ rol: rol() })]), registro: 'registrado', pasos: [H, H, H, P, P], siguiente: 'activar_rol_ccf ministerio' },
  { name: 'CCF role active, no services yet', facts: facts(JOSE, [full({ rolCcf: { activo: true, en: NOV(30) } })]), registro: 'registrado', pasos: [H, H, H, P, P], siguiente: 'asignar_servicios ministerio' },
  { name: 'CCF role active with services', facts: facts(JOSE, [full({ rolCcf: { activo: true, en: NOV(30) }, serviciosAsignados: 3 })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'aceptar_terminos autorizado' },
  { name: 'the authorized person looks', facts: facts(ANDRES, [full({ rolCcf: { activo: true, en: NOV(30) }, serviciosAsignados: 3 })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'aceptar_terminos autorizado*' },
  { name: 'CCF role deactivated', facts: facts(JOSE, [full({ rolCcf: { activo: false, en: NOV(30) }, serviciosAsignados: 3 })]), registro: 'registrado', pasos: [H, H, H, B, P], siguiente: 'reactivar_rol_ccf ministerio' },
  { name: 'terms declined', facts: facts(JOSE, [full({ rolCcf: { activo: true, en: NOV(30) }, serviciosAsignados: 3, terminos: { estado: 'rechazados', en: NOV(30) } })]), registro: 'registrado', pasos: [H, H, H, H, B], siguiente: 'aceptar_terminos autorizado' },
  { name: 'terms accepted, nothing shared, no password', facts: facts(JOSE, [full({ ...step4Done, terminos: { estado: 'aceptados', en: NOV(30) } })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'compartir_servicios autorizado' },
  { name: 'terms accepted, a service shared only in part', facts: facts(JOSE, [full({ ...step4Done, terminos: { estado: 'aceptados', en: NOV(30) }, compartidos: { total: 1, completos: 0 } })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'compartir_servicios autorizado' },
  { name: 'terms accepted, a service shared completely, no password', facts: facts(JOSE, [full({ ...step4Done, terminos: { estado: 'aceptados', en: NOV(30) }, compartidos: COMPARTIDO })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'asignar_clave autorizado' },
  { name: 'terms accepted, the password but nothing shared completely', facts: facts(JOSE, [full({ ...step4Done, terminos: { estado: 'aceptados', en: NOV(30) }, compartidos: { total: 2, completos: 0 }, claveAsignadaEn: DEC(1) })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'compartir_servicios autorizado' },
  { name: 'everything done', facts: facts(JOSE, [full({ ...step4Done, ...step5Done })]), registro: 'registrado', pasos: [H, H, H, H, H], siguiente: 'administrar_servicios autorizado' },
  { name: 'everything done but the delegate’s registration', facts: facts(JOSE, [full({ rol: rol(), ...step4Done, ...step5Done })]), registro: 'registrado', pasos: [H, H, H, H, H], siguiente: 'registrarse delegado' },
  { name: 'shared and password kept, but whoever accepted is no longer authorized (no terms)', facts: facts(JOSE, [full({ ...step4Done, compartidos: COMPARTIDO, claveAsignadaEn: DEC(1) })]), registro: 'registrado', pasos: [H, H, H, H, P], siguiente: 'aceptar_terminos autorizado' },
  { name: 'terms declined although a service is shared and the password assigned', facts: facts(JOSE, [full({ ...step4Done, ...step5Done, terminos: { estado: 'rechazados', en: DEC(1) } })]), registro: 'registrado', pasos: [H, H, H, H, B], siguiente: 'aceptar_terminos autorizado' },
];

describe('checklist', () => {
  it('the RL is told they may authorize while the invited delegate has not registered; nobody else, and not once step 3 is done', () => {
    expect(checklist(facts(JOSE, [comfama({ rol: rol() })]), NOW).siguiente).toMatchObject({ accion: 'registrarse', mientras: 'autorizar' });
    expect(checklist(facts(JOSE, [comfama({ rol: rol({ delegado: linked }) })]), NOW).siguiente.mientras).toBeUndefined();
    expect(checklist(facts(JOSE, [full({ rol: rol(), ...step4Done, ...step5Done })]), NOW).siguiente.mientras).toBeUndefined();
    expect(checklist(facts(ANDRES, [comfama({ rol: rol() })]), NOW).siguiente.mientras).toBeUndefined();
  });

  it.each(ROWS)('$name', ({ facts: f, registro, pasos, siguiente }) => {
    const result = checklist(f, NOW);
    expect(result.registro.situacion).toBe(registro);
    expect(result.cajas.map((c) => c.pasos.map((p) => p.estado))).toEqual(pasos ? [pasos] : []);
    expect(next(result.siguiente)).toBe(siguiente);
  });

  it('step 1 names each person of the chain: the RL done, the delegate invited on 30/11', () => {
    const r = checklist(facts(JOSE, [comfama({ rol: rol() })]), NOW);
    const [caja] = r.cajas;
    expect(r.siguiente).toMatchObject({ accion: 'registrarse', paso: 1, fecha: NOV(30) });
    const personas = caja!.pasos[0].personas!.map((r) => [whoKey(r.quien), r.situacion, r.fecha]);
    expect(personas).toEqual([
      ['rl*', 'registrado', NOV(20)],
      ['delegado', 'invitado', NOV(30)],
      ['autorizado', 'por_autorizar', undefined],
    ]);
    expect(caja!.pasos[0].personas![1]!.quien).toMatchObject({ nombre: 'MARÍA FERNANDA PEÑA', sexo: 'F' });
    expect(caja!.como).toEqual(['rl']);
  });

  it.each([
    ['the RL is not registered', facts(CARLOS, [comfama({ rlReferencia: CARLOS })]), [undefined, 1, 1, 1, 1]],
    ['no role yet', facts(JOSE, [comfama({ rlReferencia: JOSE })]), [undefined, undefined, 2, 2, 2]],
    ['nobody authorized (the delegate’s registration does not hold step 3)', facts(JOSE, [comfama({ rol: rol() })]), [undefined, undefined, undefined, 3, 3]],
    ['the authorized person not registered', facts(JOSE, [full({ autorizados: [autorizado('invitado', { ...ANDRES, cuenta: undefined })], rolCcf: { activo: true, en: NOV(30) }, serviciosAsignados: 1 })]), [undefined, undefined, undefined, 3, 3]],
  ])('a step says which earlier step it needs: %s', (_name, f, espera) => {
    expect(checklist(f, NOW).cajas[0]!.pasos.map((p) => p.espera)).toEqual(espera);
  });

  it('who must act is named', () => {
    const [caja] = checklist(facts(JOSE, [comfama({ rol: rol({ delegado: linked }) })]), NOW).cajas;
    expect(caja!.pasos[2].quien.map(whoKey)).toEqual(['delegado', 'rl*']);
    expect(caja!.pasos[3].quien).toEqual([{ tipo: 'ministerio' }]);
  });

  it('a rejected RUT carries the Ministry’s reason to the step and the next action', () => {
    const r = checklist(facts(JOSE, [comfama({ rol: rol({ estado: 'rechazado', revision: { decision: 'rechazado', en: NOV(30), motivo: 'RUT ilegible' } }) })]), NOW);
    expect(r.cajas[0]!.pasos[1]).toMatchObject({ motivo: 'RUT ilegible', fecha: NOV(30) });
    expect(r.siguiente).toMatchObject({ accion: 'registrar_rol_de_nuevo', motivo: 'RUT ilegible' });
  });

  it('with several CCFs the next action is the one the person must do', () => {
    const other = { ...comfama({ rol: rol({ estado: 'pendiente_revision' }) }), nit: '890900842', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA' };
    const r = checklist(facts(JOSE, [other, comfama({ rlReferencia: JOSE })]), NOW);
    expect(r.cajas.map((c) => c.nit)).toEqual(['890900842', '890900841']);
    expect(next(r.siguiente)).toBe('registrar_rol rl*');
  });

  it('keeps the acting role and names the person', () => {
    const r = checklist(facts(JOSE, [], { actuaComo: { tipo: 'empleador', nit: '890900841', razonSocial: 'COMFAMA', como: 'rl' } }), NOW);
    expect(r.actuaComo).toMatchObject({ tipo: 'empleador', como: 'rl' });
    expect(r.persona).toMatchObject({ nombre: 'JOSÉ ALEJANDRO RESTREPO', usted: true });
    expect(r.generadoEn).toBe(NOW.toISOString());
  });
});

// ------------------------------------------------------------------------------ loader (real store and reference data)

describe('loadChecklistFacts', () => {
  const reference = defaultReferenceRegistry();
  const { rlComfama, delegateComfama, authorizedComfama } = EXAMPLE_PERSONS;
  const subject = `NIT ${formatNit('890900841')}`;

  /** COMFAMA's employer role as the registration stores it, with its audit of the delegate's designation. */
  async function seedRole(store: ReturnType<typeof createMemoryStore>, over: Partial<EmployerRole> = {}) {
    const role: EmployerRole = {
      id: '890900841', nit: '890900841', dv: '9', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA', naturaleza: '2',
      rl: 'CC:70123456', estado: 'activo',
      sede: { nombre: 'Sede principal', departamento: '05', municipio: '05001', direccion: 'Diagonal 8B # 11-3', telefono: '6045107000', email: 'servicios.web@comfama.com.co' },
      delegado: { tipoDocumento: 'CC', numeroDocumento: '1036612345', primerNombre: 'MARÍA', segundoNombre: 'FERNANDA', primerApellido: 'PEÑA', segundoApellido: 'OCHOA', email: 'maria.pena@comfama.com.co', estado: 'invitado', citizenId: 'CC:1036612345' },
      creadoEn: NOV(28), actualizadoEn: NOV(30), ...over,
    };
    await store.transaction(async (tx) => {
      await tx.collection('employers').put(role);
      await tx.collection('audit').put({ id: 'a1', at: NOV(28), actor: 'u', action: 'empleador.delegado_designado', channel: 'webchat', subject });
      await tx.collection('audit').put({ id: 'a2', at: NOV(30), actor: 'u', action: 'empleador.delegado_reemplazado', channel: 'webchat', subject });
      await tx.collection('audit').put({ id: 'a3', at: '2026-12-01T09:00:00.000Z', actor: 'u', action: 'empleador.sede_actualizada', channel: 'webchat', subject });
    });
  }

  it('right after the RL registers COMFAMA’s role, the checklist is COMFAMA’s chain (never "no trámite", never just Ciudadano)', async () => {
    const store = createMemoryStore();
    await seedActiveCitizen(store, rlComfama, 'jose@correo.example', 'x', new Date(NOV(20)));
    await seedRole(store);
    const f = await loadChecklistFacts({ store, reference }, 'CC:70123456');
    expect(f.empresas).toHaveLength(1);
    expect(f.empresas[0]).toMatchObject({ nit: '890900841', sigla: 'COMFAMA', esCcf: true, rol: { estado: 'activo', delegado: { estado: 'invitado', designadoEn: NOV(30), sexo: 'F' } } });
    const r = checklist(f, NOW);
    expect(r.cajas[0]!.como).toEqual(['rl']);
    expect(r.cajas[0]!.pasos.map((p) => p.estado)).toEqual([H, H, P, P, P]);
    expect(r.cajas[0]!.pasos[0].personas![1]).toMatchObject({ situacion: 'invitado', fecha: NOV(30), quien: { nombre: 'MARÍA FERNANDA PEÑA' } });
    expect(r.persona.nombre).toBe('José Alejandro Restrepo');
  });

  it('the RL of a CCF without a role is shown the chain with "Registrar rol empleador" next', async () => {
    const store = createMemoryStore();
    await seedActiveCitizen(store, rlComfama, 'jose@correo.example', 'x', new Date(NOV(20)));
    const r = checklist(await loadChecklistFacts({ store, reference }, 'CC:70123456'), NOW);
    expect(r.cajas.map((c) => c.nit)).toContain('890900841');
    expect(next(r.siguiente)).toBe('registrar_rol rl*');
  });

  it('the delegate sees the RL’s CCF once linked; a delegate of a rejected role does not', async () => {
    const store = createMemoryStore();
    await seedActiveCitizen(store, rlComfama, 'jose@correo.example', 'x', new Date(NOV(20)));
    await seedActiveCitizen(store, delegateComfama, 'maria@correo.example', 'x', new Date(NOV(30)));
    await seedRole(store);
    const r = checklist(await loadChecklistFacts({ store, reference }, 'CC:1036612345'), NOW);
    expect(r.cajas[0]!.como).toEqual(['delegado']);
    await seedRole(store, { estado: 'rechazado' });
    expect((await loadChecklistFacts({ store, reference }, 'CC:1036612345')).empresas).toEqual([]);
  });

  it('a person with no role learns their CCF from the reference sources', async () => {
    const store = createMemoryStore();
    await seedActiveCitizen(store, authorizedComfama, 'andres@correo.example', 'x', new Date(NOV(20)));
    const f = await loadChecklistFacts({ store, reference }, 'CC:1017234567');
    expect(f).toMatchObject({ empresas: [], cajaActual: { nit: '890900841' } });
    expect(checklist(f, NOW).siguiente).toMatchObject({ accion: 'esperar_caja', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA' });
  });

  it('a document without an account: name from the reference sources, and its identity block', async () => {
    const store = createMemoryStore();
    await store.transaction((tx) => tx.collection('identityChecks').put({ id: 'CC:1017234567', intentosDatos: 0, rondasFallidas: 3, bloqueadoHasta: '2026-12-03T10:00:00.000Z', actualizadoEn: NOV(30) }));
    const f = await loadChecklistFacts({ store, reference }, 'CC:1017234567');
    expect(f.persona).toMatchObject({ nombre: { primerNombre: 'Andrés' }, bloqueadoHasta: '2026-12-03T10:00:00.000Z' });
    expect(f.persona.cuenta).toBeUndefined();
    expect(checklist(f, NOW).registro.situacion).toBe('bloqueado');
  });

  it('the RL does not learn of the delegate’s identity block: she has simply not registered', async () => {
    const store = createMemoryStore();
    await seedActiveCitizen(store, rlComfama, 'jose@correo.example', 'x', new Date(NOV(20)));
    await seedRole(store);
    await store.transaction((tx) => tx.collection('identityChecks').put({ id: 'CC:1036612345', intentosDatos: 0, rondasFallidas: 3, bloqueadoHasta: '2026-12-03T10:00:00.000Z', actualizadoEn: NOV(30) }));
    const f = await loadChecklistFacts({ store, reference }, 'CC:70123456');
    expect(f.empresas[0]!.rol!.delegado.bloqueadoHasta).toBeUndefined();
    expect(checklist(f, NOW).cajas[0]!.pasos[0].personas![1]!.situacion).toBe('invitado');
  });
});

// ------------------------------------------------------------------------------ step 5 (Administración de Servicios Web)

describe('checklist: step 5, the terms decided (versions, by whom) and the services seen', () => {
  const DEC1 = '2026-12-01T16:00:00.000Z';
  const VERSIONES = 'condiciones 1.0, privacidad 1.0';
  const paso4 = { rolCcf: { activo: true, en: NOV(30) }, serviciosAsignados: 2, nombresServicios: ['ConsultaAfiliacion', 'SolicitudAfiliacion'] };
  /** Andrés and María both authorized; María is also the linked delegate. */
  const dos = (over: Partial<CompanyFacts>) => full({ autorizados: [autorizado('activo'), autorizado('activo', MARIA)], ...paso4, ...over });
  const MARIA_WHO = { tipo: 'persona', rol: 'autorizado', nombre: 'MARÍA FERNANDA PEÑA', sexo: 'F', usted: false };

  const accepted = { terminos: { estado: 'aceptados', en: DEC1, versiones: VERSIONES, por: MARIA.citizenId }, serviciosVistos: ['SolicitudAfiliacion'] } satisfies Partial<CompanyFacts>;
  const CLAVE_EN = '2026-12-02T09:30:00.000Z';

  it('accepted, nothing shared yet: pending on sharing a service and the password; names who accepted, with the versions and the services seen', () => {
    const r = checklist(facts(JOSE, [dos(accepted)]), NOW);
    expect(r.cajas[0]!.pasos.map((p) => p.estado)).toEqual([H, H, H, H, P]);
    expect(r.cajas[0]!.pasos[4]).toEqual({
      paso: 5, estado: 'pendiente', situacion: 'terminos_aceptados', quien: [MARIA_WHO], fecha: DEC1, versiones: VERSIONES, vistos: ['SolicitudAfiliacion'], faltan: ['compartir', 'clave'],
    });
    expect(r.siguiente).toEqual({ accion: 'compartir_servicios', paso: 5, quien: [MARIA_WHO], fecha: DEC1 });
  });

  it.each<[string, Partial<CompanyFacts>, Partial<ChecklistStep>, NextAction['accion']]>([
    ['a service shared only in part (an incomplete one does not count)', { compartidos: { total: 1, completos: 0 } }, { estado: P, situacion: 'terminos_aceptados', faltan: ['compartir', 'clave'], compartidos: { total: 1, completos: 0 } }, 'compartir_servicios'],
    ['a service shared completely', { compartidos: { total: 2, completos: 1 } }, { estado: P, situacion: 'terminos_aceptados', faltan: ['clave'], compartidos: { total: 2, completos: 1 } }, 'asignar_clave'],
    ['the password, nothing shared completely', { compartidos: { total: 1, completos: 0 }, claveAsignadaEn: CLAVE_EN }, { estado: P, situacion: 'terminos_aceptados', faltan: ['compartir'], compartidos: { total: 1, completos: 0 }, claveAsignadaEn: CLAVE_EN }, 'compartir_servicios'],
    ['the password, never shared', { claveAsignadaEn: CLAVE_EN }, { estado: P, situacion: 'terminos_aceptados', faltan: ['compartir'], claveAsignadaEn: CLAVE_EN }, 'compartir_servicios'],
  ])('accepted, then %s: still pending, saying what is missing', (_name, over, expected, accion) => {
    const r = checklist(facts(JOSE, [dos({ ...accepted, ...over })]), NOW);
    const step = r.cajas[0]!.pasos[4];
    expect(step).toEqual({ paso: 5, quien: [MARIA_WHO], fecha: DEC1, versiones: VERSIONES, vistos: ['SolicitudAfiliacion'], ...expected });
    expect(r.siguiente).toEqual({ accion, paso: 5, quien: [MARIA_WHO], fecha: DEC1 });
  });

  it('accepted, a service shared completely and the password assigned: done, "servicios administrados"; the chain is complete', () => {
    const r = checklist(facts(JOSE, [dos({ ...accepted, compartidos: { total: 2, completos: 1 }, claveAsignadaEn: CLAVE_EN })]), NOW);
    expect(r.cajas[0]!.pasos.map((p) => p.estado)).toEqual([H, H, H, H, H]);
    expect(r.cajas[0]!.pasos[4]).toEqual({
      paso: 5, estado: 'hecho', situacion: 'servicios_administrados', quien: [MARIA_WHO], fecha: DEC1, versiones: VERSIONES, vistos: ['SolicitudAfiliacion'], compartidos: { total: 2, completos: 1 }, claveAsignadaEn: CLAVE_EN,
    });
    expect(r.siguiente).toEqual({ accion: 'administrar_servicios', paso: 5, quien: [MARIA_WHO] });
  });

  it('the chain complete but the last Probar conexión failed: the next step names the service (a success or no test: nothing more)', () => {
    const done = { ...accepted, compartidos: { total: 2, completos: 1 }, claveAsignadaEn: CLAVE_EN };
    const failed = checklist(facts(JOSE, [dos({ ...done, compartidos: { ...done.compartidos, ultimaPrueba: { servicio: 'ConsultaAportes', en: DEC1, exito: false } } })]), NOW);
    expect(failed.cajas[0]!.pasos[4].estado).toBe(H);
    expect(failed.siguiente).toEqual({ accion: 'administrar_servicios', paso: 5, quien: [MARIA_WHO], pruebaFallida: 'ConsultaAportes' });
    const passed = checklist(facts(JOSE, [dos({ ...done, compartidos: { ...done.compartidos, ultimaPrueba: { servicio: 'ConsultaAportes', en: DEC1, exito: true } } })]), NOW);
    expect(passed.siguiente).toEqual({ accion: 'administrar_servicios', paso: 5, quien: [MARIA_WHO] });
    // Still missing the password: that is the next step, whatever the test said.
    const half = checklist(facts(JOSE, [dos({ ...accepted, compartidos: { total: 1, completos: 1, ultimaPrueba: { servicio: 'ConsultaAportes', en: DEC1, exito: false } } })]), NOW);
    expect(half.siguiente).toMatchObject({ accion: 'asignar_clave' });
    expect(half.siguiente).not.toHaveProperty('pruebaFallida');
  });

  it('the person who decided sees "usted"', () => {
    const r = checklist(facts(ANDRES, [dos({ terminos: { estado: 'aceptados', en: DEC1, versiones: VERSIONES, por: ANDRES.citizenId } })]), NOW);
    expect(r.cajas[0]!.pasos[4].quien.map(whoKey)).toEqual(['autorizado*']);
  });

  it('declined: blocked, naming who declined, with the versions; the next action is accepting them', () => {
    const r = checklist(facts(JOSE, [dos({ terminos: { estado: 'rechazados', en: DEC1, versiones: VERSIONES, por: MARIA.citizenId } })]), NOW);
    expect(r.cajas[0]!.pasos.map((p) => p.estado)).toEqual([H, H, H, H, B]);
    expect(r.cajas[0]!.pasos[4]).toEqual({ paso: 5, estado: 'bloqueado', situacion: 'terminos_rechazados', quien: [MARIA_WHO], fecha: DEC1, versiones: VERSIONES });
    expect(r.siguiente).toMatchObject({ accion: 'aceptar_terminos', paso: 5, quien: [MARIA_WHO], fecha: DEC1 });
  });

  it.each<[string, Partial<CompanyFacts>]>([
    ['decided by someone no longer authorized', { terminos: { estado: 'aceptados', en: DEC1, versiones: VERSIONES, por: 'CC:18054862' } }],
    ['decided by nobody named (facts without `por`)', { terminos: { estado: 'aceptados', en: DEC1 } }],
  ])('%s: every current authorized person is named', (_name, over) => {
    const step = checklist(facts(JOSE, [dos({ compartidos: { total: 1, completos: 1 }, claveAsignadaEn: CLAVE_EN, ...over })]), NOW).cajas[0]!.pasos[4];
    expect(step).toMatchObject({ estado: H, situacion: 'servicios_administrados' });
    expect(step.quien.map((w) => w.tipo === 'persona' && w.nombre)).toEqual(['ANDRÉS FELIPE ZAPATA', 'MARÍA FERNANDA PEÑA']);
  });

  it('nothing seen, or no versions known: the step carries neither', () => {
    const step = checklist(facts(JOSE, [dos({ terminos: { estado: 'aceptados', en: DEC1 }, serviciosVistos: [] })]), NOW).cajas[0]!.pasos[4];
    expect(step).not.toHaveProperty('versiones');
    expect(step).not.toHaveProperty('vistos');
  });

  it('services seen before any decision do not make step 5 done', () => {
    const step = checklist(facts(JOSE, [dos({ serviciosVistos: ['SolicitudAfiliacion'] })]), NOW).cajas[0]!.pasos[4];
    expect(step).toMatchObject({ estado: P, situacion: 'servicios_por_administrar' });
  });
});
