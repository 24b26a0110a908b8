/**
 * The journal: every financial event is written here, inside the caller's
 * transaction, as a balanced double-entry journal entry.
 */
import { assertBalanced, type JournalEntryDraft } from '../../domain/ledger.js';
import type { Actor } from '../../domain/actor.js';
import { cachedStatement, connectionOf, type DbOrTx } from '../client.js';

/**
 * Writes a balanced journal entry and returns its id. Throws (and the caller's transaction rolls back) when unbalanced.
 * Prepared statements compiled once per connection: every financial event passes here (a bank import, thousands).
 */
export function postEntry(tx: DbOrTx, actor: Actor, entry: JournalEntryDraft): number {
  assertBalanced(entry);
  const conn = connectionOf(tx);
  const row = cachedStatement(
    conn,
    `INSERT INTO journal_entries (entry_date, kind, description, ref_type, ref_id, reverses_entry_id, request_id, actor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  ).get(entry.entryDate, entry.kind, entry.description, entry.refType ?? null, entry.refId ?? null, entry.reversesEntryId ?? null, actor.requestId, actor.username) as { id: number };
  const insert = cachedStatement(conn, 'INSERT INTO postings (entry_id, account_code, state_iso3, budget_year, category, amount_centimes) VALUES (?, ?, ?, ?, ?, ?)');
  for (const p of entry.postings) insert.run(row.id, p.account, p.stateIso3 ?? null, p.budgetYear ?? null, p.category ?? null, p.amountCentimes);
  return row.id;
}

/**
 * A State's receivable by budget year (invoiced − credited − applied), from
 * the ledger alone, counting entries dated up to `asOf`. Amounts are bigint.
 */
export function receivableByYear(
  sqlite: import('better-sqlite3').Database,
  iso3: string,
  { asOf, beforeYear }: { asOf: string; beforeYear?: number },
): { year: number; amountCentimes: bigint }[] {
  const rows = sqlite
    .prepare(
      `SELECT p.budget_year AS year, SUM(p.amount_centimes) AS amount
         FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '1100' AND p.state_iso3 = ? AND j.entry_date <= ? AND p.budget_year < ?
        GROUP BY p.budget_year HAVING SUM(p.amount_centimes) <> 0 ORDER BY p.budget_year`,
    )
    .safeIntegers(true)
    .all(iso3, asOf, beforeYear ?? 9999) as { year: bigint; amount: bigint }[];
  return rows.map((r) => ({ year: Number(r.year), amountCentimes: r.amount }));
}
