/** Shapes of the reserve position and the cash-flow outlook (SPEC 2.6, 2.7), shared by the API, the CLI and the web pages. */
export interface ReserveOut {
  asOf: string;
  target: string;
  targetDecisionRef: string | null;
  balance: string;
  shortfallToTarget: string;
  operatingCash: string;
  outstandingDrawdowns: { id: number; date: string; amount: string; reason: string; restored: string; outstanding: string; daysOutstanding: number }[];
  totalOutstanding: string;
  /** A restoration the ISU can afford now (operating cash above next month's planned spending), if any drawdown is outstanding. */
  proposedRestoration: string | null;
}

export interface CashflowMonth {
  month: string; // "2018-03"
  /** 'actual' for months before the as-of month, 'projected' from it on. */
  basis: 'actual' | 'projected';
  openingCash: string;
  receipts: string;
  plannedSpending: string;
  actualSpending: string;
  /** Drawdowns minus restorations in the month (actual months only). */
  reserveMovements: string;
  closingCash: string;
}

export interface CashflowOut {
  year: number;
  asOf: string;
  budget: string;
  months: CashflowMonth[];
  /** First month whose closing operating cash is below zero, and the drawdown that would cover it. */
  firstShortfall: { month: string; shortfall: string; drawdownNeeded: string } | null;
  /** When cash exceeds the next month's planned spending and drawdowns are outstanding. */
  proposedRestoration: { month: string; amount: string } | null;
}
