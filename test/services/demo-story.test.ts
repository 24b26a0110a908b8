/**
 * The demo tells the 2016–2018 story in date order, and every figure people
 * read agrees with the ledger and with the others (issue 12):
 * - every status row of every year at five dates reconciles (SPEC 9.1), the
 *   totals equal the ledger, and the money in excess summed over the years
 *   is the money ever received and not applied;
 * - every invoice lists as earlier years outstanding exactly the State's
 *   arrears on its issue date (so never a year the State had already paid);
 * - operating cash is short once, covered by a drawdown that is restored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { computeBalance } from '../../src/services/accounts.js';
import { seedDemo } from '../../src/services/demo.js';
import { statusOfContributions } from '../../src/services/reports.js';
import { operatingCash } from '../../src/services/reserve.js';
import { makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 120_000);
afterAll(() => env.close());

const cents = (s: string) => BigInt(s.replace('.', ''));
const FIGURES = ['priorAtStart', 'priorCollected', 'priorCredited', 'priorOutstanding', 'assessed', 'credited', 'collected', 'outstanding', 'received', 'inExcess', 'unappliedCredit'] as const;
const DATES = ['2016-02-15', '2016-12-31', '2017-09-15', '2018-03-31', '2018-12-31'];
const YEARS = [2016, 2017, 2018];

function sql(query: string, ...params: unknown[]): bigint {
  return (env.ctx.sqlite.prepare(query).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;
}

describe('the demo story', () => {
  it('every status row reconciles and the totals equal the ledger, for every year at five dates', () => {
    for (const asOf of DATES)
      for (const year of YEARS) {
        const r = statusOfContributions(env.ctx, year, asOf);
        const states = sql(`SELECT count(*) AS s FROM states`);
        expect(BigInt(r.rows.length)).toBeLessThanOrEqual(states);
        for (const row of r.rows) {
          const f = Object.fromEntries(FIGURES.map((k) => [k, cents(row[k])])) as Record<(typeof FIGURES)[number], bigint>;
          expect(f.priorAtStart + f.assessed, `${year} ${asOf} ${row.iso3}`).toBe(
            f.priorCollected + f.priorCredited + f.priorOutstanding + f.credited + f.collected + f.outstanding,
          );
          expect(f.inExcess).toBeGreaterThanOrEqual(0n);
          expect(f.inExcess).toBeLessThanOrEqual(f.received);
        }
        for (const k of FIGURES) expect(cents(r.totals[k]), `${year} ${asOf} ${k}`).toBe(r.rows.reduce((a, row) => a + cents(row[k]), 0n));
        const receivable = (cond: string) =>
          sql(`SELECT SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE p.account_code = '1100' AND ${cond} AND j.entry_date <= ?`, asOf);
        expect(cents(r.totals.outstanding), `${year} ${asOf}`).toBe(receivable(`p.budget_year = ${year}`));
        expect(cents(r.totals.priorOutstanding), `${year} ${asOf}`).toBe(receivable(`p.budget_year < ${year}`));
        expect(cents(r.totals.unappliedCredit)).toBe(-sql(`SELECT SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE p.account_code = '2100' AND j.entry_date <= ?`, asOf));
        const yearEnd = `${year}-12-31` < asOf ? `${year}-12-31` : asOf;
        expect(cents(r.totals.received)).toBe(sql(`SELECT SUM(amount_centimes) AS s FROM payments WHERE state_iso3 IS NOT NULL AND received_on BETWEEN '${year}-01-01' AND ?`, yearEnd));
      }
  });

  it('counts every franc once: money in excess over the years is the money ever received from States and not applied', () => {
    for (const asOf of DATES) {
      const inExcess = YEARS.reduce((a, y) => a + cents(statusOfContributions(env.ctx, y, asOf).totals.inExcess), 0n);
      const received = sql(`SELECT SUM(amount_centimes) AS s FROM payments WHERE state_iso3 IS NOT NULL AND received_on <= ?`, asOf);
      const applied = sql(`SELECT SUM(amount_centimes) AS s FROM applications WHERE applied_on <= ?`, asOf);
      expect(inExcess, asOf).toBe(received - applied);
      // Per State too: no State's excess is counted in two years.
      const byState = new Map<string, bigint>();
      for (const y of YEARS) for (const row of statusOfContributions(env.ctx, y, asOf).rows) byState.set(row.iso3, (byState.get(row.iso3) ?? 0n) + cents(row.inExcess));
      for (const [iso3, excess] of byState) {
        const got = sql(`SELECT SUM(amount_centimes) AS s FROM payments WHERE state_iso3 = ? AND received_on <= ?`, iso3, asOf);
        const used = sql(`SELECT SUM(amount_centimes) AS s FROM applications WHERE state_iso3 = ? AND applied_on <= ?`, iso3, asOf);
        expect(excess, `${iso3} ${asOf}`).toBe(got - used);
      }
    }
  });

  it("lists on every invoice exactly the State's arrears of earlier years on its issue date", () => {
    const invoices = env.ctx.sqlite.prepare('SELECT number, state_iso3 AS iso3, year, issue_date AS issueDate, document FROM invoices ORDER BY number').all() as {
      number: string;
      iso3: string;
      year: number;
      issueDate: string;
      document: string;
    }[];
    expect(invoices.length).toBe(297);
    let withArrears = 0;
    for (const inv of invoices) {
      const printed = JSON.parse(inv.document).earlierOutstanding;
      const arrears = computeBalance(env.ctx, inv.iso3, inv.issueDate).arrears.filter((a) => a.year < inv.year);
      expect(printed, inv.number).toEqual(arrears);
      if (printed.length) withArrears++;
    }
    expect(withArrears).toBeGreaterThan(10);
  });

  it('tells the story of the seed documents: France paid 2016 on 11 March 2016, Mexico 2017 on 21 February 2017; 2018 invoices list neither', () => {
    const doc = (iso3: string, year: number) =>
      JSON.parse((env.ctx.sqlite.prepare('SELECT document FROM invoices WHERE state_iso3 = ? AND year = ?').get(iso3, year) as { document: string }).document);
    expect(sql(`SELECT count(*) AS s FROM payments WHERE state_iso3 = 'FRA' AND received_on = '2016-03-11'`)).toBe(1n);
    expect(sql(`SELECT count(*) AS s FROM payments WHERE state_iso3 = 'MEX' AND received_on = '2017-02-21'`)).toBe(1n);
    expect(doc('FRA', 2018).earlierOutstanding).toEqual([]);
    expect(doc('MEX', 2018).earlierOutstanding).toEqual([]);
  });

  it('has about 39 States paying for 2016, a handful paying in excess, and coverage below the budget without excess', () => {
    const r = statusOfContributions(env.ctx, 2016, '2016-12-31');
    expect(r.counts.paid + r.counts.partial).toBeGreaterThanOrEqual(35);
    expect(r.counts.paid + r.counts.partial).toBeLessThanOrEqual(42);
    const excessPayers = r.rows.filter((x) => cents(x.inExcess) > 0n);
    expect(excessPayers.length).toBeGreaterThanOrEqual(2);
    expect(excessPayers.length).toBeLessThanOrEqual(6);
    // The largest contributions to 2016 come from the States with the largest rates, not from small States paying in excess.
    const top = [...r.rows].sort((a, b) => (cents(b.collected) + cents(b.inExcess) > cents(a.collected) + cents(a.inExcess) ? 1 : -1)).slice(0, 3).map((x) => x.iso3);
    expect(top).toEqual(['JPN', 'DEU', 'FRA']);
    expect(Number(r.coverage.collectedPercent)).toBeLessThan(100);
    expect(Number(r.coverage.withExcessPercent)).toBeGreaterThan(Number(r.coverage.collectedPercent));
  });

  it('keeps operating cash positive at every month-end but one, whose shortfall a drawdown covered and a restoration repaid', () => {
    const monthEnds = YEARS.flatMap((y) => Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}-25`));
    const short = monthEnds.filter((d) => operatingCash(env.ctx, d) < 0n);
    expect(short).toEqual([]); // the drawdown is on the day of the shortfall: cash is back at zero that evening
    const moves = env.ctx.sqlite.prepare("SELECT kind, date, amount_centimes AS amount FROM reserve_movements WHERE kind IN ('drawdown', 'restoration') ORDER BY date").all() as {
      kind: string;
      date: string;
      amount: number;
    }[];
    expect(moves.map((m) => m.kind)).toEqual(['drawdown', 'restoration']);
    expect(moves[1]!.amount).toBe(moves[0]!.amount);
    expect(operatingCash(env.ctx, moves[0]!.date)).toBe(0n);
  });
});
