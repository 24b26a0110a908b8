/**
 * Plausibility limits (issue 16, finding 13): amounts and dates a finance
 * office would never key on purpose. Pure and exact: amounts in centimes
 * (bigint), dates as ISO strings (which compare in calendar order).
 */
import { addDays, type IsoDate } from './dates.js';
import type { Centimes } from './money.js';

/** The dates accepted, both ends included. */
export interface DateWindow {
  earliest: IsoDate;
  latest: IsoDate;
}

/** From the earliest date accepted to `futureDays` days after today. */
export function dateWindow(earliest: IsoDate, today: IsoDate, futureDays: number): DateWindow {
  return { earliest, latest: addDays(today, futureDays) };
}

export type DateVerdict = 'ok' | 'too-early' | 'too-late';

export function checkDateWindow(date: IsoDate, window: DateWindow): DateVerdict {
  if (date < window.earliest) return 'too-early';
  if (date > window.latest) return 'too-late';
  return 'ok';
}

export type AmountVerdict = 'ok' | 'needs-confirmation' | 'too-large';

/**
 * An amount above `largest` is refused whatever is confirmed; one above
 * `confirmAbove` (when there is such a threshold) needs the sender's
 * confirmation. Amounts equal to a limit are within it.
 */
export function checkAmount(amount: Centimes, limits: { largest: Centimes; confirmAbove: Centimes | null }, confirmed: boolean): AmountVerdict {
  if (amount > limits.largest) return 'too-large';
  if (limits.confirmAbove !== null && amount > limits.confirmAbove && !confirmed) return 'needs-confirmation';
  return 'ok';
}

/**
 * The amount above which a payment needs confirming: the threshold set, or
 * else the budget of the payment's year, or else none (only the largest
 * amount then applies).
 */
export function paymentThreshold(setting: Centimes | null, budgetOfYear: Centimes | null): Centimes | null {
  return setting ?? budgetOfYear;
}
