/** Registro ciudadano: contact data (personal e-mail twice, mobile phone). */
import { parseEmailAnswer, parseEmailConfirmation, parseMobile } from '../../domain/fields.js';
import type { FormSpec } from '../form/form-spec.js';

/** The contact data as the form returns it (the confirmation only checks the e-mail). */
export interface Contacto {
  email: string;
  emailConfirmacion: string;
  celular: string;
}

export const contactoForm: FormSpec<Contacto> = {
  id: 'registro-contacto',
  fields: [
    { key: 'email', parse: parseEmailAnswer },
    { key: 'emailConfirmacion', parse: parseEmailConfirmation, inReview: false },
    { key: 'celular', parse: parseMobile },
  ],
};
