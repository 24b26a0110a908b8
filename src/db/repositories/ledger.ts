/**
 * The journal: every financial event is written here, inside the caller's
 * transaction, as a balanced double-entry journal entry.
 */
import { assertBalanced, type JournalEntryDraft } from '../../domain/ledger.js';
import type { Actor } from '../../domain/actor.js';
import type { DbOrTx } from '../client.js';
import { journalEntries, postings } from '../schema.js';

/** Writes a balanced journal entry and returns its id. Throws (and the caller's transaction rolls back) when unbalanced. */
export function postEntry(tx: DbOrTx, actor: Actor, entry: JournalEntryDraft): number {
  assertBalanced(entry);
  const [row] = tx
    .insert(journalEntries)
    .values({
      entryDate: entry.entryDate,
      kind: entry.kind,
      description: entry.description,
      refType: entry.refType ?? null,
      refId: entry.refId ?? null,
      reversesEntryId: entry.reversesEntryId ?? null,
      requestId: actor.requestId,
      actor: actor.username,
    })
    .returning({ id: journalEntries.id })
    .all();
  const entryId = row!.id;
  tx.insert(postings)
    .values(
      entry.postings.map((p) => ({
        entryId,
        accountCode: p.account,
        stateIso3: p.stateIso3 ?? null,
        budgetYear: p.budgetYear ?? null,
        category: p.category ?? null,
        amountCentimes: p.amountCentimes,
      })),
    )
    .run();
  return entryId;
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
