/** Registro ciudadano, step 1: the basic data compared later with the reference sources. */
import {
  parseBirthDate,
  parseDocumentNumber,
  parseDocumentType,
  parseFirstName,
  parseFirstSurname,
  splitFirstName,
  splitFirstSurname,
  parseIssueDate,
  parseOptionalName,
  parseSex,
  retypedDocument,
  splitDocument,
} from '../../domain/fields.js';
import type { BasicData } from '../../domain/citizens.js';
import type { AnyField, FormSpec } from '../form/form-spec.js';

/** Who a person is, as in their identity document: shared by every form that names a person. */
/** Document and names, as every person-naming form has them. */
export type DocumentAndNames = Pick<BasicData, 'tipoDocumento' | 'numeroDocumento' | 'primerNombre' | 'segundoNombre' | 'primerApellido' | 'segundoApellido'>;

export const documentAndNames: readonly AnyField<DocumentAndNames>[] = [
  { key: 'tipoDocumento', parse: parseDocumentType, alsoFills: splitDocument },
  { key: 'numeroDocumento', parse: parseDocumentNumber, alsoFills: retypedDocument },
  { key: 'primerNombre', parse: parseFirstName, alsoFills: splitFirstName },
  { key: 'segundoNombre', parse: parseOptionalName, optional: true },
  { key: 'primerApellido', parse: parseFirstSurname, alsoFills: splitFirstSurname },
  { key: 'segundoApellido', parse: parseOptionalName, optional: true },
];

export const datosBasicosForm: FormSpec<BasicData> = {
  id: 'registro-datos-basicos',
  fields: [
    ...documentAndNames,
    { key: 'fechaNacimiento', parse: parseBirthDate },
    { key: 'fechaExpedicion', parse: parseIssueDate },
    { key: 'sexo', parse: parseSex },
  ],
  cardGroups: [
    ['tipoDocumento', 'numeroDocumento', 'primerNombre', 'segundoNombre', 'primerApellido', 'segundoApellido', 'fechaNacimiento', 'fechaExpedicion', 'sexo'],
  ],
};
