import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { scopeOf } from '../../../services/actor.js';
import { getPayment, listPayments, recordPayment } from '../../../services/payments.js';
import { reallocatePayment, reversePayment } from '../../../services/corrections.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { iso3, yearParam } from '../../../schemas/common.js';
import { idempotencyHeaders, paymentCreate, paymentOut, reallocateBody, reversalOut, reverseBody } from '../../../schemas/payments.js';

const paymentRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.post(
    '/',
    {
      config: { access: { roles: FINANCE }, throws: [409] },
      schema: {
        operationId: 'recordPayment',
        tags: ['payments'],
        summary: 'Record money received (assessed, voluntary or for the reserve); exactly once per Idempotency-Key',
        description:
          'Assessed money is applied to the State’s open invoices oldest first, 7(a) before 7(b) — or to the named invoice, or to the invoice whose creditor reference it quotes; the rest stays as unapplied credit. Replaying the same key with the same body returns the first result (header Idempotent-Replayed: true); with a different body, 409.',
        headers: idempotencyHeaders,
        body: paymentCreate,
        response: { 201: paymentOut },
      },
    },
    async (request, reply) => {
      const { payment, replayed } = recordPayment(ctx, request.actor!, request.headers['idempotency-key'], request.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(payment);
    },
  );

  app.get(
    '/',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: {
        operationId: 'listPayments',
        tags: ['payments'],
        summary: 'Payments with their applications (a State user: its own only)',
        querystring: z.strictObject({ state: iso3.optional(), year: yearParam.optional().meta({ description: 'Year of the value date' }) }),
        response: { 200: z.array(paymentOut) },
      },
    },
    async (request) => listPayments(ctx, request.query, scopeOf(request.actor!)),
  );

  app.get(
    '/:id',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: {
        operationId: 'getPayment',
        tags: ['payments'],
        summary: 'One payment',
        params: z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/).transform((s) => Number.parseInt(s, 10)) }),
        response: { 200: paymentOut },
      },
    },
    async (request) => getPayment(ctx, request.params.id, scopeOf(request.actor!)),
  );

  const idParams = z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/).transform((s) => Number.parseInt(s, 10)) });
  app.post(
    '/:id/reverse',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'reversePayment',
        tags: ['payments'],
        summary: 'Reverse a payment (SPEC 9.3): a reversing entry at its value date (or the first open date); what it paid is open again',
        description:
          'Nothing is edited: the payment stays, marked reversed, and a reversing journal entry takes it back. What it left as credit must still be unused (otherwise 409). Once only (409).',
        params: idParams,
        body: reverseBody,
        response: { 200: z.object({ payment: paymentOut, reversal: reversalOut }) },
      },
    },
    async (request) => reversePayment(ctx, request.actor!, request.params.id, request.body),
  );
  app.post(
    '/:id/reallocate',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'reallocatePayment',
        tags: ['payments'],
        summary: 'Move a payment to the right payer (SPEC 9.3): reversed and recorded anew, linked, in one transaction',
        params: idParams,
        body: reallocateBody,
        response: { 200: z.object({ reversed: paymentOut, payment: paymentOut, reversal: reversalOut }) },
      },
    },
    async (request) => reallocatePayment(ctx, request.actor!, request.params.id, request.body),
  );
};
export default paymentRoutes;
