/**
 * The reports page (SPEC 4, 6, 9.5, 9.9): every report the API offers —
 * status of contributions, budget execution, financial statement, statement
 * of account of a State Party, register of States Parties — in each format
 * the API gives it (PDF, XLSX, CSV, JSON), for a year, an as-at date and a
 * State Party chosen in a GET form (so the page's URL can be bookmarked and
 * shared). The downloads are page routes (/reports/<report>.<format>,
 * authenticated by the session, not a token) that render the same documents
 * with the same services and renderers as the API routes. For finance, the
 * Presidency and auditors (the API's readers); no write form at all. Other
 * roles get the 403 page, a State user the 404 page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import { renderExecutionPdf } from '../../pdf/budget-execution.js';
import { renderFinancialStatementPdf } from '../../pdf/financial-statement.js';
import { formatDate } from '../../pdf/i18n.js';
import { renderStatementPdf } from '../../pdf/statement.js';
import { renderStatusReportPdf } from '../../pdf/status-report.js';
import type { Role } from '../../services/actor.js';
import { getStatement } from '../../services/accounts.js';
import { budgetExecution, executionCsv } from '../../services/budget-lines.js';
import { listBudgets } from '../../services/budgets.js';
import type { Ctx } from '../../services/context.js';
import { financialStatement, financialStatementCsv, financialStatementRows } from '../../services/financial-statement.js';
import { statusOfContributions, statusReportCsv } from '../../services/reports.js';
import { requireIssuer } from '../../services/settings.js';
import { listStates, statesCsv } from '../../services/states.js';
import { renderExecutionXlsx, renderFinancialStatementXlsx, renderStatementXlsx, renderStatusReportXlsx } from '../../xlsx/reports.js';
import { XLSX_MEDIA_TYPE } from '../../xlsx/workbook.js';
import { ADMIN_TEXT } from './admin-text.js';
import { pageLang, stateChoices } from './admin.js';
import { dateField, FORM_TEXT, formState, hiddenField, pageViewer, selectField, withLang, type FormLang } from './forms.js';
import { pageOf, sendHtml, type Viewer } from './guard.js';
import { html, layout, messagePage, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { REPORTS_TEXT, type ReportFormat, type ReportId } from './reports-text.js';

/** Who reads the reports: finance, the Presidency, the auditors (the API's READERS). */
export const REPORT_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];

registerPage({ path: '/reports', key: 'reports', roles: REPORT_ROLES });

/** Each report and the formats the API gives it in, in the order offered. */
export const REPORT_FORMATS: Record<ReportId, readonly ReportFormat[]> = {
  status: ['pdf', 'xlsx', 'csv', 'json'],
  execution: ['pdf', 'xlsx', 'csv', 'json'],
  statement: ['pdf', 'xlsx', 'csv', 'json'],
  account: ['pdf', 'xlsx', 'json'],
  register: ['csv', 'json'],
};

/** The file name of each report on the page routes (/reports/<file>.<format>), and the API route it mirrors. */
const FILES: Record<ReportId, string> = {
  status: 'status-of-contributions',
  execution: 'budget-execution',
  statement: 'financial-statement',
  account: 'statement-of-account',
  register: 'states-parties',
};
const BY_FILE = new Map(Object.entries(FILES).map(([id, file]) => [file, id as ReportId]));

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const reportQuery = z.object({
  year: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9]{4}$/).optional()),
  asOf: z.preprocess(emptyToUndefined, z.string().refine(isIsoDate).optional()),
  state: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Z]{3}$/).optional()),
  from: z.preprocess(emptyToUndefined, z.string().refine(isIsoDate).optional()),
  to: z.preprocess(emptyToUndefined, z.string().refine(isIsoDate).optional()),
  lang: z.string().optional(),
});
type ReportQuery = z.infer<typeof reportQuery>;

interface Params {
  year: number;
  asOf: string;
  state: string | undefined;
  from: string;
  to: string;
}

function paramsOf(ctx: Ctx, q: ReportQuery): Params {
  const today = todayUtc();
  const years = listBudgets(ctx).map((b) => b.year);
  const year = q.year !== undefined ? Number.parseInt(q.year, 10) : years.length ? Math.max(...years) : Number.parseInt(today.slice(0, 4), 10);
  return { year, asOf: q.asOf ?? today, state: q.state, from: q.from ?? `${year}-01-01`, to: q.to ?? today };
}

