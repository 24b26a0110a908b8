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
  numberStyleOf,
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
  measureWidth,
  newDocument,
  put,
  toBuffer,
  type Column,
  type Doc,
  issuerIn,
} from './layout.js';
import type { InvoiceDocument, IssuerSettings, PartyBlock, PdfAttachment } from './types.js';

/** Top of the QR-bill payment part (105 mm from the bottom of an A4 page). */
export const QR_TOP = PAGE_H - SwissQRBill.height;
/** The footer of the QR-bill page sits just above the perforation. */
export const QR_FOOTER_Y = QR_TOP - 13;

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
  return drawAmountBox(doc, flow, /[1-9]/.test(net) ? L.payableBy(inv.cutoffDate) : L.nothingToPay, `CHF ${formatMoney(net, numberStyleOf(inv))}`, y0);
}

/**
 * The prominent band with what is to be paid: a sentence on the left, the
 * amount on the right at the tables' amount edge (one right edge for every
 * amount on the page), between two accent rules.
 */
export function drawAmountBox(doc: Doc, flow: Flow, left: string, right: string, y0: number): number {
  const st = { size: 13, bold: true, color: ACCENT, lineGap: 1 };
  const rightW = 170;
  const leftW = CONTENT_W - rightW - 3 * CELL_PAD;
  const h = Math.max(measure(doc, left, leftW, st), measure(doc, right, rightW, st)) + 16;
  const y = flow.ensure(y0, h);
  doc.save().rect(MARGIN_X, y, CONTENT_W, h).fillColor(ACCENT_BG).fill().restore();
  hrule(doc, MARGIN_X, y, CONTENT_W, ACCENT, 1.6);
  hrule(doc, MARGIN_X, y + h, CONTENT_W, ACCENT, 1.6);
  put(doc, left, MARGIN_X + CELL_PAD, y + 8.5, leftW, st);
  put(doc, right, MARGIN_X + CONTENT_W - CELL_PAD - rightW, y + 8.5, rightW, { ...st, align: 'right' });
  return y + h + 12;
}

/**
 * Earlier years in arrears, for information, in three short lines: the
 * title, the years with their amounts and the total on the table's amount
 * edge, and the note that they are not in the total above.
 */
function drawEarlierOutstanding(doc: Doc, flow: Flow, L: Labels, inv: InvoiceDocument, amountW: number, y0: number): number {
  const items = [...inv.earlierOutstanding].sort((a, b) => a.year - b.year);
  if (items.length === 0) return y0;
  const fmt = numberStyleOf(inv);
  const years = items.map((e) => `${e.year}: ${formatMoney(e.amount, fmt)}`).join('   ·   ');
  const totalText = formatMoney(sumMoney(items.map((e) => e.amount)), fmt);
  const totalLabel = items.length > 1 ? L.earlierOutstandingTotal : '';
  const st = { size: 9, lineGap: 1 };
  const labelW = 130;
  const yearsW = CONTENT_W - amountW - labelW;
  // The title, and the note beside it when both fit on one line.
  const titleSt = { size: 9.5, bold: true, color: INK, lineGap: 1 };
  const titleW = measureWidth(doc, L.earlierOutstandingTitle, titleSt.size, true) + 8;
  const noteBeside = titleW + measureWidth(doc, L.earlierOutstandingNote, 8) <= CONTENT_W;
  const h =
    measure(doc, L.earlierOutstandingTitle, CONTENT_W, titleSt) +
    Math.max(measure(doc, years, yearsW - 2 * CELL_PAD, st), measure(doc, totalLabel, labelW, st)) +
    (noteBeside ? 0 : measure(doc, L.earlierOutstandingNote, CONTENT_W, { size: 8 })) +
    8;
  let y = flow.ensure(y0, h);
  const titleY = y;
  y = put(doc, L.earlierOutstandingTitle, MARGIN_X, y, CONTENT_W, titleSt) + 2;
  if (noteBeside) put(doc, L.earlierOutstandingNote, MARGIN_X + titleW, titleY + 1.2, CONTENT_W - titleW, { size: 8, color: MUTED });
  const rowY = y;
  y = put(doc, years, MARGIN_X + CELL_PAD, rowY, yearsW - 2 * CELL_PAD, st);
  if (totalLabel !== '') put(doc, totalLabel, MARGIN_X + yearsW, rowY, labelW, { ...st, bold: true, align: 'right' });
  const lastBottom = put(doc, totalText, MARGIN_X + CONTENT_W - amountW + CELL_PAD, rowY, amountW - 2 * CELL_PAD, { ...st, bold: true, align: 'right' });
  y = Math.max(y, lastBottom);
  if (!noteBeside) y = put(doc, L.earlierOutstandingNote, MARGIN_X + CELL_PAD, y + 1, CONTENT_W, { size: 8, color: MUTED });
  return y + 12;
}

