/**
 * The fixed, memorable example people of the reference data (README walkthrough, journeys, demos).
 * `scripts/build-reference.ts` writes them into persons.json verbatim; everyone else there is
 * generated. All of them are synthetic.
 */
import type { ReferencePerson } from '../../domain/reference.js';

/** COMFAMA (CCF04), the CCF of the README walkthrough. */
export const COMFAMA = { codigoPila: 'CCF04', nit: '890900841', dv: '9', sigla: 'COMFAMA' } as const;

const COMFAMA_RAZON_SOCIAL = 'CAJA DE COMPENSACIÓN FAMILIAR DE ANTIOQUIA COMFAMA';
const COMFENALCO_ANTIOQUIA = { nit: '890900842', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR COMFENALCO ANTIOQUIA' } as const;
const SENA = { nit: '899999034', razonSocial: 'SERVICIO NACIONAL DE APRENDIZAJE' } as const;
const COMBARRANQUILLA = { nit: '890102002', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR DE BARRANQUILLA COMBARRANQUILLA' } as const;
const COMPENSAR = { nit: '860066942', razonSocial: 'CAJA DE COMPENSACIÓN FAMILIAR COMPENSAR' } as const;

/** The legal representative (RL) of COMFAMA: registers, then the employer role for its NIT. */
const rlComfama: ReferencePerson = {
  tipoDocumento: 'CC',
  numeroDocumento: '70123456',
  primerNombre: 'José',
  segundoNombre: 'Alejandro',
  primerApellido: 'Restrepo',
  segundoApellido: 'Muñoz',
  fechaNacimiento: '1968-03-14',
  fechaExpedicion: '1986-05-20',
  sexo: 'M',
  historia: {
    eps: [
      { nombre: 'EPS Sura', desde: '1995-01-01', hasta: '2011-02-28' },
      { nombre: 'EPS Sanitas', desde: '2011-03-01' },
    ],
    pensiones: [{ nombre: 'Protección', desde: '1994-04-01' }],
    empleadores: [
      { ...COMFENALCO_ANTIOQUIA, desde: '1991-02-04', hasta: '2009-12-31' },
      { ...SENA, desde: '2010-02-01', hasta: '2016-06-30' },
      { nit: COMFAMA.nit, razonSocial: COMFAMA_RAZON_SOCIAL, desde: '2016-07-01' },
    ],
    lugares: [
      { municipio: '05615', tipo: 'nacimiento' }, // Rionegro
      { municipio: '05001', tipo: 'expedicion' }, // Medellín
      { municipio: '05266', tipo: 'residencia' }, // Envigado
    ],
  },
};

/** Not registered at first: the RL designates her as COMFAMA's delegate (invitation by e-mail). */
const delegateComfama: ReferencePerson = {
  tipoDocumento: 'CC',
  numeroDocumento: '1036612345',
  primerNombre: 'María',
  segundoNombre: 'Fernanda',
  primerApellido: 'Peña',
  segundoApellido: 'Ochoa',
  fechaNacimiento: '1990-07-22',
  fechaExpedicion: '2008-08-05',
  sexo: 'F',
  historia: {
    eps: [
      { nombre: 'Coomeva EPS', desde: '2009-02-01', hasta: '2014-05-31' },
      { nombre: 'EPS Sura', desde: '2014-06-01' },
    ],
    pensiones: [{ nombre: 'Porvenir', desde: '2013-02-01' }],
    empleadores: [
      { ...COMFENALCO_ANTIOQUIA, desde: '2013-02-01', hasta: '2017-08-31' },
      { nit: COMFAMA.nit, razonSocial: COMFAMA_RAZON_SOCIAL, desde: '2017-09-01' },
    ],
    lugares: [
      { municipio: '05615', tipo: 'nacimiento' }, // Rionegro
      { municipio: '05615', tipo: 'expedicion' }, // Rionegro
      { municipio: '05631', tipo: 'residencia' }, // Sabaneta
    ],
  },
};

/** Authorized by the delegate with rol CAJA DE SUBSIDIO FAMILIAR; administers the web services. */
const authorizedComfama: ReferencePerson = {
  tipoDocumento: 'CC',
  numeroDocumento: '1017234567',
  primerNombre: 'Andrés',
  segundoNombre: 'Felipe',
  primerApellido: 'Zapata',
  segundoApellido: 'Londoño',
  fechaNacimiento: '1993-11-02',
  fechaExpedicion: '2011-11-18',
  sexo: 'M',
  historia: {
    eps: [
      { nombre: 'Salud Total EPS', desde: '2012-03-01', hasta: '2016-12-31' },
      { nombre: 'Nueva EPS', desde: '2017-01-01' },
    ],
    pensiones: [
      { nombre: 'Colfondos', desde: '2015-01-15', hasta: '2019-12-31' },
      { nombre: 'Colpensiones', desde: '2020-01-01' },
    ],
    empleadores: [
      { ...SENA, desde: '2012-03-01', hasta: '2013-08-31' },
      { nit: COMFAMA.nit, razonSocial: COMFAMA_RAZON_SOCIAL, desde: '2015-01-15' },
    ],
    lugares: [
      { municipio: '05001', tipo: 'nacimiento' }, // Medellín
      { municipio: '05001', tipo: 'expedicion' }, // Medellín
      { municipio: '05088', tipo: 'residencia' }, // Bello
    ],
  },
};

/** A plain citizen with a cédula de extranjería, no second given name. */
const citizenCe: ReferencePerson = {
  tipoDocumento: 'CE',
  numeroDocumento: '654321',
  primerNombre: 'Carlos',
  primerApellido: 'Briceño',
  segundoApellido: 'Salas',
  fechaNacimiento: '1985-02-09',
  fechaExpedicion: '2019-06-12',
  sexo: 'M',
  historia: {
    eps: [
      { nombre: 'Coosalud EPS', desde: '2019-08-01', hasta: '2022-06-30' },
      { nombre: 'Famisanar', desde: '2022-07-01' },
    ],
    pensiones: [{ nombre: 'Colpensiones', desde: '2019-08-01' }],
    empleadores: [
      { ...COMBARRANQUILLA, desde: '2019-08-01', hasta: '2022-06-30' },
      { ...COMPENSAR, desde: '2022-07-01' },
    ],
    lugares: [
      { municipio: '08001', tipo: 'expedicion' }, // Barranquilla
      { municipio: '08758', tipo: 'residencia' }, // Soledad
      { municipio: '11001', tipo: 'residencia' }, // Bogotá, D.C.
    ],
  },
};

/** A minor (14 on 2026-11-26) with tarjeta de identidad: no pension fund, no employer. */
const minorTi: ReferencePerson = {
  tipoDocumento: 'TI',
  numeroDocumento: '1098765432',
  primerNombre: 'Sofía',
  primerApellido: 'Muñoz',
  segundoApellido: 'Peña',
  fechaNacimiento: '2012-04-18',
  fechaExpedicion: '2019-05-10',
  sexo: 'F',
  historia: {
    eps: [
      { nombre: 'Coomeva EPS', desde: '2012-04-18', hasta: '2021-12-31' },
      { nombre: 'Nueva EPS', desde: '2022-01-01' },
    ],
    pensiones: [],
    empleadores: [],
    lugares: [
      { municipio: '68001', tipo: 'nacimiento' }, // Bucaramanga
      { municipio: '68276', tipo: 'expedicion' }, // Floridablanca
      { municipio: '68276', tipo: 'residencia' }, // Floridablanca
    ],
  },
};

export const EXAMPLE_PERSONS = { rlComfama, delegateComfama, authorizedComfama, citizenCe, minorTi } as const;
export type ExampleRole = keyof typeof EXAMPLE_PERSONS;
