/**
 * The annual financial statement (SPEC 9.5) for the Meeting of States
 * Parties: a pure function of a FinancialStatementDocument and the issuer's
 * settings (same input, same bytes). English, A4 portrait. Four statements,
 * each with the year beside the previous year, then the notes.
 */
import { formatDate, formatMoney, labels } from './i18n.js';
import {
  ACCENT,
  Flow,
  INK,
  MARGIN_X,
  MUTED,
  contentWidth,
  drawReportLetterhead,
  drawFooters,
  drawTable,
  footerTop,
  hrule,
  newReport,
  put,
  toBuffer,
  type Column,
  type Doc,
  type TableRow,
} from './layout.js';
import type { Figure, FinancialStatementDocument, IssuerSettings } from './types.js';

export function financialStatementTitle(year: number): string {
  return `Financial statement ${year}`;
}

/** Amounts in English format, a deficit in brackets; a nil amount is a dash. */
function amount(a: string | null): string {
  if (a === null) return '–';
  if (!/[1-9]/.test(a)) return '–';
  return a.startsWith('-') ? `(${formatMoney(a.slice(1), 'en')})` : formatMoney(a, 'en');
}

type Line = { label: string; figure: Figure; bold?: boolean; indent?: boolean };

function section(doc: Doc, flow: Flow, y0: number, title: string, s: FinancialStatementDocument, lines: Line[]): number {
  const width = contentWidth(doc);
  const money = 95;
  const cols: Column[] = [
    { header: 'CHF', width: width - 2 * money },
    { header: String(s.year), width: money, align: 'right' },
    { header: String(s.previousYear), width: money, align: 'right' },
  ];
  let y = flow.ensure(y0, 60);
  y = put(doc, title, MARGIN_X, y, width, { size: 11, bold: true, color: ACCENT, lineGap: 1 }) + 2;
  hrule(doc, MARGIN_X, y, width, ACCENT, 0.8);
  const rows: TableRow[] = lines.map((l) => ({
    cells: [`${l.indent ? '    ' : ''}${l.label}`, amount(l.figure.current), amount(l.figure.previous)],
    ...(l.bold ? { bold: true } : {}),
    ...(l.indent ? { color: MUTED } : {}),
  }));
  return drawTable(doc, flow, cols, rows, y + 4, { size: 8.5, padTop: 3, padBottom: 2 }) + 16;
}

const fig = (current: string, previous: string): Figure => ({ current, previous });

