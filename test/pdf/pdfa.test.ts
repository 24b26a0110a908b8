/**
 * Issue 17 (SPEC 9.10): every kind of document is PDF/A — only embedded fonts
 * (pdffonts), XMP metadata declaring the PDF/A part and conformance, an sRGB
 * output intent, a file qpdf finds sound — and two renderings are identical.
 * Needs poppler-utils (pdffonts) and qpdf, which `.ci/run` installs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCreditNotePdf } from '../../src/pdf/credit-note.js';
import { renderInvoicePdf } from '../../src/pdf/invoice.js';
import { renderReminderPdf } from '../../src/pdf/reminder.js';
import { renderStatementPdf } from '../../src/pdf/statement.js';
import { renderStatusReportPdf } from '../../src/pdf/status-report.js';
import { renderCreditNote, renderInvoice } from '../../src/services/invoices.js';
import { auth, makeIssued2018Env, tempDir, type TestEnv } from '../helpers.js';
import { FRANCE, FRANCE_CANCELLED, FRANCE_CREDIT_NOTE, ISSUER, MEXICO, TURKIYE_12 } from './fixtures.js';
import { REMINDER_FR } from './reminder-fixtures.js';
import { STATEMENT_CIV, statusReport } from './report-fixtures.js';

const dir = tempDir('isu-pdfa-');

/** What pdffonts, qpdf and the file's own XMP say of a PDF. */
function inspect(name: string, pdf: Buffer) {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .slice(2)
    .map((row) => {
      const cols = row.trim().split(/\s+/);
      // name, type…, encoding, emb, sub, uni, object, generation: emb is the fifth column from the end.
      return { name: cols[0]!, embedded: cols[cols.length - 5] };
    });
  let checked = true;
  try {
    execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  } catch {
    checked = false;
  }
  // qpdf's JSON (version 2): "qpdf" is [header, {"obj:N 0 R": {value} | {stream: {dict}}}].
  const json = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', file], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
    qpdf: [unknown, Record<string, { value?: unknown; stream?: { dict: unknown } }>];
  };
  const dicts = Object.values(json.qpdf[1]).map((o) => (o.value ?? o.stream?.dict ?? {}) as Record<string, unknown>);
  const catalog = dicts.find((d) => d && typeof d === 'object' && d['/Type'] === '/Catalog')!;
  const intents = dicts.filter((d) => d && typeof d === 'object' && d['/Type'] === '/OutputIntent');
  const text = pdf.toString('latin1');
  const xmp = text.slice(text.indexOf('<x:xmpmeta'), text.indexOf('</x:xmpmeta>') + 12);
  return { fonts, checked, catalog, intents, xmp };
}

interface Kind {
  name: string;
  render: () => Promise<Buffer>;
  part: '2' | '3';
}

let env: TestEnv;
const kinds: Kind[] = [
  { name: 'invoice-fr', render: () => renderInvoicePdf(FRANCE, ISSUER), part: '2' },
  { name: 'invoice-es', render: () => renderInvoicePdf(MEXICO, ISSUER), part: '2' },
  { name: 'invoice-en-12-lines', render: () => renderInvoicePdf(TURKIYE_12, ISSUER), part: '2' },
  { name: 'invoice-cancelled', render: () => renderInvoicePdf(FRANCE_CANCELLED, ISSUER), part: '2' },
  { name: 'credit-note', render: () => renderCreditNotePdf(FRANCE_CREDIT_NOTE, ISSUER), part: '2' },
  // The PDFs of record: the e-invoice XML attached (Factur-X), so PDF/A-3b.
  { name: 'invoice-of-record', render: () => renderInvoice(MEXICO, ISSUER), part: '3' },
  { name: 'credit-note-of-record', render: () => renderCreditNote(FRANCE_CREDIT_NOTE, ISSUER), part: '3' },
  { name: 'reminder', render: () => renderReminderPdf(REMINDER_FR), part: '2' },
  { name: 'statement-of-account', render: () => renderStatementPdf(STATEMENT_CIV, ISSUER), part: '2' },
  { name: 'status-report', render: () => renderStatusReportPdf(statusReport(), ISSUER), part: '2' },
  { name: 'financial-statement', render: () => fetchPdf('/api/v1/reports/financial-statement.pdf?year=2018'), part: '2' },
  { name: 'budget-execution', render: () => fetchPdf('/api/v1/budgets/2018/execution.pdf'), part: '2' },
];

async function fetchPdf(url: string): Promise<Buffer> {
  const res = await env.app.inject({ url, headers: auth(env.tokens.finance) });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/pdf/);
  return res.rawPayload;
}

beforeAll(async () => {
  env = await makeIssued2018Env();
});
afterAll(async () => {
  await env.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('issue 17: every document is PDF/A', () => {
  for (const kind of kinds) {
    it(`${kind.name}: only embedded fonts, PDF/A-${kind.part}b declared in XMP, an sRGB output intent, qpdf --check passes, identical when rendered twice`, async () => {
      const first = await kind.render();
      const second = await kind.render();
      expect(Buffer.compare(first, second), 'two renderings differ').toBe(0);
      const r = inspect(kind.name, first);
      expect(r.fonts.length).toBeGreaterThan(0);
      for (const f of r.fonts) expect(f, `font ${f.name}`).toMatchObject({ embedded: 'yes' });
      expect(r.fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(expect.arrayContaining(['Arimo-Regular']));
      expect(r.checked, 'qpdf --check').toBe(true);
      expect(r.xmp).toMatch(new RegExp(`<pdfaid:part>${kind.part}</pdfaid:part>`));
      expect(r.xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
      expect(r.catalog['/Metadata']).toBeDefined();
      expect(r.intents).toHaveLength(1);
      expect(r.intents[0]).toMatchObject({ '/S': '/GTS_PDFA1', '/OutputConditionIdentifier': 'u:sRGB IEC61966-2.1' });
      expect(r.intents[0]!['/DestOutputProfile']).toBeDefined();
      if (kind.part === '3') {
        // Factur-X: the XML attached as factur-x.xml, related as its Alternative, and declared in the XMP.
        expect(r.catalog['/AF']).toBeDefined();
        expect(execFileSync('qpdf', ['--list-attachments', path.join(dir, `${kind.name}.pdf`)], { encoding: 'utf8' })).toMatch(/^factur-x\.xml -> /);
        expect(first.toString('latin1')).toContain('/AFRelationship /Alternative');
        expect(r.xmp).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
      }
    });
  }
});
