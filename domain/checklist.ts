/**
 * "¿En qué voy?": the activation checklist (DESIGN §1, §3). `checklist` is a pure function over
 * stored facts: for each CCF of the person, the five steps (done / pending / in review / blocked),
 * who acted or must act, and the one next action. domain/checklist-facts.ts reads the facts; each
 * later process (autorizados, back office, web services) fills its optional facts in CompanyFacts.
 */
import type { Citizen } from './citizens.js';
import type { EmployerRole } from './employers.js';
import type { Sex } from './reference.js';
import type { ActingRole } from './session.js';

// ---------------------------------------------------------------- facts (input)

export interface PersonName {
  readonly primerNombre: string;
  readonly segundoNombre?: string;
  readonly primerApellido: string;
}

/** A person of the chain: their account (if any) and an identity block (if any). */
export interface PersonFacts {
  /** documentKey ("CC:70123456"). */
  readonly citizenId: string;
  /** From the account, the employer role or the reference sources. */
  readonly nombre?: PersonName;
  readonly sexo?: Sex;
  readonly cuenta?: { readonly estado: Citizen['estado']; readonly creadoEn: string; readonly activadoEn?: string };
  /** Failed identity checks blocked the document until then (ISO). */
  readonly bloqueadoHasta?: string;
}

/** The registered employer role (step 2) and its delegate. */
export interface RoleFacts {
  readonly estado: EmployerRole['estado'];
  readonly registradoEn: string;
  readonly rutSubidoEn?: string;
  readonly revision?: { readonly decision: 'aprobado' | 'rechazado'; readonly en: string; readonly motivo?: string };
  readonly rl: PersonFacts;
  readonly delegado: PersonFacts & { readonly estado: 'vinculado' | 'invitado'; readonly designadoEn: string };
}

/** A person authorized with rol CAJA DE SUBSIDIO FAMILIAR, perfil "Autorizado para administrar servicios web externos". */
export interface AutorizadoFacts extends PersonFacts {
  /** 'invitado': authorized, invited to register. */
  readonly estado: 'activo' | 'invitado' | 'revocado';
  readonly desde: string;
}

export interface CompanyFacts {
  readonly nit: string;
  readonly dv: string;
  readonly razonSocial: string;
  readonly sigla?: string;
  /** The company has a PILA code (one of the 43 CCFs in the reference sources). */
  readonly esCcf: boolean;
  /** The legal representative in the reference sources: who must register the role while there is none. */
  readonly rlReferencia?: PersonFacts;
  readonly rol?: RoleFacts;
  // Later processes fill these; absent means "not done yet".
  /** Step 3 (Administrar autorizados). */
  readonly autorizados?: readonly AutorizadoFacts[];
  /** Step 4: the Ministry's activation of rol "Caja de Compensación Familiar" (or its deactivation). */
  readonly rolCcf?: { readonly activo: boolean; readonly en: string };
  readonly serviciosAsignados?: number;
  /** The identifiers of the services assigned and active ("SolicitudAfiliacion"), when known. */
  readonly nombresServicios?: readonly string[];
  /** Step 5: the terms of use, accepted or declined by the authorized person. */
  readonly terminos?: {
    readonly estado: 'aceptados' | 'rechazados';
    readonly en: string;
    /** The versions decided on, as "condiciones 1.0, privacidad 1.0". */
    readonly versiones?: string;
    /** The citizen id of the authorized person who decided. */
    readonly por?: string;
  };
  /** The identifiers of the services the CCF's people looked at (documentation or information). */
  readonly serviciosVistos?: readonly string[];
  /** Step 5, Compartir Servicios Entidad: the services the CCF shares, and how many have both forms. */
  readonly compartidos?: SharedServicesFacts;
  /** Step 5, Asignar contraseña: when the CCF's web-services password was assigned. */
  readonly claveAsignadaEn?: string;
}

/** Step 5, Compartir Servicios Entidad: how many services, the complete ones by name, the last connection test. */
export interface SharedServicesFacts {
  readonly total: number;
  readonly completos: number;
  readonly nombres?: readonly string[];
  readonly ultimaPrueba?: { readonly servicio: string; readonly en: string; readonly exito: boolean };
}

