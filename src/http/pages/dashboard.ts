/**
 * /dashboard (SPEC 5): the Presidency's view of a budget year, as of a date —
 * budget, assessed, received; coverage with and without contributions in
 * excess of assessment; who paid in full, in part, nothing; concentration of
 * receipts; arrears by year; the reserve against its target; the cash-flow
 * outlook; year on year. Every figure comes from the services the API uses
 * (status of contributions, reserve, cash flow), so the page and the API agree.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { todayUtc } from '../../domain/dates.js';
import { Dec } from '../../domain/money.js';
import { formatIban } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';
import { listStates } from '../../services/states.js';
import { listBudgets } from '../../services/budgets.js';
import { cashflowOutlook, reserveWithProposal } from '../../services/cashflow.js';
import type { Ctx } from '../../services/context.js';
import { statusOfContributions, statusReportCsv, type StatusReport } from '../../services/reports.js';
import { pendingIssuerChange, type IssuerChangeOut } from '../../services/settings.js';
import type { CashflowOut, ReserveOut } from '../../services/reserve-types.js';
import { isoDate, yearParam } from '../../schemas/common.js';
import { barChart, cashflowChart, COLORS, hbarChart, stackedBar } from './charts.js';
import { DASHBOARD_ROLES, pageOf, requireViewer, sendHtml } from './guard.js';
import { colon, fmt, t, type Catalogue, type Formatters } from './i18n/index.js';
import { budgetExecution } from '../../services/budget-lines.js';
import type { ExecutionOut } from '../../schemas/budgets.js';
import { addMoney, html, layout, messagePage, percentOf, scrollTable, subMoney, type PageCtx, type SafeHtml } from './html.js';

export const dashboardQuery = z.object({ year: yearParam.optional(), asOf: isoDate.optional() });

export interface YearFigures {
  year: number;
  cutoffDate: string;
  budget: string;
  assessed: string;
  /** Collected on the year's assessments (SPEC 9.1 `collected`). */
  paid: string;
  /** Money received in the year not applied to any invoice (`inExcess`). */
  excess: string;
  outstanding: string;
  /** Earlier years still unpaid at the as-of date (`priorOutstanding`). */
  arrearsBefore: string;
  /** paid + excess */
  received: string;
  /** paid ÷ budget, percent with one decimal (the report's coverage). */
  coverage: string;
  /** (paid + excess) ÷ budget. */
  coverageWithExcess: string;
  counts: StatusReport['counts'];
}

export function yearFigures(r: StatusReport): YearFigures & { asOf: string } {
  return {
    year: r.year,
    asOf: r.asOf,
    cutoffDate: r.cutoffDate,
    budget: r.budget,
    assessed: r.totals.assessed,
    paid: r.totals.collected,
    excess: r.totals.inExcess,
    outstanding: r.totals.outstanding,
    arrearsBefore: r.totals.priorOutstanding,
    received: addMoney(r.totals.collected, r.totals.inExcess),
    coverage: r.coverage.collectedPercent,
    coverageWithExcess: r.coverage.withExcessPercent,
    counts: r.counts,
  };
}

export interface Concentration {
  /** Receipts from States Parties: assessed paid + in excess, for the year. */
  total: string;
  contributors: number;
  top: { iso3: string; name: string; amount: string; share: string }[];
  /** Share of the top five (or fewer) in percent. */
  topShare: string;
  rest: string;
}

/** Share of the year's receipts (paid + excess per State) from the five largest contributors. */
export function concentration(r: StatusReport, n = 5): Concentration {
  const receipts = r.rows
    .map((row) => ({ iso3: row.iso3, name: row.name, amount: addMoney(row.collected, row.inExcess) }))
    .filter((x) => new Dec(x.amount).gt(0))
    .sort((a, b) => new Dec(b.amount).cmp(new Dec(a.amount)) || a.name.localeCompare(b.name, 'en'));
  const total = addMoney(...receipts.map((x) => x.amount));
  const top = receipts.slice(0, n).map((x) => ({ ...x, share: percentOf(x.amount, total) }));
  const topSum = addMoney(...top.map((x) => x.amount));
  return { total, contributors: receipts.length, top, topShare: percentOf(topSum, total), rest: subMoney(total, topSum) };
}

export interface DashboardData {
  years: number[];
  year: number;
  asOf: string;
  decisionRef: string;
  report: StatusReport;
  figures: YearFigures;
  concentration: Concentration;
  /** Outstanding of each budget year up to the chosen one, as of the date; `arrears` when its cut-off date has passed. */
  byYear: { year: number; outstanding: string; arrears: boolean }[];
  /** Each budget year as of its year end (or the date, when earlier); asOf of each in `asOf` of its figures. */
  history: (YearFigures & { asOf: string })[];
  reserve: ReserveOut | { error: string };
  cashflow: CashflowOut | { error: string };
  /** Budget execution of the year as of the date (SPEC 9.5). */
  execution: ExecutionOut | { error: string };
  /** The States' names in each page language (the register's name_fr / name_es; English when it has none). */
  names: Map<string, Record<Lang, string>>;
}

