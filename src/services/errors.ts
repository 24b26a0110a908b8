/**
 * Errors a service raises for the caller to see. The HTTP layer turns them
 * into RFC 9457 application/problem+json; the CLI prints them.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. "scheme.categories.1.share". */
  field: string;
  message: string;
}

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export class NotFoundError extends ServiceError {
  constructor(what: string) {
    super(404, 'Not Found', `${what} was not found`);
  }
}

export class ConflictError extends ServiceError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, [], extra);
  }
}

export class ValidationError extends ServiceError {
  constructor(errors: FieldError[], detail?: string) {
    super(422, 'Unprocessable Content', detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
}

export function fieldError(field: string, message: string): ValidationError {
  return new ValidationError([{ field, message }]);
}
