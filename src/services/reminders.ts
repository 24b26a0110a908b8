/**
 * Reminders (SPEC 9.7). Who is reminded is the pure rule of
 * src/domain/reminders.ts applied to the ledger as of a date: each invoice
 * issued by then, not cancelled by then, with what is left on it (its total
 * less the credit notes and the money applied to it by then) and its own due
 * date; each State's unapplied credit on that date.
 *
 * A run issues one letter `REM-{year}-{seq}` per State to remind (numbers
 * allocated in ISO3 order, gapless per year of the issue date), at most one
 * per State per issue date: a second run the same day answers the letters
 * already issued and writes nothing. Each letter commits in its own
 * transaction with its lines and its audit row (a reminder is not a
 * financial event: no journal entry); its PDF is rendered from the stored
 * document before the transaction (so the hash is known) and written after.
 */
import path from 'node:path';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { cachedStatement, readSnapshot, type DbOrTx } from '../db/client.js';
import { writeAudit } from '../db/repositories/audit.js';
import { reminderLines, reminders, states } from '../db/schema.js';
import { todayUtc } from '../domain/dates.js';
import { formatMoney, sumCentimes, type Centimes } from '../domain/money.js';
import { reminderDue, reminderLevel, reminderNumber, reminderReference, type InvoiceStanding, type ReminderDue } from '../domain/reminders.js';
import { renderReminderPdf, type ReminderDocument } from '../pdf/reminder.js';
import type { reminderDueOut, reminderIssueOut, reminderLetterOut, remindersDueOut } from '../schemas/reminders.js';
import type { z } from 'zod';
import type { Actor, Scope } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, PdfNotWrittenError, ValidationError, type FieldError } from './errors.js';
import { ensurePdf, printedIssuer, sha256, writePdfAfterCommit } from './invoices.js';
import { requireIssuer } from './settings.js';
import { partyBlock } from './party.js';

export type RemindersDueOut = z.infer<typeof remindersDueOut>;
export type ReminderDueOut = z.infer<typeof reminderDueOut>;
export type ReminderLetterOut = z.infer<typeof reminderLetterOut>;
export type ReminderIssueOut = z.infer<typeof reminderIssueOut>;

type ReminderRow = typeof reminders.$inferSelect;

interface Standing extends InvoiceStanding {
  iso3: string;
  invoicedCentimes: Centimes;
}

/** Every invoice issued by `asOf` and not cancelled by then, with what is left on it on that date (of one State, or all). */
function standings(sqlite: Database.Database, asOf: string, iso3: string | null): Standing[] {
  const rows = cachedStatement(
    sqlite,
    `SELECT i.number AS number, i.state_iso3 AS iso3, i.year AS year, i.cutoff_date AS dueDate, i.total_centimes AS invoiced,
            i.total_centimes
              - COALESCE((SELECT SUM(c.total_centimes) FROM credit_notes c WHERE c.invoice_number = i.number AND c.issue_date <= @asOf), 0)
              - COALESCE((SELECT SUM(a.amount_centimes) FROM applications a WHERE a.invoice_number = i.number AND a.applied_on <= @asOf), 0) AS left
       FROM invoices i
      WHERE i.issue_date <= @asOf AND (@iso3 IS NULL OR i.state_iso3 = @iso3)
        AND NOT EXISTS (SELECT 1 FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'cancellation' AND c.issue_date <= @asOf)`,
    { bigints: true },
  ).all({ asOf, iso3 }) as { number: string; iso3: string; year: bigint; dueDate: string; invoiced: bigint; left: bigint }[];
  return rows.map((r) => ({ number: r.number, iso3: r.iso3, year: Number(r.year), dueDate: r.dueDate, invoicedCentimes: r.invoiced, leftCentimes: r.left }));
}

/** Each State's unapplied credit on `asOf` (the credit balance of its account 2100). */
function creditsOn(sqlite: Database.Database, asOf: string, iso3: string | null): Map<string, Centimes> {
  const rows = cachedStatement(
    sqlite,
    `SELECT p.state_iso3 AS iso3, -SUM(p.amount_centimes) AS credit FROM postings p JOIN journal_entries j ON j.id = p.entry_id
      WHERE p.account_code = '2100' AND p.state_iso3 IS NOT NULL AND j.entry_date <= @asOf AND (@iso3 IS NULL OR p.state_iso3 = @iso3)
      GROUP BY p.state_iso3`,
    { bigints: true },
  ).all({ asOf, iso3 }) as { iso3: string; credit: bigint }[];
  return new Map(rows.map((r) => [r.iso3, r.credit]));
}

