/**
 * The invoice PDF: a pure function of an InvoiceDocument and the issuer's
 * settings (same input, same bytes). See layout.ts for the page furniture and
 * i18n.ts for the wording.
 *
 * Page 1: sender block, the Permanent Mission's address in the envelope
 * window, title and references, the MSP decision, one line per category, the
 * total, the "payable by" box, earlier years for information, payment details
 * and the reference to quote. The last page carries the Swiss QR-bill payment
 * part in its bottom 105 mm; when the content leaves no room for it, it gets a
 * page of its own. A cancelled invoice has a CANCELLED mark and no QR-bill.
 */
import { SwissQRBill } from 'swissqrbill/pdf';
import type { FontName } from 'swissqrbill/types';
import { FONT_FAMILY } from './fonts.js';
import { toQrText } from './qr-text.js';
import {
  formatCreditorReference,
  formatDate,
  formatIban,
  formatMoney,
  labels,
  type Labels,
} from './i18n.js';
import {
  ACCENT,
  ACCENT_BG,
  ALERT,
  CELL_PAD,
  CONTENT_W,
  FOOTER_Y,
  Flow,
  INK,
  MARGIN_X,
  MUTED,
  PAGE_H,
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
  issuerIn,
} from './layout.js';
import type { InvoiceDocument, IssuerSettings } from './types.js';

/** Top of the QR-bill payment part (105 mm from the bottom of an A4 page). */
export const QR_TOP = PAGE_H - SwissQRBill.height;
/** The footer of the QR-bill page sits just above the perforation. */
export const QR_FOOTER_Y = QR_TOP - 16;

/**
 * The amount as the QR-bill library wants it (a JS number). Refuses amounts
 * that would not survive the conversion exactly, so the QR code always says
 * what the invoice says.
 */
export function qrAmount(amount: string): number {
  const m = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(amount);
  if (!m) throw new RangeError(`QR-bill amount must be a non-negative decimal with at most 2 decimals: ${JSON.stringify(amount)}`);
  const canonical = `${(m[1] ?? '0').replace(/^0+(?=\d)/, '')}.${(m[2] ?? '').padEnd(2, '0')}`;
  const n = Number(canonical);
  if (n.toFixed(2) !== canonical || canonical.length > 12) {
    throw new RangeError(`amount ${amount} cannot be carried by a QR-bill (max. 999999999.99)`);
  }
  return n;
}