function attempt<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export function dashboardData(ctx: Ctx, q: { year?: number | undefined; asOf?: string | undefined }): DashboardData | null {
  const budgets = listBudgets(ctx);
  if (budgets.length === 0) return null;
  const asOf = q.asOf ?? todayUtc();
  const budget = q.year === undefined ? budgets[budgets.length - 1]! : budgets.find((b) => b.year === q.year);
  if (!budget) return null;
  const reports = new Map(budgets.map((b) => [b.year, statusOfContributions(ctx, b.year, asOf)]));
  const report = reports.get(budget.year)!;
  // Year on year: each budget year at its own year end (or as of the date, if earlier), so that
  // receipts and excess are those of that year and not of everything received since.
  const yearEnd = (y: number) => (`${y}-12-31` < asOf ? `${y}-12-31` : asOf);
  const history = budgets
    .filter((b) => `${b.year - 1}-12-31` < asOf || b.year === budget.year)
    .map((b) => yearFigures(yearEnd(b.year) === asOf ? reports.get(b.year)! : statusOfContributions(ctx, b.year, yearEnd(b.year))));
  return {
    years: budgets.map((b) => b.year),
    year: budget.year,
    asOf,
    decisionRef: budget.decisionRef,
    report,
    figures: yearFigures(report),
    concentration: concentration(report),
    byYear: budgets
      .filter((b) => b.year <= budget.year)
      .map((b) => ({ year: b.year, outstanding: reports.get(b.year)!.totals.outstanding, arrears: b.cutoffDate < asOf })),
    history,
    reserve: attempt(() => reserveWithProposal(ctx, asOf)),
    cashflow: attempt(() => cashflowOutlook(ctx, budget.year, asOf)),
    execution: attempt(() => budgetExecution(ctx, budget.year, asOf)),
    names: new Map(listStates(ctx).map((s) => [s.iso3, { en: s.names.en, fr: s.names.fr ?? s.names.en, es: s.names.es ?? s.names.en }])),
  };
}

// ------------------------------------------------------------------ rendering

/** What every panel needs: the data, the catalogue and the formatters of the page's language. */
interface R {
  d: DashboardData;
  m: Catalogue['dashboard'];
  c: Catalogue['common'];
  f: Formatters;
}

function kpi(label: string, value: string, figure: string, note?: SafeHtml | string, cls = ''): SafeHtml {
  return html`<li class="kpi ${cls}"><div class="label">${label}</div><div class="value" data-figure="${figure}">${value}</div>${note ? html`<div class="note">${note}</div>` : ''}</li>`;
}

/** A chart that gives way to its table on a narrow screen (`wide`: below 60rem, else below 40rem). */
function chartFigure(r: R, chart: SafeHtml, wide = false): SafeHtml {
  return html`<p class="chart-note${wide ? ' for-wide' : ''}">${r.c.chartGivesWay}</p><figure class="chart${wide ? ' wide-chart' : ''}">${chart}</figure>`;
}

function coveragePanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  const f = d.figures;
  const gap = new Dec(f.budget).minus(new Dec(f.received));
  const segments = [
    { label: m.paidSegment, value: f.paid, color: COLORS.paid, text: `${x.chf(f.paid)} · ${x.pct(f.coverage)}` },
    { label: m.excessSegment, value: f.excess, color: COLORS.excess, text: `${x.chf(f.excess)} · ${x.pct(percentOf(f.excess, f.budget))}` },
    ...(gap.gt(0) ? [{ label: m.notCovered, value: gap.toFixed(2), color: COLORS.gap, text: `${x.chf(gap.toFixed(2))} · ${x.pct(percentOf(gap.toFixed(2), f.budget))}` }] : []),
  ];
  return html`<section class="panel wide" aria-labelledby="h-coverage">
<h2 id="h-coverage">${m.coverageHeading(d.year)}</h2>
<p class="explain">${m.coverageExplain(d.year, x.pct(f.coverage), x.pct(f.coverageWithExcess))}</p>
<div class="side">
${chartFigure(
  r,
  stackedBar({
    id: 'chart-coverage',
    title: m.coverageChartTitle(d.year, x.chf(f.budget)),
    desc: m.coverageChartDesc(x.chf(f.paid), x.pct(f.coverage), x.chf(f.excess), x.pct(f.coverageWithExcess)),
    segments,
    max: f.budget,
    markers: [{ value: f.budget, label: m.budgetMarker(x.chf(f.budget)) }],
    inside: (s) => (s.color === COLORS.gap ? '' : (s.text.split(' · ')[1] ?? '')),
    lang: x.lang,
  }),
)}
${scrollTable(
  m.budgetCaption(d.year, x.date(d.asOf)),
  html`<table>
