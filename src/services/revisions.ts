/**
 * Budget revisions (SPEC 9.3): nothing issued is edited. A revision records
 * version n+1 of the budget with its decision and its assessment, and a plan:
 * for each State, its difference against what its live invoices of the year
 * come to. What rises is a supplementary invoice (kind `supplementary`,
 * pointing at the State's invoice and the version); what falls, partial
 * credit notes on its invoices, the latest first. Both with PDFs in the
 * State's language and the usual numbering. The version and its plan commit
 * together; each document then commits in its own transaction, so posting
 * the same decision again completes an interrupted run (idempotent).
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { AssessmentError } from '../domain/assessment.js';
import { todayUtc } from '../domain/dates.js';
import { paymentDeadline } from '../domain/deadlines.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import { revisionDifference, type InvoicedLine } from '../domain/revisions.js';
import { writeAudit } from '../db/repositories/audit.js';
import { budgetVersions, creditNotes, invoiceLines, invoices, states, type StoredScheme } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { AssessmentOut, BudgetRevisionCreate, RevisionOut } from '../schemas/budgets.js';
import type { InvoiceDocument, RevisionNote } from '../pdf/types.js';
import type { Actor } from './actor.js';
import { partiallyCredited } from './applications.js';
import { carryLines, linesOfVersion, sameLines, writeLines } from './budget-lines.js';
import { assessBudgetRow, assessmentDocument, assessmentProblem, findBudgetAsAdopted, isFrozen, latestRevision, storedScheme } from './budgets.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, PdfNotWrittenError, ValidationError } from './errors.js';
import { assertPlausibleBudget } from './limits.js';
import { issueCreditNote, issueOne } from './invoices.js';
import { assertOpen } from './periods.js';
import { findScale } from './scales.js';
import { requireIssuer } from './settings.js';
import { partyBlock } from './party.js';

/** What a revision issues, State by State (money strings), stored with the version. */
export interface RevisionPlan {
  states: {
    iso3: string;
    invoiced: string;
    revised: string;
    /** The invoice a supplementary invoice adds to: the State's first live invoice of the year. */
    originalInvoice: string | null;
    supplementary: { category: string; position: number; amount: string; invoiced: string; revised: string }[];
    credits: { invoice: string; category: string; amount: string }[];
    skipped: string | null;
  }[];
}

type VersionRow = typeof budgetVersions.$inferSelect;
type StateRow = typeof states.$inferSelect;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The figures of the version in force: the latest revision's, else the budget's as adopted. */
function versionInForce(db: DbOrTx, adopted: NonNullable<ReturnType<typeof findBudgetAsAdopted>>) {
  const rev = latestRevision(db, adopted.year);
  return rev
    ? { version: rev.version, amountCentimes: rev.amountCentimes, scaleCode: rev.scaleCode, scheme: rev.scheme, decisionRef: rev.decisionRef, approvedOn: rev.approvedOn }
    : { version: 1, amountCentimes: adopted.amountCentimes, scaleCode: adopted.scaleCode, scheme: adopted.scheme, decisionRef: adopted.decisionRef, approvedOn: adopted.approvedOn };
}

const sameScheme = (a: StoredScheme, b: StoredScheme) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Each State's difference between the revised assessment and its live
 * invoices of the year (what is left of them after earlier partial credits).
 * States with no live invoice are skipped with why: not invoiced yet (the
 * batch issues their late invoice at the revised figures), or cancelled.
 */
