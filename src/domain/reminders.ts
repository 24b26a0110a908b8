/**
 * Who is reminded, of what (SPEC 9.7, 9.2). Pure; amounts in bigint centimes.
 *
 * An invoice is overdue on `asOf` when `asOf` is after its due date (on the
 * due date itself it is still in time, as for arrears) and something is
 * left to pay on it. A State is reminded only when what is overdue exceeds
 * the unapplied credit it holds: credit is used before anyone is chased, so
 * the letter asks for the overdue total less the credit.
 */
import { compareText } from './compare.js';
import { creditorReference } from './creditor-reference.js';
import type { IsoDate } from './dates.js';
import { sumCentimes, type Centimes } from './money.js';

export interface InvoiceStanding {
  number: string;
  /** Budget year. */
  year: number;
  /** The invoice's payment deadline: the budget's cut-off date, or its own for a late or supplementary invoice. */
  dueDate: IsoDate;
  /** What is left to pay on it (after credit notes and the money applied to it). */
  leftCentimes: Centimes;
}

export function isOverdue(invoice: InvoiceStanding, asOf: IsoDate): boolean {
  return invoice.dueDate < asOf && invoice.leftCentimes > 0n;
}

export interface ReminderDue<T extends InvoiceStanding> {
  /** The overdue invoices, oldest budget year first (then due date, then number). */
  invoices: T[];
  overdueCentimes: Centimes;
  creditCentimes: Centimes;
  /** overdue − credit, always positive. */
  toPayCentimes: Centimes;
}

function oldestFirst(a: InvoiceStanding, b: InvoiceStanding): number {
  return a.year - b.year || compareText(a.dueDate, b.dueDate) || compareText(a.number, b.number);
}

/** What a State is reminded of on `asOf`, or null when its credit covers everything overdue (or nothing is). */
export function reminderDue<T extends InvoiceStanding>(invoices: readonly T[], creditCentimes: Centimes, asOf: IsoDate): ReminderDue<T> | null {
  if (creditCentimes < 0n) throw new RangeError('internal: unapplied credit cannot be negative');
  const overdue = invoices.filter((i) => isOverdue(i, asOf)).sort(oldestFirst);
  const overdueCentimes = sumCentimes(overdue.map((i) => i.leftCentimes));
  const toPayCentimes = overdueCentimes - creditCentimes;
  return toPayCentimes > 0n ? { invoices: overdue, overdueCentimes, creditCentimes, toPayCentimes } : null;
}

/**
 * The level of a reminder: 1 + the number of earlier reminders (each given by
 * the invoices it named) that named at least one of the invoices of this one.
 * A first letter about an invoice is level 1; a State that keeps an invoice
 * unpaid climbs one level a letter; a newly overdue invoice joining old ones
 * does not reset the count.
 */
export function reminderLevel(earlier: readonly (readonly string[])[], invoices: readonly string[]): number {
  return 1 + earlier.filter((named) => named.some((n) => invoices.includes(n))).length;
}

/** "REM-2018-0001": reminder `seq` of the year of its issue date. */
export function reminderNumber(year: number, seq: number): string {
  return `REM-${year}-${String(seq).padStart(4, '0')}`;
}

/** The creditor reference of a reminder: RF.. + "REM" + year + 4-digit sequence (a payment quoting it is the State's). */
export function reminderReference(year: number, seq: number): string {
  return creditorReference(`REM${year}${String(seq).padStart(4, '0')}`);
}
