/**
 * What a bank line's creditor reference names (SPEC 9.6): one of our
 * invoices, or one of our reminder letters (whose RF makes the money the
 * State's, applied oldest first). Whether the import may record it at once,
 * or why it waits in the queue; and the suggestions offered for a line that
 * waits. The rules are pure (domain/bank-matching); this reads the database.
 */
import type Database from 'better-sqlite3';
import { creditorReferenceOf, invoiceNumbersIn, statesNamedIn, type NamedState } from '../../domain/bank-matching.js';
import { todayUtc } from '../../domain/dates.js';
import { formatMoney, type Centimes } from '../../domain/money.js';
import { cachedStatement } from '../../db/client.js';
import type { PaymentInput } from '../payments.js';
import type { AccountRole } from './accounts.js';

/** A bank line as the queue sees it. */
export interface LineFacts {
  id: number;
  iban: string;
  entryKey: string;
  direction: 'credit' | 'debit';
  valueDate: string;
  amountCentimes: Centimes;
  currency: string;
  originalCurrency: string | null;
  originalAmount: string | null;
  structuredReference: string | null;
  unstructured: string | null;
  debtorName: string | null;
}

export interface InvoiceTarget {
  kind: 'invoice';
  reference: string;
  number: string;
  iso3: string;
  issueDate: string;
  /** The credit note that cancelled it, and the invoice re-issued in its place. */
  cancelledBy: string | null;
  reissuedAs: string | null;
}
export interface ReminderTarget {
  kind: 'reminder';
  reference: string;
  number: string;
  iso3: string;
}
export type ReferenceTarget = InvoiceTarget | ReminderTarget;

/** The invoice or reminder whose creditor reference the line quotes, if any. */
export function referenceTarget(sqlite: Database.Database, structuredReference: string | null): ReferenceTarget | null {
  const reference = creditorReferenceOf(structuredReference);
  if (reference === null) return null;
  const inv = cachedStatement(
    sqlite,
    `SELECT i.number, i.state_iso3 AS iso3, i.issue_date AS issueDate,
            (SELECT c.number FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'cancellation') AS cancelledBy,
            (SELECT r.number FROM invoices r WHERE r.original_invoice = i.number AND r.kind = 'reissue') AS reissuedAs
       FROM invoices i WHERE i.creditor_reference = ?`,
  ).get(reference) as Omit<InvoiceTarget, 'kind' | 'reference'> | undefined;
  if (inv) return { kind: 'invoice', reference, ...inv };
  const rem = cachedStatement(sqlite, 'SELECT number, state_iso3 AS iso3 FROM reminders WHERE reference = ?').get(reference) as { number: string; iso3: string } | undefined;
  return rem ? { kind: 'reminder', reference, ...rem } : null;
}

export interface Circumstances {
  role: AccountRole;
  /** The date through which entries are locked (SPEC 9.4), or null. */
  lockedThrough: string | null;
  /** Bank references already on payments that are not reversed. */
  liveBankReference: (reference: string) => number | null;
}

export type Decision = { record: PaymentInput; target: ReferenceTarget } | { reason: string; target: ReferenceTarget | null };

/**
 * Whether a line can be recorded at once as the payment its creditor
 * reference names — exactly as finance would key it — or why it waits.
 */
