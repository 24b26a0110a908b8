/**
 * The status-of-contributions report for a budget year, as of a date: a pure
 * function of a StatusReportDocument and the issuer's settings (same input,
 * same bytes). English, A4 landscape.
 *
 * Page 1: sender block, title, the date of the figures, the budget and its
 * cut-off date. Then one row per State with the figures of SPEC 9.1 (earlier
 * years: unpaid at the start, collected, credited, outstanding; the year:
 * assessed, credited, collected, outstanding; money received in the year,
 * the part in excess of assessments, unapplied credit; status) with the
 * header repeated on every page, the totals, a summary (coverage of the
 * budget; States paid in full / in part / nothing and their shares; money of
 * other donors) and the honour roll in columns.
 */
import { formatDate, formatInteger, formatMoney, formatPercent, labels } from './i18n.js';
import {
  ACCENT,
  ACCENT_BG,
  Flow,
  INK,
  MARGIN_X,
  MUTED,
  TOP_Y,
  contentWidth,
  drawContinuationHeader,
  drawReportLetterhead,
  drawFooters,
  drawTable,
  drawTotalCells,
  footerTop,
  hrule,
  measure,
  measureWidth,
  CELL_PAD,
  newReport,
  put,
  toBuffer,
  type Column,
  type Doc,
  type TableRow,
} from './layout.js';
import { formatMoney as centimesToString, parseMoney, sumCentimes } from '../domain/money.js';
import { STATUS_FIGURES, type IssuerSettings, type StatusReportDocument } from './types.js';

type Status = StatusReportDocument['rows'][number]['status'];

/** The words for a status, in the PDF and in the CSV alike. */
export const STATUS_LABEL: Record<Status, string> = {
  paid: 'Paid in full',
  partial: 'Paid in part',
  unpaid: 'Paid nothing',
  credited: 'Credited in full',
  'not-assessed': 'Not assessed',
};

/** The title, also used by the running header and the footer. */
export function statusReportTitle(year: number): string {
  return `Status of contributions — budget ${year}`;
}

/** Amounts in English format; a nil amount is a dash, as in the printed UN tables. */
function amount(a: string): string {
  return /[1-9]/.test(a) ? formatMoney(a, 'en') : '–';
}

/**
 * The table's columns fitted to their content: each amount column as wide as
 * its widest figure (the totals' bold ones included) or header word, the
 * status as wide as its widest label, the State as wide as its longest name
 * when the page allows (else what is left, and long names wrap); what the
 * page has beyond that is shared among the amount columns.
 */
function reportColumns(doc: Doc, year: number, cells: string[][], totals: string[]): Column[] {
  const pad = 2 * CELL_PAD + 2;
  const iso = 30;
  const widest = (texts: string[], size: number, bold = false) => Math.max(0, ...texts.map((t) => measureWidth(doc, t, size, bold)));
  const headerWords = ['Unpaid', 'start', 'Collected', 'Credited', 'Outstanding', 'Assessed', 'Received', 'excess', 'Credit', 'held'];
  const figureNeed = Math.max(widest(headerWords, 7, true), ...FIGURE_ORDER.map((_, i) => Math.max(widest(cells.map((c) => c[i + 2]!), 7), widest([totals[i]!], 7, true)))) + pad;
  const status = widest(Object.values(STATUS_LABEL), 7) + pad;
  const nameNeed = Math.max(widest(cells.map((c) => c[1]!), 7), widest(['State', 'Total'], 7, true), 60) + pad;
  const room = contentWidth(doc) - iso - status;
  const nameW = Math.min(nameNeed, Math.max(room - 11 * figureNeed, 70));
  const figureW = (room - nameW) / 11;
  const prior = `Years before ${year}`;
  const own = `Budget ${year}`;
  const money_ = `Money received in ${year}`;
  return [
    { header: 'ISO3', width: iso },
    { header: 'State', width: nameW },
    { header: 'Unpaid at start', width: figureW, align: 'right', headerSize: 7, group: prior },
    { header: 'Collected', width: figureW, align: 'right', headerSize: 7, group: prior },
    { header: 'Credited', width: figureW, align: 'right', headerSize: 7, group: prior },
    { header: 'Outstanding', width: figureW, align: 'right', headerSize: 7, group: prior },
    { header: 'Assessed', width: figureW, align: 'right', headerSize: 7, group: own },
    { header: 'Credited', width: figureW, align: 'right', headerSize: 7, group: own },
    { header: 'Collected', width: figureW, align: 'right', headerSize: 7, group: own },
    { header: 'Outstanding', width: figureW, align: 'right', headerSize: 7, group: own },
    { header: 'Received', width: figureW, align: 'right', headerSize: 7, group: money_ },
    { header: 'In excess', width: figureW, align: 'right', headerSize: 7, group: money_ },
    { header: 'Credit held', width: figureW, align: 'right', headerSize: 7, group: money_ },
    { header: 'Status', width: status },
  ];
}