<caption>${m.budgetCaption(d.year, x.date(d.asOf))}</caption>
<tbody>
<tr><th scope="row">${m.rowBudget(d.decisionRef)}</th><td class="num">${x.money(f.budget)}</td></tr>
<tr><th scope="row">${m.rowAssessed}</th><td class="num">${x.money(f.assessed)}</td></tr>
<tr><th scope="row">${m.rowPaid}</th><td class="num">${x.money(f.paid)}</td></tr>
<tr><th scope="row">${m.rowOutstanding(d.year)}</th><td class="num">${x.money(f.outstanding)}</td></tr>
<tr><th scope="row">${m.rowExcess}</th><td class="num">${x.money(f.excess)}</td></tr>
<tr><th scope="row">${m.rowReceived}</th><td class="num">${x.money(f.received)}</td></tr>
<tr><th scope="row">${m.rowCoverage}</th><td class="num">${x.pct(f.coverage)}</td></tr>
<tr><th scope="row">${m.rowCoverageExcess}</th><td class="num">${x.pct(f.coverageWithExcess)}</td></tr>
</tbody></table>`,
)}
</div></section>`;
}

function payersPanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  const c = d.figures.counts;
  return html`<section class="panel" aria-labelledby="h-payers">
<h2 id="h-payers">${m.payersHeading(d.year)}</h2>
<p class="explain">${m.payersExplain(x.int(c.paid + c.partial), x.int(c.assessed), x.pct(c.shareContributingPercent))}</p>
${chartFigure(
  r,
  stackedBar({
    id: 'chart-payers',
    title: m.payersChartTitle(d.year),
    desc: m.payersChartDesc(x.int(c.assessed), x.int(c.paid), x.int(c.partial), x.int(c.unpaid)),
    segments: [
      { label: m.paidFull, value: String(c.paid), color: COLORS.paid, text: `${x.int(c.paid)} (${x.pct(c.sharePaidPercent)})` },
      { label: m.paidPart, value: String(c.partial), color: COLORS.partial, text: `${x.int(c.partial)} (${x.pct(c.sharePartialPercent)})` },
      { label: m.paidNothing, value: String(c.unpaid), color: COLORS.unpaid, text: `${x.int(c.unpaid)} (${x.pct(c.shareUnpaidPercent)})` },
    ],
    inside: (s) => s.text.split(' ')[0] ?? '',
    width: 560,
    lang: x.lang,
  }),
)}
${scrollTable(
  m.payersCaption(d.year),
  html`<table>
<caption>${m.payersCaption(d.year)}</caption>
<thead><tr><th scope="col">${m.colStatus}</th><th scope="col" class="num">${m.colStates}</th><th scope="col" class="num">${m.colShare}</th></tr></thead>
<tbody>
<tr><th scope="row">${m.paidFull}</th><td class="num" data-figure="count-paid">${x.int(c.paid)}</td><td class="num">${x.pct(c.sharePaidPercent)}</td></tr>
<tr><th scope="row">${m.paidPart}</th><td class="num" data-figure="count-partial">${x.int(c.partial)}</td><td class="num">${x.pct(c.sharePartialPercent)}</td></tr>
<tr><th scope="row">${m.paidNothing}</th><td class="num" data-figure="count-unpaid">${x.int(c.unpaid)}</td><td class="num">${x.pct(c.shareUnpaidPercent)}</td></tr>
</tbody>
<tfoot><tr><th scope="row">${m.rowAssessedStates}</th><td class="num">${x.int(c.assessed)}</td><td class="num">${x.pct('100.0')}</td></tr></tfoot>
</table>`,
)}
<p class="explain">${m.honourRoll(x.int(d.report.honourRoll.length), d.year, x.date(d.figures.cutoffDate))}</p></section>`;
}

function concentrationPanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  const c = d.concentration;
  const name = (s: { name: string; iso3: string }) => d.names.get(s.iso3)?.[x.lang] ?? s.name;
  const rows = [
    ...c.top.map((t) => ({ label: name(t), value: t.amount, text: `${x.chf(t.amount)} · ${x.pct(t.share)}` })),
    ...(c.contributors > c.top.length
      ? [{ label: m.otherStates(c.contributors - c.top.length), value: c.rest, text: `${x.chf(c.rest)} · ${x.pct(percentOf(c.rest, c.total))}`, color: COLORS.unpaid }]
      : []),
  ];
  return html`<section class="panel" aria-labelledby="h-concentration">
<h2 id="h-concentration">${m.concentrationHeading}</h2>
<p class="explain" data-figure="top5-share-text">${m.concentrationExplain(c.top.length, x.pct(c.topShare), x.chf(c.total), x.int(c.contributors), d.year)}</p>
${chartFigure(
  r,
  hbarChart({
    id: 'chart-concentration',
    title: m.concentrationChartTitle(d.year),
    desc: m.concentrationChartDesc(c.top.length, x.pct(c.topShare), c.top.map((t) => `${name(t)} ${x.pct(t.share)}`).join(', ')),
    rows,
    width: 560,
    labelWidth: 140,
    lang: x.lang,
  }),
)}
${scrollTable(
  m.topCaption(c.top.length, d.year),
  html`<table>