/** The States to remind on `asOf` (of one State, or all), by ISO3, with what each is reminded of. */
function dueOn(sqlite: Database.Database, asOf: string, iso3: string | null = null): Map<string, ReminderDue<Standing>> {
  const byState = new Map<string, Standing[]>();
  for (const s of standings(sqlite, asOf, iso3)) (byState.get(s.iso3) ?? byState.set(s.iso3, []).get(s.iso3)!).push(s);
  const credits = creditsOn(sqlite, asOf, iso3);
  const due = new Map<string, ReminderDue<Standing>>();
  for (const code of [...byState.keys()].sort()) {
    const r = reminderDue(byState.get(code)!, credits.get(code) ?? 0n, asOf);
    if (r) due.set(code, r);
  }
  return due;
}

const invoiceOut = (i: Standing) => ({ number: i.number, year: i.year, dueDate: i.dueDate, invoiced: formatMoney(i.invoicedCentimes), left: formatMoney(i.leftCentimes) });

function letterRef(r: ReminderRow) {
  return { number: r.number, issueDate: r.issueDate, asOf: r.asOf, level: r.level };
}

/** The letters issued to a State, oldest first (issue date, then number). */
function lettersOf(db: DbOrTx, iso3: string): ReminderRow[] {
  return db.select().from(reminders).where(eq(reminders.stateIso3, iso3)).orderBy(asc(reminders.issueDate), asc(reminders.number)).all();
}

/**
 * GET /reminders?asOf=D: the States to remind on D — each overdue invoice
 * with what is left on it, the overdue total, the credit held, the amount
 * to pay — and the last letter each was sent. A State user sees only its
 * own State.
 */
export function remindersDue(ctx: Ctx, asOf: string = todayUtc(), scope: Scope = null): RemindersDueOut {
  return readSnapshot(ctx.sqlite, () => {
    const due = dueOn(ctx.sqlite, asOf, scope);
    const rows = [...due].map(([iso3, r]): ReminderDueOut => {
      const state = ctx.db.select().from(states).where(eq(states.iso3, iso3)).get()!;
      const last = ctx.db.select().from(reminders).where(eq(reminders.stateIso3, iso3)).orderBy(desc(reminders.issueDate), desc(reminders.number)).limit(1).get();
      return {
        iso3,
        name: state.nameEn,
        language: state.language,
        invoices: r.invoices.map(invoiceOut),
        overdue: formatMoney(r.overdueCentimes),
        credit: formatMoney(r.creditCentimes),
        toPay: formatMoney(r.toPayCentimes),
        lastReminder: last ? letterRef(last) : null,
      };
    });
    const total = (pick: (r: ReminderDue<Standing>) => Centimes) => formatMoney(sumCentimes([...due.values()].map(pick)));
    return {
      asOf,
      states: rows,
      totals: { states: rows.length, overdue: total((r) => r.overdueCentimes), credit: total((r) => r.creditCentimes), toPay: total((r) => r.toPayCentimes) },
    };
  });
}

function pdfPath(invoiceDir: string, number: string): string {
  return path.join(invoiceDir, 'reminders', number.slice(4, 8), `${number}.pdf`);
}

function toLetterOut(row: ReminderRow): ReminderLetterOut {
  const doc = row.document as ReminderDocument;
  return {
    number: row.number,
    iso3: row.stateIso3,
    stateName: doc.state.name,
    asOf: row.asOf,
    issueDate: row.issueDate,
    level: row.level,
    language: row.language,
    invoices: doc.invoices,
    overdue: doc.overdue,
    credit: doc.credit,
    toPay: doc.toPay,
    creditorReference: row.reference,
    pdfSha256: row.pdfSha256,
    pdfUrl: `/api/v1/reminders/letters/${row.number}/pdf`,
  };
}

function nextSeq(db: DbOrTx, year: number): number {
  const row = db
    .select({ max: sql<number | null>`max(CAST(substr(${reminders.number}, 10) AS INTEGER))` })
    .from(reminders)
    .where(sql`${reminders.number} LIKE ${`REM-${year}-%`}`)
    .get();
  return (row?.max ?? 0) + 1;
}

const letterOn = (db: DbOrTx, iso3: string, issueDate: string) =>
  db.select().from(reminders).where(and(eq(reminders.stateIso3, iso3), eq(reminders.issueDate, issueDate))).get();

