/**
 * Corrections (SPEC 9.3): nothing is edited, everything is reversed. A
 * payment, an expenditure or a reserve movement is undone by a reversing
 * journal entry at its own date (or the first open date when that date is in
 * a closed period), recorded in `reversals`, audited, in one transaction; a
 * payment can be reallocated: reversed and recorded anew for the right payer,
 * linked, in the same transaction. Balances as of every date stay a replay of
 * the journal.
 */
import { and, eq } from 'drizzle-orm';
import { maxDate, todayUtc } from '../domain/dates.js';
import { ACCOUNTS, type PostingDraft } from '../domain/ledger.js';
import { formatMoney, minCentimes, sumCentimes } from '../domain/money.js';
import { writeAudit } from '../db/repositories/audit.js';
import { postEntry } from '../db/repositories/ledger.js';
import { applications, expenditures, invoices, journalEntries, payments, reserveMovements, reversals } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { Actor } from './actor.js';
import { appliedOnLine, creditAvailableFrom, insertApplications } from './applications.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { recordPaymentInTx, toPaymentOut, type PaymentInput, type PaymentOut } from './payments.js';
import { assertOpen, firstOpenDate } from './periods.js';
import { availableFrom } from './reserve.js';

export interface ReversalOut {
  id: number;
  entity: 'payment' | 'expenditure' | 'reserve-movement';
  entityId: number;
  date: string;
  reason: string;
  replacementPaymentId: number | null;
}

type ReversalRow = typeof reversals.$inferSelect;

export function toReversalOut(r: ReversalRow): ReversalOut {
  return { id: r.id, entity: r.entityType, entityId: r.entityId, date: r.date, reason: r.reason, replacementPaymentId: r.replacementPaymentId };
}

export function reversalOf(db: DbOrTx, entity: ReversalRow['entityType'], id: number): ReversalRow | undefined {
  return db
    .select()
    .from(reversals)
    .where(and(eq(reversals.entityType, entity), eq(reversals.entityId, id)))
    .get();
}

/**
 * The date of a reversal: the one asked for, else the original's own date —
 * or, when that is in a closed period, the first open date. Never before the
 * original, never in the future, never in a closed period.
 */
function reversalDate(db: DbOrTx, originalDate: string, asked: string | undefined): string {
  const open = firstOpenDate(db);
  const date = asked ?? (open === null ? originalDate : maxDate(originalDate, open));
  const today = todayUtc();
  if (date < originalDate) throw new ValidationError([{ field: 'date', message: `must not be before the original's date (${originalDate})` }]);
  if (date > today) throw new ValidationError([{ field: 'date', message: `must not be in the future (today is ${today})` }]);
  assertOpen(db, date, 'date');
  return date;
}

function originalEntry(db: DbOrTx, entryId: number) {
  return db.select().from(journalEntries).where(eq(journalEntries.id, entryId)).get()!;
}

/**
 * Posts the reversal of a payment and takes back what it applied: the lines
 * it paid are open again (negative application rows); what it left as credit,
 * and what a cancellation gave back to credit from the lines it paid, is
 * taken from the State's credit — refused (409) when that credit has since
 * been used. Returns the journal entry and the reversal's date.
 */