export interface ChecklistFacts {
  readonly persona: PersonFacts;
  /** Companies the person is RL (registered, or in the reference sources for a CCF) or delegate of. */
  readonly empresas: readonly CompanyFacts[];
  /** The CCF the person works for now, per the reference sources (who to wait for when they have no role). */
  readonly cajaActual?: { readonly nit: string; readonly razonSocial: string; /** Its employer role is registered (and not rejected). */ readonly rolRegistrado?: boolean };
  /** The role the person acts in, in the chat (the caller adds it from the session). */
  readonly actuaComo?: ActingRole;
}

// ---------------------------------------------------------------- checklist (output)

export type StepStatus = 'hecho' | 'pendiente' | 'en_revision' | 'bloqueado';
export type Paso = 1 | 2 | 3 | 4 | 5;
export type PersonRole = 'rl' | 'delegado' | 'autorizado' | 'ciudadano';

/** Who did a step or must act; `usted` marks the person the checklist is for. */
export type Who =
  | { readonly tipo: 'persona'; readonly rol: PersonRole; readonly nombre?: string; readonly sexo?: Sex; readonly usted: boolean }
  | { readonly tipo: 'ministerio' };

/** Why a step (or a person's registration) is where it is: the renderer has one sentence per code. */
export type Situacion =
  | 'registrado' | 'pendiente_activacion' | 'invitado' | 'sin_registro' | 'bloqueado' | 'por_designar' | 'por_autorizar'
  | 'rol_registrado' | 'rol_sin_registrar' | 'rut_en_revision' | 'rut_rechazado'
  | 'autorizado' | 'autorizado_invitado' | 'sin_autorizados' | 'autorizados_revocados'
  | 'rol_ccf_activo' | 'rol_ccf_sin_activar' | 'sin_servicios' | 'rol_ccf_desactivado'
  | 'terminos_aceptados' | 'servicios_por_administrar' | 'terminos_rechazados' | 'servicios_administrados';

/** One person's "Registro ciudadano"; `fecha` is when it happened or since when it waits, `hasta` ends a block. */
export interface Registration {
  readonly quien: Who;
  readonly estado: StepStatus;
  readonly situacion: Situacion;
  readonly fecha?: string;
  readonly hasta?: string;
}

export interface ChecklistStep {
  readonly paso: Paso;
  readonly estado: StepStatus;
  readonly situacion: Situacion;
  /** Who did it ('hecho') or must act (otherwise). */
  readonly quien: readonly Who[];
  readonly fecha?: string;
  /** The Ministry's reason for a rejected RUT. */
  readonly motivo?: string;
  readonly servicios?: number;
  /** Step 4: the identifiers of the services assigned. */
  readonly nombresServicios?: readonly string[];
  /** Step 5: the versions of the terms decided on, and the services looked at. */
  readonly versiones?: string;
  readonly vistos?: readonly string[];
  /** Step 5: what is still missing once the terms are accepted. */
  readonly faltan?: readonly ('compartir' | 'clave')[];
  /** Step 5: shared services complete / total, and when the password was assigned. */
  readonly compartidos?: SharedServicesFacts;
  readonly claveAsignadaEn?: string;
  /** The earlier step this one still needs (step 1: the registration of the person who must act). */
  readonly espera?: Paso;
  /** Step 1: each person's registration (RL, delegate, authorized persons). */
  readonly personas?: readonly Registration[];
}

export type Accion =
  | 'registrarse' | 'activar_cuenta' | 'esperar_bloqueo'
  | 'registrar_rol' | 'revisar_rut' | 'registrar_rol_de_nuevo'
  | 'autorizar' | 'activar_rol_ccf' | 'asignar_servicios' | 'reactivar_rol_ccf'
  | 'aceptar_terminos' | 'administrar_servicios' | 'compartir_servicios' | 'asignar_clave'
  | 'esperar_caja' | 'pedir_autorizacion' | 'solo_ccf';

