/**
 * The database schema. Money is INTEGER centimes read into `bigint`; rates and
 * fractions are exact decimal TEXT; dates are ISO TEXT; timestamps are UTC
 * ISO TEXT. Migrations are generated from this file with drizzle-kit
 * (`npm run db:generate`) and committed under db/migrations; the append-only
 * triggers live in a hand-written migration next to them.
 */
import { sql } from 'drizzle-orm';
import type { FormalNames } from '../domain/addressee.js';
import { check, customType, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Integer centimes ↔ bigint. Values are always far inside the safe-integer range (see MAX_CENTIMES). */
export const centimes = customType<{ data: bigint; driverData: number | bigint }>({
  dataType: () => 'integer',
  toDriver: (value) => value,
  fromDriver: (value) => {
    if (typeof value === 'bigint') return value;
    if (!Number.isSafeInteger(value)) throw new Error(`centimes column holds a non-integer or unsafe value`);
    return BigInt(value);
  },
});

/** A Mission's postal address in Geneva (the QR-bill debtor's structured address). */
export interface MissionAddress {
  street: string;
  buildingNumber?: string | undefined;
  postalCode: string;
  city: string;
  countryCode: string;
}

const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

export const states = sqliteTable(
  'states',
  {
    iso3: text('iso3').primaryKey(),
    nameEn: text('name_en').notNull(),
    nameFr: text('name_fr'),
    nameEs: text('name_es'),
    unMember: integer('un_member', { mode: 'boolean' }).notNull(),
    language: text('language', { enum: ['en', 'fr', 'es'] }).notNull(),
    instrument: text('instrument', { enum: ['ratification', 'accession', 'acceptance', 'approval'] }),
    signatureDate: text('signature_date'),
    depositDate: text('deposit_date'),
    entryIntoForce: text('entry_into_force'),
    entryIntoForceSource: text('entry_into_force_source', { enum: ['computed', 'explicit'] }).notNull(),
    withdrawalEffective: text('withdrawal_effective'),
    billingAddressLines: text('billing_address_lines', { mode: 'json' }).$type<string[]>().notNull(),
    billingEmails: text('billing_emails', { mode: 'json' }).$type<string[]>().notNull(),
    /** The Mission's formal name with its article per language (SPEC 9.10); null: not known, documents use the billing lines. */
    formalNames: text('formal_names', { mode: 'json' }).$type<FormalNames>(),
    /** BCP 47 tag of the State's number convention ("es-MX"); null: the default of its language. */
    numberLocale: text('number_locale'),
    /** The Mission's postal address, structured for the QR-bill's debtor; null: the billing lines. */
    missionAddress: text('mission_address', { mode: 'json' }).$type<MissionAddress>(),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    check('states_iso3_format', sql`${t.iso3} GLOB '[A-Z][A-Z][A-Z]'`),
    check('states_entry_into_force', sql`${t.entryIntoForce} IS NOT NULL OR ${t.depositDate} IS NULL`),
  ],
);

export const scales = sqliteTable('scales', {
  code: text('code').primaryKey(),
  title: text('title').notNull(),
  source: text('source').notNull(),
  createdAt: createdAt(),
});

export const scaleRates = sqliteTable(
  'scale_rates',
  {
    scaleCode: text('scale_code')
      .notNull()
      .references(() => scales.code),
    iso3: text('iso3').notNull(),
    /** Percent, exact decimal text with at most 6 decimals. */
    rate: text('rate').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scaleCode, t.iso3] })],
);

export interface StoredCategory {
  code: string;
  label: string;
  labels?: { fr?: string; es?: string };
  share: string;
  method: 'equal' | 'scale';
  maxShare?: string;
  minShare?: string;
}
export interface StoredScheme {
  categories: StoredCategory[];
  missingRate?: string;
}

