/** Forms of the helpdesk: a document as people write it ("CC 70.123.456", "cédula 70123456"), and a reason. */
import { parseDocumentNumberFor, parseDocumentType, parseProse, type FieldParser } from '../../domain/fields.js';
import { MESA_MOTIVO_MAX, MESA_MOTIVO_MIN } from '../../domain/mesa-ayuda.js';
import type { DocumentType } from '../../domain/reference.js';
import { fail, ok } from '../../domain/result.js';
import type { FormSpec } from '../form/form-spec.js';

export interface Documento {
  tipo: DocumentType;
  numero: string;
}

/** "CC 70123456", "cc70.123.456", "cédula de ciudadanía 70123456", "CE:AB1234": the type's words, then the number. */
export const parseDocumento: FieldParser<Documento> = (raw, ctx) => {
  const text = raw.normalize('NFKC').trim();
  // The type's words then a number ("cc70.123.456"), or the type's words, a separator and an alphanumeric number ("pasaporte AB123").
  const splits = [/^(.*?\p{L})[\s:#.-]*([0-9][0-9.\s,-]*)$/u.exec(text), /^(.*?)[\s:#.-]+([A-Za-z0-9]+)$/.exec(text)];
  for (const m of splits) {
    // "C.C." and "c.e" are how many write the abbreviations.
    const words = m?.[1]?.replace(/(\p{L})\.(?=\p{L}|$)/gu, '$1').replace(/\.$/, '').trim();
    const tipo = words ? parseDocumentType(words, ctx) : undefined;
    if (!tipo?.ok) continue;
    const numero = parseDocumentNumberFor(tipo.value)(m![2]!, ctx);
    return numero.ok ? ok({ tipo: tipo.value, numero: numero.value }) : numero;
  }
  return fail(/\d/.test(text) ? 'mesa.documento.tipo' : 'mesa.documento.formato');
};

/** A person's document in a message ("cc 1036612345", "consultar C.C. 1.036.612.345"); undefined when it holds none. */
export function documentIn(text: string | undefined, today: Date): Documento | undefined {
  if (!text || text.length > 80) return undefined;
  const ctx = { values: {}, today };
  for (const candidate of [text, text.replace(/^\s*(?:consultar|buscar|ver|revisar)\s+(?:a\s+|el\s+|la\s+)?/i, '')]) {
    const d = parseDocumento(candidate, ctx);
    if (d.ok) return d.value;
  }
  return undefined;
}

/** The form keeps the document as its key ("CC:70123456"): form values are plain text. */
export const documentoForm: FormSpec<{ documento: string }> = {
  id: 'mesa-documento',
  fields: [
    {
      key: 'documento',
      parse: (raw, ctx) => {
        const d = parseDocumento(raw, ctx);
        return d.ok ? ok(`${d.value.tipo}:${d.value.numero}`) : d;
      },
      display: (v) => String(v).replace(':', ' '),
    },
  ],
  review: false,
};

/** The document a documentoForm result holds. */
export function documentoOf(key: string): Documento {
  const [tipo, numero] = key.split(':') as [Documento['tipo'], string];
  return { tipo, numero };
}

export const mesaMotivoForm: FormSpec<{ motivo: string }> = {
  id: 'mesa-motivo',
  fields: [{ key: 'motivo', parse: parseProse(MESA_MOTIVO_MIN, MESA_MOTIVO_MAX), prose: true }],
  review: false,
};