/** The one next thing to do, and who must do it. */
export interface NextAction {
  readonly accion: Accion;
  readonly paso: Paso;
  readonly quien: readonly Who[];
  /** Since when it waits (an invitation, an account created) or, for a block, until when. */
  readonly fecha?: string;
  readonly motivo?: string;
  /** The company it is about (for 'esperar_caja', the person's CCF when known). */
  readonly razonSocial?: string;
  /** What the person looking may do meanwhile (the RL may authorize while the invited delegate has not registered). */
  readonly mientras?: 'autorizar';
  /** The chain complete, but the last Probar conexión (of this service) failed: worth checking. */
  readonly pruebaFallida?: string;
}

export interface CcfChecklist {
  readonly nit: string;
  readonly dv: string;
  readonly razonSocial: string;
  readonly sigla?: string;
  /** How the person takes part in this CCF's chain. */
  readonly como: readonly PersonRole[];
  readonly pasos: readonly [ChecklistStep, ChecklistStep, ChecklistStep, ChecklistStep, ChecklistStep];
  readonly siguiente: NextAction;
}

export interface Checklist {
  readonly generadoEn: string;
  readonly persona: Who & { readonly tipo: 'persona' };
  /** The person's own "Registro ciudadano". */
  readonly registro: Registration;
  readonly actuaComo?: ActingRole;
  readonly cajas: readonly CcfChecklist[];
  /** Employer roles of companies that are not CCFs (the web-services chain does not apply). */
  readonly otrasEmpresas: readonly { nit: string; dv: string; razonSocial: string; como: 'rl' | 'delegado'; estado: EmployerRole['estado'] }[];
  readonly siguiente: NextAction;
}

// ---------------------------------------------------------------- the pure function

const fullName = (n: PersonName | undefined): string | undefined =>
  n ? [n.primerNombre, n.segundoNombre, n.primerApellido].filter(Boolean).join(' ') : undefined;

const who = (p: PersonFacts | undefined, rol: PersonRole, selfId: string): Who & { tipo: 'persona' } => ({
  tipo: 'persona',
  rol,
  ...(p?.nombre ? { nombre: fullName(p.nombre) } : {}),
  ...(p?.sexo ? { sexo: p.sexo } : {}),
  usted: p?.citizenId === selfId,
});

/** A person's registration; `invitadoEn` when someone designated them before they registered. */
function registration(p: PersonFacts, rol: PersonRole, selfId: string, now: Date, invitadoEn?: string): Registration {
  const quien = who(p, rol, selfId);
  if (p.cuenta?.estado === 'activo') return { quien, estado: 'hecho', situacion: 'registrado', fecha: p.cuenta.activadoEn ?? p.cuenta.creadoEn };
  if (p.bloqueadoHasta && new Date(p.bloqueadoHasta) > now) return { quien, estado: 'bloqueado', situacion: 'bloqueado', hasta: p.bloqueadoHasta };
  if (p.cuenta) return { quien, estado: 'pendiente', situacion: 'pendiente_activacion', fecha: p.cuenta.creadoEn };
  return invitadoEn ? { quien, estado: 'pendiente', situacion: 'invitado', fecha: invitadoEn } : { quien, estado: 'pendiente', situacion: 'sin_registro' };
}

const REGISTRATION_ACTION: Partial<Record<Situacion, Accion>> = {
  sin_registro: 'registrarse', invitado: 'registrarse', pendiente_activacion: 'activar_cuenta', bloqueado: 'esperar_bloqueo',
};
const STEP_ACTION: Partial<Record<Situacion, Accion>> = {
  rol_sin_registrar: 'registrar_rol', rut_en_revision: 'revisar_rut', rut_rechazado: 'registrar_rol_de_nuevo',
  sin_autorizados: 'autorizar', autorizados_revocados: 'autorizar',
  rol_ccf_sin_activar: 'activar_rol_ccf', sin_servicios: 'asignar_servicios', rol_ccf_desactivado: 'reactivar_rol_ccf',
  servicios_por_administrar: 'aceptar_terminos', terminos_rechazados: 'aceptar_terminos', servicios_administrados: 'administrar_servicios',
};

