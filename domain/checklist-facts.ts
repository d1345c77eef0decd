/**
 * Reads the facts of the activation checklist (domain/checklist.ts) from storage and the reference
 * sources. Each later process adds its facts here (services, terms); autorizados and the rol CCF are read.
 */
import type { AutorizadoFacts, ChecklistFacts, CompanyFacts, PersonFacts, PersonName, RoleFacts } from './checklist.js';
import { ROL_CAJA } from './autorizaciones.js';
import { sharingFacts } from './compartir.js';
import { step5Facts } from './servicios-ccf.js';
import type { EmployerRole } from './employers.js';
import { rolesOfPerson } from './empleador-roles.js';
import { formatNit } from './nit.js';
import type { Store, Tx } from './ports.js';
import { documentOf } from './citizens.js';
import type { ReferenceRegistry } from './reference.js';

export interface ChecklistDeps {
  store: Store;
  reference: ReferenceRegistry;
}

/** A person's facts; only the person themself learns of an identity block (others see "not registered"). */
async function personFacts(tx: Tx, reference: ReferenceRegistry, citizenId: string, named?: PersonName, self = false): Promise<PersonFacts> {
  const citizen = await tx.collection('citizens').get(citizenId);
  const check = self ? await tx.collection('identityChecks').get(citizenId) : undefined;
  const doc = documentOf(citizenId);
  const ref = doc ? await reference.findPerson(doc.tipo, doc.numero) : undefined;
  const name = citizen ?? named ?? ref;
  const sexo = citizen?.sexo ?? ref?.sexo;
  return {
    citizenId,
    ...(name ? { nombre: { primerNombre: name.primerNombre, segundoNombre: name.segundoNombre ?? '', primerApellido: name.primerApellido } } : {}),
    ...(sexo ? { sexo } : {}),
    ...(citizen ? { cuenta: { estado: citizen.estado, creadoEn: citizen.creadoEn, ...(citizen.activadoEn ? { activadoEn: citizen.activadoEn } : {}) } } : {}),
    ...(check?.bloqueadoHasta ? { bloqueadoHasta: check.bloqueadoHasta } : {}),
  };
}

/** Audit actions that (re)designate a delegate: the latest one dates the current invitation. */
const DESIGNATIONS = new Set(['empleador.delegado_designado', 'empleador.delegado_reemplazado']);

async function roleFacts(tx: Tx, reference: ReferenceRegistry, role: EmployerRole): Promise<RoleFacts> {
  const events = await tx.collection('audit').findBy('subject', `NIT ${formatNit(role.nit)}`);
  const designadoEn = events.filter((e) => DESIGNATIONS.has(e.action)).map((e) => e.at).sort().at(-1) ?? role.creadoEn;
  const r = role.revision;
  return {
    estado: role.estado,
    registradoEn: role.creadoEn,
    ...(role.rut ? { rutSubidoEn: role.rut.subidoEn } : {}),
    ...(r ? { revision: { decision: r.decision, en: r.en, ...(r.motivo ? { motivo: r.motivo } : {}) } } : {}),
    rl: await personFacts(tx, reference, role.rl),
    delegado: { ...(await personFacts(tx, reference, role.delegado.citizenId, role.delegado)), estado: role.delegado.estado, designadoEn },
  };
}