export function decide(sqlite: Database.Database, line: LineFacts, c: Circumstances): Decision {
  if (line.direction === 'debit') return { reason: 'money out: book it as bank charges, or ignore it with a reason', target: null };
  if (line.structuredReference === null) return { reason: 'no creditor reference: match it to a State or donor, or book it as other income', target: null };
  const target = referenceTarget(sqlite, line.structuredReference);
  if (target === null)
    return {
      reason: creditorReferenceOf(line.structuredReference)
        ? `reference ${line.structuredReference} is none of our invoices or reminders`
        : `reference ${line.structuredReference} is not an RF creditor reference of ours (a QR reference, or a typo)`,
      target: null,
    };
  const what = target.kind === 'invoice' ? `invoice ${target.number} of ${target.iso3}` : `reminder ${target.number} of ${target.iso3}`;
  if (line.currency !== 'CHF') return { reason: `the reference is ${what}, but the account is in ${line.currency}: payments are recorded in CHF`, target };
  if (target.kind === 'invoice' && target.cancelledBy !== null)
    return {
      reason: `the reference is ${what}, cancelled by ${target.cancelledBy}: the money is ${target.iso3}'s; match it to ${target.iso3}${target.reissuedAs ? ` (invoice ${target.reissuedAs} was issued in its place)` : ''}`,
      target,
    };
  if (c.role === 'reserve')
    return {
      reason: `the reference is ${what}, but the money came to the reserve account: an assessed contribution is operating cash; match it as a contribution to the reserve, or ignore it and have the bank move it`,
      target,
    };
  if (c.lockedThrough !== null && line.valueDate <= c.lockedThrough)
    return { reason: `the reference is ${what}, but the value date ${line.valueDate} is in a closed period (locked through ${c.lockedThrough})`, target };
  if (line.valueDate > todayUtc()) return { reason: `the reference is ${what}, but the value date ${line.valueDate} is in the future`, target };
  const dup = c.liveBankReference(line.entryKey);
  if (dup !== null)
    return { reason: `the reference is ${what}, but bank reference ${line.entryKey} is already on payment ${dup}: the same transfer keyed by hand? ignore the line once checked`, target };
  const converted = line.originalCurrency !== null && line.originalAmount !== null && line.originalCurrency !== 'CHF';
  return {
    target,
    record: {
      iso3: target.iso3,
      amount: formatMoney(line.amountCentimes),
      receivedOn: line.valueDate,
      ...(converted ? { currency: line.originalCurrency!, originalAmount: line.originalAmount! } : {}),
      reference: target.reference,
      bankReference: line.entryKey,
      purpose: 'assessed',
      ...(target.kind === 'invoice' ? { invoice: target.number } : {}),
    },
  };
}

/** The idempotency key of the payment a bank line records: the account and the entry. */
export const paymentKeyOf = (line: Pick<LineFacts, 'iban' | 'entryKey'>) => `bank:${line.iban}:${line.entryKey}`;

export interface Suggestion {
  iso3: string;
  name: string;
  invoice: string | null;
  purpose: 'assessed' | 'voluntary' | 'reserve';
  why: string;
}

export interface SuggestionData {
  states: (NamedState & { name: string })[];
  invoicePrefix: string;
}

export function suggestionData(sqlite: Database.Database, invoicePrefix: string): SuggestionData {
  const rows = sqlite.prepare('SELECT iso3, name_en AS en, name_fr AS fr, name_es AS es FROM states ORDER BY iso3').all() as { iso3: string; en: string; fr: string | null; es: string | null }[];
  return { states: rows.map((r) => ({ iso3: r.iso3, name: r.en, names: [r.en, r.fr, r.es].filter((n): n is string => !!n) })), invoicePrefix };
}

/** Who an unmatched credit line may be from: its reference's State, invoices named in its text, States named in its text or payer's name. Never applied. */
export function suggestionsFor(sqlite: Database.Database, line: LineFacts, role: AccountRole, data: SuggestionData): Suggestion[] {
  if (line.direction === 'debit') return [];
  const purpose = role === 'reserve' ? 'reserve' : 'assessed';
  const names = new Map(data.states.map((s) => [s.iso3, s.name]));
  const out: Suggestion[] = [];
  const add = (iso3: string, named: string | null, why: string) => {
    const invoice = purpose === 'assessed' ? named : null;
    // A State alone adds nothing to a suggestion of that State already made.
    if (!out.some((s) => s.iso3 === iso3 && (s.invoice === invoice || invoice === null))) out.push({ iso3, name: names.get(iso3) ?? iso3, invoice, purpose, why });
  };
  const target = referenceTarget(sqlite, line.structuredReference);
  if (target?.kind === 'invoice') add(target.iso3, target.cancelledBy ? target.reissuedAs : target.number, `its creditor reference is invoice ${target.number}'s`);
  if (target?.kind === 'reminder') add(target.iso3, null, `its creditor reference is reminder ${target.number}'s`);
  const text = [line.structuredReference, line.unstructured, line.debtorName].filter((t): t is string => t !== null).join(' ');
  for (const number of invoiceNumbersIn(text, data.invoicePrefix)) {
    const inv = cachedStatement(
      sqlite,
      `SELECT state_iso3 AS iso3, EXISTS (SELECT 1 FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'cancellation') AS cancelled FROM invoices i WHERE number = ?`,
    ).get(number) as { iso3: string; cancelled: number } | undefined;
    if (inv) add(inv.iso3, inv.cancelled ? null : number, `invoice ${number} is named in the text`);
  }
  for (const iso3 of statesNamedIn(text, data.states)) add(iso3, null, 'the State is named in the text');
  return out;
}
