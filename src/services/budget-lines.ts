/**
 * Budget lines (SPEC 9.5): version 1 as adopted, then one set per revision;
 * the coding of expenditures to a budget year and line; and the budget
 * execution report (approved, revised, spent, remaining, % spent per line).
 * The arithmetic is src/domain/budget-lines.ts.
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import { executionFigures, linesDifference } from '../domain/budget-lines.js';
import { todayUtc } from '../domain/dates.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import { budgetLines, budgetVersions, budgets } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { BudgetLineIn, BudgetLineOut, ExecutionOut } from '../schemas/budgets.js';
import type { Ctx } from './context.js';
import { NotFoundError, ValidationError } from './errors.js';
import { toCsv } from './csv.js';

type LineRow = typeof budgetLines.$inferSelect;

/** The lines of one version of a budget, in their order (empty when it has none). */
export function linesOfVersion(db: DbOrTx, year: number, version: number): LineRow[] {
  return db
    .select()
    .from(budgetLines)
    .where(and(eq(budgetLines.year, year), eq(budgetLines.version, version)))
    .orderBy(asc(budgetLines.position))
    .all();
}

/** The lines in force: those of the latest version that has lines (empty when the budget has none). */
export function currentLines(db: DbOrTx, year: number): LineRow[] {
  const latest = db.select({ v: budgetLines.version }).from(budgetLines).where(eq(budgetLines.year, year)).orderBy(asc(budgetLines.version)).all().pop();
  return latest ? linesOfVersion(db, year, latest.v) : [];
}

export const lineOut = (l: LineRow): BudgetLineOut => ({ code: l.code, label: l.label, amount: formatMoney(l.amountCentimes) });

/** Records the lines of a version; they must sum exactly to its amount (422 naming `lines` with the difference). */
export function writeLines(tx: DbOrTx, year: number, version: number, amountCentimes: Centimes, lines: readonly BudgetLineIn[]): void {
  const cents = lines.map((l) => parseMoney(l.amount));
  const diff = linesDifference(amountCentimes, cents);
  if (diff !== 0n) {
    const message = `the lines sum to ${formatMoney(sumCentimes(cents))}, ${diff > 0n ? 'short of' : 'over'} the amount ${formatMoney(amountCentimes)} by ${formatMoney(diff > 0n ? diff : -diff)}`;
    throw new ValidationError([{ field: 'lines', message }]);
  }
  lines.forEach((l, position) => tx.insert(budgetLines).values({ year, version, code: l.code, label: l.label, position, amountCentimes: cents[position]! }).run());
}

/** Copies the lines of one version to the next (a revision that changes neither the amount nor the lines). */
export function carryLines(tx: DbOrTx, year: number, from: number, to: number): void {
  for (const l of linesOfVersion(tx, year, from)) tx.insert(budgetLines).values({ ...l, version: to }).run();
}

export const sameLines = (rows: readonly LineRow[], input: readonly BudgetLineIn[]) =>
  rows.length === input.length && rows.every((r, i) => r.code === input[i]!.code && r.label === input[i]!.label && r.amountCentimes === parseMoney(input[i]!.amount));

/**
 * The budget year and line of an expenditure: the year defaults to that of
 * its date; a line is required when that budget has lines and must be one of
 * them; without lines there is none (422 naming `budgetYear` or `line`).
 */
export function resolveCoding(db: DbOrTx, date: string, budgetYear: number | undefined, line: string | undefined | null): { budgetYear: number; line: string | null } {
  const year = budgetYear ?? Number(date.slice(0, 4));
  const exists = db.select({ year: budgets.year }).from(budgets).where(eq(budgets.year, year)).get() !== undefined;
  if (budgetYear !== undefined && !exists) throw new ValidationError([{ field: 'budgetYear', message: `there is no budget for ${budgetYear}` }]);
  const codes = exists ? currentLines(db, year).map((l) => l.code) : [];
  if (codes.length === 0) {
    if (line !== undefined && line !== null) throw new ValidationError([{ field: 'line', message: `the ${year} budget has no lines: leave the line out` }]);
    return { budgetYear: year, line: null };
  }
  if (line === undefined || line === null) throw new ValidationError([{ field: 'line', message: `the ${year} budget has lines: give one of ${codes.join(', ')}` }]);
  if (!codes.includes(line)) throw new ValidationError([{ field: 'line', message: `${line} is not a line of the ${year} budget (${codes.join(', ')})` }]);
  return { budgetYear: year, line };
}

