import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Ctx } from '../../../services/context.js';
import { closePeriod, listPeriods, reopenPeriod } from '../../../services/periods.js';
import { READERS } from '../../plugins/auth.js';
import { periodClose, periodReopen, periodsOut } from '../../../schemas/periods.js';

/** Period locks (SPEC 9.4): finance closes, only an admin reopens; both with a reason, audited. */
const periodRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: [...READERS, 'admin'] } },
      schema: { operationId: 'listPeriods', tags: ['periods'], summary: 'The lock in force and the history of closings and reopenings', response: { 200: periodsOut } },
    },
    async () => listPeriods(ctx),
  );
  app.post(
    '/close',
    {
      config: { access: { roles: ['finance', 'admin'] }, throws: [409, 422] },
      schema: {
        operationId: 'closePeriod',
        tags: ['periods'],
        summary: 'Lock every date up to `through`: from then on an entry dated in the locked period answers 409 naming the lock',
        body: periodClose,
        response: { 200: periodsOut },
      },
    },
    async (request) => closePeriod(ctx, request.actor!, request.body),
  );
  app.post(
    '/reopen',
    {
      config: { access: { roles: ['admin'] }, throws: [409, 422] },
      schema: { operationId: 'reopenPeriod', tags: ['periods'], summary: 'Admin only: move the lock back, with a reason', body: periodReopen, response: { 200: periodsOut } },
    },
    async (request) => reopenPeriod(ctx, request.actor!, request.body),
  );
};
export default periodRoutes;
