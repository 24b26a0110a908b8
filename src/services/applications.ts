/**
 * Applications of money to invoice lines, shared by payments (money in),
 * credit (money held) and invoices (cancellation releases what was applied).
 * Kept apart so that the payments and invoices services need not import each other.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { ACCOUNTS, type PostingDraft } from '../domain/ledger.js';
import { allocate, type Allocation, type OpenLine } from '../domain/payments.js';
import { formatMoney, sumCentimes, type Centimes } from '../domain/money.js';
import type { Actor } from '../domain/actor.js';
import { writeAudit } from '../db/repositories/audit.js';
import { postEntry } from '../db/repositories/ledger.js';
import { applications, creditNoteLines, creditNotes } from '../db/schema.js';
import { cachedStatement, connectionOf, type DbOrTx } from '../db/client.js';
import type { Ctx } from './context.js';

export function insertApplications(
  tx: DbOrTx,
  base: { source: 'payment' | 'credit' | 'cancellation' | 'reversal'; paymentId: number | null; iso3: string; appliedOn: string; entryId: number },
  allocations: { invoiceNumber: string; category: string; amountCentimes: Centimes }[],
) {
  if (allocations.length === 0) return;
  const insert = cachedStatement(
    connectionOf(tx),
    'INSERT INTO applications (source, payment_id, state_iso3, invoice_number, category, applied_on, amount_centimes, journal_entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const a of allocations) insert.run(base.source, base.paymentId, base.iso3, a.invoiceNumber, a.category, base.appliedOn, a.amountCentimes, base.entryId);
}

/**
 * On a credit note: money applied to the invoice beyond what is left to pay
 * goes back to the State's unapplied credit (negative application rows;
 * postings for the credit note's entry). A cancellation keeps nothing, so
 * all of it goes back; a partial credit note keeps, per line, what is left of
 * it after the credit (`keep`, by category).
 */
export function releaseApplications(
  tx: DbOrTx,
  invoiceNumber: string,
  iso3: string,
  year: number,
  keep: ReadonlyMap<string, Centimes> = new Map(),
): { rows: { invoiceNumber: string; category: string; amountCentimes: Centimes }[]; postings: PostingDraft[] } {
  const applied = tx
    .select({ category: applications.category, amount: sql<string>`CAST(SUM(${applications.amountCentimes}) AS TEXT)` })
    .from(applications)
    .where(eq(applications.invoiceNumber, invoiceNumber))
    .groupBy(applications.category)
    .all()
    .map((a) => ({ category: a.category, amountCentimes: BigInt(a.amount) - (keep.get(a.category) ?? 0n) }))
    .filter((a) => a.amountCentimes > 0n);
  const total = sumCentimes(applied.map((a) => a.amountCentimes));
  if (total === 0n) return { rows: [], postings: [] };
  return {
    rows: applied.map((a) => ({ invoiceNumber, category: a.category, amountCentimes: -a.amountCentimes })),
    postings: [
      ...applied.map((a) => ({ account: ACCOUNTS.receivable, amountCentimes: a.amountCentimes, stateIso3: iso3, budgetYear: year, category: a.category })),
      { account: ACCOUNTS.unappliedCredit, amountCentimes: -total, stateIso3: iso3 },
    ],
  };
}

export function insertReleaseRows(tx: DbOrTx, iso3: string, date: string, entryId: number, rows: { invoiceNumber: string; category: string; amountCentimes: Centimes }[]) {
  insertApplications(tx, { source: 'cancellation', paymentId: null, iso3, appliedOn: date, entryId }, rows);
}

/** What is applied on an invoice line now, from every source (payments, credit, releases, reversals). */
export function appliedOnLine(db: DbOrTx, invoiceNumber: string, category: string): Centimes {
  const row = db
    .select({ amount: sql<string>`CAST(COALESCE(SUM(${applications.amountCentimes}), 0) AS TEXT)` })
    .from(applications)
    .where(and(eq(applications.invoiceNumber, invoiceNumber), eq(applications.category, category)))
    .get();
  return BigInt(row!.amount);
}

export function isCancelled(db: DbOrTx, number: string): boolean {
  return cachedStatement(connectionOf(db), "SELECT 1 FROM credit_notes WHERE invoice_number = ? AND kind = 'cancellation'").get(number) !== undefined;
}

/** What partial credit notes (budget revisions) have credited on each line of an invoice, by category. */
export function partiallyCredited(db: DbOrTx, invoiceNumbers: readonly string[]): Map<string, Centimes> {
  if (invoiceNumbers.length === 0) return new Map();
  const rows = db
    .select({ invoice: creditNotes.invoiceNumber, category: creditNoteLines.category, amount: sql<string>`CAST(SUM(${creditNoteLines.amountCentimes}) AS TEXT)` })
    .from(creditNoteLines)
    .innerJoin(creditNotes, eq(creditNotes.number, creditNoteLines.creditNoteNumber))
    .where(and(eq(creditNotes.kind, 'partial'), inArray(creditNotes.invoiceNumber, [...invoiceNumbers])))
    .groupBy(creditNotes.invoiceNumber, creditNoteLines.category)
    .all();
  return new Map(rows.map((r) => [`${r.invoice}|${r.category}`, BigInt(r.amount)]));
}

/**
 * The open lines of a State's invoices issued by `asOf` (not cancelled), or of one invoice, by invoice and
 * category: each line less what partial credit notes credited and what is applied on it. One statement,
 * prepared once per connection (every assessed payment reads it).
 */
