/**
 * A State's account, derived from the ledger alone (SPEC 2.5, 2.8): balance
 * as of any date, arrears by budget year, statement of account for a period.
 * Every figure is a sum of postings dated up to the date asked, so asking for
 * a past date is the same as replaying the events up to it.
 */
import type Database from 'better-sqlite3';
import { cachedStatement, readSnapshot } from '../db/client.js';
import { commitCache } from '../db/commit-cache.js';
import { compareText } from '../domain/compare.js';
import { todayUtc } from '../domain/dates.js';
import { formatMoney, sumCentimes, type Centimes } from '../domain/money.js';
import type { StatementDocument } from '../pdf/types.js';
import type { Ctx } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { partyBlock } from './party.js';
import { findState } from './states.js';

export interface BalanceOut {
  iso3: string;
  asOf: string;
  invoiced: string;
  credited: string;
  paid: string;
  outstanding: string;
  unappliedCredit: string;
  received: string;
  arrears: { year: number; amount: string }[];
}

interface Group {
  kind: string;
  account: string;
  year: number | null;
  pos: bigint;
  neg: bigint;
}

function groups(sqlite: Database.Database, iso3: string, asOf: string): Group[] {
  return (
    cachedStatement(
      sqlite,
      `SELECT j.kind AS kind, p.account_code AS account, p.budget_year AS year,
                SUM(CASE WHEN p.amount_centimes > 0 THEN p.amount_centimes ELSE 0 END) AS pos,
                SUM(CASE WHEN p.amount_centimes < 0 THEN p.amount_centimes ELSE 0 END) AS neg
           FROM postings p JOIN journal_entries j ON j.id = p.entry_id
          WHERE p.state_iso3 = ? AND j.entry_date <= ? AND p.account_code IN ('1100', '2100')
          GROUP BY j.kind, p.account_code, p.budget_year`,
      { bigints: true },
    ).all(iso3, asOf) as { kind: string; account: string; year: bigint | null; pos: bigint; neg: bigint }[]
  ).map((g) => ({ ...g, year: g.year === null ? null : Number(g.year) }));
}

/** Cut-off dates of all budgets, by year. */
export function cutoffDates(sqlite: Database.Database): Map<number, string> {
  const rows = cachedStatement(sqlite, 'SELECT year, cutoff_date AS cutoff FROM budgets').all() as { year: number; cutoff: string }[];
  return new Map(rows.map((r) => [r.year, r.cutoff]));
}

export interface BalanceFigures {
  invoiced: Centimes;
  credited: Centimes;
  paid: Centimes;
  outstanding: Centimes;
  unapplied: Centimes;
  received: Centimes;
  byYear: Map<number, Centimes>;
}

export function balanceFigures(sqlite: Database.Database, iso3: string, asOf: string): BalanceFigures {
  const f: BalanceFigures = { invoiced: 0n, credited: 0n, paid: 0n, outstanding: 0n, unapplied: 0n, received: 0n, byYear: new Map() };
  for (const g of groups(sqlite, iso3, asOf)) {
    if (g.account === '2100') {
      f.unapplied -= g.pos + g.neg;
      if (g.kind === 'payment') f.received -= g.neg;
      if (g.kind === 'payment.reversal') f.received -= g.pos; // what a reversed payment had left as credit
      continue;
    }
    f.outstanding += g.pos + g.neg;
    if (g.year !== null) f.byYear.set(g.year, (f.byYear.get(g.year) ?? 0n) + g.pos + g.neg);
    if (g.kind === 'invoice') f.invoiced += g.pos;
    else if (g.kind === 'credit-note') {
      f.credited -= g.neg;
      f.paid -= g.pos; // what was applied, released back to credit
    } else if (g.kind === 'payment' || g.kind === 'credit-application' || g.kind === 'payment.reversal') {
      f.paid -= g.neg + g.pos;
      if (g.kind === 'payment') f.received -= g.neg;
      if (g.kind === 'payment.reversal') f.received -= g.pos; // what a reversed payment had paid, taken back
    }
  }
  if (f.invoiced - f.credited - f.paid !== f.outstanding) throw new Error(`internal: the balance of ${iso3} does not add up`);
  return f;
}

/**
 * What a State owes for each year whose cut-off date has passed, less what
 * is not due yet (`notDue`: invoices issued after the cut-off with a later
 * deadline of their own, e.g. supplementary invoices). Money is applied
 * oldest first, so those latest invoices are the last paid: what is owed up
 * to their amount is theirs.
 */
