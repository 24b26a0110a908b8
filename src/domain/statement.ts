/**
 * The annual financial statement's arithmetic (SPEC 9.5): the totals of the
 * statement of financial position and the check that they balance. Amounts
 * are centimes; assets are debit balances, liabilities and net assets are
 * shown as credit balances (positive).
 */
import type { Centimes } from './money.js';

export interface PositionLines {
  operatingCash: Centimes;
  reserveCash: Centimes;
  receivables: Centimes;
  unappliedCredit: Centimes;
  reserveFund: Centimes;
  accumulatedFund: Centimes;
  /** Income less expenditure of the years not yet closed. */
  surplusNotClosed: Centimes;
}

export interface PositionTotals {
  assets: Centimes;
  liabilities: Centimes;
  netAssets: Centimes;
  liabilitiesAndNetAssets: Centimes;
  /** Assets less liabilities and net assets: zero when the ledger's trial balance is. */
  difference: Centimes;
}

export function positionTotals(p: PositionLines): PositionTotals {
  const assets = p.operatingCash + p.reserveCash + p.receivables;
  const liabilities = p.unappliedCredit;
  const netAssets = p.reserveFund + p.accumulatedFund + p.surplusNotClosed;
  const liabilitiesAndNetAssets = liabilities + netAssets;
  return { assets, liabilities, netAssets, liabilitiesAndNetAssets, difference: assets - liabilitiesAndNetAssets };
}

export interface ReserveChanges {
  opening: Centimes;
  contributions: Centimes;
  transfers: Centimes;
  drawdowns: Centimes;
  restorations: Centimes;
  other: Centimes;
}

/** The reserve at the end of the year: opening + contributions + transfers − drawdowns + restorations + other. */
export function reserveClosing(r: ReserveChanges): Centimes {
  return r.opening + r.contributions + r.transfers - r.drawdowns + r.restorations + r.other;
}

/** Which line of the changes in the reserve a journal entry's kind moves (a reversal: the line of what it reverses). */
export function reserveLineOf(kind: string): 'contributions' | 'transfers' | 'drawdowns' | 'restorations' | 'other' {
  const base = kind.endsWith('.reversal') ? kind.slice(0, -'.reversal'.length) : kind;
  if (base === 'payment' || base === 'reserve-contribution' || base === 'reclassification') return 'contributions';
  if (base === 'reserve-transfer') return 'transfers';
  if (base === 'reserve-drawdown') return 'drawdowns';
  if (base === 'reserve-restoration') return 'restorations';
  return 'other';
}
