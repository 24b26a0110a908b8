/**
 * What the PDF renderers need: everything printed comes from these plain
 * values (no database, no clock), so the same document gives the same bytes.
 * Money is a decimal string with 2 decimals ("12345.67"), dates ISO.
 */
import type { NumberConvention } from '../domain/addressee.js';

export type { NumberConvention };
export type Lang = 'en' | 'fr' | 'es';

/** Sender, bank and QR-bill creditor: configuration (settings table), not code. */
export interface IssuerSettings {
  /** e.g. "Implementation Support Unit — Convention on Cluster Munitions" */
  name: string;
  addressLines: string[];
  email: string;
  website?: string | undefined;
  bank: {
    accountHolder: string;
    bankName: string;
    bankAddressLines: string[];
    iban: string;
    bic: string;
  };
  /**
   * The sender's name and address lines for documents in French and Spanish
   * (the letterhead is in the document's language); `name` and `addressLines`
   * above are the English ones, used where a translation is missing.
   */
  translations?: Partial<Record<'fr' | 'es', { name: string; addressLines: string[] }>> | undefined;
  /** The creditor block of the Swiss QR-bill (structured address, SIX IG QR-bill). */
  qrCreditor: {
    name: string;
    address: string;
    buildingNumber?: string | undefined;
    zip: string;
    city: string;
    country: string;
  };
}

export interface PartyBlock {
  iso3: string;
  /** The State's short name in the document's language. */
  name: string;
  /**
   * The Mission's addressee in the document's language (SPEC 9.10), as
   * printed lines: ["Permanent Mission of the United Kingdom of Great Britain
   * and Northern Ireland", "to the United Nations Office and other
   * international organizations in Geneva"]. Absent when the register has no
   * formal name in that language, and on documents issued before it had.
   */
  addressee?: string[] | undefined;
  /**
   * Without `addressee`: the whole billing address as entered. With it: the
   * postal lines below the addressee, e.g. ["Case postale 123", "1211 Genève",
   * "Suisse"] (the country in the document's language).
   */
  addressLines: string[];
  emails: string[];
  /** How the State writes numbers (SPEC 9.10); absent: the document language's convention. */
  numberConvention?: NumberConvention | undefined;
  /** The QR-bill's debtor ("payable by"), in the swissqrbill shape; absent when the register has no structured address. */
  debtor?: { name: string; address: string; buildingNumber?: string | undefined; zip: string; city: string; country: string } | undefined;
}

export type LineBasis =
  | { method: 'equal'; statesCount: number }
  /** rate and rebasedRate are percent strings, e.g. "4.859" and "9.907712". */
  | { method: 'scale'; rate: string; rebasedRate: string }
  /** A supplementary invoice's line: the revised assessment less what was invoiced (money strings). */
  | { method: 'revision'; revised: string; invoiced: string };

export interface InvoiceLine {
  code: string; // "7(a)"
  label: string; // the scheme's label (as entered by finance)
  basis: LineBasis;
  amount: string;
}

export interface InvoiceDocument {
  number: string; // "ISU-2018-0001"
  issueDate: string;
  budgetYear: number;
  cutoffDate: string;
  decisionRef: string; // "CCM/MSP/2017/2"
  approvedOn: string;
  /**
   * The meeting that approved the budget, in the document's language and with
   * the article the sentence needs, e.g. "the Seventh Meeting of States Parties",
   * "la septième Assemblée des États parties", "la Séptima Reunión de los
   * Estados partes" — optional; without it the PDF says "the Meeting of States
   * Parties" (and its equivalents).
   */
  approvingMeeting?: string | undefined;
  language: Lang;
  state: PartyBlock;
  lines: InvoiceLine[];
  total: string;
  /** ISO 11649 creditor reference, e.g. "RF18ISU20180001" (printed in groups of four). */
  creditorReference: string;
  /**
   * Unapplied credit of the State applied to this invoice when it was issued
   * (SPEC 9.2); the QR-bill and the payable box carry `total` − `creditApplied`.
   * Absent on documents issued before credit was applied on issue.
   */
  creditApplied?: string | undefined;
  /** Earlier years in arrears at the issue date (after any credit applied), for information. */
  earlierOutstanding: { year: number; amount: string }[];
  /** A cancelled invoice is re-rendered with a CANCELLED mark and the credit note number. */
  cancelledBy?: string | undefined;
  /** An invoice issued again in place of one cancelled by mistake (SPEC 9.3). */
  reissueOf?: { invoice: string; creditNote: string } | undefined;
  /** A late invoice (SPEC 9.3): the State became assessed after the batch ran; printed with the dates that make it so. */
  late?: { entryIntoForce: string; membershipDate: string } | undefined;
  /** A supplementary invoice (SPEC 9.3): the budget revision it follows and the State's assessment before and after. */
  revision?: RevisionNote | undefined;
  /**
   * The sender, bank details and QR-bill creditor printed, as they were at
   * issue (SPEC 9.8): the document re-renders from them, whatever the
   * settings say later. Absent on documents issued before they were kept.
   */
  issuer?: IssuerSettings | undefined;
}

