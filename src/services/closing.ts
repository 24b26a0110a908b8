/**
 * Year-end closing (SPEC 9.4): `closeYear` locks through 31 December and, in
 * the same transaction, posts the one entry that carries the year's income
 * (4xxx) and expenditure (5xxx) — the postings of entries dated in the year —
 * to the accumulated fund (3200), with a `year_closings` row. Idempotent:
 * a closed year answers its closing again and posts nothing. Years close in
 * order. The closing entry is the only entry allowed into the locked year
 * (it is written here, not through the services that check the lock; `isu
 * verify` knows it by its `year_closings` row).
 */
import { eq } from 'drizzle-orm';
import { closingEntry, surplusOf, type AccountBalance } from '../domain/closing.js';
import { todayUtc } from '../domain/dates.js';
import type { AccountCode } from '../domain/ledger.js';
import { formatMoney } from '../domain/money.js';
import { writeAudit } from '../db/repositories/audit.js';
import { postEntry } from '../db/repositories/ledger.js';
import { yearClosings } from '../db/schema.js';
import { connectionOf, type DbOrTx } from '../db/client.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { currentLockId, lockedThrough, lockInTx } from './periods.js';

export interface YearClosingOut {
  year: number;
  /** The closing entry; null when the year had no income or expenditure left to close. */
  journalEntryId: number | null;
  /** The period lock in force when the year was closed (through 31 December or later). */
  periodLockId: number;
  lockedThrough: string;
  /** Income − expenditure of the entries dated in the year, carried to the accumulated fund (negative: a deficit). */
  surplus: string;
  /** What the closing entry moved, account by account (the amount posted: an income account is debited by its income). */
  postings: { account: string; amount: string }[];
  actor: string;
  createdAt: string;
}

/** Income and expense balances of the entries dated in `year` (the closing entry, once posted, included). */
export function incomeExpenseBalances(db: DbOrTx, year: number): AccountBalance[] {
  const rows = connectionOf(db)
    .prepare(
      `SELECT p.account_code AS account, SUM(p.amount_centimes) AS balance FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE (p.account_code LIKE '4%' OR p.account_code LIKE '5%') AND j.entry_date BETWEEN ? AND ?
        GROUP BY p.account_code ORDER BY p.account_code`,
    )
    .safeIntegers(true)
    .all(`${year}-01-01`, `${year}-12-31`) as { account: AccountCode; balance: bigint }[];
  return rows.map((r) => ({ account: r.account, balanceCentimes: r.balance }));
}

function closingOut(db: DbOrTx, year: number): YearClosingOut | null {
  const row = db.select().from(yearClosings).where(eq(yearClosings.year, year)).get();
  if (!row) return null;
  const conn = connectionOf(db);
  const lock = conn.prepare('SELECT through FROM period_locks WHERE id = ?').get(row.periodLockId) as { through: string };
  const postings =
    row.journalEntryId === null
      ? []
      : (conn.prepare('SELECT account_code AS account, amount_centimes AS amount FROM postings WHERE entry_id = ? ORDER BY id').safeIntegers(true).all(row.journalEntryId) as {
          account: string;
          amount: bigint;
        }[]);
  return {
    year,
    journalEntryId: row.journalEntryId,
    periodLockId: row.periodLockId,
    lockedThrough: lock.through,
    surplus: formatMoney(row.surplusCentimes),
    postings: postings.map((p) => ({ account: p.account, amount: formatMoney(p.amount) })),
    actor: row.actor,
    createdAt: row.createdAt,
  };
}

/** The closing of `year` (404 when it is not closed). */
export function getYearClosing(ctx: Ctx, year: number): YearClosingOut {
  const out = closingOut(ctx.db, year);
  if (!out) throw new NotFoundError(`the closing of ${year}`);
  return out;
}

/** Every closed year, oldest first. */
export function closedYears(db: DbOrTx): number[] {
  return (connectionOf(db).prepare('SELECT year FROM year_closings ORDER BY year').all() as { year: number }[]).map((r) => r.year);
}

/** Closes `year`; `created` is false when it was already closed (nothing written). */
export function closeYear(ctx: Ctx, actor: Actor, year: number, input: { reason: string }): { created: boolean; closing: YearClosingOut } {
  const end = `${year}-12-31`;
  const today = todayUtc();
  return ctx.db.transaction(
    (tx) => {
      const done = closingOut(tx, year);
      if (done) return { created: false, closing: done };
      if (end >= today) throw new ValidationError([{ field: 'year', message: `${year} is not over (today is ${today}): a year closes after its 31 December` }]);
      const conn = connectionOf(tx);
      const later = conn.prepare('SELECT MIN(year) AS year FROM year_closings WHERE year > ?').get(year) as { year: number | null };
      if (later.year !== null) throw new ConflictError(`${later.year} is already closed: years close in order`, { field: 'year', closedYear: later.year });
      const open = conn
        .prepare(
          `SELECT MIN(CAST(substr(j.entry_date, 1, 4) AS INTEGER)) AS year FROM journal_entries j JOIN postings p ON p.entry_id = j.id
            WHERE (p.account_code LIKE '4%' OR p.account_code LIKE '5%') AND j.entry_date < ?
              AND CAST(substr(j.entry_date, 1, 4) AS INTEGER) NOT IN (SELECT year FROM year_closings)`,
        )
        .get(`${year}-01-01`) as { year: number | null };
      if (open.year !== null)
        throw new ConflictError(`${open.year} has income or expenditure and is not closed: close ${open.year} first (years close in order)`, { field: 'year', openYear: open.year });

      const current = lockedThrough(tx);
      const lockId = current !== null && current >= end ? currentLockId(tx)! : lockInTx(tx, actor, end, `Closing of ${year}: ${input.reason}`);
      const balances = incomeExpenseBalances(tx, year);
      const draft = closingEntry(year, balances);
      const entryId = draft === null ? null : postEntry(tx, actor, draft);
      const surplus = surplusOf(balances);
      tx.insert(yearClosings).values({ year, journalEntryId: entryId, periodLockId: lockId, surplusCentimes: surplus, actor: actor.username }).run();
      writeAudit(tx, actor, 'year-closing', String(year), { journalEntryId: entryId, periodLockId: lockId, surplus: formatMoney(surplus), reason: input.reason });
      return { created: true, closing: closingOut(tx, year)! };
    },
    { behavior: 'immediate' },
  );
}