export function planRevision(db: DbOrTx, year: number, assessment: AssessmentOut, issueDate: string): RevisionPlan {
  const all = db.select().from(invoices).where(eq(invoices.year, year)).orderBy(asc(invoices.seq)).all();
  const cancelled = new Set(
    all.length === 0
      ? []
      : db
          .select({ n: creditNotes.invoiceNumber })
          .from(creditNotes)
          .where(and(eq(creditNotes.kind, 'cancellation'), inArray(creditNotes.invoiceNumber, all.map((i) => i.number))))
          .all()
          .map((r) => r.n),
  );
  const live = all.filter((i) => !cancelled.has(i.number));
  const credited = partiallyCredited(db, live.map((i) => i.number));
  const lines = live.length === 0 ? [] : db.select().from(invoiceLines).where(inArray(invoiceLines.invoiceNumber, live.map((i) => i.number))).all();
  const rows = new Map(assessment.rows.map((r) => [r.iso3, r]));
  const iso3s = [...new Set([...rows.keys(), ...all.map((i) => i.stateIso3)])].sort();
  const plan: RevisionPlan = { states: [] };
  for (const iso3 of iso3s) {
    const row = rows.get(iso3);
    const target = row ? assessment.categories.map((c, position) => ({ category: c.code, position, amountCentimes: parseMoney(row.amounts[c.code] ?? '0') })) : [];
    const revisedCentimes = sumCentimes(target.map((t) => t.amountCentimes));
    const mine = live.filter((i) => i.stateIso3 === iso3);
    const base = { iso3, revised: formatMoney(revisedCentimes), originalInvoice: null, supplementary: [], credits: [] };
    if (mine.length === 0) {
      if (revisedCentimes === 0n) continue;
      const any = all.some((i) => i.stateIso3 === iso3);
      plan.states.push({
        ...base,
        invoiced: '0.00',
        skipped: any
          ? `its invoices of ${year} are all cancelled: re-issue one (or invoice it anew) and post the revision again`
          : `not invoiced yet: the invoice batch issues its late invoice at the revised figures`,
      });
      continue;
    }
    const invoiced: InvoicedLine[] = lines
      .filter((l) => mine.some((i) => i.number === l.invoiceNumber))
      .map((l) => ({
        invoice: l.invoiceNumber,
        issued: mine.find((i) => i.number === l.invoiceNumber)!.seq,
        category: l.category,
        position: l.position,
        remainingCentimes: l.amountCentimes - (credited.get(`${l.invoiceNumber}|${l.category}`) ?? 0n),
      }));
    const invoicedIn = (category: string) => sumCentimes(invoiced.filter((l) => l.category === category).map((l) => l.remainingCentimes));
    const diff = revisionDifference(invoiced, target);
    for (const c of diff.credits) {
      const inv = mine.find((i) => i.number === c.invoice)!;
      if (inv.issueDate > issueDate)
        throw new ValidationError([{ field: 'issueDate', message: `must not be before the issue of invoice ${inv.number} (${inv.issueDate}), which the revision credits` }]);
    }
    plan.states.push({
      ...base,
      invoiced: formatMoney(sumCentimes(invoiced.map((l) => l.remainingCentimes))),
      originalInvoice: (mine.find((i) => i.kind !== 'supplementary') ?? mine[0]!).number,
      supplementary: diff.supplementary.map((s) => ({
        category: s.category,
        position: s.position,
        amount: formatMoney(s.amountCentimes),
        invoiced: formatMoney(invoicedIn(s.category)),
        revised: formatMoney(target.find((t) => t.category === s.category)!.amountCentimes),
      })),
      credits: diff.credits.map((c) => ({ invoice: c.invoice, category: c.category, amount: formatMoney(c.amountCentimes) })),
      skipped: null,
    });
  }
  return plan;
}

function supplementaryOf(db: DbOrTx, year: number, iso3: string, version: number): string | undefined {
  return db
    .select({ n: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.year, year), eq(invoices.stateIso3, iso3), eq(invoices.kind, 'supplementary'), eq(invoices.budgetVersion, version)))
    .get()?.n;
}

function partialOf(db: DbOrTx, invoiceNumber: string, version: number): string | undefined {
  return db
    .select({ n: creditNotes.number })
    .from(creditNotes)
    .where(and(eq(creditNotes.invoiceNumber, invoiceNumber), eq(creditNotes.kind, 'partial'), eq(creditNotes.budgetVersion, version)))
    .get()?.n;
}

/** Whether every document of a version's plan is issued. */
export function revisionComplete(db: DbOrTx, v: VersionRow): boolean {
  const plan = v.plan as RevisionPlan;
  return plan.states.every(
    (s) =>
      (s.supplementary.length === 0 || supplementaryOf(db, v.year, s.iso3, v.version) !== undefined) &&
      s.credits.every((c) => partialOf(db, c.invoice, v.version) !== undefined),
  );
}

