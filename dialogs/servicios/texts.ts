/** What the web-services dialogs share: their collaborators, the terms in force and their texts (templates/es/servicios). */
import type { ConnectionTester, SecretBox } from '../../domain/ports.js';
import type { Versiones } from '../../domain/servicios-ccf.js';
import { fill, messages } from '../../templates/render.js';
import type { BackOfficeDialogDeps } from '../backoffice/texts.js';

export interface ServiciosDialogDeps extends BackOfficeDialogDeps {
  /**
   * A short-lived signed link to the service's full documentation page (Swagger UI) for this person,
   * this CCF and this service (bot/doc-links.ts).
   */
  readonly docLink: (citizenId: string, nit: string, servicioId: string) => string;
  /** Opens and seals the secrets of the shared services' credentials. */
  readonly secrets: SecretBox;
  /** "Probar conexión": the token request and the call, guarded at connection time (bot/probar-conexion.ts). */
  readonly tester: ConnectionTester;
  /** Ports besides 443 allowed in the URLs of shared services (configuration SERVICIOS_PUERTOS). */
  readonly puertosPermitidos?: readonly number[];
}

/** One of the texts the person accepts (templates/es/servicios/terminos.json). */
export interface DocumentoTerminos {
  readonly id: string;
  readonly titulo: string;
  readonly version: string;
  /** ISO date (YYYY-MM-DD) of the version. */
  readonly fecha: string;
  readonly resumen: readonly string[];
  readonly secciones: readonly { readonly titulo: string; readonly parrafos: readonly string[] }[];
}
export interface Terminos {
  readonly titulo: string;
  readonly documentos: readonly DocumentoTerminos[];
}

export const terminos = () => messages<Terminos>('servicios/terminos');

/** The versions in force, by text id: publishing a new version in the template makes the next use ask again. */
export function terminosVigentes(): Versiones {
  return Object.fromEntries(terminos().documentos.map((d) => [d.id, d.version]));
}

/** Where the full texts are (bot/servicios-pages.ts serves it). */
export const TERMINOS_PATH = '/servicios/terminos';

type Texts = Record<string, string> & {
  acciones: Record<string, string>;
  estados: Record<string, string>;
  motivos: Record<string, string>;
  info: Record<string, string>;
  grant: Record<string, string>;
};
export const swTexts = () => messages<Texts>('servicios/textos');
export const st = (key: string, data: Record<string, unknown> = {}) => fill(swTexts()[key] as string, data);
