/**
 * A State's account, derived from the ledger alone (SPEC 2.5, 2.8): balance
 * as of any date, arrears by budget year, statement of account for a period.
 * Every figure is a sum of postings dated up to the date asked, so asking for
 * a past date is the same as replaying the events up to it.
 */
import type Database from 'better-sqlite3';
import { cachedStatement, readSnapshot } from '../db/client.js';
import { commitCache } from '../db/commit-cache.js';
import { todayUtc } from '../domain/dates.js';
import { formatMoney, type Centimes } from '../domain/money.js';
import type { StatementDocument } from '../pdf/types.js';
import type { Ctx } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { nameIn } from './states.js';
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
      continue;
    }
    f.outstanding += g.pos + g.neg;
    if (g.year !== null) f.byYear.set(g.year, (f.byYear.get(g.year) ?? 0n) + g.pos + g.neg);
    if (g.kind === 'invoice') f.invoiced += g.pos;
    else if (g.kind === 'credit-note') {
      f.credited -= g.neg;
      f.paid -= g.pos; // what was applied, released back to credit
    } else if (g.kind === 'payment' || g.kind === 'credit-application') {
      f.paid -= g.neg + g.pos;
      if (g.kind === 'payment') f.received -= g.neg;
    }
  }
  if (f.invoiced - f.credited - f.paid !== f.outstanding) throw new Error(`internal: the balance of ${iso3} does not add up`);
  return f;
}

export function arrearsOf(byYear: Map<number, Centimes>, cutoffs: Map<number, string>, asOf: string): { year: number; amountCentimes: Centimes }[] {
  return [...byYear]
    .filter(([year, amount]) => amount > 0n && (cutoffs.get(year) ?? '9999-12-31') < asOf)
    .sort(([a], [b]) => a - b)
    .map(([year, amountCentimes]) => ({ year, amountCentimes }));
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
    arrears: arrearsOf(f.byYear, cutoffDates(ctx.sqlite), asOf).map((a) => ({ year: a.year, amount: formatMoney(a.amountCentimes) })),
  };
}

const KINDS: Record<string, StatementDocument['lines'][number]['kind']> = {
  invoice: 'invoice',
  'credit-note': 'credit-note',
  payment: 'payment',
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
              MAX(p.budget_year) AS year, SUM(p.amount_centimes) AS net,
              (SELECT COALESCE(pay.bank_reference, pay.reference, 'payment ' || pay.id) FROM payments pay WHERE j.kind = 'payment' AND pay.journal_entry_id = j.id) AS payRef
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.state_iso3 = ? AND p.account_code IN ('1100', '2100') AND j.entry_date BETWEEN ? AND ?
        GROUP BY j.id ORDER BY j.entry_date, j.id`,
    )
    .safeIntegers(true)
    .all(iso3, from, to) as { id: bigint; date: string; kind: string; refType: string | null; refId: string | null; year: bigint | null; net: bigint; payRef: string | null }[];
  let running = opening;
  const lines: StatementDocument['lines'] = entries.map((e) => {
    running += e.net;
    return {
      date: e.date,
      kind: KINDS[e.kind] ?? 'payment',
      reference: e.kind === 'payment' ? (e.payRef ?? `payment ${e.refId}`) : e.kind === 'reclassification' ? 'credit' : (e.refId ?? ''),
      budgetYear: e.year === null ? null : Number(e.year),
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
    state: { iso3, name: nameIn(state, state.language), addressLines: state.billingAddressLines, emails: state.billingEmails },
    openingBalance: formatMoney(opening),
    lines,
    closingBalance: formatMoney(closing),
    unappliedCredit: formatMoney(endFigures.unapplied),
    arrears: arrearsOf(endFigures.byYear, cutoffDates(ctx.sqlite), to).map((a) => ({ year: a.year, amount: formatMoney(a.amountCentimes) })),
  };
}