/** The URL of a download: the report's page route with the parameters it reads. */
function downloadUrl(id: ReportId, format: ReportFormat, p: Params, lang: FormLang): string {
  const s = new URLSearchParams();
  if (id === 'account') {
    s.set('state', p.state ?? '');
    s.set('from', p.from);
    s.set('to', p.to);
  } else {
    s.set('year', String(p.year));
    if (id === 'status' || id === 'execution') s.set('asOf', p.asOf);
  }
  if (id === 'status' && lang !== 'en') s.set('lang', lang);
  return `/reports/${FILES[id]}.${format}?${s.toString()}`;
}

function renderReports(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, p: Params): string {
  const t = REPORTS_TEXT[lang];
  const budgets = listBudgets(ctx)
    .map((b) => b.year)
    .sort((a, b) => b - a);
  const years = [...new Set([...budgets, p.year])].sort((a, b) => b - a);
  const choices = stateChoices(ctx, lang);
  const f = formState(lang, { year: String(p.year), asOf: p.asOf, state: p.state ?? '', from: p.from, to: p.to }, {}, 'rep');
  const form = html`<form method="get" action="/reports" class="filters" aria-label="${t.paramsTitle}">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(f, { name: 'year', label: t.fieldYear, options: years.map((y) => ({ value: String(y), label: String(y) })), noOptionalMark: true })}
${dateField(f, { name: 'asOf', label: t.fieldAsOf, hint: t.hintAsOf, noOptionalMark: true })}
${selectField(f, { name: 'state', label: t.fieldState, hint: t.hintState, options: [{ value: '', label: t.chooseState }, ...choices.map((s) => ({ value: s.iso3, label: s.name }))], noOptionalMark: true })}
${dateField(f, { name: 'from', label: t.fieldFrom, noOptionalMark: true })}
${dateField(f, { name: 'to', label: t.fieldTo, noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.submit}</button> <a href="${withLang('/reports', lang)}">${t.reset}</a></div>
</form>`;
  const date = (iso: string) => formatDate(iso, lang);
  const stateName = p.state ? (choices.find((s) => s.iso3 === p.state)?.name ?? p.state) : '';
  const card = (id: ReportId, about: string, available: boolean, missing?: string): SafeHtml =>
    html`<section class="panel" id="report-${id}" aria-labelledby="h-${id}"><h2 id="h-${id}">${t.names[id]}</h2>${about ? html`<p class="explain">${about}</p>` : ''}${
      available
        ? html`<div class="downloads">${REPORT_FORMATS[id].map(
            (fmt) => html`<a href="${downloadUrl(id, fmt, p, lang)}" data-format="${fmt}" aria-label="${t.downloadOf(t.formats[fmt], t.names[id])}"${fmt === 'pdf' ? '' : html` download`}>${t.formats[fmt]}</a> `,
          )}</div>`
        : html`<p class="muted">${missing}</p>`
    }</section>`;
  const y = String(p.year);
  const body = html`<h1>${t.title}</h1><p class="lead">${t.lead}</p>
${viewer.role === 'auditor' ? html`<p><a href="${withLang('/audit', lang)}">${ADMIN_TEXT[lang].auditLink}</a></p>` : ''}
${budgets.length ? '' : html`<p class="notice">${t.noBudget}</p>`}
<section class="panel" aria-labelledby="h-params"><h2 id="h-params">${t.paramsTitle}</h2>${form}</section>
<div class="grid">
${card('status', t.about.status(y, date(p.asOf)), true)}
${card('execution', t.about.execution(y, date(p.asOf)), true)}
${card('statement', t.about.statement(y, ''), true)}
${card('account', p.state ? t.about.account(stateName, date(p.from), date(p.to)) : '', p.state !== undefined, t.accountNeedsState)}
${card('register', t.about.register(y, ''), true)}
</div>`;
  return layout({ lang, url: request.url, user: viewer }, { title: t.title, active: '/reports', body });
}

// ---------------------------------------------------------------- downloads

interface Download {
  type: string;
  disposition: 'inline' | 'attachment';
  name: string;
  body: Buffer | string;
}

