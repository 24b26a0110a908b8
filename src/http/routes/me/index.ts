import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../services/actor.js';
import type { Ctx } from '../../../services/context.js';

const me: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app) => {
  app.get(
    '/me',
    {
      config: { access: { roles: ROLES } },
      schema: {
        operationId: 'getCurrentUser',
        tags: ['system'],
        summary: 'Who the token belongs to',
        response: { 200: z.object({ username: z.string(), role: z.string(), state: z.string().nullable() }) },
      },
    },
    async (request) => ({ username: request.actor!.username, role: request.actor!.role, state: request.actor!.stateIso3 }),
  );
};
export default me;