export function arrearsOf(
  byYear: Map<number, Centimes>,
  cutoffs: Map<number, string>,
  asOf: string,
  notDue: ReadonlyMap<number, Centimes> = new Map(),
): { year: number; amountCentimes: Centimes }[] {
  return [...byYear]
    .map(([year, amount]) => [year, amount - (notDue.get(year) ?? 0n)] as const)
    .filter(([year, amount]) => amount > 0n && (cutoffs.get(year) ?? '9999-12-31') < asOf)
    .sort(([a], [b]) => a - b)
    .map(([year, amountCentimes]) => ({ year, amountCentimes }));
}

/**
 * By year, what the State's invoices not yet due on `asOf` come to (what is
 * left of them after credit notes issued by then): invoices issued by `asOf`
 * whose own cut-off date is on or after it.
 */
export function notYetDue(sqlite: Database.Database, iso3: string, asOf: string): Map<number, Centimes> {
  const rows = cachedStatement(
    sqlite,
    `SELECT i.year AS year,
            SUM(i.total_centimes - COALESCE((SELECT SUM(l.amount_centimes) FROM credit_note_lines l JOIN credit_notes c ON c.number = l.credit_note_number
                                              WHERE c.invoice_number = i.number AND c.kind = 'partial' AND c.issue_date <= ?), 0)) AS amount
       FROM invoices i
      WHERE i.state_iso3 = ? AND i.issue_date <= ? AND i.cutoff_date >= ?
        AND NOT EXISTS (SELECT 1 FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'cancellation' AND c.issue_date <= ?)
      GROUP BY i.year`,
    { bigints: true },
  ).all(asOf, iso3, asOf, asOf, asOf) as { year: bigint; amount: bigint }[];
  return new Map(rows.map((r) => [Number(r.year), r.amount]));
}

/** A State's arrears on `asOf` from its outstanding by year (see arrearsOf). */
export function arrearsOn(sqlite: Database.Database, iso3: string, byYear: Map<number, Centimes>, asOf: string): { year: number; amountCentimes: Centimes }[] {
  return arrearsOf(byYear, cutoffDates(sqlite), asOf, notYetDue(sqlite, iso3, asOf));
}

function requireState(ctx: Ctx, iso3: string) {
  const state = findState(ctx.db, iso3);
  if (!state) throw new NotFoundError(`State ${iso3}`);
  return state;
}

/**
 * A State's balance as of a date (default today). Served from the commit
 * cache (src/db/commit-cache.ts): the answer is recomputed from the ledger
 * after any commit to the database, by this process or another. The object
 * is shared between callers and frozen.
 */
export function getBalance(ctx: Ctx, iso3: string, asOf = todayUtc()): Readonly<BalanceOut> {
  return commitCache<Readonly<BalanceOut>>(ctx.sqlite, 'balance').get(`${iso3}\u0000${asOf}`, () => deepFreeze(computeBalance(ctx, iso3, asOf)));
}

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

/** The balance computed from the ledger now, without the cache. */
export function computeBalance(ctx: Ctx, iso3: string, asOf: string): BalanceOut {
  return readSnapshot(ctx.sqlite, () => balanceOf(ctx, iso3, asOf));
}

function balanceOf(ctx: Ctx, iso3: string, asOf: string): BalanceOut {
  if (!cachedStatement(ctx.sqlite, 'SELECT 1 FROM states WHERE iso3 = ?').get(iso3)) throw new NotFoundError(`State ${iso3}`);
  const f = balanceFigures(ctx.sqlite, iso3, asOf);
  return {
    iso3,
    asOf,
    invoiced: formatMoney(f.invoiced),
    credited: formatMoney(f.credited),
    paid: formatMoney(f.paid),
    outstanding: formatMoney(f.outstanding),
    unappliedCredit: formatMoney(f.unapplied),
    received: formatMoney(f.received),
    arrears: arrearsOn(ctx.sqlite, iso3, f.byYear, asOf).map((a) => ({ year: a.year, amount: formatMoney(a.amountCentimes) })),
  };
}

const KINDS: Record<string, StatementDocument['lines'][number]['kind']> = {
  invoice: 'invoice',
  'credit-note': 'credit-note',
  payment: 'payment',
  'payment.reversal': 'payment-reversal',
  'credit-application': 'credit-application',
  reclassification: 'reclassification',
};

export type StatementOut = StatementDocument & { iso3: string };

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Statement of account: what the State owes (receivable less unapplied
 * credit) at the start, every event in between, and at the end.
 */