export const budgets = sqliteTable(
  'budgets',
  {
    year: integer('year').primaryKey(),
    amountCentimes: centimes('amount_centimes').notNull(),
    currency: text('currency').notNull().default('CHF'),
    decisionRef: text('decision_ref').notNull(),
    approvedOn: text('approved_on').notNull(),
    membershipDate: text('membership_date').notNull(),
    cutoffDate: text('cutoff_date').notNull(),
    scaleCode: text('scale_code')
      .notNull()
      .references(() => scales.code),
    scheme: text('scheme', { mode: 'json' }).$type<StoredScheme>().notNull(),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    check('budgets_amount_nonnegative', sql`${t.amountCentimes} >= 0`),
    check('budgets_cutoff_after_approval', sql`${t.cutoffDate} >= ${t.approvedOn}`),
  ],
);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  role: text('role', { enum: ['admin', 'finance', 'presidency', 'auditor', 'state'] }).notNull(),
  stateIso3: text('state_iso3').references(() => states.iso3),
  /** scrypt$N$r$p$salt$hash (base64url). */
  passwordHash: text('password_hash').notNull(),
  disabledAt: text('disabled_at'),
  /** The language of the web pages the user chose (en, fr, es); null until chosen (SPEC 9.9). */
  language: text('language', { enum: ['en', 'fr', 'es'] }),
  createdAt: createdAt(),
});

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    label: text('label').notNull(),
    createdAt: createdAt(),
    revokedAt: text('revoked_at'),
    /** UTC timestamp after which the token is refused (SPEC 9.8: default 365 days after its creation). */
    expiresAt: text('expires_at'),
    /** UTC timestamp of the token's last successful use. */
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash)],
);

/**
 * A proposed change of the issuer's settings that touches where money goes
 * (IBAN, bank, account holder, QR creditor; SPEC 9.8 "four eyes"): it takes
 * effect only when a second admin approves it. Append-only; its outcome is
 * its row in issuer_change_decisions.
 */
export const issuerChanges = sqliteTable('issuer_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** The complete issuer settings proposed, as PUT /settings/issuer takes them. */
  settings: text('settings', { mode: 'json' }).notNull(),
  /** The settings in force when it was proposed (what the approver compares against). */
  previous: text('previous', { mode: 'json' }),
  proposedByUserId: integer('proposed_by_user_id').references(() => users.id),
  proposedBy: text('proposed_by').notNull(),
  reason: text('reason'),
  createdAt: createdAt(),
});