/** The budget revision a supplementary invoice or a partial credit note follows. */
export interface RevisionNote {
  version: number;
  decisionRef: string;
  approvedOn: string;
  /** The State's contribution as invoiced before the revision, and as revised. */
  previousTotal: string;
  revisedTotal: string;
  /** The invoice the supplementary invoice adds to. */
  originalInvoice: string;
}

export interface CreditNoteDocument {
  number: string; // "CN-2018-0001"
  issueDate: string;
  budgetYear: number;
  language: Lang;
  state: PartyBlock;
  invoiceNumber: string;
  invoiceIssueDate: string;
  reason: string;
  /** Amounts credited per category (positive strings). */
  lines: { code: string; label: string; amount: string }[];
  total: string;
  /** A partial credit note of a budget revision (SPEC 9.3). */
  revision?: RevisionNote | undefined;
  /** What is still to pay on the invoice after this credit note (issue 17); absent on credit notes issued before it was printed. */
  remainingPayable?: string | undefined;
  /** The sender and bank details printed, as at issue (SPEC 9.8); absent on credit notes issued before they were kept. */
  issuer?: IssuerSettings | undefined;
}

/** A State's statement of account for a period, in its language. Money strings with 2 decimals; may be negative. */
export interface StatementDocument {
  language: Lang;
  /** Date the statement was produced (printed; also the PDF CreationDate). */
  generatedOn: string;
  from: string;
  to: string;
  state: PartyBlock;
  /** Amount the State owed at the start of `from` (positive = owed, negative = in credit). */
  openingBalance: string;
  lines: {
    date: string;
    kind: 'invoice' | 'credit-note' | 'payment' | 'payment-reversal' | 'credit-application' | 'reclassification';
    /** Invoice/credit note number or payment reference. */
    reference: string;
    /** Budget year the line concerns, if any (the earliest when it concerns several). */
    budgetYear: number | null;
    /** Every budget year the line concerns, in order (a payment may pay several). */
    budgetYears: number[];
    /** An invoice's cut-off date: payable by. */
    dueDate: string | null;
    /** What a payment or a credit application paid: each invoice and year, and the part kept as credit. */
    applied: { invoice: string; year: number; amount: string }[];
    /** The part of a payment kept as unapplied credit ("" when none). */
    keptAsCredit: string;
    /** A payment's original currency and amount, when the bank converted it. */
    original: { currency: string; amount: string } | null;
    /** Where reclassified credit went. */
    reclassifiedTo: 'voluntary' | 'reserve' | null;
    /** Increases what the State owes (invoices, credit given away), else empty "". */
    debit: string;
    /** Decreases it (credit notes, payments), else "". */
    credit: string;
    /** Running balance after the line. */
    balance: string;
  }[];
  closingBalance: string;
  /** Unapplied credit held at the end of the period (positive). */
  unappliedCredit: string;
  /** Unpaid amounts of invoices whose cut-off date has passed, by budget year, at `to`. */
  arrears: { year: number; amount: string }[];
  /** Money the State sent in the period beyond its assessments and not on the account: voluntary contributions and contributions to the reserve. */
  otherContributions: { date: string; purpose: 'voluntary' | 'reserve'; reference: string; amount: string; original: { currency: string; amount: string } | null }[];
}

/** The status-of-contributions report (SPEC 9.1); every amount a money string. */
export interface StatusReportFigures {
  priorAtStart: string;
  priorCollected: string;
  priorCredited: string;
  priorOutstanding: string;
  assessed: string;
  credited: string;
  collected: string;
  outstanding: string;
  received: string;
  inExcess: string;
  unappliedCredit: string;
}

/** The figures of a status-of-contributions row, in the order the report prints them. */
export const STATUS_FIGURES = [
  'priorAtStart',
  'priorCollected',
  'priorCredited',
  'priorOutstanding',
  'assessed',
  'credited',
  'collected',
  'outstanding',
  'received',
  'inExcess',
  'unappliedCredit',
] as const satisfies readonly (keyof StatusReportFigures)[];