/**
 * The bank details under their heading in two columns — account holder and
 * bank, then IBAN and BIC — and the creditor reference to quote, boxed, on a
 * line of its own.
 */
export function drawPaymentDetails(doc: Doc, flow: Flow, L: Labels, creditorReference: string, issuer: IssuerSettings, y0: number): number {
  const b = issuer.bank;
  const rows: [string, string, boolean][][] = [
    [
      [L.accountHolder, b.accountHolder, false],
      [L.bank, [b.bankName, ...b.bankAddressLines].join(', '), false],
    ],
    [
      [L.iban, formatIban(b.iban), true],
      [L.bic, b.bic, true],
    ],
  ];
  const gap = 12;
  const colW = (CONTENT_W - gap) / 2;
  const labelW = 88;
  const valueW = colW - labelW;
  const labelSt = { size: 8.5, color: MUTED, lineGap: 1 };
  const cellH = ([l, v, bold]: [string, string, boolean]) => Math.max(measure(doc, l, labelW - 6, labelSt), measure(doc, v, valueW, { size: 9, bold, lineGap: 1 }));
  const rowHs = rows.map((r) => Math.max(...r.map(cellH)) + 2);
  const ref = formatCreditorReference(creditorReference);
  const refLabelW = 110;
  const refW = 150;
  const noteW = CONTENT_W - refLabelW - refW - 2 * CELL_PAD;
  const refH = Math.max(measure(doc, L.referenceToQuote, refLabelW - 6, { size: 8.5, bold: true }), measure(doc, ref, refW, { size: 12, bold: true }), measure(doc, L.referenceNote, noteW, { size: 7.5 })) + 10;
  const headH = 17;
  let y = flow.ensure(y0, headH + rowHs.reduce((a, h) => a + h, 0) + 4 + refH);
  put(doc, L.paymentDetails, MARGIN_X, y, CONTENT_W, { size: 10, bold: true, color: ACCENT });
  hrule(doc, MARGIN_X, y + 13.5, CONTENT_W, ACCENT, 0.8);
  y += headH;
  rows.forEach((row, i) => {
    row.forEach(([label, value, bold], j) => {
      const x = MARGIN_X + j * (colW + gap);
      put(doc, label, x, y + 0.5, labelW - 6, labelSt);
      put(doc, value, x + labelW, y, valueW, { size: 9, bold, lineGap: 1 });
    });
    y += rowHs[i]!;
  });
  y += 4;
  // The reference to quote, boxed: its label, the reference, and the request to quote it.
  doc.save().lineWidth(1).undash().strokeColor(ACCENT).rect(MARGIN_X, y, CONTENT_W, refH).stroke().restore();
  put(doc, L.referenceToQuote, MARGIN_X + CELL_PAD, y + 6.5, refLabelW - 6, { size: 8.5, bold: true, color: ACCENT, lineGap: 1 });
  put(doc, ref, MARGIN_X + refLabelW, y + 5, refW, { size: 12, bold: true, color: INK, lineGap: 1 });
  put(doc, L.referenceNote, MARGIN_X + refLabelW + refW + CELL_PAD, y + 6.5, noteW, { size: 7.5, color: MUTED, lineGap: 1 });
  return y + refH + 6;
}

