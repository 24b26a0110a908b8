/**
 * The annual financial statement ties to the ledger (SPEC 9.5, issue 15's
 * Done-when), for every demo year: surplus = income − expenditure; assets =
 * liabilities + reserve fund + accumulated fund (+ the surplus not closed);
 * receivables = the sum of the States' balances; unapplied credit = the sum
 * of the States' credit; the reserve's movements explain its opening and
 * closing balance, and agree with the reserve's own records. The demo closes
 * 2015 (the 2016 invoices, issued in advance), 2016 and 2017.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { closedYears } from '../../src/services/closing.js';
import { reverseExpenditure } from '../../src/services/corrections.js';
import { seedDemo } from '../../src/services/demo.js';
import { financialStatement } from '../../src/services/financial-statement.js';
import { recordExpenditure } from '../../src/services/reserve.js';
import { verifyLedger } from '../../src/services/verify.js';
import { auth, makeEnv, type TestEnv } from '../helpers.js';
import { pdfText } from '../pdf-text.js';
import { expectTies } from '../statement-ties.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 120_000);
afterAll(() => env.close());

const sql = (query: string, ...params: unknown[]) => (env.ctx.sqlite.prepare(query).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;

describe('the financial statement of every demo year ties to the ledger', () => {
  it('2015, 2016 and 2017 are closed, 2018 is open; verify passes', () => {
    expect(closedYears(env.ctx.db)).toEqual([2015, 2016, 2017]);
    expect(verifyLedger(env.ctx).checks.filter((x) => !x.ok)).toEqual([]);
    expect(sql("SELECT count(*) AS s FROM journal_entries WHERE kind = 'year-close'")).toBe(3n);
  });

  for (const year of [2016, 2017, 2018])
    it(`${year}`, () => {
      const s = financialStatement(env.ctx, year);
      expect(s.closed).toBe(year < 2018);
      expectTies(env.ctx, s);
    });

  it('2017 as the Meeting reads it', () => {
    const s = financialStatement(env.ctx, 2017);
    const f = (current: string, previous: string | null) => ({ current, previous });
    expect(s.incomeAndExpenditure).toEqual({
      assessedContributions: f('590000.00', '570000.00'),
      assessedByBudgetYear: [
        { budgetYear: 2017, current: '0.00', previous: '570000.00' },
        { budgetYear: 2018, current: '590000.00', previous: '0.00' },
      ],
      voluntaryContributions: f('30000.00', '0.00'),
      otherIncome: f('0.00', '0.00'),
      totalIncome: f('620000.00', '570000.00'),
      // The demo's expenditures are coded to its illustrative lines: each line's spending, 2017 beside 2016, in the budget's order.
      expenditureByLine: [
        { line: 'staff', label: 'Staff (illustrative)', current: '228000.00', previous: '219999.99' },
        { line: 'travel', label: 'Travel (illustrative)', current: '38000.00', previous: '36666.67' },
        { line: 'meetings', label: 'Meetings (illustrative)', current: '38000.00', previous: '36666.66' },
        { line: 'communication', label: 'Communication (illustrative)', current: '38000.00', previous: '36666.66' },
        { line: 'office-it', label: 'Office and IT (illustrative)', current: '38000.00', previous: '36666.66' },
        { line: 'hosting', label: 'Hosting services (illustrative)', current: '38000.00', previous: '36666.66' },
        { line: 'audit', label: 'Audit (illustrative)', current: '38000.00', previous: '36666.66' },
      ],
      totalExpenditure: f('456000.00', '439999.96'),
      surplus: f('164000.00', '130000.04'),
    });
    expect(s.financialPosition).toMatchObject({
      operatingCash: f('192105.31', '172770.68'),
      reserveCash: f('391979.00', '365714.00'),
      receivables: f('679421.19', '532658.64'),
      totalAssets: f('1263505.50', '1071143.32'),
      unappliedCredit: f('27526.46', '25429.28'),
      reserveFund: f('391979.00', '365714.00'),
      accumulatedFund: f('844000.04', '680000.04'),
      surplusNotClosed: f('0.00', '0.00'),
      totalLiabilitiesAndNetAssets: f('1263505.50', '1071143.32'),
    });
    expect(s.reserve).toMatchObject({ opening: f('365714.00', '0.00'), contributions: f('26265.00', '15714.00'), transfers: f('0.00', '350000.00'), drawdowns: f('0.00', '36666.67'), restorations: f('0.00', '36666.67'), closing: f('391979.00', '365714.00') });
    expect(s.contributions).toMatchObject({ assessed: f('570000.00', '550000.00'), collected: f('441380.50', '435213.56'), outstanding: f('128619.50', '114786.44') });
    // 2018 is open: its surplus is carried as not closed, beside the accumulated fund of 2015–2017.
    const s18 = financialStatement(env.ctx, 2018);
    expect(s18.closed).toBe(false);
    expect(s18.financialPosition.surplusNotClosed.current).toBe(s18.incomeAndExpenditure.surplus.current);
    expect(s18.financialPosition.accumulatedFund).toEqual(f('844000.04', '844000.04'));
  });

  it('over HTTP: JSON is the service\'s document; CSV one row per figure; the PDF (also at .pdf) carries the totals; a State user is refused', async () => {
    const get = (url: string, accept?: string, token = 'demo-token-presidency') => env.app.inject({ url, headers: { ...auth(token), ...(accept ? { accept } : {}) } });
    const url = '/api/v1/reports/financial-statement?year=2017';
    const json = await get(url);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual(financialStatement(env.ctx, 2017));
    const csv = await get(url, 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('section,item,2017,2016');
    expect(lines).toContain('incomeAndExpenditure,surplus,164000.00,130000.04');
    expect(lines).toContain('financialPosition,totalLiabilitiesAndNetAssets,1263505.50,1071143.32');
    expect(lines).toContain('incomeAndExpenditure,assessedContributions:2018,590000.00,0.00');
    expect(lines).toContain('reserve,closing,391979.00,365714.00');
    for (const res of [await get(url, 'application/pdf'), await get('/api/v1/reports/financial-statement.pdf?year=2017')]) {
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(res.rawPayload)).replace(/\s+/g, ' ');
      for (const t of ['FINANCIAL STATEMENT 2017', 'Total income 620,000.00 570,000.00', 'Surplus (deficit) for the year 164,000.00 130,000.04', 'Total assets 1,263,505.50 1,071,143.32', 'Total liabilities and net assets 1,263,505.50 1,071,143.32', 'Accumulated fund 844,000.04 680,000.04', 'Reserve cash at 31 December 391,979.00 365,714.00'])
        expect(text).toContain(t);
    }
    const deficit = (await pdfText((await get('/api/v1/reports/financial-statement.pdf?year=2018')).rawPayload)).replace(/\s+/g, ' ');
    expect(deficit).toContain('Surplus (deficit) for the year (471,999.92) 164,000.00');
    expect((await get(url, undefined, 'demo-token-france')).statusCode).toBe(403);
  });
});

describe('expenditure by line, with a reversal (issue 19: the expense postings paired with their expenditure by equality)', () => {
  it('an expenditure counts on its line; its reversal, dated in the year, takes it off the same line; the statement still ties', () => {
    const line = (y: number, code: string) => financialStatement(env.ctx, y).incomeAndExpenditure.expenditureByLine.find((l) => l.line === code)?.current;
    const before = { travel: line(2018, 'travel'), audit: line(2018, 'audit'), total: financialStatement(env.ctx, 2018).incomeAndExpenditure.totalExpenditure.current };
    const actor = cliActor('test');
    recordExpenditure(env.ctx, actor, { date: '2018-11-10', amount: '1234.00', description: 'Travel, issue 19', line: 'travel' });
    const audit = recordExpenditure(env.ctx, actor, { date: '2018-11-11', amount: '500.00', description: 'Audit, reversed', line: 'audit' });
    expect(line(2018, 'audit')).toBe((Number(before.audit) + 500).toFixed(2));
    reverseExpenditure(env.ctx, actor, audit.id, { reason: 'entered twice', date: '2018-11-12' });
    const s = financialStatement(env.ctx, 2018);
    expect(line(2018, 'travel')).toBe((Number(before.travel) + 1234).toFixed(2));
    expect(line(2018, 'audit')).toBe(before.audit);
    expect(s.incomeAndExpenditure.totalExpenditure.current).toBe((Number(before.total) + 1234).toFixed(2));
    expect(s.incomeAndExpenditure.expenditureByLine.some((l) => l.line === null)).toBe(false);
    expectTies(env.ctx, s);
  });
});
