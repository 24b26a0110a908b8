/**
 * The cash-flow outlook (SPEC 2.7): operating cash month by month. Months
 * before the as-of month are actual; the as-of month takes what happened so
 * far and at least the planned spending; later months assume no receipts
 * (unpaid contributions are not assumed to arrive) and the planned spending.
 * Flags the first month of shortfall and the drawdown it needs, and proposes
 * a restoration when cash exceeds the next month's planned spending. Pure.
 */
import { maxCentimes, minCentimes, type Centimes } from './money.js';

export interface MonthActuals {
  receiptsCentimes: Centimes;
  spendingCentimes: Centimes;
  /** Drawdowns − restorations (and other transfers between reserve and operating cash) in the month. */
  reserveMovementsCentimes: Centimes;
}

export interface OutlookMonth {
  index: number; // 0..11
  basis: 'actual' | 'projected';
  openingCentimes: Centimes;
  receiptsCentimes: Centimes;
  plannedCentimes: Centimes;
  actualSpendingCentimes: Centimes;
  reserveMovementsCentimes: Centimes;
  closingCentimes: Centimes;
}

export interface Outlook {
  months: OutlookMonth[];
  firstShortfall: { index: number; shortfallCentimes: Centimes } | null;
  proposedRestoration: { index: number; amountCentimes: Centimes } | null;
}

/**
 * @param asOfIndex month index (0..11) of the as-of date in the year; -1 if the year starts after it (all projected), 12 if it ended before (all actual).
 * @param outstandingDrawdowns what is owed to the reserve at the as-of date.
 * @param nextYearFirstPlan planned spending of January of the next year (for December's restoration test).
 */
export function projectCashflow(input: {
  openingCentimes: Centimes;
  actuals: readonly MonthActuals[];
  plan: readonly Centimes[];
  asOfIndex: number;
  outstandingDrawdownsCentimes: Centimes;
  nextYearFirstPlanCentimes?: Centimes;
}): Outlook {
  const months: OutlookMonth[] = [];
  let cash = input.openingCentimes;
  for (let i = 0; i < 12; i++) {
    const a = input.actuals[i] ?? { receiptsCentimes: 0n, spendingCentimes: 0n, reserveMovementsCentimes: 0n };
    const planned = input.plan[i] ?? 0n;
    const basis = i < input.asOfIndex ? 'actual' : 'projected';
    const receipts = i <= input.asOfIndex ? a.receiptsCentimes : 0n;
    const movements = i <= input.asOfIndex ? a.reserveMovementsCentimes : 0n;
    const spending = i < input.asOfIndex ? a.spendingCentimes : i === input.asOfIndex ? maxCentimes(a.spendingCentimes, planned) : planned;
    const opening = cash;
    cash = opening + receipts - spending + movements;
    months.push({
      index: i,
      basis,
      openingCentimes: opening,
      receiptsCentimes: receipts,
      plannedCentimes: planned,
      actualSpendingCentimes: i <= input.asOfIndex ? a.spendingCentimes : 0n,
      reserveMovementsCentimes: movements,
      closingCentimes: cash,
    });
  }
  const short = months.find((m) => m.closingCentimes < 0n);
  let proposed: Outlook['proposedRestoration'] = null;
  if (input.outstandingDrawdownsCentimes > 0n)
    for (const m of months) {
      if (m.index < Math.max(input.asOfIndex, 0)) continue;
      const nextPlan = m.index < 11 ? (input.plan[m.index + 1] ?? 0n) : (input.nextYearFirstPlanCentimes ?? 0n);
      const spare = m.closingCentimes - nextPlan;
      if (spare > 0n) {
        proposed = { index: m.index, amountCentimes: minCentimes(spare, input.outstandingDrawdownsCentimes) };
        break;
      }
    }
  return {
    months,
    firstShortfall: short ? { index: short.index, shortfallCentimes: -short.closingCentimes } : null,
    proposedRestoration: proposed,
  };
}
