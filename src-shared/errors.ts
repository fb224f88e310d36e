// The one error type of the whole tree: a stable code a program can branch on, a message a person
// can act on, and optional details. Domain code throws CodedError with its own codes; the API
// boundary (ApiError) narrows the code to the public list in api/errors.ts.

export class CodedError<C extends string = string, D = unknown> extends Error {
  override name = 'CodedError';
  readonly code: C;
  readonly details: D;
  constructor(code: C, message: string, details?: D, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.details = details as D;
  }
}

/** True when `err` is a CodedError, and (when codes are given) carries one of them. */
export function isCoded<C extends string>(err: unknown, ...codes: C[]): err is CodedError<C> {
  if (!(err instanceof CodedError)) return false;
  return codes.length === 0 || (codes as string[]).includes(err.code);
}