const registrationAction = (r: Registration): NextAction => ({
  accion: REGISTRATION_ACTION[r.situacion] ?? 'registrarse', paso: 1, quien: [r.quien], ...((r.hasta ?? r.fecha) ? { fecha: r.hasta ?? r.fecha } : {}),
});
/** Step 5 with the terms accepted: what is missing first (sharing a service, then the password). */
const sharingAction = (s: ChecklistStep): Accion | undefined =>
  s.situacion === 'terminos_aceptados' ? (s.faltan?.includes('compartir') ? 'compartir_servicios' : 'asignar_clave') : undefined;

function stepAction(s: ChecklistStep): NextAction {
  const accion = sharingAction(s) ?? STEP_ACTION[s.situacion] ?? 'administrar_servicios';
  const prueba = s.compartidos?.ultimaPrueba;
  return {
    accion, paso: s.paso, quien: s.quien,
    ...(s.motivo ? { motivo: s.motivo } : {}), ...(s.estado !== 'hecho' && s.fecha ? { fecha: s.fecha } : {}),
    ...(accion === 'administrar_servicios' && prueba && !prueba.exito ? { pruebaFallida: prueba.servicio } : {}),
  };
}

const latest = (dates: (string | undefined)[]): string | undefined => dates.filter(Boolean).sort().at(-1);

type StepBody = Omit<ChecklistStep, 'paso' | 'espera'>;

