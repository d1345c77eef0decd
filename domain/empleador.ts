/**
 * The employer role's use cases, as dialogs/ imported them before they were split by concern.
 * New code imports the modules themselves: empleador-registro, empleador-actualizar, delegados,
 * empleador-roles, backoffice and empleador-common.
 */
export { REVIEW_REASON_MAX, REVIEW_REASON_MIN, pendingRutReviews, reviewRut, rutFile } from './backoffice.js';
export { checkDelegate, completePendingDesignations } from './delegados.js';
export { updateEmployer } from './empleador-actualizar.js';
export type { EmpleadorDeps, EmpleadorError } from './empleador-common.js';
export {
  FREE_WEBMAIL,
  checkCorporateEmail,
  checkRepresentative,
  matchesRut,
  naturalezaOf,
  registerEmployer,
  type RegistroEmpleador,
} from './empleador-registro.js';
export { employersOf, getEmployer, type EmployerRef } from './empleador-roles.js';
export { NATURALEZAS, type DelegateData, type EmployerRole, type Naturaleza, type Sede } from './employers.js';
