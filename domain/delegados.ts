/**
 * The delegate of an employer role: checked against the reference sources, designated by the RL
 * (linked now when registered, otherwise invited), and linked when an invited person activates.
 */
import { documentSubject, type Actor } from './audit.js';
import { documentKey, type Citizen } from './citizens.js';
import type { CoreDeps } from './deps.js';
import { chatLink, note, type EmpleadorDeps, type EmpleadorError } from './empleador-common.js';
import type { DelegateData, EmployerRole } from './employers.js';
import { parseEmail } from './fields.js';
import { formatNit } from './nit.js';
import { displayName, normalizeNumero } from './people.js';
import type { MailRequest, Tx } from './ports.js';
import type { ReferenceRegistry } from './reference.js';
import { err, ok, type Result } from './result.js';
import { sameName } from './text.js';

/** Who acts when nobody in a conversation does (e.g. a designation completed by an activation). */
const SYSTEM_ACTOR: Actor = { ref: 'system', channel: 'system' };

/** A delegate as checked against the reference sources. */
export interface CheckedDelegate {
  registrado: boolean;
  nombre: string;
  /** The delegate's citizen id (documentKey). */
  key: string;
  /** Names as the reference sources spell them, upper-cased; number normalized. */
  data: Omit<DelegateData, 'email'>;
  /** The active account, when registered. */
  citizen?: Citizen;
  /** A woman, by the reference sources: the chat says "registrada", "autorizada", "la delegada". */
  femenina: boolean;
}

/** A person named by the RL or the delegate (a delegate, an authorized person) as checked against the reference sources. */
export type CheckedPerson = CheckedDelegate;

/**
 * The person's document and names match the reference sources (accents and case aside); their names
 * as the sources spell them, and their account when registered. A mismatch never says which field.
 */
export async function checkedPerson(tx: Tx, reference: ReferenceRegistry, d: Omit<DelegateData, 'email'>): Promise<Result<CheckedPerson, { code: 'PERSONA.NO_COINCIDE' }>> {
  const numero = normalizeNumero(d.numeroDocumento);
  const key = documentKey(d.tipoDocumento, numero);
  const person = await reference.findPerson(d.tipoDocumento, numero);
  const same =
    person !== undefined &&
    sameName(person.primerNombre, d.primerNombre) &&
    sameName(person.segundoNombre, d.segundoNombre) &&
    sameName(person.primerApellido, d.primerApellido) &&
    sameName(person.segundoApellido, d.segundoApellido);
  if (!person || !same) return err({ code: 'PERSONA.NO_COINCIDE' });
  const citizen = await tx.collection('citizens').get(key);
  const up = (s: string | undefined) => (s ?? '').toLocaleUpperCase('es-CO');
  const data = {
    tipoDocumento: d.tipoDocumento,
    numeroDocumento: numero,
    primerNombre: up(person.primerNombre),
    segundoNombre: up(person.segundoNombre),
    primerApellido: up(person.primerApellido),
    segundoApellido: up(person.segundoApellido),
  };
  const registrado = citizen?.estado === 'activo';
  return ok({ registrado, nombre: displayName(person), key, data, femenina: person.sexo === 'F', ...(registrado ? { citizen } : {}) });
}

/** The delegate matches the reference sources and is not the RL; names as the sources spell them. */
export async function checkedDelegate(tx: Tx, reference: ReferenceRegistry, rlCitizenId: string, d: DelegateData): Promise<Result<CheckedDelegate, EmpleadorError>> {
  if (documentKey(d.tipoDocumento, normalizeNumero(d.numeroDocumento)) === rlCitizenId) return err({ code: 'DELEGADO.ES_EL_RL' });
  const checked = await checkedPerson(tx, reference, d);
  return checked.ok ? checked : err({ code: 'DELEGADO.NO_COINCIDE' });
}

/** The delegate's data matches the reference sources (names without accents or case) and is not the RL; whether they are a registered citizen. */
export function checkDelegate(
  deps: Pick<EmpleadorDeps, 'store' | 'reference'>,
  rlCitizenId: string,
  d: DelegateData,
): Promise<Result<{ registrado: boolean; nombre: string }, EmpleadorError>> {
  return deps.store.transaction(async (tx) => {
    const r = await checkedDelegate(tx, deps.reference, rlCitizenId, d);
    return r.ok ? ok({ registrado: r.value.registrado, nombre: r.value.nombre }) : r;
  });
}

/** The delegate as stored, and the mail that tells them (linked now, or invited to register). */
export function designation(
  deps: Pick<CoreDeps, 'publicBaseUrl'>,
  checked: CheckedDelegate,
  email: string,
  company: { razonSocial: string; nit: string; dv: string },
  rl: Citizen,
): { delegado: EmployerRole['delegado']; mail: MailRequest } {
  const data = { nombre: checked.nombre, razonSocial: company.razonSocial, nit: formatNit(company.nit, company.dv), representante: displayName(rl), enlace: chatLink(deps) };
  if (checked.citizen) {
    return {
      delegado: { ...checked.data, email, estado: 'vinculado', citizenId: checked.key },
      mail: { to: checked.citizen.email, template: 'delegado-designado', data },
    };
  }
  return {
    delegado: { ...checked.data, email, estado: 'invitado', citizenId: checked.key },
    mail: { to: email, template: 'delegado-invitacion', data },
  };
}

/** The delegate's e-mail as stored; the form parsed it already, so a bad one is a programming error. */
export function delegateEmail(d: DelegateData): string {
  const email = parseEmail(d.email, { values: {}, today: new Date(0) });
  if (!email.ok) throw new TypeError('delegado: the e-mail must be parsed first');
  return email.value;
}

// ---------------------------------------------------------------- designation completed at activation

/**
 * Called inside the activation's transaction (domain/cuenta.ts): every role whose delegate was
 * invited with this citizen's document links them now. Returns the mails to send after the commit.
 */
export async function completePendingDesignations(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock' | 'random' | 'publicBaseUrl'>,
  citizen: Citizen,
  actor: Actor = SYSTEM_ACTOR,
): Promise<MailRequest[]> {
  if (citizen.estado !== 'activo') return [];
  const invited = (await tx.collection('employers').findBy('delegado.citizenId', citizen.id)).filter((r) => r.estado !== 'rechazado' && r.delegado.estado === 'invitado');
  const mails: MailRequest[] = [];
  for (const role of invited) {
    const nowIso = deps.clock.now().toISOString();
    await tx.collection('employers').put({ ...role, delegado: { ...role.delegado, estado: 'vinculado' }, actualizadoEn: nowIso });
    await note(tx, deps, actor, 'empleador.delegado_vinculado', role.nit, {
      delegado: documentSubject(role.delegado.tipoDocumento, role.delegado.numeroDocumento),
    }, [citizen.id]);
    const rl = await tx.collection('citizens').get(role.rl);
    mails.push({
      to: citizen.email,
      template: 'delegado-designado',
      data: {
        nombre: displayName(citizen),
        razonSocial: role.razonSocial,
        nit: formatNit(role.nit, role.dv),
        representante: rl ? displayName(rl) : role.razonSocial,
        enlace: chatLink(deps),
      },
    });
  }
  return mails;
}