function categoryLabel(scheme: StoredScheme, code: string, lang: StateRow['language']): string {
  const c = scheme.categories.find((x) => x.code === code);
  return (lang === 'en' ? c?.label : (c?.labels?.[lang] ?? c?.label)) ?? code;
}

/** Issues what is missing of a version's plan: partial credit notes first (what they free is applied on issue of the supplementary invoice), then the supplementary invoice. */
async function issueRevisionDocuments(ctx: Ctx, actor: Actor, v: VersionRow, issueDate: string, cutoffDate: string): Promise<void> {
  const issuer = requireIssuer(ctx.db);
  const plan = v.plan as RevisionPlan;
  for (const s of plan.states) {
    if (s.skipped !== null) continue;
    const state = ctx.db.select().from(states).where(eq(states.iso3, s.iso3)).get()!;
    const note = (originalInvoice: string): RevisionNote => ({
      version: v.version,
      decisionRef: v.decisionRef,
      approvedOn: v.approvedOn,
      previousTotal: s.invoiced,
      revisedTotal: s.revised,
      originalInvoice,
    });
    for (const number of [...new Set(s.credits.map((c) => c.invoice))]) {
      if (partialOf(ctx.db, number, v.version)) continue;
      const invoice = ctx.db.select().from(invoices).where(eq(invoices.number, number)).get()!;
      const cn = await issueCreditNote(ctx, actor, issuer, {
        invoice,
        kind: 'partial',
        budgetVersion: v.version,
        lines: s.credits.filter((c) => c.invoice === number).map((c) => ({ category: c.category, amountCentimes: parseMoney(c.amount) })),
        reason: v.reason,
        issueDate,
        description: (cn) => `Credit note ${cn} on invoice ${number}: ${v.year} budget revised (version ${v.version}, ${v.decisionRef})`,
        revision: note(s.originalInvoice!),
        exists: (db) => partialOf(db, number, v.version),
      });
      if (cn.pdfError !== undefined) throw new PdfNotWrittenError({ type: 'credit-note', number: cn.number }, cn.pdfError, REVISION_RESUMES);
    }
    if (s.supplementary.length === 0 || supplementaryOf(ctx.db, v.year, s.iso3, v.version)) continue;
    const lang = state.language;
    const lines = s.supplementary.map((l) => ({ category: l.category, position: l.position, amountCentimes: parseMoney(l.amount) }));
    const total = formatMoney(sumCentimes(lines.map((l) => l.amountCentimes)));
    const sup = await issueOne(ctx, actor, issuer, {
      year: v.year,
      kind: 'supplementary',
      state,
      issueDate,
      cutoffDate,
      originalInvoice: s.originalInvoice,
      budgetVersion: v.version,
      lines,
      document: (number, creditorRef, before): InvoiceDocument => ({
        number,
        issueDate,
        budgetYear: v.year,
        cutoffDate,
        decisionRef: v.decisionRef,
        approvedOn: v.approvedOn,
        language: lang,
        state: partyBlock(state, lang),
        lines: s.supplementary.map((l) => ({
          code: l.category,
          label: categoryLabel(v.scheme, l.category, lang),
          basis: { method: 'revision', revised: l.revised, invoiced: l.invoiced },
          amount: l.amount,
        })),
        total,
        creditorReference: creditorRef,
        creditApplied: formatMoney(before.creditToInvoiceCentimes),
        earlierOutstanding: before.earlierArrears.map((a) => ({ year: a.year, amount: formatMoney(a.amountCentimes) })),
        revision: note(s.originalInvoice!),
      }),
      exists: (db) => supplementaryOf(db, v.year, s.iso3, v.version),
      freeze: null,
    });
    if (sup.pdfError !== undefined) throw new PdfNotWrittenError({ type: 'invoice', number: sup.number }, sup.pdfError, REVISION_RESUMES);
  }
}

const REVISION_RESUMES = 'The revision is recorded; post it again to issue any of its documents not issued yet.';

