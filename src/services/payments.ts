/**
 * Money in (SPEC 2.5): payments with an idempotency key, their application
 * to open invoices, the State's unapplied credit, its later application or
 * reclassification. Each event is one database transaction with its
 * balanced journal entry and its audit row.
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { todayUtc } from '../domain/dates.js';
import { ACCOUNTS, type PostingDraft } from '../domain/ledger.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import { allocate, type Allocation, type OpenLine } from '../domain/payments.js';
import { writeAudit } from '../db/repositories/audit.js';
import { postEntry } from '../db/repositories/ledger.js';
import { applications, creditNotes, creditReclassifications, invoiceLines, invoices, payments, reversals } from '../db/schema.js';
import { cachedStatement, connectionOf, type DbOrTx } from '../db/client.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import type { Scope } from './actor.js';
import {
  creditAvailableFrom,
  insertApplications,
  isCancelled,
  openLines,
  planCreditApplication,
  postCreditApplication,
  receivablePostings,
  unappliedCredit,
} from './applications.js';
import { assertOpen } from './periods.js';
import { findState } from './states.js';
import { assertPlausibleDate, checkPaymentPlausibility } from './limits.js';

export interface PaymentInput {
  iso3?: string | undefined;
  donor?: string | undefined;
  amount: string;
  receivedOn: string;
  currency?: string | undefined;
  originalAmount?: string | undefined;
  reference?: string | undefined;
  bankReference?: string | undefined;
  purpose?: 'assessed' | 'voluntary' | 'reserve' | undefined;
  invoice?: string | undefined;
  /** Record it although a payment that is not reversed carries the same bank reference. */
  allowDuplicateBankReference?: boolean | undefined;
  /** Record it for `iso3` although its RF reference is another State's invoice. */
  ignoreReferenceMismatch?: boolean | undefined;
  /** Record it although it is above the large-payment limit (the budget of its year, unless set): the sender has checked it (finding 13). */
  confirmLarge?: boolean | undefined;
}

/** How a payment is recorded: a reallocation re-records an amount and date already accepted, without the plausibility limits. */
export interface RecordOptions {
  plausibility?: boolean;
}

export interface PaymentOut {
  id: number;
  iso3: string | null;
  donor: string | null;
  amount: string;
  receivedOn: string;
  currency: string | null;
  originalAmount: string | null;
  reference: string | null;
  bankReference: string | null;
  purpose: 'assessed' | 'voluntary' | 'reserve';
  invoice: string | null;
  applications: { invoice: string; category: string; amount: string; appliedOn: string }[];
  unapplied: string;
  status: 'recorded' | 'reversed';
  reversal: { date: string; reason: string; replacementPaymentId: number | null } | null;
  createdAt: string;
}

type PaymentRow = typeof payments.$inferSelect;

/** JSON with sorted keys and no undefined: the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function toPaymentOut(db: DbOrTx, row: PaymentRow): PaymentOut {
  const apps = db
    .select()
    .from(applications)
    .where(and(eq(applications.paymentId, row.id), eq(applications.source, 'payment')))
    .orderBy(asc(applications.id))
    .all();
  const applied = sumCentimes(apps.map((a) => a.amountCentimes));
  const reversal = db
    .select()
    .from(reversals)
    .where(and(eq(reversals.entityType, 'payment'), eq(reversals.entityId, row.id)))
    .get();
  return {
    id: row.id,
    iso3: row.stateIso3,
    donor: row.donor,
    amount: formatMoney(row.amountCentimes),
    receivedOn: row.receivedOn,
    currency: row.currency,
    originalAmount: row.originalAmount,
    reference: row.reference,
    bankReference: row.bankReference,
    purpose: row.purpose,
    invoice: row.invoiceNumber,
    applications: apps.map((a) => ({ invoice: a.invoiceNumber, category: a.category, amount: formatMoney(a.amountCentimes), appliedOn: a.appliedOn })),
    unapplied: formatMoney(row.purpose === 'assessed' ? row.amountCentimes - applied : 0n),
    status: reversal ? 'reversed' : 'recorded',
    reversal: reversal ? { date: reversal.date, reason: reversal.reason, replacementPaymentId: reversal.replacementPaymentId } : null,
    createdAt: row.createdAt,
  };
}


export type RecordResult = { payment: PaymentOut; replayed: boolean };

export function recordPayment(ctx: Ctx, actor: Actor, idempotencyKey: string, input: PaymentInput): RecordResult {
  return ctx.db.transaction((tx) => recordOrReplay(ctx, tx, actor, idempotencyKey, input), { behavior: 'immediate' });
}

/**
 * Records a payment inside the caller's transaction (a reallocation records
 * the right payment where it reversed the wrong one; a bank import, each
 * line quoting our reference); a key already used answers 409. Every
 * refusal (a ServiceError) is raised before anything is written, so a caller
 * may catch one and carry on in its transaction (a bank line then waits in
 * the queue with the reason).
 */
