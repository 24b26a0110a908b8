/**
 * Every error leaves as RFC 9457 application/problem+json naming the field:
 * 422 for a body that breaks its schema or a business rule, 400 for a bad
 * query string, path or header, 404 for what does not exist (or is not
 * yours), 500 only for our own faults and without internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { MoneyFormatError } from '../../domain/money.js';
import { ServiceError, type FieldError } from '../../services/errors.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail: string,
  errors?: FieldError[],
  extra: Record<string, unknown> = {},
  title = TITLES[status] ?? 'Error',
) {
  const body: ProblemBody = {
    type: 'about:blank',
    title,
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...extra,
  };
  return reply.status(status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

function fieldOf(instancePath: string): string {
  return instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
}

export default fp(async function problemPlugin(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const errors: FieldError[] = error.validation.flatMap((v) => {
        const base = fieldOf(v.instancePath);
        const keys = (v.params as { keys?: string[] }).keys;
        if (v.keyword === 'unrecognized_keys' && keys)
          return keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'unknown field' }));
        return [{ field: base || where, message: v.message ?? 'invalid' }];
      });
      const status = where === 'body' ? 422 : 400;
      return sendProblem(request, reply, status, `invalid ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
    }
    if (error instanceof ServiceError) {
      // Our own fault, reported truthfully by the service (e.g. a PDF not written after its document was committed): logged with its cause.
      if (error.status >= 500) request.log.error({ err: error, cause: error.cause }, error.message);
      return sendProblem(request, reply, error.status, error.message, error.errors, error.extra, error.title);
    }
    if (error instanceof MoneyFormatError) return sendProblem(request, reply, 422, error.message);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const detail =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? 'the body is not valid JSON'
          : error.message;
      return sendProblem(request, reply, status, detail);
    }
    request.log.error({ err: error }, 'unhandled error');
    // Services commit in one transaction and write nothing after it that can fail unreported (PDFs: PdfNotWrittenError), so nothing was recorded.
    return sendProblem(request, reply, 500, 'an internal error occurred; nothing was recorded. The request id identifies it in the server log.');
  });

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`));
});
