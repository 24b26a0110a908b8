/**
 * The queue of bank lines (SPEC 9.6): what each line is (unmatched, matched
 * to a payment, booked as other income or bank charges, ignored), why an
 * unmatched one waits and who it may be from; and what finance does with it.
 * Each action is one transaction with its journal entry (through the
 * payments or expenditures service) and its audit row; a line is dealt with
 * once (409 after).
 */
import { todayUtc } from '../../domain/dates.js';
import { ACCOUNTS } from '../../domain/ledger.js';
import { formatMoney } from '../../domain/money.js';
import { cachedStatement } from '../../db/client.js';
import { writeAudit } from '../../db/repositories/audit.js';
import { postEntry } from '../../db/repositories/ledger.js';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { recordPaymentInTx, type PaymentInput } from '../payments.js';
import { assertOpen, lockedThrough } from '../periods.js';
import { recordExpenditureInTx } from '../reserve.js';
import { getIssuer } from '../settings.js';
import { cashAccountsOf, getBankAccounts, type AccountRole } from './accounts.js';
import type { CamtLine } from './camt.js';
import { balanceComparison } from './import.js';
import { creditorReferenceOf } from '../../domain/bank-matching.js';
import { decide, paymentKeyOf, suggestionData, suggestionsFor, type LineFacts, type Suggestion, type SuggestionData } from './matching.js';

export type LineStatus = 'unmatched' | 'matched' | 'booked' | 'ignored';
type ActionKind = 'payment' | 'other-income' | 'bank-charges' | 'ignored';

export interface BankLineOut {
  id: number;
  statement: { id: number; messageType: string; messageId: string; statementId: string };
  accountRole: AccountRole;
  iban: string;
  entryKey: string;
  direction: 'credit' | 'debit';
  bookingDate: string;
  valueDate: string;
  amount: string;
  currency: string;
  original: { currency: string; amount: string; rate: string | null } | null;
  bankReference: string | null;
  endToEndId: string | null;
  debtor: { name: string | null; iban: string | null };
  structuredReference: string | null;
  unstructured: string | null;
  status: LineStatus;
  action: {
    kind: ActionKind;
    automatic: boolean;
    paymentId: number | null;
    expenditureId: number | null;
    journalEntryId: number | null;
    reason: string | null;
    actor: string;
    at: string;
  } | null;
  queueReason: string | null;
  suggestions: Suggestion[];
}

/** A stored line (as the bank reported it, see CamtLine) with its statement and what was done with it. */
type LineRow = LineFacts &
  Pick<CamtLine, 'bookingDate' | 'acctSvcrRef' | 'endToEndId' | 'debtorIban'> & {
  statementDbId: number;
  messageType: string;
  messageId: string;
  statementId: string;
  role: AccountRole;
  exchangeRate: string | null;
  action: ActionKind | null;
  automatic: bigint | null;
  paymentId: bigint | null;
  expenditureId: bigint | null;
  journalEntryId: bigint | null;
  reason: string | null;
  actor: string | null;
  at: string | null;
};

const SELECT_LINES = `SELECT l.id, s.id AS statementDbId, s.message_type AS messageType, s.message_id AS messageId, s.statement_id AS statementId,
    s.account_role AS role, l.iban, l.entry_key AS entryKey, l.direction, l.booking_date AS bookingDate, l.value_date AS valueDate,
    l.amount_centimes AS amountCentimes, l.currency, l.original_currency AS originalCurrency, l.original_amount AS originalAmount,
    l.exchange_rate AS exchangeRate, l.acct_svcr_ref AS acctSvcrRef, l.end_to_end_id AS endToEndId, l.debtor_name AS debtorName,
    l.debtor_iban AS debtorIban, l.structured_reference AS structuredReference, l.unstructured,
    a.action, a.automatic, a.payment_id AS paymentId, a.expenditure_id AS expenditureId, a.journal_entry_id AS journalEntryId,
    a.reason, a.actor, a.created_at AS at
  FROM bank_lines l JOIN bank_statements s ON s.id = l.statement_id LEFT JOIN bank_line_actions a ON a.line_id = l.id`;

const STATUS_OF: Record<ActionKind, LineStatus> = { payment: 'matched', 'other-income': 'booked', 'bank-charges': 'booked', ignored: 'ignored' };
const STATUS_SQL: Record<LineStatus, string> = {
  unmatched: 'a.action IS NULL',
  matched: "a.action = 'payment'",
  booked: "a.action IN ('other-income', 'bank-charges')",
  ignored: "a.action = 'ignored'",
};

interface ReadContext {
  data: SuggestionData;
  lockedThrough: string | null;
  liveBankReference: (ref: string) => number | null;
}

