/**
 * The documents e-mail delivery sends (SPEC 9.7), one loader per kind: which
 * documents a request selects, what the message says of each (State,
 * language, amount, due date, reference), and the PDF to attach — for an
 * invoice, a credit note or a reminder the stored PDF, whose SHA-256 the
 * attachment must have.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { todayUtc } from '../../domain/dates.js';
import { formatMoney } from '../../domain/money.js';
import { creditNotes, invoices, reminders, states } from '../../db/schema.js';
import { netPayable } from '../../pdf/invoice.js';
import { renderStatementPdf } from '../../pdf/statement.js';
import type { CreditNoteDocument, InvoiceDocument, Lang } from '../../pdf/types.js';
import type { DeliveryKind } from '../../schemas/deliveries.js';
import { balanceFigures, getStatement } from '../accounts.js';
import type { Ctx } from '../context.js';
import { ServiceError, ValidationError, type FieldError } from '../errors.js';
import { creditNotePdf, invoicePdf } from '../invoices.js';
import { reminderPdf } from '../reminders.js';
import { requireIssuer } from '../settings.js';
import { nameIn } from '../states.js';

/** A document to deliver, with what its message says. Money strings with 2 decimals. */
export interface DeliverableDocument {
  kind: DeliveryKind;
  /** The `document` of the delivery log: the number; a statement `{ISO3}@{asOf}`. */
  id: string;
  iso3: string;
  /** The State's name in the document's language. */
  stateName: string;
  language: Lang;
  issueDate: string;
  /** Invoice: net payable; credit note: credited; reminder: overdue total; statement: the balance (negative: in credit). */
  amount: string;
  /** Invoice: payable by. */
  dueDate: string | null;
  /** The creditor reference to quote (invoice, reminder); a credit note: the invoice it credits. */
  reference: string | null;
  /** The budget year (invoice, credit note). */
  year: number | null;
  /** A statement's period. */
  period: { from: string; to: string } | null;
  /** The attachment's file name. */
  filename: string;
}

export interface SelectFilter {
  year?: number | undefined;
  numbers?: string[] | undefined;
  states?: string[] | undefined;
  asOf?: string | undefined;
}

export interface AttachedPdf {
  content: Buffer;
  sha256: string;
}

export interface DocumentLoader {
  /** The documents a request selects (422 naming the field when it selects none, or names one that does not exist). */
  list(ctx: Ctx, filter: SelectFilter): DeliverableDocument[];
  /** The PDF to attach. */
  pdf(ctx: Ctx, doc: DeliverableDocument): Promise<AttachedPdf>;
}

const sha256 = (buf: Buffer) => crypto.createHash('sha256').update(buf).digest('hex');

/** The stored PDF of a document, read back: its bytes must have the SHA-256 recorded when it was issued. */
export function storedPdf(stored: { file: string; sha256: string }): AttachedPdf {
  const content = fs.readFileSync(stored.file);
  if (sha256(content) !== stored.sha256) throw new Error(`internal: ${stored.file} does not have its recorded SHA-256`);
  return { content, sha256: stored.sha256 };
}

/** Every State named exists (422 naming `states.N`). */
function checkStates(ctx: Ctx, iso3s: string[] | undefined): void {
  if (!iso3s) return;
  const known = new Set(
    ctx.db
      .select({ iso3: states.iso3 })
      .from(states)
      .where(inArray(states.iso3, iso3s))
      .all()
      .map((s) => s.iso3),
  );
  const errors: FieldError[] = iso3s.flatMap((s, i) => (known.has(s) ? [] : [{ field: `states.${i}`, message: `no State ${s} in the register` }]));
  if (errors.length) throw new ValidationError(errors);
}

/** Every number named exists (422 naming `numbers.N`). */
function checkNumbers(numbers: string[] | undefined, found: Set<string>, what: string): void {
  const errors: FieldError[] = (numbers ?? []).flatMap((n, i) => (found.has(n) ? [] : [{ field: `numbers.${i}`, message: `there is no ${what} ${n}` }]));
  if (errors.length) throw new ValidationError(errors);
}

