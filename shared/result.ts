/** A value or an error a person can read; handlers and readers return this instead of throwing across boundaries. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** A machine-readable code plus one human sentence that says what went wrong and, where it helps, what to do. */
export interface AppError {
  code: string;
  message: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: string, message: string): { ok: false; error: AppError } => ({ ok: false, error: { code, message } });

/** Thrown inside readers and turned into a Result at their boundary; carries a stable code. */
export class RamifyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RamifyError';
  }
}

/** Converts anything thrown into an AppError, keeping RamifyError codes and hiding stack traces from users. */
export function toAppError(e: unknown, fallbackCode = 'internal'): AppError {
  if (e instanceof RamifyError) return { code: e.code, message: e.message };
  if (e instanceof RangeError) return { code: 'too-large', message: `Out of memory or range: ${e.message}` };
  if (e instanceof Error) return { code: fallbackCode, message: e.message };
  return { code: fallbackCode, message: String(e) };
}
