/**
 * Bank statements in (SPEC 9.6): a camt.053 or camt.054 file imported in one
 * database transaction, all or nothing. Each booked entry becomes a bank
 * line (the same entry met again in another file is a duplicate, not a new
 * line); each credit line whose RF reference is one of our invoices or
 * reminders is recorded at once through the payments service, exactly as
 * finance would key it; the rest waits in the queue with the reason. The
 * same file again records nothing and says so. The statement's closing
 * balance is compared with the ledger's cash for that account on that date.
 */
import crypto from 'node:crypto';
import { formatMoney, type Centimes } from '../../domain/money.js';
import { cachedStatement } from '../../db/client.js';
import { writeAudit } from '../../db/repositories/audit.js';
import { paymentCreate } from '../../schemas/payments.js';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { ServiceError, ValidationError } from '../errors.js';
import { recordPaymentInTx } from '../payments.js';
import { lockedThrough } from '../periods.js';
import { cashAccountsOf, getBankAccounts, roleOf, type AccountRole, type BankAccounts } from './accounts.js';
import { parseCamt, type CamtMessage, type CamtStatement } from './camt.js';
import { decide, paymentKeyOf, type LineFacts } from './matching.js';

export interface ImportCounts {
  entries: number;
  notBooked: number;
  newLines: number;
  duplicates: number;
  paymentsRecorded: number;
  queued: number;
}

export interface StatementImportOut {
  id: number;
  statementId: string;
  iban: string;
  accountRole: AccountRole;
  currency: string;
  counts: ImportCounts;
  closingBalance: { amount: string; date: string } | null;
  ledgerCash: string | null;
  ledgerAccounts: string[];
  difference: string | null;
  queued: { line: number; direction: 'credit' | 'debit'; amount: string; valueDate: string; reason: string }[];
}

export interface BankImportOut {
  alreadyImported: boolean;
  fileSha256: string;
  messageType: 'camt.053' | 'camt.054';
  messageVersion: string;
  messageId: string;
  counts: ImportCounts;
  statements: StatementImportOut[];
}

/** The ledger's cash in `accounts` at the end of `date`. */
export function ledgerCashOn(ctx: Pick<Ctx, 'sqlite'>, accounts: readonly string[], date: string): Centimes {
  const row = cachedStatement(
    ctx.sqlite,
    `SELECT COALESCE(SUM(p.amount_centimes), 0) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id
      WHERE p.account_code IN (SELECT value FROM json_each(?)) AND j.entry_date <= ?`,
    { bigints: true },
  ).get(JSON.stringify(accounts), date) as { s: bigint };
  return row.s;
}

/** Closing balance, ledger cash and difference of a statement (null figures for a notification, or an account not in CHF). */
export function balanceComparison(
  ctx: Pick<Ctx, 'sqlite'>,
  accounts: BankAccounts,
  s: { role: AccountRole; currency: string; closing: { amountCentimes: Centimes; date: string } | null },
): Pick<StatementImportOut, 'closingBalance' | 'ledgerCash' | 'ledgerAccounts' | 'difference'> {
  const ledgerAccounts = cashAccountsOf(accounts, s.role);
  if (s.closing === null) return { closingBalance: null, ledgerCash: null, ledgerAccounts, difference: null };
  const closingBalance = { amount: formatMoney(s.closing.amountCentimes), date: s.closing.date };
  if (s.currency !== 'CHF') return { closingBalance, ledgerCash: null, ledgerAccounts, difference: null };
  const cash = ledgerCashOn(ctx, ledgerAccounts, s.closing.date);
  return { closingBalance, ledgerCash: formatMoney(cash), ledgerAccounts, difference: formatMoney(s.closing.amountCentimes - cash) };
}

const zero = (): ImportCounts => ({ entries: 0, notBooked: 0, newLines: 0, duplicates: 0, paymentsRecorded: 0, queued: 0 });
const add = (a: ImportCounts, b: ImportCounts): ImportCounts => ({
  entries: a.entries + b.entries,
  notBooked: a.notBooked + b.notBooked,
  newLines: a.newLines + b.newLines,
  duplicates: a.duplicates + b.duplicates,
  paymentsRecorded: a.paymentsRecorded + b.paymentsRecorded,
  queued: a.queued + b.queued,
});