/** Step 3 and 4 facts of a company: its authorizations in rol CAJA DE SUBSIDIO FAMILIAR, the Ministry's activation and the services assigned. */
async function chainFacts(
  tx: Tx,
  reference: ReferenceRegistry,
  nit: string,
): Promise<Pick<CompanyFacts, 'autorizados' | 'rolCcf' | 'serviciosAsignados' | 'nombresServicios' | 'terminos' | 'serviciosVistos' | 'compartidos' | 'claveAsignadaEn'>> {
  const entries = (await tx.collection('autorizaciones').findBy('nit', nit)).filter((a) => a.rol === ROL_CAJA);
  const autorizados: AutorizadoFacts[] = [];
  for (const a of entries) {
    const person = await personFacts(tx, reference, a.citizenId, a);
    autorizados.push({ ...person, estado: a.estado, desde: a.estado === 'activo' ? (a.activadoEn ?? a.autorizadoPor.en) : a.autorizadoPor.en });
  }
  const rolCcf = await tx.collection('rolesCcf').get(nit);
  const servicios = (await tx.collection('asignaciones').findBy('nit', nit)).filter((a) => a.estado === 'activo').map((a) => a.servicioId).sort();
  // Step 5: the latest decision on the terms by one of its authorized persons, and the services looked at.
  const { decision: d, vistos } = await step5Facts(tx, nit);
  const sharing = await sharingFacts(tx, nit);
  const versiones = d ? Object.entries(d.versiones).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  return {
    ...(autorizados.length ? { autorizados } : {}),
    ...(rolCcf ? { rolCcf: { activo: rolCcf.activo, en: rolCcf.en } } : {}),
    ...(servicios.length ? { serviciosAsignados: servicios.length, nombresServicios: servicios } : {}),
    ...(d ? { terminos: { estado: d.decision === 'acepto' ? 'aceptados' : 'rechazados', en: d.en, versiones, por: d.citizenId } } : {}),
    ...(vistos.length ? { serviciosVistos: vistos.map((v) => v.servicioId) } : {}),
    ...(sharing.compartidos
      ? {
          compartidos: {
            total: sharing.compartidos,
            completos: sharing.completos,
            ...(sharing.nombresCompletos.length ? { nombres: sharing.nombresCompletos } : {}),
            ...(sharing.ultimaPrueba ? { ultimaPrueba: sharing.ultimaPrueba } : {}),
          },
        }
      : {}),
    ...(sharing.claveAsignadaEn ? { claveAsignadaEn: sharing.claveAsignadaEn } : {}),
  };
}

/**
 * The facts of a person's checklist, read in one transaction: their account, every employer role they
 * are RL, (linked or invited) delegate or (active or invited) authorized person of, and the CCFs they represent in the reference sources.
 * Add `actuaComo` from the session before calling `checklist`.
 */
export async function loadChecklistFacts(deps: ChecklistDeps, citizenId: string): Promise<ChecklistFacts> {
  const { store, reference } = deps;
  const doc = documentOf(citizenId);
  return store.transaction(async (tx) => {
    const persona = await personFacts(tx, reference, citizenId, undefined, true);
    // The CCFs the person is (or is invited to be) an authorized person of count as theirs too.
    const authorizedAt = new Set(
      (await tx.collection('autorizaciones').findBy('citizenId', citizenId)).filter((a) => a.estado !== 'revocado').map((a) => a.nit),
    );
    const roles = (await rolesOfPerson(tx, citizenId, authorizedAt)).filter((r) => r.rl === citizenId || r.estado !== 'rechazado');
    const empresas: CompanyFacts[] = [];
    for (const role of roles) {
      const company = await reference.findCompany(role.nit);
      const { nit, dv, razonSocial } = role;
      empresas.push({
        nit,
        dv,
        razonSocial,
        ...(company?.sigla ? { sigla: company.sigla } : {}),
        esCcf: company?.codigoPila !== undefined,
        rol: await roleFacts(tx, reference, role),
        ...(await chainFacts(tx, reference, nit)),
      });
    }
    // CCFs whose RL in the reference sources is this person and that have no role they could see yet.
    for (const c of doc ? await reference.companiesRepresentedBy(doc.tipo, doc.numero) : []) {
      const existing = await tx.collection('employers').get(c.nit);
      if (!c.codigoPila || (existing && (existing.rl === citizenId || existing.estado !== 'rechazado'))) continue;
      empresas.push({ nit: c.nit, dv: c.dv, razonSocial: c.razonSocial, ...(c.sigla ? { sigla: c.sigla } : {}), esCcf: true, rlReferencia: persona });
    }
    const ref = doc ? await reference.findPerson(doc.tipo, doc.numero) : undefined;
    let cajaActual: ChecklistFacts['cajaActual'];
    for (const e of ref?.historia.empleadores ?? []) {
      const c = e.hasta ? undefined : await reference.findCompany(e.nit);
      if (!c?.codigoPila || cajaActual) continue;
      const role = await tx.collection('employers').get(c.nit);
      cajaActual = { nit: c.nit, razonSocial: c.razonSocial, ...(role && role.estado !== 'rechazado' ? { rolRegistrado: true } : {}) };
    }
    return { persona, empresas, ...(cajaActual ? { cajaActual } : {}) };
  });
}