export function recordPaymentInTx(ctx: Ctx, tx: DbOrTx, actor: Actor, idempotencyKey: string, input: PaymentInput, opts: RecordOptions = {}): PaymentOut {
  const r = recordOrReplay(ctx, tx, actor, idempotencyKey, input, opts);
  if (r.replayed) throw new ConflictError(`the key ${idempotencyKey} was already used`, { field: 'Idempotency-Key', paymentId: r.payment.id });
  return r.payment;
}

/** A payment whose bank reference is already on a payment that is not reversed. */
function liveWithBankReference(tx: DbOrTx, bankReference: string): { id: number } | undefined {
  return tx
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.bankReference, bankReference),
        sql`NOT EXISTS (SELECT 1 FROM reversals r WHERE r.entity_type = 'payment' AND r.entity_id = ${payments.id})`,
      ),
    )
    .get();
}

/** The invoice fields a payment needs, read with a statement prepared once per connection (every payment reads them). */
function invoiceBy(tx: DbOrTx, column: 'number' | 'creditor_reference', value: string): { number: string; stateIso3: string; issueDate: string } | undefined {
  return cachedStatement(connectionOf(tx), `SELECT number, state_iso3 AS stateIso3, issue_date AS issueDate FROM invoices WHERE ${column} = ?`).get(value) as
    | { number: string; stateIso3: string; issueDate: string }
    | undefined;
}

