/**
 * The cash-flow outlook of a budget year (SPEC 2.7) and its monthly spending
 * plan (default budget ÷ 12, editable). Actual figures come from the ledger's
 * operating cash (account 1000), by month and kind of entry.
 */
import { asc, eq } from 'drizzle-orm';
import { daysInMonth, parseIsoDate, todayUtc } from '../domain/dates.js';
import { projectCashflow, type MonthActuals } from '../domain/cashflow.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import { defaultMonthlyPlan } from '../domain/reserve.js';
import { writeAudit } from '../db/repositories/audit.js';
import { spendingPlans } from '../db/schema.js';
import type { Actor } from './actor.js';
import { findBudget } from './budgets.js';
import type { Ctx } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { assertPlausibleAmount, getLimits } from './limits.js';
import { getReserve, operatingCash } from './reserve.js';
import type { CashflowOut, ReserveOut } from './reserve-types.js';

export function spendingPlanCentimes(ctx: Ctx, year: number): Centimes[] | null {
  const budget = findBudget(ctx.db, year);
  if (!budget) return null;
  const rows = ctx.db.select().from(spendingPlans).where(eq(spendingPlans.year, year)).orderBy(asc(spendingPlans.month)).all();
  return rows.length === 12 ? rows.map((r) => r.amountCentimes) : defaultMonthlyPlan(budget.amountCentimes);
}

export function getSpendingPlan(ctx: Ctx, year: number): { year: number; source: 'default' | 'set'; months: string[]; total: string } {
  const plan = spendingPlanCentimes(ctx, year);
  if (!plan) throw new NotFoundError(`The budget for ${year}`);
  const set = ctx.db.select().from(spendingPlans).where(eq(spendingPlans.year, year)).all().length === 12;
  return { year, source: set ? 'set' : 'default', months: plan.map(formatMoney), total: formatMoney(sumCentimes(plan)) };
}

export function setSpendingPlan(ctx: Ctx, actor: Actor, year: number, months: string[]) {
  if (!findBudget(ctx.db, year)) throw new NotFoundError(`The budget for ${year}`);
  if (months.length !== 12) throw new ValidationError([{ field: 'months', message: 'give exactly 12 monthly amounts, January to December' }]);
  const limits = getLimits(ctx.db);
  months.forEach((m, i) => assertPlausibleAmount(ctx.db, `months.${i}`, parseMoney(m), limits));
  const before = getSpendingPlan(ctx, year);
  ctx.db.transaction(
    (tx) => {
      months.forEach((m, i) =>
        tx
          .insert(spendingPlans)
          .values({ year, month: i + 1, amountCentimes: parseMoney(m) })
          .onConflictDoUpdate({ target: [spendingPlans.year, spendingPlans.month], set: { amountCentimes: parseMoney(m) } })
          .run(),
      );
      writeAudit(tx, actor, 'spending-plan', String(year), { before: before.months, after: months });
    },
    { behavior: 'immediate' },
  );
  return getSpendingPlan(ctx, year);
}

/**
 * The restoration the outlook proposes for the as-of month (SPEC 2.6, 2.7):
 * what the rest of the year can spare, up to what is owed. Without a budget
 * for that year there is no plan to keep cash for, and nothing is proposed.
 */
export function restorationProposal(ctx: Ctx, asOf: string): Centimes | null {
  const year = Number.parseInt(asOf.slice(0, 4), 10);
  if (!findBudget(ctx.db, year)) return null;
  const p = cashflowOutlook(ctx, year, asOf).proposedRestoration;
  return p && p.month === asOf.slice(0, 7) ? parseMoney(p.amount) : null;
}

/** The reserve as of a date, with the restoration the cash-flow outlook proposes. */
export function reserveWithProposal(ctx: Ctx, asOf?: string): ReserveOut {
  return getReserve(ctx, asOf ?? todayUtc(), (c, date) => restorationProposal(c, date));
}

export function cashflowOutlook(ctx: Ctx, year: number, asOf = todayUtc()): CashflowOut {
  const budget = findBudget(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  const plan = spendingPlanCentimes(ctx, year)!;
  const rows = ctx.sqlite
    .prepare(
      `SELECT CAST(substr(j.entry_date, 6, 2) AS INTEGER) AS month, j.kind AS kind, SUM(p.amount_centimes) AS amount
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '1000' AND substr(j.entry_date, 1, 4) = ? AND j.entry_date <= ?
        GROUP BY month, j.kind`,
    )
    .safeIntegers(true)
    .all(String(year), asOf) as { month: bigint; kind: string; amount: bigint }[];
  const actuals: MonthActuals[] = Array.from({ length: 12 }, () => ({ receiptsCentimes: 0n, spendingCentimes: 0n, reserveMovementsCentimes: 0n }));
  for (const r of rows) {
    const a = actuals[Number(r.month) - 1]!;
    // Money in: contributions, and other income (bank interest booked from a bank line, SPEC 9.6).
    if (r.kind === 'payment' || r.kind === 'other-income') a.receiptsCentimes += r.amount;
    else if (r.kind === 'expenditure') a.spendingCentimes -= r.amount;
    else a.reserveMovementsCentimes += r.amount;
  }
  const asOfYear = Number.parseInt(asOf.slice(0, 4), 10);
  const asOfIndex = asOfYear < year ? -1 : asOfYear > year ? 12 : Number.parseInt(asOf.slice(5, 7), 10) - 1;
  const { year: y, month: m, day } = parseIsoDate(asOf);
  const reserve = getReserve(ctx, asOf);
  const outlook = projectCashflow({
    openingCentimes: operatingCash(ctx, `${year - 1}-12-31`),
    actuals,
    plan,
    asOfIndex,
    asOfMonthComplete: day === daysInMonth(y, m),
    outstandingDrawdownsCentimes: parseMoney(reserve.totalOutstanding),
    nextYearFirstPlanCentimes: spendingPlanCentimes(ctx, year + 1)?.[0] ?? 0n,
  });
  const monthName = (i: number) => `${year}-${String(i + 1).padStart(2, '0')}`;
  if (asOfIndex >= 12) {
    const last = outlook.months[11]!;
    if (last.closingCentimes !== operatingCash(ctx, `${year}-12-31`)) throw new Error(`internal: the ${year} cash flow does not reconcile with the ledger`);
  }
  return {
    year,
    asOf,
    budget: formatMoney(budget.amountCentimes),
    months: outlook.months.map((m) => ({
      month: monthName(m.index),
      basis: m.basis,
      openingCash: formatMoney(m.openingCentimes),
      receipts: formatMoney(m.receiptsCentimes),
      plannedSpending: formatMoney(m.plannedCentimes),
      actualSpending: formatMoney(m.actualSpendingCentimes),
      reserveMovements: formatMoney(m.reserveMovementsCentimes),
      closingCash: formatMoney(m.closingCentimes),
    })),
    firstShortfall: outlook.firstShortfall && {
      month: monthName(outlook.firstShortfall.index),
      shortfall: formatMoney(outlook.firstShortfall.shortfallCentimes),
      drawdownNeeded: formatMoney(outlook.firstShortfall.shortfallCentimes),
    },
    proposedRestoration: outlook.proposedRestoration && { month: monthName(outlook.proposedRestoration.index), amount: formatMoney(outlook.proposedRestoration.amountCentimes) },
  };
}


