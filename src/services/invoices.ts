/**
 * Invoices and credit notes (SPEC 2.4). The batch issues one invoice per
 * assessed State, each in its own database transaction: the invoice row, its
 * lines, its journal entry, its PDF hash and its audit row commit together or
 * not at all. Numbers are gapless per year because each is allocated inside
 * the transaction that uses it. The PDF is rendered from the stored document
 * before the transaction (so the hash is known) and written to disk after it;
 * the file can always be rendered again, byte for byte, from the document.
 */
import { creditNoteAttachment, invoiceAttachment } from '../einvoice/facturx.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './files.js';
import { and, asc, eq, sql } from 'drizzle-orm';
import { invoiceCreditorReference } from '../domain/creditor-reference.js';
import { todayUtc } from '../domain/dates.js';
import { paymentDeadline } from '../domain/deadlines.js';
import { ACCOUNTS, type PostingDraft } from '../domain/ledger.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import type { OpenLine } from '../domain/payments.js';
import { writeAudit } from '../db/repositories/audit.js';
import { postEntry } from '../db/repositories/ledger.js';
import { assessmentSnapshots, creditNoteLines, creditNotes, invoiceLines, invoices, states, type StoredScheme } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { AssessmentOut } from '../schemas/budgets.js';
import type { creditNoteOut, invoiceOut } from '../schemas/invoices.js';
import type { z } from 'zod';
import { creditNoteCii, invoiceCii } from '../einvoice/cii.js';
import { renderCreditNotePdf } from '../pdf/credit-note.js';
import { netPayable, renderInvoicePdf } from '../pdf/invoice.js';
import type { CreditNoteDocument, InvoiceDocument, IssuerSettings, Lang } from '../pdf/types.js';
import { type Actor, type Scope } from './actor.js';
import { assessBudget, currentAssessment, findBudget } from './budgets.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, PdfNotWrittenError, ValidationError } from './errors.js';
import { insertReleaseRows, openLines, partiallyCredited, planCreditApplication, postCreditApplication, releaseApplications, type CreditPlan } from './applications.js';
import { arrearsOn, balanceFigures } from './accounts.js';
import { assertOpen } from './periods.js';
import { requireIssuer } from './settings.js';
import { partyBlock } from './party.js';

type InvoiceRow = typeof invoices.$inferSelect;
type CreditNoteRow = typeof creditNotes.$inferSelect;
type StateRow = typeof states.$inferSelect;

export type InvoiceOut = z.infer<typeof invoiceOut>;
export type CreditNoteOut = z.infer<typeof creditNoteOut>;

export interface BatchResult {
  year: number;
  issueDate: string;
  issued: { number: string; iso3: string; total: string; creditorReference: string; kind: 'assessment' | 'late' }[];
  alreadyIssued: number;
  skipped: { iso3: string; reason: string }[];
  pdfsRestored: number;
  /** Every assessed State, accounted for: issued, already issued or skipped with why (SPEC 9.3). */
  states: { iso3: string; outcome: 'issued' | 'already-issued' | 'skipped'; kind: 'assessment' | 'late'; invoice: string | null; reason: string | null }[];
}

export const sha256 = (buf: Buffer) => crypto.createHash('sha256').update(buf).digest('hex');


export function invoiceNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
}

function pdfPath(invoiceDir: string, year: number, number: string): string {
  return path.join(invoiceDir, String(year), `${number}.pdf`);
}

/** Writes the file atomically (temporary file, fsync, rename), readable by its owner only, in a folder of the owner's only. */
export function writeFileAtomic(file: string, data: Buffer): void {
  ensurePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Writes a PDF after its document was committed; a failure is returned, not thrown, for the caller to report truthfully (the record stands). */
export function writePdfAfterCommit(file: string, pdf: Buffer): unknown {
  try {
    writeFileAtomic(file, pdf);
    return null;
  } catch (err) {
    return err;
  }
}

function nextSeq(db: DbOrTx, table: typeof invoices | typeof creditNotes, year: number): number {
  const row = db
    .select({ max: sql<number | null>`max(${table.seq})` })
    .from(table)
    .where(eq(table.year, year))
    .get();
  return (row?.max ?? 0) + 1;
}

function creditNoteFor(db: DbOrTx, invoiceNumberValue: string): CreditNoteRow | undefined {
  return db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.invoiceNumber, invoiceNumberValue), eq(creditNotes.kind, 'cancellation')))
    .get();
}

