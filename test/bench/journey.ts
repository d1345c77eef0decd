/**
 * The scripted journey of the capacity figure, as people would go through it in the chat: welcome,
 * Registrarme, basic data, identity questions, contact data; (account activated from the e-mail,
 * not a chat turn); login, employer registration of the company the person represents, "¿en qué voy?".
 * Every turn's reply is checked, so a throughput of failing turns is never reported.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { naturalezaOf } from '../../domain/empleador-registro.js';
import type { ReferenceCompany, ReferencePerson, ReferenceRegistry } from '../../domain/reference.js';
import { DEFAULT_REFERENCE_DATA_DIR, defaultReferenceRegistry, loadReferenceRegistry } from '../../storage/reference/registry.js';
import { EXAMPLE_PERSONS } from '../../storage/reference/examples.js';
import { rightAnswer } from '../helpers/identity.js';
import { basicDataCard } from '../helpers/people.js';
import { expectReply, type Conversation, type TurnResult } from './connector.js';

const PASSWORD = 'Guayacan-Florido-2026';

/** A legal representative and the company they register, each journey its own (registration is once per person). */
export interface Cast {
  readonly person: ReferencePerson;
  readonly company: ReferenceCompany;
  readonly delegate: ReferencePerson;
  readonly email: string;
  /** The reference sources the assistant answers from (the identity questions' right answers). */
  readonly registry: ReferenceRegistry;
}

/**
 * As many distinct (RL, company) pairs of the reference data in `dir` (the committed data set by
 * default) as asked, or all of them; throws when there are not enough.
 */
export async function casts(n: number | 'all', tag: string, dir = DEFAULT_REFERENCE_DATA_DIR): Promise<Cast[]> {
  const registry = dir === DEFAULT_REFERENCE_DATA_DIR ? defaultReferenceRegistry() : loadReferenceRegistry(dir);
  const companies = JSON.parse(await readFile(join(dir, 'companies.json'), 'utf8')) as { companies: ReferenceCompany[] };
  const delegate = EXAMPLE_PERSONS.delegateComfama;
  const out: Cast[] = [];
  const seen = new Set<string>();
  for (const c of companies.companies) {
    const key = `${c.representanteLegal.tipoDocumento}:${c.representanteLegal.numeroDocumento}`;
    if (seen.has(key) || key === `${delegate.tipoDocumento}:${delegate.numeroDocumento}`) continue;
    const person = await registry.findPerson(c.representanteLegal.tipoDocumento, c.representanteLegal.numeroDocumento);
    if (!person) continue;
    seen.add(key);
    out.push({ person, company: c, delegate, email: `rl.${tag}.${person.numeroDocumento.toLowerCase()}@correo.com`, registry });
    if (out.length === n) return out;
  }
  if (n === 'all') return out;
  throw new Error(`the reference data has ${out.length} legal representatives, the bench asked for ${n}`);
}

type Step = (c: Conversation) => Promise<TurnResult>;
const says = (text: string, expected: string): Step => async (c) => expectReply(await c.say(text), expected, `"${text}"`);

/** The chat turns up to "pendiente de activación". */
async function register(c: Conversation, cast: Cast, record: (t: TurnResult) => void): Promise<void> {
  const p = cast.person;
  const run = async (step: Step) => {
    const t = await step(c);
    record(t);
    return t;
  };
  await run(async (x) => expectReply(await x.join(), 'Soy el Asistente CCF', 'welcome'));
  await run(says('Registrarme', 'tratamiento de sus datos'));
  await run(says('Acepto', 'tipo de documento'));
  let last = await run(async (x) => expectReply(await x.submit(basicDataCard(p)), 'revise sus datos', 'basic data card'));
  last = await run(says('confirmar', 'pregunta 1 de 4'));
  for (let i = 2; i <= 5; i++) {
    const answer = String(rightAnswer(p, cast.registry, last.buttons));
    last = await run(says(answer, i <= 4 ? `pregunta ${i} de 4` : 'identidad quedo confirmada'));
  }
  await run(says(cast.email, 'escriba de nuevo'));
  await run(says(cast.email, 'celular'));
  await run(says('3001234567', 'revise sus datos'));
  await run(says('confirmar', 'pendiente de activacion'));
}

