import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';

const health: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app) => {
  app.get(
    '/health',
    {
      config: { access: { public: true } },
      schema: { operationId: 'getHealth', tags: ['system'], summary: 'Liveness', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
};
export default health;
