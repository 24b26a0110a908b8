/**
 * The status of contributions (SPEC 9.1): one reconciling definition of what
 * each State owed, was credited, paid and still owes for budget year Y as of
 * date D, and of the money it sent in excess of its assessments. Pure; the
 * service feeds it the ledger's receivable postings and the State's money
 * events, in integer centimes.
 *
 * The period of the report runs from S = Y-01-01 (or D when D is earlier) to
 * D. "At the start" means the ledger as it stood before S: through Y-1-12-31,
 * or through D itself when the report is asked for before the year begins.
 */
import type { IsoDate } from './dates.js';
import { compareText } from './compare.js';
import { minCentimes, sumCentimes, type Centimes } from './money.js';

/** What a receivable posting does to the figures of its budget year. */
export type ReceivableKind = 'invoiced' | 'credited' | 'collected';

/**
 * Classifies a posting to contributions receivable (account 1100) by the
 * kind of its journal entry: an invoice adds to what was invoiced; the credit
 * side of a credit note is credited; everything else is money applied or
 * released (a credit note's debit side gives back what had been applied to
 * the invoice; a reversal takes back what its payment applied).
 * Returns the figure and the amount to add to it (positive = more).
 */
export function classifyReceivable(entryKind: string, amountCentimes: Centimes): { kind: ReceivableKind; amountCentimes: Centimes } {
  if (entryKind === 'invoice') return { kind: 'invoiced', amountCentimes };
  if (entryKind === 'credit-note' && amountCentimes < 0n) return { kind: 'credited', amountCentimes: -amountCentimes };
  return { kind: 'collected', amountCentimes: -amountCentimes };
}

/** A posting to the State's receivable, already classified. */
export interface ReceivableMovement {
  budgetYear: number;
  date: IsoDate;
  kind: ReceivableKind;
  amountCentimes: Centimes;
}

export type ContributionStatus = 'paid' | 'partial' | 'unpaid' | 'credited' | 'not-assessed';

export interface StatusFigures {
  /** Unpaid on invoices of years before Y at the start (plus earlier years' invoices issued since, e.g. supplementary ones). */
  priorAtStart: Centimes;
  /** Applied to invoices of earlier years during the period. */
  priorCollected: Centimes;
  /** Credit notes on invoices of earlier years during the period. */
  priorCredited: Centimes;
  priorOutstanding: Centimes;
  /** Invoiced for Y by D (the batch, supplementary and late invoices). */
  assessed: Centimes;
  /** Credit notes on invoices of Y by D. */
  credited: Centimes;
  /** Applied to invoices of Y by D, whenever the money was received. */
  collected: Centimes;
  outstanding: Centimes;
  /** Money with a value date in calendar Y up to D, whatever it paid. */
  received: Centimes;
  /** The part of `received` not applied to any invoice by D. */
  inExcess: Centimes;
  unappliedCredit: Centimes;
  status: ContributionStatus;
}

/** The last day before the report's period: Y-1-12-31, or D when D is earlier. */
export function openingDate(year: number, asOf: IsoDate): IsoDate {
  const endOfPreviousYear = `${String(year - 1).padStart(4, '0')}-12-31`;
  return [asOf, endOfPreviousYear].sort(compareText)[0]!;
}

/**
 * Paid in full when nothing is left of a net assessment; in part when some
 * of it was collected; nothing otherwise. `credited` when the whole
 * assessment was credited (a cancelled invoice); `not-assessed` when no
 * invoice of the year exists (the row is there for arrears or money).
 */
export function contributionStatus(f: { assessed: Centimes; credited: Centimes; collected: Centimes; outstanding: Centimes }): ContributionStatus {
  if (f.assessed === 0n) return 'not-assessed';
  if (f.assessed === f.credited) return 'credited';
  if (f.outstanding <= 0n) return 'paid';
  return f.collected > 0n ? 'partial' : 'unpaid';
}

/**
 * One State's row for budget year `year` as of `asOf`, from its receivable
 * movements (any dates; those after `asOf` are ignored) and the money
 * figures of the year. Asserts the SPEC 9.1 reconciliation.
 */
