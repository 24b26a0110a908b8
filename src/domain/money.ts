/**
 * Money and rates. Money is CHF held as integer centimes in a `bigint`
 * (`Centimes`), computed with decimal.js where division is involved and
 * exchanged as strings ("12345.67"). No JS `number` ever holds an amount or a
 * rate: there is no conversion from or to `number` in this module.
 */
import { Decimal } from 'decimal.js';

/** decimal.js configured for money work: 40 significant digits, banker's rounding by default. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Dec = Decimal;

export type Centimes = bigint;

/** Largest amount the system accepts: CHF 10,000,000,000,000.00 (exclusive), far below SQLite's int64. */
export const MAX_CENTIMES: Centimes = 1_000_000_000_000_000n;

/** A non-negative CHF amount with at most two decimals, e.g. "590000.00", "12.5", "0". */
export const MONEY_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;
/** Same as MONEY_PATTERN but a leading minus is allowed (for signed figures). */
export const SIGNED_MONEY_PATTERN = /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;

export class MoneyFormatError extends Error {
  constructor(readonly input: string) {
    super(`not a CHF amount with at most 2 decimals: ${JSON.stringify(input)}`);
  }
}

/** Parses "1234.5" into 123450n centimes. Throws MoneyFormatError on anything else. */
export function parseMoney(input: string, { signed = false } = {}): Centimes {
  const pattern = signed ? SIGNED_MONEY_PATTERN : MONEY_PATTERN;
  if (!pattern.test(input)) throw new MoneyFormatError(input);
  const negative = input.startsWith('-');
  const body = negative ? input.slice(1) : input;
  const [whole, frac = ''] = body.split('.') as [string, string?];
  const centimes = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
  if (centimes >= MAX_CENTIMES) throw new MoneyFormatError(input);
  return negative ? -centimes : centimes;
}

/** 123450n → "1234.50"; -5n → "-0.05". */
export function formatMoney(centimes: Centimes): string {
  const negative = centimes < 0n;
  const abs = negative ? -centimes : centimes;
  const whole = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${frac}`;
}

export function centimesToDecimal(centimes: Centimes): Decimal {
  return new Dec(centimes.toString()).div(100);
}

/** Converts an exact decimal number of centimes (an integer) to bigint; asserts it is an integer. */
export function integerDecimalToBigint(d: Decimal): bigint {
  if (!d.isInteger()) throw new Error(`internal: expected an integer, got ${d.toString()}`);
  return BigInt(d.toFixed(0));
}

/** round_half_even(amount × factor, 0.01) in centimes. */
export function mulRoundHalfEven(amount: Centimes, factor: Decimal): Centimes {
  const exact = new Dec(amount.toString()).mul(factor);
  return integerDecimalToBigint(exact.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN));
}

/** The smaller of two amounts. */
export function minCentimes(a: Centimes, b: Centimes): Centimes {
  // Stryker disable next-line EqualityOperator: `<=` is equivalent (equal amounts give the same value); the other operator mutant (a max) is pinned by the unit test of minCentimes
  return a < b ? a : b;
}

/** The larger of two amounts. */
export function maxCentimes(a: Centimes, b: Centimes): Centimes {
  // Stryker disable next-line EqualityOperator: `>=` is equivalent (equal amounts give the same value); the other operator mutant (a min) is pinned by the unit test of maxCentimes
  return a > b ? a : b;
}

export function sumCentimes(values: Iterable<Centimes>): Centimes {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/** A scale rate in percent: up to 3 integer digits and 6 decimals, e.g. "4.859", "0.001". */
export const RATE_PATTERN = /^(0|[1-9][0-9]{0,2})(\.[0-9]{1,6})?$/;

/** A fraction between 0 and 1 inclusive with up to 12 decimals, e.g. "0.4", "1". */
export const FRACTION_PATTERN = /^(0(\.[0-9]{1,12})?|1(\.0{1,12})?)$/;

export function parseRate(input: string): Decimal {
  if (!RATE_PATTERN.test(input)) throw new Error(`not a rate in percent with at most 6 decimals: ${JSON.stringify(input)}`);
  const d = new Dec(input);
  if (d.gt(100)) throw new Error(`rate above 100 percent: ${input}`);
  return d;
}

/** Canonical text of a rate or fraction: no trailing zeros ("4.8590" → "4.859"). */
export function canonicalDecimal(d: Decimal): string {
  return d.toFixed();
}

/** part ÷ whole in percent, one decimal, half-even ("84.3"); "0.0" when whole is zero. Parts may be money strings or counts. */
export function percentOneDecimal(part: Decimal.Value, whole: Decimal.Value): string {
  const w = new Dec(whole);
  if (w.isZero()) return '0.0';
  return new Dec(part).mul(100).div(w).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toFixed(1);
}
