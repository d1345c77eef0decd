/**
 * The step in progress answers "ayuda" and "estado" first (STYLE #15): a dialog that knows its step
 * describes it; the main dialog asks the active dialogs, deepest answer first, and adds the general part.
 */
import type { DialogInstance } from 'botbuilder-dialogs';

export interface StepInfo {
  /** The step, as the person would name it ("Adjuntar el RUT", "Pregunta 2 de 4"). */
  readonly paso?: string;
  /** Help for this step. */
  readonly ayuda?: string;
  /** The process the person is in, when not the one that was started (the back office's tray, reached from one of its sections). */
  readonly proceso?: string;
}

export interface DescribesStep {
  /**
   * This dialog's step; `below` are the ids of every dialog active inside it, outermost first: at each
   * level its whole stack (a waterfall and the prompt it asks), the deepest last.
   */
  describeStep(instance: DialogInstance, below: readonly string[]): StepInfo | undefined;
}

export const describesStep = (dialog: unknown): dialog is DescribesStep =>
  typeof (dialog as Partial<DescribesStep> | undefined)?.describeStep === 'function';