function revisionOut(ctx: Ctx, v: VersionRow, previous: { version: number; amountCentimes: Centimes }, replayed: boolean): RevisionOut {
  const plan = v.plan as RevisionPlan;
  const sup = ctx.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.year, v.year), eq(invoices.kind, 'supplementary'), eq(invoices.budgetVersion, v.version)))
    .all();
  const cns = ctx.db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.year, v.year), eq(creditNotes.kind, 'partial'), eq(creditNotes.budgetVersion, v.version)))
    .orderBy(asc(creditNotes.seq))
    .all();
  return {
    year: v.year,
    version: v.version,
    previousVersion: previous.version,
    decisionRef: v.decisionRef,
    approvedOn: v.approvedOn,
    amount: formatMoney(v.amountCentimes),
    previousAmount: formatMoney(previous.amountCentimes),
    assessmentSha256: v.sha256,
    replayed,
    totals: {
      supplementary: formatMoney(sumCentimes(sup.map((i) => i.totalCentimes))),
      credited: formatMoney(sumCentimes(cns.map((c) => c.totalCentimes))),
    },
    states: plan.states.map((s) => {
      const up = s.supplementary.length > 0;
      const down = s.credits.length > 0;
      return {
        iso3: s.iso3,
        invoiced: s.invoiced,
        revised: s.revised,
        difference: formatMoney(parseMoney(s.revised) - parseMoney(s.invoiced)),
        outcome: s.skipped !== null ? 'skipped' : up && down ? 'both' : up ? 'supplementary' : down ? 'credited' : 'unchanged',
        supplementaryInvoice: sup.find((i) => i.stateIso3 === s.iso3)?.number ?? null,
        creditNotes: cns.filter((c) => c.stateIso3 === s.iso3).map((c) => c.number),
        reason: s.skipped,
      };
    }),
  };
}

