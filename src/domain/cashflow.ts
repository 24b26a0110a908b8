/**
 * The cash-flow outlook (SPEC 2.7): operating cash month by month. Months
 * before the as-of month are actual; the as-of month takes what happened so
 * far and at least the planned spending (or, once it is over, what it
 * spent); later months assume no receipts (unpaid contributions are not
 * assumed to arrive) and the planned spending. Flags the first month of
 * shortfall from the as-of month on and the drawdown it needs, and proposes
 * a restoration when cash allows it for the rest of the year. Pure.
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
 * @param asOfMonthComplete the as-of date is the last day of its month: that month is then actual, spending what was spent.
 * @param outstandingDrawdowns what is owed to the reserve at the as-of date.
 * @param nextYearFirstPlan planned spending of January of the next year (what December must leave for it).
 *
 * The first shortfall is looked for from the as-of month on (a past month's
 * shortfall is history, not a warning). A restoration is proposed in the
 * first month from the as-of month on where cash allows it: never more than
 * is owed, nor than would leave any later month of the year, or next
 * January's planned spending, uncovered.
 */
export function projectCashflow(input: {
  openingCentimes: Centimes;
  actuals: readonly MonthActuals[];
  plan: readonly Centimes[];
  asOfIndex: number;
  asOfMonthComplete?: boolean;
  outstandingDrawdownsCentimes: Centimes;
  nextYearFirstPlanCentimes?: Centimes;
}): Outlook {
  const months: OutlookMonth[] = [];
  /** Months up to here are actual: before the as-of month, and the as-of month itself once it is complete. */
  const actualBefore = input.asOfMonthComplete === true ? input.asOfIndex + 1 : input.asOfIndex;
  let cash = input.openingCentimes;
  for (let i = 0; i < 12; i++) {
    const a = input.actuals[i] ?? { receiptsCentimes: 0n, spendingCentimes: 0n, reserveMovementsCentimes: 0n };
    const planned = input.plan[i] ?? 0n;
    const basis = i < actualBefore ? 'actual' : 'projected';
    const receipts = i <= input.asOfIndex ? a.receiptsCentimes : 0n;
    const movements = i <= input.asOfIndex ? a.reserveMovementsCentimes : 0n;
    const spending = i < actualBefore ? a.spendingCentimes : i === input.asOfIndex ? maxCentimes(a.spendingCentimes, planned) : planned;
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
  const from = Math.max(input.asOfIndex, 0);
  const short = months.find((m) => m.index >= from && m.closingCentimes < 0n);
  /** Next January's planned spending must stay in cash after December. */
  const afterDecember = cash - (input.nextYearFirstPlanCentimes ?? 0n);
  let proposed: Outlook['proposedRestoration'] = null;
  if (input.outstandingDrawdownsCentimes > 0n)
    for (let i = from; i < 12; i++) {
      // What can leave cash in month i without any month from i on closing below zero.
      const spare = months.slice(i).reduce((lowest, m) => minCentimes(lowest, m.closingCentimes), afterDecember);
      if (spare > 0n) {
        proposed = { index: i, amountCentimes: minCentimes(spare, input.outstandingDrawdownsCentimes) };
        break;
      }
    }
  return {
    months,
    firstShortfall: short ? { index: short.index, shortfallCentimes: -short.closingCentimes } : null,
    proposedRestoration: proposed,
  };
}
