/**
 * The status-of-contributions report (SPEC 9.1): per State, what was unpaid
 * on earlier years at the start of the year and what became of it, what was
 * assessed, credited, collected and is outstanding for the year, the money
 * received in the year and the part of it in excess of assessments; totals,
 * coverage, who paid in full, in part, nothing; the honour roll of those who
 * paid in full by the cut-off date. From the ledger, as of any date, in a
 * handful of grouped queries (no query per State); the arithmetic is
 * src/domain/contributions.ts.
 */
import {
  classifyReceivable,
  openingDate,
  receiptYearFigures,
  statusFigures,
  type MoneyEvent,
  type ReceivableMovement,
  type StatusFigures,
} from '../domain/contributions.js';
import { compareText } from '../domain/compare.js';
import { todayUtc } from '../domain/dates.js';
import { formatMoney, percentOneDecimal, sumCentimes, type Centimes } from '../domain/money.js';
import { readSnapshot } from '../db/client.js';
import { states as statesTable } from '../db/schema.js';
import { STATUS_LABEL } from '../pdf/status-report.js';
import { STATUS_FIGURES, type StatusReportDocument } from '../pdf/types.js';
import { findBudget } from './budgets.js';
import type { Ctx } from './context.js';
import { toCsv } from './csv.js';
import { NotFoundError } from './errors.js';
import { nameIn } from './states.js';

type Lang = 'en' | 'fr' | 'es';

/**
 * The receivable postings of every State for budget years up to `year`,
 * dated up to the latest of `boundaries`, classified (SPEC 9.1). Postings are
 * summed between consecutive boundaries (the dates the report compares
 * with: each as-of date and the start of its period), each sum dated by its
 * latest posting: the same figures as posting by posting, in far fewer rows.
 */
function receivableMovements(ctx: Ctx, year: number, boundaries: string[]): Map<string, ReceivableMovement[]> {
  const bounds = [...new Set(boundaries)].sort(compareText);
  const bucket = `CASE ${bounds.map((_, i) => `WHEN j.entry_date <= @b${i} THEN ${i}`).join(' ')} END`;
  const rows = ctx.sqlite
    .prepare(
      `SELECT p.state_iso3, j.kind, MAX(j.entry_date), p.budget_year, SUM(p.amount_centimes)
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '1100' AND p.state_iso3 IS NOT NULL AND p.budget_year <= @year AND j.entry_date <= @last
        GROUP BY p.state_iso3, j.kind, ${bucket}, p.budget_year, p.amount_centimes < 0`,
    )
    .raw(true)
    .safeIntegers(true)
    .all({ year, last: bounds.at(-1)!, ...Object.fromEntries(bounds.map((b, i) => [`b${i}`, b])) }) as [string, string, string, bigint, bigint][];
  const out = new Map<string, ReceivableMovement[]>();
  for (const [iso3, kind, date, budgetYear, amount] of rows) {
    if (amount === 0n) continue;
    const c = classifyReceivable(kind, amount);
    (out.get(iso3) ?? out.set(iso3, []).get(iso3)!).push({ budgetYear: Number(budgetYear), date, kind: c.kind, amountCentimes: c.amountCentimes });
  }
  return out;
}

/**
 * Every State's money events up to `asOf`, in ledger order (date, then
 * journal entry; a payment before what it applied): what the receipt-year
 * attribution of SPEC 9.1 replays. Three plain queries, ordered per State in
 * memory (an ordered UNION costs several times more at scale).
 */
