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

/**
 * A document (invoice, credit note, reminder letter) was committed — its row,
 * ledger entry and audit row — but its PDF file could not be written after
 * the commit. The record stands; the file is rendered from the stored
 * document, to the recorded SHA-256, on first read. Says so (issue 16,
 * finding 11), instead of the generic "nothing was recorded".
 */
export class PdfNotWrittenError extends ServiceError {
  constructor(recorded: { type: 'invoice' | 'credit-note' | 'reminder'; number: string }, cause: unknown, more = '') {
    const what = { invoice: 'invoice', 'credit-note': 'credit note', reminder: 'reminder letter' }[recorded.type];
    const code = (cause as NodeJS.ErrnoException | null)?.code ?? (cause instanceof Error ? cause.message : 'unknown error');
    super(
      500,
      'Internal Server Error',
      `the ${what} ${recorded.number} was recorded (with its ledger entry and audit row), but its PDF could not be written to disk (${code}); ` +
        `it will be rendered from the stored document, to the same bytes, on first read. Do not enter it again.${more ? ` ${more}` : ''}`,
      [],
      { recorded },
    );
    this.cause = cause;
  }
}