function readContext(ctx: Ctx): ReadContext {
  const live = cachedStatement(
    ctx.sqlite,
    `SELECT id FROM payments p WHERE bank_reference = ? AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'payment' AND v.entity_id = p.id)`,
  );
  return {
    data: suggestionData(ctx.sqlite, getIssuer(ctx.db)?.invoicePrefix ?? 'ISU'),
    lockedThrough: lockedThrough(ctx.db),
    liveBankReference: (ref) => (live.get(ref) as { id: number } | undefined)?.id ?? null,
  };
}

function toOut(ctx: Ctx, r: LineRow, rc: ReadContext): BankLineOut {
  const status: LineStatus = r.action === null ? 'unmatched' : STATUS_OF[r.action];
  let queueReason: string | null = null;
  let suggestions: Suggestion[] = [];
  if (status === 'unmatched') {
    const d = decide(ctx.sqlite, r, { role: r.role, lockedThrough: rc.lockedThrough, liveBankReference: rc.liveBankReference });
    queueReason = 'reason' in d ? d.reason : `its reference is ${d.target.kind} ${d.target.number} of ${d.target.iso3}: it can be matched as suggested`;
    suggestions = suggestionsFor(ctx.sqlite, r, r.role, rc.data);
  }
  return {
    id: r.id,
    statement: { id: r.statementDbId, messageType: r.messageType, messageId: r.messageId, statementId: r.statementId },
    accountRole: r.role,
    iban: r.iban,
    entryKey: r.entryKey,
    direction: r.direction,
    bookingDate: r.bookingDate,
    valueDate: r.valueDate,
    amount: formatMoney(r.amountCentimes),
    currency: r.currency,
    original: r.originalCurrency && r.originalAmount ? { currency: r.originalCurrency, amount: r.originalAmount, rate: r.exchangeRate } : null,
    bankReference: r.acctSvcrRef,
    endToEndId: r.endToEndId,
    debtor: { name: r.debtorName, iban: r.debtorIban },
    structuredReference: r.structuredReference,
    unstructured: r.unstructured,
    status,
    action:
      r.action === null
        ? null
        : {
            kind: r.action,
            automatic: r.automatic === 1n,
            paymentId: r.paymentId === null ? null : Number(r.paymentId),
            expenditureId: r.expenditureId === null ? null : Number(r.expenditureId),
            journalEntryId: r.journalEntryId === null ? null : Number(r.journalEntryId),
            reason: r.reason,
            actor: r.actor!,
            at: r.at!,
          },
    queueReason,
    suggestions,
  };
}

function rowsWhere(ctx: Ctx, where: string, ...params: unknown[]): LineRow[] {
  const rows = ctx.sqlite
    .prepare(`${SELECT_LINES} ${where} ORDER BY l.value_date, l.id`)
    .safeIntegers(true)
    .all(...params) as (Omit<LineRow, 'id' | 'statementDbId'> & { id: bigint; statementDbId: bigint })[];
  return rows.map((r) => ({ ...r, id: Number(r.id), statementDbId: Number(r.statementDbId) }));
}

export function listBankLines(ctx: Ctx, filter: { status?: LineStatus | undefined; statement?: number | undefined } = {}): BankLineOut[] {
  const conds = [...(filter.status ? [STATUS_SQL[filter.status]] : []), ...(filter.statement !== undefined ? ['s.id = ?'] : [])];
  const rows = rowsWhere(ctx, conds.length ? `WHERE ${conds.join(' AND ')}` : '', ...(filter.statement !== undefined ? [filter.statement] : []));
  const rc = readContext(ctx);
  return rows.map((r) => toOut(ctx, r, rc));
}

export function getBankLine(ctx: Ctx, id: number): BankLineOut {
  const [row] = rowsWhere(ctx, 'WHERE l.id = ?', id);
  if (!row) throw new NotFoundError(`Bank line ${id}`);
  return toOut(ctx, row, readContext(ctx));
}

/** The line, not yet dealt with (404, 409), inside the action's transaction. */
function openLine(ctx: Ctx, id: number): LineRow {
  const [row] = rowsWhere(ctx, 'WHERE l.id = ?', id);
  if (!row) throw new NotFoundError(`Bank line ${id}`);
  if (row.action !== null)
    throw new ConflictError(`bank line ${id} was already dealt with (${row.action}${row.paymentId !== null ? `: payment ${row.paymentId}` : ''}) by ${row.actor} on ${row.at}`, { field: 'id' });
  return row;
}