<caption>${m.topCaption(c.top.length, d.year)}</caption>
<thead><tr><th scope="col">${m.colStateParty}</th><th scope="col" class="num">${r.c.chf}</th><th scope="col" class="num">${m.colShare}</th></tr></thead>
<tbody>${c.top.map((t) => html`<tr><th scope="row">${name(t)}</th><td class="num">${x.money(t.amount)}</td><td class="num">${x.pct(t.share)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${m.allContributors(x.int(c.contributors))}</th><td class="num">${x.money(c.total)}</td><td class="num">${x.pct('100.0')}</td></tr></tfoot>
</table>`,
)}</section>`;
}

function arrearsPanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  const earlier = d.byYear.filter((y) => y.year < d.year);
  return html`<section class="panel" aria-labelledby="h-arrears">
<h2 id="h-arrears">${m.arrearsHeading}</h2>
<p class="explain">${m.arrearsExplain(x.date(d.asOf), d.year)} <strong data-figure="arrears-before">${x.chf(d.figures.arrearsBefore)}</strong></p>
${chartFigure(
  r,
  barChart({
    id: 'chart-arrears',
    title: m.arrearsChartTitle(x.date(d.asOf)),
    desc: d.byYear.map((y) => m.arrearsChartItem(y.year, x.chf(y.outstanding), y.arrears)).join('; '),
    categories: d.byYear.map((y) => String(y.year)),
    series: [
      { name: m.inArrearsSeries, color: COLORS.arrears, values: d.byYear.map((y) => (y.arrears ? y.outstanding : null)) },
      { name: m.notYetDueSeries, color: COLORS.due, values: d.byYear.map((y) => (y.arrears ? null : y.outstanding)) },
    ].filter((s) => s.values.some((v) => v !== null)),
    width: 560,
    height: 240,
    lang: x.lang,
  }),
)}
${scrollTable(
  m.outstandingCaption,
  html`<table>
<caption>${m.outstandingCaption}</caption>
<thead><tr><th scope="col">${m.budgetYear}</th><th scope="col" class="num">${r.c.chf}</th><th scope="col">${m.colStatus}</th></tr></thead>
<tbody>${d.byYear.map(
    (y) =>
      html`<tr><th scope="row">${y.year}</th><td class="num">${x.money(y.outstanding)}</td><td>${y.arrears ? html`<span class="badge bad">${m.arrearsBadge}</span>` : html`<span class="badge">${m.notYetDue}</span>`}</td></tr>`,
  )}</tbody>
${earlier.length ? html`<tfoot><tr><th scope="row">${m.before(d.year)}</th><td class="num">${x.money(d.figures.arrearsBefore)}</td><td></td></tr></tfoot>` : ''}
</table>`,
)}</section>`;
}

function unavailable(r: R, id: string, title: string, error: string): SafeHtml {
  return html`<section class="panel" aria-labelledby="${id}"><h2 id="${id}">${title}</h2><p class="notice">${t(r.f.lang).errors.unavailable} <span translate="no">${error}</span></p></section>`;
}

function reservePanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  if ('error' in d.reserve) return unavailable(r, 'h-reserve', m.reserveHeading, d.reserve.error);
  const rv = d.reserve;
  const remaining = new Dec(rv.shortfallToTarget).minus(new Dec(rv.totalOutstanding));
  return html`<section class="panel" aria-labelledby="h-reserve">
