/** Ingresar and Olvidé mi contraseña: the forms. */
import { fail, ok } from '../../domain/result.js';
import { parseDocumentNumber, parseDocumentType, retypedDocument, splitDocument } from '../../domain/fields.js';
import type { DocumentType } from '../../domain/reference.js';
import type { FormSpec, SealedValue } from '../form/form-spec.js';

export const ingresoForm: FormSpec<{ tipoDocumento: DocumentType; numeroDocumento: string; clave: SealedValue }> = {
  id: 'ingreso',
  fields: [
    { key: 'tipoDocumento', parse: parseDocumentType, alsoFills: splitDocument },
    { key: 'numeroDocumento', parse: parseDocumentNumber, alsoFills: retypedDocument },
    // The policy is checked when the password is set; here any non-empty text is tried.
    { key: 'clave', parse: (raw) => (raw.length === 0 ? fail('empty') : raw.length > 256 ? fail('too_long') : ok(raw)), secret: true },
  ],
  cardGroups: [['tipoDocumento', 'numeroDocumento', 'clave']],
  review: false,
};

export const recuperarForm: FormSpec<{ tipoDocumento: DocumentType; numeroDocumento: string }> = {
  id: 'recuperar-clave',
  fields: [
    { key: 'tipoDocumento', parse: parseDocumentType, alsoFills: splitDocument },
    { key: 'numeroDocumento', parse: parseDocumentNumber, alsoFills: retypedDocument },
  ],
  review: false,
};
