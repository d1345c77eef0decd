/** What the back-office dialogs share: their collaborators and their texts (templates/es/backoffice/textos.json). */
import type { OpenApiReader } from '../../domain/ports.js';
import { fill, messages } from '../../templates/render.js';
import type { RolesDialogDeps } from '../empleador/roles.dialog.js';

export interface BackOfficeDialogDeps extends RolesDialogDeps {
  readonly openapi: OpenApiReader;
}

type Texts = Record<string, string> & {
  acciones: Record<string, string>;
  /** Other words for each of the tray's actions ("desactivar", "asignación"), said anywhere in an answer. */
  'acciones-otros-nombres': Record<string, string[]>;
  'nombres-accion': Record<string, string>;
};
export const boTexts = () => messages<Texts>('backoffice/textos');
export const bt = (key: string, data: Record<string, unknown> = {}) => fill(boTexts()[key] as string, data);

/** The name an administrator knows a CCF by. */
export const ccfName = (c: { sigla?: string; razonSocial: string }) => c.sigla ?? c.razonSocial;
