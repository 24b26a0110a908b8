import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { listExpenditures, recordExpenditure } from '../../../services/reserve.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { yearParam } from '../../../schemas/common.js';
import { expenditureBody } from '../../../schemas/reserve.js';

const expenditureRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.post(
    '/',
    {
      config: { access: { roles: FINANCE } },
      schema: {
        operationId: 'recordExpenditure',
        tags: ['reserve'],
        summary: 'Record an ISU expenditure (recorded even when it leaves operating cash negative: that is the shortfall)',
        body: expenditureBody,
        response: { 201: z.object({ id: z.int(), date: z.string(), amount: z.string(), description: z.string(), operatingCash: z.string() }) },
      },
    },
    async (request, reply) => reply.status(201).send(recordExpenditure(ctx, request.actor!, request.body)),
  );
  app.get(
    '/',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'listExpenditures',
        tags: ['reserve'],
        summary: 'ISU expenditures',
        querystring: z.strictObject({ year: yearParam.optional() }),
        response: { 200: z.array(z.object({ id: z.int(), date: z.string(), amount: z.string(), description: z.string() })) },
      },
    },
    async (request) => listExpenditures(ctx, request.query.year),
  );
};
export default expenditureRoutes;