/** Which rows of a numbered kind to read: the numbers named, else the year's. */
function numbered(table: typeof invoices | typeof creditNotes, filter: SelectFilter) {
  return filter.numbers !== undefined ? inArray(table.number, filter.numbers) : filter.year !== undefined ? eq(table.year, filter.year) : undefined;
}

/**
 * The common selection of numbered documents (rows read by `numbered`): the
 * numbers named must exist; then by year, `asOf` (reminders) and States.
 * Nothing selected → 422 naming the filter that left nothing.
 */
function select<R extends { number: string; year: number; stateIso3: string; asOf?: string }>(rows: R[], filter: SelectFilter, what: string, plural: string): R[] {
  checkNumbers(filter.numbers, new Set(rows.map((r) => r.number)), what);
  const chosen = rows.filter((r) => (filter.year === undefined || r.year === filter.year) && (filter.asOf === undefined || r.asOf === filter.asOf));
  if (chosen.length === 0) {
    const field = filter.year !== undefined ? 'year' : filter.asOf !== undefined ? 'asOf' : 'numbers';
    throw new ValidationError([{ field, message: `no ${plural} to send${field === 'year' ? ` for ${filter.year}` : field === 'asOf' ? ` as of ${filter.asOf}` : ''}` }]);
  }
  const ofStates = chosen.filter((r) => filter.states === undefined || filter.states.includes(r.stateIso3));
  if (ofStates.length === 0) throw new ValidationError([{ field: 'states', message: `none of these States has ${plural} among those selected` }]);
  return ofStates;
}

/** A numbered document (invoice, credit note, reminder): its PDF is `{number}.pdf`. */
function numberedDocument(
  kind: DeliveryKind,
  r: { number: string; stateIso3: string; issueDate: string },
  what: Pick<DeliverableDocument, 'stateName' | 'language' | 'amount' | 'dueDate' | 'reference' | 'year'>,
): DeliverableDocument {
  return { kind, id: r.number, iso3: r.stateIso3, issueDate: r.issueDate, period: null, filename: `${r.number}.pdf`, ...what };
}

const invoicesLoader: DocumentLoader = {
  list(ctx, filter) {
    checkStates(ctx, filter.states);
    const cancelled = new Map(
      ctx.db
        .select({ invoice: creditNotes.invoiceNumber, number: creditNotes.number })
        .from(creditNotes)
        .where(eq(creditNotes.kind, 'cancellation'))
        .all()
        .map((c) => [c.invoice, c.number]),
    );
    const rows = ctx.db.select().from(invoices).where(numbered(invoices, filter)).orderBy(asc(invoices.year), asc(invoices.seq)).all();
    const errors: FieldError[] = (filter.numbers ?? []).flatMap((n, i) => {
      const cn = cancelled.get(n);
      return cn ? [{ field: `numbers.${i}`, message: `invoice ${n} is cancelled by credit note ${cn}: send the credit note` }] : [];
    });
    if (errors.length) throw new ValidationError(errors);
    return select(
      rows.filter((r) => !cancelled.has(r.number)),
      filter,
      'invoice',
      'invoices',
    ).map((r) => {
      const doc = r.document as InvoiceDocument;
      return numberedDocument('invoices', r, { stateName: doc.state.name, language: r.language, amount: netPayable(doc), dueDate: r.cutoffDate, reference: r.creditorReference, year: r.year });
    });
  },
  async pdf(ctx, doc) {
    return storedPdf(await invoicePdf(ctx, doc.id, null));
  },
};

const creditNotesLoader: DocumentLoader = {
  list(ctx, filter) {
    checkStates(ctx, filter.states);
    const rows = ctx.db.select().from(creditNotes).where(numbered(creditNotes, filter)).orderBy(asc(creditNotes.year), asc(creditNotes.seq)).all();
    return select(rows, filter, 'credit note', 'credit notes').map((r) => {
      const doc = r.document as CreditNoteDocument;
      return numberedDocument('credit-notes', r, { stateName: doc.state.name, language: doc.language, amount: formatMoney(r.totalCentimes), dueDate: null, reference: r.invoiceNumber, year: r.year });
    });
  },
  async pdf(ctx, doc) {
    return storedPdf(await creditNotePdf(ctx, doc.id, null));
  },
};