/** The figures a letter prints, as text: to tell whether anything moved between rendering and committing. */
const fingerprint = (r: ReminderDue<Standing> | undefined) =>
  JSON.stringify(r ? [r.invoices.map((i) => [i.number, String(i.leftCentimes)]), String(r.creditCentimes)] : null);

/**
 * POST /reminders {asOf, states?, date?}: a letter to each State to remind
 * on `asOf` (or to the States named, each of which must have something
 * overdue beyond its credit), dated `date` (default today). One letter per
 * State per day: a State already written to that day gets its letter back,
 * nothing new. Validates everything before writing anything.
 */
export async function issueReminders(ctx: Ctx, actor: Actor, input: { asOf: string; states?: string[] | undefined; date?: string | undefined }): Promise<ReminderIssueOut> {
  const today = todayUtc();
  const issueDate = input.date ?? today;
  const { asOf } = input;
  if (issueDate > today) throw new ValidationError([{ field: 'date', message: `must not be in the future (today is ${today})` }]);
  if (asOf > issueDate) throw new ValidationError([{ field: 'asOf', message: `must not be after the issue date ${issueDate}` }]);
  const issuer = requireIssuer(ctx.db);
  const due = readSnapshot(ctx.sqlite, () => dueOn(ctx.sqlite, asOf));
  let targets = [...due.keys()];
  if (input.states) {
    const errors: FieldError[] = [];
    input.states.forEach((iso3, i) => {
      if (!ctx.db.select({ iso3: states.iso3 }).from(states).where(eq(states.iso3, iso3)).get()) errors.push({ field: `states.${i}`, message: `no State ${iso3} in the register` });
      else if (!due.has(iso3)) errors.push({ field: `states.${i}`, message: `${iso3} has nothing overdue beyond its credit on ${asOf}: there is nothing to remind it of` });
    });
    if (errors.length) throw new ValidationError(errors);
    targets = [...new Set(input.states)].sort();
  }

  const year = Number(issueDate.slice(0, 4));
  const letters: ReminderIssueOut['letters'] = [];
  for (const iso3 of targets) {
    const r = await issueOne(ctx, actor, issuer, { iso3, asOf, issueDate, year, due: due.get(iso3)! });
    letters.push({ ...toLetterOut(r.row), outcome: r.outcome });
  }
  return { asOf, issueDate, issued: letters.filter((l) => l.outcome === 'issued').length, existing: letters.filter((l) => l.outcome === 'existing').length, letters };
}