export interface StatusReportDocument {
  year: number;
  asOf: string;
  /** Language of the State names and their order. */
  language: Lang;
  generatedOn: string;
  budget: string;
  cutoffDate: string;
  rows: (StatusReportFigures & {
    iso3: string;
    name: string;
    status: 'paid' | 'partial' | 'unpaid' | 'credited' | 'not-assessed';
  })[];
  /** Money of donors that are not States, received in the year. */
  otherDonors: { donor: string; purpose: 'voluntary' | 'reserve'; amount: string }[];
  totals: StatusReportFigures;
  /** collected ÷ budget; (collected + inExcess) ÷ budget; percent, one decimal. */
  coverage: { collectedPercent: string; withExcessPercent: string };
  counts: {
    assessed: number;
    paid: number;
    partial: number;
    unpaid: number;
    credited: number;
    sharePaidPercent: string;
    sharePartialPercent: string;
    shareUnpaidPercent: string;
    shareContributingPercent: string;
  };
  /** States that paid their whole assessment for the year by the cut-off date. */
  honourRoll: { iso3: string; name: string }[];
  /** Late invoices of the year (States assessed after the batch): assessed beyond the budget, shown apart. */
  lateAssessments: { iso3: string; name: string; invoice: string; amount: string }[];
}

/** A figure of the year beside the previous year's (null: the previous year has no such figure, e.g. no budget). */
export interface Figure {
  current: string;
  previous: string | null;
}

/** The annual financial statement (SPEC 9.5), as GET /reports/financial-statement answers it; every amount a money string. */
export interface FinancialStatementDocument {
  year: number;
  previousYear: number;
  /** 31 December of the year: the date of the financial position. */
  asOf: string;
  /** Whether the year (and the previous year) is closed: its surplus is then in the accumulated fund. */
  closed: boolean;
  previousClosed: boolean;
  incomeAndExpenditure: {
    assessedContributions: Figure;
    /** The assessed contributions of the year by the budget year they were invoiced for. */
    assessedByBudgetYear: { budgetYear: number; current: string; previous: string }[];
    voluntaryContributions: Figure;
    otherIncome: Figure;
    totalIncome: Figure;
    /** By the budget line of each expenditure (line null: not coded to a line). */
    expenditureByLine: { line: string | null; label: string; current: string; previous: string }[];
    totalExpenditure: Figure;
    /** Income − expenditure (negative: a deficit). */
    surplus: Figure;
  };
  financialPosition: {
    operatingCash: Figure;
    reserveCash: Figure;
    receivables: Figure;
    receivablesByYear: { budgetYear: number; current: string; previous: string }[];
    totalAssets: Figure;
    unappliedCredit: Figure;
    totalLiabilities: Figure;
    reserveFund: Figure;
    accumulatedFund: Figure;
    /** Income less expenditure of years not closed by 31 December (the year's own surplus while it is not closed). */
    surplusNotClosed: Figure;
    totalNetAssets: Figure;
    totalLiabilitiesAndNetAssets: Figure;
  };
  /** The working capital reserve's cash (account 1010) in the year, and its fund (3100). */
  reserve: {
    opening: Figure;
    contributions: Figure;
    transfers: Figure;
    drawdowns: Figure;
    restorations: Figure;
    other: Figure;
    closing: Figure;
    fundOpening: Figure;
    fundClosing: Figure;
  };
  /** The status of contributions for the budget year, as of 31 December (SPEC 9.1); previous null when there was no budget. */
  contributions: {
    assessed: Figure;
    credited: Figure;
    collected: Figure;
    outstanding: Figure;
    priorOutstanding: Figure;
    received: Figure;
    unappliedCredit: Figure;
  } | null;
  notes: { ref: string; text: string }[];
}

/** One row of the budget execution (SPEC 9.5): money strings; percentSpent null when nothing is budgeted. */
export interface ExecutionFigures {
  approved: string;
  revised: string;
  spent: string;
  remaining: string;
  percentSpent: string | null;
}

/** The budget execution as GET /budgets/{year}/execution answers it. */
export interface ExecutionDocument {
  year: number;
  asOf: string;
  version: number;
  /** One row per line of the version in force; code null: the uncoded row. */
  lines: (ExecutionFigures & { code: string | null; label: string })[];
  totals: ExecutionFigures;
}

/**
 * A file a PDF/A-3 document carries (issue 17: the e-invoice XML of an invoice
 * or credit note): its bytes, name and media type, the relationship to the
 * document, and the XMP descriptions that declare it (Factur-X).
 */
export interface PdfAttachment {
  name: string;
  mediaType: string;
  data: string;
  description: string;
  /** PDF 2.0 AFRelationship: "Alternative" for a Factur-X EN 16931 invoice. */
  relationship: 'Alternative' | 'Data' | 'Source' | 'Supplement';
  /** `<rdf:Description>` blocks added to the document's XMP metadata. */
  xmp: string;
}