export function getStatement(ctx: Ctx, iso3: string, from: string, to: string): StatementOut {
  const state = requireState(ctx, iso3);
  if (to < from) throw new ValidationError([{ field: 'to', message: `must not be before from (${from})` }]);
  const net = (asOf: string) => {
    const f = balanceFigures(ctx.sqlite, iso3, asOf);
    return f.outstanding - f.unapplied;
  };
  const opening = net(dayBefore(from));
  const entries = ctx.sqlite
    .prepare(
      `SELECT j.id AS id, j.entry_date AS date, j.kind AS kind, j.ref_type AS refType, j.ref_id AS refId,
              SUM(p.amount_centimes) AS net,
              GROUP_CONCAT(DISTINCT CASE WHEN p.account_code = '1100' THEN p.budget_year END) AS years
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.state_iso3 = ? AND p.account_code IN ('1100', '2100') AND j.entry_date BETWEEN ? AND ?
        GROUP BY j.id ORDER BY j.entry_date, j.id`,
    )
    .safeIntegers(true)
    .all(iso3, from, to) as { id: bigint; date: string; kind: string; refType: string | null; refId: string | null; net: bigint; years: string | null }[];
  const details = statementDetails(ctx, iso3, from, to);
  let running = opening;
  const lines: StatementDocument['lines'] = entries.map((e) => {
    running += e.net;
    const id = Number(e.id);
    const pay = details.payments.get(id) ?? (e.kind === 'payment.reversal' ? details.byPaymentId.get(Number(e.refId)) : undefined);
    const applied = details.applied.get(id) ?? [];
    const budgetYears = (e.years ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number)
      .sort((x, y) => x - y);
    const appliedTotal = sumCentimes(applied.map((x) => x.amountCentimes));
    return {
      date: e.date,
      kind: KINDS[e.kind] ?? 'payment',
      reference: pay ? (pay.bankReference ?? pay.reference ?? `payment ${pay.id}`) : e.kind === 'reclassification' ? 'credit' : (e.refId ?? ''),
      budgetYear: budgetYears[0] ?? null,
      budgetYears,
      dueDate: details.dueDates.get(id) ?? null,
      applied: applied.map((x) => ({ invoice: x.invoice, year: x.year, amount: formatMoney(x.amountCentimes) })),
      keptAsCredit: pay && e.kind === 'payment' && pay.amountCentimes > appliedTotal ? formatMoney(pay.amountCentimes - appliedTotal) : '',
      original: pay?.currency && pay.originalAmount && pay.currency !== 'CHF' ? { currency: pay.currency, amount: pay.originalAmount } : null,
      reclassifiedTo: details.reclassified.get(id) ?? null,
      debit: e.net > 0n ? formatMoney(e.net) : '',
      credit: e.net < 0n ? formatMoney(-e.net) : '',
      balance: formatMoney(running),
    };
  });
  const closing = net(to);
  if (closing !== running) throw new Error(`internal: the statement of ${iso3} does not reconcile`);
  const endFigures = balanceFigures(ctx.sqlite, iso3, to);
  return {
    iso3,
    language: state.language,
    generatedOn: todayUtc(),
    from,
    to,
    state: partyBlock(state, state.language),
    openingBalance: formatMoney(opening),
    lines,
    closingBalance: formatMoney(closing),
    unappliedCredit: formatMoney(endFigures.unapplied),
    arrears: arrearsOn(ctx.sqlite, iso3, endFigures.byYear, to).map((a) => ({ year: a.year, amount: formatMoney(a.amountCentimes) })),
    otherContributions: details.other,
  };
}

interface PaymentDetail {
  id: number;
  amountCentimes: Centimes;
  reference: string | null;
  bankReference: string | null;
  currency: string | null;
  originalAmount: string | null;
}

/**
 * What the lines of a statement say beyond their amount, keyed by journal
 * entry: the payment behind a payment line, what a payment or a credit
 * application paid (invoice and year), an invoice's due date, where
 * reclassified credit went; and the State's money of the period that is not
 * on its account (voluntary and reserve contributions).
 */
