import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/pdf/i18n.js';
import { renderStatusReportPdf, statusReportTitle } from '../../src/pdf/status-report.js';
import type { StatusReportDocument } from '../../src/pdf/types.js';
import { ISSUER } from './fixtures.js';
import { fold, pdfPages, sha256, type PdfPages } from './page-texts.js';
import { FIGURES, statusReport, sumSigned } from './report-fixtures.js';

const en = (a: string) => formatMoney(a, 'en');
const nil = (a: string) => (/[1-9]/.test(a) ? en(a) : '–');

describe('status-of-contributions report PDF', () => {
  const report = statusReport();
  let pdf: Buffer;
  let pages: PdfPages;
  let all: string;

  beforeAll(async () => {
    pdf = await renderStatusReportPdf(report, ISSUER);
    pages = await pdfPages(pdf);
    all = pages.texts.join('\n');
  });

  it('has a sample of 103 States whose totals add up', () => {
    expect(report.rows).toHaveLength(103);
    expect(report.totals.assessed).toBe(sumSigned(report.rows.map((r) => r.assessed)));
    expect(report.counts.paid + report.counts.partial + report.counts.unpaid).toBe(report.counts.assessed);
  });

  it('is English, A4 landscape, with a page number on every page', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages.texts.length).toBeGreaterThanOrEqual(3);
    for (const s of pages.sizes) expect([Math.round(s.width), Math.round(s.height)]).toEqual([842, 595]);
    expect(pages.texts[0]).toContain(`Page 1 of ${pages.texts.length}`);
    pages.texts.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages.texts.length}`);
      expect(p).toContain('Status of contributions — budget 2018 · as of 30 June 2018');
    });
  });

  it('prints the title, the date of the figures, the budget and the cut-off date', () => {
    const first = pages.texts[0]!;
    expect(statusReportTitle(2018)).toBe('Status of contributions — budget 2018');
    expect(first).toContain('STATUS OF CONTRIBUTIONS — BUDGET 2018');
    expect(first).toContain('as of 30 June 2018');
    expect(first).toContain(`Budget 2018 CHF ${en(report.budget)}`);
    expect(first).toContain('Cut-off date for payment 31 March 2018');
    expect(first).toContain('Generated on 2 July 2018');
  });

  it('prints one row per State, in order, with the header repeated on every page of the table', () => {
    let at = 0;
    for (const r of report.rows) {
      const status = { paid: 'Paid in full', partial: 'Paid in part', unpaid: 'Paid nothing', credited: 'Credited in full', 'not-assessed': 'Not assessed' }[r.status];
      const row = fold([r.iso3, r.name, ...FIGURES.map((k) => nil(r[k])), status].join(' '));
      const found = all.indexOf(row, at);
      expect(found, row).toBeGreaterThan(-1);
      at = found + row.length;
    }
    const header =
      'Years before 2018 Budget 2018 Money received in 2018 ISO3 State Unpaid at start Collected Credited Outstanding Assessed Credited Collected Outstanding Received In excess Credit held Status';
    const tablePages = pages.texts.filter((p) => p.includes(header));
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    for (const p of pages.texts.slice(1)) expect(p).toContain('Status of contributions — budget 2018, as of 30 June 2018 (continued)');
  });

  it('prints the totals, the counts and shares, and the other donors', () => {
    const t = report.totals;
    expect(all).toContain(`Total ${FIGURES.map((k) => en(t[k])).join(' ')}`);
    expect(all).toContain(`Collected on the 2018 assessments ${en(t.collected)} ${report.coverage.collectedPercent} %`);
    expect(all).toContain(`With money received in excess of assessments ${en(sumSigned([t.collected, t.inExcess]))} ${report.coverage.withExcessPercent} %`);
    const c = report.counts;
    expect(all).toContain(`Assessed States ${c.assessed}`);
    expect(all).toContain(`Paid in full ${c.paid} ${c.sharePaidPercent} %`);
    expect(all).toContain(`Paid in part ${c.partial} ${c.sharePartialPercent} %`);
    expect(all).toContain(`Paid nothing ${c.unpaid} ${c.shareUnpaidPercent} %`);
    expect(all).toContain(`States contributing (in full or in part) ${c.paid + c.partial} ${c.shareContributingPercent} %`);
    expect(all).toContain('Money of donors that are not States, received in 2018');
    for (const d of report.otherDonors) expect(all).toContain(`${d.donor}${d.purpose === 'reserve' ? ' (to the reserve)' : ''} CHF ${en(d.amount)}`);
    expect(all).toContain(`Total CHF ${en(sumSigned(report.otherDonors.map((d) => d.amount)))}`);
  });

  it('lists the honour roll after its title', () => {
    const title = 'Honour roll: States that paid their 2018 assessment in full by the cut-off date (31 March 2018)';
    const start = all.indexOf(title);
    expect(start).toBeGreaterThan(-1);
    const roll = all.slice(start);
    expect(roll).toContain(`${report.honourRoll.length} States`);
    expect(report.honourRoll.length).toBeGreaterThan(20);
    for (const s of report.honourRoll) expect(roll, s.name).toContain(fold(s.name));
    expect(roll).toContain('Côte d’Ivoire');
  });

  it('gives the same bytes for the same input, dated by generatedOn', async () => {
    const again = await renderStatusReportPdf(structuredClone(report), structuredClone(ISSUER));
    expect(sha256(again)).toBe(sha256(pdf));
    const raw = pdf.toString('latin1');
    expect(raw).toContain('(D:20180702000000Z)');
    expect(raw).not.toContain('/ModDate');
  });

  it('renders a report without donors, honour roll or rows', async () => {
    const empty: StatusReportDocument = {
      ...report,
      rows: [],
      otherDonors: [],
      honourRoll: [],
      totals: Object.fromEntries(FIGURES.map((k) => [k, '0.00'])) as unknown as StatusReportDocument['totals'],
      coverage: { collectedPercent: '0.0', withExcessPercent: '0.0' },
      counts: { paid: 0, partial: 0, unpaid: 0, credited: 0, assessed: 0, sharePaidPercent: '0.00', sharePartialPercent: '0.00', shareUnpaidPercent: '0.00', shareContributingPercent: '0.00' },
    };
    const { texts } = await pdfPages(await renderStatusReportPdf(empty, ISSUER));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(`Total ${FIGURES.map(() => '0.00').join(' ')}`);
    expect(texts[0]).toContain('None received.');
    expect(texts[0]).toContain('No State had paid its 2018 assessment in full by the cut-off date.');
    expect(texts[0]).toContain('Page 1 of 1');
  });

  it('runs a long honour roll on to a further page with its title repeated', async () => {
    const many = { ...report, honourRoll: [...report.rows, ...report.rows, ...report.rows].map((r) => ({ iso3: r.iso3, name: r.name })) };
    const { texts } = await pdfPages(await renderStatusReportPdf(many, ISSUER));
    const last = texts[texts.length - 1]!;
    expect(last).toContain('(31 March 2018) (continued)');
    expect(texts.join('\n').split('Zambia').length - 1).toBe(4); // 1 row + 3 in the roll
  });
});
