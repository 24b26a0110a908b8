/**
 * Year-end closing (SPEC 9.4): the entry that zeroes a year's income (4xxx)
 * and expense (5xxx) accounts against the accumulated fund (3200), and the
 * surplus it carries there. Balances are debit positive, credit negative.
 */
import { ACCOUNTS, type AccountCode, type JournalEntryDraft, type PostingDraft } from './ledger.js';
import type { Centimes } from './money.js';

export interface AccountBalance {
  account: AccountCode;
  balanceCentimes: Centimes;
}

/** Income − expenditure: the negated sum of the income and expense balances (income is a credit). */
export function surplusOf(balances: readonly AccountBalance[]): Centimes {
  let sum = 0n;
  for (const b of balances) sum += b.balanceCentimes;
  return -sum;
}

/** The closing entry of `year` dated its 31 December, or null when every balance is already zero. */
export function closingEntry(year: number, balances: readonly AccountBalance[]): JournalEntryDraft | null {
  const postings: PostingDraft[] = balances.filter((b) => b.balanceCentimes !== 0n).map((b) => ({ account: b.account, amountCentimes: -b.balanceCentimes }));
  if (postings.length === 0) return null;
  const surplus = surplusOf(balances);
  if (surplus !== 0n) postings.push({ account: ACCOUNTS.accumulatedFund, amountCentimes: -surplus });
  return {
    entryDate: `${year}-12-31`,
    kind: 'year-close',
    description: `Closing of ${year}: income and expenditure to the accumulated fund`,
    refType: 'year',
    refId: String(year),
    postings,
  };
}
