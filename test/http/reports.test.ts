import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { cancelInvoice, issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';

let env: TestEnv;
/** Invoice totals in centimes by ISO3 and year ("NOR2018"), from the invoices themselves. */
let totals: Record<string, bigint>;
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
  // MEX pays CHF 2,000.00 in 2018, which goes to its 2017 arrears (oldest first); BEN's 2018 invoice (its first) is cancelled.
  recordPayment(env.ctx, actor, 'm2', { iso3: 'MEX', amount: '2000.00', receivedOn: '2018-06-01' });
  await cancelInvoice(env.ctx, actor, inv.BEN2018!.number, { reason: 'test: cancelled', date: '2018-07-01' });
  totals = Object.fromEntries(Object.entries(inv).map(([k, i]) => [k, cents(i.total)]));
});
afterAll(() => env.close());

const FIGURES = ['priorAtStart', 'priorCollected', 'priorCredited', 'priorOutstanding', 'assessed', 'credited', 'collected', 'outstanding', 'received', 'inExcess', 'unappliedCredit'] as const;
type Figures = Record<(typeof FIGURES)[number], string>;
const asCents = (row: Figures) => Object.fromEntries(FIGURES.map((k) => [k, cents(row[k])])) as Record<(typeof FIGURES)[number], bigint>;

