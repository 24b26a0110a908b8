/**
 * The status-of-contributions report (SPEC 4): per State, arrears of earlier
 * years, assessed, paid and outstanding for the year, contributions in
 * excess of assessment; totals; who paid in full, in part, nothing; the
 * honour roll of those who paid in full by the cut-off date. From the ledger,
 * as of any date, in a handful of grouped queries (no query per State).
 */
import { todayUtc } from '../domain/dates.js';
import { formatMoney, percentOneDecimal, sumCentimes, type Centimes } from '../domain/money.js';
import type { StatusReportDocument } from '../pdf/types.js';
import { findBudget } from './budgets.js';
import type { Ctx } from './context.js';
import { NotFoundError } from './errors.js';

interface PerState {
  arrearsBefore: Centimes;
  assessed: Centimes;
  paid: Centimes;
  outstanding: Centimes;
  unapplied: Centimes;
  voluntary: Centimes;
}

const zero = (): PerState => ({ arrearsBefore: 0n, assessed: 0n, paid: 0n, outstanding: 0n, unapplied: 0n, voluntary: 0n });

function figures(ctx: Ctx, year: number, asOf: string): Map<string, PerState> {
  const rows = ctx.sqlite
    .prepare(
      `SELECT p.state_iso3 AS iso3, j.kind AS kind, p.account_code AS account, p.budget_year AS year,
              SUM(CASE WHEN p.amount_centimes > 0 THEN p.amount_centimes ELSE 0 END) AS pos,
              SUM(CASE WHEN p.amount_centimes < 0 THEN p.amount_centimes ELSE 0 END) AS neg
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.state_iso3 IS NOT NULL AND j.entry_date <= ? AND p.account_code IN ('1100', '2100')
        GROUP BY p.state_iso3, j.kind, p.account_code, p.budget_year`,
    )
    .safeIntegers(true)
    .all(asOf) as { iso3: string; kind: string; account: string; year: bigint | null; pos: bigint; neg: bigint }[];
  const out = new Map<string, PerState>();
  const of = (iso3: string) => out.get(iso3) ?? out.set(iso3, zero()).get(iso3)!;
  for (const r of rows) {
    const s = of(r.iso3);
    if (r.account === '2100') {
      s.unapplied -= r.pos + r.neg;
      continue;
    }
    const y = r.year === null ? null : Number(r.year);
    if (y !== null && y < year) s.arrearsBefore += r.pos + r.neg;
    if (y !== year) continue;
    s.outstanding += r.pos + r.neg;
    if (r.kind === 'invoice') s.assessed += r.pos;
    else if (r.kind === 'credit-note') {
      s.assessed += r.neg;
      s.paid -= r.pos;
    } else s.paid -= r.pos + r.neg;
  }
  const voluntary = ctx.sqlite
    .prepare(
      `SELECT p.state_iso3 AS iso3, SUM(p.amount_centimes) AS amount
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '4200' AND p.state_iso3 IS NOT NULL AND j.entry_date <= ? AND substr(j.entry_date, 1, 4) = ?
        GROUP BY p.state_iso3`,
    )
    .safeIntegers(true)
    .all(asOf, String(year)) as { iso3: string; amount: bigint }[];
  for (const v of voluntary) of(v.iso3).voluntary -= v.amount;
  return out;
}

const pct = (part: number, whole: number) => percentOneDecimal(part, whole);

export type StatusReport = StatusReportDocument;

