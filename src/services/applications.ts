/**
 * Applications of money to invoice lines, shared by payments (money in),
 * credit (money held) and invoices (cancellation releases what was applied).
 * Kept apart so that the payments and invoices services need not import each other.
 */
import { eq, sql } from 'drizzle-orm';
import { ACCOUNTS, type PostingDraft } from '../domain/ledger.js';
import { sumCentimes, type Centimes } from '../domain/money.js';
import { applications } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';

export function insertApplications(
  tx: DbOrTx,
  base: { source: 'payment' | 'credit' | 'cancellation'; paymentId: number | null; iso3: string; appliedOn: string; entryId: number },
  allocations: { invoiceNumber: string; category: string; amountCentimes: Centimes }[],
) {
  if (allocations.length === 0) return;
  tx.insert(applications)
    .values(
      allocations.map((a) => ({
        source: base.source,
        paymentId: base.paymentId,
        stateIso3: base.iso3,
        invoiceNumber: a.invoiceNumber,
        category: a.category,
        appliedOn: base.appliedOn,
        amountCentimes: a.amountCentimes,
        journalEntryId: base.entryId,
      })),
    )
    .run();
}

/**
 * On cancellation: what was applied to the invoice goes back to the State's
 * unapplied credit (negative application rows; postings for the credit note's entry).
 */
export function releaseApplications(
  tx: DbOrTx,
  invoiceNumber: string,
  iso3: string,
  year: number,
): { rows: { invoiceNumber: string; category: string; amountCentimes: Centimes }[]; postings: PostingDraft[] } {
  const applied = tx
    .select({ category: applications.category, amount: sql<string>`CAST(SUM(${applications.amountCentimes}) AS TEXT)` })
    .from(applications)
    .where(eq(applications.invoiceNumber, invoiceNumber))
    .groupBy(applications.category)
    .all()
    .map((a) => ({ category: a.category, amountCentimes: BigInt(a.amount) }))
    .filter((a) => a.amountCentimes !== 0n);
  const total = sumCentimes(applied.map((a) => a.amountCentimes));
  if (total === 0n) return { rows: [], postings: [] };
  return {
    rows: applied.map((a) => ({ invoiceNumber, category: a.category, amountCentimes: -a.amountCentimes })),
    postings: [
      ...applied.map((a) => ({ account: ACCOUNTS.receivable, amountCentimes: a.amountCentimes, stateIso3: iso3, budgetYear: year, category: a.category })),
      { account: ACCOUNTS.unappliedCredit, amountCentimes: -total, stateIso3: iso3 },
    ],
  };
}

export function insertReleaseRows(tx: DbOrTx, iso3: string, date: string, entryId: number, rows: { invoiceNumber: string; category: string; amountCentimes: Centimes }[]) {
  insertApplications(tx, { source: 'cancellation', paymentId: null, iso3, appliedOn: date, entryId }, rows);
}
