/**
 * The annual financial statement (SPEC 9.5), for the Meeting of States
 * Parties: income and expenditure of the year, financial position at its
 * 31 December, changes in the working capital reserve, contributions
 * summary; each figure beside the previous year's. Everything is read from
 * the ledger (a handful of grouped queries, bigint sums); the arithmetic of
 * the totals is src/domain/statement.ts.
 *
 * The year's income and expenditure are the postings of journal entries
 * dated in the year — the accounting period the year-end closing carries to
 * the accumulated fund — without the closing entry itself. Assessed
 * contributions are therefore those invoiced (less credited) in the year;
 * their split by budget year is given beside them (a budget's invoices are
 * issued in the autumn before it).
 */
import { ACCOUNTS } from '../domain/ledger.js';
import { formatMoney, type Centimes } from '../domain/money.js';
import { positionTotals, reserveClosing, reserveLineOf, type ReserveChanges } from '../domain/statement.js';
import { readSnapshot } from '../db/client.js';
import type { FinancialStatementDocument, Figure } from '../pdf/types.js';
import type { Ctx } from './context.js';
import { toCsv } from './csv.js';
import { NotFoundError } from './errors.js';
import { statusOfContributions } from './reports.js';

export type { Figure } from '../pdf/types.js';
export type FinancialStatement = FinancialStatementDocument;

interface YearFigures {
  income: Map<string, Centimes>;
  assessedByBudgetYear: Map<number, Centimes>;
  /** By line: its label and place in the budget (the latest version's), and what was spent on it. */
  expenditureByLine: Map<string | null, { label: string; position: number | null; amount: Centimes }>;
  balances: Map<string, Centimes>;
  receivablesByYear: Map<number, Centimes>;
  openingBalances: Map<string, Centimes>;
  reserve: ReserveChanges;
  closed: boolean;
}

/**
 * The balance of every account at each of `dates` (the accounts with a
 * posting dated up to that date), in one reading of the ledger up to the
 * latest: the statement compares three year-ends.
 */
function balancesAtDates(ctx: Ctx, dates: string[]): Map<string, Map<string, Centimes>> {
  const out = new Map(dates.map((d) => [d, new Map<string, Centimes>()]));
  const sums = dates.map((_, i) => `SUM(CASE WHEN j.entry_date <= @d${i} THEN p.amount_centimes END)`).join(', ');
  const rows = ctx.sqlite
    .prepare(`SELECT p.account_code, ${sums} FROM postings p JOIN journal_entries j ON j.id = p.entry_id WHERE j.entry_date <= @last GROUP BY 1`)
    .raw(true)
    .safeIntegers(true)
    .all({ last: [...dates].sort().at(-1)!, ...Object.fromEntries(dates.map((d, i) => [`d${i}`, d])) }) as [string, ...(bigint | null)[]][];
  for (const [account, ...byDate] of rows)
    byDate.forEach((s, i) => {
      if (s !== null) out.get(dates[i]!)!.set(account, s);
    });
  return out;
}

/** The receivables (account 1100) still open at each of `dates`, by budget year in its order, in one reading of the ledger. */
function receivablesAtDates(ctx: Ctx, dates: string[]): Map<string, Map<number, Centimes>> {
  const out = new Map(dates.map((d) => [d, new Map<number, Centimes>()]));
  const sums = dates.map((_, i) => `SUM(CASE WHEN j.entry_date <= @d${i} THEN p.amount_centimes END)`).join(', ');
  const rows = ctx.sqlite
    .prepare(
      `SELECT p.budget_year, ${sums} FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '1100' AND j.entry_date <= @last GROUP BY 1 ORDER BY 1`,
    )
    .raw(true)
    .safeIntegers(true)
    .all({ last: [...dates].sort().at(-1)!, ...Object.fromEntries(dates.map((d, i) => [`d${i}`, d])) }) as [bigint, ...(bigint | null)[]][];
  for (const [budgetYear, ...byDate] of rows)
    byDate.forEach((s, i) => {
      if (s !== null && s !== 0n) out.get(dates[i]!)!.set(Number(budgetYear), s);
    });
  return out;
}

