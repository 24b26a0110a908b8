/**
 * The statement of account of a State Party, in its language: a pure function
 * of a StatementDocument and the issuer's settings (same input, same bytes).
 *
 * Page 1: sender block, the Permanent Mission's address in the envelope
 * window, title, State, period and date of the statement. Then one table: the
 * opening balance, the transactions of the period (date, kind, reference,
 * budget year, debit, credit, running balance), the closing balance; then the
 * unapplied credit held, the arrears by budget year and the notes. The table
 * runs over as many pages as needed with its header repeated.
 *
 * Sign convention (the accountant's, from the ISU's side): a positive balance
 * is owed by the State; a negative one, printed with a minus sign, is in the
 * State's favour, and the opening/closing balance labels then say so in words
 * ("(in credit)", « (solde créditeur) », «(saldo acreedor)»).
 */
import { formatDate, formatMoney, formatShortDate, labels, numberStyleOf, statementLabels, type NumberStyleKey, type StatementLabels } from './i18n.js';
import {
  CELL_PAD,
  ACCENT_BG,
  CONTENT_W,
  FOOTER_Y,
  Flow,
  INK,
  MARGIN_X,
  MUTED,
  RULE,
  drawContinuationHeader,
  drawFirstPageHeader,
  drawFooters,
  drawTable,
  drawTotalRow,
  hrule,
  measure,
  newDocument,
  put,
  toBuffer,
  type Column,
  type Doc,
  type TableRow,
  issuerIn,
} from './layout.js';
import { formatMoney as centimesToString, parseMoney, sumCentimes } from '../domain/money.js';
import type { IssuerSettings, Lang, StatementDocument } from './types.js';

/** True for a money string below zero ("-0.00" is not). */
function isNegative(amount: string): boolean {
  return /^\s*-/.test(amount) && /[1-9]/.test(amount);
}

function statementColumns(S: StatementLabels): Column[] {
  // Widest contents at 8.5 pt: "1er févr. 2018" 51 pt, "Crédito reclasificado" 77 pt, "-1.234.567,89" 53 pt.
  const date = 62;
  const kind = 86;
  const year = 42;
  const money = 62;
  const balance = BALANCE_W;
  return [
    { header: S.date, width: date },
    { header: S.kind, width: kind },
    { header: S.reference, width: CONTENT_W - date - kind - year - 2 * money - balance },
    { header: S.budgetYear, width: year },
    { header: S.debit, width: money, align: 'right' },
    { header: S.credit, width: money, align: 'right' },
    { header: S.balance, width: balance, align: 'right' },
  ];
}

function balanceLabel(label: string, amount: string, S: StatementLabels): string {
  return isNegative(amount) ? `${label} ${S.inCredit}` : label;
}

function money(amount: string, lang: NumberStyleKey): string {
  return amount.trim() === '' ? '' : formatMoney(amount, lang);
}

/** Width of the balance column: the right edge every amount of the statement ends on. */
const BALANCE_W = 66;

/** A label and a CHF amount on one line, the amount on the table's right edge (under the balance column). Returns the y below. */
function amountLine(doc: Doc, label: string, amount: string, y: number, bold: boolean): number {
  const amountW = 110;
  const st = { size: 9, bold, lineGap: 1 };
  const ly = put(doc, label, MARGIN_X, y, CONTENT_W - amountW - 8, st);
  const ay = put(doc, amount, MARGIN_X + CONTENT_W - CELL_PAD - amountW, y, amountW, { ...st, align: 'right' as const });
  return Math.max(ly, ay);
}

