/**
 * The credit note PDF: a pure function of a CreditNoteDocument and the
 * issuer's settings (same input, same bytes). Same header blocks as the
 * invoice; the invoice it relates to, the reason, the lines and the total
 * credited; no QR-bill (nothing is to be paid).
 */
import { formatDate, formatMoney, labels, numberStyleOf } from './i18n.js';
import {
  CONTENT_W,
  FOOTER_Y,
  Flow,
  MARGIN_X,
  MUTED,
  drawContinuationHeader,
  drawFirstPageHeader,
  drawFooters,
  drawTable,
  drawTotalRow,
  measure,
  newDocument,
  put,
  toBuffer,
  type Column,
  issuerIn,
} from './layout.js';
import type { CreditNoteDocument, IssuerSettings, PdfAttachment } from './types.js';

/** Renders a credit note to PDF bytes. */
/** Renders a credit note; with `attachment` (its e-invoice XML) the file is PDF/A-3b and carries it. */
export async function renderCreditNotePdf(cn: CreditNoteDocument, issuerSettings: IssuerSettings, attachment?: PdfAttachment): Promise<Buffer> {
  const issuer = issuerIn(issuerSettings, cn.language);
  const L = labels(cn.language);
  const lang = cn.language;
  const num = numberStyleOf(cn);
  const title = L.creditNote;
  const doc = await newDocument({
    lang,
    title: `${title} ${cn.number} — ${cn.state.name}`,
    author: issuer.name,
    subject: L.creditNoteIntro(cn.invoiceNumber, cn.invoiceIssueDate),
    keywords: `${cn.number} ${cn.invoiceNumber} ${cn.state.iso3} ${cn.budgetYear}`,
    issueDate: cn.issueDate,
    attachment,
  });
  const running = L.continued(title, cn.number);
  const flow = new Flow(doc, () => drawContinuationHeader(doc, issuer, `${running} — ${cn.state.name}`));

  let y = drawFirstPageHeader(
    doc,
    issuer,
    L,
    title,
    [
      [L.creditNoteNumber, cn.number, true],
      [L.issueDate, formatDate(cn.issueDate, lang)],
      [L.budgetYear, String(cn.budgetYear)],
      [L.stateParty, cn.state.name],
      [L.relatesToInvoice, cn.invoiceNumber],
    ],
    cn.state,
  );

  y = put(doc, L.creditNoteIntro(cn.invoiceNumber, cn.invoiceIssueDate), MARGIN_X, y, CONTENT_W, { size: 9.5, bold: true }) + 8;
  if (cn.revision) y = put(doc, L.revisionCreditNote(cn.revision, cn.budgetYear), MARGIN_X, y, CONTENT_W, { size: 9 }) + 8;
  const reasonH = measure(doc, cn.reason, CONTENT_W, { size: 9.5 });
  y = flow.ensure(y, reasonH + 16);
  y = put(doc, L.reason, MARGIN_X, y, CONTENT_W, { size: 8.5, color: MUTED, lineGap: 1 }) + 1;
  y = put(doc, cn.reason, MARGIN_X, y, CONTENT_W, { size: 9.5 }) + 16;

  const amountW = 120;
  const codeW = 46;
  const cols: Column[] = [
    { header: L.code, width: codeW },
    { header: L.category, width: CONTENT_W - codeW - amountW },
    { header: L.amountCreditedChf, width: amountW, align: 'right' },
  ];
  y = drawTable(
    doc,
    flow,
    cols,
    cn.lines.map((l) => ({ cells: [l.code, l.label, formatMoney(l.amount, num)] })),
    y,
  );
  y = drawTotalRow(doc, flow, cols, L.totalCreditedChf, formatMoney(cn.total, num), y) + 16;
  if (cn.remainingPayable !== undefined) y = drawTotalRow(doc, flow, cols, L.remainingAfter(cn.invoiceNumber), formatMoney(cn.remainingPayable, num), y - 10) + 16;
  const noteH = measure(doc, L.creditNoteNote, CONTENT_W, { size: 9 });
  y = flow.ensure(y, noteH);
  put(doc, L.creditNoteNote, MARGIN_X, y, CONTENT_W, { size: 9 });

  drawFooters(doc, L, `${title} ${cn.number} · ${cn.state.name}`, () => FOOTER_Y);
  return toBuffer(doc);
}
