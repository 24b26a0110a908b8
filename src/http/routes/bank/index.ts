import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { ServiceError } from '../../../services/errors.js';
import { getBankAccounts, setBankAccounts } from '../../../services/bank/accounts.js';
import { importBankFile } from '../../../services/bank/import.js';
import { bookBankLine, getBankLine, ignoreBankLine, listBankLines, listBankStatements, matchBankLine } from '../../../services/bank/lines.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import {
  bankAccountsIn,
  bankAccountsOut,
  bankImportOut,
  bankLineBook,
  bankLineIgnore,
  bankLineMatch,
  bankLineOut,
  bankStatementOut,
  lineIdParam,
  lineStatus,
} from '../../../schemas/bank.js';

const XML_TYPES = ['application/xml', 'text/xml'];
const isXml = (contentType: string | undefined) => XML_TYPES.includes((contentType ?? '').split(';')[0]!.trim().toLowerCase());

const bankRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  // Bank files are XML: read as text here only (the other routes keep answering 415 to XML).
  app.addContentTypeParser(XML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get(
    '/accounts',
    {
      config: { access: { roles: ['admin', 'finance'] } },
      schema: {
        operationId: 'getBankAccounts',
        tags: ['bank'],
        summary: "The ISU's bank accounts: operating (default: the issuer's IBAN in CHF) and, if it has one, the reserve's",
        response: { 200: bankAccountsOut },
      },
    },
    async () => getBankAccounts(ctx.db),
  );
  app.put(
    '/accounts',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        operationId: 'setBankAccounts',
        tags: ['bank'],
        summary: "Set the ISU's bank accounts (IBANs checked); audited",
        description: 'Statements are accepted only for these accounts. Without a reserve account the reserve is held on the operating account, whose ledger cash is then 1000 + 1010. (A second admin’s approval, SPEC 9.8, comes later.)',
        body: bankAccountsIn,
        response: { 200: bankAccountsOut },
      },
    },
    async (request) => setBankAccounts(ctx, request.actor!, request.body),
  );

  app.post(
    '/statements',
    {
      config: { access: { roles: FINANCE }, throws: [422] },
      // Before the body is parsed: JSON or text sent here is refused as a media type, not as broken JSON.
      preParsing: async (request, _reply, payload) => {
        if (!isXml(request.headers['content-type']))
          throw new ServiceError(415, 'Unsupported Media Type', 'send the camt.053 or camt.054 file as application/xml', [{ field: 'content-type', message: 'must be application/xml' }]);
        return payload;
      },
      schema: {
        operationId: 'importBankStatement',
        tags: ['bank'],
        summary: 'Import an ISO 20022 camt.053 statement or camt.054 notification (versions 001.02–001.08); all or nothing',
        description:
          'Each booked entry becomes a bank line; a credit whose RF creditor reference is one of our invoices (or reminders) is recorded as a payment at once, the rest waits in GET /bank/lines?status=unmatched. The same file again records nothing: 200 with alreadyImported. A file for another account, malformed XML or an unknown message: 422, nothing written. The closing balance is compared with the ledger’s cash on its date.',
        body: z.string().meta({ description: 'The camt XML file (UTF-8)' }),
        consumes: ['application/xml'],
        response: { 200: bankImportOut, 201: bankImportOut },
      },
    },
    async (request, reply) => {
      const { result, created } = importBankFile(ctx, request.actor!, request.body);
      return reply.status(created ? 201 : 200).send(result);
    },
  );
  app.get(
    '/statements',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'listBankStatements',
        tags: ['bank'],
        summary: 'Statements and notifications imported, with their lines by status and the closing balance against the ledger',
        response: { 200: z.array(bankStatementOut) },
      },
    },
    async () => listBankStatements(ctx),
  );

  app.get(
    '/lines',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'listBankLines',
        tags: ['bank'],
        summary: 'Bank lines (the queue: ?status=unmatched), each with what was done with it, or why it waits and who it may be from',
        querystring: z.strictObject({
          status: lineStatus.optional(),
          statement: z
            .string()
            .regex(/^[1-9][0-9]{0,11}$/)
            .transform((s) => Number.parseInt(s, 10))
            .optional()
            .meta({ description: 'Only the lines of this statement (its id)' }),
        }),
        response: { 200: z.array(bankLineOut) },
      },
    },
    async (request) => listBankLines(ctx, request.query),
  );
  app.get(
    '/lines/:id',
    {
      config: { access: { roles: READERS }, throws: [404] },
      schema: { operationId: 'getBankLine', tags: ['bank'], summary: 'One bank line', params: lineIdParam, response: { 200: bankLineOut } },
    },
    async (request) => getBankLine(ctx, request.params.id),
  );
  app.post(
    '/lines/:id/match',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'matchBankLine',
        tags: ['bank'],
        summary: 'Record a credit line as a payment of a State or donor, with its purpose (and invoice): the line’s amount, value date, currency and bank reference',
        params: lineIdParam,
        body: bankLineMatch,
        response: { 200: bankLineOut },
      },
    },
    async (request) => matchBankLine(ctx, request.actor!, request.params.id, request.body),
  );
  app.post(
    '/lines/:id/book',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409, 422] },
      schema: {
        operationId: 'bookBankLine',
        tags: ['bank'],
        summary: 'Book a line without a payer: a credit as other income (4300), a debit as bank charges (an expenditure)',
        params: lineIdParam,
        body: bankLineBook,
        response: { 200: bankLineOut },
      },
    },
    async (request) => bookBankLine(ctx, request.actor!, request.params.id, request.body),
  );
  app.post(
    '/lines/:id/ignore',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409] },
      schema: {
        operationId: 'ignoreBankLine',
        tags: ['bank'],
        summary: 'Leave a line out of the books, with the reason (nothing is posted)',
        params: lineIdParam,
        body: bankLineIgnore,
        response: { 200: bankLineOut },
      },
    },
    async (request) => ignoreBankLine(ctx, request.actor!, request.params.id, request.body),
  );
};
export default bankRoutes;