function recordOrReplay(ctx: Ctx, tx: DbOrTx, actor: Actor, idempotencyKey: string, input: PaymentInput, opts: RecordOptions = {}): RecordResult {
  const conn = connectionOf(tx);
  const requestSha256 = crypto.createHash('sha256').update(canonical(input)).digest('hex');
  const purpose = input.purpose ?? 'assessed';
  const amountCentimes = parseMoney(input.amount);
  const today = todayUtc();
  if (cachedStatement(conn, 'SELECT 1 FROM payments WHERE idempotency_key = ?').get(idempotencyKey)) {
    const existing = tx.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey)).get()!;
    if (existing.requestSha256 !== requestSha256)
      throw new ConflictError('this Idempotency-Key was already used for a different payment; use a new key for a new payment', {
        field: 'Idempotency-Key',
        paymentId: existing.id,
      });
    return { payment: toPaymentOut(tx, existing), replayed: true };
  }
  if (input.receivedOn > today) throw new ValidationError([{ field: 'receivedOn', message: `must not be in the future (today is ${today})` }]);
  const confirmedLarge =
    opts.plausibility === false ? null : checkPaymentPlausibility(tx, { amount: amountCentimes, date: input.receivedOn, confirmLarge: input.confirmLarge });
  assertOpen(tx, input.receivedOn, 'receivedOn');
  if (input.bankReference && !input.allowDuplicateBankReference) {
    const dup = liveWithBankReference(tx, input.bankReference);
    if (dup)
      throw new ConflictError(
        `bank reference ${input.bankReference} is already on payment ${dup.id}; the same transfer recorded twice? (send allowDuplicateBankReference: true if it is really another payment)`,
        { field: 'bankReference', paymentId: dup.id },
      );
  }
  // The invoice an RF creditor reference names, if any: it tells the State when none is given, and must be that State's.
  const ref = input.reference?.replace(/\s+/g, '').toUpperCase();
  const referenced = ref ? invoiceBy(tx, 'creditor_reference', ref) : undefined;
  let iso3 = input.iso3 ?? null;
  if (iso3 === null && input.donor === undefined) {
    if (!referenced)
      throw new ValidationError([{ field: 'iso3', message: 'give iso3 (a State) or donor, or a reference of one of our invoices to take the State from' }]);
    iso3 = referenced.stateIso3;
  }
  if (iso3 && !cachedStatement(conn, 'SELECT 1 FROM states WHERE iso3 = ?').get(iso3)) throw new ValidationError([{ field: 'iso3', message: `unknown State ${iso3}` }]);
  if (referenced && iso3 !== null && referenced.stateIso3 !== iso3 && !input.ignoreReferenceMismatch)
    throw new ValidationError(
      [{ field: 'reference', message: `${ref} is the reference of invoice ${referenced.number} of ${referenced.stateIso3}, not of ${iso3}` }],
      `reference ${ref} is the reference of invoice ${referenced.number} of ${referenced.stateIso3}, not of ${iso3}: check the payer (send ignoreReferenceMismatch: true to record it for ${iso3} anyway)`,
    );

  // The invoice the money is for: named, or recognised by its creditor reference.
  let target: string | null = null;
  if (input.invoice) {
    const inv = invoiceBy(tx, 'number', input.invoice);
    if (!inv || inv.stateIso3 !== iso3) throw new ValidationError([{ field: 'invoice', message: `no invoice ${input.invoice} of ${iso3 ?? 'this payer'}` }]);
    if (isCancelled(tx, inv.number)) throw new ValidationError([{ field: 'invoice', message: `invoice ${inv.number} is cancelled` }]);
    if (inv.issueDate > input.receivedOn)
      throw new ValidationError([{ field: 'invoice', message: `invoice ${inv.number} was issued on ${inv.issueDate}, after the value date` }]);
    target = inv.number;
  } else if (purpose === 'assessed' && referenced) {
    const inv = referenced;
    if (inv.stateIso3 === iso3 && inv.issueDate <= input.receivedOn && !isCancelled(tx, inv.number)) target = inv.number;
  }

  const id = ((cachedStatement(conn, 'SELECT max(id) AS max FROM payments').get() as { max: number | null }).max ?? 0) + 1;
  const payer = iso3 ?? input.donor!;
  let postingsDraft: PostingDraft[];
  let allocations: Allocation[] = [];
  let remainderCentimes = 0n;
  if (purpose === 'assessed') {
    const lines = openLines(tx, iso3!, { asOf: input.receivedOn, invoice: target ?? undefined });
    const result = allocate(amountCentimes, lines);
    allocations = result.allocations;
    remainderCentimes = result.remainderCentimes;
    postingsDraft = [
      { account: ACCOUNTS.operatingCash, amountCentimes },
      ...receivablePostings(iso3!, allocations),
      ...(result.remainderCentimes > 0n ? [{ account: ACCOUNTS.unappliedCredit, amountCentimes: -result.remainderCentimes, stateIso3: iso3 }] : []),
    ];
  } else if (purpose === 'voluntary') {
    postingsDraft = [
      { account: ACCOUNTS.operatingCash, amountCentimes },
      { account: ACCOUNTS.voluntaryIncome, amountCentimes: -amountCentimes, stateIso3: iso3 },
    ];
  } else {
    postingsDraft = [
      { account: ACCOUNTS.reserveCash, amountCentimes },
      { account: ACCOUNTS.reserveFund, amountCentimes: -amountCentimes, stateIso3: iso3 },
    ];
  }
  const entryId = postEntry(tx, actor, {
    entryDate: input.receivedOn,
    kind: 'payment',
    description: `${purpose === 'assessed' ? 'Assessed contribution' : purpose === 'voluntary' ? 'Voluntary contribution' : 'Contribution to the working capital reserve'} from ${payer}${input.bankReference ? ` (bank ref. ${input.bankReference})` : ''}`,
    refType: 'payment',
    refId: String(id),
    postings: postingsDraft,
  });
  const row = {
    id,
    stateIso3: iso3,
    donor: iso3 ? null : (input.donor ?? null),
    currency: input.currency ?? null,
    originalAmount: input.originalAmount ?? null,
    reference: input.reference ?? null,
    bankReference: input.bankReference ?? null,
  };
  const { createdAt } = cachedStatement(
    conn,
    `INSERT INTO payments (id, idempotency_key, request_sha256, state_iso3, donor, amount_centimes, received_on, currency, original_amount, reference,
                           bank_reference, purpose, invoice_number, journal_entry_id, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING created_at AS createdAt`,
  ).get(
    id,
    idempotencyKey,
    requestSha256,
    row.stateIso3,
    row.donor,
    amountCentimes,
    input.receivedOn,
    row.currency,
    row.originalAmount,
    row.reference,
    row.bankReference,
    purpose,
    target,
    entryId,
    actor.username,
  ) as { createdAt: string };
  insertApplications(tx, { source: 'payment', paymentId: id, iso3: iso3 ?? '', appliedOn: input.receivedOn, entryId }, allocations);
  // A new payment: what toPaymentOut would read back, from what was just written (its applications are the allocations; it is not reversed).
  const out: PaymentOut = {
    id,
    iso3: row.stateIso3,
    donor: row.donor,
    amount: formatMoney(amountCentimes),
    receivedOn: input.receivedOn,
    currency: row.currency,
    originalAmount: row.originalAmount,
    reference: row.reference,
    bankReference: row.bankReference,
    purpose,
    invoice: target,
    applications: allocations.map((a) => ({ invoice: a.invoiceNumber, category: a.category, amount: formatMoney(a.amountCentimes), appliedOn: input.receivedOn })),
    unapplied: formatMoney(remainderCentimes),
    status: 'recorded',
    reversal: null,
    createdAt,
  };
  writeAudit(tx, actor, 'payment', String(id), { idempotencyKey, payment: out, ...(confirmedLarge ? { confirmedLarge } : {}) });
  return { payment: out, replayed: false };
}