export function openLines(db: DbOrTx, iso3: string, opts: { asOf: string; invoice?: string | undefined }): OpenLine[] {
  const rows = cachedStatement(
    connectionOf(db),
    `SELECT l.invoice_number AS invoiceNumber, i.year, i.issue_date AS issueDate, l.position, l.category,
            l.amount_centimes
              - (SELECT COALESCE(SUM(cl.amount_centimes), 0) FROM credit_note_lines cl JOIN credit_notes c ON c.number = cl.credit_note_number
                  WHERE c.invoice_number = l.invoice_number AND c.kind = 'partial' AND cl.category = l.category)
              - (SELECT COALESCE(SUM(a.amount_centimes), 0) FROM applications a WHERE a.invoice_number = l.invoice_number AND a.category = l.category) AS open
       FROM invoices i JOIN invoice_lines l ON l.invoice_number = i.number
      WHERE i.state_iso3 = @iso3 AND i.issue_date <= @asOf AND (@invoice IS NULL OR i.number = @invoice)
        AND NOT EXISTS (SELECT 1 FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'cancellation')
      ORDER BY l.invoice_number, l.category`,
    { bigints: true },
  ).all({ iso3, asOf: opts.asOf, invoice: opts.invoice ?? null }) as { invoiceNumber: string; year: bigint; issueDate: string; position: bigint; category: string; open: bigint }[];
  return rows.map((r) => ({
    invoiceNumber: r.invoiceNumber,
    budgetYear: Number(r.year),
    issueDate: r.issueDate,
    position: Number(r.position),
    category: r.category,
    openCentimes: r.open,
  }));
}

/** The State's unapplied credit now (from the ledger: the credit balance of its account 2100). */
export function unappliedCredit(ctx: Pick<Ctx, 'sqlite'>, iso3: string, asOf = '9999-12-31'): Centimes {
  const row = ctx.sqlite
    .prepare(
      `SELECT COALESCE(SUM(p.amount_centimes), 0) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '2100' AND p.state_iso3 = ? AND j.entry_date <= ?`,
    )
    .safeIntegers(true)
    .get(iso3, asOf) as { s: bigint };
  return -row.s;
}

/**
 * Credit that can be used on `date` without making the State's credit
 * negative at that date or any later one: the lowest credit balance from
 * `date` on (credit entered later, e.g. a later payment, cannot fund an
 * earlier application).
 */
export function creditAvailableFrom(ctx: Pick<Ctx, 'sqlite'>, iso3: string, date: string): Centimes {
  const rows = ctx.sqlite
    .prepare(
      `SELECT j.entry_date AS date, SUM(p.amount_centimes) AS delta FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = '2100' AND p.state_iso3 = ? AND j.entry_date > ? GROUP BY j.entry_date ORDER BY j.entry_date`,
    )
    .safeIntegers(true)
    .all(iso3, date) as { date: string; delta: bigint }[];
  let credit = unappliedCredit(ctx, iso3, date);
  let lowest = credit;
  for (const r of rows) {
    credit -= r.delta;
    if (credit < lowest) lowest = credit;
  }
  return lowest;
}

export function receivablePostings(iso3: string, allocations: Allocation[]): PostingDraft[] {
  return allocations.map((a) => ({
    account: ACCOUNTS.receivable,
    amountCentimes: -a.amountCentimes,
    stateIso3: iso3,
    budgetYear: a.budgetYear,
    category: a.category,
  }));
}

export interface CreditPlan {
  /** Credit to apply: what is available from the date, up to what is open. */
  amountCentimes: Centimes;
  allocations: Allocation[];
}

/**
 * Credit is used before anyone is chased (SPEC 9.2): the State's credit
 * available from `date` (never more than it holds at any later date), applied
 * to its open invoice lines oldest first; `extra` adds the lines of an invoice
 * being issued, which is not in the database yet.
 */
export function planCreditApplication(ctx: Pick<Ctx, 'sqlite'>, db: DbOrTx, iso3: string, date: string, extra: readonly OpenLine[] = []): CreditPlan {
  const available = creditAvailableFrom(ctx, iso3, date);
  if (available <= 0n) return { amountCentimes: 0n, allocations: [] };
  const { allocations, remainderCentimes } = allocate(available, [...openLines(db, iso3, { asOf: date }), ...extra]);
  return { amountCentimes: available - remainderCentimes, allocations };
}

/** Posts a planned credit application (one journal entry, its application rows, its audit row); nothing when the plan is empty. */
export function postCreditApplication(
  tx: DbOrTx,
  actor: Actor,
  iso3: string,
  date: string,
  plan: CreditPlan,
  ref: { refType: string; refId: string; description: string },
): void {
  if (plan.amountCentimes === 0n) return;
  const entryId = postEntry(tx, actor, {
    entryDate: date,
    kind: 'credit-application',
    description: ref.description,
    refType: ref.refType,
    refId: ref.refId,
    postings: [{ account: ACCOUNTS.unappliedCredit, amountCentimes: plan.amountCentimes, stateIso3: iso3 }, ...receivablePostings(iso3, plan.allocations)],
  });
  insertApplications(tx, { source: 'credit', paymentId: null, iso3, appliedOn: date, entryId }, plan.allocations);
  writeAudit(tx, actor, 'credit-application', ref.refId, {
    iso3,
    date,
    amount: formatMoney(plan.amountCentimes),
    applications: plan.allocations.map((x) => ({ invoice: x.invoiceNumber, category: x.category, amount: formatMoney(x.amountCentimes) })),
  });
}