export function moneyEvents(ctx: Ctx, asOf: string): Map<string, MoneyEvent[]> {
  type Keyed = { date: string; entry: bigint; rank: number; id: bigint; event: MoneyEvent };
  const byState = new Map<string, Keyed[]>();
  const push = (iso3: string, k: Keyed) => (byState.get(iso3) ?? byState.set(iso3, []).get(iso3)!).push(k);
  // What a payment applied as it arrived, on invoice lines never given back (by D), is summed per payment
  // (`settled`); only the other applications are read one by one: far fewer rows at scale.
  const released = `released AS (SELECT DISTINCT invoice_number, category FROM applications WHERE amount_centimes < 0 AND applied_on <= @asOf)`;
  const payments = ctx.sqlite
    .prepare(
      `WITH ${released},
            settled AS (SELECT a.payment_id, SUM(a.amount_centimes) AS settled FROM applications a
                          LEFT JOIN released r ON r.invoice_number = a.invoice_number AND r.category = a.category
                         WHERE a.source = 'payment' AND a.applied_on <= @asOf AND r.invoice_number IS NULL GROUP BY a.payment_id)
       SELECT p.state_iso3, p.received_on, p.journal_entry_id, p.id, p.amount_centimes, p.purpose, COALESCE(s.settled, 0)
         FROM payments p LEFT JOIN settled s ON s.payment_id = p.id
        WHERE p.state_iso3 IS NOT NULL AND p.received_on <= @asOf`,
    )
    .raw(true)
    .safeIntegers(true)
    .all({ asOf }) as [string, string, bigint, bigint, bigint, string, bigint][];
  for (const [iso3, date, entry, id, amount, purpose, settled] of payments)
    push(iso3, {
      date,
      entry,
      rank: 0,
      id,
      event: { type: 'received', date, paymentId: Number(id), amountCentimes: amount, applicable: purpose === 'assessed', settledCentimes: settled },
    });
  const apps = ctx.sqlite
    .prepare(
      `WITH ${released}
       SELECT a.state_iso3, a.applied_on, a.journal_entry_id, a.id, a.amount_centimes, a.invoice_number, a.category, a.payment_id
         FROM applications a LEFT JOIN released r ON r.invoice_number = a.invoice_number AND r.category = a.category
        WHERE a.applied_on <= @asOf AND a.source <> 'reversal' AND (a.source <> 'payment' OR r.invoice_number IS NOT NULL)`,
    )
    .raw(true)
    .safeIntegers(true)
    .all({ asOf }) as [string, string, bigint, bigint, bigint, string, string, bigint | null][];
  for (const [iso3, date, entry, id, amount, invoice, category, paymentId] of apps) {
    const line = `${invoice}|${category}`;
    push(iso3, {
      date,
      entry,
      rank: 1,
      id,
      event:
        amount < 0n
          ? { type: 'released', date, line, amountCentimes: -amount }
          : { type: 'applied', date, paymentId: paymentId === null ? null : Number(paymentId), line, amountCentimes: amount },
    });
  }
  // Reversed payments: the lines their reversal opened again come with the event.
  const reopened = new Map<bigint, { line: string; amountCentimes: Centimes }[]>();
  for (const [entry, invoice, category, amount] of ctx.sqlite
    .prepare(`SELECT journal_entry_id, invoice_number, category, SUM(amount_centimes) FROM applications WHERE source = 'reversal' AND applied_on <= @asOf GROUP BY journal_entry_id, invoice_number, category`)
    .raw(true)
    .safeIntegers(true)
    .all({ asOf }) as [bigint, string, string, bigint][])
    (reopened.get(entry) ?? reopened.set(entry, []).get(entry)!).push({ line: `${invoice}|${category}`, amountCentimes: -amount });
  const reversedPayments = ctx.sqlite
    .prepare(
      `SELECT p.state_iso3, v.date, v.journal_entry_id, v.id, p.amount_centimes, p.received_on, p.id FROM reversals v JOIN payments p ON p.id = v.entity_id
        WHERE v.entity_type = 'payment' AND p.state_iso3 IS NOT NULL AND v.date <= @asOf`,
    )
    .raw(true)
    .safeIntegers(true)
    .all({ asOf }) as [string, string, bigint, bigint, bigint, string, bigint][];
  for (const [iso3, date, entry, id, amount, receivedOn, paymentId] of reversedPayments)
    push(iso3, {
      date,
      entry,
      rank: 3,
      id,
      event: { type: 'reversed', date, paymentId: Number(paymentId), receivedOn, amountCentimes: amount, reopened: reopened.get(entry) ?? [] },
    });
  const reclassified = ctx.sqlite
    .prepare(`SELECT state_iso3, date, journal_entry_id, id, amount_centimes FROM credit_reclassifications WHERE date <= @asOf`)
    .raw(true)
    .safeIntegers(true)
    .all({ asOf }) as [string, string, bigint, bigint, bigint][];
  for (const [iso3, date, entry, id, amount] of reclassified) push(iso3, { date, entry, rank: 2, id, event: { type: 'reclassified', date, amountCentimes: amount } });
  const order = (a: Keyed, b: Keyed) =>
    compareText(a.date, b.date) || (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0) || a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return new Map([...byState].map(([iso3, list]) => [iso3, list.sort(order).map((k) => k.event)]));
}