export function listPayments(ctx: Ctx, filter: { state?: string | undefined; year?: number | undefined }, scope: Scope): PaymentOut[] {
  if (scope !== null && filter.state !== undefined && filter.state !== scope) throw new NotFoundError(`State ${filter.state}`);
  const state = scope ?? filter.state;
  const conds = [
    ...(state !== undefined ? [eq(payments.stateIso3, state)] : []),
    ...(filter.year !== undefined ? [sql`substr(${payments.receivedOn}, 1, 4) = ${String(filter.year)}`] : []),
  ];
  return ctx.db
    .select()
    .from(payments)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(payments.receivedOn), asc(payments.id))
    .all()
    .map((r) => toPaymentOut(ctx.db, r));
}

export function getPayment(ctx: Ctx, id: number, scope: Scope): PaymentOut {
  const row = ctx.db.select().from(payments).where(eq(payments.id, id)).get();
  if (!row || (scope !== null && row.stateIso3 !== scope)) throw new NotFoundError(`Payment ${id}`);
  return toPaymentOut(ctx.db, row);
}

function checkDate(db: DbOrTx, date: string, field: string, notBefore?: { date: string; what: string }) {
  const today = todayUtc();
  assertOpen(db, date, field);
  if (date > today) throw new ValidationError([{ field, message: `must not be in the future (today is ${today})` }]);
  assertPlausibleDate(db, field, date);
  if (notBefore && date < notBefore.date) throw new ValidationError([{ field, message: `must not be before ${notBefore.what} (${notBefore.date})` }]);
}

