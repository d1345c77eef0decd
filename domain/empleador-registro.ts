/**
 * "Registrar rol empleador persona jurídica": the legal representative (RL) of a company registers
 * the employer role for its NIT with the main site and a delegate. Data matching the RUT reference
 * makes the role active; otherwise the attached RUT goes to the back office's review.
 */
import { audit, documentSubject, type Actor } from './audit.js';
import type { Citizen } from './citizens.js';
import { checkedDelegate, delegateEmail, designation, type CheckedDelegate } from './delegados.js';
import { nitOf, nitSubject, normalizeSede, note, placeName, referenceRlOf, type EmpleadorDeps, type EmpleadorError } from './empleador-common.js';
import { naturalezaNamed, type DelegateData, type EmployerRole, type Naturaleza, type Sede } from './employers.js';
import { formatNit, normalizeNit } from './nit.js';
import { sendAllAndRecord } from './notify.js';
import { displayName } from './people.js';
import { may, principalOf } from './permissions.js';
import type { MailRequest, Tx } from './ports.js';
import type { ReferenceCompany } from './reference.js';
import { err, ok, type Err, type Result } from './result.js';
import { checkRutFile, checkRutIssueDate } from './rut.js';
import { fold, maskEmail } from './text.js';

// ---------------------------------------------------------------- corporate e-mail

/** Free webmail domains: the main site's e-mail must be the company's own. */
export const FREE_WEBMAIL: readonly string[] = Object.freeze([
  'gmail.com', 'googlemail.com', 'gmail.co',
  'hotmail.com', 'hotmail.es', 'hotmail.co', 'hotmail.com.co',
  'outlook.com', 'outlook.es', 'outlook.co', 'outlook.com.co',
  'live.com', 'live.com.co', 'msn.com', 'passport.com',
  'yahoo.com', 'yahoo.es', 'yahoo.com.co', 'yahoo.co', 'ymail.com', 'rocketmail.com',
  'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'protonmail.com', 'proton.me', 'pm.me', 'tutanota.com', 'tuta.io',
  'gmx.com', 'gmx.net', 'gmx.es', 'mail.com', 'zoho.com', 'zohomail.com', 'yandex.com', 'yandex.ru', 'hushmail.com',
]);

/** Webmail brands refused under any country ending ("yahoo.com.mx", "hotmail.co.uk"). */
const FREE_BRANDS = new Set(['gmail', 'googlemail', 'hotmail', 'outlook', 'live', 'msn', 'yahoo', 'ymail', 'icloud', 'aol', 'protonmail']);

function isFreeWebmail(domain: string): boolean {
  if (FREE_WEBMAIL.some((d) => domain === d || domain.endsWith(`.${d}`))) return true;
  const [first = '', ...rest] = domain.split('.');
  // "<brand>.<tld>[.<cc>]": every label after the brand is a short public ending.
  return FREE_BRANDS.has(first) && rest.length >= 1 && rest.length <= 2 && rest.every((l) => /^[a-z]{2,3}$/.test(l));
}

/** The main site's e-mail must be corporate: free webmail domains are refused, naming the domain. */
export function checkCorporateEmail(email: string): Result<string, { code: 'CORREO.NO_CORPORATIVO'; dominio: string }> {
  const normalized = email.normalize('NFKC').trim().toLowerCase();
  const dominio = normalized.slice(normalized.lastIndexOf('@') + 1);
  return isFreeWebmail(dominio) ? err({ code: 'CORREO.NO_CORPORATIVO', dominio }) : ok(normalized);
}

// ---------------------------------------------------------------- RUT reference

/** Naturaleza jurídica (1–5) of a company from the legal form in the RUT reference; associations, foundations and CCFs are private. */
export function naturalezaOf(company: Pick<ReferenceCompany, 'naturalezaJuridica'>): Naturaleza {
  return naturalezaNamed(fold(company.naturalezaJuridica)) ?? '2';
}

/** A razón social compared without accents, case, spaces or punctuation ("S.A.S." = "SAS"). */
const razonKey = (razon: string): string => fold(razon).replace(/[^a-z0-9]/g, '');

/**
 * The RUT reference's values of the company data typed by the RL that differ from it: its razón social
 * (compared folded) and its naturaleza. The RL already sees the razón social when the NIT is read, so
 * saying it again tells them nothing new about the company, only what to correct.
 */