function insertAction(
  tx: DbOrTx,
  ctx: Ctx,
  actor: Actor,
  lineId: number,
  a: { action: ActionKind; paymentId?: number; expenditureId?: number; journalEntryId?: number; reason?: string },
): void {
  cachedStatement(
    ctx.sqlite,
    'INSERT INTO bank_line_actions (line_id, action, automatic, payment_id, expenditure_id, journal_entry_id, reason, actor) VALUES (?, ?, 0, ?, ?, ?, ?, ?)',
  ).run(lineId, a.action, a.paymentId ?? null, a.expenditureId ?? null, a.journalEntryId ?? null, a.reason ?? null, actor.username);
  writeAudit(tx, actor, 'bank-line', String(lineId), a);
}

function inChf(row: LineRow) {
  if (row.currency !== 'CHF')
    throw new ValidationError([{ field: 'id', message: `bank line ${row.id} is on an account kept in ${row.currency}; the ledger is kept in CHF` }]);
}

export interface MatchInput {
  iso3?: string | undefined;
  donor?: string | undefined;
  purpose: 'assessed' | 'voluntary' | 'reserve';
  invoice?: string | undefined;
  ignoreReferenceMismatch?: boolean | undefined;
  /** Above the large-payment limit: the finance officer has checked the amount (finding 13). */
  confirmLarge?: boolean | undefined;
}

/**
 * Records a credit line as the payment finance names (a State or donor, a
 * purpose, maybe an invoice), with the line's amount, value date, original
 * currency and bank reference. Money on the reserve account is a
 * contribution to the reserve; with a reserve account of its own, money on
 * the operating account is not.
 */
export function matchBankLine(ctx: Ctx, actor: Actor, id: number, input: MatchInput): BankLineOut {
  ctx.db.transaction(
    (tx) => {
      const row = openLine(ctx, id);
      if (row.direction !== 'credit') throw new ValidationError([{ field: 'id', message: `bank line ${id} is money out: book it as bank charges, or ignore it` }]);
      inChf(row);
      const accounts = getBankAccounts(tx);
      if (row.role === 'reserve' && input.purpose !== 'reserve')
        throw new ValidationError([{ field: 'purpose', message: 'the money came to the reserve account: it can only be a contribution to the reserve (purpose "reserve")' }]);
      if (row.role === 'operating' && input.purpose === 'reserve' && accounts.reserve)
        throw new ValidationError([{ field: 'purpose', message: `the money came to the operating account; the reserve has an account of its own (${accounts.reserve.iban}): record it as assessed or voluntary, or have the bank move it` }]);
      const reference = row.structuredReference === null ? undefined : (creditorReferenceOf(row.structuredReference) ?? row.structuredReference.slice(0, 140));
      const converted = row.originalCurrency !== null && row.originalAmount !== null && row.originalCurrency !== 'CHF';
      const payment: PaymentInput = {
        iso3: input.iso3,
        donor: input.donor,
        amount: formatMoney(row.amountCentimes),
        receivedOn: row.valueDate,
        ...(converted ? { currency: row.originalCurrency!, originalAmount: row.originalAmount! } : {}),
        ...(reference ? { reference } : {}),
        bankReference: row.entryKey,
        purpose: input.purpose,
        invoice: input.invoice,
        ignoreReferenceMismatch: input.ignoreReferenceMismatch,
        confirmLarge: input.confirmLarge,
      };
      const recorded = recordPaymentInTx(ctx, tx, actor, paymentKeyOf(row), payment);
      insertAction(tx, ctx, actor, id, { action: 'payment', paymentId: recorded.id });
    },
    { behavior: 'immediate' },
  );
  return getBankLine(ctx, id);
}

/**
 * Books a line without a payer: a credit as other income (Dr cash, Cr 4300),
 * a debit as bank charges (an expenditure, through the expenditures service,
 * so every expenditure report sees it). Dated at the value date.
 */
