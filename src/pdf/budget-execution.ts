/**
 * The budget execution report (SPEC 9.5) for a budget year, as of a date: a
 * pure function of an ExecutionDocument and the issuer's settings (same
 * input, same bytes). English, A4 portrait.
 *
 * The letterhead, the title and the date of the figures, then one row per
 * line of the version in force (approved, revised, spent, remaining, % spent,
 * and a bar of spent against revised), the uncoded row, the totals in a
 * double-ruled line, and notes on what each column is.
 */
import { formatDate, formatMoney, labels } from './i18n.js';
import {
  ACCENT,
  ACCENT_BG,
  ALERT,
  CELL_PAD,
  INK,
  MARGIN_X,
  MUTED,
  RULE,
  contentWidth,
  drawFooters,
  drawReportLetterhead,
  drawTable,
  drawTotalCells,
  footerTop,
  newReport,
  put,
  toBuffer,
  type Column,
  type Doc,
  type TableRow,
} from './layout.js';
import type { ExecutionDocument, ExecutionFigures, IssuerSettings } from './types.js';

export function executionTitle(year: number): string {
  return `Budget execution — budget ${year}`;
}

/** An amount in English format; a nil amount is a dash; a negative one (overspent) in brackets. */
function amount(a: string): string {
  if (!/[1-9]/.test(a)) return '–';
  return a.startsWith('-') ? `(${formatMoney(a.slice(1), 'en')})` : formatMoney(a, 'en');
}

const percent = (p: string | null) => (p === null ? '–' : `${p} %`);

const figures = (f: ExecutionFigures) => [amount(f.approved), amount(f.revised), amount(f.spent), amount(f.remaining), percent(f.percentSpent)];

function columns(doc: Doc): Column[] {
  const money = 68;
  const pct = 42;
  const bar = 56;
  return [
    { header: 'Budget line', width: contentWidth(doc) - 4 * money - pct - bar },
    { header: 'Approved', width: money, align: 'right' },
    { header: 'Revised', width: money, align: 'right' },
    { header: 'Spent', width: money, align: 'right' },
    { header: 'Remaining', width: money, align: 'right' },
    { header: '% spent', width: pct, align: 'right' },
    { header: 'Spent of revised', width: bar },
  ];
}

/** The share spent (0 to 1, capped) of a row, from its percentage string; null when nothing is budgeted. */
function share(p: string | null): number | null {
  if (p === null) return null;
  const n = Number(p) / 100; // drawing only: the figure printed is the string
  return Math.max(0, Math.min(1, n));
}

/** Renders the budget execution (English, A4 portrait) to PDF bytes. */
export async function renderExecutionPdf(r: ExecutionDocument, issuer: IssuerSettings): Promise<Buffer> {
  const L = labels('en');
  const title = executionTitle(r.year);
  const asOf = `as of ${formatDate(r.asOf, 'en')}`;
  const { doc, flow } = await newReport(issuer, {
    title: `${title}, ${asOf}`,
    subject: `Budget ${r.year} by line: approved, revised, spent, remaining and share spent`,
    keywords: `budget execution ${r.year} ${r.asOf}`,
    issueDate: r.asOf,
    running: `${title}, ${asOf}`,
  });
  const width = contentWidth(doc);

  let y = drawReportLetterhead(doc, issuer, width);
  y = put(doc, title.toUpperCase(), MARGIN_X, y + 14, width, { size: 18, bold: true, color: ACCENT, lineGap: 0 }) + 4;
  y = put(doc, asOf, MARGIN_X, y, width, { size: 11, bold: true, color: INK, lineGap: 1 }) + 4;
  const version = r.version === 1 ? 'the budget as adopted (version 1)' : `version ${r.version} of the budget (as revised)`;
  y = put(doc, `Amounts in Swiss francs (CHF). The lines are those of ${version}, in force on ${formatDate(r.asOf, 'en')}.`, MARGIN_X, y, width, { size: 9, color: INK, lineGap: 1.5 }) + 14;

  const cols = columns(doc);
  const barCol = cols.length - 1;
  const barX = MARGIN_X + cols.slice(0, barCol).reduce((s, c) => s + c.width, 0) + CELL_PAD;
  const barW = (cols[barCol]?.width ?? 0) - 2 * CELL_PAD;
  const rows: TableRow[] = r.lines.map((l) => ({
    cells: [l.label, ...figures(l), ''],
    ...(l.code === null ? { color: MUTED } : {}),
  }));
  // The bars: drawn in their cell as each row is laid out.
  const tableEnd = drawTable(doc, flow, cols, rows, y, { size: 8.5, padTop: 4, padBottom: 3, onRow: (i, rowTop, rowH) => drawBar(doc, barX, rowTop, barW, rowH, r.lines[i]?.percentSpent ?? null) });
  y = drawTotalCells(doc, flow, cols, { cells: ['Total', ...figures(r.totals), ''] }, tableEnd, 9) + 18;

  const notes = [
    `Approved: each line in the budget as adopted by the Meeting of States Parties (version 1).`,
    `Revised: each line in the latest version of the budget approved on or before ${formatDate(r.asOf, 'en')}; a line that a revision removed shows 0.`,
    `Spent: the expenditures coded to the line for the ${r.year} budget, dated on or before ${formatDate(r.asOf, 'en')}, net of their reversals dated then. Expenditures of the year without a line are shown on the line "Not coded to a line".`,
    'Remaining: revised less spent; a negative amount (in brackets) is spent beyond the line. % spent: spent over revised, to one decimal; a dash where nothing is budgeted.',
    'Every figure is read from the ledger: the total spent equals the expenditure posted for the budget year.',
  ];
  y = put(doc, 'Notes', MARGIN_X, flow.ensure(y, 40), width, { size: 10, bold: true, color: ACCENT, lineGap: 1 }) + 4;
  notes.forEach((n, i) => {
    y = flow.ensure(y, 22);
    y = put(doc, `${i + 1}. ${n}`, MARGIN_X, y, width, { size: 8, color: INK, lineGap: 1.2 }) + 3;
  });

  drawFooters(doc, L, `${title} · ${asOf}`, () => footerTop(doc));
  return toBuffer(doc);
}

/** A bar of spent against revised in a row: the track, the share filled, red beyond 100 %. */
function drawBar(doc: Doc, x: number, rowTop: number, width: number, rowH: number, percentSpent: string | null): void {
  const s = share(percentSpent);
  if (s === null) return;
  const h = 6;
  const y = rowTop + Math.min(5, (rowH - h) / 2); // level with the first line of text
  doc.save().rect(x, y, width, h).fillColor(ACCENT_BG).fill().restore();
  const over = percentSpent !== null && Number(percentSpent) > 100;
  if (s > 0) doc.save().rect(x, y, width * s, h).fillColor(over ? ALERT : ACCENT).fill().restore();
  doc.save().lineWidth(0.4).strokeColor(RULE).rect(x, y, width, h).stroke().restore();
}