async function issueOne(
  ctx: Ctx,
  actor: Actor,
  issuer: ReturnType<typeof requireIssuer>,
  p: { iso3: string; asOf: string; issueDate: string; year: number; due: ReminderDue<Standing> },
): Promise<{ outcome: 'issued' | 'existing'; row: ReminderRow }> {
  const { iso3, asOf, issueDate, year } = p;
  const state = ctx.db.select().from(states).where(eq(states.iso3, iso3)).get()!;
  let due = p.due;
  for (let attempt = 0; attempt < 20; attempt++) {
    const there = letterOn(ctx.db, iso3, issueDate);
    if (there) return { outcome: 'existing', row: there };
    const seq = nextSeq(ctx.db, year);
    const number = reminderNumber(year, seq);
    const earlier = lettersOf(ctx.db, iso3).filter((l) => l.issueDate < issueDate);
    const invoiceNumbers = due.invoices.map((i) => i.number);
    const level = reminderLevel(
      earlier.map((l) => (l.document as ReminderDocument).invoices.map((i) => i.number)),
      invoiceNumbers,
    );
    const doc: ReminderDocument = {
      number,
      issueDate,
      asOf,
      level,
      language: state.language,
      state: partyBlock(state, state.language),
      invoices: due.invoices.map(invoiceOut),
      overdue: formatMoney(due.overdueCentimes),
      credit: formatMoney(due.creditCentimes),
      toPay: formatMoney(due.toPayCentimes),
      creditorReference: reminderReference(year, seq),
      issuer: printedIssuer(issuer),
    };
    const pdf = await renderReminderPdf(doc);
    const pdfSha = sha256(pdf);
    const outcome = ctx.db.transaction(
      (tx) => {
        const now = letterOn(tx, iso3, issueDate);
        if (now) return { kind: 'existing' as const, row: now };
        if (nextSeq(tx, year) !== seq) return 'retry' as const;
        // What the letter prints must be what the ledger says on asOf at commit: a payment dated by then may have arrived meanwhile.
        const again = dueOn(ctx.sqlite, asOf, iso3).get(iso3);
        if (fingerprint(again) !== fingerprint(due)) return { kind: 'moved' as const, due: again };
        if (lettersOf(tx, iso3).filter((l) => l.issueDate < issueDate).length !== earlier.length) return 'retry' as const;
        tx.insert(reminders)
          .values({
            number,
            stateIso3: iso3,
            asOf,
            issueDate,
            level,
            totalCentimes: due.toPayCentimes,
            reference: doc.creditorReference,
            language: state.language,
            document: doc,
            pdfSha256: pdfSha,
            createdBy: actor.username,
          })
          .run();
        tx.insert(reminderLines)
          .values(due.invoices.map((i) => ({ reminderNumber: number, invoiceNumber: i.number, dueDate: i.dueDate, outstandingCentimes: i.leftCentimes })))
          .run();
        writeAudit(tx, actor, 'reminder', number, {
          iso3,
          asOf,
          issueDate,
          level,
          invoices: doc.invoices.map((i) => ({ number: i.number, left: i.left })),
          overdue: doc.overdue,
          credit: doc.credit,
          toPay: doc.toPay,
          reference: doc.creditorReference,
          pdfSha256: pdfSha,
        });
        return 'issued' as const;
      },
      { behavior: 'immediate' },
    );
    if (outcome === 'retry') continue;
    if (typeof outcome === 'object' && outcome.kind === 'existing') return { outcome: 'existing', row: outcome.row };
    if (typeof outcome === 'object') {
      if (!outcome.due) throw new ConflictError(`${iso3} has nothing overdue beyond its credit on ${asOf} any more: a payment was recorded meanwhile`, { field: 'states' });
      due = outcome.due;
      continue;
    }
    const pdfError = writePdfAfterCommit(pdfPath(ctx.invoiceDir, number), pdf);
    if (pdfError !== null)
      throw new PdfNotWrittenError({ type: 'reminder', number }, pdfError, 'Letters to other States in this request that come after it were not issued yet: ask again to issue them (one letter per State per day).');
    return { outcome: 'issued', row: findLetter(ctx.db, number, null) };
  }
  throw new ConflictError('other reminders kept taking the next number; try again');
}

function findLetter(db: DbOrTx, number: string, scope: Scope): ReminderRow {
  const row = db.select().from(reminders).where(eq(reminders.number, number)).get();
  if (!row || (scope !== null && row.stateIso3 !== scope)) throw new NotFoundError(`Reminder ${number}`);
  return row;
}

export function getReminderLetter(ctx: Ctx, number: string, scope: Scope): ReminderLetterOut {
  return toLetterOut(findLetter(ctx.db, number, scope));
}

/** Issued letters, oldest first, by State, year of issue, date of the figures (`asOf`) or issue date; a State user sees its own only. */
export function listReminderLetters(
  ctx: Ctx,
  filter: { state?: string | undefined; year?: number | undefined; asOf?: string | undefined; date?: string | undefined },
  scope: Scope,
): ReminderLetterOut[] {
  if (scope !== null && filter.state !== undefined && filter.state !== scope) throw new NotFoundError(`State ${filter.state}`);
  const state = scope ?? filter.state;
  const conds = [
    ...(state !== undefined ? [eq(reminders.stateIso3, state)] : []),
    ...(filter.year !== undefined ? [sql`${reminders.issueDate} LIKE ${`${filter.year}-%`}`] : []),
    ...(filter.asOf !== undefined ? [eq(reminders.asOf, filter.asOf)] : []),
    ...(filter.date !== undefined ? [eq(reminders.issueDate, filter.date)] : []),
  ];
  return ctx.db
    .select()
    .from(reminders)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(reminders.issueDate), asc(reminders.number))
    .all()
    .map(toLetterOut);
}

/**
 * The letter's PDF of record: written again from the stored document when
 * the file is missing or differs, and checked against the SHA-256 recorded
 * at issue. For the API, the CLI and e-mail delivery.
 */
export async function reminderPdf(ctx: Ctx, number: string, scope: Scope): Promise<{ file: string; sha256: string }> {
  const row = findLetter(ctx.db, number, scope);
  const file = pdfPath(ctx.invoiceDir, row.number);
  await ensurePdf(file, row.pdfSha256, () => renderReminderPdf(row.document as ReminderDocument));
  return { file, sha256: row.pdfSha256 };
}