export function statusFigures(input: {
  year: number;
  asOf: IsoDate;
  movements: readonly ReceivableMovement[];
  receivedCentimes: Centimes;
  inExcessCentimes: Centimes;
  unappliedCreditCentimes: Centimes;
}): StatusFigures {
  const start = openingDate(input.year, input.asOf);
  let priorAtStart = 0n;
  let priorCollected = 0n;
  let priorCredited = 0n;
  let assessed = 0n;
  let credited = 0n;
  let collected = 0n;
  for (const m of input.movements) {
    if (m.date > input.asOf || m.budgetYear > input.year) continue;
    if (m.budgetYear === input.year) {
      if (m.kind === 'invoiced') assessed += m.amountCentimes;
      else if (m.kind === 'credited') credited += m.amountCentimes;
      else collected += m.amountCentimes;
      continue;
    }
    const signed = m.kind === 'invoiced' ? m.amountCentimes : -m.amountCentimes;
    if (m.date <= start || m.kind === 'invoiced') priorAtStart += signed;
    else if (m.kind === 'credited') priorCredited += m.amountCentimes;
    else priorCollected += m.amountCentimes;
  }
  // The row reconciles by construction: unpaid at start + assessed = collected + credited + outstanding, earlier years and the year together.
  const priorOutstanding = priorAtStart - priorCollected - priorCredited;
  const outstanding = assessed - credited - collected;
  if (input.inExcessCentimes < 0n || input.inExcessCentimes > input.receivedCentimes)
    throw new Error('internal: money in excess must lie between zero and the money received');
  return {
    priorAtStart,
    priorCollected,
    priorCredited,
    priorOutstanding,
    assessed,
    credited,
    collected,
    outstanding,
    received: input.receivedCentimes,
    inExcess: input.inExcessCentimes,
    unappliedCredit: input.unappliedCreditCentimes,
    status: contributionStatus({ assessed, credited, collected, outstanding }),
  };
}

/**
 * A State's money events, in the order they happened (date, then the
 * ledger's order). `line` names an invoice line ("ISU-2018-0035|7(a)").
 */
export type MoneyEvent =
  /**
   * Money received; `applicable` when it is assessed money (voluntary and
   * reserve money never pays an invoice). `settledCentimes`: the part applied
   * to invoices as it arrived on lines that are never given back — summed up
   * front instead of one `applied` event per line (the rest of what it
   * applied comes as `applied` events with its `paymentId`).
   */
  | { type: 'received'; date: IsoDate; paymentId: number; amountCentimes: Centimes; applicable: boolean; settledCentimes: Centimes }
  /** Money applied to an invoice line: from the payment as it arrived (`paymentId`), or from credit held (null: oldest credit first). */
  | { type: 'applied'; date: IsoDate; paymentId: number | null; line: string; amountCentimes: Centimes }
  /** Money applied to an invoice line given back to credit (a credit note, a reversal): the latest applied first. */
  | { type: 'released'; date: IsoDate; line: string; amountCentimes: Centimes }
  /** Credit turned into a voluntary or reserve contribution: the oldest credit first; it stays money in excess of its year. */
  | { type: 'reclassified'; date: IsoDate; amountCentimes: Centimes }
  /**
   * A payment reversed (SPEC 9.3): it was never this State's money. Its money
   * leaves every line and the credit; the lines in `reopened` are open again
   * (the ledger took those amounts back); any other line its money had paid
   * stays paid, now by the State's other credit, oldest first.
   */
  | { type: 'reversed'; date: IsoDate; paymentId: number; receivedOn: IsoDate; amountCentimes: Centimes; reopened: { line: string; amountCentimes: Centimes }[] };

export interface ReceiptYearFigures {
  receivedCentimes: Centimes;
  /** Of the money received in the year, what is applied to invoices. */
  appliedCentimes: Centimes;
}

interface Chunk {
  date: IsoDate;
  paymentId: number;
  amountCentimes: Centimes;
}

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));

/** Oldest money first, by the date it was received (a stable sort keeps the rest in the order it came: which of two payments of one day goes first changes no year's figures). */
function chunkOrder(a: Chunk, b: Chunk): number {
  return compareText(a.date, b.date);
}

/**
 * Each franc is counted in the calendar year it was received, once: replays
 * the events up to `asOf` and attributes every application of money to the
 * payment it came from (credit is used oldest first), so that for each
 * receipt year the money received and the part of it applied to invoices are
 * known. What is received and not applied is that year's money in excess of
 * assessments; the sum over all years is the money ever received and not
 * applied.
 */
