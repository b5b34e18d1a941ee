/** A failure the local Band answers with Band's error envelope: `{error: {code, message, request_id, details?}}`. */
export class BandFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** ValidationError details: JSON pointer (RFC 6901) → messages. */
    readonly details?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "BandFailure";
  }
}

export const badRequest = (message: string, code = "bad_request") => new BandFailure(400, code, message);
export const forbidden = (message: string, code = "forbidden") => new BandFailure(403, code, message);
export const notFound = (message = "Not found") => new BandFailure(404, "not_found", message);
export const conflict = (message: string, code = "conflict") => new BandFailure(409, code, message);

/** A 422 in the ValidationError shape, whose `details` are keyed by JSON pointer. */
export const invalid = (pointer: string, problem: string, code = "validation_error", message?: string) =>
  new BandFailure(422, code, message ?? `Validation failed: ${pointer} ${problem}`, { [pointer]: [problem] });
