/** Forms of the Ministry's back office: a reason (activation, retirement, suspension…) and a new catalog service's identity. */
import { parseServiceIdentifier } from '../../domain/compartir-campos.js';
import { parseProse, parseText } from '../../domain/fields.js';
import { MOTIVO_MAX, MOTIVO_MIN } from '../../domain/ministerio.js';
import type { FormSpec } from '../form/form-spec.js';

export const motivoForm: FormSpec<{ motivo: string }> = {
  id: 'ministerio-motivo',
  fields: [{ key: 'motivo', parse: parseProse(MOTIVO_MIN, MOTIVO_MAX), prose: true }],
  review: false,
};

export interface ServicioNuevoValues {
  id: string;
  nombre: string;
  descripcion: string;
}

export const SERVICIO_FORM_ID = 'servicio-nuevo';

/** The new service's identity; an identifier already in the catalog (any case) is asked again before the review. */
export function servicioForm(taken: (id: string) => Promise<string | undefined>): FormSpec<ServicioNuevoValues> {
  return {
    id: SERVICIO_FORM_ID,
    fields: [
      { key: 'id', parse: parseServiceIdentifier },
      { key: 'nombre', parse: parseText(3, 120) },
      { key: 'descripcion', parse: parseProse(5, 300), prose: true },
    ],
    async validate(values) {
      const existing = await taken(values.id);
      return existing ? { field: 'id', code: 'servicio.existe', detail: { id: existing } } : undefined;
    },
  };
}