<h2 id="h-reserve">${m.reserveHeading}</h2>
<p class="explain">${m.reserveExplain(x.chf(rv.balance), x.chf(rv.target), rv.targetDecisionRef ?? '', x.pct(percentOf(rv.balance, rv.target)))}</p>
<p class="explain">${m.balance}${colon(x.lang)}<strong data-figure="reserve-balance">${x.chf(rv.balance)}</strong></p>
${chartFigure(
  r,
  stackedBar({
    id: 'chart-reserve',
    title: m.reserveChartTitle(x.date(d.asOf)),
    desc: m.reserveChartDesc(x.chf(rv.balance), x.chf(rv.target), x.chf(rv.totalOutstanding), x.chf(rv.shortfallToTarget)),
    segments: [
      { label: m.balance, value: rv.balance, color: COLORS.reserve, text: x.chf(rv.balance) },
      { label: m.drawnSegment, value: rv.totalOutstanding, color: COLORS.drawdown, text: x.chf(rv.totalOutstanding) },
      ...(remaining.gt(0) ? [{ label: m.furtherShortfall, value: remaining.toFixed(2), color: COLORS.gap, text: x.chf(remaining.toFixed(2)) }] : []),
    ],
    max: rv.target,
    markers: [{ value: rv.target, label: m.targetMarker(x.chf(rv.target)) }],
    inside: (s) => (s.color === COLORS.reserve ? x.pct(percentOf(rv.balance, rv.target)) : ''),
    width: 560,
    lang: x.lang,
  }),
)}
${scrollTable(
  m.drawdownsCaption(x.date(d.asOf)),
  html`<table>
<caption>${m.drawdownsCaption(x.date(d.asOf))}</caption>
<thead><tr><th scope="col">${m.colDate}</th><th scope="col" class="num">${m.colDrawn}</th><th scope="col" class="num">${m.colRestored}</th><th scope="col" class="num">${m.colOutstanding}</th><th scope="col" class="num">${m.colDays}</th><th scope="col">${m.colReason}</th></tr></thead>
<tbody>${
    rv.outstandingDrawdowns.length
      ? rv.outstandingDrawdowns.map(
          (w) =>
            html`<tr><td>${x.shortDate(w.date)}</td><td class="num">${x.money(w.amount)}</td><td class="num">${x.money(w.restored)}</td><td class="num">${x.money(w.outstanding)}</td><td class="num">${x.int(w.daysOutstanding)}</td><td translate="no">${w.reason}</td></tr>`,
        )
      : html`<tr><td colspan="6">${m.noDrawdown}</td></tr>`
  }</tbody>
<tfoot><tr><th scope="row" colspan="3">${m.totalOutstanding}</th><td class="num">${x.money(rv.totalOutstanding)}</td><td colspan="2"></td></tr></tfoot>
</table>`,
)}
<p class="explain">${m.operatingCash(x.chf(rv.operatingCash))}${rv.proposedRestoration ? html` <strong>${m.canRestore(x.chf(rv.proposedRestoration))}</strong>` : ''}</p>
</section>`;
}

function executionPanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  if ('error' in d.execution) return unavailable(r, 'h-execution', m.executionHeading(d.year), d.execution.error);
  const e = d.execution;
  const code = (l: ExecutionOut['lines'][number]) => (l.code === null ? m.uncoded : l.code);
  const pctOf = (p: string | null) => (p === null ? r.c.none : x.pct(p));
  return html`<section class="panel wide" aria-labelledby="h-execution">
