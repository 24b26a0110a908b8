import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { creditNotePdf, creditNoteXml, getCreditNote, listCreditNotes } from '../../../services/invoices.js';
import { scopeOf } from '../../../services/actor.js';
import { READERS } from '../../plugins/auth.js';
import { iso3, yearParam } from '../../../schemas/common.js';
import { creditNoteOut, invoiceNumberParam } from '../../../schemas/invoices.js';
import { pdfResponse, sendXml, xmlResponse } from '../../schemas/media.js';

const params = z.strictObject({ number: invoiceNumberParam });

const creditNoteRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: {
        operationId: 'listCreditNotes',
        tags: ['invoices'],
        summary: 'Credit notes (a State user: its own only)',
        querystring: z.strictObject({ year: yearParam.optional(), state: iso3.optional() }),
        response: { 200: z.array(creditNoteOut) },
      },
    },
    async (request) => listCreditNotes(ctx, request.query, scopeOf(request.actor!)),
  );

  app.get(
    '/:number',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: { operationId: 'getCreditNote', tags: ['invoices'], summary: 'One credit note', params, response: { 200: creditNoteOut } },
    },
    async (request) => getCreditNote(ctx, request.params.number, scopeOf(request.actor!)),
  );

  app.get(
    '/:number/pdf',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404, 409] },
      schema: { operationId: 'getCreditNotePdf', tags: ['invoices'], summary: 'The credit note PDF', params, response: { 200: pdfResponse('The credit note PDF') } },
    },
    async (request, reply) => {
      const { file, sha256 } = await creditNotePdf(ctx, request.params.number, scopeOf(request.actor!));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${request.params.number}.pdf"`)
        .header('etag', `"${sha256}"`)
        .send(fs.createReadStream(file));
    },
  );

  app.get(
    '/:number/xml',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404, 409] },
      schema: {
        operationId: 'getCreditNoteXml',
        tags: ['invoices'],
        summary: 'The credit note as an EN 16931 e-invoice: UN/CEFACT CII XML (type 381, referencing the invoice it credits), from the document as issued',
        params,
        response: { 200: xmlResponse('The credit note as EN 16931 CII XML (rsm:CrossIndustryInvoice, type 381)') },
      },
    },
    async (request, reply) => sendXml(reply, request.params.number, creditNoteXml(ctx, request.params.number, scopeOf(request.actor!))),
  );
};
export default creditNoteRoutes;
