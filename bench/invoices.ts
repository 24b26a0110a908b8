/**
 * Invoice batch: the demo's 2018 invoices (pdfkit + Swiss QR-bill) issued into
 * a fresh database, against a baseline in the same run: the same invoice
 * content as HTML printed to PDF by headless Chromium (browser started once,
 * page reused). Also splits the pdfkit time into the QR-bill part and the rest,
 * and the QR-bill into choosing the QR mask, drawing the modules and its text.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import PDFDocument from 'pdfkit';
import { chromium } from 'playwright-core';
import { SwissQRBill as PdfQRBill } from 'swissqrbill/pdf';
import { SwissQRBill as SvgQRBill } from 'swissqrbill/svg';
import { PROJECT_ROOT } from '../src/config.js';
import { invoices } from '../src/db/schema.js';
import { qrAmount, renderInvoicePdf } from '../src/pdf/invoice.js';
import type { InvoiceDocument, IssuerSettings } from '../src/pdf/types.js';
import { DEMO_ISSUE_DATE_2018 } from '../src/services/demo.js';
import { issueInvoiceBatch } from '../src/services/invoices.js';
import { getIssuer } from '../src/services/settings.js';
import { QUICK, actor, freshDb, median, prepareDemo2018, report, round, timeAsync, timeSync, type Figure } from './lib.js';

/** The parts of swissqrbill's bundled QR generator (Nayuki's qrcodegen) that the breakdown uses. */
interface QrCodegen {
  QrSegment: { makeEci(n: number): unknown; makeSegments(text: string): unknown[] };
  QrCode: {
    Ecc: { MEDIUM: unknown };
    encodeSegments(segs: unknown[], ecl: unknown, minVersion: number, maxVersion: number, mask: number, boostEcl: boolean): { size: number; getModule(x: number, y: number): boolean };
  };
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// 1. The batch, each run in a fresh database (same setup as the demo before it issues).
const batchRuns = QUICK ? 2 : 3;
const walls: number[] = [];
let issued = 0;
let docs: InvoiceDocument[] = [];
let issuer: IssuerSettings | null = null;
for (let r = 0; r < batchRuns; r++) {
  const env = freshDb();
  try {
    prepareDemo2018(env.ctx);
    walls.push(
      await timeAsync(async () => {
        const res = await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: DEMO_ISSUE_DATE_2018 });
        issued = res.issued.length;
      }),
    );
    if (r === batchRuns - 1) {
      docs = env.ctx.db.select({ document: invoices.document }).from(invoices).all().map((x) => x.document as InvoiceDocument);
      issuer = getIssuer(env.ctx.db);
    }
  } finally {
    env.close();
  }
}
if (!issuer || docs.length === 0) throw new Error('no invoices issued');
const batchMs = median(walls);

// 2. pdfkit alone, per invoice; without the QR-bill (the cancelled copy skips it); the QR-bill alone on a blank page.
const toBuf = (doc: PDFKit.PDFDocument) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
/** The QR-bill's data of an invoice, as swissqrbill takes it (IBAN and reference without spaces). */
const qrDataOf = (d: InvoiceDocument, iss: IssuerSettings) => ({
  currency: 'CHF' as const,
  amount: qrAmount(d.total),
  creditor: { account: iss.bank.iban.replace(/ /g, ''), name: iss.qrCreditor.name, address: iss.qrCreditor.address, buildingNumber: iss.qrCreditor.buildingNumber ?? '', zip: iss.qrCreditor.zip, city: iss.qrCreditor.city, country: iss.qrCreditor.country },
  reference: d.creditorReference.replace(/ /g, ''),
  message: d.number,
});
for (const d of docs.slice(0, 5)) await renderInvoicePdf(d, issuer); // warm-up
const withQr: number[] = [];
const withoutQr: number[] = [];
const qrOnly: number[] = [];
const blank: number[] = [];
for (const d of docs) {
  withQr.push(await timeAsync(() => renderInvoicePdf(d, issuer!)));
  withoutQr.push(await timeAsync(() => renderInvoicePdf({ ...d, cancelledBy: 'CN-2018-0001' }, issuer!)));
  const qrData = qrDataOf(d, issuer);
  blank.push(await timeAsync(() => toBuf(new PDFDocument({ size: 'A4', autoFirstPage: true }))));
  qrOnly.push(
    await timeAsync(() => {
      const doc = new PDFDocument({ size: 'A4', autoFirstPage: true });
      new PdfQRBill(qrData, { scissors: true, outlines: true, fontName: 'Helvetica' }).attachTo(doc, 0, 842 - PdfQRBill.height);
      return toBuf(doc);
    }),
  );
}
const pdfkitMs = median(withQr);
const noQrMs = median(withoutQr);
const qrMs = median(qrOnly) - median(blank);

