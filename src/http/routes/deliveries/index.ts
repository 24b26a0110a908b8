import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { listDeliveries, retryDeliveries, sendDocuments } from '../../../services/delivery/index.js';
import { READERS } from '../../plugins/auth.js';
import { deliveryCreate, deliveryListQuery, deliveryLogOut, deliveryRetry, deliveryRunOut } from '../../../schemas/deliveries.js';
import type { DeliveryRunOut } from '../../../schemas/deliveries.js';

/** 201 when a message was attempted (or a failure logged), 200 when everything was skipped. */
const runStatus = (r: DeliveryRunOut) => (r.deliveries.length > 0 ? 201 : 200);
const SEND = { access: { roles: ['finance', 'admin'] as const }, throws: [409, 422, 502] as const };
const RUN_RESPONSE = { 200: deliveryRunOut, 201: deliveryRunOut };

const RUN_DESCRIPTION =
  'One message per document and billing e-mail of its State, the PDF attached, in the document’s language; each attempt is logged. ' +
  'With ISU_SMTP_URL the messages go through that SMTP server (ISU_MAIL_FROM is then required: 422 without it; 502 when the server cannot be reached or refuses the credentials, nothing sent); ' +
  'without it each message is written as an .eml file to the outbox (status `written`). ' +
  'Answers 201 when something was attempted, 200 when everything was skipped.';

/** E-mail delivery of documents (SPEC 9.7): finance and admin send; finance, presidency, auditor and admin read the log. */
const deliveryRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.post(
    '/',
    {
      config: SEND,
      schema: {
        operationId: 'sendDocuments',
        tags: ['deliveries'],
        summary: 'E-mail invoices, credit notes, reminders or statements to the billing e-mails of their States',
        description: `${RUN_DESCRIPTION} An address that already had the document is skipped unless \`resend\`; one whose last attempt failed waits for POST /deliveries/retry. A State without a billing e-mail gets one failed attempt, "no billing e-mail".`,
        body: deliveryCreate,
        response: RUN_RESPONSE,
      },
    },
    async (request, reply) => {
      const r = await sendDocuments(ctx, request.actor!, request.body);
      return reply.status(runStatus(r)).send(r);
    },
  );

  app.post(
    '/retry',
    {
      config: SEND,
      schema: {
        operationId: 'retryDeliveries',
        tags: ['deliveries'],
        summary: 'Try every failed delivery again, once (each address whose latest attempt failed)',
        description: `${RUN_DESCRIPTION} Each new attempt names the failure it retries (\`retryOf\`). An address the State no longer has is not tried; a State that had no billing e-mail gets the document at the addresses it has now.`,
        body: deliveryRetry,
        response: RUN_RESPONSE,
      },
    },
    async (request, reply) => {
      const r = await retryDeliveries(ctx, request.actor!, request.body);
      return reply.status(runStatus(r)).send(r);
    },
  );

  app.get(
    '/',
    {
      config: { access: { roles: [...READERS, 'admin'] } },
      schema: {
        operationId: 'listDeliveries',
        tags: ['deliveries'],
        summary: 'The delivery log: each document and address with its status (its latest attempt) and every attempt',
        querystring: deliveryListQuery,
        response: { 200: z.array(deliveryLogOut) },
      },
    },
    async (request) => listDeliveries(ctx, request.query),
  );
};
export default deliveryRoutes;