const yearEnd = (year: number) => `${year}-12-31`;

function figuresOf(ctx: Ctx, year: number, balancesAt: Map<string, Map<string, Centimes>>, receivablesAt: Map<string, Map<number, Centimes>>): YearFigures {
  const from = `${year}-01-01`;
  const to = yearEnd(year);
  const q = (sql: string, ...params: unknown[]) => ctx.sqlite.prepare(sql).raw(true).safeIntegers(true).all(...params) as unknown[][];
  const income = new Map<string, Centimes>();
  const assessedByBudgetYear = new Map<number, Centimes>();
  for (const [account, budgetYear, amount] of q(
    `SELECT p.account_code, p.budget_year, SUM(p.amount_centimes) FROM postings p JOIN journal_entries j ON j.id = p.entry_id
      WHERE p.account_code LIKE '4%' AND j.entry_date BETWEEN ? AND ? AND j.kind <> 'year-close' GROUP BY 1, 2`,
    from,
    to,
  ) as [string, bigint | null, bigint][]) {
    income.set(account, (income.get(account) ?? 0n) - amount);
    if (account === ACCOUNTS.assessedIncome && budgetYear !== null) assessedByBudgetYear.set(Number(budgetYear), (assessedByBudgetYear.get(Number(budgetYear)) ?? 0n) - amount);
  }
  // Each expense posting with the expenditure it records or reverses (its entry's or the reversed entry's): the pairs are
  // found by equality (`pe`), which SQLite indexes on the fly, rather than by an OR in the join, which scanned every
  // expenditure for each posting (issue 19: 14 ms of a year's figures at 1,337 expenditures, 0.9 ms this way).
  const expenditureByLine = new Map<string | null, { label: string; position: number | null; amount: Centimes }>();
  for (const [line, label, position, amount] of q(
    `WITH p5 AS MATERIALIZED (
            SELECT p.id AS pid, p.amount_centimes AS amount, j.id AS entry, j.reverses_entry_id AS rev
              FROM postings p JOIN journal_entries j ON j.id = p.entry_id
             WHERE p.account_code LIKE '5%' AND j.entry_date BETWEEN ? AND ? AND j.kind <> 'year-close'),
          pe AS (SELECT p5.pid, e.id AS eid FROM p5 JOIN expenditures e ON e.journal_entry_id = p5.entry
                 UNION
                 SELECT p5.pid, e.id FROM p5 JOIN expenditures e ON e.journal_entry_id = p5.rev)
     SELECT e.line,
            (SELECT l.label FROM budget_lines l WHERE l.year = e.budget_year AND l.code = e.line ORDER BY l.version DESC LIMIT 1),
            (SELECT l.position FROM budget_lines l WHERE l.year = e.budget_year AND l.code = e.line ORDER BY l.version DESC LIMIT 1),
            SUM(p5.amount)
       FROM p5 LEFT JOIN pe ON pe.pid = p5.pid LEFT JOIN expenditures e ON e.id = pe.eid
      GROUP BY e.line ORDER BY e.line IS NULL, e.line`,
    from,
    to,
  ) as [string | null, string | null, bigint | null, bigint][])
    expenditureByLine.set(line, { label: line === null ? 'Not coded to a budget line' : (label ?? line), position: position === null ? null : Number(position), amount });
  const openingBalances = balancesAt.get(yearEnd(year - 1))!;
  const reserve: ReserveChanges = { opening: openingBalances.get(ACCOUNTS.reserveCash) ?? 0n, contributions: 0n, transfers: 0n, drawdowns: 0n, restorations: 0n, other: 0n };
  for (const [kind, amount] of q(
    `SELECT j.kind, SUM(p.amount_centimes) FROM postings p JOIN journal_entries j ON j.id = p.entry_id
      WHERE p.account_code = '1010' AND j.entry_date BETWEEN ? AND ? GROUP BY 1`,
    from,
    to,
  ) as [string, bigint][]) {
    const line = reserveLineOf(kind);
    reserve[line] += line === 'drawdowns' ? -amount : amount;
  }
  const closed = ctx.sqlite.prepare('SELECT 1 FROM year_closings WHERE year = ?').get(year) !== undefined;
  return { income, assessedByBudgetYear, expenditureByLine, balances: balancesAt.get(to)!, receivablesByYear: receivablesAt.get(to)!, openingBalances, reserve, closed };
}