function drawCreditAndArrears(doc: Doc, flow: Flow, st: StatementDocument, S: StatementLabels, y0: number): number {
  const lang = st.language;
  const num = numberStyleOf(st);
  const chf = (a: string) => `CHF ${formatMoney(a, num)}`;

  // Unapplied credit.
  const creditLabel = S.unappliedCredit(st.to);
  let y = flow.ensure(y0, measure(doc, creditLabel, 212, { size: 9, bold: true }) + 4);
  y = amountLine(doc, creditLabel, chf(st.unappliedCredit), y, true) + 14;

  // Arrears by budget year.
  const arrears = [...st.arrears].sort((a, b) => a.year - b.year);
  const title = S.arrearsTitle(st.to);
  const titleH = measure(doc, title, CONTENT_W, { size: 9.5, bold: true });
  const L = labels(lang);
  if (arrears.length === 0) {
    const text = S.noArrears(st.to);
    y = flow.ensure(y, measure(doc, text, CONTENT_W, { size: 9 }) + 4);
    return put(doc, text, MARGIN_X, y, CONTENT_W, { size: 9 }) + 14;
  }
  const withTotal = arrears.length > 1;
  const rowsH = (arrears.length + (withTotal ? 1 : 0)) * 13.5 + (withTotal ? 3 : 0);
  // Keep the title with the first rows; a long list may run on.
  y = flow.ensure(y, titleH + 4 + Math.min(rowsH, 3 * 13.5));
  y = put(doc, title, MARGIN_X, y, CONTENT_W, { size: 9.5, bold: true, color: INK }) + 3;
  for (const a of arrears) {
    y = flow.ensure(y, 13.5);
    y = amountLine(doc, `${L.budgetYear} ${a.year}`, chf(a.amount), y + 2, false) + 1.5;
  }
  if (withTotal) {
    y = flow.ensure(y, 19);
    hrule(doc, MARGIN_X, y + 2.5, CONTENT_W, INK, 0.6);
    y = amountLine(doc, S.arrearsTotal, chf(sumMoney(arrears.map((a) => a.amount))), y + 5.5, true) + 1.5;
  }
  return y + 14;
}

function drawNotes(doc: Doc, flow: Flow, S: StatementLabels, y0: number): number {
  const st = { size: 8, color: MUTED, lineGap: 1.2 };
  const bulletW = 10;
  const textW = CONTENT_W - bulletW;
  const heights = S.notes.map((n) => measure(doc, n, textW, st) + 2.5);
  // The notes stay together.
  let y = flow.ensure(y0, 18 + heights.reduce((a, b) => a + b, 0));
  hrule(doc, MARGIN_X, y, CONTENT_W, RULE);
  y = put(doc, S.notesTitle, MARGIN_X, y + 6, CONTENT_W, { size: 8.5, bold: true, color: MUTED, lineGap: 1 }) + 3;
  S.notes.forEach((n, i) => {
    put(doc, `${i + 1}.`, MARGIN_X, y, bulletW, st);
    y = put(doc, n, MARGIN_X + bulletW, y, textW, st) + 2.5;
  });
  return y;
}

/** What a line says beyond its amount: an invoice's due date; what a payment paid, invoice by invoice, and kept as credit; its original currency. */
function lineDetail(l: StatementDocument['lines'][number], S: StatementLabels, lang: NumberStyleKey): string {
  const parts: string[] = [];
  if (l.dueDate) parts.push(S.due(l.dueDate));
  if (l.original) parts.push(S.receivedAs(l.original.currency, formatMoney(l.original.amount, lang)));
  if (l.applied.length) parts.push(`${S.appliedTo}: ${l.applied.map((a) => `${a.invoice} (${a.year}) ${formatMoney(a.amount, lang)}`).join('; ')}`);
  if (l.keptAsCredit) parts.push(`${S.keptAsCredit}: ${formatMoney(l.keptAsCredit, lang)}`);
  return parts.join(' · ');
}

/** The State's money of the period not on its account (voluntary and reserve contributions), when there is any. */
function drawOtherContributions(doc: Doc, flow: Flow, st: StatementDocument, S: StatementLabels, y0: number): number {
  if (st.otherContributions.length === 0) return y0;
  const lang = st.language;
  let y = flow.ensure(y0, 60);
  y = put(doc, S.otherTitle, MARGIN_X, y, CONTENT_W, { size: 9.5, bold: true, color: INK }) + 4;
  const date = 62;
  const money = 80;
  const kind = 200;
  const cols: Column[] = [
    { header: S.date, width: date },
    { header: S.kind, width: kind },
    { header: S.reference, width: CONTENT_W - date - kind - money },
    { header: S.amount, width: money, align: 'right' },
  ];
  const rows: TableRow[] = st.otherContributions.map((c) => ({
    cells: [
      formatShortDate(c.date, lang),
      S.otherKinds[c.purpose],
      c.original ? `${c.reference} · ${S.receivedAs(c.original.currency, formatMoney(c.original.amount, numberStyleOf(st)))}` : c.reference,
      formatMoney(c.amount, numberStyleOf(st)),
    ],
  }));
  return drawTable(doc, flow, cols, rows, y, { size: 8.5, padTop: 4, padBottom: 3 }) + 14;
}

