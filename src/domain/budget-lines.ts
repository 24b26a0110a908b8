/**
 * Budget lines and their execution (SPEC 9.5): the lines of a budget version
 * sum exactly to its amount; per line, what is left and the share spent.
 * Pure arithmetic on centimes.
 */
import { Decimal } from 'decimal.js';
import { Dec, sumCentimes, type Centimes } from './money.js';

/** The amount minus the sum of the lines: 0 when they sum exactly. */
export function linesDifference(amountCentimes: Centimes, lineCentimes: readonly Centimes[]): Centimes {
  return amountCentimes - sumCentimes(lineCentimes);
}

export interface ExecutionFigures {
  remainingCentimes: Centimes;
  /** spent ÷ revised in percent, one decimal, half-even; null when nothing is budgeted. */
  percentSpent: string | null;
}

/** What is left of a line and the share of it spent. */
export function executionFigures(revisedCentimes: Centimes, spentCentimes: Centimes): ExecutionFigures {
  return {
    remainingCentimes: revisedCentimes - spentCentimes,
    percentSpent:
      revisedCentimes === 0n
        ? null
        : new Dec(spentCentimes.toString()).mul(100).div(revisedCentimes.toString()).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toFixed(1),
  };
}
