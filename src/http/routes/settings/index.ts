import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Ctx } from '../../../services/context.js';
import { NotFoundError } from '../../../services/errors.js';
import { getIssuer, issuerSettingsOut, issuerSettingsSchema, setIssuer } from '../../../services/settings.js';
import limitsRoutes from './limits.js';

const settingsRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  await app.register(limitsRoutes, { ctx });
  app.get(
    '/issuer',
    {
      config: { access: { roles: ['admin', 'finance'] }, throws: [404] },
      schema: { operationId: 'getIssuerSettings', tags: ['settings'], summary: 'Invoice sender, bank details and QR-bill creditor', response: { 200: issuerSettingsOut } },
    },
    async () => {
      const issuer = getIssuer(ctx.db);
      if (!issuer) throw new NotFoundError('The issuer settings');
      return issuer;
    },
  );
  app.put(
    '/issuer',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        operationId: 'setIssuerSettings',
        tags: ['settings'],
        summary: 'Set the invoice sender, bank details and QR-bill creditor (IBAN checked; not a QR-IBAN)',
        body: issuerSettingsSchema,
        response: { 200: issuerSettingsOut },
      },
    },
    async (request) => setIssuer(ctx, request.actor!, request.body),
  );
};
export default settingsRoutes;
