/**
 * What the helpdesk ("Mesa de ayuda") keeps: where each person is in their process (no typed values),
 * the handoff cases ("hablar con un asesor"), the agents' own actions, and which audit actor reference
 * belongs to which person (so the history can name who acted).
 */

/**
 * Where a person is: the process and step of their last conversation, the last error or re-ask they
 * got and when, their last activity. Only ids, codes and step labels of our own: never what they typed.
 * Keyed by the person's document key ("CC:70123456"), also before their account exists (registration).
 */
export interface ProgresoPersona {
  readonly id: string;
  /** The process id of the registry ("registro", "rol-empleador"…) of the last turn in a process. */
  readonly proceso?: string;
  /** The step's label as the chat names it ("Preguntas de identidad", "Número de documento"). */
  readonly paso?: string;
  /** The last error or re-ask: a reason code ("REGISTRO.BLOQUEADO", "registro-datos-basicos.numeroDocumento:document_number.digits"). */
  readonly error?: { readonly codigo: string; readonly en: string };
  readonly ultimaActividad: string;
  readonly canal: string;
}

/** One message of a handoff case (the last ones before it, then the relayed ones). Never a secret. */
export interface MensajeCaso {
  readonly de: 'persona' | 'asistente' | 'asesor';
  readonly texto: string;
  readonly en: string;
}

/**
 * A conversation a case talks to: the channel's conversation reference as the Bot Framework gives it
 * (kept as plain JSON: the domain does not know its shape) and its key `${channelId}|${conversationId}`.
 */
export interface ConversacionCaso {
  readonly clave: string;
  readonly referencia: Readonly<Record<string, unknown>>;
}

/** A handoff case: in the queue, taken by an agent (messages relayed both ways), or closed. */
export interface CasoMesa {
  /** Random id; `numero` is what people read ("M-4F7K2Q"). */
  readonly id: string;
  readonly numero: string;
  readonly estado: 'en_cola' | 'atendido' | 'cerrado';
  /** Who asked: their document key when known (logged in, or typed in the registration), and name. */
  readonly persona: { readonly id?: string; readonly nombre?: string };
  /** The CCFs of the person (NITs), when known. */
  readonly nits: readonly string[];
  readonly proceso?: string;
  readonly paso?: string;
  readonly mensajes: readonly MensajeCaso[];
  readonly conversacionPersona: ConversacionCaso;
  readonly conversacionAgente?: ConversacionCaso;
  /** `conversacionPersona.clave` and `conversacionAgente.clave`, flat for lookups (findBy). */
  readonly clavePersona: string;
  readonly claveAgente?: string;
  /** The agent's citizen id and display name once taken. */
  readonly agente?: { readonly id: string; readonly nombre: string };
  /** `agente.id`, flat for lookups (findBy): the agent's cases, and whether they attend one now. */
  readonly agenteId?: string;
  readonly creadoEn: string;
  readonly tomadoEn?: string;
  readonly cerradoEn?: string;
  readonly cerradoPor?: 'persona' | 'asesor';
  /** Opened outside the helpdesk hours or with no agent reached: the person is e-mailed when it is answered. */
  readonly avisarPorCorreo: boolean;
  /** Whether the person's conversation is in a process now (a question waits for them): what they are told when the agent ends the case. */
  readonly personaEnTramite?: boolean;
}

/** An agent's own action ("Mis casos"): what, on whom (masked), the reason, when. */
export interface AccionMesa {
  readonly id: string;
  readonly agenteId: string;
  readonly en: string;
  readonly accion: string;
  /** Masked subject: "CC *****456" or "NIT 890.900.841-9". */
  readonly sujeto: string;
  readonly motivo?: string;
  readonly casoNumero?: string;
}

/** The audit log's pseudonymous actor reference of a person who logged in (to name who acted in the history). */
export interface ActorConocido {
  readonly id: string;
  readonly citizenId: string;
  readonly en: string;
}
