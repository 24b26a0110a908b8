import { z } from 'zod';
import { CATEGORY_METHODS } from '../domain/assessment.js';
import { Dec } from '../domain/money.js';
import { budgetLineCode, fraction, isoDate, money, moneyOut, nonEmptyText, rate, year } from './common.js';
import { scaleCode } from './scales.js';

const category = z.strictObject({
  code: z
    .string()
    .regex(/^[0-9A-Za-z()._-]{1,16}$/, { message: 'must be 1–16 letters, digits or ()._-, e.g. "7(a)"' })
    .meta({ example: '7(a)' }),
  label: nonEmptyText(200),
  labels: z
    .strictObject({ fr: nonEmptyText(200).optional(), es: nonEmptyText(200).optional() })
    .optional()
    .meta({ description: 'The label in French and Spanish, printed on invoices in those languages' }),
  share: fraction.meta({ description: 'Fraction of the budget; the shares of all categories sum to exactly 1' }),
  method: z.enum(CATEGORY_METHODS as ['equal', 'scale']).meta({ description: '`equal`: divided equally; `scale`: by scale rate rebased to the assessed States' }),
  maxShare: fraction.optional().meta({ description: 'Ceiling per State, fraction of the category total (scale only)' }),
  minShare: fraction.optional().meta({ description: 'Floor per State, fraction of the category total (scale only)' }),
});

export const scheme = z
  .strictObject({
    categories: z.array(category).min(1).max(10),
    missingRate: rate.optional().meta({ description: 'Rate used for an assessed State the scale has no rate for' }),
  })
  .superRefine((s, ctx) => {
    const codes = new Set<string>();
    let sum = new Dec(0);
    s.categories.forEach((c, i) => {
      if (codes.has(c.code)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'code'], message: `category ${c.code} appears twice` });
      codes.add(c.code);
      if (FRACTION_OK(c.share)) sum = sum.add(c.share);
      if (c.method === 'equal') {
        if (c.maxShare !== undefined) ctx.addIssue({ code: 'custom', path: ['categories', i, 'maxShare'], message: 'applies only to scale categories' });
        if (c.minShare !== undefined) ctx.addIssue({ code: 'custom', path: ['categories', i, 'minShare'], message: 'applies only to scale categories' });
      }
      if (c.maxShare !== undefined && FRACTION_OK(c.maxShare) && new Dec(c.maxShare).isZero())
        ctx.addIssue({ code: 'custom', path: ['categories', i, 'maxShare'], message: 'must be greater than 0' });
      if (c.minShare !== undefined && FRACTION_OK(c.minShare) && new Dec(c.minShare).eq(1))
        ctx.addIssue({ code: 'custom', path: ['categories', i, 'minShare'], message: 'must be less than 1' });
      if (c.maxShare !== undefined && c.minShare !== undefined && FRACTION_OK(c.maxShare) && FRACTION_OK(c.minShare) && new Dec(c.minShare).gt(c.maxShare))
        ctx.addIssue({ code: 'custom', path: ['categories', i, 'minShare'], message: 'must not exceed maxShare' });
    });
    if (s.categories.every((c) => FRACTION_OK(c.share)) && !sum.eq(1))
      ctx.addIssue({ code: 'custom', path: ['categories'], message: `category shares sum to ${sum.toFixed()}, not exactly 1` });
  });

function FRACTION_OK(s: string): boolean {
  return fraction.safeParse(s).success;
}

/** A budget line (SPEC 9.5): a short code, a label and its amount. */
export const budgetLine = z
  .strictObject({
    code: budgetLineCode,
    label: nonEmptyText(200).meta({ example: 'Staff costs' }),
    amount: money,
  })
  .meta({ id: 'BudgetLine' });

/** The lines of a budget version: unique codes; the service checks that they sum exactly to the amount. */
export const budgetLines = z
  .array(budgetLine)
  .min(1)
  .max(50)
  .superRefine((lines, ctx) => {
    const seen = new Set<string>();
    lines.forEach((l, i) => {
      if (seen.has(l.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `line ${l.code} appears twice` });
      seen.add(l.code);
    });
  })
  .meta({ description: 'The budget lines, summing exactly to the amount (e.g. staff, travel, meetings, communication, office and IT, hosting services, audit)' });
export type BudgetLineIn = z.infer<typeof budgetLine>;