export function toInvoiceOut(db: DbOrTx, row: InvoiceRow): InvoiceOut {
  const lines = db.select().from(invoiceLines).where(eq(invoiceLines.invoiceNumber, row.number)).orderBy(asc(invoiceLines.position)).all();
  const cn = creditNoteFor(db, row.number);
  const partial = db
    .select({ number: creditNotes.number, total: creditNotes.totalCentimes })
    .from(creditNotes)
    .where(and(eq(creditNotes.invoiceNumber, row.number), eq(creditNotes.kind, 'partial')))
    .orderBy(asc(creditNotes.seq))
    .all();
  const creditedCentimes = sumCentimes(partial.map((p) => p.total));
  const doc = row.document as InvoiceDocument;
  return {
    number: row.number,
    year: row.year,
    kind: row.kind,
    iso3: row.stateIso3,
    stateName: doc.state.name,
    issueDate: row.issueDate,
    cutoffDate: row.cutoffDate,
    language: row.language,
    lines: lines.map((l) => ({ category: l.category, amount: formatMoney(l.amountCentimes) })),
    total: formatMoney(row.totalCentimes),
    originalInvoice: row.originalInvoice,
    budgetVersion: row.budgetVersion,
    creditAppliedOnIssue: doc.creditApplied ?? '0.00',
    netPayable: netPayable(doc),
    creditorReference: row.creditorReference,
    status: cn ? 'cancelled' : 'issued',
    creditNote: cn?.number ?? null,
    partialCreditNotes: partial.map((p) => p.number),
    credited: formatMoney(creditedCentimes),
    remaining: formatMoney(cn ? 0n : row.totalCentimes - creditedCentimes),
    pdfSha256: row.pdfSha256,
    pdfUrl: `/api/v1/invoices/${row.number}/pdf`,
  };
}

function toCreditNoteOut(row: CreditNoteRow): CreditNoteOut {
  const doc = row.document as CreditNoteDocument;
  return {
    number: row.number,
    year: row.year,
    invoiceNumber: row.invoiceNumber,
    kind: row.kind,
    budgetVersion: row.budgetVersion,
    iso3: row.stateIso3,
    issueDate: row.issueDate,
    reason: row.reason,
    lines: doc.lines.map((l) => ({ category: l.code, amount: l.amount })),
    total: formatMoney(row.totalCentimes),
    pdfSha256: row.pdfSha256,
    pdfUrl: `/api/v1/credit-notes/${row.number}/pdf`,
  };
}

/** The assessment a batch invoices: the frozen one once the first invoice exists, else computed now. */
export function frozenAssessment(db: DbOrTx, year: number): AssessmentOut | null {
  const snap = db.select().from(assessmentSnapshots).where(eq(assessmentSnapshots.year, year)).get();
  return snap ? (snap.document as AssessmentOut) : null;
}

function buildInvoiceDocument(
  ctx: Ctx,
  budget: NonNullable<ReturnType<typeof findBudget>>,
  assessment: AssessmentOut,
  row: AssessmentOut['rows'][number],
  state: StateRow,
  number: string,
  creditorRef: string,
  issueDate: string,
  onIssue: OnIssue,
): InvoiceDocument {
  const lang = state.language;
  return {
    number,
    issueDate,
    budgetYear: budget.year,
    cutoffDate: budget.cutoffDate,
    decisionRef: budget.decisionRef,
    approvedOn: budget.approvedOn,
    language: lang,
    state: partyBlock(state, lang),
    lines: assessment.categories.map((c) => ({
      code: c.code,
      label: categoryLabel(budget.scheme, c.code, lang) ?? c.label,
      basis: c.method === 'equal' ? { method: 'equal', statesCount: assessment.states } : { method: 'scale', rate: row.rate ?? '0', rebasedRate: row.rebasedRate ?? '0' },
      amount: row.amounts[c.code] ?? '0.00',
    })),
    total: row.total,
    creditorReference: creditorRef,
    creditApplied: formatMoney(onIssue.creditToInvoiceCentimes),
    earlierOutstanding: onIssue.earlierArrears.map((r) => ({ year: r.year, amount: formatMoney(r.amountCentimes) })),
  };
}

/** What happens to a State's account when an invoice is issued to it: credit applied (SPEC 9.2), and the earlier years still in arrears after it. */
interface OnIssue {
  plan: CreditPlan;
  creditToInvoiceCentimes: Centimes;
  earlierArrears: { year: number; amountCentimes: Centimes }[];
}

function onIssue(ctx: Ctx, db: DbOrTx, iso3: string, year: number, issueDate: string, newLines: OpenLine[]): OnIssue {
  const number = newLines[0]?.invoiceNumber;
  const plan = planCreditApplication(ctx, db, iso3, issueDate, newLines);
  const byYear = new Map(balanceFigures(ctx.sqlite, iso3, issueDate).byYear);
  for (const a of plan.allocations) if (a.invoiceNumber !== number) byYear.set(a.budgetYear, (byYear.get(a.budgetYear) ?? 0n) - a.amountCentimes);
  return {
    plan,
    creditToInvoiceCentimes: sumCentimes(plan.allocations.filter((a) => a.invoiceNumber === number).map((a) => a.amountCentimes)),
    earlierArrears: arrearsOn(ctx.sqlite, iso3, byYear, issueDate).filter((a) => a.year < year),
  };
}

/** The figures of an OnIssue as text, to tell whether anything changed between rendering and committing. */
function onIssueFingerprint(o: OnIssue): string {
  return JSON.stringify([
    o.plan.allocations.map((a) => [a.invoiceNumber, a.category, formatMoney(a.amountCentimes)]),
    o.earlierArrears.map((a) => [a.year, formatMoney(a.amountCentimes)]),
  ]);
}

function categoryLabel(scheme: StoredScheme, code: string, lang: Lang): string | undefined {
  const c = scheme.categories.find((x) => x.code === code);
  return lang === 'en' ? c?.label : (c?.labels?.[lang] ?? c?.label);
}

