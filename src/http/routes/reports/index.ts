import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderStatusReportPdf } from '../../../pdf/status-report.js';
import type { Ctx } from '../../../services/context.js';
import { statusOfContributions, statusReportCsv } from '../../../services/reports.js';
import { requireIssuer } from '../../../services/settings.js';
import { READERS } from '../../plugins/auth.js';
import { isoDate, yearParam } from '../../../schemas/common.js';
import { statusReportOut } from '../../../schemas/payments.js';
import { pdfResponse, reportResponse, sendPdf, sendReport, sendXlsx, xlsxResponse } from '../../schemas/media.js';
import { renderFinancialStatementXlsx, renderStatusReportXlsx } from '../../../xlsx/reports.js';
import { financialStatement, financialStatementCsv, financialStatementRows } from '../../../services/financial-statement.js';
import { renderFinancialStatementPdf } from '../../../pdf/financial-statement.js';
import { financialStatementOut, financialStatementQuery } from '../../../schemas/financial-statement.js';

const query = z.strictObject({
  year: yearParam,
  asOf: isoDate.optional().meta({ description: 'Default today' }),
  lang: z.enum(['en', 'fr', 'es']).optional().meta({ description: "Language of the State names, which also decides the rows' order (default en; the PDF is in English)" }),
});

const reportRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  const pdf = async (year: number, asOf: string | undefined) =>
    renderStatusReportPdf(statusOfContributions(ctx, year, asOf), requireIssuer(ctx.db));
  const xlsx = async (year: number, asOf: string | undefined, lang: 'en' | 'fr' | 'es' | undefined) =>
    renderStatusReportXlsx(statusOfContributions(ctx, year, asOf, lang));

  app.get(
    '/status-of-contributions',
    {
      config: { access: { roles: READERS }, throws: [404, 409] },
      schema: {
        operationId: 'getStatusOfContributions',
        tags: ['reports'],
        summary: 'Status of contributions for a budget year, as of a date',
        description:
          'JSON by default; `Accept: text/csv` gives CSV (a TOTAL row last), `Accept: application/pdf` the PDF (also at `.pdf`), `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` an XLSX workbook (the same figures as number cells, a TOTAL row, the coverage; also at `.xlsx`). Quality values are respected; an Accept that allows none of the four answers 406.',
        querystring: query,
        response: {
          200: reportResponse('The status of contributions', statusReportOut, { csv: 'One row per State with the JSON figures, a TOTAL row last', pdf: true, xlsx: true }),
        },
      },
    },
    async (request, reply) => {
      const { year, asOf, lang } = request.query;
      return sendReport(request, reply, {
        name: `status-of-contributions-${year}`,
        json: () => statusOfContributions(ctx, year, asOf, lang),
        csv: () => statusReportCsv(statusOfContributions(ctx, year, asOf, lang)),
        pdf: () => pdf(year, asOf),
        xlsx: () => xlsx(year, asOf, lang),
      });
    },
  );

  app.get(
    '/status-of-contributions.pdf',
    {
      config: { access: { roles: READERS }, throws: [404, 409] },
      schema: {
        operationId: 'getStatusOfContributionsPdf',
        tags: ['reports'],
        summary: 'Status of contributions as PDF',
        querystring: query,
        response: { 200: pdfResponse('The status of contributions (in English)') },
      },
    },
    async (request, reply) => sendPdf(reply, `status-of-contributions-${request.query.year}`, await pdf(request.query.year, request.query.asOf)),
  );

  app.get(
    '/status-of-contributions.xlsx',
    {
      config: { access: { roles: READERS }, throws: [404, 409] },
      schema: {
        operationId: 'getStatusOfContributionsXlsx',
        tags: ['reports'],
        summary: 'Status of contributions as XLSX (a download, for links)',
        querystring: query,
        response: { 200: xlsxResponse('The status of contributions as an XLSX workbook') },
      },
    },
    async (request, reply) => sendXlsx(reply, `status-of-contributions-${request.query.year}`, await xlsx(request.query.year, request.query.asOf, request.query.lang)),
  );

  const statementPdf = async (year: number) => renderFinancialStatementPdf(financialStatement(ctx, year), requireIssuer(ctx.db));
  const statementQuery = financialStatementQuery;
  app.get(
    '/financial-statement',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'getFinancialStatement',
        tags: ['reports'],
        summary: 'The annual financial statement (SPEC 9.5): income and expenditure, financial position at 31 December, changes in the reserve, contributions summary; the previous year beside each figure',
        description:
          "Income and expenditure are the postings of entries dated in the year (the period a year's closing carries to the accumulated fund). Every figure is read from the ledger. JSON by default; `Accept: text/csv` gives CSV (one row per figure), `Accept: application/pdf` the PDF (also at `.pdf`), `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` an XLSX workbook (the CSV's rows, figures as number cells).",
        querystring: statementQuery,
        response: {
          200: reportResponse('The financial statement', financialStatementOut, { csv: 'One row per figure: section, item, the year, the previous year', pdf: true, xlsx: true }),
        },
      },
    },
    async (request, reply) => {
      const { year } = request.query;
      return sendReport(request, reply, {
        name: `financial-statement-${year}`,
        json: () => financialStatement(ctx, year),
        csv: () => financialStatementCsv(financialStatement(ctx, year)),
        pdf: () => statementPdf(year),
        xlsx: () => {
          const st = financialStatement(ctx, year);
          return renderFinancialStatementXlsx(st, financialStatementRows(st));
        },
      });
    },
  );
  app.get(
    '/financial-statement.pdf',
    {
      config: { access: { roles: READERS } },
      schema: {
        operationId: 'getFinancialStatementPdf',
        tags: ['reports'],
        summary: 'The annual financial statement as PDF',
        querystring: statementQuery,
        response: { 200: pdfResponse('The financial statement (in English)') },
      },
    },
    async (request, reply) => sendPdf(reply, `financial-statement-${request.query.year}`, await statementPdf(request.query.year)),
  );
};
export default reportRoutes;
