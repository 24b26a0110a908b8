import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assessBudget, createBudget, getBudget, listBudgets, updateBudget } from '../../../services/budgets.js';
import { issueInvoiceBatch } from '../../../services/invoices.js';
import { getSpendingPlan, setSpendingPlan } from '../../../services/cashflow.js';
import { spendingPlanBody, spendingPlanOut } from '../../../schemas/reserve.js';
import type { Ctx } from '../../../services/context.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import { budgetExecution, executionCsv } from '../../../services/budget-lines.js';
import { pdfResponse, reportResponse, sendPdf, sendReport } from '../../schemas/media.js';
import { renderExecutionPdf } from '../../../pdf/budget-execution.js';
import { requireIssuer } from '../../../services/settings.js';
import { renderExecutionXlsx } from '../../../xlsx/reports.js';
import { assessmentOut, executionOut, budgetCreate, budgetOut, budgetPatch, budgetRevisionCreate, revisionOut } from '../../../schemas/budgets.js';
import { reviseBudget } from '../../../services/revisions.js';
import { batchBody, batchOut } from '../../../schemas/invoices.js';
import { isoDate, yearParam } from '../../../schemas/common.js';

const yearParams = z.strictObject({ year: yearParam });
const executionQuery = z.strictObject({ asOf: isoDate.optional().meta({ description: 'Default today' }) });

