/** GET/PUT /settings/limits: the plausibility limits (issue 16, finding 13). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { limitsOut, limitsSettings } from '../../../schemas/limits.js';
import type { Ctx } from '../../../services/context.js';
import { getLimits, setLimits } from '../../../services/limits.js';

const limitsRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/limits',
    {
      config: { access: { roles: ['admin', 'finance'] } },
      schema: {
        operationId: 'getPlausibilityLimits',
        tags: ['settings'],
        summary: 'The plausibility limits: earliest date, days into the future, largest amount, large-payment threshold',
        response: { 200: limitsOut },
      },
    },
    async () => getLimits(ctx.db),
  );
  app.put(
    '/limits',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        operationId: 'setPlausibilityLimits',
        tags: ['settings'],
        summary: 'Set the plausibility limits (audited)',
        body: limitsSettings,
        response: { 200: limitsOut },
      },
    },
    async (request) => setLimits(ctx, request.actor!, request.body),
  );
};
export default limitsRoutes;
