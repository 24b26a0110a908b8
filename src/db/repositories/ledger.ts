/**
 * The journal: every financial event is written here, inside the caller's
 * transaction, as a balanced double-entry journal entry.
 */
import { assertBalanced, type JournalEntryDraft } from '../../domain/ledger.js';
import type { Actor } from '../../services/actor.js';
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