export function bookBankLine(ctx: Ctx, actor: Actor, id: number, input: { as: 'other-income' | 'bank-charges'; line?: string | undefined }): BankLineOut {
  ctx.db.transaction(
    (tx) => {
      const row = openLine(ctx, id);
      inChf(row);
      if (row.role === 'reserve')
        throw new ValidationError([{ field: 'as', message: 'a line of the reserve account is matched as a contribution to the reserve or ignored: the reserve moves only through its own records' }]);
      const text = [row.unstructured, row.debtorName].filter((t) => t !== null).join(' — ');
      const ref = row.acctSvcrRef ?? row.entryKey;
      if (input.as === 'other-income') {
        if (row.direction !== 'credit') throw new ValidationError([{ field: 'as', message: `bank line ${id} is money out: book it as bank-charges` }]);
        assertOpen(tx, row.valueDate, 'valueDate');
        if (row.valueDate > todayUtc()) throw new ValidationError([{ field: 'valueDate', message: `${row.valueDate} is in the future` }]);
        const [cash] = cashAccountsOf(getBankAccounts(tx), row.role);
        const entryId = postEntry(tx, actor, {
          entryDate: row.valueDate,
          kind: 'other-income',
          description: `Other income (bank ref. ${ref})${text ? `: ${text}` : ''}`,
          refType: 'bank-line',
          refId: String(id),
          postings: [
            { account: cash!, amountCentimes: row.amountCentimes },
            { account: ACCOUNTS.otherIncome, amountCentimes: -row.amountCentimes },
          ],
        });
        insertAction(tx, ctx, actor, id, { action: 'other-income', journalEntryId: entryId });
        return;
      }
      if (row.direction !== 'debit') throw new ValidationError([{ field: 'as', message: `bank line ${id} is money in: book it as other-income, or match it` }]);
      const e = recordExpenditureInTx(ctx, tx, actor, {
        date: row.valueDate,
        amount: formatMoney(row.amountCentimes),
        description: `Bank charges (bank ref. ${ref})${text ? `: ${text}` : ''}`,
        line: input.line,
      });
      insertAction(tx, ctx, actor, id, { action: 'bank-charges', expenditureId: e.id, journalEntryId: e.journalEntryId });
    },
    { behavior: 'immediate' },
  );
  return getBankLine(ctx, id);
}

export function ignoreBankLine(ctx: Ctx, actor: Actor, id: number, input: { reason: string }): BankLineOut {
  ctx.db.transaction(
    (tx) => {
      openLine(ctx, id);
      insertAction(tx, ctx, actor, id, { action: 'ignored', reason: input.reason });
    },
    { behavior: 'immediate' },
  );
  return getBankLine(ctx, id);
}

export interface BankStatementOut {
  id: number;
  messageType: 'camt.053' | 'camt.054';
  messageVersion: string;
  messageId: string;
  statementId: string;
  iban: string;
  accountRole: AccountRole;
  currency: string;
  fileSha256: string;
  entryCount: number;
  lines: { total: number; unmatched: number; matched: number; booked: number; ignored: number };
  closingBalance: { amount: string; date: string } | null;
  ledgerCash: string | null;
  difference: string | null;
  importedBy: string;
  importedAt: string;
}

export function listBankStatements(ctx: Ctx): BankStatementOut[] {
  const accounts = getBankAccounts(ctx.db);
  const rows = ctx.sqlite
    .prepare(
      `SELECT s.*, (SELECT count(*) FROM bank_lines l WHERE l.statement_id = s.id) AS lineCount,
              (SELECT count(*) FROM bank_lines l LEFT JOIN bank_line_actions a ON a.line_id = l.id WHERE l.statement_id = s.id AND a.action IS NULL) AS unmatched,
              (SELECT count(*) FROM bank_lines l JOIN bank_line_actions a ON a.line_id = l.id WHERE l.statement_id = s.id AND a.action = 'payment') AS matched,
              (SELECT count(*) FROM bank_lines l JOIN bank_line_actions a ON a.line_id = l.id WHERE l.statement_id = s.id AND a.action IN ('other-income', 'bank-charges')) AS booked,
              (SELECT count(*) FROM bank_lines l JOIN bank_line_actions a ON a.line_id = l.id WHERE l.statement_id = s.id AND a.action = 'ignored') AS ignored
         FROM bank_statements s ORDER BY s.id`,
    )
    .safeIntegers(true)
    .all() as Record<string, bigint | string | null>[];
  return rows.map((r) => {
    const role = r.account_role as AccountRole;
    const closing = r.closing_balance_centimes === null ? null : { amountCentimes: r.closing_balance_centimes as bigint, date: r.closing_balance_date as string };
    const { closingBalance, ledgerCash, difference } = balanceComparison(ctx, accounts, { role, currency: r.currency as string, closing });
    return {
      id: Number(r.id),
      messageType: r.message_type as 'camt.053' | 'camt.054',
      messageVersion: r.message_version as string,
      messageId: r.message_id as string,
      statementId: r.statement_id as string,
      iban: r.iban as string,
      accountRole: role,
      currency: r.currency as string,
      fileSha256: r.file_sha256 as string,
      entryCount: Number(r.entry_count),
      lines: { total: Number(r.lineCount), unmatched: Number(r.unmatched), matched: Number(r.matched), booked: Number(r.booked), ignored: Number(r.ignored) },
      closingBalance,
      ledgerCash,
      difference,
      importedBy: r.imported_by as string,
      importedAt: r.created_at as string,
    };
  });
}