/** Exact sum of money strings, through integer centimes. */
function sumMoney(amounts: string[]): string {
  return centimesToString(sumCentimes(amounts.map((a) => parseMoney(a.trim(), { signed: true }))));
}

/** Renders a State's statement of account to PDF bytes, in the statement's language. */
export async function renderStatementPdf(st: StatementDocument, issuerSettings: IssuerSettings): Promise<Buffer> {
  const issuer = issuerIn(issuerSettings, st.language);
  const lang = st.language;
  const num = numberStyleOf(st);
  const L = labels(lang);
  const S = statementLabels(lang);
  const periodShort = `${formatShortDate(st.from, lang)} – ${formatShortDate(st.to, lang)}`;
  const doc = await newDocument({
    lang,
    title: `${S.title} — ${st.state.name} — ${formatDate(st.from, lang)} – ${formatDate(st.to, lang)}`,
    author: issuer.name,
    subject: `${S.title} — ${st.state.name}`,
    keywords: `${st.state.iso3} ${st.from} ${st.to}`,
    issueDate: st.generatedOn,
  });
  const flow = new Flow(doc, () => drawContinuationHeader(doc, issuer, `${S.continued} — ${st.state.name}`));

  let y = drawFirstPageHeader(
    doc,
    issuer,
    L,
    S.title,
    [
      [L.stateParty, st.state.name, true],
      [S.period, S.periodText(st.from, st.to)],
      [S.generatedOn, formatDate(st.generatedOn, lang)],
    ],
    st.state,
  );
  y += 4;

  const cols = statementColumns(S);
  const rows: TableRow[] = [
    {
      cells: [balanceLabel(S.openingBalance(st.from), st.openingBalance, S), formatMoney(st.openingBalance, num)],
      spans: [6, 1],
      bold: true,
      fill: ACCENT_BG,
    },
    ...st.lines.flatMap((l): TableRow[] => {
      const main: TableRow = {
        cells: [
          formatShortDate(l.date, lang),
          l.kind === 'reclassification' && l.reclassifiedTo ? S.reclassifiedTo[l.reclassifiedTo] : S.kinds[l.kind],
          l.reference,
          l.budgetYears.join(', '),
          money(l.debit, num),
          money(l.credit, num),
          formatMoney(l.balance, num),
        ],
      };
      const detail = lineDetail(l, S, num);
      return detail ? [main, { cells: ['', detail], spans: [1, 6], color: MUTED }] : [main];
    }),
  ];
  if (st.lines.length === 0) rows.push({ cells: [S.noTransactions], spans: [7], color: MUTED });
  y = drawTable(doc, flow, cols, rows, y, { size: 8.5, padTop: 4.5, padBottom: 3.5, keepLast: { rows: 2, tail: 30 } });
  y = drawTotalRow(doc, flow, cols, balanceLabel(S.closingBalance(st.to), st.closingBalance, S), formatMoney(st.closingBalance, num), y) + 18;

  y = drawCreditAndArrears(doc, flow, st, S, y);
  y = drawOtherContributions(doc, flow, st, S, y);
  drawNotes(doc, flow, S, y);

  // The reminder in the footer keeps to one line: without the period if need be.
  const footerW = CONTENT_W - 112;
  const full = `${S.title} · ${st.state.name} · ${periodShort}`;
  const oneLine = measure(doc, 'X', footerW, { size: 8, lineGap: 0 });
  const footer = measure(doc, full, footerW, { size: 8, lineGap: 0 }) > oneLine ? `${S.title} · ${st.state.name}` : full;
  drawFooters(doc, L, footer, () => FOOTER_Y);
  return toBuffer(doc);
}
