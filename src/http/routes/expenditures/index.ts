import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { listExpenditures, recordExpenditure } from '../../../services/reserve.js';
import { reverseExpenditure } from '../../../services/corrections.js';
import { reversalOut, reverseBody } from '../../../schemas/payments.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { yearParam } from '../../../schemas/common.js';
import { expenditureBody, expenditureImportBody, expenditureImportOut, expenditureListItem, expenditureOut } from '../../../schemas/reserve.js';
import { importExpenditures, parseExpendituresCsv } from '../../../services/expenditures-import.js';
import { ValidationError } from '../../../services/errors.js';
import { isCsv } from '../../schemas/media.js';

const expenditureRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.post(
    '/',
    {
      config: { access: { roles: FINANCE }, throws: [409, 422] },
      schema: {
        operationId: 'recordExpenditure',
        tags: ['reserve'],
        summary: 'Record an ISU expenditure (recorded even when it leaves operating cash negative: that is the shortfall)',
        description:
          'Coded to a budget (`budgetYear`, default the year of its date) and, when that budget has lines, to one of them (`line`, else 422 naming `line`).',
        body: expenditureBody,
        response: { 201: expenditureOut },
      },
    },
    async (request, reply) => reply.status(201).send(recordExpenditure(ctx, request.actor!, request.body)),
  );
  app.post(
    '/import',
    {
      config: { access: { roles: FINANCE }, throws: [409] },
      preValidation: async (request) => {
        if (isCsv(request.headers['content-type'])) {
          const { expenditures, errors } = parseExpendituresCsv(String(request.body ?? ''));
          if (errors.length) throw new ValidationError(errors);
          request.body = { expenditures } as typeof request.body;
        }
      },
      schema: {
        operationId: 'importExpenditures',
        tags: ['reserve'],
        summary: 'Record expenditures in bulk, all or nothing',
        description:
          'JSON, or a `text/csv` body with the columns `date,amount,description,budgetYear,line` (`budgetYear` and `line` may be empty). One transaction: any refused row refuses them all, its error naming the row and the column (`expenditures.N.column`; row N+1 is line N+2 of the file).',
        body: expenditureImportBody,
        consumes: ['application/json', 'text/csv'],
        response: { 201: expenditureImportOut },
      },
    },
    async (request, reply) => reply.status(201).send(importExpenditures(ctx, request.actor!, request.body.expenditures)),
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
        response: { 200: z.array(expenditureListItem) },
      },
    },
    async (request) => listExpenditures(ctx, request.query.year),
  );
  app.post(
    '/:id/reverse',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'reverseExpenditure',
        tags: ['reserve'],
        summary: 'Reverse an expenditure (SPEC 9.3): a reversing entry at its date (or the first open date)',
        params: z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/).transform((s) => Number.parseInt(s, 10)) }),
        body: reverseBody,
        response: { 200: reversalOut },
      },
    },
    async (request) => reverseExpenditure(ctx, request.actor!, request.params.id, request.body),
  );
};
export default expenditureRoutes;
