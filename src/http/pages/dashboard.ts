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
import { formatDate, formatIban, formatInteger, formatMoney, formatShortDate } from '../../pdf/i18n.js';
import { listBudgets } from '../../services/budgets.js';
import { cashflowOutlook, reserveWithProposal } from '../../services/cashflow.js';
import type { Ctx } from '../../services/context.js';
import { statusOfContributions, statusReportCsv, type StatusReport } from '../../services/reports.js';
import { pendingIssuerChange, type IssuerChangeOut } from '../../services/settings.js';
import type { CashflowOut, ReserveOut } from '../../services/reserve-types.js';
import { isoDate, yearParam } from '../../schemas/common.js';
import { barChart, cashflowChart, COLORS, hbarChart, stackedBar } from './charts.js';
import { DASHBOARD_ROLES, requireViewer, sendHtml } from './guard.js';
import { budgetExecution } from '../../services/budget-lines.js';
import type { ExecutionOut } from '../../schemas/budgets.js';
import { addMoney, chf, html, layout, messagePage, pct, percentOf, subMoney, type SafeHtml } from './html.js';

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
  };
}

// ------------------------------------------------------------------ rendering

const money = (a: string) => formatMoney(a, 'en');
const count = (n: number) => formatInteger(n, 'en');

function kpi(label: string, value: string, figure: string, note?: SafeHtml | string, cls = ''): SafeHtml {
  return html`<li class="kpi ${cls}"><div class="label">${label}</div><div class="value" data-figure="${figure}">${value}</div>${note ? html`<div class="note">${note}</div>` : ''}</li>`;
}

function coveragePanel(d: DashboardData): SafeHtml {
  const f = d.figures;
  const gap = new Dec(f.budget).minus(new Dec(f.received));
  const segments = [
    { label: 'Assessed contributions paid', value: f.paid, color: COLORS.paid, text: `${chf(f.paid)} · ${pct(f.coverage)}` },
    { label: 'Contributions in excess of assessment', value: f.excess, color: COLORS.excess, text: `${chf(f.excess)} · ${pct(percentOf(f.excess, f.budget))}` },
    ...(gap.gt(0)
      ? [{ label: 'Not covered', value: gap.toFixed(2), color: COLORS.gap, text: `${chf(gap.toFixed(2))} · ${pct(percentOf(gap.toFixed(2), f.budget))}` }]
      : []),
  ];
  return html`<section class="panel wide" aria-labelledby="h-coverage">
<h2 id="h-coverage">Coverage of the ${d.year} budget</h2>
<p class="explain">Assessed contributions paid for ${d.year} cover <strong>${pct(f.coverage)}</strong> of the budget; with contributions in excess of assessment, <strong>${pct(f.coverageWithExcess)}</strong>. Excess is reported apart because the budget should not depend on a few States paying more than their share.</p>
<div class="side">
<figure>${stackedBar({
    id: 'chart-coverage',
    title: `Coverage of the ${d.year} budget of ${chf(f.budget)}`,
    desc: `Assessed contributions paid ${chf(f.paid)} (${pct(f.coverage)} of the budget); in excess of assessment ${chf(f.excess)}; total ${pct(f.coverageWithExcess)}.`,
    segments,
    max: f.budget,
    markers: [{ value: f.budget, label: `Budget ${chf(f.budget)} = 100 %` }],
    inside: (s) => (s.color === COLORS.gap ? '' : s.text.split(' · ')[1] ?? ''),
  })}</figure>
<table>
<caption>Budget ${d.year}, as of ${formatDate(d.asOf, 'en')}</caption>
<tbody>
<tr><th scope="row">Budget (${d.decisionRef})</th><td class="num">${money(f.budget)}</td></tr>
<tr><th scope="row">Assessed</th><td class="num">${money(f.assessed)}</td></tr>
<tr><th scope="row">Assessed contributions paid</th><td class="num">${money(f.paid)}</td></tr>
<tr><th scope="row">Outstanding on ${d.year} assessments</th><td class="num">${money(f.outstanding)}</td></tr>
<tr><th scope="row">In excess of assessment</th><td class="num">${money(f.excess)}</td></tr>
<tr><th scope="row">Received (paid + excess)</th><td class="num">${money(f.received)}</td></tr>
<tr><th scope="row">Coverage, assessed contributions only</th><td class="num">${pct(f.coverage)}</td></tr>
<tr><th scope="row">Coverage including excess</th><td class="num">${pct(f.coverageWithExcess)}</td></tr>
</tbody></table>
</div></section>`;
}

