/** Expected failures are values; bugs and infrastructure faults throw. */
export interface DomainError {
  /** Stable code, e.g. `CITIZEN.ALREADY_REGISTERED` or a field reason such as `empty`. */
  readonly code: string;
  readonly [detail: string]: unknown;
}

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E extends DomainError = DomainError> = { readonly ok: false; readonly error: E };
export type Result<T, E extends DomainError = DomainError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E extends DomainError>(error: E): Err<E> => ({ ok: false, error });
/** Shorthand for a failure that carries only its code. */
export const fail = (code: string, detail: Record<string, unknown> = {}): Err<DomainError> =>
  ({ ok: false, error: { ...detail, code } });
