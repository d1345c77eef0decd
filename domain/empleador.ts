/**
 * "Registrar rol empleador persona jurídica": the legal representative (RL) of a company registers
 * the employer role for its NIT with the main site and a delegate; "Actualizar datos"; the delegate's
 * designation (linked now, or invited and completed when they activate their account); the MinSalud
 * back-office review of attached RUTs.
 */
import { audit, documentSubject, type Actor } from './audit.js';
import { documentKey, type Citizen } from './citizens.js';
import type { DelegateData, EmployerRole, Naturaleza, Sede } from './employers.js';
import { parseEmail } from './fields.js';
import { formatNit, normalizeNit } from './nit.js';
import type { BlobStore, MailRequest, Tx } from './ports.js';
import type { ReferenceCompany, ReferenceRegistry } from './reference.js';
import { displayName, normalizeNumero, sendAndRecord, type RegistroDeps } from './registro.js';
import { err, ok, type Err, type Result } from './result.js';
import { checkRutFile, checkRutIssueDate, type RutReason } from './rut.js';
import { principalOf, may } from './permissions.js';
import type { StaffDirectory } from './staff.js';
import { fold, maskEmail, sameName } from './text.js';

export { NATURALEZAS, type DelegateData, type EmployerRole, type Naturaleza, type Sede } from './employers.js';

export interface EmpleadorDeps extends RegistroDeps {
  blobs: BlobStore;
  staff: StaffDirectory;
}

export type EmpleadorError =
  | { code: 'EMPLEADOR.NO_ES_RL' }
  | { code: 'EMPLEADOR.YA_REGISTRADO' }
  | { code: 'EMPLEADOR.DV_INVALIDO' }
  | { code: 'EMPLEADOR.RUT_REQUERIDO' }
  | { code: 'EMPLEADOR.RUT_INVALIDO'; motivo: RutReason }
  | { code: 'DELEGADO.NO_COINCIDE' }
  | { code: 'DELEGADO.ES_EL_RL' }
  | { code: 'CORREO.NO_CORPORATIVO'; dominio: string }
  | { code: 'PERMISO.DENEGADO' }
  | { code: 'EMPLEADOR.NO_EXISTE' }
  /** A rejection needs a reason of REVIEW_REASON_MIN to REVIEW_REASON_MAX characters. */
  | { code: 'REVISION.MOTIVO_REQUERIDO'; min: number; max: number }
  /** The role has no RUT waiting for review (already reviewed, or never needed one). */
  | { code: 'REVISION.NO_PENDIENTE'; estado: EmployerRole['estado'] };

export const REVIEW_REASON_MIN = 5;
export const REVIEW_REASON_MAX = 500;

/** Who acts when nobody in a conversation does (e.g. a designation completed by an activation). */
const SYSTEM_ACTOR: Actor = { ref: 'system', channel: 'system' };

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
  const t = fold(company.naturalezaJuridica);
  if (t.includes('multilateral')) return '4';
  if (/no sometid|extranjer/.test(t)) return '5';
  if (t.includes('mixta')) return '3';
  if (/\bpublic[oa]s?\b|\bdel estado\b|\boficial\b|\borden (nacional|departamental|municipal|distrital|territorial)\b|\bunidad administrativa especial\b/.test(t)) return '1';
  return '2';
}

/** A razón social compared without accents, case, spaces or punctuation ("S.A.S." = "SAS"). */
const razonKey = (razon: string): string => fold(razon).replace(/[^a-z0-9]/g, '');

/** True when the company data typed by the RL is the RUT reference's: razón social (folded) and naturaleza. */
export function matchesRut(company: ReferenceCompany, data: { razonSocial: string; naturaleza: Naturaleza }): boolean {
  return razonKey(company.razonSocial) !== '' && razonKey(company.razonSocial) === razonKey(data.razonSocial) && naturalezaOf(company) === data.naturaleza;
}

// ---------------------------------------------------------------- helpers

/** The citizen id of a company's legal representative in the reference sources. */
const referenceRlOf = (company: ReferenceCompany): string =>
  documentKey(company.representanteLegal.tipoDocumento, normalizeNumero(company.representanteLegal.numeroDocumento));

/** The 9-digit NIT of what a caller passes ("890900841", "890.900.841-9"); undefined when it is not one. */
function nitOf(raw: string): string | undefined {
  const parsed = normalizeNit(raw);
  return parsed.ok ? parsed.value.nit : undefined;
}

/** The NIT an audited refusal is about, also when its DV was wrong ("890.900.841-1"). */
function nitTried(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  return nitOf(raw) ?? (digits.length === 10 ? digits.slice(0, 9) : undefined);
}