function postPaymentReversal(ctx: Ctx, tx: DbOrTx, actor: Actor, payment: typeof payments.$inferSelect, date: string, reason: string): number {
  const amount = payment.amountCentimes;
  const payer = payment.stateIso3 ?? payment.donor!;
  let postings: PostingDraft[];
  if (payment.purpose === 'assessed') {
    const iso3 = payment.stateIso3!;
    const direct = tx
      .select({ invoice: applications.invoiceNumber, category: applications.category, amount: applications.amountCentimes, year: invoices.year })
      .from(applications)
      .innerJoin(invoices, eq(invoices.number, applications.invoiceNumber))
      .where(and(eq(applications.paymentId, payment.id), eq(applications.source, 'payment')))
      .all();
    // A credit note since (a cancellation, or a revision's partial one) may have given back to credit some of what the
    // payment paid on a line: only what is still applied on the line is opened again; the rest is taken from credit.
    const byLine = new Map<string, (typeof direct)[number]>();
    for (const d of direct) {
      const k = `${d.invoice}|${d.category}`;
      const had = byLine.get(k);
      byLine.set(k, had ? { ...had, amount: had.amount + d.amount } : d);
    }
    const reopened = [...byLine.values()]
      .map((d) => ({ ...d, amount: minCentimes(d.amount, appliedOnLine(tx, d.invoice, d.category)) }))
      .filter((d) => d.amount > 0n);
    const fromCredit = amount - sumCentimes(reopened.map((d) => d.amount));
    if (fromCredit > 0n) {
      const available = creditAvailableFrom(ctx, iso3, date);
      if (available < fromCredit)
        throw new ConflictError(
          `payment ${payment.id} left CHF ${formatMoney(fromCredit)} as credit of ${iso3}, but only CHF ${formatMoney(available > 0n ? available : 0n)} of that credit is still unused from ${date}: reverse or correct what used it first`,
          { field: 'date', paymentId: payment.id },
        );
    }
    postings = [
      { account: ACCOUNTS.operatingCash, amountCentimes: -amount },
      ...reopened.map((d) => ({ account: ACCOUNTS.receivable, amountCentimes: d.amount, stateIso3: iso3, budgetYear: d.year, category: d.category })),
      ...(fromCredit > 0n ? [{ account: ACCOUNTS.unappliedCredit, amountCentimes: fromCredit, stateIso3: iso3 }] : []),
    ];
    const entryId = postEntry(tx, actor, {
      entryDate: date,
      kind: 'payment.reversal',
      description: `Reversal of payment ${payment.id} from ${payer}: ${reason}`,
      refType: 'payment',
      refId: String(payment.id),
      reversesEntryId: payment.journalEntryId,
      postings,
    });
    insertApplications(
      tx,
      { source: 'reversal', paymentId: payment.id, iso3, appliedOn: date, entryId },
      reopened.map((d) => ({ invoiceNumber: d.invoice, category: d.category, amountCentimes: -d.amount })),
    );
    return entryId;
  }
  if (payment.purpose === 'reserve') {
    const available = availableFrom(ctx, ACCOUNTS.reserveCash, date);
    if (available < amount)
      throw new ConflictError(`the reserve holds only CHF ${formatMoney(available > 0n ? available : 0n)} from ${date} on: it cannot give back CHF ${formatMoney(amount)}`, {
        field: 'date',
        paymentId: payment.id,
      });
    postings = [
      { account: ACCOUNTS.reserveCash, amountCentimes: -amount },
      { account: ACCOUNTS.reserveFund, amountCentimes: amount, stateIso3: payment.stateIso3 },
    ];
  } else
    postings = [
      { account: ACCOUNTS.operatingCash, amountCentimes: -amount },
      { account: ACCOUNTS.voluntaryIncome, amountCentimes: amount, stateIso3: payment.stateIso3 },
    ];
  return postEntry(tx, actor, {
    entryDate: date,
    kind: 'payment.reversal',
    description: `Reversal of payment ${payment.id} from ${payer}: ${reason}`,
    refType: 'payment',
    refId: String(payment.id),
    reversesEntryId: payment.journalEntryId,
    postings,
  });
}

function livePayment(tx: DbOrTx, id: number) {
  const payment = tx.select().from(payments).where(eq(payments.id, id)).get();
  if (!payment) throw new NotFoundError(`Payment ${id}`);
  const done = reversalOf(tx, 'payment', id);
  if (done) throw new ConflictError(`payment ${id} was already reversed on ${done.date}`, { field: 'id', paymentId: id });
  return payment;
}