/** Renders the annual financial statement (English, A4 portrait) to PDF bytes. */
export async function renderFinancialStatementPdf(s: FinancialStatementDocument, issuer: IssuerSettings): Promise<Buffer> {
  const L = labels('en');
  const title = financialStatementTitle(s.year);
  const { doc, flow } = await newReport(issuer, {
    title,
    subject: `Income and expenditure ${s.year}, financial position at ${s.asOf}, changes in the working capital reserve, contributions`,
    keywords: `financial statement ${s.year}`,
    issueDate: s.asOf,
    running: title,
  });
  const width = contentWidth(doc);

  let y = drawReportLetterhead(doc, issuer, width);
  y = put(doc, title.toUpperCase(), MARGIN_X, y + 14, width, { size: 18, bold: true, color: ACCENT, lineGap: 0 }) + 4;
  y = put(
    doc,
    `Year ended ${formatDate(s.asOf, 'en')} · ${s.closed ? 'the year is closed' : 'the year is not closed: its result is shown as the surplus of years not closed'}. Amounts in Swiss francs; the previous year beside each figure; a deficit in brackets.`,
    MARGIN_X,
    y,
    width,
    { size: 9, color: INK, lineGap: 1.5 },
  ) + 14;

  const ie = s.incomeAndExpenditure;
  y = section(doc, flow, y, `I. Statement of income and expenditure, ${s.year}`, s, [
    { label: 'Assessed contributions', figure: ie.assessedContributions },
    ...ie.assessedByBudgetYear.map((b) => ({ label: `for the ${b.budgetYear} budget`, figure: fig(b.current, b.previous), indent: true })),
    { label: 'Voluntary contributions', figure: ie.voluntaryContributions },
    { label: 'Other income', figure: ie.otherIncome },
    { label: 'Total income', figure: ie.totalIncome, bold: true },
    ...ie.expenditureByLine.map((l) => ({ label: `Expenditure: ${l.label}`, figure: fig(l.current, l.previous) })),
    { label: 'Total expenditure', figure: ie.totalExpenditure, bold: true },
    { label: 'Surplus (deficit) for the year', figure: ie.surplus, bold: true },
  ]);

  const fp = s.financialPosition;
  y = section(doc, flow, y, `II. Statement of financial position at ${formatDate(s.asOf, 'en')}`, s, [
    { label: 'Operating cash', figure: fp.operatingCash },
    { label: 'Working capital reserve cash', figure: fp.reserveCash },
    { label: 'Contributions receivable', figure: fp.receivables },
    ...fp.receivablesByYear.map((b) => ({ label: `for the ${b.budgetYear} budget`, figure: fig(b.current, b.previous), indent: true })),
    { label: 'Total assets', figure: fp.totalAssets, bold: true },
    { label: 'Unapplied credit of States (payments received in advance)', figure: fp.unappliedCredit },
    { label: 'Total liabilities', figure: fp.totalLiabilities, bold: true },
    { label: 'Working capital reserve fund', figure: fp.reserveFund },
    { label: 'Accumulated fund', figure: fp.accumulatedFund },
    { label: 'Surplus (deficit) of years not closed', figure: fp.surplusNotClosed },
    { label: 'Total net assets', figure: fp.totalNetAssets, bold: true },
    { label: 'Total liabilities and net assets', figure: fp.totalLiabilitiesAndNetAssets, bold: true },
  ]);

  const r = s.reserve;
  y = section(doc, flow, y, `III. Changes in the working capital reserve, ${s.year}`, s, [
    { label: 'Reserve cash at 1 January', figure: r.opening, bold: true },
    { label: 'Contributions', figure: r.contributions },
    { label: 'Transfers', figure: r.transfers },
    { label: 'Drawdowns to operating cash', figure: { current: `-${r.drawdowns.current}`, previous: r.drawdowns.previous === null ? null : `-${r.drawdowns.previous}` } },
    { label: 'Restorations', figure: r.restorations },
    { label: 'Other', figure: r.other },
    { label: 'Reserve cash at 31 December', figure: r.closing, bold: true },
    { label: 'Reserve fund at 1 January', figure: r.fundOpening },
    { label: 'Reserve fund at 31 December', figure: r.fundClosing },
  ]);

  if (s.contributions) {
    const c = s.contributions;
    y = section(doc, flow, y, `IV. Assessed contributions to the ${s.year} budget, at ${formatDate(s.asOf, 'en')}`, s, [
      { label: 'Assessed', figure: c.assessed },
      { label: 'Credited', figure: c.credited },
      { label: 'Collected', figure: c.collected },
      { label: 'Outstanding', figure: c.outstanding, bold: true },
      { label: 'Earlier years still outstanding', figure: c.priorOutstanding },
      { label: `Money received in the year`, figure: c.received },
      { label: 'Unapplied credit held', figure: c.unappliedCredit },
    ]);
  }

  y = put(doc, 'Notes', MARGIN_X, flow.ensure(y, 40), width, { size: 11, bold: true, color: ACCENT, lineGap: 1 }) + 2;
  hrule(doc, MARGIN_X, y, width, ACCENT, 0.8);
  y += 6;
  s.notes.forEach((n, i) => {
    y = flow.ensure(y, 24);
    y = put(doc, `${i + 1}. ${n.text}`, MARGIN_X, y, width, { size: 8, color: INK, lineGap: 1.2 }) + 3;
  });

  drawFooters(doc, L, `${title} · year ended ${formatDate(s.asOf, 'en')}`, () => footerTop(doc));
  return toBuffer(doc);
}