/**
 * The issuer block a document prints — sender, bank details, QR-bill creditor,
 * without the numbering prefixes — kept in the document at issue (SPEC 9.8).
 */
export function printedIssuer(issuer: IssuerSettings): IssuerSettings {
  const { bank, qrCreditor: q } = issuer;
  return {
    name: issuer.name,
    addressLines: [...issuer.addressLines],
    email: issuer.email,
    ...(issuer.website !== undefined ? { website: issuer.website } : {}),
    ...(issuer.translations !== undefined ? { translations: structuredClone(issuer.translations) } : {}),
    bank: { accountHolder: bank.accountHolder, bankName: bank.bankName, bankAddressLines: [...bank.bankAddressLines], iban: bank.iban, bic: bank.bic },
    qrCreditor: {
      name: q.name,
      address: q.address,
      ...(q.buildingNumber !== undefined ? { buildingNumber: q.buildingNumber } : {}),
      zip: q.zip,
      city: q.city,
      country: q.country,
    },
  };
}

/** The issuer a stored document printed: its own copy; a document issued before documents kept it printed the settings (as today). */
export function issuerOf(db: DbOrTx, doc: { issuer?: IssuerSettings | undefined }): IssuerSettings {
  return doc.issuer ?? requireIssuer(db);
}

/** The PDF of record of an invoice: PDF/A-3b carrying its EN 16931 e-invoice XML (Factur-X). */
export function renderInvoice(doc: InvoiceDocument, issuer: IssuerSettings): Promise<Buffer> {
  return renderInvoicePdf(doc, issuer, invoiceAttachment(doc, issuer));
}

/** The PDF of record of a credit note: PDF/A-3b carrying its EN 16931 XML (Factur-X). */
export function renderCreditNote(doc: CreditNoteDocument, issuer: IssuerSettings): Promise<Buffer> {
  return renderCreditNotePdf(doc, issuer, creditNoteAttachment(doc, issuer));
}

/** Writes the PDF of record if the file is missing or differs; returns true when it (re)wrote it. */
export async function ensurePdf(file: string, expectedSha: string, render: () => Promise<Buffer>): Promise<boolean> {
  if (fs.existsSync(file) && sha256(fs.readFileSync(file)) === expectedSha) return false;
  const pdf = await render();
  if (sha256(pdf) !== expectedSha) throw new Error(
      `the PDF ${path.basename(file)} rendered again does not match its recorded SHA-256 (a document printed by an earlier version of the program, e.g. before PDF/A, cannot be rendered to its old bytes: restore the file from a backup)`,
    );
  writeFileAtomic(file, pdf);
  return true;
}

/**
 * Issues one invoice with the next number of its year (gapless): rendered
 * first, then committed in one transaction with its lines, its journal entry,
 * the credit applied on issue and its audit row — only if the number is
 * still next and nothing it prints has moved (else rendered again); the PDF
 * is written after the commit. `exists` tells an invoice already there.
 */
