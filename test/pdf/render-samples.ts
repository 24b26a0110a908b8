/**
 * Renders the sample documents to /tmp/pdf-samples/*.pdf and, with poppler's
 * pdftoppm, to PNG (60 dpi) for a visual check:
 *   npx tsx test/pdf/render-samples.ts [outDir] [reports]
 * (with a third argument, only the statements and the status report).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderCreditNotePdf } from '../../src/pdf/credit-note.js';
import { renderInvoicePdf } from '../../src/pdf/invoice.js';
import { renderStatementPdf } from '../../src/pdf/statement.js';
import { renderStatusReportPdf } from '../../src/pdf/status-report.js';
import * as F from './fixtures.js';
import * as R from './report-fixtures.js';

const out = process.argv[2] ?? '/tmp/pdf-samples';
fs.mkdirSync(out, { recursive: true });

const invoices = {
  'invoice-fr-france': F.FRANCE,
  'invoice-fr-cote-divoire': F.COTE_DIVOIRE,
  'invoice-es-mexico': F.MEXICO,
  'invoice-es-spain': F.SPAIN,
  'invoice-en-ireland': F.IRELAND,
  'invoice-en-sao-tome': F.SAO_TOME,
  'invoice-en-turkiye-12-lines': F.TURKIYE_12,
  'invoice-fr-france-cancelled': F.FRANCE_CANCELLED,
  'invoice-es-40-lines': F.invoice(7, F.party('BOL', 'Bolivia (Estado Plurinacional de)', 'es'), 'es', F.manyLines(40)),
};
const creditNotes = {
  'credit-note-fr-france': F.FRANCE_CREDIT_NOTE,
  'credit-note-es-mexico': F.MEXICO_CREDIT_NOTE,
  'credit-note-en-ireland': F.IRELAND_CREDIT_NOTE,
};

const statements = {
  'statement-fr-cote-divoire': R.STATEMENT_CIV,
  'statement-es-spain-in-credit': R.STATEMENT_ESP,
  'statement-en-ireland-40-lines': R.STATEMENT_IRL_40,
  'statement-en-sao-tome-empty': R.STATEMENT_STP_EMPTY,
  'statement-es-mexico-empty-in-credit': R.STATEMENT_MEX_EMPTY_CREDIT,
};
const only = process.argv[3];

for (const [name, doc] of Object.entries(statements)) {
  const t = performance.now();
  const buf = await renderStatementPdf(doc, F.ISSUER);
  write(name, buf, performance.now() - t);
}
{
  const t = performance.now();
  const buf = await renderStatusReportPdf(R.statusReport(), F.ISSUER);
  write('status-report-2018', buf, performance.now() - t);
}
if (only === undefined) for (const [name, doc] of Object.entries(invoices)) {
  const t = performance.now();
  const buf = await renderInvoicePdf(doc, F.ISSUER);
  write(name, buf, performance.now() - t);
}
if (only === undefined) for (const [name, doc] of Object.entries(creditNotes)) {
  const t = performance.now();
  const buf = await renderCreditNotePdf(doc, F.ISSUER);
  write(name, buf, performance.now() - t);
}

function write(name: string, buf: Buffer, ms: number): void {
  for (const f of fs.readdirSync(out)) if (f.startsWith(`${name}-`) && f.endsWith('.png')) fs.rmSync(path.join(out, f));
  const file = path.join(out, `${name}.pdf`);
  fs.writeFileSync(file, buf);
  execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(out, name)]);
  console.log(`${file}  ${buf.length} bytes  ${ms.toFixed(0)} ms`);
}
