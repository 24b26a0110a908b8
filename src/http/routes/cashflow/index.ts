import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cashflowOutlook } from '../../../services/cashflow.js';
import type { Ctx } from '../../../services/context.js';
import { READERS } from '../../plugins/auth.js';
import { isoDate, yearParam } from '../../../schemas/common.js';
import { cashflowOut } from '../../../schemas/reserve.js';

const cashflowRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS }, throws: [404] },
      schema: {
        operationId: 'getCashflowOutlook',
        tags: ['reserve'],
        summary: 'Month-by-month operating cash of a budget year: actual before the as-of month, projected from it',
        description: 'Projected months assume no receipts (unpaid contributions are not assumed to arrive) and the planned spending.',
        querystring: z.strictObject({ year: yearParam, asOf: isoDate.optional() }),
        response: { 200: cashflowOut },
      },
    },
    async (request) => cashflowOutlook(ctx, request.query.year, request.query.asOf),
  );
};
export default cashflowRoutes;