export async function issueOne(
  ctx: Ctx,
  actor: Actor,
  issuer: ReturnType<typeof requireIssuer>,
  p: {
    year: number;
    kind: InvoiceRow['kind'];
    state: StateRow;
    issueDate: string;
    cutoffDate: string;
    originalInvoice: string | null;
    /** A supplementary invoice: the budget version it follows. */
    budgetVersion?: number | undefined;
    lines: { category: string; position: number; amountCentimes: Centimes }[];
    document: (number: string, creditorRef: string, before: OnIssue) => InvoiceDocument;
    exists: (db: DbOrTx) => string | undefined;
    /** The first invoice of the year freezes its assessment. */
    freeze: { assessment: AssessmentOut; json: string } | null;
  },
): Promise<{ outcome: 'issued' | 'exists'; number: string; creditorReference: string; pdfError?: unknown }> {
  const { year, state, issueDate } = p;
  const totalCentimes = sumCentimes(p.lines.map((l) => l.amountCentimes));
  for (let attempt = 0; ; attempt++) {
    const seq = nextSeq(ctx.db, invoices, year);
    const number = invoiceNumber(issuer.invoicePrefix, year, seq);
    const creditorRef = invoiceCreditorReference(issuer.invoicePrefix, year, seq);
    const newLines: OpenLine[] = p.lines
      .filter((l) => l.amountCentimes > 0n)
      .map((l) => ({ invoiceNumber: number, budgetYear: year, issueDate, position: l.position, category: l.category, openCentimes: l.amountCentimes }));
    const before = onIssue(ctx, ctx.db, state.iso3, year, issueDate, newLines);
    // The document keeps the issuer it prints (a re-issued invoice's copy of the original is replaced by today's).
    const doc: InvoiceDocument = { ...p.document(number, creditorRef, before), issuer: printedIssuer(issuer) };
    if (doc.total !== formatMoney(totalCentimes)) throw new Error(`internal: invoice lines of ${state.iso3} do not sum to its total`);
    const pdf = await renderInvoice(doc, doc.issuer!);
    const pdfSha = sha256(pdf);
    const outcome = ctx.db.transaction(
      (tx) => {
        const there = p.exists(tx);
        if (there) return { there };
        if (nextSeq(tx, invoices, year) !== seq) return 'retry' as const;
        // The credit and arrears printed must be those committed: re-render if a payment or credit moved meanwhile.
        if (onIssueFingerprint(onIssue(ctx, tx, state.iso3, year, issueDate, newLines)) !== onIssueFingerprint(before)) return 'retry' as const;
        if (p.freeze && !frozenAssessment(tx, year))
          tx.insert(assessmentSnapshots)
            .values({ year, document: p.freeze.assessment, sha256: sha256(Buffer.from(p.freeze.json)), frozenAt: new Date().toISOString() })
            .run();
        const what = {
          assessment: 'Invoice',
          late: 'Late invoice',
          reissue: `Invoice re-issued for ${p.originalInvoice}`,
          supplementary: `Supplementary invoice (budget version ${p.budgetVersion}, after ${p.originalInvoice})`,
        }[p.kind];
        const entryId = postEntry(tx, actor, {
          entryDate: issueDate,
          kind: 'invoice',
          description: `${what} ${number}: ${year} contribution of ${state.nameEn}`,
          refType: 'invoice',
          refId: number,
          postings: p.lines
            .filter((l) => l.amountCentimes !== 0n)
            .flatMap((l) => [
              { account: ACCOUNTS.receivable, amountCentimes: l.amountCentimes, stateIso3: state.iso3, budgetYear: year, category: l.category },
              { account: ACCOUNTS.assessedIncome, amountCentimes: -l.amountCentimes, stateIso3: state.iso3, budgetYear: year, category: l.category },
            ]),
        });
        tx.insert(invoices)
          .values({
            number,
            year,
            seq,
            kind: p.kind,
            stateIso3: state.iso3,
            issueDate,
            cutoffDate: p.cutoffDate,
            language: state.language,
            totalCentimes,
            creditorReference: creditorRef,
            originalInvoice: p.originalInvoice,
            budgetVersion: p.budgetVersion ?? null,
            document: doc,
            pdfSha256: pdfSha,
            journalEntryId: entryId,
          })
          .run();
        tx.insert(invoiceLines)
          .values(p.lines.map((l) => ({ invoiceNumber: number, position: l.position, category: l.category, amountCentimes: l.amountCentimes })))
          .run();
        postCreditApplication(tx, actor, state.iso3, issueDate, before.plan, {
          refType: 'invoice',
          refId: number,
          description: `Unapplied credit of ${state.iso3} applied on issue of invoice ${number}`,
        });
        writeAudit(tx, actor, 'invoice', number, {
          iso3: state.iso3,
          kind: p.kind,
          ...(p.originalInvoice ? { originalInvoice: p.originalInvoice } : {}),
          ...(p.budgetVersion !== undefined ? { budgetVersion: p.budgetVersion } : {}),
          total: formatMoney(totalCentimes),
          creditApplied: formatMoney(before.creditToInvoiceCentimes),
          issueDate,
          pdfSha256: pdfSha,
        });
        return 'issued' as const;
      },
      { behavior: 'immediate' },
    );
    if (outcome === 'retry' && attempt < 20) continue;
    if (outcome === 'retry') throw new ConflictError('other invoices kept taking the next number; try again');
    if (typeof outcome === 'object') return { outcome: 'exists', number: outcome.there, creditorReference: '' };
    const pdfError = writePdfAfterCommit(pdfPath(ctx.invoiceDir, year, number), pdf);
    return { outcome: 'issued', number, creditorReference: creditorRef, ...(pdfError !== null ? { pdfError } : {}) };
  }
}