export function receiptYearFigures(events: readonly MoneyEvent[], asOf: IsoDate): Map<number, ReceiptYearFigures> {
  const years = new Map<number, ReceiptYearFigures>();
  const of = (date: IsoDate) => years.get(yearOf(date)) ?? years.set(yearOf(date), { receivedCentimes: 0n, appliedCentimes: 0n }).get(yearOf(date))!;
  /** Unapplied money, oldest first. */
  let pool: Chunk[] = [];
  /** What sits on each invoice line, in the order it was applied. */
  const onLine = new Map<string, Chunk[]>();

  const addToPool = (c: Chunk) => {
    pool = [...pool, { ...c }].sort(chunkOrder);
  };
  /** Takes `amount` from the pool, oldest first (only money of `paymentId` when given): the chunks taken, some possibly of zero. */
  const takeFromPool = (amount: Centimes, paymentId: number | null): Chunk[] => {
    const taken: Chunk[] = [];
    let left = amount;
    for (const c of pool) {
      if (paymentId !== null && c.paymentId !== paymentId) continue;
      const take = minCentimes(c.amountCentimes, left);
      c.amountCentimes -= take;
      left -= take;
      taken.push({ date: c.date, paymentId: c.paymentId, amountCentimes: take });
    }
    if (left !== 0n) throw new Error(`internal: ${paymentId === null ? 'credit' : `payment ${paymentId}`} applied beyond the money available`);
    // Stryker disable next-line MethodExpression,ArrowFunction,ConditionalExpression,EqualityOperator: equivalent, an emptied chunk left in the pool (amount 0) changes no sum
    pool = pool.filter((c) => c.amountCentimes > 0n);
    return taken;
  };

  for (const e of events) {
    if (e.date > asOf) continue;
    if (e.amountCentimes <= 0n) throw new Error(`internal: a ${e.type} event must carry a positive amount`);
    switch (e.type) {
      case 'received':
        if (e.settledCentimes < 0n || e.settledCentimes > (e.applicable ? e.amountCentimes : 0n))
          throw new Error(`internal: payment ${e.paymentId} settled more than it brought, or money that pays no invoice settled one`);
        of(e.date).receivedCentimes += e.amountCentimes;
        of(e.date).appliedCentimes += e.settledCentimes;
        if (e.applicable) {
          const unsettled = e.amountCentimes - e.settledCentimes;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a chunk of zero in the pool changes no sum (leaving it out keeps the pool short)
          if (unsettled > 0n) addToPool({ date: e.date, paymentId: e.paymentId, amountCentimes: unsettled });
        }
        break;
      case 'applied': {
        const chunks = takeFromPool(e.amountCentimes, e.paymentId);
        const line = onLine.get(e.line) ?? onLine.set(e.line, []).get(e.line)!;
        for (const c of chunks) {
          of(c.date).appliedCentimes += c.amountCentimes;
          line.push(c);
        }
        break;
      }
      case 'released': {
        const line = onLine.get(e.line) ?? [];
        let left = e.amountCentimes;
        while (left > 0n) {
          const last = line.pop();
          if (!last) throw new Error(`internal: ${e.line} released more than was applied to it`);
          const give = minCentimes(last.amountCentimes, left);
          left -= give;
          of(last.date).appliedCentimes -= give;
          addToPool({ date: last.date, paymentId: last.paymentId, amountCentimes: give });
          // What the release did not need goes back on the line, still the latest applied.
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a chunk of zero put back gives nothing when released
          if (last.amountCentimes > give) line.push({ ...last, amountCentimes: last.amountCentimes - give });
        }
        break;
      }
      case 'reclassified':
        takeFromPool(e.amountCentimes, null);
        break;
      case 'reversed': {
        of(e.receivedOn).receivedCentimes -= e.amountCentimes;
        pool = pool.filter((c) => c.paymentId !== e.paymentId);
        const reopened = new Map(e.reopened.map((r) => [r.line, r.amountCentimes]));
        for (const [name, line] of onLine) {
          const mine = line.filter((c) => c.paymentId === e.paymentId);
          // Stryker disable next-line ConditionalExpression: equivalent, a line without the payment's money loses nothing and gets nothing back
          if (mine.length === 0) continue;
          const lost = sumCentimes(mine.map((c) => c.amountCentimes));
          onLine.set(name, line.filter((c) => c.paymentId !== e.paymentId));
          for (const c of mine) of(c.date).appliedCentimes -= c.amountCentimes;
          const refill = lost - (reopened.get(name) ?? 0n);
          if (refill < 0n) throw new Error(`internal: payment ${e.paymentId} reopened more of ${name} than it had paid`);
          for (const c of takeFromPool(refill, null)) {
            of(c.date).appliedCentimes += c.amountCentimes;
            onLine.get(name)!.push(c);
          }
        }
        break;
      }
    }
  }
  return years;
}