/** POST /budgets/{year}/revisions and `isu budgets revise`. */
export async function reviseBudget(ctx: Ctx, actor: Actor, year: number, input: BudgetRevisionCreate): Promise<RevisionOut> {
  const today = todayUtc();
  const issueDate = input.issueDate ?? today;
  if (input.approvedOn > today) throw new ValidationError([{ field: 'approvedOn', message: `must not be in the future (today is ${today})` }]);
  assertPlausibleBudget(ctx.db, { amount: input.amount, approvedOn: input.approvedOn, cutoffDate: input.cutoffDate });
  if (issueDate < input.approvedOn) throw new ValidationError([{ field: 'issueDate', message: `must not be before the revision's approval on ${input.approvedOn}` }]);
  if (issueDate > today) throw new ValidationError([{ field: 'issueDate', message: `must not be in the future (today is ${today})` }]);
  assertOpen(ctx.db, issueDate, 'issueDate');
  requireIssuer(ctx.db);
  const budget = findBudgetAsAdopted(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  // The budget's cut-off date is fixed once it is invoiced; a supplementary invoice gets at least MIN_PAYMENT_DAYS to pay.
  const cutoffDate = input.cutoffDate ?? paymentDeadline(budget.cutoffDate, issueDate);
  if (cutoffDate < issueDate) throw new ValidationError([{ field: 'cutoffDate', message: `must not be before the issue date ${issueDate}` }]);

  const { version, previous, replayed } = ctx.db.transaction(
    (tx) => {
      const adopted = findBudgetAsAdopted(tx, year);
      if (!adopted) throw new NotFoundError(`The budget for ${year}`);
      if (!isFrozen(tx, year))
        throw new ConflictError(`the ${year} budget is not invoiced yet: correct it (PATCH /budgets/${year}) instead of revising it`, { field: 'year' });
      const latest = versionInForce(tx, adopted);
      const amountCentimes = input.amount !== undefined ? parseMoney(input.amount) : latest.amountCentimes;
      const scaleCode = input.scaleCode ?? latest.scaleCode;
      const scheme = input.scheme !== undefined ? storedScheme(input.scheme) : latest.scheme;
      const previousLines = linesOfVersion(tx, year, latest.version);
      const sameFigures =
        amountCentimes === latest.amountCentimes &&
        scaleCode === latest.scaleCode &&
        sameScheme(scheme, latest.scheme) &&
        (input.lines === undefined || sameLines(previousLines, input.lines));
      const all = tx.select().from(budgetVersions).where(eq(budgetVersions.year, year)).orderBy(asc(budgetVersions.version)).all();
      const earlier = all.find((v) => v.decisionRef === input.decisionRef);
      if (earlier && earlier.version === latest.version) {
        if (sameFigures && earlier.approvedOn === input.approvedOn) {
          const before = all.find((v) => v.version === earlier.version - 1);
          return { version: earlier, previous: before ?? { version: 1, amountCentimes: adopted.amountCentimes }, replayed: true };
        }
        throw new ConflictError(`decision ${input.decisionRef} is already recorded as version ${earlier.version} with other figures`, { field: 'decisionRef' });
      }
      if (earlier) throw new ConflictError(`decision ${input.decisionRef} is version ${earlier.version}, since revised again (version ${latest.version})`, { field: 'decisionRef' });
      if (input.decisionRef === adopted.decisionRef) throw new ConflictError(`${input.decisionRef} is the decision that adopted the budget`, { field: 'decisionRef' });
      if (sameFigures) throw new ValidationError([{ field: 'amount', message: `the amount, scale, scheme and lines are those of version ${latest.version}: the revision changes nothing` }]);
      if (input.lines === undefined && previousLines.length > 0 && amountCentimes !== latest.amountCentimes)
        throw new ValidationError([{ field: 'lines', message: `the ${year} budget has lines: give the revised lines, summing to ${formatMoney(amountCentimes)}` }]);
      if (input.approvedOn < latest.approvedOn)
        throw new ValidationError([{ field: 'approvedOn', message: `must not be before the approval of version ${latest.version} (${latest.approvedOn})` }]);
      const prior = all[all.length - 1];
      if (prior && !revisionComplete(tx, prior))
        throw new ConflictError(`version ${prior.version} (${prior.decisionRef}) is not complete: post it again to issue its missing documents first`, { field: 'decisionRef' });
      if (input.scaleCode !== undefined && !findScale(tx, input.scaleCode))
        throw new ValidationError([{ field: 'scaleCode', message: `unknown scale ${input.scaleCode}` }]);
      let assessment: AssessmentOut;
      const revisedRow = { ...adopted, amountCentimes, scaleCode, scheme };
      try {
        assessment = assessmentDocument(revisedRow, assessBudgetRow(tx, revisedRow));
      } catch (e) {
        if (e instanceof AssessmentError) throw assessmentProblem(e, year);
        throw e;
      }
      const plan = planRevision(tx, year, assessment, issueDate);
      const [row] = tx
        .insert(budgetVersions)
        .values({
          year,
          version: latest.version + 1,
          amountCentimes,
          scaleCode,
          scheme,
          decisionRef: input.decisionRef,
          approvedOn: input.approvedOn,
          reason: input.reason,
          assessment,
          plan,
          sha256: sha256(JSON.stringify(assessment)),
          createdBy: actor.username,
        })
        .returning()
        .all();
      if (input.lines !== undefined) writeLines(tx, year, row!.version, amountCentimes, input.lines);
      else carryLines(tx, year, latest.version, row!.version);
      writeAudit(tx, actor, 'budget-revision', `${year}/${row!.version}`, {
        decisionRef: input.decisionRef,
        approvedOn: input.approvedOn,
        reason: input.reason,
        amount: { from: formatMoney(latest.amountCentimes), to: formatMoney(amountCentimes) },
        scaleCode: { from: latest.scaleCode, to: scaleCode },
        schemeChanged: !sameScheme(scheme, latest.scheme),
        ...(input.lines !== undefined && { lines: input.lines }),
        assessmentSha256: row!.sha256,
      });
      return { version: row!, previous: { version: latest.version, amountCentimes: latest.amountCentimes }, replayed: false };
    },
    { behavior: 'immediate' },
  );

  await issueRevisionDocuments(ctx, actor, version, issueDate, cutoffDate);
  return revisionOut(ctx, version, previous, replayed);
}