/** Audit subject of a company: its NIT (public data of a legal person). */
const nitSubject = (nit: string): string => `NIT ${formatNit(nit)}`;

const byRazonSocial = new Intl.Collator('es', { sensitivity: 'base' });

/** The link that takes a person to the assistant's chat. */
const chatLink = (deps: Pick<RegistroDeps, 'publicBaseUrl'>): string => `${deps.publicBaseUrl.replace(/\/+$/, '')}/`;

function note(tx: Tx, deps: Pick<RegistroDeps, 'clock' | 'random'>, actor: Actor, action: string, nit: string, detail?: Record<string, string | number | boolean | null>): Promise<void> {
  return audit(tx, deps.clock, deps.random, actor, action, nitSubject(nit), detail);
}

/** A sede as stored: trimmed, e-mail lower-cased. DIVIPOLA codes and the e-mail's form are the form's job: wrong ones are a programming error. */
function normalizeSede(reference: ReferenceRegistry, sede: Sede): Sede {
  const municipio = reference.findMunicipality(sede.municipio.trim());
  if (!municipio || municipio.departmentCode !== sede.departamento.trim()) throw new TypeError('sede: departamento and municipio must be DIVIPOLA codes of one place');
  const email = parseEmail(sede.email, { values: {}, today: new Date(0) });
  if (!email.ok) throw new TypeError('sede: the e-mail must be parsed first');
  return {
    nombre: sede.nombre.trim(),
    departamento: municipio.departmentCode,
    municipio: municipio.code,
    direccion: sede.direccion.trim(),
    telefono: sede.telefono.trim(),
    email: email.value,
  };
}

/** "Medellín, Antioquia" for mails. */
function placeName(reference: ReferenceRegistry, sede: Sede): string {
  const municipio = reference.findMunicipality(sede.municipio);
  const department = reference.departments().find((d) => d.code === sede.departamento);
  return [municipio?.name, department?.name].filter(Boolean).join(', ');
}

// ---------------------------------------------------------------- checks

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

interface CheckedDelegate {
  registrado: boolean;
  nombre: string;
  /** The delegate's citizen id (documentKey). */
  key: string;
  /** Names as the reference sources spell them, upper-cased; number normalized. */
  data: Omit<DelegateData, 'email'>;
  /** The active account, when registered. */
  citizen?: Citizen;
}

async function delegate(tx: Tx, reference: ReferenceRegistry, rlCitizenId: string, d: DelegateData): Promise<Result<CheckedDelegate, EmpleadorError>> {
  const numero = normalizeNumero(d.numeroDocumento);
  const key = documentKey(d.tipoDocumento, numero);
  if (key === rlCitizenId) return err({ code: 'DELEGADO.ES_EL_RL' });
  const person = await reference.findPerson(d.tipoDocumento, numero);
  const same =
    person !== undefined &&
    sameName(person.primerNombre, d.primerNombre) &&
    sameName(person.segundoNombre, d.segundoNombre) &&
    sameName(person.primerApellido, d.primerApellido) &&
    sameName(person.segundoApellido, d.segundoApellido);
  if (!person || !same) return err({ code: 'DELEGADO.NO_COINCIDE' });
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
  return ok({ registrado, nombre: displayName(person), key, data, ...(registrado ? { citizen } : {}) });
}

/** The delegate's data matches the reference sources (names without accents or case) and is not the RL; whether they are a registered citizen. */
export function checkDelegate(
  deps: Pick<EmpleadorDeps, 'store' | 'reference'>,
  rlCitizenId: string,
  d: DelegateData,
): Promise<Result<{ registrado: boolean; nombre: string }, EmpleadorError>> {
  return deps.store.transaction(async (tx) => {
    const r = await delegate(tx, deps.reference, rlCitizenId, d);
    return r.ok ? ok({ registrado: r.value.registrado, nombre: r.value.nombre }) : r;
  });
}