export async function issueInvoiceBatch(
  ctx: Ctx,
  actor: Actor,
  year: number,
  opts: { issueDate?: string | undefined; onProgress?: (done: number, total: number) => void } = {},
): Promise<BatchResult> {
  const budget = findBudget(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  const today = todayUtc();
  const issueDate = opts.issueDate ?? today;
  if (issueDate < budget.approvedOn)
    throw new ValidationError([{ field: 'issueDate', message: `must not be before the budget's approval on ${budget.approvedOn}` }]);
  if (issueDate > today) throw new ValidationError([{ field: 'issueDate', message: `must not be in the future (today is ${today})` }]);
  assertOpen(ctx.db, issueDate, 'issueDate');
  const issuer = requireIssuer(ctx.db);
  const frozen = frozenAssessment(ctx.db, year);
  const assessment = frozen ?? assessBudget(ctx, year);
  const assessmentJson = JSON.stringify(assessment);
  // Late joiners (SPEC 9.3): States assessed now that the frozen assessment does not hold get a `late` invoice of
  // what they would have paid in the assessment as it is now computed; the others' invoices are unchanged.
  const current = frozen ? currentAssessment(ctx, year) : assessment;
  const inFrozen = new Set(assessment.rows.map((r) => r.iso3));
  const work = [
    ...assessment.rows.map((row) => ({ row, kind: 'assessment' as const, basis: assessment })),
    ...current.rows.filter((r) => !inFrozen.has(r.iso3)).map((row) => ({ row, kind: 'late' as const, basis: current })),
  ];

  const result: BatchResult = { year, issueDate, issued: [], alreadyIssued: 0, skipped: [], pdfsRestored: 0, states: [] };
  const existing = (db: DbOrTx, iso3: string, kind: 'assessment' | 'late') =>
    db
      .select({ n: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.year, year), eq(invoices.stateIso3, iso3), eq(invoices.kind, kind)))
      .get()?.n;

  const total = work.length;
  let done = 0;
  for (const { row, kind, basis } of work) {
    const already = existing(ctx.db, row.iso3, kind);
    if (already) {
      result.alreadyIssued++;
      result.states.push({ iso3: row.iso3, outcome: 'already-issued', kind, invoice: already, reason: null });
    } else if (parseMoney(row.total) === 0n) {
      result.skipped.push({ iso3: row.iso3, reason: 'assessed at CHF 0.00' });
      result.states.push({ iso3: row.iso3, outcome: 'skipped', kind, invoice: null, reason: 'assessed at CHF 0.00' });
    } else {
      const state = ctx.db.select().from(states).where(eq(states.iso3, row.iso3)).get();
      if (!state) throw new Error(`internal: assessed State ${row.iso3} is not in the register`);
      // A late invoice issued near or after the cut-off gets MIN_PAYMENT_DAYS to pay.
      const cutoffDate = kind === 'late' ? paymentDeadline(budget.cutoffDate, issueDate) : budget.cutoffDate;
      const r = await issueOne(ctx, actor, issuer, {
        year,
        kind,
        state,
        issueDate,
        cutoffDate,
        originalInvoice: null,
        lines: basis.categories.map((c, position) => ({ category: c.code, position, amountCentimes: parseMoney(row.amounts[c.code] ?? '0') })),
        document: (number, creditorRef, before) => {
          const doc = { ...buildInvoiceDocument(ctx, budget, basis, row, state, number, creditorRef, issueDate, before), cutoffDate };
          if (kind === 'late') doc.late = { entryIntoForce: state.entryIntoForce ?? budget.membershipDate, membershipDate: budget.membershipDate };
          return doc;
        },
        exists: (db) => existing(db, row.iso3, kind),
        freeze: frozen ? null : { assessment, json: assessmentJson },
      });
      if (r.outcome === 'exists') {
        result.alreadyIssued++;
        result.states.push({ iso3: row.iso3, outcome: 'already-issued', kind, invoice: r.number, reason: null });
      } else {
        result.issued.push({ number: r.number, iso3: row.iso3, total: row.total, creditorReference: r.creditorReference, kind });
        result.states.push({ iso3: row.iso3, outcome: 'issued', kind, invoice: r.number, reason: null });
        if (r.pdfError !== undefined) {
          const n = result.issued.length - 1;
          const before = n === 0 ? '' : ` (the ${n} invoice${n === 1 ? '' : 's'} issued before it in this run are recorded too)`;
          throw new PdfNotWrittenError({ type: 'invoice', number: r.number }, r.pdfError, `The batch stopped there${before}: run it again to issue the rest and to write the missing PDFs.`);
        }
      }
    }
    opts.onProgress?.(++done, total);
  }

  // Complete what an interrupted run left: every issued invoice of the year has its PDF on disk.
  const issuedRows = ctx.db.select().from(invoices).where(eq(invoices.year, year)).all();
  for (const inv of issuedRows)
    if (await ensurePdf(pdfPath(ctx.invoiceDir, year, inv.number), inv.pdfSha256, () => renderInvoice(inv.document as InvoiceDocument, (inv.document as InvoiceDocument).issuer ?? issuer)))
      result.pdfsRestored++;
  return result;
}

/** Which State may see a resource: null for roles that see all; a State user only its own. */

function findInvoice(db: DbOrTx, number: string, scope: Scope): InvoiceRow {
  const row = db.select().from(invoices).where(eq(invoices.number, number)).get();
  if (!row || (scope !== null && row.stateIso3 !== scope)) throw new NotFoundError(`Invoice ${number}`);
  return row;
}

export function getInvoice(ctx: Ctx, number: string, scope: Scope): InvoiceOut {
  return toInvoiceOut(ctx.db, findInvoice(ctx.db, number, scope));
}

export function listInvoices(ctx: Ctx, filter: { year?: number | undefined; state?: string | undefined; status?: 'issued' | 'cancelled' | undefined }, scope: Scope): InvoiceOut[] {
  if (scope !== null && filter.state !== undefined && filter.state !== scope) throw new NotFoundError(`State ${filter.state}`);
  const state = scope ?? filter.state;
  const conds = [
    ...(filter.year !== undefined ? [eq(invoices.year, filter.year)] : []),
    ...(state !== undefined ? [eq(invoices.stateIso3, state)] : []),
  ];
  const rows = ctx.db
    .select()
    .from(invoices)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(invoices.year), asc(invoices.seq))
    .all();
  return rows.map((r) => toInvoiceOut(ctx.db, r)).filter((i) => filter.status === undefined || i.status === filter.status);
}

export async function invoicePdf(ctx: Ctx, number: string, scope: Scope): Promise<{ file: string; sha256: string }> {
  const row = findInvoice(ctx.db, number, scope);
  const file = pdfPath(ctx.invoiceDir, row.year, row.number);
  await ensurePdf(file, row.pdfSha256, () => renderInvoice(row.document as InvoiceDocument, issuerOf(ctx.db, row.document as InvoiceDocument)));
  return { file, sha256: row.pdfSha256 };
}

