import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reserveWithProposal } from '../../../services/cashflow.js';
import type { Ctx } from '../../../services/context.js';
import { addReserveContribution, drawDown, listReserveMovements, restore, setReserveTarget } from '../../../services/reserve.js';
import { reverseReserveMovement } from '../../../services/corrections.js';
import { reversalOut, reverseBody } from '../../../schemas/payments.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { isoDate } from '../../../schemas/common.js';
import { drawdownBody, reserveContributionBody, reserveOut, reserveTargetBody, restorationBody } from '../../../schemas/reserve.js';

const reserveRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'getReserve',
        tags: ['reserve'],
        summary: 'The working capital reserve as of a date: target, balance, shortfall to target, outstanding drawdowns',
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { 200: reserveOut },
      },
    },
    async (request) => reserveWithProposal(ctx, request.query.asOf),
  );
  app.put(
    '/target',
    {
      config: { access: { roles: FINANCE } },
      schema: { operationId: 'setReserveTarget', tags: ['reserve'], summary: 'Set the reserve target with the MSP decision that set it', body: reserveTargetBody, response: { 200: reserveTargetBody } },
    },
    async (request) => setReserveTarget(ctx, request.actor!, request.body),
  );
  const created = z.record(z.string(), z.unknown());
  app.post(
    '/contributions',
    {
      config: { access: { roles: FINANCE } },
      schema: { operationId: 'addReserveContribution', tags: ['reserve'], summary: 'A contribution to the reserve, or a transfer (e.g. unspent earlier contributions) with its justification', body: reserveContributionBody, response: { 201: created } },
    },
    async (request, reply) => reply.status(201).send(addReserveContribution(ctx, request.actor!, request.body)),
  );
  app.post(
    '/drawdowns',
    {
      config: { access: { roles: FINANCE } },
      schema: {
        operationId: 'drawDownReserve',
        tags: ['reserve'],
        summary: 'Draw on the reserve to cover an operating-cash shortfall',
        description: 'Refused with 422 when it exceeds the reserve balance or the operating-cash shortfall on that date; the problem says which (`limit`) and by how much (`exceededBy`).',
        body: drawdownBody,
        response: { 201: created },
      },
    },
    async (request, reply) => reply.status(201).send(drawDown(ctx, request.actor!, request.body)),
  );
  app.post(
    '/restorations',
    {
      config: { access: { roles: FINANCE } },
      schema: {
        operationId: 'restoreReserve',
        tags: ['reserve'],
        summary: 'Restore the reserve: oldest drawdown first unless one is named',
        description: 'Refused with 422 beyond what is outstanding or beyond the operating cash available.',
        body: restorationBody,
        response: { 201: created },
      },
    },
    async (request, reply) => reply.status(201).send(restore(ctx, request.actor!, request.body)),
  );
  app.get(
    '/movements',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'listReserveMovements',
        tags: ['reserve'],
        summary: 'Movements of the reserve between two dates: contributions (with their contributor), transfers, drawdowns, restorations, and their reversals',
        querystring: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }),
        response: {
          200: z.array(
            z.object({
              id: z.int(),
              kind: z.enum(['contribution', 'transfer', 'drawdown', 'restoration']),
              date: z.string(),
              amount: z.string(),
              iso3: z.string().nullable(),
              donor: z.string().nullable(),
              description: z.string(),
              drawdown: z.int().nullable(),
              reversal: z.object({ date: z.string(), reason: z.string() }).nullable(),
            }),
          ),
        },
      },
    },
    async (request) => listReserveMovements(ctx, request.query),
  );
  app.post(
    '/movements/:id/reverse',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'reverseReserveMovement',
        tags: ['reserve'],
        summary: 'Reverse a reserve movement (SPEC 9.3); a restoration with the other parts of its entry, a drawdown once its restorations are reversed',
        params: z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/).transform((s) => Number.parseInt(s, 10)) }),
        body: reverseBody,
        response: { 200: z.array(reversalOut) },
      },
    },
    async (request) => reverseReserveMovement(ctx, request.actor!, request.params.id, request.body),
  );
};
export default reserveRoutes;
