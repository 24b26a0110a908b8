/** Bank accounts, statements in (camt.053/054) and the queue of bank lines (SPEC 9.6). */
import { z } from 'zod';
import { isValidIban } from '../domain/iban.js';
import { budgetLineCode, iso3, moneyOut, nonEmptyText } from './common.js';
import { invoiceNumberParam } from './invoices.js';

const currency = z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code in capitals, e.g. "CHF"' });

const bankAccountIn = z.strictObject({
  iban: z
    .string()
    .transform((s) => s.replace(/\s+/g, '').toUpperCase())
    .refine(isValidIban, { message: 'is not a valid IBAN (checksum)' }),
  currency,
});

export const bankAccountsIn = z
  .strictObject({
    operating: bankAccountIn.meta({ description: 'The account contributions are paid to (ledger account 1000)' }),
    reserve: bankAccountIn.optional().meta({ description: "The working capital reserve's own account (ledger account 1010), if it has one" }),
  })
  .superRefine((b, ctx) => {
    if (b.reserve && b.reserve.iban === b.operating.iban) ctx.addIssue({ code: 'custom', path: ['reserve', 'iban'], message: 'must differ from the operating account' });
  })
  .meta({ id: 'BankAccountsIn' });
export type BankAccountsIn = z.infer<typeof bankAccountsIn>;

const bankAccountOut = z.object({ iban: z.string(), currency: z.string() });
export const bankAccountsOut = z
  .object({
    operating: bankAccountOut.nullable(),
    reserve: bankAccountOut.nullable(),
    source: z.enum(['settings', 'issuer', 'none']).meta({ description: '`issuer`: nothing set, the operating account is the issuer’s IBAN in CHF' }),
  })
  .meta({ id: 'BankAccounts' });

const counts = z.object({
  entries: z.int().meta({ description: 'Entries in the file (booked or not)' }),
  notBooked: z.int().meta({ description: 'Entries not booked (pending, information): no line' }),
  newLines: z.int().meta({ description: 'Bank lines created (a batch entry may give several)' }),
  duplicates: z.int().meta({ description: 'Lines already known from another file (same account and bank reference)' }),
  paymentsRecorded: z.int().meta({ description: 'Lines recorded as payments at once, by their creditor reference' }),
  queued: z.int().meta({ description: 'New lines left in the queue' }),
});

export const bankImportOut = z
  .object({
    alreadyImported: z.boolean().meta({ description: 'The same file was imported before: nothing new was recorded' }),
    fileSha256: z.string(),
    messageType: z.enum(['camt.053', 'camt.054']),
    messageVersion: z.string(),
    messageId: z.string(),
    counts,
    statements: z.array(
      z.object({
        id: z.int(),
        statementId: z.string(),
        iban: z.string(),
        accountRole: z.enum(['operating', 'reserve']),
        currency: z.string(),
        counts,
        closingBalance: z.object({ amount: moneyOut, date: z.string() }).nullable().meta({ description: 'Bal CLBD (a statement; a notification has none)' }),
        ledgerCash: moneyOut.nullable().meta({ description: "The ledger's cash for this account on the closing date (null without a closing balance, or for an account not in CHF)" }),
        ledgerAccounts: z.array(z.string()).meta({ description: 'The ledger accounts summed: 1000 (+ 1010 while the reserve has no account of its own), or 1010' }),
        difference: moneyOut.nullable().meta({ description: 'closingBalance − ledgerCash' }),
        queued: z.array(z.object({ line: z.int(), direction: z.enum(['credit', 'debit']), amount: moneyOut, valueDate: z.string(), reason: z.string() })),
      }),
    ),
  })
  .meta({ id: 'BankImport' });

export const lineStatus = z.enum(['unmatched', 'matched', 'booked', 'ignored']);