/**
 * The invoice as an EN 16931 e-invoice (CII XML, issue 17), built from the
 * stored document and the issuer it printed: the same XML every call; scoped
 * like the PDF (another State's answers 404).
 */
export function invoiceXml(ctx: Ctx, number: string, scope: Scope): string {
  const doc = findInvoice(ctx.db, number, scope).document as InvoiceDocument;
  return invoiceCii(doc, issuerOf(ctx.db, doc));
}

export async function cancelInvoice(ctx: Ctx, actor: Actor, number: string, input: { reason: string; date?: string | undefined }): Promise<CreditNoteOut> {
  const invoice = findInvoice(ctx.db, number, null);
  const today = todayUtc();
  const issueDate = input.date ?? today;
  if (issueDate < invoice.issueDate) throw new ValidationError([{ field: 'date', message: `must not be before the invoice's issue date ${invoice.issueDate}` }]);
  if (issueDate > today) throw new ValidationError([{ field: 'date', message: `must not be in the future (today is ${today})` }]);
  assertOpen(ctx.db, issueDate, 'date');
  // What is left of each line: partial credit notes (budget revisions) may have credited some of it already.
  const credited = partiallyCredited(ctx.db, [number]);
  const lines = ctx.db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceNumber, number))
    .orderBy(asc(invoiceLines.position))
    .all()
    .map((l) => ({ category: l.category, amountCentimes: l.amountCentimes - (credited.get(`${number}|${l.category}`) ?? 0n) }));
  if (creditNoteFor(ctx.db, number)) throw new ConflictError(`invoice ${number} is already cancelled`);
  if (lines.every((l) => l.amountCentimes === 0n))
    throw new ConflictError(`invoice ${number} was credited in full by the credit notes of a budget revision: nothing is left to cancel`, { field: 'number' });
  const r = await issueCreditNote(ctx, actor, requireIssuer(ctx.db), {
    invoice,
    kind: 'cancellation',
    budgetVersion: null,
    lines,
    reason: input.reason,
    issueDate,
    description: (cn) => `Credit note ${cn} cancelling invoice ${number}: ${input.reason}`,
    exists: (db) => creditNoteFor(db, number)?.number,
  });
  if (r.outcome === 'exists') throw new ConflictError(`invoice ${number} is already cancelled`);
  if (r.pdfError !== undefined) throw new PdfNotWrittenError({ type: 'credit-note', number: r.number }, r.pdfError, `Invoice ${number} is cancelled.`);
  return getCreditNote(ctx, r.number, null);
}

/**
 * Issues one credit note on an invoice with the next number of its year
 * (gapless): a cancellation credits what is left of every line, a partial one
 * (a budget revision) the lines given. In one transaction: the credit note,
 * its lines, its journal entry (income back, receivable down), the release of
 * money applied beyond what is left to pay (to the State's credit), that
 * credit applied to the State's other open invoices (SPEC 9.2) and the audit
 * row. `exists` tells a credit note already there (idempotence).
 */
