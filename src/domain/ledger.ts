/**
 * Double-entry ledger rules (SPEC 2.8). A journal entry is a set of postings
 * in integer centimes, debit positive and credit negative, that sums to zero.
 */
import type { IsoDate } from './dates.js';
import { formatMoney, type Centimes } from './money.js';

/** The chart of accounts. The codes are also rows of the `accounts` table (seeded by migration). */
export const ACCOUNTS = {
  operatingCash: '1000',
  reserveCash: '1010',
  receivable: '1100',
  unappliedCredit: '2100',
  reserveFund: '3100',
  accumulatedFund: '3200',
  assessedIncome: '4100',
  voluntaryIncome: '4200',
  otherIncome: '4300',
  expenditure: '5100',
} as const;
export type AccountCode = (typeof ACCOUNTS)[keyof typeof ACCOUNTS];

export const ACCOUNT_NAMES: Record<AccountCode, { name: string; type: 'asset' | 'liability' | 'equity' | 'income' | 'expense' }> = {
  '1000': { name: 'Operating cash', type: 'asset' },
  '1010': { name: 'Working capital reserve cash', type: 'asset' },
  '1100': { name: 'Contributions receivable', type: 'asset' },
  '2100': { name: 'Unapplied credit of States (payments received in advance)', type: 'liability' },
  '3100': { name: 'Working capital reserve fund', type: 'equity' },
  '3200': { name: 'Accumulated fund (surpluses and deficits of closed years)', type: 'equity' },
  '4100': { name: 'Assessed contributions', type: 'income' },
  '4200': { name: 'Voluntary contributions', type: 'income' },
  '4300': { name: 'Other income', type: 'income' },
  '5100': { name: 'ISU expenditure', type: 'expense' },
};

export interface PostingDraft {
  account: AccountCode;
  /** Debit positive, credit negative; never zero. */
  amountCentimes: Centimes;
  stateIso3?: string | null;
  budgetYear?: number | null;
  category?: string | null;
}

export interface JournalEntryDraft {
  entryDate: IsoDate;
  kind: string;
  description: string;
  refType?: string | null;
  refId?: string | null;
  reversesEntryId?: number | null;
  postings: PostingDraft[];
}

export class UnbalancedEntryError extends Error {}

/** Throws unless the entry has at least two non-zero postings summing to zero. */
export function assertBalanced(entry: JournalEntryDraft): void {
  if (entry.postings.length < 2) throw new UnbalancedEntryError(`journal entry "${entry.kind}" needs at least two postings`);
  let sum = 0n;
  for (const p of entry.postings) {
    if (p.amountCentimes === 0n) throw new UnbalancedEntryError(`journal entry "${entry.kind}" has a zero posting`);
    sum += p.amountCentimes;
  }
  if (sum !== 0n) throw new UnbalancedEntryError(`journal entry "${entry.kind}" does not balance: off by ${formatMoney(sum)}`);
}

/** The reversing entry of `entry` (a correction never edits; it reverses). */
export function reversalOf(entry: JournalEntryDraft & { id: number }, entryDate: IsoDate, description: string): JournalEntryDraft {
  return {
    entryDate,
    kind: `${entry.kind}.reversal`,
    description,
    refType: entry.refType ?? null,
    refId: entry.refId ?? null,
    reversesEntryId: entry.id,
    postings: entry.postings.map((p) => ({ ...p, amountCentimes: -p.amountCentimes })),
  };
}
