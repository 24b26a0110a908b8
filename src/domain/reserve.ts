/**
 * Working capital reserve rules (SPEC 2.6): a drawdown only covers an
 * operating-cash shortfall and never exceeds the reserve; restorations go to
 * the oldest outstanding drawdown first and never exceed what is outstanding
 * or what operating cash allows. Pure; bigint centimes.
 */
import { compareText } from './compare.js';
import { maxCentimes, minCentimes, type Centimes } from './money.js';

export type DrawdownRefusal = { limit: 'reserve-balance' | 'operating-shortfall'; limitCentimes: Centimes; exceededByCentimes: Centimes };

/** Operating-cash shortfall: how far operating cash is below zero (0 when it is not). */
export function shortfall(operatingCashCentimes: Centimes): Centimes {
  return maxCentimes(-operatingCashCentimes, 0n);
}

/**
 * Null when the drawdown is allowed, else the limit it breaks and by how
 * much. When it breaks both, the tighter one is named (the most that could be
 * drawn); when both limits are equal, the shortfall is named.
 */
export function checkDrawdown(amount: Centimes, reserveBalance: Centimes, operatingCash: Centimes): DrawdownRefusal | null {
  const gap = shortfall(operatingCash);
  const tighter: Pick<DrawdownRefusal, 'limit' | 'limitCentimes'> =
    gap <= reserveBalance ? { limit: 'operating-shortfall', limitCentimes: gap } : { limit: 'reserve-balance', limitCentimes: reserveBalance };
  if (amount > tighter.limitCentimes) return { ...tighter, exceededByCentimes: amount - tighter.limitCentimes };
  return null;
}

export interface OutstandingDrawdown {
  id: number;
  date: string;
  outstandingCentimes: Centimes;
}

/** Splits a restoration over outstanding drawdowns, oldest first (or only the named one). Throws when it exceeds what is outstanding. */
export function allocateRestoration(amount: Centimes, drawdowns: readonly OutstandingDrawdown[], named?: number): { drawdownId: number; amountCentimes: Centimes }[] {
  const pool = [...drawdowns]
    .filter((d) => d.outstandingCentimes > 0n && (named === undefined || d.id === named))
    .sort((a, b) => compareText(a.date, b.date) || a.id - b.id);
  let left = amount;
  const out: { drawdownId: number; amountCentimes: Centimes }[] = [];
  for (const d of pool) {
    if (left === 0n) break;
    const take = minCentimes(d.outstandingCentimes, left);
    out.push({ drawdownId: d.id, amountCentimes: take });
    left -= take;
  }
  if (left > 0n) throw new RangeError('restoration exceeds the outstanding drawdowns');
  return out;
}

/**
 * The lowest value a balance takes from a date on, given its value on that
 * date and the later changes in date order: what can be taken out on that
 * date without making the balance negative on any later date.
 */
export function lowestFrom(valueOnDate: Centimes, laterDeltas: readonly Centimes[]): Centimes {
  let v = valueOnDate;
  let lowest = v;
  for (const d of laterDeltas) {
    v += d;
    lowest = minCentimes(lowest, v);
  }
  return lowest;
}

/** Default monthly spending plan: the budget ÷ 12 in whole centimes, the remainder centimes on the first months. */
export function defaultMonthlyPlan(budgetCentimes: Centimes): Centimes[] {
  const base = budgetCentimes / 12n;
  const rest = budgetCentimes - base * 12n;
  return Array.from({ length: 12 }, (_, i) => base + (BigInt(i) < rest ? 1n : 0n));
}
