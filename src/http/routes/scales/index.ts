import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { ValidationError } from '../../../services/errors.js';
import { createScale, getScale, listScales, parseScaleCsv } from '../../../services/scales.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { scaleCode, scaleCreate, scaleOut } from '../../../schemas/scales.js';
import { isCsv } from '../../schemas/media.js';

const scales: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS } },
      schema: { operationId: 'listScales', tags: ['scales'], summary: 'All scales (without their rates)', response: { 200: z.array(scaleOut.omit({ rates: true })) } },
    },
    async () => listScales(ctx),
  );

  app.post(
    '/',
    {
      config: { access: { roles: FINANCE }, throws: [409] },
      preValidation: async (request) => {
        if (isCsv(request.headers['content-type'])) {
          const { rates, errors } = parseScaleCsv(String(request.body ?? ''));
          if (errors.length) throw new ValidationError(errors);
          const q = request.query as Record<string, unknown>;
          request.body = { code: q.code, title: q.title, source: q.source, rates } as typeof request.body;
        }
      },
      schema: {
        operationId: 'createScale',
        tags: ['scales'],
        summary: 'Create a scale (immutable afterwards: a correction is a new code)',
        description: 'JSON, or a `text/csv` body `iso3,rate` with `?code=&title=&source=`; in a CSV, `rates.N` is line N+2.',
        querystring: z.strictObject({ code: z.string().optional(), title: z.string().optional(), source: z.string().optional() }),
        body: scaleCreate,
        consumes: ['application/json', 'text/csv'],
        response: { 201: scaleOut },
      },
    },
    async (request, reply) => reply.status(201).send(createScale(ctx, request.actor!, request.body)),
  );

  app.get(
    '/:code',
    {
      config: { access: { roles: READERS }, throws: [404] },
      schema: { operationId: 'getScale', tags: ['scales'], summary: 'A scale with its rates', params: z.strictObject({ code: scaleCode }), response: { 200: scaleOut } },
    },
    async (request) => getScale(ctx, request.params.code),
  );
};
export default scales;