export function rutDifferences(company: ReferenceCompany, data: { razonSocial: string; naturaleza: Naturaleza }): { razonSocial?: string; naturaleza?: Naturaleza } {
  const sameRazon = razonKey(company.razonSocial) !== '' && razonKey(company.razonSocial) === razonKey(data.razonSocial);
  const naturaleza = naturalezaOf(company);
  return { ...(sameRazon ? {} : { razonSocial: company.razonSocial }), ...(naturaleza === data.naturaleza ? {} : { naturaleza }) };
}

/** True when the company data typed by the RL is the RUT reference's: razón social (folded) and naturaleza. */
export function matchesRut(company: ReferenceCompany, data: { razonSocial: string; naturaleza: Naturaleza }): boolean {
  return Object.keys(rutDifferences(company, data)).length === 0;
}

// ---------------------------------------------------------------- checks

/** The NIT an audited refusal is about, also when its DV was wrong ("890.900.841-1"). */
function nitTried(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  return nitOf(raw) ?? (digits.length === 10 ? digits.slice(0, 9) : undefined);
}

interface Represented {
  company: ReferenceCompany;
  rl: Citizen;
  /** A rejected registration of the same NIT, replaced by a new one. */
  previous?: EmployerRole;
}

/** The citizen is an active account and the RL of the NIT in the reference sources; the NIT has no role yet. */
async function representative(tx: Tx, deps: Pick<EmpleadorDeps, 'reference' | 'staff'>, citizenId: string, nitRaw: string): Promise<Result<Represented, EmpleadorError>> {
  const parsed = normalizeNit(nitRaw);
  if (!parsed.ok) return err(parsed.error.code === 'nit.dv' ? { code: 'EMPLEADOR.DV_INVALIDO' } : { code: 'EMPLEADOR.NO_ES_RL' });
  const principal = await principalOf(tx, deps.staff, citizenId);
  const rl = await tx.collection('citizens').get(citizenId);
  if (!principal.activo || !rl) return err({ code: 'PERMISO.DENEGADO' });
  const company = await deps.reference.findCompany(parsed.value.nit);
  if (!company || !may(principal, 'empleador.registrar', { referenceRl: referenceRlOf(company) })) return err({ code: 'EMPLEADOR.NO_ES_RL' });
  const existing = await tx.collection('employers').get(company.nit);
  if (existing && existing.estado !== 'rechazado') return err({ code: 'EMPLEADOR.YA_REGISTRADO' });
  return ok(existing ? { company, rl, previous: existing } : { company, rl });
}

/** Whether the person may register the employer role of that NIT (right after the NIT, in the chat). */
export function checkRepresentative(
  deps: Pick<EmpleadorDeps, 'store' | 'reference' | 'staff'>,
  citizenId: string,
  nit: string,
): Promise<Result<{ company: ReferenceCompany }, EmpleadorError>> {
  return deps.store.transaction(async (tx) => {
    const r = await representative(tx, deps, citizenId, nit);
    return r.ok ? ok({ company: r.value.company }) : r;
  });
}

// ---------------------------------------------------------------- registration

export interface RegistroEmpleador {
  nit: string;
  razonSocial: string;
  naturaleza: Naturaleza;
  /** Required when the company data does not match the RUT reference. */
  rut?: { bytes: Uint8Array; fechaExpedicion: string };
  delegado: DelegateData;
  sede: Sede;
}

interface Admitted extends Represented {
  delegate: CheckedDelegate;
  /** The RUT reference did not match: the attached RUT (checked) goes to review. */
  needsReview: boolean;
}

/** Every rule of the registration, in the conversation's order; a refusal is audited. */
async function admitRegistration(
  tx: Tx,
  deps: EmpleadorDeps,
  rlCitizenId: string,
  input: RegistroEmpleador,
  sede: Sede,
  actor: Actor,
): Promise<Result<Admitted, EmpleadorError>> {
  const refuse = async (error: EmpleadorError): Promise<Err<EmpleadorError>> => {
    const nit = nitTried(input.nit);
    const detail = { motivo: error.code, ...(error.code === 'EMPLEADOR.RUT_INVALIDO' ? { rut: error.motivo } : {}) };
    if (nit) await note(tx, deps, actor, 'empleador.registro_rechazado', nit, detail);
    else await audit(tx, deps.clock, deps.random, actor, 'empleador.registro_rechazado', undefined, detail);
    return err(error);
  };
  const represented = await representative(tx, deps, rlCitizenId, input.nit);
  if (!represented.ok) return refuse(represented.error);

  const needsReview = !matchesRut(represented.value.company, input);
  if (needsReview) {
    if (!input.rut) return refuse({ code: 'EMPLEADOR.RUT_REQUERIDO' });
    const file = checkRutFile(input.rut.bytes);
    if (!file.ok) return refuse({ code: 'EMPLEADOR.RUT_INVALIDO', motivo: file.error.code });
    const date = checkRutIssueDate(input.rut.fechaExpedicion, deps.clock.now());
    if (!date.ok) return refuse({ code: 'EMPLEADOR.RUT_INVALIDO', motivo: date.error.code });
  }

  const checked = await checkedDelegate(tx, deps.reference, rlCitizenId, input.delegado);
  if (!checked.ok) return refuse(checked.error);

  const corporate = checkCorporateEmail(sede.email);
  if (!corporate.ok) return refuse(corporate.error);

  return ok({ ...represented.value, delegate: checked.value, needsReview });
}

