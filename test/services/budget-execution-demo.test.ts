/**
 * Issue 15's done-when: for each demo year, the execution report's total
 * spent equals the ledger's expenditure (account 5100 postings of the
 * expenditures of that budget year and of their reversals), and each line's
 * spent equals the sum of its coded expenditures — both computed here from
 * the ledger tables, independently of the report. The demo's lines are
 * illustrative, sum exactly to each budget, and every expenditure is coded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { budgetExecution } from '../../src/services/budget-lines.js';
import { getBudget } from '../../src/services/budgets.js';
import { reverseExpenditure } from '../../src/services/corrections.js';
import { seedDemo } from '../../src/services/demo.js';
import { makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 120_000);
afterAll(() => env.close());

const cents = (s: string) => BigInt(s.replace('.', ''));
const YEARS = [2016, 2017, 2018];

function sql(query: string, ...params: unknown[]): bigint {
  return (env.ctx.sqlite.prepare(query).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;
}

/** The ledger's expenditure of a budget year as of a date: 5100 postings of its expenditures' entries and of their reversals' entries. */
const ledgerSpent = (year: number, asOf: string) =>
  sql(
    `SELECT SUM(p.amount_centimes) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id
      WHERE p.account_code = '5100' AND j.entry_date <= ?
        AND (p.entry_id IN (SELECT journal_entry_id FROM expenditures WHERE budget_year = ?)
          OR p.entry_id IN (SELECT v.journal_entry_id FROM reversals v JOIN expenditures e ON e.id = v.entity_id WHERE v.entity_type = 'expenditure' AND e.budget_year = ?))`,
    asOf,
    year,
    year,
  );

function checkYear(year: number, asOf: string) {
  const r = budgetExecution(env.ctx, year, asOf);
  expect(cents(r.totals.spent), `${year} as of ${asOf}`).toBe(ledgerSpent(year, asOf));
  for (const l of r.lines) {
    const coded = sql(
      `SELECT SUM(e.amount_centimes) AS s FROM expenditures e WHERE e.budget_year = ? AND e.line IS ? AND e.date <= ?
         AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'expenditure' AND v.entity_id = e.id AND v.date <= ?)`,
      year,
      l.code,
      asOf,
      asOf,
    );
    expect(cents(l.spent), `${year} ${l.code} as of ${asOf}`).toBe(coded);
    expect(cents(l.remaining)).toBe(cents(l.revised) - cents(l.spent));
  }
  expect(r.lines.reduce((s, l) => s + cents(l.spent), 0n)).toBe(cents(r.totals.spent));
  return r;
}

describe('budget execution of the demo', () => {
  it('the demo budgets carry illustrative lines summing exactly to each budget', () => {
    for (const year of YEARS) {
      const b = getBudget(env.ctx, year);
      expect(b.lines.map((l) => l.code)).toEqual(['staff', 'travel', 'meetings', 'communication', 'office-it', 'hosting', 'audit']);
      expect(b.lines.every((l) => l.label.endsWith('(illustrative)'))).toBe(true);
      expect(b.lines.reduce((s, l) => s + cents(l.amount), 0n)).toBe(cents(b.amount));
    }
    expect(sql(`SELECT count(*) AS s FROM expenditures WHERE budget_year BETWEEN 2016 AND 2018 AND line IS NULL`)).toBe(0n);
  });

  it('total spent equals the ledger and each line its coded expenditures, every year at several dates', () => {
    for (const year of YEARS) for (const asOf of [`${year}-03-31`, `${year}-09-30`, `${year}-12-31`, '2019-06-30']) checkYear(year, asOf);
  });

  it('pins the year-end figures of each demo year', () => {
    const pinned = YEARS.map((year) => {
      const r = checkYear(year, `${year}-12-31`);
      return [year, r.totals.approved, r.totals.spent, r.totals.percentSpent, r.lines.map((l) => `${l.code} ${l.approved} ${l.spent}`)];
    });
    expect(pinned).toMatchSnapshot();
  });

  it('a reversal reduces its line from its date on, and the report still ties to the ledger', () => {
    const id = Number(sql(`SELECT min(id) AS s FROM expenditures WHERE budget_year = 2018 AND line = 'travel'`));
    const before = budgetExecution(env.ctx, 2018, '2018-12-31').lines.find((l) => l.code === 'travel')!;
    const amount = sql(`SELECT amount_centimes AS s FROM expenditures WHERE id = ?`, id);
    reverseExpenditure(env.ctx, cliActor('test'), id, { reason: 'test', date: '2018-12-31' });
    const after = checkYear(2018, '2018-12-31').lines.find((l) => l.code === 'travel')!;
    expect(cents(after.spent)).toBe(cents(before.spent) - amount);
    expect(checkYear(2018, '2018-12-30').lines.find((l) => l.code === 'travel')!.spent).toBe(before.spent);
  });
});