/** Each statement's role among the ISU's accounts; 422 naming the first IBAN or currency that is not one of them. */
function rolesOf(accounts: BankAccounts, message: CamtMessage): AccountRole[] {
  const item = message.type === 'camt.053' ? 'Stmt' : 'Ntfctn';
  if (!accounts.operating)
    throw new ValidationError([{ field: `${item}[1].Acct.Id.IBAN`, message: 'no bank account of the ISU is configured: PUT /api/v1/bank/accounts (or set the issuer) first' }]);
  return message.statements.map((s, i) => {
    const role = roleOf(accounts, s.iban);
    const configured = [accounts.operating, accounts.reserve].filter((a) => a !== null).map((a) => a.iban);
    if (role === null)
      throw new ValidationError(
        [{ field: `${item}[${i + 1}].Acct.Id.IBAN`, message: `${s.iban} is not one of the ISU's accounts (${configured.join(', ')})` }],
        `the file is for account ${s.iban}, which is not one of the ISU's accounts (${configured.join(', ')}); nothing was imported`,
      );
    const expected = accounts[role]!.currency;
    if (s.currency !== expected)
      throw new ValidationError([{ field: `${item}[${i + 1}].Acct.Ccy`, message: `the ${role} account ${s.iban} is kept in ${expected}, the file says ${s.currency}` }]);
    return role;
  });
}

const INSERT_LINE = `INSERT INTO bank_lines (statement_id, iban, entry_key, direction, booking_date, value_date, amount_centimes, currency,
    original_currency, original_amount, exchange_rate, acct_svcr_ref, end_to_end_id, debtor_name, debtor_iban, structured_reference, unstructured)
  VALUES (@statementId, @iban, @entryKey, @direction, @bookingDate, @valueDate, @amountCentimes, @currency,
    @originalCurrency, @originalAmount, @exchangeRate, @acctSvcrRef, @endToEndId, @debtorName, @debtorIban, @structuredReference, @unstructured)`;

/**
 * Imports a camt.053/054 file. `created` is false when the very same file was
 * imported before (nothing is written then).
 */
