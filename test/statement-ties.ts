/** The identities of the annual financial statement (SPEC 9.5), checked against the ledger and the States' balances. */
import { expect } from 'vitest';
import { balanceFigures } from '../src/services/accounts.js';
import { closedYears } from '../src/services/closing.js';
import type { Ctx } from '../src/services/context.js';
import type { FinancialStatement } from '../src/services/financial-statement.js';

const c = (s: string) => BigInt(s.replace('.', ''));

/** Every identity of the statement, for its year and the previous year's column. */
export function expectTies(ctx: Ctx, s: FinancialStatement) {
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