/** The outcome of a proposed issuer change: one row at most per change. Append-only. */
export const issuerChangeDecisions = sqliteTable('issuer_change_decisions', {
  changeId: integer('change_id')
    .primaryKey()
    .references(() => issuerChanges.id),
  /** approved: in force from then; rejected by an admin; superseded: a newer proposal replaced it. */
  decision: text('decision', { enum: ['approved', 'rejected', 'superseded'] }).notNull(),
  decidedByUserId: integer('decided_by_user_id').references(() => users.id),
  decidedBy: text('decided_by').notNull(),
  reason: text('reason'),
  createdAt: createdAt(),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const accounts = sqliteTable('accounts', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  type: text('type', { enum: ['asset', 'liability', 'equity', 'income', 'expense'] }).notNull(),
});

export const journalEntries = sqliteTable(
  'journal_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryDate: text('entry_date').notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    refType: text('ref_type'),
    refId: text('ref_id'),
    reversesEntryId: integer('reverses_entry_id'),
    requestId: text('request_id'),
    actor: text('actor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('journal_entries_ref').on(t.refType, t.refId), index('journal_entries_date').on(t.entryDate)],
);

export const postings = sqliteTable(
  'postings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => journalEntries.id),
    accountCode: text('account_code')
      .notNull()
      .references(() => accounts.code),
    stateIso3: text('state_iso3').references(() => states.iso3),
    budgetYear: integer('budget_year'),
    category: text('category'),
    /** Debit positive, credit negative. */
    amountCentimes: centimes('amount_centimes').notNull(),
  },
  (t) => [
    check('postings_nonzero', sql`${t.amountCentimes} <> 0`),
    index('postings_entry').on(t.entryId),
    index('postings_account_state').on(t.accountCode, t.stateIso3),
  ],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: integer('user_id'),
    username: text('username').notNull(),
    role: text('role').notNull(),
    requestId: text('request_id'),
    /** e.g. "POST /api/v1/budgets" or "cli: seed-demo". */
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_log_entity').on(t.entityType, t.entityId)],
);

/** The assessment as it stood when the first invoice of the year was issued: frozen from then on. */
export const assessmentSnapshots = sqliteTable('assessment_snapshots', {
  year: integer('year')
    .primaryKey()
    .references(() => budgets.year),
  document: text('document', { mode: 'json' }).notNull(),
  sha256: text('sha256').notNull(),
  frozenAt: text('frozen_at').notNull(),
});

export const invoices = sqliteTable(
  'invoices',
  {
    number: text('number').primaryKey(),
    year: integer('year')
      .notNull()
      .references(() => budgets.year),
    seq: integer('seq').notNull(),
    /**
     * 'assessment' for the batch; 'late' for a State that became assessed after
     * the batch ran (SPEC 9.3); 'supplementary' for a budget revision; 'reissue'
     * for an invoice issued again after a cancellation made by mistake.
     */
    kind: text('kind', { enum: ['assessment', 'supplementary', 'late', 'reissue'] }).notNull(),
    stateIso3: text('state_iso3')
      .notNull()
      .references(() => states.iso3),
    issueDate: text('issue_date').notNull(),
    cutoffDate: text('cutoff_date').notNull(),
    language: text('language', { enum: ['en', 'fr', 'es'] }).notNull(),
    totalCentimes: centimes('total_centimes').notNull(),
    creditorReference: text('creditor_reference').notNull(),
    /** A re-issued invoice: the cancelled invoice it replaces (a supplementary one: the invoice it adds to). */
    originalInvoice: text('original_invoice'),
    /** A supplementary invoice of a budget revision: the version it follows. */
    budgetVersion: integer('budget_version'),
    /** The exact data the PDF was rendered from (InvoiceDocument), so it can be rendered again byte for byte. */
    document: text('document', { mode: 'json' }).notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_year_seq').on(t.year, t.seq),
    uniqueIndex('invoices_creditor_reference').on(t.creditorReference),
    uniqueIndex('invoices_one_assessment_per_state').on(t.year, t.stateIso3).where(sql`kind = 'assessment'`),
    uniqueIndex('invoices_one_late_per_state').on(t.year, t.stateIso3).where(sql`kind = 'late'`),
    uniqueIndex('invoices_one_reissue_per_original').on(t.originalInvoice).where(sql`kind = 'reissue'`),
    uniqueIndex('invoices_one_supplementary_per_version').on(t.year, t.stateIso3, t.budgetVersion).where(sql`kind = 'supplementary'`),
    index('invoices_state').on(t.stateIso3, t.year),
    check('invoices_total_positive', sql`${t.totalCentimes} > 0`),
    check('invoices_pdf_sha256', sql`length(${t.pdfSha256}) = 64`),
  ],
);

export const invoiceLines = sqliteTable(
  'invoice_lines',
  {
    invoiceNumber: text('invoice_number')
      .notNull()
      .references(() => invoices.number),
    /** Order of the category in the scheme: payments apply to lower positions first (7(a) before 7(b)). */
    position: integer('position').notNull(),
    category: text('category').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.invoiceNumber, t.category] }), check('invoice_lines_nonnegative', sql`${t.amountCentimes} >= 0`)],
);