function chain(c: CompanyFacts, selfId: string, now: Date): CcfChecklist {
  const rol = c.rol;
  const rlFacts = rol?.rl ?? c.rlReferencia;
  const rlWho = who(rlFacts, 'rl', selfId);
  const delWho = rol ? who(rol.delegado, 'delegado', selfId) : undefined;
  const current = (c.autorizados ?? []).filter((a) => a.estado !== 'revocado');
  const autWho = current.length ? current.map((a) => who(a, 'autorizado', selfId)) : [who(undefined, 'autorizado', selfId)];

  // Step 1: everyone's "Registro ciudadano".
  const rlReg: Registration = rlFacts ? registration(rlFacts, 'rl', selfId, now) : { quien: rlWho, estado: 'pendiente', situacion: 'sin_registro' };
  const delReg: Registration = rol
    ? registration(rol.delegado, 'delegado', selfId, now, rol.delegado.estado === 'invitado' ? rol.delegado.designadoEn : undefined)
    : { quien: who(undefined, 'delegado', selfId), estado: 'pendiente', situacion: 'por_designar' };
  const autRegs: Registration[] = current.length
    ? current.map((a) => registration(a, 'autorizado', selfId, now, a.estado === 'invitado' ? a.desde : undefined))
    : [{ quien: autWho[0]!, estado: 'pendiente', situacion: 'por_autorizar' }];
  const personas = [rlReg, delReg, ...autRegs];
  // The step is the RL's registration, which starts the chain; the delegate's and the authorized
  // persons' registrations are listed with it and surface as pending people and next actions.
  const step1: StepBody = {
    estado: rlReg.estado,
    situacion: rlReg.estado === 'hecho' ? 'registrado' : rlReg.situacion,
    quien: personas.map((r) => r.quien),
    ...(rlReg.estado === 'hecho' && rlReg.fecha ? { fecha: rlReg.fecha } : {}),
    personas,
  };

  // Step 2: the employer role.
  const step2: StepBody = !rol
    ? { estado: 'pendiente', situacion: 'rol_sin_registrar', quien: [rlWho] }
    : rol.estado === 'activo'
      ? { estado: 'hecho', situacion: 'rol_registrado', quien: [rlWho], fecha: rol.revision?.en ?? rol.registradoEn }
      : rol.estado === 'pendiente_revision'
        ? { estado: 'en_revision', situacion: 'rut_en_revision', quien: [{ tipo: 'ministerio' }], fecha: rol.rutSubidoEn ?? rol.registradoEn }
        : { estado: 'bloqueado', situacion: 'rut_rechazado', quien: [rlWho], ...(rol.revision ? { fecha: rol.revision.en } : {}), ...(rol.revision?.motivo ? { motivo: rol.revision.motivo } : {}) };

  // Step 3: an active authorized person (the delegate, once linked, or the RL authorizes); an invitation
  // alone leaves it pending until the invited person registers.
  const deciders = rol?.delegado.estado === 'vinculado' && delWho ? [delWho, rlWho] : [rlWho];
  const active = current.filter((a) => a.estado === 'activo');
  const invited = current.filter((a) => a.estado === 'invitado');
  const earliest = (list: readonly AutorizadoFacts[]) => list.map((a) => a.desde).sort()[0]!;
  const step3: StepBody = active.length
    ? { estado: 'hecho', situacion: 'autorizado', quien: active.map((a) => who(a, 'autorizado', selfId)), fecha: earliest(active) }
    : invited.length
      ? { estado: 'pendiente', situacion: 'autorizado_invitado', quien: invited.map((a) => who(a, 'autorizado', selfId)), fecha: earliest(invited) }
      : { estado: 'pendiente', situacion: c.autorizados?.length ? 'autorizados_revocados' : 'sin_autorizados', quien: deciders };

  // Step 4: the Ministry activates the CCF role and assigns services.
  const ministerio: Who[] = [{ tipo: 'ministerio' }];
  const servicios = c.serviciosAsignados ?? 0;
  const step4: StepBody = !c.rolCcf
    ? { estado: 'pendiente', situacion: 'rol_ccf_sin_activar', quien: ministerio }
    : !c.rolCcf.activo
      ? { estado: 'bloqueado', situacion: 'rol_ccf_desactivado', quien: ministerio, fecha: c.rolCcf.en }
      : servicios > 0
        ? { estado: 'hecho', situacion: 'rol_ccf_activo', quien: ministerio, fecha: c.rolCcf.en, servicios, ...(c.nombresServicios?.length ? { nombresServicios: c.nombresServicios } : {}) }
        : { estado: 'pendiente', situacion: 'sin_servicios', quien: ministerio, fecha: c.rolCcf.en };

  // Step 5: the authorized person administers the web services.
  const decidedBy = c.terminos?.por ? current.find((a) => a.citizenId === c.terminos?.por) : undefined;
  const step5Who = decidedBy ? [who(decidedBy, 'autorizado', selfId)] : autWho;
  const step5Parts = { ...(c.terminos?.versiones ? { versiones: c.terminos.versiones } : {}), ...(c.serviciosVistos?.length ? { vistos: c.serviciosVistos } : {}) };
  // Done when the terms are accepted, one service is shared completely and the password is assigned.
  const faltan = [...((c.compartidos?.completos ?? 0) > 0 ? [] : ['compartir' as const]), ...(c.claveAsignadaEn ? [] : ['clave' as const])];
  const sharing = { ...(c.compartidos ? { compartidos: c.compartidos } : {}), ...(c.claveAsignadaEn ? { claveAsignadaEn: c.claveAsignadaEn } : {}) };
  const step5: StepBody = !c.terminos
    ? { estado: 'pendiente', situacion: 'servicios_por_administrar', quien: autWho }
    : c.terminos.estado !== 'aceptados'
      ? { estado: 'bloqueado', situacion: 'terminos_rechazados', quien: step5Who, fecha: c.terminos.en, ...step5Parts }
      : faltan.length
        ? { estado: 'pendiente', situacion: 'terminos_aceptados', quien: step5Who, fecha: c.terminos.en, ...step5Parts, ...sharing, faltan }
        : { estado: 'hecho', situacion: 'servicios_administrados', quien: step5Who, fecha: c.terminos.en, ...step5Parts, ...sharing };

  // What each step needs first (step 1 stands for one person's registration, not the whole step).
  const needs: [Paso, { estado: StepStatus }][][] = [
    [],
    [[1, rlReg]],
    [[1, rlReg], [2, step2]],
    [[1, rlReg], [2, step2], [3, step3]],
    [[1, rlReg], [2, step2], [3, step3], ...autRegs.map((r): [Paso, Registration] => [1, r]), [4, step4]],
  ];
  const pasos = [step1, step2, step3, step4, step5].map((b, i): ChecklistStep => {
    const espera = needs[i]!.find(([, e]) => e.estado !== 'hecho')?.[0];
    return { paso: (i + 1) as Paso, ...b, ...(espera ? { espera } : {}) };
  }) as unknown as CcfChecklist['pasos'];

  // The chain's order: the delegate's registration matters only until someone is authorized.
  const order: (Registration | ChecklistStep)[] = [rlReg, pasos[1], ...(current.length ? [] : [delReg]), pasos[2], ...autRegs, pasos[3], pasos[4], delReg];
  // An invitation waits on the invited person's registration: their registration is the next action, not step 3.
  const waitsOnOthers = new Set<Situacion>(['por_autorizar', 'por_designar', 'autorizado_invitado']);
  const pending = order.find((x) => x.estado !== 'hecho' && !waitsOnOthers.has(x.situacion));
  const next = !pending ? stepAction(pasos[4]) : 'paso' in pending ? stepAction(pending) : registrationAction(pending);
  // The delegate's registration comes first, but step 3 does not wait on it: whoever may authorize is told so.
  const mayAuthorize = pending === delReg && pasos[2].estado === 'pendiente' && !pasos[2].espera && pasos[2].quien.some((w) => w.tipo === 'persona' && w.usted);
  const siguiente: NextAction = mayAuthorize ? { ...next, mientras: 'autorizar' } : next;

  const como: PersonRole[] = [];
  if (rlFacts?.citizenId === selfId) como.push('rl');
  if (rol?.delegado.citizenId === selfId) como.push('delegado');
  if (current.some((a) => a.citizenId === selfId)) como.push('autorizado');
  return { nit: c.nit, dv: c.dv, razonSocial: c.razonSocial, ...(c.sigla ? { sigla: c.sigla } : {}), como, pasos, siguiente };
}

