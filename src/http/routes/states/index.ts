import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { ValidationError } from '../../../services/errors.js';
import { createState, getState, importStates, listStates, parseStatesCsv, statesCsv, updateState } from '../../../services/states.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { iso3, isoDate, yearParam } from '../../../schemas/common.js';
import { fastSerializerCompiler } from '../../schemas/fast-serializer.js';
import { balanceOut, creditApply, creditReclassify, statementOut } from '../../../schemas/payments.js';
import { todayUtc } from '../../../domain/dates.js';
import { renderStatementPdf } from '../../../pdf/statement.js';
import { getBalance, getStatement } from '../../../services/accounts.js';
import { applyCredit, reclassifyCredit } from '../../../services/payments.js';
import { requireIssuer } from '../../../services/settings.js';
import { stateCreate, stateImport, stateOut, statePatch } from '../../../schemas/states.js';
import { pdfResponse, reportResponse, sendPdf, sendReport, sendXlsx, xlsxResponse } from '../../schemas/media.js';
import { renderStatementXlsx } from '../../../xlsx/reports.js';

const isCsv = (contentType: string | undefined) => /^text\/(csv|plain)\b/.test(contentType ?? '');

const states: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'listStates',
        tags: ['states'],
        summary: 'The register of States Parties',
        description:
          'JSON by default; `Accept: text/csv` gives the register in the CSV format `POST /api/v1/states/import` reads (its columns and the optional addressing ones; `entry_into_force` only where it is explicit).',
        querystring: z.strictObject({ year: yearParam.optional().meta({ description: 'Adds `assessed` for budget year Y (membership on 1 January)' }) }),
        response: { 200: reportResponse('The register of States Parties', z.array(stateOut), { csv: 'One row per State, in the import format' }) },
      },
    },
    async (request, reply) =>
      sendReport(request, reply, { name: 'states', json: () => listStates(ctx, request.query.year), csv: () => statesCsv(listStates(ctx)) }),
  );

  app.post(
    '/',
    {
      config: { access: { roles: FINANCE }, throws: [409] },
      schema: {
        operationId: 'createState',
        tags: ['states'],
        summary: 'Add a State to the register (entry into force computed by Article 17 unless given)',
        body: stateCreate,
        response: { 201: stateOut },
      },
    },
    async (request, reply) => reply.status(201).send(createState(ctx, request.actor!, request.body)),
  );

  app.post(
    '/import',
    {
      config: { access: { roles: FINANCE }, throws: [409] },
      preValidation: async (request) => {
        if (isCsv(request.headers['content-type'])) {
          const { states: parsed, errors } = parseStatesCsv(String(request.body ?? ''));
          if (errors.length) throw new ValidationError(errors);
          request.body = { states: parsed } as typeof request.body;
        }
      },
      schema: {
        operationId: 'importStates',
        tags: ['states'],
        summary: 'Import many States at once, all or nothing',
        description:
          'JSON `{states:[…]}` or `text/csv` with the header `iso3,name_en,name_fr,name_es,un_member,instrument,deposit_date,language[,entry_into_force]` and the optional columns `formal_en,article_en,formal_fr,article_fr,formal_es,article_es,number_locale,mission_street,mission_building,mission_postcode,mission_city,mission_country`; in a CSV, `states.N` is line N+2.',
        body: stateImport,
        consumes: ['application/json', 'text/csv'],
        response: { 201: z.object({ imported: z.int(), states: z.array(stateOut) }) },
      },
    },
    async (request, reply) => {
      const imported = importStates(ctx, request.actor!, request.body.states);
      return reply.status(201).send({ imported: imported.length, states: imported });
    },
  );

  app.get(
    '/:iso3',
    {
      config: { access: { roles: READERS, ownState: 'param' }, throws: [404] },
      schema: {
        operationId: 'getState',
        tags: ['states'],
        summary: 'One State, with its computed entry into force',
        params: z.strictObject({ iso3 }),
        querystring: z.strictObject({ year: yearParam.optional() }),
        response: { 200: stateOut },
      },
    },
    async (request) => getState(ctx, request.params.iso3, request.query.year === undefined ? undefined : `${request.query.year}-01-01`),
  );

  const own = { access: { roles: READERS, ownState: 'param' as const } };
  const iso3Params = z.strictObject({ iso3 });

  app.get(
    '/:iso3/balance',
    {
      config: { ...own, throws: [404] },
      schema: {
        operationId: 'getBalance',
        tags: ['accounts'],
        summary: "A State's balance as of a date (default today), from the ledger",
        params: iso3Params,
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { 200: balanceOut },
      },
      // The most read route (missions, dashboards): the compiled serializer instead of a zod encode per answer.
      serializerCompiler: fastSerializerCompiler,
    },
    async (request) => getBalance(ctx, request.params.iso3, request.query.asOf),
  );

  const statementQuery = z.strictObject({ from: isoDate, to: isoDate.optional().meta({ description: 'Default today' }) });
  app.get(
    '/:iso3/statement',
    {
      config: { ...own, throws: [404, 409, 422] },
      schema: {
        operationId: 'getStatement',
        tags: ['accounts'],
        summary: 'Statement of account for a period',
        description:
          'JSON by default; `Accept: application/pdf` gives the PDF (in the State’s language, also at `.pdf`), `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` an XLSX workbook (the opening balance, the lines with debit, credit and running balance as number cells, the closing balance; also at `.xlsx`). An Accept that allows none of the three answers 406.',
        params: iso3Params,
        querystring: statementQuery,
        response: { 200: reportResponse('The statement of account', statementOut, { pdf: true, xlsx: true }) },
      },
    },
    async (request, reply) => {
      const doc = getStatement(ctx, request.params.iso3, request.query.from, request.query.to ?? todayUtc());
      return sendReport(request, reply, {
        name: `statement-${doc.iso3}-${doc.from}-${doc.to}`,
        json: () => doc,
        pdf: () => renderStatementPdf(doc, requireIssuer(ctx.db)),
        xlsx: () => renderStatementXlsx(doc),
      });
    },
  );

  app.get(
    '/:iso3/statement.xlsx',
    {
      config: { ...own, throws: [404, 422] },
      schema: {
        operationId: 'getStatementXlsx',
        tags: ['accounts'],
        summary: 'Statement of account as XLSX (a download, for links)',
        params: iso3Params,
        querystring: statementQuery,
        response: { 200: xlsxResponse('The statement of account as an XLSX workbook') },
      },
    },
    async (request, reply) => {
      const doc = getStatement(ctx, request.params.iso3, request.query.from, request.query.to ?? todayUtc());
      return sendXlsx(reply, `statement-${doc.iso3}-${doc.from}-${doc.to}`, await renderStatementXlsx(doc));
    },
  );

  app.get(
    '/:iso3/statement.pdf',
    {
      config: { ...own, throws: [404, 409, 422] },
      schema: {
        operationId: 'getStatementPdf',
        tags: ['accounts'],
        summary: "Statement of account as PDF, in the State's language",
        params: iso3Params,
        querystring: statementQuery,
        response: { 200: pdfResponse('The statement of account') },
      },
    },
    async (request, reply) => {
      const doc = getStatement(ctx, request.params.iso3, request.query.from, request.query.to ?? todayUtc());
      return sendPdf(reply, `statement-${doc.iso3}-${doc.from}-${doc.to}`, await renderStatementPdf(doc, requireIssuer(ctx.db)));
    },
  );

  app.post(
    '/:iso3/credit/apply',
    {
      config: { access: { roles: FINANCE }, throws: [404] },
      schema: {
        operationId: 'applyCredit',
        tags: ['accounts'],
        summary: "Apply the State's unapplied credit to one of its invoices (7(a) before 7(b))",
        params: iso3Params,
        body: creditApply,
        response: {
          200: z.object({
            iso3: z.string(),
            invoice: z.string(),
            applied: z.string(),
            applications: z.array(z.object({ category: z.string(), amount: z.string() })),
            unappliedCredit: z.string(),
          }),
        },
      },
    },
    async (request) => applyCredit(ctx, request.actor!, request.params.iso3, request.body),
  );

  app.post(
    '/:iso3/credit/reclassify',
    {
      config: { access: { roles: FINANCE }, throws: [404] },
      schema: {
        operationId: 'reclassifyCredit',
        tags: ['accounts'],
        summary: 'Reclassify unapplied credit as a voluntary contribution or a contribution to the reserve',
        params: iso3Params,
        body: creditReclassify,
        response: {
          200: z.object({ id: z.int(), iso3: z.string(), amount: z.string(), to: z.enum(['voluntary', 'reserve']), date: z.string(), unappliedCredit: z.string() }),
        },
      },
    },
    async (request) => reclassifyCredit(ctx, request.actor!, request.params.iso3, request.body),
  );

  app.patch(
    '/:iso3',
    {
      config: { access: { roles: FINANCE }, throws: [404] },
      schema: {
        operationId: 'updateState',
        tags: ['states'],
        summary: 'Update a State (there is no delete: record a withdrawal)',
        params: z.strictObject({ iso3 }),
        body: statePatch,
        response: { 200: stateOut },
      },
    },
    async (request) => updateState(ctx, request.actor!, request.params.iso3, request.body),
  );
};
export default states;
