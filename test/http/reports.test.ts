import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

let env: TestEnv;
const actor = cliActor('test');
const cents = (s: string) => BigInt(s.replace('.', ''));
const get = (url: string, headers: Record<string, string> = {}, user = 'presidency') => env.app.inject({ url, headers: { ...auth(env.tokens[user]), ...headers } });

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, actor, [STATE_FRA, STATE_MEX, STATE_BEN, { ...STATE_FRA, iso3: 'NOR', name: 'Norway', language: 'en', depositDate: '2008-12-03' }]);
    createScale(ctx, actor, { ...SCALE_SMALL, rates: [...SCALE_SMALL.rates, { iso3: 'NOR', rate: '0.849' }] });
    createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
    createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, actor, 2017, { issueDate: '2016-09-20' });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  const inv = Object.fromEntries(listInvoices(env.ctx, {}, null).map((i) => [`${i.iso3}${i.year}`, i]));
  // NOR pays 2018 in full before the cut-off, and CHF 5,000.00 more; FRA pays 2017 and 2018 in full after the cut-off;
  // MEX pays part of 2017 only (so its 2018 is unpaid and 2017 in arrears); BEN pays nothing; a donor gives CHF 7,000.00.
  recordPayment(env.ctx, actor, 'n1', { iso3: 'NOR', amount: inv.NOR2017!.total, receivedOn: '2017-02-01' });
  recordPayment(env.ctx, actor, 'n2', { iso3: 'NOR', amount: (cents(inv.NOR2018!.total) + 500000n).toString().replace(/(\d\d)$/, '.$1'), receivedOn: '2018-01-10' });
  recordPayment(env.ctx, actor, 'f1', { iso3: 'FRA', amount: inv.FRA2017!.total, receivedOn: '2017-06-01' });
  recordPayment(env.ctx, actor, 'f2', { iso3: 'FRA', amount: inv.FRA2018!.total, receivedOn: '2018-05-01' });
  recordPayment(env.ctx, actor, 'm1', { iso3: 'MEX', amount: '1000.00', receivedOn: '2017-05-01' });
  recordPayment(env.ctx, actor, 'd1', { donor: 'A Foundation', amount: '7000.00', receivedOn: '2018-04-01', purpose: 'voluntary' });
});
afterAll(() => env.close());

describe('status of contributions', () => {
  it('has totals equal to the sum of its rows, and to the ledger', async () => {
    const r = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31')).json();
    for (const col of ['arrearsBefore', 'assessed', 'paid', 'outstanding', 'excess'] as const) {
      const sum = r.rows.reduce((acc: bigint, row: Record<string, string>) => acc + cents(row[col]!), 0n);
      expect(cents(r.totals[col]), col).toBe(sum);
    }
    expect(r.totals.assessed).toBe('590000.00');
    const ledger = env.ctx.sqlite
      .prepare(
        `SELECT SUM(CASE WHEN budget_year = 2018 THEN amount_centimes ELSE 0 END) AS y2018, SUM(CASE WHEN budget_year < 2018 THEN amount_centimes ELSE 0 END) AS before
           FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE p.account_code = '1100' AND j.entry_date <= '2018-12-31'`,
      )
      .safeIntegers(true)
      .get() as { y2018: bigint; before: bigint };
    expect(cents(r.totals.outstanding)).toBe(ledger.y2018);
    expect(cents(r.totals.arrearsBefore)).toBe(ledger.before);
    expect(cents(r.totals.assessed) - cents(r.totals.paid)).toBe(cents(r.totals.outstanding));
  });

  it('tells who paid in full, in part, nothing; excess; the honour roll by the cut-off date; other donors', async () => {
    const r = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31')).json();
    const by = Object.fromEntries(r.rows.map((x: { iso3: string }) => [x.iso3, x]));
    expect(by.NOR).toMatchObject({ status: 'paid', outstanding: '0.00', excess: '5000.00' });
    expect(by.FRA).toMatchObject({ status: 'paid', outstanding: '0.00', excess: '0.00' });
    expect(by.MEX.status).toBe('unpaid');
    expect(cents(by.MEX.arrearsBefore)).toBeGreaterThan(0n);
    expect(by.BEN.status).toBe('unpaid');
    expect(r.counts).toMatchObject({ assessed: 4, paid: 2, partial: 0, unpaid: 2, sharePaidPercent: '50.0', shareContributingPercent: '50.0' });
    expect(r.honourRoll).toEqual([{ iso3: 'NOR', name: 'Norway' }]);
    expect(r.otherDonors).toEqual([{ donor: 'A Foundation', amount: '7000.00' }]);
    const early = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-02-01')).json();
    expect(early.rows.find((x: { iso3: string }) => x.iso3 === 'FRA').status).toBe('unpaid');
  });

  it('gives CSV that parses back to the same figures', async () => {
    const json = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31')).json();
    const res = await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31', { accept: 'text/csv' });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const records = parse(res.body, { columns: true }) as Record<string, string>[];
    const total = records.pop()!;
    expect(records).toEqual(json.rows.map((r: Record<string, string>) => ({ ...r })));
    expect(total).toMatchObject({ iso3: 'TOTAL', ...json.totals });
  });

  it('renders the PDF with every State and the totals', async () => {
    for (const res of [
      await get('/api/v1/reports/status-of-contributions.pdf?year=2018&asOf=2018-12-31'),
      await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31', { accept: 'application/pdf' }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(res.rawPayload);
      for (const iso3 of ['BEN', 'FRA', 'MEX', 'NOR']) expect(text).toContain(iso3);
      expect(text).toContain('590,000.00');
    }
  });

  it('is for finance, presidency and auditor only', async () => {
    expect((await get('/api/v1/reports/status-of-contributions?year=2018', {}, 'fra')).statusCode).toBe(403);
    expect((await get('/api/v1/reports/status-of-contributions?year=2018', {}, 'auditor')).statusCode).toBe(200);
    expect((await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-13-01')).statusCode).toBe(400);
    expect((await get('/api/v1/reports/status-of-contributions?year=2031')).statusCode).toBe(404);
  });
});