/**
 * The outbox's activation links by recipient: each .eml file is read and parsed once (the bench
 * activates many people in one data directory; reading every file each time would load the
 * load generator more than the assistant).
 */
export class OutboxIndex {
  private readonly links = new Map<string, string>();
  private readonly seen = new Set<string>();

  constructor(private readonly dataDir: string) {}

  /** The activation token sent to `email`; undefined when no such e-mail is in the outbox yet. */
  async token(email: string): Promise<string | undefined> {
    // The e-mail may still be on its way to the outbox when the chat has answered: a few looks.
    for (let i = 0; i < 50 && !this.links.has(email); i++) {
      if (i > 0) await new Promise((ok) => setTimeout(ok, 20));
      await this.scan();
    }
    return this.links.get(email);
  }

  private async scan(): Promise<void> {
    const dir = join(this.dataDir, 'outbox');
    for (const f of (await readdir(dir)).filter((x) => x.endsWith('.eml'))) {
      if (this.seen.has(f)) continue;
      const mail = await simpleParser(await readFile(join(dir, f), 'utf8'));
      const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
      if (to.length === 0) continue; // not complete yet: read again next time
      this.seen.add(f);
      const link = /\/cuenta\/activar\?token=[\w%-]+/.exec(mail.text ?? '')?.[0];
      if (link) for (const address of to) this.links.set(address.toLowerCase(), new URL(`http://x${link}`).searchParams.get('token') ?? '');
    }
  }
}

/** Sets the password through the link of the activation e-mail in the outbox (a web page, not a chat turn). */
export async function activate(botUrl: string, outbox: OutboxIndex | string, email: string): Promise<void> {
  const index = typeof outbox === 'string' ? new OutboxIndex(outbox) : outbox;
  const token = await index.token(email.toLowerCase());
  if (token === undefined) throw new Error(`no activation e-mail for ${email} in the outbox`);
  const res = await fetch(`${botUrl}/cuenta/activar`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, clave: PASSWORD, confirmacion: PASSWORD }).toString(),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`activation of ${email} answered ${res.status}`);
}

/** The chat turns after activation: login, employer registration, "¿en qué voy?". */
async function employer(c: Conversation, cast: Cast, record: (t: TurnResult) => void): Promise<void> {
  const { person: p, company: co, delegate: d } = cast;
  const run = async (step: Step) => record(await step(c));
  await run(says('Ingresar', 'tipo de documento'));
  await run(async (x) =>
    expectReply(await x.submit({ __form: 'ingreso', tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, clave: PASSWORD }), 'ingreso correctamente', 'login'),
  );
  await run(says('Registrar rol empleador persona jurídica', 'nit de la empresa'));
  await run(says(`${co.nit}-${co.dv}`, 'razon social'));
  await run(says(co.razonSocial, 'naturaleza'));
  await run(says(naturalezaOf(co), 'revise sus datos'));
  await run(says('confirmar', 'delegado'));
  await run(async (x) =>
    expectReply(
      await x.submit({
        __form: 'empleador-delegado', tipoDocumento: d.tipoDocumento, numeroDocumento: d.numeroDocumento, primerNombre: d.primerNombre,
        segundoNombre: d.segundoNombre ?? '', primerApellido: d.primerApellido, segundoApellido: d.segundoApellido ?? '',
        email: `delegado.${co.nit}@empresa${co.nit}.com.co`,
      }),
      'revise sus datos',
      'delegate card',
    ),
  );
  await run(says('confirmar', 'nombre de la sede'));
  await run(says('Sede principal', 'departamento'));
  await run(says('Antioquia', 'municipio'));
  await run(says('Medellín', 'direccion'));
  await run(says('Carrera 50 No. 52-10', 'telefono'));
  await run(says('6044445566', 'correo corporativo'));
  await run(says(`notificaciones@empresa${co.nit}.com.co`, 'revise sus datos'));
  await run(says('confirmar', 'revise el registro completo'));
  await run(says('confirmar', 'invitacion'));
  await run(says('¿en qué voy?', 'paso'));
}

export const journey = { register, employer };