const budgets: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    { config: { access: { roles: READERS } }, schema: { operationId: 'listBudgets', tags: ['budgets'], summary: 'All budgets', response: { 200: z.array(budgetOut) } } },
    async () => listBudgets(ctx),
  );

  app.post(
    '/',
    {
      config: { access: { roles: FINANCE }, throws: [409] },
      schema: {
        operationId: 'createBudget',
        tags: ['budgets'],
        summary: 'Enter an approved budget with its scheme of categories',
        description:
          'The shares of the categories must sum to exactly 1; the cut-off date may not precede the approval; the scale must exist and have a rate for every assessed State unless `scheme.missingRate` is set.',
        body: budgetCreate,
        response: { 201: budgetOut },
      },
    },
    async (request, reply) => reply.status(201).send(createBudget(ctx, request.actor!, request.body)),
  );

  app.get(
    '/:year',
    {
      config: { access: { roles: READERS }, throws: [404] },
      schema: { operationId: 'getBudget', tags: ['budgets'], summary: 'A budget', params: yearParams, response: { 200: budgetOut } },
    },
    async (request) => getBudget(ctx, request.params.year),
  );

  app.patch(
    '/:year',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409] },
      schema: {
        operationId: 'updateBudget',
        tags: ['budgets'],
        summary: 'Correct a budget before it is invoiced (afterwards 409, but for the decision reference)',
        params: yearParams,
        body: budgetPatch,
        response: { 200: budgetOut },
      },
    },
    async (request) => updateBudget(ctx, request.actor!, request.params.year, request.body),
  );

  app.post(
    '/:year/invoices',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409] },
      schema: {
        operationId: 'issueInvoices',
        tags: ['invoices'],
        summary: 'Issue the invoice batch of a budget: one per assessed State; idempotent',
        description:
          'Each invoice commits in its own transaction with its journal entry and PDF hash; a second run issues only what is missing. The first invoice freezes the assessment.',
        params: yearParams,
        body: batchBody.nullish(),
        response: { 200: batchOut },
      },
    },
    async (request) => issueInvoiceBatch(ctx, request.actor!, request.params.year, { issueDate: request.body?.issueDate }),
  );

  app.get(
    '/:year/spending-plan',
    {
      config: { access: { roles: READERS }, throws: [404] },
      schema: { operationId: 'getSpendingPlan', tags: ['reserve'], summary: 'Monthly spending plan (default budget ÷ 12)', params: yearParams, response: { 200: spendingPlanOut } },
    },
    async (request) => getSpendingPlan(ctx, request.params.year),
  );
  app.put(
    '/:year/spending-plan',
    {
      config: { access: { roles: FINANCE }, throws: [404] },
      schema: { operationId: 'setSpendingPlan', tags: ['reserve'], summary: 'Set the monthly spending plan: 12 amounts, January to December', params: yearParams, body: spendingPlanBody, response: { 200: spendingPlanOut } },
    },
    async (request) => setSpendingPlan(ctx, request.actor!, request.params.year, request.body.months),
  );

  app.get(
    '/:year/assessment',
    {
      config: { access: { roles: READERS }, throws: [404, 422] },
      schema: {
        operationId: 'getAssessment',
        tags: ['budgets'],
        summary: "Every assessed State's contribution, exact to the centime",
        description:
          'Category totals by round-half-even (the last takes the remainder); exact shares with 40 significant digits; largest-remainder rounding with ties to the alphabetically first ISO3. Rows sorted by ISO3.',
        params: yearParams,
        querystring: z.strictObject({
          version: z.coerce.number().int().min(1).optional().meta({ description: 'A version of the budget (1: as adopted); default the version in force' }),
        }),
        response: { 200: assessmentOut },
      },
    },
    async (request) => assessBudget(ctx, request.params.year, request.query.version),
  );

  app.get(
    '/:year/execution',
    {
      config: { access: { roles: READERS }, throws: [404, 409] },
      schema: {
        operationId: 'getBudgetExecution',
        tags: ['reports'],
        summary: 'Budget execution: per line approved, revised, spent, remaining and % spent, as of a date',
        description:
          'Revised: the latest version approved on or before `asOf`. Spent: the expenditures of the budget year dated on or before `asOf`, net of their reversals dated then. An uncoded row holds expenditures without a line. JSON by default; `Accept: text/csv` gives CSV (a TOTAL row last), `Accept: application/pdf` the PDF (in English, also at `.pdf`), `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` an XLSX workbook (the same figures as number cells, a TOTAL row).',
        params: yearParams,
        querystring: executionQuery,
        response: {
          200: reportResponse('The budget execution', executionOut, { csv: 'One row per line with the JSON figures, a TOTAL row last', pdf: true, xlsx: true }),
        },
      },
    },
    async (request, reply) => {
      const report = budgetExecution(ctx, request.params.year, request.query.asOf);
      return sendReport(request, reply, {
        name: `budget-execution-${request.params.year}`,
        json: () => report,
        csv: () => executionCsv(report),
        pdf: () => renderExecutionPdf(report, requireIssuer(ctx.db)),
        xlsx: () => renderExecutionXlsx(report),
      });
    },
  );

  app.get(
    '/:year/execution.pdf',
    {
      config: { access: { roles: READERS }, throws: [404, 409] },
      schema: {
        operationId: 'getBudgetExecutionPdf',
        tags: ['reports'],
        summary: 'Budget execution as PDF (in English; for links)',
        params: yearParams,
        querystring: executionQuery,
        response: { 200: pdfResponse('The budget execution') },
      },
    },
    async (request, reply) =>
      sendPdf(reply, `budget-execution-${request.params.year}`, await renderExecutionPdf(budgetExecution(ctx, request.params.year, request.query.asOf), requireIssuer(ctx.db))),
  );

  app.post(
    '/:year/revisions',
    {
      config: { access: { roles: FINANCE }, throws: [404, 409] },
      schema: {
        operationId: 'reviseBudget',
        tags: ['budgets'],
        summary: 'Revise an invoiced budget: version n+1, supplementary invoices and partial credit notes for each State’s difference; idempotent',
        description:
          'Nothing issued is edited. Each State’s revised assessment is compared with what its live invoices of the year come to: what rises is invoiced on a supplementary invoice (kind `supplementary`, pointing at its invoice), what falls is credited on partial credit notes, the latest invoice first; PDFs in the State’s language. Posting the same decision with the same figures again issues only what is missing (200, `replayed: true`). A budget not yet invoiced is corrected with PATCH instead (409).',
        params: yearParams,
        body: budgetRevisionCreate,
        response: { 200: revisionOut, 201: revisionOut },
      },
    },
    async (request, reply) => {
      const r = await reviseBudget(ctx, request.actor!, request.params.year, request.body);
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );
};
export default budgets;
