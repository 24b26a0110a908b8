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
import { balanceFigures } from '../../src/services/accounts.js';
import { closedYears } from '../../src/services/closing.js';
import { seedDemo } from '../../src/services/demo.js';
import { financialStatement, type FinancialStatement } from '../../src/services/financial-statement.js';
import { verifyLedger } from '../../src/services/verify.js';
import { makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 120_000);
afterAll(() => env.close());

const c = (s: string) => BigInt(s.replace('.', ''));
const sql = (query: string, ...params: unknown[]) => (env.ctx.sqlite.prepare(query).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;

/** Every identity of the statement, for its year and the previous year's column. */
export function expectTies(ctx: TestEnv['ctx'], s: FinancialStatement) {
  const sq = (query: string, ...params: unknown[]) => (ctx.sqlite.prepare(query).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;
  for (const col of ['current', 'previous'] as const) {
    const y = col === 'current' ? s.year : s.previousYear;
    const ie = s.incomeAndExpenditure;
    const income = c(ie.assessedContributions[col]!) + c(ie.voluntaryContributions[col]!) + c(ie.otherIncome[col]!);
    expect(c(ie.totalIncome[col]!)).toBe(income);
    expect(ie.expenditureByLine.reduce((a, l) => a + c(l[col]), 0n)).toBe(c(ie.totalExpenditure[col]!));
    expect(c(ie.surplus[col]!)).toBe(income - c(ie.totalExpenditure[col]!));
    expect(ie.assessedByBudgetYear.reduce((a, l) => a + c(l[col]), 0n)).toBe(c(ie.assessedContributions[col]!));
    // The year's surplus is what its closing carried (or would carry) to the accumulated fund.
    const closing = sq("SELECT -SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE j.kind = 'year-close' AND j.ref_id = ? AND p.account_code = '3200'", String(y));
    const openIe = sq("SELECT -SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE (p.account_code LIKE '4%' OR p.account_code LIKE '5%') AND j.entry_date BETWEEN ? AND ? AND j.kind <> 'year-close'", `${y}-01-01`, `${y}-12-31`);
    expect(c(ie.surplus[col]!)).toBe(openIe);
    if (closedYears(ctx.db).includes(y)) expect(c(ie.surplus[col]!)).toBe(closing);

    const fp = s.financialPosition;
    const assets = c(fp.operatingCash[col]!) + c(fp.reserveCash[col]!) + c(fp.receivables[col]!);
    expect(c(fp.totalAssets[col]!)).toBe(assets);
    expect(c(fp.totalLiabilities[col]!)).toBe(c(fp.unappliedCredit[col]!));
    const net = c(fp.reserveFund[col]!) + c(fp.accumulatedFund[col]!) + c(fp.surplusNotClosed[col]!);
    expect(c(fp.totalNetAssets[col]!)).toBe(net);
    expect(assets).toBe(c(fp.unappliedCredit[col]!) + net);
    expect(c(fp.totalLiabilitiesAndNetAssets[col]!)).toBe(assets);
    // A closed year has nothing left unclosed; an open one carries its own surplus (and that of any open year before).
    if (closedYears(ctx.db).includes(y)) expect(c(fp.surplusNotClosed[col]!)).toBe(0n);
    expect(fp.receivablesByYear.reduce((a, l) => a + c(l[col]), 0n)).toBe(c(fp.receivables[col]!));
    // Receivables and credit are the sums of the States' balances at 31 December.
    const iso3s = (ctx.sqlite.prepare('SELECT iso3 FROM states').all() as { iso3: string }[]).map((r) => r.iso3);
    let owed = 0n;
    let credit = 0n;
    for (const iso3 of iso3s) {
      const f = balanceFigures(ctx.sqlite, iso3, `${y}-12-31`);
      owed += f.outstanding;
      credit += f.unapplied;
    }
    expect(c(fp.receivables[col]!)).toBe(owed);
    expect(c(fp.unappliedCredit[col]!)).toBe(credit);

    // The reserve: opening → closing, and the movements agree with the reserve's own records.
    const r = s.reserve;
    expect(c(r.opening[col]!) + c(r.contributions[col]!) + c(r.transfers[col]!) - c(r.drawdowns[col]!) + c(r.restorations[col]!) + c(r.other[col]!)).toBe(c(r.closing[col]!));
    expect(c(r.closing[col]!)).toBe(c(fp.reserveCash[col]!));
    const from = `${y}-01-01`;
    const to = `${y}-12-31`;
    const movements = (kind: string) =>
      sq(
        `SELECT SUM(m.amount_centimes) AS s FROM reserve_movements m WHERE m.kind = ? AND m.date BETWEEN ? AND ?
          AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'reserve-movement' AND v.entity_id = m.id)`,
        kind,
        from,
        to,
      );
    expect(c(r.drawdowns[col]!)).toBe(movements('drawdown'));
    expect(c(r.restorations[col]!)).toBe(movements('restoration'));
    expect(c(r.transfers[col]!)).toBe(movements('transfer'));
    const contributions =
      movements('contribution') +
      sq(`SELECT SUM(amount_centimes) AS s FROM payments p WHERE purpose = 'reserve' AND received_on BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'payment' AND v.entity_id = p.id)`, from, to) +
      sq(`SELECT SUM(amount_centimes) AS s FROM credit_reclassifications WHERE "to" = 'reserve' AND date BETWEEN ? AND ?`, from, to);
    expect(c(r.contributions[col]!)).toBe(contributions);
    expect(c(r.fundClosing[col]!)).toBe(c(fp.reserveFund[col]!));
  }
}

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
      expenditureByLine: [{ line: null, label: 'Not coded to a budget line', current: '456000.00', previous: '439999.96' }],
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
});