function payersPanel(d: DashboardData): SafeHtml {
  const c = d.figures.counts;
  return html`<section class="panel" aria-labelledby="h-payers">
<h2 id="h-payers">Who paid for ${d.year}</h2>
<p class="explain">${count(c.paid + c.partial)} of ${count(c.assessed)} assessed States Parties contributed (${pct(c.shareContributingPercent)}).</p>
<figure>${stackedBar({
    id: 'chart-payers',
    title: `States Parties by payment of their ${d.year} assessment`,
    desc: `Of ${c.assessed} assessed States Parties, ${c.paid} paid in full, ${c.partial} in part and ${c.unpaid} nothing.`,
    segments: [
      { label: 'Paid in full', value: String(c.paid), color: COLORS.paid, text: `${c.paid} (${pct(c.sharePaidPercent)})` },
      { label: 'Paid in part', value: String(c.partial), color: COLORS.partial, text: `${c.partial} (${pct(c.sharePartialPercent)})` },
      { label: 'Paid nothing', value: String(c.unpaid), color: COLORS.unpaid, text: `${c.unpaid} (${pct(c.shareUnpaidPercent)})` },
    ],
    inside: (s) => s.text.split(' ')[0] ?? '',
    width: 560,
  })}</figure>
<table>
<caption>States Parties assessed for ${d.year}</caption>
<thead><tr><th scope="col">Status</th><th scope="col" class="num">States</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>
<tr><th scope="row">Paid in full</th><td class="num" data-figure="count-paid">${count(c.paid)}</td><td class="num">${pct(c.sharePaidPercent)}</td></tr>
<tr><th scope="row">Paid in part</th><td class="num" data-figure="count-partial">${count(c.partial)}</td><td class="num">${pct(c.sharePartialPercent)}</td></tr>
<tr><th scope="row">Paid nothing</th><td class="num" data-figure="count-unpaid">${count(c.unpaid)}</td><td class="num">${pct(c.shareUnpaidPercent)}</td></tr>
</tbody>
<tfoot><tr><th scope="row">Assessed</th><td class="num">${count(c.assessed)}</td><td class="num">${pct('100.0')}</td></tr></tfoot>
</table>
<p class="explain">${count(d.report.honourRoll.length)} States Parties paid their ${d.year} assessment in full by the cut-off date of ${formatDate(d.figures.cutoffDate, 'en')}.</p></section>`;
}