/** Applies unapplied credit to an invoice of the State (7(a) before 7(b)); all of what is available and open unless `amount` is given. */
export function applyCredit(
  ctx: Ctx,
  actor: Actor,
  iso3: string,
  input: { invoice: string; amount?: string | undefined; date?: string | undefined },
): { iso3: string; invoice: string; applied: string; applications: { category: string; amount: string }[]; unappliedCredit: string } {
  return ctx.db.transaction(
    (tx) => {
      if (!findState(tx, iso3)) throw new NotFoundError(`State ${iso3}`);
      const inv = tx.select().from(invoices).where(eq(invoices.number, input.invoice)).get();
      if (!inv || inv.stateIso3 !== iso3) throw new ValidationError([{ field: 'invoice', message: `no invoice ${input.invoice} of ${iso3}` }]);
      if (isCancelled(tx, inv.number)) throw new ValidationError([{ field: 'invoice', message: `invoice ${inv.number} is cancelled` }]);
      const date = input.date ?? todayUtc();
      checkDate(tx, date, 'date', { date: inv.issueDate, what: "the invoice's issue date" });
      const available = creditAvailableFrom(ctx, iso3, date);
      const lines = openLines(tx, iso3, { asOf: date, invoice: inv.number });
      const open = sumCentimes(lines.map((l) => (l.openCentimes > 0n ? l.openCentimes : 0n)));
      if (available <= 0n) throw new ValidationError([{ field: 'invoice', message: `${iso3} has no unapplied credit` }]);
      if (open === 0n) throw new ValidationError([{ field: 'invoice', message: `invoice ${inv.number} has nothing left to pay` }]);
      let amount = available < open ? available : open;
      if (input.amount !== undefined) {
        const requested = parseMoney(input.amount);
        if (requested === 0n) throw new ValidationError([{ field: 'amount', message: 'must be greater than 0' }]);
        if (requested > available)
          throw new ValidationError([{ field: 'amount', message: `exceeds the unapplied credit of ${formatMoney(available)} by ${formatMoney(requested - available)}` }]);
        if (requested > open)
          throw new ValidationError([{ field: 'amount', message: `exceeds what is open on ${inv.number} (${formatMoney(open)}) by ${formatMoney(requested - open)}` }]);
        amount = requested;
      }
      const { allocations } = allocate(amount, lines);
      const entryId = postEntry(tx, actor, {
        entryDate: date,
        kind: 'credit-application',
        description: `Unapplied credit of ${iso3} applied to invoice ${inv.number}`,
        refType: 'invoice',
        refId: inv.number,
        postings: [{ account: ACCOUNTS.unappliedCredit, amountCentimes: amount, stateIso3: iso3 }, ...receivablePostings(iso3, allocations)],
      });
      insertApplications(tx, { source: 'credit', paymentId: null, iso3, appliedOn: date, entryId }, allocations);
      writeAudit(tx, actor, 'credit-application', inv.number, { iso3, amount: formatMoney(amount) });
      return {
        iso3,
        invoice: inv.number,
        applied: formatMoney(amount),
        applications: allocations.map((a) => ({ category: a.category, amount: formatMoney(a.amountCentimes) })),
        unappliedCredit: formatMoney(unappliedCredit(ctx, iso3)),
      };
    },
    { behavior: 'immediate' },
  );
}