<h2 id="h-execution">${m.executionHeading(d.year)}</h2>
<p class="explain">${m.executionExplain(e.version, x.date(e.asOf), x.chf(e.totals.spent), x.chf(e.totals.revised), pctOf(e.totals.percentSpent))}</p>
<p class="explain">${m.colSpent}${colon(x.lang)}<strong data-figure="execution-spent">${x.chf(e.totals.spent)}</strong></p>
${chartFigure(
  r,
  barChart({
    id: 'chart-execution',
    title: m.executionChartTitle(d.year, x.date(e.asOf)),
    desc: e.lines.map((l) => m.executionChartItem(l.label, x.chf(l.spent), x.chf(l.revised), pctOf(l.percentSpent))).join('; '),
    categories: e.lines.map(code),
    series: [
      { name: m.revisedSeries, color: COLORS.assessed, values: e.lines.map((l) => l.revised) },
      { name: m.spentSeries, color: COLORS.paid, values: e.lines.map((l) => l.spent) },
    ],
    width: 900,
    height: 280,
    lang: x.lang,
  }),
  true,
)}
${scrollTable(
  m.executionCaption(d.year),
  html`<table>
<caption>${m.executionCaption(d.year)}</caption>
<thead><tr><th scope="col">${m.colLine}</th><th scope="col" class="num">${m.colApproved}</th><th scope="col" class="num">${m.colRevised}</th><th scope="col" class="num">${m.colSpent}</th><th scope="col" class="num">${m.colRemaining}</th><th scope="col" class="num">${m.colPercentSpent}</th></tr></thead>
<tbody>${e.lines.map(
    (l) =>
      html`<tr><th scope="row" translate="no">${l.label}</th><td class="num">${x.money(l.approved)}</td><td class="num">${x.money(l.revised)}</td><td class="num">${x.money(l.spent)}</td><td class="num">${x.money(l.remaining)}</td><td class="num">${pctOf(l.percentSpent)}</td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row">${r.c.total}</th><td class="num">${x.money(e.totals.approved)}</td><td class="num">${x.money(e.totals.revised)}</td><td class="num">${x.money(e.totals.spent)}</td><td class="num">${x.money(e.totals.remaining)}</td><td class="num">${pctOf(e.totals.percentSpent)}</td></tr></tfoot>
</table>`,
)}
</section>`;
}

function cashflowPanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  if ('error' in d.cashflow) return unavailable(r, 'h-cashflow', m.cashflowHeading(d.year), d.cashflow.error);
  const c = d.cashflow;
  const monthLabel = (month: string) => r.c.months[Number.parseInt(month.slice(5, 7), 10) - 1] ?? month;
  const spent = (mo: CashflowOut['months'][number]) =>
    new Dec(mo.openingCash).plus(new Dec(mo.receipts)).plus(new Dec(mo.reserveMovements)).minus(new Dec(mo.closingCash)).toFixed(2);
  const shortfallIndex = c.firstShortfall ? c.months.findIndex((mo) => mo.month === c.firstShortfall!.month) : null;
  const projected = c.months.filter((mo) => mo.basis === 'projected').length;
  const basis =
    projected === 0
      ? m.cashflowAllActual
      : projected === 12
        ? m.cashflowAllProjected
        : m.cashflowMixed(monthLabel(c.months[12 - projected - 1]?.month ?? ''), monthLabel(c.months[12 - projected]!.month));
  return html`<section class="panel wide" aria-labelledby="h-cashflow">
<h2 id="h-cashflow">${m.cashflowHeading(d.year)}</h2>
<p class="explain">${m.cashflowExplain(basis)}
${c.firstShortfall ? html` <strong class="badge bad">${m.firstShortfall(monthLabel(c.firstShortfall.month), d.year, x.chf(c.firstShortfall.shortfall))}</strong> ${m.drawdownWouldCover(x.chf(c.firstShortfall.drawdownNeeded))}` : html` ${m.noShortfall}`}
${c.proposedRestoration ? html` ${m.restorationPossible(x.chf(c.proposedRestoration.amount), monthLabel(c.proposedRestoration.month))}` : ''}</p>
${chartFigure(
  r,
  cashflowChart({
    id: 'chart-cashflow',
    title: m.cashflowChartTitle(d.year, x.date(d.asOf)),
    desc: `${m.cashflowChartDesc(c.months.map((mo) => `${monthLabel(mo.month)} ${x.chf(mo.closingCash)}${mo.basis === 'projected' ? m.projectedSuffix : ''}`).join('; '))}${c.firstShortfall ? m.firstShortfallIn(monthLabel(c.firstShortfall.month)) : ''}`,
    points: c.months.map((mo) => ({ label: monthLabel(mo.month), closing: mo.closingCash, receipts: mo.receipts, spending: spent(mo), projected: mo.basis === 'projected' })),
    shortfallIndex: shortfallIndex === null || shortfallIndex < 0 ? null : shortfallIndex,
    labels: { receipts: m.receipts, spending: m.spending, closing: m.closingActual, projected: m.projected, firstShortfall: m.firstShortfallFlag, closingCash: m.closingCash },
    lang: x.lang,
  }),
  true,
)}
${scrollTable(
  m.cashflowCaption(d.year),
  html`<table>
<caption>${m.cashflowCaption(d.year)}</caption>
<thead><tr><th scope="col">${m.colMonth}</th><th scope="col">${m.colBasis}</th><th scope="col" class="num">${m.colOpening}</th><th scope="col" class="num">${m.colReceipts}</th><th scope="col" class="num">${m.colPlanned}</th><th scope="col" class="num">${m.colActual}</th><th scope="col" class="num">${m.colReserveMovements}</th><th scope="col" class="num">${m.colClosing}</th></tr></thead>
<tbody>${c.months.map(
    (mo) =>
      html`<tr><th scope="row">${monthLabel(mo.month)}</th><td>${m.basis[mo.basis] ?? mo.basis}</td><td class="num">${x.money(mo.openingCash)}</td><td class="num">${x.money(mo.receipts)}</td><td class="num">${x.money(mo.plannedSpending)}</td><td class="num">${x.money(mo.actualSpending)}</td><td class="num">${x.money(mo.reserveMovements)}</td><td class="num">${new Dec(mo.closingCash).lt(0) ? html`<strong class="badge bad">${x.money(mo.closingCash)}</strong>` : x.money(mo.closingCash)}</td></tr>`,
  )}</tbody></table>`,
)}
</section>`;
}