/** The Swiss QR-bill payment part at the bottom of the current page: `amount` (a money string) to pay, quoting `reference`. */
export function attachQrBill(
  doc: Doc,
  bill: { amount: string; reference: string; message: string; debtor?: PartyBlock['debtor'] },
  issuer: IssuerSettings,
  L: Labels,
): void {
  const d = bill.debtor;
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
      // "Payable by": the Mission, when the register has its structured address (SPEC 9.10).
      ...(d !== undefined
        ? {
            debtor: {
              name: toQrText(d.name),
              address: toQrText(d.address),
              ...(d.buildingNumber !== undefined ? { buildingNumber: toQrText(d.buildingNumber) } : {}),
              zip: toQrText(d.zip),
              city: toQrText(d.city),
              country: d.country,
            },
          }
        : {}),
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
/** Renders an invoice; with `attachment` (its e-invoice XML) the file is PDF/A-3b and carries it. */
export async function renderInvoicePdf(inv: InvoiceDocument, issuerSettings: IssuerSettings, attachment?: PdfAttachment): Promise<Buffer> {
  const issuer = issuerIn(issuerSettings, inv.language);
  const L = labels(inv.language);
  const lang = inv.language;
  const fmt = numberStyleOf(inv);
  const title = inv.revision ? L.supplementaryInvoice : L.invoice;
  const doc = await newDocument({
    lang,
    title: `${title} ${inv.number} — ${inv.state.name}`,
    author: issuer.name,
    subject: L.invoiceIntro(inv.budgetYear),
    keywords: `${inv.number} ${inv.creditorReference} ${inv.state.iso3} ${inv.budgetYear}`,
    issueDate: inv.issueDate,
    attachment,
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
    `${L.invoiceIntro(inv.budgetYear)} ${L.decision(inv.decisionRef, inv.approvedOn, inv.approvingMeeting)}`,
  );

  if (inv.cancelledBy !== undefined) y = drawCancelMark(doc, L, inv.cancelledBy, y);

  if (inv.late) y = put(doc, L.lateNote(inv.late.entryIntoForce, inv.late.membershipDate), MARGIN_X, y - 6, CONTENT_W, { size: 9, bold: true }) + 12;
  if (inv.reissueOf) y = put(doc, L.reissueNote(inv.reissueOf.invoice, inv.reissueOf.creditNote), MARGIN_X, y - 6, CONTENT_W, { size: 9, bold: true }) + 12;
  if (inv.revision) y = put(doc, L.supplementaryNote(inv.revision, inv.budgetYear), MARGIN_X, y - 6, CONTENT_W, { size: 9, bold: true }) + 12;

  const cols = invoiceColumns(L);
  y = drawTable(
    doc,
    flow,
    cols,
    // The scale basis reads better broken after its comma than wherever the width falls.
    inv.lines.map((l) => ({ cells: [l.code, l.label, l.basis.method === 'equal' ? L.basisText(l.basis) : L.basisText(l.basis).replace(', ', ',\n'), formatMoney(l.amount, fmt)] })),
    y,
  );
  y = drawTotalRow(doc, flow, cols, L.totalDueChf, formatMoney(inv.total, fmt), y) + 12;
  const credited = inv.creditApplied !== undefined && /[1-9]/.test(inv.creditApplied);
  if (credited) {
    y = drawCreditRow(doc, flow, cols[cols.length - 1]!.width, L.creditApplied, `−${formatMoney(inv.creditApplied!, fmt)}`, y - 12);
    y = drawTotalRow(doc, flow, cols, L.netPayableChf, formatMoney(netPayable(inv), fmt), y) + 12;
  }
  y = drawPayableBox(doc, flow, L, inv, y);
  y = drawEarlierOutstanding(doc, flow, L, inv, cols[cols.length - 1]!.width, y);
  y = drawPaymentDetails(doc, flow, L, inv.creditorReference, issuer, y);

  let qrPage = -1;
  // No payment part when nothing is to be paid (cancelled, or covered by credit).
  if (inv.cancelledBy === undefined && /[1-9]/.test(netPayable(inv))) {
    if (y > QR_FOOTER_Y - 2) {
      // A page of its own: repeat the deadline and the amount above the payment part.
      drawPayableBox(doc, flow, L, inv, flow.newPage() + 6);
    }
    qrPage = doc.bufferedPageRange().count - 1;
    attachQrBill(doc, { amount: netPayable(inv), reference: inv.creditorReference, message: inv.number, debtor: inv.state.debtor }, issuer, L);
  }

  drawFooters(
    doc,
    L,
    // Over a payment part in English on a Spanish invoice, the footer says why.
    (i) => (i === qrPage && L.paymentPartNote !== undefined ? L.paymentPartNote : `${title} ${inv.number} · ${inv.state.name}`),
    (i) => (i === qrPage ? QR_FOOTER_Y : FOOTER_Y),
    inv.cancelledBy !== undefined ? L.cancelled : undefined,
  );
  return toBuffer(doc);
}