export function statusOfContributions(ctx: Ctx, year: number, asOf = todayUtc()): StatusReport {
  const budget = findBudget(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  const now = figures(ctx, year, asOf);
  const atCutoff = figures(ctx, year, asOf < budget.cutoffDate ? asOf : budget.cutoffDate);
  const names = new Map(
    (ctx.sqlite.prepare('SELECT iso3, name_en AS name FROM states').all() as { iso3: string; name: string }[]).map((s) => [s.iso3, s.name]),
  );
  // Credit held at the end of the previous year is not this year's excess: count only what the year added.
  const creditBefore = new Map(
    (
      ctx.sqlite
        .prepare(
          `SELECT p.state_iso3 AS iso3, -SUM(p.amount_centimes) AS credit FROM postings p JOIN journal_entries j ON j.id = p.entry_id
            WHERE p.account_code = '2100' AND j.entry_date <= ? GROUP BY p.state_iso3`,
        )
        .safeIntegers(true)
        .all(`${year - 1}-12-31`) as { iso3: string; credit: bigint }[]
    ).map((r) => [r.iso3, r.credit]),
  );
  const rows = [...now]
    .filter(([, s]) => s.assessed !== 0n || s.arrearsBefore !== 0n || s.paid !== 0n || s.unapplied !== 0n || s.voluntary !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([iso3, s]) => {
      const creditAdded = s.unapplied - (creditBefore.get(iso3) ?? 0n);
      const excess = (creditAdded > 0n ? creditAdded : 0n) + s.voluntary;
      const status: StatusReport['rows'][number]['status'] =
        s.assessed <= 0n ? 'not-assessed' : s.outstanding <= 0n ? 'paid' : s.paid > 0n ? 'partial' : 'unpaid';
      return { iso3, name: names.get(iso3) ?? iso3, s, excess, status };
    });
  const donors = ctx.sqlite
    .prepare(
      `SELECT pay.donor AS donor, SUM(pay.amount_centimes) AS amount FROM payments pay
        WHERE pay.donor IS NOT NULL AND pay.purpose = 'voluntary' AND pay.received_on <= ? AND substr(pay.received_on, 1, 4) = ?
        GROUP BY pay.donor ORDER BY pay.donor`,
    )
    .safeIntegers(true)
    .all(asOf, String(year)) as { donor: string; amount: bigint }[];
  const total = (f: (r: (typeof rows)[number]) => Centimes) => formatMoney(sumCentimes(rows.map(f)));
  const assessedRows = rows.filter((r) => r.status !== 'not-assessed');
  const count = (st: string) => assessedRows.filter((r) => r.status === st).length;
  const paidN = count('paid');
  const partialN = count('partial');
  const unpaidN = count('unpaid');
  return {
    year,
    asOf,
    generatedOn: todayUtc(),
    budget: formatMoney(budget.amountCentimes),
    cutoffDate: budget.cutoffDate,
    rows: rows.map((r) => ({
      iso3: r.iso3,
      name: r.name,
      arrearsBefore: formatMoney(r.s.arrearsBefore),
      assessed: formatMoney(r.s.assessed),
      paid: formatMoney(r.s.paid),
      outstanding: formatMoney(r.s.outstanding),
      excess: formatMoney(r.excess),
      status: r.status,
    })),
    otherDonors: donors.map((d) => ({ donor: d.donor, amount: formatMoney(d.amount) })),
    totals: {
      arrearsBefore: total((r) => r.s.arrearsBefore),
      assessed: total((r) => r.s.assessed),
      paid: total((r) => r.s.paid),
      outstanding: total((r) => r.s.outstanding),
      excess: total((r) => r.excess),
    },
    counts: {
      assessed: assessedRows.length,
      paid: paidN,
      partial: partialN,
      unpaid: unpaidN,
      sharePaidPercent: pct(paidN, assessedRows.length),
      sharePartialPercent: pct(partialN, assessedRows.length),
      shareUnpaidPercent: pct(unpaidN, assessedRows.length),
      shareContributingPercent: pct(paidN + partialN, assessedRows.length),
    },
    honourRoll: [...atCutoff]
      .filter(([, s]) => s.assessed > 0n && s.outstanding <= 0n)
      .map(([iso3]) => ({ iso3, name: names.get(iso3) ?? iso3 }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en')),
  };
}

const CSV_COLUMNS = ['iso3', 'name', 'arrearsBefore', 'assessed', 'paid', 'outstanding', 'excess', 'status'] as const;

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The report as CSV: one row per State, then a TOTAL row. Amounts as plain decimals ("1234.50"). */
export function statusReportCsv(report: StatusReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of report.rows) lines.push(CSV_COLUMNS.map((c) => csvCell(String(r[c]))).join(','));
  const t = report.totals;
  lines.push(['TOTAL', 'Total', t.arrearsBefore, t.assessed, t.paid, t.outstanding, t.excess, ''].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