export async function issueCreditNote(
  ctx: Ctx,
  actor: Actor,
  issuer: ReturnType<typeof requireIssuer>,
  p: {
    invoice: InvoiceRow;
    kind: CreditNoteRow['kind'];
    budgetVersion: number | null;
    /** What is credited, by category (a cancellation: what is left of each line). */
    lines: { category: string; amountCentimes: Centimes }[];
    reason: string;
    issueDate: string;
    description: (creditNoteNumber: string) => string;
    revision?: CreditNoteDocument['revision'];
    exists: (db: DbOrTx) => string | undefined;
  },
): Promise<{ outcome: 'issued' | 'exists'; number: string; pdfError?: unknown }> {
  const { invoice, issueDate } = p;
  const invDoc = invoice.document as InvoiceDocument;
  const totalCentimes = sumCentimes(p.lines.map((l) => l.amountCentimes));
  /** What is still to pay on the invoice once the credit note is issued: each line's open amount less its credit (what was paid beyond goes back as credit); nothing on a cancelled one. */
  const payableAfter = (db: DbOrTx): Centimes => {
    if (p.kind === 'cancellation') return 0n;
    let left = 0n;
    for (const l of openLines(db, invoice.stateIso3, { asOf: '9999-12-31', invoice: invoice.number })) {
      const after = l.openCentimes - (p.lines.find((x) => x.category === l.category)?.amountCentimes ?? 0n);
      if (after > 0n) left += after;
    }
    return left;
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    const seq = nextSeq(ctx.db, creditNotes, invoice.year);
    const remainingCentimes = payableAfter(ctx.db);
    const cnNumber = invoiceNumber(issuer.creditNotePrefix, invoice.year, seq);
    const doc: CreditNoteDocument = {
      number: cnNumber,
      issueDate,
      budgetYear: invoice.year,
      language: invoice.language,
      state: invDoc.state,
      invoiceNumber: invoice.number,
      invoiceIssueDate: invoice.issueDate,
      reason: p.reason,
      lines: invDoc.lines
        .filter((l) => p.kind === 'cancellation' || p.lines.some((x) => x.category === l.code && x.amountCentimes > 0n))
        .map((l) => ({ code: l.code, label: l.label, amount: formatMoney(p.lines.find((x) => x.category === l.code)?.amountCentimes ?? 0n) })),
      total: formatMoney(totalCentimes),
      remainingPayable: formatMoney(remainingCentimes),
      ...(p.revision ? { revision: p.revision } : {}),
      issuer: printedIssuer(issuer),
    };
    const pdf = await renderCreditNote(doc, doc.issuer!);
    const pdfSha = sha256(pdf);
    const outcome = ctx.db.transaction(
      (tx) => {
        const there = p.exists(tx);
        if (there) return { there };
        if (nextSeq(tx, creditNotes, invoice.year) !== seq) return 'retry' as const;
        // What the credit note prints as still payable must be what the ledger says at commit (a payment may have arrived meanwhile).
        if (payableAfter(tx) !== remainingCentimes) return 'retry' as const;
        // What is credited must still be there: the invoice live, each line's remainder at least the credit (for a cancellation, exactly it).
        if (p.kind === 'partial' && creditNoteFor(tx, invoice.number)) throw new ConflictError(`invoice ${invoice.number} was cancelled meanwhile: nothing is left to credit on it`);
        const left = remainingLines(tx, invoice.number);
        for (const l of p.lines) {
          const there = left.get(l.category) ?? 0n;
          if (p.kind === 'partial' ? there < l.amountCentimes : there !== l.amountCentimes)
            throw new ConflictError(`${formatMoney(there)} is left of line ${l.category} of invoice ${invoice.number}, not the ${formatMoney(l.amountCentimes)} to credit: it changed meanwhile; try again`);
        }
        // Money applied beyond what is left to pay after the credit goes back to the State's unapplied credit.
        const keep = new Map(p.kind === 'cancellation' ? [] : [...left].map(([category, c]) => [category, c - (p.lines.find((l) => l.category === category)?.amountCentimes ?? 0n)] as const));
        const release = releaseApplications(tx, invoice.number, invoice.stateIso3, invoice.year, keep);
        const entryId = postEntry(tx, actor, {
          entryDate: issueDate,
          kind: 'credit-note',
          description: p.description(cnNumber),
          refType: 'credit-note',
          refId: cnNumber,
          reversesEntryId: p.kind === 'cancellation' ? invoice.journalEntryId : null,
          postings: p.lines
            .filter((l) => l.amountCentimes !== 0n)
            .flatMap((l): PostingDraft[] => [
              { account: ACCOUNTS.assessedIncome, amountCentimes: l.amountCentimes, stateIso3: invoice.stateIso3, budgetYear: invoice.year, category: l.category },
              { account: ACCOUNTS.receivable, amountCentimes: -l.amountCentimes, stateIso3: invoice.stateIso3, budgetYear: invoice.year, category: l.category },
            ])
            .concat(release.postings),
        });
        insertReleaseRows(tx, invoice.stateIso3, issueDate, entryId, release.rows);
        tx.insert(creditNotes)
          .values({
            number: cnNumber,
            year: invoice.year,
            seq,
            invoiceNumber: invoice.number,
            stateIso3: invoice.stateIso3,
            issueDate,
            reason: p.reason,
            kind: p.kind,
            budgetVersion: p.budgetVersion,
            totalCentimes,
            document: doc,
            pdfSha256: pdfSha,
            journalEntryId: entryId,
          })
          .run();
        if (p.kind === 'partial')
          tx.insert(creditNoteLines)
            .values(p.lines.filter((l) => l.amountCentimes > 0n).map((l) => ({ creditNoteNumber: cnNumber, category: l.category, amountCentimes: l.amountCentimes })))
            .run();
        writeAudit(tx, actor, 'credit-note', cnNumber, {
          invoice: invoice.number,
          kind: p.kind,
          ...(p.budgetVersion !== null ? { budgetVersion: p.budgetVersion } : {}),
          reason: p.reason,
          total: formatMoney(totalCentimes),
        });
        // Credit is used before anyone is chased (SPEC 9.2): what the credit note gave back goes to the State's other open invoices, oldest first.
        postCreditApplication(tx, actor, invoice.stateIso3, issueDate, planCreditApplication(ctx, tx, invoice.stateIso3, issueDate), {
          refType: 'credit-note',
          refId: cnNumber,
          description: `Credit released by ${cnNumber} applied to the other open invoices of ${invoice.stateIso3}`,
        });
        return 'done' as const;
      },
      { behavior: 'immediate' },
    );
    if (typeof outcome === 'object') return { outcome: 'exists', number: outcome.there };
    if (outcome === 'retry') continue;
    const pdfError = writePdfAfterCommit(pdfPath(ctx.invoiceDir, invoice.year, cnNumber), pdf);
    return { outcome: 'issued', number: cnNumber, ...(pdfError !== null ? { pdfError } : {}) };
  }
  throw new ConflictError('other credit notes kept taking the next number; try again');
}

/** What is left of each line of an invoice after partial credit notes, by category. */
export function remainingLines(db: DbOrTx, number: string): Map<string, Centimes> {
  const credited = partiallyCredited(db, [number]);
  return new Map(
    db
      .select()
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceNumber, number))
      .all()
      .map((l) => [l.category, l.amountCentimes - (credited.get(`${number}|${l.category}`) ?? 0n)] as const),
  );
}

