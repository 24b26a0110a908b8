import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderStatusReportPdf } from '../../../pdf/status-report.js';
import type { Ctx } from '../../../services/context.js';
import { statusOfContributions, statusReportCsv } from '../../../services/reports.js';
import { requireIssuer } from '../../../services/settings.js';
import { READERS } from '../../plugins/auth.js';
import { isoDate, yearParam } from '../../../schemas/common.js';
import { statusReportOut } from '../../../schemas/payments.js';
import { csvText, pdfBody, pdfResponse, sendXlsx, xlsxBody } from '../../schemas/media.js';
import { renderFinancialStatementXlsx, renderStatusReportXlsx } from '../../../xlsx/reports.js';
import { XLSX_MEDIA_TYPE } from '../../../xlsx/workbook.js';
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
          200: {
            description: 'The status of contributions, in the media type the Accept header chose',
            content: {
              'application/json': { schema: statusReportOut },
              'text/csv': { schema: csvText.meta({ description: 'One row per State with the JSON figures, a TOTAL row last' }) },
              'application/pdf': { schema: pdfBody },
              [XLSX_MEDIA_TYPE]: { schema: xlsxBody },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { year, asOf, lang } = request.query;
      reply.header('vary', 'Accept');
      if (request.negotiated === 'text/csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="status-of-contributions-${year}.csv"`)
          .send(statusReportCsv(statusOfContributions(ctx, year, asOf, lang)));
      if (request.negotiated === 'application/pdf') return reply.type('application/pdf').send(await pdf(year, asOf));
      if (request.negotiated === XLSX_MEDIA_TYPE) return sendXlsx(reply, `status-of-contributions-${year}`, await xlsx(year, asOf, lang));
      return statusOfContributions(ctx, year, asOf, lang);
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
    async (request, reply) =>
      reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="status-of-contributions-${request.query.year}.pdf"`)
        .send(await pdf(request.query.year, request.query.asOf)),
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
        response: { 200: { description: 'The status of contributions as an XLSX workbook', content: { [XLSX_MEDIA_TYPE]: { schema: xlsxBody } } } },
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
          200: {
            description: 'The financial statement, in the media type the Accept header chose',
            content: {
              'application/json': { schema: financialStatementOut },
              'text/csv': { schema: csvText.meta({ description: 'One row per figure: section, item, the year, the previous year' }) },
              [XLSX_MEDIA_TYPE]: { schema: xlsxBody },
              'application/pdf': { schema: pdfBody },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { year } = request.query;
      reply.header('vary', 'Accept');
      if (request.negotiated === 'text/csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="financial-statement-${year}.csv"`)
          .send(financialStatementCsv(financialStatement(ctx, year)));
      if (request.negotiated === 'application/pdf') return reply.type('application/pdf').send(await statementPdf(year));
      if (request.negotiated === XLSX_MEDIA_TYPE) {
        const st = financialStatement(ctx, year);
        return sendXlsx(reply, `financial-statement-${year}`, await renderFinancialStatementXlsx(st, financialStatementRows(st)));
      }
      return financialStatement(ctx, year);
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
    async (request, reply) =>
      reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="financial-statement-${request.query.year}.pdf"`)
        .send(await statementPdf(request.query.year)),
  );
};
export default reportRoutes;
