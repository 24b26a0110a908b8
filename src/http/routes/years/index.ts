import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { closeYear, getYearClosing } from '../../../services/closing.js';
import { READERS } from '../../plugins/auth.js';
import { yearParam } from '../../../schemas/common.js';
import { yearCloseBody, yearClosingOut } from '../../../schemas/closing.js';

const yearParams = z.strictObject({ year: yearParam });

/** Year-end closing (SPEC 9.4): who closes periods closes years; idempotent. */
const yearRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.post(
    '/:year/close',
    {
      config: { access: { roles: ['finance', 'admin'] }, throws: [409, 422] },
      schema: {
        operationId: 'closeYear',
        tags: ['periods'],
        summary: 'Close a year: lock through its 31 December and post its income and expenditure to the accumulated fund',
        description:
          '201 with the closing; closing a closed year again answers 200 with the same closing and writes nothing. Years close in order: an earlier year with income or expenditure that is not closed answers 409 naming it. A closed year cannot be reopened.',
        params: yearParams,
        body: yearCloseBody,
        response: { 200: yearClosingOut, 201: yearClosingOut },
      },
    },
    async (request, reply) => {
      const r = closeYear(ctx, request.actor!, request.params.year, request.body);
      return reply.status(r.created ? 201 : 200).send(r.closing);
    },
  );
  app.get(
    '/:year/closing',
    {
      config: { access: { roles: [...READERS, 'admin'] }, throws: [404] },
      schema: { operationId: 'getYearClosing', tags: ['periods'], summary: 'The closing of a year (404 when it is not closed)', params: yearParams, response: { 200: yearClosingOut } },
    },
    async (request) => getYearClosing(ctx, request.params.year),
  );
};
export default yearRoutes;