/** POST /payments/{id}/reverse: the payment is undone at its value date (or the first open date); what it paid is open again. */
export function reversePayment(ctx: Ctx, actor: Actor, id: number, input: { reason: string; date?: string | undefined }): { payment: PaymentOut; reversal: ReversalOut } {
  return ctx.db.transaction(
    (tx) => {
      const payment = livePayment(tx, id);
      const date = reversalDate(tx, payment.receivedOn, input.date);
      const entryId = postPaymentReversal(ctx, tx, actor, payment, date, input.reason);
      const [row] = tx
        .insert(reversals)
        .values({ entityType: 'payment', entityId: id, date, reason: input.reason, journalEntryId: entryId, createdBy: actor.username })
        .returning()
        .all();
      writeAudit(tx, actor, 'payment-reversal', String(id), { date, reason: input.reason, amount: formatMoney(payment.amountCentimes) });
      return { payment: toPaymentOut(tx, payment), reversal: toReversalOut(row!) };
    },
    { behavior: 'immediate' },
  );
}

/**
 * POST /payments/{id}/reallocate: the payment reversed and recorded anew for
 * the right payer (a State or a donor), with the same amount, value date and
 * references, in one transaction; the reversal names its replacement.
 */
export function reallocatePayment(
  ctx: Ctx,
  actor: Actor,
  id: number,
  input: { iso3?: string | undefined; donor?: string | undefined; purpose?: PaymentInput['purpose']; invoice?: string | undefined; reason: string },
): { reversed: PaymentOut; payment: PaymentOut; reversal: ReversalOut } {
  return ctx.db.transaction(
    (tx) => {
      const original = livePayment(tx, id);
      const date = reversalDate(tx, original.receivedOn, undefined);
      if (date !== original.receivedOn)
        throw new ConflictError(`payment ${id}'s value date ${original.receivedOn} is in a closed period: reverse it and record the right payment instead`, {
          field: 'id',
          paymentId: id,
        });
      const entryId = postPaymentReversal(ctx, tx, actor, original, date, input.reason);
      const replacement = recordPaymentInTx(ctx, tx, actor, `reallocation-of-${id}`, {
        iso3: input.iso3,
        donor: input.donor,
        amount: formatMoney(original.amountCentimes),
        receivedOn: original.receivedOn,
        currency: original.currency ?? undefined,
        originalAmount: original.originalAmount ?? undefined,
        reference: original.reference ?? undefined,
        bankReference: original.bankReference ?? undefined,
        purpose: input.purpose ?? original.purpose,
        invoice: input.invoice,
        // The reference was checked on the original; the finance officer who moves it decides.
        ignoreReferenceMismatch: true,
        allowDuplicateBankReference: true,
        // The amount and date were accepted on the original (confirmed if large): re-recording them is no new keying.
      }, { plausibility: false });
      const [row] = tx
        .insert(reversals)
        .values({ entityType: 'payment', entityId: id, date, reason: input.reason, replacementPaymentId: replacement.id, journalEntryId: entryId, createdBy: actor.username })
        .returning()
        .all();
      writeAudit(tx, actor, 'payment-reallocation', String(id), { to: input.iso3 ?? input.donor, replacement: replacement.id, reason: input.reason });
      return { reversed: toPaymentOut(tx, original), payment: replacement, reversal: toReversalOut(row!) };
    },
    { behavior: 'immediate' },
  );
}

/** POST /expenditures/{id}/reverse. */
export function reverseExpenditure(ctx: Ctx, actor: Actor, id: number, input: { reason: string; date?: string | undefined }): ReversalOut {
  return ctx.db.transaction(
    (tx) => {
      const e = tx.select().from(expenditures).where(eq(expenditures.id, id)).get();
      if (!e) throw new NotFoundError(`Expenditure ${id}`);
      const done = reversalOf(tx, 'expenditure', id);
      if (done) throw new ConflictError(`expenditure ${id} was already reversed on ${done.date}`, { field: 'id' });
      const date = reversalDate(tx, e.date, input.date);
      const entryId = postEntry(tx, actor, {
        entryDate: date,
        kind: 'expenditure.reversal',
        description: `Reversal of expenditure ${id} (${e.description}): ${input.reason}`,
        refType: 'expenditure',
        refId: String(id),
        reversesEntryId: e.journalEntryId,
        postings: [
          { account: ACCOUNTS.expenditure, amountCentimes: -e.amountCentimes },
          { account: ACCOUNTS.operatingCash, amountCentimes: e.amountCentimes },
        ],
      });
      const [row] = tx
        .insert(reversals)
        .values({ entityType: 'expenditure', entityId: id, date, reason: input.reason, journalEntryId: entryId, createdBy: actor.username })
        .returning()
        .all();
      writeAudit(tx, actor, 'expenditure-reversal', String(id), { date, reason: input.reason, amount: formatMoney(e.amountCentimes) });
      return toReversalOut(row!);
    },
    { behavior: 'immediate' },
  );
}