/** The figures of a row or of the totals, in the order of the columns. */
const FIGURE_ORDER = STATUS_FIGURES;

/** Sender block, title, date of the figures and the key facts of the budget. Returns the y where the body starts. */
function drawReportHeader(doc: Doc, issuer: IssuerSettings, r: StatusReportDocument): number {
  const width = contentWidth(doc);
  const leftW = width * 0.56;
  const sy = drawReportLetterhead(doc, issuer, leftW, [`Email: ${issuer.email}`, ...(issuer.website ? [issuer.website] : [])].join('   ·   '));

  let ty = sy + 16;
  ty = put(doc, statusReportTitle(r.year).toUpperCase(), MARGIN_X, ty, leftW, { size: 18, bold: true, color: ACCENT, lineGap: 0 }) + 4;
  ty = put(doc, `as of ${formatDate(r.asOf, 'en')}`, MARGIN_X, ty, leftW, { size: 11, bold: true, color: INK, lineGap: 1 });

  // Key facts, right of the title, in a light box.
  const boxX = MARGIN_X + leftW + 24;
  const boxW = width - leftW - 24;
  const facts: [string, string, boolean][] = [
    [`Budget ${r.year}`, `CHF ${formatMoney(r.budget, 'en')}`, true],
    ['Cut-off date for payment', formatDate(r.cutoffDate, 'en'), true],
    ['Generated on', formatDate(r.generatedOn, 'en'), false],
  ];
  const labelW = 120;
  const boxTop = sy + 12;
  let fy = boxTop + 8;
  const factsH = facts.length * 14.5 + 12;
  doc.save().rect(boxX, boxTop, boxW, factsH).fillColor(ACCENT_BG).fill().restore();
  for (const [label, value, bold] of facts) {
    put(doc, label, boxX + 10, fy + 0.6, labelW - 6, { size: 8.5, color: MUTED, lineGap: 1 });
    put(doc, value, boxX + 10 + labelW, fy, boxW - 20 - labelW, { size: 9.5, bold, lineGap: 1 });
    fy += 14.5;
  }
  let y = Math.max(ty, boxTop + factsH) + 12;
  const start = r.asOf < `${r.year}-01-01` ? formatDate(r.asOf, 'en') : `1 January ${r.year}`;
  const intro =
    `Amounts in Swiss francs (CHF). Years before ${r.year}: what was unpaid on earlier budgets at the start (${start}), what was collected ` +
    `on them and credited since, and what is still outstanding. ${r.year}: the assessment, credit notes on it, the money applied to it whenever ` +
    `received, and what is outstanding. Received: money with a value date in ${r.year}; in excess of assessment: the part of it not applied to ` +
    'any invoice, reported separately from assessed contributions and counted once, in the year it was received. Each row reconciles: unpaid at ' +
    'start + assessed = collected + credited + outstanding, for the earlier years and the year together.';
  y = put(doc, intro, MARGIN_X, y, width, { size: 8, color: MUTED, lineGap: 1.2 }) + 14;
  return y;
}

/** A small table of label / figure(s) lines in a box `width` wide; the last column is right-aligned. */
function drawFigures(
  doc: Doc,
  x: number,
  y0: number,
  width: number,
  title: string,
  colWidths: number[],
  rows: { cells: string[]; bold?: boolean; ruleAbove?: boolean; muted?: boolean }[],
): number {
  let y = put(doc, title, x, y0, width, { size: 9.5, bold: true, color: INK, lineGap: 1 }) + 4;
  for (const row of rows) {
    if (row.ruleAbove) {
      hrule(doc, x, y + 1, width, INK, 0.6);
      y += 3;
    }
    let cx = x;
    let bottom = y;
    row.cells.forEach((c, i) => {
      const w = colWidths[i] ?? 0;
      const align = i === 0 ? 'left' : 'right';
      bottom = Math.max(
        bottom,
        put(doc, c, cx, y + 2, w - (i === 0 ? 6 : 0), { size: 9, bold: row.bold ?? false, color: row.muted ? MUTED : INK, align, lineGap: 1 }),
      );
      cx += w;
    });
    y = bottom + 1.5;
  }
  return y;
}

function figuresHeight(rows: number, rules: number): number {
  return 16 + rows * 13 + rules * 3;
}