// 2b. Where the QR-bill's time goes: encoding the QR symbol (with the mask chosen automatically, as swissqrbill does:
// all 8 masks are applied and scored, then the best is kept; and with a fixed mask), and drawing its modules as
// pdfkit rectangles. swissqrbill does not export its QR functions, so they are loaded from its files.
const qrLib = path.join(PROJECT_ROOT, 'node_modules', 'swissqrbill', 'lib', 'esm', 'shared');
const { qrcodegen } = (await import(pathToFileURL(path.join(qrLib, 'qr-code-generator.js')).href)) as { qrcodegen: QrCodegen };
const { generateQRData } = (await import(pathToFileURL(path.join(qrLib, 'qr-code.js')).href)) as { generateQRData: (data: unknown) => string };
const qrSegments = (d: InvoiceDocument) => {
  const text = generateQRData(qrDataOf(d, issuer!));
  return [qrcodegen.QrSegment.makeEci(26), ...qrcodegen.QrSegment.makeSegments(text)];
};
const encodeAuto: number[] = [];
const encodeFixed: number[] = [];
const drawModules: number[] = [];
let modules = 0;
for (const d of docs) {
  const segs = qrSegments(d);
  encodeAuto.push(timeSync(() => qrcodegen.QrCode.encodeSegments(segs, qrcodegen.QrCode.Ecc.MEDIUM, 10, 25, -1, false)));
  encodeFixed.push(timeSync(() => qrcodegen.QrCode.encodeSegments(segs, qrcodegen.QrCode.Ecc.MEDIUM, 10, 25, 0, false)));
  const code = qrcodegen.QrCode.encodeSegments(segs, qrcodegen.QrCode.Ecc.MEDIUM, 10, 25, -1, false);
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: true });
  const block = 130 / code.size;
  drawModules.push(
    timeSync(() => {
      modules = 0;
      for (let x = 0; x < code.size; x++)
        for (let y = 0; y < code.size; y++)
          if (code.getModule(x, y)) {
            doc.rect(x * block, y * block, block, block);
            modules++;
          }
      doc.fill();
    }),
  );
  doc.end();
}
const encodeAutoMs = median(encodeAuto);
const maskChoiceMs = encodeAutoMs - median(encodeFixed);
const drawMs = median(drawModules);