function findCreditNote(db: DbOrTx, number: string, scope: Scope): CreditNoteRow {
  const row = db.select().from(creditNotes).where(eq(creditNotes.number, number)).get();
  if (!row || (scope !== null && row.stateIso3 !== scope)) throw new NotFoundError(`Credit note ${number}`);
  return row;
}

export function getCreditNote(ctx: Ctx, number: string, scope: Scope): CreditNoteOut {
  return toCreditNoteOut(findCreditNote(ctx.db, number, scope));
}

export function listCreditNotes(ctx: Ctx, filter: { year?: number | undefined; state?: string | undefined }, scope: Scope): CreditNoteOut[] {
  if (scope !== null && filter.state !== undefined && filter.state !== scope) throw new NotFoundError(`State ${filter.state}`);
  const state = scope ?? filter.state;
  const conds = [...(filter.year !== undefined ? [eq(creditNotes.year, filter.year)] : []), ...(state !== undefined ? [eq(creditNotes.stateIso3, state)] : [])];
  return ctx.db
    .select()
    .from(creditNotes)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(creditNotes.year), asc(creditNotes.seq))
    .all()
    .map(toCreditNoteOut);
}

export async function creditNotePdf(ctx: Ctx, number: string, scope: Scope): Promise<{ file: string; sha256: string }> {
  const row = findCreditNote(ctx.db, number, scope);
  const file = pdfPath(ctx.invoiceDir, row.year, row.number);
  await ensurePdf(file, row.pdfSha256, () => renderCreditNote(row.document as CreditNoteDocument, issuerOf(ctx.db, row.document as CreditNoteDocument)));
  return { file, sha256: row.pdfSha256 };
}

/** The credit note as an EN 16931 e-invoice (CII XML, type 381), from the stored document; scoped like its PDF. */
export function creditNoteXml(ctx: Ctx, number: string, scope: Scope): string {
  const doc = findCreditNote(ctx.db, number, scope).document as CreditNoteDocument;
  return creditNoteCii(doc, issuerOf(ctx.db, doc));
}

/**
 * POST /invoices/{number}/reissue (SPEC 9.3): an invoice cancelled by
 * mistake is issued again — a new number, the same obligation (lines,
 * amounts, cut-off date), pointing at the cancelled one; the State's credit
 * (what the cancellation gave back, if still unused) is applied on issue.
 */
export async function reissueInvoice(ctx: Ctx, actor: Actor, number: string, input: { reason: string; date?: string | undefined }): Promise<InvoiceOut> {
  const original = findInvoice(ctx.db, number, null);
  const cn = creditNoteFor(ctx.db, number);
  if (!cn) throw new ConflictError(`invoice ${number} is not cancelled: only a cancelled invoice is issued again`, { field: 'number' });
  const reissued = (db: DbOrTx) =>
    db
      .select({ n: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.kind, 'reissue'), eq(invoices.originalInvoice, number)))
      .get()?.n;
  const already = reissued(ctx.db);
  if (already) throw new ConflictError(`invoice ${number} was already issued again as ${already}`, { field: 'number' });
  const today = todayUtc();
  const issueDate = input.date ?? today;
  if (issueDate < cn.issueDate) throw new ValidationError([{ field: 'date', message: `must not be before the credit note ${cn.number} (${cn.issueDate})` }]);
  if (issueDate > today) throw new ValidationError([{ field: 'date', message: `must not be in the future (today is ${today})` }]);
  assertOpen(ctx.db, issueDate, 'date');
  const state = ctx.db.select().from(states).where(eq(states.iso3, original.stateIso3)).get()!;
  const lines = ctx.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceNumber, number)).orderBy(asc(invoiceLines.position)).all();
  const { cancelledBy: _c, creditApplied: _a, earlierOutstanding: _e, late: _l, ...kept } = original.document as InvoiceDocument;
  const r = await issueOne(ctx, actor, requireIssuer(ctx.db), {
    year: original.year,
    kind: 'reissue',
    state,
    issueDate,
    cutoffDate: original.cutoffDate,
    originalInvoice: number,
    lines: lines.map((l) => ({ category: l.category, position: l.position, amountCentimes: l.amountCentimes })),
    document: (newNumber, creditorRef, before) => ({
      ...kept,
      number: newNumber,
      issueDate,
      creditorReference: creditorRef,
      creditApplied: formatMoney(before.creditToInvoiceCentimes),
      earlierOutstanding: before.earlierArrears.map((a) => ({ year: a.year, amount: formatMoney(a.amountCentimes) })),
      reissueOf: { invoice: number, creditNote: cn.number },
    }),
    exists: reissued,
    freeze: null,
  });
  if (r.outcome === 'exists') throw new ConflictError(`invoice ${number} was already issued again as ${r.number}`, { field: 'number' });
  ctx.db.transaction((tx) => writeAudit(tx, actor, 'invoice-reissue', number, { reissuedAs: r.number, reason: input.reason, date: issueDate }), { behavior: 'immediate' });
  if (r.pdfError !== undefined) throw new PdfNotWrittenError({ type: 'invoice', number: r.number }, r.pdfError, `It re-issues invoice ${number}.`);
  return getInvoice(ctx, r.number, null);
}