/** The delegate as stored, and the mail that tells them (linked now, or invited to register). */
function designation(
  deps: Pick<RegistroDeps, 'publicBaseUrl'>,
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

function delegateEmail(d: DelegateData): string {
  const email = parseEmail(d.email, { values: {}, today: new Date(0) });
  if (!email.ok) throw new TypeError('delegado: the e-mail must be parsed first');
  return email.value;
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

  const checked = await delegate(tx, deps.reference, rlCitizenId, input.delegado);
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
): Promise<Result<{ estado: EmployerRole['estado']; emailEnmascarado: string; delegado: 'vinculado' | 'invitado'; correoEnviado: boolean }, EmpleadorError>> {
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
    });
    await note(tx, deps, actor, 'empleador.delegado_designado', company.nit, {
      delegado: documentSubject(delegado.tipoDocumento, delegado.numeroDocumento),
      estado: delegado.estado,
    });
    return ok({ role, rl, delegateMail: mail });
  });
  if (!done.ok) return done;

  const { role, rl, delegateMail } = done.value;
  const subject = nitSubject(role.nit);
  const correoEnviado = await sendAndRecord(
    deps,
    actor,
    {
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
    },
    subject,
  );
  await sendAndRecord(deps, actor, delegateMail, subject);
  return ok({ estado: role.estado, emailEnmascarado: maskEmail(role.sede.email), delegado: role.delegado.estado, correoEnviado });
}

// ---------------------------------------------------------------- "Actualizar datos"

/**
 * "Actualizar datos" (the RL who registered the role, still RL in the reference sources): a new main
 * site or a new delegate. Audited; the main site's address is told (the old one too when it changes).
 */
export async function updateEmployer(
  deps: EmpleadorDeps,
  rlCitizenId: string,
  nit: string,
  change: { sede: Sede } | { delegado: DelegateData },
  actor: Actor,
): Promise<Result<{ emailEnmascarado: string; correoEnviado: boolean }, EmpleadorError>> {
  const newSede = 'sede' in change ? normalizeSede(deps.reference, change.sede) : undefined;
  const email = 'delegado' in change ? delegateEmail(change.delegado) : undefined;

  const done = await deps.store.transaction(async (tx) => {
    const key = nitOf(nit);
    const refuse = async (error: EmpleadorError): Promise<Err<EmpleadorError>> => {
      if (key) await note(tx, deps, actor, 'empleador.actualizacion_rechazada', key, { motivo: error.code });
      return err(error);
    };
    const company = key ? await deps.reference.findCompany(key) : undefined;
    const role = key ? await tx.collection('employers').get(key) : undefined;
    const rl = await tx.collection('citizens').get(rlCitizenId);
    const principal = await principalOf(tx, deps.staff, rlCitizenId);
    const referenceRl = company ? referenceRlOf(company) : undefined;
    if (!rl || !role || role.estado === 'rechazado') {
      // Only the company's legal representative learns that the role does not exist.
      return refuse(rl && principal.activo && referenceRl === rlCitizenId ? { code: 'EMPLEADOR.NO_EXISTE' } : { code: 'PERMISO.DENEGADO' });
    }
    if (!may(principal, 'empleador.actualizar', { role, ...(referenceRl ? { referenceRl } : {}) })) return refuse({ code: 'PERMISO.DENEGADO' });
    const nowIso = deps.clock.now().toISOString();

    if (newSede) {
      const corporate = checkCorporateEmail(newSede.email);
      if (!corporate.ok) return refuse(corporate.error);
      const campos = (Object.keys(newSede) as (keyof Sede)[]).filter((k) => newSede[k] !== role.sede[k]);
      await tx.collection('employers').put({ ...role, sede: newSede, actualizadoEn: nowIso });
      await note(tx, deps, actor, 'empleador.sede_actualizada', role.nit, { campos: campos.join(','), correo: maskEmail(newSede.email) });
      const notice = { sede: { nombre: newSede.nombre, direccion: newSede.direccion, lugar: placeName(deps.reference, newSede), telefono: newSede.telefono, correo: newSede.email } };
      const to = [...new Set([newSede.email, role.sede.email])];
      return ok({ role: { ...role, sede: newSede }, rl, notice, to, delegateMail: undefined });
    }

    const d = (change as { delegado: DelegateData }).delegado;
    const checked = await delegate(tx, deps.reference, rlCitizenId, d);
    if (!checked.ok) return refuse(checked.error);
    const { delegado, mail } = designation(deps, checked.value, email as string, role, rl);
    await tx.collection('employers').put({ ...role, delegado, actualizadoEn: nowIso });
    await note(tx, deps, actor, 'empleador.delegado_reemplazado', role.nit, {
      anterior: documentSubject(role.delegado.tipoDocumento, role.delegado.numeroDocumento),
      delegado: documentSubject(delegado.tipoDocumento, delegado.numeroDocumento),
      estado: delegado.estado,
    });
    const notice = { delegado: { nombre: displayName(delegado), vinculado: delegado.estado === 'vinculado' } };
    return ok({ role: { ...role, delegado }, rl, notice, to: [role.sede.email], delegateMail: mail });
  });
  if (!done.ok) return done;

  const { role, rl, notice, to, delegateMail } = done.value;
  const subject = nitSubject(role.nit);
  let correoEnviado = true;
  for (const address of to) {
    const sent = await sendAndRecord(
      deps,
      actor,
      { to: address, template: 'empleador-actualizado', data: { razonSocial: role.razonSocial, nit: formatNit(role.nit, role.dv), representante: displayName(rl), ...notice } },
      subject,
    );
    correoEnviado = correoEnviado && sent;
  }
  if (delegateMail) await sendAndRecord(deps, actor, delegateMail, subject);
  return ok({ emailEnmascarado: maskEmail(role.sede.email), correoEnviado });
}