function drawSummary(doc: Doc, flow: Flow, r: StatusReportDocument, y0: number): number {
  const width = contentWidth(doc);
  const c = r.counts;
  const donorsRows = r.otherDonors.length === 0 ? 1 : r.otherDonors.length + (r.otherDonors.length > 1 ? 1 : 0);
  const lateRows = r.lateAssessments.length ? r.lateAssessments.length + 10 / 13 : 0;
  const h = 24 + Math.max(figuresHeight(6, 1), figuresHeight(3, 0) + 10 + figuresHeight(donorsRows, 1) + (lateRows ? 10 + figuresHeight(lateRows, 0) : 0));
  let y = flow.ensure(y0, h);
  put(doc, 'Summary', MARGIN_X, y, width, { size: 10, bold: true, color: ACCENT });
  hrule(doc, MARGIN_X, y + 14, width, ACCENT, 0.8);
  y += 22;

  const leftW = 330;
  const count = (n: number) => formatInteger(n, 'en');
  const yLeft = drawFigures(doc, MARGIN_X, y, leftW, `States assessed for ${r.year}`, [190, 50, 90], [
    { cells: ['', 'States', 'Share'], muted: true },
    { cells: ['Assessed States', count(c.assessed), ''], bold: true },
    { cells: ['Paid in full', count(c.paid), formatPercent(c.sharePaidPercent, 'en')] },
    { cells: ['Paid in part', count(c.partial), formatPercent(c.sharePartialPercent, 'en')] },
    { cells: ['Paid nothing', count(c.unpaid), formatPercent(c.shareUnpaidPercent, 'en')] },
    {
      cells: ['States contributing (in full or in part)', count(c.paid + c.partial), formatPercent(c.shareContributingPercent, 'en')],
      bold: true,
      ruleAbove: true,
    },
  ]);

  const rightX = MARGIN_X + leftW + 48;
  const rightW = Math.min(380, width - leftW - 48);
  const donorRows =
    r.otherDonors.length === 0
      ? [{ cells: ['None received.', ''], muted: true }]
      : [
          ...r.otherDonors.map((d) => ({ cells: [d.purpose === 'reserve' ? `${d.donor} (to the reserve)` : d.donor, `CHF ${formatMoney(d.amount, 'en')}`] })),
          ...(r.otherDonors.length > 1
            ? [{ cells: ['Total', `CHF ${formatMoney(sumMoney(r.otherDonors.map((d) => d.amount)), 'en')}`], bold: true, ruleAbove: true }]
            : []),
        ];
  const yCoverage = drawFigures(doc, rightX, y, rightW, `Coverage of the ${r.year} budget`, [rightW - 170, 100, 70], [
    { cells: ['', 'CHF', 'Budget'], muted: true },
    { cells: [`Collected on the ${r.year} assessments`, formatMoney(r.totals.collected, 'en'), formatPercent(r.coverage.collectedPercent, 'en')], bold: true },
    { cells: ['With money received in excess of assessments', formatMoney(addMoney(r.totals.collected, r.totals.inExcess), 'en'), formatPercent(r.coverage.withExcessPercent, 'en')] },
  ]);
  let yRight = drawFigures(doc, rightX, yCoverage + 10, rightW, `Money of donors that are not States, received in ${r.year}`, [rightW - 120, 120], donorRows);
  if (r.lateAssessments.length)
    yRight = drawFigures(doc, rightX, yRight + 10, rightW, `Assessed beyond the budget: States assessed after the ${r.year} invoices were issued`, [rightW - 120, 120], [
      ...r.lateAssessments.map((l) => ({ cells: [`${l.name} (${l.invoice})`, `CHF ${formatMoney(l.amount, 'en')}`] })),
    ]);
  return Math.max(yLeft, yRight) + 18;
}

/**
 * The honour roll: names in columns, read down then across. It is kept on one
 * page (moved to a new page when the rest of this one is too short); only a
 * roll longer than a whole page runs on, with its title repeated.
 */