function concentrationPanel(d: DashboardData): SafeHtml {
  const c = d.concentration;
  const rows = [
    ...c.top.map((t) => ({ label: t.name, value: t.amount, text: `${chf(t.amount)} · ${pct(t.share)}` })),
    ...(c.contributors > c.top.length
      ? [{ label: `${c.contributors - c.top.length} other States`, value: c.rest, text: `${chf(c.rest)} · ${pct(percentOf(c.rest, c.total))}`, color: COLORS.unpaid }]
      : []),
  ];
  return html`<section class="panel" aria-labelledby="h-concentration">
<h2 id="h-concentration">Concentration of receipts</h2>
<p class="explain">The ${c.top.length} largest contributors gave <strong data-figure="top5-share">${pct(c.topShare)}</strong> of the ${chf(c.total)} received from ${count(c.contributors)} States Parties for ${d.year} (assessed contributions and excess).</p>
<figure>${hbarChart({
    id: 'chart-concentration',
    title: `Largest contributors to the ${d.year} budget`,
    desc: `The top ${c.top.length} States Parties gave ${pct(c.topShare)} of receipts: ${c.top.map((t) => `${t.name} ${pct(t.share)}`).join(', ')}.`,
    rows,
    width: 560,
    labelWidth: 140,
  })}</figure>
<table>
<caption>Top ${c.top.length} contributors, ${d.year}</caption>
<thead><tr><th scope="col">State Party</th><th scope="col" class="num">CHF</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${c.top.map((t) => html`<tr><th scope="row">${t.name}</th><td class="num">${money(t.amount)}</td><td class="num">${pct(t.share)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">All ${count(c.contributors)} contributors</th><td class="num">${money(c.total)}</td><td class="num">${pct('100.0')}</td></tr></tfoot>
</table></section>`;
}

function arrearsPanel(d: DashboardData): SafeHtml {
  const earlier = d.byYear.filter((y) => y.year < d.year);
  return html`<section class="panel" aria-labelledby="h-arrears">
<h2 id="h-arrears">Arrears by budget year</h2>
<p class="explain">Unpaid assessments as of ${formatDate(d.asOf, 'en')}. Arrears of years before ${d.year}: <strong data-figure="arrears-before">${chf(d.figures.arrearsBefore)}</strong>.</p>
<figure>${barChart({
    id: 'chart-arrears',
    title: `Outstanding assessments by budget year, as of ${d.asOf}`,
    desc: d.byYear.map((y) => `${y.year}: ${chf(y.outstanding)}${y.arrears ? ' in arrears' : ' not yet due'}`).join('; '),
    categories: d.byYear.map((y) => String(y.year)),
    series: [
      { name: 'In arrears (cut-off date passed)', color: COLORS.arrears, values: d.byYear.map((y) => (y.arrears ? y.outstanding : null)) },
      { name: 'Not yet due', color: COLORS.due, values: d.byYear.map((y) => (y.arrears ? null : y.outstanding)) },
    ].filter((s) => s.values.some((v) => v !== null)),
    width: 560,
    height: 240,
  })}</figure>
<table>
<caption>Outstanding by budget year</caption>
<thead><tr><th scope="col">Budget year</th><th scope="col" class="num">CHF</th><th scope="col">Status</th></tr></thead>
<tbody>${d.byYear.map(
    (y) =>
      html`<tr><th scope="row">${y.year}</th><td class="num">${money(y.outstanding)}</td><td>${y.arrears ? html`<span class="badge bad">arrears</span>` : html`<span class="badge">not yet due</span>`}</td></tr>`,
  )}</tbody>
${earlier.length ? html`<tfoot><tr><th scope="row">Before ${d.year}</th><td class="num">${money(d.figures.arrearsBefore)}</td><td></td></tr></tfoot>` : ''}
</table></section>`;
}

function unavailable(id: string, title: string, error: string): SafeHtml {
  return html`<section class="panel" aria-labelledby="${id}"><h2 id="${id}">${title}</h2><p class="notice">Not available: ${error}</p></section>`;
}

function reservePanel(d: DashboardData): SafeHtml {
  if ('error' in d.reserve) return unavailable('h-reserve', 'Working capital reserve', d.reserve.error);
  const r = d.reserve;
  const remaining = new Dec(r.shortfallToTarget).minus(new Dec(r.totalOutstanding));
  return html`<section class="panel" aria-labelledby="h-reserve">
<h2 id="h-reserve">Working capital reserve</h2>
<p class="explain">Balance <strong data-figure="reserve-balance">${chf(r.balance)}</strong> against a target of ${chf(r.target)}${r.targetDecisionRef ? ` (${r.targetDecisionRef})` : ''}: ${pct(percentOf(r.balance, r.target))} of target. The reserve only covers cash-flow shortfalls; drawdowns are to be restored as soon as possible.</p>
<figure>${stackedBar({
    id: 'chart-reserve',
    title: `Reserve level against its target, ${d.asOf}`,
    desc: `Balance ${chf(r.balance)} of a ${chf(r.target)} target; outstanding drawdowns ${chf(r.totalOutstanding)}; shortfall to target ${chf(r.shortfallToTarget)}.`,
    segments: [
      { label: 'Balance', value: r.balance, color: COLORS.reserve, text: chf(r.balance) },
      { label: 'Outstanding drawdowns (to be restored)', value: r.totalOutstanding, color: COLORS.drawdown, text: chf(r.totalOutstanding) },
      ...(remaining.gt(0) ? [{ label: 'Further shortfall to target', value: remaining.toFixed(2), color: COLORS.gap, text: chf(remaining.toFixed(2)) }] : []),
    ],
    max: r.target,
    markers: [{ value: r.target, label: `Target ${chf(r.target)}` }],
    inside: (s) => (s.color === COLORS.reserve ? pct(percentOf(r.balance, r.target)) : ''),
    width: 560,
  })}</figure>
<table>
<caption>Outstanding drawdowns as of ${formatDate(d.asOf, 'en')}</caption>
<thead><tr><th scope="col">Date</th><th scope="col" class="num">Drawn</th><th scope="col" class="num">Restored</th><th scope="col" class="num">Outstanding</th><th scope="col" class="num">Days</th><th scope="col">Reason</th></tr></thead>
<tbody>${
    r.outstandingDrawdowns.length
      ? r.outstandingDrawdowns.map(
          (w) =>
            html`<tr><td>${formatShortDate(w.date, 'en')}</td><td class="num">${money(w.amount)}</td><td class="num">${money(w.restored)}</td><td class="num">${money(w.outstanding)}</td><td class="num">${count(w.daysOutstanding)}</td><td>${w.reason}</td></tr>`,
        )
      : html`<tr><td colspan="6">No drawdown is outstanding.</td></tr>`
  }</tbody>
<tfoot><tr><th scope="row" colspan="3">Total outstanding</th><td class="num">${money(r.totalOutstanding)}</td><td colspan="2"></td></tr></tfoot>
</table>
<p class="explain">Operating cash ${chf(r.operatingCash)}.${r.proposedRestoration ? html` Cash allows restoring <strong>${chf(r.proposedRestoration)}</strong> to the reserve now.` : ''}</p>
</section>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthLabel = (m: string) => MONTHS[Number.parseInt(m.slice(5, 7), 10) - 1] ?? m;

function executionPanel(d: DashboardData): SafeHtml {
  if ('error' in d.execution) return unavailable('h-execution', `Budget execution ${d.year}`, d.execution.error);
  const e = d.execution;
  const name = (l: ExecutionOut['lines'][number]) => (l.code === null ? 'uncoded' : l.code);
  const pctOf = (p: string | null) => (p === null ? '—' : pct(p));
  return html`<section class="panel wide" aria-labelledby="h-execution">
<h2 id="h-execution">Budget execution ${d.year}</h2>
<p class="explain">Spent against the revised budget (version ${e.version}), line by line, as of ${formatDate(e.asOf, 'en')}: <strong data-figure="execution-spent">${chf(e.totals.spent)}</strong> of ${chf(e.totals.revised)} (${pctOf(e.totals.percentSpent)}).</p>
<figure>${barChart({
    id: 'chart-execution',
    title: `Budget ${d.year}: revised and spent by line, as of ${e.asOf}`,
    desc: e.lines.map((l) => `${l.label}: ${chf(l.spent)} spent of ${chf(l.revised)} (${pctOf(l.percentSpent)})`).join('; '),
    categories: e.lines.map(name),
    series: [
      { name: 'Revised budget', color: COLORS.assessed, values: e.lines.map((l) => l.revised) },
      { name: 'Spent', color: COLORS.paid, values: e.lines.map((l) => l.spent) },
    ],
    width: 900,
    height: 280,
  })}</figure>
<div class="table-scroll"><table>
<caption>Budget execution by line, ${d.year} (CHF)</caption>
<thead><tr><th scope="col">Line</th><th scope="col" class="num">Approved</th><th scope="col" class="num">Revised</th><th scope="col" class="num">Spent</th><th scope="col" class="num">Remaining</th><th scope="col" class="num">% spent</th></tr></thead>
<tbody>${e.lines.map(
    (l) =>
      html`<tr><th scope="row">${l.label}</th><td class="num">${money(l.approved)}</td><td class="num">${money(l.revised)}</td><td class="num">${money(l.spent)}</td><td class="num">${money(l.remaining)}</td><td class="num">${pctOf(l.percentSpent)}</td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${money(e.totals.approved)}</td><td class="num">${money(e.totals.revised)}</td><td class="num">${money(e.totals.spent)}</td><td class="num">${money(e.totals.remaining)}</td><td class="num">${pctOf(e.totals.percentSpent)}</td></tr></tfoot>
</table></div>
</section>`;
}

function cashflowPanel(d: DashboardData): SafeHtml {
  if ('error' in d.cashflow) return unavailable('h-cashflow', `Cash-flow outlook ${d.year}`, d.cashflow.error);
  const c = d.cashflow;
  const spent = (m: CashflowOut['months'][number]) => new Dec(m.openingCash).plus(new Dec(m.receipts)).plus(new Dec(m.reserveMovements)).minus(new Dec(m.closingCash)).toFixed(2);
  const shortfallIndex = c.firstShortfall ? c.months.findIndex((m) => m.month === c.firstShortfall!.month) : null;
  const projected = c.months.filter((m) => m.basis === 'projected').length;
  return html`<section class="panel wide" aria-labelledby="h-cashflow">
<h2 id="h-cashflow">Cash-flow outlook ${d.year}</h2>
<p class="explain">Operating cash month by month: ${projected === 0 ? 'all months are actual' : projected === 12 ? 'all months are projected' : `actual up to ${monthLabel(c.months[12 - projected - 1]?.month ?? '')}, projected from ${monthLabel(c.months[12 - projected]!.month)}`}. Projections assume no further receipts (unpaid contributions are not assumed to arrive) and the planned spending.
${c.firstShortfall ? html` <strong class="badge bad">First shortfall: ${monthLabel(c.firstShortfall.month)} ${d.year}, ${chf(c.firstShortfall.shortfall)}</strong> — a drawdown of ${chf(c.firstShortfall.drawdownNeeded)} would cover it.` : html` No month ends with a shortfall.`}
${c.proposedRestoration ? html` A restoration of ${chf(c.proposedRestoration.amount)} to the reserve is possible in ${monthLabel(c.proposedRestoration.month)}.` : ''}</p>
<figure>${cashflowChart({
    id: 'chart-cashflow',
    title: `Operating cash, ${d.year}, as of ${d.asOf}`,
    desc: `Closing operating cash by month: ${c.months.map((m) => `${monthLabel(m.month)} ${chf(m.closingCash)}${m.basis === 'projected' ? ' (projected)' : ''}`).join('; ')}.${c.firstShortfall ? ` First shortfall in ${c.firstShortfall.month}.` : ''}`,
    points: c.months.map((m) => ({ label: monthLabel(m.month), closing: m.closingCash, receipts: m.receipts, spending: spent(m), projected: m.basis === 'projected' })),
    shortfallIndex: shortfallIndex === null || shortfallIndex < 0 ? null : shortfallIndex,
  })}</figure>
<div class="table-scroll"><table>
<caption>Operating cash by month, ${d.year} (CHF)</caption>
<thead><tr><th scope="col">Month</th><th scope="col">Basis</th><th scope="col" class="num">Opening</th><th scope="col" class="num">Receipts</th><th scope="col" class="num">Planned spending</th><th scope="col" class="num">Actual spending</th><th scope="col" class="num">Reserve movements</th><th scope="col" class="num">Closing</th></tr></thead>
<tbody>${c.months.map(
    (m) =>
      html`<tr><th scope="row">${monthLabel(m.month)}</th><td>${m.basis}</td><td class="num">${money(m.openingCash)}</td><td class="num">${money(m.receipts)}</td><td class="num">${money(m.plannedSpending)}</td><td class="num">${money(m.actualSpending)}</td><td class="num">${money(m.reserveMovements)}</td><td class="num">${new Dec(m.closingCash).lt(0) ? html`<strong class="badge bad">${money(m.closingCash)}</strong>` : money(m.closingCash)}</td></tr>`,
  )}</tbody></table></div>
</section>`;
}

function historyPanel(d: DashboardData): SafeHtml {
  const h = d.history;
  const when = (y: (typeof h)[number]) => (y.asOf === `${y.year}-12-31` ? `31 Dec ${y.year}` : formatShortDate(y.asOf, 'en'));
  return html`<section class="panel wide" aria-labelledby="h-history">
<h2 id="h-history">Year on year</h2>
<p class="explain">Each budget year at its year end (a year not yet over: as of ${formatDate(d.asOf, 'en')}), so that receipts and contributions in excess are those of that year.</p>
<figure>${barChart({
    id: 'chart-history',
    title: 'Budget, assessed and received by budget year',
    desc: h.map((y) => `${y.year} (as of ${y.asOf}): budget ${chf(y.budget)}, assessed ${chf(y.assessed)}, paid ${chf(y.paid)}, in excess ${chf(y.excess)}, coverage ${pct(y.coverage)} (${pct(y.coverageWithExcess)} with excess)`).join('; '),
    categories: h.map((y) => String(y.year)),
    series: [
      { name: 'Budget', color: COLORS.budget, values: h.map((y) => y.budget) },
      { name: 'Assessed', color: COLORS.assessed, values: h.map((y) => y.assessed) },
      { name: 'Assessed contributions paid', color: COLORS.paid, values: h.map((y) => y.paid) },
      { name: 'In excess of assessment', color: COLORS.excess, values: h.map((y) => y.excess) },
    ],
    width: 1000,
    height: 280,
  })}</figure>
<div class="table-scroll"><table>
<caption>Budget years compared (CHF)</caption>
<thead><tr><th scope="col">Year</th><th scope="col">As of</th><th scope="col" class="num">Budget</th><th scope="col" class="num">Assessed</th><th scope="col" class="num">Paid</th><th scope="col" class="num">In excess</th><th scope="col" class="num">Coverage</th><th scope="col" class="num">With excess</th><th scope="col" class="num">States contributing</th></tr></thead>
<tbody>${h.map(
    (y) =>
      html`<tr data-year="${y.year}"><th scope="row">${y.year === d.year ? y.year : html`<a href="/dashboard?year=${y.year}&amp;asOf=${d.asOf}">${y.year}</a>`}</th><td>${when(y)}</td><td class="num">${money(y.budget)}</td><td class="num">${money(y.assessed)}</td><td class="num">${money(y.paid)}</td><td class="num">${money(y.excess)}</td><td class="num">${pct(y.coverage)}</td><td class="num">${pct(y.coverageWithExcess)}</td><td class="num">${count(y.counts.paid + y.counts.partial)} of ${count(y.counts.assessed)} (${pct(y.counts.shareContributingPercent)})</td></tr>`,
  )}</tbody></table></div>
</section>`;
}

/** Who is shown a pending change of the bank details on the dashboard: finance (who issues the documents) and the auditors; admins use the API or the CLI. */
export const ISSUER_CHANGE_VIEWERS: readonly string[] = ['finance', 'auditor'];

const shownValue = (field: string, v: string | string[] | null): string =>
  v === null ? '(none)' : Array.isArray(v) ? v.join(' / ') || '(none)' : field === 'bank.iban' ? formatIban(v) : v;

/** The notice of a change of the bank details waiting for a second admin (SPEC 9.8): what changes, from → to, by whom, when. */
export function issuerChangeNotice(c: IssuerChangeOut): SafeHtml {
  return html`<section class="notice" role="status" aria-labelledby="h-issuer-change" data-notice="issuer-change">
<h2 id="h-issuer-change">Change of the bank details pending approval</h2>
<p>Issuer change ${c.id}, proposed by <strong>${c.proposedBy}</strong> on <time datetime="${c.proposedAt}">${formatDate(c.proposedAt.slice(0, 10), 'en')} at ${c.proposedAt.slice(11, 16)} UTC</time>, takes effect only when a second admin approves it; until then invoices, credit notes and reminders carry the bank details in force.</p>
<div class="table-scroll"><table>
<caption>Proposed change</caption>
<thead><tr><th scope="col">Field</th><th scope="col">In force</th><th scope="col">Proposed</th></tr></thead>
<tbody>${c.changes.map((x) => html`<tr><th scope="row"><code>${x.field}</code></th><td>${shownValue(x.field, x.from)}</td><td><strong>${shownValue(x.field, x.to)}</strong></td></tr>`)}</tbody>
</table></div>
</section>`;
}

export function renderDashboard(d: DashboardData, viewer: Parameters<typeof layout>[0]['user'], pendingChange: IssuerChangeOut | null = null): string {
  const f = d.figures;
  const c = f.counts;
  const r = 'error' in d.reserve ? null : d.reserve;
  const reportQuery = `year=${d.year}&asOf=${d.asOf}`;
  const body = html`<h1>Budget ${d.year}: contributions and coverage</h1>
<p class="lead">As of <strong data-figure="as-of">${formatDate(d.asOf, 'en')}</strong> · budget approved in ${d.decisionRef} · payment cut-off date ${formatDate(f.cutoffDate, 'en')}</p>
${pendingChange ? issuerChangeNotice(pendingChange) : ''}
<div class="toolbar">
<form method="get" action="/dashboard" aria-label="Choose the year and date">
  <div><label for="year">Budget year</label><select id="year" name="year">${d.years.map((y) => html`<option value="${y}"${y === d.year ? html` selected` : ''}>${y}</option>`)}</select></div>
  <div><label for="asOf">As of</label><input id="asOf" name="asOf" type="date" value="${d.asOf}" required></div>
  <button class="primary" type="submit">Show</button>
</form>
<div class="downloads" aria-label="Status of contributions report">
  <a href="/api/v1/reports/status-of-contributions.pdf?${reportQuery}">Status of contributions (PDF)</a>
  <a href="/dashboard/status-of-contributions.csv?${reportQuery}" download>Status of contributions (CSV)</a>
  <a href="/api/v1/reports/status-of-contributions.xlsx?${reportQuery}" download>Status of contributions (XLSX)</a>
</div>
</div>
<ul class="kpis" aria-label="Key figures">
${kpi(`Budget ${d.year}`, chf(f.budget), 'budget', d.decisionRef)}
${kpi('Assessed', chf(f.assessed), 'assessed', `${count(c.assessed)} States Parties`)}
${kpi('Received', chf(f.received), 'received', `${money(f.paid)} assessed + ${money(f.excess)} in excess`)}
${kpi('Coverage, assessed only', pct(f.coverage), 'coverage', 'assessed contributions paid ÷ budget', 'key')}
${kpi('Coverage with excess', pct(f.coverageWithExcess), 'coverage-with-excess', 'including contributions in excess of assessment', 'key')}
${kpi(`Outstanding ${d.year}`, chf(f.outstanding), 'outstanding', `assessed for ${d.year}, not yet paid`)}
${kpi('States contributing', pct(c.shareContributingPercent), 'share-contributing', `${count(c.paid)} in full · ${count(c.partial)} in part · ${count(c.unpaid)} nothing`)}
${kpi('Top 5 share of receipts', pct(d.concentration.topShare), 'top5', `of ${chf(d.concentration.total)} from ${count(d.concentration.contributors)} States`)}
${kpi(`Arrears before ${d.year}`, chf(f.arrearsBefore), 'arrears', 'unpaid assessments of earlier years', new Dec(f.arrearsBefore).gt(0) ? 'warn' : '')}
${r ? kpi('Reserve', chf(r.balance), 'reserve', `${pct(percentOf(r.balance, r.target))} of the ${chf(r.target)} target${new Dec(r.totalOutstanding).gt(0) ? ` · ${chf(r.totalOutstanding)} drawn, not restored` : ''}`) : ''}
</ul>
${coveragePanel(d)}
<div class="grid">
${payersPanel(d)}
${concentrationPanel(d)}
${arrearsPanel(d)}
${reservePanel(d)}
</div>
${cashflowPanel(d)}
${executionPanel(d)}
${historyPanel(d)}`;
  return layout({ title: `Dashboard ${d.year}`, user: viewer ?? null, active: 'dashboard', body });
}

export default async function dashboardPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  app.get('/dashboard', { schema: { hide: true } }, async (request, reply) => {
    const viewer = requireViewer(request, reply, DASHBOARD_ROLES);
    if (!viewer) return reply;
    const q = dashboardQuery.safeParse(request.query);
    if (!q.success)
      return sendHtml(reply, 400, messagePage('Bad request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), viewer, { href: '/dashboard', text: 'Back to the dashboard' }));
    const data = dashboardData(ctx, q.data);
    if (!data)
      return sendHtml(
        reply,
        404,
        messagePage('No such budget', q.data.year === undefined ? 'No budget has been entered yet.' : `There is no budget for ${q.data.year}.`, viewer, { href: '/dashboard', text: 'Back to the dashboard' }),
      );
    const pending = ISSUER_CHANGE_VIEWERS.includes(viewer.role) ? pendingIssuerChange(ctx.db) : null;
    return sendHtml(reply, 200, renderDashboard(data, viewer, pending));
  });

  /** The status report as a CSV download for the dashboard's link (the API gives CSV only on Accept: text/csv). */
  app.get('/dashboard/status-of-contributions.csv', { schema: { hide: true } }, async (request, reply) => {
    const viewer = requireViewer(request, reply, DASHBOARD_ROLES);
    if (!viewer) return reply;
    const q = z.object({ year: yearParam, asOf: isoDate.optional() }).safeParse(request.query);
    if (!q.success) return sendHtml(reply, 400, messagePage('Bad request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), viewer));
    const report = statusOfContributions(ctx, q.data.year, q.data.asOf);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="status-of-contributions-${report.year}-${report.asOf}.csv"`)
      .send(statusReportCsv(report));
  });
}