const money = formatMoney;

export function financialStatement(ctx: Ctx, year: number): FinancialStatement {
  return readSnapshot(ctx.sqlite, () => build(ctx, year));
}

function build(ctx: Ctx, year: number): FinancialStatement {
  // The ledger's balances at the three year-ends compared (the previous year's opening too), each read once.
  const balancesAt = balancesAtDates(ctx, [yearEnd(year - 2), yearEnd(year - 1), yearEnd(year)]);
  const receivablesAt = receivablesAtDates(ctx, [yearEnd(year - 1), yearEnd(year)]);
  const cur = figuresOf(ctx, year, balancesAt, receivablesAt);
  const prev = figuresOf(ctx, year - 1, balancesAt, receivablesAt);
  const fig = (f: (y: YearFigures) => Centimes): Figure => ({ current: money(f(cur)), previous: money(f(prev)) });
  const inc = (code: string) => (y: YearFigures) => y.income.get(code) ?? 0n;
  const totalIncome = (y: YearFigures) => [...y.income.values()].reduce((a, b) => a + b, 0n);
  const totalExpenditure = (y: YearFigures) => [...y.expenditureByLine.values()].reduce((a, b) => a + b.amount, 0n);
  const bal = (code: string, sign: 1n | -1n) => (y: YearFigures) => sign * (y.balances.get(code) ?? 0n);
  // Income and expense balances still open at 31 December: the surplus of years not closed (credit positive).
  const notClosed = (y: YearFigures) => -[...y.balances].filter(([a]) => a.startsWith('4') || a.startsWith('5')).reduce((s, [, v]) => s + v, 0n);
  const position = (y: YearFigures) =>
    positionTotals({
      operatingCash: bal(ACCOUNTS.operatingCash, 1n)(y),
      reserveCash: bal(ACCOUNTS.reserveCash, 1n)(y),
      receivables: bal(ACCOUNTS.receivable, 1n)(y),
      unappliedCredit: bal(ACCOUNTS.unappliedCredit, -1n)(y),
      reserveFund: bal(ACCOUNTS.reserveFund, -1n)(y),
      accumulatedFund: bal(ACCOUNTS.accumulatedFund, -1n)(y),
      surplusNotClosed: notClosed(y),
    });
  const byKey = <K>(a: Map<K, Centimes>, b: Map<K, Centimes>) => [...new Set([...a.keys(), ...b.keys()])];
  const budgetYears = byKey(cur.assessedByBudgetYear, prev.assessedByBudgetYear).sort((x, y) => x - y);
  const receivableYears = byKey(cur.receivablesByYear, prev.receivablesByYear).sort((x, y) => x - y);
  // In the budget's order (the year's lines, else the previous year's), lines no budget lists by code, the uncoded last.
  const place = (l: string | null) => (l === null ? Infinity : (cur.expenditureByLine.get(l)?.position ?? prev.expenditureByLine.get(l)?.position ?? Number.MAX_SAFE_INTEGER));
  const lines = [...new Set([...cur.expenditureByLine.keys(), ...prev.expenditureByLine.keys()])].sort((a, b) => place(a) - place(b) || ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0));

  const status = (y: number) => {
    try {
      return statusOfContributions(ctx, y, `${y}-12-31`).totals;
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  };
  const sCur = status(year);
  const sPrev = status(year - 1);
  const sFig = (k: 'assessed' | 'credited' | 'collected' | 'outstanding' | 'priorOutstanding' | 'received' | 'unappliedCredit'): Figure => ({ current: sCur![k], previous: sPrev?.[k] ?? null });

  const surplus = (y: YearFigures) => totalIncome(y) - totalExpenditure(y);
  return {
    year,
    previousYear: year - 1,
    asOf: `${year}-12-31`,
    closed: cur.closed,
    previousClosed: prev.closed,
    incomeAndExpenditure: {
      assessedContributions: fig(inc(ACCOUNTS.assessedIncome)),
      assessedByBudgetYear: budgetYears.map((b) => ({ budgetYear: b, current: money(cur.assessedByBudgetYear.get(b) ?? 0n), previous: money(prev.assessedByBudgetYear.get(b) ?? 0n) })),
      voluntaryContributions: fig(inc(ACCOUNTS.voluntaryIncome)),
      otherIncome: fig(inc(ACCOUNTS.otherIncome)),
      totalIncome: fig(totalIncome),
      expenditureByLine: lines.map((l) => ({
        line: l,
        label: (cur.expenditureByLine.get(l) ?? prev.expenditureByLine.get(l))!.label,
        current: money(cur.expenditureByLine.get(l)?.amount ?? 0n),
        previous: money(prev.expenditureByLine.get(l)?.amount ?? 0n),
      })),
      totalExpenditure: fig(totalExpenditure),
      surplus: fig(surplus),
    },
    financialPosition: {
      operatingCash: fig(bal(ACCOUNTS.operatingCash, 1n)),
      reserveCash: fig(bal(ACCOUNTS.reserveCash, 1n)),
      receivables: fig(bal(ACCOUNTS.receivable, 1n)),
      receivablesByYear: receivableYears.map((b) => ({ budgetYear: b, current: money(cur.receivablesByYear.get(b) ?? 0n), previous: money(prev.receivablesByYear.get(b) ?? 0n) })),
      totalAssets: fig((y) => position(y).assets),
      unappliedCredit: fig(bal(ACCOUNTS.unappliedCredit, -1n)),
      totalLiabilities: fig((y) => position(y).liabilities),
      reserveFund: fig(bal(ACCOUNTS.reserveFund, -1n)),
      accumulatedFund: fig(bal(ACCOUNTS.accumulatedFund, -1n)),
      surplusNotClosed: fig(notClosed),
      totalNetAssets: fig((y) => position(y).netAssets),
      totalLiabilitiesAndNetAssets: fig((y) => position(y).liabilitiesAndNetAssets),
    },
    reserve: {
      opening: fig((y) => y.reserve.opening),
      contributions: fig((y) => y.reserve.contributions),
      transfers: fig((y) => y.reserve.transfers),
      drawdowns: fig((y) => y.reserve.drawdowns),
      restorations: fig((y) => y.reserve.restorations),
      other: fig((y) => y.reserve.other),
      closing: fig((y) => reserveClosing(y.reserve)),
      fundOpening: fig((y) => -(y.openingBalances.get(ACCOUNTS.reserveFund) ?? 0n)),
      fundClosing: fig(bal(ACCOUNTS.reserveFund, -1n)),
    },
    contributions:
      sCur === null
        ? null
        : {
            assessed: sFig('assessed'),
            credited: sFig('credited'),
            collected: sFig('collected'),
            outstanding: sFig('outstanding'),
            priorOutstanding: sFig('priorOutstanding'),
            received: sFig('received'),
            unappliedCredit: sFig('unappliedCredit'),
          },
    notes: NOTES(year),
  };
}