/** Turns unapplied credit into a voluntary contribution to the core budget or a contribution to the reserve. */
export function reclassifyCredit(
  ctx: Ctx,
  actor: Actor,
  iso3: string,
  input: { amount: string; to: 'voluntary' | 'reserve'; date?: string | undefined },
): { id: number; iso3: string; amount: string; to: 'voluntary' | 'reserve'; date: string; unappliedCredit: string } {
  return ctx.db.transaction(
    (tx) => {
      if (!findState(tx, iso3)) throw new NotFoundError(`State ${iso3}`);
      const date = input.date ?? todayUtc();
      checkDate(tx, date, 'date');
      const amount = parseMoney(input.amount);
      if (amount === 0n) throw new ValidationError([{ field: 'amount', message: 'must be greater than 0' }]);
      const available = creditAvailableFrom(ctx, iso3, date);
      if (amount > available)
        throw new ValidationError([{ field: 'amount', message: `exceeds the unapplied credit of ${formatMoney(available)} by ${formatMoney(amount - available)}` }]);
      const postingsDraft: PostingDraft[] =
        input.to === 'voluntary'
          ? [
              { account: ACCOUNTS.unappliedCredit, amountCentimes: amount, stateIso3: iso3 },
              { account: ACCOUNTS.voluntaryIncome, amountCentimes: -amount, stateIso3: iso3 },
            ]
          : [
              { account: ACCOUNTS.unappliedCredit, amountCentimes: amount, stateIso3: iso3 },
              { account: ACCOUNTS.reserveFund, amountCentimes: -amount, stateIso3: iso3 },
              { account: ACCOUNTS.reserveCash, amountCentimes: amount },
              { account: ACCOUNTS.operatingCash, amountCentimes: -amount },
            ];
      const entryId = postEntry(tx, actor, {
        entryDate: date,
        kind: 'reclassification',
        description: `Unapplied credit of ${iso3} reclassified as ${input.to === 'voluntary' ? 'a voluntary contribution' : 'a contribution to the working capital reserve'}`,
        refType: 'state',
        refId: iso3,
        postings: postingsDraft,
      });
      const [row] = tx.insert(creditReclassifications).values({ stateIso3: iso3, amountCentimes: amount, to: input.to, date, journalEntryId: entryId }).returning().all();
      writeAudit(tx, actor, 'credit-reclassification', String(row!.id), { iso3, amount: formatMoney(amount), to: input.to, date });
      return { id: row!.id, iso3, amount: formatMoney(amount), to: input.to, date, unappliedCredit: formatMoney(unappliedCredit(ctx, iso3)) };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Applies every State's unapplied credit to its open invoices issued by
 * `date`, oldest first (SPEC 9.2): the one-off for credit held from before
 * credit was applied when an invoice is issued. One transaction; States with
 * nothing to apply are left out of the answer.
 */
export function applyHeldCredit(ctx: Ctx, actor: Actor, date = todayUtc()): { iso3: string; applied: string; unappliedCredit: string }[] {
  checkDate(ctx.db, date, 'date');
  return ctx.db.transaction(
    (tx) => {
      const holders = ctx.sqlite
        .prepare(
          `SELECT p.state_iso3 AS iso3 FROM postings p JOIN journal_entries j ON j.id = p.entry_id
            WHERE p.account_code = '2100' AND p.state_iso3 IS NOT NULL AND j.entry_date <= ?
            GROUP BY p.state_iso3 HAVING SUM(p.amount_centimes) < 0 ORDER BY p.state_iso3`,
        )
        .all(date) as { iso3: string }[];
      const out: { iso3: string; applied: string; unappliedCredit: string }[] = [];
      for (const { iso3 } of holders) {
        const plan = planCreditApplication(ctx, tx, iso3, date);
        if (plan.amountCentimes === 0n) continue;
        postCreditApplication(tx, actor, iso3, date, plan, { refType: 'state', refId: iso3, description: `Unapplied credit of ${iso3} applied to its open invoices` });
        out.push({ iso3, applied: formatMoney(plan.amountCentimes), unappliedCredit: formatMoney(unappliedCredit(ctx, iso3, date)) });
      }
      return out;
    },
    { behavior: 'immediate' },
  );
}