export const bankLineOut = z
  .object({
    id: z.int(),
    statement: z.object({ id: z.int(), messageType: z.string(), messageId: z.string(), statementId: z.string() }),
    accountRole: z.enum(['operating', 'reserve']),
    iban: z.string(),
    entryKey: z.string(),
    direction: z.enum(['credit', 'debit']),
    bookingDate: z.string(),
    valueDate: z.string(),
    amount: moneyOut.meta({ description: "In the account's currency, always positive" }),
    currency: z.string(),
    original: z
      .object({ currency: z.string(), amount: z.string(), rate: z.string().nullable() })
      .nullable()
      .meta({ description: 'When the bank converted: the instructed amount and the rate' }),
    bankReference: z.string().nullable().meta({ description: 'AcctSvcrRef' }),
    endToEndId: z.string().nullable(),
    debtor: z.object({ name: z.string().nullable(), iban: z.string().nullable() }),
    structuredReference: z.string().nullable(),
    unstructured: z.string().nullable(),
    status: lineStatus,
    action: z
      .object({
        kind: z.enum(['payment', 'other-income', 'bank-charges', 'ignored']),
        automatic: z.boolean(),
        paymentId: z.int().nullable(),
        expenditureId: z.int().nullable(),
        journalEntryId: z.int().nullable(),
        reason: z.string().nullable(),
        actor: z.string(),
        at: z.string(),
      })
      .nullable(),
    queueReason: z.string().nullable().meta({ description: 'Why an unmatched line was not recorded (or what stops it now)' }),
    suggestions: z
      .array(
        z.object({
          iso3: z.string(),
          name: z.string(),
          invoice: z.string().nullable(),
          purpose: z.enum(['assessed', 'voluntary', 'reserve']),
          why: z.string(),
        }),
      )
      .meta({ description: 'Who the money may be from: never applied until finance matches the line' }),
  })
  .meta({ id: 'BankLine' });

export const bankStatementOut = z
  .object({
    id: z.int(),
    messageType: z.enum(['camt.053', 'camt.054']),
    messageVersion: z.string(),
    messageId: z.string(),
    statementId: z.string(),
    iban: z.string(),
    accountRole: z.enum(['operating', 'reserve']),
    currency: z.string(),
    fileSha256: z.string(),
    entryCount: z.int(),
    lines: z.object({ total: z.int(), unmatched: z.int(), matched: z.int(), booked: z.int(), ignored: z.int() }),
    closingBalance: z.object({ amount: moneyOut, date: z.string() }).nullable(),
    ledgerCash: moneyOut.nullable(),
    difference: moneyOut.nullable(),
    importedBy: z.string(),
    importedAt: z.string(),
  })
  .meta({ id: 'BankStatement' });

export const bankLineMatch = z
  .strictObject({
    iso3: iso3.optional().meta({ description: 'The paying State (or give `donor`)' }),
    donor: nonEmptyText(200).optional().meta({ description: 'A donor that is not a State Party (voluntary or reserve money only)' }),
    purpose: z.enum(['assessed', 'voluntary', 'reserve']),
    invoice: invoiceNumberParam.optional().meta({ description: 'Apply to this invoice only (assessed money)' }),
    ignoreReferenceMismatch: z.boolean().optional().meta({ description: "Record it for iso3 although the line quotes another State's invoice" }),
    confirmLarge: z.boolean().optional().meta({ description: 'Record it although the amount is above the large-payment limit (otherwise 422 naming amount)' }),
  })
  .superRefine((b, ctx) => {
    if ((b.iso3 === undefined) === (b.donor === undefined)) ctx.addIssue({ code: 'custom', path: ['iso3'], message: 'give either iso3 (a State) or donor' });
    if (b.purpose === 'assessed' && b.donor !== undefined)
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'only a State pays assessed contributions; a donor gives `voluntary` or `reserve` money' });
    if (b.invoice !== undefined && b.purpose !== 'assessed') ctx.addIssue({ code: 'custom', path: ['invoice'], message: 'only assessed money is applied to an invoice' });
  })
  .meta({ id: 'BankLineMatch' });

export const bankLineBook = z
  .strictObject({
    as: z.enum(['other-income', 'bank-charges']).meta({ description: '`other-income` for a credit (interest…), `bank-charges` for a debit (fees): an expenditure' }),
    line: budgetLineCode.optional().meta({ description: 'Bank charges: the budget line of the expenditure, required when the budget of the value date’s year has lines' }),
  })
  .superRefine((b, ctx) => {
    if (b.line !== undefined && b.as !== 'bank-charges') ctx.addIssue({ code: 'custom', path: ['line'], message: 'only bank charges (an expenditure) are coded to a budget line' });
  })
  .meta({ id: 'BankLineBook' });

export const bankLineIgnore = z.strictObject({ reason: nonEmptyText(500) }).meta({ id: 'BankLineIgnore' });

export const lineIdParam = z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,11}$/).transform((s) => Number.parseInt(s, 10)) });
