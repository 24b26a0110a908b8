/**
 * /settings: the invoice issuer (sender, bank details, QR-bill creditor).
 * Four eyes on the bank details (SPEC 9.8): a PUT that changes them answers
 * 202 with the pending change; a second admin approves or rejects it by id.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { NotFoundError } from '../../../services/errors.js';
import {
  approveIssuerChange,
  getIssuer,
  issuerChangeOut,
  issuerChangeProposed,
  issuerDecisionIn,
  issuerProposalQuery,
  issuerRejectionIn,
  issuerSettingsOut,
  issuerSettingsSchema,
  listIssuerChanges,
  pendingIssuerChange,
  rejectIssuerChange,
  setIssuer,
} from '../../../services/settings.js';

const changeParams = z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/).transform((s) => Number.parseInt(s, 10)) });
import limitsRoutes from './limits.js';

const settingsRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  await app.register(limitsRoutes, { ctx });
  app.get(
    '/issuer',
    {
      config: { access: { roles: ['admin', 'finance'] }, throws: [404] },
      schema: { operationId: 'getIssuerSettings', tags: ['settings'], summary: 'Invoice sender, bank details and QR-bill creditor (as in force)', response: { 200: issuerSettingsOut } },
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
        summary:
          'Set the invoice sender, bank details and QR-bill creditor (IBAN checked: CH or LI, not a QR-IBAN; `reason` says why, for the approver). The fields that are not bank details take effect at once (200); a change of the bank details (bank.*, qrCreditor.*) waits for a second admin’s approval (202, the pending change)',
        querystring: issuerProposalQuery,
        body: issuerSettingsSchema,
        response: { 200: issuerSettingsOut, 202: issuerChangeProposed },
      },
    },
    async (request, reply) => {
      const r = setIssuer(ctx, request.actor!, request.body, { reason: request.query.reason });
      if (r.status === 'applied') return reply.status(200).send(r.settings);
      return reply.status(202).header('location', '/api/v1/settings/issuer/pending').send(r.change);
    },
  );
  app.get(
    '/issuer/pending',
    {
      config: { access: { roles: ['admin', 'finance'] }, throws: [404] },
      schema: {
        operationId: 'getPendingIssuerChange',
        tags: ['settings'],
        summary: 'The change of the bank details waiting for a second admin’s approval (404 when none is)',
        response: { 200: issuerChangeOut },
      },
    },
    async () => {
      const pending = pendingIssuerChange(ctx.db);
      if (!pending) throw new NotFoundError('A pending change of the bank details');
      return pending;
    },
  );
  app.get(
    '/issuer/changes',
    {
      config: { access: { roles: ['admin', 'finance'] } },
      schema: {
        operationId: 'listIssuerChanges',
        tags: ['settings'],
        summary: 'Every proposed change of the bank details with its outcome (pending, approved, rejected, superseded), newest first',
        response: { 200: z.array(issuerChangeOut) },
      },
    },
    async () => listIssuerChanges(ctx.db),
  );
  app.post(
    '/issuer/changes/:id/approve',
    {
      config: { access: { roles: ['admin'] }, throws: [404, 409] },
      schema: {
        operationId: 'approveIssuerChange',
        tags: ['settings'],
        summary: 'Approve a pending change of the bank details: it takes effect now. Not by the admin who proposed it (403); 409 when it is no longer pending',
        params: changeParams,
        body: issuerDecisionIn.nullish(),
        response: { 200: issuerChangeOut },
      },
    },
    async (request) => approveIssuerChange(ctx, request.actor!, request.params.id, request.body ?? {}),
  );
  app.post(
    '/issuer/changes/:id/reject',
    {
      config: { access: { roles: ['admin'] }, throws: [404, 409] },
      schema: {
        operationId: 'rejectIssuerChange',
        tags: ['settings'],
        summary: 'Reject a pending change of the bank details, with a reason (its proposer may withdraw it so); nothing in force changes',
        params: changeParams,
        body: issuerRejectionIn,
        response: { 200: issuerChangeOut },
      },
    },
    async (request) => rejectIssuerChange(ctx, request.actor!, request.params.id, request.body),
  );
};
export default settingsRoutes;