function sumMoney(amounts: string[]): string {
  let centimes = 0n;
  for (const a of amounts) {
    const m = /^(-)?([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(a);
    if (!m) throw new RangeError(`not a money amount: ${JSON.stringify(a)}`);
    const c = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
    centimes += m[1] ? -c : c;
  }
  const neg = centimes < 0n;
  const abs = neg ? -centimes : centimes;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

function invoiceColumns(L: Labels): Column[] {
  const code = 46;
  const amount = 100;
  const basis = 150;
  return [
    { header: L.code, width: code },
    { header: L.category, width: CONTENT_W - code - basis - amount },
    { header: L.basis, width: basis },
    { header: L.amountChf, width: amount, align: 'right' },
  ];
}

function drawCancelMark(doc: Doc, L: Labels, creditNote: string, y: number): number {
  const text = L.cancelledBy(creditNote);
  const st = { size: 13, bold: true, color: ALERT, align: 'center' as const, lineGap: 1 };
  const h = measure(doc, text, CONTENT_W - 24, st) + 16;
  doc.save().lineWidth(1.8).undash().strokeColor(ALERT).rect(MARGIN_X, y, CONTENT_W, h).stroke().restore();
  put(doc, text, MARGIN_X + 12, y + 8, CONTENT_W - 24, st);
  return y + h + 16;
}

/** A label and an amount under the total, on the table's right edge (the credit applied on issue). */
export function drawCreditRow(doc: Doc, flow: Flow, amountW: number, label: string, amount: string, y0: number): number {
  const st = { size: 9.5, lineGap: 1 };
  const labelW = CONTENT_W - amountW;
  const h = Math.max(measure(doc, label, labelW - 2 * CELL_PAD, st), measure(doc, amount, amountW - 2 * CELL_PAD, st)) + 12;
  const y = flow.ensure(y0, h);
  put(doc, label, MARGIN_X + CELL_PAD, y + 6, labelW - 2 * CELL_PAD, st);
  put(doc, amount, MARGIN_X + labelW + CELL_PAD, y + 6, amountW - 2 * CELL_PAD, { ...st, align: 'right' });
  return y + h;
}

/** What the State is asked to pay: the total less any credit applied on issue. */
export function netPayable(inv: InvoiceDocument): string {
  return inv.creditApplied === undefined ? inv.total : sumMoney([inv.total, `-${inv.creditApplied}`]);
}

function drawPayableBox(doc: Doc, flow: Flow, L: Labels, inv: InvoiceDocument, y0: number): number {
  const net = netPayable(inv);
  return drawAmountBox(doc, flow, /[1-9]/.test(net) ? L.payableBy(inv.cutoffDate) : L.nothingToPay, `CHF ${formatMoney(net, inv.language)}`, y0);
}

/** The prominent box with what is to be paid: a sentence on the left, the amount on the right. */
export function drawAmountBox(doc: Doc, flow: Flow, left: string, right: string, y0: number): number {
  const st = { size: 13, bold: true, color: ACCENT, lineGap: 1 };
  const rightW = 150;
  const leftW = CONTENT_W - rightW - 30;
  const h = Math.max(measure(doc, left, leftW, st), measure(doc, right, rightW, st)) + 18;
  const y = flow.ensure(y0, h);
  doc.save().lineWidth(1.6).undash().fillColor(ACCENT_BG).strokeColor(ACCENT).rect(MARGIN_X, y, CONTENT_W, h).fillAndStroke().restore();
  put(doc, left, MARGIN_X + 14, y + 9.5, leftW, st);
  put(doc, right, MARGIN_X + CONTENT_W - 14 - rightW, y + 9.5, rightW, { ...st, align: 'right' });
  return y + h + 14;
}

function drawEarlierOutstanding(doc: Doc, flow: Flow, L: Labels, inv: InvoiceDocument, y0: number): number {
  const items = [...inv.earlierOutstanding].sort((a, b) => a.year - b.year);
  if (items.length === 0) return y0;
  const lang = inv.language;
  const tableW = 300;
  const labelW = 180;
  const rows: [string, string][] = items.map((e) => [`${L.budgetYear} ${e.year}`, `CHF ${formatMoney(e.amount, lang)}`]);
  if (items.length > 1) rows.push([L.earlierOutstandingTotal, `CHF ${formatMoney(sumMoney(items.map((e) => e.amount)), lang)}`]);
  const titleH = measure(doc, L.earlierOutstandingTitle, CONTENT_W, { size: 9.5, bold: true });
  const noteH = measure(doc, L.earlierOutstandingNote, CONTENT_W, { size: 8, color: MUTED });
  let y = flow.ensure(y0, titleH + 6 + rows.length * 14 + noteH + 4);
  y = put(doc, L.earlierOutstandingTitle, MARGIN_X, y, CONTENT_W, { size: 9.5, bold: true, color: INK }) + 3;
  rows.forEach(([label, amount], i) => {
    const isTotal = items.length > 1 && i === rows.length - 1;
    if (isTotal) {
      y += 1.5;
      hrule(doc, MARGIN_X, y, tableW, INK, 0.6);
    }
    const st = { size: 9, bold: isTotal, lineGap: 1 };
    put(doc, label, MARGIN_X, y + 2, labelW, st);
    y = put(doc, amount, MARGIN_X + labelW, y + 2, tableW - labelW, { ...st, align: 'right' }) + 1.5;
  });
  y = put(doc, L.earlierOutstandingNote, MARGIN_X, y + 2, CONTENT_W, { size: 8, color: MUTED }) + 16;
  return y;
}

/** Bank details on the left, the creditor reference to quote boxed on the right. */
export function drawPaymentDetails(doc: Doc, flow: Flow, L: Labels, creditorReference: string, issuer: IssuerSettings, y0: number): number {
  const b = issuer.bank;
  const grid: [string, string, boolean][] = [
    [L.accountHolder, b.accountHolder, false],
    [L.bank, [b.bankName, ...b.bankAddressLines].join(', '), false],
    [L.iban, formatIban(b.iban), true],
    [L.bic, b.bic, true],
  ];
  const gridW = 306;
  const labelW = 96;
  const valueW = gridW - labelW;
  const refX = MARGIN_X + gridW + 14;
  const refW = CONTENT_W - gridW - 14;
  const gridH = grid.reduce((h, [l, v]) => h + Math.max(measure(doc, l, labelW - 6, { size: 8.5 }), measure(doc, v, valueW, { size: 9 })) + 2, 0);
  const headH = 20;
  const ref = formatCreditorReference(creditorReference);
  const innerW = refW - 20;
  const boxH =
    measure(doc, L.referenceToQuote, innerW, { size: 8.5, bold: true }) +
    measure(doc, ref, innerW, { size: 13, bold: true }) +
    measure(doc, L.referenceNote, innerW, { size: 7.5 }) +
    24;
  let y = flow.ensure(y0, headH + Math.max(gridH, boxH));
  put(doc, L.paymentDetails, MARGIN_X, y, CONTENT_W, { size: 10, bold: true, color: ACCENT });
  hrule(doc, MARGIN_X, y + 14, CONTENT_W, ACCENT, 0.8);
  y += headH;
  const top = y;
  for (const [label, value, bold] of grid) {
    const ly = put(doc, label, MARGIN_X, y + 0.5, labelW - 6, { size: 8.5, color: MUTED, lineGap: 1 });
    const vy = put(doc, value, MARGIN_X + labelW, y, valueW, { size: 9, bold, lineGap: 1 });
    y = Math.max(ly, vy) + 2;
  }
  // Reference to quote, boxed on the right.
  let ry = top;
  doc.save().lineWidth(1).undash().strokeColor(ACCENT).rect(refX, ry, refW, boxH).stroke().restore();
  ry = put(doc, L.referenceToQuote, refX + 10, ry + 9, innerW, { size: 8.5, bold: true, color: ACCENT, lineGap: 1 }) + 3;
  ry = put(doc, ref, refX + 10, ry, innerW, { size: 13, bold: true, color: INK, lineGap: 1 }) + 3;
  put(doc, L.referenceNote, refX + 10, ry, innerW, { size: 7.5, color: MUTED, lineGap: 1 });
  return Math.max(y, top + boxH) + 6;
}

/** The Swiss QR-bill payment part at the bottom of the current page: `amount` (a money string) to pay, quoting `reference`. */
export function attachQrBill(doc: Doc, bill: { amount: string; reference: string; message: string }, issuer: IssuerSettings, L: Labels): void {
  const c = issuer.qrCreditor;
  const qr = new SwissQRBill(
    {
      currency: 'CHF',
      amount: qrAmount(bill.amount),
      creditor: {
        account: issuer.bank.iban,
        name: toQrText(c.name),
        address: toQrText(c.address),
        ...(c.buildingNumber !== undefined ? { buildingNumber: toQrText(c.buildingNumber) } : {}),
        zip: c.zip,
        city: toQrText(c.city),
        country: c.country,
      },
      reference: bill.reference,
      message: toQrText(bill.message),
    },
    { language: L.qrBillLanguage, scissors: true, outlines: true, fontName: FONT_FAMILY as FontName },
  );
  const pagesBefore = doc.bufferedPageRange().count;
  doc.fillColor('black').fillOpacity(1).strokeOpacity(1);
  doc.y = QR_TOP;
  doc.x = 0;
  qr.attachTo(doc, 0, QR_TOP);
  doc.undash();
  if (doc.bufferedPageRange().count !== pagesBefore) throw new Error('internal: the QR-bill did not fit on its page');
}

/** Renders an invoice (or, with `cancelledBy`, its cancelled copy) to PDF bytes. */
export async function renderInvoicePdf(inv: InvoiceDocument, issuerSettings: IssuerSettings): Promise<Buffer> {
  const issuer = issuerIn(issuerSettings, inv.language);
  const L = labels(inv.language);
  const lang = inv.language;
  const title = inv.revision ? L.supplementaryInvoice : L.invoice;
  const doc = newDocument({
    lang,
    title: `${title} ${inv.number} — ${inv.state.name}`,
    author: issuer.name,
    subject: L.invoiceIntro(inv.budgetYear),
    keywords: `${inv.number} ${inv.creditorReference} ${inv.state.iso3} ${inv.budgetYear}`,
    issueDate: inv.issueDate,
  });
  const running = L.continued(title, inv.number);
  const flow = new Flow(doc, () => drawContinuationHeader(doc, issuer, `${running} — ${inv.state.name}`));

  let y = drawFirstPageHeader(
    doc,
    issuer,
    L,
    title,
    [
      [L.invoiceNumber, inv.number, true],
      [L.issueDate, formatDate(inv.issueDate, lang)],
      [L.budgetYear, String(inv.budgetYear)],
      [L.stateParty, inv.state.name],
    ],
    inv.state,
  );

  if (inv.cancelledBy !== undefined) y = drawCancelMark(doc, L, inv.cancelledBy, y);

  y = put(doc, L.invoiceIntro(inv.budgetYear), MARGIN_X, y, CONTENT_W, { size: 9 }) + 3;
  y = put(doc, L.decision(inv.decisionRef, inv.approvedOn, inv.approvingMeeting), MARGIN_X, y, CONTENT_W, { size: 9 }) + 12;
  if (inv.late) y = put(doc, L.lateNote(inv.late.entryIntoForce, inv.late.membershipDate), MARGIN_X, y - 6, CONTENT_W, { size: 9, bold: true }) + 12;
  if (inv.reissueOf) y = put(doc, L.reissueNote(inv.reissueOf.invoice, inv.reissueOf.creditNote), MARGIN_X, y - 6, CONTENT_W, { size: 9, bold: true }) + 12;
  if (inv.revision) y = put(doc, L.supplementaryNote(inv.revision, inv.budgetYear), MARGIN_X, y - 6, CONTENT_W, { size: 9, bold: true }) + 12;

  const cols = invoiceColumns(L);
  y = drawTable(
    doc,
    flow,
    cols,
    // The scale basis reads better broken after its comma than wherever the width falls.
    inv.lines.map((l) => ({ cells: [l.code, l.label, l.basis.method === 'equal' ? L.basisText(l.basis) : L.basisText(l.basis).replace(', ', ',\n'), formatMoney(l.amount, lang)] })),
    y,
  );
  y = drawTotalRow(doc, flow, cols, L.totalDueChf, formatMoney(inv.total, lang), y) + 12;
  const credited = inv.creditApplied !== undefined && /[1-9]/.test(inv.creditApplied);
  if (credited) {
    y = drawCreditRow(doc, flow, cols[cols.length - 1]!.width, L.creditApplied, `−${formatMoney(inv.creditApplied!, lang)}`, y - 12);
    y = drawTotalRow(doc, flow, cols, L.netPayableChf, formatMoney(netPayable(inv), lang), y) + 12;
  }
  y = drawPayableBox(doc, flow, L, inv, y);
  y = drawEarlierOutstanding(doc, flow, L, inv, y);
  y = drawPaymentDetails(doc, flow, L, inv.creditorReference, issuer, y);

  let qrPage = -1;
  // No payment part when nothing is to be paid (cancelled, or covered by credit).
  if (inv.cancelledBy === undefined && /[1-9]/.test(netPayable(inv))) {
    if (y > QR_FOOTER_Y - 6) {
      // A page of its own: repeat the deadline and the amount above the payment part.
      drawPayableBox(doc, flow, L, inv, flow.newPage() + 6);
    }
    qrPage = doc.bufferedPageRange().count - 1;
    attachQrBill(doc, { amount: netPayable(inv), reference: inv.creditorReference, message: inv.number }, issuer, L);
  }

  drawFooters(
    doc,
    L,
    `${title} ${inv.number} · ${inv.state.name}`,
    (i) => (i === qrPage ? QR_FOOTER_Y : FOOTER_Y),
    inv.cancelledBy !== undefined ? L.cancelled : undefined,
  );
  return toBuffer(doc);
}