const NOTES = (y: number): { ref: string; text: string }[] => [
  { ref: 'basis', text: `Income and expenditure are the ledger's postings of journal entries dated 1 January to 31 December ${y}, without the closing entry: the period the year-end closing carries to the accumulated fund. Amounts in CHF.` },
  { ref: 'assessedContributions', text: `Assessed contributions invoiced in ${y}, less credit notes issued in ${y} (account 4100); a budget's invoices are issued in the autumn before it, hence the split by budget year.` },
  { ref: 'voluntaryContributions', text: 'Money received from States and other donors beyond their assessments, kept as voluntary contributions (account 4200).' },
  { ref: 'otherIncome', text: 'Bank interest and other income booked from bank lines (account 4300).' },
  { ref: 'expenditure', text: 'ISU expenditure (account 5100), net of reversals, by the budget line each expenditure is coded to.' },
  { ref: 'surplus', text: 'Total income less total expenditure; a negative figure is a deficit. Closing the year carries it to the accumulated fund.' },
  { ref: 'operatingCash', text: `The operating bank account (account 1000) at 31 December ${y}.` },
  { ref: 'reserveCash', text: `The working capital reserve's cash (account 1010) at 31 December ${y}.` },
  { ref: 'receivables', text: `Assessed contributions invoiced and not paid or credited at 31 December ${y} (account 1100), by budget year: the sum of the States' balances.` },
  { ref: 'unappliedCredit', text: "Money received from States not yet applied to an invoice (account 2100): a liability, payments received in advance; the sum of the States' credit." },
  { ref: 'reserveFund', text: 'Contributions and transfers to the working capital reserve (account 3100). Drawdowns move reserve cash to operating cash without reducing the fund until restored.' },
  { ref: 'accumulatedFund', text: 'Surpluses and deficits of closed years (account 3200).' },
  { ref: 'surplusNotClosed', text: `Income less expenditure of years not closed at 31 December ${y} (the year's own surplus until it is closed).` },
  { ref: 'reserve', text: 'Changes in the reserve cash (account 1010) in the year: contributions (payments to the reserve, reclassified credit), transfers, drawdowns to operating cash, restorations; reversals with what they reverse.' },
  { ref: 'contributions', text: `The status of contributions for the ${y} budget as of 31 December ${y} (SPEC 9.1): assessed, credited, collected, outstanding, arrears of earlier years, money received, credit held.` },
];