// 3. Baseline: headless Chromium, HTML with the same content and the QR-bill as SVG, browser started once, page reused.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function invoiceHtml(d: InvoiceDocument, iss: IssuerSettings): string {
  const qr = new SvgQRBill(
    {
      currency: 'CHF',
      amount: qrAmount(d.total),
      creditor: { account: iss.bank.iban, name: iss.qrCreditor.name, address: iss.qrCreditor.address, buildingNumber: iss.qrCreditor.buildingNumber ?? '', zip: iss.qrCreditor.zip, city: iss.qrCreditor.city, country: iss.qrCreditor.country },
      reference: d.creditorReference,
      message: d.number,
    },
    { language: d.language === 'en' ? 'EN' : d.language === 'fr' ? 'FR' : 'EN', scissors: true, outlines: true },
  ).toString();
  const lines = d.lines
    .map((l) => `<tr><td>${esc(l.code)}</td><td>${esc(l.label)}</td><td>${l.basis.method === 'equal' ? `1/${l.basis.statesCount}` : l.basis.method === 'scale' ? `${esc(l.basis.rate)} % → ${esc(l.basis.rebasedRate)} %` : `${esc(l.basis.revised)} − ${esc(l.basis.invoiced)}`}</td><td class="r">${esc(l.amount)}</td></tr>`)
    .join('');
  const earlier = d.earlierOutstanding.map((e) => `<tr><td>${e.year}</td><td class="r">CHF ${esc(e.amount)}</td></tr>`).join('');
  return `<!doctype html><html lang="${d.language}"><head><meta charset="utf-8"><title>Invoice ${esc(d.number)}</title><style>
@page { size: A4; margin: 0 }
body { font-family: Helvetica, Arial, sans-serif; font-size: 9pt; margin: 0; color: #1a1a1a }
.page { position: relative; width: 210mm; height: 297mm; padding: 15mm 20mm 0; box-sizing: border-box }
h1 { color: #1f4e79; font-size: 20pt; margin: 8mm 0 4mm }
.addr { position: absolute; top: 45mm; left: 120mm; width: 75mm }
table { border-collapse: collapse; width: 100% } td, th { padding: 3px 4px; border-bottom: 0.5pt solid #999; text-align: left }
.r { text-align: right } .box { border: 1.6pt solid #1f4e79; background: #eef3f8; padding: 8px 12px; font-weight: bold; font-size: 13pt; color: #1f4e79; margin: 12px 0; display: flex; justify-content: space-between }
.qr { position: absolute; left: 0; bottom: 0; width: 210mm; height: 105mm } .qr svg { width: 210mm; height: 105mm }
</style></head><body><div class="page">
<div><strong>${esc(iss.name)}</strong><br>${iss.addressLines.map(esc).join('<br>')}<br>${esc(iss.email)}</div>
<div class="addr">${esc(d.state.name)}<br>${d.state.addressLines.map(esc).join('<br>')}</div>
<h1>Invoice</h1>
<table style="width:60%"><tr><td>Invoice number</td><td><strong>${esc(d.number)}</strong></td></tr><tr><td>Issue date</td><td>${esc(d.issueDate)}</td></tr><tr><td>Budget year</td><td>${d.budgetYear}</td></tr><tr><td>State Party</td><td>${esc(d.state.name)}</td></tr></table>
<p>Contribution to the budget of the Implementation Support Unit for ${d.budgetYear}, approved by decision ${esc(d.decisionRef)} on ${esc(d.approvedOn)}.</p>
<table><tr><th>Code</th><th>Category</th><th>Basis</th><th class="r">Amount CHF</th></tr>${lines}<tr><th colspan="3">Total due CHF</th><th class="r">${esc(d.total)}</th></tr></table>
<div class="box"><span>Payable by ${esc(d.cutoffDate)}</span><span>CHF ${esc(d.total)}</span></div>
${earlier ? `<table style="width:50%">${earlier}</table>` : ''}
<h3 style="color:#1f4e79">Payment details</h3>
<table style="width:60%"><tr><td>Account holder</td><td>${esc(iss.bank.accountHolder)}</td></tr><tr><td>Bank</td><td>${esc([iss.bank.bankName, ...iss.bank.bankAddressLines].join(', '))}</td></tr><tr><td>IBAN</td><td><strong>${esc(iss.bank.iban)}</strong></td></tr><tr><td>BIC</td><td><strong>${esc(iss.bank.bic)}</strong></td></tr></table>
<p>Reference to quote: <strong>${esc(d.creditorReference)}</strong></p>
<div class="qr">${qr}</div></div></body></html>`;
}

