import { desc, lt } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditLog } from '../../../db/schema.js';
import type { Ctx } from '../../../services/context.js';

const entry = z.object({
  id: z.int(),
  at: z.string(),
  username: z.string(),
  role: z.string(),
  requestId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  details: z.unknown(),
});

const audit: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: ['auditor', 'admin'] } },
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: 'The audit log, newest first',
        querystring: z.strictObject({
          limit: z
            .string()
            .regex(/^[0-9]{1,4}$/)
            .transform((s) => Number.parseInt(s, 10))
            .optional(),
          before: z
            .string()
            .regex(/^[0-9]{1,12}$/)
            .transform((s) => Number.parseInt(s, 10))
            .optional()
            .meta({ description: 'Page: entries with an id below this one' }),
        }),
        response: { 200: z.object({ entries: z.array(entry) }) },
      },
    },
    async (request) => {
      const limit = Math.min(request.query.limit ?? 100, 1000);
      const q = ctx.db.select().from(auditLog);
      const rows = (request.query.before === undefined ? q : q.where(lt(auditLog.id, request.query.before)))
        .orderBy(desc(auditLog.id))
        .limit(limit)
        .all();
      return { entries: rows.map(({ userId: _u, ...r }) => r) };
    },
  );
};
export default audit;
