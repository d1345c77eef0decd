import { describe, expect, it } from 'vitest';
import { actor, ADMIN, COMFAMA_NIT, DELEGADA_MARIA, JAIME, JOSE, pendingComfama, registration, seedCitizen, setup, withPeople, ANDRES, type Setup } from '../test/helpers/employers.js';
import { PERFIL_SERVICIOS, ROL_CAJA } from './autorizaciones.js';
import { authorize, revokeAuthorization, type NuevoAutorizado } from './autorizados.js';
import { registerEmployer } from './empleador-registro.js';
import { reviewRut } from './backoffice.js';
import type { DelegateData, Sede } from './employers.js';
import { rolesOf } from './roles.js';
import { loadChecklistFacts } from './checklist-facts.js';
import type { Store } from './ports.js';
import { employer } from '../test/bench/store-bench.js';
import type { ActingRole } from './session.js';

const kinds = (roles: readonly { tipo: string; nit?: string; como?: string }[]) => roles.map((r) => [r.tipo, r.nit ?? '', r.como ?? '']);

describe('rolesOf: the roles a person may act in, and what the chain expects of them', () => {
  it('the RL of COMFAMA with no employer role: citizen only, COMFAMA still to register', async () => {
    const s = setup();
    await withPeople(s);
    const r = await rolesOf(s.deps, JOSE);
    expect(kinds(r.roles)).toEqual([['ciudadano', '', '']]);
    expect(r.sinRolEmpleador.map((c) => c.nit)).toEqual([COMFAMA_NIT]);
  });

  it('after the registration: the RL and the linked delegate act for it; nothing left to register', async () => {
    const s = setup();
    await withPeople(s);
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    const rl = await rolesOf(s.deps, JOSE);
    expect(kinds(rl.roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'rl']]);
    expect(rl.sinRolEmpleador).toEqual([]);
    expect(kinds((await rolesOf(s.deps, ANDRES)).roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'delegado']]);
  });

  it('a rejected registration is no role to act in, and is to be registered again', async () => {
    const s = setup();
    await pendingComfama(s);
    expect((await reviewRut(s.deps, ADMIN, COMFAMA_NIT, 'rechazado', 'No corresponde', actor)).ok).toBe(true);
    const r = await rolesOf(s.deps, JOSE);
    expect(kinds(r.roles)).toEqual([['ciudadano', '', '']]);
    expect(r.sinRolEmpleador.map((c) => c.nit)).toEqual([COMFAMA_NIT]);
  });

  it('reads the store in one transaction', async () => {
    const s = setup();
    await withPeople(s);
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    let transactions = 0;
    const counted: Store = { ...s.deps.store, transaction: (work, options) => (transactions++, s.deps.store.transaction(work, options)) };
    const r = await rolesOf({ ...s.deps, store: counted }, JOSE);
    expect(kinds(r.roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'rl']]);
    expect(transactions).toBe(1);
  });

  it('staff roles from configuration come last', async () => {
    const s = setup();
    await withPeople(s);
    expect(kinds((await rolesOf(s.deps, ADMIN)).roles)).toEqual([['ciudadano', '', ''], ['admin_minsalud', '', '']]);
  });

  // ---------------------------------------------------------------- the rol "Caja de compensación familiar"

  const COMFAMA_RS = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
  const COMFENALCO = { nit: '890900842', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA', rl: 'CC:72235734' };
  const CARLOS = ADMIN; // CE 654321: a registered citizen and an Administrador MinSalud
  const NICOLAS = COMFENALCO.rl; // a reference person: COMFENALCO's RL
  const CARLOS_DATA: DelegateData = {
    tipoDocumento: 'CE', numeroDocumento: '654321', primerNombre: 'Carlos', segundoNombre: '', primerApellido: 'Briceño', segundoApellido: 'Salas', email: 'carlos@empresa.com.co',
  };
  const nuevo = (d: DelegateData): NuevoAutorizado => ({ ...d, sede: { tipo: 'principal' }, rol: ROL_CAJA, perfil: PERFIL_SERVICIOS });
  const NICOLAS_DATA: DelegateData = {
    tipoDocumento: 'CC', numeroDocumento: '72235734', primerNombre: 'Nicolás', segundoNombre: 'Felipe', primerApellido: 'Montoya', segundoApellido: 'Montaño', email: 'nicolas@comfama.com.co',
  };
  const sede = (email: string): Sede => ({ nombre: 'Principal', departamento: '05', municipio: '05001', direccion: 'Calle 10 # 20-30', telefono: '6044445555', email });
  const asEmployer = (nit: string, razonSocial: string): ActingRole => ({ tipo: 'empleador', nit, razonSocial, como: 'rl' });

  async function authorized(s: Setup, rl: string, nit: string, razonSocial: string, d: DelegateData): Promise<string> {
    const r = await authorize(s.deps, rl, asEmployer(nit, razonSocial), nit, nuevo(d), actor);
    if (!r.ok) throw new Error(r.error.code);
    return r.value.autorizacion.id;
  }

  it('an active authorized person acts in rol CCF of that CCF (named by its razón social); an invited or revoked one does not', async () => {
    const s = setup();
    await withPeople(s);
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    const carlos = await authorized(s, JOSE, COMFAMA_NIT, COMFAMA_RS, CARLOS_DATA);
    await authorized(s, JOSE, COMFAMA_NIT, COMFAMA_RS, NICOLAS_DATA); // not registered: invited

    expect((await rolesOf(s.deps, CARLOS)).roles).toEqual([{ tipo: 'ciudadano' }, { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' }, { tipo: 'admin_minsalud' }]);
    // Nicolás registers: his invitation completes only when the account is activated (domain/autorizados.test.ts).
    await seedCitizen(s, 'CC', '72235734', 'nicolas@correo.com', 'pendiente');
    expect(kinds((await rolesOf(s.deps, NICOLAS)).roles)).toEqual([['ciudadano', '', '']]);
    // The authorized person acts for COMFAMA in rol CCF only, never as its employer.
    expect(kinds((await rolesOf(s.deps, CARLOS)).roles).filter(([t]) => t === 'empleador')).toEqual([]);

    const revoked = await revokeAuthorization(s.deps, JOSE, asEmployer(COMFAMA_NIT, COMFAMA_RS), COMFAMA_NIT, carlos, 'Cambió de cargo', actor);
    expect(revoked.ok).toBe(true);
    expect(kinds((await rolesOf(s.deps, CARLOS)).roles)).toEqual([['ciudadano', '', ''], ['admin_minsalud', '', '']]);
  });

  it('order: ciudadano, employer roles, CCF roles by razón social, staff roles', async () => {
    const s = setup();
    await withPeople(s);
    await seedCitizen(s, 'CC', '18054862', 'jaime.giraldo@correo.com');
    await seedCitizen(s, 'CC', '72235734', 'nicolas.montoya@correo.com');
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    expect((await registerEmployer(s.deps, NICOLAS, { nit: COMFENALCO.nit, razonSocial: COMFENALCO.razonSocial, naturaleza: '2', delegado: DELEGADA_MARIA, sede: sede('ti@comfenalcoantioquia.com.co') }, actor))).toMatchObject({ ok: true, value: { estado: 'activo' } });
    // Carlos is the delegate of Transportes Río Grande (not a CCF) and authorized at both CCFs.
    expect((await registerEmployer(s.deps, JAIME, { nit: '900197450', razonSocial: 'Transportes Río Grande S.A.S.', naturaleza: '2', delegado: CARLOS_DATA, sede: sede('admin@riogrande.com.co') }, actor))).toMatchObject({ ok: true, value: { estado: 'activo' } });
    await authorized(s, JOSE, COMFAMA_NIT, COMFAMA_RS, CARLOS_DATA);
    await authorized(s, NICOLAS, COMFENALCO.nit, COMFENALCO.razonSocial, CARLOS_DATA);

    const r = await rolesOf(s.deps, CARLOS);
    expect(r.roles).toEqual([
      { tipo: 'ciudadano' },
      { tipo: 'empleador', nit: '900197450', razonSocial: 'TRANSPORTES RÍO GRANDE S.A.S.', como: 'delegado' },
      { tipo: 'ccf', nit: COMFENALCO.nit, razonSocial: COMFENALCO.razonSocial, sigla: 'COMFENALCO ANTIOQUIA' },
      { tipo: 'ccf', nit: COMFAMA_NIT, razonSocial: COMFAMA_RS, sigla: 'COMFAMA' },
      { tipo: 'admin_minsalud' },
    ]);
    expect(r.sinRolEmpleador).toEqual([]);
  });

  it('reads only the roles of the person: with 50 other employer roles stored and listing every role refused, the same answers', async () => {
    const s = setup();
    await withPeople(s);
    expect((await registerEmployer(s.deps, JOSE, registration(), actor)).ok).toBe(true);
    await s.deps.store.transaction(async (tx) => {
      for (let i = 0; i < 50; i++) await tx.collection('employers').put(employer(i));
    });
    const refusing: Store = {
      ...s.deps.store,
      transaction: (work, opts) =>
        s.deps.store.transaction(
          (tx) =>
            work({
              collection: (name) => {
                const repo = tx.collection(name);
                if (name !== 'employers') return repo;
                return new Proxy(repo, { get: (t, k) => (k === 'list' ? () => Promise.reject(new Error('every employer role was read')) : Reflect.get(t, k)) });
              },
            }),
          opts,
        ),
    } as Store;
    const deps = { ...s.deps, store: refusing };
    expect(kinds((await rolesOf(deps, JOSE)).roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'rl']]);
    expect((await rolesOf(deps, JOSE)).sinRolEmpleador).toEqual([]);
    expect(kinds((await rolesOf(deps, ANDRES)).roles)).toEqual([['ciudadano', '', ''], ['empleador', COMFAMA_NIT, 'delegado']]);
    expect((await loadChecklistFacts(deps, JOSE)).empresas.map((e) => e.nit)).toEqual([COMFAMA_NIT]);
  });
});