/** Every State's unapplied credit at `asOf` (the credit balance of its account 2100). */
function unappliedCredits(ctx: Ctx, asOf: string): Map<string, Centimes> {
  const rows = ctx.sqlite
    .prepare(
      `SELECT p.state_iso3 AS iso3, -SUM(p.amount_centimes) AS credit FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '2100' AND p.state_iso3 IS NOT NULL AND j.entry_date <= ? GROUP BY p.state_iso3`,
    )
    .safeIntegers(true)
    .all(asOf) as { iso3: string; credit: bigint }[];
  return new Map(rows.map((r) => [r.iso3, r.credit]));
}

export type StatusReport = StatusReportDocument;
type Row = StatusReport['rows'][number];

const FIGURES = STATUS_FIGURES;

/**
 * The figures of every State for budget year `year` as of each date of
 * `asOfs` (the report's date, and the cut-off date for the honour roll),
 * keyed by ISO3, only States with a figure that is not zero. The ledger is
 * read once, up to the latest date; the money received and in excess is
 * worked out only for `moneyAsOf`.
 */
function figuresOf(ctx: Ctx, year: number, asOfs: string[], moneyAsOf: string): Map<string, Map<string, StatusFigures>> {
  const movements = receivableMovements(ctx, year, asOfs.flatMap((d) => [d, openingDate(year, d)]));
  const events = moneyEvents(ctx, moneyAsOf);
  const credits = new Map(asOfs.map((d) => [d, unappliedCredits(ctx, d)]));
  const out = new Map(asOfs.map((d) => [d, new Map<string, StatusFigures>()]));
  for (const asOf of asOfs) {
    const withMoney = asOf === moneyAsOf;
    const iso3s = new Set([...movements.keys(), ...(withMoney ? events.keys() : []), ...credits.get(asOf)!.keys()]);
    for (const iso3 of iso3s) {
      const money = withMoney ? (receiptYearFigures(events.get(iso3) ?? [], asOf).get(year) ?? { receivedCentimes: 0n, appliedCentimes: 0n }) : { receivedCentimes: 0n, appliedCentimes: 0n };
      const f = statusFigures({
        year,
        asOf,
        movements: movements.get(iso3) ?? [],
        receivedCentimes: money.receivedCentimes,
        inExcessCentimes: money.receivedCentimes - money.appliedCentimes,
        unappliedCreditCentimes: credits.get(asOf)!.get(iso3) ?? 0n,
      });
      if (FIGURES.some((k) => f[k] !== 0n)) out.get(asOf)!.set(iso3, f);
    }
  }
  return out;
}

/**
 * The status of contributions for budget year `year` as of `asOf` (SPEC 9.1),
 * the one definition behind the API's JSON, CSV and PDF, `isu report status`
 * and the dashboard. Rows are sorted by the State's name in `lang`.
 */