export const creditNotes = sqliteTable(
  'credit_notes',
  {
    number: text('number').primaryKey(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    invoiceNumber: text('invoice_number')
      .notNull()
      .references(() => invoices.number),
    stateIso3: text('state_iso3')
      .notNull()
      .references(() => states.iso3),
    issueDate: text('issue_date').notNull(),
    reason: text('reason').notNull(),
    /** 'cancellation': the whole invoice (what is left of it) is credited; 'partial': some lines, by `credit_note_lines` (a budget revision). */
    kind: text('kind', { enum: ['cancellation', 'partial'] })
      .notNull()
      .default('cancellation'),
    /** A partial credit note of a budget revision: the version it follows. */
    budgetVersion: integer('budget_version'),
    totalCentimes: centimes('total_centimes').notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('credit_notes_year_seq').on(t.year, t.seq),
    uniqueIndex('credit_notes_one_cancellation_per_invoice').on(t.invoiceNumber).where(sql`kind = 'cancellation'`),
    uniqueIndex('credit_notes_one_partial_per_version').on(t.invoiceNumber, t.budgetVersion).where(sql`kind = 'partial'`),
  ],
);

/** The lines a partial credit note credits (a cancellation credits what is left of every line). */
export const creditNoteLines = sqliteTable(
  'credit_note_lines',
  {
    creditNoteNumber: text('credit_note_number')
      .notNull()
      .references(() => creditNotes.number),
    category: text('category').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.creditNoteNumber, t.category] }), check('credit_note_lines_positive', sql`${t.amountCentimes} > 0`)],
);

/**
 * Budget revisions (SPEC 9.3): version 1 is the budget as first invoiced (its
 * frozen assessment); each revision adds a version with its decision, its
 * parameters and its assessment. Append-only.
 */
export const budgetVersions = sqliteTable(
  'budget_versions',
  {
    year: integer('year')
      .notNull()
      .references(() => budgets.year),
    version: integer('version').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
    scaleCode: text('scale_code')
      .notNull()
      .references(() => scales.code),
    scheme: text('scheme', { mode: 'json' }).$type<StoredScheme>().notNull(),
    decisionRef: text('decision_ref').notNull(),
    approvedOn: text('approved_on').notNull(),
    reason: text('reason').notNull(),
    assessment: text('assessment', { mode: 'json' }).notNull(),
    /** What the revision issues, State by State, computed with the version: replayed to complete an interrupted run. */
    plan: text('plan', { mode: 'json' }).notNull(),
    sha256: text('sha256').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.year, t.version] }), check('budget_versions_from_2', sql`${t.version} >= 2`)],
);

/** Money received: assessed contributions, voluntary contributions, contributions to the reserve (SPEC 2.5). */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The client's Idempotency-Key: the same key records one payment. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the canonical request body, to tell a replay from a different request under the same key. */
    requestSha256: text('request_sha256').notNull(),
    stateIso3: text('state_iso3').references(() => states.iso3),
    donor: text('donor'),
    amountCentimes: centimes('amount_centimes').notNull(),
    receivedOn: text('received_on').notNull(),
    currency: text('currency'),
    originalAmount: text('original_amount'),
    reference: text('reference'),
    bankReference: text('bank_reference'),
    purpose: text('purpose', { enum: ['assessed', 'voluntary', 'reserve'] }).notNull(),
    /** The invoice the money was directed to (named, or matched by its creditor reference). */
    invoiceNumber: text('invoice_number').references(() => invoices.number),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payments_idempotency_key').on(t.idempotencyKey),
    index('payments_state').on(t.stateIso3, t.receivedOn),
    check('payments_amount_positive', sql`${t.amountCentimes} > 0`),
    check('payments_payer', sql`(${t.stateIso3} IS NULL) <> (${t.donor} IS NULL)`),
    check('payments_assessed_by_state', sql`${t.purpose} <> 'assessed' OR ${t.stateIso3} IS NOT NULL`),
  ],
);

/**
 * Money applied to an invoice line: from a payment as it arrives, or later
 * from the State's unapplied credit. A cancellation releases what was applied
 * back to credit with a negative row (rows are never edited).
 */
export const applications = sqliteTable(
  'applications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `reversal`: what a reversed payment had applied, taken back (negative rows). */
    source: text('source', { enum: ['payment', 'credit', 'cancellation', 'reversal'] }).notNull(),
    paymentId: integer('payment_id').references(() => payments.id),
    stateIso3: text('state_iso3')
      .notNull()
      .references(() => states.iso3),
    invoiceNumber: text('invoice_number')
      .notNull()
      .references(() => invoices.number),
    category: text('category').notNull(),
    appliedOn: text('applied_on').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
  },
  (t) => [
    index('applications_invoice').on(t.invoiceNumber, t.category),
    index('applications_state').on(t.stateIso3),
    check('applications_nonzero', sql`${t.amountCentimes} <> 0`),
  ],
);