function drawHonourRoll(doc: Doc, flow: Flow, r: StatusReportDocument, y0: number): number {
  const width = contentWidth(doc);
  const title = `Honour roll: States that paid their ${r.year} assessment in full by the cut-off date (${formatDate(r.cutoffDate, 'en')})`;
  const names = r.honourRoll.map((s) => s.name);
  const columns = 4;
  const gap = 16;
  const colW = (width - (columns - 1) * gap) / columns;
  const st = { size: 8.5, lineGap: 1.2 };
  const heights = names.map((n) => measure(doc, n, colW, st) + 2);
  const titleSt = { size: 10, bold: true, color: ACCENT, lineGap: 1 };
  const titleH = measure(doc, title, width, titleSt) + 24;

  /** Height of names[from, from + k) laid out in the columns. */
  const blockHeight = (from: number, k: number): number => {
    const perCol = Math.ceil(k / columns);
    let hMax = 0;
    for (let c = 0; c < columns; c++) {
      let h = 0;
      for (let i = from + c * perCol; i < Math.min(from + (c + 1) * perCol, from + k); i++) h += heights[i] ?? 0;
      hMax = Math.max(hMax, h);
    }
    return hMax;
  };
  const drawTitle = (y: number, continued: boolean): number => {
    const ty = put(doc, continued ? `${title} (continued)` : title, MARGIN_X, y, width, titleSt);
    hrule(doc, MARGIN_X, ty + 2, width, ACCENT, 0.8);
    const count = names.length === 0 || continued ? '' : `${formatInteger(names.length, 'en')} States`;
    put(doc, count, MARGIN_X, ty + 8, width, { size: 8.5, color: MUTED, lineGap: 1 });
    return ty + 8 + 16;
  };

  const whole = titleH + blockHeight(0, names.length);
  // A continuation page starts about 30 pt below TOP_Y (see drawContinuationHeader).
  const freshPage = flow.bottom - (TOP_Y + 30);
  const roomForStart = titleH + 3 * (heights[0] ?? 12);
  const moveWhole = y0 + whole > flow.bottom && whole <= freshPage;
  let y = moveWhole || y0 + roomForStart > flow.bottom ? flow.newPage() : y0;
  y = drawTitle(y, false);
  if (names.length === 0) {
    return put(doc, `No State had paid its ${r.year} assessment in full by the cut-off date.`, MARGIN_X, y - 16, width, { size: 9, color: MUTED }) + 12;
  }
  let next = 0;
  while (next < names.length) {
    // As many names as fit on this page, shared evenly between the columns.
    let take = names.length - next;
    while (take > 0 && y + blockHeight(next, take) > flow.bottom) take -= 1;
    if (take === 0) take = 1; // a single name taller than a page cannot happen with 4 columns; never loop
    const perCol = Math.ceil(take / columns);
    let bottom = y;
    for (let c = 0; c < columns; c++) {
      let cy = y;
      for (let i = next + c * perCol; i < Math.min(next + (c + 1) * perCol, next + take); i++) {
        cy = put(doc, names[i] ?? '', MARGIN_X + c * (colW + gap), cy, colW, st) + 2;
      }
      bottom = Math.max(bottom, cy);
    }
    next += take;
    y = bottom;
    if (next < names.length) y = drawTitle(flow.newPage(), true);
  }
  return y + 12;
}

/** a + b of two money strings, exactly. */
function addMoney(a: string, b: string): string {
  return sumMoney([a, b]);
}

/** Exact sum of money strings, through integer centimes. */
function sumMoney(amounts: string[]): string {
  return centimesToString(sumCentimes(amounts.map((a) => parseMoney(a.trim(), { signed: true }))));
}

/** Renders the status-of-contributions report (English, A4 landscape) to PDF bytes. */
export async function renderStatusReportPdf(r: StatusReportDocument, issuer: IssuerSettings): Promise<Buffer> {
  const L = labels('en');
  const title = statusReportTitle(r.year);
  const asOf = `as of ${formatDate(r.asOf, 'en')}`;
  const { doc, flow } = await newReport(issuer, {
    title: `${title}, ${asOf}`,
    subject: `Assessed contributions to the ${r.year} budget: earlier years, assessed, collected, outstanding, money in excess, coverage and honour roll`,
    keywords: `status of contributions ${r.year} ${r.asOf}`,
    issueDate: r.generatedOn,
    landscape: true,
    running: `${title}, ${asOf}`,
  });

  let y = drawReportHeader(doc, issuer, r);
  const rows: TableRow[] = r.rows.map((row) => ({
    cells: [row.iso3, row.name, ...FIGURE_ORDER.map((k) => amount(row[k])), STATUS_LABEL[row.status]],
    ...(row.status === 'not-assessed' || row.status === 'credited' ? { color: MUTED } : {}),
  }));
  const totals = FIGURE_ORDER.map((k) => formatMoney(r.totals[k], 'en'));
  const cols = reportColumns(
    doc,
    r.year,
    rows.map((x) => x.cells),
    totals,
  );
  y = drawTable(doc, flow, cols, rows, y, { size: 7, padTop: 3, padBottom: 2, keepLast: { rows: 3, tail: 28 } });
  y =
    drawTotalCells(
      doc,
      flow,
      cols,
      { cells: ['Total', ...totals, ''], spans: [2, ...FIGURE_ORDER.map(() => 1), 1] },
      y,
      7,
    ) + 20;

  y = drawSummary(doc, flow, r, y);
  drawHonourRoll(doc, flow, r, y);

  drawFooters(doc, L, `${title} · ${asOf}`, () => footerTop(doc));
  return toBuffer(doc);
}
