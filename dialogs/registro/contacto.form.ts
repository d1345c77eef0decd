/** Registro ciudadano: contact data (personal e-mail twice, mobile phone). */
import { parseEmail, parseEmailConfirmation, parseMobile } from '../../domain/fields.js';
import type { FormSpec } from '../form/form-spec.js';

export const contactoForm: FormSpec = {
  id: 'registro-contacto',
  fields: [
    { key: 'email', parse: parseEmail },
    { key: 'emailConfirmacion', parse: parseEmailConfirmation, inReview: false },
    { key: 'celular', parse: parseMobile },
  ],
};