/** Unapplied credit turned into a voluntary contribution (core budget) or a contribution to the reserve. */
export const creditReclassifications = sqliteTable(
  'credit_reclassifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stateIso3: text('state_iso3')
      .notNull()
      .references(() => states.iso3),
    amountCentimes: centimes('amount_centimes').notNull(),
    to: text('to', { enum: ['voluntary', 'reserve'] }).notNull(),
    date: text('date').notNull(),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdAt: createdAt(),
  },
  (t) => [check('credit_reclassifications_positive', sql`${t.amountCentimes} > 0`)],
);

/** The reserve target as set by the MSP; the latest row is in force. */
export const reserveTargets = sqliteTable('reserve_targets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  amountCentimes: centimes('amount_centimes').notNull(),
  decisionRef: text('decision_ref').notNull(),
  setAt: text('set_at').notNull(),
});

/** Movements of the working capital reserve (SPEC 2.6). Contributions arriving as payments or reclassified credit are in the ledger. */
export const reserveMovements = sqliteTable(
  'reserve_movements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['contribution', 'transfer', 'drawdown', 'restoration'] }).notNull(),
    date: text('date').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
    stateIso3: text('state_iso3').references(() => states.iso3),
    donor: text('donor'),
    /** Reason of a drawdown; justification of a transfer; description of a contribution. */
    description: text('description').notNull(),
    /** The drawdown a restoration restores. */
    drawdownId: integer('drawdown_id'),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('reserve_movements_positive', sql`${t.amountCentimes} > 0`),
    check('reserve_movements_restoration', sql`(${t.kind} = 'restoration') = (${t.drawdownId} IS NOT NULL)`),
    index('reserve_movements_kind').on(t.kind, t.date),
  ],
);

export const expenditures = sqliteTable(
  'expenditures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    date: text('date').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
    description: text('description').notNull(),
    /** The budget the expenditure executes (SPEC 9.5); null only for rows recorded before budget years were kept. */
    budgetYear: integer('budget_year'),
    /** The budget line's code; required when that budget has lines. */
    line: text('line'),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdAt: createdAt(),
  },
  (t) => [check('expenditures_positive', sql`${t.amountCentimes} > 0`), index('expenditures_date').on(t.date), index('expenditures_budget').on(t.budgetYear, t.line)],
);

/** The monthly spending plan of a budget year (default: budget ÷ 12); a plan, not a financial event, so it may be edited. */
export const spendingPlans = sqliteTable(
  'spending_plans',
  {
    year: integer('year')
      .notNull()
      .references(() => budgets.year),
    month: integer('month').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.month] }), check('spending_plans_month', sql`${t.month} BETWEEN 1 AND 12`), check('spending_plans_amount', sql`${t.amountCentimes} >= 0`)],
);

/**
 * Corrections (SPEC 9.3): a payment, an expenditure or a reserve movement
 * undone by a reversing journal entry — never edited, never deleted. Each is
 * reversed at most once; a reallocated payment names the payment recorded in
 * its place.
 */
export const reversals = sqliteTable(
  'reversals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entityType: text('entity_type', { enum: ['payment', 'expenditure', 'reserve-movement'] }).notNull(),
    entityId: integer('entity_id').notNull(),
    date: text('date').notNull(),
    reason: text('reason').notNull(),
    replacementPaymentId: integer('replacement_payment_id').references(() => payments.id),
    journalEntryId: integer('journal_entry_id')
      .notNull()
      .references(() => journalEntries.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reversals_once').on(t.entityType, t.entityId)],
);

/**
 * Period locks (SPEC 9.4): each row sets the date through which no entry may
 * be dated; the latest row is in force (a reopening sets an earlier date, or
 * none). Append-only, audited.
 */
export const periodLocks = sqliteTable('period_locks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  action: text('action', { enum: ['close', 'reopen'] }).notNull(),
  /** Entries dated on or before this date are refused; null: nothing is locked. */
  through: text('through'),
  reason: text('reason').notNull(),
  actor: text('actor').notNull(),
  at: text('at').notNull(),
});