function statementDetails(ctx: Ctx, iso3: string, from: string, to: string) {
  const payRows = ctx.sqlite
    .prepare(
      `SELECT id, journal_entry_id AS entry, amount_centimes AS amount, reference, bank_reference AS bankReference, currency, original_amount AS originalAmount,
              purpose, received_on AS date,
              EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'payment' AND v.entity_id = payments.id AND v.date <= @to) AS reversed
         FROM payments WHERE state_iso3 = @iso3 AND (received_on BETWEEN @from AND @to
              OR id IN (SELECT entity_id FROM reversals WHERE entity_type = 'payment' AND date BETWEEN @from AND @to))
        ORDER BY received_on, id`,
    )
    .safeIntegers(true)
    .all({ iso3, from, to }) as {
    id: bigint;
    entry: bigint;
    amount: bigint;
    reference: string | null;
    bankReference: string | null;
    currency: string | null;
    originalAmount: string | null;
    purpose: 'assessed' | 'voluntary' | 'reserve';
    date: string;
    reversed: bigint;
  }[];
  const payments = new Map<number, PaymentDetail>(
    payRows.map((p) => [
      Number(p.entry),
      { id: Number(p.id), amountCentimes: p.amount, reference: p.reference, bankReference: p.bankReference, currency: p.currency, originalAmount: p.originalAmount },
    ]),
  );
  const appRows = ctx.sqlite
    .prepare(
      `SELECT a.journal_entry_id AS entry, a.invoice_number AS invoice, i.year AS year, SUM(a.amount_centimes) AS amount
         FROM applications a JOIN invoices i ON i.number = a.invoice_number
        WHERE a.state_iso3 = ? AND a.applied_on BETWEEN ? AND ? AND a.amount_centimes > 0
        GROUP BY a.journal_entry_id, a.invoice_number ORDER BY a.journal_entry_id, i.year, a.invoice_number`,
    )
    .safeIntegers(true)
    .all(iso3, from, to) as { entry: bigint; invoice: string; year: bigint; amount: bigint }[];
  const applied = new Map<number, { invoice: string; year: number; amountCentimes: Centimes }[]>();
  for (const r of appRows) {
    const list = applied.get(Number(r.entry)) ?? applied.set(Number(r.entry), []).get(Number(r.entry))!;
    list.push({ invoice: r.invoice, year: Number(r.year), amountCentimes: r.amount });
  }
  const dueDates = new Map(
    (
      ctx.sqlite
        .prepare('SELECT journal_entry_id AS entry, cutoff_date AS due FROM invoices WHERE state_iso3 = ? AND issue_date BETWEEN ? AND ?')
        .all(iso3, from, to) as { entry: number; due: string }[]
    ).map((r) => [r.entry, r.due]),
  );
  const reclassified = new Map(
    (
      ctx.sqlite
        .prepare('SELECT journal_entry_id AS entry, "to" AS dest FROM credit_reclassifications WHERE state_iso3 = ? AND date BETWEEN ? AND ?')
        .all(iso3, from, to) as { entry: number; dest: 'voluntary' | 'reserve' }[]
    ).map((r) => [r.entry, r.dest]),
  );
  const byPaymentId = new Map(
    payRows.map((p) => [
      Number(p.id),
      { id: Number(p.id), amountCentimes: p.amount, reference: p.reference, bankReference: p.bankReference, currency: p.currency, originalAmount: p.originalAmount },
    ]),
  );
  // Money beyond assessments: payments for the core budget or the reserve (not reversed), and contributions recorded on the reserve.
  const reserveContributions = ctx.sqlite
    .prepare(
      `SELECT m.id, m.date, m.amount_centimes AS amount, m.description FROM reserve_movements m
        WHERE m.kind = 'contribution' AND m.state_iso3 = ? AND m.date BETWEEN ? AND ?
          AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'reserve-movement' AND v.entity_id = m.id AND v.date <= ?)`,
    )
    .safeIntegers(true)
    .all(iso3, from, to, to) as { id: bigint; date: string; amount: bigint; description: string }[];
  const other: StatementDocument['otherContributions'] = [
    ...payRows
      .filter((p) => p.purpose !== 'assessed' && p.reversed === 0n && p.date >= from)
      .map((p) => ({
        date: p.date,
        purpose: p.purpose as 'voluntary' | 'reserve',
        reference: p.bankReference ?? p.reference ?? `payment ${p.id}`,
        amount: formatMoney(p.amount),
        original: p.currency && p.originalAmount && p.currency !== 'CHF' ? { currency: p.currency, amount: p.originalAmount } : null,
      })),
    ...reserveContributions.map((m) => ({ date: m.date, purpose: 'reserve' as const, reference: m.description, amount: formatMoney(m.amount), original: null })),
  ].sort((x, y) => compareText(x.date, y.date));
  return { payments, byPaymentId, applied, dueDates, reclassified, other };
}