/**
 * POST /reserve/movements/{id}/reverse. A restoration is reversed with the
 * other parts of its entry (one restoration may repay several drawdowns); a
 * drawdown only once its restorations are reversed; what goes back out of
 * the reserve must be there on that date and every later one.
 */
export function reverseReserveMovement(ctx: Ctx, actor: Actor, id: number, input: { reason: string; date?: string | undefined }): ReversalOut[] {
  return ctx.db.transaction(
    (tx) => {
      const m = tx.select().from(reserveMovements).where(eq(reserveMovements.id, id)).get();
      if (!m) throw new NotFoundError(`Reserve movement ${id}`);
      const done = reversalOf(tx, 'reserve-movement', id);
      if (done) throw new ConflictError(`reserve movement ${id} was already reversed on ${done.date}`, { field: 'id' });
      const parts = tx.select().from(reserveMovements).where(eq(reserveMovements.journalEntryId, m.journalEntryId)).all();
      if (m.kind === 'drawdown') {
        const live = tx
          .select({ id: reserveMovements.id })
          .from(reserveMovements)
          .where(and(eq(reserveMovements.kind, 'restoration'), eq(reserveMovements.drawdownId, id)))
          .all()
          .filter((r) => !reversalOf(tx, 'reserve-movement', r.id));
        if (live.length)
          throw new ConflictError(`drawdown ${id} has restorations (${live.map((r) => r.id).join(', ')}): reverse them first`, { field: 'id' });
      }
      const date = reversalDate(tx, m.date, input.date);
      const total = sumCentimes(parts.map((p) => p.amountCentimes));
      // Money going back out of the reserve (a contribution, a transfer, a restoration reversed) must be there from then on.
      if (m.kind !== 'drawdown') {
        const available = availableFrom(ctx, ACCOUNTS.reserveCash, date);
        if (available < total)
          throw new ConflictError(`the reserve holds only CHF ${formatMoney(available > 0n ? available : 0n)} from ${date} on: it cannot give back CHF ${formatMoney(total)}`, {
            field: 'date',
          });
      }
      const original = originalEntry(tx, m.journalEntryId);
      const entryId = postEntry(tx, actor, {
        entryDate: date,
        kind: `${original.kind}.reversal`,
        description: `Reversal of ${original.description}: ${input.reason}`,
        refType: 'reserve',
        refId: String(id),
        reversesEntryId: m.journalEntryId,
        postings: reversedPostings(ctx, m.journalEntryId),
      });
      const rows = parts.map(
        (p) =>
          tx
            .insert(reversals)
            .values({ entityType: 'reserve-movement', entityId: p.id, date, reason: input.reason, journalEntryId: entryId, createdBy: actor.username })
            .returning()
            .all()[0]!,
      );
      writeAudit(tx, actor, 'reserve-movement-reversal', parts.map((p) => p.id).join(','), { date, reason: input.reason, amount: formatMoney(total) });
      return rows.map(toReversalOut);
    },
    { behavior: 'immediate' },
  );
}

/** The postings of an entry, negated: its reversal (read on the transaction's connection). */
function reversedPostings(ctx: Ctx, entryId: number): PostingDraft[] {
  const rows = ctx.sqlite
    .prepare('SELECT account_code AS account, amount_centimes AS amount, state_iso3 AS state, budget_year AS year, category FROM postings WHERE entry_id = ? ORDER BY id')
    .safeIntegers(true)
    .all(entryId) as { account: PostingDraft['account']; amount: bigint; state: string | null; year: bigint | null; category: string | null }[];
  return rows.map((r) => ({ account: r.account, amountCentimes: -r.amount, stateIso3: r.state, budgetYear: r.year === null ? null : Number(r.year), category: r.category }));
}