/**
 * Bank statements imported (SPEC 9.6): one row per camt.053 statement or
 * camt.054 notification, identified by the SHA-256 of the file it came from.
 * Append-only.
 */
export const bankStatements = sqliteTable(
  'bank_statements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'camt.053' (statement) or 'camt.054' (notification). */
    messageType: text('message_type', { enum: ['camt.053', 'camt.054'] }).notNull(),
    /** e.g. '001.08', from the namespace. */
    messageVersion: text('message_version').notNull(),
    /** GrpHdr/MsgId. */
    messageId: text('message_id').notNull(),
    /** Stmt/Id or Ntfctn/Id. */
    statementId: text('statement_id').notNull(),
    /** Which of the ISU's accounts: 'operating' or 'reserve'. */
    accountRole: text('account_role', { enum: ['operating', 'reserve'] }).notNull(),
    iban: text('iban').notNull(),
    currency: text('currency').notNull(),
    /** Bal with code CLBD (camt.053 only). */
    closingBalanceCentimes: centimes('closing_balance_centimes'),
    closingBalanceDate: text('closing_balance_date'),
    fileSha256: text('file_sha256').notNull(),
    entryCount: integer('entry_count').notNull(),
    importedBy: text('imported_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('bank_statements_file').on(t.fileSha256, t.statementId)],
);

/**
 * One booked entry of a bank statement (SPEC 9.6), as the bank reported it.
 * `entryKey` (AcctSvcrRef, or MsgId/StmtId/position) makes the same entry
 * arriving in two files one line. Immutable; what was done with it is in
 * `bank_line_actions`.
 */
export const bankLines = sqliteTable(
  'bank_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    statementId: integer('statement_id')
      .notNull()
      .references(() => bankStatements.id),
    iban: text('iban').notNull(),
    entryKey: text('entry_key').notNull(),
    direction: text('direction', { enum: ['credit', 'debit'] }).notNull(),
    bookingDate: text('booking_date').notNull(),
    valueDate: text('value_date').notNull(),
    /** In the account's currency, always positive; `direction` says which way. */
    amountCentimes: centimes('amount_centimes').notNull(),
    currency: text('currency').notNull(),
    /** When the bank converted: the instructed amount (exact decimal text), its currency and the rate. */
    originalCurrency: text('original_currency'),
    originalAmount: text('original_amount'),
    exchangeRate: text('exchange_rate'),
    acctSvcrRef: text('acct_svcr_ref'),
    endToEndId: text('end_to_end_id'),
    debtorName: text('debtor_name'),
    debtorIban: text('debtor_iban'),
    /** RmtInf/Strd/CdtrRefInf/Ref, as printed (RF… or a 27-digit QRR). */
    structuredReference: text('structured_reference'),
    /** RmtInf/Ustrd, joined with a space. */
    unstructured: text('unstructured'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('bank_lines_entry').on(t.iban, t.entryKey),
    index('bank_lines_statement').on(t.statementId),
    check('bank_lines_amount_positive', sql`${t.amountCentimes} > 0`),
  ],
);

/** What was done with a bank line: at most one action per line. Append-only. */
export const bankLineActions = sqliteTable(
  'bank_line_actions',
  {
    lineId: integer('line_id')
      .primaryKey()
      .references(() => bankLines.id),
    action: text('action', { enum: ['payment', 'other-income', 'bank-charges', 'ignored'] }).notNull(),
    /** True when the import matched it by its creditor reference. */
    automatic: integer('automatic', { mode: 'boolean' }).notNull(),
    paymentId: integer('payment_id').references(() => payments.id),
    expenditureId: integer('expenditure_id').references(() => expenditures.id),
    journalEntryId: integer('journal_entry_id').references(() => journalEntries.id),
    reason: text('reason'),
    actor: text('actor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('bank_line_actions_payment').on(t.paymentId)],
);

/** Reminder letters (SPEC 9.7): `REM-{year}-{seq}`, one per State per day, stored with the PDF's SHA-256. Append-only. */
export const reminders = sqliteTable(
  'reminders',
  {
    number: text('number').primaryKey(),
    stateIso3: text('state_iso3')
      .notNull()
      .references(() => states.iso3),
    asOf: text('as_of').notNull(),
    issueDate: text('issue_date').notNull(),
    /** 1 for the first reminder of these invoices, then 2, 3… */
    level: integer('level').notNull(),
    totalCentimes: centimes('total_centimes').notNull(),
    /** The creditor reference (RF) printed on the letter's QR-bill: a payment quoting it is the State's, applied oldest first. */
    reference: text('reference').notNull(),
    language: text('language', { enum: ['en', 'fr', 'es'] }).notNull(),
    document: text('document', { mode: 'json' }).notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reminders_one_per_state_per_day').on(t.stateIso3, t.issueDate),
    uniqueIndex('reminders_reference').on(t.reference),
    check('reminders_total_positive', sql`${t.totalCentimes} > 0`),
  ],
);

export const reminderLines = sqliteTable(
  'reminder_lines',
  {
    reminderNumber: text('reminder_number')
      .notNull()
      .references(() => reminders.number),
    invoiceNumber: text('invoice_number')
      .notNull()
      .references(() => invoices.number),
    dueDate: text('due_date').notNull(),
    outstandingCentimes: centimes('outstanding_centimes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reminderNumber, t.invoiceNumber] }), index('reminder_lines_invoice').on(t.invoiceNumber)],
);

/**
 * Every attempt to deliver a document (SPEC 9.7), one row per recipient and
 * attempt: the latest row for (kind, document, recipient) is its status.
 * Append-only.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['invoice', 'credit-note', 'reminder', 'statement'] }).notNull(),
    /** Invoice, credit-note or reminder number; for a statement `{ISO3}@{asOf}`. */
    document: text('document').notNull(),
    stateIso3: text('state_iso3')
      .notNull()
      .references(() => states.iso3),
    recipient: text('recipient').notNull(),
    transport: text('transport', { enum: ['smtp', 'file'] }).notNull(),
    status: text('status', { enum: ['sent', 'failed', 'written'] }).notNull(),
    messageId: text('message_id'),
    /** The SMTP server's answer, or the error; the file written for `file`. */
    response: text('response'),
    attachmentSha256: text('attachment_sha256').notNull(),
    resend: integer('resend', { mode: 'boolean' }).notNull(),
    /** The failed attempt this one retries. */
    retryOf: integer('retry_of'),
    actor: text('actor').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('deliveries_document').on(t.kind, t.document, t.recipient), index('deliveries_status').on(t.status)],
);

/**
 * The lines of a budget (SPEC 9.5) in each of its versions: version 1 as
 * adopted, then one set per revision (a revision may move money between
 * lines). The lines of a version sum exactly to its amount. Append-only.
 */
export const budgetLines = sqliteTable(
  'budget_lines',
  {
    year: integer('year')
      .notNull()
      .references(() => budgets.year),
    version: integer('version').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    /** Display order within the budget. */
    position: integer('position').notNull(),
    amountCentimes: centimes('amount_centimes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.year, t.version, t.code] }),
    check('budget_lines_amount_nonnegative', sql`${t.amountCentimes} >= 0`),
    check('budget_lines_version', sql`${t.version} >= 1`),
  ],
);

/**
 * Year-end closing (SPEC 9.4): the year locked through 31 December and its
 * income and expenditure closed to the accumulated fund by one journal entry.
 * One row per year; append-only.
 */
export const yearClosings = sqliteTable('year_closings', {
  year: integer('year').primaryKey(),
  /** The closing entry; null when the year had no income or expenditure to close. */
  journalEntryId: integer('journal_entry_id').references(() => journalEntries.id),
  periodLockId: integer('period_lock_id')
    .notNull()
    .references(() => periodLocks.id),
  surplusCentimes: centimes('surplus_centimes').notNull(),
  actor: text('actor').notNull(),
  createdAt: createdAt(),
});