const chromiumCount = Math.min(QUICK ? 10 : 20, docs.length);
const browserStart = performance.now();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const launchMs = performance.now() - browserStart;
const chromiumTimes: number[] = [];
let chromiumBytes = 0;
try {
  const page = await browser.newPage();
  for (const d of docs.slice(0, 3)) await page.setContent(invoiceHtml(d, issuer)).then(() => page.pdf({ format: 'A4' })); // warm-up
  for (const d of docs.slice(0, chromiumCount)) {
    const html = invoiceHtml(d, issuer); // building the HTML is cheap; count only what Chromium does
    chromiumTimes.push(
      await timeAsync(async () => {
        await page.setContent(html);
        chromiumBytes = (await page.pdf({ format: 'A4', printBackground: true })).length;
      }),
    );
  }
} finally {
  await browser.close();
}
const chromiumMs = median(chromiumTimes);
const perInvoiceBatch = batchMs / issued;

const figures: Figure[] = [
  { name: 'invoices.batch-103', value: round(batchMs, 0), unit: 'ms', target: '< 3000', note: `${issued} invoices, median of ${batchRuns} runs, each into a fresh DB` },
  { name: 'invoices.batch-per-invoice', value: round(perInvoiceBatch, 2), unit: 'ms', target: null, note: 'batch wall time / invoices (render + SHA-256 + ledger transaction + file write)' },
  {
    name: 'invoices.pdfkit-per-invoice',
    value: round(pdfkitMs, 2),
    unit: 'ms',
    target: null,
    baseline: round(chromiumMs, 2),
    ratio: round(chromiumMs / pdfkitMs, 1),
    note: `renderInvoicePdf median over ${docs.length} invoices; baseline: Chromium setContent+page.pdf median over ${chromiumCount}`,
  },
  { name: 'invoices.pdfkit-speedup-vs-chromium', value: round(chromiumMs / pdfkitMs, 1), unit: 'x', target: '>= 5', baseline: round(chromiumMs, 2) },
  { name: 'invoices.batch-speedup-vs-chromium', value: round(chromiumMs / perInvoiceBatch, 1), unit: 'x', target: null, note: 'Chromium per invoice / whole batch per invoice' },
  { name: 'invoices.chromium-per-invoice', value: round(chromiumMs, 2), unit: 'ms', target: null, note: `browser launch once: ${launchMs.toFixed(0)} ms (not counted); last PDF ${chromiumBytes} bytes` },
  { name: 'invoices.pdfkit-without-qr', value: round(noQrMs, 2), unit: 'ms', target: null, note: 'renderInvoicePdf of the cancelled copy (same pages, no QR-bill)' },
  { name: 'invoices.qrbill-alone', value: round(qrMs, 2), unit: 'ms', target: null, note: 'swissqrbill attachTo on a blank pdfkit page, minus the blank page' },
  { name: 'invoices.qrbill-share', value: round((100 * (pdfkitMs - noQrMs)) / pdfkitMs, 1), unit: '%', target: null, note: '(with QR − without QR) / with QR' },
  {
    name: 'invoices.qrbill-mask-choice',
    value: round(maskChoiceMs, 2),
    unit: 'ms',
    target: null,
    note: `QR symbol encoding ${encodeAutoMs.toFixed(2)} ms, of which choosing the mask (8 masks applied and scored) ${maskChoiceMs.toFixed(2)} ms = ${((100 * maskChoiceMs) / qrMs).toFixed(0)} % of the QR-bill`,
  },
  {
    name: 'invoices.qrbill-draw-modules',
    value: round(drawMs, 2),
    unit: 'ms',
    target: null,
    note: `${modules} dark modules drawn as pdfkit rectangles = ${((100 * drawMs) / qrMs).toFixed(0)} % of the QR-bill; the rest (${(qrMs - encodeAutoMs - drawMs).toFixed(2)} ms) is its text, lines and scissors`,
  },
];
report('invoices', figures);