function historyPanel(r: R): SafeHtml {
  const { d, m, f: x } = r;
  const h = d.history;
  return html`<section class="panel wide" aria-labelledby="h-history">
<h2 id="h-history">${m.historyHeading}</h2>
<p class="explain">${m.historyExplain(x.date(d.asOf))}</p>
${chartFigure(
  r,
  barChart({
    id: 'chart-history',
    title: m.historyChartTitle,
    desc: h
      .map((y) => m.historyChartItem(y.year, x.date(y.asOf), x.chf(y.budget), x.chf(y.assessed), x.chf(y.paid), x.chf(y.excess), x.pct(y.coverage), x.pct(y.coverageWithExcess)))
      .join('; '),
    categories: h.map((y) => String(y.year)),
    series: [
      { name: m.budgetSeries, color: COLORS.budget, values: h.map((y) => y.budget) },
      { name: m.assessedSeries, color: COLORS.assessed, values: h.map((y) => y.assessed) },
      { name: m.paidSegment, color: COLORS.paid, values: h.map((y) => y.paid) },
      { name: m.rowExcess, color: COLORS.excess, values: h.map((y) => y.excess) },
    ],
    width: 1000,
    height: 280,
    lang: x.lang,
  }),
  true,
)}
${scrollTable(
  m.historyCaption,
  html`<table>
<caption>${m.historyCaption}</caption>
<thead><tr><th scope="col">${m.colYear}</th><th scope="col">${m.colAsOf}</th><th scope="col" class="num">${m.colBudget}</th><th scope="col" class="num">${m.colAssessed}</th><th scope="col" class="num">${m.colPaid}</th><th scope="col" class="num">${m.colInExcess}</th><th scope="col" class="num">${m.colCoverage}</th><th scope="col" class="num">${m.colWithExcess}</th><th scope="col" class="num">${m.colContributing}</th></tr></thead>
<tbody>${h.map(
    (y) =>
      html`<tr data-year="${y.year}"><th scope="row">${y.year === d.year ? y.year : html`<a href="/dashboard?year=${y.year}&amp;asOf=${d.asOf}">${y.year}</a>`}</th><td>${x.shortDate(y.asOf)}</td><td class="num">${x.money(y.budget)}</td><td class="num">${x.money(y.assessed)}</td><td class="num">${x.money(y.paid)}</td><td class="num">${x.money(y.excess)}</td><td class="num">${x.pct(y.coverage)}</td><td class="num">${x.pct(y.coverageWithExcess)}</td><td class="num">${m.contributingOf(x.int(y.counts.paid + y.counts.partial), x.int(y.counts.assessed), x.pct(y.counts.shareContributingPercent))}</td></tr>`,
  )}</tbody></table>`,
)}
</section>`;
}

/** Who is shown a pending change of the bank details on the dashboard: finance (who issues the documents) and the auditors; admins use the API or the CLI. */
export const ISSUER_CHANGE_VIEWERS: readonly string[] = ['finance', 'auditor'];

/** The notice of a change of the bank details waiting for a second admin (SPEC 9.8): what changes, from → to, by whom, when. */
export function issuerChangeNotice(c: IssuerChangeOut, lang: Lang = 'en'): SafeHtml {
  const m = t(lang).dashboard;
  const x = fmt(lang);
  const shownValue = (field: string, v: string | string[] | null): string =>
    v === null ? m.noValue : Array.isArray(v) ? v.join(' / ') || m.noValue : field === 'bank.iban' ? formatIban(v) : v;
  return html`<section class="notice" role="status" aria-labelledby="h-issuer-change" data-notice="issuer-change">
<h2 id="h-issuer-change">${m.issuerHeading}</h2>
<p>${m.issuerText(c.id, c.proposedBy)} <time datetime="${c.proposedAt}">${m.issuerWhen(x.date(c.proposedAt.slice(0, 10)), c.proposedAt.slice(11, 16))}</time>${m.issuerEffect}</p>
${scrollTable(
  m.issuerCaption,
  html`<table>
<caption>${m.issuerCaption}</caption>
<thead><tr><th scope="col">${m.colField}</th><th scope="col">${m.colInForce}</th><th scope="col">${m.colProposed}</th></tr></thead>
<tbody>${c.changes.map((ch) => html`<tr><th scope="row"><code>${ch.field}</code></th><td translate="no">${shownValue(ch.field, ch.from)}</td><td translate="no"><strong>${shownValue(ch.field, ch.to)}</strong></td></tr>`)}</tbody>
</table>`,
)}
</section>`;
}