/**
 * GET /budgets/{year}/execution: per line of the version in force on `asOf`
 * (the latest approved on or before it), the amount as adopted, as revised,
 * what its expenditures dated up to `asOf` came to net of their reversals
 * dated up to `asOf`, what is left and the share spent; an uncoded row for
 * expenditures of the year without a line (it carries the budget itself when
 * the budget has no lines); totals. Rows always sum to the totals.
 */
export function budgetExecution(ctx: Ctx, year: number, asOf: string = todayUtc()): ExecutionOut {
  const adopted = ctx.db.select().from(budgets).where(eq(budgets.year, year)).get();
  if (!adopted) throw new NotFoundError(`The budget for ${year}`);
  const inForce = ctx.db
    .select()
    .from(budgetVersions)
    .where(and(eq(budgetVersions.year, year), lte(budgetVersions.approvedOn, asOf)))
    .orderBy(asc(budgetVersions.version))
    .all()
    .pop();
  const version = inForce?.version ?? 1;
  const revisedAmount = inForce?.amountCentimes ?? adopted.amountCentimes;
  const approvedLines = linesOfVersion(ctx.db, year, 1);
  const revisedLines = linesOfVersion(ctx.db, year, version);
  const spentRows = ctx.sqlite
    .prepare(
      `SELECT e.line AS line, SUM(e.amount_centimes) AS spent FROM expenditures e
        WHERE e.budget_year = @year AND e.date <= @asOf
          AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'expenditure' AND v.entity_id = e.id AND v.date <= @asOf)
        GROUP BY e.line`,
    )
    .safeIntegers(true)
    .all({ year, asOf }) as { line: string | null; spent: bigint }[];
  const spent = new Map(spentRows.map((r) => [r.line, r.spent]));
  const allLines = ctx.db.select().from(budgetLines).where(eq(budgetLines.year, year)).orderBy(asc(budgetLines.version), asc(budgetLines.position)).all();
  const codes = [...revisedLines.map((l) => l.code), ...[...spent.keys()].filter((c): c is string => c !== null && !revisedLines.some((l) => l.code === c)).sort()];
  const row = (code: string | null, label: string, approved: Centimes, revised: Centimes, s: Centimes) => {
    const f = executionFigures(revised, s);
    return { code, label, approved: formatMoney(approved), revised: formatMoney(revised), spent: formatMoney(s), remaining: formatMoney(f.remainingCentimes), percentSpent: f.percentSpent };
  };
  const rows = codes.map((code) =>
    row(
      code,
      revisedLines.find((l) => l.code === code)?.label ?? allLines.filter((l) => l.code === code).pop()?.label ?? code,
      approvedLines.find((l) => l.code === code)?.amountCentimes ?? 0n,
      revisedLines.find((l) => l.code === code)?.amountCentimes ?? 0n,
      spent.get(code) ?? 0n,
    ),
  );
  const uncodedApproved = approvedLines.length === 0 ? adopted.amountCentimes : 0n;
  const uncodedRevised = revisedLines.length === 0 ? revisedAmount : 0n;
  if (spent.has(null) || uncodedApproved !== 0n || uncodedRevised !== 0n)
    rows.push(row(null, revisedLines.length === 0 ? 'Not coded to a line (the budget has no lines)' : 'Not coded to a line', uncodedApproved, uncodedRevised, spent.get(null) ?? 0n));
  const total = row(null, '', adopted.amountCentimes, revisedAmount, sumCentimes(spent.values()));
  const { code: _c, label: _l, ...totals } = total;
  return { year, asOf, currency: 'CHF', version, lines: rows, totals };
}

const CSV_HEADER = ['code', 'label', 'approved', 'revised', 'spent', 'remaining', 'percentSpent'] as const;

/** The execution report as CSV: one row per line, a TOTAL row last. */
export function executionCsv(report: ExecutionOut): string {
  return toCsv(CSV_HEADER, [
    ...report.lines.map((r) => [r.code ?? '', r.label, r.approved, r.revised, r.spent, r.remaining, r.percentSpent ?? '']),
    ['TOTAL', 'Total', report.totals.approved, report.totals.revised, report.totals.spent, report.totals.remaining, report.totals.percentSpent ?? ''],
  ]);
}