export function importBankFile(ctx: Ctx, actor: Actor, file: string | Buffer): { result: BankImportOut; created: boolean } {
  const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  const fileSha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const message = parseCamt(typeof file === 'string' ? file : file.toString('utf8'));
  const header = { fileSha256, messageType: message.type, messageVersion: message.version, messageId: message.messageId };

  return ctx.db.transaction(
    (tx) => {
      const accounts = getBankAccounts(tx);
      const known = ctx.sqlite.prepare('SELECT * FROM bank_statements WHERE file_sha256 = ? ORDER BY id').safeIntegers(true).all(fileSha256) as {
        id: bigint;
        statement_id: string;
        account_role: AccountRole;
        iban: string;
        currency: string;
        closing_balance_centimes: bigint | null;
        closing_balance_date: string | null;
      }[];
      if (known.length > 0 && message.statements.every((s) => known.some((k) => k.statement_id === s.statementId))) {
        const statements = message.statements.map((s): StatementImportOut => {
          const k = known.find((r) => r.statement_id === s.statementId)!;
          const closing = k.closing_balance_centimes === null ? null : { amountCentimes: k.closing_balance_centimes, date: k.closing_balance_date! };
          return {
            id: Number(k.id),
            statementId: s.statementId,
            iban: k.iban,
            accountRole: k.account_role,
            currency: k.currency,
            counts: { ...zero(), entries: s.entryCount, notBooked: s.notBooked, duplicates: s.lines.length },
            ...balanceComparison(ctx, accounts, { role: k.account_role, currency: k.currency, closing }),
            queued: [],
          };
        });
        return { result: { alreadyImported: true, ...header, counts: statements.reduce((a, s) => add(a, s.counts), zero()), statements }, created: false };
      }

      const roles = rolesOf(accounts, message);
      const locked = lockedThrough(tx);
      const live = new Map(
        (
          ctx.sqlite
            .prepare(
              `SELECT bank_reference AS ref, id FROM payments p WHERE bank_reference IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'payment' AND v.entity_id = p.id)`,
            )
            .all() as { ref: string; id: number }[]
        ).map((r) => [r.ref, r.id]),
      );
      const existing = cachedStatement(ctx.sqlite, 'SELECT id FROM bank_lines WHERE iban = ? AND entry_key = ?');
      const insertLine = cachedStatement(ctx.sqlite, INSERT_LINE);
      const insertAction = cachedStatement(ctx.sqlite, `INSERT INTO bank_line_actions (line_id, action, automatic, payment_id, actor) VALUES (?, 'payment', 1, ?, ?)`);

      const statements = message.statements.map((s: CamtStatement, si): StatementImportOut => {
        const role = roles[si]!;
        const row = ctx.sqlite
          .prepare(
            `INSERT INTO bank_statements (message_type, message_version, message_id, statement_id, account_role, iban, currency,
               closing_balance_centimes, closing_balance_date, file_sha256, entry_count, imported_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          )
          .get(
            message.type,
            message.version,
            message.messageId,
            s.statementId,
            role,
            s.iban,
            s.currency,
            s.closingBalance?.amountCentimes ?? null,
            s.closingBalance?.date ?? null,
            fileSha256,
            s.entryCount,
            actor.username,
          ) as { id: number };
        const counts: ImportCounts = { ...zero(), entries: s.entryCount, notBooked: s.notBooked };
        const queued: StatementImportOut['queued'] = [];
        for (const l of s.lines) {
          if (existing.get(s.iban, l.entryKey)) {
            counts.duplicates++;
            continue;
          }
          // The line as stored and as the matching reads it (better-sqlite3 binds the named parameters it needs, and ignores the rest).
          const flat = { ...l, iban: s.iban, originalCurrency: l.original?.currency ?? null, originalAmount: l.original?.amount ?? null, exchangeRate: l.original?.rate ?? null };
          const line = insertLine.run({ ...flat, statementId: row.id });
          const lineId = Number(line.lastInsertRowid);
          counts.newLines++;
          const facts: LineFacts = { ...flat, id: lineId };
          const decision = decide(ctx.sqlite, facts, { role, lockedThrough: locked, liveBankReference: (ref) => live.get(ref) ?? null });
          let reason: string;
          if ('record' in decision) {
            try {
              // Checked above as the service would (the bank reference against every live payment): it need not scan them again.
              const input = paymentCreate.parse({ ...decision.record, allowDuplicateBankReference: true });
              // The service refuses (ServiceError) before it writes anything: the line then waits with the reason.
              const payment = recordPaymentInTx(ctx, tx, actor, paymentKeyOf(facts), input);
              insertAction.run(lineId, payment.id, actor.username);
              live.set(l.entryKey, payment.id);
              counts.paymentsRecorded++;
              continue;
            } catch (e) {
              if (!(e instanceof ServiceError) && !(e && typeof e === 'object' && 'issues' in e)) throw e;
              reason = e instanceof ServiceError ? e.message : 'the payment it names does not pass the payment checks';
            }
          } else reason = decision.reason;
          counts.queued++;
          queued.push({ line: lineId, direction: l.direction, amount: formatMoney(l.amountCentimes), valueDate: l.valueDate, reason });
        }
        writeAudit(tx, actor, 'bank-statement', String(row.id), { ...header, statementId: s.statementId, iban: s.iban, accountRole: role, counts, queued });
        return {
          id: row.id,
          statementId: s.statementId,
          iban: s.iban,
          accountRole: role,
          currency: s.currency,
          counts,
          ...balanceComparison(ctx, accounts, { role, currency: s.currency, closing: s.closingBalance }),
          queued,
        };
      });
      return { result: { alreadyImported: false, ...header, counts: statements.reduce((a, s) => add(a, s.counts), zero()), statements }, created: true };
    },
    { behavior: 'immediate' },
  );
}