const byRazonSocial = new Intl.Collator('es', { sensitivity: 'base' });

/** The activation checklist of a person at `now`: their registration, each CCF's five steps, and the next action. */
export function checklist(facts: ChecklistFacts, now: Date): Checklist {
  const selfId = facts.persona.citizenId;
  const registro = registration(facts.persona, 'ciudadano', selfId, now);
  const cajas = facts.empresas
    .filter((c) => c.esCcf)
    .map((c) => chain(c, selfId, now))
    .sort((a, b) => byRazonSocial.compare(a.razonSocial, b.razonSocial) || a.nit.localeCompare(b.nit));
  const otrasEmpresas = facts.empresas.flatMap((c) =>
    !c.esCcf && c.rol ? [{ nit: c.nit, dv: c.dv, razonSocial: c.razonSocial, como: c.rol.rl.citizenId === selfId ? ('rl' as const) : ('delegado' as const), estado: c.rol.estado }] : [],
  );
  const yours = cajas.find((c) => c.siguiente.quien.some((w) => w.tipo === 'persona' && w.usted));
  const siguiente: NextAction =
    registro.estado !== 'hecho'
      ? registrationAction(registro)
      : (yours ?? cajas[0])?.siguiente ??
        (otrasEmpresas.length
          ? { accion: 'solo_ccf', paso: 2, quien: [] }
          : facts.cajaActual?.rolRegistrado
            ? { accion: 'pedir_autorizacion', paso: 3, quien: [], razonSocial: facts.cajaActual.razonSocial }
            : { accion: 'esperar_caja', paso: 2, quien: [who(undefined, 'rl', selfId)], ...(facts.cajaActual ? { razonSocial: facts.cajaActual.razonSocial } : {}) });
  return {
    generadoEn: now.toISOString(),
    persona: who(facts.persona, 'ciudadano', selfId),
    registro,
    ...(facts.actuaComo ? { actuaComo: facts.actuaComo } : {}),
    cajas,
    otrasEmpresas,
    siguiente,
  };
}