function ledger(sql: string, ...params: unknown[]): bigint {
  return (env.ctx.sqlite.prepare(sql).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;
}

describe('status of contributions (SPEC 9.1)', () => {
  it('gives each State its figures exactly, as of the end of 2018', async () => {
    const r = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31')).json();
    const by = Object.fromEntries(r.rows.map((x: Figures & { iso3: string }) => [x.iso3, x])) as Record<string, Figures & { status: string }>;
    const t = totals;
    // NOR: 2017 paid in 2017; 2018 paid on 2018-01-10 with CHF 5,000.00 more, which it still holds as credit.
    expect(asCents(by.NOR!)).toEqual({
      priorAtStart: 0n, priorCollected: 0n, priorCredited: 0n, priorOutstanding: 0n,
      assessed: t.NOR2018, credited: 0n, collected: t.NOR2018, outstanding: 0n,
      received: t.NOR2018! + 500000n, inExcess: 500000n, unappliedCredit: 500000n,
    });
    expect(by.NOR!.status).toBe('paid');
    // FRA: both years paid in full, 2018 after the cut-off.
    expect(asCents(by.FRA!)).toMatchObject({ priorAtStart: 0n, assessed: t.FRA2018, collected: t.FRA2018, outstanding: 0n, received: t.FRA2018, inExcess: 0n });
    expect(by.FRA!.status).toBe('paid');
    // MEX: 2017 paid CHF 1,000.00 in 2017 (the rest is unpaid at the start) and CHF 2,000.00 in 2018 (collected on 2017); nothing on 2018.
    expect(asCents(by.MEX!)).toEqual({
      priorAtStart: t.MEX2017! - 100000n, priorCollected: 200000n, priorCredited: 0n, priorOutstanding: t.MEX2017! - 300000n,
      assessed: t.MEX2018, credited: 0n, collected: 0n, outstanding: t.MEX2018,
      received: 200000n, inExcess: 0n, unappliedCredit: 0n,
    });
    expect(by.MEX!.status).toBe('unpaid');
    // BEN (in force from 2018): its only invoice was cancelled, so it is credited in full; the row stays.
    expect(asCents(by.BEN!)).toEqual({
      priorAtStart: 0n, priorCollected: 0n, priorCredited: 0n, priorOutstanding: 0n,
      assessed: t.BEN2018, credited: t.BEN2018, collected: 0n, outstanding: 0n,
      received: 0n, inExcess: 0n, unappliedCredit: 0n,
    });
    expect(by.BEN!.status).toBe('credited');
    expect(r.counts).toMatchObject({ assessed: 3, paid: 2, partial: 0, unpaid: 1, credited: 1, sharePaidPercent: '66.7', shareContributingPercent: '66.7' });
    expect(r.honourRoll).toEqual([{ iso3: 'NOR', name: 'Norway' }]);
    expect(r.otherDonors).toEqual([{ donor: 'A Foundation', purpose: 'voluntary', amount: '7000.00' }]);
    // Coverage: collected ÷ budget and (collected + inExcess) ÷ budget, one decimal, half-even (independent bigint arithmetic).
    const pct = (part: bigint) => {
      const tenths = (part * 1000n * 2n + 59000000n) / (59000000n * 2n); // round half up is enough here: checked not to sit on .05
      return `${tenths / 10n}.${tenths % 10n}`;
    };
    const collected = t.NOR2018! + t.FRA2018!;
    expect(r.coverage).toEqual({ collectedPercent: pct(collected), withExcessPercent: pct(collected + 500000n) });
  });

  it('counts each franc in the year it was received, once: the 2017 report as of 2018 shows no 2018 money', async () => {
    const r = (await get('/api/v1/reports/status-of-contributions?year=2017&asOf=2018-12-31')).json();
    const by = Object.fromEntries(r.rows.map((x: Figures & { iso3: string }) => [x.iso3, asCents(x)]));
    expect(by.NOR).toMatchObject({ assessed: totals.NOR2017, collected: totals.NOR2017, received: totals.NOR2017, inExcess: 0n });
    // MEX's 2018 money paid 2017: collected on 2017 (whenever received), but received in 2018, not 2017.
    expect(by.MEX).toMatchObject({ collected: 300000n, received: 100000n, inExcess: 0n, outstanding: totals.MEX2017! - 300000n });
    expect(by.BEN).toBeUndefined();
    expect(cents(r.totals.inExcess)).toBe(0n);
  });

  it('every row reconciles and the totals equal the ledger, at several dates', async () => {
    for (const asOf of ['2016-12-31', '2017-06-30', '2018-01-01', '2018-03-31', '2018-06-01', '2018-12-31', '2019-06-30']) {
      const r = (await get(`/api/v1/reports/status-of-contributions?year=2018&asOf=${asOf}`)).json();
      for (const row of r.rows as Figures[]) {
        const f = asCents(row);
        expect(f.priorAtStart + f.assessed, `${asOf}`).toBe(f.priorCollected + f.priorCredited + f.priorOutstanding + f.credited + f.collected + f.outstanding);
      }
      for (const k of FIGURES) expect(cents(r.totals[k]), `${asOf} ${k}`).toBe(r.rows.reduce((a: bigint, row: Figures) => a + cents(row[k]), 0n));
      const receivable = (cond: string) =>
        ledger(`SELECT SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE p.account_code = '1100' AND ${cond} AND j.entry_date <= ?`, asOf);
      expect(cents(r.totals.outstanding), asOf).toBe(receivable('p.budget_year = 2018'));
      expect(cents(r.totals.priorOutstanding), asOf).toBe(receivable('p.budget_year < 2018'));
      expect(cents(r.totals.unappliedCredit), asOf).toBe(
        -ledger(`SELECT SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE p.account_code = '2100' AND j.entry_date <= ?`, asOf),
      );
      // What States sent in 2018 up to the date, whatever it paid.
      expect(cents(r.totals.received), asOf).toBe(ledger(`SELECT SUM(amount_centimes) AS s FROM payments WHERE state_iso3 IS NOT NULL AND received_on BETWEEN '2018-01-01' AND ?`, asOf));
    }
  });

  it('is as of a date: France is unpaid before it paid; before the year begins, the start is the date itself', async () => {
    const early = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-02-01')).json();
    expect(early.rows.find((x: { iso3: string }) => x.iso3 === 'FRA').status).toBe('unpaid');
    const before = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2017-12-31')).json();
    const mex = asCents(before.rows.find((x: { iso3: string }) => x.iso3 === 'MEX'));
    expect(mex).toMatchObject({ priorAtStart: totals.MEX2017! - 100000n, priorCollected: 0n, received: 0n, assessed: totals.MEX2018, credited: 0n });
  });

  it('sorts rows by the State name in the language asked for', async () => {
    const names = async (lang: string) => ((await get(`/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31&lang=${lang}`)).json().rows as { name: string }[]).map((r) => r.name);
    expect(await names('en')).toEqual(['Benin', 'France', 'Mexico', 'Norway']);
    const fr = await names('fr');
    expect(fr).toEqual([...fr].sort((a, b) => a.localeCompare(b, 'fr')));
    expect(fr).toContain('Mexique');
  });

  it('gives CSV that parses back to the same figures, with the PDF\'s words for the status', async () => {
    const json = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31')).json();
    const res = await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31', { accept: 'text/csv' });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const records = parse(res.body, { columns: true }) as Record<string, string>[];
    const total = records.pop()!;
    const words: Record<string, string> = { paid: 'Paid in full', partial: 'Paid in part', unpaid: 'Paid nothing', credited: 'Credited in full', 'not-assessed': 'Not assessed' };
    expect(records).toEqual(json.rows.map((r: Record<string, string>) => ({ ...r, status: words[r.status!] })));
    expect(total).toEqual({ iso3: 'TOTAL', name: 'Total', ...json.totals, status: '' });
  });

  it('renders the PDF with every State, every figure and the coverage', async () => {
    const json = (await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31')).json();
    const en = (a: string) => (cents(a) === 0n ? '–' : a.replace(/\B(?=(\d{3})+\.)/g, ','));
    for (const res of [
      await get('/api/v1/reports/status-of-contributions.pdf?year=2018&asOf=2018-12-31'),
      await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-12-31', { accept: 'application/pdf' }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
      for (const row of json.rows as (Figures & { iso3: string; name: string })[]) {
        const at = text.indexOf(`${row.iso3} ${row.name}`);
        expect(at, row.iso3).toBeGreaterThanOrEqual(0);
        expect(text.slice(at).startsWith(`${row.iso3} ${row.name} ${FIGURES.map((k) => en(row[k])).join(' ')}`), row.iso3).toBe(true);
      }
      expect(text).toContain(`Total ${FIGURES.map((k) => json.totals[k].replace(/\B(?=(\d{3})+\.)/g, ',')).join(' ')}`);
      expect(text).toContain(`Collected on the 2018 assessments ${json.totals.collected.replace(/\B(?=(\d{3})+\.)/g, ',')} ${json.coverage.collectedPercent} %`);
    }
  });

  it('is for finance, presidency and auditor only', async () => {
    expect((await get('/api/v1/reports/status-of-contributions?year=2018', {}, 'fra')).statusCode).toBe(403);
    expect((await get('/api/v1/reports/status-of-contributions?year=2018', {}, 'auditor')).statusCode).toBe(200);
    expect((await get('/api/v1/reports/status-of-contributions?year=2018&asOf=2018-13-01')).statusCode).toBe(400);
    expect((await get('/api/v1/reports/status-of-contributions?year=2031')).statusCode).toBe(404);
  });
});
