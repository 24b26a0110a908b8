import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { cancelInvoice, getInvoice, invoicePdf, invoiceXml, listInvoices, reissueInvoice } from '../../../services/invoices.js';
import { scopeOf } from '../../../services/actor.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { cancelBody, creditNoteOut, invoiceListQuery, invoiceNumberParam, invoiceOut } from '../../../schemas/invoices.js';
import { pdfResponse, sendPdfFile, sendXml, xmlResponse } from '../../schemas/media.js';

const params = z.strictObject({ number: invoiceNumberParam });

const invoiceRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: { operationId: 'listInvoices', tags: ['invoices'], summary: 'Invoices (a State user: its own only)', querystring: invoiceListQuery, response: { 200: z.array(invoiceOut) } },
    },
    async (request) => listInvoices(ctx, request.query, scopeOf(request.actor!)),
  );

  app.get(
    '/:number',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: { operationId: 'getInvoice', tags: ['invoices'], summary: 'One invoice', params, response: { 200: invoiceOut } },
    },
    async (request) => getInvoice(ctx, request.params.number, scopeOf(request.actor!)),
  );

  app.get(
    '/:number/pdf',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404, 409] },
      schema: {
        operationId: 'getInvoicePdf',
        tags: ['invoices'],
        summary: 'The invoice PDF as issued (same bytes every time)',
        params,
        response: { 200: pdfResponse('The invoice PDF') },
      },
    },
    async (request, reply) => sendPdfFile(reply, request.params.number, await invoicePdf(ctx, request.params.number, scopeOf(request.actor!))),
  );

  app.get(
    '/:number/xml',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404, 409] },
      schema: {
        operationId: 'getInvoiceXml',
        tags: ['invoices'],
        summary: 'The invoice as an EN 16931 e-invoice: UN/CEFACT CII XML (Factur-X / ZUGFeRD profile EN 16931), from the document as issued (same XML every time)',
        params,
        response: { 200: xmlResponse('The invoice as EN 16931 CII XML (rsm:CrossIndustryInvoice, type 380)') },
      },
    },
    async (request, reply) => sendXml(reply, request.params.number, invoiceXml(ctx, request.params.number, scopeOf(request.actor!))),
  );

  app.post(
    '/:number/cancel',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409] },
      schema: {
        operationId: 'cancelInvoice',
        tags: ['invoices'],
        summary: 'Cancel an invoice with a credit note that reverses it (the invoice keeps its number)',
        params,
        body: cancelBody,
        response: { 201: creditNoteOut },
      },
    },
    async (request, reply) => reply.status(201).send(await cancelInvoice(ctx, request.actor!, request.params.number, request.body)),
  );
  app.post(
    '/:number/reissue',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'reissueInvoice',
        tags: ['invoices'],
        summary: 'Issue again an invoice cancelled by mistake (SPEC 9.3): a new number, the same obligation, pointing at the cancelled one',
        params,
        body: cancelBody,
        response: { 201: invoiceOut },
      },
    },
    async (request, reply) => reply.status(201).send(await reissueInvoice(ctx, request.actor!, request.params.number, request.body)),
  );
};
export default invoiceRoutes;