/**
 * Registers the employer role of a NIT. Data matching the RUT reference makes it active; otherwise
 * the attached RUT is stored and the role waits for back-office review. E-mails go, after the commit,
 * to the main site's corporate address and to the delegate (designation, or invitation to register).
 */
export async function registerEmployer(
  deps: EmpleadorDeps,
  rlCitizenId: string,
  input: RegistroEmpleador,
  actor: Actor,
): Promise<Result<{ estado: EmployerRole['estado']; emailEnmascarado: string; delegado: 'vinculado' | 'invitado'; delegada: boolean; correoEnviado: boolean }, EmpleadorError>> {
  const sede = normalizeSede(deps.reference, input.sede);
  const email = delegateEmail(input.delegado);

  const first = await deps.store.transaction((tx) => admitRegistration(tx, deps, rlCitizenId, input, sede, actor));
  if (!first.ok) return first;
  // The file is written outside the transaction; content-addressed, so a write whose registration then fails is harmless.
  const stored = first.value.needsReview && input.rut ? await deps.blobs.put(input.rut.bytes) : undefined;

  const done = await deps.store.transaction(async (tx) => {
    // Checked again under the write: another conversation may have registered the NIT meanwhile.
    const admitted = await admitRegistration(tx, deps, rlCitizenId, input, sede, actor);
    if (!admitted.ok) return admitted;
    const { company, rl, previous, delegate: checked, needsReview } = admitted.value;
    const nowIso = deps.clock.now().toISOString();
    const { delegado, mail } = designation(deps, checked, email, company, rl);
    const role: EmployerRole = {
      id: company.nit,
      nit: company.nit,
      dv: company.dv,
      // Matching data takes the reference's spelling; data sent to review is kept as typed.
      razonSocial: needsReview ? input.razonSocial.trim() : company.razonSocial,
      naturaleza: input.naturaleza,
      rl: rl.id,
      estado: needsReview ? 'pendiente_revision' : 'activo',
      sede,
      delegado,
      ...(stored && input.rut ? { rut: { ...stored, fechaExpedicion: input.rut.fechaExpedicion, subidoEn: nowIso } } : {}),
      creadoEn: nowIso,
      actualizadoEn: nowIso,
    };
    await tx.collection('employers').put(role);
    await note(tx, deps, actor, 'empleador.registrado', company.nit, {
      estado: role.estado,
      rut: stored !== undefined,
      reemplazaRechazado: previous !== undefined,
      correo: maskEmail(sede.email),
    }, [rl.id]);
    await note(tx, deps, actor, 'empleador.delegado_designado', company.nit, {
      delegado: documentSubject(delegado.tipoDocumento, delegado.numeroDocumento),
      estado: delegado.estado,
    }, [delegado.citizenId]);
    return ok({ role, rl, delegateMail: mail, delegada: checked.femenina });
  });
  if (!done.ok) return done;

  const { role, rl, delegateMail, delegada } = done.value;
  const subject = nitSubject(role.nit);
  const registered: MailRequest = {
    to: role.sede.email,
    template: role.estado === 'activo' ? 'empleador-registrado' : 'empleador-pendiente-revision',
    data: {
      razonSocial: role.razonSocial,
      nit: formatNit(role.nit, role.dv),
      representante: displayName(rl),
      sede: role.sede.nombre,
      lugar: placeName(deps.reference, role.sede),
      delegado: displayName(role.delegado),
    },
  };
  const [correoEnviado] = await sendAllAndRecord(deps, actor, [
    { mail: registered, subject },
    { mail: delegateMail, subject, persona: role.delegado.citizenId },
  ]);
  return ok({ estado: role.estado, emailEnmascarado: maskEmail(role.sede.email), delegado: role.delegado.estado, delegada, correoEnviado: correoEnviado === true });
}