/** A report in a format, rendered by the same services and renderers as the API route it mirrors. */
async function renderDownload(ctx: Ctx, id: ReportId, format: ReportFormat, p: Params, lang: FormLang): Promise<Download | null> {
  if (!REPORT_FORMATS[id].includes(format)) return null;
  const json = (name: string, value: unknown): Download => ({ type: 'application/json; charset=utf-8', disposition: 'attachment', name: `${name}.json`, body: JSON.stringify(value) });
  const csv = (name: string, text: string): Download => ({ type: 'text/csv; charset=utf-8', disposition: 'attachment', name: `${name}.csv`, body: text });
  const pdf = (name: string, bytes: Buffer): Download => ({ type: 'application/pdf', disposition: 'inline', name: `${name}.pdf`, body: bytes });
  const xlsx = (name: string, bytes: Buffer): Download => ({ type: XLSX_MEDIA_TYPE, disposition: 'attachment', name: `${name}.xlsx`, body: bytes });
  switch (id) {
    case 'status': {
      const name = `status-of-contributions-${p.year}`;
      // The PDF is in English (as the API's); the other formats name the States in the page's language, as the API's ?lang=.
      if (format === 'pdf') return pdf(name, await renderStatusReportPdf(statusOfContributions(ctx, p.year, p.asOf), requireIssuer(ctx.db)));
      const report = statusOfContributions(ctx, p.year, p.asOf, lang);
      if (format === 'xlsx') return xlsx(name, await renderStatusReportXlsx(report));
      if (format === 'csv') return csv(name, statusReportCsv(report));
      return json(name, report);
    }
    case 'execution': {
      const name = `budget-execution-${p.year}`;
      const report = budgetExecution(ctx, p.year, p.asOf);
      if (format === 'pdf') return pdf(name, await renderExecutionPdf(report, requireIssuer(ctx.db)));
      if (format === 'xlsx') return xlsx(name, await renderExecutionXlsx(report));
      if (format === 'csv') return csv(name, executionCsv(report));
      return json(name, report);
    }
    case 'statement': {
      const name = `financial-statement-${p.year}`;
      const st = financialStatement(ctx, p.year);
      if (format === 'pdf') return pdf(name, await renderFinancialStatementPdf(st, requireIssuer(ctx.db)));
      if (format === 'xlsx') return xlsx(name, await renderFinancialStatementXlsx(st, financialStatementRows(st)));
      if (format === 'csv') return csv(name, financialStatementCsv(st));
      return json(name, st);
    }
    case 'account': {
      if (!p.state) return null;
      const doc = getStatement(ctx, p.state, p.from, p.to);
      const name = `statement-${doc.iso3}-${doc.from}-${doc.to}`;
      if (format === 'pdf') return pdf(name, await renderStatementPdf(doc, requireIssuer(ctx.db)));
      if (format === 'xlsx') return xlsx(name, await renderStatementXlsx(doc));
      return json(name, doc);
    }
    case 'register': {
      if (format === 'csv') return csv('states', statesCsv(listStates(ctx)));
      return json('states', listStates(ctx, p.year));
    }
  }
}

export default async function reportPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const refuse = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang, status: number, message: string) =>
    sendHtml(reply, status, messagePage(pageOf(request, viewer), status === 404 ? FORM_TEXT[lang].notFoundTitle : FORM_TEXT[lang].refusedTitle, message, { href: withLang('/reports', lang), text: REPORTS_TEXT[lang].title }));

  app.get('/reports', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: REPORT_ROLES, lang });
    if (!viewer) return reply;
    const q = reportQuery.safeParse(request.query ?? {});
    if (!q.success) return refuse(request, reply, viewer, lang, 400, REPORTS_TEXT[lang].badQuery);
    return sendHtml(reply, 200, renderReports(ctx, request, viewer, lang, paramsOf(ctx, q.data)));
  });

  app.get('/reports/:file', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: REPORT_ROLES, lang });
    if (!viewer) return reply;
    const m = /^([a-z-]+)\.(pdf|xlsx|csv|json)$/.exec((request.params as { file?: string }).file ?? '');
    const id = m ? BY_FILE.get(m[1]!) : undefined;
    if (!m || !id) return refuse(request, reply, viewer, lang, 404, REPORTS_TEXT[lang].notFound);
    const q = reportQuery.safeParse(request.query ?? {});
    if (!q.success) return refuse(request, reply, viewer, lang, 400, REPORTS_TEXT[lang].badQuery);
    const d = await renderDownload(ctx, id, m[2] as ReportFormat, paramsOf(ctx, q.data), lang);
    if (!d) return refuse(request, reply, viewer, lang, id === 'account' ? 400 : 404, id === 'account' ? REPORTS_TEXT[lang].accountNeedsState : REPORTS_TEXT[lang].notFound);
    return reply.status(200).type(d.type).header('content-disposition', `${d.disposition}; filename="${d.name}"`).send(d.body);
  });
}
