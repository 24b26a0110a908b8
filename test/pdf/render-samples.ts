/**
 * Renders the sample documents to /tmp/pdf-samples/*.pdf and, with poppler's
 * pdftoppm, to PNG (60 dpi) for a visual check:
 *   npx tsx test/pdf/render-samples.ts [outDir]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderCreditNotePdf } from '../../src/pdf/credit-note.js';
import { renderInvoicePdf } from '../../src/pdf/invoice.js';
import * as F from './fixtures.js';

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

for (const [name, doc] of Object.entries(invoices)) {
  const t = performance.now();
  const buf = await renderInvoicePdf(doc, F.ISSUER);
  write(name, buf, performance.now() - t);
}
for (const [name, doc] of Object.entries(creditNotes)) {
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