export const budgetCreate = z
  .strictObject({
    year,
    amount: money.meta({ description: 'Approved budget in CHF' }),
    decisionRef: nonEmptyText(200).meta({ description: 'MSP decision approving the budget', example: 'CCM/MSP/2017/2' }),
    approvedOn: isoDate,
    membershipDate: isoDate.optional().meta({ description: 'States in force on this date are assessed; default 1 January of the year' }),
    cutoffDate: isoDate.meta({ description: 'Payment cut-off date printed on the invoices ("payable by")' }),
    scaleCode,
    scheme,
    lines: budgetLines.optional(),
  })
  .superRefine((b, ctx) => {
    if (typeof b.approvedOn === 'string' && typeof b.cutoffDate === 'string' && b.cutoffDate < b.approvedOn)
      ctx.addIssue({ code: 'custom', path: ['cutoffDate'], message: `must not be before the approval date ${b.approvedOn}` });
  })
  .meta({ id: 'BudgetCreate' });
export type BudgetCreate = z.infer<typeof budgetCreate>;

export const budgetPatch = z
  .strictObject({
    amount: money.optional(),
    decisionRef: nonEmptyText(200).optional(),
    approvedOn: isoDate.optional(),
    membershipDate: isoDate.optional(),
    cutoffDate: isoDate.optional(),
    scaleCode: scaleCode.optional(),
    scheme: scheme.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' })
  .meta({ id: 'BudgetPatch' });
export type BudgetPatch = z.infer<typeof budgetPatch>;

const categoryOut = z.object({
  code: z.string(),
  label: z.string(),
  labels: z.object({ fr: z.string().optional(), es: z.string().optional() }).optional(),
  share: z.string(),
  method: z.enum(['equal', 'scale']),
  maxShare: z.string().optional(),
  minShare: z.string().optional(),
});

const budgetFigures = z.object({
    year: z.int(),
    amount: moneyOut,
    currency: z.literal('CHF'),
    decisionRef: z.string(),
    approvedOn: z.string(),
    membershipDate: z.string(),
    cutoffDate: z.string(),
    scaleCode: z.string(),
    scheme: z.object({ categories: z.array(categoryOut), missingRate: z.string().optional() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  });
export type BudgetFigures = z.infer<typeof budgetFigures>;

export const budgetLineOut = z.object({ code: z.string(), label: z.string(), amount: moneyOut }).meta({ id: 'BudgetLineOut' });
export type BudgetLineOut = z.infer<typeof budgetLineOut>;

export const budgetVersionOut = z
  .object({
    version: z.int().meta({ description: '1: the budget as adopted; 2, 3, …: its revisions' }),
    amount: moneyOut,
    scaleCode: z.string(),
    decisionRef: z.string(),
    approvedOn: z.string(),
    reason: z.string().nullable(),
    assessmentSha256: z.string().nullable().meta({ description: 'SHA-256 of the version’s assessment (null while version 1 is not invoiced and so not frozen)' }),
    lines: z.array(budgetLineOut).meta({ description: 'The lines of this version (empty when the budget has none)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'BudgetVersion' });

export const budgetOut = budgetFigures
  .extend({
    version: z.int().meta({ description: 'The version in force; `amount`, `scaleCode`, `scheme` and `lines` are its figures' }),
    lines: z.array(budgetLineOut).meta({ description: 'The lines of the version in force (empty when the budget has none)' }),
    versions: z.array(budgetVersionOut),
  })
  .meta({ id: 'Budget' });
export type BudgetOut = z.infer<typeof budgetOut>;

export const budgetRevisionCreate = z
  .strictObject({
    amount: money.optional().meta({ description: 'The revised budget in CHF (default: unchanged)' }),
    scheme: scheme.optional().meta({ description: 'The revised scheme of categories (default: unchanged)' }),
    scaleCode: scaleCode.optional().meta({ description: 'The scale to assess with (default: unchanged)' }),
    lines: budgetLines.optional().meta({
      description: 'The revised lines, summing exactly to the revised amount; required when the amount changes and the budget has lines (default: unchanged)',
    }),
    decisionRef: nonEmptyText(200).meta({ description: 'The MSP decision revising the budget; with the same figures, posting it again completes the revision (idempotent)', example: 'CCM/MSP/2018/5' }),
    approvedOn: isoDate,
    reason: nonEmptyText(500).meta({ description: 'Printed on the credit notes' }),
    issueDate: isoDate.optional().meta({ description: 'Date of the supplementary invoices and credit notes (default today)' }),
    cutoffDate: isoDate.optional().meta({ description: 'Cut-off date of the supplementary invoices (default: the budget’s, or 30 days after the issue date when that is later)' }),
  })
  .superRefine((r, ctx) => {
    if (r.amount === undefined && r.scheme === undefined && r.scaleCode === undefined && r.lines === undefined)
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a revision changes the amount, the scheme, the scale or the lines' });
  })
  .meta({ id: 'BudgetRevisionCreate' });
export type BudgetRevisionCreate = z.infer<typeof budgetRevisionCreate>;

export const revisionOut = z
  .object({
    year: z.int(),
    version: z.int(),
    previousVersion: z.int(),
    decisionRef: z.string(),
    approvedOn: z.string(),
    amount: moneyOut,
    previousAmount: moneyOut,
    assessmentSha256: z.string(),
    replayed: z.boolean().meta({ description: 'true when this decision was already recorded: only the documents missing were issued' }),
    totals: z.object({
      supplementary: moneyOut.meta({ description: 'Sum of the supplementary invoices' }),
      credited: moneyOut.meta({ description: 'Sum of the partial credit notes' }),
    }),
    states: z.array(
      z.object({
        iso3: z.string(),
        invoiced: moneyOut.meta({ description: 'What the State’s live invoices of the year came to before the revision' }),
        revised: moneyOut,
        difference: moneyOut,
        outcome: z.enum(['supplementary', 'credited', 'both', 'unchanged', 'skipped']),
        supplementaryInvoice: z.string().nullable(),
        creditNotes: z.array(z.string()),
        reason: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'BudgetRevision' });
export type RevisionOut = z.infer<typeof revisionOut>;

export const assessmentOut = z
  .object({
    year: z.int(),
    currency: z.literal('CHF'),
    amount: moneyOut,
    scaleCode: z.string(),
    membershipDate: z.string(),
    states: z.int().meta({ description: 'Number of assessed States' }),
    missingRate: z.string().nullable(),
    missingRateUsedFor: z.array(z.string()),
    categories: z.array(
      z.object({
        code: z.string(),
        label: z.string(),
        method: z.enum(['equal', 'scale']),
        share: z.string(),
        maxShare: z.string().nullable(),
        minShare: z.string().nullable(),
        total: moneyOut,
        basis: z.string().meta({ description: '"1/N" for equal; "scale" for scale categories' }),
        statesAtMax: z.array(z.string()),
        statesAtMin: z.array(z.string()),
      }),
    ),
    rows: z.array(
      z.object({
        iso3: z.string(),
        name: z.string(),
        rate: z.string().nullable().meta({ description: 'Scale rate used, percent' }),
        rateSource: z.enum(['scale', 'missingRate']).nullable(),
        rebasedRate: z.string().nullable().meta({ description: 'rate / sum of the assessed States’ rates, percent, 6 decimals (half-even)' }),
        amounts: z.record(z.string(), moneyOut),
        total: moneyOut,
      }),
    ),
    total: moneyOut,
  })
  .meta({ id: 'Assessment' });
export type AssessmentOut = z.infer<typeof assessmentOut>;

const executionRow = z.object({
  code: z.string().nullable().meta({ description: 'The line’s code; null for the uncoded row' }),
  label: z.string(),
  approved: moneyOut.meta({ description: 'The line in the budget as adopted (version 1)' }),
  revised: moneyOut.meta({ description: 'The line in the latest version approved on or before the as-of date' }),
  spent: moneyOut.meta({ description: 'The line’s expenditures dated on or before the as-of date, net of their reversals dated then' }),
  remaining: moneyOut.meta({ description: 'revised − spent' }),
  percentSpent: z.string().nullable().meta({ description: 'spent ÷ revised in percent, one decimal (half-even); null when revised is 0', example: '84.3' }),
});

export const executionOut = z
  .object({
    year: z.int(),
    asOf: z.string(),
    currency: z.literal('CHF'),
    version: z.int().meta({ description: 'The version of the budget in force on the as-of date' }),
    lines: z.array(executionRow).meta({ description: 'One row per line of the version in force, then an uncoded row when expenditures of the year carry no line' }),
    totals: executionRow.omit({ code: true, label: true }),
  })
  .meta({ id: 'BudgetExecution' });
export type ExecutionOut = z.infer<typeof executionOut>;