/**
 * The statement as CSV (written by csv-stringify): one row per figure —
 * section, item (the JSON key; a budget year or line code after a colon),
 * current and previous year; the notes are not repeated.
 */
export function financialStatementCsv(s: FinancialStatement): string {
  return toCsv(['section', 'item', String(s.year), String(s.previousYear)], financialStatementRows(s));
}

/** The statement's figures, one row each: section, item, the year, the previous year ('' when there is none) — the rows of the CSV and of the XLSX. */
export function financialStatementRows(s: FinancialStatement): [string, string, string, string][] {
  const rows: [string, string, string, string][] = [];
  const figures = (section: string, o: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(o))
      if (v !== null && typeof v === 'object' && 'current' in v && !Array.isArray(v)) {
        const f = v as Figure;
        rows.push([section, k, f.current, f.previous ?? '']);
      }
  };
  const ie = s.incomeAndExpenditure;
  figures('incomeAndExpenditure', ie);
  for (const b of ie.assessedByBudgetYear) rows.push(['incomeAndExpenditure', `assessedContributions:${b.budgetYear}`, b.current, b.previous ?? '']);
  for (const l of ie.expenditureByLine) rows.push(['incomeAndExpenditure', `expenditure:${l.line ?? 'uncoded'}`, l.current, l.previous ?? '']);
  figures('financialPosition', s.financialPosition);
  for (const b of s.financialPosition.receivablesByYear) rows.push(['financialPosition', `receivables:${b.budgetYear}`, b.current, b.previous ?? '']);
  figures('reserve', s.reserve);
  if (s.contributions) figures('contributions', s.contributions);
  return rows;
}
