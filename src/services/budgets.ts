/** Budgets and their 7(a)/7(b) scheme (SPEC 2.3), and the assessment of a budget. */
import { Decimal } from 'decimal.js';
import { and, asc, desc, eq } from 'drizzle-orm';
import { AssessmentError, computeAssessment, type Assessment, type Scheme } from '../domain/assessment.js';
import { isAssessedOn, defaultMembershipDate } from '../domain/membership.js';
import { Dec, canonicalDecimal, formatMoney, parseMoney } from '../domain/money.js';
import { writeAudit } from '../db/repositories/audit.js';
import { assessmentSnapshots, budgetVersions, budgets, states, type StoredScheme } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { AssessmentOut, BudgetCreate, BudgetFigures, BudgetOut, BudgetPatch } from '../schemas/budgets.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ServiceError, ValidationError } from './errors.js';
import { assertPlausibleBudget } from './limits.js';
import { findScale, scaleRateMap } from './scales.js';
import { lineOut, linesOfVersion, writeLines } from './budget-lines.js';

type BudgetRow = typeof budgets.$inferSelect;
type VersionRow = typeof budgetVersions.$inferSelect;

export function toBudgetOut(row: BudgetRow): BudgetFigures {
  return {
    year: row.year,
    amount: formatMoney(row.amountCentimes),
    currency: 'CHF',
    decisionRef: row.decisionRef,
    approvedOn: row.approvedOn,
    membershipDate: row.membershipDate,
    cutoffDate: row.cutoffDate,
    scaleCode: row.scaleCode,
    scheme: row.scheme,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function schemeFromStored(stored: StoredScheme): Scheme {
  return {
    categories: stored.categories.map((c) => ({
      code: c.code,
      label: c.label,
      share: new Dec(c.share),
      method: c.method,
      maxShare: c.maxShare === undefined ? undefined : new Dec(c.maxShare),
      minShare: c.minShare === undefined ? undefined : new Dec(c.minShare),
    })),
    missingRate: stored.missingRate === undefined ? undefined : new Dec(stored.missingRate),
  };
}

export function storedScheme(input: BudgetCreate['scheme']): StoredScheme {
  const canon = (s: string) => canonicalDecimal(new Dec(s));
  return {
    categories: input.categories.map((c) => ({
      code: c.code,
      label: c.label,
      ...(c.labels !== undefined && { labels: c.labels }),
      share: canon(c.share),
      method: c.method,
      ...(c.maxShare !== undefined && { maxShare: canon(c.maxShare) }),
      ...(c.minShare !== undefined && { minShare: canon(c.minShare) }),
    })),
    ...(input.missingRate !== undefined && { missingRate: canon(input.missingRate) }),
  };
}

/** The budget as adopted (version 1), before any revision. */
export function findBudgetAsAdopted(db: DbOrTx, year: number): BudgetRow | undefined {
  return db.select().from(budgets).where(eq(budgets.year, year)).get();
}

/** The revisions of a budget (versions 2, 3, …), oldest first. */
export function budgetRevisions(db: DbOrTx, year: number): VersionRow[] {
  return db.select().from(budgetVersions).where(eq(budgetVersions.year, year)).orderBy(asc(budgetVersions.version)).all();
}

export function latestRevision(db: DbOrTx, year: number): VersionRow | undefined {
  return db.select().from(budgetVersions).where(eq(budgetVersions.year, year)).orderBy(desc(budgetVersions.version)).limit(1).get();
}

/**
 * The budget in force: as adopted, with the amount, scale and scheme of its
 * latest revision (SPEC 9.3). Its decision, approval and cut-off dates stay
 * those of the adoption; each revision carries its own decision.
 */
export function findBudget(db: DbOrTx, year: number): BudgetRow | undefined {
  const row = findBudgetAsAdopted(db, year);
  const rev = row && latestRevision(db, year);
  return row && rev ? { ...row, amountCentimes: rev.amountCentimes, scaleCode: rev.scaleCode, scheme: rev.scheme } : row;
}

/** A budget with its versions: the figures in force, and every version from the adoption on. */
function budgetWithVersions(db: DbOrTx, adopted: BudgetRow): BudgetOut {
  const revisions = budgetRevisions(db, adopted.year);
  const snapshot = db.select({ sha256: assessmentSnapshots.sha256 }).from(assessmentSnapshots).where(eq(assessmentSnapshots.year, adopted.year)).get();
  const latest = revisions[revisions.length - 1];
  const linesOf = (version: number) => linesOfVersion(db, adopted.year, version).map(lineOut);
  return {
    ...toBudgetOut(latest ? { ...adopted, amountCentimes: latest.amountCentimes, scaleCode: latest.scaleCode, scheme: latest.scheme } : adopted),
    version: latest?.version ?? 1,
    lines: linesOf(latest?.version ?? 1),
    versions: [
      {
        version: 1,
        amount: formatMoney(adopted.amountCentimes),
        scaleCode: adopted.scaleCode,
        decisionRef: adopted.decisionRef,
        approvedOn: adopted.approvedOn,
        reason: null,
        assessmentSha256: snapshot?.sha256 ?? null,
        lines: linesOf(1),
        createdAt: adopted.createdAt,
      },
      ...revisions.map((r) => ({
        version: r.version,
        amount: formatMoney(r.amountCentimes),
        scaleCode: r.scaleCode,
        decisionRef: r.decisionRef,
        approvedOn: r.approvedOn,
        reason: r.reason,
        assessmentSha256: r.sha256,
        lines: linesOf(r.version),
        createdAt: r.createdAt,
      })),
    ],
  };
}

export function getBudget(ctx: Ctx, year: number): BudgetOut {
  const row = findBudgetAsAdopted(ctx.db, year);
  if (!row) throw new NotFoundError(`The budget for ${year}`);
  return budgetWithVersions(ctx.db, row);
}

export function listBudgets(ctx: Ctx): BudgetOut[] {
  return ctx.db
    .select()
    .from(budgets)
    .orderBy(asc(budgets.year))
    .all()
    .map((r) => budgetWithVersions(ctx.db, r));
}

/** Computes the assessment of a budget row against the register and its scale, as stored now. */
export function assessBudgetRow(db: DbOrTx, budget: BudgetRow): Assessment {
  const rates = scaleRateMap(db, budget.scaleCode);
  const assessed = db
    .select()
    .from(states)
    .orderBy(asc(states.iso3))
    .all()
    .filter((s) => isAssessedOn(s, budget.membershipDate));
  return computeAssessment({
    year: budget.year,
    amountCentimes: budget.amountCentimes,
    scaleCode: budget.scaleCode,
    scheme: schemeFromStored(budget.scheme),
    states: assessed.map((s) => {
      const rate = rates.get(s.iso3);
      return { iso3: s.iso3, name: s.nameEn, rate: rate === undefined ? null : new Dec(rate) };
    }),
  });
}

export function assessmentProblem(e: AssessmentError, budgetYear: number): ServiceError {
  const field = e.code === 'missing-rate' ? 'scaleCode' : e.details.category ? 'scheme.categories' : 'year';
  return new ServiceError(422, 'Assessment cannot be computed', e.message, [{ field, message: e.message }], {
    assessmentError: e.code,
    ...e.details,
    // After the details: `year` is the budget year as an integer (the details carry text).
    year: budgetYear,
  });
}

export function createBudget(ctx: Ctx, actor: Actor, input: BudgetCreate): BudgetOut {
  return ctx.db.transaction(
    (tx) => {
      if (findBudgetAsAdopted(tx, input.year))
        throw new ConflictError(`a budget for ${input.year} already exists`, { field: 'year' });
      assertPlausibleBudget(tx, input);
      if (!findScale(tx, input.scaleCode)) throw new ValidationError([{ field: 'scaleCode', message: `unknown scale ${input.scaleCode}` }]);
      const now = new Date().toISOString();
      const [row] = tx
        .insert(budgets)
        .values({
          year: input.year,
          amountCentimes: parseMoney(input.amount),
          decisionRef: input.decisionRef,
          approvedOn: input.approvedOn,
          membershipDate: input.membershipDate ?? defaultMembershipDate(input.year),
          cutoffDate: input.cutoffDate,
          scaleCode: input.scaleCode,
          scheme: storedScheme(input.scheme),
          updatedAt: now,
        })
        .returning()
        .all();
      if (input.lines) writeLines(tx, input.year, 1, row!.amountCentimes, input.lines);
      // A budget that cannot be assessed (a missing rate, infeasible bounds) is refused now, not at invoicing.
      try {
        assessBudgetRow(tx, row!);
      } catch (e) {
        if (e instanceof AssessmentError && e.code !== 'no-assessed-states') throw assessmentProblem(e, input.year);
        if (!(e instanceof AssessmentError)) throw e;
      }
      writeAudit(tx, actor, 'budget', String(input.year), { created: toBudgetOut(row!) });
      return budgetWithVersions(tx, row!);
    },
    { behavior: 'immediate' },
  );
}

const pct = (fraction: Decimal) => fraction.mul(100).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed(6);

export function assessmentDocument(budget: BudgetRow, a: Assessment): AssessmentOut {
  const n = a.rows.length;
  return {
    year: a.year,
    currency: 'CHF',
    amount: formatMoney(a.amountCentimes),
    scaleCode: a.scaleCode,
    membershipDate: budget.membershipDate,
    states: n,
    missingRate: a.missingRate === null ? null : canonicalDecimal(a.missingRate),
    missingRateUsedFor: a.missingRateUsedFor,
    categories: a.categories.map((c) => ({
      code: c.code,
      label: c.label,
      method: c.method,
      share: canonicalDecimal(c.share),
      maxShare: c.maxShare === null ? null : canonicalDecimal(c.maxShare),
      minShare: c.minShare === null ? null : canonicalDecimal(c.minShare),
      total: formatMoney(c.totalCentimes),
      basis: c.method === 'equal' ? `1/${n}` : 'scale',
      statesAtMax: c.statesAtMax,
      statesAtMin: c.statesAtMin,
    })),
    rows: a.rows.map((r) => ({
      iso3: r.iso3,
      name: r.name,
      rate: r.rate === null ? null : canonicalDecimal(r.rate),
      rateSource: r.rateSource,
      rebasedRate: r.rebasedRate === null ? null : pct(r.rebasedRate),
      amounts: Object.fromEntries([...r.amountsCentimes].map(([code, c]) => [code, formatMoney(c)])),
      total: formatMoney(r.totalCentimes),
    })),
    total: formatMoney(a.totalCentimes),
  };
}

/** GET /budgets/{year}/assessment and `isu assess --year Y --json`: the same document. */
/** The assessment as the register and the budget give it now, ignoring the frozen one (for late joiners). */
export function currentAssessment(ctx: Ctx, year: number): AssessmentOut {
  const budget = findBudget(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  try {
    return assessmentDocument(budget, assessBudgetRow(ctx.db, budget));
  } catch (e) {
    if (e instanceof AssessmentError) throw assessmentProblem(e, year);
    throw e;
  }
}

/**
 * The assessment of a budget: of its latest version (or of `version`): a
 * revision's, else the one frozen by the first invoice, else computed now.
 */
export function assessBudget(ctx: Ctx, year: number, version?: number): AssessmentOut {
  const budget = findBudgetAsAdopted(ctx.db, year);
  if (!budget) throw new NotFoundError(`The budget for ${year}`);
  if (version !== undefined && version > 1) {
    const rev = ctx.db.select().from(budgetVersions).where(and(eq(budgetVersions.year, year), eq(budgetVersions.version, version))).get();
    if (!rev) throw new NotFoundError(`Version ${version} of the ${year} budget`);
    return rev.assessment as AssessmentOut;
  }
  const rev = version === undefined ? latestRevision(ctx.db, year) : undefined;
  if (rev) return rev.assessment as AssessmentOut;
  const frozen = ctx.db.select().from(assessmentSnapshots).where(eq(assessmentSnapshots.year, year)).get();
  if (frozen) return frozen.document as AssessmentOut;
  try {
    return assessmentDocument(budget, assessBudgetRow(ctx.db, budget));
  } catch (e) {
    if (e instanceof AssessmentError) throw assessmentProblem(e, year);
    throw e;
  }
}

export function isFrozen(db: DbOrTx, year: number): boolean {
  return db.select({ year: assessmentSnapshots.year }).from(assessmentSnapshots).where(eq(assessmentSnapshots.year, year)).get() !== undefined;
}

/** Corrects a budget before it is invoiced; afterwards only its decision reference may change (409 otherwise). */
export function updateBudget(ctx: Ctx, actor: Actor, year: number, patch: BudgetPatch): BudgetOut {
  return ctx.db.transaction(
    (tx) => {
      const before = findBudgetAsAdopted(tx, year);
      if (!before) throw new NotFoundError(`The budget for ${year}`);
      assertPlausibleBudget(tx, patch);
      const touchesAssessment = Object.keys(patch).some((k) => k !== 'decisionRef');
      if (touchesAssessment && isFrozen(tx, year))
        throw new ConflictError(
          `the ${year} budget is invoiced: its assessment, scale and scheme are frozen. Record a revision with supplementary invoices or credit notes`,
          { field: Object.keys(patch).find((k) => k !== 'decisionRef') },
        );
      const approvedOn = patch.approvedOn ?? before.approvedOn;
      const cutoffDate = patch.cutoffDate ?? before.cutoffDate;
      if (cutoffDate < approvedOn)
        throw new ValidationError([{ field: patch.cutoffDate ? 'cutoffDate' : 'approvedOn', message: `the cut-off date ${cutoffDate} must not be before the approval date ${approvedOn}` }]);
      if (patch.amount !== undefined && parseMoney(patch.amount) !== before.amountCentimes && linesOfVersion(tx, year, 1).length > 0)
        throw new ValidationError([{ field: 'amount', message: `the ${year} budget has lines summing to ${formatMoney(before.amountCentimes)}, recorded as adopted: its amount cannot change apart from them` }]);
      if (patch.scaleCode && !findScale(tx, patch.scaleCode)) throw new ValidationError([{ field: 'scaleCode', message: `unknown scale ${patch.scaleCode}` }]);
      const [after] = tx
        .update(budgets)
        .set({
          ...(patch.amount !== undefined && { amountCentimes: parseMoney(patch.amount) }),
          ...(patch.decisionRef !== undefined && { decisionRef: patch.decisionRef }),
          approvedOn,
          cutoffDate,
          ...(patch.membershipDate !== undefined && { membershipDate: patch.membershipDate }),
          ...(patch.scaleCode !== undefined && { scaleCode: patch.scaleCode }),
          ...(patch.scheme !== undefined && { scheme: storedScheme(patch.scheme) }),
          updatedAt: new Date().toISOString(),
        })
        .where(eq(budgets.year, year))
        .returning()
        .all();
      try {
        assessBudgetRow(tx, after!);
      } catch (e) {
        if (e instanceof AssessmentError && e.code !== 'no-assessed-states') throw assessmentProblem(e, year);
        if (!(e instanceof AssessmentError)) throw e;
      }
      writeAudit(tx, actor, 'budget', String(year), { before: toBudgetOut(before), after: toBudgetOut(after!) });
      return budgetWithVersions(tx, after!);
    },
    { behavior: 'immediate' },
  );
}
