/** The bounds of the built-in Direct Line endpoint (memory, paging, tokens, sizes) and their defaults. */

/** Every bound of the endpoint; registerDirectLine takes any of them to override the defaults. */
export interface DirectLineLimits {
  /** Conversations kept in memory; the least recently used one is evicted beyond this. */
  readonly maxConversations: number;
  /** Activities kept per conversation (the oldest are dropped). */
  readonly maxActivitiesPerConversation: number;
  /** A conversation not used for this long is forgotten (ms). */
  readonly idleMs: number;
  /** How often idle conversations are swept (ms). */
  readonly sweepIntervalMs: number;
  /** Activities returned by one GET …/activities at most (the client pages with the watermark). */
  readonly pageSize: number;
  /**
   * Messages given to a client that asks for activities without a watermark (a page reload): the
   * most recent ones, with the activities between them; older ones are left out. Keep it ≤ pageSize
   * so that they come in one answer.
   */
  readonly historyOnReconnect: number;
  /** Token lifetime (s). */
  readonly tokenTtlSeconds: number;
  /** An expired token may still be exchanged for a new one of the same conversation for this long (ms). */
  readonly resumeWindowMs: number;
  /** Largest activity accepted, as JSON (bytes). */
  readonly maxActivityBytes: number;
  /** Largest uploaded file (bytes). */
  readonly maxFileBytes: number;
  /** Files in one upload. */
  readonly maxFilesPerUpload: number;
  /** Largest upload request (bytes, whole multipart body). */
  readonly maxUploadBytes: number;
  /** Uploaded bytes kept in memory for all conversations; the oldest files are dropped beyond this. */
  readonly maxAttachmentBytesTotal: number;
}

/** The bounds used unless overridden. */
export const DEFAULT_LIMITS: DirectLineLimits = {
  maxConversations: 2000,
  maxActivitiesPerConversation: 500,
  idleMs: 2 * 60 * 60 * 1000,
  sweepIntervalMs: 60 * 1000,
  pageSize: 100,
  historyOnReconnect: 25,
  tokenTtlSeconds: 30 * 60,
  resumeWindowMs: 2 * 60 * 60 * 1000,
  maxActivityBytes: 256 * 1024,
  maxFileBytes: 4 * 1024 * 1024,
  maxFilesPerUpload: 10,
  maxUploadBytes: 16 * 1024 * 1024,
  maxAttachmentBytesTotal: 256 * 1024 * 1024,
};