// ---------------------------------------------------------------- delegation completed at activation

/**
 * Called inside the activation's transaction (domain/cuenta.ts): every role whose delegate was
 * invited with this citizen's document links them now. Returns the mails to send after the commit.
 */
export async function completePendingDesignations(
  tx: Tx,
  deps: Pick<RegistroDeps, 'clock' | 'random' | 'publicBaseUrl'>,
  citizen: Citizen,
  actor: Actor = SYSTEM_ACTOR,
): Promise<MailRequest[]> {
  if (citizen.estado !== 'activo') return [];
  const invited = (await tx.collection('employers').list()).filter(
    (r) => r.estado !== 'rechazado' && r.delegado.estado === 'invitado' && r.delegado.citizenId === citizen.id,
  );
  const mails: MailRequest[] = [];
  for (const role of invited) {
    const nowIso = deps.clock.now().toISOString();
    await tx.collection('employers').put({ ...role, delegado: { ...role.delegado, estado: 'vinculado' }, actualizadoEn: nowIso });
    await note(tx, deps, actor, 'empleador.delegado_vinculado', role.nit, {
      delegado: documentSubject(role.delegado.tipoDocumento, role.delegado.numeroDocumento),
    });
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

// ---------------------------------------------------------------- roles of a person

export interface EmployerRef {
  nit: string;
  razonSocial: string;
  como: 'rl' | 'delegado';
  estado: EmployerRole['estado'];
}

/** The employer roles a person can act in: as RL (any estado) or as linked delegate; by razón social. */
export async function employersOf(deps: Pick<EmpleadorDeps, 'store'>, citizenId: string): Promise<EmployerRef[]> {
  const roles = await deps.store.transaction((tx) => tx.collection('employers').list());
  const refs: EmployerRef[] = [];
  for (const r of roles) {
    if (r.rl === citizenId) refs.push({ nit: r.nit, razonSocial: r.razonSocial, como: 'rl', estado: r.estado });
    else if (r.delegado.estado === 'vinculado' && r.delegado.citizenId === citizenId) {
      refs.push({ nit: r.nit, razonSocial: r.razonSocial, como: 'delegado', estado: r.estado });
    }
  }
  return refs.sort((a, b) => byRazonSocial.compare(a.razonSocial, b.razonSocial) || a.nit.localeCompare(b.nit));
}

/** One employer role, for its RL, its linked delegate or back-office staff. */
export async function getEmployer(
  deps: Pick<EmpleadorDeps, 'store' | 'reference' | 'staff'>,
  citizenId: string,
  nit: string,
): Promise<Result<EmployerRole, EmpleadorError>> {
  const key = nitOf(nit);
  const { role, principal } = await deps.store.transaction(async (tx) => ({
    role: key ? await tx.collection('employers').get(key) : undefined,
    principal: await principalOf(tx, deps.staff, citizenId),
  }));
  if (!role) {
    // Only who could see the role learns that it does not exist.
    const company = key ? await deps.reference.findCompany(key) : undefined;
    const couldSee = principal.activo && (principal.staff.length > 0 || (company !== undefined && referenceRlOf(company) === citizenId));
    return err(couldSee ? { code: 'EMPLEADOR.NO_EXISTE' } : { code: 'PERMISO.DENEGADO' });
  }
  return may(principal, 'empleador.ver', { role }) ? ok(role) : err({ code: 'PERMISO.DENEGADO' });
}

// ---------------------------------------------------------------- back office

/** Roles waiting for the review of their RUT, oldest first (Administrador MinSalud only). */
export async function pendingRutReviews(deps: Pick<EmpleadorDeps, 'store' | 'staff'>, staffCitizenId: string): Promise<Result<EmployerRole[], EmpleadorError>> {
  const { principal, roles } = await deps.store.transaction(async (tx) => ({
    principal: await principalOf(tx, deps.staff, staffCitizenId),
    roles: await tx.collection('employers').list(),
  }));
  if (!may(principal, 'rut.revisar')) return err({ code: 'PERMISO.DENEGADO' });
  const pending = roles.filter((r) => r.estado === 'pendiente_revision' && may(principal, 'rut.revisar', { role: r }));
  return ok(pending.sort((a, b) => (a.rut?.subidoEn ?? a.creadoEn).localeCompare(b.rut?.subidoEn ?? b.creadoEn)));
}

/**
 * An Administrador MinSalud approves (role active) or rejects (with a reason) an attached RUT; not
 * for a role they represent. The RL is e-mailed at their personal address.
 */
export async function reviewRut(
  deps: EmpleadorDeps,
  staffCitizenId: string,
  nit: string,
  decision: 'aprobado' | 'rechazado',
  motivo: string | undefined,
  actor: Actor,
): Promise<Result<{ estado: EmployerRole['estado'] }, EmpleadorError>> {
  const reason = (motivo ?? '').replace(/\s+/g, ' ').trim();
  const done = await deps.store.transaction(async (tx) => {
    const key = nitOf(nit);
    const refuse = async (error: EmpleadorError): Promise<Err<EmpleadorError>> => {
      if (key) await note(tx, deps, actor, 'empleador.revision_rechazada', key, { motivo: error.code });
      return err(error);
    };
    const principal = await principalOf(tx, deps.staff, staffCitizenId);
    if (!may(principal, 'rut.revisar')) return refuse({ code: 'PERMISO.DENEGADO' });
    if ((decision === 'rechazado' && reason.length < REVIEW_REASON_MIN) || reason.length > REVIEW_REASON_MAX) {
      return refuse({ code: 'REVISION.MOTIVO_REQUERIDO', min: REVIEW_REASON_MIN, max: REVIEW_REASON_MAX });
    }
    const role = key ? await tx.collection('employers').get(key) : undefined;
    if (!role) return refuse({ code: 'EMPLEADOR.NO_EXISTE' });
    if (!may(principal, 'rut.revisar', { role })) return refuse({ code: 'PERMISO.DENEGADO' });
    if (role.estado !== 'pendiente_revision') return refuse({ code: 'REVISION.NO_PENDIENTE', estado: role.estado });
    const nowIso = deps.clock.now().toISOString();
    const reviewed: EmployerRole = {
      ...role,
      estado: decision === 'aprobado' ? 'activo' : 'rechazado',
      revision: { por: staffCitizenId, en: nowIso, decision, ...(reason ? { motivo: reason } : {}) },
      actualizadoEn: nowIso,
    };
    await tx.collection('employers').put(reviewed);
    await note(tx, deps, actor, decision === 'aprobado' ? 'empleador.rut_aprobado' : 'empleador.rut_rechazado', role.nit, { conMotivo: reason !== '' });
    const rl = await tx.collection('citizens').get(role.rl);
    return ok({ reviewed, rl });
  });
  if (!done.ok) return done;

  const { reviewed, rl } = done.value;
  if (rl) {
    const data = { nombre: displayName(rl), razonSocial: reviewed.razonSocial, nit: formatNit(reviewed.nit, reviewed.dv), enlace: chatLink(deps) };
    await sendAndRecord(
      deps,
      actor,
      decision === 'aprobado'
        ? { to: rl.email, template: 'rut-aprobado', data }
        : { to: rl.email, template: 'rut-rechazado', data: { ...data, motivo: reason } },
      nitSubject(reviewed.nit),
    );
  }
  return ok({ estado: reviewed.estado });
}

/** The attached RUT file, for an Administrador MinSalud or the role's RL. */
export async function rutFile(deps: Pick<EmpleadorDeps, 'store' | 'staff' | 'blobs'>, citizenId: string, nit: string): Promise<Result<Uint8Array, EmpleadorError>> {
  const key = nitOf(nit);
  const { role, principal } = await deps.store.transaction(async (tx) => ({
    role: key ? await tx.collection('employers').get(key) : undefined,
    principal: await principalOf(tx, deps.staff, citizenId),
  }));
  if (!may(principal, 'rut.descargar', role ? { role } : {})) return err({ code: 'PERMISO.DENEGADO' });
  if (!role?.rut) return err({ code: 'EMPLEADOR.NO_EXISTE' });
  const bytes = await deps.blobs.get(role.rut.sha256);
  if (!bytes) throw new Error(`RUT file of ${nitSubject(role.nit)} is missing from the blob store`);
  return ok(bytes);
}