const remindersLoader: DocumentLoader = {
  list(ctx, filter) {
    checkStates(ctx, filter.states);
    const year = (r: { number: string }) => Number(r.number.split('-')[1]);
    const rows = ctx.db
      .select({ r: reminders, s: states })
      .from(reminders)
      .innerJoin(states, eq(states.iso3, reminders.stateIso3))
      .where(
        filter.numbers !== undefined
          ? inArray(reminders.number, filter.numbers)
          : filter.year !== undefined
            ? sql`${reminders.number} LIKE ${`%-${filter.year}-%`}`
            : filter.asOf !== undefined
              ? eq(reminders.asOf, filter.asOf)
              : undefined,
      )
      .orderBy(asc(reminders.number))
      .all()
      .map(({ r, s }) => ({ ...r, state: s, year: year(r) }));
    const chosen = select(rows, filter, 'reminder', 'reminders');
    return chosen.map((r) =>
      numberedDocument('reminders', r, { stateName: nameIn(r.state, r.language), language: r.language, amount: formatMoney(r.totalCentimes), dueDate: null, reference: r.reference, year: null }),
    );
  },
  async pdf(ctx, doc) {
    return storedPdf(await reminderPdf(ctx, doc.id, null));
  },
};

/** A statement of account covers 1 January of its date's year to that date. */
function statementPeriod(asOf: string): { from: string; to: string } {
  return { from: `${asOf.slice(0, 4)}-01-01`, to: asOf };
}

const statementsLoader: DocumentLoader = {
  list(ctx, filter) {
    const asOf = filter.asOf!;
    if (asOf > todayUtc()) throw new ValidationError([{ field: 'asOf', message: `must not be in the future (today is ${todayUtc()})` }]);
    checkStates(ctx, filter.states);
    // Every State with an account on that date: something posted to its receivable or its credit.
    const withAccount = new Set(
      ctx.sqlite
        .prepare(
          `SELECT DISTINCT p.state_iso3 AS iso3 FROM postings p JOIN journal_entries j ON j.id = p.entry_id
            WHERE p.state_iso3 IS NOT NULL AND p.account_code IN ('1100', '2100') AND j.entry_date <= ?`,
        )
        .pluck()
        .all(asOf) as string[],
    );
    const rows = ctx.db
      .select()
      .from(states)
      .where(filter.states ? inArray(states.iso3, filter.states) : sql`1 = 1`)
      .orderBy(asc(states.iso3))
      .all()
      .filter((s) => filter.states !== undefined || withAccount.has(s.iso3));
    if (rows.length === 0) throw new ValidationError([{ field: 'asOf', message: `no State has an account on ${asOf}` }]);
    const period = statementPeriod(asOf);
    return rows.map((s) => {
      const f = balanceFigures(ctx.sqlite, s.iso3, asOf);
      return {
        kind: 'statements',
        id: `${s.iso3}@${asOf}`,
        iso3: s.iso3,
        stateName: nameIn(s, s.language),
        language: s.language,
        issueDate: todayUtc(),
        amount: formatMoney(f.outstanding - f.unapplied),
        dueDate: null,
        reference: null,
        year: null,
        period,
        filename: `statement-${s.iso3}-${period.from}-${period.to}.pdf`,
      };
    });
  },
  async pdf(ctx, doc) {
    const content = await renderStatementPdf(getStatement(ctx, doc.iso3, doc.period!.from, doc.period!.to), requireIssuer(ctx.db));
    return { content, sha256: sha256(content) };
  },
};

/** The loaders, by kind. */
export const DOCUMENT_LOADERS: Record<DeliveryKind, DocumentLoader> = {
  invoices: invoicesLoader,
  'credit-notes': creditNotesLoader,
  reminders: remindersLoader,
  statements: statementsLoader,
};

/** One document of a kind by its log id (a retry): the same as a request naming it. */
export function documentById(ctx: Ctx, kind: DeliveryKind, id: string): DeliverableDocument | undefined {
  if (kind === 'statements') {
    const [iso3, asOf] = id.split('@') as [string, string];
    return DOCUMENT_LOADERS.statements.list(ctx, { asOf, states: [iso3] })[0];
  }
  return DOCUMENT_LOADERS[kind].list(ctx, { numbers: [id] })[0];
}