export function renderDashboard(d: DashboardData, page: PageCtx, pendingChange: IssuerChangeOut | null = null): string {
  const r: R = { d, m: t(page.lang).dashboard, c: t(page.lang).common, f: fmt(page.lang) };
  const { m, f: x } = r;
  const f = d.figures;
  const c = f.counts;
  const rv = 'error' in d.reserve ? null : d.reserve;
  const reportQuery = `year=${d.year}&asOf=${d.asOf}`;
  const body = html`<h1>${m.heading(d.year)}</h1>
<p class="lead" data-figure="as-of-text">${m.lead(x.date(d.asOf), d.decisionRef, x.date(f.cutoffDate))}</p>
${pendingChange ? issuerChangeNotice(pendingChange, page.lang) : ''}
<div class="toolbar">
<form method="get" action="/dashboard" aria-label="${m.chooseForm}">
  <input type="hidden" name="lang" value="${page.lang}">
  <div><label for="year">${m.budgetYear}</label><select id="year" name="year">${d.years.map((y) => html`<option value="${y}"${y === d.year ? html` selected` : ''}>${y}</option>`)}</select></div>
  <div><label for="asOf">${m.asOfLabel}</label><input id="asOf" name="asOf" type="date" value="${d.asOf}" required></div>
  <button class="primary" type="submit">${m.show}</button>
</form>
<div class="downloads" role="group" aria-label="${m.reportLinks}">
  <a href="/api/v1/reports/status-of-contributions.pdf?${reportQuery}">${m.statusPdf}</a>
  <a href="/dashboard/status-of-contributions.csv?${reportQuery}" download>${m.statusCsv}</a>
  <a href="/api/v1/reports/status-of-contributions.xlsx?${reportQuery}" download>${m.statusXlsx}</a>
</div>
</div>
<ul class="kpis" aria-label="${m.keyFigures}">
${kpi(m.kpiBudget(d.year), x.chf(f.budget), 'budget', d.decisionRef)}
${kpi(m.kpiAssessed, x.chf(f.assessed), 'assessed', m.kpiAssessedNote(x.int(c.assessed)))}
${kpi(m.kpiReceived, x.chf(f.received), 'received', m.kpiReceivedNote(x.money(f.paid), x.money(f.excess)))}
${kpi(m.kpiCoverage, x.pct(f.coverage), 'coverage', m.kpiCoverageNote, 'key')}
${kpi(m.kpiCoverageExcess, x.pct(f.coverageWithExcess), 'coverage-with-excess', m.kpiCoverageExcessNote, 'key')}
${kpi(m.kpiOutstanding(d.year), x.chf(f.outstanding), 'outstanding', m.kpiOutstandingNote(d.year))}
${kpi(m.kpiContributing, x.pct(c.shareContributingPercent), 'share-contributing', m.kpiContributingNote(x.int(c.paid), x.int(c.partial), x.int(c.unpaid)))}
${kpi(m.kpiTop5, x.pct(d.concentration.topShare), 'top5', m.kpiTop5Note(x.chf(d.concentration.total), x.int(d.concentration.contributors)))}
${kpi(m.kpiArrears(d.year), x.chf(f.arrearsBefore), 'arrears', m.kpiArrearsNote, new Dec(f.arrearsBefore).gt(0) ? 'warn' : '')}
${rv ? kpi(m.kpiReserve, x.chf(rv.balance), 'reserve', `${m.kpiReserveNote(x.pct(percentOf(rv.balance, rv.target)), x.chf(rv.target))}${new Dec(rv.totalOutstanding).gt(0) ? m.kpiReserveDrawn(x.chf(rv.totalOutstanding)) : ''}`) : ''}
</ul>
${coveragePanel(r)}
<div class="grid">
${payersPanel(r)}
${concentrationPanel(r)}
${arrearsPanel(r)}
${reservePanel(r)}
</div>
${cashflowPanel(r)}
${executionPanel(r)}
${historyPanel(r)}`;
  return layout(page, { title: m.title(d.year), active: '/dashboard', body });
}

export default async function dashboardPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  app.get('/dashboard', { schema: { hide: true } }, async (request, reply) => {
    const viewer = requireViewer(request, reply, DASHBOARD_ROLES);
    if (!viewer) return reply;
    const page = pageOf(request, viewer);
    const tr = t(page.lang);
    const back = { href: '/dashboard', text: tr.errors.goDashboard };
    const q = dashboardQuery.safeParse(request.query);
    if (!q.success) return sendHtml(reply, 400, messagePage(page, tr.errors.badRequest, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), back));
    const data = dashboardData(ctx, q.data);
    if (!data)
      return sendHtml(reply, 404, messagePage(page, tr.dashboard.noBudget, q.data.year === undefined ? tr.dashboard.noBudgetYet : tr.dashboard.noBudgetFor(q.data.year), back));
    const pending = ISSUER_CHANGE_VIEWERS.includes(viewer.role) ? pendingIssuerChange(ctx.db) : null;
    return sendHtml(reply, 200, renderDashboard(data, page, pending));
  });

  /** The status report as a CSV download for the dashboard's link (the API gives CSV only on Accept: text/csv). */
  app.get('/dashboard/status-of-contributions.csv', { schema: { hide: true } }, async (request, reply) => {
    const viewer = requireViewer(request, reply, DASHBOARD_ROLES);
    if (!viewer) return reply;
    const q = z.object({ year: yearParam, asOf: isoDate.optional() }).safeParse(request.query);
    if (!q.success) {
      const page = pageOf(request, viewer);
      return sendHtml(reply, 400, messagePage(page, t(page.lang).errors.badRequest, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    }
    const report = statusOfContributions(ctx, q.data.year, q.data.asOf);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="status-of-contributions-${report.year}-${report.asOf}.csv"`)
      .send(statusReportCsv(report));
  });
}