export function statusOfContributions(ctx: Ctx, year: number, asOf = todayUtc(), lang: Lang = 'en'): StatusReport {
  const budget = findBudget(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  return readSnapshot(ctx.sqlite, () => {
    // The honour roll is who had paid in full by the cut-off date: the status then, from the same reading of the ledger.
    const cutoff = asOf < budget.cutoffDate ? asOf : budget.cutoffDate;
    const both = figuresOf(ctx, year, [asOf, cutoff], asOf);
    const now = both.get(asOf)!;
    const atCutoff = both.get(cutoff)!;
    const states = new Map(ctx.db.select().from(statesTable).all().map((s) => [s.iso3, s]));
    const nameOf = (iso3: string) => {
      const s = states.get(iso3);
      return s ? nameIn(s, lang) : iso3;
    };
    const collator = new Intl.Collator(lang, { sensitivity: 'base' });
    const byName = (a: { iso3: string; name: string }, b: { iso3: string; name: string }) => collator.compare(a.name, b.name) || (a.iso3 < b.iso3 ? -1 : 1);
    const rows: Row[] = [...now]
      .map(([iso3, f]) => {
        const row = { iso3, name: nameOf(iso3), status: f.status } as Row;
        for (const k of FIGURES) row[k] = formatMoney(f[k]);
        return row;
      })
      .sort(byName);
    const totals = Object.fromEntries(FIGURES.map((k) => [k, formatMoney(sumCentimes([...now.values()].map((f) => f[k])))])) as unknown as StatusReport['totals'];
    const donors = ctx.sqlite
      .prepare(
        `SELECT pay.donor AS donor, pay.purpose AS purpose, SUM(pay.amount_centimes) AS amount FROM payments pay
          WHERE pay.donor IS NOT NULL AND pay.received_on BETWEEN ? AND ?
          GROUP BY pay.donor, pay.purpose ORDER BY pay.donor, pay.purpose`,
      )
      .safeIntegers(true)
      .all(`${year}-01-01`, asOf) as { donor: string; purpose: 'voluntary' | 'reserve'; amount: bigint }[];
    const count = (st: Row['status']) => rows.filter((r) => r.status === st).length;
    const paidN = count('paid');
    const partialN = count('partial');
    const unpaidN = count('unpaid');
    const assessedN = paidN + partialN + unpaidN;
    const collected = sumCentimes([...now.values()].map((f) => f.collected));
    const inExcess = sumCentimes([...now.values()].map((f) => f.inExcess));
    return {
      year,
      asOf,
      language: lang,
      generatedOn: todayUtc(),
      budget: formatMoney(budget.amountCentimes),
      cutoffDate: budget.cutoffDate,
      rows,
      otherDonors: donors.map((d) => ({ donor: d.donor, purpose: d.purpose, amount: formatMoney(d.amount) })),
      totals,
      coverage: {
        collectedPercent: percentOneDecimal(collected.toString(), budget.amountCentimes.toString()),
        withExcessPercent: percentOneDecimal((collected + inExcess).toString(), budget.amountCentimes.toString()),
      },
      counts: {
        assessed: assessedN,
        paid: paidN,
        partial: partialN,
        unpaid: unpaidN,
        credited: count('credited'),
        sharePaidPercent: percentOneDecimal(paidN, assessedN),
        sharePartialPercent: percentOneDecimal(partialN, assessedN),
        shareUnpaidPercent: percentOneDecimal(unpaidN, assessedN),
        shareContributingPercent: percentOneDecimal(paidN + partialN, assessedN),
      },
      lateAssessments: (
        ctx.sqlite
          .prepare("SELECT state_iso3 AS iso3, number, total_centimes AS amount FROM invoices WHERE year = ? AND kind = 'late' AND issue_date <= ? ORDER BY number")
          .safeIntegers(true)
          .all(year, asOf) as { iso3: string; number: string; amount: bigint }[]
      ).map((l) => ({ iso3: l.iso3, name: nameOf(l.iso3), invoice: l.number, amount: formatMoney(l.amount) })),
      honourRoll: [...atCutoff]
        .filter(([, f]) => f.status === 'paid')
        .map(([iso3]) => ({ iso3, name: nameOf(iso3) }))
        .sort(byName),
    };
  });
}

/** CSV header names: the JSON field names, so a column means what the API document says it means. */
const CSV_HEADER = ['iso3', 'name', ...FIGURES, 'status'] as const;

/**
 * The report as CSV: one row per State, then a TOTAL row. Amounts as plain
 * decimals ("1234.50"); the status in the words of the PDF ("Paid nothing").
 */
export function statusReportCsv(report: StatusReport): string {
  return toCsv(CSV_HEADER, [
    ...report.rows.map((r) => [r.iso3, r.name, ...FIGURES.map((k) => r[k]), STATUS_LABEL[r.status]]),
    ['TOTAL', 'Total', ...FIGURES.map((k) => report.totals[k]), ''],
  ]);
}
